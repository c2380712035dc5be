"""Structure: chapters and numbered tasks, counted as a careful reader counts them."""

from __future__ import annotations

import opencc
import pandas as pd
import pytest

from urbanpolicy import load_corpus, schema, structure_summary, tasks_tree
from urbanpolicy.extract.structure import structure_rows

from ..conftest import HUBEI, HUNAN, NATIONAL_PLAN, QINGYANG, STATE_COUNCIL


def structure(text: str) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """(sections, tasks, problems) of ``text`` by ``structure_rows``, the function the loader calls,
    with the tables built as the loader builds them (``schema.frame``)."""
    sections, tasks, problems = structure_rows("d", text)
    return schema.frame("sections", sections), schema.frame("tasks", tasks), problems


# chapters, tasks at depth 1, tasks at depth 2 — counted by reading each document
COUNTS = {
    HUBEI: (7, 24, 0),          # 一…七, （一）…（二十四） continuing across chapters
    HUNAN: (8, 22, 0),          # 一…八, （一）…（二十二）
    NATIONAL_PLAN: (8, 52, 0),  # 一…八, （一）…（五十二）
    STATE_COUNCIL: (6, 15, 24),  # （一）发展方向/（二）重点任务/（三）政策措施 per action, 1.–6. below
    QINGYANG: (3, 13, 28),      # （一）…（六） under 二 with 1.–9. below
}


@pytest.mark.parametrize("doc_id", sorted(COUNTS))
def test_seed_structure_counts(corpus, doc_id):
    summary = structure_summary(corpus).set_index("doc_id").loc[doc_id]
    chapters, d1, d2 = COUNTS[doc_id]
    assert summary["chapters"] == chapters
    assert summary["depth_1"] == d1
    assert summary.get("depth_2", 0) == d2


TITLES = {
    (HUBEI, "一/（一）"): "深度放开放宽城市落户限制",
    (HUBEI, "七/（二十四）"): "压实地方责任",
    (HUNAN, "二/（二）"): "推动城镇基本公共服务覆盖未落户常住人口",
    (HUNAN, "八/（二十一）"): "加强部门协调",
    (NATIONAL_PLAN, "三/（六）"): "深化户籍制度改革",
    (NATIONAL_PLAN, "八/（五十二）"): "加强监测评估",
    (STATE_COUNCIL, "二/（二）"): "重点任务",
    (STATE_COUNCIL, "二/（二）/1."): "进一步深化户籍制度改革",
    (STATE_COUNCIL, "五/（二）/1."): "推进城镇老旧小区改造",
    (QINGYANG, "二/（一）"): "放宽户口迁移政策",
    (QINGYANG, "二/（五）/9."): "建立健全城镇基础设施保障机制",
    (QINGYANG, "三/（四）"): "强化监督检查",
}


def test_seed_task_titles(corpus):
    tasks = corpus.tasks.set_index(["doc_id", "path"])
    for key, title in TITLES.items():
        assert tasks.at[key, "title"] == title, key


def test_every_task_text_is_its_slice_of_the_document(corpus):
    texts = corpus.documents.set_index("doc_id")["text"]
    for row in corpus.tasks.itertuples():
        assert row.text == texts[row.doc_id][row.start:row.end]
    for row in corpus.sections.itertuples():
        assert texts[row.doc_id][row.start:row.end].startswith(row.label + "、")


def test_tasks_are_unique_and_nested(corpus):
    tasks = corpus.tasks
    assert tasks["task_id"].is_unique
    children = tasks.dropna(subset=["parent_task_id"])
    parents = tasks.set_index("task_id")
    assert (parents.loc[children["parent_task_id"], "depth"].values + 1 == children["depth"].values).all()
    assert not parents.loc[children["parent_task_id"], "is_leaf"].any()


def test_news_lead_signature_and_trailer_are_outside_tasks(corpus):
    tasks = corpus.tasks.set_index(["doc_id", "path"])
    last_qy = tasks.loc[(QINGYANG, "三/（四）"), "text"]
    assert "庆阳市人民政府办公室" not in last_qy and "2022年3月30日" not in last_qy
    assert "相关解读" not in last_qy
    first_hubei = tasks.loc[(HUBEI, "一/（一）"), "start"]
    text = corpus.documents.set_index("doc_id").at[HUBEI, "text"]
    assert text.index("以下为通知全文") < first_hubei
    assert not corpus.problems["kind"].str.startswith("numbering").any()


