"""Short human names for documents: region · issuer · year and the document's genre.

Reports name a document by a label a reader recognises — "湖北·省发改委·2021 工作要点"
rather than ``000_d903ec7be93ef826`` or a 50-character title — with the full title on
hover.  ``short_names`` computes them once, when the corpus is loaded, in Chinese
(``documents.short_name``) and English (``documents.short_name_en``).

The rule follows the forms of the genre's titles, not one file's wording:

* the title proper is the quoted title of a forwarding notice (关于印发《…》的通知,
  征求《…》意见的函) or what follows 关于, without a trailing 的通知/的函;
* its genre is the word it ends with (工作要点, 实施方案, 实施意见, 行动计划, 规划 …);
  a draft (征求意见稿) keeps that mark; a title without a known genre word is cut to
  eight characters;
* the issuer loses its region's name (湖北省发改委 → 省发改委, 庆阳市人民政府办公室 →
  市政府办公室), 人民政府 becomes 政府, and a long issuer is cut to ten characters;
* national documents carry no region (their issuer says 国务院, 国家…);
* the year is the issue year, else the publication year;
* a document from which none of these could be read is named by its file name;
* two documents with the same label are told apart by " (2)", " (3)" in corpus order.

>>> short_title("省发改委关于印发2021年全省新型城镇化和城乡融合发展工作要点的通知")
('工作要点', 'work points')
>>> short_issuer("庆阳市人民政府办公室", "庆阳市", "庆阳")
'市政府办公室'
"""

from __future__ import annotations

import re

import pandas as pd

# longest first, so 实施意见 wins over 意见
GENRES: dict[str, str] = {
    "工作要点": "work points", "实施方案": "implementation plan", "实施意见": "implementing opinions",
    "行动计划": "action plan", "行动方案": "action plan", "指导意见": "guiding opinions",
    "若干措施": "measures", "若干意见": "opinions", "管理办法": "administrative measures",
    "实施细则": "implementing rules", "重点任务": "key tasks", "规划纲要": "plan outline",
    "规划": "plan", "纲要": "outline", "意见": "opinions", "方案": "plan", "通知": "notice",
    "办法": "measures", "决定": "decision", "细则": "detailed rules", "计划": "plan", "要点": "key points",
    "措施": "measures", "条例": "regulations", "报告": "report", "函": "letter",
}
_GENRE_ORDER = sorted(GENRES, key=len, reverse=True)
_QUOTED = re.compile(r"《([^》]+)》")
_DRAFT = re.compile(r"[（(]\s*(?:征求意见稿|送审稿|草案|试行)\s*[）)]")
_TAIL = re.compile(r"(?:的通知|的函|的决定|的批复|意见的函)$")
_LEVEL_CHAR = {"province": "省", "prefecture": "市", "county": "县"}
MAX_ISSUER = 10


def short_title(title: object) -> tuple[str, str]:
    """The genre word of a title (zh, en), with a draft mark; the first 8 characters when no genre.

    >>> short_title("湖南省…关于征求《2021年湖南省新型城镇化工作要点（征求意见稿）》意见的函")
    ('工作要点（征求意见稿）', 'work points (draft)')
    """
    text = title.strip() if isinstance(title, str) else ""
    if not text:
        return "", ""
    quoted = _QUOTED.search(text)
    if quoted and re.search(r"印发|转发|征求|关于", text[: quoted.start()]):
        text = quoted.group(1)
    elif "关于" in text:
        text = text.split("关于", 1)[1]
    text = _TAIL.sub("", text)
    draft = _DRAFT.search(text)
    text = _DRAFT.sub("", text).strip()
    mark_zh, mark_en = ("（征求意见稿）", " (draft)") if draft and "征求" in draft.group(0) else ("", "")
    for genre in _GENRE_ORDER:
        if text.endswith(genre):
            return genre + mark_zh, GENRES[genre] + mark_en
    cut = text if len(text) <= 8 else text[:7] + "…"
    return cut + mark_zh, "document" + mark_en


def short_issuer(issuer: object, region: object, region_short: str = "") -> str:
    """The issuer without its region's name, 人民政府 as 政府, at most ten characters.

    >>> short_issuer("湖北省发改委", "湖北省", "湖北")
    '省发改委'
    """
    text = issuer.strip() if isinstance(issuer, str) else ""
    if isinstance(region, str) and region and text.startswith(region):
        level_char = region[-1] if region[-1] in "省市县区州盟" else ""
        text = level_char + text[len(region):]
    elif region_short and text.startswith(region_short):
        text = text[len(region_short):]
    text = text.replace("人民政府", "政府")
    return text if len(text) <= MAX_ISSUER else text[: MAX_ISSUER - 1] + "…"


def _region_names() -> dict[str, tuple[str, str]]:
    from urbanpolicy.rules.regions import gazetteer

    table = gazetteer()
    return {row.name: (row.short or row.name, row.short_en or "") for row in table.itertuples(index=False)}


def short_names(documents: pd.DataFrame) -> pd.DataFrame:
    """Columns short_name (zh) and short_name_en, one row per row of ``documents``, unique each.

    ``documents`` needs doc_id, title, issuer, level, region, issued, published.
    """
    labels = document_labels(documents)
    return pd.DataFrame({name: unique_names(labels[name].tolist()) for name in labels}, index=documents.index)


def document_labels(documents: pd.DataFrame) -> pd.DataFrame:
    """Columns short_name (zh) and short_name_en of each document on its own, before
    ``unique_names`` numbers the repeats: each row depends on its document only, so the loader
    computes them run by run (and caches them) and numbers them once over the corpus.
    """
    regions = _region_names()
    zh, en = [], []
    for d in documents.itertuples(index=False):
        when = d.issued if pd.notna(d.issued) else d.published
        year = str(pd.Timestamp(when).year) if pd.notna(when) else ""
        genre_zh, genre_en = short_title(d.title)
        national = d.level == "national"
        short, short_en = regions.get(d.region, ("", "")) if isinstance(d.region, str) else ("", "")
        issuer = short_issuer(d.issuer, d.region, short)
        parts_zh = [p for p in ("" if national else short, issuer, year) if p]
        label_zh = ("·".join(parts_zh) + " " + genre_zh).strip()
        place_en = "National" if national else short_en
        label_en = (" · ".join(p for p in (place_en, year) if p) + (" " + genre_en if genre_en else "")).strip()
        fallback = str(d.doc_id).rsplit("/", 1)[-1]  # nothing read from the text: the file's name
        zh.append(label_zh or fallback)
        en.append(label_en or fallback)
    return pd.DataFrame({"short_name": zh, "short_name_en": en}, index=documents.index)


def unique_names(names: list[str]) -> list[str]:
    """``names`` with each repeat numbered from its second occurrence on.

    >>> unique_names(["湖北 规划", "湖北 规划", "青海 意见", "湖北 规划"])
    ['湖北 规划', '湖北 规划 (2)', '青海 意见', '湖北 规划 (3)']
    """
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
