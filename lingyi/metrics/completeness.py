"""报送情况 (spec §5): which registry units have submitted a sheet kind for each month of a year.

A unit has submitted a kind for a month when it has a live (not withdrawn) submission of
that kind whose period covers the month; for the problem ledger, as for the others, any
live submission covering the month counts. Each month is due on a day of the following
month (the 5th unless told otherwise); a month is

- 按时 when the unit's first live submission covering it was made by the end of the due day,
- 逾期 when that first submission came later,
- 未报 when nothing covers it and the due day has passed,
- 未到期 when nothing covers it yet but the due day is still to come.

A correction sent after the due day does not make an on-time month late: the first live
submission decides. A unit marked 不涉及 for the kind (registry column 不报送, or an admin's mark) is left out:
neither expected nor chased. Pure pandas: submissions and units in, frames and text out.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lingyi.contract import CATEGORIES, SHEET_KIND_BY_KEY
from lingyi.values import months_between

ON_TIME = "按时"
LATE = "逾期"
MISSING = "未报"
PENDING = "未到期"
STATUSES = (ON_TIME, LATE, MISSING, PENDING)
SUBMITTED = (ON_TIME, LATE)
NOT_SUBMITTED = (MISSING, PENDING)
STATUS_COLOURS = {ON_TIME: "#C6EFCE", LATE: "#FFEB9C", MISSING: "#FFC7CE", PENDING: "#EDEDED"}

DEFAULT_DUE_DAY = 5
# Days a chase gives when the month's own due day has already passed.
CHASE_DAYS = 3
MONTHS = tuple(range(1, 13))


def month_label(month: int) -> str:
    return f"{month}月"


def due_date(year: int, month: int, due_day: int = DEFAULT_DUE_DAY) -> dt.date:
    """The day a month's return is due: ``due_day`` of the following month (the month's last day if shorter)."""
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dt.date(year, month, min(due_day, calendar.monthrange(year, month)[1]))


def default_deadline(year: int, month: int, due_day: int, today: dt.date) -> dt.date:
    """The date a chase names: the month's due day, or a few days from today once that has passed."""
    due = due_date(year, month, due_day)
    return due if due >= today else today + dt.timedelta(days=CHASE_DAYS)


@dataclass(frozen=True)
class Completeness:
    """Each registry unit × month of one year and one sheet kind, with its status."""

    year: int
    kind: str  # sheet kind key
    due_day: int
    as_of: dt.date
    # unit, short_name, category, month (1..12), status, first_submitted (datetime or NaT), submissions (ids)
    cells: pd.DataFrame
    # Short names of the units marked 不涉及 for this kind (spec §5): not in ``cells``, neither expected nor chased.
    exempt: tuple[str, ...] = ()

    @property
    def kind_name(self) -> str:
        return SHEET_KIND_BY_KEY[self.kind].name

    @property
    def unit_count(self) -> int:
        return self.cells["unit"].nunique()

    def grid(self) -> pd.DataFrame:
        """One row per unit (类别, 单位 in registry order within the six categories), one column per month."""
        wide = self.cells.pivot(index="unit", columns="month", values="status")
        wide.columns = [month_label(m) for m in wide.columns]
        units = self.cells.drop_duplicates("unit")[["unit", "short_name", "category"]]
        out = units.merge(wide, left_on="unit", right_index=True)
        out = out.rename(columns={"category": "单位类别", "short_name": "单位", "unit": "单位全称"})
        return out[["单位类别", "单位", *[month_label(m) for m in MONTHS], "单位全称"]].reset_index(drop=True)

    def month_counts(self) -> pd.DataFrame:
        """Per month: how many units are 按时, 逾期, 未报, 未到期; 已报 = 按时 + 逾期, and 「x/108」."""
        counts = pd.crosstab(self.cells["month"], self.cells["status"]).reindex(
            index=list(MONTHS), columns=list(STATUSES), fill_value=0
        )
        counts["已报"] = counts[ON_TIME] + counts[LATE]
        counts["单位数"] = self.unit_count
        counts["报送"] = [f"{n}/{self.unit_count}" for n in counts["已报"]]
        counts.index = [month_label(m) for m in counts.index]
        counts.index.name = "月份"
        counts.columns.name = None
        return counts.reset_index()

    def month_table(self) -> pd.DataFrame:
        """The month counts turned on their side, as text: a row for 已报/单位数 and one per status, a column per month."""
        counts = self.month_counts().set_index("月份")
        table = counts[["报送", *STATUSES]].rename(columns={"报送": "已报/单位数"}).astype(str).T
        table.index.name = "项目"
        table.columns.name = None
        return table.reset_index()

    def category_counts(self) -> pd.DataFrame:
        """Rows: the six categories; columns: months, each 「已报/单位数」 of that category."""
        submitted = self.cells.assign(done=self.cells["status"].isin(SUBMITTED))
        table = submitted.pivot_table(index="category", columns="month", values="done", aggfunc="sum", observed=True)
        sizes = self.cells.drop_duplicates("unit").groupby("category", observed=True).size()
        categories = [c for c in CATEGORIES if c in sizes.index]
        out = pd.DataFrame({"单位类别": categories})
        for month in MONTHS:
            out[month_label(month)] = [f"{int(table.loc[c, month])}/{int(sizes[c])}" for c in categories]
        return out

    def submitted_count(self, month: int) -> int:
        return int(self.cells[(self.cells["month"] == month) & self.cells["status"].isin(SUBMITTED)].shape[0])

    def not_submitted(self, month: int) -> pd.DataFrame:
        """The 催报 list: units with nothing covering the month (未报, and 未到期 ones not in yet), by category."""
        chosen = self.cells[(self.cells["month"] == month) & self.cells["status"].isin(NOT_SUBMITTED)]
        chosen = chosen.sort_values("category", kind="stable")  # the six categories in order, registry order within
        out = chosen[["category", "short_name", "unit", "status"]].rename(
            columns={"category": "单位类别", "short_name": "单位简称", "unit": "单位全称", "status": "状态"}
        )
        return out.reset_index(drop=True)

    def unit_cells(self, unit: str) -> pd.DataFrame:
        return self.cells[self.cells["unit"] == unit].reset_index(drop=True)


