"""The dates, targets, structure and metadata stages' fast paths give exactly what their
reference implementations give.

``date_rows`` (each family regex tried only around its anchors: ``patterns.BoundedPattern``)
is compared, offsets included, with ``date_rows_reference`` (``finditer`` over the whole text),
and ``target_rows`` (masks and context regexes written with a first-character set, line-start
patterns found from line breaks) with ``target_rows_reference`` (the regexes as written), on the
seeds, the realworld excerpts, mutated seeds, hostile repeated forms and random texts built
from the rules' own pieces; ``BoundedPattern`` itself with ``finditer`` on random texts.
``structure._match_label`` (styles tried by the line's first character), ``metadata.page_fields``
(lines without a colon, space or tab not searched) and ``metadata._find_lead`` (searched only when
a verb stands before a 《) are compared with their references on every line of those corpora.
"""

from __future__ import annotations

import re
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urbanpolicy.extract import metadata, structure
from urbanpolicy.extract.dates import date_rows, date_rows_reference
from urbanpolicy.extract.patterns import DIGIT_SUPERSET, BoundedPattern, LineStartPattern
from urbanpolicy.extract.structure import TaskSpans, structure_rows
from urbanpolicy.extract.targets import (
    _DIGIT_LED_INDEX,
    _FAST,
    _HORIZON,
    _PAST_MARK,
    _QUANTITY,
    _RELATIVE,
    _DigitLed,
    _earliest_past_mark,
    _has_horizon,
    _mask_spans,
    _mask_spans_reference,
    _quantities,
    target_rows,
    target_rows_reference,
)

from ..conftest import equivalence_texts

HOSTILE = {
    "digits": "1" * 3_000, "latin": "abcXYZ" * 500, "dotted": "1." * 1_500, "years": "2021年" * 800,
    "months": "12月31日" * 500, "ranges": "2021—2025年至" * 300, "plans": "“十四五”末" * 400,
    "iso": "2022-04-02/" * 400, "spaces": "2021" + " " * 3_000 + "年", "ongoing": "可持续推进" * 500,
    "spaced_numbers": "1 " * 1_500 + "万人", "long_number": "1" * 40 + "万人",
    "numerals": "一" * 3_000 + "、总体（一）", "heading_runs": "。十一二、总体要求（三）推进。" * 200,
    "quantities": "、".join(f"{i}万人" for i in range(1500)) + "。",
    "past_marks": "2020年底完成1万人、" * 800 + "。", "slogans": "“" * 500 + "“一个平台”" * 300,
    "labels": "（一）推进试点。\n" * 300, "titles": "《" + "规划" * 200 + "》" * 3,
    "styles": "第一章 总则\n第一节 目标\n第一条 落户\n一、总体\n（一）目标\n1.推进\n（1）放开\n①试点\n2.5G网络\n"
              "3、2021年\n（2）完成\n第二部分 任务\n（二十）其他\n发布日期：2024-12-06 | 文号：国发〔2024〕1号\n",
}


TEXTS = equivalence_texts(HOSTILE)
ISSUED = [(None, None), (2021, pd.Timestamp(2021, 6, 30)), (2030, None)]


def _spans(name: str, text: str) -> TaskSpans:
    return TaskSpans.from_rows(structure_rows(name, text)[1])


# ---------------------------------------------------------------- dates
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_date_rows_are_the_reference_on_every_corpus(name):
    text, spans = TEXTS[name], _spans(name, TEXTS[name])
    for year, issued in ISSUED:
        assert date_rows(name, text, spans, year, issued) == date_rows_reference(name, text, spans, year, issued)


def test_the_corpora_hold_every_date_family():
    # the equality above would say little if the corpora held no date of some family
    kinds = {r["kind"] for name, text in TEXTS.items() for r in date_rows(name, text, None, 2021, None)}
    assert kinds >= {"deadline", "target_year", "baseline", "period", "relative", "ongoing", "mention"}
    iso = date_rows("d", "发布日期：2022-04-02，第三季度末前", None, 2022, None)
    assert [(r["text"], r["kind"]) for r in iso] == [("2022-04-02", "mention"), ("第三季度末前", "deadline")]


