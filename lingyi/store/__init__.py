"""The store: SQLAlchemy tables of files, submissions and rows, with history (spec §4).

A submission is what one file says for one unit and one sheet kind over one period.
Nothing is overwritten: a later submission for the same unit, kind and months takes
precedence (its ``seq`` is higher), the earlier one stays and can be restored (which
gives it a new, higher ``seq``). Which rows are current is worked out on reading:

- 学习活动, 热线指标: each (unit, month) belongs to the newest submission whose period covers it;
- 问题清单: each problem (unit, key) is as its newest submission states it;
- 指标完成: each (unit, 统计期间) belongs to the newest submission that reports it.

Every accepted file is kept byte for byte, so each row traces to file, sheet and row.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import os
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from types import EllipsisType

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from lingyi.contract import DEFAULT_HOTLINE_SOURCE, HOTLINE_SOURCES, SHEET_KIND_BY_KEY, TICKETS_SOURCE
from lingyi.errors import FileRejected, StoreError
from lingyi.intake.reading import read_file
from lingyi.registry import Registry, default_registry, parse_registry
from lingyi.store import waiting
from lingyi.store.faults import unavailable
from lingyi.values import Period, missing, months_between

PROJECT_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_DIR / "data"
DATABASE_URL_VARIABLE = "LINGYI_DATABASE_URL"
WRITE_LOCK_KEY = 20251031

metadata = sa.MetaData()

meta_table = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(255), nullable=False),
)

files_table = sa.Table(
    "files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("uploaded_at", sa.DateTime, nullable=False),
    sa.Column("uploaded_by", sa.String(64), nullable=False),
)

submissions_table = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=False, index=True),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("unit", sa.String(128), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("period_start", sa.Integer, nullable=False),
    sa.Column("period_end", sa.Integer, nullable=False),
    sa.Column("declared", sa.Boolean, nullable=False),
    sa.Column("sheets", sa.String(512), nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    # "tickets" for 热线指标 worked out from a 12345 ticket export (lingyi/tickets.py); empty for a return (version 4).
    sa.Column("source", sa.String(16)),
)


def _row_table(name: str, *columns: sa.Column) -> sa.Table:
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False, index=True),
        sa.Column("unit", sa.String(128), nullable=False),
        *columns,
        sa.Column("sheet", sa.String(255), nullable=False),
        sa.Column("row", sa.Integer, nullable=False),
    )


ROW_TABLES: dict[str, sa.Table] = {
    "learning": _row_table(
        "learning_rows",
        sa.Column("activity", sa.Text),
        sa.Column("form", sa.String(16)),
        sa.Column("theme", sa.String(16)),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("month", sa.Integer, nullable=False),
        sa.Column("sessions", sa.Integer, nullable=False),
        sa.Column("lectures", sa.Integer, nullable=False),
        sa.Column("person_times", sa.Integer, nullable=False),
        sa.Column("lecturers", sa.Integer),
    ),
    "hotline": _row_table(
        "hotline_rows",
        sa.Column("month", sa.Integer, nullable=False),
        sa.Column("appeals", sa.Integer, nullable=False),
        sa.Column("first_time_rate", sa.Float),
        sa.Column("resolution_rate", sa.Float),
        sa.Column("satisfaction_rate", sa.Float),
        sa.Column("appeals_prev", sa.Integer),
        sa.Column("first_time_rate_prev", sa.Float),
        sa.Column("resolution_rate_prev", sa.Float),
        sa.Column("satisfaction_rate_prev", sa.Float),
    ),
    "problems": _row_table(
        "problem_rows",
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("number", sa.String(128)),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("problem_type", sa.String(64)),
        sa.Column("found_date", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("resolved_date", sa.Date),
        sa.Column("stage", sa.String(16)),
    ),
    "indicators": _row_table(
        "indicator_rows",
        sa.Column("indicator_type", sa.String(16), nullable=False),
        sa.Column("indicator", sa.Text, nullable=False),
        sa.Column("measure_unit", sa.String(32)),
        sa.Column("target", sa.Float),
        sa.Column("actual", sa.Float, nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("period_start", sa.Integer, nullable=False),
        sa.Column("period_end", sa.Integer, nullable=False),
    ),
}

# Kinds whose rows each carry a month: a month belongs to the newest submission whose period covers it.
# (A problem is current by its key, an indicator by its statistical period.)
MONTHLY_KINDS = frozenset({"learning", "hotline"})

headcounts_table = sa.Table(
    "headcounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=False),
    sa.Column("unit", sa.String(128), nullable=False),
    sa.Column("headcount", sa.Integer, nullable=False),
)

registries_table = sa.Table(
    "registries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("uploaded_at", sa.DateTime, nullable=False),
    sa.Column("uploaded_by", sa.String(64), nullable=False),
    sa.Column("units", sa.Integer, nullable=False),
)

sa.Index("ix_submissions_slot", submissions_table.c.unit, submissions_table.c.kind)

# Who did what when: one row per write, in the write's own transaction (version 2).
audit_table = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("user", sa.String(64), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),  # JSON: file, submissions (id, unit, kind, period) …
    sa.Column("sha256", sa.String(64)),
)


# Who may sign in, with what role; passwords as argon2 hashes (version 3). See lingyi/auth.py.
users_table = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("unit", sa.String(128)),  # the one unit a 单位填报员 reports for
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

# Every sign-in attempt, for slowing down repeated failures and for the audit page (version 3).
sign_ins_table = sa.Table(
    "sign_ins",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
    sa.Column("name", sa.String(64), nullable=False, index=True),
    sa.Column("succeeded", sa.Boolean, nullable=False),
    # Where from (the browser's address, as the server sees it) and what came of it: ok, wrong or locked (not
    # checked: the account was locked for that address). Rows of before migration 8 have neither.
    sa.Column("address", sa.String(64), nullable=True, index=True),
    sa.Column("outcome", sa.String(16), nullable=True),
)


# 会议版: a named scope frozen as it was shown at a meeting (step _migrate_snapshots). See lingyi/snapshots.py.
snapshots_table = sa.Table(
    "snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("through", sa.Integer, nullable=False),
    sa.Column("categories", sa.Text, nullable=False),  # JSON list
    sa.Column("units", sa.Text, nullable=False),  # JSON list of registry full names
    sa.Column("registry_id", sa.Integer, sa.ForeignKey("registries.id")),  # None: the default registry
    sa.Column("headcounts", sa.Text, nullable=False),  # JSON {unit: 在职人数} as it was
    sa.Column("figures", sa.Text, nullable=False),  # JSON: ``metrics.summary`` of the scope when frozen
    sa.Column("hotline_source", sa.String(16)),  # which 热线 source counted then (HOTLINE_SOURCES); None: the default
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
)

# The submissions that were live when a snapshot was frozen, each with the seq it had then: a later restore
# gives a submission a new seq, and which version of a month counts is decided by seq.
snapshot_submissions_table = sa.Table(
    "snapshot_submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False, index=True),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
)

# Settings an analyst changes from the pages or the command line, as (key, value) (step _migrate_ticket_sources).
settings_table = sa.Table(
    "settings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),  # every table has one: backups order and restore by it
    sa.Column("key", sa.String(64), nullable=False, unique=True),
    sa.Column("value", sa.String(255), nullable=False),
)

# Who is signed in, and in which browser (step _migrate_sessions, see lingyi/auth.py). The browser keeps a signed, HttpOnly cookie
# with a random token; the store keeps only the token's SHA-256, so reading this table signs nobody in. The one-time
# ticket lets the browser that signed in take its cookie (lingyi/web.py). Not in backups: who is signed in where is
# no data.
sessions_table = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_name", sa.String(64), nullable=False, index=True),
    sa.Column("token_sha256", sa.String(64), unique=True),  # set once the browser has taken its cookie
    sa.Column("ticket_sha256", sa.String(64), unique=True),  # until then
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
    sa.Column("ended_at", sa.DateTime),  # signed out, disabled, or the password changed
)
SESSION_KEY = "session_key"  # the meta row holding the key session cookies are signed with


def _migrate_1(conn: Connection) -> None:
    metadata.create_all(conn)


def _migrate_2(conn: Connection) -> None:
    # Step 1 creates every table of ``metadata``, so on a new database this one finds audit_log already there.
    audit_table.create(conn, checkfirst=True)


def problem_key(number: object, description: object, found_date) -> str:
    """Spec §3: (unit, 问题编号), or (unit, 问题描述, 发现日期) where the number is absent."""
    if number:
        return f"编号:{number}"
    return f"描述:{description}|{found_date.isoformat() if found_date else ''}"


def _migrate_problem_keys(conn: Connection) -> None:
    """序号 was once read as 问题编号, so a July ledger numbered 1–30 overwrote June's problems 1–30. A 序号 restarts in
    every file and is never a key (spec §2): each stored ledger is read again from its original file, and the rows
    of a sheet without a real 问题编号 column are keyed by 问题描述 and 发现日期. The audit log says what was done."""
    rows = ROW_TABLES["problems"].c
    subs = submissions_table.c
    numbered = conn.execute(
        sa.select(rows.id, rows.sheet, rows.description, rows.found_date, subs.file_id)
        .join(submissions_table, subs.id == rows.submission_id)
        .where(rows.number.is_not(None))
    ).all()
    by_file: dict[int, list] = defaultdict(list)
    for row in numbered:
        by_file[row.file_id].append(row)
    changed, files = 0, []
    for file_id, stored in by_file.items():
        file = conn.execute(
            sa.select(files_table.c.name, files_table.c.content).where(files_table.c.id == file_id)
        ).one()
        try:
            read = read_file(bytes(file.content), file.name)
        except FileRejected:
            continue  # a file it was once read from and no longer: its keys stay as they were
        keyed = {t.sheet for t in read.tables if t.kind.key == "problems" and "number" in t.columns}
        again = [r for r in stored if r.sheet not in keyed]
        for row in again:
            key = problem_key(None, row.description, row.found_date)
            conn.execute(ROW_TABLES["problems"].update().where(rows.id == row.id).values(key=key, number=None))
        if again:
            changed += len(again)
            files.append(file.name)
    if changed:
        note = f"问题清单按报表规范重新认定：{changed} 个问题原以序号作问题编号，改按问题描述加发现日期认定（{'、'.join(files)}）"
        _audit(conn, "系统", "migration", {"note": note}, None)
        _bump_data_version(conn, 1)


# Each step brings the schema from version i to i + 1; a new step is appended, never edited.
# Step 1 creates all of ``metadata`` as it is now, so every later step must be idempotent.
def _migrate_3(conn: Connection) -> None:
    users_table.create(conn, checkfirst=True)
    sign_ins_table.create(conn, checkfirst=True)


def _migrate_snapshots(conn: Connection) -> None:
    snapshots_table.create(conn, checkfirst=True)
    snapshot_submissions_table.create(conn, checkfirst=True)


def _migrate_ticket_sources(conn: Connection) -> None:
    """12345 ticket exports: where a submission's figures come from, and the setting of which source counts."""
    if "source" not in {c["name"] for c in sa.inspect(conn).get_columns("submissions")}:
        conn.exec_driver_sql("ALTER TABLE submissions ADD COLUMN source VARCHAR(16)")
    settings_table.create(conn, checkfirst=True)


