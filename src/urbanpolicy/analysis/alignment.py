"""Task-to-task similarity between documents: tokenising, TF-IDF, chunked top-k.

``align(corpus, source, target)`` answers "which task of ``target`` says what this
task of ``source`` says?" with TF-IDF vectors and cosine similarity over sparse
matrices.

Which tasks take part
    Leaf tasks, plus parent tasks whose own text (before their first child) carries
    at least ``MIN_BODY_CHARS`` Chinese characters beyond label and title.  Heading-only
    parents ("（二）重点任务", "（一）放宽户口迁移政策。") carry no content of their own;
    their children are compared instead.  In the seeds this drops 11 parents and keeps
    every leaf.

Text compared
    The task text without its label ("（一）", "1.") and without a responsibility
    clause closing it ("（省公安厅、市州有关部门负责）", found with
    ``urbanpolicy.extract.agencies.find_clauses``).  The title stays: it is the best summary.

Methods (``method=``)
    ``char``   character 2–3-grams (TfidfVectorizer analyzer="char", sublinear tf);
    ``jieba``  jieba words with the package dictionary ``rules/userdict.txt``
               (policy terms and agency names), punctuation dropped;
    ``combined`` both vectors, each L2-normalised and weighted 1/√2, so the cosine is
               the mean of the two cosines.
    ``sentences`` (default) the mean of two scores: the whole-task ``char`` cosine, and
               the *sentence coverage* — for each sentence of the source task (split at
               。；！？) its best ``char`` cosine with any sentence of the target task,
               averaged over the source task's sentences.  A local task that takes up one
               sentence of a long national task in other surroundings is found by that
               sentence even when the whole texts share little.
    IDF is fitted on the union of the two sides being compared (for ``sentences``, on
    their tasks, and the sentences are vectorised with that vocabulary and IDF).

Alignment by meaning: 36 further pairs in ``tests/fixtures/alignment_national_pairs.csv``,
written by reading, match a task of Qingyang's 实施意见 (18) or Hubei's work points (18)
to the task of the national 十四五 plan (002) it takes up.  Top-1 from local to national,
and the gap as above (true minus best wrong score; min < 0 is a miss):

    ==========================  ==========  ========  ========  ==================
    method                      national    gap mean  gap min   Hubei → Hunan top-1
    ==========================  ==========  ========  ========  ==================
    char                        28/36       0.066     -0.090    22/22
    jieba                       29/36       0.080     -0.090    21/22
    combined                    28/36       0.076     -0.084    22/22
    sentences (default)         30/36       0.077     -0.100    22/22
    ==========================  ==========  ========  ========  ==================

The two scores are combined by the plain mean; weights 0.7/0.3 or 1/0.5 and the maximum
of the two also gave 30/36 (and 22/22), the sentence score alone 29/36 and 21/22.  Taking
the single best sentence pair instead of the mean over the source's sentences gave 25–30/36
and always lost a Hubei → Hunan pair.  Nothing was tuned beyond these few variants.  The case that
motivated it: Qingyang's minimum-living-allowance task （五）/7 scored 0.034 with ``char``
against the national social-insurance task （十） ("…在常住地申办最低生活保障"), below
an unrelated task at 0.045; with ``sentences`` （十） is first.  Still missed (6/36):
pairs whose shared sentence is generic (a characteristic-towns sentence that also
opens an innovation task) or where two national tasks overlap (infrastructure
extended to villages vs urban utilities).  It still compares characters: synonyms
written with other characters are not matched.

Measured on ``tests/fixtures/alignment_pairs.csv`` (22 Hubei → Hunan pairs from the
2021 work points, written by reading both documents; Hubei （十八） and （二十二） have
no counterpart).  "top-1" is the share of pairs whose true target is ranked first by
``align(corpus, HUBEI, HUNAN)``; "reverse" the same from Hunan to Hubei; "gap" is
true score minus the best wrong score of the same Hubei task (mean / min over pairs;
min < 0 means a miss):

    ================================  =======  =======  =======  ========
    method (clauses stripped)          top-1    reverse  gap mean gap min
    ================================  =======  =======  =======  ========
    sentences (default since issue 13) 1.000    1.000    0.269    0.015
    char 2–3-gram                      1.000    1.000    0.248    0.037
    char 2–3-gram, clauses kept        1.000    1.000    0.251    0.035
    char 1–2-gram                      0.955    1.000    0.267   -0.000
    char 1–3-gram                      1.000    1.000    0.252    0.016
    char 2-gram                        1.000    1.000    0.267    0.035
    char 2–4-gram                      1.000    1.000    0.231    0.033
    char 3-gram                        1.000    1.000    0.231    0.039
    jieba + userdict                   0.955    1.000    0.245   -0.022
    jieba + userdict, clauses kept     0.955    1.000    0.248   -0.018
    jieba + userdict, cut_for_search   0.955    1.000    0.304   -0.021
    jieba, no userdict                 1.000    1.000    0.279    0.001
    combined (char 2–3 + jieba+dict)   1.000    1.000    0.250    0.009
    combined, clauses kept             1.000    1.000    0.252    0.009
    ================================  =======  =======  =======  ========

The jieba miss is Hubei （二十）深化土地住房制度改革, ranked to Hunan （四）健全配套政策
体系 (宅基地, 承包) instead of （十九）深化改革农村土地制度.  The user dictionary keeps
compounds (农业转移人口, 城乡建设用地增减挂钩) whole, which loses the partial
overlaps char n-grams and plain jieba words still see; it did not improve accuracy
here, and it was not tuned to the fixture.  ``char`` 2–3-grams are the default: best
top-1 and the largest worst-case gap among the 2–3-gram family, no segmenter, and
about 2× faster than jieba end to end (jieba segments 0.5–0.7 MB/s here).  With 22 pairs one
miss is 4.5 points, so differences among the 1.000 rows are not significant.

Speed (``benchmarks/bench_align.py``, 2-core machine, synthetic mutated seed tasks):
char 10,000 × 10,000 tasks (12.6 MB) in 22.8 s (11.8 s of it vectorising, 857k
features), peak RSS 673 MB; at 2,000 × 2,000: char 2.8 s, jieba 0.6 s after 5.4 s of
segmentation (0.47 MB/s), combined 3.0 s after segmentation.  jieba_fast_dat 0.59
(not a dependency, measured once) segments 5–11× faster, 93 % of texts identically,
and gives the same top-1 for all 668 task × document decisions among the seeds.

Clause stripping: accuracy is the same either way on the fixture (22/22).  Kept
clauses raise every Hubei–Hunan score (both provinces list similar agencies), which
widens the gap to "no counterpart" tasks (true min 0.134 vs best unmatched 0.066,
against 0.101 vs 0.061 stripped) but measures who is responsible, not what is to be
done, and is pure noise against documents without clauses (the national plan).  They
are stripped by default; ``strip_clauses=False`` keeps them.

>>> from urbanpolicy import load_corpus                    # doctest: +SKIP
>>> align(load_corpus(), "000_d903ec7be93ef826", "001_217c44fc42c73619", top_k=1)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from importlib.resources import files

import numpy as np
import pandas as pd
import scipy.sparse as sp

from urbanpolicy import settings
from urbanpolicy.extract.agencies import find_clauses

METHODS = ("char", "jieba", "combined", "sentences")
DEFAULT_METHOD = settings.ALIGN_METHOD
CHAR_NGRAMS = (2, 3)
MIN_BODY_CHARS = 8
CHUNK_ROWS = 1000
ALIGN_COLUMNS = ["source_task_id", "target_task_id", "rank", "score"]

_CJK = re.compile(r"[\u3400-\u9fff]")
_LEADING = re.compile(r"^[\s、．.。:：]+")
# Tokens made of punctuation, spaces or digits only carry no topic.
_NOISE_TOKEN = re.compile(r"^[\W\d_]+$")


# ----------------------------------------------------------------- task texts


def strip_label(text: str, label: str) -> str:
    """Return ``text`` without its leading numbering label.

    >>> strip_label("（一）深度放开放宽城市落户限制。深化户籍制度改革", "（一）")
    '深度放开放宽城市落户限制。深化户籍制度改革'
    """
    if isinstance(label, str) and label and text.startswith(label):
        text = text[len(label):]
    return _LEADING.sub("", text)


def strip_clause(text: str) -> str:
    """Return ``text`` without a responsibility clause that closes it.

    >>> strip_clause("推进落户。（省公安厅、市州有关部门负责）")
    '推进落户。'
    """
    clauses = find_clauses(text)
    if not clauses:
        return text
    last = clauses[-1]
    # Only a clause at the very end is bookkeeping; one inside the text is content.
    if text[last.end:].strip(" \n）。") != "":
        return text
    opened = text.rfind("（", 0, last.start + 1)
    cut = opened if opened >= 0 and last.start - opened <= 1 else last.start
    return text[:cut].rstrip()


def _has_own_body(text: str, label: str, title: str) -> bool:
    body = strip_label(text, label)
    if isinstance(title, str) and title and body.startswith(title):
        body = body[len(title):]
    return len(_CJK.findall(body)) >= MIN_BODY_CHARS


def task_texts(corpus, doc_id: str, strip_clauses: bool = True) -> pd.DataFrame:
    """The tasks of ``doc_id`` that take part in alignment, with the text compared.

    Returns a DataFrame (task_id, text) in document order: leaves plus parents with
    text of their own (see the module docstring).

    >>> task_texts(corpus, "000_d903ec7be93ef826").iloc[0]["text"][:6]   # doctest: +SKIP
    '深度放开放宽'
    """
    tasks = corpus.tasks[corpus.tasks["doc_id"] == doc_id]
    keep = [bool(leaf) or _has_own_body(text, label, title)
            for leaf, text, label, title in zip(tasks["is_leaf"], tasks["text"], tasks["label"],
                                                tasks["title"], strict=True)]
    tasks = tasks[pd.Series(keep, index=tasks.index, dtype=bool)]  # a bare [] would select columns
    texts = [strip_label(t, lab) for t, lab in zip(tasks["text"], tasks["label"], strict=True)]
    if strip_clauses:
        texts = [strip_clause(t) for t in texts]
    return pd.DataFrame({"task_id": tasks["task_id"].to_list(), "text": texts})


# ----------------------------------------------------------------- jieba


class _Segmenter:
    """A private jieba Tokenizer with the package dictionary, loaded on first use.

    Segmentations are cached by a hash of the text: the same task text is segmented
    once per process however many times it is compared.
    """

    def __init__(self, max_entries: int = 200_000) -> None:
        self._tokenizer = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[bytes, tuple[str, ...]] = OrderedDict()
        self.max_entries = max_entries

    def tokenizer(self):
        with self._lock:
            if self._tokenizer is None:
                import jieba  # imported here: jieba costs ~1 s to load and only this method needs it

                tok = jieba.Tokenizer()
                with files("urbanpolicy.rules").joinpath("userdict.txt").open("rb") as fh:
                    tok.load_userdict(fh)
                self._tokenizer = tok
            return self._tokenizer

    def tokens(self, text: str) -> tuple[str, ...]:
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        words = tuple(w for w in self.tokenizer().cut(text, HMM=True)
                      if not _NOISE_TOKEN.match(w))
        self._cache[key] = words
        if len(self._cache) > self.max_entries:
            self._cache.popitem(last=False)
        return words

    def clear(self) -> None:
        self._cache.clear()


SEGMENTER = _Segmenter()


def jieba_tokens(text: str) -> list[str]:
    """jieba words of ``text`` with the package dictionary, punctuation dropped.

    >>> jieba_tokens("推进农业转移人口市民化")     # doctest: +SKIP
    ['推进', '农业转移人口', '市民化']
    """
    return list(SEGMENTER.tokens(text))


# ----------------------------------------------------------------- vectors


def _vectorizer(method: str):
    # scikit-learn costs ~1.5 s to import; only vectorising needs it.
    from sklearn.feature_extraction.text import TfidfVectorizer

    if method == "char":
        return TfidfVectorizer(analyzer="char", ngram_range=CHAR_NGRAMS, sublinear_tf=True,
                               dtype=np.float32)
    if method == "jieba":
        analyzer: Callable[[str], list[str]] = jieba_tokens
        return TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, dtype=np.float32)
    raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")


def tfidf_pair(a_texts: list[str], b_texts: list[str], method: str) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """L2-normalised TF-IDF rows for both sides, IDF fitted on their union.

    Returns (A, B) as CSR matrices with the same columns; ``A @ B.T`` is the cosine.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")
    if method == "sentences":  # whole-task vectors of the sentences method are char vectors
        method = "char"
    if method == "combined":
        from sklearn.preprocessing import normalize

        parts = [tfidf_pair(a_texts, b_texts, m) for m in ("char", "jieba")]
        weight = np.float32(1 / np.sqrt(2))
        a = sp.hstack([p[0] for p in parts], format="csr") * weight
        b = sp.hstack([p[1] for p in parts], format="csr") * weight
        return normalize(a).tocsr(), normalize(b).tocsr()
    vec = _vectorizer(method)
    matrix = vec.fit_transform(list(a_texts) + list(b_texts)).tocsr()
    return matrix[: len(a_texts)], matrix[len(a_texts):]


