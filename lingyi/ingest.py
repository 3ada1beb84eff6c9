"""One file in: read, validate, store whole or not at all (spec §4). Used by the pages and the command line."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

from lingyi.errors import FileRejected, Finding, Level
from lingyi.outliers import outlier_findings
from lingyi.reading import read_file
from lingyi.registry import Registry
from lingyi.store import NewSubmission, Store, sha256
from lingyi.validation import ValidatedFile, ValidTable, validate
from lingyi.values import Period, add_months, month_label


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"
    CHECKED = "checked"  # would be accepted; --dry-run stored nothing


OUTCOME_LABELS = {
    Outcome.ACCEPTED: "已入库",
    Outcome.UNCHANGED: "无变化",
    Outcome.REJECTED: "有错误，未入库",
    Outcome.CHECKED: "可入库（试运行，未入库）",
}


@dataclass
class IngestResult:
    file: str
    outcome: Outcome
    counts: dict[str, int] = field(default_factory=dict)  # sheet kind name → rows
    findings: list[Finding] = field(default_factory=list)
    submission_ids: list[int] = field(default_factory=list)
    validated: ValidatedFile | None = None
    message: str = ""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.WARNING]


def check_file(
    data: bytes,
    name: str,
    registry: Registry,
    *,
    store: Store | None = None,
    period: Period | None = None,
    default_unit: str | None = None,
    only_unit: str | None = None,
) -> ValidatedFile:
    """Read and validate without storing; a file that cannot be read at all gives one error.

    ``only_unit`` is the one unit a 单位填报员 may report for: a row of any other unit is an error.
    """
    try:
        read = read_file(data, name)
    except FileRejected as rejected:
        return ValidatedFile(rejected.finding.file, [], [rejected.finding])
    validated = validate(read, registry, period=period, default_unit=default_unit)
    if only_unit is not None:
        validated.findings.extend(_rows_of_other_units(validated, only_unit))
    if store is not None and validated.ok:
        validated.findings.extend(_prior_year_conflicts(validated, store))
    validated.findings.extend(outlier_findings(validated, store))
    return validated


def ingest_file(
    store: Store,
    data: bytes,
    name: str,
    *,
    registry: Registry | None = None,
    period: Period | None = None,
    default_unit: str | None = None,
    only_unit: str | None = None,
    dry_run: bool = False,
    user: str = "cli",
    received_at: dt.datetime | None = None,
) -> IngestResult:
    registry = registry or store.registry()
    known = store.file_by_hash(sha256(data))
    if known is not None and store.file_is_live(known["id"]):
        return IngestResult(
            name, Outcome.UNCHANGED, message=f"与已入库的文件「{known['name']}」完全相同，未作任何改动。"
        )
    validated = check_file(
        data, name, registry, store=store, period=period, default_unit=default_unit, only_unit=only_unit
    )
    result = IngestResult(validated.name, Outcome.REJECTED, validated.row_counts(), validated.findings, [], validated)
    if not validated.ok:
        return result
    if dry_run:
        result.outcome = Outcome.CHECKED
        return result
    submissions = build_submissions(validated.tables)
    result.submission_ids = store.save_file(
        data, validated.name, submissions, validated.headcount, user=user, received_at=received_at
    )
    result.outcome = Outcome.ACCEPTED
    if known is not None:
        result.message = "此前撤销的同一文件已重新入库。"
    return result


def build_submissions(tables: list[ValidTable]) -> list[NewSubmission]:
    """One submission per unit and sheet kind, over the file's period for that kind."""
    by_kind: dict[str, list[ValidTable]] = defaultdict(list)
    for table in tables:
        by_kind[table.kind.key].append(table)
    submissions = []
    for kind, kind_tables in by_kind.items():
        period = Period(min(t.period.start for t in kind_tables), max(t.period.end for t in kind_tables))
        declared = all(t.declared for t in kind_tables)
        frame = _store_frame(kind, pd.concat([t.frame for t in kind_tables], ignore_index=True))
        for unit, rows in frame.groupby("unit", sort=False):
            sheets = tuple(dict.fromkeys(rows["sheet"]))
            submissions.append(NewSubmission(str(unit), kind, period, declared, sheets, rows.reset_index(drop=True)))
    return submissions


