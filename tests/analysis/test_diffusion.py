"""Issuers and document strength, co-issuing networks, citation completeness and diffusion dyads.

Expected values are read from the documents: titles, signatures, dates and 发文字号.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import urbanpolicy as up
from urbanpolicy.analysis import dyads as dyads_module
from urbanpolicy.analysis.citations import citations, missing_citations, parse_doc_number
from urbanpolicy.analysis.dyads import MAX_SOURCES, candidate_pairs, dyads, dyads_reference, verbatim_mask
from urbanpolicy.analysis.networks import co_issuing, co_issuing_graph, write_co_issuing

from ..conftest import HUBEI, HUNAN, NATIONAL_PLAN, QINGYANG, STATE_COUNCIL

# ----------------------------------------------------------------- issuers, type, rank, strength


def test_seed_issuers_types_and_ranks(docs):
    got = docs[["issuers", "doc_type", "draft", "issuer_rank", "strength"]].to_dict("index")
    assert got[HUBEI] == {"issuers": "湖北省发展和改革委员会", "doc_type": "工作要点", "draft": False,
                          "issuer_rank": "provincial_department", "strength": 1.8}
    # a request for comments on a draft: the draft's type, weighted down
    assert got[HUNAN] == {"issuers": "湖南省推进新型城镇化工作领导小组办公室", "doc_type": "工作要点", "draft": True,
                          "issuer_rank": "provincial_department", "strength": 0.9}
    assert got[NATIONAL_PLAN]["issuers"] == "国家发展和改革委员会"
    assert got[NATIONAL_PLAN]["doc_type"] == "实施方案" and got[NATIONAL_PLAN]["issuer_rank"] == "ministry"
    # 国务院关于印发《…五年行动计划》的通知: the attachment's type
    assert (got[STATE_COUNCIL]["doc_type"], got[STATE_COUNCIL]["issuer_rank"], got[STATE_COUNCIL]["strength"]) == (
        "行动计划", "state_council", 4.8)
    assert (got[QINGYANG]["issuers"], got[QINGYANG]["doc_type"], got[QINGYANG]["issuer_rank"]) == (
        "庆阳市人民政府办公室", "实施意见", "prefecture")


JOINT_TITLE = """财政部 国家发展改革委 住房城乡建设部关于印发《城镇老旧小区改造补助资金管理办法》的通知
各省、自治区、直辖市财政厅（局）：
一、总则
（一）补助资金用于城镇老旧小区改造。
财政部
2024年3月1日
"""
JOINT_SIGNED = """关于推进城市更新的指导意见
各省、自治区、直辖市人民政府：
一、任务
（一）有序推进城市更新。
国家发展改革委
住房城乡建设部
2024年5月6日
"""
JOINT_COMMA = """国家发展改革委、财政部关于做好县城建设的通知
一、任务
（一）推进县城建设。
"""
PROVINCIAL = """四川省人民政府办公厅关于推进新型城镇化的实施意见
一、任务
（一）推进县城建设。
四川省人民政府办公厅
2023年2月3日
"""


@pytest.fixture(scope="module")
def joint(tmp_path_factory) -> up.Corpus:
    folder = tmp_path_factory.mktemp("joint")
    for name, body in (("a", JOINT_TITLE), ("b", JOINT_SIGNED), ("c", JOINT_COMMA), ("d", PROVINCIAL)):
        (folder / f"{name}.txt").write_text(body, encoding="utf-8")
    return up.load_corpus(folder)


def test_jointly_issued_documents_list_every_body(joint):
    docs = joint.documents.set_index("doc_id")
    assert docs.at["a", "issuers"] == "财政部、国家发展和改革委员会、住房和城乡建设部"
    assert docs.at["a", "doc_type"] == "办法" and docs.at["a", "issuer_rank"] == "ministry"
    assert docs.at["b", "issuers"] == "国家发展和改革委员会、住房和城乡建设部"
    assert docs.at["b", "doc_type"] == "指导意见"
    assert docs.at["c", "issuers"] == "国家发展和改革委员会、财政部"
    assert docs.at["d", "issuers"] == "四川省人民政府办公厅"
    assert docs.at["d", "issuer_rank"] == "provincial_government"
    assert docs.at["d", "strength"] == pytest.approx(4 * 0.8)


def test_co_issuing_edges(joint):
    edges = co_issuing(joint)
    got = {(s, t): (w, d) for s, t, w, d in edges.itertuples(index=False)}
    assert got == {
        ("国家发展和改革委员会", "财政部"): (2, "a、c"),
        ("住房和城乡建设部", "国家发展和改革委员会"): (2, "a、b"),
        ("住房和城乡建设部", "财政部"): (1, "a"),
    }
    assert edges["weight"].tolist() == sorted(edges["weight"], reverse=True)


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_network_files_open_with_networkx(joint, tmp_path, suffix):
    path = write_co_issuing(joint, tmp_path / f"net{suffix}")
    graph = nx.read_graphml(path) if suffix == ".graphml" else nx.read_gexf(path)
    assert set(graph.nodes) == {"财政部", "国家发展和改革委员会", "住房和城乡建设部", "四川省人民政府办公厅"}
    assert graph.number_of_edges() == 3
    assert int(graph.edges["国家发展和改革委员会", "财政部"]["weight"]) == 2
    assert graph.nodes["四川省人民政府办公厅"]["issuer_rank"] == "provincial_government"
    assert nx.degree(co_issuing_graph(joint), "四川省人民政府办公厅") == 0


def test_network_format_is_checked(joint, tmp_path):
    with pytest.raises(ValueError, match="graphml"):
        write_co_issuing(joint, tmp_path / "net.csv")


# ----------------------------------------------------------------- citations


def test_ndrc_2021_key_tasks_are_cited_but_missing(corpus):
    cited = citations(corpus).set_index("cited_key")
    row = cited.loc["发改规划〔2021〕493号"]
    assert row["cited_title"] == "2021年新型城镇化和城乡融合发展重点任务"
    assert (row["issuer_code"], row["issuer"], row["year"], row["serial"]) == ("发改规划", "国家发展和改革委员会", 2021, 493)
    assert not row["in_corpus"]
    # Hubei cites it by title only, Hunan and Qingyang by number
    assert row["citing_docs"].split("、") == [HUBEI, HUNAN, QINGYANG]
    missing = missing_citations(corpus)
    assert missing.iloc[0]["cited_key"] == "发改规划〔2021〕493号"
    assert not missing["in_corpus"].any()


def test_local_issuer_codes_are_read_from_the_corpus(corpus):
    cited = citations(corpus).set_index("cited_key")
    assert cited.at["庆政发〔2017〕34号", "issuer"] == "庆阳市人民政府"
    assert cited.at["甘政办发〔2021〕94号", "issuer"] == "甘肃省人民政府办公厅"
    assert parse_doc_number("国办发〔2016〕72号")["issuer"] == "国务院办公厅"
    assert parse_doc_number("not a number")["issuer_code"] is None


def test_nothing_cited_nothing_coded_no_pairs(tmp_path):
    (tmp_path / "plain.txt").write_text("这是一段没有编号、没有日期的说明文字。", encoding="utf-8")
    corpus = up.load_corpus(tmp_path)
    assert citations(corpus).empty and "cited_title" in citations(corpus).columns
    assert dyads(corpus).empty and co_issuing(corpus).empty
    assert up.instruments(corpus).empty


def test_a_cited_document_in_the_folder_is_found(tmp_path):
    (tmp_path / "a.txt").write_text("某省人民政府关于城镇化的意见\n某政发〔2020〕1号\n一、任务\n（一）推进工作。\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("某市人民政府办公室关于落实的通知\n为贯彻《某省人民政府关于城镇化的意见》（某政发〔2020〕1号），"
                                    "制定本通知。\n一、任务\n（一）推进工作。\n", encoding="utf-8")
    cited = citations(up.load_corpus(tmp_path))
    row = cited.set_index("cited_key").loc["某政发〔2020〕1号"]
    assert bool(row["in_corpus"]) and row["cited_doc_id"] == "a" and row["citing_docs"] == "b"


# ----------------------------------------------------------------- dyads


@pytest.fixture(scope="module")
def pairs(corpus):
    return dyads(corpus)


def test_hubei_to_hunan_is_horizontal_34_days_mostly_covered(pairs):
    row = pairs[(pairs["earlier"] == HUBEI) & (pairs["later"] == HUNAN)].iloc[0]
    assert row["kind"] == "horizontal" and row["gap_days"] == 34 and not row["cites"]
    # 24 numbered items less the two safeguards of 七、实施保障, which coverage leaves out
    assert row["tasks_earlier"] == 22 and row["share_covered"] > 0.5
    assert row["verbatim_share"] > 0.1        # the two work points share many sentences word for word


def test_dyads_are_ordered_pairs_by_date(pairs, corpus):
    # every pair of the five dated seeds is a candidate: all on urbanisation (similarity >= 0.1)
    n = corpus.documents[["issued", "published"]].notna().any(axis=1).sum()
    assert len(pairs) == n * (n - 1) // 2
    assert (pairs["gap_days"] >= 0).all()
    assert (pairs["date_earlier"] <= pairs["date_later"]).all()
    kinds = pairs.set_index(["earlier", "later"])["kind"]
    assert kinds[(HUBEI, QINGYANG)] == "vertical"          # provincial before municipal
    assert kinds[(QINGYANG, STATE_COUNCIL)] == "upward"
    assert kinds[(NATIONAL_PLAN, STATE_COUNCIL)] == "same_region"
    assert pairs["share_covered"].between(0, 1).all() and pairs["verbatim_share"].between(0, 1).all()


def test_seed_dyads_equal_the_all_pairs_reference(pairs, corpus):
    import pandas as pd

    pd.testing.assert_frame_equal(pairs.drop(columns="similarity"), dyads_reference(corpus))
    assert pairs["similarity"].between(0.1, 1).all()


HUBEI_PLAN = """湖北省人民政府办公厅关于推进新型城镇化建设的实施意见
鄂政办发〔2021〕12号
各市、州、县人民政府，省政府各部门：
一、重点任务
（一）深化户籍制度改革。全面放开城市落户限制，推动农业转移人口市民化，完善居住证制度。（省公安厅负责）
（二）实施城市更新行动。推进城镇老旧小区改造，完善城市公共交通体系和停车设施。（省住房城乡建设厅负责）
（三）推进县城补短板强弱项。提升县城公共服务设施和市政公用设施水平。（省发展改革委负责）
湖北省人民政府办公厅
2021年3月1日
"""
HUNAN_PLAN = """湖南省人民政府办公厅关于推进新型城镇化建设的实施意见
湘政办发〔2021〕20号
一、重点任务
（一）深化户籍制度改革。全面放开城市落户限制，推动农业转移人口市民化，完善居住证制度。（省公安厅负责）
（二）实施城市更新行动。推进城镇老旧小区改造，完善城市公共交通体系。（省住房城乡建设厅负责）
湖南省人民政府办公厅
2021年6月8日
"""
SICHUAN_FIRE = """四川省人民政府办公厅关于加强森林草原防灭火工作的通知
川办发〔2022〕5号
各市（州）人民政府，省政府各部门：
一、工作任务
（一）严格野外火源管控。在森林草原防火期内禁止野外用火，加强林区巡护和入山检查。（省林草局负责）
（二）提升扑救能力。配齐扑火机具和专业队伍装备，开展实战化演练。（省应急厅负责）
（三）加强火情监测预警。完善卫星遥感和视频监控，及时发布高火险天气预警。（省气象局负责）
四川省人民政府办公厅
2022年2月10日
"""
NATIONAL_FLOODS = """国务院办公厅关于做好防汛抗旱工作的通知
国办发〔2020〕8号
一、工作任务
（一）落实防汛责任。压实各级行政首长负责制，明确水库堤防责任人。（水利部负责）
（二）做好抗旱保供水。科学调度水源，保障城乡居民饮水安全和农业灌溉用水。（水利部负责）
国务院办公厅
2020年4月2日
"""
WUHAN_CITES_SICHUAN = """武汉市人民政府办公厅关于学习借鉴森林防火经验的通知
为借鉴《四川省人民政府办公厅关于加强森林草原防灭火工作的通知》（川办发〔2022〕5号），现就有关事项通知如下。
一、工作任务
（一）开展消防安全检查。对商场、学校、医院开展消防安全隐患排查整治。（市消防救援支队负责）
（二）完善应急物资储备。建立应急物资储备库，定期更新救灾物资。（市应急管理局负责）
武汉市人民政府办公厅
2023年5月6日
"""


def test_pairs_without_a_candidate_relation_are_not_compared(tmp_path):
    """Hubei's urbanisation plan and Sichuan's forest-fire notice: same level, other provinces,
    no citation, nothing in common: no row.  Every other pair has a relation: the State
    Council above all; Hubei above Wuhan; Wuhan cites Sichuan; Hunan copies Hubei's tasks."""
    for name, text in (("hubei", HUBEI_PLAN), ("hunan", HUNAN_PLAN), ("sichuan", SICHUAN_FIRE),
                       ("national", NATIONAL_FLOODS), ("wuhan", WUHAN_CITES_SICHUAN)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    corpus = up.load_corpus(tmp_path)
    got = dyads(corpus).set_index(["earlier", "later"])
    assert set(got.index) == {
        ("national", "hubei"), ("national", "hunan"), ("national", "sichuan"), ("national", "wuhan"),
        ("hubei", "hunan"),       # same wording: horizontal learning
        ("hubei", "wuhan"),       # its province above it
        ("sichuan", "wuhan"),     # cited
    }
    assert ("hubei", "sichuan") not in got.index and ("hunan", "sichuan") not in got.index
    assert ("hunan", "wuhan") not in got.index  # another province's plan, not cited, other subject
    assert got.loc[("hubei", "hunan"), "kind"] == "horizontal" and got.loc[("hubei", "hunan"), "similarity"] > 0.5
    assert got.loc[("sichuan", "wuhan"), "cites"] and got.loc[("sichuan", "wuhan"), "kind"] == "vertical"
    assert got.loc[("national", "sichuan"), "similarity"] < 0.1  # kept for the level step, not the wording
    assert got.loc[("hubei", "hunan"), "tasks_covered"] == 2    # 户籍 and 城市更新; 县城 has no counterpart
    # the rows that are compared are the all-pairs reference's rows
    reference = dyads_reference(corpus).set_index(["earlier", "later"])
    import pandas as pd

    pd.testing.assert_frame_equal(got.drop(columns="similarity"), reference.loc[got.index])


def test_each_document_has_at_most_max_sources_by_hierarchy_and_by_wording():
    import pandas as pd

    # 5 national documents, then 9 of Hubei; all similar to each other
    n = 14
    documents = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(n)],
                              "level": ["national"] * 5 + ["provincial"] * 9,
                              "region": ["全国"] * 5 + ["湖北省"] * 9, "province": [None] * 5 + ["湖北省"] * 9})
    # (the same government's series and other governments of its level have places of their own:
    # see test_a_series_of_one_government_does_not_crowd_out_its_neighbours)
    rng = np.random.default_rng(0)
    similarity = rng.uniform(0.2, 0.9, (n, n))
    similarity = (similarity + similarity.T) / 2
    chosen = candidate_pairs(documents, similarity, cited={("d13", "d00")})

    def most_similar(candidates, j):
        return sorted(sorted(candidates, key=lambda i: -similarity[i, j])[:MAX_SOURCES])

    for j in range(n):
        sources = sorted(i for i, k in chosen if k == j)
        if j < 5:    # national after national: its own level only
            assert sources == most_similar(range(j), j)
        elif j < 13:  # Hubei: the most similar national documents above it, and Hubei's own
            assert sources == sorted(most_similar(range(5), j) + most_similar(range(5, j), j))
        else:         # and the national document it cites, whatever its rank
            assert sources == sorted(set(most_similar(range(5), j) + most_similar(range(5, j), j) + [0]))


