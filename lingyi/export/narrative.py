"""The words of a briefing: sentences in the manner of a 汇报材料, made from the figures of ``lingyi.metrics``.

The same figures always give the same words. The rules (spec §5):

- a count's change is relative, in % (「诉求量同比下降18.75%」); a rate's change is in 百分点
  (「提高2.51个百分点」), never called a percent;
- the sign says 上升 or 下降 (a rate 提高 or 下降); a change smaller than ``FLAT_PERCENT`` (a count) or
  ``FLAT_POINTS`` (a rate) is 持平;
- counts from 1万 on are written in 万 (「4.57万人次」), from 1亿 on in 亿;
- a missing prior period is named as such (「上年同期无可比数据」), never written as 0 or 100%;
- the best and the weakest category are named — among those that sent something: a category, unit or
  month that sent nothing is 「尚无报送」 (``NOT_REPORTED``), never 0 and never the least.

Every ``Sentence`` carries the figures it was made from (``figures``: name → value, named and rounded as
``python -m lingyi summary --json`` has them where it has them), so a reader can trace each number back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pandas as pd

from lingyi import figures as charts
from lingyi import metrics
from lingyi.contract import CATEGORIES, CLOSURE_TARGET
from lingyi.export.content import Paragraph, Sentence
from lingyi.export.wording import (
    DOWN,
    FLAT,
    NO_PRIOR,
    UP,
    against_target,
    count_change,
    extremes,
    joined,
    known,
    noted,
    pct,
    percent,
    points_change,
    shown,
    target_figures,
    trend,
)
from lingyi.figures.theme import count_text

NOT_REPORTED = charts.NOT_REPORTED  # 尚无报送
UNITS = {"activities": "场次", "sessions": "期", "lectures": "节", "person_times": "人次", "appeals": "件"}
PROBLEM_UNIT = "条"
RATE_NAMES = metrics.RATE_NAMES  # 一次性办好率, 问题解决率, 群众满意率
SILENT_GROUPS = {"category": "个类别", "月份": "个月"}  # 「其余8个月尚无报送」


# -- numbers as a report writes them -------------------------------------------------------------------------------


# -- who the figures are about -------------------------------------------------------------------------------------


def who(scope: metrics.Scope, registered: int) -> str:
    """「全市108家市直部门单位」, 「执法监督类18家单位」 or 「所选3家单位」."""
    if scope.units:
        return f"所选{registered}家单位"
    if scope.categories:
        return f"{joined(scope.categories)}类{registered}家单位"
    return f"全市{registered}家市直部门单位"


def reporting(ds: metrics.Dataset, scope: metrics.Scope, kind: str) -> int:
    """Units in scope with a live submission of one sheet kind (``learning`` …) covering months 1..M."""
    of_kind = dataclasses.replace(ds, submissions=ds.submissions[ds.submissions["kind"] == kind])
    return len(metrics.reporting_units(of_kind, scope))


# -- the sentences -------------------------------------------------------------------------------------------------


def rates_clause(totals: Mapping[str, object], *, levels: bool) -> tuple[str, dict[str, object]]:
    """The three hotline rates and their change in 百分点, grouped when they moved alike.

    「一次性办好率、问题解决率、群众满意率分别为88.10%、92.53%、94.18%，较上年同期分别提高2.51、3.00、2.69个百分点」
    """
    rates = [r for r in metrics.RATES if known(totals.get(r))]
    if not rates:
        return "", {}
    used: dict[str, object] = {}
    for rate in rates:
        used[f"hotline.{rate}_pct"] = pct(totals[rate])
        used[f"hotline.{rate}_pp"] = pct(totals.get(f"{rate}_change"))
    names = joined([RATE_NAMES[r] for r in rates])
    level_text = (
        f"分别为{joined([percent(totals[r]) for r in rates])}" if len(rates) > 1 else f"为{percent(totals[rates[0]])}"
    )
    trends = {trend(totals.get(f"{r}_change"), points=True) for r in rates}
    if len(trends) == 1:
        (direction,) = trends
        changes = joined([f"{abs(float(totals[f'{r}_change'])) * 100:.2f}" for r in rates]) if direction else ""
        each = "分别" if len(rates) > 1 else ""
        if direction is None:
            change = NO_PRIOR
        elif direction == FLAT:
            change = f"{'均' if len(rates) > 1 else ''}与上年同期持平"
        else:
            change = f"较上年同期{each}{'提高' if direction == UP else '下降'}{changes}个百分点"
        if levels:
            return f"{names}{level_text}，{change}", used
        short = change.replace("较上年同期", "") if direction in (UP, DOWN) else change
        return f"{names}{short}", used
    parts = []
    for rate in rates:
        change = points_change(totals.get(f"{rate}_change"))
        level = percent(totals[rate]) if levels else ""
        parts.append(f"{RATE_NAMES[rate]}{level}，{change}" if levels else f"{RATE_NAMES[rate]}{change}")
    return "；".join(parts) if levels else "，".join(parts), used


def opening(
    scope: metrics.Scope,
    *,
    registered: int,
    learning_reporting: int,
    learning: Mapping[str, int],
    hotline: Mapping[str, object],
    problems: Mapping[str, object],
    target: float = CLOSURE_TARGET,
    hotline_note: str = "",
) -> Sentence:
    """The first sentence of the report: who reported, how much learning, the hotline, the problems.

    ``hotline_note``: the like-for-like note (``metrics.Coverage.note``) said beside the hotline's year on year."""
    used: dict[str, object] = {"units.registered": registered}
    clauses = []
    if learning["activities"]:
        used |= {
            "learning.reporting_units": learning_reporting,
            "learning.activities": learning["activities"],
            "learning.person_times": learning["person_times"],
        }
        clauses.append(
            f"{who(scope, registered)}中已有{learning_reporting}家报送学习情况，"
            f"累计开展学习活动{count_text(learning['activities'], UNITS['activities'])}、"
            f"覆盖{count_text(learning['person_times'], UNITS['person_times'])}"
        )
    else:
        clauses.append(f"{who(scope, registered)}尚无学习活动数据")
    if hotline.get("has_current"):
        used |= {"hotline.appeals": hotline["appeals"], "hotline.appeals_yoy_pct": pct(hotline["appeals_yoy"])}
        change = count_change(hotline["appeals_yoy"])
        appeals = f"12345热线诉求量{count_text(hotline['appeals'], UNITS['appeals'])}，{change}"
        rates, rate_figures = rates_clause(hotline, levels=False)
        if hotline.get("has_previous") and rates:
            used |= rate_figures
            appeals = f"{appeals}，{rates}"
        clauses.append(f"{appeals}{noted(hotline_note)}")
    if problems.get("found"):
        used |= {"problems.found": problems["found"], "problems.closure_rate_pct": pct(problems["closure_rate"])}
        used |= target_figures(problems["closure_rate"], target)
        closure = problems["closure_rate"]
        clauses.append(
            f"累计排查问题{count_text(problems['found'], PROBLEM_UNIT)}，化解率{percent(closure)}，{against_target(closure, target)}"
        )
    return Sentence(f"{scope.span_label}，{'；'.join(clauses)}。", used)


