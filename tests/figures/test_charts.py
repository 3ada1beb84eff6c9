"""lingyi/figures/: charts tested as data (their values, titles and colours), and the number formats."""

from __future__ import annotations

import math

import pandas as pd
import plotly.io as pio
import pytest

from lingyi import figures
from lingyi.contract import CATEGORIES, CLOSURE_TARGET, PROBLEM_STAGES

EXECUTIVE = "执法监督"


def category_frame(**columns: list) -> pd.DataFrame:
    return pd.DataFrame({"category": list(CATEGORIES), **columns})


def unit_frame(values: list[float | None], *, column: str = "person_times") -> pd.DataFrame:
    count = len(values)
    return pd.DataFrame(
        {
            "unit": [f"临沂市单位{i}" for i in range(count)],
            "short_name": [f"单位{i}" for i in range(count)],
            "category": [CATEGORIES[i % 6] for i in range(count)],
            column: pd.array(values, dtype="Float64"),
        }
    )


def bar_colors(fig, trace: int = 0) -> list[str]:
    return list(fig.data[trace].marker.color)


# -- number formats -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (0, "", "0"),
        (7, " 项", "7 项"),
        (9999, "", "9,999"),
        (10000, "", "1万"),
        (12345, "", "1.23万"),
        (283000, "", "28.3万"),  # one rule everywhere: never 28.30万 beside 28.3万
        (100000, "", "10万"),
        (123738, " 件", "12.37万 件"),
        (303600, "", "30.36万"),
        (123456789, "", "1.23亿"),
        (2.5, "", "2.50"),
        (None, "", "无数据"),
        (float("nan"), " 件", "无数据"),
        (pd.NA, "", "无数据"),
    ],
)
def test_count_text_uses_thousands_separators_and_wan_from_ten_thousand(value, unit, expected):
    assert figures.count_text(value, unit) == expected


@pytest.mark.parametrize(
    ("fraction", "expected"), [(0.93721, "93.72%"), (1.0, "100.00%"), (0.0, "0.00%"), (None, "无数据")]
)
def test_percent_text_has_two_decimals(fraction, expected):
    assert figures.percent_text(fraction) == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (0.0123, "+1.23 个百分点"),
        (-0.005, "-0.50 个百分点"),
        (0.029, "+2.90 个百分点"),
        (0.0, "0.00 个百分点"),
        (-0.00001, "0.00 个百分点"),
        (None, "无数据"),
    ],
)
def test_a_change_of_rate_is_in_percentage_points_never_percent(change, expected):
    text = figures.points_text(change)
    assert text == expected
    assert "%" not in text


@pytest.mark.parametrize(("fraction", "expected"), [(0.0765, "+7.65%"), (-0.2001, "-20.01%"), (None, "无数据")])
def test_change_text_signs_a_relative_change(fraction, expected):
    assert figures.change_text(fraction) == expected


@pytest.mark.parametrize(
    ("value", "measure", "expected"),
    [
        (43932, "person_times", "4.39万 人次"),
        (0.9478, "satisfaction_rate", "94.78%"),
        (0.027, "satisfaction_rate_change", "+2.70 个百分点"),
        (22.349, "per_head", "22.35 人次/人"),
        (None, "per_head", "无数据"),
    ],
)
def test_measure_text_follows_the_kind_of_the_measure(value, measure, expected):
    assert figures.measure_text(value, measure) == expected


# -- the template ------------------------------------------------------------------------------------------------------


def test_the_template_is_registered_once_with_a_cjk_font_stack_and_a_white_background():
    template = pio.templates[figures.TEMPLATE]
    assert template.layout.font.family.startswith('"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC"')
    assert template.layout.paper_bgcolor == "white"
    assert template.layout.plot_bgcolor == "white"
    assert list(template.layout.colorway) == [figures.CATEGORY_COLORS[c] for c in CATEGORIES]


def test_six_distinct_category_colours_for_the_six_categories():
    assert list(figures.CATEGORY_COLORS) == list(CATEGORIES)
    assert len(set(figures.CATEGORY_COLORS.values())) == 6


