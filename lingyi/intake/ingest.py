"""Files in: read, validate, store each whole or not at all (spec §4). Used by the pages and the command line.

``ingest_file`` takes one file; ``ingest_files`` takes a folder's worth, with the same result for each file,
reading and validating outside any lock and storing many files per transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePath

from sqlalchemy.exc import SQLAlchemyError

from lingyi.contract import SHEET_KIND_BY_KEY
from lingyi.errors import FileRejected, Finding, Level, StoreError
from lingyi.intake import replacements, ticket_checks, tickets
from lingyi.intake.files import WorkbookZip
from lingyi.intake.outliers import outlier_findings
from lingyi.intake.prior_year import prior_year_conflicts
from lingyi.intake.reading import read_file
from lingyi.intake.replacements import Replacement
from lingyi.intake.submissions import build_submissions
from lingyi.intake.valid import ValidatedFile
from lingyi.intake.validation import validate
from lingyi.intake.workers import Checks, Share
from lingyi.registry import Registry
from lingyi.store import Batch, Store, sha256
from lingyi.values import Period

LOG = logging.getLogger(__name__)


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"
    CHECKED = "checked"  # would be accepted; --dry-run stored nothing


OUTCOME_LABELS = {
    Outcome.ACCEPTED: "已入库",
    Outcome.UNCHANGED: "无变化",
    Outcome.REJECTED: "有错误，未入库",
    Outcome.CHECKED: "可入库（试运行，未入库）",
}


@dataclass
class IngestResult:
    file: str
    outcome: Outcome
    counts: dict[str, int] = field(default_factory=dict)  # sheet kind name → rows
    findings: list[Finding] = field(default_factory=list)
    submission_ids: list[int] = field(default_factory=list)
    validated: ValidatedFile | None = None
    message: str = ""
    # What the file replaces (or, after --dry-run, would replace), said before and when it is stored (spec §4).
    replacements: list[Replacement] = field(default_factory=list)
    # Files of the same batch for the same unit, kind and period: 「同一批中…」 on both lines.
    batch_notes: list[str] = field(default_factory=list)
    # (unit, kind, period) of each submission the file makes or, after --dry-run, would make.
    covers: list[tuple[str, str, Period]] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.WARNING]


@dataclass(frozen=True)
class Upload:
    """One file for ``ingest_files``: its bytes, its name, when it arrived (now, if not given), and the unit of its
    rows where it has no 单位名称 column and names no 填报单位 (chosen on the upload page), if not the batch's."""

    data: bytes
    name: str
    received_at: dt.datetime | None = None
    default_unit: str | None = None


# Files go to the store in batches of one transaction each: at most this many files, and a batch ends with the
# file that brings its files to this many bytes (a big ledger is a batch of its own).
BATCH_FILES = 200


BATCH_BYTES = 4 * 1024 * 1024


def check_file(
    data: bytes,
    name: str,
    registry: Registry,
    *,
    store: Store | None = None,
    period: Period | None = None,
    default_unit: str | None = None,
    only_unit: str | None = None,
) -> ValidatedFile:
    """Read and validate without storing; a file that cannot be read at all gives one error.

    ``only_unit`` is the one unit a 单位填报员 may report for: a row of any other unit is an error.
    """
    validated = _check_alone(data, name, registry, period=period, default_unit=default_unit, only_unit=only_unit)
    _check_against(validated, store)
    return validated


