"""Front matter: only a mapping of known keys is front matter, read within depth, size and alias limits.

The deep-nesting case runs in a child process: libyaml's composer used to overflow the C
stack on it (a segfault would take pytest down with it).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import urbanpolicy as up

from ..hostile_inputs import TASK_DOC, write


def load_text(tmp_path, content: str) -> up.Corpus:
    write(tmp_path / "a.txt", content)
    write(tmp_path / "z_good.txt", "一、其他\n（一）另一个文件。")
    corpus = up.load_corpus(tmp_path)
    assert "z_good" in set(corpus.documents["doc_id"])
    return corpus


def doc(corpus: up.Corpus) -> dict:
    return corpus.documents.set_index("doc_id").loc["a"].to_dict()


def problems_of(corpus: up.Corpus) -> list[tuple[str, str]]:
    rows = corpus.problems[corpus.problems["doc_id"] == "a"]
    return list(zip(rows["kind"], rows["detail"], strict=True))


def test_known_keys_are_front_matter(tmp_path):
    corpus = load_text(tmp_path, f"---\ntitle: '湖北：新型城镇化'\nauthor: 观察者网\ndate: 2021-06-12\n---\n{TASK_DOC}")
    row = doc(corpus)
    assert row["headline"] == "湖北：新型城镇化"
    assert row["text"] == TASK_DOC
    assert str(row["published"].date()) == "2021-06-12"


def test_a_rule_around_plain_text_is_not_front_matter(tmp_path):
    content = "---\n一、总体要求\n（一）推进城市更新。\n---\n（二）完善住房保障。"
    corpus = load_text(tmp_path, content)
    assert doc(corpus)["text"] == "---\n一、总体要求\n（一）推进城市更新。\n---\n（二）完善住房保障。"
    assert list(corpus.tasks.loc[corpus.tasks["doc_id"] == "a", "label"]) == ["（一）", "（二）"]


def test_a_mapping_of_unknown_keys_is_not_front_matter(tmp_path):
    content = "---\n发文机关: 省人民政府\n成文日期: 2021年6月1日\n---\n" + TASK_DOC
    text = doc(load_text(tmp_path, content))["text"]
    assert text.startswith("---\n发文机关： 省人民政府\n成文日期： 2021年6月1日\n---\n")
    assert text.endswith(TASK_DOC)


def test_invalid_yaml_opening_with_a_known_key_is_removed_and_reported(tmp_path):
    content = "---\ntitle: '未闭合\ndate: [2021\n---\n" + TASK_DOC
    corpus = load_text(tmp_path, content)
    assert doc(corpus)["text"] == TASK_DOC
    assert [k for k, _ in problems_of(corpus)].count("front_matter") == 1


def test_invalid_yaml_of_unknown_keys_stays_text(tmp_path):
    content = "---\n说明：[见附件\n---\n" + TASK_DOC
    text = doc(load_text(tmp_path, content))["text"]
    assert text.startswith("---\n说明：[见附件\n---\n") and text.endswith(TASK_DOC)


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path):
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    content = "---\ntitle: 通知\n" + "\n".join(levels) + "\n---\n" + TASK_DOC
    assert len(content) < 600  # 9**9 = 387 million x's if expanded
    corpus = load_text(tmp_path, content)
    row = doc(corpus)
    assert row["text"].endswith(TASK_DOC)
    assert row["headline"] is None or len(str(row["headline"])) < 100
    details = [d for k, d in problems_of(corpus) if k == "front_matter"]
    assert len(details) == 1 and "alias" in details[0]


def test_front_matter_larger_than_the_limit_is_not_parsed(tmp_path):
    content = "---\ntitle: 通知\ntags:\n" + "".join(f" - 标签{i}\n" for i in range(40_000)) + "---\n" + TASK_DOC
    corpus = load_text(tmp_path, content)
    assert doc(corpus)["text"].endswith(TASK_DOC)
    details = [d for k, d in problems_of(corpus) if k == "front_matter"]
    assert len(details) == 1 and "large" in details[0]


def test_yaml_nested_50000_deep_is_a_problem_row_not_a_crash(tmp_path):
    deep = "---\ntitle: " + "[" * 50_000 + "]" * 50_000 + "\n---\n" + TASK_DOC
    write(tmp_path / "docs" / "a.txt", deep)
    write(tmp_path / "docs" / "z_good.txt", "一、其他\n（一）另一个文件。")
    script = textwrap.dedent(f"""
        import urbanpolicy as up
        corpus = up.load_corpus({str(tmp_path / "docs")!r})
        rows = corpus.problems[corpus.problems["doc_id"] == "a"]
        print(sorted(corpus.documents["doc_id"]))
        print([d for k, d in zip(rows["kind"], rows["detail"]) if k == "front_matter"])
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    ids, details = done.stdout.strip().split("\n")
    assert ids == "['a', 'z_good']"
    assert "deep" in details, details
