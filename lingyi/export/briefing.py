"""Briefings for meetings: a 16:9 PPTX, a DOCX in the manner of 汇报材料, a ZIP of chart pictures.

``build`` gathers what a briefing says for a scope: the key figures, the narrative of ``lingyi.export.narrative``,
the charts chosen from ``CATALOGUE`` (each chart a figure of ``lingyi.figures`` with a one-line takeaway) and
an appendix table per theme. ``FORMATS`` writes it: slides and report by ``lingyi.export.slides``, the pictures'
ZIP here. Pictures come from ``picture`` — ``lingyi.figures.pictures.png`` unless a test stands in for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from lingyi import figures, metrics
from lingyi.contract import CATEGORIES, CLOSURE_TARGET
from lingyi.export import narrative, wording
from lingyi.export.content import DEFAULT_TITLE, Briefing, Chart, KeyFigure, Sentence, Table
from lingyi.figures import pictures
from lingyi.figures.theme import count_text

# -- the charts a briefing can hold ----------------------------------------------------------------------------


Builder = Callable[[metrics.Dataset, metrics.Scope], tuple[go.Figure, Sentence | None]]


@dataclass(frozen=True)
class ChartSpec:
    key: str
    theme: str
    name: str  # as the picker lists it
    build: Builder
    default: bool

    def chart(self, ds: metrics.Dataset, scope: metrics.Scope) -> Chart:
        fig, takeaway = self.build(ds, scope)
        title = pictures.figure_title(fig)
        return Chart(self.key, self.theme, title, fig, takeaway or Sentence(f"{title}。"))


CATALOGUE: dict[str, ChartSpec] = {}


def _chart(key: str, theme: str, name: str, *, default: bool = False) -> Callable[[Builder], Builder]:
    def register(build: Builder) -> Builder:
        CATALOGUE[key] = ChartSpec(key, theme, name, build, default)
        return build

    return register


@_chart("learning_by_category", "learning", "各类别参与人次", default=True)
def _learning_by_category(ds, scope):
    frame = metrics.learning_by(ds, scope, "category")
    fig = figures.by_category(frame, value="person_times", title=f"{scope.span_label} 各类别参与人次")
    shown = narrative.in_scope(ds, scope, frame)
    return fig, narrative.category_extremes(shown, "person_times", name="参与人次", unit="人次", lead="")


@_chart("learning_by_month", "learning", "每月参与人次", default=True)
def _learning_by_month(ds, scope):
    frame = metrics.learning_by(ds, scope, "month")
    fig = figures.monthly(frame, value="person_times", title=f"{scope.span_label} 每月参与人次")
    return fig, narrative.month_extremes(frame, "person_times", name="参与人次", unit="人次")


@_chart("learning_units", "learning", "参与人次前15名单位")
def _learning_units(ds, scope):
    frame = metrics.learning_by(ds, scope, "unit")
    fig = figures.unit_ranking(frame, value="person_times", title=f"{scope.span_label} 参与人次前15名单位")
    return fig, narrative.leader(frame, "person_times", name="参与人次", unit="人次")


@_chart("learning_per_head", "learning", "人均参与人次前15名单位")
def _learning_per_head(ds, scope):
    frame = metrics.learning_by(ds, scope, "unit")
    fig = figures.unit_ranking(frame, value="per_head", title=f"{scope.span_label} 人均参与人次前15名单位")
    return fig, narrative.leader(frame, "per_head", name="人均参与人次", kind="ratio", unit="人次/人")


@_chart("learning_themes", "learning", "各学习主题参与人次", default=True)
def _learning_themes(ds, scope):
    frame = metrics.learning_by(ds, scope, "theme")
    title = f"{scope.span_label} 各学习主题参与人次"
    fig = figures.breakdown(frame, by="theme", value="person_times", title=title)
    return fig, narrative.share_sentence(frame, "theme", "person_times", lead="从学习主题看", name="参与人次")


@_chart("learning_forms", "learning", "各活动形式参与人次")
def _learning_forms(ds, scope):
    frame = metrics.learning_by(ds, scope, "form")
    fig = figures.breakdown(frame, by="form", value="person_times", title=f"{scope.span_label} 各活动形式参与人次")
    return fig, narrative.share_sentence(frame, "form", "person_times", lead="从活动形式看", name="参与人次")


@_chart("hotline_by_month", "hotline", "每月诉求量：本年与上年同期", default=True)
def _hotline_by_month(ds, scope):
    frame = metrics.hotline_by(ds, scope, "month")
    title = f"{scope.span_label} 每月诉求量：本年与上年同期"
    fig = figures.this_year_and_last_by_month(frame, value="appeals", previous="appeals_prev", title=title)
    return fig, narrative.appeals_by_month(metrics.hotline_totals(ds, scope), frame)


@_chart("hotline_rates", "hotline", "三率：本年与上年同期", default=True)
def _hotline_rates(ds, scope):
    totals = metrics.hotline_totals(ds, scope)
    fig = figures.rates_this_and_last_year(totals, title=f"{scope.span_label} 三率：本年与上年同期")
    text, used = narrative.rates_clause(totals, levels=True)
    return fig, Sentence(f"{text}。", used) if text else None


@_chart("hotline_by_category", "hotline", "各类别诉求量：本年与上年同期", default=True)
def _hotline_by_category(ds, scope):
    frame = metrics.hotline_by(ds, scope, "category")
    title = f"{scope.span_label} 各类别诉求量：本年与上年同期"
    fig = figures.category_this_and_last_year(frame, value="appeals", previous="appeals_prev", title=title)
    shown = narrative.in_scope(ds, scope, frame)
    return fig, narrative.appeals_by_category(shown[shown["has_current"]])


@_chart("hotline_rate_changes", "hotline", "各类别三率较上年同期变化")
def _hotline_rate_changes(ds, scope):
    frame = metrics.hotline_by(ds, scope, "category")
    fig = figures.rate_changes_by_category(frame, title=f"{scope.span_label} 各类别三率较上年同期变化（百分点）")
    shown = narrative.in_scope(ds, scope, frame)
    return fig, narrative.group_extremes(
        shown, "category", "satisfaction_rate_change", name="群众满意率", kind="points"
    )


@_chart("problems_found_resolved", "problems", "各类别发现与化解问题")
def _problems_found_resolved(ds, scope):
    frame = metrics.problems_by(ds, scope, "category")
    fig = figures.found_and_resolved(frame, by="category", title=f"{scope.as_of_label} 各类别发现与化解问题")
    shown = narrative.in_scope(ds, scope, frame)
    return fig, narrative.category_extremes(shown, "found", name="发现问题", unit="条", lead="")


@_chart("problems_closure_by_category", "problems", "各类别问题化解率", default=True)
def _problems_closure_by_category(ds, scope):
    frame = metrics.problems_by(ds, scope, "category")
    fig = figures.closure_rates(frame, by="category", title=f"{scope.as_of_label} 各类别问题化解率")
    return fig, narrative.closure_by_group(narrative.in_scope(ds, scope, frame), "category")


@_chart("problems_closure_by_type", "problems", "各问题类别化解率")
def _problems_closure_by_type(ds, scope):
    frame = metrics.problems_by(ds, scope, "problem_type")
    fig = figures.closure_rates(frame, by="problem_type", title=f"{scope.as_of_label} 各问题类别化解率")
    return fig, narrative.closure_by_group(frame, "problem_type")


@_chart("problems_cumulative", "problems", "累计发现与化解问题", default=True)
def _problems_cumulative(ds, scope):
    frame = metrics.problems_cumulative(ds, scope)
    fig = figures.cumulative_problems(frame, title=f"{scope.span_label} 累计发现与化解问题")
    return fig, narrative.cumulative_closure(scope, metrics.problem_totals(ds, scope))


@_chart("problems_stages", "problems", "点题→破题→解题→验题 各环节问题", default=True)
def _problems_stages(ds, scope):
    frame = metrics.problems_by(ds, scope, "stage")
    fig = figures.problems_by_stage(frame, title=f"{scope.as_of_label} 点题→破题→解题→验题 各环节问题")
    return fig, narrative.closure_by_group(frame, "stage")


@_chart("problems_below_target", "problems", "化解率最低的单位")
def _problems_below_target(ds, scope):
    below = metrics.units_below_target(ds, scope)
    title = f"{scope.as_of_label} 化解率最低的{min(len(below), 15)}个单位（低于目标共{len(below)}个）"
    if below.empty:
        fig = figures.nothing_to_draw(title=f"{scope.as_of_label} 化解率低于目标的单位", message="没有低于目标的单位")
    else:
        fig = figures.closure_rates(below.head(15), by="short_name", title=title, horizontal=True)
    return fig, narrative.below_target_units(below)


@_chart("indicators_by_category", "indicators", "各类别指标平均完成度", default=True)
def _indicators_by_category(ds, scope):
    frame = metrics.indicators_by(ds, scope, "category")
    fig = figures.completion_by_category(frame, title=f"{scope.span_label} 各类别指标平均完成度")
    completion = narrative.category_completion(frame)
    return fig, narrative.category_extremes(completion, "mean_completion", name="平均完成度", rate=True, lead="")


@_chart("indicators_units", "indicators", "各单位指标平均完成度（最高与最低）")
def _indicators_units(ds, scope):
    scores = metrics.unit_scores(ds, scope, "indicators")
    labels = ("完成度最高的八个单位", "完成度最低的八个单位")
    title = f"{scope.span_label} 各单位指标平均完成度"
    fig = figures.best_and_weakest(scores, value="mean_completion", title=title, n=8, labels=labels)
    return fig, narrative.leader(scores, "mean_completion", name="指标平均完成度", kind="rate")


DEFAULT_CHARTS = tuple(key for key, spec in CATALOGUE.items() if spec.default)


# -- what a briefing says ----------------------------------------------------------------------------------------


def describe(scope: metrics.Scope, ds: metrics.Dataset) -> str:
    """「2025年1—10月 · 全部类别 · 全部单位」: what the briefing covers."""
    categories = "、".join(scope.categories) if scope.categories else "全部类别"
    if not scope.units:
        units = "全部单位"
    elif len(scope.units) <= 3:
        names = ds.units.set_index("unit")["short_name"]
        units = "、".join(str(names.get(u, u)) for u in scope.units)
    else:
        units = f"{len(scope.units)}个单位"
    described = f"{scope.span_label} · {categories} · {units}"
    return f"{ds.label} · {described}" if ds.label else described  # a snapshot says so on every slide


def build(
    ds: metrics.Dataset,
    scope: metrics.Scope,
    *,
    charts: Sequence[str] = DEFAULT_CHARTS,
    title: str = DEFAULT_TITLE,
    date: dt.date | None = None,
) -> Briefing:
    """Everything a briefing for ``scope`` says, with the charts ``charts`` (keys of ``CATALOGUE``) in that order."""
    unknown = [key for key in charts if key not in CATALOGUE]
    if unknown:
        raise KeyError(f"没有这些图表：{'、'.join(unknown)}；可选：{'、'.join(CATALOGUE)}")
    return Briefing(
        title=title.strip() or DEFAULT_TITLE,
        scope=scope,
        scope_text=describe(scope, ds),
        date=date or dt.date.today(),
        key_figures=key_figures(ds, scope),
        paragraphs=tuple(narrative.narrate(ds, scope)),
        charts=tuple(CATALOGUE[key].chart(ds, scope) for key in charts),
        tables=appendix(ds, scope),
        notes={"hotline": metrics.coverage(ds, scope, "hotline").note},
    )


def key_figures(ds: metrics.Dataset, scope: metrics.Scope) -> tuple[KeyFigure, ...]:
    """The eight numbers a meeting opens with, as ``python -m lingyi summary`` has them."""
    learning = metrics.learning_totals(ds, scope)
    hotline = metrics.hotline_totals(ds, scope)
    problems = metrics.problem_totals(ds, scope)
    registered = len(metrics.scoped_units(ds, scope))
    silent = narrative.NOT_REPORTED  # a theme nobody in scope sent: 尚无报送, not 0
    learned = bool(learning["activities"])
    latest = [metrics.coverage(ds, scope, kind) for kind in ("learning", "hotline")]
    short = [(name, c) for name, c in zip(("学习", "热线"), latest, strict=True) if c.reported < c.expected]
    # A year's 108/108 beside a latest month with units missing would hide them: that month is said too.
    reporting_note = (
        f"{scope.through}月已报：" + "，".join(f"{name}{c.reported}/{c.expected}" for name, c in short)
        if short
        else "已报送/应报送（家）"
    )
    found = [
        KeyFigure("报送单位", f"{len(metrics.reporting_units(ds, scope))}/{registered}", reporting_note),
        KeyFigure("学习活动", count_text(learning["activities"]) if learned else silent, "场次"),
        KeyFigure("参与人次", count_text(learning["person_times"]) if learned else silent, "人次"),
        KeyFigure(
            "12345热线诉求量",
            count_text(hotline["appeals"], "件") if hotline["has_current"] else silent,
            wording.count_change(hotline["appeals_yoy"]),
        ),
    ]
    for rate, name in metrics.RATE_NAMES.items():
        level = wording.percent(hotline[rate]) if hotline["has_current"] else silent
        found.append(KeyFigure(name, level, wording.points_change(hotline[f"{rate}_change"])))
    closure = problems["closure_rate"]
    found.append(
        KeyFigure(
            "问题化解率",
            wording.percent(closure) if problems["found"] else silent,
            wording.against_target(closure) or f"目标{CLOSURE_TARGET:.0%}",
        )
    )
    return tuple(found)


NONE = "—"  # a cell without data, or without last year's to compare with


def _text_table(rows: list[dict[str, str]], total: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([*rows, total])


def _percent(fraction: object) -> str:
    return wording.percent(fraction) if wording.known(fraction) else NONE


def _points(change: object) -> str:
    return f"{float(change) * 100:+.2f}" if wording.known(change) else NONE


def appendix(ds: metrics.Dataset, scope: metrics.Scope) -> tuple[Table, ...]:
    """One table per theme, a row per category in scope and a 合计 row that is the summary's figure."""
    return (
        _learning_table(ds, scope),
        _hotline_table(ds, scope),
        _problems_table(ds, scope),
        _indicators_table(ds, scope),
    )


