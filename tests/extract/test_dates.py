"""Tests for the time-expression and citation stage (urbanpolicy.extract.dates, urbanpolicy.extract.citations).

Sentences are real snippets from the seed documents (simplified, clean-text
conventions) plus sentences written for the formats the seeds lack; property
tests generate date variants (ASCII, full-width, Chinese numerals) inside filler.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import cn2an
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urbanpolicy import schema
from urbanpolicy.analysis.timeline import HORIZON_COLUMNS, task_horizons
from urbanpolicy.extract.citations import (
    REFERENCE_COLUMNS,
    normalise_doc_number,
    normalise_title,
    reference_rows,
)
from urbanpolicy.extract.dates import DATE_COLUMNS, date_rows, parse_date_expression, plan_years
from urbanpolicy.extract.structure import TaskSpans

T = pd.Timestamp


def dates(text: str, doc_year: int | None = None, issued: pd.Timestamp | None = None,
          tasks: pd.DataFrame | None = None) -> pd.DataFrame:
    """``date_rows`` (the function the loader calls) as the dates table, plus the span invariant.

    ``tasks`` (one document's task rows) are passed as the loader passes them, as ``TaskSpans``.
    """
    spans = None if tasks is None else TaskSpans.from_rows(tasks.to_dict("records"))
    df = schema.frame("dates", date_rows("doc", text, spans, doc_year, issued))
    assert list(df.columns) == DATE_COLUMNS
    for row in df.itertuples():
        assert text[row.start : row.end] == row.text, row
    return df


def one(df: pd.DataFrame, written: str) -> pd.Series:
    """The single row whose text is ``written``."""
    rows = df[df["text"] == written]
    assert len(rows) == 1, (written, df[["text", "kind"]].values.tolist())
    return rows.iloc[0]


def refs(text: str, own_number: str | None = None, own_title: str | None = None) -> pd.DataFrame:
    """``reference_rows`` (the function the loader calls) as the references table, plus its span
    invariant (span starts at 《 or at the number)."""
    rows, problems = reference_rows("doc", text, own_number, own_title)
    assert all(text[p["start"]:p["end"]] for p in problems)
    df = schema.frame("references", rows)
    assert list(df.columns) == REFERENCE_COLUMNS
    for row in df.itertuples():
        span = text[row.start : row.end]
        assert span.startswith("《") or normalise_doc_number(span).startswith(str(row.cited_number)), span
    return df


# ------------------------------------------------------------ parse_date_expression


@pytest.mark.parametrize(
    ("written", "default_year", "expected", "precision"),
    [
        ("2021年7月15日", None, T(2021, 7, 15), "day"),
        ("二〇二四年七月二十八日", None, T(2024, 7, 28), "day"),
        ("２０２４年７月２８日", None, T(2024, 7, 28), "day"),
        ("2022-04-02", None, T(2022, 4, 2), "day"),
        ("6月11日", 2021, T(2021, 6, 11), "day"),
        ("2021年6月", None, T(2021, 6, 1), "month"),
        ("2021年", None, T(2021, 1, 1), "year"),
        ("二〇二〇年十二月三十一日", None, T(2020, 12, 31), "day"),
    ],
)
def test_parse_date_expression(written, default_year, expected, precision):
    assert parse_date_expression(written, default_year) == (expected, precision)


@pytest.mark.parametrize("written", ["", "6月11日", "2021年13月", "2021年2月30日", "发改规划〔2021〕493号", "5G"])
def test_parse_date_expression_rejects(written):
    assert parse_date_expression(written) == (None, None)


# ------------------------------------------------------------ real snippets


def test_hunan_letter_deadline_and_signature():
    text = "请于2021年7月21日前将书面意见反馈至我办\n湖南省推进新型城镇化工作领导小组办公室\n2021年7月15日"
    df = dates(text, 2021)
    row = one(df, "请于2021年7月21日前")
    assert (row.kind, row.date, row.precision) == ("deadline", T(2021, 7, 21), "day")
    # The signature date is kept as a mention; the metadata stage owns `issued`.
    sig = one(df, "2021年7月15日")
    assert (sig.kind, sig.date) == ("mention", T(2021, 7, 15))
    assert not df["kind"].isin(["issued", "published"]).any()


def test_hunan_reference_with_number():
    text = "依据国家发展改革委《2021年新型城镇化和城乡融合发展重点任务》（发改规划〔2021〕493号），提出"
    df = refs(text)
    assert len(df) == 1
    row = df.iloc[0]
    assert row.cited_title == "2021年新型城镇化和城乡融合发展重点任务"
    assert row.cited_number == "发改规划〔2021〕493号"
    assert text[row.start : row.end] == "《2021年新型城镇化和城乡融合发展重点任务》（发改规划〔2021〕493号）"
    assert pd.isna(row.cited_doc_id)
    # The number is not a date; the year in the title is a mention.
    assert dates(text, 2021)["text"].tolist() == ["2021年"]


def test_qingyang_targets():
    text = "争取到2025年，城镇化水平和质量稳步提升，全市常住人口城镇化率达到37%左右。到2035年，城镇化进入成熟期"
    df = dates(text, 2022)
    assert df["kind"].tolist() == ["target_year", "target_year"]
    assert df["date"].tolist() == [T(2025, 12, 31), T(2035, 12, 31)]
    assert df["precision"].tolist() == ["year", "year"]


QINGYANG_REFS = (
    "为贯彻落实《甘肃省人民政府办公厅关于进一步健全完善户籍制度改革配套政策推进城镇基本公共服务常住人口全覆盖的实施意见》"
    "（甘政办发〔2017〕158号）、《甘肃省人民政府办公厅关于印发〈甘肃省新型城镇化规划（2021—2035年）〉的通知》"
    "（甘政办发〔2021〕94号）精神"
)


def test_qingyang_references():
    df = refs(QINGYANG_REFS)
    assert df["cited_number"].tolist() == ["甘政办发〔2017〕158号", "甘政办发〔2021〕94号"]
    assert df["cited_title"].iloc[1] == "甘肃省人民政府办公厅关于印发《甘肃省新型城镇化规划（2021—2035年）》的通知"
    assert QINGYANG_REFS[df["start"].iloc[1] : df["end"].iloc[1]].endswith("（甘政办发〔2021〕94号）")


def test_qingyang_period_inside_title():
    df = dates(QINGYANG_REFS, 2022)
    row = one(df, "（2021—2035年）")
    assert (row.kind, row.date, row.end_date) == ("period", T(2021, 1, 1), T(2035, 12, 31))
    assert "2035年" not in df["text"].tolist()  # swallowed by the period, not a second row
    assert not df["text"].str.contains("〔").any()


def test_national_plan_baseline_and_target():
    text = (
        "“十三五”以来，新型城镇化取得重大进展，2020年末全国常住人口城镇化率达到63.89%。"
        "到2025年，全国常住人口城镇化率稳步提高"
    )
    df = dates(text, 2022)
    plan = one(df, "“十三五”以来")
    assert (plan.kind, plan.date, plan.end_date) == ("period", T(2016, 1, 1), T(2020, 12, 31))
    base = one(df, "2020年末")
    assert (base.kind, base.date, base.precision) == ("baseline", T(2020, 12, 31), "year")
    target = one(df, "到2025年")
    assert (target.kind, target.date) == ("target_year", T(2025, 12, 31))


def test_spaces_inside_dates_from_the_national_plan():
    df = dates("2020 年末全国常住人口城镇化率，到 2025 年新增城际铁路", 2022)
    assert one(df, "2020 年末").kind == "baseline"
    assert one(df, "到 2025 年").date == T(2025, 12, 31)


def test_hubei_mention_and_period():
    df = dates("2021年是“十四五”规划开局之年，是我省社会主义现代化建设进程中具有特殊重要性的一年。", 2021)
    mention = one(df, "2021年")
    assert (mention.kind, mention.date, mention.precision) == ("mention", T(2021, 1, 1), "year")
    plan = one(df, "“十四五”")
    assert (plan.kind, plan.date, plan.end_date) == ("period", T(2021, 1, 1), T(2025, 12, 31))


def test_state_council_relative_from_issue_date():
    text = "经过5年的努力，农业转移人口落户城镇渠道全面畅通，常住人口城镇化率提升至接近70%"
    row = one(dates(text, 2024, T(2024, 7, 28)), "经过5年的努力")
    assert (row.kind, row.date, row.precision) == ("relative", T(2029, 7, 28), "year")


def test_relative_without_issue_date_falls_back_to_year_end_or_nat():
    assert one(dates("经过5年的努力", 2024), "经过5年的努力").date == T(2029, 12, 31)
    assert pd.isna(one(dates("经过5年的努力"), "经过5年的努力").date)


@pytest.mark.parametrize(
    ("written", "expected"),
    [("用3年左右时间", T(2027, 7, 28)), ("经过两年的努力", T(2026, 7, 28)), ("用6个月时间", T(2025, 1, 28))],
)
def test_relative_variants(written, expected):
    row = one(dates(f"计划{written}基本完成改造", None, T(2024, 7, 28)), written)
    assert (row.kind, row.date) == ("relative", expected)


# ------------------------------------------------------------ formats the seeds lack


@pytest.mark.parametrize(
    ("sentence", "written", "kind", "date", "precision"),
    [
        ("各地要于2023年12月底前完成摸底。", "2023年12月底前", "deadline", T(2023, 12, 31), "month"),
        ("请各县区6月30日前报送进展。", "6月30日前", "deadline", T(2022, 6, 30), "day"),
        ("改造任务年内完成。", "年内", "deadline", T(2022, 12, 31), "year"),
        ("第三季度完成评估。", "第三季度", "deadline", T(2022, 9, 30), "quarter"),
        ("2022年一季度末前出台细则。", "2022年一季度末前", "deadline", T(2022, 3, 31), "quarter"),
        ("截至2021年底，全省城镇化率达到60%。", "截至2021年底", "baseline", T(2021, 12, 31), "year"),
        ("2025年前全面完成。", "2025年前", "target_year", T(2025, 12, 31), "year"),
        ("2021年6月，省政府召开会议。", "2021年6月", "mention", T(2021, 6, 1), "month"),
        ("二〇二四年七月二十八日", "二〇二四年七月二十八日", "mention", T(2024, 7, 28), "day"),
        ("国务院\n２０２４年７月２８日\n", "２０２４年７月２８日", "mention", T(2024, 7, 28), "day"),
        ("发布时间：2022-04-02", "2022-04-02", "mention", T(2022, 4, 2), "day"),
        ("今年底前出台方案。", "今年底前", "deadline", T(2022, 12, 31), "year"),
        ("2020年以来，城镇化率逐年提高。", "2020年以来", "baseline", T(2020, 1, 1), "year"),
    ],
)
def test_written_formats(sentence, written, kind, date, precision):
    row = one(dates(sentence, 2022), written)
    assert (row.kind, row.date, row.precision) == (kind, date, precision)


def test_ongoing_has_no_date():
    df = dates("长期坚持房子是用来住的、不是用来炒的定位。持续推进城市更新。推动城市可持续发展。", 2022)
    assert df["text"].tolist() == ["长期坚持", "持续推进"]
    assert (df["kind"] == "ongoing").all()
    assert df["date"].isna().all() and df["precision"].isna().all()


@pytest.mark.parametrize(
    ("written", "first", "last"),
    [("“十五五”时期", 2026, 2030), ("十四五", 2021, 2025), ("“十一五”", 2006, 2010), ("“十五”期间", 2001, 2005)],
)
def test_five_year_plans(written, first, last):
    row = one(dates(f"回顾{written}城镇化发展", 2022), written)
    assert (row.kind, row.date, row.end_date) == ("period", T(first, 1, 1), T(last, 12, 31))


def test_plan_years_are_computed():
    assert [plan_years(n) for n in (1, 3, 13, 14, 15, 16)] == [
        (1953, 1957),
        (1966, 1970),
        (2016, 2020),
        (2021, 2025),
        (2026, 2030),
        (2031, 2035),
    ]


def test_year_ranges():
    df = dates("实施期为2021年至2025年，规划期（2021—2035年）", 2021)
    assert one(df, "2021年至2025年").end_date == T(2025, 12, 31)
    assert one(df, "（2021—2035年）").kind == "period"


def test_year_less_dates_use_doc_year_or_stay_undated():
    assert one(dates("6月11日，省发改委下发通知", 2021), "6月11日").date == T(2021, 6, 11)
    row = one(dates("6月11日，省发改委下发通知"), "6月11日")
    assert pd.isna(row.date) and row.precision == "day"


def test_past_cutoff_is_not_a_deadline():
    row = one(dates("扎实推进2000年底前建成的需改造城镇老旧小区改造", 2024), "2000年底前")
    assert (row.kind, row.date) == ("mention", T(2000, 12, 31))


@pytest.mark.parametrize(
    "text",
    [
        "加快5G网络建设",
        "吸纳300万人口",
        "构建1小时通勤圈",
        "（发改规划〔2021〕493号）",
        "居住5年以上的农业转移人口",
        "（十五）实施城市更新行动。（二十五）完善城市住房体系。",
        "城市可持续发展能力持续增强",
        "每季度通报一次",
        "每年年底统计",
        "城镇化率达到63.89%，新增10.5万套",
    ],
)
def test_not_dates(text):
    assert dates(text, 2022).empty


def test_empty_text():
    df = dates("", 2022)
    assert df.empty and list(df.columns) == DATE_COLUMNS
    assert str(df["date"].dtype).startswith("datetime64")


def test_dtypes():
    df = dates("请于2021年7月21日前反馈，持续推进。", 2021)
    assert str(df["date"].dtype).startswith("datetime64")
    assert str(df["end_date"].dtype).startswith("datetime64")
    assert df["start"].dtype == "int64" and df["end"].dtype == "int64"


# ------------------------------------------------------------ tasks and horizons


def make_tasks(text: str, pieces: list[tuple[str, str | None, int, str]]) -> pd.DataFrame:
    """Tasks table from (task_id, parent, depth, substring) — ranges found in ``text``."""
    rows = []
    for task_id, parent, depth, piece in pieces:
        start = text.index(piece)
        rows.append(
            {
                "doc_id": "doc",
                "task_id": task_id,
                "section_id": "s1",
                "parent_task_id": parent,
                "depth": depth,
                "label": task_id,
                "path": task_id,
                "ordinal": 1,
                "is_leaf": depth == 2,
                "title": piece[:4],
                "text": piece,
                "start": start,
                "end": start + len(piece),
            }
        )
    return pd.DataFrame(rows)


TASK_TEXT = (
    "前言：2021年是开局之年。\n"
    "（一）推进户籍改革。\n"
    "1.放开落户限制，2023年12月底前完成，到2025年全面实现。\n"
    "2.持续推进公共服务均等化，第三季度完成评估，6月30日前上报。\n"
)


def tasks_for_text() -> pd.DataFrame:
    return make_tasks(
        TASK_TEXT,
        [
            ("t1", None, 1, "（一）推进户籍改革。\n"),
            ("t1.1", "t1", 2, "1.放开落户限制，2023年12月底前完成，到2025年全面实现。\n"),
            ("t1.2", "t1", 2, "2.持续推进公共服务均等化，第三季度完成评估，6月30日前上报。\n"),
        ],
    )


def test_task_assignment():
    df = dates(TASK_TEXT, 2022, tasks=tasks_for_text())
    assert pd.isna(one(df, "2021年").task_id)  # preamble is outside every task
    assert one(df, "2023年12月底前").task_id == "t1.1"
    assert one(df, "到2025年").task_id == "t1.1"
    assert one(df, "第三季度").task_id == "t1.2"
    assert one(df, "持续推进").task_id == "t1.2"


def test_horizons():
    tasks = tasks_for_text()
    out = task_horizons(dates(TASK_TEXT, 2022, tasks=tasks), tasks)
    assert list(out.columns) == HORIZON_COLUMNS
    got = out.set_index("task_id")
    assert got.loc["t1.1", "earliest_deadline"] == T(2023, 12, 31)
    assert got.loc["t1.1", "latest_target"] == T(2025, 12, 31)
    assert got.loc["t1.2", "earliest_deadline"] == T(2022, 6, 30)
    assert pd.isna(got.loc["t1.2", "latest_target"])
    assert pd.isna(got.loc["t1", "earliest_deadline"]) and pd.isna(got.loc["t1", "latest_target"])


def test_horizons_with_no_dates():
    tasks = tasks_for_text()
    out = task_horizons(dates("", 2022), tasks)
    assert len(out) == len(tasks) and out["earliest_deadline"].isna().all()


# ------------------------------------------------------------ normalisation


def test_normalise_title_brackets_and_spacing():
    a = normalise_title("《国家新型城镇化规划（2021—2035 年）》")
    b = normalise_title("国家新型城镇化规划(2021—2035年)")
    c = normalise_title("国家新型城镇化规划（2021-2035年）")
    assert a == b == c == "国家新型城镇化规划（2021—2035年）"


def test_normalise_title_nested():
    got = normalise_title("甘肃省人民政府办公厅关于印发〈甘肃省新型城镇化规划（2021—2035年）〉的通知")
    assert got == "甘肃省人民政府办公厅关于印发《甘肃省新型城镇化规划（2021—2035年）》的通知"
    assert normalise_title("《关于印发《X规划》的通知》") == "关于印发《X规划》的通知"


@pytest.mark.parametrize(
    "written", ["发改规划[2021]493号", "发改规划(2021)493号", "发改规划【2021】493号", "发改规划［2021］493号",
                "发改规划 〔2021〕 493 号", "发改规划（２０２１）４９３号"],
)
def test_normalise_doc_number(written):
    assert normalise_doc_number(written) == "发改规划〔2021〕493号"


# ------------------------------------------------------------ references


def test_short_names_and_genre_words_are_not_citations():
    text = (
        "国家发展改革委发布《“十四五”新型城镇化实施方案》（以下简称《方案》）。《方案》提出，深化户籍制度改革。"
        "按照《通知》要求，落实《行动计划》。"
    )
    df = refs(text)
    assert df["cited_title"].tolist() == ["“十四五”新型城镇化实施方案"]


def test_law_titles_without_number_are_citations():
    text = "根据《中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要》和《国家新型城镇化规划（2021—2035 年）》"
    df = refs(text)
    assert df["cited_title"].tolist() == [
        "中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要",
        "国家新型城镇化规划（2021—2035年）",
    ]
    assert df["cited_number"].isna().all()


def test_own_number_and_title_are_not_citations():
    text = (
        "国务院关于印发《深入实施以人为本的新型城镇化战略五年行动计划》的通知\n国发〔2024〕17号\n"
        "现将《深入实施以人为本的新型城镇化战略五年行动计划》印发给你们。依据《国家新型城镇化规划（2021—2035年）》，"
        "参照国办发〔2019〕28号文件。"
    )
    df = refs(text, own_number="国发[2024]17号", own_title="国务院关于印发《深入实施以人为本的新型城镇化战略五年行动计划》的通知")
    assert df["cited_title"].dropna().tolist() == ["国家新型城镇化规划（2021—2035年）"]
    alone = df[df["cited_title"].isna()]
    assert alone["cited_number"].tolist() == ["国办发〔2019〕28号"]
    assert text[alone["start"].iloc[0] : alone["end"].iloc[0]] == "国办发〔2019〕28号"


def test_repeated_citation_is_one_row_preferring_the_numbered_one():
    text = (
        "根据国家发展改革委《2021年新型城镇化和城乡融合发展重点任务》，"
        "依据《2021年新型城镇化和城乡融合发展重点任务》（发改规划〔2021〕493号），按照发改规划〔2021〕493号要求"
    )
    df = refs(text)
    assert len(df) == 1
    assert df["cited_number"].iloc[0] == "发改规划〔2021〕493号"
    assert text[df["start"].iloc[0]] == "《" and text.index("依据") < df["start"].iloc[0]


def test_number_followed_by_short_name():
    text = "《关于实施支持农业转移人口市民化若干财政政策的通知》（庆政发〔2017〕34号，以下简称《通知》）"
    df = refs(text)
    assert df["cited_number"].tolist() == ["庆政发〔2017〕34号"]


# ------------------------------------------------------------ generated variants


def _cn_year(year: int) -> str:
    return "".join("〇一二三四五六七八九"[int(c)] for c in str(year))


_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
fillers = st.text(alphabet="城镇化推进落实完善服务，。的和要", max_size=12)


@st.composite
def written_dates(draw):
    """A day-precision date written in one of the styles found in the corpus."""
    year = draw(st.integers(1990, 2040))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    style = draw(st.sampled_from(["ascii", "full", "chinese", "iso"]))
    if style == "ascii":
        written = f"{year}年{month}月{day}日"
    elif style == "full":
        written = f"{year}年{month}月{day}日".translate(_FULL)
    elif style == "chinese":
        written = f"{_cn_year(year)}年{cn2an.an2cn(month)}月{cn2an.an2cn(day)}日"
    else:
        written = f"{year}-{month:02d}-{day:02d}"
    return written, T(year, month, day)


@settings(max_examples=150, deadline=None)
@given(written_dates(), fillers, fillers)
def test_generated_dates_parse_inside_text(case, before, after):
    written, expected = case
    text = f"{before}{written}{after}"
    df = dates(text, 2021)
    row = one(df, written)
    assert (row.date, row.precision, row.kind) == (expected, "day", "mention")
    assert parse_date_expression(written) == (expected, "day")


@settings(max_examples=100, deadline=None)
@given(st.integers(2000, 2040), st.sampled_from(["到", "争取到", "力争到"]), fillers)
def test_generated_targets(year, cue, after):
    text = f"{cue}{year}年{after}"
    row = one(dates(text, 2000), f"{cue}{year}年")
    assert (row.kind, row.date) == ("target_year", T(year, 12, 31))


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 99999),
    st.sampled_from(["万", "G", "小时", "亿元", "%", "个", "公里", "万人", "平方米", "号"]),
    fillers,
)
def test_generated_non_dates(number, unit, before):
    assert dates(f"{before}{number}{unit}", 2021).empty


@settings(max_examples=100, deadline=None)
@given(st.integers(1990, 2040), st.integers(1, 999), st.sampled_from(["[]", "()", "（）", "【】", "［］", "〔〕"]))
def test_generated_doc_numbers(year, serial, brackets):
    written = f"甘政办发{brackets[0]}{year}{brackets[1]}{serial}号"
    assert normalise_doc_number(written) == f"甘政办发〔{year}〕{serial}号"
    assert dates(f"（{written}）", 2021).empty


# ------------------------------------------------------------ scale and seeds


def test_linear_on_long_text():
    text = ("到2025年，持续推进改造，请于2021年7月21日前反馈。加快5G网络建设，吸纳300万人口。" * 4000)
    started = time.perf_counter()
    df = dates(text, 2021)
    assert len(df) == 3 * 4000
    assert time.perf_counter() - started < 20


SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _crude_clean(raw: str) -> str:
    """Stand-in for the lead's cleaner: drop front matter and tags, traditional -> simplified."""
    import opencc

    raw = re.sub(r"^\s*---.*?---\s*", "", raw, flags=re.S)
    raw = re.sub(r"<[^>]+>", "", raw)
    return opencc.OpenCC("t2s").convert(raw)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents not present")
@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
def test_seed_documents_invariants(path):
    text = _crude_clean(path.read_text(encoding="utf-8"))
    df = dates(text, 2022)
    assert set(df["kind"]) <= {"deadline", "target_year", "baseline", "period", "relative", "ongoing", "mention"}
    assert (df["start"].diff().dropna() > 0).all()  # ordered, no duplicates
    assert (df["end"].iloc[:-1].to_numpy() <= df["start"].iloc[1:].to_numpy()).all()  # no overlaps
    assert not df["text"].str.contains("〔|号|万|G").any()
    refs(text)


# ------------------------------------------------------------ later additions


@pytest.mark.parametrize(
    ("sentence", "written", "kind", "date"),
    [
        ("各地要于 2023年12月底前完成。", "2023年12月底前", "deadline", T(2023, 12, 31)),
        ("在第三季度完成评估。", "第三季度", "deadline", T(2022, 9, 30)),
        ("6月中旬前完成摸排。", "6月中旬前", "deadline", T(2022, 6, 20)),
        ("2022年3月下旬召开推进会。", "2022年3月下旬", "mention", T(2022, 3, 21)),
        ("明年底前全面完成。", "明年底前", "deadline", T(2023, 12, 31)),
        ("二〇二一年至二〇二五年", "二〇二一年至二〇二五年", "period", T(2021, 1, 1)),
    ],
)
def test_more_formats(sentence, written, kind, date):
    row = one(dates(sentence, 2022), written)
    assert (row.kind, row.date) == (kind, date)


def test_bare_numbers_drop_swallowed_words():
    text = "根据省政府办公厅湘政办发〔2020〕1号，参照国办发〔2019〕28号文件和人社部发〔2019〕5号"
    df = refs(text)
    assert df["cited_number"].tolist() == ["湘政办发〔2020〕1号", "国办发〔2019〕28号", "人社部发〔2019〕5号"]
    assert [text[s:e] for s, e in zip(df["start"], df["end"], strict=True)] == df["cited_number"].tolist()


def _benchmark_module():
    """benchmarks/compare_jionlp.py loaded as a module (it is a script, not a package)."""
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "compare_jionlp.py"
    spec = importlib.util.spec_from_file_location("compare_jionlp", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["compare_jionlp"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_benchmark_exits_cleanly_without_jionlp(monkeypatch, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "jionlp", None)  # makes `import jionlp` raise ImportError
    assert _benchmark_module().main([]) == 0
    assert "pip install jionlp" in capsys.readouterr().out


def test_benchmark_compare_splits_by_overlap():
    bench = _benchmark_module()
    mine = [bench.Expr(0, 6, "到2025年", "target_year", ""), bench.Expr(10, 14, "持续推进", "ongoing", "")]
    jio = [bench.Expr(1, 6, "2025年", "time_point", ""), bench.Expr(20, 23, "1小时", "time_delta", "")]
    result = bench.compare(mine, jio)
    assert [e["text"] for e in result["only_ours"]] == ["持续推进"]
    assert [e["text"] for e in result["only_jionlp"]] == ["1小时"]
    assert len(result["boundary"]) == 1 and result["same_span"] == 0


@pytest.mark.parametrize(
    ("sentence", "written", "kind", "date", "end_date"),
    [
        ("到“十四五”末，城镇化率达到65%", "到“十四五”末", "target_year", T(2025, 12, 31), None),
        ("“十三五”末全国城镇化率达到63.89%", "“十三五”末", "baseline", T(2020, 12, 31), None),
        ("到“十四五”时期", "“十四五”时期", "period", T(2021, 1, 1), T(2025, 12, 31)),
        ("2022年1月1日至12月31日开展专项行动", "2022年1月1日至12月31日", "period", T(2022, 1, 1), T(2022, 12, 31)),
        ("2021年7月—2022年6月为试点期", "2021年7月—2022年6月", "period", T(2021, 7, 1), T(2022, 6, 30)),
        ("今后5年，城镇化率年均提高1个百分点", "今后5年", "relative", T(2027, 3, 30), None),
        ("未来五年，持续推进", "未来五年", "relative", T(2027, 3, 30), None),
        ("3个月内完成整改", "3个月内", "relative", T(2022, 6, 30), None),
        ("2021年度考核结果", "2021年度", "mention", T(2021, 1, 1), None),
    ],
)
def test_plan_ends_ranges_and_horizons(sentence, written, kind, date, end_date):
    row = one(dates(sentence, 2022, T(2022, 3, 30)), written)
    assert (row.kind, row.date) == (kind, date)
    assert (pd.isna(row.end_date) and end_date is None) or row.end_date == end_date


@pytest.mark.parametrize("text", ["近5年内城镇化率提高", "居住3个月以上", "专项整治三年行动", "第十四个五年规划", "（十四）五大任务"])
def test_durations_without_a_horizon_cue_are_not_dates(text):
    assert dates(text, 2022, T(2022, 3, 30)).empty


def test_implausible_years_are_not_dates():
    df = dates("〇〇〇〇年，一二三四年，9999年，0001-01-01，1800年—1850年", 2022)
    assert df.empty
    assert parse_date_expression("9999年") == (None, None)