def test_every_chart_puts_its_title_inside_the_figure():
    fig = figures.monthly(pd.DataFrame({"month": [1, 2], "person_times": [10, 20]}), value="person_times", title="T")
    assert fig.layout.title.text == "T"
    assert fig.layout.template.layout.title.x == pytest.approx(0.01)


# -- categories --------------------------------------------------------------------------------------------------------


def test_by_category_draws_the_six_categories_in_order_with_their_values_and_colours():
    frame = category_frame(person_times=[10, 20, 30, 40, 50, 60]).iloc[::-1]  # order is the figure's job
    fig = figures.by_category(frame, value="person_times", title="2025年1—10月 各类别参与人次")
    assert fig.layout.title.text == "2025年1—10月 各类别参与人次"
    assert list(fig.data[0].x) == list(CATEGORIES)
    assert list(fig.data[0].y) == [10, 20, 30, 40, 50, 60]
    assert bar_colors(fig) == [figures.CATEGORY_COLORS[c] for c in CATEGORIES]
    assert list(fig.data[0].customdata) == list(CATEGORIES)  # a click names the category
    assert fig.layout.meta["click"] == figures.CLICK_CATEGORY
    assert "%{y:,} 人次" in fig.data[0].hovertemplate


def not_reported_marks(fig) -> list:
    return [a.x for a in fig.layout.annotations if a.text == figures.NOT_REPORTED]


def test_a_category_that_sent_nothing_has_no_bar_of_zero_but_says_it_sent_nothing():
    sent = [True, False, True, True, True, True]
    frame = category_frame(person_times=[10, 0, 30, 40, 50, 60], has_data=sent)
    fig = figures.by_category(frame, value="person_times", title="t")
    assert list(fig.data[0].y) == [10, None, 30, 40, 50, 60]
    assert list(fig.data[0].text) == ["10", None, "30", "40", "50", "60"]
    assert not_reported_marks(fig) == ["经济发展"]


def test_problems_of_a_category_that_sent_nothing_are_not_drawn_as_zero():
    frame = category_frame(
        found=[4, 0, 0, 3, 0, 0], resolved=[1, 0, 0, 3, 0, 0], closure_rate=[0.25, None, None, 1.0, None, None]
    )
    frame["has_data"] = frame["found"] > 0
    fig = figures.found_and_resolved(frame, by="category", title="t")
    assert [list(t.y) for t in fig.data] == [[4, None, None, 3, None, None], [1, None, None, 3, None, None]]
    assert not_reported_marks(fig) == ["经济发展", "执法监督", "群团事业", "国有企业"]
    assert not_reported_marks(figures.closure_rates(frame, by="category", title="t")) == not_reported_marks(fig)


def test_months_that_sent_nothing_say_so_upright_among_many():
    frame = pd.DataFrame(
        {"month": range(1, 11), "person_times": [0] * 8 + [278, 463], "has_data": [False] * 8 + [True] * 2}
    )
    fig = figures.monthly(frame, value="person_times", title="t")
    assert list(fig.data[0].y) == [None] * 8 + [278, 463]
    assert not_reported_marks(fig) == [f"{m}月" for m in range(1, 9)]
    assert {a.textangle for a in fig.layout.annotations} == {-90}


def test_a_unit_ranking_leaves_out_units_that_sent_nothing():
    frame = unit_frame([120.0, 0.0, 30.0]).assign(has_data=[True, False, True])
    fig = figures.unit_ranking(frame, value="person_times", title="t")
    assert list(fig.data[0].y) == ["单位0", "单位2"]


def test_a_large_count_is_labelled_in_wan_on_every_bar_of_the_chart():
    frame = category_frame(person_times=[147600, 99103, 30997, 25895, 0, 5])
    fig = figures.by_category(frame, value="person_times", title="t")
    assert list(fig.data[0].text) == ["14.76万", "9.91万", "3.10万", "2.59万", "0.00万", "0.00万"]


def hue(color: str) -> str:
    """A colour without its transparency: "rgba(31,97,141,0.35)" and "#1F618D" are the same hue."""
    if color.startswith("rgba("):
        red, green, blue = (int(part) for part in color[5:-1].split(",")[:3])
        return f"#{red:02X}{green:02X}{blue:02X}"
    return color.upper()


