"""Validation of notebook parameters, shared by the CLI and the notebooks themselves.

Each check fails with a one-line ValueError that names the parameter, so a papermill
run stops at the first cell with a message a researcher can act on.
"""

from __future__ import annotations

from pathlib import Path

from urbanpolicy.corpus import check_doc_ids

LANGS = ("zh", "en")


DOC_PARAMETERS = ("tree_doc", "reference", "chapter_doc")


def validate_parameters(parameters: dict, known_doc_ids: set[str] | None = None,
                        duplicates: dict[str, str] | None = None, known_task_ids: set[str] | None = None) -> None:
    """Raise ValueError naming the first bad parameter; return None when all are fine.

    A parameter that is present is checked, None included: ``lang``, ``by``, ``top_n`` and
    ``min_chars`` have no None meaning, while ``source``, ``docs``, ``tree_doc``,
    ``reference``, ``chapter_doc``, ``threshold``, ``pair``, ``codebook`` and
    ``network_file`` take None (or empty) for their default.  ``known_doc_ids`` are the
    documents of the corpus after de-duplication, ``duplicates`` maps a left-out
    duplicate to the document it repeats, ``known_task_ids`` the tasks (for ``pair``).

    >>> validate_parameters({"lang": "fr"})
    Traceback (most recent call last):
    ...
    ValueError: lang: must be one of zh, en, not 'fr'
    >>> validate_parameters({"top_n": None})
    Traceback (most recent call last):
    ...
    ValueError: top_n: must be a positive whole number, not None
    """
    duplicates = duplicates or {}
    source = parameters.get("source")
    if source not in (None, ""):
        if not isinstance(source, str):
            raise ValueError(f"source: must be a folder or file path, not {source!r}")
        path = Path(source)
        if not path.exists():
            raise ValueError(f"source: no such file or folder: {path}")
    if "lang" in parameters and parameters["lang"] not in LANGS:
        raise ValueError(f"lang: must be one of {', '.join(LANGS)}, not {parameters['lang']!r}")
    if "by" in parameters and parameters["by"] not in ("agency", "function"):
        raise ValueError(f"by: must be agency or function, not {parameters['by']!r}")
    for name in ("top_n", "min_chars"):
        if name in parameters:
            value = parameters[name]
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name}: must be a positive whole number, not {value!r}")
    if "include_generic" in parameters and not isinstance(parameters["include_generic"], bool):
        raise ValueError(f"include_generic: must be True or False, not {parameters['include_generic']!r}")
    threshold = parameters.get("threshold")
    if threshold is not None and (not isinstance(threshold, int | float) or isinstance(threshold, bool)
                                  or not 0 <= threshold <= 1):
        raise ValueError(f"threshold: must be a number from 0 to 1 (or None for the default), not {threshold!r}")
    for name in DOC_PARAMETERS:
        value = parameters.get(name)
        if value in (None, ""):
            continue
        if not isinstance(value, str):
            raise ValueError(f"{name}: must be a doc_id, not {value!r}")
        _check_doc_id(name, value, known_doc_ids, duplicates)
    codebook = parameters.get("codebook")
    if codebook not in (None, "") and not Path(str(codebook)).is_file():
        raise ValueError(f"codebook: no such file: {codebook}")
    network_file = parameters.get("network_file")
    if network_file not in (None, "") and Path(str(network_file)).suffix.lower() not in (".graphml", ".gexf"):
        raise ValueError(f"network_file: must end in .graphml or .gexf, not {network_file!r}")
    pair = parameters.get("pair")
    if pair not in (None, "", []):
        if not isinstance(pair, list | tuple) or len(pair) != 2 or not all(isinstance(t, str) for t in pair):
            raise ValueError(f"pair: must be two task_ids, e.g. [doc_a:一/（一）, doc_b:二/（三）], not {pair!r}")
        if known_task_ids is not None:
            unknown = [t for t in pair if t not in known_task_ids]
            if unknown:
                raise ValueError(f"pair: unknown task_id {unknown[0]!r} (see the tasks table's task_id column)")
    docs = parameters.get("docs")
    if docs not in (None, "", []):
        if isinstance(docs, str):
            docs = [docs]
        for doc in docs if isinstance(docs, list | tuple) else []:
            if isinstance(doc, str) and doc in duplicates:
                _check_doc_id("docs", doc, known_doc_ids, duplicates)
        check_doc_ids(docs, known_doc_ids)


def _check_doc_id(name: str, value: str, known: set[str] | None, duplicates: dict[str, str]) -> None:
    if value in duplicates:
        raise ValueError(f"{name}: {value!r} is a duplicate of {duplicates[value]!r} (same clean text) and is left "
                         f"out of the tables; use {duplicates[value]!r}")
    if known is not None and value not in known:
        raise ValueError(f"{name}: unknown doc_id {value!r} (known: {', '.join(sorted(known))})")
