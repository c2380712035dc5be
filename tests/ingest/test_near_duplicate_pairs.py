"""near_duplicates pairs documents exactly as the inverted index of Python sets did, in arrays;
shingle_sample (in place, sorted by hand) samples exactly as shingle_sample_reference (np.unique)."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from urbanpolicy.ingest.near_duplicates import (
    MAX_POSTING,
    MIN_SAMPLE,
    THRESHOLD,
    near_duplicates,
    shingle_sample,
    shingle_sample_reference,
)

from ..conftest import SEEDS

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "realworld"


def _sets_reference(items: list[tuple[str, set[int]]], threshold: float = THRESHOLD) -> list[tuple[str, str, float]]:
    """The implementation with Python sets, dicts and a Counter (kept here as the definition)."""
    ids = [doc_id for doc_id, _ in items]
    samples = [set(sample) for _, sample in items]
    postings: dict[int, list[int]] = defaultdict(list)
    for n, sample in enumerate(samples):
        if len(sample) >= MIN_SAMPLE:
            for h in sample:
                postings[h].append(n)
    shared: Counter[tuple[int, int]] = Counter()
    for docs in postings.values():
        if 1 < len(docs) <= MAX_POSTING:
            for i, a in enumerate(docs):
                for b in docs[i + 1:]:
                    shared[(a, b)] += 1
    out = []
    for (a, b), count in shared.items():
        score = count / min(len(samples[a]), len(samples[b]))
        if score >= threshold:
            out.append((ids[b], ids[a], round(score, 3)))
    order = {doc_id: n for n, doc_id in reversed(list(enumerate(ids)))}
    return sorted(out, key=lambda p: (order[p[0]], order[p[1]]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sets(st.integers(0, 2**32 - 1) | st.integers(0, 40), max_size=45), max_size=12),
       st.sampled_from([THRESHOLD, 0.5, 0.0]))
def test_pairs_equal_the_set_implementation(samples, threshold):
    # small hash ranges make documents share most of their samples; copies make exact matches
    items = [(f"d{n}", s) for n, s in enumerate(samples + samples[:3])]
    assert near_duplicates(items, threshold) == _sets_reference(items, threshold)


def test_a_shingle_in_more_than_max_posting_documents_proposes_no_pair():
    common = set(range(1000, 1000 + MIN_SAMPLE))
    items = [(f"d{n}", common | {n}) for n in range(MAX_POSTING + 1)]  # every hash in 51 documents (but n)
    assert near_duplicates(items) == [] == _sets_reference(items)
    few = items[:MAX_POSTING]
    assert near_duplicates(few) == _sets_reference(few) != []


def _long_text() -> str:
    return "".join(f"（{i}）推进第{i}批城市更新试点，完成老旧小区改造{i * 7}个。" for i in range(400))


def test_sample_keeps_about_one_shingle_in_eight():
    from urbanpolicy.ingest.near_duplicates import SHINGLE, shingle_sample

    text = _long_text()
    shingles = {text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}
    kept = len(shingle_sample(text))
    assert len(shingles) / 12 < kept < len(shingles) / 5


def test_sample_ignores_spaces_and_line_breaks_and_is_stable():
    from urbanpolicy.ingest.near_duplicates import shingle_sample

    text = _long_text()
    spaced = text.replace("。", "。\n").replace("，", "， ")
    assert shingle_sample(spaced).tolist() == shingle_sample(text).tolist()
    assert shingle_sample(text).dtype.name == "uint32"


def test_one_changed_character_changes_only_the_shingles_that_hold_it():
    from urbanpolicy.ingest.near_duplicates import SHINGLE, shingle_sample

    text = _long_text()
    changed = text[:1000] + "乙" + text[1001:]
    before, after = set(shingle_sample(text).tolist()), set(shingle_sample(changed).tolist())
    # at most SHINGLE shingles cover one character: the rest of the sample is shared
    assert len(before - after) <= SHINGLE and len(after - before) <= SHINGLE
    assert len(before & after) > len(before) - SHINGLE


# ---------------------------------------------------------------- the sample itself
def _same_sample(text: str) -> None:
    fast, reference = shingle_sample(text), shingle_sample_reference(text)
    assert fast.dtype == reference.dtype == np.uint32
    assert fast.tolist() == reference.tolist()


def test_shingle_sample_is_the_reference_on_the_seeds_and_realworld_excerpts():
    # shingle_sample computes in place and sorts by hand; shingle_sample_reference is the old path
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(REAL.glob("*.txt"))]
    for text in texts:
        _same_sample(text)
        _same_sample(text[: len(text) // 3])
    assert all(shingle_sample(t).size > 50 for t in texts[:5])  # the comparison covered real samples
    for short in ("", "城镇化", "1234567", "12345678", " 1 2 3 4 5 6 7 8 \n", "城\ud800镇化建设推进工作"):
        _same_sample(short)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("城镇化人口12 \n\u3000𠀀\U0001f600ab")) | st.characters(), max_size=200))
def test_shingle_sample_is_the_reference_on_random_texts(text):
    _same_sample(text)
