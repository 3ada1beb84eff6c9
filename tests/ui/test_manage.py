"""lingyi/ui/manage.py: 数据管理 through AppTest — the history, restoring, withdrawing, replacing the registry."""

from __future__ import annotations

import factories as f
import pytest
from streamlit.testing.v1 import AppTest

from lingyi.access import auth
from lingyi.intake.ingest import ingest_file
from lingyi.store import Store
from ui.apps import ROOT, another_write_under_way, ran_cleanly, table_rows


@pytest.fixture
def store(desk_store: Store) -> Store:
    """The desk pages run on a SQLite store of their own (tests/ui/conftest.py)."""
    return desk_store


@pytest.fixture
def manage_page(open_page, tmp_path, store):
    for name, month, seed in (("九月.xlsx", 202509, 1), ("十月.xlsx", 202510, 2), ("十月更正.xlsx", 202510, 3)):
        rows = f.learning_rows(2, month=month, seed=seed)
        data = f.write_xlsx(tmp_path / name, {"学习活动": rows}).read_bytes()
        assert ingest_file(store, data, name, user="测试").outcome.value == "accepted"
    return open_page("pages/manage.py")


def select_submission(at: AppTest, file_name: str) -> AppTest:
    table = at.dataframe[0].value
    at.session_state["manage_history"] = {
        "selection": {"rows": [int(table.index[table["文件"] == file_name][0])], "columns": [], "cells": []}
    }
    return at.run()


def test_history_lists_every_submission_with_its_state(manage_page):
    at = manage_page
    ran_cleanly(at)
    history = at.dataframe[0].value.set_index("文件")
    assert list(history.columns[:9]) == ["编号", "单位", "报表", "期间", "上传人", "上传时间", "行数", "状态", "哈希"]
    assert history.loc["十月更正.xlsx", "状态"] == "当前"
    assert history.loc["十月.xlsx", "状态"] == f"已被 #{history.loc['十月更正.xlsx', '编号']} 替换"
    assert history.loc["九月.xlsx", "期间"] == "2025年9月"
    assert history.loc["九月.xlsx", "上传人"] == "测试"
    assert len(history.loc["九月.xlsx", "哈希"]) == 12


def test_restoring_an_earlier_version_makes_it_current(manage_page, store):
    at = select_submission(manage_page, "十月.xlsx")
    at.button(key="manage_restore").click().run()
    ran_cleanly(at)
    assert at.success[0].value.startswith("已把 #")
    states = store.history().set_index("file")["replaced_by"]
    assert states.isna()["十月.xlsx"] and not states.isna()["十月更正.xlsx"]


def test_restoring_says_while_it_waits_for_another_write(manage_page, desk_url, monkeypatch):
    at = select_submission(manage_page, "十月.xlsx")
    with another_write_under_way(desk_url, monkeypatch) as shown:
        at.button(key="manage_restore").click().run()
    ran_cleanly(at)
    assert shown == ["数据库正忙，等待其他写入完成……"] and at.success[0].value.startswith("已把 #")
    assert not [i for i in at.info if "数据库正忙" in i.value]


def test_withdrawing_asks_for_confirmation_then_stops_the_rows_counting(manage_page, store):
    at = select_submission(manage_page, "九月.xlsx")
    assert "撤销后" in at.warning[0].value  # the confirmation, inside the 撤销此次报送 popover
    assert store.current_rows("learning")["month"].eq(202509).sum() == 2
    at.button(key="manage_withdraw").click().run()
    ran_cleanly(at)
    assert at.success[0].value.startswith("已撤销 #")
    assert store.current_rows("learning")["month"].eq(202509).sum() == 0
    assert at.dataframe[0].value.set_index("文件").loc["九月.xlsx", "状态"] == "已撤销"


def test_history_search_narrows_the_list(manage_page):
    at = manage_page
    at.text_input(key="manage_search").input("9月").run()
    assert at.dataframe[0].value["文件"].tolist() == ["九月.xlsx"]


@pytest.fixture
def admin_manage_page(open_page, store, monkeypatch):
    """The 数据管理 page for a signed-in administrator: replacing the registry is theirs alone."""
    monkeypatch.delenv("LINGYI_DEMO", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    admin = auth.add_user(store, "管理员", "管理员的初始密码", auth.Role.ADMIN)
    at.session_state["_lingyi_session"], _ = auth.start_session(store, admin)
    at.run()
    at.switch_page("pages/manage.py").run()
    return at


def test_only_an_administrator_may_replace_the_registry(manage_page):
    assert "更换单位名录须由管理员操作。" in [c.value for c in manage_page.caption]
    with pytest.raises(KeyError):
        manage_page.file_uploader(key="manage_registry_file")


def test_a_units_file_with_problems_lists_every_one_and_replaces_nothing(admin_manage_page, store):
    at = admin_manage_page
    at.file_uploader(key="manage_registry_file").upload(
        "units.csv", "单位全称,单位简称,单位类别,别名\n甲局,,社会服务,\n乙局,乙,其他类,\n".encode(), "text/csv"
    )
    at.run()
    ran_cleanly(at)
    assert at.error[0].value.startswith("名录文件有 2 处问题，未替换")
    assert [row[0] for row in table_rows(at.table[0])] == ["2", "3"]
    assert len(store.registry()) == 108


def test_a_valid_units_file_replaces_the_registry_after_confirmation(admin_manage_page, store):
    at = admin_manage_page
    registry = store.registry()
    text = registry.to_csv_bytes().decode() + "临沂市新设局,市新设局,社会服务,新设局\n"
    at.file_uploader(key="manage_registry_file").upload("units.csv", text.encode(), "text/csv")
    at.run()
    assert "109 家单位，与当前名录相比有 1 处变化" in at.success[0].value
    assert len(store.registry()) == 108
    at.button(key="manage_replace_registry").click().run()
    ran_cleanly(at)
    assert len(store.registry()) == 109
    assert store.registry_history()["name"].tolist() == ["units.csv"]
