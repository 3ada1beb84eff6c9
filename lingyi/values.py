"""Cell values as offices write them → numbers, rates, dates, months and periods (spec §2).

Every parser takes one raw cell (str, int, float, bool, date, datetime or None) and
returns the typed value, ``None`` for an empty cell, or raises ``BadValue`` whose
message tells the person filling the return what to write instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

EMPTY_MARKS = frozenset({"", "-", "—", "——", "/", "／", "无", "空", "null", "none", "nan", "n/a"})
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel serial numbers of 1990-01-01 and 2100-01-01: a plausible date typed as a number.
_SERIAL_RANGE = (32874, 73051)

_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE][+-]?\d+)?\s*([^\d\s]*)$")
# What may follow a count: 「812人次」, 「3期」, 「12节」.
COUNT_SUFFIXES = frozenset(
    {"", "人次", "人", "次", "期", "节", "场", "场次", "件", "个", "项", "条", "课时", "名", "位", "万人次"}
)
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?:\D|$))")


# No count of a return comes near this (a year of 12345 appeals of the whole city is some millions); a bigger one is
# a slip of the keyboard, and one beyond 2⁶³ could not even be stored.
MAX_COUNT = 10**9


class BadValue(ValueError):
    """A cell that cannot be read as its column requires; the message says how to fix it."""


# Excel's error values, each with what it means in words a unit can act on.
EXCEL_ERRORS = {
    "#DIV/0!": "除数为0",
    "#N/A": "找不到要查找的值",
    "#VALUE!": "公式中有类型不对的值",
    "#REF!": "引用的单元格已被删除",
    "#NAME?": "公式中有无法识别的函数或名称",
    "#NUM!": "数值无效或超出范围",
    "#NULL!": "引用的区域没有交集",
}


@dataclass(frozen=True)
class CellError:
    """A cell holding an Excel error value (a formula that failed): never a value, whatever its column."""

    code: str  # 「#DIV/0!」 as Excel shows it

    def __str__(self) -> str:
        return self.code


def excel_error(value: object) -> str | None:
    """The error a cell holds: an error cell of a workbook, or its text 「#DIV/0!」 as a CSV export writes it."""
    if type(value) is CellError:
        return value.code
    if type(value) is str and "#" in value[:3]:
        text = clean_text(value).upper()
        return text if text in EXCEL_ERRORS else None
    return None


def excel_error_message(code: str, fix: str) -> str:
    meaning = EXCEL_ERRORS.get(code)
    return f"单元格是公式错误 {code}{f'（{meaning}）' if meaning else ''}，请改为{fix}后重新上传。"


