"""Agencies: which government bodies a task assigns, and in what role.

Input is one clean document (simplified script, full-width punctuation) and its tasks
table from the structure stage. Output is one row per task × agency with a canonical
name from the register ``rules/agencies.csv`` and offsets back into the text.

Three kinds of evidence, in order of strength (``source``):

* ``clause`` – a responsibility clause: "（省公安厅、省教育厅、市州有关部门负责）",
  "（省财政厅牵头，省自然资源厅配合）", "牵头单位：…；配合单位：…", "责任单位：…".
  The first body named leads and the rest support, unless the clause says otherwise
  (牵头 / 配合 / 会同 / 按职责分工负责 / 分别负责).
* ``prose`` – a sentence whose subject is a body: "公安部门研究出台…",
  "市公安局要会同有关部门…".
* ``mention`` – any other body named in a task (e.g. "中央财政" in a national plan);
  its ``role`` is empty because the text does not give one.

The register holds provincial and municipal bodies once, with a ``{region}``
placeholder; "省" / "市" in what is written is resolved with the document's region, and
an explicit province or city name ("四川省住房和城乡建设厅") with that name.
"""

from __future__ import annotations

import csv
import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from typing import NamedTuple

import ahocorasick_rs
import pandas as pd

from urbanpolicy import schema
from urbanpolicy.extract.structure import TaskSpans
from urbanpolicy.rules.regions import NATIONAL, provinces
from urbanpolicy.rules.words import alternation

COLUMNS = schema.columns("assignments")
PROBLEM_KEYS = ["doc_id", "kind", "detail", "start", "end"]

# The fixed vocabulary of the register's ``function`` column: one policy domain per
# body, the same for a ministry, its provincial department and its generic form.
FUNCTIONS = (
    "agriculture_rural", "archives", "audit", "banking", "civil_affairs", "civil_air_defense",
    "civil_aviation", "commerce", "communications", "cultural_heritage", "culture_tourism",
    "customs", "cyberspace", "data_government_services", "defense", "development_reform",
    "discipline", "disease_control", "ecology_environment", "economic_affairs", "education",
    "emergency", "energy", "establishment", "ethnic_religious", "finance_fiscal",
    "financial_regulation", "foreign_affairs", "forestry_grassland", "general",
    "government_affairs", "grain_reserves", "health", "healthcare_security",
    "housing_provident_fund", "housing_urban_rural", "human_resources_social_security",
    "immigration", "industry_it", "intellectual_property", "justice", "local_government",
    "market_regulation", "mass_organization", "medical_products", "meteorology",
    "natural_resources", "organization", "petitions", "political_legal", "postal",
    "public_security", "publicity", "radio_television", "railway", "reform", "rural_affairs",
    "rural_revitalization", "science_technology", "securities_regulation", "sports",
    "state_assets", "state_security", "statistics", "taxation", "transport", "united_front",
    "urban_management", "urbanization", "veterans", "water",
)
UNKNOWN_FUNCTION = "unknown"
AGENCY_TYPES = (
    "department", "local government", "party organ", "enterprise or financial body",
    "coordination body", "other",
)
ROLES = ("lead", "support", "joint")

# The 34 provincial-level divisions: (full name, short name).
PROVINCES: tuple[tuple[str, str], ...] = provinces()  # (full, short) from the gazetteer, rules/regions.csv
_PROVINCE_BY_NAME = {name: full for full, short in PROVINCES for name in (full, short)}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# A wildcard in an alias ("人民银行*分行") stands for a short place name; it may not
# swallow a conjunction, or "人民银行和农发行湖北分行" would read as one branch.
_WILDCARD = rf"(?:(?![和及与等或])[{_CJK}]){{1,6}}?"
_PROVINCE_PREFIXES = ("省", "自治区")
_LOCAL_PREFIXES = ("市", "县")


# ---------------------------------------------------------------- register
def load_register() -> pd.DataFrame:
    """Return (a copy of) the agency register, one row per canonical body.

    Columns: key, level (national / provincial / municipal / generic), name (with a
    "{region}" placeholder below national level, a "*" for a branch's place name),
    aliases ("|"-separated, provincial ones written with 省, municipal with 市),
    name_en, function (one of ``FUNCTIONS``), agency_type (one of ``AGENCY_TYPES``).

    >>> load_register().set_index("key").loc["ndrc", "name"]
    '国家发展和改革委员会'
    """
    return _register().copy()


@lru_cache(maxsize=1)
def _register() -> pd.DataFrame:
    # package data, read once; callers get copies so the cache cannot be edited
    with files("urbanpolicy.rules").joinpath("agencies.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


@dataclass(frozen=True)
class _Entry:
    """One register row, as the matcher needs it."""

    key: str
    level: str
    name: str
    name_en: str
    function: str
    agency_type: str


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str]
    province_stems: dict[str, _Entry]   # "公安厅" -> provincial entry (written 省公安厅)
    local_stems: dict[str, _Entry]      # "公安局" -> municipal entry (written 市公安局)
    fixed: dict[str, _Entry]            # literal aliases
    wildcards: tuple[tuple[str, _Entry, str, str], ...]  # regex (compiled when first needed), entry, head, tail
    list_stems: dict[str, _Entry]       # "公安" -> generic entry, for "公安、民政等部门"
    list_item: re.Pattern[str]          # one such stem
    # Aho–Corasick automaton of the literal text every match of ``pattern`` begins with;
    # ``find_agencies`` tries ``pattern`` only where one of them starts
    starts: ahocorasick_rs.AhoCorasick


def _alternation(words: list[str]) -> str:
    """A regex matching any of ``words``, longest first where they share a start.

    Literal words become a trie ("省委(?:编办|财经办)?"): Python's regex engine does not
    factor alternations itself, and a flat list of a thousand aliases is tried one by one
    at every character. Wildcard words ("人民银行*分行") come first, before the literals
    they extend.
    """
    wild = sorted({w for w in words if "*" in w}, key=lambda w: (-len(w.replace("*", "")), w))
    parts = [_WILDCARD.join(map(re.escape, w.split("*"))) for w in wild]
    literal = _trie_regex({w for w in words if "*" not in w})
    return "|".join([*parts, literal] if literal else parts)


def _trie_regex(words: set[str]) -> str:
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(trie)


