"""Every entry of a folder is a document or a ``problems`` row; one bad file never stops the others.

The tests build the folders themselves: web pages with server extensions, Word and PDF
files, dot-files, sub-folders, broken and looping links, FIFOs, odd names, dates outside
pandas' range, a path longer than PATH_MAX.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import urbanpolicy as up

from ..conftest import HUBEI, QINGYANG, SEEDS
from ..hostile_inputs import OLE2, TASK_DOC, docx, hang_guard, scanned_pdf, text_pdf, write

PAGE = "<html><head><title>通知</title></head><body><div><p>一、总体要求</p><p>（一）推进新型城镇化。</p></div></body></html>"


def accounted(corpus: up.Corpus) -> set[str]:
    """Every source_file the corpus mentions, as a document or a problem."""
    return set(corpus.documents["source_file"]) | set(corpus.problems["source_file"])


def kinds_of(corpus: up.Corpus, source_file: str) -> set[str]:
    return set(corpus.problems.loc[corpus.problems["source_file"] == source_file, "kind"])


@pytest.mark.parametrize("name", ["a.shtml", "b.shtm", "c.jsp", "d.aspx", "e.asp", "f.php", "g.htm~", "h.HTML"])
def test_web_pages_of_any_server_extension_are_read_as_html(tmp_path, name):
    write(tmp_path / name, PAGE)
    corpus = up.load_corpus(tmp_path)
    assert len(corpus.documents) == 1, corpus.problems
    text = corpus.documents["text"].iloc[0]
    assert "<p>" not in text and "一、总体要求\n（一）推进新型城镇化。" in text
    assert list(corpus.tasks["label"]) == ["（一）"]


def test_docx_is_read_with_its_paragraphs(tmp_path):
    write(tmp_path / "plan.docx", docx(TASK_DOC.split("\n")))
    corpus = up.load_corpus(tmp_path)
    assert list(corpus.documents["doc_id"]) == ["plan"]
    assert corpus.documents["text"].iloc[0] == TASK_DOC
    assert list(corpus.tasks["label"]) == ["（一）", "（二）"]
    assert corpus.documents["encoding"].iloc[0] == "docx"


def test_pdf_with_a_text_layer_is_read(tmp_path):
    write(tmp_path / "plan.pdf", text_pdf(TASK_DOC.split("\n")))
    corpus = up.load_corpus(tmp_path)
    assert list(corpus.documents["doc_id"]) == ["plan"], corpus.problems
    assert corpus.documents["text"].iloc[0] == TASK_DOC
    assert corpus.documents["encoding"].iloc[0] == "pdf"


@pytest.mark.parametrize("name, data", [("old.doc", OLE2), ("kingsoft.wps", OLE2), ("scan.pdf", scanned_pdf())])
def test_formats_we_cannot_read_are_reported_with_the_hint_to_convert(tmp_path, name, data):
    write(tmp_path / name, data)
    write(tmp_path / "good.txt", TASK_DOC)
    corpus = up.load_corpus(tmp_path)
    assert list(corpus.documents["doc_id"]) == ["good"]
    rows = corpus.problems[corpus.problems["source_file"] == name]
    assert list(rows["kind"]) == ["unsupported_format"]
    assert "convert" in rows["detail"].iloc[0]


def test_other_files_are_reported_not_skipped(tmp_path):
    write(tmp_path / "photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    write(tmp_path / "notes.csv", "a,b\n1,2\n")
    corpus = up.load_corpus(tmp_path)
    assert kinds_of(corpus, "photo.jpg") == {"unsupported_format"}
    assert accounted(corpus) == {"photo.jpg", "notes.csv"}


def test_sub_folders_are_read_with_relative_path_ids_and_a_folder_column(tmp_path):
    shutil.copy(SEEDS / f"{QINGYANG}.txt", tmp_path / "top.txt")
    write(tmp_path / "湖北" / "plan.txt", TASK_DOC)
    write(tmp_path / "湖南" / "plan.txt", TASK_DOC.replace("65%", "66%"))
    write(tmp_path / "湖南" / "2021" / "deep.txt", TASK_DOC.replace("65%", "67%"))
    corpus = up.load_corpus(tmp_path)
    docs = corpus.documents.set_index("doc_id")
    assert sorted(docs.index) == ["top", "湖北/plan", "湖南/2021/deep", "湖南/plan"]
    assert docs.at["湖北/plan", "folder"] == "湖北"
    assert docs.at["湖南/2021/deep", "folder"] == "湖南/2021"
    assert docs.at["top", "folder"] == ""
    assert docs.at["湖南/plan", "source_file"] == "湖南/plan.txt"
    # researchers group by the folder (e.g. one folder per province)
    assert corpus.documents.groupby("folder").size().to_dict() == {"": 1, "湖北": 1, "湖南": 1, "湖南/2021": 1}
    # the ids do not depend on where the folder lives
    moved = tmp_path.parent / (tmp_path.name + "_moved")
    shutil.copytree(tmp_path, moved)
    assert sorted(up.load_corpus(moved).documents["doc_id"]) == sorted(docs.index)
    # task ids carry the document's id, so two provinces' plan.txt never collide
    assert corpus.tasks["task_id"].is_unique


def test_non_recursive_loading_reports_the_sub_folder(tmp_path):
    write(tmp_path / "a.txt", TASK_DOC)
    write(tmp_path / "sub" / "b.txt", TASK_DOC.replace("65%", "66%"))
    corpus = up.load_corpus(tmp_path, recursive=False)
    assert list(corpus.documents["doc_id"]) == ["a"]
    assert kinds_of(corpus, "sub") == {"skipped"}


def test_same_stem_twice_gets_the_file_name_as_id(tmp_path):
    write(tmp_path / "notice.txt", TASK_DOC)
    write(tmp_path / "notice.html", "<p>" + TASK_DOC.replace("65%", "60%").replace("\n", "</p><p>") + "</p>")
    corpus = up.load_corpus(tmp_path)
    assert sorted(corpus.documents["doc_id"]) == ["notice.html", "notice.txt"]


def test_odd_entries_are_each_a_problem_row_and_never_block(tmp_path):
    write(tmp_path / "good.txt", TASK_DOC)
    write(tmp_path / ".DS_Store", b"\x00\x00\x00\x01Bud1" + b"\x00" * 50)
    write(tmp_path / ".hidden.txt", TASK_DOC)
    (tmp_path / ".git").mkdir()
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "broken.txt")
    os.symlink(tmp_path / "loop.txt", tmp_path / "loop.txt")
    os.symlink(tmp_path, tmp_path / "self_link")  # a folder link back to its parent
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "x.txt").mkdir()  # a folder named like a file, empty
    with hang_guard(60):
        corpus = up.load_corpus(tmp_path)
    assert list(corpus.documents["doc_id"]) == ["good"]
    assert kinds_of(corpus, ".DS_Store") == {"skipped"}
    assert kinds_of(corpus, ".hidden.txt") == {"skipped"}
    assert kinds_of(corpus, ".git") == {"skipped"}
    assert kinds_of(corpus, "broken.txt") == {"unreadable"}
    assert kinds_of(corpus, "loop.txt") == {"unreadable"}
    assert kinds_of(corpus, "self_link") == {"skipped"}
    assert kinds_of(corpus, "pipe.txt") == {"skipped"}
    assert kinds_of(corpus, "x.txt") == {"empty_folder"}
    assert "FIFO" in corpus.problems.set_index("source_file").at["pipe.txt", "detail"]


def test_a_link_to_a_file_is_read(tmp_path):
    outside = write(tmp_path / "elsewhere" / "real.txt", TASK_DOC)
    folder = tmp_path / "docs"
    folder.mkdir()
    os.symlink(outside, folder / "linked.txt")
    corpus = up.load_corpus(folder)
    assert list(corpus.documents["doc_id"]) == ["linked"]


def test_a_folder_named_like_a_file_is_read_as_a_folder(tmp_path):
    write(tmp_path / "x.txt" / "inner.txt", TASK_DOC)
    corpus = up.load_corpus(tmp_path)
    assert list(corpus.documents["doc_id"]) == ["x.txt/inner"]


def test_non_regular_files_given_directly_are_skipped_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with hang_guard(60):
        corpus = up.load_corpus(tmp_path / "pipe")
    assert corpus.documents.empty
    assert list(corpus.problems["kind"]) == ["skipped"]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_proc_is_not_read_as_documents():
    with hang_guard(120):
        corpus = up.load_corpus("/proc/self/task", recursive=False)
    assert corpus.documents.empty
    assert set(corpus.problems["kind"]) <= {"skipped", "unreadable", "unsupported_format", "empty"}


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
def test_front_matter_dates_outside_pandas_range_are_a_problem_row(tmp_path, date):
    write(tmp_path / "a_bad.txt", f"---\ntitle: 通知\ndate: {date}\n---\n{TASK_DOC}")
    shutil.copy(SEEDS / f"{QINGYANG}.txt", tmp_path / "b_good.txt")
    corpus = up.load_corpus(tmp_path)
    docs = corpus.documents.set_index("doc_id")
    assert sorted(docs.index) == ["a_bad", "b_good"]
    assert pd.isna(docs.at["a_bad", "published"])
    assert "date_out_of_range" in kinds_of(corpus, "a_bad.txt")
    assert date in " ".join(corpus.problems["detail"])


def test_a_file_name_in_gbk_bytes_is_read_and_reported(tmp_path):
    name = "湖北通知".encode("gbk") + b".txt"
    with open(os.path.join(os.fsencode(tmp_path), name), "wb") as f:
        f.write(TASK_DOC.encode("utf-8"))
    write(tmp_path / "good.txt", TASK_DOC.replace("65%", "60%"))
    corpus = up.load_corpus(tmp_path)
    assert sorted(corpus.documents["doc_id"]) == ["good", "湖北通知"]
    assert kinds_of(corpus, "湖北通知.txt") == {"file_name"}
    # every text column is valid Unicode: the tables can be written
    for name, frame in corpus.tables().items():
        frame.to_parquet(tmp_path / f"{name}.parquet")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_a_problem_row(tmp_path):
    write(tmp_path / "good.txt", TASK_DOC)
    locked = write(tmp_path / "locked.txt", TASK_DOC.replace("65%", "60%"))
    locked.chmod(0)
    corpus = up.load_corpus(tmp_path)
    assert list(corpus.documents["doc_id"]) == ["good"]
    assert kinds_of(corpus, "locked.txt") == {"unreadable"}


def test_a_path_longer_than_path_max_is_a_row_and_the_others_load(tmp_path):
    write(tmp_path / "good.txt", TASK_DOC)
    fd = os.open(tmp_path, os.O_RDONLY)
    depth = 0
    try:
        while depth * 201 < 4200:
            os.mkdir("d" * 200, dir_fd=fd)
            child = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd, depth = child, depth + 1
        leaf = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
        os.write(leaf, TASK_DOC.replace("65%", "60%").encode())
        os.close(leaf)
    finally:
        os.close(fd)
    corpus = up.load_corpus(tmp_path)
    assert "good" in set(corpus.documents["doc_id"])
    deep = [s for s in accounted(corpus) if s.endswith("deep.txt") or s.endswith("d" * 200)]
    assert deep, corpus.problems


def test_a_source_with_no_readable_document_gives_empty_tables(tmp_path):
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "old.doc", OLE2)
    corpus = up.load_corpus(tmp_path)
    assert corpus.documents.empty and "folder" in corpus.documents.columns
    assert set(corpus.problems["kind"]) == {"empty", "unsupported_format"}


# ---------------------------------------------------------------- the mixed folder
def _good_documents() -> dict[str, bytes]:
    """Relative path -> bytes of documents that must load exactly as they do alone."""
    good = {}
    for i, seed in enumerate(sorted(SEEDS.glob("*.txt"))):
        raw = seed.read_bytes()
        good[f"seeds/{seed.name}"] = raw
        if i == 0:
            good["gbk/hubei.txt"] = raw.decode("utf-8").encode("gb18030")
    for i in range(60):
        body = (f"关于第{i + 1}批城镇化试点的通知\n一、总体要求\n（一）到2025年常住人口城镇化率达到{50 + i % 30}%。"
                f"（省发展改革委牵头，省公安厅配合）\n（二）新增城镇就业{i + 3}万人。")
        province = ["湖北", "湖南", "甘肃", "广东"][i % 4]
        if i % 3 == 0:
            good[f"{province}/doc{i:02d}.shtml"] = ("<html><head><title>通知</title><body><p>"
                                                    + body.replace("\n", "</p><p>") + "</p>").encode()
        elif i % 3 == 1:
            good[f"{province}/doc{i:02d}.txt"] = body.encode("utf-16")
        else:
            good[f"{province}/doc{i:02d}.txt"] = body.encode("gb18030")
    good["word/plan.docx"] = docx(TASK_DOC.split("\n"))
    good["pdf/plan.pdf"] = text_pdf(TASK_DOC.replace("65%", "68%").split("\n"))
    return good


def _bad_entries(root: Path) -> set[str]:
    """Write about 150 bad entries; return their relative paths."""
    bad: dict[str, bytes] = {}
    for i in range(20):
        bad[f"bad/empty{i}.txt"] = b"" if i % 2 else b"  \n\n "
        bad[f"bad/binary{i}.txt"] = bytes(range(256)) * 4
        bad[f"bad/old{i}.doc"] = OLE2
        bad[f"bad/scan{i}.pdf"] = scanned_pdf()
        bad[f"bad/furniture{i}.html"] = "<p>分享到：</p><p>【打印正文】</p>".encode()
        bad[f"bad/date{i}.txt"] = f"---\ndate: {9000 + i}-01-01\n---\n（一）任务{i}。".encode()
    bad["bad/alias_bomb.txt"] = ("---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                                 "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                                 "---\n（一）任务。").encode()
    bad["bad/deep_yaml.txt"] = ("---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n（一）深层。").encode()
    bad["bad/sjis.txt"] = "日本の都市計画について、市町村は住民の意見を聞くことになっています。".encode("shift_jis") * 5
    bad["bad/photo.jpg"] = b"\xff\xd8\xff\xe0" + bytes(64)
    for i in range(10):
        bad[f".hidden{i}"] = b"x"
    for rel, data in bad.items():
        write(root / rel, data)
    names = set(bad)
    for i in range(10):
        os.symlink(root / f"missing{i}.txt", root / "bad" / f"broken{i}.txt")
        names.add(f"bad/broken{i}.txt")
        os.mkfifo(root / "bad" / f"fifo{i}")
        names.add(f"bad/fifo{i}")
        (root / "empty_folders" / f"e{i}.txt").mkdir(parents=True)
        names.add(f"empty_folders/e{i}.txt")
    os.symlink(root / "bad" / "loop", root / "bad" / "loop")
    names.add("bad/loop")
    name = "城镇化".encode("gbk") + b".txt"
    with open(os.path.join(os.fsencode(root), b"bad", name), "wb") as f:
        f.write("（一）文件名是GBK。".encode())
    names.add("bad/城镇化.txt")
    return names


def test_a_mixed_folder_of_200_entries_accounts_for_every_entry(tmp_path):
    root = tmp_path / "mixed"
    good = _good_documents()
    for rel, data in good.items():
        write(root / rel, data)
    bad = _bad_entries(root)
    assert len(good) + len(bad) >= 200
    with hang_guard(300):
        corpus = up.load_corpus(root)
    seen = accounted(corpus)
    missing = (set(good) | bad) - seen
    assert not missing, sorted(missing)
    assert not (corpus.problems["kind"] == "error").any(), corpus.problems[corpus.problems["kind"] == "error"]
    by_file = corpus.documents.set_index("source_file")
    assert set(good) <= set(by_file.index) | set(corpus.problems.loc[corpus.problems["kind"] == "duplicate", "source_file"])
    ids = ["doc_id", "task_id", "parent_task_id", "section_id", "source_file", "folder", "cited_doc_id", "duplicate_of",
           "short_name", "short_name_en"]  # labels made unique within the corpus (" (2)"), like ids
    for rel in sorted(good):
        if rel not in by_file.index:
            continue
        alone = up.load_corpus(root / rel)
        doc_id = by_file.at[rel, "doc_id"]
        assert by_file.at[rel, "text"] == alone.documents["text"].iloc[0], rel
        for name, frame in alone.tables().items():
            if name == "problems":
                continue
            mine = getattr(corpus, name)
            mine = mine[mine["doc_id"] == doc_id].drop(columns=[c for c in ids if c in mine.columns])
            theirs = frame.drop(columns=[c for c in ids if c in frame.columns])
            pd.testing.assert_frame_equal(mine.reset_index(drop=True), theirs.reset_index(drop=True),
                                          check_dtype=False, check_categorical=False,  # the corpus's categories
                                          obj=f"{rel}: {name}")                      # hold every document's values


def test_hubei_seed_in_a_sub_folder_loads_as_at_top_level(tmp_path, corpus):
    shutil.copy(SEEDS / f"{HUBEI}.txt", write(tmp_path / "湖北" / "x", "").parent / f"{HUBEI}.txt")
    (tmp_path / "湖北" / "x").unlink()
    loaded = up.load_corpus(tmp_path)
    assert list(loaded.documents["doc_id"]) == [f"湖北/{HUBEI}"]
    assert loaded.documents["text"].iloc[0] == corpus.documents.set_index("doc_id").at[HUBEI, "text"]


def test_workers_beyond_the_machine_are_capped():
    from urbanpolicy.corpus import available_cores, effective_workers

    assert effective_workers(10_000) == available_cores()
    assert effective_workers(0) == 1
    with pytest.raises(ValueError, match="workers"):
        effective_workers(-3)
    with hang_guard(120):
        many = up.load_corpus(SEEDS, workers=10_000)
    one = up.load_corpus(SEEDS)
    for name, frame in one.tables().items():
        pd.testing.assert_frame_equal(frame, many.tables()[name], obj=name)
