"""Time expressions in clean policy text.

``Corpus.dates`` (``DATE_COLUMNS``) comes out of this stage: every dated expression with a
kind (deadline, target_year, baseline, period, relative, ongoing, mention), traceable to
character offsets of the clean document text (``text[start:end]`` is always the ``text``
column).  Citations (``Corpus.references``) are in ``urbanpolicy.extract.citations``.

Conventions for the ``date`` column (documented once, used everywhere):

* day precision: that day.
* year / month / quarter precision: the LAST day of the period when the kind is
  ``deadline`` or ``target_year`` ("到2025年" -> 2025-12-31, "6月底前" ->
  06-30), the FIRST day otherwise ("2021年是…开局之年" -> 2021-01-01).
  An explicit 底/末 ("2020年末", "截至2021年底") always means the last day and
  初 the first day, whatever the kind: the text says which end it means;
  上旬/中旬/下旬 narrow a month to days 1–10, 11–20, 21–end.
* ``period``: ``date`` is the first day of the period, ``end_date`` its last
  day ("十四五" -> 2021-01-01 .. 2025-12-31, "2022年1月1日至12月31日" ->
  2022-01-01 .. 2022-12-31). ``end_date`` is NaT for every other kind. The end
  of a plan ("到“十四五”末") is a point: target_year 2025-12-31 (baseline when
  it lies before the document year).
* ``relative`` ("经过5年的努力"): issue date plus the duration
  (issued 2024-07-28 -> 2029-07-28) with precision ``year`` (or ``month`` for
  "N个月"), because the duration itself is only approximate ("今后5年",
  "用3年左右时间", "3个月内" are relative too). Without an issue
  date, the last day of ``doc_year + N`` is used; without either, NaT.
* ``ongoing`` ("持续推进", "长期坚持"): date NaT, precision NA.

A date standing alone, such as the signature line "2021年7月15日" under the
issuing office, is kept as a ``mention``; the metadata stage owns the
``issued`` row and can drop mentions equal to the issue date if it wants to.
Deadlines and targets that lie before the document year ("2000年底前建成的")
are cut-offs, not schedule items, and are downgraded to ``mention``.

Each pattern family is one compiled regex, tried only within its reach of the
characters every match of it holds (年, 月, 五 …: ``patterns.BoundedPattern``), which
gives what ``finditer`` over the whole text gives (``date_rows_reference``);
overlapping candidates are resolved longest-first, so the work is linear in the
text length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

import cn2an
import numpy as np
import pandas as pd

from urbanpolicy import schema
from urbanpolicy.extract.patterns import (
    CN_YEAR_DIGITS,
    FULLWIDTH_DIGIT,
    FULLWIDTH_DIGITS,
    PLAN_NUMBER,
    BoundedPattern,
    year_in_window,
)
from urbanpolicy.extract.structure import TaskSpans

DATE_COLUMNS = schema.columns("dates")

KINDS = ("deadline", "target_year", "baseline", "period", "relative", "ongoing", "mention")


_CN_DIGITS = CN_YEAR_DIGITS
_CN_NUM = "〇零一二三四五六七八九十两"
_MONTH_CN = "十[一二]?|[一二三四五六七八九]"
_DAY_CN = "[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"

# Cue words before a date.  A due-date cue (请于…) makes any date a deadline.
_DUE_PRE = ("请于", "须于", "需于", "应于", "务必于")
_DEADLINE_PRE = (*_DUE_PRE, "并于", "于", "在", "力争在", "争取在")
_TARGET_PRE = ("到", "至", "直到", "争取到", "力争到", "力争", "争取")
_BASELINE_PRE = ("截至", "截至到", "截止", "截止到")

# All cues as one alternation, longest first (力争到 before 力争).
_PRE = "|".join(sorted((*_DEADLINE_PRE, *_TARGET_PRE, *_BASELINE_PRE), key=len, reverse=True))
_PRE_FIRST = "".join(sorted({w[0] for w in _PRE.split("|")}))

# Each family regex starts with a lookahead for the characters a match can begin with.
# It does not change what matches, but lets the engine reject most positions with one
# class test instead of trying every optional prefix and lookbehind there (5-10x faster).

# Family 1: absolute dates. ISO (2022-04-02), Y年[M月[D日]], or year-less M月D日 /
# M月底前 (year-less forms need Arabic digits: "七月" alone is too ambiguous).
_ABSOLUTE_RE = re.compile(
    rf"(?=[{_PRE_FIRST}\d{_CN_DIGITS}])"
    rf"(?:(?P<pre>{_PRE})[ \u3000]?)?"
    r"(?:"
    r"(?<![\d.])(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?!\d)"
    r"|"
    rf"(?<![\d.])(?P<y>\d{{4}}|[{_CN_DIGITS}]{{4}})(?!\d)[ \u3000]?年(?!代)度?"
    rf"(?:(?P<m>\d{{1,2}}|{_MONTH_CN})[ \u3000]?月"
    rf"(?:(?P<d>\d{{1,2}}|{_DAY_CN})[ \u3000]?[日号])?)?"
    r"|"
    r"(?<![\d.年])(?P<m2>\d{1,2})月(?:(?P<d2>\d{1,2})[日号]|(?=底|末|初|前|中旬|上旬|下旬))"
    r")"
    r"(?P<edge>底|末|初|上旬|中旬|下旬)?"
    r"(?P<suf>以前|之前|以来|以内|前|内)?"
)

# Family 2: explicit year ranges, "2021—2035年", "2021年至2025年".
_RANGE_RE = re.compile(
    rf"(?=[\d{_CN_DIGITS}])(?<![\d.])(?P<y1>\d{{4}}|[{_CN_DIGITS}]{{4}})(?!\d)[ \u3000]?年?[ \u3000]?"
    r"(?:[—–\-－~～]{1,2}|至|到)[ \u3000]?"
    rf"(?P<y2>\d{{4}}|[{_CN_DIGITS}]{{4}})(?!\d)[ \u3000]?年"
)

# Family 2b: month/day ranges, "2022年1月1日至12月31日", "2021年7月—2022年6月".
_YMD_START = (
    rf"(?<![\d.])(?P<y1>\d{{4}}|[{_CN_DIGITS}]{{4}})(?!\d)[ \u3000]?年"
    rf"(?P<m1>\d{{1,2}}|{_MONTH_CN})[ \u3000]?月(?:(?P<d1>\d{{1,2}}|{_DAY_CN})[ \u3000]?[日号])?"
)
_YMD_END = (
    rf"(?:(?P<y2>\d{{4}}|[{_CN_DIGITS}]{{4}})(?!\d)[ \u3000]?年)?"
    rf"(?P<m2>\d{{1,2}}|{_MONTH_CN})[ \u3000]?月(?:(?P<d2>\d{{1,2}}|{_DAY_CN})[ \u3000]?[日号])?"
)
_DATE_RANGE_RE = re.compile(rf"(?=[\d{_CN_DIGITS}])" + _YMD_START + r"[ \u3000]?(?:[—–\-－~～]{1,2}|至|到)[ \u3000]?" + _YMD_END)

# Family 3: five-year plans. 十X五 (十一五 … 十九五) anywhere except inside a
# longer numeral; bare 十五 (the 10th plan) only when quoted, because "（十五）"
# is a common section label.
_PLAN_RE = re.compile(
    r"(?=[到截“\"‘「十])"
    r"(?P<pre>到|截至|截止到?)?"
    r"(?<![一二三四五六七八九十第])"
    rf"(?:[“\"‘「]?十(?P<x>{PLAN_NUMBER})五[”\"’」]?|[“\"‘「]十五[”\"’」])"
    r"(?P<suf>时期|期间|规划期|以来|期末|末期|末)?"
)

# Family 4: quarters, "第三季度", "2021年一季度末前". "每季度" has no number.
_QUARTER_RE = re.compile(
    rf"(?=[{_PRE_FIRST}\d{_CN_DIGITS}第1-4])"
    rf"(?:(?P<pre>{_PRE})[ \u3000]?)?"
    rf"(?:(?<![\d.])(?P<y>\d{{4}}|[{_CN_DIGITS}]{{4}})(?!\d)[ \u3000]?年)?"
    r"(?<![每各本上])第?(?P<q>[一二三四1-4])季度"
    r"(?P<edge>末|底|初)?(?P<suf>以前|之前|以内|前|内)?"
)

# Family 5: year-less cues anchored on the document year: 年内, 年底前, 今年底, 明年.
_THIS_YEAR_RE = re.compile(
    rf"(?=[今本当明年])(?<![\d{_CN_NUM}几多个近每年])"
    r"(?P<w>今|本|当|明)?年度?(?P<c>内|底前|末前|底|末)"
)

# Family 6: durations resolved against the issue date.
_RELATIVE_RE = re.compile(
    rf"(?=[再经力争通利今未用在\d{_CN_NUM}])"
    r"(?P<pre>再经过|经过|力争用|争取用|再用|通过|利用|力争|争取|今后|未来|用|在)?"
    rf"(?<![\d.{_CN_NUM}])(?P<n>\d{{1,2}}|[{_CN_NUM}]{{1,3}})(?P<unit>个月|年)"
    r"(?:左右)?的?(?P<suf>时间|努力|以内|内)?"
)

# Family 7: open-ended commitments. "可持续" (sustainable) is not one.
_ONGOING_RE = re.compile(
    r"(?<!可)(?:长期(?:坚持|推进|开展|实施)"
    r"|持续(?:推进|推动|开展|深化|实施|加强|加大|优化|改善|提升|完善|做好|抓好|强化|促进|提高)"
    r"|常态化(?:推进|开展)|久久为功)"
)


# A family's matches in the text being read (``regex.finditer`` or an anchored equivalent).
Finder = Callable[[re.Pattern[str]], Iterable[re.Match[str]]]


@dataclass(frozen=True)
class _Hit:
    """One candidate expression before overlap resolution."""

    start: int
    end: int
    date: pd.Timestamp | None
    precision: str | None
    kind: str
    end_date: pd.Timestamp | None = None


# ---------------------------------------------------------------- numerals


@lru_cache(maxsize=4096)  # a pure function of a few hundred distinct numbers per corpus
def _to_int(s: str) -> int:
    """Convert Arabic or Chinese numerals to int.

    >>> _to_int("二〇二四"), _to_int("二十八"), _to_int("两"), _to_int("07")
    (2024, 28, 2, 7)
    """
    s = s.translate(FULLWIDTH_DIGITS).strip()
    if s.isdigit():
        return int(s)
    return int(cn2an.cn2an(s, "smart"))


@lru_cache(maxsize=4096)  # a pure function of a few hundred distinct numbers per corpus
def _plausible_year(s: str) -> bool:
    """True for a four-digit group that reads as a year in the settings' window (1900–2100).

    〇〇〇〇 or 一二三四 are not years.

    >>> _plausible_year("二〇二四"), _plausible_year("一二三四"), _plausible_year("〇〇〇〇")
    (True, False, False)
    """
    try:
        return year_in_window(_to_int(s))
    except ValueError:
        return False


_YEAR_GROUPS = ("y", "iy", "y1", "y2")


def _matches(matches: Iterable[re.Match[str]]) -> Iterator[re.Match[str]]:
    """``matches`` without those whose year groups are not plausible years."""
    for m in matches:
        groups = m.groupdict()
        if all(_plausible_year(groups[g]) for g in _YEAR_GROUPS if groups.get(g)):
            yield m


@lru_cache(maxsize=4096)  # a pure function of a few hundred distinct numbers per corpus
def _period_bounds(year: int, month: int | None = None, quarter: int | None = None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of a year, month or quarter.

    >>> _period_bounds(2023, month=2)
    (Timestamp('2023-02-01 00:00:00'), Timestamp('2023-02-28 00:00:00'))
    """
    if quarter is not None:
        first = pd.Timestamp(year, 3 * quarter - 2, 1)
        return first, first + pd.offsets.QuarterEnd(0)
    if month is not None:
        first = pd.Timestamp(year, month, 1)
        return first, first + pd.offsets.MonthEnd(0)
    return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)


