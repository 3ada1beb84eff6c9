"""Broken and hostile return files, each with its expected outcome in ``expected.csv`` beside this script.

``python tests/hostile/make_corpus.py`` writes the small ones to ``tests/hostile/files/`` (they are
committed, so the corpus stays the same bytes whatever library versions make it next time; every zip entry and
workbook timestamp is pinned, so making them again changes nothing). The big ones — zip bombs, a million rows
(numbered, or empty and styled), a file over the size cap — are made by ``make_big(folder)`` when the test runs.
The encrypted workbook needs ``msoffcrypto-tool`` (``pip install msoffcrypto-tool``); without it the committed
file is kept. ``expected.csv`` gives each file's outcome, a part of its message, and for a refused one whether
the upload page offers a marked copy of it (``xlsx``) or its error list only (``none``).
"""

from __future__ import annotations

import functools
import io
import os
import re
import struct
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
EXPECTED = HERE / "expected.csv"
sys.path[:0] = [str(HERE.parent), str(HERE.parent.parent)]  # tests/ for factories, the project for lingyi

import openpyxl  # noqa: E402
import xlwt  # noqa: E402
from factories import (  # noqa: E402
    LEARNING_HEADER,
    UNIT,
    column,
    compound_file,
    csv_bytes,
    learning_rows,
    titled,
    write_ods,
    write_xls,
    write_xlsx,
)

from sample_data.grids import SAVED_AT, pin_zip  # noqa: E402

Builder = Callable[[], bytes]


def _xlsx(sheets, **options) -> bytes:
    # A folder of its own: two test workers may build the corpus at the same time.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.xlsx"
        write_xlsx(path, sheets, **options)
        return path.read_bytes()


def _good_sheets() -> dict:
    return {"学习活动": titled(learning_rows(3), unit=UNIT, period="2025年10月")}


def _good_xlsx() -> bytes:
    return _xlsx(_good_sheets())


def _member(name: str, compress_type: int = zipfile.ZIP_STORED) -> zipfile.ZipInfo:
    """A zip entry stamped with a fixed time, so that the corpus is the same bytes whenever it is made."""
    info = zipfile.ZipInfo(name, date_time=SAVED_AT.timetuple()[:6])
    info.compress_type = compress_type
    return info


