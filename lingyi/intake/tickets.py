"""12345 ticket exports (工单明细) → each unit's monthly 热线指标.

The 12345 platform exports every ticket, one row each: 工单编号, 受理时间, 承办单位, 诉求类型, 是否一次性办结,
是否解决, 满意度评价, 是否重复件 … (``contract.TICKET_COLUMNS``, headers matched by their aliases). A file whose
header names a 工单编号, a 受理时间 and a 承办单位 is read here instead of as a return:

    file bytes ─ sniff ─▶ header found ─▶ columns read (calamine; pandas to Arrow strings for CSV) ─▶ tickets placed
    (unit by registry name, alias or a registry name it begins with; month by 受理时间) ─▶ figures per unit and
    month by ``contract.TICKET_RULES`` ─▶ one 热线指标 table, stored like a return's with source "tickets".

Every ticket that cannot be placed (unknown 承办单位, unreadable 受理时间, a choice outside its list) is an error
naming file, sheet, row and column; one error per distinct unknown name, with its count and first rows, so a
million-row export yields a readable list. Rows are read column-wise and decided per distinct value, so the
cost over a bare read of the file stays small (bench/README.md).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import gc
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from xml.parsers import expat

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine

from lingyi.contract import (
    HOTLINE,
    HOTLINE_SOURCES,
    NON_APPEAL_TYPES,
    SATISFIED,
    TICKET_COLUMN_BY_KEY,
    TICKET_COLUMNS,
    TICKETS_SOURCE,
    UNRATED,
    Choices,
    Column,
)
from lingyi.errors import FileRejected, Finding, Level
from lingyi.intake.files import (
    ACCEPTED_SUFFIXES,
    TEXT_SUFFIXES,
    WorkbookZip,
    check_zip,
    format_of,
    max_file_bytes,
    max_rows,
)
from lingyi.intake.headers import HEADER_SEARCH_ROWS, header_key
from lingyi.intake.reading import csv_rows
from lingyi.intake.validation import ValidatedFile, ValidTable
from lingyi.registry import Registry, Unit, normalise
from lingyi.store import NewSubmission
from lingyi.values import (
    UTF16_BOMS,
    Period,
    column_letter,
    excel_error,
    missing,
    month_label,
    month_number,
    months_between,
)

TICKETS_NAME = "12345工单"
# Words that only a ticket export's header has: a file without one of them is never opened twice.
_SNIFF_WORDS = tuple(dict.fromkeys(header_key(n) for n in TICKET_COLUMN_BY_KEY["ticket"].names))
_SNIFF_BYTES = 256 * 1024
LISTED_PER_PROBLEM = 20  # bad cells listed one by one before 「另有 N 件」
PROGRESS_EVERY = 50_000

_LOOKUP: dict[str, str] = {header_key(name): column.key for column in TICKET_COLUMNS for name in column.names}
_REQUIRED = tuple(c.key for c in TICKET_COLUMNS if c.required)
# The columns the figures use (办结时间, 回访时间 are recognised in the header but not read).
USED = frozenset({"ticket", "accepted_at", "unit", "appeal_type", "first_time", "resolved", "satisfaction", "repeated"})
_DATE_PREFIX = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2}))?")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\d{4,6})?(?:\.0)?$")
_NON_APPEAL = frozenset(normalise(t) for t in NON_APPEAL_TYPES)
# A CSV's cells as Arrow strings: pandas' C parser builds them without a Python string per cell (with dtype=object
# or "str" it makes one for each of a million cells), and Arrow cuts and factorises them.
_CSV_TEXT = pd.ArrowDtype(pa.large_string())


# -- progress ---------------------------------------------------------------------------------------------------

_PROGRESS: contextvars.ContextVar[Callable[[float, str], None] | None] = contextvars.ContextVar(
    "ticket_progress", default=None
)


@contextlib.contextmanager
def reporting(callback: Callable[[float, str], None]) -> Iterator[None]:
    """While inside, reading a ticket export calls ``callback(fraction done, 「已读取 300,000 / 1,000,000 件工单」)``."""
    token = _PROGRESS.set(callback)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def _report(fraction: float, text: str) -> None:
    callback = _PROGRESS.get()
    if callback is not None:
        callback(min(max(fraction, 0.0), 1.0), text)


# -- what a ticket export gives ---------------------------------------------------------------------------------


@dataclass
class TicketFile(ValidatedFile):
    """A ticket export checked: its 热线指标 table (one row per unit and month) and what the tickets were."""

    tickets: int = 0  # data rows read
    counted: int = 0  # tickets that count for 诉求量
    source: str = TICKETS_SOURCE

    def row_counts(self) -> dict[str, int]:
        return {TICKETS_NAME: self.tickets, **super().row_counts()}


def submissions(validated: ValidatedFile, built: list[NewSubmission]) -> list[NewSubmission]:
    """The submissions of a file, marked as worked out from tickets where the file is a ticket export."""
    if isinstance(validated, TicketFile):
        return [replace(s, source=TICKETS_SOURCE) for s in built]
    return built


def sniff(data: bytes, name: str, opened: WorkbookZip | None = None) -> bool:
    """Cheaply, whether a file may be a ticket export: a 工单编号 header word near its start (shared strings and
    the first sheet of a workbook; the first bytes of a CSV; UTF-16 text of an old .xls)."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES or not data:
        return False
    heads: list[str] = []
    kind = format_of(data)
    if kind == "zip":
        try:
            opened = opened or WorkbookZip(data)
            for member in opened.archive().namelist():
                if member == "xl/sharedStrings.xml" or re.fullmatch(r"xl/worksheets/sheet\d+\.xml", member):
                    heads.append(_xml_text(opened.head(member, _SNIFF_BYTES)))
        except (zipfile.BadZipFile, OSError, ValueError, KeyError):
            return False
    elif kind == "ole":
        # BIFF8 keeps Chinese as UTF-16, at an even or an odd offset.
        heads += [data[start : 4 * _SNIFF_BYTES].decode("utf-16-le", "ignore") for start in (0, 1)]
    elif kind == "text":
        heads.append(_decode_head(data)[0])
    text = normalise("".join(heads))
    return any(word in text for word in _SNIFF_WORDS)