def test_executive_supervision_has_the_same_colour_on_every_chart():
    closure = category_frame(found=[10] * 6, resolved=[9] * 6, closure_rate=[0.9] * 6)
    hotline = category_frame(
        appeals=[5] * 6,
        appeals_prev=[4] * 6,
        has_previous=[True] * 6,
        **{f"{rate}_change": [0.01] * 6 for rate in figures.RATES},
    )
    charts = [
        figures.by_category(closure, value="found", title="t"),
        figures.closure_rates(closure, by="category", title="t"),
        figures.found_and_resolved(closure, by="category", title="t"),
        figures.category_this_and_last_year(hotline, value="appeals", previous="appeals_prev", title="t"),
        figures.rate_changes_by_category(hotline, title="t"),
    ]
    hues = set()
    for fig in charts:
        for trace in fig.data:
            names = trace.y if trace.orientation == "h" else trace.x
            if trace.type == "bar" and names is not None and EXECUTIVE in names:
                hues.add(hue(trace.marker.color[list(names).index(EXECUTIVE)]))
    units = unit_frame([1.0, 2.0, 3.0])  # 单位2 is 执法监督
    ranking = figures.unit_ranking(units, value="person_times", title="t")
    hues.add(hue(ranking.data[0].marker.color[list(ranking.data[0].y).index("单位2")]))
    assert hues == {figures.CATEGORY_COLORS[EXECUTIVE]}


def test_rate_changes_by_category_lie_down_named_once_with_room_for_each_label():
    frame = category_frame(
        has_previous=[True] * 6,
        **{f"{rate}_change": [0.0315, -0.012, 0.0, 0.02, 0.01, 0.005] for rate in figures.RATES[:2]},
        **{f"{figures.RATES[2]}_change": [0.01] * 6},
    )
    fig = figures.rate_changes_by_category(frame, title="2025年1—10月 各类别三率较上年同期变化（百分点）")
    assert [trace.orientation for trace in fig.data] == ["h", "h", "h"]
    assert all(list(trace.y) == list(CATEGORIES) for trace in fig.data)
    assert fig.layout.yaxis.autorange == "reversed"  # 党政综合 at the top
    assert not fig.layout.yaxis2.showticklabels and not fig.layout.yaxis3.showticklabels
    assert list(fig.data[0].text) == ["+3.15", "-1.20", "0.00", "+2.00", "+1.00", "+0.50"]
    low, high = fig.layout.xaxis.range
    assert low < -1.2 * 1.3 and high > 3.15 * 1.1  # past both ends, so the labels beside them fit
    assert fig.layout.xaxis2.range == fig.layout.xaxis3.range == (low, high)  # equal lengths, equal changes


def test_closure_rates_draw_the_target_line_and_name_it():
    frame = category_frame(found=[10] * 6, resolved=[9, 8, 10, 7, 9, 10], closure_rate=[0.9, 0.8, 1.0, 0.7, 0.9, 1.0])
    fig = figures.closure_rates(frame, by="category", title="截至2025年10月 各类别化解率")
    assert list(fig.data[0].y) == [0.9, 0.8, 1.0, 0.7, 0.9, 1.0]
    assert [shape.y0 for shape in fig.layout.shapes] == [CLOSURE_TARGET]
    assert fig.data[1].name == "目标 90%"
    assert list(fig.data[0].text) == ["90.00%", "80.00%", "100.00%", "70.00%", "90.00%", "100.00%"]


def test_closure_rates_by_problem_type_colour_those_below_target():
    frame = pd.DataFrame(
        {"problem_type": ["业务工作", "安全生产"], "found": [10, 10], "resolved": [10, 5], "closure_rate": [1.0, 0.5]}
    )
    fig = figures.closure_rates(frame, by="problem_type", title="t")
    assert bar_colors(fig) == [figures.GOOD, figures.BAD]
    assert fig.layout.meta["click"] is None  # a 问题类别 is no filter


