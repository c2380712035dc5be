"""Compare urbanpolicy.extract.dates.date_rows with JioNLP's time extractor on the seed documents.

JioNLP is NOT a dependency of urbanpolicy. To run this script::

    pip install jionlp
    PYTHONPATH=src python benchmarks/compare_jionlp.py [--seeds seeds] [--json out.json]

Without jionlp it prints how to install it and exits 0.

For every document it prints the expressions found by one extractor and not
the other (no overlapping span in the other's output), as a readable table, and
writes the same as JSON (to --json, or to stdout with --json -). Expressions
found by both with different boundaries are listed as "boundary" differences.
A last "synthetic" document holds hand-written sentences in formats the seeds
lack (full-width digits, 年内, 十五五, quarters, ...); --no-synthetic skips it.
Ongoing rows (持续推进) are left out unless --include-ongoing: jionlp has no such kind.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from urbanpolicy import schema  # noqa: E402
from urbanpolicy.extract.dates import date_rows  # noqa: E402


@dataclass
class Expr:
    """One time expression from either extractor: span, text, and its kind/type label."""

    start: int
    end: int
    text: str
    label: str
    value: str


@dataclass
class Doc:
    """A document's clean text and what we know of its date."""

    doc_id: str
    text: str
    issued: pd.Timestamp | None


# ------------------------------------------------------------------ loading


def load_documents(seeds: Path) -> list[Doc]:
    """Documents via the lead's ``urbanpolicy.load_corpus`` when it exists, else a crude cleaner.

    Returns a list of Doc, e.g. ``[Doc(doc_id="000_d903…", text="6月11日，湖北省…", issued=…)]``.
    """
    try:
        from urbanpolicy import load_corpus  # type: ignore[attr-defined]
    except ImportError:
        return [_crude_document(p) for p in sorted(seeds.glob("*.txt"))]
    return _documents_from_corpus(load_corpus(seeds))


def _documents_from_corpus(corpus: object) -> list[Doc]:
    """Adapt the corpus object: a table of documents with doc_id, text and (maybe) issued."""
    table = None
    for name in ("docs", "documents"):
        table = getattr(corpus, name, None)
        if isinstance(table, pd.DataFrame):
            break
    if not isinstance(table, pd.DataFrame):
        raise SystemExit("load_corpus() returned no docs/documents table; update _documents_from_corpus")
    text_col = next(c for c in ("text", "clean_text", "body") if c in table.columns)
    docs = []
    for row in table.itertuples(index=False):
        # Use the issue date, else the publication date, as the anchor for both extractors.
        issued = None
        for name in ("issued", "published"):
            value = getattr(row, name, None)
            if value is not None and not pd.isna(value):
                issued = pd.Timestamp(value)
                break
        docs.append(Doc(str(row.doc_id), str(getattr(row, text_col)), issued))
    return docs


# Formats the seeds lack, written for the tests; compared as one extra "document".
SENTENCES = [
    "各地要于2023年12月底前完成摸底。",
    "请各县区6月30日前报送进展。",
    "改造任务年内完成。",
    "第三季度完成评估。",
    "截至2021年底，全省城镇化率达到60%。",
    "“十五五”时期城镇化率继续提高。",
    "用3年左右时间完成改造。",
    "二〇二四年七月二十八日",
    "２０２４年７月２８日",
    "发布时间：2022-04-02",
    "2021年6月，省政府召开会议。",
    "今年底前出台方案。",
    "长期坚持，持续推进。",
    "规划期（2021—2035年）。",
    "2025年前全面完成。",
    "2022年一季度末前出台细则。",
    "加快5G网络建设，吸纳300万人口，构建1小时通勤圈，（发改规划〔2021〕493号）。",
]


def synthetic_document() -> Doc:
    """The hand-written sentences as one document issued 2022-03-30."""
    return Doc("synthetic", "\n".join(SENTENCES), pd.Timestamp(2022, 3, 30))