def _migrate_sessions(conn: Connection) -> None:
    """Signed-in sessions that outlive a reload: their table, and the key their cookies are signed with."""
    sessions_table.create(conn, checkfirst=True)
    if conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == SESSION_KEY)).scalar() is None:
        conn.execute(meta_table.insert().values(key=SESSION_KEY, value=secrets.token_hex(32)))


def _migrate_sign_in_addresses(conn: Connection) -> None:
    """Each sign-in attempt with the address it came from and its outcome: lock-out per account and address."""
    present = {c["name"] for c in sa.inspect(conn).get_columns("sign_ins")}
    if "address" not in present:
        conn.exec_driver_sql("ALTER TABLE sign_ins ADD COLUMN address VARCHAR(64)")
    if "outcome" not in present:
        conn.exec_driver_sql("ALTER TABLE sign_ins ADD COLUMN outcome VARCHAR(16)")
    for index in sign_ins_table.indexes:
        index.create(conn, checkfirst=True)


MIGRATIONS = (
    _migrate_1,
    _migrate_2,
    _migrate_3,
    _migrate_snapshots,
    _migrate_ticket_sources,
    _migrate_sessions,
    _migrate_problem_keys,
    _migrate_sign_in_addresses,
)
SCHEMA_VERSION = len(MIGRATIONS)


