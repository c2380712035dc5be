"""Charts of the research-method analyses: policy instruments, directive strength, co-issuing,
document strength, diffusion dyads.

Every string from a document passes through ``escape`` (document text is data, never
markup).  ``lang`` is "zh" or "en" for titles and axis labels.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from .plots import LEVEL_COLOURS, MAX_ROWS, _short, doc_names, empty_figure, escape

FAMILY_COLOURS = {"supply": "#1f77b4", "demand": "#ff7f0e", "environment": "#2ca02c"}
# one hue per family, a shade per tool, so tools of a family read as a group
FAMILY_SHADES = {"supply": px.colors.sequential.Blues[3:], "demand": px.colors.sequential.Oranges[3:],
                 "environment": px.colors.sequential.Greens[3:]}
LEVEL_ORDER = ("national", "provincial", "municipal", "county")
DIRECTIVE_COLOURS = {"mandatory": "#d62728", "guiding": "#1f77b4", "exploratory": "#2ca02c"}
KIND_COLOURS = {"vertical": "#1f77b4", "horizontal": "#ff7f0e", "upward": "#9467bd", "same_region": "#7f7f7f",
                "unknown": "#bcbd22"}
_WORDS = {
    "zh": {"supply": "供给型", "demand": "需求型", "environment": "环境型", "mandatory": "强制性", "guiding": "引导性",
           "exploratory": "探索性", "none": "无", "share": "任务占比", "tasks": "任务数", "strength": "政策力度",
           "gap": "间隔天数", "covered": "前者任务被后者覆盖的比例", "verbatim": "后者逐字重复前者的文字比例",
           "vertical": "纵向", "horizontal": "横向", "upward": "自下而上", "same_region": "同一政府",
           "unknown": "未知", "added_tasks": "新增任务", "added_targets": "新增指标", "added_bodies": "新增责任单位",
           "later_deadlines": "截止时限"},
    "en": {"supply": "supply-side", "demand": "demand-side", "environment": "environment-side",
           "mandatory": "mandatory", "guiding": "guiding", "exploratory": "exploratory", "none": "none",
           "share": "share of tasks", "tasks": "tasks", "strength": "policy strength", "gap": "days between",
           "covered": "share of the earlier's tasks the later covers",
           "verbatim": "share of the later's text reused word for word", "vertical": "vertical",
           "horizontal": "horizontal", "upward": "upward", "same_region": "same government", "unknown": "unknown",
           "added_tasks": "new tasks", "added_targets": "new targets", "added_bodies": "new bodies",
           "later_deadlines": "deadlines"},
}


def word(key: str, lang: str = "zh") -> str:
    """Display word for ``key`` in ``lang``: this module's words, then the report labels
    (government levels …), else the key itself."""
    found = _WORDS.get(lang, _WORDS["en"]).get(key)
    if found is None and key in LEVEL_ORDER:
        from .labels import label

        return label(key, lang)
    return key if found is None else found


def instrument_mix_chart(mix: pd.DataFrame, corpus, lang: str = "zh") -> go.Figure:
    """Stacked bars: per document, the share of its tasks using each instrument, coloured by family.

    ``mix`` is ``instrument_mix(corpus, by="doc_id")`` (instrument level).
    """
    if mix.empty:
        return empty_figure(lang)
    if mix["doc_id"].nunique() > MAX_ROWS:  # one row per level: its tasks using each tool
        mix, row_of = _by_level(mix, corpus, lang), None
    else:
        names = doc_names(corpus, lang)
        row_of = {d: names.get(d, escape(d)) for d in mix["doc_id"]}
    codes = sorted(mix["instrument"].unique(), key=lambda c: (list(FAMILY_COLOURS).index(c.split(".")[0])
                                                              if c.split(".")[0] in FAMILY_COLOURS else 9, c))
    fig = go.Figure()
    seen: dict[str, int] = {}
    for code in codes:
        part = mix[mix["instrument"] == code]
        family = code.split(".")[0]
        shades = FAMILY_SHADES.get(family, ["#999999"])
        colour = shades[seen.setdefault(family, 0) % len(shades)]
        seen[family] += 1
        fig.add_trace(go.Bar(y=list(part["row"]) if row_of is None else [row_of[d] for d in part["doc_id"]],
                             x=part["share"],
                             name=escape(code), orientation="h", legendgroup=escape(family),
                             marker={"color": colour, "line": {"color": "white", "width": 1}},
                             hovertemplate="%{y}<br>" + escape(code) + ": %{x:.0%}<extra></extra>"))
    rows = mix["row"].nunique() if row_of is None else mix["doc_id"].nunique()
    fig.update_layout(barmode="stack", height=220 + 40 * rows,
                      title="Instrument mix: share of each document's tasks using each tool" if lang == "en"
                      else "政策工具组合：各文件使用各类工具的任务占比",
                      xaxis_title=word("share", lang) + (" (summed over tools)" if lang == "en" else "（各工具相加）"))
    return fig


def _level_rows(corpus, lang: str) -> tuple[pd.Series, pd.Series]:  # noqa: ANN001 - Corpus
    """Each document's row label when rows are levels ("国家（200 份文件）"), and each row's tasks."""
    level = corpus.documents.set_index("doc_id")["level"].astype("object").fillna("?")
    docs = level.value_counts()
    unit = "documents" if lang == "en" else "份文件"
    text = {lv: (f"{word(lv, lang)} ({n} {unit})" if lang == "en" else f"{word(lv, lang)}（{n} {unit}）")
            for lv, n in docs.items()}
    row = level.map(text)
    return row, corpus.tasks["doc_id"].map(row).value_counts()


def _by_level(mix: pd.DataFrame, corpus, lang: str) -> pd.DataFrame:  # noqa: ANN001 - Corpus
    """``instrument_mix`` by document summed per level: row, instrument, tasks, n_tasks, share."""
    row, n_tasks = _level_rows(corpus, lang)
    rank = {text: LEVEL_ORDER.index(lv) if lv in LEVEL_ORDER else 9
            for lv, text in corpus.documents.set_index("doc_id")["level"].astype("object").fillna("?")
            .to_frame("level").assign(text=row).drop_duplicates().itertuples(index=False)}
    out = (mix.assign(row=mix["doc_id"].map(row)).groupby(["row", "instrument"], sort=False)["tasks"].sum()
           .reset_index())
    out["n_tasks"] = out["row"].map(n_tasks)
    out["share"] = out["tasks"] / out["n_tasks"]
    return out.sort_values("row", key=lambda s: s.map(rank), kind="stable")


def family_by_level_chart(mix: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Grouped bars: share of tasks using each family, per level of government.

    ``mix`` is ``instrument_mix(corpus, by="level", level="family")``.
    """
    if mix.empty:
        return empty_figure(lang)
    rank = {lv: i for i, lv in enumerate(LEVEL_ORDER)}
    mix = mix.sort_values("level", key=lambda s: s.map(lambda v: rank.get(v, 9)), kind="stable")
    fig = go.Figure([go.Bar(x=[word(lv, lang) if lv in _WORDS["en"] or lv in LEVEL_ORDER else escape(lv)
                               for lv in part["level"]],
                            y=part["share"], name=word(fam, lang), marker_color=FAMILY_COLOURS.get(fam),
                            hovertemplate="%{x}: %{y:.0%}<extra></extra>")
                     for fam, part in mix.groupby("family", sort=False)])
    fig.update_layout(barmode="group", yaxis_tickformat=".0%", yaxis_title=word("share", lang),
                      title="Instrument families by level of government" if lang == "en" else "不同层级政府的政策工具类型")
    return fig


