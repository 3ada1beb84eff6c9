"""The figures of spec §5, in pure pandas: one dataset in, frames and numbers out.

Every page and the command line's ``summary`` go through these functions, so a
figure on a page is the figure ``python -m lingyi summary`` prints for the same scope.
Rates are fractions here (0.9372); pages and the JSON turn them into percentages.
A figure that cannot be computed is ``None`` (NaN in a frame), never 0.
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
    CATEGORIES,
    CLOSURE_TARGET,
    INDICATOR_TYPES,
    PROBLEM_STAGES,
    RESOLVED,
    SHEET_KINDS,
    UNTYPED_PROBLEM,
)
from lingyi.registry import Registry
from lingyi.store import Store
from lingyi.values import Period, months_between

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
    # 「会议版：名称（冻结于 时间）」 for a frozen snapshot (lingyi/snapshots.py); "" for the live store.
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


def _per_scope(compute):
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


def _in_units(frame: pd.DataFrame, ds: Dataset, scope: Scope) -> pd.DataFrame:
    if not scope.categories and not scope.units:
        return frame
    return frame[frame["unit"].isin(scoped_units(ds, scope)["unit"])]


def _months(frame: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    return frame[(frame["month"] >= first) & (frame["month"] <= last)]


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if not denominator else numerator / denominator


# -- units reporting -----------------------------------------------------------------------------------------


@_per_scope
def reporting_units(ds: Dataset, scope: Scope) -> set[str]:
    """Units with a live submission of any kind whose period overlaps months 1..M of the year."""
    subs = ds.submissions
    live = subs[(subs["period_start"] <= scope.last_month) & (subs["period_end"] >= scope.first_month)]
    return set(live["unit"]) & set(scoped_units(ds, scope)["unit"])


# -- coverage: who is still missing a month, and what that does to a year on year ------------------------------

COVERAGE_KINDS = ("hotline", "learning")


@dataclass(frozen=True)
class Coverage:
    """Spec §5–6: for one kind, who was expected and who reported the latest month in scope.

    ``gaps`` counts, per month of the scope, the expected units missing it that reported the month before or had
    it last year: the units whose absence the like-for-like year on year leaves out on both sides.
    """

    kind: str
    month: int  # yyyymm, the latest month in scope
    expected: int
    reported: int
    missing: tuple[str, ...]  # short names, registry order
    gaps: tuple[tuple[int, int], ...]  # (month 1..12, units), months in order

    def json(self) -> dict:
        return {
            "month": f"{self.month // 100}-{self.month % 100:02d}",
            "expected": self.expected,
            "reported": self.reported,
            "missing": list(self.missing),
        }

    @property
    def note(self) -> str:
        """「10月尚有 2 家单位未报送，同比按同口径计算」 beside a year on year; "" when no month is short."""
        if not self.gaps:
            return ""
        if len(self.gaps) == 1:
            ((month, count),) = self.gaps
            return f"{month}月尚有 {count} 家单位未报送，同比按同口径计算"
        # Runs of months short by the same number of units: 「2月、4—9月各有 1 家，10月有 2 家」.
        runs: list[list[int]] = []  # [first, last, count]
        for month, count in self.gaps:
            if runs and runs[-1][1] == month - 1 and runs[-1][2] == count:
                runs[-1][1] = month
            else:
                runs.append([month, month, count])
        by_count: dict[int, list[str]] = {}
        for first, last, count in runs:
            by_count.setdefault(count, []).append(f"{first}月" if first == last else f"{first}—{last}月")
        parts = [
            "、".join(months) + (f"各有 {count} 家" if len(months) > 1 or "—" in months[0] else f"有 {count} 家")
            for count, months in by_count.items()
        ]
        return f"{'，'.join(parts)}单位未报送，同比按同口径计算"


def expected_units(ds: Dataset, scope: Scope, kind: str) -> pd.DataFrame:
    """The scope's registry units that send ``kind``: those marked 不涉及 for it are neither expected nor chased."""
    units = scoped_units(ds, scope)
    exempt = {unit.name for unit in ds.registry.units if kind in unit.exempt}
    return units[~units["unit"].isin(exempt)] if exempt else units


@_per_scope
def coverage(ds: Dataset, scope: Scope, kind: str) -> Coverage:
    expected = expected_units(ds, scope, kind)
    names = list(expected["unit"])
    now = reported_months(ds, scope, kind)
    before = reported_months(ds, scope.previous_year(), kind)
    gaps = []
    for month in months_between(scope.first_month, scope.last_month):
        short = [
            unit
            for unit in names
            if (unit, month) not in now and ((unit, month - 1) in now or (unit, month - 100) in before)
        ]
        if short:
            gaps.append((month % 100, len(short)))
    latest = scope.last_month
    missing = expected[[(unit, latest) not in now for unit in names]]
    return Coverage(
        kind,
        latest,
        expected=len(names),
        reported=len(names) - len(missing),
        missing=tuple(missing["short_name"]),
        gaps=tuple(gaps),
    )


