"""What the pages share that touches Streamlit; the only module of ``lingyi`` that imports it.

- the store and its dataset, read once per data version and shared by every session (``st.cache_resource``);
- the sidebar filters, held in the URL (``bind="query-params"``) so a copied link reopens the same view,
  and the ``Scope`` they make;
- number cards, charts that answer a click, searchable tables with an .xlsx download;
- what a page says when the store is empty, when a filter leaves nothing, and when something breaks.

Every session-state key is declared here, once. A widget bound to the URL uses its key as the query
parameter's name, so these names are also the vocabulary of a dashboard link.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lingyi import figures, metrics
from lingyi.access import auth
from lingyi.access.web import session_url
from lingyi.contract import CATEGORIES, CLOSURE_TARGET, SHEET_KIND_BY_KEY, SHEET_KINDS
from lingyi.errors import LingyiError
from lingyi.intake import desk, samples, templates, ticket_files, tickets
from lingyi.metrics import completeness, snapshots
from lingyi.registry import Registry
from lingyi.store import AUDIT_HEADINGS, Store, default_url, kind_name
from lingyi.store.faults import unavailable, where
from lingyi.values import month_label
from lingyi.workbooks import XLSX_MIME, frames_to_xlsx

LOG = logging.getLogger(__name__)
PROJECT_DIR = Path(__file__).resolve().parents[2]

# -- session-state keys (the bound ones are also query parameters) ---------------------------------------------

YEAR = "year"
THROUGH = "through"
CATEGORY = "category"
UNIT = "unit"
PROFILE_UNIT = "profile"
LEARNING_MEASURE = "measure"
HOTLINE_RATE = "rate"
_UNKNOWN_UNITS = "_lingyi_unknown_units"
_ENTRY_REDIRECTS = "_lingyi_entry_redirects"

# The dataset and scope of the page app.py is running, for this run only. Not session state: a value deleted
# there after st.stop() comes back on the next run, and a stale scope is what this must never give.
_PAGE_CONTEXT: contextvars.ContextVar[tuple[metrics.Dataset, metrics.Scope] | None] = contextvars.ContextVar(
    "lingyi_page_context", default=None
)
# The 会议版 shown instead of the live store in this run, if any (set with the page context).
_SHOWN_SNAPSHOT: contextvars.ContextVar[snapshots.Snapshot | None] = contextvars.ContextVar(
    "lingyi_shown_snapshot", default=None
)

PROFILE_PAGE = "pages/unit.py"
LATEST = 0  # the through-month option meaning "the latest month with data"
DEBUG_VARIABLE = "LINGYI_DEBUG"

# The browser tab's icon, drawn here: a material-icon favicon would be fetched from fonts.gstatic.com, and the
# dashboard runs on an intranet. A red seal with an open book.
FAVICON = (
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 64 64'>"
    "<rect width='64' height='64' rx='12' fill='#C0392B'/>"
    "<path d='M12 18c7-3 14-3 20 1v30c-6-4-13-4-20-1z M52 18c-7-3-14-3-20 1v30c6-4 13-4 20-1z' fill='#FFFFFF'/>"
    "</svg>"
)

# Plotly's own words (the toolbar's tooltips and messages) in Chinese, through its ``locales`` config.
PLOTLY_WORDS = {
    "Download plot as a PNG": "保存为图片（PNG）",
    "Download plot": "保存图片",
    "Zoom": "框选放大",
    "Pan": "拖动",
    "Reset axes": "还原",
    "Reset": "还原",
    "Reset view": "还原",
    "Autoscale": "自动缩放",
    "Zoom in": "放大",
    "Zoom out": "缩小",
    "Box Select": "框选",
    "Lasso Select": "套索选择",
    "Toggle Spike Lines": "显示或隐藏参考线",
    "Show closest data on hover": "悬停显示最近的数据",
    "Compare data on hover": "悬停比较数据",
    "Toggle show closest data on hover": "悬停显示最近的数据",
    "Taking snapshot - this may take a few seconds": "正在生成图片，请稍候",
    "Snapshot succeeded": "图片已生成",
    "Sorry, there was a problem downloading your snapshot!": "图片生成失败，请重试。",
    "Double-click to zoom back out": "双击还原",
    "Click to enter Plot title": "点击输入标题",
}

CHART_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "locale": "zh-CN",
    "locales": {"zh-CN": {"dictionary": PLOTLY_WORDS}},
}

# -- the store and the dataset -----------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:
    return Store(url)


@st.cache_resource(max_entries=2, show_spinner="正在读取数据…")
def _load_dataset(url: str, data_version: int) -> metrics.Dataset:
    """The whole dataset of one data version; a new version (any upload, restore or delete) reads afresh.

    One object shared by every session, not a copy per run (as ``st.cache_data`` would hand out): nothing
    changes a Dataset after loading, and the figures it remembers per scope then serve every leader.
    """
    return metrics.load(_open_store(url))


def store() -> Store:
    """The store at LINGYI_DATABASE_URL, or the default SQLite file (scripts/start.sh points 演示模式 at data/demo.db)."""
    return _open_store(default_url())


def dataset() -> metrics.Dataset:
    opened = store()
    return _load_dataset(opened.url, opened.data_version())


def data_changed() -> None:
    """Forget every cached read; call after writing to the store."""
    _load_dataset.clear()
    _history.clear()
    _snapshot_list.clear()


@st.cache_data(max_entries=4, show_spinner=False)
def _history(url: str, data_version: int) -> pd.DataFrame:
    return _open_store(url).history()


def unit_history(unit: str) -> pd.DataFrame:
    """One unit's submissions, newest first, as people read them: 报表, 报送期间 and whether it still counts."""
    frame = submission_history()
    frame = frame[frame["unit"] == unit].copy()
    frame["kind"] = frame["kind"].map(kind_name)
    frame["submitted_for"] = [
        month_label(start) if start == end else f"{month_label(start)} 至 {month_label(end)}"
        for start, end in zip(frame["period_start"], frame["period_end"])
    ]
    frame["state"] = [
        "已撤销" if deleted else (f"已被 #{int(later)} 替代" if pd.notna(later) and later else "当前有效")
        for deleted, later in zip(frame["deleted"], frame["replaced_by"])
    ]
    return frame


# -- filters -------------------------------------------------------------------------------------------------------


def _unit_label(registry: Registry) -> Callable[[str], str]:
    def label(name: str) -> str:
        unit = registry.by_name.get(name)
        return unit.label if unit else name

    return label


def _resolved_units(registry: Registry, names: list[str]) -> tuple[list[str], list[str]]:
    """Typed or linked names (全称, 简称 or any alias) → registry full names, and those that match no unit."""
    found: list[str] = []
    unknown: list[str] = []
    for name in names:
        unit = registry.by_name.get(name) or registry.match(name)
        if unit is None:
            unknown.append(name)
        elif unit.name not in found:
            found.append(unit.name)
    return found, unknown


def _normalise_unit_choice(registry: Registry) -> None:
    """Before the unit filter is drawn: a typed alias becomes the unit it names (the chip then shows its label)."""
    chosen = st.session_state.get(UNIT)
    if not chosen or all(name in registry.by_name for name in chosen):
        return
    found, unknown = _resolved_units(registry, list(chosen))
    st.session_state[UNIT] = found
    st.session_state[_UNKNOWN_UNITS] = unknown


def sidebar_filters(ds: metrics.Dataset) -> metrics.Scope:
    """Year, through-month, categories and units in the sidebar, held in the URL; the Scope they make."""
    if ds.empty:  # nothing to filter yet: the page invites an upload
        return metrics.Scope(metrics.default_year(ds), 12)
    years = metrics.years_with_data(ds)
    registry = ds.registry
    with st.sidebar:
        st.markdown("#### 筛选")
        year = st.selectbox("年份", years, index=len(years) - 1, key=YEAR, bind="query-params")
        latest = metrics.latest_month(ds, year)
        through = st.selectbox(
            "截至月份",
            [LATEST, *range(1, 13)],
            format_func=lambda m: f"最新（{latest}月）" if m == LATEST else f"{m}月",
            key=THROUGH,
            bind="query-params",
            help="统计从1月到所选月份；默认是该年有数据的最近一个月。",
        )
        categories = st.multiselect("单位类别", CATEGORIES, key=CATEGORY, bind="query-params", placeholder="全部类别")
        _normalise_unit_choice(registry)
        chosen = st.multiselect(
            "单位",
            [unit.name for unit in registry.units],
            format_func=_unit_label(registry),
            key=UNIT,
            bind="query-params",
            accept_new_options=True,
            placeholder="全部单位（可输入简称、全称或别名）",
            help="可输入单位的简称、全称或别名，回车即可选中。",
        )
        units, unknown = _resolved_units(registry, chosen)
        unknown = unknown or st.session_state.pop(_UNKNOWN_UNITS, [])
        if unknown:
            st.warning(f"名录中没有这些单位：{'、'.join(unknown)}", icon=":material/search_off:")
        if len(units) != len(chosen) or units != chosen:
            st.rerun()  # a linked alias: draw the filter again with the unit's own label
    return metrics.Scope(int(year), latest if through == LATEST else int(through), tuple(categories), tuple(units))


