"""Quantitative targets: every number-with-a-unit in a policy text, as a traceable row.

``target_rows`` reads one clean document (simplified, full-width ，：；（）, half-width
digits) and returns one row per quantity with the columns of ``TARGET_COLUMNS``:

doc_id, task_id
    the document and the leaf-most task whose span contains the quantity (NA if none).
indicator
    what is measured: the noun phrase the number modifies ("完成4.35万套保障性租赁住房
    开工任务" → 保障性租赁住房) or, when the number closes its clause, the phrase before
    the comparator ("常住人口城镇化率达到37%" → 常住人口城镇化率), trimmed of 全市/全省/
    力争/确保/到2025年 and similar.
comparator
    as written: 达到, 提高到, 提升至, 超过, 不低于, 至少, 控制在, 新增, 完成, 建成 … (NA when
    none).  "控制在2950万亩以内" gives comparator 控制在 and qualifier 以内.
value, value_low, unit
    the number as written (a range 1-2个 stores 2 in value and 1 in value_low) and the
    unit as written (%, 个, 万套, 万吨/日, 亿元, 万 …).
value_base, unit_base
    万/亿/千 multiplied out: 4.35万套 → 43500 套; a bare multiplier (300万) → unit_base "".
qualifier
    左右, 以上, 以下, 以内, 及以上, 上下 after the number, or 约/接近 before it.
year
    the year stated in the sentence ("2021年新开工…"), else a "到2025年" earlier in the
    same paragraph, else a relative horizon in the paragraph ("经过5年的努力" +
    ``issued_year``), else a "到2025年，主要目标是：" line that leads in the list the
    quantity is in (up to the next 一、/（一） heading), else the year of an annual plan
    named in the document's opening ("2021年…工作要点"), else NA.  Thresholds and limits only take a year stated in
    their own sentence: they are standing rules, not dated goals.
kind
    ``target``; ``baseline`` (a past fact: inside a 发展基础/主要进展 passage, or a
    "2020年末…达到63.89%" year before ``issued_year``); ``threshold`` (an eligibility
    band with no comparator, "城区常住人口300万以下的城市"; ages and durations always:
    "3岁以下", "居住5年以上");
    ``limit`` (a prohibition: "不得新建500米以上建筑").
sentence, start, end
    the sentence (between 。；！？ or line breaks) and the span of the quantity, so that
    ``text[start:end]`` is the quantity as written ("2950万亩以内", "接近70%").

What is *not* a quantity (masked before matching): years and dates (2021年, 2020年末,
7月21日), document numbers (〔2021〕493号), anything inside a title 《…》, short quoted
slogans ("“4大体系、1个平台”", "“最后一公里”"), numbers touching Latin letters (5G,
PM2.5, O3, I型), phone numbers and e-mail addresses, ordinal labels (1. / 第二轮), 十四五,
single-character Chinese counts (两个积极性, 三个方面, 三条底线: rhetoric, not goals),
and time-distance concepts: "1小时通勤圈", "2小时通达", "60分钟到运输机场" name a
standard of accessibility that is part of an indicator, not an amount to reach.
Durations (N年) are only read as eligibility thresholds ("居住5年以上").

The extractor is linear in the text: a handful of compiled regexes run with ``finditer``,
offsets are found with ``bisect``; there are no per-character loops and no segmentation.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import cn2an
import numpy as np
import pandas as pd

from urbanpolicy import schema
from urbanpolicy.extract.patterns import (
    CHAPTER_LABEL,
    CN_YEAR_DIGITS,
    CN_YEAR_TO_ASCII,
    DIGIT_SUPERSET,
    DOC_NUMBER_CLOSE,
    DOC_NUMBER_OPEN,
    DOC_NUMBER_SERIAL,
    DOC_NUMBER_YEAR,
    FIVE_YEAR_PLAN,
    FULLWIDTH_NUMBER,
    SECTION_LABEL,
    FirstCharScan,
    LineStartPattern,
    confirmed,
    year_in_window,
)
from urbanpolicy.extract.structure import TaskSpans
from urbanpolicy.rules.words import alternation

TARGET_COLUMNS = schema.columns("targets")

# ---------------------------------------------------------------- numbers
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"


@lru_cache(maxsize=4096)  # a pure function of the numbers as written; a corpus repeats them
def parse_number(s: str) -> float:
    """Return the value of an Arabic or Chinese numeral.

    >>> [parse_number(x) for x in ["4.35", "一百二十", "两千", "1,000", "３７", "半"]]
    [4.35, 120.0, 2000.0, 1000.0, 37.0, 0.5]
    """
    t = s.strip().translate(FULLWIDTH_NUMBER).replace(",", "")
    if t == "半":
        return 0.5
    try:
        return float(t)
    except ValueError:
        pass
    try:
        return float(cn2an.cn2an(t, "smart"))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"not a number: {s!r}") from exc


# ---------------------------------------------------------------- the quantity regex
_MULTIPLIERS = {"十万": 1e5, "百万": 1e6, "千万": 1e7, "万亿": 1e12, "万": 1e4, "亿": 1e8, "千": 1e3}
_BASE_UNITS = [
    "立方米/日", "吨/日", "个百分点", "百分点", "%", "％", "‰", "平方公里", "平方米", "立方米",
    "公里", "千米", "米", "公顷", "亩", "吨", "千瓦时", "千瓦", "套", "户", "人次", "人", "元", "美元", "个月", "个", "所",
    "家", "座", "处", "项", "条", "张", "辆", "台", "名", "间", "栋", "倍", "岁", "年", "小时", "分钟",
    "工作日", "天",
]
# Units whose "千" is part of the unit, not a multiplier (千米 is a kilometre).
_KILO_UNITS = ["千米", "千瓦时", "千瓦"]
_COUNTERS = {"个", "项", "条", "所", "家", "座", "处", "名", "张", "间", "栋", "人", "户", "套", "倍"}


def _alt(words: Iterable[str]) -> str:
    """A regex alternation, longest first so that 吨/日 wins over 吨 and 个百分点 over 个."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_DIGITS = r"(?<![\d.,A-Za-z])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
# A Chinese numeral never ends in 万/亿 here, so "一百二十万套" reads 一百二十 + 万套 like 120万套.
_CN_NUM = (rf"(?<![{_CN_DIGITS}第])[一二两三四五六七八九十]"
           rf"(?:[{_CN_DIGITS}]*[零〇一二两三四五六七八九十百千])?")
