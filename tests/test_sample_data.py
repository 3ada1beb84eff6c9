"""The sample returns: a repeatable, realistic truth, written as files that open."""

from __future__ import annotations

import random
import statistics
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from lingyi import contract
from sample_data.generate import (
    CSV_HOTLINE_UNIT,
    JUNE_LEDGER_HEADERS,
    MISMATCHED_TOTALS,
    ODS_UNIT,
    XLS_UNITS,
    SampleRecords,
    generate_records,
    main,
    problems_as_of,
    write_returns,
)
from sample_data.shapes import Return, count_cell, hotline_grid, house_style, rate_cell
from sample_data.truth import LAST_DAY, MONTHS, SNAPSHOT_DAY, load_units

UNITS = load_units()
CATEGORY = {unit.full_name: unit.category for unit in UNITS}
RATE_KEYS = ("first_time_rate", "resolution_rate", "satisfaction_rate")
STATUS_ORDER = {"待化解": 0, "化解中": 1, "已化解": 2}


@pytest.fixture(scope="module")
def records() -> SampleRecords:
    return generate_records(42)


@pytest.fixture(scope="module")
def few_units(records: SampleRecords) -> list[str]:
    """Units that between them use every file format and the rarer shapes, for quick writes."""
    grouped = next(u.full_name for u in UNITS if house_style(u).prev_year == "grouped")
    missing = records.missing["unit"].iloc[0]
    return list(dict.fromkeys([XLS_UNITS[0], ODS_UNIT, CSV_HOTLINE_UNIT, MISMATCHED_TOTALS[0][0], grouped, missing]))


