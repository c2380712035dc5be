"""What kind of item a numbered task is, read from its headings: a task, or a plan's preamble.

Plans of this genre open with their context (一、发展基础: 主要进展, 发展形势), their
principles (二、总体要求: 指导思想, 工作原则) and goals (主要目标), and close with
safeguards (保障措施, 组织实施, 实施保障).  These are numbered like tasks but assign
nothing; coverage and "no responsible body" must leave them out.

``task_kinds`` gives each task one of ``KINDS``: the first heading that names a kind,
looking at the task's own title, then its parents' titles, then its chapter heading
(so （五）主要目标 inside 二、总体要求 is a goal, and every item under 八、保障措施 is a
safeguard).  A heading names a kind when it contains a cue word and is short (a
heading, not a task sentence that mentions the word).

>>> heading_kind("保障措施"), heading_kind("（五）主要目标"), heading_kind("深化户籍制度改革")
('safeguard', 'goal', None)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

KINDS = ("task", "context", "principle", "goal", "safeguard")
CUES: dict[str, tuple[str, ...]] = {
    "context": ("发展基础", "发展现状", "主要进展", "发展形势", "面临形势", "形势分析", "发展环境", "重要意义",
                "现实基础", "工作基础", "主要成效", "基本情况", "规划背景"),
    "principle": ("指导思想", "基本原则", "工作原则", "主要原则", "总体思路", "总体要求", "发展思路", "发展理念"),
    "goal": ("主要目标", "发展目标", "总体目标", "工作目标", "具体目标", "目标要求", "远景目标"),
    "safeguard": ("保障措施", "组织实施", "实施保障", "组织保障", "工作保障", "组织领导", "监督考核", "规划实施"),
}
# A heading may add a few characters to its cue (加强组织领导); "保障机制" and the like are left out
# because tasks are named so (建立健全教育保障机制).
_EXTRA_CHARS = 4
_LONGEST_HEADING = max(len(cue) for cues in CUES.values() for cue in cues) + _EXTRA_CHARS
_LABEL = re.compile(r"^[（(]?[一二三四五六七八九十百零〇\d]+[)）]?[、.．]?\s*")


def heading_kind(heading: object) -> str | None:
    """The kind a heading names, or None when it names none (an ordinary task heading)."""
    if not isinstance(heading, str):
        return None
    text = heading.strip()
    if len(text) > _LONGEST_HEADING and len(_LABEL.sub("", text)) > _LONGEST_HEADING:
        return None  # a task sentence, not a heading: most titles, so this check comes first
    text = _LABEL.sub("", text)
    for kind, cues in CUES.items():
        for cue in cues:
            if cue in text and len(text) <= len(cue) + _EXTRA_CHARS:
                return kind
    return None


def task_kinds(tasks: pd.DataFrame, sections: pd.DataFrame) -> pd.Series:
    """One kind per row of ``tasks`` (task/context/principle/goal/safeguard), same index.

    ``tasks`` needs task_id, parent_task_id, section_id, title; ``sections`` section_id,
    heading.  Linear: each task looks up its own chain of parents.
    """
    # plain lists: iterating an Arrow-backed column yields one value at a time, ~10× slower
    kinds = kinds_of(tasks["task_id"].tolist(), tasks["title"].tolist(), tasks["parent_task_id"].tolist(),
                     tasks["section_id"].tolist(), sections["section_id"].tolist(), sections["heading"].tolist())
    return pd.Series(kinds, index=tasks.index, dtype="str", name="kind")


def kinds_of(task_ids: Sequence, titles: Sequence, parent_task_ids: Sequence, section_ids: Sequence,
             chapter_ids: Sequence, chapter_headings: Sequence) -> list[str]:
    """``task_kinds`` on the columns' values (the loader's rows, before any table is built): one
    kind per task id, from the task's title, its parents' titles and its chapter's heading
    (``chapter_ids`` and ``chapter_headings``: the sections' ids and headings).

    >>> kinds_of(["a:1", "a:1.1"], ["（一）主要目标", "人口超过100万"], [None, "a:1"], ["a:1", "a:1"],
    ...          ["a:1"], ["二、总体要求"])
    ['goal', 'goal']
    """
    titles_of = dict(zip(task_ids, titles, strict=True))
    parents = dict(zip(task_ids, parent_task_ids, strict=True))
    chapter = dict(zip(task_ids, section_ids, strict=True))
    headings = dict(zip(chapter_ids, chapter_headings, strict=True))
    memo: dict[str, str] = {}

    def kind_of(task_id: str) -> str:
        if task_id in memo:
            return memo[task_id]
        found = heading_kind(titles_of.get(task_id))
        if found is None:
            parent = parents.get(task_id)
            if isinstance(parent, str) and parent in titles_of:
                found = kind_of(parent)
            else:
                found = heading_kind(headings.get(chapter.get(task_id))) or "task"
        memo[task_id] = found
        return found

    return [kind_of(t) for t in task_ids]
