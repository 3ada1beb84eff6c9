"""How offices dress up the truth: each unit's house style and the sheets laid out in it.

Every unit fills its returns in its own way, and keeps that way month after month: a title
row or not, a 「填报单位：… 报送期间：…」 line, a 单位名称 column or not, header aliases, how it
writes dates, counts and rates, whether it adds a 合计 row. The style is drawn from a
``random.Random`` seeded with the unit's name, so it does not depend on the records' seed or
on which other units are written. Each cell a faithful reader of the contract meets still
reads back to the truth; see ``sample_data.generate`` for the list of shapes.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from lingyi import contract
from sample_data.grids import CHINESE_DATE, CHINESE_MONTH, ISO_DATE, Cell, ExcelDate, Grid
from sample_data.truth import HOTLINE_KEYS, LEARNING_KEYS, Unit

DATE_STYLES = {"excel": 30, "excel_chinese": 10, "iso": 20, "slash": 15, "dot": 10, "chinese": 15}
MONTH_STYLES = {"iso": 30, "chinese": 35, "compact": 15, "excel": 20}
COUNT_STYLES = {"plain": 65, "comma": 12, "suffix": 15, "fullwidth": 8}
RATE_STYLES = ("fraction", "percent", "text")
# The unit a header may carry in brackets: 「参与人次（人次）」.
HEADER_UNITS = {"sessions": "期", "lectures": "节", "person_times": "人次", "lecturers": "人", "appeals": "件"}
SUMMED_LEARNING_KEYS = ("sessions", "lectures", "person_times", "lecturers")  # what a 合计 row adds up
COUNT_SUFFIXES = {"person_times": "人次", "appeals": "件"}
FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
RATE_KEYS = ("first_time_rate", "resolution_rate", "satisfaction_rate")

# What some offices write instead of the canonical 活动形式 (all aliases the contract maps back).
FORM_WORDS = {"讲堂": "大讲堂", "以进促学": "现场教学", "导师帮带": "导师制", "业务比武": "比武"}
# 其他 written as a form of its own: unknown to the contract, so it reads as 其他 with a warning.
OTHER_FORM_WORDS = ("读书班", "观影教育", "主题党日")
STATUS_WORDS = (
    {"待化解": "待化解", "化解中": "化解中", "已化解": "已化解"},
    {"待化解": "未整改", "化解中": "整改中", "已化解": "已销号"},
    {"待化解": "未开始", "化解中": "推进中", "已化解": "已完成"},
    {"待化解": "未化解", "化解中": "正在整改", "已化解": "已整改"},
)
LEARNING_SHEETS = ("学习活动情况统计表", "学习活动", "学习活动开展情况")
HOTLINE_SHEETS = ("12345热线指标", "热线指标", "12345热线办理情况")
LEARNING_REMARKS = ("线上线下结合", "邀请专家授课", "含视频分会场", "与业务培训结合")
SURNAMES = "王李张刘陈杨赵孙徐马朱胡高林郭"
GIVEN_NAMES = ("伟", "静", "磊", "敏", "强", "丽", "军", "燕", "涛", "娜", "鹏", "婷", "超", "雪", "晨", "洁")
INSTRUCTIONS = (
    "填报说明",
    "1. 学习活动情况统计表每行填写一项学习活动；同一系列活动可合并为一行，并填写期数。",
    "2. 日期填写活动开始日期，格式如2025-03-15。",
    "3. 12345热线各项比率可填写小数或百分数，同一列请统一写法。",
    "4. 请于每月5日前报送上月情况，逾期视为未报送。",
)


@dataclass(frozen=True)
class HouseStyle:
    """How one unit fills its returns in."""

    title: bool  # a merged title row 「临沂市民政局学习活动情况统计表」
    info_line: bool  # a 「填报单位：…    报送期间：…」 line above the header
    declares_period: bool  # 报送期间 given (line or 基本信息); else the period is the months the rows span
    headcount_in_line: bool  # 「在职人数：156」 in that line
    colon: str
    gap: str  # between the parts of the line: ASCII or ideographic spaces
    line_name: str  # how the unit names itself as 填报单位
    info_sheet: bool  # a 基本信息 sheet (key, value)
    info_first: bool  # 基本信息 before the data sheets
    info_keys: dict[str, str]  # which of contract.INFO_KEYS' synonyms it uses
    headcount_text: bool  # 在职人数 written 「156人」
    unit_column: str | None  # None: no 单位名称 column, the unit is the 填报单位
    row_numbers: bool  # a 序号 column (ignored)
    remarks: bool  # a 备注 column (ignored)
    date_first: bool  # 日期 before 活动名称
    learning_headers: dict[str, str]
    hotline_headers: dict[str, str]
    learning_sheet: str
    hotline_sheet: str
    date_style: str
    month_style: str
    count_style: str  # person_times and appeals
    rate_styles: tuple[str, str, str]
    prev_year: str | None  # 上年同期 in 2025 hotline sheets: None, "columns" or "grouped" (two-row header)
    totals: bool
    blank_defaults: bool  # 期数 left blank when 1, 节数 when equal to 期数
    form_words: bool
    other_form_word: str
    instructions: bool  # a 填报说明 sheet
    footer: str | None  # None, "one" cell or "split" over cells
    ledger_name: str  # how the 工委's ledger names the unit
    status_words: dict[str, str]
    filler: str
    reviewer: str
    phone: str


@functools.cache
def house_style(unit: Unit) -> HouseStyle:
    rng = random.Random(f"house:{unit.full_name}")
    unit_column = _pick(rng, {None: 35, "full": 30, "short": 20, "alias": 10, "spaced": 5})
    if unit_column == "alias" and not unit.aliases:
        unit_column = "short"
    bracketed = rng.random() < 0.25
    counts = _pick(rng, COUNT_STYLES)
    one_rate_style = rng.choice(RATE_STYLES)
    rate_styles = (
        tuple(rng.choice(RATE_STYLES) for _ in RATE_KEYS) if rng.random() < 0.3 else (one_rate_style,) * len(RATE_KEYS)
    )
    info_line = unit_column is None or rng.random() < 0.7  # without a 单位名称 column the line names the unit
    return HouseStyle(
        title=rng.random() < 0.85,
        info_line=info_line,
        declares_period=rng.random() < 0.88,
        headcount_in_line=info_line and rng.random() < 0.3,
        colon="：" if rng.random() < 0.85 else ":",
        gap="    " if rng.random() < 0.75 else "\u3000\u3000",
        line_name="full" if rng.random() < 0.7 else "short",
        info_sheet=rng.random() < 0.6,
        info_first=rng.random() < 0.3,
        info_keys={key: rng.choice(words[:2]) for key, words in contract.INFO_KEYS.items()},
        headcount_text=rng.random() < 0.15,
        unit_column=unit_column,
        row_numbers=rng.random() < 0.6,
        remarks=rng.random() < 0.25,
        date_first=rng.random() < 0.25,
        learning_headers={
            column.key: _header(rng, column, HEADER_UNITS.get(column.key) if bracketed else None)
            for column in contract.LEARNING.columns
        },
        hotline_headers={
            key: _header(rng, contract.HOTLINE.column(key), _hotline_unit(key, rate_styles) if bracketed else None)
            for key in HOTLINE_KEYS
        },
        learning_sheet=rng.choice(LEARNING_SHEETS),
        hotline_sheet=rng.choice(HOTLINE_SHEETS),
        date_style=_pick(rng, DATE_STYLES),
        month_style=_pick(rng, MONTH_STYLES),
        count_style=counts,
        rate_styles=rate_styles,
        prev_year=_pick(rng, {None: 60, "columns": 20, "grouped": 20}),
        totals=rng.random() < 0.8,
        blank_defaults=rng.random() < 0.2,
        form_words=rng.random() < 0.3,
        other_form_word=rng.choice(OTHER_FORM_WORDS) if rng.random() < 0.3 else "其他",
        instructions=rng.random() < 0.15,
        footer=_pick(rng, {"one": 60, "split": 20, None: 20}),
        ledger_name=_pick(rng, {"full": 75, "short": 20, "alias": 5}) if unit.aliases else "full",
        status_words=rng.choice(STATUS_WORDS) if rng.random() < 0.35 else STATUS_WORDS[0],
        filler=rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
        reviewer=rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES) + rng.choice(("", *GIVEN_NAMES)),
        phone=f"0539-8{rng.randrange(10**6):06d}",
    )


def _pick(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _rate_style(key: str, rate_styles: tuple[str, str, str]) -> str:
    return rate_styles[RATE_KEYS.index(key.removesuffix("_prev"))]


def _hotline_unit(key: str, rate_styles: tuple[str, str, str]) -> str | None:
    """A rate header says (%) only over percentages; 0.9372 under 「满意率（%）」 would misinform."""
    if key in RATE_KEYS:
        return None if _rate_style(key, rate_styles) == "fraction" else "%"
    return HEADER_UNITS.get(key)


def _header(rng: random.Random, column: contract.Column, bracket_unit: str | None) -> str:
    """The canonical name or one of its aliases, sometimes with a unit in brackets."""
    name = rng.choice(column.aliases) if column.aliases and rng.random() < 0.35 else column.name
    if bracket_unit and bracket_unit != name:  # 「人次（人次）」 is not what anyone writes
        name += f"（{bracket_unit}）" if rng.random() < 0.8 else f"({bracket_unit})"
    return name


# --- cell formats ------------------------------------------------------------------------------


def unit_label(unit: Unit, form: str) -> str:
    if form == "short":
        return unit.short_name
    if form == "alias":
        return unit.aliases[0]
    if form == "spaced":  # stray spaces, which name matching must ignore
        return unit.full_name.replace("临沂市", "临沂市 ", 1) + " "
    return unit.full_name


def date_cell(day: date, style: str) -> Cell:
    if style == "excel":
        return ExcelDate(day, ISO_DATE)
    if style == "excel_chinese":
        return ExcelDate(day, CHINESE_DATE)
    if style == "iso":
        return day.isoformat()
    if style == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    if style == "dot":
        return f"{day.year}.{day.month:02d}.{day.day:02d}"
    return f"{day.year}年{day.month}月{day.day}日"


def month_cell(month: str, style: str) -> Cell:
    year, number = int(month[:4]), int(month[5:])
    if style == "chinese":
        return f"{year}年{number}月"
    if style == "compact":  # typed as 202503, Excel keeps it as a number
        return year * 100 + number
    if style == "excel":
        return ExcelDate(date(year, number, 1), CHINESE_MONTH)
    return month


def count_cell(value: int, style: str, suffix: str) -> Cell:
    if style == "comma":
        return f"{value:,}"
    if style == "suffix":
        return f"{value}{suffix}"
    if style == "fullwidth":
        return str(value).translate(FULLWIDTH_DIGITS)
    return value


def rate_cell(rate: float, style: str) -> Cell:
    """Rates are truths with four decimals, so each style carries them exactly."""
    if style == "fraction":
        return round(rate, 4)
    if style == "percent":
        return round(rate * 100, 2)
    return f"{rate * 100:.2f}%"


def period_label(period: str) -> str:
    """The declared 报送期间 of a month ("2025-03" → 「2025年3月」) or a year ("2024" → 「2024年」)."""
    return f"{period[:4]}年{int(period[5:])}月" if len(period) == 7 else f"{period}年"


# --- sheets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Return:
    """One unit's return for one period: what the preamble, 基本信息 and footer say."""

    unit: Unit
    house: HouseStyle
    period: str  # 「2025年3月」 or 「2024年」
    headcount: int
    rng: random.Random  # per-file choices (remarks, …), seeded by unit and period

    @property
    def name(self) -> str:
        return unit_label(self.unit, self.house.line_name)

    def row_unit(self) -> str:
        return unit_label(self.unit, self.house.unit_column or "full")