def test_closure_rates_of_units_open_the_clicked_unit():
    frame = unit_frame([0.5, 0.7], column="closure_rate").assign(found=[4, 10], resolved=[2, 7])
    fig = figures.closure_rates(frame, by="short_name", title="t", horizontal=True)
    assert list(fig.data[0].y) == ["单位0", "单位1"]
    assert [row[0] for row in fig.data[0].customdata] == ["单位0", "单位1"]
    assert fig.layout.meta["click"] == figures.CLICK_UNIT


def test_a_missing_rate_is_a_gap_not_zero():
    frame = category_frame(found=[0, 1, 0, 0, 0, 0], resolved=[0] * 6, closure_rate=pd.array([None, 0.0] + [None] * 4))
    fig = figures.closure_rates(frame, by="category", title="t")
    assert fig.data[0].y[0] is None
    assert fig.data[0].y[1] == 0.0


# -- months and years ----------------------------------------------------------------------------------------------------


def test_this_year_and_last_by_month_says_so_where_last_year_is_missing():
    frame = pd.DataFrame(
        {
            "month": [1, 2, 3],
            "appeals": [100, 120, 90],
            "appeals_prev": [0, 110, 100],
            "has_previous": [False, True, True],
        }
    )
    fig = figures.this_year_and_last_by_month(frame, value="appeals", previous="appeals_prev", title="t")
    last_year, this_year = fig.data
    assert list(this_year.x) == ["1月", "2月", "3月"]
    assert list(this_year.y) == [100, 120, 90]
    assert list(last_year.y) == [None, 110, 100]
    assert [a.text for a in fig.layout.annotations] == ["无上年<br>数据"]
    assert fig.layout.annotations[0].x == "1月"


def test_a_month_this_year_has_not_sent_is_not_drawn_as_zero():
    frame = pd.DataFrame(
        {
            "month": [1, 2, 3],
            "appeals": [0, 0, 90],
            "appeals_prev": [0, 110, 100],
            "has_current": [False, False, True],
            "has_previous": [False, True, True],
        }
    )
    fig = figures.this_year_and_last_by_month(frame, value="appeals", previous="appeals_prev", title="t")
    assert list(fig.data[1].y) == [None, None, 90]
    assert [(a.x, a.text) for a in fig.layout.annotations] == [("1月", "尚无报送"), ("2月", "本年<br>尚无报送")]


def test_year_on_year_by_month_colours_a_fall_in_appeals_as_good():
    frame = pd.DataFrame({"month": [1, 2, 3], "appeals_yoy": pd.array([None, -0.1, 0.05], dtype="Float64")})
    fig = figures.year_on_year_by_month(frame, value="appeals_yoy", title="t")
    assert list(fig.data[0].y) == [None, -0.1, 0.05]
    assert bar_colors(fig) == [figures.MUTED, figures.GOOD, figures.BAD]
    assert list(fig.data[0].text) == ["", "-10.00%", "+5.00%"]
    assert [a.text for a in fig.layout.annotations] == ["无上年同期数据"]


def test_rates_this_and_last_year_label_the_change_in_points_and_the_relative_change_as_such():
    totals = {
        "first_time_rate": 0.8815,
        "first_time_rate_prev": 0.8525,
        "first_time_rate_change": 0.029,
        "resolution_rate": 0.9,
        "resolution_rate_prev": None,
        "resolution_rate_change": None,
        "satisfaction_rate": 0.95,
        "satisfaction_rate_prev": 0.95,
        "satisfaction_rate_change": 0.0,
    }
    fig = figures.rates_this_and_last_year(totals, title="t")
    last_year, this_year = fig.data
    assert list(this_year.x) == ["一次性办好率", "问题解决率", "群众满意率"]
    assert list(this_year.y) == [0.8815, 0.9, 0.95]
    assert list(last_year.y) == [0.8525, None, 0.95]
    labels = list(fig.layout.xaxis.ticktext)  # under each pair's name, clear of the title and the legend
    assert labels[0].startswith("一次性办好率<br><b>+2.90 个百分点</b>") and "相对变化 +3.40%" in labels[0]
    assert labels[1] == "问题解决率<br>无上年数据"
    assert labels[2].startswith("群众满意率<br><b>0.00 个百分点</b>")
    assert not fig.layout.annotations


