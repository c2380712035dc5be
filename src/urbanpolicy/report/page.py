"""What makes a report one self-contained page: charts and tables without their libraries
in every output, the libraries once in the page's ``<head>``.

A notebook run by ``urbanpolicy run`` stores each chart as plotly's JSON (for
JupyterLab) plus a small ``<div>`` and ``Plotly.newPlot`` call (for the HTML page) —
never plotly.js itself, never a MathJax or require.js loader from another host.  The
runner then writes plotly.js and the table component (itables' offline DataTables
bundle) once into the page's ``<head>``.  Opened in JupyterLab outside the runner,
``setup_notebook`` displays the table bundle itself, so the tables work there too.

``PAGE_ASSETS_ENV`` is how the runner tells a kernel that the page will carry the
libraries (set for the kernel processes only, see ``runner``).
"""

from __future__ import annotations

import json
import re

from plotly.io._base_renderers import MimetypeRenderer

PAGE_ASSETS_ENV = "URBANPOLICY_PAGE_ASSETS"

# No "send to cloud" button and no plotly logo link: nothing that talks to another host.  (plotly.js 3
# has no "edit in Chart Studio" or "show link" buttons left to switch off.)
PLOTLY_CONFIG = {"displaylogo": False, "showSendToCloud": False, "responsive": True}

_ITABLES_LINK = re.compile(r"<a href=https?://itables\.org[^>]*>(.*?)</a>", re.S)
# A JSON \uXXXX escape: preceded by an even number of backslashes (an odd one would make it text)
_JSON_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u([0-9a-fA-F]{4})")


def unescape_non_ascii(script: str) -> str:
    r"""``script`` (JSON inside a ``<script>``) with \uXXXX escapes of non-ASCII characters
    written as the characters themselves.

    plotly's JSON escapes every non-ASCII character: a Chinese character costs 6 bytes in
    the page instead of 3, which made chart data about half of a report's data.  Escapes of
    ASCII (``<``, ``>``, ``/``, quotes), of U+2028/U+2029 (line ends to older JavaScript)
    and of surrogates stay escaped, so no ``</script>`` can appear and the JSON means the same.

    >>> import json
    >>> escaped = json.dumps({"a": "湖北", "b": "\\u6e56 is text", "c": "\\u003c"})
    >>> print(escaped)
    {"a": "\u6e56\u5317", "b": "\\u6e56 is text", "c": "\\u003c"}
    >>> print(unescape_non_ascii(escaped))
    {"a": "湖北", "b": "\\u6e56 is text", "c": "\\u003c"}
    """
    def replace(match: re.Match[str]) -> str:
        code = int(match.group(2), 16)
        if code < 0x80 or 0xD800 <= code <= 0xDFFF or code in (0x2028, 0x2029):
            return match.group(0)
        return match.group(1) + chr(code)

    return _JSON_ESCAPE.sub(replace, script)


class PageRenderer(MimetypeRenderer):
    """Plotly renderer: plotly's JSON for JupyterLab and a plotly.js-free ``<div>`` for HTML.

    The HTML part calls ``Plotly.newPlot`` and relies on the page to define ``Plotly``
    once (``page_head``); it carries no MathJax and no require.js.
    """

    def to_mimebundle(self, fig_dict: dict) -> dict:  # noqa: D102 - plotly's renderer interface
        import plotly.io as pio

        fig = json.loads(pio.to_json(fig_dict, validate=False, remove_uids=False))
        html = unescape_non_ascii(pio.to_html(fig, include_plotlyjs=False, include_mathjax=False, full_html=False,
                                              config=PLOTLY_CONFIG, validate=False))
        return {"application/vnd.plotly.v1+json": fig | {"config": PLOTLY_CONFIG}, "text/html": html}


def strip_external_links(html: str) -> str:
    """Remove itables' links to its own web site (help and logo), keeping their text.

    >>> strip_external_links('x <a href=https://itables.org/t.html>help</a>')
    'x help'
    """
    return _ITABLES_LINK.sub(r"\1", html)


def table_bundle() -> str:
    """The offline table component (DataTables via itables): one ``<script>`` and its CSS, inline."""
    import itables
    from itables.javascript import generate_init_offline_itables_html

    return strip_external_links(generate_init_offline_itables_html(itables.options.dt_bundle))


def plotly_bundle() -> str:
    """plotly.js, inline, as one ``<script>`` element."""
    from plotly.offline import get_plotlyjs

    return f'<script type="text/javascript">{get_plotlyjs()}</script>'


def page_head(body: str) -> str:
    """The libraries ``body`` needs, each once: plotly.js if it draws a chart, the table bundle if
    it shows an interactive table."""
    parts = []
    if "Plotly.newPlot" in body:
        parts.append(plotly_bundle())
    if "new ITable(" in body and "injectModule(" not in body:
        parts.append(table_bundle())
    return "\n".join(parts)


# The lab template without its loaders from other hosts (require.js, MathJax, mermaid), with the
# page's own libraries and table style in <head>.
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}{{ resources.urbanpolicy_head }}{%- endblock html_head_css -%}
"""


def _outputs_html(nb) -> str:  # noqa: ANN001 - a NotebookNode
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(str(output.get("data", {}).get("text/html", "")))
    return "".join(parts)


def exporter():  # noqa: ANN201 - nbconvert HTMLExporter
    """An HTML exporter for reports: code hidden, no loader from another host (build once, reuse)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exp = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"urbanpolicy.html.j2": _TEMPLATE})],
                       template_file="urbanpolicy.html.j2")
    exp.exclude_input = True
    exp.exclude_input_prompt = True
    exp.exclude_output_prompt = True
    return exp


def in_language(nb, lang: str):  # noqa: ANN001, ANN201 - NotebookNode
    """The notebook without the Markdown cells written for the other language.

    A notebook carries its prose in both languages, as cells tagged ``lang-zh`` and ``lang-en``
    (JupyterLab shows both); a report shows the ones of its ``lang``.  Untagged cells stay.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 概览", metadata={"tags": ["lang-zh"]}),
    ...                                      nbformat.v4.new_markdown_cell("# Overview", metadata={"tags": ["lang-en"]}),
    ...                                      nbformat.v4.new_code_cell("1")])
    >>> [c.source for c in in_language(nb, "zh").cells]
    ['# 概览', '1']
    """
    other = "lang-en" if lang == "zh" else "lang-zh"
    kept = nb.copy()
    kept.cells = [c for c in nb.cells if other not in c.get("metadata", {}).get("tags", [])]
    return kept


def render_html(nb, title: str, lang: str = "zh", html_exporter=None) -> str:  # noqa: ANN001 - NotebookNode
    """The report page of an executed notebook: its title, ``lang``, libraries once in ``<head>``."""
    from .tables import table_css

    nb.metadata["title"] = title
    exp = html_exporter or exporter()
    exp.language_code = lang if lang in ("zh", "en") else "zh"
    nb = in_language(nb, exp.language_code)
    head = page_head(_outputs_html(nb)) + table_css()
    body, _ = exp.from_notebook_node(nb, resources={"urbanpolicy_head": head})
    return body
