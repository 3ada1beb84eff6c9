"""A briefing as a report in the manner of 汇报材料 (DOCX), by 公文 conventions (GB/T 9704).

A4, title 宋体 二号, headings 黑体 三号 (一、二、…), body 仿宋 三号 on 28 pt lines with a two-character indent,
figures numbered 图1 … and tables 附表1 … by Word SEQ fields, page numbers 「— 1 —」 in the footer. Every style's
``w:rFonts`` names the Chinese font in ``w:eastAsia`` with ``w:hint="eastAsia"`` and drops the theme-font
attributes (``w:eastAsiaTheme`` …) that Word would otherwise prefer, the theme's own East Asian fonts are set
too, and ``w:lang w:eastAsia="zh-CN"`` marks the text as Chinese.
"""

from __future__ import annotations

import io

import pandas as pd
import plotly.graph_objects as go
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.shared import Pt as DocxPt
from pptx.util import Emu

from lingyi.export import content
from lingyi.export.content import Briefing, chinese_date
from lingyi.export.slides import set_theme_fonts
from lingyi.figures import pictures

BODY_FONT, HEADING_FONT, TITLE_FONT, TABLE_FONT = "仿宋", "黑体", "宋体", "宋体"


LATIN_FONT = "Times New Roman"


KEPT_WHOLE_ROWS = 25  # an appendix table of a category or problem type per row fits a page
NUMERALS = "一二三四五六七八九十"


def _east_asian_style(run_properties, font: str) -> None:
    """Run properties (``w:rPr`` of a style or of the document defaults): ``font`` for Chinese with the East Asian
    hint, Times New Roman for Latin, no theme font for Word to prefer over them, and Chinese as East Asian language."""
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        style = run_properties.find(qn("w:rStyle"))
        if style is not None:
            style.addnext(fonts)
        else:
            run_properties.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute, value in (
        ("w:ascii", LATIN_FONT),
        ("w:hAnsi", LATIN_FONT),
        ("w:eastAsia", font),
        ("w:cs", LATIN_FONT),
    ):
        fonts.set(qn(attribute), value)
    fonts.set(qn("w:hint"), "eastAsia")
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        later = [c for c in run_properties if c.tag in (qn("w:eastAsianLayout"), qn("w:specVanish"), qn("w:oMath"))]
        if later:
            later[0].addprevious(language)
        else:
            run_properties.append(language)
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")
    language.set(qn("w:bidi"), "ar-SA")


def _style(
    document,
    name: str,
    *,
    font: str,
    size: float,
    bold: bool = False,
    align=None,
    indent: bool = False,
    line: float | None = None,
    before: float = 0,
    after: float = 0,
):
    style = document.styles[name]
    style.font.size = DocxPt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = None
    color = style.element.rPr.find(qn("w:color")) if style.element.rPr is not None else None
    if color is not None:
        style.element.rPr.remove(color)
    _east_asian_style(style.element.get_or_add_rPr(), font)
    paragraph = style.paragraph_format
    paragraph.alignment = align
    paragraph.space_before, paragraph.space_after = DocxPt(before), DocxPt(after)
    paragraph.first_line_indent = DocxPt(size * 2) if indent else DocxPt(0)
    if line:
        paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.line_spacing = DocxPt(line)
    else:
        paragraph.line_spacing_rule = WD_LINE_SPACING.SINGLE
    borders = style.element.pPr.find(qn("w:pBdr")) if style.element.pPr is not None else None
    if borders is not None:
        style.element.pPr.remove(borders)
    return style


