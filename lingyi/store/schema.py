"""The store's tables (SQLAlchemy Core) and its meta rows."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lingyi.contract import SHEET_KIND_BY_KEY

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
    # "tickets" for 热线指标 worked out from a 12345 ticket export (lingyi/intake/tickets.py); empty for a return
    # (version 4).
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


# Who may sign in, with what role; passwords as argon2 hashes (version 3). See lingyi/access/auth.py.
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


# 会议版: a named scope frozen as it was shown at a meeting (step _migrate_snapshots). See lingyi/metrics/snapshots.py.
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

# Who is signed in, and in which browser (step _migrate_sessions, see lingyi/access/auth.py). The browser keeps a
# signed, HttpOnly cookie with a random token; the store keeps only the token's SHA-256, so reading this table signs
# nobody in. The one-time ticket lets the browser that signed in take its cookie (lingyi/access/web.py). Not in
# backups: who is signed in where is no data.
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


# A row's values as they say something: not its id, its submission, nor where in the file it stood.
ROW_VALUES: dict[str, tuple[str, ...]] = {
    kind: tuple(c.name for c in table.columns if c.name not in ("id", "submission_id", "sheet", "row"))
    for kind, table in ROW_TABLES.items()
}


def set_meta(conn: Connection, key: str, value: str) -> None:
    updated = conn.execute(meta_table.update().where(meta_table.c.key == key).values(value=value)).rowcount
    if not updated:
        conn.execute(meta_table.insert().values(key=key, value=value))


def kind_name(kind: str) -> str:
    return SHEET_KIND_BY_KEY[kind].name
