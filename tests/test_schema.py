"""Every table matches ``urbanpolicy.schema`` exactly, whatever the corpus; the docs agree with it."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import urbanpolicy as up
from urbanpolicy import corpus as corpus_module
from urbanpolicy import schema

from .conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]
REALWORLD = ROOT.parent / "shared" / "realworld" / "docs"


def _corpora(tmp_path: Path) -> dict[str, up.Corpus]:
    empty = tmp_path / "empty"
    empty.mkdir()
    blank = tmp_path / "blank"
    blank.mkdir()
    (blank / "nothing.txt").write_text("  \n\n", encoding="utf-8")  # decodes, but no text is left
    binary = tmp_path / "binary"
    binary.mkdir()
    (binary / "image.txt").write_bytes(bytes(range(256)) * 4)
    out = {"seeds": up.load_corpus(SEEDS), "empty folder": up.load_corpus(empty),
           "one file without text": up.load_corpus(blank), "one binary file": up.load_corpus(binary),
           "Corpus()": up.Corpus()}
    if REALWORLD.is_dir():
        out["realworld"] = up.load_corpus(REALWORLD)
    return out


def test_every_table_matches_the_schema(tmp_path):
    bad = {f"{label}: {table}": schema.mismatches(table, frame)
           for label, c in _corpora(tmp_path).items() for table, frame in c.tables().items()
           if schema.mismatches(table, frame)}
    assert not bad


def test_the_corpus_has_exactly_the_schema_tables():
    assert list(up.Corpus().tables()) == list(schema.TABLES)


def test_the_seed_corpus_fills_the_tables():
    """The check above would pass on empty tables; the seeds give rows in every table."""
    c = up.load_corpus(SEEDS)
    assert all(len(frame) for frame in c.tables().values())


def test_mismatches_sees_a_wrong_dtype_and_a_value_outside_the_list():
    frame = schema.frame("dates", [{"doc_id": "a", "kind": "deadline", "start": 0, "end": 1}])
    assert schema.mismatches("dates", frame) == []
    frame["start"] = frame["start"].astype("float64")
    frame["kind"] = frame["kind"].cat.rename_categories({"deadline": "someday"})  # a category: values are codes
    found = schema.mismatches("dates", frame)
    assert any("dates.start: dtype float64" in m for m in found)
    assert any("'someday'" in m for m in found)


def test_frame_types_missing_values_and_drops_unknown_keys():
    frame = schema.frame("targets", [{"doc_id": "a", "task_id": None, "year": None, "value": None,
                                      "start": 3, "end": 5, "not_a_column": 1}])
    assert list(frame.columns) == schema.columns("targets")
    assert pd.isna(frame.at[0, "task_id"]) and pd.isna(frame.at[0, "year"]) and pd.isna(frame.at[0, "value"])
    assert str(frame["year"].dtype) == "Int64" and frame.at[0, "end"] == 5


def test_every_column_is_described_in_both_languages():
    for name, table in schema.TABLES.items():
        for col in table.columns:
            assert col.en.strip() and col.zh.strip(), f"{name}.{col.name}"
            assert re.search(r"[\u4e00-\u9fff]", col.zh), f"{name}.{col.name}: zh has no Chinese"


def test_data_dictionary_is_current():
    written = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert written == schema.data_dictionary(), "run: python -m urbanpolicy.schema > docs/data-dictionary.md"


def test_corpus_docstring_lists_the_schema_columns():
    assert schema.column_lists() in corpus_module.__doc__


def _readme_tables() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The tables", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| [^|]+ \| (.+) \|$", section, re.M)
    return dict(rows)


def test_readme_table_reference_names_real_columns():
    rows = _readme_tables()
    assert sorted(rows) == sorted(schema.TABLES)
    for table, cell in rows.items():
        # backticked names at the start of an entry: `name` (…) or `a`/`b`
        named = re.findall(r"(?:^|, |/)`(\w+)`", cell)
        unknown = [n for n in named if n not in schema.columns(table)]
        assert not unknown, f"README names {unknown} under {table}, not columns of the schema"


@pytest.mark.parametrize("table", list(schema.TABLES))
def test_empty_tables_have_schema_dtypes(table):
    assert schema.mismatches(table, schema.empty(table)) == []


# Rows as the extractors write them, and the values they must not mistype: missing as None, NaN
# or pd.NA, a number where text is due, a key only some rows carry, text outside the BMP.
_AWKWARD_ROWS = {
    "documents": [{"doc_id": "湖北/plan", "title": 5, "issued": None, "n_chars": 3, "draft": True, "strength": None},
                  {"doc_id": "青海/意见", "title": float("nan"), "headline": pd.NA, "n_chars": 1, "draft": False,
                   "issued": pd.Timestamp("2020-01-01"), "strength": 1.5}],
    "targets": [{"doc_id": "a", "unit": 3, "year": None, "value": None, "start": 1, "end": 2, "comparator": float("nan")},
                {"doc_id": None, "unit": "万套", "year": pd.NA, "qualifier": pd.NA, "value": 2.5, "start": 1, "end": 2},
                {"doc_id": "b", "unit": "𠀀", "year": 2025, "kind": "target", "value": 2.5, "start": 1, "end": 2}],
    "tasks": [{"doc_id": "b", "directive_start": 4, "label": "（十一）", "start": 0, "end": 1, "depth": 1,
               "ordinal": 11, "is_leaf": True},
              {"doc_id": "a", "label": "3.", "start": 0, "end": 1, "depth": 2, "ordinal": 3, "is_leaf": False}],
    "dates": [{"doc_id": "a", "date": pd.Timestamp("2021-12-31"), "end_date": None, "kind": "deadline",
               "start": 0, "end": 1}],
}


@pytest.mark.parametrize("table", sorted(_AWKWARD_ROWS))
def test_arrow_typing_gives_the_frame_of_the_rows(table):
    """The loader types each run in Arrow (``arrow_table``) and joins the runs (``from_arrow``):
    the same table, dtypes and categories as ``frame`` over all the rows at once."""
    rows = _AWKWARD_ROWS[table]
    parts = [schema.arrow_table(table, schema.row_values(table, part)) for part in (rows, rows[:1], [])]
    joined = schema.from_arrow(table, parts)
    expected = schema.frame(table, rows + rows[:1])
    pd.testing.assert_frame_equal(joined, expected, check_exact=True)
    for name in expected:
        if isinstance(expected[name].dtype, pd.CategoricalDtype):
            assert joined[name].cat.categories.dtype == expected[name].cat.categories.dtype
    assert schema.mismatches(table, joined) == []


def test_arrow_typing_reads_text_and_missing_values_as_written():
    values = schema.row_values("targets", _AWKWARD_ROWS["targets"])
    table = schema.from_arrow("targets", [schema.arrow_table("targets", values)])
    assert table["unit"].tolist() == ["3", "万套", "𠀀"]  # a number in a text column is written as text
    assert table["unit"].cat.categories.tolist() == ["3", "万套", "𠀀"]  # sorted as str sorts
    assert table["doc_id"].isna().tolist() == [False, True, False]
    assert table["year"].tolist() == [pd.NA, pd.NA, 2025]
    assert table["kind"].tolist()[2] == "target" and table["kind"].isna().tolist()[:2] == [True, True]


def test_from_arrow_keeps_only_the_categories_in_use():
    """A run's table that lost rows (a spliced run) keeps their texts in its dictionary; the joined
    table's categories are those its rows use, as ``frame`` would give them."""
    rows = [{"doc_id": d, "step": s, "chars_removed": 0, "items": 0} for d, s in (("a", "html"), ("b", "junk"))]
    part = schema.arrow_table("cleaning", schema.row_values("cleaning", rows))
    kept = part.filter(pa.array([True, False]))
    joined = schema.from_arrow("cleaning", [kept])
    assert joined["doc_id"].cat.categories.tolist() == ["a"]
    assert joined["step"].cat.categories.tolist() == ["html"]
    assert schema.from_arrow("cleaning", []).equals(schema.empty("cleaning"))


def test_row_values_takes_keys_some_rows_lack():
    rows = [{"doc_id": "a", "step": "html"}, {"doc_id": "b", "items": 2}, {"doc_id": "c", "extra": 1}]
    assert schema.row_values("cleaning", rows) == {"doc_id": ["a", "b", "c"], "step": ["html", None, None],
                                                    "chars_removed": [None, None, None], "items": [None, 2, None]}
