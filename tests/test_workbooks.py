"""lingyi/workbooks.py: what the app hands out opens as the text it shows — never a live formula, never a broken
sheet name."""

from __future__ import annotations

import ast
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import ClassVar

import factories as f
import openpyxl
import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from lingyi.access import auth
from lingyi.contract import SHEET_KINDS
from lingyi.intake.ingest import ingest_file
from lingyi.store import DATABASE_URL_VARIABLE, Store
from lingyi.workbooks import (
    display_width,
    escape_formula,
    escape_frame,
    frames_to_xlsx,
    is_formula_like,
    put,
    sheet_title,
)

ROOT = Path(__file__).resolve().parent.parent


def reopen(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","点我")', "+1", "-5", "@cmd", "=1+1", "@SUM(1)", "+cmd|' /C calc'!A0", "\t=1", "\r=1"],
)
def test_formula_like_text_is_written_as_quoted_text(text):
    data = frames_to_xlsx({"表": pd.DataFrame({"值": [text]})})
    cell = reopen(data)["表"]["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


@pytest.mark.parametrize(("text", "written"), [("读书\x01会", "读书会"), ("\x02=1+1", "=1+1"), ("行\n行", "行\n行")])
def test_control_characters_a_workbook_cannot_hold_are_left_out_and_what_remains_is_still_made_safe(text, written):
    cell = reopen(frames_to_xlsx({"表": pd.DataFrame({"值": [text]})}))["表"]["A2"]
    assert (cell.value, cell.data_type) == (written, "s")
    assert cell.quotePrefix is written.startswith("=")


def test_negative_numbers_stay_numbers_and_plain_text_gets_no_prefix():
    sheet = reopen(frames_to_xlsx({"表": pd.DataFrame({"数": [-5, -0.25], "名": ["民政局", "第-1期"]})}))["表"]
    assert [(c.value, c.data_type, c.quotePrefix) for c in sheet["A"][1:]] == [(-5, "n", False), (-0.25, "n", False)]
    assert [(c.value, c.quotePrefix) for c in sheet["B"][1:]] == [("民政局", False), ("第-1期", False)]


def test_numbers_dates_and_missing_values_are_written_as_themselves():
    frame = pd.DataFrame(
        {
            "数": [3, None],
            "率": [0.9372, float("nan")],
            "日期": [pd.Timestamp("2025-03-15"), pd.NaT],
            "时间": [dt.datetime(2025, 3, 15, 9, 30), None],
        }
    )
    sheet = reopen(frames_to_xlsx({"表": frame}, formats={"率": "0.00%"}))["表"]
    assert [c.value for c in sheet[2]] == [3, 0.9372, dt.datetime(2025, 3, 15), dt.datetime(2025, 3, 15, 9, 30)]
    assert [c.value for c in sheet[3]] == [None, None, None, None]
    assert sheet["B2"].number_format == "0.00%"
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].number_format == "yyyy-mm-dd hh:mm:ss"


def test_header_is_bold_and_frozen_and_an_empty_frame_keeps_it():
    sheet = reopen(frames_to_xlsx({"空": pd.DataFrame(columns=["单位", "行数"])}))["空"]
    assert [c.value for c in sheet[1]] == ["单位", "行数"]
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 1


def test_every_frame_gets_its_sheet_in_order():
    data = frames_to_xlsx({"学习活动": pd.DataFrame({"a": [1]}), "热线指标": pd.DataFrame({"b": [2]})})
    assert reopen(data).sheetnames == ["学习活动", "热线指标"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("学习/活动:2025", "学习_活动_2025"), ("x" * 40, "x" * 31), ("'引号'", "引号")],
)
def test_sheet_names_are_made_valid(name, expected):
    assert sheet_title(name) == expected


def test_a_sheet_name_already_taken_gets_a_number():
    taken: set[str] = set()
    assert [sheet_title("错误说明", taken) for _ in range(3)] == ["错误说明", "错误说明(2)", "错误说明(3)"]


def test_cjk_characters_take_two_columns():
    assert display_width("市民政局") == 8
    assert display_width("A1") == 2


def test_put_returns_the_cell_for_styling():
    sheet = openpyxl.Workbook().active
    assert put(sheet["A1"], "-") is sheet["A1"]
    assert sheet["A1"].data_type == "s"


# -- every download the app offers ---------------------------------------------------------------------------------
# Each download_button of the pages, by the source of its label, and the page that offers it. Two hand out no
# workbook the app writes: the original file is the unit's own bytes, kept for tracing; the briefing is
# PPTX/DOCX/pictures.
DOWNLOAD_SITES = {
    ("lingyi/ui/tables.py", "'下载 Excel'"): "pages/learning.py",
    ("lingyi/ui/upload.py", "'四表合一'"): "pages/upload.py",
    ("lingyi/ui/upload.py", "kind.name"): "pages/upload.py",
    ("lingyi/ui/upload.py", "'下载错误清单'"): "pages/upload.py",
    ("lingyi/ui/upload.py", "'下载标注了错误的原文件'"): "pages/upload.py",
    ("pages/completeness.py", "f'下载催报名单（{len(missing)} 家）'"): "pages/completeness.py",
    ("pages/manage.py", "'导出全部数据（每张报表一个工作表）'"): "pages/manage.py",
    ("pages/admin.py", "'导出操作日志（Excel）'"): "pages/admin.py",
    ("lingyi/ui/manage.py", "'下载原始文件'"): None,
    ("pages/briefing.py", "f'下载{fmt.label}'"): None,
    ("lingyi/ui/archive.py", "f'下载{fmt.label}'"): None,  # a 月报's PPTX, Word or picture ZIP: no workbook
}
HOSTILE = ['=HYPERLINK("http://x","点我")', "@SUM(1)", "+cmd|' /C calc'!A0", "-2+3"]
HOSTILE_FILE = "=1+2学习活动.csv"
PASSWORD = "学习型机关2025年密码"