def test_a_series_of_one_government_does_not_crowd_out_its_neighbours():
    import pandas as pd

    # Hubei issues six documents, then Hunan one: Hubei's own series is more similar to
    # Hubei's last document than Hunan's is, but Hunan's has a place among its level's
    regions = ["湖北省"] * 6 + ["湖南省", "湖北省"]
    documents = pd.DataFrame({"doc_id": [f"d{i}" for i in range(8)], "level": ["provincial"] * 8,
                              "region": regions, "province": regions})
    similarity = np.full((8, 8), 0.9)
    similarity[6, :] = similarity[:, 6] = 0.3
    chosen = candidate_pairs(documents, similarity, cited=set())
    assert sorted(i for i, j in chosen if j == 7) == [0, 1, 2, 6]  # three of its own series, then Hunan
    assert sorted(i for i, j in chosen if j == 6) == [0, 1, 2]      # Hunan: the three first Hubei ones (ties)


@pytest.mark.parametrize("collide", [False, True])
@given(st.text(alphabet="甲乙丙丁戊己庚辛", min_size=0, max_size=60), st.text(alphabet="甲乙丙丁戊己庚辛", max_size=60),
       st.integers(min_value=1, max_value=8))
def test_verbatim_mask_marks_exactly_the_shared_passages(collide, a, b, n):
    if collide:  # every window hashes to its last character: hits must be confirmed by the characters
        original = dyads_module._Windows._BASE
        dyads_module._Windows._BASE = np.uint64(0)
    try:
        mask = verbatim_mask(a, b, n)
    finally:
        if collide:
            dyads_module._Windows._BASE = original
    assert mask.tolist() == dyads_module.verbatim_mask_reference(a, b, n).tolist()
    expected = np.zeros(len(b), dtype=bool)
    for i in range(len(b) - n + 1):
        if b[i:i + n] in a:
            expected[i:i + n] = True
    assert mask.tolist() == expected.tolist()


