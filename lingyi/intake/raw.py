"""What reading a file gives, before any value is judged: raw tables (the header's columns, the data rows with
their row numbers, totals and footers set aside) and the info cells a return states about itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from lingyi.contract import (
    SheetKind,
)
from lingyi.errors import Finding


@dataclass(frozen=True)
class HeaderColumn:
    index: int  # 0-based column index
    header: str  # the header as the file wrote it (both rows of a two-row header)
    by_alias: bool  # matched by an alias rather than the canonical name


@dataclass(frozen=True)
class InfoCell:
    """Where a 填报单位, 报送期间 … was read: a title line above a table or the 基本信息 sheet."""

    sheet: str
    row: int  # Excel row number
    column: int  # 0-based column index
    label: str  # the label as the file wrote it: 报送单位, 报送期间 …


@dataclass
class RawTable:
    file: str
    sheet: str
    kind: SheetKind
    header_row: int  # Excel row number of the (last) header row
    columns: dict[str, HeaderColumn]  # contract column key → where it is
    rows: list[tuple[int, list]]  # (Excel row number, cells) of the data rows
    totals: list[tuple[int, str, list]]  # (Excel row number, 合计/总计/小计, cells)
    info: dict[str, str] = field(default_factory=dict)  # 填报单位, 报送期间 … from the lines above the header
    info_cells: dict[str, InfoCell] = field(default_factory=dict)  # where each of ``info`` was read


@dataclass
class ReadFile:
    name: str
    tables: list[RawTable]
    info: dict[str, str]  # from the 基本信息 sheet, or the first title line that gives it
    findings: list[Finding]
    info_cells: dict[str, InfoCell] = field(default_factory=dict)  # where each of ``info`` was read
