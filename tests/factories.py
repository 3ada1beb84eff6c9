"""Small seeded factories that write real return files: .xlsx, .xls, .ods and .csv.

A sheet is a list of rows (lists of cells); a workbook is ``{sheet name: rows}``. The row
builders (``learning_rows``, ``hotline_rows`` …) give a header and data rows drawn from
``random.Random(42)``; ``titled`` wraps them in what offices put around a table (a title, a
「填报单位：… 报送期间：…」 line, a 合计 row, a 「填表人：××」 footer). Merges are Excel ranges
such as ``"A1:J1"``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import re
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path

import openpyxl
import xlrd
import xlwt

from lingyi.contract import TICKET_COLUMNS
from lingyi.store import DATABASE_URL_VARIABLE
from lingyi.values import EXCEL_ERRORS
from sample_data.grids import ods_package, pin_zip

Rows = list[list[object]]
Sheets = dict[str, Rows]

# The store tests run on: PostgreSQL when LINGYI_DATABASE_URL points there (tests/conftest.py's store fixture).
ON_POSTGRES = os.environ.get(DATABASE_URL_VARIABLE, "").startswith("postgresql")

SEED = 42
UNIT = "临沂市民政局"
OTHER_UNIT = "临沂市财政局"

LEARNING_HEADER = [
    "序号",
    "单位名称",
    "活动名称",
    "活动形式",
    "学习主题",
    "日期",
    "期数",
    "节数",
    "参与人次",
    "授课人数",
]
HOTLINE_HEADER = ["单位名称", "月份", "诉求量", "一次性办好率", "问题解决率", "群众满意率"]
PROBLEM_HEADER = ["单位名称", "问题编号", "问题描述", "问题类别", "发现日期", "整改状态", "化解日期", "溯源环节"]
INDICATOR_HEADER = ["单位名称", "指标类型", "指标名称", "计量单位", "目标值", "完成值", "指标方向", "统计期间"]

FOOTER = "填表人：张三  审核人：李四  联系电话：0539-8888888"
_FORMS = ("讲堂", "专题培训", "集中学习", "以进促学", "导师帮带", "研讨交流", "业务比武")
_THEMES = ("党的创新理论", "政策专业知识", "发展前沿知识")
_TOPICS = ("理论学习中心组学习", "业务大讲堂", "青年干部读书会", "政策解读会", "案例研讨", "岗位练兵")


# -- rows ------------------------------------------------------------------------------------------------------


def learning_rows(
    n: int = 3, *, unit: str = UNIT, month: int = 202510, seed: int = SEED, header: Sequence[str] = LEARNING_HEADER
) -> Rows:
    """A header and ``n`` activities of ``unit`` dated in ``month`` (yyyymm), dates as ISO text."""
    rng = random.Random(seed)
    rows: Rows = [list(header)]
    for i in range(1, n + 1):
        sessions = rng.randint(1, 3)
        rows.append(
            [
                i,
                unit,
                f"{rng.choice(_TOPICS)}（第{i}期）",
                rng.choice(_FORMS),
                rng.choice(_THEMES),
                f"{month // 100}-{month % 100:02d}-{rng.randint(1, 28):02d}",
                sessions,
                sessions + rng.randint(0, 2),
                rng.randint(20, 300),
                rng.randint(0, 3),
            ]
        )
    return rows


def hotline_rows(
    months: Iterable[int] = (202510,),
    *,
    units: Sequence[str] = (UNIT,),
    seed: int = SEED,
    prior: bool = False,
) -> Rows:
    """A header and one row per unit and month; rates as 「93.72%」 text; ``prior`` adds the 上年同期 columns."""
    rng = random.Random(seed)
    header = list(HOTLINE_HEADER)
    if prior:
        header += ["上年同期诉求量", "上年同期一次性办好率", "上年同期问题解决率", "上年同期群众满意率"]
    rows: Rows = [header]
    for unit in units:
        for month in months:
            row = [unit, f"{month // 100}-{month % 100:02d}", rng.randint(50, 400)]
            row += [f"{rng.uniform(85, 99.5):.2f}%" for _ in range(3)]
            if prior:
                row += [rng.randint(50, 400)] + [f"{rng.uniform(80, 99):.2f}%" for _ in range(3)]
            rows.append(row)
    return rows


TICKET_HEADER = [column.name for column in TICKET_COLUMNS]  # the contract's own header words, in order
_TICKET_TYPES = ("投诉", "求助", "咨询", "建议")


def ticket_rows(
    n: int = 40,
    *,
    units: Sequence[str] = (UNIT, OTHER_UNIT),
    months: Sequence[int] = (202509, 202510),
    seed: int = SEED,
    header: Sequence[str] = TICKET_HEADER,
) -> Rows:
    """A 12345 ticket export: a header and ``n`` tickets spread over ``units`` and ``months``, with every kind of
    answer (blank, 未评价, 重复件) among them; 受理时间 as 「2025-10-03 09:15:00」 text."""
    rng = random.Random(seed)
    rows: Rows = [list(header)]
    for i in range(1, n + 1):
        month = rng.choice(months)
        accepted = dt.datetime(month // 100, month % 100, rng.randint(1, 28), rng.randint(8, 17), rng.randint(0, 59))
        rows.append(
            [
                f"LY{month}{i:05d}",
                accepted.strftime("%Y-%m-%d %H:%M:%S"),
                (accepted + dt.timedelta(days=rng.randint(1, 5))).strftime("%Y-%m-%d %H:%M:%S"),
                rng.choice(units),
                rng.choice(_TICKET_TYPES),
                rng.choice(("是", "是", "是", "否", "")),
                rng.choice(("是", "是", "是", "否", "")),
                rng.choice(("满意", "满意", "基本满意", "不满意", "未评价", "")),
                rng.choice(("否", "否", "否", "是", "")),
                "",
            ]
        )
    return rows


# Hand-made tickets of 临沂市民政局; their figures worked out by hand from contract.TICKET_RULES:
# 2025年10月: T1…T6 count (T2 twice: its last row counts; T7 is 无效来电), T5 a 重复件, T6 blank answers.
#   诉求量 6; 一次性办好率 = (T1, T2', T4) ÷ (T1, T2', T3, T4, T5 as 否) = 3/5 = 60%;
#   问题解决率 = (T1, T2', T4) ÷ (T1, T2', T3, T4) = 75%; 群众满意率 = (T2', T3, T6) ÷ (T1, T2', T3, T6) = 75%.
# 2025年9月: T9, and T10 of a sub-office (市民政局社会救助科): 诉求量 2; 50%; 100%; 100%.
HAND_TICKETS = [
    TICKET_HEADER,
    ["T1", "2025-10-02 09:00:00", "", "临沂市民政局", "投诉", "是", "是", "不满意", "否", ""],
    ["T2", "2025-10-03 10:00:00", "", "市民政局", "求助", "否", "否", "不满意", "否", ""],
    ["T3", "2025-10-04 11:00:00", "", "民政局", "求助", "否", "否", "基本满意", "否", ""],
    ["T4", "2025/10/5 8:30", "", "临沂市民政局", "咨询", "是", "是", "未评价", "否", ""],
    ["T5", "2025年10月6日", "", "临沂市民政局", "投诉", "是", "是", "满意", "是", ""],
    ["T6", "2025-10-07 12:00:00", "", "临沂市民政局", "投诉", "", "", "满意", "", ""],
    ["T7", "2025-10-08 12:00:00", "", "临沂市民政局", "无效来电", "否", "否", "不满意", "否", ""],
    ["T2", "2025-10-03 10:00:00", "", "市民政局", "求助", "是", "是", "满意", "否", ""],
    ["T9", "2025-09-10 09:00:00", "", "临沂市民政局", "建议", "是", "是", "满意", "否", ""],
    ["T10", "2025-09-11 09:00:00", "", "市民政局社会救助科", "投诉", "否", "是", "基本满意", "否", ""],
]
# The same figures as a unit would type them into its 热线 return.
HAND_RETURN = [
    HOTLINE_HEADER,
    [UNIT, "2025-09", 2, "50.00%", "100.00%", "100.00%"],
    [UNIT, "2025-10", 6, "60.00%", "75.00%", "75.00%"],
]


def problem_rows(n: int = 3, *, unit: str = UNIT, year: int = 2025, seed: int = SEED) -> Rows:
    """A header and ``n`` problems of ``unit``: resolved ones with a 化解日期 after the 发现日期, others without."""
    rng = random.Random(seed)
    rows: Rows = [list(PROBLEM_HEADER)]
    statuses = ("待化解", "化解中", "已化解")
    for i in range(1, n + 1):
        found = dt.date(year, rng.randint(1, 6), rng.randint(1, 28))
        status = statuses[i % 3]
        resolved = (found + dt.timedelta(days=rng.randint(5, 60))).isoformat() if status == "已化解" else None
        rows.append(
            [
                unit,
                f"P-{i:03d}",
                f"问题{i}：{rng.choice(('办事指南更新不及时', '学习记录不完整', '窗口服务不规范'))}",
                rng.choice(("业务工作", "作风纪律", "服务群众")),
                found.isoformat(),
                status,
                resolved,
                rng.choice(("点题", "破题", "解题", "验题")),
            ]
        )
    return rows


def indicator_rows(*, unit: str = UNIT, period: str | None = "2025年1-10月") -> Rows:
    return [
        list(INDICATOR_HEADER),
        [unit, "共性指标", "理论学习中心组学习次数", "次", 12, 10, "越高越好", period],
        [unit, "个性指标", "群众投诉件数", "件", 20, 15, "越低越好", period],
    ]


def indicator_periods(*, unit: str = UNIT) -> Rows:
    """One indicator of ``unit`` for 「2025年」, 「2025年1-10月」 and 「2025年9月」, and one more for September only.

    Through September or October the year's figure counts (it ends latest), shown as reported so far:
    学习次数 13 of 12 (108.33%, met), 投诉件数 target 5 actual 4 越低越好 (125%, met).
    """
    return [
        list(INDICATOR_HEADER),
        [unit, "共性指标", "学习次数", "次", 12, 13, "越高越好", "2025年"],
        [unit, "共性指标", "学习次数", "次", 10, 9, "越高越好", "2025年1-10月"],
        [unit, "共性指标", "学习次数", "次", 1, 1, "越高越好", "2025年9月"],
        [unit, "个性指标", "投诉件数", "件", 5, 4, "越低越好", "2025年9月"],
    ]


def titled(
    rows: Rows,
    *,
    title: str | None = "学习活动情况统计表",
    unit: str | None = None,
    period: str | None = None,
    blank: bool = True,
    total: Sequence[str | int] = (),
    header_rows: int = 1,
    footer: str | None = FOOTER,
) -> Rows:
    """``rows`` with what offices put around a table: title, 填报单位/报送期间 line, 合计 row, footer.

    ``total`` names the columns (header names of the last header row, or indices) to add up in a 合计
    row under the data.
    """
    out: Rows = []
    if title:
        out.append([title])
    info = "    ".join(part for part in (unit and f"填报单位：{unit}", period and f"报送期间：{period}") if part)
    if info:
        out.append([info])
    if blank and out:
        out.append([])
    out += [list(r) for r in rows]
    if total:
        out.append(total_row(rows, total, header_rows=header_rows))
    if footer:
        out.append([footer])
    return out


def total_row(rows: Rows, columns: Sequence[str | int], *, label: str = "合计", header_rows: int = 1) -> list[object]:
    """A 合计 row: ``label`` in the first cell, the sums of ``columns`` below their headers."""
    header = rows[header_rows - 1]
    total: list[object] = [None] * len(header)
    total[0] = label
    for name in columns:
        index = name if isinstance(name, int) else header.index(name)
        total[index] = sum(int(r[index] or 0) for r in rows[header_rows:])
    return total


def column(rows: Rows, name: str, values: Sequence[object]) -> Rows:
    """``rows`` with the data cells of column ``name`` replaced by ``values`` (in order)."""
    index = rows[0].index(name)
    out = [list(rows[0])]
    for row, value in zip(rows[1:], values, strict=True):
        row = list(row)
        row[index] = value
        out.append(row)
    return out


def rename(rows: Rows, **names: str) -> Rows:
    """``rows`` with header cells renamed: ``rename(rows, 参与人次="参学人次")``."""
    return [[names.get(str(c), c) for c in rows[0]], *[list(r) for r in rows[1:]]]


def drop(rows: Rows, *names: str) -> Rows:
    keep = [i for i, c in enumerate(rows[0]) if c not in names]
    return [[r[i] if i < len(r) else None for i in keep] for r in rows]


def header_merges(upper: Sequence[object], lower: Sequence[object], *, top: int = 1) -> list[str]:
    """The merges of a two-row header whose upper row starts on Excel row ``top``.

    An upper cell with an empty cell below is merged down over both rows; an upper cell followed by
    empty upper cells that have sub-headers below (上年同期 over 诉求量, 一次性办好率 …) is merged across.
    """
    merges = []
    i = 0
    while i < len(upper):
        if upper[i] is None:
            i += 1
            continue
        if lower[i] is None:
            merges.append(f"{_letter(i)}{top}:{_letter(i)}{top + 1}")
            i += 1
            continue
        last = i
        while last + 1 < len(upper) and upper[last + 1] is None and lower[last + 1] is not None:
            last += 1
        if last > i:
            merges.append(f"{_letter(i)}{top}:{_letter(last)}{top}")
        i = last + 1
    return merges


def _letter(index: int) -> str:
    return openpyxl.utils.get_column_letter(index + 1)


HOTLINE_UPPER = ["单位名称", "月份", "本期", None, None, None, "上年同期", None, None, None]
HOTLINE_LOWER = [None, None, *(["诉求量", "一次性办好率", "问题解决率", "群众满意率"] * 2)]


def shift_merges(merges: Iterable[str], rows: int) -> list[str]:
    """Excel ranges moved down by ``rows`` (for a table placed under title lines)."""

    def move(ref: str) -> str:
        letters, number = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
        return f"{letters}{int(number) + rows}"

    return [":".join(move(ref) for ref in merge.split(":")) for merge in merges]


# -- files -----------------------------------------------------------------------------------------------------


def write_xlsx(
    path: Path,
    sheets: Sheets,
    *,
    merges: dict[str, list[str]] | None = None,
    hidden: Sequence[str] = (),
) -> Path:
    """An .xlsx (via openpyxl) with one worksheet per entry; date/datetime cells become real Excel dates."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(r, c, value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        for merge in (merges or {}).get(name, []):
            sheet.merge_cells(merge)
        if name in hidden:
            sheet.sheet_state = "hidden"
    if not sheets:
        workbook.create_sheet("Sheet1")
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    # Pinned timestamps: the same sheets give the same bytes, whichever second the file is written in.
    path.write_bytes(pin_zip(buffer.getvalue()))
    return path


