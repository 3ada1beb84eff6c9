"""The dataset every figure is worked out from: the store's rows loaded once (``load``), a ``Scope`` (year, months,
categories, units), the rows of a scope, and figures remembered per (dataset, scope) so a page that asks twice
works once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lingyi.contract import (
    SHEET_KINDS,
)
from lingyi.registry import Registry
from lingyi.store import Store

LEARNING_MEASURES = ("activities", "sessions", "lectures", "person_times")
RATES = ("first_time_rate", "resolution_rate", "satisfaction_rate")
RATE_NAMES = {"first_time_rate": "一次性办好率", "resolution_rate": "问题解决率", "satisfaction_rate": "群众满意率"}
MEMO_ENTRIES = 512  # scopes × figures; each a small frame, or one scope's rows of a kind


@dataclass(frozen=True)
class Scope:
    """What the figures are for: a year, through a month, optionally narrowed to categories and units."""

    year: int
    through: int  # 1..12
    categories: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # registry full names

    @property
    def first_month(self) -> int:
        return self.year * 100 + 1

    @property
    def last_month(self) -> int:
        return self.year * 100 + self.through

    @property
    def end_date(self) -> dt.date:
        return dt.date(self.year, self.through, calendar.monthrange(self.year, self.through)[1])

    @property
    def span_label(self) -> str:
        """「2025年1—10月」, how a chart title says when."""
        return f"{self.year}年1月" if self.through == 1 else f"{self.year}年1—{self.through}月"

    @property
    def as_of_label(self) -> str:
        """「截至2025年10月」: problems are counted to the end of the month, across all years."""
        return f"截至{self.year}年{self.through}月"

    def previous_year(self) -> Scope:
        return Scope(self.year - 1, self.through, self.categories, self.units)


@dataclass
class Dataset:
    """The current rows of every sheet kind, each with its unit's short name and category."""

    registry: Registry
    units: pd.DataFrame  # unit, short_name, category
    learning: pd.DataFrame
    hotline: pd.DataFrame
    problems: pd.DataFrame
    indicators: pd.DataFrame
    submissions: pd.DataFrame
    headcount: dict[str, int] = field(default_factory=dict)
    version: int = 0
    # 「会议版：名称（冻结于 时间）」 for a frozen snapshot (lingyi/metrics/snapshots.py); "" for the live store.
    label: str = ""
    # Figures already worked out for a scope. The dashboard shares one Dataset per data version among all
    # sessions, so a page asks for the same scope's rows many times over, and a leader going from one page to
    # the next with the same filters, or back to an earlier filter, finds them done.
    _memo: OrderedDict = field(default_factory=OrderedDict, init=False, repr=False, compare=False)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    def memo(self, key: tuple, compute):
        """``compute()``, once per key; the least recently used results are forgotten beyond ``MEMO_ENTRIES``."""
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute()  # outside the lock: two sessions may both compute a new scope, and get the same
        with self._memo_lock:
            self._memo[key] = value
            while len(self._memo) > MEMO_ENTRIES:
                self._memo.popitem(last=False)
        return value

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_memo"], state["_memo_lock"] = OrderedDict(), None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _memo_lock=threading.Lock())

    @property
    def empty(self) -> bool:
        return all(frame.empty for frame in (self.learning, self.hotline, self.problems, self.indicators))


def load(store: Store) -> Dataset:
    registry = store.registry()
    units = registry.frame[["unit", "short_name", "category"]]
    submissions = store.submissions()
    frames = {}
    for kind in SHEET_KINDS:
        rows = store.current_rows(kind.key, submissions)
        rows = rows.merge(units, on="unit", how="left")
        for column in ("date", "found_date", "resolved_date"):
            if column in rows:
                rows[column] = pd.to_datetime(rows[column])
        for column in ("first_time_rate", "resolution_rate", "satisfaction_rate", "target", "actual"):
            if column in rows:
                rows[column] = pd.to_numeric(rows[column])
        for column in ("appeals_prev", "lecturers"):
            if column in rows:
                rows[column] = pd.to_numeric(rows[column])
        frames[kind.key] = rows
    return Dataset(
        registry,
        units,
        frames["learning"],
        frames["hotline"],
        frames["problems"],
        frames["indicators"],
        submissions,
        store.headcounts(),
        store.data_version(),
    )


# -- remembered per scope ------------------------------------------------------------------------------------


def per_scope(compute):
    """Work a figure out once per (dataset, scope, arguments); every caller gets its own copy to change."""

    @functools.wraps(compute)
    def remembered(ds: Dataset, scope: Scope, *args):
        return _own_copy(ds.memo((compute.__name__, scope, *args), lambda: compute(ds, scope, *args)))

    return remembered


