"""Document metadata: the seeds as a careful reader reads them, and documents the tests write."""

from __future__ import annotations

import opencc
import pandas as pd
import pytest

from urbanpolicy import load_corpus
from urbanpolicy.extract.metadata import find_doc_number, parse_date

from ..conftest import HUBEI, HUNAN, NATIONAL_PLAN, QINGYANG, STATE_COUNCIL

# Read off the documents: title, issuer, level, region, issued, published, doc_number.
# The title is the document's own title: for a cover notice "…关于印发《X》的通知" it is X
# (the notice's verbs are never part of a title).
EXPECTED = {
    HUBEI: ("2021年全省新型城镇化和城乡融合发展工作要点", "湖北省发改委", "provincial",
            "湖北省", "2021-06-11", "2021-06-12", None),
    HUNAN: ("湖南省推进新型城镇化工作领导小组办公室关于征求《2021年湖南省新型城镇化工作要点（征求意见稿）》意见的函",
            "湖南省推进新型城镇化工作领导小组办公室", "provincial", "湖南省", "2021-07-15", None, None),
    NATIONAL_PLAN: ("“十四五”新型城镇化实施方案", "国家发展改革委", "national", "全国", None, "2022-07-12", None),
    STATE_COUNCIL: ("深入实施以人为本的新型城镇化战略五年行动计划", "国务院", "national", "全国",
                    "2024-07-28", None, "国发〔2024〕17号"),
    QINGYANG: ("庆阳市人民政府办公室关于加快户籍人口城镇化工作的实施意见", "庆阳市人民政府办公室", "municipal", "庆阳市",
               "2022-03-30", "2022-04-02", "庆政办发〔2022〕44号"),
}


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_seed_metadata(docs, doc_id):
    title, issuer, level, region, issued, published, number = EXPECTED[doc_id]
    row = docs.loc[doc_id]
    assert row["title"] == title
    assert row["issuer"] == issuer
    assert row["level"] == level
    assert row["region"] == region
    if issued:
        assert row["issued"] == pd.Timestamp(issued)
    else:
        assert pd.isna(row["issued"])
    if published:
        assert row["published"] == pd.Timestamp(published)
    else:
        assert pd.isna(row["published"])
    if number:
        assert row["doc_number"] == number
    else:
        assert pd.isna(row["doc_number"])


def test_news_headline_is_kept_apart_from_title(docs):
    assert docs.at[HUBEI, "headline"] == "湖北：进一步降低武汉落户门槛，取消全省其他地区限制"
    assert pd.isna(docs.at[QINGYANG, "headline"])
    assert docs.at[QINGYANG, "province"] == "甘肃省"


SICHUAN = """四川省人民政府关于印发《四川省新型城镇化规划（2021—2035年）》的通知
川府发[2023] 5号
各市（州）、县（市、区）人民政府，省政府各部门、各直属机构：
现将《四川省新型城镇化规划（2021—2035年）》印发给你们，请认真贯彻执行。
四川省人民政府
二〇二三年三月一日
一、总体要求
（一）指导思想。坚持以人民为中心。
"""


def _load_one(tmp_path, name, text, encoding="utf-8"):
    (tmp_path / name).write_bytes(text.encode(encoding))
    return load_corpus(tmp_path / name).documents.iloc[0]


def test_other_province_notice_with_number_line_and_chinese_numeral_date(tmp_path):
    row = _load_one(tmp_path, "sc.txt", SICHUAN)
    assert row["title"] == "四川省新型城镇化规划（2021—2035年）"
    assert row["issuer"] == "四川省人民政府"
    assert (row["level"], row["region"]) == ("provincial", "四川省")
    assert row["doc_number"] == "川府发〔2023〕5号"
    assert row["issued"] == pd.Timestamp("2023-03-01")


def test_traditional_gb_variant_gives_the_same_metadata(tmp_path):
    traditional = opencc.OpenCC("s2t").convert(SICHUAN)
    row = _load_one(tmp_path, "sc_trad.txt", traditional, "utf-16")
    assert row["issuer"] == "四川省人民政府"
    assert row["doc_number"] == "川府发〔2023〕5号"
    assert row["script"] == "traditional"


def test_county_and_municipal_levels(tmp_path):
    town = "秭归县人民政府关于加快新型城镇化的意见\n一、目标\n（一）到2025年。\n"
    row = _load_one(tmp_path, "t.txt", town)
    assert (row["level"], row["region"]) == ("county", "秭归县")
    city = "常德市人民政府办公室关于印发《常德市新型城镇化工作要点》的通知\n常政办发〔2022〕8号\n一、总体要求\n"
    row = _load_one(tmp_path, "m.txt", city)
    assert (row["level"], row["region"], row["province"]) == ("municipal", "常德市", "湖南省")
    assert row["doc_number"] == "常政办发〔2022〕8号"


def test_news_lead_gives_issuer_title_and_date(tmp_path):
    lead = ("---\ntitle: '广东发文推进城市更新'\ndate: 2023-05-20\n---\n"
            "5月18日，广东省住房和城乡建设厅印发《广东省城市更新行动实施方案》（以下简称《方案》）。\n"
            "《方案》提出，到2025年……\n一、总体要求\n")
    row = _load_one(tmp_path, "gd.md", lead)
    assert row["title"] == "广东省城市更新行动实施方案"
    assert row["issuer"] == "广东省住房和城乡建设厅"
    assert row["headline"] == "广东发文推进城市更新"
    assert row["issued"] == pd.Timestamp("2023-05-18")
    assert row["published"] == pd.Timestamp("2023-05-20")
    assert (row["level"], row["region"]) == ("provincial", "广东省")


@pytest.mark.parametrize("text,expected", [
    ("2021年7月15日", "2021-07-15"), ("二〇二四年七月二十八日", "2024-07-28"),
    ("2022-04-02", "2022-04-02"), ("2022年3月30日 ", "2022-03-30"),
])
def test_parse_date(text, expected):
    assert parse_date(text) == pd.Timestamp(expected)


def test_year_less_date_needs_a_year():
    assert parse_date("6月11日") is None
    assert parse_date("6月11日", 2021) == pd.Timestamp("2021-06-11")


@pytest.mark.parametrize("raw", ["国发〔2024〕17号", "国发[2024]17号", "国发［2024］17号", "国发(2024)17号", "国发【2024】 17 号"])
def test_doc_number_brackets_normalised(raw):
    assert find_doc_number(f"下载：{raw}") == "国发〔2024〕17号"
