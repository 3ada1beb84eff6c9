"""What a fault of the database means to a person: one place that tells a lost, refused or full store from a bug.

Every command and page asks ``unavailable(exc)``: a ``StoreUnavailable`` saying in Chinese what happened and where
(the server, or the file), or None for anything else. Nothing committed before the fault is lost (each file is
stored whole in its transaction); whoever asked says what was and was not stored, and that running the same
command again finishes the work.
"""

from __future__ import annotations

import errno
import sqlite3

import sqlalchemy as sa
import sqlalchemy.exc

from lingyi.errors import StoreUnavailable

# Words of the drivers' messages (psycopg, sqlite3) that say the connection or the file is at fault, not the SQL.
LOST = (
    "connection is lost",
    "server closed the connection",
    "terminating connection",
    "connection refused",
    "could not connect",
    "connection timed out",
    "connection to server",
    "the database system is shutting down",
    "the database system is starting up",
    "the database system is in recovery mode",
    "consuming input failed",
    "no connection to the server",
    "ssl syscall error",
)
REFUSED = ("password authentication failed", "no pg_hba.conf entry")
FULL = ("database or disk is full", "no space left on device", "could not extend file", "disk full")
READ_ONLY = ("attempt to write a readonly database", "read-only file system", "readonly database")
UNREADABLE = ("unable to open database file", "disk i/o error", "file is not a database")


def where(url: sa.URL | str) -> str:
    """「服务器 db.example:5432」 or 「文件 data/lingyi.db」: the store named without its password."""
    url = sa.make_url(url)
    if url.get_backend_name() == "sqlite":
        return f"文件 {url.database or '（内存）'}"
    return f"服务器 {url.host or 'localhost'}:{url.port or 5432}"


def unavailable(exc: BaseException, url: sa.URL | str | None = None) -> StoreUnavailable | None:
    """The fault as a person should hear it, or None when ``exc`` is no fault of the store's reach."""
    if isinstance(exc, StoreUnavailable):
        return exc
    place = f"（{where(url)}）" if url is not None else ""
    text = " ".join(str(e) for e in _chain(exc)).lower()
    if any(isinstance(e, OSError) and e.errno == errno.ENOSPC for e in _chain(exc)) or any(w in text for w in FULL):
        return StoreUnavailable(f"磁盘空间不足{place}")
    if any(w in text for w in READ_ONLY):
        return StoreUnavailable(f"数据库只读，无法写入{place}")
    if any(w in text for w in REFUSED):
        return StoreUnavailable(f"数据库拒绝登录（用户名或密码不对）{place}")
    if isinstance(exc, sa.exc.PendingRollbackError) or _invalidated(exc) or any(w in text for w in LOST):
        return StoreUnavailable(f"数据库连接中断{place}")
    if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
        if any(w in text for w in UNREADABLE):
            return StoreUnavailable(f"数据库文件无法读取{place}")
        if isinstance(_root(exc), sqlite3.OperationalError) and "locked" in text:
            return StoreUnavailable(f"数据库正忙，等待超时{place}")
        return StoreUnavailable(f"数据库连接中断{place}")
    return None


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__


def _root(exc: BaseException) -> BaseException:
    *_, last = _chain(exc)
    return last


def _invalidated(exc: BaseException) -> bool:
    return any(isinstance(e, sa.exc.DBAPIError) and e.connection_invalidated for e in _chain(exc))
