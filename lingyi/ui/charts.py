"""Charts that answer a click (a category narrows the page, a unit opens its profile) and save a picture named
after their title, with Plotly's toolbar in Chinese."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from lingyi import figures
from lingyi.contract import CATEGORIES
from lingyi.ui.data import dataset
from lingyi.ui.state import CATEGORY, LIVE, PROFILE_PAGE, PROFILE_UNIT, SNAPSHOT

# The four themes, in the order the pages show them.
THEMES = {"learning": "学习活动", "hotline": "12345热线", "problems": "问题化解", "indicators": "指标完成"}


# Plotly's own words (the toolbar's tooltips and messages) in Chinese, through its ``locales`` config.
PLOTLY_WORDS = {
    "Download plot as a PNG": "保存为图片（PNG）",
    "Download plot": "保存图片",
    "Zoom": "框选放大",
    "Pan": "拖动",
    "Reset axes": "还原",
    "Reset": "还原",
    "Reset view": "还原",
    "Autoscale": "自动缩放",
    "Zoom in": "放大",
    "Zoom out": "缩小",
    "Box Select": "框选",
    "Lasso Select": "套索选择",
    "Toggle Spike Lines": "显示或隐藏参考线",
    "Show closest data on hover": "悬停显示最近的数据",
    "Compare data on hover": "悬停比较数据",
    "Toggle show closest data on hover": "悬停显示最近的数据",
    "Taking snapshot - this may take a few seconds": "正在生成图片，请稍候",
    "Snapshot succeeded": "图片已生成",
    "Sorry, there was a problem downloading your snapshot!": "图片生成失败，请重试。",
    "Double-click to zoom back out": "双击还原",
    "Click to enter Plot title": "点击输入标题",
}


CHART_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "locale": "zh-CN",
    "locales": {"zh-CN": {"dictionary": PLOTLY_WORDS}},
}


def chart(fig: go.Figure, *, key: str) -> None:
    """Draw a figure; clicking a category narrows the page to it, clicking a unit opens its profile."""
    meta = fig.layout.meta
    click = meta.get("click") if isinstance(meta, dict) else None
    options = {"key": key, "theme": None, "config": chart_config(fig), "width": "stretch"}
    if click == figures.CLICK_CATEGORY:
        st.plotly_chart(fig, on_select=lambda: _narrow_to_category(key), selection_mode="points", **options)
    elif click == figures.CLICK_UNIT:
        event = st.plotly_chart(fig, on_select="rerun", selection_mode="points", **options)
        clicked = _clicked(event.selection.points if event else [])
        if clicked:
            open_profile(clicked)
    else:
        st.plotly_chart(fig, **options)


def _clicked(points: list[dict]) -> str | None:
    """The category or unit a click chose: the first element of the point's customdata."""
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if data:
            return str(data)
    return None


def _narrow_to_category(key: str) -> None:
    category = _clicked(st.session_state[key].selection.points)
    if category in CATEGORIES and st.session_state.get(SNAPSHOT, LIVE) == LIVE:  # a 会议版's scope stays as frozen
        st.session_state[CATEGORY] = [category]
        st.toast(f"已只看「{category}」；在左侧「单位类别」中可清除。", icon=":material/filter_alt:")


def open_profile(unit: str) -> None:
    """Switch to the unit profile page with the unit in the URL."""
    registry = dataset().registry
    found = registry.by_name.get(unit) or registry.match(unit)
    if found is not None:
        st.switch_page(PROFILE_PAGE, query_params={PROFILE_UNIT: found.label})


def chart_config(fig: go.Figure) -> dict:
    """``CHART_CONFIG`` with the toolbar camera saving a 2× PNG named after the chart's title and period.

    「2025年1—10月 各类别参与人次」 saves as 「2025年1-10月_各类别参与人次.png」 (see ``pictures.camera_options``).
    """
    from lingyi.figures import pictures

    return {**CHART_CONFIG, "toImageButtonOptions": pictures.camera_options(fig)}
