"""Cleaning: decoded file text in, clean simplified text out, with a record of what went.

Steps, in order (each reports how many characters it removed):

1. ``front_matter`` – a YAML block between ``---`` lines; its fields become metadata.
2. ``html`` – tags removed, block tags become line breaks, entities decoded,
   ``<script>``/``<style>`` content dropped.
3. ``junk`` – scrape junk spliced between words ("发展改革@@委@@"): runs of two or more
   of one ASCII symbol (@ # $ ^ * ~ |) touching Chinese text.  Each removal is reported
   (``junk_removed``); an e-mail's single "@" stays.
3. ``pinyin`` – romanisations some sites insert after characters ("鎮(zhèn)"), and one cut
   off by an excerpt's end ("發(f").
4. ``script`` – traditional → simplified with OpenCC ``t2s`` (length-preserving in
   practice; counted as 0 removed).
5. ``punctuation`` – half-width brackets, commas, colons and semicolons in Chinese
   text become full-width; full-width digits and Latin letters become half-width.
6. ``boilerplate`` – whole lines of web-page furniture (navigation, 打印正文, 分享到,
   浏览次数, 评论前必须登录, PDF/Word download lines, 来源/发布时间 bars).
7. ``whitespace`` – lines stripped, blank lines and repeated spaces dropped.

Mojibake is *reported* (``find_mojibake``), never removed: the reader decides.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import opencc
import pandas as pd
import yaml

from urbanpolicy.ingest.webpage import html_text

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# ---------------------------------------------------------------- front matter
_FRONT_MATTER = re.compile(r"\A\ufeff?\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
# The keys static-site generators and scrapers write (Hexo, Jekyll, Hugo, our seeds' scraper).
FRONT_MATTER_KEYS = frozenset("""
    title date author authors categories category tags comments headimg thumbnail cover image images banner
    source url link permalink slug layout description summary excerpt keywords published updated lastmod
    modified created draft id lang language issuer publisher doc_number region province level type weight
    toc series origin site abstract subtitle headline
""".split())
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,39}\Z")
# Limits on what a front-matter block may be: a few fields of metadata, never a program.
FRONT_MATTER_MAX_CHARS = 1_000_000
FRONT_MATTER_MAX_ITEMS = 10_000
FRONT_MATTER_MAX_DEPTH = 10

_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _check_yaml_events(block: str) -> str | None:
    """Why ``block`` must not be composed (aliases, nesting too deep), or None when it is safe.

    libyaml's parser keeps its own stack, so streaming the events is safe at any depth;
    it is composing a deeply nested document that overflows the C stack, and expanding
    aliases that turns a few hundred bytes into hundreds of millions of characters.
    """
    depth = 0
    for n, event in enumerate(yaml.parse(block, Loader=_FAST_LOADER)):
        if n > FRONT_MATTER_MAX_ITEMS:
            return f"front matter is too large (more than {FRONT_MATTER_MAX_ITEMS:,} YAML items); not read"
        if isinstance(event, yaml.AliasEvent):
            return "front matter uses a YAML alias (*name); aliases are not read"
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > FRONT_MATTER_MAX_DEPTH:
                return f"front matter nests deeper than {FRONT_MATTER_MAX_DEPTH} levels; not read"
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _sane_dates(fields: dict) -> tuple[dict, list[str]]:
    """Replace dates pandas cannot hold (before 1677, after 2262) with None; say which."""
    bad = []
    for key, value in fields.items():
        if isinstance(value, datetime.date):
            try:
                pd.Timestamp(value)
            except (OverflowError, ValueError, pd.errors.OutOfBoundsDatetime):
                bad.append(f"{key}: {value}")
                fields[key] = None
    return fields, bad


def read_front_matter(text: str) -> tuple[dict, str, list[tuple[str, str]]]:
    """Return (fields, rest of text, problems as (kind, detail)).

    A block between ``---`` lines at the top is front matter only when it is a YAML
    mapping of known keys (``FRONT_MATTER_KEYS``, read within size, depth and alias
    limits); otherwise the ``---`` lines are a rule and the block stays text.

    >>> read_front_matter("---\\ntitle: 'a'\\n---\\nbody")[:2]
    ({'title': 'a'}, 'body')
    >>> read_front_matter("---\\n一、总体要求\\n---\\nbody")[1]
    '---\\n一、总体要求\\n---\\nbody'
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text, []
    block = m.group(1)
    # A block we will not read but that opens with a known key ("title: …") is broken front
    # matter: it goes, reported.  Anything else between two rules is text.
    meant = _looks_like_front_matter_keys(block)
    rest = text[m.end():] if meant else text
    kept = "removed" if meant else "kept as text"
    if len(block) > FRONT_MATTER_MAX_CHARS:
        return {}, rest, [("front_matter", f"front matter block of {len(block):,} characters is too large "
                                           f"(limit {FRONT_MATTER_MAX_CHARS:,}); {kept}")]
    try:
        refused = _check_yaml_events(block)
        if refused:
            return {}, rest, [("front_matter", f"{refused}; {kept}")]
        fields = yaml.load(block, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, ValueError, OverflowError) as exc:  # a date like 2021-13-45 raises ValueError
        if not meant:
            return {}, text, []
        return {}, rest, [("front_matter", f"front matter is not valid YAML: {str(exc)[:120]}")]
    if not isinstance(fields, dict) or not fields:
        return {}, text, []
    keys = [k for k in fields if isinstance(k, str)]
    if len(keys) != len(fields) or not all(_KEY.match(k) for k in keys) or not FRONT_MATTER_KEYS & set(keys):
        return {}, text, []
    fields, bad_dates = _sane_dates(dict(fields))
    problems = [("date_out_of_range", f"front matter {bad}: outside the dates pandas can hold (1677-2262); "
                                      "left empty") for bad in bad_dates]
    return fields, text[m.end():], problems


