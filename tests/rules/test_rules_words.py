"""Data-integrity checks for the word lists in ``rules/*.txt`` and the shared patterns built on them."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

from urbanpolicy.extract import patterns
from urbanpolicy.rules.words import alternation, word_list

LISTS = sorted(p.name.removesuffix(".txt") for p in files("urbanpolicy.rules").iterdir()
               if p.name.endswith(".txt") and p.name != "userdict.txt")


def test_the_lists_are_found():
    assert {"genre_words", "org_suffixes", "scope_words"} <= set(LISTS)


@pytest.mark.parametrize("name", LISTS)
def test_word_list_is_clean(name):
    words = word_list(name)
    assert words, f"{name}.txt is empty"
    assert len(set(words)) == len(words), f"{name}.txt repeats {[w for w in words if words.count(w) > 1]}"
    for w in words:
        assert re.fullmatch(r"[\u4e00-\u9fff]+", w), f"{name}.txt: {w!r} is not a run of Chinese characters"


@pytest.mark.parametrize("name", LISTS)
def test_alternation_prefers_the_longer_word(name):
    rx = re.compile(f"(?:{alternation(name)})")
    for w in word_list(name):
        assert rx.match(w).group() == w, f"{name}: {w!r} is cut short by a shorter word"


def test_word_list_is_immutable():
    assert isinstance(word_list("genre_words"), tuple)


@pytest.mark.parametrize("number", [
    "国发〔2024〕17号", "甘政办发 [2017] 158 号", "发改规划（2021）493号", "湘政办发【2020】1号",
    "黔府办函﹝2022﹞第12号", "ABC[2019] 3号", "京政发［２０２１］１号".translate(patterns.FULLWIDTH_DIGITS),
])
def test_doc_number_pattern_reads_every_bracket_style(number):
    assert re.fullmatch(patterns.DOC_NUMBER, number)


@pytest.mark.parametrize("not_number", ["2021年3号文件", "〔2021〕", "国发〔21〕17号", "第12号"])
def test_doc_number_pattern_rejects_other_forms(not_number):
    assert not re.search(patterns.DOC_NUMBER, not_number)


def test_labels():
    assert re.fullmatch(patterns.CHAPTER_LABEL, "十二、")
    assert re.fullmatch(patterns.SECTION_LABEL, "（三）")
    assert re.fullmatch(patterns.SECTION_LABEL, "(两)")
    assert not re.fullmatch(patterns.SECTION_LABEL, "（3）")


def test_digit_maps():
    assert "２０２５年３７．５％".translate(patterns.FULLWIDTH_NUMBER) == "2025年37.5％"
    assert "二〇二五".translate(patterns.CN_YEAR_TO_ASCII) == "2025"
    assert "二零二五".translate(patterns.CN_YEAR_TO_ASCII) == "2025"
