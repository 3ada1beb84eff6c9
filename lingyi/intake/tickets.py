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

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lingyi.contract import (
    HOTLINE,
    NON_APPEAL_TYPES,
    SATISFIED,
    TICKET_COLUMN_BY_KEY,
    TICKETS_SOURCE,
    UNRATED,
    Choices,
    Column,
)
from lingyi.errors import FileRejected, Finding, Level
from lingyi.intake.files import (
    WorkbookZip,
    max_file_bytes,
)
from lingyi.intake.ticket_files import (
    Cells,
    TicketColumns,
    blank_cells,
    cell_at,
    distinct_values,
    no_collection,
    read_columns,
    report_progress,
    sniff,
)
from lingyi.intake.valid import ValidatedFile, ValidTable
from lingyi.registry import Registry, Unit, normalise
from lingyi.store import NewSubmission
from lingyi.values import (
    Period,
    excel_error,
    missing,
    month_number,
    months_between,
)

TICKETS_NAME = "12345工单"
LISTED_PER_PROBLEM = 20  # bad cells listed one by one before 「另有 N 件」

_DATE_PREFIX = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2}))?")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\d{4,6})?(?:\.0)?$")
_NON_APPEAL = frozenset(normalise(t) for t in NON_APPEAL_TYPES)


# -- progress ---------------------------------------------------------------------------------------------------


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
    with no_collection():  # millions of cells held: a collector pass would walk them all, again and again
        try:
            table = read_columns(data, file)
        except FileRejected as rejected:
            return TicketFile(file, [], [rejected.finding], refused=True)
        if table is None:
            return None
        return monthly_hotline(table, registry, period=period)


# -- a column, whichever reader made it -------------------------------------------------------------------------


# -- tickets → figures ------------------------------------------------------------------------------------------


def monthly_hotline(table: TicketColumns, registry: Registry, *, period: Period | None = None) -> TicketFile:
    """The monthly figures of every unit the tickets name (``contract.TICKET_RULES``), with every problem found."""
    findings: list[Finding] = []
    n = len(table.rows)
    if n == 0:
        findings.append(table.finding(Level.ERROR, "工单导出中没有工单：表头下面没有数据行。", row=table.header_row))
        return TicketFile(table.file, [], findings)
    report_progress(1.0, f"正在计算 {n:,} 件工单的月度指标")
    numbers = table.cells["ticket"]
    keep = _last_of_each(numbers)
    if not keep.all():
        findings.append(
            table.finding(
                Level.WARNING,
                f"有 {int((~keep).sum()):,} 行的工单编号与后面的行重复，每个编号只计一件（以最后一行为准）。",
                row=int(table.rows[~keep][0]),
                key="ticket",
                value=_text(cell_at(numbers, int(np.flatnonzero(~keep)[0]))),
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
    series = pd.Series(numbers, dtype=object) if isinstance(numbers, list) else pd.Series(distinct_values(numbers)[0])
    return ~series.duplicated(keep="last").to_numpy(dtype=bool) | blank_cells(numbers)


def _per_value(cells: Cells, decide: Callable[[object], object], dtype=object) -> np.ndarray:
    """``decide`` applied once per distinct cell value, spread back over the cells."""
    codes, uniques = distinct_values(cells)
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
    table: TicketColumns, registry: Registry, findings: list[Finding], *, ignore: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """Each ticket's unit as an index into the names of the units found (-1 where it cannot be placed), and
    those names; one error per 承办单位 that cannot be placed, in the order the file first names them."""
    codes, raw = distinct_values(table.cells["unit"])
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
    codes, uniques = distinct_values(pc.utf8_slice_codeunits(cells, 0, 10))
    decided = np.fromiter((of_other(u) for u in uniques), dtype=np.int64, count=len(uniques))
    months = decided[codes]
    for i in np.flatnonzero(months < 0):  # 「20250305091500」: the whole text says it
        found = month_of(cell_at(cells, i))
        months[i] = -1 if found is None else found
    return months


def _months(table: TicketColumns, findings: list[Finding], *, ignore: np.ndarray) -> np.ndarray:
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
        cell = cell_at(cells, i)
        shown = excel_error(cell) or ("" if cell is None else str(cell))
        message = (
            "受理时间是空的，这件工单无法计入任何月份。"
            if not shown.strip()
            else "受理时间无法识别，这件工单无法计入任何月份。请填写日期，如 2025-03-15 09:30 或 2025/3/15。"
        )
        findings.append(table.finding(Level.ERROR, message, row=int(table.rows[i]), key="accepted_at", value=shown))
    return months


BLANK, UNKNOWN = -1, -2  # codes of a choice cell besides the index of its value


def _choices(table: TicketColumns, key: str, findings: list[Finding]) -> np.ndarray:
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

    codes, uniques = distinct_values(table.cells[key])
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


def _zero_months(frame: pd.DataFrame, period: Period, table: TicketColumns) -> pd.DataFrame:
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