DATE_PIECES = [
    "2021", "2025", "二〇二五", "1999", "12", "6", "30", "年", "月", "日", "号", "底", "末", "初", "前", "以前", "以来",
    "内", "度", "季度", "第三", "一", "十四五", "十五", "十", "五", "“", "”", "—", "-", "/", ".", "至", "到", "截至",
    "请于", "力争", "在", "于", "今", "明", "本", "经过", "个月", "左右", "的", "时间", "努力", "持续", "推进",
    "长期", "坚持", "常态化", "久久为功", "可", "上旬", "下旬", " ", "\u3000", "，", "。", "\n", "（", "）", "代", "期末",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(DATE_PIECES), max_size=40), st.sampled_from(ISSUED))
def test_date_rows_are_the_reference_on_random_date_texts(pieces, issued):
    text = "".join(pieces)
    assert date_rows("r", text, None, *issued) == date_rows_reference("r", text, None, *issued)


# ---------------------------------------------------------------- the anchored scan itself
BOUNDED_CASES = [  # (pattern, the characters every match consumes)
    (r"(?<![\d.])\d{4}(?!\d)[ ]?年(?!代)度?", "年"),
    (r"(?:到|至)?[ ]?\d{1,2}月(?:\d{1,2}日|(?=底|末))", "月"),
    (r"a{1,3}b(?=c{2})|b[a-c]{0,4}$", "b"),
    (r"(?<!x)ab?a?b", "b"),
]


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(BOUNDED_CASES), st.lists(st.sampled_from(
    ["1", "2021", "12", "年", "月", "日", "底", "代", "到", " ", ".", "a", "b", "c", "x", "\n"]), max_size=30))
def test_bounded_pattern_finds_what_finditer_finds(case, pieces):
    pattern, chars = case
    regex = re.compile(pattern)
    text = "".join(pieces)
    anchors = [i for i, c in enumerate(text) if c in chars]
    found = [(m.span(), m.groups()) for m in BoundedPattern.of(regex).finditer(text, anchors)]
    assert found == [(m.span(), m.groups()) for m in regex.finditer(text)]


def test_bounded_pattern_refuses_what_it_cannot_bound():
    for pattern in (r"\d+年", r"年\s*", r"(a)\1", r"年?"):
        with pytest.raises(ValueError):
            BoundedPattern.of(re.compile(pattern))
    # a lookahead and an end-of-text test reach past what the match consumes
    assert BoundedPattern.of(re.compile(r"\d年(?=底|末了)")).reach == 4
    assert BoundedPattern.of(re.compile(r"年$")).reach == 3


# ---------------------------------------------------------------- targets
def _same_scans(text: str) -> None:
    """Each candidate-confirmed scan finds what ``finditer`` over the whole text finds."""
    assert [m.span() for m in _quantities(text)] == [m.span() for m in _QUANTITY.finditer(text)]
    led = _DigitLed(text)
    for regex in _DIGIT_LED_INDEX:
        assert [(m.span(), m.groups()) for m in led.matches(regex)] == [(m.span(), m.groups())
                                                                        for m in regex.finditer(text)]
    assert _mask_spans(text) == _mask_spans_reference(text)
    # the sentence facts' string-search shortcuts, on the whole text and on each of its lines
    for sentence in [text, *text.split("\n")]:
        assert _has_horizon(sentence) == (_HORIZON.search(sentence) is not None)
        past = [int(y.translate(str.maketrans("〇零一二三四五六七八九", "00123456789")))
                for m in _PAST_MARK.finditer(sentence) for y in m.groups() if y]
        assert _earliest_past_mark(sentence) == (min(past) if past else None)
    assert [(m.span(), m.groups()) for m in _FAST.horizons(text, led)] == [(m.span(), m.groups())
                                                                          for m in _HORIZON.finditer(text)]
    assert [(m.span(), m.groups()) for m in _FAST.relatives(text, led)] == [(m.span(), m.groups())
                                                                           for m in _RELATIVE.finditer(text)]


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_target_rows_are_the_reference_on_every_corpus(name):
    text, spans = TEXTS[name], _spans(name, TEXTS[name])
    _same_scans(text)
    for year, issued in ISSUED[:2]:
        dates = date_rows(name, text, spans, year, issued)
        assert target_rows(name, text, spans, year, dates) == target_rows_reference(name, text, spans, year, dates)


