"""Time the agencies stage (``assignment_rows`` + ``add_directives``) against its reference.

The loader calls both per document; here they run over the clean texts of the seeds repeated
``--scale`` times (or of ``--folder``), with the tasks of ``structure_rows`` prepared first,
alternating the fast path and the ``..._reference`` functions it replaces (median of
``--repeats``, CPU seconds of this process).  The floor is what no matcher can avoid: one
scan of every text for the register's literal heads (Rust's aho-corasick) — every remaining
second is Python deciding what a hit means.  Both paths must give identical rows, checked
on every run.  The aim (issue 15): the stage at least 3× faster than the reference.

Usage: python benchmarks/bench_agencies.py [--scale 100] [--repeats 3] [--folder DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AIM = 3.0


def documents(folder: Path | None, scale: int) -> list[tuple[str, str, list[dict], str | None, str]]:
    """(doc_id, clean text, task rows, region, level) of each document."""
    from urbanpolicy import load_corpus
    from urbanpolicy.extract.structure import structure_rows

    table = load_corpus(folder or ROOT / "seeds").documents
    out = []
    for d in table.itertuples(index=False):
        if not isinstance(d.text, str):
            continue
        _, tasks, _ = structure_rows(d.doc_id, d.text)
        region = d.region if isinstance(d.region, str) else None
        out.append((d.doc_id, d.text, tasks, region, d.level if isinstance(d.level, str) else ""))
    return out * (1 if folder else scale)


def stage(assign: Callable, directives: Callable, docs: list) -> tuple[float, list]:
    """CPU seconds of both calls over ``docs`` (task dicts copied first, outside the clock)."""
    from urbanpolicy.extract.structure import TaskSpans

    seconds, results = 0.0, []
    for doc_id, text, tasks, region, level in docs:
        tasks = [dict(t) for t in tasks]
        spans = TaskSpans.from_rows(tasks)
        started = time.process_time()
        rows, problems = assign(doc_id, text, spans, region, level)
        directives(text, tasks, [(r["start"], r["end"]) for r in rows])
        seconds += time.process_time() - started
        results.append((rows, problems, tasks))
    return seconds, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    from urbanpolicy.extract import agencies, directive

    docs = documents(args.folder, args.scale)
    mb = sum(len(d[1].encode("utf-8")) for d in docs) / 1e6
    heads = agencies._matcher().starts
    fast, reference, floor = [], [], []
    stage(agencies.assignment_rows, directive.add_directives, docs[:20])  # compile the patterns first
    for _ in range(args.repeats):
        started = time.process_time()
        for d in docs:
            heads.find_matches_as_indexes(d[1], overlapping=True)
        floor.append(time.process_time() - started)
        seconds, fast_rows = stage(agencies.assignment_rows, directive.add_directives, docs)
        fast.append(seconds)
        seconds, reference_rows = stage(agencies.assignment_rows_reference, directive.add_directives_reference, docs)
        reference.append(seconds)
        if fast_rows != reference_rows:
            raise SystemExit("the fast path and the reference gave different rows")
    result = {
        "documents": len(docs), "clean_text_mb": round(mb, 2),
        "reference_s": round(statistics.median(reference), 3), "fast_s": round(statistics.median(fast), 3),
        "floor_s": round(statistics.median(floor), 3),
    }
    result["speedup"] = round(result["reference_s"] / result["fast_s"], 2)
    result["fast_vs_floor"] = round(result["fast_s"] / result["floor_s"], 1)
    result["fast_mb_per_s"] = round(mb / result["fast_s"], 1)
    result["aim_met"] = result["speedup"] >= AIM
    print(json.dumps(result, indent=2))
    print(f"\n{len(docs)} documents, {mb:.1f} MB: reference {result['reference_s']} s, fast {result['fast_s']} s "
          f"({result['speedup']}x; aim >= {AIM}x: {'met' if result['aim_met'] else 'NOT met'}), "
          f"floor {result['floor_s']} s (fast = {result['fast_vs_floor']}x the floor)")


if __name__ == "__main__":
    main()