def _rezip(data: bytes, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    """The zip ``data`` with each member passed through ``change`` (None drops it) and ``extra`` members added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info))
            if content is not None:
                target.writestr(_member(info.filename, zipfile.ZIP_DEFLATED), content)
        for name, content in (extra or {}).items():
            target.writestr(_member(name, zipfile.ZIP_DEFLATED), content)
    return out.getvalue()


def _sheet_xml(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    return _rezip(data, lambda name, content: change(content) if name == "xl/worksheets/sheet1.xml" else content)


# -- not what the name says ------------------------------------------------------------------------------------


def text_named_xlsx() -> bytes:
    return csv_bytes(learning_rows(2))


def html_named_xls() -> bytes:
    return "<html><body><table><tr><td>单位名称</td><td>参与人次</td></tr></table></body></html>".encode()


def png_named_xlsx() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def pdf_named_xlsx() -> bytes:
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"\x00\x01\x02\xff" * 200


def exe_named_xls() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 512


def docx_named_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(_member("[Content_Types].xml"), "<Types/>")
        archive.writestr(_member("word/document.xml"), "<w:document>学习活动</w:document>")
    return out.getvalue()


def zip_of_csv_named_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_member("学习活动.csv", zipfile.ZIP_DEFLATED), csv_bytes(learning_rows(2)))
    return out.getvalue()


def xlsb_named_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(_member("[Content_Types].xml"), "<Types/>")
        archive.writestr(_member("xl/workbook.bin"), b"\x83\x01\x00" * 10)
    return out.getvalue()


def xlsb_suffix() -> bytes:
    return xlsb_named_xlsx()


def docx_suffix() -> bytes:
    return docx_named_xlsx()


def binary_named_csv() -> bytes:
    return b"\x00\x01\x02\x03" * 300


def utf16_csv() -> bytes:
    return "\n".join(",".join(map(str, row)) for row in learning_rows(2)).encode("utf-16")


# -- broken ----------------------------------------------------------------------------------------------------


def empty_xlsx() -> bytes:
    return b""


def truncated_xlsx() -> bytes:
    data = _xlsx({"学习活动": learning_rows(40)})
    return data[: len(data) // 2]


def truncated_xls() -> bytes:
    path = FILES / ".tmp.xls"
    write_xls(path, {"学习活动": learning_rows(40)})
    data = path.read_bytes()
    path.unlink()
    return data[: len(data) // 2]


def truncated_ods() -> bytes:
    path = FILES / ".tmp.ods"
    write_ods(path, {"学习活动": learning_rows(40)})
    data = path.read_bytes()
    path.unlink()
    return data[: len(data) * 2 // 3]


def zip_header_only_xlsx() -> bytes:
    return b"PK\x03\x04" + b"\x00" * 60


def garbled_ole_xls() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8


def missing_sheet_member_xlsx() -> bytes:
    return _rezip(_good_xlsx(), lambda name, content: None if name == "xl/worksheets/sheet1.xml" else content)


def broken_sheet_xml_xlsx() -> bytes:
    return _sheet_xml(_good_xlsx(), lambda xml: xml.replace(b"</sheetData>", b"<row><c><v>1</sheetData>"))


def empty_workbook_xlsx() -> bytes:
    return _xlsx({"Sheet1": []})


def template_without_data_xlsx() -> bytes:
    return _xlsx({"学习活动": titled([LEARNING_HEADER], unit=UNIT, period="2025年10月")})


def only_hidden_sheet_xlsx() -> bytes:
    return _xlsx({"填报说明": [["请在「学习活动」表中填写"]], **_good_sheets()}, hidden=("学习活动",))


def header_only_csv() -> bytes:
    return csv_bytes([LEARNING_HEADER])


def nul_in_csv() -> bytes:
    """A NUL character inside an activity name, past the first 4 KB that decide the file is text."""
    rows = column(learning_rows(200), "活动名称", ["读书会"] * 199 + ["读书会\x00第二期"])
    return csv_bytes(rows)


def huge_field_csv() -> bytes:
    rows = column(learning_rows(2), "活动名称", ["读" * 140_000, "讲座"])  # over csv's field limit of 131,072
    return csv_bytes(rows)


def unclosed_quote_csv() -> bytes:
    return csv_bytes(learning_rows(3)) + '"临沂市民政局,未闭合的引号\r\n'.encode()


# -- locked ----------------------------------------------------------------------------------------------------


def encrypted_xlsx() -> bytes:
    """A real password-protected workbook (Agile encryption, password 1234), as Excel writes it."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_good_xlsx())).encrypt("1234", out)
    return out.getvalue()


def encrypted_xls() -> bytes:
    """An old-Excel workbook whose stream starts with a FILEPASS record (RC4 encryption), as Excel 97–2003 writes it."""
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("学习活动")
    for r, row in enumerate(learning_rows(3)):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    stream = workbook.get_biff_data()
    bof_length = struct.unpack_from("<H", stream, 2)[0]
    at = 4 + bof_length
    filepass = struct.pack("<HHH", 1, 1, 1) + bytes(range(48))  # RC4: type, version, salt, verifier, hash
    stream = stream[:at] + struct.pack("<HH", 0x002F, len(filepass)) + filepass + stream[at:]
    out = io.BytesIO()
    xlwt.CompoundDoc.XlsDoc().save(out, stream)
    return out.getvalue()


# -- too large, made small -------------------------------------------------------------------------------------


def _one_sheet(rows, cells: dict[str, object] | None = None, *, as_text: bool = False) -> bytes:
    """A 学习活动 sheet of ``rows`` written by openpyxl, then ``cells`` ({"I5": "=G5+H5"}) written over it.

    openpyxl saves text that starts with = as a formula without its result; with ``as_text`` every such cell is
    saved as the plain string it is, as Excel saves what a unit typed after an apostrophe or pasted as text."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "学习活动"
    for row in rows:
        sheet.append(row)
    for ref, value in (cells or {}).items():
        sheet[ref] = value
    if as_text:
        for cell in (cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"):
            cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return pin_zip(out.getvalue())


def far_cell_xlsx() -> bytes:
    """Five kilobytes whose one value in ZZ200000 would make the reader allocate 4.5 GB."""
    return _one_sheet(titled(learning_rows(2), unit=UNIT, period="2025年10月"), {"ZZ200000": "x"})


def far_cell_lying_dimension_xlsx() -> bytes:
    """The same, with the sheet's <dimension> claiming A1:J8 and the far cell's row written without r=."""
    data = far_cell_xlsx()

    def change(xml: bytes) -> bytes:
        start = xml.index(b"<dimension")
        xml = xml[:start] + b'<dimension ref="A1:J8"/>' + xml[xml.index(b">", start) + 1 :]
        return xml.replace(b'<row r="200000">', b"<row>")

    return _sheet_xml(data, change)


def repeated_cells_ods() -> bytes:
    """An OpenDocument sheet whose one filled cell is repeated over 100,000 rows and 1,000 columns."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="学习活动">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>单位名称</text:p>'
        "</table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="100000">'
        '<table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1">'
        "<text:p>1</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(_member("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(_member("content.xml", zipfile.ZIP_DEFLATED), content)
    return out.getvalue()


# -- formulas --------------------------------------------------------------------------------------------------


def _with_formulas(cells: dict[str, str]) -> bytes:
    """The good return with formulas written into ``cells`` (openpyxl saves no computed results)."""
    return _one_sheet(_good_sheets()["学习活动"], cells)


def uncached_formula_xlsx() -> bytes:
    return _with_formulas({"I5": "=SUM(G5:H5)*10", "I6": "=G6+H6"})


def cached_formula_xlsx() -> bytes:
    """Formulas as Excel saves them: each with its computed result in <v>."""
    data = _with_formulas({"I5": "=SUM(G5:H5)*10"})
    return _sheet_xml(data, lambda xml: xml.replace(b"<f>SUM(G5:H5)*10</f><v></v>", b"<f>SUM(G5:H5)*10</f><v>40</v>"))


def uncached_formula_in_notes_xlsx() -> bytes:
    """A formula without result in a column the return contract does not read (序号) counts for nothing."""
    return _with_formulas({"A5": "=ROW()-3"})


# -- macros and tricks in text ---------------------------------------------------------------------------------

_VBA = b"\xcc\x61" + b'Attribute VB_Name = "Module1"\r\nSub Auto_Open()\r\nShell "calc.exe"\r\nEnd Sub\r\n'


def with_macros(data: bytes, vba: bytes = _VBA) -> bytes:
    """The workbook ``data`` made into a macro workbook as Excel saves one: its macro project ``vba`` in
    xl/vbaProject.bin, named by the workbook's relationships and the content types."""

    def change(name: str, content: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return content.replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
            ).replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            )
        if name == "xl/_rels/workbook.xml.rels":
            return content.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
                b' Target="vbaProject.bin"/></Relationships>',
            )
        return content

    return _rezip(data, change, {"xl/vbaProject.bin": vba})


