"""热线指标: 12345 appeals this year against last, the three rates' change in 百分点, categories and units."""

import streamlit as st

from lingyi import figures, metrics
from lingyi.ui import cards, charts, filters, frame, state

ds, scope = frame.page_context()
frame.header("12345热线指标", scope)
totals = metrics.hotline_totals(ds, scope)
if not totals["has_current"]:
    frame.nothing_in_scope(scope, "12345热线")
    st.stop()
cards.hotline_cards(totals, note=metrics.coverage(ds, scope, "hotline").note)
if not totals["has_previous"]:
    st.info("所选范围内没有上年同期数据，无法计算同比。", icon=":material/info:")
span = scope.span_label

by_month = metrics.hotline_by(ds, scope, "month")
by_category = metrics.hotline_by(ds, scope, "category")
left, right = st.columns(2)
with left:
    title = f"{span} 每月诉求量：本年与上年同期"
    charts.chart(
        figures.this_year_and_last_by_month(by_month, value="appeals", previous="appeals_prev", title=title),
        key="h_months",
    )
    charts.chart(figures.rates_this_and_last_year(totals, title=f"{span} 三率：本年与上年同期"), key="h_rates")
with right:
    charts.chart(
        figures.year_on_year_by_month(by_month, value="appeals_yoy", title=f"{span} 每月诉求量同比"), key="h_yoy"
    )
    title = f"{span} 各类别诉求量：本年与上年同期"
    charts.chart(
        figures.category_this_and_last_year(by_category, value="appeals", previous="appeals_prev", title=title),
        key="h_cat",
    )
charts.chart(
    figures.rate_changes_by_category(by_category, title=f"{span} 各类别三率较上年同期变化（百分点）"), key="h_cat_rates"
)

st.subheader("各单位改善情况", anchor=False)
rate = filters.choice("按哪项排名", metrics.RATE_NAMES, key=state.HOTLINE_RATE)
by_unit = metrics.hotline_by(ds, scope, "unit")
title = f"{span} {metrics.RATE_NAMES[rate]}较上年同期变化（百分点）"
labels = ("改善最多的十个单位", "改善最少的十个单位")
charts.chart(figures.best_and_weakest(by_unit, value=f"{rate}_change", title=title, n=10, labels=labels), key="h_units")
st.caption("只列出本年和上年同期都有数据的单位。点击单位可查看其画像。")
