"""Sign-in and roles: argon2-hashed local users, slowed-down failures, a 单位填报员 bound to one unit."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
import sqlalchemy as sa
from factories import OTHER_UNIT, UNIT, drop, learning_rows, write_csv, write_xlsx

from lingyi.__main__ import main
from lingyi.access import auth
from lingyi.access.auth import Permission, Role, SignInError
from lingyi.errors import LingyiError, UnknownName
from lingyi.intake import ingest
from lingyi.intake.ingest import Outcome, Upload, ingest_file, ingest_files
from lingyi.store import sessions_table, sign_ins_table, users_table

PASSWORD = "临沂市直机关学习型机关建设数据看板管理员的长密码二〇二五"  # 27 characters, 81 bytes in UTF-8


def test_a_user_signs_in_with_the_right_password_and_the_hash_is_argon2(store):
    auth.add_user(store, "张三", PASSWORD, Role.ANALYST)
    assert auth.sign_in(store, "张三", PASSWORD) == auth.User("张三", Role.ANALYST)
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(users_table.c.password_hash)).scalar()
    assert stored.startswith("$argon2") and PASSWORD not in stored


def test_a_chinese_password_longer_than_72_bytes_is_checked_to_its_end(store):
    auth.add_user(store, "张三", PASSWORD, Role.ANALYST)
    same_first_72_bytes = PASSWORD[:24] + "错错错"
    assert len(PASSWORD.encode()) > 72 and same_first_72_bytes.encode()[:72] == PASSWORD.encode()[:72]
    with pytest.raises(SignInError, match="用户名或密码不正确"):
        auth.sign_in(store, "张三", same_first_72_bytes)


@pytest.mark.parametrize(("name", "password"), [("张三", "wrong-password"), ("李四", PASSWORD)])
def test_a_wrong_name_or_password_gets_one_message_that_does_not_say_which(store, name, password):
    auth.add_user(store, "张三", PASSWORD, Role.ANALYST)
    with pytest.raises(SignInError, match=r"^用户名或密码不正确，或该用户已停用。$"):
        auth.sign_in(store, name, password)


def test_a_disabled_user_cannot_sign_in(store):
    auth.add_user(store, "张三", PASSWORD, Role.ANALYST)
    auth.set_disabled(store, "张三", True)
    with pytest.raises(SignInError):
        auth.sign_in(store, "张三", PASSWORD)


def test_repeated_failures_are_slowed_down_and_every_attempt_is_recorded(store):
    auth.add_user(store, "张三", PASSWORD, Role.ANALYST)
    for _ in range(auth.FREE_FAILURES):
        with pytest.raises(SignInError, match="用户名或密码不正确"):
            auth.sign_in(store, "张三", "wrong-password")
    with pytest.raises(SignInError, match=r"连续登录失败次数过多，请 2 分钟后再试。"):
        auth.sign_in(store, "张三", PASSWORD)  # even the right password waits
    later = auth.now() + dt.timedelta(minutes=3)
    assert auth.wait_before_next_attempt(store, "张三", at=later) == dt.timedelta(0)
    with store.engine.connect() as conn:
        outcomes = conn.execute(sa.select(sign_ins_table.c.outcome).order_by(sign_ins_table.c.id)).scalars().all()
    assert outcomes == ["wrong"] * auth.FREE_FAILURES + ["locked"]  # the attempt while locked is recorded too


T0 = dt.datetime(2025, 11, 3, 9, 0)


def _fail(store, name: str, address: str, times: int, start: dt.datetime = T0) -> dt.datetime:
    """``times`` wrong passwords for ``name`` from ``address``, a second apart from ``start``; the time after them."""
    for second in range(times):
        with pytest.raises(SignInError, match="用户名或密码不正确"):
            auth.sign_in(store, name, "wrong-password", address=address, at=start + dt.timedelta(seconds=second))
    return start + dt.timedelta(seconds=times)


def test_five_wrong_passwords_lock_the_account_from_that_address_only(store):
    auth.add_user(store, "admin", PASSWORD, Role.ADMIN)
    after = _fail(store, "admin", "203.0.113.9", auth.FREE_FAILURES)
    with pytest.raises(SignInError, match=r"连续登录失败次数过多，请 2 分钟后再试。"):
        auth.sign_in(store, "admin", PASSWORD, address="203.0.113.9", at=after)
    assert auth.sign_in(store, "admin", PASSWORD, address="10.1.2.3", at=after) == auth.User("admin", Role.ADMIN)
    # Attempts refused while locked do not lengthen the lock: two minutes after the last wrong password, it is over.
    with pytest.raises(SignInError, match="连续登录失败次数过多"):
        auth.sign_in(store, "admin", PASSWORD, address="203.0.113.9", at=after + dt.timedelta(minutes=1))
    free = after + dt.timedelta(minutes=2)
    assert auth.sign_in(store, "admin", PASSWORD, address="203.0.113.9", at=free).name == "admin"


def test_failures_from_many_addresses_slow_the_account_down_except_where_it_signed_in_lately(store):
    auth.add_user(store, "admin", PASSWORD, Role.ADMIN)
    auth.sign_in(store, "admin", PASSWORD, address="10.1.2.3", at=T0 - dt.timedelta(days=3))  # the admin's desk
    at = T0
    for n in range(auth.GLOBAL_FREE_FAILURES):  # one wrong password from each of many addresses: none locked alone
        at = _fail(store, "admin", f"198.51.100.{n}", 1, at)
    with pytest.raises(SignInError, match=r"连续登录失败次数过多，请 1 分钟后再试。"):
        auth.sign_in(store, "admin", PASSWORD, address="192.0.2.77", at=at)  # a new address waits
    assert auth.sign_in(store, "admin", PASSWORD, address="10.1.2.3", at=at).name == "admin"  # a known one does not
    assert auth.wait_before_next_attempt(store, "admin", at, "192.0.2.77") == dt.timedelta(0)  # a success forgives


def test_the_account_wide_back_off_doubles_every_five_failures_up_to_a_ceiling(store):
    auth.add_user(store, "admin", PASSWORD, Role.ADMIN)
    at, waits = T0, []
    for n in range(auth.GLOBAL_FREE_FAILURES + 35):  # each from an address of its own, each after the wait is over
        at = _fail(store, "admin", f"198.51.100.{n}", 1, at + auth.wait_before_next_attempt(store, "admin", at, "-"))
        waits.append(auth.wait_before_next_attempt(store, "admin", at - dt.timedelta(seconds=1), "192.0.2.77"))
    minutes = [w.total_seconds() / 60 for w in waits]
    assert (
        minutes == [0] * (auth.GLOBAL_FREE_FAILURES - 1) + [1] * 5 + [2] * 5 + [4] * 5 + [8] * 5 + [16] * 5 + [30] * 11
    )
    assert waits[-1] == auth.GLOBAL_MAX_WAIT


@pytest.mark.parametrize(
    ("peer", "forwarded", "address"),
    [
        ("203.0.113.9", None, "203.0.113.9"),
        ("203.0.113.9", "10.0.0.1", "203.0.113.9"),  # a browser's own X-Forwarded-For is not believed
        ("127.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # the proxy on this machine appended the last one
        ("::1", "198.51.100.7", "198.51.100.7"),
        ("127.0.0.1", None, "127.0.0.1"),
        (None, None, None),
    ],
)
def test_the_address_of_a_sign_in_is_the_peer_or_what_a_local_proxy_says(peer, forwarded, address):
    assert auth.client_address(peer, forwarded) == address


def test_sign_ins_lists_every_attempt_newest_first_with_address_and_result(store):
    auth.add_user(store, "admin", PASSWORD, Role.ADMIN)
    after = _fail(store, "admin", "203.0.113.9", auth.FREE_FAILURES)
    with pytest.raises(SignInError):
        auth.sign_in(store, "admin", PASSWORD, address="203.0.113.9", at=after)
    auth.sign_in(store, "admin", PASSWORD, address="10.1.2.3", at=after + dt.timedelta(seconds=1))
    auth.sign_in(store, "admin", PASSWORD, at=after + dt.timedelta(seconds=2))  # the command line: no address
    attempts = auth.sign_ins(store)
    assert attempts[["name", "address", "result"]].values.tolist()[:4] == [
        ["admin", "未知", "成功"],
        ["admin", "10.1.2.3", "成功"],
        ["admin", "203.0.113.9", "已锁定，未校验密码"],
        ["admin", "203.0.113.9", "用户名或密码不正确"],
    ]
    assert len(attempts) == auth.FREE_FAILURES + 3
    assert list(attempts["at"]) == sorted(attempts["at"], reverse=True)


def test_a_success_forgives_earlier_failures(store):
    auth.add_user(store, "张三", PASSWORD, Role.ANALYST)
    for _ in range(auth.FREE_FAILURES - 1):
        with pytest.raises(SignInError):
            auth.sign_in(store, "张三", "wrong-password")
    auth.sign_in(store, "张三", PASSWORD)
    with pytest.raises(SignInError, match="用户名或密码不正确"):
        auth.sign_in(store, "张三", "wrong-password")
    assert auth.wait_before_next_attempt(store, "张三") == dt.timedelta(0)


def signed_in(store, name: str, at: dt.datetime | None = None) -> tuple[int, str]:
    """A session of ``name`` whose browser has taken its cookie: (session number, cookie value)."""
    number, ticket = auth.start_session(store, auth.sign_in(store, name, PASSWORD), at=at)
    return number, auth.take_ticket(store, ticket, at=at)


def test_a_session_is_found_again_from_its_cookie_and_lasts_the_working_day(store):
    auth.add_user(store, "张三", PASSWORD, Role.LEADER)
    start = dt.datetime(2025, 10, 9, 8, 0)
    number, cookie = signed_in(store, "张三", at=start)
    assert auth.cookie_session(store, cookie) == number
    assert auth.session_user(store, number, at=start + dt.timedelta(hours=auth.SESSION_HOURS - 1)) == auth.User(
        "张三", Role.LEADER
    )
    assert auth.session_user(store, number, at=start + dt.timedelta(hours=auth.SESSION_HOURS, minutes=1)) is None


def test_the_store_keeps_only_digests_of_tickets_and_tokens(store):
    auth.add_user(store, "张三", PASSWORD, Role.LEADER)
    number, ticket = auth.start_session(store, auth.User("张三", Role.LEADER))
    cookie = auth.take_ticket(store, ticket)
    token = cookie.rpartition(".")[0]
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(sessions_table).where(sessions_table.c.id == number)).one()
    stored = " ".join(str(value) for value in row)
    assert ticket not in stored and token not in stored
    assert row.ticket_sha256 is None and row.token_sha256 == hashlib.sha256(token.encode()).hexdigest()


def test_a_ticket_gives_one_cookie_once_and_only_soon_after_signing_in(store):
    auth.add_user(store, "张三", PASSWORD, Role.LEADER)
    start = dt.datetime(2025, 10, 9, 8, 0)
    _, ticket = auth.start_session(store, auth.User("张三", Role.LEADER), at=start)
    assert auth.take_ticket(store, ticket, at=start + auth.TICKET_LIFETIME + dt.timedelta(seconds=1)) is None
    assert auth.take_ticket(store, ticket, at=start + dt.timedelta(seconds=5)) is not None
    assert auth.take_ticket(store, ticket, at=start + dt.timedelta(seconds=6)) is None  # used
    assert auth.take_ticket(store, "made-up-ticket") is None


@pytest.mark.parametrize(
    "cookie_of",
    [
        lambda cookie: cookie.rpartition(".")[0] + ".0" * 32,  # a forged signature
        lambda cookie: "x" + cookie,  # another token, with the signature of this one
        lambda cookie: cookie.rpartition(".")[0],  # no signature
        lambda cookie: "",
    ],
)
def test_a_cookie_that_was_not_signed_here_names_no_session(store, cookie_of):
    auth.add_user(store, "张三", PASSWORD, Role.LEADER)
    _, cookie = signed_in(store, "张三")
    assert auth.cookie_session(store, cookie_of(cookie)) is None


@pytest.mark.parametrize(
    "ending",
    [
        lambda store: auth.sign_out(store, "张三"),
        lambda store: auth.set_disabled(store, "张三", True, by="管理员"),
        lambda store: auth.set_password(store, "张三", PASSWORD + "新", by="管理员"),
    ],
    ids=["signing out", "disabling", "a new password"],
)
def test_signing_out_disabling_or_a_new_password_ends_every_session_of_that_user(store, ending):
    auth.add_user(store, "张三", PASSWORD, Role.LEADER)
    auth.add_user(store, "李四", PASSWORD, Role.LEADER)
    office, _ = signed_in(store, "张三")
    meeting_room, cookie = signed_in(store, "张三")
    _, not_yet_taken = auth.start_session(store, auth.User("张三", Role.LEADER))
    other, _ = signed_in(store, "李四")
    ending(store)
    assert auth.session_user(store, office) is None
    assert auth.session_user(store, meeting_room) is None
    assert auth.session_user(store, auth.cookie_session(store, cookie)) is None
    assert auth.take_ticket(store, not_yet_taken) is None
    assert auth.session_user(store, other) == auth.User("李四", Role.LEADER)


def test_enabling_a_user_again_does_not_bring_back_their_sessions(store):
    auth.add_user(store, "张三", PASSWORD, Role.LEADER)
    number, _ = signed_in(store, "张三")
    auth.set_disabled(store, "张三", True)
    auth.set_disabled(store, "张三", False)
    assert auth.session_user(store, number) is None


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.LEADER, {Permission.VIEW, Permission.EXPORT}),
        (Role.UNIT, {Permission.UPLOAD}),
        (Role.ANALYST, {Permission.VIEW, Permission.UPLOAD, Permission.MANAGE, Permission.EXPORT}),
        (Role.ADMIN, set(Permission)),
    ],
)
def test_each_role_has_exactly_its_permissions(role, allowed):
    user = auth.User("someone", role, UNIT if role is Role.UNIT else None)
    assert {p for p in Permission if user.may(p)} == allowed


def test_a_unit_filler_is_bound_to_a_registry_unit_named_any_way(store):
    added = auth.add_user(store, "民政填报员", PASSWORD, Role.UNIT, unit="民政局")
    assert added.unit == UNIT
    with pytest.raises(LingyiError, match="须绑定一个单位"):
        auth.add_user(store, "无单位", PASSWORD, Role.UNIT)
    with pytest.raises(UnknownName):
        auth.add_user(store, "错单位", PASSWORD, Role.UNIT, unit="不存在的局")


def test_short_passwords_and_duplicate_names_are_refused(store):
    with pytest.raises(LingyiError, match="密码至少 8 个字符"):
        auth.add_user(store, "张三", "short", Role.ADMIN)
    auth.add_user(store, "张三", PASSWORD, Role.ADMIN)
    with pytest.raises(LingyiError, match="用户「张三」已存在"):
        auth.add_user(store, "张三", PASSWORD, Role.LEADER)


def test_user_changes_are_in_the_audit_log(store):
    auth.add_user(store, "张三", PASSWORD, Role.ADMIN, by="首任管理员")
    auth.set_password(store, "张三", PASSWORD + "新", by="首任管理员")
    log = store.audit_log()
    assert list(log["action"]) == ["user", "user"]
    assert list(log["user"]) == ["首任管理员", "首任管理员"]


def test_a_unit_filler_cannot_store_a_file_with_another_units_rows(store, tmp_path):
    rows = learning_rows(2, unit=UNIT) + learning_rows(1, unit=OTHER_UNIT)[1:]
    path = write_xlsx(tmp_path / "两个单位.xlsx", {"学习活动": rows})
    result = ingest_file(store, path.read_bytes(), path.name, only_unit=UNIT)
    assert result.outcome is Outcome.REJECTED
    (error,) = result.errors
    assert error.message.startswith(f"本账号只能报送「{UNIT}」的数据，文件中有「{OTHER_UNIT}」的 1 行（第")
    assert store.history().empty


def _stored_return_of(store, tmp_path, unit: str, *, unit_column: bool) -> bytes:
    """A learning return of ``unit`` stored by an analyst: with a 单位名称 column, or naming no unit (picked for it)."""
    rows = learning_rows(2, unit=unit)
    if unit_column:
        path = write_xlsx(tmp_path / f"{unit}.xlsx", {"学习活动": rows})
    else:
        path = write_csv(tmp_path / f"{unit}.csv", drop(rows, "单位名称"))
    stored = ingest_file(store, path.read_bytes(), path.name, default_unit=None if unit_column else unit)
    assert stored.outcome is Outcome.ACCEPTED
    return path.read_bytes()


@pytest.mark.parametrize("unit_column", [True, False], ids=["with-unit-column", "unit-picked"])
@pytest.mark.parametrize("files", [1, 2], ids=["alone", "second-of-two"])  # asked alone, or after another file
def test_a_unit_filler_uploading_another_units_stored_file_unchanged_is_refused_not_told_unchanged(
    store, tmp_path, unit_column, files
):
    data = _stored_return_of(store, tmp_path, OTHER_UNIT, unit_column=unit_column)
    mine = write_xlsx(tmp_path / "mine.xlsx", {"学习活动": learning_rows(3, unit=UNIT)}).read_bytes()
    history, version = store.history(), store.data_version()
    uploads = [Upload(mine, "本单位.xlsx")] * (files - 1) + [Upload(data, "拿来的.xlsx")]

    *_, result = ingest_files(store, uploads, only_unit=UNIT, default_unit=UNIT)

    assert result.outcome is Outcome.REJECTED
    (error,) = result.errors
    assert error.file == "拿来的.xlsx"
    assert error.message == (
        f"本账号只能报送「{UNIT}」的数据，这个文件已作为「{OTHER_UNIT}」的数据入库，不能再以本单位名义上传。"
    )
    assert f"{OTHER_UNIT}.xlsx" not in str(error) and f"{OTHER_UNIT}.csv" not in str(error)  # not whose file it is
    others = store.history()[lambda h: h["unit"] == OTHER_UNIT]
    assert others.to_dict("records") == history.to_dict("records")
    assert store.data_version() == version + (files - 1)


def test_a_unit_filler_uploading_their_own_stored_file_again_is_told_unchanged(store, tmp_path):
    data = _stored_return_of(store, tmp_path, UNIT, unit_column=True)
    assert ingest_file(store, data, "again.xlsx", only_unit=UNIT).outcome is Outcome.UNCHANGED


def test_another_units_file_stored_between_the_first_look_and_the_lock_is_refused_too(store, tmp_path, monkeypatch):
    """The bytes are looked up again under the store's lock: a file another writer stored meanwhile counts there."""
    data = _stored_return_of(store, tmp_path, OTHER_UNIT, unit_column=True)
    monkeypatch.setattr(ingest._StoredFiles, "unchanged", lambda self, name, digest: None)  # not stored at first look
    result = ingest_file(store, data, "拿来的.xlsx", only_unit=UNIT)
    assert result.outcome is Outcome.REJECTED
    assert result.errors[0].message.startswith(f"本账号只能报送「{UNIT}」的数据，这个文件已作为「{OTHER_UNIT}」")
    assert ingest_file(store, data, "拿来的.xlsx").outcome is Outcome.UNCHANGED  # an analyst: 无变化, as before


