"""Signed in as a real user in a real browser (not in 演示模式): links that need a sign-in first, 系统管理."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from conftest import PASSWORD, VIEWPORT, Server, sign_in
from playwright.sync_api import expect
from sample_store import sample_database_copy

from lingyi.access import auth
from lingyi.access.auth import Role
from lingyi.store import Store

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_out_server(tmp_path, chromium_path):
    """A server on a copy of the sample store with an administrator, a leader and a unit filler, nobody signed in."""
    url = sample_database_copy(tmp_path)
    store = Store(url)
    auth.add_user(store, "管理员甲", PASSWORD, Role.ADMIN, by="cli")
    auth.add_user(store, "领导乙", PASSWORD, Role.LEADER, by="cli")
    auth.add_user(store, "民政填报员", PASSWORD, Role.UNIT, unit="市民政局", by="cli")
    store.close()
    running = Server(url, tmp_path / "streamlit.log", demo=False)
    yield running
    running.stop()


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


def signed_in_as(page, name: str) -> bool:
    """The page shows ``name`` signed in and a way out, and no sign-in form (each waited for; a timeout fails)."""
    page.get_by_text(f"当前用户：{name}").wait_for(timeout=60_000)
    page.get_by_role("button", name="退出登录").wait_for(timeout=30_000)
    page.get_by_role("button", name="登录", exact=True).wait_for(state="detached", timeout=30_000)
    return True


def asks_for_sign_in(page) -> bool:
    """The page shows the sign-in form and nobody signed in (each waited for; a timeout fails)."""
    expect(page.get_by_role("button", name="登录", exact=True)).to_have_count(1, timeout=60_000)
    page.get_by_text("当前用户：").wait_for(state="detached", timeout=30_000)
    page.get_by_role("button", name="退出登录").wait_for(state="detached", timeout=30_000)
    return True


def session_cookie(page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == auth.COOKIE_NAME), None)


def test_a_leader_stays_signed_in_across_a_reload_and_a_second_tab_until_signing_out(page, signed_out_server):
    page.goto(f"{signed_out_server.url}/hotline")
    with page.expect_response(lambda answer: answer.url.endswith("/lingyi/session")) as answered:
        sign_in(page, "领导乙")
    assert answered.value.status == 204
    assert signed_in_as(page, "领导乙")
    cookie = session_cookie(page)
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find(auth.COOKIE_NAME) == -1  # no script in the page can read it

    page.reload()
    assert signed_in_as(page, "领导乙")
    page.get_by_role("heading", name="12345热线指标").wait_for(timeout=60_000)  # the same page, still signed in

    second = page.context.new_page()
    second.goto(signed_out_server.url)
    assert signed_in_as(second, "领导乙")

    page.get_by_role("button", name="退出登录").click()
    assert asks_for_sign_in(page)
    page.reload()
    assert asks_for_sign_in(page)
    second.get_by_role("link", name="学习活动").click()  # the other tab's next run
    assert asks_for_sign_in(second)


def test_a_leader_disabled_from_another_session_is_signed_out_on_the_next_click(browser, page, signed_out_server):
    page.goto(signed_out_server.url)
    sign_in(page, "领导乙")
    assert signed_in_as(page, "领导乙")

    admin = browser.new_context(viewport=VIEWPORT, locale="zh-CN").new_page()
    admin.goto(signed_out_server.url)
    sign_in(admin, "管理员甲")
    assert signed_in_as(admin, "管理员甲")
    admin.get_by_role("link", name="系统管理").click()
    admin.get_by_role("heading", name="系统管理").wait_for()
    admin.get_by_label("停用或启用用户").click()
    admin.get_by_role("option", name="领导乙").click()
    admin.get_by_role("button", name="停用", exact=True).click()
    admin.get_by_text("已停用用户 领导乙").wait_for()
    admin.context.close()

    page.get_by_role("link", name="学习活动").click()
    assert asks_for_sign_in(page)
    expect(page.get_by_text("登录已结束")).to_have_count(1, timeout=60_000)  # once, not again while the page reruns


def test_a_unit_filler_is_refused_another_roles_page_by_its_address_and_led_to_their_own(page, signed_out_server):
    page.goto(signed_out_server.url)
    sign_in(page, "民政填报员")
    page.get_by_role("heading", name="数据上传").wait_for(timeout=60_000)  # the root goes on to their first page
    assert page.url.split("?")[0].endswith("/upload")

    page.goto(f"{signed_out_server.url}/upload")  # a shared link to their own page, signed in by the cookie
    page.get_by_role("heading", name="数据上传").wait_for(timeout=60_000)
    assert page.get_by_text("没有这个页面").count() == 0

    page.goto(f"{signed_out_server.url}/manage")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("无权访问：您的角色（单位填报员）不能使用「数据管理」。").wait_for(timeout=60_000)
    assert page.get_by_text("没有这个页面").count() == 0
    assert page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="数据管理").count() == 0
    main.get_by_role("link", name="数据上传").click()
    page.get_by_role("heading", name="数据上传").wait_for(timeout=60_000)
    assert page.url.split("?")[0].endswith("/upload")
