"""Document structure: chapters (sections) and numbered items (tasks) with offsets.

Numbering is read from the document.  A label counts only at the start of a line;
its *style* (一、 / （一） / 1. / （1） / ① / 第一条) decides nesting by order of
appearance: a style not yet open goes one level deeper, a style already open closes
everything below it.  So "（一） → 1. → （1）" and "1. → （一）" both nest correctly
without a fixed hierarchy.  Chapters are the top style (第一章/第一部分, else 一、).

Text outside the document proper is kept out of tasks: tasks start at the first
label, and the last one stops at the trailer (signature and date lines, 抄送, 附件
lists, related-link lines).
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import cn2an
import numpy as np

from urbanpolicy import schema
from urbanpolicy.extract.patterns import CN_YEAR_DIGITS, LABEL_NUMERALS
from urbanpolicy.rules.words import alternation

SECTION_COLUMNS = schema.columns("sections")
TASK_COLUMNS = schema.columns("tasks")

_CN = LABEL_NUMERALS
# (style, regex) — each regex matches a label at a line start and captures the number.
_STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("第章", re.compile(rf"第([{_CN}\d]+)(?:章|部分|篇)\s*")),
    ("第节", re.compile(rf"第([{_CN}\d]+)节\s*")),
    ("第条", re.compile(rf"第([{_CN}\d]+)条\s*")),
    ("一、", re.compile(rf"([{_CN}]+)[、．.]\s*")),
    ("（一）", re.compile(rf"[（(]([{_CN}]+)[）)][、．.]?\s*")),
    ("1.", re.compile(r"(\d{1,3})(?:[.．](?!\d)|、)\s*")),
    ("（1）", re.compile(r"[（(](\d{1,3})[）)][、．.]?\s*")),
    ("①", re.compile(r"([\u2460-\u2473])\s*")),
]
# The styles a line can match by its first character (a label pattern's first character is
# 第, a label numeral, a bracket, a digit or a circled number), in ``_STYLES`` order.
_STYLE_FIRSTS = {"第章": "第", "第节": "第", "第条": "第", "一、": _CN, "（一）": "（(", "（1）": "（(",
                 "①": "".join(map(chr, range(0x2460, 0x2474)))}
_STYLES_BY_FIRST = {c: tuple((s, p) for s, p in _STYLES if c in _STYLE_FIRSTS.get(s, ""))
                    for c in set("".join(_STYLE_FIRSTS.values()))}
_DIGIT_STYLES = tuple((s, p) for s, p in _STYLES if s == "1.")  # \d: any decimal digit
_CHAPTER_STYLES = ("第章", "一、")
_LABEL_FORMAT = {
    "第章": "第{}章", "第节": "第{}节", "第条": "第{}条", "一、": "{}",
    "（一）": "（{}）", "1.": "{}.", "（1）": "（{}）", "①": "{}",
}
# A label must be followed by text, not by a unit or a year: "1小时", "2021年", "5G".
_NOT_A_LABEL_AFTER = re.compile(r"[年月日号%个万亿元米倍小时分秒kKmMgG]")
_TRAILER = re.compile(
    rf"^(?:(?:\d{{4}}|[{CN_YEAR_DIGITS}]{{4}})年[\d一二三四五六七八九十]{{1,3}}月[\d一二三四五六七八九十]{{1,3}}日"
    r"|（此件[^）]*）|抄送[：:].*|附件[：:\d].*|附件|相关(?:解读|链接|阅读|文件).*|（本文有删减）|责任编辑.*)$"
)
_ORG_LINE = re.compile(rf"^[\u4e00-\u9fff（）]{{2,40}}(?:{alternation('org_suffixes')})$")


@dataclass
class _Label:
    style: str
    number: str
    ordinal: int
    line_start: int
    line_end: int
    body_start: int  # first character after the label


@lru_cache(maxsize=4096)
def _ordinal(style: str, number: str) -> int | None:
    if style == "①":
        return ord(number) - 0x2460 + 1
    if number.isdigit():
        return int(number)
    try:
        return int(cn2an.cn2an(number.replace("〇", "零"), "normal"))
    except (ValueError, KeyError):
        return None


def _match_label(line: str, offset: int, line_end: int) -> _Label | None:
    """The label at the start of ``line``: the first style in ``_STYLES`` order whose pattern
    matches, tried only among the styles that can start with the line's first character."""
    first = line[:1]
    styles = _STYLES_BY_FIRST.get(first)
    if styles is None:
        styles = _DIGIT_STYLES if first.isdecimal() else ()
    return _first_label(line, offset, line_end, styles)


