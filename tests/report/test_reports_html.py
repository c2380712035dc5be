"""The rendered reports, read as a colleague would open them (issue 12).

Every check runs on the real HTML that ``urbanpolicy run`` writes: over the seeds (in
Chinese and in English) and over a folder without a national plan.  Tables are read
from the DataTables arguments in the page, charts from the ``Plotly.newPlot`` calls.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest

import urbanpolicy as up

from ..conftest import HUBEI, HUNAN, NATIONAL_PLAN, QINGYANG, ROOT, SEEDS

NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
pytestmark = pytest.mark.slow  # runs every notebook, three times
CJK = re.compile(r"[\u3400-\u9fff]")
DOC_ID = re.compile(r"\b\d{3}_[0-9a-f]{16}\b")


@pytest.fixture(scope="module", autouse=True)
def own_parse_cache(tmp_path_factory):
    """This module's runs parse other folders: their cache entries stay out of the session's cache."""
    from urbanpolicy.settings import CACHE_DIR_ENV

    previous = os.environ.get(CACHE_DIR_ENV)
    os.environ[CACHE_DIR_ENV] = str(tmp_path_factory.mktemp("reports-cache"))
    yield
    os.environ[CACHE_DIR_ENV] = previous if previous is not None else ""
    if previous is None:
        os.environ.pop(CACHE_DIR_ENV)


def _run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "urbanpolicy.report.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=900)


def _ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def seeds_zh(tmp_path_factory):
    out = tmp_path_factory.mktemp("zh")
    result = _run("run", "--out", str(out), "--jobs", "2")
    _ok(result)
    return out, result


@pytest.fixture(scope="module")
def seeds_en(tmp_path_factory):
    out = tmp_path_factory.mktemp("en")
    _ok(_run("run", "--out", str(out), "--jobs", "2", "-p", "lang", "en"))
    return out


@pytest.fixture(scope="module")
def no_national(tmp_path_factory):
    """Hubei's and Hunan's 2021 work points and Qingyang's 2022 opinion: no national plan."""
    folder = tmp_path_factory.mktemp("provincial")
    for doc in (HUBEI, HUNAN, QINGYANG):
        shutil.copy(SEEDS / f"{doc}.txt", folder / f"{doc}.txt")
    out = tmp_path_factory.mktemp("provincial_out")
    _ok(_run("run", "--out", str(out), "--jobs", "2", "-p", "source", str(folder)))
    return out, folder


def page(out, name: str) -> str:
    return (out / f"{name}.html").read_text(encoding="utf-8")


def page_tables(html: str) -> dict[str, list[list[str]]]:
    """{data-table name: rows} for every interactive table in a page, read from its DataTables data."""
    found = {}
    for match in re.finditer(r'<div class="up-table"[^>]*>', html):
        name = re.search(r'data-table="([^"]+)"', match.group(0)).group(1)
        declared = int(re.search(r'data-rows="(\d+)"', match.group(0)).group(1))
        data = re.search(r'"data_json": ("(?:[^"\\]|\\.)*")', html[match.end():])
        assert data, name
        rows = json.loads(json.loads(data.group(1)))
        assert len(rows) == declared, name
        found[name] = rows
    return found


def page_headers(html: str, name: str) -> list[str]:
    start = html.index(f'data-table="{name}"')
    table_html = re.search(r'"table_html": ("(?:[^"\\]|\\.)*")', html[start:]).group(1)
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", json.loads(table_html), re.S)]


def figures(html: str) -> list[tuple[list, dict]]:
    """(data, layout) of every chart in a page."""
    decoder = json.JSONDecoder()
    found = []
    for match in re.finditer(r'Plotly\.newPlot\(\s*"[^"]+",\s*', html):
        data, end = decoder.raw_decode(html, match.end())
        rest = html[end:].lstrip()[1:].lstrip()
        layout, _ = decoder.raw_decode(rest)
        found.append((data, layout))
    return found


