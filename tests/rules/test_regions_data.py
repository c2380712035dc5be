"""Sanity checks for the packaged administrative-division table ``rules/regions.csv``."""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

CSV_PATH = Path(__file__).parents[2] / "src/urbanpolicy/rules/regions.csv"

NO_PREFECTURES = {
    "北京市",
    "天津市",
    "上海市",
    "重庆市",
    "香港特别行政区",
    "澳门特别行政区",
    "台湾省",
}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def by_name(rows) -> dict[str, dict[str, str]]:
    return {r["name"]: r for r in rows}


@pytest.fixture(scope="module")
def provinces(rows) -> set[str]:
    return {r["name"] for r in rows if r["level"] == "province"}


def test_header():
    with CSV_PATH.open(encoding="utf-8") as fh:
        assert fh.readline().rstrip("\r\n") == "name,short,level,province,short_en"


def test_no_empty_fields(rows):
    for r in rows:
        assert all(r[k] and r[k].strip() == r[k] for k in ("name", "short", "level", "province")), r


def test_levels_known(rows):
    assert {r["level"] for r in rows} <= {"province", "prefecture", "county"}


def test_province_count(rows, provinces):
    assert len(provinces) == 34
    for r in rows:
        if r["level"] == "province":
            assert r["province"] == r["name"]


def test_prefecture_count(rows):
    n = sum(1 for r in rows if r["level"] == "prefecture")
    assert 330 <= n <= 340


def test_names_unique(rows):
    dupes = [n for n, c in Counter(r["name"] for r in rows).items() if c > 1]
    assert dupes == []


def test_parents_are_provinces(rows, provinces):
    for r in rows:
        if r["level"] != "province":
            assert r["province"] in provinces, r


def test_short_is_prefix_of_name(rows):
    for r in rows:
        assert r["name"].startswith(r["short"]) and r["short"] != r["name"], r


@pytest.mark.parametrize(
    ("name", "province"),
    [
        ("庆阳市", "甘肃省"),
        ("恩施土家族苗族自治州", "湖北省"),
        ("长沙市", "湖南省"),
        ("喀什地区", "新疆维吾尔自治区"),
        ("兴安盟", "内蒙古自治区"),
        ("三沙市", "海南省"),
        ("儋州市", "海南省"),
        ("吉林市", "吉林省"),
        ("大理白族自治州", "云南省"),
        ("黔东南苗族侗族自治州", "贵州省"),
        ("阿里地区", "西藏自治区"),
        ("锡林郭勒盟", "内蒙古自治区"),
    ],
)
def test_spot_check_prefecture_parent(by_name, name, province):
    assert by_name[name]["level"] == "prefecture"
    assert by_name[name]["province"] == province


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("湖北省", "湖北"),
        ("广西壮族自治区", "广西"),
        ("内蒙古自治区", "内蒙古"),
        ("新疆维吾尔自治区", "新疆"),
        ("香港特别行政区", "香港"),
        ("恩施土家族苗族自治州", "恩施"),
        ("黔东南苗族侗族自治州", "黔东南"),
        ("大理白族自治州", "大理"),
        ("阿里地区", "阿里"),
        ("锡林郭勒盟", "锡林郭勒"),
        ("神农架林区", "神农架"),
    ],
)
def test_spot_check_short(by_name, name, short):
    assert by_name[name]["short"] == short


@pytest.mark.parametrize(
    ("name", "province"),
    [("仙桃市", "湖北省"), ("神农架林区", "湖北省"), ("济源市", "河南省"), ("五指山市", "海南省")],
)
def test_province_administered_county_units(by_name, name, province):
    assert by_name[name]["level"] == "county"
    assert by_name[name]["province"] == province


@pytest.mark.parametrize("name", ["莱芜市", "巢湖市", "襄樊市", "思茅市", "毕节地区", "铜仁地区"])
def test_abolished_or_renamed_prefectures_absent(by_name, name):
    assert name not in by_name


def test_every_province_has_prefectures(rows, provinces):
    counts = Counter(r["province"] for r in rows if r["level"] == "prefecture")
    for p in provinces:
        if p in NO_PREFECTURES:
            assert counts[p] == 0, p
        else:
            assert counts[p] >= 1, p


SHORT_EN_RE = re.compile(r"[A-Z][A-Za-z' -]*")


def test_short_en_present_and_ascii(rows):
    for r in rows:
        value = r["short_en"]
        assert value and value.strip() == value, r
        assert SHORT_EN_RE.fullmatch(value), r


@pytest.mark.parametrize(
    ("name", "short_en"),
    [
        ("湖北省", "Hubei"),
        ("陕西省", "Shaanxi"),
        ("山西省", "Shanxi"),
        ("内蒙古自治区", "Inner Mongolia"),
        ("庆阳市", "Qingyang"),
        ("长沙市", "Changsha"),
        ("恩施土家族苗族自治州", "Enshi"),
        ("乌鲁木齐市", "Urumqi"),
        ("六安市", "Lu'an"),
    ],
)
def test_spot_check_short_en(by_name, name, short_en):
    assert by_name[name]["short_en"] == short_en


def test_gazetteer_changes_do_not_leak_to_the_next_caller():
    from urbanpolicy.rules.regions import find_regions, gazetteer

    table = gazetteer()
    table.loc[table["name"] == "庆阳市", "province"] = "湖北省"
    table["name"] = ""
    again = gazetteer()
    assert again.set_index("name").loc["庆阳市", "province"] == "甘肃省"
    assert [r.province for r, _, _ in find_regions("庆阳市")] == ["甘肃省"]


def test_find_regions_gives_its_reference_matches_everywhere():
    """The Aho–Corasick matcher against the longest-first ``re`` alternation it replaced: the
    seeds, the real-world excerpts, their cleaned text, and random runs of names, name pieces
    and separators (names that extend one another: 内蒙古 / 内蒙古自治区, 吉林 / 吉林省 / 吉林市)."""
    import random

    import urbanpolicy as up
    from urbanpolicy.rules.regions import _names, find_regions, find_regions_reference

    root = Path(__file__).resolve().parents[2]
    files = [*sorted((root / "seeds").glob("*.txt")), *sorted((root / "tests/fixtures/realworld").glob("*.txt"))]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    texts += up.load_corpus(files).documents["text"].tolist()
    rng = random.Random(15)
    names = list(_names())
    pieces = ["省", "市", "县", "区", "州", "自治", "、", "和", " ", "\n", "（", "a"]
    for _ in range(400):
        texts.append("".join(rng.choice(names) if rng.random() < 0.5 else rng.choice(names)[: rng.randint(1, 3)]
                             if rng.random() < 0.8 else rng.choice(pieces) for _ in range(30)))
    texts += ["吉林" * 500 + "省", "内蒙古自治区内蒙古内蒙" * 100, "湖北省湖北湖" * 100]
    matched = 0
    for text in texts:
        found = find_regions(text)
        assert found == find_regions_reference(text)
        matched += len(found)
    assert matched > 10_000
