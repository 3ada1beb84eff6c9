"""A file's bytes, before any table is read: what it is by its bytes (never its name), the limits an administrator
sets, a zip checked against bombs, and each sheet's XML scanned cheaply (extent, formulas, error cells) so that a
hostile file is refused before the reader allocates its sheets."""

from __future__ import annotations

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
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from xml.etree import ElementTree

import numpy as np
import xlrd

from lingyi.errors import FileRejected
from lingyi.values import (
    UTF16_BOMS,
    column_letter,
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


_BIFF8_WORKBOOK_BOF = b"\x09\x08\x10\x00\x00\x06\x05\x00"  # record 0x0809, 16 bytes, BIFF8, globals


def format_of(data: bytes) -> str:
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


def check_zip(data: bytes, reject, opened: WorkbookZip | None = None) -> zipfile.ZipFile:
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


def scan_xls(data: bytes, reject) -> dict[str, SheetScan]:
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


def scan_zip(archive: zipfile.ZipFile, reject, whole: dict[str, bytes] | None = None) -> dict[str, SheetScan]:
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
