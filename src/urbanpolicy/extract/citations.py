"""Cited documents in clean policy text: ``Corpus.references`` (``REFERENCE_COLUMNS``).

Documents cited by 《title》 and/or by 发文字号 such as 发改规划〔2021〕493号, each row traceable to
character offsets of the clean document text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator

from urbanpolicy import schema
from urbanpolicy.extract.patterns import (
    DOC_NUMBER,
    DOC_NUMBER_CLOSE,
    DOC_NUMBER_CODE_MAX,
    DOC_NUMBER_OPEN,
    DOC_NUMBER_YEAR,
    FIVE_YEAR_PLAN,
    FULLWIDTH_DIGITS,
)
from urbanpolicy.rules.words import word_list

REFERENCE_COLUMNS = schema.columns("references")

# Fold variant characters first (NFKC turns full-width ASCII into ASCII), then put
# the punctuation back to the full-width forms the clean text uses.
_TITLE_PUNCT = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "〈": "《", "〉": "》", "<": "《", ">": "》", "‹": "《", "›": "》"})
_DASH_BETWEEN_DIGITS = re.compile(r"(?<=\d)\s*(?:[-–—―－~～]+|至)\s*(?=\d)")
_SPACE_NOT_BETWEEN_LATIN = re.compile(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])")
_ASCII_QUOTES = re.compile(r"\"([^\"]*)\"")


def normalise_title(title: str) -> str:
    """Canonical form of a cited title, so one document always gives one string.

    Outer 《》 are dropped, nested 〈〉 become 《》, brackets and punctuation become
    full-width, digits ASCII, dashes between years "—", and spaces vanish except
    between Latin words.

    >>> normalise_title("《国家新型城镇化规划(2021-2035 年)》")
    '国家新型城镇化规划（2021—2035年）'
    >>> normalise_title("关于印发〈甘肃省新型城镇化规划（2021—2035年）〉的通知")
    '关于印发《甘肃省新型城镇化规划（2021—2035年）》的通知'
    """
    t = unicodedata.normalize("NFKC", title).strip()
    if t.startswith("《") and t.endswith("》") and t.count("《") == t.count("》"):
        inner = t[1:-1]
        if inner.count("《") == inner.count("》"):
            t = inner
    t = _ASCII_QUOTES.sub(r"“\1”", t).replace("‘", "“").replace("’", "”")
    t = t.translate(_TITLE_PUNCT)
    t = _DASH_BETWEEN_DIGITS.sub("—", t)
    t = _SPACE_NOT_BETWEEN_LATIN.sub("", t)
    return t


_NUMBER_BRACKETS = re.compile(rf"{DOC_NUMBER_OPEN}\s*(\d{{4}})\s*{DOC_NUMBER_CLOSE}")


def normalise_doc_number(s: str) -> str:
    """Canonical 发文字号: year brackets become 〔〕, digits ASCII, no spaces.

    >>> normalise_doc_number("甘政办发 [2017] 158 号")
    '甘政办发〔2017〕158号'
    """
    t = s.translate(FULLWIDTH_DIGITS)
    t = _NUMBER_BRACKETS.sub(r"〔\1〕", t)
    return re.sub(r"\s+", "", t)


# A 发文字号: issuer code, bracketed year, serial, 号 (see ``patterns.DOC_NUMBER``).
_NUMBER = DOC_NUMBER
_NUMBER_RE = re.compile(_NUMBER)
_NUMBER_YEAR_RE = re.compile(DOC_NUMBER_YEAR)
_NUMBER_OPEN_RE = re.compile(DOC_NUMBER_OPEN)
_CODE_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
# 《title》 allowing one level of nested 《》 (sloppy sources nest instead of 〈〉),
# optionally followed by (number) or (number，以下简称…).
# A number whose closing bracket was lost in scraping, year and serial run together:
# "皖发改规划〔202369号" is 皖发改规划〔2023〕69号.  Read only right after a cited title.
_DAMAGED_NUMBER = rf"[\u4e00-\u9fffA-Za-z]{{1,{DOC_NUMBER_CODE_MAX}}}\s*{DOC_NUMBER_OPEN}\s*(?:19|20)\d{{2}}\d{{1,4}}\s*号"
_DAMAGED_NUMBER_PARTS = re.compile(rf"^(?P<code>.*?){DOC_NUMBER_OPEN}\s*(?P<year>(?:19|20)\d{{2}})(?P<serial>\d{{1,4}})\s*号$")
_CITATION_RE = re.compile(
    r"《(?P<title>(?:[^《》\n]|《[^《》\n]*》){1,300})》"
    rf"(?:[ \u3000]?[（(][ \u3000]?(?:(?P<num>{_NUMBER})|(?P<damaged>{_DAMAGED_NUMBER}))"
    r"(?P<close>[ \u3000]?[）)，,])?)?"
)
# A genre word in 《》 after the plan it belongs to: "国家“十四五”规划《纲要》" cites the outline
# of that five-year plan, not this document.
_QUALIFIED_GENRE = re.compile(rf"(?:(?:国家|全国|全省|全市|全县|省|市|县|我省|我市|我县)?“?{FIVE_YEAR_PLAN}”?(?:规划)?)$")
_SHORT_NAME_RE = re.compile(r"(?:以下简称|下称|简称)[ \u3000]?[“\"]?《(?P<short>[^《》\n]{1,30})》")
# The same short names found by two patterns that start with a literal (a fast string search,
# where the alternation is tried at every character): "以下简称《X》" holds "简称《X》".
_SHORT_NAME_BY_WORD = tuple((word, re.compile(rf"{word}[ \u3000]?[“\"]?《(?P<short>[^《》\n]{{1,30}})》"))
                            for word in ("简称", "下称"))
# Genre words used as short names or generic references ("按照《通知》要求").
_GENRE_WORDS = frozenset(word_list("genre_words"))
# Words that the issuer-code class may swallow in front of a bare number: function
# words and office names ("根据省政府办公厅湘政办发〔2020〕1号" cites 湘政办发〔2020〕1号).
# Everything up to the last of them is dropped.
_NUMBER_LEAD = re.compile(
    r"^.*(?:按照|根据|依据|贯彻|落实|执行|印发|转发|参照|对照|结合|关于|办公厅|办公室|人民政府|委员会|文件|和|及|与|的|等|号|、)"
)


_INNER_TITLE_RE = re.compile(r"《(?P<t>[^《》]+)》")


def _own_keys(own_number: str | None, own_title: str | None) -> tuple[str | None, set[str]]:
    """Normalised own number, and the titles that mean this document itself.

    For a cover notice "国务院关于印发《X》的通知" or a letter "关于征求《X》意见的函"
    the attached X is printed in the same document, so 《X》 is not a citation of
    another document either.
    """
    num = normalise_doc_number(own_number) if own_number else None
    titles: set[str] = set()
    if own_title:
        title = normalise_title(own_title)
        titles.add(title)
        titles.update(m["t"] for m in _INNER_TITLE_RE.finditer(title))
    return num, titles


def find_doc_number(text: str) -> str | None:
    """The first 发文字号 in ``text``, normalised (〔〕, no spaces), or None.

    >>> find_doc_number("PDF版本下载：国发[2024] 17号")
    '国发〔2024〕17号'
    """
    m = _NUMBER_RE.search(text)
    return _clean_number(m.group(0)) if m else None


def is_doc_number(text: str) -> bool:
    """True when ``text`` is nothing but a 发文字号 (a number line under a title)."""
    return _NUMBER_RE.fullmatch(text) is not None


def _clean_number(raw: str) -> str:
    """Normalise a matched number and drop words the issuer-code class swallowed.

    >>> _clean_number("根据省政府办公厅湘政办发 [2020] 1号")
    '湘政办发〔2020〕1号'
    """
    number = normalise_doc_number(raw)
    return number[_leading_removed(number) :]


def repair_damaged_number(raw: str) -> str | None:
    """The 发文字号 a number that lost its closing bracket stands for.

    >>> repair_damaged_number("皖发改规划〔202369号"), repair_damaged_number("六政〔202117号")
    ('皖发改规划〔2023〕69号', '六政〔2021〕17号')
    """
    m = _DAMAGED_NUMBER_PARTS.match(re.sub(r"\s+", "", raw))
    return f"{m['code']}〔{m['year']}〕{int(m['serial'])}号" if m else None


def reference_rows(
    doc_id: str, text: str, own_number: str | None, own_title: str | None,
) -> tuple[list[dict[str, object]], list[dict]]:
    """Return (rows, problems): the documents ``text`` cites, one row per cited document.

    The citations stage's entry point (``load_corpus`` calls it per document, builds the
    table with ``schema.frame`` and fills ``cited_doc_id`` from the corpus; here it is None).
    A citation is a 《title》 with an optional （发文字号） right after it, or a
    发文字号 on its own. Repeated citations of the same document collapse into
    the first occurrence, preferring an occurrence that carries a number.
    Self-citations (``own_number``, ``own_title``), defined short names (《方案》 after
    "以下简称《方案》") and bare genre words (《通知》) are skipped.  A number repaired from
    damaged form is a ``damaged_doc_number`` problem (dicts: doc_id, kind, detail, start, end).

    >>> rows, _ = reference_rows("d", "依据《2021年重点任务》（发改规划〔2021〕493号）", None, None)
    >>> [(r["cited_title"], r["cited_number"]) for r in rows]
    [('2021年重点任务', '发改规划〔2021〕493号')]
    """
    problems: list[dict] = []
    own_num, own_titles = _own_keys(own_number, own_title)
    shorts = _short_names(text)
    rows: list[dict[str, object]] = []
    # finditer matches do not overlap and come in order, so both lists are sorted
    covered_starts: list[int] = []
    covered_ends: list[int] = []
    for m in _CITATION_RE.finditer(text):
        covered_starts.append(m.start())
        covered_ends.append(m.end())
        title = normalise_title(m["title"])
        number = _clean_number(m["num"]) if m["num"] else None
        if m["damaged"]:
            number = repair_damaged_number(m["damaged"])
            if number:
                problems.append({"doc_id": doc_id, "kind": "damaged_doc_number",
                                 "detail": f"'{m['damaged']}' read as {number}",
                                 "start": m.start("damaged"), "end": m.end("damaged")})
        if title in _GENRE_WORDS and title not in shorts:
            qualifier = _QUALIFIED_GENRE.search(text, max(0, m.start() - 12), m.start())
            if qualifier:  # "“十四五”规划《纲要》": the plan's outline, named by what precedes it
                rows.append({"cited_title": normalise_title(qualifier.group(0) + title), "cited_number": number,
                             "start": qualifier.start(), "end": m.end()})
                continue
        if title in shorts or title in _GENRE_WORDS or title in own_titles:
            continue
        if number and own_num and number == own_num:
            continue
        rows.append({"cited_title": title, "cited_number": number, "start": m.start(), "end": m.end()})
    for m in _number_matches(text):
        i = bisect_right(covered_starts, m.start()) - 1
        if i >= 0 and m.start() < covered_ends[i]:
            continue
        number = _clean_number(m.group(0))
        if own_num and number == own_num:
            continue
        start = m.start() + _leading_removed(m.group(0))
        rows.append({"cited_title": None, "cited_number": number, "start": start, "end": m.end()})
    return [{"doc_id": doc_id, **r} for r in _dedupe_references(rows)], problems


def _short_names(text: str) -> set[str]:
    """The normalised short names ``text`` defines ("以下简称《方案》" → 方案).

    >>> sorted(_short_names("《城镇化规划》（以下简称《规划》）和《实施方案》（下称“《方案》”）"))
    ['方案', '规划']
    """
    return {normalise_title(m["short"]) for word, pattern in _SHORT_NAME_BY_WORD if word in text
            for m in pattern.finditer(text)}


def _short_names_reference(text: str) -> set[str]:
    """``_short_names`` by the one pattern with the alternation: the reference implementation,
    kept until the literal-led patterns are proven (tests/extract/test_fast_citations.py)."""
    return {normalise_title(m["short"]) for m in _SHORT_NAME_RE.finditer(text)}


# The bracketed years, one pattern per opening bracket: each starts with a literal, which ``re``
# finds with a fast string search (``_NUMBER_YEAR_RE`` starts with a class, tried at every character).
_NUMBER_YEAR_BY_OPEN = tuple((opening, re.compile(rf"{re.escape(opening)}\s*\d{{4}}\s*{DOC_NUMBER_CLOSE}"))
                             for opening in "[【〔［（(﹝")


def _number_years(text: str) -> list[re.Match[str]]:
    """The matches of ``_NUMBER_YEAR_RE.finditer(text)``: a bracketed year holds no bracket but
    its own two, so two never overlap and the matches of the per-bracket patterns, in start
    order, are those of the one pattern (``_number_years_reference``).

    >>> [m.group(0) for m in _number_years("国发〔2024〕1号，湘政办发 [2020] 2号（2021）")]
    ['〔2024〕', '[2020]', '（2021）']
    """
    found = [m for opening, pattern in _NUMBER_YEAR_BY_OPEN if opening in text for m in pattern.finditer(text)]
    if len(found) > 1:
        found.sort(key=lambda m: m.start())
    return found


def _number_years_reference(text: str) -> list[re.Match[str]]:
    """``_number_years`` by the one pattern: the reference implementation, kept until the
    per-bracket patterns are proven (tests/extract/test_fast_citations.py compares the two)."""
    return list(_NUMBER_YEAR_RE.finditer(text))


def _number_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_NUMBER_RE.finditer(text)``, found from the bracketed years.

    Scanning with ``_NUMBER_RE`` tries 1 to DOC_NUMBER_CODE_MAX code characters at every Chinese character
    of the text.  A match needs a bracketed year (``_NUMBER_YEAR_RE``; these never
    overlap) and its start is fixed by it: the run of at most DOC_NUMBER_CODE_MAX code characters
    ending where the spaces before the bracket begin.  So only that start is tried.
    """
    pos = 0  # where the previous match ended: the next cannot start before it
    for year in _number_years(text):
        code_end = year.start()
        while code_end > pos and text[code_end - 1].isspace():  # str.isspace is re's \s
            code_end -= 1
        start = code_end
        while start > max(pos, code_end - DOC_NUMBER_CODE_MAX) and _CODE_CHAR.match(text, start - 1):
            start -= 1
        if start == code_end:
            continue
        m = _NUMBER_RE.match(text, start)
        if m:
            yield m
            pos = m.end()


def _leading_removed(raw: str) -> int:
    """How many characters _NUMBER_LEAD strips from the front of a number (0 if none).

    Only characters before the year bracket count, so the serial's 号 never does.
    """
    bracket = _NUMBER_OPEN_RE.search(raw)
    head = raw[: bracket.start()] if bracket else raw
    m = _NUMBER_LEAD.match(head)
    return m.end() if m and m.end() < len(head.rstrip()) else 0


def _dedupe_references(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """One row per document: same title or same number is the same document.

    Keeps the earliest occurrence, but an occurrence with a number beats one without.
    """
    rows = sorted(rows, key=lambda r: (r["cited_number"] is None, r["start"]))
    kept: list[dict[str, object]] = []
    seen_titles: set[object] = set()
    seen_numbers: set[object] = set()
    for r in rows:
        t, n = r["cited_title"], r["cited_number"]
        if (t is not None and t in seen_titles) or (n is not None and n in seen_numbers):
            continue
        kept.append(r)
        if t is not None:
            seen_titles.add(t)
        if n is not None:
            seen_numbers.add(n)
    return sorted(kept, key=lambda r: r["start"])
