"""Timeline analyses: task horizons, the deadline table and the citation graph's nodes and edges."""

from __future__ import annotations

import re

import pandas as pd

from urbanpolicy.corpus import Corpus
from urbanpolicy.extract.patterns import NORMALISED_NUMBER_YEAR

HORIZON_COLUMNS = ["doc_id", "task_id", "earliest_deadline", "latest_target"]
DEADLINE_COLUMNS = ["doc_id", "task_id", "path", "task_title", "text", "date", "precision", "agencies"]


def horizons(corpus: Corpus) -> pd.DataFrame:
    """Per task: earliest deadline and latest target year (NaT when none).

    Returns columns doc_id, task_id, earliest_deadline, latest_target (one row per task).

    >>> horizons(load_corpus()).dropna(subset=["latest_target"]).head()  # doctest: +SKIP
    """
    return task_horizons(corpus.dates, corpus.tasks)


def deadlines(corpus: Corpus) -> pd.DataFrame:
    """Every deadline with its task and, once agencies are extracted, the bodies responsible.

    Returns DEADLINE_COLUMNS; ``agencies`` is "、"-joined canonical names (lead first),
    empty when the corpus has no assignments for the task.
    """
    rows = corpus.dates[corpus.dates["kind"] == "deadline"]
    tasks = corpus.tasks.set_index("task_id")
    out = rows[["doc_id", "task_id", "text", "date", "precision"]].copy()
    out["path"] = out["task_id"].map(tasks["path"]) if len(tasks) else None
    out["task_title"] = out["task_id"].map(tasks["title"]) if len(tasks) else None
    assignments = getattr(corpus, "assignments", None)
    if assignments is not None and len(assignments):
        named = (assignments.sort_values(["task_id", "position"]).groupby("task_id")["agency"]
                 .agg(lambda s: "、".join(dict.fromkeys(s))))
        out["agencies"] = out["task_id"].map(named).fillna("")
    else:
        out["agencies"] = ""
    return out[DEADLINE_COLUMNS].reset_index(drop=True)


_YEAR_IN_NUMBER = re.compile(NORMALISED_NUMBER_YEAR)
_YEAR_IN_TITLE = re.compile(r"(?:^|[（(])(20\d\d|19\d\d)")


def citation_graph(corpus: Corpus) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (nodes, edges) of the policy cascade: documents and what they cite.

    nodes: node_id, label, kind ("document" or "external"), level, date (issue or
    publication date; for an external document the year in its number or title),
    doc_id.  edges: source (citing node), target (cited node), count.  An external
    document is one node whatever way it is cited: by number, by title, or both (a
    title seen anywhere with a number is merged into that number's node).
    """
    docs = corpus.documents
    refs = corpus.references
    title_to_number = {t: n for t, n in zip(refs["cited_title"], refs["cited_number"], strict=True)
                       if isinstance(t, str) and isinstance(n, str)}

    def key(row) -> str:  # noqa: ANN001 - a references row
        if isinstance(row.cited_doc_id, str):
            return f"doc:{row.cited_doc_id}"
        number = row.cited_number if isinstance(row.cited_number, str) else title_to_number.get(row.cited_title)
        return f"num:{number}" if number else f"title:{row.cited_title}"

    nodes = [{"node_id": f"doc:{d.doc_id}", "label": d.title if isinstance(d.title, str) else d.doc_id,
              "kind": "document", "level": d.level, "doc_id": d.doc_id,
              "date": d.issued if pd.notna(d.issued) else d.published} for d in docs.itertuples()]
    external: dict[str, dict] = {}
    edges: dict[tuple[str, str], int] = {}
    for row in refs.itertuples():
        target = key(row)
        edges[(f"doc:{row.doc_id}", target)] = edges.get((f"doc:{row.doc_id}", target), 0) + 1
        if target.startswith("doc:") or target in external:
            if target in external and isinstance(row.cited_title, str) and external[target]["label"].startswith("〔"):
                external[target]["label"] = row.cited_title
            continue
        number = row.cited_number if isinstance(row.cited_number, str) else title_to_number.get(row.cited_title)
        label = row.cited_title if isinstance(row.cited_title, str) else number
        year = _YEAR_IN_NUMBER.search(number or "") or _YEAR_IN_TITLE.search(row.cited_title or "")
        external[target] = {"node_id": target, "label": f"{label}（{number}）" if number and label != number else label,
                            "kind": "external", "level": "cited", "doc_id": None,
                            "date": pd.Timestamp(year=int(year.group(1)), month=1, day=1) if year else pd.NaT}
    node_frame = pd.DataFrame(nodes + list(external.values()),
                              columns=["node_id", "label", "kind", "level", "date", "doc_id"])
    node_frame["date"] = pd.to_datetime(node_frame["date"])
    edge_frame = pd.DataFrame([{"source": s, "target": t, "count": c} for (s, t), c in edges.items()],
                              columns=["source", "target", "count"])
    return node_frame, edge_frame


def task_horizons(dates: pd.DataFrame, tasks: pd.DataFrame) -> pd.DataFrame:
    """Per task: earliest ``deadline`` and latest ``target_year`` attached to it (NaT when none).

    Only dates whose ``task_id`` is the task itself count (children carry their
    own rows). Returns one row per row of ``tasks``:
    ``doc_id, task_id, earliest_deadline, latest_target``.
    """
    keys = tasks[["doc_id", "task_id"]].copy()
    dated = dates.dropna(subset=["task_id", "date"])

    def agg(kind: str, how: str, name: str) -> pd.DataFrame:
        sub = dated[dated["kind"] == kind]
        grouped = sub.groupby(["doc_id", "task_id"], dropna=True)["date"].agg(how)
        return grouped.rename(name).reset_index()

    out = keys.copy()
    for kind, how, name in (("deadline", "min", "earliest_deadline"), ("target_year", "max", "latest_target")):
        part = agg(kind, how, name)
        part["task_id"] = part["task_id"].astype(keys["task_id"].dtype)
        part["doc_id"] = part["doc_id"].astype(keys["doc_id"].dtype)
        out = out.merge(part, on=["doc_id", "task_id"], how="left")
        out[name] = pd.to_datetime(out[name]).astype("datetime64[ns]")
    return out[HORIZON_COLUMNS].reset_index(drop=True)
