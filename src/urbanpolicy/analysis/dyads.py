"""Diffusion dyads: one row per candidate pair (earlier, later) of documents, ready for a regression.

``dyads(corpus)`` orders the documents by date (issue date, else publication date;
documents with neither are left out) and pairs each document with the earlier documents
it may have taken policy from — its *candidate sources*:

* every earlier document it **cites** (``references.cited_doc_id``);
* the ``MAX_SOURCES`` earlier documents **above it in its own hierarchy** whose tasks are
  most similar to its own: a national document above every lower one, a provincial one
  above the documents of its province, a municipal one above the county documents of its
  province (the gazetteer does not say which prefecture a county belongs to);
* from ``MIN_SIMILARITY`` on, the ``MAX_SOURCES`` most similar earlier documents of its
  own government (a series: last year's work points), the ``MAX_SOURCES`` most similar of
  other governments of its level (horizontal learning between provinces or cities) and
  the ``MAX_SOURCES`` most similar others (a local text taken up higher, a higher level
  outside its hierarchy) — each kind has its own places, so a long series of one
  government cannot crowd out its neighbours.

Similarity is the cosine of the documents' TF-IDF vectors over the character 2–3-grams of
their tasks (the texts ``alignment.task_texts`` compares; IDF over the dated documents),
computed for all documents at once from the n-grams counted once (``TaskNgrams``).  This
is the blocking step of text-reuse studies: **a pair with no candidate relation gets no
row** — it is not a zero, it was not computed.  Read the absence of a pair as "no citation,
no level step in one hierarchy and little shared wording", not as a measured 0 % coverage.
On the seeds every pair is a candidate (similarities 0.116–0.314, at most four earlier
documents each), so the ten rows are those of the all-pairs version ``dyads_reference``
(a test).  Without the cap, 500 documents made 124,750 pairs; with it each document has
at most 4 × ``MAX_SOURCES`` sources besides the ones it cites.

Each row describes how the later relates to the earlier:

* ``kind`` — ``vertical`` (a higher level to a lower one, or the later cites the
  earlier), ``horizontal`` (same level, another region: policy learning between
  provinces or cities), ``upward`` (a lower level before a higher one, no citation) or
  ``same_region`` (the same government again, e.g. two national documents).
* ``gap_days`` — days between the two dates.
* ``cites`` — the later document cites the earlier (``references.cited_doc_id``).
* ``similarity`` — the document similarity above.
* ``share_covered`` — share of the earlier's tasks with a counterpart in the later
  (``urbanpolicy.coverage`` at its default threshold: the same best matches and scores,
  the two documents' n-grams counted once).
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
import scipy.sparse as sp

from .alignment import DEFAULT_METHOD, TaskNgrams
from .coverage import DEFAULT_THRESHOLD, coverage_reference

LEVEL_ORDER = {"national": 0, "provincial": 1, "municipal": 2, "county": 3}
DYAD_COLUMNS = ["earlier", "later", "kind", "cites", "level_earlier", "level_later", "region_earlier",
                "region_later", "date_earlier", "date_later", "gap_days", "similarity", "tasks_earlier",
                "tasks_covered", "share_covered", "verbatim_chars", "verbatim_share", "tasks_later", "added_tasks",
                "added_targets", "added_bodies", "later_deadlines"]
DEFAULT_MIN_CHARS = 15
# At most this many sources per later document of each kind (above it, its own government, its
# level, others): a document implements a few higher-level texts and learns from a few peers; at
# 500 documents that is at most 6,000 pairs (plus citations) instead of 124,750.
MAX_SOURCES = 3
# Document similarity from which two documents not linked by citation or hierarchy are paired.
# The seeds' pairs (all on urbanisation, read as related) lie at 0.116–0.314.  Between the 20
# real excerpts of ../shared/realworld (other governments, other parts of their plans) the
# median is 0.035 and three quarters lie below 0.061; the pairs above 0.1 are a text and its
# traditional-script copy (0.82), two county-seat urbanisation plans (0.25), the NDRC's and
# Ningxia's 2022 key tasks (0.16-0.18) and old-estate renewal against county measures (0.11-0.13).
# Chosen by reading those, not tuned further; a pair just below it is simply not compared.
MIN_SIMILARITY = 0.1


def verbatim_mask(earlier: str, later: str, min_chars: int = DEFAULT_MIN_CHARS) -> np.ndarray:
    """Boolean array over ``later``: True where the character lies in a passage of at least
    ``min_chars`` characters that also occurs in ``earlier``.  Linear in both lengths.

    >>> verbatim_mask("甲乙丙丁戊己", "子甲乙丙丁丑", 4).tolist()
    [False, True, True, True, True, False]
    """
    if min_chars < 1:
        raise ValueError("min_chars must be at least 1")
    return _Windows(earlier, min_chars).mask_in(_Windows(later, min_chars))


class _Windows:
    """The ``size``-character windows of a text as 64-bit polynomial hashes, for exact
    "does this window occur in that text" tests in numpy (hash hits are confirmed by
    comparing the characters, so a collision cannot mark a passage)."""

    _BASE = np.uint64(0x100000001B3)

    def __init__(self, text: str, size: int) -> None:
        self.size = size
        self.length = len(text)
        self.points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        n = max(self.length - size + 1, 0)
        hashes = np.zeros(n, dtype=np.uint64)
        if n:
            with np.errstate(over="ignore"):
                for k in range(size):
                    hashes = hashes * self._BASE + self.points[k:k + n].astype(np.uint64)
        self.hashes = hashes
        self._index: tuple[pd.Index, np.ndarray] | None = None

    def _table(self) -> tuple[pd.Index, np.ndarray]:
        """A hash table of this text's distinct window hashes and the first window of each."""
        if self._index is None:
            codes, first = pd.factorize(self.hashes)[0], None
            first = np.full(codes.max() + 1 if len(codes) else 0, -1, dtype=np.int64)
            first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the lowest position wins
            self._index = (pd.Index(self.hashes[first]), first)
        return self._index

    def window(self, starts: np.ndarray) -> np.ndarray:
        return self.points[starts[:, None] + np.arange(self.size)]

    def mask_in(self, later: _Windows) -> np.ndarray:
        """True over ``later``'s characters inside a window that also occurs in this text."""
        covered = np.zeros(later.length, dtype=bool)
        if not len(self.hashes) or not len(later.hashes):
            return covered
        index, first = self._table()
        found = index.get_indexer(later.hashes)
        hit = np.flatnonzero(found >= 0)
        if not len(hit):
            return covered
        same = (self.window(first[found[hit]]) == later.window(hit)).all(axis=1)
        starts = list(hit[same])
        for i in hit[~same]:  # a hash collision with that hash's first window: try its other windows
            others = np.flatnonzero(self.hashes == later.hashes[i])
            if (self.window(others) == later.window(np.array([i]))).all(axis=1).any():
                starts.append(i)
        starts = np.asarray(starts, dtype=np.int64)
        depth = np.zeros(later.length + 1, dtype=np.int64)
        np.add.at(depth, starts, 1)
        np.add.at(depth, starts + self.size, -1)
        return np.cumsum(depth[:-1]) > 0