def _check_alone(
    data: bytes,
    name: str,
    registry: Registry,
    *,
    period: Period | None,
    default_unit: str | None,
    only_unit: str | None,
) -> ValidatedFile:
    """The checks that need the file alone: reading, validation, the units a 单位填报员 may report for."""
    opened = WorkbookZip(data)  # looked into by the ticket sniff, then by the reader
    with _no_cycle_collection():
        validated = tickets.check_export(data, name, registry, period=period, opened=opened)  # 12345 工单, or None
        if validated is None:
            try:
                read = read_file(data, name, opened=opened)
            except FileRejected as rejected:
                return ValidatedFile(rejected.finding.file, [], [rejected.finding], refused=True)
            validated = validate(read, registry, period=period, default_unit=default_unit)
        if only_unit is not None:
            validated.findings.extend(_rows_of_other_units(validated, only_unit))
        return validated


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's collector of reference cycles paused while one file is read, checked or stored: a ledger's millions
    of cells (lists, strings, dates) hold no cycles, and scanning them again and again cost a tenth of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_against(validated: ValidatedFile, store: Store | Batch | None) -> None:
    """The checks against what is stored (上年同期, outliers); without a store, outliers within the file."""
    hotline_units = sorted({u for t in validated.tables if t.kind.key == "hotline" for u in t.values["unit"] if u})
    stored = store.current_hotline(hotline_units) if store is not None and hotline_units else {}
    if store is not None and validated.ok:
        validated.findings.extend(prior_year_conflicts(validated, stored))
    learning = any(t.kind.key == "learning" for t in validated.tables)
    headcounts = store.headcounts() if store is not None and learning else {}
    appeals = {key: record["appeals"] for key, record in stored.items()}
    validated.findings.extend(outlier_findings(validated, appeals, headcounts))
    validated.findings.extend(ticket_checks.disagreement_findings(validated, store))


def ingest_file(
    store: Store,
    data: bytes,
    name: str,
    *,
    registry: Registry | None = None,
    period: Period | None = None,
    default_unit: str | None = None,
    only_unit: str | None = None,
    dry_run: bool = False,
    user: str = "cli",
    received_at: dt.datetime | None = None,
) -> IngestResult:
    """Check one file against the contract and the store, and store it if it has no error."""
    (result,) = ingest_files(
        store,
        [Upload(data, name, received_at)],
        registry=registry,
        period=period,
        default_unit=default_unit,
        only_unit=only_unit,
        dry_run=dry_run,
        user=user,
    )
    return result


def ingest_files(
    store: Store,
    uploads: Iterable[Upload],
    *,
    registry: Registry | None = None,
    period: Period | None = None,
    default_unit: str | None = None,
    only_unit: str | None = None,
    dry_run: bool = False,
    user: str = "cli",
    workers: int = 1,
) -> Iterator[IngestResult]:
    """Ingest files in order, each stored whole or not at all: the results are those of ``ingest_file`` on each
    in turn (a file is checked against the store with every file before it in it).

    The files are read and validated outside any transaction, then stored in batches of one transaction each,
    a savepoint per file, so a folder of small returns costs one commit per batch rather than one per file.
    Each result is yielded once its file is committed. A file the checks or its storing cannot get through (a
    fault of ours, such as a value the code did not expect) is rejected with a finding that names it and the
    fault, which is logged, and the files after it go on. A fault of the store itself (the database cannot be
    written) raises, after the files before it are stored and their results yielded.

    ``workers`` > 1 reads and validates files in that many processes (forked: for the command line, not a
    server with threads) while this one stores them, in the same order and with the same results.
    """
    registry = registry or store.registry()
    options = {"period": period, "default_unit": default_unit, "only_unit": only_unit}
    prepared: list[_Prepared] = []
    size = 0
    same = _SameRun()
    with Checks(_check_alone, registry, options, workers) as checks:
        remaining = _prepared_in_order(store, uploads, checks)
        if checks.workers > 1:
            yield from _stored_as_they_come(store, remaining, dry_run=dry_run, user=user, same=same)
            return
        while True:
            try:
                item = next(remaining, None)
                if item is None:
                    break
            except Exception:
                yield from _store_batch(store, prepared, dry_run=dry_run, user=user, same=same)
                raise
            prepared.append(item)
            size += len(item.upload.data)
            if len(prepared) >= BATCH_FILES or size >= BATCH_BYTES:
                yield from _store_batch(store, prepared, dry_run=dry_run, user=user, same=same)
                prepared, size = [], 0
        yield from _store_batch(store, prepared, dry_run=dry_run, user=user, same=same)


