"""What a rejected unit gets back: the error list, and its own file with each faulty cell filled and commented."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import factories as f
import openpyxl
import pytest
from hostile.make_corpus import with_macros
from openpyxl.comments import Comment

from lingyi.errors import Finding, Level
from lingyi.intake.feedback import (
    ERROR_SHEET,
    FILLS,
    FINDING_COLUMNS,
    error_list_name,
    error_list_xlsx,
    findings_frame,
    marked_file,
)
from lingyi.intake.ingest import check_file
from lingyi.workbooks import XLSX_MIME

RED = FILLS[Level.ERROR].fgColor.rgb
YELLOW = FILLS[Level.WARNING].fgColor.rgb


def bad_learning_rows() -> f.Rows:
    """Three activities: row 5 (in Excel, under a title and info line) has an unknown unit, row 6 a bad count."""
    rows = f.learning_rows(3)
    rows = f.column(rows, "单位名称", ["临沂市民政局", "临沂市民正局", "临沂市民政局"])
    return f.column(rows, "参与人次", [120, 80, "八十"])


def reopen(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def marked_cells(sheet) -> dict[str, tuple[str, str]]:
    """coordinate → (fill colour, comment text) of every commented cell."""
    return {
        cell.coordinate: (cell.fill.fgColor.rgb, cell.comment.text)
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment is not None
    }


def write(tmp_path: Path, suffix: str, rows: f.Rows) -> Path:
    if suffix == ".csv":
        return f.write_csv(tmp_path / "学习活动.csv", rows)
    return f.write_workbook(tmp_path / f"学习活动{suffix}", {"学习活动": rows})


# -- the error list ---------------------------------------------------------------------------------------------------


def test_error_list_has_a_row_per_error_and_warning_under_the_eight_headings(tmp_path, registry):
    path = f.write_xlsx(tmp_path / "民政局.xlsx", {"学习活动": f.titled(bad_learning_rows())})
    validated = check_file(path.read_bytes(), path.name, registry)
    sheet = reopen(error_list_xlsx(validated.findings))["错误清单"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == list(FINDING_COLUMNS)
    assert len(rows) - 1 == len(validated.errors) + len(validated.warnings)
    assert rows[1][:6] == ["错误", "民政局.xlsx", "学习活动", 5, "B", "单位名称"]
    assert rows[1][6] == "临沂市民正局"
    assert "您是不是要找：临沂市民政局" in rows[1][7]
    assert sheet.freeze_panes == "A2"


def test_error_list_puts_errors_before_warnings_and_leaves_notices_out():
    findings = [
        Finding(Level.NOTICE, "a.xlsx", "空工作表，已跳过。", sheet="Sheet2"),
        Finding(Level.WARNING, "a.xlsx", "列「参学人次」按「参与人次」读取。", sheet="学习", row=1, column="H"),
        Finding(Level.ERROR, "a.xlsx", "应为整数。", sheet="学习", row=4, column="H", value="3.5"),
    ]
    frame = findings_frame(findings)
    assert frame["级别"].tolist() == ["错误", "警告"]


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","点我")', "+1", "-5", "@SUM(A1)", "=1+1"])
def test_error_list_writes_formula_like_text_as_text(text):
    finding = Finding(
        Level.ERROR, text, "无法识别为数字。", sheet=text, row=2, column="C", column_name=text, value=text
    )
    sheet = reopen(error_list_xlsx([finding]))["错误清单"]
    for cell in sheet[2]:
        if cell.value == text:
            assert cell.data_type == "s"
            assert cell.quotePrefix
    assert [c.value for c in sheet[2]].count(text) == 4  # 文件, 工作表, 列名, 值


def test_error_list_name_follows_the_file():
    assert error_list_name("民政局_2025年10月.xls") == "民政局_2025年10月_错误清单.xlsx"


# -- the marked file --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods", ".csv"])
def test_marked_file_fills_and_comments_each_faulty_cell(suffix, tmp_path, registry):
    rows = f.titled(bad_learning_rows(), title=None, footer=None) if suffix == ".csv" else f.titled(bad_learning_rows())
    path = write(tmp_path, suffix, rows)
    validated = check_file(path.read_bytes(), path.name, registry)
    assert len(validated.errors) == 2

    marked = marked_file(path.read_bytes(), path.name, validated.findings)

    assert marked.name == "学习活动_错误标注.xlsx"
    workbook = reopen(marked.data)
    data_sheet = workbook["学习活动"]
    cells = marked_cells(data_sheet)
    unit_cell = f"B{validated.errors[0].row}"
    count_cell = f"I{validated.errors[1].row}"
    assert cells[unit_cell][0] == RED
    assert "单位名称不在名录中" in cells[unit_cell][1]
    assert cells[count_cell][0] == RED
    assert "无法识别为数字" in cells[count_cell][1]
    assert data_sheet[unit_cell].value == "临沂市民正局"
    assert data_sheet[count_cell].value == "八十"
    assert set(cells) == {unit_cell, count_cell}
    assert marked.marked_cells == 2


def test_marked_file_opens_on_the_error_sheet_listing_every_finding(tmp_path, registry):
    path = f.write_xlsx(tmp_path / "民政局.xlsx", {"学习活动": f.titled(bad_learning_rows())})
    validated = check_file(path.read_bytes(), path.name, registry)
    workbook = reopen(marked_file(path.read_bytes(), path.name, validated.findings).data)
    assert workbook.sheetnames[0] == ERROR_SHEET
    assert workbook.active.title == ERROR_SHEET
    sheet = workbook[ERROR_SHEET]
    assert "未入库" in sheet["A1"].value
    assert [c.value for c in sheet[3]] == list(FINDING_COLUMNS)
    assert sheet.max_row - 3 == len(validated.errors) + len(validated.warnings)


def test_warnings_are_marked_yellow_beside_red_errors(tmp_path, registry):
    rows = f.rename(bad_learning_rows(), 参与人次="参学人次")
    path = f.write_xlsx(tmp_path / "民政局.xlsx", {"学习活动": rows})
    validated = check_file(path.read_bytes(), path.name, registry)
    cells = marked_cells(reopen(marked_file(path.read_bytes(), path.name, validated.findings).data)["学习活动"])
    assert cells["I1"] == (YELLOW, "警告：列「参学人次」按「参与人次」读取。")


def test_corrected_file_comes_back_without_the_error_sheet_being_read(tmp_path, registry):
    path = f.write_xlsx(tmp_path / "民政局.xlsx", {"学习活动": f.titled(bad_learning_rows())})
    validated = check_file(path.read_bytes(), path.name, registry)
    marked = marked_file(path.read_bytes(), path.name, validated.findings)
    again = check_file(marked.data, marked.name, registry)
    assert [f.message for f in again.errors] == [f.message for f in validated.errors]
    assert any(n.sheet == ERROR_SHEET and "不是数据表" in n.message for n in again.findings)


def test_several_findings_on_one_cell_share_one_comment(tmp_path):
    path = f.write_xlsx(tmp_path / "a.xlsx", {"学习活动": f.learning_rows(2)})
    findings = [
        Finding(Level.ERROR, "a.xlsx", "第一条。", sheet="学习活动", row=2, column="C"),
        Finding(Level.WARNING, "a.xlsx", "第二条。", sheet="学习活动", row=2, column="C"),
    ]
    marked = marked_file(path.read_bytes(), path.name, findings)
    cells = marked_cells(reopen(marked.data)["学习活动"])
    assert cells == {"C2": (RED, "错误：第一条。\n警告：第二条。")}


def test_finding_about_a_whole_row_is_marked_on_its_first_cell_and_one_without_a_row_is_only_listed(tmp_path):
    path = f.write_xlsx(tmp_path / "a.xlsx", {"热线": f.hotline_rows()})
    findings = [
        Finding(Level.ERROR, "a.xlsx", "同一单位同一月份在工作表「热线2」第2行已出现。", sheet="热线", row=2),
        Finding(Level.ERROR, "a.xlsx", "报送期间无法识别。", value="2025年13月"),
    ]
    marked = marked_file(path.read_bytes(), path.name, findings)
    assert set(marked_cells(reopen(marked.data)["热线"])) == {"A2"}
    assert (marked.marked_cells, marked.unplaced) == (1, 1)


def test_finding_inside_a_merged_cell_is_marked_on_the_merged_range(tmp_path, registry):
    rows = f.column(f.learning_rows(3), "单位名称", ["临沂市民正局", None, None])
    path = f.write_xlsx(tmp_path / "a.xlsx", {"学习活动": rows}, merges={"学习活动": ["B2:B4"]})
    validated = check_file(path.read_bytes(), path.name, registry)
    assert [e.row for e in validated.errors] == [2, 3, 4]
    cells = marked_cells(reopen(marked_file(path.read_bytes(), path.name, validated.findings).data)["学习活动"])
    assert list(cells) == ["B2"]
    assert cells["B2"][1].count("单位名称不在名录中") == 3


def test_a_comment_the_unit_wrote_is_kept_below_ours(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "学习活动"
    for row in f.learning_rows(1):
        sheet.append(row)
    sheet["I2"].comment = Comment("含线上参学", "填报人")
    out = io.BytesIO()
    workbook.save(out)
    finding = Finding(Level.ERROR, "a.xlsx", "应为整数。", sheet="学习活动", row=2, column="I")
    marked = marked_file(out.getvalue(), "a.xlsx", [finding])
    text = reopen(marked.data)["学习活动"]["I2"].comment.text
    assert text.startswith("错误：应为整数。")
    assert "原批注：含线上参学" in text


def test_formula_like_text_copied_from_a_csv_stays_text(tmp_path):
    rows = f.column(f.learning_rows(2), "活动名称", ['=HYPERLINK("http://x")', "@cmd"])
    path = f.write_csv(tmp_path / "学习.csv", rows)
    finding = Finding(Level.ERROR, path.name, "示例。", sheet="学习", row=2, column="C")
    sheet = reopen(marked_file(path.read_bytes(), path.name, [finding]).data)["学习"]
    for coordinate, text in (("C2", '=HYPERLINK("http://x")'), ("C3", "@cmd")):
        assert sheet[coordinate].value == text
        assert sheet[coordinate].data_type == "s"
        assert sheet[coordinate].quotePrefix


def test_a_csv_with_control_characters_gets_its_error_list_and_marked_copy(tmp_path, registry):
    rows = f.column(f.learning_rows(2), "活动名称", ["读书\x01会", "研讨"])
    path = f.write_csv(tmp_path / "学习活动.csv", f.column(rows, "参与人次", ["很多\x02", 3]))
    validated = check_file(path.read_bytes(), path.name, registry)
    assert [e.value for e in validated.errors] == ["很多\x02"]
    assert reopen(error_list_xlsx(validated.findings))["错误清单"]["G2"].value == "很多"
    sheet = reopen(marked_file(path.read_bytes(), path.name, validated.findings).data)["学习活动"]
    assert (sheet["C2"].value, sheet["I2"].value) == ("读书会", "很多")
    assert sheet["I2"].comment is not None


def test_gbk_csv_is_copied_with_its_chinese_intact(tmp_path, registry):
    path = tmp_path / "学习.csv"
    path.write_bytes(f.csv_bytes(bad_learning_rows(), "gbk"))
    validated = check_file(path.read_bytes(), path.name, registry)
    sheet = reopen(marked_file(path.read_bytes(), path.name, validated.findings).data)["学习"]
    assert sheet["B3"].value == "临沂市民正局"
    assert sheet["B3"].comment is not None


@pytest.mark.parametrize("name", ["民政局.xlsm", "民政局.xlsx"])  # an .xlsx may carry macros too (renamed)
def test_marked_copy_of_a_macro_workbook_is_an_xlsx_without_its_macros(name, tmp_path, registry):
    path = f.write_xlsx(tmp_path / "a.xlsx", {"学习活动": bad_learning_rows()})
    data = with_macros(path.read_bytes(), b"\xd0\xcf\x11\xe0 macro project bytes")
    validated = check_file(data, name, registry)
    assert validated.errors
    assert "系统导出的文件不含宏" in " ".join(n.message for n in validated.findings)

    marked = marked_file(data, name, validated.findings)

    assert (marked.name, marked.mime) == ("民政局_错误标注.xlsx", XLSX_MIME)
    archive = zipfile.ZipFile(io.BytesIO(marked.data))
    assert not [n for n in archive.namelist() if "vba" in n.lower()]
    for part in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
        assert b"macroEnabled" not in archive.read(part) and b"vbaProject" not in archive.read(part)
    assert set(marked_cells(reopen(marked.data)["学习活动"])) == {"B3", "I4"}


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", b"\x00\x01\x02 binary"])
def test_a_file_that_cannot_be_opened_gives_no_marked_copy(data):
    finding = Finding(Level.ERROR, "a.xlsx", "文件已损坏或格式不正确，无法读取。")
    assert marked_file(data, "a.xlsx", [finding]) is None
    assert marked_file(data, "a.xls", [finding]) is None
