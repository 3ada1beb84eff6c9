"""One function per chart: a frame from ``lingyi.metrics`` in, a ``go.Figure`` out.

Every builder takes the frame first and keyword-only options named alike everywhere: ``title`` (which says
what and when, e.g. 「2025年1—10月 各类别参与人次」), ``value`` (the frame column to draw, a key of
``MEASURES``), ``by`` (the grouping column). No I/O here and no Streamlit: the same figures go onto pages
and into briefings.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lingyi.contract import CATEGORIES, CLOSURE_TARGET, PROBLEM_STAGES
from lingyi.figures.blocks import (
    axis_format,
    bar_texts,
    category_colors,
    click_for,
    hover_value,
    lighter,
    mark_not_reported,
    new_figure,
    nothing_to_draw,
    ordered_categories,
    plot_values,
    reported,
    scale_for,
    target_line,
    unless_not_reported,
)
from lingyi.figures.theme import (
    BAD,
    BAR_GAP,
    CATEGORY_COLORS,
    CLICK_CATEGORY,
    CLICK_UNIT,
    GOOD,
    MEASURES,
    MUTED,
    NOT_REPORTED,
    PRIMARY,
    RATES,
    STAND_IN,
    TEMPLATE,
    change_text,
    count_text,
    percent_text,
    points_text,
)
from lingyi.values import missing


def by_category(frame: pd.DataFrame, *, value: str, title: str, target: float | None = None) -> go.Figure:
    """One bar per category in the category's colour; a dashed target line for rates that have one."""
    frame = ordered_categories(frame)
    categories = frame["category"].astype(str)
    sent = reported(frame)
    scale = scale_for(value)
    fig = new_figure(title=title)
    fig.add_bar(
        x=list(categories),
        y=unless_not_reported([None if v is None else v * scale for v in plot_values(frame[value])], sent),
        marker_color=category_colors(categories),
        text=unless_not_reported(bar_texts(frame[value], value), sent),
        textposition="outside",
        cliponaxis=False,
        customdata=list(categories),
        name=MEASURES[value].name,
        hovertemplate=f"%{{x}}<br>{MEASURES[value].name}：{hover_value(value)}<extra></extra>",
    )
    fig.update_yaxes(**axis_format(value))
    fig.update_layout(showlegend=target is not None, meta={"click": CLICK_CATEGORY})
    fig.update_traces(showlegend=False, selector={"type": "bar"})
    mark_not_reported(fig, list(categories), sent)
    if target is not None:
        target_line(fig, target)
    return fig


def category_this_and_last_year(frame: pd.DataFrame, *, value: str, previous: str, title: str) -> go.Figure:
    """Per category, this year (solid, the category's colour) beside the same months last year (pale)."""
    frame = ordered_categories(frame)
    categories = list(frame["category"].astype(str))
    colors = category_colors(frame["category"])
    has_previous = frame["has_previous"] if "has_previous" in frame else pd.Series(True, index=frame.index)
    fig = new_figure(title=title, barmode="group", legend=True)
    # The bars take their category's colour, so the legend shows a grey stand-in for each year (pale and solid, as
    # the bars are), drawn nowhere: a swatch in 党政综合's red would say nothing of the other five.
    for name, color in (("上年同期", lighter(STAND_IN)), ("本年", STAND_IN)):
        fig.add_bar(
            x=[categories[0] if categories else CATEGORIES[0]],
            y=[None],
            name=name,
            offsetgroup=name,
            legendgroup=name,
            marker_color=color,
            hoverinfo="skip",
        )
    fig.add_bar(
        x=categories,
        y=[v if known else None for v, known in zip(plot_values(frame[previous]), has_previous)],
        marker_color=[lighter(c) for c in colors],
        name="上年同期",
        offsetgroup="上年同期",
        legendgroup="上年同期",
        showlegend=False,
        customdata=categories,
        hovertemplate=f"%{{x}} 上年同期<br>{MEASURES[value].name}：{hover_value(value)}<extra></extra>",
    )
    fig.add_bar(
        x=categories,
        y=unless_not_reported(plot_values(frame[value]), reported(frame)),
        marker_color=colors,
        name="本年",
        offsetgroup="本年",
        legendgroup="本年",
        showlegend=False,
        customdata=categories,
        hovertemplate=f"%{{x}} 本年<br>{MEASURES[value].name}：{hover_value(value)}<extra></extra>",
    )
    fig.update_yaxes(**axis_format(value))
    fig.update_layout(showlegend=True, meta={"click": CLICK_CATEGORY})
    mark_not_reported(fig, categories, reported(frame))
    return fig