def test_doc_number_prefix_table_is_consistent():
    import pandas as pd

    from urbanpolicy.extract.agencies import load_register
    from urbanpolicy.extract.cues import rules_path
    from urbanpolicy.rules.regions import gazetteer

    table = pd.read_csv(rules_path("doc_number_prefixes.csv"), dtype=str).fillna("")
    assert table["prefix"].is_unique and table["prefix"].str.len().gt(0).all()
    assert set(table["kind"]) == {"body", "place"}
    register = set(load_register()["name"])
    assert set(table.loc[table["kind"] == "body", "name"]) <= register
    provinces = set(gazetteer().query("level == 'province'")["name"])
    places = table[table["kind"] == "place"]
    assert set(places["name"]) <= provinces
    assert len(set(places["name"])) >= 31  # every province-level division of the mainland has its code


@pytest.mark.parametrize("issuer,expected,rank", [
    # a county's party committee office and government office issuing together
    ("中共某某县委办公室 某某县人民政府办公室", "中共某某县委办公室、某某县人民政府办公室", "county"),
    # a district of a city is county level
    ("成都市武侯区人民政府办公室", "成都市武侯区人民政府办公室", "county"),
    ("四川省人民政府", "四川省人民政府", "provincial_government"),
    ("四川省发展和改革委员会、四川省财政厅", "四川省发展和改革委员会、四川省财政厅", "provincial_department"),
])
def test_issuers_written_with_their_own_place(issuer, expected, rank):
    from urbanpolicy.extract.issuers import issuer_fields

    fields = issuer_fields("正文", f"{issuer}关于印发《城镇化行动方案》的通知", issuer, None, None)
    assert (fields["issuers"], fields["issuer_rank"], fields["doc_type"]) == (expected, rank, "行动方案")
