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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from lingyi.contract import SHEET_KIND_BY_KEY
from lingyi.errors import StoreError
from lingyi.registry import Registry, default_registry, parse_registry
from lingyi.values import Period, missing, months_between

PROJECT_DIR = Path(__file__).resolve().parent.parent
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
)


# Who is signed in, and in which browser (version 4, see lingyi/auth.py). The browser keeps a signed, HttpOnly cookie
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


# Each step brings the schema from version i to i + 1; a new step is appended, never edited.
# Step 1 creates all of ``metadata`` as it is now, so every later step must be idempotent.
def _migrate_3(conn: Connection) -> None:
    users_table.create(conn, checkfirst=True)
    sign_ins_table.create(conn, checkfirst=True)


def _migrate_4(conn: Connection) -> None:
    """Signed-in sessions that outlive a reload: their table, and the key their cookies are signed with."""
    sessions_table.create(conn, checkfirst=True)
    if conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == SESSION_KEY)).scalar() is None:
        conn.execute(meta_table.insert().values(key=SESSION_KEY, value=secrets.token_hex(32)))


MIGRATIONS = (_migrate_1, _migrate_2, _migrate_3, _migrate_4)
SCHEMA_VERSION = len(MIGRATIONS)


AUDIT_ACTIONS = {
    "ingest": "入库",
    "restore": "恢复报送",
    "delete": "撤销报送",
    "registry": "更换单位名录",
    "restore-backup": "从备份恢复",
    "user": "用户管理",
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
    rows: pd.DataFrame  # the row table's columns but id and submission_id


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
        except sa.exc.OperationalError as exc:
            raise StoreError(f"无法打开数据库 {_shown(self.url)}：{exc.orig}") from None

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
        with self.engine.connect() as conn:
            return _file_by_hash(conn, digest)

    def file_is_live(self, file_id: int) -> bool:
        """True while some submission of the file stands (not withdrawn).

        Byte-identical bytes again change nothing (spec §4), even where a later file has since
        replaced this one: bringing an old version back is what ``restore`` is for. Only a file
        whose every submission was withdrawn is taken in again when it is uploaded again.
        """
        with self.engine.connect() as conn:
            return _file_is_live(conn, file_id)

    def save_file(
        self,
        data: bytes,
        name: str,
        submissions: list[NewSubmission],
        headcounts: dict[str, int],
        user: str = "cli",
        received_at: dt.datetime | None = None,
    ) -> list[int]:
        """Store a file and everything it says, in one transaction; returns the new submission ids."""
        with self.writing() as conn:
            return _save_file(conn, data, name, submissions, headcounts, user, received_at)[0]

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
                    "file": detail.get("file"),
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
        frame["replaced_by"] = pd.Series(_replaced_by(frame), index=frame.index, dtype=object)
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
            subs.id, subs.seq, subs.unit, subs.kind, subs.period_start, subs.period_end, subs.created_at, subs.file_id
        ).where(subs.deleted.is_(False))
        with self.engine.connect() as conn:
            return pd.DataFrame(
                conn.execute(query).all(),
                columns=["id", "seq", "unit", "kind", "period_start", "period_end", "created_at", "file_id"],
            )

    def current_rows(self, kind: str, submissions: pd.DataFrame | None = None) -> pd.DataFrame:
        """The rows of one sheet kind that count now, each with its submission's file for tracing."""
        table = ROW_TABLES[kind]
        subs = self.submissions() if submissions is None else submissions
        subs = subs[subs["kind"] == kind]
        with self.engine.connect() as conn:
            rows = _read_rows(conn, table)
        rows = rows.merge(subs[["id", "seq", "file_id"]].rename(columns={"id": "submission_id"}), on="submission_id")
        if rows.empty:
            return rows.drop(columns=["seq"])
        if kind in MONTHLY_KINDS:
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
        # Cached, as only this batch writes while it is open: the latest headcounts and the next seq.
        self._headcounts: dict[str, int] | None = None
        self._seq: int | None = None

    def file_by_hash(self, digest: str) -> dict | None:
        return _file_by_hash(self.conn, digest)

    def file_is_live(self, file_id: int) -> bool:
        return _file_is_live(self.conn, file_id)

    def current_hotline(self, units: list[str]) -> dict[tuple[str, int], dict]:
        return _current_hotline(self.conn, units)

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
    ) -> list[int]:
        """As ``Store.save_file``, inside the batch's transaction."""
        if self._seq is None:
            self._seq = _next_seq(self.conn)
        with self.conn.begin_nested():
            ids, revived = _save_file(self.conn, data, name, submissions, headcounts, user, received_at, self._seq)
        self._seq += len(ids)
        self.stored += 1
        if self._headcounts is not None and not revived:
            self._headcounts.update(headcounts)
        return ids


def _file_by_hash(conn: Connection, digest: str) -> dict | None:
    row = conn.execute(sa.select(files_table.c.id, files_table.c.name).where(files_table.c.sha256 == digest)).first()
    return dict(row._mapping) if row else None


def _file_is_live(conn: Connection, file_id: int) -> bool:
    live = conn.execute(
        sa.select(sa.func.count())
        .select_from(submissions_table)
        .where(submissions_table.c.file_id == file_id, submissions_table.c.deleted.is_(False))
    ).scalar()
    return bool(live)


def _headcounts(conn: Connection) -> dict[str, int]:
    rows = conn.execute(
        sa.select(headcounts_table.c.unit, headcounts_table.c.headcount).order_by(headcounts_table.c.id)
    ).all()
    return {unit: count for unit, count in rows}