def _own_copy(value):
    # Frames are copied shallowly: with pandas' copy-on-write a change to the copy never reaches the original.
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(_own_copy(v) for v in value)
    if isinstance(value, dict | set):
        return type(value)(value)
    return value


# -- scope ---------------------------------------------------------------------------------------------------


def data_months(ds: Dataset) -> pd.Series:
    """Every month (yyyymm) in which some row has data."""
    parts = [ds.learning.get("month", pd.Series(dtype=int)), ds.hotline.get("month", pd.Series(dtype=int))]
    for column in ("found_date", "resolved_date"):
        dates = ds.problems.get(column, pd.Series(dtype="datetime64[ns]")).dropna()
        parts.append(dates.dt.year * 100 + dates.dt.month)
    months = (
        pd.concat([p.astype("int64") for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else pd.Series(dtype="int64")
    )
    return months


def years_with_data(ds: Dataset) -> list[int]:
    """Every year in which some row has data: a month of learning, hotline or problems, or an indicator's period."""
    months = data_months(ds)
    years = {int(m) // 100 for m in months}
    periods = ds.indicators
    if len(periods):
        same_year = periods[periods["period_start"] // 100 == periods["period_end"] // 100]
        years |= {int(m) // 100 for m in same_year["period_start"]}
    return sorted(years)


def default_year(ds: Dataset) -> int:
    years = years_with_data(ds)
    return years[-1] if years else dt.date.today().year


def latest_month(ds: Dataset, year: int) -> int:
    """The latest month of ``year`` with any data; 12 for a year without any."""
    months = data_months(ds)
    months = months[(months // 100) == year]
    return int(months.max() % 100) if len(months) else 12


def scoped_units(ds: Dataset, scope: Scope) -> pd.DataFrame:
    units = ds.units
    if scope.categories:
        units = units[units["category"].isin(scope.categories)]
    if scope.units:
        units = units[units["unit"].isin(scope.units)]
    return units


def in_units(frame: pd.DataFrame, ds: Dataset, scope: Scope) -> pd.DataFrame:
    if not scope.categories and not scope.units:
        return frame
    return frame[frame["unit"].isin(scoped_units(ds, scope)["unit"])]


def in_months(frame: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    return frame[(frame["month"] >= first) & (frame["month"] <= last)]


def ratio(numerator: float, denominator: float) -> float | None:
    return None if not denominator else numerator / denominator


# -- units reporting -----------------------------------------------------------------------------------------


@per_scope
def reporting_units(ds: Dataset, scope: Scope) -> set[str]:
    """Units with a live submission of any kind whose period overlaps months 1..M of the year."""
    subs = ds.submissions
    live = subs[(subs["period_start"] <= scope.last_month) & (subs["period_end"] >= scope.first_month)]
    return set(live["unit"]) & set(scoped_units(ds, scope)["unit"])


# -- coverage: who is still missing a month, and what that does to a year on year ------------------------------


# -- 学习活动 ------------------------------------------------------------------------------------------------


# -- 热线 ---------------------------------------------------------------------------------------------------


# -- 问题化解 ------------------------------------------------------------------------------------------------


# -- 指标完成 ------------------------------------------------------------------------------------------------


# -- the summary of spec §6 ----------------------------------------------------------------------------------


# -- for the pages: unit scores, indicator totals, one unit against its category -------------------------------


@per_scope
def learning_rows(ds: Dataset, scope: Scope) -> pd.DataFrame:
    return in_months(in_units(ds.learning, ds, scope), scope.first_month, scope.last_month)


def group_sums(keys: pd.Series, groups: list, columns: dict[str, np.ndarray]) -> tuple[np.ndarray, dict]:
    """Rows per group and each column's sum per group, in the order of ``groups``; keys outside ``groups`` ignored.

    Plain numpy (``bincount``) rather than a pandas group-by: a page asks for some twenty of these after each
    filter change, and on frames this size pandas' fixed cost per call is most of the time.
    """
    codes = pd.Index(groups).get_indexer(keys.astype(object))
    inside = codes >= 0
    codes = codes[inside]
    counts = np.bincount(codes, minlength=len(groups))
    sums = {name: np.bincount(codes, weights=values[inside], minlength=len(groups)) for name, values in columns.items()}
    return counts, sums


def group_labels(groups: list) -> list | pd.Series:
    """The groups as a frame's first column; with no groups, an empty column of names rather than of numbers."""
    return groups or pd.Series(dtype=object)


def floats(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype="float64", na_value=np.nan)


def quotient(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator ÷ denominator, NaN where the denominator is 0."""
    out = np.full(len(numerator), np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out
