"""Near-duplicates: two files of one document (another scrape, script, annotation or cut).

Exact duplicates (identical clean text) are caught by hashing; this finds the rest.  Each
clean text is cut into overlapping 8-character shingles; a fixed 1 in 8 sample of them
(by a stable hash, so two copies sample the same shingles) stands for the document.  The hash
is a polynomial over the characters' code points finished by splitmix64's mixer, computed for
every shingle at once with NumPy (a CRC32 per shingle in Python cost a third of the load).  Two
documents are near-duplicates when the smaller one's sample is mostly contained in the
other's: *containment* = shared / size of the smaller sample, so an excerpt cut short of
the whole document still matches it.

Linear in the corpus: candidate pairs come from an inverted index of the samples, and a
shingle found in more than ``MAX_POSTING`` documents (boilerplate, a shared preamble) is
not used to propose pairs.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

SHINGLE = 8
SAMPLE = 8          # keep shingles whose hash is 0 modulo SAMPLE
MIN_SAMPLE = 20     # documents with fewer sampled shingles are too short to judge
MAX_POSTING = 50
THRESHOLD = 0.8
INDEX_RANGES = 8  # the inverted index is built for 1/8 of the hash values at a time


# powers of an odd 64-bit multiplier, highest first: the shingle's hash is sum(code[j] * P**(7-j)) mod 2**64
_POWERS = [np.uint64(pow(0x9E3779B97F4A7C15, SHINGLE - 1 - j, 2**64)) for j in range(SHINGLE)]


def _code_points(text: str) -> np.ndarray:
    """The code points of ``text`` without its spaces and line breaks, as 64-bit integers."""
    t = "".join(text.split())
    return np.frombuffer(t.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)


def shingle_sample(text: str) -> np.ndarray:
    """The sampled shingle hashes of one clean text (spaces and line breaks ignored), sorted, unique.

    Computed once per document by the loader (and kept in its per-file cache entry), so a
    reload after one changed file does not hash every document again.  Same text, same
    sample; a text and its excerpt share the samples of their common shingles:

    >>> whole = "推进以人为核心的新型城镇化，提高农业转移人口市民化质量。" * 4
    >>> set(shingle_sample(whole[:40])) <= set(shingle_sample(whole))
    True
    >>> shingle_sample("短文本").size
    0
    """
    codes = _code_points(text)
    n = len(codes) - SHINGLE + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint32)
    # every step writes into the two arrays (no temporary array per operation): half the time
    h = codes[:n] * _POWERS[0]
    step = np.empty(n, dtype=np.uint64)
    for j in range(1, SHINGLE):
        np.multiply(codes[j:j + n], _POWERS[j], out=step)
        h += step  # wraps modulo 2**64, as intended
    # splitmix64's finaliser: every bit of the result depends on every character
    for shift, multiplier in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB)):
        np.right_shift(h, np.uint64(shift), out=step)
        h ^= step
        h *= np.uint64(multiplier)
    np.right_shift(h, np.uint64(31), out=step)
    h ^= step
    top = (h >> np.uint64(32)).astype(np.uint32)
    # sorted and deduplicated by hand: np.unique hashes first, then sorts (twice the work)
    sample = np.sort(top[top % np.uint32(SAMPLE) == 0])
    if sample.size > 1:
        sample = sample[np.concatenate(([True], sample[1:] != sample[:-1]))]
    return sample


def shingle_sample_reference(text: str) -> np.ndarray:
    """``shingle_sample`` with a temporary array per step and ``np.unique``: the reference
    implementation, kept until the in-place path is proven (tests/ingest/test_near_duplicate_pairs.py
    compares the two).

    The sampled shingle hashes of one clean text (spaces and line breaks ignored), sorted, unique.

    Computed once per document by the loader (and kept in its per-file cache entry), so a
    reload after one changed file does not hash every document again.  Same text, same
    sample; a text and its excerpt share the samples of their common shingles:

    >>> whole = "推进以人为核心的新型城镇化，提高农业转移人口市民化质量。" * 4
    >>> set(shingle_sample_reference(whole[:40])) <= set(shingle_sample_reference(whole))
    True
    >>> shingle_sample_reference("短文本").size
    0
    """
    codes = _code_points(text)
    n = len(codes) - SHINGLE + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint32)
    h = np.zeros(n, dtype=np.uint64)
    for j, power in enumerate(_POWERS):
        h += codes[j:j + n] * power  # wraps modulo 2**64, as intended
    # splitmix64's finaliser: every bit of the result depends on every character
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    top = (h >> np.uint64(32)).astype(np.uint32)
    return np.unique(top[top % SAMPLE == 0])


def near_duplicates(texts: Iterable[tuple[str, str | set[int]]], threshold: float = THRESHOLD
                    ) -> list[tuple[str, str, float]]:
    """Pairs (later doc_id, earlier doc_id, containment) of near-duplicate documents, in input order.

    Each item is (doc_id, clean text) or (doc_id, its ``shingle_sample``: a set, a list or an
    array of the hashes).  The inverted index is two sorted arrays (hash, document), so the
    samples of a large corpus take 4 bytes per hash, not a set of Python ints each.

    >>> base = "".join(f"（{i}）推进第{i}批新型城镇化试点建设。" for i in range(60))
    >>> other = "".join(f"第{i}项：完善城市基础设施和公共服务。" for i in range(60))
    >>> near_duplicates([("a", base), ("b", base[:900] + "（此件公开发布）"), ("c", other)])
    [('b', 'a', 1.0)]
    """
    ids: list[str] = []
    samples: list[np.ndarray] = []  # sorted unique hashes: 4 bytes each, where a set of ints took ~60
    for doc_id, text in texts:
        ids.append(doc_id)
        sample = shingle_sample(text) if isinstance(text, str) else text
        values = sample if isinstance(sample, np.ndarray) else np.fromiter(sample, dtype=np.uint32)
        values = values.astype(np.uint32, copy=False)
        if len(values) > 1 and not (values[1:] > values[:-1]).all():  # a shingle_sample is sorted and unique
            values = np.unique(values)
        samples.append(values)
    sizes = np.array([len(sample) for sample in samples], dtype=np.int64)
    eligible = np.flatnonzero(sizes >= MIN_SAMPLE)
    if len(eligible) < 2:
        return []
    # The inverted index, one range of hash values at a time (a hash's posting list lies in one
    # range): every (hash, document) of an eligible sample in the range as one 8-byte key, hash in
    # the high half, sorted in place — by hash, then document.  By ranges, the pass holds an eighth
    # of the keys at once (all of them took ~66 MB more than the tables at 1000x the seeds).
    chosen = [samples[n] for n in eligible.tolist()]
    edges = (np.arange(1, INDEX_RANGES, dtype=np.uint64) * np.uint64(2**32 // INDEX_RANGES)).astype(np.uint32)
    bounds = np.array([np.r_[0, np.searchsorted(sample, edges), len(sample)] for sample in chosen], dtype=np.int64)
    pairs = []
    for part in range(INDEX_RANGES):
        low, high = bounds[:, part].tolist(), bounds[:, part + 1].tolist()
        keys = np.concatenate([sample[lo:hi] for sample, lo, hi in zip(chosen, low, high, strict=True)]
                              ).astype(np.uint64)
        keys <<= np.uint64(32)
        keys |= np.repeat(eligible, bounds[:, part + 1] - bounds[:, part]).astype(np.uint64)
        keys.sort()
        hashes = np.right_shift(keys, np.uint64(32), out=np.empty(len(keys), dtype=np.uint32), casting="unsafe")
        starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
        counts = np.diff(np.r_[starts, len(hashes)])
        del hashes
        for size in np.unique(counts[(counts > 1) & (counts <= MAX_POSTING)]).tolist():
            # every posting list of this length as a row of document numbers (ascending), then its pairs
            rows = (keys[starts[counts == size][:, None] + np.arange(size)] & np.uint64(0xFFFFFFFF)).astype(np.int64)
            a, b = np.triu_indices(size, 1)
            pairs.append(rows[:, a].ravel() * len(ids) + rows[:, b].ravel())
    if not pairs:
        return []
    pair, shared = np.unique(np.concatenate(pairs), return_counts=True)
    earlier, later = np.divmod(pair, len(ids))
    score = shared / np.minimum(sizes[earlier], sizes[later])
    keep = score >= threshold
    first = {doc_id: n for n, doc_id in reversed(list(enumerate(ids)))}  # first position of a doc_id
    out = [(ids[b], ids[a], round(x, 3)) for a, b, x in
           zip(earlier[keep].tolist(), later[keep].tolist(), score[keep].tolist(), strict=True)]
    return sorted(out, key=lambda p: (first[p[0]], first[p[1]]))
