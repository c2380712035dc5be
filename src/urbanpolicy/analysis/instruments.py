"""Policy-instrument coding of tasks (Rothwell & Zegveld's supply / demand / environment tools).

``instruments(corpus)`` returns one row per task × instrument whose cue the task contains,
with the cue and its ``start``/``end`` (offsets into the document's clean text) as
evidence.  The default codebook is ``urbanpolicy/rules/instruments.yaml`` (readable YAML:
three families, fourteen sub-tools, cue words written for the genre, with the scheme's
sources).  A researcher passes their own file: with ``extends: default`` it adds tools or
cues to the default, otherwise it replaces it.

Rules (see the YAML's header): directive verbs (加强, 推进, 支持 …) are never cues; agency
names, 《titles》 and 发文字号 are masked; a cue inside an ``exclude`` phrase does not count;
a task carries every tool it names.  Hand-coded check: 46 seed tasks in
``tests/fixtures/instruments_seeds.csv``, every code and directive label matched.

>>> import urbanpolicy as up                                   # doctest: +SKIP
>>> up.instruments(up.load_corpus()).groupby("family").size()  # doctest: +SKIP
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from ..extract.cues import CueSet, masked_text, read_rules

FAMILIES = ("supply", "demand", "environment")
INSTRUMENT_COLUMNS = ["doc_id", "task_id", "path", "family", "instrument", "label_zh", "label_en",
                      "cue", "start", "end", "n_cues", "cues"]
CODEBOOK_COLUMNS = ["instrument", "family", "tool", "family_zh", "family_en", "label_zh", "label_en",
                    "description", "cues", "patterns", "exclude", "exclude_patterns"]


@dataclass(frozen=True)
class Tool:
    """One sub-tool of the codebook, e.g. ``supply.talent``."""

    code: str
    family: str
    label_zh: str
    label_en: str
    cues: CueSet


def _default_codebook() -> dict:
    return copy.deepcopy(read_rules("instruments.yaml"))


def _read_codebook(codebook: str | Path | dict | None) -> dict:
    """The codebook as a dict: the default, a YAML file, or a dict; ``extends: default`` merges."""
    if codebook is None:
        return _default_codebook()
    if isinstance(codebook, dict):
        data = copy.deepcopy(codebook)
    else:
        path = Path(codebook)
        if not path.is_file():
            raise FileNotFoundError(f"no such codebook file: {path}")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("families"), dict):
        raise ValueError("a codebook needs a 'families' mapping (see urbanpolicy/rules/instruments.yaml)")
    if data.get("extends") == "default":
        return _merge(_default_codebook(), data)
    if data.get("extends") not in (None, "default"):
        raise ValueError(f"codebook 'extends' must be 'default', not {data['extends']!r}")
    return data


def _merge(base: dict, extra: dict) -> dict:
    """``base`` with ``extra``'s families and tools added; lists of a tool already there are appended."""
    for fam_name, family in extra["families"].items():
        target = base["families"].setdefault(fam_name, {k: v for k, v in family.items() if k != "tools"})
        tools = target.setdefault("tools", {})
        for tool_name, tool in (family.get("tools") or {}).items():
            if tool_name not in tools:
                tools[tool_name] = copy.deepcopy(tool)
                continue
            for key in ("cues", "patterns", "exclude", "exclude_patterns"):
                tools[tool_name][key] = list(tools[tool_name].get(key) or []) + list(tool.get(key) or [])
            for key in ("label_zh", "label_en", "description"):
                if key in tool:
                    tools[tool_name][key] = tool[key]
    return base


def codebook_table(codebook: str | Path | dict | None = None) -> pd.DataFrame:
    """One row per instrument of the codebook: code, family, labels, description and cue lists.

    >>> table = codebook_table()
    >>> table["instrument"].head(3).tolist()
    ['supply.talent', 'supply.funds', 'supply.infrastructure']
    >>> sorted(table["family"].unique())
    ['demand', 'environment', 'supply']
    """
    data = _read_codebook(codebook)
    rows = []
    for fam_name, family in data["families"].items():
        tools = family.get("tools") or {}
        if not tools:
            raise ValueError(f"codebook family {fam_name!r} has no tools")
        for tool_name, tool in tools.items():
            if not isinstance(tool, dict) or not (tool.get("cues") or tool.get("patterns")):
                raise ValueError(f"codebook tool {fam_name}.{tool_name} has neither cues nor patterns")
            rows.append({"instrument": f"{fam_name}.{tool_name}", "family": fam_name, "tool": tool_name,
                         "family_zh": family.get("label_zh", fam_name), "family_en": family.get("label_en", fam_name),
                         "label_zh": tool.get("label_zh", tool_name), "label_en": tool.get("label_en", tool_name),
                         "description": tool.get("description", ""),
                         "cues": [str(c) for c in tool.get("cues") or []],
                         "patterns": [str(p) for p in tool.get("patterns") or []],
                         "exclude": [str(x) for x in tool.get("exclude") or []],
                         "exclude_patterns": [str(x) for x in tool.get("exclude_patterns") or []]})
    return pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)


