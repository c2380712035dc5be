"""Encodings a scraper leaves behind: decoded, or reported as undecodable, never taken for binary.

Japanese and Korean bytes are reported, not passed off as Chinese.
"""

from __future__ import annotations

import codecs

import pytest

import urbanpolicy as up

from ..conftest import SEEDS, seed_text
from ..hostile_inputs import write

# No ASCII at all: in UTF-16 such text has no NUL byte, so NUL-counting cannot find it.
CHINESE = "一、总体要求\n（一）推进以人为核心的新型城镇化，提高农业转移人口市民化质量。\n（二）完善城镇住房保障体系。"


def load_bytes(tmp_path, data: bytes, name: str = "a.txt") -> up.Corpus:
    write(tmp_path / name, data)
    return up.load_corpus(tmp_path)


def kinds(corpus: up.Corpus) -> set[str]:
    return set(corpus.problems["kind"])


@pytest.mark.parametrize("encoding", ["utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be", "utf_32"])
def test_unicode_encodings_without_and_with_bom(tmp_path, encoding):
    corpus = load_bytes(tmp_path, CHINESE.encode(encoding))
    assert list(corpus.documents["text"]) == [CHINESE], corpus.problems
    assert not {"binary", "undecodable"} & kinds(corpus)


@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF32_LE, "utf_32_le"), (codecs.BOM_UTF32_BE, "utf_32_be"),
                                           (codecs.BOM_UTF16_LE, "utf_16_le"), (codecs.BOM_UTF16_BE, "utf_16_be")])
def test_byte_order_marks(tmp_path, bom, encoding):
    corpus = load_bytes(tmp_path, bom + CHINESE.encode(encoding))
    assert list(corpus.documents["text"]) == [CHINESE], corpus.problems


def test_utf16_with_a_stray_byte_keeps_its_text_and_is_reported(tmp_path):
    data = CHINESE.encode("utf_16_le")
    cut = data.index("（二）".encode("utf_16_le"))
    corpus = load_bytes(tmp_path, data[:cut] + b"\x0a" + data[cut:])
    assert len(corpus.documents) == 1, corpus.problems
    text = corpus.documents["text"].iloc[0]
    assert text.startswith("一、总体要求\n（一）推进以人为核心的新型城镇化")
    assert "undecodable" in kinds(corpus) and "binary" not in kinds(corpus)


def test_gbk_with_a_few_control_bytes_is_text(tmp_path):
    data = CHINESE.encode("gbk")
    data = data[:10] + b"\x01" + data[10:40] + b"\x00\x07" + data[40:]
    corpus = load_bytes(tmp_path, data)
    assert len(corpus.documents) == 1, corpus.problems
    text = corpus.documents["text"].iloc[0]
    assert "提高农业转移人口市民化质量" in text and "完善城镇住房保障体系" in text
    assert not any(ch in text for ch in "\x00\x01\x07")
    assert "binary" not in kinds(corpus)
    assert "control_characters" in kinds(corpus)


def test_real_binary_is_still_binary(tmp_path):
    corpus = load_bytes(tmp_path, bytes(range(256)) * 20)
    assert corpus.documents.empty and kinds(corpus) == {"binary"}


@pytest.mark.parametrize("text, encoding, language", [
    ("日本の都市計画では、市町村が住民の意見を聞いて、土地利用の方針を定めることになっています。", "shift_jis", "Japanese"),
    ("日本の都市計画では、市町村が住民の意見を聞いて、土地利用の方針を定めることになっています。", "euc_jp", "Japanese"),
    ("도시계획은 주민의 의견을 들어 토지이용 방침을 정하도록 되어 있습니다. 새로운 도시화 정책을 추진합니다.", "euc_kr", "Korean"),
])
def test_japanese_and_korean_bytes_are_reported_not_read_as_chinese(tmp_path, text, encoding, language):
    corpus = load_bytes(tmp_path, (text + "\n").encode(encoding) * 3)
    assert corpus.documents.empty, corpus.documents["text"].iloc[0][:80]
    rows = corpus.problems[corpus.problems["kind"] == "undecodable"]
    assert len(rows) == 1 and language in rows["detail"].iloc[0]


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "big5"])
def test_chinese_legacy_encodings_still_decode(tmp_path, encoding):
    source = seed_text("001_217c44fc42c73619") if encoding == "big5" else CHINESE
    raw = source.encode(encoding, errors="ignore")
    corpus = load_bytes(tmp_path, raw)
    assert len(corpus.documents) == 1, corpus.problems
    assert "undecodable" not in kinds(corpus)


@pytest.mark.parametrize("line", ["关于推进新型城镇化的通知", "各县区人民政府：", "城镇化率达到65%。"])
def test_short_gbk_lines_are_not_taken_for_japanese_or_korean(tmp_path, line):
    corpus = load_bytes(tmp_path, line.encode("gbk"))
    assert list(corpus.documents["text"]) == [line], corpus.problems


def test_every_seed_in_gb18030_loads_as_in_utf8(tmp_path, corpus):
    for seed in sorted(SEEDS.glob("*.txt")):
        write(tmp_path / seed.name, seed.read_text(encoding="utf-8").encode("gb18030"))
    loaded = up.load_corpus(tmp_path)
    assert list(loaded.documents["text"]) == list(corpus.documents["text"])
