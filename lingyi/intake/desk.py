"""The analyst's desk: returns checked before anything is stored, then stored in one go; the
store's history, its exports and the registry as people read them.

The pages 数据上传 and 数据管理 call these; nothing here imports streamlit. A file is checked
with ``lingyi.intake.ingest.check_file`` and stored with ``lingyi.intake.ingest.ingest_files``, so the page
says exactly what the command line would.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import PurePath

import pandas as pd
import python_calamine

from lingyi.contract import HOTLINE_SOURCES, SHEET_KIND_BY_KEY, SHEET_KINDS, SheetKind, ValueKind
from lingyi.errors import FileRejected, Finding, Level, RegistryError
from lingyi.intake import replacements, ticket_checks, tickets
from lingyi.intake.feedback import MarkedFile, error_list_name, error_list_xlsx, findings_frame, marked_file
from lingyi.intake.files import ACCEPTED_SUFFIXES
from lingyi.intake.ingest import (
    IngestResult,
    Outcome,
    Upload,
    another_units_file,
    check_file,
    ingest_files,
)
from lingyi.intake.reading import read_file
from lingyi.intake.replacements import Replacement
from lingyi.intake.submissions import build_submissions
from lingyi.intake.valid import ValidatedFile, ValidTable
from lingyi.registry import REGISTRY_COLUMNS, Registry, parse_registry
from lingyi.store import Store, sha256
from lingyi.values import Period, month_label
from lingyi.workbooks import frames_to_xlsx

UPLOAD_SUFFIXES = tuple(sorted(s.lstrip(".") for s in ACCEPTED_SUFFIXES if s != ".txt"))
REGISTRY_SUFFIXES = ("csv", "xlsx", "xls")
FINDING_TABLE_COLUMNS = ["工作表", "行号", "列", "列名", "值", "说明"]
RATE_FORMAT = "0.00%"


class Verdict(StrEnum):
    READY = "可入库"
    HELD = "待确认"  # would replace what the analyst must see first (spec §4): stored only once confirmed
    ERRORS = "有错误"
    UNCHANGED = "无变化"


@dataclass
class CheckedFile:
    """One uploaded file after checking, before anything is stored."""

    name: str
    data: bytes
    verdict: Verdict
    validated: ValidatedFile | None = None  # None when the file is already stored as it is
    needs_unit: bool = False  # the file names no unit: the analyst picks one
    unit: str | None = None  # the unit picked for it
    message: str = ""
    # Where its 热线指标 and the store's other source (tickets or returns) disagree: ticket_checks.COMPARISON_COLUMNS
    comparison: pd.DataFrame | None = None
    # What storing it would replace (spec §4), and why it is held for confirmation where it is.
    replacements: list[Replacement] = field(default_factory=list)
    held_reason: str = ""
    # (unit, kind, period) of the submissions it would make; other files of the upload that cover the same.
    covers: list[tuple[str, str, Period]] = field(default_factory=list)
    batch_notes: list[str] = field(default_factory=list)

    @property
    def is_ticket_export(self) -> bool:
        return isinstance(self.validated, tickets.TicketFile)

    @cached_property
    def digest(self) -> str:
        return sha256(self.data)

    @cached_property
    def marked(self) -> MarkedFile | None:
        """The file with its faulty cells marked, made once; ``None`` when it was refused unread (unsafe, damaged,
        encrypted …: its bytes are not opened again to copy them), cannot be opened, or is a ticket export (a million
        rows is no file to mark up: its errors list names each row). The error list is offered in every case."""
        if not self.errors or self.is_ticket_export or self.validated.refused:
            return None
        return marked_file(self.data, self.name, self.validated.findings)

    @property
    def error_list_name(self) -> str:
        return error_list_name(self.name)

    def error_list(self) -> bytes:
        return error_list_xlsx(self.validated.findings if self.validated else [])

    @property
    def counts(self) -> dict[str, int]:
        return self.validated.row_counts() if self.validated else {}

    @property
    def errors(self) -> list[Finding]:
        return self.validated.errors if self.validated else []

    @property
    def warnings(self) -> list[Finding]:
        return self.validated.warnings if self.validated else []

    @property
    def counts_text(self) -> str:
        """「学习活动 3 行、热线指标 1 行」."""
        return "、".join(f"{kind} {rows:,} 行" for kind, rows in self.counts.items())

    def findings_table(self, level: Level) -> pd.DataFrame:
        """Sheet, row as Excel shows it, column letter and name, value, message."""
        return findings_frame(self.validated.findings if self.validated else [], (level,))[FINDING_TABLE_COLUMNS]

    def error_table(self) -> pd.DataFrame:
        return self.findings_table(Level.ERROR)

    def warning_table(self) -> pd.DataFrame:
        return self.findings_table(Level.WARNING)

    def previews(self) -> list[tuple[str, pd.DataFrame]]:
        """(「工作表「学习活动」· 学习活动 · 3 行」, the parsed rows under the contract's column names)."""
        tables = self.validated.tables if self.validated else []
        return [
            (f"工作表「{t.sheet}」· {t.kind.name} · {t.period.label} · {len(t.frame):,} 行", preview_frame(t))
            for t in tables
        ]


def check_upload(
    data: bytes,
    name: str,
    *,
    registry: Registry,
    store: Store,
    period: Period | None = None,
    unit: str | None = None,
    only_unit: str | None = None,
) -> CheckedFile:
    """The verdict on one file: 无变化 (stored as it is), 可入库, or 有错误 with every finding."""
    known = store.file_by_hash(sha256(data))
    if known is not None and store.file_is_live(known["id"]):
        refused = None if only_unit is None else another_units_file(store, name, known["id"], only_unit)
        if refused is not None:  # another unit's file on record: refused as a changed copy of it is
            return CheckedFile(name, data, Verdict.ERRORS, ValidatedFile(refused.file, [], [refused], refused=True))
        return CheckedFile(
            name, data, Verdict.UNCHANGED, message=f"与已入库的文件「{known['name']}」完全相同，入库时不会有任何改动。"
        )
    validated = check_file(
        data, name, registry, store=store, period=period, default_unit=unit or only_unit, only_unit=only_unit
    )
    verdict = Verdict.READY if validated.ok else Verdict.ERRORS
    is_tickets = isinstance(validated, tickets.TicketFile)
    needs_unit = not is_tickets and (unit is not None or (not validated.ok and names_no_unit(data, name)))
    comparison = ticket_checks.comparison_table(validated, store)
    checked = CheckedFile(validated.name, data, verdict, validated, needs_unit, unit, comparison=comparison)
    if validated.ok:
        submissions = tickets.submissions(validated, build_submissions(validated.tables))
        found = replacements.plan(store, submissions)
        if found.same_as is not None:
            message = f"数据与已入库的「{found.same_as}」完全相同（文件另存过），入库时不会有任何改动。"
            return CheckedFile(validated.name, data, Verdict.UNCHANGED, message=message)
        checked.replacements = found.replacements
        checked.covers = [(sub.unit, sub.kind, sub.period) for sub in submissions]
        if found.needs_confirmation:
            checked.verdict, checked.held_reason = Verdict.HELD, found.held_reason
    return checked


def note_same_upload(files: list[CheckedFile]) -> None:
    """Files of one upload for the same unit, kind and period (spec §4): both are checked, the later one in the
    upload's order wins when they are stored together, and both say so."""
    for later_index, later in enumerate(files):
        for earlier in files[:later_index]:
            for unit, kind, period in later.covers:
                for other_unit, other_kind, other_period in earlier.covers:
                    if (unit, kind) != (other_unit, other_kind) or not period.overlaps(other_period):
                        continue
                    what = f"{unit} {SHEET_KIND_BY_KEY[kind].name} {period.label}"
                    note = f"本次上传中后面的「{later.name}」也报送了{what}，一起入库时以后者为准。"
                    if note not in earlier.batch_notes:
                        earlier.batch_notes.append(note)
                    note = f"本次上传中前面的「{earlier.name}」也报送了{what}，一起入库时以本文件为准。"
                    if note not in later.batch_notes:
                        later.batch_notes.append(note)


def hotline_sources() -> dict[str, str]:
    """The settings of which 热线指标 count where a unit's return and the tickets give the same month."""
    return dict(HOTLINE_SOURCES)


def unreadable(data: bytes, name: str, problem: str) -> CheckedFile:
    """The verdict on a file the checks themselves could not get through (a fault of ours, logged by the caller)."""
    finding = Finding(Level.ERROR, name, f"文件无法检查（{problem}）。请用 Excel 打开后另存为 .xlsx 再上传。")
    return CheckedFile(name, data, Verdict.ERRORS, ValidatedFile(name, [], [finding], refused=True))


def digest(data: bytes) -> str:
    return sha256(data)


def names_no_unit(data: bytes, name: str) -> bool:
    """A readable file with a data sheet that has no 单位名称 column and no 填报单位 anywhere."""
    try:
        read = read_file(data, name)
    except FileRejected:
        return False
    return not read.info.get("unit") and any("unit" not in table.columns for table in read.tables)


def ingest_ready(
    store: Store,
    files: list[CheckedFile],
    *,
    registry: Registry,
    period: Period | None,
    user: str,
    only_unit: str | None = None,
    confirmed: frozenset[str] = frozenset(),
) -> list[IngestResult]:
    """Store every file whose verdict is 可入库, each whole or not at all (checked again: the store may have moved).

    A file 待确认 is among them only once the analyst has confirmed what it replaces (``confirmed``, digests)."""
    ready = [Upload(f.data, f.name, default_unit=f.unit) for f in files if storable(f, confirmed)]
    return list(
        ingest_files(
            store, ready, registry=registry, period=period, default_unit=only_unit, only_unit=only_unit, user=user
        )
    )


def storable(file: CheckedFile, confirmed: frozenset[str] = frozenset()) -> bool:
    """可入库, or 待确认 and confirmed."""
    return file.verdict is Verdict.READY or (file.verdict is Verdict.HELD and file.digest in confirmed)


def outcomes(results: list[IngestResult]) -> dict[Outcome, list[IngestResult]]:
    """What 全部入库 did, by outcome."""
    return {outcome: [r for r in results if r.outcome is outcome] for outcome in Outcome}


def verdict_counts(files: list[CheckedFile]) -> dict[Verdict, int]:
    return {verdict: sum(f.verdict is verdict for f in files) for verdict in Verdict}


def preview_frame(table: ValidTable) -> pd.DataFrame:
    """A validated table under its Chinese headers: rates as percentages, periods and months as people write them."""
    kind = table.kind
    frame = table.frame.copy()
    for column in kind.columns:
        if column.kind is ValueKind.RATE:
            frame[column.key] = [None if v is None else f"{v:.2%}" for v in frame[column.key]]
        elif column.kind is ValueKind.MONTH:
            frame[column.key] = [None if v is None else month_label(int(v)) for v in frame[column.key]]
        elif column.kind is ValueKind.PERIOD:
            frame[column.key] = [None if v is None else v.label for v in frame[column.key]]
    names = {column.key: column.name for column in kind.columns}
    ordered = ["row", *names]
    return frame[ordered].rename(columns={"row": "行号", **names})


# -- history ----------------------------------------------------------------------------------------------------

HISTORY_COLUMNS = ["编号", "单位", "报表", "期间", "文件", "上传人", "上传时间", "行数", "状态", "哈希"]
CURRENT = "当前"
WITHDRAWN = "已撤销"


def history_table(history: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """Every submission, newest first: who, what, which months, from which file, and whether it still counts."""
    if history.empty:
        return pd.DataFrame(columns=[*HISTORY_COLUMNS, "单位全称", "file_id", "kind"])
    short = {unit.name: unit.short_name for unit in registry.units}
    out = pd.DataFrame(
        {
            "编号": history["id"].astype("int64"),
            "单位": [short.get(u, u) for u in history["unit"]],
            "报表": [SHEET_KIND_BY_KEY[k].name for k in history["kind"]],
            "期间": [Period(int(s), int(e)).label for s, e in zip(history["period_start"], history["period_end"])],
            "文件": history["file"],
            "上传人": history["created_by"],
            "上传时间": pd.to_datetime(history["created_at"]),
            "行数": history["rows"].astype("int64"),
            "状态": [_state(bool(d), r) for d, r in zip(history["deleted"], history["replaced_by"])],
            "哈希": [str(h)[:12] for h in history["sha256"]],
            "单位全称": history["unit"],
            "file_id": history["file_id"].astype("int64"),
            "kind": history["kind"],
        }
    )
    return out.reset_index(drop=True)


def unit_kind_history(history: pd.DataFrame, unit: str, kind: str) -> pd.DataFrame:
    """One unit's submissions of one sheet kind, from ``history_table``."""
    return history[(history["单位全称"] == unit) & (history["kind"] == kind)]


def search_history(history: pd.DataFrame, query: str, registry: Registry | None = None) -> pd.DataFrame:
    """The submissions whose unit (short or full name), sheet kind, period, file, uploader or state contain ``query``;
    a word the registry matches (「人社局」, an alias) finds all of that unit's submissions."""
    words = query.split()
    if not words:
        return history
    text = history[["单位", "单位全称", "报表", "期间", "文件", "上传人", "状态"]].astype(str).agg(" ".join, axis=1)
    hits = pd.Series(True, index=history.index)
    for word in words:
        found = text.str.contains(word, case=False, regex=False)
        unit = registry.match(word) if registry is not None else None
        if unit is not None:
            found |= history["单位全称"] == unit.name
        hits &= found
    return history[hits]


def _state(deleted: bool, replaced_by: object) -> str:
    if deleted:
        return WITHDRAWN
    if replaced_by is not None and not pd.isna(replaced_by):
        return f"已被 #{int(replaced_by)} 替换"
    return CURRENT


# -- export -----------------------------------------------------------------------------------------------------


def export_name(stamp: str) -> str:
    return f"全部数据_{stamp}.xlsx"


def export_all(store: Store, history: pd.DataFrame) -> bytes:
    """Every row that counts now, a sheet per sheet kind, each row with its file (named by ``history``), sheet and row."""
    files = dict(zip(history.get("file_id", []), history.get("file", [])))
    submissions = store.submissions()
    sheets = {
        kind.name: stored_rows_frame(kind, store.current_rows(kind.key, submissions), files) for kind in SHEET_KINDS
    }
    rates = {c.name: RATE_FORMAT for kind in SHEET_KINDS for c in kind.columns if c.kind is ValueKind.RATE}
    return frames_to_xlsx(sheets, formats=rates)


def stored_rows_frame(kind: SheetKind, rows: pd.DataFrame, files: dict[int, str]) -> pd.DataFrame:
    """Stored rows under the contract's column names, then where each came from."""
    out = pd.DataFrame(index=rows.index)
    for column in kind.columns:
        if column.kind is ValueKind.PERIOD:
            out[column.name] = [
                Period(int(s), int(e)).label for s, e in zip(rows.get("period_start", []), rows.get("period_end", []))
            ]
        elif column.kind is ValueKind.MONTH:
            out[column.name] = [month_label(int(m)) for m in rows.get(column.key, [])]
        else:
            out[column.name] = rows.get(column.key)
    out["来源文件"] = [files.get(f, "") for f in rows.get("file_id", [])]
    out["工作表"] = rows.get("sheet")
    out["行号"] = rows.get("row")
    out["报送编号"] = rows.get("submission_id")
    return out.reset_index(drop=True)


# -- registry ---------------------------------------------------------------------------------------------------


def registry_table(registry: Registry) -> pd.DataFrame:
    frame = registry.frame.rename(
        columns={"unit": "单位全称", "short_name": "单位简称", "category": "单位类别", "aliases": "别名"}
    )
    return frame[list(REGISTRY_COLUMNS)]


def read_registry_upload(data: bytes, name: str) -> tuple[bytes, Registry]:
    """A new registry from an uploaded .csv, .xlsx or .xls (first sheet): its CSV bytes and the checked registry.

    Raises ``RegistryError`` with every problem found.
    """
    if PurePath(name).suffix.lower() in (".xlsx", ".xls", ".xlsm", ".ods"):
        data = _first_sheet_as_csv(data, name)
    return data, parse_registry(data, name)


@dataclass(frozen=True)
class RegistryUpload:
    """A checked units file: its CSV bytes and the registry it makes, or every problem it has."""

    name: str
    csv_bytes: bytes
    registry: Registry | None
    problems: pd.DataFrame  # 行号, 值, 说明 of each problem; empty when the file is good


def check_registry_upload(data: bytes, name: str) -> RegistryUpload:
    try:
        csv_bytes, registry = read_registry_upload(data, name)
    except RegistryError as problem:
        return RegistryUpload(name, data, None, findings_frame(problem.findings)[["行号", "值", "说明"]])
    return RegistryUpload(name, csv_bytes, registry, pd.DataFrame(columns=["行号", "值", "说明"]))


def _first_sheet_as_csv(data: bytes, name: str) -> bytes:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (python_calamine.CalamineError, ValueError, OSError, IndexError):
        raise RegistryError(
            [Finding(Level.ERROR, name, "名录文件无法打开，请另存为 .xlsx 或 UTF-8 .csv 后上传。")]
        ) from None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if cell is None else _cell_text(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def _cell_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def registry_changes(old: Registry, new: Registry) -> pd.DataFrame:
    """What replacing ``old`` by ``new`` changes: units added, removed, or moved to another category."""
    rows = []
    for unit in new.units:
        before = old.by_name.get(unit.name)
        if before is None:
            rows.append(("新增", unit.name, unit.category))
        elif before.category != unit.category:
            rows.append(("类别变更", unit.name, f"{before.category} → {unit.category}"))
    rows += [("删除", unit.name, unit.category) for unit in old.units if unit.name not in new.by_name]
    return pd.DataFrame(rows, columns=["变化", "单位全称", "单位类别"])


def registry_history_table(history: pd.DataFrame) -> pd.DataFrame:
    return history.rename(
        columns={"id": "编号", "name": "文件", "units": "单位数", "uploaded_at": "上传时间", "uploaded_by": "上传人"}
    )
