"""会议版 in headless Chromium: frozen on 简报导出, shown labelled on 总览 after a correction, compared with today."""

from __future__ import annotations

import contextlib
import io
import json
from urllib.parse import quote

import pytest
from conftest import ERRORS, Server, settle
from factories import UNIT, hotline_rows, write_xlsx
from sample_store import sample_database_copy
from test_browser import chart_titled, click_on, query

import lingyi.__main__ as cli
from lingyi import figures

pytestmark = pytest.mark.browser

MEETING = "十月例会"


def run(*arguments: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(arguments))
    assert code == 0, err.getvalue()
    return out.getvalue()


def appeals_card(page) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has_text="12345热线诉求量")
    return card.locator('[data-testid="stMetricValue"]').inner_text()


def test_a_snapshot_frozen_on_the_briefing_page_keeps_its_figures_after_a_correction(
    page, tmp_path, chromium_path, artifacts
):
    database = sample_database_copy(tmp_path)
    server = Server(database, tmp_path / "streamlit.log")
    try:
        page.goto(f"{server.url}/briefing")
        settle(page, "简报导出")
        page.get_by_label("会议版名称").fill(MEETING)
        page.get_by_role("button", name="冻结为会议版").click()
        page.get_by_text(f"会议版：{MEETING}（冻结于").first.wait_for(timeout=60_000)
        settle(page, "简报导出")
        assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).all_inner_texts()
        frozen = json.loads(run("summary", "--snapshot", MEETING, "--json", "--db", database))
        assert frozen["snapshot"]["frozen_by"] == "演示分析员"

        # A unit corrects its October hotline return after the meeting.
        correction = hotline_rows((202510,), units=(UNIT,), seed=5)
        correction[1][2] = 9999
        run("ingest", str(write_xlsx(tmp_path / "民政局10月更正.xlsx", {"热线指标": correction})), "--db", database)
        live = json.loads(run("summary", "--json", "--db", database, "--year", "2025", "--through", "2025-10"))
        assert live["hotline"]["appeals"] != frozen["hotline"]["appeals"]

        page.goto(f"{server.url}/?snapshot={quote(MEETING)}")
        settle(page, "总览")
        page.screenshot(path=artifacts / "snapshot-overview.png", full_page=False)
        assert page.get_by_text(frozen["snapshot"]["label"]).count() >= 1
        assert appeals_card(page) == figures.count_text(frozen["hotline"]["appeals"], " 件")
        assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).all_inner_texts()

        page.goto(f"{server.url}/")
        settle(page, "总览")
        assert appeals_card(page) == figures.count_text(live["hotline"]["appeals"], " 件")
        assert page.get_by_text(frozen["snapshot"]["label"]).count() == 0
        click_on(page, chart_titled(page, "各类别参与人次").locator("g.trace.bars g.point path").nth(2))
        page.wait_for_url("**category=**", timeout=30_000)  # the live view still narrows to a clicked category
        settle(page, "总览")
        assert query(page)["category"] == ["执法监督"]

        page.goto(f"{server.url}/briefing?snapshot={quote(MEETING)}")
        settle(page, "简报导出")
        page.get_by_text("引起变化的报送").scroll_into_view_if_needed()
        page.screenshot(path=artifacts / "snapshot-comparison.png", full_page=True)
        assert page.get_by_text("变化的数字").count() == 1
        assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).all_inner_texts()
    finally:
        server.stop()
