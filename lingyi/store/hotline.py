"""热线指标 by source: which of a unit's returns and ticket exports counts for a month."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lingyi.contract import DEFAULT_HOTLINE_SOURCE, HOTLINE_SOURCES, TICKETS_SOURCE
from lingyi.store.schema import ROW_TABLES, files_table, settings_table, submissions_table
from lingyi.store.sql import driver_sql
from lingyi.store.submissions import month_owner_ids


def current_hotline(conn: Connection, units: list[str], setting: str | None = None) -> dict[tuple[str, int], dict]:
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
    found = driver_sql(conn, query, tuple(units))
    if not found:
        return {}
    rank = source_rank(setting or hotline_setting(conn))
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


def hotline_setting(conn: Connection) -> str:
    value = conn.execute(sa.select(settings_table.c.value).where(settings_table.c.key == "hotline_source")).scalar()
    return value if value in HOTLINE_SOURCES else DEFAULT_HOTLINE_SOURCE


def set_hotline_setting(conn: Connection, source: str) -> None:
    """Which 热线 source counts from now on (``Store.set_hotline_source``, which checks and audits it)."""
    updated = conn.execute(
        settings_table.update().where(settings_table.c.key == "hotline_source").values(value=source)
    ).rowcount
    if not updated:
        conn.execute(settings_table.insert().values(key="hotline_source", value=source))


def source_rank(setting: str | None):
    """A submission's rank before its seq in deciding which 热线指标 row of a month counts: under 以工单数据为准 a
    ticket export outranks any return, under 以单位报表为准 the reverse, under 以最新入库的为准 only seq decides."""
    setting = setting or DEFAULT_HOTLINE_SOURCE
    if setting == "newest":
        return lambda source: 0
    preferred = setting == "tickets"
    return lambda source: int((source == TICKETS_SOURCE) == preferred)


def with_source_rank(subs: pd.DataFrame, setting: str | None) -> pd.DataFrame:
    """``subs`` with each seq made (rank, seq), so the newest of the preferred source owns a month."""
    rank = source_rank(setting)
    sources = subs["source"] if "source" in subs else [None] * len(subs)
    return subs.assign(seq=[(rank(s), q) for s, q in zip(sources, subs["seq"])])


_HOTLINE_OF_SOURCE = {
    "tickets": "SELECT 1 FROM submissions WHERE NOT deleted AND kind = 'hotline' AND source = ? LIMIT 1",
    "returns": "SELECT 1 FROM submissions WHERE NOT deleted AND kind = 'hotline' "
    "AND (source IS NULL OR source <> ?) LIMIT 1",
}


def has_hotline_of(conn: Connection, side: str) -> bool:
    """Whether any live 热线 row of ``side`` (``"tickets"`` or ``"returns"``) stands, in one driver statement."""
    return bool(driver_sql(conn, _HOTLINE_OF_SOURCE[side], (TICKETS_SOURCE,)))


def hotline_by_source(
    conn: Connection, units: list[str], side: str | None = None, *, known: bool | None = None
) -> dict[str, dict[tuple[str, int], dict]]:
    """``Store.hotline_by_source``; ``known``: whether ``side`` has rows at all, where the caller knows already."""
    found: dict[str, dict[tuple[str, int], dict]] = {"tickets": {}, "returns": {}}
    if not units:
        return found
    # Asked for every file stored: most stores have one source only, and a look for the other costs almost nothing.
    if side is not None and not (has_hotline_of(conn, side) if known is None else known):
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
