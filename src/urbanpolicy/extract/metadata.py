"""Document metadata read from the clean text: title, issuer, level, region, dates, 发文字号.

Every rule is written for the genre (government notices, plans, opinions and news
reposts of them), not for particular files: a title is a standalone line shaped like
a document title, an issuer is the body before 关于 or the subject of 印发/发布, an
issue date is a standalone date line (the signature) or the date of a 下发 lead.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import lru_cache
from importlib.resources import files

import pandas as pd

from urbanpolicy.extract.agencies import is_national_body
from urbanpolicy.extract.citations import find_doc_number, is_doc_number
from urbanpolicy.extract.dates import parse_date_expression
from urbanpolicy.extract.patterns import CHAPTER_LABEL, CN_YEAR_DIGITS, DOC_NUMBER, LABEL_NUMERALS
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
# the end of a title: a genre word, then perhaps 》 and a bracketed qualifier
_TITLE_END = re.compile(rf"(?:{GENRE_WORDS})》?(?:（[^（）]{{1,20}}）)?》?$")
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
    """What the metadata stage found; None/NaT where the document does not say.

    ``problems`` are (kind, detail) findings about the whole document, e.g. a
    ``damaged_date`` or ``damaged_doc_number`` that was read in repaired form.
    """

    title: str | None
    headline: str | None
    issuer: str | None
    level: str | None
    region: str | None
    province: str | None
    issued: pd.Timestamp | None
    published: pd.Timestamp | None
    doc_number: str | None
    problems: list[tuple[str, str]] = field(default_factory=list)


def extract_metadata(text: str, front_matter: dict, removed_lines: list[str]) -> DocumentMetadata:
    """Read a document's metadata from its clean text, front matter and removed web lines.

    ``removed_lines`` are boilerplate lines the cleaner dropped: a page's 发布时间 bar
    and its download links carry the publication date and the 发文字号.

    >>> m = extract_metadata("湖北省人民政府关于印发《湖北省城镇化方案》的通知\\n鄂政发〔2021〕3号\\n"
    ...                      "湖北省人民政府\\n2021年5月6日\\n湖北省城镇化方案\\n一、总体要求", {}, [])
    >>> m.title, m.issuer, m.level, m.doc_number, str(m.issued.date())
    ('湖北省城镇化方案', '湖北省人民政府', 'provincial', '鄂政发〔2021〕3号', '2021-05-06')
    """
    lines = text.split("\n")
    head = lines[:_body_start(lines)]
    problems: list[tuple[str, str]] = []
    fields = page_fields(head + removed_lines)
    blocks = _title_blocks(head)
    notice_idx, notice = _find_notice(blocks)
    field_notice = _parse_notice(fields["title"]) if fields.get("title") else None
    if notice is None and field_notice is not None:
        notice = field_notice
    lead = _find_lead(text[:3000])

    title, title_idx = _own_title(blocks, notice_idx, notice, fields, lead)
    headline = _as_str(front_matter.get("title")) or _headline(blocks, notice_idx, title_idx, title)

    context_year = _context_year(front_matter, removed_lines, text)
    signature = _signature(lines[:120], problems)
    published = _published(fields, front_matter, removed_lines, lead, context_year)
    notice_line = blocks[notice_idx][1] if notice_idx is not None else None
    issued = _issued(signature, fields, lines, notice_line if notice_line is not None else title_idx,
                     lead, context_year, problems)

    issuer = _issuer(notice, signature, fields, title, lead)
    level, region_name, province = _level_and_region(issuer, title, head, headline, text)
    if issuer and region_name and issuer[0] in "省市" and region_name.endswith(issuer[0]):
        issuer = region_name + issuer[1:]  # "省发改委" in a 湖北 document is 湖北省发改委
    doc_number = _own_number(head, fields, notice, blocks, title_idx, notice_idx, removed_lines, problems)
    return DocumentMetadata(title, headline, issuer, level, region_name, province,
                            issued, published, doc_number, problems)


def _as_str(value: object) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def _compact(text: str) -> str:
    """Text without spaces, 《》 and quotes, for comparing two writings of one title."""
    return re.sub(r"[\s《》“”\"]", "", text)


# ---------------------------------------------------------------- where the body begins
_CHAPTER = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章部分篇])")


def _body_start(lines: list[str]) -> int:
    """Index of the first chapter heading ("一、", "第一章"), at most 60: the head is before it."""
    for i, line in enumerate(lines[:60]):
        if _CHAPTER.match(line):
            return i
    return min(len(lines), 60)


# ---------------------------------------------------------------- page furniture fields
@lru_cache(maxsize=1)
def _field_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every label of ``rules/page_fields.csv`` and the label → field map.

    Labels are matched with spaces allowed between their characters ("标   题"); a
    label of one or two characters ("题", "时间") only where a field can begin (line
    start, after a space, "|" or "•"), so "问题：" or "同时间：" are not fields.
    """
    with files("urbanpolicy.rules").joinpath("page_fields.csv").open(encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    labels = sorted((r["label"] for r in table), key=len, reverse=True)
    parts = []
    for label in labels:
        spaced = r"\s*".join(map(re.escape, label))
        parts.append(spaced if len(label) >= 3 else rf"(?:(?<=[\s|｜•·])|^){spaced}")
    # "发布机构 江北区政府办": a table flattened without colons; only labels of four characters,
    # which prose does not use before a space
    bare = "|".join(r"\s*".join(map(re.escape, label)) for label in labels if len(label) >= 4)
    pattern = re.compile(rf"(?:(?P<label>{'|'.join(parts)})\s*[：:]|(?:(?<=\s)|^)(?P<bare>{bare})[ \t]+)"
                         rf"\s*(?:[|｜]\s*)?(?P<value>[^|｜\n]*)", re.M)
    return pattern, {r["label"]: r["field"] for r in table}


_NEXT_LABEL = re.compile(r"\s+[\u4e00-\u9fff]{1,6}\s*[：:]|\s{2,}")


def page_fields(lines: list[str]) -> dict[str, str]:
    """Metadata fields of a page's flattened tables and bars: field → first value found.

    Fields are title, issuer, doc_number, issued, published (see ``rules/page_fields.csv``).

    >>> page_fields(["发文字号：临政办发〔2024〕37号 | 发布日期：2024-12-06 |"])
    {'doc_number': '临政办发〔2024〕37号', 'published': '2024-12-06'}
    >>> page_fields(["发布机构： | 泸州市人民政府 | 成文日期： | 2015-03-16 |"])
    {'issuer': '泸州市人民政府', 'issued': '2015-03-16'}
    >>> page_fields(["文号：鄂发改规划〔2023〕156号 发布日期：2023年05月10日"])
    {'doc_number': '鄂发改规划〔2023〕156号', 'published': '2023年05月10日'}
    """
    # A field needs a colon after its label or a space or tab after a bare one: a line with
    # neither (most lines of prose) is not searched.
    return _fields_of([line for line in lines if any(mark in line for mark in _FIELD_MARKS)])


_FIELD_MARKS = ("：", ":", " ", "\t")


def page_fields_reference(lines: list[str]) -> dict[str, str]:
    """``page_fields`` searching every line: the reference implementation, kept until the
    line filter is proven (tests/extract/test_fast_targets.py compares the two)."""
    return _fields_of(lines)


def _fields_of(lines: list[str]) -> dict[str, str]:
    pattern, field_of = _field_pattern()
    found: dict[str, str] = {}
    for line in lines:
        if len(line) > 400:
            continue
        pos = 0
        while (m := pattern.search(line, pos)) is not None:
            name = field_of[re.sub(r"\s+", "", m.group("label") or m.group("bare"))]
            value = m.group("value")
            cut = _NEXT_LABEL.search(value)
            # the next field may follow on the same line ("文号：… 发布日期：…"): look again from there
            pos = m.start("value") + cut.start() if cut else m.end()
            value = (value[: cut.start()] if cut else value).strip(" •·")
            if value and name not in found:
                found[name] = value
            pos = max(pos, m.start() + 1)
    return found


# ---------------------------------------------------------------- titles
_MAX_TITLE_LINES = 3


def _title_blocks(lines: list[str]) -> list[tuple[int, int, str]]:
    """Title-shaped runs of 1–3 lines: (first line, last line, joined text).

    A title broken over lines ("…关于印发推进以县城为重要载体的城镇化" / "建设行动方案的通知")
    is joined; every line of a run is short and free of sentence punctuation, and the
    run ends where the joined text has a title's shape.
    """
    blocks: list[tuple[int, int, str]] = []
    stripped = [line.strip() for line in lines]
    # a line is tried by up to _MAX_TITLE_LINES runs: whether it can be a title's piece is
    # decided once per line (several pattern searches), not once per run
    is_piece: dict[int, bool] = {}
    i = 0
    while i < len(lines):
        found = None
        joined = ""
        for j in range(i, min(i + _MAX_TITLE_LINES, len(lines))):
            line = stripped[j]
            if j not in is_piece:
                is_piece[j] = _title_piece(line)
            if not is_piece[j] or (j > i and _TITLE_LINE.match(line) and not _is_open(joined)):
                break  # a whole title by itself starts its own block, unless the run is mid-phrase
            if j > i and _TITLE_END.search(joined):
                break  # "印发通知" already ends as a title would: it does not run on into the next line
            joined = _join_title(joined, line)
            if _TITLE_LINE.match(joined) and not joined.endswith("："):
                found = (i, j, joined)
                break
        if found:
            blocks.append(found)
            i = found[1] + 1
        else:
            i += 1
    return blocks


# a run that ends mid-phrase ("…建设和", "…关于印发") continues on the next line
_OPEN_END = re.compile(r"(?:[和及与的、暨]|关于|印发|转发)$")


def _is_open(joined: str) -> bool:
    """True when a run of title lines is mid-phrase: "…建设和", or a notice not yet closed
    ("…关于印发推进以县城为重要载体的城镇化")."""
    return bool(_OPEN_END.search(joined)) or (bool(re.search(r"关于|印发|转发", joined))
                                              and not _TITLE_END.search(joined))


def _title_piece(line: str) -> bool:
    return (0 < len(line) <= 150 and not re.search(r"[。；！？]", line) and not line.endswith("：")
            and not _DATE.search(line) and not _NUMBERED.match(line) and not page_fields([line]))


def _join_title(joined: str, line: str) -> str:
    if not joined:
        return line
    # two Chinese halves join without a space; a space stays between Latin words
    return joined + ("" if re.match(r"[\u4e00-\u9fff《（]", line) or re.search(r"[\u4e00-\u9fff》）]$", joined)
                     else " ") + line


# With 关于 the issuer is everything before the last "关于印发" (greedy); without it, before
# the first verb.
_NOTICES = (
    re.compile(r"^(?P<issuer>.*)关于(?P<verb>印发|转发|下发|颁发|发布)(?P<inner>.+?)的?(?:通知|决定|函)$"),
    re.compile(r"^(?P<issuer>.*?)(?P<verb>印发|转发|下发|颁发|发布)(?P<inner>.+?)的?(?:通知|决定|函)$"),
)
_LEADING_NUMBER = re.compile(rf"^{DOC_NUMBER}\s*")
_TRAILING_NUMBER = re.compile(rf"\s*{DOC_NUMBER}$")


@dataclass(frozen=True)
class _Notice:
    """A cover notice's title: who issues, what it issues ("…关于印发《X》的通知")."""

    issuer: str
    inner: str
    number: str | None


def _parse_notice(text: str) -> _Notice | None:
    """Read a cover notice title; None when ``text`` is not one.

    >>> _parse_notice("川办发〔2017〕27号《四川省人民政府办公厅关于印发四川省落户方案的通知》")
    _Notice(issuer='四川省人民政府办公厅', inner='四川省落户方案', number='川办发〔2017〕27号')
    """
    text = text.strip()
    number = None
    for pattern in (_LEADING_NUMBER, _TRAILING_NUMBER):
        m = pattern.search(text)
        if m:
            number = find_doc_number(m.group(0))
            text = (text[: m.start()] + text[m.end():]).strip()
    if text.startswith("《") and text.endswith("》"):
        text = text[1:-1]
    m = _NOTICES[0].match(text) or _NOTICES[1].match(text)
    if not m:
        return None
    inner = m.group("inner").strip()
    if inner.startswith("《") and inner.endswith("》"):
        inner = inner[1:-1]
    inner = _strip_title(inner)
    if len(_compact(inner)) < 4 or not _TITLE_END.search(inner):
        return None  # "甘肃省政府印发重要通知" is a headline, not a notice of a document
    issuer = re.sub(r"\s+", " ", m.group("issuer")).strip(" 《")
    return _Notice(issuer, inner, number)


def _find_notice(blocks: list[tuple[int, int, str]]) -> tuple[int | None, _Notice | None]:
    """The first cover-notice block, preferring one that names its issuer."""
    found = [(n, notice) for n, (_, _, text) in enumerate(blocks) if (notice := _parse_notice(text))]
    if not found:
        return None, None
    return next(((n, x) for n, x in found if x.issuer), found[0])


def _own_title(blocks: list[tuple[int, int, str]], notice_idx: int | None, notice: _Notice | None,
               fields: dict[str, str], lead: re.Match[str] | None) -> tuple[str | None, int | None]:
    """(The document's own title, its line index), not its cover notice's or a news headline.

    With a cover notice "…关于印发《X》的通知" the title is X, preferably as the document
    prints it again below the notice (with its bracketed period); without one it is the
    first title-shaped block, else the table's title, else the 《…》 of a news lead.
    """
    if notice is not None:
        wants = _title_keys(notice.inner)
        after = blocks[notice_idx + 1:] if notice_idx is not None else blocks
        for first, _, text in after:
            got = _title_keys(text)[0]
            if any(got == w or (len(got) >= 4 and (w.startswith(got) or got.startswith(w))) for w in wants):
                return _strip_title(_clean_title(text)), first
        return _clean_title(notice.inner), None
    for first, _, text in blocks:
        if not _is_headline_shape(text):
            return _strip_title(_clean_title(text)), first
    if fields.get("title"):
        return _strip_title(_clean_title(fields["title"])), None
    if lead is not None:  # "湖北省发改委下发《省发改委关于印发X的通知》": the document is X
        led = _parse_notice(lead.group("title"))
        return (_clean_title(led.inner) if led else _strip_title(lead.group("title"))), None
    return None, None


def _title_keys(title: str) -> list[str]:
    """Compact forms a title may be printed in again: as is, and from its 关于 on (a forwarded
    "国家发展改革委关于…意见" is printed as "关于…的意见"), both without 的.

    >>> _title_keys("国家发展改革委关于促进特色小镇规范健康发展意见")
    ['促进特色小镇规范健康发展意见', '国家发展改革委关于促进特色小镇规范健康发展意见']
    """
    key = _compact(title).replace("的", "")
    about = key.split("关于", 1)[1] if "关于" in key else None
    return [about, key] if about else [key]


def _clean_title(title: str) -> str:
    """No table label, no doc number, one space at most between words."""
    title = re.sub(r"^(?:标\s*题|题\s*目|题|名\s*称|附件\s*\d*)\s*[：:]?\s*", "", title.strip())
    title = _TRAILING_NUMBER.sub("", _LEADING_NUMBER.sub("", title))
    return re.sub(r"(?<=[^\sA-Za-z])\s+|\s+(?=[^\sA-Za-z])", "", title).strip()


def _is_headline_shape(text: str) -> bool:
    # a news headline reports an act: "贵州省发改委印发《…》", "…召开…会议"
    return bool(re.search(r"印发|发布|出台|召开|部署", text)) and "关于" not in text


def _headline(blocks: list[tuple[int, int, str]], notice_idx: int | None, title_idx: int | None,
              title: str | None) -> str | None:
    """A title-shaped line before the document's cover notice (or title) that is neither."""
    end = notice_idx if notice_idx is not None else None
    for n, (first, _, text) in enumerate(blocks):
        if end is not None and n >= end:
            break
        if title_idx is not None and first >= title_idx:
            break
        if title is not None and _compact(text) == _compact(title):
            continue
        notice = _parse_notice(text)
        if notice is not None and title is not None and _title_keys(notice.inner)[0] in _title_keys(title):
            continue  # the same cover notice printed twice, once without its issuer
        return text
    return None


def _strip_title(title: str) -> str:
    title = title.strip()
    if title.startswith("《") and title.endswith("》"):
        title = title[1:-1]
    return title


# Every lead has its verb right before the 《: a text without that is not searched (the search
# tries every position after a ，/。/line break, 40% of the metadata stage).
_LEAD_VERB = re.compile(r"(?:印发|下发|发出|发布|公布|出台|公开)了?《")


def _find_lead(text: str) -> re.Match[str] | None:
    """The first news lead ("…近日印发了《…》"), or None; ``_LEAD_ISSUE.search(text)``."""
    return _LEAD_ISSUE.search(text) if _LEAD_VERB.search(text) else None


# ---------------------------------------------------------------- dates
# A date that lost its separators in scraping ("2023614"): year, then month and day
# digits, read only where a date must stand and only when one reading is a valid date.
_DIGITS_DATE = re.compile(r"^((?:19|20)\d{2})(\d{3,4})$")


def repair_digits_date(digits: str) -> pd.Timestamp | None:
    """The one valid date a separator-less "YYYYMDD" can be; None when none or several.

    >>> repair_digits_date("2023614"), repair_digits_date("2021416")
    (Timestamp('2023-06-14 00:00:00'), Timestamp('2021-04-16 00:00:00'))
    >>> repair_digits_date("2023111") is None    # 1月11日 or 11月1日
    True
    """
    m = _DIGITS_DATE.match(digits.strip())
    if not m:
        return None
    year, rest = int(m.group(1)), m.group(2)
    readings = set()
    for cut in (1, 2):
        month, day = rest[:cut], rest[cut:]
        if len(day) in (1, 2) and not (len(day) == 2 and day[0] == "0" and len(rest) == 3):
            try:
                readings.add(pd.Timestamp(year, int(month), int(day)))
            except ValueError:
                pass
    return readings.pop() if len(readings) == 1 else None


@dataclass(frozen=True)
class _Signature:
    issuer: str
    date: pd.Timestamp | None
    line: int


def _signature(lines: list[str], problems: list[tuple[str, str]]) -> _Signature | None:
    """The signature: organisation line(s), then a date line (possibly separator-less)."""
    for i in range(1, len(lines)):
        org = lines[i - 1].strip()
        # the length first: most lines are prose, longer than any organisation's name, and
        # the suffix search tries every position of the line
        if not (len(org) <= 40 and _ORG_SUFFIX.search(org) and not re.search(r"[。；，：]", org)):
            continue
        line = lines[i].strip()
        if _DATE_LINE.match(line):
            return _Signature(org, parse_date(line), i)
        repaired = repair_digits_date(line)
        if repaired is not None:
            problems.append(("damaged_date", f"signature date '{line}' read as {repaired.date()}"))
            return _Signature(org, repaired, i)
    return None


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


def _published(fields: dict[str, str], front_matter: dict, removed_lines: list[str],
               lead: re.Match[str] | None, year: int | None) -> pd.Timestamp | None:
    # the page's own 发布时间 bar or table is the most precise statement
    if fields.get("published") and (when := parse_date(fields["published"], year)) is not None:
        return when
    for line in removed_lines:
        m = re.search(r"(?:发布|发稿|公开)(?:时间|日期)[：:]\s*(.{6,20})", line)
        if m and (when := parse_date(m.group(1), year)) is not None:
            return when
    if lead is not None and lead.group("verb") in ("发布", "公布", "公开") and lead.group("date"):
        when = parse_date(lead.group("date"), year)
        if when is not None:
            return when
    return _front_matter_date(front_matter.get("date"))


def _issued(signature: _Signature | None, fields: dict[str, str], lines: list[str], title_idx: int | None,
            lead: re.Match[str] | None, year: int | None,
            problems: list[tuple[str, str]]) -> pd.Timestamp | None:
    if signature is not None and signature.date is not None:
        return signature.date
    if fields.get("issued"):
        when = parse_date(fields["issued"])
        if when is None and (when := repair_digits_date(fields["issued"])) is not None:
            problems.append(("damaged_date", f"成文日期 '{fields['issued']}' read as {when.date()}"))
        if when is not None:
            return when
    # The first standalone date line after the cover notice or title, bracketed or not:
    # "（2021年12月3日）", or a notice's date line with no signature above it
    for line in lines[(title_idx or 0):]:
        if _DATE_LINE.match(line.strip("（）() ")):
            return parse_date(line)
    if lead is not None and lead.group("verb") in ("印发", "下发", "发出", "出台") and lead.group("date"):
        return parse_date(lead.group("date"), year)
    return None


# ---------------------------------------------------------------- issuer, level, region
_ISSUER_JUNK = re.compile(r"^(?:发文机关|发布机构|标\s*题|题)\s*[：:]\s*|(?:关于|印发)+$")


def _issuer(notice: _Notice | None, signature: _Signature | None, fields: dict[str, str],
            title: str | None, lead: re.Match[str] | None) -> str | None:
    """The issuing body as the document names it (never a label, 关于, 印发 or a doc number)."""
    candidates = [
        notice.issuer if notice else None,
        signature.issuer if signature else None,
        fields.get("issuer"),
        title.split("关于", 1)[0] if title and "关于" in title else None,
        lead.group("who") if lead is not None else None,
    ]
    for who in candidates:
        if not who:
            continue
        who = _ISSUER_JUNK.sub("", _LEADING_NUMBER.sub("", who.strip())).strip(" 《")
        if 2 <= len(who) <= 60 and not re.search(r"[《》〔〕：|]", who):
            return who
    return None


# "江南省人民政府办公厅": a province written plainly, whether or not the gazetteer knows it
_PROVINCE_ISSUER = re.compile(r"^([\u4e00-\u9fff]{2,6}?(?:省|自治区))(?=人民政府|政府|委员会|党委|[\u4e00-\u9fff]{0,12}(?:厅|委|局|办))")
_COUNTY_ISSUER = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,8}?[省市州盟])?((?:(?!自治区|特区|新区)[\u4e00-\u9fff]){1,6}?(?:县|旗|区))"
    r"(?=人民政府|政府|委员会|委|党委|人大|政协|[\u4e00-\u9fff]{1,10}(?:局|办|委|室))"
)


