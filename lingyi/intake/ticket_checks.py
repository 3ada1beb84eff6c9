"""Tickets against returns: where a unit's 热线指标 return and the 12345 export disagree for a month, each
disagreement named (单位, 月份, 指标, both figures, which one the store counts)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lingyi.contract import (
    HOTLINE_SOURCES,
)
from lingyi.errors import Finding, Level
from lingyi.intake.tickets import TicketFile
from lingyi.intake.valid import ValidatedFile
from lingyi.values import (
    month_label,
)

FIGURES = (
    ("appeals", "诉求量"),
    ("first_time_rate", "一次性办好率"),
    ("resolution_rate", "问题解决率"),
    ("satisfaction_rate", "群众满意率"),
)


COMPARISON_COLUMNS = ["单位", "月份", "指标", "工单数据", "单位报表", "相差", "报表文件", "统计采用"]


@dataclass(frozen=True)
class Disagreement:
    """One unit and month where the tickets and the unit's own 热线指标 return give different figures."""

    unit: str
    month: int
    figures: tuple[tuple[str, object, object], ...]  # (label, from the tickets, from the return)
    return_file: str
    setting: str  # the HOTLINE_SOURCES key in force
    counts: str  # "tickets" or "returns": which one the figures use under the setting
    sheet: str | None
    row: int | None


def disagreements(validated: ValidatedFile, store) -> list[Disagreement]:
    """Where this file's 热线指标 and the store's other source disagree, month by month: a ticket export against
    the units' returns, a return against the tickets stored for its units."""
    tables = [t for t in validated.tables if t.kind.key == "hotline"]
    if not tables or store is None:
        return []
    units = sorted({u for t in tables for u in t.values["unit"] if u})
    ours = isinstance(validated, TicketFile)
    side = "returns" if ours else "tickets"
    other = store.hotline_by_source(units, side)[side]
    if not other:
        return []
    setting = store.hotline_source()
    found = []
    for table in tables:
        for record in table.frame.to_dict("records"):
            theirs = other.get((record["unit"], record["month"]))
            if theirs is None:
                continue
            tickets, returned = (record, theirs) if ours else (theirs, record)
            differ = tuple(
                (label, tickets[key], returned[key])
                for key, label in FIGURES
                if _differs(tickets[key], returned[key], key)
            )
            if not differ:
                continue
            counts = _counting(setting, ours)
            found.append(
                Disagreement(
                    record["unit"],
                    int(record["month"]),
                    differ,
                    validated.name if not ours else str(theirs["file"]),
                    setting,
                    counts,
                    table.sheet,
                    int(record["row"]) if record.get("row") is not None else None,
                )
            )
    return found


def _counting(setting: str, this_is_tickets: bool) -> str:
    if setting == "newest":
        return "tickets" if this_is_tickets else "returns"  # the file being stored is the newest
    return setting


def _differs(a: object, b: object, key: str) -> bool:
    if a is None or b is None or (isinstance(a, float) and np.isnan(a)) or (isinstance(b, float) and np.isnan(b)):
        return False
    tolerance = 0.5 if key == "appeals" else 0.00005  # a rate as a return rounds it: 93.72%
    return abs(float(a) - float(b)) > tolerance


def _shown(label: str, value: object) -> str:
    if value is None:
        return "—"
    return f"{int(value):,}" if label == "诉求量" else f"{float(value):.2%}"


def disagreement_findings(validated: ValidatedFile, store) -> list[Finding]:
    """Each disagreement as a warning at the file's row, both values side by side and which one counts."""
    findings = []
    for d in disagreements(validated, store):
        pairs = "；".join(f"{label} 工单 {_shown(label, t)} / 报表 {_shown(label, r)}" for label, t, r in d.figures)
        month = month_label(d.month)
        findings.append(
            Finding(
                Level.WARNING,
                validated.name,
                f"{d.unit} {month}：{pairs}（单位报表「{d.return_file}」）。"
                f"按设置「{HOTLINE_SOURCES[d.setting]}」，统计采用{'工单数据' if d.counts == 'tickets' else '单位报表'}。",
                sheet=d.sheet,
                row=d.row,
            )
        )
    return findings


def comparison_table(validated: ValidatedFile | None, store) -> pd.DataFrame:
    """The disagreements side by side, one row per unit, month and figure, as the upload desk shows them."""
    rows = []
    for d in disagreements(validated, store) if validated is not None else []:
        for label, t, r in d.figures:
            gap = float(t) - float(r)
            rows.append(
                {
                    "单位": d.unit,
                    "月份": month_label(d.month),
                    "指标": label,
                    "工单数据": _shown(label, t),
                    "单位报表": _shown(label, r),
                    "相差": f"{gap:+,.0f}" if label == "诉求量" else f"{gap * 100:+.2f} 个百分点",
                    "报表文件": d.return_file,
                    "统计采用": "工单数据" if d.counts == "tickets" else "单位报表",
                }
            )
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
