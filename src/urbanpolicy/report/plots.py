"""Figures shared by every notebook, and the notebook set-up they all call.

Document text is data, never markup: every string that reaches a figure (titles,
hover text, labels) passes through ``escape`` because plotly renders a subset of
HTML in labels and hover boxes.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio
from plotly.io.base_renderers import NotebookRenderer

from urbanpolicy.corpus import Corpus
from urbanpolicy.report.speedups import skip_slow_optional_imports

CJK_FONTS = "Noto Sans SC, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, SimHei, sans-serif"
LEVEL_COLOURS = {"national": "#1f77b4", "provincial": "#ff7f0e", "municipal": "#2ca02c", "county": "#9467bd"}


class _PageLevelPlotlyJsRenderer(NotebookRenderer):
    """plotly's ``notebook`` renderer without its activation output.

    That output embeds plotly.js (~5 MB) in the notebook; the runner adds plotly.js once
    to each HTML page instead (``runner.render_notebook_html``), so executed notebooks stay
    small and several notebooks can share one kernel.  JupyterLab draws the charts from
    the ``plotly_mimetype`` output, which needs no embedded plotly.js.
    """

    def activate(self) -> None:
        pass


def setup_notebook() -> None:
    """Configure plotly for notebooks: interactive in JupyterLab *and* kept in nbconvert HTML.

    Since plotly 6.1 the kernel default renderer (``plotly_mimetype``) is dropped by
    nbconvert, so charts would vanish from the shared HTML; an HTML output is added, like
    plotly's ``notebook`` renderer but without plotly.js, which ``urbanpolicy run`` inlines
    once per HTML page (offline; see ``_PageLevelPlotlyJsRenderer``).
    """
    skip_slow_optional_imports()  # the notebook renderer imports nbformat: see speedups.py
    if "urbanpolicy_notebook" not in pio.renderers:
        pio.renderers["urbanpolicy_notebook"] = _PageLevelPlotlyJsRenderer()
    pio.renderers.default = "plotly_mimetype+urbanpolicy_notebook"
    template = go.layout.Template(pio.templates["plotly_white"])
    template.layout.font.family = CJK_FONTS
    pio.templates["urbanpolicy"] = template
    pio.templates.default = "urbanpolicy"
    pd.set_option("display.max_colwidth", 80)


def escape(value: object) -> str:
    """HTML-escape any value for use in a figure label or hover text.

    >>> escape("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    return html.escape("" if value is None or value is pd.NA else str(value), quote=True)


def _short(value: object, width: int = 24) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _doc_labels(corpus: Corpus) -> pd.Series:
    docs = corpus.documents
    label = docs["region"].fillna("?") + "·" + docs["title"].map(_short)
    return pd.Series(label.map(escape).values, index=docs["doc_id"])


def cleaning_chart(corpus: Corpus) -> go.Figure:
    """Stacked bar: characters each cleaning step removed, per document."""
    data = corpus.cleaning[corpus.cleaning["chars_removed"] > 0].copy()
    if data.empty:
        return empty_figure("en")
    data["document"] = data["doc_id"].map(_doc_labels(corpus))
    fig = px.bar(data, x="chars_removed", y="document", color="step", orientation="h",
                 labels={"chars_removed": "characters removed", "document": "", "step": "cleaning step"})
    fig.update_layout(title="What cleaning removed from each document", height=120 + 40 * len(corpus.documents))
    return fig


def length_chart(corpus: Corpus) -> go.Figure:
    """Bar: clean text length per document, coloured by government level."""
    docs = corpus.documents.assign(document=lambda d: d["doc_id"].map(_doc_labels(corpus)))
    fig = px.bar(docs, x="n_chars", y="document", color="level", orientation="h",
                 color_discrete_map=LEVEL_COLOURS,
                 labels={"n_chars": "characters of clean text", "document": "", "level": "level"})
    fig.update_layout(title="Length of each document after cleaning", height=120 + 40 * len(docs))
    return fig


def tasks_tree(corpus: Corpus, doc_id: str | None = None, kind: str = "sunburst") -> go.Figure:
    """Sunburst (or treemap) of one document's chapters and numbered tasks.

    Segment size is the task's text length; hover shows the path and title.

    >>> fig = tasks_tree(load_corpus(), "004_60968686e36c0458")  # doctest: +SKIP
    """
    docs = corpus.documents
    if doc_id is None:
        with_tasks = corpus.tasks["doc_id"].unique()
        doc_id = with_tasks[0] if len(with_tasks) else docs["doc_id"].iloc[0]
    if doc_id not in set(docs["doc_id"]):
        raise ValueError(f"doc_id: unknown document {doc_id!r}")
    title = docs.set_index("doc_id").at[doc_id, "title"]
    root = escape(_short(title, 30))
    ids, parents, labels, values, hover = [root], [""], [root], [0], [escape(title)]
    for s in corpus.sections[corpus.sections["doc_id"] == doc_id].itertuples():
        ids.append(s.section_id)
        parents.append(root)
        labels.append(escape(f"{s.label}、{_short(s.heading, 12)}"))
        values.append(0)
        hover.append(escape(f"{s.label}、{s.heading}"))
    for t in corpus.tasks[corpus.tasks["doc_id"] == doc_id].itertuples():
        ids.append(t.task_id)
        parents.append(t.parent_task_id if isinstance(t.parent_task_id, str) else (t.section_id if isinstance(t.section_id, str) else root))
        labels.append(escape(f"{t.label}{_short(t.title, 10)}"))
        values.append(max(t.end - t.start, 1))
        hover.append(escape(f"{t.path}  {t.title}"))
    trace = go.Sunburst if kind == "sunburst" else go.Treemap
    fig = go.Figure(trace(ids=ids, parents=parents, labels=labels, values=values,
                          hovertext=hover, hoverinfo="text", branchvalues="remainder"))
    fig.update_layout(title=f"Structure of {root}: chapters and numbered tasks", height=650,
                      margin={"t": 60, "l": 10, "r": 10, "b": 10})
    return fig


def table(frame: pd.DataFrame, max_rows: int = 200) -> pd.DataFrame:
    """Return a display copy of a table with long texts shortened (pandas escapes HTML itself)."""
    shown = frame.head(max_rows).copy()
    for col in shown.columns:
        if shown[col].dtype == object or str(shown[col].dtype).startswith("str"):
            shown[col] = shown[col].map(lambda v: _short(v, 80) if isinstance(v, str) else v)
    return shown


# ---------------------------------------------------------------- labels in two languages
LABELS = {
    "en": {
        "date": "date", "document": "document", "level": "level", "kind": "kind",
        "issued": "issued", "published": "published", "timeline": "When each document was issued and published",
        "graph": "Policy cascade: documents (filled) and the documents they cite (open)",
        "horizons": "From issue date to the furthest horizon, with each task's deadlines and targets",
        "deadline": "deadline", "target_year": "target year", "relative": "relative horizon",
        "cited": "cited document", "national": "national", "provincial": "provincial",
        "municipal": "municipal", "county": "county",
    },
    "zh": {
        "date": "日期", "document": "文件", "level": "层级", "kind": "类型",
        "issued": "印发", "published": "发布", "timeline": "各文件的印发与发布时间",
        "graph": "政策传导：文件（实心）及其引用的上位文件（空心）",
        "horizons": "从印发日期到最远时限：各任务的截止日期与目标年份",
        "deadline": "截止日期", "target_year": "目标年份", "relative": "相对时限",
        "cited": "被引文件", "national": "国家", "provincial": "省级", "municipal": "市级", "county": "县级",
    },
}


def label(key: str, lang: str = "zh") -> str:
    """The display word for ``key`` in ``lang`` ("zh" or "en"); the key itself when unknown."""
    return LABELS.get(lang, LABELS["en"]).get(key, key)


def documents_timeline(corpus: Corpus, lang: str = "zh") -> go.Figure:
    """Dots on a time axis: each document's issue and publication date, coloured by level."""
    docs = corpus.documents
    names = _doc_labels(corpus)
    rows = []
    for d in docs.itertuples():
        for kind in ("issued", "published"):
            when = getattr(d, kind)
            if pd.notna(when):
                rows.append({"document": names[d.doc_id], "date": when, "kind": label(kind, lang),
                             "level": label(d.level or "", lang)})
    frame = pd.DataFrame(rows, columns=["document", "date", "kind", "level"])
    fig = px.scatter(frame, x="date", y="document", color="level", symbol="kind",
                     labels={"date": label("date", lang), "document": "", "level": label("level", lang),
                             "kind": label("kind", lang)})
    fig.update_traces(marker={"size": 13})
    fig.update_layout(title=label("timeline", lang), height=160 + 45 * len(docs))
    return fig


_LEVEL_ROW = {"national": 3, "provincial": 2, "municipal": 1, "county": 0, "cited": 4}


def citation_graph_figure(corpus: Corpus, lang: str = "zh") -> go.Figure:
    """The citation graph on a time axis: arrows point from a document to what it cites.

    x is the issue (or publication) date; cited documents sit at the year in their
    number or title.  Rows separate levels: cited documents on top, then national,
    provincial, municipal, county.
    """
    from urbanpolicy.analysis.timeline import citation_graph

    nodes, edges = citation_graph(corpus)
    if nodes.empty:
        return go.Figure().update_layout(title=label("graph", lang))
    fallback = nodes["date"].min() if nodes["date"].notna().any() else pd.Timestamp("2020-01-01")
    nodes = nodes.assign(x=nodes["date"].fillna(fallback - pd.Timedelta(days=365)))
    nodes["row"] = nodes["level"].map(_LEVEL_ROW).fillna(0).astype(float)
    # spread nodes that share a row so labels do not sit on top of each other
    nodes["y"] = nodes["row"] + nodes.groupby("row").cumcount().mod(4) * 0.18
    pos = nodes.set_index("node_id")[["x", "y"]]
    fig = go.Figure()
    for e in edges.itertuples():
        (x0, y0), (x1, y1) = pos.loc[e.source], pos.loc[e.target]
        fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=3, arrowsize=1.2, arrowwidth=1, arrowcolor="#888", text="")
    for kind, symbol in (("document", "circle"), ("external", "circle-open")):
        part = nodes[nodes["kind"] == kind]
        fig.add_trace(go.Scatter(
            x=part["x"], y=part["y"], mode="markers+text", name=label("cited" if kind == "external" else "document", lang),
            marker={"size": 14, "symbol": symbol, "line": {"width": 2}},
            text=[escape(_short(t, 16)) for t in part["label"]], textposition="top center",
            hovertext=[escape(t) for t in part["label"]], hoverinfo="text",
        ))
    ticks = sorted(_LEVEL_ROW.items(), key=lambda kv: kv[1])
    fig.update_yaxes(tickvals=[v for _, v in ticks], ticktext=[label(k, lang) for k, _ in ticks], range=[-0.5, 5])
    fig.update_layout(title=label("graph", lang), height=600, xaxis_title=label("date", lang))
    return fig


