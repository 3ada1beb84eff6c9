"""Returns in and out of the store: ``ingest`` and ``init --sample``, which figures count for the hotline
(``hotline-source``), the submissions' ``history``, ``restore`` and ``delete``, and the generated part of the
filling-in guide (``docs``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from lingyi.cli.shared import STORE_UNAVAILABLE, ArgumentProblem, parsed, store_of
from lingyi.contract import HOTLINE_SOURCES
from lingyi.errors import Level
from lingyi.intake import samples, ticket_files
from lingyi.intake.ingest import OUTCOME_LABELS, IngestResult, Outcome, Upload, ingest_files
from lingyi.intake.workers import folder_workers
from lingyi.store import Store
from lingyi.store.faults import unavailable
from lingyi.values import parse_period


def expand(paths: Iterable[str]) -> list[Path]:
    """Files as given, and the return files inside each folder, in name order."""
    found: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found.extend(samples.return_files(path))
        elif path.is_file():
            found.append(path)
        else:
            raise ArgumentProblem(f"找不到文件或文件夹：{text}")
    return found


def run_ingest(args: argparse.Namespace) -> int:
    period = parsed(parse_period, "--period", args.period)
    files = expand(args.files)
    if not files:
        raise ArgumentProblem(f"{'、'.join(args.files)} 中没有报表文件（.xlsx .xlsm .xls .ods .csv）。")
    store = store_of(args)
    registry = store.registry()
    only_unit = _unit_of_filler(store, args.user)
    results = []
    # Stored in batches (a transaction for many files, each file whole or not at all); a line per file once stored.
    # A big 12345 ticket export says how far its reading has got, on standard error.
    fault = None
    try:
        with ticket_files.reporting(_progress_printer()):
            for _ in _ingest_lines(store, files, registry, period, only_unit, args, results):
                pass
    except Exception as exc:
        fault = unavailable(exc, store.url)
        if fault is None:
            raise
    _print_findings(results, verbose=args.verbose)
    accepted = sum(r.outcome in (Outcome.ACCEPTED, Outcome.CHECKED) for r in results)
    unchanged = sum(r.outcome is Outcome.UNCHANGED for r in results)
    rejected = sum(r.outcome is Outcome.REJECTED for r in results)
    stored = f"可入库 {accepted}（试运行，未入库）" if args.dry_run else f"入库 {accepted}"
    if fault is not None:  # what was committed before the fault stays; the rest waits for the same command again
        first, done = files[len(results)].name, len(results)
        if args.dry_run or accepted != done:
            so_far = f"前 {done} 个文件已处理（{stored}，无变化 {unchanged}，拒收 {rejected}）"
        else:
            so_far = f"已入库 {done} 个文件"
        print(
            f"{fault.reason}：{so_far}，第 {done + 1} 个「{first}」起未入库，"
            "请在数据库恢复后重新运行同一命令（已入库的会显示「无变化」）。",
            file=sys.stderr,
        )
        left = len(files) - len(results)
        print(f"共 {len(files)} 个文件：{stored}，无变化 {unchanged}，拒收 {rejected}，未入库 {left}。")
        return STORE_UNAVAILABLE
    print(f"共 {len(results)} 个文件：{stored}，无变化 {unchanged}，拒收 {rejected}。")
    return 1 if rejected else 0


def _ingest_lines(store, files, registry, period, only_unit, args, results):
    for result in ingest_files(
        store,
        (Upload(path.read_bytes(), path.name) for path in files),
        registry=registry,
        period=period,
        only_unit=only_unit,
        dry_run=args.dry_run,
        user=args.user,
        workers=folder_workers() if len(files) > 1 else 1,
    ):
        results.append(result)
        print(_result_line(result), flush=True)
        yield result


def _progress_printer():
    """A line on standard error for each further tenth of a ticket export read."""
    shown = {"tenth": -1}

    def progress(fraction: float, text: str) -> None:
        tenth = int(fraction * 10)
        if tenth > shown["tenth"]:
            shown["tenth"] = tenth
            print(f"  {text}", file=sys.stderr, flush=True)
        if fraction >= 1.0:
            shown["tenth"] = -1  # the next file starts again

    return progress


HOTLINE_SOURCE_WORDS = {"工单": "tickets", "报表": "returns", "最新": "newest"}


def run_hotline_source(args: argparse.Namespace) -> int:
    store = store_of(args)
    if args.source:
        store.set_hotline_source(HOTLINE_SOURCE_WORDS.get(args.source, args.source), user=args.user)
    print(f"热线数据来源：{HOTLINE_SOURCES[store.hotline_source()]}")
    return 0


def _unit_of_filler(store: Store, name: str) -> str | None:
    """A 单位填报员 named by --user writes their own unit's rows only, here as on the upload page."""
    from lingyi.access import auth

    found = auth.users(store)
    found = found[(found["name"] == name) & (found["role"] == auth.Role.UNIT.value)]
    return None if found.empty else str(found["unit"].iloc[0])


