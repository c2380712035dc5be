"""Measure candidate regex engines on the extractors' current patterns (seeds ×100).

Nothing here changes the package: each candidate runs the patterns the extractors use
today over the clean texts of the seeds repeated ``--scale`` times (one scan per
document, as the loader does) and is compared with Python's ``re`` on two things:
seconds (median of ``--repeats``) and whether it finds exactly the same spans.

Candidates (each optional; a missing one is reported as "not installed"):
  * ``regex`` (PyPI ``regex``): the same patterns, same leftmost-first semantics;
  * Aho–Corasick (PyPI ``pyahocorasick``): the agency register's literal names
    (every prefix × stem written out), leftmost-longest;
  * Hyperscan (PyPI ``hyperscan``, bundles Vectorscan/Hyperscan): all patterns of a
    stage in one database and one pass over UTF-8 bytes.  It reports every match end
    (not leftmost-first, non-overlapping), so its span sets differ by construction and
    the Python needed to resolve them is not included; patterns it cannot compile
    (lookarounds, backreferences) are counted.

The reading of these figures is in docs/performance-engine.md.
Prints JSON and a readable table.  Usage: python benchmarks/bench_engines.py [--scale 100] [--repeats 3]
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _optional(name: str) -> object | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def seed_texts(scale: int) -> list[str]:
    """The seeds' clean texts, each repeated ``scale`` times (one entry per document)."""
    from urbanpolicy import load_corpus

    texts = load_corpus(ROOT / "seeds").documents["text"].tolist()
    return texts * scale