def split_front_matter(text: str) -> tuple[dict, str, str | None]:
    """``read_front_matter`` with its problems joined into one detail (None when there are none).

    >>> split_front_matter("---\\ntitle: 'a'\\n---\\nbody")[:2]
    ({'title': 'a'}, 'body')
    """
    fields, rest, problems = read_front_matter(text)
    return fields, rest, "; ".join(detail for _, detail in problems) or None


def _looks_like_front_matter_keys(block: str) -> bool:
    """Whether a block that is not valid YAML still opens with a known key ("title: …")."""
    first = block.lstrip().split(":", 1)[0].strip()
    return first in FRONT_MATTER_KEYS


# ---------------------------------------------------------------- HTML
_HTML_HINT = re.compile(
    r"<(?:p|div|br|span|strong|b|html|body|table|td|tr|li|ul|ol|a|h[1-6]|script|style|font|section|article)\b[^>]*>",
    re.I,
)
def looks_like_html(text: str) -> bool:
    """True when the text carries HTML tags worth parsing."""
    return _HTML_HINT.search(text) is not None


def html_to_text(text: str) -> str:
    """Return the visible text of an HTML page, one block per line (HTML5 parsing rules;
    see ``urbanpolicy.ingest.webpage``).

    >>> html_to_text("<p>一、总体要求</p><script>x()</script><p>A&amp;B</p>").split()
    ['一、总体要求', 'A&B']
    """
    return html_text(text)[0]


# Character references with their closing ";" only: "R&D" and "&para" without ";" stay as written.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(text: str) -> tuple[str, int]:
    """Decode HTML character references in text that is not HTML (a scraper's .txt); return (text, count).

    >>> decode_entities("实施&ldquo;城市更新&rdquo;行动&nbsp;，R&D投入&amp;产出")
    ('实施“城市更新”行动\xa0，R&D投入&产出', 4)
    """
    if "&" not in text:
        return text, 0
    return _ENTITY.subn(lambda m: html.unescape(m.group(0)), text)