def _report_styles(document) -> None:
    """公文-like: title 宋体 二号 bold, headings 黑体 三号, body 仿宋 三号 at 28 pt lines, captions and tables 宋体."""
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _east_asian_style(defaults, BODY_FONT)
    _style(document, "Normal", font=BODY_FONT, size=16, indent=True, line=28)
    _style(document, "Title", font=TITLE_FONT, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, line=36, after=6)
    _style(document, "Subtitle", font=BODY_FONT, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, line=28)
    _style(document, "Heading 1", font=HEADING_FONT, size=16, indent=True, line=28, before=6)
    document.styles["Heading 1"].paragraph_format.keep_with_next = True  # never a heading alone at a page's foot
    _style(document, "Caption", font=TABLE_FONT, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, line=20, after=6)
    names = {style.name for style in document.styles}
    for linked, font in (("Title Char", TITLE_FONT), ("Subtitle Char", BODY_FONT), ("Heading 1 Char", HEADING_FONT)):
        if linked in names:  # the character styles Word pairs with them
            document.styles[linked].font.color.rgb = None
            _east_asian_style(document.styles[linked].element.get_or_add_rPr(), font)
    if "表格文字" not in names:
        document.styles.add_style("表格文字", WD_STYLE_TYPE.PARAGRAPH).base_style = document.styles["Normal"]
    _style(document, "表格文字", font=TABLE_FONT, size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER)
    theme = document.part.part_related_by("http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme")
    set_theme_fonts(theme, major=HEADING_FONT, minor=BODY_FONT, ea_tag="Hans")


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (``SEQ 图``, ``PAGE``) with its current result, so it reads right before Word updates it."""

    def run_with(child) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run_with(code)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _caption(document, label: str, number: int, title: str):
    paragraph = document.add_paragraph(style="Caption")
    paragraph.add_run(label)
    _field(paragraph, f"SEQ {label} \\* ARABIC", str(number))
    paragraph.add_run(f"  {title}")
    return paragraph


def docx_bytes(briefing: Briefing, *, picture: pictures.PictureMaker | None = pictures.png) -> bytes:
    """The report: title, date, the narrative by theme with its figures (图1 …), an appendix table per theme."""
    if picture is None:
        raise pictures.RenderingUnavailable("没有可用的浏览器，无法生成报告中的图表图片。")
    document = Document()
    _report_styles(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["表格文字"]
    footer.add_run("— ")
    _field(footer, "PAGE", "1")
    footer.add_run(" —")

    document.add_paragraph(briefing.title, style="Title")
    document.add_paragraph(f"（{briefing.scope_text.replace(' · ', '，')}）", style="Subtitle")
    document.add_paragraph(chinese_date(briefing.date), style="Subtitle")
    paragraphs = {p.theme: p for p in briefing.paragraphs}
    if "overall" in paragraphs:
        document.add_paragraph(paragraphs["overall"].text)
    figure_number = 0
    text_width = section.page_width - section.left_margin - section.right_margin
    for index, theme in enumerate(content.THEME_HEADINGS):
        paragraph = paragraphs.get(theme)
        charts = [c for c in briefing.charts if c.theme == theme]
        if paragraph is None and not charts:
            continue
        heading = paragraph.heading if paragraph else content.THEME_HEADINGS[theme]
        document.add_paragraph(f"{NUMERALS[index]}、{heading}", style="Heading 1")
        if paragraph is not None:
            document.add_paragraph(paragraph.text)
        for chart in charts:
            figure_number += 1
            image = document.add_paragraph(style="表格文字")
            image.paragraph_format.keep_with_next = True
            drawn = picture(untitled(chart.figure), pictures.DOCUMENT)  # the caption under it names it
            image.add_run().add_picture(io.BytesIO(drawn), width=Emu(text_width))
            _caption(document, "图", figure_number, chart.title)
    document.add_paragraph("附表", style="Heading 1")
    for number, table in enumerate(briefing.tables, start=1):
        caption = _caption(document, "附表", number, table.title)
        caption.paragraph_format.keep_with_next = True
        _table(document, table.frame, noted=bool(table.note))
        if table.note:
            note = document.add_paragraph(f"注：{table.note}", style="表格文字")
            note.alignment = WD_ALIGN_PARAGRAPH.LEFT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, frame: pd.DataFrame, *, noted: bool = False) -> None:
    table = document.add_table(rows=1, cols=len(frame.columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, frame.columns):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(heading))
        run.bold = True
        cell.paragraphs[0].style = document.styles["表格文字"]
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated on every page
    for _, row in frame.iterrows():
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = ""
            cell.paragraphs[0].add_run("" if pd.isna(value) else str(value))
            cell.paragraphs[0].style = document.styles["表格文字"]
    for row in table.rows:  # a row is never cut across two pages: 「(+2.49)」 stays beside its category
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    # A table short enough for one page is kept whole (each row with the next), and the last row takes the note
    # under the table along: never a page that holds a table's last rows alone, or only a note.
    whole = len(table.rows) <= KEPT_WHOLE_ROWS
    for index, row in enumerate(table.rows):
        last = index == len(table.rows) - 1
        if (whole and not last) or (last and noted):
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True


def untitled(fig: go.Figure) -> go.Figure:
    """The figure without its own title, for a document whose caption says it: the title is never said twice."""
    drawn = go.Figure(fig)
    top = drawn.layout.margin.t if drawn.layout.margin.t is not None else 64
    drawn.update_layout(title={"text": ""}, margin={"t": max(24, top - 40)})
    return drawn
