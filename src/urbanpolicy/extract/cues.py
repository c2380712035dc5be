"""Cue words found in task text, with offsets: the shared engine of directive and instrument coding.

A *cue set* is a list of plain words and regular expressions, minus ``exclude`` phrases
that contain a cue without meaning it (高标准推进 holds 标准 but sets no standard).  It is
searched in a *masked* text: agency names (省财政厅 is a body, not a fiscal instrument),
《titles》 and 发文字号 (发改规划〔2021〕493号 names no plan) are blanked first, with their
length kept so every offset still points into the clean text.

Rule files live in ``urbanpolicy/rules/`` (``directive.yaml``, ``instruments.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from .patterns import DOC_NUMBER, DOC_NUMBER_CODE_MAX, DOC_NUMBER_YEAR

MASK = "\x00"
_TITLE = re.compile(r"《[^《》\n]{1,300}》")
_DOC_NUMBER = re.compile(DOC_NUMBER)
_YEAR_BRACKET = re.compile(DOC_NUMBER_YEAR)  # every document number holds one


def rules_path(name: str) -> Path:
    """Path of a package rule file, e.g. ``rules_path("instruments.yaml")``."""
    return Path(str(resources.files("urbanpolicy") / "rules" / name))


@lru_cache(maxsize=16)
def read_rules(name: str) -> dict:
    """A package rule file parsed from YAML (cached; treat as read-only)."""
    return yaml.safe_load(rules_path(name).read_text(encoding="utf-8"))


def _alternation(words: Iterable[str]) -> str:
    # Longest first so 社会保险缴纳 wins over 社会保险 at the same position.
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class CueSet:
    """Compiled cues of one code (a directive level or an instrument).

    >>> cues = CueSet.build(["标准", "监管"], exclude=["高标准"])
    >>> [(m.group(), m.start()) for m in cues.find("高标准推进，完善标准体系")]
    [('标准', 8)]
    """

    cues: re.Pattern[str] | None
    exclude: re.Pattern[str] | None

    @classmethod
    def build(cls, words: Iterable[str] = (), patterns: Iterable[str] = (),
              exclude: Iterable[str] = (), exclude_patterns: Iterable[str] = ()) -> CueSet:
        parts = [p for p in (_alternation(w for w in words if w), *patterns) if p]
        bans = [p for p in (_alternation(w for w in exclude if w), *exclude_patterns) if p]
        return cls(re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None,
                   re.compile("|".join(f"(?:{p})" for p in bans)) if bans else None)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
        """Cue matches in ``text[start:end]`` (offsets into ``text``), excluded phrases removed."""
        if self.cues is None:
            return []
        end = len(text) if end is None else end
        hits = list(self.cues.finditer(text, start, end))
        if not hits or self.exclude is None:
            return hits
        # An exclude phrase may begin a little before the cue it contains (高标准 ⊃ 标准).
        banned = [(m.start(), m.end()) for m in self.exclude.finditer(text, max(0, start - 20), min(len(text), end + 20))]
        return [h for h in hits if not any(s <= h.start() and h.end() <= e for s, e in banned)]

    def first(self, text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        """``find(text, start, end)[0]`` (None when empty), scanning only as far as it needs:
        a chapter holds all its sections' cues, and the directive of each wants only the first.

        >>> CueSet.build(["标准"], exclude=["高标准"]).first("高标准推进，完善标准体系").start()
        8
        """
        if self.cues is None:
            return None
        end = len(text) if end is None else end
        # finditer's first hit is search's: most tasks hold no cue of a level, or no exclude to test
        hit = self.cues.search(text, start, end)
        if hit is None or self.exclude is None:
            return hit
        banned: list[tuple[int, int]] = []
        excluded = None  # the exclude matches of find's window, read as far as the hits need
        for hit in self.cues.finditer(text, start, end):
            if self.exclude is None:
                return hit
            if excluded is None:
                excluded = self.exclude.finditer(text, max(0, start - 20), min(len(text), end + 20))
                upcoming = next(excluded, None)
            while upcoming is not None and upcoming.start() <= hit.start():  # only these can hold the hit
                banned.append(upcoming.span())
                upcoming = next(excluded, None)
            if not any(s <= hit.start() and hit.end() <= e for s, e in banned):
                return hit
        return None


def masked_text(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with agency names (``spans``), 《titles》 and document numbers blanked, same length.

    Built from the unmasked segments and runs of ``MASK`` in one join: a list of the
    document's characters and a slice assignment per span cost more than every scan here.
    Identical to ``masked_text_reference`` (tests/extract/test_fast_agencies.py).

    >>> masked_text("省财政厅落实《规划》", [(0, 4)]) == MASK * 4 + "落实" + MASK * 4
    True
    """
    n = len(text)
    blank = {(s, e) for s, e in spans if 0 <= s < e <= n}  # a body in several tasks' rows is blanked once
    blank.update(m.span() for m in _TITLE.finditer(text))
    blank.update(doc_number_spans(text))
    if not blank:
        return text
    parts: list[str] = []
    append = parts.append
    done = 0  # text[:done] is in parts
    for s, e in sorted(blank):
        if e <= done:
            continue
        if s < done:
            s = done
        append(text[done:s])
        append(MASK * (e - s))
        done = e
    append(text[done:])
    return "".join(parts)


def masked_text_reference(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The reference implementation of ``masked_text`` (a character list and a slice assignment per
    span, a whole-text ``DOC_NUMBER`` scan), kept until the faster one is proven on every corpus.

    >>> masked_text_reference("省财政厅落实《规划》", [(0, 4)]) == MASK * 4 + "落实" + MASK * 4
    True
    """
    chars = list(text)
    blank = [(s, e) for s, e in spans if 0 <= s < e <= len(text)]
    blank += [m.span() for m in _TITLE.finditer(text)]
    blank += [m.span() for m in _DOC_NUMBER.finditer(text)]
    for s, e in blank:
        chars[s:e] = MASK * (e - s)
    return "".join(chars)


def doc_number_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``_DOC_NUMBER.finditer(text)``, found from the bracketed years.

    ``DOC_NUMBER`` begins with an issuer code of 1–12 letters, so ``re`` tries it at every
    Chinese character (0.5 s over 13 MB, the cost of the whole masking).  Every match holds a
    bracketed year right after its code and spaces, so the year brackets are found with a scan
    that skips everything else, and the pattern is tried only at the ≤ 12 letters before each —
    leftmost first, never before the previous match's end, as ``finditer`` does.  A start left of
    an earlier year can only match through that year, whose turn came first.

    >>> text = "依据：甘政办发〔2021〕32号，国发〔2019〕1号。"
    >>> [text[s:e] for s, e in doc_number_spans(text)]
    ['甘政办发〔2021〕32号', '国发〔2019〕1号']
    """
    spans: list[tuple[int, int]] = []
    done = 0
    for year in _YEAR_BRACKET.finditer(text):
        code_end = year.start()
        while code_end > done and text[code_end - 1].isspace():  # ``\s`` is ``str.isspace``
            code_end -= 1
        for start in range(max(done, code_end - DOC_NUMBER_CODE_MAX), code_end):
            hit = _DOC_NUMBER.match(text, start)
            if hit:
                spans.append(hit.span())
                done = hit.end()
                break
    return spans
