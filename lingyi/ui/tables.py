"""Tables: headed in Chinese, searchable, with an .xlsx download of what is shown; findings that wrap and read whole."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lingyi.contract import SHEET_KINDS
from lingyi.workbooks import XLSX_MIME, frames_to_xlsx

# The columns of a table of indicators (``metrics.indicator_rows``), in order.
INDICATOR_COLUMNS = (
    *("short_name", "category", "indicator_type", "indicator", "period_text"),
    *("measure_unit", "target", "actual", "direction", "completion", "met"),
)


# Chinese headings of the frame columns a table may show: the contract's own names first, then the figures'.
HEADINGS: dict[str, str] = {column.key: column.name for kind in SHEET_KINDS for column in kind.columns} | {
    "unit": "单位全称",
    "short_name": "单位",
    "category": "类别",
    "found": "发现问题",
    "resolved": "已化解",
    "closure_rate": "化解率",
    "completion": "完成度",
    "period_text": "统计期间",
    "met": "达标",
    "status_then": "状态",
    "days_open": "已挂账天数",
    "id": "编号",
    "kind": "报表",
    "submitted_for": "报送期间",
    "rows": "行数",
    "file": "文件",
    "created_at": "报送时间",
    "created_by": "操作人",
    "state": "状态",
}
RATE_COLUMNS = frozenset({"closure_rate", "completion"})  # fractions, shown as percentages
_COLUMN_CONFIG = {
    "date": st.column_config.DateColumn(format="YYYY-MM-DD"),
    "found_date": st.column_config.DateColumn(format="YYYY-MM-DD"),
    "resolved_date": st.column_config.DateColumn(format="YYYY-MM-DD"),
    "created_at": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
    "days_open": st.column_config.NumberColumn(format="%d 天"),
    "met": st.column_config.CheckboxColumn(),
    "person_times": st.column_config.NumberColumn(format="localized"),
    "id": st.column_config.NumberColumn(format="%d"),
}


def table(
    frame: pd.DataFrame, *, key: str, columns: tuple[str, ...], file_name: str, height: int | str = "auto"
) -> None:
    """A table with a search box over every text column and an .xlsx download of what is shown.

    ``columns`` are the frame's columns to show, in order, headed by ``HEADINGS``; a rate (a fraction) is shown
    and downloaded as a percentage with two decimals, its heading saying so.
    """
    shown = frame[list(columns)].copy()
    headings = {c: f"{HEADINGS[c]}（%）" if c in RATE_COLUMNS else HEADINGS[c] for c in columns}
    config = {headings[c]: _COLUMN_CONFIG[c] for c in columns if c in _COLUMN_CONFIG}
    for column in RATE_COLUMNS.intersection(columns):
        shown[column] = (pd.to_numeric(shown[column], errors="coerce").astype(float) * 100).round(2)
        config[headings[column]] = st.column_config.NumberColumn(format="%.2f")
    shown = shown.rename(columns=headings)
    query = st.text_input(
        "搜索", key=f"{key}_search", placeholder="输入关键词筛选（单位、名称、类别…）", label_visibility="collapsed"
    )
    if query:
        text = shown.select_dtypes(exclude="number").astype(str)
        hits = text.apply(lambda column: column.str.contains(query, case=False, regex=False)).any(axis=1)
        shown = shown[hits]
    data_table(shown, hide_index=True, width="stretch", height=height, column_config=config)
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.caption(f"共 {len(shown):,} 行")
    right.download_button(
        "下载 Excel",
        data=lambda: frames_to_xlsx({"数据": shown}),
        file_name=file_name,
        mime=XLSX_MIME,
        icon=":material/download:",
        on_click="ignore",
        key=f"{key}_download",
        width="stretch",
    )


def data_table(data, **options):
    """``st.dataframe`` as every page shows a table: a missing value left blank, as in the returns, where Streamlit
    would write 「None」."""
    return st.dataframe(data, placeholder="", **options)


WRAPPED_FINDINGS = 30  # up to this many findings are shown with their messages wrapped


# Narrow location columns leave the message, which says how to fix the cell, room to be read whole.
_FINDING_COLUMNS = {
    "工作表": st.column_config.TextColumn("工作表", width=110),
    "行号": st.column_config.NumberColumn("行号", format="%d", width=56),
    "列": st.column_config.TextColumn("列", width=40),
    "列名": st.column_config.TextColumn("列名", width=100),
    "值": st.column_config.TextColumn("值", width=120),
    "说明": st.column_config.TextColumn("说明", width=760),
}


def findings_table(frame: pd.DataFrame) -> None:
    """Errors or warnings: a few as a table whose messages wrap and read whole; many as a scrolling grid."""
    if len(frame) <= WRAPPED_FINDINGS:
        st.table(frame.astype({"行号": "string"}).fillna(""), hide_index=True, border="horizontal")
    else:
        st.caption(f"共 {len(frame):,} 条；说明较长时把鼠标移到单元格上可看全文，或下载错误清单。")
        data_table(frame, hide_index=True, column_config=_FINDING_COLUMNS)