def learning_grid(ret: Return, activities: Sequence[tuple], *, totals: bool, total_error: int = 0) -> Grid:
    """The 学习活动 sheet; activities are truth rows (contract.LEARNING keys, in order)."""
    house = ret.house
    keys = ["activity", "form", "theme", "date", "sessions", "lectures", "person_times", "lecturers"]
    if house.date_first:
        keys.remove("date")
        keys.insert(0, "date")
    keys = _frame_keys(house, keys)
    headers = {"row_number": "序号", "remarks": "备注", **house.learning_headers}
    grid = Grid(house.learning_sheet)
    _preamble(grid, ret, "学习活动情况统计表", len(keys))
    grid.add([headers[key] for key in keys], bold=True)

    blanks: set[str] = set()
    for number, activity in enumerate(activities, start=1):
        row = dict(zip(LEARNING_KEYS, activity))
        cells = {
            "row_number": number,
            "unit": ret.row_unit(),
            "activity": row["activity"],
            "form": _form_word(house, row["form"]),
            "theme": row["theme"],
            "date": date_cell(row["date"], house.date_style),
            "sessions": row["sessions"],
            "lectures": row["lectures"],
            "person_times": count_cell(row["person_times"], house.count_style, COUNT_SUFFIXES["person_times"]),
            "lecturers": row["lecturers"],
            "remarks": ret.rng.choice(LEARNING_REMARKS) if ret.rng.random() < 0.2 else None,
        }
        # Left blank, 期数 reads as 1 and 节数 as 期数 (contract defaults).
        if house.blank_defaults and row["sessions"] == 1:
            cells["sessions"] = None
            blanks.add("sessions")
        if house.blank_defaults and row["lectures"] == row["sessions"]:
            cells["lectures"] = None
            blanks.add("lectures")
        grid.add([cells[key] for key in keys])

    if totals:
        sums = {key: sum(a[LEARNING_KEYS.index(key)] for a in activities) for key in SUMMED_LEARNING_KEYS}
        sums["person_times"] += total_error
        _totals_row(grid, keys, {key: value for key, value in sums.items() if key not in blanks}, house)
    _footer(grid, ret, len(keys))
    return grid