def test_cumulative_problems_has_found_resolved_and_the_rate_on_a_second_axis():
    frame = pd.DataFrame({"month": [1, 2], "found": [10, 15], "resolved": [5, 12], "closure_rate": [0.5, 0.8]})
    fig = figures.cumulative_problems(frame, title="t")
    assert [t.name for t in fig.data[:3]] == ["累计发现", "累计化解", "化解率"]
    assert list(fig.data[1].y) == [5, 12]
    assert fig.data[2].yaxis == "y2"


def test_problems_by_stage_stack_resolved_and_open_in_stage_order_as_bars_from_zero():
    frame = pd.DataFrame(
        {"stage": ["验题", "点题", "破题", "解题"], "found": [5, 20, 10, 30], "resolved": [5, 15, 9, 6]}
    )
    fig = figures.problems_by_stage(frame, title="t")
    assert [t.type for t in fig.data] == ["bar", "bar"]  # not a funnel: 解题 holds more than 破题, and says so
    assert fig.layout.barmode == "stack" and fig.data[0].orientation == "h"
    assert list(fig.data[0].y) == list(PROBLEM_STAGES.values)
    assert fig.layout.yaxis.autorange == "reversed"  # 点题 on top
    assert list(fig.data[0].x) == [15, 9, 6, 5]
    assert list(fig.data[1].x) == [5, 1, 24, 0]
    # The open ones' figures stand beyond the bars' ends, apart from the resolved ones' (never 「306」 and 「27」 as
    # 「30627」), with room on the axis for them.
    assert (fig.data[0].textposition, fig.data[1].textposition) == ("inside", "outside")
    assert fig.layout.xaxis.range[0] == 0 and fig.layout.xaxis.range[1] > 30 * 1.1


def test_rates_this_and_last_year_are_bars_from_zero():
    totals = {f"{rate}{suffix}": 0.9 for rate in figures.RATES for suffix in ("", "_prev")}
    assert figures.rates_this_and_last_year(totals, title="t").layout.yaxis.range[0] == 0


def test_this_year_beside_last_by_category_shows_grey_years_in_its_legend_not_one_categorys_colour():
    hotline = category_frame(appeals=[5] * 6, appeals_prev=[4] * 6, has_previous=[True] * 6)
    fig = figures.category_this_and_last_year(hotline, value="appeals", previous="appeals_prev", title="t")
    in_legend = [t for t in fig.data if t.showlegend is not False]
    assert [t.name for t in in_legend] == ["上年同期", "本年"]
    assert all(t.y == (None,) for t in in_legend)  # stand-ins, drawn nowhere
    assert {t.marker.color for t in in_legend} == {figures.STAND_IN, "rgba(127,140,141,0.35)"}
    drawn = [t for t in fig.data if t.showlegend is False]
    assert [len(set(t.marker.color)) for t in drawn] == [6, 6]  # each bar its category's colour


# -- units --------------------------------------------------------------------------------------------------------------


def test_unit_ranking_shows_the_top_units_best_first_and_leaves_out_units_without_a_value():
    frame = unit_frame([3.0, None, 9.0, 1.0, 7.0])
    fig = figures.unit_ranking(frame, value="person_times", title="t", top=3)
    assert list(fig.data[0].y) == ["单位2", "单位4", "单位0"]
    assert list(fig.data[0].x) == [9.0, 7.0, 3.0]
    assert [row[0] for row in fig.data[0].customdata] == ["临沂市单位2", "临沂市单位4", "临沂市单位0"]
    assert fig.layout.meta["click"] == figures.CLICK_UNIT


def test_best_and_weakest_puts_the_best_first_and_the_very_weakest_first_among_the_weakest():
    frame = unit_frame([float(v) for v in range(12)], column="closure_rate")
    fig = figures.best_and_weakest(frame, value="closure_rate", title="t", n=5)
    best, weakest = fig.data
    assert list(best.x) == [11.0, 10.0, 9.0, 8.0, 7.0]
    assert list(weakest.x) == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert [a.text for a in fig.layout.annotations] == ["最好的五个", "最弱的五个"]


