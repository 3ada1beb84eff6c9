"""lingyi/metrics/: the figures of spec §5, worked out by hand from small returns."""

from __future__ import annotations

import dataclasses
import pickle

import pandas as pd
import pytest
from factories import (
    HOTLINE_HEADER,
    INDICATOR_HEADER,
    LEARNING_HEADER,
    OTHER_UNIT,
    PROBLEM_HEADER,
    UNIT,
    indicator_periods,
    write_csv,
    write_xlsx,
)

from lingyi import metrics
from lingyi.contract import CATEGORIES
from lingyi.intake.ingest import Outcome, ingest_file
from lingyi.metrics import Scope
from lingyi.metrics import dataset as dataset_module
from lingyi.store import Store

PRIOR_HEADER = [*HOTLINE_HEADER, "上年同期诉求量", "上年同期一次性办好率", "上年同期问题解决率", "上年同期群众满意率"]
TOTALS = ("activities", "sessions", "lectures", "person_times")
# UNIT (临沂市民政局) is 社会服务, OTHER_UNIT (临沂市财政局) is 经济发展.


def dataset(folder, *files):
    """The dataset of a store that has accepted each (file name, rows), written as CSV into ``folder``."""
    store = Store(f"sqlite:///{folder / 'lingyi.db'}")
    for name, rows in files:
        path = write_csv(folder / name, rows)
        result = ingest_file(store, path.read_bytes(), path.name)
        assert result.outcome is Outcome.ACCEPTED, [str(f) for f in result.errors]
    loaded = metrics.load(store)
    store.close()
    return loaded


@pytest.fixture
def load(tmp_path):
    return lambda *files: dataset(tmp_path, *files)


def activity(unit, date, sessions, lectures, person_times, *, form="讲堂", theme="党的创新理论"):
    return [None, unit, "学习", form, theme, date, sessions, lectures, person_times, None]


LEARNING = [
    LEARNING_HEADER,
    activity(UNIT, "2025-10-09", 2, 4, 100),
    activity(UNIT, "2025-10-20", 1, None, 50, form="专题培训"),  # 节数 defaults to 期数
    activity(UNIT, "2025-03-02", 1, 2, 30, theme="政策专业知识"),
    activity(UNIT, "2025-11-05", 5, 5, 999),  # after the month M = 10
    activity(UNIT, "2024-10-09", 5, 5, 888),  # last year
    activity(OTHER_UNIT, "2025-05-12", 3, 6, 200, form="研讨交流"),
]


@pytest.fixture(scope="module")
def learning(tmp_path_factory):
    # The figures are pure pandas on a loaded dataset: one store serves every test of a fixture.
    return dataset(tmp_path_factory.mktemp("learning"), ("学习活动.csv", LEARNING))


def test_learning_counts_rows_and_sums_sessions_lectures_and_person_times_through_month_m(learning):
    assert metrics.learning_totals(learning, Scope(2025, 10)) == {
        "activities": 4,
        "sessions": 7,
        "lectures": 13,
        "person_times": 380,
    }
    assert metrics.learning_totals(learning, Scope(2025, 11))["person_times"] == 1379
    assert metrics.learning_totals(learning, Scope(2024, 12))["person_times"] == 888


def test_learning_by_category_lists_all_six_in_order_with_zeros(learning):
    frame = metrics.learning_by(learning, Scope(2025, 10), "category")
    assert [str(c) for c in frame["category"]] == list(CATEGORIES)
    by = frame.set_index(frame["category"].astype(str))
    assert by.loc["社会服务", list(TOTALS)].tolist() == [3, 4, 7, 180]
    assert by.loc["经济发展", list(TOTALS)].tolist() == [1, 3, 6, 200]
    assert by.loc["党政综合", list(TOTALS)].tolist() == [0, 0, 0, 0]