AUDIT_ACTIONS = {
    "ingest": "入库",
    "restore": "恢复报送",
    "delete": "撤销报送",
    "registry": "更换单位名录",
    "restore-backup": "从备份恢复",
    "user": "用户管理",
    "snapshot": "冻结会议版",
    "snapshot-delete": "删除会议版",
    "setting": "更改设置",
    "migration": "数据迁移",
}
# The audit log as people read it, on the 系统管理 page and in the `audit --csv` export.
AUDIT_HEADINGS = {
    "id": "编号",
    "at": "时间",
    "user": "操作人",
    "action_name": "操作",
    "file": "文件",
    "units": "单位",
    "kinds": "报表",
    "periods": "期间",
    "submissions": "报送编号",
    "note": "说明",
    "sha256": "文件校验值(SHA-256)",
}
AUDIT_COLUMNS = [
    "id",
    "at",
    "user",
    "action",
    "action_name",
    "file",
    "units",
    "kinds",
    "periods",
    "submissions",
    "note",
    "sha256",
    "detail",
]


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


@dataclass(frozen=True)
class NewSubmission:
    unit: str
    kind: str
    period: Period
    declared: bool
    sheets: tuple[str, ...]
    # the row table's columns but id and submission_id: a frame, or each column's values (None where missing)
    rows: pd.DataFrame | Mapping[str, list]
    source: str | None = None  # "tickets" for 热线指标 worked out from a ticket export

    @property
    def row_count(self) -> int:
        if type(self.rows) is not dict and isinstance(self.rows, pd.DataFrame):
            return len(self.rows)
        return len(self.rows["unit"])