def _xml_text(xml: bytes) -> str:
    """The text of the cells of an XML part's first bytes, character references (&#24037;) decoded, each text
    apart from the next: the C parser decodes them, far cheaper than unescaping the markup with it."""
    texts: list[str] = []
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.CharacterDataHandler = texts.append
    with contextlib.suppress(expat.ExpatError):  # cut off mid-way, or malformed: the text up to there
        parser.Parse(xml, False)
    return "\x00".join(texts)


def check_export(
    data: bytes, name: str, registry: Registry, *, period: Period | None = None, opened: WorkbookZip | None = None
) -> TicketFile | None:
    """A ticket export read and its figures worked out; ``None`` when the file is not a ticket export. ``opened``:
    its zip, shared with the reader that looks at it next."""
    if not sniff(data, name, opened):
        return None
    file = PurePath(name).name
    if len(data) > max_file_bytes():
        return None  # the ordinary reader refuses it with its own message
    with _no_collection():  # millions of cells held: a collector pass would walk them all, again and again
        try:
            table = _read(data, file)
        except FileRejected as rejected:
            return TicketFile(file, [], [rejected.finding], refused=True)
        if table is None:
            return None
        return figures(table, registry, period=period)


# A column of cells: a workbook's as Python values, a CSV's as Arrow strings.
Cells = list | pa.ChunkedArray


@dataclass
class _Columns:
    """A ticket export's columns as read: contract key → cells, with where the header was."""

    file: str
    sheet: str
    header_row: int  # Excel row number of the header
    first_row: int  # Excel row number of the first data row
    found: dict[str, tuple[int, str]]  # key → (0-based column index, header as written)
    cells: dict[str, Cells]  # key → cells, one per data row
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # Excel row of each data row

    def finding(self, level: Level, message: str, *, row: int | None = None, key: str | None = None, value=None):
        letter, header = (column_letter(self.found[key][0]), self.found[key][1]) if key in self.found else (None, None)
        return Finding(
            level,
            self.file,
            message,
            sheet=self.sheet,
            row=row,
            column=letter,
            column_name=header,
            value=None if value is None else str(value),
        )


