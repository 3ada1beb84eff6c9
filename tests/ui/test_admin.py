"""lingyi/ui/admin.py: 系统管理 for a signed-in administrator — users, the audit log, sign-ins, 不涉及的报表."""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager

from lingyi.access import auth
from lingyi.access.auth import Role
from ui.apps import PASSWORD, sign_in


def test_the_admin_page_lists_users_and_shows_the_audit_log(app, store):
    auth.add_user(store, "管理员甲", PASSWORD, Role.ADMIN, by="cli")
    auth.add_user(store, "分析员乙", PASSWORD, Role.ANALYST, by="管理员甲")
    sign_in(app, store, "管理员甲", PASSWORD)
    app.switch_page("pages/admin.py").run()
    assert not app.exception
    assert app.title[0].value == "系统管理"
    users = app.dataframe[0].value
    assert list(users["用户名"]) == ["管理员甲", "分析员乙"]
    assert list(users["角色"]) == ["管理员", "分析员"]
    assert [t.label for t in app.text_input] == ["用户名", "初始密码（至少 8 个字符）"]  # the add-user form
    log = app.dataframe[-2].value
    assert list(log["操作"]) == ["用户管理", "用户管理"]
    assert list(log["操作人"]) == ["管理员甲", "cli"]


def test_the_admin_page_lists_sign_ins_with_address_and_result(app, store):
    auth.add_user(store, "管理员甲", PASSWORD, Role.ADMIN)
    with pytest.raises(auth.SignInError):
        auth.sign_in(store, "管理员甲", "wrong-password", address="203.0.113.9")
    sign_in(app, store, "管理员甲", PASSWORD)
    app.switch_page("pages/admin.py").run()
    assert not app.exception
    attempts = app.dataframe[-1].value
    assert attempts[["用户名", "地址", "结果"]].values.tolist() == [
        ["管理员甲", "未知", "成功"],
        ["管理员甲", "203.0.113.9", "用户名或密码不正确"],
    ]


def test_an_admin_marks_a_unit_not_concerned_by_a_kind_and_the_log_says_so(app, store, monkeypatch):
    starting = PagesManager.__init__

    def started(manager, *args, **kwargs):
        starting(manager, *args, **kwargs)
        PagesManager.uses_pages_directory = False  # as on a running server, see tests/test_pages.py

    monkeypatch.setattr(PagesManager, "__init__", started)
    auth.add_user(store, "管理员甲", PASSWORD, Role.ADMIN, by="cli")
    sign_in(app, store, "管理员甲", PASSWORD)
    app.switch_page("pages/admin.py").run()
    form_unit = next(s for s in app.selectbox if s.label == "单位")
    form_unit.set_value("中共临沂市委办公室")
    next(s for s in app.selectbox if s.label == "报表").set_value("hotline")
    next(b for b in app.button if b.label == "标为不涉及").click().run()
    assert not app.exception
    assert [e.value for e in app.error] == []
    assert store.registry().by_name["中共临沂市委办公室"].exempt == {"hotline"}
    assert any("已将 市委办公室 标为不涉及热线指标" in s.value for s in app.success)
    marked = next(d.value for d in app.dataframe if "不涉及的报表" in d.value.columns)
    assert marked.values.tolist() == [["市委办公室", "热线指标"]]
    log = store.audit_log()
    assert (log.iloc[0]["user"], log.iloc[0]["action_name"]) == ("管理员甲", "更换单位名录")
