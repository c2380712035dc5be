"""structure's in-order fast path reports exactly what its reference does.

``_check_order`` decides an item is in order without building the set of expected numbers;
``_check_order_reference`` builds it for every item.  Both are run on random runs of labels
(styles, numbers that continue, restart, skip and repeat, several parents) and on the seeds'
and realworld excerpts' labels: the problems reported and the numbering state kept agree.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from urbanpolicy.extract.structure import (
    _check_order,
    _check_order_reference,
    _Label,
    find_labels,
    structure_rows,
)
from urbanpolicy.ingest.cleaning import clean_text

from ..conftest import SEEDS

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "realworld"


def _both(labels: list[tuple[_Label, str | None]], text: str) -> None:
    states = []
    for check in (_check_order, _check_order_reference):
        problems: list[dict] = []
        last: dict = {}
        last_style: dict = {}
        for lab, parent in labels:
            check(problems, "d", lab, last, last_style, parent, text)
        states.append((problems, last, last_style))
    assert states[0] == states[1]


def _label(style: str, ordinal: int, start: int) -> _Label:
    return _Label(style, str(ordinal), ordinal, start, start + 3, start + 2)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["一、", "（一）", "1."]), st.integers(1, 6),
                          st.sampled_from([None, "d:一", "d:二"])), max_size=30))
def test_check_order_is_the_reference_on_random_numbering(items):
    text = "".join(f"{n}.x" for _, n, _ in items) or "x"
    _both([(_label(style, n, 3 * i), parent) for i, (style, n, parent) in enumerate(items)], text)


def test_check_order_is_the_reference_on_the_seeds_and_realworld_labels():
    texts = [clean_text(p.read_text(encoding="utf-8")).text
             for folder in (SEEDS, REAL) for p in sorted(folder.glob("*.txt"))]
    reported = 0
    for text in texts:
        labels = find_labels(text)
        _both([(lab, lab.style) for lab in labels], text)  # parents: one per style, numbering runs on
        _both([(lab, None) for lab in labels], text)
        reported += sum(p["kind"].startswith("numbering") for p in structure_rows("d", text)[2])
    assert reported >= 1  # the corpora hold an out-of-order number, so a report was compared too