def figure(html: str, title_part: str) -> tuple[list, dict]:
    for data, layout in figures(html):
        title = layout.get("title", {})
        if title_part in (title.get("text", "") if isinstance(title, dict) else str(title)):
            return data, layout
    raise AssertionError(f"no chart titled …{title_part}…")


@pytest.fixture(scope="module")
def seeds_corpus():
    return up.load_corpus(SEEDS)


# ----------------------------------------------------------------- tables


def test_tables_hold_every_row_of_their_dataframe(seeds_zh, seeds_corpus):
    out, _ = seeds_zh
    workload = page_tables(page(out, "02_agency_workload"))
    assert len(workload["assignments"]) == len(seeds_corpus.assignments) > 300  # not the first and last five
    assert len(workload["workload"]) == len(up.workload(seeds_corpus, by="agency"))
    assert len(workload["unassigned"]) == len(up.unassigned_tasks(seeds_corpus))
    timeline = page_tables(page(out, "03_timeline"))
    assert len(timeline["dates"]) == len(seeds_corpus.dates)
    assert len(timeline["deadlines"]) == len(up.deadlines(seeds_corpus))
    assert len(page_tables(page(out, "01_corpus_overview"))["documents"]) == 5


def test_every_table_is_searchable_sortable_and_downloadable(seeds_zh):
    out, _ = seeds_zh
    for name in NOTEBOOKS:
        html = page(out, name)
        n_tables = len(page_tables(html))
        assert n_tables >= 1, name
        args = re.findall(r'"buttons": \[([^\]]*)\]', html)
        assert len(args) == n_tables and all("csvHtml5" in a and "excelHtml5" in a for a in args), name
        assert html.count('"topEnd": "search"') == n_tables, name
        assert "<table border=\"1\" class=\"dataframe\"" not in html, name  # no pandas table cut to 10 rows
        assert "rows × " not in html, name


def test_headers_are_readable_in_both_languages(seeds_zh, seeds_en):
    zh_headers = page_headers(page(seeds_zh[0], "02_agency_workload"), "workload")
    en_headers = page_headers(page(seeds_en, "02_agency_workload"), "workload")
    assert "牵头" in zh_headers and "配合" in zh_headers and "doc_id" not in zh_headers
    assert "led" in en_headers and "supported" in en_headers and not any(CJK.search(h) for h in en_headers)


def test_cells_are_formatted_consistently(seeds_zh):
    html = page(seeds_zh[0], "02_agency_workload")
    rows = page_tables(html)["workload"]
    cells = [c for row in rows for c in row]
    assert not {"nan", "NaN", "NaT", "None", "<NA>"} & set(cells)
    assert not any(re.fullmatch(r"-?\d\.\d+e[+-]\d+", c) for c in cells)
    share = page_headers(html, "workload").index("占任务比例")
    assert all(re.fullmatch(r"\d+\.\d%", row[share]) for row in rows)


def test_documents_are_named_by_short_names_with_the_title_on_hover(seeds_zh, seeds_corpus):
    names = seeds_corpus.documents.set_index("doc_id")["short_name"]
    assert names[HUBEI] == "湖北·省发改委·2021 工作要点"
    assert names[QINGYANG] == "庆阳·市政府办公室·2022 实施意见"
    assert names.is_unique and all(len(n) <= 32 for n in names)
    for name in NOTEBOOKS:
        html = page(seeds_zh[0], name)
        for table, rows in page_tables(html).items():
            if table == "documents":
                continue  # the overview lists each document's id: it is what the docs parameter takes
            assert not any(DOC_ID.search(c) for row in rows for c in row), (name, table)
    title = seeds_corpus.documents.set_index("doc_id").at[HUBEI, "title"]
    cells = [c for row in page_tables(page(seeds_zh[0], "02_agency_workload"))["workload"] for c in row]
    assert any(f'<span title="{title}">{names[HUBEI]}</span>' == c for c in cells)  # full title on hover


# ----------------------------------------------------------------- coverage


def _first_paragraph(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html[html.index("<h1"):])
    return re.sub(r"\s+", " ", text)[:600]


