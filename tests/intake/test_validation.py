"""lingyi/intake/validation.py: raw tables → typed frames and every error and warning (spec §1–4)."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import (
    HOTLINE_HEADER,
    LEARNING_HEADER,
    OTHER_UNIT,
    PROBLEM_HEADER,
    UNIT,
    column,
    csv_bytes,
    drop,
    hotline_rows,
    indicator_rows,
    learning_rows,
    problem_rows,
    titled,
    total_row,
    write_xls,
    write_xlsx,
)

from lingyi.contract import ACTIVITY_FORMS, PROBLEM_STATUSES
from lingyi.errors import Level
from lingyi.intake.reading import read_file
from lingyi.intake.validation import validate
from lingyi.values import Period, parse_period

HUMAN_RESOURCES = "临沂市人力资源和社会保障局"
KIND_FILE = {
    "learning": "学习活动.csv",
    "hotline": "热线指标.csv",
    "problems": "问题清单.csv",
    "indicators": "指标完成.csv",
}


@pytest.fixture
def check(registry):
    """Validate rows written as a CSV (named for its kind) or as an .xlsx when given ``sheets``."""

    def check(rows=None, kind="learning", *, name=None, period=None, tmp_path=None, sheets=None):
        if sheets is not None:
            name = name or "报表.xlsx"
            path = (write_xls if name.endswith(".xls") else write_xlsx)(tmp_path / name, sheets)
            read = read_file(path.read_bytes(), path.name)
        else:
            read = read_file(csv_bytes(rows), name or KIND_FILE[kind])
        return validate(read, registry, period=period)

    return check


def frame(validated, index=0):
    return validated.tables[index].frame


def messages(findings):
    return [f.message for f in findings]


def place(finding):
    """Where a finding points, as a user reads it: file, sheet, Excel row, column letter and name, the value."""
    return (finding.file, finding.sheet, finding.row, finding.column, finding.column_name, finding.value)


def one_error(validated):
    (error,) = validated.errors
    return error


def problem(status="待化解", found="2025-03-01", resolved=None, *, number="P-001", description="窗口服务不规范"):
    return [UNIT, number, description, "服务群众", found, status, resolved, "解题"]


# -- units ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "临沂市人力资源和社会保障局",
        "市人力资源社会保障局",
        "市人社局",
        "人社局",
        " 市人社局 ",
        "市 人社局",
        "临沂市人力资源和社会保障局\u3000",
    ],
)
def test_row_unit_is_stored_by_its_registry_full_name(check, written):
    validated = check(column(learning_rows(2), "单位名称", [written, HUMAN_RESOURCES]))
    assert validated.errors == []
    assert list(frame(validated)["unit"]) == [HUMAN_RESOURCES] * 2


def test_unit_written_as_an_alias_is_a_warning_naming_the_registry_name(check):
    validated = check(column(learning_rows(3), "单位名称", ["市人社局", "市人社局", HUMAN_RESOURCES]))
    assert validated.ok
    (warning,) = [w for w in validated.warnings if "按名录中的" in w.message]
    assert warning.message == f"单位「市人社局」按名录中的「{HUMAN_RESOURCES}」统计（共2行）。"
    assert (warning.column, warning.column_name, warning.value) == ("B", "单位名称", "市人社局")


def test_unit_written_as_its_short_name_is_no_warning(check):
    validated = check(column(learning_rows(2), "单位名称", ["市民政局", "市民政局"]))
    assert validated.warnings == []


def test_unknown_unit_is_an_error_offering_the_closest_registry_names(check):
    validated = check(column(learning_rows(2), "单位名称", [UNIT, "市人社厅"]))
    error = one_error(validated)
    assert place(error) == (
        "学习活动.csv",
        "学习活动",
        3,
        "B",
        "单位名称",
        "市人社厅",
    )
    assert error.message.startswith("单位名称不在名录中。您是不是要找：市人社局（临沂市人力资源和社会保障局）")
    assert error.message.endswith("？")


def test_rows_without_a_unit_column_are_the_file_units(check):
    rows = titled(drop(learning_rows(2), "单位名称"), unit="市民政局", period="2025年10月")
    validated = check(rows)
    assert validated.errors == []
    assert list(frame(validated)["unit"]) == [UNIT, UNIT]


def test_blank_unit_cell_is_the_file_unit(check):
    rows = titled(column(learning_rows(2), "单位名称", [None, OTHER_UNIT]), unit=UNIT)
    assert list(frame(check(rows))["unit"]) == [UNIT, OTHER_UNIT]


def test_blank_unit_cell_without_a_file_unit_is_an_error(check):
    error = one_error(check(column(learning_rows(2), "单位名称", [UNIT, None])))
    assert (error.row, error.column, error.message) == (3, "B", "单位名称为空，请填写单位全称或简称。")


def test_no_unit_column_and_no_file_unit_is_an_error_saying_how_to_name_the_unit(check):
    error = one_error(check(drop(learning_rows(2), "单位名称")))
    assert error.message == (
        "缺少「单位名称」列，文件也没有写明填报单位。请增加「单位名称」列，或在表头上方写「填报单位：××」。"
    )
    assert error.row == 1


def test_unknown_declared_unit_is_an_error_offering_suggestions(check):
    validated = check(titled(drop(learning_rows(2), "单位名称"), unit="临沂市民证局"))
    error = validated.errors[0]
    assert error.message.startswith("填报单位「临沂市民证局」不在单位名录中。您是不是要找：临沂市民政局")
    assert error.value == "临沂市民证局"


def test_sheet_whose_title_line_names_its_unit_is_that_units_whatever_the_first_sheet_says(check, tmp_path):
    sheets = {
        "学习活动（民政）": titled(drop(learning_rows(2), "单位名称"), unit="市民政局"),
        "学习活动（财政）": titled(drop(learning_rows(1), "单位名称"), unit="市财政局"),
    }
    validated = check(sheets=sheets, tmp_path=tmp_path)
    assert validated.errors == []
    assert [list(table.frame["unit"]) for table in validated.tables] == [[UNIT, UNIT], [OTHER_UNIT]]


def test_consolidated_file_holds_rows_of_many_units(check):
    rows = learning_rows(3)
    rows = column(rows, "单位名称", [UNIT, "市财政局", "团市委"])
    assert list(frame(check(rows))["unit"]) == [UNIT, OTHER_UNIT, "共青团临沂市委员会"]


# -- required columns and cells --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "rows", "dropped", "message"),
    [
        (
            "learning",
            learning_rows(1),
            "活动名称",
            "缺少必填列「活动名称」（也可写作：名称、活动、培训班名称），请按模板补充这一列。",
        ),
        (
            "learning",
            learning_rows(1),
            "日期",
            "缺少必填列「日期」（也可写作：活动日期、开始日期、时间），请按模板补充这一列。",
        ),
        (
            "learning",
            learning_rows(1),
            "参与人次",
            "缺少必填列「参与人次」（也可写作：参学人次、覆盖人次、人次、实际参训人数、参训人次），请按模板补充这一列。",
        ),
        (
            "hotline",
            hotline_rows(),
            "月份",
            "缺少必填列「月份」（也可写作：统计月份、期间），请按模板补充这一列，或在表头上方写明报送期间（一个月，如「报送期间：2025年4月」）。",
        ),
        (
            "hotline",
            hotline_rows(),
            "诉求量",
            "缺少必填列「诉求量」（也可写作：工单量、受理量、诉求件数、交办总量、派遣案件总数、总工单数、转派工单），请按模板补充这一列。",
        ),
        (
            "problems",
            problem_rows(1),
            "整改状态",
            "缺少必填列「整改状态」（也可写作：状态、化解情况、整改进展），请按模板补充这一列。",
        ),
        (
            "indicators",
            indicator_rows(),
            "完成值",
            "缺少必填列「完成值」（也可写作：指标值、实际完成值），请按模板补充这一列。",
        ),
        ("indicators", indicator_rows(), "指标类型", "缺少必填列「指标类型」，请按模板补充这一列。"),
    ],
)
def test_missing_required_column_is_an_error_naming_its_aliases(check, kind, rows, dropped, message):
    validated = check(drop(rows, dropped), kind)
    assert messages(validated.errors) == [message]
    assert validated.tables == []


@pytest.mark.parametrize(
    ("header", "message", "letter"),
    [("活动名称", "「活动名称」为必填项，不能为空。", "C"), ("参与人次", "「参与人次」为必填项，不能为空。", "I")],
)
def test_empty_required_cell_is_an_error(check, header, message, letter):
    rows = learning_rows(2)
    rows[2][rows[0].index(header)] = ""
    error = one_error(check(rows))
    assert (error.row, error.column, error.column_name, error.message) == (3, letter, header, message)


# -- numbers ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "person_times"),
    [
        (1234, 1234),
        ("1,234", 1234),
        ("８１２", 812),
        ("812人次", 812),
        ("１，２３４人次", 1234),
        (" 56 ", 56),
        (30.0, 30),
    ],
)
def test_count_written_as_text_is_read_as_a_number(check, cell, person_times):
    validated = check(column(learning_rows(1), "参与人次", [cell]))
    assert validated.errors == []
    assert list(frame(validated)["person_times"]) == [person_times]


@pytest.mark.parametrize(
    ("header", "cell", "message"),
    [
        ("参与人次", -5, "应为不小于0的整数。"),
        ("参与人次", "3.5", "应为整数，请不要填写小数。"),
        ("参与人次", "很多", "无法识别为数字，请只填写数字，如 1234。"),
        ("期数", 0, "应为不小于1的整数。"),
        ("节数", -1, "应为不小于0的整数。"),
        ("授课人数", -2, "应为不小于0的整数。"),
    ],
)
def test_count_that_breaks_its_rule_is_an_error_saying_what_to_write(check, header, cell, message):
    error = one_error(check(column(learning_rows(1), header, [cell])))
    assert (error.row, error.column_name, error.value, error.message) == (2, header, str(cell), message)


@pytest.mark.parametrize(
    ("sessions", "lectures", "expected"),
    [
        (None, None, (1, 1)),
        ("", "", (1, 1)),
        (3, None, (3, 3)),
        (None, 4, (1, 4)),
        (2, 5, (2, 5)),
        (2, 0, (2, 0)),
    ],
)
def test_sessions_default_to_one_and_lectures_to_sessions(check, sessions, lectures, expected):
    rows = column(column(learning_rows(1), "期数", [sessions]), "节数", [lectures])
    validated = check(rows)
    assert validated.errors == []
    assert (frame(validated)["sessions"][0], frame(validated)["lectures"][0]) == expected


def test_columns_sessions_and_lectures_may_be_absent(check):
    validated = check(column(drop(learning_rows(2), "期数", "节数"), "参与人次", [10, 20]))
    assert list(frame(validated)["sessions"]) == [1, 1]
    assert list(frame(validated)["lectures"]) == [1, 1]


# -- rates ------------------------------------------------------------------------------------------------------


def hotline_with_rates(rates):
    rows = [HOTLINE_HEADER[:4]]
    for i, rate in enumerate(rates, start=1):
        rows.append([UNIT, f"2025-{i:02d}", 100, rate])
    return rows


@pytest.mark.parametrize(
    ("rates", "fractions"),
    [
        ([0.9372, 0.95, 1], [0.9372, 0.95, 1.0]),
        (["0.9372", "0.95"], [0.9372, 0.95]),
        ([93.72, 95, 100], [0.9372, 0.95, 1.0]),
        (["93.72%", "95%", "100%"], [0.9372, 0.95, 1.0]),
        (["93.72%", 0.95], [0.9372, 0.95]),
        ([0.95, 93.72], [0.0095, 0.9372]),  # one value above 1: the column is percentages, 0.95 is 0.95%
        ([0.9372, None], [0.9372, None]),
    ],
)
def test_rate_column_of_fractions_is_read_as_fractions_otherwise_as_percentages(check, rates, fractions):
    validated = check(hotline_with_rates(rates), "hotline")
    assert validated.errors == []
    assert [None if r is None else round(r, 9) for r in frame(validated)["first_time_rate"]] == fractions


@pytest.mark.parametrize("slash", ["/", "／", " / "])
def test_slash_in_a_rate_cell_means_no_value_not_an_error(check, slash):
    validated = check(hotline_with_rates(["93.72%", slash, 95]), "hotline")
    assert validated.errors == []
    assert [None if r is None else round(r, 9) for r in frame(validated)["first_time_rate"]] == [0.9372, None, 0.95]


def test_return_with_title_serial_numbers_column_numbers_slashes_and_a_total_reads_its_data_rows(check, tmp_path):
    header = ["序号", "单位名称", "月份", "诉求量", "一次性办好率", "问题解决率", "群众满意率"]
    data = [
        [1, UNIT, "2025年3月", "1,234", "93.72%", "/", "95.1%"],
        [2, "市财政局", "2025.3", "８０", "／", "/", "/"],
    ]
    rows = [header, ["甲", "乙", "丙", 1, 2, 3, 4], *data]
    rows = titled(rows, title="2025年3月份12345热线办理情况统计表", period="2025年3月")
    rows.insert(-1, ["合计", None, None, 1234 + 80, None, None, None])
    validated = check(sheets={"热线": rows}, tmp_path=tmp_path)
    assert validated.errors == []
    got = frame(validated)[["unit", "month", "appeals", "first_time_rate", "resolution_rate", "satisfaction_rate"]]
    assert [[None if v != v else v for v in row] for row in got.itertuples(index=False)] == [
        [UNIT, 202503, 1234, 0.9372, None, 0.951],
        [OTHER_UNIT, 202503, 80, None, None, None],
    ]
    assert not [w for w in validated.warnings if "合计" in w.message]


@pytest.mark.parametrize(
    ("rates", "row", "value"), [([93.72, 105], 3, "105"), (["101%", "93%"], 2, "101%"), ([-0.5, 0.9], 2, "-0.5")]
)
def test_rate_above_100_percent_or_below_zero_is_an_error(check, rates, row, value):
    error = one_error(check(hotline_with_rates(rates), "hotline"))
    assert (error.row, error.column, error.column_name, error.value) == (row, "D", "一次性办好率", value)
    assert error.message.startswith("比率应在0%到100%之间")


def test_rate_that_is_not_a_number_is_an_error_saying_how_to_write_one(check):
    error = one_error(check(hotline_with_rates(["九成"]), "hotline"))
    assert error.message == "无法识别为比率，请填写如 0.9372、93.72 或 93.72%。"


# -- a period named by the title, a hotline sheet without 月份 -----------------------------------------------------

NO_MONTH = [
    ["序号", "单位名称", "交办总量", "一次性办好率", "问题解决率", "群众满意率"],
    [1, UNIT, 120, "93.72%", "/", "95.1%"],
    [2, "市财政局", "８０", "90%", "88.5%", "/"],
]


def test_hotline_sheet_without_month_takes_the_one_month_its_title_names(check, tmp_path):
    rows = titled(NO_MONTH, title="2025年4月份12345热线办理情况统计表", total=["交办总量"])
    validated = check(sheets={"热线": rows}, tmp_path=tmp_path)
    assert validated.errors == []
    (table,) = validated.tables
    assert (table.period, table.declared) == (Period(202504, 202504), True)
    assert list(table.frame["unit"]) == [UNIT, OTHER_UNIT]
    assert list(table.frame["month"]) == [202504, 202504]
    assert list(table.frame["appeals"]) == [120, 80]


@pytest.mark.parametrize(
    ("line", "period"),
    [
        (["报送期间：2025年4月"], None),  # a labelled 报送期间
        ([f"填报单位：{UNIT}    2025年4月"], None),  # a period standing alone on the unit line
        (None, Period(202504, 202504)),  # --period
    ],
)
def test_hotline_sheet_without_month_takes_the_one_month_declared_elsewhere(check, tmp_path, line, period):
    rows = [["12345热线办理情况统计表"], *([line] if line else []), *NO_MONTH]
    validated = check(sheets={"热线": rows}, tmp_path=tmp_path, period=period)
    assert validated.errors == []
    assert list(frame(validated)["month"]) == [202504, 202504]


@pytest.mark.parametrize("title", ["12345热线办理情况统计表", "2025年第二季度12345热线办理情况统计表"])
def test_hotline_sheet_without_month_and_no_one_month_period_is_refused_saying_how_to_fix_it(check, tmp_path, title):
    validated = check(sheets={"热线": [[title], *NO_MONTH]}, tmp_path=tmp_path)
    assert messages(validated.errors) == [
        "缺少必填列「月份」（也可写作：统计月份、期间），请按模板补充这一列，或在表头上方写明报送期间"
        "（一个月，如「报送期间：2025年4月」）。"
    ]


def test_title_period_binds_the_rows_and_a_labelled_period_wins_over_it(check, tmp_path):
    rows = learning_rows(2, month=202510)
    titled_september = [["2025年9月份学习活动情况统计表"], *rows]
    errors = check(sheets={"学习活动": titled_september}, tmp_path=tmp_path).errors
    assert [(e.row, e.message) for e in errors] == [
        (3, "活动日期不在报送期间（2025年9月）内。"),
        (4, errors[0].message),
    ]
    labelled = [["2025年9月份学习活动情况统计表"], ["报送期间：2025年10月"], *rows]
    validated = check(sheets={"学习活动": labelled}, tmp_path=tmp_path)
    assert validated.errors == []
    assert validated.tables[0].period == Period(202510, 202510)


def test_title_period_is_its_own_sheets_not_the_files(check, tmp_path):
    sheets = {
        "热线": [["2025年4月份12345热线办理情况统计表"], *hotline_rows((202504,))],
        "学习活动": learning_rows(2, month=202510),
    }
    validated = check(sheets=sheets, tmp_path=tmp_path)
    assert validated.errors == []
    assert [(t.kind.key, t.period, t.declared) for t in validated.tables] == [
        ("hotline", Period(202504, 202504), True),
        ("learning", Period(202510, 202510), False),
    ]


# -- dates and months ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        dt.datetime(2025, 10, 9),
        dt.date(2025, 10, 9),
        "2025-10-09",
        "2025/10/9",
        "2025.10.09",
        "2025年10月9日",
        20251009,
        45939,
    ],
)
def test_activity_date_is_read_in_every_form(check, tmp_path, cell):
    rows = column(learning_rows(1), "日期", [cell])
    validated = check(sheets={"学习活动": rows}, tmp_path=tmp_path)
    assert validated.errors == []
    assert list(frame(validated)["date"]) == [dt.date(2025, 10, 9)]


def test_impossible_date_is_an_error_saying_why(check):
    error = one_error(check(column(learning_rows(1), "日期", ["2025-02-30"])))
    assert (error.row, error.column, error.column_name, error.value) == (2, "F", "日期", "2025-02-30")
    assert error.message.startswith("没有这一天（2025年2月30日），请填写日期，如 2025-03-15")


@pytest.mark.parametrize(
    "cell", ["2025-10", "2025年10月", "202510", 202510, "2025/10", "2025.10", dt.datetime(2025, 10, 1), "2025-10-31"]
)
def test_hotline_month_is_read_in_every_form(check, tmp_path, cell):
    rows = column(hotline_rows(), "月份", [cell])
    validated = check(sheets={"热线指标": rows}, tmp_path=tmp_path)
    assert validated.errors == []
    assert list(frame(validated)["month"]) == [202510]


# -- periods ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "period"),
    [
        ("2025年10月", Period(202510, 202510)),
        ("2025年第四季度", Period(202510, 202512)),
        ("2025年", Period(202501, 202512)),
        ("2025年1-10月", Period(202501, 202510)),
    ],
)
def test_declared_period_is_the_period_of_the_file(check, declared, period):
    validated = check(titled(learning_rows(2, month=202510), unit=UNIT, period=declared))
    assert (validated.tables[0].period, validated.tables[0].declared) == (period, True)


def test_without_a_declared_period_the_period_is_the_months_the_rows_span(check):
    rows = column(learning_rows(3), "日期", ["2025-05-20", "2025-03-02", "2025-04-11"])
    table = check(rows).tables[0]
    assert (table.period, table.declared) == (Period(202503, 202505), False)


@pytest.mark.parametrize(
    ("declared", "dates", "bad"),
    [
        ("2025年10月", ["2025-10-01", "2025-09-30", "2025-10-31"], [(3, "2025-09-30")]),
        ("2025年第三季度", ["2025-07-01", "2025-09-30", "2025-10-01"], [(4, "2025-10-01")]),
        ("2025年", ["2024-12-31", "2025-06-01", "2026-01-01"], [(2, "2024-12-31"), (4, "2026-01-01")]),
        ("2025年1-10月", ["2025-01-01", "2025-11-02", "2025-10-31"], [(3, "2025-11-02")]),
    ],
)
def test_activity_dated_outside_the_declared_period_is_an_error(check, declared, dates, bad):
    rows = titled(column(learning_rows(3), "日期", dates), unit=UNIT, period=declared, title=None, blank=False)
    validated = check(rows)
    label = parse_period(declared).label
    assert [(e.row - 1, e.value) for e in validated.errors] == bad  # one title line above the header
    assert {e.message for e in validated.errors} == {f"活动日期不在报送期间（{label}）内。"}
    assert {e.column_name for e in validated.errors} == {"日期"}


def test_hotline_month_outside_the_declared_period_is_an_error(check):
    rows = titled(hotline_rows((202509, 202510)), unit=UNIT, period="2025年10月", title=None, blank=False)
    error = one_error(check(rows, "hotline"))
    assert (error.row, error.column, error.value, error.message) == (
        3,
        "B",
        "2025-09",
        "月份不在报送期间（2025年10月）内。",
    )


def test_problem_found_before_the_period_is_fine_but_after_it_is_an_error(check):
    rows = [PROBLEM_HEADER, problem(found="2024-06-01", number="A"), problem(found="2025-11-02", number="B")]
    validated = check(titled(rows, unit=UNIT, period="2025年10月", title=None, blank=False), "problems")
    error = one_error(validated)
    assert (error.row, error.column_name, error.value) == (4, "发现日期", "2025-11-02")
    assert error.message == "发现日期晚于报送期间（2025年10月）。"


def test_problem_resolved_after_the_period_is_an_error(check):
    rows = [PROBLEM_HEADER, problem("已化解", found="2025-09-01", resolved="2025-11-05")]
    error = one_error(check(titled(rows, unit=UNIT, period="2025年10月", title=None, blank=False), "problems"))
    assert (error.column_name, error.message) == ("化解日期", "化解日期晚于报送期间（2025年10月）。")


def test_indicator_period_outside_the_declared_period_is_an_error(check):
    rows = column(indicator_rows(), "统计期间", ["2025年1-10月", "2025年1-11月"])
    error = one_error(check(titled(rows, unit=UNIT, period="2025年1-10月", title=None, blank=False), "indicators"))
    assert (error.row, error.column_name, error.value) == (4, "统计期间", "2025年1-11月")
    assert error.message == "统计期间不在报送期间（2025年1-10月）内。"


def test_period_given_by_the_caller_overrides_the_declared_one(check):
    rows = titled(learning_rows(2, month=202511), unit=UNIT, period="2025年10月")
    validated = check(rows, period=Period(202510, 202512))
    assert validated.errors == []
    assert validated.tables[0].period == Period(202510, 202512)


def test_unreadable_declared_period_is_an_error(check):
    validated = check(titled(learning_rows(1), unit=UNIT, period="今年十月"))
    error = one_error(validated)
    assert error.message.startswith("报送期间无法识别：请填写报送期间，如 2025年10月、2025年第三季度")
    assert error.value == "今年十月"


# -- closed lists ----------------------------------------------------------------------------------------------

# Every choice alias of the contract, written by hand from the spec (test_meta checks none is missing).
CHOICE_ALIASES = [
    ("learning", "活动形式", "大讲堂", "讲堂"),
    ("learning", "活动形式", "现场教学", "以进促学"),
    ("learning", "活动形式", "五进", "以进促学"),
    ("learning", "活动形式", "导师制", "导师帮带"),
    ("learning", "活动形式", "比武", "业务比武"),
    ("learning", "活动形式", "竞赛", "业务比武"),
    ("problems", "整改状态", "未化解", "待化解"),
    ("problems", "整改状态", "未整改", "待化解"),
    ("problems", "整改状态", "未完成", "待化解"),
    ("problems", "整改状态", "未开始", "待化解"),
    ("problems", "整改状态", "未启动", "待化解"),
    ("problems", "整改状态", "未销号", "待化解"),
    ("problems", "整改状态", "整改中", "化解中"),
    ("problems", "整改状态", "推进中", "化解中"),
    ("problems", "整改状态", "正在整改", "化解中"),
    ("problems", "整改状态", "进行中", "化解中"),
    ("problems", "整改状态", "部分整改", "化解中"),
    ("problems", "整改状态", "长期坚持", "化解中"),
    ("problems", "整改状态", "已整改", "已化解"),
    ("problems", "整改状态", "已完成", "已化解"),
    ("problems", "整改状态", "已办结", "已化解"),
    ("problems", "整改状态", "已销号", "已化解"),
    ("problems", "整改状态", "完成", "已化解"),
    ("problems", "整改状态", "已整改到位", "已化解"),
    ("problems", "整改状态", "已验收", "已化解"),
    ("problems", "整改状态", "已报结", "已化解"),
    ("indicators", "指标类型", "共性", "共性指标"),
    ("indicators", "指标类型", "个性", "个性指标"),
    ("indicators", "指标方向", "正向", "越高越好"),
    ("indicators", "指标方向", "正向指标", "越高越好"),
    ("indicators", "指标方向", "反向", "越低越好"),
    ("indicators", "指标方向", "逆向", "越低越好"),
    ("indicators", "指标方向", "负向", "越低越好"),
]
KEY_OF_HEADER = {"活动形式": "form", "整改状态": "status", "指标类型": "indicator_type", "指标方向": "direction"}


def rows_with_choice(kind, header, written):
    if kind == "learning":
        return column(learning_rows(1), header, [written])
    if kind == "problems":
        resolved = "2025-03-20" if PROBLEM_STATUSES.aliases.get(written, written) == "已化解" else None
        return [PROBLEM_HEADER, problem(written, resolved=resolved)]
    return column(indicator_rows()[:2], header, [written])


@pytest.mark.parametrize(("kind", "header", "alias", "value"), CHOICE_ALIASES)
def test_choice_alias_is_stored_as_its_value_with_a_warning(check, kind, header, alias, value):
    validated = check(rows_with_choice(kind, header, alias), kind)
    assert validated.errors == []
    assert list(frame(validated)[KEY_OF_HEADER[header]]) == [value]
    assert f"「{alias}」按「{value}」统计（共1行）。" in messages(validated.warnings)


@pytest.mark.parametrize("form", ACTIVITY_FORMS.values)
def test_activity_form_of_the_list_is_stored_without_a_warning(check, form):
    validated = check(column(learning_rows(1), "活动形式", [form]))
    assert list(frame(validated)["form"]) == [form]
    assert validated.warnings == []


def test_unknown_activity_form_is_other_with_a_warning(check):
    validated = check(column(learning_rows(3), "活动形式", ["读书会", "读书会", "讲堂"]))
    assert validated.ok
    assert list(frame(validated)["form"]) == ["其他", "其他", "讲堂"]
    (warning,) = validated.warnings
    assert warning.message == (
        "「读书会」不在讲堂、专题培训、集中学习、以进促学、导师帮带、研讨交流、业务比武、其他之中，按「其他」统计（共2行）。"
    )
    assert (warning.column, warning.column_name, warning.value) == ("D", "活动形式", "读书会")


def test_unknown_learning_theme_is_other_with_a_warning(check):
    validated = check(column(learning_rows(2), "学习主题", ["党的创新理论", "安全知识"]))
    assert list(frame(validated)["theme"]) == ["党的创新理论", "其他"]
    assert messages(validated.warnings) == [
        "「安全知识」不在党的创新理论、政策专业知识、发展前沿知识、其他之中，按「其他」统计（共1行）。"
    ]


def test_empty_optional_choice_is_none(check):
    validated = check(column(column(learning_rows(1), "活动形式", [""]), "学习主题", ["-"]))
    assert validated.ok
    assert (frame(validated)["form"][0], frame(validated)["theme"][0]) == (None, None)


# -- problems ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("整改完了", "「整改状态」只能填写：待化解、化解中、已化解。"),
        ("", "「整改状态」为必填项，请填写：待化解、化解中、已化解。"),
    ],
)
def test_problem_status_outside_the_list_is_an_error(check, written, message):
    error = one_error(check([PROBLEM_HEADER, problem(written)], "problems"))
    assert (error.row, error.column, error.column_name, error.message) == (2, "F", "整改状态", message)


def test_status_outside_the_list_is_one_error_per_value_with_its_count_and_rows(check, tmp_path):
    statuses = ["待化解", "整改完了", "化解中", "整改完了", "做完了", "整改完了", "待化解"]
    rows = [PROBLEM_HEADER] + [problem(st, number=f"P-{i:03d}") for i, st in enumerate(statuses, 1)]
    rows = titled(rows, title="2025年问题清单", unit=UNIT)
    validated = check(sheets={"问题清单": rows}, tmp_path=tmp_path, name="问题台账.xlsx")
    first_data_row = 5  # title, 填报单位 line, blank, header
    bad = [first_data_row + i for i, st in enumerate(statuses) if st == "整改完了"]
    allowed = "「整改状态」只能填写：待化解、化解中、已化解"
    assert [(place(e), e.message) for e in validated.errors] == [
        (
            ("问题台账.xlsx", "问题清单", bad[0], "F", "整改状态", "整改完了"),
            f"{allowed}；「整改完了」出现 {len(bad)} 次，第 {bad[0]}—{bad[-1]} 行。",
        ),
        (("问题台账.xlsx", "问题清单", first_data_row + 4, "F", "整改状态", "做完了"), f"{allowed}。"),
    ]


@pytest.mark.parametrize(
    ("status", "found", "resolved", "message"),
    [
        ("已化解", "2025-03-01", None, "整改状态为「已化解」，须填写化解日期。"),
        ("已办结", "2025-03-01", "", "整改状态为「已化解」，须填写化解日期。"),
        ("已化解", "2025-03-01", "2025-02-28", "化解日期早于发现日期，请核对。"),
        (
            "化解中",
            "2025-03-01",
            "2025-03-20",
            "整改状态为「化解中」时不应填写化解日期；如已化解，请把状态改为「已化解」。",
        ),
        (
            "待化解",
            "2025-03-01",
            "2025-03-20",
            "整改状态为「待化解」时不应填写化解日期；如已化解，请把状态改为「已化解」。",
        ),
    ],
)
def test_resolved_date_must_follow_the_status_and_the_found_date(check, status, found, resolved, message):
    error = one_error(check([PROBLEM_HEADER, problem(status, found, resolved)], "problems"))
    assert (error.row, error.column, error.column_name, error.message) == (2, "G", "化解日期", message)


@pytest.mark.parametrize(("found", "resolved"), [("2025-03-01", "2025-03-01"), ("2025-03-01", "2025-04-30")])
def test_resolved_on_or_after_the_found_date_is_accepted(check, found, resolved):
    validated = check([PROBLEM_HEADER, problem("已化解", found, resolved)], "problems")
    assert validated.errors == []
    assert frame(validated)["resolved_date"][0] == dt.date.fromisoformat(resolved)


def test_unresolved_problem_has_no_resolved_date(check):
    validated = check([PROBLEM_HEADER, problem("化解中")], "problems")
    assert frame(validated)["resolved_date"][0] is None


@pytest.mark.parametrize(
    ("written", "stage"), [("点题", "点题"), ("破题", "破题"), ("解题环节", "解题"), ("验题", "验题"), ("", None)]
)
def test_trace_stage_is_one_of_four(check, written, stage):
    rows = [PROBLEM_HEADER, [*problem()[:7], written]]
    assert frame(check(rows, "problems"))["stage"][0] == stage


def test_unknown_trace_stage_is_an_error(check):
    error = one_error(check([PROBLEM_HEADER, [*problem()[:7], "答题"]], "problems"))
    assert (error.column, error.message) == ("H", "「溯源环节」只能填写：点题、破题、解题、验题。")


def test_problem_type_is_free_text(check):
    rows = [PROBLEM_HEADER, problem(number="A"), problem(number="B")]
    rows[1][3], rows[2][3] = "档案管理", ""
    assert list(frame(check(rows, "problems"))["problem_type"]) == ["档案管理", None]


@pytest.mark.parametrize(
    ("second", "column_name"),
    [
        (problem(number="P-001", description="另一个问题"), "问题编号"),
        (problem(number=None), None),  # no number: (unit, 问题描述, 发现日期) is the key
    ],
)
def test_same_problem_twice_in_a_file_is_an_error(check, second, column_name):
    first = problem(number=None) if column_name is None else problem()
    error = one_error(check([PROBLEM_HEADER, first, second], "problems"))
    assert error.row == 3
    assert error.message.startswith("同一问题出现两次（另见第2行）")
    assert error.column_name == (column_name or "问题描述")


def test_problems_with_the_same_description_on_other_dates_are_different(check):
    rows = [PROBLEM_HEADER, problem(number=None), problem(number=None, found="2025-04-01")]
    assert check(rows, "problems").ok


# -- hotline ----------------------------------------------------------------------------------------------------


def test_duplicate_unit_month_in_a_hotline_file_is_an_error(check):
    rows = hotline_rows((202509, 202510))
    rows.append([*rows[2][:2], 10, "90%", "90%", "90%"])
    error = one_error(check(rows, "hotline"))
    assert (error.row, error.column, error.column_name, error.value) == (4, "B", "月份", "2025-10")
    assert error.message == "同一单位同一月份出现两次（另见第3行），每个单位每月只能有一行。"


def test_same_unit_under_another_name_and_month_written_otherwise_is_still_a_duplicate(check):
    rows = [HOTLINE_HEADER, [UNIT, "2025-10", 10, "", "", ""], ["市民政局", "2025年10月", 12, "", "", ""]]
    assert one_error(check(rows, "hotline")).row == 3


def test_same_month_of_different_units_is_fine(check):
    assert check(hotline_rows(units=(UNIT, OTHER_UNIT)), "hotline").ok


def test_same_unit_month_on_two_hotline_sheets_of_one_file_is_an_error(check, tmp_path):
    validated = check(sheets={"热线指标": hotline_rows(), "12345热线": hotline_rows(seed=7)}, tmp_path=tmp_path)
    error = one_error(validated)
    assert (error.sheet, error.row) == ("12345热线", 2)
    assert error.message == "同一单位同一月份在工作表「热线指标」第2行已出现。"


def test_same_problem_on_two_problem_sheets_of_one_file_is_an_error(check, tmp_path):
    numbered = problem_rows(2)
    unnumbered = drop(problem_rows(2), "问题编号")
    sheets = {"问题清单": numbered, "问题清单（续）": numbered[:2], "问题清单2": unnumbered, "问题清单3": unnumbered}
    validated = check(sheets=sheets, tmp_path=tmp_path)
    assert [(e.sheet, e.row, e.message) for e in validated.errors] == [
        ("问题清单（续）", 2, "同一问题在工作表「问题清单」第2行已出现：问题编号（或问题描述加发现日期）须唯一。"),
        ("问题清单3", 2, "同一问题在工作表「问题清单2」第2行已出现：问题编号（或问题描述加发现日期）须唯一。"),
        ("问题清单3", 3, "同一问题在工作表「问题清单2」第3行已出现：问题编号（或问题描述加发现日期）须唯一。"),
    ]


def test_same_indicator_and_period_on_two_indicator_sheets_of_one_file_is_an_error(check, tmp_path):
    sheets = {"共性指标": indicator_rows(), "个性指标": indicator_rows()[:1] + indicator_rows()[2:]}
    error = one_error(check(sheets=sheets, tmp_path=tmp_path))
    assert (error.sheet, error.row) == ("个性指标", 2)
    assert error.message == "同一单位、同一指标、同一统计期间在工作表「共性指标」第3行已出现。"


# -- indicators -------------------------------------------------------------------------------------------------


def test_indicator_direction_defaults_to_higher_is_better_and_period_to_the_files(check):
    rows = column(column(indicator_rows(), "指标方向", [None, "越低越好"]), "统计期间", [None, None])
    validated = check(titled(rows, unit=UNIT, period="2025年1-10月"), "indicators")
    assert validated.errors == []
    assert list(frame(validated)["direction"]) == ["越高越好", "越低越好"]
    assert list(frame(validated)["period"]) == [Period(202501, 202510)] * 2


def test_indicator_without_any_period_is_an_error(check):
    validated = check(column(indicator_rows(), "统计期间", [None, "2025年1-10月"]), "indicators")
    error = one_error(validated)
    assert (error.row, error.column_name) == (2, "统计期间")
    assert error.message == "未填统计期间，文件也没有写明报送期间。请填写统计期间，如 2025年1-10月。"


def test_same_indicator_twice_for_a_period_is_an_error(check):
    rows = indicator_rows()
    rows.append(list(rows[1]))
    error = one_error(check(rows, "indicators"))
    assert (error.row, error.message) == (4, "同一单位、同一指标、同一统计期间出现两次（另见第2行）。")


def test_indicator_target_and_actual_are_numbers(check):
    rows = column(column(indicator_rows(), "目标值", ["1,200", "95%"]), "完成值", ["1,180.5", "９０"])
    validated = check(rows, "indicators")
    assert list(frame(validated)["target"]) == [1200.0, 95.0]
    assert list(frame(validated)["actual"]) == [1180.5, 90.0]


def test_unknown_indicator_type_is_an_error(check):
    error = one_error(check(column(indicator_rows(), "指标类型", ["共性指标", "特色指标"]), "indicators"))
    assert error.message == "「指标类型」只能填写：共性指标、个性指标。"


# -- where each finding is --------------------------------------------------------------------------------------


def test_every_error_is_located_with_file_sheet_excel_row_column_letter_name_and_value(check, tmp_path):
    rows = titled(learning_rows(4), unit=UNIT, period="2025年10月")  # header on row 4, data from row 5
    rows[5][8] = -5  # row 6, column I 参与人次
    rows[6][5] = "2025-13-01"  # row 7, column F 日期
    rows[7][1] = "市人社厅"  # row 8, column B 单位名称
    validated = check(sheets={"学习活动": rows}, tmp_path=tmp_path, name="民政局10月.xlsx")
    assert [str(e) for e in validated.errors] == [
        "错误：文件「民政局10月.xlsx」 工作表「学习活动」 第8行 B列「单位名称」 值「市人社厅」："
        + validated.errors[0].message,
        "错误：文件「民政局10月.xlsx」 工作表「学习活动」 第7行 F列「日期」 值「2025-13-01」："
        + "没有这一天（2025年13月1日），请填写日期，如 2025-03-15、2025/3/15、2025.03.15 或 2025年3月15日。",
        "错误：文件「民政局10月.xlsx」 工作表「学习活动」 第6行 I列「参与人次」 值「-5」：应为不小于0的整数。",
    ]
    assert validated.errors[0].as_row() == {
        "级别": "错误",
        "文件": "民政局10月.xlsx",
        "工作表": "学习活动",
        "行号": 8,
        "列": "B",
        "列名": "单位名称",
        "值": "市人社厅",
        "说明": validated.errors[0].message,
    }


def test_column_name_in_a_finding_is_the_header_as_the_file_wrote_it(check):
    rows = column(learning_rows(1), "参与人次", [-1])
    rows[0][rows[0].index("参与人次")] = "参学人次（人次）"
    error = one_error(check(rows))
    assert (error.column, error.column_name) == ("I", "参学人次")


def test_every_error_of_a_file_is_reported_not_just_the_first(check):
    rows = learning_rows(5)
    rows[1][8] = -1
    rows[2][5] = "昨天"
    rows[3][6] = 0
    rows[4][1] = "不存在的单位"
    rows[5][2] = ""
    validated = check(rows)
    assert sorted((e.row, e.column) for e in validated.errors) == [(2, "I"), (3, "F"), (4, "G"), (5, "B"), (6, "C")]
    assert not validated.ok


# -- totals -------------------------------------------------------------------------------------------------------


def test_total_that_adds_up_is_no_warning(check):
    rows = learning_rows(3)
    validated = check([*rows, total_row(rows, ("期数", "节数", "参与人次"))])
    assert validated.ok
    assert validated.warnings == []
    assert len(frame(validated)) == 3


def test_total_that_does_not_add_up_is_a_warning_naming_both_numbers(check):
    rows = column(learning_rows(3), "参与人次", [100, 200, 300])
    total = total_row(rows, ("参与人次",))
    total[8] = "650"
    validated = check([*rows, total])
    assert validated.ok  # a warning never blocks
    (warning,) = validated.warnings
    assert (warning.level, warning.row, warning.column, warning.column_name, warning.value) == (
        Level.WARNING,
        5,
        "I",
        "参与人次",
        "650",
    )
    assert warning.message == "合计行为 650，但上方各行相加为 600，请核对。"


def test_subtotal_is_checked_against_the_rows_since_the_last_subtotal(check):
    rows = column(learning_rows(4), "参与人次", [10, 20, 30, 40])
    header, a, b, c, d = rows
    first = total_row([header, a, b], ("参与人次",), label="小计")  # 30
    second = total_row([header, c, d], ("参与人次",), label="小计")  # 70
    second[8] = 75
    grand = total_row(rows, ("参与人次",), label="总计")  # 100
    validated = check([header, a, b, first, c, d, second, grand])
    assert [(w.row, w.message) for w in validated.warnings] == [(7, "小计行为 75，但上方各行相加为 70，请核对。")]
    assert len(frame(validated)) == 4


def test_total_at_the_top_of_the_table_is_checked_against_the_rows_under_it(check):
    header, *data = column(learning_rows(2), "参与人次", [10, 20])
    total = total_row([header, *data], ("参与人次",))
    validated = check([header, total, *data])
    assert validated.warnings == []
    total[8] = 31
    assert messages(check([header, total, *data]).warnings) == ["合计行为 31，但下方各行相加为 30，请核对。"]


def test_tables_pasted_one_under_another_are_read_whole_each_total_checked_against_its_own_rows(check):
    first = column(learning_rows(2), "参与人次", [10, 20])
    second = column(learning_rows(1, unit=OTHER_UNIT), "参与人次", [40])
    total_first, total_second = total_row(first, ("参与人次",)), total_row(second, ("参与人次",))
    validated = check([*first, total_first, [], *second, total_second])
    assert validated.errors == [] and validated.warnings == []
    assert list(frame(validated)["unit"]) == [UNIT, UNIT, OTHER_UNIT]
    assert list(frame(validated)["person_times"]) == [10, 20, 40]


# -- 基本信息 ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "headcount"), [(85, 85), ("85人", 85), ("1,024", 1024)])
def test_headcount_from_basic_information_is_kept_for_the_file_unit(check, tmp_path, written, headcount):
    sheets = {"基本信息": [["填报单位", "市民政局"], ["在职人数", written]], "学习活动": learning_rows(1)}
    assert check(sheets=sheets, tmp_path=tmp_path).headcount == {UNIT: headcount}


def test_unreadable_headcount_is_a_warning_and_ignored(check, tmp_path):
    sheets = {"基本信息": [["填报单位", UNIT], ["在职人数", "八十五"]], "学习活动": learning_rows(1)}
    validated = check(sheets=sheets, tmp_path=tmp_path)
    assert validated.ok
    assert validated.headcount == {}
    assert messages(validated.warnings) == ["在职人数无法识别为整数，已忽略。"]


def test_row_counts_are_per_sheet_kind(check, tmp_path):
    sheets = {"学习活动": learning_rows(3), "热线指标": hotline_rows((202509, 202510)), "问题清单": problem_rows(2)}
    assert check(sheets=sheets, tmp_path=tmp_path).row_counts() == {"学习活动": 3, "热线指标": 2, "问题清单": 2}


@pytest.mark.parametrize("period", ["2025年10月", None])
def test_header_without_data_rows_is_an_error(check, period):
    validated = check(titled([LEARNING_HEADER], unit=UNIT, period=period))
    error = one_error(validated)
    assert (error.file, error.row) == ("学习活动.csv", None)
    assert error.message.startswith("文件中没有数据行")


def test_a_sheet_without_rows_beside_one_with_rows_is_fine(check, tmp_path):
    validated = check(sheets={"学习活动": learning_rows(2), "热线指标": [HOTLINE_HEADER]}, tmp_path=tmp_path)
    assert validated.ok
    assert validated.row_counts() == {"学习活动": 2}


# -- Excel error values ------------------------------------------------------------------------------------------

EXCEL_ERROR_CELLS = [
    ("参与人次", "#DIV/0!", "I", "单元格是公式错误 #DIV/0!（除数为0），请改为数值后重新上传。"),
    ("期数", "#VALUE!", "G", "单元格是公式错误 #VALUE!（公式中有类型不对的值），请改为数值后重新上传。"),
    ("日期", "#N/A", "F", "单元格是公式错误 #N/A（找不到要查找的值），请改为日期后重新上传。"),
    ("活动名称", "#REF!", "C", "单元格是公式错误 #REF!（引用的单元格已被删除），请改为要填写的文字后重新上传。"),
    (
        "活动形式",
        "#NAME?",
        "D",
        "单元格是公式错误 #NAME?（公式中有无法识别的函数或名称），请改为规定的选项后重新上传。",
    ),
    ("单位名称", "#N/A", "B", "单元格是公式错误 #N/A（找不到要查找的值），请改为单位全称或简称后重新上传。"),
    ("授课人数", "#NUM!", "J", "单元格是公式错误 #NUM!（数值无效或超出范围），请改为数值后重新上传。"),
    ("节数", "#NULL!", "H", "单元格是公式错误 #NULL!（引用的区域没有交集），请改为数值后重新上传。"),
]


@pytest.mark.parametrize("name", ["报表.xlsx", "报表.xls", "学习活动.csv"])
@pytest.mark.parametrize(("header", "written", "letter", "message"), EXCEL_ERROR_CELLS)
def test_excel_error_value_in_a_read_column_is_an_error_naming_its_cell_and_the_error(
    check, tmp_path, name, header, written, letter, message
):
    rows = learning_rows(2)
    rows[2][rows[0].index(header)] = written  # Excel row 3; the workbook writers make "#DIV/0!" an error cell
    workbook = name.endswith((".xlsx", ".xls"))
    validated = check(sheets={"学习活动": rows}, name=name, tmp_path=tmp_path) if workbook else check(rows)
    error = one_error(validated)
    assert place(error) == (
        name,
        "学习活动",
        3,
        letter,
        header,
        written,
    )
    assert error.message == message


def test_excel_error_value_in_a_rate_column_is_an_error_naming_the_error(check):
    rows = column(hotline_rows((202509, 202510)), "问题解决率", ["95%", "#DIV/0!"])
    error = one_error(check(rows, "hotline"))
    assert (error.row, error.column, error.column_name, error.value) == (3, "E", "问题解决率", "#DIV/0!")
    assert error.message == "单元格是公式错误 #DIV/0!（除数为0），请改为数值后重新上传。"


def test_excel_error_values_in_ignored_columns_or_outside_the_table_are_no_error(check, tmp_path):
    rows = [["学习活动情况统计表", None, None, None, None, None, None, None, None, None, None, "#REF!"]]
    rows += [[*row, "备注"] if i == 0 else [*row, "#DIV/0!"] for i, row in enumerate(learning_rows(2))]
    rows[1][0] = "#REF!"  # 序号 of the first data row
    rows.append([None, None, None, None, None, None, None, None, "#DIV/0!"])  # a template formula over an empty row
    rows.append([None] * 12 + ["#N/A"])
    validated = check(sheets={"学习活动": rows}, tmp_path=tmp_path)
    assert validated.errors == []
    assert list(frame(validated)["row"]) == [3, 4]


# -- where file-level information came from ----------------------------------------------------------------------


def test_unreadable_period_on_the_title_line_is_located_at_its_cell(check, tmp_path):
    rows = [["学习活动情况统计表"], ["填报单位：", UNIT, None, "报送期间：", "今年十月"], *learning_rows(1)]
    error = one_error(check(sheets={"学习活动": rows}, tmp_path=tmp_path))
    assert place(error) == (
        "报表.xlsx",
        "学习活动",
        2,
        "E",
        "报送期间",
        "今年十月",
    )


def test_unreadable_period_in_a_csv_title_line_is_located_at_its_cell(check):
    error = one_error(check(titled(learning_rows(1), unit=UNIT, period="今年十月")))
    assert place(error) == (
        "学习活动.csv",
        "学习活动",
        2,
        "A",
        "报送期间",
        "今年十月",
    )


def test_unknown_unit_in_basic_information_is_located_at_its_cell(check, tmp_path):
    sheets = {
        "基本信息": [["项目", "内容"], ["报送单位", "临沂市民证局"], ["报送期间", "2025年10月"]],
        "学习活动": drop(learning_rows(1), "单位名称"),
    }
    error = check(sheets=sheets, tmp_path=tmp_path).errors[0]
    assert error.message.startswith("填报单位「临沂市民证局」不在单位名录中。")
    assert place(error) == (
        "报表.xlsx",
        "基本信息",
        2,
        "B",
        "报送单位",
        "临沂市民证局",
    )


def test_unreadable_period_in_basic_information_is_one_error_at_its_cell_whatever_the_sheets(check, tmp_path):
    sheets = {
        "基本信息": [["填报单位", UNIT], ["报送期间", "今年十月"]],
        "学习活动": learning_rows(1),
        "热线指标": hotline_rows(),
    }
    error = one_error(check(sheets=sheets, tmp_path=tmp_path))
    assert error.message.startswith("报送期间无法识别：")
    assert place(error) == (
        "报表.xlsx",
        "基本信息",
        2,
        "B",
        "报送期间",
        "今年十月",
    )


def test_unreadable_headcount_warning_is_located_at_its_cell(check, tmp_path):
    sheets = {"基本信息": [["填报单位", UNIT], ["在职人数", "八十五"]], "学习活动": learning_rows(1)}
    (warning,) = check(sheets=sheets, tmp_path=tmp_path).warnings
    assert (warning.sheet, warning.row, warning.column, warning.column_name) == ("基本信息", 2, "B", "在职人数")