def instrument_chapter_heatmap(coded: pd.DataFrame, corpus, doc_id: str | None, lang: str = "zh") -> go.Figure:
    """Heatmap of tasks per instrument (rows) and chapter (columns) of one document."""
    tasks = corpus.tasks[corpus.tasks["doc_id"] == doc_id] if doc_id else corpus.tasks.iloc[0:0]
    if tasks.empty or coded.empty:
        return empty_figure(lang)
    headings = corpus.sections.set_index("section_id")["heading"] if len(corpus.sections) else pd.Series(dtype=str)
    chapter = tasks.set_index("task_id")["section_id"].map(lambda s: headings.get(s, s) if isinstance(s, str) else "—")
    data = coded[coded["doc_id"] == doc_id].assign(chapter=lambda f: f["task_id"].map(chapter))
    if data.empty:
        return empty_figure(lang)
    order = list(dict.fromkeys(chapter.dropna()))
    grid = data.pivot_table(index="instrument", columns="chapter", values="task_id", aggfunc="nunique", fill_value=0)
    grid = grid[[c for c in order if c in grid.columns]]
    fig = go.Figure(go.Heatmap(z=grid.values, x=[escape(_short(c, 14)) for c in grid.columns],
                               y=[escape(r) for r in grid.index], colorscale="Blues",
                               hovertemplate="%{y}<br>%{x}<br>%{z}<extra></extra>"))
    fig.update_layout(height=300 + 22 * len(grid), xaxis={"tickangle": 45},
                      title=("Instruments chapter by chapter: " if lang == "en" else "各章节使用的政策工具：")
                      + doc_names(corpus, lang).get(doc_id, escape(doc_id)))
    return fig


