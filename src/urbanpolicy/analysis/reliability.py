"""Reliability kit: sample extracted facts for human review, then report precision and agreement.

``sample_for_review(corpus, tables, n, seed, path)`` writes an Excel workbook with ``n``
randomly sampled facts per table (assignments, dates, targets, references, instruments …),
each with the evidence span and its context (the fact marked 【like this】), and one empty
column per coder (``coder_1``, ``coder_2`` …) to fill with 1 (right) or 0 (wrong); a
second sheet explains how.  ``review_report(path)`` reads the filled workbook back and
reports per table:

* precision — share of facts coder 1 marked right, with a 95% **Wilson score** interval
  (``scipy.stats.binomtest(...).proportion_ci(method="wilson")``; Wilson rather than the
  normal approximation because samples are small and precision is near 1);
* the same for every further coder;
* Cohen's κ between coder 1 and coder 2 on the facts both judged
  (``sklearn.metrics.cohen_kappa_score``), with their raw agreement.

Accepted marks: 1/0, y/n, yes/no, true/false, right/wrong, ✓/✗, 对/错, 是/否; an empty
cell is "not judged" and is left out.  Document text is written as text, never as a
formula (a fact beginning with "=" stays a string).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SHEET = "review"
ITEM_COLUMNS = ["item_id", "table", "doc_id", "task_id", "fact", "evidence", "context", "start", "end"]
REPORT_COLUMNS = ["table", "n_items", "coder", "n_judged", "n_right", "precision", "ci_low", "ci_high"]
AGREEMENT_COLUMNS = ["table", "coders", "n_both", "agreement", "kappa"]
_TRUE = {"1", "1.0", "y", "yes", "true", "right", "✓", "✔", "对", "是", "t"}
_FALSE = {"0", "0.0", "n", "no", "false", "wrong", "✗", "✘", "x", "错", "否", "f"}
# The columns that say what a fact is, per table (the rest is kept out of the sheet).
FACT_COLUMNS = {
    "assignments": ["agency_raw", "agency", "role", "source"],
    "dates": ["text", "date", "kind"],
    "targets": ["indicator", "comparator", "value", "unit", "year", "kind"],
    "references": ["cited_title", "cited_number"],
    "instruments": ["instrument", "cue"],
    "tasks": ["path", "title"],
    "sections": ["label", "heading"],
}


def _facts(corpus, table: str) -> pd.DataFrame:
    if table == "instruments":
        from .instruments import instruments

        return instruments(corpus)
    if table not in corpus.tables():
        raise ValueError(f"unknown table {table!r}; expected one of {sorted([*corpus.tables(), 'instruments'])}")
    frame = corpus.tables()[table]
    if not {"doc_id", "start", "end"} <= set(frame.columns):
        raise ValueError(f"table {table!r} has no start/end evidence to review")
    return frame[frame["start"] >= 0]


def _fact_text(row: pd.Series, table: str) -> str:
    cols = [c for c in FACT_COLUMNS.get(table, []) if c in row.index]
    parts = [f"{c}={row[c]}" for c in cols if not (isinstance(row[c], float) and np.isnan(row[c])) and row[c] is not None]
    return "; ".join(str(p) for p in parts)


def sample_items(corpus, tables: str | list[str] | dict[str, pd.DataFrame], n: int, seed: int = 0,
                 context: int = 30) -> pd.DataFrame:
    """The sampled facts as a DataFrame (ITEM_COLUMNS), ``n`` per table (all when fewer).

    ``tables`` names corpus tables (or "instruments"), or maps names to your own
    DataFrames with doc_id, start and end columns.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    texts = dict(zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True))
    if isinstance(tables, dict):
        frames = list(tables.items())
    else:
        frames = [(t, _facts(corpus, t)) for t in ([tables] if isinstance(tables, str) else list(tables))]
    rows = []
    for table, facts in frames:
        if not {"doc_id", "start", "end"} <= set(facts.columns):
            raise ValueError(f"table {table!r} has no doc_id/start/end evidence to review")
        picked = facts.sample(n=min(n, len(facts)), random_state=seed) if len(facts) else facts
        for i, (_, row) in enumerate(picked.iterrows(), 1):
            text, start, end = texts[row["doc_id"]], int(row["start"]), int(row["end"])
            left, right = text[max(0, start - context):start], text[end:end + context]
            rows.append({"item_id": f"{table}-{i:03d}", "table": table, "doc_id": row["doc_id"],
                         "task_id": row.get("task_id") if isinstance(row.get("task_id"), str) else "",
                         "fact": _fact_text(row, table), "evidence": text[start:end],
                         "context": f"{left}【{text[start:end]}】{right}".replace("\n", " "),
                         "start": start, "end": end})
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def sample_for_review(corpus, tables: str | list[str] | dict[str, pd.DataFrame], n: int, seed: int = 0,
                      path: str | Path = "review.xlsx", coders: int = 2, context: int = 30) -> Path:
    """Write ``n`` random facts per table to an Excel sheet for ``coders`` people to mark; returns the path.

    >>> import urbanpolicy as up                                                   # doctest: +SKIP
    >>> up.sample_for_review(up.load_corpus(), ["assignments", "targets"], 50, seed=1)  # doctest: +SKIP
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    if coders < 1:
        raise ValueError("coders must be at least 1")
    items = sample_items(corpus, tables, n, seed, context)
    columns = ITEM_COLUMNS + [f"coder_{i}" for i in range(1, coders + 1)] + ["note"]
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(items.itertuples(index=False), start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # document text is data: "=…" must not become a formula
    marks = DataValidation(type="list", formula1='"1,0"', allow_blank=True)
    sheet.add_data_validation(marks)
    first = len(ITEM_COLUMNS) + 1
    for c in range(first, first + coders):
        letter = sheet.cell(row=1, column=c).column_letter
        marks.add(f"{letter}2:{letter}{max(2, len(items) + 1)}")
    widths = {"fact": 40, "evidence": 20, "context": 70}
    for c, name in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = widths.get(name, 12)
        if name == "context":
            for row in sheet.iter_rows(min_row=2, min_col=c, max_col=c):
                row[0].alignment = Alignment(wrap_text=True)
    help_sheet = book.create_sheet("how to")
    for line in ("Mark each fact in your coder_N column: 1 = right, 0 = wrong; leave empty if unsure.",
                 "The fact is marked 【like this】 in its context; 'fact' says what was extracted.",
                 "Coders work independently; do not look at the other coder's column.",
                 "Then: urbanpolicy.review_report(path) gives precision (95% Wilson interval) and Cohen's kappa."):
        help_sheet.append([line])
    path = Path(path)
    book.save(path)
    return path


def _mark(value) -> float:  # noqa: ANN001 - whatever a spreadsheet cell holds
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    text = str(value).strip().lower()
    if text in _TRUE:
        return 1.0
    if text in _FALSE:
        return 0.0
    if text == "":
        return np.nan
    raise ValueError(f"cannot read the mark {value!r}: use 1 (right) or 0 (wrong)")


def wilson_interval(right: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (NaN, NaN when n = 0).

    >>> [round(x, 3) for x in wilson_interval(9, 10)]
    [0.596, 0.982]
    """
    if n == 0:
        return np.nan, np.nan
    from scipy.stats import binomtest

    ci = binomtest(right, n).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


