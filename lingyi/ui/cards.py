"""Number cards: one figure with its change on last year, and the rows of cards the pages open with."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lingyi import figures, metrics
from lingyi.contract import CLOSURE_TARGET


def card(
    label: str,
    value: str,
    *,
    delta: str | None = None,
    lower_is_better: bool = False,
    note: str | None = None,
    help: str | None = None,
) -> None:
    """A number card; ``delta`` is already text (「+1.23 个百分点」, 「-7.65%」), its sign sets arrow and colour.

    ``note`` says what the delta compares with (「同比」); without a delta it goes into the help instead.
    """
    if delta == figures.NO_DATA:
        delta = None
        help = f"{help or ''}{note or ''}：无数据。"
    unchanged = delta is not None and delta.lstrip("+-").startswith("0.00")
    st.metric(
        label,
        value,
        delta=delta,
        delta_color="off" if unchanged else ("inverse" if lower_is_better else "normal"),
        delta_arrow="off" if unchanged else "auto",
        delta_description=note if delta else None,
        help=help,
        border=True,
    )


def count_card(label: str, value: float | None, unit: str = "", **options: object) -> None:
    card(label, figures.count_text(value, unit), **options)


def rate_card(label: str, totals: dict, rate: str) -> None:
    """A hotline rate this year, its change on last year in 百分点."""
    if not totals.get("has_current", True):
        card(label, figures.NOT_REPORTED, help="所选范围内没有单位报送热线指标。")
        return
    card(
        label,
        figures.percent_text(totals[rate]),
        delta=figures.points_text(totals[f"{rate}_change"]),
        note="同比",  # 「较上年同期」 was cut to 「较上年…」 beside the delta on a 1,400 px screen
        help=f"上年同期 {figures.percent_text(totals[f'{rate}_prev'])}；按诉求量加权。",
    )


def appeals_card(totals: dict) -> None:
    """诉求量 with its change on the same months last year: fewer appeals is the good direction."""
    if not totals["has_current"]:
        card("12345热线诉求量", figures.NOT_REPORTED, help="所选范围内没有单位报送热线指标。")
        return
    card(
        "12345热线诉求量",
        figures.count_text(totals["appeals"], " 件"),
        delta=figures.change_text(totals["appeals_yoy"]),
        lower_is_better=True,
        note="同比",
        help=f"上年同期 {figures.count_text(totals['appeals_prev'], ' 件') if totals['has_previous'] else '无数据'}。",
    )


def closure_card(closure_rate: float | None, target: float = CLOSURE_TARGET) -> None:
    """化解率 against the target (named in the label), the gap in 百分点."""
    card(
        f"化解率（目标{target:.0%}）",
        figures.percent_text(closure_rate),
        delta=None if closure_rate is None else figures.points_text(closure_rate - target),
        help=f"化解率 = 已化解 ÷ 发现问题（截至所选月份末）；箭头旁是与目标{target:.0%}的差距。",
    )


def completion_card(indicator_type: str, totals: pd.Series) -> None:
    """The mean completion of one kind of indicator (a row of ``metrics.indicator_totals``)."""
    card(
        f"{indicator_type}平均完成度",
        figures.percent_text(totals["mean_completion"]),
        help=f"达标 {totals['met']:,}/{totals['indicators']:,} 项，达标率 {figures.percent_text(totals['met_rate'])}。",
    )


def learning_cards(*, reporting: int, registered: int, learning: dict) -> None:
    """Who reported, and how much learning: activities, 期 and 节, 参与人次 (尚无报送 when nobody sent any)."""
    columns = st.columns(4)
    with columns[0]:
        card("报送单位", f"{reporting}/{registered}", help="有报表覆盖所选月份的单位数 / 名录中的单位数。")
    if not learning["activities"]:
        for column, label in zip(columns[1:], ("学习活动", "学习期数", "参与人次"), strict=True):
            with column:
                card(label, figures.NOT_REPORTED, help="所选范围内没有单位报送学习活动。")
        return
    with columns[1]:
        count_card("学习活动", learning["activities"], " 项")
    with columns[2]:
        count_card("学习期数", learning["sessions"], " 期", help=f"共 {learning['lectures']:,} 节。")
    with columns[3]:
        count_card("参与人次", learning["person_times"])


def problem_cards(totals: dict) -> None:
    """Units that found problems, problems found and resolved, and the 化解率 against its target."""
    columns = st.columns(4)
    if not totals["found"]:
        labels = ("排查单位", "发现问题", "已化解问题", f"化解率（目标{CLOSURE_TARGET:.0%}）")
        for column, label in zip(columns, labels, strict=True):
            with column:
                card(label, figures.NOT_REPORTED, help="所选范围内没有单位报送问题清单。")
        return
    with columns[0]:
        count_card("排查单位", totals["units_screened"], " 个", help="至少发现一个问题的单位数。")
    with columns[1]:
        count_card("发现问题", totals["found"], " 个")
    with columns[2]:
        count_card("已化解问题", totals["resolved"], " 个")
    with columns[3]:
        closure_card(totals["closure_rate"])


def indicator_cards(totals: pd.DataFrame) -> None:
    """Indicators reported, 达标率 of all, of 共性 and of 个性 (rows of ``metrics.indicator_totals``)."""
    rows = totals.set_index("indicator_type")
    everything = rows.loc["全部"]
    columns = st.columns(4)
    running = int(everything["running"])
    so_far = f"其中 {running} 项统计期间尚未结束，按最近报送的数计入（{metrics.YEAR_TO_DATE}）。" if running else ""
    with columns[0]:
        shown = (
            figures.count_text(everything["indicators"], " 项") if everything["indicators"] else figures.NOT_REPORTED
        )
        card("报送指标", shown, help=f"每个单位的每项指标计一次。{so_far}")
    for column, (label, kind) in zip(
        columns[1:],
        (("指标达标率", "全部"), ("共性指标达标率", "共性指标"), ("个性指标达标率", "个性指标")),
        strict=True,
    ):
        part = rows.loc[kind]
        with column:
            if not part["indicators"]:
                card(label, figures.NOT_REPORTED, help="所选范围内没有这类指标。")
                continue
            card(
                label,
                figures.percent_text(part["met_rate"]),
                help=f"达标 {part['met']:,}/{part['indicators']:,} 项（完成度达到100%）。",
            )


def hotline_cards(totals: dict, *, note: str = "") -> None:
    """诉求量 with its change on last year, and the three rates with theirs in 百分点; under them ``note``, the
    like-for-like note (``metrics.Coverage.note``) where some unit's month is not in yet."""
    columns = st.columns(4)
    with columns[0]:
        appeals_card(totals)
    for column, rate in zip(columns[1:], metrics.RATES, strict=True):
        with column:
            rate_card(metrics.RATE_NAMES[rate], totals, rate)
    if note and totals.get("has_previous"):
        like_for_like_note(note)


def like_for_like_note(note: str) -> None:
    """「10月尚有 2 家单位未报送，同比按同口径计算」, beside the year on year it qualifies.

    Coloured text, not a badge: a badge stays on one line and a phone cut the note before 「同口径」.
    """
    st.caption(f":orange[:material/info: {note}]")