def test_best_and_weakest_of_few_units_never_shows_a_unit_twice():
    fig = figures.best_and_weakest(unit_frame([1.0, 2.0, 3.0]), value="person_times", title="t", n=5)
    assert len(fig.data) == 1
    assert list(fig.data[0].x) == [3.0, 2.0, 1.0]
    assert [a.text for a in fig.layout.annotations] == ["全部 3 个单位"]  # not "the best five" of three


def test_best_and_weakest_with_fewer_left_than_the_weakest_n_calls_them_the_others():
    fig = figures.best_and_weakest(unit_frame([float(v) for v in range(7)]), value="person_times", title="t", n=5)
    assert [a.text for a in fig.layout.annotations] == ["最好的五个", "其余 2 个单位"]
    assert list(fig.data[1].x) == [0.0, 1.0]


def test_best_and_weakest_of_many_units_labels_both_panels():
    fig = figures.best_and_weakest(unit_frame([float(v) for v in range(12)]), value="person_times", title="t", n=5)
    assert [a.text for a in fig.layout.annotations] == ["最好的五个", "最弱的五个"]
    assert list(fig.data[0].x) == [11.0, 10.0, 9.0, 8.0, 7.0]
    assert list(fig.data[1].x) == [0.0, 1.0, 2.0, 3.0, 4.0]  # the very weakest on top
    top, bottom = fig.layout.yaxis.domain, fig.layout.yaxis2.domain
    assert top[1] == 1 and bottom[0] == 0 and top[0] - bottom[1] == pytest.approx(figures.PANEL_GAP)


def test_a_change_in_points_is_drawn_in_points():
    fig = figures.unit_ranking(
        unit_frame([0.0123, -0.01], column="satisfaction_rate_change"), value="satisfaction_rate_change", title="t"
    )
    assert list(fig.data[0].x) == pytest.approx([1.23, -1.0])
    assert "个百分点" in fig.data[0].hovertemplate


@pytest.mark.parametrize(
    "build",
    [
        lambda frame: figures.unit_ranking(frame, value="person_times", title="空"),
        lambda frame: figures.best_and_weakest(frame, value="person_times", title="空"),
    ],
)
def test_a_ranking_without_any_value_says_there_is_no_data(build):
    fig = build(unit_frame([None, None]))
    assert fig.layout.title.text == "空"
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "所选范围内没有数据"


# -- breakdowns, indicators, the profile ------------------------------------------------------------------------------


def test_breakdown_sorts_largest_first():
    frame = pd.DataFrame({"theme": ["其他", "党的创新理论"], "person_times": [5, 50]})
    fig = figures.breakdown(frame, by="theme", value="person_times", title="t")
    assert list(fig.data[0].y) == ["党的创新理论", "其他"]
    assert list(fig.data[0].x) == [50, 5]


def test_completion_by_category_draws_shared_and_own_indicators_against_one_hundred_percent():
    frame = pd.DataFrame(
        {
            "category": [EXECUTIVE, EXECUTIVE],
            "indicator_type": ["共性指标", "个性指标"],
            "indicators": [4, 2],
            "met": [3, 2],
            "mean_completion": [0.95, 1.1],
            "met_rate": [0.75, 1.0],
        }
    )
    fig = figures.completion_by_category(frame, title="t")
    drawn = [t for t in fig.data if t.type == "bar" and t.showlegend is False]
    assert [t.name for t in drawn] == ["共性指标", "个性指标"]
    assert [list(t.y) for t in drawn] == [[0.95], [1.1]]
    assert drawn[0].marker.color[0] == figures.CATEGORY_COLORS[EXECUTIVE]
    assert [shape.y0 for shape in fig.layout.shapes] == [1.0]
    assert fig.layout.xaxis.type == "category"  # the legend's stand-ins have no value: they must not make it numeric
    assert list(fig.layout.xaxis.categoryarray) == list(CATEGORIES)
    assert list(fig.layout.xaxis.range) == [-0.5, 5.5]  # all six shown, though one has indicators


def test_indicator_met_stacks_met_and_missed_units_lowest_rate_first():
    frame = pd.DataFrame(
        {
            "indicator": ["甲", "乙"],
            "indicators": [10, 10],
            "met": [9, 4],
            "met_rate": [0.9, 0.4],
            "mean_completion": [1, 1],
        }
    )
    fig = figures.indicator_met(frame, title="t")
    assert list(fig.data[0].y) == ["乙", "甲"]
    assert fig.layout.yaxis.autorange == "reversed"  # the lowest rate on top, as the title says
    assert list(fig.data[0].x) == [4, 9]
    assert list(fig.data[1].x) == [6, 1]