def found_and_resolved(frame: pd.DataFrame, *, by: str, title: str) -> go.Figure:
    """Problems found (pale) and resolved (solid) per category or 问题类别, with the 化解率 on hover."""
    if by == "category":
        frame = ordered_categories(frame)
        colors = category_colors(frame["category"])
    else:
        colors = [PRIMARY] * len(frame)
    groups = list(frame[by].astype(str))
    rates = [percent_text(r) for r in frame["closure_rate"]]
    sent = reported(frame)
    fig = new_figure(title=title, barmode="group", legend=True)
    for column, name, marker in (
        ("found", "发现问题", [lighter(c) for c in colors]),
        ("resolved", "已化解", colors),
    ):
        fig.add_bar(
            x=groups,
            y=unless_not_reported(plot_values(frame[column]), sent),
            name=name,
            marker_color=marker,
            text=unless_not_reported([count_text(v) for v in frame[column]], sent),
            textposition="outside",
            cliponaxis=False,
            customdata=[[g, r] for g, r in zip(groups, rates)],
            hovertemplate=f"%{{x}}<br>{name}：%{{y:,}} 个<br>化解率：%{{customdata[1]}}<extra></extra>",
        )
    fig.update_yaxes(**axis_format("found"))
    fig.update_layout(meta={"click": click_for(by)})
    mark_not_reported(fig, groups, sent)
    return fig


def closure_rates(
    frame: pd.DataFrame, *, by: str, title: str, target: float = CLOSURE_TARGET, horizontal: bool = False
) -> go.Figure:
    """化解率 per group against the target line; groups below target are drawn in red when not by category."""
    if by == "category":
        frame = ordered_categories(frame)
        colors = category_colors(frame["category"])
    else:
        colors = [BAD if (not missing(r) and r < target) else GOOD for r in frame["closure_rate"]]
    groups = list(frame[by].astype(str))
    rates = plot_values(frame["closure_rate"])
    counts = [f"{int(r)}/{int(f)}" for r, f in zip(frame["resolved"], frame["found"])]
    fig = new_figure(title=title, height=max(300, 110 + 28 * len(frame)) if horizontal else 380)
    fig.add_bar(
        x=rates if horizontal else groups,
        y=groups if horizontal else rates,
        orientation="h" if horizontal else "v",
        marker_color=colors,
        text=unless_not_reported([percent_text(r) for r in frame["closure_rate"]], reported(frame)),
        textposition="inside",
        insidetextanchor="start",  # at the foot of the bar, away from the target line
        showlegend=False,
        customdata=[[g, c] for g, c in zip(groups, counts)],
        hovertemplate=(
            f"%{{{'y' if horizontal else 'x'}}}<br>化解率：{hover_value('closure_rate', 'x' if horizontal else 'y')}"
            "<br>已化解/发现：%{customdata[1]}<extra></extra>"
        ),
    )
    axis = {"tickformat": ".0%", "range": [0, 1.04]}
    if horizontal:
        fig.update_xaxes(**axis)
        fig.update_yaxes(autorange="reversed", gridcolor="rgba(0,0,0,0)")
    else:
        fig.update_yaxes(**axis)
    fig.update_layout(meta={"click": click_for(by)})
    target_line(fig, target, horizontal=horizontal)
    mark_not_reported(fig, groups, reported(frame), horizontal=horizontal)
    return fig


