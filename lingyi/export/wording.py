"""Numbers as a report writes them (spec §5): a count's change in %, a rate's in 个百分点, 持平 inside
``FLAT_PERCENT`` / ``FLAT_POINTS``, counts in 万 and 亿, a missing prior period named as such, never 0."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lingyi.contract import CLOSURE_TARGET
from lingyi.figures.theme import count_text
from lingyi.values import missing

FLAT_PERCENT = 0.5  # a count that changed by less than ±0.5% on last year is 持平


FLAT_POINTS = 0.05  # a rate that changed by less than ±0.05 个百分点 is 持平


NO_PRIOR = "上年同期无可比数据"


NO_DATA = "无数据"


def known(value: object) -> bool:
    return not missing(value)


def pct(fraction: float | None) -> float | None:
    """A fraction as a percentage with two decimals, as the summary JSON has it: 0.90213 → 90.21."""
    return round(float(fraction) * 100, 2) if known(fraction) else None


def percent(fraction: float | None) -> str:
    """A rate as text: 0.9021 → 「90.21%」."""
    return f"{float(fraction) * 100:.2f}%" if known(fraction) else NO_DATA


def trend(change: float | None, *, points: bool) -> str | None:
    """up, down or flat for a change (a fraction); None when there is nothing to compare with.

    ``points``: the change of a rate, flat within ``FLAT_POINTS`` 百分点; else a count's relative change,
    flat within ``FLAT_PERCENT`` %.
    """
    if not known(change):
        return None
    shown = float(change) * 100
    if abs(shown) < (FLAT_POINTS if points else FLAT_PERCENT):
        return FLAT
    return UP if shown > 0 else DOWN


def noted(note: str) -> str:
    """「（10月尚有 2 家单位未报送，同比按同口径计算）」 after a year on year, or nothing."""
    return f"（{note}）" if note else ""


def count_change(change: float | None) -> str:
    """A count's change on the same months last year: 「同比下降18.75%」, 「与上年同期持平」 or ``NO_PRIOR``."""
    direction = trend(change, points=False)
    if direction is None:
        return NO_PRIOR
    if direction == FLAT:
        return "与上年同期持平"
    return f"同比{'上升' if direction == UP else '下降'}{abs(float(change)) * 100:.2f}%"


def points_change(change: float | None) -> str:
    """A rate's change in 百分点: 「较上年同期提高2.51个百分点」, 「与上年同期持平」 or ``NO_PRIOR``."""
    direction = trend(change, points=True)
    if direction is None:
        return NO_PRIOR
    if direction == FLAT:
        return "与上年同期持平"
    return f"较上年同期{'提高' if direction == UP else '下降'}{abs(float(change)) * 100:.2f}个百分点"


def against_target(rate: float | None, target: float = CLOSURE_TARGET) -> str:
    """「高于90%的目标」, 「达到90%的目标」 or 「低于90%的目标1.25个百分点」 (compared as shown, to 0.01%)."""
    name = f"{target * 100:g}%的目标"
    shown, goal = pct(rate), round(target * 100, 2)
    if shown is None:
        return ""
    if shown > goal:
        return f"高于{name}"
    if shown == goal:
        return f"达到{name}"
    return f"低于{name}{goal - shown:.2f}个百分点"


def target_figures(rate: float | None, target: float = CLOSURE_TARGET) -> dict[str, object]:
    """The figures ``against_target`` used: the target, and how far below it the rate is (百分点)."""
    shown, goal = pct(rate), round(target * 100, 2)
    return {"problems.target_pct": goal, "problems.below_target_pp": round(goal - shown, 2) if shown else None}


def extremes(values: Mapping[str, object]) -> tuple[tuple[str, float], tuple[str, float]] | None:
    """The largest and the smallest of named values (the first of equals); None when fewer than two differ."""
    present = {name: float(v) for name, v in values.items() if known(v)}
    if len(present) < 2:
        return None
    best = max(present, key=present.__getitem__)
    weakest = min(present, key=present.__getitem__)
    if present[best] == present[weakest]:
        return None
    return (best, present[best]), (weakest, present[weakest])


def joined(parts: Sequence[str]) -> str:
    return "、".join(parts)


def shown(value: float, kind: str, unit: str = "") -> str:
    """A value as a sentence writes it: a count in 万, a rate in %, a change of a rate in 百分点, a ratio."""
    if kind == "rate":
        return percent(value)
    if kind == "points":
        return f"{abs(value) * 100:.2f}个百分点"
    if kind == "ratio":
        return f"{value:,.2f}{unit}"
    return count_text(value, unit)


UP, DOWN, FLAT = "up", "down", "flat"