def like_for_like_notes(ds: Dataset, scope: Scope) -> dict[str, str]:
    """Per kind of ``COVERAGE_KINDS``, the note a year on year carries beside it ("" where every month is in)."""
    return {kind: coverage(ds, scope, kind).note for kind in COVERAGE_KINDS}


# -- 学习活动 ------------------------------------------------------------------------------------------------


@_per_scope
def learning_rows(ds: Dataset, scope: Scope) -> pd.DataFrame:
    return _months(_in_units(ds.learning, ds, scope), scope.first_month, scope.last_month)


def _pairs_in(rows: pd.DataFrame, pairs: set[tuple[str, int]]) -> np.ndarray:
    """Which rows' (unit, month) is one of ``pairs``."""
    return np.fromiter(((u, int(m)) in pairs for u, m in zip(rows["unit"], rows["month"])), dtype=bool, count=len(rows))


@_per_scope
def reported_months(ds: Dataset, scope: Scope, kind: str) -> set[tuple[str, int]]:
    """The (unit, yyyymm) pairs of months 1..M that have a figure of ``kind`` this year.

    A 热线 month has a figure where the unit's row for it counts; a learning month where a live learning
    submission of the unit covers it (a month without activities in a return for 1—10月 is a reported 0) or the
    unit has an activity in it.
    """
    units = set(scoped_units(ds, scope)["unit"])
    if kind == "hotline":
        rows = _months(ds.hotline, scope.first_month, scope.last_month)
        return {(u, int(m)) for u, m in zip(rows["unit"], rows["month"]) if u in units}
    rows = learning_rows(ds, scope)
    pairs = {(u, int(m)) for u, m in zip(rows["unit"], rows["month"])}
    subs = ds.submissions[ds.submissions["kind"] == kind]
    for unit, start, end in zip(subs["unit"], subs["period_start"], subs["period_end"]):
        if unit in units:
            first, last = max(int(start), scope.first_month), min(int(end), scope.last_month)
            pairs.update((unit, month) for month in months_between(first, last))
    return pairs


def _learning_totals(rows: pd.DataFrame) -> dict[str, int]:
    return {
        "activities": len(rows),
        "sessions": int(rows["sessions"].sum()),
        "lectures": int(rows["lectures"].sum()),
        "person_times": int(rows["person_times"].sum()),
    }


def learning_totals(ds: Dataset, scope: Scope) -> dict[str, int]:
    return _learning_totals(learning_rows(ds, scope))


@_per_scope
def learning_previous_totals(ds: Dataset, scope: Scope) -> dict[str, int] | None:
    """Last year's learning over the (unit, month) pairs reported this year (同口径); None where there is none."""
    pairs = {(unit, month - 100) for unit, month in reported_months(ds, scope, "learning")}
    rows = learning_rows(ds, scope.previous_year())
    rows = rows[_pairs_in(rows, pairs)]
    return _learning_totals(rows) if len(rows) else None


@_per_scope
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
    counts, sums = _group_sums(keys, groups, {m: _floats(rows[m]) for m in LEARNING_MEASURES[1:]})
    frame = pd.DataFrame({by: _labels(groups), "activities": counts, **{m: sums[m] for m in LEARNING_MEASURES[1:]}})
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


# -- 热线 ---------------------------------------------------------------------------------------------------


@_per_scope
def hotline_pairs(ds: Dataset, scope: Scope) -> tuple[pd.DataFrame, pd.DataFrame]:
    """This year's rows for months 1..M and last year's for the same units and months (同口径).

    Last year's figures for a unit and month come from the store's own row where there is one, and else
    from the 上年同期 columns of this year's row (spec §3).
    """
    rows = _in_units(ds.hotline, ds, scope)
    current = _months(rows, scope.first_month, scope.last_month)
    stored_prev = _months(rows, scope.first_month - 100, scope.last_month - 100)
    # Like for like (spec §5): last year counts only the (unit, month) pairs this year has a figure for, so a unit
    # whose October is not in yet is compared over January–September.
    stored_prev = stored_prev[_pairs_in(stored_prev, set(zip(current["unit"], current["month"] - 100)))]
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
    return _ratio(float((known[rate] * weight).sum()), float(weight.sum()))


