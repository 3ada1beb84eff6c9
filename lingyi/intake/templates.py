"""Blank return templates, written from the contract table (spec §2–3).

A template holds, in this order:

- 填报说明: the general rules and, for each of its sheet kinds, the column table of
  ``lingyi.intake.instructions`` and an example row. The example lives here, in a sheet the
  reader skips, so a template that is filled in never carries the example as data;
- 基本信息: 填报单位 (a drop-down of the registry), 报送期间, 填报人, 联系电话, 在职人数;
- one data sheet per sheet kind, named as the contract names it, with the header in row 1
  (required columns marked 「*」 and in red), frozen; under it, drop-downs for the unit and
  every choice column, checks for whole numbers, dates and rates, and their number formats;
- 字典 (hidden): the lists the drop-downs read.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lingyi.contract import INFO_SHEET, SHEET_KIND_BY_KEY, SHEET_KINDS, Column, SheetKind, ValueKind
from lingyi.intake.instructions import GENERAL_RULES, column_rows
from lingyi.registry import Registry
from lingyi.workbooks import HEADER_FILL, display_width, put, workbook_bytes

INSTRUCTIONS_SHEET = "填报说明"
DICTIONARY_SHEET = "字典"
REQUIRED_MARK = "*"
# Rows under the header that get drop-downs, checks and formats: more than a year of any return.
TEMPLATE_ROWS = 2000
COMBINED_NAME = "报表填报模板（四表合一）.xlsx"

NUMBER_FORMATS = {
    ValueKind.TEXT: "@",
    ValueKind.CHOICE: "@",
    ValueKind.PERIOD: "@",  # 「2025年1-10月」 stays text; Excel would turn 2025-10 into a date
    ValueKind.MONTH: "@",
    ValueKind.DATE: "yyyy-mm-dd",
    ValueKind.COUNT: "0",
    ValueKind.NUMBER: "General",
    ValueKind.RATE: "0.00%",  # typing 93.72 gives 93.72%, stored as 0.9372
}
# Excel's serial number of 2000-01-01: any activity or problem date is later.
_EARLIEST_DATE_SERIAL = "36526"

REQUIRED_FONT = Font(bold=True, color="C00000")
OPTIONAL_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)
EXAMPLE_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")

INFO_ROWS: tuple[tuple[str, str], ...] = (
    ("填报单位", "从下拉列表选择本单位；各表没有「单位名称」列时以此为准。"),
    ("报送期间", "如 2025年10月、2025年第三季度、2025年 或 2025年1-10月；不填则按数据所在月份。"),
    ("填报人", "填报人姓名。"),
    ("联系电话", "便于核对数据时联系。"),
    ("在职人数", "本单位在职干部职工人数（整数），用于计算人均参学。"),
)


def template_file_name(kind: SheetKind | None = None) -> str:
    return COMBINED_NAME if kind is None else f"{kind.name}_填报模板.xlsx"


def kind_template(kind_key: str, registry: Registry) -> bytes:
    """The template of one sheet kind."""
    return template_bytes([SHEET_KIND_BY_KEY[kind_key]], registry)


def combined_template(registry: Registry) -> bytes:
    """One workbook with a sheet for every sheet kind."""
    return template_bytes(SHEET_KINDS, registry)


def template_bytes(kinds: Sequence[SheetKind], registry: Registry) -> bytes:
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    info = workbook.create_sheet(INFO_SHEET)
    data_sheets = [workbook.create_sheet(kind.name) for kind in kinds]
    dictionary = _Dictionary(workbook.create_sheet(DICTIONARY_SHEET), registry)

    _write_instructions(instructions, kinds)
    _write_info(info, dictionary)
    for sheet, kind in zip(data_sheets, kinds):
        _write_data_sheet(sheet, kind, dictionary)
    dictionary.sheet.sheet_state = "hidden"
    workbook.active = workbook.sheetnames.index(data_sheets[0].title) if data_sheets else 0
    return workbook_bytes(workbook)


def header_text(column: Column) -> str:
    """The header as the template writes it: required columns carry 「*」, which the reader drops."""
    return f"{REQUIRED_MARK}{column.name}" if column.required else column.name


def example_row(kind: SheetKind) -> list[object]:
    return [column.example for column in kind.columns]


class _Dictionary:
    """The hidden sheet of lists: one column per list, written once however many columns use it."""

    def __init__(self, sheet: Worksheet, registry: Registry):
        self.sheet = sheet
        self.ranges: dict[str, str] = {}
        self.units = self.add("单位名称", [unit.name for unit in registry.units])

    def add(self, title: str, values: Sequence[str]) -> str:
        if title in self.ranges:
            return self.ranges[title]
        column = len(self.ranges) + 1
        letter = get_column_letter(column)
        put(self.sheet.cell(1, column), title)
        for row, value in enumerate(values, start=2):
            put(self.sheet.cell(row, column), value)
        last = max(len(values) + 1, 2)
        self.ranges[title] = f"{quote_sheetname(self.sheet.title)}!${letter}$2:${letter}${last}"
        return self.ranges[title]


def _write_instructions(sheet: Worksheet, kinds: Sequence[SheetKind]) -> None:
    put(sheet.cell(1, 1), "学习型机关建设数据报表 填报说明").font = TITLE_FONT
    lines = [
        "带「*」的列为必填；有下拉箭头的列请从列表中选择。请在各数据表第2行起逐行填写，不要改动表头。",
        "「基本信息」表填写一次即可；本表与隐藏的「字典」表不会作为数据读取。",
    ]
    row = 2
    for line in lines:
        put(sheet.cell(row, 1), line)
        row += 1
    row += 1
    put(sheet.cell(row, 1), "通用规则").font = SECTION_FONT
    row += 1
    for number, rule in enumerate(GENERAL_RULES, start=1):
        put(sheet.cell(row, 1), f"{number}. {rule}")
        row += 1
    for kind in kinds:
        row += 1
        put(sheet.cell(row, 1), f"{kind.name}（工作表「{kind.name}」）：{kind.grain}。").font = SECTION_FONT
        row += 1
        table = column_rows(kind)
        headers = list(table[0])
        for c, name in enumerate(headers, start=1):
            put(sheet.cell(row, c), name).font = OPTIONAL_FONT
            sheet.cell(row, c).fill = HEADER_FILL
        for entry in table:
            row += 1
            for c, name in enumerate(headers, start=1):
                put(sheet.cell(row, c), entry[name]).alignment = WRAP
        row += 2
        put(sheet.cell(row, 1), "填写示例（仅供参考，请在「" + kind.name + "」表中填写）：").font = OPTIONAL_FONT
        row += 1
        for c, column in enumerate(kind.columns, start=1):
            put(sheet.cell(row, c), header_text(column)).font = REQUIRED_FONT if column.required else OPTIONAL_FONT
            put(sheet.cell(row + 1, c), column.example).fill = EXAMPLE_FILL
        row += 2
    for letter, width in zip("ABCDE", (22, 8, 30, 8, 70)):
        sheet.column_dimensions[letter].width = width


def _write_info(sheet: Worksheet, dictionary: _Dictionary) -> None:
    put(sheet.cell(1, 1), "项目").font = OPTIONAL_FONT
    put(sheet.cell(1, 2), "填写内容").font = OPTIONAL_FONT
    for c in (1, 2):
        sheet.cell(1, c).fill = HEADER_FILL
    for row, (label, hint) in enumerate(INFO_ROWS, start=2):
        put(sheet.cell(row, 1), label)
        value = sheet.cell(row, 2)
        value.number_format = "0" if label == "在职人数" else "@"
        if label == "填报单位":
            check = _list_check(dictionary.units, strict=False, title=label, prompt=hint)
        elif label == "在职人数":
            check = _count_check(1, title=label, prompt=hint)
        else:
            check = DataValidation(showInputMessage=True, promptTitle=label, prompt=hint)
        sheet.add_data_validation(check)
        check.add(value.coordinate)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 44
    sheet.freeze_panes = "A2"


def _write_data_sheet(sheet: Worksheet, kind: SheetKind, dictionary: _Dictionary) -> None:
    last_row = TEMPLATE_ROWS + 1
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        cell = put(sheet.cell(1, index), header_text(column))
        cell.font = REQUIRED_FONT if column.required else OPTIONAL_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        note = f"{'必填。' if column.required else ''}{column.help}\n示例：{column.example}"
        cell.comment = Comment(note, "填报模板", width=260, height=110)
        # A column style: Excel and WPS give every cell typed into the column this format.
        sheet.column_dimensions[letter].number_format = NUMBER_FORMATS[column.kind]
        width = max(display_width(header_text(column)), display_width(str(column.example or ""))) + 4
        sheet.column_dimensions[letter].width = max(12, min(width, 40))
        check = _column_check(column, dictionary)
        if check is not None:
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{last_row}")
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 22


def _column_check(column: Column, dictionary: _Dictionary) -> DataValidation | None:
    prompt = column.help[:250]
    if column.key == "unit":
        return _list_check(dictionary.units, strict=False, title=column.name, prompt=prompt)
    if column.kind is ValueKind.CHOICE:
        source = dictionary.add(column.name, column.choices.values)
        # A list with a fallback (活动形式 → 其他) reads anything with a warning; the others accept only the list.
        return _list_check(source, strict=column.choices.fallback is None, title=column.name, prompt=prompt)
    if column.kind is ValueKind.COUNT:
        return _count_check(column.minimum or 0, title=column.name, prompt=prompt)
    if column.kind is ValueKind.DATE:
        return DataValidation(
            type="date",
            operator="greaterThanOrEqual",
            formula1=_EARLIEST_DATE_SERIAL,
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorTitle="日期格式不对",
            error="请填写日期，如 2025-03-15 或 2025/3/15。",
            promptTitle=column.name,
            prompt=prompt,
        )
    if column.kind is ValueKind.RATE:
        return DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="1",
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorTitle="比率不对",
            error="比率应在 0% 到 100% 之间，如 93.72%。",
            promptTitle=column.name,
            prompt=prompt,
        )
    return DataValidation(allow_blank=True, showInputMessage=True, promptTitle=column.name, prompt=prompt)


def _list_check(source: str, *, strict: bool, title: str, prompt: str) -> DataValidation:
    return DataValidation(
        type="list",
        formula1=source,  # OOXML stores the formula without its "=", as Excel writes it
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle=f"{title}不在列表中",
        error="请从下拉列表中选择。" if strict else "不在下拉列表中；如确认填写无误（如简称、别名），请点「是」保留。",
        promptTitle=title,
        prompt=prompt,
    )


def _count_check(minimum: int, *, title: str, prompt: str) -> DataValidation:
    return DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1=str(minimum),
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="应填整数",
        error=f"请填写不小于{minimum}的整数，不要带单位或小数。",
        promptTitle=title,
        prompt=prompt,
    )
