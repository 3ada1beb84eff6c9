"""Learning participation (spec §5): activities, sessions, lectures and person-times, in total, by group and
against last year's like-for-like months."""

from __future__ import annotations

import pandas as pd

from lingyi.contract import (
    CATEGORIES,
)
from lingyi.metrics.coverage import pairs_in, reported_months
from lingyi.metrics.dataset import (
    LEARNING_MEASURES,
    Dataset,
    Scope,
    floats,
    group_labels,
    group_sums,
    learning_rows,
    per_scope,
    scoped_units,
)


def _learning_totals(rows: pd.DataFrame) -> dict[str, int]:
    return {
        "activities": len(rows),
        "sessions": int(rows["sessions"].sum()),
        "lectures": int(rows["lectures"].sum()),
        "person_times": int(rows["person_times"].sum()),
    }


def learning_totals(ds: Dataset, scope: Scope) -> dict[str, int]:
    return _learning_totals(learning_rows(ds, scope))


@per_scope
def learning_previous_totals(ds: Dataset, scope: Scope) -> dict[str, int] | None:
    """Last year's learning over the (unit, month) pairs reported this year (同口径); None where there is none."""
    pairs = {(unit, month - 100) for unit, month in reported_months(ds, scope, "learning")}
    rows = learning_rows(ds, scope.previous_year())
    rows = rows[pairs_in(rows, pairs)]
    return _learning_totals(rows) if len(rows) else None


@per_scope
def learning_by(ds: Dataset, scope: Scope, by: str) -> pd.DataFrame:
    """Activities, sessions, lectures and person-times per category, unit, theme, form or month.

    Categories are always all six; units are those in scope (with 在职人数 and per-head figures where known and
    the unit reported learning); months run 1..M. ``has_data``: the group has activities — one without sent
    nothing, and its zeros are 尚无报送, never the least.
    """
    rows = learning_rows(ds, scope)
    if by == "category":
        groups: list = list(CATEGORIES)
        keys = rows["category"]
    elif by == "unit":
        units = scoped_units(ds, scope)
        groups = list(units["unit"])
        keys = rows["unit"]
    elif by == "month":
        groups = list(range(1, scope.through + 1))
        keys = rows["month"] % 100
    else:
        keys = rows[by].fillna("未填写")
        groups = sorted(keys.unique())
    counts, sums = group_sums(keys, groups, {m: floats(rows[m]) for m in LEARNING_MEASURES[1:]})
    frame = pd.DataFrame(
        {by: group_labels(groups), "activities": counts, **{m: sums[m] for m in LEARNING_MEASURES[1:]}}
    )
    frame[list(LEARNING_MEASURES)] = frame[list(LEARNING_MEASURES)].astype("int64")
    frame["has_data"] = frame["activities"] > 0  # a group without activities sent nothing: 尚无报送, not 0
    if by == "category":
        frame["category"] = pd.Categorical(CATEGORIES, categories=CATEGORIES, ordered=True)
    elif by == "unit":
        frame.insert(1, "short_name", units["short_name"].to_numpy())
        frame.insert(2, "category", units["category"].to_numpy())
        frame["headcount"] = frame["unit"].map(ds.headcount).astype("Float64")
        frame["per_head"] = (frame["person_times"] / frame["headcount"]).astype("Float64").where(frame["has_data"])
    return frame
