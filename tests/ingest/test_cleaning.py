"""Cleaning rules, each with a real snippet from the seeds and with generated variants."""

from __future__ import annotations

import opencc
import pytest

from urbanpolicy import load_corpus
from urbanpolicy.ingest.cleaning import (
    clean_text,
    find_mojibake,
    html_to_text,
    normalise_punctuation,
    remove_boilerplate,
    remove_pinyin,
    split_front_matter,
)

from ..conftest import HUBEI, NATIONAL_PLAN, QINGYANG, SEEDS, seed_text

ALL_SEEDS = sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_front_matter_fields_are_kept_as_metadata():
    fields, rest, problem = split_front_matter(seed_text(HUBEI))
    assert fields["title"] == "湖北：进一步降低武汉落户门槛，取消全省其他地区限制"
    assert fields["author"] == "观察者网"
    assert "Jun 2021" in str(fields["date"])
    assert problem is None
    assert not rest.lstrip().startswith("---")


def test_broken_front_matter_is_reported_not_fatal():
    result = clean_text("---\ntitle: [unclosed\n---\n一、总体要求")
    assert result.text == "一、总体要求"
    assert result.problems and result.problems[0][0] == "front_matter"


def test_html_block_tags_become_lines_and_script_is_dropped():
    snippet = "<div><p>\n<strong>一、促进农业转移人口全面融入城市</strong> \n</p><script>var a='<p>x</p>';</script><style>p{}</style><p>A&amp;B&nbsp;C</p></div>"
    lines = [line.strip() for line in html_to_text(snippet).split("\n") if line.strip()]
    assert lines == ["一、促进农业转移人口全面融入城市", "A&B\xa0C"]


def test_pinyin_annotations_removed_real_parentheses_kept():
    # real snippet from the Hunan letter, plus parentheses that must stay
    text, n = remove_pinyin("推進新型城鎮(zhèn)化工作領導小組辦公室,發(fā)展(5G)(PM2.5)(TOD)(REITs)(含技工院校)")
    assert text == "推進新型城鎮化工作領導小組辦公室,發展(5G)(PM2.5)(TOD)(REITs)(含技工院校)"
    assert n == 2


def test_punctuation_is_full_width_but_numbers_times_and_urls_stay():
    assert normalise_punctuation("(一)落户限制,确保:比例;1,000人 19:47 http://x.cn") == \
        "（一）落户限制，确保：比例；1,000人 19:47 http://x.cn"
    assert normalise_punctuation("城镇化率达到６５．５%") == "城镇化率达到65.5%"


def test_boilerplate_lines_removed_from_a_real_page_footer():
    footer = ("庆阳市人民政府办公室\n2022年3月30日\nPDF版本下载：庆政办发〔2022〕44号\nword版本下载：庆政办发〔2022〕44号\n"
              "【打印正文】\n分享到：\n【字体：\n浏览次数：\n评论前必须登录！\n注册\n首页 > 政务公开 > 政策文件")
    kept, removed = remove_boilerplate(footer)
    assert kept.split("\n") == ["庆阳市人民政府办公室", "2022年3月30日"]
    assert len(removed) == 9


def test_boilerplate_keeps_body_lines_that_mention_sharing():
    body = "（四）推进公共服务共建共享。推动优质资源分享到县域，浏览器之外的政务服务。"
    assert remove_boilerplate(body)[0] == body


def test_mojibake_is_reported_with_its_span():
    corpus = load_corpus(SEEDS / "001_217c44fc42c73619.txt")
    moji = corpus.problems[corpus.problems["kind"] == "mojibake"]
    text = corpus.documents["text"].iloc[0]
    assert len(moji) >= 2
    for row in moji.itertuples():
        assert text[row.start:row.end] == row.detail
        assert "?" in row.detail
    assert find_mojibake("正常的中文句子，没有乱码（PM2.5）。") == []
    assert find_mojibake("锟斤拷锟斤拷") == [(0, 6)]


def test_removed_characters_are_counted_per_step(corpus):
    cleaning = corpus.cleaning.set_index(["doc_id", "step"])["chars_removed"]
    assert cleaning[(HUBEI, "front_matter")] > 200
    assert cleaning[(HUBEI, "html")] > 300
    assert cleaning[("001_217c44fc42c73619", "pinyin")] > 1000
    assert cleaning[(QINGYANG, "boilerplate")] > 50
    assert set(corpus.cleaning["step"]) >= {"front_matter", "html", "pinyin", "boilerplate", "whitespace"}


def _original(corpus, doc_id):
    return corpus.documents.set_index("doc_id").at[doc_id, "text"]


@pytest.mark.parametrize("doc_id", ALL_SEEDS)
def test_variants_clean_to_the_same_text(corpus, tmp_path, doc_id):
    raw = seed_text(doc_id)
    original = _original(corpus, doc_id)
    traditional = opencc.OpenCC("s2t").convert(raw)
    # front matter stays on top as a site generator writes it; the body gets wrapped
    cut = raw.index("\n---\n", raw.index("---") + 3) + 5 if raw.lstrip().startswith("---") else 0
    head, rest = raw[:cut], raw[cut:]
    body = "".join(f"<p>{line}</p>\n" for line in rest.split("\n"))
    variants = {
        "trad.txt": traditional.encode("utf-8"),
        "gb.txt": raw.encode("gb18030"),
        "u16.txt": raw.encode("utf-16"),
        "crlf.txt": raw.replace("\n", "\r\n").encode("utf-8-sig"),
        "wrapped.html": f"{head}<html><head><script>alert('x')</script></head><body>{body}</body></html>".encode(),
    }
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
    loaded = load_corpus(tmp_path, keep_duplicates=True).documents.set_index("source_file")
    for name in variants:
        assert loaded.at[name, "text"] == original, name
    assert loaded.at["trad.txt", "script"] == "traditional"
    assert "alert" not in loaded.at["wrapped.html", "text"]


def test_traditional_seed_is_detected_and_converted(docs):
    assert docs.at["001_217c44fc42c73619", "script"] == "traditional"
    assert docs.at["003_2fc009443ab8d0a2", "script"] == "traditional"
    assert docs.at[HUBEI, "script"] == "simplified"
    assert "国务院关于印发" in docs.at["003_2fc009443ab8d0a2", "text"]
    assert "(zhèn)" not in docs.at["001_217c44fc42c73619", "text"]


def test_clean_text_has_no_markup_or_front_matter(docs):
    for doc_id in (HUBEI, NATIONAL_PLAN):
        text = docs.at[doc_id, "text"]
        assert "<p>" not in text and "<strong>" not in text and "headimg" not in text
        assert text.startswith(("6月11日", "7月12日"))
