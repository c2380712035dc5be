"""HTML is read by the HTML5 parsing rules, and whatever a browser would not show is reported.

Also: entities in plain text files, and boilerplate removal that never takes a numbered task.
"""

from __future__ import annotations

import re

import pytest

import urbanpolicy as up

from ..hostile_inputs import write


def load_one(tmp_path, name: str, content: str) -> up.Corpus:
    write(tmp_path / name, content)
    return up.load_corpus(tmp_path)


def text_of(corpus: up.Corpus) -> str:
    assert len(corpus.documents) == 1, corpus.problems
    return corpus.documents["text"].iloc[0]


def dropped(corpus: up.Corpus) -> list[str]:
    return list(corpus.problems.loc[corpus.problems["kind"] == "html_dropped", "detail"])


def test_an_unclosed_head_does_not_hide_the_body(tmp_path):
    page = ("<html><head><meta charset=utf-8><title>关于印发工作要点的通知</title>"
            "<body><p>一、总体要求</p><p>（一）推进农业转移人口市民化。</p></body></html>")
    corpus = load_one(tmp_path, "a.html", page)
    assert text_of(corpus).endswith("一、总体要求\n（一）推进农业转移人口市民化。")
    assert list(corpus.tasks["label"]) == ["（一）"]


def test_a_noscript_wrapper_is_shown_as_a_browser_without_scripts_shows_it(tmp_path):
    page = "<html><body><noscript><div><p>一、总体要求</p><p>（一）推进城市更新。</p></div></noscript></body></html>"
    assert text_of(load_one(tmp_path, "a.html", page)) == "一、总体要求\n（一）推进城市更新。"


@pytest.mark.parametrize("opener, name", [("<style>", "style"), ("<script>", "script"), ("<template>", "template"),
                                           ("<!--", "comment")])
def test_an_unclosed_raw_element_mid_page_is_reported_with_what_it_swallowed(tmp_path, opener, name):
    page = f"<p>一、总体要求</p><p>（一）推进城市更新。</p>{opener}<p>（二）完善住房保障体系。</p>"
    corpus = load_one(tmp_path, "a.html", page)
    assert text_of(corpus) == "一、总体要求\n（一）推进城市更新。"
    details = dropped(corpus)
    assert len(details) == 1, corpus.problems
    # "（二）完善住房保障体系。" holds 9 Chinese characters; the row says so and names the element
    assert name in details[0]
    assert re.search(r"\b9 Chinese characters\b", details[0]), details[0]


def test_ordinary_scripts_and_styles_without_chinese_are_not_reported(tmp_path):
    page = ("<html><head><style>p{margin:0}</style><script>var a = 1 < 2;</script></head>"
            "<body><p>一、总体要求</p><!-- nav --></body></html>")
    corpus = load_one(tmp_path, "a.html", page)
    assert text_of(corpus) == "一、总体要求"
    assert dropped(corpus) == []


def test_a_lone_less_than_sign_stays_text(tmp_path):
    page = "<p>一、总体要求</p><p>（一）PM2.5<35微克/立方米，a < b。</p>"
    assert text_of(load_one(tmp_path, "a.html", page)).endswith("（一）PM2.5<35微克/立方米，a < b。")


def test_b_used_as_text_is_parsed_as_a_browser_would_and_the_loss_reported(tmp_path):
    page = "<p>一、总体要求</p><p>（一）当人口a<b时，按标准执行。</p><p>（二）其他任务。</p>"
    corpus = load_one(tmp_path, "a.html", page)
    text = text_of(corpus)
    assert "（二）其他任务。" in text and "按标准执行" not in text
    details = dropped(corpus)
    assert len(details) == 1 and re.search(r"\b6 Chinese characters\b", details[0]), details


def test_a_tag_cut_off_at_the_end_of_the_file(tmp_path):
    page = "<p>一、总体要求</p><p>（一）推进城镇化a<b"
    assert text_of(load_one(tmp_path, "a.html", page)) == "一、总体要求\n（一）推进城镇化a"


def test_entities_in_a_plain_text_file_are_decoded(tmp_path):
    text = "一、总体要求\n（一）实施&ldquo;城市更新&rdquo;行动&nbsp;，推进R&D投入&amp;产出。"
    got = text_of(load_one(tmp_path, "a.txt", text))
    assert got == "一、总体要求\n（一）实施“城市更新”行动 ，推进R&D投入&产出。"


@pytest.mark.parametrize("line", [
    "（三）完善政府网站浏览次数统计和网站地图。",
    "3.规范文件下载和打印服务。",
    "（五）公开联系我们渠道，注明信息来源：各部门。",
    "第四条 来源：省统计局年度数据。",
])
def test_a_numbered_task_is_never_removed_as_boilerplate(tmp_path, line):
    doc = f"一、总体要求\n（一）推进城市更新。\n{line}\n（九）完善住房保障。"
    corpus = load_one(tmp_path, "a.txt", doc)
    assert line in text_of(corpus)
    removed = corpus.problems.loc[corpus.problems["kind"] == "boilerplate_removed", "detail"]
    assert line not in set(removed)


def test_a_sentence_inside_the_body_is_never_removed_as_boilerplate(tmp_path):
    inside = "各地要在政府网站公开联系我们电话，并提供政策文件下载。"
    doc = f"分享到：微信\n一、总体要求\n（一）推进城市更新。\n{inside}\n（二）完善住房保障。\n【打印正文】"
    text = text_of(load_one(tmp_path, "a.txt", doc))
    assert inside in text
    assert "分享到" not in text and "打印正文" not in text