def hotline_figures(current: pd.DataFrame, previous: pd.DataFrame) -> dict[str, float | int | None]:
    appeals = int(current["appeals"].sum())
    appeals_prev = int(previous["appeals"].sum())
    figures: dict[str, float | int | None] = {
        "appeals": appeals,
        "appeals_prev": appeals_prev if len(previous) else None,
        "appeals_yoy": _ratio(appeals - appeals_prev, appeals_prev) if len(current) and len(previous) else None,
        "has_current": bool(len(current)),
        "has_previous": bool(len(previous)),
    }
    for rate in RATES:
        now, before = _weighted_rate(current, rate), _weighted_rate(previous, rate)
        figures[rate] = now
        figures[f"{rate}_prev"] = before
        figures[f"{rate}_change"] = None if now is None or before is None else now - before
    return figures


@_per_scope
def hotline_totals(ds: Dataset, scope: Scope) -> dict[str, float | int | None]:
    return hotline_figures(*hotline_pairs(ds, scope))


def _group_sums(keys: pd.Series, groups: list, columns: dict[str, np.ndarray]) -> tuple[np.ndarray, dict]:
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


def _labels(groups: list) -> list | pd.Series:
    """The groups as a frame's first column; with no groups, an empty column of names rather than of numbers."""
    return groups or pd.Series(dtype=object)


def _floats(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype="float64", na_value=np.nan)


