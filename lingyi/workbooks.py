"""Every workbook and CSV the app hands out: frames to .xlsx, every text cell made safe. The one writer.

A cell that starts with = + - @ (or a tab or carriage return) is taken by Excel, WPS and LibreOffice as a
formula when the .csv or .xlsx is opened: 「=HYPERLINK(…)」 in an activity name would become a live link in an
analyst's export (CSV/formula injection). ``FORMULA_STARTS`` is the one list of what counts as such a start;
numbers are left alone. In a workbook ``put`` stores such text as a plain string with Excel's own quote prefix,
so it shows exactly as written and never evaluates; a .csv is written from ``escape_frame``, whose text starts
with an apostrophe, which Excel shows as plain text. The helpers here are the only way the app puts text into a
workbook: tables shown on the pages, error lists, 催报 lists, the history and the audit log, the templates and
the marked copies of rejected files.

Text shown on the pages (unit names, Finding messages) is plain text: render it with
``st.dataframe``/``st.text``/``st.write`` of strings, never markdown with ``unsafe_allow_html``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    """Text that a spreadsheet would take as a formula; a number (a negative one too) is not."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def escape_formula(value: object) -> object:
    """``value`` made safe for a spreadsheet cell: text that a spreadsheet would run gets a leading apostrophe."""
    if is_formula_like(value):
        return "'" + value
    return value


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with ``escape_formula`` applied to every text cell and to the column names."""
    escaped = frame.copy()
    for name in escaped.columns:
        column = escaped[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            escaped[name] = column.map(escape_formula).astype(object)
    escaped.columns = [escape_formula(c) for c in escaped.columns]
    return escaped


HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(bold=True)
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COLUMN_WIDTH = 60
# Characters Excel forbids in sheet names.
_BAD_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")


def put(cell: Cell, value: object) -> Cell:
    """Write a value into a cell; text that looks like a formula stays text.

    Control characters a workbook cannot hold (\\x00–\\x1f but tab, newline and carriage return) are left out of
    text: a unit's cell holding one must not stop its error list or marked copy being written.
    """
    value = plain(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT if value.time() != dt.time() else DATE_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def plain(value: object) -> object:
    """A frame's value as openpyxl takes it: missing → None, numpy and pandas scalars → Python ones."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return plain(value.item())
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(v) for v in value)
    return value


def sheet_title(name: str, taken: set[str] | None = None) -> str:
    """A valid, unused Excel sheet name (≤ 31 characters, no []:*?/\\)."""
    title = _BAD_SHEET_CHARACTERS.sub("_", str(name)).strip("'") or "Sheet"
    title = title[:31]
    taken = taken if taken is not None else set()
    candidate, number = title, 2
    while candidate in taken:
        suffix = f"({number})"
        candidate = title[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


def write_frame(
    sheet: Worksheet, frame: pd.DataFrame, *, first_row: int = 1, formats: dict[str, str] | None = None
) -> None:
    """A frame as a table: a bold, frozen header row, then the rows; columns sized to their contents.

    ``formats`` gives a column's number format by its name, such as ``{"满意率": "0.00%"}``.
    """
    formats = formats or {}
    for c, name in enumerate(frame.columns, start=1):
        cell = put(sheet.cell(first_row, c), str(name))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    column_formats = [formats.get(str(name)) for name in frame.columns]
    for r, record in enumerate(frame.itertuples(index=False), start=first_row + 1):
        for c, (value, number_format) in enumerate(zip(record, column_formats), start=1):
            cell = put(sheet.cell(r, c), value)
            if number_format and cell.value is not None:
                cell.number_format = number_format
    sheet.freeze_panes = sheet.cell(first_row + 1, 1)
    for c, name in enumerate(frame.columns, start=1):
        values = [str(name), *(str(v) for v in frame.iloc[:200, c - 1] if plain(v) is not None)]
        sheet.column_dimensions[get_column_letter(c)].width = min(
            MAX_COLUMN_WIDTH, max(8, *(display_width(v) + 2 for v in values))
        )


def display_width(text: str) -> int:
    """Columns a text takes in Excel: a CJK character takes two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def frames_to_xlsx(sheets: dict[str, pd.DataFrame], *, formats: dict[str, str] | None = None) -> bytes:
    """One sheet per frame, in order; an empty frame still gives its header row."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for name, frame in sheets.items():
        write_frame(workbook.create_sheet(sheet_title(name, taken)), frame, formats=formats)
    if not workbook.sheetnames:
        workbook.create_sheet("Sheet1")
    return workbook_bytes(workbook)


def workbook_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