class Store:
    """One database: open it with a SQLAlchemy URL; the schema is created or migrated on opening."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        try:
            self.engine: Engine = _engine(self.url)
            try:
                self._migrate()
            except BaseException:
                self.engine.dispose()  # a store that failed to open keeps no connection
                raise
        except sa.exc.ArgumentError as exc:
            raise StoreError(f"数据库地址无法识别：{_shown(self.url)}（{exc}）") from None
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            raise unavailable(exc, self.url) or StoreError(f"无法打开数据库 {_shown(self.url)}") from None

    def close(self) -> None:
        """Release the database connections; a process that opens many stores closes each it is done with."""
        self.engine.dispose()

    # -- schema ---------------------------------------------------------------------------------------------

    def _migrate(self) -> None:
        with self.engine.begin() as conn:
            meta_table.create(conn, checkfirst=True)
            version = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar()
            current = int(version or 0)
            if current > SCHEMA_VERSION:
                raise StoreError(f"数据库的结构版本 {current} 比本程序（{SCHEMA_VERSION}）新，请升级程序。")
            for step in MIGRATIONS[current:]:
                step(conn)
            if current < SCHEMA_VERSION:
                set_meta(conn, "schema_version", str(SCHEMA_VERSION))
            if conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "data_version")).scalar() is None:
                set_meta(conn, "data_version", "0")

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One transaction that either stores all it was given or nothing; bumps the data version."""
        with self._locked() as conn:
            yield conn
            _bump_data_version(conn, 1)

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """One transaction for several files, each stored whole or not at all (see ``Batch``).

        The data version goes up by one for each file stored, as if each had been a ``save_file`` of its own.
        """
        with self._locked() as conn:
            batch = Batch(conn)
            yield batch
            if batch.stored:
                _bump_data_version(conn, batch.stored)

    @contextmanager
    def _locked(self) -> Iterator[Connection]:
        # On SQLite a writer takes the write lock at BEGIN, so two writers queue instead of deadlocking.
        with self.engine.execution_options(immediate=True).begin() as conn:
            if conn.dialect.name == "postgresql":
                # Writers queue on one lock, so the next seq and the replaced versions are decided one at a time.
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
            yield conn

    def data_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "data_version")).scalar())

    # -- files and submissions ------------------------------------------------------------------------------

    def file_by_hash(self, digest: str) -> dict | None:
        """The stored file of these bytes, if any: ``id``, ``name`` and ``live`` (as ``file_is_live`` says)."""
        with self.engine.connect() as conn:
            return _file_by_hash(conn, digest)

    def live_files(self) -> dict[str, str]:
        """The name of each live stored file by the SHA-256 of its bytes: ``file_by_hash`` for every file at once."""
        with self.engine.connect() as conn:
            return dict(_driver_sql(conn, _LIVE_FILES))

    def file_units(self, file_id: int) -> list[str]:
        """The units of the file's live submissions: whose data it is on record as."""
        with self.engine.connect() as conn:
            return _file_units(conn, file_id)

    def file_is_live(self, file_id: int) -> bool:
        """True while some submission of the file stands (not withdrawn).

        Byte-identical bytes again change nothing (spec §4), even where a later file has since
        replaced this one: bringing an old version back is what ``restore`` is for. Only a file
        whose every submission was withdrawn is taken in again when it is uploaded again.
        """
        with self.engine.connect() as conn:
            return _file_is_live(conn, file_id)

    def live_submissions_of(self, units: list[str], kinds: list[str]) -> list[dict]:
        """The live submissions of ``units`` of ``kinds``, each with its file's name: what an upload may replace."""
        with self.engine.connect() as conn:
            return _live_submissions_of(conn, units, kinds)

    def submission_rows(self, kind: str, submission_ids: list[int]) -> dict[int, list[tuple]]:
        """The stored rows of these submissions, each as the values of ``ROW_VALUES[kind]``, by submission."""
        with self.engine.connect() as conn:
            return _submission_rows(conn, kind, submission_ids)

    def save_file(
        self,
        data: bytes,
        name: str,
        submissions: list[NewSubmission],
        headcounts: dict[str, int],
        user: str = "cli",
        received_at: dt.datetime | None = None,
        digest: str | None = None,
    ) -> list[int]:
        """Store a file and everything it says, in one transaction; returns the new submission ids.

        ``digest`` is the file's SHA-256 where the caller has it already (a year's 12345 export is 100 MB)."""
        with self.writing() as conn:
            return _save_file(conn, data, name, submissions, headcounts, user, received_at, digest=digest)[0]

    def restore(self, submission_id: int, user: str = "cli") -> None:
        """Make an earlier submission current again (it takes precedence over every later one)."""
        with self.writing() as conn:
            found = conn.execute(
                sa.select(submissions_table.c.id).where(submissions_table.c.id == submission_id)
            ).scalar()
            if found is None:
                raise StoreError(f"没有编号为 {submission_id} 的报送记录。")
            conn.execute(
                submissions_table.update()
                .where(submissions_table.c.id == submission_id)
                .values(seq=_next_seq(conn), deleted=False)
            )
            self._audit_submission(conn, user, "restore", submission_id)

    def delete(self, submission_id: int, user: str = "cli") -> None:
        """Withdraw a submission: its rows stop counting; the file and the record stay in the history."""
        with self.writing() as conn:
            result = conn.execute(
                submissions_table.update().where(submissions_table.c.id == submission_id).values(deleted=True)
            )
            if result.rowcount == 0:
                raise StoreError(f"没有编号为 {submission_id} 的报送记录。")
            self._audit_submission(conn, user, "delete", submission_id)

    # -- audit log ------------------------------------------------------------------------------------------

    def audit(
        self, conn: Connection, user: str, action: str, detail: dict[str, object], sha256: str | None = None
    ) -> None:
        """Record one write in the audit log on the write's own connection, so both are committed or neither.

        Every write of the store calls it; a later kind of write (user accounts …) calls it inside its own
        ``writing()`` block: ``store.audit(conn, "admin", "user", {"note": "新增用户 张三"})``.
        """
        _audit(conn, user, action, detail, sha256)

    def _audit_submission(self, conn: Connection, user: str, action: str, submission_id: int) -> None:
        (described,) = _described(conn, [submission_id])
        file = conn.execute(
            sa.select(files_table.c.name, files_table.c.sha256)
            .join(submissions_table, submissions_table.c.file_id == files_table.c.id)
            .where(submissions_table.c.id == submission_id)
        ).first()
        self.audit(conn, user, action, {"file": file.name, "submissions": [described]}, sha256=file.sha256)

    def audit_log(self, since: dt.date | None = None) -> pd.DataFrame:
        """Every recorded write, newest first: who, when, what (file, units, kinds, periods, submissions)."""
        query = sa.select(audit_table).order_by(audit_table.c.id.desc())
        if since is not None:
            query = query.where(audit_table.c.at >= dt.datetime.combine(since, dt.time()))
        with self.engine.connect() as conn:
            records = [dict(row) for row in conn.execute(query).mappings()]
        rows = []
        for record in records:
            detail = json.loads(record["detail"])
            subs = detail.get("submissions", [])
            rows.append(
                {
                    "id": record["id"],
                    "at": record["at"],
                    "user": record["user"],
                    "action": record["action"],
                    "action_name": AUDIT_ACTIONS.get(record["action"], record["action"]),
                    "file": detail.get("file") or "",  # a write of no file (a user, a 会议版) has none
                    "units": "、".join(dict.fromkeys(str(s["unit"]) for s in subs)),
                    "kinds": "、".join(dict.fromkeys(kind_name(s["kind"]) for s in subs)),
                    "periods": "、".join(dict.fromkeys(str(s["period"]) for s in subs)),
                    "submissions": "、".join(f"#{s['id']}" for s in subs),
                    "note": detail.get("note", ""),
                    "sha256": record["sha256"],
                    "detail": detail,
                }
            )
        return pd.DataFrame(rows, columns=AUDIT_COLUMNS)

    def history(self) -> pd.DataFrame:
        """Every submission with its file, newest first, and which later submission replaced it."""
        query = (
            sa.select(
                submissions_table.c.id,
                submissions_table.c.unit,
                submissions_table.c.kind,
                submissions_table.c.period_start,
                submissions_table.c.period_end,
                submissions_table.c.rows,
                submissions_table.c.seq,
                submissions_table.c.deleted,
                submissions_table.c.source,
                submissions_table.c.sheets,
                submissions_table.c.created_at,
                submissions_table.c.created_by,
                files_table.c.id.label("file_id"),
                files_table.c.name.label("file"),
                files_table.c.sha256,
            )
            .join(files_table, files_table.c.id == submissions_table.c.file_id)
            .order_by(submissions_table.c.seq.desc())
        )
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).mappings().all())
        if frame.empty:
            return pd.DataFrame(
                columns=[
                    "id",
                    "unit",
                    "kind",
                    "period_start",
                    "period_end",
                    "rows",
                    "seq",
                    "deleted",
                    "file",
                    "replaced_by",
                ]
            )
        # An id or None: a float column would print as 「#2.0」 and its NaN reads as true.
        # Which hotline return replaced which goes by the same (source rank, seq) as which one counts.
        rank = _source_rank(self.hotline_source())
        order = [
            (rank(source) if kind == "hotline" else 0, seq)
            for kind, source, seq in zip(frame["kind"], frame["source"], frame["seq"])
        ]
        ranked = frame.assign(seq=pd.Series(order, index=frame.index, dtype=object))
        frame["replaced_by"] = pd.Series(_replaced_by(ranked), index=frame.index, dtype=object)
        return frame

    def original(self, file_id: int) -> tuple[str, bytes]:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(files_table.c.name, files_table.c.content).where(files_table.c.id == file_id)
            ).first()
        if row is None:
            raise StoreError(f"没有编号为 {file_id} 的文件。")
        return row.name, bytes(row.content)

    # -- current rows ---------------------------------------------------------------------------------------

    def submissions(self) -> pd.DataFrame:
        """The live submissions."""
        subs = submissions_table.c
        query = sa.select(
            subs.id,
            subs.seq,
            subs.unit,
            subs.kind,
            subs.period_start,
            subs.period_end,
            subs.created_at,
            subs.file_id,
            subs.source,
        ).where(subs.deleted.is_(False))
        with self.engine.connect() as conn:
            return pd.DataFrame(
                conn.execute(query).all(),
                columns=["id", "seq", "unit", "kind", "period_start", "period_end", "created_at", "file_id", "source"],
            )

    def current_rows(
        self, kind: str, submissions: pd.DataFrame | None = None, *, hotline_source: str | None = None
    ) -> pd.DataFrame:
        """The rows of one sheet kind that count now, each with its submission's file for tracing.

        ``submissions`` and ``hotline_source`` replace the live ones (a 会议版 counts as it counted when frozen)."""
        table = ROW_TABLES[kind]
        subs = self.submissions() if submissions is None else submissions
        subs = subs[subs["kind"] == kind]
        with self.engine.connect() as conn:
            rows = _read_rows(conn, table)
        rows = rows.merge(subs[["id", "seq", "file_id"]].rename(columns={"id": "submission_id"}), on="submission_id")
        if rows.empty:
            return rows.drop(columns=["seq"])
        if kind in MONTHLY_KINDS:
            if kind == "hotline":
                subs = _ranked(subs, hotline_source or self.hotline_source())
            owners = _month_owners(subs)
            rows = rows.merge(owners, on=["unit", "month"], how="left")
            rows = rows[rows["owner"] == rows["submission_id"]].drop(columns=["owner"])
        elif kind == "problems":
            newest = rows.groupby(["unit", "key"])["seq"].transform("max")
            rows = rows[rows["seq"] == newest]
        else:
            newest = rows.groupby(["unit", "period_start", "period_end"])["seq"].transform("max")
            rows = rows[rows["seq"] == newest]
        return rows.drop(columns=["seq"]).reset_index(drop=True)

    def hotline_source(self) -> str:
        """Which figures count where a unit's 热线指标 return and its tickets give the same month (HOTLINE_SOURCES)."""
        with self.engine.connect() as conn:
            return _hotline_source(conn)

    def set_hotline_source(self, source: str, user: str = "cli") -> None:
        if source not in HOTLINE_SOURCES:
            raise StoreError(f"热线数据来源须为：{'、'.join(HOTLINE_SOURCES.values())}。")
        with self.writing() as conn:
            updated = conn.execute(
                settings_table.update().where(settings_table.c.key == "hotline_source").values(value=source)
            ).rowcount
            if not updated:
                conn.execute(settings_table.insert().values(key="hotline_source", value=source))
            self.audit(conn, user, "setting", {"note": f"热线数据：{HOTLINE_SOURCES[source]}"})

    def hotline_by_source(self, units: list[str], side: str | None = None) -> dict[str, dict[tuple[str, int], dict]]:
        """The newest live 热线指标 row of each (unit, month), separately for ticket exports and for returns:
        what the two sources say, whichever counts (``{"tickets": {...}, "returns": {...}}``); ``side``: only
        that one of the two."""
        with self.engine.connect() as conn:
            return _hotline_by_source(conn, units, side)

    def headcounts(self) -> dict[str, int]:
        """The latest 在职人数 each unit declared."""
        with self.engine.connect() as conn:
            return _headcounts(conn)

    def current_hotline(self, units: list[str]) -> dict[tuple[str, int], dict]:
        """The current 热线指标 rows of ``units`` by (unit, month), as plain records: what an upload is checked
        against (上年同期, outliers), without the frames ``current_rows`` builds for the pages."""
        with self.engine.connect() as conn:
            return _current_hotline(conn, units)

    # -- registry -------------------------------------------------------------------------------------------

    def registry(self) -> Registry:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(registries_table.c.content, registries_table.c.name)
                .order_by(registries_table.c.id.desc())
                .limit(1)
            ).first()
        if row is None:
            return default_registry()
        return parse_registry(bytes(row.content), row.name)

    def replace_registry(self, data: bytes, name: str, user: str = "cli") -> Registry:
        registry = parse_registry(data, name)  # raises RegistryError with every problem
        with self.writing() as conn:
            conn.execute(
                registries_table.insert().values(
                    content=registry.to_csv_bytes(), name=name, uploaded_at=now(), uploaded_by=user, units=len(registry)
                )
            )
            self.audit(conn, user, "registry", {"file": name, "note": f"单位名录 {len(registry)} 个单位"}, sha256(data))
        return registry

    def set_exempt(self, units: list[str], kind: str, exempt: bool, user: str = "cli") -> Registry:
        """Mark ``units`` 不涉及 ``kind`` (or expected again): one new version of the registry, audited."""
        registry = self.registry()
        found = [registry.resolve(unit) for unit in units]
        for unit in found:
            registry = registry.with_exempt(unit.name, kind, exempt)
        data = registry.to_csv_bytes()
        names = "、".join(unit.short_name for unit in found)
        note = f"{names} {'标为不涉及' if exempt else '恢复应报'}{SHEET_KIND_BY_KEY[kind].name}"
        with self.writing() as conn:
            conn.execute(
                registries_table.insert().values(
                    content=data, name="units.csv", uploaded_at=now(), uploaded_by=user, units=len(registry)
                )
            )
            self.audit(conn, user, "registry", {"note": note}, sha256(data))
        return registry

    def registry_history(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            return pd.DataFrame(
                conn.execute(
                    sa.select(
                        registries_table.c.id,
                        registries_table.c.name,
                        registries_table.c.units,
                        registries_table.c.uploaded_at,
                        registries_table.c.uploaded_by,
                    ).order_by(registries_table.c.id.desc())
                ).all(),
                columns=["id", "name", "units", "uploaded_at", "uploaded_by"],
            )


class Batch:
    """Several files stored in one transaction (``Store.batch``), each whole or not at all.

    Each ``save_file`` runs in a savepoint of its own: a file that fails half-way leaves nothing behind and
    the files before it stay. What the checks of the next file read (``file_by_hash``, ``current_hotline``,
    ``headcounts``) is read on the batch's own connection, so it includes the files already stored in it.
    One commit for many files instead of one each: a folder of small returns is not held up by a disk sync
    per file.
    """

    def __init__(self, conn: Connection):
        self.conn = conn
        self.stored = 0  # files stored so far
        # Cached, as only this batch writes while it is open: the latest headcounts, the next seq, the 热线 source
        # setting, and whether any 热线 row of each source stands.
        self._headcounts: dict[str, int] | None = None
        self._seq: int | None = None
        self._hotline_source: str | None = None
        self._has_side: dict[str, bool] = {}

    def file_by_hash(self, digest: str) -> dict | None:
        return _file_by_hash(self.conn, digest)

    def file_is_live(self, file_id: int) -> bool:
        return _file_is_live(self.conn, file_id)

    def file_units(self, file_id: int) -> list[str]:
        return _file_units(self.conn, file_id)

    def current_hotline(self, units: list[str]) -> dict[tuple[str, int], dict]:
        return _current_hotline(self.conn, units, self.hotline_source())

    def hotline_by_source(self, units: list[str], side: str | None = None) -> dict[str, dict[tuple[str, int], dict]]:
        if side is not None and side not in self._has_side:
            self._has_side[side] = _has_hotline_of(self.conn, side)
        return _hotline_by_source(self.conn, units, side, known=self._has_side.get(side))

    def hotline_source(self) -> str:
        if self._hotline_source is None:
            self._hotline_source = _hotline_source(self.conn)
        return self._hotline_source

    def live_submissions_of(self, units: list[str], kinds: list[str]) -> list[dict]:
        return _live_submissions_of(self.conn, units, kinds)

    def submission_rows(self, kind: str, submission_ids: list[int]) -> dict[int, list[tuple]]:
        return _submission_rows(self.conn, kind, submission_ids)

    def headcounts(self) -> dict[str, int]:
        if self._headcounts is None:
            self._headcounts = _headcounts(self.conn)
        return dict(self._headcounts)

    def save_file(
        self,
        data: bytes,
        name: str,
        submissions: list[NewSubmission],
        headcounts: dict[str, int],
        user: str = "cli",
        received_at: dt.datetime | None = None,
        digest: str | None = None,
        stored_id: int | EllipsisType | None = ...,
    ) -> list[int]:
        """As ``Store.save_file``, inside the batch's transaction; ``stored_id``: the id of the stored file of these
        bytes (None: there is none), where the caller looked it up in this batch already."""
        if self._seq is None:
            self._seq = _next_seq(self.conn)
        with _savepoint(self.conn):
            ids, revived = _save_file(
                self.conn,
                data,
                name,
                submissions,
                headcounts,
                user,
                received_at,
                self._seq,
                digest=digest,
                existing=stored_id,
            )
        self._seq += len(ids)
        self.stored += 1
        for submission in submissions:
            if submission.kind == "hotline":
                self._has_side.pop("tickets" if submission.source == TICKETS_SOURCE else "returns", None)
        if self._headcounts is not None and not revived:
            self._headcounts.update(headcounts)
        return ids


@contextmanager
def _savepoint(conn: Connection) -> Iterator[None]:
    """A savepoint written for the driver: what ``begin_nested`` does, without its cost for every file of a batch."""
    _driver_sql(conn, "SAVEPOINT lingyi_file")
    try:
        yield
    except BaseException:
        _driver_sql(conn, "ROLLBACK TO SAVEPOINT lingyi_file")
        _driver_sql(conn, "RELEASE SAVEPOINT lingyi_file")
        raise
    _driver_sql(conn, "RELEASE SAVEPOINT lingyi_file")


class _Rows(list):
    """The rows a statement of ``_driver_sql`` gave, as tuples."""

    def first(self) -> tuple | None:
        return self[0] if self else None

    def scalar(self) -> object:
        return self[0][0] if self else None

    def all(self) -> list[tuple]:
        return list(self)


def _driver_sql(conn: Connection, sql: str, params: tuple | list | Iterable = (), *, many: bool = False) -> _Rows:
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


_FILE_BY_HASH = (
    "SELECT f.id, f.name, EXISTS (SELECT 1 FROM submissions s WHERE s.file_id = f.id AND NOT s.deleted) "
    "FROM files f WHERE f.sha256 = ?"
)


_LIVE_FILES = (
    "SELECT f.sha256, f.name FROM files f "
    "WHERE EXISTS (SELECT 1 FROM submissions s WHERE s.file_id = f.id AND NOT s.deleted)"
)


# A row's values as they say something: not its id, its submission, nor where in the file it stood.
ROW_VALUES: dict[str, tuple[str, ...]] = {
    kind: tuple(c.name for c in table.columns if c.name not in ("id", "submission_id", "sheet", "row"))
    for kind, table in ROW_TABLES.items()
}


_LIVE_OF_COLUMNS = ("id", "seq", "unit", "kind", "period_start", "period_end", "rows", "source", "name")


def _live_submissions_of(conn: Connection, units: list[str], kinds: list[str]) -> list[dict]:
    # Written for the driver, as it runs for every file stored: SQLAlchemy's building of it cost more than its answer.
    if not units or not kinds:
        return []
    sql = (
        "SELECT s.id, s.seq, s.unit, s.kind, s.period_start, s.period_end, s.rows, s.source, f.name "
        "FROM submissions s JOIN files f ON f.id = s.file_id "
        f"WHERE NOT s.deleted AND s.unit IN ({', '.join('?' * len(units))}) "
        f"AND s.kind IN ({', '.join('?' * len(kinds))}) ORDER BY s.seq"
    )
    return [dict(zip(_LIVE_OF_COLUMNS, row)) for row in _driver_sql(conn, sql, (*units, *kinds))]


def _submission_rows(conn: Connection, kind: str, submission_ids: list[int]) -> dict[int, list[tuple]]:
    table = ROW_TABLES[kind]
    query = sa.select(table.c.submission_id, *(table.c[name] for name in ROW_VALUES[kind])).where(
        table.c.submission_id.in_(submission_ids)
    )
    found: dict[int, list[tuple]] = defaultdict(list)
    for sid, *values in conn.execute(query).all():
        found[sid].append(tuple(values))
    return dict(found)


def _file_by_hash(conn: Connection, digest: str) -> dict | None:
    """The stored file of these bytes: its id, name and whether it is live (``file_is_live``)."""
    row = _driver_sql(conn, _FILE_BY_HASH, (digest,)).first()
    return {"id": row[0], "name": row[1], "live": bool(row[2])} if row else None


def _file_units(conn: Connection, file_id: int) -> list[str]:
    sql = "SELECT DISTINCT unit FROM submissions WHERE file_id = ? AND NOT deleted ORDER BY unit"
    return [unit for (unit,) in _driver_sql(conn, sql, (file_id,)).all()]


def _file_is_live(conn: Connection, file_id: int) -> bool:
    sql = "SELECT EXISTS (SELECT 1 FROM submissions WHERE file_id = ? AND NOT deleted)"
    return bool(_driver_sql(conn, sql, (file_id,)).scalar())


def _headcounts(conn: Connection) -> dict[str, int]:
    rows = conn.execute(
        sa.select(headcounts_table.c.unit, headcounts_table.c.headcount).order_by(headcounts_table.c.id)
    ).all()
    return {unit: count for unit, count in rows}


def _current_hotline(conn: Connection, units: list[str], setting: str | None = None) -> dict[tuple[str, int], dict]:
    """The current 热线指标 rows of some units as plain records by (unit, month), decided as ``current_rows``
    decides them: a month belongs to the newest live submission whose period covers it."""
    if not units:
        return {}
    quote = conn.dialect.identifier_preparer.quote
    table = ROW_TABLES["hotline"]
    names = [c.name for c in table.columns if c.name != "id"]
    # One statement: the live submissions, each with its rows (none for a submission of no rows, which still
    # owns the months of its period).
    query = (
        "SELECT s.id, s.seq, s.unit, s.period_start, s.period_end, s.source, "
        f"{', '.join('r.' + quote(n) for n in names)} FROM submissions s "
        f"LEFT JOIN {quote(table.name)} r ON r.submission_id = s.id "
        f"WHERE NOT s.deleted AND s.kind = 'hotline' AND s.unit IN ({', '.join('?' for _ in units)})"
    )
    found = _driver_sql(conn, query, tuple(units))
    if not found:
        return {}
    rank = _source_rank(setting or _hotline_source(conn))
    live = {row[0]: row[:6] for row in found}
    owners = month_owner_ids(
        (sid, (rank(source), seq), unit, start, end) for sid, seq, unit, start, end, source in live.values()
    )
    current = {}
    row_id = 6 + names.index("submission_id")
    for row in found:
        if row[row_id] is None:  # a submission without rows
            continue
        record = dict(zip(names, row[6:]))
        key = (record["unit"], record["month"])
        if owners.get(key) == record["submission_id"]:
            current[key] = record
    return current


def _hotline_source(conn: Connection) -> str:
    value = conn.execute(sa.select(settings_table.c.value).where(settings_table.c.key == "hotline_source")).scalar()
    return value if value in HOTLINE_SOURCES else DEFAULT_HOTLINE_SOURCE


def _source_rank(setting: str | None):
    """A submission's rank before its seq in deciding which 热线指标 row of a month counts: under 以工单数据为准 a
    ticket export outranks any return, under 以单位报表为准 the reverse, under 以最新入库的为准 only seq decides."""
    setting = setting or DEFAULT_HOTLINE_SOURCE
    if setting == "newest":
        return lambda source: 0
    preferred = setting == "tickets"
    return lambda source: int((source == TICKETS_SOURCE) == preferred)


def _ranked(subs: pd.DataFrame, setting: str | None) -> pd.DataFrame:
    """``subs`` with each seq made (rank, seq), so the newest of the preferred source owns a month."""
    rank = _source_rank(setting)
    sources = subs["source"] if "source" in subs else [None] * len(subs)
    return subs.assign(seq=[(rank(s), q) for s, q in zip(sources, subs["seq"])])


_HOTLINE_OF_SOURCE = {
    "tickets": "SELECT 1 FROM submissions WHERE NOT deleted AND kind = 'hotline' AND source = ? LIMIT 1",
    "returns": "SELECT 1 FROM submissions WHERE NOT deleted AND kind = 'hotline' "
    "AND (source IS NULL OR source <> ?) LIMIT 1",
}


def _has_hotline_of(conn: Connection, side: str) -> bool:
    """Whether any live 热线 row of ``side`` (``"tickets"`` or ``"returns"``) stands, in one driver statement."""
    return bool(_driver_sql(conn, _HOTLINE_OF_SOURCE[side], (TICKETS_SOURCE,)))


def _hotline_by_source(
    conn: Connection, units: list[str], side: str | None = None, *, known: bool | None = None
) -> dict[str, dict[tuple[str, int], dict]]:
    """``Store.hotline_by_source``; ``known``: whether ``side`` has rows at all, where the caller knows already."""
    found: dict[str, dict[tuple[str, int], dict]] = {"tickets": {}, "returns": {}}
    if not units:
        return found
    # Asked for every file stored: most stores have one source only, and a look for the other costs almost nothing.
    if side is not None and not (_has_hotline_of(conn, side) if known is None else known):
        return found
    subs, files = submissions_table.c, files_table.c
    table = ROW_TABLES["hotline"]
    names = [c.name for c in table.columns if c.name != "id"]
    query = (
        sa.select(*(table.c[n] for n in names), subs.seq, subs.source, files.name.label("file"))
        .join(submissions_table, subs.id == table.c.submission_id)
        .join(files_table, files.id == subs.file_id)
        .where(subs.deleted.is_(False), subs.kind == "hotline", subs.unit.in_(units))
        .order_by(subs.seq)
    )
    if side == "tickets":
        query = query.where(subs.source == TICKETS_SOURCE)
    elif side == "returns":
        query = query.where(sa.or_(subs.source.is_(None), subs.source != TICKETS_SOURCE))
    for row in conn.execute(query).mappings():
        record = dict(row)
        side = "tickets" if record["source"] == TICKETS_SOURCE else "returns"
        found[side][(record["unit"], record["month"])] = record
    return found


def _save_file(
    conn: Connection,
    data: bytes,
    name: str,
    submissions: list[NewSubmission],
    headcounts: dict[str, int],
    user: str,
    received_at: dt.datetime | None,
    seq: int | None = None,
    *,
    digest: str | None = None,
    existing: int | EllipsisType | None = ...,
) -> tuple[list[int], bool]:
    """The new (or brought back) submission ids, and whether the file was brought back rather than stored;
    ``existing``: the id of the stored file of these bytes (None: none), where the caller knows it."""
    digest = digest or sha256(data)
    stamp = received_at or now()
    ids: list[int] = []
    described: list[dict[str, object]] = []
    if existing is ...:
        existing = _driver_sql(conn, "SELECT id FROM files WHERE sha256 = ?", (digest,)).scalar()
    if existing is None:
        file_id = _insert(
            conn,
            files_table,
            {
                "sha256": digest,
                "name": name,
                "size": len(data),
                "content": data,
                "uploaded_at": stamp,
                "uploaded_by": user,
            },
        )
    else:
        file_id = existing
    seq = _next_seq(conn) if seq is None else seq
    if existing is not None:
        # The same bytes again after their submissions were deleted or overtaken: bring them back on top.
        old_ids = list(
            conn.execute(
                sa.select(submissions_table.c.id)
                .where(submissions_table.c.file_id == file_id)
                .order_by(submissions_table.c.seq)
            ).scalars()
        )
        for offset, sid in enumerate(old_ids):
            conn.execute(
                submissions_table.update().where(submissions_table.c.id == sid).values(seq=seq + offset, deleted=False)
            )
        if old_ids:
            detail = {"file": name, "submissions": _described(conn, old_ids), "note": "此前撤销的同一文件重新入库"}
            _audit(conn, user, "ingest", detail, sha256=digest)
            return old_ids, True
    batches: dict[str, list[dict[str, list]]] = {}
    for offset, sub in enumerate(submissions):
        sid = _insert(
            conn,
            submissions_table,
            {
                "file_id": file_id,
                "seq": seq + offset,
                "unit": sub.unit,
                "kind": sub.kind,
                "period_start": sub.period.start,
                "period_end": sub.period.end,
                "declared": sub.declared,
                "sheets": "、".join(sub.sheets),
                "rows": sub.row_count,
                "deleted": False,
                "created_at": stamp,
                "created_by": user,
                "source": sub.source,
            },
        )
        ids.append(sid)
        described.append(
            {"id": sid, "unit": sub.unit, "kind": sub.kind, "period": sub.period.label, "rows": sub.row_count}
        )
        if sub.row_count:
            batches.setdefault(sub.kind, []).append(row_values(ROW_TABLES[sub.kind], sub.rows, sid))
    for kind, parts in batches.items():
        _bulk_insert(conn, ROW_TABLES[kind], parts)
    if headcounts:
        for unit, count in headcounts.items():
            _insert(conn, headcounts_table, {"file_id": file_id, "unit": unit, "headcount": count}, returning=False)
    _audit(conn, user, "ingest", {"file": name, "submissions": described}, sha256=digest)
    return ids, False


def _audit(conn: Connection, user: str, action: str, detail: dict[str, object], sha256: str | None) -> None:
    _insert(
        conn,
        audit_table,
        {
            "at": now(),
            "user": user,
            "action": action,
            "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
            "sha256": sha256,
        },
        returning=False,
    )


def _bump_data_version(conn: Connection, by: int) -> None:
    # Read at the end: a write may itself set the version (a restored backup carries its own).
    version = int(conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "data_version")).scalar())
    set_meta(conn, "data_version", str(version + by))