# ----------------------------------------------------------------- sentences

# A sentence ends at 。；！？ (or their half-width forms).  A piece with fewer than
# MIN_SENTENCE_CHARS Chinese characters (a cut heading, a clause remnant) is no sentence of its
# own; a task with none is one sentence.
_SENTENCE_END = re.compile(r"(?<=[。；！？;!?])")
MIN_SENTENCE_CHARS = 4
# Sentence scores are computed for each source task's SENTENCE_CANDIDATES best targets by
# whole-task score (all targets when there are no more): exact for documents of up to that
# many tasks, and what keeps 10,000 × 10,000 tasks linear in the candidates, not quadratic
# in sentences.  A target outside a task's candidates scores half its whole-task cosine.
SENTENCE_CANDIDATES = 64
SENTENCE_BLOCK = 8


def sentences(text: str) -> list[str]:
    """The sentences of a task text that carry content (see MIN_SENTENCE_CHARS).

    >>> sentences("推进改革。加快建设；好。")
    ['推进改革。', '加快建设；']
    """
    parts = [p for p in _SENTENCE_END.split(text) if len(_CJK.findall(p)) >= MIN_SENTENCE_CHARS]
    return parts or [text]


def _cosines(a: sp.csr_matrix, b: sp.csr_matrix, lookup: np.ndarray) -> np.ndarray:
    """Dense ``a @ b.T`` computed on the features ``a`` uses only.

    scipy's sparse product costs time in the inner dimension (850,000 n-grams at 10,000
    tasks) for every block; restricting both sides to the few thousand n-grams of the
    block keeps each product proportional to its own non-zeros.  ``lookup`` is a scratch
    array of -1 with one slot per feature (left as it was found).
    """
    feats = np.unique(a.indices)
    if not len(feats) or not b.shape[0]:
        return np.zeros((a.shape[0], b.shape[0]), dtype=np.float32)
    lookup[feats] = np.arange(len(feats))
    try:
        pos = lookup[b.indices]
        keep = pos >= 0
        rows = np.repeat(np.arange(b.shape[0]), np.diff(b.indptr))
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows[keep], minlength=b.shape[0]))])
        b_small = sp.csr_matrix((b.data[keep], pos[keep], indptr), shape=(b.shape[0], len(feats)))
        a_small = sp.csr_matrix((a.data, lookup[a.indices], a.indptr), shape=(a.shape[0], len(feats)))
    finally:
        lookup[feats] = -1
    return (a_small @ b_small.T).toarray()


