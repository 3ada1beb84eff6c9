"""What a briefing says (key figures, charts and takeaways, appendix), the files by name, the command line, and
the 简报导出 page. Pictures come from a stand-in; the browser's own are tested in test_pictures."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from factories import (
    UNIT,
    hotline_rows,
    indicator_periods,
    learning_rows,
    problem_rows,
    stand_in_picture,
    write_csv,
    write_xlsx,
)
from pptx import Presentation
from sample_store import sample_database_copy
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from lingyi import figures, metrics
from lingyi.__main__ import main
from lingyi.contract import CATEGORIES
from lingyi.export import briefing, content, formats, narrative
from lingyi.figures import pictures
from lingyi.figures.theme import count_text
from lingyi.intake.ingest import Outcome, ingest_file
from lingyi.metrics import snapshots
from lingyi.store import DATABASE_URL_VARIABLE, Store

ROOT = Path(__file__).resolve().parents[2]
SCOPE = metrics.Scope(2025, 10)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    url = sample_database_copy(tmp_path_factory.mktemp("briefing-sample"))
    store = Store(url)
    yield url, metrics.load(store)
    store.close()


def summary(url: str, capsys, *arguments: str) -> dict:
    assert main(["summary", "--json", "--db", url, *arguments]) == 0
    return json.loads(capsys.readouterr().out)


# -- what a briefing says ------------------------------------------------------------------------------------------------


def test_the_default_briefing_holds_ten_charts_in_catalogue_order(sample):
    _, ds = sample
    made = briefing.build(ds, SCOPE, date=dt.date(2025, 11, 20))
    assert len(briefing.DEFAULT_CHARTS) == 10
    assert [c.key for c in made.charts] == list(briefing.DEFAULT_CHARTS)
    assert made.scope_text == "2025年1—10月 · 全部类别 · 全部单位"
    assert made.name == "2025年1-10月_学习型机关建设情况汇报"
    for chart in made.charts:
        assert chart.title and chart.figure.layout.title.text == chart.title
        assert chart.takeaway.text.endswith("。") and chart.takeaway.figures, chart.key


def test_the_key_figures_are_the_summarys(sample, capsys):
    url, ds = sample
    expected = summary(url, capsys)
    shown = {f.label: f for f in briefing.key_figures(ds, SCOPE)}
    assert shown["报送单位"].value == f"{expected['units']['reporting']}/{expected['units']['registered']}"
    assert shown["学习活动"].value == count_text(expected["learning"]["activities"])
    assert shown["参与人次"].value == count_text(expected["learning"]["person_times"])
    assert shown["12345热线诉求量"].note == f"同比下降{-expected['hotline']['appeals_yoy_pct']:.2f}%"
    for rate, name in metrics.RATE_NAMES.items():
        assert shown[name].value == f"{expected['hotline'][f'{rate}_pct']:.2f}%"
        assert shown[name].note == f"较上年同期提高{expected['hotline'][f'{rate}_pp']:.2f}个百分点"
    assert shown["问题化解率"].value == f"{expected['problems']['closure_rate_pct']:.2f}%"


def test_the_reporting_figure_says_who_is_missing_the_latest_month(sample, capsys):
    url, ds = sample
    coverage = summary(url, capsys)["coverage"]
    shown = {f.label: f for f in briefing.key_figures(ds, SCOPE)}
    learning, hotline = coverage["learning"], coverage["hotline"]
    assert learning["reported"] < learning["expected"]  # the sample's October: two units not in yet
    assert shown["报送单位"].note == (
        f"10月已报：学习{learning['reported']}/{learning['expected']}，热线{hotline['reported']}/{hotline['expected']}"
    )


def test_every_year_on_year_of_a_briefing_with_a_month_missing_carries_the_like_for_like_note(sample):
    _, ds = sample
    made = briefing.build(ds, SCOPE, charts=["hotline_by_month"], date=dt.date(2025, 11, 20))
    note = metrics.coverage(ds, SCOPE, "hotline").note
    assert note.endswith("同比按同口径计算")
    paragraphs = {p.theme: p.text for p in made.paragraphs}
    assert note in paragraphs["overall"] and note in paragraphs["hotline"]
    assert metrics.coverage(ds, SCOPE, "learning").note in paragraphs["learning"]
    assert made.notes == {"hotline": note}
    (hotline_table,) = [t for t in made.tables if "热线" in t.title]
    assert note in hotline_table.note


def test_the_appendix_totals_are_the_summarys(sample, capsys):
    url, ds = sample
    expected = summary(url, capsys)
    learning, hotline, problems, indicators = briefing.appendix(ds, SCOPE)
    total = learning.frame.iloc[-1]
    assert total["类别"] == "合计" and total["参与人次"] == f"{expected['learning']['person_times']:,}"
    assert list(learning.frame["类别"][:-1]) == list(expected["learning"]["by_category"])
    assert hotline.frame.iloc[-1]["诉求量（件）"] == f"{expected['hotline']['appeals']:,}"
    rate = expected["hotline"]["satisfaction_rate_pct"], expected["hotline"]["satisfaction_rate_pp"]
    assert hotline.frame.iloc[-1]["群众满意率"] == f"{rate[0]:.2f}%（{rate[1]:+.2f}）"
    assert problems.frame.iloc[-1]["化解率"] == f"{expected['problems']['closure_rate_pct']:.2f}%"
    for _, row in problems.frame.iloc[:-1].iterrows():
        assert row["化解率"] == f"{expected['problems']['by_category'][row['类别']]['closure_rate_pct']:.2f}%"
    assert indicators.frame.iloc[-1]["类别"] == "合计" and "百分点" in hotline.note


@pytest.mark.parametrize(
    "scope",
    [
        metrics.Scope(2025, 10, ("执法监督",)),
        metrics.Scope(2025, 3, (), ("临沂市民政局",)),
        metrics.Scope(2024, 1),
        metrics.Scope(2023, 12),  # before any data
    ],
    ids=["one category", "one unit", "January", "no data"],
)
def test_every_chart_of_the_catalogue_builds_for_any_scope(sample, scope):
    _, ds = sample
    made = briefing.build(ds, scope, charts=list(briefing.CATALOGUE))
    assert [c.key for c in made.charts] == list(briefing.CATALOGUE)
    assert all(c.takeaway.text for c in made.charts)
    assert len(made.paragraphs) == 5 and len(made.tables) == 4


def test_a_filtered_briefing_names_only_the_categories_in_it(sample):
    _, ds = sample
    made = briefing.build(ds, metrics.Scope(2025, 10, ("执法监督", "社会服务")), charts=["learning_by_category"])
    takeaway = made.charts[0].takeaway.text
    assert "执法监督" in takeaway and "社会服务" in takeaway and "党政综合" not in takeaway


def test_an_unknown_chart_is_refused(sample):
    _, ds = sample
    with pytest.raises(KeyError, match="没有这些图表"):
        briefing.build(ds, SCOPE, charts=["nope"])


def test_the_zip_holds_a_picture_per_chart_named_after_it(sample):
    _, ds = sample
    made = briefing.build(ds, SCOPE, charts=["learning_by_category", "learning_by_month"])
    with zipfile.ZipFile(io.BytesIO(formats.zip_bytes(made, picture=stand_in_picture))) as archive:
        assert archive.namelist() == ["2025年1-10月_各类别参与人次.png", "2025年1-10月_每月参与人次.png"]


def test_a_file_is_written_as_its_suffix_says(sample, tmp_path):
    _, ds = sample
    made = briefing.build(ds, SCOPE, charts=["learning_by_category"])
    formats.write(made, tmp_path / "简报.PPTX", picture=stand_in_picture)
    assert len(Presentation(tmp_path / "简报.PPTX").slides) == 3
    with pytest.raises(ValueError, match="不支持的文件类型"):
        formats.write(made, tmp_path / "简报.pdf", picture=stand_in_picture)


# -- the command line ---------------------------------------------------------------------------------------------------


def test_the_command_line_makes_slides_for_a_scope(sample, tmp_path, capsys):
    url, _ = sample
    out = tmp_path / "简报.pptx"
    arguments = ["--year", "2025", "--through", "2025-09", "--category", "执法监督", "--chart", "learning_by_category"]
    assert main(["briefing", "--db", url, *arguments, "--title", "执法监督类学习情况", "--out", str(out)]) == 0
    assert "已生成PPT 演示文稿" in capsys.readouterr().out
    slides = Presentation(out).slides
    first = "\n".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "执法监督类学习情况" in first and "2025年1—9月 · 执法监督 · 全部单位" in first
    assert len(slides) == 3 and any(shape.has_chart for shape in slides[2].shapes)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--out", "x.pdf"], "请用扩展名"),
        (["--out", "x.pptx", "--chart", "nope"], "没有图表 nope"),
        (["--out", "x.pptx", "--through", "2024-05", "--year", "2025"], "不在 --year 2025 之内"),
        (["--out", "x.pptx", "--category", "不存在"], "不存在"),
    ],
)
def test_the_command_line_refuses_bad_arguments(sample, tmp_path, capsys, monkeypatch, arguments, message):
    url, _ = sample
    monkeypatch.chdir(tmp_path)
    assert main(["briefing", "--db", url, *arguments]) == 2
    assert message in capsys.readouterr().err


def test_without_a_browser_slides_keep_their_native_charts_and_say_what_was_left_out(
    sample, tmp_path, capsys, monkeypatch
):
    url, _ = sample
    monkeypatch.setenv(pictures.BROWSER_VARIABLE, str(tmp_path / "no-chrome"))
    out = tmp_path / "简报.pptx"
    charts = ["--chart", "learning_by_category", "--chart", "problems_cumulative"]
    assert main(["briefing", "--db", url, *charts, "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "累计发现与化解问题" in captured.err and "图表 1 张" in captured.out
    assert len(Presentation(out).slides) == 3
    assert main(["briefing", "--db", url, "--out", str(tmp_path / "简报.docx")]) == 2
    assert "BROWSER_PATH" in capsys.readouterr().err


def test_a_snapshot_briefing_has_the_frozen_figures_and_says_so_on_its_slides(store, tmp_path, capsys, monkeypatch):
    def send(name: str, seed: int) -> None:
        path = write_xlsx(tmp_path / name, {"热线指标": hotline_rows((202509, 202510), units=(UNIT,), seed=seed)})
        assert main(["ingest", "--db", store.url, str(path)]) == 0

    send("热线10月.xlsx", seed=1)
    frozen = snapshots.create(store, "十月例会", metrics.Scope(2025, 10))
    send("热线10月更正.xlsx", seed=2)
    live = metrics.hotline_totals(metrics.load(store), frozen.scope)["appeals"]
    assert live != frozen.figures["hotline"]["appeals"]
    made = briefing.build(snapshots.dataset(store, frozen), frozen.scope, charts=[])
    figures = {figure.label: figure.value for figure in made.key_figures}
    assert figures["12345热线诉求量"] == count_text(frozen.figures["hotline"]["appeals"], "件")
    assert made.scope_text == f"{frozen.label} · 2025年1—10月 · 全部类别 · 全部单位"

    monkeypatch.setenv(pictures.BROWSER_VARIABLE, str(tmp_path / "no-chrome"))  # native charts only: quick
    out = tmp_path / "会议版.pptx"
    assert (
        main(
            [
                "briefing",
                "--db",
                store.url,
                "--snapshot",
                "十月例会",
                "--chart",
                "learning_by_category",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert f"（{frozen.label} · 2025年1—10月" in capsys.readouterr().out
    first = "\n".join(shape.text_frame.text for shape in Presentation(out).slides[0].shapes if shape.has_text_frame)
    assert frozen.label in first


# -- the page ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def open_page(monkeypatch):
    """The 简报导出 page through app.py, as a running server runs it (see tests/test_pages.py's ``open_app``)."""
    starting = PagesManager.__init__

    def started(manager, *args, **kwargs):
        starting(manager, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", started)

    def open_page(url: str, query: dict | None = None) -> AppTest:
        monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params.update(query or {})
        at.run()
        at.switch_page("pages/briefing.py").run()
        return at

    return open_page


def test_the_page_offers_the_default_charts_and_three_downloads(sample, open_page, monkeypatch):
    monkeypatch.setattr(pictures, "start_in_background", lambda: None)  # no browser for a page test
    url, _ = sample
    at = open_page(url, {"category": "执法监督"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "简报导出"
    assert "2025年1—10月 · 执法监督" in at.caption[0].value
    assert at.multiselect(key="briefing_charts").value == list(briefing.DEFAULT_CHARTS)
    assert at.text_input(key="briefing_title").value == content.DEFAULT_TITLE
    buttons = at.get("download_button")
    assert len(buttons) == 3 and not any(b.proto.disabled for b in buttons)
    assert "执法监督类" in at.expander[0].markdown[0].value


def test_without_a_browser_the_page_says_so_and_offers_the_slides_only(sample, open_page, tmp_path, monkeypatch):
    monkeypatch.setenv(pictures.BROWSER_VARIABLE, str(tmp_path / "no-chrome"))
    url, _ = sample
    at = open_page(url)
    assert not at.exception
    assert "浏览器不存在" in at.warning[0].value and "相机按钮" in at.warning[0].value
    disabled = [b.proto.disabled for b in at.get("download_button")]
    assert disabled == [False, True, True]


# -- stores of a few returns: indicators of running periods, categories that sent nothing ----------------------------


def small_store(folder: Path, files: dict[str, list]) -> tuple[str, metrics.Dataset]:
    """A store that accepted each return (name → rows, written as CSV), and its dataset."""
    url = f"sqlite:///{folder / 'small.db'}"
    store = Store(url)
    for name, rows in files.items():
        path = write_csv(folder / name, rows)
        assert ingest_file(store, path.read_bytes(), path.name).outcome is Outcome.ACCEPTED, name
    ds = metrics.load(store)
    store.close()
    return url, ds


@pytest.mark.parametrize("through", [9, 10])
def test_the_briefing_counts_the_years_indicator_as_reported_so_far(tmp_path, capsys, through):
    url, ds = small_store(
        tmp_path,
        {"学习.csv": learning_rows(2, unit=UNIT, month=202510), "指标完成.csv": indicator_periods(unit=UNIT)},
    )
    scope = metrics.Scope(2025, through)
    made = briefing.build(ds, scope, charts=["indicators_by_category"])
    expected = summary(url, capsys, "--year", "2025", "--through", f"2025-{through:02d}")["indicators"]
    assert (expected["count"], expected["met"], expected["met_pct"]) == (2, 2, 100.0)
    words = next(p for p in made.paragraphs if p.theme == "indicators")
    assert words.text.startswith(
        "指标完成方面，共报送指标2项（其中1项为年度指标，截至报送），达标2项，达标率100.00%，平均完成度116.67%"
    )
    assert (words.figures["indicators.count"], words.figures["indicators.met_pct"]) == (2, 100.0)
    table = made.tables[3]
    assert table.frame.iloc[-1][["指标数（项）", "达标（项）", "达标率"]].tolist() == ["2", "2", "100.00%"]
    assert "其中1项统计期间尚未结束，为年度指标，截至报送的完成值" in table.note
    chart = made.charts[0].figure
    bars = [t for t in chart.data if t.type == "bar" and t.x and t.y and t.y[0] is not None]
    assert [(t.name, list(t.x), [round(y, 4) for y in t.y]) for t in bars] == [
        ("共性指标", ["社会服务"], [1.0833]),
        ("个性指标", ["社会服务"], [1.25]),
    ]


def test_a_briefing_of_a_year_without_indicators_names_the_periods_that_hold_them(tmp_path):
    _, ds = small_store(
        tmp_path,
        {"学习.csv": learning_rows(2, unit=UNIT, month=202410), "指标完成.csv": indicator_periods(unit=UNIT)},
    )
    words = next(p for p in narrative.narrate(ds, metrics.Scope(2024, 10)) if p.theme == "indicators")
    assert words.text == "2024年1—10月，尚无指标完成数据（已入库指标的统计期间为2025年1-10月、2025年、2025年9月）。"


@pytest.fixture
def one_category_silent(tmp_path) -> metrics.Dataset:
    """社会服务 (市民政局) and 群团事业 (团市委) sent learning, hotline and problems; 经济发展 and the rest nothing."""
    youth = "团市委"
    _, ds = small_store(
        tmp_path,
        {
            "学习民政.csv": learning_rows(3, unit=UNIT, month=202510, seed=1),
            "学习团委.csv": learning_rows(2, unit=youth, month=202509, seed=2),
            "热线.csv": hotline_rows((202509, 202510), units=(UNIT, youth), prior=True),
            "问题民政.csv": problem_rows(4, unit=UNIT, seed=3),
            "问题团委.csv": problem_rows(3, unit=youth, seed=4),
        },
    )
    return ds


SILENT = ("党政综合", "经济发展", "执法监督", "国有企业")
ZERO_COUNT = re.compile(r"(?<![\d.,])0(?:人次|场次|件|条|项|期|节)")  # 「（0人次）」, not a rate of 0.00%


def test_a_category_that_sent_nothing_is_never_the_least_nor_zero(one_category_silent, tmp_path):
    ds, scope = one_category_silent, metrics.Scope(2025, 10)
    made = briefing.build(ds, scope, charts=list(briefing.CATALOGUE))
    sentences = [s.text for p in made.paragraphs for s in p.sentences] + [c.takeaway.text for c in made.charts]
    for text in sentences:
        for category in SILENT:
            for word in ("最少", "最低", "下降最多", "提高最少"):
                assert f"{category}{word}" not in text and f"{category}参与人次{word}" not in text, text
        assert not ZERO_COUNT.search(text), text
    learning = next(p for p in made.paragraphs if p.theme == "learning").text
    assert f"{'、'.join(SILENT)}尚无报送" in learning
    path = tmp_path / "简报.docx"
    formats.write(made, path, picture=stand_in_picture)
    words = "".join(paragraph.text for paragraph in docx.Document(str(path)).paragraphs)
    assert "经济发展最少" not in words and not ZERO_COUNT.search(words)
    assert f"{'、'.join(SILENT)}尚无报送" in words


def test_a_briefing_of_learning_alone_says_nothing_else_was_sent_never_zero(tmp_path):
    _, ds = small_store(tmp_path, {"学习.csv": learning_rows(3, unit=UNIT, month=202510)})
    made = briefing.build(ds, metrics.Scope(2025, 10), charts=list(briefing.CATALOGUE))
    sentences = [s.text for p in made.paragraphs for s in p.sentences] + [c.takeaway.text for c in made.charts]
    assert not [text for text in sentences if ZERO_COUNT.search(text)]
    assert "截至2025年10月，尚无问题排查数据。" in sentences
    shown = {f.label: f.value for f in made.key_figures}
    assert shown["12345热线诉求量"] == shown["问题化解率"] == shown["群众满意率"] == narrative.NOT_REPORTED


def test_a_category_that_sent_nothing_is_drawn_as_not_reported(one_category_silent):
    ds, scope = one_category_silent, metrics.Scope(2025, 10)
    made = briefing.build(ds, scope, charts=list(briefing.CATALOGUE))
    for chart in made.charts:
        fig = chart.figure
        for trace in fig.data:
            if trace.type != "bar" or not trace.x or "经济发展" not in list(trace.x):
                continue
            at = list(trace.x).index("经济发展")
            assert trace.y[at] is None, (chart.key, trace.name)
            assert not (trace.text and trace.text[at]), (chart.key, trace.name)
        by_category = any(t.type == "bar" and t.x and "经济发展" in list(t.x) for t in fig.data)
        if by_category or chart.key == "indicators_by_category":
            marks = [a.x for a in fig.layout.annotations if a.text == figures.NOT_REPORTED]
            assert set(SILENT) <= set(marks), chart.key
    learning = made.tables[0].frame.set_index("类别")
    assert set(learning.loc["经济发展"]) == {narrative.NOT_REPORTED}
    problems = made.tables[2].frame.set_index("类别")
    assert problems.loc["经济发展", "发现问题（条）"] == narrative.NOT_REPORTED
    assert list(made.tables[0].frame["类别"][:-1]) == list(CATEGORIES)
