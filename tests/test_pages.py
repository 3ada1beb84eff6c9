"""The dashboard's pages through Streamlit's AppTest, on the sample store and on an empty one.

Every figure a page shows must be the figure ``python -m lingyi summary --json`` prints for the same
filters, so the expectations here come from the command line itself, not from the code under test.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
from pathlib import Path

import pytest
from docx import Document
from factories import (
    hotline_rows,
    indicator_periods,
    indicator_rows,
    learning_rows,
    problem_rows,
    write_csv,
    write_workbook,
)
from pptx import Presentation
from sample_store import sample_database_copy
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

import lingyi.__main__ as cli
from lingyi import figures, metrics
from lingyi.export import archive
from lingyi.figures import pictures
from lingyi.intake import samples
from lingyi.metrics import snapshots
from lingyi.store import DATABASE_URL_VARIABLE, Store, metadata
from lingyi.ui import archive as ui_archive
from lingyi.ui import state

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = {
    "pages/overview.py": "总览",
    "pages/learning.py": "学习活动",
    "pages/hotline.py": "12345热线指标",
    "pages/problems.py": "问题化解",
    "pages/indicators.py": "指标完成",
    "pages/unit.py": "单位画像",
}
# A unit and the ways a leader might name it.
UNIT, UNIT_LABEL, UNIT_ALIAS = "临沂市民政局", "市民政局（临沂市民政局）", "民政局"

pytestmark = pytest.mark.slow


# -- fixtures -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory) -> str:
    return sample_database_copy(tmp_path_factory.mktemp("pages-sample"))


@pytest.fixture
def empty_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'empty.db'}"


def summary(url: str, *arguments: str) -> dict:
    """What ``python -m lingyi summary --json`` prints for these arguments."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["summary", "--json", "--db", url, *arguments]) == 0
    return json.loads(out.getvalue())