@contextlib.contextmanager
def shared_filters(ds: metrics.Dataset) -> Iterator[metrics.Scope]:
    """The sidebar filters, and their scope for the page run inside this block (``page_context`` reads it).

    The scope lives only while app.py runs the page, so a page that Streamlit runs on its own (see
    ``_enter_through_app``) finds none rather than a stale one from an earlier run.
    """
    shown = snapshot_picker()
    if shown is None:
        scope = sidebar_filters(ds)
    else:  # a 会议版: its own frozen dataset, and the scope it was frozen for
        ds, scope = snapshot_dataset(shown), shown.scope
        st.sidebar.caption(f"会议版的统计范围：{snapshots.scope_words(scope)}（冻结时选定，不能更改）。")
    st.session_state[_ENTRY_REDIRECTS] = 0
    token = _PAGE_CONTEXT.set((ds, scope))
    shown_token = _SHOWN_SNAPSHOT.set(shown)
    try:
        yield scope
    finally:
        _SHOWN_SNAPSHOT.reset(shown_token)
        _PAGE_CONTEXT.reset(token)


def scope_text(scope: metrics.Scope) -> str:
    """「2025年1—10月 · 执法监督 · 全部单位」: what the page is showing."""
    categories = "、".join(scope.categories) if scope.categories else "全部类别"
    if not scope.units:
        units = "全部单位"
    elif len(scope.units) <= 3:
        units = "、".join(scope.units)
    else:
        units = f"{len(scope.units)}个单位"
    return f"{scope.span_label} · {categories} · {units}"


# -- the frame of every page ---------------------------------------------------------------------------------------


def page_context() -> tuple[metrics.Dataset, metrics.Scope]:
    """The dataset and the scope app.py made for this run; stops the page with an invitation when there is no data."""
    context = _PAGE_CONTEXT.get()
    if context is None:
        _enter_through_app()
    require(auth.Permission.VIEW)
    ds, scope = context
    if ds.empty:
        empty_store()
        st.stop()
    return ds, scope


def _enter_through_app() -> None:
    """A page was run without app.py: Streamlit does that for a link to a page, before app.py's first run.

    A folder named ``pages/`` beside the entrypoint makes Streamlit start in its older multipage mode until
    ``st.navigation`` is called once; declaring the same pages and running again makes app.py run first.
    """
    redirects = st.session_state.get(_ENTRY_REDIRECTS, 0)
    if redirects >= 2:
        st.error("页面未能正常载入，请从首页打开本看板。", icon=":material/error:")
        st.stop()
    st.session_state[_ENTRY_REDIRECTS] = redirects + 1
    pages = sorted((PROJECT_DIR / "pages").glob("*.py"))
    st.navigation([st.Page(PROJECT_DIR / "app.py", default=True), *(st.Page(path) for path in pages)])
    st.rerun()


def header(title: str, scope: metrics.Scope, *, months_only: bool = False) -> None:
    """The page title and what it shows; ``months_only`` for a page that follows only the year and month."""
    st.title(title, anchor=False)
    shown = _SHOWN_SNAPSHOT.get()
    if shown is not None:
        frozen_banner(shown)
    st.caption(f"{scope.span_label} · 本页只按年份和截至月份筛选" if months_only else scope_text(scope))


@contextlib.contextmanager
def friendly_errors() -> Iterator[None]:
    """An unexpected error shows a short Chinese message instead of a stack trace (set LINGYI_DEBUG=1 to see it)."""
    try:
        yield
    except Exception as exc:
        fault = unavailable(exc, default_url())
        if fault is not None:  # the page comes back by itself once the database answers again
            st.warning(f"{fault.reason}：数据库暂时无法连接，正在重试……", icon=":material/cloud_off:")
            st.session_state[_RETRY_ARMED] = False
            _retry_when_the_store_answers()
            return
        if isinstance(exc, LingyiError):
            st.error(f"无法完成：{exc}", icon=":material/error:")
            return
        if os.environ.get(DEBUG_VARIABLE):
            raise
        LOG.exception("page failed")
        st.error(
            f"页面出现意外错误（{type(exc).__name__}），已记录在服务器日志中。请刷新页面重试，或联系系统管理员。",
            icon=":material/error:",
        )


RETRY_SECONDS = 5
_RETRY_ARMED = "_lingyi_retry_armed"


@st.fragment(run_every=RETRY_SECONDS)
def _retry_when_the_store_answers() -> None:
    """Every few seconds, one look at the database; the whole page runs again as soon as it answers. Not in the
    run that has just failed: the look would succeed where the page's own query has not, and run it again at once."""
    if not st.session_state.get(_RETRY_ARMED):
        st.session_state[_RETRY_ARMED] = True
        return
    try:
        with store().engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception:  # noqa: BLE001 - still away: the next look is in RETRY_SECONDS
        return
    st.rerun(scope="app")


def empty_store() -> None:
    """What to do when nothing has been uploaded yet: upload returns, or load the sample data to look around."""
    st.info(
        "还没有任何数据。请在「数据上传」页上传各单位报送的报表（学习活动、热线指标、问题清单、指标完成），"
        "或先载入示例数据看看效果。",
        icon=":material/upload_file:",
    )
    if not samples.SAMPLE_RETURNS.is_dir():
        st.caption(f"示例数据尚未生成（{samples.SAMPLE_RETURNS}）；可运行 python -m sample_data.generate。")
        return
    if st.button("载入示例数据", icon=":material/dataset:", type="primary"):
        with st.spinner("正在载入示例数据，可能需要几分钟…"):
            load = samples.load_samples(store())
        data_changed()
        LOG.info(
            "load sample data: %d files, %d stored, %d refused", len(load.results), load.accepted, len(load.rejected)
        )
        if load.rejected:
            st.error("部分示例文件未能入库，详见服务器日志。", icon=":material/error:")
        else:
            st.rerun()


def nothing_in_scope(scope: metrics.Scope, what: str) -> None:
    """A filter that leaves nothing says so, and what to change."""
    st.info(
        f"所选范围（{scope_text(scope)}）内没有{what}数据。请在左侧调整年份、截至月份、类别或单位。",
        icon=":material/filter_alt_off:",
    )


# The columns of a table of indicators (``metrics.indicator_rows``), in order.
INDICATOR_COLUMNS = (
    *("short_name", "category", "indicator_type", "indicator", "period_text"),
    *("measure_unit", "target", "actual", "direction", "completion", "met"),
)


def _show_period(year: int, through: int) -> None:
    st.session_state[YEAR] = year
    st.session_state[THROUGH] = through


def indicators_elsewhere(elsewhere: pd.DataFrame, scope: metrics.Scope, *, nothing_shown: bool) -> None:
    """Stored indicators the scope's months leave out: which periods hold them, and a button for each that shows it.

    ``elsewhere`` is ``metrics.indicator_periods_elsewhere``; ``nothing_shown`` when the scope has no indicator.
    Beside indicators that are shown, only the periods of the same year (or across two years) are named: other
    years' are left out by the year chosen, as everything else on the page is.
    """
    if not nothing_shown:
        elsewhere = elsewhere[elsewhere["year"].isna() | (elsewhere["year"] == scope.year)]
    if elsewhere.empty:
        if nothing_shown:
            nothing_in_scope(scope, "指标完成")
        return
    periods = "、".join(f"{p}（{n:,}项）" for p, n in zip(elsewhere["period"], elsewhere["rows"]))
    if nothing_shown:
        text = f"所选范围（{scope_text(scope)}）内没有指标完成数据。已入库指标的统计期间为：{periods}。"
    else:
        text = f"另有已入库指标不在所选月份内，统计期间为：{periods}。"
    st.info(f"{text}指标按统计期间计入：期间须在所选年份内，且起始月份不晚于截至月份。", icon=":material/event_note:")
    offers = elsewhere.dropna(subset=["year"]).drop_duplicates(["year", "through"])
    for number, (year, through) in enumerate(zip(offers["year"], offers["through"])):
        year, through = int(year), int(through)
        st.button(
            f"查看{year}年1—{through}月" if through > 1 else f"查看{year}年1月",
            key=f"indicators_period_{number}",
            on_click=_show_period,
            args=(year, through),
            icon=":material/filter_alt:",
        )


