"""Values far outside what a unit usually reports: a warning on upload, never a block (spec §4).

- 诉求量: a month with at least ``APPEALS_FACTOR`` times the median of the unit's other
  months (those stored and those in the same file; the file's own value wins for a month
  both have), once ``MIN_HISTORY_MONTHS`` other months are known and their median is above 0.
  A misplaced digit or a year's total typed into a month looks exactly like this.
- 参与人次: one activity with more person-times than 在职人数 × 期数, where the unit's
  headcount is known (the file's 在职人数, else the latest one stored). Everyone attending
  every session is the most there can be.

The checks are plain Python on the file's rows as records (a file has a few rows, and pandas' cost per
call would be most of the time); ``outlier_findings`` is given what the store knows.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping

from lingyi.errors import Finding, Level
from lingyi.intake.valid import ValidatedFile, ValidTable
from lingyi.values import missing

APPEALS_FACTOR = 10
MIN_HISTORY_MONTHS = 3


def outlier_findings(
    validated: ValidatedFile,
    stored_appeals: Mapping[tuple[str, int], object] | None = None,
    stored_headcounts: Mapping[str, int] | None = None,
) -> list[Finding]:
    """Warnings for the file's implausible values, judged against the unit's history: ``stored_appeals`` is the
    store's current 诉求量 by (unit, month) (at least of the file's units), ``stored_headcounts`` its latest
    在职人数 by unit."""
    findings: list[Finding] = []
    hotline = [t for t in validated.tables if t.kind.key == "hotline"]
    if hotline:
        flagged = appeals_outliers(_rows(hotline, ["unit", "month", "appeals"]), stored_appeals or {})
        findings += [
            _finding(
                validated.name,
                hotline,
                record,
                "appeals",
                f"诉求量 {record['appeals']:,} 是本单位其他 {record['history_months']} 个月中位数"
                f"（{record['median']:,.0f}）的 {record['appeals'] / record['median']:.0f} 倍，"
                "请核对是否多写了位数或填成了累计数。",
                f"{record['appeals']:,}",
            )
            for record in flagged
        ]
    learning = [t for t in validated.tables if t.kind.key == "learning"]
    if learning:
        headcount = {**(stored_headcounts or {}), **validated.headcount}
        flagged = attendance_outliers(_rows(learning, ["unit", "sessions", "person_times"]), headcount)
        findings += [
            _finding(
                validated.name,
                learning,
                record,
                "person_times",
                f"参与人次 {record['person_times']:,} 超过在职人数 {record['headcount']:,} × 期数 "
                f"{record['sessions']} = {record['headcount'] * record['sessions']:,}，请核对。",
                f"{record['person_times']:,}",
            )
            for record in flagged
        ]
    return findings


def appeals_outliers(rows: list[dict], stored: Mapping[tuple[str, int], object]) -> list[dict]:
    """The rows (unit, month, appeals, sheet, row) far above the unit's median month, each with ``median`` and
    ``history_months``; ``stored`` is 诉求量 by (unit, month)."""
    rows = [r for r in rows if not (missing(r["unit"]) or missing(r["month"]) or missing(r["appeals"]))]
    if not rows:
        return []
    # The file's own months first: where the file and the store both have a month, the file's value counts.
    known: dict[str, dict[int, float]] = {}
    for record in rows:
        known.setdefault(record["unit"], {}).setdefault(int(record["month"]), float(record["appeals"]))
    for (unit, month), appeals in stored.items():
        if unit in known and not (missing(month) or missing(appeals)):
            known[unit].setdefault(int(month), float(appeals))
    flagged = []
    for record in rows:
        month = int(record["month"])
        history = [appeals for other, appeals in known[record["unit"]].items() if other != month]
        if len(history) < MIN_HISTORY_MONTHS:
            continue
        median = float(statistics.median(history))
        if median > 0 and record["appeals"] >= APPEALS_FACTOR * median:
            flagged.append({**record, "median": median, "history_months": len(history)})
    return flagged


def attendance_outliers(rows: list[dict], headcount: Mapping[str, int]) -> list[dict]:
    """The activities (unit, sessions, person_times, sheet, row) with more person-times than headcount × sessions,
    each with ``headcount``; an activity without 期数 is one session."""
    flagged = []
    for record in rows:
        unit, person_times = record["unit"], record["person_times"]
        if missing(unit) or missing(person_times) or missing(headcount.get(unit)):
            continue
        sessions = 1 if missing(record["sessions"]) else int(record["sessions"])
        count = int(headcount[unit])
        if int(person_times) > count * sessions:
            flagged.append({**record, "sessions": sessions, "person_times": int(person_times), "headcount": count})
    return flagged


def _rows(tables: list[ValidTable], columns: list[str]) -> list[dict]:
    names = [*columns, "sheet", "row"]
    return [dict(zip(names, values)) for t in tables for values in zip(*(t.values[name] for name in names))]


def _finding(file: str, tables: list[ValidTable], record: dict, key: str, message: str, value: str) -> Finding:
    table = next(t for t in tables if t.sheet == record["sheet"])
    letter, header = table.headers.get(key, (None, table.kind.column(key).name))
    return Finding(
        Level.WARNING,
        file,
        message,
        sheet=record["sheet"],
        row=int(record["row"]),
        column=letter,
        column_name=header,
        value=value,
    )
