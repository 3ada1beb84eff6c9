"""Submissions and their files: storing a file and what it says, and the queries asked of them for every file."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import EllipsisType

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lingyi.errors import StoreError
from lingyi.store.audit import audit, audit_submission, described_submissions
from lingyi.store.schema import ROW_TABLES, ROW_VALUES, files_table, headcounts_table, submissions_table
from lingyi.store.sql import bulk_insert, driver_sql, insert_row, now, row_values, sha256
from lingyi.values import Period, months_between


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


_FILE_BY_HASH = (
    "SELECT f.id, f.name, EXISTS (SELECT 1 FROM submissions s WHERE s.file_id = f.id AND NOT s.deleted) "
    "FROM files f WHERE f.sha256 = ?"
)


_LIVE_FILES = (
    "SELECT f.sha256, f.name FROM files f "
    "WHERE EXISTS (SELECT 1 FROM submissions s WHERE s.file_id = f.id AND NOT s.deleted)"
)


_LIVE_OF_COLUMNS = ("id", "seq", "unit", "kind", "period_start", "period_end", "rows", "source", "name")


def live_submissions_of(conn: Connection, units: list[str], kinds: list[str]) -> list[dict]:
    # Written for the driver, as it runs for every file stored: SQLAlchemy's building of it cost more than its answer.
    if not units or not kinds:
        return []
    sql = (
        "SELECT s.id, s.seq, s.unit, s.kind, s.period_start, s.period_end, s.rows, s.source, f.name "
        "FROM submissions s JOIN files f ON f.id = s.file_id "
        f"WHERE NOT s.deleted AND s.unit IN ({', '.join('?' * len(units))}) "
        f"AND s.kind IN ({', '.join('?' * len(kinds))}) ORDER BY s.seq"
    )
    return [dict(zip(_LIVE_OF_COLUMNS, row)) for row in driver_sql(conn, sql, (*units, *kinds))]


def submission_rows(conn: Connection, kind: str, submission_ids: list[int]) -> dict[int, list[tuple]]:
    table = ROW_TABLES[kind]
    query = sa.select(table.c.submission_id, *(table.c[name] for name in ROW_VALUES[kind])).where(
        table.c.submission_id.in_(submission_ids)
    )
    found: dict[int, list[tuple]] = defaultdict(list)
    for sid, *values in conn.execute(query).all():
        found[sid].append(tuple(values))
    return dict(found)


def file_by_hash(conn: Connection, digest: str) -> dict | None:
    """The stored file of these bytes: its id, name and whether it is live (``file_is_live``)."""
    row = driver_sql(conn, _FILE_BY_HASH, (digest,)).first()
    return {"id": row[0], "name": row[1], "live": bool(row[2])} if row else None


def file_units(conn: Connection, file_id: int) -> list[str]:
    sql = "SELECT DISTINCT unit FROM submissions WHERE file_id = ? AND NOT deleted ORDER BY unit"
    return [unit for (unit,) in driver_sql(conn, sql, (file_id,)).all()]


def file_is_live(conn: Connection, file_id: int) -> bool:
    sql = "SELECT EXISTS (SELECT 1 FROM submissions WHERE file_id = ? AND NOT deleted)"
    return bool(driver_sql(conn, sql, (file_id,)).scalar())


def latest_headcounts(conn: Connection) -> dict[str, int]:
    rows = conn.execute(
        sa.select(headcounts_table.c.unit, headcounts_table.c.headcount).order_by(headcounts_table.c.id)
    ).all()
    return {unit: count for unit, count in rows}


def save_file(
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
        existing = driver_sql(conn, "SELECT id FROM files WHERE sha256 = ?", (digest,)).scalar()
    if existing is None:
        file_id = insert_row(
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
    seq = next_seq(conn) if seq is None else seq
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
            detail = {
                "file": name,
                "submissions": described_submissions(conn, old_ids),
                "note": "此前撤销的同一文件重新入库",
            }
            audit(conn, user, "ingest", detail, sha256=digest)
            return old_ids, True
    batches: dict[str, list[dict[str, list]]] = {}
    for offset, sub in enumerate(submissions):
        sid = insert_row(
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
        bulk_insert(conn, ROW_TABLES[kind], parts)
    if headcounts:
        for unit, count in headcounts.items():
            insert_row(conn, headcounts_table, {"file_id": file_id, "unit": unit, "headcount": count}, returning=False)
    audit(conn, user, "ingest", {"file": name, "submissions": described}, sha256=digest)
    return ids, False


def next_seq(conn: Connection) -> int:
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(submissions_table.c.seq), 0))).scalar()) + 1


def month_owners(subs: pd.DataFrame) -> pd.DataFrame:
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


def replaced_by(history: pd.DataFrame) -> list[object]:
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


def restore_submission(conn: Connection, submission_id: int, user: str) -> None:
    """``Store.restore``: the submission current again, above every later one; audited."""
    found = conn.execute(sa.select(submissions_table.c.id).where(submissions_table.c.id == submission_id)).scalar()
    if found is None:
        raise StoreError(f"没有编号为 {submission_id} 的报送记录。")
    conn.execute(
        submissions_table.update()
        .where(submissions_table.c.id == submission_id)
        .values(seq=next_seq(conn), deleted=False)
    )
    audit_submission(conn, user, "restore", submission_id)


def withdraw_submission(conn: Connection, submission_id: int, user: str) -> None:
    """``Store.delete``: the submission withdrawn, its file and record kept; audited."""
    result = conn.execute(
        submissions_table.update().where(submissions_table.c.id == submission_id).values(deleted=True)
    )
    if result.rowcount == 0:
        raise StoreError(f"没有编号为 {submission_id} 的报送记录。")
    audit_submission(conn, user, "delete", submission_id)


def submission_history(conn: Connection) -> pd.DataFrame:
    """Every submission with its file, newest first (``Store.history`` adds which later one replaced it)."""
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
    return frame


def stored_file(conn: Connection, file_id: int) -> tuple[str, bytes]:
    """A stored file's name and bytes, as it was uploaded (``Store.original``)."""
    row = conn.execute(sa.select(files_table.c.name, files_table.c.content).where(files_table.c.id == file_id)).first()
    if row is None:
        raise StoreError(f"没有编号为 {file_id} 的文件。")
    return row.name, bytes(row.content)


def live_submissions(conn: Connection) -> pd.DataFrame:
    """The live submissions (``Store.submissions``)."""
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
    return pd.DataFrame(
        conn.execute(query).all(),
        columns=["id", "seq", "unit", "kind", "period_start", "period_end", "created_at", "file_id", "source"],
    )


def live_files(conn: Connection) -> dict[str, str]:
    """The name of each live stored file by the SHA-256 of its bytes (``Store.live_files``)."""
    return dict(driver_sql(conn, _LIVE_FILES))