def _match_label_reference(line: str, offset: int, line_end: int) -> _Label | None:
    """``_match_label`` trying every style: the reference implementation, kept until the
    first-character dispatch is proven (tests/extract/test_fast_targets.py compares the two)."""
    return _first_label(line, offset, line_end, _STYLES)


def _first_label(line: str, offset: int, line_end: int,
                 styles: list[tuple[str, re.Pattern[str]]] | tuple) -> _Label | None:
    for style, pattern in styles:
        m = pattern.match(line)
        if not m:
            continue
        # "2021年", "5G", "1小时" are running text; a bracketed label may still precede a unit
        # word, and a bare label line ("（一）") is a label whose text follows on the next line.
        if _NOT_A_LABEL_AFTER.match(line, m.end()) and style not in ("（一）", "（1）"):
            continue
        ordinal = _ordinal(style, m.group(1))
        if ordinal is None or ordinal <= 0:
            continue
        return _Label(style, m.group(1), ordinal, offset, line_end, offset + m.end())
    return None


def _lines(text: str):
    """Yield (line, start, end) for each line of text."""
    start = 0
    for line in text.split("\n"):
        yield line, start, start + len(line)
        start += len(line) + 1


# Only lines starting with one of these can carry a label; checking the first character
# first keeps the per-line regex work off the long body lines.
_LABEL_FIRST_CHARS = frozenset("第（(0123456789" + _CN + "".join(map(chr, range(0x2460, 0x2474))))


# "附件：" opens a list of the annexes' titles ("1.…实施方案", "2.…"): those are not tasks.
_ANNEX_HEAD = re.compile(r"^附\s*件\s*[：:]\s*")
# An item that is a document title: no sentence punctuation, ends in a genre word.
# Under "附件：" an item is an annex's title when it is short and has no sentence punctuation
# ("1.重点任务分工表", "2.…实施方案（2023—2025年）"); the first item that reads as a sentence
# ends the list.
_ANNEX_ITEM = re.compile(r"^[^。；！？，]{2,60}$")
# A line whose numbering label was swallowed by mojibake ("?。ㄒ唬…" for "（一）…").
_DAMAGED_START = re.compile(r"^(?:[?\ufffd]+[^\s]|锛)")
# The genre's usual nesting, used only to name a label that mojibake swallowed.
_CANONICAL = ("一、", "（一）", "1.", "（1）")


def _end_before(text: str, start: int) -> int:
    """Where the item before a label ends: before the line break, or at the label itself when
    the label stands inside a line (see ``_inline_starts``)."""
    return start - 1 if start > 0 and text[start - 1] == "\n" else start


# A document whose line breaks were lost in scraping runs its items together on a few very
# long lines: "…。（二）完善住房保障。…".  Only then is a label right after a sentence end
# read as if it began a line.
_LOST_BREAKS_MIN_CHARS = 1000
_LOST_BREAKS_AVG_LINE = 500
_INLINE_LABEL = re.compile(r"(?<=[。；！？）])\s*(?=(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[.．、]))")


# …and a chapter heading runs into its first item: "一、总体要求（一）指导思想。"
_HEADING_THEN_ITEM = re.compile(r"(?<![一二三四五六七八九十])[一二三四五六七八九十]+、[^。；！？，、（]{1,30}(?=[（(][一二三四五六七八九十]+[）)])")
# A numeral run is tried from its first character only (the lookbehind): a later start reaches the
# same 、 or none, so it matches nothing new, but trying it made a long run of numerals quadratic.
# The pattern without the lookbehind is kept as the reference (tests/extract/test_fast_targets.py).
_HEADING_THEN_ITEM_REFERENCE = re.compile(r"[一二三四五六七八九十]+、[^。；！？，、（]{1,30}(?=[（(][一二三四五六七八九十]+[）)])")


def _inline_starts(line: str) -> list[int]:
    """Offsets in ``line`` where a label follows a sentence end or a chapter heading (for lines
    that lost their breaks)."""
    starts = {m.end() for m in _INLINE_LABEL.finditer(line)}
    starts.update(m.end() for m in _HEADING_THEN_ITEM.finditer(line))
    return sorted(starts)