def test_learning_by_month_runs_from_january_to_month_m(learning):
    frame = metrics.learning_by(learning, Scope(2025, 10), "month")
    assert list(frame["month"]) == list(range(1, 11))
    assert list(frame["person_times"]) == [0, 0, 30, 0, 200, 0, 0, 0, 0, 150]


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("form", {"讲堂": 130, "专题培训": 50, "研讨交流": 200}),
        ("theme", {"党的创新理论": 350, "政策专业知识": 30}),
    ],
)
def test_learning_by_form_and_theme(learning, by, expected):
    frame = metrics.learning_by(learning, Scope(2025, 10), by)
    assert dict(zip(frame[by], frame["person_times"])) == expected


def test_learning_per_head_is_person_times_over_headcount_where_known(store, submit, tmp_path):
    sheets = {"基本信息": [["填报单位", UNIT], ["在职人数", 90]], "学习活动": LEARNING}
    assert submit(write_xlsx(tmp_path / "a.xlsx", sheets)).outcome is Outcome.ACCEPTED
    frame = metrics.learning_by(metrics.load(store), Scope(2025, 10), "unit").set_index("unit")
    assert len(frame) == 108
    assert frame.loc[UNIT, "per_head"] == 2.0  # 180 ÷ 90
    assert pd.isna(frame.loc[OTHER_UNIT, "per_head"])  # no headcount: no figure, not 0
    assert frame.loc[OTHER_UNIT, "person_times"] == 200


def test_scope_narrows_to_categories_and_units(learning):
    assert metrics.learning_totals(learning, Scope(2025, 10, categories=("经济发展",)))["person_times"] == 200
    assert metrics.learning_totals(learning, Scope(2025, 10, units=(UNIT,)))["person_times"] == 180
    assert metrics.learning_totals(learning, Scope(2025, 10, categories=("国有企业",)))["activities"] == 0


# -- 热线 ---------------------------------------------------------------------------------------------------------

HOTLINE_2024 = [
    HOTLINE_HEADER,
    [UNIT, "2024-01", 100, 0.80, 0.80, 0.90],
    [UNIT, "2024-02", 300, 0.90, 0.90, 0.90],
]
HOTLINE_2025 = [
    PRIOR_HEADER,
    # 民政局's 上年同期 disagrees with the stored 2024 rows: the stored rows win
    [UNIT, "2025-01", 200, 0.90, 0.95, 0.96, 999, 0.10, 0.10, 0.10],
    [UNIT, "2025-02", 200, 0.70, 0.85, 0.94, 999, 0.10, 0.10, 0.10],
    [UNIT, "2025-03", 500, 0.50, 0.50, 0.50, None, None, None, None],
    # 财政局 has no 2024 rows: its 上年同期 stands in
    [OTHER_UNIT, "2025-01", 50, 1.00, 0.90, 0.80, 40, 0.50, 0.50, 0.50],
    [OTHER_UNIT, "2025-02", 150, 0.60, 0.90, 0.80, 60, 1.00, 1.00, 1.00],
]


@pytest.fixture(scope="module")
def hotline(tmp_path_factory):
    return dataset(tmp_path_factory.mktemp("hotline"), ("热线2024.csv", HOTLINE_2024), ("热线2025.csv", HOTLINE_2025))


def test_hotline_appeals_and_the_same_months_a_year_earlier(hotline):
    figures = metrics.hotline_totals(hotline, Scope(2025, 2))
    assert (figures["appeals"], figures["appeals_prev"]) == (600, 500)
    assert figures["appeals_yoy"] == pytest.approx(0.2)


def test_hotline_rate_over_months_and_units_is_weighted_by_appeals(hotline):
    figures = metrics.hotline_totals(hotline, Scope(2025, 2))
    assert figures["first_time_rate"] == pytest.approx((200 * 0.9 + 200 * 0.7 + 50 * 1.0 + 150 * 0.6) / 600)
    assert figures["first_time_rate_prev"] == pytest.approx((100 * 0.8 + 300 * 0.9 + 40 * 0.5 + 60 * 1.0) / 500)
    assert figures["first_time_rate_change"] == pytest.approx(460 / 600 - 430 / 500)


