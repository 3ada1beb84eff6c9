"""Indicators (spec §5): 共性指标 and 个性指标, target against actual, in the year in scope."""

from __future__ import annotations

import pandas as pd

from lingyi.contract import (
    INDICATOR_TYPES,
)
from lingyi.metrics.dataset import Dataset, Scope, in_units, latest_month, per_scope, ratio
from lingyi.values import Period

YEAR_TO_DATE = "年度指标，截至报送"  # how a figure for a period still running at the end of month M is shown


def period_label(start: int, end: int) -> str:
    """「2025年」, 「2025年1-10月」, 「2025年9月」: a statistical period as the contract writes it."""
    return Period(int(start), int(end)).label


def _indicators_in_year(ds: Dataset, scope: Scope) -> pd.DataFrame:
    """Indicator rows of units in scope whose statistical period lies in the scope's year."""
    rows = in_units(ds.indicators, ds, scope)
    return rows[(rows["period_start"] >= scope.first_month) & (rows["period_end"] <= scope.year * 100 + 12)]


@per_scope
def indicator_rows(ds: Dataset, scope: Scope) -> pd.DataFrame:
    """Each unit's indicators in scope (spec §5), one row per indicator, with completion.

    In scope is every period of the year that begins by the end of month M; one that runs past M
    (「2025年」 through October) counts as the latest figure reported, ``running`` and shown as ``YEAR_TO_DATE``.
    Of one indicator's periods in scope the one ending latest counts; of those ending alike the longest, once
    (2025年1-10月 over 2025年10月). ``period`` says which period a row is; ``period_text`` adds that it is running.
    """
    rows = _indicators_in_year(ds, scope)
    rows = rows[rows["period_start"] <= scope.last_month]
    if rows.empty:
        return rows.assign(
            completion=pd.Series(dtype="Float64"),
            met=pd.Series(dtype="boolean"),
            period=pd.Series(dtype=object),
            running=pd.Series(dtype=bool),
            period_text=pd.Series(dtype=object),
        )
    indicator = ["unit", "indicator_type", "indicator"]
    rows = rows[rows["period_end"] == rows.groupby(indicator)["period_end"].transform("max")]
    rows = rows[rows["period_start"] == rows.groupby(indicator)["period_start"].transform("min")].copy()
    higher = rows["direction"] != "越低越好"
    target, actual = rows["target"].astype("Float64"), rows["actual"].astype("Float64")
    completion = pd.Series(pd.NA, index=rows.index, dtype="Float64")
    up = higher & target.notna() & (target != 0)
    completion[up] = actual[up] / target[up]
    down = ~higher & target.notna() & (actual != 0)
    completion[down] = target[down] / actual[down]
    completion[~higher & target.notna() & (actual == 0)] = 1.0
    rows["completion"] = completion
    rows["met"] = (completion >= 1).astype("boolean")
    rows["period"] = [period_label(a, b) for a, b in zip(rows["period_start"], rows["period_end"])]
    rows["running"] = rows["period_end"] > scope.last_month
    rows["period_text"] = [f"{p}（{YEAR_TO_DATE}）" if r else p for p, r in zip(rows["period"], rows["running"])]
    return rows.sort_values(["category", "unit", "indicator_type", "indicator"]).reset_index(drop=True)


@per_scope
def indicator_periods_elsewhere(ds: Dataset, scope: Scope) -> pd.DataFrame:
    """The statistical periods of stored indicators of the units in scope that the scope's months leave out.

    One row per period, in order: ``period`` (its label), ``rows``, and the ``year`` and ``through`` month of
    the filter that shows it: the year's latest month with data where that takes the period in, else the period's
    last month (``None`` for a period across two years, which no year's figures take in).
    """
    rows = in_units(ds.indicators, ds, scope)
    inside = (
        (rows["period_start"] >= scope.first_month)
        & (rows["period_end"] <= scope.year * 100 + 12)
        & (rows["period_start"] <= scope.last_month)
    )
    left_out = rows[~inside]
    columns = ["period", "rows", "year", "through"]
    if left_out.empty:
        return pd.DataFrame(columns=columns)
    counted = left_out.groupby(["period_start", "period_end"]).size().reset_index(name="rows")
    records = []
    for start, end, count in zip(counted["period_start"], counted["period_end"], counted["rows"]):
        year, through = None, None
        if start // 100 == end // 100:  # the year's latest month with data, if that takes the period in
            year, latest = int(start // 100), latest_month(ds, int(start // 100))
            through = min(int(end % 100), latest) if latest >= start % 100 else int(end % 100)
        records.append({"period": period_label(start, end), "rows": int(count), "year": year, "through": through})
    return pd.DataFrame(records, columns=columns)


@per_scope
def indicators_by(ds: Dataset, scope: Scope, by: str) -> pd.DataFrame:
    """Indicators reported and met, and the mean completion, per category or unit and indicator type."""
    rows = indicator_rows(ds, scope)
    keys = [by, "indicator_type"]
    if rows.empty:
        return pd.DataFrame(columns=[*keys, "indicators", "met", "met_rate", "mean_completion"])
    frame = (
        rows.groupby(keys, observed=True)
        .agg(indicators=("indicator", "size"), met=("met", "sum"), mean_completion=("completion", "mean"))
        .reset_index()
    )
    frame["met"] = frame["met"].astype("int64")
    frame["met_rate"] = frame["met"] / frame["indicators"]
    return frame


@per_scope
def unit_indicator_completion(ds: Dataset, scope: Scope) -> pd.DataFrame:
    rows = indicator_rows(ds, scope)
    grouped = rows.groupby("unit").agg(
        indicators=("indicator", "size"), met=("met", "sum"), mean_completion=("completion", "mean")
    )
    grouped["met"] = grouped["met"].astype("int64")
    grouped["met_rate"] = grouped["met"] / grouped["indicators"]
    return grouped


@per_scope
def indicator_totals(ds: Dataset, scope: Scope) -> pd.DataFrame:
    """Indicators reported and met, 达标率, mean completion and how many are still running: 共性指标, 个性指标, 全部."""
    rows = indicator_rows(ds, scope)
    records = []
    for name, part in (*((t, rows[rows["indicator_type"] == t]) for t in INDICATOR_TYPES.values), ("全部", rows)):
        met = int(part["met"].sum()) if len(part) else 0
        completion = part["completion"].mean() if len(part) else None
        records.append(
            {
                "indicator_type": name,
                "indicators": len(part),
                "met": met,
                "met_rate": ratio(met, len(part)),
                "mean_completion": None if completion is None or pd.isna(completion) else float(completion),
                "running": int(part["running"].sum()) if len(part) else 0,
            }
        )
    return pd.DataFrame(records)