def _result_line(result: IngestResult) -> str:
    counts = "、".join(f"{kind} {rows:,}行" for kind, rows in result.counts.items())
    # Spec §6 names three outcomes; a --dry-run file that would be stored is "accepted", its label says 试运行.
    word = Outcome.ACCEPTED if result.outcome is Outcome.CHECKED else result.outcome
    parts = [f"{word.value:<9} {result.file}", OUTCOME_LABELS[result.outcome]]
    if counts and result.outcome is not Outcome.UNCHANGED:
        parts.append(counts)
    if result.errors:
        parts.append(f"错误 {len(result.errors)}")
    if result.warnings:
        parts.append(f"警告 {len(result.warnings)}")
    if result.message:
        parts.append(result.message)
    parts.extend(result.batch_notes)
    replaced = result.replacements
    if len(replaced) == 1:
        parts.append(_replaced_now(result, replaced[0].summary))
    elif replaced:
        total = sum(len(r.replaced) for r in replaced)
        parts.append(_replaced_now(result, f"将替换 {total} 份报送（{len(replaced)} 个单位或报表）"))
    # Each earlier submission the file takes the place of, with the change to the unit's figure (spec §4).
    details = [f"    {_replaced_now(result, line)}" for r in replaced for line in r.lines()]
    return "\n".join(["  ".join(parts), *details])


def _replaced_now(result: IngestResult, text: str) -> str:
    """「将替换」 before the file is stored (--dry-run), 「已替换」 once it is."""
    return text.replace("将替换", "已替换") if result.outcome is Outcome.ACCEPTED else text


def _print_findings(results: list[IngestResult], *, verbose: bool) -> None:
    shown = [
        f
        for r in results
        for f in r.findings
        if f.level in (Level.ERROR, Level.WARNING) or (verbose and f.level is Level.NOTICE)
    ]
    if shown:
        print()
    for finding in shown:
        print(finding)


def run_init(args: argparse.Namespace) -> int:
    store = store_of(args)
    print(f"数据库已就绪：{store.url}")
    if not args.sample:
        return 0
    if not samples.SAMPLE_RETURNS.is_dir():
        raise ArgumentProblem(f"找不到示例数据文件夹 {samples.SAMPLE_RETURNS}；请先运行 python -m sample_data.generate")
    load = samples.load_samples(store)
    for result in load.rejected:
        print(_result_line(result))
    _print_findings(load.rejected, verbose=False)
    print(
        f"示例数据：{len(load.results)} 个文件，入库 {load.accepted}，无变化 {load.unchanged}，拒收 {len(load.rejected)}。"
    )
    return 1 if load.rejected else 0


def run_history(args: argparse.Namespace) -> int:
    store = store_of(args)
    history = store.history()
    if args.unit:
        history = history[history["unit"] == store.registry().resolve(args.unit).name]
    if history.empty:
        print("还没有任何报送。")
        return 0
    for _, row in history.iterrows():
        state = "已撤销" if row["deleted"] else (f"被 #{row['replaced_by']} 替代" if row["replaced_by"] else "当前")
        print(
            f"#{row['id']:<6} {row['unit']}  {row['kind']}  {row['period_start']}-{row['period_end']}  "
            f"{row['rows']}行  {row['file']}  {row['created_at']:%Y-%m-%d %H:%M}  {row['created_by']}  {state}"
        )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    store_of(args).restore(args.submission, user=args.user)
    print(f"报送 #{args.submission} 已恢复为当前版本。")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    store_of(args).delete(args.submission, user=args.user)
    print(f"报送 #{args.submission} 已撤销。")
    return 0


DOCS_FILE = Path(__file__).resolve().parents[2] / "docs" / "填报说明.md"


def run_docs(_args: argparse.Namespace) -> int:
    from lingyi.intake.instructions import DOC_BEGIN, DOC_END, contract_markdown

    text = DOCS_FILE.read_text(encoding="utf-8")
    head, _, rest = text.partition(DOC_BEGIN)
    _, _, tail = rest.partition(DOC_END)
    DOCS_FILE.write_text(f"{head}{DOC_BEGIN}\n\n{contract_markdown()}\n{DOC_END}{tail}", encoding="utf-8")
    print(f"已更新 {DOCS_FILE}")
    return 0
