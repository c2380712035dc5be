"""Figures shared by every notebook, and the notebook set-up they all call.

Document text is data, never markup: every string that reaches a figure (titles,
hover text, labels) passes through ``escape`` because plotly renders a subset of
HTML in labels and hover boxes.  Every word a chart shows comes from the label table
(``urbanpolicy.report.labels``) in the notebook's ``lang``; documents are named by
``documents.short_name`` (``short_name_en`` in English) with the full title on hover.

Charts stay readable at corpus scale: beyond ``MAX_ROWS`` documents, per-document
rows are grouped by government level (or the busiest items kept and the rest summed
as "others"), so no chart grows without bound.
"""

from __future__ import annotations

import html
import os

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio

from urbanpolicy.corpus import Corpus
from urbanpolicy.report.labels import LABELS, label, text
from urbanpolicy.report.speedups import skip_slow_optional_imports

CJK_FONTS = "Noto Sans SC, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, SimHei, sans-serif"
LEVEL_COLOURS = {"national": "#1f77b4", "provincial": "#ff7f0e", "municipal": "#2ca02c", "county": "#9467bd"}
LEVELS = ("national", "provincial", "municipal", "county")
MAX_ROWS = 50  # documents drawn one row each; beyond this, rows are grouped
MAX_PANELS = 12  # facets of one chart
ROW_PX = 28
# the overview's documents table: what identifies and dates a document (05 shows issuers, type, rank, strength)
DOCUMENT_HIDDEN_COLUMNS = ["text", "sha256", "source_file", "short_name_en", "folder", "encoding", "headline",
                           "issuers", "doc_type", "draft", "issuer_rank", "strength"]


def setup_notebook() -> None:
    """Configure plotly and the tables for notebooks: interactive in JupyterLab, kept in the HTML.

    Charts use ``PageRenderer``: plotly's JSON for JupyterLab and a plotly.js-free
    ``<div>`` for the HTML page, which carries plotly.js once (see ``report.page``).
    Outside ``urbanpolicy run`` the table component is displayed here once, so tables
    also work in JupyterLab.
    """
    from IPython.display import HTML, display

    from urbanpolicy.report.page import PAGE_ASSETS_ENV, PageRenderer, table_bundle
    from urbanpolicy.report.tables import table_css

    skip_slow_optional_imports()  # plotly's renderers import nbformat: see speedups.py
    pio.renderers["urbanpolicy"] = PageRenderer()
    pio.renderers.default = "urbanpolicy"
    template = go.layout.Template(pio.templates["plotly_white"])
    template.layout.font.family = CJK_FONTS
    pio.templates["urbanpolicy"] = template
    pio.templates.default = "urbanpolicy"
    if not os.environ.get(PAGE_ASSETS_ENV):
        display(HTML(table_bundle() + table_css()))


def escape(value: object) -> str:
    """HTML-escape any value for use in a figure label or hover text.

    >>> escape("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    return html.escape("" if value is None or value is pd.NA else str(value), quote=True)


def heading(zh: str, en: str, lang: str = "zh"):  # noqa: ANN201 - IPython HTML
    """A section heading in the notebook's language."""
    from IPython.display import HTML

    return HTML(f"<h2>{escape(text(zh, en, lang))}</h2>")


def caption(zh: str, en: str, lang: str = "zh"):  # noqa: ANN201 - IPython HTML
    """A plain-language caption in the notebook's language (escaped: it may quote documents)."""
    from IPython.display import HTML

    return HTML(f'<p class="up-caption">{escape(text(zh, en, lang))}</p>')


def _short(value: object, width: int = 24) -> str:
    text_ = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return text_ if len(text_) <= width else text_[: width - 1] + "…"


def doc_names(corpus: Corpus, lang: str = "zh") -> pd.Series:
    """doc_id → the document's short name in ``lang`` (escaped), falling back to region·title."""
    docs = corpus.documents
    column = "short_name_en" if lang == "en" else "short_name"
    if column in docs:
        names = docs[column].fillna(docs["doc_id"])
    else:
        names = docs["region"].fillna("?") + "·" + docs["title"].map(_short)
    return pd.Series(names.map(escape).values, index=docs["doc_id"])


def doc_titles(corpus: Corpus) -> pd.Series:
    """doc_id → full title (escaped), for hover text."""
    docs = corpus.documents
    return pd.Series(docs["title"].fillna(docs["doc_id"]).map(escape).values, index=docs["doc_id"])


def _height(rows: int, base: int = 160) -> int:
    """Chart height for ``rows`` rows: one row each up to MAX_ROWS, never less than room for a legend."""
    return max(340, base + ROW_PX * min(rows, MAX_ROWS))


