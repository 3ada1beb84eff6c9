"""lingyi/cli/ and lingyi/__main__.py: ``python -m lingyi ingest|summary|history|restore|delete`` (spec §6)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from factories import (
    HOTLINE_HEADER,
    LEARNING_HEADER,
    OTHER_UNIT,
    PROBLEM_HEADER,
    UNIT,
    column,
    csv_bytes,
    indicator_periods,
    learning_rows,
    titled,
    write_csv,
    write_xlsx,
)

from lingyi.__main__ import main
from lingyi.access import auth
from lingyi.contract import CATEGORIES
from lingyi.registry import default_registry
from lingyi.store import Store

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli(store, capsys):
    """Run the command line against the test's store: ``cli("ingest", path)`` → (exit code, stdout, stderr)."""

    def cli(*args: object, db: bool = True):
        argv = [str(a) for a in args]
        if db:
            argv += ["--db", store.url]
        code = main(argv)
        out, err = capsys.readouterr()
        return code, out, err

    return cli


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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "no-such-file.xlsx"], "参数错误：找不到文件或文件夹：no-such-file.xlsx"),
        (["ingest", "{good}", "--period", "上个月"], "参数错误：--period 上个月：请填写报送期间"),
        (
            ["summary", "--unit", "市人社厅"],
            "参数错误：名录中没有单位「市人社厅」。您是不是要找：市人社局（临沂市人力资源和社会保障局）",
        ),
        (["summary", "--category", "执法监察"], "参数错误：名录中没有单位类别「执法监察」。您是不是要找：执法监督？"),
        (["summary", "--through", "2025-13"], "参数错误：--through 2025-13：月份应在1到12之间"),
        (["summary", "--year", "2024", "--through", "2025-10"], "参数错误：--through 2025-10 不在 --year 2024 之内。"),
        (["restore", "42"], "错误：没有编号为 42 的报送记录。"),
        (["summary", "--year", "99999"], "参数错误：--year 99999：请填写四位年份，如 2025。"),
        (["ingest", "{empty}"], "中没有报表文件（.xlsx .xlsm .xls .ods .csv）。"),
    ],
)
def test_bad_arguments_exit_2_saying_what_is_wrong(cli, store, tmp_path, args, message):
    (tmp_path / "empty").mkdir()
    argv = [a.replace("{good}", str(good_file(tmp_path))).replace("{empty}", str(tmp_path / "empty")) for a in args]
    code, _, err = cli(*argv)
    assert code == 2
    assert message in err
    assert store.data_version() == 0


@pytest.mark.parametrize("argv", [["ingest"], ["summary", "--year", "twenty"], ["frobnicate"], []])
def test_unusable_command_lines_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：python -m lingyi")
    assert "usage" not in err and "error" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "python -m lingyi：错误：缺少必需的参数：命令"),
        (["ingest"], "python -m lingyi ingest：错误：缺少必需的参数：文件"),
        (["summary", "--year", "twenty"], "python -m lingyi summary：错误：参数 --year：'twenty' 不是整数"),
        (["restore", "abc"], "python -m lingyi restore：错误：参数 编号：'abc' 不是整数"),
        (["summary", "--through"], "python -m lingyi summary：错误：参数 --through：需要一个值"),
        (["summary", "--nope"], "python -m lingyi：错误：无法识别的参数：--nope"),
        (["frobnicate"], "python -m lingyi：错误：参数 命令：无效的选项 'frobnicate'（可选："),
    ],
)
def test_argparse_speaks_chinese_when_the_arguments_are_wrong(argv, message, capsys):
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    assert message in capsys.readouterr().err


def test_a_briefing_needs_a_file_or_the_monthly_folder(capsys):
    assert main(["briefing"]) == 2
    assert "请用 -o 给出输出文件（.pptx、.docx、.zip），或用 --monthly 生成月报" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["briefing", "-h"], ["user", "--help"]])
def test_help_speaks_chinese_with_chinese_headings(argv, capsys):
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 0
    help_text = capsys.readouterr().out
    assert help_text.startswith("用法：python -m lingyi")
    assert "选项:" in help_text and "-h, --help" in help_text and "显示本帮助并退出" in help_text
    for english in ("usage:", "positional arguments", "options:", "show this help message and exit"):
        assert english not in help_text


