"""Page benchmarks (issue 3): each dashboard page's run, cold and warm, on five years × 108 units.

    .venv/bin/python -m bench.bench_pages [--runs 5]

- cold: the data and resource caches cleared, then the page runs (the store is read and every figure computed);
- warm: the page runs again after a filter change (through-month; year on 指标完成), the store read cached
  and the new scope's figures not yet worked out.

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
from lingyi.store import DATABASE_URL_VARIABLE
from lingyi.ui import state

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


# The filter each page's warm run changes: the through-month, except on 指标完成, where the indicators' periods
# (a year, or 1—10月) leave nothing within 1—6月, so it moves to the year before.
FILTER_CHANGES = {"indicators": (state.YEAR, 2024)}
THROUGH_CHANGE = (state.THROUGH, 6)
PROFILED_UNIT = "临沂市财政局"  # 单位画像 shows one unit


def measure(page: str, runs: int) -> dict[str, float]:
    cold, warm = [], []
    key, value = FILTER_CHANGES.get(page, THROUGH_CHANGE)
    for _ in range(runs):
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        app.run()
        app.session_state[state.PROFILE_UNIT] = PROFILED_UNIT
        st.cache_data.clear()
        st.cache_resource.clear()
        cold.append(_timed(lambda a=app: a.switch_page(f"pages/{page}.py").run()))
        if app.exception:
            raise SystemExit(f"{page}: {app.exception[0].message}")
        changed = app.selectbox(key=key)
        warm.append(_timed(lambda c=changed: c.set_value(value).run()))
        if app.exception or not app.get("plotly_chart"):
            raise SystemExit(f"{page}: the warm run drew no chart")
    return {"cold_s": statistics.median(cold), "warm_s": statistics.median(warm), "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", nargs="*", choices=PAGES, default=list(PAGES), help="only these pages (not saved)")
    args = parser.parse_args()
    os.environ[DATABASE_URL_VARIABLE] = _store_url()
    os.environ["LINGYI_DEMO"] = "1"  # signed in as the demo analyst: the pages, not the sign-in form, are measured
    results = {page: measure(page, args.runs) for page in args.pages}
    for page, figures in results.items():
        print(f"{page:<11} cold {figures['cold_s']:.3f} s   warm {figures['warm_s']:.3f} s")
    if len(results) < len(PAGES):
        return  # a look at a few pages while working; the written results cover every page
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "pages.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
