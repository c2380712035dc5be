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

from .corpus import Corpus

CJK_FONTS = "Noto Sans SC, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, SimHei, sans-serif"
LEVEL_COLOURS = {"national": "#1f77b4", "provincial": "#ff7f0e", "municipal": "#2ca02c", "county": "#9467bd"}


def setup_notebook() -> None:
    """Configure plotly for notebooks: interactive in JupyterLab *and* kept in nbconvert HTML.

    Since plotly 6.1 the kernel default renderer (``plotly_mimetype``) is dropped by
    nbconvert, so charts would vanish from the shared HTML; ``notebook`` embeds
    plotly.js once per file, which works offline.
    """
    pio.renderers.default = "plotly_mimetype+notebook"
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