def empty_figure(lang: str = "zh") -> go.Figure:
    """A figure that says there is nothing to draw (so a notebook never fails on an empty corpus)."""
    fig = go.Figure()
    fig.update_layout(title=text("所选文件中没有可显示的内容", "Nothing to show for these documents", lang),
                      height=200, xaxis={"visible": False}, yaxis={"visible": False})
    return fig


# ---------------------------------------------------------------- overview
def cleaning_chart(corpus: Corpus, lang: str = "zh") -> go.Figure:
    """Stacked bar: characters each cleaning step removed, per document (per level beyond MAX_ROWS)."""
    data = corpus.cleaning[corpus.cleaning["chars_removed"] > 0].copy()
    if data.empty:
        return empty_figure(lang)
    many = corpus.documents["doc_id"].nunique() > MAX_ROWS
    if many:
        level = corpus.documents.set_index("doc_id")["level"]
        data["document"] = data["doc_id"].map(level).map(lambda v: label(v, lang))
        data = data.groupby(["document", "step"], as_index=False)["chars_removed"].sum()
    else:
        data["document"] = data["doc_id"].map(doc_names(corpus, lang))
    data["step"] = data["step"].map(lambda v: label(v, lang))
    fig = px.bar(data, x="chars_removed", y="document", color="step", orientation="h",
                 labels={"chars_removed": label("chars_removed", lang), "document": "", "step": label("step", lang)})
    fig.update_layout(title=text("清洗从各文件删除的内容", "What cleaning removed from each document", lang),
                      height=_height(data["document"].nunique()))
    return fig


def length_chart(corpus: Corpus, lang: str = "zh") -> go.Figure:
    """Bar: clean text length per document, coloured by level (a histogram beyond MAX_ROWS)."""
    docs = corpus.documents.assign(document=lambda d: d["doc_id"].map(doc_names(corpus, lang)),
                                   level_label=lambda d: d["level"].map(lambda v: label(v, lang)))
    title = text("清洗后各文件的长度", "Length of each document after cleaning", lang)
    if len(docs) > MAX_ROWS:
        fig = px.histogram(docs, x="n_chars", color="level_label",
                           labels={"n_chars": label("n_chars", lang), "level_label": label("level", lang)})
        return fig.update_layout(title=title, height=420, yaxis_title=text("文件数", "documents", lang))
    colours = {label(k, lang): v for k, v in LEVEL_COLOURS.items()}
    fig = px.bar(docs, x="n_chars", y="document", color="level_label", orientation="h",
                 color_discrete_map=colours, hover_name=doc_titles(corpus).reindex(docs["doc_id"]).values,
                 labels={"n_chars": label("n_chars", lang), "document": "", "level_label": label("level", lang)})
    return fig.update_layout(title=title, height=_height(len(docs)))


def tasks_tree(corpus: Corpus, doc_id: str | None = None, kind: str = "sunburst", lang: str = "zh") -> go.Figure:
    """Sunburst (or treemap) of one document's chapters and numbered tasks.

    Segment size is the task's text length; hover shows the path and title.

    >>> fig = tasks_tree(load_corpus(), "004_60968686e36c0458")  # doctest: +SKIP
    """
    docs = corpus.documents
    if docs.empty:
        return empty_figure(lang)
    if doc_id is None:
        with_tasks = corpus.tasks["doc_id"].unique()
        doc_id = with_tasks[0] if len(with_tasks) else docs["doc_id"].iloc[0]
    if doc_id not in set(docs["doc_id"]):
        raise ValueError(f"doc_id: unknown document {doc_id!r}")
    title = docs.set_index("doc_id").at[doc_id, "title"]
    root = doc_names(corpus, lang)[doc_id]
    ids, parents, labels_, values, hover = [root], [""], [root], [0], [escape(title)]
    for s in corpus.sections[corpus.sections["doc_id"] == doc_id].itertuples():
        ids.append(s.section_id)
        parents.append(root)
        labels_.append(escape(f"{s.label}、{_short(s.heading, 12)}"))
        values.append(0)
        hover.append(escape(f"{s.label}、{s.heading}"))
    for t in corpus.tasks[corpus.tasks["doc_id"] == doc_id].itertuples():
        ids.append(t.task_id)
        parents.append(t.parent_task_id if isinstance(t.parent_task_id, str)
                       else (t.section_id if isinstance(t.section_id, str) else root))
        labels_.append(escape(f"{t.label}{_short(t.title, 10)}"))
        values.append(max(t.end - t.start, 1))
        hover.append(escape(f"{t.path}  {t.title}"))
    trace = go.Sunburst if kind == "sunburst" else go.Treemap
    fig = go.Figure(trace(ids=ids, parents=parents, labels=labels_, values=values,
                          hovertext=hover, hoverinfo="text", branchvalues="remainder"))
    fig.update_layout(title=text(f"{root}的结构：章与编号任务", f"Structure of {root}: chapters and numbered tasks", lang),
                      height=650, margin={"t": 60, "l": 10, "r": 10, "b": 10})
    return fig