def test_briefing_help_offers_o_as_the_short_form_of_out(capsys):
    with pytest.raises(SystemExit):
        main(["briefing", "-h"])
    assert "-o 文件, --out 文件" in capsys.readouterr().out


def test_database_comes_from_the_environment_without_db(cli, monkeypatch, store, tmp_path):
    monkeypatch.setenv("LINGYI_DATABASE_URL", store.url)
    code, _, _ = cli("ingest", good_file(tmp_path), db=False)
    assert code == 0
    assert len(store.history()) == 1


# -- summary --json ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> str:
    """A database holding a few returns, shared by the summary tests (which only read)."""
    folder = tmp_path_factory.mktemp("loaded")
    url = f"sqlite:///{folder / 'lingyi.db'}"
    hotline = [HOTLINE_HEADER, [UNIT, "2025-09", 100, "90%", "80%", "95%"], [UNIT, "2025-10", 300, "94%", "88%", "97%"]]
    hotline_last_year = [
        HOTLINE_HEADER,
        [UNIT, "2024-09", 200, "85%", "80%", "90%"],
        [UNIT, "2024-10", 200, "85%", "80%", "90%"],
    ]
    problems = [
        PROBLEM_HEADER,
        [UNIT, "1", "指南未更新", "服务群众", "2025-03-01", "已化解", "2025-04-01", "解题"],
        [UNIT, "2", "台账不全", "服务群众", "2025-05-01", "化解中", None, "破题"],
        [OTHER_UNIT, "1", "作风问题", "作风纪律", "2025-06-01", "已办结", "2025-09-30", "验题"],
    ]
    files = [
        good_file(folder),
        good_file(folder, "人社局.xlsx", unit="临沂市人力资源和社会保障局", people=(7,)),
        write_csv(folder / "热线指标.csv", hotline),
        write_csv(folder / "热线2024.csv", hotline_last_year),
        write_csv(folder / "问题清单.csv", problems),
    ]
    assert main(["ingest", *map(str, files), "--db", url]) == 0
    return url


@pytest.fixture
def summary(loaded, capsys):
    """``summary("--year", "2025")`` → the JSON object ``summary --json`` prints for the loaded database."""

    def summary(*args):
        capsys.readouterr()
        code = main(["summary", "--json", *args, "--db", loaded])
        out, err = capsys.readouterr()
        assert (code, err) == (0, "")
        return json.loads(out)

    return summary


def test_summary_json_has_the_exact_shape_and_values(summary):
    zero_learning = {"activities": 0, "sessions": 0, "lectures": 0, "person_times": 0}
    no_problems = {"found": 0, "resolved": 0, "closure_rate_pct": None}
    no_indicators = {"count": 0, "met": 0, "met_pct": None}
    figures = summary("--year", "2025", "--through", "2025-10")
    short_names = [unit.short_name for unit in default_registry().units]
    coverage = figures.pop("coverage")
    assert coverage == {
        "hotline": {
            "month": "2025-10",
            "expected": 108,
            "reported": 1,
            "missing": [name for name in short_names if name != "市民政局"],
        },
        "learning": {
            "month": "2025-10",
            "expected": 108,
            "reported": 2,
            "missing": [name for name in short_names if name not in ("市民政局", "市人力资源社会保障局")],
        },
    }
    activities = [*learning_rows(3)[1:], *learning_rows(1)[1:]]  # what good_file wrote for the two units
    sessions, lectures = sum(row[6] for row in activities), sum(row[7] for row in activities)
    assert figures == {
        "year": 2025,
        "through": "2025-10",
        "units": {"registered": 108, "reporting": 3},
        "learning": {
            "activities": 4,
            "sessions": sessions,
            "lectures": lectures,
            "person_times": 187,
            "by_category": {
                **{c: zero_learning for c in CATEGORIES},
                "社会服务": {
                    "activities": 4,
                    "sessions": sessions,
                    "lectures": lectures,
                    "person_times": 187,
                },
            },
        },
        "hotline": {
            "appeals": 400,
            "appeals_prev": 400,
            "appeals_yoy_pct": 0.0,
            "first_time_rate_pct": 93.0,
            "first_time_rate_prev_pct": 85.0,
            "first_time_rate_pp": 8.0,
            "resolution_rate_pct": 86.0,
            "resolution_rate_prev_pct": 80.0,
            "resolution_rate_pp": 6.0,
            "satisfaction_rate_pct": 96.5,
            "satisfaction_rate_prev_pct": 90.0,
            "satisfaction_rate_pp": 6.5,
        },
        "problems": {
            "units_screened": 2,
            "found": 3,
            "resolved": 2,
            "closure_rate_pct": 66.67,
            "by_category": {
                **{c: no_problems for c in CATEGORIES},
                "社会服务": {"found": 2, "resolved": 1, "closure_rate_pct": 50.0},
                "经济发展": {"found": 1, "resolved": 1, "closure_rate_pct": 100.0},
            },
            "by_problem_type": {
                "服务群众": {"found": 2, "resolved": 1, "closure_rate_pct": 50.0},
                "作风纪律": {"found": 1, "resolved": 1, "closure_rate_pct": 100.0},
            },
        },
        "indicators": {
            "count": 0,
            "met": 0,
            "met_pct": None,
            "by_type": {"共性指标": no_indicators, "个性指标": no_indicators},
            "by_category": {c: no_indicators for c in CATEGORIES},
        },
    }
    assert list(figures["learning"]["by_category"]) == list(CATEGORIES)
    assert list(figures["problems"]["by_category"]) == list(CATEGORIES)