def _tools(codebook: str | Path | dict | None) -> list[Tool]:
    table = codebook_table(codebook)
    return [Tool(r.instrument, r.family, r.label_zh, r.label_en,
                 CueSet.build(r.cues, r.patterns, r.exclude, r.exclude_patterns)) for r in table.itertuples()]


def instruments(corpus, codebook: str | Path | dict | None = None, docs: list[str] | None = None) -> pd.DataFrame:
    """One row per task × instrument the task's text names.

    Returns columns doc_id, task_id, path, family, instrument (e.g. ``supply.talent``),
    label_zh, label_en, cue (the first cue found), start/end (its offsets in the clean
    text), n_cues (how many cue occurrences) and cues (the distinct cues, "、"-joined).
    Rows follow document and task order, then the codebook's order.

    >>> import urbanpolicy as up                                          # doctest: +SKIP
    >>> up.instruments(up.load_corpus(), codebook="my_codebook.yaml")     # doctest: +SKIP
    """
    tools = _tools(codebook)
    corpus = corpus.subset(docs) if docs else corpus
    texts = dict(zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True))
    spans: dict[str, list[tuple[int, int]]] = {}
    for doc, start, end in zip(corpus.assignments["doc_id"], corpus.assignments["start"],
                               corpus.assignments["end"], strict=True):
        spans.setdefault(doc, []).append((int(start), int(end)))
    rows = []
    for doc_id, tasks in corpus.tasks.groupby("doc_id", sort=False):
        masked = masked_text(texts[doc_id], spans.get(doc_id, []))
        for task in tasks.itertuples():
            for tool in tools:
                hits = tool.cues.find(masked, int(task.start), int(task.end))
                if not hits:
                    continue
                rows.append({"doc_id": doc_id, "task_id": task.task_id, "path": task.path,
                             "family": tool.family, "instrument": tool.code, "label_zh": tool.label_zh,
                             "label_en": tool.label_en, "cue": hits[0].group(), "start": hits[0].start(),
                             "end": hits[0].end(), "n_cues": len(hits),
                             "cues": "、".join(dict.fromkeys(h.group() for h in hits))})
    return pd.DataFrame(rows, columns=INSTRUMENT_COLUMNS).astype(
        {"start": "int64", "end": "int64", "n_cues": "int64"})


def most_tasks_document(corpus) -> str | None:
    """The doc_id with the most tasks (first in document order on a tie); None when there are no tasks."""
    # as text: a category's value_counts lists its categories in sorted order, not in document order
    counts = corpus.tasks["doc_id"].astype("str").value_counts(sort=False)
    return None if counts.empty else str(counts.idxmax())


def instrument_mix(corpus, coded: pd.DataFrame | None = None, by: str = "doc_id",
                   level: str = "instrument") -> pd.DataFrame:
    """Share of tasks carrying each instrument (or family), per document (``by="doc_id"``) or level.

    Returns columns ``by``, ``level`` (instrument or family), tasks (how many tasks carry
    it), n_tasks (tasks of that group) and share (tasks / n_tasks).

    >>> import urbanpolicy as up                                    # doctest: +SKIP
    >>> up.instrument_mix(up.load_corpus(), by="level", level="family")  # doctest: +SKIP
    """
    if by not in ("doc_id", "level"):
        raise ValueError("by must be 'doc_id' or 'level'")
    if level not in ("instrument", "family"):
        raise ValueError("level must be 'instrument' or 'family'")
    coded = instruments(corpus) if coded is None else coded
    if coded.empty:  # nothing coded (or no documents): an empty table of the same columns
        return pd.DataFrame({by: pd.Series(dtype="str"), level: pd.Series(dtype="str"),
                             "tasks": pd.Series(dtype="int64"), "n_tasks": pd.Series(dtype="int64"),
                             "share": pd.Series(dtype="float64")})
    doc_level = corpus.documents.set_index("doc_id")["level"]
    tasks = corpus.tasks[["doc_id", "task_id"]].copy()
    tasks["level"] = tasks["doc_id"].map(doc_level)
    n_tasks = tasks.groupby(by).size().rename("n_tasks")
    coded = coded.assign(level_=coded["doc_id"].map(doc_level))
    group = "level_" if by == "level" else "doc_id"
    counts = (coded.drop_duplicates(["task_id", level]).groupby([group, level]).size()
              .rename("tasks").reset_index().rename(columns={group: by}))
    out = counts.merge(n_tasks.reset_index(), on=by, how="left")
    out["share"] = out["tasks"] / out["n_tasks"]
    return out[[by, level, "tasks", "n_tasks", "share"]]
