"""问题化解: found against resolved, 化解率 against the 90% target, the months, the four stages, what is still open."""

import streamlit as st

from lingyi import figures, metrics
from lingyi.contract import CLOSURE_TARGET
from lingyi.ui import cards, charts, frame, tables

ds, scope = frame.page_context()
frame.header("问题化解", scope)
totals = metrics.problem_totals(ds, scope)
if not totals["found"]:
    frame.nothing_in_scope(scope, "问题清单")
    st.stop()
when, target = scope.as_of_label, f"{CLOSURE_TARGET:.0%}"
cards.problem_cards(totals)

by_category = metrics.problems_by(ds, scope, "category")
by_type = metrics.problems_by(ds, scope, "problem_type")
left, right = st.columns(2)
with left:
    charts.chart(
        figures.found_and_resolved(by_category, by="category", title=f"{when} 各类别发现与化解问题"), key="p_cat"
    )
    charts.chart(
        figures.found_and_resolved(by_type, by="problem_type", title=f"{when} 各问题类别发现与化解"), key="p_type"
    )
    cumulative = metrics.problems_cumulative(ds, scope)
    charts.chart(
        figures.cumulative_problems(cumulative, title=f"{scope.span_label} 累计发现与化解问题"), key="p_months"
    )
with right:
    charts.chart(figures.closure_rates(by_category, by="category", title=f"{when} 各类别化解率"), key="p_cat_rate")
    charts.chart(figures.closure_rates(by_type, by="problem_type", title=f"{when} 各问题类别化解率"), key="p_type_rate")
    stages = metrics.problems_by(ds, scope, "stage")
    charts.chart(figures.problems_by_stage(stages, title=f"{when} 点题→破题→解题→验题 各环节问题"), key="p_stages")

st.subheader(f"化解率低于{target}的单位", anchor=False)
below = metrics.units_below_target(ds, scope)
if below.empty:
    st.success(f"所有发现问题的单位化解率都达到{target}。", icon=":material/check_circle:")
else:
    title = f"{when} 化解率最低的{min(len(below), 15)}个单位（低于目标共{len(below)}个）"
    charts.chart(figures.closure_rates(below.head(15), by="short_name", title=title, horizontal=True), key="p_below")
    columns = ("short_name", "category", "found", "resolved", "closure_rate")
    tables.table(below, key="p_below_units", columns=columns, file_name=f"化解率低于目标的单位_{when}.xlsx", height=300)

st.subheader("尚未化解的问题（最早发现的在前）", anchor=False)
columns = metrics.OPEN_PROBLEM_COLUMNS[1:]  # the unit by its short name
tables.table(metrics.open_problems(ds, scope), key="p_open", columns=columns, file_name=f"未化解问题_{when}.xlsx")
