"""The dashboard in headless Chromium: every page draws its charts without an error, links and clicks work.

Screenshots of every page go to test-artifacts/ (1440×900 as a laptop shows it, and the whole page).
"""

from __future__ import annotations

import contextlib
import io
import json
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from conftest import ERRORS, VIEWPORT, settle

import lingyi.__main__ as cli
from lingyi import figures

pytestmark = pytest.mark.browser

PAGES = {
    "overview": ("", "总览"),
    "learning": ("learning", "学习活动"),
    "hotline": ("hotline", "12345热线指标"),
    "problems": ("problems", "问题化解"),
    "indicators": ("indicators", "指标完成"),
    "unit": (f"unit?profile={quote('市民政局（临沂市民政局）')}", "单位画像"),
}


def open_page(page, server, path: str, title: str) -> None:
    page.goto(f"{server.url}/{path}")
    settle(page, title)


def shown_scope(page) -> str:
    """The caption under the page title: what the page shows (「2025年1—10月 · 全部类别 · 全部单位」)."""
    return page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def summary(server_database: str, *arguments: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["summary", "--json", "--db", server_database, *arguments]) == 0
    return json.loads(out.getvalue())


def card_value(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def click_on(page, element) -> None:
    """Click where a leader would: the middle of the bar (plotly's drag layer lies on top of it)."""
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def wait_for_charts(page, at_least: int) -> None:
    """Wait until the page has drawn ``at_least`` charts: the chart component loads in the browser after Streamlit
    has sent the page, and on a busy machine it can come seconds after the page has gone quiet."""
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n", arg=at_least, timeout=60_000
    )


def chart_titled(page, title: str):
    return page.locator(".js-plotly-plot").filter(has=page.locator("text.gtitle", has_text=title)).first


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_draws_its_charts_without_an_error(page, server, artifacts, name):
    path, title = PAGES[name]
    elsewhere = []  # the dashboard runs on an intranet: it must fetch nothing from anywhere but its server
    page.on(
        "request", lambda request: elsewhere.append(request.url) if not request.url.startswith(server.url) else None
    )
    open_page(page, server, path, title)
    page.screenshot(path=artifacts / f"dashboard-{name}.png")
    assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).all_inner_texts()
    wait_for_charts(page, 2)
    plots = page.locator(".js-plotly-plot")
    # plotly draws each chart after Streamlit has sent it; on a busy machine the last ones take a moment
    wait_for_charts(page, plots.count())
    assert page.locator(".js-plotly-plot text.gtitle").count() >= 2  # titles drawn inside the charts
    page.set_viewport_size({"width": 1440, "height": 4200})
    page.wait_for_timeout(1500)
    page.screenshot(path=artifacts / f"dashboard-{name}-full.png")
    assert [url for url in elsewhere if not url.startswith(("data:", "blob:"))] == []
    # On a phone no chart's title runs past its chart or lies under its legend (a legend that takes more rows grows
    # upwards): cut short or covered, a title no longer says what the chart counts.
    page.set_viewport_size({"width": 390, "height": 4200})
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot .main-svg')].every(s => s.clientWidth <= 390)",
        timeout=60_000,
    )
    assert titles_cut_or_covered(page) == []