# ---------------------------------------------------------------- time
def drawn_date(date: object, precision: object) -> pd.Timestamp | None:
    """Where a date is drawn: a year-precision date on its year (1 January), a month on its month.

    The dates table maps "到2025年" to 2025-12-31 (the end of the period it allows);
    drawn there it would sit on 2026's gridline, so charts put it on 2025.

    >>> drawn_date(pd.Timestamp("2025-12-31"), "year")
    Timestamp('2025-01-01 00:00:00')
    """
    if date is None or pd.isna(date):
        return None
    when = pd.Timestamp(date)
    if precision == "year":
        return pd.Timestamp(year=when.year, month=1, day=1)
    if precision == "month":
        return pd.Timestamp(year=when.year, month=when.month, day=1)
    return when


def documents_timeline(corpus: Corpus, lang: str = "zh") -> go.Figure:
    """Dots on a time axis: each document's issue and publication date, coloured by level.

    One row per document up to MAX_ROWS documents, one row per level beyond.
    """
    docs = corpus.documents
    names = doc_names(corpus, lang)
    titles = doc_titles(corpus)
    many = len(docs) > MAX_ROWS
    rows = []
    for d in docs.itertuples():
        for kind in ("issued", "published"):
            when = getattr(d, kind)
            if pd.notna(when):
                rows.append({"document": label(d.level, lang) if many else names[d.doc_id], "date": when,
                             "kind": label(kind, lang), "level": label(d.level or "", lang),
                             "title": titles[d.doc_id]})
    frame = pd.DataFrame(rows, columns=["document", "date", "kind", "level", "title"])
    fig = px.scatter(frame, x="date", y="document", color="level", symbol="kind", hover_name="title",
                     labels={"date": label("date", lang), "document": "", "level": label("level", lang),
                             "kind": label("kind", lang)})
    fig.update_traces(marker={"size": 13})
    fig.update_layout(title=text("各文件的印发与发布时间", "When each document was issued and published", lang),
                      height=_height(frame["document"].nunique()))
    return fig


_LEVEL_ROW = {"national": 3, "provincial": 2, "municipal": 1, "county": 0, "cited": 4}


