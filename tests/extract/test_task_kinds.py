"""heading_kind: short headings that name a preamble or safeguard kind; task sentences name none."""

from urbanpolicy.extract.task_kinds import heading_kind


def test_labelled_headings_name_their_kind():
    assert heading_kind("（十二）加强组织领导") == "safeguard"   # label + 2 extra characters
    assert heading_kind("八、保障措施") == "safeguard"
    assert heading_kind("(五)主要目標".replace("標", "标")) == "goal"
    assert heading_kind("  二、总体要求 ") == "principle"
    assert heading_kind("（一）发展基础") == "context"


def test_a_task_sentence_mentioning_a_cue_is_no_heading():
    assert heading_kind("（三）完善规划实施监测评估和动态调整机制") is None
    assert heading_kind("健全组织领导体制机制，压实各级责任") is None
    assert heading_kind("深化户籍制度改革") is None
    assert heading_kind(None) is None
