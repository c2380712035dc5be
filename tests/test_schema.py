"""Every table matches ``urbanpolicy.schema`` exactly, whatever the corpus; the docs agree with it."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
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
