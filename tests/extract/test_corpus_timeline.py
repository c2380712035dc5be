"""Dates and references as they land in the Corpus for the seeds (read off the documents)."""

from __future__ import annotations

import pandas as pd

from ..conftest import HUBEI, HUNAN, NATIONAL_PLAN, QINGYANG, STATE_COUNCIL


def _rows(corpus, doc_id, kind):
    d = corpus.dates
    return d[(d["doc_id"] == doc_id) & (d["kind"] == kind)]


def test_issued_and_published_rows_point_at_the_text(corpus):
    texts = corpus.documents.set_index("doc_id")["text"]
    expected = {HUNAN: "2021-07-15", STATE_COUNCIL: "2024-07-28", QINGYANG: "2022-03-30", HUBEI: "2021-06-11"}
    for doc_id, day in expected.items():
        row = _rows(corpus, doc_id, "issued").iloc[0]
        assert row["date"] == pd.Timestamp(day)
        assert texts[doc_id][row["start"]:row["end"]] == row["text"]
    published = _rows(corpus, QINGYANG, "published").iloc[0]
    assert published["date"] == pd.Timestamp("2022-04-02") and published["start"] == -1
    assert _rows(corpus, NATIONAL_PLAN, "published").iloc[0]["date"] == pd.Timestamp("2022-07-12")


def test_comment_deadline_and_target_years(corpus):
    deadline = _rows(corpus, HUNAN, "deadline").iloc[0]
    assert deadline["date"] == pd.Timestamp("2021-07-21") and "7月21日前" in deadline["text"]
    targets = _rows(corpus, QINGYANG, "target_year")
    assert list(targets["date"]) == [pd.Timestamp("2025-12-31"), pd.Timestamp("2035-12-31")]
    assert set(targets["task_id"]) == {f"{QINGYANG}:一/（三）"}
    relative = _rows(corpus, STATE_COUNCIL, "relative").iloc[0]
    assert relative["text"] == "经过5年的努力" and relative["date"].year == 2029


def test_every_date_row_is_traceable(corpus):
    texts = corpus.documents.set_index("doc_id")["text"]
    placed = corpus.dates[corpus.dates["start"] >= 0]
    for row in placed.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.text


def test_three_local_documents_cite_the_same_national_task_list(corpus):
    refs = corpus.references
    key = "2021年新型城镇化和城乡融合发展重点任务"
    citing = set(refs.loc[refs["cited_title"] == key, "doc_id"])
    assert citing == {HUBEI, HUNAN, QINGYANG}
    assert set(refs.loc[refs["cited_number"] == "发改规划〔2021〕493号", "doc_id"]) == {HUNAN, QINGYANG}
    # a document's own number and its own attachment are not citations
    assert not (refs["cited_number"] == "国发〔2024〕17号").any()
    assert not ((refs["doc_id"] == HUNAN) & refs["cited_title"].str.startswith("2021年湖南省")).any()
    assert set(refs.loc[refs["doc_id"] == QINGYANG, "cited_number"].dropna()) >= {"甘政办发〔2017〕158号", "甘政办发〔2021〕94号"}


def test_cited_doc_id_links_documents_in_the_corpus(tmp_path):
    from urbanpolicy import load_corpus

    (tmp_path / "a.txt").write_text("国务院关于印发某规划的通知\n国发〔2024〕17号\n一、总体要求\n（一）目标。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("某省人民政府关于贯彻落实某规划的实施意见\n为贯彻落实《某规划》（国发〔2024〕17号），制定本意见。\n一、目标\n（一）落实。",
                                    encoding="utf-8")
    corpus = load_corpus(tmp_path)
    refs = corpus.references.set_index("doc_id")
    assert refs.at["b", "cited_doc_id"] == "a"


def test_year_that_opens_a_quantity_sentence_is_a_target_year(corpus):
    # "2021年新开工改造老旧小区2601个" (Hubei) and "…1500个" (Hunan): the year the quantity is for
    for doc_id in (HUBEI, HUNAN):
        text = corpus.text(doc_id)
        at = text.index("2021年新开工改造")
        row = corpus.dates[(corpus.dates["doc_id"] == doc_id) & (corpus.dates["start"] == at)].iloc[0]
        assert row["kind"] == "target_year" and row["date"] == pd.Timestamp("2021-12-31")
    # the opening "2021年是…开局之年" stays a mention
    hubei = corpus.text(HUBEI)
    opening = corpus.dates[(corpus.dates["doc_id"] == HUBEI) & (corpus.dates["start"] == hubei.index("2021年是"))]
    assert opening["kind"].iloc[0] == "mention"


def test_plan_year_rule_on_written_sentences():
    from urbanpolicy.extract.dates import date_rows

    def kinds(text):
        return [[r["text"], r["kind"]] for r in date_rows("d", text, None, 2021, None)]

    assert kinds("2025年力争建成50个县城示范。") == [["2025年", "target_year"]]
    assert kinds("2022年全省新增保障性租赁住房3万套。") == [["2022年", "target_year"]]
    assert kinds("2019年新增城镇就业1352万人。") == [["2019年", "mention"]]  # before the document year
    assert kinds("2023年是全面贯彻党的二十大精神的开局之年。") == [["2023年", "mention"]]  # no quantity