def test_summary_gives_rates_in_percent_and_their_change_in_points(hotline):
    hot = metrics.summary(hotline, Scope(2025, 2))["hotline"]
    assert hot == {
        "appeals": 600,
        "appeals_prev": 500,
        "appeals_yoy_pct": 20.0,
        "first_time_rate_pct": 76.67,
        "first_time_rate_prev_pct": 86.0,
        "first_time_rate_pp": -9.33,
        "resolution_rate_pct": round((200 * 0.95 + 200 * 0.85 + 50 * 0.9 + 150 * 0.9) / 6, 2),
        "resolution_rate_prev_pct": round((100 * 0.8 + 300 * 0.9 + 40 * 0.5 + 60 * 1.0) / 5, 2),
        "resolution_rate_pp": round(((200 * 0.95 + 200 * 0.85 + 50 * 0.9 + 150 * 0.9) / 600 - 430 / 500) * 100, 2),
        "satisfaction_rate_pct": round((200 * 0.96 + 200 * 0.94 + 50 * 0.8 + 150 * 0.8) / 6, 2),
        "satisfaction_rate_prev_pct": round((100 * 0.9 + 300 * 0.9 + 40 * 0.5 + 60 * 1.0) / 5, 2),
        "satisfaction_rate_pp": round(((200 * 0.96 + 200 * 0.94 + 50 * 0.8 + 150 * 0.8) / 600 - 440 / 500) * 100, 2),
    }


def test_hotline_through_month_m_only(hotline):
    assert metrics.hotline_totals(hotline, Scope(2025, 1))["appeals"] == 250
    assert metrics.hotline_totals(hotline, Scope(2025, 3))["appeals"] == 1100


def test_hotline_without_last_year_has_null_changes_not_zero(load):
    ds = load(("热线.csv", [HOTLINE_HEADER, [UNIT, "2025-01", 100, "90%", "", "80%"]]))
    hot = metrics.summary(ds, Scope(2025, 1))["hotline"]
    assert (hot["appeals"], hot["appeals_prev"], hot["appeals_yoy_pct"]) == (100, None, None)
    assert (hot["first_time_rate_pct"], hot["first_time_rate_prev_pct"], hot["first_time_rate_pp"]) == (
        90.0,
        None,
        None,
    )
    assert hot["resolution_rate_pct"] is None  # no rate reported: null, not 0
    assert hot["satisfaction_rate_pct"] == 80.0


def test_hotline_of_a_year_without_data_is_all_null_or_zero_counts(hotline):
    hot = metrics.summary(hotline, Scope(2023, 12))["hotline"]
    assert (hot["appeals"], hot["appeals_prev"]) == (0, None)
    figures = {k: v for k, v in hot.items() if k != "appeals"}
    assert len(figures) == 11
    assert [k for k, v in figures.items() if v is not None] == []  # no data: null, never 0


def test_rate_of_months_with_no_appeals_cannot_be_weighted(load):
    ds = load(("热线.csv", [HOTLINE_HEADER, [UNIT, "2025-01", 0, "90%", "90%", "90%"]]))
    assert metrics.hotline_totals(ds, Scope(2025, 1))["first_time_rate"] is None


def test_hotline_by_category_and_month(hotline):
    by_category = metrics.hotline_by(hotline, Scope(2025, 2), "category").set_index("category")
    assert list(by_category.index) == list(CATEGORIES)
    assert by_category.loc["社会服务", "appeals"] == 400
    assert by_category.loc["经济发展", "appeals_prev"] == 100
    assert pd.isna(by_category.loc["党政综合", "first_time_rate"])  # no figure, not 0
    by_month = metrics.hotline_by(hotline, Scope(2025, 2), "month")
    assert list(zip(by_month["month"], by_month["appeals"], by_month["appeals_prev"])) == [(1, 250, 140), (2, 350, 360)]


# -- 问题化解 ------------------------------------------------------------------------------------------------------