def missing(value: object) -> bool:
    """A value that is not there: None, NaN, or pandas' NA or NaT (as a frame's cells come out of ``tolist``)."""
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_text(data: bytes) -> str | None:
    """A text file as Excel and WPS on Chinese Windows write it: UTF-16 with a byte-order mark (「Unicode 文本」),
    UTF-8 with or without one, or GBK/GB18030; ``None`` when it is none of these, or lines of both
    (``mixed_encoding`` says which)."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if mixed_encoding(data) is not None:  # GB18030 would read its UTF-8 lines as other characters
        return None
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return None


@dataclass(frozen=True)
class MixedEncoding:
    """A text file whose lines are not all in one encoding: a UTF-8 export with a line pasted from a GBK one …"""

    line: int  # the first line (1-based) not in the file's encoding
    lines: tuple[int, ...]  # every such line
    encoding: str  # the file's encoding, as most of its lines have it: 「UTF-8」 or 「GBK」
    found: str | None  # what those lines are in: 「GBK」, 「UTF-8」, or None (neither)

    @property
    def message(self) -> str:
        shown = "、".join(map(str, self.lines[:5])) + (" 等" if len(self.lines) > 5 else "")
        which = f"这一行（共 {len(self.lines)} 行：第 {shown} 行）" if len(self.lines) > 1 else "这一行"
        if self.found is None:
            what = f"{which}既不是 UTF-8 也不是 GBK 编码，文件可能已损坏"
        else:
            what = f"{which}不是 {self.encoding} 编码（疑似混入了 {self.found} 文字），而文件其余各行是 {self.encoding}"
        return f"{what}。请把整份文件另存为 UTF-8 或 GBK 后再上传。"


def mixed_encoding(data: bytes) -> MixedEncoding | None:
    """Where the lines of a text file are not all UTF-8 nor all GBK/GB18030: its lines in the other encoding, or
    in neither. A file wholly in one of them (and UTF-16) gives ``None``."""
    if data.startswith(UTF16_BOMS):
        return None
    by_encoding: dict[str | None, list[int]] = {"UTF-8": [], "GBK": [], None: []}
    for number, line in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            by_encoding["UTF-8"].append(number)
        except UnicodeDecodeError:
            try:
                line.decode("gb18030")
                by_encoding["GBK"].append(number)
            except UnicodeDecodeError:
                by_encoding[None].append(number)
    encoding = "UTF-8" if len(by_encoding["UTF-8"]) >= len(by_encoding["GBK"]) else "GBK"
    found = None if by_encoding[None] else "GBK" if encoding == "UTF-8" else "UTF-8"
    lines = by_encoding[found]  # lines in neither encoding first: saved as either, they would still be wrong
    return MixedEncoding(lines[0], tuple(lines), encoding, found) if lines else None


_EXACT_INTEGERS = 2**53  # whole numbers a float holds exactly


def clean_text(value: object) -> str:
    """A cell as text: full-width folded to half-width, outer spaces trimmed."""
    if type(value) is str:
        return unicodedata.normalize("NFKC", value).strip()
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < _EXACT_INTEGERS:  # 1e308 stays 1e+308, not 309 digits no one typed
            return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return unicodedata.normalize("NFKC", str(value)).strip()


def is_empty(value: object) -> bool:
    return clean_text(value).lower() in EMPTY_MARKS


def _number_and_suffix(value: object) -> tuple[float, str] | None:
    if value is None or isinstance(value, bool):
        return None if value is None else (float(value), "")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None
        return float(value), ""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        raise BadValue("这里应填数字，不是日期。")
    text = clean_text(value)
    if text.lower() in EMPTY_MARKS:
        return None
    text = _THOUSANDS.sub("", text).replace(" ", "")
    match = _NUMBER.match(text)
    if not match:
        raise BadValue("无法识别为数字，请只填写数字，如 1234。")
    number = float(match.group(0)[: len(match.group(0)) - len(match.group(2))])
    return number, match.group(2)


def parse_count(value: object) -> int | None:
    """A whole number: 1234, 「1,234」, full-width 「８１２」, 「812人次」; 3.0 is 3, 3.5 is an error, and so is one
    beyond ``MAX_COUNT`` either way (1e308, 「9223372036854775808」)."""
    parsed = _number_and_suffix(value)
    if parsed is None:
        return None
    number, suffix = parsed
    if suffix not in COUNT_SUFFIXES:
        raise BadValue("无法识别为整数，请只填写数字，如 812。")
    if suffix == "万人次":
        number *= 10_000
    if not math.isfinite(number) or abs(number) > MAX_COUNT:
        raise BadValue(f"数值超出范围：整数不能超过 {MAX_COUNT:,}（10亿），请检查是否多填了数字。")
    if abs(number - round(number)) > 1e-9:
        raise BadValue("应为整数，请不要填写小数。")
    return round(number)


def parse_number(value: object) -> float | None:
    """Any real number, with thousands separators, full-width digits, a trailing unit or %."""
    parsed = _number_and_suffix(value)
    if parsed is None:
        return None
    number, suffix = parsed
    if not math.isfinite(number):
        raise BadValue("无法识别为数字，请只填写数字。")
    if suffix == "%":
        return number
    if suffix and any(ch.isdigit() for ch in suffix):
        raise BadValue("无法识别为数字，请只填写数字。")
    return number


@dataclass(frozen=True)
class RawRate:
    number: float
    percent_sign: bool  # 「93.72%」 is a percentage whatever the rest of the column says


def parse_rate(value: object) -> RawRate | None:
    """A rate as written; the column decides afterwards whether bare numbers are fractions or percentages."""
    try:
        parsed = _number_and_suffix(value)
    except BadValue:
        raise BadValue("无法识别为比率，请填写如 0.9372、93.72 或 93.72%。") from None
    if parsed is None:
        return None
    number, suffix = parsed
    if suffix not in ("", "%"):
        raise BadValue("无法识别为比率，请填写如 0.9372、93.72 或 93.72%。")
    if not math.isfinite(number):
        raise BadValue("无法识别为比率，请填写如 0.9372、93.72 或 93.72%。")
    return RawRate(number, suffix == "%")


def rate_column_is_fractions(rates: list[RawRate | None]) -> bool:
    """Spec §2: a rate column whose values are all ≤ 1 is read as fractions, otherwise as percentages."""
    bare = [r.number for r in rates if r is not None and not r.percent_sign]
    return all(abs(n) <= 1 for n in bare)


def rate_as_fraction(rate: RawRate, column_is_fractions: bool) -> float:
    fraction = rate.number / 100 if rate.percent_sign or not column_is_fractions else rate.number
    if fraction < 0 or fraction > 1 + 1e-12:
        raise BadValue("比率应在0%到100%之间，请检查是否多写了位数或把百分数和小数混用。")
    return min(fraction, 1.0)


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?(?:份)?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)
# 「2025 年 3 月 15 日」, 「2025. 3. 15」: spaces around a date's marks are no part of it.
_SPACED_MARK = re.compile(r"\s*([年月日号./-])\s*")
_DATE_HINT = "请填写日期，如 2025-03-15、2025/3/15、2025.03.15 或 2025年3月15日。"
_MONTH_HINT = "请填写月份，如 2025-03、2025年3月 或 202503。"


def _serial_to_date(number: float) -> dt.date | None:
    if _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    return None


def _checked_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadValue(f"没有这一天（{year}年{month}月{day}日），{_DATE_HINT}") from None


def parse_date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and math.isnan(value):
            return None
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            return parse_date(str(int(value)))
        serial = _serial_to_date(float(value))
        if serial is None:
            raise BadValue(_DATE_HINT)
        return serial
    text = _SPACED_MARK.sub(r"\1", clean_text(value))
    if text.lower() in EMPTY_MARKS:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return _checked_date(year, month, day)
    if re.fullmatch(r"\d+(?:\.0+)?", text):
        serial = _serial_to_date(float(text))
        if serial is not None:
            return serial
    # A series of sessions, 「2025-03-01至2025-06-30」 or 「2025年3月1日-6月30日」: it is dated by its first day.
    for dash in re.finditer(_RANGE_DASH, text):
        first, rest = text[: dash.start()], text[dash.end() :]
        if any(ch.isdigit() for ch in rest) and any(pattern.match(first) for pattern in _DATE_PATTERNS):
            return parse_date(first)
    raise BadValue(_DATE_HINT)


def month_number(year: int, month: int) -> int:
    """Months as yyyymm integers: 202503. They sort and compare as months do."""
    if not 1 <= month <= 12:
        raise BadValue(f"月份应在1到12之间，{_MONTH_HINT}")
    if not 1900 <= year <= 2100:
        raise BadValue(f"年份不对，{_MONTH_HINT}")
    return year * 100 + month


def parse_month(value: object) -> int | None:
    """「2025-03」, 「2025年3月」, 「202503」 or any date in that month → 202503."""
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return month_number(value.year, value.month)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and math.isnan(value):
            return None
        if float(value).is_integer() and 190001 <= value <= 210012:
            return parse_month(str(int(value)))
        try:
            date = parse_date(value)
        except BadValue:
            raise BadValue(_MONTH_HINT) from None
        return None if date is None else month_number(date.year, date.month)
    text = _SPACED_MARK.sub(r"\1", clean_text(value))
    if text.lower() in EMPTY_MARKS:
        return None
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            return month_number(int(match.group(1)), int(match.group(2)))
    try:
        date = parse_date(text)
    except BadValue:
        raise BadValue(_MONTH_HINT) from None
    return None if date is None else month_number(date.year, date.month)


def add_months(month: int, count: int) -> int:
    index = (month // 100) * 12 + (month % 100 - 1) + count
    return (index // 12) * 100 + index % 12 + 1


def months_between(first: int, last: int) -> list[int]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def month_label(month: int) -> str:
    return f"{month // 100}-{month % 100:02d}"


@dataclass(frozen=True, order=True)
class Period:
    """A span of whole months, both ends included."""

    start: int
    end: int

    @property
    def label(self) -> str:
        y1, m1, y2, m2 = self.start // 100, self.start % 100, self.end // 100, self.end % 100
        if self.start == self.end:
            return f"{y1}年{m1}月"
        if y1 == y2 and m1 == 1 and m2 == 12:
            return f"{y1}年"
        if y1 == y2 and m1 % 3 == 1 and m2 == m1 + 2:
            return f"{y1}年第{'一二三四'[m1 // 3]}季度"
        if y1 == y2:
            return f"{y1}年{m1}-{m2}月"
        return f"{y1}年{m1}月-{y2}年{m2}月"

    def contains(self, month: int) -> bool:
        return self.start <= month <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    @classmethod
    def spanning(cls, months: list[int]) -> Period:
        return cls(min(months), max(months))


_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PERIOD_HINT = "请填写报送期间，如 2025年10月、2025年第三季度、2025年 或 2025年1-10月。"
_RANGE_DASH = r"\s*(?:-|~|至|到|—|–)\s*"


def parse_period(value: object) -> Period | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        month = month_number(value.year, value.month)
        return Period(month, month)
    text = clean_text(value).replace("—", "-").replace("–", "-")
    if text.lower() in EMPTY_MARKS:
        return None
    text = re.sub(r"\s+", "", text)
    if match := re.fullmatch(r"(\d{4})年?(?:度|全年)?", text):
        year = int(match.group(1))
        return Period(month_number(year, 1), month_number(year, 12))
    if match := re.fullmatch(r"(\d{4})年?(?:度)?([上下])半年度?", text):
        year, first = int(match.group(1)), 1 if match.group(2) == "上" else 7
        return Period(month_number(year, first), month_number(year, first + 5))
    if match := re.fullmatch(r"(\d{4})年?第?([一二三四1-4])季度?", text) or re.fullmatch(
        r"(\d{4})[-年]?Q([1-4])", text
    ):
        year, quarter = int(match.group(1)), _QUARTERS[match.group(2)]
        return Period(month_number(year, quarter * 3 - 2), month_number(year, quarter * 3))
    if match := re.fullmatch(rf"(\d{{4}})年(\d{{1,2}})月?{_RANGE_DASH}(\d{{1,2}})月份?", text):
        year = int(match.group(1))
        first, last = month_number(year, int(match.group(2))), month_number(year, int(match.group(3)))
        if first > last:
            raise BadValue(f"起始月份晚于结束月份。{_PERIOD_HINT}")
        return Period(first, last)
    # 「2024-11至2025-02」: the dash inside a month is no range mark, so try every mark until both sides read.
    for dash in re.finditer(_RANGE_DASH, text):
        try:
            first, last = parse_month(text[: dash.start()]), parse_month(text[dash.end() :])
        except BadValue:
            continue
        if first and last:
            if first > last:
                raise BadValue(f"起始月份晚于结束月份。{_PERIOD_HINT}")
            return Period(first, last)
    try:
        month = parse_month(text)
    except BadValue:
        raise BadValue(_PERIOD_HINT) from None
    return None if month is None else Period(month, month)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
