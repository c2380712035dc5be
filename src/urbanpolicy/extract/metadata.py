"""Document metadata read from the clean text: title, issuer, level, region, dates, 发文字号.

Every rule is written for the genre (government notices, plans, opinions and news
reposts of them), not for particular files: a title is a standalone line shaped like
a document title, an issuer is the body before 关于 or the subject of 印发/发布, an
issue date is a standalone date line (the signature) or the date of a 下发 lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import pandas as pd

from urbanpolicy.extract.citations import find_doc_number, is_doc_number
from urbanpolicy.extract.dates import parse_date_expression
from urbanpolicy.extract.patterns import CHAPTER_LABEL, CN_YEAR_DIGITS, LABEL_NUMERALS
from urbanpolicy.rules.regions import NATIONAL, first_region
from urbanpolicy.rules.words import alternation

GENRE_WORDS = alternation("genre_words")
# A title line: no sentence punctuation, ends with a genre word, optionally followed by a
# bracketed qualifier such as （征求意见稿） or （2021—2035年）.
_TITLE_LINE = re.compile(
    rf"^(?:附件\d*[：:]?\s*)?(?P<title>[^。；！？：]{{4,100}}?(?:{GENRE_WORDS})》?(?:（[^（）]{{1,20}}）)?)$"
)
_NUMBERED = re.compile(rf"^(?:{CHAPTER_LABEL}|[（(][{LABEL_NUMERALS}\d]+[）)]|\d+[.、]|第[{LABEL_NUMERALS}]+[章条节])")
_LEAD_ISSUE = re.compile(
    r"(?:^|[，。\n])\s*(?:(?P<date>(?:\d{4}年)?\d{1,2}月\d{1,2}日)[，,]?\s*)?"
    r"(?P<who>[^，。\n《》“”]{2,30}?)(?:近日|日前|正式)?(?P<verb>印发|下发|发出|发布|公布|出台|公开)了?《(?P<title>[^》]{2,120})》"
)
_DATE = re.compile(
    rf"(?P<y>\d{{4}}|[{CN_YEAR_DIGITS}]{{4}})\s*年\s*(?P<m>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
    r"|(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})"
)
_MONTH_DAY = re.compile(r"\d{1,2}月\d{1,2}日")
_DATE_LINE = re.compile(rf"^(?:{_DATE.pattern})$")
_ORG_SUFFIX = re.compile(rf"(?:{alternation('org_suffixes')})$")
_NATIONAL_ISSUER = re.compile(r"^(?:国务院|国家|中共中央|中央|全国|[\u4e00-\u9fff]{2,10}部$|[\u4e00-\u9fff]{2,10}总局$)")


def parse_date(text: str, default_year: int | None = None) -> pd.Timestamp | None:
    """Parse the first full date written in ``text`` ("发布时间：2022-04-02", "二〇二四年七月二十八日").

    Returns a day-precision Timestamp, or None when there is none (a year-less date
    such as "6月11日" needs ``default_year``).

    >>> parse_date("二〇二四年七月二十八日")
    Timestamp('2024-07-28 00:00:00')
    """
    m = _DATE.search(text) or (_MONTH_DAY.search(text) if default_year else None)
    if not m:
        return None
    when, precision = parse_date_expression(m.group(0), default_year)
    return when if precision == "day" else None


@dataclass
class DocumentMetadata:
    """What the metadata stage found; None/NaT where the document does not say."""

    title: str | None
    headline: str | None
    issuer: str | None
    level: str | None
    region: str | None
    province: str | None
    issued: pd.Timestamp | None
    published: pd.Timestamp | None
    doc_number: str | None


def extract_metadata(text: str, front_matter: dict, removed_lines: list[str]) -> DocumentMetadata:
    """Read a document's metadata from its clean text, front matter and removed web lines.

    ``removed_lines`` are boilerplate lines the cleaner dropped: a page's 发布时间 bar
    and its download links carry the publication date and the 发文字号.
    """
    lines = text.split("\n")
    head = lines[:40]
    headline = _as_str(front_matter.get("title"))
    title_idx, title = _find_title_line(head)
    lead = _find_lead(text[:3000])
    if title is None and lead is not None:
        title = lead.group("title")
    title = _strip_title(title) if title else None

    context_year = _context_year(front_matter, removed_lines, text)
    published = _published(front_matter, removed_lines, lead, context_year)
    issued = _issued(lines, title_idx, lead, context_year)

    issuer = _issuer(title, lead, lines)
    region = first_region(issuer, title, "\n".join(head)[:600], headline)
    level, region_name, province = _level(issuer, region)
    if issuer and region_name and issuer[0] in "省市" and region_name.endswith(issuer[0]):
        issuer = region_name + issuer[1:]  # "省发改委" in a 湖北 document is 湖北省发改委
    doc_number = _own_number(head, title_idx, removed_lines)
    return DocumentMetadata(title, headline, issuer, level, region_name, province,
                            issued, published, doc_number)


def _as_str(value: object) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def _find_title_line(lines: list[str]) -> tuple[int | None, str | None]:
    for i, line in enumerate(lines):
        if _NUMBERED.match(line):
            break  # the body has begun; titles come before it
        m = _TITLE_LINE.match(line)
        if m and not line.endswith("："):
            return i, m.group("title")
    return None, None


def _strip_title(title: str) -> str:
    title = title.strip()
    if title.startswith("《") and title.endswith("》"):
        title = title[1:-1]
    return title


def _find_lead(text: str) -> re.Match[str] | None:
    return _LEAD_ISSUE.search(text)


def _context_year(front_matter: dict, removed_lines: list[str], text: str) -> int | None:
    """The year year-less dates ("6月11日") belong to: page date, web bar date, first year in the text."""
    when = _front_matter_date(front_matter.get("date")) or parse_date(" ".join(removed_lines))
    if when is not None:
        return when.year
    m = re.search(r"(20\d\d)年", text[:2000])
    return int(m.group(1)) if m else None


def _front_matter_date(value: object) -> pd.Timestamp | None:
    if value in (None, ""):
        return None
    if hasattr(value, "year"):  # YAML already parsed an ISO date
        return pd.Timestamp(value).tz_localize(None).normalize() if pd.Timestamp(value).tzinfo else pd.Timestamp(value).normalize()
    text = str(value)
    try:
        return pd.Timestamp(parsedate_to_datetime(text).replace(tzinfo=None)).normalize()
    except (TypeError, ValueError):
        pass
    return parse_date(text)


def _published(front_matter: dict, removed_lines: list[str], lead: re.Match[str] | None,
               year: int | None) -> pd.Timestamp | None:
    for line in removed_lines:  # the page's own 发布时间 bar is the most precise statement
        m = re.search(r"(?:发布|发稿|公开)(?:时间|日期)[：:]\s*(.{6,20})", line)
        if m and (when := parse_date(m.group(1), year)) is not None:
            return when
    if lead is not None and lead.group("verb") in ("发布", "公布", "公开") and lead.group("date"):
        when = parse_date(lead.group("date"), year)
        if when is not None:
            return when
    return _front_matter_date(front_matter.get("date"))


def _issued(lines: list[str], title_idx: int | None, lead: re.Match[str] | None,
            year: int | None) -> pd.Timestamp | None:
    # The signature date: the first standalone date line after the title.
    for line in lines[(title_idx or 0):]:
        if _DATE_LINE.match(line):
            return parse_date(line)
    if lead is not None and lead.group("verb") in ("印发", "下发", "发出", "出台") and lead.group("date"):
        return parse_date(lead.group("date"), year)
    return None


def _issuer(title: str | None, lead: re.Match[str] | None, lines: list[str]) -> str | None:
    if title and "关于" in title:
        who = title.split("关于", 1)[0].strip()
        if 2 <= len(who) <= 40:
            return who
    if lead is not None:
        return lead.group("who").strip()
    for prev, line in zip(lines, lines[1:], strict=False):  # signature: organisation line, then date
        if _DATE_LINE.match(line) and _ORG_SUFFIX.search(prev) and len(prev) <= 40:
            return prev
    return None


def _level(issuer: str | None, region) -> tuple[str | None, str | None, str | None]:  # noqa: ANN001
    if issuer and _NATIONAL_ISSUER.match(issuer) and (region is None or region.name not in issuer):
        return "national", NATIONAL, None
    county = re.match(r"(?:[\u4e00-\u9fff]{2,8}?[省市州])?([\u4e00-\u9fff]{1,6}?(?:县|旗))(?:人民政府|委员会|委|政府)", issuer or "")
    if county:  # counties are too many for the gazetteer; their issuers name them plainly
        return "county", county.group(1), region.province if region else None
    if region is None:
        return None, None, None
    level = {"province": "provincial", "prefecture": "municipal", "county": "county"}.get(region.level)
    return level, region.name, region.province


def _own_number(head: list[str], title_idx: int | None, removed_lines: list[str]) -> str | None:
    start = title_idx or 0
    for line in head[start:start + 6]:
        if is_doc_number(line.strip("（）() ")):
            return find_doc_number(line)
    for line in removed_lines:  # "PDF版本下载：庆政办发〔2022〕44号" names the page's own document
        if "下载" in line and (number := find_doc_number(line)):
            return number
    return None