def _level_and_region(issuer: str | None, title: str | None, head: list[str], headline: str | None,
                      text: str) -> tuple[str | None, str | None, str | None]:
    """(level, region, province) from the issuer first, never from the addressee line."""
    # the addressee line ("各省、自治区、直辖市…：") names where the document goes, not who issues it
    context = "\n".join(line for line in head if not line.endswith("：") and not line.startswith("各"))[:600]
    issuers = [re.sub(r"^中共", "", part) for part in (issuer or "").split()] or [""]
    found = first_region(*issuers)
    national = _NATIONAL_ISSUER.match(issuers[0]) or is_national_body(issuers[0])
    if issuer and national and (found is None or found.name not in issuer):
        return "national", NATIONAL, None
    for who in issuers:
        county = _COUNTY_ISSUER.match(who)
        if county:  # counties are too many for the gazetteer; their issuers name them plainly
            other = first_region(who, title, context, headline)
            return "county", county.group(1), other.province if other else None
    region = found or first_region(title, context, headline)
    province = _PROVINCE_ISSUER.match(issuers[0])
    if region is None and province:
        return "provincial", province.group(1), province.group(1)
    if region is None and issuers[0][:1] in ("市", "县", "区"):
        return {"市": "municipal"}.get(issuers[0][0], "county"), None, None  # "市政府关于…", place unnamed
    if region is None:
        return _level_from_bodies(text), None, None
    if issuers[0].startswith(("省", "自治区")) and region.level != "province":
        return "provincial", region.province, region.province
    level = {"province": "provincial", "prefecture": "municipal", "county": "county"}.get(region.level)
    return level, region.name, region.province