@pytest.fixture(scope="module")
def written(records: SampleRecords, few_units: list[str], tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("returns")
    return out, write_returns(records.for_units(few_units), out)


def _month(frame: pd.DataFrame) -> pd.Series:
    return frame["date"].map(lambda d: d.strftime("%Y-%m"))


# --- the truth ---------------------------------------------------------------------------------


def test_same_seed_gives_identical_records(records):
    again = generate_records(42)
    for name, frame in records.frames().items():
        pd.testing.assert_frame_equal(frame, again.frames()[name], obj=name)


def test_another_seed_gives_other_records(records):
    assert not records.learning.equals(generate_records(7).learning)


def test_frames_use_the_contract_column_keys(records):
    assert list(records.learning.columns) == [c.key for c in contract.LEARNING.columns]
    assert list(records.problems.columns) == [c.key for c in contract.PROBLEMS.columns]
    assert list(records.indicators.columns) == [c.key for c in contract.INDICATORS.columns]
    assert list(records.hotline.columns) == ["unit", "month", "appeals", *RATE_KEYS]


def test_every_registered_unit_has_learning_rows_and_a_headcount(records):
    registered = {unit.full_name for unit in UNITS}
    assert set(records.learning["unit"]) == registered
    assert set(records.headcount["unit"]) == registered


def test_units_differ_in_size_and_soes_are_larger_than_mass_organisations(records):
    staff = dict(zip(records.headcount["unit"], records.headcount["headcount"], strict=True))
    assert 20 <= min(staff.values()) <= 40 and 450 <= max(staff.values()) <= 620
    by_category = {c: statistics.median(n for u, n in staff.items() if CATEGORY[u] == c) for c in contract.CATEGORIES}
    assert by_category["国有企业"] > 3 * by_category["群团事业"]


def test_activities_span_january_2024_to_october_2025(records):
    assert sorted(set(_month(records.learning))) == list(MONTHS)


def test_each_unit_runs_one_to_six_activities_a_month(records):
    per_month = records.learning.groupby(["unit", _month(records.learning)]).size()
    assert per_month.min() >= 1 and per_month.max() <= 6


@pytest.mark.parametrize("year", [2024, 2025])
def test_february_and_august_have_fewer_activities_than_march(records, year):
    counts = _month(records.learning).value_counts()
    assert counts[f"{year}-02"] < 0.7 * counts[f"{year}-03"]
    assert counts[f"{year}-08"] < 0.7 * counts[f"{year}-03"]


def test_person_times_never_exceed_headcount_times_sessions(records):
    staff = records.learning["unit"].map(dict(zip(records.headcount["unit"], records.headcount["headcount"])))
    assert (records.learning["person_times"] <= staff * records.learning["sessions"]).all()
    assert (records.learning["person_times"] >= 1).all()


def test_sessions_are_mostly_one_and_lectures_usually_at_least_sessions(records):
    learning = records.learning
    assert (learning["sessions"] == 1).mean() > 0.8
    assert learning["sessions"].between(1, 8).all()
    assert (learning["lectures"] >= learning["sessions"]).mean() > 0.9


def test_forms_and_themes_are_canonical_contract_choices(records):
    assert set(records.learning["form"]) == set(contract.ACTIVITY_FORMS.values)
    assert set(records.learning["theme"]) == set(contract.LEARNING_THEMES.values)


def test_between_70_and_90_units_have_appeals_and_the_organisation_department_has_none(records):
    units = set(records.hotline["unit"])
    assert 70 <= len(units) <= 90
    assert "中共临沂市委组织部" not in units
    assert CSV_HOTLINE_UNIT in units


def test_most_units_receive_fewer_appeals_in_2025_than_in_2024(records):
    hotline = records.hotline[records.hotline["month"].str[5:] <= "10"]
    totals = hotline.pivot_table(index="unit", columns=hotline["month"].str[:4], values="appeals", aggfunc="sum")
    change = totals["2025"] / totals["2024"]
    assert (change < 1).mean() > 0.75
    assert 0.7 <= change.median() <= 0.9


def test_appeals_range_from_a_handful_to_over_a_thousand(records):
    assert records.hotline["appeals"].min() <= 10
    assert 1000 <= records.hotline["appeals"].max() <= 2500


def test_hotline_rates_lie_between_080_and_0995_and_rise_in_2025(records):
    hotline = records.hotline
    for key in RATE_KEYS:
        assert hotline[key].between(0.80, 0.995).all()
        by_year = hotline.groupby(hotline["month"].str[:4])[key].mean()
        assert 0.005 < by_year["2025"] - by_year["2024"] < 0.05


def test_rates_have_at_most_four_decimals(records):
    for key in RATE_KEYS:
        assert (records.hotline[key] == records.hotline[key].round(4)).all()


def test_there_are_1200_to_1500_problems_and_about_nine_in_ten_are_resolved(records):
    problems = records.problems
    assert 1200 <= len(problems) <= 1500
    assert 0.85 <= (problems["status"] == contract.RESOLVED).mean() <= 0.95
    assert set(problems["problem_type"]) == set(contract.SUGGESTED_PROBLEM_TYPES)
    assert set(problems["stage"]) == set(contract.PROBLEM_STAGES.values)


def test_some_unit_categories_and_problem_types_close_below_the_target(records):
    resolved = records.problems["status"] == contract.RESOLVED
    by_category = resolved.groupby(records.problems["unit"].map(CATEGORY)).mean()
    by_type = resolved.groupby(records.problems["problem_type"]).mean()
    assert 1 <= (by_category < contract.CLOSURE_TARGET).sum() <= 3
    assert 1 <= (by_type < contract.CLOSURE_TARGET).sum() <= 3


def test_only_resolved_problems_have_a_resolved_date_between_finding_and_october_2025(records):
    problems = records.problems
    resolved = problems[problems["status"] == contract.RESOLVED]
    others = problems[problems["status"] != contract.RESOLVED]
    assert all(f <= r <= LAST_DAY for f, r in zip(resolved["found_date"], resolved["resolved_date"], strict=True))
    assert others["resolved_date"].map(lambda d: d is None).all()


def test_problem_keys_are_unique(records):
    numbered = records.problems.dropna(subset=["number"])
    assert not numbered.duplicated(["unit", "number"]).any()
    assert not records.problems.duplicated(["unit", "description", "found_date"]).any()
    assert 0 < records.problems["number"].isna().sum() < 0.1 * len(records.problems)


def test_june_snapshot_holds_problems_found_by_then_and_status_only_moves_forward(records):
    june = problems_as_of(records.problems, SNAPSHOT_DAY)
    assert (june["found_date"] <= SNAPSHOT_DAY).all()
    final = records.problems.set_index(["unit", "description", "found_date"])
    for row in june.itertuples():
        later = final.loc[(row.unit, row.description, row.found_date)]
        assert STATUS_ORDER[row.status] <= STATUS_ORDER[later["status"]]
        assert row.resolved_date is None or row.resolved_date == later["resolved_date"] <= SNAPSHOT_DAY
    assert (june["status"] != contract.RESOLVED).any() and (june["status"] == contract.RESOLVED).any()


def test_each_unit_reports_three_common_and_one_to_three_own_indicators_per_period(records):
    indicators = records.indicators
    assert set(indicators["period"]) == {"2024年", "2025年1-10月"}
    counts = indicators.groupby(["unit", "period", "indicator_type"]).size().unstack()
    assert (counts["共性指标"] == 3).all() and counts["个性指标"].between(1, 3).all()
    assert indicators.loc[indicators["indicator_type"] == "共性指标", "indicator"].nunique() == 3
    assert "越低越好" in set(indicators["direction"])


def test_a_few_units_miss_some_monthly_returns_and_those_months_have_no_rows(records):
    missing = records.missing
    assert 4 <= missing["unit"].nunique() <= 6
    assert set(missing["kind"]) == {"learning", "hotline"}
    gaps = set(zip(missing["unit"], missing["month"], strict=True))
    assert not gaps & set(zip(records.learning["unit"], _month(records.learning), strict=True))
    assert not gaps & set(zip(records.hotline["unit"], records.hotline["month"], strict=True))


# --- the files ---------------------------------------------------------------------------------


def test_written_returns_open_with_calamine_and_every_sheet_has_rows(written):
    _, paths = written
    for path in paths:
        if path.suffix == ".csv":
            assert path.read_bytes().decode("gbk").startswith("单位名称,月份,诉求量")
            continue
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            assert workbook.get_sheet_by_name(name).to_python(), f"{path.name}: sheet {name} is empty"


def test_one_file_per_unit_and_month_sent_plus_yearly_and_consolidated_files(records, few_units, written):
    out, paths = written
    names = {str(path.relative_to(out)) for path in paths}
    short = {unit.full_name: unit.short_name for unit in UNITS}
    sent_2025 = len(few_units) * 10 - len(
        records.missing[records.missing["unit"].isin(few_units)].drop_duplicates(["unit", "month"])
    )
    assert sum(name.startswith("2025/") for name in names) == sent_2025
    assert f"2024/{short[XLS_UNITS[0]]}_2024年.xls" in names
    assert f"2024/{short[ODS_UNIT]}_2024年.ods" in names
    assert f"2024/{short[CSV_HOTLINE_UNIT]}_2024年_12345热线.csv" in names
    assert "2025/03/" + f"{short[few_units[0]]}_2025年3月.xlsx" in names
    assert {name for name in names if not name.startswith("202")} == {
        "问题清单/市直机关工委_问题清单汇总_截至2025年6月.xlsx",
        "问题清单/市直机关工委_问题清单汇总_截至2025年10月.xlsx",
        "指标/市直机关工委_指标完成情况_2024年.xlsx",
        "指标/市直机关工委_指标完成情况_2025年1-10月.xlsx",
    }


def test_writing_twice_gives_byte_identical_files(records, tmp_path):
    few = records.for_units([ODS_UNIT, XLS_UNITS[0]])
    first = write_returns(few, tmp_path / "first")
    second = write_returns(few, tmp_path / "second")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_grouped_hotline_header_repeats_last_years_truth(records):
    unit = next(
        u for u in UNITS if house_style(u).prev_year == "grouped" and u.full_name in set(records.hotline["unit"])
    )
    hotline = records.hotline.set_index(["unit", "month"])
    now, then = (tuple(hotline.loc[(unit.full_name, m)]) for m in ("2025-05", "2024-05"))
    house = house_style(unit)
    grid = hotline_grid(
        Return(unit, house, "2025年5月", 100, random.Random(0)),
        [(unit.full_name, "2025-05", *now)],
        previous={"2025-05": (unit.full_name, "2024-05", *then)},
        totals=False,
    )
    upper = next(row for row in grid.rows if "上年同期" in row)
    data = grid.rows[grid.rows.index(upper) + 2]
    first = upper.index("上年同期")
    assert data[first] == count_cell(then[0], house.count_style, "件")
    assert data[first + 1 : first + 4] == [rate_cell(r, s) for r, s in zip(then[1:], house.rate_styles, strict=True)]


def test_june_ledger_headers_are_contract_names_or_aliases():
    for key, header in JUNE_LEDGER_HEADERS.items():
        assert header in contract.PROBLEMS.column(key).names


def test_main_refuses_to_clear_a_folder_with_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path)])
    assert (tmp_path / "notes.txt").exists()
