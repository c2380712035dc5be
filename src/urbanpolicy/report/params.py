"""Validation of notebook parameters, shared by the CLI and the notebooks themselves.

Each check fails with a one-line ValueError that names the parameter, so a papermill
run stops at the first cell with a message a researcher can act on.
"""

from __future__ import annotations

from pathlib import Path

from urbanpolicy.corpus import check_doc_ids

LANGS = ("zh", "en")


def validate_parameters(parameters: dict, known_doc_ids: set[str] | None = None) -> None:
    """Raise ValueError naming the first bad parameter; return None when all are fine.

    >>> validate_parameters({"lang": "fr"})
    Traceback (most recent call last):
    ...
    ValueError: lang: must be one of zh, en, not 'fr'
    """
    source = parameters.get("source")
    if source not in (None, ""):
        path = Path(str(source))
        if not path.exists():
            raise ValueError(f"source: no such file or folder: {path}")
    lang = parameters.get("lang")
    if lang is not None and lang not in LANGS:
        raise ValueError(f"lang: must be one of {', '.join(LANGS)}, not {lang!r}")
    by = parameters.get("by")
    if by is not None and by not in ("agency", "function"):
        raise ValueError(f"by: must be agency or function, not {by!r}")
    top_n = parameters.get("top_n")
    if top_n is not None and (not isinstance(top_n, int) or isinstance(top_n, bool) or top_n < 1):
        raise ValueError(f"top_n: must be a positive whole number, not {top_n!r}")
    threshold = parameters.get("threshold")
    if threshold is not None and (not isinstance(threshold, int | float) or not 0 <= threshold <= 1):
        raise ValueError(f"threshold: must be a number from 0 to 1, not {threshold!r}")
    tree_doc = parameters.get("tree_doc")
    if tree_doc not in (None, "") and known_doc_ids is not None and tree_doc not in known_doc_ids:
        raise ValueError(f"tree_doc: unknown doc_id {tree_doc!r} (known: {', '.join(sorted(known_doc_ids))})")
    for name in ("chapter_doc",):
        value = parameters.get(name)
        if value not in (None, "") and known_doc_ids is not None and value not in known_doc_ids:
            raise ValueError(f"{name}: unknown doc_id {value!r} (known: {', '.join(sorted(known_doc_ids))})")
    codebook = parameters.get("codebook")
    if codebook not in (None, "") and not Path(str(codebook)).is_file():
        raise ValueError(f"codebook: no such file: {codebook}")
    min_chars = parameters.get("min_chars")
    if min_chars is not None and (not isinstance(min_chars, int) or isinstance(min_chars, bool) or min_chars < 1):
        raise ValueError(f"min_chars: must be a positive whole number, not {min_chars!r}")
    network_file = parameters.get("network_file")
    if network_file not in (None, "") and Path(str(network_file)).suffix.lower() not in (".graphml", ".gexf"):
        raise ValueError(f"network_file: must end in .graphml or .gexf, not {network_file!r}")
    reference = parameters.get("reference")
    if reference not in (None, "") and known_doc_ids is not None and reference not in known_doc_ids:
        raise ValueError(f"reference: unknown doc_id {reference!r} (known: {', '.join(sorted(known_doc_ids))})")
    docs = parameters.get("docs")
    if docs not in (None, "", []):
        if isinstance(docs, str):
            docs = [docs]
        check_doc_ids(docs, known_doc_ids)
