"""Diffusion dyads: one row per ordered pair (earlier, later) of documents, ready for a regression.

``dyads(corpus)`` pairs every two documents by date (issue date, else publication
date; documents with neither are left out) and describes how the later one relates to
the earlier:

* ``kind`` — ``vertical`` (a higher level to a lower one, or the later cites the
  earlier), ``horizontal`` (same level, another region: policy learning between
  provinces or cities), ``upward`` (a lower level before a higher one, no citation) or
  ``same_region`` (the same government again, e.g. two national documents).
* ``gap_days`` — days between the two dates.
* ``cites`` — the later document cites the earlier (``references.cited_doc_id``).
* ``share_covered`` — share of the earlier's tasks with a counterpart in the later
  (``urbanpolicy.coverage`` at its default threshold).
* ``verbatim_share`` — share of the later's clean text inside passages of at least
  ``min_chars`` characters that also occur in the earlier's text (default 15: long
  enough that stock phrases such as 以习近平新时代中国特色社会主义思想为指导 count but
  shared two-word terms do not).
* what the later adds: ``added_tasks`` (its tasks with no counterpart in the earlier),
  ``added_targets`` (its targets whose indicator the earlier never mentions),
  ``added_bodies`` (responsible bodies it names that the earlier does not) and
  ``later_deadlines`` (deadlines it sets).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from .coverage import DEFAULT_THRESHOLD, coverage

LEVEL_ORDER = {"national": 0, "provincial": 1, "municipal": 2, "county": 3}
DYAD_COLUMNS = ["earlier", "later", "kind", "cites", "level_earlier", "level_later", "region_earlier",
                "region_later", "date_earlier", "date_later", "gap_days", "tasks_earlier", "tasks_covered",
                "share_covered", "verbatim_chars", "verbatim_share", "tasks_later", "added_tasks",
                "added_targets", "added_bodies", "later_deadlines"]
DEFAULT_MIN_CHARS = 15


def verbatim_mask(earlier: str, later: str, min_chars: int = DEFAULT_MIN_CHARS) -> np.ndarray:
    """Boolean array over ``later``: True where the character lies in a passage of at least
    ``min_chars`` characters that also occurs in ``earlier``.  Linear in both lengths
    (a set of the earlier's ``min_chars``-grams, one pass over the later).

    >>> verbatim_mask("甲乙丙丁戊己", "子甲乙丙丁丑", 4).tolist()
    [False, True, True, True, True, False]
    """
    if min_chars < 1:
        raise ValueError("min_chars must be at least 1")
    covered = np.zeros(len(later), dtype=bool)
    if len(earlier) < min_chars or len(later) < min_chars:
        return covered
    grams = {earlier[i:i + min_chars] for i in range(len(earlier) - min_chars + 1)}
    starts = [i for i in range(len(later) - min_chars + 1) if later[i:i + min_chars] in grams]
    # mark each matching window: a running "covered until" avoids re-marking overlaps
    until = -1
    for i in starts:
        lo = max(i, until)
        covered[lo:i + min_chars] = True
        until = i + min_chars
    return covered


def _kind(a, b, cites: bool) -> str:  # noqa: ANN001 - document rows
    la, lb = LEVEL_ORDER.get(a.level), LEVEL_ORDER.get(b.level)
    if cites or (la is not None and lb is not None and la < lb):
        return "vertical"
    if la is not None and la == lb:
        return "same_region" if a.region == b.region else "horizontal"
    if la is not None and lb is not None and la > lb:
        return "upward"
    return "unknown"


def dyads(corpus, docs: list[str] | None = None, min_chars: int = DEFAULT_MIN_CHARS,
          threshold: float | None = None) -> pd.DataFrame:
    """One row per ordered pair (earlier, later) of dated documents; see the module docstring.

    Pairs are ordered by date (ties by doc_id); rows follow the earlier's then the
    later's date.

    >>> import urbanpolicy as up                                         # doctest: +SKIP
    >>> up.dyads(up.load_corpus())[["earlier", "later", "kind", "gap_days"]]  # doctest: +SKIP
    """
    threshold = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    documents = corpus.documents if not docs else corpus.documents[corpus.documents["doc_id"].isin(docs)]
    documents = documents.assign(date=documents["issued"].fillna(documents["published"]))
    documents = documents[documents["date"].notna()].sort_values(["date", "doc_id"], kind="stable")
    cited = {(r.doc_id, r.cited_doc_id) for r in corpus.references.itertuples()
             if isinstance(r.cited_doc_id, str)}
    bodies = corpus.assignments.groupby("doc_id")["agency"].agg(lambda s: set(s.dropna()))
    targets = corpus.targets[corpus.targets["kind"] == "target"]
    deadlines = corpus.dates[corpus.dates["kind"] == "deadline"].groupby("doc_id").size()
    rows = []
    for a, b in combinations(list(documents.itertuples(index=False)), 2):
        forward = coverage(corpus, a.doc_id, [b.doc_id], threshold=threshold)
        backward = coverage(corpus, b.doc_id, [a.doc_id], threshold=threshold)
        mask = verbatim_mask(a.text, b.text, min_chars)
        later_targets = targets[targets["doc_id"] == b.doc_id]["indicator"].dropna()
        is_cited = (b.doc_id, a.doc_id) in cited
        rows.append({
            "earlier": a.doc_id, "later": b.doc_id, "kind": _kind(a, b, is_cited), "cites": is_cited,
            "level_earlier": a.level, "level_later": b.level, "region_earlier": a.region, "region_later": b.region,
            "date_earlier": a.date, "date_later": b.date, "gap_days": int((b.date - a.date).days),
            "tasks_earlier": len(forward), "tasks_covered": int(forward["covered"].sum()),
            "share_covered": float(forward["covered"].mean()) if len(forward) else np.nan,
            "verbatim_chars": int(mask.sum()), "verbatim_share": float(mask.mean()) if len(mask) else np.nan,
            "tasks_later": len(backward), "added_tasks": int((~backward["covered"]).sum()),
            "added_targets": int(sum(ind not in a.text for ind in later_targets)),
            "added_bodies": len(bodies.get(b.doc_id, set()) - bodies.get(a.doc_id, set())),
            "later_deadlines": int(deadlines.get(b.doc_id, 0)),
        })
    out = pd.DataFrame(rows, columns=DYAD_COLUMNS)
    return out.astype({"cites": bool, "gap_days": "int64", "tasks_earlier": "int64", "tasks_covered": "int64",
                       "verbatim_chars": "int64", "tasks_later": "int64", "added_tasks": "int64",
                       "added_targets": "int64", "added_bodies": "int64", "later_deadlines": "int64"})
