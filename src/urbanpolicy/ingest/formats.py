"""Text out of Word (.docx) and PDF files, with maintained libraries.

``.docx`` is read with python-docx (paragraphs in order, then table cells row by row);
PDF with pypdf, page by page from the text layer.  A PDF without a text layer is a scan:
it is reported as ``unsupported_format`` with the hint to run OCR, never passed on as an
empty document.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass


@dataclass(frozen=True)
class ExtractedText:
    """The text of a .docx or PDF, or the problem (kind, detail) that kept us from it."""

    text: str
    problem: str | None = None
    detail: str = ""


def docx_text(data: bytes) -> ExtractedText:
    """Paragraphs, then table cells, one per line.

    >>> docx_text(b"not a zip").problem
    'undecodable'
    """
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - a damaged file is a problem row, whatever python-docx raises
        return ExtractedText("", "undecodable", f"not a readable .docx file: {type(exc).__name__}: {str(exc)[:120]}")
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                if not cells or cell.text != cells[-1]:  # merged cells repeat their text
                    cells.append(cell.text)
            lines.append(" ".join(cells))
    return ExtractedText("\n".join(lines))


SCAN_HINT = ("PDF without a text layer (a scan?): run OCR on it (e.g. ocrmypdf -l chi_sim FILE OUT.pdf) "
             "or convert it to text, then load it again")


def pdf_text(data: bytes) -> ExtractedText:
    """The text layer of every page, pages separated by a line break.

    >>> pdf_text(b"%PDF-1.4 broken").problem
    'undecodable'
    """
    try:
        import pypdf

        logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings about damaged xrefs are noise here
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001
                return ExtractedText("", "unsupported_format", "encrypted PDF: remove the password, then load it again")
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on damaged files
        return ExtractedText("", "undecodable", f"not a readable PDF: {type(exc).__name__}: {str(exc)[:120]}")
    text = "\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        return ExtractedText("", "unsupported_format", SCAN_HINT)
    return ExtractedText(text)