def macro_xlsm() -> bytes:
    return with_macros(_good_xlsx())


def macro_renamed_xlsx() -> bytes:
    return macro_xlsm()


def macro_xlsm_with_an_error() -> bytes:
    """A macro workbook with a negative count: rejected, and its marked copy must come back without the macros."""
    rows = column(learning_rows(3), "参与人次", [10, -5, 20])
    return with_macros(_xlsx({"学习活动": titled(rows, unit=UNIT, period="2025年10月")}))


def script_unit_name_csv() -> bytes:
    return csv_bytes(column(learning_rows(2), "单位名称", [UNIT, "<script>alert('临沂')</script>"]))


def html_sheet_name_xlsx() -> bytes:
    return _xlsx({"学习<b onclick=alert(1)>": learning_rows(2)})


def formula_text_in_cells_csv() -> bytes:
    """Text a spreadsheet would run, in free-text cells: stored as the text it is."""
    names = ['=HYPERLINK("http://example.invalid","点此领奖")', "@SUM(1+1)*cmd|' /C calc'!A0"]
    return csv_bytes(column(learning_rows(2), "活动名称", names))


# Each start a spreadsheet takes as a formula: = + - @, and a tab or carriage return before one.
FORMULA_TEXTS = (
    '=HYPERLINK("http://example.invalid","点此领奖")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
)


