"""系统管理 in a real browser, signed in as an administrator (not in 演示模式)."""

from __future__ import annotations

import pytest
from conftest import Server

from lingyi import auth
from lingyi.auth import Role
from lingyi.store import Store

pytestmark = pytest.mark.browser
PASSWORD = "学习型机关2025年密码"


@pytest.fixture
def admin_server(tmp_path, chromium_path):
    url = f"sqlite:///{tmp_path / 'lingyi.db'}"
    store = Store(url)
    auth.add_user(store, "管理员甲", PASSWORD, Role.ADMIN, by="cli")
    store.close()
    running = Server(url, tmp_path / "streamlit.log", demo=False)
    yield running
    running.stop()


def test_a_user_added_by_the_administrator_is_listed_at_once(page, admin_server, artifacts):
    page.goto(admin_server.url)
    page.get_by_label("用户名").fill("管理员甲")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="系统管理").click()
    page.get_by_role("heading", name="系统管理").wait_for()
    page.get_by_label("用户名").fill("分析员丙")
    page.get_by_label("初始密码（至少 8 个字符）").fill(PASSWORD)
    page.get_by_role("button", name="新增用户").click()
    page.get_by_text("已新增用户 分析员丙").wait_for()
    users = page.locator('[data-testid="stDataFrame"]').first
    # the list above the form, without a reload (its cells are drawn on a canvas, each kept in a hidden grid)
    users.get_by_text("分析员丙").wait_for(state="attached", timeout=5000)
    page.screenshot(path=artifacts / "admin_user_added.png")
