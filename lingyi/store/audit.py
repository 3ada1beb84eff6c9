"""The audit log: one row per write, in the write's own transaction, and what it says of each submission."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lingyi.store.schema import audit_table, files_table, kind_name, meta_table, set_meta, submissions_table
from lingyi.store.sql import insert_row, now
from lingyi.values import Period

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


def audit(conn: Connection, user: str, action: str, detail: dict[str, object], sha256: str | None) -> None:
    insert_row(
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


def bump_data_version(conn: Connection, by: int) -> None:
    # Read at the end: a write may itself set the version (a restored backup carries its own).
    version = int(conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "data_version")).scalar())
    set_meta(conn, "data_version", str(version + by))


def described_submissions(conn: Connection, submission_ids: list[int]) -> list[dict[str, object]]:
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


def audit_submission(conn: Connection, user: str, action: str, submission_id: int) -> None:
    """Record a write of one submission (restored, withdrawn) with its file."""
    (described,) = described_submissions(conn, [submission_id])
    file = conn.execute(
        sa.select(files_table.c.name, files_table.c.sha256)
        .join(submissions_table, submissions_table.c.file_id == files_table.c.id)
        .where(submissions_table.c.id == submission_id)
    ).first()
    audit(conn, user, action, {"file": file.name, "submissions": [described]}, sha256=file.sha256)


def audit_log(conn: Connection, since: dt.date | None = None) -> pd.DataFrame:
    """Every recorded write, newest first: who, when, what (file, units, kinds, periods, submissions)."""
    query = sa.select(audit_table).order_by(audit_table.c.id.desc())
    if since is not None:
        query = query.where(audit_table.c.at >= dt.datetime.combine(since, dt.time()))
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