def _emit(node: dict) -> str:
    branches = [re.escape(ch) + _emit(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # A word may end here; trying the longer words first makes the match leftmost-longest.
    return f"(?:{body})?" if "" in node else body


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    province_stems: dict[str, _Entry] = {}
    local_stems: dict[str, _Entry] = {}
    fixed: dict[str, _Entry] = {}
    generic_forms: dict[str, _Entry] = {}
    for row in _register().itertuples(index=False):
        entry = _Entry(row.key, row.level, row.name, row.name_en, row.function, row.agency_type)
        for alias in filter(None, row.aliases.split("|")):
            if row.level == "provincial" and alias.startswith("省"):
                province_stems.setdefault(alias[1:], entry)
            elif row.level == "municipal" and alias.startswith("市"):
                local_stems.setdefault(alias[1:], entry)
            else:
                fixed.setdefault(alias, entry)
                if row.level == "generic" and alias.endswith("部门") and row.function != "general":
                    generic_forms[alias] = entry
    # "省发展改革部门", "市住建部门": a prefix before a generic form names that level's
    # department; the level's own register row wins when both exist.
    for form, entry in generic_forms.items():
        province_stems.setdefault(form, entry)
        local_stems.setdefault(form, entry)
    list_stems = {form[: -len("部门")]: entry for form, entry in generic_forms.items() if len(form) > 3}
    stems = _alternation(list(list_stems))
    province_prefixes = _alternation([*_PROVINCE_BY_NAME, *_PROVINCE_PREFIXES])
    # "省发展改革委、教育厅、公安厅": later items of a list often drop the 省 / 市.
    bare = [
        stem for stem in {*province_stems, *local_stems}
        if len(stem) >= 3 and stem[-1] in "厅委局办" and not stem.startswith("委") and stem not in generic_forms
    ]
    starts = [*list_stems, *fixed, *bare,
              *_prefixed_starts([*_PROVINCE_BY_NAME, *_PROVINCE_PREFIXES], province_stems),
              *_prefixed_starts(list(_LOCAL_PREFIXES), local_stems)]
    pattern = _start_lookahead(starts) + "(?:" + "|".join([
        # "农业农村、林草等部门", "民政、统计部门": several generic forms sharing one 部门.
        rf"(?P<list>(?:(?:{stems})[、和及与]){{1,15}}(?:{stems})(?:等)?部门|(?:{stems})等(?:部门|单位))",
        rf"(?P<pp>{province_prefixes})(?P<ps>{_alternation(list(province_stems))})",
        rf"(?P<lp>{'|'.join(_LOCAL_PREFIXES)})(?P<ls>{_alternation(list(local_stems))})",
        rf"(?P<bare>{_alternation(bare)})",
        rf"(?P<fx>{_alternation(list(fixed))})",
    ]) + ")"
    wildcards = tuple(
        (_alternation([alias]), entry, *alias.split("*", 1))
        for alias, entry in fixed.items()
        if "*" in alias
    )
    # a list begins with a stem and 、和及与 or 等: the bare stem (公安, 教育) is a common word
    heads = [*(stem + joint for stem in list_stems for joint in "、和及与等"), *fixed, *bare,
             *(p + stem for p in [*_PROVINCE_BY_NAME, *_PROVINCE_PREFIXES] for stem in province_stems),
             *(p + stem for p in _LOCAL_PREFIXES for stem in local_stems)]
    return _Matcher(
        re.compile(pattern), province_stems, local_stems, fixed, wildcards, list_stems, re.compile(stems),
        _head_automaton(_literal_heads(heads)),
    )


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled, once: a wildcard alias's pattern is needed only when a match uses it,
    and compiling its CJK class costs ~1 ms each (30 ms when the matcher is built in a new process).
    """
    return re.compile(pattern)


def _literal_heads(words: list[str]) -> list[str]:
    """The literal heads (text before a ``*`` wildcard) of ``words`` that do not begin with
    another head, sorted: at most one of them starts at any position of a text.

    Every alternative of the matcher's pattern begins with one of ``words`` (a list stem and
    its joining character, a prefix + stem, a bare stem, a fixed alias), so a position where
    no head starts cannot start a match.

    >>> _literal_heads(["公安厅", "公安*局", "公安", "教育厅"])
    ['公安', '教育厅']
    """
    heads = set()
    for word in words:
        head = word.split("*", 1)[0]
        if not head:  # a leading wildcard could start anywhere: no literal to look for
            raise ValueError(f"agency alias {word!r} begins with a wildcard")
        heads.add(head)
    kept: list[str] = []
    for head in sorted(heads):  # a word's shortest head-prefix sorts just before its extensions
        if not (kept and head.startswith(kept[-1])):
            kept.append(head)
    return kept


def _head_automaton(heads: list[str]) -> ahocorasick_rs.AhoCorasick:
    # Rust's aho-corasick crate (contiguous NFA: built in ~25 ms, scans 13 MB in ~50 ms); C
    # pyahocorasick scanned 2.5x slower, its nodes look a character up in a list of children
    return ahocorasick_rs.AhoCorasick(heads, implementation=ahocorasick_rs.Implementation.ContiguousNFA)


def _prefixed_starts(prefixes: list[str], stems: dict[str, _Entry]) -> set[str]:
    """The first two characters of every prefix + stem (enough for ``_start_lookahead``)."""
    return {p[:2] if len(p) >= 2 else p + stem[:1] for p in prefixes for stem in stems}


def _start_lookahead(words: list[str]) -> str:
    """A lookahead for the first two characters any of ``words`` can begin with.

    Most characters can start no body, and few pairs can; two class tests reject most
    positions before the engine tries the large alternations there.  A word whose first
    two characters are not both literal (a wildcard, a single character) keeps the test
    to the first character.
    """
    firsts = "".join(sorted({re.escape(w[0]) for w in words}))
    if any(len(w) < 2 or "*" in w[:2] for w in words):
        return f"(?=[{firsts}])"
    seconds = "".join(sorted({re.escape(w[1]) for w in words}))
    return f"(?=[{firsts}][{seconds}])"


# ---------------------------------------------------------------- regions
@lru_cache(maxsize=1)
def _prefectures() -> dict[str, str]:
    """City full name -> province, from the region gazetteer when it is there."""
    try:
        from urbanpolicy.rules.regions import gazetteer

        table = gazetteer()
    except (ImportError, FileNotFoundError, KeyError):  # the agency stage works without it
        return {}
    rows = table[table["level"] != "province"]
    return dict(zip(rows["name"], rows["province"], strict=True))


def _document_province(region: str | None) -> str | None:
    if not region or region == NATIONAL:
        return None
    if region in _PROVINCE_BY_NAME:
        return _PROVINCE_BY_NAME[region]
    return _prefectures().get(region)


def _is_local_region(region: str | None) -> bool:
    """True for a city or county (and the four municipalities), whose 市 is the region itself."""
    if not region or region == NATIONAL:
        return False
    return region not in _PROVINCE_BY_NAME or region in ("北京市", "天津市", "上海市", "重庆市")


# ---------------------------------------------------------------- matching
class Agency(NamedTuple):
    """One body found in the text: its span and canonical identity.

    A named tuple (immutable, compared by value): a corpus makes tens of thousands, and a
    tuple is built in a third of a frozen dataclass's time.
    """

    start: int
    end: int
    raw: str
    name: str
    name_en: str
    function: str
    agency_type: str
    known: bool = True


def _agency(start: int, raw: str, entry: _Entry, place: str | None, wildcard: str | None = None) -> Agency:
    name, name_en = _names(entry, place, wildcard)
    return Agency(start, start + len(raw), raw, name, name_en, entry.function, entry.agency_type)


@lru_cache(maxsize=8192)
def _names(entry: _Entry, place: str | None, wildcard: str | None) -> tuple[str, str]:
    """(name, name_en) of a register entry at a place; cached: a corpus names the same few
    hundred bodies tens of thousands of times, and the English name takes two regex calls."""
    name = entry.name
    if "{region}" in name:
        name = name.replace("{region}", place or "")
    elif place:  # a prefix before a generic form: 庆阳市 + 发展改革部门
        name = place + name
    if wildcard is not None:
        name = name.replace("*", wildcard)
    return name, _english_name(entry.name_en, place)


@lru_cache(maxsize=1)
def _english_places() -> dict[str, tuple[str, str]]:
    """Region name → (romanised short name, level) from the gazetteer."""
    from urbanpolicy.rules.regions import gazetteer

    table = gazetteer()
    return {r.name: (r.short_en, r.level) for r in table.itertuples(index=False) if r.short_en}


def _english_name(name_en: str, place: str | None) -> str:
    """Put the region into a register English name, as official names do.

    "Provincial Department of Public Security" in 湖北省 → "Hubei Provincial Department of
    Public Security"; "Municipal Public Security Bureau" in 庆阳市 → "Qingyang Municipal
    Public Security Bureau"; an autonomous region is "… Autonomous Regional …", a
    provincial-level municipality "… Municipal …".  Without a known place the register's
    generic name is kept.
    """
    found = _english_places().get(place or "")
    if not found:
        return name_en
    short, level = found
    if place.endswith("自治区"):
        adjective = f"{short} Autonomous Regional"
    elif level == "province" and place.endswith("省"):
        adjective = f"{short} Provincial"
    else:
        adjective = f"{short} Municipal"
    for generic in ("Provincial", "Municipal"):
        if re.search(rf"\b{generic}\b", name_en):
            return re.sub(rf"\b{generic}\b", adjective, name_en, count=1)
    return f"{short} {name_en}"


def _province_place(prefix: str, region: str | None) -> str:
    if prefix in _PROVINCE_BY_NAME:
        return _PROVINCE_BY_NAME[prefix]
    return _document_province(region) or prefix


def _local_place(prefix: str, region: str | None, level: str) -> str:
    if prefix == "市" and _is_local_region(region) and level != "county":
        return region or prefix
    if prefix == "县" and level == "county" and region:
        return region
    return prefix


def _city_before(text: str, pos: int) -> str | None:
    """The city name ending at ``pos`` (which holds 市), e.g. 庆阳 + 市公安局."""
    cities = _prefectures()
    for width in (2, 3, 4, 5, 6):
        name = text[max(0, pos - width + 1): pos + 1]
        if len(name) == width and name in cities:
            return name
    return None


def is_national_body(name: str) -> bool:
    """True when ``name`` is a national body of the register, or its general office.

    >>> is_national_body("财政部办公厅"), is_national_body("住房城乡建设部"), is_national_body("省财政厅")
    (True, True, False)
    """
    name = re.sub(r"(?:办公厅|办公室)$", "", name.strip()) or name
    entry = _matcher().fixed.get(name)
    return entry is not None and entry.level == "national"


def find_agencies(text: str, region: str | None = None, level: str = "provincial") -> list[Agency]:
    """Return every known body named in ``text``, in order, with canonical names.

    The matcher's pattern is tried only where the Aho–Corasick automaton of its literal heads
    finds one starting, leftmost first and never inside the previous match, which gives the
    matches of ``pattern.finditer`` (``find_agencies_reference``) at a third of the cost: the
    ``re`` scan tried the pattern's start test at every character.

    >>> [a.name for a in find_agencies("省公安厅、四川省住建厅", "湖北省")]
    ['湖北省公安厅', '四川省住房和城乡建设厅']
    """
    m = _matcher()
    found: list[Agency] = []
    append, match, new = found.append, m.pattern.match, tuple.__new__
    done = 0
    for start in sorted(map(_SECOND, m.starts.find_matches_as_indexes(text, overlapping=True))):
        if start < done:
            continue
        hit = match(text, start)
        if hit is None:
            continue
        done = hit.end()
        raw = hit.group(0)
        if raw[-1] == "委" and text[done: done + 1] == "托":
            continue  # "城市委托" is 委托 (entrust), not 市委
        city = _city_before(text, start) if hit.lastgroup == "ls" and raw[0] == "市" else None
        for offset, length, fields in _resolved(raw, region, level, city):
            # the named tuple's own __new__ is a Python function; tuple.__new__ builds the same value
            append(new(Agency, (start + offset, start + offset + length, *fields)))
    return found


_SECOND = operator.itemgetter(1)


@lru_cache(maxsize=65536)
def _resolved(raw: str, region: str | None, level: str, city: str | None) -> tuple[tuple, ...]:
    """``_resolve`` of a match whose text is ``raw`` (after ``city``, the city name ending with
    its 市), as (offset from the match's start, length, (raw, name, name_en, function, agency_type,
    known)) per body.

    A match and its groups depend only on the characters it covers (the pattern looks at
    nothing past them), so one resolution serves every place a name is written: a corpus
    names the same few hundred bodies tens of thousands of times.
    """
    m = _matcher()
    before = city[:-1] if city else ""
    hit = m.pattern.match(before + raw, len(before))
    if hit is None or hit.group(0) != raw:
        raise ValueError(f"{raw!r} is not a match of the agency pattern")
    return tuple((a.start - len(before), a.end - a.start, tuple(a[2:]))
                 for a in _resolve(hit, before + raw, m, region, level))


def find_agencies_reference(text: str, region: str | None = None, level: str = "provincial") -> list[Agency]:
    """The reference implementation of ``find_agencies`` (one ``re`` scan of the whole text),
    kept beside it until the Aho–Corasick path is proven on every corpus.

    >>> [a.name for a in find_agencies_reference("省公安厅、四川省住建厅", "湖北省")]
    ['湖北省公安厅', '四川省住房和城乡建设厅']
    """
    m = _matcher()
    found: list[Agency] = []
    for hit in m.pattern.finditer(text):
        if hit.group(0).endswith("委") and text[hit.end(): hit.end() + 1] == "托":
            continue  # "城市委托" is 委托 (entrust), not 市委
        found.extend(_resolve(hit, text, m, region, level))
    return found


def _resolve(hit: re.Match[str], text: str, m: _Matcher, region: str | None, level: str) -> list[Agency]:
    if hit.group("list"):
        return _split_list(hit, m)
    if hit.group("pp"):
        entry = m.province_stems[hit.group("ps")]
        place = _province_place(hit.group("pp"), region)
        return [_agency(hit.start(), hit.group(0), entry, place)]
    if hit.group("bare"):
        return _resolve_bare(hit, m, region, level)
    if hit.group("lp"):
        entry = m.local_stems[hit.group("ls")]
        start, place = hit.start(), _local_place(hit.group("lp"), region, level)
        if hit.group("lp") == "市":
            city = _city_before(text, start)
            if city:  # an explicit city name: 庆阳市公安局 is that city's bureau
                start, place = start - len(city) + 1, city
        return [_agency(start, text[start: hit.end()], entry, place)]
    raw = hit.group(0)
    entry = m.fixed.get(raw)
    if entry is not None:
        return [_agency(hit.start(), raw, entry, _implied_place(entry, region, level))]
    for pattern, entry, head, tail in m.wildcards:
        if _compiled(pattern).fullmatch(raw):
            return [_agency(hit.start(), raw, entry, None, raw[len(head): len(raw) - len(tail)])]
    return []  # unreachable: every alternative comes from the register


def _resolve_bare(hit: re.Match[str], m: _Matcher, region: str | None, level: str) -> list[Agency]:
    """A department written without 省 / 市 ("教育厅") belongs to the document's own level.

    厅 is a provincial rank, so "教育厅" is provincial anywhere; "发展改革委" or
    "公安局" is read only where the document's level says which body it is.
    """
    stem = hit.group(0)
    if level in ("municipal", "county") and stem in m.local_stems:
        return [_agency(hit.start(), stem, m.local_stems[stem], _local_place("市", region, level))]
    if stem in m.province_stems and (stem.endswith("厅") or level == "provincial"):
        return [_agency(hit.start(), stem, m.province_stems[stem], _province_place("省", region))]
    return []


def _implied_place(entry: _Entry, region: str | None, level: str) -> str | None:
    # Aliases without a prefix ("团省委") still belong to the document's own level.
    if entry.level == "provincial":
        return _province_place("省", region)
    if entry.level == "municipal":
        return _local_place("市", region, level)
    return None


def _split_list(hit: re.Match[str], m: _Matcher) -> list[Agency]:
    """"农业农村、林草等部门" -> 农业农村, 林草; "民政、统计部门" -> 民政, 统计部门."""
    body = hit.group(0)
    shared = len("部门") if body.endswith("部门") and not body.endswith("等部门") else 0
    items = list(m.list_item.finditer(body, 0, len(body) - shared))
    out = []
    for n, item in enumerate(items):
        # the last item carries the shared 部门 when it is not an open list
        end = item.end() + (shared if n == len(items) - 1 else 0)
        entry = m.list_stems[item.group(0)]
        out.append(_agency(hit.start() + item.start(), body[item.start(): end], entry, None))
    return out


# ---------------------------------------------------------------- clauses
@dataclass(frozen=True)
class Clause:
    """A responsibility clause: [start, end) covers its content without brackets."""

    start: int
    end: int
    damaged: bool = False
    bare: bool = False  # no role word: accepted only when it names known bodies and nothing else
    line: bool = False  # a line of its own: accepted only when every piece is a body or a role word


# A bracketed clause ends with its role word and "）", or with "。" when a carry-over
# sentence follows inside the bracket ("…等负责。以下任务均需…落实）"), or at the end of
# an excerpt that cut it off.
_ROLE_END = re.compile(
    r"(?:负责|牵头|配合|落实|参与|协助|承担)"
    r"(?:）|。(?=以下|除)|(?=\s*\Z)"
    # "（合肥市人民政府负责，2025年底前完成）": a deadline after the bodies stays out of the clause
    r"|(?=[，；](?=[^（）\n]{0,30}?(?:\d|年|月|前|底|持续|长期|坚持|完成|时限))[^（）\n]{0,30}?）))"
)
# Another field after the bodies in a labelled clause: "…；完成时限：2024年底前"
_OTHER_FIELD = re.compile(r"[；，;,\s]\s*(?:完成时限|完成时间|时间节点|时限要求|时限|进度安排|预期成果|工作目标|时间)[：:]")
_LABEL = re.compile(
    r"(?:牵头|责任|主责|配合|协同|参与|协办)(?:单位|部门)："
)
_BARE_END = re.compile(r"）(?=。?(?:\n|$))")
_SENTENCE_END = "。！？!?\n"
_ALLOWED_IN_CLAUSE = "、，；：“”（）"


def _is_garbage(ch: str) -> bool:
    # Mojibake leaves Latin, Greek or "?" behind; a clause holds only CJK and list punctuation.
    return not ("\u3400" <= ch <= "\u9fff" or ch in _ALLOWED_IN_CLAUSE)


def _clause_start(text: str, close: int, limit: int = 400) -> tuple[int, bool]:
    """Index after the "（" that opens the clause closed at ``close``; damaged flag.

    When the opening bracket was lost (mojibake), the clause starts after the previous
    sentence end or garbage character instead.  The nearest brackets are found with
    ``rfind`` and the stop characters with one ``re`` search; only a nested bracket before
    the close needs the character walk of ``_walk_clause_start``, which defines the result.
    """
    floor = max(0, close - limit)
    opened = text.rfind("（", floor, close)
    if text.rfind("）", floor, close) > opened:
        return _walk_clause_start(text, close, limit)
    low = opened + 1 if opened >= 0 else floor  # no bracket in text[low:close]: the walk keeps depth 0
    stop = _CLAUSE_STOP.search(text[low:close][::-1])  # the stop character nearest the close
    if stop:
        return close - stop.start(), True
    return (low, False) if opened >= 0 else (floor, True)


# what ends a clause's walk at depth 0: a sentence end or a garbage character (see _is_garbage)
_CLAUSE_STOP = re.compile(r"[^\u3400-\u9fff" + _ALLOWED_IN_CLAUSE + "]")


def _walk_clause_start(text: str, close: int, limit: int = 400) -> tuple[int, bool]:
    """``_clause_start`` character by character, counting brackets (the definition)."""
    depth, i, floor = 0, close - 1, max(0, close - limit)
    while i >= floor:
        ch = text[i]
        if ch == "）":
            depth += 1
        elif ch == "（":
            if depth == 0:
                return i + 1, False
            depth -= 1
        elif depth == 0 and (ch in _SENTENCE_END or _is_garbage(ch)):
            return i + 1, True
        i -= 1
    return floor, True


def find_clauses(text: str) -> list[Clause]:
    """Return the responsibility clauses of ``text`` in order.

    >>> t = "推进落户。（省公安厅、省教育厅负责）"
    >>> [t[c.start:c.end] for c in find_clauses(t)]
    ['省公安厅、省教育厅负责']
    """
    clauses = _labelled_clauses(text) + _line_clauses(text)
    taken = _Spans()
    for c in clauses:
        taken.add(c.start, c.end)
    for hit in _ROLE_END.finditer(text):
        # "…负责）" / "…负责。以下…" close at the bracket or stop; a cut or dated tail at the role word
        close = hit.end() - 1 if hit.group(0)[-1] in "）。" else hit.end()
        if taken.covers(close):
            continue
        start, damaged = _clause_start(text, close)
        if start < close:
            clauses.append(Clause(start, close, damaged))
            taken.add(start, close)
    # "（省发改委、省财政厅）" closing a paragraph names the responsible bodies too.
    for hit in _BARE_END.finditer(text):
        close = hit.start()
        if taken.covers(close):
            continue
        start, damaged = _clause_start(text, close)
        if not damaged and start < close:
            clauses.append(Clause(start, close, bare=True))
    return sorted(clauses, key=lambda c: c.start)


# A responsibility line of its own after a task's text: "由省公安厅牵头，会同省人力资源
#社会保障厅、民政厅及各省辖市、县（市）协同推进。", "省财政厅牵头，省税务局配合。",
# "市住建局负总责", "市发改委会同市财政局负责。", "省财政厅、省发展改革委按职责分工负责。"  Only bodies and role words may stand in it
# (checked when the clause is accepted), so a prose sentence "省公安厅牵头制定细则。" is not one.
_LINE_CLAUSE = re.compile(
    r"^(?:由[^。\n]{2,80}?(?:牵头|负责|负总责)"
    r"|[^。\n，（]{2,60}?(?:牵头|负总责)(?=[，。；]|$)"
    r"|[^。\n，（]{2,60}?会同[^。\n]{2,80}?负责(?=[。；]?$)"
    r"|[^。\n，（]{2,80}?(?:按职责分工负责|按职责分工落实|分别负责|共同负责|负责)(?=[。；]?$))"
    r"[^。\n]{0,120}?。?$",
    re.M,
)
_LABEL_START = re.compile(r"^(?:（[一二三四五六七八九十百\d]+）|\d+[.．、]|[一二三四五六七八九十]+、)")


def _line_clauses(text: str) -> list[Clause]:
    """Whole lines that only say who is responsible (see ``_LINE_CLAUSE``).

    Every alternative of ``_LINE_CLAUSE`` holds a role word of ``_LINE_ROLE`` and stays on
    its line, so it is tried only at the start of the lines holding one: what
    ``finditer`` over the whole text finds, without trying every line.
    """
    out: list[Clause] = []
    lines = sorted({text.rfind("\n", 0, m.start()) + 1 for m in _LINE_ROLE.finditer(text)})
    for line in lines:
        hit = _LINE_CLAUSE.match(text, line)
        if hit is None:
            continue
        if len(hit.group(0)) > 200 or _LABEL_START.match(hit.group(0)):
            continue  # a numbered item's first sentence is task text, however it begins
        end = hit.end() - (1 if hit.group(0).endswith("。") else 0)
        out.append(Clause(hit.start(), end, line=True))
    return out


_LINE_ROLE = re.compile("牵头|负责|负总责|按职责分工落实")


class _Spans:
    """The union of closed spans [s, e] taken so far, as sorted disjoint spans.

    ``covers`` is a binary search, so checking each new clause against every clause
    found before it (8,000 clauses: 32 million comparisons) is no longer quadratic.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def covers(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and self.ends[i] >= pos

    def add(self, start: int, end: int) -> None:
        i = bisect_left(self.starts, start)
        if i > 0 and self.ends[i - 1] >= start:  # overlaps the span before: merge into it
            i -= 1
            start = self.starts[i]
        j = i
        while j < len(self.starts) and self.starts[j] <= end:  # absorb the spans it overlaps
            end = max(end, self.ends[j])
            j += 1
        self.starts[i:j] = [start]
        self.ends[i:j] = [end]


def _labelled_clauses(text: str) -> list[Clause]:
    """"牵头单位：…；配合单位：…" up to the end of its line (one clause per line)."""
    out: list[Clause] = []
    if "单位：" not in text and "部门：" not in text:
        return out  # every label ends with one of them; most documents have none
    for hit in _LABEL.finditer(text):
        if out and hit.start() < out[-1].end:
            continue  # a second label on a line already taken
        ends = [i for i in (text.find("\n", hit.start()), text.find("。", hit.start())) if i >= 0]
        end = min(ends, default=len(text))
        other = _OTHER_FIELD.search(text, hit.end(), end)
        if other:
            end = other.start()
        while end > hit.start() and text[end - 1] in "。；":
            end -= 1
        opened = max(text.rfind("（", 0, hit.start()), text.rfind("【", 0, hit.start()))
        if opened >= 0 and text[opened + 1: hit.start()].strip() == "" and text[end - 1] in "）】":
            end -= 1  # "（牵头单位：…）", "【责任单位：…】"
        out.append(Clause(hit.start(), end))
    return out


_GROUP_SPLIT = "，；"
_ITEM_SPLIT = "、及和与"
_NOISE = re.compile(
    r"^(?:(?:牵头|责任|主责|配合|协同|参与|协办)(?:单位|部门)：)"
    r"|(?:按职责分工负责|按职责分工落实|按职责负责|分别负责|共同负责|各负其责|牵头负责|负总责|负责|牵头|配合|落实|参与|协助|承担"
    r"|(?:协同|协调|共同|组织|抓好)?(?:推进|实施|落实))$"
    r"|^(?:会同|由)|等(?:有关|相关)?(?:部门|单位|机构)?$|^（(?:牵头|配合|负责)）"
)
_OPEN_LIST = re.compile(r"等(?:有关|相关)?(?:部门|单位|机构)|等(?=[及和，；]|负责|牵头|配合)")
_JOINT = re.compile(r"按职责分工|分别负责|共同负责|各负其责|按职责负责")
# local governments written as units: "各省辖市", "县（市）", "各乡镇", "街道"
_LOCAL_UNIT = re.compile(r"(?:市|县|区|州|盟|旗|镇|乡|街道)(?:（[^（）]{1,8}）)?$")
_BODY_END = re.compile(r"(?:厅|局|委|办|部|会|院|行|司|团|政府|部门|单位|中心|公司|室|处|组|署|队)$")


@dataclass
class _Item:
    agency: Agency
    role: str  # lead / support / joint / "" (convention decides)


def _depth_split(text: str, offset: int, separators: str) -> list[tuple[int, str]]:
    """Split at separators outside brackets; return (absolute start, piece)."""
    if "（" not in text and "）" not in text:  # no brackets: every separator splits
        pieces, begin = [], offset
        for piece in _separator_class(separators).split(text):
            pieces.append((begin, piece))
            begin += len(piece) + 1
        return pieces
    return _walk_depth_split(text, offset, separators)


def _walk_depth_split(text: str, offset: int, separators: str) -> list[tuple[int, str]]:
    """``_depth_split`` character by character, counting brackets (the definition)."""
    pieces, depth, begin = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "（":
            depth += 1
        elif ch == "）":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            pieces.append((offset + begin, text[begin:i]))
            begin = i + 1
    pieces.append((offset + begin, text[begin:]))
    return pieces


@lru_cache(maxsize=8)
def _separator_class(separators: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(separators) + "]")


def _strip_noise(start: int, piece: str) -> tuple[int, str]:
    """Remove role words and 等部门 from both ends of a residue piece."""
    while True:
        hit = _NOISE.search(piece)
        if not hit or not hit.group(0):
            return start, piece
        if hit.start() == 0:
            start, piece = start + hit.end(), piece[hit.end():]
        else:
            piece = piece[: hit.start()]


_LEAD_LABELS = ("牵头单位：", "牵头部门：")
_SUPPORT_LABELS = tuple(f"{w}{u}：" for w in ("配合", "协同", "参与", "协办") for u in ("单位", "部门"))


def _group_role(group: str) -> str:
    g = group.strip()  # stripped: ending with a word is ending at it (no "$" before a newline)
    if g.startswith(_LEAD_LABELS) or g.endswith(("牵头", "牵头负责", "负总责")):
        return "lead"
    if g.startswith(_SUPPORT_LABELS) or g.endswith(("配合", "参与", "协助")):
        return "support"
    if _JOINT.search(g):
        return "joint"
    return ""


_LABEL_GAP = re.compile(r"\s+(?=(?:牵头|责任|主责|配合|协同|参与|协办)(?:单位|部门)：)")


def _clause_items(text: str, clause: Clause, agencies: list[Agency]) -> list[_Item]:
    """Bodies of one clause in order, known and unknown, with the roles their group gives."""
    items: list[_Item] = []
    content = text[clause.start: clause.end]
    # "牵头单位：X  配合单位：Y" on one line: the spaces before a label separate two groups
    content = _LABEL_GAP.sub(lambda m: "；" * len(m.group(0)), content)
    for g_start, group in _depth_split(content, clause.start, _GROUP_SPLIT):
        g_end = g_start + len(group)
        role = _group_role(group)
        inside = [a for a in agencies if g_start <= a.start and a.end <= g_end]
        together = group.find("会同")
        for a in sorted([*inside, *_residue(text, g_start, g_end, inside)], key=lambda a: a.start):
            a_role = role
            if together >= 0:  # "X会同Y": X leads, Y supports
                a_role = "lead" if a.start < g_start + together else "support"
            if text.startswith("（牵头）", a.end):  # "责任单位：省发改委（牵头）、省财政厅"
                a_role = "lead"
            items.append(_Item(a, a_role))
    return items


def _residue(text: str, start: int, end: int, inside: list[Agency]) -> list[Agency]:
    """Pieces of a clause group that are neither known bodies nor connecting words."""
    out: list[Agency] = []
    bounds = [start, *[x for a in inside for x in (a.start, a.end)], end]
    for lo, hi in zip(bounds[::2], bounds[1::2], strict=True):
        # 会同 joins two bodies like 、 does; same length keeps the offsets.
        # "参与" holds 与, which joins items elsewhere: read it as the role word it is
        chunk = text[lo:hi].replace("会同", "、、").replace("参与", "配合")
        for p_start, piece in _depth_split(chunk, lo, _ITEM_SPLIT):
            if not piece.strip():
                continue  # the gap "、" between two bodies: nothing could be left of it anyway
            p_start, piece = _strip_noise(p_start, piece)
            if piece.strip():
                function, agency_type = body_form(piece)
                out.append(Agency(p_start, p_start + len(piece), piece, piece, "", function, agency_type, False))
    return out


@lru_cache(maxsize=1)
def _body_forms() -> list[tuple[str, str, str]]:
    with files("urbanpolicy.rules").joinpath("body_forms.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return sorted(((r["suffix"], r["function"], r["agency_type"]) for r in rows), key=lambda r: -len(r[0]))


def body_form(name: str) -> tuple[str, str]:
    """(function, agency_type) of a body outside the register, read from its form.

    >>> body_form("兰州新区管委会"), body_form("农业银行庆阳分行"), body_form("某某办")
    (('local_government', 'local government'), ('banking', 'enterprise or financial body'), ('unknown', 'other'))
    """
    for suffix, function, agency_type in _body_forms():
        if name.endswith(suffix) or (suffix == "团委" and re.match(r"^(?:共青团|团[省市县区])", name)):
            return function, agency_type
    return UNKNOWN_FUNCTION, "other"


def _assign_roles(items: list[_Item]) -> None:
    """Convention: the first body leads, the rest support, unless roles were given."""
    explicit_lead = any(i.role == "lead" for i in items)
    for n, item in enumerate(i for i in items if not i.role):
        item.role = "lead" if n == 0 and not explicit_lead else "support"


# ---------------------------------------------------------------- prose
# A subject starts a sentence or clause; it is followed by a verb, not by 的 or a list.
_SUBJECT_BEFORE = "。；！？：，\n"
# "及时" is a verb phrase, "及" alone joins a list; "中央财政性建设资金" and
# "地方政府专项债券" name money, not an actor.
_NOT_VERB = re.compile(r"[的之、和与，。；：（）《》“”性]|及(?!时)|专项|资金|补助|债券")
_CONNECTOR = re.compile(r"要?(?:、|和|及|与|以及|会同|联合)")
_OPEN_AFTER = re.compile(r"等(?:有关|相关)?(?:部门|单位|机构)?")


_NUMBERING = re.compile(r"(?:（[一二三四五六七八九十百]+）|\d+[.．、]|[一二三四五六七八九十]+、)$")
_NUMBERING_LAST = "）.．、"  # every match of _NUMBERING ends with one of these
# the characters _starts_sentence accepts before a subject (a test made before calling it)
_MAY_START = _SUBJECT_BEFORE + "由" + _NUMBERING_LAST


def _starts_sentence(text: str, pos: int) -> bool:
    if pos == 0 or text[pos - 1] in _SUBJECT_BEFORE:
        return True
    if text[pos - 1] == "由" and (pos == 1 or text[pos - 2] in _SUBJECT_BEFORE):
        return True  # "由各市政府负总责": the agent after 由 is the subject
    if text[pos - 1] not in _NUMBERING_LAST:
        return False  # no item number ends here (and the slice below would copy a whole line)
    line_start = text.rfind("\n", 0, pos) + 1
    return _NUMBERING.fullmatch(text[line_start:pos]) is not None  # "1.省发改委牵头…"


@dataclass
class _Prose:
    items: list[_Item]
    open_list: bool


def _prose_groups(text: str, agencies: list[Agency], free: list[bool]) -> list[_Prose]:
    """Sentence subjects among the ``free`` agencies: "公安部门研究出台…"."""
    groups: list[_Prose] = []
    # the free bodies that may start a sentence, found in one pass; a group only ever marks
    # itself and the bodies after its first as taken, which the walk below then skips
    candidates = [i for i, a in enumerate(agencies)
                  if free[i] and (not a.start or text[a.start - 1] in _MAY_START)]
    following = 0  # agencies[:following] were read as members of a group
    for i in candidates:
        if i < following or not _starts_sentence(text, agencies[i].start):
            continue
        group, last = _group_from(text, agencies, free, i)
        if group is not None:
            groups.append(group)
            following = last + 1
    return groups


def _prose_groups_reference(text: str, agencies: list[Agency], free: list[bool]) -> list[_Prose]:
    """The reference implementation of ``_prose_groups`` (a walk over every body), kept until
    the walk over the candidates is proven on every corpus."""
    groups: list[_Prose] = []
    i = 0
    while i < len(agencies):
        if not free[i] or not _starts_sentence(text, agencies[i].start):
            i += 1
            continue
        group, last = _group_from(text, agencies, free, i)
        if group is None:
            i += 1
            continue
        groups.append(group)
        i = last + 1
    return groups


def _group_from(text: str, agencies: list[Agency], free: list[bool], i: int) -> tuple[_Prose | None, int]:
    """The subject group that starts with ``agencies[i]`` (it and the free bodies joined to it by
    connectors, marked taken) and the position of its last member; (None, i) when no verb follows."""
    members, gaps, j = [agencies[i]], [], i
    while j + 1 < len(agencies) and free[j + 1]:
        gap = text[agencies[j].end: agencies[j + 1].start]
        if not _CONNECTOR.fullmatch(gap):
            break
        gaps.append(gap)
        members.append(agencies[j + 1])
        j += 1
    after = members[-1].end
    opened = _OPEN_AFTER.match(text, after)
    if opened and opened.group(0):
        after = opened.end()
    led = any("会同" in g for g in gaps)  # "X要会同Y，…" names its verb later
    if after >= len(text) or (not led and _NOT_VERB.match(text, after)):
        return None, i
    for k in range(i, j + 1):
        free[k] = False
    return _Prose(_prose_roles(members, gaps, text[after: after + 4]), bool(opened and opened.group(0))), j


def _prose_roles(members: list[Agency], gaps: list[str], verb: str) -> list[_Item]:
    together = next((n for n, g in enumerate(gaps) if "会同" in g), None)
    if together is not None:  # "市公安局要会同有关部门": the first leads
        return [_Item(a, "lead" if n <= together else "support") for n, a in enumerate(members)]
    if verb.startswith("牵头"):
        return [_Item(a, "lead") for a in members]
    if verb.startswith(("配合", "协助")):
        return [_Item(a, "support") for a in members]
    if len(members) == 1:
        return [_Item(members[0], "lead")]
    return [_Item(a, "joint") for a in members]  # parallel subjects share the task


# ---------------------------------------------------------------- tasks
class _TaskLocator:
    """Innermost (shortest) task containing a position; the first of equally short ones.

    Each position is looked up as ``TaskSpans.innermost_at`` does (a binary search between the
    task boundaries, computed once per document): a document asks for a few dozen positions,
    fewer than make a NumPy array and a dict of the answers worth building.
    """

    def __init__(self, spans: TaskSpans) -> None:
        self.ids = spans.ids
        # innermost_at's boundaries and answers, taken once instead of asked for at every call
        self.boundaries, self.answers = spans._segments("length")

    def __call__(self, pos: int) -> tuple[object, int] | None:
        # a binary search between precomputed task boundaries (TaskSpans.innermost_at): a call
        # no longer scans every task, which made long documents quadratic
        segment = bisect_right(self.boundaries, pos) - 1
        n = self.answers[segment] if segment >= 0 else -1
        return (self.ids[n], n) if n >= 0 else None


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    # Bodies inside 《…》 are part of a cited title, not actors of the task.
    return [(m.start(), m.end()) for m in re.finditer(r"《[^《》\n]*》", text)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    i = bisect_left(spans, (pos + 1, -1)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


# ---------------------------------------------------------------- public API
_NAME_BRACKETS = str.maketrans({"〔": "（", "〕": "）", "[": "（", "]": "）"})
_SOURCE_RANK = {"clause": 0, "carry_over": 1, "prose": 2, "mention": 3}
# A rule inside a clause that names bodies for every later task: "以下任务均需各省级有关部门
# 落实，不再列出", "以下任务除已明确市州政府的，均需各市州政府、兰州新区管委会落实".
# The bodies apply to the later tasks at the same depth (``source`` carry_over); a task that
# names the body itself keeps its own row (clause beats carry_over).
_CARRY_OVER = re.compile(
    r"以下(?:各项|所列)?(?:任务|工作|事项|措施)[^。）\n]{0,40}?(?:均需|均由|均请|均要|需|由)"
    r"(?P<bodies>(?:[^。（）\n]|（[^（）\n]{0,10}）){2,80}?)(?:负责|落实|承担|实施|推进|落?(?=[。）\n，]|\Z))"
)


def assignment_rows(
    doc_id: str, text: str, spans: TaskSpans, region: str | None, level: str
) -> tuple[list[dict], list[dict]]:
    """Return (assignments, problems) of one clean document: one row per task × agency.

    The agencies stage's entry point (``load_corpus`` calls it per document and builds the
    table with ``schema.frame``).  Rows are dicts keyed by ``COLUMNS``, already in table
    order, with ``text[start:end] == agency_raw``; ``spans`` are the document's tasks
    (``TaskSpans.from_rows`` of ``structure_rows``).  ``problems`` are dicts with keys doc_id,
    kind (unknown_agency / open_list / damaged_clause / clause_outside_task), detail, start, end.

    >>> t = "（一）放开落户。取消限制。（省公安厅、市州有关部门负责）"
    >>> spans = TaskSpans.from_rows([{"task_id": "d-1", "start": 0, "end": len(t)}])
    >>> rows, _ = assignment_rows("d", t, spans, "湖北省", "provincial")
    >>> [(r["agency"], r["role"]) for r in rows]
    [('湖北省公安厅', 'lead'), ('市州有关部门', 'support')]
    """
    return _assignment_rows(doc_id, text, spans, region, level, _round_name_brackets, find_agencies,
                            _accept_clause_cached, _prose_groups)


def assignment_rows_reference(
    doc_id: str, text: str, spans: TaskSpans, region: str | None, level: str
) -> tuple[list[dict], list[dict]]:
    """The reference implementation of ``assignment_rows`` (``str.translate`` of the brackets,
    ``find_agencies_reference``, ``_accept_clause`` read afresh for every clause,
    ``_prose_groups_reference``), kept until the
    faster path is proven on every corpus.

    >>> t = "（一）放开落户。取消限制。（省公安厅、市州有关部门负责）"
    >>> spans = TaskSpans.from_rows([{"task_id": "d-1", "start": 0, "end": len(t)}])
    >>> assignment_rows_reference("d", t, spans, "湖北省", "provincial") == assignment_rows("d", t, spans, "湖北省", "provincial")
    True
    """
    return _assignment_rows(doc_id, text, spans, region, level,
                            lambda t: t.translate(_NAME_BRACKETS), find_agencies_reference, _accept_clause,
                            _prose_groups_reference)


def _round_name_brackets(text: str) -> str:
    """``text.translate(_NAME_BRACKETS)``: four ``str.replace`` calls, each a C loop, where
    ``translate`` looks every character of the document up in a dict (0.2 s over 13 MB)."""
    return text.replace("〔", "（").replace("〕", "）").replace("[", "（").replace("]", "）")


def _assignment_rows(
    doc_id: str, text: str, spans: TaskSpans, region: str | None, level: str,
    round_brackets: Callable[[str], str], find: Callable[..., list[Agency]],
    accept: Callable[..., tuple[Clause, list[_Item]] | None],
    prose_groups: Callable[[str, list[Agency], list[bool]], list[_Prose]],
) -> tuple[list[dict], list[dict]]:
    original = text
    # "各县〔市、区〕人民政府": scraped lists write the round brackets of a body's name as 〔〕 or
    # [], which the register and the clause rules know as （）; one-for-one, so offsets hold
    text = round_brackets(text)
    agencies = find(text, region, level)
    starts = [a.start for a in agencies]
    locate = _TaskLocator(spans)
    free = [True] * len(agencies)
    rows: list[tuple[tuple[int, int, int], dict]] = []
    problems: list[dict] = []

    def problem(kind: str, detail: str, start: int, end: int) -> None:
        problems.append({"doc_id": doc_id, "kind": kind, "detail": detail, "start": start, "end": end})

    def emit(items: list[_Item], source: str, open_list: bool) -> None:
        task = locate(items[0].agency.start)
        for item in items:
            rows.append(_row(doc_id, task, item, source, open_list))

    for clause in find_clauses(text):
        lo, hi = bisect_left(starts, clause.start), bisect_left(starts, clause.end)
        found = accept(text, clause, agencies[lo:hi])
        if found is None:
            continue
        clause, items = found
        unknown = [i.agency for i in items if not i.agency.known]
        free[lo:hi] = [False] * (hi - lo)
        content = text[clause.start: clause.end]
        if locate(clause.start) is None:
            if _under_title(text, clause):  # "（县自然资源局牵头）" under an annex's title
                emit(items, "clause", bool(_OPEN_LIST.search(content)))
            else:
                problem("clause_outside_task", content, clause.start, clause.end)
            continue
        if clause.damaged:
            problem("damaged_clause", f"opening bracket lost before: {content}", clause.start, clause.end)
        opened = bool(_OPEN_LIST.search(content))
        if opened:
            problem("open_list", content, clause.start, clause.end)
        for u in unknown:
            problem("unknown_agency", f"{u.raw} (in: {content})", u.start, u.end)
        emit(items, "clause", opened)

    for rule in _CARRY_OVER.finditer(text):
        lo, hi = bisect_left(starts, rule.start("bodies")), bisect_left(starts, rule.end("bodies"))
        span = Clause(rule.start("bodies"), rule.end("bodies"))
        bodies = [i.agency for i in _clause_items(text, span, [a for a in agencies[lo:hi] if a.end <= span.end])
                  if i.agency.known or _BODY_END.search(i.agency.raw) or _LOCAL_UNIT.search(i.agency.raw)]
        for k in range(lo, hi):
            free[k] = False  # named for the tasks that follow, not for the one holding the rule
        if not bodies:
            continue
        problem("carry_over", rule.group(0), rule.start(), rule.end())
        holder = locate(rule.start())
        depth = int(spans.depths[holder[1]]) if holder is not None else 1
        for n in range(len(spans)):
            if spans.starts[n] > rule.end() and int(spans.depths[n]) == depth:
                for a in bodies:
                    rows.append(_row(doc_id, (spans.ids[n], n), _Item(a, "support"), "carry_over", False))

    for group in prose_groups(text, agencies, free):
        if locate(group.items[0].agency.start) is not None:
            emit(group.items, "prose", group.open_list)

    quoted = _quoted_spans(text)
    for k, a in enumerate(agencies):
        if free[k] and not _inside(a.start, quoted):
            task = locate(a.start)  # emit's lookup, done once
            if task is not None:
                rows.append(_row(doc_id, task, _Item(a, ""), "mention", False))
    finished = _finish(rows)
    if text != original:  # as written: text[start:end] == agency_raw
        for row in finished:
            row["agency_raw"] = original[row["start"]: row["end"]]
    return finished, problems


_TITLE_ABOVE = re.compile(rf"(?:{alternation('genre_words')})(?:（[^（）]{{1,20}}）)?$")


def _under_title(text: str, clause: Clause) -> bool:
    """True for a clause standing as a bracketed line right under a document or annex title.

    Such a clause names who leads the document as a whole; its rows have no task.
    """
    line_start = text.rfind("\n", 0, clause.start) + 1
    line_end = text.find("\n", clause.end)
    line = text[line_start: len(text) if line_end < 0 else line_end].strip()
    if not (line.startswith("（") and line.endswith("）")) or line_start == 0:
        return False
    above_start = text.rfind("\n", 0, line_start - 1) + 1
    above = text[above_start: line_start - 1].strip()
    return bool(above) and not re.search(r"[。；！？：]", above) and bool(_TITLE_ABOVE.search(above))


def _accept_clause(text: str, clause: Clause, inside: list[Agency]) -> tuple[Clause, list[_Item]] | None:
    """The clause (trimmed when damaged) and its bodies with roles; None when it names none."""
    inside = [a for a in inside if a.end <= clause.end]
    if clause.damaged:
        if not inside:
            return None
        clause = replace(clause, start=inside[0].start)  # drop mojibake before the first body
    items = _clause_items(text, clause, inside)
    unknown = [i.agency for i in items if not i.agency.known]
    if not items or (clause.bare and unknown):
        return None
    if clause.line and not all(_BODY_END.search(u.raw) or _LOCAL_UNIT.search(u.raw) for u in unknown):
        return None  # a sentence with a verb, not a list of bodies
    if len(unknown) == len(items) and not all(_BODY_END.search(u.raw) for u in unknown):
        return None  # e.g. "（由企业自主负责）" is not a list of bodies
    _assign_roles(items)
    return clause, items


def _accept_clause_cached(text: str, clause: Clause, inside: list[Agency]) -> tuple[Clause, list[_Item]] | None:
    """``_accept_clause``, read once per distinct clause: the same "（省发展改革委、省财政厅负责）"
    closes task after task and document after document.

    The reading depends only on the clause's characters, the four after it (a "（牵头）" may
    follow its last body), its flags and where the bodies found in it lie, all taken relative
    to the clause's start: of a found body it reads only the span (its ``raw`` is the text
    there, and it is ``known``), and passes the body itself on.  The result is stored relative
    too: each item is the index of a found body, or an unknown piece to rebuild at this
    clause's offsets; fresh ``_Item`` objects every time.
    """
    s, e = clause.start, clause.end
    inside = [a for a in inside if a.end <= e]
    key = (text[s: e + 4], e - s, clause.damaged, clause.bare, clause.line,
           tuple([x - s for a in inside for x in (a.start, a.end)]))
    reading = _clause_reading(key)
    if reading is None:
        return None
    shift, relative = reading
    items = []
    for index, role, piece in relative:
        if index >= 0:
            items.append(_Item(inside[index], role))
        else:
            p_start, p_end, *rest = piece
            items.append(_Item(Agency(p_start + s, p_end + s, *rest), role))
    return replace(clause, start=s + shift) if shift else clause, items


@lru_cache(maxsize=16384)
def _clause_reading(key: tuple) -> tuple[int, tuple[tuple, ...]] | None:
    """``_accept_clause`` of the clause ``key`` describes (see ``_accept_clause_cached``), relative
    to the clause's start: (shift of the start, (index of the found body or -1, role, the unknown
    piece's Agency fields or None) per item)."""
    content, end, damaged, bare, line, spans = key
    inside = [Agency(a_start, a_end, content[a_start:a_end], "", "", "", "")
              for a_start, a_end in zip(spans[::2], spans[1::2], strict=True)]
    found = _accept_clause(content, Clause(0, end, damaged, bare, line), inside)
    if found is None:
        return None
    clause, items = found
    by_identity = {id(a): n for n, a in enumerate(inside)}
    return clause.start, tuple(
        (by_identity[id(i.agency)], i.role, None) if id(i.agency) in by_identity else (-1, i.role, tuple(i.agency))
        for i in items)


def _row(doc_id: str, task: tuple[object, int] | None, item: _Item, source: str, open_list: bool
         ) -> tuple[tuple[int, int, int], dict]:
    """(sort key: task order, source rank, start; the row in table order, position to come)."""
    a = item.agency
    return (-1 if task is None else task[1], _SOURCE_RANK[source], a.start), {
        "doc_id": doc_id,
        "task_id": None if task is None else task[0],
        "position": 0,
        "agency_raw": a.raw,
        "agency": a.name,
        "agency_en": a.name_en,
        "function": a.function,
        "agency_type": a.agency_type,
        "role": item.role or None,
        "source": source,
        "open_list": open_list,
        "start": a.start,
        "end": a.end,
    }


def _finish(rows: list[tuple[tuple[int, int, int], dict]]) -> list[dict]:
    """One row per task × agency (clause beats prose beats mention), numbered in order.

    Every row has a task: the loader emits only rows whose position lies in a task.
    """
    rows = sorted(rows, key=_SORT_KEY)
    kept: list[dict] = []
    seen: set[tuple[object, str]] = set()
    positions: dict[tuple[object, str], int] = {}
    for _, row in rows:
        task = row["task_id"]
        key = (task, row["agency"])
        if key in seen:
            continue
        seen.add(key)
        group = (task, row["source"])
        row["position"] = positions[group] = positions.get(group, 0) + 1
        kept.append(row)
    return kept


_SORT_KEY = operator.itemgetter(0)