def completeness(
    submissions: pd.DataFrame,
    units: pd.DataFrame,
    *,
    year: int,
    kind: str,
    due_day: int = DEFAULT_DUE_DAY,
    as_of: dt.date | None = None,
) -> Completeness:
    """``submissions`` as ``Store.submissions()`` gives them (live only); ``units`` as ``Registry.frame``."""
    as_of = as_of or dt.date.today()
    exempt = [kind in marked for marked in units["exempt"]] if "exempt" in units else [False] * len(units)
    exempt_names = tuple(units.loc[exempt, "short_name"])
    units = units[[not e for e in exempt]]
    covered = _covered_months(submissions[submissions["kind"] == kind], year)
    grid = units[["unit", "short_name", "category"]].merge(pd.DataFrame({"month": list(MONTHS)}), how="cross")
    grid = grid.merge(covered, on=["unit", "month"], how="left")
    grid["status"] = [
        _status(first, due_date(year, month, due_day), as_of)
        for first, month in zip(grid["first_submitted"], grid["month"])
    ]
    grid["submissions"] = [ids if isinstance(ids, list) else [] for ids in grid["submissions"]]
    category_order = pd.Categorical(grid["category"], categories=CATEGORIES, ordered=True)
    grid = grid.assign(category=category_order)
    return Completeness(year, kind, due_day, as_of, grid, exempt_names)


def _covered_months(subs: pd.DataFrame, year: int) -> pd.DataFrame:
    """(unit, month of ``year``) → first_submitted (earliest created_at), submissions (ids, oldest first)."""
    first, last = year * 100 + 1, year * 100 + 12
    records = []
    for sid, unit, start, end, created in zip(
        subs["id"], subs["unit"], subs["period_start"], subs["period_end"], subs["created_at"]
    ):
        for month in months_between(max(int(start), first), min(int(end), last)):
            records.append((unit, month % 100, pd.Timestamp(created), int(sid)))
    frame = pd.DataFrame(records, columns=["unit", "month", "created_at", "id"])
    if frame.empty:
        return pd.DataFrame(
            {
                "unit": pd.Series(dtype=object),
                "month": pd.Series(dtype="int64"),
                "first_submitted": pd.Series(dtype="datetime64[ns]"),
                "submissions": pd.Series(dtype=object),
            }
        )
    frame = frame.sort_values(["created_at", "id"])
    return (
        frame.groupby(["unit", "month"], sort=False)
        .agg(first_submitted=("created_at", "min"), submissions=("id", list))
        .reset_index()
    )


def _status(first_submitted: object, due: dt.date, as_of: dt.date) -> str:
    if pd.isna(first_submitted):
        return PENDING if as_of <= due else MISSING
    return LATE if pd.Timestamp(first_submitted).date() > due else ON_TIME


def chase_message(report: Completeness, month: int, deadline: dt.date) -> str:
    """A message to paste into the work chat group: who has not sent the month's return, grouped by category."""
    missing = report.not_submitted(month)
    period = f"{report.year}年{month}月{report.kind_name}报表"
    if missing.empty:
        return f"{period}：{report.unit_count}家单位已全部报送，谢谢各单位支持！"
    lines = [
        f"请以下单位于{deadline.month}月{deadline.day}日前报送{period}"
        f"（目前已报 {report.submitted_count(month)}/{report.unit_count} 家，尚有 {len(missing)} 家未报）：",
    ]
    for category, group in missing.groupby("单位类别", observed=True):
        lines.append(f"{category}（{len(group)}家）：{'、'.join(group['单位简称'])}")
    lines.append("已报送的单位请忽略。谢谢！")
    return "\n".join(lines)


def chase_list_name(report: Completeness, month: int) -> str:
    return f"催报名单_{report.year}年{month}月_{report.kind_name}.xlsx"


def report_years(submissions: pd.DataFrame, today: dt.date) -> list[int]:
    """Every year some submission's period touches, and this year, in order."""
    years = {today.year}
    for start, end in zip(submissions["period_start"], submissions["period_end"]):
        years.update(range(int(start) // 100, int(end) // 100 + 1))
    return sorted(years)


def default_year(submissions: pd.DataFrame, today: dt.date) -> int:
    """The latest year with any submission, else this year."""
    if submissions.empty:
        return today.year
    return min(int(submissions["period_end"].max()) // 100, today.year)


def default_month(report: Completeness) -> int:
    """The month to chase first: the latest one anybody has sent, else the latest one already due."""
    done = report.cells[report.cells["status"].isin(SUBMITTED)]
    if not done.empty:
        return int(done["month"].max())
    due = [m for m in MONTHS if due_date(report.year, m, report.due_day) < report.as_of]
    return due[-1] if due else 1