def learning_sentences(
    scope: metrics.Scope,
    *,
    registered: int,
    learning_reporting: int,
    totals: Mapping[str, int],
    previous: Mapping[str, int] | None,
    by_category: pd.DataFrame,
    by_theme: pd.DataFrame,
    by_form: pd.DataFrame,
    note: str = "",
) -> tuple[Sentence, ...]:
    """学习活动: totals and their change on last year, the best and weakest category, the leading theme and form.

    ``previous``: last year's totals over the same units and months (同口径), None where there are none; ``note``
    the like-for-like note said beside the change."""
    previous = previous or {}
    if not totals["activities"]:
        return (
            Sentence(f"{scope.span_label}，{who(scope, registered)}尚无学习活动数据。", {"learning.activities": 0}),
        )
    change = (
        (totals["person_times"] - previous["person_times"]) / previous["person_times"]
        if previous.get("activities") and previous.get("person_times")
        else None
    )
    sentences = [
        Sentence(
            f"学习活动方面，{who(scope, registered)}中已有{learning_reporting}家报送学习情况，"
            f"累计开展学习活动{count_text(totals['activities'], UNITS['activities'])}、"
            f"{count_text(totals['sessions'], UNITS['sessions'])}、{count_text(totals['lectures'], UNITS['lectures'])}，"
            f"参与{count_text(totals['person_times'], UNITS['person_times'])}，参与人次{count_change(change)}"
            f"{noted(note) if change is not None else ''}。",
            {
                "learning.reporting_units": learning_reporting,
                "learning.activities": totals["activities"],
                "learning.sessions": totals["sessions"],
                "learning.lectures": totals["lectures"],
                "learning.person_times": totals["person_times"],
                "learning.person_times_prev": previous.get("person_times") if previous.get("activities") else None,
                "learning.person_times_yoy_pct": pct(change),
            },
        )
    ]
    category = category_extremes(by_category, "person_times", name="参与人次", unit=UNITS["person_times"])
    if category:
        sentences.append(category)
    shares = [
        share_sentence(by_theme, "theme", "person_times", lead="从学习主题看", name="参与人次"),
        share_sentence(by_form, "form", "person_times", lead="从活动形式看", name="参与人次"),
    ]
    found = [s for s in shares if s]
    if found:
        texts = [s.text.rstrip("。") for s in found]
        sentences.append(Sentence("；".join(texts) + "。", {k: v for s in found for k, v in s.figures.items()}))
    return tuple(sentences)


