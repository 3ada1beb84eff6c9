"""Deterministic sample returns for the 108 units, January 2024 to October 2025.

    python -m sample_data.generate [--out sample_data/returns] [--seed 42]

``generate_records(seed)`` draws the truth (``sample_data.truth``); ``write_returns`` writes it
as the files offices send, each unit in its own house style (``sample_data.shapes``):

    returns/2024/市民政局_2024年.xlsx                  one workbook per unit for 2024 (declares 「2024年」);
                                                      a few .xls, one .ods
    returns/2024/市统计局_2024年_12345热线.csv          that unit's 2024 hotline, GBK, header on row 1
    returns/2025/03/市民政局_2025年3月.xlsx            one workbook per unit and month (most declare 「2025年3月」)
    returns/问题清单/市直机关工委_问题清单汇总_截至2025年6月.xlsx   status as of 2025-06-30
    returns/问题清单/市直机关工委_问题清单汇总_截至2025年10月.xlsx  final state
    returns/指标/市直机关工委_指标完成情况_2024年.xlsx, …_2025年1-10月.xlsx

A reader faithful to ``shared/spec/returns.md`` recovers the truth exactly (rates to four
decimals). The months a unit did not send have no file: ``records.missing`` lists them.
"""

from __future__ import annotations

import argparse
import random
import shutil
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from lingyi import contract
from sample_data.grids import Grid, save_csv, save_ods, save_xls, save_xlsx
from sample_data.shapes import (
    HouseStyle,
    Return,
    hotline_grid,
    house_style,
    indicators_grid,
    info_grid,
    instructions_grid,
    learning_grid,
    period_label,
    problems_grid,
)
from sample_data.truth import (
    CSV_HOTLINE_UNIT,
    HOTLINE_KEYS,
    INDICATOR_PERIODS,
    MONTHS,
    SNAPSHOT_DAY,
    SampleRecords,
    Unit,
    generate_records,
    load_units,
    problems_as_of,
)

__all__ = [
    "CSV_HOTLINE_UNIT",
    "MISMATCHED_TOTALS",
    "ODS_UNIT",
    "XLS_UNITS",
    "SampleRecords",
    "generate_records",
    "main",
    "problems_as_of",
    "write_returns",
]

DEFAULT_OUT = Path(__file__).parent / "returns"
# Offices still on old WPS or Excel 2003 send their 2024 workbook as .xls; one uses LibreOffice.
XLS_UNITS = ("临沂市档案馆", "临沂市供销合作社", "临沂市审计局", "临沂市红十字会")
ODS_UNIT = "临沂市大数据局"
# Hand-typed 合计 rows that are off by ten 参与人次: a warning for the reader, the data rows stay true.
MISMATCHED_TOTALS = (("临沂市教育局", "2025-04"), ("临沂市财政局", "2025-07"), ("共青团临沂市委员会", "2025-09"))
# Mid-year the 工委 headed its ledger with aliases; by October it used the template's canonical names.
JUNE_LEDGER_HEADERS = {
    "unit": "单位名称",
    "number": "编号",
    "description": "问题内容",
    "problem_type": "类别",
    "found_date": "排查日期",
    "status": "状态",
    "resolved_date": "完成日期",
    "stage": "环节",
}
WORKGROUP = "市直机关工委"  # the 市直机关工委 consolidates problems and indicators
RETURN_SUFFIXES = {".xlsx", ".xls", ".ods", ".csv"}


def write_returns(records: SampleRecords, out_dir: Path) -> list[Path]:
    """Write the returns that hold ``records`` under ``out_dir``; returns the files written, sorted."""
    out_dir = Path(out_dir)
    units = load_units()
    by_name = {unit.full_name: unit for unit in units}
    learning: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for row in records.learning.itertuples(index=False):
        learning[row.unit, row.date.strftime("%Y-%m")].append(tuple(row))
    hotline = {(row.unit, row.month): tuple(row) for row in records.hotline.itertuples(index=False)}
    headcount = dict(zip(records.headcount["unit"], records.headcount["headcount"], strict=True))

    months_2024 = [m for m in MONTHS if m.startswith("2024")]
    months_2025 = [m for m in MONTHS if m.startswith("2025")]
    written: list[Path] = []
    for unit in (u for u in units if u.full_name in headcount):  # records may be narrowed to a few units
        name, staff = unit.full_name, headcount[unit.full_name]
        year_learning = [a for m in months_2024 for a in learning.get((name, m), [])]
        year_hotline = [hotline[name, m] for m in months_2024 if (name, m) in hotline]
        if year_learning or year_hotline:
            written += _write_year(out_dir, unit, staff, year_learning, year_hotline)
        for month in months_2025:
            activities = learning.get((name, month), [])
            appeals = hotline.get((name, month))
            last_year = hotline.get((name, f"2024{month[4:]}"))
            if activities or appeals:  # no rows: the unit sent nothing that month
                previous = {month: last_year} if last_year else None
                written.append(_write_month(out_dir, unit, staff, month, activities, appeals, previous))
    if not records.problems.empty:
        written += _write_problems(out_dir, records, by_name)
    if not records.indicators.empty:
        written += _write_indicators(out_dir, records, by_name)
    return sorted(written)