def _kind(a, b, cites: bool) -> str:  # noqa: ANN001 - document rows
    la, lb = LEVEL_ORDER.get(a.level), LEVEL_ORDER.get(b.level)
    if cites or (la is not None and lb is not None and la < lb):
        return "vertical"
    if la is not None and la == lb:
        return "same_region" if a.region == b.region else "horizontal"
    if la is not None and lb is not None and la > lb:
        return "upward"
    return "unknown"


def _above(a, b) -> bool:  # noqa: ANN001 - document rows
    """``a`` is a government above ``b`` in ``b``'s own hierarchy."""
    la, lb = LEVEL_ORDER.get(a.level), LEVEL_ORDER.get(b.level)
    if la is None or lb is None or la >= lb:
        return False
    if a.level == "national":
        return True
    if a.level == "provincial":
        return isinstance(b.province, str) and a.region == b.province
    return b.level == "county" and isinstance(b.province, str) and a.province == b.province


def document_similarity(engine: TaskNgrams, doc_ids: list[str]) -> np.ndarray:
    """Cosine similarity of the documents' TF-IDF vectors over their tasks' character 2–3-grams.

    Returns a (len(doc_ids), len(doc_ids)) array; a document without tasks is 0 to all.
    A document's counts are the sums of its tasks' counts; tf is sublinear, IDF smoothed
    over ``doc_ids``.
    """
    counts = engine.document_counts(doc_ids)
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    idf = np.log((len(doc_ids) + 1) / (df + 1)) + 1
    weights = counts.copy()
    weights.data = (1 + np.log(weights.data.astype(np.float64))) * idf[weights.indices]
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    weights = sp.diags(1 / norms) @ weights
    return (weights @ weights.T).toarray()