def _learning_table(ds: metrics.Dataset, scope: metrics.Scope) -> Table:
    frame = narrative.in_scope(ds, scope, metrics.learning_by(ds, scope, "category"))
    totals = metrics.learning_totals(ds, scope)
    columns = {"activities": "学习活动（场次）", "sessions": "期数", "lectures": "节数", "person_times": "参与人次"}
    rows = [
        {
            "类别": str(r["category"]),
            **{h: f"{int(r[m]):,}" if r["has_data"] else narrative.NOT_REPORTED for m, h in columns.items()},
        }
        for _, r in frame.iterrows()
    ]
    total = {"类别": "合计", **{h: f"{totals[m]:,}" for m, h in columns.items()}}
    return Table("各类别学习活动情况", _text_table(rows, total))


def _hotline_table(ds: metrics.Dataset, scope: metrics.Scope) -> Table:
    def row(name: str, found: Mapping[str, object]) -> dict[str, str]:
        cells = {
            "类别": name,
            "诉求量（件）": f"{int(found['appeals']):,}" if found["has_current"] else narrative.NOT_REPORTED,
            "同比": figures.change_text(found["appeals_yoy"]).replace(figures.NO_DATA, NONE),
        }
        for rate, rate_name in metrics.RATE_NAMES.items():
            cells[rate_name] = f"{_percent(found[rate])}（{_points(found[f'{rate}_change'])}）"
        return cells

    frame = narrative.in_scope(ds, scope, metrics.hotline_by(ds, scope, "category"))
    rows = [row(str(r["category"]), r) for _, r in frame.iterrows()]
    note = metrics.coverage(ds, scope, "hotline").note
    return Table(
        "各类别12345热线办理情况",
        _text_table(rows, row("合计", metrics.hotline_totals(ds, scope))),
        f"括号内为较上年同期变化（百分点）；同比为诉求量较上年同期的变化（%）；{NONE}表示无数据或上年同期无可比数据。"
        + (f"{note}。" if note else ""),
    )