# ---------------------------------------------------------------- pinyin
_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A syllable with at least one tone mark: "發(fā)".  Without a tone mark we cannot tell
# pinyin from an acronym such as "(TOD)", so we leave it.
# A lowercase syllable with a tone mark in brackets is never content in this genre, so
# we do not insist on a Chinese character before it: after mojibake ("?,F(xiàn)") the
# annotated character itself may be garbled.
_PINYIN = re.compile(rf"[（(]([a-zü]{{0,5}}[{_TONE}][a-zü{_TONE}]{{0,5}})[)）]")


# An annotation cut by the end of an excerpt: "促進人的全面發(f" (no tone mark survives).
_PINYIN_CUT = re.compile(rf"(?<=[{CJK}])[（(][a-zü{_TONE}]{{0,6}}\Z")


def remove_pinyin(text: str) -> tuple[str, int]:
    """Remove pinyin annotations after characters; return (text, number removed).

    >>> remove_pinyin("新型城鎮(zhèn)化(TOD)")
    ('新型城鎮化(TOD)', 1)
    >>> remove_pinyin("促進人的全面發(f")
    ('促進人的全面發', 1)
    """
    n = 0
    if any(mark in text for mark in _TONE):  # a few substring scans; the pattern needs a tone mark
        text, n = _PINYIN.subn("", text)
    text = text.rstrip()
    # the cut form sits at the very end: search only the last characters (the lookbehind still
    # sees the character before them)
    cut = _PINYIN_CUT.search(text, max(0, len(text) - 8))
    if cut:
        text = text[:cut.start()]
    return text, n + bool(cut)


# ---------------------------------------------------------------- junk tokens
# Two or more of one ASCII symbol touching a Chinese character or Chinese punctuation:
# never content in this genre ("发展改革@@委", "任务@@》"), while "a@b.cn" has one "@".
_JUNK_SYMBOLS = "@#$^*~|"
_JUNK_RUN = re.compile("|".join(f"{re.escape(symbol)}{{2,}}" for symbol in _JUNK_SYMBOLS))


def remove_junk(text: str) -> tuple[str, int]:
    """Remove scrape junk tokens spliced into Chinese text; return (text, tokens removed).

    >>> remove_junk("国家发展改革@@委@@@@，2022年@@3月")
    ('国家发展改革委，2022年3月', 3)
    >>> remove_junk("联系邮箱：a@b.cn")
    ('联系邮箱：a@b.cn', 0)
    """
    # substring scans, far faster than the regex; a symbol's pair only where the symbol itself is
    # (a one-character search is several times faster than a two-character one)
    if not any(symbol in text and symbol * 2 in text for symbol in _JUNK_SYMBOLS):
        return text, 0
    removed = 0

    def drop(m: re.Match[str]) -> str:
        nonlocal removed
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if _touches_chinese(before) or _touches_chinese(after):
            removed += 1
            return ""
        return m.group(0)

    return _JUNK_RUN.sub(drop, text), removed


def _touches_chinese(ch: str) -> bool:
    return bool(ch) and ("\u3400" <= ch <= "\u9fff" or ch in "（）《》“”，。、；：,:;()\n")