# -- 单位 ------------------------------------------------------------------------------------------------------


def _unit_bars(frame: pd.DataFrame, value: str, **axes: str) -> go.Bar:
    scale = scale_for(value)
    return go.Bar(
        x=[None if v is None else v * scale for v in plot_values(frame[value])],
        y=list(frame["short_name"]),
        orientation="h",
        marker_color=category_colors(frame["category"]),
        text=bar_texts(frame[value], value),
        textposition="outside",
        cliponaxis=False,
        customdata=[[u, str(c)] for u, c in zip(frame["unit"], frame["category"])],
        hovertemplate=f"%{{y}}（%{{customdata[1]}}）<br>{MEASURES[value].name}：{hover_value(value, 'x')}<extra></extra>",
        showlegend=False,
        **axes,
    )


def unit_ranking(frame: pd.DataFrame, *, value: str, title: str, top: int = 15) -> go.Figure:
    """The ``top`` units on ``value``, best at the top, in their categories' colours; units that sent nothing left out."""
    ranked = frame[frame[value].notna() & reported(frame)].sort_values(value, ascending=False).head(top)
    if ranked.empty:
        return nothing_to_draw(title=title)
    fig = new_figure(title=title, height=max(300, 110 + 28 * len(ranked)))
    fig.add_trace(_unit_bars(ranked, value))
    fig.update_yaxes(autorange="reversed", gridcolor="rgba(0,0,0,0)")
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=True, rangemode="tozero")
    fig.update_layout(meta={"click": CLICK_UNIT}, margin={"t": 64, "r": 70})
    return fig


PANEL_GAP = 0.1  # between panels stacked one above the other
PANEL_SPACING = 0.04  # between panels side by side
PANELS_A_ROW = 3  # of a unit against its category; more go onto a second row
ROW_SPACING = 0.16  # between rows of panels: room for the lower panels' figures and the upper ones' names
ROW_HEIGHT = 240  # added to a chart's height for each further row of panels
PANEL_LABEL = {
    "xref": "paper",
    "yref": "paper",
    "x": 0,
    "xanchor": "left",
    "yanchor": "bottom",
    "showarrow": False,
    "font": {"size": 14, "color": "#566573"},
}
RANKING_VALUE_AXIS = {"showticklabels": False, "showgrid": False, "zeroline": True}
RANKING_UNIT_AXIS = {"autorange": "reversed", "gridcolor": "rgba(0,0,0,0)"}


def best_and_weakest(
    frame: pd.DataFrame, *, value: str, title: str, n: int = 5, labels: tuple[str, str] = ("最好的五个", "最弱的五个")
) -> go.Figure:
    """The ``n`` best units on ``value`` (best on top) above the ``n`` weakest (weakest on top); unscored units left out."""
    ranked = frame[frame[value].notna()].sort_values(value, ascending=False)
    if ranked.empty:
        return nothing_to_draw(title=title)
    best = ranked.head(n)
    weakest = ranked.iloc[len(best) :].tail(n).iloc[::-1]
    # Two stacked panels sharing the x scale, each as tall as its bars, a tenth of the height between them
    # (built directly: plotly's make_subplots costs more than the rest of a page's charts together).
    # Too few units for both panels: none left for the weakest makes one panel of all of them, not "the best five";
    # fewer than n left makes the second panel "the other three", not "the weakest five".
    if not len(weakest):
        panels = [(f"全部 {len(best)} 个单位", best)]
    else:
        panels = [(labels[0], best), (labels[1] if len(weakest) == n else f"其余 {len(weakest)} 个单位", weakest)]
    bars = sum(len(frame) for _, frame in panels)
    space = 1 - PANEL_GAP * (len(panels) - 1)
    layout: dict[str, object] = {"annotations": []}
    traces, top = [], 1.0
    for number, (label, frame) in enumerate(panels, start=1):
        suffix = "" if number == 1 else str(number)
        bottom = max(0.0, round(top - space * len(frame) / bars, 6))
        layout[f"xaxis{suffix}"] = {
            "anchor": f"y{suffix}",
            **({"matches": "x"} if suffix else {}),
            **RANKING_VALUE_AXIS,
        }
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "domain": [bottom, top], **RANKING_UNIT_AXIS}
        layout["annotations"].append({**PANEL_LABEL, "text": label, "y": top})
        traces.append(_unit_bars(frame, value, xaxis=f"x{suffix}", yaxis=f"y{suffix}"))
        top = round(bottom - PANEL_GAP, 6)
    return go.Figure(
        data=traces,
        layout={
            "template": TEMPLATE,
            "title": {"text": title},
            "height": 120 + 30 * bars + 40 * len(panels),
            "meta": {"click": CLICK_UNIT},
            "margin": {"t": 88, "r": 70},
            **layout,
        },
    )


