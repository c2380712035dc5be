"""The citations stage's literal-led scans find exactly what its one-pattern references find.

``_short_names`` (one pattern per word, 简称 and 下称) is compared with ``_short_names_reference``
(the alternation 以下简称|下称|简称), and ``_number_years`` (one pattern per opening bracket, merged
in start order) with ``_number_years_reference`` (``_NUMBER_YEAR_RE.finditer``), on the seeds,
the realworld excerpts (raw and cleaned), their mutations and random texts built from the pieces
both rules turn on; ``reference_rows`` gives the rows it gave with the references.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urbanpolicy.extract import citations
from urbanpolicy.extract.citations import (
    _NUMBER_YEAR_BY_OPEN,
    _number_years,
    _number_years_reference,
    _short_names,
    _short_names_reference,
    reference_rows,
)
from urbanpolicy.extract.patterns import DOC_NUMBER_OPEN
from urbanpolicy.ingest.cleaning import clean_text

from ..conftest import SEEDS
from ..test_fuzz import _mutations

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "realworld"


def _texts() -> dict[str, str]:
    raw = {p.name: p.read_text(encoding="utf-8") for folder in (SEEDS, REAL) for p in sorted(folder.glob("*.txt"))}
    texts = {f"{name}_clean": clean_text(text).text for name, text in raw.items()} | raw
    for n, name in enumerate(sorted(raw)[:5]):
        for m, variant in enumerate(_mutations(texts[f"{name}_clean"], random.Random(n))):
            texts[f"{name}_m{m}"] = variant
    return texts


TEXTS = _texts()


def _same(text: str) -> None:
    assert _short_names(text) == _short_names_reference(text)
    assert [(m.span(), m.group(0)) for m in _number_years(text)] == \
        [(m.span(), m.group(0)) for m in _number_years_reference(text)]


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_citation_scans_are_the_reference_on_every_corpus(name):
    _same(TEXTS[name])


def test_the_corpora_hold_short_names_and_numbers():
    assert sum(bool(_short_names(t)) for t in TEXTS.values()) >= 3
    assert sum(len(_number_years(t)) for t in TEXTS.values()) >= 20


def test_reference_rows_are_those_of_the_reference_scans(monkeypatch):
    texts = list(TEXTS.values())
    fast = [reference_rows("d", t, None, None) for t in texts]
    monkeypatch.setattr(citations, "_short_names", _short_names_reference)
    monkeypatch.setattr(citations, "_number_years", _number_years_reference)
    assert [reference_rows("d", t, None, None) for t in texts] == fast


def test_one_pattern_per_opening_bracket_of_the_class():
    openings = {chr(c) for c in range(0x10000) if re.fullmatch(DOC_NUMBER_OPEN, chr(c))}
    assert openings == {opening for opening, _ in _NUMBER_YEAR_BY_OPEN}


PIECES = ["以下简称", "简称", "下称", "以下", "《", "》", "“", "”", "\"", " ", "\u3000", "\n", "方案", "规划",
          "国发", "[", "]", "【", "】", "〔", "〕", "［", "］", "（", "）", "(", ")", "﹝", "﹞", "2021", "202", "号", "1"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_citation_scans_are_the_reference_on_random_texts(pieces):
    _same("".join(pieces))
