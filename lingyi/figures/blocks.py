"""The parts every chart is built of: an empty figure in the template, bar labels and axes that say a measure the
way ``theme`` does, the dashed target line, and 「尚无报送」 where a group that sent nothing would stand."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lingyi.contract import CATEGORIES
from lingyi.figures.theme import (
    CATEGORY_COLORS,
    CLICK_CATEGORY,
    CLICK_UNIT,
    MEASURES,
    MUTED,
    NOT_REPORTED,
    TARGET_COLOR,
    TEMPLATE,
    count_text,
    percent_text,
)
from lingyi.values import missing

LEGEND_MARGIN = 96  # the top margin of a chart with a legend: the title, then the legend, then the plot


def new_figure(*, title: str, height: int = 380, legend: bool = False, **layout: object) -> go.Figure:
    margin = {"t": LEGEND_MARGIN} if legend else {}
    return go.Figure(
        layout={"template": TEMPLATE, "title": {"text": title}, "height": height, "margin": margin, **layout}
    )


def nothing_to_draw(*, title: str, message: str = "所选范围内没有数据") -> go.Figure:
    """A chart that has nothing to show says so where its bars would be."""
    fig = new_figure(title=title, height=260)
    fig.add_annotation(
        x=0.5, y=0.5, xref="paper", yref="paper", text=message, showarrow=False, font={"size": 15, "color": "#7F8C8D"}
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def plot_values(series: pd.Series) -> list[float | None]:
    """Plot values: pandas' NA (nullable dtypes) becomes None, which plotly leaves as a gap."""
    return [None if missing(v) else float(v) for v in series.astype(object)]


def scale_for(measure: str) -> float:
    return 100.0 if MEASURES[measure].kind == "points" else 1.0


def hover_value(measure: str, axis: str = "y") -> str:
    """A hovertemplate fragment showing the exact value with its unit."""
    spec = MEASURES[measure]
    if spec.kind == "rate":
        return f"%{{{axis}:.2%}}"
    if spec.kind == "points":
        return f"%{{{axis}:+.2f}} 个百分点"
    if spec.kind == "ratio":
        return f"%{{{axis}:,.2f}} {spec.unit}"
    return f"%{{{axis}:,}} {spec.unit}"


def axis_format(measure: str) -> dict[str, object]:
    spec = MEASURES[measure]
    if spec.kind == "rate":
        return {"tickformat": ".0%", "rangemode": "tozero"}
    if spec.kind == "points":
        return {"ticksuffix": " 个百分点", "tickformat": "+.1f", "zeroline": True}
    return {"tickformat": ",~r", "rangemode": "tozero"}


def bar_texts(values: pd.Series, measure: str) -> list[str]:
    """Labels on bars: the value without its unit (the title and the hover say it); blank where missing.

    Counts of one chart share one style: all in 万 when the largest reaches 10万, else all in full.
    """
    kind = MEASURES[measure].kind
    if kind == "rate":
        return ["" if missing(v) else percent_text(v) for v in values]
    if kind == "points":
        return ["" if missing(v) else f"{float(v) * 100:+.2f}" for v in values]
    if kind == "ratio":
        return ["" if missing(v) else f"{float(v):,.2f}" for v in values]
    known = [abs(float(v)) for v in values if not missing(v)]
    if known and max(known) >= 1e5:
        return ["" if missing(v) else f"{float(v) / 1e4:,.2f}万" for v in values]
    return ["" if missing(v) else count_text(v) for v in values]


def target_line(
    fig: go.Figure, target: float, *, label: str | None = None, horizontal: bool = False, **where: object
) -> None:
    """A dashed line at the target, named in the legend (a label on the line would sit on the bars' labels)."""
    line = {"dash": "dash", "color": TARGET_COLOR, "width": 1.5}
    if horizontal:
        fig.add_vline(x=target, line=line, **where)
    else:
        fig.add_hline(y=target, line=line, **where)
    fig.add_scatter(
        x=[None],
        y=[None],
        mode="lines",
        line=line,
        name=label or f"目标 {target:.0%}",
        hoverinfo="skip",
        showlegend=True,
    )
    fig.update_layout(margin={"t": LEGEND_MARGIN})


def click_for(by: str) -> str | None:
    """What a click on a bar of a chart grouped ``by`` chooses: a category, a unit (by any of its names), or nothing."""
    if by == "category":
        return CLICK_CATEGORY
    return CLICK_UNIT if by in ("unit", "short_name") else None


def category_colors(categories: pd.Series) -> list[str]:
    return [CATEGORY_COLORS.get(str(c), MUTED) for c in categories]


def lighter(color: str, alpha: float = 0.35) -> str:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def ordered_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in the fixed order of the six categories, whatever order they came in."""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return frame.assign(_order=frame["category"].astype(str).map(order)).sort_values("_order").drop(columns="_order")


def reported(frame: pd.DataFrame) -> pd.Series:
    """Which rows of a frame of ``lingyi.metrics`` sent something (``has_data``, for the hotline ``has_current``)."""
    for column in ("has_data", "has_current"):
        if column in frame:
            return frame[column].fillna(False).astype(bool)
    return pd.Series(True, index=frame.index)


def mark_not_reported(
    fig: go.Figure, groups: list, sent: pd.Series, *, horizontal: bool = False, angle: int = 0, **refs: str
) -> None:
    """「尚无报送」 where the bars of a group that sent nothing would stand (``refs``: the xref and yref of a panel)."""
    for group, known in zip(groups, sent, strict=True):
        if known:
            continue
        where = {"x": 0, "y": group, "xanchor": "left"} if horizontal else {"x": group, "y": 0, "yanchor": "bottom"}
        fig.add_annotation(
            **where,
            text=NOT_REPORTED,
            textangle=angle,
            showarrow=False,
            font={"size": 12, "color": "#7F8C8D"},
            **refs,
        )


def unless_not_reported(values: list, sent: pd.Series) -> list:
    return [v if known else None for v, known in zip(values, sent)]


# -- 类别 ------------------------------------------------------------------------------------------------------