def directive_chart(corpus, lang: str = "zh") -> go.Figure:
    """Stacked bars: share of each document's tasks that are mandatory, guiding, exploratory (or carry no cue)."""
    tasks = corpus.tasks
    if tasks.empty or "directive" not in tasks:
        return empty_figure(lang)
    if corpus.documents["doc_id"].nunique() > MAX_ROWS:  # one row per level
        labels = _level_rows(corpus, lang)[0]
    else:
        names = doc_names(corpus, lang)
        labels = pd.Series({d: names.get(d, escape(d)) for d in tasks["doc_id"].unique()})
    counts = (tasks.assign(directive=tasks["directive"].astype("str").fillna("none"),  # "none": not a category
                           row=tasks["doc_id"].map(labels))
              .groupby(["row", "directive"], sort=False).size().unstack(fill_value=0))
    shares = counts.div(counts.sum(axis=1), axis=0)
    fig = go.Figure([go.Bar(y=list(shares.index), x=shares[lv], orientation="h",
                            name=word(lv, lang), marker_color=DIRECTIVE_COLOURS.get(lv, "#cccccc"),
                            hovertemplate="%{y}<br>%{x:.0%}<extra></extra>")
                     for lv in ("mandatory", "guiding", "exploratory", "none") if lv in shares])
    fig.update_layout(barmode="stack", xaxis_tickformat=".0%", height=220 + 40 * len(shares),
                      title="Directive strength of tasks" if lang == "en" else "任务的约束强度")
    return fig


