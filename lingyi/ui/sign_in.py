"""Sign-in and roles: who is signed in (a cookie, OIDC or 演示模式), the sign-in page, the role's navigation, the
account box in the sidebar."""

from __future__ import annotations

import os
import secrets

import streamlit as st

from lingyi.access import auth
from lingyi.access.web import session_url
from lingyi.store.faults import where
from lingyi.ui.data import store

DEFAULT_ANALYST = "分析员"  # who a write is recorded under when nobody is signed in

# 演示模式: signed in as a demo analyst without a password. scripts/start.sh turns it on together with a store of
# its own (data/demo.db), so the quick start never touches the real store.
DEMO_VARIABLE = "LINGYI_DEMO"
_SESSION = "_lingyi_session"  # the number of this browser's session in the store (auth.start_session)
_TICKET = "_lingyi_ticket"  # until the browser has taken its cookie with it (lingyi/access/web.py)
_FORGET_COOKIE = "_lingyi_forget_cookie"  # signed out: the browser drops its cookie on the sign-in page
_ENDED = "_lingyi_session_ended"  # the session ended elsewhere (time, an administrator): say so on the sign-in page
_SIGN_IN_FORM = "sign_in"


# Runs in the page (st.components.v2 runs a component's JavaScript in the app's own document): one request to
# lingyi/access/web.py, which answers with the cookie, or deletes it. Each ticket is posted once, however often this runs.
_SESSION_COOKIE_JS = """
export default function ({ data, setTriggerValue }) {
  const done = (window.lingyiSessionRequests ??= new Set());
  const request = `${data.method} ${data.request}`;
  if (done.has(request)) return;
  done.add(request);
  fetch(data.url, {
    method: data.method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-Lingyi-Session": "1" },
    body: data.ticket ? JSON.stringify({ ticket: data.ticket }) : undefined,
  }).then((answer) => setTriggerValue("answered", answer.ok), () => setTriggerValue("answered", false));
}
"""
_session_cookie = st.components.v2.component("lingyi_session_cookie", js=_SESSION_COOKIE_JS)


def demo_mode() -> bool:
    return os.environ.get(DEMO_VARIABLE) == "1"


def signed_in_user() -> auth.User | None:
    """Who is signed in (in 演示模式, the demo analyst), checked against the store on every run.

    A new tab or a reload is a new Streamlit session: it finds its session again by the browser's cookie. A
    session that has ended — past its hours, signed out in another tab, the user disabled or given a new
    password — signs this browser out now.
    """
    if demo_mode():
        return auth.DEMO_USER
    opened = store()
    if _oidc_signed_in():  # through the office's OIDC provider (st.login): the local user of that name
        return auth.active_user(opened, _oidc_name())
    number = st.session_state.get(_SESSION)
    if number is None:  # a new tab or a reload: the session its cookie names, if that still lasts
        cookie = st.context.cookies.get(auth.COOKIE_NAME)
        number = auth.cookie_session(opened, cookie) if isinstance(cookie, str) else None  # AppTest has no cookies
        user = None if number is None else auth.session_user(opened, number)
        if user is not None:
            st.session_state[_SESSION] = number
        return user
    user = auth.session_user(opened, number)
    if user is None:
        _forget_session()
        st.session_state[_ENDED] = True
    return user


OIDC_CLAIM = "preferred_username"  # the claim that names the local user; [lingyi] oidc_user_claim overrides it


def oidc_configured() -> bool:
    """Whether .streamlit/secrets.toml has Streamlit's ``[auth]`` settings for an OIDC provider."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all
        return False


def _oidc_signed_in() -> bool:
    return bool(st.user.get("is_logged_in", False))


def _oidc_name() -> str:
    try:
        claim = st.secrets.get("lingyi", {}).get("oidc_user_claim", OIDC_CLAIM)
    except FileNotFoundError:
        claim = OIDC_CLAIM
    return str(st.user.get(claim) or "")


def _forget_session() -> None:
    st.session_state.pop(_SESSION, None)
    st.session_state.pop(_TICKET, None)
    st.session_state[_FORGET_COOKIE] = secrets.token_hex(8)  # names this request to drop the cookie


def sign_out(user: auth.User) -> None:
    """End every session of ``user`` (this tab, their other tabs and browsers) and drop this browser's cookie."""
    auth.sign_out(store(), user.name)
    _forget_session()


def _cookie_request(method: str, key: str) -> None:
    """Ask the browser to take (POST, with this session's ticket) or drop (DELETE) its session cookie."""
    ticket = st.session_state.get(_TICKET) if method == "POST" else None
    request = ticket if method == "POST" else st.session_state.get(_FORGET_COOKIE)

    def answered() -> None:  # once is enough: a browser that could not take the cookie stays signed in here
        st.session_state.pop(_TICKET if method == "POST" else _FORGET_COOKIE, None)

    _session_cookie(
        key=key,
        data={
            "method": method,
            "url": session_url(st.get_option("server.baseUrlPath")),
            "ticket": ticket,
            "request": request,
        },
        height=0,
        on_answered_change=answered,
    )


def require(permission: auth.Permission) -> auth.User:
    """The signed-in user if their role allows ``permission``; otherwise the page stops with a plain message."""
    user = signed_in_user()
    if user is None:
        st.warning("请先登录。", icon=":material/login:")
        st.stop()
    if not user.may(permission):
        st.error(f"您的角色（{auth.ROLE_NAMES[user.role]}）不能使用此页。", icon=":material/block:")
        st.stop()
    return user