def _problems_table(ds: metrics.Dataset, scope: metrics.Scope) -> Table:
    def row(name: str, found: int, resolved: int, closure: object) -> dict[str, str]:
        return {
            "类别": name,
            "发现问题（条）": f"{found:,}" if found or name == "合计" else narrative.NOT_REPORTED,
            "已化解（条）": f"{resolved:,}" if found or name == "合计" else narrative.NOT_REPORTED,
            "化解率": _percent(closure),
            f"与目标{CLOSURE_TARGET:.0%}差距（百分点）": _points(
                float(closure) - CLOSURE_TARGET if wording.known(closure) else None
            ),
        }

    frame = narrative.in_scope(ds, scope, metrics.problems_by(ds, scope, "category"))
    rows = [
        row(str(r["category"]), int(r["found"]), int(r["resolved"]), r["closure_rate"]) for _, r in frame.iterrows()
    ]
    totals = metrics.problem_totals(ds, scope)
    total = row("合计", totals["found"], totals["resolved"], totals["closure_rate"])
    return Table(
        "各类别问题排查化解情况", _text_table(rows, total), f"化解率为截至{scope.through}月末已化解 ÷ 发现问题。"
    )


def _indicators_table(ds: metrics.Dataset, scope: metrics.Scope) -> Table:
    def row(category: str, kind: str, found: Mapping[str, object]) -> dict[str, str]:
        return {
            "类别": category,
            "指标类型": kind,
            "指标数（项）": f"{int(found['indicators']):,}",
            "达标（项）": f"{int(found['met']):,}",
            "达标率": _percent(found["met_rate"]),
            "平均完成度": _percent(found["mean_completion"]),
        }

    frame = metrics.indicators_by(ds, scope, "category")
    ordered = frame.assign(_order=frame["category"].map(CATEGORIES.index)).sort_values(["_order", "indicator_type"])
    rows = [row(str(r["category"]), str(r["indicator_type"]), r) for _, r in ordered.iterrows()]
    everything = metrics.indicator_totals(ds, scope).set_index("indicator_type").loc["全部"]
    total = row("合计", "全部", everything)
    running = int(everything["running"])
    so_far = f"其中{running}项统计期间尚未结束，为{metrics.YEAR_TO_DATE}的完成值。" if running else ""
    return Table(
        "各类别指标完成情况",
        _text_table(rows, total),
        "完成度 = 完成值 ÷ 目标值（「越低越好」的指标为 目标值 ÷ 完成值）；"
        f"同一指标取所选月份前开始、结束最晚的统计期间。{so_far}",
    )


# -- the pictures, and the files by name ---------------------------------------------------------------------------
