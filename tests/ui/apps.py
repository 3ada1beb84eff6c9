"""The dashboard through AppTest for the tests of lingyi/ui/: files for the desk pages, what a page shows, signing in."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path

import factories as f
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from lingyi.access import auth
from lingyi.store import waiting
from lingyi.ui import busy

ROOT = Path(__file__).resolve().parents[2]
DESK = {"pages/upload.py": "数据上传", "pages/completeness.py": "报送情况", "pages/manage.py": "数据管理"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILES, PERIOD, STORE_ALL = "upload_files", "upload_period", "upload_store_all"
MINZHENG, CAIZHENG = "临沂市民政局", "临沂市财政局"
PASSWORD = "学习型机关2025年密码"
REFUSED = "不能使用此页"


def upload(at: AppTest, *paths: Path) -> AppTest:
    uploader = at.file_uploader(key=FILES)
    for path in paths:
        uploader.upload(path.name, path.read_bytes(), XLSX if path.suffix == ".xlsx" else "application/octet-stream")
    return at.run()


def ran_cleanly(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def verdicts(at: AppTest) -> dict[str, str]:
    """File name → the verdict its expander names."""
    return {e.label.split(" — ")[0]: e.label.split(" — ")[1].split(" · ")[0] for e in at.expander if " — " in e.label}


def counts(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_rows(element) -> list[list[str]]:
    return element.value.astype(str).values.tolist()


def good_file(tmp_path: Path, unit: str = MINZHENG, month: int = 202510) -> Path:
    name = f"{unit}_{month}.xlsx"
    return f.write_xlsx(tmp_path / name, {"学习活动": f.titled(f.learning_rows(3, unit=unit, month=month))})


def bad_file(tmp_path: Path) -> Path:
    """Two errors: an unknown unit on Excel row 5, a count that is not a number on row 6."""
    rows = f.learning_rows(3, unit=CAIZHENG)
    rows = f.column(rows, "单位名称", [CAIZHENG, "临沂市财正局", CAIZHENG])
    rows = f.column(rows, "参与人次", [12, 30, "八十"])
    return f.write_xlsx(tmp_path / "财政局.xlsx", {"学习活动": f.titled(rows)})


def unitless_file(tmp_path: Path) -> Path:
    return f.write_csv(tmp_path / "学习活动.csv", f.drop(f.learning_rows(2), "单位名称"), "gbk")


def sign_in(app: AppTest, store, name: str, password: str) -> AppTest:
    """Signed in as the sign-in form does it, without the form.

    AppTest does not submit a form on a page whose address is also a file's name in pages/ (every page's address
    shows the sign-in form, so that a link leads to its page once signed in); tests/e2e/test_sign_in_browser.py
    fills in the form itself in a browser.
    """
    app.session_state["_lingyi_session"], _ = auth.start_session(store, auth.sign_in(store, name, password))
    return app.run()


def texts(app: AppTest) -> str:
    return " ".join(str(e.value) for e in [*app.error, *app.warning, *app.info, *app.markdown, *app.caption])


def as_on_a_server(monkeypatch) -> None:
    """Every AppTest run goes the way a running server's runs go (see ``open_app`` in tests/test_pages.py)."""
    starting = PagesManager.__init__

    def started(manager, *args, **kwargs):
        starting(manager, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", started)


@contextlib.contextmanager
def another_write_under_way(url: str, monkeypatch):
    """Another process writing holds SQLite's lock, and lets go only once the page has said it waits (or, failing
    that, after 120 s): nothing depends on how long anything takes. Yields the notices the page showed."""
    monkeypatch.setattr(waiting, "NOTICE_AFTER_SECONDS", 0.2)  # not to make the test wait; any value works alike
    shown, notice = [], threading.Event()
    drawing = busy.show

    def showing(spot, message):
        drawing(spot, message)
        shown.append(message)
        notice.set()

    monkeypatch.setattr(busy, "show", showing)
    other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")

    def let_go():
        notice.wait(120)
        other.execute("COMMIT")
        other.close()

    releasing = threading.Thread(target=let_go)
    releasing.start()
    try:
        yield shown
    finally:
        notice.set()
        releasing.join()
