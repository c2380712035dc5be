"""The agencies stage's fast path gives exactly what its reference implementation gives.

``find_agencies`` (Aho–Corasick heads, then the ``re`` matcher only where a head starts),
``assignment_rows`` (its bracket rounding and finder), ``cues.masked_text`` (segments
joined; document numbers found from their bracketed years) and ``add_directives`` (the first
cue of each level, not all of them) are compared, offsets included,
with the ``..._reference`` functions they replace, on the seeds, the realworld excerpts,
mutated seeds, hostile repeated forms and random texts built from the register's own pieces.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urbanpolicy.extract import agencies
from urbanpolicy.extract.agencies import (
    assignment_rows,
    assignment_rows_reference,
    find_agencies,
    find_agencies_reference,
)
from urbanpolicy.extract.cues import (
    _DOC_NUMBER,
    MASK,
    doc_number_spans,
    masked_text,
    masked_text_reference,
    read_rules,
)
from urbanpolicy.extract.directive import add_directives, add_directives_reference
from urbanpolicy.extract.structure import TaskSpans, structure_rows

from ..conftest import SEEDS, equivalence_texts

PLACES = [(None, "national"), ("湖北省", "provincial"), ("庆阳市", "municipal"), ("北京市", "municipal"),
          ("宁夏回族自治区", "provincial"), ("永德县", "county"), (None, "")]
HOSTILE = {
    "digits": "1" * 2_000, "dotted": "1." * 1_000, "stems": "公安、" * 500 + "等部门负责。",
    "labels": "（一）推进试点。\n" * 200, "clauses": "（省发展改革委、省财政厅负责）\n" * 200,
    "entrust": "城市委托" * 200 + "市委" * 50, "brackets": "各县〔市、区〕人民政府[省公安厅]" * 100,
    "numbers": "甘政办发〔2021〕32号" * 200 + "国 发 （2019） 第 1 号",
}


TEXTS = equivalence_texts(HOSTILE)


def _same_rows(doc_id: str, text: str, region: str | None, level: str) -> None:
    _, tasks, _ = structure_rows(doc_id, text)
    spans = TaskSpans.from_rows(tasks)
    fast = assignment_rows(doc_id, text, spans, region, level)
    assert fast == assignment_rows_reference(doc_id, text, spans, region, level)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_find_agencies_is_the_reference_on_every_corpus(name):
    text = TEXTS[name]
    for region, level in PLACES:
        assert find_agencies(text, region, level) == find_agencies_reference(text, region, level)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_assignment_rows_are_the_reference_on_every_corpus(name):
    for region, level in PLACES[:4]:
        _same_rows(name, TEXTS[name], region, level)


def test_the_corpora_hold_what_the_comparison_is_about():
    # the equality above would be empty if no text named bodies in clauses, brackets or numbers
    seeds = [TEXTS[p.name] for p in SEEDS.glob("*.txt")]
    assert sum(len(find_agencies(t, "湖北省")) for t in seeds) > 300
    assert any("〔" in t and doc_number_spans(t) for t in seeds)
    rows, _ = assignment_rows("h", TEXTS["hostile_brackets"], TaskSpans.from_rows(
        [{"task_id": "h-1", "start": 0, "end": len(TEXTS["hostile_brackets"])}]), "湖北省", "provincial")
    assert {r["agency_raw"] for r in rows} >= {"[省公安厅"[1:]}  # read through the rounded brackets


def test_entrust_is_not_a_party_committee_in_the_fast_path():
    # "城市委托": 市委 followed by 托 is 委托 (entrust); the next 市委 is one
    found = find_agencies("城市委托第三方。市委负责。", "庆阳市", "municipal")
    assert [(a.raw, a.start) for a in found] == [("市委", 8)]


# ---------------------------------------------------------------- random texts from the register's pieces
def _pieces() -> list[str]:
    m = agencies._matcher()
    names = sorted(m.fixed)[::40] + sorted(m.province_stems)[::25] + sorted(m.local_stems)[::25]
    names += sorted(m.list_stems)[::5]
    return names + ["省", "市", "县", "湖北省", "四川", "庆阳市", "宁夏回族自治区", "自治区", "、", "和", "及", "与",
                    "等", "部门", "等部门", "单位", "委托", "托", "负责", "牵头", "配合", "（", "）", "〔", "〕",
                    "[", "]", "。", "，", "；", "\n", "人民银行", "庆阳", "分行", "中心支行", "《", "》",
                    "牵头单位：", "配合单位：", "（一）", "1.", "以下任务均由", "落实", "农业农村", "林草"]


PIECES = _pieces()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.sampled_from(PLACES))
def test_fast_path_is_the_reference_on_random_register_texts(pieces, place):
    text = "".join(pieces)
    assert find_agencies(text, *place) == find_agencies_reference(text, *place)
    _same_rows("r", "（一）" + text, *place)


# ---------------------------------------------------------------- masking
NUMBER_TOKENS = ["国", "发", "政办", "ABC", "x", " ", "\u3000", "\n", "〔2021〕", "（2020）", "[ 2019 ]", "32号",
                 "第5号", "号", "1", "〔", "〕", "12345号", "、", "国发" * 7, "《规划》", "《"]


def test_document_numbers_found_from_their_years():
    text = "依据：甘政办发〔2021〕32号，国发〔2019〕1号；国发（2020） 第 5 号。"
    # read off the text: each number runs from its issuer code to 号
    assert [text[s:e] for s, e in doc_number_spans(text)] == ["甘政办发〔2021〕32号", "国发〔2019〕1号",
                                                             "国发（2020） 第 5 号"]
    # a code longer than twelve letters is no issuer code: the rule starts at the last twelve
    long_code = "甲" * 14 + "〔2021〕3号"
    assert [long_code[s:e] for s, e in doc_number_spans(long_code)] == ["甲" * 12 + "〔2021〕3号"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(NUMBER_TOKENS), max_size=16),
       st.lists(st.tuples(st.integers(-2, 80), st.integers(-2, 80)), max_size=4))
def test_masking_is_the_reference_on_random_texts(tokens, spans):
    text = "".join(tokens)
    assert doc_number_spans(text) == [m.span() for m in _DOC_NUMBER.finditer(text)]
    assert masked_text(text, spans) == masked_text_reference(text, spans)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_masking_is_the_reference_on_every_corpus(name):
    text = TEXTS[name]
    bodies = [(a.start, a.end) for a in find_agencies(text, "湖北省")]
    masked = masked_text(text, bodies)
    assert masked == masked_text_reference(text, bodies)
    assert len(masked) == len(text) and all(set(masked[s:e]) <= {MASK} for s, e in bodies)


# ---------------------------------------------------------------- directives
def _directives(add, doc_id: str, text: str) -> list[dict]:
    _, tasks, _ = structure_rows(doc_id, text)
    rows, _ = assignment_rows(doc_id, text, TaskSpans.from_rows(tasks), "湖北省", "provincial")
    add(text, tasks, [(r["start"], r["end"]) for r in rows])
    return tasks


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_directives_are_the_reference_on_every_corpus(name):
    assert _directives(add_directives, name, TEXTS[name]) == _directives(add_directives_reference, name, TEXTS[name])


def _cue_pieces() -> list[str]:
    levels = read_rules("directive.yaml")["levels"]
    words = [w for level in levels.values() for key in ("cues", "exclude") for w in level.get(key, [])]
    return words + ["（一）", "（二）", "\n", "。", "省财政厅", "《规划》", "推进", "的前提下", "有条件的", "，",
                    "在", "在确保安全的前提下"]


CUE_PIECES = _cue_pieces()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CUE_PIECES), max_size=30))
def test_directives_are_the_reference_on_random_cue_texts(pieces):
    text = "一、总体要求\n" + "".join(pieces)
    assert _directives(add_directives, "r", text) == _directives(add_directives_reference, "r", text)


# ---------------------------------------------------------------- clause helpers
CLAUSE_CHARS = list("（）（）、，；：。！\n省公安厅负责牵头会同配合?a1及和与 ") + ["�", "\u3400", "\U00020000"]


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(CLAUSE_CHARS), max_size=60), st.integers(0, 60), st.integers(1, 40))
def test_clause_start_is_the_bracket_walk(text, close, limit):
    close = min(close, len(text))
    assert agencies._clause_start(text, close, limit) == agencies._walk_clause_start(text, close, limit)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(CLAUSE_CHARS), max_size=40), st.integers(0, 99))
def test_depth_split_is_the_bracket_walk(text, offset):
    for separators in (agencies._GROUP_SPLIT, agencies._ITEM_SPLIT):
        assert agencies._depth_split(text, offset, separators) == agencies._walk_depth_split(text, offset, separators)


def _line_clauses_by_scanning(text: str) -> list:
    out = []
    for hit in agencies._LINE_CLAUSE.finditer(text):  # every line tried, as before the role-word filter
        if len(hit.group(0)) > 200 or agencies._LABEL_START.match(hit.group(0)):
            continue
        out.append(agencies.Clause(hit.start(), hit.end() - hit.group(0).endswith("。"), line=True))
    return out


LINE_PIECES = ["由", "省公安厅", "牵头", "负责", "负总责", "会同", "按职责分工落实", "按职责分工负责", "分别负责", "，",
               "。", "；", "\n", "（一）", "1.", "（", "推进", "配合", "市财政局"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINE_PIECES), max_size=25))
def test_line_clauses_are_those_of_a_whole_text_scan(pieces):
    text = "".join(pieces)
    assert agencies._line_clauses(text) == _line_clauses_by_scanning(text)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_line_clauses_are_those_of_a_whole_text_scan_on_every_corpus(name):
    assert agencies._line_clauses(TEXTS[name]) == _line_clauses_by_scanning(TEXTS[name])


def _group_role_by_regex(group: str) -> str:
    """``_group_role`` as it was written with ``re`` (the reference of the string-method version)."""
    g = group.strip()
    if re.match(r"(?:牵头)(?:单位|部门)：", g) or re.search(r"(?:牵头(?:负责)?|负总责)$", g):
        return "lead"
    if re.match(r"(?:配合|协同|参与|协办)(?:单位|部门)：", g) or re.search(r"(?:配合|参与|协助)$", g):
        return "support"
    return "joint" if agencies._JOINT.search(g) else ""


ROLE_PIECES = ["牵头", "单位", "部门", "：", "配合", "协同", "参与", "协办", "负责", "负总责", "协助", "\n", " ",
               "省公安厅", "按职责分工", "分别负责", "、"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(ROLE_PIECES), max_size=8))
def test_group_role_is_the_regex_reading(pieces):
    group = "".join(pieces)
    assert agencies._group_role(group) == _group_role_by_regex(group)


# ---------------------------------------------------------------- clause readings, cached
def _clause_readings(accept, text: str, region: str | None, level: str) -> list:
    bodies = find_agencies(text, region, level)
    starts = [a.start for a in bodies]
    out = []
    for clause in agencies.find_clauses(text):
        lo, hi = agencies.bisect_left(starts, clause.start), agencies.bisect_left(starts, clause.end)
        found = accept(text, clause, bodies[lo:hi])
        out.append(None if found is None else (found[0], [(i.agency, i.role) for i in found[1]]))
    return out


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_cached_clause_readings_are_the_clause_readings_on_every_corpus(name):
    # the same text read twice (the second time from the cache) and again shifted by a prefix
    # (a cached reading rebuilt at other offsets) gives what _accept_clause reads afresh
    for text in (TEXTS[name], "（一）推进。\n" + TEXTS[name]):
        for region, level in PLACES[:4]:
            expected = _clause_readings(agencies._accept_clause, text, region, level)
            assert _clause_readings(agencies._accept_clause_cached, text, region, level) == expected
            assert _clause_readings(agencies._accept_clause_cached, text, region, level) == expected


def test_a_cached_clause_reading_is_keyed_by_what_follows_the_clause():
    # "（牵头）" right after a clause's last body makes that body lead, so the characters after
    # the clause are part of the key: the same clause text read with and without it differs
    readings = {}
    for tail in ("（牵头）", "（配合）", ""):
        text = "责任单位：省财政厅、省公安厅" + tail
        clause = agencies.Clause(0, len("责任单位：省财政厅、省公安厅"))
        inside = find_agencies(text, "湖北省", "provincial")
        fresh = agencies._accept_clause(text, clause, inside)
        cached = agencies._accept_clause_cached(text, clause, inside)
        assert (cached[0], [(i.agency, i.role) for i in cached[1]]) == (fresh[0], [(i.agency, i.role) for i in fresh[1]])
        readings[tail] = [(i.agency.raw, i.role) for i in cached[1]]
    assert readings["（牵头）"] == [("省财政厅", "support"), ("省公安厅", "lead")]
    assert readings[""] == [("省财政厅", "lead"), ("省公安厅", "support")]


def _starts_sentence_by_regex(text: str, pos: int) -> bool:
    """``_starts_sentence`` as it was, the line before ``pos`` always tried against ``_NUMBERING``."""
    if pos == 0 or text[pos - 1] in agencies._SUBJECT_BEFORE:
        return True
    if text[pos - 1] == "由" and (pos == 1 or text[pos - 2] in agencies._SUBJECT_BEFORE):
        return True
    line_start = text.rfind("\n", 0, pos) + 1
    return agencies._NUMBERING.fullmatch(text[line_start:pos]) is not None


SENTENCE_CHARS = list("（）一二十百123.．、。，；：\n由省公安厅 a") + ["４", "٣"]


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(SENTENCE_CHARS), max_size=30), st.integers(0, 30))
def test_starts_sentence_is_the_regex_reading(text, pos):
    pos = min(pos, len(text))
    assert agencies._starts_sentence(text, pos) == _starts_sentence_by_regex(text, pos)
    if pos and text[pos - 1] not in agencies._MAY_START:  # the test _prose_groups makes first
        assert not _starts_sentence_by_regex(text, pos)


def test_starts_sentence_after_item_numbers():
    # read off the forms: a body right after an item number starts its sentence, inside a line it does not
    for text in ("（三）省公安厅牵头", "12.省公安厅牵头", "3．省公安厅牵头", "二、省公安厅牵头", "４.省公安厅牵头"):
        assert agencies._starts_sentence(text, text.index("省"))
    for text in ("推进（三）省公安厅", "第12.省公安厅", "落户、省公安厅"):
        assert not agencies._starts_sentence(text, text.index("省"))


@pytest.mark.parametrize("name", sorted(TEXTS)[:12])
def test_task_locator_is_the_vectorised_innermost(name):
    import numpy as np

    text = TEXTS[name]
    _, tasks, _ = structure_rows(name, text)
    spans = TaskSpans.from_rows(tasks)
    positions = list(range(-1, len(text) + 2))
    expected = spans.innermost(np.array(positions), by="length").tolist()
    locate = agencies._TaskLocator(spans)
    assert [locate(p) for p in positions] == [(spans.ids[n], n) if n >= 0 else None for n in expected]
    assert any(n >= 0 for n in expected)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(CUE_PIECES + ["高标准", "标准", "在确保", "前提下"]), max_size=20),
       st.integers(0, 60), st.integers(0, 80))
def test_first_cue_is_the_first_of_every_cue(pieces, start, end):
    from urbanpolicy.extract.cues import CueSet
    from urbanpolicy.extract.directive import directive_cues

    text = "".join(pieces)
    start, end = min(start, len(text)), min(max(start, end), len(text))
    for cues in [*directive_cues().values(), CueSet.build(["标准", "确保"], exclude=["高标准"]), CueSet.build([])]:
        hits = cues.find(text, start, end)
        first = cues.first(text, start, end)
        assert (first.span(), first.group()) == (hits[0].span(), hits[0].group()) if hits else first is None


def test_every_label_holds_what_the_labelled_clauses_look_for_first():
    # _labelled_clauses skips a text without "单位：" / "部门：": every label the regex knows holds one
    words = re.findall(r"\(\?:([^()]*)\)", agencies._LABEL.pattern)
    labels = [a + b + "：" for a in words[0].split("|") for b in words[1].split("|")]
    assert len(labels) == 14 and all(agencies._LABEL.fullmatch(label) for label in labels)
    assert all("单位：" in label or "部门：" in label for label in labels)
    text = "（一）推进。\n牵头部门：省公安厅\n责任单位：省财政厅"
    assert [text[c.start:c.end] for c in agencies._labelled_clauses(text)] == ["牵头部门：省公安厅", "责任单位：省财政厅"]


def _prose(groups_of, text: str, bodies: list, free: list[bool]) -> tuple:
    free = list(free)
    groups = groups_of(text, bodies, free)
    return [([(i.agency, i.role) for i in g.items], g.open_list) for g in groups], free


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_prose_groups_are_the_reference_on_every_corpus(name):
    text = TEXTS[name]
    bodies = find_agencies(text, "湖北省", "provincial")
    rng = random.Random(name)
    for free in ([True] * len(bodies), [rng.random() < 0.7 for _ in bodies]):
        fast = _prose(agencies._prose_groups, text, bodies, free)
        assert fast == _prose(agencies._prose_groups_reference, text, bodies, free)


def test_the_seeds_hold_prose_subjects():
    # the comparison above would be empty without them: "公安部门研究出台…"-like subjects in the seeds
    found = 0
    for p in SEEDS.glob("*.txt"):
        bodies = find_agencies(TEXTS[p.name], "湖北省", "provincial")
        found += len(agencies._prose_groups(TEXTS[p.name], bodies, [True] * len(bodies)))
    assert found >= 5


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ["（一）", "1.", "由", "要会同", "研究出台", "以及"]), max_size=30))
def test_prose_groups_are_the_reference_on_random_register_texts(pieces):
    text = "".join(pieces)
    bodies = find_agencies(text, "湖北省", "provincial")
    free = [True] * len(bodies)
    assert _prose(agencies._prose_groups, text, bodies, free) == _prose(agencies._prose_groups_reference, text, bodies, free)