def _header(rows: list[list]) -> tuple[int, dict[str, tuple[int, str]]] | None:
    """The first row near the top that names every required ticket column: (0-based index, key → column)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, tuple[int, str]] = {}
        for position, cell in enumerate(row):
            if cell is None or cell == "":
                continue
            key = _LOOKUP.get(header_key(cell))
            if key is not None and key not in found:
                found[key] = (position, str(cell).strip())
        if all(k in found for k in _REQUIRED):
            return index, found
    return None


def _read(data: bytes, file: str) -> _Columns | None:
    kind = format_of(data)
    if kind == "text":
        if PurePath(file).suffix.lower() not in TEXT_SUFFIXES:
            return None
        return _read_csv(data, file)
    if kind == "zip":
        check_zip(data, lambda message: FileRejected(Finding(Level.ERROR, file, message)))
    if kind in ("zip", "ole"):
        return _read_workbook(data, file)
    return None


def _read_workbook(data: bytes, file: str) -> _Columns | None:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (python_calamine.CalamineError, ValueError, OSError):
        return None  # the ordinary reader says what is wrong with it
    for meta in workbook.sheets_metadata:
        if str(meta.visible) not in ("SheetVisibleEnum.Visible", "Visible"):
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
            # Rows from row 1, cells from the first used column: far cheaper than to_python for a million rows.
            rows = sheet.iter_rows()
            top = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
        except (python_calamine.CalamineError, ValueError, OSError):
            continue
        header = _header(top)
        if header is None:
            continue
        index, found = header
        total = max(sheet.total_height - index, 0)  # total_height: the last row, counted from 0
        if total > max_rows():
            raise FileRejected(
                Finding(
                    Level.ERROR,
                    file,
                    f"工作表有 {total:,} 行，超过系统上限 {max_rows():,} 行。请拆分后上传。",
                    sheet=meta.name,
                )
            )
        first_column = sheet.start[1] if sheet.start else 0
        return _columns_from_rows(file, meta.name, top[index + 1 :], rows, index + 1, found, first_column, total)
    return None


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """No cyclic garbage collection while millions of cells are kept: each pass would walk them all again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _columns_from_rows(file, sheet, head, rows, header_row, found, first_column, total) -> _Columns:
    """The found columns of the data rows (``head``, then the rest of ``rows``), taken a chunk at a time."""
    keys = [k for k in found if k in USED]
    positions = [found[k][0] for k in keys]
    width = max(positions) + 1
    cells: dict[str, list] = {k: [] for k in keys}
    read = 0
    rows = itertools.chain(head, rows)
    with _no_collection():
        while True:
            chunk = list(itertools.islice(rows, PROGRESS_EVERY))
            if not chunk:
                break
            if min(map(len, chunk)) < width:
                chunk = [r if len(r) >= width else [*r, *([""] * (width - len(r)))] for r in chunk]
            for key, position in zip(keys, positions):
                cells[key].extend([r[position] for r in chunk])
            read += len(chunk)
            _report(read / max(total, 1), f"已读取 {read:,} / {total:,} 件工单")
    numbers = np.arange(header_row + 1, header_row + 1 + read)
    cells, numbers = _without_empty_rows(cells, numbers)
    found = {k: (position + first_column, header) for k, (position, header) in found.items()}
    return _Columns(file, sheet, header_row, header_row + 1, found, cells, numbers)


def _decode_head(data: bytes) -> tuple[str, str]:
    """The first bytes of a CSV as text, and the encoding the whole file is read in."""
    head = data[:_SNIFF_BYTES]
    if head.startswith(UTF16_BOMS):
        return head.decode("utf-16", "ignore"), "utf-16"
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:].decode("utf-8", "ignore"), "utf-8-sig"
    try:
        return head.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:
            return head[: exc.start].decode("utf-8"), "utf-8"
    return head.decode("gb18030", "ignore"), "gb18030"


def _read_csv(data: bytes, file: str) -> _Columns | None:
    head, encoding = _decode_head(data)
    lines = head.splitlines()[: HEADER_SEARCH_ROWS + 1]
    try:
        top = csv_rows("\n".join(lines[:-1] if len(lines) > HEADER_SEARCH_ROWS else lines))
    except Exception:  # noqa: BLE001 - not a CSV this reader can take; the ordinary reader says why
        return None
    header = _header(top)
    if header is None:
        return None
    index, found = header
    separator = _separator(lines[index])
    sheet = PurePath(file).stem
    total = data.count(b"\n") - index - 1
    if total > max_rows():
        raise FileRejected(
            Finding(Level.ERROR, file, f"文件有 {total:,} 行，超过系统上限 {max_rows():,} 行。请拆分后上传。")
        )
    keys = [k for k in found if k in USED]
    positions = [found[k][0] for k in keys]
    parts: dict[str, list] = {k: [] for k in keys}
    read = 0
    try:
        chunks = pd.read_csv(
            io.BytesIO(data),
            encoding=encoding,
            sep=separator,
            header=None,
            skiprows=index + 1,
            usecols=positions,
            dtype=_CSV_TEXT,
            keep_default_na=False,  # an empty cell is "", as the workbook reader gives it; nothing is missing
            skip_blank_lines=False,
            chunksize=4 * PROGRESS_EVERY,  # fewer, bigger chunks: the CSV parser costs less per row
            engine="c",
        )
        for chunk in chunks:
            for key, position in zip(keys, positions):
                parts[key] += _arrays(chunk[position])
            read += len(chunk)
            _report(read / max(total, 1), f"已读取 {read:,} / {total:,} 件工单")
    except UnicodeDecodeError:
        raise FileRejected(
            Finding(Level.ERROR, file, "文件中有无法按同一编码识别的文字，请另存为「CSV UTF-8」后上传。")
        ) from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise FileRejected(
            Finding(Level.ERROR, file, f"CSV 文件无法解析（{exc}），请用 Excel 打开检查后另存为「CSV UTF-8」再上传。")
        ) from None
    cells = {k: pa.chunked_array(pieces, type=pa.large_string()) for k, pieces in parts.items()}  # not copied
    header_row = index + 1
    numbers = np.arange(header_row + 1, header_row + 1 + read)
    cells, numbers = _without_empty_rows(cells, numbers)
    return _Columns(file, sheet, header_row, header_row + 1, found, cells, numbers)


