"""Page benchmarks (issue 3): each dashboard page's run, cold and warm, on five years × 108 units.

    .venv/bin/python -m bench.bench_pages [--runs 5]

- cold: the data cache cleared, then the page runs (the store is read and every figure computed);
- warm: the page runs again after a filter change (through-month), the store read cached.

Pages run through Streamlit's AppTest, which executes the page script as a server would,
without a browser; the time is the script's, not the drawing in the browser. Medians are
written to bench/results/pages.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from bench.five_year_store import build
from lingyi import ui
from lingyi.store import DATABASE_URL_VARIABLE

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("overview", "learning", "hotline", "problems", "indicators", "unit")
STORE = ROOT / "bench" / "out" / "five_years.db"


def _store_url() -> str:
    if not STORE.exists():
        STORE.parent.mkdir(exist_ok=True)
        build(f"sqlite:///{STORE}")
    return f"sqlite:///{STORE}"


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure(page: str, runs: int) -> dict[str, float]:
    cold, warm = [], []
    for _ in range(runs):
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        app.run()
        st.cache_data.clear()
        cold.append(_timed(lambda a=app: a.switch_page(f"pages/{page}.py").run()))
        if app.exception:
            raise SystemExit(f"{page}: {app.exception[0].message}")
        through = app.selectbox(key=ui.THROUGH)
        warm.append(_timed(lambda t=through: t.set_value(6).run()))
    return {"cold_s": statistics.median(cold), "warm_s": statistics.median(warm), "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ[DATABASE_URL_VARIABLE] = _store_url()
    os.environ["LINGYI_DEMO"] = "1"  # signed in as the demo analyst: the pages, not the sign-in form, are measured
    results = {page: measure(page, args.runs) for page in PAGES}
    for page, figures in results.items():
        print(f"{page:<11} cold {figures['cold_s']:.3f} s   warm {figures['warm_s']:.3f} s")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "pages.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
