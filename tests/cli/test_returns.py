"""lingyi/cli/returns.py: ``python -m lingyi ingest|init|hotline-source|history|restore|delete`` (spec §6)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from factories import (
    HOTLINE_HEADER,
    LEARNING_HEADER,
    OTHER_UNIT,
    UNIT,
    column,
    csv_bytes,
    learning_rows,
    titled,
    write_csv,
    write_xlsx,
)


def good_file(folder: Path, name: str = "民政局10月.xlsx", *, unit: str = UNIT, people=(100, 50, 30)) -> Path:
    rows = column(learning_rows(len(people), unit=unit), "参与人次", list(people))
    return write_xlsx(folder / name, {"学习活动": titled(rows, unit=unit, period="2025年10月")})


def bad_file(folder: Path, name: str = "财政局10月.csv") -> Path:
    return write_csv(folder / name, column(learning_rows(2, unit=OTHER_UNIT), "参与人次", [-5, "很多"]))


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# -- ingest -------------------------------------------------------------------------------------------------------


def test_ingest_of_an_accepted_file_prints_one_line_with_counts_and_exits_0(cli, store, tmp_path):
    code, out, _ = cli("ingest", good_file(tmp_path))
    assert code == 0
    assert lines(out) == [
        "accepted  民政局10月.xlsx  已入库  学习活动 3行",
        "共 1 个文件：入库 1，无变化 0，拒收 0。",
    ]
    assert len(store.history()) == 1


def test_ingest_of_the_same_file_again_says_unchanged_and_exits_0(cli, store, tmp_path):
    path = good_file(tmp_path)
    cli("ingest", path)
    version = store.data_version()
    code, out, _ = cli("ingest", path)
    assert code == 0
    assert (
        lines(out)[0] == "unchanged 民政局10月.xlsx  无变化  与已入库的文件「民政局10月.xlsx」完全相同，未作任何改动。"
    )
    assert lines(out)[-1] == "共 1 个文件：入库 0，无变化 1，拒收 0。"
    assert store.data_version() == version


def test_ingest_with_a_rejected_file_lists_every_error_and_exits_1(cli, store, tmp_path):
    code, out, _ = cli("ingest", good_file(tmp_path), bad_file(tmp_path))
    assert code == 1
    assert lines(out) == [
        "accepted  民政局10月.xlsx  已入库  学习活动 3行",
        "rejected  财政局10月.csv  有错误，未入库  学习活动 2行  错误 2",
        "错误：文件「财政局10月.csv」 工作表「财政局10月」 第2行 I列「参与人次」 值「-5」：应为不小于0的整数。",
        "错误：文件「财政局10月.csv」 工作表「财政局10月」 第3行 I列「参与人次」 值「很多」：无法识别为数字，请只填写数字，如 1234。",
        "共 2 个文件：入库 1，无变化 0，拒收 1。",
    ]
    assert list(store.history()["unit"]) == [UNIT]


def test_ingest_prints_warnings_and_they_do_not_block(cli, tmp_path):
    rows = column(learning_rows(2), "活动形式", ["读书会", "大讲堂"])
    code, out, _ = cli("ingest", write_csv(tmp_path / "学习活动.csv", rows))
    assert code == 0
    assert lines(out)[0] == "accepted  学习活动.csv  已入库  学习活动 2行  警告 2"
    assert (
        "警告：文件「学习活动.csv」 工作表「学习活动」 D列「活动形式」 值「大讲堂」：「大讲堂」按「讲堂」统计（共1行）。"
        in lines(out)
    )


def test_ingest_dry_run_checks_every_file_and_stores_nothing(cli, store, tmp_path):
    code, out, _ = cli("ingest", good_file(tmp_path), "--dry-run")
    assert code == 0
    assert lines(out)[0] == "accepted  民政局10月.xlsx  可入库（试运行，未入库）  学习活动 3行"
    assert lines(out)[-1] == "共 1 个文件：可入库 1（试运行，未入库），无变化 0，拒收 0。"
    assert store.history().empty
    assert store.data_version() == 0
    code, out, _ = cli("ingest", bad_file(tmp_path), "--dry-run")
    assert code == 1
    assert lines(out)[0].startswith("rejected  财政局10月.csv")


def test_ingest_period_overrides_the_files_and_rows_outside_it_are_errors(cli, store, tmp_path):
    path = write_csv(tmp_path / "学习活动.csv", learning_rows(2, month=202509))
    code, out, _ = cli("ingest", path, "--period", "2025年10月")
    assert code == 1
    assert "活动日期不在报送期间（2025年10月）内。" in out
    code, out, _ = cli("ingest", path, "--period", "2025年第三季度")
    assert code == 0
    history = store.history()
    assert (history["period_start"][0], history["period_end"][0]) == (202507, 202509)


def test_ingest_period_of_one_month_is_the_month_of_a_hotline_return_without_a_month_column(cli, store, tmp_path):
    rows = [["单位名称", "诉求量", "一次性办好率"], [UNIT, 120, "93.72%"], ["市财政局", 80, "90%"]]
    path = write_csv(tmp_path / "12345热线.csv", rows)
    code, out, _ = cli("ingest", path)
    assert code == 1
    assert "缺少必填列「月份」" in out
    code, out, _ = cli("ingest", path, "--period", "2025年4月")
    assert code == 0, out
    current = store.current_rows("hotline")[["unit", "month", "appeals"]]
    assert sorted((u, int(m), int(a)) for u, m, a in current.itertuples(index=False)) == sorted(
        [(UNIT, 202504, 120), (OTHER_UNIT, 202504, 80)]
    )


def test_ingest_of_a_file_matching_no_kind_says_the_nearest_kind_and_the_rename(cli, tmp_path):
    path = write_csv(tmp_path / "汇总.csv", [["单位名称", "月份", "诉求总量"], [UNIT, "2025-04", 120]])
    code, out, _ = cli("ingest", path, "--dry-run")
    assert code == 1
    assert lines(out)[0].startswith("rejected  汇总.csv")
    assert "最接近 热线指标：「诉求总量」可改名为「诉求量」。" in out


def test_ingest_takes_folders_and_reads_the_return_files_inside_in_natural_order(cli, tmp_path):
    inbox = tmp_path / "inbox"
    good_file(inbox, "截至2025年10月.xlsx", people=(5,))
    write_csv(inbox / "截至2025年6月.csv", learning_rows(1, month=202506, unit=OTHER_UNIT))
    write_csv(inbox / "补报" / "团市委.csv", learning_rows(1, unit="团市委"))
    (inbox / "说明.docx").write_bytes(b"not a return")
    (inbox / "~$截至2025年10月.xlsx").write_bytes(b"an Excel lock file")
    (inbox / ".hidden.csv").write_bytes(csv_bytes(learning_rows(1)))
    single = good_file(tmp_path, "单独.xlsx", unit="市财政局")
    code, out, _ = cli("ingest", inbox, single)
    assert code == 0
    assert [line.split()[:2] for line in lines(out)[:-1]] == [
        ["accepted", "截至2025年6月.csv"],
        ["accepted", "截至2025年10月.xlsx"],
        ["accepted", "团市委.csv"],
        ["accepted", "单独.xlsx"],
    ]


@pytest.mark.parametrize("batch_files", [1, 2, 200])
def test_ingest_of_a_folder_stores_the_good_files_around_a_bad_one_and_reports_each_in_order(
    cli, store, tmp_path, monkeypatch, batch_files
):
    monkeypatch.setattr(
        "lingyi.intake.ingest.BATCH_FILES", batch_files
    )  # a batch ends before, at or after the bad file
    inbox = tmp_path / "inbox"
    first = good_file(inbox, "1民政局.xlsx")
    bad_file(inbox, "2财政局.csv")
    good_file(inbox, "3团市委.xlsx", unit="团市委")
    shutil.copyfile(first, inbox / "4民政局副本.xlsx")  # the same bytes as the first: unchanged
    code, out, _ = cli("ingest", inbox)
    assert code == 1
    assert [line.split()[:2] for line in lines(out) if not line.startswith("错误")] == [
        ["accepted", "1民政局.xlsx"],
        ["rejected", "2财政局.csv"],
        ["accepted", "3团市委.xlsx"],
        ["unchanged", "4民政局副本.xlsx"],
        ["共", "4"],
    ]
    assert lines(out)[-1] == "共 4 个文件：入库 2，无变化 1，拒收 1。"
    assert sorted(store.history()["file"]) == ["1民政局.xlsx", "3团市委.xlsx"]
    assert store.data_version() == 2


@pytest.mark.parametrize("count", ["1e308", "1e19", "9223372036854775808", "1000000001"])
def test_a_count_out_of_range_is_a_located_error_and_the_files_after_it_are_read(cli, store, tmp_path, count):
    inbox = tmp_path / "inbox"
    good_file(inbox, "1民政局.xlsx")
    write_csv(inbox / "2财政局.csv", column(learning_rows(2, unit=OTHER_UNIT), "参与人次", [12, count]))
    good_file(inbox, "3团市委.xlsx", unit="团市委")
    code, out, err = cli("ingest", inbox)
    assert (code, err) == (1, "")
    assert "程序内部错误" not in out
    assert [line.split()[:2] for line in lines(out)] == [
        ["accepted", "1民政局.xlsx"],
        ["rejected", "2财政局.csv"],
        ["accepted", "3团市委.xlsx"],
        ["错误：文件「2财政局.csv」", "工作表「2财政局」"],
        ["共", "3"],
    ]
    assert lines(out)[3] == (
        f"错误：文件「2财政局.csv」 工作表「2财政局」 第3行 I列「参与人次」 值「{count}」："
        "数值超出范围：整数不能超过 1,000,000,000（10亿），请检查是否多填了数字。"
    )
    assert sorted(store.history()["file"]) == ["1民政局.xlsx", "3团市委.xlsx"]


def test_a_fault_of_ours_with_one_file_refuses_that_file_by_name_and_the_folder_goes_on(
    cli, store, tmp_path, monkeypatch
):
    from lingyi.intake import validation

    inbox = tmp_path / "inbox"
    good_file(inbox, "1民政局.xlsx")
    good_file(inbox, "2财政局.xlsx", unit=OTHER_UNIT)
    good_file(inbox, "3团市委.xlsx", unit="团市委")
    validate = validation.validate

    def failing_for_the_second(read, *args, **kwargs):
        if read.name == "2财政局.xlsx":
            raise KeyError("学习活动")
        return validate(read, *args, **kwargs)

    monkeypatch.setattr("lingyi.intake.ingest.validate", failing_for_the_second)  # the workers are forked after this
    code, out, err = cli("ingest", inbox)
    assert (code, err) == (1, "")
    assert [line.split()[:2] for line in lines(out)][:3] == [
        ["accepted", "1民政局.xlsx"],
        ["rejected", "2财政局.xlsx"],
        ["accepted", "3团市委.xlsx"],
    ]
    assert "错误：文件「2财政局.xlsx」：文件检查时程序出错（KeyError: '学习活动'），本文件未入库" in out
    assert sorted(store.history()["file"]) == ["1民政局.xlsx", "3团市委.xlsx"]


# -- history, restore, delete ---------------------------------------------------------------------------------------


def test_history_restore_and_delete(cli, store, tmp_path):
    cli("ingest", good_file(tmp_path, "v1.xlsx", people=(10,)))
    cli("ingest", good_file(tmp_path, "v2.xlsx", people=(20,)))
    code, out, _ = cli("history")
    assert code == 0
    assert [(line.split()[0], line.split()[-1]) for line in lines(out)] == [("#2", "当前"), ("#1", "替代")]
    assert lines(out)[1].endswith("被 #2 替代")
    assert "v1.xlsx" in lines(out)[1]
    assert lines(cli("restore", "1")[1]) == ["报送 #1 已恢复为当前版本。"]
    assert list(store.current_rows("learning")["person_times"]) == [10]
    assert lines(cli("delete", "1")[1]) == ["报送 #1 已撤销。"]
    assert list(store.current_rows("learning")["person_times"]) == [20]
    (first,) = [line for line in lines(cli("history", "--unit", "民政局")[1]) if line.startswith("#1 ")]
    assert first.endswith("已撤销")


# -- 12345 ticket exports -----------------------------------------------------------------------------------------


def test_ingest_takes_a_ticket_export_and_says_where_it_disagrees_with_a_return(cli, store, tmp_path, monkeypatch):
    from factories import HAND_TICKETS

    from lingyi.intake import ticket_files

    monkeypatch.setattr(ticket_files, "PROGRESS_EVERY", 1)  # CSV chunks of 4 rows
    typed = write_xlsx(
        tmp_path / "民政局热线.xlsx", {"热线指标": [HOTLINE_HEADER, [UNIT, "2025-10", 9, "60%", "75%", "75%"]]}
    )
    exported = write_csv(tmp_path / "12345工单.csv", HAND_TICKETS, "gbk")
    cli("ingest", typed)
    code, out, err = cli("ingest", exported)
    assert code == 0
    assert lines(out) == [
        "accepted  12345工单.csv  已入库  12345工单 10行、热线指标 2行  警告 2",
        "警告：文件「12345工单.csv」 工作表「12345工单」 第3行 A列「工单编号」 值「T2」："
        "有 1 行的工单编号与后面的行重复，每个编号只计一件（以最后一行为准）。",
        "警告：文件「12345工单.csv」 工作表「12345工单」 第2行："
        "临沂市民政局 2025-10：诉求量 工单 6 / 报表 9（单位报表「民政局热线.xlsx」）。按设置「以工单数据为准」，统计采用工单数据。",
        "共 1 个文件：入库 1，无变化 0，拒收 0。",
    ]
    assert "已读取 4 / 10 件工单" in err
    assert sorted(store.current_rows("hotline")["appeals"]) == [2, 6]


@pytest.mark.parametrize(("word", "label", "appeals"), [("报表", "以单位报表为准", 9), ("工单", "以工单数据为准", 6)])
def test_hotline_source_sets_which_figures_count(cli, store, tmp_path, word, label, appeals):
    from factories import HAND_TICKETS

    typed = write_xlsx(
        tmp_path / "民政局热线.xlsx", {"热线指标": [HOTLINE_HEADER, [UNIT, "2025-10", 9, "60%", "75%", "75%"]]}
    )
    cli("ingest", typed)
    cli("ingest", write_xlsx(tmp_path / "12345工单.xlsx", {"工单明细": HAND_TICKETS}))
    code, out, _ = cli("hotline-source", word, "--user", "管理员")
    assert (code, lines(out)) == (0, [f"热线数据来源：{label}"])
    rows = store.current_rows("hotline")
    assert rows.loc[rows["month"] == 202510, "appeals"].tolist() == [appeals]
    assert cli("hotline-source")[1].strip() == f"热线数据来源：{label}"


def test_ingest_says_on_the_files_line_what_it_replaces_before_and_when_it_stores(cli, tmp_path):
    for month in range(2, 9):
        cli(
            "ingest",
            write_csv(tmp_path / f"学习{month}月.csv", learning_rows(3 if month < 6 else 2, month=202500 + month)),
        )
    rows = [LEARNING_HEADER, *(learning_rows(1, month=202500 + m, seed=m)[1] for m in range(2, 9))]
    series = write_csv(tmp_path / "系列.csv", rows)
    code, out, _ = cli("ingest", series, "--dry-run")
    assert code == 0
    first, detail, *listed = lines(out)[:9]
    assert first.startswith("accepted  系列.csv") and first.endswith("将替换 7 份报送（2—8月，18 行 → 7 行）")
    assert detail.strip().startswith("临沂市民政局 学习活动：将替换 7 份报送") and "参与人次" in detail
    assert [line.strip().split()[0] for line in listed] == [f"#{n}" for n in range(1, 8)]
    assert all("学习" in line and "月.csv」（" in line for line in listed)
    code, out, _ = cli("ingest", series)
    assert code == 0 and lines(out)[0].endswith("已替换 7 份报送（2—8月，18 行 → 7 行）")


def test_two_ledgers_whose_row_numbers_both_run_1_to_30_keep_all_their_problems(cli, store, tmp_path):
    header = ["序号", "单位名称", "问题描述", "问题类别", "发现日期", "整改状态", "化解日期"]

    def ledger(month: int, resolved: int) -> list[list[object]]:
        rows = [header]
        for n in range(1, 31):
            done = n <= resolved
            found = f"2025-{month:02d}-{n % 28 + 1:02d}"
            rows.append(
                [
                    n,
                    UNIT,
                    f"{month}月问题{n}",
                    "业务工作",
                    found,
                    "已化解" if done else "化解中",
                    found if done else None,
                ]
            )
        return rows

    cli("ingest", write_csv(tmp_path / "6月问题清单.csv", ledger(6, 10)))
    cli("ingest", write_csv(tmp_path / "7月问题清单.csv", ledger(7, 24)))
    problems = json.loads(cli("summary", "--year", "2025", "--through", "2025-07", "--json")[1])["problems"]
    assert (problems["found"], problems["resolved"]) == (60, 34)
