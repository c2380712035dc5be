"""Coverage of a reference document's tasks by other documents, and reused wording.

``coverage(corpus, reference)`` asks, for every task of ``reference`` (e.g. the
national 十四五 plan) and every other document, which task of that document is most
similar (``urbanpolicy.analysis.alignment``, default method) and whether the score reaches
``threshold``.  ``reuse`` and ``highlight_reuse`` show the passages two tasks share
word for word.

How DEFAULT_THRESHOLD = 0.08 was chosen (char 2–3-gram TF-IDF, clauses stripped,
measured on the seeds; see tests/fixtures/alignment_pairs.csv).  It was re-checked for
the ``sentences`` method that became the default with issue 13: true pairs min 0.094,
no-counterpart best 0.060, unmatched national tasks 0.022–0.030, so 0.08 still
separates them.  With ``char``:

* true Hubei → Hunan pairs (22): cosine min 0.101, 10th percentile 0.143, median 0.293;
* Hubei tasks with no Hunan counterpart (（十八）改善城市治理方式,
  （二十二）大力发展乡村产业): best score 0.061 and 0.056;
* national-plan tasks no province takes up (（二十一）优化边境地区城镇布局,
  （五十）加强党的全面领导, （四十一）健全投融资机制, （三十）管网更新改造):
  best score in Hubei and Hunan 0.026–0.037.

0.08 lies between the highest "no counterpart" score (0.061) and the lowest true pair
(0.101), a little nearer the first because a missed counterpart costs more in a
coverage table than a weak one shown with its score.  It is not a sharp boundary:
the best *wrong* match of a paired Hubei task reaches 0.151 (90th percentile 0.095),
so ``covered`` says "some task of the document is about the same thing", and the
score and best_task_id should be read with it.  Scores depend on method; the threshold
is calibrated for ``char`` and ``sentences`` only.

Before tasks had kinds, the 52 numbered items of the national 十四五 plan (002) were covered
by Hubei 24, Hunan 20, the State Council's 2024 action plan 26 and Qingyang 15 (``sentences``;
with ``char`` 27, 23, 29 and 17: a national task counts as taken up when the local task matches
it as a whole or sentence by sentence, not when one of its many sentences is echoed).

Only the reference's tasks proper are compared (``tasks.kind == "task"``): its
context (主要进展, 发展形势), principles, goals and safeguards are left out.  A cell
between ``PARTLY_FACTOR`` × threshold and the threshold is shown as "partly covered".

With it, the 44 tasks of the national 十四五 plan (002; 52 numbered items less 2 context,
2 principles, 1 goal and 3 safeguards) are covered by Hubei 23, Hunan 18, the State Council's
2024 action plan 21 and Qingyang's household-registration plan 11 (``char``: 25, 21, 23, 11).

>>> coverage(corpus, "002_03000616a6599640").head()       # doctest: +SKIP
"""

from __future__ import annotations

import html
from difflib import SequenceMatcher

import numpy as np
import pandas as pd

from urbanpolicy import settings
from urbanpolicy.analysis.alignment import DEFAULT_METHOD, TaskNgrams, align, task_texts

DEFAULT_THRESHOLD = settings.COVERAGE_THRESHOLD
# From 0.75 × 0.08 = 0.06, the highest score of a task with no counterpart (0.061): "partly covered".
PARTLY_FACTOR = 0.75
LEVEL_RANK = {"national": 0, "provincial": 1, "municipal": 2, "county": 3}
COVERAGE_COLUMNS = ["reference_task_id", "doc_id", "best_task_id", "score", "covered"]
PASSAGE_COLUMNS = ["text", "a_start", "a_end", "b_start", "b_end", "length"]


