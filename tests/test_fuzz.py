"""Fuzz-style tests: random and mutated documents never break the loader or the extractors.

Every failure must become a row in ``problems``; the other documents load unchanged.
"""

from __future__ import annotations

import random

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from urbanpolicy import load_corpus
from urbanpolicy.extract.agencies import assignment_rows
from urbanpolicy.extract.citations import reference_rows
from urbanpolicy.extract.dates import date_rows
from urbanpolicy.extract.structure import TaskSpans, structure_rows
from urbanpolicy.extract.targets import target_rows
from urbanpolicy.ingest.cleaning import clean_text

from .conftest import HUBEI, QINGYANG, SEEDS, seed_text

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SEED_TEXTS = [seed_text(p.stem) for p in sorted(SEEDS.glob("*.txt"))]
# characters that exercise the rules: labels, brackets, dates, numbers, markup, mojibake
ALPHABET = st.sampled_from(list("一二三四五六七八九十（）()、.。，：；《》〔〕年月日号%万个0123456789\n <>/&;?锟斤拷�pdivscript省厅局负责牵头到前底")) | st.characters()


def _mutations(text: str, rng: random.Random) -> list[str]:
    lines = text.split("\n")
    shuffled = lines[:]
    rng.shuffle(shuffled)
    cut = rng.randrange(len(text))
    return [
        text[:cut],                                   # truncated
        "\n".join(shuffled),                          # shuffled lines
        text.replace("）", "", rng.randrange(1, 30)).replace(")", "", rng.randrange(1, 30)),  # unbalanced
        text.replace("（", "((((", 5).replace("(", "（（（", 5) + "（（《〔",
        "甲" * 10_000 + "\n" + text,                  # a 10,000-character line
        "<div>" * 3000 + text + "</div>" * 10,         # deeply nested, unclosed HTML
    ]


def _check_offsets(corpus) -> None:
    texts = corpus.documents.set_index("doc_id")["text"]
    for name in ("tasks", "dates", "targets", "references"):
        table = getattr(corpus, name)
        for row in table.itertuples():
            if row.start >= 0:
                assert 0 <= row.start <= row.end <= len(texts[row.doc_id]), name
    for row in corpus.tasks.itertuples():
        assert row.text == texts[row.doc_id][row.start:row.end]


@FUZZ
@given(seed=st.integers(0, 10_000))
def test_mutated_seeds_load_next_to_an_intact_one(tmp_path_factory, seed):
    rng = random.Random(seed)
    folder = tmp_path_factory.mktemp("mut")
    original = SEED_TEXTS[seed % len(SEED_TEXTS)]
    for i, text in enumerate(_mutations(original, rng)):
        encoding = rng.choice(["utf-8", "gb18030", "utf-16"])
        (folder / f"m{i}.txt").write_bytes(text.encode(encoding, errors="replace"))
    (folder / "zz_intact.txt").write_text(seed_text(QINGYANG), encoding="utf-8")
    corpus = load_corpus(folder)
    intact = load_corpus(folder / "zz_intact.txt").documents["text"].iloc[0]
    # the intact document loads unchanged (or, if a mutation happened to clean to the same text,
    # is reported as that document's duplicate)
    assert intact in set(corpus.documents["text"])
    assert "zz_intact" in set(corpus.documents["doc_id"]) | set(corpus.problems.loc[corpus.problems["kind"] == "duplicate", "doc_id"])
    _check_offsets(corpus)
    assert not (corpus.problems["kind"] == "error").any(), corpus.problems[corpus.problems["kind"] == "error"]


@FUZZ
@given(data=st.binary(max_size=4000))
def test_random_bytes_never_escape(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("bytes")
    (folder / "random.txt").write_bytes(data)
    (folder / "mixed.txt").write_bytes(data[:100] + "一、总体要求\n（一）目标。".encode("gb18030") + data[100:])
    corpus = load_corpus(folder)
    known = set(corpus.documents["doc_id"]) | set(corpus.problems["doc_id"])
    assert {"random", "mixed"} <= known or len(corpus.documents) + len(corpus.problems) >= 1
    assert not (corpus.problems["kind"] == "error").any()
    _check_offsets(corpus)


@FUZZ
@given(text=st.text(alphabet=ALPHABET, max_size=3000))
def test_extractors_accept_any_text(text):
    """Each stage's entry point, called in the loader's order with what the loader passes."""
    clean = clean_text(text).text
    sections, tasks, problems = structure_rows("d", clean)
    assert all(clean[r["start"]:r["end"]] == r["text"] for r in tasks)
    spans = TaskSpans.from_rows(tasks)
    dates = date_rows("d", clean, spans, 2021, pd.Timestamp("2021-06-01"))
    assert all(clean[r["start"]:r["end"]] == r["text"] for r in dates)
    refs, _ = reference_rows("d", clean, None, None)
    assert all(0 <= r["start"] <= r["end"] <= len(clean) for r in refs)
    targets, _ = target_rows("d", clean, spans, 2021, dates)
    assert all(0 <= r["start"] <= r["end"] <= len(clean) for r in targets)
    assignments, _ = assignment_rows("d", clean, spans, None, "provincial")
    assert all(clean[r["start"]:r["end"]] == r["agency_raw"] for r in assignments)


def test_large_file_loads(tmp_path):
    """A 2 MB document (the seed repeated) loads whole.  Time against length is measured, with a
    floor, by benchmarks/bench_longdoc.py (100 KB to 20 MB), not here."""
    text = seed_text(HUBEI)
    copies = 2_000_000 // len(text.encode("utf-8")) + 1
    big = (text + "\n") * copies
    (tmp_path / "big.txt").write_text(big, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert len(corpus.documents) == 1
    assert corpus.documents["n_chars"].iloc[0] > 500_000
    one = load_corpus([_write(tmp_path / "one", text)])
    assert len(corpus.tasks) == copies * len(one.tasks)  # every copy parsed, none dropped
    assert (corpus.problems["kind"].str.startswith("numbering")).any()  # the repeated chapters are reported


def test_missing_and_not_a_directory(tmp_path):
    import pytest

    with pytest.raises(FileNotFoundError):
        load_corpus(tmp_path / "missing")
    with pytest.raises(FileNotFoundError):
        load_corpus([tmp_path / "missing.txt"])


def _write(folder, text: str):
    folder.mkdir()
    path = folder / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return path
