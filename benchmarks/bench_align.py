"""Benchmark ``urbanpolicy.analysis.alignment.similarity_top_k`` on synthetic task texts.

Synthetic tasks are seed task texts (as ``task_texts`` prepares them) cut into
sentences, shuffled, partly dropped, mixed with a sentence of another task and with
a few characters replaced, so that no two are identical and the vocabulary is that
of real documents.  Each case runs in a fresh process so its peak RSS
(``resource.getrusage``) is its own:

  * char  n × n (default 10,000 × 10,000): vectorising and chunked top-k;
  * jieba n × n (default 2,000 × 2,000): segmentation alone on a cold cache (MB/s of
    UTF-8 text), then the whole top-k with the cache warm;
  * sentences (the default method) at both sizes: whole-task and sentence vectors, and the
    sentence-coverage top-k.

Prints JSON and a readable table.
Usage: python benchmarks/bench_align.py [--n 10000] [--jieba-n 2000] [--top-k 3]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time

_SENTENCE = re.compile(r"[^。；！？]+[。；！？]?")


def synthetic_texts(n: int, seed: int) -> list[str]:
    """``n`` mutated task texts built from the seeds (deterministic for a seed)."""
    import urbanpolicy
    from urbanpolicy.analysis.alignment import task_texts

    corpus = urbanpolicy.load_corpus()
    pool = [t for d in corpus.documents["doc_id"] for t in task_texts(corpus, d)["text"]]
    sentences = [_SENTENCE.findall(t) for t in pool]
    alphabet = sorted({ch for t in pool for ch in t if "\u4e00" <= ch <= "\u9fff"})
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = list(sentences[rng.randrange(len(pool))])
        rng.shuffle(parts)
        parts = parts[: max(1, rng.randint(len(parts) // 2, len(parts)))]
        parts.append(rng.choice(rng.choice(sentences)))  # a sentence from elsewhere
        chars = list("".join(parts))
        for _ in range(len(chars) // 20):  # ~5 % of characters replaced
            chars[rng.randrange(len(chars))] = rng.choice(alphabet)
        out.append("".join(chars))
    return out


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_case(method: str, n: int, top_k: int) -> dict:
    """One measurement in this process; returns its figures."""
    from urbanpolicy.analysis import alignment

    a, b = synthetic_texts(n, 1), synthetic_texts(n, 2)
    n_bytes = sum(len(t.encode("utf-8")) for t in a + b)
    base_mb = _peak_mb()
    result = {"method": method, "n_source": n, "n_target": n, "top_k": top_k,
              "mb_text": round(n_bytes / 1e6, 2)}
    if method in ("jieba", "combined"):
        alignment.SEGMENTER.tokenizer()  # dictionary load is not segmentation
        alignment.SEGMENTER.clear()
        t0 = time.perf_counter()
        for text in a + b:
            alignment.SEGMENTER.tokens(text)
        seg = time.perf_counter() - t0
        result.update(segment_s=round(seg, 2), segment_mb_per_s=round(n_bytes / 1e6 / seg, 2))
    t0 = time.perf_counter()
    mat_a, mat_b = alignment.tfidf_pair(a, b, method)
    result["vectorise_s"] = round(time.perf_counter() - t0, 2)
    result["features"] = mat_a.shape[1]
    t0 = time.perf_counter()
    idx, scores = alignment.similarity_top_k(a, b, top_k, method)
    result["top_k_total_s"] = round(time.perf_counter() - t0, 2)
    result["peak_rss_mb"] = round(_peak_mb(), 1)
    result["peak_rss_above_inputs_mb"] = round(_peak_mb() - base_mb, 1)
    result["mean_top1_score"] = round(float(scores[:, 0].mean()), 4)
    assert idx.shape == (n, min(top_k, n))
    return result


def _in_subprocess(method: str, n: int, top_k: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--case", method, "--n", str(n), "--top-k", str(top_k)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--jieba-n", type=int, default=2_000)
    parser.add_argument("--top-k", type=int, default=3)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.n, args.top_k)))
        return
    results = [_in_subprocess("char", args.n, args.top_k),
               _in_subprocess("char", args.jieba_n, args.top_k),
               _in_subprocess("jieba", args.jieba_n, args.top_k),
               _in_subprocess("combined", args.jieba_n, args.top_k),
               _in_subprocess("sentences", args.jieba_n, args.top_k),
               _in_subprocess("sentences", args.n, args.top_k)]
    print(json.dumps(results, indent=2))
    print(f"\n{'method':10} {'n×n':>13} {'MB':>6} {'features':>9} {'vector s':>9} {'total s':>8} "
          f"{'seg MB/s':>9} {'peak MB':>8}")
    for r in results:
        print(f"{r['method']:10} {r['n_source']:>6}×{r['n_target']:<6} {r['mb_text']:>6} {r['features']:>9} "
              f"{r['vectorise_s']:>9} {r['top_k_total_s']:>8} {r.get('segment_mb_per_s', '-')!s:>9} "
              f"{r['peak_rss_mb']:>8}")


if __name__ == "__main__":
    main()