def timed(run: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Median seconds of ``repeats`` calls and the last call's result."""
    seconds, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def scan_spans(patterns: list, texts: list[str]) -> list[list[tuple[int, int, int]]]:
    """(pattern index, start, end) of every finditer match, per text."""
    return [[(i, m.start(), m.end()) for i, rx in enumerate(patterns) for m in rx.finditer(t)] for t in texts]


def _agency_literals() -> list[str]:
    """Every literal body name the agency matcher can match, prefixes × stems written out."""
    from urbanpolicy.extract import agencies as ag

    m = ag._matcher()
    bare = [s for s in {*m.province_stems, *m.local_stems}
            if len(s) >= 3 and s[-1] in "厅委局办" and not s.startswith("委")]
    words = {*m.fixed, *bare, *(f"{stem}部门" for stem in m.list_stems)}
    words |= {p + s for p in [*ag._PROVINCE_BY_NAME, *ag._PROVINCE_PREFIXES] for s in m.province_stems}
    words |= {p + s for p in ag._LOCAL_PREFIXES for s in m.local_stems}
    return sorted(w for w in words if "*" not in w)


def _pcre(rx: re.Pattern[str]) -> str:
    """``rx`` in the syntax Hyperscan reads: ``\\uXXXX`` written out, verbose mode inline."""
    text = re.sub(r"(?<!\\)\\u([0-9a-fA-F]{4})", lambda m: re.escape(chr(int(m.group(1), 16))), rx.pattern)
    return ("(?x)" if rx.flags & re.X else "") + ("(?s)" if rx.flags & re.S else "") + text


def _hyperscan_db(hs: object, patterns: list[str]) -> tuple[object | None, int]:
    """A block-mode database of the patterns that compile, and how many did not."""
    flags = hs.HS_FLAG_UTF8 | hs.HS_FLAG_UCP | hs.HS_FLAG_SOM_LEFTMOST | hs.HS_FLAG_MULTILINE
    good = []
    for p in patterns:
        db = hs.Database()
        try:
            db.compile(expressions=[p.encode("utf-8")], ids=[0], elements=1, flags=[flags])
            good.append(p)
        except hs.error:
            pass
    if not good:
        return None, len(patterns)
    db = hs.Database()
    db.compile(expressions=[p.encode("utf-8") for p in good], ids=list(range(len(good))), elements=len(good),
               flags=[flags] * len(good))
    return db, len(patterns) - len(good)


def _hyperscan_prefilter(hs: object, patterns: list[str]) -> tuple[object | None, int]:
    """A database in prefilter mode: unsupported constructs (lookarounds) are widened, so it
    reports a superset of match ends that ``re`` must then confirm."""
    flags = hs.HS_FLAG_UTF8 | hs.HS_FLAG_UCP | hs.HS_FLAG_MULTILINE | hs.HS_FLAG_PREFILTER
    db = hs.Database()
    try:
        db.compile(expressions=[p.encode("utf-8") for p in patterns], ids=list(range(len(patterns))),
                   elements=len(patterns), flags=[flags] * len(patterns))
    except hs.error:
        return None, len(patterns)
    return db, 0


def _hyperscan_scan(db: object, texts: list[bytes]) -> int:
    hits = []

    def on_match(pattern_id: int, start: int, end: int, flags: int, context: object) -> None:
        hits.append((pattern_id, start, end))

    for data in texts:
        db.scan(data, match_event_handler=on_match)
    return len(hits)


def stage_rows(name: str, patterns: list, texts: list[str], repeats: int) -> list[dict]:
    """re vs regex vs hyperscan on one stage's patterns."""
    rx_mod, hs = _optional("regex"), _optional("hyperscan")
    base_s, base = timed(lambda: scan_spans(patterns, texts), repeats)
    n = sum(map(len, base))
    rows = [{"stage": name, "engine": "re (today)", "patterns": len(patterns), "seconds": round(base_s, 3),
             "speedup": 1.0, "matches": n, "identical": True}]
    if rx_mod is None:
        rows.append({"stage": name, "engine": "regex", "note": "not installed"})
    else:
        compiled = []
        for p in patterns:
            try:
                compiled.append(rx_mod.compile(p.pattern, p.flags & ~re.UNICODE))
            except rx_mod.error as exc:
                compiled = None
                rows.append({"stage": name, "engine": "regex", "note": f"does not compile: {exc}"})
                break
        if compiled is not None:
            seconds, spans = timed(lambda: scan_spans(compiled, texts), repeats)
            rows.append({"stage": name, "engine": "regex", "patterns": len(patterns), "seconds": round(seconds, 3),
                         "speedup": round(base_s / seconds, 2), "matches": sum(map(len, spans)),
                         "identical": spans == base})
    if hs is None:
        rows.append({"stage": name, "engine": "hyperscan", "note": "not installed"})
    else:
        db, failed = _hyperscan_db(hs, [_pcre(p) for p in patterns])
        if db is None:
            rows.append({"stage": name, "engine": "hyperscan", "note": f"none of {len(patterns)} patterns compile"})
        else:
            data = [t.encode("utf-8") for t in texts]
            seconds, count = timed(lambda: _hyperscan_scan(db, data), repeats)
            rows.append({"stage": name, "engine": "hyperscan (one pass, raw ends)", "patterns": len(patterns) - failed,
                         "seconds": round(seconds, 3), "speedup": round(base_s / seconds, 2), "matches": count,
                         "identical": False, "note": f"{failed} of {len(patterns)} patterns do not compile"})
        pre, failed = _hyperscan_prefilter(hs, [_pcre(p) for p in patterns])
        if pre is None:
            rows.append({"stage": name, "engine": "hyperscan prefilter",
                         "note": "does not compile (the agency alternation exceeds its pattern length limit)"})
        else:
            data = [t.encode("utf-8") for t in texts]
            seconds, count = timed(lambda: _hyperscan_scan(pre, data), repeats)
            rows.append({"stage": name, "engine": "hyperscan prefilter (candidate ends only)",
                         "patterns": len(patterns), "seconds": round(seconds, 3),
                         "speedup": round(base_s / seconds, 2), "matches": count, "identical": False,
                         "note": "superset of ends; re must confirm each"})
    return rows


def agency_rows(texts: list[str], repeats: int) -> list[dict]:
    """The agency register scan: re (today) vs Aho–Corasick and Hyperscan on its literals."""
    from urbanpolicy.extract import agencies as ag

    pattern = ag._matcher().pattern
    rows = stage_rows("agency scan", [pattern], texts, repeats)
    base_s = rows[0]["seconds"]
    base = {(i, s, e) for i, t in enumerate(texts) for m in pattern.finditer(t) for s, e in [m.span()]}
    words = _agency_literals()
    aho = _optional("ahocorasick")
    if aho is None:
        rows.append({"stage": "agency scan", "engine": "aho-corasick", "note": "not installed"})
    else:
        automaton = aho.Automaton()
        for word in words:
            automaton.add_word(word, len(word))
        automaton.make_automaton()

        def scan() -> set[tuple[int, int, int]]:
            return {(i, end - size + 1, end + 1) for i, t in enumerate(texts)
                    for end, size in automaton.iter_long(t)}

        seconds, spans = timed(scan, repeats)
        rows.append({"stage": "agency scan", "engine": "aho-corasick (literals, leftmost-longest)",
                     "patterns": len(words), "seconds": round(seconds, 3), "speedup": round(base_s / seconds, 2),
                     "matches": len(spans), "identical": spans == base,
                     "note": f"{len(spans & base)} spans shared with re; lists and wildcards need their own pass"})
    hs = _optional("hyperscan")
    if hs is not None:
        db = hs.Database()
        flags = hs.HS_FLAG_SOM_LEFTMOST
        db.compile(expressions=[re.escape(w).encode("utf-8") for w in words], ids=list(range(len(words))),
                   elements=len(words), flags=[flags] * len(words))
        data = [t.encode("utf-8") for t in texts]
        seconds, count = timed(lambda: _hyperscan_scan(db, data), repeats)
        rows.append({"stage": "agency scan", "engine": "hyperscan (literals, all matches, byte offsets)",
                     "patterns": len(words), "seconds": round(seconds, 3), "speedup": round(base_s / seconds, 2),
                     "matches": count, "identical": False})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from urbanpolicy.extract import dates, targets

    texts = seed_texts(args.scale)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    date_families = [dates._ABSOLUTE_RE, dates._RANGE_RE, dates._DATE_RANGE_RE, dates._PLAN_RE, dates._QUARTER_RE,
                     dates._THIS_YEAR_RE, dates._RELATIVE_RE, dates._ONGOING_RE]
    rows = [*agency_rows(texts, args.repeats),
            *stage_rows("target masks", list(targets._MASKS), texts, args.repeats),
            *stage_rows("target quantity", [targets._QUANTITY], texts, args.repeats),
            *stage_rows("date families", date_families, texts, args.repeats)]
    print(json.dumps({"documents": len(texts), "clean_text_mb": round(mb, 2), "rows": rows}, indent=2,
                     ensure_ascii=False))
    header = ["stage", "engine", "patterns", "seconds", "speedup", "matches", "identical", "note"]
    print(f"\n{len(texts)} documents, {mb:.1f} MB of clean text (UTF-8)\n" + " | ".join(header))
    for row in rows:
        print(" | ".join(str(row.get(h, "")) for h in header))


if __name__ == "__main__":
    main()