@pytest.mark.parametrize("through", ["2025-09", "2025-10"])
def test_summary_counts_an_indicator_given_for_the_year_to_date_and_a_month_once(cli, tmp_path, through):
    code, _, _ = cli("ingest", write_csv(tmp_path / "指标完成.csv", indicator_periods()))
    assert code == 0
    code, out, err = cli("summary", "--json", "--year", "2025", "--through", through)
    assert (code, err) == (0, "")
    indicators = json.loads(out)["indicators"]
    assert (indicators["count"], indicators["met"], indicators["met_pct"]) == (2, 2, 100.0)
    assert indicators["by_type"]["共性指标"] == {"count": 1, "met": 1, "met_pct": 100.0}
    assert indicators["by_category"]["社会服务"] == {"count": 2, "met": 2, "met_pct": 100.0}
    assert list(indicators["by_category"]) == list(CATEGORIES)


def test_summary_of_a_store_of_indicators_only_defaults_to_their_year(cli, tmp_path):
    cli("ingest", write_csv(tmp_path / "指标完成.csv", indicator_periods()))
    code, out, _ = cli("summary", "--json")
    assert code == 0
    figures = json.loads(out)
    assert (figures["year"], figures["indicators"]["count"]) == (2025, 2)


def test_summary_through_defaults_to_the_latest_month_with_data(summary):
    figures = summary("--year", "2025")
    assert figures["through"] == "2025-10"
    assert summary()["year"] == 2025


def test_summary_through_an_earlier_month(summary):
    figures = summary("--through", "2025-09")
    assert (figures["year"], figures["through"]) == (2025, "2025-09")
    assert figures["learning"]["activities"] == 0
    assert (figures["hotline"]["appeals"], figures["hotline"]["appeals_prev"]) == (100, 200)
    assert figures["hotline"]["appeals_yoy_pct"] == -50.0
    assert (figures["problems"]["found"], figures["problems"]["resolved"]) == (3, 2)


@pytest.mark.parametrize("name", ["市人社局", "市人力资源社会保障局", " 临沂市人力资源和社会保障局 "])
def test_summary_unit_takes_any_name_the_registry_matches(summary, name):
    figures = summary("--year", "2025", "--through", "2025-10", "--unit", name)
    assert figures["units"] == {"registered": 1, "reporting": 1}
    assert figures["learning"]["person_times"] == 7
    assert figures["hotline"]["appeals"] == 0
    assert figures["hotline"]["first_time_rate_pct"] is None


