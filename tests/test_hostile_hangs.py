"""Inputs that used to take quadratic time: each loads in seconds now.

The inputs are sized to show the old cost (each took 30 s to minutes before the fix) and
are loaded through ``load_corpus``, so a new quadratic step anywhere in the pipeline shows
up too.  The guard is a hang detector with a wide margin, not a speed aim: speed aims live
in ``benchmarks/``.
"""

from __future__ import annotations

import urbanpolicy as up

from .hostile_inputs import hang_guard, write

BUDGET = 30  # seconds; each input takes 1-3 s on the development machine after the fix


def load_text(tmp_path, text: str) -> up.Corpus:
    write(tmp_path / "long.txt", text)
    with hang_guard(BUDGET):
        return up.load_corpus(tmp_path)


def test_8000_quantities_in_one_sentence(tmp_path):
    # targets._kind used to search the whole sentence once per quantity
    text = "一、总体要求\n（一）城镇人口" + "，".join(f"{i + 1}万人" for i in range(8000)) + "。"
    corpus = load_text(tmp_path, text)
    assert len(corpus.targets) == 8000
    assert corpus.targets["value"].iloc[-1] == 8000


def test_a_120_kb_run_of_numbers_and_spaces(tmp_path):
    # the quantity finder's lookahead read the rest of a run of number characters from each number in it
    text = "一、总体要求\n（一）推进" + "1 " * 60_000 + "万人。\n（二）" + "二 " * 60_000 + "个。"
    corpus = load_text(tmp_path, text)
    assert list(zip(corpus.targets["value"], corpus.targets["unit"].astype(str), strict=True)) == [(1.0, "万人")]


def test_an_80_kb_ascii_run(tmp_path):
    # the e-mail and 5G/PM2.5 masks rescanned the rest of a letter run from every position
    text = "一、总体要求\n（一）推进" + "a" * 80_000 + "，新增就业5万人。\n（二）" + "x." * 40_000 + "达到3万人。"
    corpus = load_text(tmp_path, text)
    assert sorted(corpus.targets["value"]) == [3.0, 5.0]


def test_20000_repeated_chapter_labels(tmp_path):
    # structure._unique counted up from #2 for every repeat of an id
    text = "\n".join("一、总体要求\n（一）推进城市更新。" for _ in range(20_000))
    corpus = load_text(tmp_path, text)
    assert len(corpus.tasks) == 20_000 and corpus.tasks["task_id"].is_unique
    assert len(corpus.sections) == 20_000 and corpus.sections["section_id"].is_unique
    assert corpus.tasks["task_id"].iloc[-1] == "long:一/（一）#20000"
    assert corpus.sections["section_id"].iloc[-1] == "long:一#20000"


def test_40000_responsibility_clauses(tmp_path):
    # agencies.find_clauses compared every clause with every clause found before it
    text = "一、总体要求\n" + "".join(f"（{i % 9 + 1}）推进第{i}项工作（省发展改革委负责）。\n" for i in range(40_000))
    corpus = load_text(tmp_path, text)
    assert (corpus.assignments["agency_raw"] == "省发展改革委").sum() == 40_000



def test_a_list_of_50000_generic_stems_without_their_shared_word(tmp_path):
    # "公安、公安、…" with no closing 部门: the list alternative used to try the whole run from
    # every position (100 KB took 156 s); a list is at most 16 stems
    c = load_text(tmp_path, "（一）落实。" + "、".join(["公安"] * 50_000) + "。")
    assert len(c.tasks) == 1 and c.assignments.empty


def test_a_list_of_quantities_joined_by_commas(tmp_path):
    # each quantity reads a bounded window of its clause, not the whole list before it
    c = load_text(tmp_path, "（一）目标。" + "、".join(f"新增{i}个" for i in range(8_000)) + "。")
    assert len(c.targets) == 8_000
