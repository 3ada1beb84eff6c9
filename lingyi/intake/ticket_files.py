"""A 12345 ticket export read into columns: sniffed by its header (工单编号, 受理时间, 承办单位), the header
matched by the aliases of ``contract.TICKET_COLUMNS``, each column read whole (calamine for workbooks; pandas to
Arrow strings for CSV) with progress reported to whoever listens (``reporting``)."""

from __future__ import annotations

import contextlib
import contextvars
import gc
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.parsers import expat

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine

from lingyi.contract import (
    TICKET_COLUMN_BY_KEY,
    TICKET_COLUMNS,
)
from lingyi.errors import FileRejected, Finding, Level
from lingyi.intake.files import (
    ACCEPTED_SUFFIXES,
    TEXT_SUFFIXES,
    WorkbookZip,
    check_zip,
    format_of,
    max_rows,
)
from lingyi.intake.headers import HEADER_SEARCH_ROWS, header_key
from lingyi.intake.reading import csv_rows
from lingyi.registry import normalise
from lingyi.values import (
    UTF16_BOMS,
    column_letter,
)

# Words that only a ticket export's header has: a file without one of them is never opened twice.
_SNIFF_WORDS = tuple(dict.fromkeys(header_key(n) for n in TICKET_COLUMN_BY_KEY["ticket"].names))


_SNIFF_BYTES = 256 * 1024


PROGRESS_EVERY = 50_000


_LOOKUP: dict[str, str] = {header_key(name): column.key for column in TICKET_COLUMNS for name in column.names}


USED = frozenset({"ticket", "accepted_at", "unit", "appeal_type", "first_time", "resolved", "satisfaction", "repeated"})
_REQUIRED = tuple(c.key for c in TICKET_COLUMNS if c.required)


# A CSV's cells as Arrow strings: pandas' C parser builds them without a Python string per cell (with dtype=object
# or "str" it makes one for each of a million cells), and Arrow cuts and factorises them.
_CSV_TEXT = pd.ArrowDtype(pa.large_string())


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


def report_progress(fraction: float, text: str) -> None:
    callback = _PROGRESS.get()
    if callback is not None:
        callback(min(max(fraction, 0.0), 1.0), text)


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


# A column of cells: a workbook's as Python values, a CSV's as Arrow strings.
Cells = list | pa.ChunkedArray


@dataclass
class TicketColumns:
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


def read_columns(data: bytes, file: str) -> TicketColumns | None:
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


def _read_workbook(data: bytes, file: str) -> TicketColumns | None:
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
def no_collection() -> Iterator[None]:
    """No cyclic garbage collection while millions of cells are kept: each pass would walk them all again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _columns_from_rows(file, sheet, head, rows, header_row, found, first_column, total) -> TicketColumns:
    """The found columns of the data rows (``head``, then the rest of ``rows``), taken a chunk at a time."""
    keys = [k for k in found if k in USED]
    positions = [found[k][0] for k in keys]
    width = max(positions) + 1
    cells: dict[str, list] = {k: [] for k in keys}
    read = 0
    rows = itertools.chain(head, rows)
    with no_collection():
        while True:
            chunk = list(itertools.islice(rows, PROGRESS_EVERY))
            if not chunk:
                break
            if min(map(len, chunk)) < width:
                chunk = [r if len(r) >= width else [*r, *([""] * (width - len(r)))] for r in chunk]
            for key, position in zip(keys, positions):
                cells[key].extend([r[position] for r in chunk])
            read += len(chunk)
            report_progress(read / max(total, 1), f"已读取 {read:,} / {total:,} 件工单")
    numbers = np.arange(header_row + 1, header_row + 1 + read)
    cells, numbers = _without_empty_rows(cells, numbers)
    found = {k: (position + first_column, header) for k, (position, header) in found.items()}
    return TicketColumns(file, sheet, header_row, header_row + 1, found, cells, numbers)


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


def _read_csv(data: bytes, file: str) -> TicketColumns | None:
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
            report_progress(read / max(total, 1), f"已读取 {read:,} / {total:,} 件工单")
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
    return TicketColumns(file, sheet, header_row, header_row + 1, found, cells, numbers)


def _arrays(column: pd.Series) -> list[pa.LargeStringArray]:
    """A chunk's column as Arrow arrays (pandas may hold it in more than one)."""
    strings = pa.array(column.array, type=pa.large_string())
    return strings.chunks if isinstance(strings, pa.ChunkedArray) else [strings]


def _without_empty_rows(cells: dict[str, Cells], numbers: np.ndarray) -> tuple[dict[str, Cells], np.ndarray]:
    """A row with none of 工单编号, 受理时间, 承办单位 is an empty row, not a ticket."""
    empty = np.ones(len(numbers), dtype=bool)
    for key in _REQUIRED:
        empty &= blank_cells(cells[key])
    if not empty.any():
        return cells, numbers
    keep = ~empty
    return {k: _kept(values, keep) for k, values in cells.items()}, numbers[keep]


def blank_cells(cells: Cells) -> np.ndarray:
    """Where the cells are empty: both readers give an empty cell as ""."""
    if isinstance(cells, pa.ChunkedArray):
        return pc.equal(cells, "").to_numpy(zero_copy_only=False)
    return np.array(cells, dtype=object) == ""


def _kept(cells: Cells, keep: np.ndarray) -> Cells:
    """The cells of the rows ``keep`` marks."""
    if isinstance(cells, pa.ChunkedArray):
        return cells.filter(pa.array(keep))
    return [v for v, kept in zip(cells, keep) if kept]


def cell_at(cells: Cells, i: int) -> object:
    """One cell as a Python value."""
    return cells[i].as_py() if isinstance(cells, pa.ChunkedArray) else cells[i]


def distinct_values(cells: Cells) -> tuple[np.ndarray, list]:
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


# The columns the figures use (办结时间, 回访时间 are recognised in the header but not read).