# -- number cards ----------------------------------------------------------------------------------------------------


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
    """「10月尚有 2 家单位未报送，同比按同口径计算」, beside the year on year it qualifies."""
    st.markdown(f":orange-badge[:material/info: {note}]")


# The four themes, in the order the pages show them.
THEMES = {"learning": "学习活动", "hotline": "12345热线", "problems": "问题化解", "indicators": "指标完成"}


# -- charts ------------------------------------------------------------------------------------------------------------


def chart(fig: go.Figure, *, key: str) -> None:
    """Draw a figure; clicking a category narrows the page to it, clicking a unit opens its profile."""
    meta = fig.layout.meta
    click = meta.get("click") if isinstance(meta, dict) else None
    options = {"key": key, "theme": None, "config": chart_config(fig), "width": "stretch"}
    if click == figures.CLICK_CATEGORY:
        st.plotly_chart(fig, on_select=lambda: _narrow_to_category(key), selection_mode="points", **options)
    elif click == figures.CLICK_UNIT:
        event = st.plotly_chart(fig, on_select="rerun", selection_mode="points", **options)
        clicked = _clicked(event.selection.points if event else [])
        if clicked:
            open_profile(clicked)
    else:
        st.plotly_chart(fig, **options)


def _clicked(points: list[dict]) -> str | None:
    """The category or unit a click chose: the first element of the point's customdata."""
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if data:
            return str(data)
    return None


def _narrow_to_category(key: str) -> None:
    category = _clicked(st.session_state[key].selection.points)
    if category in CATEGORIES and st.session_state.get(SNAPSHOT, LIVE) == LIVE:  # a 会议版's scope stays as frozen
        st.session_state[CATEGORY] = [category]
        st.toast(f"已只看「{category}」；在左侧「单位类别」中可清除。", icon=":material/filter_alt:")


def open_profile(unit: str) -> None:
    """Switch to the unit profile page with the unit in the URL."""
    registry = dataset().registry
    found = registry.by_name.get(unit) or registry.match(unit)
    if found is not None:
        st.switch_page(PROFILE_PAGE, query_params={PROFILE_UNIT: found.label})


def unit_picker(ds: metrics.Dataset, scope: metrics.Scope | None = None) -> str | None:
    """The unit the profile page shows: picked here (any name or alias), or brought by a click or a link — its own
    ``?profile=`` or, failing that, the one unit of the filters (``?unit=市民政局``)."""
    registry = ds.registry
    chosen = st.session_state.get(PROFILE_UNIT)
    if not chosen and scope is not None and len(scope.units) == 1:
        chosen = st.session_state[PROFILE_UNIT] = scope.units[0]
    if chosen and chosen not in registry.by_name:
        found, _ = _resolved_units(registry, [chosen])
        st.session_state[PROFILE_UNIT] = found[0] if found else None
    picked = st.selectbox(
        "单位",
        [unit.name for unit in registry.units],
        index=None,
        format_func=_unit_label(registry),
        key=PROFILE_UNIT,
        bind="query-params",
        accept_new_options=True,
        placeholder="输入单位简称、全称或别名",
        help="也可以在其他页面的图表上点击某个单位来到这里。",
    )
    if picked is None:
        return None
    found, _ = _resolved_units(registry, [picked])
    if not found:
        st.warning(f"名录中没有单位「{picked}」。", icon=":material/search_off:")
        return None
    if found[0] != picked:
        st.rerun()  # typed alias: draw the picker again with the unit's own label
    return found[0]


def choice(label: str, options: dict[str, str], *, key: str) -> str:
    """A row of buttons choosing one of ``options`` (value → label), held in the URL; the first is the default."""
    values = list(options)
    picked = st.segmented_control(
        label,
        values,
        default=values[0],
        format_func=options.__getitem__,
        key=key,
        bind="query-params",
        required=True,
    )
    return picked or values[0]


# -- tables ------------------------------------------------------------------------------------------------------------


# Chinese headings of the frame columns a table may show: the contract's own names first, then the figures'.
HEADINGS: dict[str, str] = {column.key: column.name for kind in SHEET_KINDS for column in kind.columns} | {
    "unit": "单位全称",
    "short_name": "单位",
    "category": "类别",
    "found": "发现问题",
    "resolved": "已化解",
    "closure_rate": "化解率",
    "completion": "完成度",
    "period_text": "统计期间",
    "met": "达标",
    "status_then": "状态",
    "days_open": "已挂账天数",
    "id": "编号",
    "kind": "报表",
    "submitted_for": "报送期间",
    "rows": "行数",
    "file": "文件",
    "created_at": "报送时间",
    "created_by": "操作人",
    "state": "状态",
}
RATE_COLUMNS = frozenset({"closure_rate", "completion"})  # fractions, shown as percentages
_COLUMN_CONFIG = {
    "date": st.column_config.DateColumn(format="YYYY-MM-DD"),
    "found_date": st.column_config.DateColumn(format="YYYY-MM-DD"),
    "resolved_date": st.column_config.DateColumn(format="YYYY-MM-DD"),
    "created_at": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
    "days_open": st.column_config.NumberColumn(format="%d 天"),
    "met": st.column_config.CheckboxColumn(),
    "person_times": st.column_config.NumberColumn(format="localized"),
    "id": st.column_config.NumberColumn(format="%d"),
}


def table(
    frame: pd.DataFrame, *, key: str, columns: tuple[str, ...], file_name: str, height: int | str = "auto"
) -> None:
    """A table with a search box over every text column and an .xlsx download of what is shown.

    ``columns`` are the frame's columns to show, in order, headed by ``HEADINGS``; a rate (a fraction) is shown
    and downloaded as a percentage with two decimals, its heading saying so.
    """
    shown = frame[list(columns)].copy()
    headings = {c: f"{HEADINGS[c]}（%）" if c in RATE_COLUMNS else HEADINGS[c] for c in columns}
    config = {headings[c]: _COLUMN_CONFIG[c] for c in columns if c in _COLUMN_CONFIG}
    for column in RATE_COLUMNS.intersection(columns):
        shown[column] = (pd.to_numeric(shown[column], errors="coerce").astype(float) * 100).round(2)
        config[headings[column]] = st.column_config.NumberColumn(format="%.2f")
    shown = shown.rename(columns=headings)
    query = st.text_input(
        "搜索", key=f"{key}_search", placeholder="输入关键词筛选（单位、名称、类别…）", label_visibility="collapsed"
    )
    if query:
        text = shown.select_dtypes(exclude="number").astype(str)
        hits = text.apply(lambda column: column.str.contains(query, case=False, regex=False)).any(axis=1)
        shown = shown[hits]
    data_table(shown, hide_index=True, width="stretch", height=height, column_config=config)
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.caption(f"共 {len(shown):,} 行")
    right.download_button(
        "下载 Excel",
        data=lambda: frames_to_xlsx({"数据": shown}),
        file_name=file_name,
        mime=XLSX_MIME,
        icon=":material/download:",
        on_click="ignore",
        key=f"{key}_download",
        width="stretch",
    )


# -- the analyst's desk: 数据上传, 报送情况, 数据管理 ------------------------------------------------------------------
# Their session-state keys: the pages own their widgets' keys; these are the desk's own.

