"""Benchmark load_corpus on single long documents: is time per byte flat from 100 KB to 20 MB?

Two families of one-file corpora, each loaded in a fresh child process (with a time limit,
so a superlinear case is reported as "timeout" instead of stalling the run):

* **long documents** built from the seeds: the seeds' texts, each copy with its own marker,
  concatenated until the file reaches 100 KB, 1 MB, 5 MB and 20 MB (like a compilation of
  plans or a year of a gazette in one file).  For each size: load seconds, the floor (the
  same bytes read, decoded and converted with OpenCC, measured in the same child), the
  ratio to the floor and time per byte relative to 100 KB (aim: within 1.5×).  Sizes up
  to 1 MB are timed 5 times (median); peak RSS is the child's.
* **repeated forms** (known hostile inputs: digit runs, Latin runs, ``1.1.1.…``,
  ``公安、公安、…``, ``（一）`` lines, clause brackets): the same form at two sizes four
  times apart; a per-byte ratio near 1 is linear, near 4 quadratic.

Prints JSON and a readable table.
Usage: python benchmarks/bench_longdoc.py [--max-mb 20] [--timeout 300] [--skip-forms]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES_KB = (100, 1_000, 5_000, 20_000)

# name -> the unit repeated to make a file (all on one line unless the unit has a newline)
FORMS = {
    "digits": "1",
    "latin": "a",
    "dotted_numbers": "1.",
    "agency_list": "公安、",
    "repeated_labels": "（一）加强管理。\n",
    "clause_brackets": "推进城镇化建设（省发展改革委负责）。\n",
    "numbered_years": "到2025年，城镇化率达到65%。\n",
}
FORM_SIZES_KB = (8, 32)


def build_long_document(path: Path, size: int) -> int:
    """Write one UTF-8 document of about ``size`` bytes from the seeds; return its size."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    parts: list[str] = []
    total = copy = 0
    while total < size:
        text = texts[copy % len(texts)] + f"\n（副本{copy}）\n"
        parts.append(text)
        total += len(text.encode("utf-8"))
        copy += 1
    data = "".join(parts).encode("utf-8")
    path.write_bytes(data)
    return len(data)


def build_form(path: Path, unit: str, size: int) -> int:
    """Write ``unit`` repeated to about ``size`` bytes after a one-line title; return the size."""
    head = "关于推进新型城镇化的实施意见\n"
    count = max(1, (size - len(head.encode("utf-8"))) // len(unit.encode("utf-8")))
    data = (head + unit * count).encode("utf-8")
    path.write_bytes(data)
    return len(data)


def measure(path: str, repeats: int = 1) -> dict:
    """Run in a child process: floor and load of ``path`` (medians of ``repeats``), with peak RSS."""
    import statistics

    import opencc

    from urbanpolicy import load_corpus
    from urbanpolicy.ingest.reading import decode_bytes

    t2s = opencc.OpenCC("t2s")
    load_corpus(ROOT / "seeds" / "000_d903ec7be93ef826.txt")  # warm lazy imports and caches, not timed
    floors, loads = [], []
    for _ in range(repeats):  # alternate floor and load so machine load hits both alike
        started = time.perf_counter()
        t2s.convert(decode_bytes(Path(path).read_bytes()).text)
        floors.append(time.perf_counter() - started)
        started = time.perf_counter()
        corpus = load_corpus(path)
        loads.append(time.perf_counter() - started)
    floor, seconds = statistics.median(floors), statistics.median(loads)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "floor_s": floor, "peak_mb": round(peak_kb / 1024, 1),
            "tasks": len(corpus.tasks), "assignments": len(corpus.assignments), "dates": len(corpus.dates),
            "targets": len(corpus.targets)}


def _child(path: Path, timeout: float, repeats: int = 1) -> dict | None:
    """measure() in a fresh process; None when it exceeds ``timeout`` seconds."""
    code = (f"import json,sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); import bench_longdoc as b; "
            f"print(json.dumps(b.measure({str(path)!r}, {repeats})))")
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def long_documents(max_kb: int, timeout: float) -> list[dict]:
    """One row per size: load vs floor and time per byte relative to the smallest size."""
    rows = []
    base = None
    for kb in SIZES_KB:
        if kb > max_kb:
            break
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"long_{kb}kb.txt"
            size = build_long_document(path, kb * 1000)
            # small documents take milliseconds: the median of 5 keeps noise out of the baseline
            got = _child(path, timeout, repeats=5 if kb <= 1_000 else 1)
        row = {"family": "long", "case": f"{kb} KB", "bytes": size}
        if got is None:
            rows.append(row | {"load_s": f"timeout>{timeout:.0f}"})
            continue
        per_byte = got["seconds"] / size
        base = base or per_byte
        rows.append(row | {"load_s": round(got["seconds"], 3), "mb_s": round(size / 1e6 / got["seconds"], 2),
                           "floor_s": round(got["floor_s"], 3),
                           "ratio_to_floor": round(got["seconds"] / got["floor_s"], 1),
                           "per_byte_vs_first": round(per_byte / base, 2), "peak_mb": got["peak_mb"],
                           "tasks": got["tasks"], "assignments": got["assignments"]})
    return rows


def repeated_forms(timeout: float) -> list[dict]:
    """One row per hostile form: seconds at two sizes and the per-byte ratio between them."""
    rows = []
    for name, unit in FORMS.items():
        timings = []
        for kb in FORM_SIZES_KB:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"{name}.txt"
                size = build_form(path, unit, kb * 1000)
                got = _child(path, timeout)
            timings.append((size, got))
            if got is None:
                break
        row: dict = {"family": "form", "case": name}
        for (_size, got), kb in zip(timings, FORM_SIZES_KB, strict=False):
            row[f"{kb}kb_s"] = f"timeout>{timeout:.0f}" if got is None else round(got["seconds"], 3)
        if len(timings) == 2 and all(g is not None for _, g in timings):
            (s1, g1), (s2, g2) = timings
            row["per_byte_ratio"] = round((g2["seconds"] / s2) / (g1["seconds"] / s1), 2)
            row["verdict"] = "linear" if row["per_byte_ratio"] <= 1.5 else "superlinear"
        else:
            row["verdict"] = "superlinear (timeout)"
        rows.append(row)
    return rows


def _print_table(rows: list[dict]) -> None:
    if not rows:
        return
    header = list(dict.fromkeys(k for row in rows for k in row))
    print("\n" + " | ".join(header))
    for row in rows:
        print(" | ".join(str(row.get(h, "")) for h in header))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-mb", type=float, default=20, help="largest long document (default 20 MB)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per child before 'timeout'")
    parser.add_argument("--form-timeout", type=float, default=60, help="seconds per repeated-form child")
    parser.add_argument("--skip-forms", action="store_true", help="only the long documents")
    args = parser.parse_args()
    longs = long_documents(int(args.max_mb * 1000), args.timeout)
    forms = [] if args.skip_forms else repeated_forms(args.form_timeout)
    print(json.dumps({"long_documents": longs, "repeated_forms": forms}, indent=2, ensure_ascii=False))
    _print_table(longs)
    _print_table(forms)


if __name__ == "__main__":
    main()