def horizons_chart(corpus: Corpus, lang: str = "zh") -> go.Figure:
    """Per document, a bar from its issue date to its furthest horizon, tasks' dates as marks."""
    docs = corpus.documents
    names = _doc_labels(corpus)
    dated = corpus.dates[corpus.dates["kind"].isin(["deadline", "target_year", "relative"]) & corpus.dates["date"].notna()]
    titles = corpus.tasks.set_index("task_id")["title"] if len(corpus.tasks) else pd.Series(dtype=str)
    fig = go.Figure()
    for d in docs.itertuples():
        start = d.issued if pd.notna(d.issued) else d.published
        own = dated[dated["doc_id"] == d.doc_id]
        if pd.isna(start) or own.empty:
            continue
        fig.add_trace(go.Scatter(x=[start, own["date"].max()], y=[names[d.doc_id]] * 2, mode="lines",
                                 line={"width": 8, "color": LEVEL_COLOURS.get(d.level, "#999")},
                                 opacity=0.35, showlegend=False, hoverinfo="skip"))
    symbols = {"deadline": "x", "target_year": "diamond", "relative": "triangle-up"}
    for kind, symbol in symbols.items():
        part = dated[dated["kind"] == kind]
        if part.empty:
            continue
        hover = [escape(f"{t} — {titles.get(tid, '') if isinstance(tid, str) else ''}")
                 for t, tid in zip(part["text"], part["task_id"], strict=True)]
        fig.add_trace(go.Scatter(x=part["date"], y=part["doc_id"].map(names), mode="markers",
                                 name=label(kind, lang), marker={"symbol": symbol, "size": 11},
                                 hovertext=hover, hoverinfo="text"))
    fig.update_layout(title=label("horizons", lang), height=160 + 45 * len(docs), xaxis_title=label("date", lang))
    return fig