def _pick(bounds: tuple[pd.Timestamp, pd.Timestamp], kind: str, edge: str | None) -> pd.Timestamp:
    """Choose the end of a period per the module convention (see module docstring)."""
    if edge in ("底", "末"):
        return bounds[1]
    if edge == "初":
        return bounds[0]
    return bounds[1] if kind in ("deadline", "target_year") else bounds[0]


# ---------------------------------------------------------------- parse one


_SINGLE_RE = re.compile(
    r"^\s*(?:"
    r"(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})"
    r"|"
    rf"(?:(?P<y>\d{{4}}|[{_CN_DIGITS}]{{4}})\s*年)?"
    rf"(?:(?P<m>\d{{1,2}}|{_MONTH_CN})\s*月(?:(?P<d>\d{{1,2}}|{_DAY_CN})\s*[日号]?)?)?"
    r")\s*$"
)


def parse_date_expression(
    s: str, default_year: int | None = None
) -> tuple[pd.Timestamp | None, str | None]:
    """Parse one written date into ``(Timestamp, precision)``; ``(None, None)`` if not a date.

    Year and month precisions give the first day of the period. Year-less
    dates take ``default_year``.

    >>> parse_date_expression("二〇二四年七月二十八日")
    (Timestamp('2024-07-28 00:00:00'), 'day')
    >>> parse_date_expression("6月11日", default_year=2021)
    (Timestamp('2021-06-11 00:00:00'), 'day')
    >>> parse_date_expression("2021年6月")
    (Timestamp('2021-06-01 00:00:00'), 'month')
    """
    if not s:
        return None, None
    m = _SINGLE_RE.match(s.translate(FULLWIDTH_DIGITS))
    if not m or not all(_plausible_year(m[g]) for g in ("y", "iy") if m[g]):
        return None, None
    if m["iy"]:
        return _make(_to_int(m["iy"]), int(m["im"]), int(m["id"]))
    if not (m["y"] or m["m"]):
        return None, None
    year = _to_int(m["y"]) if m["y"] else default_year
    if year is None:
        return None, None
    month = _to_int(m["m"]) if m["m"] else None
    day = _to_int(m["d"]) if m["d"] else None
    return _make(year, month, day)