def group_extremes(
    frame: pd.DataFrame, by: str, value: str, *, name: str, kind: str = "count", unit: str = "", lead: str = ""
) -> Sentence | None:
    """The best and the weakest group on one figure: 「国有企业参与人次最多（8.15万人次），群团事业最少（1.21万人次）。」

    ``kind`` is "count" (最多/最少), "rate" or "ratio" (最高/最低) or "points", a change of a rate in 百分点
    (提高最多 …, 下降最多 …). Groups that sent nothing (``figures.reported``) are not ranked but named
    as 「尚无报送」.
    """
    sent = charts.reported(frame).to_numpy()
    silent = [str(g) for g in frame.loc[~sent, by]]
    frame = frame[sent]
    found = extremes({str(g): v for g, v in zip(frame[by], frame[value])})
    if found is None:
        return None
    (best, high), (weakest, low) = found
    traced = pct if kind in ("rate", "points") else (lambda v: v)
    suffix = {"rate": "_pct", "points": "_pp"}.get(kind, "")
    figures = {f"{by}.{best}.{value}{suffix}": traced(high), f"{by}.{weakest}.{value}{suffix}": traced(low)}
    if kind == "points":
        if low > 0:
            text = f"{best}{name}提高最多（{shown(high, kind)}），{weakest}提高最少（{shown(low, kind)}）"
        elif high < 0:
            text = f"{weakest}{name}下降最多（{shown(low, kind)}），{best}下降最少（{shown(high, kind)}）"
        else:
            text = f"{best}{name}提高最多（{shown(high, kind)}），{weakest}下降最多（{shown(low, kind)}）"
    else:
        more, less = ("最多", "最少") if kind == "count" else ("最高", "最低")
        text = f"{best}{name}{more}（{shown(high, kind, unit)}），{weakest}{less}（{shown(low, kind, unit)}）"
    if silent:  # a few named, many counted: 「经济发展尚无报送」, 「其余8个月尚无报送」
        many = f"其余{len(silent)}{SILENT_GROUPS.get(by, '个')}"
        text += f"；{joined(silent) if len(silent) <= len(CATEGORIES) - 2 else many}{NOT_REPORTED}"
    return Sentence(f"{lead}{text}。", figures)


def category_extremes(
    frame: pd.DataFrame, value: str, *, name: str, unit: str = "", rate: bool = False, lead: str = "分类别看，"
) -> Sentence | None:
    """「分类别看，国有企业参与人次最多（8.15万人次），群团事业最少（1.21万人次）。」 (最高/最低 for a rate)."""
    return group_extremes(frame, "category", value, name=name, unit=unit, kind="rate" if rate else "count", lead=lead)