def _shown(url: str) -> str:
    """A database address as a message may show it: the password hidden (postgresql://lingyi:***@host/lingyi)."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def _engine(url: str) -> Engine:
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


def _insert(conn: Connection, table: sa.Table, values: dict[str, object], *, returning: bool = True) -> int | None:
    """Insert one row, written for the driver (see ``_driver_sql``), each value as SQLAlchemy's type for its column
    would bind it; the new row's id if ``returning``."""
    processors = _bind_processors(conn.dialect, table)
    params = tuple(v if (bind := processors[n]) is None or v is None else bind(v) for n, v in values.items())
    sql = _insert_sql(conn.dialect, table, tuple(values), returning)
    result = _driver_sql(conn, sql, params)
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


def _bulk_insert(conn: Connection, table: sa.Table, parts: list[Mapping[str, list]]) -> None:
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
        _driver_sql(conn, f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", rows, many=True)
    else:
        conn.execute(table.insert(), [dict(zip(columns, row)) for row in rows])


def _read_rows(conn: Connection, table: sa.Table) -> pd.DataFrame:
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


def _described(conn: Connection, submission_ids: list[int]) -> list[dict[str, object]]:
    """What the audit log says of each submission: id, unit, kind, period, rows."""
    rows = conn.execute(
        sa.select(
            submissions_table.c.id,
            submissions_table.c.unit,
            submissions_table.c.kind,
            submissions_table.c.period_start,
            submissions_table.c.period_end,
            submissions_table.c.rows,
        )
        .where(submissions_table.c.id.in_(submission_ids))
        .order_by(submissions_table.c.id)
    ).all()
    return [
        {
            "id": r.id,
            "unit": r.unit,
            "kind": r.kind,
            "period": Period(r.period_start, r.period_end).label,
            "rows": r.rows,
        }
        for r in rows
    ]


def set_meta(conn: Connection, key: str, value: str) -> None:
    updated = conn.execute(meta_table.update().where(meta_table.c.key == key).values(value=value)).rowcount
    if not updated:
        conn.execute(meta_table.insert().values(key=key, value=value))


def _next_seq(conn: Connection) -> int:
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(submissions_table.c.seq), 0))).scalar()) + 1