def _formula_text_rows(counts: list[int] | None = None):
    rows = column(learning_rows(len(FORMULA_TEXTS)), "活动名称", list(FORMULA_TEXTS))
    return rows if counts is None else column(rows, "参与人次", counts)


def formula_starts_xlsx() -> bytes:
    """Activity names that start like formulas, saved as the text they are: accepted, and exported as text."""
    return _one_sheet(titled(_formula_text_rows(), unit=UNIT, period="2025年10月"), as_text=True)


def formula_starts_with_an_error_csv() -> bytes:
    """The same names in a return with a negative count: rejected, and its marked copy holds them as text."""
    return csv_bytes(_formula_text_rows([10, 20, -5, 30, 40, 50]))


def long_unit_name_csv() -> bytes:
    return csv_bytes(column(learning_rows(2), "单位名称", [UNIT, "临沂市" * 1000]))


def billion_laughs_xlsx() -> bytes:
    """workbook.xml with nested entities that expand to gigabytes if a parser expands them."""
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
        )
        + b"]>"
    )

    def change(name: str, content: bytes) -> bytes:
        if name == "xl/workbook.xml":
            body = content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content
            return bomb + body.replace(
                b"</sheets>", b'</sheets><definedNames><definedName name="x">&lol9;</definedName></definedNames>', 1
            )
        return content

    return _rezip(_good_xlsx(), change)


def legacy_csv_gbk() -> bytes:
    return csv_bytes(learning_rows(2), "gbk")


def mixed_csv(majority: str, other: str, at: int, rows: int = 6) -> bytes:
    """A learning return in ``majority`` whose line ``at`` (1-based, under the header) was saved in ``other``."""
    lines = csv_bytes(learning_rows(rows), majority).split(b"\r\n")
    lines[at - 1] = lines[at - 1].decode(majority).encode(other)
    return b"\r\n".join(lines)


def encrypted_package(*, directory_last: bool) -> bytes:
    """An encrypted workbook as a compound file: its EncryptionInfo and a 100 KB EncryptedPackage, the directory
    naming them before the package or after it (as Excel writes a big one)."""
    streams = {
        "EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00".ljust(4096, b"\0"),
        "EncryptedPackage": bytes(100_000),
    }
    return compound_file(streams, directory_last=directory_last)


# -- counts out of range ---------------------------------------------------------------------------------------


def count_out_of_range(value: object, suffix: str) -> bytes:
    """A learning return whose second activity counts ``value`` people: as a number in a workbook where it is one,
    as text where it is text, as written in a CSV."""
    rows = column(learning_rows(3), "参与人次", [10, value, 20])
    if suffix == ".csv":
        return csv_bytes(rows)
    return _xlsx({"学习活动": titled(rows, unit=UNIT, period="2025年10月")})