EDGES = ["", "\n", "年", "一", "1", "约", "𫌪2021年", "١٢٣٤年达到٥٠%", "𝟚𝟘𝟚𝟙年5万人", "５万人", "1" * 33 + "万人",
         "1" * 32 + "万人", "\n1.推进", "到\u30002025年", "2021年\n", "截至2025年", "力争到 2025年", "争取在\t二〇二五年", "预计到到2025年", "至　 2021年",
         "到 " * 300 + "2025年",
         # starts the quantity finder drops (a number right after a digit, '.', ',' or a letter, a
         # numeral right after a numeral) next to ones it keeps
         "a12万人", "A1.5万套", "1,500万元", "3.5%", "x一百二十万套", "一百二十万套", "十半年", "约2万人", "1 2万人",
         "第三个", "第一二个", "٣4万人", "𝟚3万人",
         # masks starting inside one another: a ‘…’ inside a “…” (skipped by the slogans' finditer), a
         # 十四五 and a 第3 inside a title, a title inside a slogan
         "“a‘bc”5万’人", "《第3个十四五》5万人", "“规划《ab”5万》人"]


@pytest.mark.parametrize("text", EDGES)
def test_every_stage_is_the_reference_on_edge_texts(text):
    # empty texts, a lone anchor, digits of other scripts (Arabic-Indic, astral), a number
    # run just over and just under the quantity finder's reach
    _same_scans(text)
    dates = date_rows("e", text, None, 2021, None)
    assert dates == date_rows_reference("e", text, None, 2021, None)
    assert target_rows("e", text, None, 2021, dates) == target_rows_reference("e", text, None, 2021, dates)


def test_the_corpora_hold_every_target_kind_and_mask():
    kinds = {r["kind"] for name, text in TEXTS.items() for r in target_rows(name, text, None, 2021, [])[0]}
    assert kinds == {"target", "baseline", "threshold", "limit"}
    # each mask form, read off the text: the spans it covers hold no quantity
    text = "《2025年规划》5G网络PM2.5达到35微克，a@b.cn，13912345678，2021—2025年，7月21日，12:30，第3轮\n1.推进"
    starts, ends = _mask_spans(text)
    covered = "".join(text[s:e] for s, e in zip(starts, ends, strict=True))
    for form in ("《2025年规划》", "5G", "PM2.5", "a@b.cn", "13912345678", "2021—2025年", "7月21日", "12:30", "第3",
                 "1."):
        assert form in covered


TARGET_PIECES = [
    "2025", "2021", "二〇二五", "年", "到", "至", "力争", "截至", "达到", "提高到", "不低于", "控制在", "新增", "完成", "37",
    "4.35", "1,000", "一百二十", "两", "三", "十", "半", "万", "亿", "千", "%", "个", "套", "亩", "公里", "人", "人口",
    "以上", "以下", "以内", "左右", "约", "接近", "-", "—", "至", "和", "、", "，", "。", "：", "\n", "《", "》", "“", "”", "‘", "’", "「", "」",
    "5G", "PM2.5", "a", "@", "b.cn", "http://x", "1234567", "（", "）", "第", "1.", "十四五", "城镇化率", "发展基础",
    "一、", "（一）", "经过", "的努力", "分别", "比", "底", "末", "截止", "力争在", "在", "争取到", "不得", "岁", " ", "\t", "\u3000", "月", "日", ":", "30",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TARGET_PIECES), max_size=40), st.sampled_from([None, 2021, 2030]))
