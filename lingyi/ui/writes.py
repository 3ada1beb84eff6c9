"""One write to the store from a page, and what it did, said after the rerun that follows it."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from lingyi.errors import LingyiError
from lingyi.ui.data import data_changed

_DESK_MESSAGE = "_lingyi_desk_message"  # (kind, text) of the last write on 数据管理, shown after the rerun


def desk_message(kind: str, text: str) -> None:
    """Say what a write did after the rerun that follows it; forget cached reads first."""
    st.session_state[_DESK_MESSAGE] = (kind, text)
    data_changed()
    st.rerun()


def show_desk_message() -> None:
    message = st.session_state.pop(_DESK_MESSAGE, None)
    if message:
        kind, text = message
        (st.success if kind == "success" else st.warning)(text, icon=":material/task_alt:")


def write(action: Callable[[], object], done: str) -> None:
    """One write to the store: on success say ``done`` after the rerun, else say why it failed."""
    try:
        action()
    except LingyiError as problem:
        st.error(f"无法完成：{problem}", icon=":material/error:")
    else:
        desk_message("success", done)
