"""Implausible values give a warning on upload, judged against the unit's own history, and never block."""

from __future__ import annotations

import factories as f
import pandas as pd
import pytest

from lingyi.errors import Level
from lingyi.intake.ingest import Outcome, check_file
from lingyi.intake.outliers import APPEALS_FACTOR, appeals_outliers, attendance_outliers

UNIT = "临沂市民政局"


def hotline_rows(values: dict[int, int], unit: str = UNIT) -> list[dict]:
    return [
        {"unit": unit, "month": month, "appeals": appeals, "sheet": "热线", "row": row}
        for row, (month, appeals) in enumerate(values.items(), start=2)
    ]


def stored(values: dict[int, int], unit: str = UNIT) -> dict[tuple[str, int], int]:
    return {(unit, month): appeals for month, appeals in values.items()}


# -- 诉求量 against the unit's median month -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("history", "value", "flagged"),
    [
        ({202501: 100, 202502: 120, 202503: 90}, 1000, True),  # exactly ten times the median of 100
        ({202501: 100, 202502: 120, 202503: 90}, 999, False),
        ({202501: 100, 202502: 120}, 5000, False),  # two months are too little history
        ({202501: 0, 202502: 0, 202503: 0}, 50, False),  # a unit with no appeals has no median to be ten times
        ({202501: 0, 202502: 3, 202503: 5, 202504: 4}, 40, True),
    ],
)
def test_appeals_far_above_the_units_median_month_are_flagged(history, value, flagged):
    found = appeals_outliers(hotline_rows({202510: value}), stored(history))
    assert (len(found) == 1) is flagged
    if flagged:
        assert found[0]["median"] == pd.Series(list(history.values())).median()
        assert found[0]["history_months"] == len(history)


def test_the_files_own_other_months_are_history_too():
    rows = hotline_rows({202501: 100, 202502: 110, 202503: 95, 202504: 2000})
    found = appeals_outliers(rows, stored({}))
    assert [r["month"] for r in found] == [202504]


def test_the_month_being_replaced_is_not_its_own_history():
    history = {202501: 100, 202502: 100, 202503: 100, 202510: 5000}
    found = appeals_outliers(hotline_rows({202510: 1000}), stored(history))
    assert [r["median"] for r in found] == [100]


def test_another_units_history_does_not_count():
    found = appeals_outliers(hotline_rows({202510: 1000}), stored({202501: 1, 202502: 1, 202503: 1}, "临沂市财政局"))
    assert found == []


def test_missing_values_are_no_history_and_never_flagged():
    rows = [*hotline_rows({202510: 1000}), {"unit": UNIT, "month": 202509, "appeals": None, "sheet": "热线", "row": 9}]
    history = {(UNIT, 202501): 100, (UNIT, 202502): float("nan"), (UNIT, 202503): 100, (UNIT, 202504): 100}
    (found,) = appeals_outliers(rows, history)
    assert (found["month"], found["history_months"], found["median"]) == (202510, 3, 100)


# -- 参与人次 against 在职人数 × 期数 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sessions", "person_times", "headcount", "flagged"),
    [
        (2, 101, {UNIT: 50}, True),
        (2, 100, {UNIT: 50}, False),  # everyone at every session is possible
        (None, 51, {UNIT: 50}, True),  # no 期数 is one session
        (1, 5000, {}, False),  # headcount unknown: nothing to judge by
    ],
)
def test_person_times_above_headcount_times_sessions_are_flagged(sessions, person_times, headcount, flagged):
    rows = [{"unit": UNIT, "sessions": sessions, "person_times": person_times, "sheet": "学习", "row": 3}]
    found = attendance_outliers(rows, headcount)
    assert (len(found) == 1) is flagged
    if flagged:
        assert (found[0]["sessions"], found[0]["headcount"]) == (sessions or 1, headcount[UNIT])


# -- on upload --------------------------------------------------------------------------------------------------------


def hotline_file(tmp_path, name: str, months_and_appeals: dict[int, int]):
    rows = f.hotline_rows(list(months_and_appeals))
    rows = f.column(rows, "诉求量", list(months_and_appeals.values()))
    return f.write_xlsx(tmp_path / name, {"12345热线": rows})


def test_a_tenfold_month_is_a_warning_that_does_not_block_the_upload(tmp_path, submit, store, registry):
    assert (
        submit(hotline_file(tmp_path, "上半年.xlsx", {202504: 100, 202505: 120, 202506: 90})).outcome
        is Outcome.ACCEPTED
    )
    path = hotline_file(tmp_path, "7月.xlsx", {202507: 1200})

    result = submit(path)

    assert result.outcome is Outcome.ACCEPTED
    (warning,) = [w for w in result.warnings if "中位数" in w.message]
    assert warning.level is Level.WARNING
    assert (warning.sheet, warning.row, warning.column, warning.column_name, warning.value) == (
        "12345热线",
        2,
        "C",
        "诉求量",
        "1,200",
    )
    assert warning.message.startswith(f"诉求量 1,200 是本单位其他 3 个月中位数（100）的 {1200 // 100} 倍")
    assert APPEALS_FACTOR == 10


def test_check_without_a_store_judges_by_the_file_alone(tmp_path, registry):
    path = hotline_file(tmp_path, "a.xlsx", {202501: 100, 202502: 100, 202503: 100, 202504: 1000})
    validated = check_file(path.read_bytes(), path.name, registry)
    assert [w.row for w in validated.warnings if "中位数" in w.message] == [5]


def learning_file(tmp_path, name: str, person_times: int, *, headcount: int | None):
    rows = f.column(f.learning_rows(1), "参与人次", [person_times])
    rows = f.column(rows, "期数", [2])
    info = [["填报单位：临沂市民政局" + (f"    在职人数：{headcount}" if headcount else "")]]
    return f.write_xlsx(tmp_path / name, {"学习活动": [*info, *rows]})


def test_attendance_above_the_declared_headcount_is_a_warning(tmp_path, submit):
    result = submit(learning_file(tmp_path, "a.xlsx", 130, headcount=60))
    assert result.outcome is Outcome.ACCEPTED
    (warning,) = [w for w in result.warnings if "在职人数" in w.message]
    assert warning.message == "参与人次 130 超过在职人数 60 × 期数 2 = 120，请核对。"
    assert (warning.row, warning.column) == (3, "I")


def test_a_stored_headcount_judges_a_later_file_that_gives_none(tmp_path, submit):
    submit(learning_file(tmp_path, "a.xlsx", 100, headcount=60))
    result = submit(learning_file(tmp_path, "b.xlsx", 121, headcount=None))
    assert [w.value for w in result.warnings if "在职人数" in w.message] == ["121"]