def test_indicator_met_ticks_whole_units_when_there_are_few():
    frame = pd.DataFrame(
        {"indicator": ["甲"], "indicators": [1], "met": [1], "mean_completion": [1.1], "met_rate": [1.0]}
    )
    assert figures.indicator_met(frame, title="t").layout.xaxis.dtick == 1
    many = frame.assign(indicators=[108], met=[90])
    assert figures.indicator_met(many, title="t").layout.xaxis.dtick is None


def test_unit_against_category_puts_the_unit_beside_its_category_average_for_each_measure():
    frame = pd.DataFrame(
        {"measure": ["found", "closure_rate"], "unit_value": [15.0, 0.9333], "category_value": [13.55, math.nan]}
    )
    fig = figures.unit_against_category(frame, title="t", unit_name="市民政局", category="社会服务")
    assert [(t.name, list(t.x), t.y[0]) for t in fig.data] == [
        ("市民政局", ["发现问题"], 15.0),
        ("社会服务平均", ["发现问题"], 13.55),
        ("市民政局", ["化解率"], 0.9333),
        ("社会服务平均", ["化解率"], None),
    ]
    assert [t.showlegend for t in fig.data] == [True, True, False, False]
    assert not_reported_marks(fig) == []


def test_a_unit_against_its_category_on_five_measures_takes_two_rows_of_panels():
    measures = ["appeals", "appeals_yoy", "first_time_rate", "resolution_rate", "satisfaction_rate"]
    frame = pd.DataFrame({"measure": measures, "unit_value": [138.0, -0.1, 0.93, 0.84, 0.92], "category_value": 0.9})
    fig = figures.unit_against_category(frame, title="t", unit_name="市民政局", category="社会服务")
    layout = fig.layout
    assert layout.xaxis4.domain == layout.xaxis.domain and layout.xaxis5.domain == layout.xaxis2.domain
    assert layout.yaxis4.domain == layout.yaxis5.domain and layout.yaxis.domain == layout.yaxis3.domain
    assert layout.yaxis4.domain[1] < layout.yaxis.domain[0]  # the second row under the first, apart from it
    one_row = figures.unit_against_category(frame.head(3), title="t", unit_name="市民政局", category="社会服务")
    assert layout.height > one_row.layout.height and one_row.layout.yaxis.domain == (0.0, 1.0)


def test_a_unit_that_sent_nothing_on_a_measure_says_so_beside_its_category():
    frame = pd.DataFrame(
        {"measure": ["found", "closure_rate"], "unit_value": [math.nan] * 2, "category_value": [13.5, 0.9]}
    )
    fig = figures.unit_against_category(frame, title="t", unit_name="市民政局", category="社会服务")
    assert [t.y[0] for t in fig.data] == [None, 13.5, None, 0.9]
    marks = [a for a in fig.layout.annotations if a.text == figures.NOT_REPORTED]
    assert [(a.xref, a.yref) for a in marks] == [("x", "y"), ("x2", "y2")]


def test_labels_of_many_months_stand_upright_with_room_below_falling_bars():
    few = pd.DataFrame({"month": [1, 2, 3], "appeals_yoy": [-0.1, 0.05, None], "person_times": [10, 20, 30]})
    many = pd.DataFrame({"month": range(1, 11), "appeals_yoy": [-0.24] + [-0.1] * 9, "person_times": [10] * 10})
    assert figures.monthly(few, value="person_times", title="t").data[0].textangle == 0
    assert figures.monthly(many, value="person_times", title="t").data[0].textangle == -90
    fig = figures.year_on_year_by_month(many, value="appeals_yoy", title="t")
    assert fig.data[0].textangle == -90
    low, high = fig.layout.yaxis.range
    assert low < -0.24 - 0.05 and high == 0  # room under the longest bar for its label
    assert figures.year_on_year_by_month(few, value="appeals_yoy", title="t").layout.yaxis.range is None