def find_labels(text: str) -> list[_Label]:
    """All numbered labels at line starts, in document order, except an annex list's items.

    In a document that lost its line breaks (few lines averaging over 500 characters), a label
    right after a sentence end inside a line counts too.
    """
    labels: list[_Label] = []
    in_annex_list = False
    lost_breaks = len(text) >= _LOST_BREAKS_MIN_CHARS and text.count("\n") + 1 < len(text) / _LOST_BREAKS_AVG_LINE
    e = -1
    for line in text.split("\n"):  # (line, start s, end e) as ``_lines`` yields them, without a generator
        s = e + 1
        e = s + len(line)
        if lost_breaks and len(line) > _LOST_BREAKS_AVG_LINE:
            pieces = [0, *_inline_starts(line)]
            for a, b in zip(pieces, [*pieces[1:], len(line)], strict=True):
                lab = _match_label(line[a:b], s + a, s + b) if line[a:a + 1] in _LABEL_FIRST_CHARS else None
                if lab is not None:
                    labels.append(lab)
            continue
        head = _ANNEX_HEAD.match(line) if line[:1] == "附" else None  # its first character, tested first
        if head:
            in_annex_list = True
            line, s = line[head.end():], s + head.end()
            if not line:
                continue
        lab = _match_label(line, s, e) if line and line[0] in _LABEL_FIRST_CHARS else None
        if in_annex_list and lab is not None and _ANNEX_ITEM.match(text[lab.body_start:e].strip()):
            continue
        in_annex_list = False
        if lab is not None:
            labels.append(lab)
    return labels


def _damaged_labels(text: str, labels: list[_Label]) -> list[_Label]:
    """Labels for lines whose numbering mojibake swallowed, named from their neighbours.

    A damaged line directly followed by a first item (ordinal 1) of style S stands for
    the style above S in the genre's nesting (一、 → （一） → 1. → （1）), when that style
    is not already the open one: "二、…" / "?。ㄒ唬…" / "1.…" reads as 二 / （一） / 1.
    """
    out: list[_Label] = []
    if "?" not in text and "\ufffd" not in text and "锛" not in text:
        return out  # a damaged line starts with one of them (_DAMAGED_START)
    starts = [lab.line_start for lab in labels]
    for line, s, e in _lines(text):
        if not _DAMAGED_START.match(line):
            continue
        i = bisect_right(starts, s)
        if i >= len(labels) or i == 0:
            continue
        nxt, prev = labels[i], labels[i - 1]
        if nxt.ordinal != 1 or nxt.style not in _CANONICAL[1:]:
            continue
        style = _CANONICAL[_CANONICAL.index(nxt.style) - 1]
        if prev.style != _CANONICAL[max(0, _CANONICAL.index(style) - 1)] or text[prev.line_end + 1: s].strip():
            continue  # only right under the label one level up, with nothing in between
        out.append(_Label(style, "", 1, s, e, s))
    return out


def _body_end(text: str, after: int) -> int:
    """Where the document proper ends: the first trailer line after offset ``after``."""
    lines = list(_lines(text[after:]))
    for i, (line, start, _) in enumerate(lines):
        nxt = lines[i + 1][0] if i + 1 < len(lines) else ""
        if _TRAILER.match(line) or (_ORG_LINE.match(line) and _TRAILER.match(nxt)):
            return max(after + start - 1, after)
    return len(text)


def _title(text: str, start: int, end: int) -> str:
    """``text[start:end]`` up to its first 。 (else ：, else ；), stripped; searched in place, not
    on a copy of the line (a task's line is often its whole paragraph)."""
    for stop in ("。", "：", "；"):
        idx = text.find(stop, start, end)
        if idx != -1:
            end = idx
            break
    return text[start:end].strip()