def coverage(corpus, reference: str, docs: list[str] | None = None,  # noqa: ANN001 - Corpus
             threshold: float | None = None, method: str = DEFAULT_METHOD, _per_pair: bool = False) -> pd.DataFrame:
    """One row per task of ``reference`` × document of ``docs`` (default: all others).

    Returns columns reference_task_id, doc_id, best_task_id (None when the document
    has no comparable task), score (cosine 0–1), covered (score ≥ threshold, default
    ``DEFAULT_THRESHOLD``).  Rows follow reference task order, then ``docs`` order.

    >>> cov = coverage(corpus, "002_03000616a6599640")        # doctest: +SKIP
    >>> cov.groupby("doc_id")["covered"].mean()               # doctest: +SKIP

    With ``char`` and ``sentences`` the tasks' n-grams are counted once for all documents
    (``TaskNgrams``); ``coverage_reference`` is the version that runs ``align`` per document,
    kept as the reference until the switch is proven (a test compares them).
    """
    threshold = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    known = corpus.documents["doc_id"].to_list()
    if reference is None and not known:  # an empty folder: nothing to measure against
        return pd.DataFrame(columns=COVERAGE_COLUMNS).astype({"score": float, "covered": bool})
    if reference not in known:
        raise ValueError(f"unknown reference document {reference!r}")
    if docs is None:
        docs = [d for d in known if d != reference]
    unknown = [d for d in docs if d not in known]
    if unknown:
        raise ValueError(f"unknown document {unknown[0]!r}")
    ref_ids = task_texts(corpus, reference)["task_id"].to_list()
    if "kind" in corpus.tasks:
        kinds = corpus.tasks.set_index("task_id")["kind"]
        ref_ids = [t for t in ref_ids if kinds.get(t) == "task"]
    if method in ("char", "sentences") and not _per_pair:  # n-grams counted once for all documents, not once per pair
        engine = TaskNgrams(corpus, [reference, *docs], method=method)
        frames = [_best_matches_counted(engine, reference, ref_ids, doc) for doc in docs]
    else:
        frames = [_best_matches(corpus, reference, ref_ids, doc, method) for doc in docs]
    if not frames:
        return pd.DataFrame(columns=COVERAGE_COLUMNS).astype({"score": float, "covered": bool})
    out = pd.concat(frames, ignore_index=True)
    # reference task order first, documents in the order given
    out["_task"] = out["reference_task_id"].map({t: i for i, t in enumerate(ref_ids)})
    out["_doc"] = out["doc_id"].map({d: i for i, d in enumerate(docs)})
    out = out.sort_values(["_task", "_doc"], kind="stable").drop(columns=["_task", "_doc"])
    out["covered"] = out["score"] >= threshold
    return out.reset_index(drop=True)[COVERAGE_COLUMNS]


def coverage_reference(corpus, reference: str, docs: list[str] | None = None,  # noqa: ANN001 - Corpus
                       threshold: float | None = None, method: str = DEFAULT_METHOD) -> pd.DataFrame:
    """``coverage`` computed with ``align`` for each document in turn (TF-IDF fitted per pair,
    both texts cut into n-grams again each time): the reference implementation, kept until
    ``coverage``'s n-grams counted once are proven.  Same columns and rows as ``coverage``.
    """
    return coverage(corpus, reference, docs, threshold, method, _per_pair=True)


def _best_matches_counted(engine: TaskNgrams, reference: str, ref_ids: list[str], doc: str) -> pd.DataFrame:
    (index, score), _ = engine.best(reference, doc)
    targets = engine.task_ids.get(doc, np.array([], dtype=object))
    found = dict(zip(engine.task_ids.get(reference, []), zip(index, score, strict=True), strict=True))
    best = [found.get(t, (-1, 0.0)) for t in ref_ids]
    return pd.DataFrame({
        "reference_task_id": ref_ids,
        "doc_id": doc,
        "best_task_id": [targets[i] if i >= 0 else None for i, _ in best],
        "score": [float(sc) for _, sc in best],
    })


def _best_matches(corpus, reference: str, ref_ids: list[str], doc: str, method: str) -> pd.DataFrame:
    best = align(corpus, reference, doc, top_k=1, method=method)
    best = best.set_index("source_task_id")
    return pd.DataFrame({
        "reference_task_id": ref_ids,
        "doc_id": doc,
        "best_task_id": [best["target_task_id"].get(t) for t in ref_ids],
        "score": [float(best["score"].get(t, 0.0)) for t in ref_ids],
    })


# ----------------------------------------------------------------- reuse


def _task(corpus, task_id: str) -> pd.Series:
    rows = corpus.tasks[corpus.tasks["task_id"] == task_id]
    if rows.empty:
        raise ValueError(f"unknown task {task_id!r}")
    return rows.iloc[0]