_UPLOAD_CHECKS = "_lingyi_upload_checks"  # (name, digest, period, unit, data version) → CheckedFile
_UPLOAD_RESULTS = "_lingyi_upload_results"  # what the last 全部入库 did, shown after the rerun
_DESK_MESSAGE = "_lingyi_desk_message"  # (kind, text) of the last write on 数据管理, shown after the rerun
UPLOAD_UNIT_PREFIX = "upload_unit_"  # + a file's digest: the unit picked for a file that names none
DEFAULT_ANALYST = "分析员"
PREVIEW_ROWS = 200
WRAPPED_FINDINGS = 30  # up to this many findings are shown with their messages wrapped
_VERDICT_ICONS = {
    "可入库": ":material/check_circle:",
    "待确认": ":material/published_with_changes:",
    "有错误": ":material/error:",
    "无变化": ":material/do_not_disturb_on:",
}
# Narrow location columns leave the message, which says how to fix the cell, room to be read whole.
_FINDING_COLUMNS = {
    "工作表": st.column_config.TextColumn("工作表", width=110),
    "行号": st.column_config.NumberColumn("行号", format="%d", width=56),
    "列": st.column_config.TextColumn("列", width=40),
    "列名": st.column_config.TextColumn("列名", width=100),
    "值": st.column_config.TextColumn("值", width=120),
    "说明": st.column_config.TextColumn("说明", width=760),
}
_PREVIEW_COLUMNS = {"行号": st.column_config.NumberColumn("行号", format="%d", width=56)}


def template_downloads(registry: Registry) -> None:
    """The blank templates, generated from the contract when a button is pressed."""
    with st.expander("下载填报模板（发给各单位）", icon=":material/download:"):
        st.caption(
            "模板按报表规范生成：第一页是填报说明和填写示例；带 * 的列必填；单位名称、活动形式、整改状态等可从下拉列表选择。"
        )
        buttons = st.columns(len(templates.SHEET_KINDS) + 1)
        buttons[0].download_button(
            "四表合一",
            data=lambda: templates.combined_template(registry),
            file_name=templates.template_file_name(),
            mime=XLSX_MIME,
            icon=":material/table_view:",
            on_click="ignore",
            key="template_all",
            width="stretch",
        )
        for button, kind in zip(buttons[1:], templates.SHEET_KINDS, strict=True):
            button.download_button(
                kind.name,
                data=lambda kind=kind: templates.kind_template(kind.key, registry),
                file_name=templates.template_file_name(kind),
                mime=XLSX_MIME,
                icon=":material/description:",
                on_click="ignore",
                key=f"template_{kind.key}",
                width="stretch",
            )


def _upload_unit_key(digest: str) -> str:
    return f"{UPLOAD_UNIT_PREFIX}{digest[:16]}"


def checked_uploads(uploads: list, opened: Store, registry: Registry, period) -> list[desk.CheckedFile]:
    """Each uploaded file checked once (again only when the store, the period or its unit changes), with a progress bar."""
    cache: dict = st.session_state.get(_UPLOAD_CHECKS, {})
    version = opened.data_version()
    files = [(upload.name, upload.getvalue()) for upload in uploads]
    keys = []
    for name, data in files:
        digest = desk.digest(data)
        keys.append((name, digest, period, st.session_state.get(_upload_unit_key(digest)), version))
    todo = [i for i, key in enumerate(keys) if key not in cache]
    if todo:
        bar = st.progress(0.0, text="正在读取并检查文件…")
        for done, i in enumerate(todo, start=1):
            name, data = files[i]
            prefix = f"正在读取并检查「{name}」（{done}/{len(todo)}）"
            bar.progress((done - 1) / len(todo), text=f"{prefix}…")

            def moved(fraction: float, text: str, done=done, prefix=prefix) -> None:  # a big ticket export
                bar.progress((done - 1 + fraction) / len(todo), text=f"{prefix}：{text}")

            with ticket_files.reporting(moved):
                cache[keys[i]] = _check_one(name, data, opened, registry, period, keys[i][3])
        bar.empty()
    st.session_state[_UPLOAD_CHECKS] = {key: cache[key] for key in keys}
    return [cache[key] for key in keys]


def _check_one(name: str, data: bytes, opened: Store, registry: Registry, period, unit: str | None) -> desk.CheckedFile:
    """One file's verdict; a file that breaks the checker is reported as not checkable, not as a broken page."""
    try:
        return desk.check_upload(
            data, name, registry=registry, store=opened, period=period, unit=unit, only_unit=bound_unit()
        )
    except LingyiError:
        raise
    except Exception as exc:
        if os.environ.get(DEBUG_VARIABLE):
            raise
        LOG.exception("checking %s failed", name)
        return desk.unreadable(data, name, type(exc).__name__)


def checked_file(file: desk.CheckedFile, registry: Registry) -> None:
    """One file's verdict: counts, a unit picker where the file names none, errors, warnings, the parsed rows."""
    label = f"{file.name} — {file.verdict.value}"
    if file.counts_text:
        label += f" · {file.counts_text}"
    if file.warnings:
        label += f" · {len(file.warnings)} 条提示"
    expanded = file.verdict in (desk.Verdict.ERRORS, desk.Verdict.HELD)
    with st.expander(label, icon=_VERDICT_ICONS[file.verdict.value], expanded=expanded):
        if file.verdict is desk.Verdict.UNCHANGED:
            st.info(file.message, icon=":material/do_not_disturb_on:")
            return
        for note in file.batch_notes:
            st.warning(note, icon=":material/content_copy:")
        replacement_notice(file)
        if file.needs_unit:
            st.selectbox(
                "这个文件没有写明单位，请选择它所属的单位",
                [unit.name for unit in registry.units],
                index=None,
                format_func=_unit_label(registry),
                key=_upload_unit_key(file.digest),
                placeholder="输入单位简称、全称或别名",
                help="文件中没有「单位名称」列，也没有「填报单位：××」一行；选择后按所选单位重新检查。",
            )
        previews = file.previews()
        sections = []
        if file.errors:
            sections.append(f"错误（{len(file.errors)}）")
        if file.comparison is not None and not file.comparison.empty:
            sections.append(f"工单与报表对照（{len(file.comparison)}）")
        if file.warnings:
            sections.append(f"提示（{len(file.warnings)}）")
        if previews:
            sections.append("数据预览")
        tabs = dict(zip(sections, st.tabs(sections), strict=True))
        for title, tab in tabs.items():
            with tab:
                if title.startswith("错误"):
                    st.error(
                        f"{len(file.errors)} 处错误，整个文件不会入库。请按下表修改，或把错误清单、标注文件发回单位。",
                        icon=":material/error:",
                    )
                    findings_table(file.error_table())
                    _feedback_downloads(file)
                elif title.startswith("工单与报表对照"):
                    st.caption(
                        "同一单位、同一月份，12345 工单算出的数字与单位报表填报的不同；「统计采用」按热线数据来源设置。"
                    )
                    data_table(file.comparison, hide_index=True)
                elif title.startswith("提示"):
                    st.caption("提示不影响入库，请核对。")
                    findings_table(file.warning_table())
                else:
                    for caption, frame in previews:
                        shown = f"（仅显示前 {PREVIEW_ROWS} 行）" if len(frame) > PREVIEW_ROWS else ""
                        st.caption(caption + shown)
                        data_table(frame.head(PREVIEW_ROWS), hide_index=True, column_config=_PREVIEW_COLUMNS)


def replacement_notice(file: desk.CheckedFile) -> None:
    """What the file replaces, before anything is stored; a file 待确认 asks the analyst to confirm it (spec §4)."""
    if not file.replacements:
        return
    lines = "\n".join(f"- {line}" for r in file.replacements for line in r.lines())
    if file.verdict is desk.Verdict.HELD:
        st.warning(
            f"**入库前请核对**：{file.held_reason}。确认无误后勾选下方选项，再点「全部入库」。\n\n{lines}",
            icon=":material/published_with_changes:",
        )
        st.checkbox("我已核对，确认用这个文件替换上述报送", key=_confirm_key(file.digest))
    else:
        st.info(f"入库后将替换已有的报送：\n\n{lines}", icon=":material/published_with_changes:")


def _confirm_key(digest: str) -> str:
    return f"upload_confirm_{digest[:16]}"


def confirmed_replacements(files: list[desk.CheckedFile]) -> frozenset[str]:
    """The digests of the files 待确认 whose replacements the analyst has confirmed."""
    return frozenset(
        f.digest for f in files if f.verdict is desk.Verdict.HELD and st.session_state.get(_confirm_key(f.digest))
    )


def data_table(data, **options):
    """``st.dataframe`` as every page shows a table: a missing value left blank, as in the returns, where Streamlit
    would write 「None」."""
    return st.dataframe(data, placeholder="", **options)


