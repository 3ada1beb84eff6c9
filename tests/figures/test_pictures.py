"""Figures as pictures (kaleido and the system's Chromium, Chinese drawn, one export at a time) and as editable
office charts. The tests that start the browser are few: it takes seconds to start."""

from __future__ import annotations

import io
import os
import threading
import zipfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image
from sample_store import sample_database_copy

from lingyi import figures, metrics
from lingyi.__main__ import main
from lingyi.contract import CATEGORIES, PROBLEM_STAGES
from lingyi.errors import RenderingUnavailable
from lingyi.figures import pictures
from lingyi.store import Store

PNG = b"\x89PNG\r\n\x1a\n"


# -- names and sizes -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        ("2025年1—10月 各类别参与人次", "2025年1-10月_各类别参与人次"),
        ("截至2025年10月 点题→破题→解题→验题 各环节问题", "截至2025年10月_点题-破题-解题-验题_各环节问题"),
        ("2025年1—10月 各类别三率较上年同期变化（百分点）", "2025年1-10月_各类别三率较上年同期变化（百分点）"),
        ('a/b\\c:d*e?f"g<h>i|j', "abcdefghij"),
        ("", "图表"),
    ],
)
def test_a_file_is_named_after_the_charts_title_and_period(title, stem):
    assert pictures.file_stem(title) == stem


def test_the_camera_saves_a_png_at_twice_the_pixels_named_after_the_chart():
    fig = go.Figure(layout={"title": {"text": "2025年1—10月 各类别参与人次"}})
    assert pictures.camera_options(fig) == {"format": "png", "filename": "2025年1-10月_各类别参与人次", "scale": 2}


def test_the_slide_picture_is_full_hd():
    assert pictures.SLIDE.pixels == (1920, 1080)


def test_an_export_is_white_at_its_size_and_a_tall_chart_keeps_some_height():
    fig = go.Figure(layout={"height": 900, "paper_bgcolor": "black", "title": {"text": "标题"}})
    exported = pictures.for_export(fig, pictures.SLIDE)
    assert (exported.layout.width, exported.layout.height) == (800, 585)
    assert exported.layout.paper_bgcolor == exported.layout.plot_bgcolor == "white"
    assert exported.layout.title.text == "标题"
    assert fig.layout.paper_bgcolor == "black"  # the figure itself is left alone


def test_an_axis_of_names_is_a_category_axis_even_after_a_legend_stand_in():
    fig = go.Figure([go.Bar(x=[None], y=[None], name="共性指标"), go.Bar(x=["党政综合", "经济发展"], y=[1.0, 1.1])])
    assert pictures.for_export(fig, pictures.SLIDE).layout.xaxis.type == "category"


# -- is there a browser and a Chinese font? ---------------------------------------------------------------------------


def test_a_font_with_chinese_coverage_is_installed():
    assert pictures.cjk_fonts(), "fc-list :lang=zh lists no font: install fonts-noto-cjk"


def test_a_browser_path_that_does_not_exist_is_said_plainly(monkeypatch):
    monkeypatch.setenv(pictures.BROWSER_VARIABLE, "/nonexistent/chrome")
    found = pictures.availability()
    assert not found.ok
    assert "BROWSER_PATH" in found.message and "/nonexistent/chrome" in found.message


def test_without_fonts_the_message_says_which_are_missing():
    assert "中文字体" in pictures.Availability("/usr/bin/chromium", ()).message
    assert "没有安装 Chromium" in pictures.Availability(None, ("Noto Sans CJK SC",)).message
    assert pictures.Availability("/usr/bin/chromium", ("Noto Sans CJK SC",)).message == ""


def test_the_browser_is_found_without_downloading_one(monkeypatch):
    monkeypatch.delenv(pictures.BROWSER_VARIABLE, raising=False)
    found = pictures.find_browser()
    assert found is None or Path(found).is_file()


# -- editable charts ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    url = sample_database_copy(tmp_path_factory.mktemp("rendering-sample"))
    store = Store(url)
    yield url, metrics.load(store), metrics.Scope(2025, 10)
    store.close()