def hotline_grid(ret: Return, months: Sequence[tuple], *, previous: dict[str, tuple] | None, totals: bool) -> Grid:
    """The 热线指标 sheet; months are truth rows, previous maps a month to last year's truth row."""
    house = ret.house
    keys = _frame_keys(house, ["month", "appeals", *RATE_KEYS])
    layout = house.prev_year if previous else None
    if layout:
        keys[keys.index("satisfaction_rate") + 1 : keys.index("satisfaction_rate") + 1] = [
            "appeals_prev",
            *(f"{key}_prev" for key in RATE_KEYS),
        ]
    grid = Grid(house.hotline_sheet)
    _preamble(grid, ret, "12345热线指标统计表", len(keys))
    if layout == "grouped":
        _grouped_header(grid, keys)
    else:
        names = {"row_number": "序号", "remarks": "备注", **house.hotline_headers}
        if layout == "columns":  # the 上年同期 columns have no aliases
            names.update({c.key: c.name for c in contract.HOTLINE.columns if c.key.endswith("_prev")})
        grid.add([names[key] for key in keys], bold=True)

    for number, month_row in enumerate(months, start=1):
        row = dict(zip(HOTLINE_KEYS, month_row))
        if layout:
            last_year = dict(zip(HOTLINE_KEYS, previous[row["month"]]))
            row.update({f"{key}_prev": last_year[key] for key in ("appeals", *RATE_KEYS)})
        cells: dict[str, Cell] = {
            "row_number": number,
            "unit": ret.row_unit(),
            "month": month_cell(row["month"], house.month_style),
            "remarks": None,
        }
        for key in ("appeals", "appeals_prev"):
            if key in row:
                cells[key] = count_cell(row[key], house.count_style, COUNT_SUFFIXES["appeals"])
        for key in (*RATE_KEYS, *(f"{k}_prev" for k in RATE_KEYS)):
            if key in row:
                cells[key] = rate_cell(row[key], _rate_style(key, house.rate_styles))
        grid.add([cells[key] for key in keys])

    if totals:  # rates of a 合计 row would be weighted averages, not sums: offices leave them blank
        sums = {"appeals": sum(m[HOTLINE_KEYS.index("appeals")] for m in months)}
        _totals_row(grid, keys, sums, house)
    _footer(grid, ret, len(keys))
    return grid