PROBLEMS = [
    PROBLEM_HEADER,
    [UNIT, "P1", "问题一", "业务工作", "2024-11-05", "已化解", "2025-02-01", "解题"],  # found last year
    [UNIT, "P2", "问题二", "业务工作", "2025-03-01", "已化解", "2025-07-15", "解题"],  # resolved after June
    [UNIT, "P3", "问题三", "作风纪律", "2025-05-20", "化解中", None, "破题"],
    [OTHER_UNIT, "P4", "问题四", None, "2025-06-30", "待化解", None, "点题"],  # found on the last day of June
    [OTHER_UNIT, "P5", "问题五", "业务工作", "2025-07-01", "待化解", None, "点题"],  # found after June
    [OTHER_UNIT, "P6", "问题六", "业务工作", "2023-01-01", "已化解", "2023-02-01", "验题"],  # years ago
]


@pytest.fixture(scope="module")
def problems(tmp_path_factory):
    return dataset(tmp_path_factory.mktemp("problems"), ("问题清单.csv", PROBLEMS))


def test_problems_found_and_resolved_by_the_end_of_month_m_across_all_years(problems):
    assert metrics.problem_totals(problems, Scope(2025, 6)) == {
        "units_screened": 2,
        "found": 5,
        "resolved": 2,
        "closure_rate": 0.4,
    }
    assert metrics.problem_totals(problems, Scope(2025, 7)) == {
        "units_screened": 2,
        "found": 6,
        "resolved": 3,
        "closure_rate": 0.5,
    }
    assert metrics.problem_totals(problems, Scope(2024, 12))["found"] == 2


def test_summary_of_problems_by_category_and_problem_type(problems):
    figures = metrics.summary(problems, Scope(2025, 6))["problems"]
    assert (figures["found"], figures["resolved"], figures["closure_rate_pct"], figures["units_screened"]) == (
        5,
        2,
        40.0,
        2,
    )
    assert list(figures["by_category"]) == list(CATEGORIES)
    assert figures["by_category"]["社会服务"] == {"found": 3, "resolved": 1, "closure_rate_pct": 33.33}
    assert figures["by_category"]["经济发展"] == {"found": 2, "resolved": 1, "closure_rate_pct": 50.0}
    assert figures["by_category"]["国有企业"] == {"found": 0, "resolved": 0, "closure_rate_pct": None}
    assert figures["by_problem_type"] == {
        "业务工作": {"found": 3, "resolved": 2, "closure_rate_pct": 66.67},
        "作风纪律": {"found": 1, "resolved": 0, "closure_rate_pct": 0.0},
        "未分类": {"found": 1, "resolved": 0, "closure_rate_pct": 0.0},
    }


def test_problems_below_the_90_percent_target_are_marked(problems):
    frame = metrics.problems_by(problems, Scope(2025, 6), "category").set_index("category")
    assert bool(frame.loc["社会服务", "below_target"]) is True
    assert pd.isna(frame.loc["国有企业", "closure_rate"])


def test_problems_cumulative_month_by_month(problems):
    frame = metrics.problems_cumulative(problems, Scope(2025, 6))
    assert list(frame["found"]) == [2, 2, 3, 3, 4, 5]
    assert list(frame["resolved"]) == [1, 2, 2, 2, 2, 2]


def test_open_problems_oldest_first_with_days_open(problems):
    frame = metrics.open_problems(problems, Scope(2025, 6))
    assert list(frame["number"]) == ["P2", "P3", "P4"]
    assert list(frame["days_open"]) == [121, 41, 0]
    assert list(frame["status_then"]) == ["化解中", "化解中", "待化解"]  # P2 was not yet resolved in June


# -- 指标完成 -----------------------------------------------------------------------------------------------------


