"""lingyi/cli/args.py: arguments that cannot be used, said in Chinese, and the help in Chinese."""

from __future__ import annotations

import pytest
from cli.test_returns import good_file

from lingyi.__main__ import main


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
def test_unusable_command_lines_exit_2_with_the_usage_and_the_fault_in_chinese(argv, message, capsys):
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：python -m lingyi")
    assert message in err
    assert "usage" not in err and "error" not in err


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