# xlwt knows some error texts by wrong codes (#VALUE! as #NUM!) and #N/A not at all: BIFF's codes, as xlrd reads them.
XLS_ERROR_CODES = {text: code for code, text in xlrd.error_text_from_code.items()}


def write_xls(path: Path, sheets: Sheets, *, merges: dict[str, list[str]] | None = None) -> Path:
    """An old-Excel .xls (BIFF8, via xlwt); date cells get a date format so readers see dates, and 「#DIV/0!」 …
    are error cells."""
    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in sheets.items():
        sheet = workbook.add_sheet(name)
        merged_tops = {}
        for merge in (merges or {}).get(name, []):
            (r1, c1), (r2, c2) = (_cell_index(ref) for ref in merge.split(":"))
            merged_tops[(r1, c1)] = (r2, c2)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                style = date_style if isinstance(value, dt.date) else xlwt.Style.default_style
                if isinstance(value, str) and value in EXCEL_ERRORS:  # as openpyxl does: "#DIV/0!" is an error cell
                    sheet.row(r).set_cell_error(c, XLS_ERROR_CODES[value], style)
                elif (r, c) in merged_tops:
                    r2, c2 = merged_tops.pop((r, c))
                    sheet.write_merge(r, r2, c, c2, value, style)
                else:
                    sheet.write(r, c, value, style)
        for (r1, c1), (r2, c2) in merged_tops.items():  # merges whose top-left cell is empty
            sheet.merge(r1, r2, c1, c2)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(str(path))
    return path


