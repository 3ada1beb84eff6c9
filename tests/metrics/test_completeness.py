"""报送情况: who has submitted which month, on time or late, counted against the registry."""

from __future__ import annotations

import datetime as dt
import random

import factories as f
import pandas as pd
import pytest

from lingyi.contract import CATEGORIES
from lingyi.metrics.completeness import (
    LATE,
    MISSING,
    ON_TIME,
    PENDING,
    chase_message,
    completeness,
    default_deadline,
    due_date,
)
from lingyi.values import Period

YEAR = 2025
MINZHENG = "临沂市民政局"
CAIZHENG = "临沂市财政局"


def submission(sid: int, unit: str, start: int, end: int, created: str, kind: str = "hotline") -> dict:
    return {
        "id": sid,
        "seq": sid,
        "unit": unit,
        "kind": kind,
        "period_start": start,
        "period_end": end,
        "created_at": pd.Timestamp(created),
        "file_id": sid,
    }


def report(registry, rows: list[dict], *, as_of=dt.date(2025, 12, 31), kind="hotline", due_day=5):
    frame = pd.DataFrame(
        rows, columns=["id", "seq", "unit", "kind", "period_start", "period_end", "created_at", "file_id"]
    )
    return completeness(frame, registry.frame, year=YEAR, kind=kind, due_day=due_day, as_of=as_of)


def status(result, unit: str, month: int) -> str:
    cells = result.cells
    return cells[(cells["unit"] == unit) & (cells["month"] == month)]["status"].item()


@pytest.mark.parametrize(
    ("month", "due_day", "expected"),
    [
        (1, 5, dt.date(2025, 2, 5)),
        (12, 5, dt.date(2026, 1, 5)),
        (1, 31, dt.date(2025, 2, 28)),  # a due day beyond the month's end is its last day
        (3, 10, dt.date(2025, 4, 10)),
    ],
)
def test_a_month_is_due_on_the_due_day_of_the_next_month(month, due_day, expected):
    assert due_date(YEAR, month, due_day) == expected


@pytest.mark.parametrize(
    ("created", "expected"),
    [
        ("2025-02-05 23:59:00", ON_TIME),  # the whole due day counts
        ("2025-02-06 00:00:01", LATE),
        ("2025-01-20 09:00:00", ON_TIME),
    ],
)
def test_a_submission_after_the_due_day_is_late(created, expected, registry):
    result = report(registry, [submission(1, MINZHENG, 202501, 202501, created)])
    assert status(result, MINZHENG, 1) == expected


def test_a_month_with_nothing_is_missing_once_due_and_pending_before(registry):
    result = report(registry, [], as_of=dt.date(2025, 3, 5))
    assert status(result, MINZHENG, 1) == MISSING
    assert status(result, MINZHENG, 2) == PENDING  # due on 5 March, which is today
    assert status(result, MINZHENG, 3) == PENDING


def test_a_period_of_several_months_covers_each_of_them(registry):
    result = report(registry, [submission(1, MINZHENG, 202501, 202503, "2025-04-03")])
    assert [status(result, MINZHENG, m) for m in (1, 2, 3, 4)] == [LATE, LATE, ON_TIME, MISSING]


def test_a_period_reaching_into_another_year_covers_only_this_years_months(registry):
    result = report(registry, [submission(1, MINZHENG, 202411, 202502, "2025-03-01")])
    assert [status(result, MINZHENG, m) for m in (1, 2, 3)] == [LATE, ON_TIME, MISSING]


def test_a_late_correction_does_not_make_an_on_time_month_late(registry):
    rows = [
        submission(1, MINZHENG, 202501, 202501, "2025-02-03"),
        submission(2, MINZHENG, 202501, 202501, "2025-03-20"),
    ]
    result = report(registry, rows)
    assert status(result, MINZHENG, 1) == ON_TIME
    assert result.unit_cells(MINZHENG).set_index("month").loc[1, "submissions"] == [1, 2]