def candidate_pairs(documents: pd.DataFrame, similarity: np.ndarray, cited: set[tuple[str, str]],
                    max_sources: int = MAX_SOURCES, min_similarity: float = MIN_SIMILARITY) -> list[tuple[int, int]]:
    """The (earlier, later) positions in ``documents`` (sorted by date) that ``dyads`` compares.

    For each later document: the earlier ones it cites; its ``max_sources`` most similar
    earlier documents above it in its hierarchy; and, from ``min_similarity``, its
    ``max_sources`` most similar earlier documents of its own government, as many of other
    governments of its level, and as many others (lower levels, or higher ones outside its
    hierarchy).  Ties go to the earlier position.  Returned sorted.

    >>> docs = pd.DataFrame({"doc_id": ["n", "p", "q"], "level": ["national", "provincial", "provincial"],
    ...                      "region": ["全国", "湖北省", "湖南省"], "province": [None, "湖北省", "湖南省"]})
    >>> sim = np.array([[1, .05, .3], [.05, 1, .02], [.3, .02, 1]])
    >>> candidate_pairs(docs, sim, cited=set())      # n above both; p and q share little
    [(0, 1), (0, 2)]
    """
    rows = list(documents.itertuples(index=False))
    chosen: set[tuple[int, int]] = set()
    for j, later in enumerate(rows):
        groups: dict[str, list[int]] = {"above": [], "same_government": [], "same_level": [], "other": []}
        for i in sorted(range(j), key=lambda i: (-similarity[i, j], i)):
            earlier = rows[i]
            if _above(earlier, later):
                groups["above"].append(i)
            elif similarity[i, j] >= min_similarity:
                if earlier.level == later.level:
                    groups["same_government" if earlier.region == later.region else "same_level"].append(i)
                else:
                    groups["other"].append(i)
            if (later.doc_id, earlier.doc_id) in cited:
                chosen.add((i, j))
        for found in groups.values():
            chosen.update((i, j) for i in found[:max_sources])
    return sorted(chosen)


