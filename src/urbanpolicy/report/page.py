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

# No "share", no "edit in Chart Studio", no plotly logo: nothing that talks to another host.
PLOTLY_CONFIG = {"displaylogo": False, "showLink": False, "showSendToCloud": False,
                 "showEditInChartStudio": False, "responsive": True}

_ITABLES_LINK = re.compile(r"<a href=https?://itables\.org[^>]*>(.*?)</a>", re.S)


class PageRenderer(MimetypeRenderer):
    """Plotly renderer: plotly's JSON for JupyterLab and a plotly.js-free ``<div>`` for HTML.

    The HTML part calls ``Plotly.newPlot`` and relies on the page to define ``Plotly``
    once (``page_head``); it carries no MathJax and no require.js.
    """

    def to_mimebundle(self, fig_dict: dict) -> dict:  # noqa: D102 - plotly's renderer interface
        import plotly.io as pio

        fig = json.loads(pio.to_json(fig_dict, validate=False, remove_uids=False))
        html = pio.to_html(fig, include_plotlyjs=False, include_mathjax=False, full_html=False,
                           config=PLOTLY_CONFIG, validate=False)
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