def bound_unit() -> str | None:
    """The one unit a signed-in 单位填报员 may report for; None for every other role."""
    user = signed_in_user()
    return user.unit if user is not None and user.role is auth.Role.UNIT else None


def client_address() -> str | None:
    """The address this browser's sign-in comes from, as ``auth.client_address`` decides it from Streamlit's view."""
    return auth.client_address(st.context.ip_address, st.context.headers.get("X-Forwarded-For"))


def sign_in_page() -> None:
    """The page shown to whoever is not signed in."""
    st.title("学习型机关建设数据看板", anchor=False)
    if st.session_state.get(_ENDED):  # kept until the next sign-in: dropping the cookie reruns the page
        st.info("登录已结束（超时、已在别处退出，或账号已变更），请重新登录。", icon=":material/schedule:")
    # After the note, so that the rerun without this request finds the note where it was: never shown twice.
    if st.session_state.get(_FORGET_COOKIE):
        _cookie_request("DELETE", key="lingyi_forget_cookie")
    opened = store()
    if not auth.has_users(opened):
        st.info(
            "系统还没有任何用户。请管理员在服务器上运行：`python -m lingyi user add 用户名 --role admin`，"
            "按提示设置密码后再登录。",
            icon=":material/admin_panel_settings:",
        )
        return
    if _oidc_signed_in():  # signed in at the OIDC provider, but no enabled user of that name here
        st.warning(
            f"统一身份认证账号「{_oidc_name() or '（无用户名）'}」在本系统没有对应的可用用户，请联系管理员开通。",
            icon=":material/person_off:",
        )
        st.button("退出统一身份认证", key="oidc_sign_out", on_click=st.logout, icon=":material/logout:")
        return
    if oidc_configured():
        st.button("统一身份认证登录", key="oidc_sign_in", on_click=st.login, type="primary", icon=":material/badge:")
        st.caption("或用本系统的用户名和密码登录：")
    with st.form(_SIGN_IN_FORM):
        name = st.text_input("用户名")
        password = st.text_input("密码", type="password", autocomplete="current-password")  # not a new one
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        try:
            user = auth.sign_in(opened, name, password, address=client_address())
        except auth.SignInError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        st.session_state[_SESSION], st.session_state[_TICKET] = auth.start_session(opened, user)
        st.session_state.pop(_FORGET_COOKIE, None)
        st.session_state.pop(_ENDED, None)
        st.rerun()


START_PAGE = "start"  # the root's own page: signing in there opens the role's first page


def role_navigation(
    user: auth.User, pages: dict[str, list], permissions: dict[str, auth.Permission], *, first: str
) -> dict[str, list]:
    """The navigation for ``user``: the sections of ``pages`` with the pages their role allows, in the menu; and,
    hidden from it, every other page at its own address, answering 「无权访问」 with links to the user's own pages
    (not Streamlit's 「没有这个页面」). Where the role lacks ``first`` (the default page, whose address is the root),
    the root goes on to the role's first page, so that page keeps its own address and a link to it opens it:
    Streamlit serves its default page at the root only.
    """
    menu = {section: [p for p in listed if user.may(permissions[p.title])] for section, listed in pages.items()}
    own = [p for listed in menu.values() for p in listed]
    refused = {  # by address: the overview answers at the root and by its name, /overview
        p.url_path or first: p.title for listed in pages.values() for p in listed if not user.may(permissions[p.title])
    }
    hidden = [_refused_page(user, title, address, own) for address, title in refused.items()]
    if not any(p.url_path == "" for p in own):
        hidden.append(_start_page(own[0]))
    return {"": hidden, **{section: listed for section, listed in menu.items() if listed}}


def _refused_page(user: auth.User, title: str, url_path: str, own: list) -> st.Page:
    def refused() -> None:
        st.title(title, anchor=False)
        st.error(f"无权访问：您的角色（{auth.ROLE_NAMES[user.role]}）不能使用「{title}」。", icon=":material/block:")
        st.markdown("您可以使用：")
        for page in own:
            st.page_link(page)

    return st.Page(refused, title=title, url_path=url_path, visibility="hidden")


def _start_page(page: st.Page) -> st.Page:
    def start() -> None:
        st.switch_page(page)

    return st.Page(start, title=page.title, url_path=START_PAGE, default=True, visibility="hidden")


def account_box(user: auth.User) -> None:
    """Who is signed in, in the sidebar, with a way out; in 演示模式 a banner that says what this is."""
    if demo_mode():
        st.markdown(
            f":orange-background[:material/science: **演示模式**] 这里是示例数据（演示库：{where(store().url)}），"
            "可随意浏览和上传，不会改动正式数据库。"
        )
    with st.sidebar:
        st.caption(f"当前用户：{user.label}")
        if st.session_state.get(_TICKET):
            _cookie_request("POST", key="lingyi_take_cookie")
        if not demo_mode() and st.button("退出登录", key="sign_out", icon=":material/logout:"):
            if _oidc_signed_in():
                st.logout()  # the OIDC sign-in's own cookie goes; the page reloads
            sign_out(user)
            st.rerun()


def actor() -> str:
    """The name a write is recorded under: the signed-in user's."""
    user = signed_in_user()
    return user.name if user is not None else DEFAULT_ANALYST