def findings_table(frame: pd.DataFrame) -> None:
    """Errors or warnings: a few as a table whose messages wrap and read whole; many as a scrolling grid."""
    if len(frame) <= WRAPPED_FINDINGS:
        st.table(frame.astype({"行号": "string"}).fillna(""), hide_index=True, border="horizontal")
    else:
        st.caption(f"共 {len(frame):,} 条；说明较长时把鼠标移到单元格上可看全文，或下载错误清单。")
        data_table(frame, hide_index=True, column_config=_FINDING_COLUMNS)


def _feedback_downloads(file: desk.CheckedFile) -> None:
    left, right = st.columns(2)
    left.download_button(
        "下载错误清单",
        data=file.error_list,
        file_name=file.error_list_name,
        mime=XLSX_MIME,
        icon=":material/list_alt:",
        on_click="ignore",
        key=f"error_list_{file.digest[:16]}",
        width="stretch",
    )
    marked = file.marked
    if marked is None and file.is_ticket_export:
        right.caption("12345 工单导出不另做标注文件：错误清单逐条列出了工作表、行号和列。")
        return
    if marked is None:
        right.caption("文件未能读取（已拒绝或无法打开），不生成标注文件；请把错误清单发回单位。")
        return
    right.download_button(
        "下载标注了错误的原文件",
        data=marked.data,
        file_name=marked.name,
        mime=marked.mime,
        icon=":material/format_color_fill:",
        on_click="ignore",
        key=f"marked_{file.digest[:16]}",
        width="stretch",
        help="单位原文件中出错的单元格标红并加批注，首页列出全部错误。",
    )


@contextlib.contextmanager
def ticket_progress(text: str) -> Iterator[None]:
    """A progress bar for the ticket exports read inside (storing re-reads each file); gone afterwards."""
    bar = st.progress(0.0, text=text)
    with ticket_files.reporting(lambda fraction, said: bar.progress(fraction, text=f"{text}{said}")):
        yield
    bar.empty()


def hotline_source_setting(opened: Store, user: str) -> None:
    """Which figures count where a unit's 热线指标 return and its 12345 tickets give the same month."""
    sources = desk.hotline_sources()
    current = opened.hotline_source()
    chosen = st.selectbox(
        "热线数据来源（单位报表与12345工单不一致时）",
        list(sources),
        index=list(sources).index(current),
        format_func=sources.get,
        key=HOTLINE_SOURCE,
        help="同一单位同一月份既有单位填报的热线指标、又有12345工单算出的数字时，统计用哪一个。更改后全部页面随之更新，并记入操作日志。",
    )
    if chosen != current:
        opened.set_hotline_source(chosen, user=user)
        desk_message("success", f"热线数据来源已改为「{sources[chosen]}」。")


HOTLINE_SOURCE = "upload_hotline_source"


def upload_stored(results: list[desk.IngestResult]) -> None:
    """After 全部入库: forget cached reads, keep what happened for the next run, and run again."""
    st.session_state[_UPLOAD_RESULTS] = results
    data_changed()
    st.rerun()


def upload_results() -> None:
    """What the last 全部入库 did, file by file."""
    results = st.session_state.pop(_UPLOAD_RESULTS, None)
    if not results:
        return
    done = desk.outcomes(results)
    accepted = done[desk.Outcome.ACCEPTED]
    if accepted:
        # The tickets of an export are what its 热线指标 rows were worked out from, not rows stored beside them.
        rows = sum(n for r in accepted for kind, n in r.counts.items() if kind != tickets.TICKETS_NAME)
        lines = "\n".join(
            f"- {r.file}：{'、'.join(f'{k} {n:,} 行' for k, n in r.counts.items())}"
            + "".join(f"；{note}" for note in r.batch_notes)
            + "".join(f"；{rep.summary.replace('将替换', '已替换')}（{rep.unit}）" for rep in r.replacements)
            for r in accepted
        )
        st.success(f"已入库 {len(accepted)} 个文件，共 {rows:,} 行：\n{lines}", icon=":material/task_alt:")
    for result in done[desk.Outcome.UNCHANGED]:
        st.info(f"{result.file}：{result.message}", icon=":material/do_not_disturb_on:")
    for result in done[desk.Outcome.REJECTED]:
        st.error(f"{result.file}：入库时发现 {len(result.errors)} 处错误，未入库。", icon=":material/error:")


def desk_message(kind: str, text: str) -> None:
    """Say what a write did after the rerun that follows it; forget cached reads first."""
    st.session_state[_DESK_MESSAGE] = (kind, text)
    data_changed()
    st.rerun()


def show_desk_message() -> None:
    message = st.session_state.pop(_DESK_MESSAGE, None)
    if message:
        kind, text = message
        (st.success if kind == "success" else st.warning)(text, icon=":material/task_alt:")


def status_grid(report: completeness.Completeness, *, key: str) -> str | None:
    """The unit × month grid in status colours; a click on a row returns that unit's full name."""
    grid = report.grid()
    months = [c for c in grid.columns if c.endswith("月")]
    styled = grid.style.map(
        lambda value: f"background-color: {completeness.STATUS_COLOURS.get(value, 'white')}", subset=months
    )
    event = data_table(
        styled,
        hide_index=True,
        height=420,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        column_order=["单位类别", "单位", *months],
        column_config={
            "单位类别": st.column_config.TextColumn("单位类别", width=80),
            "单位": st.column_config.TextColumn("单位", width=150),
            **{m: st.column_config.TextColumn(m, width=56) for m in months},
        },
    )
    rows = event.selection.rows if event else []
    return grid.iloc[rows[0]]["单位全称"] if rows else None


def history_picker(history: pd.DataFrame, *, key: str) -> pd.Series | None:
    """The submission history; a click on a row returns that submission."""
    event = data_table(
        history,
        hide_index=True,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        column_order=desk.HISTORY_COLUMNS,
        column_config={
            "编号": st.column_config.NumberColumn("编号", format="#%d", width=64),
            "单位": st.column_config.TextColumn("单位", width=118),
            "报表": st.column_config.TextColumn("报表", width=72),
            "期间": st.column_config.TextColumn("期间", width=126),
            "文件": st.column_config.TextColumn("文件", width=134),
            "上传人": st.column_config.TextColumn("上传人", width=56),
            "上传时间": st.column_config.DatetimeColumn("上传时间", format="YYYY-MM-DD HH:mm", width=128),
            "行数": st.column_config.NumberColumn("行数", format="%d", width=50),
            "状态": st.column_config.TextColumn("状态", width=100),
            "哈希": st.column_config.TextColumn(
                "哈希", width=90, help="文件内容的 SHA-256 摘要（前12位），相同内容的文件摘要相同。"
            ),
        },
    )
    rows = event.selection.rows if event else []
    return history.iloc[rows[0]] if rows else None


def desk_page(
    title: str, permission: auth.Permission = auth.Permission.MANAGE, *, shows_snapshots: bool = False
) -> auth.User:
    """The top of a desk page, which works on an empty store too; opened by a link, it goes through app.py first.

    The signed-in user's role is checked here, on the server: a page left out of the menu is also refused.
    ``shows_snapshots``: the page shows a 会议版 picked in the sidebar (see ``reporting_source``).
    """
    if _PAGE_CONTEXT.get() is None:
        _enter_through_app()
    user = require(permission)
    st.title(title, anchor=False)
    shown = _SHOWN_SNAPSHOT.get()
    if shown is not None and shows_snapshots:
        frozen_banner(shown)
    elif shown is not None:
        st.caption("本页显示和操作的是当前数据；左侧所选的会议版只用于看板各页、报送情况和简报导出。")
    return user


def submission_history() -> pd.DataFrame:
    """Every submission, newest first (``Store.history``), read once per data version."""
    opened = store()
    return _history(opened.url, opened.data_version())


