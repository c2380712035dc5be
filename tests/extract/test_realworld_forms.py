"""Forms of the genre seen in real scraped documents (issue 10), each with a real snippet from
``tests/fixtures/realworld/`` (copies of ../shared/realworld/docs) and variants written here:
another province's names, another year, traditional script, other punctuation, the form cut
off at an excerpt's end.  Expected values are read off the texts."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pandas as pd
import pytest

import urbanpolicy as up

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "realworld"
S2T = opencc.OpenCC("s2t").convert


def real(name: str) -> str:
    return next(REAL.glob(f"{name}*.txt")).read_text(encoding="utf-8")


def load(tmp_path: Path, text: str, name: str = "doc") -> up.Corpus:
    folder = tmp_path / name
    folder.mkdir()
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return up.load_corpus(folder)


def doc(tmp_path: Path, text: str, name: str = "doc") -> pd.Series:
    return load(tmp_path, text, name).documents.iloc[0]


def kinds(corpus: up.Corpus) -> list[str]:
    return corpus.problems["kind"].tolist()


# ---------------------------------------------------------------- scrape damage
def test_junk_tokens_are_removed_and_reported_real(tmp_path):
    c = load(tmp_path, real("01_"))
    d = c.documents.iloc[0]
    assert "@@" not in d["text"]
    assert d["title"] == "2022年新型城镇化和城乡融合发展重点任务"
    assert (d["issuer"], d["level"], str(d["issued"].date())) == ("国家发展改革委", "national", "2022-03-10")
    assert "junk_removed" in kinds(c)


@pytest.mark.parametrize("junk", ["@@", "##", "@@@@", "||"])
def test_junk_tokens_variants(tmp_path, junk):
    text = (f"湖南省人民政府关于印发《湖南省城镇化{junk}工作方案》的通知\n湘政发〔2023〕8号\n"
            f"湖南省人民政府{junk}\n2023年5月6日\n湖南省城镇化工作方案\n一、总体要求{junk}\n联系邮箱：ab@hunan.gov.cn")
    d = doc(tmp_path, text)
    assert junk not in d["text"] and "ab@hunan.gov.cn" in d["text"]
    assert (d["title"], d["issuer"], d["doc_number"]) == ("湖南省城镇化工作方案", "湖南省人民政府", "湘政发〔2023〕8号")


def test_pinyin_cut_at_the_excerpts_end(tmp_path):
    text = real("13_")
    assert text.rstrip().endswith("發(f")
    d = doc(tmp_path, text)
    assert d["text"].endswith("促进人的全面发")
    variant = "（一）总体目标。促進城鄉(chéng)融合發(fā)展，推動(dòng)人的全面發(zh"
    assert doc(tmp_path, variant, "v")["text"].endswith("推动人的全面发")
    # an acronym in brackets cut at the end is not pinyin
    assert doc(tmp_path, "（一）推进以公共交通为导向的开发（TO", "w")["text"].endswith("（TO")


def test_damaged_doc_number_and_date_real(tmp_path):
    c = load(tmp_path, real("15_"))
    d = c.documents.iloc[0]
    assert d["doc_number"] == "六政办秘〔2023〕55号"
    assert str(d["issued"].date()) == "2023-06-14"
    assert {"damaged_doc_number", "damaged_date"} <= set(kinds(c))


@pytest.mark.parametrize("digits, expected", [("2021416", "2021-04-16"), ("20221109", "2022-11-09"),
                                              ("2024930", "2024-09-30")])
def test_damaged_signature_date_variants(tmp_path, digits, expected):
    text = (f"鄂州市人民政府办公室关于印发鄂州市城镇化工作方案的通知\n鄂州政办发202412\n"
            f"鄂州市人民政府办公室\n{digits}\n鄂州市城镇化工作方案\n一、总体要求")
    d = doc(tmp_path, text)
    assert str(d["issued"].date()) == expected
    assert d["doc_number"] == "鄂州政办发〔2024〕12号"


def test_ambiguous_separator_less_date_is_not_guessed(tmp_path):
    # 2023111 is 2023-01-11 or 2023-11-01: left open
    text = "某市人民政府办公室关于印发某市城镇化方案的通知\n某市人民政府办公室\n2023111\n某市城镇化方案\n一、总体要求"
    assert pd.isna(doc(tmp_path, text)["issued"])


def test_label_swallowed_by_mojibake_real(tmp_path):
    c = load(tmp_path, real("07_"))
    paths = c.tasks["path"].tolist()
    assert "二/（一）" in paths and "二/（一）/1." in paths
    assert "damaged_label" in kinds(c)


def test_label_swallowed_by_mojibake_variant(tmp_path):
    text = ("一、总体要求\n（一）目标。到2025年。\n二、重点任务\n\ufffd\ufffd实施新一轮农业转移人口市民化行动\n"
            "1.深化户籍制度改革。全面放开落户限制。\n2.健全公共服务。推进均等化。\n三、保障措施")
    c = load(tmp_path, text)
    tasks = c.tasks.set_index("path")
    assert tasks.loc["二/（一）/1.", "title"] == "深化户籍制度改革"
    assert tasks.loc["二/（一）", "depth"] == 1 and tasks.loc["二/（一）/2.", "depth"] == 2


# ---------------------------------------------------------------- page furniture and titles
def test_flattened_metadata_table_real(tmp_path):
    d = doc(tmp_path, real("11_"))
    assert (d["title"], d["issuer"]) == ("关于推进以县城为重要载体的城镇化建设若干措施", "山东省人民政府办公厅")
    assert (str(d["issued"].date()), str(d["published"].date())) == ("2023-01-15", "2023-01-17")
    assert d["doc_number"] == "鲁政办字〔2023〕3号"


def test_table_cells_in_traditional_script_real(tmp_path):
    d = doc(tmp_path, real("16_"))
    assert (d["issuer"], d["level"], d["region"]) == ("泸州市人民政府", "municipal", "泸州市")
    assert (str(d["issued"].date()), str(d["published"].date())) == ("2015-03-16", "2015-03-18")
    assert d["doc_number"] == "泸市府发〔2015〕7号"


@pytest.mark.parametrize("sep", ["：", ":", "： | "])
def test_metadata_table_variants(tmp_path, sep):
    text = (f"索引号{sep}11410000/2024-00012 | 发文机关{sep}河南省人民政府办公厅 | 成文日期{sep}2024年3月2日 |\n"
            f"发文字号{sep}豫政办〔2024〕9号 | 发布日期{sep}2024-03-08 |\n"
            f"标  题{sep}河南省人民政府办公厅关于印发河南省新型城镇化实施方案的通知 |\n"
            "河南省新型城镇化实施方案\n为推进新型城镇化，制定本方案。\n一、总体要求")
    d = doc(tmp_path, text)
    assert (d["title"], d["issuer"], d["level"], d["region"]) == (
        "河南省新型城镇化实施方案", "河南省人民政府办公厅", "provincial", "河南省")
    assert d["doc_number"] == "豫政办〔2024〕9号"
    assert (str(d["issued"].date()), str(d["published"].date())) == ("2024-03-02", "2024-03-08")


def test_colonless_table_real(tmp_path):
    d = doc(tmp_path, real("20_"))
    assert d["doc_number"] == "北区政办发〔2020〕11号"
    assert (d["issuer"], d["level"], d["region"], d["province"]) == (
        "宁波市江北区人民政府办公室", "county", "江北区", "浙江省")


def test_title_over_three_lines_real(tmp_path):
    d = doc(tmp_path, real("17_"))
    assert d["title"] == "推进以县城为重要载体的城镇化建设行动方案"
    assert (d["issuer"], d["level"], d["region"]) == ("临县人民政府办公室", "county", "临县")
    assert d["doc_number"] == "临政办发〔2024〕37号"


def test_title_over_lines_variant_traditional(tmp_path):
    text = S2T("德清县人民政府办公室\n关于印发德清县推进以县城为重要载体的\n城镇化建设实施方案的通知\n"
               "德政办发〔2023〕21号\n德清县人民政府办公室\n2023年9月1日\n"
               "德清县推进以县城为重要载体的城镇化建设\n实施方案\n一、总体要求")
    d = doc(tmp_path, text)
    assert d["title"] == "德清县推进以县城为重要载体的城镇化建设实施方案"
    assert (d["issuer"], d["level"]) == ("德清县人民政府办公室", "county")


def test_news_headline_is_not_the_title_real(tmp_path):
    d = doc(tmp_path, real("08_"))
    assert d["title"] == "深入实施以人为本的新型城镇化战略五年行动计划方案"
    assert d["headline"] == "甘肃省政府印发重要通知"
    assert (d["issuer"], d["doc_number"]) == ("甘肃省人民政府", "甘政发〔2024〕57号")


def test_title_and_issuer_carry_no_label_verb_or_number_real(tmp_path):
    d04 = doc(tmp_path, real("04_"), "d04")
    assert (d04["issuer"], d04["level"]) == ("国家发展改革委", "national")
    assert d04["title"] == "2020年新型城镇化建设和城乡融合发展重点任务"
    d13 = doc(tmp_path, real("13_"), "d13")
    assert d13["title"] == "四川省推动农业转移人口和其他常住人口在城镇落户方案"
    assert d13["issuer"] == "四川省人民政府办公厅"
    assert str(d13["published"].date()) == "2017-07-06"
    d09 = doc(tmp_path, real("09_"), "d09")
    assert d09["title"] == "宁夏回族自治区2022年新型城镇化建设和城乡融合发展重点任务"
    assert d09["issuer"] == "自治区推进新型城镇化工作领导小组办公室"


def test_cover_notice_gives_the_attached_documents_title_variant(tmp_path):
    text = ("广东省人民政府办公厅印发关于推进县域城镇化的若干措施的通知\n粤府办〔2024〕3号\n"
            "广东省人民政府办公厅\n2024年2月1日\n关于推进县域城镇化的若干措施\n一、总体要求")
    d = doc(tmp_path, text)
    assert (d["title"], d["issuer"]) == ("关于推进县域城镇化的若干措施", "广东省人民政府办公厅")


# ---------------------------------------------------------------- level and region
def test_addressee_line_gives_no_region_real(tmp_path):
    d = doc(tmp_path, real("04_"))
    assert d["level"] == "national" and d["region"] in ("全国", None)


def test_province_not_in_the_gazetteer_is_provincial(tmp_path):
    text = "江南省人民政府办公厅关于印发江南省城镇化方案的通知\n江南省人民政府办公厅\n2024年1月2日\n江南省城镇化方案\n一、总体要求"
    d = doc(tmp_path, text)
    assert (d["level"], d["region"]) == ("provincial", "江南省")


def test_party_committee_county_region_real_and_variant(tmp_path):
    d = doc(tmp_path, real("18_"))
    assert (d["level"], d["region"], d["province"]) == ("county", "永德县", "云南省")
    assert str(d["issued"].date()) == "2021-04-16" and str(d["published"].date()) == "2021-07-30"
    text = ("中共青川县委办公室 青川县人民政府办公室关于印发青川县城镇化方案的通知\n"
            "中共青川县委办公室\n青川县人民政府办公室\n2022年3月1日\n青川县城镇化方案\n一、总体要求")
    d = doc(tmp_path, text, "v")
    assert (d["level"], d["region"]) == ("county", "青川县")


def test_district_government_is_county_level(tmp_path):
    text = "成都市武侯区人民政府办公室关于印发武侯区老旧小区改造方案的通知\n成都市武侯区人民政府办公室\n2021年3月1日\n武侯区老旧小区改造方案\n一、总体要求"
    d = doc(tmp_path, text)
    assert (d["level"], d["region"], d["province"]) == ("county", "武侯区", "四川省")


def test_fragment_level_from_the_bodies_it_names_real(tmp_path):
    assert doc(tmp_path, real("14_"))["level"] == "provincial"
    text = "（三）推进老旧小区改造。加快改造进度。\n由市住房城乡建设局牵头，会同市财政局、市自然资源局协同推进。"
    assert doc(tmp_path, text, "v")["level"] == "municipal"


# ---------------------------------------------------------------- responsibility
def _assigned(c: up.Corpus, path: str) -> list[tuple[str, str, str]]:
    tasks = c.tasks.set_index("path")
    rows = c.assignments[(c.assignments["task_id"] == tasks.loc[path, "task_id"])
                         & (c.assignments["source"] != "mention")]
    return [(r.agency_raw, r.role, r.source) for r in rows.itertuples()]


def test_responsibility_line_after_the_task_real(tmp_path):
    c = load(tmp_path, real("14_"))
    got = _assigned(c, "（五）")
    assert [a for a, _, _ in got] == ["省公安厅", "省人力资源社会保障厅", "民政厅", "各省辖市", "县（市）"]
    assert [r for _, r, _ in got] == ["lead", "support", "support", "support", "support"]
    # the first line is the clause of a task the excerpt does not hold: no task gets it
    assert "clause_outside_task" in kinds(c)


@pytest.mark.parametrize("line, expected", [
    ("由市住房城乡建设局牵头，会同市财政局、市自然资源和规划局协同推进。",
     [("市住房城乡建设局", "lead"), ("市财政局", "support"), ("市自然资源和规划局", "support")]),
    ("市财政局牵头，市税务局配合。", [("市财政局", "lead"), ("市税务局", "support")]),
    ("市住房城乡建设局负总责。", [("市住房城乡建设局", "lead")]),
    ("市发展改革委会同市财政局负责。", [("市发展改革委", "lead"), ("市财政局", "support")]),
    ("由市公安局牵头,会同市人力资源社会保障局协同推进", [("市公安局", "lead"), ("市人力资源社会保障局", "support")]),
])
def test_responsibility_line_variants(tmp_path, line, expected):
    text = f"南京市人民政府关于城镇化的意见\n（一）深化户籍制度改革。放开落户限制。\n{line}\n（二）完善住房保障。增加供给。"
    c = load(tmp_path, text)
    assert [(a, r) for a, r, s in _assigned(c, "（一）") if s == "clause"] == expected
    assert not [x for x in _assigned(c, "（二）") if x[2] == "clause"]


def test_responsibility_line_in_traditional_script(tmp_path):
    text = S2T("（一）深化户籍制度改革。放开落户限制。\n由省公安厅牵头，会同省民政厅协同推进。")
    got = _assigned(load(tmp_path, text), "（一）")
    assert [(a, r) for a, r, _ in got] == [("省公安厅", "lead"), ("省民政厅", "support")]


def test_prose_sentence_is_not_a_responsibility_line(tmp_path):
    text = "（一）深化户籍制度改革。\n省公安厅牵头制定实施细则，抓好落实。\n（二）完善住房保障。"
    c = load(tmp_path, text)
    assert all(s != "clause" for _, _, s in _assigned(c, "（一）"))


def test_clause_cut_by_the_excerpts_end_real(tmp_path):
    c = load(tmp_path, real("01_"))
    got = _assigned(c, "一/（一）")
    assert [(a, r) for a, r, _ in got] == [("公安部", "lead"), ("发展改革委", "support"), ("各省级有关部门", "support")]


def test_carry_over_rule_applies_to_later_tasks_real(tmp_path):
    c = load(tmp_path, real("08_"))
    carried = c.assignments[c.assignments["source"] == "carry_over"]
    tasks = c.tasks.set_index("task_id")
    assert set(tasks.loc[carried["task_id"], "path"]) == {"二/（二）"}
    assert set(carried["agency_raw"]) == {"各市州政府", "兰州新区管委会"}
    own = _assigned(c, "二/（一）")
    assert [a for a, _, s in own if s == "clause"] == ["省公安厅", "各市州政府", "兰州新区管委会"]


def test_carry_over_rule_variant(tmp_path):
    text = ("一、重点任务\n（一）深化户籍制度改革。放开落户。（市公安局负责。以下任务均需各县（市、区）人民政府落实，不再列出）\n"
            "（二）完善住房保障。增加供给。（市住房城乡建设局负责）\n（三）推进公共服务。（市教育局负责）\n二、保障措施")
    c = load(tmp_path, text)
    for path in ("一/（二）", "一/（三）"):
        assert ("各县（市、区）人民政府", "support", "carry_over") in _assigned(c, path)
    assert all(s != "carry_over" for _, _, s in _assigned(c, "一/（一）"))


def test_body_outside_the_register_gets_a_function_from_its_form():
    from urbanpolicy.extract.agencies import body_form

    assert body_form("兰州新区管委会")[0] == "local_government"
    assert body_form("团市委")[0] == "mass_organization"
    assert body_form("某某市城乡建设投资集团有限公司")[1] == "enterprise or financial body"
    assert body_form("临沧银保监分局")[0] == "financial_regulation"


# ---------------------------------------------------------------- annexes
def test_annex_list_is_not_tasks_and_annex_lead_is_document_level_real(tmp_path):
    c = load(tmp_path, real("19_"))
    assert not c.tasks["title"].str.contains("专项行动方案").any()
    leads = c.assignments[(c.assignments["role"] == "lead") & c.assignments["task_id"].isna()]
    assert leads["agency_raw"].tolist() == ["县自然资源局"]


def test_annex_list_variant(tmp_path):
    text = ("某县人民政府关于印发两个方案的通知\n各乡镇：\n现将两个方案印发给你们。\n附件：1.某县老旧小区改造方案\n"
            "2.某县县城建设提升计划（2023-2025年）\n某县人民政府\n2023年1月5日\n附件1\n某县老旧小区改造方案\n"
            "（县住房城乡建设局牵头）\n一、总体要求\n（一）目标。完成改造。")
    c = load(tmp_path, text)
    assert c.tasks["path"].tolist() == ["一/（一）"]
    assert c.assignments[c.assignments["task_id"].isna()]["agency_raw"].tolist() == ["县住房城乡建设局"]


# ---------------------------------------------------------------- target years and kinds
def _target(c: up.Corpus, value: float, unit: str) -> pd.Series:
    t = c.targets
    return t[(t["value"] == value) & (t["unit"] == unit)].iloc[0]


def test_base_year_is_not_a_target_year_real(tmp_path):
    c = load(tmp_path, real("12_"))
    assert pd.isna(_target(c, 5, "个百分点")["year"])
    c13 = load(tmp_path, real("13_"), "d13")
    assert _target(c13, 2, "个百分点")["year"] == 2020


@pytest.mark.parametrize("base", ["比2022年", "较2022年", "與2022年相比"])
def test_base_year_variants(tmp_path, base):
    text = f"（一）目标。到2027年，全市城镇污水集中收集率{base}提高10个百分点。"
    c = load(tmp_path, S2T(text) if "與" in base else text)
    assert _target(c, 10, "个百分点")["year"] == 2027


def test_years_paired_with_values_in_order_real_and_variant(tmp_path):
    c = load(tmp_path, real("12_"))
    assert (_target(c, 60, "%")["year"], c.targets[c.targets["indicator"].str.contains("垃圾")]
            .query("value == 70")["year"].iloc[0]) == (2023, 2025)
    text = "（一）目标。2024年、2025年和2026年，全省城市生活污水集中收集率分别达到55%、60%、65%。"
    t = load(tmp_path, text, "v").targets.sort_values("start")
    assert t["year"].tolist() == [2024, 2025, 2026] and t["value"].tolist() == [55, 60, 65]


def test_relative_horizon_without_a_stated_period_stays_open_real(tmp_path):
    c = load(tmp_path, real("07_"))
    assert pd.isna(_target(c, 66, "%")["year"])
    assert "target_relative_year_unresolved" in kinds(c)


def test_attribute_threshold_real_and_variant(tmp_path):
    t = _target(load(tmp_path, real("10_")), 500, "万元")
    assert t["kind"] == "threshold" and "技改项目" in t["indicator"]
    t = _target(load(tmp_path, "（一）项目。每年新开工总投资1亿元以上产业项目50个。", "v"), 1, "亿元")
    assert t["kind"] == "threshold"
    t = _target(load(tmp_path, "（一）项目。支持投资500万元以上的技改项目，全年完成200个。", "w"), 500, "万元")
    assert t["kind"] == "threshold"


def test_bare_da_is_a_comparator(tmp_path):
    t = _target(load(tmp_path, "（一）目标。到2025年，城市生活垃圾回收利用率达45%以上。"), 45, "%")
    assert (t["kind"], t["comparator"], t["year"]) == ("target", "达", 2025)


# ---------------------------------------------------------------- the same document scraped twice
def test_two_scrapes_of_one_document_are_linked_real(tmp_path):
    folder = tmp_path / "pair"
    folder.mkdir()
    for name in ("01_", "02_", "03_"):
        src = next(REAL.glob(f"{name}*.txt"))
        (folder / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    c = up.load_corpus(folder)
    near = c.problems[c.problems["kind"] == "near_duplicate"]
    assert near["doc_id"].tolist() == ["02_ndrc_2022_trad_annotated"]
    assert "01_ndrc_2022_tasks_atat" in near["detail"].iloc[0]
    assert len(c.documents) == 3  # linked, not dropped: the reader decides


def test_near_duplicate_variant_traditional_cut_and_annotated(tmp_path):
    seed = (Path(__file__).resolve().parents[2] / "seeds" / "004_60968686e36c0458.txt").read_text(encoding="utf-8")
    folder = tmp_path / "v"
    folder.mkdir()
    (folder / "a.txt").write_text(seed, encoding="utf-8")
    variant = S2T(seed[: len(seed) * 2 // 3]).replace("城鎮", "城鎮(zhèn)")
    (folder / "b.txt").write_text(variant, encoding="utf-8")
    other = (Path(__file__).resolve().parents[2] / "seeds" / "000_d903ec7be93ef826.txt").read_text(encoding="utf-8")
    (folder / "c.txt").write_text(other, encoding="utf-8")
    near = up.load_corpus(folder).problems.query("kind == 'near_duplicate'")
    assert near["doc_id"].tolist() == ["b"] and "same document as a " in near["detail"].iloc[0]


def test_forwarded_opinion_takes_the_title_printed_below(tmp_path):
    text = ("国务院办公厅转发国家发展改革委关于促进特色小镇规范健康发展意见的通知\n国办发〔2020〕33号\n"
            "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n国家发展改革委《关于促进特色小镇规范健康发展的意见》"
            "已经国务院同意，现转发给你们，请认真贯彻执行。\n国务院办公厅\n2020年9月16日\n（此件公开发布）\n"
            "关于促进特色小镇规范健康发展的意见\n国家发展改革委\n一、总体要求")
    d = doc(tmp_path, text)
    assert (d["title"], d["issuer"], d["level"]) == ("关于促进特色小镇规范健康发展的意见", "国务院办公厅", "national")


def test_bracketed_date_under_the_title_and_an_unnamed_city(tmp_path):
    text = "市政府关于加快推进新型城镇化建设的实施意见\n（2021年12月3日）\n各区人民政府，市政府各部门：\n为贯彻落实省委省政府决策部署，提出如下意见。\n一、主要目标"
    d = doc(tmp_path, text)
    assert (str(d["issued"].date()), d["level"]) == ("2021-12-03", "municipal")


@pytest.mark.parametrize("task, expected", [
    ("（一）深化户籍制度改革。取消落户限制。（责任单位：省公安厅、省发展改革委，各市人民政府；完成时限：2024年底前）",
     [("省公安厅", "lead"), ("省发展改革委", "support"), ("各市人民政府", "support")]),
    ("（一）完善住房保障。扩大供给。牵头单位：省住房城乡建设厅  配合单位：省财政厅、省自然资源厅",
     [("省住房城乡建设厅", "lead"), ("省财政厅", "support"), ("省自然资源厅", "support")]),
    ("（一）提升城市品质。推进城市更新。（合肥市人民政府、芜湖市人民政府负责，2025年底前完成）",
     [("合肥市人民政府", "lead"), ("芜湖市人民政府", "support")]),
    ("（一）强化要素保障。加大财政投入。\n省财政厅、省发展改革委按职责分工负责。",
     [("省财政厅", "joint"), ("省发展改革委", "joint")]),
    ("（一）推进落户。放开限制。（省公安厅牵头，省人力资源社会保障厅、省教育厅参与）",
     [("省公安厅", "lead"), ("省人力资源社会保障厅", "support"), ("省教育厅", "support")]),
    ("（一）推进落户。放开限制。【责任单位：省公安厅、省人力资源社会保障厅】",
     [("省公安厅", "lead"), ("省人力资源社会保障厅", "support")]),
])
def test_clause_variants_with_deadlines_and_spaced_labels(tmp_path, task, expected):
    c = load(tmp_path, f"安徽省人民政府关于城镇化的意见\n{task}\n（二）其他。")
    assert [(a, r) for a, r, s in _assigned(c, "（一）") if s == "clause"] == expected
    assert not c.problems["kind"].eq("unknown_agency").any()


@pytest.mark.parametrize("bracket, deadline", [
    ("（省住房城乡建设厅负责；完成时限：2025年12月）", "2025-12-31"),
    ("（省财政厅负责，2025年）", "2025-12-31"),
    ("（省公安厅负责，2024年6月底前完成）", "2024-06-30"),
    ("（省教育厅牵头，2026年3月15日前）", "2026-03-15"),
])
def test_date_in_a_clauses_time_slot_is_the_deadline(tmp_path, bracket, deadline):
    c = load(tmp_path, f"某省人民政府关于城镇化的意见\n（一）深化改革。推进落户。{bracket}\n（二）其他。")
    task = c.tasks.set_index("path").loc["（一）", "task_id"]
    rows = c.dates[(c.dates["task_id"] == task) & (c.dates["kind"] == "deadline")]
    assert [str(d.date()) for d in rows["date"]][-1] == deadline
    lead = bracket[1:].split("负责")[0].split("牵头")[0]
    assert [a for a, r, s in _assigned(c, "（一）") if s == "clause" and r == "lead"] == [lead]


# ---------------------------------------------------------------- references
def test_cited_numbers_that_lost_their_bracket_real(tmp_path):
    c = load(tmp_path, real("15_"))
    numbers = set(c.references["cited_number"].dropna())
    assert {"皖发改规划〔2023〕69号", "皖办发〔2023〕9号", "皖城融组办〔2023〕2号", "皖城融组〔2023〕1号",
            "六政〔2021〕17号", "六发改综合〔2022〕194号"} <= numbers
    assert (c.problems["kind"] == "damaged_doc_number").sum() >= 7  # six citations and the document's own


@pytest.mark.parametrize("cited, number", [
    ("《湖北省新型城镇化规划》（鄂政发〔202112号）", "鄂政发〔2021〕12号"),
    ("《關於推進新型城鎮化的意見》(川府發〔20235號)", "川府发〔2023〕5号"),
    ("《某市城镇化方案》（某政办发 〔2022108号，以下简称《方案》）", "某政办发〔2022〕108号"),
])
def test_damaged_cited_number_variants(tmp_path, cited, number):
    c = load(tmp_path, f"（一）总体要求。为贯彻落实{cited}精神，制定本方案。")
    assert c.references["cited_number"].tolist() == [number]


def test_outline_of_a_five_year_plan_is_cited_real_and_variant(tmp_path):
    c = load(tmp_path, real("03_"))
    assert "国家“十四五”规划纲要" in c.references["cited_title"].tolist()
    v = load(tmp_path, "（一）总体要求。落实全省“十三五”规划《纲要》和《通知》要求。", "v")
    assert v.references["cited_title"].tolist() == ["全省“十三五”规划纲要"]  # 《通知》 alone is no citation


def test_short_name_resolves_to_the_document_it_names(tmp_path):
    text = ("（一）总体要求。根据《国家新型城镇化规划（2021—2035年）》（以下简称《规划》），结合实际。"
            "按照《规划》要求，落实各项任务。")
    refs = load(tmp_path, text).references
    assert refs["cited_title"].tolist() == ["国家新型城镇化规划（2021—2035年）"]


def test_notice_date_without_a_signature_line(tmp_path):
    text = ("赣州市人民政府关于印发赣州市城镇化实施方案的通知\n赣市府发〔2025〕3号\n各县（市、区）人民政府：\n"
            "现将《赣州市城镇化实施方案》印发给你们，请认真抓好贯彻落实。\n2025年2月10日\n（此件主动公开）\n"
            "赣州市城镇化实施方案\n一、主要目标")
    d = doc(tmp_path, text)
    assert (str(d["issued"].date()), d["title"], d["issuer"]) == ("2025-02-10", "赣州市城镇化实施方案", "赣州市人民政府")


def test_body_names_with_square_or_tortoise_brackets(tmp_path):
    text = "（一）深化户籍制度改革。放开落户。（责任单位：市公安局，各县〔市、区〕人民政府）\n（二）其他。"
    c = load(tmp_path, text)
    got = _assigned(c, "（一）")
    assert [(a, r) for a, r, _ in got] == [("市公安局", "lead"), ("各县〔市、区〕人民政府", "support")]
    row = c.assignments.iloc[1]
    assert c.documents.iloc[0]["text"][row["start"]:row["end"]] == row["agency_raw"]
    assert not c.problems["kind"].eq("unknown_agency").any()


def test_deadline_words_are_not_part_of_an_indicator(tmp_path):
    t = _target(load(tmp_path, "（一）教育。2025年底前公办学校就读比例达到90%以上。"), 90, "%")
    assert (t["indicator"], t["year"]) == ("公办学校就读比例", 2025)


def test_two_fields_on_one_line_and_a_list_of_levels_as_one_body(tmp_path):
    text = ("发布机构：湖北省发展和改革委员会\t成文日期：2023年05月06日\n"
            "标题：省发改委关于印发2023年全省新型城镇化工作要点的通知\n文号：鄂发改规划〔2023〕156号\t发布日期：2023年05月10日\n"
            "2023年全省新型城镇化工作要点\n一、重点任务\n1.实施县城补短板工程。支持县城建设。（省发改委牵头，各市、州、县人民政府负责）")
    c = load(tmp_path, text)
    d = c.documents.iloc[0]
    assert (str(d["issued"].date()), str(d["published"].date()), d["doc_number"]) == (
        "2023-05-06", "2023-05-10", "鄂发改规划〔2023〕156号")
    assert d["title"] == "2023年全省新型城镇化工作要点"
    assert [(a, r) for a, r, _ in _assigned(c, "一/1.")] == [("省发改委", "lead"), ("各市、州、县人民政府", "support")]


@pytest.mark.parametrize("written, canonical", [
    ("省供销社", "云南省供销合作社联合社"), ("省国动办", "云南省国防动员办公室"), ("省侨联", "云南省归国华侨联合会"),
    ("省民族宗教委", "云南省民族宗教事务委员会"), ("省公路局", "云南省公路管理局"),
    ("市投促局", "临沧市投资促进局"), ("市文化广电旅游局", "临沧市文化和旅游局"), ("市不动产登记中心", "临沧市不动产登记中心"),
])
def test_register_abbreviations(written, canonical):
    from urbanpolicy.extract.agencies import find_agencies

    region, level = ("云南省", "provincial") if written.startswith("省") else ("临沧市", "municipal")
    assert [a.name for a in find_agencies(f"（{written}负责）", region, level)] == [canonical]


@pytest.mark.parametrize("horizon, year", [("到“十四五”末", 2025), ("到“十五五”期末", 2030), ("到2026年6月底前", 2026)])
def test_targets_take_the_year_the_dates_table_found(tmp_path, horizon, year):
    c = load(tmp_path, f"某省城镇化方案\n一、目标\n（一）目标。{horizon}，全省常住人口城镇化率达到65%。")
    dated = c.dates[c.dates["kind"].isin(["target_year", "deadline"])]
    assert dated["date"].dt.year.tolist() == [year]
    assert _target(c, 65, "%")["year"] == year


def test_relative_horizon_resolves_to_the_period_in_the_title_variant(tmp_path):
    text = ("重庆市推进新型城镇化三年行动方案（2024—2026年）\n为深入实施新型城镇化战略，制定本方案。\n一、主要目标\n"
            "通过三年努力，全市常住人口城镇化率达到73%。\n二、重点任务\n"
            "（一）推进市民化。落实落户政策。（责任单位：市公安局，各区县政府）")
    c = load(tmp_path, text)
    assert _target(c, 73, "%")["year"] == 2026
    assert [(a, r) for a, r, _ in _assigned(c, "二/（一）")] == [("市公安局", "lead"), ("各区县政府", "support")]


def test_annex_list_of_tables_and_lists(tmp_path):
    text = ("某市人民政府办公室关于印发某市城镇化实施方案的通知\n附件：1.某市城镇化实施方案\n2.重点任务分工表\n3.项目清单\n"
            "某市人民政府办公室\n2023年1月5日\n附件1\n某市城镇化实施方案\n一、总体要求\n（一）目标。完成改造。\n1.推进落户。放开限制。")
    assert load(tmp_path, text).tasks["path"].tolist() == ["一/（一）", "一/（一）/1."]


@pytest.mark.parametrize("issuer", ["财政部办公厅", "农业农村部办公厅", "自然资源部", "住房和城乡建设部 国家发展改革委"])
def test_ministry_issuers_are_national(tmp_path, issuer):
    text = (f"{issuer}关于印发城镇化工作方案的通知\n各省、自治区、直辖市{issuer.split()[0][:4]}：\n"
            f"现将方案印发给你们。\n{issuer.split()[0]}\n2023年2月1日\n城镇化工作方案\n一、总体要求")
    d = doc(tmp_path, text)
    assert d["level"] == "national" and d["region"] in ("全国", None)


def test_document_that_lost_its_line_breaks(tmp_path):
    body = ("为推进新型城镇化，制定本方案。一、总体要求（一）指导思想。以习近平新时代中国特色社会主义思想为指导。"
            + "坚持以人为本，推进城乡融合发展。" * 30
            + "（二）主要目标。到2025年，全市常住人口城镇化率达到70%。（市发展改革委牵头）二、重点任务（一）深化户籍制度改革。"
            + "推动农业转移人口市民化。" * 40 + "（市公安局负责）（二）完善住房保障。增加保障性租赁住房供给。（市住房城乡建设局负责）")
    c = load(tmp_path, "某市人民政府关于印发某市城镇化方案的通知\n" + body)
    assert c.sections["heading"].tolist() == ["总体要求", "重点任务"]
    assert c.tasks["path"].tolist() == ["一/（一）", "一/（二）", "二/（一）", "二/（二）"]
    assert [a for a, _, _ in _assigned(c, "二/（一）")] == ["市公安局"]
    text = c.documents.iloc[0]["text"]
    assert all(text[t.start:t.end] == t.text for t in c.tasks.itertuples())
    # the same items on lines of their own are read the same way
    broken = re.sub(r"(?<=[。）])(?=（[一二]）|[一二]、)|(?<=要求|任务)(?=（一）)", "\n", body)
    assert load(tmp_path, "某市人民政府关于印发某市城镇化方案的通知\n" + broken, "b").tasks["path"].tolist() == \
        c.tasks["path"].tolist()


def test_a_change_without_its_subject_takes_the_previous_indicator(tmp_path):
    c = load(tmp_path, "（一）目标。力争全市地区生产总值突破3000亿元，年均增长6.5%左右。")
    assert _target(c, 6.5, "%")["indicator"] == "地区生产总值增长"
    assert _target(c, 3000, "亿元")["indicator"] == "地区生产总值"


def test_a_list_of_thousands_of_quantities_keeps_bounded_context(tmp_path):
    # each row keeps its clause and sentence around the quantity, not the whole 40,000-character list
    text = "（一）目标。" + "、".join(f"新增{i}个" for i in range(6000)) + "。"
    t = load(tmp_path, text).targets
    assert len(t) == 6000
    assert t["sentence"].str.len().max() <= 2010
    assert (t["comparator"] == "新增").all() and t["value"].iloc[-1] == 5999


@pytest.mark.parametrize("name, title", [
    ("05_", "2019年新型城镇化建设重点任务"),  # a wiki heading "印发通知" does not run into the notice
    ("16_", "加快新型城镇化建设综合改革的实施意见"),  # the notice printed twice is no headline
    ("17_", "推进以县城为重要载体的城镇化建设行动方案"),  # a notice broken over three lines
])
def test_exact_titles_and_no_false_headline_real(tmp_path, name, title):
    d = doc(tmp_path, real(name))
    assert d["title"] == title and pd.isna(d["headline"])