_NUM = rf"(?:{_DIGITS}|{_CN_NUM}|(?<![{_CN_DIGITS}])半(?=年))"
_MULT = _alt(_MULTIPLIERS)
# "人" is not the unit of "100万人口以上" (人口 is the population, the unit is 万).
_UNIT = rf"(?:{_alt(_KILO_UNITS)}|(?:{_MULT})?(?:{_alt(_BASE_UNITS)})(?<!人(?=[口员才民群均们]))|(?:{_MULT}))"
_SP = r"[ \t\u3000]*"
_QUANTITY = re.compile(
    # The leading lookahead lets the engine skip most positions at the first character.
    rf"""(?=[约大接逾\d一二两三四五六七八九十半])(?P<pre>约|大约|接近|逾)?{_SP}
    (?:(?P<low>{_NUM}){_SP}(?P<lowmult>{_MULT})?{_SP}(?:[-－—–~～]|至){_SP})?
    (?P<num>{_NUM}){_SP}(?P<unit>{_UNIT})
    (?P<post>{_SP}(?:及以上|及以下|左右|以上|以下|以内|上下))?""",
    re.X,
)
# Where a quantity can start, found by one set scan: a character a match starts with (the
# leading lookahead's set; DIGIT_SUPERSET holds every \d) followed by a run of characters a
# match holds before its unit (the rest of 约/大约/接近/逾, spaces, digits and their , and .,
# Chinese numerals and multipliers, 半, range dashes and 至) and a character a unit starts with.
# Every match of _QUANTITY starts at such a place; ``_quantities`` confirms each with it.  The
# run is read at most _RUN_MAX characters from each start (a longer run read from each of its
# characters would make "1 1 1 1 …" quadratic): a text with a longer run is read by
# ``_QUANTITY.finditer`` instead.
_QUANTITY_FIRSTS = "约大接逾一二两三四五六七八九十半"
_UNIT_FIRSTS = "".join(sorted({w[0] for w in [*_BASE_UNITS, *_KILO_UNITS, *_MULTIPLIERS]}))
_BEFORE_UNIT = "".join(sorted(set("约大接近逾 \t\u3000,.半-－—–~～至" + _CN_DIGITS + "一二两三四五六七八九十"
                                  + "".join(_MULTIPLIERS)) - set(_UNIT_FIRSTS)))
_RUN_MAX = 32
# A number never starts right after a digit, '.', ',' or a Latin letter (``_DIGITS``), a Chinese
# numeral or 半 never right after a Chinese numeral (``_CN_NUM``): the lookbehinds drop those
# starts (every later digit of "2021" and of "4.35", every later numeral of "一百二十"), which the
# quantity would only be tried at and fail.
_QUANTITY_START = re.compile(
    rf"[{_QUANTITY_FIRSTS}{DIGIT_SUPERSET}]"
    rf"(?<![{_CN_DIGITS}][一二两三四五六七八九十半])(?<![\d.,A-Za-z][{DIGIT_SUPERSET}])"
    rf"(?=[{re.escape(_BEFORE_UNIT)}{DIGIT_SUPERSET}]{{0,{_RUN_MAX}}}+"
    rf"(?:[{re.escape(_UNIT_FIRSTS)}]|([{re.escape(_BEFORE_UNIT)}{DIGIT_SUPERSET}])))")


def _quantities(text: str) -> Iterator[re.Match[str]]:
    """``_QUANTITY.finditer(text)``, tried only where ``_QUANTITY_START`` says a quantity can start
    (a scan of the whole text by character set, where the lookahead-led pattern is tried at
    every position: 3× faster)."""
    starts = []
    for candidate in _QUANTITY_START.finditer(text):
        if candidate.group(1) is not None:  # a run longer than _RUN_MAX: not decided here
            return _QUANTITY.finditer(text)
        starts.append(candidate.start())
    return confirmed(_QUANTITY, text, starts)


# After a count, these nouns make it rhetoric ("三个方面", "两个积极性").
_RHETORIC_AFTER = re.compile(r"方面|层次|维度|环节|阶段|意识|自信|维护|积极性|原则|坚持|务必")
# A time-distance concept: the number names an accessibility standard.
_TIME_DISTANCE_AFTER = re.compile(rf"{_SP}(?:[\u4e00-\u9fff]{{0,5}}圈|通达|到达|可达|到|内到达)")
_DURATIONS = {"年", "个月"}
_AGES_AND_DURATIONS = frozenset(_DURATIONS | {"岁"})
_THRESHOLD_AFTER = re.compile(r"(?:人口|常住人口|户籍人口)(?:及)?(?:以上|以下)")

# ---------------------------------------------------------------- masks (non-quantities)
# A leading lookahead for a match's first character (as in ``dates``) changes no match,
# but spares the engine its alternatives at every other position.
_MASKS = [
    re.compile(r"《[^《》\n]{0,200}》"),                                   # titles
    re.compile(rf"{DOC_NUMBER_YEAR}\s*{DOC_NUMBER_SERIAL}"),                # 〔2021〕493号
    re.compile(r"\d{4}\s*[-－—–~～至]\s*\d{4}\s*年"),                        # 2021—2035年
    re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?"),        # years, dates
    re.compile(r"(?=\d)(?:\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}:\d{2})"),
    re.compile(r"“[^“”\n]{1,12}”|‘[^‘’\n]{1,12}’|「[^「」\n]{1,12}」"),         # slogans
    # Each run is tried from its first character only (the lookbehinds): a later start in the
    # same run reaches the same run end, so it matches nothing new, but trying it made an
    # 80 KB letter run quadratic.
    re.compile(r"(?=[A-Za-z\d])(?:(?<![A-Za-z])(?<![A-Za-z]\.)[A-Za-z][A-Za-z.]*\d+(?:\.\d+)?"
               r"|(?<!\d)\d+(?:\.\d+)?[A-Za-zⅠ-Ⅻ])"),   # 5G PM2.5 O3
    # ASCII classes only: "\S+@" would rescan every long line of Chinese (quadratic).
    re.compile(r"(?=[A-Za-z0-9._%+\-\d])(?:(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+"
               r"|https?://[!-~]+|\d{7,})"),  # mail, url, phone
    re.compile(r"^[ \t]*\d{1,2}[.．、](?!\d)|（\d{1,2}）|第[\d一二三四五六七八九十百]+", re.M),
    re.compile(FIVE_YEAR_PLAN),                                                # 十四五
]


