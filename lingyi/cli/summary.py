"""``summary``: the figures of a year through a month, of all units or of some, as they are now or as a 会议版 froze
them; and the scope (year, month, categories, units) that the meeting commands read the same way."""

from __future__ import annotations

import argparse
import json

from lingyi.cli.shared import ArgumentProblem, parsed, store_of
from lingyi.registry import categories_or_error
from lingyi.store import Store
from lingyi.values import parse_month


def scope_from(args: argparse.Namespace, store: Store):
    from lingyi import metrics

    dataset = metrics.load(store)
    registry = dataset.registry
    units = tuple(registry.resolve(name).name for name in args.unit)
    categories = tuple(categories_or_error(args.category))
    year = args.year
    if year is not None and not 2000 <= year <= 2100:
        held = "、".join(str(y) for y in metrics.years_with_data(dataset))
        raise ArgumentProblem(
            f"--year {year}：请填写四位年份，如 2025。"
            + (f"库中有数据的年份：{held}。" if held else "库中还没有数据。")
        )
    through = None
    month = parsed(parse_month, "--through", args.through)
    if month is not None:
        if year is not None and month // 100 != year:
            raise ArgumentProblem(f"--through {args.through} 不在 --year {year} 之内。")
        year, through = month // 100, month % 100
    if year is None:
        year = metrics.default_year(dataset)
    if through is None:
        through = metrics.latest_month(dataset, year)
    return dataset, metrics.Scope(year, through, categories, units)


def run_summary(args: argparse.Namespace) -> int:
    from lingyi import metrics

    store = store_of(args)
    if args.snapshot:
        return _print_snapshot_figures(args, store)
    dataset, scope = scope_from(args, store)
    figures = metrics.summary(dataset, scope)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        print(summary_text(figures))
        for kind, name in (("learning", "学习活动"), ("hotline", "12345热线")):
            note = metrics.coverage(dataset, scope, kind).note
            if note:
                print(f"注：{name}{note}。")
    return 0


def fmt(value: object, suffix: str = "") -> str:
    if value is None:
        return "无数据"
    if isinstance(value, float):
        return f"{value:,.2f}{suffix}"
    return f"{value:,}{suffix}"


def summary_text(s: dict) -> str:
    learning, hotline, problems = s["learning"], s["hotline"], s["problems"]
    lines = [
        f"{s['year']}年 截至 {s['through']}：报送单位 {s['units']['reporting']}/{s['units']['registered']}",
        f"学习活动 {fmt(learning['activities'])} 项，{fmt(learning['sessions'])} 期，{fmt(learning['lectures'])} 节，"
        f"参与 {fmt(learning['person_times'])} 人次",
        f"12345热线诉求量 {fmt(hotline['appeals'])}（上年同期 {fmt(hotline['appeals_prev'])}，同比 "
        f"{fmt(hotline['appeals_yoy_pct'], '%')}）",
    ]
    for key, name in (
        ("first_time_rate", "一次性办好率"),
        ("resolution_rate", "问题解决率"),
        ("satisfaction_rate", "群众满意率"),
    ):
        lines.append(
            f"  {name} {fmt(hotline[f'{key}_pct'], '%')}（上年同期 {fmt(hotline[f'{key}_prev_pct'], '%')}，"
            f"变化 {fmt(hotline[f'{key}_pp'], ' 个百分点')}）"
        )
    lines.append(
        f"问题化解：排查单位 {problems['units_screened']}，发现 {fmt(problems['found'])}，化解 {fmt(problems['resolved'])}，"
        f"化解率 {fmt(problems['closure_rate_pct'], '%')}"
    )
    return "\n".join(lines)


def snapshot_about(snapshot) -> dict:
    scope = snapshot.scope
    return {
        "name": snapshot.name,
        "label": snapshot.label,
        "frozen_at": snapshot.created_at.isoformat(sep=" "),
        "frozen_by": snapshot.created_by,
        "year": scope.year,
        "through": f"{scope.year}-{scope.through:02d}",
        "categories": list(scope.categories),
        "units": list(scope.units),
        "submissions": snapshot.submissions,
    }


def no_scope_with_snapshot(args: argparse.Namespace) -> None:
    given = [flag for flag, value in (("--year", args.year), ("--through", args.through)) if value]
    given += ["--category"] * bool(args.category) + ["--unit"] * bool(args.unit)
    if given:
        raise ArgumentProblem(f"会议版已定下统计范围，不能再给 {'、'.join(given)}。")


def _print_snapshot_figures(args: argparse.Namespace, store: Store) -> int:
    """``summary --snapshot 名称``: the figures as frozen, labelled 「会议版：名称（冻结于 时间）」."""
    from lingyi.metrics import snapshots

    no_scope_with_snapshot(args)
    found = snapshots.find(store, args.snapshot)
    if args.json:
        print(json.dumps({**found.figures, "snapshot": snapshot_about(found)}, ensure_ascii=False, indent=1))
    else:
        print(found.label)
        print(summary_text(found.figures))
    return 0
