"""Timeline analyses on the seeds: horizons, deadlines, the citation graph, and their charts."""

from __future__ import annotations

import dataclasses

import pandas as pd

import urbanpolicy as up
from urbanpolicy.report import plots

from ..conftest import HUBEI, HUNAN, NATIONAL_PLAN, QINGYANG


def test_horizons_give_latest_target_per_task(corpus):
    h = up.horizons(corpus).set_index("task_id")
    assert len(h) == len(corpus.tasks)
    assert h.at[f"{QINGYANG}:一/（三）", "latest_target"] == pd.Timestamp("2035-12-31")
    assert h.at[f"{NATIONAL_PLAN}:二/（五）", "latest_target"] == pd.Timestamp("2025-12-31")
    assert pd.isna(h.at[f"{HUBEI}:一/（一）", "latest_target"])


def test_deadlines_join_agencies_when_present(corpus):
    table = up.deadlines(corpus)
    assert list(table["text"]) == ["请于2021年7月21日前"] and table["agencies"].iloc[0] == ""
    task = f"{QINGYANG}:一/（三）"
    extra = pd.DataFrame([{"doc_id": QINGYANG, "task_id": task, "text": "2022年底前", "date": pd.Timestamp("2022-12-31"),
                           "precision": "year", "kind": "deadline", "start": 0, "end": 7, "end_date": pd.NaT}])
    assignments = pd.DataFrame({"task_id": [task, task], "position": [2, 1], "agency": ["庆阳市财政局", "庆阳市公安局"]})
    with_agencies = dataclasses.replace(corpus, dates=pd.concat([corpus.dates, extra.astype(corpus.dates.dtypes.to_dict())]))
    with_agencies.assignments = assignments
    joined = up.deadlines(with_agencies).set_index("task_id")
    assert joined.at[task, "agencies"] == "庆阳市公安局、庆阳市财政局"
    assert joined.at[task, "task_title"] == "主要目标"


def test_local_documents_meet_at_the_national_task_list(corpus):
    nodes, edges = up.citation_graph(corpus)
    into = edges[edges["target"] == "num:发改规划〔2021〕493号"]
    assert set(into["source"]) == {f"doc:{d}" for d in (HUBEI, HUNAN, QINGYANG)}
    node = nodes.set_index("node_id").loc["num:发改规划〔2021〕493号"]
    assert node["kind"] == "external" and node["date"].year == 2021
    assert "2021年新型城镇化和城乡融合发展重点任务" in node["label"]
    assert set(edges["target"]).issubset(set(nodes["node_id"]))


def test_timeline_charts_draw_every_document_and_escape_text(corpus):
    fig = plots.documents_timeline(corpus, "en")
    points = sum(len(t.x) for t in fig.data)
    assert points == corpus.documents[["issued", "published"]].notna().sum().sum()
    graph = plots.citation_graph_figure(corpus, "zh")
    assert len(graph.layout.annotations) == len(up.citation_graph(corpus)[1])
    hostile = dataclasses.replace(corpus)
    hostile.documents = corpus.documents.assign(title="<script>alert(1)</script>")
    texts = [t for trace in plots.citation_graph_figure(hostile).data for t in trace.hovertext]
    assert any("&lt;script&gt;" in t for t in texts) and not any("<script>" in t for t in texts)
    assert plots.horizons_chart(corpus, "en").layout.title.text.startswith("From issue date")
