"""Named regex sub-patterns and character maps shared by the extractors: one declaration each.

Vocabulary (genre words, organisation suffixes) is data in ``rules/``; this module holds the
forms: digits, years, 发文字号 (document numbers) and numbering labels.  Where copies of a rule
used to differ, the more general one is kept here (noted at each declaration).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from re import _constants, _parser  # the parsed form measures a pattern (BoundedPattern.of)

from urbanpolicy.settings import YEAR_MAX, YEAR_MIN

# ---------------------------------------------------------------- digits
# Full-width digits map one-to-one onto ASCII digits, so translating keeps every offset valid
# and the regexes only need to know \d-as-ASCII.
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
FULLWIDTH_DIGIT = re.compile("[０-９]")
# A number written with full-width digits, decimal point or thousands comma (３７．５, １，０００).
FULLWIDTH_NUMBER = str.maketrans("０１２３４５６７８９．，", "0123456789.,")

# Every character ``\d`` matches (a Unicode decimal digit) as a class body ``re`` tests fast: ASCII
# and the BMP's digit blocks exactly, the astral digits as one range (a superset).  As a leading
# class that ``(?<=\d)`` confirms, it gives a pattern a first-character set, so ``re`` skips to the
# next digit with its set scan where a leading ``\d{4}`` or lookahead is tried at every position
# (3–5× faster; ``\d`` itself as the set is a Unicode lookup per character, as slow).
DIGIT_SUPERSET = (
    r"0-9\u0660-\u0669\u06F0-\u06F9\u07C0-\u07C9\u0966-\u096F\u09E6-\u09EF\u0A66-\u0A6F\u0AE6-\u0AEF"
    r"\u0B66-\u0B6F\u0BE6-\u0BEF\u0C66-\u0C6F\u0CE6-\u0CEF\u0D66-\u0D6F\u0DE6-\u0DEF\u0E50-\u0E59"
    r"\u0ED0-\u0ED9\u0F20-\u0F29\u1040-\u1049\u1090-\u1099\u17E0-\u17E9\u1810-\u1819\u1946-\u194F"
    r"\u19D0-\u19D9\u1A80-\u1A89\u1A90-\u1A99\u1B50-\u1B59\u1BB0-\u1BB9\u1C40-\u1C49\u1C50-\u1C59"
    r"\uA620-\uA629\uA8D0-\uA8D9\uA900-\uA909\uA9D0-\uA9D9\uA9F0-\uA9F9\uAA50-\uAA59\uABF0-\uABF9"
    r"\uFF10-\uFF19\U000104A0-\U0001FBF9"
)

# The ten Chinese digits a year is written with (二〇二五年); 零 and 〇 both mean 0.
CN_YEAR_DIGITS = "〇零一二三四五六七八九"
CN_YEAR_TO_ASCII = str.maketrans(CN_YEAR_DIGITS, "00123456789")


def year_in_window(year: int) -> bool:
    """True when ``year`` lies in settings.YEAR_MIN..YEAR_MAX (1900–2100 by default).

    Was 1900–2100 in dates and 1949–2100 in targets; the wider window is kept.

    >>> year_in_window(2025), year_in_window(1899), year_in_window(1921)
    (True, False, True)
    """
    return YEAR_MIN <= year <= YEAR_MAX


# ---------------------------------------------------------------- 发文字号 (document numbers)
# 国发〔2024〕17号, 甘政办发 [2017] 158 号, 发改规划（2021）493号.  The year's brackets: every style
# met in sources (the union of the four former copies; 【】 and ﹝﹞ were missing from some).
DOC_NUMBER_OPEN = r"[\[【〔［（(﹝]"
DOC_NUMBER_CLOSE = r"[\]】〕］）)﹞]"
# The bracketed year; group-free, so it composes.
DOC_NUMBER_YEAR = rf"{DOC_NUMBER_OPEN}\s*\d{{4}}\s*{DOC_NUMBER_CLOSE}"
# Issuer code: short, Chinese or Latin letters (国发, 甘政办发, 发改规划, ABC).
DOC_NUMBER_CODE_MAX = 12  # metadata had 12, citations 10
DOC_NUMBER_CODE = rf"[\u4e00-\u9fffA-Za-z]{{1,{DOC_NUMBER_CODE_MAX}}}"
# Serial: optional 第, up to five digits, 号 (the copies had \d+ and \d{1,5}; no serial is longer).
DOC_NUMBER_SERIAL = r"第?\s*\d{1,5}\s*号"
DOC_NUMBER = rf"{DOC_NUMBER_CODE}\s*{DOC_NUMBER_YEAR}\s*{DOC_NUMBER_SERIAL}"
# The year of a normalised number (normalise_doc_number writes 〔YYYY〕).
NORMALISED_NUMBER_YEAR = r"〔(\d{4})〕"

# ---------------------------------------------------------------- five-year plans
# 十一五 … 十九五 (the 11th to 19th plans); the digit alone, for a capture group around it.
PLAN_NUMBER = "[一二三四五六七八九]"
FIVE_YEAR_PLAN = rf"十{PLAN_NUMBER}五"

# ---------------------------------------------------------------- numbering labels
# Numerals of a Chinese section label: 一、 （三） 第十二章.
LABEL_NUMERALS = "一二三四五六七八九十百零〇两"
CHAPTER_LABEL = rf"[{LABEL_NUMERALS}]+、"                       # 一、
SECTION_LABEL = rf"[（(][{LABEL_NUMERALS}]+[）)]"                # （一）


# ---------------------------------------------------------------- scanning only around anchors
@dataclass(frozen=True)
class BoundedPattern:
    """A regex whose matches have a bounded length, scanned only around its anchors.

    Python's ``re`` tries a pattern at every position of the text (13 ns a character for
    the date families, 50–130 MB/s a pass); a pattern whose every match consumes one of a
    few rare characters (年, 月, 五 …) only needs trying within ``width`` characters before
    each of them.  ``finditer(text, anchors)`` yields exactly the matches of
    ``regex.finditer(text)`` when every match consumes a character at one of the sorted
    positions ``anchors``: each window of possible starts is searched with an ``endpos``
    ``reach`` characters past it, beyond anything a match starting in it inspects (``width``
    and ``reach`` are read from the parsed pattern, lookarounds included), and a match
    ending past the next window's start moves that window's start as ``finditer`` would.

    >>> year = BoundedPattern.of(re.compile(r"(?<!\\d)\\d{4}年(?!代)"))
    >>> text = "2021年、12025年、1990年代和2035年"
    >>> [m.group() for m in year.finditer(text, [i for i, c in enumerate(text) if c == "年"])]
    ['2021年', '2035年']
    """

    regex: re.Pattern[str]
    width: int  # most characters a match consumes
    reach: int  # most characters right of its start a match attempt inspects

    @classmethod
    def of(cls, regex: re.Pattern[str]) -> BoundedPattern:
        """Measure ``regex``; ValueError when a match can be empty or unboundedly long."""
        low, _ = _parser.parse(regex.pattern, regex.flags).getwidth()
        width, reach = _extent(_parser.parse(regex.pattern, regex.flags))
        if low == 0:
            raise ValueError(f"{regex.pattern!r} can match the empty string")
        return cls(regex, width, reach)

    def finditer(self, text: str, anchors: Iterable[int]) -> Iterator[re.Match[str]]:
        """``regex.finditer(text)``, given the sorted positions of the characters every match consumes."""
        search, n, width, reach = self.regex.search, len(text), self.width, self.reach
        pos, lo, hi = 0, 0, -2
        for a in [*anchors, n + width + 1]:  # a last anchor beyond the text closes the last window
            if a - width < hi:
                hi = a
                continue
            # the window [lo, hi] of possible starts is complete: search it
            p = lo if lo > pos else pos
            end = hi + reach if hi + reach < n else n
            while p <= hi:
                m = search(text, p, end)
                if m is None or m.start() > hi:
                    break
                yield m
                pos = p = m.end()
            lo, hi = (a - width + 1 if a >= width else 0), a


_AT_INSPECTING = {_constants.AT_END: 2, _constants.AT_END_LINE: 1, _constants.AT_END_STRING: 1,
                  _constants.AT_BOUNDARY: 1, _constants.AT_NON_BOUNDARY: 1, _constants.AT_UNI_BOUNDARY: 1,
                  _constants.AT_UNI_NON_BOUNDARY: 1, _constants.AT_LOC_BOUNDARY: 1,
                  _constants.AT_LOC_NON_BOUNDARY: 1}


def _extent(items) -> tuple[int, int]:  # noqa: C901 - one case per opcode of the parsed pattern
    """(most characters consumed, most characters right of the start inspected) of a parsed
    pattern; ValueError for an unbounded repeat or a back-reference."""
    c = _constants
    width = reach = 0
    for op, av in items:
        if op in (c.ASSERT, c.ASSERT_NOT):
            direction, sub = av
            w, r = _extent(sub)
            # a lookahead inspects from here on; a lookbehind ends here (unless it looks ahead inside)
            reach = max(reach, width + (r if direction == 1 else max(0, r - w)))
        elif op is c.BRANCH:
            measured = [_extent(sub) for sub in av[1]]
            reach = max(reach, width + max(r for _, r in measured))
            width += max(w for w, _ in measured)
        elif op is c.SUBPATTERN:
            w, r = _extent(av[-1])
            reach, width = max(reach, width + r), width + w
        elif op is c.ATOMIC_GROUP:
            w, r = _extent(av)
            reach, width = max(reach, width + r), width + w
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            _, high, sub = av
            if high == c.MAXREPEAT:
                raise ValueError("unbounded repeat")
            if high:
                w, r = _extent(sub)
                reach, width = max(reach, width + (high - 1) * w + r), width + high * w
        elif op in (c.LITERAL, c.NOT_LITERAL, c.IN, c.ANY, c.RANGE, c.CATEGORY):
            width += 1
        elif op is c.AT:
            reach = max(reach, width + _AT_INSPECTING.get(av, 0))
        else:
            raise ValueError(f"cannot bound {op}")
        reach = max(reach, width)
    return width, reach


class LineStartPattern:
    """A ``re.M`` pattern that starts with ``^`` and never matches a line break, found by
    searching for line breaks (a string search) instead of trying ``^`` at every position.

    ``finditer(text)`` yields (start, match) for each match of ``regex.finditer(text)``: the
    same groups and end; ``start`` is the match's start (the match object itself may begin at
    the line break before it).

    >>> heads = LineStartPattern(re.compile(r"^[一二三]、(.*)", re.M))
    >>> [(start, m.group(1)) for start, m in heads.finditer("一、总体\\n正文\\n二、任务")]
    [(0, '总体'), (8, '任务')]
    """

    def __init__(self, regex: re.Pattern[str]) -> None:
        if not regex.pattern.startswith("^") or not regex.flags & re.M:
            raise ValueError(f"not a line-start pattern: {regex.pattern!r}")
        self.regex = regex
        self.after_break = re.compile("\n(?:" + regex.pattern[1:] + ")", regex.flags)

    def finditer(self, text: str) -> Iterator[tuple[int, re.Match[str]]]:
        """(start, match) of every match, in order."""
        pos = 0
        first = self.regex.match(text)
        if first is not None:
            yield 0, first
            pos = first.end()
        for m in self.after_break.finditer(text, pos):
            yield m.start() + 1, m


class FirstCharScan:
    """Where each of several patterns can match, found by one ``re`` pass over the text.

    ``re`` scans fast for a pattern that starts with a character set (a C loop over the text)
    and slowly for one that starts with a lookahead, lookbehind or ``\\d{4}`` (a match attempt
    at every position).  This pass stops only at the characters of the tests' guards, and at
    each reads the tests whose guard (a character class body) holds that character: a test is a
    lookahead body read *after* the character that holds wherever its pattern matches from it
    (a lookbehind in it sees the character), and only where its gate holds (a lookahead body,
    or ""; tests that all need, say, three more digits are passed over together).  ``tests``
    are (guard, gate, test, pattern number); a
    pattern may have several tests, one per kind of first character, and a character is read
    by the tests of the first guard that holds it and has a test holding (so a test whose guard
    overlaps an earlier one's is repeated under that one).  ``candidates(text)[k]``
    are the positions where a test of pattern ``k`` holds, a superset of its match starts, so
    ``confirmed(pattern, text, candidates)`` gives exactly ``pattern.finditer(text)``.

    >>> scan = FirstCharScan([("0-9", r"\\d{3}", r"\\d{3}年", 0), ("0-9", "", r"\\d?月", 1),
    ...                       ("一二", "", r"[〇一二]{3}年", 0)])
    >>> scan.candidates("2021年12月, 5月, 二〇二一年")
    [[0, 14], [5, 6, 10]]
    >>> [m.group() for m in confirmed(re.compile(r"\\d{1,2}月"), "2021年12月, 5月", [5, 6, 10])]
    ['12月', '5月']
    """

    def __init__(self, tests: list[tuple[str, str, str, int]]) -> None:
        guards: dict[str, dict[str, list[tuple[str, int]]]] = {}
        for guard, gate, test, pattern in tests:
            guards.setdefault(guard, {}).setdefault(gate, []).append((test, pattern))
        # One alternative per guard, tried in order: its tests, each setting an empty group
        # when it holds, then the conditionals, which fail where none of them holds (so the
        # next guard is tried, and the pass reports only positions where some test holds).
        blocks, self.pattern_of = [], []
        for guard, gated in guards.items():
            first = len(self.pattern_of) + 1
            parts = []
            for gate, guarded in gated.items():
                marks = "".join(f"(?:(?={test})()|)" for test, _ in guarded)
                parts.append(f"(?:(?={gate}){marks}|)" if gate else marks)
                self.pattern_of += [pattern for _, pattern in guarded]
            some = "(?!)"
            for group in range(len(self.pattern_of), first - 1, -1):
                some = f"(?({group})|{some})"
            # atomic: where no test holds, the conditionals fail once, not once per way of
            # skipping the tests that did not hold
            blocks.append(f"(?<=[{guard}])(?>" + "".join(parts) + ")" + some)
        self.regex = re.compile(f"[{''.join(guards)}](?:{'|'.join(blocks)})")
        self.size = max(self.pattern_of) + 1

    def candidates(self, text: str) -> list[list[int]]:
        """For each pattern, the sorted positions where one of its tests holds."""
        found: list[list[int]] = [[] for _ in range(self.size)]
        pattern_of = self.pattern_of
        for m in self.regex.finditer(text):
            start = m.start()
            for group, value in enumerate(m.groups()):
                if value is not None:
                    starts = found[pattern_of[group]]
                    if not starts or starts[-1] != start:
                        starts.append(start)
        return found


def confirmed(regex: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``regex.finditer(text)``, given sorted positions that include every start of a match:
    ``regex.match`` at each, skipping those inside the previous match, as ``finditer`` does."""
    pos = 0
    match = regex.match
    for start in starts:
        if start >= pos and (m := match(text, start)) is not None:
            yield m
            pos = m.end() if m.end() > start else start + 1
