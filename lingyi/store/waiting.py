"""A writer that waits for another's write says so: 「数据库正忙，等待其他写入完成……」 after a few seconds, not silence.

On SQLite a writer takes the write lock at ``BEGIN IMMEDIATE`` and waits there (the busy timeout, 60 s) while
another process writes. ``begin_immediate`` first waits only ``NOTICE_AFTER_SECONDS``; if the lock is still taken
then, it tells whoever asked (``told``: the command line prints the notice, the upload page shows it) and waits the
rest of the timeout as before. Nothing is said when the lock comes at once, and no thread or timer is involved: the
notice comes when SQLite itself gives up the first wait.

Whoever writes decides how the notice is told, for the writes of a ``with told(say):`` block in its own thread or
task (a context variable): a command line run, a page's run.
"""

from __future__ import annotations

import contextlib
import contextvars
import sqlite3
from collections.abc import Callable, Iterator

from sqlalchemy.engine import Connection

BUSY = "数据库正忙，等待其他写入完成……"
NOTICE_AFTER_SECONDS = 3.0
BUSY_TIMEOUT_MS = 60_000  # as the store's engine sets it on every SQLite connection

_say: contextvars.ContextVar[Callable[[str], None] | None] = contextvars.ContextVar("lingyi_busy_say", default=None)


@contextlib.contextmanager
def told(say: Callable[[str], None]) -> Iterator[None]:
    """Within the block, a write that waits longer than ``NOTICE_AFTER_SECONDS`` for the lock calls ``say(BUSY)``."""
    token = _say.set(say)
    try:
        yield
    finally:
        _say.reset(token)


def once(say: Callable[[str], None]) -> Callable[[str], None]:
    """``say``, but only the first time: a command that waits at several batches tells it once."""
    said = False

    def saying(message: str) -> None:
        nonlocal said
        if not said:
            said = True
            say(message)

    return saying


def begin_immediate(conn: Connection) -> None:
    """``BEGIN IMMEDIATE`` on an SQLite connection, telling the ``told`` listener when it has to wait."""
    say = _say.get()
    if say is None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        return
    raw = conn.connection.driver_connection
    raw.execute(f"PRAGMA busy_timeout={max(1, int(NOTICE_AFTER_SECONDS * 1000))}")
    try:
        raw.execute("BEGIN IMMEDIATE")
        return
    except sqlite3.OperationalError as exc:
        waiting = _busy(exc)
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    if waiting:
        say(BUSY)
    conn.exec_driver_sql("BEGIN IMMEDIATE")  # the rest of the wait; any fault raises as SQLAlchemy's, as before


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text
