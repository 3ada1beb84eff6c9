"""Sign-in and roles (issue 6): local users in the store, argon2 password hashes, what each role may do.

    领导      views every dashboard page and the 报送情况
    单位填报员 bound to one unit: uploads that unit's returns and sees that unit's history only
    分析员    uploads for any unit, manages data (history, restore, withdraw, export)
    管理员    everything, plus users and the registry

There is no default password: the first administrator is made on the server with
``python -m lingyi user add NAME --role admin``. Repeated failed sign-ins are slowed down per account and
address (FREE_FAILURES, then a growing wait), so someone guessing an account's password from one computer does
not lock its owner out of theirs; a slower back-off per account (GLOBAL_FREE_FAILURES from any addresses) spares
the addresses the account signed in from lately. Every attempt is recorded, a locked one too (``sign_ins``).

A sign-in starts a session in the store that lasts SESSION_HOURS. The browser that signed in takes a one-time
ticket to lingyi/access/web.py and gets back a signed, HttpOnly cookie holding the session's random token, so a reload
or a second tab finds the session again. Signing out, disabling the user or changing the password ends every
session of that user; each run of a page checks its session, so the next click of a signed-out browser shows
the sign-in form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection

from lingyi.errors import LingyiError
from lingyi.store import SESSION_KEY, Store, meta_table, now, sessions_table, sign_ins_table, users_table


class Role(StrEnum):
    LEADER = "leader"
    UNIT = "unit"
    ANALYST = "analyst"
    ADMIN = "admin"


ROLE_NAMES = {Role.LEADER: "领导", Role.UNIT: "单位填报员", Role.ANALYST: "分析员", Role.ADMIN: "管理员"}
ROLE_BY_WORD = {**{r.value: r for r in Role}, **{name: role for role, name in ROLE_NAMES.items()}}


class Permission(StrEnum):
    VIEW = "view"  # the dashboards and 报送情况
    UPLOAD = "upload"  # 数据上传 (a 单位填报员 for their own unit only)
    MANAGE = "manage"  # 数据管理: history of every unit, restore, withdraw, export
    EXPORT = "export"  # 简报导出
    ADMIN = "admin"  # users, registry, audit log


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.LEADER: frozenset({Permission.VIEW, Permission.EXPORT}),
    Role.UNIT: frozenset({Permission.UPLOAD}),
    Role.ANALYST: frozenset({Permission.VIEW, Permission.UPLOAD, Permission.MANAGE, Permission.EXPORT}),
    Role.ADMIN: frozenset(Permission),
}

SESSION_HOURS = 8
COOKIE_NAME = "lingyi_session"
TICKET_LIFETIME = dt.timedelta(minutes=2)  # from signing in to the browser taking its cookie
# After this many failures in the window, each further attempt waits longer (2, 4, 8 … minutes).
FREE_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=30)
# From any addresses: after this many failures in GLOBAL_WINDOW, a wait of a minute, doubled every 5 failures more,
# at most GLOBAL_MAX_WAIT; an address the account signed in from within KNOWN_ADDRESS_AGE is not held by it.
GLOBAL_FREE_FAILURES = 25
GLOBAL_WINDOW = dt.timedelta(hours=24)
GLOBAL_MAX_WAIT = dt.timedelta(minutes=30)
KNOWN_ADDRESS_AGE = dt.timedelta(days=30)
OUTCOME_NAMES = {"ok": "成功", "wrong": "用户名或密码不正确", "locked": "已锁定，未校验密码"}
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()


class SignInError(LingyiError):
    """Wrong name or password, a disabled user, or too many recent failures."""


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    unit: str | None = None  # the unit a 单位填报员 reports for

    def may(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]

    @property
    def label(self) -> str:
        bound = f"（{self.unit}）" if self.unit else ""
        return f"{self.name} · {ROLE_NAMES[self.role]}{bound}"


def parse_role(word: str) -> Role:
    try:
        return ROLE_BY_WORD[word.strip().lower()]
    except KeyError:
        allowed = "、".join(f"{r.value}（{ROLE_NAMES[r]}）" for r in Role)
        raise LingyiError(f"没有角色「{word}」；可选：{allowed}。") from None


def add_user(store: Store, name: str, password: str, role: Role, *, unit: str | None = None, by: str = "cli") -> User:
    name = name.strip()
    if not name:
        raise LingyiError("用户名不能为空。")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise LingyiError(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符。")
    if role is Role.UNIT:
        if not unit:
            raise LingyiError("单位填报员须绑定一个单位：请用 --unit 指定。")
        unit = store.registry().resolve(unit).name
    elif unit:
        raise LingyiError("只有单位填报员绑定单位。")
    with store.writing() as conn:
        if conn.execute(sa.select(users_table.c.id).where(users_table.c.name == name)).first():
            raise LingyiError(f"用户「{name}」已存在。")
        conn.execute(
            users_table.insert().values(
                name=name,
                password_hash=_hasher.hash(password),
                role=role.value,
                unit=unit,
                disabled=False,
                created_at=now(),
            )
        )
        store.audit(
            conn, by, "user", {"note": f"新增用户 {name}（{ROLE_NAMES[role]}）", "units": [unit] if unit else []}
        )
    return User(name, role, unit)


def set_password(store: Store, name: str, password: str, *, by: str = "cli") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise LingyiError(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符。")
    with store.writing() as conn:
        changed = conn.execute(
            users_table.update().where(users_table.c.name == name).values(password_hash=_hasher.hash(password))
        ).rowcount
        if not changed:
            raise LingyiError(f"没有用户「{name}」。")
        _end_sessions(conn, name)
        store.audit(conn, by, "user", {"note": f"重设用户 {name} 的密码"})


def set_disabled(store: Store, name: str, disabled: bool, *, by: str = "cli") -> None:
    with store.writing() as conn:
        changed = conn.execute(
            users_table.update().where(users_table.c.name == name).values(disabled=disabled)
        ).rowcount
        if not changed:
            raise LingyiError(f"没有用户「{name}」。")
        if disabled:
            _end_sessions(conn, name)
        store.audit(conn, by, "user", {"note": f"{'停用' if disabled else '启用'}用户 {name}"})


def users(store: Store) -> pd.DataFrame:
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                users_table.c.name,
                users_table.c.role,
                users_table.c.unit,
                users_table.c.disabled,
                users_table.c.created_at,
            ).order_by(users_table.c.id)
        ).all()
    frame = pd.DataFrame(rows, columns=["name", "role", "unit", "disabled", "created_at"])
    frame["role_name"] = [ROLE_NAMES[Role(r)] for r in frame["role"]]
    return frame


def has_users(store: Store) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(users_table)).scalar() > 0


def wait_before_next_attempt(
    store: Store, name: str, at: dt.datetime | None = None, address: str | None = None
) -> dt.timedelta:
    """How long ``name`` must wait before trying again from ``address``: nothing until FREE_FAILURES failures from
    there since its last success there, then 2, 4, 8 … minutes; and the slower back-off of the account from every
    address, unless ``address`` is one it signed in from lately. Attempts refused while locked count for neither."""
    at = at or now()
    with store.engine.connect() as conn:
        attempts = conn.execute(
            sa.select(
                sign_ins_table.c.at, sign_ins_table.c.succeeded, sign_ins_table.c.address, sign_ins_table.c.outcome
            )
            .where(sign_ins_table.c.name == name, sign_ins_table.c.at >= at - max(FAILURE_WINDOW, GLOBAL_WINDOW))
            .order_by(sign_ins_table.c.at, sign_ins_table.c.id)
        ).all()
        known = (
            address is not None
            and conn.execute(
                sa.select(sign_ins_table.c.id).where(
                    sign_ins_table.c.name == name,
                    sign_ins_table.c.address == address,
                    sign_ins_table.c.succeeded.is_(True),
                    sign_ins_table.c.at >= at - KNOWN_ADDRESS_AGE,
                )
            ).first()
            is not None
        )
    here = _failures_since_success([a for a in attempts if a.address == address and a.at >= at - FAILURE_WINDOW])
    wait = dt.timedelta(0)
    if len(here) >= FREE_FAILURES:
        wait = here[-1] + dt.timedelta(minutes=2 ** (len(here) - FREE_FAILURES + 1)) - at
    everywhere = _failures_since_success(attempts)
    if not known and len(everywhere) >= GLOBAL_FREE_FAILURES:
        doublings = (len(everywhere) - GLOBAL_FREE_FAILURES) // 5
        held = min(GLOBAL_MAX_WAIT, dt.timedelta(minutes=2 ** min(doublings, 10)))
        wait = max(wait, everywhere[-1] + held - at)
    return max(dt.timedelta(0), wait)


def _failures_since_success(attempts: list) -> list[dt.datetime]:
    failures: list[dt.datetime] = []
    for attempt in attempts:
        if attempt.succeeded:
            failures = []
        elif attempt.outcome != "locked":
            failures.append(attempt.at)
    return failures


def client_address(peer: str | None, forwarded_for: str | None = None) -> str | None:
    """The address a sign-in comes from: the peer Streamlit sees (``st.context.ip_address``), or, where that is this
    machine (a reverse proxy in front of Streamlit), the address that proxy appended last to X-Forwarded-For. The
    entries before it are the browser's say and are not believed."""
    if peer in (None, "", "127.0.0.1", "::1", "localhost") and forwarded_for:
        last = forwarded_for.split(",")[-1].strip()
        return last[:64] or peer
    return peer[:64] if peer else None


