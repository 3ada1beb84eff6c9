"""单位画像: one unit on all four themes beside its category's average, and everything it has submitted."""

import streamlit as st

from lingyi import figures, metrics
from lingyi.ui import cards, charts, data, filters, frame, tables

ds, scope = frame.page_context()
frame.header("单位画像", scope, months_only=True)
unit = filters.unit_picker(ds, scope)
if unit is None:
    st.info("请在上方选择一个单位，或在其他页面的图表上点击某个单位。", icon=":material/touch_app:")
    st.stop()
known = ds.registry.by_name[unit]
st.caption(
    f"{known.name} · {known.category}。本单位（红）与{known.category}平均（浅色）对比："
    "数量取同类别有该项数据的单位的平均，比率取全类别合计。"
)
profile = metrics.unit_profile(ds, scope, unit)
one = metrics.Scope(scope.year, scope.through, units=(unit,))
span = scope.span_label

top_left, top_right = st.columns(2)
wide, narrow = st.columns([5, 2])  # the hotline has five measures, the indicators two
for column, (theme, name) in zip((top_left, wide, top_right, narrow), charts.THEMES.items(), strict=True):
    with column:
        part = profile[profile["theme"] == theme]
        title = f"{span} {name}"
        fig = figures.unit_against_category(part, title=title, unit_name=known.short_name, category=known.category)
        charts.chart(fig, key=f"u_{theme}")
left, right = st.columns(2)
with left:
    people = metrics.learning_by(ds, one, "month")
    charts.chart(figures.monthly(people, value="person_times", title=f"{span} 每月参与人次"), key="u_months")
with right:
    appeals = metrics.hotline_by(ds, one, "month")
    title = f"{span} 每月诉求量：本年与上年同期"
    charts.chart(
        figures.this_year_and_last_by_month(appeals, value="appeals", previous="appeals_prev", title=title),
        key="u_appeals",
    )
    if note := metrics.coverage(ds, one, "hotline").note:
        cards.like_for_like_note(note)

st.subheader("指标完成", anchor=False)
indicators = metrics.indicator_rows(ds, one)
frame.indicators_elsewhere(metrics.indicator_periods_elsewhere(ds, one), one, nothing_shown=indicators.empty)
if not indicators.empty:
    file_name = f"指标完成_{known.short_name}_{span}.xlsx"
    tables.table(indicators, key="u_indicators", columns=tables.INDICATOR_COLUMNS, file_name=file_name)

st.subheader("报送记录", anchor=False)
columns = ("id", "kind", "submitted_for", "rows", "file", "created_at", "created_by", "state")
tables.table(data.unit_history(unit), key="u_history", columns=columns, file_name=f"报送记录_{known.short_name}.xlsx")