def test_target_rows_are_the_reference_on_random_target_texts(pieces, year):
    text = "".join(pieces)
    _same_scans(text)
    dates = date_rows("r", text, None, year, None)
    assert target_rows("r", text, None, year, dates) == target_rows_reference("r", text, None, year, dates)


# ---------------------------------------------------------------- the faster forms' pieces
def test_digit_superset_holds_every_digit_and_no_other_bmp_character():
    digit_class = re.compile(f"[{DIGIT_SUPERSET}]")
    digits = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isdecimal()]
    assert all(digit_class.match(d) for d in digits) and len(digits) > 600
    assert not [chr(c) for c in range(0x10000) if digit_class.match(chr(c)) and not chr(c).isdecimal()]


LINE_PATTERNS = [r"^[ \t]*\d{1,2}[.．、](?!\d)", r"^[^\n]*：[ \t]*$", r"^[ \t]*(?:[一二]、|（[一二]）)(.{0,3})"]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(LINE_PATTERNS), st.lists(st.sampled_from(
    ["\n", " ", "\t", "1", "12", ".", "、", "：", "一、", "（一）", "二", "文", "\n\n"]), max_size=30))
def test_line_start_pattern_finds_what_finditer_finds(pattern, pieces):
    regex = re.compile(pattern, re.M)
    text = "".join(pieces)
    found = [(start, m.end(), m.groups()) for start, m in LineStartPattern(regex).finditer(text)]
    assert found == [(m.start(), m.end(), m.groups()) for m in regex.finditer(text)]


# ---------------------------------------------------------------- structure and metadata
def _lines(name: str) -> list[str]:
    return TEXTS[name].split("\n")


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_labels_and_page_fields_are_the_reference_on_every_corpus(name):
    lines = _lines(name)
    for line in lines:
        assert structure._match_label(line, 0, len(line)) == structure._match_label_reference(line, 0, len(line))
        assert metadata.page_fields([line]) == metadata.page_fields_reference([line])
    assert metadata.page_fields(lines[:80]) == metadata.page_fields_reference(lines[:80])
    for line in lines:
        assert ([m.span() for m in structure._HEADING_THEN_ITEM.finditer(line)]
                == [m.span() for m in structure._HEADING_THEN_ITEM_REFERENCE.finditer(line)])
    head = TEXTS[name][:3000]
    found, reference = metadata._find_lead(head), metadata._LEAD_ISSUE.search(head)
    assert (found and found.span()) == (reference and reference.span())


LINE_PIECES = ["第", "一", "十", "二", "〇", "两", "章", "节", "条", "部分", "、", ".", "．", "（", "）", "(", ")", "1", "12",
               "١", "٣", "①", "⑳", " ", "年", "G", "标题", "发布日期", "：", ":", "\t", "|", "发文字号", "2024-12-06",
               "印发", "了", "《", "》", "近日", "，", "。", "方案", "通知", "题"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(LINE_PIECES), max_size=16))
def test_labels_leads_and_page_fields_are_the_reference_on_random_lines(pieces):
    line = "".join(pieces)
    assert structure._match_label(line, 0, len(line)) == structure._match_label_reference(line, 0, len(line))
    assert metadata.page_fields([line]) == metadata.page_fields_reference([line])
    found, reference = metadata._find_lead(line), metadata._LEAD_ISSUE.search(line)
    assert (found and found.span()) == (reference and reference.span())
    assert ([m.span() for m in structure._HEADING_THEN_ITEM.finditer(line)]
            == [m.span() for m in structure._HEADING_THEN_ITEM_REFERENCE.finditer(line)])


def test_the_corpora_hold_labels_of_every_style_and_page_fields():
    styles = {structure._match_label(line, 0, len(line)).style for name in TEXTS for line in _lines(name)
              if structure._match_label(line, 0, len(line))}
    assert styles >= {"第章", "第节", "第条", "一、", "（一）", "1.", "（1）", "①"}
    assert structure._match_label("١٢.推进", 0, 6).number == "١٢"  # any decimal digit numbers an item
    assert any(metadata.page_fields(_lines(name)[:60]) for name in TEXTS)