def test_the_command_line_binds_a_unit_filler_too(store, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "民政填报员", "--role", "unit", "--unit", "市民政局", "--db", store.url]) == 0
    other = write_xlsx(tmp_path / "财政局.xlsx", {"学习活动": learning_rows(2, unit=OTHER_UNIT)})
    mine = write_xlsx(tmp_path / "民政局.xlsx", {"学习活动": learning_rows(2, unit=UNIT)})
    capsys.readouterr()
    assert main(["ingest", str(other), "--user", "民政填报员", "--db", store.url]) == 1
    assert "本账号只能报送「临沂市民政局」的数据" in capsys.readouterr().out
    assert main(["ingest", str(mine), "--user", "民政填报员", "--db", store.url]) == 0


def test_the_first_admin_is_made_on_the_command_line_with_a_piped_password(store, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "admin", "--role", "管理员", "--db", store.url]) == 0
    assert "已新增用户 admin · 管理员。" in capsys.readouterr().out
    assert auth.sign_in(store, "admin", PASSWORD).role is Role.ADMIN
    assert main(["user", "list", "--db", store.url]) == 0
    assert "admin  管理员" in capsys.readouterr().out


def test_user_list_leaves_the_unit_out_for_users_without_one(store, capsys):
    auth.add_user(store, "管理员甲", PASSWORD, Role.ADMIN)
    auth.add_user(store, "民政填报员", PASSWORD, Role.UNIT, unit="市民政局")
    capsys.readouterr()
    assert main(["user", "list", "--db", store.url]) == 0
    assert capsys.readouterr().out.splitlines() == ["管理员甲  管理员", "民政填报员  单位填报员  临沂市民政局"]


def test_an_unknown_role_is_a_bad_argument(store, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "张三", "--role", "boss", "--db", store.url]) == 2
    assert "没有角色「boss」" in capsys.readouterr().err