def month_extremes(frame: pd.DataFrame, value: str, *, name: str, unit: str = "") -> Sentence | None:
    """「10月参与人次最多（4.1万人次），2月最少（1.2万人次）。」"""
    labelled = frame.assign(月份=[f"{int(m)}月" for m in frame["month"]])
    return group_extremes(labelled, "月份", value, name=name, unit=unit)


def leader(frame: pd.DataFrame, value: str, *, name: str, kind: str = "count", unit: str = "") -> Sentence | None:
    """「参与人次最多的单位是市教育局（5,210人次）。」 The first unit on one figure (``short_name``)."""
    ranked = frame[frame[value].notna() & charts.reported(frame)].sort_values(value, ascending=False, kind="stable")
    if ranked.empty:
        return None
    top = ranked.iloc[0]
    word = "最多" if kind == "count" else "最高"
    number = float(top[value])
    return Sentence(
        f"{name}{word}的单位是{top['short_name']}（{shown(number, kind, unit)}）。",
        {f"unit.{top['unit']}.{value}": pct(number) if kind == "rate" else number},
    )


def appeals_by_month(totals: Mapping[str, object], by_month: pd.DataFrame) -> Sentence:
    """「诉求量同比下降18.75%；各月均低于上年同期。」, or 「10个月中有7个月低于上年同期」 where not all are."""
    compared = by_month[by_month["has_current"] & by_month["has_previous"]]
    fewer = int((compared["appeals"] < compared["appeals_prev"]).sum())
    text = f"诉求量{count_change(totals.get('appeals_yoy'))}"
    if len(compared) > 1 and fewer == len(compared):
        text += "；各月均低于上年同期"
    elif len(compared) > 1 and fewer == 0:
        text += "；各月均不低于上年同期"
    elif len(compared):
        text += f"；{len(compared)}个月中有{fewer}个月低于上年同期"
    return Sentence(
        f"{text}。", {"hotline.appeals_yoy_pct": pct(totals.get("appeals_yoy")), "months.below_last_year": fewer}
    )


def appeals_by_category(by_category: pd.DataFrame) -> Sentence | None:
    """「6个类别诉求量均同比下降，降幅最大的是经济发展（25.63%）。」"""
    compared = by_category[by_category["appeals_yoy"].notna()]
    if compared.empty:
        return None
    falling = compared[[trend(v, points=False) == DOWN for v in compared["appeals_yoy"]]]
    rising = compared[[trend(v, points=False) == UP for v in compared["appeals_yoy"]]]
    figures: dict[str, object] = {"categories.appeals_falling": len(falling), "categories.appeals_rising": len(rising)}
    if len(falling) == len(compared):
        text = f"{len(compared)}个类别诉求量均同比下降" if len(compared) > 1 else "诉求量同比下降"
    elif len(rising) == len(compared):
        text = f"{len(compared)}个类别诉求量均同比上升" if len(compared) > 1 else "诉求量同比上升"
    else:
        text = f"诉求量同比下降的类别{len(falling)}个、上升的{len(rising)}个"
    if len(falling):
        most = falling.sort_values("appeals_yoy", kind="stable").iloc[0]
        text += f"，降幅最大的是{most['category']}（{abs(float(most['appeals_yoy'])) * 100:.2f}%）"
        figures[f"category.{most['category']}.appeals_yoy_pct"] = pct(most["appeals_yoy"])
    return Sentence(f"{text}。", figures)


def closure_by_group(frame: pd.DataFrame, by: str, *, target: float = CLOSURE_TARGET) -> Sentence | None:
    """「群团事业化解率最高（96.61%），执法监督最低（85.40%）；3个类别低于90%的目标。」"""
    screened = frame[frame["found"] > 0]
    below = [str(g) for g, r in zip(screened[by], screened["closure_rate"]) if known(r) and r < target]
    if by == "stage":  # 「验题环节化解率最低」
        screened = screened.assign(stage=[f"{s}环节" for s in screened["stage"]])
    found = group_extremes(screened, by, "closure_rate", name="化解率", kind="rate")
    if found is None:
        return None
    what = {"category": "类别", "problem_type": "问题类别", "stage": "环节"}.get(by, "")
    goal = f"{target * 100:g}%"
    named = joined(below) if len(below) <= 3 else ""
    tail = f"{named}{len(below)}个{what}低于{goal}的目标" if below else f"均达到{goal}的目标"
    return Sentence(f"{found.text.rstrip('。')}；{tail}。", {**found.figures, f"{by}.below_target": len(below)})