def targets_comparison_chart(comparison: pd.DataFrame, min_documents: int = 2, lang: str = "zh") -> go.Figure:
    """Dots per document for each indicator that at least ``min_documents`` documents set.

    ``comparison`` is ``compare_targets(corpus)``; y is the value in its base unit,
    one panel per indicator, because units differ between indicators.
    """
    shared = comparison.groupby("indicator_key")["doc_id"].transform("nunique") >= min_documents
    data = comparison[shared].copy()
    if data.empty:
        return go.Figure().update_layout(title="No indicator is set by more than one document" if lang == "en"
                                         else "没有被多个文件共同设定的指标")
    data["document"] = (data["region"].fillna("") + "·" + data["title"].map(_short)).map(escape)
    data["indicator_key"] = data["indicator_key"].map(escape)
    data["hover"] = [escape(f"{i}: {v:g}{u} ({y})") for i, v, u, y in
                     zip(data["indicator"], data["value"], data["unit"], data["year"], strict=True)]
    fig = px.scatter(data, x="document", y="value_base", color="document", facet_row="indicator_key",
                     hover_name="hover", labels={"value_base": "", "document": "", "indicator_key": ""})
    fig.update_traces(marker={"size": 14})
    fig.update_yaxes(matches=None)
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    fig.update_layout(title="The same indicator across documents" if lang == "en" else "同一指标在各文件中的目标值",
                      height=220 + 220 * data["indicator_key"].nunique(), showlegend=False)
    return fig


