"""A briefing as office files: 16:9 slides (PPTX) and a report in the manner of 汇报材料 (DOCX).

Slides: a title, the key figures with the opening sentence, then one chart per slide under its one-line
takeaway. A chart is a native PowerPoint chart where ``pictures.native_chart`` can describe it — its data in
an embedded workbook, editable in PowerPoint and WPS — and a picture otherwise; without pictures
(``picture=None``) the slides keep their native charts and leave the others out.

Of the default charts only 累计发现与化解问题 stays a picture: its counts (累计发现, 累计化解) and its 化解率 stand on
two value axes, and python-pptx builds every chart on one pair of axes — a secondary value axis, like a combo
chart, is not in its API (python-pptx issues #141 and #338); it would take a second value and category axis
written into the chart's XML by hand, checked in PowerPoint, WPS and LibreOffice alike. A bar chart's target line
stands on the bars' own axes, so ``_series_to_line`` moves it into a line chart natively; 点题→破题→解题→验题 is
drawn as bars, not a funnel (``figures.problems_by_stage``), and is native too.

Report (公文 conventions, GB/T 9704): A4, title 宋体 二号, headings 黑体 三号 (一、二、…), body 仿宋 三号 on
28 pt lines with a two-character indent, figures numbered 图1 … and tables 附表1 … by Word SEQ fields, page
numbers 「— 1 —」 in the footer.

Chinese is set with East Asian fonts wherever Word, WPS or PowerPoint look: on slides an ``<a:ea>`` typeface
(and Chinese ``lang``) on every run, in the charts' text and in the theme; in the report every style's
``w:rFonts`` names the Chinese font in ``w:eastAsia`` with ``w:hint="eastAsia"`` and drops the theme-font
attributes (``w:eastAsiaTheme`` …) that Word would otherwise prefer, the theme's own East Asian fonts are set
too, and ``w:lang w:eastAsia="zh-CN"`` marks the text as Chinese.
"""

from __future__ import annotations

import copy
import io
import math

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_PATTERN
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn as pqn
from pptx.util import Inches, Pt

from lingyi import figures
from lingyi.export.content import SOURCE, Briefing, Chart, chinese_date
from lingyi.figures import pictures

# -- slides ------------------------------------------------------------------------------------------------------

SLIDE_FONT = "微软雅黑"
SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
RED = RGBColor.from_string(figures.PRIMARY.lstrip("#"))
DARK = RGBColor.from_string(figures.TEXT.lstrip("#"))
GREY = RGBColor(0x6B, 0x77, 0x80)
LIGHT = RGBColor(0xF4, 0xF6, 0xF7)


def _east_asian_run(run_properties: etree._Element, font: str) -> None:
    """Latin and East Asian typeface on a DrawingML run's properties (``a:rPr`` or ``a:defRPr``), Chinese language."""
    for tag in ("a:latin", "a:ea", "a:cs"):
        for old in run_properties.findall(pqn(tag)):
            run_properties.remove(old)
    # a:latin, a:ea, a:cs come after the fill and effects and before hyperlinks (CT_TextCharacterProperties).
    later = [
        c
        for c in run_properties
        if c.tag in (pqn("a:sym"), pqn("a:hlinkClick"), pqn("a:hlinkMouseOver"), pqn("a:rtl"), pqn("a:extLst"))
    ]
    for tag in ("a:latin", "a:ea", "a:cs"):
        element = etree.SubElement(run_properties, pqn(tag))
        element.set("typeface", font)
        if later:
            later[0].addprevious(element)
    run_properties.set("lang", "zh-CN")
    run_properties.set("altLang", "en-US")


def _text(
    slide,
    text: str,
    box: tuple[float, float, float, float],
    *,
    size: float,
    color: RGBColor = DARK,
    bold: bool = False,
    align: PP_ALIGN = PP_ALIGN.LEFT,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
):
    left, top, width, height = (Inches(v) for v in box)
    shape = slide.shapes.add_textbox(left, top, width, height)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(0.05)
    for index, line in enumerate(text.split("\n")):
        _line(frame, line, size=size, color=color, bold=bold, align=align, first=index == 0)
    return shape


def _line(
    frame, text: str, *, size: float, color: RGBColor = DARK, bold: bool = False, align=PP_ALIGN.LEFT, first=False
):
    """One paragraph of a text box: a longer one above it pushes it down instead of running into it."""
    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    _east_asian_run(run._r.get_or_add_rPr(), SLIDE_FONT)
    return paragraph


