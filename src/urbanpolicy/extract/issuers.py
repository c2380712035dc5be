"""Issuing bodies, document type, issuer rank and a policy-strength score of each document.

Read from what the metadata stage already found (title, issuer, level, region) and the
document's signature block:

* ``issuers`` — every issuing body, canonical names from the agency register, "、"-joined,
  in the order written.  Jointly issued documents name their bodies before 关于 in the
  title ("财政部 国家发展改革委关于…", "国家发展改革委、财政部关于…") and/or sign with
  one body per line above the date; both are read and merged.
* ``doc_type`` — the genre of the substantive document: for a covering notice
  ("关于印发《X行动计划》的通知") or a request for comments ("关于征求《X工作要点（征求
  意见稿）》意见的函") the type of X, else the title's own ending (实施意见, 工作要点 …).
* ``draft`` — the document is a draft for comment (征求意见稿).
* ``issuer_rank`` — the highest rank among the issuers: ``state_council`` (国务院,
  中共中央 and their general offices), ``ministry`` (other national bodies),
  ``provincial_government`` (a provincial people's government or its general office),
  ``provincial_department`` (other provincial bodies), ``prefecture`` and ``county``.
* ``strength`` — a policy-strength score, issuer rank points × document-type weight,
  adapted from the issuer × document-type policy-strength scale of 彭纪生、仲为国、孙文祥
  (2008) 政策测量、政策协同演变与经济绩效：基于创新政策的实证研究, 管理世界 (9):25–36,
  which scores a document higher the higher its issuing body and the more binding its
  form.  Their scale (1–5) is written for national laws, regulations and ministerial
  rules; this genre is plans, opinions and work points issued from the State Council
  down to counties, so here:

  - rank points: state_council 6, ministry 5, provincial_government 4,
    provincial_department 3, prefecture 2, county 1;
  - type weight: 1.0 binding rules (条例, 规定, 办法, 决定, 细则); 0.8 plans and opinions
    (规划, 纲要, 意见, 实施意见, 指导意见, 行动计划, 实施方案, 方案, 计划, 若干措施);
    0.6 annual work points, task lists and notices (工作要点, 要点, 重点任务, 通知, 通告,
    公告); 0.4 letters and replies (函, 复函, 批复); a draft for comment is weighted 0.5×.

  So the State Council's 行动计划 scores 4.8, a provincial department's 工作要点 1.8 and
  its draft for comment 0.9.  A document whose rank or type is unknown has no score.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..rules.regions import first_region
from .agencies import find_agencies, load_register

RANKS = ("state_council", "ministry", "provincial_government", "provincial_department", "prefecture", "county")
RANK_POINTS = {"state_council": 6, "ministry": 5, "provincial_government": 4, "provincial_department": 3,
               "prefecture": 2, "county": 1}
TYPE_WEIGHTS = {
    **dict.fromkeys(("条例", "规定", "办法", "决定", "细则"), 1.0),
    **dict.fromkeys(("规划", "纲要", "意见", "实施意见", "指导意见", "行动计划", "实施方案", "工作方案",
                     "行动方案", "方案", "计划", "若干措施", "措施"), 0.8),
    **dict.fromkeys(("工作要点", "要点", "重点任务", "通知", "通告", "公告"), 0.6),
    **dict.fromkeys(("函", "复函", "批复"), 0.4),
}
DRAFT_FACTOR = 0.5
ISSUER_COLUMNS = ["issuers", "doc_type", "draft", "issuer_rank", "strength"]

_TYPES = sorted(TYPE_WEIGHTS, key=len, reverse=True)
_TYPE_AT_END = re.compile(rf"({'|'.join(_TYPES)})(?:（[^（）]{{0,20}}）)?$")
_INNER_TITLE = re.compile(r"(?:印发|转发|征求|发布)[《〈]?(?P<inner>[^《》〈〉]{2,120}?)[》〉]?(?:意见)?的(?:通知|函|复函|通告)$")
_DRAFT = re.compile(r"征求意见稿|送审稿|草案|试行稿")
_DATE_LINE = re.compile(r"^\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
                        r"\s*[\d一二三四五六七八九十]{1,3}\s*日\s*$")
_STATE_COUNCIL = re.compile(r"^(?:国务院|中共中央|中国共产党中央委员会|中华人民共和国国务院)(?:办公厅)?$")
_GOVERNMENT = re.compile(r"人民政府(?:办公厅|办公室)?$|^[\u4e00-\u9fff]{1,10}[省市区]政府(?:办公厅|办公室)?$")


def doc_type(title: str | None) -> tuple[str | None, bool]:
    """(type of the substantive document, whether it is a draft) from a title.

    >>> doc_type("国务院关于印发《深入实施以人为本的新型城镇化战略五年行动计划》的通知")
    ('行动计划', False)
    >>> doc_type("湖南省推进新型城镇化工作领导小组办公室关于征求《2021年湖南省新型城镇化工作要点（征求意见稿）》意见的函")
    ('工作要点', True)
    >>> doc_type("庆阳市人民政府办公室关于加快户籍人口城镇化工作的实施意见")
    ('实施意见', False)
    """
    if not isinstance(title, str) or not title.strip():
        return None, False
    title = title.strip()
    draft = bool(_DRAFT.search(title))
    inner = _INNER_TITLE.search(title)
    for candidate in ([inner.group("inner")] if inner else []) + [title]:
        found = _TYPE_AT_END.search(candidate.strip("》〉 "))
        if found:
            return found.group(1), draft
    return None, draft


def _signature_lines(text: str) -> list[str]:
    """Organisation lines directly above the last standalone date line near the end."""
    lines = text.rstrip().split("\n")
    tail = lines[-15:]
    for i in range(len(tail) - 1, -1, -1):
        if _DATE_LINE.match(tail[i]):
            names = []
            for line in reversed(tail[:i]):
                line = line.strip()
                if not line or len(line) > 40 or re.search(r"[，。；：]", line):
                    break
                names.append(line)
            return list(reversed(names))
    return []


_SEPARATORS = re.compile(r"[\s、，,/]+")  # not 和: 发展和改革委员会
# a register form without its place (县人民政府办公室, 中共县委员会办公室): the name as written says more
_GENERIC = re.compile(r"^(?:中共)?[省市县区州旗]")
_COUNTY_BODY = re.compile(r"[县旗](?:委|人民政府|政府)|市[\u4e00-\u9fff]{1,6}区(?:委|人民政府|政府)")


def _bodies(text: str, region: str | None, level: str) -> list[str]:
    """The bodies named in ``text`` (a title's part before 关于, a signature line), in order.

    Each piece between separators (space, 、) is one or more register bodies, written
    out in full or after a place name of their own (中共永德县委办公室); a body the register
    knows only by a generic form keeps the name as written.  A piece with words after its
    last body, or more than a place name before it, is not a list of bodies.
    """
    names: list[str] = []
    for piece in _SEPARATORS.split(text):
        if not piece:
            continue
        found = find_agencies(piece, region, level or "provincial")
        if not found or found[-1].end != len(piece) or found[0].start > 10:
            continue
        for i, agency in enumerate(found):
            written = piece[(found[i - 1].end if i else 0):agency.end]
            names.append(written if _GENERIC.match(agency.name) else agency.name)
    return names


@lru_cache(maxsize=1)
def _national_names() -> frozenset[str]:
    register = load_register()
    return frozenset(register.loc[register["level"] == "national", "name"])


def _rank(name: str, level: str | None) -> str | None:
    """Rank of one body: by its name (register, region named in it), else by the document's level."""
    if _STATE_COUNCIL.match(name):
        return "state_council"
    if name in _national_names():
        return "ministry"
    region = first_region(name)
    if region is not None and name.startswith(region.name):
        level = {"province": "provincial", "prefecture": "municipal", "county": "county"}.get(region.level, level)
    if _COUNTY_BODY.search(name):
        level = "county"
    if level == "national":
        return "ministry"
    if level == "provincial":
        return "provincial_government" if _GOVERNMENT.search(name) else "provincial_department"
    if level == "municipal":
        return "prefecture"
    if level == "county":
        return "county"
    return None


def issuer_fields(text: str, title: str | None, issuer: str | None, level: str | None,
                  region: str | None) -> dict:
    """The ISSUER_COLUMNS of one document.

    >>> f = issuer_fields("……\\n国家发展改革委\\n财政部\\n2024年3月1日", "关于推进县城建设的通知",
    ...                   "国家发展改革委", "national", "全国")
    >>> f["issuers"], f["issuer_rank"], f["doc_type"], f["strength"]
    ('国家发展和改革委员会、财政部', 'ministry', '通知', 3.0)
    """
    names: list[str] = []
    if isinstance(title, str) and "关于" in title:  # bodies written before 关于, in their order
        names += _bodies(re.sub(r"\s+", " ", title.split("关于", 1)[0]), region, level or "")
    for line in _signature_lines(text):  # then the signature, one body per line
        names += _bodies(line, region, level or "")
    if issuer:
        names += _bodies(re.sub(r"\s+", " ", issuer), region, level or "")
    if not names and issuer:
        names = [issuer]  # not in the register: keep the name as written
    issuers = list(dict.fromkeys(names))
    ranks = [r for r in (_rank(n, level) for n in issuers) if r]
    rank = min(ranks, key=RANKS.index) if ranks else None
    kind, draft = doc_type(title)
    strength = None
    if rank and kind:
        strength = round(RANK_POINTS[rank] * TYPE_WEIGHTS[kind] * (DRAFT_FACTOR if draft else 1.0), 3)
    return {"issuers": "、".join(issuers) or None, "doc_type": kind, "draft": draft,
            "issuer_rank": rank, "strength": strength}
