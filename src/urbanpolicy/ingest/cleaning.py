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

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

import numpy as np
import opencc
import yaml

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# ---------------------------------------------------------------- front matter
_FRONT_MATTER = re.compile(r"\A\ufeff?\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _load_yaml(block: str) -> object:
    """``yaml.safe_load``, parsed by libyaml when it is installed (many times faster).

    libyaml builds the same objects (the constructor is the same); on any error the pure
    Python loader parses again, so a problem's message is the one it has always been.
    """
    if _FAST_LOADER is not None:
        try:
            return yaml.load(block, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            pass
    return yaml.safe_load(block)


def split_front_matter(text: str) -> tuple[dict, str, str | None]:
    """Return (fields, rest of text, problem detail or None).

    >>> split_front_matter("---\\ntitle: 'a'\\n---\\nbody")[:2]
    ({'title': 'a'}, 'body')
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text, None
    try:
        fields = _load_yaml(m.group(1))
    except yaml.YAMLError as exc:
        return {}, text[m.end():], f"front matter is not valid YAML: {str(exc)[:120]}"
    if not isinstance(fields, dict):
        return {}, text[m.end():], "front matter is not a mapping"
    return {str(k): v for k, v in fields.items()}, text[m.end():], None


# ---------------------------------------------------------------- HTML
_HTML_HINT = re.compile(
    r"<(?:p|div|br|span|strong|b|html|body|table|td|tr|li|ul|ol|a|h[1-6]|script|style|font|section|article)\b[^>]*>",
    re.I,
)
_BLOCK_TAGS = frozenset(
    "p div br li ul ol tr table h1 h2 h3 h4 h5 h6 section article header footer "
    "blockquote pre hr title dd dt dl nav aside form center".split()
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head"})


class _TextExtractor(HTMLParser):
    """Collects text; block tags become newlines; script/style bodies are skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001 - HTMLParser API
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:  # noqa: ANN001
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML tags worth parsing."""
    return _HTML_HINT.search(text) is not None


def html_to_text(text: str) -> str:
    """Return the visible text of an HTML fragment, one block per line.

    >>> html_to_text("<p>一、总体要求</p><script>x()</script><p>A&amp;B</p>").split()
    ['一、总体要求', 'A&B']
    """
    parser = _TextExtractor()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # noqa: BLE001 - HTMLParser may choke on hostile markup; fall back to tag stripping
        return html.unescape(re.sub(r"<[^>]*>", "\n", text))
    return "".join(parser.parts)


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
    text, n = _PINYIN.subn("", text)
    text, cut = _PINYIN_CUT.subn("", text.rstrip())
    return text, n + cut


# ---------------------------------------------------------------- junk tokens
# Two or more of one ASCII symbol touching a Chinese character or Chinese punctuation:
# never content in this genre ("发展改革@@委", "任务@@》"), while "a@b.cn" has one "@".
_JUNK_RUN = re.compile(r"@{2,}|#{2,}|\${2,}|\^{2,}|\*{2,}|~{2,}|\|{2,}")


def remove_junk(text: str) -> tuple[str, int]:
    """Remove scrape junk tokens spliced into Chinese text; return (text, tokens removed).

    >>> remove_junk("国家发展改革@@委@@@@，2022年@@3月")
    ('国家发展改革委，2022年3月', 3)
    >>> remove_junk("联系邮箱：a@b.cn")
    ('联系邮箱：a@b.cn', 0)
    """
    if "@@" not in text and not _JUNK_RUN.search(text):
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
    cjk = len(_NOT_CJK_RUN.sub("", sample)) or 1  # runs, not characters: one match per run
    ratio = changed / cjk
    script = "traditional" if ratio >= 0.03 else "mixed"
    return converted, script


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


def normalise_punctuation(text: str) -> str:
    """Full-width brackets, commas, colons, semicolons; half-width digits and letters.

    >>> normalise_punctuation("(一)城镇化率达到６５%,5G:好;1,000")
    '（一）城镇化率达到65%，5G：好；1,000'
    """
    if _FULLWIDTH_PRESENT.search(text):  # translate is slow per character; most texts need none
        text = text.translate(_FULLWIDTH_ASCII)
    text = text.replace("(", "（").replace(")", "）").replace(";", "；")
    text = _COMMA.sub("，", text)
    return _COLON.sub("：", text)


# ---------------------------------------------------------------- boilerplate
# Whole lines of web furniture.  Written as the genre's phrases, not one site's layout.
_BOILERPLATE_LINE = re.compile(
    r"""^(?:
        【?\s*(?:打印(?:正文|本页|文章)?|关闭(?:窗口|本页)?|返回(?:顶部|首页)?|收藏|纠错)\s*】?(?:\s*【.*】)*
      | 分享到.{0,40}
      | .{0,20}浏览次数.{0,40}
      | .{0,10}(?:评论前必须登录|发表评论|网友评论|我要评论|扫一扫在手机打开当前页|扫一扫在手机上查看当前页面).{0,40}
      | (?:注册|登录|注册\s*登录|上一篇.*|下一篇.*|相关(?:链接|阅读|新闻|文章|解读|文件)[：:]?.{0,80})
      | .{0,40}(?:PDF|pdf|Word|WORD|word|WPS|OFD|ofd)\s*(?:版本|版|文件)?\s*下载.{0,60}
      | (?:附件)?下载[：:].{0,80}\.(?:pdf|docx?|wps|ofd|xlsx?)
      | .{0,60}(?:来源|信息来源|文章来源)[：:].{0,40}(?:发布时间|发布日期|时间|日期)[：:].{0,60}
      | (?:发布时间|发布日期|来源|信息来源|文章来源|作者|责任编辑|编辑|审核|校对|阅读次数|点击数|点击量)[：:].{0,60}
      | (?:【\s*)?字[体号][：:]?.{0,20}(?:】)?
      | (?:首页|当前位置|您当前的位置|您的位置|当前所在位置)(?:\s*[>›»/＞].{0,80})?[：:]?.{0,80}[>›»＞].{0,80}
      | (?:首页|当前位置|您当前的位置|您的位置)
      | (?:政府信息公开|政务公开|信息公开|信息公开目录|政策文件|政策解读|索引号.{0,40})
      | .{0,30}(?:网站标识码|ICP备|公网安备|主办单位[：:]|承办单位[：:]|网站地图|联系我们|版权所有).{0,80}
    )$""",
    re.X,
)


def remove_boilerplate(text: str) -> tuple[str, list[str]]:
    """Drop whole lines of web furniture; return (text, removed lines).

    The removed lines are returned because some carry metadata (a publication date in
    a 来源/发布时间 bar, a 发文字号 in a download link) that the metadata stage reads.

    >>> remove_boilerplate("正文\\n分享到：微信\\n【打印正文】")[0]
    '正文'
    """
    kept: list[str] = []
    removed: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and len(stripped) <= 200 and _BOILERPLATE_LINE.match(stripped):
            removed.append(stripped)
        else:
            kept.append(line)
    return "\n".join(kept), removed


# ---------------------------------------------------------------- whitespace
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff]+")
_SPACED_BREAKS = re.compile(r" *\n[ \n]*")


def normalise_whitespace(text: str) -> str:
    """Strip every line, drop blank lines, fold runs of spaces to one space.

    >>> normalise_whitespace("  一、总体要求 \\n\\n\\u3000（一）目标  ")
    '一、总体要求\\n（一）目标'
    """
    # whole-text substitutions: one regex pass each instead of a Python loop over lines
    return _SPACED_BREAKS.sub("\n", _SPACES.sub(" ", text)).strip(" \n")


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


def find_mojibake(text: str) -> list[tuple[int, int]]:
    """Spans of text that look garbled ("?" runs inside Chinese, U+FFFD, 锟斤拷 …).

    >>> find_mojibake("发展?jié潜力")
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


def clean_text(raw: str) -> CleanResult:
    """Run every cleaning step on decoded text.

    >>> clean_text("<p>(一)城鎮(zhèn)化</p>").text
    '（一）城镇化'
    """
    removed: dict[str, int] = {}
    items: dict[str, int] = {}
    problems: list[tuple[str, str]] = []

    fields, text, fm_problem = split_front_matter(raw)
    removed["front_matter"] = len(raw) - len(text)
    items["front_matter"] = len(fields)
    if fm_problem:
        problems.append(("front_matter", fm_problem))

    before = len(text)
    if looks_like_html(text):
        text = html_to_text(text)
        items["html"] = 1
    else:
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
