"""Problem closure (spec §5): found, resolved and 化解率 by category, type and stage, cumulative by month,
against the 90% target; the problems still open."""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import pandas as pd

from lingyi.contract import (
    CATEGORIES,
    CLOSURE_TARGET,
    PROBLEM_STAGES,
    RESOLVED,
    UNTYPED_PROBLEM,
)
from lingyi.metrics.dataset import Dataset, Scope, group_labels, group_sums, in_units, per_scope, ratio, scoped_units


@per_scope
def problem_rows(ds: Dataset, scope: Scope) -> pd.DataFrame:
    """Problems found by the end of month M (of any year), with whether each was resolved by then."""
    rows = in_units(ds.problems, ds, scope)
    end = pd.Timestamp(scope.end_date)
    rows = rows[rows["found_date"] <= end].copy()
    rows["resolved"] = (rows["status"] == RESOLVED) & (rows["resolved_date"] <= end)
    return rows


def _closure(rows: pd.DataFrame) -> dict[str, int | float | None]:
    found, resolved = len(rows), int(rows["resolved"].sum())
    return {"found": found, "resolved": resolved, "closure_rate": ratio(resolved, found)}


@per_scope
def problem_totals(ds: Dataset, scope: Scope) -> dict[str, int | float | None]:
    rows = problem_rows(ds, scope)
    return {"units_screened": int(rows["unit"].nunique()), **_closure(rows)}


@per_scope
def problems_by(ds: Dataset, scope: Scope, by: str) -> pd.DataFrame:
    """Found, resolved and 化解率 per category (all six), problem type, unit (in scope) or stage."""
    rows = problem_rows(ds, scope)
    if by == "category":
        groups: list = list(CATEGORIES)
        keys = rows["category"]
    elif by == "unit":
        groups = list(scoped_units(ds, scope)["unit"])
        keys = rows["unit"]
    elif by == "stage":
        groups = list(PROBLEM_STAGES.values)
        keys = rows["stage"]
    else:
        keys = rows["problem_type"].fillna(UNTYPED_PROBLEM)
        sizes = keys.value_counts()
        groups = sorted(sizes.index, key=lambda t: (t == UNTYPED_PROBLEM, -int(sizes[t]), t))
    found, sums = group_sums(keys, groups, {"resolved": rows["resolved"].to_numpy(dtype="float64")})
    frame = pd.DataFrame(
        {by: group_labels(groups), "found": found.astype("int64"), "resolved": sums["resolved"].astype("int64")}
    )
    frame["closure_rate"] = frame["resolved"] / frame["found"].where(frame["found"] > 0)
    frame["closure_rate"] = frame["closure_rate"].astype("Float64")
    frame["below_target"] = frame["closure_rate"] < CLOSURE_TARGET
    frame["has_data"] = frame["found"] > 0  # no problem found: nothing sent, 尚无报送
    if by == "unit" and not frame.empty:
        units = ds.units.set_index("unit")
        frame.insert(1, "short_name", frame["unit"].map(units["short_name"]))
        frame.insert(2, "category", frame["unit"].map(units["category"]))
    return frame


@per_scope
def problems_cumulative(ds: Dataset, scope: Scope) -> pd.DataFrame:
    """Found and resolved to date at the end of each month 1..M of the year."""
    rows = problem_rows(ds, scope)
    records = []
    for month in range(1, scope.through + 1):
        end = pd.Timestamp(dt.date(scope.year, month, calendar.monthrange(scope.year, month)[1]))
        found = int((rows["found_date"] <= end).sum())
        resolved = int((rows["resolved"] & (rows["resolved_date"] <= end)).sum())
        records.append({"month": month, "found": found, "resolved": resolved, "closure_rate": ratio(resolved, found)})
    return pd.DataFrame(records, columns=["month", "found", "resolved", "closure_rate"])


OPEN_PROBLEM_COLUMNS = (
    "unit",
    "short_name",
    "category",
    "number",
    "description",
    "problem_type",
    "found_date",
    "status_then",
    "stage",
    "days_open",
)


@per_scope
def open_problems(ds: Dataset, scope: Scope) -> pd.DataFrame:
    """Problems not resolved by the end of month M, oldest first, with the days they have been open."""
    rows = problem_rows(ds, scope)
    rows = rows[~rows["resolved"]].copy()
    rows["days_open"] = (pd.Timestamp(scope.end_date) - rows["found_date"]).dt.days.astype("int64")
    rows["status_then"] = np.where(rows["status"] == RESOLVED, "化解中", rows["status"])
    return rows.sort_values(["found_date", "unit"])[list(OPEN_PROBLEM_COLUMNS)].reset_index(drop=True)


def units_below_target(ds: Dataset, scope: Scope, target: float = CLOSURE_TARGET) -> pd.DataFrame:
    """Units in scope that found problems and resolved fewer than ``target`` of them, lowest 化解率 first."""
    frame = problems_by(ds, scope, "unit")
    below = frame[(frame["found"] > 0) & (frame["closure_rate"] < target).fillna(False)]
    return below.sort_values(["closure_rate", "found"], ascending=[True, False]).reset_index(drop=True)