# Files checked ahead of the one being stored, per worker, and their bytes in all: enough to keep the workers busy
# while this process stores in bursts (a commit, a batch's results handed on), few enough in memory.
POOL_AHEAD = 64


POOL_AHEAD_BYTES = 64 * 1024 * 1024


def _prepared_in_order(store: Store, uploads: Iterable[Upload], checks: Checks) -> Iterator[_Prepared]:
    """Each upload's checks that need no lock, in the uploads' order: byte-identical to a stored file, or else read
    and validated (up to ``POOL_AHEAD`` files a worker, and ``POOL_AHEAD_BYTES`` in all, ahead of the one handed
    on)."""
    ahead: deque[tuple[Upload, str, Future | Share | IngestResult]] = deque()
    window = checks.workers * POOL_AHEAD if checks.workers > 1 else 1
    size = 0  # the bytes of the files ahead
    stored = _StoredFiles(store, checks.options["only_unit"])
    for upload in uploads:
        digest = sha256(upload.data)
        unchanged = stored.unchanged(upload.name, digest)
        ahead.append(
            (
                upload,
                digest,
                unchanged if unchanged is not None else checks.submit(upload.data, upload.name, upload.default_unit),
            )
        )
        size += len(upload.data)
        while len(ahead) >= window or (len(ahead) > 1 and size > POOL_AHEAD_BYTES):
            size -= len(ahead[0][0].data)
            yield _taken(*ahead.popleft(), stored.only_unit)
    checks.send()
    while ahead:
        yield _taken(*ahead.popleft(), stored.only_unit)


class _StoredFiles:
    """Whether an upload is byte-identical to a live stored file, asked before the store is locked (a live file
    stays live while nothing is withdrawn, so the verdict holds once it is): the first upload's on its own, the
    rest from one look at every live file, as a statement for each file of a folder cost more than its answer."""

    def __init__(self, store: Store, only_unit: str | None = None):
        self.store = store
        self.only_unit = only_unit  # a 单位填报员's unit: another unit's file is refused, not 无变化
        self.asked = False
        self.live: dict[str, str] | None = None  # name by digest

    def unchanged(self, name: str, digest: str) -> IngestResult | None:
        if not self.asked or self.only_unit is not None:  # a filler's few files: each asked with its units
            self.asked = True
            return _unchanged(self.store, name, digest, self.only_unit)
        if self.live is None:
            self.live = self.store.live_files()
        known = self.live.get(digest)
        return None if known is None else _unchanged_result(name, known)


def _taken(
    upload: Upload, digest: str, check: Future | Share | IngestResult, only_unit: str | None = None
) -> _Prepared:
    if isinstance(check, IngestResult):
        return _Prepared(upload, digest, result=check, only_unit=only_unit)
    try:
        validated = check.result()
    except Exception as exc:  # noqa: BLE001 - a fault of ours with this file: this file is refused, the rest go on
        name = PurePath(upload.name).name
        validated = ValidatedFile(name, [], [_fault(name, exc, "检查")], refused=True)
    return _Prepared(upload, digest, validated, only_unit=only_unit)


def _fault(name: str, exc: Exception, doing: str) -> Finding:
    """The finding that refuses a file a fault of ours stopped (logged with its traceback)."""
    LOG.error("文件「%s」%s时程序出错", name, doing, exc_info=exc)
    return Finding(
        Level.ERROR,
        name,
        f"文件{doing}时程序出错（{type(exc).__name__}: {exc}），本文件未入库，同批其他文件照常处理。"
        "请把此文件发给系统管理员查看。",
    )


def _finished(view: Store | Batch, item: _Prepared, *, dry_run: bool, user: str) -> IngestResult:
    """``_finish``; a fault of ours with this file refuses it alone (its savepoint has left nothing of it), while a
    fault of the store raises."""
    try:
        return _finish(view, item, dry_run=dry_run, user=user)
    except (SQLAlchemyError, StoreError):
        raise
    except Exception as exc:  # noqa: BLE001 - this file's fault, told in its own result
        name = PurePath(item.upload.name).name
        return IngestResult(name, Outcome.REJECTED, findings=[_fault(name, exc, "入库")])


