"""lingyi/ui/upload.py: 数据上传 through AppTest, with real files uploaded.

Files go in through ``at.file_uploader(key=…).upload(name, bytes, mime)``, as a browser sends them;
what the page says is checked against the store and against counts made here, independently.
"""

from __future__ import annotations

from pathlib import Path

import factories as f
import pytest

from lingyi.intake.ingest import Outcome, ingest_file
from lingyi.store import Store
from ui.apps import (
    CAIZHENG,
    FILES,
    MINZHENG,
    PERIOD,
    STORE_ALL,
    another_write_under_way,
    bad_file,
    counts,
    good_file,
    ran_cleanly,
    table_rows,
    unitless_file,
    upload,
    verdicts,
)


@pytest.fixture
def store(desk_store: Store) -> Store:
    """The desk pages run on a SQLite store of their own (tests/ui/conftest.py)."""
    return desk_store


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


def test_store_all_says_while_it_waits_for_another_write(open_page, tmp_path, store, desk_url, monkeypatch):
    """The page says 「数据库正忙，等待其他写入完成……」 while it waits, stores the file once the lock is free, and the
    notice is gone."""
    at = upload(open_page("pages/upload.py"), good_file(tmp_path))
    with another_write_under_way(desk_url, monkeypatch) as shown:
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
