"""12345 ticket-export benchmark (issue 11): a generated 1,000,000-ticket export ingested, beside a bare read.

    .venv/bin/python -m bench.bench_tickets [--runs 5] [--rows 1000000]

For each of an .xlsx and a GBK .csv export of the same tickets, runs alternate: the bare read of the file
(python-calamine's ``to_python`` of the sheet; ``pandas.read_csv`` of the CSV, every column as text), then the
whole of ``lingyi.intake.ingest.ingest_file`` into a fresh SQLite store (reading, placing, figures, the checks against
the store, storing file and rows). The machine is shared, so the target is judged on the ratio of each pair run
back to back (bare–ingest, then ingest–bare), and the median over runs is reported; beside the wall-clock
ratio, the ratio of the CPU time each step took (``time.process_time``), which other processes' load disturbs
far less. Peak memory: each export's ingest in a child process of its own (its ru_maxrss). Results go to
bench/results/tickets.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("LINGYI_MAX_UPLOAD_MB", "500")
os.environ.setdefault("LINGYI_MAX_ROWS", "2000000")

import pandas as pd
import python_calamine
import xlsxwriter

from lingyi.contract import TICKET_COLUMNS
from lingyi.intake.ingest import Outcome, ingest_file
from lingyi.registry import default_registry
from lingyi.store import Store

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results"
HEADER = [column.name for column in TICKET_COLUMNS]  # the contract's own header words, in order
TYPES = ("投诉", "求助", "咨询", "建议", "举报", "无效来电")
TARGET_RATIO = 1.5
TARGET_MB = 2048


def _tickets(rows: int):
    """Deterministic tickets of 2025 over all 108 units, named as a platform names them: full and short names,
    aliases and sub-offices (「市民政局社会救助科」)."""
    rng = random.Random(rows)
    names = []
    for unit in default_registry().units:
        names += [unit.name, unit.short_name, *unit.aliases, f"{unit.short_name}办公室"]
    start = dt.datetime(2025, 1, 1, 8)
    for i in range(rows):
        accepted = start + dt.timedelta(seconds=rng.randrange(0, 364 * 86400))
        closed = accepted + dt.timedelta(hours=rng.randrange(1, 240))
        yield [
            f"LY2025{i:08d}",
            accepted,
            closed,
            rng.choice(names),
            rng.choice(TYPES),
            rng.choice(("是", "是", "是", "否", "")),
            rng.choice(("是", "是", "是", "否", "")),
            rng.choice(("满意", "满意", "基本满意", "不满意", "未评价", "")),
            rng.choice(("否", "否", "否", "否", "是")),
            closed + dt.timedelta(days=1),
        ]


def export_xlsx(rows: int) -> Path:
    path = CACHE / f"12345工单_{rows}.xlsx"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("工单明细")
    stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet.write_row(0, 0, HEADER)
    for r, ticket in enumerate(_tickets(rows), start=1):
        for c, value in enumerate(ticket):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(r, c, value, stamp)
            else:
                sheet.write_string(r, c, value)
    workbook.close()
    return path


def export_csv(rows: int) -> Path:
    path = CACHE / f"12345工单_{rows}.csv"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="gbk", newline="") as out:
        out.write(",".join(HEADER) + "\r\n")
        for ticket in _tickets(rows):
            out.write(",".join(v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, dt.datetime) else v for v in ticket))
            out.write("\r\n")
    return path


def bare_read(path: Path) -> int:
    if path.suffix == ".csv":
        return len(pd.read_csv(path, encoding="gbk", dtype=str, keep_default_na=False))
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    return len(workbook.get_sheet_by_index(0).to_python())


def ingest(path: Path) -> tuple[int, int]:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{folder}/bench.db")
        try:
            result = ingest_file(store, path.read_bytes(), path.name, registry=default_registry())
        finally:
            store.close()
    assert result.outcome is Outcome.ACCEPTED, [str(f) for f in result.errors[:5]]
    return result.counts["12345工单"], result.counts["热线指标"]


def timed(action, *args) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, the action's value)."""
    began, cpu = time.perf_counter(), time.process_time()
    value = action(*args)
    return time.perf_counter() - began, time.process_time() - cpu, value


def case(path: Path, runs: int) -> dict:
    """Pairs run back to back, in the order bare–ingest, then ingest–bare, so drift in the load cancels out."""
    bare, ours, ratios, bare_cpu, ours_cpu, cpu_ratios = [], [], [], [], [], []
    for run in range(runs):
        order = ("bare", "ingest") if run % 2 == 0 else ("ingest", "bare")
        measured = {}
        for step in order:
            measured[step] = timed(bare_read, path) if step == "bare" else timed(ingest, path)
        (read_s, read_cpu, _), (ingest_s, ingest_cpu, counts) = measured["bare"], measured["ingest"]
        bare.append(read_s)
        ours.append(ingest_s)
        ratios.append(ingest_s / read_s)
        bare_cpu.append(read_cpu)
        ours_cpu.append(ingest_cpu)
        cpu_ratios.append(ingest_cpu / read_cpu)
    ratio, cpu_ratio = statistics.median(ratios), statistics.median(cpu_ratios)
    return {
        "file": path.name,
        "megabytes": round(path.stat().st_size / 1024**2, 1),
        "tickets": counts[0],
        "hotline_rows": counts[1],
        "runs": runs,
        "bare_read_median_s": round(statistics.median(bare), 2),
        "ingest_median_s": round(statistics.median(ours), 2),
        "ratio_median": round(ratio, 2),
        "ratios": [round(r, 2) for r in ratios],
        "bare_read_cpu_median_s": round(statistics.median(bare_cpu), 2),
        "ingest_cpu_median_s": round(statistics.median(ours_cpu), 2),
        "cpu_ratio_median": round(cpu_ratio, 2),
        "cpu_ratios": [round(r, 2) for r in cpu_ratios],
        "meets_target": ratio <= TARGET_RATIO,
        "meets_target_cpu": cpu_ratio <= TARGET_RATIO,
    }


def peak_memory(path: Path) -> float:
    """Peak resident megabytes of a child process that ingests ``path`` and does nothing else: its VmHWM (not
    ru_maxrss, which on Linux a child started from a big parent inherits from it at the fork)."""
    code = (
        "from pathlib import Path; from bench.bench_tickets import ingest; "
        f"ingest(Path({str(path)!r})); "
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')))"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True, text=True)
    return int(done.stdout.split()[-1]) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--memory-only", action="store_true", help="measure peak memory again, keep the timings")
    parser.add_argument(
        "--exports", nargs="+", choices=["xlsx", "csv"], default=["xlsx", "csv"], help="time only these"
    )
    args = parser.parse_args(argv)
    xlsx, csv_path = export_xlsx(args.rows), export_csv(args.rows)
    results = {"measured": dt.date.today().isoformat(), "target_ratio": TARGET_RATIO, "target_mb": TARGET_MB}
    if args.memory_only or len(args.exports) < 2:
        results = {
            **json.loads((RESULTS / "tickets.json").read_text(encoding="utf-8")),
            "measured": results["measured"],
        }
    timed_exports = [(label, path) for label, path in (("xlsx", xlsx), ("csv", csv_path)) if label in args.exports]
    for label, path in [] if args.memory_only else timed_exports:
        results[label] = case(path, args.runs)
        print(label, results[label], flush=True)
    results["peak_mb_xlsx"] = round(peak_memory(xlsx))
    results["peak_mb_csv"] = round(peak_memory(csv_path))
    results["meets_memory_target"] = max(results["peak_mb_xlsx"], results["peak_mb_csv"]) <= TARGET_MB
    print(results, flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "tickets.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