_FRONT_MATTER = re.compile(r"^\s*---\n(?P<body>.*?)\n---\s*", re.S)
_PINYIN_GLOSS = re.compile(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")
_ISO_PUBLISHED = re.compile(r"发布时间[:：]\s*(\d{4}-\d{1,2}-\d{1,2})")
_CN_FULL_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _crude_document(path: Path) -> Doc:
    """Strip front matter, tags and pinyin glosses, then OpenCC t2s; guess the issue date."""
    import opencc

    raw = path.read_text(encoding="utf-8", errors="replace")
    front = _FRONT_MATTER.match(raw)
    body = raw[front.end() :] if front else raw
    body = html.unescape(re.sub(r"<[^>]+>", "", body))
    body = _PINYIN_GLOSS.sub("", body)  # "城镇(zhèn)" in one seed
    text = opencc.OpenCC("t2s").convert(body)
    text = text.translate(str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"}))
    text = re.sub(r"\n\s*\n+", "\n", text).strip()
    return Doc(path.stem, text, _guess_issued(front["body"] if front else "", text))


def _guess_issued(front: str, text: str) -> pd.Timestamp | None:
    """Front-matter date, else 发布时间, else the last full Chinese date (the signature line)."""
    m = re.search(r"^date:\s*(.+)$", front, re.M)
    if m:
        try:
            return pd.Timestamp(pd.to_datetime(m[1].strip(), utc=True).date())
        except ValueError:
            pass
    m = _ISO_PUBLISHED.search(text)
    if m:
        return pd.Timestamp(m[1])
    found = _CN_FULL_DATE.findall(text)
    if found:
        y, mo, d = map(int, found[-1])
        return pd.Timestamp(y, mo, d)
    return None


# ------------------------------------------------------------------ extractors


def ours(doc: Doc, include_ongoing: bool) -> list[Expr]:
    """urbanpolicy's expressions for one document."""
    year = doc.issued.year if doc.issued is not None else None
    df = schema.frame("dates", date_rows(doc.doc_id, doc.text, None, year, doc.issued))
    if not include_ongoing:
        df = df[df["kind"] != "ongoing"]
    out = []
    for row in df.itertuples():
        value = "" if pd.isna(row.date) else str(row.date.date())
        if not pd.isna(row.end_date):
            value += f"..{row.end_date.date()}"
        out.append(Expr(int(row.start), int(row.end), str(row.text), str(row.kind), value))
    return out


def theirs(jio: object, doc: Doc) -> list[Expr]:
    """JioNLP's ``ner.extract_time`` expressions, parsed against the issue date."""
    base = doc.issued if doc.issued is not None else pd.Timestamp.now()
    found = jio.ner.extract_time(doc.text, time_base=base.timestamp(), with_parsing=True)  # type: ignore[attr-defined]
    out = []
    for item in found:
        start, end = item["offset"]
        detail = item.get("detail") or {}
        value = detail.get("time", "")
        if isinstance(value, list):
            value = "..".join(str(v)[:10] for v in value)
        out.append(Expr(start, end, item["text"], str(item.get("type", "")), str(value)))
    return out


# ------------------------------------------------------------------ comparison


def _overlaps(a: Expr, others: Iterable[Expr]) -> list[Expr]:
    return [b for b in others if a.start < b.end and b.start < a.end]


def compare(mine: list[Expr], jio: list[Expr]) -> dict[str, list[dict[str, object]]]:
    """Split into only_ours, only_jionlp and boundary (overlapping, different span)."""
    only_ours = [asdict(e) for e in mine if not _overlaps(e, jio)]
    only_jio = [asdict(e) for e in jio if not _overlaps(e, mine)]
    boundary = []
    for e in mine:
        for o in _overlaps(e, jio):
            if (o.start, o.end) != (e.start, e.end):
                boundary.append({"ours": asdict(e), "jionlp": asdict(o)})
    agreed = sum(1 for e in mine if any((o.start, o.end) == (e.start, e.end) for o in jio))
    return {"only_ours": only_ours, "only_jionlp": only_jio, "boundary": boundary, "same_span": agreed}


def print_table(doc_id: str, result: dict) -> None:
    """Readable per-document table."""
    print(f"\n=== {doc_id}: same span {result['same_span']}, only ours {len(result['only_ours'])}, "
          f"only jionlp {len(result['only_jionlp'])}, boundary {len(result['boundary'])}")
    for side in ("only_ours", "only_jionlp"):
        for e in result[side]:
            print(f"  {side:<12} {e['start']:>6}  {e['text']:<24} {e['label']:<12} {e['value']}")
    for pair in result["boundary"]:
        o, j = pair["ours"], pair["jionlp"]
        print(f"  {'boundary':<12} {o['start']:>6}  ours={o['text']} ({o['label']})  jionlp={j['text']} ({j['label']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--json", default=None, help="write JSON here ('-' for stdout)")
    parser.add_argument("--include-ongoing", action="store_true", help="also list 持续推进-style rows (jionlp has none)")
    parser.add_argument("--no-synthetic", action="store_true", help="skip the hand-written format sentences")
    args = parser.parse_args(argv)
    try:
        import jionlp as jio
    except ImportError:
        print("jionlp is not installed; it is not a dependency of urbanpolicy. Run `pip install jionlp` to compare.")
        return 0
    report = {}
    timings = {"ours": 0.0, "jionlp": 0.0}
    docs = load_documents(args.seeds)
    if not args.no_synthetic:
        docs.append(synthetic_document())
    for doc in docs:
        t0 = time.perf_counter()
        mine = ours(doc, args.include_ongoing)
        t1 = time.perf_counter()
        jio_found = theirs(jio, doc)
        t2 = time.perf_counter()
        timings["ours"] += t1 - t0
        timings["jionlp"] += t2 - t1
        report[doc.doc_id] = compare(mine, jio_found)
        print_table(doc.doc_id, report[doc.doc_id])
    print(f"\nseconds: ours {timings['ours']:.2f}, jionlp {timings['jionlp']:.2f}")
    if args.json:
        payload = json.dumps({"documents": report, "seconds": timings}, ensure_ascii=False, indent=1)
        if args.json == "-":
            print(payload)
        else:
            Path(args.json).write_text(payload, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