def target_years_chart(corpus: Corpus, lang: str = "zh") -> go.Figure:
    """Count of quantitative targets by the year they are for, per document."""
    data = corpus.targets[(corpus.targets["kind"] == "target") & corpus.targets["year"].notna()].copy()
    if data.empty:
        return empty_figure(lang)
    data["document"] = data["doc_id"].map(_doc_labels(corpus))
    data["year"] = data["year"].astype(int).astype(str)
    fig = px.histogram(data, x="year", color="document", barmode="group",
                       labels={"year": "target year" if lang == "en" else "目标年份", "document": ""})
    fig.update_layout(title="Quantitative targets by the year they are for" if lang == "en" else "各目标年份的量化目标数",
                      yaxis_title="targets" if lang == "en" else "目标数")
    return fig


# ---------------------------------------------------------------- agency workload
FUNCTION_ZH = {"general": "综合/有关部门", "local_government": "地方政府", "unknown": "未识别"}


def empty_figure(lang: str = "zh") -> go.Figure:
    """A figure that says there is nothing to draw (so a notebook never fails on an empty corpus)."""
    fig = go.Figure()
    fig.update_layout(title="Nothing to show for these documents" if lang == "en" else "所选文件中没有可显示的内容",
                      height=200, xaxis={"visible": False}, yaxis={"visible": False})
    return fig


