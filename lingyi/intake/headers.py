"""Where a table starts: the sheet kind from a sheet's name or its header row, the header found among the first
rows (two-row headers, merged cells, aliases of spec §2), and the nearest kind of a sheet that matches none."""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from lingyi.contract import (
    KIND_KEYWORD_ORDER,
    SHEET_KINDS,
    SheetKind,
)
from lingyi.intake.raw import HeaderColumn
from lingyi.registry import normalise
from lingyi.values import (
    CellError,
    clean_text,
)

HEADER_SEARCH_ROWS = 30


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
            return side_by_side_message(self.kind)
        parts = ["缺少" + "、".join(f"「{name}」" for name in self.missing)] if self.missing else []
        parts += [f"「{written}」可改名为「{name}」" for written, name in self.renames]
        return f"未识别为任何报表。最接近 {self.kind.name}：{'；'.join(parts)}。请按模板调整表头后再上传（上传页可下载模板）。"


def side_by_side_message(kind: SheetKind) -> str:
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
        cells = [(i, clean_text(c)) for i, c in enumerate(rows[r]) if isinstance(c, str) and not blank_cell(c)]
        if len(cells) < 2:
            continue
        keys = [header_key(c) for c in rows[r]]
        for kind in SHEET_KINDS:
            found, _ = _match_header(kind, None, keys, len(keys))
            if side_by_side(kind, keys):
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


def side_by_side(kind: SheetKind, keys: list[str]) -> bool:
    """Two units on one row: 单位名称 named twice in a header row, and another required column too."""
    lookup = HEADER_LOOKUPS[kind.key]
    counts: dict[str, int] = {}
    for key in keys:
        hit = lookup.get(key)
        if hit is not None:
            counts[hit[0]] = counts.get(hit[0], 0) + 1
    return counts.get("unit", 0) >= 2 and any(counts.get(c.key, 0) >= 2 for c in kind.required if c.key != "unit")


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


HEADER_LOOKUPS: dict[str, dict[str, tuple[str, bool]]] = {
    kind.key: {normalise(name): (column.key, name != column.name) for column in kind.columns for name in column.names}
    for kind in SHEET_KINDS
}


def _match_header(
    kind: SheetKind, upper: list[str] | None, lower: list[str], width: int
) -> tuple[dict[str, HeaderColumn], int]:
    """The columns of ``kind`` a header row names; ``upper`` and ``lower`` are the rows' cells as ``header_key``s."""
    lookup = HEADER_LOOKUPS[kind.key]
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
            if blank_cell(cell):
                if last and not blank_cell(below):
                    filled[c] = last
            else:
                last = cell if not blank_cell(below) else ""
    return filled


def blank_cell(cell: object) -> bool:
    """An empty cell; an error cell (#DIV/0! …) too, as far as finding the table goes: a row holding nothing else
    is no data (a template's formulas over rows not yet filled), but in a data row validation reports it."""
    return cell is None or (isinstance(cell, str) and not cell.strip()) or type(cell) is CellError


_ANY_COLUMN_NAME = frozenset(name for lookup in HEADER_LOOKUPS.values() for name in lookup)


def _names_a_column(upper: list[str], lower: list[str] | None = None) -> bool:
    """Whether a header row's keys, or with ``lower`` a two-row header's as ``_match_header`` joins them, name a
    column of any sheet kind."""
    if lower is None:
        return not _ANY_COLUMN_NAME.isdisjoint(upper)
    return any(
        (up + low if up and low else low or up) in _ANY_COLUMN_NAME or (up and low and low in _ANY_COLUMN_NAME)
        for up, low in itertools.zip_longest(upper, lower, fillvalue="")
    )


def find_header(rows: list[list], merged: list, kinds: tuple[SheetKind, ...]):
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
        if all(blank_cell(c) for c in rows[r]):
            continue
        width = max(len(rows[r]), len(rows[r + 1]) if r + 1 < len(rows) else 0)
        upper = None
        if r + 1 < len(rows) and not all(blank_cell(c) for c in rows[r + 1]):
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


_BRACKETED_SUFFIX = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]$")
