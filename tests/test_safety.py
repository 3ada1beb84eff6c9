"""lingyi/safety.py: text a spreadsheet would run is written as text."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from lingyi.safety import escape_formula, escape_frame, is_formula_like


@pytest.mark.parametrize(
    ("value", "formula_like"),
    [
        ("=1+1", True),
        ("+86 0539", True),
        ("-5", True),
        ("@SUM(A1)", True),
        ("\t=1", True),
        ("\r=1", True),
        ("临沂", False),
        ("", False),
        (5, False),
        (-5, False),
        (-0.5, False),
        (None, False),
    ],
)
def test_text_starting_like_a_formula_is_recognised_and_numbers_never_are(value, formula_like):
    assert is_formula_like(value) is formula_like


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","点我")', '\'=HYPERLINK("http://x","点我")'),
        ("+86 0539 8888888", "'+86 0539 8888888"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("临沂市民政局", "临沂市民政局"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("", ""),
        (-5, -5),
        (93.5, 93.5),
        (None, None),
    ],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe_and_the_rest_is_unchanged(value, written):
    assert escape_formula(value) == written


def test_escaped_frame_written_to_xlsx_holds_text_not_formulas():
    frame = pd.DataFrame({"=单位": ["=1+1", "民政局"], "人次": [-3, 4]})
    buffer = io.BytesIO()
    escape_frame(frame).to_excel(buffer, index=False)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells == [["'=单位", "人次"], ["'=1+1", -3], ["民政局", 4]]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_escape_frame_leaves_the_frame_it_was_given_alone():
    frame = pd.DataFrame({"名称": ["=1"]})
    escape_frame(frame)
    assert frame["名称"].tolist() == ["=1"]
