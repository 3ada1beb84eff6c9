"""lingyi/intake/reading.py: any return file → raw tables (spec §2): formats, sheet kinds, headers, totals, footers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from factories import (
    FOOTER,
    HOTLINE_LOWER,
    HOTLINE_UPPER,
    OTHER_UNIT,
    UNIT,
    csv_bytes,
    header_merges,
    hotline_rows,
    indicator_rows,
    learning_rows,
    problem_rows,
    rename,
    titled,
    total_row,
    write_csv,
    write_ods,
    write_xls,
    write_xlsx,
)
from hostile.make_corpus import rows_down_to_the_last
from hypothesis import given, settings
from hypothesis import strategies as st

from lingyi.contract import HOTLINE, INDICATORS, LEARNING, PROBLEMS, SHEET_KIND_BY_KEY
from lingyi.errors import FileRejected, Level
from lingyi.intake.headers import header_key, kind_from_name
from lingyi.intake.info import title_period
from lingyi.intake.reading import read_file
from lingyi.intake.validation import validate
from lingyi.values import Period, column_letter, parse_period

ROWS_OF_KIND = {
    "learning": learning_rows,
    "hotline": hotline_rows,
    "problems": problem_rows,
    "indicators": indicator_rows,
}


def read(path):
    return read_file(path.read_bytes(), path.name)


def notices(read_result):
    return {(f.sheet, f.message) for f in read_result.findings if f.level is Level.NOTICE}


def the_table(read_result):
    (table,) = read_result.tables
    return table


# -- formats, known by content ----------------------------------------------------------------------------------

OFFICE_RETURN = titled(learning_rows(3), unit=UNIT, period="2025年10月", total=("期数", "节数", "参与人次"))


def write_return(tmp_path, form):
    """The same return in every format a unit may send."""
    if form.startswith("csv-"):
        return write_csv(tmp_path / "学习活动情况统计表.csv", OFFICE_RETURN, form.removeprefix("csv-"))
    writer = {"xlsx": write_xlsx, "xlsm": write_xlsx, "xls": write_xls, "ods": write_ods}[form]
    return writer(tmp_path / f"学习活动.{form}", {"学习活动情况统计表": OFFICE_RETURN})


@pytest.mark.parametrize("form", ["xlsx", "xlsm", "xls", "ods", "csv-utf-8", "csv-utf-8-sig", "csv-gbk", "csv-gb18030"])
def test_every_format_gives_the_same_rows(tmp_path, registry, form):
    result = read(write_return(tmp_path, form))
    table = the_table(result)
    assert table.kind is LEARNING
    assert table.header_row == 4
    assert [number for number, _ in table.rows] == [5, 6, 7]
    assert [(number, label) for number, label, _ in table.totals] == [(8, "合计")]
    assert result.info["unit"] == UNIT
    assert result.info["period"] == "2025年10月"

    validated = validate(result, registry)
    assert validated.errors == []
    frame = validated.tables[0].frame
    expected = OFFICE_RETURN[4:7]
    assert list(frame["unit"]) == [UNIT] * 3
    assert list(frame["person_times"]) == [row[8] for row in expected]
    assert list(frame["date"]) == [dt.date.fromisoformat(row[5]) for row in expected]
    assert list(frame["activity"]) == [row[2] for row in expected]  # free text is kept as written


def test_xls_that_is_really_xlsx_is_read_by_its_content(tmp_path):
    xlsx = write_xlsx(tmp_path / "real.xlsx", {"学习活动": learning_rows(2)})
    result = read_file(xlsx.read_bytes(), "学习活动.xls")
    assert the_table(result).kind is LEARNING
    assert len(the_table(result).rows) == 2


def test_xlsx_that_is_really_old_xls_is_read_by_its_content(tmp_path):
    xls = write_xls(tmp_path / "real.xls", {"热线": hotline_rows()})
    assert the_table(read_file(xls.read_bytes(), "热线.xlsx")).kind is HOTLINE


def test_csv_named_file_holding_a_workbook_is_read_as_a_workbook(tmp_path):
    xlsx = write_xlsx(tmp_path / "real.xlsx", {"问题清单": problem_rows(2)})
    assert the_table(read_file(xlsx.read_bytes(), "问题清单.csv")).kind is PROBLEMS


def test_text_file_named_xlsx_is_refused(tmp_path):
    data = csv_bytes(learning_rows(2))
    with pytest.raises(FileRejected) as raised:
        read_file(data, "学习活动.xlsx")
    finding = raised.value.finding
    assert finding.file == "学习活动.xlsx"
    assert "文件扩展名是 .xlsx，但内容不是 Excel 工作簿（看起来是文本文件）" in finding.message
    assert "另存为」.xlsx" in finding.message


def test_text_file_named_txt_is_read_as_csv():
    assert the_table(read_file(csv_bytes(learning_rows(2)), "学习活动.txt")).kind is LEARNING


@pytest.mark.parametrize("name", ["学习活动.pdf", "学习活动.docx", "学习活动"])
def test_file_of_another_kind_is_refused_by_its_name(name):
    with pytest.raises(FileRejected, match=r"请上传 \.xlsx、\.xlsm、\.xls、\.ods 或 \.csv 文件"):
        read_file(b"anything", name)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding_reads_chinese_right(encoding):
    rows = learning_rows(2, unit="临沂市人力资源和社会保障局")
    result = read_file(csv_bytes(rows, encoding), "学习活动.csv")
    table = the_table(result)
    assert table.columns["unit"].header == "单位名称"
    assert [cells[1] for _, cells in table.rows] == ["临沂市人力资源和社会保障局"] * 2
    assert [cells[2] for _, cells in table.rows] == [row[2] for row in rows[1:]]


def test_utf8_bom_is_not_part_of_the_first_header():
    rows = [["单位名称", "月份", "诉求量"], [UNIT, "2025-10", "12"]]
    table = the_table(read_file(csv_bytes(rows, "utf-8-sig"), "热线.csv"))
    assert table.columns["unit"].index == 0


# -- sheet kinds ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "kind"),
    [
        ("学习活动", LEARNING),
        ("热线指标", HOTLINE),
        ("问题清单", PROBLEMS),
        ("指标完成", INDICATORS),
        (" 学习活动 ", LEARNING),
        ("学习活动情况统计表", LEARNING),
        ("12345热线学习", HOTLINE),  # 热线 comes before 学习 in the contract's order
        ("12345", HOTLINE),
        ("12345诉求办理", HOTLINE),
        ("热线问题", HOTLINE),
        ("学习问题整改", LEARNING),  # 学习 before 问题
        ("问题整改台账", PROBLEMS),
        ("指标问题", PROBLEMS),  # 问题 before 指标
        ("共性指标完成情况", INDICATORS),
        ("Sheet1", None),
        ("填报说明", None),
        ("字典", None),
    ],
)
def test_sheet_kind_is_known_from_its_name_exact_or_first_keyword(sheet, kind):
    assert kind_from_name(sheet) is kind


def test_sheet_named_12345_hotline_learning_holds_hotline_rows(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"12345热线学习": hotline_rows((202509, 202510))})
    table = the_table(read(path))
    assert (table.sheet, table.kind) == ("12345热线学习", HOTLINE)


@pytest.mark.parametrize("kind", ["learning", "hotline", "problems", "indicators"])
def test_sheet_with_no_telling_name_is_known_from_its_columns(tmp_path, kind):
    path = write_xlsx(tmp_path / "r.xlsx", {"Sheet1": ROWS_OF_KIND[kind]()})
    assert the_table(read(path)).kind is SHEET_KIND_BY_KEY[kind]


@pytest.mark.parametrize(
    ("name", "rows", "kind"),
    [
        ("12345热线2025年10月.csv", hotline_rows(), HOTLINE),
        ("学习活动.csv", learning_rows(), LEARNING),
        ("问题清单.csv", problem_rows(), PROBLEMS),
        ("指标完成.csv", indicator_rows(), INDICATORS),
        ("export.csv", hotline_rows(), HOTLINE),  # no telling name: the columns decide
        ("data.csv", problem_rows(), PROBLEMS),
    ],
)
def test_csv_kind_is_known_from_its_file_name_or_columns(name, rows, kind):
    result = read_file(csv_bytes(rows), name)
    assert the_table(result).kind is kind
    assert the_table(result).sheet == name.removesuffix(".csv")


def test_sheet_named_for_a_kind_without_its_header_is_an_error(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"问题清单": [["2025年问题台账"], ["见附件"], ["无"]]})
    result = read(path)
    assert result.tables == []
    (error,) = [f for f in result.findings if f.is_error]
    assert error.sheet == "问题清单"
    assert error.message == (
        "按工作表名称应为「问题清单」，但在前30行中找不到表头。表头应包含：单位名称、问题描述、发现日期、整改状态。"
    )


@pytest.mark.parametrize(
    ("name", "rows", "kind"),
    [
        ("临沂市民政局学习型机关建设问题清单2025年10月.csv", problem_rows(2), PROBLEMS),
        ("学习型机关建设指标完成情况.csv", indicator_rows(), INDICATORS),
    ],
)
def test_name_whose_kind_has_no_header_is_read_by_its_full_columns_with_a_notice(name, rows, kind):
    result = read_file(csv_bytes(rows), name)
    assert the_table(result).kind is kind
    assert not any(f.is_error for f in result.findings)
    assert any(f"按「{kind.name}」读取" in message for _, message in notices(result))


def test_sheet_named_for_a_kind_is_read_as_that_kind_whatever_its_columns(tmp_path, registry):
    # 编号 is a column of the ledger (问题编号); the rest are a learning return's.
    path = write_xlsx(tmp_path / "r.xlsx", {"问题清单": rename(learning_rows(2), 序号="编号")})
    validated = validate(read(path), registry)
    assert {e.message for e in validated.errors} == {
        "缺少必填列「问题描述」（也可写作：问题、问题内容、隐患内容），请按模板补充这一列。",
        "缺少必填列「发现日期」（也可写作：排查日期、发现时间、排查时间），请按模板补充这一列。",
        "缺少必填列「整改状态」（也可写作：状态、化解情况、整改进展），请按模板补充这一列。",
    }
    assert {(e.sheet, e.row) for e in validated.errors} == {("问题清单", 1)}


def test_sheet_recognised_by_columns_alone_needs_every_required_column(tmp_path):
    rows = [["单位名称", "活动名称", "备注"], [UNIT, "读书会", ""]]
    result = read(write_xlsx(tmp_path / "r.xlsx", {"Sheet1": rows}))
    assert result.tables == []
    assert ("Sheet1", "未识别为任何报表（学习、热线、问题、指标），已跳过。") in notices(result)
    (error,) = [f for f in result.findings if f.is_error]
    assert (error.sheet, error.row) == ("Sheet1", 1)
    assert error.message == (
        "未识别为任何报表。最接近 学习活动：缺少「日期」、「参与人次」。请按模板调整表头后再上传（上传页可下载模板）。"
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            ["序号", "单位名称", "诉求总量", "一次性办好率", "满意率"],
            "最接近 热线指标：缺少「月份」；「诉求总量」可改名为「诉求量」。",
        ),
        (["部门", "统计期", "交办数", "满意率"], "最接近 热线指标：缺少「月份」、「诉求量」。"),
        (
            ["单位名称", "问题", "整改状况", "发现日"],
            "最接近 问题清单：「发现日」可改名为「发现日期」；「整改状况」可改名为「整改状态」。",
        ),
        (
            ["单位名称", "指标类别", "指标名称", "完成数"],
            "最接近 指标完成：「指标类别」可改名为「指标类型」；「完成数」可改名为「完成值」。",
        ),
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_file_matching_no_kind_is_refused_naming_the_nearest_kind_what_it_lacks_and_the_renames(
    tmp_path, header, message, suffix
):
    rows = [["临沂市2025年4月份工作统计表"], header, [UNIT, *(["1"] * (len(header) - 1))]]
    path = (write_csv if suffix == ".csv" else write_xlsx)(
        tmp_path / f"报表{suffix}", rows if suffix == ".csv" else {"Sheet1": rows}
    )
    result = read(path)
    assert result.tables == []
    (error,) = [f for f in result.findings if f.is_error]
    assert (error.sheet, error.row) == ("报表" if suffix == ".csv" else "Sheet1", 2)
    assert error.message == f"未识别为任何报表。{message}请按模板调整表头后再上传（上传页可下载模板）。"


def test_sheet_of_no_return_at_all_gets_the_message_of_what_a_return_holds(tmp_path):
    result = read(write_xlsx(tmp_path / "r.xlsx", {"Sheet1": [["姓名", "单位", "电话"], ["张三", UNIT, "1"]]}))
    (error,) = [f for f in result.findings if f.is_error]
    assert error.message.startswith("文件中没有可识别的数据表。")


SIDE_BY_SIDE = [
    ["单位名称", "诉求量", "满意率", "单位名称", "诉求量", "满意率"],
    [UNIT, 120, "90%", OTHER_UNIT, 80, "85%"],
]


@pytest.mark.parametrize("sheet", ["Sheet1", "12345热线"])
def test_side_by_side_layout_is_refused_saying_it_is_not_supported_and_pointing_to_the_template(tmp_path, sheet):
    result = read(write_xlsx(tmp_path / "r.xlsx", {sheet: [["2025年4月份热线统计"], *SIDE_BY_SIDE]}))
    assert result.tables == []  # not half of it read and the other half dropped
    (error,) = [f for f in result.findings if f.is_error]
    assert (error.sheet, error.row) == (sheet, 2)
    assert error.message == (
        "最接近 热线指标，但表格是左右并排的（同一行有两个单位，表头重复出现），系统不支持这种排法。"
        "请改为每行一个单位（每个单位每月一行），按模板填报（上传页可下载模板）。"
    )


def test_instruction_dictionary_hidden_and_empty_sheets_are_skipped_with_a_notice(tmp_path):
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {
            "学习活动": learning_rows(2),
            "填报说明": [["1. 请按模板填写"], ["2. 日期写作 2025-03-15"]],
            "字典": [["活动形式"], ["讲堂"], ["专题培训"]],
            "旧版学习活动": learning_rows(2),
            "Sheet3": [],
            "Sheet4": [["随便写的备忘"]],
        },
        hidden=["旧版学习活动"],
    )
    result = read(path)
    assert [t.sheet for t in result.tables] == ["学习活动"]
    assert notices(result) == {
        ("填报说明", "不是数据表（说明、字典等），已跳过。"),
        ("字典", "不是数据表（说明、字典等），已跳过。"),
        ("旧版学习活动", "隐藏的工作表，已跳过。"),
        ("Sheet3", "空工作表，已跳过。"),
        ("Sheet4", "未识别为任何报表（学习、热线、问题、指标），已跳过。"),
    }
    assert not any(f.is_error for f in result.findings)


@pytest.mark.parametrize("name", ["学习活动填报说明", "问题清单说明", "热线指标字典"])
def test_instructions_named_for_a_kind_are_skipped_with_a_notice_not_an_error(tmp_path, name):
    sheets = {"学习活动": learning_rows(2), name: [["1. 请按模板填写"], ["2. 日期写作 2025-03-15"]]}
    result = read(write_xlsx(tmp_path / "r.xlsx", sheets))
    assert [t.sheet for t in result.tables] == ["学习活动"]
    assert (name, "不是数据表（说明、字典等），已跳过。") in notices(result)
    assert not any(f.is_error for f in result.findings)


def test_one_file_may_hold_several_data_sheets(tmp_path):
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {
            "学习活动": learning_rows(2),
            "热线指标": hotline_rows(),
            "问题清单": problem_rows(3),
            "指标完成": indicator_rows(),
        },
    )
    assert [(t.sheet, t.kind, len(t.rows)) for t in read(path).tables] == [
        ("学习活动", LEARNING, 2),
        ("热线指标", HOTLINE, 1),
        ("问题清单", PROBLEMS, 3),
        ("指标完成", INDICATORS, 2),
    ]


# -- headers --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("above", "header_row"),
    [
        ([], 1),
        ([["学习活动情况统计表"]], 2),
        ([["学习活动情况统计表"], [f"填报单位：{UNIT}    报送期间：2025年10月"], []], 4),
        ([[], [], []], 4),
        ([["临沂市市直机关学习型机关建设"], ["学习活动情况统计表"], ["（2025年10月）"], [], ["单位：人次"]], 6),
    ],
)
def test_header_need_not_be_on_row_one(tmp_path, above, header_row):
    path = write_xlsx(tmp_path / "r.xlsx", {"学习活动": [*above, *learning_rows(2)]})
    table = the_table(read(path))
    assert table.header_row == header_row
    assert [number for number, _ in table.rows] == [header_row + 1, header_row + 2]


def test_table_may_start_in_a_later_column(tmp_path):
    rows = [[None, None, *row] for row in learning_rows(2)]
    table = the_table(read(write_xlsx(tmp_path / "r.xlsx", {"学习活动": rows})))
    assert table.columns["unit"].index == 3  # column D
    assert table.columns["person_times"].index == 10


@pytest.mark.parametrize(("writer", "suffix"), [(write_xlsx, "xlsx"), (write_xls, "xls")])
def test_two_row_merged_header_puts_the_group_title_before_each_sub_header(tmp_path, writer, suffix):
    data = hotline_rows((202509, 202510), prior=True)[1:]
    sheet = titled([HOTLINE_UPPER, HOTLINE_LOWER, *data], title="12345热线指标", unit=UNIT, header_rows=2)
    merges = ["A1:J1", "A2:J2", *header_merges(HOTLINE_UPPER, HOTLINE_LOWER, top=4)]
    path = writer(tmp_path / f"r.{suffix}", {"12345热线": sheet}, merges={"12345热线": merges})
    table = the_table(read(path))
    assert table.header_row == 5
    assert {key: (c.index, c.header) for key, c in table.columns.items()} == {
        "unit": (0, "单位名称"),
        "month": (1, "月份"),
        "appeals": (2, "诉求量"),
        "first_time_rate": (3, "一次性办好率"),
        "resolution_rate": (4, "问题解决率"),
        "satisfaction_rate": (5, "群众满意率"),
        "appeals_prev": (6, "上年同期/诉求量"),
        "first_time_rate_prev": (7, "上年同期/一次性办好率"),
        "resolution_rate_prev": (8, "上年同期/问题解决率"),
        "satisfaction_rate_prev": (9, "上年同期/群众满意率"),
    }
    assert [number for number, _ in table.rows] == [6, 7]


def test_two_row_header_without_merges_spreads_the_group_title_over_its_sub_headers():
    """A CSV has no merges: 上年同期 stands over its first column, the cells to its right are empty."""
    rows = [HOTLINE_UPPER, HOTLINE_LOWER, *hotline_rows(prior=True)[1:]]
    table = the_table(read_file(csv_bytes(rows), "热线指标.csv"))
    assert table.columns["appeals_prev"].index == 6
    assert table.columns["satisfaction_rate_prev"].index == 9
    assert table.columns["appeals"].index == 2
    assert table.header_row == 2


def test_single_row_prior_year_headers_are_read(tmp_path):
    table = the_table(read_file(csv_bytes(hotline_rows(prior=True)), "热线指标.csv"))
    assert table.columns["appeals_prev"].header == "上年同期诉求量"
    assert table.columns["first_time_rate"].index == 3


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("参与人次（人次）", "person_times"),
        ("参与人次(人次)", "person_times"),
        ("参与人次【人次】", "person_times"),
        ("参与人次 （人次）", "person_times"),
        ("*参与人次", "person_times"),
        ("参与人次*", "person_times"),
        ("授课人数（人）", "lecturers"),
        ("日期（年月日）", "date"),
        ("期数（期）", "sessions"),
        ("节数(节)", "lectures"),
        ("单位名称（全称）", "unit"),
        ("参 与 人 次", "person_times"),
        ("参与人次：", "person_times"),
    ],
)
def test_column_may_carry_its_unit_in_brackets(written, key):
    rows = learning_rows(2)
    rows[0][rows[0].index(LEARNING.column(key).name)] = written
    table = the_table(read_file(csv_bytes(rows), "学习活动.csv"))
    assert table.columns[key].header == header_key(written)
    assert not table.columns[key].by_alias


@pytest.mark.parametrize("written", ["群众满意率%", "群众满意率（%）", "群众满意率 ％", "满意率%"])
def test_rate_column_may_carry_a_percent_sign(written):
    rows = hotline_rows()
    rows[0][rows[0].index("群众满意率")] = written
    table = the_table(read_file(csv_bytes(rows), "热线指标.csv"))
    assert table.columns["satisfaction_rate"].index == 5


@pytest.mark.parametrize(
    "units", [[None, None, "（人次）", "(人)"], [None, "", "人次", "人"], [None, None, "【人次】", "%"]]
)
def test_row_of_units_under_the_header_is_part_of_the_header(tmp_path, units):
    rows = [["单位名称", "活动名称", "参与人次", "授课人数"], units, [UNIT, "读书会", 120, 2], [UNIT, "讲堂", 80, 1]]
    table = the_table(read(write_xlsx(tmp_path / "r.xlsx", {"学习活动": rows})))
    assert table.header_row == 2
    assert [number for number, _ in table.rows] == [3, 4]


NUMBERED = learning_rows(2)


@pytest.mark.parametrize(
    "numbers",
    [
        ["栏次", 1, 2, 3, 4, 5, 6, 7, 8, 9],
        ["栏 次", "甲", "乙", 1, 2, 3, 4, 5, 6, 7],
        ["甲", "乙", "丙", "丁", 1, 2, 3, 4, 5, 6],
        ["甲", "乙", "丙", "1", "2", "3", "4", "5", "6", "7"],
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        [None, "甲", "乙", 1, 2, 3, 4, 5, 6, None],
    ],
)
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_row_numbering_the_columns_under_the_header_is_part_of_the_header(tmp_path, registry, numbers, suffix):
    rows = [NUMBERED[0], numbers, *NUMBERED[1:]]
    if suffix == ".csv":
        path = write_csv(tmp_path / "学习活动.csv", rows)
    else:
        path = write_xlsx(tmp_path / "r.xlsx", {"学习活动": rows})
    result = read(path)
    table = the_table(result)
    assert table.header_row == 2
    assert [number for number, _ in table.rows] == [3, 4]
    assert validate(result, registry).errors == []


def test_row_numbering_the_columns_under_a_row_of_units_is_part_of_the_header(tmp_path):
    rows = [["单位名称", "活动名称", "参与人次", "授课人数"], [None, None, "（人次）", "(人)"], ["甲", "乙", 1, 2]]
    rows += [[UNIT, "读书会", 120, 2]]
    table = the_table(read(write_xlsx(tmp_path / "r.xlsx", {"学习活动": rows})))
    assert table.header_row == 3
    assert [number for number, _ in table.rows] == [4]


@pytest.mark.parametrize(
    "first",
    [
        [1, UNIT, "读书会", "讲堂", None, "2025-10-09", 1, 2, 3, 4],
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 11],
        ["甲", "乙", "丙", 1, 2, 3, 5, 6, 7, 8],
        ["甲", UNIT, "读书会", None, None, "2025-10-09", 1, 2, 3, 4],
    ],
)
def test_first_data_row_is_never_taken_for_a_row_numbering_the_columns(tmp_path, first):
    rows = [NUMBERED[0], first, *NUMBERED[1:]]
    table = the_table(read(write_xlsx(tmp_path / "r.xlsx", {"学习活动": rows})))
    assert table.header_row == 1
    assert [number for number, _ in table.rows] == [2, 3, 4]


def test_columns_the_contract_does_not_name_are_ignored():
    rows = [
        ["序号", "单位名称", "活动名称", "日期", "参与人次", "备注", "联系人"],
        [1, UNIT, "读书会", "2025-10-09", 30, "无", "张三"],
    ]
    table = the_table(read_file(csv_bytes(rows), "学习活动.csv"))
    assert set(table.columns) == {"unit", "activity", "date", "person_times"}


# Every column alias of the contract, written by hand from the spec (test_meta checks none is missing).
COLUMN_ALIASES = [
    ("learning", "单位", "unit"),
    ("learning", "填报单位", "unit"),
    ("learning", "部门", "unit"),
    ("learning", "主办部门", "unit"),
    ("learning", "主办单位", "unit"),
    ("learning", "名称", "activity"),
    ("learning", "活动", "activity"),
    ("learning", "培训班名称", "activity"),
    ("learning", "形式", "form"),
    ("learning", "类型", "form"),
    ("learning", "培训方式", "form"),
    ("learning", "主题", "theme"),
    ("learning", "活动日期", "date"),
    ("learning", "开始日期", "date"),
    ("learning", "时间", "date"),
    ("learning", "期次", "sessions"),
    ("learning", "课时", "lectures"),
    ("learning", "场次", "lectures"),
    ("learning", "课程总数", "lectures"),
    ("learning", "参学人次", "person_times"),
    ("learning", "覆盖人次", "person_times"),
    ("learning", "人次", "person_times"),
    ("learning", "实际参训人数", "person_times"),
    ("learning", "参训人次", "person_times"),
    ("learning", "主讲人数", "lecturers"),
    ("learning", "讲师人数", "lecturers"),
    ("hotline", "单位", "unit"),
    ("hotline", "填报单位", "unit"),
    ("hotline", "部门", "unit"),
    ("hotline", "受理单位", "unit"),
    ("hotline", "责任单位", "unit"),
    ("hotline", "承办单位", "unit"),
    ("hotline", "统计月份", "month"),
    ("hotline", "期间", "month"),
    ("hotline", "工单量", "appeals"),
    ("hotline", "受理量", "appeals"),
    ("hotline", "诉求件数", "appeals"),
    ("hotline", "交办总量", "appeals"),
    ("hotline", "派遣案件总数", "appeals"),
    ("hotline", "总工单数", "appeals"),
    ("hotline", "转派工单", "appeals"),
    ("hotline", "一次办好率", "first_time_rate"),
    ("hotline", "解决率", "resolution_rate"),
    ("hotline", "满意率", "satisfaction_rate"),
    ("problems", "单位", "unit"),
    ("problems", "填报单位", "unit"),
    ("problems", "部门", "unit"),
    ("problems", "编号", "number"),
    ("problems", "台账编号", "number"),
    ("problems", "问题", "description"),
    ("problems", "问题内容", "description"),
    ("problems", "隐患内容", "description"),
    ("problems", "类别", "problem_type"),
    ("problems", "问题类型", "problem_type"),
    ("problems", "排查日期", "found_date"),
    ("problems", "发现时间", "found_date"),
    ("problems", "排查时间", "found_date"),
    ("problems", "状态", "status"),
    ("problems", "化解情况", "status"),
    ("problems", "整改进展", "status"),
    ("problems", "完成日期", "resolved_date"),
    ("problems", "销号日期", "resolved_date"),
    ("problems", "完成时间", "resolved_date"),
    ("problems", "环节", "stage"),
    ("indicators", "单位", "unit"),
    ("indicators", "填报单位", "unit"),
    ("indicators", "部门", "unit"),
    ("indicators", "三级指标", "indicator"),
    ("indicators", "指标值", "actual"),
    ("indicators", "实际完成值", "actual"),
]


@pytest.mark.parametrize(("kind", "alias", "key"), COLUMN_ALIASES)
def test_column_alias_is_read_as_its_column_and_gives_the_same_values(registry, kind, alias, key):
    rows = ROWS_OF_KIND[kind]()
    canonical = SHEET_KIND_BY_KEY[kind].column(key).name
    name = f"{SHEET_KIND_BY_KEY[kind].name}.csv"
    aliased = read_file(csv_bytes(rename(rows, **{canonical: alias})), name)
    table = the_table(aliased)
    assert (table.columns[key].header, table.columns[key].by_alias) == (alias, True)
    assert table.columns[key].index == rows[0].index(canonical)

    plain = validate(read_file(csv_bytes(rows), name), registry).tables[0].frame
    validated = validate(aliased, registry)
    assert validated.errors == []
    assert list(validated.tables[0].frame[key]) == list(plain[key])
    assert f"列「{alias}」按「{canonical}」读取。" in [w.message for w in validated.warnings]


@pytest.mark.parametrize(
    ("kind", "renames"),
    [
        ("hotline", {"单位名称": "责任单位", "诉求量": "交办总量"}),
        ("hotline", {"单位名称": "承办单位", "诉求量": "转派工单"}),
        (
            "learning",
            {"单位名称": "主办单位", "活动名称": "培训班名称", "参与人次": "实际参训人数", "节数": "课程总数"},
        ),
        ("problems", {"问题描述": "隐患内容", "发现日期": "排查时间", "整改状态": "整改进展", "化解日期": "完成时间"}),
        ("indicators", {"指标名称": "三级指标", "完成值": "实际完成值"}),
    ],
)
def test_sheet_named_by_the_offices_own_words_is_still_known_from_its_columns(tmp_path, kind, renames):
    # 完成时间 is also a ticket export's 办结时间, 责任单位 a ticket's 承办单位: a return stays the kind its columns say.
    path = write_xlsx(tmp_path / "r.xlsx", {"Sheet1": rename(ROWS_OF_KIND[kind](), **renames)})
    table = the_table(read(path))
    assert table.kind is SHEET_KIND_BY_KEY[kind]
    assert {table.kind.column(key).name: found.header for key, found in table.columns.items() if found.by_alias} == (
        renames
    )


def test_target_with_its_standard_in_brackets_is_the_target(registry):
    rows = rename(indicator_rows(), 目标值="目标值（标准）")
    table = the_table(read_file(csv_bytes(rows), "指标完成.csv"))
    assert (table.columns["target"].index, table.columns["target"].by_alias) == (4, False)
    frame = validate(read_file(csv_bytes(rows), "指标完成.csv"), registry).tables[0].frame
    assert list(frame["target"]) == [row[4] for row in indicator_rows()[1:]]


# -- rows that are not data -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label", ["合计", "总计", "小计", "合  计", " 合计 ", "合计：", "总计（人次）", "全市合计", "各单位小计"]
)
def test_total_row_is_not_data(label):
    rows = learning_rows(3)
    total = total_row(rows, ("参与人次",))
    total[0] = label
    table = the_table(read_file(csv_bytes([*rows, total]), "学习活动.csv"))
    assert [number for number, _ in table.rows] == [2, 3, 4]
    assert [number for number, _, _ in table.totals] == [5]


def test_total_label_in_the_unit_column_after_a_blank_serial_number_is_a_total():
    rows = learning_rows(2)
    total = total_row(rows, ("参与人次",))
    total[0], total[1] = None, "合计"
    table = the_table(read_file(csv_bytes([*rows, total]), "学习活动.csv"))
    assert [(number, label) for number, label, _ in table.totals] == [(4, "合计")]
    assert len(table.rows) == 2


@pytest.mark.parametrize(
    "footer",
    [
        FOOTER,
        "填表人：××  审核人：××  联系电话：××",
        "填报人：王五",
        "审核人：赵六",
        "单位负责人：孙七    填表日期：2025年11月3日",
        "联系电话：0539-1234567",
        "注：参与人次按实际签到统计。",
        "说明：本表每月5日前报送。",
        "填报单位（盖章）：临沂市民政局    填报日期：2025年11月3日",
        "单位（盖章）：",
        "制表：张三  审核：李四",
        "备注：参与人次按签到统计",
        "日期：2025年11月3日",
        "联系人：王五  联系电话：0539-1234567",
        "经办人：赵六",
        "分管领导：钱八",
        "填表人 张三",
        "填报说明：参与人次按签到统计",
    ],
)
def test_footer_row_is_not_data(footer):
    rows = [*learning_rows(2), [], [footer]]
    table = the_table(read_file(csv_bytes(rows), "学习活动.csv"))
    assert [number for number, _ in table.rows] == [2, 3]
    assert table.totals == []


def test_footer_spread_over_cells_is_not_data(tmp_path):
    rows = [*learning_rows(2), [None, "填表人：", "张三", None, "审核人：", "李四", None, "联系电话：", "0539-1"]]
    table = the_table(read(write_xlsx(tmp_path / "r.xlsx", {"学习活动": rows})))
    assert len(table.rows) == 2
    assert table.info["filler"] == "张三"


@pytest.mark.parametrize("activity", ["负责人专题培训", "联系人制度学习", "审核人员业务讲堂"])
def test_activity_named_like_a_footer_label_is_data(activity):
    rows = [["活动名称", "日期", "参与人次"], [activity, "2025-10-09", 30], ["填表人：张三"]]
    table = the_table(read_file(csv_bytes(rows), "学习活动.csv"))
    assert [cells[0] for _, cells in table.rows] == [activity]


def test_blank_rows_between_data_rows_are_skipped_and_numbers_stay_as_excel_shows_them():
    rows = learning_rows(3)
    table = the_table(read_file(csv_bytes([rows[0], rows[1], [], rows[2], [None] * 10, rows[3]]), "学习活动.csv"))
    assert [number for number, _ in table.rows] == [2, 4, 6]


def test_unit_cell_merged_down_names_the_unit_of_every_row_it_spans(tmp_path):
    rows = learning_rows(3, unit=OTHER_UNIT)
    rows[2][1] = rows[3][1] = None
    table = the_table(read(write_xlsx(tmp_path / "r.xlsx", {"学习活动": rows}, merges={"学习活动": ["B2:B4"]})))
    assert [cells[1] for _, cells in table.rows] == [OTHER_UNIT] * 3


def test_month_and_date_cells_merged_down_name_the_value_of_every_row_but_numbers_do_not(tmp_path):
    rows = [["单位名称", "月份", "诉求量"], [UNIT, "2025-10", 120], [OTHER_UNIT, None, None], ["市教育局", None, 80]]
    path = write_xlsx(tmp_path / "r.xlsx", {"热线指标": rows}, merges={"热线指标": ["B2:B4", "C2:C3"]})
    table = the_table(read(path))
    assert [cells[1:] for _, cells in table.rows] == [["2025-10", 120], ["2025-10", ""], ["2025-10", 80]]


# -- 基本信息 and the title line ---------------------------------------------------------------------------------


def test_basic_information_sheet_gives_unit_period_filler_phone_and_headcount(tmp_path):
    info = [
        ["项目", "内容"],
        ["填报单位", "市民政局"],
        ["报送期间", "2025年第三季度"],
        ["填报人", "张三"],
        ["联系电话", "0539-8888888"],
        ["在职人数", 85],
    ]
    result = read(write_xlsx(tmp_path / "r.xlsx", {"基本信息": info, "学习活动": learning_rows(2)}))
    assert result.info == {
        "unit": "市民政局",
        "period": "2025年第三季度",
        "filler": "张三",
        "phone": "0539-8888888",
        "headcount": "85",
    }
    assert ("基本信息", "已读取基本信息。") in notices(result)


def test_title_line_gives_unit_and_period(tmp_path):
    rows = titled(learning_rows(2), unit="市民政局", period="2025年1-10月")
    result = read(write_xlsx(tmp_path / "r.xlsx", {"学习活动": rows}))
    assert (result.info["unit"], result.info["period"]) == ("市民政局", "2025年1-10月")
    assert result.info["filler"] == "张三"  # from the footer


@pytest.mark.parametrize(
    "line",
    [
        [f"填报单位：{UNIT}    报送期间：2025年10月"],
        [f"填报单位:{UNIT} 报送期间:2025年10月"],
        ["填报单位：", UNIT, None, "报送期间：", "2025年10月"],
        [f"填报单位（盖章）：{UNIT}", None, None, "报送期间：2025年10月"],
        [f"填报单位：{UNIT}（盖章）    报送期间：2025年10月    单位：人次"],
        [f"单位名称：{UNIT}  报送期间：2025年10月  填报日期：2025年11月3日"],
        [f"报送单位:{UNIT},报送期间:2025年10月"],
    ],
)
def test_title_line_may_be_one_cell_or_spread_over_several(tmp_path, line):
    rows = [["学习活动情况统计表"], line, *learning_rows(2)]
    result = read(write_xlsx(tmp_path / "r.xlsx", {"学习活动": rows}))
    assert (result.info["unit"], result.info["period"]) == (UNIT, "2025年10月")


def test_basic_information_wins_over_the_title_line(tmp_path):
    sheets = {
        "基本信息": [["填报单位", UNIT], ["报送期间", "2025年10月"]],
        "学习活动": titled(learning_rows(2), unit=OTHER_UNIT, period="2025年9月"),
    }
    result = read(write_xlsx(tmp_path / "r.xlsx", sheets))
    assert (result.info["unit"], result.info["period"]) == (UNIT, "2025年10月")


@pytest.mark.parametrize(
    "rows",
    [
        [["填报单位", UNIT, "报送期间", "2025年10月"]],
        [["填报单位（盖章）", UNIT], ["报送期间：", dt.datetime(2025, 10, 1)]],
        [["项目", "内容"], ["填报单位", f" {UNIT} "], ["报送期间", "2025年10月"]],
    ],
)
def test_basic_information_may_put_labels_and_values_in_cells_side_by_side(tmp_path, rows):
    result = read(write_xlsx(tmp_path / "r.xlsx", {"基本信息": rows, "学习活动": learning_rows(2)}))
    assert result.info["unit"] == UNIT
    assert parse_period(result.info["period"]) == Period(202510, 202510)


def test_title_line_may_put_labels_and_values_in_cells_without_colons(tmp_path):
    rows = [["学习活动情况统计表"], ["填报单位", UNIT, None, "报送期间", "2025年10月"], *learning_rows(2)]
    result = read(write_xlsx(tmp_path / "r.xlsx", {"学习活动": rows}))
    assert (result.info["unit"], result.info["period"]) == (UNIT, "2025年10月")


@pytest.mark.parametrize(
    ("line", "unit", "period"),
    [
        ([f"填报单位：{UNIT}    2025年1-3月"], UNIT, "2025年1-3月"),
        ([f"填报单位：{UNIT}\u3000\u30002025年第一季度"], UNIT, "2025年第一季度"),  # full-width spaces
        ([f"2025年1-3月    填报单位：{UNIT}（盖章）"], UNIT, "2025年1-3月"),
        ([f"填报单位：{UNIT}", "2025年1-3月"], UNIT, "2025年1-3月"),
        ([f"填报单位：{UNIT}    填报日期：2025年4月3日"], UNIT, None),  # a date labelled as something else
        ([f"填报单位：{UNIT}    联系电话：0539-8888888"], UNIT, None),
        ([f"填报单位：{UNIT}    2025"], UNIT, None),  # a bare number is no period
    ],
)
def test_a_labels_value_runs_up_to_a_run_of_spaces_and_a_period_standing_alone_is_the_period(
    tmp_path, line, unit, period
):
    rows = [["学习活动情况统计表"], line, *learning_rows(2)]
    result = read(write_xlsx(tmp_path / "r.xlsx", {"学习活动": rows}))
    assert (result.info.get("unit"), result.info.get("period")) == (unit, period)


def test_a_period_standing_alone_on_the_unit_line_declares_the_period(tmp_path, registry):
    rows = learning_rows(3, month=202503)
    rows[3][5] = "2025年4月2日"  # one activity after the quarter
    rows = [["学习活动情况统计表"], [f"填报单位：{UNIT}    2025年1-3月"], *rows]
    validated = validate(read(write_xlsx(tmp_path / "r.xlsx", {"学习活动": rows})), registry)
    assert (validated.tables[0].period, validated.tables[0].declared) == (Period(202501, 202503), True)
    assert [(e.row, e.column_name, e.message) for e in validated.errors] == [
        (6, "日期", "活动日期不在报送期间（2025年第一季度）内。")
    ]


@pytest.mark.parametrize(
    ("title", "years", "period"),
    [
        ("2025年4月份12345热线办理情况统计表", "", "2025年4月"),
        ("2025年1-4月份学习活动统计表", "", "2025年1-4月"),
        ("2025年1月-3月热线办理情况", "", "2025年1-3月"),
        ("2025年第三季度问题清单", "", "2025年第三季度"),
        ("临沂市2025年上半年指标完成情况", "", "2025年上半年"),
        ("1-4月份学习活动统计表", "市民政局2025年学习活动.xlsx", "2025年1-4月"),  # the year from elsewhere
        ("12345热线10月份办理情况", "2024年", "2024年10月"),
        ("1-4月份学习活动统计表", "", None),  # no year anywhere: no period
        ("截至2025年10月问题清单", "", None),  # a through-date is no period
        ("2025年10月15日前报送", "", None),  # a date is no period
        ("2025年学习活动统计表", "", None),  # a year alone says too little to bind every row
        ("学习活动情况统计表", "2025", None),
    ],
)
def test_period_a_title_names(title, years, period):
    assert title_period(title, years=years) == period


def test_title_period_is_kept_apart_from_a_declared_period(tmp_path):
    rows = [["2025年4月份12345热线办理情况统计表"], *hotline_rows((202504,))]
    table = the_table(read(write_xlsx(tmp_path / "r.xlsx", {"热线": rows})))
    assert ("period" in table.info, table.info["title_period"]) == (False, "2025年4月")
    assert (table.info_cells["title_period"].row, table.info_cells["title_period"].label) == (1, "标题")


# -- files with no data -----------------------------------------------------------------------------------------


def test_workbook_with_only_empty_sheets_is_an_error_naming_what_a_return_holds(tmp_path):
    result = read(write_xlsx(tmp_path / "空表.xlsx", {"Sheet1": []}))
    assert result.tables == []
    (error,) = [f for f in result.findings if f.is_error]
    assert error.file == "空表.xlsx"
    assert error.message.startswith("文件中没有可识别的数据表。工作表名称应含「学习」「热线」「问题」或「指标」")


def test_empty_file_is_refused():
    with pytest.raises(FileRejected, match=r"文件是空的（0 字节）"):
        read_file(b"", "学习活动.xlsx")


# -- limits and what a workbook hides ------------------------------------------------------------------------------


def _learning_xlsx(tmp_path, rows: int = 3, **cells) -> bytes:
    """A learning return with extra ``cells`` ({"I5": "=G5+H5"}) written into it by openpyxl."""
    import openpyxl

    path = write_xlsx(tmp_path / "学习活动.xlsx", {"学习活动": titled(learning_rows(rows), unit=UNIT)})
    workbook = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        workbook["学习活动"][ref] = value
    workbook.save(path)
    return path.read_bytes()


def test_size_cap_is_read_from_the_environment_on_every_file(tmp_path, monkeypatch):
    data = _learning_xlsx(tmp_path)
    monkeypatch.setenv("LINGYI_MAX_UPLOAD_MB", "0.001")
    with pytest.raises(FileRejected, match=r"文件大小 0\.0 MB，超过上限 0 MB；请拆分后上传。"):
        read_file(data, "学习活动.xlsx")
    monkeypatch.setenv("LINGYI_MAX_UPLOAD_MB", "not a number")  # a bad setting falls back to 50 MB
    assert read_file(data, "学习活动.xlsx").tables


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".csv"])
def test_sheet_over_the_row_cap_is_refused_saying_the_cap(tmp_path, monkeypatch, suffix):
    monkeypatch.setenv("LINGYI_MAX_ROWS", "10")
    rows = learning_rows(12)
    path = write_csv(tmp_path / "学习活动.csv", rows) if suffix == ".csv" else None
    path = path or {".xlsx": write_xlsx, ".xls": write_xls}[suffix](tmp_path / f"学习活动{suffix}", {"学习活动": rows})
    with pytest.raises(FileRejected, match="超过系统上限 10 行") as refused:
        read_file(path.read_bytes(), path.name)
    assert refused.value.finding.file == path.name
    monkeypatch.setenv("LINGYI_MAX_ROWS", "13")
    assert len(read_file(path.read_bytes(), path.name).tables[0].rows) == 12


def test_one_value_far_out_is_refused_before_the_reader_allocates_the_area(tmp_path):
    data = _learning_xlsx(tmp_path, ZZ200000="x")
    with pytest.raises(FileRejected) as refused:
        read_file(data, "学习活动.xlsx")
    assert refused.value.finding.message.startswith(
        "工作表「学习活动」的数据区域延伸到 ZZ200000 单元格（200,000 行 × 702 列），超过系统上限 12,000,000 个单元格。"
    )


def _sheet_rows(count: int, extra: dict[int, bytes] | None = None) -> bytes:
    """Sheet XML rows 1 … ``count`` as openpyxl writes them, one value in column A, ``extra`` cells in some rows."""
    extra = extra or {}
    return b"".join(
        b'<row r="%d"><c r="A%d" t="n"><v>1</v></c>%s</row>' % (r, r, extra.get(r, b"")) for r in range(1, count + 1)
    )


@pytest.mark.parametrize(
    ("extra", "area"),
    [
        ({}, (20_000, 1)),
        ({10_000: b'<c r="AB10000" t="n"><v>2</v></c>'}, (20_000, 28)),  # the widest cell far from either end
        ({10_000: b'<c r="A900000" t="n"><v>2</v></c>'}, (900_000, 1)),  # a row number out of order
        ({10_000: b'<c r="B10000" t="e"><v>#DIV/0!</v></c>'}, (20_000, 2)),
        ({10_000: b'<c r="B10000"><f>A1*2</f><v></v></c>'}, (20_000, 2)),
        ({10_000: b'<c t="n"><v>2</v></c>'}, (20_000, 2)),  # no reference: the column after the one before
    ],
)
def test_a_long_sheets_used_area_is_its_farthest_cell_wherever_it_is(extra, area):
    from lingyi.intake.files import SheetScan, _scan_xlsx_rows

    scan = SheetScan()
    _scan_xlsx_rows(_sheet_rows(20_000, extra), scan, {"row": 0, "column": 0})
    assert (scan.rows, scan.columns) == area
    assert len(scan.errors) == (1 if b't="e"' in extra.get(10_000, b"") else 0)
    assert scan.uncached_count == (1 if b"<f>" in extra.get(10_000, b"") else 0)


@settings(max_examples=300)
@given(st.integers(0, 10**7), st.integers(0, 10**7))
def test_the_pattern_of_row_numbers_up_to_a_bound_admits_exactly_those(bound, number):
    from lingyi.intake.files import _number_up_to

    pattern = re.compile(rb"(?:" + _number_up_to(bound) + rb")\Z")
    assert bool(pattern.match(str(number).encode())) == (number <= bound)


@settings(max_examples=300)
@given(st.integers(0, 18_277), st.integers(0, 18_277))
def test_the_pattern_of_column_letters_up_to_a_bound_admits_exactly_those(bound, column):
    from lingyi.intake.files import _letters_up_to

    pattern = re.compile(rb"(?:" + _letters_up_to(column_letter(bound)) + rb")\Z")
    assert bool(pattern.match(column_letter(column).encode())) == (column <= bound)


def test_formatting_far_out_is_no_used_area(tmp_path):
    import openpyxl
    from openpyxl.styles import PatternFill

    path = write_xlsx(tmp_path / "学习活动.xlsx", {"学习活动": titled(learning_rows(3), unit=UNIT)})
    workbook = openpyxl.load_workbook(path)
    workbook["学习活动"]["ZZ200000"].fill = PatternFill("solid", fgColor="FFFF00")
    workbook.save(path)
    assert len(read_file(path.read_bytes(), path.name).tables[0].rows) == 3


@pytest.mark.parametrize(
    "row",
    [
        b'<row r="%d" s="1" customFormat="1"/>',  # no cell at all
        b'<row r="%d" s="1" customFormat="1" />',
        b'<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/></row>',  # one styled cell, empty
    ],
    ids=["empty", "empty-spaced", "one-styled-cell"],
)
def test_styled_empty_rows_down_to_the_last_row_of_the_sheet_are_no_data_and_no_threat(tmp_path, row):
    data = rows_down_to_the_last(_learning_xlsx(tmp_path), row)  # as formatting a whole column saves them
    assert len(data) > 1024**2  # a million rows, made small by compression
    read = read_file(data, "学习活动.xlsx")
    assert [(t.sheet, len(t.rows)) for t in read.tables] == [("学习活动", 3)]
    assert not [f for f in read.findings if f.is_error]


@pytest.mark.parametrize("directory_last", [False, True])
@pytest.mark.parametrize(
    ("streams", "container"),
    [
        ({"EncryptionInfo": bytes(4096), "EncryptedPackage": bytes(80_000)}, "encrypted"),
        ({"Workbook": bytes(80_000)}, "ole"),  # an old .xls: its directory names no encryption stream
        ({"Workbook": "EncryptionInfo".encode("utf-16-le") * 5000}, "ole"),  # … whatever its cells say
    ],
)
def test_a_compound_file_is_encrypted_by_what_its_directory_names_wherever_the_directory_is(
    streams, container, directory_last
):
    from factories import compound_file

    from lingyi.intake.files import format_of

    assert format_of(compound_file(streams, directory_last=directory_last)) == container


def test_formula_saved_without_its_result_is_an_error_naming_its_cell(tmp_path):
    data = _learning_xlsx(tmp_path, I5="=G5+H5*2", J6='=IF(A1="","",1)')
    read = read_file(data, "学习活动.xlsx")
    errors = [f for f in read.findings if f.is_error]
    assert [(f.sheet, f.row, f.column, f.column_name, f.value) for f in errors] == [
        ("学习活动", 5, "I", "参与人次", "=G5+H5*2"),
        ("学习活动", 6, "J", "授课人数", '=IF(A1="","",1)'),
    ]
    assert errors[0].message.startswith("单元格是公式，但文件中没有保存公式的计算结果，系统读到的是空值。")


def test_formula_with_its_result_saved_reads_the_result(tmp_path):
    import io
    import zipfile

    data = _learning_xlsx(tmp_path, I5="=G5+H5")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<f>G5+H5</f><v></v>", b"<f>G5+H5</f><v>77</v>")
                content = content.replace(
                    b'<c r="J5" t="n">', b'<c r="J5" t="str"><f>""</f><v></v></c><c r="K5" t="n">'
                )
            target.writestr(info, content)
    read = read_file(out.getvalue(), "学习活动.xlsx")
    assert not [f for f in read.findings if f.is_error]
    table = read.tables[0]
    assert dict(table.rows)[5][table.columns["person_times"].index] == 77


def test_formula_without_result_outside_the_contracts_columns_is_no_error(tmp_path):
    data = _learning_xlsx(tmp_path, A5="=ROW()-3", A1="=TODAY()")
    assert not [f for f in read_file(data, "学习活动.xlsx").findings if f.is_error]


def test_error_value_in_an_ods_cell_is_an_error_naming_its_cell(tmp_path, registry):
    import io
    import zipfile

    rows = learning_rows(2)
    rows[2][8] = "ERROR-CELL"
    data = write_ods(tmp_path / "学习活动.ods", {"学习活动": rows}).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "content.xml":
                # As LibreOffice saves a formula whose result is an error: an empty string, marked as an error.
                content = content.replace(
                    b'office:value-type="string" office:string-value="ERROR-CELL"><text:p>ERROR-CELL</text:p>',
                    b'table:formula="of:=[.G3]/0" office:value-type="string" office:string-value="" '
                    b'calcext:value-type="error"><text:p>#DIV/0!</text:p>',
                ).replace(
                    b"<office:document-content ",
                    b'<office:document-content xmlns:calcext="urn:org:documentfoundation:names:'
                    b'experimental:calc:xmlns:calcext:1.0" ',
                )
            target.writestr(info, content)
    error = one_error(validate(read_file(out.getvalue(), "学习活动.ods"), registry))
    assert (error.sheet, error.row, error.column, error.column_name, error.value) == (
        "学习活动",
        3,
        "I",
        "参与人次",
        "#DIV/0!",
    )
    assert error.message == "单元格是公式错误 #DIV/0!（除数为0），请改为数值后重新上传。"


def one_error(validated):
    (error,) = validated.errors
    return error


def test_macro_enabled_workbook_is_read_as_data_with_a_notice(tmp_path):
    import io
    import zipfile

    data = _learning_xlsx(tmp_path)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/vbaProject.bin", b'Sub Auto_Open()\r\nShell "calc.exe"\r\nEnd Sub')
    read = read_file(out.getvalue(), "学习活动.xlsm")
    assert len(read.tables[0].rows) == 3
    notices = [f.message for f in read.findings if f.level is Level.NOTICE]
    assert "文件含有宏（VBA 代码）。系统只读取单元格中的数据，从不运行宏；系统导出的文件不含宏。" in notices


def test_utf16_text_as_excel_saves_unicode_text_is_read(tmp_path):
    text = "\n".join("\t".join("" if v is None else str(v) for v in row) for row in learning_rows(2))
    read = read_file(text.encode("utf-16"), "学习活动.txt")
    assert len(read.tables[0].rows) == 2
