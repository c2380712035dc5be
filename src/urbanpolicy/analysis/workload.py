"""Agency workload: how many tasks each body (or policy function) leads, supports or shares.

Counts are of distinct tasks.  A task counts as *led* by the bodies with role
``lead``, *supported* by those with ``support`` and *shared* (``joint``) where the
text says 按职责分工负责/分别负责.  Mentions (a body named without a responsibility
clause) are counted apart in ``mentioned`` and are not part of ``total``.  ``share``
is ``total`` divided by the number of leaf tasks of the document.
"""

from __future__ import annotations

import pandas as pd

from urbanpolicy.corpus import Corpus

WORKLOAD_COLUMNS = ["doc_id", "region", "level", "key", "led", "supported", "joint", "total", "mentioned", "share"]
RESPONSIBLE = ("lead", "support", "joint")


def _assignments(corpus: Corpus, docs: list[str] | None) -> pd.DataFrame:
    a = corpus.assignments
    return a[a["doc_id"].isin(docs)] if docs else a


def workload(corpus: Corpus, docs: list[str] | None = None, by: str = "agency", role: str | None = None) -> pd.DataFrame:
    """Return tasks led, supported, shared and in total per document and agency (or function).

    ``by`` is "agency" (canonical name) or "function"; ``role`` keeps only one role.
    Columns: WORKLOAD_COLUMNS, with ``key`` the agency or function; sorted by total.

    >>> workload(load_corpus(), by="function").head()  # doctest: +SKIP
    """
    if by not in ("agency", "function"):
        raise ValueError(f"by: must be 'agency' or 'function', not {by!r}")
    if role is not None and role not in RESPONSIBLE:
        raise ValueError(f"role: must be one of {', '.join(RESPONSIBLE)}, not {role!r}")
    a = _assignments(corpus, docs).assign(key=lambda f: f[by])
    if role is not None:
        a = a[a["role"] == role]
    if a.empty:
        return pd.DataFrame(columns=WORKLOAD_COLUMNS)
    counts = (a.assign(role=a["role"].fillna("mention"))
              .drop_duplicates(["doc_id", "task_id", "key", "role"])
              .pivot_table(index=["doc_id", "key"], columns="role", values="task_id", aggfunc="nunique", fill_value=0))
    for col in (*RESPONSIBLE, "mention"):
        if col not in counts:
            counts[col] = 0
    responsible = a[a["role"].isin(RESPONSIBLE)].groupby(["doc_id", "key"])["task_id"].nunique()
    out = counts.rename(columns={"lead": "led", "support": "supported", "mention": "mentioned"}).reset_index()
    out["total"] = out.set_index(["doc_id", "key"]).index.map(responsible).fillna(0).astype("int64")
    leaves = corpus.tasks[corpus.tasks["is_leaf"]].groupby("doc_id").size()
    out["share"] = (out["total"] / out["doc_id"].map(leaves)).fillna(0.0)
    docs_meta = corpus.documents.set_index("doc_id")
    out["region"] = out["doc_id"].map(docs_meta["region"])
    out["level"] = out["doc_id"].map(docs_meta["level"])
    out = out[WORKLOAD_COLUMNS].sort_values(["total", "led", "doc_id", "key"], ascending=[False, False, True, True])
    return out.reset_index(drop=True).astype({c: "int64" for c in ("led", "supported", "joint", "total", "mentioned")})


def unassigned_tasks(corpus: Corpus, docs: list[str] | None = None) -> pd.DataFrame:
    """Leaf tasks that no responsibility clause or prose duty assigns to any body.

    Returns doc_id, task_id, path, title (only documents that assign at least one task
    elsewhere, since a plan without clauses has nothing to miss).
    """
    a = _assignments(corpus, docs)
    assigning_docs = set(a.loc[a["source"].isin(["clause", "prose"]), "doc_id"])
    assigned = set(a.loc[a["role"].isin(RESPONSIBLE), "task_id"])
    tasks = corpus.tasks[corpus.tasks["is_leaf"] & corpus.tasks["doc_id"].isin(assigning_docs)]
    if docs:
        tasks = tasks[tasks["doc_id"].isin(docs)]
    return tasks.loc[~tasks["task_id"].isin(assigned), ["doc_id", "task_id", "path", "title"]].reset_index(drop=True)


def co_responsibility(corpus: Corpus, docs: list[str] | None = None) -> pd.DataFrame:
    """Pairs of agencies responsible for the same task: agency_a, agency_b, shared_tasks."""
    a = _assignments(corpus, docs)
    a = a[a["role"].isin(RESPONSIBLE)][["task_id", "agency"]].drop_duplicates()
    if a.empty:
        return pd.DataFrame(columns=["agency_a", "agency_b", "shared_tasks"])
    pairs = a.merge(a, on="task_id")
    pairs = pairs[pairs["agency_x"] < pairs["agency_y"]]
    out = pairs.groupby(["agency_x", "agency_y"])["task_id"].nunique().rename("shared_tasks").reset_index()
    return out.rename(columns={"agency_x": "agency_a", "agency_y": "agency_b"}).sort_values(
        ["shared_tasks", "agency_a", "agency_b"], ascending=[False, True, True]).reset_index(drop=True)


def agency_by_chapter(corpus: Corpus, docs: list[str] | None = None) -> pd.DataFrame:
    """Tasks per agency and chapter: agency, doc_id, chapter (label、heading), tasks."""
    a = _assignments(corpus, docs)
    a = a[a["role"].isin(RESPONSIBLE)]
    if a.empty:
        return pd.DataFrame(columns=["agency", "doc_id", "chapter", "tasks"])
    sections = corpus.sections.set_index("section_id")
    task_section = corpus.tasks.set_index("task_id")["section_id"]
    chapter_of = a["task_id"].map(task_section)
    label = chapter_of.map(sections["label"]).fillna("") + "、" + chapter_of.map(sections["heading"]).fillna("")
    frame = a.assign(chapter=label.where(chapter_of.notna(), "（无章节）"))
    return (frame.groupby(["agency", "doc_id", "chapter"])["task_id"].nunique().rename("tasks").reset_index())