def citation_graph_figure(corpus: Corpus, lang: str = "zh") -> go.Figure:
    """The citation graph on a time axis: arrows point from a document to what it cites.

    x is the issue (or publication) date; a cited document sits at the year in its
    number or title, or in a "date unknown" lane at the left when neither gives one.
    Rows separate levels: cited documents on top, then national, provincial,
    municipal, county.  All arrows are set in one layout update (one annotation each),
    so the figure is built in linear time.  Documents of the corpus are labelled with
    their short names (up to MAX_ROWS of them); everything else is on hover.
    """
    from urbanpolicy.analysis.timeline import citation_graph

    title = text("政策传导：文件（实心）及其引用的上位文件（空心）",
                 "Policy cascade: documents (filled) and the documents they cite (open)", lang)
    nodes, edges = citation_graph(corpus)
    if nodes.empty:
        return go.Figure().update_layout(title=title)
    dated = nodes["date"].dropna()
    first_year = int(dated.min().year) if len(dated) else 2020
    last_year = int(dated.max().year) if len(dated) else 2020
    unknown_x = pd.Timestamp(year=first_year - 2, month=7, day=1)
    nodes = nodes.assign(x=nodes["date"].fillna(unknown_x))
    nodes["row"] = nodes["level"].map(_LEVEL_ROW).fillna(0).astype(float)
    # spread nodes that share a row, in date order, so neighbours' labels sit at different heights
    nodes = nodes.sort_values(["row", "x", "node_id"], kind="stable")
    nodes["slot"] = nodes.groupby("row").cumcount().mod(3)
    nodes["y"] = nodes["row"] + nodes["slot"] * 0.3
    pos = nodes.set_index("node_id")[["x", "y"]]
    arrows = [{"x": pos.at[e.target, "x"], "y": pos.at[e.target, "y"], "ax": pos.at[e.source, "x"],
               "ay": pos.at[e.source, "y"], "xref": "x", "yref": "y", "axref": "x", "ayref": "y", "text": "",
               "showarrow": True, "arrowhead": 3, "arrowsize": 1.2, "arrowwidth": 1, "arrowcolor": "#999"}
              for e in edges.itertuples()]
    names = doc_names(corpus, lang)
    labelled = corpus.documents["doc_id"].nunique() <= MAX_ROWS
    fig = go.Figure()
    for kind, symbol in (("document", "circle"), ("external", "circle-open")):
        part = nodes[nodes["kind"] == kind]
        shown = ([names.get(d, "") for d in part["doc_id"]] if kind == "document" and labelled
                 else [""] * len(part))
        fig.add_trace(go.Scatter(
            x=part["x"], y=part["y"], mode="markers+text", name=label("cited" if kind == "external" else "document", lang),
            marker={"size": 14, "symbol": symbol, "line": {"width": 2}},
            # neighbours in a row alternate: lowest dot labelled below, next above, third to the right
            text=shown, textposition=[("bottom center", "top center", "middle right")[s] for s in part["slot"]],
            hovertext=[escape(t) for t in part["label"]], hoverinfo="text",
        ))
    ticks = sorted(_LEVEL_ROW.items(), key=lambda kv: kv[1])
    years = list(range(first_year, last_year + 2))
    fig.update_yaxes(tickvals=[v for _, v in ticks], ticktext=[label(k, lang) for k, _ in ticks], range=[-0.5, 5])
    fig.update_xaxes(tickvals=[unknown_x] + [pd.Timestamp(year=y, month=1, day=1) for y in years],
                     ticktext=[label("date_unknown", lang)] + [str(y) for y in years],
                     range=[pd.Timestamp(year=first_year - 3, month=1, day=1), pd.Timestamp(year=last_year + 1, month=12, day=31)])
    fig.add_vrect(x0=pd.Timestamp(year=first_year - 3, month=1, day=1), x1=pd.Timestamp(year=first_year - 1, month=1, day=1),
                  fillcolor="#eee", opacity=0.6, line_width=0, layer="below")
    fig.update_layout(title=title, height=620, xaxis_title=label("date", lang), annotations=arrows)
    return fig


def horizons_chart(corpus: Corpus, lang: str = "zh") -> go.Figure:
    """Per document, a bar from its issue date to its furthest horizon, tasks' dates as marks.

    Dates are drawn where they belong (``drawn_date``: "到2025年" on 2025).  One row per
    document up to MAX_ROWS documents, one row per level beyond.
    """
    docs = corpus.documents
    many = len(docs) > MAX_ROWS
    names = doc_names(corpus, lang)
    row_of = (docs.set_index("doc_id")["level"].map(lambda v: label(v, lang)) if many else names)
    dated = corpus.dates[corpus.dates["kind"].isin(["deadline", "target_year", "relative"]) & corpus.dates["date"].notna()].copy()
    dated["x"] = [drawn_date(d, p) for d, p in zip(dated["date"], dated["precision"], strict=True)]
    titles = corpus.tasks.set_index("task_id")["title"] if len(corpus.tasks) else pd.Series(dtype=str)
    fig = go.Figure()
    bar_x, bar_y = [], []
    for d in docs.itertuples():
        start = d.issued if pd.notna(d.issued) else d.published
        own = dated[dated["doc_id"] == d.doc_id]
        if pd.isna(start) or own.empty or many:
            continue
        bar_x += [start, max(own["x"].max(), start), None]
        bar_y += [row_of[d.doc_id]] * 2 + [None]
    if bar_x:  # one trace for every bar, not one per document
        fig.add_trace(go.Scatter(x=bar_x, y=bar_y, mode="lines", line={"width": 8, "color": "#9ab"},
                                 opacity=0.45, showlegend=False, hoverinfo="skip"))
    symbols = {"deadline": "x", "target_year": "diamond", "relative": "triangle-up"}
    for kind, symbol in symbols.items():
        part = dated[dated["kind"] == kind]
        if part.empty:
            continue
        hover = [escape(f"{t} — {titles.get(tid, '') if isinstance(tid, str) else ''}")
                 for t, tid in zip(part["text"], part["task_id"], strict=True)]
        fig.add_trace(go.Scatter(x=part["x"], y=part["doc_id"].map(row_of), mode="markers",
                                 name=label(kind, lang), marker={"symbol": symbol, "size": 11},
                                 hovertext=hover, hoverinfo="text"))
    fig.update_xaxes(dtick="M12", tickformat="%Y")
    fig.update_layout(title=text("从印发日期到最远时限：各任务的截止日期与目标年份",
                                 "From issue date to the furthest horizon, with each task's deadlines and targets", lang),
                      height=_height(len(set(row_of))), xaxis_title=label("date", lang))
    return fig