@lru_cache(maxsize=4096)  # a pure function of a few hundred distinct numbers per corpus
def _make(year: int, month: int | None, day: int | None) -> tuple[pd.Timestamp | None, str | None]:
    """Build a Timestamp, returning (None, None) for impossible dates like 13月 or 2月30日."""
    try:
        if day is not None and month is not None:
            return pd.Timestamp(year, month, day), "day"
        if month is not None:
            return pd.Timestamp(year, month, 1), "month"
        return pd.Timestamp(year, 1, 1), "year"
    except ValueError:
        return None, None


# ---------------------------------------------------------------- families


def _absolute_kind(pre: str | None, edge: str | None, suf: str | None, precision: str) -> str:
    """Kind of an absolute date from its cue words.

    "请于…前" / "…月底前" -> deadline; "到2025年" / "2025年前" -> target_year;
    "截至…" / "2020年末" / "…以来" -> baseline; anything else -> mention.
    """
    if pre in _BASELINE_PRE or suf == "以来":
        return "baseline"
    if suf in ("前", "以前", "之前", "内", "以内"):
        if precision == "year" and edge is None and pre not in _DEADLINE_PRE:
            return "target_year"
        return "deadline"
    if pre in _TARGET_PRE:
        return "target_year" if precision == "year" else "deadline"
    if edge in ("底", "末") and precision == "year":
        return "baseline"
    if pre in _DUE_PRE:
        return "deadline"
    return "mention"


