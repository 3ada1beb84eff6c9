"""The session route: a ticket in, a signed HttpOnly cookie out, once; called as the ASGI server calls it."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import quote

import pytest
from starlette.applications import Starlette

from lingyi.access import auth, web
from lingyi.access.auth import Role

PASSWORD = "学习型机关2025年密码"


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]

    @property
    def cookie(self) -> SimpleCookie:
        cookie = SimpleCookie()
        for name, value in self.headers:
            if name == "set-cookie":
                cookie.load(value)
        return cookie


def call(app, method: str, path: str, *, body: object = None, headers: dict | None = None) -> Answer:
    """One HTTP request to ``app`` through ASGI, without a network or an HTTP client."""
    sent = json.dumps(body).encode() if body is not None else b""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": quote(path).encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8501),
    }
    messages = []

    async def receive():
        return {"type": "http.request", "body": sent, "more_body": False}

    async def send(message):
        messages.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in messages if m["type"] == "http.response.start")
    return Answer(start["status"], [(k.decode(), v.decode()) for k, v in start["headers"]])


@pytest.fixture
def ticket(store) -> str:
    leader = auth.add_user(store, "领导乙", PASSWORD, Role.LEADER)
    return auth.start_session(store, leader)[1]


@pytest.fixture
def app(store) -> Starlette:
    return Starlette(routes=web.routes(store=store))


OURS = {web.HEADER: "1", "Content-Type": "application/json"}


def test_a_ticket_is_answered_with_a_signed_httponly_cookie_for_the_working_day(app, store, ticket):
    answer = call(app, "POST", "/lingyi/session", body={"ticket": ticket}, headers=OURS)
    assert answer.status == 204
    cookie = answer.cookie[auth.COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"].lower() == "lax" and cookie["path"] == "/"
    assert int(cookie["max-age"]) == auth.SESSION_HOURS * 3600
    assert not cookie["secure"]  # plain http on the intranet; behind an https proxy it is secure (below)
    number = auth.cookie_session(store, cookie.value)
    assert auth.session_user(store, number) == auth.User("领导乙", Role.LEADER)


def test_a_ticket_is_taken_once(app, ticket):
    assert call(app, "POST", "/lingyi/session", body={"ticket": ticket}, headers=OURS).status == 204
    again = call(app, "POST", "/lingyi/session", body={"ticket": ticket}, headers=OURS)
    assert again.status == 403 and auth.COOKIE_NAME not in again.cookie


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        ({"ticket": "made-up"}, OURS, 403),
        ("not an object", OURS, 400),
        ({}, OURS, 400),
        ({"ticket": "…"}, {"Content-Type": "application/json"}, 403),  # a form on another site cannot add the header
    ],
    ids=["unknown ticket", "no object", "no ticket", "no header"],
)
def test_a_request_without_a_good_ticket_or_our_header_gets_no_cookie(app, ticket, body, headers, status):
    body = {"ticket": ticket} if body == {"ticket": "…"} else body
    answer = call(app, "POST", "/lingyi/session", body=body, headers=headers)
    assert answer.status == status and auth.COOKIE_NAME not in answer.cookie


def test_behind_an_https_proxy_the_cookie_is_secure(app, ticket):
    headers = {**OURS, "X-Forwarded-Proto": "https"}
    answer = call(app, "POST", "/lingyi/session", body={"ticket": ticket}, headers=headers)
    assert answer.cookie[auth.COOKIE_NAME]["secure"]


def test_delete_drops_the_cookie(app):
    answer = call(app, "DELETE", "/lingyi/session", headers=OURS)
    assert answer.status == 204
    dropped = answer.cookie[auth.COOKIE_NAME]
    assert dropped.value == "" and int(dropped["max-age"]) == 0


def test_under_a_base_url_path_the_route_and_the_cookie_live_there(store, ticket):
    app = Starlette(routes=web.routes("/看板/", store=store))
    assert web.session_url("/看板/") == "/看板/lingyi/session"
    answer = call(app, "POST", "/看板/lingyi/session", body={"ticket": ticket}, headers=OURS)
    assert answer.status == 204 and answer.cookie[auth.COOKIE_NAME]["path"] == "/%E7%9C%8B%E6%9D%BF"


def test_streamlits_page_is_marked_chinese_and_carries_the_script_before_anything_else_runs():
    page = web.chinese_page(b'<!DOCTYPE html><html lang="en"><head><title>Streamlit</title></head><body></body></html>')
    text = page.decode()
    assert '<html lang="zh-CN">' in text and "<title>学习型机关建设数据看板</title>" in text
    assert text.index("MutationObserver") < text.index("</head>")


def _html_app(kind: str, body: bytes):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", kind.encode())]})
        await send({"type": "http.response.body", "body": body})

    return app


def _get(app, accept: str) -> tuple[dict, bytes]:
    messages = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        messages.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [(b"accept", accept.encode())]}
    asyncio.run(web.ChineseChrome(app)(scope, receive, send))
    return dict(messages[0]["headers"]), b"".join(m.get("body", b"") for m in messages[1:])


def test_the_middleware_rewrites_html_pages_and_passes_everything_else_untouched():
    html = b'<html lang="en"><head></head></html>'
    headers, body = _get(_html_app("text/html; charset=utf-8", html), "text/html,application/xhtml+xml")
    assert b'lang="zh-CN"' in body and int(headers[b"content-length"]) == len(body)
    script = b"console.log('<html lang=\"en\"></head>')"
    assert _get(_html_app("text/javascript", script), "text/html")[1] == script
    assert _get(_html_app("text/html", html), "application/json")[1] == html


@pytest.mark.parametrize(
    ("method", "path", "headers"), [("POST", "/lingyi/session", OURS), ("DELETE", "/lingyi/session", OURS)]
)
def test_every_answer_forbids_framing_type_guessing_and_sending_the_address_elsewhere(store, method, path, headers):
    served = Starlette(routes=web.routes(store=store), middleware=web.middleware())
    answer = dict(call(served, method, path, body={"ticket": "x"}, headers=headers).headers)
    assert answer["x-frame-options"] == "DENY"
    assert answer["content-security-policy"] == "frame-ancestors 'none'"
    assert answer["x-content-type-options"] == "nosniff"
    assert answer["referrer-policy"] == "same-origin"


def test_a_page_gets_the_security_headers_once_in_place_of_its_own():
    async def page(scope, receive, send):
        headers = [(b"content-type", b"text/html"), (b"X-Frame-Options", b"SAMEORIGIN")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"<html><head></head></html>"})

    messages = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        messages.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [(b"accept", b"text/html")]}
    asyncio.run(web.SecurityHeaders(page)(scope, receive, send))
    names = [k.lower() for k, _ in messages[0]["headers"]]
    assert names.count(b"x-frame-options") == 1
    assert dict(messages[0]["headers"])[b"x-frame-options"] == b"DENY"
