"""Property-based tests of the loader under attack: HTML, front matter, encodings, folder layouts.

Whatever hypothesis builds, every entry becomes a document or a ``problems`` row, no file
raises (no ``error`` row), and offsets stay inside the clean text.  Sized to run in well
under a minute together.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import urbanpolicy as up

from .hostile_inputs import OLE2, TASK_DOC, write

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
WORDS = ["一、总体要求", "（一）推进城镇化。", "（二）到2025年达到65%。", "省发展改革委负责", "&nbsp;", "&ldquo;",
         "<", ">", "&", "a<b", "<5%", "\n", " ", "浏览次数", "来源：", "---", "title: x"]
TAGS = ["p", "div", "br", "head", "body", "html", "script", "style", "template", "noscript", "title", "b", "a",
        "table", "td", "span", "!--", "meta charset=gbk", "h1"]


def _check(corpus: up.Corpus) -> None:
    assert not (corpus.problems["kind"] == "error").any(), corpus.problems[corpus.problems["kind"] == "error"]
    texts = corpus.documents.set_index("doc_id")["text"]
    for row in corpus.tasks.itertuples():
        assert row.text == texts[row.doc_id][row.start:row.end]
    for name in ("dates", "targets", "assignments"):
        for row in getattr(corpus, name).itertuples():
            if row.start >= 0:
                assert 0 <= row.start <= row.end <= len(texts[row.doc_id]), name


html_piece = st.one_of(
    st.sampled_from(WORDS),
    st.builds(lambda t: f"<{t}>", st.sampled_from(TAGS)),
    st.builds(lambda t: f"</{t.split()[0]}>", st.sampled_from(TAGS)),
    st.text(max_size=8),
)


@FUZZ
@given(pieces=st.lists(html_piece, max_size=60))
def test_any_tag_soup_loads(tmp_path_factory, pieces):
    folder = tmp_path_factory.mktemp("html")
    write(folder / "page.shtml", "".join(pieces))
    write(folder / "zz.txt", TASK_DOC)
    corpus = up.load_corpus(folder)
    assert {"page.shtml", "zz.txt"} <= set(corpus.documents["source_file"]) | set(corpus.problems["source_file"])
    _check(corpus)


yaml_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10), st.sampled_from(["9999-12-31", "0001-01-01",
              "2021-06-01", "Sat, 12 Jun 2021 19:47:29 GMT", "*a", "&a x", "!!python/object:os.system", "{", "["])),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)


def _yaml(value: object, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        return "".join(f"{pad}{k or 'k'}:\n{_yaml(v, indent + 2)}" for k, v in value.items()) or f"{pad}{{}}\n"
    if isinstance(value, list):
        return "".join(f"{pad}-\n{_yaml(v, indent + 2)}" for v in value) or f"{pad}[]\n"
    return f"{pad}{value}\n"


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["title", "date", "author", "tags", "其他", "x"]), yaml_value, max_size=5))
def test_any_front_matter_loads(tmp_path_factory, fields):
    folder = tmp_path_factory.mktemp("yaml")
    block = "".join(f"{k}:\n{_yaml(v, 2)}" for k, v in fields.items())
    write(folder / "a.txt", f"---\n{block}---\n{TASK_DOC}")
    corpus = up.load_corpus(folder)
    _check(corpus)
    assert list(corpus.documents["doc_id"]) == ["a"], corpus.problems
    assert corpus.documents["text"].iloc[0].endswith(TASK_DOC)


ENCODINGS = ["utf_8", "utf_8_sig", "gb18030", "gbk", "big5", "utf_16", "utf_16_le", "utf_16_be", "utf_32",
             "utf_32_le", "utf_32_be", "shift_jis", "euc_kr"]


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list("一二三、（）。，城镇化推进省厅负责2025年%\n 的了")) | st.characters(),
                    min_size=1, max_size=400),
       encoding=st.sampled_from(ENCODINGS), cut=st.integers(0, 3), junk=st.binary(max_size=3))
def test_any_text_in_any_encoding_is_a_document_or_a_problem(tmp_path_factory, text, encoding, cut, junk):
    folder = tmp_path_factory.mktemp("enc")
    data = text.encode(encoding, errors="replace")
    data = data[: len(data) - cut] + junk if cut else data
    write(folder / "a.txt", data)
    corpus = up.load_corpus(folder)
    _check(corpus)
    assert "a.txt" in set(corpus.documents["source_file"]) | set(corpus.problems["source_file"])


ENTRY_KINDS = ["txt", "html", "doc", "empty", "binary", "hidden", "folder", "broken_link", "fifo", "gbk_name"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=st.lists(st.tuples(st.lists(st.sampled_from(["a", "b", "湖北", "x.txt"]), max_size=3),
                                 st.sampled_from(ENTRY_KINDS)), min_size=1, max_size=25))
def test_any_folder_layout_accounts_for_every_entry(tmp_path_factory, layout):
    root = tmp_path_factory.mktemp("tree")
    expected: set[str] = set()
    for i, (parts, kind) in enumerate(layout):
        folder = root.joinpath(*parts)
        if folder.exists() and not folder.is_dir():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        rel = "/".join([*parts, f"e{i}"])
        if kind == "txt":
            write(folder / f"e{i}.txt", TASK_DOC.replace("65", str(i)))
            rel += ".txt"
        elif kind == "html":
            write(folder / f"e{i}.jsp", f"<p>（一）网页{i}。</p>")
            rel += ".jsp"
        elif kind == "doc":
            write(folder / f"e{i}.doc", OLE2)
            rel += ".doc"
        elif kind == "empty":
            write(folder / f"e{i}.txt", b"")
            rel += ".txt"
        elif kind == "binary":
            write(folder / f"e{i}.txt", bytes(range(256)))
            rel += ".txt"
        elif kind == "hidden":
            write(folder / f".e{i}", "x")
            rel = "/".join([*parts, f".e{i}"])
        elif kind == "folder":
            (folder / f"e{i}").mkdir()
        elif kind == "broken_link":
            os.symlink(root / "missing", folder / f"e{i}")
        elif kind == "fifo":
            os.mkfifo(folder / f"e{i}")
        elif kind == "gbk_name":
            with open(os.path.join(os.fsencode(folder), f"文{i}".encode("gbk") + b".txt"), "wb") as f:
                f.write(f"（一）文件{i}。".encode())
            rel = "/".join([*parts, f"文{i}.txt"])
        expected.add(rel)
    corpus = up.load_corpus(root)
    _check(corpus)
    seen = set(corpus.documents["source_file"]) | set(corpus.problems["source_file"])
    missing = {e for e in expected if e not in seen and not any(s.startswith(e + "/") for s in seen)}
    assert not missing, (sorted(missing), sorted(seen))
