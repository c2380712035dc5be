"""Word lists kept as data in ``rules/*.txt`` (one word a line, ``#`` comments).

>>> "实施方案" in word_list("genre_words")
True
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def word_list(name: str) -> tuple[str, ...]:
    """The words of ``rules/<name>.txt`` in file order (an immutable tuple)."""
    text = files("urbanpolicy.rules").joinpath(f"{name}.txt").read_text(encoding="utf-8")
    return tuple(w for line in text.splitlines() if (w := line.strip()) and not w.startswith("#"))


def alternation(name: str) -> str:
    """The words of ``rules/<name>.txt`` as a regex alternation, longest first.

    Longest first so that a word is never cut short by a shorter word it starts with
    (实施方案 before 方案).

    >>> alternation("org_suffixes").split("|")[:3]
    ['办公室', '办公厅', '委员会']
    """
    import re

    return "|".join(re.escape(w) for w in sorted(word_list(name), key=len, reverse=True))
