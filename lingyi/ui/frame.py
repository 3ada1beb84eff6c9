"""The frame of every page: the page context and title, and what a page says when the store is empty, when a filter
leaves nothing, and when something breaks or the database is away."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator

import pandas as pd
import streamlit as st

from lingyi import metrics
from lingyi.access import auth
from lingyi.errors import LingyiError
from lingyi.intake import samples
from lingyi.store import default_url
from lingyi.store.faults import unavailable
from lingyi.ui.data import data_changed, store
from lingyi.ui.filters import scope_text
from lingyi.ui.sign_in import require
from lingyi.ui.snapshots import frozen_banner
from lingyi.ui.state import DEBUG_VARIABLE, ENTRY_REDIRECTS, PAGE_CONTEXT, PROJECT_DIR, SHOWN_SNAPSHOT, THROUGH, YEAR

LOG = logging.getLogger(__name__)

# The browser tab's icon, drawn here: a material-icon favicon would be fetched from fonts.gstatic.com, and the
# dashboard runs on an intranet. A red seal with an open book.
FAVICON = (
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 64 64'>"
    "<rect width='64' height='64' rx='12' fill='#C0392B'/>"
    "<path d='M12 18c7-3 14-3 20 1v30c-6-4-13-4-20-1z M52 18c-7-3-14-3-20 1v30c6-4 13-4 20-1z' fill='#FFFFFF'/>"
    "</svg>"
)


def page_context() -> tuple[metrics.Dataset, metrics.Scope]:
    """The dataset and the scope app.py made for this run; stops the page with an invitation when there is no data."""
    context = PAGE_CONTEXT.get()
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
    redirects = st.session_state.get(ENTRY_REDIRECTS, 0)
    if redirects >= 2:
        st.error("页面未能正常载入，请从首页打开本看板。", icon=":material/error:")
        st.stop()
    st.session_state[ENTRY_REDIRECTS] = redirects + 1
    pages = sorted((PROJECT_DIR / "pages").glob("*.py"))
    st.navigation([st.Page(PROJECT_DIR / "app.py", default=True), *(st.Page(path) for path in pages)])
    st.rerun()


def header(title: str, scope: metrics.Scope, *, months_only: bool = False) -> None:
    """The page title and what it shows; ``months_only`` for a page that follows only the year and month."""
    st.title(title, anchor=False)
    shown = SHOWN_SNAPSHOT.get()
    if shown is not None:
        frozen_banner(shown)
    st.caption(f"{scope.span_label} · 本页只按年份和截至月份筛选" if months_only else scope_text(scope))


def desk_page(title: str, permission: auth.Permission = auth.Permission.MANAGE) -> auth.User:
    """The top of a desk page, which works on an empty store too; opened by a link, it goes through app.py first.

    The signed-in user's role is checked here, on the server: a page left out of the menu is also refused. A page
    whose sidebar offers the 会议版 (``filters.SIDEBAR``: 报送情况, see ``reporting_source``) says when it shows one.
    """
    if PAGE_CONTEXT.get() is None:
        _enter_through_app()
    user = require(permission)
    st.title(title, anchor=False)
    shown = SHOWN_SNAPSHOT.get()
    if shown is not None:
        frozen_banner(shown)
    return user


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
