"""The analyst's pages — 数据上传, 报送情况, 数据管理 — through AppTest, with real files uploaded.

Files go in through ``at.file_uploader(key=…).upload(name, bytes, mime)``, as a browser sends them;
what the pages say is checked against the store and against counts made here, independently.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import sqlite3
import threading
from pathlib import Path

import factories as f
import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from lingyi.access import auth
from lingyi.intake.ingest import Outcome, ingest_file
from lingyi.metrics import completeness
from lingyi.store import DATABASE_URL_VARIABLE, Store, waiting
from lingyi.ui import busy

ROOT = Path(__file__).resolve().parent.parent
DESK = {"pages/upload.py": "数据上传", "pages/completeness.py": "报送情况", "pages/manage.py": "数据管理"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILES, PERIOD, STORE_ALL = "upload_files", "upload_period", "upload_store_all"
MINZHENG, CAIZHENG = "临沂市民政局", "临沂市财政局"


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'desk.db'}"


@pytest.fixture
def store(url) -> Store:
    opened = Store(url)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def open_page(monkeypatch, url):
    """``open_page(page)``: the dashboard on the test's store, switched to ``page`` (as tests/test_pages.py does)."""
    starting = PagesManager.__init__

    def started(manager, *args, **kwargs):
        starting(manager, *args, **kwargs)
        PagesManager.uses_pages_directory = False  # as on a running server, see tests/test_pages.py

    monkeypatch.setattr(PagesManager, "__init__", started)
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)

    def open_page(page: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        at.switch_page(page).run()
        return at

    return open_page


def upload(at: AppTest, *paths: Path) -> AppTest:
    uploader = at.file_uploader(key=FILES)
    for path in paths:
        uploader.upload(path.name, path.read_bytes(), XLSX if path.suffix == ".xlsx" else "application/octet-stream")
    return at.run()


def ran_cleanly(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def verdicts(at: AppTest) -> dict[str, str]:
    """File name → the verdict its expander names."""
    return {e.label.split(" — ")[0]: e.label.split(" — ")[1].split(" · ")[0] for e in at.expander if " — " in e.label}


def counts(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_rows(element) -> list[list[str]]:
    return element.value.astype(str).values.tolist()


def good_file(tmp_path: Path, unit: str = MINZHENG, month: int = 202510) -> Path:
    name = f"{unit}_{month}.xlsx"
    return f.write_xlsx(tmp_path / name, {"学习活动": f.titled(f.learning_rows(3, unit=unit, month=month))})


def bad_file(tmp_path: Path) -> Path:
    """Two errors: an unknown unit on Excel row 5, a count that is not a number on row 6."""
    rows = f.learning_rows(3, unit=CAIZHENG)
    rows = f.column(rows, "单位名称", [CAIZHENG, "临沂市财正局", CAIZHENG])
    rows = f.column(rows, "参与人次", [12, 30, "八十"])
    return f.write_xlsx(tmp_path / "财政局.xlsx", {"学习活动": f.titled(rows)})


def unitless_file(tmp_path: Path) -> Path:
    return f.write_csv(tmp_path / "学习活动.csv", f.drop(f.learning_rows(2), "单位名称"), "gbk")


# -- the catalogue --------------------------------------------------------------------------------------------------


def test_every_desk_page_of_app_py_is_tested_here():
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    pages = next(n.value for n in ast.walk(tree) if isinstance(n, ast.Assign) and n.targets[0].id == "PAGES")
    data = pages.values[[key.value for key in pages.keys].index("数据")]
    listed = {call.args[0].value: {k.arg: k.value.value for k in call.keywords} for call in data.elts}
    assert {page: options["title"] for page, options in listed.items()} == DESK
    for page, options in listed.items():
        assert page.isascii() and options["url_path"].isascii()
        assert options["icon"].startswith(":material/")


@pytest.mark.parametrize("page", list(DESK))
def test_every_desk_page_runs_on_an_empty_store_and_says_what_to_do(open_page, page):
    at = open_page(page)
    ran_cleanly(at)
    assert at.title[0].value == DESK[page]
    assert not at.error


# -- 数据上传 -------------------------------------------------------------------------------------------------------


def test_upload_page_invites_files_and_offers_every_template(open_page):
    at = open_page("pages/upload.py")
    assert "请选择或拖入" in at.info[0].value
    assert [b.label for b in at.get("download_button")] == ["四表合一", "学习活动", "热线指标", "问题清单", "指标完成"]
    assert at.file_uploader(key=FILES).accept_multiple_files
    assert set(at.file_uploader(key=FILES).allowed_type) == {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}


def test_each_file_gets_its_verdict_counts_and_errors_before_anything_is_stored(open_page, tmp_path, store):
    at = upload(open_page("pages/upload.py"), good_file(tmp_path), bad_file(tmp_path), unitless_file(tmp_path))
    ran_cleanly(at)

    assert verdicts(at) == {
        f"{MINZHENG}_202510.xlsx": "可入库",
        "财政局.xlsx": "有错误",
        "学习活动.csv": "有错误",
    }
    assert counts(at) == {"文件": "3 个", "可入库": "1 个", "待确认": "0 个", "有错误": "2 个", "无变化": "0 个"}
    assert "学习活动 3 行" in next(e.label for e in at.expander if e.label.startswith(MINZHENG))
    errors = table_rows(at.table[0])
    assert [row[:3] for row in errors] == [["学习活动", "5", "B"], ["学习活动", "6", "I"]]
    assert errors[0][4] == "临沂市财正局"
    assert "您是不是要找：临沂市财政局" in errors[0][5]
    assert errors[1][4:] == ["八十", "无法识别为数字，请只填写数字，如 1234。"]
    assert at.button(key=STORE_ALL).label == "全部入库（1 个可入库文件）"
    assert store.history().empty, "checking stores nothing"


def test_the_parsed_rows_are_shown_before_they_are_stored(open_page, tmp_path):
    at = upload(open_page("pages/upload.py"), good_file(tmp_path))
    preview = at.dataframe[0].value
    assert at.dataframe[0].proto.placeholder == "" and at.dataframe[0].proto.HasField("placeholder")  # not 「None」
    assert list(preview.columns)[:3] == ["行号", "单位名称", "活动名称"]
    assert preview["行号"].tolist() == [4, 5, 6]
    assert set(preview["单位名称"]) == {MINZHENG}
    assert any("工作表「学习活动」" in c.value and "2025年10月" in c.value for c in at.caption)


def test_a_rejected_file_offers_its_error_list_and_its_marked_copy(open_page, tmp_path):
    at = upload(open_page("pages/upload.py"), bad_file(tmp_path))
    labels = [b.label for b in at.get("download_button")]
    assert "下载错误清单" in labels
    assert "下载标注了错误的原文件" in labels


def test_store_all_stores_the_good_files_each_whole_and_leaves_the_bad_ones(open_page, tmp_path, store):
    at = upload(open_page("pages/upload.py"), good_file(tmp_path), good_file(tmp_path, CAIZHENG), bad_file(tmp_path))
    at.button(key=STORE_ALL).click().run()
    ran_cleanly(at)

    assert at.success[0].value.startswith("已入库 2 个文件，共 6 行")
    history = store.history()
    assert set(history["file"]) == {f"{CAIZHENG}_202510.xlsx", f"{MINZHENG}_202510.xlsx"}
    assert set(store.current_rows("learning")["unit"]) == {MINZHENG, CAIZHENG}
    assert verdicts(at)[f"{MINZHENG}_202510.xlsx"] == "无变化"
    assert verdicts(at)["财政局.xlsx"] == "有错误"
    assert at.button(key=STORE_ALL).disabled


@contextlib.contextmanager
def another_write_under_way(url: str, monkeypatch):
    """Another process writing holds SQLite's lock, and lets go only once the page has said it waits (or, failing
    that, after 120 s): nothing depends on how long anything takes. Yields the notices the page showed."""
    monkeypatch.setattr(waiting, "NOTICE_AFTER_SECONDS", 0.2)  # not to make the test wait; any value works alike
    shown, notice = [], threading.Event()
    drawing = busy.show

    def showing(spot, message):
        drawing(spot, message)
        shown.append(message)
        notice.set()

    monkeypatch.setattr(busy, "show", showing)
    other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")

    def let_go():
        notice.wait(120)
        other.execute("COMMIT")
        other.close()

    releasing = threading.Thread(target=let_go)
    releasing.start()
    try:
        yield shown
    finally:
        notice.set()
        releasing.join()


def test_store_all_says_while_it_waits_for_another_write(open_page, tmp_path, store, url, monkeypatch):
    """The page says 「数据库正忙，等待其他写入完成……」 while it waits, stores the file once the lock is free, and the
    notice is gone."""
    at = upload(open_page("pages/upload.py"), good_file(tmp_path))
    with another_write_under_way(url, monkeypatch) as shown:
        at.button(key=STORE_ALL).click().run()
    ran_cleanly(at)
    assert shown == ["数据库正忙，等待其他写入完成……"]
    assert at.success[0].value.startswith("已入库 1 个文件")
    assert not [i for i in at.info if "数据库正忙" in i.value]  # the wait is over
    assert set(store.history()["file"]) == {f"{MINZHENG}_202510.xlsx"}


def test_storing_clears_the_dashboards_cached_data(open_page, tmp_path):
    at = open_page("pages/overview.py")
    assert "还没有任何数据" in at.info[0].value
    at.switch_page("pages/upload.py").run()
    upload(at, good_file(tmp_path)).button(key=STORE_ALL).click().run()
    at.switch_page("pages/overview.py").run()
    ran_cleanly(at)
    assert {m.label: m.value for m in at.metric}["报送单位"] == "1/108"


def test_a_file_that_names_no_unit_is_stored_under_the_unit_picked_for_it(open_page, tmp_path, store):
    at = upload(open_page("pages/upload.py"), unitless_file(tmp_path))
    assert verdicts(at) == {"学习活动.csv": "有错误"}
    picker = next(s for s in at.selectbox if s.label.startswith("这个文件没有写明单位"))
    picker.set_value(MINZHENG).run()
    assert verdicts(at) == {"学习活动.csv": "可入库"}

    at.button(key=STORE_ALL).click().run()

    rows = store.current_rows("learning")
    assert (len(rows), set(rows["unit"])) == (2, {MINZHENG})


def test_a_declared_period_catches_rows_outside_it(open_page, tmp_path):
    at = open_page("pages/upload.py")
    at.text_input(key=PERIOD).input("2025年9月")
    at = upload(at, good_file(tmp_path, month=202510))
    assert verdicts(at) == {f"{MINZHENG}_202510.xlsx": "有错误"}
    assert all("不在报送期间（2025年9月）内" in row[5] for row in table_rows(at.table[0]))


def test_an_unreadable_declared_period_is_explained_not_a_traceback(open_page, tmp_path):
    at = open_page("pages/upload.py")
    at.text_input(key=PERIOD).input("下个月").run()
    ran_cleanly(at)
    assert at.error[0].value.startswith("报送期间「下个月」无法识别")


def test_warnings_are_listed_and_do_not_block(open_page, tmp_path):
    rows = f.rename(f.learning_rows(2), 参与人次="参学人次")
    path = f.write_xlsx(tmp_path / "别名.xlsx", {"学习活动": rows})
    at = upload(open_page("pages/upload.py"), path)
    assert verdicts(at) == {"别名.xlsx": "可入库"}
    assert "1 条提示" in at.expander[1].label
    assert table_rows(at.table[0])[0][5] == "列「参学人次」按「参与人次」读取。"


def test_a_file_that_is_no_workbook_is_an_error_with_its_reason(open_page, tmp_path):
    path = tmp_path / "报表.xlsx"
    path.write_bytes(b"<html><body>not a workbook</body></html>")
    at = upload(open_page("pages/upload.py"), path)
    ran_cleanly(at)
    assert verdicts(at) == {"报表.xlsx": "有错误"}
    assert "不是 Excel 工作簿" in table_rows(at.table[0])[0][5]


# -- 报送情况 -------------------------------------------------------------------------------------------------------


def submitted_store(tmp_path: Path, store: Store, monkeypatch) -> None:
    """October returns of two units on time (3 November); September of one unit late (20 October)."""
    sent = ((MINZHENG, 202510, "2025-11-03"), (CAIZHENG, 202510, "2025-11-03"), (MINZHENG, 202509, "2025-10-20"))
    for unit, month, stamp in sent:
        with monkeypatch.context() as patch:
            patch.setattr("lingyi.store.submissions.now", lambda stamp=stamp: dt.datetime.fromisoformat(stamp))
            data = good_file(tmp_path, unit, month).read_bytes()
            assert ingest_file(store, data, f"{unit}_{month}.xlsx").outcome.value == "accepted"


@pytest.fixture
def completeness_page(open_page, tmp_path, store, monkeypatch):
    submitted_store(tmp_path, store, monkeypatch)
    at = open_page("pages/completeness.py")
    at.selectbox(key="completeness_year").set_value(2025)
    at.selectbox(key="completeness_kind").set_value("learning")
    at.selectbox(key="completeness_month").set_value(10)
    return at.run()


def test_completeness_counts_x_of_108_per_month_and_category(completeness_page):
    at = completeness_page
    ran_cleanly(at)
    months = at.dataframe[0].value.set_index("项目")
    assert months.loc["已报/单位数", "10月"] == "2/108"
    assert months.loc["已报/单位数", "9月"] == "1/108"
    assert months.loc[completeness.ON_TIME, "10月"] == "2"
    assert months.loc[completeness.LATE, "9月"] == "1"
    assert months.loc[completeness.MISSING, "10月"] == "106"
    categories = at.dataframe[1].value.set_index("单位类别")
    assert categories.loc["社会服务", "10月"] == "1/20"
    assert categories.loc["经济发展", "10月"] == "1/24"


def test_completeness_grid_shows_every_unit_with_its_status(completeness_page):
    grid = completeness_page.dataframe[2].value.set_index("单位全称")
    assert len(grid) == 108
    assert grid.loc[MINZHENG, "10月"] == completeness.ON_TIME
    assert grid.loc[MINZHENG, "9月"] == completeness.LATE
    assert grid.loc[CAIZHENG, "9月"] == completeness.MISSING


def test_chase_list_and_message_name_the_units_still_missing(completeness_page):
    at = completeness_page
    missing = at.dataframe[3].value
    assert len(missing) == 106
    assert MINZHENG not in set(missing["单位全称"])
    message = at.text_area[0].value
    assert message.startswith("请以下单位于")
    assert "报送2025年10月学习活动报表（目前已报 2/108 家，尚有 106 家未报）" in message
    assert "市民政局" not in message and "市财政局" not in message
    assert any(b.label == "下载催报名单（106 家）" for b in at.get("download_button"))


def test_clicking_a_unit_shows_its_submissions(completeness_page):
    at = completeness_page
    grid = at.dataframe[2].value
    row = int(grid.index[grid["单位全称"] == MINZHENG][0])
    at.session_state["completeness_grid"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    ran_cleanly(at)
    assert "**市民政局（临沂市民政局）** 的学习活动报送记录" in [m.value for m in at.markdown]
    mine = at.dataframe[3].value
    assert sorted(mine["期间"]) == ["2025年10月", "2025年9月"]


# -- 数据管理 -------------------------------------------------------------------------------------------------------


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


def test_restoring_says_while_it_waits_for_another_write(manage_page, store, url, monkeypatch):
    at = select_submission(manage_page, "十月.xlsx")
    with another_write_under_way(url, monkeypatch) as shown:
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


# -- 12345 ticket exports ----------------------------------------------------------------------------------------


def ticket_export(tmp_path: Path) -> Path:
    return f.write_xlsx(tmp_path / "12345工单.xlsx", {"工单明细": f.HAND_TICKETS})


def test_a_ticket_export_is_checked_like_a_return_and_shows_its_monthly_figures(open_page, tmp_path, store):
    at = upload(open_page("pages/upload.py"), ticket_export(tmp_path))
    ran_cleanly(at)
    assert verdicts(at) == {"12345工单.xlsx": "可入库"}
    assert "12345工单 10 行、热线指标 2 行" in next(e.label for e in at.expander if e.label.startswith("12345"))
    preview = at.dataframe[0].value
    assert preview[["单位名称", "月份", "诉求量", "一次性办好率", "问题解决率", "群众满意率"]].values.tolist() == [
        [MINZHENG, "2025-09", 2, "50.00%", "100.00%", "100.00%"],
        [MINZHENG, "2025-10", 6, "60.00%", "75.00%", "75.00%"],
    ]
    at.button(key=STORE_ALL).click().run()
    ran_cleanly(at)
    assert at.success[0].value.startswith(
        "已入库 1 个文件，共 2 行：\n- 12345工单.xlsx：12345工单 10 行、热线指标 2 行"
    )
    assert store.current_rows("hotline")["appeals"].tolist() == [2, 6]


def test_tickets_that_disagree_with_a_stored_return_are_shown_side_by_side(open_page, tmp_path, store):
    typed = f.write_xlsx(
        tmp_path / "民政局热线.xlsx", {"热线指标": [f.HOTLINE_HEADER, [MINZHENG, "2025-10", 9, "60%", "75%", "75%"]]}
    )
    ingest_file(store, typed.read_bytes(), typed.name)
    at = upload(open_page("pages/upload.py"), ticket_export(tmp_path))
    ran_cleanly(at)
    compared = at.dataframe[0].value
    assert compared[
        ["单位", "月份", "指标", "工单数据", "单位报表", "相差", "报表文件", "统计采用"]
    ].values.tolist() == [[MINZHENG, "2025-10", "诉求量", "6", "9", "-3", "民政局热线.xlsx", "工单数据"]]


def test_the_hotline_source_setting_is_changed_on_the_upload_page(open_page, store):
    at = open_page("pages/upload.py")
    setting = at.selectbox(key="upload_hotline_source")
    assert setting.value == "tickets"
    setting.set_value("returns").run()
    ran_cleanly(at)
    assert store.hotline_source() == "returns"
    assert "以单位报表为准" in at.success[0].value


# -- replacements said before anything is stored (spec §4) -----------------------------------------------------------


def monthly_returns_then_a_series(tmp_path: Path, store: Store) -> Path:
    """Seven monthly returns of 民政局 stored (February–August), and a series file of one activity a month over
    the same months whose period is inferred from its rows."""
    for month in range(2, 9):
        path = f.write_csv(tmp_path / f"学习{month}月.csv", f.learning_rows(3, month=202500 + month, seed=month))
        assert store_file(store, path).outcome is Outcome.ACCEPTED
    rows = [f.LEARNING_HEADER, *(f.learning_rows(1, month=202500 + m, seed=50 + m)[1] for m in range(2, 9))]
    return f.write_csv(tmp_path / "系列活动.csv", rows)


def store_file(store: Store, path: Path):
    return ingest_file(store, path.read_bytes(), path.name)


def test_a_file_that_would_replace_several_returns_is_held_until_confirmed(open_page, tmp_path, store):
    series = monthly_returns_then_a_series(tmp_path, store)
    at = upload(open_page("pages/upload.py"), series)
    ran_cleanly(at)
    assert verdicts(at)["系列活动.csv"] == "待确认"
    assert counts(at)["待确认"] == "1 个"
    (held,) = [w.value for w in at.warning if "入库前请核对" in w.value]
    assert "将替换 7 份报送（2—8月，21 行 → 7 行）" in held
    assert all(f"学习{m}月.csv" in held for m in range(2, 9))
    assert at.button(key=STORE_ALL).disabled  # nothing is stored before the analyst confirms

    at.checkbox[0].check().run()
    assert not at.button(key=STORE_ALL).disabled
    at.button(key=STORE_ALL).click().run()
    ran_cleanly(at)
    assert "已替换 7 份报送（2—8月，21 行 → 7 行）" in at.success[0].value
    assert len(store.current_rows("learning")) == 7


def test_a_correction_that_replaces_one_return_says_so_and_needs_no_confirmation(open_page, tmp_path, store):
    store_file(store, good_file(tmp_path))
    correction = f.write_xlsx(tmp_path / "民政局更正.xlsx", {"学习活动": f.titled(f.learning_rows(4, seed=9))})
    at = upload(open_page("pages/upload.py"), correction)
    assert verdicts(at)["民政局更正.xlsx"] == "可入库"
    (said,) = [i.value for i in at.info if "入库后将替换" in i.value]
    assert "将替换 1 份报送（10月，3 行 → 4 行）" in said and f"{MINZHENG}_202510.xlsx" in said


def test_a_re_saved_return_is_unchanged_on_the_desk(open_page, tmp_path, store):
    rows = f.learning_rows(3, seed=4)
    store_file(store, f.write_xlsx(tmp_path / "原件.xlsx", {"学习活动": rows}))
    at = upload(open_page("pages/upload.py"), f.write_csv(tmp_path / "另存.csv", rows))
    assert verdicts(at)["另存.csv"] == "无变化"
    assert "原件.xlsx" in at.info[0].value


def test_two_files_of_one_upload_for_the_same_month_both_say_which_wins(open_page, tmp_path):
    first = f.write_csv(tmp_path / "a.csv", f.learning_rows(3, seed=1))
    second = f.write_csv(tmp_path / "b.csv", f.learning_rows(2, seed=2))
    at = upload(open_page("pages/upload.py"), first, second)
    notes = [w.value for w in at.warning if "本次上传中" in w.value]
    assert any("后面的「b.csv」" in n and "以后者为准" in n for n in notes)
    assert any("前面的「a.csv」" in n and "以本文件为准" in n for n in notes)
