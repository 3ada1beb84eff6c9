"""Fixtures of the tests of lingyi/ui/: the desk pages on a SQLite store of their own, the app for signing in."""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from lingyi.store import DATABASE_URL_VARIABLE, Store
from ui.apps import ROOT


@pytest.fixture
def desk_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'desk.db'}"


@pytest.fixture
def desk_store(desk_url) -> Store:
    opened = Store(desk_url)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def open_page(monkeypatch, desk_url):
    """``open_page(page)``: the dashboard on the test's store, switched to ``page`` (as tests/test_pages.py does)."""
    starting = PagesManager.__init__

    def started(manager, *args, **kwargs):
        starting(manager, *args, **kwargs)
        PagesManager.uses_pages_directory = False  # as on a running server, see tests/test_pages.py

    monkeypatch.setattr(PagesManager, "__init__", started)
    monkeypatch.setenv(DATABASE_URL_VARIABLE, desk_url)

    def open_page(page: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        at.switch_page(page).run()
        return at

    return open_page


@pytest.fixture
def app(store, monkeypatch):
    monkeypatch.delenv("LINGYI_DEMO", raising=False)
    monkeypatch.setenv(DATABASE_URL_VARIABLE, store.url)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