def _arrays(column: pd.Series) -> list[pa.LargeStringArray]:
    """A chunk's column as Arrow arrays (pandas may hold it in more than one)."""
    strings = pa.array(column.array, type=pa.large_string())
    return strings.chunks if isinstance(strings, pa.ChunkedArray) else [strings]


def _without_empty_rows(cells: dict[str, Cells], numbers: np.ndarray) -> tuple[dict[str, Cells], np.ndarray]:
    """A row with none of 工单编号, 受理时间, 承办单位 is an empty row, not a ticket."""
    empty = np.ones(len(numbers), dtype=bool)
    for key in _REQUIRED:
        empty &= _blank(cells[key])
    if not empty.any():
        return cells, numbers
    keep = ~empty
    return {k: _kept(values, keep) for k, values in cells.items()}, numbers[keep]


# -- a column, whichever reader made it -------------------------------------------------------------------------


def _blank(cells: Cells) -> np.ndarray:
    """Where the cells are empty: both readers give an empty cell as ""."""
    if isinstance(cells, pa.ChunkedArray):
        return pc.equal(cells, "").to_numpy(zero_copy_only=False)
    return np.array(cells, dtype=object) == ""


def _kept(cells: Cells, keep: np.ndarray) -> Cells:
    """The cells of the rows ``keep`` marks."""
    if isinstance(cells, pa.ChunkedArray):
        return cells.filter(pa.array(keep))
    return [v for v, kept in zip(cells, keep) if kept]


def _cell(cells: Cells, i: int) -> object:
    """One cell as a Python value."""
    return cells[i].as_py() if isinstance(cells, pa.ChunkedArray) else cells[i]


def _distinct(cells: Cells) -> tuple[np.ndarray, list]:
    """Each cell as the index of its value among the column's distinct values, and those values as Python
    objects."""
    if isinstance(cells, pa.ChunkedArray):
        encoded = pc.dictionary_encode(cells).chunks
        if not encoded:
            return np.zeros(0, dtype=np.intp), []
        codes = np.concatenate([chunk.indices.to_numpy(zero_copy_only=False) for chunk in encoded])
        # Arrow gives every chunk the dictionary of the whole column; the last chunk's is that in any case.
        return codes, encoded[-1].dictionary.to_pylist()
    codes, uniques = pd.factorize(pd.Series(cells, dtype=object), use_na_sentinel=False)
    return codes, list(uniques)