def _current_hotline(conn: Connection, units: list[str]) -> dict[tuple[str, int], dict]:
    """The current 热线指标 rows of some units as plain records by (unit, month), decided as ``current_rows``
    decides them: a month belongs to the newest live submission whose period covers it."""
    if not units:
        return {}
    subs = submissions_table.c
    live = conn.execute(
        sa.select(subs.id, subs.seq, subs.unit, subs.period_start, subs.period_end).where(
            subs.deleted.is_(False), subs.kind == "hotline", subs.unit.in_(units)
        )
    ).all()
    if not live:
        return {}
    owners = _owners(live)
    table = ROW_TABLES["hotline"]
    names = [c.name for c in table.columns if c.name != "id"]
    query = sa.select(*(table.c[n] for n in names)).where(table.c.submission_id.in_([s.id for s in live]))
    current = {}
    for row in conn.execute(query):
        record = dict(zip(names, row))
        key = (record["unit"], record["month"])
        if owners.get(key) == record["submission_id"]:
            current[key] = record
    return current


def _save_file(
    conn: Connection,
    data: bytes,
    name: str,
    submissions: list[NewSubmission],
    headcounts: dict[str, int],
    user: str,
    received_at: dt.datetime | None,
    seq: int | None = None,
) -> tuple[list[int], bool]:
    """The new (or brought back) submission ids, and whether the file was brought back rather than stored."""
    digest = sha256(data)
    stamp = received_at or now()
    ids: list[int] = []
    described: list[dict[str, object]] = []
    existing = conn.execute(sa.select(files_table.c.id).where(files_table.c.sha256 == digest)).scalar()
    if existing is None:
        file_id = conn.execute(
            files_table.insert().values(
                sha256=digest, name=name, size=len(data), content=data, uploaded_at=stamp, uploaded_by=user
            )
        ).inserted_primary_key[0]
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
    batches: dict[str, list[pd.DataFrame]] = {}
    for offset, sub in enumerate(submissions):
        sid = conn.execute(
            submissions_table.insert().values(
                file_id=file_id,
                seq=seq + offset,
                unit=sub.unit,
                kind=sub.kind,
                period_start=sub.period.start,
                period_end=sub.period.end,
                declared=sub.declared,
                sheets="、".join(sub.sheets),
                rows=len(sub.rows),
                deleted=False,
                created_at=stamp,
                created_by=user,
            )
        ).inserted_primary_key[0]
        ids.append(sid)
        described.append(
            {"id": sid, "unit": sub.unit, "kind": sub.kind, "period": sub.period.label, "rows": len(sub.rows)}
        )
        if len(sub.rows):
            batches.setdefault(sub.kind, []).append(sub.rows.assign(submission_id=sid))
    for kind, frames in batches.items():
        _bulk_insert(conn, ROW_TABLES[kind], frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True))
    if headcounts:
        conn.execute(
            headcounts_table.insert(), [{"file_id": file_id, "unit": u, "headcount": c} for u, c in headcounts.items()]
        )
    _audit(conn, user, "ingest", {"file": name, "submissions": described}, sha256=digest)
    return ids, False


def _audit(conn: Connection, user: str, action: str, detail: dict[str, object], sha256: str | None) -> None:
    conn.execute(
        audit_table.insert().values(
            at=now(),
            user=user,
            action=action,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
            sha256=sha256,
        )
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
            cursor.execute("PRAGMA busy_timeout=60000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn):  # pragma: no cover - exercised on every transaction
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("immediate") else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _bulk_insert(conn: Connection, table: sa.Table, frame: pd.DataFrame) -> None:
    """Insert a frame's rows; on SQLite straight through the driver, which is many times faster for big ledgers."""
    columns = [c for c in table.columns if c.name != "id"]
    values = {c.name: _column_values(frame[c.name]) for c in columns}
    if conn.dialect.name != "sqlite":
        names = list(values)
        conn.execute(table.insert(), [dict(zip(names, row)) for row in zip(*values.values())])
        return
    for column in columns:
        # The text SQLAlchemy's SQLite Date type writes, so Core and the driver read the same values back.
        if isinstance(column.type, sa.Date):
            texts = {d: d.isoformat() for d in set(values[column.name]) if d is not None}  # dates repeat
            values[column.name] = [None if d is None else texts[d] for d in values[column.name]]
        elif isinstance(column.type, sa.Boolean):
            values[column.name] = [None if b is None else int(b) for b in values[column.name]]
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(c.name) for c in columns)
    marks = ", ".join("?" for _ in columns)
    conn.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", list(zip(*values.values())))


def _column_values(column: pd.Series) -> list:
    """A column's values as a list, None where missing (NaN, NaT, NA): found by pandas for a big ledger, cell by
    cell for the few rows of a monthly return (where pandas' cost per call is more than the looking)."""
    values = column.tolist()
    if len(values) < 2000:
        return [None if missing(v) else v for v in values]
    absent = column.isna().to_numpy()
    if absent.any():
        for index in absent.nonzero()[0]:
            values[index] = None
    return values


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
    owners = _owners(zip(subs["id"], subs["seq"], subs["unit"], subs["period_start"], subs["period_end"]))
    return pd.DataFrame(
        [(unit, month, sid) for (unit, month), sid in owners.items()], columns=["unit", "month", "owner"]
    )


def _owners(subs: Iterable[tuple]) -> dict[tuple[str, int], int]:
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
