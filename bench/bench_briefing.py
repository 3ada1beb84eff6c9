"""Briefing benchmarks (issue 5): the default 10-chart PPTX with a warm renderer; target ≤ 10 s.

    .venv/bin/python -m bench.bench_briefing [--runs 5] [--db URL]

On the full sample store (108 units, January 2024 to October 2025), for 2025 through October:

- renderer start: the system's Chromium started by kaleido and one first picture, once per process;
- pptx: ``briefing.build`` (every figure, the narrative, the appendix) and the slides, the renderer warm but
  its picture cache emptied before each run, so every picture chart is drawn again (9 of the 10 charts are
  native PowerPoint charts since the stages are bars, 1 is a picture);
- docx and zip: the same ten charts, all ten drawn as pictures (the report at A4 size, the ZIP at slide size).

Each timing is the median of ``--runs`` runs; results go to bench/results/briefing.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from lingyi import metrics
from lingyi.__main__ import main
from lingyi.export import briefing, formats, report, slides
from lingyi.figures import pictures
from lingyi.store import Store

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "bench" / "out" / "sample.db"
RESULTS = ROOT / "bench" / "results"
SCOPE = metrics.Scope(2025, 10)
TARGET_S = 10.0


def _store_url() -> str:
    if not STORE.exists():
        STORE.parent.mkdir(parents=True, exist_ok=True)
        if main(["init", "--sample", "--db", f"sqlite:///{STORE}"]) != 0:
            raise SystemExit("the sample data did not load cleanly")
    return f"sqlite:///{STORE}"


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _median(action, runs: int) -> dict[str, float]:
    times = []
    for _ in range(runs):
        pictures.clear_cache()
        times.append(_timed(action))
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3), "runs": runs}


def run(runs: int, url: str | None = None) -> dict:
    store = Store(url or _store_url())
    ds = metrics.load(store)
    start = _timed(pictures.start)
    made = briefing.build(ds, SCOPE)
    drawn = sum(1 for chart in made.charts if chart.native is None)

    def pptx() -> None:
        slides.pptx_bytes(briefing.build(ds, SCOPE))

    def docx() -> None:
        report.docx_bytes(briefing.build(ds, SCOPE))

    def zip_() -> None:
        formats.zip_bytes(briefing.build(ds, SCOPE))

    results = {
        "renderer_start_s": round(start, 3),
        "pptx_10_charts": {**_median(pptx, runs), "native_charts": len(made.charts) - drawn, "pictures": drawn},
        "docx_10_charts": {**_median(docx, runs), "pictures": len(made.charts)},
        "zip_10_pictures": {**_median(zip_, runs), "pictures": len(made.charts)},
        "build_only": _median(lambda: briefing.build(ds, SCOPE), runs),
        "target_s": TARGET_S,
    }
    results["pptx_10_charts"]["meets_target"] = results["pptx_10_charts"]["median_s"] <= TARGET_S
    store.close()
    pictures.stop()
    return results


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", help="another store (default: the sample store in bench/out/sample.db)")
    arguments = parser.parse_args()
    results = run(arguments.runs, arguments.db)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "briefing.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    cli()
