"""The parse cache: a safe format, keyed on code and data as well as inputs, incremental per file.

A crafted entry must never run code; a truncated or altered entry is a miss; a change to
the package's code or data files is a miss; one changed file re-parses that file only.
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd

import urbanpolicy as up

from .conftest import HUBEI, QINGYANG, SEEDS
from .hostile_inputs import TASK_DOC, write

ROOT = Path(__file__).resolve().parents[1]


def assert_same(a: up.Corpus, b: up.Corpus) -> None:
    for name, frame in a.tables().items():
        pd.testing.assert_frame_equal(frame, b.tables()[name], obj=name)


def entry_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file())


def two_docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEEDS / f"{QINGYANG}.txt", docs)
    shutil.copy(SEEDS / f"{HUBEI}.txt", docs)
    return docs


class _Boom:
    def __reduce__(self):
        return (os.system, (f"touch {MARKER}",))


MARKER = Path("/tmp/urbanpolicy-cache-pwned")


def test_entries_hold_no_pickles(tmp_path):
    cache = tmp_path / "cache"
    up.load_corpus(two_docs(tmp_path), cache=cache)
    files = entry_files(cache)
    assert files
    for path in files:
        head = path.read_bytes()[:4]
        assert not head.startswith(b"\x80"), f"{path} is a pickle"
    formats = {p.read_bytes().split(b" ", 1)[0] for p in files}
    assert formats == {b"urbanpolicy-cache-3", b"urbanpolicy-cache-3-run"}  # checksummed JSON; Arrow IPC


def test_a_crafted_entry_never_runs_code_and_is_a_miss(tmp_path):
    MARKER.unlink(missing_ok=True)
    docs = two_docs(tmp_path)
    cache = tmp_path / "cache"
    fresh = up.load_corpus(docs, cache=cache)
    payload = pickle.dumps(_Boom())
    for path in entry_files(cache):
        path.write_bytes(payload)
    again = up.load_corpus(docs, cache=cache)
    assert not MARKER.exists()
    assert_same(fresh, again)


def test_truncated_or_altered_entries_are_misses(tmp_path):
    docs = two_docs(tmp_path)
    cache = tmp_path / "cache"
    fresh = up.load_corpus(docs, cache=cache)
    files = entry_files(cache)
    for i, path in enumerate(files):
        data = path.read_bytes()
        if i % 3 == 0:
            path.write_bytes(data[: len(data) // 2])          # cut off
        elif i % 3 == 1:
            path.write_bytes(data[:-20] + bytes(20))         # altered bytes, same length
        else:
            path.unlink()                                    # missing
    assert_same(fresh, up.load_corpus(docs, cache=cache))
    # and the damaged entries were replaced: a third load reads intact entries
    assert_same(fresh, up.load_corpus(docs, cache=cache))


def test_a_hit_gives_identical_tables(tmp_path):
    docs = two_docs(tmp_path)
    cache = tmp_path / "cache"
    fresh = up.load_corpus(docs, cache=cache)
    before = entry_files(cache)
    assert_same(fresh, up.load_corpus(docs, cache=cache))
    assert entry_files(cache) == before


def test_one_changed_file_reparses_only_that_file(tmp_path, caplog):
    docs = tmp_path / "docs"
    for i in range(12):
        write(docs / f"d{i:02d}.txt", TASK_DOC.replace("65%", f"{50 + i}%"))
    cache = tmp_path / "cache"
    with caplog.at_level(logging.DEBUG, logger="urbanpolicy.cache"):
        up.load_corpus(docs, cache=cache)
        assert len(parsed(caplog)) == 12
        caplog.clear()
        write(docs / "d05.txt", TASK_DOC.replace("65%", "99%"))
        changed = up.load_corpus(docs, cache=cache)
    assert parsed(caplog) == ["parsing d05.txt"]
    assert_same(changed, up.load_corpus(docs))
    assert changed.targets.loc[changed.targets["doc_id"] == "d05", "value"].tolist()[0] == 99.0


def test_runs_of_unchanged_files_are_reused_as_typed_tables(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr("urbanpolicy.corpus.ASSEMBLY_CHUNK", 4)  # 12 files: runs d00-d03, d04-d07, d08-d11
    docs = tmp_path / "docs"
    for i in range(12):
        write(docs / f"d{i:02d}.txt", TASK_DOC.replace("65%", f"{50 + i}%"))
    cache = tmp_path / "cache"
    up.load_corpus(docs, cache=cache)
    shutil.rmtree(cache / "files")  # without per-file entries, only a run's typed tables can spare its parsing
    write(docs / "d05.txt", TASK_DOC.replace("65%", "99%"))
    with caplog.at_level(logging.DEBUG, logger="urbanpolicy.cache"):
        changed = up.load_corpus(docs, cache=cache)
    # the run's previous tables take d05's new rows: d04, d06, d07 are not parsed again
    assert parsed(caplog) == ["parsing d05.txt"]
    assert_same(changed, up.load_corpus(docs))
    assert changed.targets.loc[changed.targets["doc_id"] == "d05", "value"].tolist()[0] == 99.0
    # without the run's previous tables (nor its files' entries) its four files are parsed
    shutil.rmtree(cache / "files")
    shutil.rmtree(cache / "runs")
    write(docs / "d06.txt", TASK_DOC.replace("65%", "98%"))
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="urbanpolicy.cache"):
        changed = up.load_corpus(docs, cache=cache)
    assert parsed(caplog) == [f"parsing d0{i}.txt" for i in range(4, 8)]
    assert_same(changed, up.load_corpus(docs))


def test_a_changed_file_spliced_into_its_run_gives_the_tables_of_a_full_load(tmp_path, monkeypatch, caplog):
    # each edit changes which tables hold rows of d05, or makes it repeat another document's text
    monkeypatch.setattr("urbanpolicy.corpus.ASSEMBLY_CHUNK", 4)
    docs = tmp_path / "docs"
    for i in range(12):
        write(docs / f"d{i:02d}.txt", TASK_DOC.replace("65%", f"{50 + i}%"))
    cache = tmp_path / "cache"
    up.load_corpus(docs, cache=cache)
    no_target = "一、总体要求\n（一）推进农业转移人口市民化。\n（二）完善城镇住房保障体系。"
    more = TASK_DOC + "\n（三）到2030年常住人口城镇化率达到70%。（省住房城乡建设厅负责）"
    edits = [no_target, more, "\n \n", TASK_DOC.replace("65%", "54%"),  # d04's text: a repeat within the run
             TASK_DOC.replace("65%", "51%"),                             # d01's: a repeat of an earlier run
             more.replace("70%", "71%"), more.replace("70%", "72%")]
    spliced = []
    for text in edits:
        write(docs / "d05.txt", text)
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="urbanpolicy.cache"):
            changed = up.load_corpus(docs, cache=cache)
        spliced.append(any(r.getMessage().startswith("splicing d05") for r in caplog.records))
        assert_same(changed, up.load_corpus(docs))
        assert_same(changed, up.load_corpus(docs, cache=cache))  # and warm
    assert changed.targets.loc[changed.targets["doc_id"] == "d05", "value"].tolist() == [65.0, 72.0]
    # spliced unless d05 repeats a text, or did in the run's last tables (then the whole run is typed)
    assert spliced == [True, True, True, False, False, False, True]


def test_a_file_no_longer_repeating_another_brings_the_repeat_back(tmp_path, monkeypatch):
    monkeypatch.setattr("urbanpolicy.corpus.ASSEMBLY_CHUNK", 4)
    docs = tmp_path / "docs"
    for i in range(8):
        write(docs / f"d{i:02d}.txt", TASK_DOC.replace("65%", f"{50 + i}%"))
    write(docs / "d05.txt", TASK_DOC.replace("65%", "54%"))  # the same text as d04: left out
    cache = tmp_path / "cache"
    assert "d05" not in set(up.load_corpus(docs, cache=cache).documents["doc_id"])
    write(docs / "d04.txt", TASK_DOC.replace("65%", "44%"))  # now d05 is the only one with its text
    changed = up.load_corpus(docs, cache=cache)
    assert_same(changed, up.load_corpus(docs))
    assert changed.targets.loc[changed.targets["doc_id"] == "d05", "value"].tolist() == [54.0]


def test_a_cached_run_is_not_reused_when_an_earlier_file_now_has_the_same_text(tmp_path, monkeypatch):
    monkeypatch.setattr("urbanpolicy.corpus.ASSEMBLY_CHUNK", 4)
    docs = tmp_path / "docs"
    for i in range(12):
        write(docs / f"d{i:02d}.txt", TASK_DOC.replace("65%", f"{50 + i}%"))
    cache = tmp_path / "cache"
    up.load_corpus(docs, cache=cache)
    write(docs / "d01.txt", TASK_DOC.replace("65%", "59%"))  # now the same text as d09, in a later run
    changed = up.load_corpus(docs, cache=cache)
    assert_same(changed, up.load_corpus(docs))
    assert "d09" not in set(changed.documents["doc_id"])
    duplicate = changed.problems[changed.problems["kind"] == "duplicate"]
    assert duplicate[["doc_id", "detail"]].values.tolist() == [["d09", "same clean text as d01"]]


def test_runs_whose_categories_need_wider_codes_join_with_the_others(tmp_path, monkeypatch):
    # A document of 200 numbered items has 200 task labels: its run's label codes need 16 bits
    # where the short documents' runs need 8; the cached runs must still join into one table.
    monkeypatch.setattr("urbanpolicy.corpus.ASSEMBLY_CHUNK", 2)
    docs = tmp_path / "docs"
    long_doc = "一、主要任务\n" + "".join(f"{i}. 推进第{i}项城镇化试点工作。\n" for i in range(1, 201))
    for i in range(6):
        write(docs / f"d{i}.txt", long_doc if i == 2 else TASK_DOC.replace("65%", f"{50 + i}%"))
    cache = tmp_path / "cache"
    up.load_corpus(docs, cache=cache)
    write(docs / "d5.txt", TASK_DOC.replace("65%", "99%"))
    changed = up.load_corpus(docs, cache=cache)
    assert_same(changed, up.load_corpus(docs))
    assert changed.tasks.loc[changed.tasks["doc_id"] == "d2", "label"].nunique() == 200
    assert_same(changed, up.load_corpus(docs, cache=cache))  # and warm


def parsed(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("parsing ")]


def test_options_are_part_of_the_key(tmp_path):
    docs = tmp_path / "docs"
    write(docs / "a.txt", TASK_DOC)
    write(docs / "b.txt", TASK_DOC)
    cache = tmp_path / "cache"
    assert len(up.load_corpus(docs, cache=cache).documents) == 1
    assert len(up.load_corpus(docs, cache=cache, keep_duplicates=True).documents) == 2


def _copy_package(tmp_path: Path) -> Path:
    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT / "src" / "urbanpolicy", pkg / "urbanpolicy",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return pkg


def _load_with(pkg: Path, docs: Path, cache: Path) -> str:
    script = textwrap.dedent(f"""
        import urbanpolicy as up
        assert up.__file__.startswith({str(pkg)!r}), up.__file__
        c = up.load_corpus({str(docs)!r}, cache={str(cache)!r})
        print(len(c.tasks))
    """)
    env = dict(os.environ, PYTHONPATH=str(pkg), URBANPOLICY_SEEDS=str(SEEDS))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_a_change_to_the_package_code_or_data_is_a_miss(tmp_path):
    docs = two_docs(tmp_path)
    cache = tmp_path / "cache"
    pkg = _copy_package(tmp_path)
    _load_with(pkg, docs, cache)
    n = len(entry_files(cache))
    _load_with(pkg, docs, cache)
    assert len(entry_files(cache)) == n  # a hit adds nothing
    code = next(p for p in (pkg / "urbanpolicy").rglob("structure.py"))
    code.write_text(code.read_text(encoding="utf-8") + "\n# a changed parser\n", encoding="utf-8")
    _load_with(pkg, docs, cache)
    after_code = len(entry_files(cache))
    assert after_code > n
    data = next(p for p in (pkg / "urbanpolicy").rglob("agencies.csv"))
    data.write_text(data.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _load_with(pkg, docs, cache)
    assert len(entry_files(cache)) > after_code


def test_make_clean_removes_the_cache(tmp_path):
    cache = tmp_path / "xdg" / "urbanpolicy"
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    env.pop("URBANPOLICY_CACHE", None)
    env.pop("URBANPOLICY_CACHE_DIR", None)
    from urbanpolicy.cache import default_cache_dir

    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    dir_env = os.environ.pop("URBANPOLICY_CACHE_DIR", None)
    try:
        assert default_cache_dir() == cache
        up.load_corpus(two_docs(tmp_path), cache=default_cache_dir())
    finally:
        if old is None:
            os.environ.pop("XDG_CACHE_HOME")
        else:
            os.environ["XDG_CACHE_HOME"] = old
        if dir_env is not None:
            os.environ["URBANPOLICY_CACHE_DIR"] = dir_env
    assert cache.exists()
    done = subprocess.run(["make", "clean"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not cache.exists()


# ---------------------------------------------------------------- the hash index (file status → content hash)
def hashed(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("hashing ")]


def test_unchanged_files_are_not_read_to_hash_them_again(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr("urbanpolicy.cache.RACY_NS", 0)  # these files were just written: trust them at once
    docs = tmp_path / "docs"
    for i in range(4):
        write(docs / f"d{i}.txt", TASK_DOC.replace("65%", f"{50 + i}%"))
    cache = tmp_path / "cache"
    with caplog.at_level(logging.DEBUG, logger="urbanpolicy.cache"):
        up.load_corpus(docs, cache=cache)
        assert len(hashed(caplog)) == 4
        caplog.clear()
        up.load_corpus(docs, cache=cache)
        assert hashed(caplog) == []
        write(docs / "d2.txt", TASK_DOC.replace("65%", "99%"))
        changed = up.load_corpus(docs, cache=cache)
    assert hashed(caplog) == [f"hashing {docs / 'd2.txt'}"]
    assert changed.documents.loc[changed.documents["doc_id"] == "d2", "sha256"].item() == sha256(docs / "d2.txt")
    assert_same(changed, up.load_corpus(docs))


def sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_edit_keeping_size_and_mtime_is_seen(tmp_path, monkeypatch):
    monkeypatch.setattr("urbanpolicy.cache.RACY_NS", 0)  # not by the racy rule: by the ctime, which utime moves
    docs = tmp_path / "docs"
    path = write(docs / "a.txt", TASK_DOC)
    cache = tmp_path / "cache"
    up.load_corpus(docs, cache=cache)
    before = os.stat(path)
    path.write_text(TASK_DOC.replace("65%", "75%"), encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))     # and the same mtime
    assert os.stat(path).st_size == before.st_size and os.stat(path).st_mtime_ns == before.st_mtime_ns
    changed = up.load_corpus(docs, cache=cache)
    assert changed.targets["value"].tolist() == [75.0]
    assert changed.documents["sha256"].item() == sha256(path)


def test_a_racily_clean_entry_is_hashed_again(tmp_path):
    """An edit in the same timestamp tick as the hash leaves size, mtime and ctime as they were;
    the index must not trust an entry whose file changed within RACY_NS before it was hashed."""
    from urbanpolicy.cache import RACY_NS, HashIndex

    path = write(tmp_path / "a.txt", "推进新型城镇化。")
    cache = tmp_path / "cache"
    old = HashIndex(cache, [str(path)])
    old.sha256(str(path))
    path.write_text("推进新型工业化。", encoding="utf-8")  # same size
    status = os.stat(path)
    name = os.path.abspath(path)
    signature = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]
    stale = old.fresh[name][6]
    changed_at = max(status.st_mtime_ns, status.st_ctime_ns)
    # what the index would hold had the edit landed in the tick of the hash: today's status, the old hash
    old.fresh[name] = [*signature, changed_at + 1, stale]
    old.save()
    assert HashIndex(cache, [str(path)]).sha256(str(path)) == sha256(path) != stale
    # the same entry hashed RACY_NS after the file's last change is trusted: the rule is what saw the edit
    old.fresh[name] = [*signature, changed_at + RACY_NS + 1, stale]
    old.save()
    assert HashIndex(cache, [str(path)]).sha256(str(path)) == stale



def test_a_splice_that_empties_a_table_gives_the_empty_table(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr("urbanpolicy.corpus.ASSEMBLY_CHUNK", 4)
    docs = tmp_path / "docs"
    plain = "一、总体要求\n（一）推进农业转移人口市民化。\n（二）完善城镇住房保障体系。"
    for i in range(4):
        write(docs / f"d{i}.txt", TASK_DOC if i == 1 else plain.replace("住房", f"住房{i}"))
    cache = tmp_path / "cache"
    assert up.load_corpus(docs, cache=cache).targets["doc_id"].tolist() == ["d1"]
    write(docs / "d1.txt", plain)  # no target left anywhere
    with caplog.at_level(logging.DEBUG, logger="urbanpolicy.cache"):
        changed = up.load_corpus(docs, cache=cache)
    assert any(r.getMessage().startswith("splicing d1") for r in caplog.records)
    assert changed.targets.empty
    assert_same(changed, up.load_corpus(docs))
    assert_same(changed, up.load_corpus(docs, cache=cache))