def test_bars_by_category_become_a_column_chart_in_the_category_colours(sample):
    _, ds, scope = sample
    frame = metrics.learning_by(ds, scope, "category")
    native = pictures.native_chart(
        figures.by_category(frame, value="person_times", title="2025年1—10月 各类别参与人次")
    )
    assert native.kind == "column"
    assert native.categories == tuple(figures.CATEGORY_COLORS)
    (series,) = native.series
    assert series.values == tuple(float(v) for v in frame["person_times"])
    assert series.colors == tuple(figures.CATEGORY_COLORS.values())
    assert native.number_format == "#,##0" and native.value_range == (0.0, None)
    assert series.labels and native.target is None


def test_a_rate_chart_keeps_its_target_and_percent_format(sample):
    _, ds, scope = sample
    fig = figures.closure_rates(
        metrics.problems_by(ds, scope, "category"), by="category", title="截至2025年10月 各类别问题化解率"
    )
    native = pictures.native_chart(fig)
    assert native.target == (0.9, "目标 90%")
    assert native.number_format == "0.00%"
    assert native.series[0].name == "各类别问题化解率"  # the figure leaves it unnamed


def test_this_year_beside_last_is_two_series_last_year_paler(sample):
    _, ds, scope = sample
    frame = metrics.hotline_by(ds, scope, "category")
    fig = figures.category_this_and_last_year(frame, value="appeals", previous="appeals_prev", title="t 诉求量")
    last, this = pictures.native_chart(fig).series
    assert (last.name, this.name) == ("上年同期", "本年")
    assert this.colors[0] == figures.CATEGORY_COLORS["党政综合"]
    assert last.colors[0] == pictures.hex_color("rgba(169,50,38,0.35)")
    assert (last.legend_color, this.legend_color) == (pictures.hex_color("rgba(127,140,141,0.35)"), figures.STAND_IN)


def test_problems_by_stage_are_stacked_bars_an_office_program_draws_点题_on_top(sample):
    _, ds, scope = sample
    native = pictures.native_chart(figures.problems_by_stage(metrics.problems_by(ds, scope, "stage"), title="t 各环节"))
    assert (native.kind, native.stacked) == ("bar", True)
    assert native.categories == tuple(PROBLEM_STAGES.values)
    assert [s.name for s in native.series] == ["已化解", "未化解"]


def test_legend_stand_ins_are_left_out_and_a_pattern_is_kept(sample):
    _, ds, scope = sample
    native = pictures.native_chart(
        figures.completion_by_category(metrics.indicators_by(ds, scope, "category"), title="t 各类别指标平均完成度")
    )
    assert [s.name for s in native.series] == ["共性指标", "个性指标"]
    assert [s.hatched for s in native.series] == [False, True]
    assert native.target == (1.0, "目标 100%")


def test_ranked_units_become_horizontal_bars_first_on_top(sample):
    _, ds, scope = sample
    frame = metrics.learning_by(ds, scope, "unit")
    native = pictures.native_chart(figures.unit_ranking(frame, value="per_head", title="t 人均参与人次前15名单位"))
    assert native.kind == "bar" and len(native.categories) == 15
    assert native.series[0].values[0] == max(native.series[0].values)
    assert native.number_format == "#,##0.00" and not native.value_axis


@pytest.mark.parametrize("chart", ["cumulative", "panels"])
def test_charts_an_office_program_cannot_draw_alike_stay_pictures(sample, chart):
    _, ds, scope = sample
    if chart == "cumulative":
        fig = figures.cumulative_problems(metrics.problems_cumulative(ds, scope), title="t")
    else:
        fig = figures.rate_changes_by_category(metrics.hotline_by(ds, scope, "category"), title="t")
    assert pictures.native_chart(fig) is None


@pytest.mark.parametrize(
    ("color", "hex_"),
    [("#a93226", "#A93226"), ("rgba(169,50,38,0.35)", "#E1B7B3"), ("rgb(0, 0, 255)", "#0000FF"), ("red", None)],
)
def test_plotly_colours_become_office_colours(color, hex_):
    assert pictures.hex_color(color) == hex_


# -- pictures, drawn by the browser -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def renderer():
    found = pictures.availability()
    if not found.ok:
        if os.environ.get("CI"):
            pytest.fail(found.message)
        pytest.skip(found.message)
    pictures.start()
    yield pictures
    pictures.stop()  # closes the browser and its temporary folder now, not at exit


def titled(title: str, values=(3, 1, 2)) -> go.Figure:
    fig = go.Figure(layout={"template": figures.TEMPLATE, "title": {"text": title}})
    fig.add_bar(x=["党政综合", "经济发展", "执法监督"], y=list(values))
    return fig


