"""Workbooks the app writes: text that looks like a formula stays text; sheets are named as Excel allows."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from lingyi.exports import display_width, frames_to_xlsx, is_formula_like, put, sheet_title


def reopen(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.mark.parametrize(
    ("value", "formula_like"),
    [("=1+1", True), ("+86 0539", True), ("-5", True), ("@SUM(A1)", True), ("\t=1", True), ("临沂", False), (5, False)],
)
def test_text_starting_like_a_formula_is_recognised(value, formula_like):
    assert is_formula_like(value) is formula_like


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","点我")', "+1", "-5", "@cmd", "=1+1"])
def test_formula_like_text_is_written_as_quoted_text(text):
    data = frames_to_xlsx({"表": pd.DataFrame({"值": [text]})})
    cell = reopen(data)["表"]["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_numbers_dates_and_missing_values_are_written_as_themselves():
    frame = pd.DataFrame(
        {
            "数": [3, None],
            "率": [0.9372, float("nan")],
            "日期": [pd.Timestamp("2025-03-15"), pd.NaT],
            "时间": [dt.datetime(2025, 3, 15, 9, 30), None],
        }
    )
    sheet = reopen(frames_to_xlsx({"表": frame}, formats={"率": "0.00%"}))["表"]
    assert [c.value for c in sheet[2]] == [3, 0.9372, dt.datetime(2025, 3, 15), dt.datetime(2025, 3, 15, 9, 30)]
    assert [c.value for c in sheet[3]] == [None, None, None, None]
    assert sheet["B2"].number_format == "0.00%"
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].number_format == "yyyy-mm-dd hh:mm:ss"


def test_header_is_bold_and_frozen_and_an_empty_frame_keeps_it():
    sheet = reopen(frames_to_xlsx({"空": pd.DataFrame(columns=["单位", "行数"])}))["空"]
    assert [c.value for c in sheet[1]] == ["单位", "行数"]
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 1


def test_every_frame_gets_its_sheet_in_order():
    data = frames_to_xlsx({"学习活动": pd.DataFrame({"a": [1]}), "热线指标": pd.DataFrame({"b": [2]})})
    assert reopen(data).sheetnames == ["学习活动", "热线指标"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("学习/活动:2025", "学习_活动_2025"), ("x" * 40, "x" * 31), ("'引号'", "引号")],
)
def test_sheet_names_are_made_valid(name, expected):
    assert sheet_title(name) == expected


def test_a_sheet_name_already_taken_gets_a_number():
    taken: set[str] = set()
    assert [sheet_title("错误说明", taken) for _ in range(3)] == ["错误说明", "错误说明(2)", "错误说明(3)"]


def test_cjk_characters_take_two_columns():
    assert display_width("市民政局") == 8
    assert display_width("A1") == 2


def test_put_returns_the_cell_for_styling():
    sheet = openpyxl.Workbook().active
    assert put(sheet["A1"], "-") is sheet["A1"]
    assert sheet["A1"].data_type == "s"
