"""Cell grids and the writers that turn them into .xlsx, .xls, .ods and .csv files.

A sheet is first laid out as a plain grid of cells (``Grid``) and only then rendered, so one
layout can go to any format. Rendering is deterministic: the timestamps that openpyxl and
zipfile stamp into a package are pinned, so writing the same grids twice gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import odf.element
import openpyxl
import pandas as pd
import xlwt
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# When the sample returns were "saved": pinned so that re-running gives byte-identical files.
SAVED_AT = datetime(2025, 11, 3, 9, 0, 0)
ISO_DATE = "yyyy-mm-dd"
CHINESE_DATE = 'yyyy"年"m"月"d"日"'
CHINESE_MONTH = 'yyyy"年"m"月"'


@dataclass(frozen=True)
class ExcelDate:
    """A real spreadsheet date (a serial number with a display format), not text that looks like one."""

    value: date
    number_format: str = ISO_DATE


Cell = str | int | float | ExcelDate | None


@dataclass
class Grid:
    """One sheet as rows of cells; merges are zero-based (first_row, first_col, last_row, last_col)."""

    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    bold_rows: set[int] = field(default_factory=set)  # title and header rows, for looks only

    def add(self, cells: Sequence[Cell] = (), *, bold: bool = False) -> int:
        """Append a row and return its zero-based index."""
        self.rows.append(list(cells))
        if bold:
            self.bold_rows.add(len(self.rows) - 1)
        return len(self.rows) - 1

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        if (first_row, first_col) != (last_row, last_col):
            self.merges.append((first_row, first_col, last_row, last_col))

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


def save_xlsx(grids: Sequence[Grid], path: Path, *, author: str = "Administrator") -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for grid in grids:
        sheet = workbook.create_sheet(grid.name)
        for r, row in enumerate(grid.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(r, c, value.value if isinstance(value, ExcelDate) else value)
                if isinstance(value, ExcelDate):
                    cell.number_format = value.number_format
                if r - 1 in grid.bold_rows:
                    cell.font = Font(bold=True)
        for first_row, first_col, last_row, last_col in grid.merges:
            sheet.merge_cells(
                start_row=first_row + 1, start_column=first_col + 1, end_row=last_row + 1, end_column=last_col + 1
            )
            sheet.cell(first_row + 1, first_col + 1).alignment = Alignment(horizontal="center", vertical="center")
        for c in range(1, grid.width + 1):
            sheet.column_dimensions[get_column_letter(c)].width = _column_width(grid, c - 1)
    workbook.properties.creator = author
    workbook.properties.last_modified_by = author
    workbook.properties.created = SAVED_AT
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(pin_zip(buffer.getvalue()))


def save_xls(grids: Sequence[Grid], path: Path) -> None:
    """The old binary format that WPS and Excel 2003 still write; xlwt adds no timestamps."""
    workbook = xlwt.Workbook(encoding="utf-8")
    styles = {fmt: xlwt.easyxf(num_format_str=fmt) for fmt in (ISO_DATE, CHINESE_DATE, CHINESE_MONTH, "General")}
    bold = xlwt.easyxf("font: bold on; align: horiz center, vert center")
    for grid in grids:
        sheet = workbook.add_sheet(grid.name)
        covered = {(r, c) for fr, fc, lr, lc in grid.merges for r in range(fr, lr + 1) for c in range(fc, lc + 1)}
        for fr, fc, lr, lc in grid.merges:
            sheet.write_merge(fr, lr, fc, lc, _xls_value(grid.rows[fr][fc] if fc < len(grid.rows[fr]) else None), bold)
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if value is None or (r, c) in covered:
                    continue
                if isinstance(value, ExcelDate):
                    sheet.write(r, c, value.value, styles[value.number_format])
                else:
                    sheet.write(r, c, value, bold if r in grid.bold_rows else styles["General"])
        for c in range(grid.width):
            sheet.col(c).width = int(_column_width(grid, c) * 256)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())


def save_ods(grids: Sequence[Grid], path: Path) -> None:
    """OpenDocument through pandas (odfpy underneath); merges are dropped, the cells stay."""
    sheets = {grid.name: [[_plain(v) for v in row] for row in grid.rows] for grid in grids}
    path.write_bytes(ods_package(sheets))


def ods_package(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    """An OpenDocument spreadsheet of plain cell values, one sheet per entry, the same bytes for the same cells."""
    # odfpy collects the XML namespaces every document has used in one class-wide dict and
    # declares them all in the next document; start from none so each file is written alike.
    odf.element.Element.namespaces.clear()
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="odf") as writer:
        for name, rows in sheets.items():
            width = max((len(row) for row in rows), default=0)
            frame = pd.DataFrame([list(row) + [None] * (width - len(row)) for row in rows], dtype=object)
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    return pin_zip(buffer.getvalue())


def save_csv(grid: Grid, path: Path, *, encoding: str = "utf-8") -> None:
    """A CSV as Excel on Chinese Windows saves it: GBK by default there, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in grid.rows:
        writer.writerow(["" if v is None else _text(v) for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))


def _plain(value: Cell) -> object:
    return value.value if isinstance(value, ExcelDate) else value


def _text(value: Cell) -> str:
    if isinstance(value, ExcelDate):
        return value.value.isoformat()
    return str(value)


def _xls_value(value: Cell) -> object:
    return "" if value is None else _plain(value)


def _column_width(grid: Grid, column: int) -> float:
    """Wide enough for the longest unmerged text in the column (CJK characters count double)."""
    merged_tops = {(fr, fc) for fr, fc, lr, lc in grid.merges if lc > fc}
    longest = 4
    for r, row in enumerate(grid.rows):
        if column < len(row) and row[column] is not None and (r, column) not in merged_tops:
            text = _text(row[column])
            longest = max(longest, sum(2 if ord(ch) > 0x2E80 else 1 for ch in text))
    return min(60, longest + 2)


_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def pin_zip(data: bytes) -> bytes:
    """Rewrite a zip package with fixed entry times and fixed document timestamps.

    openpyxl sets docProps/core.xml's modified time to "now" on save, and zipfile stamps every
    entry with the local time; both would make each run's files differ.
    """
    stamp = SAVED_AT.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_TIMES.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            pinned = zipfile.ZipInfo(info.filename, date_time=SAVED_AT.timetuple()[:6])
            pinned.compress_type = info.compress_type  # an .ods mimetype entry must stay stored
            pinned.external_attr = info.external_attr
            target.writestr(pinned, content)
    return out.getvalue()