def submission_actions(opened: Store, chosen: pd.Series, *, keys: tuple[str, str]) -> None:
    """For one submission: download its original file, make it current again, or withdraw it after confirmation."""
    number = int(chosen["编号"])
    restore_key, withdraw_key = keys
    st.markdown(f"**#{number}** {chosen['单位']} · {chosen['报表']} · {chosen['期间']} · {chosen['状态']}")
    download_column, restore_column, withdraw_column = st.columns(3)
    name, original = opened.original(int(chosen["file_id"]))
    download_column.download_button(
        "下载原始文件", data=original, file_name=name, icon=":material/download:", on_click="ignore", width="stretch"
    )
    is_current, is_withdrawn = chosen["状态"] == desk.CURRENT, chosen["状态"] == desk.WITHDRAWN
    if restore_column.button(
        "恢复为当前版本", key=restore_key, icon=":material/history:", disabled=is_current, width="stretch"
    ):
        _write(
            lambda: opened.restore(number, user=_actor()),
            f"已把 #{number}（{chosen['单位']} {chosen['期间']}）恢复为当前版本。",
        )
    with withdraw_column.popover("撤销此次报送", icon=":material/delete:", disabled=is_withdrawn, width="stretch"):
        st.warning(f"撤销后，#{number} 的 {chosen['行数']} 行数据不再计入看板；文件和记录仍保留，可随时恢复。")
        if st.button("确认撤销", key=withdraw_key, type="primary"):
            _write(
                lambda: opened.delete(number, user=_actor()), f"已撤销 #{number}（{chosen['单位']} {chosen['期间']}）。"
            )


# Streamlit's file uploader speaks English (「Upload」, 「50MB per file • CSV, XLSX」) and takes no words of ours
# (streamlit/streamlit#13500): they are replaced in place with CSS. Should an upgrade rename these elements, the
# English shows again and nothing else changes.
_UPLOADER_WORDS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "选择文件"; font-size: 1rem;
}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "或把文件拖到这里 · 每个文件不超过 {megabytes} MB"; font-size: 0.875rem;
}}
</style>"""


def uploader_in_chinese() -> None:
    """The file uploaders of this page say 选择文件 and 或把文件拖到这里 instead of Streamlit's English."""
    st.html(_UPLOADER_WORDS.format(megabytes=st.get_option("server.maxUploadSize")))


def registry_replacement(opened: Store, registry: Registry, *, file_key: str, confirm_key: str, user: str) -> None:
    """Upload a new units file: every problem listed, or what would change and a button to replace the registry."""
    uploader_in_chinese()
    upload = st.file_uploader("上传新的单位名录", type=desk.REGISTRY_SUFFIXES, key=file_key)
    if upload is None:
        return
    checked = desk.check_registry_upload(upload.getvalue(), upload.name)
    if checked.registry is None:
        st.error(f"名录文件有 {len(checked.problems)} 处问题，未替换。请修改后重新上传：", icon=":material/error:")
        findings_table(checked.problems)
        return
    changes = desk.registry_changes(registry, checked.registry)
    st.success(
        f"名录文件检查通过：{len(checked.registry)} 家单位，与当前名录相比有 {len(changes)} 处变化。",
        icon=":material/task_alt:",
    )
    if not changes.empty:
        data_table(changes, hide_index=True, width="stretch")
    if st.button("确认替换名录", key=confirm_key, type="primary", icon=":material/published_with_changes:"):
        message = f"单位名录已替换为「{checked.name}」（{len(checked.registry)} 家单位）。"
        _write(lambda: opened.replace_registry(checked.csv_bytes, checked.name, user=user), message)


def _write(action: Callable[[], object], done: str) -> None:
    """One write to the store: on success say ``done`` after the rerun, else say why it failed."""
    try:
        action()
    except LingyiError as problem:
        st.error(f"无法完成：{problem}", icon=":material/error:")
    else:
        desk_message("success", done)


# -- chart pictures --------------------------------------------------------------------------------------------------


def chart_config(fig: go.Figure) -> dict:
    """``CHART_CONFIG`` with the toolbar camera saving a 2× PNG named after the chart's title and period.

    「2025年1—10月 各类别参与人次」 saves as 「2025年1-10月_各类别参与人次.png」 (see ``pictures.camera_options``).
    """
    from lingyi.figures import pictures

    return {**CHART_CONFIG, "toImageButtonOptions": pictures.camera_options(fig)}


# -- sign-in and roles ---------------------------------------------------------------------------------------------

# 演示模式: signed in as a demo analyst without a password. scripts/start.sh turns it on together with a store of
# its own (data/demo.db), so the quick start never touches the real store.
DEMO_VARIABLE = "LINGYI_DEMO"
_SESSION = "_lingyi_session"  # the number of this browser's session in the store (auth.start_session)
_TICKET = "_lingyi_ticket"  # until the browser has taken its cookie with it (lingyi/access/web.py)
_FORGET_COOKIE = "_lingyi_forget_cookie"  # signed out: the browser drops its cookie on the sign-in page
_ENDED = "_lingyi_session_ended"  # the session ended elsewhere (time, an administrator): say so on the sign-in page
_SIGN_IN_FORM = "sign_in"

# Runs in the page (st.components.v2 runs a component's JavaScript in the app's own document): one request to
# lingyi/web.py, which answers with the cookie, or deletes it. Each ticket is posted once, however often this runs.
_SESSION_COOKIE_JS = """
export default function ({ data, setTriggerValue }) {
  const done = (window.lingyiSessionRequests ??= new Set());
  const request = `${data.method} ${data.request}`;
  if (done.has(request)) return;
  done.add(request);
  fetch(data.url, {
    method: data.method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-Lingyi-Session": "1" },
    body: data.ticket ? JSON.stringify({ ticket: data.ticket }) : undefined,
  }).then((answer) => setTriggerValue("answered", answer.ok), () => setTriggerValue("answered", false));
}
"""
_session_cookie = st.components.v2.component("lingyi_session_cookie", js=_SESSION_COOKIE_JS)


def demo_mode() -> bool:
    return os.environ.get(DEMO_VARIABLE) == "1"


def signed_in_user() -> auth.User | None:
    """Who is signed in (in 演示模式, the demo analyst), checked against the store on every run.

    A new tab or a reload is a new Streamlit session: it finds its session again by the browser's cookie. A
    session that has ended — past its hours, signed out in another tab, the user disabled or given a new
    password — signs this browser out now.
    """
    if demo_mode():
        return auth.DEMO_USER
    opened = store()
    if _oidc_signed_in():  # through the office's OIDC provider (st.login): the local user of that name
        return auth.active_user(opened, _oidc_name())
    number = st.session_state.get(_SESSION)
    if number is None:  # a new tab or a reload: the session its cookie names, if that still lasts
        cookie = st.context.cookies.get(auth.COOKIE_NAME)
        number = auth.cookie_session(opened, cookie) if isinstance(cookie, str) else None  # AppTest has no cookies
        user = None if number is None else auth.session_user(opened, number)
        if user is not None:
            st.session_state[_SESSION] = number
        return user
    user = auth.session_user(opened, number)
    if user is None:
        _forget_session()
        st.session_state[_ENDED] = True
    return user


OIDC_CLAIM = "preferred_username"  # the claim that names the local user; [lingyi] oidc_user_claim overrides it


def oidc_configured() -> bool:
    """Whether .streamlit/secrets.toml has Streamlit's ``[auth]`` settings for an OIDC provider."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all
        return False


def _oidc_signed_in() -> bool:
    return bool(st.user.get("is_logged_in", False))


def _oidc_name() -> str:
    try:
        claim = st.secrets.get("lingyi", {}).get("oidc_user_claim", OIDC_CLAIM)
    except FileNotFoundError:
        claim = OIDC_CLAIM
    return str(st.user.get(claim) or "")


def _forget_session() -> None:
    st.session_state.pop(_SESSION, None)
    st.session_state.pop(_TICKET, None)
    st.session_state[_FORGET_COOKIE] = secrets.token_hex(8)  # names this request to drop the cookie


def sign_out(user: auth.User) -> None:
    """End every session of ``user`` (this tab, their other tabs and browsers) and drop this browser's cookie."""
    auth.sign_out(store(), user.name)
    _forget_session()


def _cookie_request(method: str, key: str) -> None:
    """Ask the browser to take (POST, with this session's ticket) or drop (DELETE) its session cookie."""
    ticket = st.session_state.get(_TICKET) if method == "POST" else None
    request = ticket if method == "POST" else st.session_state.get(_FORGET_COOKIE)

    def answered() -> None:  # once is enough: a browser that could not take the cookie stays signed in here
        st.session_state.pop(_TICKET if method == "POST" else _FORGET_COOKIE, None)

    _session_cookie(
        key=key,
        data={
            "method": method,
            "url": session_url(st.get_option("server.baseUrlPath")),
            "ticket": ticket,
            "request": request,
        },
        height=0,
        on_answered_change=answered,
    )


