"""会议版 on the pages: the sidebar's choice between the live store and a 会议版 (lingyi/metrics/snapshots.py), the banner
above a frozen page, freezing, comparing with the live store, deleting."""

from __future__ import annotations

import streamlit as st

from lingyi import metrics
from lingyi.access import auth
from lingyi.errors import LingyiError
from lingyi.metrics import snapshots
from lingyi.ui.data import cached_comparison, snapshot_list, store
from lingyi.ui.sign_in import actor, signed_in_user
from lingyi.ui.state import LIVE, SHOWN_SNAPSHOT, SNAPSHOT
from lingyi.ui.tables import data_table
from lingyi.ui.writes import desk_message, show_desk_message, write

_NEXT_SNAPSHOT = "_lingyi_next_snapshot"  # a 会议版 just frozen, shown from the next run on
_FREEZE_NAME, _FREEZE_BUTTON, _DELETE_BUTTON = "freeze_name", "freeze", "delete_snapshot"


def shown_snapshot() -> snapshots.Snapshot | None:
    """The 会议版 this run shows instead of the live store, or None."""
    return SHOWN_SNAPSHOT.get()


def snapshot_picker() -> snapshots.Snapshot | None:
    """「数据」 at the top of the sidebar, held in the URL: the live store or one of the 会议版 (when there are any)."""
    listed = snapshot_list()
    names = [s.name for s in listed]
    following = st.session_state.pop(_NEXT_SNAPSHOT, None)
    if following == LIVE or following in names:
        st.session_state[SNAPSHOT] = following
    asked = st.query_params.get(SNAPSHOT)
    if not listed:
        if asked:
            st.sidebar.warning(f"没有会议版「{asked}」（可能已被删除），下面是当前数据。", icon=":material/search_off:")
        return None
    with st.sidebar:
        chosen = st.selectbox(
            "数据：当前或会议版",
            [LIVE, *names],
            key=SNAPSHOT,
            bind="query-params",
            help="会议版是某次会议所示数字的冻结版本，此后的报送、恢复和撤销都不改变它；在「简报导出」页冻结。",
        )
        if asked and asked not in names:
            st.warning(f"没有会议版「{asked}」（可能已被删除），下面是当前数据。", icon=":material/search_off:")
    return next((s for s in listed if s.name == chosen), None)


def frozen_banner(snapshot: snapshots.Snapshot) -> None:
    """「会议版：名称（冻结于 时间）」 above a page that shows a snapshot."""
    st.info(
        f"**{snapshot.label}**　本页是冻结时的数字，此后的报送、恢复和撤销都不改变它；在左侧「数据」中可切回当前数据。",
        icon=":material/lock_clock:",
    )


def freeze_form(scope: metrics.Scope) -> None:
    """Name the current view and freeze it as a 会议版; it is shown from the next run on."""
    show_desk_message()
    st.caption(
        "会后仍会有补报和更正。把本页的统计范围和此刻的数据冻结为「会议版」，以后随时可以原样查看、导出，并与当前数据对比。"
    )
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    name = left.text_input(
        "会议版名称", key=_FREEZE_NAME, max_chars=snapshots.MAX_NAME, placeholder="如：2025年10月市直机关工作例会"
    )
    if right.button("冻结为会议版", key=_FREEZE_BUTTON, icon=":material/lock_clock:", width="stretch"):
        try:
            made = snapshots.create(store(), name, scope, user=actor())
        except LingyiError as problem:
            st.error(f"无法冻结：{problem}", icon=":material/error:")
            return
        st.session_state[_NEXT_SNAPSHOT] = made.name
        desk_message("success", f"已冻结{made.label}；左侧「数据」可在会议版与当前数据之间切换。")


def snapshot_comparison(snapshot: snapshots.Snapshot) -> None:
    """What has moved since the 会议版 was frozen: the figures, by how much, and the submissions behind it."""
    show_desk_message()  # 「已冻结…」 after the rerun that shows the 会议版 just frozen
    opened = store()
    comparison = cached_comparison(opened.url, snapshot.id, opened.data_stamp())
    st.markdown(f"**{snapshot.label} 与当前数据对比**（{snapshots.scope_words(snapshot.scope)}）")
    if comparison.unchanged:
        st.success("自冻结以来，这一范围的数字没有变化。", icon=":material/check_circle:")
        return
    st.caption(f"变化的数字 {len(comparison.figures)} 项（会议版 → 当前）：")
    data_table(snapshots.figure_table(comparison, as_text=True), hide_index=True, width="stretch")
    for note in comparison.notes:
        st.info(note, icon=":material/info:")
    if comparison.causes.empty:
        return
    st.caption(f"引起变化的报送 {len(comparison.causes)} 次（单位、文件、版本）：")
    data_table(
        snapshots.cause_table(comparison),
        hide_index=True,
        width="stretch",
        column_config={"报送时间": st.column_config.DatetimeColumn("报送时间", format="YYYY-MM-DD HH:mm")},
    )


def snapshot_deletion(snapshot: snapshots.Snapshot) -> None:
    """Delete a 会议版 after confirmation (the submissions and files stay); for those who manage the data."""
    user = signed_in_user()
    if user is None or not user.may(auth.Permission.MANAGE):
        return
    with st.popover("删除此会议版", icon=":material/delete:"):
        st.warning(f"删除后不能再查看「{snapshot.name}」；报送和文件不受影响。")
        if st.button("确认删除", key=_DELETE_BUTTON, type="primary"):
            st.session_state[_NEXT_SNAPSHOT] = LIVE  # the picker shows the live store again
            write(lambda: snapshots.delete(store(), snapshot.name, user=actor()), f"已删除会议版「{snapshot.name}」。")