# ---------------------------------------------------------------- targets
def targets_comparison_chart(comparison: pd.DataFrame, min_documents: int = 2, lang: str = "zh",
                             corpus: Corpus | None = None) -> go.Figure:
    """Dots per document for each indicator that at least ``min_documents`` documents set.

    ``comparison`` is ``compare_targets(corpus)``; y is the value in its base unit,
    one panel per indicator, because units differ between indicators.
    """
    shared = comparison.groupby("indicator_key")["doc_id"].transform("nunique") >= min_documents
    data = comparison[shared].copy()
    if data.empty:
        return go.Figure().update_layout(title=text("没有被多个文件共同设定的指标",
                                                    "No indicator is set by more than one document", lang))
    # the indicators most documents share, one panel each
    keep = data.groupby("indicator_key")["doc_id"].nunique().sort_values(ascending=False).index[:MAX_PANELS]
    data = data[data["indicator_key"].isin(keep)]
    if data["doc_id"].nunique() > MAX_ROWS and "level" in data:  # a dot per document, grouped by level
        data["document"] = data["level"].map(lambda v: escape(label(v, lang)))
    elif corpus is not None:
        data["document"] = data["doc_id"].map(doc_names(corpus, lang))
    else:
        data["document"] = (data["region"].fillna("") + "·" + data["title"].map(_short)).map(escape)
    data["indicator_key"] = data["indicator_key"].map(escape)
    data["hover"] = [escape(f"{i}: {v:g}{u} ({y})") for i, v, u, y in
                     zip(data["indicator"], data["value"], data["unit"], data["year"], strict=True)]
    fig = px.scatter(data, x="document", y="value_base", color="document", facet_row="indicator_key",
                     hover_name="hover", labels={"value_base": "", "document": "", "indicator_key": ""})
    fig.update_traces(marker={"size": 14})
    fig.update_yaxes(matches=None)
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    fig.update_layout(title=text("同一指标在各文件中的目标值", "The same indicator across documents", lang),
                      height=220 + 220 * data["indicator_key"].nunique(), showlegend=False)
    return fig


def target_years_chart(corpus: Corpus, lang: str = "zh") -> go.Figure:
    """Count of quantitative targets by the year they are for, per document (per level beyond MAX_ROWS)."""
    data = corpus.targets[(corpus.targets["kind"] == "target") & corpus.targets["year"].notna()].copy()
    if data.empty:
        return empty_figure(lang)
    if corpus.documents["doc_id"].nunique() > MAX_ROWS:
        data["document"] = data["doc_id"].map(corpus.documents.set_index("doc_id")["level"]).map(lambda v: label(v, lang))
    else:
        data["document"] = data["doc_id"].map(doc_names(corpus, lang))
    data["year"] = data["year"].astype(int).astype(str)
    fig = px.histogram(data, x="year", color="document", barmode="group",
                       labels={"year": label("target_year", lang), "document": ""})
    fig.update_layout(title=text("各目标年份的量化目标数", "Quantitative targets by the year they are for", lang),
                      yaxis_title=text("目标数", "targets", lang))
    return fig


# ---------------------------------------------------------------- agency workload
def chapter_number(label_: str, lang: str = "zh") -> str:
    """A chapter's number for a chart label: as written in Chinese, "ch. 3" in English.

    >>> chapter_number("三", "en"), chapter_number("十二", "en"), chapter_number("三", "zh")
    ('ch. 3', 'ch. 12', '三')
    """
    if lang != "en":
        return label_
    try:
        import cn2an

        return f"ch. {int(cn2an.cn2an(label_, 'smart'))}"
    except (ValueError, TypeError, KeyError):
        return "ch. ?" if any("\u3400" <= ch <= "\u9fff" for ch in str(label_)) else f"ch. {label_}"


def _agency_names(corpus: Corpus, lang: str) -> dict[str, str]:
    """Canonical agency → its name in ``lang`` (agency_en in English)."""
    if lang != "en":
        return {}
    a = corpus.assignments.dropna(subset=["agency_en"])
    return dict(zip(a["agency"], a["agency_en"], strict=True))


def _key_label(key: str, names: dict[str, str], lang: str) -> str:
    if key in LABELS:
        return label(key, lang)
    return names.get(key, key)