def cumulative_closure(
    scope: metrics.Scope, totals: Mapping[str, object], *, target: float = CLOSURE_TARGET
) -> Sentence:
    """「截至10月末累计发现问题1,338条、化解1,207条，化解率90.21%，高于90%的目标。」"""
    if not totals.get("found"):
        return Sentence(f"{scope.as_of_label}，尚无问题排查数据。", {"problems.found": 0})
    closure = totals.get("closure_rate")
    return Sentence(
        f"截至{scope.through}月末累计发现问题{count_text(totals.get('found'), PROBLEM_UNIT)}、"
        f"化解{count_text(totals.get('resolved'), PROBLEM_UNIT)}，化解率{percent(closure)}，{against_target(closure, target)}。",
        {
            "problems.found": totals.get("found"),
            "problems.resolved": totals.get("resolved"),
            "problems.closure_rate_pct": pct(closure),
            **target_figures(closure, target),
        },
    )


def below_target_units(below: pd.DataFrame, *, target: float = CLOSURE_TARGET) -> Sentence:
    """「化解率低于90%的单位共40家，最低的是市某局（50.00%）。」"""
    goal = f"{target * 100:g}%"
    if below.empty:
        return Sentence(f"所有发现问题的单位化解率均达到{goal}的目标。", {"units.below_target": 0})
    lowest = below.iloc[0]
    return Sentence(
        f"化解率低于{goal}的单位共{len(below)}家，最低的是{lowest['short_name']}（{percent(lowest['closure_rate'])}）。",
        {"units.below_target": len(below), f"unit.{lowest['unit']}.closure_rate_pct": pct(lowest["closure_rate"])},
    )


def category_completion(by_category: pd.DataFrame) -> pd.DataFrame:
    """The mean completion per category over both kinds of indicator, weighted by the number of indicators."""
    if by_category.empty:
        return pd.DataFrame({"category": [], "mean_completion": []})
    weighted = by_category.assign(_sum=by_category["mean_completion"] * by_category["indicators"])
    grouped = weighted.groupby("category", observed=True)[["_sum", "indicators"]].sum()
    mean = (grouped["_sum"] / grouped["indicators"]).reindex([c for c in CATEGORIES if c in grouped.index])
    return pd.DataFrame({"category": mean.index, "mean_completion": mean.to_numpy()})


def share_sentence(frame: pd.DataFrame, by: str, value: str, *, lead: str, name: str) -> Sentence | None:
    """「从学习主题看，党的创新理论参与人次最多，占50.34%。」 The largest group and its share of the whole."""
    total = float(frame[value].sum()) if len(frame) else 0.0
    if not total:
        return None
    top = frame.sort_values(value, ascending=False, kind="stable").iloc[0]
    share = float(top[value]) / total
    return Sentence(
        f"{lead}，{top[by]}{name}最多，占{percent(share)}。",
        {f"{by}.{top[by]}.{value}": int(top[value]), f"{by}.{top[by]}.share_pct": pct(share)},
    )


