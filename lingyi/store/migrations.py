"""The steps that bring a database's schema from each version to the next."""

from __future__ import annotations

import secrets
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lingyi.errors import FileRejected, StoreError
from lingyi.store.audit import audit, bump_data_version
from lingyi.store.schema import (
    ROW_TABLES,
    SESSION_KEY,
    audit_table,
    files_table,
    meta_table,
    metadata,
    sessions_table,
    set_meta,
    settings_table,
    sign_ins_table,
    snapshot_submissions_table,
    snapshots_table,
    submissions_table,
    users_table,
)


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
    from lingyi.intake.reading import read_file  # the one step that reads returns; imported here, not with the store

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
        audit(conn, "系统", "migration", {"note": note}, None)
        bump_data_version(conn, 1)


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
STORE_ID = "store_id"


def migrate(conn: Connection) -> None:
    """Bring the database's schema up to ``SCHEMA_VERSION`` (creating it where there is none); one newer is refused."""
    meta_table.create(conn, checkfirst=True)
    version = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar()
    current = int(version or 0)
    if current > SCHEMA_VERSION:
        raise StoreError(f"数据库的结构版本 {current} 比本程序（{SCHEMA_VERSION}）新，请升级程序。")
    for step in MIGRATIONS[current:]:
        step(conn)
    if current < SCHEMA_VERSION:
        set_meta(conn, "schema_version", str(SCHEMA_VERSION))
    # A database made anew (dropped, deleted, lost) counts its versions from 0 again: its own id keeps a running
    # app from taking its version 1 for the version 1 of the database it replaced.
    for key, first in (("data_version", "0"), (STORE_ID, secrets.token_hex(16))):
        if conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == key)).scalar() is None:
            set_meta(conn, key, first)