def workload_chart(table: pd.DataFrame, top_n: int = 20, lang: str = "zh", include_generic: bool = False) -> go.Figure:
    """Stacked bars: tasks each body (or function) leads, supports and shares; the ``top_n`` busiest.

    ``table`` is ``workload(corpus, ...)``.  Catch-all bodies (``table.generic``: 有关部门,
    各市（州）人民政府 …) are left out unless ``include_generic``; English names come
    from ``table.key_en``, function names from the label table.
    """
    if not include_generic and "generic" in table:
        table = table[~table["generic"]]
    if table.empty:
        return empty_figure(lang)
    names = (dict(zip(table["key"], table["key_en"], strict=True)) if lang == "en" and "key_en" in table else {})
    names = {k: v for k, v in names.items() if isinstance(v, str) and v}
    top = table.groupby("key")["total"].sum().nlargest(top_n).index
    data = table[table["key"].isin(top)].groupby("key")[["led", "supported", "joint"]].sum()
    data = data.loc[data.sum(axis=1).sort_values().index]
    shown = [escape(_key_label(k, names, lang)) for k in data.index]
    fig = go.Figure([go.Bar(y=shown, x=data[col], name=label(col, lang), orientation="h")
                     for col in ("led", "supported", "joint")])
    fig.update_layout(barmode="stack", height=_height(len(data), 200),
                      title=text("各单位牵头与配合的任务数", "Tasks led and supported by each body", lang),
                      xaxis_title=text("任务数", "tasks", lang))
    return fig