def test_coverage_names_its_reference_first_and_warns_when_later(seeds_zh, seeds_corpus):
    html = page(seeds_zh[0], "04_target_coverage")
    first = _first_paragraph(html)
    assert "国家发展改革委·2022 实施方案" in first  # the national plan, earliest national document
    warning = re.search(r'<div class="up-warning"[^>]*>(.*?)</div>', html, re.S)
    assert warning and "晚于" in warning.group(1)  # issued after Hubei's and Hunan's 2021 work points
    assert "湖北·省发改委·2021 工作要点" in warning.group(1)


def test_coverage_without_a_national_plan_warns_and_names_the_provincial_reference(no_national):
    out, _ = no_national
    html = page(out, "04_target_coverage")
    first = _first_paragraph(html)
    assert "湖北·省发改委·2021 工作要点" in first  # provincial and earliest (2021-06-11)
    reference = re.search(r'<p class="up-reference">(.*?)</p>', html, re.S).group(1)
    assert "国家" not in reference and "省级" in reference  # not called a national plan
    warning = re.search(r'<div class="up-warning"[^>]*>(.*?)</div>', html, re.S)
    assert warning and "不是国家级文件" in warning.group(1)


def test_preamble_and_safeguards_are_not_tasks(seeds_corpus, seeds_zh):
    kinds = seeds_corpus.tasks.set_index("task_id")["kind"]
    plan = f"{NATIONAL_PLAN}:"
    assert kinds[plan + "一/（一）"] == "context"  # 主要进展
    assert kinds[plan + "二/（三）"] == "principle"  # 指导思想
    assert kinds[plan + "二/（四）"] == "principle"  # 工作原则
    assert kinds[plan + "二/（五）"] == "goal"  # 主要目标
    assert kinds[plan + "三/（六）"] == "task"  # 深化户籍制度改革
    assert kinds[f"{QINGYANG}:三/（一）"] == "safeguard"  # 三、保障措施
    assert kinds[f"{HUNAN}:八/（二十一）"] == "safeguard"  # 八、组织实施 / 加强部门协调
    unassigned = page_tables(page(seeds_zh[0], "02_agency_workload"))["unassigned"]
    titles = {c for row in unassigned for c in row}
    assert not {"主要进展", "发展形势", "指导思想", "工作原则", "主要目标"} & titles
    cov = up.coverage(seeds_corpus, NATIONAL_PLAN)
    assert not {plan + p for p in ("一/（一）", "二/（三）", "二/（五）")} & set(cov["reference_task_id"])


def test_coverage_heatmap_says_covered_partly_not_with_threshold(seeds_zh):
    html = page(seeds_zh[0], "04_target_coverage")
    data, layout = figure(html, "承接")
    legend = json.dumps([t.get("colorbar", {}) for t in data], ensure_ascii=False)
    assert "0.08" in legend and "已承接" in legend and "未承接" in legend and "部分承接" in legend
    shares = page_tables(html)["coverage_share"]
    assert all(re.fullmatch(r"\d+\.\d%", row[-1]) for row in shares)


# ----------------------------------------------------------------- time


def test_year_precision_dates_are_drawn_on_their_year(seeds_zh):
    html = page(seeds_zh[0], "03_timeline")
    data, _ = figure(html, "时限")
    xs = [x for trace in data if trace.get("mode") == "markers" for x in trace.get("x", [])]
    assert xs and not any(str(x).startswith("2025-12-31") for x in xs)
    assert any(str(x).startswith("2025-01-01") for x in xs)


def test_undated_cited_documents_sit_in_a_date_unknown_lane(seeds_zh):
    html = page(seeds_zh[0], "03_timeline")
    data, layout = figure(html, "政策传导")
    assert "日期不详" in json.dumps(layout, ensure_ascii=False)
    for trace in data:
        for x, hover in zip(trace.get("x", []), trace.get("hovertext", []) or [], strict=False):
            if "第十四个五年规划和2035年远景目标纲要" in hover:
                assert not str(x).startswith("2016"), x
            if "国家新型城镇化规划（2021—2035年）" in hover:
                assert str(x).startswith("2021"), x  # year from the title