@dataclass
class _Prepared:
    upload: Upload
    digest: str
    validated: ValidatedFile | None = None
    result: IngestResult | None = None  # decided before the store is locked: unchanged
    only_unit: str | None = None  # the one unit a 单位填报员 may report for


def _unchanged(store: Store, name: str, digest: str, only_unit: str | None = None) -> IngestResult | None:
    known = store.file_by_hash(digest)
    if known is None or not known["live"]:
        return None
    return _unchanged_result(name, known["name"]) if only_unit is None else _known_to(store, name, known, only_unit)


def another_units_file(store: Store | Batch, name: str, file_id: int, only_unit: str) -> Finding | None:
    """Where the bytes a 单位填报员 bound to ``only_unit`` uploads are a stored file with another unit's data: the
    error that refuses it, as a copy of it with a cell changed is refused. Only its units are named, not the stored
    file's name: that is another unit's business."""
    others = [unit for unit in store.file_units(file_id) if unit != only_unit]
    if not others:
        return None
    return Finding(
        Level.ERROR,
        PurePath(name).name,
        f"本账号只能报送「{only_unit}」的数据，这个文件已作为「{'」「'.join(others)}」的数据入库，不能再以本单位名义上传。",
    )


def _known_to(view: Store | Batch, name: str, known: dict, only_unit: str) -> IngestResult:
    """A live stored file's bytes again, from a filler bound to ``only_unit``: 无变化 only where it is theirs."""
    finding = another_units_file(view, name, known["id"], only_unit)
    if finding is None:
        return _unchanged_result(name, known["name"])
    return IngestResult(finding.file, Outcome.REJECTED, findings=[finding])


def _unchanged_result(name: str, stored_name: str) -> IngestResult:
    return IngestResult(name, Outcome.UNCHANGED, message=f"与已入库的文件「{stored_name}」完全相同，未作任何改动。")


def _stored_as_they_come(
    store: Store, remaining: Iterator[_Prepared], *, dry_run: bool, user: str, same: _SameRun
) -> Iterator[IngestResult]:
    """Each prepared file finished as soon as the workers hand it on, so that storing one goes on while they read
    the next (taking a whole batch first, then storing it, left the workers idle while this process stored and
    this one idle while they read); a batch is committed, and its results yielded, at ``BATCH_FILES`` files or
    ``BATCH_BYTES``. As with ``_store_batch``, a fault raises once the files before it are committed."""
    while True:
        first = next(remaining, None)  # a fault here has no file before it left to commit
        if first is None:
            return
        results: list[IngestResult] = []
        failure: Exception | None = None
        size = 0
        item: _Prepared | None = first
        with contextlib.nullcontext(store) if dry_run else store.batch() as view:
            while item is not None:
                try:
                    results.append(item.result or _finished(view, item, dry_run=dry_run, user=user))
                    same.note(results[-1])
                except Exception as exc:  # noqa: BLE001 - raised again below, once the files before it are committed
                    failure = exc
                    break
                size += len(item.upload.data)
                if len(results) >= BATCH_FILES or size >= BATCH_BYTES:
                    break
                try:
                    item = next(remaining, None)
                except Exception as exc:  # noqa: BLE001 - as above
                    failure = exc
                    break
            exhausted = item is None
        yield from results
        if failure is not None:
            raise failure
        if exhausted:
            return


def _store_batch(
    store: Store, prepared: list[_Prepared], *, dry_run: bool, user: str, same: _SameRun
) -> Iterator[IngestResult]:
    """Finish the prepared files in one transaction; the results come once it is committed."""
    if not prepared:
        return
    results: list[IngestResult] = []
    failure: Exception | None = None
    with contextlib.nullcontext(store) if dry_run else store.batch() as view:
        for item in prepared:
            try:
                results.append(item.result or _finished(view, item, dry_run=dry_run, user=user))
                same.note(results[-1])
            except Exception as exc:  # noqa: BLE001 - raised again below, once the files before it are committed
                failure = exc
                break
    yield from results
    if failure is not None:
        raise failure


