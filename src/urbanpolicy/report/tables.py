"""Tables in reports: every row, searchable, sortable, downloadable, with readable headers.

``show(frame, lang)`` turns a DataFrame into an interactive table (itables, i.e.
DataTables, in offline mode: no request to another host) with a search box, sortable
columns, pages of 10/25/100/all rows and Copy / CSV / Excel buttons.  Nothing is cut:
the page holds every row of ``frame``.

Values are formatted for reading — one empty cell for NaN/NaT/None/<NA>, dates as
dates (a year-precision date as its year), shares as percentages, no scientific
notation, booleans as 是/否 or yes/no — and **escaped here** (``html.escape``), so a
document's text is shown as text whatever it contains.  Column headers come from the
label table (``labels.py``).  A ``doc_id`` column is shown as the document's short name
(``documents.short_name``) with the full title on hover when ``documents`` is given.

>>> import pandas as pd
>>> display_frame(pd.DataFrame({"share": [0.958333], "value": [5.0]}), "en").iloc[0].to_list()
['95.8%', '5']
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable

import pandas as pd

from .labels import LABELS, label, labels

PERCENT_COLUMNS = {"share", "coverage_share", "ratio"}  # and any column named share_* or *_share
# columns whose values are doc_ids (one, or a list of them), shown as short names
DOC_COLUMNS = {"doc_id", "cited_doc_id", "earlier", "later", "citing_docs", "docs", "source_doc", "target_doc"}
SCORE_COLUMNS = {"score", "best_score"}
_TABLE_CSS = """<style>
/* JupyterLab's HTML output style right-aligns every cell (:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td);
   in report tables text reads left-aligned, numbers right-aligned. */
div.up-table table.dataTable td, .jp-RenderedHTMLCommon div.up-table table.dataTable td {
  white-space: normal; overflow-wrap: anywhere; vertical-align: top; min-width: 4em; max-width: 36em;
  text-align: left; }
div.up-table table.dataTable th, .jp-RenderedHTMLCommon div.up-table table.dataTable th {
  white-space: normal; text-align: left; vertical-align: bottom; }
