"""TaskSpans.innermost: the task holding a position, linear in tasks and positions."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from urbanpolicy.extract.structure import TaskSpans


def _quadratic_reference(spans: TaskSpans, positions: np.ndarray, by: str) -> list[int]:
    """The positions × tasks matrix the extractors used before (kept here as the definition)."""
    inside = (spans.starts[None, :] <= positions[:, None]) & (positions[:, None] < spans.ends[None, :])
    if by == "depth":
        best = np.where(inside, spans.depths[None, :], -1).argmax(axis=1)
    else:
        best = np.where(inside, (spans.ends - spans.starts)[None, :], np.iinfo(np.int64).max).argmin(axis=1)
    found = inside[np.arange(len(positions)), best]
    return np.where(found, best, -1).tolist()


def _spans(rows: list[tuple[int, int, int]]) -> TaskSpans:
    return TaskSpans(np.array([s for s, _, _ in rows], dtype=np.int64),
                     np.array([s + n for s, n, _ in rows], dtype=np.int64),
                     np.array([d for _, _, d in rows], dtype=np.int64), [f"t{i}" for i in range(len(rows))])


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30), st.integers(0, 3)), max_size=25),
       positions=st.lists(st.integers(-5, 100), max_size=40), by=st.sampled_from(["depth", "length"]))
def test_innermost_equals_the_matrix_on_any_spans(rows, positions, by):
    # any spans: nested or overlapping, empty, equal depths and lengths (ties go to the first task)
    spans, where = _spans(rows), np.array(positions, dtype=np.int64)
    expected = _quadratic_reference(spans, where, by) if rows else [-1] * len(positions)
    assert spans.innermost(where, by).tolist() == expected
    assert [spans.innermost_at(p, by) for p in positions] == expected


def test_innermost_in_a_document_of_twenty_thousand_tasks():
    # 20,000 chapters of 10 characters, each with one sub-task on its last 4: the matrix
    # version compared every position with every task (4e8 cells); this looks each one up
    n = 20_000
    rows = [(10 * i, 10, 1) for i in range(n)] + [(10 * i + 6, 4, 2) for i in range(n)]
    spans = _spans(rows)
    positions = np.arange(0, 10 * n, 3, dtype=np.int64)
    got = spans.innermost(positions, "depth")
    chapter, offset = positions // 10, positions % 10
    assert got.tolist() == np.where(offset >= 6, chapter + n, chapter).tolist()
    assert spans.innermost_at(10 * n, "depth") == -1  # past the last task


def _quadratic_holding(spans: TaskSpans, starts: np.ndarray, ends: np.ndarray) -> list[int]:
    """The quantities × tasks matrix of targets before (deepest, then shortest; first among equals)."""
    ts, te = spans.starts, spans.ends
    inside = (ts[None, :] <= starts[:, None]) & (te[None, :] >= ends[:, None])
    score = np.where(inside, spans.depths[None, :] * 10**9 - (te - ts)[None, :], np.iinfo(np.int64).min)
    best = score.argmax(axis=1)
    return np.where(inside[np.arange(len(best)), best], best, -1).tolist()


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30), st.integers(0, 3)), min_size=1, max_size=25),
       spans_=st.lists(st.tuples(st.integers(-5, 100), st.integers(0, 12)), max_size=40))
def test_holding_equals_the_matrix_on_any_spans(rows, spans_):
    spans = _spans(rows)
    starts = np.array([s for s, _ in spans_], dtype=np.int64)
    ends = np.array([s + n for s, n in spans_], dtype=np.int64)
    assert spans.holding(starts, ends) == _quadratic_holding(spans, starts, ends)
