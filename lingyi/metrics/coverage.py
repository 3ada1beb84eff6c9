"""Like for like (spec §5): which (unit, month) pairs have a figure this year, who is expected and who is missing
in the latest month in scope, and the note every year on year carries while a month is incomplete."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lingyi.metrics.dataset import Dataset, Scope, in_months, learning_rows, per_scope, scoped_units
from lingyi.values import months_between

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


@per_scope
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


def pairs_in(rows: pd.DataFrame, pairs: set[tuple[str, int]]) -> np.ndarray:
    """Which rows' (unit, month) is one of ``pairs``."""
    return np.fromiter(((u, int(m)) in pairs for u, m in zip(rows["unit"], rows["month"])), dtype=bool, count=len(rows))


@per_scope
def reported_months(ds: Dataset, scope: Scope, kind: str) -> set[tuple[str, int]]:
    """The (unit, yyyymm) pairs of months 1..M that have a figure of ``kind`` this year.

    A 热线 month has a figure where the unit's row for it counts; a learning month where a live learning
    submission of the unit covers it (a month without activities in a return for 1—10月 is a reported 0) or the
    unit has an activity in it.
    """
    units = set(scoped_units(ds, scope)["unit"])
    if kind == "hotline":
        rows = in_months(ds.hotline, scope.first_month, scope.last_month)
        return {(u, int(m)) for u, m in zip(rows["unit"], rows["month"]) if u in units}
    rows = learning_rows(ds, scope)
    pairs = {(u, int(m)) for u, m in zip(rows["unit"], rows["month"])}
    subs = ds.submissions[ds.submissions["kind"] == kind]
    for unit, start, end in zip(subs["unit"], subs["period_start"], subs["period_end"]):
        if unit in units:
            first, last = max(int(start), scope.first_month), min(int(end), scope.last_month)
            pairs.update((unit, month) for month in months_between(first, last))
    return pairs