def test_another_sheet_kind_does_not_count(registry):
    result = report(registry, [submission(1, MINZHENG, 202501, 202501, "2025-02-01", kind="learning")])
    assert status(result, MINZHENG, 1) == MISSING


def test_grid_has_every_registry_unit_grouped_by_category_and_twelve_months(registry):
    grid = report(registry, [submission(1, MINZHENG, 202501, 202501, "2025-02-01")]).grid()
    assert len(grid) == len(registry) == 108
    assert list(grid.columns) == ["单位类别", "单位", *[f"{m}月" for m in range(1, 13)], "单位全称"]
    assert list(dict.fromkeys(grid["单位类别"])) == list(CATEGORIES)
    assert grid.set_index("单位全称").loc[MINZHENG, "1月"] == ON_TIME
    assert grid.set_index("单位全称").loc[MINZHENG, "单位"] == "市民政局"


def test_month_and_category_counts_say_x_of_108(registry):
    rows = [
        submission(1, MINZHENG, 202501, 202501, "2025-02-01"),
        submission(2, CAIZHENG, 202501, 202501, "2025-02-20"),
    ]
    result = report(registry, rows)
    january = result.month_counts().set_index("月份").loc["1月"]
    assert (january[ON_TIME], january[LATE], january[MISSING], january["已报"], january["报送"]) == (
        1,
        1,
        106,
        2,
        "2/108",
    )
    categories = result.category_counts().set_index("单位类别")
    assert categories.loc["社会服务", "1月"] == "1/20"
    assert categories.loc["经济发展", "1月"] == "1/24"
    assert categories.loc["党政综合", "1月"] == "0/20"


def test_chase_message_names_the_missing_units_by_category_and_the_deadline(registry):
    every_unit_but_two = [
        submission(i, unit.name, 202510, 202510, "2025-11-03")
        for i, unit in enumerate(registry.units, start=1)
        if unit.name not in (MINZHENG, "中共临沂市委办公室")
    ]
    result = report(registry, every_unit_but_two, kind="hotline")
    message = chase_message(result, 10, dt.date(2025, 11, 7))
    assert message.splitlines() == [
        "请以下单位于11月7日前报送2025年10月热线指标报表（目前已报 106/108 家，尚有 2 家未报）：",
        "党政综合（1家）：市委办公室",
        "社会服务（1家）：市民政局",
        "已报送的单位请忽略。谢谢！",
    ]
    assert result.not_submitted(10)["单位全称"].tolist() == ["中共临沂市委办公室", MINZHENG]


def test_chase_message_when_everyone_has_submitted(registry):
    everyone = [submission(i, u.name, 202510, 202510, "2025-11-03") for i, u in enumerate(registry.units, 1)]
    message = chase_message(report(registry, everyone), 10, dt.date(2025, 11, 7))
    assert message == "2025年10月热线指标报表：108家单位已全部报送，谢谢各单位支持！"


@pytest.mark.parametrize(
    ("today", "expected"),
    [(dt.date(2025, 11, 2), dt.date(2025, 11, 5)), (dt.date(2025, 11, 20), dt.date(2025, 11, 23))],
)
def test_a_chase_names_the_due_day_or_a_few_days_ahead_once_it_has_passed(today, expected):
    assert default_deadline(YEAR, 10, 5, today) == expected


# -- on a store ---------------------------------------------------------------------------------------------------


