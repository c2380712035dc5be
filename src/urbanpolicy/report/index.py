"""``run.json`` and ``index.html`` that stay whole when only some notebooks are re-run.

Each run merges its notebooks' rows into the existing ``run.json`` (a row per
notebook, replaced when that notebook runs again, kept otherwise) and rewrites
``index.html`` from it.  A row says what the report is (the first sentence of the
notebook's introduction), which folder it read, with which parameters (the
notebook's defaults overlaid with what was given), whether it succeeded, how long it
took, when it finished, and links to the HTML page and the executed notebook.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from pathlib import Path

MANIFEST = "run.json"
_SENTENCE_END = re.compile(r"(?<=[.。])\s")


def _prose_cells(path: Path, lang: str) -> list:
    """The notebook's Markdown cells in ``lang`` (cells tagged for the other language left out)."""
    import nbformat

    other = "lang-zh" if lang == "en" else "lang-en"
    nb = nbformat.read(path, as_version=4)
    return [c for c in nb.cells if c.cell_type == "markdown" and other not in c.get("metadata", {}).get("tags", [])]


def notebook_description(path: Path, lang: str = "en") -> str:
    """The first sentence of a notebook's introduction in ``lang`` (its first markdown paragraph that is
    not a heading); the index is in English.

    Returns "" when the notebook has none.
    """
    for cell in _prose_cells(path, lang):
        paragraphs = [p.strip() for p in cell.source.split("\n\n") if p.strip() and not p.startswith("#")]
        if paragraphs:
            text = " ".join(paragraphs[0].split())
            return _SENTENCE_END.split(text, maxsplit=1)[0]
    return ""


def notebook_title(path: Path, lang: str = "en") -> str:
    """The notebook's first ``#`` heading in ``lang``, or its file name."""
    for cell in _prose_cells(path, lang):
        for line in cell.source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return path.stem


def read_manifest(out_dir: Path) -> dict:
    """The existing ``run.json`` of ``out_dir``, or an empty manifest when there is none or it is unreadable."""
    path = out_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"notebooks": []}
    if not isinstance(manifest, dict) or not isinstance(manifest.get("notebooks"), list):
        return {"notebooks": []}
    return manifest


def merge_rows(old: list[dict], new: list[dict]) -> list[dict]:
    """Rows of ``old`` replaced by the rows of ``new`` with the same notebook, in notebook order.

    >>> merge_rows([{"notebook": "01"}, {"notebook": "02", "ok": False}], [{"notebook": "02", "ok": True}])
    [{'notebook': '01'}, {'notebook': '02', 'ok': True}]
    """
    rows = {r["notebook"]: r for r in old if isinstance(r, dict) and "notebook" in r}
    rows.update({r["notebook"]: r for r in new})
    return [rows[name] for name in sorted(rows)]


def _parameters_text(parameters: dict) -> str:
    if not parameters:
        return "—"
    return "; ".join(f"{k} = {json.dumps(v, ensure_ascii=False, default=str)}" for k, v in parameters.items())


def render_index(manifest: dict) -> str:
    """The HTML of ``index.html`` for ``manifest``; every value from a run is escaped."""
    rows = []
    for r in manifest["notebooks"]:
        name = str(r.get("notebook", ""))
        title = html.escape(str(r.get("title") or name))
        page = r.get("html")
        links = []
        if page:
            links.append(f'<a href="{html.escape(page, quote=True)}">{title}</a>')
        else:
            links.append(title)
        if r.get("output"):
            links.append(f'<a class="nb" href="{html.escape(r["output"], quote=True)}">notebook (.ipynb)</a>')
        if r.get("ok"):
            status = '<span class="ok">ok</span>'
        else:
            status = (f'<span class="failed">failed at cell {html.escape(str(r.get("failed_cell")))}: '
                      f'{html.escape(str(r.get("error") or ""))}</span>')
        rows.append(
            '<tr class="report">'
            f'<td>{"<br>".join(links)}<div class="desc">{html.escape(str(r.get("description") or ""))}</div></td>'
            f'<td><code>{html.escape(str(r.get("source") or ""))}</code></td>'
            f'<td><code>{html.escape(_parameters_text(r.get("parameters") or {}))}</code></td>'
            f"<td>{status}</td>"
            f'<td>{float(r.get("seconds") or 0):.1f} s<br><small>{html.escape(str(r.get("finished") or ""))}</small></td>'
            "</tr>")
    generated = html.escape(datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>urbanpolicy reports</title>
<style>body{{font-family:"Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em;max-width:80em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.4em .6em;text-align:left;vertical-align:top}}
.desc{{color:#555;font-size:.9em;margin-top:.3em}}.ok{{color:#1a7f37}}.failed{{color:#b42318}}
code{{font-size:.85em;word-break:break-all}}</style>
</head><body><h1>urbanpolicy reports</h1>
<p>Updated {generated}. Each report is a single HTML file that works offline; the notebook beside it is
the executed notebook (open it in JupyterLab). Provenance — parameters, SHA-256 of every input file,
package versions — is in <a href="{MANIFEST}">{MANIFEST}</a>.</p>
<table><tr><th>report</th><th>source folder</th><th>parameters</th><th>status</th><th>run time</th></tr>
{"".join(rows)}
</table></body></html>
"""