class _SentenceIndex:
    """Sentence vectors of both sides and where each task's sentences start."""

    def __init__(self, a_texts: list[str], b_texts: list[str], vectorizer) -> None:  # noqa: ANN001
        a_units = [sentences(t) for t in a_texts]
        b_units = [sentences(t) for t in b_texts]
        self.a_len = np.array([len(u) for u in a_units], dtype=np.int64)
        self.a_off = np.concatenate([[0], np.cumsum(self.a_len)[:-1]]).astype(np.int64)
        b_len = np.array([len(u) for u in b_units], dtype=np.int64)
        self.b_off = np.concatenate([[0], np.cumsum(b_len)[:-1]]).astype(np.int64)
        self.b_len = b_len
        # the tasks' vocabulary and IDF: transforming is cheaper than fitting a second time
        self.a = vectorizer.transform([s for u in a_units for s in u]).tocsr()
        self.b = vectorizer.transform([s for u in b_units for s in u]).tocsr()
        self.lookup = np.full(self.a.shape[1], -1, dtype=np.int64)

    def coverage(self, start: int, stop: int, whole: np.ndarray) -> np.ndarray:
        """Tasks ``start:stop`` × all target tasks: mean over the source task's sentences of the
        best cosine with any sentence of the target task; 0 outside each source task's
        SENTENCE_CANDIDATES best targets by whole-task score ``whole`` (its rows).

        Computed SENTENCE_BLOCK source tasks at a time: the union of their candidates
        stays small, so the work is about (sentences × candidate sentences), not all pairs.
        """
        out = np.zeros(whole.shape, dtype=np.float64)
        for lo in range(start, stop, SENTENCE_BLOCK):
            hi = min(stop, lo + SENTENCE_BLOCK)
            out[lo - start:hi - start] = self._coverage(lo, hi, whole[lo - start:hi - start])
        return out

    def _coverage(self, start: int, stop: int, whole: np.ndarray) -> np.ndarray:
        lo = self.a_off[start]
        hi = self.a_off[stop - 1] + self.a_len[stop - 1]
        n_b = len(self.b_off)
        if n_b <= SENTENCE_CANDIDATES:
            targets = np.arange(n_b)
            keep = None
        else:
            candidates = np.argpartition(-whole, SENTENCE_CANDIDATES - 1, axis=1)[:, :SENTENCE_CANDIDATES]
            targets = np.unique(candidates)
            keep = np.zeros(whole.shape, dtype=bool)
            np.put_along_axis(keep, candidates, True, axis=1)
        cols = np.concatenate([np.arange(self.b_off[t], self.b_off[t] + self.b_len[t]) for t in targets])
        offsets = np.concatenate([[0], np.cumsum(self.b_len[targets])[:-1]])
        block = _cosines(self.a[lo:hi], self.b[cols], self.lookup)                     # sentences × candidate sentences
        best = np.maximum.reduceat(block, offsets, axis=1)              # sentences × candidate tasks
        mean = np.add.reduceat(best, self.a_off[start:stop] - lo, axis=0) / self.a_len[start:stop, None]
        out = np.zeros(whole.shape, dtype=np.float64)
        out[:, targets] = mean
        if keep is not None:
            out[~keep] = 0.0  # the same whatever else is in this block: results do not depend on chunking
        return out


