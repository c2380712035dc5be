"""Regions: which province or city a document belongs to, from the names it uses.

The gazetteer (``rules/regions.csv``) lists every provincial- and prefecture-level
division with its short name, so a document from any province resolves without code
changes.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import ahocorasick_rs
import pandas as pd

NATIONAL = "全国"


@dataclass(frozen=True)
class Region:
    """A resolved region: ``name`` (e.g. 庆阳市), ``level`` (province/prefecture/county), ``province``."""

    name: str
    level: str
    province: str


@lru_cache(maxsize=1)
def _gazetteer() -> pd.DataFrame:
    """The region table as read once; never handed out (callers could change it for everyone)."""
    with files("urbanpolicy.rules").joinpath("regions.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str).fillna("")


def gazetteer() -> pd.DataFrame:
    """Return a copy of the region table (columns name, short, level, province, short_en).

    A copy, so changing it changes nothing for the next caller.

    >>> gazetteer().set_index("name").loc["庆阳市", "province"]
    '甘肃省'
    """
    return _gazetteer().copy()


@lru_cache(maxsize=1)
def provinces() -> tuple[tuple[str, str], ...]:
    """(full name, short name) of every provincial-level division, in the gazetteer's order.

    >>> provinces()[:2], len(provinces())
    ((('北京市', '北京'), ('天津市', '天津')), 34)
    """
    with files("urbanpolicy.rules").joinpath("regions.csv").open(encoding="utf-8", newline="") as fh:
        return tuple((row["name"], row["short"]) for row in csv.DictReader(fh) if row["level"] == "province")


@lru_cache(maxsize=1)
def _names() -> dict[str, Region]:
    """Every name a region is written with (full names, and short names of two characters or more)."""
    table = _gazetteer()
    lookup: dict[str, Region] = {}
    rank = {"province": 0, "prefecture": 1, "county": 2}
    for row in sorted(table.itertuples(index=False), key=lambda r: rank.get(r.level, 3)):
        region = Region(row.name, row.level, row.province)
        lookup.setdefault(row.name, region)
        # Short names are used bare for provinces ("湖北：…") but for cities only before
        # 市 etc., which the full name already covers; bare city short names such as
        # 长沙 are still common, so accept them too, provinces winning collisions (吉林).
        if row.short and len(row.short) >= 2:
            lookup.setdefault(row.short, region)
    return lookup


@lru_cache(maxsize=1)
def _matcher() -> tuple[ahocorasick_rs.AhoCorasick, list[str], dict[str, Region]]:
    # Aho–Corasick, leftmost-longest: the matches of the longest-first alternation of the
    # reference, built in ~2 ms where ``re`` took ~25 ms to compile 3,000 names (a cost paid by
    # every process that parses, e.g. a reload parsing one changed file)
    lookup = _names()
    names = list(lookup)
    return ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest), names, lookup


def find_regions(text: str) -> list[tuple[Region, int, int]]:
    """Return every region named in ``text`` with its span, in order.

    >>> [r.name for r, _, _ in find_regions("湖北省发改委和长沙市")]
    ['湖北省', '长沙市']
    """
    automaton, names, lookup = _matcher()
    return [(lookup[names[n]], start, end) for n, start, end in automaton.find_matches_as_indexes(text)]


@lru_cache(maxsize=1)
def _pattern_reference() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(_names(), key=len, reverse=True))))


def find_regions_reference(text: str) -> list[tuple[Region, int, int]]:
    """The reference implementation of ``find_regions`` (one ``re`` alternation of every name,
    longest first), kept beside it until the Aho–Corasick matcher is proven on every corpus.

    >>> [r.name for r, _, _ in find_regions_reference("湖北省发改委和长沙市")]
    ['湖北省', '长沙市']
    """
    lookup = _names()
    return [(lookup[m.group(0)], m.start(), m.end()) for m in _pattern_reference().finditer(text)]


def first_region(*texts: str | None) -> Region | None:
    """The first region named in the first text that names one; None when none does."""
    for text in texts:
        if text:
            found = find_regions(text)
            if found:
                return found[0][0]
    return None
