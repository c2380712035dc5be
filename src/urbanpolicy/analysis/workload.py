"""Agency workload: how many tasks each body (or policy function) leads, supports or shares.

Counts are of distinct tasks.  A task counts as *led* by the bodies with role
``lead``, *supported* by those with ``support`` and *shared* (``joint``) where the
text says 按职责分工负责/分别负责.

Catch-all bodies — 有关部门, 市州有关部门, 各市（州）人民政府, 地方各级人民政府: the
register's ``generic`` entries and its "{region}有关部门" forms — name no one in
particular; ``generic`` marks them so rankings can leave them out (``is_generic``).  Mentions (a body named without a responsibility
clause) are counted apart in ``mentioned`` and are not part of ``total``.  ``share``
is ``total`` divided by the number of leaf tasks of the document.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from urbanpolicy.corpus import Corpus

WORKLOAD_COLUMNS = ["doc_id", "region", "level", "key", "key_en", "generic", "led", "supported", "joint", "total",
                    "mentioned", "share"]
RESPONSIBLE = ("lead", "support", "joint")
_CATCH_ALL_KEYS = ("prov_directs", "muni_directs")  # "{region}有关部门": every department of a place


@lru_cache(maxsize=1)
def _generic_pattern() -> re.Pattern[str]:
    from urbanpolicy.extract.agencies import load_register

    register = load_register()
    rows = register[(register["level"] == "generic") | register["key"].isin(_CATCH_ALL_KEYS)]
    forms = set()
    for names in rows["name"].tolist() + rows["aliases"].tolist():
        for name in str(names).split("|"):
            if name:
                forms.add(re.escape(name).replace(re.escape("{region}"), ".{1,12}?"))
    return re.compile("(?:" + "|".join(sorted(forms, key=len, reverse=True)) + ")")


def is_generic(agency: object) -> bool:
    """True for a catch-all body (有关部门, 各市（州）人民政府, 湖北省有关部门 …), read from the register.

    >>> is_generic("市州有关部门"), is_generic("湖北省有关部门"), is_generic("湖北省发展和改革委员会")
    (True, True, False)
    """
    return isinstance(agency, str) and _generic_pattern().fullmatch(agency) is not None


def _assignments(corpus: Corpus, docs: list[str] | None) -> pd.DataFrame:
    a = corpus.assignments
    return a[a["doc_id"].isin(docs)] if docs else a


def workload(corpus: Corpus, docs: list[str] | None = None, by: str = "agency", role: str | None = None) -> pd.DataFrame:
    """Return tasks led, supported, shared and in total per document and agency (or function).

    ``by`` is "agency" (canonical name) or "function"; ``role`` keeps only one role.
    Columns: WORKLOAD_COLUMNS, with ``key`` the agency or function, ``key_en`` the
    agency's English name (empty by function), ``generic`` True for catch-all bodies;
    sorted by total.

    >>> workload(load_corpus(), by="function").head()  # doctest: +SKIP
    """
    if by not in ("agency", "function"):
        raise ValueError(f"by: must be 'agency' or 'function', not {by!r}")
    if role is not None and role not in RESPONSIBLE:
        raise ValueError(f"role: must be one of {', '.join(RESPONSIBLE)}, not {role!r}")
    # doc_id and key as plain text: categories (schema) would make the result's index categorical
    a = _assignments(corpus, docs).astype({"doc_id": "str", by: "str"}).assign(key=lambda f: f[by])
    if role is not None:
        a = a[a["role"] == role]
    if a.empty:
        return pd.DataFrame(columns=WORKLOAD_COLUMNS)
    counts = (a.assign(role=a["role"].astype("str").fillna("mention"))  # a category: "mention" is a new value
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
    if by == "agency":
        english = a.dropna(subset=["agency_en"]).drop_duplicates("agency").set_index("agency")["agency_en"]
        out["key_en"] = out["key"].map(english)
        out["generic"] = out["key"].map(is_generic).astype(bool)
    else:
        out["key_en"] = None
        out["generic"] = out["key"].isin(["general", "local_government"])
    out = out[WORKLOAD_COLUMNS].sort_values(["total", "led", "doc_id", "key"], ascending=[False, False, True, True])
    return out.reset_index(drop=True).astype({c: "int64" for c in ("led", "supported", "joint", "total", "mentioned")})


def unassigned_tasks(corpus: Corpus, docs: list[str] | None = None) -> pd.DataFrame:
    """Leaf tasks that no responsibility clause or prose duty assigns to any body.

    Returns doc_id, task_id, path, title (only documents that assign at least one task
    elsewhere, since a plan without clauses has nothing to miss).  Context, principles,
    goals and safeguards (``tasks.kind`` other than "task") are not tasks to assign.
    """
    a = _assignments(corpus, docs)
    assigning_docs = set(a.loc[a["source"].isin(["clause", "prose"]), "doc_id"])
    assigned = set(a.loc[a["role"].isin(RESPONSIBLE), "task_id"])
    tasks = corpus.tasks[corpus.tasks["is_leaf"] & corpus.tasks["doc_id"].isin(assigning_docs)]
    if "kind" in tasks:
        tasks = tasks[tasks["kind"].eq("task")]
    if docs:
        tasks = tasks[tasks["doc_id"].isin(docs)]
    return tasks.loc[~tasks["task_id"].isin(assigned), ["doc_id", "task_id", "path", "title"]].reset_index(drop=True)


def co_responsibility(corpus: Corpus, docs: list[str] | None = None) -> pd.DataFrame:
    """Pairs of agencies responsible for the same task: agency_a, agency_b, shared_tasks."""
    a = _assignments(corpus, docs)
    a = a[a["role"].isin(RESPONSIBLE)][["task_id", "agency"]].astype({"agency": "str"}).drop_duplicates()
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
    sections = corpus.sections.astype({"label": "str"}).set_index("section_id")  # categories: text is added
    task_section = corpus.tasks.set_index("task_id")["section_id"].astype("str")
    chapter_of = a["task_id"].map(task_section)
    label = chapter_of.map(sections["label"]).fillna("") + "、" + chapter_of.map(sections["heading"]).fillna("")
    frame = a.assign(chapter=label.where(chapter_of.notna(), "（无章节）"))
    return (frame.groupby(["agency", "doc_id", "chapter"])["task_id"].nunique().rename("tasks").reset_index())