def _write_year(out_dir: Path, unit: Unit, staff: int, activities: list[tuple], months: list[tuple]) -> list[Path]:
    """2024 came in as one workbook per unit for the whole year."""
    house = house_style(unit)
    ret = Return(unit, house, period_label("2024"), staff, random.Random(f"file:{unit.full_name}:2024"))
    folder = out_dir / "2024"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    data = [learning_grid(ret, activities, totals=house.totals)] if activities else []
    if months and unit.full_name == CSV_HOTLINE_UNIT:
        path = folder / f"{unit.short_name}_2024年_12345热线.csv"
        save_csv(_csv_hotline(unit, months), path, encoding="gbk")
        written.append(path)
    elif months:
        data.append(hotline_grid(ret, months, previous=None, totals=house.totals))
    if data:
        # The yearly return always states 在职人数 somewhere, so every unit's headcount is on file.
        info = [info_grid(ret)] if house.info_sheet or not house.headcount_in_line else []
        suffix = ".xls" if unit.full_name in XLS_UNITS else ".ods" if unit.full_name == ODS_UNIT else ".xlsx"
        path = folder / f"{unit.short_name}_2024年{suffix}"
        _save(_arrange(house, data, info), path)
        written.append(path)
    return written


def _write_month(
    out_dir: Path,
    unit: Unit,
    staff: int,
    month: str,
    activities: list[tuple],
    appeals: tuple | None,
    previous: dict[str, tuple] | None,
) -> Path:
    house = house_style(unit)
    rng = random.Random(f"file:{unit.full_name}:{month}")
    ret = Return(unit, house, period_label(month), staff, rng)
    mismatch = (unit.full_name, month) in MISMATCHED_TOTALS
    data: list[Grid] = []
    if activities:
        totals = mismatch or (house.totals and rng.random() < 0.95)
        data.append(learning_grid(ret, activities, totals=totals, total_error=10 if mismatch else 0))
    if appeals:
        data.append(hotline_grid(ret, [appeals], previous=previous, totals=False))
    info = [info_grid(ret)] if house.info_sheet and rng.random() < 0.9 else []
    folder = out_dir / "2025" / month[5:]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{unit.short_name}_{ret.period}.xlsx"
    _save(_arrange(house, data, info), path)
    return path


def _arrange(house: HouseStyle, data: list[Grid], info: list[Grid]) -> list[Grid]:
    extra = [instructions_grid()] if house.instructions else []
    return [*info, *data, *extra] if house.info_first else [*data, *info, *extra]


def _save(grids: Sequence[Grid], path: Path) -> None:
    if path.suffix == ".xls":
        save_xls(grids, path)
    elif path.suffix == ".ods":
        save_ods(grids, path)
    else:
        save_xlsx(grids, path)


def _csv_hotline(unit: Unit, months: list[tuple]) -> Grid:
    """A CSV has no title lines and no 填报单位: header first, the unit named in every row."""
    grid = Grid("12345热线")
    grid.add([contract.HOTLINE.column(key).name for key in HOTLINE_KEYS])
    for _, month, appeals, *rates in months:
        grid.add([unit.short_name, f"{month[:4]}年{int(month[5:])}月", appeals, *(f"{r * 100:.2f}%" for r in rates)])
    return grid


def _write_problems(out_dir: Path, records: SampleRecords, units: dict[str, Unit]) -> list[Path]:
    folder = out_dir / "问题清单"
    folder.mkdir(parents=True, exist_ok=True)
    order = {name: unit.index for name, unit in units.items()}

    def ledger(frame) -> list[tuple]:
        return sorted((tuple(row) for row in frame.itertuples(index=False)), key=lambda p: (order[p[0]], p[4], p[2]))

    june = problems_grid(
        ledger(problems_as_of(records.problems, SNAPSHOT_DAY)),
        units,
        sheet="问题清单汇总",
        title="市直机关学习型机关建设问题清单汇总表（截至2025年6月30日）",
        headers=JUNE_LEDGER_HEADERS,
    )
    october = problems_grid(
        ledger(records.problems),
        units,
        sheet="问题清单",
        title="市直机关学习型机关建设问题清单汇总表（截至2025年10月31日）",
        headers={c.key: c.name for c in contract.PROBLEMS.columns},
    )
    paths = [
        folder / f"{WORKGROUP}_问题清单汇总_截至2025年6月.xlsx",
        folder / f"{WORKGROUP}_问题清单汇总_截至2025年10月.xlsx",
    ]
    save_xlsx([june], paths[0])
    save_xlsx([october, instructions_grid()], paths[1])
    return paths


def _write_indicators(out_dir: Path, records: SampleRecords, units: dict[str, Unit]) -> list[Path]:
    folder = out_dir / "指标"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for period in INDICATOR_PERIODS:
        rows = [tuple(r) for r in records.indicators[records.indicators["period"] == period].itertuples(index=False)]
        if rows:
            path = folder / f"{WORKGROUP}_指标完成情况_{period}.xlsx"
            save_xlsx([indicators_grid(rows, units, period=period, short=period != "2024年")], path)
            paths.append(path)
    return paths


def _clear(out_dir: Path) -> None:
    """Empty the output folder, refusing if it holds anything but sample returns."""
    if not out_dir.exists():
        return
    strangers = [p for p in out_dir.rglob("*") if p.is_file() and p.suffix not in RETURN_SUFFIXES]
    if strangers:
        raise SystemExit(f"{out_dir} holds files that are not sample returns (e.g. {strangers[0]}); not clearing it")
    shutil.rmtree(out_dir)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sample_data.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to (re)create (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default: %(default)s)")
    args = parser.parse_args(argv)
    _clear(args.out)
    records = generate_records(args.seed)
    paths = write_returns(records, args.out)
    size = sum(p.stat().st_size for p in paths)
    print(
        f"{len(paths)} files ({size / 1e6:.1f} MB) in {args.out}: "
        f"{len(records.learning)} activities, {len(records.hotline)} hotline months, "
        f"{len(records.problems)} problems, {len(records.indicators)} indicator rows, "
        f"{records.missing[['unit', 'month']].drop_duplicates().shape[0]} monthly returns missing"
    )


if __name__ == "__main__":
    main()