def test_chinese_renders_titles_differing_only_in_chinese_give_different_pictures(renderer):
    first = renderer.png(titled("2025年1—10月 各类别参与人次"))
    second = renderer.png(titled("2025年1—10月 各单位学习时长"))
    assert first.startswith(PNG) and second.startswith(PNG)
    assert Image.open(io.BytesIO(first)).size == pictures.SLIDE.pixels
    assert first != second  # missing glyphs would draw both as the same row of boxes


def test_concurrent_exports_each_get_their_own_picture(renderer):
    figs = [titled(f"图{i}", values=(i, 1, 2)) for i in range(1, 5)]
    pictures.clear_cache()
    expected = [renderer.png(f) for f in figs]
    pictures.clear_cache()
    results: dict[int, bytes] = {}

    def export(index: int) -> None:
        results[index] = renderer.png(figs[index])

    threads = [threading.Thread(target=export, args=(i,)) for i in range(len(figs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[i] for i in range(len(figs))] == expected


def test_svg_keeps_the_chinese_as_text(renderer):
    svg = renderer.svg(titled("各类别参与人次")).decode()
    assert svg.startswith("<svg") and "各类别参与人次" in svg and "Noto Sans CJK SC" in svg


def test_the_command_line_writes_a_zip_of_chart_pictures(renderer, sample, tmp_path, capsys):
    url, _, _ = sample
    out = tmp_path / "图表.zip"
    charts = ["--chart", "learning_by_category", "--chart", "problems_cumulative"]
    assert (
        main(
            [
                "briefing",
                "--db",
                url,
                "--through",
                "2025-10",
                *charts,
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "已生成图表图片包" in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == ["2025年1-10月_各类别参与人次.png", "2025年1-10月_累计发现与化解问题.png"]
        assert all(archive.read(name).startswith(PNG) for name in archive.namelist())


def test_a_category_that_sent_nothing_is_named_so_in_an_office_chart():
    sent = [True, False, True, True, True, True]
    frame = pd.DataFrame({"category": list(CATEGORIES), "person_times": [10, 0, 30, 40, 50, 60], "has_data": sent})
    native = pictures.native_chart(figures.by_category(frame, value="person_times", title="t 各类别参与人次"))
    assert native.categories[:3] == ("党政综合", "经济发展（尚无报送）", "执法监督")
    assert native.series[0].values[1] is None  # no bar of 0


class FlakyKaleido:
    """kaleido's sync server whose first browsers answer before their page has loaded its scripts."""

    def __init__(self, failing_starts: int):
        self.failing_starts, self.starts, self.stops = failing_starts, 0, 0

    def start_sync_server(self, **_options):
        self.starts += 1

    def stop_sync_server(self, **_options):
        self.stops += 1

    def calc_fig_sync(self, _fig, opts):
        if self.starts <= self.failing_starts:
            raise RuntimeError("ReferenceError: kaleido_scopes is not defined")
        return b"\x89PNG"


@pytest.fixture
def flaky_kaleido(monkeypatch):
    import kaleido

    monkeypatch.setattr(pictures, "_renderer", pictures._Renderer())
    monkeypatch.setattr(
        pictures, "availability", lambda: pictures.Availability("/usr/bin/chromium", ("Noto Sans CJK SC",))
    )

    def install(failing_starts: int) -> FlakyKaleido:
        fake = FlakyKaleido(failing_starts)
        for name in ("start_sync_server", "stop_sync_server", "calc_fig_sync"):
            monkeypatch.setattr(kaleido, name, getattr(fake, name))
        return fake

    return install


def test_a_browser_that_starts_before_its_page_is_ready_is_started_again(flaky_kaleido):
    fake = flaky_kaleido(failing_starts=1)
    pictures.start()
    assert (fake.starts, fake.stops) == (2, 1)
    assert pictures._renderer.started and not pictures._renderer.broken


def test_a_browser_that_never_becomes_ready_is_reported_once_tried_enough(flaky_kaleido):
    fake = flaky_kaleido(failing_starts=pictures.START_ATTEMPTS)
    with pytest.raises(RenderingUnavailable, match="浏览器无法启动"):
        pictures.start()
    assert fake.starts == pictures.START_ATTEMPTS
    with pytest.raises(RenderingUnavailable, match="请联系系统管理员"):
        pictures.start()  # not tried again on every export
    assert fake.starts == pictures.START_ATTEMPTS
