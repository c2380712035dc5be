"""load_corpus: sources, bad files, duplicates, parallel loading."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

import urbanpolicy.corpus as corpus_module
from urbanpolicy import load_corpus
from urbanpolicy.corpus import PARALLEL_FROM_FILES, default_workers
from urbanpolicy.ingest.listing import SourceFile, document_ids

from .conftest import HUBEI, QINGYANG, SEEDS


def test_default_source_is_the_seeds(corpus):
    assert len(load_corpus().documents) == len(corpus.documents) == 5


def test_missing_folder_raises_with_the_path(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError, match="nowhere"):
        load_corpus(missing)


def test_file_and_list_sources(tmp_path):
    one = load_corpus(SEEDS / f"{HUBEI}.txt")
    assert list(one.documents["doc_id"]) == [HUBEI]
    two = load_corpus([SEEDS / f"{HUBEI}.txt", SEEDS / f"{QINGYANG}.txt"])
    assert list(two.documents["doc_id"]) == [HUBEI, QINGYANG]


def test_bad_files_become_problems_and_the_others_load(tmp_path, corpus):
    shutil.copy(SEEDS / f"{QINGYANG}.txt", tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 100)
    (tmp_path / "furniture.html").write_text("<p>分享到：</p><p>【打印正文】</p>", encoding="utf-8")
    loaded = load_corpus(tmp_path)
    assert list(loaded.documents["doc_id"]) == [QINGYANG]
    kinds = loaded.problems.set_index("doc_id")["kind"]
    assert kinds["empty"] == "empty" and kinds["image"] == "binary"
    assert "no_text" in set(loaded.problems.loc[loaded.problems["doc_id"] == "furniture", "kind"])
    original = corpus.documents.set_index("doc_id").at[QINGYANG, "text"]
    assert loaded.documents["text"].iloc[0] == original


def test_duplicates_are_reported_and_counted_once(tmp_path):
    shutil.copy(SEEDS / f"{HUBEI}.txt", tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes((SEEDS / f"{HUBEI}.txt").read_text(encoding="utf-8").encode("gb18030"))
    loaded = load_corpus(tmp_path)
    assert list(loaded.documents["doc_id"]) == ["a"]
    dup = loaded.problems[loaded.problems["kind"] == "duplicate"]
    assert list(dup["doc_id"]) == ["b"] and "a" in dup["detail"].iloc[0]
    kept = load_corpus(tmp_path, keep_duplicates=True)
    assert list(kept.documents["duplicate_of"].fillna("")) == ["", "a"]


def test_workers_give_identical_tables():
    one = load_corpus(SEEDS)
    two = load_corpus(SEEDS, workers=2)
    for name, frame in one.tables().items():
        pd.testing.assert_frame_equal(frame, two.tables()[name], obj=name)


def test_subset_validates_doc_ids(corpus):
    assert list(corpus.subset([QINGYANG]).tasks["doc_id"].unique()) == [QINGYANG]
    with pytest.raises(ValueError, match="docs: unknown doc_id 'nope'"):
        corpus.subset(["nope"])


def test_cache_returns_identical_tables_and_misses_on_changed_content(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEEDS / f"{QINGYANG}.txt", docs)
    cache = tmp_path / "cache"
    first = load_corpus(docs, cache=cache)
    assert len(list((cache / "corpus").iterdir())) == 1
    second = load_corpus(docs, cache=cache)
    for name, frame in first.tables().items():
        pd.testing.assert_frame_equal(frame, second.tables()[name], obj=name)
    (docs / f"{QINGYANG}.txt").write_text("一、新内容\n（一）新任务。", encoding="utf-8")
    third = load_corpus(docs, cache=cache)
    assert len(list((cache / "corpus").iterdir())) == 2
    assert third.documents["text"].iloc[0].startswith("一、新内容")


def test_doc_ids_of_twenty_thousand_files_suffix_only_repeated_stems():
    # one pass over the stems (list.count per file took seconds at this size)
    files = [SourceFile(f"folder{i % 2}/doc{i // 2}.txt", f"folder{i % 2}/doc{i // 2}.txt", "", "text")
             for i in range(20_000)] + [SourceFile("single.txt", "single.txt", "", "text")]
    ids = document_ids(files, as_path=False)
    assert ids[0] == "folder0/doc0" and ids[1] == "folder1/doc0"  # same stem in two folders: the path as given
    assert ids[-1] == "single"
    assert len(set(ids)) == len(ids)


def test_default_workers_from_fifty_files_capped_at_the_cores():
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert default_workers(1) == default_workers(PARALLEL_FROM_FILES - 1) == 1
    assert default_workers(PARALLEL_FROM_FILES) == min(cores, PARALLEL_FROM_FILES)
    assert default_workers(100_000) == cores


def test_fifty_files_load_in_workers_by_default_with_identical_tables(tmp_path):
    for i in range(PARALLEL_FROM_FILES):  # the seeds again, each copy different so none is a duplicate
        seed = sorted(SEEDS.glob("*.txt"))[i % 5]
        (tmp_path / f"{i:02d}_{seed.name}").write_text(seed.read_text(encoding="utf-8") + f"\n（副本{i}）\n",
                                                       encoding="utf-8")
    default = load_corpus(tmp_path)
    serial = load_corpus(tmp_path, workers=1)
    assert len(default.documents) == PARALLEL_FROM_FILES
    for name, frame in serial.tables().items():
        pd.testing.assert_frame_equal(default.tables()[name], frame, obj=name)


@pytest.mark.parametrize("keep", [False, True])
def test_tables_assembled_in_chunks_equal_tables_built_at_once(tmp_path, monkeypatch, keep):
    # every seed twice (the copy is a duplicate, possibly in a later chunk than its original)
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, tmp_path / seed.name)
        shutil.copy(seed, tmp_path / f"zz_{seed.name}")
    whole = load_corpus(tmp_path, workers=1, keep_duplicates=keep)
    monkeypatch.setattr(corpus_module, "ASSEMBLY_CHUNK", 3)
    chunked = load_corpus(tmp_path, workers=1, keep_duplicates=keep)
    assert (whole.problems["kind"] == "duplicate").sum() == 5
    assert len(whole.documents) == (10 if keep else 5)
    for name, frame in whole.tables().items():
        pd.testing.assert_frame_equal(chunked.tables()[name], frame, obj=name)