def sign_in(
    store: Store, name: str, password: str, *, address: str | None = None, at: dt.datetime | None = None
) -> User:
    """The user, if the name and password are right; every attempt is recorded with its address, one refused
    because the account is locked for that address too, and failures slow further attempts (``wait_before_next_attempt``)."""
    name = name.strip()
    at = at or now()
    wait = wait_before_next_attempt(store, name, at, address)
    if wait > dt.timedelta(0):
        _record(store, at, name, address, "locked")
        minutes = max(1, round(wait.total_seconds() / 60))
        raise SignInError(f"连续登录失败次数过多，请 {minutes} 分钟后再试。")
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(users_table).where(users_table.c.name == name)).first()
    ok = False
    if row is not None and not row.disabled:
        try:
            ok = _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    _record(store, at, name, address, "ok" if ok else "wrong")
    if not ok:
        raise SignInError("用户名或密码不正确，或该用户已停用。")
    return User(row.name, Role(row.role), row.unit)


def _record(store: Store, at: dt.datetime, name: str, address: str | None, outcome: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            sign_ins_table.insert().values(
                at=at, name=name[:64], succeeded=outcome == "ok", address=address, outcome=outcome
            )
        )


SIGN_IN_HEADINGS = {"at": "时间", "name": "用户名", "address": "地址", "result": "结果"}