# ---------------------------------------------------------------- script
_SCRIPT_SAMPLE = 20_000
_NOT_CJK_RUN = re.compile(f"[^{CJK}]+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> tuple[str, str]:
    """Convert to simplified; return (text, detected original script).

    The script is "traditional" when at least 3% of the Chinese characters (in the
    first 20,000 characters, enough to decide) change, "mixed" when some do,
    "simplified" otherwise.
    """
    try:
        converted = _t2s().convert(text)
    except UnicodeEncodeError:  # lone surrogates cannot reach OpenCC; they become U+FFFD (reported as mojibake)
        text = re.sub("[\ud800-\udfff]", "\ufffd", text)
        converted = _t2s().convert(text)
    sample, sample_converted = text[:_SCRIPT_SAMPLE], converted[:_SCRIPT_SAMPLE]
    if len(converted) == len(text):
        changed = _count_changed(sample, sample_converted)
    else:  # phrase conversions changed the length; compare character counts instead
        changed = abs(len(converted) - len(text)) + 1
    if not changed:  # the usual case; no need to count the Chinese characters
        return converted, "simplified"
    cjk = _cjk_count(sample) or 1
    ratio = changed / cjk
    script = "traditional" if ratio >= 0.03 else "mixed"
    return converted, script


def _code_points(text: str) -> np.ndarray:
    """The text's code points as an array (lone surrogates kept as they are)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def _cjk_count(text: str) -> int:
    """How many characters of ``text`` are Chinese (the ranges of ``CJK``), counted on the code
    points in NumPy instead of deleting every other run by a pattern (``_cjk_count_reference``).

    >>> _cjk_count("城鎮化 2025年 TOD")
    4
    """
    cp = _code_points(text)
    return int(np.count_nonzero(((cp >= 0x3400) & (cp <= 0x4DBF)) | ((cp >= 0x4E00) & (cp <= 0x9FFF))
                                | ((cp >= 0xF900) & (cp <= 0xFAFF))))


def _cjk_count_reference(text: str) -> int:
    """``_cjk_count`` by deleting the runs of other characters: the reference implementation,
    kept until the NumPy count is proven (tests/ingest/test_fast_cleaning.py compares the two)."""
    return len(_NOT_CJK_RUN.sub("", text))  # runs, not characters: one match per run


def _count_changed(a: str, b: str) -> int:
    """How many positions differ between two strings of the same length."""
    if a == b:
        return 0
    # one vectorised comparison instead of a Python-level pass over every character
    return int(np.count_nonzero(np.frombuffer(a.encode("utf-32-le", "surrogatepass"), dtype="<u4")
                                != np.frombuffer(b.encode("utf-32-le", "surrogatepass"), dtype="<u4")))


# ---------------------------------------------------------------- punctuation
_FULLWIDTH_ASCII = {i: i - 0xFEE0 for i in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH_ASCII.update({i: i - 0xFEE0 for i in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH_ASCII.update({i: i - 0xFEE0 for i in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH_ASCII.update({ord("％"): "%", ord("．"): "."})
_FULLWIDTH_PRESENT = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a％．]")
# A thousands separator 1,000 stays; so do times 19:47 and URLs http://.  Written to start
# with the literal (the lookbehinds then look past it), so the engine scans for it fast.
_COMMA = re.compile(r",(?:(?<!\d,)|(?!\d))")
_COLON = re.compile(r":(?:(?<!\d:)(?!//)|(?!\d|//))")


# The characters ``_FULLWIDTH_ASCII`` translates, as a table over U+FF00–U+FF5F.
_FULLWIDTH_TABLE = np.zeros(0x60, dtype=bool)
_FULLWIDTH_TABLE[[code - 0xFF00 for code in _FULLWIDTH_ASCII]] = True


def _has_fullwidth_ascii(text: str) -> bool:
    """True when ``text`` holds a character ``_FULLWIDTH_ASCII`` translates: looked up on the code
    points in NumPy, not by a character-class scan (``_has_fullwidth_ascii_reference``).

    >>> _has_fullwidth_ascii("城镇化率６５％，目标："), _has_fullwidth_ascii("城镇化率65%，目标：")
    (True, False)
    """
    offsets = _code_points(text) - np.uint32(0xFF00)  # below U+FF00 wraps to a large number
    return bool(_FULLWIDTH_TABLE[offsets[offsets < 0x60]].any())


def _has_fullwidth_ascii_reference(text: str) -> bool:
    """``_has_fullwidth_ascii`` by a character-class search: the reference implementation, kept
    until the table lookup is proven (tests/ingest/test_fast_cleaning.py compares the two)."""
    return _FULLWIDTH_PRESENT.search(text) is not None


def normalise_punctuation(text: str) -> str:
    """Full-width brackets, commas, colons, semicolons; half-width digits and letters.

    >>> normalise_punctuation("(一)城镇化率达到６５%,5G:好;1,000")
    '（一）城镇化率达到65%，5G：好；1,000'
    """
    if _has_fullwidth_ascii(text):  # translate is slow per character; most texts need none
        text = text.translate(_FULLWIDTH_ASCII)
    text = text.replace("(", "（").replace(")", "）").replace(";", "；")
    text = _COMMA.sub("，", text)
    return _COLON.sub("：", text)


# ---------------------------------------------------------------- boilerplate
# Whole lines of web furniture.  Written as the genre's phrases, not one site's layout.
# Two kinds: lines that *are* furniture (【打印正文】, 分享到…, 上一篇…) and lines that merely
# *contain* a furniture word (浏览次数, 下载, 来源, 网站地图, 联系我们 …).  The second kind is
# only furniture outside the document body: a task line may well mention 网站地图 or 来源.
_FURNITURE_LINE = re.compile(
    r"""^(?:
        【?\s*(?:打印(?:正文|本页|文章)?|关闭(?:窗口|本页)?|返回(?:顶部|首页)?|收藏|纠错)\s*】?(?:\s*【.*】)*
      | 分享到.{0,40}
      | (?:注册|登录|注册\s*登录|上一篇.*|下一篇.*|相关(?:链接|阅读|新闻|文章|解读|文件)[：:]?.{0,80})
      | (?:【\s*)?字[体号][：:]?.{0,20}(?:】)?
      | (?:首页|当前位置|您当前的位置|您的位置|当前所在位置)(?:\s*[>›»/＞].{0,80})?[：:]?.{0,80}[>›»＞].{0,80}
      | (?:首页|当前位置|您当前的位置|您的位置)
      | (?:政府信息公开|政务公开|信息公开|信息公开目录|政策文件|政策解读|索引号.{0,40})
    )$""",
    re.X,
)
_FURNITURE_WORDS = re.compile(
    r"""^(?:
        .{0,20}浏览次数.{0,40}
      | .{0,10}(?:评论前必须登录|发表评论|网友评论|我要评论|扫一扫在手机打开当前页|扫一扫在手机上查看当前页面).{0,40}
      | .{0,40}(?:PDF|pdf|Word|WORD|word|WPS|OFD|ofd)\s*(?:版本|版|文件)?\s*下载.{0,60}
      | (?:附件)?下载[：:].{0,80}\.(?:pdf|docx?|wps|ofd|xlsx?)
      | .{0,60}(?:来源|信息来源|文章来源)[：:].{0,40}(?:发布时间|发布日期|时间|日期)[：:].{0,60}
      | (?:发布时间|发布日期|来源|信息来源|文章来源|作者|责任编辑|编辑|审核|校对|阅读次数|点击数|点击量)[：:].{0,60}
      | .{0,30}(?:网站标识码|ICP备|公网安备|主办单位[：:]|承办单位[：:]|网站地图|联系我们|版权所有).{0,80}
    )$""",
    re.X,
)
# A line opening with a numbering label is a task or a chapter, never furniture.
_NUMBERED_LINE = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百\d]+[）)]|\d{1,3}[.．、](?!\d)"
    r"|第[一二三四五六七八九十百零〇\d]+[章节条部篇]|[①-⑳])"
)


def remove_boilerplate(text: str) -> tuple[str, list[str]]:
    """Drop whole lines of web furniture; return (text, removed lines).

    The removed lines are returned because some carry metadata (a publication date in
    a 来源/发布时间 bar, a 发文字号 in a download link) that the metadata stage reads.
    A numbered line is never removed; between the first and the last numbered line (the
    body) only lines that are furniture through and through go.

    >>> remove_boilerplate("正文\\n分享到：微信\\n【打印正文】")[0]
    '正文'
    >>> remove_boilerplate("（三）完善网站地图和联系我们栏目。")[1]
    []
    """
    lines = text.split("\n")
    stripped_lines = [line.strip() for line in lines]
    numbered = [i for i, stripped in enumerate(stripped_lines) if _NUMBERED_LINE.match(stripped)]
    is_numbered = set(numbered)  # each line is stripped and matched once
    first, last = (numbered[0], numbered[-1]) if numbered else (len(lines), -1)
    kept: list[str] = []
    removed: list[str] = []
    for i, line in enumerate(lines):
        stripped = stripped_lines[i]
        furniture = (bool(stripped) and len(stripped) <= 200 and i not in is_numbered
                     and (_FURNITURE_LINE.match(stripped) is not None
                          or (not first < i < last and _FURNITURE_WORDS.match(stripped) is not None)))
        if furniture:
            removed.append(stripped)
        else:
            kept.append(line)
    return "\n".join(kept), removed


# ---------------------------------------------------------------- whitespace
# Both match only where the text changes (a run, an odd space, spaces around a break), so the
# common single space and single line break are not rewritten one by one.
_ODD_SPACES = "\t\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff"
_SPACES = re.compile(f"[ {_ODD_SPACES}]{{2,}}|[{_ODD_SPACES}]")
_SPACED_BREAKS = re.compile(r" +\n[ \n]*|\n[ \n]+")


_SPACE_RUN = re.compile("  +")  # starts with a literal: the engine scans for it fast


def normalise_whitespace(text: str) -> str:
    """Strip every line, drop blank lines, fold runs of spaces to one space.

    Each odd space becomes a space (a substring replace, only for those present), a run of
    spaces becomes one (a pattern that starts with a literal), then the lines are stripped
    and the blank ones dropped by splitting on line breaks: about 5x faster than the two
    character-class substitutions of ``normalise_whitespace_reference``, with the same result.

    >>> normalise_whitespace("  一、总体要求 \\n\\n\\u3000（一）目标  ")
    '一、总体要求\\n（一）目标'
    """
    for space in _ODD_SPACES:
        if space in text:
            text = text.replace(space, " ")
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if " \n" in text or "\n " in text or "\n\n" in text:
        stripped = (line.strip(" ") for line in text.split("\n"))
        text = "\n".join([line for line in stripped if line])
    return text.strip(" \n")


def normalise_whitespace_reference(text: str) -> str:
    """``normalise_whitespace`` as two character-class substitutions: the reference
    implementation, kept until the line-split path is proven (tests/ingest/test_fast_cleaning.py
    compares the two).

    >>> normalise_whitespace_reference("  一、总体要求 \\n\\n\\u3000（一）目标  ")
    '一、总体要求\\n（一）目标'
    """
    # Whole-text substitutions, each run only when a substring scan (much faster than a regex
    # scan of a character class) shows there is something to change.
    if "  " in text or any(space in text for space in _ODD_SPACES):
        text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text or "\n\n" in text:
        text = _SPACED_BREAKS.sub("\n", text)
    return text.strip(" \n")


# ---------------------------------------------------------------- mojibake
_MOJIBAKE = re.compile(
    # the leading lookahead (a match's possible first characters) only makes the scan fast
    rf"""(?=[\ufffd锟烫屯ÃÂâåäæçèéï?\u0370-\u03ff\u0400-\u04ff])(?:
        \ufffd+
      | (?:锟斤拷|烫烫烫|屯屯屯)+
      | [ÃÂâåäæçèéï][\u0080-\u00bf]{{1,}}\S{{0,8}}
      | (?<=[{CJK}（）《》，。、；：“”])\?+[^\n，。；！？、]{{0,12}}
      | \?+(?=[{CJK}])[^\n，。；！？、]{{0,12}}
      | (?<=[{CJK}])[\u0370-\u03ff\u0400-\u04ff]+(?=[{CJK}\s?？]|$)
    )""",
    re.X | re.M,
)


# Every garbled span starts with one of these characters or a Greek or Cyrillic letter (the
# leading lookahead of ``_MOJIBAKE``).
_MOJIBAKE_FIRSTS = "\ufffd锟烫屯ÃÂâåäæçèéï?"


def find_mojibake(text: str) -> list[tuple[int, int]]:
    """Spans of text that look garbled ("?" runs inside Chinese, U+FFFD, 锟斤拷 …).

    The pattern is run only when the text holds a character a garbled span can start with:
    a substring test per literal first character and one range test on the code points
    (Greek and Cyrillic) are far faster than the pattern's scan, and most texts hold none.

    >>> find_mojibake("发展?jié潜力")
    [(2, 8)]
    >>> find_mojibake("城镇化率达到65%")
    []
    """
    if not any(first in text for first in _MOJIBAKE_FIRSTS):
        cp = _code_points(text)
        if not np.any((cp >= 0x370) & (cp <= 0x4FF)):
            return []
    return find_mojibake_reference(text)


def find_mojibake_reference(text: str) -> list[tuple[int, int]]:
    """``find_mojibake`` scanning every text with the pattern: the reference implementation,
    kept until the first-character precheck is proven (tests/ingest/test_fast_cleaning.py).

    >>> find_mojibake_reference("发展?jié潜力")
    [(2, 8)]
    """
    return [m.span() for m in _MOJIBAKE.finditer(text)]


# ---------------------------------------------------------------- pipeline
@dataclass
class CleanResult:
    """Clean text plus everything the cleaning learned or removed."""

    text: str
    script: str
    front_matter: dict = field(default_factory=dict)
    removed_chars: dict[str, int] = field(default_factory=dict)
    removed_items: dict[str, int] = field(default_factory=dict)
    boilerplate_lines: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (kind, detail)


def clean_text(raw: str, html: bool | None = None) -> CleanResult:
    """Run every cleaning step on decoded text.

    ``html`` True parses the text as a web page whatever it looks like (a ``.jsp`` or
    ``.shtml`` file), False never does, None decides by the tags it holds.  Text that is
    not parsed as HTML still has its character references (``&ldquo;``) decoded.

    >>> clean_text("<p>(一)城鎮(zhèn)化</p>").text
    '（一）城镇化'
    """
    removed: dict[str, int] = {}
    items: dict[str, int] = {}
    problems: list[tuple[str, str]] = []

    fields, text, fm_problems = read_front_matter(raw)
    removed["front_matter"] = len(raw) - len(text)
    items["front_matter"] = len(fields)
    problems.extend(fm_problems)

    before = len(text)
    if html or (html is None and looks_like_html(text)):
        text, hidden = html_text(text)
        problems.extend(("html_dropped", detail) for detail in hidden)
        items["html"] = 1
    else:
        text, _ = decode_entities(text)
        items["html"] = 0
    removed["html"] = before - len(text)

    before = len(text)
    text, items["junk"] = remove_junk(text)
    removed["junk"] = before - len(text)
    if items["junk"]:
        problems.append(("junk_removed", f"{items['junk']} junk token(s) such as '@@' removed "
                                         f"({removed['junk']} characters)"))

    before = len(text)
    text, items["pinyin"] = remove_pinyin(text)
    removed["pinyin"] = before - len(text)

    before = len(text)
    text, script = to_simplified(text)
    removed["script"] = before - len(text)
    items["script"] = int(script != "simplified")

    before = len(text)
    text = normalise_punctuation(text)
    removed["punctuation"] = before - len(text)
    items["punctuation"] = 0

    before = len(text)
    text = normalise_whitespace(text)  # first, so boilerplate lines are matched stripped
    ws_removed = before - len(text)

    before = len(text)
    text, lines = remove_boilerplate(text)
    removed["boilerplate"] = before - len(text)
    items["boilerplate"] = len(lines)

    before = len(text)
    if lines:  # normalise_whitespace is idempotent: without removed lines there is nothing left to do
        text = normalise_whitespace(text)
    removed["whitespace"] = ws_removed + before - len(text)
    items["whitespace"] = 0
    return CleanResult(text, script, fields, removed, items, lines, problems)