def agency_chapter_heatmap(table: pd.DataFrame, top_n: int = 20, lang: str = "zh", corpus: Corpus | None = None,
                           include_generic: bool = False) -> go.Figure:
    """Heatmap of tasks per body (rows) and chapter (columns); ``table`` is ``agency_by_chapter``.

    Columns are "document · chapter number" (the heading on hover); at most 40 chapters,
    the busiest.
    """
    from urbanpolicy.analysis.workload import is_generic

    if not include_generic and not table.empty:
        table = table[~table["agency"].map(is_generic)]
    if table.empty:
        return empty_figure(lang)
    top = table.groupby("agency")["tasks"].sum().nlargest(top_n).index
    data = table[table["agency"].isin(top)].copy()
    doc_label = doc_names(corpus, lang) if corpus is not None else pd.Series(dtype=str)
    number = data["chapter"].str.split("、").str[0].map(lambda n: chapter_number(n, lang))
    data["column"] = [f"{_short(doc_label.get(d, d[:3]), 14)} · {n}" for d, n in zip(data["doc_id"], number, strict=True)]
    columns = data.groupby("column")["tasks"].sum().nlargest(40).index
    data = data[data["column"].isin(columns)]
    heading_of = dict(zip(data["column"], data["chapter"], strict=False))
    grid = data.pivot_table(index="agency", columns="column", values="tasks", aggfunc="sum", fill_value=0)
    grid = grid.loc[grid.sum(axis=1).sort_values().index]
    names = _agency_names(corpus, lang) if corpus is not None else {}
    hover = [[escape(f"{names.get(r, r)} — {heading_of.get(c, c)}: {grid.at[r, c]}") for c in grid.columns]
             for r in grid.index]
    fig = go.Figure(go.Heatmap(z=grid.values, x=[escape(c) for c in grid.columns],
                               y=[escape(names.get(r, r)) for r in grid.index], colorscale="Blues",
                               hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_layout(title=text("各单位任务在各章节的分布", "Where each body's tasks sit, chapter by chapter", lang),
                      height=_height(len(grid), 260), xaxis={"tickangle": 45})
    return fig


def co_responsibility_matrix(pairs: pd.DataFrame, table: pd.DataFrame, corpus: Corpus | None = None,
                             top_n: int = 15, lang: str = "zh", include_generic: bool = False) -> go.Figure:
    """Matrix of tasks shared by each pair of the ``top_n`` busiest bodies.

    ``pairs`` is ``co_responsibility``; ``table`` is ``workload(by="agency")``.  A
    matrix stays readable however dense the links are, unlike a network drawing.
    """
    if not include_generic and "generic" in table:
        table = table[~table["generic"]]
    if table.empty or pairs.empty:
        return empty_figure(lang)
    nodes = list(table.groupby("key")["total"].sum().nlargest(top_n).index)
    grid = pd.DataFrame(0, index=nodes, columns=nodes)
    links = pairs[pairs["agency_a"].isin(nodes) & pairs["agency_b"].isin(nodes)]
    for p in links.itertuples():
        grid.at[p.agency_a, p.agency_b] = p.shared_tasks
        grid.at[p.agency_b, p.agency_a] = p.shared_tasks
    names = _agency_names(corpus, lang) if corpus is not None else {}
    shown = [escape(_short(names.get(n, n), 30)) for n in nodes]
    full = [escape(names.get(n, n)) for n in nodes]
    hover = [[f"{full[i]} × {full[j]}: {grid.iat[i, j]}" for j in range(len(nodes))] for i in range(len(nodes))]
    fig = go.Figure(go.Heatmap(z=grid.values, x=shown, y=shown, colorscale="Purples", hovertext=hover,
                               hovertemplate="%{hovertext}<extra></extra>",
                               colorbar={"title": {"text": text("共同任务数", "shared tasks", lang)}}))
    fig.update_layout(title=text("共同承担任务的单位", "Bodies that share tasks", lang),
                      height=_height(len(nodes), 300), xaxis={"tickangle": 45}, yaxis={"autorange": "reversed"})
    return fig


def function_comparison_chart(table: pd.DataFrame, lang: str = "zh", corpus: Corpus | None = None,
                              top_functions: int = 12) -> go.Figure:
    """Grouped bars: share of each document's tasks per policy function, documents side by side.

    ``table`` is ``workload(by="function")``; comparing shares (not counts) keeps long
    and short documents comparable.  The ``top_functions`` most common functions are
    shown by name (label table); beyond MAX_ROWS documents, bars are level averages.
    """
    data = table[table["total"] > 0].copy()
    if data.empty:
        return empty_figure(lang)
    if corpus is not None and corpus.documents["doc_id"].nunique() > MAX_ROWS:
        data["document"] = data["level"].map(lambda v: label(v, lang))
        data = data.groupby(["document", "key"], as_index=False)["share"].mean()
    elif corpus is not None:
        data["document"] = data["doc_id"].map(doc_names(corpus, lang))
    else:
        data["document"] = (data["region"].fillna("?") + "·" + data["doc_id"].str[:3]).map(escape)
    order = data.groupby("key")["share"].sum().sort_values(ascending=False).index[:top_functions]
    data = data[data["key"].isin(order)]
    data["function"] = data["key"].map(lambda k: escape(label(k, lang)))
    fig = px.bar(data, x="function", y="share", color="document", barmode="group",
                 category_orders={"function": [escape(label(k, lang)) for k in order]},
                 labels={"share": label("share", lang), "function": "", "document": ""})
    fig.update_layout(title=text("按政策职能比较各文件", "Documents compared by policy function", lang),
                      yaxis_tickformat=".0%", height=520, xaxis={"tickangle": 30})
    return fig


# ---------------------------------------------------------------- coverage
def reference_note(corpus: Corpus, reference: str, compared: list[str], lang: str = "zh"):  # noqa: ANN201
    """HTML naming the reference document first, with a warning block when it is not a national
    document or is later than documents compared to it (``analysis.coverage.reference_warnings``)."""
    from IPython.display import HTML

    from urbanpolicy.analysis.coverage import reference_warnings

    docs = corpus.documents.set_index("doc_id")
    if reference is None or reference not in docs.index:
        return HTML("<p class=\"up-reference\"><strong>" + text(
            "没有参照文件：所选文件夹中没有可作参照的文件。", "No reference document: the folder holds no document to "
            "measure coverage against.", lang) + "</strong></p>")
    names = doc_names(corpus, lang)
    ref = docs.loc[reference]
    when = ref["issued"] if pd.notna(ref["issued"]) else ref["published"]
    when_text = when.strftime("%Y-%m-%d") if pd.notna(when) else label("date_unknown", lang)
    first = text(f"参照文件：{names[reference]}（{escape(ref['title'])}；{label(ref['level'], 'zh')}，{when_text}）",
                 f"Reference document: {names[reference]} ({escape(ref['title'])}; {label(ref['level'], 'en')}, {when_text})",
                 lang)
    parts = [f'<p class="up-reference"><strong>{first}</strong></p>']
    warnings = reference_warnings(corpus, reference, compared)
    style = 'style="border-left:4px solid #d97706;background:#fff7e6;padding:.5em 1em;margin:.5em 0"'
    if warnings["not_national"]:
        parts.append(f'<div class="up-warning" {style}>' + text(
            f"注意：参照文件不是国家级文件（{label(ref['level'], 'zh')}）。下面的承接程度是相对于这份文件，而不是相对于国家规划；"
            "如需比较国家规划，请把它放入文件夹并用参数 reference 指定。",
            f"Note: the reference is not a national document ({label(ref['level'], 'en')}). Coverage below is measured "
            "against this document, not against a national plan; to compare with a national plan, add it to the "
            "folder and name it with the reference parameter.", lang) + "</div>")
    if warnings["earlier"]:
        earlier = "、".join(names[d] for d in warnings["earlier"]) if lang == "zh" else ", ".join(names[d] for d in warnings["earlier"])
        parts.append(f'<div class="up-warning" {style}>' + text(
            f"注意：参照文件（{when_text}）晚于以下比较文件：{earlier}。这些文件不可能承接它，相似只说明它们有共同的来源。",
            f"Note: the reference ({when_text}) is later than these compared documents: {earlier}. They cannot take it "
            "up; similar wording only shows a common source.", lang) + "</div>")
    return HTML("".join(parts))


def coverage_heatmap(cov: pd.DataFrame, corpus: Corpus, lang: str = "zh", threshold: float | None = None) -> go.Figure:
    """Reference tasks (rows) × documents (columns) in three bands: covered, partly, not covered.

    ``cov`` is ``coverage(corpus, reference)``; a cell is covered from ``threshold``
    (default ``DEFAULT_THRESHOLD``), partly covered from ``PARTLY_FACTOR`` × threshold;
    both bounds are written in the legend.  Hover shows the score and the best matching
    task; beyond 5,000 cells hover shows the score only, to keep the page small.
    """
    from urbanpolicy.analysis.coverage import DEFAULT_THRESHOLD, PARTLY_FACTOR

    if cov.empty:
        return empty_figure(lang)
    threshold = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    partly = threshold * PARTLY_FACTOR
    tasks = corpus.tasks.set_index("task_id")
    names = doc_names(corpus, lang)
    rows = list(dict.fromkeys(cov["reference_task_id"]))
    cols = list(dict.fromkeys(cov["doc_id"]))
    score = cov.pivot(index="reference_task_id", columns="doc_id", values="score").reindex(index=rows, columns=cols)
    band = (score >= partly).astype(int) + (score >= threshold).astype(int)
    row_labels = [escape(f"{tasks.at[r, 'label']}{_short(tasks.at[r, 'title'], 14)}") for r in rows]
    bands = [text(f"未承接（< {partly:.2f}）", f"not covered (< {partly:.2f})", lang),
             text(f"部分承接（{partly:.2f}–{threshold:.2f}）", f"partly covered ({partly:.2f}–{threshold:.2f})", lang),
             text(f"已承接（≥ {threshold:.2f}）", f"covered (≥ {threshold:.2f})", lang)]
    if len(rows) * len(cols) <= 5000:
        best = cov.pivot(index="reference_task_id", columns="doc_id", values="best_task_id").reindex(index=rows, columns=cols)
        hover = [[escape(f"{tasks.at[r, 'title']} → "
                         f"{tasks.at[b, 'path'] + ' ' + tasks.at[b, 'title'] if isinstance(b, str) else '—'}")
                  for b in best.loc[r]] for r in rows]
        template = "%{hovertext}<br>" + text("相似度", "score", lang) + " %{customdata:.2f}<extra></extra>"
    else:
        hover = None
        template = "%{y}<br>%{x}<br>" + text("相似度", "score", lang) + " %{customdata:.2f}<extra></extra>"
    colours = ["#f1f1f1", "#9ecae1", "#08519c"]
    scale = [[0, colours[0]], [1 / 3, colours[0]], [1 / 3, colours[1]], [2 / 3, colours[1]], [2 / 3, colours[2]], [1, colours[2]]]
    fig = go.Figure(go.Heatmap(z=band.values, x=[names[c] for c in cols], y=row_labels, zmin=-0.5, zmax=2.5,
                               colorscale=scale, customdata=score.values.round(3), hovertext=hover,
                               hovertemplate=template, xgap=1, ygap=1,
                               colorbar={"tickvals": [0, 1, 2], "ticktext": bands,
                                         "title": {"text": text("承接程度", "coverage", lang)}}))
    fig.update_layout(title=text("各文件对参照文件各项任务的承接程度", "How far each document takes up each reference task", lang),
                      height=330 + 18 * min(len(rows), 120), yaxis={"autorange": "reversed"},
                      xaxis={"tickangle": -30, "side": "top"}, margin={"t": 230})
    if len(cols) > MAX_ROWS:  # too many documents to name on the axis: hover names each column
        fig.update_traces(xgap=0, ygap=1)
        fig.update_layout(margin={"t": 90}, xaxis={"showticklabels": False, "side": "bottom",
                                                   "title": text(f"{len(cols)} 份文件（悬停查看名称）",
                                                                 f"{len(cols)} documents (hover for names)", lang)})
    return fig
