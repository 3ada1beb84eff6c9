"""What goes back to a unit whose return was rejected (spec §4).

- ``error_list_xlsx``: every finding as a row (级别, 文件, 工作表, 行号, 列, 列名, 值, 说明);
- ``marked_file``: the unit's own workbook with each faulty cell filled and commented with
  the message, and a 「错误说明」 sheet in front listing every finding. An .xlsx or .xlsm is
  marked in place and always saved as an .xlsx without its macros (xl/vbaProject.bin), as the
  upload page promises: 「系统导出的文件不含宏」; an .xls, .ods or .csv is first copied, values
  only, into a new .xlsx whose rows and columns are where the findings say. A file refused
  unread (unsafe, damaged, encrypted) gets no marked copy: the desk offers its error list only.

The 「错误说明」 sheet's name contains 说明, so the reader skips it when the corrected file
comes back. Text the app writes goes through ``lingyi.workbooks.put`` (no formula injection).
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePath

import pandas as pd
import python_calamine
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import column_index_from_string
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from lingyi.errors import Finding, Level
from lingyi.intake.reading import csv_rows
from lingyi.values import decode_text
from lingyi.workbooks import XLSX_MIME, frames_to_xlsx, put, sheet_title, workbook_bytes, write_frame

FINDING_COLUMNS = ("级别", "文件", "工作表", "行号", "列", "列名", "值", "说明")
ERROR_SHEET = "错误说明"
FILLS = {
    Level.ERROR: PatternFill("solid", fgColor="FFC7CE"),  # Excel's own "bad" red
    Level.WARNING: PatternFill("solid", fgColor="FFEB9C"),  # and its "neutral" yellow
}
COMMENT_AUTHOR = "数据看板"
_LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.NOTICE: 2}


@dataclass(frozen=True)
class MarkedFile:
    name: str
    data: bytes
    mime: str
    marked_cells: int  # cells that carry a fill and a comment
    unplaced: int  # findings with no cell to mark (they are on the 错误说明 sheet)


def findings_frame(findings: list[Finding], levels: tuple[Level, ...] = (Level.ERROR, Level.WARNING)) -> pd.DataFrame:
    """One row per finding, errors first, in the order the file has them."""
    chosen = sorted((f for f in findings if f.level in levels), key=lambda f: _LEVEL_ORDER[f.level])
    frame = pd.DataFrame([f.as_row() for f in chosen], columns=list(FINDING_COLUMNS))
    frame["行号"] = frame["行号"].astype("Int64")
    return frame


def error_list_name(file_name: str) -> str:
    return f"{PurePath(file_name).stem}_错误清单.xlsx"


def error_list_xlsx(findings: list[Finding]) -> bytes:
    return frames_to_xlsx({"错误清单": findings_frame(findings)})


def marked_file(data: bytes, name: str, findings: list[Finding]) -> MarkedFile | None:
    """The file with its faulty cells marked; ``None`` when it cannot be opened at all (the error list says why)."""
    suffix = PurePath(name).suffix.lower()
    stem = PurePath(name).stem
    try:
        if suffix in (".xlsx", ".xlsm"):
            workbook = load_workbook(io.BytesIO(data))  # without keep_vba: the macros are left behind
            titles = {title: title for title in workbook.sheetnames}
        else:
            workbook, titles = _values_workbook(data, name)
    except (InvalidFileException, zipfile.BadZipFile, python_calamine.CalamineError, KeyError, ValueError, OSError):
        return None
    marked, unplaced = _mark(workbook, titles, findings)
    _add_error_sheet(workbook, findings)
    return MarkedFile(f"{stem}_错误标注.xlsx", workbook_bytes(workbook), XLSX_MIME, marked, unplaced)


def _mark(workbook: Workbook, titles: dict[str, str], findings: list[Finding]) -> tuple[int, int]:
    """Fill and comment each located cell; several findings on one cell share one comment."""
    by_cell: dict[tuple[str, int, str], list[Finding]] = defaultdict(list)
    unplaced = 0
    for finding in findings:
        if finding.level not in FILLS:
            continue
        title = titles.get(finding.sheet or "")
        if title is None or finding.row is None:
            unplaced += 1
            continue
        # A finding about a whole row (a duplicate, a header) is shown on the row's first cell.
        by_cell[(title, finding.row, finding.column or "A")].append(finding)
    for (title, row, letter), found in by_cell.items():
        cell = _anchor(workbook[title], row, column_index_from_string(letter))
        level = min((f.level for f in found), key=_LEVEL_ORDER.__getitem__)
        cell.fill = FILLS[level]
        text = "\n".join(f"{f.level.value}：{f.message}" for f in found)
        if cell.comment is not None:
            text += f"\n——原批注：{cell.comment.text}"
        lines = sum(1 + len(line) // 18 for line in text.splitlines())
        cell.comment = Comment(text, COMMENT_AUTHOR, width=280, height=min(400, 24 + 18 * lines))
    return len(by_cell), unplaced


def _anchor(sheet: Worksheet, row: int, column: int):
    """The cell itself, or the top-left cell of the merged range it lies in."""
    cell = sheet.cell(row, column)
    if isinstance(cell, MergedCell):
        for merged in sheet.merged_cells.ranges:
            if cell.coordinate in merged:
                return sheet.cell(merged.min_row, merged.min_col)
    return cell


def _add_error_sheet(workbook: Workbook, findings: list[Finding]) -> None:
    taken = set(workbook.sheetnames)
    sheet = workbook.create_sheet(sheet_title(ERROR_SHEET, taken), 0)
    put(
        sheet.cell(1, 1),
        "本文件未入库。请按下表逐条修改（标红的单元格为错误，标黄的为提示，批注中有说明），改好后重新上传。",
    )
    write_frame(sheet, findings_frame(findings), first_row=3)
    for row in sheet.iter_rows(min_row=4):
        level = row[0].value
        for cell in row:
            cell.fill = FILLS[Level.ERROR if level == Level.ERROR.value else Level.WARNING]
    workbook.active = 0
    for other in workbook.worksheets[1:]:
        other.sheet_view.tabSelected = False


def _values_workbook(data: bytes, name: str) -> tuple[Workbook, dict[str, str]]:
    """An .xls, .ods or .csv copied cell by cell (values only) into a new workbook, keeping rows and columns."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    titles: dict[str, str] = {}
    taken: set[str] = set()
    for sheet_name, rows, hidden in _sheets_of(data, name):
        sheet = workbook.create_sheet(sheet_title(sheet_name, taken))
        titles[sheet_name] = sheet.title
        for r, cells in enumerate(rows, start=1):
            for c, value in enumerate(cells, start=1):
                if value is None or value == "":
                    continue
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                put(sheet.cell(r, c), value)
        if hidden:
            sheet.sheet_state = "hidden"
    return workbook, titles


def _sheets_of(data: bytes, name: str) -> list[tuple[str, list[list], bool]]:
    """(sheet name as the reader names it, rows from A1, hidden) for each sheet."""
    if PurePath(name).suffix.lower() in (".csv", ".txt"):
        text = decode_text(data)
        if text is None:
            raise ValueError("unknown text encoding")
        return [(PurePath(name).stem, csv_rows(text), False)]
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for meta in workbook.sheets_metadata:
        if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet"):
            continue
        hidden = str(meta.visible) not in ("SheetVisibleEnum.Visible", "Visible")
        rows = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        sheets.append((meta.name, rows, hidden))
    return sheets


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("unknown text encoding")
