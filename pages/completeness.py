"""报送情况: who has sent which month's return, on time or late, and a chase message for those who have not."""

import streamlit as st

from lingyi.access import auth
from lingyi.contract import SHEET_KIND_BY_KEY
from lingyi.intake import desk
from lingyi.metrics import completeness
from lingyi.ui import data, frame, reporting, tables
from lingyi.workbooks import XLSX_MIME, frames_to_xlsx

YEAR = "completeness_year"
KIND = "completeness_kind"
DUE_DAY = "completeness_due_day"
GRID = "completeness_grid"
MONTH = "completeness_month"

frame.desk_page("报送情况", auth.Permission.VIEW)
registry, submissions, today = reporting.reporting_source()  # a 会议版: as it stood the day it was frozen
years = completeness.report_years(submissions, today)
year_column, kind_column, due_column = st.columns(3)
year = year_column.selectbox("年份", years, index=years.index(completeness.default_year(submissions, today)), key=YEAR)
kind = kind_column.selectbox("报表", list(SHEET_KIND_BY_KEY), format_func=lambda k: SHEET_KIND_BY_KEY[k].name, key=KIND)
due_day = due_column.number_input(
    "截止日（次月几号）",
    1,
    28,
    value=completeness.DEFAULT_DUE_DAY,
    key=DUE_DAY,
    help="每月数据应在次月这一天（含）前报送。",
)
report = completeness.completeness(submissions, registry.frame, year=year, kind=kind, due_day=due_day, as_of=today)
st.caption(
    f"按时：{due_day}日（含）前报送；逾期：截止日后才报送；未报：已过截止日仍未报送；未到期：尚未报送但还没到截止日。"
    "以单位第一次有效报送的时间为准，之后的更正不算逾期。"
)

st.subheader(f"{year}年 各月{report.kind_name}报送情况", anchor=False)
if report.exempt:
    st.caption(f"不涉及{report.kind_name}、不计入应报也不催报的 {len(report.exempt)} 家：{'、'.join(report.exempt)}。")
tables.data_table(report.month_table(), hide_index=True, width="stretch")
st.markdown("**各类别已报/单位数**")
tables.data_table(report.category_counts(), hide_index=True, width="stretch")

st.subheader("逐单位报送情况", anchor=False)
st.caption("点击某一行查看该单位的报送记录。")
unit = reporting.status_grid(report, key=GRID)
if unit:
    mine = desk.unit_kind_history(desk.history_table(data.submission_history(), registry), unit, kind)
    st.markdown(f"**{registry.by_name[unit].label}** 的{report.kind_name}报送记录")
    if mine.empty:
        st.info("该单位还没有报送过这张报表。", icon=":material/inbox:")
    else:
        tables.data_table(mine[desk.HISTORY_COLUMNS], hide_index=True, width="stretch")

st.subheader("催报", anchor=False)
month_column, deadline_column = st.columns(2)
month = month_column.selectbox(
    "月份",
    completeness.MONTHS,
    index=completeness.default_month(report) - 1,
    format_func=completeness.month_label,
    key=MONTH,
)
# No key: another month gives another default deadline, and the date follows it.
deadline = deadline_column.date_input(
    "请于哪天前报送", value=completeness.default_deadline(year, month, due_day, today)
)
missing = report.not_submitted(month)
if missing.empty:
    st.success(
        f"{year}年{month}月的{report.kind_name}：{report.unit_count} 家单位已全部报送。", icon=":material/task_alt:"
    )
else:
    tables.data_table(missing, hide_index=True, width="stretch")
    st.download_button(
        f"下载催报名单（{len(missing)} 家）",
        data=frames_to_xlsx({"催报名单": missing}),
        file_name=completeness.chase_list_name(report, month),
        mime=XLSX_MIME,
        icon=":material/download:",
        on_click="ignore",
    )
# No key: a new message (another month, kind or deadline) is a new text area showing it.
st.text_area(
    "催报消息（点击后 Ctrl+A 全选、Ctrl+C 复制，粘贴到工作群）",
    completeness.chase_message(report, month, deadline),
    height=180,
)