# -- 热线三率 --------------------------------------------------------------------------------------------------


def rates_this_and_last_year(totals: Mapping[str, object], *, title: str) -> go.Figure:
    """The three hotline rates this year beside last year; the change above each pair in 百分点.

    ``totals`` is ``metrics.hotline_totals``. The relative change is shown too, labelled 相对变化.
    """
    names = [MEASURES[r].name for r in RATES]
    now = [totals.get(r) for r in RATES]
    before = [totals.get(f"{r}_prev") for r in RATES]
    fig = new_figure(title=title, barmode="group", legend=True, height=420)
    fig.add_bar(
        x=names,
        y=[None if missing(v) else v for v in before],
        name="上年同期",
        marker_color=MUTED,
        text=[percent_text(v) for v in before],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{x} 上年同期：%{y:.2%}<extra></extra>",
    )
    fig.add_bar(
        x=names,
        y=[None if missing(v) else v for v in now],
        name="本年",
        marker_color=PRIMARY,
        text=[percent_text(v) for v in now],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{x} 本年：%{y:.2%}<extra></extra>",
    )
    # The change stands under each pair's name, not over the plot: above it, it would fight the title and legend.
    said = []
    for name, rate in zip(names, RATES):
        change = totals.get(f"{rate}_change")
        previous = totals.get(f"{rate}_prev")
        relative = None if missing(change) or missing(previous) or not previous else change / previous
        label = f"{name}<br><b>{points_text(change)}</b>" if not missing(change) else f"{name}<br>无上年数据"
        if relative is not None:
            label += f"<br><span style='font-size:10px'>相对变化 {change_text(relative)}</span>"
        said.append(label)
    # Level: turned on end (as Plotly does when a phone leaves too little room) the three lines ran into each other.
    fig.update_xaxes(tickvals=names, ticktext=said, tickangle=0, tickfont={"size": 12})
    fig.update_traces(textfont={"size": 11})  # two rates side by side above a phone's narrow pair of bars
    # From zero: a bar's length is its rate, so 88% against 85% looks as close as it is.
    fig.update_yaxes(tickformat=".0%", range=[0, 1.08])
    return fig