def require(permission: auth.Permission) -> auth.User:
    """The signed-in user if their role allows ``permission``; otherwise the page stops with a plain message."""
    user = signed_in_user()
    if user is None:
        st.warning("请先登录。", icon=":material/login:")
        st.stop()
    if not user.may(permission):
        st.error(f"您的角色（{auth.ROLE_NAMES[user.role]}）不能使用此页。", icon=":material/block:")
        st.stop()
    return user


def bound_unit() -> str | None:
    """The one unit a signed-in 单位填报员 may report for; None for every other role."""
    user = signed_in_user()
    return user.unit if user is not None and user.role is auth.Role.UNIT else None


def client_address() -> str | None:
    """The address this browser's sign-in comes from, as ``auth.client_address`` decides it from Streamlit's view."""
    return auth.client_address(st.context.ip_address, st.context.headers.get("X-Forwarded-For"))


def sign_in_page() -> None:
    """The page shown to whoever is not signed in."""
    st.title("学习型机关建设数据看板", anchor=False)
    if st.session_state.get(_ENDED):  # kept until the next sign-in: dropping the cookie reruns the page
        st.info("登录已结束（超时、已在别处退出，或账号已变更），请重新登录。", icon=":material/schedule:")
    # After the note, so that the rerun without this request finds the note where it was: never shown twice.
    if st.session_state.get(_FORGET_COOKIE):
        _cookie_request("DELETE", key="lingyi_forget_cookie")
    opened = store()
    if not auth.has_users(opened):
        st.info(
            "系统还没有任何用户。请管理员在服务器上运行：`python -m lingyi user add 用户名 --role admin`，"
            "按提示设置密码后再登录。",
            icon=":material/admin_panel_settings:",
        )
        return
    if _oidc_signed_in():  # signed in at the OIDC provider, but no enabled user of that name here
        st.warning(
            f"统一身份认证账号「{_oidc_name() or '（无用户名）'}」在本系统没有对应的可用用户，请联系管理员开通。",
            icon=":material/person_off:",
        )
        st.button("退出统一身份认证", key="oidc_sign_out", on_click=st.logout, icon=":material/logout:")
        return
    if oidc_configured():
        st.button("统一身份认证登录", key="oidc_sign_in", on_click=st.login, type="primary", icon=":material/badge:")
        st.caption("或用本系统的用户名和密码登录：")
    with st.form(_SIGN_IN_FORM):
        name = st.text_input("用户名")
        password = st.text_input("密码", type="password", autocomplete="current-password")  # not a new one
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        try:
            user = auth.sign_in(opened, name, password, address=client_address())
        except auth.SignInError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        st.session_state[_SESSION], st.session_state[_TICKET] = auth.start_session(opened, user)
        st.session_state.pop(_FORGET_COOKIE, None)
        st.session_state.pop(_ENDED, None)
        st.rerun()


START_PAGE = "start"  # the root's own page: signing in there opens the role's first page


def role_navigation(
    user: auth.User, pages: dict[str, list], permissions: dict[str, auth.Permission], *, first: str
) -> dict[str, list]:
    """The navigation for ``user``: the sections of ``pages`` with the pages their role allows, in the menu; and,
    hidden from it, every other page at its own address, answering 「无权访问」 with links to the user's own pages
    (not Streamlit's 「没有这个页面」). Where the role lacks ``first`` (the default page, whose address is the root),
    the root goes on to the role's first page, so that page keeps its own address and a link to it opens it:
    Streamlit serves its default page at the root only.
    """
    menu = {section: [p for p in listed if user.may(permissions[p.title])] for section, listed in pages.items()}
    own = [p for listed in menu.values() for p in listed]
    refused = {  # by address: the overview answers at the root and by its name, /overview
        p.url_path or first: p.title for listed in pages.values() for p in listed if not user.may(permissions[p.title])
    }
    hidden = [_refused_page(user, title, address, own) for address, title in refused.items()]
    if not any(p.url_path == "" for p in own):
        hidden.append(_start_page(own[0]))
    return {"": hidden, **{section: listed for section, listed in menu.items() if listed}}


def _refused_page(user: auth.User, title: str, url_path: str, own: list) -> st.Page:
    def refused() -> None:
        st.title(title, anchor=False)
        st.error(f"无权访问：您的角色（{auth.ROLE_NAMES[user.role]}）不能使用「{title}」。", icon=":material/block:")
        st.markdown("您可以使用：")
        for page in own:
            st.page_link(page)

    return st.Page(refused, title=title, url_path=url_path, visibility="hidden")


def _start_page(page: st.Page) -> st.Page:
    def start() -> None:
        st.switch_page(page)

    return st.Page(start, title=page.title, url_path=START_PAGE, default=True, visibility="hidden")


def account_box(user: auth.User) -> None:
    """Who is signed in, in the sidebar, with a way out; in 演示模式 a banner that says what this is."""
    if demo_mode():
        st.markdown(
            f":orange-background[:material/science: **演示模式**] 这里是示例数据（演示库：{where(store().url)}），"
            "可随意浏览和上传，不会改动正式数据库。"
        )
    with st.sidebar:
        st.caption(f"当前用户：{user.label}")
        if st.session_state.get(_TICKET):
            _cookie_request("POST", key="lingyi_take_cookie")
        if not demo_mode() and st.button("退出登录", key="sign_out", icon=":material/logout:"):
            if _oidc_signed_in():
                st.logout()  # the OIDC sign-in's own cookie goes; the page reloads
            sign_out(user)
            st.rerun()


def _actor() -> str:
    """The name a write is recorded under: the signed-in user's."""
    user = signed_in_user()
    return user.name if user is not None else DEFAULT_ANALYST


def audit_table(log: pd.DataFrame) -> pd.DataFrame:
    """The audit log as people read it."""
    return log[list(AUDIT_HEADINGS)].rename(columns=AUDIT_HEADINGS)


def user_form(opened: Store, registry: Registry, *, by: str) -> None:
    """Add a user: name, role, the unit of a 单位填报员, a first password (told to the user in person)."""
    with st.form("admin_add_user", clear_on_submit=True):
        left, middle, right = st.columns(3)
        name = left.text_input("用户名")
        role = middle.selectbox("角色", list(auth.Role), format_func=lambda r: auth.ROLE_NAMES[r])
        unit = right.selectbox(
            "绑定单位（仅单位填报员）", [None, *(u.name for u in registry.units)], format_func=lambda n: n or "—"
        )
        password = st.text_input("初始密码（至少 8 个字符）", type="password")
        if st.form_submit_button("新增用户", icon=":material/person_add:"):
            try:
                added = auth.add_user(
                    opened, name, password, role, unit=unit if role is auth.Role.UNIT else None, by=by
                )
            except LingyiError as problem:
                st.error(str(problem), icon=":material/error:")
            else:
                desk_message("success", f"已新增用户 {added.label}。")  # reruns: the list above shows the user


# -- 会议版: a scope frozen as shown at a meeting (lingyi/snapshots.py) ------------------------------------------------

SNAPSHOT = "snapshot"  # the 会议版 shown instead of the live store; also a query parameter
LIVE = snapshots.LIVE_NAME  # the picker's option for the live store; a link names a 会议版 by its own name
_NEXT_SNAPSHOT = "_lingyi_next_snapshot"  # a 会议版 just frozen, shown from the next run on
_FREEZE_NAME, _FREEZE_BUTTON, _DELETE_BUTTON = "freeze_name", "freeze", "delete_snapshot"


@st.cache_resource(max_entries=2, show_spinner=False)
def _snapshot_list(url: str, data_version: int) -> list[snapshots.Snapshot]:
    return snapshots.listed(_open_store(url))


@st.cache_resource(max_entries=4, show_spinner="正在读取会议版…")
def _snapshot_dataset(url: str, snapshot_id: int, frozen_at: str) -> metrics.Dataset:
    """A 会议版's dataset, shared like the live one; it never changes, so it is kept until pushed out."""
    opened = _open_store(url)
    (found,) = [s for s in snapshots.listed(opened) if s.id == snapshot_id]
    return snapshots.dataset(opened, found)


@st.cache_resource(max_entries=4, show_spinner="正在与当前数据对比…")
def _comparison(url: str, snapshot_id: int, data_version: int) -> snapshots.Comparison:
    opened = _open_store(url)
    (found,) = [s for s in snapshots.listed(opened) if s.id == snapshot_id]
    frozen = _snapshot_dataset(url, found.id, str(found.created_at))
    return snapshots.compare(opened, found, live=_load_dataset(url, data_version), frozen=frozen)


