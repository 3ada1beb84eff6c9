"""Pages as a leader waits for them (issue 22): headless Chromium on the five-year store, timed until every chart is
drawn and the script is idle.

    .venv/bin/python -m bench.bench_browser [--runs 5] [--pages overview,hotline]

For each dashboard page, median of ``--runs``:

- fresh server: a server started for this run alone, the page opened at once (the dataset is read for the first
  time, the first session starts): from ``page.goto`` to drawn;
- new visitor: a new browser context (no cookie, no cache) on a server that has served the page before;
- filter change: 截至月份 set to the month before, on an open page: from the click to drawn again.

"Drawn": Streamlit's running indicator gone for 0.4 s, and every visible ``.js-plotly-plot`` on the page holding
its drawn SVG. The server runs in demo mode (signed in without a password) on ``bench/out/five_years.db``.
Results go to bench/results/browser.json; ``python -m bench.report`` writes them into bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.five_year_store import build
from tests.e2e.server import Server

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "bench" / "out" / "five_years.db"
RESULTS = ROOT / "bench" / "results" / "browser.json"
SERVER_LOG = ROOT / "bench" / "out" / "streamlit.log"
PAGES = {
    "overview": "总览",
    "learning": "学习活动",
    "hotline": "12345热线指标",
    "problems": "问题化解",
    "indicators": "指标完成",
    "unit": "单位画像",
}
ADDRESSES = {"unit": "unit?unit=市民政局"}  # a profile shows its charts once a unit is chosen
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_S = 120

DRAWN = """() => {
  const running = document.querySelector('[data-testid="stStatusWidget"]');
  const plots = [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.checkVisibility());
  const heading = document.querySelector('h1');
  return { running: !!running, plots: plots.length, drawn: plots.filter(p => p.querySelector('.main-svg')).length,
           heading: heading ? heading.textContent : '' };
}"""


def _store_url() -> str:
    if not STORE.exists():
        STORE.parent.mkdir(exist_ok=True)
        build(f"sqlite:///{STORE}")
    return f"sqlite:///{STORE}"


def wait_drawn(page, title: str, start: float) -> float:
    """Seconds from ``start`` until the page shows ``title``, is idle and every chart on it is drawn."""
    deadline = start + TIMEOUT_S
    idle_since = None
    while time.monotonic() < deadline:
        state = page.evaluate(DRAWN)
        ready = state["heading"] == title and not state["running"] and state["plots"] == state["drawn"]
        now = time.monotonic()
        if ready and state["plots"]:
            if idle_since is None:
                idle_since = now
            elif now - idle_since >= 0.4:
                return idle_since - start
        else:
            idle_since = None
        page.wait_for_timeout(50)
    raise TimeoutError(f"{title}: not drawn in {TIMEOUT_S} s")


def change_month(page, title: str) -> float:
    sidebar = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="截至月份")
    sidebar.click()
    options = page.get_by_role("option")
    options.nth(2).wait_for()  # 最新, then the months from the latest down: the month before the latest
    start = time.monotonic()
    options.nth(2).click()
    page.wait_for_timeout(100)  # the rerun starts
    return wait_drawn(page, title, start)


def measure(runs: int, pages: list[str]) -> dict:
    url = _store_url()
    results: dict[str, dict] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name in pages:
            title = PAGES[name]
            fresh, visitor, change = [], [], []
            for _ in range(runs):
                server = Server(url, SERVER_LOG)
                try:
                    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
                    page = context.new_page()
                    start = time.monotonic()
                    page.goto(server.page_url(ADDRESSES.get(name, name)))
                    fresh.append(wait_drawn(page, title, start))
                    context.close()
                    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
                    page = context.new_page()
                    start = time.monotonic()
                    page.goto(server.page_url(ADDRESSES.get(name, name)))
                    visitor.append(wait_drawn(page, title, start))
                    change.append(change_month(page, title))
                    context.close()
                finally:
                    server.stop()
            results[name] = {
                "fresh_server_s": round(statistics.median(fresh), 3),
                "new_visitor_s": round(statistics.median(visitor), 3),
                "filter_change_s": round(statistics.median(change), 3),
                "runs": runs,
            }
            print(name, results[name], flush=True)
            write(results)  # as each page is done: a later page that fails keeps the figures of those before
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args()
    measure(args.runs, args.pages.split(","))


def write(results: dict) -> None:
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