def titles_cut_or_covered(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
            const title = plot.querySelector('text.gtitle'), svg = plot.querySelector('.main-svg');
            if (!title || !svg) return [];
            const text = title.getBoundingClientRect(), room = svg.getBoundingClientRect();
            const legend = plot.querySelector('g.legend'), key = legend && legend.getBoundingClientRect();
            const covered = key && text.left < key.right && key.left < text.right && text.top < key.bottom
                && key.top < text.bottom;
            const cut = text.left < room.left - 1 || text.right > room.right + 1;
            return cut || covered ? [title.textContent] : [];
        })"""
    )


def test_the_overview_shows_the_command_lines_figures(page, server, sample_database):
    open_page(page, server, "", "总览")
    s = summary(sample_database)
    assert card_value(page, "报送单位") == f"{s['units']['reporting']}/{s['units']['registered']}"
    assert card_value(page, "参与人次") == figures.count_text(s["learning"]["person_times"])
    assert card_value(page, "群众满意率") == f"{s['hotline']['satisfaction_rate_pct']:.2f}%"
    assert card_value(page, "化解率（目标90%）") == f"{s['problems']['closure_rate_pct']:.2f}%"


def test_a_link_to_a_page_with_filters_works_on_a_server_nobody_has_opened_yet(page, fresh_server):
    # The first run of a fresh server takes Streamlit's older folder-of-pages path; the page must still
    # arrive through app.py, with the sidebar and the filters of the link.
    open_page(page, fresh_server, f"hotline?year=2024&category={quote('执法监督')}", "12345热线指标")
    assert page.locator(ERRORS).count() == 0
    caption = shown_scope(page)
    assert caption.startswith("2024年1—12月") and "执法监督" in caption
    assert page.locator('[data-testid="stSidebar"]').get_by_text("单位类别").count() == 1


def test_a_filter_goes_into_the_url_and_stays_when_the_page_changes(page, server):
    open_page(page, server, "", "总览")
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="年份").click()
    page.get_by_role("option", name="2024", exact=True).click()
    page.wait_for_url("**year=2024**", timeout=30_000)
    settle(page, "总览")
    assert shown_scope(page).startswith("2024年1—12月")
    page.locator('[data-testid="stSidebarNav"]').get_by_text("问题化解", exact=True).click()
    settle(page, "问题化解")
    assert query(page)["year"] == ["2024"]
    assert shown_scope(page).startswith("2024年1—12月")


def test_clicking_a_category_narrows_the_page_to_it(page, server):
    open_page(page, server, "", "总览")
    bars = chart_titled(page, "各类别参与人次").locator("g.trace.bars g.point path")
    click_on(page, bars.nth(2))  # the third category, 执法监督
    page.wait_for_url("**category=**", timeout=30_000)
    settle(page, "总览")
    assert query(page)["category"] == ["执法监督"]
    assert "执法监督" in shown_scope(page)


def test_clicking_a_unit_opens_its_profile(page, server):
    open_page(page, server, "", "总览")
    chart = chart_titled(page, "学习活动：人均参与人次")
    chart.locator("g.ytick text").first.wait_for()  # the title may be drawn before the units on a busy machine
    shown_units = {tick.text_content() for tick in chart.locator("g.ytick text").all()}
    click_on(page, chart.locator("g.trace.bars g.point path").first)
    page.wait_for_url("**/unit?profile=**", timeout=30_000)
    settle(page, "单位画像")
    assert page.locator(ERRORS).count() == 0
    short_name, full_name = query(page)["profile"][0].rstrip("）").split("（")
    assert short_name in shown_units
    assert f"{full_name} · " in page.locator('[data-testid="stMain"]').inner_text()
    wait_for_charts(page, 4)


def test_a_link_to_overview_by_its_name_opens_the_overview_for_every_visitor(browser, server):
    # The overview is served at the root; /overview is its name in links and in a fresh server's first run.
    for _ in range(2):  # the second visitor meets a warm server, whose pages are known by their addresses
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        visitor = context.new_page()
        open_page(visitor, server, "overview?year=2024", "总览")
        assert visitor.get_by_text("没有这个页面").count() == 0
        assert shown_scope(visitor).startswith("2024年1—12月")
        context.close()


def test_on_a_phone_the_overview_has_two_cards_a_row_and_charts_full_width(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    phone = context.new_page()
    open_page(phone, server, "", "总览")
    cards = [box for box in (m.bounding_box() for m in phone.locator('[data-testid="stMetric"]').all()) if box]
    assert len(cards) >= 8
    first, second, third = cards[:3]
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"] + first["width"] - 2  # side by side
    assert third["y"] > first["y"] + first["height"] - 2  # the third starts the next row
    charts = [box for box in (c.bounding_box() for c in phone.locator(".js-plotly-plot").all()) if box]
    assert charts and all(box["width"] > 390 * 0.8 for box in charts)
    assert phone.locator('[data-testid="stElementToolbar"]').first.is_hidden()  # never over a chart's title
    # No word of a card or of the like-for-like note is cut off: what does not fit wraps.
    cut = phone.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMetric"] *, [data-testid="stCaptionContainer"] *')]
            .filter(e => e.checkVisibility() && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
    )
    assert cut == []
    context.close()
