"""指标完成: 共性 and 个性 indicators, target against actual, completion (越低越好 counted the right way round)."""

import streamlit as st

from lingyi import figures, metrics
from lingyi.ui import cards, charts, frame, tables

ds, scope = frame.page_context()
frame.header("指标完成", scope)
rows = metrics.indicator_rows(ds, scope)
frame.indicators_elsewhere(metrics.indicator_periods_elsewhere(ds, scope), scope, nothing_shown=rows.empty)
if rows.empty:
    st.stop()
span = scope.span_label
totals = metrics.indicator_totals(ds, scope).set_index("indicator_type")
for card, kind in zip(st.columns(3), totals.index, strict=True):
    with card:
        cards.completion_card(kind, totals.loc[kind])
st.caption(
    "完成度 = 完成值 ÷ 目标值；「越低越好」的指标为 目标值 ÷ 完成值；达到100%即为达标。"
    "同一指标取所选月份前开始、结束最晚的统计期间；期间尚未结束的（如「2025年」）按最近报送的数计入，"
    f"标为「{metrics.YEAR_TO_DATE}」。"
)

by_indicator = metrics.indicators_by(ds, scope, "indicator")
left, right = st.columns(2)
with left:
    by_category = metrics.indicators_by(ds, scope, "category")
    charts.chart(figures.completion_by_category(by_category, title=f"{span} 各类别指标平均完成度"), key="i_cat")
    shared = by_indicator[by_indicator["indicator_type"] == "共性指标"]
    charts.chart(figures.indicator_met(shared, title=f"{span} 共性指标：各项达标单位数"), key="i_shared")
with right:
    scores = metrics.unit_scores(ds, scope, "indicators")
    labels = ("完成度最高的八个单位", "完成度最低的八个单位")
    title = f"{span} 各单位指标平均完成度"
    charts.chart(
        figures.best_and_weakest(scores, value="mean_completion", title=title, n=8, labels=labels), key="i_units"
    )
own = by_indicator[by_indicator["indicator_type"] == "个性指标"]
charts.chart(figures.indicator_met(own, title=f"{span} 个性指标达标单位数（达标率低的在前）"), key="i_own")

st.subheader("各单位指标明细", anchor=False)
tables.table(rows, key="i_rows", columns=tables.INDICATOR_COLUMNS, file_name=f"指标完成明细_{span}.xlsx")