def one_line_size(text: str, width: float, size: float, smallest: float = 8) -> float:
    """The largest font size up to ``size`` (pt) at which ``text`` fits ``width`` inches on one line, counting an
    ASCII character as 0.6 em and any other (Chinese, ·, 「」) as 1 em: a little more than 微软雅黑 needs."""
    ems = sum(0.6 if c.isascii() else 1.0 for c in text)
    fitting = (width - 0.1) * 72 / ems if ems else size  # less the text box's own margins
    return max(smallest, min(size, math.floor(fitting * 2) / 2))


def _rectangle(slide, box: tuple[float, float, float, float], color: RGBColor):
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *(Inches(v) for v in box))
    shape.fill.solid()
    shape.fill.fore_color.rgb = color
    shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


def set_theme_fonts(theme_part, *, major: str, minor: str, ea_tag: str) -> None:
    """The theme's East Asian fonts (``<a:ea>`` of its major and minor fonts), for text typed in later."""
    root = etree.fromstring(theme_part.blob)
    namespace = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    for which, font in (("majorFont", major), ("minorFont", minor)):
        for element in root.iterfind(f".//a:fontScheme/a:{which}/a:ea", namespace):
            element.set("typeface", font)
        for element in root.iterfind(f".//a:fontScheme/a:{which}/a:font[@script='{ea_tag}']", namespace):
            element.set("typeface", font)
    # python-pptx and python-docx keep a theme as a plain part: its bytes are all there is to change.
    theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def pptx_bytes(briefing: Briefing, *, picture: pictures.PictureMaker | None = pictures.png) -> bytes:
    """The slides: a title, the key figures, then one chart per slide under its takeaway."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    set_theme_fonts(
        presentation.slide_master.part.part_related_by(RT.THEME), major=SLIDE_FONT, minor=SLIDE_FONT, ea_tag="Hans"
    )
    blank = presentation.slide_layouts[6]
    _title_slide(presentation.slides.add_slide(blank), briefing)
    _key_figures_slide(presentation.slides.add_slide(blank), briefing)
    shown = [chart for chart in briefing.charts if picture is not None or chart.native is not None]
    for number, chart in enumerate(shown, start=3):
        _chart_slide(presentation.slides.add_slide(blank), briefing, chart, picture, number)
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def _title_slide(slide, briefing: Briefing) -> None:
    _rectangle(slide, (0, 0, 13.333, 0.28), RED)
    _rectangle(slide, (0.9, 3.72, 1.4, 0.06), RED)
    _text(slide, briefing.title, (0.9, 2.0, 11.5, 1.5), size=40, bold=True, anchor=MSO_ANCHOR.BOTTOM)
    # The scope and the date in one box: a scope long enough to wrap pushes the date down, never into it.
    scope = _text(slide, briefing.scope_text, (0.9, 4.0, 11.5, 2.5), size=20, color=GREY)
    _line(scope.text_frame, chinese_date(briefing.date), size=18, color=GREY).space_before = Pt(6)
    _text(slide, SOURCE, (0.9, 6.7, 11.5, 0.4), size=12, color=GREY)


def _slide_heading(slide, text: str, *, size: float = 24) -> None:
    _rectangle(slide, (0.55, 0.42, 0.09, 0.62), RED)
    _text(slide, text, (0.8, 0.3, 11.9, 0.95), size=size, bold=True, anchor=MSO_ANCHOR.MIDDLE)


def _footer(slide, briefing: Briefing, number: int) -> None:
    footer = f"{SOURCE} · {briefing.scope_text}"
    _text(slide, footer, (0.55, 7.0, 11.0, 0.35), size=one_line_size(footer, 11.0, 11), color=GREY)  # one line
    _text(slide, str(number), (12.1, 7.0, 0.7, 0.35), size=11, color=GREY, align=PP_ALIGN.RIGHT)


def _key_figures_slide(slide, briefing: Briefing) -> None:
    _slide_heading(slide, "主要数据")
    width, height, gap = 2.9, 1.55, 0.2
    for index, figure in enumerate(briefing.key_figures[:8]):
        left = 0.55 + (index % 4) * (width + gap)
        top = 1.45 + (index // 4) * (height + gap)
        _rectangle(slide, (left, top, width, height), LIGHT)
        _text(slide, figure.label, (left + 0.15, top + 0.1, width - 0.3, 0.4), size=14, color=GREY)
        _text(slide, figure.value, (left + 0.15, top + 0.45, width - 0.3, 0.6), size=28, bold=True, color=RED)
        _text(slide, figure.note, (left + 0.15, top + 1.05, width - 0.3, 0.45), size=12, color=DARK)
    overall = briefing.paragraphs[0].text if briefing.paragraphs else ""
    _text(slide, overall, (0.55, 5.05, 12.2, 1.8), size=16)
    _footer(slide, briefing, 2)


CHART_BOX = (0.55, 1.4, 12.2, 5.5)  # left, top, width, height in inches
NOTE_HEIGHT = 0.4  # the like-for-like note under a chart


def _chart_slide(slide, briefing: Briefing, chart: Chart, picture: pictures.PictureMaker | None, number: int) -> None:
    """The takeaway as the slide's heading, the chart below it: native where it can be, else a picture."""
    text = chart.takeaway.text
    _slide_heading(slide, text, size=22 if len(text) <= 44 else 18)
    native = chart.native
    note = briefing.notes.get(chart.theme, "")
    box = CHART_BOX if not note else (*CHART_BOX[:3], CHART_BOX[3] - NOTE_HEIGHT)
    if native is not None:
        _native_chart(slide, native, box)
    elif picture is not None:
        _picture(slide, picture(chart.figure, pictures.SLIDE), box)
    if note:  # a year on year while some unit's month is not in: said on the slide that shows it
        _text(slide, f"注：{note}。", (box[0], box[1] + box[3], box[2], NOTE_HEIGHT), size=12, color=DARK)
    _footer(slide, briefing, number)


