"""Every table of a ``Corpus``: its columns, their dtypes, meanings and allowed values.

One declaration, used everywhere: every stage builds its tables with ``frame`` (and ``empty``),
and the loader types each run of documents in Arrow with ``arrow_table`` and joins the runs with
``from_arrow`` (the same tables as ``frame`` over all the rows, a test checks), so a table has
the same columns and dtypes whether the corpus is full, empty or made of one file without text.  ``docs/data-dictionary.md`` is generated from
here (``python -m urbanpolicy.schema > docs/data-dictionary.md``; a test checks it is current).

Dtypes: ``str`` text (missing = NaN), ``category`` text of a column whose values repeat (doc_ids,
kinds, roles, agency names, units: each distinct text stored once, categories sorted; compare,
filter, group and sort it as text, but add a new value with ``.astype(str)`` first), ``int64``,
``Int64`` (integer that may be missing), ``float64``, ``bool``, ``datetime64[ns]`` (missing = NaT).

To add a column, add one ``Column(...)`` line to its table below; rows that do not carry it
yet get a missing value (NaN/NA), and ``docs/data-dictionary.md`` is regenerated with the
command above.

>>> [str(t) for t in frame("sections", [{"doc_id": "a", "section_id": "a:1", "start": 0, "end": 9}]).dtypes]
['category', 'str', 'category', 'str', 'int64', 'int64']
>>> list(empty("references").columns)
['doc_id', 'cited_title', 'cited_number', 'cited_doc_id', 'start', 'end']
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class Column:
    """One column: name, dtype, meaning in English and Chinese, allowed values (empty = any)."""

    name: str
    dtype: str
    en: str
    zh: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """One table: what a row is (English, Chinese) and its columns in order."""

    row_en: str
    row_zh: str
    columns: tuple[Column, ...]


def _offsets(what: str, what_zh: str) -> tuple[Column, Column]:
    return (Column("start", "int64", f"offset of the first character of {what} in ``documents.text``",
                   f"{what_zh}在 documents.text 中的起始字符位置"),
            Column("end", "int64", f"offset just after {what} (``text[start:end]``)",
                   f"{what_zh}的结束位置（不含）：text[start:end]"))


_DOC_ID = Column("doc_id", "str", "document id: the path relative to the source folder without its extension "
                 "(湖北/plan; with the extension when two files would share an id); for a file given alone, its "
                 "name without extension.  In ``problems``, an entry that is no document is named as written "
                 "(old.doc, .DS_Store)", "文件编号：相对路径（去扩展名；重名时保留扩展名）")
# In the tables with many rows per document, the doc_id is stored once per distinct value.
_DOC_ID_CODE = Column("doc_id", "category", _DOC_ID.en, _DOC_ID.zh)
_TASK_ID = Column("task_id", "str", "the innermost task containing the span (``tasks.task_id``); "
                  "missing when outside every task", "所在的最内层任务编号（tasks.task_id）；不在任何任务内时为空")

TABLES: dict[str, Table] = {
    "documents": Table("document", "每份文件一行", (
        _DOC_ID,
        Column("source_file", "str", "the path relative to the source folder (folder sources) or the path as "
               "given", "来源文件的相对路径或路径"),
        Column("folder", "str", "the sub-folder the file is in, relative to the source folder (\"\" at the top; "
               "e.g. one folder per province), to group documents by", "所在子文件夹（相对路径，顶层为空），可用于分组"),
        Column("sha256", "str", "SHA-256 of the file's bytes", "文件字节的 SHA-256"),
        Column("encoding", "str", "the encoding the bytes were decoded with (docx/pdf for files read with "
               "python-docx/pypdf)", "解码所用编码（docx/pdf 表示由相应库读取）"),
        Column("title", "str", "the document's own title (not a news headline)", "文件本身的标题（不是新闻标题）"),
        Column("short_name", "str", "short label for reports: region·issuer·year and genre (湖北·省发改委·2021 工作要点), "
               "unique in the corpus", "报告用简称：地区·发文机关·年份 文种（唯一）"),
        Column("short_name_en", "str", "the short label in English (Hubei · 2021 work points)", "英文简称"),
        Column("headline", "str", "the headline of a news page reporting the document", "转载新闻的标题"),
        Column("issuer", "str", "the issuing body as written", "发文机关（原文）"),
        Column("level", "str", "administrative level of the issuer", "发文机关的行政层级",
               ("national", "provincial", "municipal", "county")),
        Column("region", "str", "the issuer's region (全国 for national bodies)", "发文机关所在地区（中央为“全国”）"),
        Column("province", "str", "the province of the region", "所在省份"),
        Column("issued", "datetime64[ns]", "date of issue (成文日期)", "成文日期"),
        Column("published", "datetime64[ns]", "date of publication (发布日期) where a page gives it", "发布日期"),
        Column("doc_number", "str", "the document's own 发文字号, normalised to 〔〕 brackets", "发文字号（统一为〔〕）"),
        Column("issuers", "str", "every issuing body, canonical names from the agency register, \"、\"-joined "
               "in the order written (jointly issued documents name several; see "
               "``urbanpolicy.extract.issuers``)", "全部发文机关（规范名称，按原文顺序以“、”连接）"),
        Column("doc_type", "str", "genre of the substantive document (for 关于印发《X》的通知, the type of X)",
               "文种（印发类通知取被印发文件的文种）"),
        Column("draft", "bool", "a draft for comment (征求意见稿, 送审稿, 草案)", "是否为征求意见稿等草案"),
        Column("issuer_rank", "str", "the highest rank among the issuers", "发文机关级别（取最高者）",
               ("state_council", "ministry", "provincial_government", "provincial_department", "prefecture",
                "county")),
        Column("strength", "float64", "policy strength: issuer rank points × document-type weight (scheme in "
               "``urbanpolicy.extract.issuers``, adapted from 彭纪生 et al. 2008)", "政策力度：发文机关级别分 × 文种权重"),
        Column("script", "str", "script of the file as found (the clean text is always simplified)",
               "原文字形（清洗后一律为简体）", ("simplified", "traditional", "mixed")),
        Column("n_chars", "int64", "length of the clean text in characters", "清洗后文本的字符数"),
        Column("duplicate_of", "str", "doc_id of an earlier document with the same clean text",
               "与之清洗后文本相同的先前文件编号"),
        Column("text", "str", "the clean text (simplified, full-width Chinese punctuation, ASCII digits); "
               "every offset in every table points into it", "清洗后的全文；各表的位置均指向此文本"),
    )),
    "problems": Table("finding", "每条问题一行", (
        _DOC_ID_CODE,
        Column("source_file", "category", "as in ``documents``", "同 documents"),
        Column("kind", "category", "what was found: unsupported_format (.doc, .wps, a scanned PDF …: convert it), "
               "skipped (hidden entries, FIFOs and other non-regular files, links to folders), unreadable, "
               "empty_folder, file_name (a name not in UTF-8), control_characters, date_out_of_range, html_dropped "
               "(text a browser does not show), empty, binary, undecodable, no_text, front_matter, "
               "boilerplate_removed, junk_removed, mojibake, damaged_label, damaged_date, damaged_doc_number, "
               "numbering_skip, numbering_repeat, open_list, damaged_clause, clause_outside_task, carry_over, "
               "unknown_agency, target_*, duplicate, near_duplicate, error …", "问题类型"),
        Column("detail", "str", "the text concerned or an explanation", "相关文字或说明"),
        Column("start", "int64", "offset into the clean text; -1 when the finding concerns the whole file",
               "起始位置；涉及整个文件时为 -1"),
        Column("end", "int64", "end offset; -1 when the finding concerns the whole file", "结束位置；整个文件时为 -1"),
    )),
    "cleaning": Table("document × cleaning step", "每份文件每个清洗步骤一行", (
        _DOC_ID_CODE,
        Column("step", "category", "the cleaning step, in the order they run", "清洗步骤",
               ("front_matter", "html", "junk", "pinyin", "script", "punctuation", "boilerplate", "whitespace")),
        Column("chars_removed", "int64", "characters the step removed", "该步骤删除的字符数"),
        Column("items", "int64", "things the step acted on: front-matter fields, 1 if HTML was stripped, "
               "junk tokens removed, pinyin glosses removed, 1 if the script was converted, boilerplate lines removed",
               "该步骤处理的条目数：元数据字段数、是否去除 HTML、删除的拼音注音数、是否繁简转换、删除的网页杂项行数"),
    )),
    "sections": Table("chapter (一、… / 第一章 …)", "每章一行", (
        _DOC_ID_CODE,
        Column("section_id", "str", "``doc_id:number`` of the chapter", "章节编号"),
        Column("label", "category", "the chapter's number as written (一, 二 …)", "章序号（原文）"),
        Column("heading", "str", "the chapter heading", "章标题"),
        *_offsets("the chapter", "章节"),
    )),
    "tasks": Table("numbered item at any depth", "每个编号条目一行（任意层级）", (
        _DOC_ID_CODE,
        Column("task_id", "str", "id of the task, unique in the corpus", "任务编号"),
        Column("section_id", "category", "the chapter it is in", "所在章节"),
        Column("parent_task_id", "str", "the enclosing task (missing at depth 1)", "上级任务编号"),
        Column("depth", "int64", "1 for the top numbered level under a chapter, 2 below it …", "层级（1 为最高）"),
        Column("label", "category", "the label as written: （十一）, 3.", "编号（原文）"),
        Column("path", "category", "labels from the chapter down: 二/（二）/3.", "从章到本条的编号路径"),
        Column("ordinal", "int64", "the label's number as an integer (（十一） → 11)", "编号的数值（（十一）→11）"),
        Column("is_leaf", "bool", "True when no task lies below it", "是否为末级条目"),
        Column("title", "str", "the task's lead phrase (up to the first 。 or ：)", "条目标题（首个句号或冒号前）"),
        Column("kind", "category", "what the item is, read from its headings: a task, or the plan's context, principles, "
               "goals or safeguards (not tasks to assign or take up)", "条目性质：任务，或背景、指导思想与原则、目标、保障措施",
               ("task", "context", "principle", "goal", "safeguard")),
        Column("text", "str", "the whole task: ``documents.text[start:end]``", "条目全文"),
        *_offsets("the task", "条目"),
        Column("directive", "category", "how binding the task's wording is: its strongest cue's level "
               "(see ``urbanpolicy.extract.directive``); missing when it has no cue",
               "约束强度：强制性、引导性、探索性（取最强的提示词）", ("mandatory", "guiding", "exploratory")),
        Column("directive_cue", "category", "the evidence: the first cue of that level (确保, 推动, 探索 …)",
               "依据：该强度的第一个提示词"),
        Column("directive_start", "Int64", "offset of the cue in ``documents.text``; missing without a cue",
               "提示词起始位置；无提示词时为空"),
        Column("directive_end", "Int64", "end offset of the cue; missing without a cue", "提示词结束位置；无时为空"),
    )),
    "dates": Table("time expression", "每个时间表达一行", (
        _DOC_ID_CODE, _TASK_ID,
        Column("text", "str", "the expression as written", "原文"),
        Column("date", "datetime64[ns]", "the day it means: the last day of a year/month/quarter for deadlines "
               "and target years, the first day otherwise (see ``urbanpolicy.extract.dates``)",
               "对应日期：截止与目标年取期末，其余取期初"),
        Column("precision", "category", "how precise the text is (missing for ongoing)", "精度",
               ("day", "month", "quarter", "year")),
        Column("kind", "category", "what the date is for", "时间类型",
               ("issued", "published", "deadline", "target_year", "baseline", "period", "relative",
                "ongoing", "mention")),
        Column("start", "int64", "offset into the clean text; -1 for an issue/publication date read from "
               "front matter or a web page bar", "起始位置；来自网页元数据的日期为 -1"),
        Column("end", "int64", "end offset; -1 like start", "结束位置；同上"),
        Column("end_date", "datetime64[ns]", "last day of a period (十四五 → 2025-12-31); NaT otherwise",
               "时期的最后一天；非时期为空"),
    )),
    "references": Table("cited document", "每个被引文件一行", (
        _DOC_ID_CODE,
        Column("cited_title", "str", "the cited title, normalised (see ``normalise_title``)", "被引文件标题（规范化）"),
        Column("cited_number", "str", "the cited 发文字号, normalised to 〔〕", "被引发文字号"),
        Column("cited_doc_id", "str", "doc_id of the cited document when it is in the corpus", "被引文件在语料中的编号"),
        *_offsets("the citation", "引用"),
    )),
    "targets": Table("quantity", "每个数量一行", (
        _DOC_ID_CODE, _TASK_ID,
        Column("indicator", "str", "what is measured (常住人口城镇化率)", "指标"),
        Column("comparator", "category", "the verb before the number as written (达到, 不低于, 控制在 …)", "比较词（原文）"),
        Column("value", "float64", "the number as written (the upper end of a range)", "数值（范围取上限）"),
        Column("value_low", "float64", "the lower end of a range (1-2个 → 1); missing otherwise", "范围下限"),
        Column("unit", "category", "the unit as written (%, 万套, 亿元)", "单位（原文）"),
        Column("value_base", "float64", "value with 万/亿/千 multiplied out (4.35万套 → 43500)", "换算后的数值"),
        Column("unit_base", "category", "the unit without its multiplier (套; empty for a bare 万)", "去掉倍数后的单位"),
        Column("qualifier", "category", "a hedge or bound around the number", "限定词",
               ("左右", "以上", "以下", "以内", "及以上", "及以下", "上下", "约", "大约", "接近", "逾")),
        Column("year", "Int64", "the year the quantity is for (see ``urbanpolicy.extract.targets``)", "目标年份"),
        Column("kind", "category", "target (a goal), baseline (a past fact), threshold (an eligibility band), "
               "limit (a prohibition)", "类型：目标、基数、门槛、限制", ("target", "baseline", "threshold", "limit")),
        Column("sentence", "str", "the sentence holding the quantity", "所在句子"),
        *_offsets("the quantity", "数量"),
    )),
    "assignments": Table("task × agency", "每个任务 × 机构一行", (
        _DOC_ID_CODE,
        Column("task_id", "str", "the task that names the body; missing when a clause under a document's or "
               "annex's title names who leads that document as a whole", "任务编号；文件（附件）整体牵头时为空"),
        Column("position", "int64", "1-based order of the body among the task's rows of the same source "
               "(in a clause, 1 is the body named first)", "同一任务同一来源中机构的顺序（从 1 起）"),
        Column("agency_raw", "category", "the body as written", "机构名称（原文）"),
        Column("agency", "category", "canonical name from the register (rules/agencies.csv)", "规范名称"),
        Column("agency_en", "category", "English name", "英文名称"),
        Column("function", "category", "policy domain of the body (the register's function column; for a body "
               "not in the register, read from its form in rules/body_forms.csv, else unknown)", "职能领域"),
        Column("agency_type", "category", "department, local government, party organ, coordination body, "
               "enterprise or financial body, other", "机构类型"),
        Column("role", "category", "lead, support or joint; empty for a mention (the text gives no role)",
               "角色：牵头、配合、共同；仅提及时为空", ("lead", "support", "joint", "")),
        Column("source", "category", "the evidence: a responsibility clause, a carry-over rule of an earlier clause "
               "(以下任务均需…落实), a prose subject, or a mention",
               "依据：责任分工括注、前文统一分工规定、句子主语或提及", ("clause", "carry_over", "prose", "mention")),
        Column("open_list", "bool", "True when the list ends with 等 (…等部门): more bodies are meant",
               "列举以“等”结尾（未列全）"),
        *_offsets("the body's name", "机构名称"),
    )),
}


def columns(table: str) -> list[str]:
    """The column names of ``table`` in order."""
    return [c.name for c in TABLES[table].columns]


def dtypes(table: str) -> dict[str, str]:
    """Column name → dtype of ``table``."""
    return {c.name: c.dtype for c in TABLES[table].columns}


_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # the dtype "str" names


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


_PLAIN_TEXT = frozenset({str, type(None), type(pd.NA)})  # value types taken as they are (None, NA: missing)


def _text(values: Sequence) -> pd.Series:
    """A ``str`` column of ``values`` (str or missing), its Arrow buffers allocated at their exact size.

    Why not ``pd.Series(values, dtype="str")``: Arrow's builder grows its buffers by doubling and
    the allocator keeps a shrunk buffer in place, so every column built that way holds up to
    twice its bytes; at corpus scale that was ~40% more resident memory than the text.  Here the
    UTF-8 bytes are joined once and the offsets computed from their lengths.  Values of another
    type (numbers …) take pandas's own conversion, which writes them as text.

    >>> _text(["城镇化", None, "a"]).tolist()
    ['城镇化', nan, 'a']
    """
    return pd.Series(pd.arrays.ArrowStringArray(_text_array(values), dtype=_STR))


def _text_array(values: Sequence) -> pa.LargeStringArray:
    """The Arrow array of a ``str`` column of ``values`` (see ``_text``)."""
    kinds = set(map(type, values))  # one pass in C: most columns hold only str (and None)
    if not kinds <= _PLAIN_TEXT:
        is_text = [type(v) is str for v in values]
        if not all(t or _missing(v) for t, v in zip(is_text, values, strict=True)):
            array = pa.array(pd.Series(list(values), dtype=_STR).array)
            return (array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array).cast(pa.large_string())
    if kinds <= {str}:
        encoded, valid = list(map(str.encode, values)), None
    else:
        is_text = [type(v) is str for v in values]
        encoded = [v.encode() if t else b"" for t, v in zip(is_text, values, strict=True)]
        valid = pa.py_buffer(np.packbits(np.array(is_text, dtype=bool), bitorder="little"))
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    return pa.LargeStringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded)), valid)


def _codes(values: list) -> pd.Series:
    """A ``category`` column of ``values`` (str or missing): each distinct text stored once, categories
    sorted as str sorts them, so sorting the column orders it as it would order the text.

    >>> _codes(["lead", None, "joint", "lead"]).cat.categories.tolist()
    ['joint', 'lead']
    """
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    codes, uniques = pd.factorize(array, sort=True)  # missing values (None, NaN, NA) get the code -1
    if not all(type(v) is str for v in uniques):
        return _codes(_text(list(values)).tolist())  # numbers … written as text, as a str column would
    return pd.Series(pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(_text(uniques.tolist()))))


def concat(table: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    """``table`` from frames of it built apart (by ``frame``), rows in order, dtypes kept.

    A ``category`` column takes the union of the frames' categories (sorted), where a plain
    ``pd.concat`` of categoricals that differ would fall back to object.

    >>> row = {"step": "html", "chars_removed": 0, "items": 0}
    >>> both = concat("cleaning", [frame("cleaning", [{"doc_id": "b", **row}]),
    ...                            frame("cleaning", [{"doc_id": "a", **row}])])
    >>> both["doc_id"].tolist(), both["doc_id"].cat.categories.tolist()
    (['b', 'a'], ['a', 'b'])
    """
    if not frames:
        return empty(table)
    if len(frames) == 1:
        return frames[0]
    frames = list(frames)
    for col in TABLES[table].columns:
        if col.dtype != "category":
            continue
        union = sorted(set().union(*(f[col.name].cat.categories for f in frames)))
        wanted = pd.CategoricalDtype(_text(union))
        frames = [f if f[col.name].dtype == wanted else f.assign(**{col.name: f[col.name].cat.set_categories(
            wanted.categories)}) for f in frames]
    return pd.concat(frames, ignore_index=True)


def _series(values: Sequence, dtype: str) -> pd.Series:
    if dtype == "str":
        return _text(values)
    if dtype == "category":
        return _codes(values)
    if dtype == "datetime64[ns]":
        return pd.to_datetime(pd.Series(list(values), dtype="object")).astype("datetime64[ns]")
    if dtype in ("int64", "bool", "float64"):
        return pd.Series(np.array(values, dtype=dtype) if len(values) else np.array([], dtype=dtype))
    return pd.Series(list(values), dtype=dtype)


def row_values(table: str, rows: Iterable[Mapping]) -> dict[str, Sequence]:
    """Each column of ``table`` as the sequence of its rows' values (None where a row lacks it).

    Each column is taken with ``map(itemgetter(name), rows)`` (no Python code per value, no tuple
    per row for the garbage collector to visit): a ``dict.get`` per value cost more than typing
    the values.  Keys the schema does not name are ignored.

    >>> row_values("cleaning", [{"doc_id": "a", "step": "html", "items": 1}])
    {'doc_id': ['a'], 'step': ['html'], 'chars_removed': [None], 'items': [1]}
    """
    rows = rows if isinstance(rows, list) else list(rows)
    names = columns(table)
    if not rows:
        return {name: [] for name in names}
    present = [name for name in names if name in rows[0]]
    values: dict[str, Sequence] = {}
    if present:
        try:
            values = {name: list(map(itemgetter(name), rows)) for name in present}
        except KeyError:  # a later row lacks a key of the first: value by value
            values = {name: [row.get(name) for row in rows] for name in present}
    for name in names:
        if name not in values:
            values[name] = [row.get(name) for row in rows] if any(name in row for row in rows) else [None] * len(rows)
    return {name: values[name] for name in names}


def frame(table: str, rows: Iterable[Mapping] | pd.DataFrame = ()) -> pd.DataFrame:
    """``table`` built from row dicts (or a DataFrame): its columns in order, each with its dtype.

    A row without a key of the schema gets a missing value there; keys the schema does not
    name are dropped.  None, NaN and pd.NA all become the dtype's missing value.
    """
    if isinstance(rows, pd.DataFrame):
        data = {c: rows[c].tolist() if c in rows else [None] * len(rows) for c in columns(table)}
    else:
        data = row_values(table, rows)
    return pd.DataFrame({c.name: _series(data[c.name], c.dtype) for c in TABLES[table].columns}, copy=False)


@cache
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of ``table``: what ``pa.Table.from_pandas`` gives for its frame, with every
    categorical column's codes 32-bit (runs whose numbers of categories differ then join in Arrow).
    Its pandas metadata makes ``to_pandas`` restore the schema's dtypes (``Int64`` …)."""
    fields = pa.Table.from_pandas(empty(table), preserve_index=False).schema
    return pa.schema([pa.field(f.name, pa.dictionary(pa.int32(), f.type.value_type), f.nullable)
                      if pa.types.is_dictionary(f.type) else f for f in fields], metadata=fields.metadata)


