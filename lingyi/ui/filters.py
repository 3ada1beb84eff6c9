"""The sidebar filters, held in the URL so a copied link reopens the same view, and the ``Scope`` they make; a page's
own pickers held in the URL too (the profile's unit, a row of choice buttons)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import streamlit as st

from lingyi import metrics
from lingyi.contract import CATEGORIES
from lingyi.metrics import snapshots
from lingyi.registry import Registry
from lingyi.ui.data import snapshot_dataset
from lingyi.ui.snapshots import snapshot_picker
from lingyi.ui.state import (
    CATEGORY,
    ENTRY_REDIRECTS,
    LATEST,
    PAGE_CONTEXT,
    PROFILE_UNIT,
    SHOWN_SNAPSHOT,
    SNAPSHOT,
    THROUGH,
    UNIT,
    YEAR,
)

_UNKNOWN_UNITS = "_lingyi_unknown_units"  # linked names that match no unit, said once the filter is drawn again


def unit_label(registry: Registry) -> Callable[[str], str]:
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


# The sidebar's parts each page uses, by the page's title in app.py: a page draws only these, so none that it ignores
# is shown. 单位画像 follows the year and month (its unit may come from the 单位 filter of a link); 报送情况 has its own
# year and report, and shows a 会议版 as it stood; the desk pages work on the live store alone.
EVERY_FILTER = (SNAPSHOT, YEAR, THROUGH, CATEGORY, UNIT)
SIDEBAR: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("总览", "学习活动", "热线指标", "问题化解", "指标完成", "简报导出"), EVERY_FILTER),
    "单位画像": (SNAPSHOT, YEAR, THROUGH, UNIT),
    "报送情况": (SNAPSHOT,),
    **dict.fromkeys(("数据上传", "数据管理", "系统管理"), ()),
}


def _keep_hidden(shown: tuple[str, ...]) -> None:
    """A filter left out of this page keeps its choice for the next page that shows it: Streamlit forgets the value
    of a widget not drawn in a run, unless the value is set again in that run."""
    for key in EVERY_FILTER:
        if key not in shown and key in st.session_state:
            st.session_state[key] = st.session_state[key]


def sidebar_filters(ds: metrics.Dataset, shown: tuple[str, ...] = EVERY_FILTER) -> metrics.Scope:
    """Those of year, through-month, categories and units that ``shown`` names, in the sidebar, held in the URL; the
    Scope they make (a filter not shown leaves its default: the latest year and month, every category and unit)."""
    if ds.empty:  # nothing to filter yet: the page invites an upload
        return metrics.Scope(metrics.default_year(ds), 12)
    years = metrics.years_with_data(ds)
    registry = ds.registry
    year, through, categories, units = years[-1], LATEST, [], []
    with st.sidebar:
        if {YEAR, THROUGH, CATEGORY, UNIT} & set(shown):
            st.markdown("#### 筛选")
        if YEAR in shown:
            year = st.selectbox("年份", years, index=len(years) - 1, key=YEAR, bind="query-params")
        latest = metrics.latest_month(ds, year)
        if THROUGH in shown:
            through = st.selectbox(
                "截至月份",
                [LATEST, *range(1, 13)],
                format_func=lambda m: f"最新（{latest}月）" if m == LATEST else f"{m}月",
                key=THROUGH,
                bind="query-params",
                help="统计从1月到所选月份；默认是该年有数据的最近一个月。",
            )
        if CATEGORY in shown:
            categories = st.multiselect(
                "单位类别", CATEGORIES, key=CATEGORY, bind="query-params", placeholder="全部类别"
            )
        if UNIT in shown:
            units = _unit_filter(registry)
    return metrics.Scope(int(year), latest if through == LATEST else int(through), tuple(categories), tuple(units))


def _unit_filter(registry: Registry) -> list[str]:
    """The units chosen in the sidebar, by any of their names; a name that matches no unit is said so."""
    _normalise_unit_choice(registry)
    chosen = st.multiselect(
        "单位",
        [unit.name for unit in registry.units],
        format_func=unit_label(registry),
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
    return units


@contextlib.contextmanager
def shared_filters(ds: metrics.Dataset, page: str) -> Iterator[metrics.Scope]:
    """The sidebar filters ``page`` uses (``SIDEBAR``), and their scope for the page run inside this block
    (``page_context`` reads it).

    The scope lives only while app.py runs the page, so a page that Streamlit runs on its own (see
    ``frame._enter_through_app``) finds none rather than a stale one from an earlier run.
    """
    uses = SIDEBAR.get(page, EVERY_FILTER)
    _keep_hidden(uses)
    shown = snapshot_picker() if SNAPSHOT in uses else None
    if shown is None:
        scope = sidebar_filters(ds, uses)
    else:  # a 会议版: its own frozen dataset, and the scope it was frozen for
        ds, scope = snapshot_dataset(shown), shown.scope
        st.sidebar.caption(f"会议版的统计范围：{snapshots.scope_words(scope)}（冻结时选定，不能更改）。")
    st.session_state[ENTRY_REDIRECTS] = 0
    token = PAGE_CONTEXT.set((ds, scope))
    shown_token = SHOWN_SNAPSHOT.set(shown)
    try:
        yield scope
    finally:
        SHOWN_SNAPSHOT.reset(shown_token)
        PAGE_CONTEXT.reset(token)


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
        format_func=unit_label(registry),
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