@pytest.fixture
def open_app(monkeypatch):
    """``open_app(url, page=…, query=…)``: the dashboard on the store at ``url``, run once.

    AppTest forgets before every run that app.py has called ``st.navigation``, so with a ``pages/`` folder
    beside app.py each later run would first take Streamlit's old folder-of-pages path (and lose a button's
    click on the way back, see ``frame._enter_through_app``). A server forgets it only once, when it starts; the
    browser tests cover that. Here every run goes the way a running server's runs go.
    """
    starting = PagesManager.__init__

    def started(manager, *args, **kwargs):
        starting(manager, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", started)

    def open_app(url: str, page: str | None = None, query: dict | None = None) -> AppTest:
        monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params.update(query or {})
        at.run()
        if page:
            at.switch_page(page).run()
        return at

    return open_app


def cards(at: AppTest) -> dict[str, tuple[str, str]]:
    return {metric.label: (metric.value, metric.delta) for metric in at.metric}


def charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def chart(at: AppTest, title_start: str) -> dict:
    found = [c for c in charts(at) if c["layout"]["title"]["text"].split(" ", 1)[-1].startswith(title_start)]
    assert len(found) == 1, [c["layout"]["title"]["text"] for c in charts(at)]
    return found[0]


def assert_ran_cleanly(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def percent(value: float | None) -> str:
    return "无数据" if value is None else f"{value:.2f}%"


def points(value: float | None) -> str:
    return "" if value is None else (f"{value:+.2f} 个百分点" if value else "0.00 个百分点")


def expected_overview(s: dict) -> dict[str, tuple[str, str]]:
    """The overview's cards as the command line's summary has them."""
    learning = s["learning"]
    expected = {
        "报送单位": (f"{s['units']['reporting']}/{s['units']['registered']}", ""),
        "学习活动": (figures.count_text(learning["activities"], " 项"), ""),
        "学习期数": (figures.count_text(learning["sessions"], " 期"), ""),
        "参与人次": (figures.count_text(learning["person_times"]), ""),
    }
    if not learning["activities"]:
        expected |= {label: ("尚无报送", "") for label in ("学习活动", "学习期数", "参与人次")}
    return expected | expected_hotline(s) | expected_problems(s) | expected_indicators(s)


def expected_indicators(s: dict) -> dict[str, tuple[str, str]]:
    indicators = s["indicators"]
    expected = {
        "报送指标": (f"{indicators['count']:,} 项" if indicators["count"] else "尚无报送", ""),
        "指标达标率": (percent(indicators["met_pct"]) if indicators["count"] else "尚无报送", ""),
    }
    for kind, found in indicators["by_type"].items():
        expected[f"{kind}达标率"] = (percent(found["met_pct"]) if found["count"] else "尚无报送", "")
    return expected


def expected_problems(s: dict) -> dict[str, tuple[str, str]]:
    problems = s["problems"]
    closure = problems["closure_rate_pct"]
    if not problems["found"]:
        return {label: ("尚无报送", "") for label in ("排查单位", "发现问题", "已化解问题", "化解率（目标90%）")}
    return {
        "排查单位": (f"{problems['units_screened']} 个", ""),
        "发现问题": (figures.count_text(problems["found"], " 个"), ""),
        "已化解问题": (figures.count_text(problems["resolved"], " 个"), ""),
        "化解率（目标90%）": (percent(closure), points(None if closure is None else round(closure - 90, 2))),
    }


def expected_hotline(s: dict) -> dict[str, tuple[str, str]]:
    hotline = s["hotline"]
    yoy = hotline["appeals_yoy_pct"]
    if hotline["first_time_rate_pct"] is None and not hotline["appeals"]:  # nobody sent a hotline return
        return {label: ("尚无报送", "") for label in ("12345热线诉求量", *metrics.RATE_NAMES.values())}
    expected = {
        "12345热线诉求量": (figures.count_text(hotline["appeals"], " 件"), "" if yoy is None else f"{yoy:+.2f}%")
    }
    for rate, name in metrics.RATE_NAMES.items():
        expected[name] = (percent(hotline[f"{rate}_pct"]), points(hotline[f"{rate}_pp"]))
    return expected


# -- every page, every store ---------------------------------------------------------------------------------------


def test_every_dashboard_page_of_app_py_is_tested_here():
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    constants = {  # module-level names the page declarations use (FIRST_PAGE …)
        node.targets[0].id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
    }
    pages = next(
        node.value for node in ast.walk(tree) if isinstance(node, ast.Assign) and node.targets[0].id == "PAGES"
    )
    dashboard = pages.values[[key.value for key in pages.keys].index("看板")]
    listed = {call.args[0].value: call for call in dashboard.elts}
    assert set(listed) == set(DASHBOARD)
    for call in listed.values():  # ASCII file names, explicit Chinese titles and URL paths, material icons
        options = {
            k.arg: constants[k.value.id] if isinstance(k.value, ast.Name) else k.value.value for k in call.keywords
        }
        assert call.args[0].value.isascii()
        assert options["url_path"].isascii() and not options["title"].isascii()
        assert options["icon"].startswith(":material/")


@pytest.mark.parametrize("page", list(DASHBOARD))
def test_every_page_runs_on_the_sample_store_and_draws_charts(open_app, sample_url, page):
    at = open_app(sample_url, page, query={state.PROFILE_UNIT: UNIT_LABEL})
    assert_ran_cleanly(at)
    assert at.title[0].value == DASHBOARD[page]
    assert len(at.get("plotly_chart")) >= 2
    for fig in charts(at):
        assert fig["layout"]["title"]["text"], "every chart says what it shows"
        assert fig["layout"]["template"]["layout"]["font"]["family"].startswith('"Noto Sans CJK SC"')
    for table in at.dataframe:  # a missing value is left blank, not Streamlit's English 「None」
        assert table.proto.HasField("placeholder") and table.proto.placeholder == ""


@pytest.mark.parametrize("page", list(DASHBOARD))
def test_every_page_on_an_empty_store_says_what_to_upload_and_offers_the_sample_data(open_app, empty_url, page):
    at = open_app(empty_url, page)
    assert_ran_cleanly(at)
    assert "上传" in at.info[0].value
    assert [button.label for button in at.button] == ["载入示例数据"]
    assert not at.get("plotly_chart")


def test_the_sample_data_button_loads_what_init_sample_loads(open_app, empty_url, tmp_path, monkeypatch):
    returns = tmp_path / "returns"
    for unit, seed in ((UNIT, 1), ("临沂市财政局", 2)):
        write_workbook(
            returns / f"{unit}.xlsx",
            {
                "学习活动": learning_rows(4, unit=unit, month=202503, seed=seed),
                "热线指标": hotline_rows((202501, 202502, 202503), units=(unit,), seed=seed, prior=True),
                "问题清单": problem_rows(3, unit=unit, seed=seed),
                "指标完成": indicator_rows(unit=unit, period="2025年1-3月"),
            },
        )
    monkeypatch.setattr(samples, "SAMPLE_RETURNS", returns)
    at = open_app(empty_url)
    at.button[0].click().run()
    assert_ran_cleanly(at)
    assert cards(at) == expected_overview(summary(empty_url))
    assert cards(at)["报送单位"] == ("2/108", "")


# -- the figures are the command line's ----------------------------------------------------------------------------


def test_overview_cards_equal_the_command_line_summary(open_app, sample_url):
    at = open_app(sample_url)
    assert_ran_cleanly(at)
    assert cards(at) == expected_overview(summary(sample_url))


def test_hotline_cards_equal_the_command_line_summary(open_app, sample_url):
    at = open_app(sample_url, "pages/hotline.py")
    assert cards(at) == expected_hotline(summary(sample_url))


def test_problem_cards_and_closure_by_category_equal_the_command_line_summary(open_app, sample_url):
    at = open_app(sample_url, "pages/problems.py")
    problems = summary(sample_url)["problems"]
    assert cards(at) == expected_problems(summary(sample_url))
    by_category = chart(at, "各类别化解率")["data"][0]
    assert by_category["x"] == list(problems["by_category"])
    assert [None if y is None else round(y * 100, 2) for y in by_category["y"]] == [
        v["closure_rate_pct"] for v in problems["by_category"].values()
    ]


def test_learning_by_category_equals_the_command_line_summary(open_app, sample_url):
    at = open_app(sample_url, "pages/learning.py")
    by_category = summary(sample_url)["learning"]["by_category"]
    drawn = chart(at, "各类别参与人次")["data"][0]
    assert dict(zip(drawn["x"], drawn["y"], strict=True)) == {c: v["person_times"] for c, v in by_category.items()}
    at.segmented_control(key=state.LEARNING_MEASURE).set_value("activities").run()
    drawn = chart(at, "各类别学习活动")["data"][0]
    assert dict(zip(drawn["x"], drawn["y"], strict=True)) == {c: v["activities"] for c, v in by_category.items()}


# -- filters ----------------------------------------------------------------------------------------------------------

# (a change in the sidebar, the same view as query parameters, the command line's arguments for it)
FILTERS = {
    "year": ({state.YEAR: 2024}, {state.YEAR: "2024"}, ["--year", "2024"]),
    "through": ({state.THROUGH: 6}, {state.THROUGH: "6月"}, ["--through", "2025-06"]),
    "category": ({state.CATEGORY: ["执法监督"]}, {state.CATEGORY: "执法监督"}, ["--category", "执法监督"]),
    "categories": (
        {state.CATEGORY: ["执法监督", "国有企业"]},
        {state.CATEGORY: ["执法监督", "国有企业"]},
        ["--category", "执法监督", "--category", "国有企业"],
    ),
    "unit by alias": ({state.UNIT: [UNIT_ALIAS]}, {state.UNIT: UNIT_LABEL}, ["--unit", UNIT_ALIAS]),
}


def set_filters(at: AppTest, changes: dict) -> AppTest:
    for key, value in changes.items():
        widget = at.selectbox(key=key) if key in (state.YEAR, state.THROUGH) else at.multiselect(key=key)
        widget.set_value(value)
    return at.run()


@pytest.mark.parametrize("name", list(FILTERS))
def test_a_filter_changes_the_overview_to_the_command_lines_figures_for_it(open_app, sample_url, name):
    changes, _, arguments = FILTERS[name]
    at = set_filters(open_app(sample_url), changes)
    assert_ran_cleanly(at)
    expected = expected_overview(summary(sample_url, *arguments))
    assert cards(at) == expected
    assert expected != expected_overview(summary(sample_url))  # the filter did change what is shown


@pytest.mark.parametrize("name", list(FILTERS))
def test_a_link_with_the_filters_in_its_query_reopens_the_same_view(open_app, sample_url, name):
    changes, query, arguments = FILTERS[name]
    at = open_app(sample_url, query=query)
    assert_ran_cleanly(at)
    assert cards(at) == expected_overview(summary(sample_url, *arguments))
    for key, value in changes.items():  # the widgets show the linked values (a unit by its full name)
        widget = at.selectbox(key=key) if key in (state.YEAR, state.THROUGH) else at.multiselect(key=key)
        assert widget.value == ([UNIT] if key == state.UNIT else value)


def test_the_filters_stay_when_the_page_changes(open_app, sample_url):
    at = open_app(sample_url, query={state.YEAR: "2024", state.CATEGORY: "执法监督"})
    at.switch_page("pages/hotline.py").run()
    assert at.selectbox(key=state.YEAR).value == 2024
    assert at.multiselect(key=state.CATEGORY).value == ["执法监督"]
    assert cards(at) == expected_hotline(summary(sample_url, "--year", "2024", "--category", "执法监督"))


def test_the_through_month_defaults_to_the_latest_month_with_data(open_app, sample_url):
    at = open_app(sample_url)
    latest = summary(sample_url)["through"]
    assert at.selectbox(key=state.THROUGH).value == state.LATEST
    assert at.main.caption[0].value.startswith(f"2025年1—{int(latest[-2:])}月")


def test_a_filter_that_leaves_nothing_says_so(open_app, sample_url):
    at = open_app(sample_url, query={state.CATEGORY: "执法监督", state.UNIT: UNIT_LABEL})  # 民政局 is 社会服务
    for page in DASHBOARD:
        if page != "pages/unit.py":
            at.switch_page(page).run()
            assert_ran_cleanly(at)
            assert "没有" in at.info[0].value and "调整" in at.info[0].value


def test_an_unknown_unit_in_a_link_is_named_not_an_error(open_app, sample_url):
    at = open_app(sample_url, query={state.UNIT: "不存在的局"})
    assert_ran_cleanly(at)
    assert any("名录中没有这些单位：不存在的局" in warning.value for warning in at.warning)
    assert at.multiselect(key=state.UNIT).value == []


# -- 指标完成: periods that run past the month, periods the scope leaves out --------------------------------------


@pytest.fixture
def periods_url(tmp_path) -> str:
    """Learning of 2024 and of 2025 through October, and one indicator for 2025年, 2025年1-10月 and 2025年9月."""
    url = f"sqlite:///{tmp_path / 'periods.db'}"
    files = [
        write_csv(tmp_path / "学习2025.csv", learning_rows(2, unit=UNIT, month=202510)),
        write_csv(tmp_path / "学习2024.csv", learning_rows(2, unit=UNIT, month=202410)),
        write_csv(tmp_path / "指标完成.csv", indicator_periods(unit=UNIT)),
    ]
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["ingest", *map(str, files), "--db", url]) == 0
    return url


def indicator_table(at: AppTest) -> dict[str, dict]:
    return {row["指标名称"]: row for row in at.dataframe[0].value.to_dict("records")}


@pytest.mark.parametrize("through", [9, 10])
def test_the_indicator_page_counts_the_years_figure_as_reported_so_far(open_app, periods_url, through):
    at = open_app(periods_url, "pages/indicators.py", query={state.YEAR: "2025", state.THROUGH: f"{through}月"})
    assert_ran_cleanly(at)
    assert at.main.caption[0].value.startswith(f"2025年1—{through}月")
    table = indicator_table(at)
    assert sorted(table) == ["学习次数", "投诉件数"]
    assert table["学习次数"]["统计期间"] == "2025年（年度指标，截至报送）"
    assert (table["学习次数"]["目标值"], table["学习次数"]["完成值"], table["学习次数"]["完成度（%）"]) == (
        12,
        13,
        108.33,
    )
    assert (table["投诉件数"]["统计期间"], table["投诉件数"]["完成度（%）"]) == ("2025年9月", 125.0)
    assert all(row["达标"] for row in table.values())
    figures_json = summary(periods_url, "--year", "2025", "--through", f"2025-{through:02d}")["indicators"]
    assert (figures_json["count"], figures_json["met"], figures_json["met_pct"]) == (len(table), 2, 100.0)
    assert cards(at)["共性指标平均完成度"][0] == "108.33%"
    assert "年度指标，截至报送" in " ".join(c.value for c in at.main.caption)
    assert not at.info  # nothing stored is left out


def test_the_indicator_page_of_a_year_without_indicators_names_their_periods_and_offers_them(open_app, periods_url):
    at = open_app(periods_url, "pages/indicators.py", query={state.YEAR: "2024"})
    assert_ran_cleanly(at)
    assert "2024年1—10月" in at.info[0].value and "没有指标完成数据" in at.info[0].value
    assert "统计期间为：2025年1-10月（1项）、2025年（1项）、2025年9月（2项）" in at.info[0].value
    assert [b.label for b in at.button] == ["查看2025年1—10月", "查看2025年1—9月"]
    at.button[0].click().run()
    assert_ran_cleanly(at)
    assert (at.selectbox(key=state.YEAR).value, at.selectbox(key=state.THROUGH).value) == (2025, 10)
    assert sorted(indicator_table(at)) == ["学习次数", "投诉件数"]


def test_a_month_before_a_period_begins_says_that_period_holds_more(open_app, periods_url):
    at = open_app(periods_url, "pages/indicators.py", query={state.YEAR: "2025", state.THROUGH: "8月"})
    assert_ran_cleanly(at)
    assert list(indicator_table(at)) == ["学习次数"]
    assert "另有已入库指标不在所选月份内，统计期间为：2025年9月（2项）" in at.info[0].value
    assert [b.label for b in at.button] == ["查看2025年1—9月"]


def test_indicators_of_another_year_are_not_named_beside_this_years(open_app, sample_url):
    at = open_app(sample_url, "pages/indicators.py")  # the sample holds 2024年 and 2025年1-10月
    assert_ran_cleanly(at)
    assert indicator_table(at) and not at.info and not at.button


@pytest.mark.parametrize("through", [9, 10])
def test_the_overview_shows_the_indicators_as_the_command_line_counts_them(open_app, periods_url, through):
    at = open_app(periods_url, query={state.YEAR: "2025", state.THROUGH: f"{through}月"})
    assert_ran_cleanly(at)
    expected = summary(periods_url, "--year", "2025", "--through", f"2025-{through:02d}")
    assert cards(at) == expected_overview(expected)
    assert (cards(at)["报送指标"], cards(at)["指标达标率"]) == (("2 项", ""), ("100.00%", ""))
    assert cards(at)["学习活动"] == (("2 项", "") if through == 10 else ("尚无报送", ""))  # learning came in October


def test_categories_that_sent_nothing_are_not_drawn_as_zero_on_the_overview(open_app, periods_url):
    at = open_app(periods_url, query={state.YEAR: "2025"})
    assert_ran_cleanly(at)
    people = chart(at, "各类别参与人次")
    values = dict(zip(people["data"][0]["x"], people["data"][0]["y"]))
    assert values["社会服务"] > 0 and all(values[c] is None for c in values if c != "社会服务")
    marks = {a["x"] for a in people["layout"]["annotations"] if a["text"] == figures.NOT_REPORTED}
    assert marks == set(values) - {"社会服务"}
    completion = chart(at, "各类别指标平均完成度")
    marks = {a["x"] for a in completion["layout"]["annotations"] if a["text"] == figures.NOT_REPORTED}
    assert marks == set(values) - {"社会服务"}
    assert cards(at)["发现问题"] == ("尚无报送", "") and cards(at)["12345热线诉求量"] == ("尚无报送", "")


def test_the_profile_lists_the_units_indicators_with_their_periods(open_app, periods_url):
    at = open_app(
        periods_url, "pages/unit.py", query={state.YEAR: "2025", state.THROUGH: "9月", state.PROFILE_UNIT: UNIT_LABEL}
    )
    assert_ran_cleanly(at)
    table = indicator_table(at)
    assert table["学习次数"]["统计期间"] == "2025年（年度指标，截至报送）"
    assert table["投诉件数"]["统计期间"] == "2025年9月"
    learning = chart(at, "学习活动")  # the unit sent no learning for January to September
    assert learning["data"][0]["y"] == [None]
    assert any(a["text"] == figures.NOT_REPORTED for a in learning["layout"]["annotations"])


# -- the unit profile -----------------------------------------------------------------------------------------------


def test_the_profile_opens_on_the_unit_a_link_names_by_any_alias(open_app, sample_url):
    at = open_app(sample_url, "pages/unit.py", query={state.PROFILE_UNIT: UNIT_ALIAS})
    assert_ran_cleanly(at)
    assert at.selectbox(key=state.PROFILE_UNIT).value == UNIT
    titles = [c["layout"]["title"]["text"] for c in charts(at)]
    assert "2025年1—10月 问题化解" in titles
    problems = chart(at, "问题化解")
    mine = summary(sample_url, "--unit", UNIT)["problems"]
    assert problems["data"][0]["y"][0] == mine["found"]
    assert [row["状态"] for row in at.dataframe[-1].value.to_dict("records")].count("当前有效") >= 1


@pytest.mark.parametrize("named", ["市民政局", UNIT_LABEL])
def test_the_profile_opens_on_the_one_unit_of_the_filters_in_a_link(open_app, sample_url, named):
    at = open_app(sample_url, "pages/unit.py", query={state.UNIT: named})
    assert_ran_cleanly(at)
    assert at.selectbox(key=state.PROFILE_UNIT).value == UNIT
    assert len(charts(at)) >= 4


def test_the_profile_without_a_unit_asks_for_one(open_app, sample_url):
    at = open_app(sample_url, "pages/unit.py")
    assert_ran_cleanly(at)
    assert "选择一个单位" in at.info[0].value


# -- errors -----------------------------------------------------------------------------------------------------------


def test_an_unexpected_error_shows_a_short_chinese_message_not_a_traceback(open_app, sample_url, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(metrics, "learning_totals", broken)
    at = open_app(sample_url)
    assert not at.exception
    assert at.error[0].value.startswith("页面出现意外错误（RuntimeError）")
    assert "Traceback" not in at.error[0].value


def test_a_store_that_cannot_be_opened_is_said_in_chinese(open_app):
    at = open_app("nosuchdatabase://somewhere/lingyi")
    assert not at.exception
    assert at.error[0].value.startswith("无法完成：数据库地址无法识别")


def test_a_lost_database_says_it_is_retrying_in_chinese_and_the_page_comes_back(open_app, sample_url, monkeypatch):
    import psycopg
    import sqlalchemy as sa

    real = metrics.learning_totals
    away = {"now": True}

    def while_away(*args, **kwargs):
        if away["now"]:
            raise sa.exc.OperationalError("SELECT …", {}, psycopg.OperationalError("server closed the connection"))
        return real(*args, **kwargs)

    monkeypatch.setattr(metrics, "learning_totals", while_away)
    at = open_app(sample_url)
    assert not at.exception and not at.error
    (said,) = [w.value for w in at.warning if "重试" in w.value]
    assert said.startswith("数据库连接中断") and said.endswith("数据库暂时无法连接，正在重试……")
    away["now"] = False  # the database is back: the next look finds it
    at.run()
    assert not at.exception and not [w for w in at.warning if "重试" in w.value]
    assert at.metric  # the overview's cards again


# -- 会议版: a snapshot on every page, frozen from 简报导出, compared with today -----------------------------------------

MEETING = "十月例会"


def meeting_returns(folder: Path, name: str, seed: int) -> Path:
    """Two units' hotline returns for 2025-09 and 2025-10 (a different ``seed`` is a correction), with learning."""
    return write_workbook(
        folder / name,
        {
            "热线指标": hotline_rows((202509, 202510), units=(UNIT, "临沂市财政局"), seed=seed),
            "学习活动": learning_rows(3, unit=UNIT, month=202510, seed=seed),
        },
    )


@pytest.fixture
def meeting_url(tmp_path) -> str:
    """A store with one workbook of returns; returns its URL."""
    url = f"sqlite:///{tmp_path / 'meeting.db'}"
    assert cli.main(["ingest", str(meeting_returns(tmp_path, "十月报表.xlsx", seed=1)), "--db", url]) == 0
    return url


def freeze(url: str, name: str = MEETING) -> snapshots.Snapshot:
    opened = Store(url)
    try:
        return snapshots.create(opened, name, metrics.Scope(2025, 10), user="张三")
    finally:
        opened.close()


def correct(url: str, folder: Path) -> None:
    """A later correction of every unit's hotline and learning rows."""
    assert cli.main(["ingest", str(meeting_returns(folder, "十月报表更正.xlsx", seed=7)), "--db", url]) == 0


def test_freezing_from_the_briefing_page_shows_the_snapshot_labelled(open_app, meeting_url):
    at = open_app(meeting_url, "pages/briefing.py")
    assert_ran_cleanly(at)
    at.text_input(key="freeze_name").input(MEETING)
    at.button(key="freeze").click().run()
    assert_ran_cleanly(at)
    opened = Store(meeting_url)
    try:
        (made,) = snapshots.listed(opened)
        assert opened.audit_log().iloc[0][["user", "action_name"]].tolist() == ["演示分析员", "冻结会议版"]
    finally:
        opened.close()
    assert made.label.startswith(f"会议版：{MEETING}（冻结于 ")
    assert made.figures == summary(meeting_url, "--year", "2025", "--through", "2025-10")
    assert at.success[0].value == f"已冻结{made.label}；左侧「数据」可在会议版与当前数据之间切换。"
    assert at.info[0].value.startswith(f"**{made.label}**")  # the page now shows the 会议版
    assert at.selectbox(key=state.SNAPSHOT).value == MEETING
    assert at.success[1].value == "自冻结以来，这一范围的数字没有变化。"


def test_a_snapshot_keeps_its_figures_on_every_page_while_the_live_pages_change(open_app, meeting_url, tmp_path):
    made = freeze(meeting_url)
    correct(meeting_url, tmp_path)
    live = summary(meeting_url, "--year", "2025", "--through", "2025-10")
    assert live["hotline"]["appeals"] != made.figures["hotline"]["appeals"]
    for page in ("pages/overview.py", "pages/hotline.py"):
        frozen_at = open_app(meeting_url, page, query={state.SNAPSHOT: MEETING})
        assert_ran_cleanly(frozen_at)
        assert frozen_at.info[0].value.startswith(f"**{made.label}**")
        assert cards(frozen_at)["12345热线诉求量"] == expected_hotline(made.figures)["12345热线诉求量"]
        live_at = open_app(meeting_url, page)
        assert_ran_cleanly(live_at)
        assert cards(live_at)["12345热线诉求量"] == expected_hotline(live)["12345热线诉求量"]
        assert not any(info.value.startswith("**会议版") for info in live_at.info)
    overview = open_app(meeting_url, query={state.SNAPSHOT: MEETING})
    assert cards(overview) == expected_overview(made.figures)


def test_the_briefing_page_of_a_snapshot_compares_it_with_today(open_app, meeting_url, tmp_path):
    made = freeze(meeting_url)
    correct(meeting_url, tmp_path)
    live = summary(meeting_url, "--year", "2025", "--through", "2025-10")
    at = open_app(meeting_url, "pages/briefing.py", query={state.SNAPSHOT: MEETING})
    assert_ran_cleanly(at)
    figures_shown, causes_shown = at.dataframe  # the two tables of the comparison, in order
    assert [c.value for c in at.caption if c.value.startswith(("变化的", "引起"))] == [
        f"变化的数字 {len(figures_shown.value)} 项（会议版 → 当前）：",
        f"引起变化的报送 {len(causes_shown.value)} 次（单位、文件、版本）：",
    ]
    moved = figures_shown.value.set_index("数字")
    then, now = made.figures["hotline"]["appeals"], live["hotline"]["appeals"]
    assert moved.loc["12345热线 · 诉求量（件）"].tolist() == [f"{then:,}", f"{now:,}", f"{now - then:+,}"]
    rate = live["hotline"]["satisfaction_rate_pct"]
    assert moved.loc["12345热线 · 群众满意率（%）", "当前"] == f"{rate:.2f}"
    assert moved.loc["学习活动 · 参与人次", "当前"] == f"{live['learning']['person_times']:,}"
    causes = causes_shown.value
    assert set(causes["文件"]) == {"十月报表.xlsx", "十月报表更正.xlsx"}
    assert set(causes["单位"]) == {UNIT, "临沂市财政局"}
    # Each unit's hotline (two units) and learning (one): the version shown at the meeting, replaced by the
    # correction, and the correction, new since.
    assert sorted(zip(causes["报表"], causes["变化"].str[:3])) == sorted(
        [(kind, change) for kind in ("热线指标", "热线指标", "学习活动") for change in ("已被 ", "新报送")]
    )


def test_a_link_to_a_deleted_snapshot_says_so_and_shows_the_live_store(open_app, meeting_url):
    freeze(meeting_url, "九月例会")
    at = open_app(meeting_url, query={state.SNAPSHOT: MEETING})
    assert_ran_cleanly(at)
    assert at.warning[0].value == f"没有会议版「{MEETING}」（可能已被删除），下面是当前数据。"
    assert cards(at) == expected_overview(summary(meeting_url, "--year", "2025", "--through", "2025-10"))


def test_the_reporting_page_of_a_snapshot_shows_who_had_reported_when_it_was_frozen(open_app, meeting_url, tmp_path):
    made = freeze(meeting_url)
    late = write_workbook(
        tmp_path / "人社局10月.xlsx", {"学习活动": learning_rows(2, unit="临沂市人力资源和社会保障局")}
    )
    assert cli.main(["ingest", str(late), "--db", meeting_url]) == 0

    def reported(at: AppTest) -> set[str]:
        grid = at.dataframe[2].value  # the unit × month grid of the first sheet kind, 学习活动
        return set(grid[grid["10月"].isin(["按时", "逾期"])]["单位全称"])

    frozen_at = open_app(meeting_url, "pages/completeness.py", query={state.SNAPSHOT: MEETING})
    assert_ran_cleanly(frozen_at)
    assert frozen_at.info[0].value.startswith(f"**{made.label}**")
    live_at = open_app(meeting_url, "pages/completeness.py")
    assert_ran_cleanly(live_at)
    assert reported(frozen_at) == {UNIT}
    assert reported(live_at) == {UNIT, "临沂市人力资源和社会保障局"}


def test_deleting_a_snapshot_on_the_briefing_page_returns_to_the_live_store(open_app, meeting_url):
    freeze(meeting_url)
    at = open_app(meeting_url, "pages/briefing.py", query={state.SNAPSHOT: MEETING})
    at.button(key="delete_snapshot").click().run()
    assert_ran_cleanly(at)
    assert at.success[0].value == f"已删除会议版「{MEETING}」。"
    assert not any(info.value.startswith("**会议版") for info in at.info)
    assert at.text_input(key="freeze_name").value == ""  # the page offers to freeze the live view again
    opened = Store(meeting_url)
    try:
        assert snapshots.listed(opened) == []
        assert opened.audit_log().iloc[0][["user", "action_name"]].tolist() == ["演示分析员", "删除会议版"]
    finally:
        opened.close()


def test_a_snapshot_frozen_or_deleted_by_another_process_is_in_the_picker_on_the_next_run(open_app, meeting_url):
    at = open_app(meeting_url)
    assert state.SNAPSHOT not in [w.key for w in at.sidebar.selectbox]
    freeze(meeting_url)  # as ``briefing --monthly`` does from cron, in a process of its own
    at.run()
    assert_ran_cleanly(at)
    assert at.selectbox(key=state.SNAPSHOT).options == ["当前数据", MEETING]
    opened = Store(meeting_url)
    try:
        snapshots.delete(opened, MEETING, user="张三")
    finally:
        opened.close()
    at.run()
    assert_ran_cleanly(at)
    assert state.SNAPSHOT not in [w.key for w in at.sidebar.selectbox]


def test_a_database_made_anew_at_the_same_address_shows_its_own_figures(open_app, meeting_url, tmp_path):
    at = open_app(meeting_url)
    first = cards(at)
    lost = Store(meeting_url)
    metadata.drop_all(lost.engine)  # the database lost, and made again from other returns
    lost.close()
    later = write_workbook(
        tmp_path / "人社局10月.xlsx", {"学习活动": learning_rows(2, unit="临沂市人力资源和社会保障局")}
    )
    assert cli.main(["ingest", str(later), "--db", meeting_url]) == 0
    made_anew = Store(meeting_url)
    assert made_anew.data_version() == 1  # the version the lost database had too
    made_anew.close()
    at.run()
    assert_ran_cleanly(at)
    assert cards(at) == expected_overview(summary(meeting_url, "--year", "2025", "--through", "2025-10"))
    assert cards(at) != first


# -- 往期简报: the 月报 frozen by ``briefing --monthly``, on the 简报导出 page ---------------------------------------------


@pytest.fixture
def with_pictures(monkeypatch, stand_in_pictures):
    """A browser said to be there, and a plain PNG for every picture: the page's downloads are all offered."""
    monkeypatch.setattr(pictures, "start_in_background", lambda: None)


def freeze_month(url: str, month: int) -> snapshots.Snapshot:
    """A 月报 of 2025's ``month`` as ``briefing --monthly`` names and freezes it."""
    opened = Store(url)
    try:
        return snapshots.create(opened, archive.monthly_name(2025, month), metrics.Scope(2025, month), user="monthly")
    finally:
        opened.close()


def archive_table(at: AppTest):
    (table,) = [frame.value for frame in at.dataframe if "冻结于" in frame.value.columns]
    return table


def test_the_briefing_page_lists_each_monthly_briefing_with_its_frozen_figures_and_files(
    open_app, meeting_url, tmp_path, with_pictures
):
    september, october = freeze_month(meeting_url, 9), freeze_month(meeting_url, 10)
    freeze(meeting_url)  # a 会议版 of another name is not a 月报
    correct(meeting_url, tmp_path)  # after the freeze: the live figures move, the 月报 do not
    at = open_app(meeting_url, "pages/briefing.py")
    assert_ran_cleanly(at)
    assert "往期简报" in [header.value for header in at.subheader]
    table = archive_table(at)
    assert table["名称"].tolist() == ["月报 2025年10月", "月报 2025年9月"]
    assert table["统计范围"].tolist() == ["2025年1—10月", "2025年1—9月"]
    assert table["冻结于"].tolist() == [f"{s.created_at:%Y-%m-%d %H:%M}" for s in (october, september)]
    for row, made in zip(table.to_dict("records"), (october, september), strict=True):
        hotline = made.figures["hotline"]
        assert row["报送单位"] == f"{made.figures['units']['reporting']}/{made.figures['units']['registered']}"
        assert row["诉求量（件）"] == figures.count_text(hotline["appeals"])
        assert [row[name] for name in metrics.RATE_NAMES.values()] == [
            percent(hotline[f"{rate}_pct"]) for rate in metrics.RATE_NAMES
        ]
        assert row["化解率"] == "无数据"  # no problem ledger was sent
    live = summary(meeting_url, "--year", "2025", "--through", "2025-10")["hotline"]["appeals"]
    assert table["诉求量（件）"][0] != figures.count_text(live)
    assert at.selectbox(key=ui_archive.PICK).value == "月报 2025年10月"
    buttons = {b.proto.label: b.proto.disabled for b in at.get("download_button") if "archive_" in b.proto.id}
    assert buttons == {"下载PPT 演示文稿": False, "下载Word 汇报材料": False, "下载图表图片包（PNG）": False}

    # What a button hands the browser when clicked (AppTest runs no server to click it on): built from the 会议版.
    slides = Presentation(io.BytesIO(ui_archive.monthly_file(october, ".pptx", with_pictures=True)))
    title = " ".join(shape.text_frame.text for shape in slides.slides[0].shapes if shape.has_text_frame)
    assert "学习型机关建设情况月报（2025年10月）" in title
    at.selectbox(key=ui_archive.PICK).select("月报 2025年9月").run()
    assert_ran_cleanly(at)
    assert [b.proto.disabled for b in at.get("download_button") if "archive_" in b.proto.id] == [False] * 3
    report = Document(io.BytesIO(ui_archive.monthly_file(september, ".docx", with_pictures=True)))
    assert report.paragraphs[0].text == "学习型机关建设情况月报（2025年9月）"


def test_the_briefing_page_without_monthly_briefings_says_how_they_are_made(open_app, meeting_url):
    freeze(meeting_url)  # a 会议版, not a 月报
    at = open_app(meeting_url, "pages/briefing.py")
    assert_ran_cleanly(at)
    assert "往期简报" in [header.value for header in at.subheader]
    assert ui_archive.EMPTY in [info.value for info in at.info]
    assert not [b for b in at.get("download_button") if "archive_" in b.proto.id]
    assert not [frame for frame in at.dataframe if "冻结于" in frame.value.columns]


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/hotline.py"])
def test_a_year_on_year_while_a_month_is_not_in_says_it_is_like_for_like(open_app, sample_url, page):
    coverage = summary(sample_url)["coverage"]["hotline"]
    assert coverage["reported"] < coverage["expected"]  # the sample's October: two units not in yet
    at = open_app(sample_url, page)
    notes = [c.value for c in at.caption if "同比按同口径计算" in c.value]
    assert len(notes) == 1
    assert f"10月有 {coverage['expected'] - coverage['reported']} 家" in notes[0]


def test_a_year_on_year_of_complete_months_carries_no_note(open_app, sample_url):
    at = set_filters(open_app(sample_url, "pages/hotline.py"), {state.THROUGH: 1})  # every unit sent January
    assert_ran_cleanly(at)
    assert not [c.value for c in [*at.markdown, *at.caption] if "同口径" in c.value]
