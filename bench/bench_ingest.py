"""Ingest benchmarks (issue 2): our ingest beside a bare pandas read of the same files.

    .venv/bin/python -m bench.bench_ingest [--runs 5] [--skip-million]

Cases:
- all of sample_data/returns into a fresh SQLite store;
- a generated 200,000-row 问题清单;
- peak memory of a 1,000,000-row 问题清单 ingest (in a child process, ru_maxrss).

Each timing is the median of several runs. Results go to bench/results/ingest.json and
the table in bench/README.md is written from it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import sqlalchemy as sa

# The benchmark's big ledgers are larger than an upload may be by default (50 MB, 1,100,000 rows); the child
# process that measures the million-row ingest inherits these.
os.environ.setdefault("LINGYI_MAX_UPLOAD_MB", "500")
os.environ.setdefault("LINGYI_MAX_ROWS", "2000000")

from lingyi.intake.ingest import Outcome, Upload, ingest_files
from lingyi.intake.workers import folder_workers
from lingyi.registry import default_registry
from lingyi.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "returns"
CACHE = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results"
PROBLEM_TYPES = ("业务工作", "作风纪律", "服务群众", "党建工作", "安全生产", "其他")


def problem_ledger(rows: int) -> Path:
    """A deterministic 问题清单 of ``rows`` rows, made once and kept in bench/out/."""
    path = CACHE / f"问题清单_{rows}.xlsx"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    rng = random.Random(rows)
    units = [u.short_name for u in default_registry().units]
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("问题清单")
    sheet.append(["单位名称", "问题编号", "问题描述", "问题类别", "发现日期", "整改状态", "化解日期", "溯源环节"])
    start = dt.date(2024, 1, 1)
    for number in range(rows):
        found = start + dt.timedelta(days=rng.randrange(600))
        resolved = rng.random() < 0.9
        sheet.append(
            [
                rng.choice(units),
                f"P{number:07d}",
                f"问题描述{rng.randrange(50_000)}",
                rng.choice(PROBLEM_TYPES),
                found,
                "已化解" if resolved else "化解中",
                found + dt.timedelta(days=rng.randrange(40)) if resolved else None,
                rng.choice(("点题", "破题", "解题", "验题")),
            ]
        )
    workbook.save(path)
    return path


def sample_files() -> list[Path]:
    from lingyi.cli.returns import expand

    return expand([str(SAMPLE)])


def bare_read(paths: list[Path], engine: str) -> None:
    for path in paths:
        if path.suffix.lower() == ".csv":
            data = path.read_bytes()
            try:
                pd.read_csv(path, encoding="utf-8-sig")
            except UnicodeDecodeError:
                pd.read_csv(path, encoding="gb18030")
            del data
        elif engine == "openpyxl" and path.suffix.lower() in (".xls", ".ods"):
            # openpyxl reads neither; pandas' own readers for them stand in.
            pd.read_excel(path, sheet_name=None, engine="xlrd" if path.suffix.lower() == ".xls" else "odf")
        else:
            pd.read_excel(path, sheet_name=None, engine=engine)


def ingest(paths: list[Path], database: str | None = None) -> None:
    """The files into a fresh store as ``python -m lingyi ingest`` stores them: in batches, each file whole, read by
    one worker per core where there is more than one file. ``database``: a PostgreSQL server's URL to make the
    store in (a database of its own, dropped after), else a SQLite file."""
    with tempfile.TemporaryDirectory() as folder, _fresh_database(database, folder) as url:
        store = Store(url)
        registry = store.registry()
        uploads = (Upload(p.read_bytes(), p.name) for p in paths)
        workers = folder_workers() if len(paths) > 1 else 1
        for result in ingest_files(store, uploads, registry=registry, workers=workers):
            if result.outcome is Outcome.REJECTED:
                raise SystemExit(f"{result.file} was rejected: {result.errors[:3]}")
        store.engine.dispose()


@contextlib.contextmanager
def _fresh_database(server: str | None, folder: str) -> Iterator[str]:
    if server is None:
        yield f"sqlite:///{folder}/bench.db"
        return
    base = sa.engine.make_url(server)
    name = f"bench_{os.getpid()}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield base.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        admin.dispose()


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (ingest's workers end with each ingest)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def side_by_side(actions: dict[str, tuple[Callable[[], None], int]]) -> dict[str, float]:
    """Each action's median wall time (and CPU time), the actions taking turns run after run, so that on a shared
    machine each meets the same load as the others: (action, runs) by name."""
    wall: dict[str, list[float]] = {name: [] for name in actions}
    cpu: dict[str, list[float]] = {name: [] for name in actions}
    for turn in range(max(runs for _, runs in actions.values())):
        for name, (action, runs) in actions.items():
            if turn >= runs:
                continue
            start, start_cpu = time.perf_counter(), _cpu_seconds()
            action()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(_cpu_seconds() - start_cpu)
    medians = {name: statistics.median(times) for name, times in wall.items()}
    medians |= {f"{name}_cpu": statistics.median(times) for name, times in cpu.items()}
    return medians


def peak_memory_mb(rows: int, database: str | None = None) -> float:
    """Peak resident memory of a child process that ingests a ``rows``-row ledger (on ``database``, a PostgreSQL
    server's URL, else SQLite; the server's own processes are not counted)."""
    path = problem_ledger(rows)
    code = (
        "import resource, sys; from pathlib import Path; from bench.bench_ingest import ingest; "
        f"ingest([Path({str(path)!r})], {database!r}); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-million", action="store_true")
    parser.add_argument("--only-million", action="store_true", help="measure the 1M-row peak memory alone")
    parser.add_argument("--database", help="the store's SQLAlchemy URL for the 1M-row ingest (default: a SQLite file)")
    args = parser.parse_args()
    # What this run does not measure stays as the last run wrote it (--skip-million, --only-million).
    saved = RESULTS / "ingest.json"
    previous = json.loads(saved.read_text(encoding="utf-8")) if saved.exists() else {}
    results: dict[str, dict[str, float]] = {
        k: v for k, v in previous.items() if k.startswith("problems_1m") != args.only_million and k != "machine"
    }
    cases = {} if args.only_million else {"sample_data": sample_files(), "problems_200k": [problem_ledger(200_000)]}
    for name, paths in cases.items():
        runs = args.runs
        timings = side_by_side(
            {
                "calamine": (lambda p=paths: bare_read(p, "calamine"), runs),
                "ingest": (lambda p=paths: ingest(p), runs),
                "openpyxl": (lambda p=paths: bare_read(p, "openpyxl"), max(1, runs // 2)),
            }
        )
        timings["files"] = len(paths)
        timings["runs"] = runs
        results[name] = timings
        print(name, json.dumps(timings))
    if not args.skip_million:
        results["problems_1m_peak_mb"] = {"peak_mb": peak_memory_mb(1_000_000)}
        print("1m peak MB", results["problems_1m_peak_mb"])
        if args.database:
            results["problems_1m_peak_mb_postgresql"] = {"peak_mb": peak_memory_mb(1_000_000, args.database)}
            print("1m peak MB on PostgreSQL", results["problems_1m_peak_mb_postgresql"])
    results["machine"] = {"cpus": float(len(os.sched_getaffinity(0))), "python": sys.version.split()[0]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ingest.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"max rss of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
