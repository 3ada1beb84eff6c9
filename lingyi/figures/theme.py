"""The look every chart shares: the ``lingyi`` template, the six category colours, the measures' names and units,
and numbers as people read them (12.35万, 96.40%, +1.25个百分点).

The template is registered once, on import. Its fonts are a CJK stack that every office machine has one of; the
six category colours are fixed here, so 执法监督 has the same colour on every chart. Where a chart lets a reader
click a category or a unit, the trace's ``customdata`` holds the category name or the unit's full name
(``CLICK_CATEGORY`` / ``CLICK_UNIT`` tell the page which).
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import plotly.io as pio

from lingyi.values import missing

FONT_FAMILY = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'
CATEGORY_COLORS: dict[str, str] = {
    "党政综合": "#A93226",
    "经济发展": "#D68910",
    "执法监督": "#1F618D",
    "社会服务": "#1E8449",
    "群团事业": "#7D3C98",
    "国有企业": "#566573",
}
PRIMARY = "#C0392B"  # the dashboard's restrained party red: this year, the unit in focus
MUTED = "#AAB7B8"  # last year, the comparison
GOOD = "#1E8449"
BAD = "#C0392B"
TARGET_COLOR = "#7B241C"
GRID = "#EAECEE"
TEXT = "#1C2833"
STAND_IN = "#7F8C8D"  # the legend swatch of bars that take their category's colour
NO_DATA = "无数据"
NOT_REPORTED = "尚无报送"  # a category, unit or month that sent nothing: never drawn as 0, never the least

TEMPLATE = "lingyi"
BAR_GAP = 0.25
pio.templates[TEMPLATE] = go.layout.Template(
    layout={
        "font": {"family": FONT_FAMILY, "size": 14, "color": TEXT},
        "title": {"x": 0.01, "xanchor": "left", "y": 0.97, "yanchor": "top", "font": {"size": 17}},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": list(CATEGORY_COLORS.values()),
        "separators": ".,",
        "margin": {"l": 16, "r": 24, "t": 64, "b": 16},
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 14}, "bgcolor": "white"},
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.01, "yanchor": "bottom", "title": None},
        "xaxis": {"gridcolor": GRID, "linecolor": "#BFC9CA", "zerolinecolor": "#BFC9CA", "automargin": True},
        "yaxis": {"gridcolor": GRID, "linecolor": "#BFC9CA", "zerolinecolor": "#BFC9CA", "automargin": True},
        "bargap": BAR_GAP,
    },
    data={
        # Labels keep their size (plotly would shrink one that is wider than its bar to a few pixels).
        "bar": [go.Bar(textfont={"size": 12}, insidetextfont={"color": "white"}, constraintext="none")],
        "funnel": [go.Funnel(textfont={"size": 13})],
    },
)

CLICK_CATEGORY = "category"
CLICK_UNIT = "unit"


# -- the vocabulary of measures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    name: str  # how a title or an axis says it
    unit: str  # what the count is of (人次, 件 …); "" for rates
    kind: str = "count"  # "count", "ratio" (per head), "rate" (a fraction), "points" (a change of a rate)


MEASURES: dict[str, Measure] = {
    "activities": Measure("学习活动", "项"),
    "sessions": Measure("期数", "期"),
    "lectures": Measure("节数", "节"),
    "person_times": Measure("参与人次", "人次"),
    "per_head": Measure("人均参与人次", "人次/人", "ratio"),
    "appeals": Measure("诉求量", "件"),
    "appeals_prev": Measure("上年同期诉求量", "件"),
    "appeals_yoy": Measure("诉求量同比", "", "rate"),
    "first_time_rate": Measure("一次性办好率", "", "rate"),
    "resolution_rate": Measure("问题解决率", "", "rate"),
    "satisfaction_rate": Measure("群众满意率", "", "rate"),
    "first_time_rate_change": Measure("一次性办好率变化", "个百分点", "points"),
    "resolution_rate_change": Measure("问题解决率变化", "个百分点", "points"),
    "satisfaction_rate_change": Measure("群众满意率变化", "个百分点", "points"),
    "found": Measure("发现问题", "个"),
    "resolved": Measure("已化解", "个"),
    "closure_rate": Measure("化解率", "", "rate"),
    "mean_completion": Measure("平均完成度", "", "rate"),
    "met_rate": Measure("达标率", "", "rate"),
    "indicators": Measure("指标数", "项"),
    "met": Measure("达标指标", "项"),
}
RATES = ("first_time_rate", "resolution_rate", "satisfaction_rate")
GROUP_NAMES = {
    "category": "类别",
    "unit": "单位",
    "theme": "学习主题",
    "form": "活动形式",
    "problem_type": "问题类别",
    "stage": "溯源环节",
    "month": "月份",
    "indicator": "指标",
}


# -- numbers as people read them ------------------------------------------------------------------------------


def count_text(value: float | None, unit: str = "") -> str:
    """The one way a count is written, on pages, charts, slides, the report and in the narrative: 3,018 with
    thousands separators; from 1万 on in 万 and from 1亿 on in 亿, with up to two decimals (31.6万, 11.17万, 1.2亿);
    无数据 for a missing figure."""
    if missing(value):
        return NO_DATA
    number = float(value)
    if abs(number) >= 1e8:
        text = f"{_two_decimals(number / 1e8)}亿"
    elif abs(number) >= 1e4:
        text = f"{_two_decimals(number / 1e4)}万"
    elif number == int(number):
        text = f"{int(number):,}"
    else:
        text = f"{number:,.2f}"
    return f"{text}{unit}" if unit else text


def _two_decimals(number: float) -> str:
    """Two decimals without trailing zeros: 4.57, 31.6, 10."""
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def percent_text(fraction: float | None) -> str:
    """A rate (a fraction) as a percentage with two decimals: 0.93721 → 93.72%."""
    return NO_DATA if missing(fraction) else f"{float(fraction) * 100:.2f}%"


def change_text(fraction: float | None) -> str:
    """A relative change (year on year) with its sign: 0.0765 → +7.65%."""
    return NO_DATA if missing(fraction) else f"{float(fraction) * 100:+.2f}%"


def points_text(change: float | None) -> str:
    """The change of a rate, in percentage points — never called a percent: 0.0123 → +1.23 个百分点."""
    if missing(change):
        return NO_DATA
    points = round(float(change) * 100, 2)
    return f"{points:+.2f} 个百分点" if points else "0.00 个百分点"


def measure_text(value: float | None, measure: str) -> str:
    """A value of one of ``MEASURES`` as text, with its unit."""
    spec = MEASURES[measure]
    if spec.kind == "rate":
        return percent_text(value)
    if spec.kind == "points":
        return points_text(value)
    if spec.kind == "ratio":
        return NO_DATA if missing(value) else f"{float(value):,.2f} {spec.unit}"
    return count_text(value, f" {spec.unit}")


def month_label(month: int) -> str:
    return f"{int(month)}月"


# -- building blocks ------------------------------------------------------------------------------------------