def hotline_sentences(
    scope: metrics.Scope,
    *,
    registered: int,
    totals: Mapping[str, object],
    by_category: pd.DataFrame,
    note: str = "",
) -> tuple[Sentence, ...]:
    """诉求量 and its change in %, the three rates and theirs in 百分点, categories best and weakest; ``note``, the
    like-for-like note, beside the year on year."""
    if not totals.get("has_current"):
        return (
            Sentence(f"{scope.span_label}，{who(scope, registered)}尚无12345热线数据。", {"hotline.appeals": None}),
        )
    prior = ""
    if totals.get("has_previous"):
        said = "；".join(filter(None, (f"上年同期{count_text(totals['appeals_prev'], UNITS['appeals'])}", note)))
        prior = f"（{said}）"
    appeals = Sentence(
        f"12345热线方面，受理群众诉求{count_text(totals['appeals'], UNITS['appeals'])}，"
        f"{count_change(totals['appeals_yoy'])}{prior}。",
        {
            "hotline.appeals": totals["appeals"],
            "hotline.appeals_prev": totals["appeals_prev"] if totals.get("has_previous") else None,
            "hotline.appeals_yoy_pct": pct(totals["appeals_yoy"]),
        },
    )
    sentences = [appeals]
    rates, used = rates_clause(totals, levels=True)
    if rates:
        sentences.append(Sentence(f"{rates}。", used))
    current = by_category[by_category["has_current"]]
    parts, figures = [], {}
    categories = appeals_by_category(current) if current["appeals_yoy"].notna().sum() > 1 else None
    satisfaction = category_extremes(current, "satisfaction_rate", name="群众满意率", rate=True, lead="")
    for found in (categories, satisfaction):
        if found:
            parts.append(found.text.rstrip("。"))
            figures |= found.figures
    if parts:
        sentences.append(Sentence(f"分类别看，{'；'.join(parts)}。", figures))
    return tuple(sentences)


def problem_sentences(
    scope: metrics.Scope,
    *,
    totals: Mapping[str, object],
    by_category: pd.DataFrame,
    by_stage: pd.DataFrame,
    units_below: int,
    target: float = CLOSURE_TARGET,
) -> tuple[Sentence, ...]:
    """Problems found and resolved, 化解率 against the target, categories and stages best and weakest."""
    if not totals.get("found"):
        return (Sentence(f"{scope.as_of_label}，尚无问题排查数据。", {"problems.found": 0}),)
    closure = totals["closure_rate"]
    sentences = [
        Sentence(
            f"问题排查化解方面，{totals['units_screened']}家单位累计排查问题{count_text(totals['found'], PROBLEM_UNIT)}，"
            f"已化解{count_text(totals['resolved'], PROBLEM_UNIT)}，化解率{percent(closure)}，{against_target(closure, target)}。",
            {
                "problems.units_screened": totals["units_screened"],
                "problems.found": totals["found"],
                "problems.resolved": totals["resolved"],
                "problems.closure_rate_pct": pct(closure),
                **target_figures(closure, target),
            },
        )
    ]
    goal = f"{target * 100:g}%"
    if (by_category["found"] > 0).sum() > 1:
        categories = closure_by_group(by_category, "category", target=target)
        if categories:
            sentences.append(Sentence(f"分类别看，{categories.text}", categories.figures))
    stage_figures = {"units.below_target": units_below}
    stage_text = f"化解率低于{goal}的单位有{units_below}家" if units_below else f"各单位化解率均达到{goal}"
    stages = by_stage[by_stage["found"] > 0]
    found = extremes({str(s): r for s, r in zip(stages["stage"], stages["closure_rate"])})
    if found:
        (_, _), (weakest, low) = found
        stage_text += f"；从溯源环节看，{weakest}环节化解率最低（{percent(low)}）"
        stage_figures[f"stage.{weakest}.closure_rate_pct"] = pct(low)
    sentences.append(Sentence(f"{stage_text}。", stage_figures))
    return tuple(sentences)


