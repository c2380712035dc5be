"""Time the dates and targets stages against their references, and the structure and metadata stages.

The loader calls ``date_rows`` and ``target_rows`` per document; here they run over the clean texts
of the seeds repeated ``--scale`` times (or of ``--folder``), with each document's tasks and (for
targets) dates prepared first, alternating the fast path and the ``..._reference`` functions it
replaces (``re`` patterns run by ``finditer`` over the whole text), median of ``--repeats``, CPU
seconds of this process.  ``structure_rows`` and ``extract_metadata`` are timed too (their
replaced pieces have references of their own, compared in tests/extract/test_fast_targets.py).
The floor is one ``re`` set scan of every text (for a digit, finding none: what reading the text
once costs in ``re``); the fast paths read each text in a few such scans plus Python per hit.  Both paths must give identical rows, checked
on every run.  The aim (issue 15): the stages at least 3× faster than before; here, dates and targets
together at least 3× faster than their references (which share the per-row code, and its caches).

Usage: python benchmarks/bench_targets.py [--scale 100] [--repeats 3] [--folder DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AIM = 3.0


def documents(folder: Path | None, scale: int) -> list[tuple[str, str, dict, list[str]]]:
    """(doc_id, clean text, front matter, removed lines) of each document."""
    from urbanpolicy.ingest.cleaning import clean_text
    from urbanpolicy.ingest.reading import decode_bytes

    out = []
    for path in sorted((folder or ROOT / "seeds").glob("*.txt")):
        cleaned = clean_text(decode_bytes(path.read_bytes()).text)
        out.append((path.stem, cleaned.text, cleaned.front_matter, cleaned.boilerplate_lines))
    return out * (1 if folder else scale)


def timed(call: Callable[[], object]) -> tuple[float, object]:
    started = time.process_time()
    result = call()
    return time.process_time() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    import pandas as pd

    from urbanpolicy.extract.dates import date_rows, date_rows_reference
    from urbanpolicy.extract.metadata import extract_metadata
    from urbanpolicy.extract.structure import TaskSpans, structure_rows
    from urbanpolicy.extract.targets import target_rows, target_rows_reference

    docs = documents(args.folder, args.scale)
    mb = sum(len(d[1].encode("utf-8")) for d in docs) / 1e6
    metas = [extract_metadata(text, front, removed) for _, text, front, removed in docs]
    spans = [TaskSpans.from_rows(structure_rows(doc_id, text)[1]) for doc_id, text, _, _ in docs]
    issued = [m.issued if m.issued is not None and not pd.isna(m.issued) else None for m in metas]
    years = [when.year if when is not None else None for when in issued]
    dates = [date_rows(d[0], d[1], s, y, i) for d, s, y, i in zip(docs, spans, years, issued, strict=True)]
    one_scan = re.compile("[0-9](?!)")

    def run_dates(function: Callable) -> list:
        return [function(d[0], d[1], s, y, i) for d, s, y, i in zip(docs, spans, years, issued, strict=True)]

    def run_targets(function: Callable) -> list:
        return [function(d[0], d[1], s, y, ds) for d, s, y, ds in zip(docs, spans, years, dates, strict=True)]

    figures: dict[str, list[float]] = {}
    for _ in range(args.repeats):
        runs = {
            "floor": lambda: [one_scan.search(d[1]) for d in docs],
            "dates": lambda: run_dates(date_rows), "dates_reference": lambda: run_dates(date_rows_reference),
            "targets": lambda: run_targets(target_rows),
            "targets_reference": lambda: run_targets(target_rows_reference),
            "structure": lambda: [structure_rows(d[0], d[1]) for d in docs],
            "metadata": lambda: [extract_metadata(d[1], d[2], d[3]) for d in docs],
        }
        results = {}
        for name, call in runs.items():
            seconds, results[name] = timed(call)
            figures.setdefault(name, []).append(seconds)
        for stage in ("dates", "targets"):
            if results[stage] != results[f"{stage}_reference"]:
                raise SystemExit(f"the fast {stage} path and its reference gave different rows")
    median = {name: round(statistics.median(values), 3) for name, values in figures.items()}
    result = {"documents": len(docs), "clean_text_mb": round(mb, 2), **{f"{k}_s": v for k, v in median.items()}}
    for stage in ("dates", "targets"):
        result[f"{stage}_speedup"] = round(median[f"{stage}_reference"] / median[stage], 2)
    result["dates_and_targets_in_floors"] = round((median["dates"] + median["targets"]) / median["floor"], 1)
    result["speedup"] = round((median["dates_reference"] + median["targets_reference"])
                              / (median["dates"] + median["targets"]), 2)
    result["aim_met"] = result["speedup"] >= AIM
    print(json.dumps(result, indent=2))
    print(f"\n{len(docs)} documents, {mb:.1f} MB: dates {median['dates_reference']} -> {median['dates']} s "
          f"({result['dates_speedup']}x), targets {median['targets_reference']} -> {median['targets']} s "
          f"({result['targets_speedup']}x), together {result['speedup']}x (aim >= {AIM}x: "
          f"{'met' if result['aim_met'] else 'NOT met'}); "
          f"structure {median['structure']} s, metadata {median['metadata']} s; floor {median['floor']} s "
          f"(dates + targets = {result['dates_and_targets_in_floors']} floors)")


if __name__ == "__main__":
    main()
