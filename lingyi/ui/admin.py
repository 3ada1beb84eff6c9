"""系统管理: users, their roles and status, units 不涉及 a kind of return, the audit log as people read it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lingyi.access import auth
from lingyi.contract import SHEET_KIND_BY_KEY, SHEET_KINDS
from lingyi.errors import LingyiError
from lingyi.registry import Registry
from lingyi.store import AUDIT_HEADINGS, Store
from lingyi.ui.tables import data_table
from lingyi.ui.writes import desk_message, write


def audit_table(log: pd.DataFrame) -> pd.DataFrame:
    """The audit log as people read it."""
    return log[list(AUDIT_HEADINGS)].rename(columns=AUDIT_HEADINGS)


def user_form(opened: Store, registry: Registry, *, by: str) -> None:
    """Add a user: name, role, the unit of a 单位填报员, a first password (told to the user in person)."""
    with st.form("admin_add_user", clear_on_submit=True):
        left, middle, right = st.columns(3)
        name = left.text_input("用户名")
        role = middle.selectbox("角色", list(auth.Role), format_func=lambda r: auth.ROLE_NAMES[r])
        unit = right.selectbox(
            "绑定单位（仅单位填报员）", [None, *(u.name for u in registry.units)], format_func=lambda n: n or "—"
        )
        password = st.text_input("初始密码（至少 8 个字符）", type="password")
        if st.form_submit_button("新增用户", icon=":material/person_add:"):
            try:
                added = auth.add_user(
                    opened, name, password, role, unit=unit if role is auth.Role.UNIT else None, by=by
                )
            except LingyiError as problem:
                st.error(str(problem), icon=":material/error:")
            else:
                desk_message("success", f"已新增用户 {added.label}。")  # reruns: the list above shows the user


def user_status_form(opened: Store, users: pd.DataFrame, *, by: str) -> None:
    """Disable a user (every session of theirs ends at once, on their next click) or enable them again."""
    disabled = dict(zip(users["name"], users["disabled"], strict=True))
    with st.form("admin_user_status"):
        left, right = st.columns([2, 1])
        name = left.selectbox(
            "停用或启用用户",
            list(disabled),
            index=None,
            placeholder="选择用户",
            format_func=lambda n: f"{n}（{'已停用' if disabled[n] else '正常'}）",
        )
        disable = right.form_submit_button("停用", icon=":material/person_off:")
        enable = right.form_submit_button("启用", icon=":material/person_check:")
    if not (disable or enable) or name is None:
        return
    if disable and name == by:
        st.error("不能停用自己的账号：请由另一位管理员操作。", icon=":material/error:")
        return
    write(lambda: auth.set_disabled(opened, name, disable, by=by), f"已{'停用' if disable else '启用'}用户 {name}。")


_EXEMPT_UNIT, _EXEMPT_KIND = "admin_exempt_unit", "admin_exempt_kind"
_EXEMPT_MARK, _EXEMPT_UNMARK = "admin_exempt_mark", "admin_exempt_unmark"


def exempt_form(opened: Store, registry: Registry, *, by: str) -> None:
    """Mark a unit 不涉及 a kind of return (neither expected nor chased on 报送情况), or expected again."""
    marked = [(u.short_name, SHEET_KIND_BY_KEY[k].name) for u in registry.units for k in sorted(u.exempt)]
    if marked:
        data_table(pd.DataFrame(marked, columns=["单位", "不涉及的报表"]), hide_index=True, width="stretch")
    else:
        st.caption("目前没有单位标为不涉及：每家单位都应报送每一种报表。")
    # Plain widgets, not a form: a choice of two buttons, each one write.
    unit_column, kind_column, button_column = st.columns([2, 1, 1], vertical_alignment="bottom")
    unit = unit_column.selectbox(
        "单位",
        [u.name for u in registry.units],
        index=None,
        placeholder="选择单位",
        format_func=lambda n: registry.by_name[n].label,
        key=_EXEMPT_UNIT,
    )
    kind = kind_column.selectbox(
        "报表", [k.key for k in SHEET_KINDS], format_func=lambda k: SHEET_KIND_BY_KEY[k].name, key=_EXEMPT_KIND
    )
    exempt = button_column.button("标为不涉及", icon=":material/block:", key=_EXEMPT_MARK)
    expected = button_column.button("恢复应报", icon=":material/undo:", key=_EXEMPT_UNMARK)
    if not (exempt or expected) or unit is None:
        return
    verb = "标为不涉及" if exempt else "恢复应报"
    write(
        lambda: opened.set_exempt([unit], kind, exempt, user=by),
        f"已将 {registry.by_name[unit].short_name} {verb}{SHEET_KIND_BY_KEY[kind].name}。",
    )
