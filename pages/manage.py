"""数据管理: every submission and its file — download, restore, withdraw; export everything; the unit registry."""

import datetime as dt

import streamlit as st

from lingyi.access import auth
from lingyi.intake import desk
from lingyi.ui import busy, data, frame, manage, tables, writes
from lingyi.workbooks import XLSX_MIME

HISTORY = "manage_history"
SEARCH = "manage_search"
RESTORE = "manage_restore"
WITHDRAW = "manage_withdraw"
REGISTRY_FILE = "manage_registry_file"
REPLACE_REGISTRY = "manage_replace_registry"

user = frame.desk_page("数据管理")
store = data.store()
registry = store.registry()
writes.show_desk_message()
records_tab, registry_tab = st.tabs(["报送记录", "单位名录"])

with records_tab:
    history = desk.history_table(data.submission_history(), registry)
    if history.empty:
        st.info("还没有任何报送记录。请先在「数据上传」页上传报表。", icon=":material/inbox:")
    else:
        query = st.text_input(
            "搜索", key=SEARCH, placeholder="单位、报表、期间、文件名或上传人", label_visibility="collapsed"
        )
        shown = desk.search_history(history, query, registry)
        st.caption(f"共 {len(shown):,} 条报送记录；点击一行可下载原始文件、恢复或撤销。")
        chosen = manage.history_picker(shown, key=HISTORY)
        if chosen is not None:
            with busy.said_while_waiting():
                manage.submission_actions(store, chosen, keys=(RESTORE, WITHDRAW))
    st.download_button(
        "导出全部数据（每张报表一个工作表）",
        data=lambda: desk.export_all(store, data.submission_history()),
        file_name=desk.export_name(dt.datetime.now().strftime("%Y%m%d_%H%M")),
        mime=XLSX_MIME,
        icon=":material/file_download:",
        on_click="ignore",
        disabled=history.empty,
    )

with registry_tab:
    st.caption(
        f"当前名录共 {len(registry)} 家单位。上传新的名录（.csv 或 .xlsx，四列：单位全称、单位简称、单位类别、别名）"
        "可整体替换，旧名录保留在历史中。"
    )
    tables.data_table(desk.registry_table(registry), hide_index=True, width="stretch", height=320)
    if user.may(auth.Permission.ADMIN):
        with busy.said_while_waiting():
            manage.registry_replacement(
                store, registry, file_key=REGISTRY_FILE, confirm_key=REPLACE_REGISTRY, user=user.name
            )
    else:
        st.caption("更换单位名录须由管理员操作。")
    registry_history = store.registry_history()
    if not registry_history.empty:
        st.markdown("**名录替换历史**")
        tables.data_table(desk.registry_history_table(registry_history), hide_index=True, width="stretch")