def test_indicator_completion_follows_its_direction(load):
    rows = [
        INDICATOR_HEADER,
        [UNIT, "共性指标", "学习次数", "次", 12, 9, "越高越好", "2025年1-10月"],
        [UNIT, "个性指标", "投诉件数", "件", 20, 25, "越低越好", "2025年1-10月"],
        [UNIT, "个性指标", "安全事故", "起", 0, 0, "越低越好", "2025年1-10月"],
        [UNIT, "共性指标", "学习次数", "次", 12, 4, "越高越好", "2025年1-3月"],  # an earlier period
    ]
    frame = metrics.indicator_rows(load(("指标完成.csv", rows)), Scope(2025, 10)).set_index("indicator")
    assert frame.loc["学习次数", "completion"] == 0.75
    assert frame.loc["投诉件数", "completion"] == 0.8
    assert frame.loc["安全事故", "completion"] == 1.0
    assert [bool(frame.loc[i, "met"]) for i in ("学习次数", "投诉件数", "安全事故")] == [False, False, True]


def test_indicator_given_for_the_month_and_the_year_to_date_counts_once_for_the_year_to_date(load):
    rows = [
        INDICATOR_HEADER,
        [UNIT, "共性指标", "学习次数", "次", 12, 9, "越高越好", "2025年1-10月"],
        [UNIT, "共性指标", "学习次数", "次", 1, 1, "越高越好", "2025年10月"],
    ]
    ds = load(("指标完成.csv", rows))
    frame = metrics.indicator_rows(ds, Scope(2025, 10))
    assert list(frame["completion"]) == [0.75]
    totals = metrics.indicator_totals(ds, Scope(2025, 10)).set_index("indicator_type")
    assert (totals.loc["全部", "indicators"], totals.loc["全部", "met"]) == (1, 0)


@pytest.fixture
def three_periods(load):
    return load(("指标完成.csv", indicator_periods()))


@pytest.mark.parametrize("through", [9, 10, 12])
def test_a_period_running_past_the_month_counts_as_the_latest_reported_and_says_so(three_periods, through):
    frame = metrics.indicator_rows(three_periods, Scope(2025, through)).set_index("indicator")
    assert sorted(frame.index) == sorted(["学习次数", "投诉件数"])
    studies = frame.loc["学习次数"]
    assert (studies["period"], studies["target"], studies["actual"]) == ("2025年", 12, 13)
    assert bool(studies["running"]) is (through < 12)
    expected = "2025年（年度指标，截至报送）" if through < 12 else "2025年"
    assert studies["period_text"] == expected
    assert frame.loc["投诉件数", "period_text"] == "2025年9月"
    assert frame.loc["投诉件数", "completion"] == 1.25


def test_a_period_that_begins_after_the_month_is_not_in_scope(three_periods):
    frame = metrics.indicator_rows(three_periods, Scope(2025, 8))
    assert list(frame["indicator"]) == ["学习次数"]  # 投诉件数 has only September's figure
    assert list(frame["period_text"]) == ["2025年（年度指标，截至报送）"]


@pytest.mark.parametrize("through", [9, 10])
def test_summary_counts_each_indicator_once_by_its_latest_ending_period(three_periods, through):
    figures = metrics.summary(three_periods, Scope(2025, through))["indicators"]
    assert (figures["count"], figures["met"], figures["met_pct"]) == (2, 2, 100.0)
    assert figures["by_type"] == {
        "共性指标": {"count": 1, "met": 1, "met_pct": 100.0},
        "个性指标": {"count": 1, "met": 1, "met_pct": 100.0},
    }
    assert figures["by_category"]["社会服务"] == {"count": 2, "met": 2, "met_pct": 100.0}
    assert figures["by_category"]["经济发展"] == {"count": 0, "met": 0, "met_pct": None}


def test_indicators_of_another_year_are_named_with_the_filter_that_shows_them(three_periods):
    elsewhere = metrics.indicator_periods_elsewhere(three_periods, Scope(2024, 12))
    assert list(elsewhere["period"]) == ["2025年1-10月", "2025年", "2025年9月"]
    assert list(elsewhere["rows"]) == [1, 1, 2]
    assert list(elsewhere["year"]) == [2025, 2025, 2025]
    assert list(elsewhere["through"]) == [10, 12, 9]  # no months of other data: each period's own last month
    assert metrics.indicator_periods_elsewhere(three_periods, Scope(2025, 10)).empty
    assert 2025 in metrics.years_with_data(three_periods)


