"""Every chart a briefing can hold, laid out by plotly.js in Chromium at the sizes of the slides, the report and the
picture ZIP, measured: the title, the legend, the value labels, the annotations and the target line keep clear of
each other. Measured from the laid-out boxes (getBoundingClientRect), not judged by eye."""

from __future__ import annotations

import json

import plotly.io as pio
import pytest
from sample_store import sample_database_copy

from lingyi import metrics
from lingyi.export import briefing, report
from lingyi.figures import pictures
from lingyi.store import Store

pytestmark = pytest.mark.browser

SIZES = {"slide": pictures.SLIDE, "document": pictures.DOCUMENT}

# The boxes of a laid-out plot, in CSS pixels: what each part of a chart occupies on the page.
MEASURE = """() => {
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const all = (selector) => [...document.querySelectorAll(selector)].map(box).filter(b => b[2] > b[0] && b[3] > b[1]);
  return {
    title: all('.gtitle'),
    legend: all('.legend .bg'),
    plot: all('.draglayer .nsewdrag'),
    labels: all('.bartext'),
    notes: all('.annotation-text-g text'),
    targets: all('.shapelayer path'),
  };
}"""


def overlap(a, b, slack: float = 1.0) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


@pytest.fixture(scope="module")
def charts(tmp_path_factory):
    store = Store(sample_database_copy(tmp_path_factory.mktemp("layout-sample")))
    try:
        made = briefing.build(metrics.load(store), metrics.Scope(2025, 10), charts=list(briefing.CATALOGUE))
    finally:
        store.close()
    return made.charts


@pytest.fixture(scope="module")
def plot_page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 1200}, locale="zh-CN")
    page = context.new_page()
    page.set_content('<html><body style="margin:0"><div id="chart"></div></body></html>')
    page.add_script_tag(path=str(pictures.PLOTLY_JS))
    yield page
    context.close()


def laid_out(page, fig) -> dict:
    spec = json.loads(pio.to_json(fig))
    page.evaluate(
        "async (spec) => { await Plotly.newPlot('chart', spec.data, spec.layout, {displayModeBar: false}); }", spec
    )
    return page.evaluate(MEASURE)


@pytest.mark.parametrize("size", list(SIZES))
def test_no_part_of_an_exported_chart_sits_on_another(charts, plot_page, size):
    crossings = []
    for chart in charts:
        fig = pictures.for_export(chart.figure, SIZES[size])
        if size == "document":
            fig = report.untitled(fig)  # the report's pictures leave the title to their caption
        boxes = laid_out(plot_page, fig)
        assert boxes["plot"], chart.key
        pairs = [("title", "legend"), ("title", "labels"), ("title", "notes"), ("legend", "plot")]
        pairs += [("legend", "labels"), ("legend", "notes"), ("labels", "targets")]
        for first, second in pairs:
            for a in boxes[first]:
                for b in boxes[second]:
                    if overlap(a, b):
                        crossings.append(f"{chart.key}: {first} {a} × {second} {b}")
        assert not (size == "document" and boxes["title"]), chart.key
    assert crossings == []
