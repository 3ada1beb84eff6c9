"""lingyi/intake/ingest.py: one file in, stored whole or not at all; replacement, history, unchanged files (spec §4)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from factories import (
    HOTLINE_HEADER,
    OTHER_UNIT,
    PROBLEM_HEADER,
    UNIT,
    column,
    hotline_rows,
    indicator_rows,
    learning_rows,
    problem_rows,
    titled,
    write_csv,
    write_xlsx,
)

from lingyi.intake.ingest import Outcome, Upload, check_file, ingest_files
from lingyi.store import sha256
from lingyi.values import Period

ROOT = Path(__file__).resolve().parents[2]

PRIOR_HEADER = [*HOTLINE_HEADER, "上年同期诉求量", "上年同期一次性办好率", "上年同期问题解决率", "上年同期群众满意率"]


def snapshot(store):
    """What a user could see change: the history and the data version."""
    return store.history().to_dict("list"), store.data_version()


def current(store, kind, *columns):
    rows = store.current_rows(kind)
    return sorted(zip(*(rows[c] for c in columns)))


def learning_file(tmp_path, name, person_times, *, unit=UNIT, period="2025年10月", month=202510):
    rows = column(learning_rows(len(person_times), unit=unit, month=month), "参与人次", person_times)
    return write_xlsx(tmp_path / name, {"学习活动": titled(rows, unit=unit, period=period)})


# -- accepted whole or not at all ---------------------------------------------------------------------------------


def test_accepted_file_stores_every_row_with_counts_per_kind(store, submit, tmp_path):
    path = write_xlsx(
        tmp_path / "民政局10月.xlsx",
        {"学习活动": learning_rows(3), "热线指标": hotline_rows((202509, 202510)), "问题清单": problem_rows(2)},
    )
    result = submit(path)
    assert result.outcome is Outcome.ACCEPTED
    assert result.counts == {"学习活动": 3, "热线指标": 2, "问题清单": 2}
    assert len(result.submission_ids) == 3
    assert sorted(store.history()["kind"]) == ["hotline", "learning", "problems"]
    assert len(store.current_rows("learning")) == 3
    assert store.data_version() == 1


def test_file_with_one_error_stores_nothing(store, submit, tmp_path):
    submit(learning_file(tmp_path, "earlier.xlsx", [10, 20]))
    before = snapshot(store)
    rows = column(learning_rows(50, unit=OTHER_UNIT), "参与人次", [30] * 49 + [-1])
    path = write_xlsx(tmp_path / "财政局.xlsx", {"学习活动": rows, "热线指标": hotline_rows(units=(OTHER_UNIT,))})
    result = submit(path)
    assert result.outcome is Outcome.REJECTED
    assert result.submission_ids == []
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("学习活动", 51, "I")]
    assert snapshot(store) == before
    assert current(store, "learning", "unit") == [(UNIT,), (UNIT,)]


def test_rejected_file_reports_every_error(submit, tmp_path):
    rows = column(learning_rows(3), "参与人次", [-1, "x", -3])
    result = submit(write_csv(tmp_path / "学习活动.csv", rows))
    assert [(e.row, e.value) for e in result.errors] == [(2, "-1"), (3, "x"), (4, "-3")]


def test_consolidated_file_gives_one_submission_per_unit(store, submit, tmp_path):
    rows = column(learning_rows(4), "单位名称", [UNIT, OTHER_UNIT, UNIT, "团市委"])
    result = submit(write_csv(tmp_path / "汇总.csv", titled(rows, title="学习活动汇总", period="2025年10月")))
    assert result.outcome is Outcome.ACCEPTED
    history = store.history()
    assert sorted(zip(history["unit"], history["rows"])) == sorted(
        [(UNIT, 2), (OTHER_UNIT, 1), ("共青团临沂市委员会", 1)]
    )


@pytest.mark.parametrize("sender", ["市政务服务热线中心", "市12345热线办公室", "临沂市便民服务热线办"])
def test_consolidated_file_from_an_office_outside_the_registry_is_accepted(store, submit, tmp_path, sender):
    rows = [["序号", "单位名称", "诉求量", "一次性办好率"], [1, UNIT, 120, "93.72%"], [2, "市财政局", 80, "90%"]]
    rows = titled(rows, title="2025年4月份12345热线办理情况统计表", unit=sender, total=["诉求量"])
    result = submit(write_xlsx(tmp_path / "热线汇总.xlsx", {"热线": rows}))
    assert result.outcome is Outcome.ACCEPTED, result.findings
    assert current(store, "hotline", "unit", "month", "appeals") == sorted(
        [(UNIT, 202504, 120), (OTHER_UNIT, 202504, 80)]
    )
    (notice,) = [f for f in result.findings if sender in f.message]
    assert notice.message == f"填报单位「{sender}」不是名录中的单位，按报送方处理；各行按其「单位名称」计入单位。"
    assert (notice.row, notice.column_name, notice.value) == (2, "填报单位", sender)


def test_file_from_an_office_outside_the_registry_whose_rows_name_no_unit_is_refused(submit, tmp_path):
    rows = titled(learning_rows(2, header=["序号", "x", *learning_rows()[0][2:]]), unit="市12345热线办公室")
    result = submit(write_xlsx(tmp_path / "学习.xlsx", {"学习活动": rows}))
    assert result.outcome is Outcome.REJECTED
    assert result.errors[0].message.startswith("填报单位「市12345热线办公室」不在单位名录中。")


def test_consolidated_file_sent_by_a_registry_unit_counts_each_row_for_its_own_unit(store, submit, tmp_path):
    rows = [["单位名称", "月份", "诉求量"], [UNIT, "2025年4月", 120], ["市财政局", "2025-04", 80]]
    result = submit(write_xlsx(tmp_path / "汇总.xlsx", {"热线": titled(rows, unit="市委组织部")}))
    assert result.outcome is Outcome.ACCEPTED, result.findings
    assert current(store, "hotline", "unit", "appeals") == sorted([(UNIT, 120), (OTHER_UNIT, 80)])


def test_dry_run_checks_but_stores_nothing(store, submit, tmp_path):
    before = snapshot(store)
    result = submit(learning_file(tmp_path, "a.xlsx", [10, 20]), dry_run=True)
    assert result.outcome is Outcome.CHECKED
    assert result.counts == {"学习活动": 2}
    assert snapshot(store) == before
    assert store.history().empty


def test_headcount_of_the_file_unit_is_stored(store, submit, tmp_path):
    sheets = {"基本信息": [["填报单位", "市民政局"], ["在职人数", 86]], "学习活动": learning_rows(2)}
    submit(write_xlsx(tmp_path / "a.xlsx", sheets))
    assert store.headcounts() == {UNIT: 86}


def test_accepted_file_is_kept_and_each_row_traces_to_it(store, submit, tmp_path):
    path = learning_file(tmp_path, "民政局10月.xlsx", [10, 20])
    submit(path)
    rows = store.current_rows("learning")
    (file_id,) = set(rows["file_id"])
    assert store.original(file_id) == ("民政局10月.xlsx", path.read_bytes())
    assert sorted(zip(rows["sheet"], rows["row"])) == [("学习活动", 5), ("学习活动", 6)]


# -- again for the same unit, kind and period ----------------------------------------------------------------------


def test_upload_for_the_same_unit_kind_and_period_replaces_and_keeps_the_earlier_version(store, submit, tmp_path):
    first = submit(learning_file(tmp_path, "v1.xlsx", [10, 20]))
    second = submit(learning_file(tmp_path, "v2.xlsx", [5]))
    assert second.outcome is Outcome.ACCEPTED
    assert current(store, "learning", "person_times") == [(5,)]
    history = store.history().set_index("id")
    assert history.loc[first.submission_ids[0], "replaced_by"] == second.submission_ids[0]
    assert list(history["file"]) == ["v2.xlsx", "v1.xlsx"]

    store.restore(first.submission_ids[0])
    assert current(store, "learning", "person_times") == [(10,), (20,)]


def test_upload_for_another_period_adds_to_what_is_there(store, submit, tmp_path):
    submit(learning_file(tmp_path, "sep.xlsx", [10], period="2025年9月", month=202509))
    submit(learning_file(tmp_path, "oct.xlsx", [20]))
    assert current(store, "learning", "month", "person_times") == [(202509, 10), (202510, 20)]


def test_upload_for_another_unit_leaves_the_first_alone(store, submit, tmp_path):
    submit(learning_file(tmp_path, "a.xlsx", [10]))
    submit(learning_file(tmp_path, "b.xlsx", [20], unit=OTHER_UNIT))
    assert current(store, "learning", "unit", "person_times") == sorted([(UNIT, 10), (OTHER_UNIT, 20)])


def test_byte_identical_file_is_unchanged_and_says_so(store, submit, tmp_path):
    path = learning_file(tmp_path, "a.xlsx", [10])
    submit(path)
    before = snapshot(store)
    again = submit(path)
    assert again.outcome is Outcome.UNCHANGED
    assert again.message == "与已入库的文件「a.xlsx」完全相同，未作任何改动。"
    assert snapshot(store) == before


def test_byte_identical_file_under_another_name_is_unchanged(store, submit, tmp_path):
    path = learning_file(tmp_path, "a.xlsx", [10])
    submit(path)
    copy = tmp_path / "copy of a.xlsx"
    copy.write_bytes(path.read_bytes())
    assert submit(copy).message == "与已入库的文件「a.xlsx」完全相同，未作任何改动。"


def test_identical_file_after_it_was_replaced_changes_nothing(store, submit, tmp_path):
    first = learning_file(tmp_path, "v1.xlsx", [10])
    submit(first)
    submit(learning_file(tmp_path, "v2.xlsx", [99]))
    again = submit(first)
    assert again.outcome is Outcome.UNCHANGED
    assert current(store, "learning", "person_times") == [(99,)]


def test_identical_file_after_it_was_withdrawn_is_taken_in_again(store, submit, tmp_path):
    first = learning_file(tmp_path, "v1.xlsx", [10])
    submit(first)
    store.delete(int(store.history()["id"].iloc[0]))
    again = submit(first)
    assert again.outcome is Outcome.ACCEPTED
    assert again.message == "此前撤销的同一文件已重新入库。"
    assert current(store, "learning", "person_times") == [(10,)]
    assert len(store.history()) == 1  # the same submission brought back, not a copy


def test_period_given_by_the_caller_is_the_files_period(store, submit, tmp_path):
    path = write_csv(tmp_path / "学习活动.csv", learning_rows(2, month=202510))
    result = submit(path, period=Period(202510, 202512))
    assert result.outcome is Outcome.ACCEPTED
    history = store.history()
    assert (history["period_start"][0], history["period_end"][0]) == (202510, 202512)


# -- problems update by key -----------------------------------------------------------------------------------------


def ledger(tmp_path, name, *problems, period="2025年10月"):
    return write_csv(tmp_path / name, titled([PROBLEM_HEADER, *problems], title="问题清单", unit=UNIT, period=period))


def test_problem_uploaded_again_by_number_moves_on_and_others_stay(store, submit, tmp_path):
    submit(
        ledger(
            tmp_path,
            "q3.csv",
            [UNIT, "MZ-1", "指南未更新", "服务群众", "2025-03-01", "待化解", None, "点题"],
            [UNIT, "MZ-2", "台账不全", "业务工作", "2025-04-01", "化解中", None, "破题"],
            period="2025年9月",
        )
    )
    submit(
        ledger(
            tmp_path,
            "q4.csv",
            [UNIT, "MZ-1", "办事指南未及时更新", "服务群众", "2025-03-01", "已化解", "2025-10-08", "验题"],
        )
    )
    assert current(store, "problems", "number", "description", "status") == [
        ("MZ-1", "办事指南未及时更新", "已化解"),
        ("MZ-2", "台账不全", "化解中"),
    ]


def test_problem_without_number_is_known_by_description_and_found_date(store, submit, tmp_path):
    submit(
        ledger(
            tmp_path,
            "a.csv",
            [UNIT, None, "窗口服务不规范", "服务群众", "2025-03-01", "待化解", None, None],
            [UNIT, None, "窗口服务不规范", "服务群众", "2025-05-01", "待化解", None, None],
        )
    )
    submit(
        ledger(
            tmp_path, "b.csv", [UNIT, None, "窗口服务不规范", "服务群众", "2025-03-01", "已整改", "2025-10-01", None]
        )
    )
    assert current(store, "problems", "found_date", "status") == [
        (pd.Timestamp("2025-03-01"), "已化解"),
        (pd.Timestamp("2025-05-01"), "待化解"),
    ]


# -- 上年同期 -------------------------------------------------------------------------------------------------------


def test_prior_year_value_that_differs_from_the_stored_row_is_a_warning_naming_both(store, submit, tmp_path):
    submit(write_csv(tmp_path / "2024.csv", [HOTLINE_HEADER, [UNIT, "2024-10", 100, "90%", "88%", "95%"]]))
    rows = [PRIOR_HEADER, [UNIT, "2025-10", 120, "95%", "92%", "96%", 110, "90%", "80%", ""]]
    result = submit(write_csv(tmp_path / "热线指标.csv", rows))
    assert result.outcome is Outcome.ACCEPTED  # a warning never blocks
    assert [str(w) for w in result.warnings] == [
        "警告：文件「热线指标.csv」 工作表「热线指标」 第2行 G列「上年同期诉求量」 值「110」："
        "上年同期诉求量填报为 110，但系统中 2024-10 的数据为 100；同比按系统中的数据计算。",
        "警告：文件「热线指标.csv」 工作表「热线指标」 第2行 I列「上年同期问题解决率」 值「80.00%」："
        "上年同期问题解决率填报为 80.00%，但系统中 2024-10 的数据为 88.00%；同比按系统中的数据计算。",
    ]


def test_last_years_own_return_arriving_later_is_warned_of_the_prior_year_values_it_contradicts(
    store, submit, tmp_path
):
    rows = [PRIOR_HEADER, [UNIT, "2025-10", 120, "95%", "92%", "96%", 110, "90%", "80%", ""]]
    submit(write_csv(tmp_path / "热线指标.csv", rows))
    result = submit(write_csv(tmp_path / "2024.csv", [HOTLINE_HEADER, [UNIT, "2024-10", 100, "90%", "88%", "95%"]]))
    assert result.outcome is Outcome.ACCEPTED
    assert [str(w) for w in result.warnings] == [
        "警告：文件「2024.csv」 工作表「2024」 第2行 C列「诉求量」 值「100」："
        "诉求量为 100，但系统中 2025-10 的报表填报的上年同期为 110；同比按本表的数据计算。",
        "警告：文件「2024.csv」 工作表「2024」 第2行 E列「问题解决率」 值「88.00%」："
        "问题解决率为 88.00%，但系统中 2025-10 的报表填报的上年同期为 80.00%；同比按本表的数据计算。",
    ]


def test_prior_year_value_equal_to_the_stored_row_is_no_warning(store, submit, tmp_path):
    submit(write_csv(tmp_path / "2024.csv", [HOTLINE_HEADER, [UNIT, "2024-10", 100, "90%", "88%", "95%"]]))
    rows = [PRIOR_HEADER, [UNIT, "2025-10", 120, "95%", "92%", "96%", 100, "90%", "88%", "95%"]]
    assert submit(write_csv(tmp_path / "热线指标.csv", rows)).warnings == []


def test_prior_year_value_without_a_stored_row_is_no_warning(store, submit, tmp_path):
    rows = [PRIOR_HEADER, [UNIT, "2025-10", 120, "95%", "92%", "96%", 110, "90%", "80%", "85%"]]
    result = submit(write_csv(tmp_path / "热线指标.csv", rows))
    assert result.warnings == []
    assert current(store, "hotline", "appeals", "appeals_prev") == [(120, 110)]


# -- check_file ---------------------------------------------------------------------------------------------------------


def test_check_file_of_an_unreadable_file_gives_one_error_naming_it(registry):
    validated = check_file(b"", "空.xlsx", registry)
    assert [str(e) for e in validated.errors] == ["错误：文件「空.xlsx」：文件是空的（0 字节），请重新导出后上传。"]


@pytest.mark.parametrize(
    ("sheets", "counts"),
    [
        ({"指标完成": indicator_rows()}, {"指标完成": 2}),
        ({"学习活动": learning_rows(1), "指标完成": indicator_rows()}, {"学习活动": 1, "指标完成": 2}),
    ],
)
def test_indicator_returns_are_stored_per_period(store, submit, tmp_path, sheets, counts):
    result = submit(write_xlsx(tmp_path / "a.xlsx", sheets))
    assert result.counts == counts
    assert current(store, "indicators", "indicator", "period_start", "period_end") == [
        ("理论学习中心组学习次数", 202501, 202510),
        ("群众投诉件数", 202501, 202510),
    ]


# -- several files: ingest_files ------------------------------------------------------------------------------------


def uploads(*paths):
    return [Upload(p.read_bytes(), p.name) for p in paths]


def test_a_bad_file_among_good_ones_stores_the_good_ones_and_nothing_of_it(store, registry, tmp_path):
    good = [learning_file(tmp_path, "a.xlsx", [10]), learning_file(tmp_path, "b.xlsx", [20], unit=OTHER_UNIT)]
    bad = write_csv(tmp_path / "bad.csv", column(learning_rows(2, unit="团市委"), "参与人次", [-1, 3]))
    results = list(ingest_files(store, uploads(good[0], bad, good[1]), registry=registry))
    assert [(r.file, r.outcome) for r in results] == [
        ("a.xlsx", Outcome.ACCEPTED),
        ("bad.csv", Outcome.REJECTED),
        ("b.xlsx", Outcome.ACCEPTED),
    ]
    assert [(e.row, e.value) for e in results[1].errors] == [(2, "-1")]
    assert sorted(store.history()["file"]) == ["a.xlsx", "b.xlsx"]
    assert current(store, "learning", "unit", "person_times") == sorted([(UNIT, 10), (OTHER_UNIT, 20)])
    assert store.file_by_hash(sha256(bad.read_bytes())) is None
    assert store.data_version() == 2  # one step per file stored, as file by file


def test_a_file_is_checked_against_the_files_before_it_in_the_same_batch(store, registry, tmp_path):
    earlier = write_csv(tmp_path / "2024.csv", [HOTLINE_HEADER, [UNIT, "2024-10", 100, "90%", "88%", "95%"]])
    rows = [PRIOR_HEADER, [UNIT, "2025-10", 120, "95%", "92%", "96%", 110, "90%", "88%", "95%"]]
    later = write_csv(tmp_path / "热线指标.csv", rows)
    copy = tmp_path / "copy.csv"
    copy.write_bytes(earlier.read_bytes())
    results = list(ingest_files(store, uploads(earlier, later, copy), registry=registry))
    assert [r.outcome for r in results] == [Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.UNCHANGED]
    assert [w.value for w in results[1].warnings] == ["110"]  # 上年同期 against the file stored just before
    assert results[2].message == "与已入库的文件「2024.csv」完全相同，未作任何改动。"


@pytest.mark.parametrize("batch_files", [1, 2, 200])
def test_batches_of_any_size_end_as_files_stored_one_at_a_time(store, registry, tmp_path, monkeypatch, batch_files):
    monkeypatch.setattr("lingyi.intake.ingest.BATCH_FILES", batch_files)
    paths = [
        learning_file(tmp_path, "v1.xlsx", [10, 20]),
        learning_file(tmp_path, "sep.xlsx", [7], period="2025年9月", month=202509),
        learning_file(tmp_path, "v2.xlsx", [5]),
        ledger(tmp_path, "q.csv", [UNIT, "MZ-1", "台账不全", "业务工作", "2025-04-01", "化解中", None, "破题"]),
    ]
    results = list(ingest_files(store, uploads(*paths), registry=registry))
    assert [r.outcome for r in results] == [Outcome.ACCEPTED] * 4
    history = store.history()
    assert list(history["file"]) == ["q.csv", "v2.xlsx", "sep.xlsx", "v1.xlsx"]  # newest first, by seq
    assert history["seq"].tolist() == [4, 3, 2, 1]
    assert history.set_index("file").loc["v1.xlsx", "replaced_by"] == results[2].submission_ids[0]
    assert current(store, "learning", "month", "person_times") == [(202509, 7), (202510, 5)]
    assert store.data_version() == 4
    assert len(store.audit_log()) == 4


def failing_rows_of(unit: str, error: Exception):
    """``bulk_insert`` that writes a part's rows and then raises ``error`` where the rows are ``unit``'s."""
    from lingyi.store import submissions as submissions_module

    write_rows = submissions_module.bulk_insert

    def failing(conn, table, parts):
        write_rows(conn, table, parts)
        if any(unit in part["unit"] for part in parts):
            raise error

    return failing


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_that_fails_while_being_stored_is_rejected_alone_leaving_nothing_of_itself(
    store, registry, tmp_path, monkeypatch, workers
):
    from lingyi.store import submissions as submissions_module

    first, second = learning_file(tmp_path, "a.xlsx", [10]), learning_file(tmp_path, "b.xlsx", [20], unit=OTHER_UNIT)
    third = learning_file(tmp_path, "c.xlsx", [30], month=202509, period="2025年9月")
    monkeypatch.setattr(submissions_module, "bulk_insert", failing_rows_of(OTHER_UNIT, OverflowError("int too large")))
    results = list(ingest_files(store, uploads(first, second, third), registry=registry, workers=workers))
    assert [(r.file, r.outcome) for r in results] == [
        ("a.xlsx", Outcome.ACCEPTED),
        ("b.xlsx", Outcome.REJECTED),
        ("c.xlsx", Outcome.ACCEPTED),
    ]
    assert [(e.file, e.message) for e in results[1].errors] == [
        (
            "b.xlsx",
            "文件入库时程序出错（OverflowError: int too large），本文件未入库，同批其他文件照常处理。"
            "请把此文件发给系统管理员查看。",
        )
    ]
    assert sorted(store.history()["file"]) == ["a.xlsx", "c.xlsx"]
    assert current(store, "learning", "unit") == [(UNIT,), (UNIT,)]
    assert store.file_by_hash(sha256(second.read_bytes())) is None
    assert sorted(store.audit_log()["file"]) == ["a.xlsx", "c.xlsx"]
    assert store.data_version() == 2


def test_a_fault_of_the_store_itself_stores_the_files_before_it_and_raises(store, registry, tmp_path, monkeypatch):
    from lingyi.store import submissions as submissions_module

    first, second = learning_file(tmp_path, "a.xlsx", [10]), learning_file(tmp_path, "b.xlsx", [20], unit=OTHER_UNIT)
    full = sa.exc.OperationalError("INSERT", None, Exception("database or disk is full"))
    monkeypatch.setattr(submissions_module, "bulk_insert", failing_rows_of(OTHER_UNIT, full))
    results = ingest_files(store, uploads(first, second), registry=registry)
    assert next(results).outcome is Outcome.ACCEPTED  # reported once committed, before the failure is raised
    with pytest.raises(sa.exc.OperationalError, match="disk is full"):
        next(results)
    assert list(store.history()["file"]) == ["a.xlsx"]
    assert store.file_by_hash(sha256(second.read_bytes())) is None
    assert store.data_version() == 1


def test_dry_run_of_several_files_checks_each_and_stores_nothing(store, registry, tmp_path):
    paths = [learning_file(tmp_path, "a.xlsx", [10]), learning_file(tmp_path, "b.xlsx", [20])]
    results = list(ingest_files(store, uploads(*paths), registry=registry, dry_run=True))
    assert [r.outcome for r in results] == [Outcome.CHECKED, Outcome.CHECKED]
    assert store.history().empty
    assert store.data_version() == 0


# -- a folder read by worker processes ------------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_files_checked_by_worker_processes_are_stored_and_reported_in_order_as_one_by_one(
    store, registry, tmp_path, monkeypatch, workers
):
    monkeypatch.setattr("lingyi.intake.ingest.BATCH_FILES", 2)  # batches end between files checked ahead
    earlier = write_csv(tmp_path / "2024.csv", [HOTLINE_HEADER, [UNIT, "2024-10", 100, "90%", "88%", "95%"]])
    later = write_csv(
        tmp_path / "热线指标.csv", [PRIOR_HEADER, [UNIT, "2025-10", 120, "95%", "92%", "96%", 110, "90%", "88%", "95%"]]
    )
    bad = write_csv(tmp_path / "bad.csv", column(learning_rows(2, unit="团市委"), "参与人次", [-1, 3]))
    copy = tmp_path / "copy.csv"
    copy.write_bytes(earlier.read_bytes())
    good = [
        learning_file(tmp_path, f"{n}.xlsx", [n], unit=OTHER_UNIT, month=202500 + n, period=f"2025年{n}月")
        for n in range(1, 7)
    ]
    paths = [earlier, good[0], bad, later, *good[1:4], copy, *good[4:]]
    results = list(ingest_files(store, uploads(*paths), registry=registry, workers=workers))
    assert [(r.file, r.outcome) for r in results] == [
        (p.name, Outcome.REJECTED if p == bad else Outcome.UNCHANGED if p == copy else Outcome.ACCEPTED) for p in paths
    ]
    assert [(e.file, e.row, e.column_name, e.value) for e in results[2].errors] == [("bad.csv", 2, "参与人次", "-1")]
    assert [(w.row, w.value) for w in results[3].warnings] == [(2, "110")]  # 上年同期 against 2024.csv
    assert results[7].message == "与已入库的文件「2024.csv」完全相同，未作任何改动。"
    assert [r.counts for r in results[4:7]] == [{"学习活动": 1}] * 3
    assert current(store, "learning", "month", "person_times") == [(202500 + n, n) for n in range(1, 7)]
    assert store.data_version() == 8


def test_a_folder_skips_reading_the_files_stored_before_it_and_reads_a_withdrawn_one_again(
    store, registry, tmp_path, monkeypatch
):
    from lingyi.intake import ingest as ingest_module

    kept, withdrawn = (
        learning_file(tmp_path, "kept.xlsx", [10]),
        learning_file(tmp_path, "gone.xlsx", [20], unit=OTHER_UNIT),
    )
    list(ingest_files(store, uploads(kept, withdrawn), registry=registry))
    store.delete(int(store.history().query("file == 'gone.xlsx'")["id"].iloc[0]))
    read: list[str] = []
    check_alone = ingest_module._check_alone

    def recorded(data, name, *args, **kwargs):
        read.append(name)
        return check_alone(data, name, *args, **kwargs)

    monkeypatch.setattr(ingest_module, "_check_alone", recorded)
    new = learning_file(tmp_path, "new.xlsx", [30], unit=OTHER_UNIT, month=202509, period="2025年9月")
    results = list(ingest_files(store, uploads(new, kept, withdrawn, kept), registry=registry))
    assert [(r.file, r.outcome) for r in results] == [
        ("new.xlsx", Outcome.ACCEPTED),
        ("kept.xlsx", Outcome.UNCHANGED),
        ("gone.xlsx", Outcome.ACCEPTED),
        ("kept.xlsx", Outcome.UNCHANGED),
    ]
    assert results[3].message == "与已入库的文件「kept.xlsx」完全相同，未作任何改动。"
    assert read == ["new.xlsx", "gone.xlsx"]


@pytest.mark.parametrize(("chunk_files", "ahead_bytes"), [(1, 10**9), (3, 10**9), (100, 10**9), (3, 1)])
def test_files_checked_a_few_to_a_worker_task_come_back_each_in_its_turn(
    store, registry, tmp_path, monkeypatch, chunk_files, ahead_bytes
):
    monkeypatch.setattr("lingyi.intake.workers.POOL_CHUNK_FILES", chunk_files)
    monkeypatch.setattr("lingyi.intake.ingest.POOL_AHEAD_BYTES", ahead_bytes)  # 1: a file ahead at most
    paths = [
        learning_file(tmp_path, f"{n}.xlsx", [n], unit=OTHER_UNIT, month=202500 + n, period=f"2025年{n}月")
        for n in range(1, 8)
    ]
    bad = write_csv(tmp_path / "bad.csv", column(learning_rows(2, unit="团市委"), "参与人次", [-1, 3]))
    paths.insert(4, bad)
    results = list(ingest_files(store, uploads(*paths), registry=registry, workers=2))
    assert [(r.file, r.outcome) for r in results] == [
        (p.name, Outcome.REJECTED if p == bad else Outcome.ACCEPTED) for p in paths
    ]
    assert [(e.file, e.row, e.value) for e in results[4].errors] == [("bad.csv", 2, "-1")]
    assert current(store, "learning", "month", "person_times") == [(202500 + n, n) for n in range(1, 8)]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_is_checked_against_a_withdrawn_file_brought_back_earlier_in_the_same_batch(
    store, registry, tmp_path, workers
):
    earlier = write_csv(tmp_path / "2024.csv", [HOTLINE_HEADER, [UNIT, "2024-10", 100, "90%", "88%", "95%"]])
    list(ingest_files(store, uploads(earlier), registry=registry))
    store.delete(int(store.history()["id"].iloc[0]))
    later = write_csv(
        tmp_path / "热线指标.csv", [PRIOR_HEADER, [UNIT, "2025-10", 120, "95%", "92%", "96%", 110, "90%", "88%", "95%"]]
    )
    results = list(ingest_files(store, uploads(earlier, later), registry=registry, workers=workers))
    assert results[0].message == "此前撤销的同一文件已重新入库。"
    assert [(w.row, w.value) for w in results[1].warnings] == [(2, "110")]  # 上年同期 against 2024.csv, back


@pytest.mark.parametrize("workers", [1, 2])
def test_a_fault_while_checking_a_file_rejects_that_file_with_its_name_and_the_others_go_on(
    store, registry, tmp_path, monkeypatch, workers
):
    from lingyi.intake import ingest as ingest_module

    check_alone = ingest_module._check_alone

    def failing_for_b(data, name, *args, **kwargs):
        if name == "b.xlsx":
            raise RuntimeError("a fault of ours")
        return check_alone(data, name, *args, **kwargs)

    monkeypatch.setattr(ingest_module, "_check_alone", failing_for_b)  # the workers are forked after this
    paths = [learning_file(tmp_path, "a.xlsx", [10]), learning_file(tmp_path, "b.xlsx", [20], unit=OTHER_UNIT)]
    paths.append(learning_file(tmp_path, "c.xlsx", [30], unit=OTHER_UNIT, month=202509, period="2025年9月"))
    results = list(ingest_files(store, uploads(*paths), registry=registry, workers=workers))
    assert [(r.file, r.outcome) for r in results] == [
        ("a.xlsx", Outcome.ACCEPTED),
        ("b.xlsx", Outcome.REJECTED),
        ("c.xlsx", Outcome.ACCEPTED),
    ]
    assert [(e.file, e.row, e.message) for e in results[1].errors] == [
        (
            "b.xlsx",
            None,
            "文件检查时程序出错（RuntimeError: a fault of ours），本文件未入库，同批其他文件照常处理。"
            "请把此文件发给系统管理员查看。",
        )
    ]
    assert sorted(store.history()["file"]) == ["a.xlsx", "c.xlsx"]
    assert store.data_version() == 2


# ``python -m lingyi ingest`` whose workers, forked after this, hang on the first file they are given: they are there
# to be found, and still at work, when the command is killed.
HANGING_INGEST = """
import sys, time
import lingyi.cli.main, lingyi.cli.returns, lingyi.intake.ingest
lingyi.intake.ingest._check_alone = lambda *args, **kwargs: time.sleep(3600)
lingyi.cli.returns.folder_workers = lambda: 2
sys.exit(lingyi.cli.main.main(sys.argv[1:]))
"""


def children_of(pid: int) -> list[int]:
    """The live (not zombie) processes whose parent is ``pid``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and alive(int(entry.name)):
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def polled(condition, *, within: float) -> bool:
    """Whether ``condition()`` comes true within ``within`` seconds, asked every 50 ms."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_of_an_ingest_killed_with_sigkill_end_with_it(tmp_path):
    inbox = tmp_path / "inbox"
    for number, unit in enumerate((UNIT, OTHER_UNIT), start=1):
        write_csv(inbox / f"{number}.csv", learning_rows(2, unit=unit))
    command = [sys.executable, "-c", HANGING_INGEST, "ingest", str(inbox), "--db", f"sqlite:///{tmp_path / 'k.db'}"]
    ingest = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        assert polled(lambda: len(children_of(ingest.pid)) >= 2, within=60), "the workers never started"
        workers = children_of(ingest.pid)
        os.kill(ingest.pid, signal.SIGKILL)
        ingest.wait(timeout=30)
        assert polled(lambda: not any(alive(pid) for pid in workers), within=30)
    finally:
        if ingest.poll() is None:
            ingest.kill()
        for pid in workers:  # ours, left behind where the test failed
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
