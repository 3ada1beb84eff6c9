"""The database goes away under an open page: the page says so in Chinese and comes back by itself.

A server on a PostgreSQL cluster of the test's own (tests/pg_cluster.py), which the test stops while a page is open
and starts again; the browser is never reloaded by the test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ERRORS, Server, settle

import lingyi.__main__ as cli

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
RETRYING = "数据库暂时无法连接，正在重试……"
WAIT_MS = 180_000  # generous: each look for the database is a few seconds apart, and the machine may be busy


def charts_drawn(page, at_least: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n", arg=at_least, timeout=WAIT_MS
    )


def test_a_page_open_while_the_database_stops_says_it_is_retrying_and_recovers_by_itself(
    own_postgres, chromium_path, page, tmp_path, artifacts
):
    url = own_postgres.url
    assert cli.main(["init", "--db", url]) == 0
    assert cli.main(["ingest", str(ROOT / "sample_data" / "returns" / "2025" / "10"), "--db", url]) == 0
    server = Server(url, tmp_path / "streamlit.log")
    try:
        page.goto(f"{server.url}/learning")
        settle(page, "学习活动")
        charts_drawn(page, 1)
        page.evaluate("window.lingyiNotReloaded = true")  # gone if anything reloads the page

        own_postgres.pause()
        # The leader moves on to the overview: the page runs, and meets no database.
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="总览").click()
        notice = page.locator('[data-testid="stAlert"]').filter(has_text=RETRYING)
        notice.wait_for(timeout=WAIT_MS)
        said = notice.locator('[data-testid="stMarkdownContainer"]').inner_text().strip()  # without the icon
        assert re.fullmatch(rf"数据库连接中断（服务器 127\.0\.0\.1:\d+）：{RETRYING}", said), said
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert page.locator(ERRORS).count() == 0
        assert not re.search(r"Error|Traceback|sqlalche|psycopg|connection", main, re.IGNORECASE), main
        page.screenshot(path=artifacts / "database-away.png")

        own_postgres.resume()
        page.get_by_role("heading", name="总览", exact=True).wait_for(timeout=WAIT_MS)
        charts_drawn(page, 4)
        notice.wait_for(state="detached", timeout=WAIT_MS)
        assert page.locator(ERRORS).count() == 0
        assert page.evaluate("window.lingyiNotReloaded === true")  # it came back by itself, in the same page
    finally:
        server.stop()