def test_a_month_before_a_period_begins_names_that_period(three_periods):
    elsewhere = metrics.indicator_periods_elsewhere(three_periods, Scope(2025, 8))
    assert list(elsewhere["period"]) == ["2025年9月"]
    assert (int(elsewhere["year"].iloc[0]), int(elsewhere["through"].iloc[0])) == (2025, 9)


# -- the summary of spec §6 ------------------------------------------------------------------------------------------


def test_summary_has_exactly_the_shape_of_the_spec(learning):
    figures = metrics.summary(learning, Scope(2025, 10))
    assert list(figures) == ["year", "through", "units", "learning", "hotline", "problems", "indicators", "coverage"]
    assert (figures["year"], figures["through"]) == (2025, "2025-10")
    assert figures["units"] == {"registered": 108, "reporting": 2}
    assert list(figures["learning"]) == [*TOTALS, "by_category"]
    assert list(figures["learning"]["by_category"]) == list(CATEGORIES)
    assert figures["learning"]["by_category"]["社会服务"] == {
        "activities": 3,
        "sessions": 4,
        "lectures": 7,
        "person_times": 180,
    }
    assert list(figures["hotline"]) == [
        "appeals",
        "appeals_prev",
        "appeals_yoy_pct",
        *(f"{r}_{s}" for r in metrics.RATES for s in ("pct", "prev_pct", "pp")),
    ]
    assert list(figures["problems"]) == [
        "units_screened",
        "found",
        "resolved",
        "closure_rate_pct",
        "by_category",
        "by_problem_type",
    ]
    assert all(type(v) is int for v in figures["learning"]["by_category"]["社会服务"].values())
    assert list(figures["indicators"]) == ["count", "met", "met_pct", "by_type", "by_category"]
    assert list(figures["indicators"]["by_type"]) == ["共性指标", "个性指标"]
    assert list(figures["indicators"]["by_category"]) == list(CATEGORIES)
    assert figures["indicators"]["by_category"]["党政综合"] == {"count": 0, "met": 0, "met_pct": None}


def test_empty_store_gives_zeros_and_nulls(store):
    figures = metrics.summary(metrics.load(store), Scope(2025, 10))
    assert figures["units"] == {"registered": 108, "reporting": 0}
    assert figures["learning"]["activities"] == 0
    assert figures["problems"]["closure_rate_pct"] is None
    assert figures["problems"]["by_category"]["党政综合"] == {"found": 0, "resolved": 0, "closure_rate_pct": None}


def test_units_reporting_are_those_with_a_submission_in_months_one_to_m(learning):
    assert metrics.reporting_units(learning, Scope(2025, 10)) == {UNIT, OTHER_UNIT}
    assert metrics.reporting_units(learning, Scope(2025, 10, categories=("经济发展",))) == {OTHER_UNIT}
    assert metrics.summary(learning, Scope(2025, 10, categories=("经济发展",)))["units"] == {
        "registered": 24,
        "reporting": 1,
    }


def test_default_year_and_month_are_the_latest_with_data(learning):
    assert metrics.default_year(learning) == 2025
    assert metrics.latest_month(learning, 2025) == 11
    assert metrics.latest_month(learning, 2024) == 10
    assert metrics.latest_month(learning, 2019) == 12
    assert metrics.years_with_data(learning) == [2024, 2025]


def test_scope_end_date_and_span_label():
    assert str(Scope(2024, 2).end_date) == "2024-02-29"
    assert Scope(2025, 10).span_label == "2025年1—10月"
    assert Scope(2025, 1).span_label == "2025年1月"
    assert Scope(2025, 10).as_of_label == "截至2025年10月"  # problems: to the month's end, all years


# -- figures remembered per scope ------------------------------------------------------------------------------


def test_a_figure_changed_by_one_caller_is_unchanged_for_the_next(learning):
    scope = Scope(2025, 10)
    first = metrics.learning_by(learning, scope, "category")
    expected = first.copy(deep=True)
    first["person_times"] = -1
    first.loc[0, "activities"] = 99_999
    pd.testing.assert_frame_equal(metrics.learning_by(learning, scope, "category"), expected)
    rows = metrics.learning_rows(learning, scope)
    rows["sessions"] = 0
    assert metrics.learning_totals(learning, scope)["sessions"] == 7