def test_citation_graph_is_one_layout_update(monkeypatch, seeds_corpus):
    import plotly.graph_objects as go

    from urbanpolicy.report import plots

    def refuse(*args, **kwargs):
        raise AssertionError("add_annotation called once per edge")

    monkeypatch.setattr(go.Figure, "add_annotation", refuse)
    fig = plots.citation_graph_figure(seeds_corpus, "zh")
    _, edges = up.citation_graph(seeds_corpus)
    assert len(fig.layout.annotations) == len(edges)


# ----------------------------------------------------------------- workload


def test_catch_all_bodies_are_left_out_of_rankings_by_default(seeds_zh, seeds_corpus):
    data, _ = figure(page(seeds_zh[0], "02_agency_workload"), "牵头与配合")
    bodies = {y for trace in data for y in trace["y"]}
    assert bodies and not {"市州有关部门", "各市（州）人民政府", "有关部门"} & bodies
    table = up.workload(seeds_corpus)
    assert table.loc[table["key"] == "市州有关部门", "generic"].all()
    assert not table.loc[table["key"] == "湖北省发展和改革委员会", "generic"].any()


def test_english_report_has_no_chinese_in_agency_labels(seeds_en):
    html = page(seeds_en, "02_agency_workload")
    assert '<html lang="en"' in html
    data, _ = figure(html, "led and supported")
    labels = [y for trace in data for y in trace["y"]]
    assert labels and not any(CJK.search(y) for y in labels)
    for title in ("chapter by chapter", "share tasks"):  # body × chapter heatmap, co-responsibility matrix
        data, _ = figure(html, title)
        labels = [str(v) for trace in data for v in list(trace["x"]) + list(trace["y"])]
        assert labels and not any(CJK.search(v) for v in labels), title
    data, layout = figure(html, "policy function")
    assert not any(CJK.search(str(x)) for trace in data for x in trace["x"])
    assert not any("_" in str(x) for trace in data for x in trace["x"])  # labels, not snake_case codes


def test_function_labels_are_words_in_chinese(seeds_zh):
    data, _ = figure(page(seeds_zh[0], "02_agency_workload"), "职能")
    xs = {str(x) for trace in data for x in trace["x"]}
    assert "住房和城乡建设" in xs and not any("_" in x for x in xs)


def test_notebook_01_follows_lang(seeds_en):
    html = page(seeds_en, "01_corpus_overview")
    headers = page_headers(html, "documents")
    assert "title" in headers and not any(CJK.search(h) for h in headers)


# ----------------------------------------------------------------- self-contained pages


