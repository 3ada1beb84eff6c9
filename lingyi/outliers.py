"""Values far outside what a unit usually reports: a warning on upload, never a block (spec §4).

- 诉求量: a month with at least ``APPEALS_FACTOR`` times the median of the unit's other
  months (those stored and those in the same file; the file's own value wins for a month
  both have), once ``MIN_HISTORY_MONTHS`` other months are known and their median is above 0.
  A misplaced digit or a year's total typed into a month looks exactly like this.
- 参与人次: one activity with more person-times than 在职人数 × 期数, where the unit's
  headcount is known (the file's 在职人数, else the latest one stored). Everyone attending
  every session is the most there can be.

The checks are pure pandas on frames; ``outlier_findings`` fetches what they need from the store.
"""

from __future__ import annotations

import pandas as pd

from lingyi.errors import Finding, Level
from lingyi.store import Store
from lingyi.validation import ValidatedFile, ValidTable

APPEALS_FACTOR = 10
MIN_HISTORY_MONTHS = 3


def outlier_findings(validated: ValidatedFile, store: Store | None = None) -> list[Finding]:
    """Warnings for the file's implausible values, judged against the unit's history in ``store``."""
    findings: list[Finding] = []
    hotline = [t for t in validated.tables if t.kind.key == "hotline"]
    if hotline:
        rows = _rows(hotline, ["unit", "month", "appeals"])
        stored = pd.DataFrame()
        if store is not None:
            # Only the file's units: the whole store's history is not needed and takes long to assemble.
            stored = store.current_rows("hotline", units=sorted(set(rows["unit"].dropna())))
        flagged = appeals_outliers(rows, stored)
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
            for record in flagged.to_dict("records")
        ]
    learning = [t for t in validated.tables if t.kind.key == "learning"]
    if learning:
        headcount = {**(store.headcounts() if store is not None else {}), **validated.headcount}
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
            for record in flagged.to_dict("records")
        ]
    return findings


def appeals_outliers(rows: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """The rows (unit, month, appeals, sheet, row) far above the unit's median month, with median and history_months."""
    rows = rows.dropna(subset=["unit", "month", "appeals"])
    columns = [*rows.columns, "median", "history_months"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    known = pd.concat(
        [rows[["unit", "month", "appeals"]], stored.reindex(columns=["unit", "month", "appeals"])], ignore_index=True
    )
    known = known.dropna().drop_duplicates(["unit", "month"], keep="first")
    known["month"] = known["month"].astype("int64")
    known["appeals"] = known["appeals"].astype("float64")
    months_by_unit = {unit: group.set_index("month")["appeals"] for unit, group in known.groupby("unit")}
    flagged = []
    for record in rows.to_dict("records"):
        history = months_by_unit[record["unit"]].drop(int(record["month"]), errors="ignore")
        if len(history) < MIN_HISTORY_MONTHS:
            continue
        median = float(history.median())
        if median > 0 and record["appeals"] >= APPEALS_FACTOR * median:
            flagged.append({**record, "median": median, "history_months": len(history)})
    return pd.DataFrame(flagged, columns=columns)


def attendance_outliers(rows: pd.DataFrame, headcount: dict[str, int]) -> pd.DataFrame:
    """The activities (unit, sessions, person_times, sheet, row) with more person-times than headcount × sessions."""
    rows = rows.dropna(subset=["unit", "person_times"]).copy()
    rows["headcount"] = rows["unit"].map(headcount)
    rows = rows.dropna(subset=["headcount"])
    rows["sessions"] = rows["sessions"].fillna(1).astype("int64")
    rows["person_times"] = rows["person_times"].astype("int64")
    rows["headcount"] = rows["headcount"].astype("int64")
    return rows[rows["person_times"] > rows["headcount"] * rows["sessions"]].reset_index(drop=True)


def _rows(tables: list[ValidTable], columns: list[str]) -> pd.DataFrame:
    return pd.concat([t.frame[[*columns, "sheet", "row"]] for t in tables], ignore_index=True)


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