def rate_changes_by_category(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """The change of each hotline rate per category in 百分点: one panel per rate, bars in the category colours.

    Bars lie down, the categories named once at the left: eighteen upright bars with their names under each panel
    ran into one another on a phone.
    """
    frame = ordered_categories(frame)
    categories = list(frame["category"].astype(str))
    fig = make_subplots(
        rows=1, cols=3, subplot_titles=[MEASURES[r].name for r in RATES], shared_yaxes=True, horizontal_spacing=0.05
    )
    fig.update_layout(template=TEMPLATE, title={"text": title}, height=380, showlegend=False, margin={"t": 90})
    changes = {rate: plot_values(frame[f"{rate}_change"]) for rate in RATES}
    points = {rate: [None if c is None else c * 100 for c in changes[rate]] for rate in RATES}
    for column, rate in enumerate(RATES, start=1):
        fig.add_bar(
            x=points[rate],
            y=categories,
            orientation="h",
            marker_color=category_colors(frame["category"]),
            customdata=categories,
            text=[points_text(c).replace(" 个百分点", "") if c is not None else "" for c in changes[rate]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{y}}<br>{MEASURES[rate].name}：%{{x:+.2f}} 个百分点<extra></extra>",
            row=1,
            col=column,
        )
        axis = "" if column == 1 else str(column)
        mark_not_reported(fig, categories, reported(frame), horizontal=True, xref=f"x{axis}", yref=f"y{axis}")
    # One scale for the three panels, so bars of equal length are equal changes. Each bar carries its figure; the
    # panels' tick labels, side by side, only ran into one another.
    every = [p for rate in RATES for p in points[rate]]
    fig.update_xaxes(range=_room_for_labels(every), showticklabels=False, zeroline=True, zerolinecolor="#7F8C8D")
    fig.update_yaxes(autorange="reversed")  # 党政综合 first, at the top, as the categories are listed everywhere
    fig.update_annotations(font={"size": 14, "color": "#566573"})
    fig.update_layout(meta={"click": CLICK_CATEGORY})
    return fig


def _room_for_labels(values: list[float | None]) -> list[float]:
    """An axis from zero past the longest bar, with room on that side for the label beside its end."""
    known = [v for v in values if v is not None]
    if not known:
        return [-1.0, 1.0]
    low, high = min([0.0, *known]), max([0.0, *known])
    pad = 0.45 * ((high - low) or 1.0)
    return [low - pad if low < 0 else 0.0, high + pad if high > 0 else 0.0]


# -- 学习主题、活动形式、溯源环节、指标 ----------------------------------------------------------------------


def breakdown(frame: pd.DataFrame, *, by: str, value: str, title: str) -> go.Figure:
    """Horizontal bars of ``value`` per ``by`` (学习主题, 活动形式 …), largest first."""
    ranked = frame.sort_values(value, ascending=False)
    if ranked.empty:
        return nothing_to_draw(title=title)
    fig = new_figure(title=title, height=max(280, 90 + 34 * len(ranked)))
    fig.add_bar(
        x=plot_values(ranked[value]),
        y=list(ranked[by].astype(str)),
        orientation="h",
        marker_color=PRIMARY,
        text=bar_texts(ranked[value], value),
        textposition="outside",
        cliponaxis=False,
        hovertemplate=f"%{{y}}<br>{MEASURES[value].name}：{hover_value(value, 'x')}<extra></extra>",
    )
    fig.update_yaxes(autorange="reversed", gridcolor="rgba(0,0,0,0)")
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=True, rangemode="tozero")
    fig.update_layout(showlegend=False, margin={"t": 64, "r": 70})
    return fig