def structure_rows(doc_id: str, text: str) -> tuple[list[dict], list[dict], list[dict]]:
    """Return (sections, tasks, problems) of one document's clean text, as row dicts.

    The structure stage's entry point (``load_corpus`` calls it per document and builds each
    table with ``schema.frame``).  Offsets are into ``text``: a task's ``text == text[start:end]``.

    >>> sections, tasks, _ = structure_rows("d", "一、总体要求\\n（一）目标。到2025年。\\n1.落户。放开")
    >>> [t["path"] for t in tasks], [s["heading"] for s in sections]
    (['一/（一）', '一/（一）/1.'], ['总体要求'])
    """
    labels = find_labels(text)
    problems: list[dict] = []
    if not labels:
        return [], [], problems
    # 第X章 outranks 一、 (then an item style) because _CHAPTER_STYLES lists it first
    damaged = _damaged_labels(text, labels)
    for lab in damaged:
        problems.append({"doc_id": doc_id, "kind": "damaged_label",
                         "detail": f"numbering lost to mojibake, read as the first {lab.style} item: "
                                   f"{text[lab.line_start:min(lab.line_end, lab.line_start + 30)]}",
                         "start": lab.line_start, "end": lab.line_end})
    if damaged:
        labels = sorted(labels + damaged, key=lambda lab: lab.line_start)
    chapter_style = next((s for s in _CHAPTER_STYLES if any(lab.style == s for lab in labels)), None)
    body_end = _body_end(text, labels[-1].line_end)

    sections: list[dict] = []
    tasks: list[dict] = []
    stack: list[tuple[str, dict]] = []  # (style, task row) of the open path
    styles_open: list[str] = []  # the styles of ``stack``, kept beside it
    section: dict | None = None
    last_ordinal: dict[tuple[str | None, str], int] = {}  # (parent id, style) -> last ordinal
    last_style_ordinal: dict[str, int] = {}  # style -> last ordinal anywhere (continuing numbering)
    used_ids: dict[str, int] = {}

    n_labels = len(labels)
    for i, lab in enumerate(labels):
        if i + 1 < n_labels:  # _end_before, inline: this loop runs once per label
            end = labels[i + 1].line_start
            if end > 0 and text[end - 1] == "\n":
                end -= 1
        else:
            end = body_end
        end = min(end, body_end) if lab.line_start < body_end else end
        if lab.style == chapter_style:
            section_id = _unique(f"{doc_id}:{lab.number}", used_ids)
            _check_order(problems, doc_id, lab, last_ordinal, last_style_ordinal, None, text)
            section = {"doc_id": doc_id, "section_id": section_id, "label": lab.number,
                       "heading": _title(text, lab.body_start, lab.line_end), "start": lab.line_start, "end": end}
            sections.append(section)
            stack, styles_open = [], []
            continue
        if lab.style in styles_open:
            depth = styles_open.index(lab.style)
            del stack[depth:], styles_open[depth:]
        parent = stack[-1][1] if stack else None
        parent_key = parent["task_id"] if parent else (section["section_id"] if section else None)
        _check_order(problems, doc_id, lab, last_ordinal, last_style_ordinal, parent_key, text)
        label = _LABEL_FORMAT[lab.style].format(lab.number or _numeral(lab.style, lab.ordinal))
        prefix = parent["path"] if parent else (section["label"] if section else "")
        path = f"{prefix}/{label}" if prefix else label
        task_id = f"{doc_id}:{path}"
        if task_id in used_ids:
            task_id = _unique(task_id, used_ids)
        else:  # _unique's first case, inline
            used_ids[task_id] = 2
        row = {
            "doc_id": doc_id, "task_id": task_id,
            "section_id": section["section_id"] if section else None,
            "parent_task_id": parent["task_id"] if parent else None,
            "depth": len(stack) + 1, "label": label, "path": path, "ordinal": lab.ordinal,
            "is_leaf": True, "title": _title(text, lab.body_start, lab.line_end), "start": lab.line_start, "end": end,
        }
        if parent:
            parent["is_leaf"] = False
        tasks.append(row)
        stack.append((lab.style, row))
        styles_open.append(lab.style)

    # A chapter runs to the next chapter or the end of the body.  Sections are in label
    # order, so the next later start is found by one backward pass (not a scan per section).
    next_start = None
    for section in reversed(sections):
        section["end"] = (next_start - 1) if next_start is not None else body_end
        if next_start is None or section["start"] < next_start:
            next_start = section["start"]
    for row in sections:  # trailing line breaks belong to no one
        start, end = row["start"], row["end"]
        while end > start and text[end - 1].isspace():
            end -= 1
        row["end"] = end
    for row in tasks:
        start, end = row["start"], row["end"]
        while end > start and text[end - 1].isspace():
            end -= 1
        row["end"] = end
        row["text"] = text[start:end]
    return sections, tasks, problems


