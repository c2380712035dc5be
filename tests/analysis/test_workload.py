"""Agency assignments as they land in the Corpus, and the workload analyses built on them."""

from __future__ import annotations

import re

import pytest

import urbanpolicy as up

from ..conftest import HUBEI, HUNAN, QINGYANG

# "?" may stand for the opening bracket where mojibake damaged it (the Hunan seed has one)
CLAUSE = re.compile(r"[（?]([^（）?]*(?:（[^（）]*）[^（）?]*)*)负责）")


def _split_top_level(body: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in body:
        depth += ch == "（"
        depth -= ch == "）"
        if ch == "、" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [p for p in [*parts, current] if p]


def _clauses(text: str) -> list[list[str]]:
    """Responsibility clauses read independently of the package: the bodies between 、, in order."""
    return [_split_top_level(m.group(1).replace("等部门及", "、").replace("等部门", "")) for m in CLAUSE.finditer(text)]


@pytest.mark.parametrize("doc_id", [HUBEI, HUNAN])
def test_every_clause_yields_its_bodies_in_order_with_the_first_leading(corpus, doc_id):
    text = corpus.text(doc_id)
    a = corpus.assignments
    clause_rows = a[(a["doc_id"] == doc_id) & (a["source"] == "clause")].sort_values("start")
    tasks_in_order = list(dict.fromkeys(clause_rows["task_id"]))
    clauses = _clauses(text)
    assert len(tasks_in_order) == len(clauses) >= 20
    for task_id, bodies in zip(tasks_in_order, clauses, strict=True):
        rows = clause_rows[clause_rows["task_id"] == task_id].sort_values("position")
        assert list(rows["agency_raw"]) == bodies, task_id
        assert list(rows["role"]) == ["lead"] + ["support"] * (len(bodies) - 1), task_id
        assert all(text[r.start:r.end] == r.agency_raw for r in rows.itertuples())


def test_aliases_map_to_one_canonical_agency_and_functions_match_across_provinces(corpus):
    a = corpus.assignments
    hubei = a[a["doc_id"] == HUBEI]
    housing = hubei[hubei["agency_raw"].isin(["省住建厅", "省住房城乡建设厅"])]
    assert set(housing["agency"]) == {"湖北省住房和城乡建设厅"}
    hunan = a[(a["doc_id"] == HUNAN) & a["agency_raw"].isin(["省卫健委", "省卫建委"])]
    assert set(hunan["agency"]) == {"湖南省卫生健康委员会"}  # 省卫建委 is a typo in the Hunan seed
    functions = a.groupby("agency")["function"].first()
    assert functions["湖北省住房和城乡建设厅"] == functions["湖南省住房和城乡建设厅"] == "housing_urban_rural"
    assert functions["湖北省公安厅"] == functions["湖南省公安厅"] == "public_security"


def test_qingyang_prose_duties(corpus):
    a = corpus.assignments
    prose = a[(a["doc_id"] == QINGYANG) & (a["source"] == "prose")]
    police = prose[prose["task_id"] == f"{QINGYANG}:三/（四）"]
    assert police.iloc[0]["agency"] == "庆阳市公安局" and police.iloc[0]["role"] == "lead"
    assert {"发展改革部门", "统计部门", "公安部门"} <= set(prose["agency_raw"])


def test_workload_counts_tasks_named_in_clauses(corpus):
    text = corpus.text(HUBEI)
    police_clauses = sum("省公安厅" in bodies for bodies in _clauses(text))
    police_leads = sum(bodies[0] == "省公安厅" for bodies in _clauses(text))
    table = up.workload(corpus, docs=[HUBEI]).set_index("key")
    assert table.at["湖北省公安厅", "total"] == police_clauses
    assert table.at["湖北省公安厅", "led"] == police_leads
    by_function = up.workload(corpus, by="function").set_index(["doc_id", "key"])
    assert by_function.at[(HUBEI, "public_security"), "total"] >= police_clauses
    with pytest.raises(ValueError, match="by"):
        up.workload(corpus, by="colour")


def test_other_province_and_labelled_clause_styles(tmp_path):
    doc = ("四川省人民政府办公厅关于印发2023年全省新型城镇化工作要点的通知\n一、推进农业转移人口市民化\n"
           "（一）深化户籍制度改革。全面放开落户限制。\n牵头单位：省发展改革委；配合单位：省财政厅、省自然资源厅\n"
           "（二）完善住房保障。加快保障性租赁住房建设。（省住房城乡建设厅牵头，省财政厅、人民银行成都分行配合）\n"
           "（三）加强统筹。（各有关部门按职责分工负责）\n")
    (tmp_path / "sc.txt").write_text(doc, encoding="utf-8")
    corpus = up.load_corpus(tmp_path)
    a = corpus.assignments.sort_values(["task_id", "position"])
    first = a[a["task_id"] == "sc:一/（一）"]
    assert list(first["agency"]) == ["四川省发展和改革委员会", "四川省财政厅", "四川省自然资源厅"]
    assert list(first["role"]) == ["lead", "support", "support"]
    second = a[a["task_id"] == "sc:一/（二）"]
    assert list(second["role"]) == ["lead", "support", "support"]
    assert second.iloc[0]["agency"] == "四川省住房和城乡建设厅"
    assert set(a.loc[a["task_id"] == "sc:一/（三）", "role"]) == {"joint"}


def test_unassigned_tasks_and_pairs(corpus):
    missing = up.unassigned_tasks(corpus, docs=[HUBEI])
    assigned = set(corpus.assignments.loc[corpus.assignments["role"].isin(["lead", "support", "joint"]), "task_id"])
    assert not set(missing["task_id"]) & assigned
    pairs = up.co_responsibility(corpus)
    assert (pairs["agency_a"] < pairs["agency_b"]).all() and (pairs["shared_tasks"] >= 1).all()


def test_english_names_carry_the_region(corpus):
    names = corpus.assignments.drop_duplicates("agency").set_index("agency")["agency_en"]
    assert names["湖北省公安厅"] == "Hubei Provincial Department of Public Security"
    assert names["湖南省住房和城乡建设厅"] == "Hunan Provincial Department of Housing and Urban-Rural Development"
    assert names["庆阳市公安局"] == "Qingyang Municipal Public Security Bureau"
    assert names["国家发展和改革委员会"] == "National Development and Reform Commission"
