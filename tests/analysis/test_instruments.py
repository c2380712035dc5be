"""Policy-instrument coding and directive strength.

Expected codes come from reading the tasks: the seed fixture (46 tasks, with the
reasoning per task) and documents written here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

import urbanpolicy as up
from urbanpolicy import schema
from urbanpolicy.analysis.instruments import codebook_table, instrument_mix, instruments, most_tasks_document
from urbanpolicy.extract.cues import read_rules, rules_path

FIXTURE = Path(__file__).parents[1] / "fixtures" / "instruments_seeds.csv"


@pytest.fixture(scope="module")
def coded(corpus) -> pd.DataFrame:
    return instruments(corpus)


@pytest.fixture(scope="module")
def fixture() -> pd.DataFrame:
    return pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)


def _write(tmp_path: Path, body: str, name: str = "doc.txt") -> up.Corpus:
    (tmp_path / name).write_text(body, encoding="utf-8")
    return up.load_corpus(tmp_path)


def _codes(coded: pd.DataFrame, task_id: str) -> set[str]:
    return set(coded.loc[coded["task_id"] == task_id, "instrument"])


# ----------------------------------------------------------------- the seed fixture


def test_fixture_is_large_enough_and_reasoned(fixture, corpus):
    assert len(fixture) >= 40
    assert fixture["reasoning"].str.len().gt(20).all()
    ids = set(corpus.tasks["task_id"])
    assert {f"{d}:{p}" for d, p in zip(fixture["doc_id"], fixture["path"], strict=True)} <= ids
    assert fixture["doc_id"].nunique() == 5  # every seed document is sampled
    assert set(fixture["directive"]) <= {"mandatory", "guiding", "exploratory"}
    assert (fixture["instruments"] == "").sum() >= 2  # tasks with directive verbs only


def test_every_hand_coded_instrument_matches(fixture, coded):
    wrong = []
    for row in fixture.itertuples():
        task_id = f"{row.doc_id}:{row.path}"
        want = {c for c in row.instruments.split(";") if c}
        got = _codes(coded, task_id)
        if got != want:
            wrong.append((task_id, sorted(got - want), sorted(want - got)))
    assert wrong == []


def test_every_hand_coded_directive_label_and_cue_matches(fixture, corpus):
    tasks = corpus.tasks.set_index("task_id")
    got = [(tasks.at[f"{r.doc_id}:{r.path}", "directive"], tasks.at[f"{r.doc_id}:{r.path}", "directive_cue"])
           for r in fixture.itertuples()]
    assert got == list(zip(fixture["directive"], fixture["directive_cue"], strict=True))


def test_evidence_offsets_point_at_the_cue(coded, corpus):
    texts = corpus.documents.set_index("doc_id")["text"]
    assert len(coded) > 300
    assert all(texts[d][s:e] == cue for d, s, e, cue in
               zip(coded["doc_id"], coded["start"], coded["end"], coded["cue"], strict=True))
    tasks = corpus.tasks.set_index("task_id")
    inside = [tasks.at[t, "start"] <= s and e <= tasks.at[t, "end"]
              for t, s, e in zip(coded["task_id"], coded["start"], coded["end"], strict=True)]
    assert all(inside)
    directive = corpus.tasks[corpus.tasks["directive"].notna()]
    assert all(texts[d][s:e] == cue for d, s, e, cue in zip(directive["doc_id"], directive["directive_start"],
                                                             directive["directive_end"], directive["directive_cue"],
                                                             strict=True))


def test_agency_names_and_titles_never_code(coded):
    # 省财政厅, 省科技厅 name bodies; 发改规划〔2021〕493号 and 《…规范健康发展…》 are citations
    qingyang_county = coded[coded["task_id"] == "004_60968686e36c0458:二/（三）/2."]
    assert "environment.targets_planning" not in set(qingyang_county["instrument"])
    assert not coded["cue"].isin(["财政厅", "科技厅"]).any()


# ----------------------------------------------------------------- the codebook


def test_codebook_has_three_families_and_the_usual_sub_tools():
    table = codebook_table()
    assert set(table["family"]) == {"supply", "demand", "environment"}
    assert table["instrument"].is_unique
    assert {"supply.talent", "supply.funds", "supply.infrastructure", "supply.public_services",
            "supply.technology", "demand.procurement", "demand.pilots", "demand.outsourcing", "demand.trade",
            "environment.targets_planning", "environment.fiscal_finance", "environment.regulation_standards",
            "environment.institutional_reform", "environment.publicity"} == set(table["instrument"])
    assert table["label_zh"].str.len().gt(0).all() and table["description"].str.len().gt(0).all()


def test_no_directive_verb_is_an_instrument_cue():
    directive = {c for level in read_rules("directive.yaml")["levels"].values() for c in level["cues"]}
    cues = {c for row in codebook_table()["cues"] for c in row}
    assert cues & directive == set()
    # and no cue is a bare directive verb plus nothing (加强 / 推进 are never enough)
    assert not any(c in {"加强", "推进", "推动", "支持", "完善"} for c in cues)


def test_rule_files_are_readable_yaml():
    for name in ("instruments.yaml", "directive.yaml"):
        data = yaml.safe_load(rules_path(name).read_text(encoding="utf-8"))
        assert isinstance(data, dict)


# ----------------------------------------------------------------- documents the tests write

DOC = """某某省人民政府关于推进新型城镇化的实施意见
一、重点任务
（一）加强人才支撑。开展新市民职业技能培训，引进高层次人才。
（二）扩大有效需求。推行政府购买服务，在条件成熟的县开展试点示范。
（三）优化发展环境。落实税收优惠政策，完善地方标准体系，加强舆论宣传。
（四）加强统筹协调。各地要加强领导，推进各项工作落实。
（五）鼓励有条件的地方先行探索。
（六）严禁违规举债建设。
（七）省财政厅、省科技厅负责推进。
二、保障措施
（八）开展试"""


def test_written_document_codes_each_family_and_the_negatives(tmp_path):
    corpus = _write(tmp_path, DOC)
    coded = instruments(corpus)
    doc = corpus.documents["doc_id"].iloc[0]
    assert _codes(coded, f"{doc}:一/（一）") == {"supply.talent"}
    assert _codes(coded, f"{doc}:一/（二）") == {"demand.procurement", "demand.pilots"}
    assert _codes(coded, f"{doc}:一/（三）") == {"environment.fiscal_finance", "environment.regulation_standards",
                                                "environment.publicity"}
    assert _codes(coded, f"{doc}:一/（四）") == set()       # directive verbs only
    assert _codes(coded, f"{doc}:一/（七）") == set()       # bodies are not instruments
    assert _codes(coded, f"{doc}:二/（八）") == set()       # cut off before 试点
    tasks = corpus.tasks.set_index("task_id")
    labels = {p: tasks.at[f"{doc}:{p}", "directive"] for p in
              ("一/（一）", "一/（四）", "一/（五）", "一/（六）", "二/（八）")}
    assert labels == {"一/（一）": "guiding", "一/（四）": "guiding", "一/（五）": "exploratory",
                      "一/（六）": "mandatory", "二/（八）": "guiding"}
    assert tasks.at[f"{doc}:一/（五）", "directive_cue"] == "鼓励"


def test_traditional_script_and_other_punctuation(tmp_path):
    body = ("廣東省人民政府辦公廳關於推進城市更新的通知\n一、任務\n(一)推動金融機構加大信貸支持;開展示範.\n"
            "(二)確保完成老舊小區改造任務.\n")
    corpus = _write(tmp_path, body)
    coded = instruments(corpus)
    doc = corpus.documents["doc_id"].iloc[0]
    assert _codes(coded, f"{doc}:一/（一）") == {"environment.fiscal_finance", "demand.pilots"}
    assert corpus.tasks.set_index("task_id").at[f"{doc}:一/（二）", "directive"] == "mandatory"


def test_condition_is_not_an_order(tmp_path):
    corpus = _write(tmp_path, "通知\n一、任务\n（一）在确保安全的前提下推进充电设施建设。\n")
    doc = corpus.documents["doc_id"].iloc[0]
    task = corpus.tasks.set_index("task_id").loc[f"{doc}:一/（一）"]
    assert (task["directive"], task["directive_cue"]) == ("guiding", "推进")


# ----------------------------------------------------------------- own codebooks


def test_a_codebook_that_extends_the_default(tmp_path):
    book = tmp_path / "land.yaml"
    book.write_text(yaml.safe_dump({"extends": "default", "families": {"environment": {"tools": {
        "land": {"label_zh": "土地政策", "cues": ["建设用地", "用地指标"]},
        "publicity": {"cues": ["典型宣传"]}}}}}, allow_unicode=True), encoding="utf-8")
    corpus = _write(tmp_path, "通知\n一、任务\n（一）保障建设用地指标，开展培训。\n")
    coded = instruments(corpus, codebook=book)
    assert set(coded["instrument"]) == {"environment.land", "supply.talent"}
    table = codebook_table(book)
    assert "典型宣传" in table.set_index("instrument").at["environment.publicity", "cues"]
    assert "宣传" in table.set_index("instrument").at["environment.publicity", "cues"]


def test_a_codebook_that_replaces_the_default(tmp_path):
    book = {"families": {"mine": {"tools": {"land": {"cues": ["建设用地"]}}}}}
    corpus = _write(tmp_path, "通知\n一、任务\n（一）保障建设用地指标，开展培训。\n")
    assert set(instruments(corpus, codebook=book)["instrument"]) == {"mine.land"}


def test_a_broken_codebook_says_what_is_wrong(tmp_path):
    with pytest.raises(ValueError, match="families"):
        codebook_table({"tools": {}})
    with pytest.raises(ValueError, match="neither cues nor patterns"):
        codebook_table({"families": {"x": {"tools": {"y": {"label_zh": "空"}}}}})
    with pytest.raises(FileNotFoundError):
        codebook_table(tmp_path / "missing.yaml")


def test_instrument_mix_shares(corpus, coded):
    mix = instrument_mix(corpus, coded, by="level", level="family")
    assert set(mix["level"]) == {"national", "provincial", "municipal"}
    assert mix["share"].between(0, 1).all()
    # shares count tasks, not cues: Qingyang's 41 tasks
    qingyang = instrument_mix(corpus, coded, level="family").query("doc_id == '004_60968686e36c0458'")
    assert set(qingyang["n_tasks"]) == {41}


@pytest.mark.parametrize("parameters,message", [
    ({"codebook": "/no/such/codebook.yaml"}, "codebook: no such file"),
    ({"network_file": "net.csv"}, "network_file: must end in .graphml or .gexf"),
    ({"min_chars": 0}, "min_chars"),
])
def test_notebook_parameters_of_05_and_06_are_checked(parameters, message):
    with pytest.raises(ValueError, match=message):
        up.validate_parameters(parameters)


def test_chapter_doc_must_be_a_known_document():
    with pytest.raises(ValueError, match="chapter_doc"):
        up.validate_parameters({"chapter_doc": "nope"}, {"000_d903ec7be93ef826"})
    up.validate_parameters({"chapter_doc": "000_d903ec7be93ef826", "codebook": None, "network_file": "x.gexf"},
                           {"000_d903ec7be93ef826"})


def test_most_tasks_document_breaks_a_tie_by_document_order_not_by_name():
    """tasks.doc_id is a category (sorted categories): the tie goes to the document met first, "b"."""
    rows = [{"doc_id": doc, "task_id": f"{doc}:{n}", "depth": 1, "ordinal": n, "is_leaf": True, "start": n,
             "end": n + 1} for doc in ("b", "a") for n in range(2)]
    assert most_tasks_document(up.Corpus(tasks=schema.frame("tasks", rows))) == "b"
