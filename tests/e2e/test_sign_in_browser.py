"""Signed in as a real user in a real browser (not in 演示模式): links that need a sign-in first, 系统管理."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from conftest import Server
from sample_store import sample_database_copy

from lingyi import auth
from lingyi.auth import Role
from lingyi.store import Store

pytestmark = pytest.mark.browser
PASSWORD = "学习型机关2025年密码"


@pytest.fixture
def signed_out_server(tmp_path, chromium_path):
    """A server on a copy of the sample store with an administrator and a leader, nobody signed in."""
    url = sample_database_copy(tmp_path)
    store = Store(url)
    auth.add_user(store, "管理员甲", PASSWORD, Role.ADMIN, by="cli")
    auth.add_user(store, "领导乙", PASSWORD, Role.LEADER, by="cli")
    store.close()
    running = Server(url, tmp_path / "streamlit.log", demo=False)
    yield running
    running.stop()


def sign_in(page, name: str) -> None:
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_wrong_password_is_refused_with_a_message(page, signed_out_server):
    page.goto(signed_out_server.url)
    page.get_by_label("用户名").fill("领导乙")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("用户名或密码不正确，或该用户已停用。").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="登录").count() == 1  # still on the sign-in form


def test_a_link_opened_before_signing_in_shows_its_page_once_signed_in(page, signed_out_server):
    page.goto(f"{signed_out_server.url}/hotline?year=2024&category={quote('执法监督')}")
    sign_in(page, "领导乙")
    page.get_by_role("heading", name="12345热线指标").wait_for(timeout=60_000)
    caption = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()
    assert caption.startswith("2024年1—12月") and "执法监督" in caption
    assert page.url.split("?")[0].endswith("/hotline")


def test_a_user_added_by_the_administrator_is_listed_at_once(page, signed_out_server, artifacts):
    page.goto(signed_out_server.url)
    sign_in(page, "管理员甲")
    page.get_by_role("link", name="系统管理").click()
    page.get_by_role("heading", name="系统管理").wait_for()
    page.get_by_label("用户名").fill("分析员丙")
    page.get_by_label("初始密码（至少 8 个字符）").fill(PASSWORD)
    page.get_by_role("button", name="新增用户").click()
    page.get_by_text("已新增用户 分析员丙").wait_for()
    users = page.locator('[data-testid="stDataFrame"]').first
    # the list above the form, without a reload (its cells are drawn on a canvas, each kept in a hidden grid)
    users.get_by_text("分析员丙").wait_for(
        state="attached", timeout=30_000
    )  # no reload in between; a busy machine is slow
    page.screenshot(path=artifacts / "admin_user_added.png")