def sign_ins(store: Store, *, since: dt.date | None = None, limit: int = 500) -> pd.DataFrame:
    """The latest sign-in attempts, newest first: at, name, address (「未知」 where not known) and result in words."""
    query = sa.select(
        sign_ins_table.c.at,
        sign_ins_table.c.name,
        sign_ins_table.c.address,
        sign_ins_table.c.succeeded,
        sign_ins_table.c.outcome,
    )
    if since is not None:
        query = query.where(sign_ins_table.c.at >= dt.datetime.combine(since, dt.time()))
    with store.engine.connect() as conn:
        rows = conn.execute(query.order_by(sign_ins_table.c.at.desc(), sign_ins_table.c.id.desc()).limit(limit)).all()
    return pd.DataFrame(
        {
            "at": [r.at for r in rows],
            "name": [r.name for r in rows],
            "address": [r.address or "未知" for r in rows],
            "result": [OUTCOME_NAMES[r.outcome or ("ok" if r.succeeded else "wrong")] for r in rows],
        },
        columns=list(SIGN_IN_HEADINGS),
    )


def active_user(store: Store, name: str) -> User | None:
    """The user called ``name`` unless disabled: whom an identity from the office's OIDC provider signs in as."""
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(users_table).where(users_table.c.name == name.strip(), users_table.c.disabled.is_(False))
        ).first()
    return None if row is None else User(row.name, Role(row.role), row.unit)