def download_sites() -> set[tuple[str, str]]:
    sites = set()
    for path in [*sorted((ROOT / "lingyi" / "ui").glob("*.py")), *sorted((ROOT / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "download_button":
                sites.add((path.relative_to(ROOT).as_posix(), ast.unparse(node.args[0])))
    return sites


def test_every_download_button_of_the_app_is_in_the_catalogue():
    assert download_sites() == set(DOWNLOAD_SITES)


class RecordedMedia(MediaFileManager):
    """The media manager of each AppTest run, kept so that the files its download buttons hold can be fetched."""

    made: ClassVar[list[RecordedMedia]] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        RecordedMedia.made.append(self)


def downloads(at: AppTest) -> dict[str, bytes]:
    """Each download button's label → the bytes a click hands out (a deferred one is generated now)."""
    media = RecordedMedia.made[-1]
    files = {}
    for button in at.get("download_button"):
        proto = button.proto
        if proto.disabled:
            continue
        url = media.execute_deferred(proto.deferred_file_id) if proto.deferred_file_id else proto.url
        files[proto.label] = media._storage.get_file(url.rsplit("/", 1)[-1]).content
    return files


def formula_cells(data: bytes) -> list[str]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [
        f"{sheet.title}!{cell.coordinate}={cell.value}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def texts(data: bytes) -> set[str]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return {cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row}


@pytest.fixture
def hostile_app(monkeypatch, tmp_path):
    """``open_page(page)``, signed in as an admin, on a store where a unit's accepted activities and its file name
    read as formulas."""
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    opened = Store(url)
    rows = f.column(f.learning_rows(4), "活动名称", HOSTILE)
    assert ingest_file(opened, f.csv_bytes(rows), HOSTILE_FILE).outcome.value == "accepted"
    auth.add_user(opened, "管理员甲", PASSWORD, auth.Role.ADMIN, by="cli")
    starting = PagesManager.__init__

    def started(manager, *args, **kwargs):
        starting(manager, *args, **kwargs)
        PagesManager.uses_pages_directory = False  # as on a running server, see tests/test_pages.py

    monkeypatch.setattr(PagesManager, "__init__", started)
    monkeypatch.setattr(app_test_module, "MediaFileManager", RecordedMedia)
    monkeypatch.setattr(RecordedMedia, "made", [])
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    monkeypatch.delenv("LINGYI_DEMO", raising=False)

    def open_page(page: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["_lingyi_session"], _ = auth.start_session(opened, auth.sign_in(opened, "管理员甲", PASSWORD))
        at.run()
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    yield open_page
    opened.engine.dispose()


def test_no_workbook_the_app_hands_out_holds_a_formula_made_of_a_units_text(hostile_app):
    offered: dict[str, dict[str, bytes]] = {}
    for page in sorted({page for page in DOWNLOAD_SITES.values() if page}):
        at = hostile_app(page)
        if page == "pages/upload.py":
            rows = f.column(f.learning_rows(2), "单位名称", ["=1+1", "@SUM(1)"])  # unknown units: rejected
            at.file_uploader(key="upload_files").upload("+错误.csv", f.csv_bytes(rows), "text/csv")
            at.run()
        offered[page] = downloads(at)
    labels = {label for files in offered.values() for label in files}
    for (_, label), page in DOWNLOAD_SITES.items():
        if page is not None and label.startswith("'"):
            assert ast.literal_eval(label) in labels
    assert {kind.name for kind in SHEET_KINDS} <= labels
    assert any(label.startswith("下载催报名单") for label in labels)
    for page, files in offered.items():
        for label, data in files.items():
            assert zipfile.is_zipfile(io.BytesIO(data)), label
            assert formula_cells(data) == [], (page, label)
    assert set(HOSTILE) <= texts(offered["pages/learning.py"]["下载 Excel"])
    assert set(HOSTILE) | {HOSTILE_FILE} <= texts(offered["pages/manage.py"]["导出全部数据（每张报表一个工作表）"])
    assert {"=1+1", "@SUM(1)"} <= texts(offered["pages/upload.py"]["下载标注了错误的原文件"])


@pytest.mark.parametrize(
    ("value", "formula_like"),
    [
        ("=1+1", True),
        ("+86 0539", True),
        ("-5", True),
        ("@SUM(A1)", True),
        ("\t=1", True),
        ("\r=1", True),
        ("临沂", False),
        ("", False),
        (5, False),
        (-5, False),
        (-0.5, False),
        (None, False),
    ],
)
def test_text_starting_like_a_formula_is_recognised_and_numbers_never_are(value, formula_like):
    assert is_formula_like(value) is formula_like


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","点我")', '\'=HYPERLINK("http://x","点我")'),
        ("+86 0539 8888888", "'+86 0539 8888888"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("临沂市民政局", "临沂市民政局"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("", ""),
        (-5, -5),
        (93.5, 93.5),
        (None, None),
    ],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe_and_the_rest_is_unchanged(value, written):
    assert escape_formula(value) == written


def test_escaped_frame_written_to_xlsx_holds_text_not_formulas():
    frame = pd.DataFrame({"=单位": ["=1+1", "民政局"], "人次": [-3, 4]})
    buffer = io.BytesIO()
    escape_frame(frame).to_excel(buffer, index=False)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells == [["'=单位", "人次"], ["'=1+1", -3], ["民政局", 4]]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_escape_frame_leaves_the_frame_it_was_given_alone():
    frame = pd.DataFrame({"名称": ["=1"]})
    escape_frame(frame)
    assert frame["名称"].tolist() == ["=1"]
