"""`urbanpolicy run` end to end: real papermill, real nbconvert, real HTML."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from urbanpolicy.report.cli import parse_value
from urbanpolicy.settings import CACHE_DIR_ENV

from ..conftest import ROOT, SEEDS


def _run(*args: str, cwd=ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "urbanpolicy.report.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))


@pytest.fixture(scope="module")
def overview_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    # its own parse cache: other tests of the session parse other folders into the shared one
    env = {**os.environ, CACHE_DIR_ENV: str(tmp_path_factory.mktemp("overview-cache"))}
    result = _run("run", "--out", str(out), "--jobs", "2", env=env)
    return result, out, Path(env[CACHE_DIR_ENV])


@pytest.mark.slow  # executes every notebook
def test_every_notebook_renders_with_charts(overview_run):
    result, out, _ = overview_run
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert len(NOTEBOOKS) >= 2
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in NOTEBOOKS:
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        assert page.count("Plotly.newPlot") >= 2, name
        assert "Traceback" not in page, name
        assert f'href="{name}.html"' in index
    coverage_page = (out / "04_target_coverage.html").read_text(encoding="utf-8")
    assert '"topEnd": "search"' in coverage_page and "<mark>" in coverage_page  # search box, reused wording


@pytest.mark.slow  # executes every notebook
def test_overview_renders_with_charts_and_index(overview_run):
    result, out, _ = overview_run
    assert result.returncode == 0, result.stderr[-2000:]
    page = (out / "01_corpus_overview.html").read_text(encoding="utf-8")
    assert page.count("Plotly.newPlot") >= 3  # cleaning, length, structure charts survive nbconvert
    assert "庆阳市人民政府办公室关于加快户籍人口城镇化工作的实施意见" in page
    assert "plotly.js" in page or "Plotly" in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="01_corpus_overview.html"' in index
    executed = nbformat.read(out / "01_corpus_overview.ipynb", as_version=4)
    assert executed.metadata["papermill"]["parameters"] == {}  # no -p given: the defaults ran
    assert executed.metadata["papermill"]["input_path"].endswith("01_corpus_overview.ipynb")


@pytest.mark.slow  # executes every notebook
def test_run_json_records_inputs_and_versions(overview_run):
    _, out, cache_dir = overview_run
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    expected = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.glob("*.txt")}
    assert manifest["inputs"] == expected
    assert manifest["versions"]["papermill"] and manifest["versions"]["pandas"]
    assert [n["ok"] for n in manifest["notebooks"]] == [True] * len(NOTEBOOKS)
    assert not (out / ".cache").exists()  # the parse cache is kept out of the reports folder
    cache = cache_dir / "corpus"
    assert len(list(cache.iterdir())) == 1  # parsed once, shared


HOSTILE = """关于<img src=x onerror=alert(1)>推进{{7*7}}城镇化的通知
各县区：
一、总体要求
（一）防范javascript:alert(2)注入<svg onload=alert(3)>。到2025年完成。
"""


@pytest.mark.slow  # executes every notebook
def test_hostile_document_text_is_escaped_everywhere(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    # and a document with nothing to extract: every notebook must still render
    (docs / "plain.txt").write_text("这是一段没有编号、没有日期的说明文字。", encoding="utf-8")
    out = tmp_path / "out"
    result = _run("run", "--out", "out", "--jobs", "2", "-p", "source", "docs", cwd=tmp_path)  # relative paths
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    for name in NOTEBOOKS:
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        assert "<img src=x onerror" not in page and "<svg onload" not in page, name
    overview = (out / "01_corpus_overview.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert" in overview  # shown as text, not dropped
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<img" not in index


def test_failing_notebook_leaves_partial_output_and_exit_code(tmp_path):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("raise RuntimeError('boom')"), nbformat.v4.new_code_cell("y = 2")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "99_broken.ipynb"
    nbformat.write(nb, path)
    out = tmp_path / "out"
    result = _run("run", str(path), "--out", str(out))
    assert result.returncode == 1
    assert "FAILED at cell" in result.stdout and "boom" in result.stdout
    assert (out / "99_broken.ipynb").exists()
    assert "failed at cell" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("args,message", [
    (["-p", "lang", "fr"], "lang"),
    (["-p", "source", "/no/such/folder"], "source"),
    (["-p", "colour", "red"], "colour"),
    (["-p", "docs", "[no_such_doc]"], "docs"),
    (["-p", "tree_doc", "no_such_doc"], "tree_doc"),
])
def test_bad_parameters_fail_before_execution_with_one_line(tmp_path, args, message):
    result = _run("run", "01", "--out", str(tmp_path), *args)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "01_corpus_overview.ipynb").exists()


def test_parameter_values_are_typed_like_papermill():
    assert parse_value("3") == 3 and parse_value("0.5") == 0.5
    assert parse_value("[a, b]") == ["a", "b"]
    assert parse_value("None") is None and parse_value("true") is True
    assert parse_value("湖北") == "湖北"


def test_tables_command_writes_every_table(tmp_path):
    result = _run("tables", "--out", str(tmp_path), "--format", "csv")
    assert result.returncode == 0, result.stderr
    for name in ("documents", "problems", "cleaning", "sections", "tasks"):
        assert (tmp_path / f"{name}.csv").exists()


def _without_timings(manifest: dict) -> dict:
    manifest = dict(manifest)
    manifest.pop("timings")
    manifest["notebooks"] = [{k: v for k, v in n.items() if k not in ("seconds", "finished")} for n in manifest["notebooks"]]
    return manifest


@pytest.mark.slow  # executes every notebook
def test_two_runs_give_identical_manifests_and_tables(tmp_path, overview_run):
    _, first, _ = overview_run
    second = tmp_path / "second"
    result = _run("run", "--out", str(second), "--jobs", "2")
    assert result.returncode == 0, result.stderr[-2000:]
    a = json.loads((first / "run.json").read_text(encoding="utf-8"))
    b = json.loads((second / "run.json").read_text(encoding="utf-8"))
    assert _without_timings(a) == _without_timings(b)
    one, two = tmp_path / "t1", tmp_path / "t2"
    for folder in (one, two):
        assert _run("tables", "--out", str(folder), "--format", "csv").returncode == 0
    for path in sorted(one.glob("*.csv")):
        assert path.read_bytes() == (two / path.name).read_bytes(), path.name


@pytest.mark.slow  # executes every notebook
def test_plotly_js_once_per_page_and_not_in_notebooks(overview_run):
    result, out, _ = overview_run
    assert result.returncode == 0, result.stderr[-2000:]
    for name in NOTEBOOKS:
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        assert page.count("* plotly.js v") == 1, name  # the library's banner: embedded once, inline
        assert page.index("* plotly.js v") < page.index("Plotly.newPlot"), name  # loaded before the first chart
        stored = (out / f"{name}.ipynb").read_text(encoding="utf-8")
        assert "* plotly.js v" not in stored, name  # the executed notebook does not carry the 5 MB library


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(s) for s in sources)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_notebooks_sharing_a_kernel_do_not_see_each_other(tmp_path):
    # one job runs both notebooks in one kernel; the second must not find the first's variable
    other = tmp_path / "elsewhere"
    other.mkdir()
    first = _notebook(tmp_path / "97_first.ipynb", "leaked = 1")
    second = _notebook(other / "98_second.ipynb", "import os\nprint(os.getcwd())", "leaked")
    out = tmp_path / "out"
    result = _run("run", str(first), str(second), "--out", str(out), "--jobs", "1")
    assert result.returncode == 1
    assert "97_first.ipynb: ok" in result.stdout
    assert "98_second.ipynb: FAILED" in result.stdout and "NameError" in result.stdout
    executed = nbformat.read(out / "98_second.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert str(other) in printed  # each notebook runs in its own folder, as papermill's cwd does


def test_notebooks_are_dealt_longest_first_from_the_last_runs_times(tmp_path):
    from urbanpolicy.report.runner import last_seconds, share_notebooks

    names = [Path(f"{i:02d}_x.ipynb") for i in range(1, 7)]
    # the last run in this folder: 06 took as long as the five others together
    rows = [{"notebook": n.name, "seconds": s} for n, s in zip(names, [2, 3, 2, 5, 3, 15], strict=True)]
    rows += [{"notebook": 7, "seconds": "x"}, "not a row"]  # a damaged manifest row is skipped
    (tmp_path / "run.json").write_text(json.dumps({"notebooks": rows}), encoding="utf-8")
    seconds = last_seconds(tmp_path)
    assert seconds == {n.name: float(s) for n, s in zip(names, [2, 3, 2, 5, 3, 15], strict=True)}
    groups = share_notebooks(names, 2, seconds)
    assert groups == [[str(names[5])], [str(n) for n in names[:5]]]  # 15 s against 15 s
    # three kernels: 06 | 04 then 01 (5 + 2) | 02, 05 then 03 (3 + 3 + 2)
    assert share_notebooks(names, 3, seconds) == [[str(names[5])], [str(names[0]), str(names[3])],
                                                  [str(names[1]), str(names[2]), str(names[4])]]
    # the first run in a folder (or a notebook new since the last one): in turn by name
    assert share_notebooks(names, 2, {}) == [[str(n) for n in names[0::2]], [str(n) for n in names[1::2]]]
    del seconds[names[0].name]
    assert share_notebooks(names, 2, seconds) == [[str(n) for n in names[0::2]], [str(n) for n in names[1::2]]]
    assert share_notebooks(names[:1], 2, {}) == [[str(names[0])]] and share_notebooks([], 2, {}) == []
    assert last_seconds(tmp_path / "missing") == {}
