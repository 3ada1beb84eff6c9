"""系统管理: who may sign in, with what role, and the log of every write — for administrators only."""

import datetime as dt

import streamlit as st

from lingyi.access import auth
from lingyi.ui import admin, busy, data, frame, tables, writes
from lingyi.workbooks import XLSX_MIME, frames_to_xlsx

SINCE = "admin_since"

user = frame.desk_page("系统管理", auth.Permission.ADMIN)
store = data.store()
users_tab, exempt_tab, audit_tab, sign_ins_tab = st.tabs(["用户", "不涉及的报表", "操作日志", "登录记录"])

with users_tab:
    writes.show_desk_message()
    users = auth.users(store)
    if users.empty:
        st.info("还没有用户。", icon=":material/group:")
    else:
        shown = users.assign(
            状态=users["disabled"].map({True: "已停用", False: "正常"}), unit=users["unit"].fillna("—")
        )
        tables.data_table(
            shown[["name", "role_name", "unit", "状态", "created_at"]].rename(
                columns={"name": "用户名", "role_name": "角色", "unit": "绑定单位", "created_at": "创建时间"}
            ),
            hide_index=True,
            width="stretch",
        )
    with busy.said_while_waiting():
        admin.user_form(store, store.registry(), by=user.name)
        if not users.empty:
            admin.user_status_form(store, users, by=user.name)
    st.caption(
        "改密码请在服务器上运行 `python -m lingyi user passwd 用户名`；停用或改密码后，该用户各处的登录随即结束。"
    )

with exempt_tab:
    st.caption("标为不涉及某种报表的单位，在报送情况与同比说明中既不算应报，也不催报；每次更改记入操作日志。")
    with busy.said_while_waiting():
        admin.exempt_form(store, store.registry(), by=user.name)

with audit_tab:
    since = st.date_input("起始日期", value=dt.date.today() - dt.timedelta(days=90), key=SINCE)
    log = admin.audit_table(store.audit_log(since=since))
    st.caption(f"共 {len(log):,} 条：每次入库、恢复、撤销、更换名录、用户变更都有记录。")
    tables.data_table(log, hide_index=True, width="stretch")
    st.download_button(
        "导出操作日志（Excel）",
        data=lambda: frames_to_xlsx({"操作日志": log}),
        file_name=f"操作日志_{dt.date.today():%Y%m%d}.xlsx",
        mime=XLSX_MIME,
        icon=":material/file_download:",
        on_click="ignore",
        disabled=log.empty,
    )

with sign_ins_tab:
    attempts = auth.sign_ins(store).rename(columns=auth.SIGN_IN_HEADINGS)
    st.caption(
        f"最近 {len(attempts):,} 次登录尝试（最多 500 次），含锁定期间被拒的尝试。"
        f"同一账号从同一地址连续失败 {auth.FREE_FAILURES} 次后，该地址须等待，其他地址不受影响；"
        f"一天内从各处累计失败 {auth.GLOBAL_FREE_FAILURES} 次后，新地址也须等待。"
    )
    tables.data_table(attempts, hide_index=True, width="stretch")