def co_issuing_chart(edges: pd.DataFrame, nodes: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Issuing bodies on a circle, linked when they issued documents together (line width: documents)."""
    if nodes.empty:
        return empty_figure(lang)
    names = list(nodes["agency"])
    xy = {n: (math.cos(2 * math.pi * i / len(names)), math.sin(2 * math.pi * i / len(names)))
          for i, n in enumerate(names)}
    fig = go.Figure()
    for e in edges.itertuples():
        (x0, y0), (x1, y1) = xy[e.source], xy[e.target]
        fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip", showlegend=False,
                                 line={"width": 1 + 2 * e.weight ** 0.5, "color": "rgba(120,120,160,0.45)"}))
    fig.add_trace(go.Scatter(
        x=[xy[n][0] for n in names], y=[xy[n][1] for n in names], mode="markers+text", showlegend=False,
        marker={"size": [10 + 6 * d ** 0.7 for d in nodes["n_docs"]], "color": "#1f77b4", "opacity": 0.8},
        text=[escape(_short(n, 12)) for n in names], textposition="top center", hoverinfo="text",
        hovertext=[escape(f"{n}: {d} / {j}") for n, d, j in zip(names, nodes["n_docs"], nodes["n_joint_docs"],
                                                                strict=True)]))
    fig.update_layout(height=600, xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"},
                      title="Co-issuing network (dot: documents issued; line: documents issued together)"
                      if lang == "en" else "联合发文网络（点：发文数；线：联合发文数）")
    return fig


def strength_chart(corpus, lang: str = "zh") -> go.Figure:
    """Dots: each document's policy strength against its date, coloured by level."""
    docs = corpus.documents.assign(date=corpus.documents["issued"].fillna(corpus.documents["published"]))
    docs = docs[docs["date"].notna() & docs["strength"].notna()]
    if docs.empty:
        return empty_figure(lang)
    names = doc_names(corpus, lang)
    fig = go.Figure([go.Scatter(x=part["date"], y=part["strength"], mode="markers", name=word(level, lang),
                                marker={"size": 14, "color": LEVEL_COLOURS.get(level, "#999")},
                                hovertext=[f"{names.get(d, escape(d))}<br>{escape(t)} · {escape(r)}"
                                           for d, t, r in zip(part["doc_id"], part["doc_type"], part["issuer_rank"],
                                                              strict=True)],
                                hoverinfo="text+y")
                     for level, part in docs.groupby("level", sort=False)])
    fig.update_layout(yaxis_title=word("strength", lang), yaxis_rangemode="tozero",
                      title="Policy strength over time (issuer rank × document type)" if lang == "en"
                      else "政策力度随时间的变化（发文机关级别×文种）")
    return fig


# Beyond this many dyads the scatter's dots are small and see-through and their hover text
# gives the pair's doc_ids only (titles cost ~250 bytes a dot in the page).
MAX_NAMED_DOTS = 300


def coverage_gap_chart(pairs: pd.DataFrame, corpus, lang: str = "zh") -> go.Figure:
    """Dots: for each dyad, the days between the two documents against the share of tasks covered."""
    if pairs.empty:
        return empty_figure(lang)
    many = len(pairs) > MAX_NAMED_DOTS
    names = {} if many else doc_names(corpus, lang)
    fig = go.Figure([go.Scatter(x=part["gap_days"], y=part["share_covered"], mode="markers", name=word(kind, lang),
                                marker={"size": 6 if many else 12, "opacity": 0.5 if many else 1,
                                        "color": KIND_COLOURS.get(kind, "#999")},
                                hovertext=[f"{names.get(a, escape(a))} → {names.get(b, escape(b))}"
                                           for a, b in zip(part["earlier"], part["later"], strict=True)],
                                hoverinfo="text+x+y")
                     for kind, part in pairs.groupby("kind", sort=False)])
    fig.update_layout(xaxis_title=word("gap", lang), yaxis_title=word("covered", lang), yaxis_tickformat=".0%",
                      title="Coverage against time between documents" if lang == "en" else "覆盖程度与发文间隔")
    return fig


def verbatim_by_level_chart(pairs: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Bars: mean share of the later document's text reused word for word, per pair of levels."""
    if pairs.empty:
        return empty_figure(lang)
    data = pairs.assign(levels=[f"{word(a, lang)} → {word(b, lang)}" for a, b in
                                zip(pairs["level_earlier"].fillna("?"), pairs["level_later"].fillna("?"), strict=True)])
    data = data.groupby("levels")["verbatim_share"].agg(["mean", "size"]).reset_index()
    fig = go.Figure(go.Bar(x=[escape(x) for x in data["levels"]], y=data["mean"],
                           customdata=data["size"], marker_color="#1f77b4",
                           hovertemplate="%{x}: %{y:.1%} (%{customdata})<extra></extra>"))
    fig.update_layout(yaxis_tickformat=".0%", yaxis_title=word("verbatim", lang),
                      title="Verbatim reuse by level (earlier → later)" if lang == "en" else "不同层级之间的逐字重复（前→后）")
    return fig


ADDITIONS = ("added_tasks", "added_targets", "added_bodies", "later_deadlines")


def additions_chart(pairs: pd.DataFrame, corpus, lang: str = "zh") -> go.Figure:
    """Grouped bars: what each later document adds to an earlier one of a higher level (vertical dyads).

    One bar group per dyad up to ``MAX_ROWS`` vertical dyads; beyond, one per pair of levels
    (national → provincial …), the mean per dyad, with the number of dyads in the label.
    """
    data = pairs[pairs["kind"] == "vertical"]
    if data.empty:
        return empty_figure(lang)
    if len(data) > MAX_ROWS:
        levels = data.assign(levels=[f"{word(a, lang)} → {word(b, lang)}" for a, b in
                                     zip(data["level_earlier"].fillna("?"), data["level_later"].fillna("?"),
                                         strict=True)])
        means = levels.groupby("levels")[list(ADDITIONS)].mean()
        counts = levels.groupby("levels").size()
        unit = "dyads" if lang == "en" else "对"
        labels = [f"{escape(lv)} ({counts[lv]} {unit})" for lv in means.index]
        fig = go.Figure([go.Bar(y=labels, x=means[col], name=word(col, lang), orientation="h",
                                hovertemplate="%{y}: %{x:.1f}<extra></extra>") for col in ADDITIONS])
        fig.update_layout(barmode="group", height=max(340, 250 + 90 * len(labels)),
                          xaxis_title="mean per dyad" if lang == "en" else "每对文件的平均数",
                          title="What lower-level documents add, by levels" if lang == "en" else "下级文件新增的内容（按层级）")
        return fig
    names = doc_names(corpus, lang)
    # short axis labels (regions and doc_id prefixes); the titles are in the hover text
    labels = [f"{escape(ra)} {escape(a[:3])} → {escape(rb)} {escape(b[:3])}" for a, b, ra, rb in
              zip(data["earlier"], data["later"], data["region_earlier"].fillna("?"),
                  data["region_later"].fillna("?"), strict=True)]
    hover = [f"{names.get(a, escape(a))} → {names.get(b, escape(b))}"
             for a, b in zip(data["earlier"], data["later"], strict=True)]
    fig = go.Figure([go.Bar(y=labels, x=data[col], name=word(col, lang), orientation="h", hovertext=hover,
                            hoverinfo="text+x")
                     for col in ADDITIONS])
    fig.update_layout(barmode="group", height=250 + 60 * len(data),
                      title="What lower-level documents add" if lang == "en" else "下级文件新增的内容")
    return fig
