"""The rules of each sheet kind beyond its cells (spec §3): a learning row's 期数 and 节数 filled in, dates inside
the declared period, one row per unit and month, a problem's dates and status in agreement, each key once — on one
sheet (``RULES``, run by ``validation`` for each table) and across the sheets of one file
(``check_duplicates_across_sheets``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Protocol

from lingyi.contract import RESOLVED
from lingyi.errors import Finding, Level
from lingyi.intake.valid import ValidTable
from lingyi.values import Period, month_number


class Check(Protocol):
    """What a rule needs of the table check that runs it."""

    bad_rows: set[int]

    def error(self, message: str, row: int | None = None, key: str | None = None, value=None) -> None: ...

    def bad_resolved(self, row: int) -> bool: ...


def outside(declared: Period | None, month: int | None) -> bool:
    return declared is not None and month is not None and not declared.contains(month)


def learning_rules(check: Check, values: dict[str, list], rows: list[int], declared: Period | None) -> None:
    sessions, lectures = values["sessions"], values["lectures"]
    for i, row in enumerate(rows):
        if sessions[i] is None and row not in check.bad_rows:
            sessions[i] = 1
        if lectures[i] is None and row not in check.bad_rows:
            lectures[i] = sessions[i]
        date = values["date"][i]
        if date is not None and outside(declared, month_number(date.year, date.month)):
            check.error(f"活动日期不在报送期间（{declared.label}）内。", row, "date", date.isoformat())


def hotline_rules(check: Check, values: dict[str, list], rows: list[int], declared: Period | None) -> None:
    seen: dict[tuple[str, int], int] = {}
    for i, row in enumerate(rows):
        unit, month = values["unit"][i], values["month"][i]
        if unit is None or month is None:
            continue
        if outside(declared, month):
            check.error(f"月份不在报送期间（{declared.label}）内。", row, "month", f"{month // 100}-{month % 100:02d}")
        key = (unit, month)
        if key in seen:
            check.error(
                f"同一单位同一月份出现两次（另见第{seen[key]}行），每个单位每月只能有一行。",
                row,
                "month",
                f"{month // 100}-{month % 100:02d}",
            )
        else:
            seen[key] = row


def problems_rules(check: Check, values: dict[str, list], rows: list[int], declared: Period | None) -> None:
    seen: dict[tuple, int] = {}
    numbers = values["number"]
    for i, row in enumerate(rows):
        found, resolved, status = values["found_date"][i], values["resolved_date"][i], values["status"][i]
        if status == RESOLVED and resolved is None and not check.bad_resolved(row):
            check.error("整改状态为「已化解」，须填写化解日期。", row, "resolved_date")
        if status is not None and status != RESOLVED and resolved is not None:
            check.error(
                f"整改状态为「{status}」时不应填写化解日期；如已化解，请把状态改为「已化解」。",
                row,
                "resolved_date",
                resolved.isoformat(),
            )
        if found is not None and resolved is not None and resolved < found:
            check.error("化解日期早于发现日期，请核对。", row, "resolved_date", resolved.isoformat())
        if declared is not None:
            end = declared.end
            if found is not None and month_number(found.year, found.month) > end:
                check.error(f"发现日期晚于报送期间（{declared.label}）。", row, "found_date", found.isoformat())
            if resolved is not None and month_number(resolved.year, resolved.month) > end:
                check.error(f"化解日期晚于报送期间（{declared.label}）。", row, "resolved_date", resolved.isoformat())
        unit = values["unit"][i]
        if unit is None:
            continue
        key = (unit, numbers[i]) if numbers[i] else (unit, values["description"][i], found)
        if key in seen:
            check.error(
                f"同一问题出现两次（另见第{seen[key]}行）：问题编号（或问题描述加发现日期）须唯一。",
                row,
                "number" if numbers[i] else "description",
            )
        else:
            seen[key] = row


def indicators_rules(check: Check, values: dict[str, list], rows: list[int], declared: Period | None) -> None:
    seen: dict[tuple, int] = {}
    for i, row in enumerate(rows):
        if values["direction"][i] is None:
            values["direction"][i] = "越高越好"
        period = values["period"][i]
        if period is None:
            if declared is None:
                check.error("未填统计期间，文件也没有写明报送期间。请填写统计期间，如 2025年1-10月。", row, "period")
                continue
            period = values["period"][i] = declared
        elif declared is not None and not (declared.start <= period.start and period.end <= declared.end):
            check.error(f"统计期间不在报送期间（{declared.label}）内。", row, "period", period.label)
        key = (values["unit"][i], values["indicator_type"][i], values["indicator"][i], period)
        if None not in key:
            if key in seen:
                check.error(f"同一单位、同一指标、同一统计期间出现两次（另见第{seen[key]}行）。", row, "indicator")
            else:
                seen[key] = row


Rule = Callable[[Check, dict[str, list], list[int], Period | None], None]
RULES: dict[str, Rule] = {
    "learning": learning_rules,
    "hotline": hotline_rules,
    "problems": problems_rules,
    "indicators": indicators_rules,
}


def check_duplicates_across_sheets(tables: list[ValidTable], file_name: str, findings: list[Finding]) -> None:
    """The same key on two sheets of one kind in one file is as much a duplicate as on one sheet: a hotline
    unit and month, a problem (问题编号, or 问题描述 and 发现日期), an indicator and its 统计期间."""
    by_kind = defaultdict(list)
    for table in tables:
        by_kind[table.kind.key].append(table)
    for kind, (keys, message) in _SHEET_KEYS.items():
        if len(by_kind[kind]) < 2:
            continue
        seen: dict[tuple, tuple[str, int]] = {}
        for table in by_kind[kind]:
            for key, row in zip(keys(table.values), table.values["row"]):
                if key is None:
                    continue
                if key in seen and seen[key][0] != table.sheet:
                    where = f"工作表「{seen[key][0]}」第{seen[key][1]}行"
                    findings.append(
                        Finding(Level.ERROR, file_name, message.format(where=where), sheet=table.sheet, row=int(row))
                    )
                seen.setdefault(key, (table.sheet, int(row)))


def _keys(frame: Mapping[str, list], columns: tuple[str, ...]) -> list[tuple | None]:
    """Each row's values of ``columns``; None where one is missing (that row's error is said already)."""
    return [None if any(v is None for v in key) else key for key in zip(*(frame[c] for c in columns))]


def _problem_keys(frame: Mapping[str, list]) -> list[tuple | None]:
    return [
        None if unit is None else ((unit, number) if number else (unit, description, found))
        for unit, number, description, found in zip(
            frame["unit"], frame["number"], frame["description"], frame["found_date"]
        )
    ]


_SHEET_KEYS = {
    "hotline": (lambda f: _keys(f, ("unit", "month")), "同一单位同一月份在{where}已出现。"),
    "problems": (_problem_keys, "同一问题在{where}已出现：问题编号（或问题描述加发现日期）须唯一。"),
    "indicators": (
        lambda f: _keys(f, ("unit", "indicator_type", "indicator", "period")),
        "同一单位、同一指标、同一统计期间在{where}已出现。",
    ),
}