def review_report(path: str | Path) -> dict[str, pd.DataFrame]:
    """Read a filled review sheet; return {"precision": …, "agreement": …}.

    precision: one row per table × coder, plus table "all" (REPORT_COLUMNS).
    agreement: one row per table (and "all") for coder_1 vs coder_2 (AGREEMENT_COLUMNS);
    empty with one coder.  κ is NaN when it is undefined (both coders gave one mark only).
    """
    from sklearn.metrics import cohen_kappa_score

    items = pd.read_excel(path, sheet_name=SHEET, dtype=object, engine="openpyxl")
    coders = [c for c in items.columns if isinstance(c, str) and c.startswith("coder_")]
    if not coders:
        raise ValueError(f"{path}: no coder_N column")
    marks = pd.DataFrame({c: items[c].map(_mark) for c in coders})
    groups = [(str(t), items.index[items["table"] == t]) for t in dict.fromkeys(items["table"])]
    groups.append(("all", items.index))
    precision, agreement = [], []
    for table, index in groups:
        for coder in coders:
            judged = marks.loc[index, coder].dropna()
            right = int(judged.sum())
            low, high = wilson_interval(right, len(judged))
            precision.append({"table": table, "n_items": len(index), "coder": coder, "n_judged": len(judged),
                              "n_right": right, "precision": right / len(judged) if len(judged) else np.nan,
                              "ci_low": low, "ci_high": high})
        if len(coders) >= 2:
            both = marks.loc[index, coders[:2]].dropna()
            a, b = both[coders[0]].astype(int), both[coders[1]].astype(int)
            kappa = np.nan
            if len(both) and len(set(a) | set(b)) > 1:
                kappa = float(cohen_kappa_score(a, b))
            agreement.append({"table": table, "coders": f"{coders[0]} vs {coders[1]}", "n_both": len(both),
                              "agreement": float((a == b).mean()) if len(both) else np.nan, "kappa": kappa})
    return {"precision": pd.DataFrame(precision, columns=REPORT_COLUMNS),
            "agreement": pd.DataFrame(agreement, columns=AGREEMENT_COLUMNS)}