# The masks and year patterns that start with a digit (or a letter, or 一/二 for a year) are
# confirmed only where one pass of ``FirstCharScan`` says each can start: the test after each
# pattern's first character is what its match must hold next (its lookbehinds moved after that
# character: ``(?<![A-Za-z])[A-Za-z]`` is ``[A-Za-z]`` then ``(?<![A-Za-z][A-Za-z])``).  The
# other masks start with a literal or a small set, which ``re`` already finds by scanning; the
# three line-item forms of _MASKS[8], which never overlap one another, are three searches.  Only
# the positions the masks cover matter (``_merge``): ``_mask_spans_reference`` is compared with
# ``_mask_spans`` in tests/extract/test_fast_targets.py.
_EMAIL = "A-Za-z0-9._%+-"
_THREE_DIGITS = r"\d{3}"  # what most digit-led forms need next: most digits are not followed by three more
# what the other digit-led forms need next (a digit, space, 月, :, a decimal point, a letter, a
# mail address character): most digits are followed by 年, 万, 个, %, … and read no test at all
_DIGIT_NEXT = r"[\d\s月:.A-Za-zⅠ-Ⅻ@_%+\-]"
_EMAIL_TEST = rf"(?<=[{_EMAIL}])(?<![{_EMAIL}][{_EMAIL}])[{_EMAIL}]*@[A-Za-z0-9.-]"
_LED_MASKS = [_MASKS[1], _MASKS[2], _MASKS[3], _MASKS[4], _MASKS[6], _MASKS[7]]
_LED_TESTS = [  # (the first character's class, a gate, what holds after that character wherever the pattern matches, pattern)
    (DIGIT_SUPERSET, _THREE_DIGITS, r"(?<=\d)\d{3}\s*[-－—–~～至]\s*\d{4}\s*年", _MASKS[2]),
    (DIGIT_SUPERSET, _THREE_DIGITS, r"(?<=\d)\d{3}\s*年", _MASKS[3]),
    (DIGIT_SUPERSET, _DIGIT_NEXT, r"(?<=\d)(?:\d?\s*月|\d{3}-|\d?:\d)", _MASKS[4]),
    (DIGIT_SUPERSET, _DIGIT_NEXT, r"(?<=\d)(?<!\d\d)\d*(?:\.\d+)?[A-Za-zⅠ-Ⅻ]", _MASKS[6]),
    (DIGIT_SUPERSET, _THREE_DIGITS, r"(?<=\d)\d{6}", _MASKS[7]),
    (DIGIT_SUPERSET, _DIGIT_NEXT, _EMAIL_TEST, _MASKS[7]),  # a mail address may start with a digit,
    ("A-Za-z", "", _EMAIL_TEST, _MASKS[7]),  # a letter
    ("._%+\\-", "", _EMAIL_TEST, _MASKS[7]),  # or one of ._%+-
    ("A-Za-z", "", r"(?<=h)ttps?://[!-~]", _MASKS[7]),
    ("A-Za-z", "", r"(?<![A-Za-z][A-Za-z])(?<![A-Za-z]\.[A-Za-z])[A-Za-z.]*\d", _MASKS[6]),
    (DOC_NUMBER_OPEN[1:-1], "", rf"\s*\d{{4}}\s*{DOC_NUMBER_CLOSE}\s*{DOC_NUMBER_SERIAL}", _MASKS[1]),
]
# The other masks start with a literal, which ``re`` finds by a string search (~0.5 ns a character,
# where a pass over a set of first characters costs ~3 ns): each is read by its own ``finditer``.
# The slogans' three forms, one alternation, would be a set scan: each form is searched for alone
# (none starts inside a match of its own: a slogan holds no opening quote), and of their matches,
# in order, those starting inside an earlier one are dropped, as ``finditer`` of the alternation
# does (a ‘…’ inside a “…”).
_OTHER_MASKS = [_MASKS[0], re.compile(r"（\d{1,2}）"), re.compile(r"第[\d一二三四五六七八九十百]+"), _MASKS[9]]
_SLOGAN_FORMS = [re.compile(form) for form in _MASKS[5].pattern.split("|")]
assert [form.pattern[0] for form in _SLOGAN_FORMS] == list("“‘「")


def _slogan_spans(text: str) -> list[tuple[int, int]]:
    """``[m.span() for m in _MASKS[5].finditer(text)]``, each form found by a string search.

    >>> _slogan_spans("“a‘bc”d’，‘e’")
    [(0, 6), (9, 12)]
    """
    spans = []
    last = 0
    for start, end in sorted(m.span() for form in _SLOGAN_FORMS for m in form.finditer(text)):
        if start >= last:
            spans.append((start, end))
            last = end
    return spans


_LINE_ITEM = LineStartPattern(re.compile(r"^[ \t]*\d{1,2}[.．、](?!\d)", re.M))


def _mask_spans(text: str, led: _DigitLed | None = None) -> tuple[list[int], list[int]]:
    """Sorted, merged (starts, ends) of spans that hold no quantity."""
    led = led or _DigitLed(text)
    spans = [m.span() for rx in _OTHER_MASKS for m in rx.finditer(text)]
    spans += _slogan_spans(text)
    spans += [m.span() for rx in _LED_MASKS for m in led.matches(rx)]
    spans += [(start, m.end()) for start, m in _LINE_ITEM.finditer(text)]
    return _merge(spans)


def _mask_spans_reference(text: str) -> tuple[list[int], list[int]]:
    """``_mask_spans`` with the ``_MASKS`` patterns as written, each over the whole text: the
    reference implementation, kept until the faster forms are proven."""
    return _merge(m.span() for rx in _MASKS for m in rx.finditer(text))