def test_remembered_figures_are_forgotten_beyond_the_limit_and_still_right(learning, monkeypatch):
    monkeypatch.setattr(dataset_module, "MEMO_ENTRIES", 3)
    for through in range(1, 13):
        metrics.learning_by(learning, Scope(2025, through), "month")
        assert len(learning._memo) <= 3
    by_month = metrics.learning_by(learning, Scope(2025, 10), "month")
    assert list(by_month["person_times"]) == [0, 0, 30, 0, 200, 0, 0, 0, 0, 150]


def test_a_dataset_narrowed_with_replace_works_its_figures_out_afresh(learning):
    scope = Scope(2025, 10)
    assert metrics.reporting_units(learning, scope) == {UNIT, OTHER_UNIT}
    none_submitted = dataclasses.replace(learning, submissions=learning.submissions.iloc[0:0])
    assert metrics.reporting_units(none_submitted, scope) == set()
    assert metrics.reporting_units(learning, scope) == {UNIT, OTHER_UNIT}


def test_a_dataset_pickles_without_its_remembered_figures(learning):
    metrics.learning_by(learning, Scope(2025, 10), "unit")
    copied = pickle.loads(pickle.dumps(learning))
    assert len(copied._memo) == 0
    pd.testing.assert_frame_equal(
        metrics.learning_by(copied, Scope(2025, 10), "unit"), metrics.learning_by(learning, Scope(2025, 10), "unit")
    )


# -- like for like (同口径, spec §5) and coverage (spec §6) -----------------------------------------------------


def hotline_row(unit, month, appeals, rate):
    return [unit, month, appeals, rate, rate, rate]


@pytest.fixture
def october_missing(load):
    """Two units each year; 临沂市财政局's October 2025 is not in yet (its 2024 October is)."""
    return load(
        (
            "热线2024.csv",
            [
                HOTLINE_HEADER,
                hotline_row(UNIT, "2024-09", 100, "80%"),
                hotline_row(UNIT, "2024-10", 100, "80%"),
                hotline_row(OTHER_UNIT, "2024-09", 50, "60%"),
                hotline_row(OTHER_UNIT, "2024-10", 60, "60%"),
            ],
        ),
        (
            "热线2025.csv",
            [
                HOTLINE_HEADER,
                hotline_row(UNIT, "2025-09", 80, "90%"),
                hotline_row(UNIT, "2025-10", 90, "90%"),
                hotline_row(OTHER_UNIT, "2025-09", 40, "70%"),
            ],
        ),
        (
            "学习民政局2025.csv",
            [LEARNING_HEADER, activity(UNIT, "2025-09-03", 1, 1, 10), activity(UNIT, "2025-10-03", 1, 1, 20)],
        ),
        ("学习财政局2025.csv", [LEARNING_HEADER, activity(OTHER_UNIT, "2025-09-03", 1, 1, 30)]),
        (
            "学习2024.csv",
            [
                LEARNING_HEADER,
                activity(UNIT, "2024-09-03", 1, 1, 40),
                activity(UNIT, "2024-10-03", 1, 1, 50),
                activity(OTHER_UNIT, "2024-09-03", 1, 1, 60),
                activity(OTHER_UNIT, "2024-10-03", 1, 1, 70),  # its 2025 October is not in: not compared
            ],
        ),
    )


def test_year_on_year_leaves_out_last_years_month_of_a_unit_not_in_this_year(october_missing):
    hot = metrics.summary(october_missing, Scope(2025, 10))["hotline"]
    this_year, like_for_like = 80 + 90 + 40, 100 + 100 + 50  # not 310: 财政局's October 2024 has no pair
    assert (hot["appeals"], hot["appeals_prev"]) == (this_year, like_for_like)
    assert hot["appeals_yoy_pct"] == round((this_year - like_for_like) / like_for_like * 100, 2)
    # Rates weighted by 诉求量 over the same pairs: (100×0.8 + 100×0.8 + 50×0.6) ÷ 250.
    assert hot["first_time_rate_prev_pct"] == round((80 + 80 + 30) / 250 * 100, 2)


