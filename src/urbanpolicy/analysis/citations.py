"""Citation completeness: every cited document, how often it is cited, and whether the folder has it.

Policy documents vanish from the web quickly, so a researcher needs to know which cited
documents are missing from their folder.  ``citations(corpus)`` merges the citations of
one document however it is cited (by 发文字号, by title, or both: a title seen anywhere
with a number is that number's document), parses its 发文字号 into issuer code, issuer,
year and serial number, and says whether it is in the corpus.  ``missing_citations``
keeps the ones that are not, most cited first.

Issuer codes (国发, 发改规划, 甘政办发 …) are read with ``rules/doc_number_prefixes.csv``
(national bodies and the provinces' one-character names); a city's code (庆政发) is
resolved when a document of that city in the corpus uses the same code in its own
number (庆政办发〔2022〕44号 is Qingyang's).
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from ..extract.cues import rules_path

CITATION_COLUMNS = ["cited_key", "cited_title", "cited_number", "issuer_code", "issuer", "year", "serial",
                    "in_corpus", "cited_doc_id", "n_citing_docs", "n_mentions", "citing_docs"]
_NUMBER = re.compile(r"^(?P<code>[\u4e00-\u9fff]{1,12}?)\s*〔(?P<year>\d{4})〕\s*(?P<serial>\d{1,5})\s*号$")
_ORGANS = [("政办发", "人民政府办公厅"), ("府办发", "人民政府办公厅"), ("政办函", "人民政府办公厅"),
           ("政发", "人民政府"), ("府发", "人民政府"), ("政函", "人民政府"), ("发改", "发展和改革委员会")]


@lru_cache(maxsize=1)
def _prefixes() -> pd.DataFrame:
    table = pd.read_csv(rules_path("doc_number_prefixes.csv"), dtype=str).fillna("")
    return table.assign(length=table["prefix"].str.len()).sort_values("length", ascending=False)


def _organ(rest: str, place: str) -> str | None:
    for code, organ in _ORGANS:
        if rest.startswith(code):
            if organ == "人民政府办公厅" and place.endswith("市") and not place.endswith(("北京市", "天津市", "上海市", "重庆市")):
                organ = "人民政府办公室"  # a city's general office is a 办公室
            return place + organ
    return None


def parse_doc_number(number: str | None, local_codes: dict[str, str] | None = None) -> dict:
    """Issuer code, issuer, year and serial of a 发文字号.

    ``local_codes`` maps a place code (庆) to a region (庆阳市); see ``local_place_codes``.

    >>> parse_doc_number("发改规划〔2021〕493号")["issuer"]
    '国家发展和改革委员会'
    >>> parse_doc_number("甘政办发〔2017〕158号")["issuer"]
    '甘肃省人民政府办公厅'
    >>> parse_doc_number("庆政发〔2017〕34号", {"庆": "庆阳市"})["issuer"]
    '庆阳市人民政府'
    """
    empty = {"issuer_code": None, "issuer": None, "year": None, "serial": None}
    m = _NUMBER.match(number.strip()) if isinstance(number, str) else None
    if not m:
        return empty
    code = m.group("code")
    issuer = None
    for row in _prefixes().itertuples(index=False):
        if code.startswith(row.prefix):
            issuer = row.name if row.kind == "body" else _organ(code[len(row.prefix):], row.name)
            break
    if issuer is None:
        for place_code, region in (local_codes or {}).items():
            if code.startswith(place_code):
                issuer = _organ(code[len(place_code):], region)
                break
    return {"issuer_code": code, "issuer": issuer, "year": int(m.group("year")), "serial": int(m.group("serial"))}


def local_place_codes(documents: pd.DataFrame) -> dict[str, str]:
    """Place codes read from the corpus's own numbers: 庆政办发〔2022〕44号 of a 庆阳市 document → {"庆": "庆阳市"}."""
    codes = {}
    for number, region in zip(documents["doc_number"], documents["region"], strict=True):
        m = _NUMBER.match(number) if isinstance(number, str) else None
        if not m or not isinstance(region, str):
            continue
        organ = re.search(r"(?:政办|府办|政|府|办)", m.group("code"))
        if organ and organ.start() > 0:
            codes[m.group("code")[:organ.start()]] = region
    return codes


def citations(corpus) -> pd.DataFrame:
    """One row per cited document, most cited first.

    Returns columns cited_key (its number when known, else its title), cited_title,
    cited_number, issuer_code/issuer/year/serial (parsed from the number), in_corpus,
    cited_doc_id, n_citing_docs (documents citing it), n_mentions (citations in all)
    and citing_docs ("、"-joined doc_ids).  A corpus document's own citations of itself
    (a 印发 notice naming its attachment) are left out.

    >>> import urbanpolicy as up                                        # doctest: +SKIP
    >>> up.citations(up.load_corpus()).query("not in_corpus").head()    # doctest: +SKIP
    """
    refs = corpus.references
    own = [isinstance(cited, str) and cited == doc for cited, doc in zip(refs["cited_doc_id"], refs["doc_id"], strict=True)]
    refs = refs[pd.Series([not x for x in own], index=refs.index, dtype=bool)]  # a bare [] would select columns
    title_to_number = {t: n for t, n in zip(refs["cited_title"], refs["cited_number"], strict=True)
                       if isinstance(t, str) and isinstance(n, str)}
    local = local_place_codes(corpus.documents)
    groups: dict[str, dict] = {}
    for row in refs.itertuples(index=False):
        number = row.cited_number if isinstance(row.cited_number, str) else title_to_number.get(row.cited_title)
        key = number or row.cited_title
        if not isinstance(key, str):
            continue
        g = groups.setdefault(key, {"cited_key": key, "cited_title": None, "cited_number": number,
                                    "cited_doc_id": None, "citing": [], "n_mentions": 0})
        if isinstance(row.cited_title, str) and (g["cited_title"] is None or len(row.cited_title) > len(g["cited_title"])):
            g["cited_title"] = row.cited_title
        if isinstance(row.cited_doc_id, str):
            g["cited_doc_id"] = row.cited_doc_id
        g["citing"].append(row.doc_id)
        g["n_mentions"] += 1
    rows = []
    for g in groups.values():
        citing = list(dict.fromkeys(g.pop("citing")))
        rows.append({**g, **parse_doc_number(g["cited_number"], local), "in_corpus": g["cited_doc_id"] is not None,
                     "n_citing_docs": len(citing), "citing_docs": "、".join(citing)})
    out = pd.DataFrame(rows, columns=CITATION_COLUMNS)
    out = out.astype({"in_corpus": bool, "n_citing_docs": "int64", "n_mentions": "int64",
                      "year": "Int64", "serial": "Int64"})
    return out.sort_values(["n_citing_docs", "n_mentions", "cited_key"], ascending=[False, False, True],
                           kind="stable").reset_index(drop=True)


def missing_citations(corpus) -> pd.DataFrame:
    """The cited documents the corpus lacks, most cited first (what to collect next)."""
    cited = citations(corpus)
    return cited[~cited["in_corpus"]].reset_index(drop=True)
