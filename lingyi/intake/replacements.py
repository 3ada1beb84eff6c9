"""What a file would replace, said before it is stored (spec §4): no replacement the analyst does not see.

A file's submissions are held against the live submissions of the same units and kinds:

- a 学习活动 or 热线指标 submission takes over every month of its period, so each earlier submission that counts
  for one of those months now is replaced there: 「将替换 7 份报送（2—8月，18 行 → 7 行）」, with each earlier one's
  unit, kind, period, file and #id, and what the unit's figure becomes (参与人次 or 诉求量, before → after);
- a submission whose rows equal those of the one that counts now for the same unit, kind and period changes
  nothing, whatever its bytes (a return re-saved in Excel or WPS): a file made only of such is 无变化.

A file whose period was inferred from its rows and that would replace more than one earlier submission, or shrink
a unit's rows for the period, must be confirmed before it is stored (``Plan.needs_confirmation``): the upload desk
holds it with the list shown. Problem ledgers update problems by key and indicators by their own period, so
neither replaces a whole submission; both can still be 无变化.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from lingyi.contract import SHEET_KIND_BY_KEY, TICKETS_SOURCE
from lingyi.store import ROW_TABLES, ROW_VALUES, NewSubmission, month_owner_ids, row_values
from lingyi.values import Period, missing, months_between

MONTHLY_KINDS = ("learning", "hotline")
# The figure of a unit a replacement changes, per kind: (row column, name, unit of measure).
MEASURES = {"learning": ("person_times", "参与人次", "人次"), "hotline": ("appeals", "诉求量", "件")}


class StoreView(Protocol):
    """What the plan reads: a ``Store``, or the ``Batch`` a file is stored in (which sees the batch's files)."""

    def live_submissions_of(self, units: list[str], kinds: list[str]) -> list[dict]: ...

    def submission_rows(self, kind: str, submission_ids: list[int]) -> dict[int, list[tuple]]: ...


@dataclass(frozen=True)
class Replaced:
    """An earlier submission a file takes the place of, in the months it counts for now."""

    id: int
    unit: str
    kind: str
    period: Period
    file: str
    rows: int  # its rows that count now in the months taken over

    def __str__(self) -> str:
        return f"#{self.id} {self.unit} {SHEET_KIND_BY_KEY[self.kind].name} {self.period.label}「{self.file}」"


@dataclass(frozen=True)
class Replacement:
    """One new submission and the earlier ones it replaces."""

    unit: str
    kind: str
    period: Period
    declared: bool
    replaced: tuple[Replaced, ...]
    rows_before: int
    rows_after: int
    before: int | None  # the unit's figure (MEASURES) over the period now, and with the file
    after: int | None

    @property
    def summary(self) -> str:
        """「将替换 7 份报送（2—8月，18 行 → 7 行）」"""
        return f"将替换 {len(self.replaced)} 份报送（{_months_text(self.period)}，{self.rows_before} 行 → {self.rows_after} 行）"

    @property
    def figure_change(self) -> str:
        """「参与人次 1,234 → 567」: what the unit's figure over the period becomes; "" for kinds without one."""
        if self.kind not in MEASURES or self.before is None or self.after is None:
            return ""
        _, name, unit = MEASURES[self.kind]
        return f"{name} {self.before:,} → {self.after:,} {unit}"

    @property
    def shrinks(self) -> bool:
        return self.rows_after < self.rows_before

    def lines(self) -> list[str]:
        """The whole statement: who, what, the summary and the change of figure; then each submission replaced."""
        change = f"，{self.figure_change}" if self.figure_change else ""
        kind = SHEET_KIND_BY_KEY[self.kind].name
        return [f"{self.unit} {kind}：{self.summary}{change}：", *(f"  {r}（{r.rows} 行）" for r in self.replaced)]


@dataclass
class Plan:
    """What storing a file would do to what is stored."""

    replacements: list[Replacement] = field(default_factory=list)
    # The file of the stored submissions a file's data equal, where every submission of the file equals one.
    same_as: str | None = None

    @property
    def needs_confirmation(self) -> bool:
        """Held for the analyst (spec §4): an inferred period replacing more than one submission, or fewer rows."""
        return any(not r.declared and (len(r.replaced) > 1 or r.shrinks) for r in self.replacements)

    @property
    def held_reason(self) -> str:
        reasons = []
        for r in self.replacements:
            if r.declared:
                continue
            if len(r.replaced) > 1:
                reasons.append(f"{r.unit} 的期间是按数据推断的，却要替换 {len(r.replaced)} 份报送")
            elif r.shrinks:
                reasons.append(f"{r.unit} 该期间的数据将从 {r.rows_before} 行减少到 {r.rows_after} 行")
        return "；".join(dict.fromkeys(reasons))


def plan(view: StoreView, submissions: Sequence[NewSubmission]) -> Plan:
    """What ``submissions`` (one file's) would replace in ``view``, and whether they change anything at all."""
    units = sorted({s.unit for s in submissions})
    kinds = sorted({s.kind for s in submissions})
    if not submissions:
        return Plan()
    live = view.live_submissions_of(units, kinds)
    if not live:
        return Plan()
    by_pair: dict[tuple[str, str], list[dict]] = {}
    for sub in live:
        by_pair.setdefault((sub["unit"], sub["kind"]), []).append(sub)

    found = Plan()
    twins: list[str | None] = []
    counted_ids: dict[str, set[int]] = {}
    pending: list[tuple[NewSubmission, list[tuple[dict, list[int]]], dict | None]] = []
    for new in submissions:
        # A ticket export and a unit's own return are two sources of a 热线 month, which counts is a setting:
        # neither replaces the other.
        tickets = new.source == TICKETS_SOURCE
        earlier = [s for s in by_pair.get((new.unit, new.kind), []) if (s["source"] == TICKETS_SOURCE) == tickets]
        taken = _taken_over(new, earlier) if new.kind in MONTHLY_KINDS else []
        twin = _twin_candidate(new, earlier)
        pending.append((new, taken, twin))
        ids = {sub["id"] for sub, _ in taken} | ({twin["id"]} if twin else set())
        counted_ids.setdefault(new.kind, set()).update(ids)
    rows = {kind: view.submission_rows(kind, sorted(ids)) if ids else {} for kind, ids in counted_ids.items()}

    for new, taken, twin in pending:
        stored = rows.get(new.kind, {})
        twins.append(twin["name"] if twin and _same_rows(stored.get(twin["id"], []), new) else None)
        if not taken:
            continue
        measure = MEASURES[new.kind][0]
        position = ROW_VALUES[new.kind].index("month")
        value_at = ROW_VALUES[new.kind].index(measure)
        replaced, rows_before, before = [], 0, 0
        for sub, months in taken:
            mine = [row for row in stored.get(sub["id"], []) if row[position] in months]
            rows_before += len(mine)
            before += sum(int(row[value_at]) for row in mine)
            replaced.append(
                Replaced(
                    sub["id"],
                    new.unit,
                    new.kind,
                    Period(sub["period_start"], sub["period_end"]),
                    sub["name"],
                    len(mine),
                )
            )
        found.replacements.append(
            Replacement(
                new.unit,
                new.kind,
                new.period,
                new.declared,
                tuple(replaced),
                rows_before,
                new.row_count,
                before,
                sum(int(value) for value in new.rows[measure] if not missing(value)),
            )
        )
    if twins and all(twins):
        found.same_as = twins[0]
        found.replacements = []
    return found


def _taken_over(new: NewSubmission, earlier: list[dict]) -> list[tuple[dict, list[int]]]:
    """The earlier submissions that count now for some month of ``new``'s period, with those months."""
    months = set(months_between(new.period.start, new.period.end))
    covering = [s for s in earlier if s["period_start"] <= new.period.end and s["period_end"] >= new.period.start]
    owners = month_owner_ids((s["id"], s["seq"], s["unit"], s["period_start"], s["period_end"]) for s in covering)
    held: dict[int, list[int]] = {}
    for (_, month), sid in owners.items():
        if month in months:
            held.setdefault(sid, []).append(month)
    return [(s, sorted(held[s["id"]])) for s in covering if s["id"] in held]


def _twin_candidate(new: NewSubmission, earlier: list[dict]) -> dict | None:
    """The stored submission a file must equal to change nothing: the newest one of the unit and kind overlapping
    the period (for a ledger the newest of all, as a later ledger may have moved its problems on), if its period
    is the same."""
    if new.kind == "problems":
        candidates = earlier
    else:
        candidates = [s for s in earlier if s["period_start"] <= new.period.end and s["period_end"] >= new.period.start]
    if not candidates:
        return None
    newest = max(candidates, key=lambda s: s["seq"])
    same_period = (newest["period_start"], newest["period_end"]) == (new.period.start, new.period.end)
    return newest if same_period and newest["rows"] == new.row_count else None


def _same_rows(stored: Iterable[tuple], new: NewSubmission) -> bool:
    values = row_values(ROW_TABLES[new.kind], new.rows, 0)
    fresh = list(zip(*(values[name] for name in ROW_VALUES[new.kind])))
    return sorted(map(_comparable, stored)) == sorted(map(_comparable, fresh))


def _comparable(row: tuple) -> tuple:
    return tuple(_cell(value) for value in row)


def _cell(value: object) -> tuple[int, object]:
    """A value as it compares across the store's round trip: dates as dates, numbers as floats, missing as None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return (0, "")
    if isinstance(value, pd.Timestamp | dt.datetime):
        return (1, value.date().isoformat())
    if isinstance(value, dt.date):
        return (1, value.isoformat())
    if isinstance(value, bool):
        return (2, float(value))
    if isinstance(value, int | float):
        return (2, round(float(value), 9))
    if hasattr(value, "item"):  # a numpy scalar
        return _cell(value.item())
    return (3, str(value))


def _months_text(period: Period) -> str:
    """「2—8月」 within a year, 「2024年11月—2025年2月」 across years, 「10月」 for one month."""
    y1, m1, y2, m2 = period.start // 100, period.start % 100, period.end // 100, period.end % 100
    if period.start == period.end:
        return f"{m1}月"
    if y1 == y2:
        return f"{m1}—{m2}月"
    return f"{y1}年{m1}月—{y2}年{m2}月"