# A quantity in the same clause: digits (or Chinese numerals) followed by a unit.
_CLAUSE_QUANTITY = re.compile(
    r"[^，。；：！？\n]{0,40}?(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*(?:万|亿)?"
    r"(?:个|套|户|所|项|座|处|家|条|辆|公里|千米|米|亩|平方米|人|名|张|吨|%|％|倍|栋|幢|间|床|站)"
)
# What follows a year that opens a plan sentence rather than a fact or a clause about the past.
_ACTION_AFTER_YEAR = re.compile(r"(?:力争|计划|全年|全省|全市|全国|新|完成|实现|建成|开工|培育|创建|推进|改造|新增)")


def _governs_quantity(norm: str, end: int) -> bool:
    """True when a bare "YYYY年" opens a clause that sets a quantity ("2021年新开工…2601个").

    The year must be followed at once by an action word and a quantity later in the same
    clause, so "2021年是开局之年" and "2020年全国常住人口…" (no action) stay mentions.
    """
    return bool(_ACTION_AFTER_YEAR.match(norm, end) and _CLAUSE_QUANTITY.match(norm, end))


def _demote_past(kind: str, date: pd.Timestamp | None, ref_year: int | None) -> str:
    """A deadline or target before the document year is a cut-off, kept as a mention."""
    if kind in ("deadline", "target_year") and date is not None and ref_year and date.year < ref_year:
        return "mention"
    return kind


_DEKADS = {"上旬": 0, "中旬": 1, "下旬": 2}


