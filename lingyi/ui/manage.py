"""数据管理: the submission history, one submission's download, restore and withdrawal, the registry's replacement."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lingyi.intake import desk
from lingyi.registry import Registry
from lingyi.store import Store
from lingyi.ui.sign_in import actor
from lingyi.ui.tables import data_table, findings_table
from lingyi.ui.upload import uploader_in_chinese
from lingyi.ui.writes import write


def history_picker(history: pd.DataFrame, *, key: str) -> pd.Series | None:
    """The submission history; a click on a row returns that submission."""
    event = data_table(
        history,
        hide_index=True,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        column_order=desk.HISTORY_COLUMNS,
        column_config={
            "编号": st.column_config.NumberColumn("编号", format="#%d", width=64),
            "单位": st.column_config.TextColumn("单位", width=118),
            "报表": st.column_config.TextColumn("报表", width=72),
            "期间": st.column_config.TextColumn("期间", width=126),
            "文件": st.column_config.TextColumn("文件", width=134),
            "上传人": st.column_config.TextColumn("上传人", width=56),
            "上传时间": st.column_config.DatetimeColumn("上传时间", format="YYYY-MM-DD HH:mm", width=128),
            "行数": st.column_config.NumberColumn("行数", format="%d", width=50),
            "状态": st.column_config.TextColumn("状态", width=100),
            "哈希": st.column_config.TextColumn(
                "哈希", width=90, help="文件内容的 SHA-256 摘要（前12位），相同内容的文件摘要相同。"
            ),
        },
    )
    rows = event.selection.rows if event else []
    return history.iloc[rows[0]] if rows else None


def submission_actions(opened: Store, chosen: pd.Series, *, keys: tuple[str, str]) -> None:
    """For one submission: download its original file, make it current again, or withdraw it after confirmation."""
    number = int(chosen["编号"])
    restore_key, withdraw_key = keys
    st.markdown(f"**#{number}** {chosen['单位']} · {chosen['报表']} · {chosen['期间']} · {chosen['状态']}")
    download_column, restore_column, withdraw_column = st.columns(3)
    name, original = opened.original(int(chosen["file_id"]))
    download_column.download_button(
        "下载原始文件", data=original, file_name=name, icon=":material/download:", on_click="ignore", width="stretch"
    )
    is_current, is_withdrawn = chosen["状态"] == desk.CURRENT, chosen["状态"] == desk.WITHDRAWN
    if restore_column.button(
        "恢复为当前版本", key=restore_key, icon=":material/history:", disabled=is_current, width="stretch"
    ):
        write(
            lambda: opened.restore(number, user=actor()),
            f"已把 #{number}（{chosen['单位']} {chosen['期间']}）恢复为当前版本。",
        )
    with withdraw_column.popover("撤销此次报送", icon=":material/delete:", disabled=is_withdrawn, width="stretch"):
        st.warning(f"撤销后，#{number} 的 {chosen['行数']} 行数据不再计入看板；文件和记录仍保留，可随时恢复。")
        if st.button("确认撤销", key=withdraw_key, type="primary"):
            write(
                lambda: opened.delete(number, user=actor()), f"已撤销 #{number}（{chosen['单位']} {chosen['期间']}）。"
            )


def registry_replacement(opened: Store, registry: Registry, *, file_key: str, confirm_key: str, user: str) -> None:
    """Upload a new units file: every problem listed, or what would change and a button to replace the registry."""
    uploader_in_chinese()
    upload = st.file_uploader("上传新的单位名录", type=desk.REGISTRY_SUFFIXES, key=file_key)
    if upload is None:
        return
    checked = desk.check_registry_upload(upload.getvalue(), upload.name)
    if checked.registry is None:
        st.error(f"名录文件有 {len(checked.problems)} 处问题，未替换。请修改后重新上传：", icon=":material/error:")
        findings_table(checked.problems)
        return
    changes = desk.registry_changes(registry, checked.registry)
    st.success(
        f"名录文件检查通过：{len(checked.registry)} 家单位，与当前名录相比有 {len(changes)} 处变化。",
        icon=":material/task_alt:",
    )
    if not changes.empty:
        data_table(changes, hide_index=True, width="stretch")
    if st.button("确认替换名录", key=confirm_key, type="primary", icon=":material/published_with_changes:"):
        message = f"单位名录已替换为「{checked.name}」（{len(checked.registry)} 家单位）。"
        write(lambda: opened.replace_registry(checked.csv_bytes, checked.name, user=user), message)
