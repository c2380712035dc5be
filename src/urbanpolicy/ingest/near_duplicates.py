"""Near-duplicates: two files of one document (another scrape, script, annotation or cut).

Exact duplicates (identical clean text) are caught by hashing; this finds the rest.  Each
clean text is cut into overlapping 8-character shingles; a fixed 1 in 8 sample of them
(by a stable hash, so two copies sample the same shingles) stands for the document.  Two
documents are near-duplicates when the smaller one's sample is mostly contained in the
other's: *containment* = shared / size of the smaller sample, so an excerpt cut short of
the whole document still matches it.

Linear in the corpus: candidate pairs come from an inverted index of the samples, and a
shingle found in more than ``MAX_POSTING`` documents (boilerplate, a shared preamble) is
not used to propose pairs.
"""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable

SHINGLE = 8
SAMPLE = 8          # keep shingles whose hash is 0 modulo SAMPLE
MIN_SAMPLE = 20     # documents with fewer sampled shingles are too short to judge
MAX_POSTING = 50
THRESHOLD = 0.8


def shingle_sample(text: str) -> set[int]:
    """The sampled shingle hashes of one clean text (spaces and line breaks ignored).

    Computed once per document by the loader (and kept in its per-file cache entry), so a
    reload after one changed file does not hash every document again.
    """
    t = "".join(text.split())
    out = set()
    for i in range(len(t) - SHINGLE + 1):
        h = zlib.crc32(t[i:i + SHINGLE].encode("utf-8"))
        if h % SAMPLE == 0:
            out.add(h)
    return out


def near_duplicates(texts: Iterable[tuple[str, str | set[int]]], threshold: float = THRESHOLD
                    ) -> list[tuple[str, str, float]]:
    """Pairs (later doc_id, earlier doc_id, containment) of near-duplicate documents, in input order.

    Each item is (doc_id, clean text) or (doc_id, its ``shingle_sample``).

    >>> base = "".join(f"（{i}）推进第{i}批新型城镇化试点建设。" for i in range(60))
    >>> other = "".join(f"第{i}项：完善城市基础设施和公共服务。" for i in range(60))
    >>> near_duplicates([("a", base), ("b", base[:900] + "（此件公开发布）"), ("c", other)])
    [('b', 'a', 1.0)]
    """
    ids: list[str] = []
    samples: list[set[int]] = []
    for doc_id, text in texts:
        ids.append(doc_id)
        samples.append(shingle_sample(text) if isinstance(text, str) else set(text))
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
        smaller = min(len(samples[a]), len(samples[b]))
        score = count / smaller
        if score >= threshold:
            out.append((ids[b], ids[a], round(score, 3)))
    order = {doc_id: n for n, doc_id in reversed(list(enumerate(ids)))}  # first position, as ids.index gave
    return sorted(out, key=lambda p: (order[p[0]], order[p[1]]))