SMALL: dict[str, Builder] = {
    "文本冒充.xlsx": text_named_xlsx,
    "网页导出.xls": html_named_xls,
    "图片.xlsx": png_named_xlsx,
    "PDF文档.xlsx": pdf_named_xlsx,
    "可执行程序.xls": exe_named_xls,
    "Word文档.xlsx": docx_named_xlsx,
    "压缩的CSV.xlsx": zip_of_csv_named_xlsx,
    "二进制工作簿.xlsx": xlsb_named_xlsx,
    "二进制工作簿.xlsb": xlsb_suffix,
    "总结.docx": docx_suffix,
    "乱码.csv": binary_named_csv,
    "UTF16.csv": utf16_csv,
    "空文件.xlsx": empty_xlsx,
    "传了一半.xlsx": truncated_xlsx,
    "传了一半.xls": truncated_xls,
    "传了一半.ods": truncated_ods,
    "只有文件头.xlsx": zip_header_only_xlsx,
    "坏的OLE.xls": garbled_ole_xls,
    "缺工作表.xlsx": missing_sheet_member_xlsx,
    "工作表XML损坏.xlsx": broken_sheet_xml_xlsx,
    "空工作簿.xlsx": empty_workbook_xlsx,
    "空模板.xlsx": template_without_data_xlsx,
    "只有隐藏表.xlsx": only_hidden_sheet_xlsx,
    "只有表头.csv": header_only_csv,
    "含NUL.csv": nul_in_csv,
    "引号未闭合.csv": unclosed_quote_csv,
    "加密.xlsx": encrypted_xlsx,
    "加密.xls": encrypted_xls,
    "远端单元格.xlsx": far_cell_xlsx,
    "远端单元格谎报范围.xlsx": far_cell_lying_dimension_xlsx,
    "重复单元格.ods": repeated_cells_ods,
    "公式无结果.xlsx": uncached_formula_xlsx,
    "公式有结果.xlsx": cached_formula_xlsx,
    "序号列公式无结果.xlsx": uncached_formula_in_notes_xlsx,
    "带宏.xlsm": macro_xlsm,
    "宏改扩展名.xlsx": macro_renamed_xlsx,
    "脚本单位名.csv": script_unit_name_csv,
    "网页标签表名.xlsx": html_sheet_name_xlsx,
    "公式注入文本.csv": formula_text_in_cells_csv,
    "超长单位名.csv": long_unit_name_csv,
    "实体炸弹.xlsx": billion_laughs_xlsx,
    "GBK编码.csv": legacy_csv_gbk,
    "公式开头文本.xlsx": formula_starts_xlsx,
    "公式开头文本有错误.csv": formula_starts_with_an_error_csv,
    "带宏有错误.xlsm": macro_xlsm_with_an_error,
    "人次1e308.xlsx": functools.partial(count_out_of_range, 1e308, ".xlsx"),
    "人次1e19.csv": functools.partial(count_out_of_range, "1e19", ".csv"),
    "人次文本9223372036854775808.xlsx": functools.partial(count_out_of_range, "9223372036854775808", ".xlsx"),
    "人次超过十亿.csv": functools.partial(count_out_of_range, 1_000_000_001, ".csv"),
    "UTF8混入GBK行.csv": functools.partial(mixed_csv, "utf-8", "gbk", 4),
    "UTF8第150行是GBK.csv": functools.partial(mixed_csv, "utf-8", "gbk", 150, rows=200),
    "加密的大文件.xlsx": functools.partial(encrypted_package, directory_last=True),
}


# -- big: made when the test runs ------------------------------------------------------------------------------


