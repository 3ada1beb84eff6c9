"""学习活动: 参与人次, activities, 期 and 节 by category, unit, theme, form and month; the activities themselves."""

import streamlit as st

from lingyi import figures, metrics
from lingyi.ui import charts, filters, frame, state, tables

ds, scope = frame.page_context()
frame.header("学习活动", scope)
rows = metrics.learning_rows(ds, scope)
if rows.empty:
    frame.nothing_in_scope(scope, "学习活动")
    st.stop()
measure = filters.choice(
    "看哪项",
    {m: figures.MEASURES[m].name for m in ("person_times", "activities", "sessions", "lectures")},
    key=state.LEARNING_MEASURE,
)
name, span = figures.MEASURES[measure].name, scope.span_label

left, right = st.columns(2)
with left:
    by_category = metrics.learning_by(ds, scope, "category")
    charts.chart(figures.by_category(by_category, value=measure, title=f"{span} 各类别{name}"), key="l_cat")
with right:
    by_month = metrics.learning_by(ds, scope, "month")
    charts.chart(figures.monthly(by_month, value=measure, title=f"{span} 每月{name}"), key="l_month")
by_unit = metrics.learning_by(ds, scope, "unit")
left, right = st.columns(2)
with left:
    charts.chart(figures.unit_ranking(by_unit, value=measure, title=f"{span} {name}前15名单位"), key="l_units")
with right:
    charts.chart(figures.unit_ranking(by_unit, value="per_head", title=f"{span} 人均参与人次前15名单位"), key="l_head")
    st.caption("人均参与人次 = 参与人次 ÷ 在职人数，只列出报送了在职人数的单位。点击单位可查看其画像。")
left, right = st.columns(2)
with left:
    by_theme = metrics.learning_by(ds, scope, "theme")
    charts.chart(
        figures.breakdown(by_theme, by="theme", value=measure, title=f"{span} 各学习主题{name}"), key="l_theme"
    )
with right:
    by_form = metrics.learning_by(ds, scope, "form")
    charts.chart(figures.breakdown(by_form, by="form", value=measure, title=f"{span} 各活动形式{name}"), key="l_form")

st.subheader("活动明细（最近的在前）", anchor=False)
columns = ("short_name", "category", "activity", "form", "theme", "date", "sessions", "lectures", "person_times")
newest_first = rows.sort_values(["date", "unit"], ascending=[False, True])
tables.table(newest_first, key="l_rows", columns=(*columns, "lecturers"), file_name=f"学习活动明细_{span}.xlsx")
