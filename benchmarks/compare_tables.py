"""Dump every table of ``load_corpus`` to Parquet, or compare two such dumps.

A refactoring check, not a test: the values it compares are the code's own output, so they
cannot be "expected" values in tests/.  Use it around a change that must not alter any table::

    .venv/bin/python benchmarks/compare_tables.py dump /tmp/before           # before the change
    .venv/bin/python benchmarks/compare_tables.py dump /tmp/after            # after it
    .venv/bin/python benchmarks/compare_tables.py compare /tmp/before /tmp/after

``dump`` writes ``<out>/<set>/<table>.parquet`` for each source set (default: seeds/,
../shared/realworld/docs when present, and ``fuzz``: mutated seeds and hostile repeated forms
written into a temporary folder, the same every time) plus ``dtypes.json``.  Extra sets are
named on the command line: ``dump /tmp/before c100=/tmp/c100``.  ``compare`` checks both dumps have
the same sets, tables, columns, rows and values (dtype differences are reported separately, so a
deliberate dtype change shows up without hiding value changes).  Exit 0 when values agree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SETS = {"seeds": ROOT / "seeds", "realworld": ROOT.parent / "shared" / "realworld" / "docs"}
if not SETS["realworld"].is_dir():
    SETS["realworld"] = Path("/work/shared/realworld/docs")


def fuzz_corpus(folder: Path) -> Path:
    """Write the deterministic fuzz set into ``folder``: each seed mutated six ways (cut, lines
    shuffled, brackets unbalanced or doubled, a 10,000-character line, nested unclosed HTML) with
    fixed random seeds, plus the hostile repeated forms of the long-document benchmark."""
    import random

    sys.path.insert(0, str(ROOT))
    from tests.test_fuzz import _mutations  # the fuzz test's own mutations, so both cover the same forms

    for n, seed in enumerate(sorted((ROOT / "seeds").glob("*.txt"))):
        text = seed.read_text(encoding="utf-8")
        for m, variant in enumerate(_mutations(text, random.Random(n))):
            (folder / f"{seed.stem}_m{m}.txt").write_text(variant, encoding="utf-8")
    hostile = {
        "digits": "1" * 20_000, "latin": "abcXYZ" * 3000, "dotted": "1." * 10_000,
        "stems": "公安、" * 5000 + "等部门负责。", "labels": "（一）推进试点。\n" * 2000,
        "quantities": "、".join(f"{i}万人" for i in range(2000)) + "。",
        "clauses": "（省发展改革委、省财政厅负责）\n" * 2000,
    }
    for name, text in hostile.items():
        (folder / f"hostile_{name}.txt").write_text("一、总体要求\n" + text, encoding="utf-8")
    return folder


def dump(out: Path, extra: dict[str, Path] | None = None) -> None:
    import tempfile

    import urbanpolicy as up

    with tempfile.TemporaryDirectory() as tmp:
        sets = {**SETS, "fuzz": fuzz_corpus(Path(tmp)), **(extra or {})}
        _dump_sets(up, out, sets)


def _dump_sets(up, out: Path, sets: dict[str, Path]) -> None:
    for name, folder in sets.items():
        if not folder.is_dir():
            print(f"skip {name}: no folder {folder}")
            continue
        corpus = up.load_corpus(folder)
        target = out / name
        target.mkdir(parents=True, exist_ok=True)
        dtypes = {}
        for table, frame in corpus.tables().items():
            dtypes[table] = {c: str(t) for c, t in frame.dtypes.items()}
            _comparable(frame).to_parquet(target / f"{table}.parquet")
        (target / "dtypes.json").write_text(json.dumps(dtypes, indent=1), encoding="utf-8")
        print(f"{name}: " + ", ".join(f"{t}={len(f)}" for t, f in corpus.tables().items()))


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every column as text (None for missing), so Parquet stores any mix of types."""
    out = pd.DataFrame(index=range(len(frame)))
    for col in frame.columns:
        out[col] = [None if _missing(v) else repr(v) if not isinstance(v, str) else v for v in frame[col]]
    return out


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _normal(value):
    """repr of numbers without the type: 3 and 3.0 and np.int64(3) compare equal."""
    if not isinstance(value, str):
        return None  # missing (Parquet may read a None as NaN)
    for prefix in ("np.int64(", "np.float64(", "np.True_", "np.False_"):
        if value.startswith(prefix):
            value = value[len(prefix):].rstrip(")") if prefix.endswith("(") else value[3:]
    try:
        number = float(value)
        return repr(number)
    except ValueError:
        return value


def compare(before: Path, after: Path) -> int:
    bad = 0
    for set_dir in sorted(p for p in before.iterdir() if p.is_dir()):
        other = after / set_dir.name
        if not other.is_dir():
            print(f"{set_dir.name}: missing in {after}")
            bad += 1
            continue
        types_a = json.loads((set_dir / "dtypes.json").read_text(encoding="utf-8"))
        types_b = json.loads((other / "dtypes.json").read_text(encoding="utf-8"))
        for table in sorted(types_a):
            a = pd.read_parquet(set_dir / f"{table}.parquet")
            b = pd.read_parquet(other / f"{table}.parquet") if (other / f"{table}.parquet").exists() else None
            if b is None:
                print(f"{set_dir.name}.{table}: missing after")
                bad += 1
                continue
            if list(a.columns) != list(b.columns):
                extra = [c for c in b.columns if c not in a.columns]
                gone = [c for c in a.columns if c not in b.columns]
                print(f"{set_dir.name}.{table}: columns differ: added {extra} removed {gone}")
                if gone:
                    bad += 1
                b = b[[c for c in a.columns if c in b.columns]]
            if len(a) != len(b):
                print(f"{set_dir.name}.{table}: {len(a)} rows before, {len(b)} after")
                bad += 1
                continue
            diffs = 0
            for col in a.columns:
                if col not in b.columns:
                    continue
                va = [_normal(v) for v in a[col]]
                vb = [_normal(v) for v in b[col]]
                rows = [i for i, (x, y) in enumerate(zip(va, vb, strict=True)) if x != y]
                if rows:
                    diffs += len(rows)
                    i = rows[0]
                    print(f"{set_dir.name}.{table}.{col}: {len(rows)} values differ, first row {i}: "
                          f"{va[i]!r} -> {vb[i]!r}")
            bad += bool(diffs)
            changed = {c: (types_a[table][c], types_b.get(table, {}).get(c))
                       for c in types_a[table] if types_a[table][c] != types_b.get(table, {}).get(c)}
            status = "same values" if not diffs else "VALUES DIFFER"
            print(f"{set_dir.name}.{table}: {len(a)} rows, {status}"
                  + (f"; dtypes changed {changed}" if changed else ""))
    print("OK: same rows and values" if not bad else f"{bad} table(s) differ")
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "dump":
        extra = dict(arg.split("=", 1) for arg in argv[2:])
        dump(Path(argv[1]), {name: Path(folder) for name, folder in extra.items()})
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