def _merge(spans: Iterable[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Merge (start, end) spans into sorted, disjoint (starts, ends) lists for ``_masked``.

    >>> _merge([(5, 9), (0, 2), (8, 12)])
    ([0, 5], [2, 12])
    """
    starts: list[int] = []
    ends: list[int] = []
    last = -1  # the end of the span being merged (ends[-1])
    for s, e in sorted(spans):
        if starts and s <= last:
            if e > last:
                last = ends[-1] = e
        else:
            starts.append(s)
            ends.append(e)
            last = e
    return starts, ends


def _masked(starts: list[int], ends: list[int], s: int, e: int) -> bool:
    """Whether [s, e) overlaps a masked span."""
    i = bisect_right(starts, e - 1) - 1
    return i >= 0 and ends[i] > s


# ---------------------------------------------------------------- context regexes
_SENT_END_CHARS = "。；！？\n"
_CLAUSE_END_CHARS = "，。；：！？\n"
# A year is four Arabic digits or four Chinese ones (二〇二五年).
_YEAR_NUM = rf"(?<![\d{CN_YEAR_DIGITS}])(\d{{4}}|[一二][{CN_YEAR_DIGITS}]{{3}})"
_YEAR = re.compile(rf"(?=[\d一二]){_YEAR_NUM}\s*年(?P<mark>底|末|度|的)?")
_HORIZON = re.compile(rf"(?=[到至力争预])(?:到|(?<!截)至|力争到|争取到|预计到|力争在|争取在){_SP}{_YEAR_NUM}\s*年")
_PAST_MARK = re.compile(rf"{_YEAR_NUM}\s*年\s*(?:底|末)|截[至止]\s*{_YEAR_NUM}\s*年")
_BASE_YEAR_BEFORE = re.compile(r"(?:比|较|与|同)\s*$")
# "2023和2025年，…分别达60%、70%": years listed, then values 分别 in the same order
_YEAR_LIST = re.compile(rf"{_YEAR_NUM}\s*年?(?:(?:和|、|及|与|，){_YEAR_NUM}\s*年?)+(?<=年)")
# The document's own period, stated in its opening: "（2021—2025年）", "2023-2025年"
_PERIOD = re.compile(rf"{_YEAR_NUM}\s*年?\s*[—–\-－~～至到]\s*{_YEAR_NUM}\s*年")
# An attribute measured on the noun that follows: "投资500万元以上技改项目" is a class of
# projects (a threshold), not an amount to invest.
_ATTRIBUTE_BEFORE = re.compile(rf"(?:{alternation('threshold_attributes')})(?:在|达)?$")
_PAST_VERB = re.compile(r"已经|已|累计|实现了|完成了|达到了")
_RELATIVE = re.compile(
    rf"(?:经过|用|再用|通过)\s*({_DIGITS}|[一二两三四五六七八九十]+)\s*年(?:左右)?(?:的|时间|努力|奋斗|持续努力)")
_PLAN_YEAR = re.compile(rf"{_YEAR_NUM}\s*年[^。\n《》]{{0,30}}?(?:工作要点|重点任务|工作计划|行动计划|实施方案|工作方案)")
_HEADING = re.compile(rf"^[ \t]*(?:({CHAPTER_LABEL})|({SECTION_LABEL})|(\d{{1,2}}[.．]))(.{{0,24}})", re.M)
# The year patterns with a first-character set (see _FAST_MASKS): the year's first digit, then
# the lookbehind that it starts the number; group 1 is the year as in _YEAR_NUM.
_YEAR_NUM_FAST = (rf"([{DIGIT_SUPERSET}一二](?<![\d{CN_YEAR_DIGITS}][\s\S])"
                  rf"(?:(?<=\d)\d{{3}}|(?<=[一二])[{CN_YEAR_DIGITS}]{{3}}))")
_PERIOD_FAST = re.compile(rf"{_YEAR_NUM_FAST}\s*年?\s*[—–\-－~～至到]\s*{_YEAR_NUM}\s*年")
_PLAN_YEAR_FAST = re.compile(
    rf"{_YEAR_NUM_FAST}\s*年[^。\n《》]{{0,30}}?(?:工作要点|重点任务|工作计划|行动计划|实施方案|工作方案)")
_BASELINE_HEADING = re.compile(r"发展基础|主要进展|主要成就|发展成就|工作成效|取得成效|发展现状|现状基础|十三五”?以来|十三五”?时期")

_LEVEL_COMPARATORS = [
    "达到", "提高到", "提高至", "提升至", "提升到", "增加到", "增加至", "增至", "增长到", "超过", "高于",
    "不低于", "不少于", "不超过", "不高于", "至少", "控制在", "保持在", "稳定在", "降低到", "降低至",
    "降至", "下降到", "下降至", "减少到", "低于", "接近", "突破", "占比",
    # bare verbs of change: "年均提高1个百分点以上" is a target, not a threshold
    "提高", "提升", "增长", "增加", "下降", "降低", "减少", "缩小",
]
_ACTION_COMPARATORS = [
    "新增", "新开工", "开工", "完成", "建成", "新建", "改造", "培育", "创建", "打造", "发展", "累计",
    "拥有", "建设", "实施", "安排", "筹集", "供应", "提供", "培训", "吸纳", "转移", "落户",
]
_COMPARATOR = re.compile(_alt(_LEVEL_COMPARATORS + _ACTION_COMPARATORS))
_CONTEXT = 300            # characters of its clause read on either side of a quantity
_SENTENCE_CONTEXT = 1000  # the ``sentence`` column keeps at most this much on either side
# An indicator that is only a verb of change has lost its subject to the previous clause.
_BARE_CHANGE = re.compile(r"(?:年均)?(?:增长|提高|提升|增加|下降|降低|减少)")
_LEVEL_SET = frozenset([*_LEVEL_COMPARATORS, "达"])
_BARE_DA = re.compile(r"(?<![发通到传下])达(?=[ \t]*$)")
_LIMIT = re.compile(r"不得|严禁|禁止|严格限制|限制新建|不准|不允许|不再")
_POPULATION = re.compile(r"人口|居住|规模")

# Words trimmed from either end of an indicator: scope, resolve and time words.
_TRIM_HEAD = re.compile(
    rf"^(?:[ \t]+|{alternation('scope_words')}|我市|我省|各地|力争|确保|争取|努力|基本|实现|推动|推进|加快|每年|实施|"
    r"进一步|累计|年均|其中|全面|按照|扩大|指导|支持|引导|取消|放宽|完善|落实|深化|优化|要|并|在|到|至|等|和|、|"
    r"经过\S{1,3}年的努力|(?:到|至)?\s*\d{4}\s*年(?:底|末)?(?:前|以前|之前)?)+"
)
_TRIM_TAIL = re.compile(r"(?:[ \t]+|的|要|将|为|等|(?:开工)?任务|工作|标准|目标|达|在|每年|累计|年均)+$")
_POST_STOP = re.compile(r"[，。；：、！？\n（(的和与及或等]")
_MAX_INDICATOR = 24
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class _Context:
    """Positions computed once per document."""

    text: str
    sent_ends: list[int]
    clause_ends: list[int]
    line_ends: list[int]
    year_pos: list[int]                        # starts of stated years outside titles
    years: list[tuple[int, bool, bool]]        # (year, is a 到YYYY年 horizon, marked 末/底/的)
    horizons: list[tuple[int, int]]            # (start, year) of 到YYYY年
    relatives: list[tuple[int, int]]           # (start, years ahead)
    baseline_regions: tuple[list[int], list[int]]   # merged (starts, ends)
    plan_year: int | None
    lead_ins: list[tuple[int, int, int]]       # (start, end, year) of lists under "到2025年…：" lines
    year_lists: list[tuple[int, int, list[int]]]  # (start, end, years) of "2023和2025年"
    period_end: int | None                     # last year of the document's own stated period
    date_horizons: list[tuple[int, int]] = field(default_factory=list)  # (start, year) of dated horizons
    sentence_facts: dict = field(default_factory=dict)  # (lo, hi) -> what _kind reads of that sentence


def _bounds(ends: list[int], s: int, e: int, n: int) -> tuple[int, int]:
    """(start, end) of the unit delimited by ``ends`` that contains [s, e)."""
    i = bisect_left(ends, s)
    lo = ends[i - 1] + 1 if i > 0 else 0
    j = bisect_left(ends, e)
    hi = ends[j] if j < len(ends) else n
    return lo, hi


_LEAD_IN = re.compile(r"^[^\n]*：[ \t]*$", re.M)
_MAJOR_HEADING = re.compile(rf"^[ \t]*(?:{CHAPTER_LABEL}|{SECTION_LABEL})", re.M)


def _line_starts(regex: re.Pattern[str]) -> Callable[[str], Iterable[tuple[int, re.Match[str]]]]:
    """(start, match) of a line-start pattern's matches, by ``finditer`` over every position."""
    return lambda text: ((m.start(), m) for m in regex.finditer(text))


class _DigitLed:
    """The matches of the digit-led masks and year patterns in one text (``_LED_TESTS``), all
    found by one ``FirstCharScan`` pass when the first of them is asked for."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[list[int]] | None = None

    def matches(self, regex: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """``regex.finditer(text)`` for one of ``_DIGIT_LED_TESTS``'s patterns."""
        if self.found is None:
            self.found = _DIGIT_LED.candidates(self.text)
        return confirmed(regex, self.text, self.found[_DIGIT_LED_INDEX[regex]])


_YEAR_NOT_INSIDE = rf"(?<![\d{CN_YEAR_DIGITS}][\s\S])"  # the year's first character starts its number
_DIGIT_LED_TESTS = [
    *_LED_TESTS,
    (DIGIT_SUPERSET, _THREE_DIGITS, rf"{_YEAR_NOT_INSIDE}(?<=\d)\d{{3}}\s*年", _YEAR),
    ("一二", "", rf"{_YEAR_NOT_INSIDE}[{CN_YEAR_DIGITS}]{{3}}\s*年", _YEAR),
    (DIGIT_SUPERSET, _THREE_DIGITS, rf"{_YEAR_NOT_INSIDE}(?<=\d)\d{{3}}\s*年?(?:和|、|及|与|，)", _YEAR_LIST),
    ("一二", "", rf"{_YEAR_NOT_INSIDE}[{CN_YEAR_DIGITS}]{{3}}\s*年?(?:和|、|及|与|，)", _YEAR_LIST),
]
_DIGIT_LED_INDEX = {regex: i for i, regex in enumerate(dict.fromkeys(test[3] for test in _DIGIT_LED_TESTS))}
_DIGIT_LED = FirstCharScan([(guard, gate, test, _DIGIT_LED_INDEX[regex])
                            for guard, gate, test, regex in _DIGIT_LED_TESTS])

Matches = Callable[[str, _DigitLed], Iterable[re.Match[str]]]


def _line_starts(regex: re.Pattern[str]) -> Callable[[str], Iterable[tuple[int, re.Match[str]]]]:
    """(start, match) of a line-start pattern's matches, by ``finditer`` over every position."""
    return lambda text: ((m.start(), m) for m in regex.finditer(text))


# Every relative horizon ends so ("经过5年的努力", "用3年左右时间"): a search from 年, a string
# search, tells whether a text can hold one.  In the one pass its four cue characters (用 is
# everywhere) cost more than reading the few texts that can hold one with ``finditer``.
_RELATIVE_END = re.compile(r"年(?:左右)?(?:的|时间|努力|奋斗|持续努力)")
assert _RELATIVE.pattern.endswith(r"\s*年(?:左右)?(?:的|时间|努力|奋斗|持续努力)")


# A horizon (到2025年) is a cue, spaces and a year, and its year is a match of _YEAR (the same
# _YEAR_NUM\s*年, never inside another year): it is confirmed only where a cue can end right before
# one of the years, spaces skipped (the cues are one to three characters long).  In the one pass its
# five cue characters (到, 至 are everywhere) cost more than this.
assert _HORIZON.pattern.endswith(rf"{_SP}{_YEAR_NUM}\s*年") and _YEAR.pattern.startswith(rf"(?=[\d一二]){_YEAR_NUM}\s*年")
_HORIZON_CUE_MAX = 3  # 力争到, 争取到, 预计到, 力争在, 争取在


def _horizons(text: str, led: _DigitLed) -> Iterator[re.Match[str]]:
    """``_HORIZON.finditer(text)``, tried only up to three characters before each year's spaces."""
    starts = []
    for year in led.matches(_YEAR):
        j = year.start()
        while j > 0 and text[j - 1] in " \t\u3000":
            j -= 1
        starts.extend(range(max(0, j - _HORIZON_CUE_MAX), j))
    return confirmed(_HORIZON, text, sorted(set(starts)))


def _relatives(text: str, led: _DigitLed) -> Iterable[re.Match[str]]:
    """``_RELATIVE.finditer(text)``, read only when the text holds a relative horizon's end."""
    return _RELATIVE.finditer(text) if _RELATIVE_END.search(text) else ()


def _whole_text(regex: re.Pattern[str]) -> Matches:
    return lambda text, led: regex.finditer(text)


def _digit_led(regex: re.Pattern[str]) -> Matches:
    return lambda text, led: led.matches(regex)


@dataclass(frozen=True)
class _Scanners:
    """The whole-text scans of one ``target_rows``: as written (the reference) or fast."""

    quantities: Callable[[str], Iterable[re.Match[str]]]
    mask_spans: Callable[[str, _DigitLed], tuple[list[int], list[int]]]
    years: Matches
    horizons: Matches
    relatives: Matches
    year_lists: Matches
    period: re.Pattern[str]
    plan_year: re.Pattern[str]
    heading: Callable[[str], Iterable[tuple[int, re.Match[str]]]]
    lead_in: Callable[[str], Iterable[tuple[int, re.Match[str]]]]
    major_heading: Callable[[str], Iterable[tuple[int, re.Match[str]]]]


_REFERENCE = _Scanners(_QUANTITY.finditer, lambda text, led: _mask_spans_reference(text), _whole_text(_YEAR),
                       _whole_text(_HORIZON), _whole_text(_RELATIVE), _whole_text(_YEAR_LIST), _PERIOD, _PLAN_YEAR,
                       _line_starts(_HEADING), _line_starts(_LEAD_IN), _line_starts(_MAJOR_HEADING))


def _baseline_headings(text: str) -> Iterable[tuple[int, re.Match[str]]]:
    """The headings ``_baseline_regions`` reads, none when no 发展基础/主要进展 … is in the text
    (then no heading is one, and there is no region to bound)."""
    return _LINE_HEADING.finditer(text) if _BASELINE_HEADING.search(text) else ()


_LINE_HEADING = LineStartPattern(_HEADING)
_FAST = _Scanners(_quantities, _mask_spans, _digit_led(_YEAR), _horizons, _relatives,
                  _digit_led(_YEAR_LIST), _PERIOD_FAST,
                  _PLAN_YEAR_FAST, _baseline_headings, LineStartPattern(_LEAD_IN).finditer,
                  LineStartPattern(_MAJOR_HEADING).finditer)


def _lead_ins(text: str, horizons: list[tuple[int, int]], scan: _Scanners) -> list[tuple[int, int, int]]:
    """Lists governed by a line such as "到2025年，实现以下目标：".

    Each is (start, end, year): from the end of that line to the next 一、/（一） heading.
    """
    out: list[tuple[int, int, int]] = []
    if not horizons:
        return out  # no line can lead in a list without a 到YYYY年
    heading_starts: list[int] | None = None
    for start, m in scan.lead_in(text):
        horizon = _last_before(horizons, start, m.end())
        if horizon is None:
            continue
        if heading_starts is None:
            heading_starts = [start for start, _ in scan.major_heading(text)]
        i = bisect_right(heading_starts, m.end())
        out.append((m.end(), heading_starts[i] if i < len(heading_starts) else len(text), horizon[1]))
    return out


def _baseline_regions(text: str, scan: _Scanners) -> tuple[list[int], list[int]]:
    """Merged (starts, ends) of passages under a 发展基础/主要进展 heading, each up to the
    next heading of the same or a higher level."""
    heads = []
    for start, m in scan.heading(text):
        level = 1 if m.group(1) else 2 if m.group(2) else 3
        heads.append((start, level, bool(_BASELINE_HEADING.search(m.group(4)))))
    regions = []
    for k, (pos, level, is_base) in enumerate(heads):
        if not is_base:
            continue
        end = next((p for p, lv, _ in heads[k + 1:] if lv <= level), len(text))
        regions.append((pos, end))
    return _merge(regions)


def _year_value(s: str) -> int:
    """The year of "2025" or "二〇二五".

    >>> _year_value("二〇二五"), _year_value("2021")
    (2025, 2021)
    """
    return int(s.translate(CN_YEAR_TO_ASCII))


def _positions(codes: np.ndarray, chars: str) -> np.ndarray:
    """Sorted offsets of every occurrence of any of ``chars`` in the text whose code points
    are ``codes`` (one vectorised test instead of a match object per delimiter)."""
    hit = codes == ord(chars[0])
    for c in chars[1:]:  # a handful of equality tests: cheaper than np.isin's sort
        hit |= codes == ord(c)
    return np.flatnonzero(hit)


def _delimiters(text: str) -> tuple[list[int], list[int], list[int]]:
    """Sorted offsets of the sentence ends, clause ends and line ends of ``text``: the clause
    ends (every sentence end is one) found over the whole text, then sorted out among themselves."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    clause = _positions(codes, _CLAUSE_END_CHARS)
    at = codes[clause]
    return (clause[_positions(at, _SENT_END_CHARS)].tolist(), clause.tolist(),
            clause[_positions(at, "\n")].tolist())


assert set(_SENT_END_CHARS) <= set(_CLAUSE_END_CHARS) and "\n" in _SENT_END_CHARS


def _context(text: str, scan: _Scanners, led: _DigitLed) -> _Context:
    """Compute sentence/clause/line ends, stated years, horizons and passages once."""
    titles = [m.span() for m in _MASKS[0].finditer(text)]
    t_starts, t_ends = [start for start, _ in titles], [end for _, end in titles]

    def in_title(pos: int) -> bool:
        return _masked(t_starts, t_ends, pos, pos + 1)

    horizons = [(m.start(1), _year_value(m.group(1))) for m in scan.horizons(text, led)
                if not in_title(m.start())]
    horizon_pos = {p for p, _ in horizons}
    year_pos, years = [], []
    for m in scan.years(text, led):
        if _BASE_YEAR_BEFORE.search(text, max(0, m.start() - 3), m.start()):
            continue  # "比2020年提高5个百分点": the base of a comparison, never a target year
        if not in_title(m.start()):
            year_pos.append(m.start())
            years.append((_year_value(m.group(1)), m.start() in horizon_pos, bool(m.group("mark"))))
    relatives = []
    for m in scan.relatives(text, led):
        try:
            relatives.append((m.start(), int(parse_number(m.group(1)))))
        except ValueError:
            continue
    plan_year = None
    for m in scan.plan_year.finditer(text, 0, min(len(text), 2000)):
        if not in_title(m.start()):
            plan_year = _year_value(m.group(1))
            break
    sent_ends, clause_ends, line_ends = _delimiters(text)
    return _Context(
        text=text, sent_ends=sent_ends, clause_ends=clause_ends, line_ends=line_ends,
        year_pos=year_pos, years=years, horizons=horizons, relatives=relatives,
        baseline_regions=_baseline_regions(text, scan), plan_year=plan_year,
        lead_ins=_lead_ins(text, horizons, scan),
        year_lists=[(m.start(), m.end(), [_year_value(y) for y in re.findall(_YEAR_NUM, m.group(0))])
                    for m in scan.year_lists(text, led) if not in_title(m.start())],
        period_end=_period_end(text, scan.period),
    )


def _period_end(text: str, period: re.Pattern[str] = _PERIOD_FAST) -> int | None:
    """The last year of the period a document states for itself in its opening.

    >>> _period_end("山东省新型城镇化建设行动方案（2024—2025年）\\n为深入推进…")
    2025
    >>> _period_end("为落实《国家新型城镇化规划（2021—2035年）》，制定本行动计划") is None
    True
    """
    for m in period.finditer(text, 0, min(len(text), 1500)):
        opened, closed = text.rfind("《", 0, m.start()), text.rfind("》", 0, m.start())
        if opened <= closed:  # inside 《…》 it is a cited document's period, not this one's
            return _year_value(m.group(2))
    return None


# ---------------------------------------------------------------- one quantity
@lru_cache(maxsize=1024)
def _unit_parts(unit: str) -> tuple[float, str]:
    """(multiplier, base unit) of a unit as written (cached: a few dozen units, read 3 times a quantity).

    >>> _unit_parts("万套"), _unit_parts("千米"), _unit_parts("万")
    ((10000.0, '套'), (1.0, '千米'), (10000.0, ''))
    """
    if unit in _KILO_UNITS:
        return 1.0, unit
    for mult in sorted(_MULTIPLIERS, key=len, reverse=True):
        if unit.startswith(mult) and unit[len(mult):] in _BASE_UNITS + [""]:
            return _MULTIPLIERS[mult], unit[len(mult):]
    return 1.0, unit


def _keep(m: re.Match[str], text: str) -> bool:
    """Whether a regex hit is a quantity (rules for counters, durations, time distance)."""
    num, unit = m.group("num"), m.group("unit")
    after = text[m.end():m.end() + 6]
    base = _unit_parts(unit)[1]
    if base in _DURATIONS and (m.group("post") or "").strip() not in ("以上", "以下", "以内", "及以上", "及以下"):
        return False  # durations only as thresholds: "居住5年以上"
    if base in ("小时", "分钟", "天") and _TIME_DISTANCE_AFTER.match(after):
        return False
    if not num[0].isdigit() and len(num) == 1 and num != "半" and unit in _COUNTERS and not m.group("low"):
        return False  # 两个积极性, 三条底线, 一个平台 (but a range 一至两个 is meant)
    if base in ("个", "项", "条") and _RHETORIC_AFTER.match(after):
        return False
    return True


def _year_before(ctx: _Context, s: int, lo: int) -> tuple[int, bool, bool] | None:
    """The stated year closest before ``s`` and at or after ``lo`` (with its flags)."""
    i = bisect_left(ctx.year_pos, s) - 1
    return ctx.years[i] if i >= 0 and ctx.year_pos[i] >= lo else None


def _sentence_year(ctx: _Context, s: int, lo: int, hi: int) -> int | None:
    """The stated year closest before ``s`` in [lo, hi), else the first after it."""
    before = _year_before(ctx, s, lo)
    if before is not None:
        return before[0]
    i = bisect_left(ctx.year_pos, s)
    return ctx.years[i][0] if i < len(ctx.years) and ctx.year_pos[i] < hi else None


def _paragraph_year(ctx: _Context, s: int, issued_year: int | None,
                    problems: list[dict], doc_id: str) -> int | None:
    """A 到YYYY年 or 经过N年 earlier in the paragraph, else the annual plan's year."""
    plo, _ = _bounds(ctx.line_ends, s, s + 1, len(ctx.text))
    horizon = _last_before(ctx.horizons, plo, s)
    rel = _last_before(ctx.relatives, plo, s)
    if horizon and (not rel or horizon[0] > rel[0]):
        return horizon[1]
    if rel:
        # "经过5年的努力" means the end of the document's own period; a document that states
        # no period leaves the year open rather than guessing issue year + 5.
        if ctx.period_end is None:
            problems.append(_problem(doc_id, "target_relative_year_unresolved",
                                     f"relative horizon of {rel[1]} years and no period stated", rel[0], s))
            return None
        return ctx.period_end
    i = bisect_left(ctx.lead_ins, (s, -1, -1)) - 1
    if i >= 0 and ctx.lead_ins[i][0] <= s < ctx.lead_ins[i][1]:
        return ctx.lead_ins[i][2]
    return ctx.plan_year


def _listed_year(ctx: _Context, s: int, lo: int) -> int | None:
    """The k-th year of "2023和2025年" for the k-th value after 分别 in the same sentence."""
    lists = ctx.year_lists
    # the lists are disjoint (finditer's), so sorted by start and by end: those in [lo, s) are a run
    for i in range(bisect_left(lists, lo, key=_first), len(lists)):
        start, end, years = lists[i]
        if end > s:
            break
        if lo <= start:
            between = ctx.text[end:s]
            k = between.find("分别")
            if k >= 0:
                n = between[k:].count("、")
                return years[n] if n < len(years) else None
    return None


def _first(item: tuple) -> int:
    return item[0]


def _last_before(items: list[tuple[int, int]], lo: int, s: int) -> tuple[int, int] | None:
    """The last (position, value) with lo <= position < s; ``items`` is sorted."""
    i = bisect_left(items, (s, -(10**9))) - 1
    return items[i] if i >= 0 and items[i][0] >= lo else None


@lru_cache(maxsize=4096)  # a pure function of the clause; each quantity of a list reads the same clause
def _comparator(clause_before: str) -> re.Match[str] | None:
    """The comparator of a quantity: the last level word (达到, 不低于 …) in the clause
    before it, else an action word right before the number, else the first action word
    (新开工 in "新开工改造老旧小区2601个").
    """
    hits = list(_COMPARATOR.finditer(clause_before))
    levels = [m for m in hits if m.group() in _LEVEL_SET]
    if levels:
        return levels[-1]
    bare = _BARE_DA.search(clause_before)
    if bare:
        return bare  # "收集率达70%以上": 达 right before the number reads as 达到
    if hits and not clause_before[hits[-1].end():].strip():
        return hits[-1]  # right before the number: "棚户区改造完成8.2万套" → 完成
    return hits[0] if hits else None


@lru_cache(maxsize=4096)  # a pure function of the phrase; two regex substitutions per round otherwise
def _trim(phrase: str) -> str:
    """Trim scope/resolve/time words from both ends.

    >>> _trim("争取到2025年，全市常住人口城镇化率".split("，")[-1])
    '常住人口城镇化率'
    """
    prev = None
    while prev != phrase:
        prev = phrase
        phrase = _TRIM_TAIL.sub("", _TRIM_HEAD.sub("", phrase.strip()))
    return phrase


def _post_phrase(text: str, end: int, hi: int) -> str:
    """The noun phrase right after a quantity (empty if it closes its clause)."""
    m = _POST_STOP.search(text, end, hi)
    stop = m.start() if m else hi
    phrase = text[end:stop].strip()
    if not phrase or not _HAN.match(phrase):
        return ""
    return _trim(phrase[:_MAX_INDICATOR])


def _tail(phrase: str) -> str:
    """Trim a phrase, then keep its last ``_MAX_INDICATOR`` characters (the head noun
    of a Chinese noun phrase is at its end)."""
    return _trim(_trim(phrase)[-_MAX_INDICATOR:])


def _indicator(text: str, clo: int, chi: int, s: int, e: int, comp: re.Match[str] | None,
               kind: str) -> str:
    """What the quantity measures; see the module docstring."""
    post = _post_phrase(text, e, chi)
    before = text[clo:s]
    if kind == "threshold":
        pre = _tail(before)
        if len(pre) >= 2 and len(post) >= 2 and _ATTRIBUTE_BEFORE.search(before):
            return f"{pre} {post}"  # the attribute and the class it bounds: "投资 技改项目"
        return pre if len(pre) >= 2 else post
    if len(post) >= 2:
        return post
    if comp is not None and comp.group() in _LEVEL_SET:
        pre = _tail(before[:comp.start()])
        if len(pre) >= 2:
            return pre
    return _tail(before)


def _kind(ctx: _Context, s: int, lo: int, hi: int, clause_before: str, m: re.Match[str],
          comp: re.Match[str] | None, issued_year: int | None) -> str:
    """target / baseline / threshold / limit for one quantity."""
    text = ctx.text
    post = (m.group("post") or "").strip()
    if _LIMIT.search(clause_before):
        return "limit"
    base = _unit_parts(m.group("unit"))[1]
    if base in _AGES_AND_DURATIONS:
        return "threshold"  # ages and durations are eligibility bands ("3岁以下", "居住5年以上")
    if post in ("以上", "以下", "及以上", "及以下") and _ATTRIBUTE_BEFORE.search(clause_before) \
            and _HAN.match(text, m.end()):
        return "threshold"  # "投资500万元以上技改项目": a class of projects
    if comp is None and (post in ("以上", "以下", "及以上", "及以下")
                         or _THRESHOLD_AFTER.match(text, m.end())
                         or (m.group("low") and _POPULATION.search(clause_before))):
        return "threshold"
    # "由2020年的50%提高到2025年的55%": the clause's own year decides first.
    own = _year_before(ctx, s, s - len(clause_before))
    if own is not None:
        year, is_horizon, marked = own
        if is_horizon:
            return "target"
        if issued_year is not None and year < issued_year and (marked or _PAST_VERB.search(clause_before)):
            return "baseline"
    # What the sentence says is the same for each of its quantities: read it once per
    # sentence, not once per quantity (4,000 quantities in one sentence were quadratic).
    facts = ctx.sentence_facts.get((lo, hi))
    if facts is None:
        sentence = text[lo:hi]
        facts = ctx.sentence_facts[(lo, hi)] = (
            _has_horizon(sentence),
            # the earliest past mark is all the test below needs: "any mark before the issue
            # year" (the whole list, read once per quantity, was quadratic in a long sentence)
            _earliest_past_mark(sentence),
            _PAST_VERB.search(sentence) is not None,
        )
    has_horizon, earliest_past, has_past_verb = facts
    if has_horizon:
        return "target"
    if _masked(*ctx.baseline_regions, s, s + 1):
        return "baseline"
    if earliest_past is not None and (issued_year is None or earliest_past < issued_year):
        return "baseline"
    stated = _sentence_year(ctx, s, lo, hi)
    if stated is not None and issued_year is not None and stated < issued_year and has_past_verb:
        return "baseline"
    return "target"


# _HORIZON and _PAST_MARK start with a lookahead or lookbehind, so ``re`` tries them at every
# position of a sentence; every match holds 年 and one of a few characters, which string
# searches (a fraction of that) find first.
assert _HORIZON.pattern.endswith(r"\s*年") and "(?:到|(?<!截)至|力争到|争取到|预计到|力争在|争取在)" in _HORIZON.pattern
assert r"\s*年\s*(?:底|末)|截[至止]\s*" in _PAST_MARK.pattern and _PAST_MARK.pattern.endswith(r"\s*年")


def _has_horizon(sentence: str) -> bool:
    """``_HORIZON.search(sentence) is not None`` (its cues all hold 到, 至 or 在).

    >>> _has_horizon("到2025年，达到60%"), _has_horizon("截至2020年，达到50%")
    (True, False)
    """
    return ("年" in sentence and ("到" in sentence or "至" in sentence or "在" in sentence)
            and _HORIZON.search(sentence) is not None)


def _earliest_past_mark(sentence: str) -> int | None:
    """The earliest year of ``_PAST_MARK`` in the sentence (2020年底, 截至2020年), else None.

    >>> _earliest_past_mark("截至2021年，2020年底已完成5万套"), _earliest_past_mark("到2025年完成5万套") is None
    (2020, True)
    """
    if "年" not in sentence or ("底" not in sentence and "末" not in sentence and "截" not in sentence):
        return None
    return min((_year_value(pm.group(1) or pm.group(2)) for pm in _PAST_MARK.finditer(sentence)), default=None)


def _problem(doc_id: str, kind: str, detail: str, start: int, end: int) -> dict:
    return {"doc_id": doc_id, "kind": kind, "detail": detail, "start": int(start), "end": int(end)}


def _row(doc_id: str, ctx: _Context, m: re.Match[str], issued_year: int | None,
         problems: list[dict]) -> dict | None:
    """One target row for a regex hit, or None if the hit is not a quantity."""
    text = ctx.text
    prefix, low_as_written, lowmult, num, unit, post_as_written = m.group("pre", "low", "lowmult", "num", "unit",
                                                                          "post")
    try:
        value = parse_number(num)
        low = parse_number(low_as_written) if low_as_written else None
    except ValueError as exc:
        problems.append(_problem(doc_id, "target_number_unparsed", str(exc), m.start(), m.end()))
        return None
    s = m.start("pre") if prefix else (m.start("low") if low_as_written else m.start("num"))
    e = m.end("post") if post_as_written else m.end("unit")
    mult, base = _unit_parts(unit)
    if lowmult and not base and unit != lowmult:
        problems.append(_problem(doc_id, "target_range_units_differ", text[s:e], s, e))
    lo, hi = _bounds(ctx.sent_ends, s, e, len(text))
    clo, chi = _bounds(ctx.clause_ends, s, e, len(text))
    # A clause is read at most _CONTEXT characters either side of its quantity: a list of
    # thousands of quantities joined by 、 would otherwise be re-read once per quantity.
    clo, chi = max(clo, s - _CONTEXT), min(chi, e + _CONTEXT)
    clause_before = text[clo:s]
    comp = _comparator(clause_before)
    kind = _kind(ctx, s, lo, hi, clause_before, m, comp, issued_year)
    year = _listed_year(ctx, s, lo) or _sentence_year(ctx, s, lo, hi)
    if year is None and kind in ("target", "baseline"):
        year = _paragraph_year(ctx, s, issued_year, problems, doc_id)
        if year is not None and year == ctx.plan_year and "目标" in text[e:chi]:
            year = None  # "推动1亿非户籍人口在城市落户目标取得…进展": a standing goal referred to
    if year is None and kind == "target" and ctx.date_horizons:
        plo, _ = _bounds(ctx.line_ends, s, s + 1, len(text))
        dated = _last_before(ctx.date_horizons, plo, s)
        year = dated[1] if dated else None
    if year is not None and not year_in_window(year):
        problems.append(_problem(doc_id, "target_year_out_of_range", str(year), s, e))
        year = None
    post = (post_as_written or "").strip()
    comparator = comp.group() if comp is not None else ("接近" if prefix == "接近" else None)
    indicator = _indicator(text, clo, chi, s, e, comp, kind)
    if not indicator:
        problems.append(_problem(doc_id, "target_indicator_empty", text[s:e], s, e))
    return {
        "doc_id": doc_id, "task_id": pd.NA,
        "indicator": indicator,
        "comparator": comparator,
        "value": value, "value_low": low, "unit": unit,
        "value_base": value * mult, "unit_base": base,
        "qualifier": post or prefix or None,
        "year": year, "kind": kind,
        "sentence": text[max(lo, s - _SENTENCE_CONTEXT):
                         min(hi + 1 if hi < len(text) and text[hi] != "\n" else hi, e + _SENTENCE_CONTEXT)].strip(),
        "start": s, "end": e,
    }


# ---------------------------------------------------------------- tasks
def _assign_tasks(starts: np.ndarray, ends: np.ndarray, spans: TaskSpans) -> list[object]:
    """The leaf-most (deepest, then shortest) task containing each quantity, else NA.

    ``TaskSpans.holding``: a sweep, where a quantities × tasks matrix was quadratic in a long document.
    """
    if len(spans) == 0 or len(starts) == 0:
        return [pd.NA] * len(starts)
    return [spans.ids[i] if i >= 0 else pd.NA for i in spans.holding(starts, ends)]


# ---------------------------------------------------------------- public API


def target_rows(doc_id: str, text: str, spans: TaskSpans | None,
                issued_year: int | None, dates: list[dict]) -> tuple[list[dict], list[dict]]:
    """Return (rows, problems): every quantity of one clean document, one row each.

    The targets stage's entry point (``load_corpus`` calls it per document and builds the
    table with ``schema.frame``).  Each row is a dict keyed by ``TARGET_COLUMNS`` (task_id
    NA outside every task); ``problems`` are dicts {doc_id, kind, detail, start, end}.
    ``spans`` are the document's tasks (``TaskSpans.from_rows`` of ``structure_rows``;
    None: no tasks).  ``dates`` are the document's date rows (``extract.dates.date_rows``):
    a target whose own rules find no year takes the horizon the dates table found before
    it in its sentence or paragraph ("到“十四五”末，…达到65%" → 2025), so the two tables agree.

    >>> from urbanpolicy.extract.dates import date_rows
    >>> text = "到2025年，全市常住人口城镇化率达到37%左右。"
    >>> rows, _ = target_rows("d", text, None, 2022, date_rows("d", text, None, 2022, None))
    >>> r = rows[0]
    >>> r["indicator"], r["comparator"], r["value"], r["unit"], r["qualifier"], r["year"], r["kind"]
    ('常住人口城镇化率', '达到', 37.0, '%', '左右', 2025, 'target')
    """
    return _target_rows(doc_id, text, spans, issued_year, dates, _FAST)


def target_rows_reference(doc_id: str, text: str, spans: TaskSpans | None,
                          issued_year: int | None, dates: list[dict]) -> tuple[list[dict], list[dict]]:
    """``target_rows`` with every mask and context regex as written, each run over the whole
    text: the reference implementation, kept until the faster scans (``_FAST``) are proven
    (tests/extract/test_fast_targets.py compares the two)."""
    return _target_rows(doc_id, text, spans, issued_year, dates, _REFERENCE)


def _target_rows(doc_id: str, text: str, spans: TaskSpans | None, issued_year: int | None,
                 dates: list[dict], scan: _Scanners) -> tuple[list[dict], list[dict]]:
    problems: list[dict] = []
    # masks and context are read only once a quantity needs them: a text without one needs neither
    mask: tuple[list[int], list[int]] | None = None
    ctx: _Context | None = None
    led = _DigitLed(text)
    rows = []
    for m in scan.quantities(text):
        s, e = m.span()
        if mask is None:
            mask = scan.mask_spans(text, led)
            mask_starts, mask_ends = mask
        i = bisect_right(mask_starts, e - 1) - 1  # _masked, inline: read for every quantity
        if (i >= 0 and mask_ends[i] > s) or not _keep(m, text):
            continue
        if ctx is None:
            ctx = _context(text, scan, led)
            ctx.date_horizons = sorted(
                (int(d["start"]), d["date"].year) for d in dates
                if d["kind"] in ("target_year", "deadline") and d["start"] >= 0 and d["date"] is not None
                and not pd.isna(d["date"]))
        row = _row(doc_id, ctx, m, issued_year, problems)
        if row is not None:
            prev = rows[-1] if rows else None
            if prev is not None and prev["sentence"] == row["sentence"] and _BARE_CHANGE.fullmatch(row["indicator"] or ""):
                # "地区生产总值突破3000亿元，年均增长6.5%": the change is the earlier indicator's
                row["indicator"] = f"{prev['indicator']}{row['indicator']}"
            rows.append(row)
    if rows:
        starts = np.array([r["start"] for r in rows], dtype=np.int64)
        ends = np.array([r["end"] for r in rows], dtype=np.int64)
        for row, task in zip(rows, _assign_tasks(starts, ends, spans or TaskSpans.empty()), strict=True):
            row["task_id"] = task
    return rows, problems
