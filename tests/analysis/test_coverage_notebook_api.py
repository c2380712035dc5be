"""The small helpers the coverage notebook relies on: reference choice, gaps, the example pair."""

from __future__ import annotations

import pytest

import urbanpolicy as up

from ..conftest import NATIONAL_PLAN


def test_default_reference_is_the_national_plan_with_most_tasks(corpus):
    # two national documents in the seeds: the 十四五 plan (52 tasks) and the 2024 action plan (39)
    assert up.default_reference(corpus) == NATIONAL_PLAN


def test_uncovered_tasks_are_those_no_document_reaches(corpus):
    cov = up.coverage(corpus, NATIONAL_PLAN)
    gaps = up.uncovered_tasks(corpus, cov)
    covered_any = cov.groupby("reference_task_id")["covered"].any()
    assert set(gaps["task_id"]) == set(covered_any[~covered_any].index)
    assert (gaps["best_score"] < 0.08).all()
    # 优化边境地区城镇布局 (border towns) is a national concern no province or city here takes up
    assert "优化边境地区城镇布局" in set(gaps["title"])


def test_best_pair_is_the_highest_scoring_match(corpus):
    cov = up.coverage(corpus, NATIONAL_PLAN)
    a, b = up.best_pair(cov)
    assert cov.loc[(cov["reference_task_id"] == a) & (cov["best_task_id"] == b), "score"].iloc[0] == cov["score"].max()
    assert up.reuse(corpus, a, b)["ratio"] > 0
    with pytest.raises(ValueError, match="pair"):
        up.best_pair(cov.iloc[0:0])


def test_reuse_view_handles_no_pair_and_bad_pairs(corpus):
    empty = up.coverage(corpus, NATIONAL_PLAN).iloc[0:0]
    assert "No pair" in up.reuse_view(corpus, empty)
    with pytest.raises(ValueError, match="pair"):
        up.reuse_view(corpus, empty, ["only-one"])
    cov = up.coverage(corpus, NATIONAL_PLAN)
    assert "<mark>" in up.reuse_view(corpus, cov)


def test_documents_without_tasks_align_to_nothing(tmp_path):
    (tmp_path / "a.txt").write_text("一、主要任务\n（一）推进农业转移人口市民化。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("没有编号的说明文字。", encoding="utf-8")
    corpus = up.load_corpus(tmp_path)
    assert up.align(corpus, "a", "b").empty
    cov = up.coverage(corpus, "a")
    assert list(cov["covered"]) == [False]
