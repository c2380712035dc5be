"""Benchmark `urbanpolicy run` over the seeds against the floor of papermill itself.

The floor is papermill executing the same number of notebooks that only import pandas
and plotly (kernel start-up and imports, nothing of ours), with the same parallelism.
Prints JSON and a readable table.  Usage: python benchmarks/bench_run.py [--jobs 2]

``--documents 500`` runs over a corpus of that many documents instead (the seeds' variants
of ``bench_load.build_corpus``: as is, traditional, GB18030, HTML, chapters shuffled), with
an empty parse cache, and prints the run's seconds (parsing included), each notebook's
seconds (from ``run.json``) and each HTML report's size.  Aim at 500 documents: under 60 s,
every report under 8 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def _empty_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("import pandas\nimport plotly")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def _execute(path: str) -> None:
    import papermill as pm

    pm.execute_notebook(path, path, kernel_name="python3", progress_bar=False)


def floor_seconds(count: int, jobs: int) -> float:
    """Seconds for papermill to run ``count`` import-only notebooks, ``jobs`` at a time."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = [str(Path(tmp) / f"empty{i}.ipynb") for i in range(count)]
        for p in paths:
            _empty_notebook(Path(p))
        started = time.perf_counter()
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(_execute, paths))
        return time.perf_counter() - started


def run_seconds(jobs: int) -> tuple[float, int]:
    """Seconds for `urbanpolicy run --jobs N` over the seeds, and the number of notebooks."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "urbanpolicy.report.cli", "run", "--out", tmp, "--jobs", str(jobs)],
                       check=True, capture_output=True, cwd=ROOT)
        seconds = time.perf_counter() - started
        count = len(list(Path(tmp).glob("*.html"))) - 1  # index.html
        return seconds, count


def _build_corpus(folder: Path, documents: int) -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_load import build_corpus

    seeds = len(list((ROOT / "seeds").glob("*.txt")))
    total = build_corpus(folder, -(-documents // seeds))
    for extra in sorted(folder.glob("*.txt"))[documents:]:  # exactly ``documents`` files
        total -= extra.stat().st_size
        extra.unlink()
    return total


def scale_run(documents: int, jobs: int) -> dict:
    """`urbanpolicy run --jobs N` over ``documents`` documents with an empty parse cache: total
    seconds, seconds per notebook and HTML size per report (MB)."""
    with tempfile.TemporaryDirectory() as tmp:
        source, out, cache = Path(tmp) / "docs", Path(tmp) / "out", Path(tmp) / "cache"
        source.mkdir()
        size = _build_corpus(source, documents)
        env = dict(os.environ, URBANPOLICY_CACHE_DIR=str(cache))
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "urbanpolicy.report.cli", "run", "--out", str(out), "--jobs", str(jobs),
                        "-p", "source", str(source)], check=True, capture_output=True, cwd=ROOT, env=env)
        seconds = time.perf_counter() - started
        manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
        notebooks = {Path(n["notebook"]).stem: n["seconds"] for n in manifest["notebooks"]}
        reports = {p.stem: round(p.stat().st_size / 1e6, 2) for p in sorted(out.glob("[0-9]*.html"))}
        return {"documents": documents, "source_mb": round(size / 1e6, 1), "jobs": jobs, "run_s": round(seconds, 1),
                "notebook_s": notebooks, "report_mb": reports, "largest_report_mb": max(reports.values()),
                "aim": "run < 60 s, every report < 8 MB",
                "met": seconds < 60 and max(reports.values()) < 8}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--documents", type=int, default=0,
                        help="run over this many documents built from the seeds (e.g. 500) instead of the seeds")
    args = parser.parse_args()
    if args.documents:
        row = scale_run(args.documents, args.jobs)
        print(json.dumps(row, indent=2, ensure_ascii=False))
        print("\nnotebook | seconds | report MB")
        for name, seconds in row["notebook_s"].items():
            print(f"{name} | {seconds} | {row['report_mb'].get(name, '-')}")
        print(f"run (parsing included) | {row['run_s']} | largest {row['largest_report_mb']}")
        return
    run, count = run_seconds(args.jobs)
    floor = floor_seconds(count, args.jobs)
    row = {"notebooks": count, "jobs": args.jobs, "run_s": round(run, 2), "floor_s": round(floor, 2),
           "ratio": round(run / floor, 2)}
    print(json.dumps(row, indent=2))
    print("\n" + " | ".join(row))
    print(" | ".join(str(v) for v in row.values()))


if __name__ == "__main__":
    main()
