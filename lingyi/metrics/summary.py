"""Figures across the themes: ``summary`` (what ``python -m lingyi summary --json`` prints), units' scores
and one unit's profile against its category."""

from __future__ import annotations

import pandas as pd

from lingyi.contract import (
    CATEGORIES,
    INDICATOR_TYPES,
)
from lingyi.metrics.coverage import COVERAGE_KINDS, coverage
from lingyi.metrics.dataset import (
    LEARNING_MEASURES,
    RATES,
    Dataset,
    Scope,
    per_scope,
    ratio,
    reporting_units,
    scoped_units,
)
from lingyi.metrics.hotline import hotline_by, hotline_totals
from lingyi.metrics.indicators import indicator_rows, indicator_totals, unit_indicator_completion
from lingyi.metrics.learning import learning_by, learning_totals
from lingyi.metrics.problems import problem_totals, problems_by


def _pct(fraction: float | None) -> float | None:
    return None if fraction is None or pd.isna(fraction) else round(fraction * 100, 2)


def summary(ds: Dataset, scope: Scope) -> dict:
    """The JSON object of ``python -m lingyi summary --json``."""
    learning = learning_by(ds, scope, "category").set_index("category")
    hotline = hotline_totals(ds, scope)
    problems = problem_totals(ds, scope)
    hotline_json: dict[str, object] = {
        "appeals": hotline["appeals"],
        "appeals_prev": hotline["appeals_prev"],
        "appeals_yoy_pct": _pct(hotline["appeals_yoy"]),
    }
    for rate in RATES:
        hotline_json[f"{rate}_pct"] = _pct(hotline[rate])
        hotline_json[f"{rate}_prev_pct"] = _pct(hotline[f"{rate}_prev"])
        hotline_json[f"{rate}_pp"] = _pct(hotline[f"{rate}_change"])

    def closure_json(frame: pd.DataFrame, key: str) -> dict:
        return {
            str(row[key]): {
                "found": int(row["found"]),
                "resolved": int(row["resolved"]),
                "closure_rate_pct": _pct(row["closure_rate"]),
            }
            for _, row in frame.iterrows()
        }

    indicators = indicator_rows(ds, scope)

    def met_json(part: pd.DataFrame) -> dict:
        met = int(part["met"].sum()) if len(part) else 0
        return {"count": len(part), "met": met, "met_pct": _pct(ratio(met, len(part)))}

    return {
        "year": scope.year,
        "through": f"{scope.year}-{scope.through:02d}",
        "units": {"registered": len(scoped_units(ds, scope)), "reporting": len(reporting_units(ds, scope))},
        "learning": {
            **learning_totals(ds, scope),
            "by_category": {
                category: {m: int(learning.loc[category, m]) for m in LEARNING_MEASURES} for category in CATEGORIES
            },
        },
        "hotline": hotline_json,
        "problems": {
            "units_screened": problems["units_screened"],
            "found": problems["found"],
            "resolved": problems["resolved"],
            "closure_rate_pct": _pct(problems["closure_rate"]),
            "by_category": closure_json(problems_by(ds, scope, "category"), "category"),
            "by_problem_type": closure_json(problems_by(ds, scope, "problem_type"), "problem_type"),
        },
        "indicators": {
            **met_json(indicators),
            "by_type": {
                kind: met_json(indicators[indicators["indicator_type"] == kind]) for kind in INDICATOR_TYPES.values
            },
            "by_category": {c: met_json(indicators[indicators["category"] == c]) for c in CATEGORIES},
        },
        "coverage": {kind: coverage(ds, scope, kind).json() for kind in COVERAGE_KINDS},
    }


# The one figure each theme ranks units by (a column of the frame ``unit_scores`` returns).
UNIT_SCORES = {
    "learning": "per_head",  # 人均参与人次: units without a known 在职人数 are not ranked
    "hotline": "satisfaction_rate",
    "problems": "closure_rate",
    "indicators": "mean_completion",
}


