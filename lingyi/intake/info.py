"""What a return says above or beside its table: 填报单位, 填报期间, 填报人 … in label cells or one line of
text, and the period a title names (「2025年10月」, 「1—10月」)."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, pairwise
from pathlib import PurePath

from lingyi.contract import (
    INFO_KEYS,
)
from lingyi.intake.headers import HEADER_LOOKUPS, blank_cell, header_key
from lingyi.intake.raw import InfoCell, RawTable
from lingyi.values import (
    BadValue,
    clean_text,
    parse_period,
)

_INFO_KEY_NAMES = {name: key for key, names in INFO_KEYS.items() for name in names}


_INFO_PATTERN = re.compile(
    r"("
    + "|".join(sorted(map(re.escape, [*_INFO_KEY_NAMES, "审核人", "填报日期", "填表日期"]), key=len, reverse=True))
    + r")"
    r"\s*(?:[(（][^)）]*[)）])?\s*[:：]\s*"
)


_NEXT_LABEL = re.compile(r"\s+[^\s:：]{1,12}[:：]")


_SEAL = re.compile(r"[(（]\s*盖\s*章\s*[)）]$")


def _info_from_line(cells: list) -> dict[str, tuple[str, int, str]]:
    """「填报单位：临沂市民政局    报送期间：2025年10月」, in one cell or spread over several;
    or a label in one cell and its value in the next (「填报单位」「临沂市民政局」「报送期间」「2025年10月」).
    Each key with its value, the 0-based column of the cell the value is in, and its label as written."""
    filled = [(index, clean_text(c)) for index, c in enumerate(cells) if not blank_cell(c)]
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
    return any(text in lookup for lookup in HEADER_LOOKUPS.values())


def take_info_line(
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


def take_title_period(
    info: dict[str, str], cells_of: dict[str, InfoCell], file: str, sheet: str, above: list[list]
) -> None:
    """The period the first title line above the header names, where no line labels one (spec §2)."""
    if "period" in info:
        return
    lines = [
        (number, [(i, clean_text(c)) for i, c in enumerate(row) if not blank_cell(c)])
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


def take_title_info(info: dict[str, str], cells_of: dict[str, InfoCell], tables: list[RawTable]) -> None:
    """What the 基本信息 sheet does not say, the first title line that says it does (a title's period stays its
    sheet's own)."""
    for table in tables:
        for key, value in table.info.items():
            if key not in info and key != TITLE_PERIOD:
                info[key] = value
                if key in table.info_cells:
                    cells_of[key] = table.info_cells[key]
