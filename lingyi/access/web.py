"""What serve.py adds to Streamlit's server: the session-cookie route, and Streamlit's own words in Chinese.

Streamlit talks to the browser over a WebSocket, which cannot set a cookie, and ``st.context.cookies`` only reads
the cookies the browser sent when it connected. ``st.App`` (serve.py) serves Streamlit on Starlette with extra
routes, so the cookie is set the ordinary way, by an HTTP response:

    POST   /lingyi/session  {"ticket": …}  →  204, Set-Cookie: lingyi_session=…; HttpOnly; SameSite=Lax; Max-Age=8 h
    DELETE /lingyi/session                 →  204, the cookie deleted

The ticket is the one-time secret ``auth.start_session`` gave the signed-in page (lingyi/ui/sign_in.py posts it from the
browser); the cookie holds the session's token, signed, which JavaScript in the page can never read. A request
without the ``X-Lingyi-Session`` header is refused: a page on another site cannot add one without a CORS
preflight this route does not answer.

``ChineseChrome`` puts lingyi/access/chrome_zh.js into every page Streamlit serves (and marks the page ``lang="zh-CN"``):
Streamlit's frontend speaks only English (「Running…」, 「Connection error」, the main menu, 「Choose an option」),
and only a script in the page from the start reaches the words shown before the first run or after the
connection is lost.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lingyi.access import auth
from lingyi.store import Store, default_url

SESSION_PATH = "lingyi/session"
HEADER = "X-Lingyi-Session"


def session_url(base_url_path: str = "") -> str:
    """The route's path under Streamlit's ``server.baseUrlPath``: ``/lingyi/session`` or ``/看板/lingyi/session``."""
    base = base_url_path.strip("/")
    return f"/{base}/{SESSION_PATH}" if base else f"/{SESSION_PATH}"


@functools.cache
def _store() -> Store:
    return Store(default_url())


def _cookie_path(base_url_path: str) -> str:
    """The cookie's Path, as the browser writes the address (a Chinese base path percent-encoded)."""
    base = base_url_path.strip("/")
    return quote(f"/{base}") if base else "/"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def routes(base_url_path: str = "", store: Store | None = None) -> list[Route]:
    """The session route, for ``st.App(routes=…)``; ``store`` defaults to LINGYI_DATABASE_URL's, opened on first use."""
    path = _cookie_path(base_url_path)

    async def session(request: Request) -> Response:
        if request.headers.get(HEADER) != "1":
            return JSONResponse({"error": "missing header"}, status_code=403)
        if request.method == "DELETE":
            answer = Response(status_code=204)
            answer.delete_cookie(auth.COOKIE_NAME, path=path, httponly=True, samesite="lax")
            return answer
        try:
            ticket = str(json.loads(await request.body())["ticket"])
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "no ticket"}, status_code=400)
        cookie = await run_in_threadpool(auth.take_ticket, store or _store(), ticket)
        if cookie is None:
            return JSONResponse({"error": "unknown, used or late ticket"}, status_code=403)
        answer = Response(status_code=204)
        answer.set_cookie(
            auth.COOKIE_NAME,
            cookie,
            max_age=auth.SESSION_HOURS * 3600,
            path=path,
            httponly=True,
            samesite="lax",
            secure=_secure(request),
        )
        return answer

    return [Route(session_url(base_url_path), session, methods=["POST", "DELETE"])]


CHROME_SCRIPT = (Path(__file__).with_name("chrome_zh.js")).read_text(encoding="utf-8")
SMALL_SCREENS = (Path(__file__).with_name("small_screens.css")).read_text(encoding="utf-8")


def chinese_page(html: bytes) -> bytes:
    """Streamlit's index.html marked Chinese, with the script that puts Streamlit's own words in Chinese and the
    layout for a phone (lingyi/access/small_screens.css)."""
    page = html.decode("utf-8")
    page = page.replace('<html lang="en">', '<html lang="zh-CN">', 1)
    page = page.replace("<title>Streamlit</title>", "<title>学习型机关建设数据看板</title>", 1)
    page = page.replace("</head>", f"<script>{CHROME_SCRIPT}</script>\n<style>{SMALL_SCREENS}</style>\n</head>", 1)
    return page.encode("utf-8")


class ChineseChrome:
    """ASGI middleware: every HTML page passes through ``chinese_page``; everything else passes untouched."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
        if scope["type"] != "http" or scope["method"] != "GET" or b"text/html" not in headers.get(b"accept", b""):
            await self.app(scope, receive, send)
            return
        # Asked uncompressed (only the page itself, a few kB), so that it can be read and rewritten here.
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]}
        start: dict = {}
        chunks: list[bytes] = []

        async def rewrite(message):
            if message["type"] == "http.response.start":
                start.update(message)
                kind = dict(message.get("headers", [])).get(b"content-type", b"")
                start["html"] = kind.startswith(b"text/html")
                if not start["html"]:
                    await send(message)
                return
            if not start.get("html"):
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = chinese_page(b"".join(chunks))
            kept = [(k, v) for k, v in start["headers"] if k not in (b"content-length", b"etag")]
            await send(
                {
                    "type": "http.response.start",
                    "status": start["status"],
                    "headers": [*kept, (b"content-length", str(len(body)).encode())],
                }
            )
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)


# On every response: no other site may show the dashboard in a frame (clickjacking: a sign-in or 撤销 button under a
# decoy), no browser guesses a type other than the one sent (an uploaded file shown as a page), and no address of
# the dashboard, with its filters, is sent to another site as the Referer.
SECURITY_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


class SecurityHeaders:
    """ASGI middleware: ``SECURITY_HEADERS`` on every HTTP response, in place of any the app set itself."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ours = {name for name, _ in SECURITY_HEADERS}

        async def with_headers(message):
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in ours]
                message = {**message, "headers": [*kept, *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, with_headers)


def middleware() -> list[Middleware]:
    """For ``st.App(middleware=…)``: the security headers outermost, so every answer has them."""
    return [Middleware(SecurityHeaders), Middleware(ChineseChrome)]
