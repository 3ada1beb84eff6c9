"""Files that must be refused: each named in the message (with its row where it has one), exit 1, store unchanged."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from factories import (
    HOTLINE_HEADER,
    LEARNING_HEADER,
    PROBLEM_HEADER,
    UNIT,
    column,
    hotline_rows,
    learning_rows,
    titled,
    write_csv,
    write_xlsx,
)
from hostile import make_corpus as corpus

from lingyi.__main__ import main
from lingyi.intake.ingest import Outcome


def negative_counts(folder: Path) -> Path:
    return write_csv(folder / "负数.csv", column(learning_rows(3), "参与人次", [10, -5, 20]))


def rate_above_100(folder: Path) -> Path:
    return write_csv(folder / "热线指标.csv", [HOTLINE_HEADER, [UNIT, "2025-10", 100, "93%", "105%", "90%"]])


def unknown_unit(folder: Path) -> Path:
    return write_csv(folder / "学习活动.csv", column(learning_rows(2), "单位名称", [UNIT, "临沂市民证局"]))


def duplicate_unit_month(folder: Path) -> Path:
    rows = [*hotline_rows((202509, 202510)), [UNIT, "2025年10月", 10, "90%", "90%", "90%"]]
    return write_xlsx(folder / "热线重复.xlsx", {"热线指标": rows})


def resolved_without_date(folder: Path) -> Path:
    rows = [PROBLEM_HEADER, [UNIT, "P-1", "台账不全", "业务工作", "2025-03-01", "已化解", None, "解题"]]
    return write_csv(folder / "问题清单.csv", rows)


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def text_named_xlsx(folder: Path) -> Path:
    return _written(folder / "学习活动.xlsx", corpus.text_named_xlsx())


def html_named_xls(folder: Path) -> Path:
    path = folder / "系统导出.xls"
    path.write_text("<html><body><table><tr><td>单位名称</td></tr></table></body></html>", encoding="utf-8")
    return path


def empty_file(folder: Path) -> Path:
    path = folder / "空文件.xlsx"
    path.write_bytes(b"")
    return path


def empty_workbook(folder: Path) -> Path:
    return write_xlsx(folder / "空工作簿.xlsx", {"Sheet1": []})


def template_without_data(folder: Path) -> Path:
    return write_xlsx(folder / "空模板.xlsx", {"学习活动": titled([LEARNING_HEADER], unit=UNIT, period="2025年10月")})


def zip_bomb(folder: Path) -> Path:
    """A few hundred kilobytes that claim 64 MB of worksheet: zeros, deflated as they stream from a generator."""
    path = folder / "炸弹.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for chunk in (b"\0" * (1 << 20) for _ in range(64)):
                member.write(chunk)
    return path


def truncated_xlsx(folder: Path) -> Path:
    whole = write_xlsx(folder / "传了一半.xlsx", {"学习活动": learning_rows(20)})
    whole.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    return whole


def docx_named_xlsx(folder: Path) -> Path:
    return _written(folder / "工作总结.xlsx", corpus.docx_named_xlsx())


def encrypted_ole(folder: Path) -> Path:
    """An OLE container whose header cannot be followed, its EncryptionInfo entry found by its place instead."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    path = folder / "加密.xlsx"
    path.write_bytes(
        header + "EncryptionInfo".encode("utf-16-le") + b"\0" * 2048 + "EncryptedPackage".encode("utf-16-le")
    )
    return path


def _encrypted_package(folder: Path, name: str, *, directory_last: bool) -> Path:
    return _written(folder / name, corpus.encrypted_package(directory_last=directory_last))


def encrypted_package_directory_first(folder: Path) -> Path:
    return _encrypted_package(folder, "加密.xlsx", directory_last=False)


def encrypted_package_directory_after_it(folder: Path) -> Path:
    return _encrypted_package(folder, "加密的大文件.xlsx", directory_last=True)


def garbled_ole(folder: Path) -> Path:
    return _written(folder / "坏的.xls", corpus.garbled_ole_xls())


def binary_named_csv(folder: Path) -> Path:
    path = folder / "图片.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0\x01\x02" * 100)
    return path


def _mixed_csv(folder: Path, name: str, majority: str, other: str, at: int, rows: int = 6) -> Path:
    return _written(folder / name, corpus.mixed_csv(majority, other, at, rows))


def utf8_csv_with_a_gbk_line(folder: Path) -> Path:
    return _mixed_csv(folder, "学习活动.csv", "utf-8", "gbk", 4)


def utf8_csv_with_a_gbk_line_far_down(folder: Path) -> Path:  # past what the sniff looks at
    return _mixed_csv(folder, "学习活动.csv", "utf-8", "gbk", 150, rows=200)