def _month_owners(subs: pd.DataFrame) -> pd.DataFrame:
    """For each (unit, month) the newest live submission whose period covers it, as a frame (unit, month, owner)."""
    owners = month_owner_ids(zip(subs["id"], subs["seq"], subs["unit"], subs["period_start"], subs["period_end"]))
    return pd.DataFrame(
        [(unit, month, sid) for (unit, month), sid in owners.items()], columns=["unit", "month", "owner"]
    )


def month_owner_ids(subs: Iterable[tuple]) -> dict[tuple[str, int], int]:
    """For each (unit, month) the newest of ``subs`` (id, seq, unit, period_start, period_end) whose period covers it:
    the one rule of which return a month of 学习活动 or 热线指标 belongs to."""
    owners: dict[tuple[str, int], int] = {}
    for sid, _seq, unit, start, end in sorted(subs, key=lambda sub: sub[1]):
        for month in months_between(int(start), int(end)):
            owners[(unit, month)] = sid
    return owners


def _replaced_by(history: pd.DataFrame) -> list[object]:
    """The id of the next live submission for the same unit and kind whose period overlaps, if any."""
    rows = list(
        zip(
            history["unit"],
            history["kind"],
            history["seq"],
            history["period_start"],
            history["period_end"],
            history["id"],
            history["deleted"].astype(bool),
        )
    )
    # Compared within each unit and kind only, in plain Python: a unit has a few dozen submissions, the store
    # many thousands, and a group-by's cost per group is most of the time at that size.
    live: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for unit, kind, seq, start, end, sid, deleted in rows:
        if not deleted:
            live[(unit, kind)].append((seq, start, end, sid))
    for subs in live.values():
        subs.sort()
    found: list[object] = []
    for unit, kind, seq, start, end, _sid, _deleted in rows:
        subs = live.get((unit, kind), [])
        later = subs[bisect.bisect_right(subs, (seq, float("inf"))) :]
        found.append(next((int(sid) for _, s, e, sid in later if s <= end and e >= start), None))
    return found


def kind_name(kind: str) -> str:
    return SHEET_KIND_BY_KEY[kind].name