def test_figures_on_a_store_match_counts_made_independently(tmp_path, store, registry, submit, monkeypatch):
    """Consolidated hotline files sent at known times; one withdrawn; the grid against the plan."""
    rng = random.Random(42)
    names = [u.name for u in registry.units]
    plan: dict[int, dict[str, str]] = {1: {}, 2: {}, 3: {}}  # month → unit → status by the plan
    batches = []
    for month, on_time_day, late_day in (
        (1, "2025-02-04 10:00", "2025-02-17 10:00"),
        (2, "2025-03-05 18:00", "2025-03-09 08:00"),
    ):
        chosen = rng.sample(names, 70)
        on_time, late = chosen[:50], chosen[50:]
        batches += [(month, on_time, on_time_day), (month, late, late_day)]
        plan[month].update({u: ON_TIME for u in on_time} | {u: LATE for u in late})
    for number, (month, units, stamp) in enumerate(batches):
        path = f.write_xlsx(
            tmp_path / f"热线{number}.xlsx", {"热线": f.hotline_rows([YEAR * 100 + month], units=units, seed=number)}
        )
        monkeypatch.setattr("lingyi.store.submissions.now", lambda stamp=stamp: dt.datetime.fromisoformat(stamp))
        assert submit(path).outcome.value == "accepted"
    # A quarter's return from one more unit covers January to March, sent on 2 April: on time for March only.
    quarter_unit = next(n for n in names if n not in plan[1] and n not in plan[2])
    path = f.write_xlsx(
        tmp_path / "季度.xlsx", {"热线": f.hotline_rows([202501, 202502, 202503], units=[quarter_unit])}
    )
    monkeypatch.setattr("lingyi.store.submissions.now", lambda: dt.datetime(2025, 4, 2, 9))
    assert submit(path, period=Period(202501, 202503)).outcome.value == "accepted"
    plan[1][quarter_unit], plan[2][quarter_unit], plan[3][quarter_unit] = LATE, LATE, ON_TIME
    # Withdrawing a unit's January leaves it missing.
    withdrawn_unit = next(u for u, s in plan[1].items() if s == ON_TIME)
    history = store.history()
    store.delete(int(history[(history["unit"] == withdrawn_unit) & (history["period_start"] == 202501)]["id"].item()))
    del plan[1][withdrawn_unit]

    result = completeness(store.submissions(), registry.frame, year=YEAR, kind="hotline", as_of=dt.date(2025, 4, 3))

    counts = result.month_counts().set_index("月份")
    for month in (1, 2, 3):
        statuses = list(plan[month].values())
        row = counts.loc[f"{month}月"]
        assert row[ON_TIME] == statuses.count(ON_TIME)
        assert row[LATE] == statuses.count(LATE)
        assert row["已报"] == len(plan[month])
        assert row["报送"] == f"{len(plan[month])}/108"
        not_in = MISSING if month < 3 else PENDING  # March is due on 5 April, two days after as_of
        assert row[not_in] == 108 - len(plan[month])
        assert set(result.not_submitted(month)["单位全称"]) == set(names) - set(plan[month])
    assert counts.loc["4月", PENDING] == 108  # April is due on 5 May
    category_of = {u.name: u.category for u in registry.units}
    by_category = result.category_counts().set_index("单位类别")
    for category in CATEGORIES:
        size = sum(1 for u in registry.units if u.category == category)
        done = sum(1 for u in plan[2] if category_of[u] == category)
        assert by_category.loc[category, "2月"] == f"{done}/{size}"
    grid = result.grid().set_index("单位全称")
    for month in (1, 2, 3):
        for unit, expected in plan[month].items():
            assert grid.loc[unit, f"{month}月"] == expected


def test_a_unit_not_concerned_by_a_kind_is_neither_expected_nor_chased(registry):
    marked = registry.with_exempt("中共临沂市委办公室", "hotline", True)
    result = report(marked, [submission(1, MINZHENG, 202510, 202510, "2025-11-03")])
    assert "中共临沂市委办公室" not in set(result.cells["unit"])
    assert result.unit_count == 107
    assert "市委办公室" not in set(result.not_submitted(10)["单位简称"])
    assert result.exempt == ("市委办公室",)
    assert "107" in chase_message(result, 10, dt.date(2025, 11, 10))


def test_not_concerned_for_one_kind_is_still_expected_for_the_others(registry):
    marked = registry.with_exempt("中共临沂市委办公室", "hotline", True)
    result = report(marked, [], kind="learning")
    assert "中共临沂市委办公室" in set(result.cells["unit"]) and result.exempt == ()
