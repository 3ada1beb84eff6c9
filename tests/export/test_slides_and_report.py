"""The slides and the report, reopened with python-pptx and python-docx: what they hold, and the East Asian fonts
in their XML that make Word, WPS and PowerPoint show 宋体, 仿宋, 黑体 and 微软雅黑 as intended.

Pictures come from a stand-in here (a plain PNG of the asked size); the browser's are tested in test_pictures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile

import pytest
from docx import Document
from factories import stand_in_picture
from lxml import etree
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches
from sample_store import sample_database_copy

from lingyi import figures, metrics
from lingyi.export import briefing, content, report, slides
from lingyi.figures import pictures
from lingyi.store import Store

CHARTS = ("learning_by_category", "problems_closure_by_category", "problems_cumulative", "learning_units")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> content.Briefing:
    store = Store(sample_database_copy(tmp_path_factory.mktemp("office-sample")))
    try:
        return briefing.build(metrics.load(store), metrics.Scope(2025, 10), charts=CHARTS, date=dt.date(2025, 11, 20))
    finally:
        store.close()


@pytest.fixture(scope="module")
def deck(made) -> Presentation:
    return Presentation(io.BytesIO(slides.pptx_bytes(made, picture=stand_in_picture)))


@pytest.fixture(scope="module")
def report_bytes(made) -> bytes:
    return report.docx_bytes(made, picture=stand_in_picture)


def texts(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def part_xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


# -- slides ---------------------------------------------------------------------------------------------------------------


def test_the_slides_are_16_9_a_title_the_key_figures_and_one_chart_each(made, deck):
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    assert len(deck.slides) == 2 + len(CHARTS)
    title, key = deck.slides[0], deck.slides[1]
    assert made.title in texts(title) and "2025年1—10月" in texts(title) and "2025年11月20日" in texts(title)
    assert "主要数据" in texts(key) and made.paragraphs[0].text in texts(key)
    for figure in made.key_figures:
        assert figure.value in texts(key) and figure.note in texts(key)


def test_a_long_scope_pushes_the_date_down_and_every_footer_stays_on_one_line(made):
    long = dataclasses.replace(
        made, scope_text="会议版「2025年10月全市学习型机关建设推进会」 · " + " · ".join(["执法监督"] * 6)
    )
    shown = Presentation(io.BytesIO(slides.pptx_bytes(long, picture=stand_in_picture)))
    title = shown.slides[0]
    holding = [s for s in title.shapes if s.has_text_frame and long.scope_text in s.text_frame.text]
    assert len(holding) == 1 and "2025年11月20日" in holding[0].text_frame.text  # one box: the date flows below
    for slide in list(shown.slides)[1:]:
        footer = next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text.startswith(content.SOURCE))
        run = footer.text_frame.paragraphs[0].runs[0]
        ems = sum(0.6 if c.isascii() else 1.0 for c in run.text)  # 微软雅黑 needs less: 0.5 em and under 1 em
        assert ems * run.font.size.pt <= footer.width / 914400 * 72  # so it cannot wrap to a second line
        assert run.font.size.pt < 11  # this one had to be set smaller


def test_each_chart_slide_leads_with_its_takeaway(made, deck):
    for slide, chart in zip(list(deck.slides)[2:], made.charts, strict=True):
        assert chart.takeaway.text in texts(slide)


def test_bar_charts_are_native_charts_with_the_figures_data_and_the_others_pictures(made, deck):
    for slide, chart in zip(list(deck.slides)[2:], made.charts, strict=True):
        natives = [shape.chart for shape in slide.shapes if shape.has_chart]
        pictures = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        if chart.key == "problems_cumulative":
            assert (len(natives), len(pictures)) == (0, 1)
            continue
        assert (len(natives), len(pictures)) == (1, 0), chart.key
        native, expected = natives[0], chart.native
        plot = native.plots[0]
        assert tuple(plot.categories) == expected.categories
        assert tuple(plot.series[0].values) == pytest.approx(expected.series[0].values)
        assert native.chart_title.text_frame.text.startswith(chart.title)
    kinds = {
        chart.key: shape.chart.chart_type
        for slide, chart in zip(list(deck.slides)[2:], made.charts)
        for shape in slide.shapes
        if shape.has_chart
    }
    assert kinds["learning_by_category"] == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert kinds["learning_units"] == XL_CHART_TYPE.BAR_CLUSTERED


def test_a_target_is_a_dashed_line_series_kept_in_the_charts_workbook(deck, made):
    index = [c.key for c in made.charts].index("problems_closure_by_category")
    chart = next(s.chart for s in deck.slides[2 + index].shapes if s.has_chart)
    space = chart._chartSpace
    line = space.find(".//{*}lineChart")
    assert line is not None and line.find(".//{*}prstDash").get("val") == "dash"
    assert line.find(".//{*}tx//{*}v").text == "目标 90%"
    assert [float(v.text) for v in line.findall(".//{*}val//{*}v")] == [0.9] * 6
    assert line.find(".//{*}val/{*}numRef/{*}f") is not None  # a reference into the workbook, editable
    # The bars' labels sit at their foot, where the dashed line at 90% never crosses them.
    assert {e.get("val") for e in space.find(".//{*}barChart").iter("{*}dLblPos")} == {"inBase"}


def test_every_run_on_every_slide_names_an_east_asian_font(made):
    data = slides.pptx_bytes(made, picture=stand_in_picture)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
        for name in names:
            root = etree.fromstring(archive.read(name))
            runs = root.findall(".//{*}r/{*}rPr")
            assert runs, name
            for properties in runs:
                assert properties.find("{*}ea").get("typeface") == slides.SLIDE_FONT
                assert properties.get("lang") == "zh-CN"
        theme = etree.fromstring(archive.read("ppt/theme/theme1.xml"))
        assert {e.get("typeface") for e in theme.findall(".//{*}fontScheme/*/{*}ea")} == {slides.SLIDE_FONT}
        chart = etree.fromstring(archive.read("ppt/charts/chart1.xml"))
        assert chart.find("{*}txPr//{*}defRPr/{*}ea").get("typeface") == slides.SLIDE_FONT


def test_without_pictures_the_slides_keep_the_native_charts_only(made):
    shown = Presentation(io.BytesIO(slides.pptx_bytes(made, picture=None)))
    assert len(shown.slides) == 2 + len([c for c in made.charts if c.native is not None])


# -- the report -------------------------------------------------------------------------------------------------------------


def test_the_report_has_title_date_narrative_and_numbered_figures(made, report_bytes):
    report = Document(io.BytesIO(report_bytes))
    paragraphs = [p.text for p in report.paragraphs]
    assert paragraphs[0] == made.title and report.paragraphs[0].style.name == "Title"
    assert "2025年11月20日" in paragraphs[:4]
    for paragraph in made.paragraphs:
        assert paragraph.text in paragraphs
    headings = [p.text for p in report.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、学习活动开展情况",
        "二、12345热线办理情况",
        "三、问题排查化解情况",
        "四、指标完成情况",
        "附表",
    ]
    captions = [p.text for p in report.paragraphs if p.style.name == "Caption"]
    figure_captions = [c for c in captions if c.startswith("图")]
    by_theme = sorted(made.charts, key=lambda chart: list(content.THEMES).index(chart.theme))  # in their sections
    assert figure_captions == [f"图{i}  {chart.title}" for i, chart in enumerate(by_theme, start=1)]
    assert len(report.inline_shapes) == len(made.charts)


def test_no_table_row_splits_across_pages_and_each_header_row_repeats(report_bytes):
    report = Document(io.BytesIO(report_bytes))
    assert report.tables
    for table in report.tables:
        rows = table._tbl.findall(f"{W}tr")
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None


def test_headings_and_captions_keep_with_what_follows_and_a_note_keeps_with_its_table(made, report_bytes):
    report = Document(io.BytesIO(report_bytes))
    assert report.styles["Heading 1"].paragraph_format.keep_with_next
    body = list(report.element.body.iterchildren())
    for index, element in enumerate(body):
        if element.tag != f"{W}tbl":
            continue
        caption = body[index - 1]
        assert caption.find(f"{W}pPr/{W}keepNext") is not None  # 附表N stays with its table
        rows = element.findall(f"{W}tr")
        assert all(p.find(f"{W}pPr/{W}keepNext") is not None for row in rows[:-1] for p in row.iter(f"{W}p"))
        following = body[index + 1]
        if "".join(following.itertext()).startswith("注："):
            last_row = element.findall(f"{W}tr")[-1]
            assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in last_row.iter(f"{W}p"))
    assert any(t.note for t in made.tables)  # the sample's appendix has a note to keep


def test_the_reports_pictures_are_drawn_without_their_own_title(made):
    titles = []

    def remembering(fig, size):
        titles.append(fig.layout.title.text)
        return stand_in_picture(fig, size)

    report.docx_bytes(made, picture=remembering)
    assert titles == [""] * len(made.charts)  # the caption 「图N  …」 says it once
    assert all(chart.figure.layout.title.text for chart in made.charts)  # the briefing's own figures keep theirs


def test_captions_are_word_sequence_fields(report_bytes):
    body = part_xml(report_bytes, "word/document.xml")
    codes = [t.text.strip() for t in body.iter(f"{W}instrText")]
    assert codes.count("SEQ 图 \\* ARABIC") == len(CHARTS)
    assert codes.count("SEQ 附表 \\* ARABIC") == 4


def test_the_appendix_has_a_table_per_theme_with_the_summarys_totals(made, report_bytes):
    report = Document(io.BytesIO(report_bytes))
    assert len(report.tables) == 4
    captions = [p.text for p in report.paragraphs if p.text.startswith("附表") and p.style.name == "Caption"]
    assert captions == [f"附表{i}  {t.title}" for i, t in enumerate(made.tables, start=1)]
    for table, expected in zip(report.tables, made.tables, strict=True):
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        assert rows[0] == list(expected.frame.columns)
        assert rows[-1] == list(expected.frame.iloc[-1]) and rows[-1][0] == "合计"


@pytest.mark.parametrize(
    ("style", "font"),
    [("Normal", "仿宋"), ("Title", "宋体"), ("Heading1", "黑体"), ("Caption", "宋体"), ("Subtitle", "仿宋")],
)
def test_styles_name_their_east_asian_font_with_hint_and_chinese_language(report_bytes, style, font):
    styles = part_xml(report_bytes, "word/styles.xml")
    element = styles.find(f"{W}style[@{W}styleId='{style}']")
    fonts = element.find(f"{W}rPr/{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == font
    assert fonts.get(f"{W}hint") == "eastAsia"
    assert fonts.get(f"{W}ascii") == report.LATIN_FONT
    assert element.find(f"{W}rPr/{W}lang").get(f"{W}eastAsia") == "zh-CN"


def test_no_theme_font_attribute_is_left_to_override_the_chinese_fonts(report_bytes):
    styles = part_xml(report_bytes, "word/styles.xml")
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}eastAsia") == report.BODY_FONT
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    used = {"Normal", "Title", "Subtitle", "Heading1", "Caption", "TitleChar", "SubtitleChar", "Heading1Char"}
    for element in styles.iter(f"{W}style"):
        if element.get(f"{W}styleId") in used:
            for fonts in element.iter(f"{W}rFonts"):
                assert not [a for a in fonts.attrib if a.endswith("Theme") or a.endswith("theme")], element.get(
                    f"{W}styleId"
                )
    for fonts in defaults.iter(f"{W}rFonts"):
        assert not [a for a in fonts.attrib if a.lower().endswith("theme")]


def test_the_themes_east_asian_fonts_are_the_reports(report_bytes):
    theme = part_xml(report_bytes, "word/theme/theme1.xml")
    assert theme.find(".//{*}majorFont/{*}ea").get("typeface") == report.HEADING_FONT
    assert theme.find(".//{*}minorFont/{*}ea").get("typeface") == report.BODY_FONT
    assert theme.find(".//{*}minorFont/{*}font[@script='Hans']").get("typeface") == report.BODY_FONT


def test_a_report_without_pictures_is_refused_plainly(made):
    with pytest.raises(pictures.RenderingUnavailable, match="浏览器"):
        report.docx_bytes(made, picture=None)


@pytest.fixture(scope="module")
def with_hotline(tmp_path_factory) -> content.Briefing:
    store = Store(sample_database_copy(tmp_path_factory.mktemp("office-hotline")))
    try:
        charts = ("learning_by_category", "hotline_by_month", "hotline_by_category")
        return briefing.build(metrics.load(store), metrics.Scope(2025, 10), charts=charts, date=dt.date(2025, 11, 20))
    finally:
        store.close()


def test_a_slide_comparing_with_last_year_notes_the_month_not_in_and_keeps_the_chart_clear_of_it(with_hotline):
    deck = Presentation(io.BytesIO(slides.pptx_bytes(with_hotline, picture=stand_in_picture)))
    note = with_hotline.notes["hotline"]
    assert note.endswith("同比按同口径计算")
    learning_slide, hotline_slide = deck.slides[2], deck.slides[3]
    assert f"注：{note}。" in texts(hotline_slide)
    assert "同口径" not in texts(learning_slide)  # a chart of learning compares with nothing
    (box,) = [s for s in hotline_slide.shapes if s.has_text_frame and s.text_frame.text.startswith("注：")]
    drawn = [
        s for s in hotline_slide.shapes if getattr(s, "has_chart", False) or s.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert drawn and all(shape.top + shape.height <= box.top for shape in drawn)


def test_bars_in_their_categorys_colour_have_grey_legend_swatches_on_the_slide(with_hotline):
    deck = Presentation(io.BytesIO(slides.pptx_bytes(with_hotline, picture=stand_in_picture)))
    chart = next(s.chart for s in deck.slides[4].shapes if getattr(s, "has_chart", False))
    last_year, this_year = chart.plots[0].series
    # The series' own fill is what the legend shows; each bar still carries its category's colour.
    assert str(this_year.format.fill.fore_color.rgb) == figures.STAND_IN.lstrip("#")
    assert str(last_year.format.fill.fore_color.rgb) == pictures.hex_color("rgba(127,140,141,0.35)").lstrip("#")
    assert len({str(this_year.points[i].format.fill.fore_color.rgb) for i in range(6)}) == 6
