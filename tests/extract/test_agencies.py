"""Agency stage: responsibility clauses, prose subjects and mentions, on real snippets."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urbanpolicy import schema
from urbanpolicy.extract import agencies as ag
from urbanpolicy.extract.structure import TaskSpans

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

HUBEI_TASK = (
    "（一）深度放开放宽城市落户限制。深化户籍制度改革，以城市存量农业转移人口为重点，全面取消不合理落户限制，"
    "实行基本条件准入制度。取消除武汉市外全省其他地区落户限制，进一步降低武汉市落户门槛，实行省内户口迁移一地办结机制。"
    "推动武汉市全面落实取消进城就业和居住5年以上和举家迁徙的农业转移人口、在城镇稳定就业生活的新生代农民工、"
    "农村学生升学和参军进入城镇的人口等重点群体落户限制条件，改进积分落户办法，"
    "确保社会保险缴纳年限和居住年限分数占主要比例。（省公安厅、市州有关部门负责）"
)
HUNAN_TASKS = (
    "（一）有序放开放宽城市落户限制。深化户籍制度改革，取消除长沙市外全省其他地区落户限制，进一步降低长沙市落户门槛。"
    "试行以经常居住地登记户口制度，推进户口迁移等高频政务服务事项“跨省通办”，便利有序引导人口落户。"
    "（省公安厅、省民政厅等部门及各市州政府负责）\n"
    "（二）推动城镇基本公共服务覆盖未落户常住人口。落实国家基本公共服务标准，推动未落户常住人口逐步享有与户籍人口同等的城镇基本公共服务。"
    "完善住房保障体系，指导长沙市完成4.35万套保障性租赃住房开工任务。"
    "（省公安厅、省教育厅、省人社厅、省卫健委、省住房城乡建设厅、省发改委等部门及各市州政府负责）\n"
)
# The opening bracket of this clause was lost to mojibake in the Hunan seed; this is the
# line as the cleaner leaves it (pinyin "(zhèn)" removed, punctuation made full width).
HUNAN_DAMAGED = (
    "（五）培育发展现代化城市群。依托京广、沪昆、渝长厦高铁打造三条高铁经济带，增强高铁沿线节点城市的承载集聚和开放交流能力，"
    "激发周边地区的经济活力和发展?jié）摿Α?省发改委、省工信厅、省自然资源厅、省生态环境厅、省交通运输厅等部门及各市州政府负责）"
)
QINGYANG_PROSE = (
    "三、保障措施\n"
    "（一）明确部门职责。市发展改革部门要统筹发展改革配套政策措施优化完善，清理与户籍挂钩的各项政策。"
    "市统计部门要及时调整国家统计系统中的行政区划属性代码，并通报同级公安和民政部门。"
    "市公安局要会同有关部门，通过日常检查、随机抽查和专项督查相结合的方式，对各县（区）工作情况进行全面督导。"
    "农业农村、林草等部门负责落实农业转移人口“地权、林权、收益权”等权益的保障。\n"
)
NATIONAL_TASK = (
    "（十二）完善农业转移人口市民化配套政策。健全中央和省级财政农业转移人口市民化奖励机制，"
    "建立财政、发改、公安等部门工作协同机制，中央财政和省级财政分别对吸纳跨省域、跨市域农业转移人口落户多的地区给予支持。"
    "各城市要依法保障进城落户农民的土地承包权。（住房城乡建设部、国家发展改革委负责）\n"
)


def task_table(text: str, doc_id: str = "d") -> pd.DataFrame:
    """Tasks for "（一）"-style lines: each runs from its label to the next label."""
    starts = [m.start() for m in re.finditer(r"(?m)^（[一二三四五六七八九十]+）", text)]
    return pd.DataFrame([
        {"doc_id": doc_id, "task_id": f"{doc_id}-{n}", "start": s, "end": e, "depth": 1}
        for n, (s, e) in enumerate(zip(starts, [*starts[1:], len(text)], strict=True), start=1)
    ])


def run(text: str, region: str | None, level: str = "provincial", tasks: pd.DataFrame | None = None):
    """``assignment_rows`` (the function the loader calls) on ``tasks`` as the loader passes them
    (``TaskSpans``), its rows built into the table as the loader builds it (``schema.frame``)."""
    tasks = task_table(text) if tasks is None else tasks
    rows, problems = ag.assignment_rows("d", text, TaskSpans.from_rows(tasks.to_dict("records")), region, level)
    rows = schema.frame("assignments", rows)
    assert list(rows.columns) == ag.COLUMNS
    for r in rows.itertuples():
        assert text[r.start:r.end] == r.agency_raw
    for p in problems:
        assert set(p) == set(ag.PROBLEM_KEYS)
    return rows, problems


def of_task(rows: pd.DataFrame, task_id: str, source: str = "clause") -> pd.DataFrame:
    return rows[(rows["task_id"] == task_id) & (rows["source"] == source)]


# ---------------------------------------------------------------- register
def test_register_is_well_formed_and_covers_the_usual_bodies():
    reg = ag.load_register()
    assert list(reg.columns) == ["key", "level", "name", "aliases", "name_en", "function", "agency_type"]
    assert reg["key"].is_unique
    assert set(reg["function"]) <= set(ag.FUNCTIONS)
    assert set(reg["agency_type"]) <= set(ag.AGENCY_TYPES)
    assert set(reg["level"]) == {"national", "provincial", "municipal", "generic"}
    local = reg[reg["level"].isin(["provincial", "municipal"])]
    assert local["name"].str.contains("{region}", regex=False).all()
    aliases = [a for cell in reg["aliases"] for a in cell.split("|")]
    assert len(aliases) == len(set(aliases)), "an alias must name one body"
    for key in ["ndrc", "mohurd", "mps", "nbs", "samr", "nhsa", "forestry", "ndcpa", "pbc", "pbc_branch",
                "nfra", "cdb", "adbc", "prov_bianban", "prov_caijing", "prov_urban_group", "jlh_urban",
                "gov_prefectures", "gov_counties", "gov_provinces", "gov_cities", "central_fiscal"]:
        assert key in set(reg["key"]), key
    assert len(reg) > 250


def test_same_body_in_different_provinces_shares_its_function():
    hubei = ag.find_agencies("省住建厅", "湖北省")[0]
    hunan = ag.find_agencies("省住房城乡建设厅", "湖南省")[0]
    assert hubei.name == "湖北省住房和城乡建设厅"
    assert hunan.name == "湖南省住房和城乡建设厅"
    assert hubei.function == hunan.function == "housing_urban_rural"
    # English names follow the official pattern: the province, then the generic department name
    assert hubei.name_en == "Hubei Provincial Department of Housing and Urban-Rural Development"
    assert hunan.name_en == "Hunan Provincial Department of Housing and Urban-Rural Development"


@pytest.mark.parametrize(("written", "canonical", "function"), [
    ("四川省住房和城乡建设厅", "四川省住房和城乡建设厅", "housing_urban_rural"),
    ("广东省发展改革委", "广东省发展和改革委员会", "development_reform"),
    ("浙江省公安厅", "浙江省公安厅", "public_security"),
    ("甘肃省人民政府办公厅", "甘肃省人民政府办公厅", "government_affairs"),
    ("广西壮族自治区发展改革委", "广西壮族自治区发展和改革委员会", "development_reform"),
    ("省卫建委", "湖北省卫生健康委员会", "health"),  # a typo seen in the Hunan seed
    ("省委编办", "中共湖北省委员会机构编制委员会办公室", "establishment"),
    ("人民银行武汉分行", "中国人民银行武汉分行", "banking"),
    ("中铁武汉铁路局集团", "中国铁路武汉局集团有限公司", "railway"),
    ("国家开发银行", "国家开发银行", "banking"),
])
def test_explicit_names_resolve_to_their_own_region(written, canonical, function):
    found = ag.find_agencies(f"支持{written}。", "湖北省")
    assert [(a.raw, a.name, a.function) for a in found] == [(written, canonical, function)]


def test_national_bodies_in_a_national_document():
    found = ag.find_agencies("住房城乡建设部、国家发展改革委、市场监管总局、国家医保局", "全国", "national")
    assert [a.name for a in found] == ["住房和城乡建设部", "国家发展和改革委员会", "国家市场监督管理总局", "国家医疗保障局"]
    assert [a.name_en for a in found][:2] == [
        "Ministry of Housing and Urban-Rural Development", "National Development and Reform Commission"]


def test_province_prefix_without_a_province_stays_as_written():
    # a national plan speaks of every province's department at once
    for region in ("全国", None):
        [a] = ag.find_agencies("省发改委", region, "national")
        assert (a.name, a.function, a.name_en) == (
            "省发展和改革委员会", "development_reform", "Provincial Development and Reform Commission")
    # a city document's 省 is its province, from the region gazetteer
    assert ag.find_agencies("省发改委", "庆阳市", "municipal")[0].name == "甘肃省发展和改革委员会"


def test_city_prefix_resolves_only_in_a_municipal_document():
    assert ag.find_agencies("市公安局", "庆阳市", "municipal")[0].name == "庆阳市公安局"
    assert ag.find_agencies("庆阳市公安局", "庆阳市", "municipal")[0].raw == "庆阳市公安局"
    # in a provincial document "市公安局" means each city's bureau, not the province's
    assert ag.find_agencies("市公安局", "湖北省")[0].name == "市公安局"


def test_words_that_only_look_like_bodies_are_not_matched():
    assert ag.find_agencies("完善人行道和城市委托第三方的机制", "湖北省") == []


# ---------------------------------------------------------------- clauses
def test_hubei_clause_first_body_leads():
    rows, problems = run(HUBEI_TASK, "湖北省")
    got = of_task(rows, "d-1")
    assert got["agency"].tolist() == ["湖北省公安厅", "市州有关部门"]
    assert got["role"].tolist() == ["lead", "support"]
    assert got["position"].tolist() == [1, 2]
    assert got["function"].tolist() == ["public_security", "general"]
    assert not got["open_list"].any()
    assert problems == []


def test_hunan_open_lists_keep_the_named_bodies():
    rows, problems = run(HUNAN_TASKS, "湖南省")
    first, second = of_task(rows, "d-1"), of_task(rows, "d-2")
    assert first["agency"].tolist() == ["湖南省公安厅", "湖南省民政厅", "各市（州）人民政府"]
    assert first["agency_type"].tolist() == ["department", "department", "local government"]
    assert second["agency_raw"].tolist() == ["省公安厅", "省教育厅", "省人社厅", "省卫健委", "省住房城乡建设厅", "省发改委", "各市州政府"]
    assert second["agency"].tolist()[3:6] == ["湖南省卫生健康委员会", "湖南省住房和城乡建设厅", "湖南省发展和改革委员会"]
    assert second["role"].tolist() == ["lead"] + ["support"] * 6
    assert rows["open_list"].all()
    assert [p["kind"] for p in problems] == ["open_list", "open_list"]


def test_damaged_clause_is_recovered_from_its_end():
    rows, problems = run(HUNAN_DAMAGED, "湖南省")
    got = of_task(rows, "d-1")
    assert got["agency_raw"].tolist() == ["省发改委", "省工信厅", "省自然资源厅", "省生态环境厅", "省交通运输厅", "各市州政府"]
    assert got["role"].tolist()[:2] == ["lead", "support"]
    assert "damaged_clause" in {p["kind"] for p in problems}
    assert "unknown_agency" not in {p["kind"] for p in problems}


def test_damaged_clause_in_the_cleaned_hunan_seed():
    cleaning = pytest.importorskip("urbanpolicy.ingest.cleaning")
    raw = (SEEDS / "001_217c44fc42c73619.txt").read_text(encoding="utf-8")
    text = cleaning.clean_text(raw).text
    tasks = task_table(text)
    rows, problems = run(text, "湖南省", tasks=tasks)
    damaged = [p for p in problems if p["kind"] == "damaged_clause"]
    assert len(damaged) == 1
    task = tasks[(tasks["start"] <= damaged[0]["start"]) & (damaged[0]["start"] < tasks["end"])]["task_id"].iloc[0]
    assert of_task(rows, task)["agency"].tolist()[0] == "湖南省发展和改革委员会"
    # every numbered task of the work plan's body names a lead
    clause_tasks = set(rows.loc[(rows["source"] == "clause") & (rows["role"] == "lead"), "task_id"])
    assert len(clause_tasks) == 20
    assert not [p for p in problems if p["kind"] == "unknown_agency"]


def test_every_clause_of_the_cleaned_hubei_seed_resolves():
    cleaning = pytest.importorskip("urbanpolicy.ingest.cleaning")
    text = cleaning.clean_text((SEEDS / "000_d903ec7be93ef826.txt").read_text(encoding="utf-8")).text
    rows, problems = run(text, "湖北省")
    clauses = rows[rows["source"] == "clause"]
    assert clauses["task_id"].nunique() == text.count("负责）")
    assert (clauses.groupby("task_id")["role"].apply(lambda r: (r == "lead").sum()) == 1).all()
    assert not [p for p in problems if p["kind"] == "unknown_agency"]
    assert "中国铁路武汉局集团有限公司" in set(clauses["agency"])
    assert clauses["agency"].str.startswith(("湖北省", "中共湖北省", "市州", "相关县", "各县", "中国铁路")).all()


@pytest.mark.parametrize(("clause", "expected"), [
    ("牵头单位：省发展改革委；配合单位：省财政厅、省自然资源厅",
     [("湖北省发展和改革委员会", "lead"), ("湖北省财政厅", "support"), ("湖北省自然资源厅", "support")]),
    ("责任单位：省住建厅、省发改委、各市州人民政府",
     [("湖北省住房和城乡建设厅", "lead"), ("湖北省发展和改革委员会", "support"), ("各市（州）人民政府", "support")]),
    ("（省财政厅牵头，省自然资源厅、人民银行武汉分行配合）",
     [("湖北省财政厅", "lead"), ("湖北省自然资源厅", "support"), ("中国人民银行武汉分行", "support")]),
    ("责任单位：省财政厅、省发改委（牵头）、省自然资源厅",
     [("湖北省财政厅", "support"), ("湖北省发展和改革委员会", "lead"), ("湖北省自然资源厅", "support")]),
    ("（各有关部门按职责分工负责）", [("有关部门", "joint")]),
    # Guangdong style: only the first body carries 省
    ("（省发展改革委、住房城乡建设厅、教育厅牵头）",
     [("湖北省发展和改革委员会", "lead"), ("湖北省住房和城乡建设厅", "lead"), ("湖北省教育厅", "lead")]),
    # Jiangsu style
    ("（省发展改革委牵头，省有关部门和各设区市人民政府按职责分工负责）",
     [("湖北省发展和改革委员会", "lead"), ("湖北省有关部门", "joint"), ("各市（州）人民政府", "joint")]),
    ("（省发改委、省财政厅分别负责）", [("湖北省发展和改革委员会", "joint"), ("湖北省财政厅", "joint")]),
    ("（省发改委会同省财政厅负责）", [("湖北省发展和改革委员会", "lead"), ("湖北省财政厅", "support")]),
    ("（省住建厅、相关县（市、区）人民政府负责）",
     [("湖北省住房和城乡建设厅", "lead"), ("各县（市、区）人民政府", "support")]),
    ("（省委财经办、省政务办、中铁武汉铁路局集团、市州有关部门负责）",
     [("中共湖北省委员会财经委员会办公室", "lead"), ("湖北省政务服务和大数据管理局", "support"),
      ("中国铁路武汉局集团有限公司", "support"), ("市州有关部门", "support")]),
])
def test_clause_styles(clause, expected):
    text = f"（三）推进城市更新。加快老旧小区改造。\n{clause}\n（四）下一项任务。"
    tasks = task_table(text)
    tasks.loc[0, "end"] = text.index("（四）")  # the labelled line belongs to task 3
    rows, problems = run(text, "湖北省", tasks=tasks)
    got = of_task(rows, "d-1")
    assert list(zip(got["agency"], got["role"], strict=True)) == expected
    assert not [p for p in problems if p["kind"] == "unknown_agency"]


def test_labels_on_separate_lines_and_bare_closing_lists():
    text = ("（一）建设都市圈。编制规划。\n牵头单位：省发改委\n配合单位：省自然资源厅、省交通运输厅\n"
            "（二）建设县城。补齐短板。（省住建厅、省发改委）\n"
            "（三）支持职业院校（含技工院校）。\n")
    rows, problems = run(text, "湖北省")
    assert list(zip(rows["task_id"], rows["agency_raw"], rows["role"], rows["position"], strict=True)) == [
        ("d-1", "省发改委", "lead", 1), ("d-1", "省自然资源厅", "support", 2), ("d-1", "省交通运输厅", "support", 3),
        ("d-2", "省住建厅", "lead", 1), ("d-2", "省发改委", "support", 2),
    ]
    assert problems == []


def test_labelled_clause_stops_at_its_sentence():
    text = "（一）推进改革。责任单位：省公安厅、省民政厅。省发改委要加强统筹。\n"
    tasks = pd.DataFrame({"task_id": ["t"], "start": [0], "end": [len(text)]})
    rows, _ = run(text, "湖北省", tasks=tasks)
    assert list(zip(rows["agency_raw"], rows["role"], rows["source"], strict=True)) == [
        ("省公安厅", "lead", "clause"), ("省民政厅", "support", "clause"), ("省发改委", "lead", "prose")]


def test_subject_right_after_a_numbering_label():
    text = "（一）任务。\n1.省发改委牵头制定方案，省财政厅配合落实资金。\n"
    tasks = pd.DataFrame({"task_id": ["t"], "start": [0], "end": [len(text)]})
    rows, _ = run(text, "湖北省", tasks=tasks)
    assert list(zip(rows["agency_raw"], rows["role"], rows["source"], strict=True)) == [
        ("省发改委", "lead", "prose"), ("省财政厅", "support", "prose")]


def test_unknown_body_is_kept_with_a_problem():
    text = "（一）试点。开展试点。（省公安厅、省星际移民局负责）"
    rows, problems = run(text, "湖北省")
    got = of_task(rows, "d-1")
    assert got["agency_raw"].tolist() == ["省公安厅", "省星际移民局"]
    unknown = got.iloc[1]
    assert (unknown["agency"], unknown["function"], unknown["agency_type"], unknown["role"]) == (
        "省星际移民局", "unknown", "other", "support")
    [p] = [p for p in problems if p["kind"] == "unknown_agency"]
    assert text[p["start"]:p["end"]] == "省星际移民局"


def test_clause_belongs_to_the_innermost_task():
    text = "（一）总任务。\n1.子任务一。开展工作。（省发改委负责）\n2.子任务二。（省财政厅负责）"
    one, two = text.index("1."), text.index("2.")
    tasks = pd.DataFrame({"task_id": ["p", "p-1", "p-2"], "start": [0, one, two],
                          "end": [len(text), two, len(text)], "depth": [1, 2, 2]})
    rows, _ = run(text, "湖北省", tasks=tasks)
    assert rows.set_index("agency_raw")["task_id"].to_dict() == {"省发改委": "p-1", "省财政厅": "p-2"}


def test_clause_outside_every_task_is_reported():
    text = "前言。（省发改委负责）\n（一）任务。"
    rows, problems = run(text, "湖北省")
    assert rows.empty
    assert [p["kind"] for p in problems] == ["clause_outside_task"]


def test_non_responsibility_brackets_are_ignored():
    rows, problems = run("（一）培训。支持职业院校（含技工院校）开展培训（由企业自主负责）。", "湖北省")
    assert rows.empty and problems == []


# ---------------------------------------------------------------- prose and mentions
def test_qingyang_prose_subjects():
    rows, problems = run(QINGYANG_PROSE, "庆阳市", "municipal")
    prose = of_task(rows, "d-1", "prose")
    assert list(zip(prose["agency"], prose["role"], strict=True)) == [
        ("庆阳市发展改革部门", "lead"), ("庆阳市统计部门", "lead"), ("庆阳市公安局", "lead"),
        ("有关部门", "support"), ("农业农村部门", "joint"), ("林业和草原部门", "joint"),
    ]
    assert prose["open_list"].tolist() == [False] * 4 + [True] * 2
    assert prose["function"].tolist()[:3] == ["development_reform", "statistics", "public_security"]
    mentions = of_task(rows, "d-1", "mention")
    assert set(mentions["agency"]) == {"公安部门", "民政部门", "各县（市、区）人民政府"}
    assert mentions["role"].isna().all()
    assert problems == []


def test_national_actors_are_mentions_unless_assigned():
    rows, _ = run(NATIONAL_TASK, "全国", "national")
    clause = of_task(rows, "d-1")
    assert clause["agency"].tolist() == ["住房和城乡建设部", "国家发展和改革委员会"]
    others = rows[rows["source"] != "clause"].set_index("agency")["source"].to_dict()
    assert others == {"中央财政": "prose", "省级财政": "prose", "城市人民政府": "prose",
                      "财政部门": "mention", "发展改革部门": "mention", "公安部门": "mention"}


def test_funding_names_are_not_subjects():
    text = "（一）保障资金。中央财政性建设资金支持潜力地区。地方政府专项债券支持符合条件的项目。省级政府要落实责任。"
    rows, _ = run(text, "全国", "national")
    assert rows.set_index("agency")["source"].to_dict() == {
        "省级人民政府": "prose", "中央财政": "mention", "地方各级人民政府": "mention"}


def test_cited_titles_are_not_actors():
    rows, _ = run("（一）落实。全面贯彻落实《国务院办公厅转发国家发展改革委关于促进特色小镇规范健康发展意见的通知》。", "湖南省")
    assert rows.empty


# ---------------------------------------------------------------- scripts, shapes, speed
def test_traditional_source_converted_with_opencc_gives_the_same_rows():
    traditional = opencc.OpenCC("s2t").convert(HUNAN_TASKS)
    assert traditional != HUNAN_TASKS and "負責" in traditional
    simplified = opencc.OpenCC("t2s").convert(traditional)
    a, _ = run(simplified, "湖南省")
    b, _ = run(HUNAN_TASKS, "湖南省")
    pd.testing.assert_frame_equal(a, b)


def test_empty_results_keep_their_columns():
    rows, problems = run("没有任何部门。", "湖北省", tasks=pd.DataFrame(columns=["task_id", "start", "end"]))
    assert rows.empty and list(rows.columns) == ag.COLUMNS and problems == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["省公安厅", "省教育厅", "省人社厅", "省卫健委", "省住建厅", "省发改委",
                                 "省委编办", "省医保局", "省统计局", "人民银行长沙中心支行", "省星际局"]),
                min_size=1, max_size=8, unique=True),
       st.sampled_from(["负责", "等部门负责", "等部门及各市州政府负责"]))
def test_any_clause_lists_its_bodies_in_order(bodies, ending):
    text = "（一）任务。推进工作。（" + "、".join(bodies) + ending + "）"
    rows, problems = run(text, "湖南省")
    got = of_task(rows, "d-1")
    expected = bodies + (["各市州政府"] if "各市州政府" in ending else [])
    assert got["agency_raw"].tolist() == expected
    assert got["role"].tolist() == ["lead"] + ["support"] * (len(expected) - 1)
    assert got["open_list"].all() == ("等" in ending)
    assert sum(p["kind"] == "unknown_agency" for p in problems) == ("省星际局" in bodies)


def test_matching_scales_linearly():
    import time

    unit = HUNAN_TASKS
    ag.find_agencies(unit, "湖南省")  # build the matcher first
    t0 = time.perf_counter()
    ag.find_agencies(unit * 10, "湖南省")
    small = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = ag.find_agencies(unit * 100, "湖南省")
    large = time.perf_counter() - t0
    assert len(found) == 100 * len(ag.find_agencies(unit, "湖南省"))
    assert large < 30 * small + 0.5