def test_summary_of_several_units_and_of_categories(summary):
    both = summary("--through", "2025-10", "--unit", "民政局", "--unit", "财政局")
    assert both["units"] == {"registered": 2, "reporting": 2}
    assert both["problems"]["found"] == 3
    economy = summary("--through", "2025-10", "--category", "经济发展")
    assert economy["units"] == {"registered": 24, "reporting": 1}
    assert economy["problems"]["by_category"]["经济发展"]["found"] == 1
    assert economy["problems"]["by_category"]["社会服务"]["found"] == 0


def test_summary_of_an_empty_store_is_zeros_and_nulls(cli):
    code, out, _ = cli("summary", "--json", "--year", "2025", "--through", "2025-10")
    assert code == 0
    figures = json.loads(out)
    assert figures["units"] == {"registered": 108, "reporting": 0}
    assert figures["hotline"]["appeals_yoy_pct"] is None
    assert figures["problems"]["closure_rate_pct"] is None
    assert figures["problems"]["by_problem_type"] == {}


def test_summary_without_json_prints_readable_lines(loaded, capsys):
    code = main(["summary", "--through", "2025-10", "--db", loaded])
    out = capsys.readouterr().out
    assert code == 0
    assert lines(out)[0] == "2025年 截至 2025-10：报送单位 3/108"
    assert "12345热线诉求量 400（上年同期 400，同比 0.00%）" in out
    assert "一次性办好率 93.00%（上年同期 85.00%，变化 8.00 个百分点）" in out
    assert "问题化解：排查单位 2，发现 3，化解 2，化解率 66.67%" in out


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


@pytest.mark.parametrize("argv", [["history"], ["summary", "--json"], ["restore", "9"], ["ingest", "{good}"]])
def test_each_command_closes_the_database_it_opened(store, monkeypatch, capsys, tmp_path, argv):
    """main() runs many times in one process (scripts, tests): on PostgreSQL an unclosed pool leaks connections."""
    closed = []
    monkeypatch.setattr(Store, "close", lambda self: closed.append(self.url) or self.engine.dispose())
    main([a.replace("{good}", str(good_file(tmp_path))) for a in argv] + ["--db", store.url])
    assert closed == [store.url]


# -- the module entry ---------------------------------------------------------------------------------------------------


