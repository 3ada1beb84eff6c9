"""The 12345 hotline (spec §5): appeals and the three rates weighted by appeals, this year against the same
(unit, month) pairs last year; a rate's change in 个百分点."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lingyi.contract import (
    CATEGORIES,
)
from lingyi.metrics.coverage import pairs_in
from lingyi.metrics.dataset import (
    RATES,
    Dataset,
    Scope,
    floats,
    group_labels,
    group_sums,
    in_months,
    in_units,
    per_scope,
    quotient,
    ratio,
    scoped_units,
)


@per_scope
def hotline_pairs(ds: Dataset, scope: Scope) -> tuple[pd.DataFrame, pd.DataFrame]:
    """This year's rows for months 1..M and last year's for the same units and months (同口径).

    Last year's figures for a unit and month come from the store's own row where there is one, and else
    from the 上年同期 columns of this year's row (spec §3).
    """
    rows = in_units(ds.hotline, ds, scope)
    current = in_months(rows, scope.first_month, scope.last_month)
    stored_prev = in_months(rows, scope.first_month - 100, scope.last_month - 100)
    # Like for like (spec §5): last year counts only the (unit, month) pairs this year has a figure for, so a unit
    # whose October is not in yet is compared over January–September.
    stored_prev = stored_prev[pairs_in(stored_prev, set(zip(current["unit"], current["month"] - 100)))]
    stored_keys = set(zip(stored_prev["unit"], stored_prev["month"] + 100))
    fallback = current[
        np.array([(u, m) not in stored_keys for u, m in zip(current["unit"], current["month"])], dtype=bool)
        & current["appeals_prev"].notna().to_numpy()
    ]
    fallback = pd.DataFrame(
        {
            "unit": fallback["unit"],
            "category": fallback["category"],
            "month": fallback["month"] - 100,
            "appeals": fallback["appeals_prev"],
            **{rate: fallback[f"{rate}_prev"] for rate in RATES},
        }
    )
    columns = ["unit", "category", "month", "appeals", *RATES]
    previous = pd.concat([stored_prev[columns], fallback[columns]], ignore_index=True)
    return current[columns].reset_index(drop=True), previous


def _weighted_rate(rows: pd.DataFrame, rate: str) -> float | None:
    """A rate over several months or units, weighted by 诉求量."""
    known = rows[rows[rate].notna()]
    weight = known["appeals"].astype(float)
    return ratio(float((known[rate] * weight).sum()), float(weight.sum()))


def hotline_figures(current: pd.DataFrame, previous: pd.DataFrame) -> dict[str, float | int | None]:
    appeals = int(current["appeals"].sum())
    appeals_prev = int(previous["appeals"].sum())
    figures: dict[str, float | int | None] = {
        "appeals": appeals,
        "appeals_prev": appeals_prev if len(previous) else None,
        "appeals_yoy": ratio(appeals - appeals_prev, appeals_prev) if len(current) and len(previous) else None,
        "has_current": bool(len(current)),
        "has_previous": bool(len(previous)),
    }
    for rate in RATES:
        now, before = _weighted_rate(current, rate), _weighted_rate(previous, rate)
        figures[rate] = now
        figures[f"{rate}_prev"] = before
        figures[f"{rate}_change"] = None if now is None or before is None else now - before
    return figures


@per_scope
def hotline_totals(ds: Dataset, scope: Scope) -> dict[str, float | int | None]:
    return hotline_figures(*hotline_pairs(ds, scope))


def _hotline_sums(rows: pd.DataFrame, keys: pd.Series, groups: list) -> tuple[np.ndarray, dict]:
    """Per group: rows, Σ诉求量, and for each rate Σ(rate × 诉求量) and Σ诉求量 over the rows that give the rate."""
    appeals = floats(rows["appeals"])
    columns = {"appeals": appeals}
    for rate in RATES:
        values = floats(rows[rate])
        known = ~np.isnan(values)
        columns[f"{rate}_weight"] = np.where(known, appeals, 0.0)
        columns[f"{rate}_weighted"] = np.where(known, values * appeals, 0.0)
    return group_sums(keys, groups, columns)


@per_scope
def hotline_by(ds: Dataset, scope: Scope, by: str) -> pd.DataFrame:
    """Hotline figures this year against last per category, unit or month (1..M): the columns of hotline_figures."""
    current, previous = hotline_pairs(ds, scope)
    if by == "month":
        groups: list = list(range(1, scope.through + 1))
        keys = (current["month"] % 100, previous["month"] % 100)
    elif by == "category":
        groups = list(CATEGORIES)
        keys = (current["category"], previous["category"])
    else:
        groups = list(scoped_units(ds, scope)["unit"])
        keys = (current["unit"], previous["unit"])
    rows_now, now = _hotline_sums(current, keys[0], groups)
    rows_before, before = _hotline_sums(previous, keys[1], groups)
    appeals, appeals_prev = now["appeals"].astype("int64"), before["appeals"].astype("int64")
    has_current, has_previous = rows_now > 0, rows_before > 0
    yoy = quotient((appeals - appeals_prev).astype("float64"), appeals_prev.astype("float64"))
    columns: dict[str, object] = {
        by: group_labels(groups),
        "appeals": appeals,
        "appeals_prev": appeals_prev,
        "appeals_yoy": np.where(has_current & has_previous, yoy, np.nan),
        "has_current": has_current,
        "has_previous": has_previous,
    }
    for rate in RATES:
        this = quotient(now[f"{rate}_weighted"], now[f"{rate}_weight"])
        last = quotient(before[f"{rate}_weighted"], before[f"{rate}_weight"])
        columns[rate], columns[f"{rate}_prev"], columns[f"{rate}_change"] = this, last, this - last
    frame = pd.DataFrame(columns)
    if by == "unit" and not frame.empty:
        units = ds.units.set_index("unit")
        frame.insert(1, "short_name", frame["unit"].map(units["short_name"]))
        frame.insert(2, "category", frame["unit"].map(units["category"]))
    return frame