def reuse(corpus, task_a: str, task_b: str, min_chars: int = 8) -> dict:
    """Passages that tasks ``task_a`` and ``task_b`` share word for word.

    Returns {"passages": DataFrame(text, a_start, a_end, b_start, b_end, length),
    "ratio": shared characters / characters of task_a (label excluded)}.  Offsets are into each task's
    document text, so ``text == corpus.text(doc_a)[a_start:a_end]``.  Passages are the
    in-order matching blocks of ``difflib.SequenceMatcher`` (no junk heuristic) of at
    least ``min_chars`` characters; a passage moved to another place in task_b is
    found only if it does not cross an earlier match.

    >>> r = reuse(corpus, "000_d903ec7be93ef826:四/（十四）", "001_217c44fc42c73619:五/（十四）")  # doctest: +SKIP
    >>> r["passages"]["text"].iloc[0]                                  # doctest: +SKIP
    '体系。加快发展城市公共交通，完善非机动车道、人行道和休闲绿道等城市慢行系统'
    """
    if min_chars < 1:
        raise ValueError("min_chars must be at least 1")
    a, b = _task(corpus, task_a), _task(corpus, task_b)
    # Labels are left out: two "（十四）" are the same numbering, not reused wording.
    skip_a, skip_b = _label_length(a), _label_length(b)
    text_a, text_b = a["text"][skip_a:], b["text"][skip_b:]
    base_a, base_b = int(a["start"]) + skip_a, int(b["start"]) + skip_b
    matcher = SequenceMatcher(None, text_a, text_b, autojunk=False)
    rows = [{"text": text_a[m.a:m.a + m.size],
             "a_start": base_a + m.a, "a_end": base_a + m.a + m.size,
             "b_start": base_b + m.b, "b_end": base_b + m.b + m.size,
             "length": m.size}
            for m in matcher.get_matching_blocks() if m.size >= min_chars]
    passages = pd.DataFrame(rows, columns=PASSAGE_COLUMNS).astype(
        {c: "int64" for c in PASSAGE_COLUMNS[1:]})
    shared = int(passages["length"].sum())
    return {"passages": passages, "ratio": shared / len(text_a) if text_a else 0.0}