def arrow_table(table: str, values: Mapping[str, Sequence]) -> pa.Table:
    """``table`` as an Arrow table of ``arrow_schema(table)``, from each column's ``values`` (see
    ``row_values``): the table ``frame`` gives, converted as ``pa.Table.from_pandas`` would, each
    categorical column's dictionary sorted.  Built without a pandas object per column; many
    such tables are joined and converted to pandas at once (``from_arrow``).

    >>> t = arrow_table("cleaning", row_values("cleaning", [{"doc_id": "b", "step": "html",
    ...                                                       "chars_removed": 3, "items": 1}]))
    >>> t.to_pandas().dtypes.astype(str).tolist()
    ['category', 'category', 'int64', 'int64']
    """
    arrays = []
    for col in TABLES[table].columns:
        found = values[col.name]
        if col.dtype == "str":
            arrays.append(_text_array(found))
        elif col.dtype == "category":
            arrays.append(_dictionary_array(found))
        elif col.dtype in ("int64", "bool", "float64"):
            arrays.append(pa.array(np.array(found, dtype=col.dtype) if len(found) else np.array([], dtype=col.dtype)))
        elif col.dtype == "Int64" and set(map(type, found)) <= {int, type(None), type(pd.NA)}:
            arrays.append(pa.array(found, type=pa.int64(), from_pandas=True))
        elif col.dtype == "datetime64[ns]" and set(map(type, found)) <= {pd.Timestamp, type(None)} \
                and all(v.tz is None for v in found if v is not None):
            arrays.append(pa.array(found, type=pa.timestamp("ns")))
        else:  # pandas's own conversion, as ``frame`` does it
            array = pa.array(_series(list(found), col.dtype).array)
            arrays.append(array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array)
    return pa.Table.from_arrays(arrays, schema=arrow_schema(table))