def problem_key(number: object, description: object, found_date) -> str:
    """Spec §3: (unit, 问题编号), or (unit, 问题描述, 发现日期) where the number is absent."""
    if number:
        return f"编号:{number}"
    return f"描述:{description}|{found_date.isoformat() if found_date else ''}"


def _store_frame(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The validated columns as the store's row table has them."""
    if kind == "learning":
        frame["month"] = [d.year * 100 + d.month for d in frame["date"]]
    elif kind == "problems":
        frame["key"] = [
            problem_key(n, d, f) for n, d, f in zip(frame["number"], frame["description"], frame["found_date"])
        ]
    elif kind == "indicators":
        frame["period_start"] = [p.start for p in frame["period"]]
        frame["period_end"] = [p.end for p in frame["period"]]
        frame = frame.drop(columns=["period"])
    return frame


def _rows_of_other_units(validated: ValidatedFile, only_unit: str) -> list[Finding]:
    findings = []
    for table in validated.tables:
        for unit, rows in table.frame.groupby("unit", sort=False):
            if unit == only_unit:
                continue
            numbers = [int(r) for r in rows["row"]]
            shown = "、".join(map(str, numbers[:5])) + ("等" if len(numbers) > 5 else "")
            findings.append(
                Finding(
                    Level.ERROR,
                    validated.name,
                    f"本账号只能报送「{only_unit}」的数据，文件中有「{unit}」的 {len(numbers)} 行（第{shown}行）。",
                    sheet=table.sheet,
                    row=numbers[0],
                    column_name="单位名称",
                    value=str(unit),
                )
            )
    return findings


_PRIOR_FIELDS = (
    ("appeals", "appeals_prev", "诉求量"),
    ("first_time_rate", "first_time_rate_prev", "一次性办好率"),
    ("resolution_rate", "resolution_rate_prev", "问题解决率"),
    ("satisfaction_rate", "satisfaction_rate_prev", "群众满意率"),
)


def _prior_year_conflicts(validated: ValidatedFile, store: Store) -> list[Finding]:
    """上年同期 values that disagree with the store's own rows a year earlier: the stored row wins (spec §3)."""
    tables = [t for t in validated.tables if t.kind.key == "hotline"]
    if not tables or not any(t.frame[prev].notna().any() for t in tables for _, prev, _ in _PRIOR_FIELDS):
        return []
    units = sorted({u for t in tables for u in t.frame["unit"] if u is not None})
    months = sorted({add_months(m, -12) for t in tables for m in t.frame["month"] if m is not None})
    stored = store.current_rows("hotline", units=units, months=months)
    if stored.empty:
        return []
    stored = stored.set_index(["unit", "month"])
    findings = []
    for table in tables:
        for record in table.frame.to_dict("records"):
            if record["month"] is None:
                continue
            key = (record["unit"], add_months(record["month"], -12))
            if key not in stored.index:
                continue
            before = stored.loc[key]
            for this, prev, label in _PRIOR_FIELDS:
                given, kept = record[prev], before[this]
                if given is None or kept is None or (isinstance(kept, float) and math.isnan(kept)):
                    continue
                if abs(float(given) - float(kept)) > 1e-9:
                    shown = (lambda v: f"{v:,.0f}") if this == "appeals" else (lambda v: f"{v * 100:.2f}%")
                    letter, header = table.headers.get(prev, (None, f"上年同期{label}"))
                    findings.append(
                        Finding(
                            Level.WARNING,
                            validated.name,
                            f"上年同期{label}填报为 {shown(given)}，但系统中 {month_label(key[1])} 的数据为 "
                            f"{shown(kept)}；同比按系统中的数据计算。",
                            sheet=table.sheet,
                            row=int(record["row"]),
                            column=letter,
                            column_name=header,
                            value=shown(given),
                        )
                    )
    return findings
