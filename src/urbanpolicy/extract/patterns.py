"""Named regex sub-patterns and character maps shared by the extractors: one declaration each.

Vocabulary (genre words, organisation suffixes) is data in ``rules/``; this module holds the
forms: digits, years, 发文字号 (document numbers) and numbering labels.  Where copies of a rule
used to differ, the more general one is kept here (noted at each declaration).
"""

from __future__ import annotations

import re

from urbanpolicy.settings import YEAR_MAX, YEAR_MIN

# ---------------------------------------------------------------- digits
# Full-width digits map one-to-one onto ASCII digits, so translating keeps every offset valid
# and the regexes only need to know \d-as-ASCII.
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
FULLWIDTH_DIGIT = re.compile("[０-９]")
# A number written with full-width digits, decimal point or thousands comma (３７．５, １，０００).
FULLWIDTH_NUMBER = str.maketrans("０１２３４５６７８９．，", "0123456789.,")

# The ten Chinese digits a year is written with (二〇二五年); 零 and 〇 both mean 0.
CN_YEAR_DIGITS = "〇零一二三四五六七八九"
CN_YEAR_TO_ASCII = str.maketrans(CN_YEAR_DIGITS, "00123456789")


def year_in_window(year: int) -> bool:
    """True when ``year`` lies in settings.YEAR_MIN..YEAR_MAX (1900–2100 by default).

    Was 1900–2100 in dates and 1949–2100 in targets; the wider window is kept.

    >>> year_in_window(2025), year_in_window(1899), year_in_window(1921)
    (True, False, True)
    """
    return YEAR_MIN <= year <= YEAR_MAX


# ---------------------------------------------------------------- 发文字号 (document numbers)
# 国发〔2024〕17号, 甘政办发 [2017] 158 号, 发改规划（2021）493号.  The year's brackets: every style
# met in sources (the union of the four former copies; 【】 and ﹝﹞ were missing from some).
DOC_NUMBER_OPEN = r"[\[【〔［（(﹝]"
DOC_NUMBER_CLOSE = r"[\]】〕］）)﹞]"
# The bracketed year; group-free, so it composes.
DOC_NUMBER_YEAR = rf"{DOC_NUMBER_OPEN}\s*\d{{4}}\s*{DOC_NUMBER_CLOSE}"
# Issuer code: short, Chinese or Latin letters (国发, 甘政办发, 发改规划, ABC).
DOC_NUMBER_CODE_MAX = 12  # metadata had 12, citations 10
DOC_NUMBER_CODE = rf"[\u4e00-\u9fffA-Za-z]{{1,{DOC_NUMBER_CODE_MAX}}}"
# Serial: optional 第, up to five digits, 号 (the copies had \d+ and \d{1,5}; no serial is longer).
DOC_NUMBER_SERIAL = r"第?\s*\d{1,5}\s*号"
DOC_NUMBER = rf"{DOC_NUMBER_CODE}\s*{DOC_NUMBER_YEAR}\s*{DOC_NUMBER_SERIAL}"
# The year of a normalised number (normalise_doc_number writes 〔YYYY〕).
NORMALISED_NUMBER_YEAR = r"〔(\d{4})〕"

# ---------------------------------------------------------------- five-year plans
# 十一五 … 十九五 (the 11th to 19th plans); the digit alone, for a capture group around it.
PLAN_NUMBER = "[一二三四五六七八九]"
FIVE_YEAR_PLAN = rf"十{PLAN_NUMBER}五"

# ---------------------------------------------------------------- numbering labels
# Numerals of a Chinese section label: 一、 （三） 第十二章.
LABEL_NUMERALS = "一二三四五六七八九十百零〇两"
CHAPTER_LABEL = rf"[{LABEL_NUMERALS}]+、"                       # 一、
SECTION_LABEL = rf"[（(][{LABEL_NUMERALS}]+[）)]"                # （一）
