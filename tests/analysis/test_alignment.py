"""Alignment, coverage and reuse on the seeds (issue "Target coverage")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import opencc
import pandas as pd
import pytest

import urbanpolicy as up
from urbanpolicy.analysis.alignment import (
    ALIGN_COLUMNS,
    METHODS,
    align,
    similarity_top_k,
    strip_clause,
    strip_label,
    task_texts,
)
from urbanpolicy.analysis.coverage import (
    COVERAGE_COLUMNS,
    DEFAULT_THRESHOLD,
    coverage,
    highlight_reuse,
    reuse,
)

from ..conftest import HUBEI, HUNAN, NATIONAL_PLAN, QINGYANG, SEEDS, STATE_COUNCIL

FIXTURE = Path(__file__).parents[1] / "fixtures" / "alignment_pairs.csv"
PARKING_A = f"{HUBEI}:四/（十四）"   # 优化城市公共交通体系
PARKING_B = f"{HUNAN}:五/（十四）"   # 优化城市交通服务体系: same parking sentence


@pytest.fixture(scope="module")
def pairs() -> pd.DataFrame:
    return pd.read_csv(FIXTURE)


def top1_accuracy(corpus, pairs: pd.DataFrame, method: str) -> float:
    result = align(corpus, HUBEI, HUNAN, top_k=1, method=method)
    best = dict(zip(result["source_task_id"], result["target_task_id"], strict=True))
    return float(np.mean([best.get(s) == t for s, t in
                          zip(pairs["source_task_id"], pairs["target_task_id"], strict=True)]))


def test_fixture_pairs_exist_and_are_one_to_one(corpus, pairs):
    ids = set(corpus.tasks["task_id"])
    assert len(pairs) >= 20
    assert set(pairs["source_task_id"]) <= ids and set(pairs["target_task_id"]) <= ids
    assert pairs["source_task_id"].str.startswith(HUBEI).all()
    assert pairs["target_task_id"].str.startswith(HUNAN).all()
    assert pairs["source_task_id"].is_unique and pairs["target_task_id"].is_unique
    assert pairs["note"].str.len().gt(0).all()


def test_top1_accuracy_default_method(corpus, pairs):
    acc = top1_accuracy(corpus, pairs, "char")
    print(f"\ntop-1 accuracy char on {len(pairs)} pairs: {acc:.3f}")
    assert acc >= 0.9


@pytest.mark.parametrize("method", ["jieba", "combined", "sentences"])
def test_top1_accuracy_other_methods(corpus, pairs, method):
    acc = top1_accuracy(corpus, pairs, method)
    print(f"\ntop-1 accuracy {method} on {len(pairs)} pairs: {acc:.3f}")
    assert acc >= 0.9


def test_align_shape_ranks_scores_and_order(corpus):
    result = align(corpus, HUBEI, HUNAN, top_k=3)
    assert list(result.columns) == ALIGN_COLUMNS
    sources = task_texts(corpus, HUBEI)["task_id"].to_list()
    assert result["source_task_id"].to_list() == [s for s in sources for _ in range(3)]
    assert result["rank"].to_list() == [1, 2, 3] * len(sources)
    assert result["score"].between(0, 1).all()
    assert result["target_task_id"].str.startswith(HUNAN).all()
    # best first within each source task, no target twice
    for _, group in result.groupby("source_task_id"):
        assert group["score"].is_monotonic_decreasing
        assert group["target_task_id"].is_unique
    pd.testing.assert_frame_equal(result, align(corpus, HUBEI, HUNAN, top_k=3))


def test_align_top_k_larger_than_target(corpus):
    n_target = len(task_texts(corpus, HUNAN))
    result = align(corpus, HUBEI, HUNAN, top_k=n_target + 5)
    assert result.groupby("source_task_id").size().eq(n_target).all()


def test_similarity_top_k_ties_broken_by_order():
    # b[0], b[1], b[3] are identical: equal scores must come out in index order.
    idx, scores = similarity_top_k(["城市更新行动"], ["城市更新行动", "城市更新行动", "乡村产业振兴", "城市更新行动"], 3, "char")
    assert idx.tolist() == [[0, 1, 3]]
    assert np.allclose(scores, 1.0)
    idx2, _ = similarity_top_k(["城市更新行动"], ["乡村产业振兴", "城市更新行动", "城市更新行动"], 1, "char")
    assert idx2.tolist() == [[1]]


@pytest.mark.parametrize("method", METHODS)
def test_similarity_top_k_chunking_does_not_change_result(corpus, method):
    texts = task_texts(corpus, NATIONAL_PLAN)["text"].to_list()
    a, b = texts[:30], texts[10:]
    whole = similarity_top_k(a, b, 4, method, chunk_rows=1000)
    chunked = similarity_top_k(a, b, 4, method, chunk_rows=7)
    assert np.array_equal(whole[0], chunked[0])
    assert np.allclose(whole[1], chunked[1])
    # a text present on both sides finds itself first with score 1
    assert whole[0][10:, 0].tolist() == list(range(20))
    assert np.allclose(whole[1][10:, 0], 1.0, atol=1e-5)


def test_similarity_top_k_rejects_unknown_method():
    with pytest.raises(ValueError, match="unknown method"):
        similarity_top_k(["a"], ["b"], 1, "bert")


def test_task_texts_strip_label_and_clause_and_skip_heading_parents(corpus):
    texts = task_texts(corpus, HUBEI).set_index("task_id")["text"]
    first = texts[f"{HUBEI}:一/（一）"]
    assert first.startswith("深度放开放宽城市落户限制")
    assert first.endswith("分数占主要比例。") and "负责" not in first
    state = task_texts(corpus, STATE_COUNCIL)["task_id"]
    assert f"{STATE_COUNCIL}:二/（二）" not in set(state)          # "（二）重点任务" heading only
    assert f"{STATE_COUNCIL}:二/（二）/1." in set(state)
    assert f"{STATE_COUNCIL}:四/（三）" in set(state)              # parent-free text of its own
    assert strip_label("1. 建设好县城。", "1.") == "建设好县城。"
    assert strip_clause("推进落户。（省公安厅、相关县（市、区）负责）") == "推进落户。"
    assert strip_clause("（省公安厅负责）的事项要落实。") == "（省公安厅负责）的事项要落实。"


def test_align_same_on_traditional_copy(tmp_path, corpus):
    s2t = opencc.OpenCC("s2t")
    for doc_id in (HUBEI, HUNAN):
        raw = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")
        (tmp_path / f"{doc_id}.txt").write_text(s2t.convert(raw), encoding="utf-8")
    traditional = up.load_corpus(tmp_path)
    assert (traditional.documents["script"] == "traditional").all()
    original = align(corpus, HUBEI, HUNAN, top_k=3)
    converted = align(traditional, HUBEI, HUNAN, top_k=3)
    pd.testing.assert_frame_equal(original.drop(columns="score"), converted.drop(columns="score"))
    assert np.allclose(original["score"], converted["score"], atol=0.02)


def test_coverage_of_national_plan(corpus):
    cov = coverage(corpus, NATIONAL_PLAN)
    kinds = corpus.tasks.set_index("task_id")["kind"]
    ref = [t for t in task_texts(corpus, NATIONAL_PLAN)["task_id"] if kinds[t] == "task"]
    assert len(ref) == 44  # 52 numbered items less 主要进展, 发展形势, 指导思想, 工作原则, 主要目标 and 八、保障措施's 3
    others = [d for d in corpus.documents["doc_id"] if d != NATIONAL_PLAN]
    assert list(cov.columns) == COVERAGE_COLUMNS
    assert len(cov) == len(ref) * len(others)
    assert cov["reference_task_id"].to_list() == [t for t in ref for _ in others]
    assert cov["doc_id"].to_list() == others * len(ref)
    assert cov["covered"].dtype == bool
    assert cov["covered"].equals(cov["score"] >= DEFAULT_THRESHOLD)
    assert cov["covered"].any() and not cov["covered"].all()
    for doc_id, best in zip(cov["doc_id"], cov["best_task_id"], strict=True):
        assert best.startswith(doc_id)
    row = cov[(cov["reference_task_id"] == f"{NATIONAL_PLAN}:五/（二十六）") & (cov["doc_id"] == HUBEI)].iloc[0]
    assert row["best_task_id"] == f"{HUBEI}:四/（十五）" and row["covered"]   # 城市更新
    border = cov[cov["reference_task_id"] == f"{NATIONAL_PLAN}:四/（二十一）"]  # 边境地区城镇布局
    assert not border.loc[border["doc_id"].isin([HUBEI, HUNAN]), "covered"].any()
    assert coverage(corpus, NATIONAL_PLAN, [HUBEI], threshold=0.0)["covered"].all()


def test_coverage_rejects_unknown_documents(corpus):
    with pytest.raises(ValueError, match="unknown"):
        coverage(corpus, "nope")
    with pytest.raises(ValueError, match="unknown"):
        coverage(corpus, NATIONAL_PLAN, ["nope"])


def test_threshold_separates_fixture_pairs_from_unmatched(corpus, pairs):
    scores = align(corpus, HUBEI, HUNAN, top_k=30)
    true = scores.merge(pairs, on=["source_task_id", "target_task_id"])["score"]
    unmatched = scores[~scores["source_task_id"].isin(pairs["source_task_id"]) & (scores["rank"] == 1)]["score"]
    print(f"\ntrue pairs min {true.min():.3f}; no-counterpart best max {unmatched.max():.3f}; threshold {DEFAULT_THRESHOLD}")
    assert len(unmatched) >= 2
    assert unmatched.max() < DEFAULT_THRESHOLD <= true.min()


def test_reuse_passages_are_exact_slices(corpus, docs):
    result = reuse(corpus, PARKING_A, PARKING_B)
    passages = result["passages"]
    assert list(passages.columns) == ["text", "a_start", "a_end", "b_start", "b_end", "length"]
    assert passages["length"].ge(8).all() and len(passages) >= 2
    text_a, text_b = docs.at[HUBEI, "text"], docs.at[HUNAN, "text"]
    for row in passages.itertuples():
        assert row.text == text_a[row.a_start:row.a_end] == text_b[row.b_start:row.b_end]
        assert len(row.text) == row.length
    assert any("完善以配建停车场为主、公共停车场为辅" in t for t in passages["text"])
    assert 0 < result["ratio"] <= 1
    assert reuse(corpus, PARKING_A, PARKING_A)["ratio"] == pytest.approx(1.0)
    unrelated = reuse(corpus, PARKING_A, f"{HUNAN}:七/（十九）", min_chars=20)
    assert unrelated["passages"].empty and unrelated["ratio"] == 0


def test_highlight_reuse_escapes_text(corpus):
    html_out = highlight_reuse(corpus, PARKING_A, PARKING_B)
    assert html_out.count("<mark>") == len(reuse(corpus, PARKING_A, PARKING_B)["passages"]) * 2
    tasks = corpus.tasks.copy()
    documents = corpus.documents.copy()
    evil = "（一）<script>alert('x')</script>完善以配建停车场为主、公共停车场为辅的停车设施体系"
    tasks.loc[tasks["task_id"] == PARKING_A, ["text", "end"]] = [evil, 3740 + len(evil)]
    patched = up.Corpus(documents=documents, problems=corpus.problems, cleaning=corpus.cleaning, tasks=tasks)
    out = highlight_reuse(patched, PARKING_A, PARKING_B)
    assert "<script>" not in out
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in out
    assert "<mark>" in out


NATIONAL_FIXTURE = Path(__file__).parents[1] / "fixtures" / "alignment_national_pairs.csv"


def national_top1(corpus, method: str) -> int:
    pairs = pd.read_csv(NATIONAL_FIXTURE)
    hits = 0
    for doc, group in pairs.groupby(pairs["source_task_id"].str.split(":").str[0]):
        best = align(corpus, doc, NATIONAL_PLAN, top_k=1, method=method).set_index("source_task_id")["target_task_id"]
        hits += sum(best[s] == t for s, t in zip(group["source_task_id"], group["target_task_id"], strict=True))
    return hits


def test_national_fixture_is_read_pairs_from_local_documents(corpus):
    pairs = pd.read_csv(NATIONAL_FIXTURE)
    ids = set(corpus.tasks["task_id"])
    assert len(pairs) >= 30 and pairs["source_task_id"].is_unique
    assert set(pairs["source_task_id"]) <= ids and set(pairs["target_task_id"]) <= ids
    levels = corpus.documents.set_index("doc_id")["level"]
    assert set(pairs["source_task_id"].str.split(":").str[0].map(levels)) <= {"provincial", "municipal"}
    assert pairs["target_task_id"].str.startswith(NATIONAL_PLAN).all()
    assert pairs["note"].str.len().gt(0).all()


def test_sentences_beat_whole_task_characters_on_local_to_national_pairs(corpus):
    before, after = national_top1(corpus, "char"), national_top1(corpus, "sentences")
    print(f"\nlocal → national top-1: char {before}/36, sentences {after}/36")
    assert after > before and after >= 30


def test_one_sentence_taken_up_in_other_words_is_found(corpus):
    # Qingyang's minimum-living-allowance task and the national social-insurance task that ends
    # with "…支持有条件的地区有序推进居住证持有人在常住地申办最低生活保障"
    source = f"{QINGYANG}:二/（五）/7."
    by_char = align(corpus, QINGYANG, NATIONAL_PLAN, top_k=1, method="char").set_index("source_task_id")
    by_sentence = align(corpus, QINGYANG, NATIONAL_PLAN, top_k=1, method="sentences").set_index("source_task_id")
    assert by_char.at[source, "target_task_id"] != f"{NATIONAL_PLAN}:三/（十）"
    assert by_sentence.at[source, "target_task_id"] == f"{NATIONAL_PLAN}:三/（十）"


def test_sentences_split_at_sentence_ends_and_keep_short_tasks_whole():
    from urbanpolicy.analysis.alignment import sentences

    assert sentences("推进户籍制度改革。完善居住证制度；好。") == ["推进户籍制度改革。", "完善居住证制度；"]
    assert sentences("短") == ["短"]


def test_sentence_candidates_keep_results_independent_of_chunking(corpus, monkeypatch):
    from urbanpolicy.analysis import alignment

    texts = [t for d in corpus.documents["doc_id"] for t in task_texts(corpus, d)["text"]]
    a, b = texts[:60], texts[20:]
    exact = similarity_top_k(a, b, 3, "sentences")
    monkeypatch.setattr(alignment, "SENTENCE_CANDIDATES", 8)  # fewer candidates than targets
    few = similarity_top_k(a, b, 3, "sentences")
    few_chunked = similarity_top_k(a, b, 3, "sentences", chunk_rows=7)
    assert np.array_equal(few[0], few_chunked[0]) and np.allclose(few[1], few_chunked[1])
    # the best match is among a task's best whole-task candidates here, so top-1 is unchanged
    assert np.array_equal(exact[0][:, 0], few[0][:, 0])


# ----------------------------------------------------------------- n-grams counted once


def test_char_ngram_counts_equal_scikit_learns_counts():
    from sklearn.feature_extraction.text import CountVectorizer

    from urbanpolicy.analysis.alignment import char_ngram_counts

    texts = ["推进农业转移人口市民化。", "推進農業轉移人口市民化", "PM2.5 浓度  下降\n\n10%", "城", "", "5G基站 5g 基站",
             "（一）城市更新\t\t行动；", "𠀀𠀁𠀀𠀁 supplementary-plane characters"]
    ours = char_ngram_counts(texts).toarray()
    vectorizer = CountVectorizer(analyzer="char", ngram_range=(2, 3))
    theirs = vectorizer.fit_transform(texts).toarray()
    # same n-grams per text with the same counts; columns in another order: compare as multisets
    assert ours.shape == theirs.shape
    assert sorted(map(tuple, ours.T.tolist())) == sorted(map(tuple, theirs.T.astype(float).tolist()))
    assert ours.sum(axis=1).tolist() == theirs.sum(axis=1).tolist()


@pytest.mark.parametrize("method", ["sentences", "char"])
def test_task_ngrams_give_aligns_best_matches_on_every_seed_pair(corpus, method):
    from urbanpolicy.analysis.alignment import TaskNgrams

    engine = TaskNgrams(corpus, method=method)
    for source in corpus.documents["doc_id"]:
        for target in corpus.documents["doc_id"]:
            if source == target:
                continue
            expected = align(corpus, source, target, top_k=1, method=method)
            (index, score), _ = engine.best(source, target)
            _, (back_index, back_score) = engine.best(target, source)
            for idx, sc in ((index, score), (back_index, back_score)):
                assert engine.task_ids[source].tolist() == expected["source_task_id"].tolist()
                assert engine.task_ids[target][idx].tolist() == expected["target_task_id"].tolist()
                np.testing.assert_allclose(sc, expected["score"], atol=1e-5)


def test_task_ngrams_keep_the_sentence_candidate_rule_beyond_64_target_tasks(tmp_path):
    """A document of more tasks than SENTENCE_CANDIDATES: sentence scores only for each task's
    64 best whole-task candidates, as in similarity_top_k."""
    from urbanpolicy.analysis.alignment import TaskNgrams

    topics = ["户籍制度改革", "城市更新行动", "公共交通体系", "保障性住房", "县城补短板", "产业园区建设",
              "农村土地制度", "生态环境治理", "城市防洪排涝", "老旧小区改造", "职业技能培训"]
    lines = ["某省人民政府关于城镇化的意见", "一、任务"]
    for i in range(70):
        a, b = topics[i % 11], topics[(i * 7 + 3) % 11]
        lines.append(f"（{i + 1}）推进{a}第{i}项。加快{b}工作，完善{a}和{b}的配套政策。")
    (tmp_path / "big.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "small.txt").write_text("某市人民政府关于落实的通知\n一、任务\n（一）推进户籍制度改革。加快城市更新行动。\n"
                                        "（二）完善公共交通体系和保障性住房。\n", encoding="utf-8")
    corpus = up.load_corpus(tmp_path)
    big, small = "big", "small"
    assert len(task_texts(corpus, big)) > 64
    engine = TaskNgrams(corpus)
    (index, score), (back_index, back_score) = engine.best(small, big)
    expected = align(corpus, small, big, top_k=1)
    assert engine.task_ids[big][index].tolist() == expected["target_task_id"].tolist()
    np.testing.assert_allclose(score, expected["score"], atol=1e-5)
    expected_back = align(corpus, big, small, top_k=1)
    assert engine.task_ids[small][back_index].tolist() == expected_back["target_task_id"].tolist()
    np.testing.assert_allclose(back_score, expected_back["score"], atol=1e-5)


@pytest.mark.parametrize("method", ["sentences", "char", "jieba"])
def test_coverage_equals_its_per_pair_reference_on_the_seeds(corpus, method):
    from urbanpolicy.analysis.coverage import coverage_reference

    for reference in corpus.documents["doc_id"]:
        fast, slow = coverage(corpus, reference, method=method), coverage_reference(corpus, reference, method=method)
        pd.testing.assert_frame_equal(fast.drop(columns="score"), slow.drop(columns="score"))
        np.testing.assert_allclose(fast["score"], slow["score"], atol=1e-5)