class _SameRun:
    """The files of one run that cover the same unit, kind and period (spec §4): both are checked, the later one in
    the run's order wins, and both lines say so."""

    def __init__(self) -> None:
        self.earlier: dict[tuple[str, str], list[tuple[Period, IngestResult]]] = defaultdict(list)

    def note(self, result: IngestResult) -> None:
        for unit, kind, period in result.covers:
            for other_period, other in self.earlier[(unit, kind)]:
                if other is result or not other_period.overlaps(period):
                    continue
                what = f"{unit} {SHEET_KIND_BY_KEY[kind].name} {period.label}"
                _add_once(other.batch_notes, f"同一批中后面的「{result.file}」也报送了{what}，以后者为准")
                _add_once(result.batch_notes, f"同一批中前面的「{other.file}」也报送了{what}，以本文件为准")
            self.earlier[(unit, kind)].append((period, result))


def _add_once(notes: list[str], note: str) -> None:
    if note not in notes:
        notes.append(note)


def _finish(view: Store | Batch, item: _Prepared, *, dry_run: bool, user: str) -> IngestResult:
    """The checks against the store and, if the file passes, its storing (in the batch's savepoint)."""
    upload, validated = item.upload, item.validated
    # Again under the lock: a file of this batch, or another writer, may have stored the same bytes since.
    known = view.file_by_hash(item.digest)
    if known is not None and known["live"]:
        if item.only_unit is None:
            return _unchanged_result(upload.name, known["name"])
        return _known_to(view, upload.name, known, item.only_unit)
    _check_against(validated, view)
    result = IngestResult(validated.name, Outcome.REJECTED, validated.row_counts(), validated.findings, [], validated)
    if not validated.ok:
        return result
    with _no_cycle_collection():
        submissions = tickets.submissions(validated, build_submissions(validated.tables))
        found = replacements.plan(view, submissions)
    if found.same_as is not None:
        return IngestResult(
            upload.name,
            Outcome.UNCHANGED,
            validated.row_counts(),
            validated.findings,
            validated=validated,
            message=f"数据与已入库的「{found.same_as}」完全相同（文件另存过），未作任何改动。",
        )
    result.replacements = found.replacements
    result.covers = [(sub.unit, sub.kind, sub.period) for sub in submissions]
    if dry_run:
        result.outcome = Outcome.CHECKED
        return result
    with _no_cycle_collection():
        result.submission_ids = view.save_file(
            upload.data,
            validated.name,
            submissions,
            validated.headcount,
            user=user,
            received_at=upload.received_at,
            digest=item.digest,
            stored_id=None if known is None else known["id"],  # looked up under the batch's lock, above
        )
    result.outcome = Outcome.ACCEPTED
    if known is not None:
        result.message = "此前撤销的同一文件已重新入库。"
    return result


def _rows_of_other_units(validated: ValidatedFile, only_unit: str) -> list[Finding]:
    findings = []
    for table in validated.tables:
        rows_of: dict[str, list[int]] = defaultdict(list)
        for unit, row in zip(table.values["unit"], table.values["row"]):
            if unit is not None:
                rows_of[unit].append(row)
        for unit, numbers in rows_of.items():
            if unit == only_unit:
                continue
            shown = "、".join(map(str, numbers[:5])) + ("等" if len(numbers) > 5 else "")
            findings.append(
                Finding(
                    Level.ERROR,
                    validated.name,
                    f"本账号只能报送「{only_unit}」的数据，文件中有「{unit}」的 {len(numbers)} 行（第{shown}行）。",
                    sheet=table.sheet,
                    row=numbers[0],
                    column_name="单位名称",
                    value=str(unit),
                )
            )
    return findings
