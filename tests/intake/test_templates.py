"""The templates are written from the contract, and a template filled in passes the checks as filled."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from lingyi.contract import INFO_KEYS, INFO_SHEET, SHEET_KIND_BY_KEY, SHEET_KINDS, ValueKind
from lingyi.intake.ingest import check_file
from lingyi.intake.instructions import GENERAL_RULES, column_rows
from lingyi.intake.templates import (
    COMBINED_NAME,
    DICTIONARY_SHEET,
    INFO_ROWS,
    INSTRUCTIONS_SHEET,
    NUMBER_FORMATS,
    TEMPLATE_ROWS,
    combined_template,
    example_row,
    header_text,
    kind_template,
    template_file_name,
)
from lingyi.values import Period

EXAMPLE = object()  # stands for the contract's example row in the tables below

# Per sheet kind: rows as a person types them into the template (Excel stores dates as dates and
# 95% as 0.95), and the values the checks must read from them, column by column.
FILLED: dict[str, list[tuple[object, dict]]] = {
    "learning": [
        (
            EXAMPLE,
            {
                "unit": "临沂市民政局",
                "activity": "“学习强国”专题讲堂",
                "form": "讲堂",
                "theme": "党的创新理论",
                "date": dt.date(2025, 3, 15),
                "sessions": 1,
                "lectures": 2,
                "person_times": 120,
                "lecturers": 1,
            },
        ),
        (
            ["市财政局", "业务大讲堂", "专题培训", "政策专业知识", dt.date(2025, 3, 20), 2, 4, 86, 2],
            {
                "unit": "临沂市财政局",
                "activity": "业务大讲堂",
                "form": "专题培训",
                "theme": "政策专业知识",
                "date": dt.date(2025, 3, 20),
                "sessions": 2,
                "lectures": 4,
                "person_times": 86,
                "lecturers": 2,
            },
        ),
        (
            ["临沂市民政局", "青年干部读书会", None, None, dt.date(2025, 3, 28), None, None, 35, None],
            {
                "unit": "临沂市民政局",
                "activity": "青年干部读书会",
                "form": None,
                "theme": None,
                "date": dt.date(2025, 3, 28),
                "sessions": 1,
                "lectures": 1,
                "person_times": 35,
                "lecturers": None,
            },
        ),
    ],
    "hotline": [
        (
            EXAMPLE,
            {
                "unit": "临沂市民政局",
                "month": 202503,
                "appeals": 156,
                "first_time_rate": 0.9372,
                "resolution_rate": 0.915,
                "satisfaction_rate": 0.951,
                "appeals_prev": 180,
                "first_time_rate_prev": 0.882,
                "resolution_rate_prev": 0.86,
                "satisfaction_rate_prev": 0.903,
            },
        ),
        (
            ["临沂市财政局", "2025-03", 42, 0.95, 0.9, 1, None, None, None, None],
            {
                "unit": "临沂市财政局",
                "month": 202503,
                "appeals": 42,
                "first_time_rate": 0.95,
                "resolution_rate": 0.9,
                "satisfaction_rate": 1.0,
                "appeals_prev": None,
                "first_time_rate_prev": None,
                "resolution_rate_prev": None,
                "satisfaction_rate_prev": None,
            },
        ),
        (
            ["临沂市民政局", "2025年4月", 0, None, None, None, 12, 0.5, 0.25, 0.75],
            {
                "unit": "临沂市民政局",
                "month": 202504,
                "appeals": 0,
                "first_time_rate": None,
                "resolution_rate": None,
                "satisfaction_rate": None,
                "appeals_prev": 12,
                "first_time_rate_prev": 0.5,
                "resolution_rate_prev": 0.25,
                "satisfaction_rate_prev": 0.75,
            },
        ),
    ],
    "problems": [
        (
            EXAMPLE,
            {
                "unit": "临沂市民政局",
                "number": "MZ-2025-001",
                "description": "基层办事指南更新不及时",
                "problem_type": "服务群众",
                "found_date": dt.date(2025, 2, 10),
                "status": "已化解",
                "resolved_date": dt.date(2025, 4, 30),
                "stage": "解题",
            },
        ),
        (
            ["临沂市民政局", "MZ-2025-002", "窗口服务不规范", "作风纪律", dt.date(2025, 3, 1), "化解中", None, "破题"],
            {
                "unit": "临沂市民政局",
                "number": "MZ-2025-002",
                "description": "窗口服务不规范",
                "problem_type": "作风纪律",
                "found_date": dt.date(2025, 3, 1),
                "status": "化解中",
                "resolved_date": None,
                "stage": "破题",
            },
        ),
        (
            ["临沂市财政局", None, "学习记录不完整", None, dt.date(2025, 1, 5), "待化解", None, None],
            {
                "unit": "临沂市财政局",
                "number": None,
                "description": "学习记录不完整",
                "problem_type": None,
                "found_date": dt.date(2025, 1, 5),
                "status": "待化解",
                "resolved_date": None,
                "stage": None,
            },
        ),
    ],
    "indicators": [
        (
            EXAMPLE,
            {
                "unit": "临沂市民政局",
                "indicator_type": "共性指标",
                "indicator": "理论学习中心组学习次数",
                "measure_unit": "次",
                "target": 12,
                "actual": 10,
                "direction": "越高越好",
                "period": Period(202501, 202510),
            },
        ),
        (
            ["临沂市财政局", "个性指标", "群众投诉件数", "件", 20, 15, "越低越好", "2025年第三季度"],
            {
                "unit": "临沂市财政局",
                "indicator_type": "个性指标",
                "indicator": "群众投诉件数",
                "measure_unit": "件",
                "target": 20,
                "actual": 15,
                "direction": "越低越好",
                "period": Period(202507, 202509),
            },
        ),
        (
            ["临沂市民政局", "共性指标", "学习强国平均积分", "分", 9000, 9120.5, None, "2025年"],
            {
                "unit": "临沂市民政局",
                "indicator_type": "共性指标",
                "indicator": "学习强国平均积分",
                "measure_unit": "分",
                "target": 9000,
                "actual": 9120.5,
                "direction": "越高越好",
                "period": Period(202501, 202512),
            },
        ),
    ],
}


def fill(template: bytes, rows_by_sheet: dict[str, list[list[object]]], info: dict[str, object] | None = None) -> bytes:
    """The template as a unit sends it back: rows typed from row 2 of each sheet, 基本信息 values beside their labels."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    for sheet_name, rows in rows_by_sheet.items():
        sheet = workbook[sheet_name]
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                sheet.cell(r, c, value)
    for label, value in (info or {}).items():
        sheet = workbook[INFO_SHEET]
        row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == label)
        sheet.cell(row, 2, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def typed_rows(kind_key: str) -> list[list[object]]:
    return [example_row(SHEET_KIND_BY_KEY[kind_key]) if row is EXAMPLE else row for row, _ in FILLED[kind_key]]


def parsed_records(validated) -> list[dict]:
    return [
        {k: v for k, v in record.items() if k not in ("sheet", "row")}
        for table in validated.tables
        for record in table.frame.to_dict("records")
    ]


def open_template(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def validations_on(sheet, cell: str) -> list:
    return [dv for dv in sheet.data_validations.dataValidation if cell in dv.sqref]


def dictionary_values(workbook, formula: str) -> list[str]:
    """The values a list drop-down offers: its 字典 range read back."""
    sheet_part, cells = formula.lstrip("=").split("!")
    assert sheet_part.strip("'") == DICTIONARY_SHEET
    first, last = cells.replace("$", "").split(":")
    return [c.value for row in workbook[DICTIONARY_SHEET][f"{first}:{last}"] for c in row]


# -- the blank template -------------------------------------------------------------------------------------------


def test_combined_template_has_instructions_info_every_kind_and_a_hidden_dictionary(registry):
    workbook = open_template(combined_template(registry))
    assert workbook.sheetnames == [INSTRUCTIONS_SHEET, INFO_SHEET, *(k.name for k in SHEET_KINDS), DICTIONARY_SHEET]
    assert workbook[DICTIONARY_SHEET].sheet_state == "hidden"
    assert all(workbook[name].sheet_state == "visible" for name in workbook.sheetnames[:-1])


@pytest.mark.parametrize("kind", SHEET_KINDS, ids=lambda k: k.key)
def test_kind_template_holds_only_its_own_data_sheet(kind, registry):
    workbook = open_template(kind_template(kind.key, registry))
    assert workbook.sheetnames == [INSTRUCTIONS_SHEET, INFO_SHEET, kind.name, DICTIONARY_SHEET]
    assert workbook.active.title == kind.name


@pytest.mark.parametrize("kind", SHEET_KINDS, ids=lambda k: k.key)
def test_header_row_is_the_contract_columns_with_required_ones_marked_and_frozen(kind, registry):
    sheet = open_template(kind_template(kind.key, registry))[kind.name]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [header_text(c) for c in kind.columns]
    for column, cell in zip(kind.columns, sheet[1]):
        assert cell.value.startswith("*") is column.required
        assert (cell.font.color is not None and cell.font.color.rgb.endswith("C00000")) is column.required
        assert column.help in cell.comment.text
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize("kind", SHEET_KINDS, ids=lambda k: k.key)
def test_unit_and_every_choice_column_offer_a_dropdown_of_their_values(kind, registry):
    workbook = open_template(kind_template(kind.key, registry))
    sheet = workbook[kind.name]
    for index, column in enumerate(kind.columns, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        if column.key != "unit" and column.choices is None:
            continue
        lists = [dv for dv in validations_on(sheet, f"{letter}2") if dv.type == "list"]
        assert len(lists) == 1, column.name
        assert f"{letter}{TEMPLATE_ROWS + 1}" in lists[0].sqref
        offered = dictionary_values(workbook, lists[0].formula1)
        expected = [u.name for u in registry.units] if column.key == "unit" else list(column.choices.values)
        assert offered == expected, column.name


def test_unit_dropdown_lets_a_short_name_through_with_a_warning_but_closed_lists_stop(registry):
    sheet = open_template(kind_template("problems", registry))["问题清单"]
    unit_check = validations_on(sheet, "A2")[0]
    status_check = validations_on(sheet, "F2")[0]
    assert unit_check.errorStyle == "warning"
    assert status_check.errorStyle == "stop"


@pytest.mark.parametrize(
    ("kind_key", "column_key", "number_format"),
    [
        ("learning", "date", "yyyy-mm-dd"),
        ("learning", "person_times", "0"),
        ("hotline", "first_time_rate", "0.00%"),
        ("hotline", "month", "@"),
        ("problems", "found_date", "yyyy-mm-dd"),
        ("problems", "number", "@"),
        ("indicators", "period", "@"),
    ],
)
def test_columns_carry_the_number_format_of_their_kind(kind_key, column_key, number_format, registry):
    kind = SHEET_KIND_BY_KEY[kind_key]
    letter = openpyxl.utils.get_column_letter([c.key for c in kind.columns].index(column_key) + 1)
    sheet = open_template(kind_template(kind_key, registry))[kind.name]
    assert sheet.column_dimensions[letter].number_format == number_format
    assert NUMBER_FORMATS[kind.column(column_key).kind] == number_format


@pytest.mark.parametrize(
    ("column_key", "kind_of_check"), [("date", "date"), ("sessions", "whole"), ("person_times", "whole")]
)
def test_dates_and_counts_are_checked_as_they_are_typed(column_key, kind_of_check, registry):
    kind = SHEET_KIND_BY_KEY["learning"]
    letter = openpyxl.utils.get_column_letter([c.key for c in kind.columns].index(column_key) + 1)
    sheet = open_template(kind_template("learning", registry))[kind.name]
    (check,) = validations_on(sheet, f"{letter}2")
    assert check.type == kind_of_check
    if kind_of_check == "whole":
        assert check.formula1 == str(kind.column(column_key).minimum)


def test_instructions_sheet_says_every_rule_and_every_column(registry):
    sheet = open_template(combined_template(registry))[INSTRUCTIONS_SHEET]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    for rule in GENERAL_RULES:
        assert any(rule in text for text in texts)
    for kind in SHEET_KINDS:
        for entry in column_rows(kind):
            assert entry["填写要求"] in texts


@pytest.mark.parametrize("kind", SHEET_KINDS, ids=lambda k: k.key)
def test_example_row_is_shown_in_the_instructions_not_in_the_data_sheet(kind, registry):
    workbook = open_template(kind_template(kind.key, registry))
    rows = [[c.value for c in row] for row in workbook[INSTRUCTIONS_SHEET].iter_rows()]
    example = example_row(kind)
    assert any(row[: len(example)] == example for row in rows)
    assert workbook[kind.name].max_row == 1


def test_every_info_label_is_one_the_reader_knows():
    known = {name for names in INFO_KEYS.values() for name in names}
    assert {label for label, _ in INFO_ROWS} <= known


def test_file_names_say_what_the_template_is():
    assert template_file_name(SHEET_KIND_BY_KEY["hotline"]) == "热线指标_填报模板.xlsx"
    assert template_file_name() == COMBINED_NAME


# -- filled in and uploaded -----------------------------------------------------------------------------------------


def test_blank_template_uploaded_as_it_is_stores_nothing_and_says_so(registry):
    validated = check_file(combined_template(registry), COMBINED_NAME, registry)
    assert validated.tables == []
    assert [f.message for f in validated.errors] == [
        "文件中没有数据行：表头下面没有填写任何数据，未入库。请填写数据后再上传。"
    ]


@pytest.mark.parametrize("kind", SHEET_KINDS, ids=lambda k: k.key)
def test_filled_template_passes_with_the_values_as_filled(kind, registry):
    data = fill(kind_template(kind.key, registry), {kind.name: typed_rows(kind.key)})
    validated = check_file(data, template_file_name(kind), registry)
    assert validated.errors == []
    assert validated.warnings == []
    assert validated.row_counts() == {kind.name: len(FILLED[kind.key])}
    assert parsed_records(validated) == [expected for _, expected in FILLED[kind.key]]
    assert [int(r) for r in validated.tables[0].frame["row"]] == list(range(2, 2 + len(FILLED[kind.key])))


def test_combined_template_filled_on_every_sheet_passes(registry):
    data = fill(combined_template(registry), {k.name: typed_rows(k.key) for k in SHEET_KINDS})
    validated = check_file(data, COMBINED_NAME, registry)
    assert validated.errors == []
    assert validated.row_counts() == {k.name: len(FILLED[k.key]) for k in SHEET_KINDS}


def test_combined_template_with_one_sheet_filled_passes_and_skips_the_empty_ones(registry):
    data = fill(combined_template(registry), {"学习活动": typed_rows("learning")})
    validated = check_file(data, COMBINED_NAME, registry)
    assert validated.errors == []
    assert validated.row_counts() == {"学习活动": 3}


def test_info_sheet_names_the_unit_and_headcount_of_rows_without_a_unit(registry):
    rows = [[None, *row[1:]] for row in typed_rows("learning")]
    data = fill(
        kind_template("learning", registry),
        {"学习活动": rows},
        info={"填报单位": "市民政局", "报送期间": "2025年3月", "在职人数": 85},
    )
    validated = check_file(data, "学习活动_填报模板.xlsx", registry)
    assert validated.errors == []
    assert set(validated.tables[0].frame["unit"]) == {"临沂市民政局"}
    assert validated.tables[0].period == Period(202503, 202503)
    assert validated.headcount == {"临沂市民政局": 85}


def test_declared_period_in_the_info_sheet_still_catches_rows_outside_it(registry):
    data = fill(
        kind_template("learning", registry), {"学习活动": typed_rows("learning")}, info={"报送期间": "2025年4月"}
    )
    validated = check_file(data, "学习活动_填报模板.xlsx", registry)
    assert {(f.row, f.column, f.column_name) for f in validated.errors} == {(r, "E", "日期") for r in (2, 3, 4)}


def test_rate_typed_as_a_percentage_into_the_rate_format_reads_as_that_percentage(registry):
    # Typing 93.72 into a cell formatted 0.00% gives 93.72%, which Excel stores as 0.9372.
    row = ["临沂市民政局", "2025-05", 10, 0.9372, None, None, None, None, None, None]
    data = fill(kind_template("hotline", registry), {"热线指标": [row]})
    validated = check_file(data, "热线.xlsx", registry)
    assert validated.tables[0].frame["first_time_rate"].tolist() == [0.9372]


@pytest.mark.parametrize("kind", [k for k in SHEET_KINDS if any(c.kind is ValueKind.CHOICE for c in k.columns)])
def test_every_choice_value_of_the_dropdowns_is_accepted(kind, registry):
    """Whatever a drop-down offers, the checks accept: one row per value of the longest list."""
    choice_columns = [c for c in kind.columns if c.kind is ValueKind.CHOICE]
    longest = max(len(c.choices.values) for c in choice_columns)
    base = example_row(kind)
    rows = []
    for i in range(longest):
        row = list(base)
        for column in choice_columns:
            row[kind.columns.index(column)] = column.choices.values[i % len(column.choices.values)]
        if kind.key == "problems":
            row[1] = f"MZ-{i:03d}"
            status = row[kind.columns.index(kind.column("status"))]
            row[kind.columns.index(kind.column("resolved_date"))] = "2025-04-30" if status == "已化解" else None
        if kind.key == "indicators":
            row[2] = f"指标{i}"
        rows.append(row)
    validated = check_file(fill(kind_template(kind.key, registry), {kind.name: rows}), "t.xlsx", registry)
    assert validated.errors == []
    assert not [f for f in validated.warnings if "不在" in f.message]