def info_grid(ret: Return) -> Grid:
    """基本信息: two columns, key then value."""
    house = ret.house
    grid = Grid(contract.INFO_SHEET)
    grid.add([house.info_keys["unit"], ret.name])
    if house.declares_period:
        grid.add([house.info_keys["period"], ret.period])
    grid.add([house.info_keys["filler"], house.filler])
    grid.add([house.info_keys["phone"], house.phone])
    grid.add([house.info_keys["headcount"], f"{ret.headcount}人" if house.headcount_text else ret.headcount])
    return grid


def instructions_grid() -> Grid:
    grid = Grid("填报说明")
    for line in INSTRUCTIONS:
        grid.add([line])
    return grid


def _frame_keys(house: HouseStyle, keys: list[str]) -> list[str]:
    return [
        *(["row_number"] if house.row_numbers else []),
        *(["unit"] if house.unit_column else []),
        *keys,
        *(["remarks"] if house.remarks else []),
    ]


def _form_word(house: HouseStyle, form: str) -> str:
    if form == "其他":
        return house.other_form_word
    return FORM_WORDS.get(form, form) if house.form_words else form


def _preamble(grid: Grid, ret: Return, title: str, width: int) -> None:
    house = ret.house
    if house.title:
        row = grid.add([f"{ret.name}{ret.period}{title}" if house.declares_period else f"{ret.name}{title}"], bold=True)
        grid.merge(row, 0, row, width - 1)
    if house.info_line:
        parts = [f"填报单位{house.colon}{ret.name}"]
        if house.declares_period:
            parts.append(f"报送期间{house.colon}{ret.period}")
        if house.headcount_in_line:
            parts.append(f"{house.info_keys['headcount']}{house.colon}{ret.headcount}")
        row = grid.add([house.gap.join(parts)])
        grid.merge(row, 0, row, width - 1)
    if house.title or house.info_line:
        grid.add([])


