"""Directive strength of each task: mandatory, guiding or exploratory, with the cue as evidence.

Levels and cue words are in ``urbanpolicy/rules/directive.yaml``:

* mandatory — obligations and prohibitions (确保, 严禁, 必须, 不得, 严格, 防止 …);
* guiding — the state pushes, speeds up, supports (推动, 加快, 支持, 完善 …);
* exploratory — trying out, encouraging, where conditions allow (探索, 鼓励, 有条件的 …).

A task's label is the strongest level whose cue it contains (mandatory > guiding >
exploratory) and the evidence is that level's first cue: ``directive_cue``,
``directive_start``/``directive_end`` (offsets into the document's clean text).  A task
with no cue at all has no label (None).  Agency names and 《titles》 are masked first
(see ``urbanpolicy.extract.cues``); "在确保安全的前提下" is a condition, not an order.
"""

from __future__ import annotations

from functools import lru_cache

from .cues import CueSet, masked_text, masked_text_reference, read_rules

LEVELS = ("mandatory", "guiding", "exploratory")
DIRECTIVE_COLUMNS = ["directive", "directive_cue", "directive_start", "directive_end"]


@lru_cache(maxsize=1)
def directive_cues() -> dict[str, CueSet]:
    """The compiled cue set of each level, strongest first."""
    levels = read_rules("directive.yaml")["levels"]
    return {name: CueSet.build(levels[name].get("cues", []), levels[name].get("patterns", []),
                               levels[name].get("exclude", []), levels[name].get("exclude_patterns", []))
            for name in LEVELS}


def task_directive(masked: str, start: int, end: int) -> dict:
    """The directive fields of the task at ``masked[start:end]`` (a ``masked_text``).

    >>> text = "（一）鼓励有条件的地方先行探索。"
    >>> task_directive(text, 0, len(text))["directive"]
    'exploratory'
    >>> task_directive("确保完成", 0, 4)["directive_cue"]
    '确保'
    """
    for level, cues in directive_cues().items():
        hit = cues.first(masked, start, end)
        if hit:
            return {"directive": level, "directive_cue": hit.group(),
                    "directive_start": hit.start(), "directive_end": hit.end()}
    return dict(_NO_DIRECTIVE)


_NO_DIRECTIVE = {"directive": None, "directive_cue": None, "directive_start": None, "directive_end": None}


def add_directives(text: str, tasks: list[dict], agency_spans: list[tuple[int, int]]) -> None:
    """Add the directive fields to each task row dict of one document (in place)."""
    if not tasks:
        return
    masked = masked_text(text, agency_spans)
    levels = [(level, cues.first) for level, cues in directive_cues().items()]
    for row in tasks:  # task_directive's loop, without a dict per task
        start, end = int(row["start"]), int(row["end"])
        for level, first in levels:
            hit = first(masked, start, end)
            if hit:
                row["directive"], row["directive_cue"] = level, hit.group()
                row["directive_start"], row["directive_end"] = hit.span()
                break
        else:
            row.update(_NO_DIRECTIVE)


def task_directive_reference(masked: str, start: int, end: int) -> dict:
    """The reference implementation of ``task_directive`` (every cue of the task found, then
    the first kept), kept until the faster path is proven on every corpus.

    >>> task_directive_reference("确保完成", 0, 4) == task_directive("确保完成", 0, 4)
    True
    """
    for level, cues in directive_cues().items():
        hits = cues.find(masked, start, end)
        if hits:
            return {"directive": level, "directive_cue": hits[0].group(),
                    "directive_start": hits[0].start(), "directive_end": hits[0].end()}
    return dict(_NO_DIRECTIVE)


def add_directives_reference(text: str, tasks: list[dict], agency_spans: list[tuple[int, int]]) -> None:
    """The reference implementation of ``add_directives`` (``masked_text_reference``,
    ``task_directive_reference``), kept until the faster path is proven on every corpus."""
    if not tasks:
        return
    masked = masked_text_reference(text, agency_spans)
    for row in tasks:
        row.update(task_directive_reference(masked, int(row["start"]), int(row["end"])))
