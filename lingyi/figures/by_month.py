"""The charts over the months of a year: a frame from ``lingyi.metrics`` with a ``month`` column in, a ``go.Figure``
out, with the same options as every chart in ``charts`` (``title``, ``value``). No I/O here and no Streamlit."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lingyi.contract import CLOSURE_TARGET
from lingyi.figures.blocks import (
    axis_format,
    bar_texts,
    hover_value,
    mark_not_reported,
    new_figure,
    plot_values,
    reported,
    target_line,
    unless_not_reported,
)
from lingyi.figures.theme import (
    BAD,
    GOOD,
    MEASURES,
    MUTED,
    NOT_REPORTED,
    PRIMARY,
    TEMPLATE,
    change_text,
    month_label,
)

# Above this many months a bar's label stands upright: flat, 「36,364」 beside 「37,888」 run into each other in a
# chart half a page wide.
FLAT_LABELS_UP_TO = 6


def _label_angle(bars: int) -> int:
    return 0 if bars <= FLAT_LABELS_UP_TO else -90


def monthly(frame: pd.DataFrame, *, value: str, title: str, color: str = PRIMARY) -> go.Figure:
    """One bar per month 1..M."""
    months = [month_label(m) for m in frame["month"]]
    sent = reported(frame)
    fig = new_figure(title=title)
    fig.add_bar(
        x=months,
        y=unless_not_reported(plot_values(frame[value]), sent),
        marker_color=color,
        text=unless_not_reported(bar_texts(frame[value], value), sent),
        textangle=_label_angle(len(months)),
        textposition="outside",
        cliponaxis=False,
        hovertemplate=f"%{{x}}<br>{MEASURES[value].name}：{hover_value(value)}<extra></extra>",
        name=MEASURES[value].name,
    )
    fig.update_yaxes(**axis_format(value))
    fig.update_layout(showlegend=False)
    mark_not_reported(fig, months, sent, angle=_label_angle(len(months)))
    return fig


def this_year_and_last_by_month(frame: pd.DataFrame, *, value: str, previous: str, title: str) -> go.Figure:
    """This year's months beside last year's; a month without this year's or last year's data says so instead."""
    months = [month_label(m) for m in frame["month"]]
    has_previous = list(frame["has_previous"])
    fig = new_figure(title=title, barmode="group", legend=True)
    fig.add_bar(
        x=months,
        y=[v if known else None for v, known in zip(plot_values(frame[previous]), has_previous)],
        name="上年同期",
        marker_color=MUTED,
        hovertemplate=f"%{{x}} 上年同期<br>{MEASURES[value].name}：{hover_value(value)}<extra></extra>",
    )
    sent = list(reported(frame))
    fig.add_bar(
        x=months,
        y=unless_not_reported(plot_values(frame[value]), sent),
        name="本年",
        marker_color=PRIMARY,
        hovertemplate=f"%{{x}} 本年<br>{MEASURES[value].name}：{hover_value(value)}<extra></extra>",
    )
    for month, now, before in zip(months, sent, has_previous, strict=True):
        if now and before:
            continue
        text = "无上年<br>数据" if now else (f"本年<br>{NOT_REPORTED}" if before else NOT_REPORTED)
        fig.add_annotation(
            x=month, y=0, yanchor="bottom", text=text, showarrow=False, font={"size": 11, "color": "#7F8C8D"}
        )
    fig.update_yaxes(**axis_format(value))
    return fig


def year_on_year_by_month(frame: pd.DataFrame, *, value: str, title: str, lower_is_better: bool = True) -> go.Figure:
    """The year-on-year change per month (a fraction), green where it went the good way; 无上年同期数据 where none."""
    months = [month_label(m) for m in frame["month"]]
    changes = plot_values(frame[value])
    good = [None if c is None else (c < 0 if lower_is_better else c > 0) for c in changes]
    fig = new_figure(title=title)
    fig.add_bar(
        x=months,
        y=changes,
        marker_color=[MUTED if g is None else (GOOD if g else BAD) for g in good],
        text=[change_text(c) if c is not None else "" for c in changes],
        textfont={"size": 11},
        textangle=_label_angle(len(months)),
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{x}<br>同比：%{y:+.2%}<extra></extra>",
    )
    for month, change in zip(months, changes):
        if change is None:
            fig.add_annotation(
                x=month,
                y=0,
                text="无上年同期数据",
                textangle=-90,
                showarrow=False,
                font={"size": 11, "color": "#7F8C8D"},
            )
    fig.update_yaxes(tickformat="+.0%", zeroline=True, zerolinecolor="#7F8C8D")
    known = [c for c in changes if c is not None]
    if known and _label_angle(len(months)):
        # Room beyond the longest bars for their upright labels: plotly leaves none below a falling bar.
        low, high = min(0.0, min(known)), max(0.0, max(known))
        room = 0.35 * ((high - low) or 0.1)
        fig.update_yaxes(range=[low - room if low < 0 else low, high + room if high > 0 else high])
    fig.update_layout(showlegend=False)
    return fig


def cumulative_problems(frame: pd.DataFrame, *, title: str, target: float = CLOSURE_TARGET) -> go.Figure:
    """Found and resolved to date at the end of each month, and the 化解率 then (right axis, with the target)."""
    months = [month_label(m) for m in frame["month"]]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    # The legend of four goes under the plot: on a phone it takes two rows, and above the plot it grew into the title.
    fig.update_layout(
        template=TEMPLATE,
        title={"text": title},
        height=420,
        hovermode="x unified",
        legend={"y": -0.14, "yanchor": "top"},
        margin={"t": 64},
    )
    for column, name, colour in (("found", "累计发现", MUTED), ("resolved", "累计化解", PRIMARY)):
        fig.add_scatter(
            x=months,
            y=plot_values(frame[column]),
            name=name,
            mode="lines+markers",
            line={"color": colour, "width": 3},
            hovertemplate="%{y:,} 个",
        )
    fig.add_scatter(
        x=months,
        y=plot_values(frame["closure_rate"]),
        name="化解率",
        mode="lines",
        line={"color": GOOD, "width": 2, "dash": "dot"},
        hovertemplate="%{y:.2%}",
        secondary_y=True,
    )
    fig.update_yaxes(tickformat=",~r", rangemode="tozero", secondary_y=False)
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02], dtick=0.2, showgrid=False, secondary_y=True)
    target_line(fig, target, label=f"化解率目标 {target:.0%}", secondary_y=True)
    return fig