# ----------------------------------------------------------------- top-k


def _top_k_dense(scores: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the k best scores per row, best first, ties by lower index."""
    n, m = scores.shape
    if k >= m:
        return np.lexsort((np.broadcast_to(np.arange(m), (n, m)), -scores), axis=1)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    kth = np.take_along_axis(scores, part, axis=1).min(axis=1)
    out = np.empty((n, k), dtype=np.int64)
    for i in range(n):
        row = scores[i]
        # argpartition picks arbitrarily among scores equal to the k-th; redo those rows.
        better = np.flatnonzero(row > kth[i])
        if len(better) + np.count_nonzero(row == kth[i]) == k:
            idx = part[i]
        else:
            ties = np.flatnonzero(row == kth[i])[: k - len(better)]
            idx = np.concatenate([better, ties])
        out[i] = idx[np.lexsort((idx, -row[idx]))]
    return out


def similarity_top_k(a_texts: list[str], b_texts: list[str], top_k: int = 3,
                     method: str = DEFAULT_METHOD, chunk_rows: int = CHUNK_ROWS
                     ) -> tuple[np.ndarray, np.ndarray]:
    """For each text of ``a_texts``, the ``top_k`` most similar texts of ``b_texts``.

    Returns (indices, scores), both shaped (len(a_texts), min(top_k, len(b_texts))):
    indices into ``b_texts`` best first (ties broken by lower index), cosine scores in
    [0, 1].  Scores are computed ``chunk_rows`` source rows at a time, so memory is
    ``chunk_rows × len(b_texts)`` floats, never the full matrix.

    >>> idx, sc = similarity_top_k(["城市更新行动"], ["乡村产业", "实施城市更新"], 1, "char")
    >>> idx.tolist(), bool(sc[0, 0] > 0.3)
    ([[1]], True)
    """
    if top_k < 1:
        raise ValueError("top_k must be at least 1")
    k = min(top_k, len(b_texts))
    if not len(a_texts) or k == 0:
        return np.zeros((len(a_texts), k), dtype=np.int64), np.zeros((len(a_texts), k))
    index = None
    if method == "sentences":
        vectorizer = _vectorizer("char")
        matrix = vectorizer.fit_transform(list(a_texts) + list(b_texts)).tocsr()
        a, b = matrix[: len(a_texts)], matrix[len(a_texts):]
        index = _SentenceIndex(a_texts, b_texts, vectorizer)
    else:
        a, b = tfidf_pair(a_texts, b_texts, method)
    bt = b.T.tocsc()
    indices = np.empty((a.shape[0], k), dtype=np.int64)
    scores = np.empty((a.shape[0], k), dtype=np.float64)
    for start in range(0, a.shape[0], chunk_rows):
        block = (a[start:start + chunk_rows] @ bt).toarray()
        if index is not None:  # mean of the whole-task and the sentence score
            block = (block + index.coverage(start, start + len(block), block)) / 2
        top = _top_k_dense(block, k)
        indices[start:start + len(block)] = top
        scores[start:start + len(block)] = np.take_along_axis(block, top, axis=1)
    # float32 products can land a hair outside [0, 1]
    return indices, np.clip(scores, 0.0, 1.0)


# ----------------------------------------------------------------- align


def align(corpus, source: str, target: str, top_k: int = 3, method: str = DEFAULT_METHOD,
          strip_clauses: bool = True) -> pd.DataFrame:
    """For each task of document ``source``, the ``top_k`` most similar tasks of ``target``.

    Returns a DataFrame with columns source_task_id, target_task_id, rank (1 = best),
    score (cosine, 0–1), ordered by source task order then rank.

    >>> align(corpus, "000_d903ec7be93ef826", "001_217c44fc42c73619", top_k=1).iloc[0]  # doctest: +SKIP
    source_task_id    000_d903ec7be93ef826:一/（一）
    target_task_id    001_217c44fc42c73619:二/（一）
    rank                                        1
    score                                0.31748
    """
    src = task_texts(corpus, source, strip_clauses)
    tgt = task_texts(corpus, target, strip_clauses)
    idx, scores = similarity_top_k(src["text"].to_list(), tgt["text"].to_list(), top_k, method)
    k = idx.shape[1]
    target_ids = tgt["task_id"].to_numpy(dtype=object)
    return pd.DataFrame({
        "source_task_id": np.repeat(src["task_id"].to_numpy(dtype=object), k),
        "target_task_id": target_ids[idx.ravel()] if k else np.array([], dtype=object),
        "rank": np.tile(np.arange(1, k + 1), len(src)),
        "score": scores.ravel(),
    }, columns=ALIGN_COLUMNS)



# ----------------------------------------------------------------- n-grams counted once

# scikit-learn's char analyzer lower-cases and folds runs of white space into one space
# before cutting n-grams; the counts below do the same so that they equal its counts.
_WHITE_SPACES = re.compile(r"\s\s+")
_CODEPOINT_BITS = 21  # every Unicode code point is below 2**21: a 3-gram packs into 63 bits


def char_ngram_counts(texts: list[str]) -> sp.csr_matrix:
    """Counts of the character 2- and 3-grams of each text, as scikit-learn's
    ``TfidfVectorizer(analyzer="char", ngram_range=(2, 3))`` counts them (lower-cased,
    runs of white space folded), computed with numpy in one pass over all texts.

    Returns a float32 CSR matrix with one row per text and one column per distinct n-gram
    (2-grams first, each in order of first appearance).

    >>> char_ngram_counts(["城市城市", "城"]).toarray().tolist()  # 城市 ×2, 市城; 城市城, 市城市
    [[2.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]]
    """
    prepared = [_WHITE_SPACES.sub(" ", t.lower()) for t in texts]
    lengths = np.fromiter((len(t) for t in prepared), dtype=np.int64, count=len(prepared))
    ends = np.cumsum(lengths)
    points = np.frombuffer("".join(prepared).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    del prepared
    row_of = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
    blocks = []
    code = points
    for n in (2, 3):
        # n-grams starting at every position; those running past their text's end are dropped
        code = (code[:-1] << _CODEPOINT_BITS) | points[n - 1:]
        valid = np.ones(len(code), dtype=bool)
        for back in range(1, n):
            cut = ends - back
            valid[cut[(cut >= 0) & (cut < len(code))]] = False
        column, grams = pd.factorize(code[valid])  # hashing: much faster than np.unique's sort here
        column = column.astype(np.int32)
        # rows ascending: the matrix is built without sorting
        indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_of[: len(code)][valid], minlength=len(lengths)), out=indptr[1:])
        del valid
        block = sp.csr_matrix((np.ones(len(column), dtype=np.float32), column, indptr),
                              shape=(len(lengths), len(grams)))
        del column
        block.sum_duplicates()
        blocks.append(block)
    del code, points, row_of
    return sp.hstack(blocks, format="csr", dtype=np.float32)


def _weigh(counts: sp.csr_matrix, columns: np.ndarray, idf: np.ndarray) -> sp.csr_matrix:
    """``TfidfTransformer(sublinear_tf=True)`` on ``counts`` whose columns map to ``columns``
    (positions in ``idf``): 1 + log(tf), times idf, rows L2-normalised; float32."""
    data = np.log(counts.data.astype(np.float32))
    data += np.float32(1.0)
    data *= idf[columns]
    lengths = np.diff(counts.indptr)
    rows = np.repeat(np.arange(counts.shape[0]), lengths)
    norms = np.sqrt(np.bincount(rows, weights=data.astype(np.float64) ** 2, minlength=counts.shape[0]))
    norms[norms == 0] = 1.0
    data /= norms[rows].astype(np.float32)
    return sp.csr_matrix((data, columns, counts.indptr), shape=(counts.shape[0], len(idf)))


class TaskNgrams:
    """The character n-grams of every aligned task and of its sentences, counted once for a corpus.

    ``align`` fits TF-IDF on the two documents it compares, cutting both texts into n-grams
    each time; comparing many pairs (``coverage`` against every document, ``dyads``) repeated
    that work per pair.  Here the n-grams of all tasks and sentences are counted in one pass
    (``char_ngram_counts``) and each pair only weighs its rows: IDF from the two documents'
    tasks, as ``align`` fits it, so ``best(a, b)`` gives ``align(corpus, a, b, top_k=1)``'s
    matches and scores (equal to float32 rounding; a test compares them).  Methods ``char``
    and ``sentences``.  Not for use from several threads at once (``best`` uses scratch arrays).

    >>> import urbanpolicy as up                                           # doctest: +SKIP
    >>> TaskNgrams(up.load_corpus()).best("000_d903ec7be93ef826", "001_217c44fc42c73619")  # doctest: +SKIP
    """

    def __init__(self, corpus, doc_ids: list[str] | None = None, strip_clauses: bool = True,  # noqa: ANN001
                 method: str = DEFAULT_METHOD) -> None:
        if method not in ("char", "sentences"):
            raise ValueError(f"TaskNgrams: method {method!r} is not counted once; use align()")
        self.method = method
        texts = all_task_texts(corpus, doc_ids, strip_clauses)
        self.task_ids: dict[str, np.ndarray] = {}
        self._rows: dict[str, tuple[int, int]] = {}
        ids = texts["task_id"].to_numpy(dtype=object)
        doc_col = texts["doc_id"].to_numpy(dtype=object)
        bounds = np.flatnonzero(np.r_[True, doc_col[1:] != doc_col[:-1], True]) if len(doc_col) else np.array([0])
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            self._rows[doc_col[lo]] = (int(lo), int(hi))
            self.task_ids[doc_col[lo]] = ids[lo:hi]
        task_list = texts["text"].to_list()
        units = [sentences(t) for t in task_list] if method == "sentences" else []
        self.sentence_count = np.array([len(u) for u in units], dtype=np.int64)
        self.sentence_start = np.concatenate([[0], np.cumsum(self.sentence_count)]).astype(np.int64)
        counts = char_ngram_counts(task_list + [s for u in units for s in u])
        self.tasks = counts[: len(task_list)]
        sentence_counts = counts[len(task_list):]
        del counts
        # scratch arrays over all n-grams (left as found): a pair's vocabulary without sorting
        self._seen = np.zeros(self.tasks.shape[1], dtype=bool)
        self._lookup = np.full(self.tasks.shape[1], -1, dtype=np.int64)
        # each document's rows sliced once: slicing a large CSR matrix per pair costs more than the pair
        self._task_rows = {d: self.tasks[lo:hi] for d, (lo, hi) in self._rows.items()}
        self._sentence_rows = ({d: sentence_counts[self.sentence_start[lo]:self.sentence_start[hi]]
                                for d, (lo, hi) in self._rows.items()} if method == "sentences" else {})

    def documents(self) -> list[str]:
        """The documents that have tasks taking part in alignment, in corpus order."""
        return list(self._rows)

    def document_counts(self, doc_ids: list[str]) -> sp.csr_matrix:
        """One row per document of ``doc_ids``: the n-gram counts of its tasks added up (a
        document without tasks is a row of zeros)."""
        spans = [self._rows.get(d, (0, 0)) for d in doc_ids]
        rows = np.repeat(np.arange(len(doc_ids)), [hi - lo for lo, hi in spans])
        tasks = np.concatenate([np.arange(lo, hi) for lo, hi in spans] or [np.zeros(0)]).astype(np.int64)
        pick = sp.csr_matrix((np.ones(len(tasks), dtype=np.float32), (rows, tasks)),
                             shape=(len(doc_ids), self.tasks.shape[0]))
        counts = (pick @ self.tasks).tocsr()
        counts.eliminate_zeros()
        return counts

    def best(self, source: str, target: str) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """Best match of each task of ``source`` in ``target`` and of each task of ``target`` in ``source``.

        Returns ((forward_index, forward_score), (backward_index, backward_score)): for each
        source task the position of its best target task (``task_ids[target]``; -1 when
        ``target`` has no task) and the score, and the same from ``target`` to ``source``;
        ties go to the earlier task, as in ``similarity_top_k``.
        """
        a_lo, a_hi = self._rows.get(source, (0, 0))
        b_lo, b_hi = self._rows.get(target, (0, 0))
        n_a, n_b = a_hi - a_lo, b_hi - b_lo
        if not n_a or not n_b:
            return ((np.full(n_a, -1), np.zeros(n_a)), (np.full(n_b, -1), np.zeros(n_b)))
        a, b = self._task_rows[source], self._task_rows[target]
        # the pair's vocabulary and IDF, as TfidfVectorizer fits them on the two sides' tasks
        both = np.concatenate([a.indices, b.indices])
        self._seen[both] = True
        feats = np.flatnonzero(self._seen)
        self._seen[feats] = False
        self._lookup[feats] = np.arange(len(feats))
        try:
            return self._best(source, target, a, b, feats, self._lookup[both])
        finally:
            self._lookup[feats] = -1

    def _best(self, source: str, target: str, a: sp.csr_matrix, b: sp.csr_matrix, feats: np.ndarray,
              local: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        n_a, n_b = a.shape[0], b.shape[0]
        df = np.bincount(local, minlength=len(feats)).astype(np.float32)
        idf = np.full_like(df, n_a + n_b + 1, dtype=np.float32)
        idf /= df + np.float32(1.0)
        np.log(idf, out=idf)
        idf += np.float32(1.0)
        wa = _weigh(a, local[: len(a.indices)], idf)
        wb = _weigh(b, local[len(a.indices):], idf)
        whole = (wa @ wb.T).toarray()
        if self.method == "char":
            forward, backward = whole.astype(np.float64), whole.T.astype(np.float64)
        else:
            sa, sb = self._sentence_rows[source], self._sentence_rows[target]
            ws = _weigh(sa, self._lookup[sa.indices], idf)
            wt = _weigh(sb, self._lookup[sb.indices], idf)
            cos = (ws @ wt.T).toarray()
            (a_lo, a_hi), (b_lo, b_hi) = self._rows[source], self._rows[target]
            len_a, len_b = self.sentence_count[a_lo:a_hi], self.sentence_count[b_lo:b_hi]
            forward = (whole + _sentence_score(cos, whole, len_a, len_b)) / 2
            backward = (whole.T + _sentence_score(cos.T, whole.T, len_b, len_a)) / 2
        out = []
        for scores in (forward, backward):
            top = scores.argmax(axis=1)  # the first of equal maxima: _top_k_dense's tie rule for k = 1
            out.append((top, np.clip(scores[np.arange(len(top)), top], 0.0, 1.0)))
        return out[0], out[1]


def _sentence_score(cos: np.ndarray, whole: np.ndarray, len_a: np.ndarray, len_b: np.ndarray) -> np.ndarray:
    """``_SentenceIndex.coverage`` for one pair from its sentence cosines ``cos``: per source task
    and target task, the mean over the source's sentences of the best cosine with a sentence of
    the target; 0 outside each source task's SENTENCE_CANDIDATES best targets by ``whole``."""
    off_a = np.concatenate([[0], np.cumsum(len_a)[:-1]])
    off_b = np.concatenate([[0], np.cumsum(len_b)[:-1]])
    best = np.maximum.reduceat(cos, off_b, axis=1)
    mean = np.add.reduceat(best, off_a, axis=0) / len_a[:, None]
    if whole.shape[1] > SENTENCE_CANDIDATES:
        candidates = np.argpartition(-whole, SENTENCE_CANDIDATES - 1, axis=1)[:, :SENTENCE_CANDIDATES]
        keep = np.zeros(whole.shape, dtype=bool)
        np.put_along_axis(keep, candidates, True, axis=1)
        mean[~keep] = 0.0
    return mean


def all_task_texts(corpus, doc_ids: list[str] | None = None, strip_clauses: bool = True) -> pd.DataFrame:  # noqa: ANN001
    """``task_texts`` of every document (or of ``doc_ids``) at once: doc_id, task_id, text, in corpus order.

    >>> all_task_texts(corpus).groupby("doc_id").size()          # doctest: +SKIP
    """
    tasks = corpus.tasks
    if doc_ids is not None:
        tasks = tasks[tasks["doc_id"].isin(list(doc_ids))]
    keep = [bool(leaf) or _has_own_body(text, label, title)
            for leaf, text, label, title in zip(tasks["is_leaf"], tasks["text"], tasks["label"],
                                                tasks["title"], strict=True)]
    tasks = tasks[pd.Series(keep, index=tasks.index, dtype=bool)]
    texts = [strip_label(t, lab) for t, lab in zip(tasks["text"], tasks["label"], strict=True)]
    if strip_clauses:
        texts = [strip_clause(t) for t in texts]
    out = pd.DataFrame({"doc_id": tasks["doc_id"].astype(object).to_numpy(),
                        "task_id": tasks["task_id"].to_list(), "text": texts})
    # a document's tasks together, documents in corpus order (tasks are stored that way already)
    order = {d: i for i, d in enumerate(corpus.documents["doc_id"])}
    return out.sort_values("doc_id", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