_BODY_LEVELS = (
    ("provincial", re.compile(r"省[\u4e00-\u9fff]{1,10}?厅|省委|省政府")),
    ("municipal", re.compile(r"市[\u4e00-\u9fff]{1,10}?局|市委|市政府")),
    ("county", re.compile(r"县[\u4e00-\u9fff]{1,10}?局|县委|县政府")),
)


def _level_from_bodies(text: str) -> str | None:
    """A fragment without a header: the level of the bodies it names most (省…厅 → provincial)."""
    counts = {level: len(pattern.findall(text[:20000])) for level, pattern in _BODY_LEVELS}
    best = max(counts, key=counts.get)
    return best if counts[best] else None


# ---------------------------------------------------------------- document number
# A 发文字号 that lost its brackets and 号 in scraping ("六政办秘202355"): issuer code,
# a plausible year, a serial.  Read only on a line of its own near the title.
_DIGITS_NUMBER = re.compile(r"^([\u4e00-\u9fff]{2,10}?)((?:19|20)\d{2})(\d{1,4})号?$")


def repair_doc_number(text: str) -> str | None:
    """The 发文字号 a bracket-less line stands for, or None.

    >>> repair_doc_number("六政办秘202355")
    '六政办秘〔2023〕55号'
    """
    m = _DIGITS_NUMBER.match(text.strip())
    return f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号" if m else None


def _own_number(head: list[str], fields: dict[str, str], notice: _Notice | None,
                blocks: list[tuple[int, int, str]], title_idx: int | None, notice_idx: int | None,
                removed_lines: list[str], problems: list[tuple[str, str]]) -> str | None:
    if fields.get("doc_number"):
        number = find_doc_number(fields["doc_number"])
        if number:
            return number
    if notice is not None and notice.number:
        return notice.number
    anchors = [blocks[notice_idx][1]] if notice_idx is not None else []
    anchors += [title_idx] if title_idx is not None else []
    for anchor in anchors or [0]:
        for line in head[anchor:anchor + 6]:
            stripped = line.strip("（）() ")
            if is_doc_number(stripped):
                return find_doc_number(stripped)
            repaired = repair_doc_number(stripped)
            if repaired:
                problems.append(("damaged_doc_number", f"'{stripped}' read as {repaired}"))
                return repaired
    for line in removed_lines:  # "PDF版本下载：庆政办发〔2022〕44号" names the page's own document
        if "下载" in line and (number := find_doc_number(line)):
            return number
    return None
