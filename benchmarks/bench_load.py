"""Benchmark load_corpus on synthetic corpora built from the seeds.

Variants of every seed (as is, traditional script, GB18030, HTML-wrapped, chapters
shuffled) are replicated to 1×, 10×, 100× (and 1,000× with --max-scale 1000) the seeds.
For each scale, in a fresh process so peak memory is its own:
  * load_corpus throughput (MB/s of source bytes) and peak RSS, with 1 and N workers, and the
    larger peak over the source's size (the issue's aim: at most 4× at 1,000×);
  * the floor: the same bytes read, decoded and converted with OpenCC alone;
  * the ratio load/floor and time per byte relative to 1×.
Prints JSON and a readable table.  Usage: python benchmarks/bench_load.py [--max-scale 100] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_corpus(folder: Path, scale: int) -> int:
    """Write ``scale`` copies of every seed variant into folder; return total bytes."""
    import opencc

    s2t = opencc.OpenCC("s2t")
    rng = random.Random(0)
    total = 0
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for copy in range(scale):
        for seed in seeds:
            text = seed.read_text(encoding="utf-8")
            # a different variant per copy keeps every encoding and wrapper in the mix
            variant = (copy + seeds.index(seed)) % 5
            marker = f"\n（副本{copy}）\n"  # copies differ, so none is a duplicate
            if variant == 0:
                data = (text + marker).encode("utf-8")
            elif variant == 1:
                data = (s2t.convert(text) + marker).encode("utf-8")
            elif variant == 2:
                data = (text + marker).encode("gb18030")
            elif variant == 3:
                data = ("<html><body>" + "".join(f"<p>{line}</p>\n" for line in (text + marker).split("\n"))
                        + "<script>var x=1;</script></body></html>").encode("utf-8")
            else:
                parts = re.split(r"(?m)^(?=[一二三四五六七八九十]+、)", text)
                head, chapters = parts[0], parts[1:]
                rng.shuffle(chapters)
                data = (head + "".join(chapters) + marker).encode("utf-8")
            path = folder / f"{seed.stem}_{copy:04d}.txt"
            path.write_bytes(data)
            total += len(data)
    return total


def measure(folder: str, mode: str, workers: int) -> dict:
    """Run in a child process: time one load (or the floor) and report peak RSS."""
    import opencc

    from urbanpolicy import load_corpus
    from urbanpolicy.ingest.reading import decode_bytes

    t2s = opencc.OpenCC("t2s")
    load_corpus(ROOT / "seeds" / "000_d903ec7be93ef826.txt")  # warm lazy imports and caches, not timed
    started = time.perf_counter()
    if mode == "floor":
        for path in sorted(Path(folder).iterdir()):
            t2s.convert(decode_bytes(path.read_bytes()).text)
    else:
        load_corpus(folder, workers=workers)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "peak_mb": round(max(peak_kb, children_kb) / 1024, 1)}


def _child(folder: Path, mode: str, workers: int) -> dict:
    code = (f"import json,sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); import bench_load as b; "
            f"print(json.dumps(b.measure({str(folder)!r}, {mode!r}, {workers})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-scale", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rows = []
    base_per_byte = None
    for scale in (1, 10, 100, 1000):
        if scale > args.max_scale:
            break
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            size = build_corpus(folder, scale)
            mb = size / 1e6
            floor = _child(folder, "floor", 1)
            one = _child(folder, "load", 1)
            many = _child(folder, "load", args.workers)
            per_byte = one["seconds"] / size
            base_per_byte = base_per_byte or per_byte
            rows.append({
                "scale": scale, "files": scale * 5, "mb": round(mb, 2),
                "load_s": round(one["seconds"], 3), "load_mb_s": round(mb / one["seconds"], 2),
                "peak_mb": one["peak_mb"], "floor_s": round(floor["seconds"], 3),
                "floor_peak_mb": floor["peak_mb"], "ratio_to_floor": round(one["seconds"] / floor["seconds"], 2),
                "per_byte_vs_1x": round(per_byte / base_per_byte, 2),
                f"load_s_{args.workers}_workers": round(many["seconds"], 3),
                f"mb_s_{args.workers}_workers": round(mb / many["seconds"], 2),
                f"peak_mb_{args.workers}_workers": many["peak_mb"],
                # the memory aim: peak RSS (MiB, of either run) over the source's size (MB)
                "peak_x_source": round(max(one["peak_mb"], many["peak_mb"]) * 2**20 / size, 2),
            })
    print(json.dumps(rows, indent=2))
    header = list(rows[0])
    print("\n" + " | ".join(header))
    for row in rows:
        print(" | ".join(str(row[h]) for h in header))


if __name__ == "__main__":
    main()
