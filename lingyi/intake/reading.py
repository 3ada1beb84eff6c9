"""Any return file → raw tables: the sheet kind known, the header found, totals and footers set aside (spec §2).

The file's bytes decide how it is read, not its name: a workbook is read with
python-calamine (each sheet once, as raw rows, the header found in memory), a text
file as CSV in UTF-8, UTF-8 with BOM or GBK/GB18030. Nothing here judges values;
that is ``validation``'s work.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from pathlib import PurePath

import python_calamine

from lingyi.contract import (
    FOOTER_LABELS,
    INFO_SHEET,
    SHEET_KINDS,
    TOTAL_LABELS,
    SheetKind,
    ValueKind,
)
from lingyi.errors import FileRejected, Finding, Level
from lingyi.intake.files import (
    ACCEPTED_SUFFIXES,
    MAX_LISTED_FORMULAS,
    TEXT_SUFFIXES,
    SheetScan,
    WorkbookZip,
    check_zip,
    format_of,
    max_file_bytes,
    max_rows,
    scan_xls,
    scan_zip,
)
from lingyi.intake.headers import (
    HEADER_SEARCH_ROWS,
    blank_cell,
    find_header,
    header_key,
    kind_from_name,
    nearest_kind,
    side_by_side,
    side_by_side_message,
)
from lingyi.intake.info import take_info_line, take_title_info, take_title_period
from lingyi.intake.raw import HeaderColumn, InfoCell, RawTable, ReadFile
from lingyi.registry import normalise
from lingyi.values import (
    COUNT_SUFFIXES,
    CellError,
    clean_text,
    column_letter,
    decode_text,
    mixed_encoding,
)

SKIPPED_SHEET_WORDS = ("说明", "字典", "目录", "填表须知", "示例")

_SPACES = re.compile(r"\s+")
_BRACKETED_UNIT = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]|%")


def read_file(data: bytes, file_name: str, *, opened: WorkbookZip | None = None) -> ReadFile:
    """Read one return; a file that cannot be read at all raises ``FileRejected``. ``opened``: its zip, where
    something looked into it before."""
    name = PurePath(file_name).name
    suffix = PurePath(file_name).suffix.lower()

    def reject(message: str) -> FileRejected:
        return FileRejected(Finding(Level.ERROR, name, message))

    if suffix not in ACCEPTED_SUFFIXES:
        raise reject(f"不支持 {suffix or '无扩展名'} 文件；请上传 .xlsx、.xlsm、.xls、.ods 或 .csv 文件。")
    if not data:
        raise reject("文件是空的（0 字节），请重新导出后上传。")
    if len(data) > max_file_bytes():
        raise reject(
            f"文件大小 {len(data) / 1024**2:.1f} MB，超过上限 {max_file_bytes() / 1024**2:.0f} MB；请拆分后上传。"
        )

    container = format_of(data)
    if container == "text":
        if suffix not in TEXT_SUFFIXES:
            looks = "网页（HTML）" if data.lstrip()[:1] == b"<" else "文本"
            raise reject(
                f"文件扩展名是 {suffix}，但内容不是 Excel 工作簿（看起来是{looks}文件）。"
                "请用 Excel 或 WPS 打开后「另存为」.xlsx 再上传。"
            )
        return _read_csv(data, name)
    if container == "binary":
        raise reject(f"文件内容不是 Excel 工作簿或 CSV 文本，无法读取。请确认文件是 {suffix} 格式且未损坏。")
    if container == "encrypted":
        raise reject("文件设置了打开密码（已加密），系统无法读取。请取消密码后重新保存再上传。")
    scans: dict[str, SheetScan] = {}
    notices: list[Finding] = []
    if container == "zip":
        opened = opened or WorkbookZip(data)
        archive = check_zip(data, reject, opened)
        scans = scan_zip(archive, reject, opened.whole)
        if any(m.rpartition("/")[2].lower() == "vbaproject.bin" for m in archive.namelist()):
            notices.append(
                Finding(
                    Level.NOTICE,
                    name,
                    "文件含有宏（VBA 代码）。系统只读取单元格中的数据，从不运行宏；系统导出的文件不含宏。",
                )
            )
    elif container == "ole":
        scans = scan_xls(data, reject)
    read = _read_workbook(data, name, reject, scans)
    read.findings[:0] = notices
    return read


# -- a cheap look at a workbook's XML before the reader allocates its sheets --------------------------------------


def _read_workbook(data: bytes, name: str, reject, scans: dict[str, SheetScan] | None = None) -> ReadFile:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise reject("文件设置了打开密码（已加密），系统无法读取。请取消密码后重新保存再上传。") from None
    except (python_calamine.CalamineError, ValueError, OSError) as exc:
        raise reject(
            f"文件已损坏或格式不正确，无法读取（{type(exc).__name__}）。请用 Excel 打开后重新保存再上传。"
        ) from None

    findings: list[Finding] = []
    info: dict[str, str] = {}
    info_cells: dict[str, InfoCell] = {}
    sheets: list[tuple[str, list[list], list]] = []
    for meta in workbook.sheets_metadata:
        sheet_name = meta.name
        if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet"):
            continue
        if str(meta.visible) not in ("SheetVisibleEnum.Visible", "Visible"):
            findings.append(Finding(Level.NOTICE, name, "隐藏的工作表，已跳过。", sheet=sheet_name))
            continue
        try:
            sheet = workbook.get_sheet_by_name(sheet_name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        except (python_calamine.CalamineError, ValueError, OSError) as exc:
            raise reject(f"工作表「{sheet_name}」无法读取（{type(exc).__name__}），文件可能已损坏。") from None
        _put_back_errors(rows, (scans or {}).get(sheet_name))
        if normalise(sheet_name) == INFO_SHEET or INFO_SHEET in normalise(sheet_name):
            for number, row in enumerate(rows, start=1):
                take_info_line(info, info_cells, sheet_name, number, row, keep=True)
            findings.append(Finding(Level.NOTICE, name, "已读取基本信息。", sheet=sheet_name))
            continue
        sheets.append((sheet_name, rows, merged))

    tables = []
    for sheet_name, rows, merged in sheets:
        if len(rows) > max_rows():
            raise reject(f"工作表「{sheet_name}」有 {len(rows):,} 行，超过系统上限 {max_rows():,} 行。请拆分后上传。")
        table = _table_from_rows(name, sheet_name, rows, merged, findings, name_hint=sheet_name)
        if table is not None:
            tables.append(table)
            findings.extend(_uncached_formulas(table, (scans or {}).get(sheet_name)))
    take_title_info(info, info_cells, tables)
    if not tables and not any(f.is_error for f in findings):
        findings += _no_data_findings(name, sheets)
    return ReadFile(name, tables, info, findings, info_cells)


def _put_back_errors(rows: list[list], scan: SheetScan | None) -> None:
    """python-calamine reads an error cell (#DIV/0! …) as an empty string: put the error back where it was."""
    for row, index, code in scan.errors if scan is not None else ():
        if row > len(rows):
            continue
        cells = rows[row - 1]
        if index >= len(cells):
            cells.extend([""] * (index + 1 - len(cells)))
        if blank_cell(cells[index]):
            cells[index] = CellError(code)


def _uncached_formulas(table: RawTable, scan: SheetScan | None) -> list[Finding]:
    """A formula cell saved without its result reads as empty: an error wherever the contract reads the cell."""
    if scan is None or not scan.uncached:
        return []
    data_rows = {number for number, _ in table.rows}
    headers = {column.index: column.header for column in table.columns.values()}
    hits = [(row, index, formula) for row, index, formula in scan.uncached if row in data_rows and index in headers]
    findings = [
        Finding(
            Level.ERROR,
            table.file,
            "单元格是公式，但文件中没有保存公式的计算结果，系统读到的是空值。"
            "请用 Excel 或 WPS 打开文件，确认数值显示正确后保存，再上传；或把公式改为数值。",
            sheet=table.sheet,
            row=row,
            column=column_letter(index),
            column_name=headers[index],
            value=formula,
        )
        for row, index, formula in hits[:MAX_LISTED_FORMULAS]
    ]
    if len(hits) > MAX_LISTED_FORMULAS:
        findings.append(
            Finding(
                Level.ERROR,
                table.file,
                f"另有 {len(hits) - MAX_LISTED_FORMULAS} 个公式单元格没有保存计算结果，处理方法同上。",
                sheet=table.sheet,
            )
        )
    return findings


def _no_data_findings(file: str, sheets: list[tuple[str, list[list], list]]) -> list[Finding]:
    """Why a file with no data sheet is refused: for each sheet with a header of some kind, the kind it comes
    nearest and what it lacks (spec §2); the bare message only where no sheet has anything like a header."""
    found = []
    for sheet, rows, merged in sheets:
        if any(word in normalise(sheet) for word in SKIPPED_SHEET_WORDS):
            continue
        nearest = nearest_kind(rows, merged)
        if nearest is not None:
            found.append(Finding(Level.ERROR, file, nearest.message(), sheet=sheet, row=nearest.row))
    return found or [Finding(Level.ERROR, file, _NO_DATA_MESSAGE)]


_NO_DATA_MESSAGE = (
    "文件中没有可识别的数据表。工作表名称应含「学习」「热线」「问题」或「指标」，"
    "或表头包含规定的列（如 单位名称、活动名称、日期、参与人次）。请使用系统提供的模板填报。"
)


def csv_rows(text: str) -> list[list[str]]:
    """A CSV text's rows, separated by commas, tabs (Excel's 「Unicode 文本」) or semicolons; ``csv.Error`` if unreadable."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _read_csv(data: bytes, name: str) -> ReadFile:
    text = decode_text(data)
    if text is None:
        mixed = mixed_encoding(data)
        if mixed is not None:
            raise FileRejected(Finding(Level.ERROR, name, mixed.message, row=mixed.line))
        raise FileRejected(Finding(Level.ERROR, name, "无法识别 CSV 文件的编码，请另存为「CSV UTF-8」后上传。"))
    if text.count("\n") > max_rows():
        raise FileRejected(
            Finding(
                Level.ERROR, name, f"文件有 {text.count(chr(10)):,} 行，超过系统上限 {max_rows():,} 行。请拆分后上传。"
            )
        )
    try:
        rows = csv_rows(text)
    except csv.Error as exc:
        raise FileRejected(
            Finding(
                Level.ERROR, name, f"CSV 文件无法解析（{exc}），请用 Excel 或 WPS 打开检查后另存为「CSV UTF-8」再上传。"
            )
        ) from None
    findings: list[Finding] = []
    sheet_name = PurePath(name).stem
    table = _table_from_rows(name, sheet_name, rows, [], findings, name_hint=sheet_name)
    tables = [table] if table else []
    info: dict[str, str] = {}
    info_cells: dict[str, InfoCell] = {}
    take_title_info(info, info_cells, tables)
    if not tables and not any(f.is_error for f in findings):
        findings += _no_data_findings(name, [(sheet_name, rows, [])])
    return ReadFile(name, tables, info, findings, info_cells)


def _filled_at_once(cell: object) -> bool:
    """A cell told filled by its type alone: a number, a date, a text that starts with no space."""
    kind = type(cell)
    if kind is str:
        return bool(cell) and not cell[0].isspace()
    return kind is not CellError and cell is not None


def _first_filled(cells: list, count: int = 2) -> list:
    """The first ``count`` cells of a row that are not blank; none for a blank row."""
    if count == 2 and len(cells) >= 2 and _filled_at_once(cells[0]) and _filled_at_once(cells[1]):
        return cells[:2]  # most data rows: their first cells are filled
    found = []
    for cell in cells:
        if not blank_cell(cell):
            found.append(cell)
            if len(found) == count:
                break
    return found


# Every total label ends in this character: a row whose first cells lack it is no total, without more work.
_TOTAL_MARK = "计"
assert all(label.endswith(_TOTAL_MARK) for label in TOTAL_LABELS)


def _total_label(firsts: list) -> str | None:
    """合计, 合  计, 合计（人次）, 全市合计, 各单位小计 … in a row's first two filled cells."""
    for cell in firsts:
        if not (isinstance(cell, str) and _TOTAL_MARK in cell):
            continue
        text = _SPACES.sub("", cell)
        for label in TOTAL_LABELS:
            if (text.startswith(label) or text.endswith(label)) and len(text) <= len(label) + 4:
                return label
    return None


_FOOTER_LABELS = tuple(normalise(label) for label in FOOTER_LABELS)
_FOOTER_FIRST_CHARACTERS = frozenset(label[0] for label in _FOOTER_LABELS)
_normal_character = functools.lru_cache(maxsize=65536)(normalise)  # one character: a ledger's rows repeat few


def _is_footer(first: object) -> bool:
    """A row whose first filled cell is 「填表人：张三」, 「填表人 张三」, 「单位负责人」 alone; not an activity named
    「负责人培训会」."""
    spaced = str(first).strip()
    if not spaced or _normal_character(spaced[0]) not in _FOOTER_FIRST_CHARACTERS:
        return False  # most rows: no footer label can start here
    first = normalise(spaced)
    for label in _FOOTER_LABELS:
        if first.startswith(label):
            rest = first[len(label) :]
            if not rest or label.endswith(":") or rest[0] in ":(" or spaced[len(label) : len(label) + 1].isspace():
                return True
    return False


def _is_units_row(cells: list) -> bool:
    """A row of 「（人次）」「件」「%」 only: the units of the columns above it, part of the header."""
    filled = [normalise(c) for c in cells if not blank_cell(c)]
    return bool(filled) and all(_BRACKETED_UNIT.fullmatch(c) or c in COUNT_SUFFIXES for c in filled)


_STEM_NUMBERS = "甲乙丙丁戊己庚辛壬癸"


def _is_column_numbers_row(cells: list) -> bool:
    """「栏次 1 2 3 …」, 「甲 乙 丙 1 2 3 …」 or 「1 2 3 …」 exactly: the numbers of the columns, part of the header.
    A data row names a unit or an activity and holds real values; it is never exactly this sequence."""
    filled = [normalise(clean_text(c)) for c in cells if not blank_cell(c)]
    if filled[:1] == ["栏次"]:
        filled = filled[1:]
    stems = 0
    while stems < len(filled) and stems < len(_STEM_NUMBERS) and filled[stems] == _STEM_NUMBERS[stems]:
        stems += 1
    numbers = filled[stems:]
    return len(filled) >= 2 and all(text == str(n) for n, text in enumerate(numbers, start=1))


def _table_from_rows(
    file: str, sheet: str, rows: list[list], merged: list, findings: list[Finding], *, name_hint: str
) -> RawTable | None:
    if not any(not blank_cell(c) for row in rows for c in row):
        findings.append(Finding(Level.NOTICE, file, "空工作表，已跳过。", sheet=sheet))
        return None
    kind_by_name = kind_from_name(name_hint)
    if kind_by_name is None and any(word in normalise(name_hint) for word in SKIPPED_SHEET_WORDS):
        findings.append(Finding(Level.NOTICE, file, "不是数据表（说明、字典等），已跳过。", sheet=sheet))
        return None
    header = find_header(rows, merged, (kind_by_name,) if kind_by_name else SHEET_KINDS)
    if header is None and kind_by_name is not None:
        # 「学习型机关建设问题清单.csv」: the name says 学习, the columns say 问题清单 in full; the columns decide.
        by_columns = find_header(rows, merged, SHEET_KINDS)
        if by_columns is not None and not _missing_required(by_columns[0], by_columns[3]):
            message = (
                f"名称像「{kind_by_name.name}」，但表头是「{by_columns[0].name}」的，按「{by_columns[0].name}」读取。"
            )
            findings.append(Finding(Level.NOTICE, file, message, sheet=sheet))
            header, kind_by_name = by_columns, None
    if header is None or (kind_by_name is None and header[3] and _missing_required(header[0], header[3])):
        if kind_by_name is not None and any(word in normalise(name_hint) for word in SKIPPED_SHEET_WORDS):
            # 「学习活动填报说明」: named for a kind, but a page of instructions, not a table.
            findings.append(Finding(Level.NOTICE, file, "不是数据表（说明、字典等），已跳过。", sheet=sheet))
        elif kind_by_name is not None:
            names = "、".join(c.name for c in kind_by_name.required)
            findings.append(
                Finding(
                    Level.ERROR,
                    file,
                    f"按工作表名称应为「{kind_by_name.name}」，但在前{HEADER_SEARCH_ROWS}行中找不到表头。"
                    f"表头应包含：{names}。",
                    sheet=sheet,
                )
            )
        else:
            findings.append(
                Finding(Level.NOTICE, file, "未识别为任何报表（学习、热线、问题、指标），已跳过。", sheet=sheet)
            )
        return None
    kind, top, bottom, columns = header
    if side_by_side(kind, [header_key(c) for c in rows[bottom]]):
        findings.append(Finding(Level.ERROR, file, side_by_side_message(kind), sheet=sheet, row=bottom + 1))
        return None
    if bottom + 1 < len(rows) and _is_units_row(rows[bottom + 1]):
        bottom += 1  # 「（人次）」「（%）」 under the header: the units of its columns, part of the header
    if bottom + 1 < len(rows) and _is_column_numbers_row(rows[bottom + 1]):
        bottom += 1  # 「栏次 甲 乙 1 2 3 …」 under the header: the numbers of its columns, part of the header

    info: dict[str, str] = {}
    info_cells: dict[str, InfoCell] = {}
    for index, row in enumerate(rows[:top]):
        take_info_line(info, info_cells, sheet, index + 1, row)
    take_title_period(info, info_cells, file, sheet, rows[:top])

    table_rows: list[tuple[int, list]] = []
    totals: list[tuple[int, str, list]] = []
    repeats_header = _header_repeats(kind, columns)
    footers: dict[str, bool] = {}  # the first cells repeat (unit names): each judged once
    for index in range(bottom + 1, len(rows)):
        cells = rows[index]
        if len(cells) >= 2 and _plainly_data(cells[0], cells[1]):
            # Most rows of a ledger: a first cell of text and a second filled, neither a total; _first_filled,
            # _total_label and _is_footer would say so one call each.
            footer = footers.get(cells[0])
            if footer is None:
                footer = footers[cells[0]] = _is_footer(cells[0])
            if not footer:
                if not repeats_header(cells):
                    table_rows.append((index + 1, cells))
                continue
        firsts = _first_filled(cells)
        if not firsts:
            continue
        label = _total_label(firsts)
        if label:
            totals.append((index + 1, label, cells))
            continue
        if _is_footer(firsts[0]):
            take_info_line(info, info_cells, sheet, index + 1, cells, keep=True)
            continue
        if repeats_header(cells):
            continue  # tables pasted one under another, each with its header
        table_rows.append((index + 1, cells))
    table = RawTable(file, sheet, kind, bottom + 1, columns, table_rows, totals, info, info_cells)
    _fill_merged_down(table, merged)
    return table


def _plainly_data(first: object, second: object) -> bool:
    """A row's first two cells filled (as ``_filled_at_once`` tells them), the first text, neither a total label."""
    if type(first) is not str or not first or first[0].isspace() or _TOTAL_MARK in first:
        return False
    if type(second) is str:
        return bool(second) and not second[0].isspace() and _TOTAL_MARK not in second
    return second is not None and type(second) is not CellError


def _header_repeats(kind: SheetKind, columns: dict[str, HeaderColumn]):
    """Whether a row is the header again, below the first (tables pasted one under another): its first column named
    as the header names it, and at least half of all. A data row is told at its first cell, which is what a ledger
    has most of; the columns are put in order once per table, not once per row."""
    names = _NAMES[kind.key]
    needed = max(2, (len(columns) + 1) // 2)
    ordered = [(found.index, names[key]) for key, found in sorted(columns.items(), key=lambda item: item[1].index)]

    first_index, first_names = ordered[0]
    named_first: dict[object, bool] = {}  # the first column's values repeat (unit names): each is judged once

    def repeats(cells: list) -> bool:
        cell = cells[first_index] if first_index < len(cells) else None
        first = named_first.get(cell)
        if first is None:
            first = named_first[cell] = _names_column(cell, first_names)
        if not first:
            return False
        same = 1
        for index, column_names in ordered[1:]:
            if _names_column(cells[index] if index < len(cells) else None, column_names):
                same += 1
        return same >= needed

    return repeats


# Each sheet kind's column names and aliases, normalised, by column key.
_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    kind.key: {column.key: tuple(normalise(n) for n in column.names) for column in kind.columns} for kind in SHEET_KINDS
}
_AFTER_A_NAME = tuple("([【%*:")


@functools.cache
def _first_characters(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(
        name[:1] for name in names if name
    )  # what may follow a column's name in its header cell, normalised: a unit, marks


def _names_column(cell: object, names: tuple[str, ...]) -> bool:
    """A cell that is one of ``names`` as a header writes it (「参与人次（人次）」, 「*单位名称」).

    Checked without ``header_key`` where it cannot be: a ledger has 200,000 rows of text.
    """
    if type(cell) is not str:
        return False
    first = cell.lstrip(" \u3000*＊")[:1]
    if "\uff00" <= first <= "\uffef":  # a full-width letter or digit, as its name has it
        first = normalise(first)
    if not first or first not in _first_characters(names):
        return False  # the names of units, descriptions, dates … at once
    text = normalise(cell).lstrip("*")
    for name in names:
        if text.startswith(name) and (len(text) == len(name) or text[len(name)] in _AFTER_A_NAME):
            return header_key(cell) in names
    return False


def _missing_required(kind: SheetKind, columns: dict[str, HeaderColumn]) -> bool:
    # Recognised by its columns alone, a sheet needs every required column but 单位名称 (the file may name it).
    return any(c.key not in columns for c in kind.required if c.key != "unit")


# A cell merged down over several rows (a month, a date, a unit) says the same of each; a merged number does not:
# it may be the total of the rows it spans, and copying it down would count it again.
_UNMERGED_KINDS = frozenset({ValueKind.COUNT, ValueKind.NUMBER, ValueKind.RATE})


def _fill_merged_down(table: RawTable, merged: list) -> None:
    """A 单位名称, 月份, 日期 … cell merged down over several rows names the value of each of them."""
    indexes = {
        found.index for key, found in table.columns.items() if table.kind.column(key).kind not in _UNMERGED_KINDS
    }
    if not indexes or not merged:
        return
    by_row = {row_number - 1: cells for row_number, cells in table.rows}
    for (r1, c1), (r2, c2) in merged:
        if r2 <= r1:
            continue
        top = by_row.get(r1)
        if top is None:
            continue
        for index in indexes:
            if not (c1 <= index <= c2) or index >= len(top):
                continue
            for r in range(r1 + 1, r2 + 1):
                cells = by_row.get(r)
                if cells is not None and index < len(cells) and blank_cell(cells[index]):
                    cells[index] = top[index]