def workload_chart(table: pd.DataFrame, top_n: int = 20, lang: str = "zh") -> go.Figure:
    """Stacked bars: tasks each body (or function) leads, supports and shares; the ``top_n`` busiest.

    ``table`` is ``workload(corpus, ...)``.
    """
    if table.empty:
        return empty_figure(lang)
    top = table.groupby("key")["total"].sum().nlargest(top_n).index
    data = table[table["key"].isin(top)].groupby("key")[["led", "supported", "joint"]].sum()
    data = data.loc[data.sum(axis=1).sort_values().index]
    names = {"led": "lead" if lang == "en" else "牵头", "supported": "support" if lang == "en" else "配合",
             "joint": "shared" if lang == "en" else "按职责分工"}
    fig = go.Figure([go.Bar(y=[escape(k) for k in data.index], x=data[col], name=names[col], orientation="h")
                     for col in ("led", "supported", "joint")])
    fig.update_layout(barmode="stack", height=200 + 24 * len(data),
                      title="Tasks led and supported by each body" if lang == "en" else "各单位牵头与配合的任务数",
                      xaxis_title="tasks" if lang == "en" else "任务数")
    return fig


def agency_chapter_heatmap(table: pd.DataFrame, top_n: int = 20, lang: str = "zh") -> go.Figure:
    """Heatmap of tasks per body (rows) and chapter (columns); ``table`` is ``agency_by_chapter``."""
    if table.empty:
        return empty_figure(lang)
    top = table.groupby("agency")["tasks"].sum().nlargest(top_n).index
    data = table[table["agency"].isin(top)].copy()
    data["column"] = data["doc_id"].str[:3] + " " + data["chapter"].map(lambda c: _short(c, 14))
    grid = data.pivot_table(index="agency", columns="column", values="tasks", aggfunc="sum", fill_value=0)
    grid = grid.loc[grid.sum(axis=1).sort_values().index]
    fig = go.Figure(go.Heatmap(z=grid.values, x=[escape(c) for c in grid.columns], y=[escape(r) for r in grid.index],
                               colorscale="Blues", hovertemplate="%{y}<br>%{x}<br>%{z}<extra></extra>"))
    fig.update_layout(title="Where each body's tasks sit, chapter by chapter" if lang == "en" else "各单位任务在各章节的分布",
                      height=250 + 22 * len(grid), xaxis={"tickangle": 45})
    return fig