DEEP = """关于推进城镇化的若干措施
为推进城镇化，制定本措施。
一、总体要求
（一）主要目标
1.人口目标。到2025年城镇化率达到60%。
（1）落户。放开落户。
（2）服务。完善服务。
2.空间目标。形成1小时通勤圈。
二、重点任务
（二）住房保障。加快保障性住房建设。
"""


def test_three_levels_under_chapters_and_continuing_numbering():
    sections, tasks, problems = structure(DEEP)
    assert list(sections["label"]) == ["一", "二"]
    assert list(tasks["path"]) == ["一/（一）", "一/（一）/1.", "一/（一）/1./（1）", "一/（一）/1./（2）",
                                   "一/（一）/2.", "二/（二）"]
    assert list(tasks["depth"]) == [1, 2, 3, 3, 2, 1]
    assert list(tasks["title"]) == ["主要目标", "人口目标", "落户", "服务", "空间目标", "住房保障"]
    assert problems == []
    assert "为推进城镇化" not in "".join(tasks["text"])


def test_document_without_chapters_has_tasks_at_depth_1():
    text = "市政府关于进一步做好落户工作的通知\n各县区：\n1、放宽落户条件。2021年起实施。\n2、优化服务。\n3、加强宣传。\n"
    sections, tasks, problems = structure(text)
    assert sections.empty
    assert list(tasks["label"]) == ["1.", "2.", "3."]
    assert set(tasks["depth"]) == {1}
    assert problems == []


def test_mixed_bracket_widths_and_half_width_points():
    text = "一、总体要求\n(一)目标。到2025年。\n（二）原则。\n1. 放宽。\n2．优化。\n二、任务\n(三)住房。\n"
    _, tasks, problems = structure(text)
    assert list(tasks["label"]) == ["（一）", "（二）", "1.", "2.", "（三）"]
    assert list(tasks["title"]) == ["目标", "原则", "放宽", "优化", "住房"]
    assert problems == []


def test_numbers_in_running_text_are_not_items():
    text = ("一、总体要求\n（一）目标。\n2021年是开局之年。\n5G网络覆盖。\n1小时通勤圈基本形成。\n"
            "（2021—2035年）规划实施。\n（市、区）政府负责。\n1.5万人落户。\n")
    _, tasks, _ = structure(text)
    assert list(tasks["label"]) == ["（一）"]
    assert tasks["text"].iloc[0].endswith("1.5万人落户。")


def test_skipped_and_repeated_numbers_are_reported():
    text = "一、甲\n（一）甲。\n（三）丙。\n（三）丙。\n三、丙\n"
    _, _, problems = structure(text)
    kinds = [p["kind"] for p in problems]
    assert kinds == ["numbering_skip", "numbering_repeat", "numbering_skip"]
    assert all(text[p["start"]:p["end"]].startswith(("（", "三")) for p in problems)


def test_traditional_document_parses_like_simplified(tmp_path):
    (tmp_path / "s.txt").write_text(DEEP, encoding="utf-8")
    (tmp_path / "t.txt").write_text(opencc.OpenCC("s2t").convert(DEEP).replace("（", "(").replace("）", ")"),
                                    encoding="utf-8")
    corpus = load_corpus(tmp_path, keep_duplicates=True)
    paths = corpus.tasks.groupby("doc_id")["path"].apply(list)
    titles = corpus.tasks.groupby("doc_id")["title"].apply(list)
    assert paths["s"] == paths["t"]
    assert titles["s"] == titles["t"]


def test_chapter_style_di_zhang_puts_yi_below_it():
    text = "第一章 总则\n一、目标\n（一）到2025年。\n第二章 任务\n一、落户\n"
    sections, tasks, problems = structure(text)
    assert list(sections["label"]) == ["一", "二"]
    assert list(tasks["path"]) == ["一/一", "一/一/（一）", "二/一"]


def test_tasks_tree_draws_every_task(corpus):
    fig = tasks_tree(corpus, QINGYANG)
    n_tasks = (corpus.tasks["doc_id"] == QINGYANG).sum()
    n_sections = (corpus.sections["doc_id"] == QINGYANG).sum()
    assert len(fig.data[0].ids) == 1 + n_sections + n_tasks
    with pytest.raises(ValueError, match="doc_id"):
        tasks_tree(corpus, "nope")