def _picture(slide, data: bytes, box: tuple[float, float, float, float]) -> None:
    """A PNG as large as fits the box, centred in it."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        pixels_wide, pixels_high = image.size
    left, top, width, height = box
    scale = min(width / pixels_wide, height / pixels_high)
    shown_width, shown_height = pixels_wide * scale, pixels_high * scale
    slide.shapes.add_picture(
        io.BytesIO(data),
        Inches(left + (width - shown_width) / 2),
        Inches(top + (height - shown_height) / 2),
        Inches(shown_width),
        Inches(shown_height),
    )


CHART_TYPES = {
    ("column", False): XL_CHART_TYPE.COLUMN_CLUSTERED,
    ("column", True): XL_CHART_TYPE.COLUMN_STACKED,
    ("bar", False): XL_CHART_TYPE.BAR_CLUSTERED,
    ("bar", True): XL_CHART_TYPE.BAR_STACKED,
    ("line", False): XL_CHART_TYPE.LINE_MARKERS,
    ("line", True): XL_CHART_TYPE.LINE_MARKERS,
}
TARGET_COLOR = figures.TARGET_COLOR.lstrip("#")


def _native_chart(slide, native: pictures.NativeChart, box: tuple[float, float, float, float]):
    """A PowerPoint chart with its data in an embedded workbook: editable in PowerPoint and WPS."""
    data = CategoryChartData(number_format=native.number_format)
    data.categories = list(native.categories)
    for series in native.series:
        data.add_series(series.name, list(series.values), number_format=native.number_format)
    # A target across vertical bars is a line series of its own (moved into a line chart below); across
    # horizontal bars an office chart cannot draw it, so the title names it.
    target_line = native.target is not None and native.kind == "column"
    if target_line:
        value, label = native.target
        data.add_series(label, [value] * len(native.categories), number_format=native.number_format)
    graphic = slide.shapes.add_chart(CHART_TYPES[(native.kind, native.stacked)], *(Inches(v) for v in box), data)
    chart = graphic.chart
    chart.font.size = Pt(12)
    chart.font.color.rgb = DARK
    chart._chartSpace.get_or_add_txPr().p_lst[0].get_or_add_pPr().get_or_add_defRPr()
    title = native.title
    if native.target is not None and not target_line:
        title += f"（{native.target[1]}）"
    chart.has_title = True
    chart.chart_title.text_frame.text = title
    title_run = chart.chart_title.text_frame.paragraphs[0].runs[0]
    title_run.font.size = Pt(16)
    title_run.font.bold = True
    plot = chart.plots[0]
    if native.kind != "line":
        plot.gap_width = 60
        plot.overlap = 100 if native.stacked else -10
    for series, drawn in zip(native.series, plot.series):
        _colour_series(drawn, series, native.kind)
        if series.labels:
            labels = drawn.data_labels
            labels.show_value = True
            labels.number_format = native.number_format
            labels.number_format_is_linked = False
            labels.font.size = Pt(11)
            if native.stacked:
                labels.position = XL_LABEL_POSITION.CENTER
            elif series.labels_inside:
                # At the foot of the bar where a target line crosses the bars' tops (as on the page), else at the top.
                labels.position = XL_LABEL_POSITION.INSIDE_BASE if target_line else XL_LABEL_POSITION.INSIDE_END
                labels.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            else:
                labels.position = XL_LABEL_POSITION.OUTSIDE_END
    value_axis, category_axis = chart.value_axis, chart.category_axis
    value_axis.tick_labels.number_format = native.number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.has_major_gridlines = native.value_axis
    value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xEA, 0xEC, 0xEE)
    value_axis.visible = native.value_axis
    value_axis.format.line.fill.background()
    low, high = native.value_range
    if low is not None:
        value_axis.minimum_scale = low
    if high is not None:
        value_axis.maximum_scale = high
    category_axis.format.line.color.rgb = RGBColor(0xBF, 0xC9, 0xCA)
    category_axis.tick_labels.font.size = Pt(12)
    if native.kind == "bar":
        category_axis.reverse_order = True  # the first category on top, as the figure has it
        # … and the value axis stays at the bottom: it crosses the category axis at its last category. (python-pptx's
        # ``crosses`` writes the other axis's element, so the value axis's own is set here.)
        value_axis._element.find(pqn("c:crosses")).set("val", "max")
    legend = len(native.series) > 1 or target_line
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(12)
    if target_line:
        _series_to_line(chart, len(native.series))
        if len(native.series) == 1 and len(set(native.series[0].colors)) > 1:
            _hide_legend_entry(chart, 0)  # its swatch would show one category's colour for all of them
    for properties in (*chart._chartSpace.iter(pqn("a:defRPr")), *chart._chartSpace.iter(pqn("a:rPr"))):
        _east_asian_run(properties, SLIDE_FONT)  # the chart's, its title's, labels', axes' and legend's text
    return chart


def _hide_legend_entry(chart, index: int) -> None:
    legend = chart._chartSpace.find(pqn("c:chart")).find(pqn("c:legend"))
    entry = etree.fromstring(
        '<c:legendEntry xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:idx val="{index}"/><c:delete val="1"/></c:legendEntry>'
    )
    legend.find(pqn("c:legendPos")).addnext(entry)


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#"))


def _colour_series(drawn, series: pictures.Series, kind: str) -> None:
    colors = [c for c in series.colors if c]
    if not colors:
        return
    if kind == "line":
        drawn.format.line.color.rgb = _rgb(colors[0])
        drawn.format.line.width = Pt(2.5)
        drawn.smooth = False
        return
    # The series' own fill is its legend swatch: where the bars take their category's colour, the figure's grey
    # stand-in, not the first category's colour.
    varied = len(set(colors)) > 1
    _fill(drawn.format.fill, series.legend_color if varied and series.legend_color else colors[0], series.hatched)
    if varied:
        for index, color in enumerate(series.colors):
            if color:
                _fill(drawn.points[index].format.fill, color, series.hatched)


def _fill(fill, color: str, hatched: bool) -> None:
    if hatched:
        fill.patterned()
        fill.pattern = MSO_PATTERN.WIDE_UPWARD_DIAGONAL
        fill.fore_color.rgb = _rgb(color)
        fill.back_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    else:
        fill.solid()
        fill.fore_color.rgb = _rgb(color)


def _series_to_line(chart, index: int) -> None:
    """Move series ``index`` out of the bar chart into a dashed line chart on the same axes (its data stays in
    the workbook, so the target is edited like any other series)."""
    plot_area = chart._chartSpace.find(pqn("c:chart")).find(pqn("c:plotArea"))
    bar_chart = plot_area.find(pqn("c:barChart"))
    series = bar_chart.findall(pqn("c:ser"))[index]
    bar_chart.remove(series)
    for tag in ("c:invertIfNegative", "c:dPt", "c:dLbls", "c:shape"):
        for element in series.findall(pqn(tag)):
            series.remove(element)
    for element in series.findall(pqn("c:spPr")):
        series.remove(element)
    properties = etree.fromstring(
        f'<c:spPr xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f'<a:ln w="22225"><a:solidFill><a:srgbClr val="{TARGET_COLOR}"/></a:solidFill>'
        f'<a:prstDash val="dash"/></a:ln></c:spPr>'
    )
    marker = etree.fromstring(
        '<c:marker xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:symbol val="none"/></c:marker>'
    )
    series.find(pqn("c:tx")).addnext(properties)
    properties.addnext(marker)
    smooth = etree.Element(pqn("c:smooth"))
    smooth.set("val", "0")
    series.find(pqn("c:val")).addnext(smooth)
    line_chart = etree.fromstring(
        '<c:lineChart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        '<c:grouping val="standard"/><c:varyColors val="0"/></c:lineChart>'
    )
    line_chart.append(series)
    line_marker = etree.SubElement(line_chart, pqn("c:marker"))
    line_marker.set("val", "1")
    for axis in bar_chart.findall(pqn("c:axId")):
        line_chart.append(copy.deepcopy(axis))
    bar_chart.addnext(line_chart)


# -- the report ----------------------------------------------------------------------------------------------------
