"""Benchmark `urbanpolicy run` over the seeds against the floor of papermill itself.

The floor is papermill executing the same number of notebooks that only import pandas
and plotly (kernel start-up and imports, nothing of ours), with the same parallelism.
Prints JSON and a readable table.  Usage: python benchmarks/bench_run.py [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    run, count = run_seconds(args.jobs)
    floor = floor_seconds(count, args.jobs)
    row = {"notebooks": count, "jobs": args.jobs, "run_s": round(run, 2), "floor_s": round(floor, 2),
           "ratio": round(run / floor, 2)}
    print(json.dumps(row, indent=2))
    print("\n" + " | ".join(row))
    print(" | ".join(str(v) for v in row.values()))


if __name__ == "__main__":
    main()