def _numeral(style: str, ordinal: int) -> str:
    """The number as a style writes it: 1 → "一" for （一）, "1" for 1."""
    return cn2an.an2cn(ordinal) if style in ("一、", "（一）") else str(ordinal)


def _check_order(problems: list[dict], doc_id: str, lab: _Label, last: dict, last_style: dict,
                 parent_key: str | None, text: str) -> None:
    """Report an item number that skips or repeats.

    The first item under a parent may restart at 1 or continue the same style's
    numbering from the previous parent (工作要点 number （一）…（二十四） across chapters).
    The expected numbers are gathered only for a report (most items are in order).
    """
    key = (parent_key, lab.style)
    previous = last.get(key)
    ordinal = lab.ordinal
    if previous is not None:
        in_order = ordinal == previous + 1
    else:
        in_order = ordinal == 1 or ordinal == last_style.get(lab.style, 0) + 1
    if not in_order:
        _check_order_reference(problems, doc_id, lab, last, last_style, parent_key, text)
    last[key] = ordinal
    last_style[lab.style] = ordinal


def _check_order_reference(problems: list[dict], doc_id: str, lab: _Label, last: dict, last_style: dict,
                           parent_key: str | None, text: str) -> None:
    """``_check_order`` building the set of expected numbers for every item: the reference
    implementation, kept until the in-order fast path is proven (tests/extract/test_fast_targets.py
    compares the two); ``_check_order`` calls it to write a report."""
    key = (parent_key, lab.style)
    if key in last:
        expected = {last[key] + 1}
    else:
        expected = {1, last_style.get(lab.style, 0) + 1}
    if lab.ordinal not in expected:
        kind = "numbering_repeat" if lab.ordinal <= max(expected) - 1 else "numbering_skip"
        problems.append({
            "doc_id": doc_id, "kind": kind,
            "detail": f"item {text[lab.line_start:lab.body_start].strip()} where "
                      f"{' or '.join(str(e) for e in sorted(expected))} was expected",
            "start": lab.line_start, "end": lab.body_start,
        })
    last[key] = lab.ordinal
    last_style[lab.style] = lab.ordinal


def _unique(candidate: str, used: dict[str, int]) -> str:
    """``candidate``, or ``candidate#N`` with the first N not taken; ``used`` maps each id
    taken to the next N to try for it, so 8,000 repeats of one label cost 8,000 steps,
    not 8,000²/2.

    >>> used = {}
    >>> [_unique("d:一", used) for _ in range(3)]
    ['d:一', 'd:一#2', 'd:一#3']
    """
    if candidate not in used:
        used[candidate] = 2
        return candidate
    n = used[candidate]
    while f"{candidate}#{n}" in used:
        n += 1
    used[candidate] = n + 1
    result = f"{candidate}#{n}"
    used[result] = 2
    return result


