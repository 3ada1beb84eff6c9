"""Any return file → raw tables: the sheet kind known, the header found, totals and footers set aside (spec §2).

The file's bytes decide how it is read, not its name: a workbook is read with
python-calamine (each sheet once, as raw rows, the header found in memory), a text
file as CSV in UTF-8, UTF-8 with BOM or GBK/GB18030. Nothing here judges values;
that is ``validation``'s work.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import itertools
import os
import posixpath
import re
import struct
import zipfile
import zlib
from bisect import bisect_right
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from pathlib import PurePath
from xml.etree import ElementTree

import numpy as np
import python_calamine
import xlrd
from rapidfuzz import fuzz

from lingyi.contract import (
    FOOTER_LABELS,
    INFO_KEYS,
    INFO_SHEET,
    KIND_KEYWORD_ORDER,
    SHEET_KINDS,
    TOTAL_LABELS,
    SheetKind,
    ValueKind,
)
from lingyi.errors import FileRejected, Finding, Level
from lingyi.registry import normalise
from lingyi.values import (
    COUNT_SUFFIXES,
    UTF16_BOMS,
    BadValue,
    CellError,
    clean_text,
    column_letter,
    decode_text,
    mixed_encoding,
    parse_period,
)

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".txt"})
ACCEPTED_SUFFIXES = WORKBOOK_SUFFIXES | TEXT_SUFFIXES

# Limits an administrator may set in the environment; read on every file, so a change needs no restart.
MAX_UPLOAD_MB_VARIABLE = "LINGYI_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 50
MAX_ROWS_VARIABLE = "LINGYI_MAX_ROWS"
# A consolidated return of all 108 units for a year has some thousands of rows; a ledger of a million rows
# still ingests in under 2 GB (bench/README.md). Past that, a sheet is refused before it is read; a shared
# server may set a lower cap.
DEFAULT_MAX_ROWS = 1_100_000
# The used area of a sheet (rows × columns up to its farthest filled cell) is allocated at once by the reader:
# a 5 KB file with one value in cell ZZ200000 would ask for 4.5 GB. A ledger of 1,100,000 rows × 10 columns fits.
MAX_SHEET_CELLS = 12_000_000
# A real workbook's XML compresses about 5–20 times; a zip bomb, a thousand times and more.
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FROM_BYTES = 50 * 1024**2
MAX_ZIP_MEMBERS = 10_000

MAX_UNBROKEN_XML_BYTES = 32 * 1024**2  # one worksheet row this long is no return
MAX_LISTED_FORMULAS = 20
# Error cells (#DIV/0! …) are kept by position to be put back where the reader leaves them empty; past this many in
# one sheet (a hostile file, or a whole column of broken formulas) the sheet is refused.
MAX_ERROR_CELLS = 100_000

HEADER_SEARCH_ROWS = 30
SKIPPED_SHEET_WORDS = ("说明", "字典", "目录", "填表须知", "示例")

_SPACES = re.compile(r"\s+")
_BRACKETED_SUFFIX = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]$")
_BRACKETED_UNIT = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]|%")
_INFO_KEY_NAMES = {name: key for key, names in INFO_KEYS.items() for name in names}
_INFO_PATTERN = re.compile(
    r"("
    + "|".join(sorted(map(re.escape, [*_INFO_KEY_NAMES, "审核人", "填报日期", "填表日期"]), key=len, reverse=True))
    + r")"
    r"\s*(?:[(（][^)）]*[)）])?\s*[:：]\s*"
)


@dataclass(frozen=True)
class HeaderColumn:
    index: int  # 0-based column index
    header: str  # the header as the file wrote it (both rows of a two-row header)
    by_alias: bool  # matched by an alias rather than the canonical name


@dataclass(frozen=True)
class InfoCell:
    """Where a 填报单位, 报送期间 … was read: a title line above a table or the 基本信息 sheet."""

    sheet: str
    row: int  # Excel row number
    column: int  # 0-based column index
    label: str  # the label as the file wrote it: 报送单位, 报送期间 …


@dataclass
class RawTable:
    file: str
    sheet: str
    kind: SheetKind
    header_row: int  # Excel row number of the (last) header row
    columns: dict[str, HeaderColumn]  # contract column key → where it is
    rows: list[tuple[int, list]]  # (Excel row number, cells) of the data rows
    totals: list[tuple[int, str, list]]  # (Excel row number, 合计/总计/小计, cells)
    info: dict[str, str] = field(default_factory=dict)  # 填报单位, 报送期间 … from the lines above the header
    info_cells: dict[str, InfoCell] = field(default_factory=dict)  # where each of ``info`` was read


def max_file_bytes() -> int:
    return int(_limit(MAX_UPLOAD_MB_VARIABLE, DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024)


def max_rows() -> int:
    return int(_limit(MAX_ROWS_VARIABLE, DEFAULT_MAX_ROWS))


def _limit(variable: str, default: float) -> float:
    try:
        value = float(os.environ.get(variable, default))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass
class SheetScan:
    """What a worksheet's XML says before the reader allocates it: its used area and formulas without results."""

    rows: int = 0  # the last row number with a filled cell
    columns: int = 0  # the last column number with a filled cell
    uncached: list[tuple[int, int, str]] = field(default_factory=list)  # (row, 0-based column, formula)
    uncached_count: int = 0
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (row, 0-based column, 「#DIV/0!」)


@dataclass
class ReadFile:
    name: str
    tables: list[RawTable]
    info: dict[str, str]  # from the 基本信息 sheet, or the first title line that gives it
    findings: list[Finding]
    info_cells: dict[str, InfoCell] = field(default_factory=dict)  # where each of ``info`` was read


class WorkbookZip:
    """A workbook's zip, opened once, and the parts of it read whole so far: the ticket sniff reads the sheets the
    reader scans next, and the second look at them costs nothing."""

    def __init__(self, data: bytes):
        self.data = data
        self._archive: zipfile.ZipFile | None = None
        self.whole: dict[str, bytes] = {}  # member name → its bytes, their size and CRC checked

    def archive(self) -> zipfile.ZipFile:
        """The zip, raising as ``zipfile.ZipFile`` raises on bytes that are none."""
        if self._archive is None:
            self._archive = zipfile.ZipFile(io.BytesIO(self.data))
        return self._archive

    def head(self, member: str, size: int) -> bytes:
        """A member's first ``size`` bytes; a member no bigger is read whole, and kept."""
        archive = self.archive()
        if archive.getinfo(member).file_size > size:
            with archive.open(member) as stream:
                return stream.read(size)
        if member not in self.whole:
            self.whole[member] = archive.read(member)
        return self.whole[member]


def read_file(data: bytes, file_name: str, *, opened: WorkbookZip | None = None) -> ReadFile:
    """Read one return; a file that cannot be read at all raises ``FileRejected``. ``opened``: its zip, where
    something looked into it before."""
    name = PurePath(file_name).name
    suffix = PurePath(file_name).suffix.lower()

    def reject(message: str) -> FileRejected:
        return FileRejected(Finding(Level.ERROR, name, message))

    if suffix not in ACCEPTED_SUFFIXES:
        raise reject(f"不支持 {suffix or '无扩展名'} 文件；请上传 .xlsx、.xlsm、.xls、.ods 或 .csv 文件。")
    if not data:
        raise reject("文件是空的（0 字节），请重新导出后上传。")
    if len(data) > max_file_bytes():
        raise reject(
            f"文件大小 {len(data) / 1024**2:.1f} MB，超过上限 {max_file_bytes() / 1024**2:.0f} MB；请拆分后上传。"
        )

    container = _sniff(data)
    if container == "text":
        if suffix not in TEXT_SUFFIXES:
            looks = "网页（HTML）" if data.lstrip()[:1] == b"<" else "文本"
            raise reject(
                f"文件扩展名是 {suffix}，但内容不是 Excel 工作簿（看起来是{looks}文件）。"
                "请用 Excel 或 WPS 打开后「另存为」.xlsx 再上传。"
            )
        return _read_csv(data, name)
    if container == "binary":
        raise reject(f"文件内容不是 Excel 工作簿或 CSV 文本，无法读取。请确认文件是 {suffix} 格式且未损坏。")
    if container == "encrypted":
        raise reject("文件设置了打开密码（已加密），系统无法读取。请取消密码后重新保存再上传。")
    scans: dict[str, SheetScan] = {}
    notices: list[Finding] = []
    if container == "zip":
        opened = opened or WorkbookZip(data)
        archive = _check_zip(data, reject, opened)
        scans = _scan_zip(archive, reject, opened.whole)
        if any(m.rpartition("/")[2].lower() == "vbaproject.bin" for m in archive.namelist()):
            notices.append(
                Finding(
                    Level.NOTICE,
                    name,
                    "文件含有宏（VBA 代码）。系统只读取单元格中的数据，从不运行宏；系统导出的文件不含宏。",
                )
            )
    elif container == "ole":
        scans = _scan_xls(data, reject)
    read = _read_workbook(data, name, reject, scans)
    read.findings[:0] = notices
    return read


_BIFF8_WORKBOOK_BOF = b"\x09\x08\x10\x00\x00\x06\x05\x00"  # record 0x0809, 16 bytes, BIFF8, globals


def _sniff(data: bytes) -> str:
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        # An encrypted .xlsx is an OLE container holding an EncryptionInfo stream, its directory wherever it is.
        if _ENCRYPTION_STREAMS & _compound_file_names(data):
            return "encrypted"
        # An encrypted .xls: its workbook stream's BOF record is followed at once by a FILEPASS record.
        bof = data.find(_BIFF8_WORKBOOK_BOF, 512, 65536)
        if bof >= 0 and data[bof + 20 : bof + 22] == b"\x2f\x00":
            return "encrypted"
        return "ole"
    head = data[:4096]
    if head.startswith(UTF16_BOMS):
        return "text"
    if b"\x00" in head:
        return "binary"
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return "text"
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # cut through a multi-byte character at the edge
                return "text"
    # Text still where each whole line is one or the other: a UTF-8 export with a line pasted from a GBK one.
    lines = head.split(b"\n")[:-1]
    return "text" if lines and all(map(_utf8_or_gbk, lines)) else "binary"


_ENCRYPTION_STREAMS = frozenset({"EncryptionInfo", "EncryptedPackage"})
_CFB_LAST_SECTOR = 0xFFFFFFFA  # sector numbers from here on mark ends of chains and free sectors
_CFB_ENTRY_BYTES = 128


def _compound_file_names(data: bytes) -> set[str]:
    """The names in an OLE2 compound file's directory, read by following its chain of sectors through the FAT: the
    directory may sit anywhere in the file (after a big package, at the very end). Where the header or the FAT
    cannot be followed, the names of the entries found by their place (every entry starts at a multiple of 128
    bytes) that are one of ``_ENCRYPTION_STREAMS``."""
    names = set()
    try:
        shift, _, _, fat_count, directory = struct.unpack_from("<HH6xIII", data, 0x1E)
        if shift not in (9, 12):
            raise ValueError("no sector size")
        size = 1 << shift
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _CFB_LAST_SECTOR]
        difat, next_difat = struct.unpack_from("<II", data, 0x44)[0], 0
        while difat < _CFB_LAST_SECTOR and len(fat_sectors) < fat_count and next_difat < 1 << 16:
            entries = struct.unpack_from(f"<{size // 4}I", data, (difat + 1) * size)
            fat_sectors += [s for s in entries[:-1] if s < _CFB_LAST_SECTOR]
            difat, next_difat = entries[-1], next_difat + 1
        fat = b"".join(data[(s + 1) * size : (s + 2) * size] for s in fat_sectors[:fat_count])
        chain = struct.unpack(f"<{len(fat) // 4}I", fat[: len(fat) // 4 * 4])
        seen = set()
        while directory < len(chain) and directory not in seen:
            seen.add(directory)
            sector = data[(directory + 1) * size : (directory + 2) * size]
            for start in range(0, len(sector) - _CFB_ENTRY_BYTES + 1, _CFB_ENTRY_BYTES):
                (length,) = struct.unpack_from("<H", sector, start + 64)
                if 2 <= length <= 64 and length % 2 == 0:
                    names.add(sector[start : start + length - 2].decode("utf-16-le", "replace"))
            directory = chain[directory]
    except (struct.error, ValueError):
        names = set()
    if names:
        return names
    for name in _ENCRYPTION_STREAMS:
        encoded = name.encode("utf-16-le") + b"\0\0"
        at = data.find(encoded)
        while at >= 0 and at % _CFB_ENTRY_BYTES:
            at = data.find(encoded, at + 1)
        if at >= 0:
            names.add(name)
    return names


def _utf8_or_gbk(line: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            line.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _check_zip(data: bytes, reject, opened: WorkbookZip | None = None) -> zipfile.ZipFile:
    try:
        archive = (opened or WorkbookZip(data)).archive()
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise reject("文件已损坏或不完整（压缩结构无法打开），请重新保存后上传。") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise reject("文件内部结构异常（条目过多），疑似恶意文件，已拒绝。")
    total = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    if total > MAX_UNCOMPRESSED_BYTES or (total > RATIO_CHECK_FROM_BYTES and total / packed > MAX_COMPRESSION_RATIO):
        raise reject(
            f"文件解压后达 {total / 1024**2:,.0f} MB（压缩比 {total / packed:,.0f} 倍），疑似压缩炸弹，已拒绝。"
        )
    names = {m.filename for m in members}
    if "xl/workbook.bin" in names:
        raise reject(
            "文件是 Excel 二进制工作簿（.xlsb），系统不读取这种格式。请用 Excel 打开后「另存为」.xlsx 再上传。"
        )
    if "xl/workbook.xml" in names:
        return archive
    if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
        return archive
    raise reject("文件是压缩包，但不是 Excel 或 ODS 工作簿（可能是 Word 文档或其他文件改了扩展名）。")


# -- a cheap look at a workbook's XML before the reader allocates its sheets --------------------------------------

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_ROW_OR_CELL = re.compile(rb"<" + _PREFIX + rb"(row|c)\b([^>]*)>")
_CELL_END = re.compile(rb"</" + _PREFIX + rb"c>")
# A row ends at its closing tag, or is one tag: an empty row that carries only a style (``<row r="9" s="1"/>``).
_ROW_END = re.compile(rb"</" + _PREFIX + rb"row>|<" + _PREFIX + rb"row\b[^>]*/>")
_REF = re.compile(rb'\sr="([A-Za-z]*)([0-9]*)"')
_FORMULA = re.compile(rb"<" + _PREFIX + rb"f\b([^>]*?)(?:/>|>(.*?)</" + _PREFIX + rb"f>)", re.DOTALL)
_VALUE = re.compile(rb"<" + _PREFIX + rb"v\b[^>]*?(?:/>|>(.*?)</" + _PREFIX + rb"v>)", re.DOTALL)
# The fast path for the common sheet: every cell has its r="B7", no formula anywhere. Substring counts and a
# regex that starts with a literal run at memory speed; the exact pass runs only where they cannot decide.
_CELL_REF_LETTERS = re.compile(rb' r="([A-Z]{1,3})[0-9]+"')  # the same references, their letters
_CELL_REF_NUMBERS = re.compile(rb' r="[A-Z]{1,3}([0-9]+)"')  # … and their row numbers
_FORMULA_MARKS = (b"<f>", b"<f ", b":f>", b":f ")
_ERROR_MARKS = (b't="e"', b"t='e'")
_ERROR_TYPE = re.compile(rb"""\st=["']e["']""")
_ODS_TOKEN = re.compile(rb"<(table:table-row|table:table-cell|table:covered-table-cell|table:table)(?=[\s/>])([^>]*)>")
_ODS_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="([0-9]+)"')
_ODS_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="([0-9]+)"')
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
# LibreOffice saves a formula whose result is an error as an empty string marked calcext:value-type="error",
# the error as it shows in the cell's text.
_ODS_ERROR = re.compile(rb':value-type="error"')
_ODS_TEXT = re.compile(rb"<text:p[^>]*>(.*?)</text:p>", re.DOTALL)


def _scan_xls(data: bytes, reject) -> dict[str, SheetScan]:
    """The error cells (#DIV/0! …) of an old .xls, which python-calamine reads as empty; xlrd tells them apart."""
    try:
        workbook = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception:  # noqa: BLE001 — only error cells are asked of xlrd; calamine reads the file and judges it
        return {}
    scans: dict[str, SheetScan] = {}
    try:
        for index in range(workbook.nsheets):
            sheet = workbook.get_sheet(index)
            scan = scans[sheet.name] = SheetScan()
            for row in range(sheet.nrows):
                for column, kind in enumerate(sheet.row_types(row)):
                    if kind == xlrd.XL_CELL_ERROR:
                        code = xlrd.error_text_from_code.get(sheet.cell_value(row, column), "#VALUE!")
                        scan.errors.append((row + 1, column, code))
                _check_error_cells(scan, sheet.name, reject)
            workbook.unload_sheet(index)
    except FileRejected:
        raise
    except Exception:  # noqa: BLE001 — as above: what xlrd cannot parse, calamine still reads
        return scans
    finally:
        workbook.release_resources()
    return scans


def _scan_zip(archive: zipfile.ZipFile, reject, whole: dict[str, bytes] | None = None) -> dict[str, SheetScan]:
    """Each worksheet's used area and formulas without results, read as a stream; too large a sheet is refused.
    ``whole``: members read whole already (``WorkbookZip``), by name."""
    try:
        if "xl/workbook.xml" in archive.namelist():
            return {
                sheet: _scan_xlsx_sheet(archive, member, sheet, reject, whole or {})
                for sheet, member in _xlsx_sheets(archive)
            }
        if "content.xml" in archive.namelist():
            return _scan_ods(archive, reject)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        raise reject("文件已损坏或不完整（压缩数据无法解开），请重新保存后上传。") from None
    return {}


def _xlsx_sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) of each worksheet, as workbook.xml and its relationships name them."""
    members = {m.lower(): m for m in archive.namelist()}
    try:
        targets = _sheet_targets(
            archive.read("xl/workbook.xml"), archive.read(members.get("xl/_rels/workbook.xml.rels", ""))
        )
    except (KeyError, ElementTree.ParseError):
        targets = ()
    found: list[tuple[str, str]] = []
    for name, path in targets:
        member = members.get(path)
        if member is not None:
            found.append((member if name is None else name, member))
    listed = {member for _, member in found}
    # Worksheets the relationships do not reach may still be read: scan them too, under their member name.
    found += [
        (m, m) for m in archive.namelist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", m, re.I) and m not in listed
    ]
    return found


@functools.lru_cache(maxsize=64)  # the returns of one template have the same workbook.xml, parsed once
def _sheet_targets(workbook_xml: bytes, rels_xml: bytes) -> tuple[tuple[str | None, str], ...]:
    """(sheet name, or None where it has none; its zip member's path, lower case) of each sheet workbook.xml lists."""
    workbook, rels = ElementTree.fromstring(workbook_xml), ElementTree.fromstring(rels_xml)
    targets = {r.get("Id"): r.get("Target", "") for r in rels if r.tag.endswith("Relationship")}
    found = []
    for sheet in workbook.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        found.append((sheet.get("name"), posixpath.normpath(path).lower()))
    return tuple(found)


def _scan_xlsx_sheet(archive: zipfile.ZipFile, member: str, sheet: str, reject, whole: dict[str, bytes]) -> SheetScan:
    scan = SheetScan()
    limit_rows, state = max_rows(), {"row": 0, "column": 0}
    buffer = b""
    pieces = [whole[member]] if member in whole else _member_pieces(archive, archive.getinfo(member))
    for chunk in itertools.chain(pieces, [b""]):
        buffer += chunk
        end = len(buffer)
        if chunk:
            end = _last_row_end(buffer)
            if not end:
                if len(buffer) > MAX_UNBROKEN_XML_BYTES:
                    raise reject(f"工作表「{sheet}」的结构异常（单行数据过长），疑似恶意文件，已拒绝。")
                continue
        _scan_xlsx_rows(buffer[:end], scan, state)
        _check_extent(scan, sheet, limit_rows, reject)
        _check_error_cells(scan, sheet, reject)
        buffer = buffer[end:]
    return scan


_SCAN_CHUNK_BYTES = 1 << 20
# A sheet this big is inflated a piece ahead in a thread, as the piece before is looked at: zlib lets go of the
# interpreter while it inflates, so the two take both cores. A small sheet is not worth a thread.
READ_AHEAD_FROM_BYTES = 8 * _SCAN_CHUNK_BYTES
_INFLATE_BLOCK_BYTES = 1 << 17  # compressed bytes a piece: about a megabyte of sheet XML


def _member_pieces(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A zip member's bytes a piece at a time, checked as ``zipfile`` checks them (its size and CRC): a big
    deflated member inflated ahead in a thread, any other read through ``zipfile``."""
    if info.file_size < READ_AHEAD_FROM_BYTES or info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 1:
        with archive.open(info) as stream:
            while chunk := stream.read(_SCAN_CHUNK_BYTES):
                yield chunk
        return
    archive.fp.seek(info.header_offset)
    header = archive.fp.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local file header")
    name_bytes, extra_bytes = struct.unpack("<HH", header[26:30])
    archive.fp.seek(info.header_offset + 30 + name_bytes + extra_bytes)
    packed = memoryview(archive.fp.read(info.compress_size))
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    done = {"bytes": 0, "crc": 0}

    def inflate(offset: int) -> bytes:
        left = info.file_size - done["bytes"]
        block = packed[offset : offset + _INFLATE_BLOCK_BYTES]
        piece = inflater.decompress(block, left + 1) if block else inflater.flush()
        if len(piece) > left:  # more than the member declares: stop before it is all in memory
            raise zlib.error("member larger than its declared size")
        done["bytes"] += len(piece)
        done["crc"] = zlib.crc32(piece, done["crc"])
        return piece

    with ThreadPoolExecutor(1) as inflating:
        offsets = range(0, len(packed) + _INFLATE_BLOCK_BYTES, _INFLATE_BLOCK_BYTES)  # the last: the flush
        pending = inflating.submit(inflate, offsets[0])
        for following in offsets[1:]:
            piece = pending.result()
            pending = inflating.submit(inflate, following)
            yield piece
        yield pending.result()
    if not inflater.eof or done["bytes"] != info.file_size or done["crc"] != info.CRC:
        raise zlib.error("member's size or CRC is not the declared one")


def _last_row_end(buffer: bytes) -> int:
    """Where the last whole row of ``buffer`` ends (0: none); looked for in the tail first, a row is short."""
    for start in (max(0, len(buffer) - 65536), 0):
        end = max((m.end() for m in _ROW_END.finditer(buffer, start)), default=0)
        if end or not start:
            return end
    return 0


def _scan_xlsx_rows(text: bytes, scan: SheetScan, state: dict[str, int]) -> None:
    # The arrays and a pattern made for the chunk pay off on a big sheet's megabyte, not on a return's few rows.
    extent = _plain_extent(text, scan.columns) if len(text) >= _PLAIN_FROM_BYTES else None
    if extent is None and not any(mark in text for mark in _FORMULA_MARKS + _ERROR_MARKS):
        extent = _counted_extent(text)
    if extent is not None:
        rows, columns = extent
        # Empty cells count here (a style alone fills no cell): exactly only where the area might be too large.
        if rows <= max_rows() and rows * columns <= MAX_SHEET_CELLS:
            scan.rows, scan.columns = max(scan.rows, rows), max(scan.columns, columns)
            state["row"] = rows
            return
    for match in _ROW_OR_CELL.finditer(text):
        tag, attrs = match.group(1), match.group(2)
        ref = _REF.search(attrs)
        if tag == b"row":
            state["row"] = int(ref.group(2)) if ref and ref.group(2) else state["row"] + 1
            state["column"] = 0
            continue
        state["column"] = _column_number(ref.group(1)) if ref and ref.group(1) else state["column"] + 1
        row = int(ref.group(2)) if ref and ref.group(2) else state["row"]
        if attrs.endswith(b"/"):
            continue
        close = _CELL_END.search(text, match.end())
        inner = text[match.end() : close.start() if close else len(text)]
        if not inner.strip():
            continue
        scan.rows = max(scan.rows, row)
        scan.columns = max(scan.columns, state["column"])
        if b"e" in attrs and _ERROR_TYPE.search(attrs):
            value = _VALUE.search(inner)
            code = html.unescape((value.group(1) or b"").decode("utf-8", "replace")).strip() if value else ""
            scan.errors.append((row, state["column"] - 1, code or "#VALUE!"))
            continue
        formula = _FORMULA.search(inner) if b"f" in inner else None
        if formula is not None:
            value = _VALUE.search(inner)
            # No result saved (openpyxl writes <v></v>); an empty text result (t="str") is a result.
            if value is None or (not (value.group(1) or b"").strip() and b't="str"' not in attrs):
                scan.uncached_count += 1
                if len(scan.uncached) < MAX_LISTED_FORMULAS * 10:
                    text_of = html.unescape((formula.group(2) or b"").decode("utf-8", "replace"))
                    scan.uncached.append((row, state["column"] - 1, f"={text_of}" if text_of else "（共享公式）"))


_PLAIN_FROM_BYTES = 256 * 1024
_PLAIN_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"')
_EDGE_BYTES = 8192


def _plain_extent(text: bytes, columns_seen: int = 0) -> tuple[int, int] | None:
    """(rows, columns) of rows as Excel, WPS and openpyxl write them — every cell opening ``<c r="B7"``, no
    formula, no error cell — found without a Python object per cell: the tags are told apart as arrays, the
    largest reference at the chunk's two ends is the candidate (or the widest row of the chunks before, which a
    row between the ends is more likely to reach), and one search for a cell beyond it confirms it. ``None``: rows
    of another shape, or such a cell (the other passes then decide)."""
    if b":" in text and (b":c" in text or b":f" in text):  # a prefixed <x:c> or <x:f> the arrays would miss
        return None
    xml = np.frombuffer(text, dtype=np.uint8)
    tags = np.flatnonzero(xml[:-6] == ord("<"))
    first, after = xml[tags + 1], xml[tags + 2]
    named = (after == ord(" ")) | (after == ord(">")) | (after == ord("/"))  # a one-letter tag name: <c …, <f …
    if ((first == ord("f")) & named).any():
        return None
    cells = tags[(first == ord("c")) & named]
    if (
        not len(cells)
        or not (
            (xml[cells + 2] == ord(" "))
            & (xml[cells + 3] == ord("r"))
            & (xml[cells + 4] == ord("="))
            & (xml[cells + 5] == ord('"'))
        ).all()
    ):
        return None
    e = np.flatnonzero(xml[3:-1] == ord("e")) + 3
    quote = xml[e - 1]
    if (
        (xml[e - 3] == ord("t"))
        & (xml[e - 2] == ord("="))
        & ((quote == ord('"')) | (quote == ord("'")))
        & (xml[e + 1] == quote)
    ).any():
        return None  # t="e": an error cell
    edges = _PLAIN_REF.findall(text[:_EDGE_BYTES]) + _PLAIN_REF.findall(text[-_EDGE_BYTES:])
    if not edges:
        return None
    rows = max(int(number) for _, number in edges)
    columns = max(columns_seen, *(_column_number(letters) for letters, _ in edges))
    beyond = re.compile(
        rb'<c r="(?!(?:' + _letters_up_to(column_letter(columns - 1)) + rb")(?:" + _number_up_to(rows) + rb')")'
    )
    return None if beyond.search(text) else (rows, columns)


def _number_up_to(number: int) -> bytes:
    """A regular expression for a decimal number from 0 to ``number``, written without leading zeros."""
    digits = str(number)
    choices = [b"0"]
    if len(digits) > 1:
        choices.append(b"[1-9][0-9]{0,%d}" % (len(digits) - 2))
    for i, digit in enumerate(digits):
        lowest = 1 if i == 0 else 0
        if int(digit) > lowest:
            choices.append(b"%s[%d-%d][0-9]{%d}" % (digits[:i].encode(), lowest, int(digit) - 1, len(digits) - i - 1))
    choices.append(digits.encode())
    return b"|".join(choices)


def _letters_up_to(letters: str) -> bytes:
    """A regular expression for a column's letters from A to ``letters`` (shorter first, then as in a dictionary)."""
    choices = []
    if len(letters) > 1:
        choices.append(b"[A-Z]{1,%d}" % (len(letters) - 1))
    for i, letter in enumerate(letters):
        if letter > "A":
            choices.append(
                b"%s[A-%s][A-Z]{%d}" % (letters[:i].encode(), chr(ord(letter) - 1).encode(), len(letters) - i - 1)
            )
    choices.append(letters.encode())
    return b"|".join(choices)


def _counted_extent(text: bytes) -> tuple[int, int] | None:
    """(rows, columns) where every cell has its reference, however the tags are prefixed; ``None`` otherwise."""
    letters = _CELL_REF_LETTERS.findall(text)
    if len(letters) != text.count(b"<c ") + text.count(b":c "):
        return None
    rows = max(map(int, set(_CELL_REF_NUMBERS.findall(text))), default=0)
    return rows, max(map(_column_number, set(letters)), default=0)


_COLUMN_NUMBERS: dict[bytes, int] = {}


def _column_number(letters: bytes) -> int:
    number = _COLUMN_NUMBERS.get(letters)
    if number is None:
        number = 0
        for letter in letters.upper():
            number = number * 26 + letter - 64
        _COLUMN_NUMBERS[letters] = number
    return number


def _check_extent(scan: SheetScan, sheet: str, limit_rows: int, reject) -> None:
    if scan.rows > limit_rows:
        raise reject(
            f"工作表「{sheet}」有 {scan.rows:,} 行以上，超过系统上限 {limit_rows:,} 行（管理员可用 "
            f"{MAX_ROWS_VARIABLE} 调整）。请按单位或月份拆分后上传。"
        )
    if scan.rows * scan.columns > MAX_SHEET_CELLS:
        corner = f"{column_letter(scan.columns - 1)}{scan.rows}"
        raise reject(
            f"工作表「{sheet}」的数据区域延伸到 {corner} 单元格（{scan.rows:,} 行 × {scan.columns:,} 列），"
            f"超过系统上限 {MAX_SHEET_CELLS:,} 个单元格。请删除表格右侧或下方多余的内容后上传。"
        )


def _check_error_cells(scan: SheetScan, sheet: str, reject) -> None:
    if len(scan.errors) > MAX_ERROR_CELLS:
        raise reject(
            f"工作表「{sheet}」有超过 {MAX_ERROR_CELLS:,} 个单元格是公式错误（如 #DIV/0!、#N/A），"
            "请修正公式或把公式改为数值后重新上传。"
        )


def _scan_ods(archive: zipfile.ZipFile, reject) -> dict[str, SheetScan]:
    """An OpenDocument sheet repeats rows and cells by count: a filled cell repeated a million times is refused.
    Its error cells are noted, as in an .xlsx."""
    limit_rows = max_rows()
    scans: dict[str, SheetScan] = {}
    sheet, scan, row, column = "", SheetScan(), 0, 0
    buffer = b""
    with archive.open("content.xml") as stream:
        while True:
            chunk = stream.read(1 << 20)
            buffer += chunk
            end = buffer.rfind(b">") + 1 if chunk else len(buffer)
            if chunk and len(buffer) - end > MAX_UNBROKEN_XML_BYTES:
                raise reject("文件内容结构异常（单个元素过长），疑似恶意文件，已拒绝。")
            for match in _ODS_TOKEN.finditer(buffer, 0, end):
                tag, attrs = match.group(1), match.group(2)
                if tag == b"table:table":
                    named = _ODS_NAME.search(attrs)
                    sheet, scan, row = (named.group(1).decode("utf-8", "replace") if named else ""), SheetScan(), 0
                    scans[html.unescape(sheet)] = scan
                elif tag == b"table:table-row":
                    repeated = _ODS_ROWS_REPEATED.search(attrs)
                    row, column = row + (int(repeated.group(1)) if repeated else 1), 0
                else:
                    repeated = _ODS_COLUMNS_REPEATED.search(attrs)
                    first_column = column
                    column += int(repeated.group(1)) if repeated else 1
                    closing = buffer.find(b"</table:", match.end())
                    if b"error" in attrs and _ODS_ERROR.search(attrs):
                        shown = _ODS_TEXT.search(buffer, match.end(), closing)
                        code = html.unescape(shown.group(1).decode("utf-8", "replace")).strip() if shown else ""
                        scan.errors += [(row, c, code or "#VALUE!") for c in range(first_column, column)]
                        _check_error_cells(scan, html.unescape(sheet), reject)
                    if b"value-type" in attrs or (
                        not attrs.endswith(b"/") and buffer.find(b"<text:p", match.end(), closing) >= 0
                    ):
                        scan.rows, scan.columns = max(scan.rows, row), max(scan.columns, column)
                        _check_extent(scan, html.unescape(sheet), limit_rows, reject)
            buffer = buffer[end:]
            if not chunk:
                return scans


def _read_workbook(data: bytes, name: str, reject, scans: dict[str, SheetScan] | None = None) -> ReadFile:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise reject("文件设置了打开密码（已加密），系统无法读取。请取消密码后重新保存再上传。") from None
    except (python_calamine.CalamineError, ValueError, OSError) as exc:
        raise reject(
            f"文件已损坏或格式不正确，无法读取（{type(exc).__name__}）。请用 Excel 打开后重新保存再上传。"
        ) from None

    findings: list[Finding] = []
    info: dict[str, str] = {}
    info_cells: dict[str, InfoCell] = {}
    sheets: list[tuple[str, list[list], list]] = []
    for meta in workbook.sheets_metadata:
        sheet_name = meta.name
        if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet"):
            continue
        if str(meta.visible) not in ("SheetVisibleEnum.Visible", "Visible"):
            findings.append(Finding(Level.NOTICE, name, "隐藏的工作表，已跳过。", sheet=sheet_name))
            continue
        try:
            sheet = workbook.get_sheet_by_name(sheet_name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        except (python_calamine.CalamineError, ValueError, OSError) as exc:
            raise reject(f"工作表「{sheet_name}」无法读取（{type(exc).__name__}），文件可能已损坏。") from None
        _put_back_errors(rows, (scans or {}).get(sheet_name))
        if normalise(sheet_name) == INFO_SHEET or INFO_SHEET in normalise(sheet_name):
            for number, row in enumerate(rows, start=1):
                _take_info_line(info, info_cells, sheet_name, number, row, keep=True)
            findings.append(Finding(Level.NOTICE, name, "已读取基本信息。", sheet=sheet_name))
            continue
        sheets.append((sheet_name, rows, merged))

    tables = []
    for sheet_name, rows, merged in sheets:
        if len(rows) > max_rows():
            raise reject(f"工作表「{sheet_name}」有 {len(rows):,} 行，超过系统上限 {max_rows():,} 行。请拆分后上传。")
        table = _table_from_rows(name, sheet_name, rows, merged, findings, name_hint=sheet_name)
        if table is not None:
            tables.append(table)
            findings.extend(_uncached_formulas(table, (scans or {}).get(sheet_name)))
    _take_title_info(info, info_cells, tables)
    if not tables and not any(f.is_error for f in findings):
        findings += _no_data_findings(name, sheets)
    return ReadFile(name, tables, info, findings, info_cells)


def _put_back_errors(rows: list[list], scan: SheetScan | None) -> None:
    """python-calamine reads an error cell (#DIV/0! …) as an empty string: put the error back where it was."""
    for row, index, code in scan.errors if scan is not None else ():
        if row > len(rows):
            continue
        cells = rows[row - 1]
        if index >= len(cells):
            cells.extend([""] * (index + 1 - len(cells)))
        if _blank(cells[index]):
            cells[index] = CellError(code)


def _uncached_formulas(table: RawTable, scan: SheetScan | None) -> list[Finding]:
    """A formula cell saved without its result reads as empty: an error wherever the contract reads the cell."""
    if scan is None or not scan.uncached:
        return []
    data_rows = {number for number, _ in table.rows}
    headers = {column.index: column.header for column in table.columns.values()}
    hits = [(row, index, formula) for row, index, formula in scan.uncached if row in data_rows and index in headers]
    findings = [
        Finding(
            Level.ERROR,
            table.file,
            "单元格是公式，但文件中没有保存公式的计算结果，系统读到的是空值。"
            "请用 Excel 或 WPS 打开文件，确认数值显示正确后保存，再上传；或把公式改为数值。",
            sheet=table.sheet,
            row=row,
            column=column_letter(index),
            column_name=headers[index],
            value=formula,
        )
        for row, index, formula in hits[:MAX_LISTED_FORMULAS]
    ]
    if len(hits) > MAX_LISTED_FORMULAS:
        findings.append(
            Finding(
                Level.ERROR,
                table.file,
                f"另有 {len(hits) - MAX_LISTED_FORMULAS} 个公式单元格没有保存计算结果，处理方法同上。",
                sheet=table.sheet,
            )
        )
    return findings


def _no_data_findings(file: str, sheets: list[tuple[str, list[list], list]]) -> list[Finding]:
    """Why a file with no data sheet is refused: for each sheet with a header of some kind, the kind it comes
    nearest and what it lacks (spec §2); the bare message only where no sheet has anything like a header."""
    found = []
    for sheet, rows, merged in sheets:
        if any(word in normalise(sheet) for word in SKIPPED_SHEET_WORDS):
            continue
        nearest = nearest_kind(rows, merged)
        if nearest is not None:
            found.append(Finding(Level.ERROR, file, nearest.message(), sheet=sheet, row=nearest.row))
    return found or [Finding(Level.ERROR, file, _NO_DATA_MESSAGE)]


@dataclass(frozen=True)
class NearestKind:
    """The sheet kind a sheet's header comes nearest, what it lacks of it, and the renames that would supply it."""

    kind: SheetKind
    row: int  # Excel row number of the header row it was judged on
    missing: tuple[str, ...]  # canonical names of the required columns it lacks (but 单位名称: a 填报单位 may do)
    renames: tuple[tuple[str, str], ...]  # (header as written, the name it may be renamed to)
    side_by_side: bool = False  # two units on one row: the same columns twice

    def message(self) -> str:
        if self.side_by_side:
            return _side_by_side_message(self.kind)
        parts = ["缺少" + "、".join(f"「{name}」" for name in self.missing)] if self.missing else []
        parts += [f"「{written}」可改名为「{name}」" for written, name in self.renames]
        return f"未识别为任何报表。最接近 {self.kind.name}：{'；'.join(parts)}。请按模板调整表头后再上传（上传页可下载模板）。"


def _side_by_side_message(kind: SheetKind) -> str:
    return (
        f"最接近 {kind.name}，但表格是左右并排的（同一行有两个单位，表头重复出现），系统不支持这种排法。"
        f"请改为每行一个单位（{kind.grain}），按模板填报（上传页可下载模板）。"
    )


# How alike a header cell and a column's name must be (rapidfuzz's ratio, 0–100) to suggest renaming one.
RENAME_SIMILARITY = 60


def nearest_kind(rows: list[list], merged: list = ()) -> NearestKind | None:
    """The kind whose columns a sheet's header rows come nearest, for a sheet no kind was recognised in: the most
    required columns named (exactly, or nearly enough to rename), then the most columns named. None where no row
    near the top names or nearly names a required column, or names two columns of a kind."""
    best: tuple[tuple[int, int], NearestKind] | None = None
    for r in range(min(len(rows), HEADER_SEARCH_ROWS)):
        cells = [(i, clean_text(c)) for i, c in enumerate(rows[r]) if isinstance(c, str) and not _blank(c)]
        if len(cells) < 2:
            continue
        keys = [header_key(c) for c in rows[r]]
        for kind in SHEET_KINDS:
            found, _ = _match_header(kind, None, keys, len(keys))
            if _side_by_side(kind, keys):
                return NearestKind(kind, r + 1, (), (), side_by_side=True)
            unmatched = [(i, text) for i, text in cells if i not in {f.index for f in found.values()}]
            missing, renames = [], []
            for column in kind.required:
                if column.key in found or column.key == "unit":
                    continue
                rename = _closest_cell(column, unmatched)
                if rename is None:
                    missing.append(column.name)
                else:
                    unmatched = [(i, t) for i, t in unmatched if t != rename]
                    renames.append((rename, column.name))
            named = sum(1 for c in kind.required if c.key in found and c.key != "unit")
            if named + len(renames) == 0 and len(found) < 2:
                continue  # nothing like this kind's header: 「姓名」「单位」 is a list of people, not a return
            score = (named + len(renames), len(found))
            if best is None or score > best[0]:
                best = (score, NearestKind(kind, r + 1, tuple(missing), tuple(renames)))
    return best[1] if best else None


def _closest_cell(column, cells: list[tuple[int, str]]) -> str | None:
    """The header cell most like one of ``column``'s names, if alike enough to be a rename of it."""
    scored = [(max(fuzz.ratio(header_key(text), normalise(name)) for name in column.names), text) for _, text in cells]
    score, text = max(scored, default=(0, ""))
    return text if score >= RENAME_SIMILARITY else None


def _side_by_side(kind: SheetKind, keys: list[str]) -> bool:
    """Two units on one row: 单位名称 named twice in a header row, and another required column too."""
    lookup = _LOOKUPS[kind.key]
    counts: dict[str, int] = {}
    for key in keys:
        hit = lookup.get(key)
        if hit is not None:
            counts[hit[0]] = counts.get(hit[0], 0) + 1
    return counts.get("unit", 0) >= 2 and any(counts.get(c.key, 0) >= 2 for c in kind.required if c.key != "unit")


_NO_DATA_MESSAGE = (
    "文件中没有可识别的数据表。工作表名称应含「学习」「热线」「问题」或「指标」，"
    "或表头包含规定的列（如 单位名称、活动名称、日期、参与人次）。请使用系统提供的模板填报。"
)


def csv_rows(text: str) -> list[list[str]]:
    """A CSV text's rows, separated by commas, tabs (Excel's 「Unicode 文本」) or semicolons; ``csv.Error`` if unreadable."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _read_csv(data: bytes, name: str) -> ReadFile:
    text = decode_text(data)
    if text is None:
        mixed = mixed_encoding(data)
        if mixed is not None:
            raise FileRejected(Finding(Level.ERROR, name, mixed.message, row=mixed.line))
        raise FileRejected(Finding(Level.ERROR, name, "无法识别 CSV 文件的编码，请另存为「CSV UTF-8」后上传。"))
    if text.count("\n") > max_rows():
        raise FileRejected(
            Finding(
                Level.ERROR, name, f"文件有 {text.count(chr(10)):,} 行，超过系统上限 {max_rows():,} 行。请拆分后上传。"
            )
        )
    try:
        rows = csv_rows(text)
    except csv.Error as exc:
        raise FileRejected(
            Finding(
                Level.ERROR, name, f"CSV 文件无法解析（{exc}），请用 Excel 或 WPS 打开检查后另存为「CSV UTF-8」再上传。"
            )
        ) from None
    findings: list[Finding] = []
    sheet_name = PurePath(name).stem
    table = _table_from_rows(name, sheet_name, rows, [], findings, name_hint=sheet_name)
    tables = [table] if table else []
    info: dict[str, str] = {}
    info_cells: dict[str, InfoCell] = {}
    _take_title_info(info, info_cells, tables)
    if not tables and not any(f.is_error for f in findings):
        findings += _no_data_findings(name, [(sheet_name, rows, [])])
    return ReadFile(name, tables, info, findings, info_cells)


def kind_from_name(sheet_name: str) -> SheetKind | None:
    """Exact sheet name first, then the first keyword of the contract's order (热线/12345, 学习, 问题, 指标)."""
    text = normalise(sheet_name)
    for kind in SHEET_KINDS:
        if text == kind.name:
            return kind
    for keyword, kind in KIND_KEYWORD_ORDER:
        if keyword in text:
            return kind
    return None


@functools.lru_cache(maxsize=16384)  # the same titles and headers come again in every return of a template
def header_key(text: object) -> str:
    """A header cell as the contract names it: normalised, bracketed units, a trailing % and required-marks dropped."""
    cleaned = normalise(text).strip("*＊")
    while True:
        stripped = _BRACKETED_SUFFIX.sub("", cleaned).removesuffix("%")
        if stripped == cleaned or not stripped:
            break
        cleaned = stripped
    return cleaned.strip("*＊:：")


_LOOKUPS: dict[str, dict[str, tuple[str, bool]]] = {
    kind.key: {normalise(name): (column.key, name != column.name) for column in kind.columns for name in column.names}
    for kind in SHEET_KINDS
}


def _match_header(
    kind: SheetKind, upper: list[str] | None, lower: list[str], width: int
) -> tuple[dict[str, HeaderColumn], int]:
    """The columns of ``kind`` a header row names; ``upper`` and ``lower`` are the rows' cells as ``header_key``s."""
    lookup = _LOOKUPS[kind.key]
    found: dict[str, HeaderColumn] = {}
    for index in range(width):
        low = lower[index] if index < len(lower) else ""
        up = upper[index] if upper is not None and index < len(upper) else ""
        candidates = []
        if up and low:
            candidates.append((up + low, f"{up}/{low}"))
        if low:
            candidates.append((low, low))
        elif up:
            candidates.append((up, up))
        for text, shown in candidates:
            hit = lookup.get(text)
            if hit is None:
                continue
            key, by_alias = hit
            if key not in found or (found[key].by_alias and not by_alias):
                found[key] = HeaderColumn(index, shown, by_alias)
            break
    required = sum(1 for c in kind.required if c.key in found)
    return found, required


def _filled_upper(row: list, merged: list, row_index: int, lower: list) -> list:
    """The upper row of a two-row header with each group title spread over the columns it spans."""
    filled = list(row)
    spread = False
    for (r1, c1), (r2, c2) in merged:
        if r1 == row_index and r2 == row_index and c2 > c1:
            spread = True
            for c in range(c1 + 1, min(c2 + 1, len(filled))):
                filled[c] = filled[c1]
    if not spread and not merged:
        # Without merge information (.csv, some .xls): a group title runs on over empty cells with sub-headers.
        last = ""
        for c, cell in enumerate(filled):
            below = lower[c] if c < len(lower) else ""
            if _blank(cell):
                if last and not _blank(below):
                    filled[c] = last
            else:
                last = cell if not _blank(below) else ""
    return filled


def _blank(cell: object) -> bool:
    """An empty cell; an error cell (#DIV/0! …) too, as far as finding the table goes: a row holding nothing else
    is no data (a template's formulas over rows not yet filled), but in a data row validation reports it."""
    return cell is None or (isinstance(cell, str) and not cell.strip()) or type(cell) is CellError


_ANY_COLUMN_NAME = frozenset(name for lookup in _LOOKUPS.values() for name in lookup)


def _names_a_column(upper: list[str], lower: list[str] | None = None) -> bool:
    """Whether a header row's keys, or with ``lower`` a two-row header's as ``_match_header`` joins them, name a
    column of any sheet kind."""
    if lower is None:
        return not _ANY_COLUMN_NAME.isdisjoint(upper)
    return any(
        (up + low if up and low else low or up) in _ANY_COLUMN_NAME or (up and low and low in _ANY_COLUMN_NAME)
        for up, low in itertools.zip_longest(upper, lower, fillvalue="")
    )


def _find_header(rows: list[list], merged: list, kinds: tuple[SheetKind, ...]):
    """The best (kind, header rows, columns) among single-row and two-row headers near the top."""
    best = None
    best_score = (0, 0, 0)
    limit = min(len(rows), HEADER_SEARCH_ROWS)
    keys: dict[int, list[str]] = {}  # each row's cells as header_key gives them, worked out once for every kind

    def keys_of(r: int) -> list[str]:
        if r not in keys:
            keys[r] = [header_key(c) for c in rows[r]]
        return keys[r]

    for r in range(limit):
        if all(_blank(c) for c in rows[r]):
            continue
        width = max(len(rows[r]), len(rows[r + 1]) if r + 1 < len(rows) else 0)
        upper = None
        if r + 1 < len(rows) and not all(_blank(c) for c in rows[r + 1]):
            upper = [header_key(c) for c in _filled_upper(rows[r], merged, r, rows[r + 1])]
        # A row naming no column of any kind (most rows near the top are data) matches none: a match of no
        # column is never the best one that counts, so the kinds need not be tried on it.
        if not _names_a_column(keys_of(r)) and (upper is None or not _names_a_column(upper, keys_of(r + 1))):
            continue
        for kind in kinds:
            single, required = _match_header(kind, None, keys_of(r), width)
            score = (required, len(single), 1)
            if score > best_score:
                best, best_score = (kind, r, r, single), score
            if upper is not None:
                double, required = _match_header(kind, upper, keys_of(r + 1), width)
                score = (required, len(double), 0)
                if score > best_score and len(double) > len(single):
                    best, best_score = (kind, r, r + 1, double), score
    if best is None or len(best[3]) < 2:
        return None
    return best


def _filled_at_once(cell: object) -> bool:
    """A cell told filled by its type alone: a number, a date, a text that starts with no space."""
    kind = type(cell)
    if kind is str:
        return bool(cell) and not cell[0].isspace()
    return kind is not CellError and cell is not None


def _first_filled(cells: list, count: int = 2) -> list:
    """The first ``count`` cells of a row that are not blank; none for a blank row."""
    if count == 2 and len(cells) >= 2 and _filled_at_once(cells[0]) and _filled_at_once(cells[1]):
        return cells[:2]  # most data rows: their first cells are filled
    found = []
    for cell in cells:
        if not _blank(cell):
            found.append(cell)
            if len(found) == count:
                break
    return found


# Every total label ends in this character: a row whose first cells lack it is no total, without more work.
_TOTAL_MARK = "计"
assert all(label.endswith(_TOTAL_MARK) for label in TOTAL_LABELS)


def _total_label(firsts: list) -> str | None:
    """合计, 合  计, 合计（人次）, 全市合计, 各单位小计 … in a row's first two filled cells."""
    for cell in firsts:
        if not (isinstance(cell, str) and _TOTAL_MARK in cell):
            continue
        text = _SPACES.sub("", cell)
        for label in TOTAL_LABELS:
            if (text.startswith(label) or text.endswith(label)) and len(text) <= len(label) + 4:
                return label
    return None


_FOOTER_LABELS = tuple(normalise(label) for label in FOOTER_LABELS)
_FOOTER_FIRST_CHARACTERS = frozenset(label[0] for label in _FOOTER_LABELS)
_normal_character = functools.lru_cache(maxsize=65536)(normalise)  # one character: a ledger's rows repeat few


def _is_footer(first: object) -> bool:
    """A row whose first filled cell is 「填表人：张三」, 「填表人 张三」, 「单位负责人」 alone; not an activity named
    「负责人培训会」."""
    spaced = str(first).strip()
    if not spaced or _normal_character(spaced[0]) not in _FOOTER_FIRST_CHARACTERS:
        return False  # most rows: no footer label can start here
    first = normalise(spaced)
    for label in _FOOTER_LABELS:
        if first.startswith(label):
            rest = first[len(label) :]
            if not rest or label.endswith(":") or rest[0] in ":(" or spaced[len(label) : len(label) + 1].isspace():
                return True
    return False


def _is_units_row(cells: list) -> bool:
    """A row of 「（人次）」「件」「%」 only: the units of the columns above it, part of the header."""
    filled = [normalise(c) for c in cells if not _blank(c)]
    return bool(filled) and all(_BRACKETED_UNIT.fullmatch(c) or c in COUNT_SUFFIXES for c in filled)


_STEM_NUMBERS = "甲乙丙丁戊己庚辛壬癸"


def _is_column_numbers_row(cells: list) -> bool:
    """「栏次 1 2 3 …」, 「甲 乙 丙 1 2 3 …」 or 「1 2 3 …」 exactly: the numbers of the columns, part of the header.
    A data row names a unit or an activity and holds real values; it is never exactly this sequence."""
    filled = [normalise(clean_text(c)) for c in cells if not _blank(c)]
    if filled[:1] == ["栏次"]:
        filled = filled[1:]
    stems = 0
    while stems < len(filled) and stems < len(_STEM_NUMBERS) and filled[stems] == _STEM_NUMBERS[stems]:
        stems += 1
    numbers = filled[stems:]
    return len(filled) >= 2 and all(text == str(n) for n, text in enumerate(numbers, start=1))


def _table_from_rows(
    file: str, sheet: str, rows: list[list], merged: list, findings: list[Finding], *, name_hint: str
) -> RawTable | None:
    if not any(not _blank(c) for row in rows for c in row):
        findings.append(Finding(Level.NOTICE, file, "空工作表，已跳过。", sheet=sheet))
        return None
    kind_by_name = kind_from_name(name_hint)
    if kind_by_name is None and any(word in normalise(name_hint) for word in SKIPPED_SHEET_WORDS):
        findings.append(Finding(Level.NOTICE, file, "不是数据表（说明、字典等），已跳过。", sheet=sheet))
        return None
    header = _find_header(rows, merged, (kind_by_name,) if kind_by_name else SHEET_KINDS)
    if header is None and kind_by_name is not None:
        # 「学习型机关建设问题清单.csv」: the name says 学习, the columns say 问题清单 in full; the columns decide.
        by_columns = _find_header(rows, merged, SHEET_KINDS)
        if by_columns is not None and not _missing_required(by_columns[0], by_columns[3]):
            message = (
                f"名称像「{kind_by_name.name}」，但表头是「{by_columns[0].name}」的，按「{by_columns[0].name}」读取。"
            )
            findings.append(Finding(Level.NOTICE, file, message, sheet=sheet))
            header, kind_by_name = by_columns, None
    if header is None or (kind_by_name is None and header[3] and _missing_required(header[0], header[3])):
        if kind_by_name is not None and any(word in normalise(name_hint) for word in SKIPPED_SHEET_WORDS):
            # 「学习活动填报说明」: named for a kind, but a page of instructions, not a table.
            findings.append(Finding(Level.NOTICE, file, "不是数据表（说明、字典等），已跳过。", sheet=sheet))
        elif kind_by_name is not None:
            names = "、".join(c.name for c in kind_by_name.required)
            findings.append(
                Finding(
                    Level.ERROR,
                    file,
                    f"按工作表名称应为「{kind_by_name.name}」，但在前{HEADER_SEARCH_ROWS}行中找不到表头。"
                    f"表头应包含：{names}。",
                    sheet=sheet,
                )
            )
        else:
            findings.append(
                Finding(Level.NOTICE, file, "未识别为任何报表（学习、热线、问题、指标），已跳过。", sheet=sheet)
            )
        return None
    kind, top, bottom, columns = header
    if _side_by_side(kind, [header_key(c) for c in rows[bottom]]):
        findings.append(Finding(Level.ERROR, file, _side_by_side_message(kind), sheet=sheet, row=bottom + 1))
        return None
    if bottom + 1 < len(rows) and _is_units_row(rows[bottom + 1]):
        bottom += 1  # 「（人次）」「（%）」 under the header: the units of its columns, part of the header
    if bottom + 1 < len(rows) and _is_column_numbers_row(rows[bottom + 1]):
        bottom += 1  # 「栏次 甲 乙 1 2 3 …」 under the header: the numbers of its columns, part of the header

    info: dict[str, str] = {}
    info_cells: dict[str, InfoCell] = {}
    for index, row in enumerate(rows[:top]):
        _take_info_line(info, info_cells, sheet, index + 1, row)
    _take_title_period(info, info_cells, file, sheet, rows[:top])

    table_rows: list[tuple[int, list]] = []
    totals: list[tuple[int, str, list]] = []
    repeats_header = _header_repeats(kind, columns)
    footers: dict[str, bool] = {}  # the first cells repeat (unit names): each judged once
    for index in range(bottom + 1, len(rows)):
        cells = rows[index]
        if len(cells) >= 2 and _plainly_data(cells[0], cells[1]):
            # Most rows of a ledger: a first cell of text and a second filled, neither a total; _first_filled,
            # _total_label and _is_footer would say so one call each.
            footer = footers.get(cells[0])
            if footer is None:
                footer = footers[cells[0]] = _is_footer(cells[0])
            if not footer:
                if not repeats_header(cells):
                    table_rows.append((index + 1, cells))
                continue
        firsts = _first_filled(cells)
        if not firsts:
            continue
        label = _total_label(firsts)
        if label:
            totals.append((index + 1, label, cells))
            continue
        if _is_footer(firsts[0]):
            _take_info_line(info, info_cells, sheet, index + 1, cells, keep=True)
            continue
        if repeats_header(cells):
            continue  # tables pasted one under another, each with its header
        table_rows.append((index + 1, cells))
    table = RawTable(file, sheet, kind, bottom + 1, columns, table_rows, totals, info, info_cells)
    _fill_merged_down(table, merged)
    return table


def _plainly_data(first: object, second: object) -> bool:
    """A row's first two cells filled (as ``_filled_at_once`` tells them), the first text, neither a total label."""
    if type(first) is not str or not first or first[0].isspace() or _TOTAL_MARK in first:
        return False
    if type(second) is str:
        return bool(second) and not second[0].isspace() and _TOTAL_MARK not in second
    return second is not None and type(second) is not CellError


def _header_repeats(kind: SheetKind, columns: dict[str, HeaderColumn]):
    """Whether a row is the header again, below the first (tables pasted one under another): its first column named
    as the header names it, and at least half of all. A data row is told at its first cell, which is what a ledger
    has most of; the columns are put in order once per table, not once per row."""
    names = _NAMES[kind.key]
    needed = max(2, (len(columns) + 1) // 2)
    ordered = [(found.index, names[key]) for key, found in sorted(columns.items(), key=lambda item: item[1].index)]

    first_index, first_names = ordered[0]
    named_first: dict[object, bool] = {}  # the first column's values repeat (unit names): each is judged once

    def repeats(cells: list) -> bool:
        cell = cells[first_index] if first_index < len(cells) else None
        first = named_first.get(cell)
        if first is None:
            first = named_first[cell] = _names_column(cell, first_names)
        if not first:
            return False
        same = 1
        for index, column_names in ordered[1:]:
            if _names_column(cells[index] if index < len(cells) else None, column_names):
                same += 1
        return same >= needed

    return repeats


# Each sheet kind's column names and aliases, normalised, by column key.
_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    kind.key: {column.key: tuple(normalise(n) for n in column.names) for column in kind.columns} for kind in SHEET_KINDS
}
_AFTER_A_NAME = tuple("([【%*:")


@functools.cache
def _first_characters(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(
        name[:1] for name in names if name
    )  # what may follow a column's name in its header cell, normalised: a unit, marks


def _names_column(cell: object, names: tuple[str, ...]) -> bool:
    """A cell that is one of ``names`` as a header writes it (「参与人次（人次）」, 「*单位名称」).

    Checked without ``header_key`` where it cannot be: a ledger has 200,000 rows of text.
    """
    if type(cell) is not str:
        return False
    first = cell.lstrip(" \u3000*＊")[:1]
    if "\uff00" <= first <= "\uffef":  # a full-width letter or digit, as its name has it
        first = normalise(first)
    if not first or first not in _first_characters(names):
        return False  # the names of units, descriptions, dates … at once
    text = normalise(cell).lstrip("*")
    for name in names:
        if text.startswith(name) and (len(text) == len(name) or text[len(name)] in _AFTER_A_NAME):
            return header_key(cell) in names
    return False


def _missing_required(kind: SheetKind, columns: dict[str, HeaderColumn]) -> bool:
    # Recognised by its columns alone, a sheet needs every required column but 单位名称 (the file may name it).
    return any(c.key not in columns for c in kind.required if c.key != "unit")


# A cell merged down over several rows (a month, a date, a unit) says the same of each; a merged number does not:
# it may be the total of the rows it spans, and copying it down would count it again.
_UNMERGED_KINDS = frozenset({ValueKind.COUNT, ValueKind.NUMBER, ValueKind.RATE})


def _fill_merged_down(table: RawTable, merged: list) -> None:
    """A 单位名称, 月份, 日期 … cell merged down over several rows names the value of each of them."""
    indexes = {
        found.index for key, found in table.columns.items() if table.kind.column(key).kind not in _UNMERGED_KINDS
    }
    if not indexes or not merged:
        return
    by_row = {row_number - 1: cells for row_number, cells in table.rows}
    for (r1, c1), (r2, c2) in merged:
        if r2 <= r1:
            continue
        top = by_row.get(r1)
        if top is None:
            continue
        for index in indexes:
            if not (c1 <= index <= c2) or index >= len(top):
                continue
            for r in range(r1 + 1, r2 + 1):
                cells = by_row.get(r)
                if cells is not None and index < len(cells) and _blank(cells[index]):
                    cells[index] = top[index]


_NEXT_LABEL = re.compile(r"\s+[^\s:：]{1,12}[:：]")
_SEAL = re.compile(r"[(（]\s*盖\s*章\s*[)）]$")


def _info_from_line(cells: list) -> dict[str, tuple[str, int, str]]:
    """「填报单位：临沂市民政局    报送期间：2025年10月」, in one cell or spread over several;
    or a label in one cell and its value in the next (「填报单位」「临沂市民政局」「报送期间」「2025年10月」).
    Each key with its value, the 0-based column of the cell the value is in, and its label as written."""
    filled = [(index, clean_text(c)) for index, c in enumerate(cells) if not _blank(c)]
    found = _info_from_labels(filled)
    text = "  ".join(t for _, t in filled)
    if not text or not _INFO_PATTERN.search(text):
        return found
    starts = list(accumulate((len(t) + 2 for _, t in filled), initial=0))  # where each cell begins in ``text``

    def column_at(at: int) -> int:
        return filled[bisect_right(starts, at) - 1][0]

    matches = list(_INFO_PATTERN.finditer(text))
    unlabelled: list[tuple[int, str]] = [(0, text[: matches[0].start()])]  # (where it begins, text) of no label
    for match, following in zip(matches, [*matches[1:], None]):
        label = match.group(1)
        key = _INFO_KEY_NAMES.get(label)
        end = following.start() if following else len(text)
        at = match.end() + len(text[match.end() : end]) - len(text[match.end() : end].lstrip())
        rest = text[at:end]
        # Another 「标签：」 on the line (单位：人次, 统计时间：…) ends the value; so does a run of spaces
        # (「填报单位：临沂市民政局    2025年1-3月」) and a trailing （盖章）.
        value = _VALUE_END.split(_NEXT_LABEL.split(rest, maxsplit=1)[0], maxsplit=1)[0]
        unlabelled.append((at + len(value), rest[len(value) :]))
        value = _SEAL.sub("", value.strip()).strip().strip("，,;；")
        if key and value and key not in found:
            found[key] = (value, column_at(at), label)
    if "period" not in found:
        # A period standing alone among the labels (「填报单位：临沂市民政局    2025年1-3月」) is the 报送期间.
        for begins, part in unlabelled:
            for piece in _VALUE_END_PIECE.finditer(part):
                if _is_period(piece.group(0)):
                    found["period"] = (piece.group(0), column_at(begins + piece.start()), "报送期间")
                    return found
    return found


_VALUE_END = re.compile(r"\s{2,}")
_VALUE_END_PIECE = re.compile(r"\S+(?:\s\S+)*")


def _is_period(text: str) -> bool:
    """Text that is a period and nothing else: 「2025年1-3月」, 「2025年第三季度」, not 「2025」 or a phone number."""
    if "年" not in text:
        return False
    try:
        return parse_period(text) is not None
    except BadValue:
        return False


def _info_from_labels(filled: list[tuple[int, str]]) -> dict[str, tuple[str, int, str]]:
    """Each cell that is a label alone (「填报单位」, 「填报单位（盖章）：」) with the cell after it as its value."""
    found: dict[str, tuple[str, int, str]] = {}
    for (_, label), (index, value) in pairwise(filled):
        key = _INFO_KEY_NAMES.get(header_key(label))
        named = header_key(value)
        if key and key not in found and named not in _INFO_KEY_NAMES and not _is_header_name(named):
            found[key] = (value, index, header_key(label))
    return found


def _is_header_name(text: str) -> bool:
    return any(text in lookup for lookup in _LOOKUPS.values())


def _take_info_line(
    info: dict[str, str], cells_of: dict[str, InfoCell], sheet: str, row: int, cells: list, *, keep: bool = False
) -> None:
    """What a title line, footer or 基本信息 row says, and where; ``keep``: what is known already stays."""
    for key, (value, column, label) in _info_from_line(cells).items():
        if keep and key in info:
            continue
        info[key] = value
        cells_of[key] = InfoCell(sheet, row, column, label)


# A period a title names (「2025年4月份12345热线办理情况统计表」, 「1-4月份……」): its year, first and last month, or
# quarter or half. Not a date (「2025年10月15日前报送」) nor a through-date (「截至2025年10月」), which are no period.
_TITLE_PERIOD = re.compile(
    r"(?<![年\d])(?:(?P<year>\d{4})\s*年\s*)?"
    r"(?:(?P<first>\d{1,2})\s*(?:月份?)?\s*[-—–~～至到]\s*(?P<last>\d{1,2})\s*月份?(?!\s*\d+\s*[日号])"
    r"|(?P<month>\d{1,2})\s*月份?(?!\s*\d+\s*[日号])"
    r"|第?\s*(?P<quarter>[一二三四1-4])\s*季度"
    r"|(?P<half>[上下])\s*半年)"
)
_TITLE_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
TITLE_PERIOD = "title_period"  # the key in ``RawTable.info`` of the period a title names


def title_period(text: str, *, years: str = "") -> str | None:
    """The period a title line names, written as ``parse_period`` reads it (「2025年4月」); a period without its
    year (「1-4月份」) takes the first year ``years`` names (other lines, the sheet's and file's names)."""
    for match in _TITLE_PERIOD.finditer(text):
        if text[: match.start()].rstrip().endswith(("截至", "截止", "至")):
            continue
        year = match.group("year")
        if match.group("year") is None:
            if match.group("quarter") or match.group("half"):
                continue  # 「第三季度」 alone is no period; 「三季度」 in prose neither
            found = _TITLE_YEAR.search(years)
            if found is None:
                continue
            year = found.group(1)
        if match.group("month"):
            written = f"{year}年{match.group('month')}月"
        elif match.group("first"):
            written = f"{year}年{match.group('first')}-{match.group('last')}月"
        elif match.group("quarter"):
            written = f"{year}年第{match.group('quarter')}季度"
        else:
            written = f"{year}年{match.group('half')}半年"
        if _is_period(written):
            return written
    return None


def _take_title_period(
    info: dict[str, str], cells_of: dict[str, InfoCell], file: str, sheet: str, above: list[list]
) -> None:
    """The period the first title line above the header names, where no line labels one (spec §2)."""
    if "period" in info:
        return
    lines = [
        (number, [(i, clean_text(c)) for i, c in enumerate(row) if not _blank(c)])
        for number, row in enumerate(above, 1)
    ]
    years = "  ".join([*(t for _, cells in lines for _, t in cells), sheet, PurePath(file).stem])
    for number, cells in lines:
        if not cells or _info_from_line([t for _, t in cells]):
            continue  # a line of labels (填报单位：…) is no title
        for column, text in cells:
            written = title_period(text, years=years)
            if written is not None:
                info[TITLE_PERIOD] = written
                cells_of[TITLE_PERIOD] = InfoCell(sheet, number, column, "标题")
                return


def _take_title_info(info: dict[str, str], cells_of: dict[str, InfoCell], tables: list[RawTable]) -> None:
    """What the 基本信息 sheet does not say, the first title line that says it does (a title's period stays its
    sheet's own)."""
    for table in tables:
        for key, value in table.info.items():
            if key not in info and key != TITLE_PERIOD:
                info[key] = value
                if key in table.info_cells:
                    cells_of[key] = table.info_cells[key]