def from_arrow(table: str, parts: Sequence[pa.Table]) -> pd.DataFrame:
    """``table`` from Arrow tables of it (``arrow_table``, or the cache's copies of them), rows in
    order: the frame ``frame`` gives for all their rows at once.

    Column by column: text columns keep the parts' buffers (no copy), numbers are joined in NumPy,
    categorical codes are mapped onto the union of the parts' categories (sorted).  Arrow's own
    ``to_pandas`` of the joined tables left ~10% more resident memory (its conversion threads'
    allocations).

    >>> part = arrow_table("cleaning", row_values("cleaning", [{"doc_id": "b", "step": "html",
    ...                                                         "chars_removed": 3, "items": 1}]))
    >>> from_arrow("cleaning", [part, part])["doc_id"].tolist()
    ['b', 'b']
    """
    if not parts:
        return empty(table)
    out = {}
    for col in TABLES[table].columns:
        chunks = [chunk for part in parts for chunk in part.column(col.name).chunks]
        if col.dtype == "str":
            out[col.name] = pd.Series(pd.arrays.ArrowStringArray(
                pa.chunked_array(chunks, type=pa.large_string()), dtype=_STR))
        elif col.dtype == "category":
            indices = [chunk.indices.fill_null(-1).to_numpy(zero_copy_only=False) for chunk in chunks]
            texts = [chunk.dictionary.to_pylist() for chunk in chunks]
            # only the texts used: a spliced run's dictionary keeps those of the rows it lost
            used = [np.bincount(found[found >= 0], minlength=len(known)) > 0
                    for found, known in zip(indices, texts, strict=True)]
            union = sorted({text for known, mask in zip(texts, used, strict=True) for text, kept in zip(known, mask, strict=True) if kept})
            position = {text: n for n, text in enumerate(union)}
            codes = [np.array([position.get(text, -1) for text in known] + [-1], dtype=np.int64)[found]
                     for found, known in zip(indices, texts, strict=True)]
            out[col.name] = pd.Series(pd.Categorical.from_codes(
                np.concatenate(codes) if codes else np.array([], dtype=np.int64),
                dtype=pd.CategoricalDtype(_text(union))))
        elif col.dtype == "Int64":
            values = pa.chunked_array(chunks, type=pa.int64())
            out[col.name] = pd.Series(pd.arrays.IntegerArray(
                values.fill_null(0).to_numpy(), values.is_null().to_numpy()))
        else:
            out[col.name] = pd.Series(np.concatenate([chunk.to_numpy(zero_copy_only=False) for chunk in chunks])
                                      .astype(col.dtype, copy=False) if chunks else np.array([], dtype=col.dtype))
    return pd.DataFrame(out, copy=False)


