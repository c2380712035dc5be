"""Decoding: every encoding the genre comes in gives the same text."""

from __future__ import annotations

import codecs

import opencc
import pytest

from urbanpolicy.ingest.reading import decode_bytes

from ..conftest import HUBEI, HUNAN, seed_text

TRADITIONAL = "湖南省推進新型城鎮化工作領導小組辦公室關於征求意見的函\n各成員單位：請於2021年7月21日前將書面意見反饋至我辦。\n"


@pytest.mark.parametrize("doc_id", [HUBEI, HUNAN])
@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_seed_reencoded_decodes_to_the_same_text(doc_id, encoding):
    text = seed_text(doc_id)
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text == text
    assert decoded.problem is None


def test_big5_traditional_text_decodes():
    decoded = decode_bytes(TRADITIONAL.encode("big5"))
    assert decoded.text == TRADITIONAL
    assert decoded.encoding.replace("_", "").lower() in ("big5", "cp950")


def test_gbk_simplified_text_is_not_mistaken_for_big5():
    text = opencc.OpenCC("t2s").convert(TRADITIONAL) * 3
    assert decode_bytes(text.encode("gbk")).text == text


def test_crlf_and_cr_become_lf():
    assert decode_bytes("一、总体要求\r\n（一）目标\r二".encode()).text == "一、总体要求\n（一）目标\n二"


def test_bom_is_not_kept():
    assert decode_bytes(codecs.BOM_UTF8 + "城镇化".encode()).text == "城镇化"


@pytest.mark.parametrize("data,kind", [(b"", "empty"), (b"  \n\t", "empty"),
                                       (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary")])
def test_empty_and_binary_files_are_reported(data, kind):
    decoded = decode_bytes(data)
    assert decoded.problem == kind
    assert decoded.text == ""


@pytest.mark.parametrize("word", ["城镇化", "县城", "户籍制度改革", "保障性租赁住房", "常住人口城镇化率达到65%"])
def test_short_gb18030_is_not_read_as_big5(word):
    decoded = decode_bytes(word.encode("gb18030"))
    assert (decoded.text, decoded.encoding) == (word, "gb18030")


@pytest.mark.parametrize("word", ["城鎮化", "縣城", "戶籍制度改革", "保障性租賃住房", "國務院辦公廳"])
def test_short_big5_is_not_read_as_gb18030(word):
    decoded = decode_bytes(word.encode("big5"))
    assert (decoded.text, decoded.encoding) == (word, "big5")
