"""简报导出 in headless Chromium: the page opens on the current view's filters and its PPT downloads.

The server draws the pictures with its own Chromium (kaleido), so this also proves exports work inside a
running Streamlit, on the thread Streamlit gives a download.
"""

from __future__ import annotations

import contextlib
import io
import json
from urllib.parse import quote

import pytest
from conftest import ERRORS, settle
from pptx import Presentation

import lingyi.__main__ as cli
from lingyi.export import briefing

pytestmark = pytest.mark.browser


def summary(database: str, *arguments: str) -> dict:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["summary", "--json", "--db", database, *arguments])
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


def test_the_briefing_page_downloads_slides_for_the_current_view(page, server, sample_database, artifacts, tmp_path):
    page.goto(f"{server.url}/briefing?category={quote('执法监督')}")
    settle(page, "简报导出")
    page.screenshot(path=artifacts / "briefing.png")
    assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).all_inner_texts()
    assert page.get_by_text("2025年1—10月 · 执法监督 · 全部单位").count() >= 1

    with page.expect_download(timeout=180_000) as started:
        page.get_by_role("button", name="下载PPT 演示文稿").click()
    download = started.value
    assert download.suggested_filename == "2025年1-10月_学习型机关建设情况汇报.pptx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    slides = Presentation(saved).slides
    assert len(slides) == 2 + len(briefing.DEFAULT_CHARTS)
    title = "\n".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "学习型机关建设情况汇报" in title and "执法监督" in title
    key = "\n".join(s.text_frame.text for s in slides[1].shapes if s.has_text_frame)
    expected = summary(sample_database, "--category", "执法监督")
    assert f"{expected['problems']['closure_rate_pct']:.2f}%" in key
    pictures = [shape for slide in slides for shape in slide.shapes if shape.shape_type == 13]  # PICTURE
    charts = [shape for slide in slides for shape in slide.shapes if shape.has_chart]
    assert pictures and charts  # pictures drawn by the server's browser, and editable charts
    assert page.locator(ERRORS).count() == 0