def snapshot_dataset(snapshot: snapshots.Snapshot) -> metrics.Dataset:
    return _snapshot_dataset(store().url, snapshot.id, str(snapshot.created_at))


def shown_snapshot() -> snapshots.Snapshot | None:
    """The 会议版 this run shows instead of the live store, or None."""
    return _SHOWN_SNAPSHOT.get()


def snapshot_picker() -> snapshots.Snapshot | None:
    """「数据」 at the top of the sidebar, held in the URL: the live store or one of the 会议版 (when there are any)."""
    opened = store()
    listed = _snapshot_list(opened.url, opened.data_version())
    names = [s.name for s in listed]
    following = st.session_state.pop(_NEXT_SNAPSHOT, None)
    if following == LIVE or following in names:
        st.session_state[SNAPSHOT] = following
    asked = st.query_params.get(SNAPSHOT)
    if not listed:
        if asked:
            st.sidebar.warning(f"没有会议版「{asked}」（可能已被删除），下面是当前数据。", icon=":material/search_off:")
        return None
    with st.sidebar:
        chosen = st.selectbox(
            "数据：当前或会议版",
            [LIVE, *names],
            key=SNAPSHOT,
            bind="query-params",
            help="会议版是某次会议所示数字的冻结版本，此后的报送、恢复和撤销都不改变它；在「简报导出」页冻结。",
        )
        if asked and asked not in names:
            st.warning(f"没有会议版「{asked}」（可能已被删除），下面是当前数据。", icon=":material/search_off:")
    return next((s for s in listed if s.name == chosen), None)


def frozen_banner(snapshot: snapshots.Snapshot) -> None:
    """「会议版：名称（冻结于 时间）」 above a page that shows a snapshot."""
    st.info(
        f"**{snapshot.label}**　本页是冻结时的数字，此后的报送、恢复和撤销都不改变它；在左侧「数据」中可切回当前数据。",
        icon=":material/lock_clock:",
    )


def freeze_form(scope: metrics.Scope) -> None:
    """Name the current view and freeze it as a 会议版; it is shown from the next run on."""
    show_desk_message()
    st.caption(
        "会后仍会有补报和更正。把本页的统计范围和此刻的数据冻结为「会议版」，以后随时可以原样查看、导出，并与当前数据对比。"
    )
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    name = left.text_input(
        "会议版名称", key=_FREEZE_NAME, max_chars=snapshots.MAX_NAME, placeholder="如：2025年10月市直机关工作例会"
    )
    if right.button("冻结为会议版", key=_FREEZE_BUTTON, icon=":material/lock_clock:", width="stretch"):
        try:
            made = snapshots.create(store(), name, scope, user=_actor())
        except LingyiError as problem:
            st.error(f"无法冻结：{problem}", icon=":material/error:")
            return
        st.session_state[_NEXT_SNAPSHOT] = made.name
        desk_message("success", f"已冻结{made.label}；左侧「数据」可在会议版与当前数据之间切换。")


def snapshot_comparison(snapshot: snapshots.Snapshot) -> None:
    """What has moved since the 会议版 was frozen: the figures, by how much, and the submissions behind it."""
    show_desk_message()  # 「已冻结…」 after the rerun that shows the 会议版 just frozen
    opened = store()
    comparison = _comparison(opened.url, snapshot.id, opened.data_version())
    st.markdown(f"**{snapshot.label} 与当前数据对比**（{snapshots.scope_words(snapshot.scope)}）")
    if comparison.unchanged:
        st.success("自冻结以来，这一范围的数字没有变化。", icon=":material/check_circle:")
        return
    st.caption(f"变化的数字 {len(comparison.figures)} 项（会议版 → 当前）：")
    data_table(snapshots.figure_table(comparison, as_text=True), hide_index=True, width="stretch")
    for note in comparison.notes:
        st.info(note, icon=":material/info:")
    if comparison.causes.empty:
        return
    st.caption(f"引起变化的报送 {len(comparison.causes)} 次（单位、文件、版本）：")
    data_table(
        snapshots.cause_table(comparison),
        hide_index=True,
        width="stretch",
        column_config={"报送时间": st.column_config.DatetimeColumn("报送时间", format="YYYY-MM-DD HH:mm")},
    )


def snapshot_deletion(snapshot: snapshots.Snapshot) -> None:
    """Delete a 会议版 after confirmation (the submissions and files stay); for those who manage the data."""
    user = signed_in_user()
    if user is None or not user.may(auth.Permission.MANAGE):
        return
    with st.popover("删除此会议版", icon=":material/delete:"):
        st.warning(f"删除后不能再查看「{snapshot.name}」；报送和文件不受影响。")
        if st.button("确认删除", key=_DELETE_BUTTON, type="primary"):
            st.session_state[_NEXT_SNAPSHOT] = LIVE  # the picker shows the live store again
            _write(
                lambda: snapshots.delete(store(), snapshot.name, user=_actor()), f"已删除会议版「{snapshot.name}」。"
            )


def reporting_source() -> tuple[Registry, pd.DataFrame, dt.date]:
    """What 报送情况 reads: the registry, the live submissions and today; or a shown 会议版's, as of its freezing."""
    shown = _SHOWN_SNAPSHOT.get()
    if shown is None:
        opened = store()
        return opened.registry(), opened.submissions(), dt.date.today()
    frozen = snapshot_dataset(shown)
    return frozen.registry, frozen.submissions, shown.created_at.date()


def user_status_form(opened: Store, users: pd.DataFrame, *, by: str) -> None:
    """Disable a user (every session of theirs ends at once, on their next click) or enable them again."""
    disabled = dict(zip(users["name"], users["disabled"], strict=True))
    with st.form("admin_user_status"):
        left, right = st.columns([2, 1])
        name = left.selectbox(
            "停用或启用用户",
            list(disabled),
            index=None,
            placeholder="选择用户",
            format_func=lambda n: f"{n}（{'已停用' if disabled[n] else '正常'}）",
        )
        disable = right.form_submit_button("停用", icon=":material/person_off:")
        enable = right.form_submit_button("启用", icon=":material/person_check:")
    if not (disable or enable) or name is None:
        return
    if disable and name == by:
        st.error("不能停用自己的账号：请由另一位管理员操作。", icon=":material/error:")
        return
    _write(lambda: auth.set_disabled(opened, name, disable, by=by), f"已{'停用' if disable else '启用'}用户 {name}。")


_EXEMPT_UNIT, _EXEMPT_KIND = "admin_exempt_unit", "admin_exempt_kind"
_EXEMPT_MARK, _EXEMPT_UNMARK = "admin_exempt_mark", "admin_exempt_unmark"


def exempt_form(opened: Store, registry: Registry, *, by: str) -> None:
    """Mark a unit 不涉及 a kind of return (neither expected nor chased on 报送情况), or expected again."""
    marked = [(u.short_name, SHEET_KIND_BY_KEY[k].name) for u in registry.units for k in sorted(u.exempt)]
    if marked:
        data_table(pd.DataFrame(marked, columns=["单位", "不涉及的报表"]), hide_index=True, width="stretch")
    else:
        st.caption("目前没有单位标为不涉及：每家单位都应报送每一种报表。")
    # Plain widgets, not a form: a choice of two buttons, each one write.
    unit_column, kind_column, button_column = st.columns([2, 1, 1], vertical_alignment="bottom")
    unit = unit_column.selectbox(
        "单位",
        [u.name for u in registry.units],
        index=None,
        placeholder="选择单位",
        format_func=lambda n: registry.by_name[n].label,
        key=_EXEMPT_UNIT,
    )
    kind = kind_column.selectbox(
        "报表", [k.key for k in SHEET_KINDS], format_func=lambda k: SHEET_KIND_BY_KEY[k].name, key=_EXEMPT_KIND
    )
    exempt = button_column.button("标为不涉及", icon=":material/block:", key=_EXEMPT_MARK)
    expected = button_column.button("恢复应报", icon=":material/undo:", key=_EXEMPT_UNMARK)
    if not (exempt or expected) or unit is None:
        return
    verb = "标为不涉及" if exempt else "恢复应报"
    _write(
        lambda: opened.set_exempt([unit], kind, exempt, user=by),
        f"已将 {registry.by_name[unit].short_name} {verb}{SHEET_KIND_BY_KEY[kind].name}。",
    )
