"""Signing in to the dashboard, and each role's pages checked on the server, through AppTest (not in 演示模式)."""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from lingyi.access import auth
from lingyi.access.auth import Role
from ui.apps import PASSWORD, REFUSED, sign_in, texts


def test_without_users_the_sign_in_page_says_how_to_make_the_first_admin(app):
    app.run()
    assert not app.exception
    assert "python -m lingyi user add 用户名 --role admin" in texts(app)
    assert not app.text_input  # no form to guess passwords into


def test_a_signed_in_analyst_reaches_the_upload_page_and_is_named_in_the_sidebar(app, store):
    auth.add_user(store, "张三", PASSWORD, Role.ANALYST)
    sign_in(app, store, "张三", PASSWORD)
    assert not app.exception
    assert "当前用户：张三 · 分析员" in texts(app)
    app.switch_page("pages/upload.py").run()
    assert REFUSED not in texts(app)
    assert app.title[0].value == "数据上传"


@pytest.mark.parametrize(
    ("role", "unit", "page", "refused"),
    [
        (Role.LEADER, None, "pages/upload.py", True),
        (Role.LEADER, None, "pages/manage.py", True),
        (Role.LEADER, None, "pages/completeness.py", False),
        (Role.UNIT, "市民政局", "pages/overview.py", True),
        (Role.UNIT, "市民政局", "pages/manage.py", True),
        (Role.UNIT, "市民政局", "pages/upload.py", False),
        (Role.ANALYST, None, "pages/manage.py", False),
        (Role.ANALYST, None, "pages/admin.py", True),
        (Role.ADMIN, None, "pages/admin.py", False),
    ],
)
def test_each_role_is_given_only_its_pages(app, store, role, unit, page, refused):
    auth.add_user(store, "someone", PASSWORD, role, unit=unit)
    sign_in(app, store, "someone", PASSWORD)
    if refused:  # not in the navigation at all: Streamlit serves no such page to this session
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app.switch_page(page)
        return
    app.switch_page(page).run()
    assert not app.exception
    assert REFUSED not in texts(app)


def test_a_unit_filler_starts_on_the_upload_page_at_the_root(app, store):
    auth.add_user(store, "民政填报员", PASSWORD, Role.UNIT, unit="市民政局")
    sign_in(app, store, "民政填报员", PASSWORD)
    assert not app.exception
    assert app.title[0].value == "数据上传"


def _page_asking_for_manage():
    import streamlit as st

    from lingyi.access import auth
    from lingyi.ui import sign_in

    sign_in.require(auth.Permission.MANAGE)
    st.write("管理内容")


def test_a_page_itself_refuses_a_role_that_lacks_its_permission(app, store):
    leader = auth.add_user(store, "领导甲", PASSWORD, Role.LEADER)
    page = AppTest.from_function(_page_asking_for_manage)
    page.session_state["_lingyi_session"], _ = auth.start_session(store, leader)
    page.run()
    assert [e.value for e in page.error] == ["您的角色（领导）不能使用此页。"]
    assert "管理内容" not in texts(page)


def test_a_unit_filler_is_told_which_unit_the_upload_page_takes(app, store):
    auth.add_user(store, "民政填报员", PASSWORD, Role.UNIT, unit="市民政局")
    sign_in(app, store, "民政填报员", PASSWORD)
    app.switch_page("pages/upload.py").run()
    assert "本账号报送「临沂市民政局」的数据" in texts(app)


def test_the_sign_in_password_is_offered_as_the_current_password_not_a_new_one(app, store):
    auth.add_user(store, "分析员乙", PASSWORD, Role.ANALYST)
    app.run()
    fields = {t.label: t.proto for t in app.text_input}
    assert (fields["密码"].type, fields["密码"].autocomplete) == (fields["密码"].PASSWORD, "current-password")


def test_a_user_disabled_elsewhere_is_signed_out_on_the_next_run(app, store):
    auth.add_user(store, "领导乙", PASSWORD, Role.LEADER)
    sign_in(app, store, "领导乙", PASSWORD)
    assert "当前用户：领导乙 · 领导" in texts(app)
    auth.set_disabled(store, "领导乙", True, by="管理员甲")  # from another session, or the command line
    app.run()
    assert not app.exception
    assert "当前用户：领导乙 · 领导" not in texts(app)
    assert "登录已结束（超时、已在别处退出，或账号已变更），请重新登录。" in texts(app)
    assert [t.label for t in app.text_input] == ["用户名", "密码"]


def test_signing_out_ends_the_session_in_the_store(app, store, monkeypatch):
    starting = PagesManager.__init__

    def started(manager, *args, **kwargs):  # the button's rerun goes the way a server's does (tests/test_pages.py)
        starting(manager, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", started)
    auth.add_user(store, "领导乙", PASSWORD, Role.LEADER)
    sign_in(app, store, "领导乙", PASSWORD)
    number = app.session_state["_lingyi_session"]
    app.button(key="sign_out").click().run()
    assert not app.exception
    assert [t.label for t in app.text_input] == ["用户名", "密码"]
    assert "登录已结束" not in texts(app)  # this browser signed out itself: nothing to explain
    assert auth.session_user(store, number) is None


OIDC = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-secret-for-the-test",
    "client_id": "lingyi-dashboard",
    "client_secret": "secret",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}


def test_with_an_oidc_provider_configured_the_sign_in_page_offers_it_beside_the_form(app, store):
    auth.add_user(store, "领导乙", PASSWORD, Role.LEADER)
    app.secrets["auth"] = OIDC
    app.run()
    assert not app.exception
    assert [b.label for b in app.button] == ["统一身份认证登录", "登录"]
    assert [t.label for t in app.text_input] == ["用户名", "密码"]


def test_without_an_oidc_provider_there_is_only_the_form(app, store):
    auth.add_user(store, "领导乙", PASSWORD, Role.LEADER)
    app.run()
    assert [b.label for b in app.button] == ["登录"]


@pytest.mark.parametrize("claim", [None, "name"])
def test_an_oidc_identity_signs_in_as_the_local_user_of_that_name_with_that_users_role(app, store, claim):
    auth.add_user(store, "领导乙", PASSWORD, Role.LEADER)
    app.secrets["auth"] = OIDC
    if claim:
        app.secrets["lingyi"] = {"oidc_user_claim": claim}
    app.user = {"is_logged_in": True, claim or "preferred_username": "领导乙", "email": "leader@example.gov"}
    app.run()
    assert not app.exception
    assert "当前用户：领导乙 · 领导" in texts(app)


def test_an_oidc_identity_without_an_enabled_local_user_is_told_to_ask_for_one(app, store):
    auth.add_user(store, "领导乙", PASSWORD, Role.LEADER)
    auth.set_disabled(store, "领导乙", True)
    app.secrets["auth"] = OIDC
    app.user = {"is_logged_in": True, "preferred_username": "领导乙"}
    app.run()
    assert not app.exception
    assert "统一身份认证账号「领导乙」在本系统没有对应的可用用户，请联系管理员开通。" in texts(app)
    assert [b.label for b in app.button] == ["退出统一身份认证"]
    assert "当前用户" not in texts(app)
