"""总览: what a meeting opens with — the headline figures, the six categories, the months, the best and weakest units."""

import streamlit as st

from lingyi import figures, metrics
from lingyi.ui import cards, charts, frame

ds, scope = frame.page_context()
frame.header("总览", scope)
reporting = metrics.reporting_units(ds, scope)
if not reporting:
    frame.nothing_in_scope(scope, "报送")
    st.stop()
cards.learning_cards(
    reporting=len(reporting),
    registered=len(metrics.scoped_units(ds, scope)),
    learning=metrics.learning_totals(ds, scope),
)
cards.hotline_cards(metrics.hotline_totals(ds, scope), note=metrics.coverage(ds, scope, "hotline").note)
cards.problem_cards(metrics.problem_totals(ds, scope))
cards.indicator_cards(metrics.indicator_totals(ds, scope))
span, when = scope.span_label, scope.as_of_label

st.subheader("六类单位对比", anchor=False)
left, right = st.columns(2)
with left:
    people = metrics.learning_by(ds, scope, "category")
    charts.chart(figures.by_category(people, value="person_times", title=f"{span} 各类别参与人次"), key="o_people")
    closure = metrics.problems_by(ds, scope, "category")
    charts.chart(figures.closure_rates(closure, by="category", title=f"{when} 各类别问题化解率"), key="o_closure")
with right:
    appeals = metrics.hotline_by(ds, scope, "category")
    title = f"{span} 各类别诉求量：本年与上年同期"
    charts.chart(
        figures.category_this_and_last_year(appeals, value="appeals", previous="appeals_prev", title=title),
        key="o_appeals",
    )
    completion = metrics.indicators_by(ds, scope, "category")
    charts.chart(figures.completion_by_category(completion, title=f"{span} 各类别指标平均完成度"), key="o_indicators")

st.subheader("逐月走势", anchor=False)
left, right = st.columns(2)
with left:
    people = metrics.learning_by(ds, scope, "month")
    charts.chart(figures.monthly(people, value="person_times", title=f"{span} 每月参与人次"), key="o_months")
with right:
    appeals = metrics.hotline_by(ds, scope, "month")
    title = f"{span} 每月诉求量：本年与上年同期"
    charts.chart(
        figures.this_year_and_last_by_month(appeals, value="appeals", previous="appeals_prev", title=title),
        key="o_appeals_months",
    )

st.subheader("各项工作最好与最弱的五个单位", anchor=False)
for column, (theme, name) in zip(st.columns(2) * 2, charts.THEMES.items(), strict=True):
    with column:
        measure = metrics.UNIT_SCORES[theme]
        title = f"{span} {name}：{figures.MEASURES[measure].name}"
        charts.chart(
            figures.best_and_weakest(metrics.unit_scores(ds, scope, theme), value=measure, title=title),
            key=f"o_rank_{theme}",
        )
st.caption(f"人均参与人次只计报送了在职人数的单位；化解率截至{scope.through}月末。点击单位可查看其画像。")