def _quotient(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator ÷ denominator, NaN where the denominator is 0."""
    out = np.full(len(numerator), np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def _hotline_sums(rows: pd.DataFrame, keys: pd.Series, groups: list) -> tuple[np.ndarray, dict]:
    """Per group: rows, Σ诉求量, and for each rate Σ(rate × 诉求量) and Σ诉求量 over the rows that give the rate."""
    appeals = _floats(rows["appeals"])
    columns = {"appeals": appeals}
    for rate in RATES:
        values = _floats(rows[rate])
        known = ~np.isnan(values)
        columns[f"{rate}_weight"] = np.where(known, appeals, 0.0)
        columns[f"{rate}_weighted"] = np.where(known, values * appeals, 0.0)
    return _group_sums(keys, groups, columns)


@_per_scope
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
    yoy = _quotient((appeals - appeals_prev).astype("float64"), appeals_prev.astype("float64"))
    columns: dict[str, object] = {
        by: _labels(groups),
        "appeals": appeals,
        "appeals_prev": appeals_prev,
        "appeals_yoy": np.where(has_current & has_previous, yoy, np.nan),
        "has_current": has_current,
        "has_previous": has_previous,
    }
    for rate in RATES:
        this = _quotient(now[f"{rate}_weighted"], now[f"{rate}_weight"])
        last = _quotient(before[f"{rate}_weighted"], before[f"{rate}_weight"])
        columns[rate], columns[f"{rate}_prev"], columns[f"{rate}_change"] = this, last, this - last
    frame = pd.DataFrame(columns)
    if by == "unit" and not frame.empty:
        units = ds.units.set_index("unit")
        frame.insert(1, "short_name", frame["unit"].map(units["short_name"]))
        frame.insert(2, "category", frame["unit"].map(units["category"]))
    return frame


# -- 问题化解 ------------------------------------------------------------------------------------------------


@_per_scope
def problem_rows(ds: Dataset, scope: Scope) -> pd.DataFrame:
    """Problems found by the end of month M (of any year), with whether each was resolved by then."""
    rows = _in_units(ds.problems, ds, scope)
    end = pd.Timestamp(scope.end_date)
    rows = rows[rows["found_date"] <= end].copy()
    rows["resolved"] = (rows["status"] == RESOLVED) & (rows["resolved_date"] <= end)
    return rows


def _closure(rows: pd.DataFrame) -> dict[str, int | float | None]:
    found, resolved = len(rows), int(rows["resolved"].sum())
    return {"found": found, "resolved": resolved, "closure_rate": _ratio(resolved, found)}


@_per_scope
def problem_totals(ds: Dataset, scope: Scope) -> dict[str, int | float | None]:
    rows = problem_rows(ds, scope)
    return {"units_screened": int(rows["unit"].nunique()), **_closure(rows)}


@_per_scope
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
    found, sums = _group_sums(keys, groups, {"resolved": rows["resolved"].to_numpy(dtype="float64")})
    frame = pd.DataFrame(
        {by: _labels(groups), "found": found.astype("int64"), "resolved": sums["resolved"].astype("int64")}
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


@_per_scope
def problems_cumulative(ds: Dataset, scope: Scope) -> pd.DataFrame:
    """Found and resolved to date at the end of each month 1..M of the year."""
    rows = problem_rows(ds, scope)
    records = []
    for month in range(1, scope.through + 1):
        end = pd.Timestamp(dt.date(scope.year, month, calendar.monthrange(scope.year, month)[1]))
        found = int((rows["found_date"] <= end).sum())
        resolved = int((rows["resolved"] & (rows["resolved_date"] <= end)).sum())
        records.append({"month": month, "found": found, "resolved": resolved, "closure_rate": _ratio(resolved, found)})
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


@_per_scope
def open_problems(ds: Dataset, scope: Scope) -> pd.DataFrame:
    """Problems not resolved by the end of month M, oldest first, with the days they have been open."""
    rows = problem_rows(ds, scope)
    rows = rows[~rows["resolved"]].copy()
    rows["days_open"] = (pd.Timestamp(scope.end_date) - rows["found_date"]).dt.days.astype("int64")
    rows["status_then"] = np.where(rows["status"] == RESOLVED, "化解中", rows["status"])
    return rows.sort_values(["found_date", "unit"])[list(OPEN_PROBLEM_COLUMNS)].reset_index(drop=True)


# -- 指标完成 ------------------------------------------------------------------------------------------------


YEAR_TO_DATE = "年度指标，截至报送"  # how a figure for a period still running at the end of month M is shown


def period_label(start: int, end: int) -> str:
    """「2025年」, 「2025年1-10月」, 「2025年9月」: a statistical period as the contract writes it."""
    return Period(int(start), int(end)).label


def _indicators_in_year(ds: Dataset, scope: Scope) -> pd.DataFrame:
    """Indicator rows of units in scope whose statistical period lies in the scope's year."""
    rows = _in_units(ds.indicators, ds, scope)
    return rows[(rows["period_start"] >= scope.first_month) & (rows["period_end"] <= scope.year * 100 + 12)]


@_per_scope
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


@_per_scope
def indicator_periods_elsewhere(ds: Dataset, scope: Scope) -> pd.DataFrame:
    """The statistical periods of stored indicators of the units in scope that the scope's months leave out.

    One row per period, in order: ``period`` (its label), ``rows``, and the ``year`` and ``through`` month of
    the filter that shows it: the year's latest month with data where that takes the period in, else the period's
    last month (``None`` for a period across two years, which no year's figures take in).
    """
    rows = _in_units(ds.indicators, ds, scope)
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


@_per_scope
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


# -- the summary of spec §6 ----------------------------------------------------------------------------------


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
        return {"count": len(part), "met": met, "met_pct": _pct(_ratio(met, len(part)))}

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


# -- for the pages: unit scores, indicator totals, one unit against its category -------------------------------

# The one figure each theme ranks units by (a column of the frame ``unit_scores`` returns).
UNIT_SCORES = {
    "learning": "per_head",  # 人均参与人次: units without a known 在职人数 are not ranked
    "hotline": "satisfaction_rate",
    "problems": "closure_rate",
    "indicators": "mean_completion",
}


@_per_scope
def _unit_indicator_completion(ds: Dataset, scope: Scope) -> pd.DataFrame:
    rows = indicator_rows(ds, scope)
    grouped = rows.groupby("unit").agg(
        indicators=("indicator", "size"), met=("met", "sum"), mean_completion=("completion", "mean")
    )
    grouped["met"] = grouped["met"].astype("int64")
    grouped["met_rate"] = grouped["met"] / grouped["indicators"]
    return grouped


@_per_scope
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
        completion = _unit_indicator_completion(ds, scope)["mean_completion"]
        frame = units.assign(mean_completion=units["unit"].map(completion))
    frame = frame[["unit", "short_name", "category", column]].copy()
    frame[column] = pd.to_numeric(frame[column].astype("Float64"), errors="coerce").astype(float)
    frame = frame[frame[column].notna()]
    return frame.sort_values(column, ascending=False, kind="stable").reset_index(drop=True)


@_per_scope
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
                "met_rate": _ratio(met, len(part)),
                "mean_completion": None if completion is None or pd.isna(completion) else float(completion),
                "running": int(part["running"].sum()) if len(part) else 0,
            }
        )
    return pd.DataFrame(records)


# The measures of the unit profile, per theme, in the order they are shown.
PROFILE_MEASURES = {
    "learning": ("activities", "person_times", "per_head"),
    "hotline": ("appeals", "appeals_yoy", "first_time_rate", "resolution_rate", "satisfaction_rate"),
    "problems": ("found", "resolved", "closure_rate"),
    "indicators": ("mean_completion", "met_rate"),
}


@_per_scope
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
        _ratio(float(known["person_times"].sum()), float(known["headcount"].sum())),
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

    completion = _unit_indicator_completion(ds, theirs)
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


def units_below_target(ds: Dataset, scope: Scope, target: float = CLOSURE_TARGET) -> pd.DataFrame:
    """Units in scope that found problems and resolved fewer than ``target`` of them, lowest 化解率 first."""
    frame = problems_by(ds, scope, "unit")
    below = frame[(frame["found"] > 0) & (frame["closure_rate"] < target).fillna(False)]
    return below.sort_values(["closure_rate", "found"], ascending=[True, False]).reset_index(drop=True)
