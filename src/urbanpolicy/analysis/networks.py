"""Co-issuing network of agencies: who issues documents jointly with whom.

``co_issuing(corpus)`` is the edge list (one row per pair of bodies that issued at least
one document together); ``co_issuing_graph`` the same as a networkx graph with node
attributes; ``write_co_issuing(corpus, path)`` writes it as GraphML (``.graphml``) or
GEXF (``.gexf``), the formats Gephi opens directly and UCINET imports (via its GraphML
import or Gephi).  networkx is used for the graph and the writers.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import networkx as nx
import pandas as pd

CO_ISSUING_COLUMNS = ["source", "target", "weight", "docs"]
NODE_COLUMNS = ["agency", "n_docs", "n_joint_docs", "issuer_rank"]


def _issuer_lists(corpus) -> list[tuple[str, list[str], str | None]]:
    docs = corpus.documents
    out = []
    for doc_id, issuers, rank in zip(docs["doc_id"], docs["issuers"], docs["issuer_rank"], strict=True):
        names = [n for n in issuers.split("、") if n] if isinstance(issuers, str) else []
        out.append((doc_id, names, rank if isinstance(rank, str) else None))
    return out


def co_issuing(corpus) -> pd.DataFrame:
    """One row per unordered pair of bodies that issued a document together.

    Returns columns source, target (canonical names, source < target), weight (number
    of documents they co-issued) and docs (those doc_ids, "、"-joined), heaviest first.

    >>> import urbanpolicy as up                       # doctest: +SKIP
    >>> up.co_issuing(up.load_corpus("joint_docs/"))   # doctest: +SKIP
    """
    pairs: dict[tuple[str, str], list[str]] = {}
    for doc_id, names, _ in _issuer_lists(corpus):
        for a, b in combinations(sorted(set(names)), 2):
            pairs.setdefault((a, b), []).append(doc_id)
    rows = [{"source": a, "target": b, "weight": len(d), "docs": "、".join(d)} for (a, b), d in pairs.items()]
    out = pd.DataFrame(rows, columns=CO_ISSUING_COLUMNS).astype({"weight": "int64"})
    return out.sort_values(["weight", "source", "target"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


def co_issuing_nodes(corpus) -> pd.DataFrame:
    """One row per issuing body: agency, n_docs (documents it issued), n_joint_docs, issuer_rank."""
    stats: dict[str, dict] = {}
    for _, names, rank in _issuer_lists(corpus):
        for name in dict.fromkeys(names):
            row = stats.setdefault(name, {"agency": name, "n_docs": 0, "n_joint_docs": 0, "issuer_rank": rank})
            row["n_docs"] += 1
            row["n_joint_docs"] += len(set(names)) > 1
    return pd.DataFrame(list(stats.values()), columns=NODE_COLUMNS)


def co_issuing_graph(corpus) -> nx.Graph:
    """The co-issuing network as an undirected weighted networkx graph.

    Every issuing body is a node (attributes n_docs, n_joint_docs, issuer_rank), also
    when it never issued jointly; edges carry weight and docs.
    """
    graph = nx.Graph()
    for row in co_issuing_nodes(corpus).itertuples(index=False):
        graph.add_node(row.agency, label=row.agency, n_docs=int(row.n_docs), n_joint_docs=int(row.n_joint_docs),
                       issuer_rank=row.issuer_rank or "")
    for row in co_issuing(corpus).itertuples(index=False):
        graph.add_edge(row.source, row.target, weight=int(row.weight), docs=row.docs)
    return graph


def write_co_issuing(corpus, path: str | Path) -> Path:
    """Write the co-issuing network to ``path``: GraphML for .graphml, GEXF for .gexf; returns the path.

    >>> import urbanpolicy as up                                          # doctest: +SKIP
    >>> up.write_co_issuing(up.load_corpus(), "outputs/co_issuing.graphml")  # doctest: +SKIP
    """
    path = Path(path)
    graph = co_issuing_graph(corpus)
    suffix = path.suffix.lower()
    if suffix == ".graphml":
        nx.write_graphml(graph, path, encoding="utf-8")
    elif suffix == ".gexf":
        nx.write_gexf(graph, path, encoding="utf-8")
    else:
        raise ValueError(f"unknown network format {suffix!r}: use .graphml or .gexf")
    return path