def zip_bomb_xlsx() -> bytes:
    """A hundred kilobytes that inflate to 100 MB of worksheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(100):
                member.write(b" " * (1 << 20))
    return out.getvalue()


def lying_zip_xlsx() -> bytes:
    """A worksheet that says it is 1,000 bytes but inflates to 64 MB: the reader must stop at what it says."""
    data = bytearray(
        _sheet_xml(_good_xlsx(), lambda xml: xml.replace(b"<sheetData>", b" " * (64 << 20) + b"<sheetData>"))
    )
    name = b"xl/worksheets/sheet1.xml"
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, 1000)
            struct.pack_into("<I", data, struct.unpack_from("<I", data, at + 42)[0] + 22, 1000)
        at += 4
    return bytes(data)


def many_members_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_good_xlsx())) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
        for i in range(10_001):
            archive.writestr(f"xl/media/{i}.bin", b"")
    return out.getvalue()


def over_size_cap_xlsx() -> bytes:
    """51 MB, over the default cap of 50 MB."""
    return _good_xlsx() + os.urandom(51 * 1024 * 1024)


LAST_ROW = 1_048_576  # Excel's last row


def _around_the_rows(xml: bytes) -> tuple[bytes, bytes]:
    head, _, tail = xml.partition(b"</sheetData>")
    return head, b"</sheetData>" + tail


def rows_down_to_the_last(
    data: bytes, row: bytes, sheet: Callable[[bytes], tuple[bytes, bytes]] = _around_the_rows
) -> bytes:
    """The workbook ``data`` with its first worksheet's rows followed by ``row`` (``%d`` for the row number) down to
    Excel's last row, written straight as XML in blocks into a compressed member (openpyxl would take minutes).
    ``sheet`` gives the worksheet XML before those rows (ending with its last row) and after them: by default the
    sheet's own, up to and from its </sheetData>."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, source.read(info))
                continue
            head, tail = sheet(source.read(info))
            last = max(map(int, re.findall(rb'<row r="([0-9]+)"', head)))
            with archive.open(info.filename, "w", force_zip64=True) as member:
                member.write(head)
                for start in range(last + 1, LAST_ROW + 1, 16_384):
                    member.write(
                        b"".join(row.replace(b"%d", b"%d" % r) for r in range(start, min(start + 16_384, LAST_ROW + 1)))
                    )
                member.write(tail)
    return out.getvalue()


def million_rows_xlsx() -> bytes:
    """A worksheet of 1,048,576 rows, each with a number in A."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\x8d\x95\xe4\xbd\x8d\xe5\x90\x8d\xe7\xa7\xb0</t>'
        b"</is></c></row>"
    )
    return rows_down_to_the_last(
        _good_xlsx(), b'<row r="%d"><c r="A%d"><v>%d</v></c></row>', lambda _: (head, b"</sheetData></worksheet>")
    )


def styled_empty_rows_xlsx() -> bytes:
    """The good return with every row under it, down to the sheet's last, empty but styled: what formatting a whole
    column saves. Three activities, read in a second or two."""
    return rows_down_to_the_last(_good_xlsx(), b'<row r="%d" s="1" customFormat="1"/>')


def million_rows_csv() -> bytes:
    line = f"{UNIT},读书会,2025-10-09,10\n".encode()
    return "单位名称,活动名称,日期,参与人次\n".encode() + line * 1_000_000


BIG: dict[str, Builder] = {
    "压缩炸弹.xlsx": zip_bomb_xlsx,
    "谎报大小的压缩包.xlsx": lying_zip_xlsx,
    "条目过多.xlsx": many_members_xlsx,
    "超过大小上限.xlsx": over_size_cap_xlsx,
    "百万行.xlsx": million_rows_xlsx,
    "百万空行带格式.xlsx": styled_empty_rows_xlsx,
    "百万行.csv": million_rows_csv,
    "超长字段.csv": huge_field_csv,
}


def make_big(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, build in BIG.items():
        path = folder / name
        path.write_bytes(build())
        paths.append(path)
    return paths


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for name, build in SMALL.items():
        try:
            data = build()
        except ImportError as missing:
            print(f"kept {name}: {missing}")
            continue
        (FILES / name).write_bytes(data)
        print(f"{len(data):>9,}  {name}")


if __name__ == "__main__":
    main()