.jp-RenderedHTMLCommon div.up-table table.dataTable td.dt-type-numeric,
.jp-RenderedHTMLCommon div.up-table table.dataTable th.dt-type-numeric { text-align: right; }
div.up-table { margin: .5em 0 1.5em 0; }
div.up-table .up-caption { text-align: left; color: #555; }
</style>"""


def _empty(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:,.0f}"


def format_value(value: object, column: str, lang: str = "zh", precision: str | None = None) -> str:
    """One cell as plain text (not yet escaped).

    >>> format_value(float("nan"), "value"), format_value(0.519231, "share"), format_value(5e0, "value")
    ('', '51.9%', '5')
    >>> format_value(pd.Timestamp("2025-12-31"), "date", precision="year")
    '2025'
    """
    if _empty(value):
        return ""
    if isinstance(value, bool):
        return label("yes" if value else "no", lang)
    if isinstance(value, pd.Timestamp):
        if precision == "year":
            return f"{value.year}"
        if precision == "month":
            return value.strftime("%Y-%m")
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if column in PERCENT_COLUMNS or column.startswith("share_") or column.endswith("_share"):
            return f"{value:.1%}"
        if column in SCORE_COLUMNS:
            return f"{value:.2f}"
        return _number(float(value))
    if hasattr(value, "item"):  # numpy scalars
        return format_value(value.item(), column, lang, precision)
    return str(value)


TASK_COLUMNS = {"task_id", "best_task_id", "reference_task_id", "parent_task_id"}


def task_name(task_id: object, short_names: pd.Series) -> str:
    """A task id ("000_…:三/（六）") as the document's short name and the task's position.

    >>> task_name("000_x:三/（六）", pd.Series({"000_x": "湖北·省发改委·2021 工作要点"}))
    '湖北·省发改委·2021 工作要点 三/（六）'
    """
    if not isinstance(task_id, str):
        return ""
    doc, _, path = task_id.partition(":")
    return f"{short_names.get(doc, doc)} {path}".strip()


def doc_list_name(value: object, names: pd.Series, column: str = "doc_id", lang: str = "zh") -> str:
    """A doc_id, or a list of them (a list, or a string joined by , ; 、 |), as short names.

    >>> doc_list_name(["a", "b"], pd.Series({"a": "湖北·2021", "b": "湖南·2021"}))
    '湖北·2021、湖南·2021'
    """
    import re

    if isinstance(value, list | tuple | set) or hasattr(value, "tolist") and not isinstance(value, str):
        items = [str(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]
    elif isinstance(value, str):
        items = [value] if value in names.index else [t for t in re.split(r"[,;、|]\s*", value) if t]
        if not all(t in names.index for t in items):
            return value
    else:
        return format_value(value, column, lang)
    return "、".join(str(names.get(v, v)) for v in items)


def _translated(column: str) -> bool:
    """Columns whose values are keys of the label table (levels, roles, kinds, functions)."""
    return column in {"level", "role", "source", "kind", "precision", "function", "agency_type", "script",
                      "step"}


def display_frame(frame: pd.DataFrame, lang: str = "zh", documents: pd.DataFrame | None = None,
                  hide: Iterable[str] = ()) -> pd.DataFrame:
    """A copy of ``frame`` with every cell formatted as text (unescaped) and headers labelled.

    ``documents`` (the corpus' documents table) turns ``doc_id`` into the short name.
    """
    hidden = set(hide) | {"key_en"}  # shown as the key itself in English
    shown = frame[[c for c in frame.columns if c not in hidden]]
    out = {}
    precision = frame["precision"] if "precision" in frame.columns else None
    for column in shown.columns:
        values = shown[column]
        if column in DOC_COLUMNS and documents is not None and "short_name" in documents:
            names = documents.set_index("doc_id")["short_name" if lang == "zh" else "short_name_en"]
            cells = [doc_list_name(v, names, column, lang) for v in values]
        elif column in TASK_COLUMNS and documents is not None and "short_name" in documents:
            names = documents.set_index("doc_id")["short_name" if lang == "zh" else "short_name_en"]
            if "doc_id" in shown.columns and column == "task_id":  # the document has its own column
                names = pd.Series("", index=names.index)
            cells = [task_name(v, names) for v in values]
        elif column in ("agency", "key", "short_name") and lang == "en" and f"{column}_en" in frame.columns:
            english = frame[f"{column}_en"]
            cells = [format_value(en if isinstance(en, str) and en else label(zh, lang), column, lang)
                     for zh, en in zip(values, english, strict=True)]
        elif column == "key" and values.map(lambda v: isinstance(v, str) and v in LABELS).all():
            cells = [label(v, lang) for v in values]  # policy functions
        elif _translated(column):
            cells = ["" if _empty(v) else label(v, lang) for v in values]
        elif precision is not None and column in ("date", "end_date"):
            cells = [format_value(v, column, lang, p if isinstance(p, str) else None)
                     for v, p in zip(values, precision, strict=True)]
        else:
            cells = [format_value(v, column, lang) for v in values]
        shown_as_names = column == "doc_id" and documents is not None and "short_name" in documents
        out[label("document" if shown_as_names else column, lang)] = cells
    result = pd.DataFrame(out, index=range(len(shown)))
    return result


MAX_ROWS = 2000  # rows embedded in a page; beyond, the page says how many more and where they are
MAX_HOVER_ROWS = 1000  # full titles on hover (repeated per row) only in tables up to this size
_DATA_JSON = re.compile(r'"data_json": ("(?:[^"\\]|\\.)*")')


def _compact_data(body: str) -> str:
    """itables writes its rows as doubly escaped ASCII JSON (a Chinese character costs 7 bytes);
    rewrite them as UTF-8 JSON (3 bytes), the same values.  Cells are already HTML-escaped, so
    no "</script" can appear in them."""
    found = _DATA_JSON.search(body)
    if not found:
        return body
    rows = json.loads(json.loads(found.group(1)))
    compact = json.dumps(json.dumps(rows, ensure_ascii=False, separators=(",", ":")), ensure_ascii=False)
    return body[:found.start(1)] + compact + body[found.end(1):]


def table_html(frame: pd.DataFrame, lang: str = "zh", name: str = "table", documents: pd.DataFrame | None = None,
               hide: Iterable[str] = (), caption: str | None = None, page_length: int = 10,
               max_rows: int = MAX_ROWS) -> str:
    """HTML of one interactive table holding every row of ``frame`` (escaped here), up to ``max_rows``.

    The wrapper ``<div class="up-table" data-table=NAME data-rows=N>`` names the table and
    the rows it holds, so a reader (or a test) can check nothing was cut.  A larger frame
    (thousands of documents) keeps its first ``max_rows`` rows and says, above the table,
    how many there are in all and that ``urbanpolicy tables`` writes them all.
    """
    from itables import to_html_datatable

    from .page import strip_external_links

    total = len(frame)
    frame = frame.head(max_rows)
    shown = display_frame(frame, lang, documents, hide)
    titles = None
    if (documents is not None and "doc_id" in frame.columns and "doc_id" not in set(hide) and "short_name" in documents
            and len(frame) <= MAX_HOVER_ROWS):
        titles = documents.set_index("doc_id")["title"]
    escaped = shown.map(html.escape)
    if titles is not None:  # full title on hover over the short name
        col = label("document", lang)
        escaped[col] = [f'<span title="{html.escape(str(titles.get(d, "")), quote=True)}">{cell}</span>'
                        if isinstance(d, str) else cell for d, cell in zip(frame["doc_id"], escaped[col], strict=True)]
    body = to_html_datatable(
        escaped, connected=False, allow_html=True, maxBytes=0, maxRows=0, maxColumns=0, showIndex=False,
        buttons=["pageLength", "copyHtml5", "csvHtml5", "excelHtml5"],
        lengthMenu=[[10, 25, 100, -1], [10, 25, 100, "∞"]], pageLength=page_length,
        layout={"topStart": "buttons", "topEnd": "search", "bottomStart": "info", "bottomEnd": "paging"},
        classes="display compact cell-border", style="width:100%;margin:0",
        display_logo_when_loading=False,
    )
    head = f'<p class="up-caption">{html.escape(caption)}</p>' if caption else ""
    if total > len(frame):
        head += '<p class="up-caption up-cut">' + html.escape(
            f"显示前 {len(frame):,} 行，共 {total:,} 行；完整表格可用 urbanpolicy tables 导出（CSV / Parquet）。" if lang == "zh"
            else f"Showing the first {len(frame):,} of {total:,} rows; urbanpolicy tables writes them all (CSV / Parquet).") + "</p>"
    return (f'<div class="up-table" data-table="{html.escape(name, quote=True)}" data-rows="{len(frame)}" '
            f'data-total-rows="{total}">{head}{strip_external_links(_compact_data(body))}</div>')


def show(frame: pd.DataFrame, lang: str = "zh", name: str = "table", documents: pd.DataFrame | None = None,
         hide: Iterable[str] = (), caption: str | None = None, max_rows: int = MAX_ROWS):  # noqa: ANN201
    """Display ``frame`` as an interactive table in a notebook (see ``table_html``)."""
    from IPython.display import HTML

    return HTML(table_html(frame, lang, name, documents, hide, caption, max_rows=max_rows))


def table_css() -> str:
    """The stylesheet the tables share (wrapped text, readable widths)."""
    return _TABLE_CSS


__all__ = ["show", "table_html", "display_frame", "format_value", "labels", "table_css"]
