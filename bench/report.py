"""Writes the results table of bench/README.md from bench/results/*.json.

.venv/bin/python -m bench.report
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
BEGIN, END = "<!-- results: written by python -m bench.report -->", "<!-- end of results -->"


def _load(name: str) -> dict:
    path = HERE / "results" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def ingest_table(results: dict) -> list[str]:
    lines = [
        "| case | files | ingest (median) | bare read, calamine | ingest ÷ calamine (target ≤ 1.5) "
        "| bare read, openpyxl | openpyxl ÷ ingest (target ≥ 5) | CPU: ingest ÷ calamine |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case in ("sample_data", "problems_200k"):
        r = results.get(case)
        if not r:
            continue
        cpu = f"{r['ingest_cpu'] / r['calamine_cpu']:.2f}" if "ingest_cpu" in r else "–"
        lines.append(
            f"| {case} | {int(r['files'])} | {r['ingest']:.2f} s | {r['calamine']:.2f} s | "
            f"{r['ingest'] / r['calamine']:.2f} | {r['openpyxl']:.2f} s | {r['openpyxl'] / r['ingest']:.1f} | {cpu} |"
        )
    for key, where in (("problems_1m_peak_mb", "SQLite"), ("problems_1m_peak_mb_postgresql", "PostgreSQL")):
        peak = results.get(key)
        if peak:
            lines += [
                "",
                f"Peak resident memory of a 1,000,000-row 问题清单 ingest into {where}: **{peak['peak_mb']:,.0f} MB** "
                "(target ≤ 2,048 MB).",
            ]
    return lines


def tickets_table(results: dict) -> list[str]:
    """bench/bench_tickets.py: a 1,000,000-ticket export, ingest beside the bare read, ratio of each pair."""
    if not results:
        return []
    lines = [
        "| export | size | tickets → 热线指标 rows | bare read (median wall) | ingest (median wall) "
        "| ingest ÷ bare, wall: median (each pair) | ingest ÷ bare, CPU time: median (each pair) |",
        "|---|---|---|---|---|---|---|",
    ]
    for case, bare in (("xlsx", "calamine"), ("csv", "pandas.read_csv")):
        r = results.get(case)
        if not r:
            continue
        lines.append(
            f"| .{case} | {r['megabytes']:.0f} MB | {r['tickets']:,} → {r['hotline_rows']:,} | "
            f"{r['bare_read_median_s']:.2f} s ({bare}) | {r['ingest_median_s']:.2f} s | "
            f"**{r['ratio_median']:.2f}** ({', '.join(f'{x:.2f}' for x in r['ratios'])}) | "
            f"**{r['cpu_ratio_median']:.2f}** ({', '.join(f'{x:.2f}' for x in r['cpu_ratios'])}) |"
        )
    lines += [
        "",
        f"Peak resident memory of the ingest: **{results['peak_mb_xlsx']:,} MB** (.xlsx), "
        f"**{results['peak_mb_csv']:,} MB** (.csv) (target ≤ 2,048 MB).",
    ]
    return lines


def pages_table(results: dict) -> list[str]:
    lines = ["| page | cold (target ≤ 2 s) | warm after a filter change (target ≤ 0.3 s) |", "|---|---|---|"]
    lines += [f"| {page} | {r['cold_s']:.2f} s | {r['warm_s']:.3f} s |" for page, r in results.items()]
    return lines


def browser_table(results: dict) -> list[str]:
    """Pages in the browser, beside the AppTest figures of the same page (the script run alone)."""
    script = _load("pages")
    lines = [
        "| page | fresh server (target ≤ 3 s) | new visitor (target ≤ 1.5 s) | filter change (target ≤ 0.5 s) "
        "| the script alone (AppTest): cold, warm |",
        "|---|---|---|---|---|",
    ]
    for page, r in results.items():
        alone = script.get(page)
        apptest = f"{alone['cold_s']:.2f} s, {alone['warm_s']:.3f} s" if alone else "—"
        lines.append(
            f"| {page} | {r['fresh_server_s']:.2f} s | {r['new_visitor_s']:.2f} s | {r['filter_change_s']:.2f} s "
            f"| {apptest} |"
        )
    return lines


def briefing_table(results: dict) -> list[str]:
    if not results:
        return []
    return [f"{key}: {value}" for key, value in results.items()]


def main() -> None:
    parts = ["### Ingest", "", *ingest_table(_load("ingest")), "", "### Pages", "", *pages_table(_load("pages"))]
    browser = browser_table(_load("browser")) if _load("browser") else []
    if browser:
        parts += ["", "### Pages in the browser", "", *browser]
    load = _load("load")
    if load and "p50_s" in load:
        parts += [
            "",
            f"Twenty leaders at once: {load['sessions']} browser sessions open the overview together "
            f"({load['rounds']} rounds): p50 **{load['p50_s']:.2f} s**, p95 **{load['p95_s']:.2f} s** (target ≤ 3 s), "
            f"slowest {load['max_s']:.2f} s; the server's resident memory **{load['server_resident_mb']:,} MB** "
            f"(target ≤ 1,536 MB); {load['not_drawn']} of {load['sessions'] * load['rounds']} sessions not drawn within "
            f"{load['timeout_s']} s."
            + (
                f" The server used **{load['server_cpu_s_per_visit']:.2f} CPU-s per visit**; the machine's cores were "
                f"{load['machine_busy_pct']} % busy meanwhile (the browsers draw on the same two cores)."
                if "server_cpu_s_per_visit" in load
                else ""
            ),
        ]
    tickets = tickets_table(_load("tickets"))
    if tickets:
        parts += ["", "### 12345 ticket export", "", *tickets]
    briefing = briefing_table(_load("briefing"))
    if briefing:
        parts += ["", "### Briefing", "", *[f"- {line}" for line in briefing]]
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    readme.write_text(f"{head}{BEGIN}\n\n" + "\n".join(parts) + f"\n\n{END}{tail}", encoding="utf-8")
    print("\n".join(parts))


if __name__ == "__main__":
    main()