def _dictionary_array(values: Sequence) -> pa.DictionaryArray:
    """The Arrow array of a ``category`` column of ``values``: 32-bit codes into the sorted
    distinct texts (UTF-8 byte order is code-point order, the order ``sorted`` gives str)."""
    if not set(map(type, values)) <= _PLAIN_TEXT:
        array = pa.array(_codes(list(values)).array)
        return array.cast(pa.dictionary(pa.int32(), pa.large_string()))
    encoded = pa.array(values, type=pa.large_string(), from_pandas=True).dictionary_encode()
    order = pc.array_sort_indices(encoded.dictionary)
    rank = np.empty(len(order), dtype=np.int32)
    rank[order.to_numpy()] = np.arange(len(order), dtype=np.int32)
    return pa.DictionaryArray.from_arrays(pc.take(pa.array(rank), encoded.indices), encoded.dictionary.take(order))


def column(table: str, name: str, values: Iterable) -> pd.Series:
    """Column ``name`` of ``table`` made of ``values``, with the schema's dtype.

    >>> str(column("tasks", "kind", ["task", "goal"]).dtype)
    'category'
    """
    return _series(list(values), dtypes(table)[name])


def empty(table: str) -> pd.DataFrame:
    """``table`` with no rows, typed as the schema says."""
    return frame(table, [])