# -- sessions that outlive a reload ----------------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _signature(store: Store, token: str) -> str:
    with store.engine.connect() as conn:
        key = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == SESSION_KEY)).scalar_one()
    return hmac.new(key.encode(), token.encode(), hashlib.sha256).hexdigest()


def start_session(store: Store, user: User, at: dt.datetime | None = None) -> tuple[int, str]:
    """A session of ``user`` for SESSION_HOURS: its number, and the one-time ticket its browser takes a cookie with."""
    at = at or now()
    ticket = secrets.token_urlsafe(32)
    with store.engine.begin() as conn:
        number = conn.execute(
            sessions_table.insert().values(
                user_name=user.name,
                ticket_sha256=_digest(ticket),
                started_at=at,
                expires_at=at + dt.timedelta(hours=SESSION_HOURS),
            )
        ).inserted_primary_key[0]
    return number, ticket


def take_ticket(store: Store, ticket: str, at: dt.datetime | None = None) -> str | None:
    """The signed cookie value for the session of ``ticket``; None for a ticket unknown, used, late or of an ended
    session. A ticket is taken once: the session's token is made here, and only its digest is kept."""
    at = at or now()
    token = secrets.token_urlsafe(32)
    with store.engine.begin() as conn:
        taken = conn.execute(
            sessions_table.update()
            .where(
                sessions_table.c.ticket_sha256 == _digest(ticket),
                sessions_table.c.started_at >= at - TICKET_LIFETIME,
                sessions_table.c.ended_at.is_(None),
                sessions_table.c.expires_at > at,
            )
            .values(ticket_sha256=None, token_sha256=_digest(token))
        ).rowcount
    return f"{token}.{_signature(store, token)}" if taken else None


def cookie_session(store: Store, cookie: str) -> int | None:
    """The number of the session a browser's cookie names, if its signature holds (whether the session is live is
    ``session_user``'s question)."""
    token, _, signature = cookie.rpartition(".")
    if not token or not hmac.compare_digest(signature, _signature(store, token)):
        return None
    with store.engine.connect() as conn:
        return conn.execute(
            sa.select(sessions_table.c.id).where(sessions_table.c.token_sha256 == _digest(token))
        ).scalar()


def session_user(store: Store, number: int, at: dt.datetime | None = None) -> User | None:
    """The user of session ``number`` while it lasts: not ended, not past its hours, the user not disabled."""
    at = at or now()
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(users_table.c.name, users_table.c.role, users_table.c.unit)
            .select_from(sessions_table.join(users_table, users_table.c.name == sessions_table.c.user_name))
            .where(
                sessions_table.c.id == number,
                sessions_table.c.ended_at.is_(None),
                sessions_table.c.expires_at > at,
                users_table.c.disabled.is_(False),
            )
        ).first()
    return None if row is None else User(row.name, Role(row.role), row.unit)


def sign_out(store: Store, name: str) -> None:
    """End every session of ``name``: each browser signed in as them shows the sign-in form on its next run."""
    with store.engine.begin() as conn:
        _end_sessions(conn, name)


def _end_sessions(conn: Connection, name: str) -> None:
    conn.execute(
        sessions_table.update()
        .where(sessions_table.c.user_name == name, sessions_table.c.ended_at.is_(None))
        .values(ended_at=now(), ticket_sha256=None)
    )


def other_units_in(user: User, units: set[str]) -> set[str]:
    """The units of a file a 单位填报员 may not write: every unit but their own."""
    if user.role is not Role.UNIT:
        return set()
    return {u for u in units if u != user.unit}


DEMO_USER = User("演示分析员", Role.ANALYST)
