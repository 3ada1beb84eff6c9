"""The engine and the SQL below the store's queries: rows written and read through the driver's own cursor."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from lingyi.store import waiting
from lingyi.values import missing

PROJECT_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_DIR / "data"
DATABASE_URL_VARIABLE = "LINGYI_DATABASE_URL"


def default_url() -> str:
    url = os.environ.get(DATABASE_URL_VARIABLE)
    if url:
        return url
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DATA_DIR / 'lingyi.db'}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


@contextmanager
def savepoint(conn: Connection) -> Iterator[None]:
    """A savepoint written for the driver: what ``begin_nested`` does, without its cost for every file of a batch."""
    driver_sql(conn, "SAVEPOINT lingyi_file")
    try:
        yield
    except BaseException:
        driver_sql(conn, "ROLLBACK TO SAVEPOINT lingyi_file")
        driver_sql(conn, "RELEASE SAVEPOINT lingyi_file")
        raise
    driver_sql(conn, "RELEASE SAVEPOINT lingyi_file")


class _Rows(list):
    """The rows a statement of ``driver_sql`` gave, as tuples."""

    def first(self) -> tuple | None:
        return self[0] if self else None

    def scalar(self) -> object:
        return self[0][0] if self else None

    def all(self) -> list[tuple]:
        return list(self)


def driver_sql(conn: Connection, sql: str, params: tuple | list | Iterable = (), *, many: bool = False) -> _Rows:
    """A statement run for every file, written for the driver with ``?`` marks and run on the connection's own
    cursor: SQLAlchemy's building, compiling and running of a statement cost more than a monthly return's query
    itself. A driver's error is raised as SQLAlchemy raises it (IntegrityError …). ``many``: ``params`` are the
    rows to run it for (any iterable: the driver takes them one by one)."""
    if conn.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    dbapi = conn.dialect.loaded_dbapi
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        if many:
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, params)
        return _Rows(map(tuple, cursor.fetchall())) if cursor.description else _Rows()
    except dbapi.Error as exc:
        raise sa.exc.DBAPIError.instance(sql, None, exc, dbapi.Error, dialect=conn.dialect) from exc
    finally:
        cursor.close()


def shown(url: str) -> str:
    """A database address as a message may show it: the password hidden (postgresql://lingyi:***@host/lingyi)."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        database = sa.engine.make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 60})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # pragma: no cover - exercised on every connection
            # Let SQLAlchemy, not the driver, decide when transactions begin (BEGIN IMMEDIATE for writers).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={waiting.BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn):  # pragma: no cover - exercised on every transaction
            if conn.get_execution_options().get("immediate"):
                waiting.begin_immediate(conn)  # says 「数据库正忙…」 to whoever asked if the lock is long in coming
            else:
                conn.exec_driver_sql("BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def insert_row(conn: Connection, table: sa.Table, values: dict[str, object], *, returning: bool = True) -> int | None:
    """Insert one row, written for the driver (see ``driver_sql``), each value as SQLAlchemy's type for its column
    would bind it; the new row's id if ``returning``."""
    processors = _bind_processors(conn.dialect, table)
    params = tuple(v if (bind := processors[n]) is None or v is None else bind(v) for n, v in values.items())
    sql = _insert_sql(conn.dialect, table, tuple(values), returning)
    result = driver_sql(conn, sql, params)
    return result.scalar() if returning else None


_PROCESSORS: dict[tuple[type, str], dict[str, object]] = {}
_INSERTS: dict[tuple[type, str, tuple[str, ...], bool], str] = {}


def _bind_processors(dialect: sa.engine.Dialect, table: sa.Table) -> dict[str, object]:
    key = (type(dialect), table.name)  # by the dialect's class: a store opened again binds as the one before
    if key not in _PROCESSORS:
        _PROCESSORS[key] = {c.name: c.type.dialect_impl(dialect).bind_processor(dialect) for c in table.columns}
    return _PROCESSORS[key]


def _insert_sql(dialect: sa.engine.Dialect, table: sa.Table, names: tuple[str, ...], returning: bool) -> str:
    key = (type(dialect), table.name, names, returning)
    if key not in _INSERTS:
        quote = dialect.identifier_preparer.quote
        columns, marks = ", ".join(map(quote, names)), ", ".join("?" for _ in names)
        sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"
        _INSERTS[key] = f"{sql} RETURNING id" if returning else sql
    return _INSERTS[key]


def row_values(table: sa.Table, rows: pd.DataFrame | Mapping[str, list], submission_id: int) -> dict[str, list]:
    """A submission's rows as the row table's columns (all but id), None where missing (NaN, NaT, NA).

    Columns given as lists already hold None where missing (``ValidTable.values``). A frame is taken as one object
    array, not column by column (a frame's cost per column asked for is more than the looking for a monthly
    return); a big one's missing values are found by pandas, a small one's cell by cell.
    """
    names = [c.name for c in table.columns if c.name not in ("id", "submission_id")]
    count = len(rows) if isinstance(rows, pd.DataFrame) else len(rows["unit"])
    if not isinstance(rows, pd.DataFrame):
        columns = {n: rows[n] for n in names}  # a column the table has and the rows lack: KeyError
    else:
        array = rows.to_numpy(dtype=object)[:, [rows.columns.get_loc(n) for n in names]]
        if count >= 2000:
            absent = pd.isna(array)
            if absent.any():
                array[absent] = None
            columns = dict(zip(names, array.T.tolist()))
        else:
            columns = {n: [None if missing(v) else v for v in values] for n, values in zip(names, array.T.tolist())}
    return {**columns, "submission_id": [submission_id] * count}


def bulk_insert(conn: Connection, table: sa.Table, parts: list[Mapping[str, list]]) -> None:
    """Insert rows given as the row table's columns (all but id), in parts with the same columns (a file's
    submissions), through the driver's bulk path: one ``executemany`` on SQLite, ``COPY`` on PostgreSQL. Each
    part's columns are zipped into rows as they are, not joined into one set of columns first."""
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in parts[0])
    if conn.dialect.name == "sqlite":
        # The text SQLAlchemy's SQLite Date type writes, so Core and the driver read the same values back.
        dates = [n for n in parts[0] if isinstance(table.c[n].type, sa.Date)]
        flags = [n for n in parts[0] if isinstance(table.c[n].type, sa.Boolean)]
        texts: dict = {None: None}
        for name in dates:
            texts.update((d, d.isoformat()) for p in parts for d in set(p[name]) if d not in texts)  # dates repeat
        if dates or flags:
            parts = [
                {
                    **part,
                    **{n: list(map(texts.__getitem__, part[n])) for n in dates},
                    **{n: [None if b is None else int(b) for b in part[n]] for n in flags},
                }
                for part in parts
            ]
    columns = list(parts[0])
    rows = chain.from_iterable(zip(*part.values()) for part in parts)  # taken by the driver as it goes
    if conn.dialect.name == "postgresql":
        statement = f"COPY {quote(table.name)} ({names}) FROM STDIN"
        dbapi = conn.dialect.loaded_dbapi
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        except dbapi.Error as exc:  # as SQLAlchemy raises a driver's error (IntegrityError …) for a Core insert
            raise sa.exc.DBAPIError.instance(statement, None, exc, dbapi.Error, dialect=conn.dialect) from exc
        finally:
            cursor.close()
    elif conn.dialect.name == "sqlite":
        marks = ", ".join("?" for _ in columns)
        driver_sql(conn, f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", rows, many=True)
    else:
        conn.execute(table.insert(), [dict(zip(columns, row)) for row in rows])


def read_rows(conn: Connection, table: sa.Table) -> pd.DataFrame:
    """A whole row table as a frame, read through the driver's own cursor (SQLAlchemy rows are slow to unpack)."""
    names = [c.name for c in table.columns]
    quote = conn.dialect.identifier_preparer.quote
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(f"SELECT {', '.join(quote(n) for n in names)} FROM {quote(table.name)}")
        rows = cursor.fetchall()
    finally:
        cursor.close()
    columns = list(zip(*rows)) if rows else [()] * len(names)
    frame = pd.DataFrame({name: pd.Series(list(column), dtype=object) for name, column in zip(names, columns)})
    for column in table.columns:
        if isinstance(column.type, sa.Date):
            frame[column.name] = pd.to_datetime(frame[column.name], format="ISO8601")
        elif isinstance(column.type, (sa.Integer, sa.Float)) and column.nullable is False:
            frame[column.name] = pd.to_numeric(frame[column.name])
        elif isinstance(column.type, sa.Float):
            frame[column.name] = pd.to_numeric(frame[column.name]).astype("float64")
    return frame