def test_python_m_lingyi_runs_the_command_line(store, tmp_path):
    path = good_file(tmp_path)
    environment = {**os.environ, "PYTHONPATH": str(PROJECT)}
    done = subprocess.run(
        [sys.executable, "-m", "lingyi", "ingest", str(path), "--db", store.url],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[0] == "accepted  民政局10月.xlsx  已入库  学习活动 3行"
    assert len(store.history()) == 1


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


# -- 会议版: snapshot create|list|show|compare|delete, summary --snapshot (lingyi/snapshots.py) ----------------------


def hotline_file(folder: Path, name: str, appeals: tuple[int, int]) -> Path:
    rows = [HOTLINE_HEADER, [UNIT, "2025-10", appeals[0], "95%", "96%", "97%"]]
    rows.append([OTHER_UNIT, "2025-10", appeals[1], "90%", "91%", "92%"])
    return write_xlsx(folder / name, {"热线指标": rows})


@pytest.fixture
def frozen(cli, tmp_path):
    """Two units' October hotline returns (120 + 80 appeals), frozen as 「十月例会」 by 张三."""
    assert cli("ingest", hotline_file(tmp_path, "热线10月.xlsx", (120, 80)))[0] == 0
    code, out, err = cli("snapshot", "create", "十月例会", "--year", "2025", "--through", "2025-10", "--user", "张三")
    assert (code, err) == (0, "")
    return out


def test_snapshot_create_says_what_was_frozen(frozen):
    assert frozen.startswith("已冻结会议版：十月例会（冻结于 ")
    assert frozen.endswith("）：2025年1—10月 · 全部类别 · 全部单位，报送 2 次。\n")


def test_summary_of_a_snapshot_stays_as_frozen_after_a_resubmission(cli, frozen, tmp_path):
    assert cli("ingest", hotline_file(tmp_path, "热线10月更正.xlsx", (150, 80)))[0] == 0
    live = json.loads(cli("summary", "--year", "2025", "--through", "2025-10", "--json")[1])
    code, out, _ = cli("summary", "--snapshot", "十月例会", "--json")
    shown = json.loads(out)
    assert code == 0
    assert (live["hotline"]["appeals"], shown["hotline"]["appeals"]) == (230, 200)
    assert shown["snapshot"]["label"].startswith("会议版：十月例会（冻结于 ")
    assert (shown["snapshot"]["through"], shown["snapshot"]["frozen_by"]) == ("2025-10", "张三")
    assert {k: v for k, v in shown.items() if k != "snapshot"}["units"] == {"registered": 108, "reporting": 2}
    text = cli("summary", "--snapshot", "十月例会")[1]
    assert lines(text)[0].startswith("会议版：十月例会（冻结于 ")
    assert "12345热线诉求量 200" in text


def test_snapshot_compare_lists_the_moved_figures_and_the_submissions_behind_them(cli, store, frozen, tmp_path):
    assert cli("ingest", hotline_file(tmp_path, "热线10月更正.xlsx", (150, 80)))[0] == 0
    history = store.history().set_index(["file", "unit"])["id"]
    old, new = history[("热线10月.xlsx", UNIT)], history[("热线10月更正.xlsx", UNIT)]
    code, out, _ = cli("snapshot", "compare", "十月例会")
    assert code == 0
    assert "  12345热线 · 诉求量（件）：200 → 230（+30）" in lines(out)
    assert any(
        line.startswith(f"  #{old}  {UNIT}  热线指标  2025年10月  热线10月.xlsx  已被 #{new} 替代")
        for line in lines(out)
    )
    assert any(
        line.startswith(f"  #{new}  {UNIT}  热线指标  2025年10月  热线10月更正.xlsx  新报送") for line in lines(out)
    )
    assert OTHER_UNIT not in out  # its figures are the same in both files: byte-identical rows move nothing
    data = json.loads(cli("snapshot", "compare", "十月例会", "--json")[1])
    appeals = next(f for f in data["figures"] if f["figure"] == "12345热线 · 诉求量（件）")
    assert (appeals["frozen"], appeals["live"], appeals["change"]) == (200, 230, 30)
    assert {(c["id"], c["change"]) for c in data["causes"]} >= {(int(old), f"已被 #{new} 替代"), (int(new), "新报送")}


def test_snapshot_compare_of_an_unchanged_store_says_so(cli, frozen):
    assert lines(cli("snapshot", "compare", "十月例会")[1])[-1] == "自冻结以来，这一范围的数字没有变化。"


def test_snapshot_list_show_and_delete(cli, frozen):
    listed = lines(cli("snapshot", "list")[1])
    assert (
        len(listed) == 1
        and listed[0].startswith("十月例会  冻结于 ")
        and listed[0].endswith("张三  2025年1—10月 · 全部类别 · 全部单位")
    )
    shown = lines(cli("snapshot", "show", "十月例会")[1])
    assert shown[1] == "范围：2025年1—10月 · 全部类别 · 全部单位；冻结人 张三；冻结时有效的报送 2 次"
    assert json.loads(cli("snapshot", "show", "十月例会", "--json")[1])["figures"]["hotline"]["appeals"] == 200
    assert (
        cli("snapshot", "delete", "十月例会", "--user", "李四")[1]
        == "已删除会议版「十月例会」（报送与文件不受影响）。\n"
    )
    assert lines(cli("snapshot", "list")[1])[0].startswith("还没有会议版。")
    audit = lines(cli("audit")[1])
    assert "  李四  删除会议版  删除会议版「十月例会」（冻结于 " in audit[0]  # no file: nothing printed for it
    assert audit[1].endswith("张三  冻结会议版  会议版「十月例会」：2025年1—10月 · 全部类别 · 全部单位，冻结报送 2 次")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("summary", "--snapshot", "九月例会"), "没有名为「九月例会」的会议版。已有：十月例会。"),
        (("summary", "--snapshot", "十月例会", "--year", "2025"), "会议版已定下统计范围，不能再给 --year。"),
        (("snapshot", "create", "十月例会"), "已有名为「十月例会」的会议版"),
        (("snapshot", "delete", "九月例会"), "没有名为「九月例会」的会议版。"),
    ],
)
def test_snapshot_mistakes_exit_2_saying_what_is_wrong(cli, frozen, args, message):
    code, out, err = cli(*args)
    assert (code, out) == (2, "")
    assert message in err


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