class _Links(HTMLParser):
    """Every src/href/action/data attribute of the page's elements (script bodies are not elements)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "action", "data", "srcset", "poster")]


def external_urls(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return [u for u in parser.urls if re.match(r"\s*(?:https?:)?//", u, re.I)]


def test_reports_request_nothing_from_another_host(seeds_zh, seeds_en, no_national):
    for out in (seeds_zh[0], seeds_en, no_national[0]):
        for name in NOTEBOOKS:
            html = page(out, name)
            assert external_urls(html) == [], name
            assert "require.min.js" not in html and "cdnjs" not in html and "MathJax.Hub" not in html, name
            # script loaders: ES module imports or a script element pointed at another host
            assert not re.search(r"""(?:import\s*\(?\s*|from\s*)['"](?:https?:)?//""", html), name
            assert not re.search(r"""@import\s+url\(\s*['"]?https?:""", html), name
            assert '"showSendToCloud": true' not in html and '"showLink": true' not in html, name


def test_reports_show_no_warnings_or_errors(seeds_zh, seeds_en, no_national):
    for out in (seeds_zh[0], seeds_en, no_national[0]):
        for name in NOTEBOOKS:
            html = page(out, name)
            assert 'data-mime-type="application/vnd.jupyter.stderr"' not in html, name  # a UserWarning, say
            assert "Traceback" not in html, name


def test_plotlyjs_once_real_title_and_lang(seeds_zh, seeds_en):
    for out, lang in ((seeds_zh[0], "zh"), (seeds_en, "en")):
        for name in NOTEBOOKS:
            html = page(out, name)
            assert html.count("* plotly.js v") == 1, name
            assert f'<html lang="{lang}"' in html, name
            title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
            assert title and title != "Notebook" and "urbanpolicy" in title, name


def test_reports_and_notebooks_are_small(seeds_zh):
    out, _ = seeds_zh
    for name in NOTEBOOKS:
        assert (out / f"{name}.html").stat().st_size < 8_000_000, name
        assert (out / f"{name}.ipynb").stat().st_size < 1_000_000, name  # no plotly.js inside


def test_dollar_signs_in_documents_stay_text(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "money.txt").write_text("关于每人补助$5$元另付$x$的通知\n一、总体要求\n（一）每人补助$5$元。\n",
                                    encoding="utf-8")
    out = tmp_path / "out"
    _ok(_run("run", "01", "--out", str(out), "-p", "source", str(docs)))
    html = page(out, "01_corpus_overview")
    assert "MathJax.Hub" not in html and "tex-svg" not in html
    assert "关于每人补助$5$元另付$x$的通知" in json.dumps(page_tables(html)["documents"], ensure_ascii=False)


# ----------------------------------------------------------------- index and run


def test_index_stays_whole_when_one_notebook_is_rerun(tmp_path):
    out = tmp_path / "out"
    _ok(_run("run", "--out", str(out), "--jobs", "2"))
    result = _run("run", "01", "--out", str(out), "-p", "docs", f"[{HUBEI}]")
    _ok(result)
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert [n["notebook"] for n in manifest["notebooks"]] == [f"{n}.ipynb" for n in NOTEBOOKS]
    rerun = next(n for n in manifest["notebooks"] if n["notebook"].startswith("01"))
    assert rerun["parameters"]["docs"] == [HUBEI]
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in NOTEBOOKS:
        assert f'href="{name}.html"' in index and f'href="{name}.ipynb"' in index
    rows = re.findall(r"<tr class=\"report\">(.*?)</tr>", index, re.S)
    assert len(rows) == len(NOTEBOOKS)
    assert all(str(SEEDS) in row for row in rows)  # the source folder
    assert HUBEI in rows[0] and "{}" not in index
    assert "Which government bodies" in rows[1] or "政府" in rows[1]  # one-line description


def test_run_is_quiet_and_shows_progress_per_stage(seeds_zh):
    _, result = seeds_zh
    assert "without encryption" not in result.stderr
    assert "execute" in result.stderr and "render" in result.stderr  # the bar names each stage


# ----------------------------------------------------------------- the table component on its own


def test_table_cells_are_escaped_and_kept_exactly():
    import pandas as pd

    from urbanpolicy.report.tables import table_html

    frame = pd.DataFrame({"title": ["<script>alert(1)</script>", "每人补助$5$元", "“十四五”规划"],
                          "share": [0.519231, 1.0, None]})
    body = table_html(frame, "zh", "t")
    rows = page_tables(body)["t"]
    assert [r[0] for r in rows] == ["&lt;script&gt;alert(1)&lt;/script&gt;", "每人补助$5$元", "“十四五”规划"]
    assert [r[1] for r in rows] == ["51.9%", "100.0%", ""]
    assert "<script>alert(1)" not in body


def test_a_huge_table_keeps_its_first_rows_and_says_how_many_there_are():
    import pandas as pd

    from urbanpolicy.report.tables import table_html

    frame = pd.DataFrame({"n": range(12)})
    html = table_html(frame, "en", "big", max_rows=5)
    assert len(page_tables(html)["big"]) == 5
    assert 'data-total-rows="12"' in html and "Showing the first 5 of 12 rows" in html


@pytest.fixture(scope="module")
def sixty_documents(tmp_path_factory):
    """The seeds copied twelve times: 60 documents, past the 50 a chart draws one row each."""
    folder = tmp_path_factory.mktemp("sixty")
    for copy in range(12):
        for path in sorted(SEEDS.glob("*.txt")):
            # a line of its own makes each copy a different text (identical copies are left out as duplicates)
            text = path.read_text(encoding="utf-8") + f"\n附：第{copy + 1}份抄送。\n"
            (folder / f"{path.stem}_{copy:02d}.txt").write_text(text, encoding="utf-8")
    corpus = up.load_corpus(folder)
    assert len(corpus.documents) == 60
    return corpus


def test_charts_group_rows_beyond_fifty_documents(sixty_documents):
    from urbanpolicy.report import plots

    corpus = sixty_documents
    for fig in (plots.length_chart(corpus), plots.documents_timeline(corpus), plots.horizons_chart(corpus),
                plots.cleaning_chart(corpus)):
        assert fig.layout.height <= 160 + 28 * 50, fig.layout.title.text
    rows = {y for trace in plots.documents_timeline(corpus).data for y in trace.y}
    assert rows <= {"国家", "省级", "市级", "县级"}  # one row per level, not per document
    assert len(plots.horizons_chart(corpus).data) <= 4  # bars in one trace, one trace per kind of date
    levels = {trace.name for trace in plots.function_comparison_chart(up.workload(corpus, by="function"), "zh", corpus).data}
    assert levels <= {"国家", "省级", "市级", "县级"}
    cov = up.coverage(corpus, up.default_reference(corpus))
    heat = plots.coverage_heatmap(cov, corpus)
    assert heat.layout.xaxis.showticklabels is False and "59 份文件" in heat.layout.xaxis.title.text


def test_instrument_and_directive_charts_group_documents_by_level_beyond_fifty(sixty_documents):
    from urbanpolicy.report import methods_plots

    corpus = sixty_documents
    coded = up.instruments(corpus)
    fig = methods_plots.instrument_mix_chart(up.instrument_mix(corpus, coded), corpus, "en")
    rows = {y for trace in fig.data for y in trace.y}
    assert rows == {"national (24 documents)", "provincial (24 documents)", "municipal (12 documents)"}
    assert fig.layout.height == 220 + 40 * 3
    # each bar: the level's tasks carrying the tool, as instrument_mix computes it by level
    by_level = up.instrument_mix(corpus, coded, by="level").set_index(["level", "instrument"])["share"]
    for trace in fig.data:
        for y, x in zip(trace.y, trace.x, strict=True):
            assert x == pytest.approx(by_level[(y.split(" (")[0], trace.name)])
    families = methods_plots.family_by_level_chart(up.instrument_mix(corpus, coded, by="level", level="family"), "zh")
    assert {x for trace in families.data for x in trace.x} == {"国家", "省级", "市级"}  # not the English keys
    directive = methods_plots.directive_chart(corpus, "zh")
    assert {y for trace in directive.data for y in trace.y} == {"国家（24 份文件）", "省级（24 份文件）", "市级（12 份文件）"}
    assert directive.layout.height == 220 + 40 * 3
    for i in range(3):  # the shares of a level's tasks add up to one
        assert sum(trace.x[i] for trace in directive.data) == pytest.approx(1)


def test_diffusion_charts_group_dyads_beyond_fifty(sixty_documents):
    import pandas as pd

    from urbanpolicy.report import methods_plots

    corpus = sixty_documents
    ids = corpus.documents["doc_id"].to_list()
    # 40 national → provincial dyads adding 1 task each, 20 provincial → municipal adding 4, 5 upward
    levels = [("national", "provincial", 1)] * 40 + [("provincial", "municipal", 4)] * 20
    rows = [{"earlier": ids[i % 60], "later": ids[(i + 1) % 60], "kind": "vertical", "level_earlier": a,
             "level_later": b, "region_earlier": "全国", "region_later": "湖北省", "gap_days": i,
             "share_covered": 0.5, "added_tasks": n, "added_targets": 0, "added_bodies": 2, "later_deadlines": 1}
            for i, (a, b, n) in enumerate(levels)]
    rows += [dict(rows[0], kind="upward", added_tasks=99) for _ in range(5)]
    pairs = pd.DataFrame(rows)
    fig = methods_plots.additions_chart(pairs, corpus, "en")
    tasks = dict(zip(fig.data[0].y, fig.data[0].x, strict=True))
    assert tasks == {"national → provincial (40 dyads)": 1, "provincial → municipal (20 dyads)": 4}
    assert [t.name for t in fig.data] == ["new tasks", "new targets", "new bodies", "deadlines"]
    assert fig.layout.height == 250 + 90 * 2  # one group of bars per pair of levels
    zh = methods_plots.additions_chart(pairs, corpus, "zh")
    assert set(zh.data[0].y) == {"国家 → 省级 (40 对)", "省级 → 市级 (20 对)"}
    few = methods_plots.additions_chart(pd.concat([pairs.iloc[38:40], pairs.iloc[60:]]), corpus, "en")  # 2 vertical
    assert len(few.data[0].y) == 2
    many = pd.concat([pairs] * 6, ignore_index=True)  # 390 dots: doc_ids on hover, not titles
    scatter = methods_plots.coverage_gap_chart(many, corpus, "en")
    assert sum(len(t.x) for t in scatter.data) == len(many)
    for trace in scatter.data:  # in English the trace names are the kinds
        part = many[many["kind"] == trace.name]
        assert list(trace.hovertext) == [f"{a} → {b}" for a, b in zip(part["earlier"], part["later"], strict=True)]
    named = methods_plots.coverage_gap_chart(pairs.iloc[:10], corpus, "en")
    assert "·" in named.data[0].hovertext[0]  # few dots: short names


def test_prose_is_in_the_reports_language(seeds_zh, seeds_en):
    # every notebook carries its headings and introductions in both languages; a report shows one
    for name, zh, en in (("01_corpus_overview", "文件概览", "Corpus overview"),
                         ("02_agency_workload", "单位工作量", "Agency workload"),
                         ("06_diffusion", "政策扩散", "Diffusion: how policy travels")):
        zh_page, en_page = page(seeds_zh[0], name), page(seeds_en, name)
        assert f"<title>{zh}" in zh_page and zh in re.search(r"<h1[^>]*>.*?</h1>", zh_page, re.S).group(0)
        assert en not in zh_page.split("</head>", 1)[1]
        assert f"<title>{en}" in en_page and en in re.search(r"<h1[^>]*>.*?</h1>", en_page, re.S).group(0)
        assert zh not in en_page


@pytest.mark.parametrize("text", ["湖北省", "\\u6e56 written as text", "\\\\u6e56", "</script><b>", "\u2028\u2029", "𠀀x",
                                  "a\\", "é中\"'<>/&", "\\u", "x\\\\\\u6e56", "\u007f\u0080"])
def test_chart_json_keeps_its_meaning_with_characters_unescaped(text):
    import json

    from urbanpolicy.report.page import unescape_non_ascii

    # plotly's escaping: json.dumps, then <, > and / as \u escapes
    escaped = json.dumps({"t": text}).replace("<", "\\u003c").replace(">", "\\u003e").replace("/", "\\u002f")
    written = unescape_non_ascii(escaped)
    assert json.loads(written) == {"t": text}
    assert "<" not in written and ">" not in written and "\u2028" not in written
    assert all(ch not in written for ch in text if ord(ch) < 0x80 and ch in "<>/")


def test_chart_pages_carry_chinese_as_characters():
    import plotly.graph_objects as go

    from urbanpolicy.report.page import PageRenderer

    fig = go.Figure(go.Bar(x=["湖北省", "湖南省"], y=[1, 2]), layout={"title": "各省任务"})
    html = PageRenderer().to_mimebundle(fig.to_dict())["text/html"]
    assert "湖北省" in html and "各省任务" in html and "\\u6e56" not in html
    assert html.count("</script>") == html.count("<script")