def test_year_on_year_by_month_and_category_is_like_for_like_too(october_missing):
    by_month = metrics.hotline_by(october_missing, Scope(2025, 10), "month").set_index("month")
    assert (by_month.loc[10, "appeals"], by_month.loc[10, "appeals_prev"]) == (90, 100)
    by_category = metrics.hotline_by(october_missing, Scope(2025, 10), "category").set_index("category")
    assert (by_category.loc["经济发展", "appeals"], by_category.loc["经济发展", "appeals_prev"]) == (40, 50)


def test_learning_year_on_year_counts_last_year_over_the_months_reported_this_year(october_missing):
    previous = metrics.learning_previous_totals(october_missing, Scope(2025, 10))
    assert previous["person_times"] == 40 + 50 + 60  # 财政局's October 2024 (70) left out
    assert previous["activities"] == 3


def test_coverage_names_who_is_missing_the_latest_month(october_missing):
    coverage = metrics.summary(october_missing, Scope(2025, 10))["coverage"]
    hotline = coverage["hotline"]
    assert (hotline["month"], hotline["expected"], hotline["reported"]) == ("2025-10", 108, 1)
    assert "市财政局" in hotline["missing"] and "市民政局" not in hotline["missing"]
    assert len(hotline["missing"]) == 107
    assert coverage["learning"]["reported"] == 1
    assert "市财政局" in coverage["learning"]["missing"]


def test_a_year_on_year_with_a_month_missing_carries_the_like_for_like_note(october_missing):
    note = metrics.coverage(october_missing, Scope(2025, 10), "hotline").note
    assert note == "10月尚有 1 家单位未报送，同比按同口径计算"
    assert metrics.coverage(october_missing, Scope(2025, 9), "hotline").note == ""


def test_a_unit_that_never_sends_the_kind_does_not_make_a_month_incomplete(load):
    ds = load(
        ("热线.csv", [HOTLINE_HEADER, hotline_row(UNIT, "2025-09", 80, "90%"), hotline_row(UNIT, "2025-10", 90, "90%")])
    )
    assert metrics.coverage(ds, Scope(2025, 10), "hotline").note == ""


def test_a_store_with_no_previous_year_has_null_previous_figures(load):
    ds = load(("热线.csv", [HOTLINE_HEADER, hotline_row(UNIT, "2025-10", 90, "90%")]))
    hot = metrics.summary(ds, Scope(2025, 10))["hotline"]
    assert (hot["appeals_prev"], hot["appeals_yoy_pct"], hot["first_time_rate_pp"]) == (None, None, None)
    assert metrics.learning_previous_totals(ds, Scope(2025, 10)) is None


@pytest.mark.parametrize(
    ("gaps", "note"),
    [
        (((10, 2),), "10月尚有 2 家单位未报送，同比按同口径计算"),
        (((9, 1), (10, 2)), "9月有 1 家，10月有 2 家单位未报送，同比按同口径计算"),
        (((2, 1), (4, 1), (5, 1), (10, 2)), "2月、4—5月各有 1 家，10月有 2 家单位未报送，同比按同口径计算"),
        ((), ""),
    ],
)
def test_like_for_like_note_names_the_months_short(gaps, note):
    assert metrics.Coverage("hotline", 202510, 108, 106, (), gaps).note == note


def test_a_unit_marked_not_concerned_is_not_expected(october_missing):
    registry = october_missing.registry.with_exempt(OTHER_UNIT, "hotline", True)
    ds = dataclasses.replace(october_missing, registry=registry)
    coverage = metrics.coverage(ds, Scope(2025, 10), "hotline")
    assert (coverage.expected, coverage.reported) == (107, 1)
    assert "市财政局" not in coverage.missing
    assert coverage.note == ""
