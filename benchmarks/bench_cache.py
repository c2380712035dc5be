"""Benchmark the incremental parse cache: reload after one changed file against a full load.

Builds a folder of N files (default 1,000) from the seeds (each copy numbered so no two are
duplicates), then times, in one process:
  * the floor: a full ``load_corpus`` with no cache;
  * a cold load that fills an empty cache (full parse + writing every entry);
  * a warm load with nothing changed (the corpus entry: Parquet tables);
  * a reload after one file changed (the other runs' tables read, the file parsed and spliced into
    its run's tables, the steps over every document run again): the process compiles the parsing
    rules on the way, as a notebook's first reload would (the full load parsed in worker processes);
  * another reload after a second file changed, the rules now compiled (for the record).
The aim (issue 15): the one-changed reload takes at most 5% of the full load.
Prints JSON and a readable table.  Usage: python benchmarks/bench_cache.py [--files 1000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(folder: Path, n: int) -> int:
    """Write ``n`` documents (seed excerpts, each with its own number); return total bytes."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    total = 0
    for i in range(n):
        text = seeds[i % len(seeds)]
        body = f"第{i}号通知\n" + text[: 4000 + (i % 7) * 500]
        path = folder / f"prov{i % 10}" / f"doc{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        total += len(body.encode("utf-8"))
    return total


def timed(fn) -> tuple[float, object]:  # noqa: ANN001
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    import pandas as pd

    import urbanpolicy as up

    with tempfile.TemporaryDirectory() as tmp:
        docs, cache = Path(tmp) / "docs", Path(tmp) / "cache"
        nbytes = build(docs, args.files)
        full, fresh = timed(lambda: up.load_corpus(docs, workers=args.workers))
        cold, _ = timed(lambda: up.load_corpus(docs, workers=args.workers, cache=cache))
        warm, _ = timed(lambda: up.load_corpus(docs, workers=args.workers, cache=cache))
        changed = docs / "prov3" / "doc00003.txt"
        changed.write_text(changed.read_text(encoding="utf-8") + "\n（九十九）新增的任务。", encoding="utf-8")
        one, reloaded = timed(lambda: up.load_corpus(docs, workers=args.workers, cache=cache))
        truth = up.load_corpus(docs, workers=args.workers)
        for name, frame in truth.tables().items():
            pd.testing.assert_frame_equal(frame, reloaded.tables()[name], obj=name)
        other = docs / "prov7" / "doc00007.txt" if args.files > 7 else changed
        other.write_text(other.read_text(encoding="utf-8") + "\n（九十八）又一项任务。", encoding="utf-8")
        again, reloaded = timed(lambda: up.load_corpus(docs, workers=args.workers, cache=cache))
        truth = up.load_corpus(docs, workers=args.workers)
        for name, frame in truth.tables().items():
            pd.testing.assert_frame_equal(frame, reloaded.tables()[name], obj=name)
        result = {"files": args.files, "mb": round(nbytes / 1e6, 1), "full_s": round(full, 2),
                  "cold_cache_s": round(cold, 2), "warm_cache_s": round(warm, 3),
                  "one_changed_s": round(one, 3), "one_changed_share_of_full": round(one / full, 3),
                  "one_changed_rules_compiled_s": round(again, 3),
                  "aim_share": 0.05, "tables_identical": True, "documents": len(fresh.documents)}
    print(json.dumps(result))
    print(f"{'files':>6} {'MB':>6} {'full s':>8} {'cold s':>8} {'warm s':>8} {'1 changed s':>12} {'share':>7} "
          f"{'again s':>8}")
    print(f"{result['files']:>6} {result['mb']:>6} {result['full_s']:>8} {result['cold_cache_s']:>8} "
          f"{result['warm_cache_s']:>8} {result['one_changed_s']:>12} {result['one_changed_share_of_full']:>7.1%} "
          f"{result['one_changed_rules_compiled_s']:>8}")


if __name__ == "__main__":
    main()
