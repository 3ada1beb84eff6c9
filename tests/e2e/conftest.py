"""A real ``streamlit run serve.py`` (app.py on Streamlit's server, with our session route) against a store, and
headless Debian Chromium driven by Playwright.

Without /usr/bin/chromium the browser tests are skipped on a developer's machine; in CI (``CI`` set) they fail
instead, because there they must run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sample_store import sample_database_copy
from server import Server

from lingyi.access.auth import COOKIE_NAME

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
VIEWPORT = {"width": 1440, "height": 900}


ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'  # an exception or an st.error on a page


def settle(page, title: str, timeout: float = 90) -> None:
    """Wait until the page shows ``title`` and Streamlit has stopped running for a moment."""
    page.get_by_role("heading", name=title, exact=True).wait_for(timeout=timeout * 1000)
    _quiet(page, timeout)
    page.wait_for_timeout(500)  # plotly draws after the last message


def _quiet(page, timeout: float) -> None:
    """Wait until Streamlit has not been running for a second."""
    deadline, quiet = time.monotonic() + timeout, 0
    while quiet < 4 and time.monotonic() < deadline:
        quiet = 0 if page.locator('[data-testid="stStatusWidget"]').count() else quiet + 1
        page.wait_for_timeout(250)


PASSWORD = "学习型机关2025年密码"  # of every user the browser tests add


def sign_in(page, name: str) -> None:
    """Sign in on the sign-in form as ``name`` (with PASSWORD) and wait until the page says who is signed in."""
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_role("button", name="退出登录").wait_for(timeout=60_000)
    # Then the browser takes its session cookie, and that answer reruns the page: a click made before the rerun
    # is over can be lost in it (seen with two test runs at once), so wait for the cookie and a quiet page.
    deadline = time.monotonic() + 60
    while not any(c["name"] == COOKIE_NAME for c in page.context.cookies()) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    _quiet(page, 60)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing, and the browser tests must run in CI")
        pytest.skip(f"{CHROMIUM} is not installed")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def sample_database(tmp_path_factory, chromium_path) -> str:
    return sample_database_copy(tmp_path_factory.mktemp("browser-sample"))


@pytest.fixture(scope="session")
def server(sample_database, tmp_path_factory) -> Iterator[Server]:
    """One server on the sample store for the tests that only read."""
    running = Server(sample_database, tmp_path_factory.mktemp("server") / "streamlit.log")
    yield running
    running.stop()


@pytest.fixture
def fresh_server(tmp_path, chromium_path) -> Iterator[Server]:
    """A server nobody has opened yet, on its own copy of the sample store."""
    running = Server(sample_database_copy(tmp_path), tmp_path / "streamlit.log")
    yield running
    running.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