def mismatches(table: str, df: pd.DataFrame) -> list[str]:
    """What in ``df`` differs from the schema of ``table`` (empty list = it matches exactly).

    >>> mismatches("cleaning", pd.DataFrame({"doc_id": ["a"]}))
    ["columns ['doc_id'] != ['doc_id', 'step', 'chars_removed', 'items']"]
    """
    if list(df.columns) != columns(table):
        return [f"columns {list(df.columns)} != {columns(table)}"]
    out = []
    for col in TABLES[table].columns:
        if str(df[col.name].dtype) != col.dtype:
            out.append(f"{table}.{col.name}: dtype {df[col.name].dtype} != {col.dtype}")
        if col.values:
            bad = sorted(set(df[col.name].dropna()) - set(col.values))
            if bad:
                out.append(f"{table}.{col.name}: values {bad} not in {list(col.values)}")
    return out


def _cell(text: str) -> str:
    """Text for a Markdown table cell: pipes escaped, reST ``code`` as Markdown `code`."""
    return text.replace("|", "\\|").replace("``", "`")


def column_lists() -> str:
    """Each table and its columns, in the form ``corpus.py``'s docstring shows them (a test compares)."""
    return "\n".join(f"``{name}`` (one row per {t.row_en})\n"
                     + textwrap.fill(", ".join(columns(name)) + ".", 96, initial_indent="    ",
                                     subsequent_indent="    ")
                     for name, t in TABLES.items())


