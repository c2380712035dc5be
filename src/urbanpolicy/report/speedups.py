"""Start-up speed: avoid an optional import that costs seconds in every notebook process.

``nbformat`` → ``jsonschema`` imports ``rfc3987_syntax`` when it is installed (JupyterLab
pulls it in), and that module compiles about 40 lark grammars at import: 3–6 s on this
machine, paid by every process that reads or writes a notebook — including each kernel,
because plotly's notebook renderer imports nbformat.  jsonschema treats the module as
optional (it only adds IRI format checks, which notebooks never use), so we mark it
absent before nbformat is imported.  Nothing else in the process changes.
"""

from __future__ import annotations

import sys


def skip_slow_optional_imports() -> None:
    """Mark ``rfc3987_syntax`` as unavailable unless jsonschema has already been imported."""
    if "rfc3987_syntax" not in sys.modules and "jsonschema" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
