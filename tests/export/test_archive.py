"""lingyi/export/archive.py: the 月报 on record, frozen by ``briefing --monthly``, listed latest month first with
their frozen figures, and their files built again from those figures."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from cli.test_monthly import one_unit_store, send
from docx import Document
from factories import stand_in_picture
from pptx import Presentation

from lingyi import metrics
from lingyi.__main__ import main
from lingyi.cli import monthly
from lingyi.export import archive
from lingyi.export.content import chinese_date
from lingyi.figures.theme import count_text
from lingyi.metrics import snapshots


def summary(store, capsys, through: str) -> dict:
    """What ``python -m lingyi summary --json`` prints for 2025 through ``through``."""
    assert main(["summary", "--json", "--db", store.url, "--year", "2025", "--through", through]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def two_months(store, tmp_path, capsys, stand_in_pictures):
    """September and October 2025 briefed by ``briefing --monthly`` on the 5th of the month after, a 会议版 of
    another name beside them, and a correction of October after it was frozen; → (store, folder, summaries)."""
    one_unit_store(store)
    folder = tmp_path / "简报"
    send(store, 202509, "learning", "hotline")
    assert monthly.make_monthly(store, folder, today=dt.date(2025, 10, 5)).created
    september = summary(store, capsys, "2025-09")
    send(store, 202510, "learning", "hotline")
    assert monthly.make_monthly(store, folder, today=dt.date(2025, 11, 5)).created
    october = summary(store, capsys, "2025-10")
    snapshots.create(store, "十月例会", metrics.Scope(2025, 10), user="test")
    send(store, 202510, "learning", seed=7)  # after the freeze: other figures for October
    assert summary(store, capsys, "2025-10") != october
    return store, folder, {"月报 2025年10月": october, "月报 2025年9月": september}


def test_the_archive_lists_the_monthly_briefings_latest_month_first_with_their_frozen_figures(two_months):
    store, _, frozen = two_months
    listed = archive.listed(store)
    assert [m.name for m in listed] == ["月报 2025年10月", "月报 2025年9月"]  # not 「十月例会」
    assert [m.month for m in listed] == ["2025年10月", "2025年9月"]
    assert {m.name: m.figures for m in listed} == frozen
    october = archive.key_figures(listed[0])
    said = frozen["月报 2025年10月"]
    assert october["统计范围"] == "2025年1—10月"
    assert october["报送单位"] == f"{said['units']['reporting']}/{said['units']['registered']}"
    assert october["诉求量（件）"] == count_text(said["hotline"]["appeals"])
    assert october["群众满意率"] == f"{said['hotline']['satisfaction_rate_pct']:.2f}%"
    assert october["化解率"] == "无数据"  # no problem ledger was sent
    assert list(october) == [
        "统计范围",
        "报送单位",
        "参与人次",
        "诉求量（件）",
        "一次性办好率",
        "问题解决率",
        "群众满意率",
        "化解率",
    ]


def test_a_monthly_briefings_files_are_the_ones_the_command_wrote_and_open(two_months):
    store, folder, _ = two_months
    october = archive.listed(store)[0]
    made = archive.monthly_briefing(october.snapshot, snapshots.dataset(store, october.snapshot))
    assert made.title == "学习型机关建设情况月报（2025年10月）"
    assert made.date == october.frozen_at.date()

    slides = Presentation(io.BytesIO(archive.file_bytes(made, ".pptx", picture=stand_in_picture)))
    title = " ".join(shape.text_frame.text for shape in slides.slides[0].shapes if shape.has_text_frame)
    assert made.title in title and chinese_date(october.frozen_at.date()) in title
    assert len(slides.slides) >= 3

    report = Document(io.BytesIO(archive.file_bytes(made, ".docx", picture=stand_in_picture)))
    written = Document(folder / "月报_2025年10月.docx")  # by ``briefing --monthly``, before the correction
    assert [p.text for p in report.paragraphs] == [p.text for p in written.paragraphs]

    with zipfile.ZipFile(io.BytesIO(archive.file_bytes(made, ".zip", picture=stand_in_picture))) as pictures_zip:
        names = pictures_zip.namelist()
    assert len(names) == len(made.charts) and all(name.endswith(".png") for name in names)


def test_without_pictures_the_slides_keep_their_native_charts(two_months):
    store, _, _ = two_months
    october = archive.listed(store)[0].snapshot
    made = archive.monthly_briefing(october, snapshots.dataset(store, october))
    slides = Presentation(io.BytesIO(archive.file_bytes(made, ".pptx", picture=None)))
    native = [chart for chart in made.charts if chart.native is not None]
    assert 0 < len(native) < len(made.charts)  # the cumulative chart, on two value axes, is a picture
    assert len(slides.slides) == 2 + len(native)


def test_a_store_without_monthly_briefings_lists_none(store):
    snapshots.create(store, "十月例会", metrics.Scope(2025, 10), user="test")
    assert archive.listed(store) == []
    assert archive.monthly_name(2025, 10) == "月报 2025年10月"
    assert archive.file_name("月报 2025年10月", ".pptx") == "月报_2025年10月.pptx"