def _separator(line: str) -> str:
    counts = {sep: line.count(sep) for sep in (",", "\t", ";")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


# -- tickets → figures ------------------------------------------------------------------------------------------


def figures(table: _Columns, registry: Registry, *, period: Period | None = None) -> TicketFile:
    """The monthly figures of every unit the tickets name (``contract.TICKET_RULES``), with every problem found."""
    findings: list[Finding] = []
    n = len(table.rows)
    if n == 0:
        findings.append(table.finding(Level.ERROR, "工单导出中没有工单：表头下面没有数据行。", row=table.header_row))
        return TicketFile(table.file, [], findings)
    _report(1.0, f"正在计算 {n:,} 件工单的月度指标")
    numbers = table.cells["ticket"]
    keep = _last_of_each(numbers)
    if not keep.all():
        findings.append(
            table.finding(
                Level.WARNING,
                f"有 {int((~keep).sum()):,} 行的工单编号与后面的行重复，每个编号只计一件（以最后一行为准）。",
                row=int(table.rows[~keep][0]),
                key="ticket",
                value=_text(_cell(numbers, int(np.flatnonzero(~keep)[0]))),
            )
        )
    types = table.cells.get("appeal_type")
    non_appeal = (
        _per_value(types, lambda v: normalise(_text(v)) in _NON_APPEAL).astype(bool)
        if types is not None
        else np.zeros(n, bool)
    )
    # A 无效来电 counts nowhere, so it need not be placed: it is often never dispatched to any unit.
    units, unit_names = _place_units(table, registry, findings, ignore=non_appeal)
    months = _months(table, findings, ignore=non_appeal)
    choices = {
        key: _choices(table, key, findings)
        for key in ("first_time", "resolved", "satisfaction", "repeated")
        if key in table.cells
    }
    if any(f.is_error for f in findings):
        return TicketFile(table.file, [], findings, tickets=n)

    keep &= ~non_appeal
    placed = keep.copy()
    if period is not None:
        inside = (months >= period.start) & (months <= period.end)
        outside = int((placed & ~inside).sum())
        if outside:
            findings.append(
                Finding(
                    Level.WARNING,
                    table.file,
                    f"有 {outside:,} 件工单的受理时间不在报送期间 {period.label} 内，未计入。",
                    sheet=table.sheet,
                )
            )
        placed &= inside
        keep &= inside
    frame = _monthly(units, unit_names, months, keep, placed, choices, table.rows)
    if frame.empty:
        findings.append(Finding(Level.ERROR, table.file, "没有可计入的工单（全部不在报送期间内或不计入诉求量）。"))
        return TicketFile(table.file, [], findings, tickets=n)
    covered = period or Period.spanning(sorted(set(frame["month"])))
    frame = _zero_months(frame, covered, table)
    frame["sheet"] = table.sheet
    values = {c: [None if missing(v) else v for v in frame[c].tolist()] for c in frame.columns}
    hotline = ValidTable(HOTLINE, table.sheet, covered, period is not None, values, {})
    findings.append(
        Finding(
            Level.NOTICE,
            table.file,
            f"按12345工单导出读取：{n:,} 行工单，计入诉求量 {int(placed.sum()):,} 件，"
            f"得到 {frame['unit'].nunique()} 个单位 {covered.label} 的热线指标 {len(frame):,} 行。",
            sheet=table.sheet,
        )
    )
    return TicketFile(table.file, [hotline], findings, tickets=n, counted=int(placed.sum()))


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _last_of_each(numbers: Cells) -> np.ndarray:
    """True for the last row of each 工单编号 (a blank number is a ticket of its own)."""
    # Arrow strings are compared by their dictionary codes: no Python string per cell.
    series = pd.Series(numbers, dtype=object) if isinstance(numbers, list) else pd.Series(_distinct(numbers)[0])
    return ~series.duplicated(keep="last").to_numpy(dtype=bool) | _blank(numbers)


def _per_value(cells: Cells, decide: Callable[[object], object], dtype=object) -> np.ndarray:
    """``decide`` applied once per distinct cell value, spread back over the cells."""
    codes, uniques = _distinct(cells)
    decided = np.empty(len(uniques), dtype=dtype)
    decided[:] = [decide(v) for v in uniques]
    return decided[codes]


def _rows_text(rows: np.ndarray, limit: int = 5) -> str:
    shown = "、".join(str(int(r)) for r in rows[:limit])
    return f"第{shown}行" + ("等" if len(rows) > limit else "")


def match_unit(registry: Registry, name: object) -> Unit | None:
    """A 承办单位 as the registry knows it: its name, short name or an alias, or a sub-office whose name begins
    with one of them (「市民政局社会救助科」 → 临沂市民政局), the longest such name first."""
    unit = registry.match(name)
    if unit is not None:
        return unit
    text = normalise(name)
    best: tuple[int, Unit] | None = None
    for unit in registry.units:
        for known in (unit.name, unit.short_name, *unit.aliases):
            key = normalise(known)
            if len(key) >= 3 and text.startswith(key) and (best is None or len(key) > best[0]):
                best = (len(key), unit)
    return best[1] if best else None


def _place_units(
    table: _Columns, registry: Registry, findings: list[Finding], *, ignore: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """Each ticket's unit as an index into the names of the units found (-1 where it cannot be placed), and
    those names; one error per 承办单位 that cannot be placed, in the order the file first names them."""
    codes, raw = _distinct(table.cells["unit"])
    uniques = [_text(value) for value in raw]
    names: list[str] = []
    index_of: dict[str, int] = {}
    placed = np.empty(len(uniques), dtype=np.intp)
    unknown: list[int] = []
    for i, value in enumerate(uniques):
        unit = match_unit(registry, value) if value else None
        if unit is None:
            placed[i] = -1
            unknown.append(i)
            continue
        if unit.name not in index_of:
            index_of[unit.name] = len(names)
            names.append(unit.name)
        placed[i] = index_of[unit.name]
    counted = np.bincount(codes[~ignore], minlength=len(uniques))
    first_seen = np.full(len(uniques), len(codes))
    np.minimum.at(first_seen, codes, np.arange(len(codes)))
    # The errors follow the rows, whatever order the distinct names were found in.
    unknown = sorted((i for i in unknown if counted[i]), key=lambda i: first_seen[i])
    for listed, i in enumerate(unknown):
        rows = table.rows[(codes == i) & ~ignore]
        if listed == LISTED_PER_PROBLEM:
            left = int(counted[unknown[listed:]].sum())
            findings.append(
                table.finding(
                    Level.ERROR, f"另有 {len(unknown) - listed} 个承办单位（{left:,} 件工单）不在名录中。", key="unit"
                )
            )
            break
        value = uniques[i]
        if not value:
            message = f"承办单位是空的：这 {len(rows):,} 件工单（{_rows_text(rows)}）无法计入任何单位。请补上承办单位。"
        else:
            hint = registry.suggest(value)
            suggestion = f"您是不是要找：{'、'.join(hint)}？" if hint else "名录中没有相近的单位。"
            message = (
                f"承办单位「{value}」不在单位名录中，{len(rows):,} 件工单（{_rows_text(rows)}）无法计入任何单位。"
                f"{suggestion}如是旧称或科室，请在名录中为该单位加上这个别名后重新上传。"
            )
        findings.append(table.finding(Level.ERROR, message, row=int(rows[0]), key="unit", value=value or None))
    return placed[codes], names


def month_of(cell: object) -> int | None:
    """The month (yyyymm) of a 受理时间 cell: a date or datetime, an Excel serial number, or text such as
    「2025-03-15 09:12:00」「2025/3/15」「2025年3月15日」「20250315」; ``None`` if it is none of these."""
    if isinstance(cell, dt.date):
        return cell.year * 100 + cell.month
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if 32874 <= cell <= 73051:  # 1990 … 2099 as an Excel serial
            day = dt.date(1899, 12, 30) + dt.timedelta(days=int(cell))
            return day.year * 100 + day.month
        return None
    text = unicodedata.normalize("NFKC", str(cell)).strip() if cell is not None else ""
    found = _DATE_PREFIX.match(text) or _COMPACT_DATE.match(text)
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if not 1990 <= year <= 2099 or not 1 <= month <= 12:
        return None
    return month_number(year, month)


def _months_of_text(cells: pa.ChunkedArray, of_other: Callable[[object], int]) -> np.ndarray:
    """The months of a column of text: decided once per distinct first ten characters (the day, as
    「2025-03-15」 or 「2025/3/5 8:」 — the month is read from the start), again in full where that fails."""
    codes, uniques = _distinct(pc.utf8_slice_codeunits(cells, 0, 10))
    decided = np.fromiter((of_other(u) for u in uniques), dtype=np.int64, count=len(uniques))
    months = decided[codes]
    for i in np.flatnonzero(months < 0):  # 「20250305091500」: the whole text says it
        found = month_of(_cell(cells, i))
        months[i] = -1 if found is None else found
    return months


def _months(table: _Columns, findings: list[Finding], *, ignore: np.ndarray) -> np.ndarray:
    cells = table.cells["accepted_at"]
    # Text of the same day repeats with another time: decided once per day.
    cache: dict[object, int] = {}

    def of_other(cell: object) -> int:
        key = cell.partition(" ")[0] if type(cell) is str else cell
        month = cache.get(key)
        if month is None:
            found = month_of(key)
            month = cache[key] = -1 if found is None else found
        return month

    date = dt.date
    if isinstance(cells, pa.ChunkedArray):
        months = _months_of_text(cells, of_other)
    elif cells and all(type(c) is str for c in cells[:1000]) and all(type(c) is str for c in cells):
        months = _months_of_text(pa.chunked_array([pa.array(cells, type=pa.large_string())]), of_other)
    else:
        months = np.fromiter(
            (c.year * 100 + c.month if isinstance(c, date) else of_other(c) for c in cells),
            dtype=np.int64,
            count=len(cells),
        )
    bad = np.flatnonzero((months < 0) & ~ignore)
    for listed, i in enumerate(bad):
        if listed == LISTED_PER_PROBLEM:
            findings.append(
                table.finding(Level.ERROR, f"另有 {len(bad) - listed:,} 件工单的受理时间无法识别。", key="accepted_at")
            )
            break
        cell = _cell(cells, i)
        shown = excel_error(cell) or ("" if cell is None else str(cell))
        message = (
            "受理时间是空的，这件工单无法计入任何月份。"
            if not shown.strip()
            else "受理时间无法识别，这件工单无法计入任何月份。请填写日期，如 2025-03-15 09:30 或 2025/3/15。"
        )
        findings.append(table.finding(Level.ERROR, message, row=int(table.rows[i]), key="accepted_at", value=shown))
    return months


BLANK, UNKNOWN = -1, -2  # codes of a choice cell besides the index of its value


def _choices(table: _Columns, key: str, findings: list[Finding]) -> np.ndarray:
    """Each cell as the index of its value in the column's choices (BLANK where empty), as small integers, so
    the figures are counted without comparing strings; a value outside the list is an error."""
    column: Column = TICKET_COLUMN_BY_KEY[key]
    choices: Choices = column.choices
    lookup = {normalise(v).lower(): i for i, v in enumerate(choices.values)}
    lookup.update({normalise(a).lower(): choices.values.index(v) for a, v in choices.aliases.items()})

    def decide(cell: object) -> int:
        text = normalise(_text(cell)).lower()
        if not text:
            return BLANK
        return lookup.get(text, UNKNOWN)

    codes, uniques = _distinct(table.cells[key])
    decided = np.empty(len(uniques), dtype=np.int8)
    decided[:] = [decide(v) for v in uniques]
    values = decided[codes]
    unknown = values == UNKNOWN
    if unknown.any():
        shown = np.array([_text(v) for v in uniques], dtype=object)[codes[unknown]]
        for listed, (value, rows) in enumerate(pd.Series(table.rows[unknown]).groupby(shown, sort=False)):
            if listed == LISTED_PER_PROBLEM:
                findings.append(table.finding(Level.ERROR, f"「{column.name}」另有其他无法识别的写法。", key=key))
                break
            findings.append(
                table.finding(
                    Level.ERROR,
                    f"「{column.name}」须为{'、'.join(choices.values)}之一；这个写法有 {len(rows):,} 件"
                    f"（{_rows_text(rows.to_numpy())}）。",
                    row=int(rows.iloc[0]),
                    key=key,
                    value=value,
                )
            )
    return values


def _monthly(units, unit_names, months, keep, placed, choices, rows) -> pd.DataFrame:
    """One row per (unit, month) of the kept tickets, in order of unit name and month: 诉求量 and the three
    rates, by TICKET_RULES. ``units`` index ``unit_names``; ``months`` are yyyymm."""
    blank = np.full(len(units), BLANK, dtype=np.int8)

    def code(key: str, value: str) -> int:
        return TICKET_COLUMN_BY_KEY[key].choices.values.index(value)

    first_time = choices.get("first_time", blank)
    resolved = choices.get("resolved", blank)
    satisfaction = choices.get("satisfaction", blank)
    repeated = choices.get("repeated", blank) == code("repeated", "是")
    satisfied = np.zeros(len(units), dtype=bool)
    for value in SATISFIED:
        satisfied |= satisfaction == code("satisfaction", value)
    # 未评价 and blank are in neither the numerator nor the denominator.
    rated = (satisfaction != BLANK) & (satisfaction != code("satisfaction", UNRATED))
    original = placed & ~repeated
    if not keep.any():
        return pd.DataFrame()
    # Each kept ticket's (unit, month) as one small integer, so that every sum is a bincount over it.
    serial = months[keep] // 100 * 12 + months[keep] % 100 - 1  # months since year 0
    earliest = int(serial.min())
    span = int(serial.max()) - earliest + 1
    group = units[keep] * span + (serial - earliest)
    size = len(unit_names) * span
    first_row = np.full(size, np.iinfo(np.int64).max)
    np.minimum.at(first_row, group, rows[keep])
    groups = np.flatnonzero(np.bincount(group, minlength=size)).tolist()
    groups.sort(key=lambda g: (unit_names[g // span], g % span))

    def summed(flags: np.ndarray) -> list[int]:
        return np.bincount(group[flags[keep]], minlength=size)[groups].tolist()

    def month(g: int) -> int:
        year, index = divmod(earliest + g % span, 12)
        return year * 100 + index + 1

    out = pd.DataFrame(
        {
            "unit": pd.Series([unit_names[g // span] for g in groups], dtype=object),
            "month": pd.Series([month(g) for g in groups], dtype=object),
            "appeals": pd.Series(summed(placed), dtype=object),
            "first_time_rate": _rate(
                summed(original & (first_time == code("first_time", "是"))),
                summed(placed & ((first_time != BLANK) | repeated)),
            ),
            "resolution_rate": _rate(
                summed(original & (resolved == code("resolved", "是"))), summed(original & (resolved != BLANK))
            ),
            "satisfaction_rate": _rate(summed(original & satisfied), summed(original & rated)),
            "appeals_prev": None,
            "first_time_rate_prev": None,
            "resolution_rate_prev": None,
            "satisfaction_rate_prev": None,
            "row": pd.Series(first_row[groups].tolist(), dtype=object),
        }
    )
    return out


def _rate(numerator: list[int], denominator: list[int]) -> list:
    return [float(a) / float(b) if b else None for a, b in zip(numerator, denominator)]


def _zero_months(frame: pd.DataFrame, period: Period, table: _Columns) -> pd.DataFrame:
    """A unit the export names has 诉求量 0 in each month of the export's span with no ticket of its own."""
    have = set(zip(frame["unit"], frame["month"]))
    missing_rows = [
        {"unit": unit, "month": month, "appeals": 0, "row": table.header_row}
        for unit in dict.fromkeys(frame["unit"])
        for month in _months_of(period)
        if (unit, month) not in have
    ]
    if not missing_rows:
        return frame.reset_index(drop=True)
    extra = pd.DataFrame(missing_rows).reindex(columns=frame.columns)
    extra = extra.astype(object).where(extra.notna(), None)
    joined = pd.concat([frame, extra], ignore_index=True)
    return joined.sort_values(["unit", "month"], kind="stable").reset_index(drop=True)


def _months_of(period: Period) -> list[int]:
    return months_between(period.start, period.end)


# -- tickets against returns ------------------------------------------------------------------------------------

FIGURES = (
    ("appeals", "诉求量"),
    ("first_time_rate", "一次性办好率"),
    ("resolution_rate", "问题解决率"),
    ("satisfaction_rate", "群众满意率"),
)
COMPARISON_COLUMNS = ["单位", "月份", "指标", "工单数据", "单位报表", "相差", "报表文件", "统计采用"]


@dataclass(frozen=True)
class Disagreement:
    """One unit and month where the tickets and the unit's own 热线指标 return give different figures."""

    unit: str
    month: int
    figures: tuple[tuple[str, object, object], ...]  # (label, from the tickets, from the return)
    return_file: str
    setting: str  # the HOTLINE_SOURCES key in force
    counts: str  # "tickets" or "returns": which one the figures use under the setting
    sheet: str | None
    row: int | None


def disagreements(validated: ValidatedFile, store) -> list[Disagreement]:
    """Where this file's 热线指标 and the store's other source disagree, month by month: a ticket export against
    the units' returns, a return against the tickets stored for its units."""
    tables = [t for t in validated.tables if t.kind.key == "hotline"]
    if not tables or store is None:
        return []
    units = sorted({u for t in tables for u in t.values["unit"] if u})
    ours = isinstance(validated, TicketFile)
    side = "returns" if ours else "tickets"
    other = store.hotline_by_source(units, side)[side]
    if not other:
        return []
    setting = store.hotline_source()
    found = []
    for table in tables:
        for record in table.frame.to_dict("records"):
            theirs = other.get((record["unit"], record["month"]))
            if theirs is None:
                continue
            tickets, returned = (record, theirs) if ours else (theirs, record)
            differ = tuple(
                (label, tickets[key], returned[key])
                for key, label in FIGURES
                if _differs(tickets[key], returned[key], key)
            )
            if not differ:
                continue
            counts = _counting(setting, ours)
            found.append(
                Disagreement(
                    record["unit"],
                    int(record["month"]),
                    differ,
                    validated.name if not ours else str(theirs["file"]),
                    setting,
                    counts,
                    table.sheet,
                    int(record["row"]) if record.get("row") is not None else None,
                )
            )
    return found


def _counting(setting: str, this_is_tickets: bool) -> str:
    if setting == "newest":
        return "tickets" if this_is_tickets else "returns"  # the file being stored is the newest
    return setting


def _differs(a: object, b: object, key: str) -> bool:
    if a is None or b is None or (isinstance(a, float) and np.isnan(a)) or (isinstance(b, float) and np.isnan(b)):
        return False
    tolerance = 0.5 if key == "appeals" else 0.00005  # a rate as a return rounds it: 93.72%
    return abs(float(a) - float(b)) > tolerance


def _shown(label: str, value: object) -> str:
    if value is None:
        return "—"
    return f"{int(value):,}" if label == "诉求量" else f"{float(value):.2%}"


def disagreement_findings(validated: ValidatedFile, store) -> list[Finding]:
    """Each disagreement as a warning at the file's row, both values side by side and which one counts."""
    findings = []
    for d in disagreements(validated, store):
        pairs = "；".join(f"{label} 工单 {_shown(label, t)} / 报表 {_shown(label, r)}" for label, t, r in d.figures)
        month = month_label(d.month)
        findings.append(
            Finding(
                Level.WARNING,
                validated.name,
                f"{d.unit} {month}：{pairs}（单位报表「{d.return_file}」）。"
                f"按设置「{HOTLINE_SOURCES[d.setting]}」，统计采用{'工单数据' if d.counts == 'tickets' else '单位报表'}。",
                sheet=d.sheet,
                row=d.row,
            )
        )
    return findings


def comparison_table(validated: ValidatedFile | None, store) -> pd.DataFrame:
    """The disagreements side by side, one row per unit, month and figure, as the upload desk shows them."""
    rows = []
    for d in disagreements(validated, store) if validated is not None else []:
        for label, t, r in d.figures:
            gap = float(t) - float(r)
            rows.append(
                {
                    "单位": d.unit,
                    "月份": month_label(d.month),
                    "指标": label,
                    "工单数据": _shown(label, t),
                    "单位报表": _shown(label, r),
                    "相差": f"{gap:+,.0f}" if label == "诉求量" else f"{gap * 100:+.2f} 个百分点",
                    "报表文件": d.return_file,
                    "统计采用": "工单数据" if d.counts == "tickets" else "单位报表",
                }
            )
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
