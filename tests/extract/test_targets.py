"""Tests for the quantitative-targets stage (urbanpolicy.extract.targets, urbanpolicy.analysis.targets).

Two parts: a careful reader's list of every quantity in the five seed files
(tests/fixtures/targets_seeds.csv) that the extractor must find, and unit tests on
sentences written for one rule each.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import opencc
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urbanpolicy import load_corpus, schema
from urbanpolicy.analysis.targets import compare_targets, indicator_key
from urbanpolicy.extract.dates import date_rows
from urbanpolicy.extract.structure import TaskSpans, structure_rows
from urbanpolicy.extract.targets import TARGET_COLUMNS, parse_number, target_rows

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
FIXTURE = Path(__file__).parents[1] / "fixtures" / "targets_seeds.csv"
# The year each seed was issued, as a reader sees it in the text (signature date or
# publication date); the relative horizon "经过5年的努力" of 003 depends on it.
ISSUED = {
    "000_d903ec7be93ef826.txt": 2021,
    "001_217c44fc42c73619.txt": 2021,
    "002_03000616a6599640.txt": 2022,
    "003_2fc009443ab8d0a2.txt": 2024,
    "004_60968686e36c0458.txt": 2022,
}


# ---------------------------------------------------------------- loading the seeds
def targets_of(doc_id: str, text: str, issued_year: int | None) -> tuple[pd.DataFrame, list[dict]]:
    """(targets table, problems) of one clean text by the loader's path: its tasks
    (``structure_rows``) and date rows (``date_rows``) passed to ``target_rows``, the table
    built with ``schema.frame`` — as ``load_corpus`` does for each document."""
    _, tasks, _ = structure_rows(doc_id, text)
    spans = TaskSpans.from_rows(tasks)
    dates = date_rows(doc_id, text, spans, issued_year, None)
    rows, problems = target_rows(doc_id, text, spans, issued_year, dates)
    return schema.frame("targets", rows), problems


def crude_clean(raw: str) -> str:
    """Imitate the lead's cleaner: front matter, tags, pinyin, t2s, full-width punctuation."""
    text = re.sub(r"\A\s*---\n.*?\n---\n", "", raw, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", text))
    text = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)", "", text)
    text = opencc.OpenCC("t2s").convert(text)
    text = text.translate(str.maketrans({"(": "（", ")": "）", ";": "；"}))
    text = re.sub(r"(?<!\d),|,(?!\d)", "，", text)
    text = re.sub(r"(?<!\d):(?!//)|:(?!\d|//)", "：", text)
    lines = (re.sub(r"[ \t\u00a0\u3000]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _corpus_texts() -> dict[str, str]:
    """Seed texts as urbanpolicy.load_corpus cleans them (a loader error fails the test)."""
    docs = load_corpus(SEEDS).documents
    return {Path(str(f)).name: t for f, t in zip(docs["source_file"], docs["text"], strict=True)}


@cache
def seed_texts(loader: str = "corpus") -> dict[str, str]:
    """Clean seed texts by ``loader``: "corpus" (load_corpus) or "crude" (the imitation above)."""
    if loader == "corpus":
        texts = _corpus_texts()
        assert set(texts) == set(ISSUED), f"load_corpus gave {sorted(texts)}"
        return texts
    return {name: crude_clean((SEEDS / name).read_text(encoding="utf-8")) for name in ISSUED}


@cache
def seed_targets(name: str, loader: str = "corpus") -> pd.DataFrame:
    targets, _ = targets_of(name, seed_texts(loader)[name], ISSUED[name])
    return targets


# The fixture must hold both on the project's own cleaning and on the crude imitation.
LOADERS = ["corpus", "crude"]


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _fixture() -> pd.DataFrame:
    fx = pd.read_csv(FIXTURE, dtype={"year": "Int64"})
    return fx


def _matches(targets: pd.DataFrame, text: str, row: pd.Series) -> pd.DataFrame:
    """Rows of ``targets`` for one fixture line: quote in the sentence, quantity in the quote."""
    quote = _squash(row.quote)
    hits = targets[
        targets["sentence"].map(lambda s: quote in _squash(s))
        & pd.Series([_squash(text[s:e]) in quote for s, e in zip(targets["start"], targets["end"], strict=True)],
                    index=targets.index, dtype=bool)
        & (targets["value"] - float(row.value)).abs().lt(1e-9)
        & (targets["unit"] == row.unit)
    ]
    return hits


# ---------------------------------------------------------------- the fixture
FIXTURE_ROWS = list(_fixture().itertuples(index=False))


def test_fixture_is_a_careful_list():
    fx = _fixture()
    assert len(fx) >= 40
    assert set(fx["kind"]) == {"target", "baseline", "threshold", "limit"}
    assert set(fx["doc_file"]) == set(ISSUED)


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("row", FIXTURE_ROWS, ids=lambda r: f"{r.doc_file[:3]}-{r.quote[:14]}")
def test_fixture_row_found(row, loader):
    text = seed_texts(loader)[row.doc_file]
    assert _squash(row.quote) in _squash(text), "fixture quote is not in the clean text"
    hits = _matches(seed_targets(row.doc_file, loader), text, row)
    assert len(hits), f"not found: {row.quote}"
    hit = hits.iloc[0]
    assert hit["kind"] == row.kind
    want_year = None if pd.isna(row.year) else int(row.year)
    got_year = None if pd.isna(hit["year"]) else int(hit["year"])
    assert got_year == want_year
    assert row.indicator_contains in hit["indicator"], hit["indicator"]


@pytest.mark.parametrize("loader", LOADERS)
def test_fixture_recall_is_complete(loader):
    found = sum(
        len(_matches(seed_targets(r.doc_file, loader), seed_texts(loader)[r.doc_file], r)) > 0
        for r in FIXTURE_ROWS
    )
    assert found / len(FIXTURE_ROWS) == 1.0


@pytest.mark.parametrize("row", [r for r in FIXTURE_ROWS if r.kind != "target"],
                         ids=lambda r: f"{r.doc_file[:3]}-{r.quote[:14]}")
def test_baselines_and_thresholds_are_not_targets(row):
    hits = _matches(seed_targets(row.doc_file), seed_texts()[row.doc_file], row)
    assert (hits["kind"] != "target").all()


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("name", sorted(ISSUED))
def test_spans_are_the_quantity_as_written(name, loader):
    text = seed_texts(loader)[name]
    targets = seed_targets(name, loader)
    assert list(targets.columns) == TARGET_COLUMNS
    for s, e, unit, sentence in targets[["start", "end", "unit", "sentence"]].itertuples(index=False):
        written = text[s:e]
        assert unit in written
        assert written[0].isdigit() or written[0] in "一二两三四五六七八九十半约接近逾大"
        assert written in sentence


def test_seed_noise_is_limited():
    """Quantities a reader would not list stay few (descriptive counts like 18项建设任务)."""
    fx = _fixture()
    total = sum(len(seed_targets(n)) for n in ISSUED)
    # Duplicated passages (news summary + full text) are expected to repeat rows.
    assert total <= len(fx) + 12


# ---------------------------------------------------------------- unit tests
def one(text: str, issued_year: int | None = 2021) -> pd.Series:
    targets, _ = targets_of("t", text, issued_year)
    assert len(targets) == 1, targets[["start", "end", "unit"]]
    row = targets.iloc[0]
    assert text[row["start"]:row["end"]]  # non-empty span
    return row


def rows(text: str, issued_year: int | None = 2021) -> pd.DataFrame:
    return targets_of("t", text, issued_year)[0]


@pytest.mark.parametrize("s, value", [
    ("4.35", 4.35), ("一百二十", 120), ("两千", 2000), ("1,000", 1000), ("３７", 37), ("十五", 15), ("半", 0.5),
])
def test_parse_number(s, value):
    assert parse_number(s) == pytest.approx(value)


def test_parse_number_rejects_words():
    with pytest.raises(ValueError):
        parse_number("城镇")


def test_chinese_numerals():
    row = one("新建一百二十个社区服务中心。")
    assert (row["value"], row["unit"], row["indicator"]) == (120, "个", "社区服务中心")
    row = one("新增两千套公租房。")
    assert (row["value"], row["unit"]) == (2000, "套")
    row = one("建成三百五十公里绿道。")
    assert (row["value"], row["unit"]) == (350, "公里")


@pytest.mark.parametrize("text", ["培育1-2个特色产业。", "培育1至2个特色产业。", "培育1—2个特色产业。"])
def test_ranges(text):
    row = one(text)
    assert (row["value"], row["value_low"], row["unit"]) == (2, 1, "个")
    assert text[row["start"]:row["end"]].startswith("1") and text[row["start"]:row["end"]].endswith("个")


def test_wan_yi_multiplied_out():
    row = one("完成4.35万套保障性租赁住房开工任务。")
    assert (row["value"], row["unit"], row["value_base"], row["unit_base"]) == (4.35, "万套", 43500, "套")
    assert row["indicator"] == "保障性租赁住房" and row["comparator"] == "完成"
    row = one("累计完成投资120亿元。")
    assert (row["value_base"], row["unit_base"]) == (120e8, "元")
    row = one("污水处理能力达到80万吨/日左右。")
    assert (row["unit"], row["value_base"], row["unit_base"], row["qualifier"]) == ("万吨/日", 8e5, "吨/日", "左右")


def test_controlled_within():
    text = "新增建设用地规模控制在2950万亩以内。"
    row = one(text)
    assert text[row["start"]:row["end"]] == "2950万亩以内"
    assert (row["comparator"], row["qualifier"], row["indicator"]) == ("控制在", "以内", "新增建设用地规模")


def test_not_lower_than():
    row = one("按照每百户居民拥有不低于30平方米建筑面积标准，优化社区综合服务设施。")
    assert (row["comparator"], row["value"], row["unit"], row["kind"]) == ("不低于", 30, "平方米", "target")


def test_new_additions():
    row = one("到2025年新增城际铁路和市域（郊）铁路运营里程3000公里。")
    assert (row["comparator"], row["value"], row["year"]) == ("新增", 3000, 2025)
    assert "铁路运营里程" in row["indicator"]


def test_horizon_inherited_across_paragraph():
    text = ("（五）主要目标。到2025年，全市常住人口城镇化率达到65%左右。城市建成区绿化覆盖率超过43%。\n"
            "（六）其他。新建公园20个。")
    t = rows(text, 2022)
    assert t["year"].tolist()[:2] == [2025, 2025]
    assert pd.isna(t["year"].iloc[2])  # next paragraph: no horizon
    assert t["indicator"].iloc[0] == "常住人口城镇化率"


def test_stated_year_wins_over_horizon():
    t = rows("到2025年，城镇化率达到65%。2021年新开工改造老旧小区2601个。", 2021)
    assert t["year"].tolist() == [2025, 2021]


def test_relative_horizon_resolves_against_the_documents_own_period():
    # "经过5年的努力" ends the period the document states for itself …
    text = "某省新型城镇化行动方案（2021—2025年）\n经过5年的努力，常住人口城镇化率提升至接近70%，更好支撑高质量发展。"
    row = one(text, 2021)
    assert (row["year"], row["comparator"], row["qualifier"]) == (2025, "提升至", "接近")
    # … and stays open when it states none: issue year + 5 would be a guess (issue 10)
    targets, problems = targets_of("t", "经过5年的努力，常住人口城镇化率提升至接近70%。", 2024)
    assert pd.isna(targets["year"].iloc[0]) and problems[0]["kind"] == "target_relative_year_unresolved"
    # a period inside a cited title is that document's, not this one's
    cited = "为落实《国家新型城镇化规划（2021—2035年）》，制定本行动计划。\n经过5年的努力，城镇化率提升至70%。"
    assert pd.isna(one(cited, 2024)["year"])


def test_annual_plan_year():
    text = "附件：2021年全省新型城镇化工作要点\n（一）落户。农民工随迁子女接受义务教育比例达到100%。"
    row = one(text, 2021)
    assert row["year"] == 2021 and row["indicator"] == "农民工随迁子女接受义务教育比例"


def test_limit():
    t = rows("严格限制新建超高层建筑，不得新建500米以上建筑，严格限制新建250米以上超高层建筑。")
    assert t["kind"].tolist() == ["limit", "limit"]
    assert t["value"].tolist() == [500, 250]


def test_thresholds():
    t = rows("全面取消城区常住人口300万以下的城市落户限制。全面放宽城区常住人口300万至500万的I型大城市落户条件。"
             "扩大3岁以下婴幼儿托位供给。取消进城就业和居住5年以上的人口落户限制。")
    assert t["kind"].tolist() == ["threshold"] * 4
    assert (t["value"].iloc[1], t["value_low"].iloc[1], t["unit"].iloc[1]) == (500, 300, "万")
    assert "常住人口" in t["indicator"].iloc[0]


def test_baselines():
    t = rows("2020年末全国常住人口城镇化率达到63.89%，户籍人口城镇化率提高到45.4%。", 2022)
    assert t["kind"].tolist() == ["baseline", "baseline"] and t["year"].tolist() == [2020, 2020]
    passage = "一、发展基础\n（一）主要进展。城市轨道交通运营里程超过7000公里。\n二、总体要求\n新建公园20个。"
    t = rows(passage, 2022)
    assert t["kind"].tolist() == ["baseline", "target"]


@pytest.mark.parametrize("text", [
    "2021年是十四五开局之年。",
    "根据《2021年新型城镇化和城乡融合发展重点任务》（发改规划〔2021〕493号）。",
    "请于2021年7月21日前反馈。联系人：晁阳 88950076。",
    "加快5G、物联网建设，推进细颗粒物（PM2.5）和臭氧（O3）协同控制。",
    "推动武汉都市圈打造1小时通勤圈，基本实现主要城市间2小时通达。",
    "实施“十四五”规划，推进“4大体系、1个平台”建设，完善“最后一公里”网络。",
    "发挥中央和地方两个积极性，从三个方面开展培训，守住三条底线。",
    "1. 全面放开落户条件。（一）深化改革。第二轮土地承包。",
    "《关于城镇化率达到70%的通知》印发。",
    "邮箱：hnzjt0076@163.com",
    "经过5年的努力，体系基本建立。",
])
def test_non_quantities(text):
    assert rows(text).empty, rows(text)[["start", "end", "unit"]]


def test_spans_and_sentences_on_unit_text():
    text = "到 2025 年城镇生活垃圾焚烧处理能力达到 80 万吨/日左右；在 60 个左右大中城市率先建设循环利用体系。"
    t = rows(text, 2022)
    assert [text[s:e] for s, e in zip(t["start"], t["end"], strict=True)] == ["80 万吨/日左右", "60 个左右"]
    assert t["sentence"].iloc[0].endswith("；") and t["sentence"].iloc[1].startswith("在")
    assert t["year"].tolist() == [2025, 2025]


def test_task_assignment():
    # the deepest task holding the quantity, not the item (一) around both
    text = "（一）保障。\n1.住房。新建公租房1000套。\n2.交通。新增公交线路5条。"
    targets, _ = targets_of("t", text, 2021)
    assert targets["task_id"].tolist() == ["t:（一）/1.", "t:（一）/2."]
    targets, _ = targets_of("t", "文本外。新建公租房1000套。", 2021)
    assert len(targets) == 1 and targets["task_id"].isna().all()


def test_indicator_key_synonyms():
    keys = {indicator_key(x) for x in ["老旧小区改造", "城镇老旧小区改造", "改造老旧小区", "新开工改造老旧小区"]}
    assert keys == {"老旧小区改造"}
    assert indicator_key("全市常住人口城镇化率") == indicator_key("常住人口城镇化率")
    assert indicator_key("户籍人口城镇化率") != indicator_key("常住人口城镇化率")


def test_compare_targets_lines_up_documents():
    frames = []
    for name in ("000_d903ec7be93ef826.txt", "001_217c44fc42c73619.txt"):
        frames.append(seed_targets(name))
    allt = pd.concat(frames, ignore_index=True)
    docs = pd.DataFrame({"doc_id": list(ISSUED)[:2], "title": ["湖北", "湖南"], "region": ["湖北省", "湖南省"],
                         "level": ["province", "province"]})
    cmp = compare_targets(allt, docs, indicator="城镇老旧小区改造")
    assert sorted(cmp["value"].tolist()) == [1500, 2601]
    assert set(cmp["title"]) == {"湖北", "湖南"}
    assert {"doc_id", "indicator", "value", "unit", "value_base", "unit_base", "year", "kind"} <= set(cmp.columns)
    every = compare_targets(pd.concat([seed_targets(n) for n in ISSUED], ignore_index=True))
    assert (every["kind"] == "target").all()
    rates = every[every["indicator_key"] == "常住人口城镇化率"]
    assert set(rates["value"]) == {37.0, 70.0}


def test_from_past_to_future_in_one_clause():
    t = rows("全市常住人口城镇化率由2020年的50%提高到2025年的55%。", 2022)
    assert t["kind"].tolist() == ["baseline", "target"]
    assert t["year"].tolist() == [2020, 2025]


def test_annual_change_is_a_target_not_a_threshold():
    row = one("常住人口城镇化率年均提高1个百分点以上。", 2022)
    assert (row["kind"], row["unit"], row["qualifier"], row["comparator"]) == ("target", "个百分点", "以上", "提高")


def test_population_band_without_unit_person():
    row = one("支持城区人口100万人口以上城市建设都市圈。", 2022)
    assert (row["unit"], row["kind"], row["value_base"]) == ("万", "threshold", 1e6)


def test_chinese_year_horizon():
    row = one("到二〇二五年，城镇化率达到65%。", 2022)
    assert row["year"] == 2025


@pytest.mark.parametrize("text", ["打造15分钟便民生活圈。", "3个月内完成整改。", "实施城市更新三年行动。"])
def test_more_non_quantities(text):
    assert rows(text).empty


def test_as_of_is_a_baseline_not_a_horizon():
    t = rows("截至2021年底，全省累计建成5G基站12万个，棚户区改造完成8.2万套。", 2022)
    assert t["kind"].tolist() == ["baseline", "baseline"] and t["year"].tolist() == [2021, 2021]
    assert t["comparator"].tolist() == ["累计", "完成"]


def test_age_band_is_a_threshold_even_with_a_verb():
    t = rows("每千人口拥有3岁以下婴幼儿托位数达到4.5个。", 2022)
    assert t["kind"].tolist() == ["threshold", "target"]
    assert t["comparator"].iloc[1] == "达到"


def test_horizon_leads_in_a_list():
    text = ("（五）主要目标。到2025年，实现以下目标：\n1. 常住人口城镇化率达到65%。\n2. 新增城镇就业50万人。\n"
            "（六）其他。\n新建公园20个。")
    t = rows(text, 2022)
    assert t["year"].tolist()[:2] == [2025, 2025]
    assert pd.isna(t["year"].iloc[2])


# ---------------------------------------------------------------- properties
_FRAGMENTS = ["到2025年", "，", "。", "；", "\n", "城镇化率", "达到", "不低于", "控制在", "以内", "左右", "以上",
              "1", "2", "3.5", "-", "至", "一百二十", "两", "万", "亿", "个", "%", "万套", "公里", "岁", "年",
              "《", "》", "“", "”", "5G", "不得新建", "经过", "的努力", "米", "（一）", "一、发展基础", "2020年末"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40), st.one_of(st.none(), st.integers(2000, 2030)))
def test_rows_are_well_formed_on_any_text(parts, issued):
    text = "".join(parts)
    targets, problems = targets_of("h", text, issued)
    assert list(targets.columns) == TARGET_COLUMNS
    for r in targets.itertuples(index=False):
        assert 0 <= r.start < r.end <= len(text)
        assert r.unit in text[r.start:r.end] and text[r.start:r.end] in r.sentence
        assert r.kind in {"target", "baseline", "threshold", "limit"}
        assert pd.isna(r.year) or 1949 <= r.year <= 2100
    assert all({"doc_id", "kind", "detail", "start", "end"} <= set(p) for p in problems)


def test_chinese_range():
    row = one("每个县培育一至两个特色产业。")
    assert (row["value"], row["value_low"], row["unit"]) == (2, 1, "个")