def indicator_sentences(
    scope: metrics.Scope,
    *,
    totals: pd.DataFrame,
    by_category: pd.DataFrame,
    elsewhere: pd.DataFrame | None = None,
) -> tuple[Sentence, ...]:
    """Indicators reported and met, mean completion of 共性 and 个性, categories best and weakest.

    Those for a period still running (``totals``' ``running``) are counted as reported so far (spec §5);
    ``elsewhere``: ``metrics.indicator_periods_elsewhere``, named when the scope has no indicator.
    """
    rows = totals.set_index("indicator_type")
    everything = rows.loc["全部"]
    if not everything["indicators"]:
        held = ""
        if elsewhere is not None and len(elsewhere):
            held = f"（已入库指标的统计期间为{joined(list(elsewhere['period']))}）"
        return (Sentence(f"{scope.span_label}，尚无指标完成数据{held}。", {"indicators.count": 0}),)
    running = int(everything["running"])
    so_far = f"（其中{running}项为{metrics.YEAR_TO_DATE}）" if running else ""
    parts = [
        f"指标完成方面，共报送指标{count_text(everything['indicators'], '项')}{so_far}，达标{count_text(everything['met'], '项')}，"
        f"达标率{percent(everything['met_rate'])}，平均完成度{percent(everything['mean_completion'])}"
    ]
    figures: dict[str, object] = {
        "indicators.count": int(everything["indicators"]),
        "indicators.met": int(everything["met"]),
        "indicators.met_pct": pct(everything["met_rate"]),
        "indicators.mean_completion_pct": pct(everything["mean_completion"]),
        "indicators.running": running,
    }
    kinds = [k for k in ("共性指标", "个性指标") if rows.loc[k, "indicators"]]
    if kinds:
        parts.append("其中" + "，".join(f"{k}平均完成度{percent(rows.loc[k, 'mean_completion'])}" for k in kinds))
        figures |= {f"indicators.{k}.mean_completion_pct": pct(rows.loc[k, "mean_completion"]) for k in kinds}
    sentences = [Sentence("；".join(parts) + "。", figures)]
    categories = category_extremes(category_completion(by_category), "mean_completion", name="平均完成度", rate=True)
    if categories:
        sentences.append(categories)
    return tuple(sentences)


def in_scope(ds: metrics.Dataset, scope: metrics.Scope, frame: pd.DataFrame) -> pd.DataFrame:
    """Only the rows of categories the scope covers: a category filtered out is not 「最少（0人次）」."""
    covered = set(metrics.scoped_units(ds, scope)["category"])
    return frame[frame["category"].astype(str).isin(covered)].reset_index(drop=True)


# -- the whole narrative -------------------------------------------------------------------------------------------


def narrate(ds: metrics.Dataset, scope: metrics.Scope) -> list[Paragraph]:
    """The paragraphs of a report for ``scope``: an opening, then learning, hotline, problems and indicators."""
    registered = len(metrics.scoped_units(ds, scope))

    def categories(frame: pd.DataFrame) -> pd.DataFrame:
        return in_scope(ds, scope, frame)

    learning_reporting = reporting(ds, scope, "learning")
    notes = metrics.like_for_like_notes(ds, scope)
    learning = metrics.learning_totals(ds, scope)
    hotline = metrics.hotline_totals(ds, scope)
    problems = metrics.problem_totals(ds, scope)
    return [
        Paragraph(
            "overall",
            (
                opening(
                    scope,
                    registered=registered,
                    learning_reporting=learning_reporting,
                    learning=learning,
                    hotline=hotline,
                    problems=problems,
                    hotline_note=notes["hotline"] if hotline.get("has_previous") else "",
                ),
            ),
        ),
        Paragraph(
            "learning",
            learning_sentences(
                scope,
                registered=registered,
                learning_reporting=learning_reporting,
                totals=learning,
                previous=metrics.learning_previous_totals(ds, scope),
                by_category=categories(metrics.learning_by(ds, scope, "category")),
                by_theme=metrics.learning_by(ds, scope, "theme"),
                by_form=metrics.learning_by(ds, scope, "form"),
                note=notes["learning"],
            ),
        ),
        Paragraph(
            "hotline",
            hotline_sentences(
                scope,
                registered=registered,
                totals=hotline,
                by_category=categories(metrics.hotline_by(ds, scope, "category")),
                note=notes["hotline"],
            ),
        ),
        Paragraph(
            "problems",
            problem_sentences(
                scope,
                totals=problems,
                by_category=categories(metrics.problems_by(ds, scope, "category")),
                by_stage=metrics.problems_by(ds, scope, "stage"),
                units_below=len(metrics.units_below_target(ds, scope)),
            ),
        ),
        Paragraph(
            "indicators",
            indicator_sentences(
                scope,
                totals=metrics.indicator_totals(ds, scope),
                by_category=metrics.indicators_by(ds, scope, "category"),
                elsewhere=metrics.indicator_periods_elsewhere(ds, scope),
            ),
        ),
    ]
