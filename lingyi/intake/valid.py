"""What checking a file gives: its valid tables (typed columns, the period, where each value came from) and the
file with every finding about it; what ``ingest`` stores and the desk shows."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from lingyi.contract import SheetKind
from lingyi.errors import Finding, Level
from lingyi.values import (
    Period,
)

# Cells of these types can be equal across types (1 == 1.0 == True), so parsed once apart.


# The columns that identify a row and that every frame carries.
TRACE_COLUMNS = ("unit", "sheet", "row")


@dataclass
class ValidTable:
    kind: SheetKind
    sheet: str
    period: Period
    declared: bool  # the period was declared (报送期间 or --period), not inferred from the rows
    # contract column keys + sheet, row → the column's values, None where missing; whole numbers as int
    values: dict[str, list]
    # contract column key → (column letter, header as the file wrote it), to locate later findings
    headers: dict[str, tuple[str, str]] = field(default_factory=dict)

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """``values`` as a frame of object columns (None stays None), made when first asked for: the checks and the
        store read the lists, as a frame's cost per call is most of the time for a monthly return's few rows."""
        return pd.DataFrame(self.values, columns=list(self.values), dtype=object)

    @property
    def row_count(self) -> int:
        return len(self.values["row"])

    def __getstate__(self) -> dict:
        # Sent between processes without the frame: it is made again from ``values`` where it is asked for.
        return {k: v for k, v in self.__dict__.items() if k != "frame"}


@dataclass
class ValidatedFile:
    name: str
    tables: list[ValidTable]
    findings: list[Finding]
    headcount: dict[str, int] = field(default_factory=dict)  # unit → 在职人数
    # The file was refused before any of it was read (unsafe, damaged, encrypted …, ``FileRejected``): nothing
    # is made from its bytes, such as a marked copy; its one finding says why.
    refused: bool = False

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def row_counts(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for table in self.tables:
            counts[table.kind.name] += table.row_count
        return dict(counts)
