"""The reliability kit round-trips: a sheet is written, filled in here, and read back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import urbanpolicy as up
from urbanpolicy.analysis.reliability import review_report, sample_for_review, sample_items, wilson_interval


def _fill(path, marks: dict[str, list]) -> None:
    book = load_workbook(path)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    for coder, values in marks.items():
        col = header.index(coder) + 1
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=col, value=value)
    book.save(path)


def test_sheet_round_trip_gives_precision_wilson_interval_and_kappa(corpus, tmp_path):
    path = sample_for_review(corpus, ["assignments", "targets"], n=10, seed=7, path=tmp_path / "review.xlsx")
    sheet = pd.read_excel(path, sheet_name="review")
    assert list(sheet["table"]) == ["assignments"] * 10 + ["targets"] * 10
    assert {"coder_1", "coder_2", "context", "evidence"} <= set(sheet.columns)
    texts = corpus.documents.set_index("doc_id")["text"]
    assert all(texts[d][s:e] == ev for d, s, e, ev in
               zip(sheet["doc_id"], sheet["start"], sheet["end"], sheet["evidence"], strict=True))
    assert sheet["context"].str.contains("【").all()
    # coder 1: 9 of 10 assignments right, 7 of 10 targets; coder 2 disagrees on two assignments
    coder_1 = [1] * 9 + [0] + [1] * 7 + [0] * 3
    coder_2 = ["y"] * 7 + ["n", "n", "n"] + ["✓"] * 7 + ["✗", "✗", None]
    _fill(path, {"coder_1": coder_1, "coder_2": coder_2})
    report = review_report(path)
    prec = report["precision"].set_index(["table", "coder"])
    assert prec.loc[("assignments", "coder_1"), "precision"] == pytest.approx(0.9)
    assert prec.loc[("targets", "coder_1"), "precision"] == pytest.approx(0.7)
    assert prec.loc[("all", "coder_1"), "n_right"] == 16
    assert prec.loc[("targets", "coder_2"), "n_judged"] == 9          # an empty cell is not judged
    # Wilson 95% for 9/10, computed by hand: (p + z²/2n ± z√(p(1-p)/n + z²/4n²)) / (1 + z²/n)
    z, n, p = 1.959964, 10, 0.9
    centre, half = (p + z * z / (2 * n)), z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5)
    assert prec.loc[("assignments", "coder_1"), "ci_low"] == pytest.approx((centre - half) / (1 + z * z / n), abs=1e-4)
    assert prec.loc[("assignments", "coder_1"), "ci_high"] == pytest.approx((centre + half) / (1 + z * z / n), abs=1e-4)
    agree = report["agreement"].set_index("table")
    # assignments: coder 1 = 1×9,0; coder 2 = 1×7,0×3 → a 2×2 table [[1,0],[2,7]]:
    # po = 0.8, pe = 0.9·0.7 + 0.1·0.3 = 0.66, κ = 0.14/0.34
    assert agree.at["assignments", "agreement"] == pytest.approx(0.8)
    assert agree.at["assignments", "kappa"] == pytest.approx(0.14 / 0.34)
    # targets, 9 judged by both, all agreeing → κ = 1
    assert agree.at["targets", "n_both"] == 9 and agree.at["targets", "kappa"] == pytest.approx(1.0)


def test_same_seed_same_sample_and_instruments_can_be_reviewed(corpus):
    a = sample_items(corpus, "instruments", 5, seed=3)
    b = sample_items(corpus, "instruments", 5, seed=3)
    assert a.equals(b) and len(a) == 5
    assert a["fact"].str.contains("instrument=").all()


def test_text_is_never_a_formula(tmp_path):
    (tmp_path / "d.txt").write_text("通知\n一、任务\n（一）=HYPERLINK(\"http://x\")由省财政厅负责。\n", encoding="utf-8")
    corpus = up.load_corpus(tmp_path)
    text = corpus.documents["text"].iloc[0]
    start = text.index("=")
    own = pd.DataFrame({"doc_id": ["d"], "start": [start], "end": [start + 12]})
    path = sample_for_review(corpus, {"mine": own}, 5, path=tmp_path / "r.xlsx", context=0)
    cells = [c for row in load_workbook(path)["review"].iter_rows(min_row=2) for c in row]
    assert any(isinstance(c.value, str) and c.value.startswith("=HYPERLINK") for c in cells)
    assert all(c.data_type != "f" for c in cells)


def test_bad_marks_and_tables_are_reported(corpus, tmp_path):
    path = sample_for_review(corpus, "dates", 3, path=tmp_path / "r.xlsx", coders=1)
    _fill(path, {"coder_1": [1, "maybe", 0]})
    with pytest.raises(ValueError, match="maybe"):
        review_report(path)
    with pytest.raises(ValueError, match="unknown table"):
        sample_items(corpus, "nonsense", 3)
    assert all(np.isnan(x) for x in wilson_interval(0, 0))  # nothing judged: no interval