def dyads(corpus, docs: list[str] | None = None, min_chars: int = DEFAULT_MIN_CHARS,  # noqa: ANN001 - Corpus
          threshold: float | None = None) -> pd.DataFrame:
    """One row per candidate pair (earlier, later) of dated documents; see the module docstring.

    Pairs are ordered by date (ties by doc_id); rows follow the earlier's then the
    later's date.

    >>> import urbanpolicy as up                                         # doctest: +SKIP
    >>> up.dyads(up.load_corpus())[["earlier", "later", "kind", "gap_days"]]  # doctest: +SKIP
    """
    if min_chars < 1:
        raise ValueError("min_chars must be at least 1")
    threshold = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    documents = corpus.documents if not docs else corpus.documents[corpus.documents["doc_id"].isin(docs)]
    documents = documents.assign(date=documents["issued"].fillna(documents["published"]))
    documents = documents[documents["date"].notna()].sort_values(["date", "doc_id"], kind="stable")
    documents = documents.reset_index(drop=True)
    doc_ids = documents["doc_id"].to_list()
    if len(doc_ids) < 2:
        return _typed(pd.DataFrame(columns=DYAD_COLUMNS))
    cited = {(r.doc_id, r.cited_doc_id) for r in corpus.references.itertuples()
             if isinstance(r.cited_doc_id, str)}
    engine = TaskNgrams(corpus, doc_ids, method=DEFAULT_METHOD)
    similarity = document_similarity(engine, doc_ids)
    pairs = candidate_pairs(documents, similarity, cited)
    kinds = corpus.tasks.set_index("task_id")["kind"] if "kind" in corpus.tasks else None
    is_task = {d: (np.array([kinds.get(t) == "task" for t in engine.task_ids.get(d, [])], dtype=bool)
                   if kinds is not None else np.ones(len(engine.task_ids.get(d, [])), dtype=bool))
               for d in doc_ids}
    bodies = corpus.assignments.groupby("doc_id")["agency"].agg(lambda s: set(s.dropna()))
    targets = corpus.targets[corpus.targets["kind"] == "target"]
    indicators = targets.groupby("doc_id")["indicator"].agg(lambda s: list(s.dropna()))
    deadlines = corpus.dates[corpus.dates["kind"] == "deadline"].groupby("doc_id").size()
    rows_ = list(documents.itertuples(index=False))
    windows: dict[int, _Windows] = {}

    def windows_of(i: int) -> _Windows:
        if i not in windows:
            windows[i] = _Windows(rows_[i].text, min_chars)
        return windows[i]

    # a document's windows are dropped after its last pair: ~40 bytes a character, not all held at once
    last_use = {}
    for k, (i, j) in enumerate(pairs):
        last_use[i] = last_use[j] = k
    out = []
    for k, (i, j) in enumerate(pairs):
        a, b = rows_[i], rows_[j]
        (_, forward), (_, backward) = engine.best(a.doc_id, b.doc_id)
        forward = forward[is_task[a.doc_id]] >= threshold
        backward = backward[is_task[b.doc_id]] >= threshold
        mask = windows_of(i).mask_in(windows_of(j))
        for done in {i, j}:
            if last_use[done] == k:
                del windows[done]
        is_cited = (b.doc_id, a.doc_id) in cited
        out.append({
            "earlier": a.doc_id, "later": b.doc_id, "kind": _kind(a, b, is_cited), "cites": is_cited,
            "level_earlier": a.level, "level_later": b.level, "region_earlier": a.region, "region_later": b.region,
            "date_earlier": a.date, "date_later": b.date, "gap_days": int((b.date - a.date).days),
            "similarity": float(similarity[i, j]),
            "tasks_earlier": len(forward), "tasks_covered": int(forward.sum()),
            "share_covered": float(forward.mean()) if len(forward) else np.nan,
            "verbatim_chars": int(mask.sum()), "verbatim_share": float(mask.mean()) if len(mask) else np.nan,
            "tasks_later": len(backward), "added_tasks": int((~backward).sum()),
            "added_targets": int(sum(ind not in a.text for ind in indicators.get(b.doc_id, []))),
            "added_bodies": len(bodies.get(b.doc_id, set()) - bodies.get(a.doc_id, set())),
            "later_deadlines": int(deadlines.get(b.doc_id, 0)),
        })
    return _typed(pd.DataFrame(out, columns=DYAD_COLUMNS))


def _typed(out: pd.DataFrame) -> pd.DataFrame:
    return out.astype({"cites": bool, "gap_days": "int64", "similarity": float, "tasks_earlier": "int64",
                       "tasks_covered": "int64", "verbatim_chars": "int64", "tasks_later": "int64",
                       "added_tasks": "int64", "added_targets": "int64", "added_bodies": "int64",
                       "later_deadlines": "int64"})


# ----------------------------------------------------------------- reference implementations


def verbatim_mask_reference(earlier: str, later: str, min_chars: int = DEFAULT_MIN_CHARS) -> np.ndarray:
    """``verbatim_mask`` with a Python set of the earlier's ``min_chars``-grams and one pass
    over the later: the reference implementation, kept until the numpy version is proven.

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


def dyads_reference(corpus, docs: list[str] | None = None, min_chars: int = DEFAULT_MIN_CHARS,
          threshold: float | None = None) -> pd.DataFrame:
    """``dyads`` for *every* ordered pair of dated documents, with ``coverage`` and
    ``verbatim_mask_reference`` run per pair (quadratic: 500 documents did not finish in
    5 minutes): the reference implementation, kept until the candidate pairs and the
    n-grams counted once are proven.  No ``similarity`` column.
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
        forward = coverage_reference(corpus, a.doc_id, [b.doc_id], threshold=threshold)
        backward = coverage_reference(corpus, b.doc_id, [a.doc_id], threshold=threshold)
        mask = verbatim_mask_reference(a.text, b.text, min_chars)
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
    out = pd.DataFrame(rows, columns=[c for c in DYAD_COLUMNS if c != "similarity"])
    return out.astype({"cites": bool, "gap_days": "int64", "tasks_earlier": "int64", "tasks_covered": "int64",
                       "verbatim_chars": "int64", "tasks_later": "int64", "added_tasks": "int64",
                       "added_targets": "int64", "added_bodies": "int64", "later_deadlines": "int64"})
