"""A store of five years × 108 units from the sample generator, for the page benchmarks.

The generator covers January 2024 to October 2025; earlier years are the 2024 records moved
back a year at a time (dates, months and problem numbers shifted), so every year has the
same realistic shape. Rows go straight into the store as submissions, one per unit, kind
and month, as monthly returns would leave them; each year's indicators (the 2024 set moved
back) are one submission per unit, and 在职人数 comes with them, so every ranking has units.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from lingyi.store import NewSubmission, Store, problem_key
from lingyi.values import Period
from sample_data.truth import generate_records

FIRST_YEAR = 2021


def _shift_date(value: dt.date | None, years: int) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    try:
        return value.replace(year=value.year - years)
    except ValueError:  # 29 February
        return value.replace(year=value.year - years, day=28)


def _years_back(frame: pd.DataFrame, years: int, date_columns: list[str]) -> pd.DataFrame:
    shifted = frame.copy()
    for column in date_columns:
        shifted[column] = [_shift_date(d, years) for d in shifted[column]]
    return shifted


def five_year_frames() -> dict[str, pd.DataFrame]:
    records = generate_records(42)
    learning_2024 = records.learning[[d.year == 2024 for d in records.learning["date"]]]
    hotline_2024 = records.hotline[records.hotline["month"].str.startswith("2024")]
    learning = [records.learning]
    hotline = [records.hotline]
    problems = [records.problems]
    for back in range(1, 2024 - FIRST_YEAR + 1):
        learning.append(_years_back(learning_2024, back, ["date"]))
        moved = hotline_2024.copy()
        moved["month"] = [f"{int(m[:4]) - back}-{m[5:]}" for m in moved["month"]]
        hotline.append(moved)
        old = records.problems[[d.year == 2024 for d in records.problems["found_date"]]]
        old = _years_back(old, back, ["found_date", "resolved_date"])
        old["number"] = [None if pd.isna(n) else f"{n}-{back}" for n in old["number"]]
        old["description"] = [f"{d}（{2024 - back}年）" for d in old["description"]]
        problems.append(old)
    indicators = records.indicators.assign(
        period_start=[202501 if p.startswith("2025") else 202401 for p in records.indicators["period"]],
        period_end=[202510 if p.startswith("2025") else 202412 for p in records.indicators["period"]],
    )
    yearly = indicators[indicators["period_start"] == 202401]
    indicators = pd.concat(
        [indicators]
        + [yearly.assign(period_start=202401 - 100 * back, period_end=202412 - 100 * back) for back in range(1, 4)],
        ignore_index=True,
    ).drop(columns=["period"])
    return {
        "learning": pd.concat(learning, ignore_index=True),
        "hotline": pd.concat(hotline, ignore_index=True),
        "problems": pd.concat(problems, ignore_index=True),
        "indicators": indicators,
        "headcount": records.headcount,
    }


def build(url: str) -> Store:
    store = Store(url)
    frames = five_year_frames()
    learning = frames["learning"].assign(
        month=[d.year * 100 + d.month for d in frames["learning"]["date"]], sheet="学习活动", row=2
    )
    hotline = frames["hotline"].assign(
        month=[int(m[:4]) * 100 + int(m[5:]) for m in frames["hotline"]["month"]],
        appeals_prev=None,
        first_time_rate_prev=None,
        resolution_rate_prev=None,
        satisfaction_rate_prev=None,
        sheet="热线指标",
        row=2,
    )
    for month in sorted(set(learning["month"]) | set(hotline["month"])):
        subs = []
        for kind, table in (("learning", learning), ("hotline", hotline)):
            for unit, part in table[table["month"] == month].groupby("unit"):
                subs.append(
                    NewSubmission(str(unit), kind, Period(month, month), True, ("报表",), part.reset_index(drop=True))
                )
        store.save_file(f"bench-{month}".encode(), f"{month}.xlsx", subs, {})
    problems = frames["problems"].assign(sheet="问题清单", row=2)
    problems["number"] = [None if pd.isna(n) else n for n in problems["number"]]
    problems["key"] = [
        problem_key(n, d, f) for n, d, f in zip(problems["number"], problems["description"], problems["found_date"])
    ]
    subs = [
        NewSubmission(
            str(unit),
            "problems",
            Period(FIRST_YEAR * 100 + 1, 202510),
            False,
            ("问题清单",),
            part.reset_index(drop=True),
        )
        for unit, part in problems.groupby("unit")
    ]
    store.save_file(b"bench-problems", "问题清单.xlsx", subs, {})
    indicators = frames["indicators"].assign(sheet="指标完成", row=2)
    for (start, end), year in indicators.groupby(["period_start", "period_end"]):
        subs = [
            NewSubmission(str(unit), "indicators", Period(start, end), True, ("指标完成",), part.reset_index(drop=True))
            for unit, part in year.groupby("unit")
        ]
        store.save_file(f"bench-indicators-{end}".encode(), f"指标_{end}.xlsx", subs, {})
    headcount = dict(zip(frames["headcount"]["unit"], frames["headcount"]["headcount"].astype(int)))
    store.save_file(b"bench-headcount", "在职人数.xlsx", [], headcount)
    return store


if __name__ == "__main__":
    target = Path(__file__).parent / "out" / "five_years.db"
    target.parent.mkdir(exist_ok=True)
    target.unlink(missing_ok=True)
    built = build(f"sqlite:///{target}")
    print(target, built.data_version())
