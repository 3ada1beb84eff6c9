"""A page whose write waits for another's: 「数据库正忙，等待其他写入完成……」 shown while it waits (lingyi/store/waiting.py).

``said_while_waiting()`` around a page's write (the upload page's 全部入库, 数据管理's restore, withdraw and new
registry, 系统管理's forms): a notice in its place if the write lock is long in coming (on SQLite, another process
writing), gone once the write is done.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import streamlit as st

from lingyi.store import waiting


@contextlib.contextmanager
def said_while_waiting() -> Iterator[None]:
    spot, shown = st.empty(), []

    def say(message: str) -> None:
        show(spot, message)
        shown.append(message)

    try:
        with waiting.told(waiting.once(say)):
            yield
    finally:
        if shown:  # nothing to take back otherwise (and nothing drawn while a rerun or a stop unwinds)
            spot.empty()


def show(spot, message: str) -> None:
    """The notice, drawn at once: the page's run goes on waiting for the lock after this."""
    spot.info(message, icon=":material/hourglass_top:")