@dataclass(frozen=True)
class TaskSpans:
    """The task spans of one document, as the extractors need them.

    Built once per document from the task rows, so the date, target and agency stages
    locate positions without each building or filtering a DataFrame.
    """

    starts: np.ndarray  # int64
    ends: np.ndarray    # int64
    depths: np.ndarray  # int64; 0 when the tasks carry no depth
    ids: list[object]

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_rows(cls, rows: list[dict]) -> TaskSpans:
        """Spans of task row dicts (``structure_rows`` output)."""
        return cls(np.array([r["start"] for r in rows], dtype=np.int64),
                   np.array([r["end"] for r in rows], dtype=np.int64),
                   np.array([r.get("depth", 0) for r in rows], dtype=np.int64),
                   [r["task_id"] for r in rows])

    @classmethod
    def empty(cls) -> TaskSpans:
        """No tasks."""
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, none, [])

    def innermost(self, positions: np.ndarray, by: str = "depth") -> np.ndarray:
        """For each position, the index of the task holding it (``start <= p < end``) that
        ranks first — ``by="depth"``: the deepest; ``"length"``: the shortest — and the first
        in order among equals; -1 where no task holds it.

        Linear in tasks + positions (up to logs): the answer is constant between two
        consecutive task boundaries, so it is computed once per boundary and looked up.

        >>> spans = TaskSpans(np.array([0, 2]), np.array([10, 5]), np.array([1, 2]), ["a", "a.1"])
        >>> spans.innermost(np.array([0, 3, 7, 12])).tolist()
        [0, 1, 0, -1]
        """
        boundaries, answers = self._segments(by)
        positions = np.asarray(positions, dtype=np.int64)
        if not boundaries:
            return np.full(len(positions), -1, dtype=np.int64)
        segment = np.searchsorted(np.array(boundaries, dtype=np.int64), positions, side="right") - 1
        return np.where(segment >= 0, np.array(answers, dtype=np.int64)[np.maximum(segment, 0)], -1)

    def innermost_at(self, position: int, by: str = "depth") -> int:
        """``innermost`` for one position (no arrays: for callers that ask one at a time).

        >>> TaskSpans(np.array([0, 2]), np.array([10, 5]), np.array([1, 2]), ["a", "a.1"]).innermost_at(3, "length")
        1
        """
        boundaries, answers = self._segments(by)
        segment = bisect_right(boundaries, position) - 1
        return answers[segment] if segment >= 0 else -1

    def holding(self, starts: np.ndarray, ends: np.ndarray) -> list[int]:
        """For each span [start, end), the index of the deepest, then shortest, task with
        ``task.start <= start`` and ``end <= task.end`` (the first in order among equals); -1 if none.

        A sweep over spans and tasks in start order with a heap of candidate tasks, instead of a
        spans × tasks matrix (quadratic in time and memory in a long document).

        >>> spans = TaskSpans(np.array([0, 2]), np.array([10, 5]), np.array([1, 2]), ["a", "a.1"])
        >>> spans.holding(np.array([3, 4, 11]), np.array([5, 6, 12]))
        [1, 0, -1]
        """
        t_starts, t_ends = self.starts.tolist(), self.ends.tolist()
        rank = [(-(d * 10**9 - (e - s)), i)
                for i, (s, e, d) in enumerate(zip(t_starts, t_ends, self.depths.tolist(), strict=True))]
        tasks = sorted(range(len(t_starts)), key=t_starts.__getitem__)
        q_starts, q_ends = np.asarray(starts).tolist(), np.asarray(ends).tolist()
        found = [-1] * len(q_starts)
        heap: list[tuple[int, int]] = []
        k = 0
        for q in sorted(range(len(q_starts)), key=q_starts.__getitem__):
            start, end = q_starts[q], q_ends[q]
            while k < len(tasks) and t_starts[tasks[k]] <= start:
                heapq.heappush(heap, rank[tasks[k]])
                k += 1
            while heap and t_ends[heap[0][1]] < start:  # ends before this span starts: before every later one too
                heapq.heappop(heap)
            skipped = []
            while heap and t_ends[heap[0][1]] < end:  # holds the start, not the end: may hold a later span
                skipped.append(heapq.heappop(heap))
            if heap:
                found[q] = heap[0][1]
            for item in skipped:
                heapq.heappush(heap, item)
        return found

    def _segments(self, by: str) -> tuple[list[int], list[int]]:
        """Sorted task boundaries and, for each, the winning task from it to the next boundary."""
        cache = self.__dict__.setdefault("_segment_cache", {})  # frozen: computed once per key
        if by in cache:
            return cache[by]
        if by == "depth":
            rank = [(-d, i) for i, d in enumerate(self.depths.tolist())]
        elif by == "length":
            rank = [(e - s, i) for i, (s, e) in enumerate(zip(self.starts.tolist(), self.ends.tolist(), strict=True))]
        else:
            raise ValueError(f"by: 'depth' or 'length', not {by!r}")
        starts, ends = self.starts.tolist(), self.ends.tolist()
        boundaries = sorted(set(starts) | set(ends))
        order = sorted(range(len(starts)), key=starts.__getitem__)
        heap: list[tuple[int, int]] = []
        answers, k = [], 0
        for b in boundaries:
            while k < len(order) and starts[order[k]] <= b:
                heapq.heappush(heap, rank[order[k]])
                k += 1
            while heap and ends[heap[0][1]] <= b:  # ended before this segment: never holds a later one
                heapq.heappop(heap)
            answers.append(heap[0][1] if heap else -1)
        cache[by] = (boundaries, answers)
        return cache[by]


