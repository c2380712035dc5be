"""The cleaning steps' fast paths give exactly what their reference implementations give.

``normalise_whitespace`` (odd spaces replaced as substrings, space runs folded by a pattern that
starts with a literal, lines stripped by splitting) is compared with
``normalise_whitespace_reference`` (two character-class substitutions); ``find_mojibake`` (the
pattern run only when a character a garbled span can start with is present) with
``find_mojibake_reference``; ``_cjk_count`` and ``_has_fullwidth_ascii`` (NumPy on code points)
with ``_cjk_count_reference`` and ``_has_fullwidth_ascii_reference``.
The texts: the seeds and realworld excerpts, raw and cleaned, their mutations, hostile repeated
forms, and random texts built from the characters each rule turns on.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urbanpolicy.ingest.cleaning import (
    _cjk_count,
    _cjk_count_reference,
    _has_fullwidth_ascii,
    _has_fullwidth_ascii_reference,
    clean_text,
    find_mojibake,
    find_mojibake_reference,
    normalise_whitespace,
    normalise_whitespace_reference,
)

from ..conftest import SEEDS
from ..test_fuzz import _mutations

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "realworld"
HOSTILE = {
    "spaces": " " * 3_000, "odd_spaces": "\u3000\t\u00a0" * 1_000, "blank_lines": "\n \n\u3000\n" * 1_000,
    "spaced_lines": "一、要求 \n  （一）目标\u3000\n\n" * 300, "questions": "发展?" * 1_000,
    "fffd": "\ufffd" * 2_000, "kunkao": "锟斤拷" * 1_000, "latin1": "Ã©" * 1_000, "cyrillic": "城Ж镇" * 1_000,
    "greek_end": "城镇化" + "α" * 50, "fullwidth": "城镇化率达到６５．５％，ＴＯＤ" * 300, "astral": "𠀀城\U0001f600镇" * 500, "surrogate": "城\ud800镇",
}


def _texts() -> dict[str, str]:
    raw = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    raw |= {p.name: p.read_text(encoding="utf-8") for p in sorted(REAL.glob("*.txt"))}
    texts = dict(raw)
    texts |= {f"{name}_clean": clean_text(text).text for name, text in raw.items()}
    for n, name in enumerate(sorted(raw)[:5]):
        for m, variant in enumerate(_mutations(raw[name], random.Random(n))):
            texts[f"{name}_m{m}"] = variant
    texts |= {f"hostile_{k}": v for k, v in HOSTILE.items()}
    return texts


TEXTS = _texts()


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_cleaning_fast_paths_are_the_reference_on_every_corpus(name):
    text = TEXTS[name]
    assert normalise_whitespace(text) == normalise_whitespace_reference(text)
    assert find_mojibake(text) == find_mojibake_reference(text)
    assert _cjk_count(text) == _cjk_count_reference(text)
    assert _has_fullwidth_ascii(text) == _has_fullwidth_ascii_reference(text)


def test_the_corpora_hold_what_each_rule_turns_on():
    # the equality above would say little if no text held spaces to fold or mojibake to find
    assert any(normalise_whitespace(t) != t for t in TEXTS.values())
    assert sum(bool(find_mojibake(t)) for t in TEXTS.values()) >= 5
    assert find_mojibake("城Ж镇") == [(1, 2)]  # a Cyrillic letter between Chinese: no literal first character
    assert _cjk_count("城鎮化 2025年 TOD 丽") == 5
    assert sum(_has_fullwidth_ascii(t) for t in TEXTS.values()) >= 1
    # the neighbours of the translated ranges are not translated: ：；？＠［ ｛ and U+FF5F…
    for ch in "：；？＠［｀｛～，\uff5f\uff04\uff06\uff0d\uff0f":
        assert not _has_fullwidth_ascii("城" + ch) and not _has_fullwidth_ascii_reference("城" + ch)
    for ch in "０９ＡＺａｚ％．":
        assert _has_fullwidth_ascii("城" + ch) and _has_fullwidth_ascii_reference("城" + ch)


PIECES = [" ", "  ", "\n", "\n\n", " \n", "\n ", "\t", "\u00a0", "\u2002", "\u2003", "\u2009", "\u200b",
          "\u3000", "\ufeff", "城", "镇", "，", "。", "?", "??", "\ufffd", "锟斤拷", "烫烫烫", "Ã", "©", "é",
          "α", "Ж", "ab", "1", "？", "（", "）", "𠀀", "鎮", "\uf900", "６", "Ｚ", "ｚ", "％", "．", "：", "＠", "｀", "｛", "\uff5f", "\uff0f"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_cleaning_fast_paths_are_the_reference_on_random_texts(pieces):
    text = "".join(pieces)
    assert normalise_whitespace(text) == normalise_whitespace_reference(text)
    assert find_mojibake(text) == find_mojibake_reference(text)
    assert _cjk_count(text) == _cjk_count_reference(text)
    assert _has_fullwidth_ascii(text) == _has_fullwidth_ascii_reference(text)
