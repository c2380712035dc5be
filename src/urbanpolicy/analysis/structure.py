"""Document structure at a glance: chapters and tasks per depth for each document."""

from __future__ import annotations

import pandas as pd

from urbanpolicy.corpus import Corpus


def structure_summary(corpus: Corpus) -> pd.DataFrame:
    """Return one row per document: chapters and the number of tasks at each depth.

    Columns: doc_id, chapters, depth_1, depth_2, … (0 where a document has none).
    """
    docs = corpus.documents[["doc_id"]]
    chapters = corpus.sections.groupby("doc_id").size().rename("chapters")
    by_depth = corpus.tasks.pivot_table(index="doc_id", columns="depth", values="task_id", aggfunc="count")
    by_depth.columns = [f"depth_{d}" for d in by_depth.columns]
    summary = docs.set_index("doc_id").join(chapters).join(by_depth).fillna(0).astype("int64")
    return summary.reset_index()