@per_scope
def unit_scores(ds: Dataset, scope: Scope, theme: str) -> pd.DataFrame:
    """Every unit in scope with a score on ``theme`` (see ``UNIT_SCORES``), best first; unscored units left out."""
    column = UNIT_SCORES[theme]
    if theme == "learning":
        frame = learning_by(ds, scope, "unit")
    elif theme == "hotline":
        frame = hotline_by(ds, scope, "unit")
    elif theme == "problems":
        frame = problems_by(ds, scope, "unit")
    else:
        units = scoped_units(ds, scope)
        completion = unit_indicator_completion(ds, scope)["mean_completion"]
        frame = units.assign(mean_completion=units["unit"].map(completion))
    frame = frame[["unit", "short_name", "category", column]].copy()
    frame[column] = pd.to_numeric(frame[column].astype("Float64"), errors="coerce").astype(float)
    frame = frame[frame[column].notna()]
    return frame.sort_values(column, ascending=False, kind="stable").reset_index(drop=True)


# The measures of the unit profile, per theme, in the order they are shown.
PROFILE_MEASURES = {
    "learning": ("activities", "person_times", "per_head"),
    "hotline": ("appeals", "appeals_yoy", "first_time_rate", "resolution_rate", "satisfaction_rate"),
    "problems": ("found", "resolved", "closure_rate"),
    "indicators": ("mean_completion", "met_rate"),
}


@per_scope
def unit_profile(ds: Dataset, scope: Scope, unit: str) -> pd.DataFrame:
    """One unit on every theme beside its category's average, for the months of ``scope`` (its filters ignored).

    The category's average of a count (activities, 诉求量, problems found …) is the mean over the category's
    units that have data on that theme; a rate or a per-head figure is the category's own, weighted as
    everywhere else (a hotline rate by 诉求量, per head as Σ参与人次 ÷ Σ在职人数, 化解率 as Σ化解 ÷ Σ发现).
    Columns: theme, measure, unit_value, category_value (NaN where there is nothing to show).
    """
    category = str(ds.units.loc[ds.units["unit"] == unit, "category"].iloc[0])
    theirs = Scope(scope.year, scope.through, categories=(category,))
    values: dict[str, tuple[object, object]] = {}

    learning_units = learning_by(ds, theirs, "unit")
    learning_mine = learning_units[learning_units["unit"] == unit].iloc[0]
    active = learning_units[learning_units["activities"] > 0]
    known = learning_units[learning_units["headcount"].notna()]
    for measure in ("activities", "person_times"):  # a unit without activities sent nothing: no value, not 0
        mine = learning_mine[measure] if learning_mine["has_data"] else None
        values[measure] = (mine, active[measure].mean() if len(active) else None)
    values["per_head"] = (
        learning_mine["per_head"],
        ratio(float(known["person_times"].sum()), float(known["headcount"].sum())),
    )

    hotline_units = hotline_by(ds, theirs, "unit")
    hotline_mine = hotline_units[hotline_units["unit"] == unit].iloc[0]
    hotline_category = hotline_totals(ds, theirs)
    reporting = hotline_units[hotline_units["has_current"]]
    values["appeals"] = (
        hotline_mine["appeals"] if hotline_mine["has_current"] else None,
        reporting["appeals"].mean() if len(reporting) else None,
    )
    for measure in ("appeals_yoy", *RATES):
        values[measure] = (hotline_mine[measure], hotline_category[measure])

    problem_units = problems_by(ds, theirs, "unit")
    problem_mine = problem_units[problem_units["unit"] == unit].iloc[0]
    screened = problem_units[problem_units["found"] > 0]
    problems_category = problem_totals(ds, theirs)
    for measure in ("found", "resolved"):
        mine = problem_mine[measure] if problem_mine["has_data"] else None
        values[measure] = (mine, screened[measure].mean() if len(screened) else None)
    values["closure_rate"] = (problem_mine["closure_rate"], problems_category["closure_rate"])

    completion = unit_indicator_completion(ds, theirs)
    totals = indicator_totals(ds, theirs).set_index("indicator_type").loc["全部"]
    for measure in ("mean_completion", "met_rate"):
        values[measure] = (completion[measure].get(unit), totals[measure])

    records = [
        {"theme": theme, "measure": measure, "unit_value": values[measure][0], "category_value": values[measure][1]}
        for theme, measures in PROFILE_MEASURES.items()
        for measure in measures
    ]
    frame = pd.DataFrame(records)
    for column in ("unit_value", "category_value"):
        frame[column] = pd.to_numeric(frame[column].astype(object).where(frame[column].notna()), errors="coerce")
        frame[column] = frame[column].astype(float)
    return frame