def _label_length(task: pd.Series) -> int:
    label = task["label"]
    return len(label) if isinstance(label, str) and task["text"].startswith(label) else 0


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` html-escaped, with each (start, end) span wrapped in <mark>."""
    out, pos = [], 0
    for start, end in sorted(spans):
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def highlight_reuse(corpus, task_a: str, task_b: str, min_chars: int = 8) -> str:
    """HTML of the two task texts side by side, shared passages in <mark>.

    Every piece of document text (and the task ids) is ``html.escape``d, so the
    result is safe to display whatever the documents contain.

    >>> html_text = highlight_reuse(corpus, "000_…:四/（十四）", "001_…:五/（十四）")  # doctest: +SKIP
    """
    found = reuse(corpus, task_a, task_b, min_chars)
    a, b = _task(corpus, task_a), _task(corpus, task_b)
    p = found["passages"]
    spans_a = [(s - int(a["start"]), e - int(a["start"])) for s, e in zip(p["a_start"], p["a_end"], strict=True)]
    spans_b = [(s - int(b["start"]), e - int(b["start"])) for s, e in zip(p["b_start"], p["b_end"], strict=True)]
    column = ('<div style="flex:1;padding:0 .5em;white-space:pre-wrap">'
              '<h4>{}</h4><div>{}</div></div>')
    return ('<div class="urbanpolicy-reuse">'
            f'<p>shared: {found["ratio"]:.0%} of {html.escape(task_a)}</p>'
            '<div style="display:flex">'
            + column.format(html.escape(task_a), _marked(a["text"], spans_a))
            + column.format(html.escape(task_b), _marked(b["text"], spans_b))
            + "</div></div>")


def _date(documents: pd.DataFrame) -> pd.Series:
    return documents["issued"].fillna(documents["published"])


def default_reference(corpus) -> str | None:  # noqa: ANN001 - Corpus
    """The document a coverage analysis compares against when none is named.

    Returns the highest-level document (national, then provincial, municipal, county),
    the earliest of them (issue date, else publication date; undated last), then the one
    with most tasks — among documents that have tasks, if any does — or None for an
    empty corpus.  On the seeds: the national 十四五 plan (2022) before the State
    Council's 2024 action plan; without national documents, Hubei's 2021 work points.
    """
    counts = corpus.tasks.groupby("doc_id").size()
    docs = corpus.documents.assign(n_tasks=corpus.documents["doc_id"].map(counts).fillna(0))
    if docs.empty:
        return None
    if (docs["n_tasks"] > 0).any():
        docs = docs[docs["n_tasks"] > 0]
    docs = docs.assign(rank=docs["level"].map(LEVEL_RANK).fillna(len(LEVEL_RANK)), when=_date(docs))
    order = docs.sort_values(["rank", "when", "n_tasks", "doc_id"], ascending=[True, True, False, True],
                             na_position="last")
    return order["doc_id"].iloc[0]


def reference_warnings(corpus, reference: str, compared: list[str]) -> dict:  # noqa: ANN001 - Corpus
    """What a reader must know about a reference: {"not_national": bool, "earlier": [doc_ids]}.

    ``earlier`` lists compared documents dated before the reference (they cannot take
    it up); documents without a date are not listed.
    """
    docs = corpus.documents.set_index("doc_id")
    when = _date(docs.reset_index()).set_axis(docs.index)
    ref_when = when.get(reference)
    earlier = [d for d in compared if d != reference and pd.notna(ref_when) and pd.notna(when.get(d))
               and when[d] < ref_when]
    return {"not_national": docs.at[reference, "level"] != "national", "earlier": earlier}


def coverage_summary(cov: pd.DataFrame) -> pd.DataFrame:
    """Per compared document: doc_id, covered_tasks, reference_tasks, coverage_share (0–1).

    >>> coverage_summary(pd.DataFrame({"reference_task_id": ["a", "b"], "doc_id": ["x", "x"],
    ...                                "covered": [True, False]}))["coverage_share"].tolist()
    [0.5]
    """
    if cov.empty:
        return pd.DataFrame(columns=["doc_id", "covered_tasks", "reference_tasks", "coverage_share"])
    out = cov.groupby("doc_id", sort=False).agg(covered_tasks=("covered", "sum"),
                                                reference_tasks=("reference_task_id", "nunique"))
    out["coverage_share"] = out["covered_tasks"] / out["reference_tasks"]
    return out.reset_index().astype({"covered_tasks": "int64", "reference_tasks": "int64"})


def uncovered_tasks(corpus, cov: pd.DataFrame) -> pd.DataFrame:  # noqa: ANN001 - Corpus
    """Reference tasks that no compared document covers: task_id, path, title, best_score."""
    if cov.empty:
        return pd.DataFrame(columns=["task_id", "path", "title", "best_score"])
    best = cov.groupby("reference_task_id", sort=False).agg(covered=("covered", "any"), best_score=("score", "max"))
    missing = best[~best["covered"]].reset_index().rename(columns={"reference_task_id": "task_id"})
    tasks = corpus.tasks.set_index("task_id")
    missing["path"] = missing["task_id"].map(tasks["path"])
    missing["title"] = missing["task_id"].map(tasks["title"])
    return missing[["task_id", "path", "title", "best_score"]]


def best_pair(cov: pd.DataFrame) -> tuple[str, str]:
    """The (reference task, matching task) pair with the highest score, for a reuse example.

    Raises ValueError when no pair exists.
    """
    found = cov.dropna(subset=["best_task_id"])
    if found.empty:
        raise ValueError("pair: no matching tasks to compare")
    top = found.sort_values(["score", "reference_task_id"], ascending=[False, True]).iloc[0]
    return top["reference_task_id"], top["best_task_id"]


def reuse_view(corpus, cov: pd.DataFrame, pair: list[str] | None = None, min_chars: int = 8) -> str:  # noqa: ANN001
    """HTML for the notebook: ``pair`` side by side (default: ``best_pair(cov)``), or a note
    saying there is nothing to compare.  All document text is escaped."""
    if pair and len(pair) != 2:
        raise ValueError(f"pair: give two task_ids, not {len(pair)}")
    try:
        task_a, task_b = pair if pair else best_pair(cov)
    except ValueError:
        return "<p>No pair of matching tasks to compare in these documents.</p>"
    return highlight_reuse(corpus, task_a, task_b, min_chars)