def problems_by_stage(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Problems at each step of 点题→破题→解题→验题 (``metrics.problems_by(..., "stage")``), 点题 on top: resolved
    and still open, stacked, so a bar's length is the problems at that step.

    Bars, not a funnel: a problem is counted at the one step it has reached, so the steps need not narrow, and a
    funnel that widens says something false.
    """
    order = {stage: i for i, stage in enumerate(PROBLEM_STAGES.values)}
    frame = frame.assign(_order=frame["stage"].map(order)).sort_values("_order")
    stages = list(frame["stage"].astype(str))
    still_open = frame["found"] - frame["resolved"]
    totals = [f"共 {int(f):,} 个" for f in frame["found"]]
    fig = new_figure(title=title, barmode="stack", height=max(300, 150 + 44 * len(frame)), legend=True)
    for values, name, color in ((frame["resolved"], "已化解", PRIMARY), (still_open, "未化解", lighter(PRIMARY, 0.45))):
        fig.add_bar(
            x=plot_values(values),
            y=stages,
            orientation="h",
            name=name,
            marker_color=color,
            text=[f"{int(v):,}" if v else "" for v in values],
            # The open ones' figure outside the bar's end: inside a short segment it ran into the resolved ones'
            # (306 and 27 read as 「30627」).
            textposition="inside" if name == "已化解" else "outside",
            cliponaxis=False,
            customdata=totals,
            hovertemplate=f"%{{y}}（%{{customdata}}）<br>{name}：%{{x:,}} 个<extra></extra>",
        )
    fig.update_yaxes(autorange="reversed", gridcolor="rgba(0,0,0,0)")  # 点题 first, on top
    fig.update_layout(legend={"traceorder": "normal"})  # 已化解 first, as the bars are stacked
    longest = max((v for v in plot_values(frame["found"]) if v is not None), default=0) or 1
    fig.update_xaxes(title_text="问题数", tickformat=",d", range=[0, longest * 1.18])  # room for the outside figures
    return fig


def completion_by_category(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Mean completion of 共性 (solid) and 个性 (hatched) indicators per category against 100%.

    ``frame`` is ``metrics.indicators_by(..., "category")``; completion already accounts for 越低越好.
    """
    fig = new_figure(title=title, barmode="group", legend=True)
    for indicator_type, pattern in (("共性指标", ""), ("个性指标", "/")):
        rows = ordered_categories(frame[frame["indicator_type"] == indicator_type])
        marker = {"pattern": {"shape": pattern, "solidity": 0.35}}
        # The bars take their category's colour, so the legend shows a grey stand-in for each kind, drawn
        # nowhere (no value) in the same place as the kind's bars.
        fig.add_bar(
            x=[CATEGORIES[0]],
            y=[None],
            name=indicator_type,
            offsetgroup=indicator_type,
            marker={**marker, "color": STAND_IN},
            hoverinfo="skip",
        )
        if rows.empty:
            continue
        categories = list(rows["category"].astype(str))
        fig.add_bar(
            x=categories,
            y=plot_values(rows["mean_completion"]),
            name=indicator_type,
            showlegend=False,
            offsetgroup=indicator_type,
            marker={**marker, "color": category_colors(rows["category"])},
            # No labels: twelve of them side by side would overlap; the hover gives each exactly.
            customdata=[
                [c, int(n), int(m), percent_text(r)]
                for c, n, m, r in zip(categories, rows["indicators"], rows["met"], rows["met_rate"])
            ],
            hovertemplate=(
                f"%{{x}} {indicator_type}<br>平均完成度：%{{y:.2%}}<br>达标 %{{customdata[2]}}/%{{customdata[1]}} 项"
                "（%{customdata[3]}）<extra></extra>"
            ),
        )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    # all six always, as on every category chart, even where only some have indicators
    fig.update_xaxes(
        type="category", categoryorder="array", categoryarray=list(CATEGORIES), range=[-0.5, len(CATEGORIES) - 0.5]
    )
    target_line(fig, 1.0, label="目标 100%")
    fig.update_layout(meta={"click": CLICK_CATEGORY})
    present = set(frame["category"].astype(str))
    mark_not_reported(fig, list(CATEGORIES), pd.Series([c in present for c in CATEGORIES]))
    return fig


def indicator_met(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Per indicator (``metrics.indicators_by(..., "indicator")``): how many units met it and how many did not."""
    ranked = frame.sort_values(["met_rate", "indicators"], ascending=[True, False])
    if ranked.empty:
        return nothing_to_draw(title=title)
    names = list(ranked["indicator"].astype(str))
    fig = new_figure(title=title, barmode="stack", height=max(300, 130 + 30 * len(ranked)), legend=True)
    missed = ranked["indicators"] - ranked["met"]
    for values, name, color in ((ranked["met"], "达标", GOOD), (missed, "未达标", BAD)):
        fig.add_bar(
            x=plot_values(values),
            y=names,
            orientation="h",
            name=name,
            marker_color=color,
            customdata=[percent_text(v) for v in ranked["mean_completion"]],
            hovertemplate=f"%{{y}}<br>{name}：%{{x:,}} 个单位<br>平均完成度：%{{customdata}}<extra></extra>",
        )
    fig.update_yaxes(autorange="reversed", gridcolor="rgba(0,0,0,0)")  # the lowest rate first, on top
    # whole units: a few of them would otherwise be ticked 0, 0.2 … and every tick shown rounded, as 0 0 0 1 1 1
    few = int(ranked["indicators"].max()) <= 10
    fig.update_xaxes(title_text="单位数", tickformat=",d", **({"dtick": 1} if few else {}))
    return fig


# -- 单位画像 ----------------------------------------------------------------------------------------------------


def unit_against_category(frame: pd.DataFrame, *, title: str, unit_name: str, category: str) -> go.Figure:
    """One panel per measure: the unit (red) beside its category's average (the category's colour, pale).

    ``frame`` is ``metrics.unit_profile`` for one theme: columns ``measure``, ``unit_value``, ``category_value``.
    """
    panels = max(len(frame), 1)
    # At most three panels a row: five side by side (the hotline's) left a phone's panels too narrow for two
    # figures like 92.65% over their pair of bars.
    columns = min(panels, PANELS_A_ROW)
    rows = -(-panels // columns)
    width = (1 - PANEL_SPACING * (columns - 1)) / columns
    tall = (1 - ROW_SPACING * (rows - 1)) / rows
    series = (
        ("unit_value", unit_name, PRIMARY),
        ("category_value", f"{category}平均", lighter(CATEGORY_COLORS.get(category, MUTED), 0.6)),
    )
    # A panel per measure side by side, each with its own y scale (built directly, as in best_and_weakest).
    layout: dict[str, object] = {"annotations": []}
    traces = []
    for number, (measure, unit_value, category_value) in enumerate(
        zip(frame["measure"], frame["unit_value"], frame["category_value"]), start=1
    ):
        suffix = "" if number == 1 else str(number)
        row, column = divmod(number - 1, columns)
        left = round(column * (width + PANEL_SPACING), 6)
        top = round(1 - row * (tall + ROW_SPACING), 6)
        layout[f"xaxis{suffix}"] = {"anchor": f"y{suffix}", "domain": [left, round(left + width, 6)]}
        axis = {k: v for k, v in axis_format(measure).items() if k != "title"}
        layout[f"yaxis{suffix}"] = {
            "anchor": f"x{suffix}",
            "domain": [max(round(top - tall, 6), 0.0), top],
            **axis,
            "showticklabels": False,
            "showgrid": False,
        }
        name = MEASURES[measure].name
        if missing(unit_value):  # where the unit's bar would stand: the first of the two, left of the middle
            layout["annotations"].append(
                {
                    "x": -(1 - BAR_GAP) / 4,
                    "y": 0,
                    "xref": f"x{suffix}",
                    "yref": f"y{suffix}",
                    "yanchor": "bottom",
                    "text": NOT_REPORTED,
                    "textangle": -90,
                    "showarrow": False,
                    "font": {"size": 11, "color": "#7F8C8D"},
                }
            )
        for value, (_, label, color) in zip((unit_value, category_value), series, strict=True):
            traces.append(
                go.Bar(
                    x=[name],
                    y=[None if missing(value) else float(value) * scale_for(measure)],
                    name=label,
                    legendgroup=label,
                    showlegend=number == 1,
                    marker_color=color,
                    text=bar_texts(pd.Series([value]), measure),
                    textfont={"size": 11},
                    textposition="outside",
                    cliponaxis=False,
                    hovertemplate=f"{label}<br>{name}：{hover_value(measure)}<extra></extra>",
                    xaxis=f"x{suffix}",
                    yaxis=f"y{suffix}",
                )
            )
    return go.Figure(
        data=traces,
        layout={
            "template": TEMPLATE,
            "title": {"text": title},
            "height": 340 + ROW_HEIGHT * (rows - 1),
            "barmode": "group",
            "margin": {"t": 100},
            **layout,
        },
    )