def data_dictionary() -> str:
    """The Markdown of ``docs/data-dictionary.md``: every table and column."""
    lines = [
        "# Data dictionary / 数据字典",
        "",
        "Every table of a `Corpus` (`urbanpolicy.load_corpus`). Generated from `src/urbanpolicy/schema.py`",
        "by `python -m urbanpolicy.schema > docs/data-dictionary.md`; do not edit by hand.",
        "",
        "Dtypes: `str` text (missing = NaN), `category` text of a column whose values repeat (doc_ids,",
        "kinds, roles, agency names, units), stored once per distinct value (a pandas Categorical with",
        "sorted categories: compare, filter, group and sort it as text; `.astype(str)` before adding a",
        "value it does not hold), `int64`, `Int64` (integer, may be missing), `float64`, `bool`,",
        "`datetime64[ns]` (missing = NaT). Offsets (`start`, `end`) are character positions in",
        "`documents.text`: `text[start:end]` is the span as written.",
        "",
    ]
    for name, table in TABLES.items():
        lines += [f"## `{name}`", "", f"One row per {table.row_en}. {table.row_zh}。", "",
                  "| column | dtype | meaning | 含义 | values |", "|---|---|---|---|---|"]
        for c in table.columns:
            values = ", ".join(f"`{v}`" if v else "`\"\"`" for v in c.values)
            lines.append(f"| `{c.name}` | {c.dtype} | {_cell(c.en)} | {_cell(c.zh)} | {values} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(data_dictionary())
