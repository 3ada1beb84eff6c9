"""lingyi/cli/admin.py: ``python -m lingyi audit``, the audit log and the sign-ins."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from cli.test_returns import good_file, lines
from factories import (
    UNIT,
)

from lingyi.access import auth

# -- audit log ----------------------------------------------------------------------------------------------------------


def test_audit_lists_who_did_what_newest_first(cli, tmp_path):
    cli("ingest", good_file(tmp_path, "v1.xlsx", people=(10,)), "--user", "张三")
    cli("ingest", good_file(tmp_path, "v2.xlsx", people=(20,)), "--user", "李四")
    cli("delete", "2", "--user", "王五")
    cli("restore", "1")
    code, out, _ = cli("audit")
    assert code == 0
    assert [line.split("  ")[1:] for line in lines(out)] == [
        ["cli", "恢复报送", "v1.xlsx", UNIT, "学习活动", "2025年10月", "#1"],
        ["王五", "撤销报送", "v2.xlsx", UNIT, "学习活动", "2025年10月", "#2"],
        ["李四", "入库", "v2.xlsx", UNIT, "学习活动", "2025年10月", "#2"],
        ["张三", "入库", "v1.xlsx", UNIT, "学习活动", "2025年10月", "#1"],
    ]
    assert lines(cli("audit", "--since", "2099-01-01")[1]) == ["没有操作记录。"]
    assert cli("audit", "--since", "昨天")[0] == 2


def test_audit_csv_opens_in_excel_with_text_that_would_run_escaped(cli, tmp_path):
    cli("ingest", good_file(tmp_path, "=HYPERLINK(1).xlsx"), "--user", "@SUM(1)")
    target = tmp_path / "操作日志.csv"
    code, out, _ = cli("audit", "--csv", target)
    assert (code, lines(out)) == (0, [f"操作日志 1 条已导出到 {target}"])
    data = target.read_bytes()
    assert data.startswith("\ufeff编号,时间,操作人,操作,文件,单位,报表,期间,报送编号,说明,文件校验值(SHA-256)".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][2:5] == ["'@SUM(1)", "入库", "'=HYPERLINK(1).xlsx"]


def test_audit_sign_ins_lists_every_attempt_with_its_address_and_exports_them(cli, store, tmp_path):
    auth.add_user(store, "admin", "a-long-password", auth.Role.ADMIN)
    with pytest.raises(auth.SignInError):
        auth.sign_in(store, "admin", "=cmd|x", address="203.0.113.9", at=dt.datetime(2025, 11, 3, 9))
    auth.sign_in(store, "admin", "a-long-password", at=dt.datetime(2025, 11, 3, 9, 5))  # no address: the server
    with pytest.raises(auth.SignInError):
        auth.sign_in(store, "=HYPERLINK(1)", "x", address="203.0.113.9", at=dt.datetime(2025, 11, 4, 8))
    code, out, _ = cli("audit", "--sign-ins")
    assert (code, lines(out)) == (
        0,
        [
            "2025-11-04 08:00:00  =HYPERLINK(1)  203.0.113.9  用户名或密码不正确",
            "2025-11-03 09:05:00  admin  未知  成功",
            "2025-11-03 09:00:00  admin  203.0.113.9  用户名或密码不正确",
        ],
    )
    assert lines(cli("audit", "--sign-ins", "--since", "2025-11-05")[1]) == ["没有登录记录。"]
    target = tmp_path / "登录记录.csv"
    code, out, _ = cli("audit", "--sign-ins", "--since", "2025-11-04", "--csv", target)
    assert lines(out) == [f"登录记录 1 条已导出到 {target}"]
    assert target.read_text(encoding="utf-8-sig").splitlines() == [
        "时间,用户名,地址,结果",
        "2025-11-04 08:00:00,'=HYPERLINK(1),203.0.113.9,用户名或密码不正确",
    ]