def gbk_csv_with_a_utf8_line(folder: Path) -> Path:
    return _mixed_csv(folder, "学习活动.csv", "gbk", "utf-8", 3)


# (builder, what the message must say, the row it names or None)
HOSTILE = [
    (negative_counts, "第3行 I列「参与人次」 值「-5」：应为不小于0的整数。", 3),
    (rate_above_100, "第2行 E列「问题解决率」 值「105%」：比率应在0%到100%之间", 2),
    (unknown_unit, "第3行 B列「单位名称」 值「临沂市民证局」：单位名称不在名录中。您是不是要找：临沂市民政局", 3),
    (duplicate_unit_month, "第4行 B列「月份」 值「2025-10」：同一单位同一月份出现两次（另见第3行）", 4),
    (resolved_without_date, "第2行 G列「化解日期」：整改状态为「已化解」，须填写化解日期。", 2),
    (text_named_xlsx, "文件扩展名是 .xlsx，但内容不是 Excel 工作簿（看起来是文本文件）", None),
    (html_named_xls, "文件扩展名是 .xls，但内容不是 Excel 工作簿（看起来是网页（HTML）文件）", None),
    (empty_file, "文件是空的（0 字节），请重新导出后上传。", None),
    (empty_workbook, "文件中没有可识别的数据表。", None),
    (template_without_data, "文件中没有数据行", None),
    (zip_bomb, "疑似压缩炸弹，已拒绝。", None),
    (truncated_xlsx, "文件已损坏或不完整", None),
    (docx_named_xlsx, "文件是压缩包，但不是 Excel 或 ODS 工作簿（可能是 Word 文档或其他文件改了扩展名）。", None),
    (encrypted_ole, "文件设置了打开密码（已加密），系统无法读取。请取消密码后重新保存再上传。", None),
    (encrypted_package_directory_first, "文件设置了打开密码（已加密），系统无法读取。", None),
    (encrypted_package_directory_after_it, "文件设置了打开密码（已加密），系统无法读取。", None),
    (garbled_ole, "文件已损坏或格式不正确，无法读取", None),
    (binary_named_csv, "文件内容不是 Excel 工作簿或 CSV 文本，无法读取。", None),
    (utf8_csv_with_a_gbk_line, "这一行不是 UTF-8 编码（疑似混入了 GBK 文字），而文件其余各行是 UTF-8。", 4),
    (utf8_csv_with_a_gbk_line_far_down, "这一行不是 UTF-8 编码（疑似混入了 GBK 文字）", 150),
    (gbk_csv_with_a_utf8_line, "这一行不是 GBK 编码（疑似混入了 UTF-8 文字），而文件其余各行是 GBK。", 3),
]


@pytest.fixture
def seeded(store, submit, tmp_path):
    """A store that already holds an accepted return, so "unchanged" means more than "still empty"."""
    result = submit(write_xlsx(tmp_path / "earlier.xlsx", {"学习活动": titled(learning_rows(2), unit=UNIT)}))
    assert result.outcome is Outcome.ACCEPTED
    return store


@pytest.mark.parametrize(("build", "message", "row"), HOSTILE, ids=[h[0].__name__ for h in HOSTILE])
def test_hostile_file_is_refused_naming_file_and_row_and_the_store_is_unchanged(
    seeded, submit, tmp_path, build, message, row
):
    (tmp_path / "in").mkdir()
    path = build(tmp_path / "in")
    history, version = seeded.history().to_dict("list"), seeded.data_version()

    result = submit(path)
    assert result.outcome is Outcome.REJECTED
    assert result.submission_ids == []
    (error,) = [e for e in result.errors if message in str(e)]
    assert str(error).startswith(f"错误：文件「{path.name}」")
    assert error.row == row

    assert seeded.history().to_dict("list") == history
    assert seeded.data_version() == version


@pytest.mark.parametrize(("build", "message", "row"), HOSTILE, ids=[h[0].__name__ for h in HOSTILE])
def test_ingest_of_a_hostile_file_exits_1_and_says_why(seeded, capsys, tmp_path, build, message, row):
    (tmp_path / "in").mkdir()
    path = build(tmp_path / "in")
    version = seeded.data_version()
    capsys.readouterr()
    assert main(["ingest", str(path), "--db", seeded.url]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(f"rejected  {path.name}  有错误，未入库")
    assert any(line.startswith(f"错误：文件「{path.name}」") and message in line for line in out.splitlines())
    assert out.splitlines()[-1] == "共 1 个文件：入库 0，无变化 0，拒收 1。"
    assert seeded.data_version() == version
