"""Twenty leaders at once (issue 22): twenty browser sessions open the overview together on one server, 2 cores.

    .venv/bin/python -m bench.bench_load [--sessions 20] [--rounds 3]

Each round opens ``--sessions`` new browser contexts (no cookie, no cache) on the overview at the same moment, on a
server that has served the page once before (as on a working day), and times each from ``goto`` until every chart
is drawn and the script is idle (bench/bench_browser.py's "drawn"). The server's resident memory (its process and
children, from /proc) is read after each round. Only 127.0.0.1 is ever addressed. Results go to
bench/results/load.json; ``python -m bench.report`` writes them into bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path

from playwright.async_api import async_playwright

from bench.bench_browser import CHROMIUM, CHROMIUM_ARGS, DRAWN, SERVER_LOG, TIMEOUT_S, VIEWPORT, _store_url
from tests.e2e.server import Server

RESULTS = Path(__file__).resolve().parent / "results" / "load.json"


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_cpu_seconds() -> tuple[float, float]:
    """CPU time the whole machine has spent busy, and in all, so far (every core)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / CLOCK_TICKS, sum(ticks) / CLOCK_TICKS


def resident_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, StopIteration):
            continue
        pending += [int(child) for child in children]
    return total / 1024


async def one_visit(browser, url: str) -> float | None:
    context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = await context.new_page()
    start = time.monotonic()
    await page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
    idle_since = None
    try:
        while time.monotonic() - start < TIMEOUT_S:
            state = await page.evaluate(DRAWN)
            now = time.monotonic()
            if (
                state["heading"] == "总览"
                and not state["running"]
                and state["plots"]
                and state["plots"] == state["drawn"]
            ):
                idle_since = idle_since or now
                if now - idle_since >= 0.4:
                    return idle_since - start
            else:
                idle_since = None
            await page.wait_for_timeout(250)
        return None  # not drawn within TIMEOUT_S: counted apart, never as a time
    finally:
        await context.close()


async def measure(sessions: int, rounds: int) -> dict:
    server = Server(_store_url(), SERVER_LOG)
    url = server.page_url("overview")
    times: list[float | None] = []
    memory: list[float] = []
    server_cpu = machine_busy = machine_all = 0.0
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            await one_visit(browser, url)  # the server has served the page once: its dataset is loaded
            for _ in range(rounds):
                server_before, (busy_before, all_before) = cpu_seconds(server.process.pid), machine_cpu_seconds()
                times += await asyncio.gather(*(one_visit(browser, url) for _ in range(sessions)))
                busy_after, all_after = machine_cpu_seconds()
                server_cpu += cpu_seconds(server.process.pid) - server_before
                machine_busy, machine_all = (
                    machine_busy + busy_after - busy_before,
                    machine_all + all_after - all_before,
                )
                memory.append(resident_mb(server.process.pid))
            await browser.close()
    finally:
        server.stop()
    ordered = sorted(t for t in times if t is not None)
    if not ordered:
        return {"sessions": sessions, "rounds": rounds, "not_drawn_in_s": TIMEOUT_S, "not_drawn": len(times)}
    return {
        "sessions": sessions,
        "rounds": rounds,
        "p50_s": round(statistics.median(ordered), 2),
        "p95_s": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 2),
        "max_s": round(ordered[-1], 2),
        "server_resident_mb": round(max(memory)),
        # Where the CPU went: the server's share per visit, and how busy the machine's cores were meanwhile (the
        # browsers run on the same cores here; at the city they run on the leaders' own PCs).
        "server_cpu_s_per_visit": round(server_cpu / len(times), 2),
        "machine_busy_pct": round(100 * machine_busy / machine_all) if machine_all else None,
        "not_drawn": sum(t is None for t in times),  # sessions not drawn within TIMEOUT_S
        "timeout_s": TIMEOUT_S,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results = asyncio.run(measure(args.sessions, args.rounds))
    print(results)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
