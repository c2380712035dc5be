"""Outputs: ``--out`` is a folder we own, nothing is written through a link, nothing foreign
is overwritten, every parameter is checked before a notebook starts, and a source with no
readable document still gives reports ("no documents")."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ..conftest import QINGYANG, ROOT, SEEDS
from ..hostile_inputs import OLE2, TASK_DOC, write

# Each test starts the command-line interface in a new process (about a second each): run by
# `make test`, left out of `make test-fast`.
pytestmark = pytest.mark.slow

CLI = [sys.executable, "-m", "urbanpolicy.report.cli"]


def cli(*args: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    full = dict(os.environ, **(env or {}))
    if "XDG_CACHE_HOME" in (env or {}):
        full.pop("URBANPOLICY_CACHE_DIR", None)  # let the XDG folder decide where the cache goes
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, env=full)


def one_line_error(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.strip().split("\n")
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("command", ["run", "tables"])
def test_out_naming_an_existing_file_is_a_one_line_error(tmp_path, command):
    target = write(tmp_path / "report.html", "mine")
    one_line_error(cli(command, "--out", str(target)), "--out", "not a folder")
    assert target.read_text() == "mine"


def test_tables_never_overwrites_a_file_it_did_not_write(tmp_path):
    out = tmp_path / "tables"
    precious = write(out / "documents.csv", "my own notes")
    done = cli("tables", "--source", str(SEEDS / f"{QINGYANG}.txt"), "--out", str(out), "--format", "csv")
    one_line_error(done, "documents.csv", "--force")
    assert precious.read_text() == "my own notes"
    assert not (out / "tasks.csv").exists()  # refused before writing anything
    forced = cli("tables", "--source", str(SEEDS / f"{QINGYANG}.txt"), "--out", str(out), "--format", "csv", "--force")
    assert forced.returncode == 0, forced.stderr
    assert precious.read_text(encoding="utf-8-sig").startswith("doc_id,")
    # its own files from an earlier run are replaced without --force
    again = cli("tables", "--source", str(SEEDS / f"{QINGYANG}.txt"), "--out", str(out), "--format", "csv")
    assert again.returncode == 0, again.stderr


def test_tables_never_writes_through_a_link(tmp_path):
    outside = write(tmp_path / "outside.parquet", "not yours")
    out = tmp_path / "tables"
    out.mkdir()
    os.symlink(outside, out / "documents.parquet")
    done = cli("tables", "--source", str(SEEDS / f"{QINGYANG}.txt"), "--out", str(out), "--force")
    assert done.returncode == 0, done.stderr
    assert outside.read_text() == "not yours"
    assert not (out / "documents.parquet").is_symlink()
    assert (out / "documents.parquet").read_bytes()[:4] == b"PAR1"


def test_run_never_writes_through_a_link_and_keeps_its_cache_out_of_the_reports(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    outside = {name: write(tmp_path / "elsewhere" / name, "not yours")
               for name in ("index.html", "run.json", "01_corpus_overview.html", "01_corpus_overview.ipynb")}
    for name, target in outside.items():
        os.symlink(target, out / name)
    xdg = tmp_path / "xdg"
    done = cli("run", "01", "--out", str(out), "-p", "source", str(SEEDS / f"{QINGYANG}.txt"),
               env={"XDG_CACHE_HOME": str(xdg)})
    assert done.returncode == 0, done.stderr[-3000:]
    for name, target in outside.items():
        assert target.read_text() == "not yours", name
        assert (out / name).is_file() and not (out / name).is_symlink(), name
    assert not (out / ".cache").exists()
    assert (xdg / "urbanpolicy").is_dir()


def test_run_no_cache_writes_no_cache(tmp_path):
    xdg = tmp_path / "xdg"
    done = cli("run", "01", "--no-cache", "--out", str(tmp_path / "out"), "-p", "source",
               str(SEEDS / f"{QINGYANG}.txt"), env={"XDG_CACHE_HOME": str(xdg)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert not xdg.exists()


@pytest.mark.parametrize("name, value, words", [
    ("top_n", "None", ["top_n"]),
    ("top_n", "abc", ["top_n"]),
    ("by", "None", ["by"]),
    ("by", "region", ["by"]),
    ("lang", "None", ["lang"]),
    ("pair", "[only_one]", ["pair", "two"]),
    ("pair", "[nope:1, nope:2]", ["pair", "nope:1"]),
    ("pair", "5", ["pair"]),
    ("tree_doc", "nope", ["tree_doc", "nope"]),
    ("reference", "nope", ["reference", "nope"]),
    ("threshold", "None2", ["threshold"]),
    ("docs", "[1, 2]", ["docs"]),
])
def test_every_parameter_is_checked_before_anything_executes(tmp_path, name, value, words):
    out = tmp_path / "out"
    done = cli("run", "--out", str(out), "-p", name, value)
    one_line_error(done, *words)
    assert not out.exists() or not any(out.iterdir())


def test_a_duplicate_document_is_not_a_valid_doc_id(tmp_path):
    docs = tmp_path / "docs"
    write(docs / "a.txt", TASK_DOC)
    write(docs / "b.txt", TASK_DOC)
    done = cli("run", "01", "--out", str(tmp_path / "out"), "-p", "source", str(docs), "-p", "docs", "[b]")
    one_line_error(done, "docs", "'b'", "duplicate")
def test_a_source_with_no_readable_document_renders_no_documents(tmp_path):
    docs = tmp_path / "docs"
    write(docs / "empty.txt", b"")
    write(docs / "old.doc", OLE2)
    out = tmp_path / "out"
    done = cli("run", "--jobs", "2", "--out", str(out), "-p", "source", str(docs))
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    pages = sorted(out.glob("0*.html"))
    assert len(pages) == len(list((ROOT / "notebooks").glob("[0-9]*.ipynb")))
    for page in pages:
        assert "no documents" in page.read_text(encoding="utf-8"), page.name