def _grouped_header(grid: Grid, keys: list[str]) -> None:
    """Two header rows: 「本月」 and 「上年同期」 span their four columns; the rest span both rows."""
    upper: list[Cell] = []
    lower: list[Cell] = []
    names = {"row_number": "序号", "unit": "单位名称", "month": "月份", "remarks": "备注"}
    for key in keys:
        if key in names:
            upper.append(names[key])
            lower.append(None)
        else:
            upper.append(None)
            lower.append(contract.HOTLINE.column(key.removesuffix("_prev")).name)
    first = keys.index("appeals")
    upper[first] = "本月"
    upper[first + 4] = "上年同期"
    top = grid.add(upper, bold=True)
    grid.add(lower, bold=True)
    for column, key in enumerate(keys):
        if key in names:
            grid.merge(top, column, top + 1, column)
    grid.merge(top, first, top, first + 3)
    grid.merge(top, first + 4, top, first + 7)


def _totals_row(grid: Grid, keys: list[str], sums: dict[str, int], house: HouseStyle) -> None:
    cells: list[Cell] = [None] * len(keys)
    cells[0] = "合计"
    for key, value in sums.items():
        if key in keys:
            suffix = COUNT_SUFFIXES.get(key)
            cells[keys.index(key)] = count_cell(value, house.count_style, suffix) if suffix else value
    row = grid.add(cells, bold=True)
    first_number = min(keys.index(key) for key in sums if key in keys)
    if house.row_numbers and first_number > 1:  # 「合计」 centred across the leading text columns
        grid.merge(row, 0, row, first_number - 1)


