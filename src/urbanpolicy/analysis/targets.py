"""Comparing quantitative targets across documents: the same indicator lined up by a normalised key."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from urbanpolicy.corpus import Corpus
from urbanpolicy.extract.targets import _trim
from urbanpolicy.rules.words import alternation

COMPARE_COLUMNS = [
    "doc_id", "indicator_key", "indicator", "value", "unit", "value_base", "unit_base", "year", "kind",
]

# Near-synonyms that should line up across documents.  Kept deliberately small: each
# entry is (pattern searched in the trimmed indicator, key).  First match wins.
INDICATOR_SYNONYMS: list[tuple[str, str]] = [
    (r"老旧小区", "老旧小区改造"),              # 城镇老旧小区改造 / 新开工改造老旧小区
    (r"户籍人口城镇化率", "户籍人口城镇化率"),
    (r"城镇化率|城镇化水平", "常住人口城镇化率"),
    (r"保障性租赁住房", "保障性租赁住房"),
    (r"棚户区", "棚户区改造"),
    (r"随迁子女.*义务教育|义务教育.*随迁子女", "随迁子女义务教育"),
    (r"城市轨道交通.*里程", "城市轨道交通运营里程"),
]
_KEY_STRIP = re.compile(rf"{alternation('scope_words')}|年均|累计|新增|新开工|城镇|城市|[ \t]")


def indicator_key(indicator: str | None) -> str:
    """A normalised key for matching indicators across documents.

    >>> [indicator_key(x) for x in ["城镇老旧小区改造", "新开工改造老旧小区", "全市常住人口城镇化率"]]
    ['老旧小区改造', '老旧小区改造', '常住人口城镇化率']
    """
    if indicator is None or indicator is pd.NA or (isinstance(indicator, float) and np.isnan(indicator)):
        return ""
    trimmed = _trim(str(indicator))
    for pattern, key in INDICATOR_SYNONYMS:
        if re.search(pattern, trimmed):
            return key
    return _KEY_STRIP.sub("", trimmed) or trimmed


def compare_targets(targets: Corpus | pd.DataFrame, documents: pd.DataFrame | None = None,
                    indicator: str | None = None) -> pd.DataFrame:
    """Line up the same indicator across documents (kind == target only).

    ``targets`` is a Corpus (its documents are then joined too) or a targets table:
    ``compare_targets(corpus, indicator="老旧小区改造")``.

    Returns doc_id, indicator_key, indicator, value, unit, value_base, unit_base, year, kind
    and, when ``documents`` is given, its title/region/level; sorted by key, year, doc.
    ``indicator`` keeps rows whose key equals, or contains, that indicator's key.

    >>> from urbanpolicy import schema
    >>> from urbanpolicy.extract.targets import target_rows
    >>> rows, _ = target_rows("a", "2021年新开工改造老旧小区1500个。", None, 2021, [])
    >>> compare_targets(schema.frame("targets", rows))[["indicator_key", "value", "year"]].values.tolist()
    [['老旧小区改造', 1500.0, 2021]]
    """
    if hasattr(targets, "targets"):  # a Corpus
        documents = targets.documents if documents is None else documents
        targets = targets.targets
    rows = targets[targets["kind"] == "target"].copy()
    rows["indicator_key"] = rows["indicator"].map(indicator_key)
    if indicator is not None:
        key = indicator_key(indicator)
        same = rows["indicator_key"] == key
        rows = rows[same | rows["indicator_key"].str.contains(key, regex=False)] if key else rows[same]
    out = rows[COMPARE_COLUMNS]
    if documents is not None:
        extra = [c for c in ("title", "region", "level") if c in documents.columns]
        out = out.merge(documents[["doc_id", *extra]].drop_duplicates("doc_id"), on="doc_id", how="left")
    return out.sort_values(["indicator_key", "year", "doc_id"], na_position="last").reset_index(drop=True)