def _dekad_bounds(month_start: pd.Timestamp, edge: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of 上旬 (1–10), 中旬 (11–20) or 下旬 (21–end) of a month.

    >>> _dekad_bounds(pd.Timestamp(2022, 2, 1), "下旬")
    (Timestamp('2022-02-21 00:00:00'), Timestamp('2022-02-28 00:00:00'))
    """
    index = _DEKADS[edge]
    first = month_start + pd.Timedelta(days=10 * index)
    last = month_start + pd.offsets.MonthEnd(0) if index == 2 else first + pd.Timedelta(days=9)
    return first, last


def _tight_start(m: re.Match[str], norm: str, kind: str) -> int:
    """Start of the written expression: cue words that carry the kind stay, grammar goes.

    A bare 于/在 is grammar ("要于2023年12月底前" is written "2023年12月底前"),
    and 到/至 say nothing once the expression is only a mention; 请于/截至/到 stay.
    """
    start, pre = m.start(), m["pre"]
    if pre in ("于", "在") or (kind == "mention" and pre in ("到", "至")):
        start += len(pre)
        while norm[start] in " \u3000":
            start += 1
    return start


def _absolute_hits(norm: str, doc_year: int | None, find: Finder) -> Iterator[_Hit]:
    """Absolute dates: ISO, Y年M月D日, Y年M月, Y年, and year-less M月D日 / M月底前."""
    for m in _matches(find(_ABSOLUTE_RE)):
        pre, edge, suf = m["pre"], m["edge"], m["suf"]
        if m["iy"]:
            year, month, day = _to_int(m["iy"]), int(m["im"]), int(m["id"])
        elif m["y"]:
            year = _to_int(m["y"])
            month = _to_int(m["m"]) if m["m"] else None
            day = _to_int(m["d"]) if m["d"] else None
        else:
            if doc_year is None and not m["d2"] and not (edge or suf):
                continue
            year = doc_year
            month = int(m["m2"])
            day = int(m["d2"]) if m["d2"] else None
        if year is None:  # year-less date in a document whose year is unknown
            ts, precision = _make(2000, month, day)  # validate only (2000 is a leap year)
            if ts is None:
                continue
            kind = _absolute_kind(pre, edge, suf, precision)
            yield _Hit(_tight_start(m, norm, kind), m.end(), None, precision, kind)
            continue
        ts, precision = _make(year, month, day)
        if ts is None:
            continue
        if "内" == suf and precision == "day":
            suf = None  # "7月21日内" reads as "by", same as 前
        kind = _absolute_kind(pre, edge, suf, precision)
        if (kind == "mention" and precision == "year" and (doc_year is None or year >= doc_year)
                and _governs_quantity(norm, m.end())):
            kind = "target_year"  # "2021年新开工改造老旧小区2601个": the year a quantity is for
        if precision != "day":
            bounds = _period_bounds(year, month)
            if edge in _DEKADS and month is not None:
                bounds, edge = _dekad_bounds(bounds[0], edge), None
            ts = _pick(bounds, kind, edge)
        kind = _demote_past(kind, ts, doc_year)
        yield _Hit(_tight_start(m, norm, kind), m.end(), ts, precision, kind)


def _range_hits(norm: str, find: Finder) -> Iterator[_Hit]:
    """Explicit year ranges → period rows; surrounding （…） is part of the expression."""
    for m in _matches(find(_RANGE_RE)):
        y1, y2 = _to_int(m["y1"]), _to_int(m["y2"])
        if y2 < y1:
            continue
        start, end = m.start(), m.end()
        if start > 0 and end < len(norm) and norm[start - 1] in "（(" and norm[end] in "）)":
            start, end = start - 1, end + 1
        yield _Hit(start, end, pd.Timestamp(y1, 1, 1), "year", "period", pd.Timestamp(y2, 12, 31))


def _date_range_hits(norm: str, find: Finder) -> Iterator[_Hit]:
    """Month or day ranges → period rows: first day of the start, last day of the end."""
    for m in _matches(find(_DATE_RANGE_RE)):
        y1 = _to_int(m["y1"])
        y2 = _to_int(m["y2"]) if m["y2"] else y1
        m1, m2 = _to_int(m["m1"]), _to_int(m["m2"])
        first, precision = _make(y1, m1, _to_int(m["d1"]) if m["d1"] else None)
        last, _ = _make(y2, m2, _to_int(m["d2"]) if m["d2"] else None)
        if first is None or last is None:
            continue
        if not m["d2"]:
            last = last + pd.offsets.MonthEnd(0)
        if last < first:
            continue
        yield _Hit(m.start(), m.end(), first, precision, "period", last)


def plan_years(number: int) -> tuple[int, int]:
    """Years covered by the N-th five-year plan.

    The 1st and 2nd ran 1953–1962; after the 1963–1965 adjustment years the 3rd
    began in 1966 and the plans have been back to back since.

    >>> plan_years(10), plan_years(14), plan_years(15)
    ((2001, 2005), (2021, 2025), (2026, 2030))
    """
    first = 1953 + 5 * (number - 1) if number <= 2 else 1966 + 5 * (number - 3)
    return first, first + 4


def _plan_hits(norm: str, doc_year: int | None, find: Finder) -> Iterator[_Hit]:
    """Five-year plans: “十四五”, 十三五以来, “十四五”时期 → period rows.

    The END of a plan ("到“十四五”末", "“十三五”末") is a point, not a period:
    target_year when introduced by 到 or still ahead of the document, else baseline.
    """
    for m in find(_PLAN_RE):
        number = 10 + _to_int(m["x"]) if m["x"] else 10
        y1, y2 = plan_years(number)
        end = pd.Timestamp(y2, 12, 31)
        pre, suf = m["pre"], m["suf"] or ""
        if "末" in suf:
            if pre in _BASELINE_PRE or (pre != "到" and doc_year is not None and y2 < doc_year):
                kind = "baseline"
            else:
                kind = "target_year"
            yield _Hit(m.start(), m.end(), end, "year", kind)
            continue
        start = m.start() + len(pre or "")  # "到" only belongs to a plan's end
        yield _Hit(start, m.end(), pd.Timestamp(y1, 1, 1), "year", "period", end)


def _quarter_hits(norm: str, doc_year: int | None, find: Finder) -> Iterator[_Hit]:
    """Quarters: a schedule item, so deadline (last day of the quarter) unless 截至 (baseline)."""
    if "季度" not in norm:  # every match has it; most texts have none, so skip the scan
        return
    for m in _matches(find(_QUARTER_RE)):
        year = _to_int(m["y"]) if m["y"] else doc_year
        quarter = _to_int(m["q"])
        if not 1 <= quarter <= 4:
            continue
        kind = "baseline" if m["pre"] in _BASELINE_PRE else "deadline"
        if year is None:
            yield _Hit(_tight_start(m, norm, kind), m.end(), None, "quarter", kind)
            continue
        ts = _pick(_period_bounds(year, quarter=quarter), kind, m["edge"])
        kind = _demote_past(kind, ts, doc_year)
        yield _Hit(_tight_start(m, norm, kind), m.end(), ts, "quarter", kind)


def _this_year_hits(norm: str, doc_year: int | None, find: Finder) -> Iterator[_Hit]:
    """年内 / 年底前 / 今年底 / 明年内 → deadline at the end of the document year (or next)."""
    for m in find(_THIS_YEAR_RE):
        if m["c"] in ("底", "末") and not m["w"]:
            continue  # bare "年底" is usually "每年年底"-style routine, not a date
        year = None if doc_year is None else doc_year + (1 if m["w"] == "明" else 0)
        ts = None if year is None else pd.Timestamp(year, 12, 31)
        yield _Hit(m.start(), m.end(), ts, "year", "deadline")


def _relative_hits(norm: str, issued: pd.Timestamp | None, doc_year: int | None,
                   find: Finder) -> Iterator[_Hit]:
    """"经过5年的努力", "用3年左右时间", "力争两年内" → issue date + duration."""
    for m in find(_RELATIVE_RE):
        pre, suf = m["pre"], m["suf"]
        # "居住5年以上" or "5年" alone is a duration, not a horizon: require a cue.
        # "N个月内" is a horizon on its own; "近5年内" looks back, so years need more.
        months = m["unit"] == "个月"
        if not (
            (pre and suf)
            or suf in ("时间", "努力")
            or pre in ("经过", "再经过", "今后", "未来")
            or (months and suf in ("内", "以内"))
        ):
            continue
        try:
            n = _to_int(m["n"])
        except (ValueError, KeyError):
            continue
        if not 0 < n <= 30:
            continue
        precision = "month" if months else "year"
        if issued is not None and not pd.isna(issued):
            offset = pd.DateOffset(months=n) if months else pd.DateOffset(years=n)
            ts = pd.Timestamp(issued).normalize() + offset
        elif doc_year is not None and not months:
            ts = pd.Timestamp(doc_year + n, 12, 31)
        else:
            ts = None
        start = m.start()
        if pre in ("在",):
            start += len(pre)
        yield _Hit(start, m.end(), ts, precision, "relative")


def _ongoing_hits(norm: str, find: Finder) -> Iterator[_Hit]:
    """"持续推进", "长期坚持" → ongoing, no date."""
    for m in find(_ONGOING_RE):
        yield _Hit(m.start(), m.end(), None, None, "ongoing")


def _resolve_overlaps(hits: list[_Hit], length: int) -> list[_Hit]:
    """Keep the longest of overlapping candidates ("（2021—2035年）" beats "2035年").

    An occupancy bytearray over the text makes each check proportional to the
    candidate's own length, so the whole step stays linear in the text.
    """
    chosen: list[_Hit] = []
    taken = bytearray(length)
    for h in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if any(taken[h.start : h.end]):
            continue
        chosen.append(h)
        taken[h.start : h.end] = b"\x01" * (h.end - h.start)
    return sorted(chosen, key=lambda h: (h.start, h.end))


def _assign_tasks(starts: np.ndarray, spans: TaskSpans) -> list[object]:
    """Leaf-most task whose [start, end) holds each expression's start; None when outside all tasks.

    The deepest holding task, the first in order among equally deep ones (``TaskSpans.innermost``:
    linear, where a hits × tasks matrix was quadratic in a long document).
    """
    if len(spans) == 0 or len(starts) == 0:
        return [None] * len(starts)
    return [spans.ids[i] if i >= 0 else None for i in spans.innermost(starts, by="depth").tolist()]


def _hit_rows(doc_id: str, hits: list[_Hit], text: str, spans: TaskSpans) -> list[dict]:
    """Resolved hits as date rows."""
    starts = np.array([h.start for h in hits], dtype="int64")
    task_ids = _assign_tasks(starts, spans)
    return [
        {"doc_id": doc_id, "task_id": task, "text": text[h.start : h.end], "date": h.date,
         "precision": h.precision, "kind": h.kind, "start": h.start, "end": h.end, "end_date": h.end_date}
        for h, task in zip(hits, task_ids, strict=True)
    ]


def date_rows(
    doc_id: str,
    text: str,
    spans: TaskSpans | None,
    doc_year: int | None,
    issued: pd.Timestamp | None,
) -> list[dict]:
    """Return every time expression in ``text`` as date rows (dicts keyed by ``DATE_COLUMNS``).

    The dates stage's entry point (``load_corpus`` calls it per document, then marks the
    issue and publication dates, and builds the table with ``schema.frame``).  ``spans`` are
    the document's tasks (``TaskSpans.from_rows`` of ``structure_rows``; None: no tasks);
    ``doc_year`` supplies the year of year-less dates ("6月30日前", "年内"); ``issued``
    anchors relative durations ("经过5年的努力").  See the module docstring for which day of
    a year/month/quarter ``date`` holds.  None stands for NA/NaT.

    >>> rows = date_rows("d1", "到2025年，城镇化率达到70%。", None, 2021, None)
    >>> [(r["text"], r["kind"], r["precision"], str(r["date"].date())) for r in rows]
    [('到2025年', 'target_year', 'year', '2025-12-31')]
    """
    return _date_rows(doc_id, text, spans, doc_year, issued, _anchored_finder)


def date_rows_reference(
    doc_id: str,
    text: str,
    spans: TaskSpans | None,
    doc_year: int | None,
    issued: pd.Timestamp | None,
) -> list[dict]:
    """``date_rows`` with every family regex run by ``finditer`` over the whole text.

    The reference implementation, kept until the anchored scan (``BoundedPattern``) is proven:
    tests/extract/test_fast_targets.py asserts both give the same rows.
    """
    return _date_rows(doc_id, text, spans, doc_year, issued, _whole_text_finder)


def _whole_text_finder(norm: str) -> Finder:
    return lambda regex: regex.finditer(norm)


# Where each family's matches can be: every match consumes a character a match of its anchor
# pattern starts at.  A written year's 年 follows its last digit (or one space), a month-day's
# 月 a digit; an ISO date's separator comes after four digits and before one; a month range
# holds 月, a plan 十五 or 十X五, a quarter 季度; 年内/年底 is 年 before 内/底/末 (perhaps after
# 度), a duration's 年 or 个月 follows its number; a commitment is one of its four words.
# Each anchor pattern starts with a literal, which ``re`` finds with a fast string search
# (a class such as [年月] is tried character by character, 15 times slower).
_WRITTEN_YEAR = re.compile(f"年(?<=[\\d{_CN_DIGITS} \u3000]年)")
_DURATIONS = tuple(re.compile(f"{unit}(?<=[\\d{_CN_NUM}]{unit})") for unit in ("年", "个月"))
_ISO_SEPARATORS = tuple(re.compile(f"{re.escape(c)}(?<=\\d{{4}}{re.escape(c)})(?=\\d)") for c in "-/.")
_ANCHORS = {
    _ABSOLUTE_RE: (_WRITTEN_YEAR, re.compile("月(?<=\\d月)"), *_ISO_SEPARATORS),
    _RANGE_RE: (_WRITTEN_YEAR,),
    _DATE_RANGE_RE: (re.compile("月"),),
    _PLAN_RE: (re.compile(f"十(?={PLAN_NUMBER}?五)"),),
    _QUARTER_RE: (re.compile("季度"),),
    _THIS_YEAR_RE: (re.compile("年(?=度?[内底末])"),),
    _RELATIVE_RE: _DURATIONS,
    _ONGOING_RE: tuple(re.compile(word) for word in ("长期", "持续", "常态化", "久久为功")),
}
_BOUNDED = {regex: BoundedPattern.of(regex) for regex in _ANCHORS}


def _anchored_finder(norm: str) -> Finder:
    """Each family's matches, searched only within its reach of its anchors (the same matches
    as ``finditer``, several times faster: most of a text is far from any 年 or 月)."""
    positions: dict[re.Pattern[str], list[int]] = {}

    def find(regex: re.Pattern[str]) -> Iterator[re.Match[str]]:
        anchors = []
        for anchor in _ANCHORS[regex]:
            if anchor not in positions:
                positions[anchor] = [m.start() for m in anchor.finditer(norm)]
            anchors += positions[anchor]
        if len(_ANCHORS[regex]) > 1:
            anchors.sort()
        return _BOUNDED[regex].finditer(norm, anchors)

    return find


def _date_rows(doc_id: str, text: str, spans: TaskSpans | None, doc_year: int | None,
               issued: pd.Timestamp | None, finder: Callable[[str], Finder]) -> list[dict]:
    if doc_year is None and issued is not None and not pd.isna(issued):
        doc_year = pd.Timestamp(issued).year
    # same length, offsets unchanged; clean text has ASCII digits already, so skip the slow translate
    norm = text.translate(FULLWIDTH_DIGITS) if FULLWIDTH_DIGIT.search(text) else text
    find = finder(norm)
    hits: list[_Hit] = [
        *_range_hits(norm, find),
        *_date_range_hits(norm, find),
        *_plan_hits(norm, doc_year, find),
        *_absolute_hits(norm, doc_year, find),
        *_quarter_hits(norm, doc_year, find),
        *_this_year_hits(norm, doc_year, find),
        *_relative_hits(norm, issued, doc_year, find),
        *_ongoing_hits(norm, find),
    ]
    resolved = [_in_time_slot(h, norm) for h in _resolve_overlaps(hits, len(text))]
    return _hit_rows(doc_id, resolved, text, spans or TaskSpans.empty())


# A date in a task's time slot is its deadline: after "完成时限：" or after the bodies of a
# responsibility bracket ("（省财政厅负责，2025年）", "（…负责；完成时限：2025年12月）").
_SLOT_BEFORE = re.compile(r"(?:(?:完成)?时限|完成时间|时间节点|完成期限)[：:]\s*$|(?:负责|牵头|配合|落实)[，；]\s*$")
_SLOT_AFTER = re.compile(r"\s*(?:前|底前|以前|完成|）|$)")


def _in_time_slot(hit: _Hit, text: str) -> _Hit:
    """A ``mention`` standing in a time slot becomes a ``deadline`` at the end of its period."""
    if hit.kind != "mention" or hit.date is None or hit.precision not in ("year", "month", "day"):
        return hit
    if not _SLOT_BEFORE.search(text, max(0, hit.start - 12), hit.start) or not _SLOT_AFTER.match(text, hit.end):
        return hit
    if hit.precision == "day":
        return replace(hit, kind="deadline")
    bounds = _period_bounds(hit.date.year, hit.date.month if hit.precision == "month" else None)
    return replace(hit, kind="deadline", date=bounds[1])