def _footer(grid: Grid, ret: Return, width: int) -> None:
    house = ret.house
    signed = [f"填表人：{house.filler}", f"审核人：{house.reviewer}", f"联系电话：{house.phone}"]
    if house.footer == "one":
        grid.add(["  ".join(signed)])
    elif house.footer == "split":
        cells: list[Cell] = [None] * max(width, 5)
        cells[0], cells[2], cells[4] = signed
        grid.add(cells)


# --- the 工委's consolidated files -------------------------------------------------------------


def problems_grid(
    problems: Sequence[tuple], units: dict[str, Unit], *, sheet: str, title: str, headers: dict[str, str]
) -> Grid:
    """The ledger the 市直机关工委 consolidates from every unit: one row per problem."""
    keys = [c.key for c in contract.PROBLEMS.columns] + ["remarks"]
    grid = Grid(sheet)
    row = grid.add([title], bold=True)
    grid.merge(row, 0, row, len(keys) - 1)
    grid.add([headers.get(key, "备注") for key in keys], bold=True)
    rng = random.Random(f"ledger:{sheet}:{title}")
    for problem in problems:
        row = dict(zip(keys, problem))
        unit = units[row["unit"]]
        house = house_style(unit)
        # Offices send dates their way; the 工委 pastes them in as they came.
        day_style = house.date_style if rng.random() < 0.3 else "excel"
        resolved = row["resolved_date"]
        grid.add(
            [
                unit_label(unit, house.ledger_name),
                None if _is_na(row["number"]) else row["number"],
                row["description"],
                row["problem_type"],
                date_cell(row["found_date"], day_style),
                house.status_words[row["status"]],
                None if resolved is None else date_cell(resolved, day_style),
                row["stage"],
                rng.choice(("已建立长效机制", "已通过验收", None, None)) if resolved is not None else None,
            ]
        )
    return grid


def indicators_grid(indicators: Sequence[tuple], units: dict[str, Unit], *, period: str, short: bool) -> Grid:
    """指标完成情况 for all units; ``short`` files use short names, 共性/个性 and 正向/反向."""
    keys = [c.key for c in contract.INDICATORS.columns]
    grid = Grid("指标完成情况")
    row = grid.add([f"{period}市直机关学习型机关建设指标完成情况"], bold=True)
    grid.merge(row, 0, row, len(keys))
    row = grid.add([f"填报单位：市直机关工委    报送期间：{period}"])
    grid.merge(row, 0, row, len(keys))
    grid.add(["序号", *(contract.INDICATORS.column(key).name for key in keys)], bold=True)
    directions = {"越高越好": "正向", "越低越好": "反向"} if short else {"越高越好": None, "越低越好": "越低越好"}
    for number, indicator in enumerate(indicators, start=1):
        row = dict(zip(keys, indicator))
        unit = units[row["unit"]]
        grid.add(
            [
                number,
                unit.short_name if short else unit.full_name,
                row["indicator_type"].removesuffix("指标") if short else row["indicator_type"],
                row["indicator"],
                row["measure_unit"],
                _number(row["target"]),
                _number(row["actual"]),
                directions[row["direction"]],  # blank reads as the default, 越高越好
                row["period"],
            ]
        )
    return grid


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _is_na(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)