def _cell_index(ref: str) -> tuple[int, int]:
    letters, number = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
    return int(number) - 1, openpyxl.utils.column_index_from_string(letters) - 1


def write_ods(path: Path, sheets: Sheets) -> Path:
    """An OpenDocument spreadsheet, via pandas ``to_excel(engine="odf")``, with pinned timestamps."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ods_package(sheets))
    return path


def csv_bytes(rows: Rows, encoding: str = "utf-8") -> bytes:
    """Rows as CSV text in ``encoding``: "utf-8", "utf-8-sig" (with BOM) or "gbk"."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode(encoding)


def write_csv(path: Path, rows: Rows, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(rows, encoding))
    return path


WRITERS = {".xlsx": write_xlsx, ".xls": write_xls, ".ods": write_ods}


def write_workbook(path: Path, sheets: Sheets) -> Path:
    """Any workbook format, chosen by the suffix of ``path``."""
    return WRITERS[path.suffix](path, sheets)


_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def compound_file(streams: dict[str, bytes], *, directory_last: bool = False) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding ``streams``, each of 4,096 bytes or more (so in
    ordinary sectors, no mini stream), its directory before them or after them all, as Excel puts it after a big
    encrypted package."""
    assert all(len(content) >= 4096 for content in streams.values())
    per_stream = [-(-len(content) // 512) for content in streams.values()]
    directory_sectors = -(-(len(streams) + 1) // 4)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + directory_sectors + sum(per_stream):
        fat_sectors += 1
    fat = [_FAT] * fat_sectors
    body: list[bytes] = []

    def place(content: bytes, sectors: int) -> int:
        first = len(fat)
        fat.extend(range(first + 1, first + sectors))
        fat.append(_END)
        body.append(content.ljust(sectors * 512, b"\0"))
        return first

    entries = []

    def entry(name: str, kind: int, start: int, size: int, child: int, right: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(encoded), kind, 1, _FREE, right, child)
            + bytes(16 + 4 + 16)  # class id, state bits, creation and modification times
            + struct.pack("<IQ", start, size)
        )

    def place_directory() -> int:
        return place(b"".join(entries).ljust(directory_sectors * 512, b"\0"), directory_sectors)

    names = list(streams)
    directory = None if directory_last else len(fat)
    if not directory_last:
        fat.extend([0] * directory_sectors)  # held for the directory, filled below
        body.append(b"")
    starts = [place(streams[name], sectors) for name, sectors in zip(names, per_stream, strict=True)]
    entries.append(entry("Root Entry", 5, _END, 0, 1, _FREE))
    for i, name in enumerate(names, start=1):
        entries.append(entry(name, 2, starts[i - 1], len(streams[name]), _FREE, i + 1 if i < len(names) else _FREE))
    if directory_last:
        directory = place_directory()
    else:
        fat[directory : directory + directory_sectors] = [*range(directory + 1, directory + directory_sectors), _END]
        body[0] = b"".join(entries).ljust(directory_sectors * 512, b"\0")
    fat += [_FREE] * (fat_sectors * 128 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, fat_sectors, directory, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<109I", *range(fat_sectors), *[_FREE] * (109 - fat_sectors))
    )
    assert len(header) == 512
    return header + struct.pack(f"<{len(fat)}I", *fat) + b"".join(body)


def stand_in_picture(fig, size=None) -> bytes:
    """A plain white PNG an eighth of the picture's size, for a test of the files around the pictures: the
    browser's own pictures are tested in tests/figures/test_pictures.py."""
    from PIL import Image

    from lingyi.figures import pictures

    size = size or pictures.SLIDE
    out = io.BytesIO()
    Image.new("RGB", (size.width // 8, size.height // 8), "white").save(out, format="PNG")
    return out.getvalue()