def co_responsibility_network(pairs: pd.DataFrame, table: pd.DataFrame, top_n: int = 25, lang: str = "zh") -> go.Figure:
    """Agencies on a circle, linked when they share tasks; node size is their workload.

    ``pairs`` is ``co_responsibility``; ``table`` is ``workload(by="agency")``.
    """
    import math

    if table.empty:
        return empty_figure(lang)
    totals = table.groupby("key")["total"].sum()
    nodes = list(totals.nlargest(top_n).index)
    angle = {n: 2 * math.pi * i / max(len(nodes), 1) for i, n in enumerate(nodes)}
    xy = {n: (math.cos(a), math.sin(a)) for n, a in angle.items()}
    fig = go.Figure()
    links = pairs[pairs["agency_a"].isin(nodes) & pairs["agency_b"].isin(nodes)]
    for p in links.itertuples():
        (x0, y0), (x1, y1) = xy[p.agency_a], xy[p.agency_b]
        fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip", showlegend=False,
                                 line={"width": 0.5 + p.shared_tasks ** 0.5, "color": "rgba(120,120,160,0.35)"}))
    fig.add_trace(go.Scatter(
        x=[xy[n][0] for n in nodes], y=[xy[n][1] for n in nodes], mode="markers+text", showlegend=False,
        marker={"size": [8 + 3 * totals[n] ** 0.8 for n in nodes], "color": "#1f77b4", "opacity": 0.8},
        text=[escape(_short(n, 10)) for n in nodes], textposition="top center",
        hovertext=[escape(f"{n}: {totals[n]}") for n in nodes], hoverinfo="text"))
    fig.update_layout(title="Bodies that share tasks (line width: shared tasks, dot size: workload)" if lang == "en"
                      else "共同承担任务的单位（线宽：共同任务数，点大小：任务总数）",
                      height=750, xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"})
    return fig


def function_comparison_chart(table: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Grouped bars: share of each document's tasks per policy function, documents side by side.

    ``table`` is ``workload(by="function")``; comparing shares (not counts) keeps long
    and short documents comparable.
    """
    data = table[table["total"] > 0].copy()
    if data.empty:
        return empty_figure(lang)
    data["document"] = (data["region"].fillna("?") + "·" + data["doc_id"].str[:3]).map(escape)
    data["function"] = data["key"].map(escape)
    order = data.groupby("function")["share"].sum().sort_values(ascending=False).index
    fig = px.bar(data, x="function", y="share", color="document", barmode="group",
                 category_orders={"function": list(order)},
                 labels={"share": "share of tasks" if lang == "en" else "任务占比", "function": "", "document": ""})
    fig.update_layout(title="Provinces compared by policy function" if lang == "en" else "按政策职能比较各地",
                      yaxis_tickformat=".0%", height=520, xaxis={"tickangle": 45})
    return fig


# ---------------------------------------------------------------- coverage
def coverage_heatmap(cov: pd.DataFrame, corpus: Corpus, lang: str = "zh") -> go.Figure:
    """Heatmap of similarity scores: reference tasks (rows) × documents (columns).

    ``cov`` is ``coverage(corpus, reference)``; hover shows the best matching task.
    A cell at or above the threshold is a task the document takes up.
    """
    if cov.empty:
        return empty_figure(lang)
    tasks = corpus.tasks.set_index("task_id")
    names = _doc_labels(corpus)
    rows = list(dict.fromkeys(cov["reference_task_id"]))
    cols = list(dict.fromkeys(cov["doc_id"]))
    grid = cov.pivot(index="reference_task_id", columns="doc_id", values="score").reindex(index=rows, columns=cols)
    best = cov.pivot(index="reference_task_id", columns="doc_id", values="best_task_id").reindex(index=rows, columns=cols)
    row_labels = [escape(f"{tasks.at[r, 'label']}{_short(tasks.at[r, 'title'], 14)}") for r in rows]
    hover = [[escape(f"{tasks.at[r, 'title']} → {tasks.at[b, 'path'] + ' ' + tasks.at[b, 'title'] if isinstance(b, str) else '—'}")
              for b in best.loc[r]] for r in rows]
    fig = go.Figure(go.Heatmap(z=grid.values, x=[names[c] for c in cols], y=row_labels, colorscale="YlGnBu",
                               zmin=0, zmax=max(0.5, float(grid.max().max() or 0)), hovertext=hover,
                               hovertemplate="%{hovertext}<br>score %{z:.2f}<extra></extra>"))
    fig.update_layout(title="How closely each document takes up each reference task" if lang == "en"
                      else "各文件对参照文件各项任务的承接程度",
                      height=250 + 18 * len(rows), yaxis={"autorange": "reversed"})
    return fig


_FILTER_SCRIPT = """<script>
(function () {
  var box = document.getElementById("%(id)s-filter");
  var rows = document.querySelectorAll("#%(id)s tbody tr");
  box.addEventListener("input", function () {
    var needle = box.value.toLowerCase();
    rows.forEach(function (row) {
      row.style.display = row.textContent.toLowerCase().indexOf(needle) === -1 ? "none" : "";
    });
  });
})();
</script>"""


def filterable_table(frame: pd.DataFrame, max_rows: int = 1000):  # noqa: ANN201 - IPython HTML
    """An HTML table with a text box that hides rows not containing what is typed.

    Works in the exported HTML (and in JupyterLab once the notebook is trusted).  Cell
    text is escaped by pandas; the only script is this module's own filter.
    """
    import uuid

    from IPython.display import HTML

    table_id = f"up-{uuid.uuid5(uuid.NAMESPACE_URL, str(frame.shape) + str(list(frame.columns))).hex[:10]}"
    body = table(frame, max_rows).to_html(table_id=table_id, escape=True, index=False, na_rep="")
    box = (f'<input id="{table_id}-filter" type="search" placeholder="filter rows / 筛选" '
           'style="margin:.5em 0;padding:.3em;width:20em">')
    return HTML(box + body + _FILTER_SCRIPT % {"id": table_id})
