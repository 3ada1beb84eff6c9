"""The analyst's week in headless Chromium: files dropped through the page's file input, checked, stored;
then who has submitted, and the history. Screenshots (1440×900) go to test-artifacts/desk_*.png.
"""

from __future__ import annotations

from pathlib import Path

import factories as f
import pytest
from conftest import ERRORS, Server, settle

from lingyi.store import Store

pytestmark = pytest.mark.browser

MINZHENG, CAIZHENG = "临沂市民政局", "临沂市财政局"


def to_top(page, text: str) -> None:
    page.get_by_text(text, exact=False).first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)


def shown_words(page, selector: str) -> str:
    """What an element shows in place of its own (English) text: the content of its ::after."""
    return page.locator(selector).first.evaluate("e => getComputedStyle(e, '::after').content").strip('"')


@pytest.fixture
def empty_server(tmp_path, chromium_path):
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    running = Server(url, tmp_path / "streamlit.log")
    yield running, url
    running.stop()


def returns(folder: Path) -> list[Path]:
    good = f.write_xlsx(
        folder / "民政局_2025年10月.xlsx",
        {"学习活动": f.titled(f.learning_rows(3), unit=MINZHENG, period="2025年10月")},
    )
    bad_rows = f.column(f.learning_rows(3, unit=CAIZHENG), "参与人次", [12, "八十", 30])
    bad = f.write_xlsx(folder / "财政局_2025年10月.xlsx", {"学习活动": bad_rows})
    hotline = f.write_csv(folder / "热线_2025年10月.csv", f.hotline_rows([202510], units=[MINZHENG, CAIZHENG]), "gbk")
    return [good, bad, hotline]


def test_returns_dropped_in_the_browser_are_checked_then_the_good_ones_stored(page, empty_server, tmp_path, artifacts):
    server, url = empty_server
    page.goto(f"{server.url}/upload")
    settle(page, "数据上传")
    page.screenshot(path=artifacts / "desk_upload_empty.png")
    assert shown_words(page, '[data-testid="stFileUploaderDropzone"] button p') == "选择文件"
    assert shown_words(page, '[data-testid="stFileUploaderDropzoneInstructions"] span') == (
        "或把文件拖到这里 · 每个文件不超过 50 MB"
    )

    page.locator('input[type="file"]').first.set_input_files([str(p) for p in returns(tmp_path)])
    page.get_by_text("全部入库（2 个可入库文件）").wait_for(timeout=90_000)
    settle(page, "数据上传")
    page.screenshot(path=artifacts / "desk_upload_checked.png")
    assert page.get_by_text("财政局_2025年10月.xlsx — 有错误").count() == 1
    assert page.locator('[data-testid="stTable"]').filter(has_text="无法识别为数字").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    to_top(page, "处错误，整个文件不会入库")
    page.screenshot(path=artifacts / "desk_upload_errors.png")
    assert Store(url).history().empty, "nothing is stored before the click"

    page.get_by_role("button", name="全部入库（2 个可入库文件）").click()
    page.get_by_text("已入库 2 个文件").wait_for(timeout=90_000)
    settle(page, "数据上传")
    page.screenshot(path=artifacts / "desk_upload_stored.png")

    stored = Store(url)
    assert set(stored.history()["file"]) == {"民政局_2025年10月.xlsx", "热线_2025年10月.csv"}
    assert len(stored.current_rows("learning")) == 3
    assert set(stored.current_rows("hotline")["unit"]) == {MINZHENG, CAIZHENG}
    assert page.get_by_text("民政局_2025年10月.xlsx — 无变化").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0


def test_completeness_and_history_on_the_sample_store(page, server, artifacts):
    page.goto(f"{server.url}/completeness")
    settle(page, "报送情况")
    assert page.locator(ERRORS).count() == 0
    page.screenshot(path=artifacts / "desk_completeness.png")
    to_top(page, "逐单位报送情况")
    page.screenshot(path=artifacts / "desk_completeness_grid.png")
    to_top(page, "催报消息")
    message = page.locator("textarea").first.input_value()
    assert message.startswith("请以下单位于") or message.endswith("已全部报送，谢谢各单位支持！")
    page.screenshot(path=artifacts / "desk_completeness_chase.png")

    page.goto(f"{server.url}/manage")
    settle(page, "数据管理")
    assert page.locator(ERRORS).count() == 0
    assert page.get_by_text("条报送记录").count() == 1
    page.screenshot(path=artifacts / "desk_manage.png")
    page.get_by_role("tab", name="单位名录").click()
    page.get_by_text("当前名录共 108 家单位").wait_for(timeout=30_000)  # the tab draws after the click, later when busy
    assert page.get_by_text("当前名录共 108 家单位").count() == 1
    page.screenshot(path=artifacts / "desk_manage_registry.png")


def test_a_ticket_export_dropped_in_the_browser_is_compared_with_a_return_then_stored(
    page, empty_server, tmp_path, artifacts
):
    server, url = empty_server
    typed = f.write_xlsx(
        tmp_path / "民政局热线.xlsx", {"热线指标": [f.HOTLINE_HEADER, [MINZHENG, "2025-10", 9, "60%", "75%", "75%"]]}
    )
    with_return = Store(url)
    from lingyi.intake.ingest import ingest_file

    ingest_file(with_return, typed.read_bytes(), typed.name)
    exported = f.write_xlsx(tmp_path / "12345工单_2025年9-10月.xlsx", {"工单明细": f.HAND_TICKETS})
    page.goto(f"{server.url}/upload")
    settle(page, "数据上传")
    page.locator('input[type="file"]').first.set_input_files([str(exported)])
    page.get_by_text("全部入库（1 个可入库文件）").wait_for(timeout=90_000)
    settle(page, "数据上传")
    assert page.get_by_text("12345工单_2025年9-10月.xlsx — 可入库").count() == 1
    page.get_by_text("12345工单_2025年9-10月.xlsx — 可入库").click()  # a file without errors opens folded
    page.get_by_role("tab", name="工单与报表对照（1）").click()
    page.wait_for_timeout(1000)
    to_top(page, "12345 工单算出的数字与单位报表填报的不同")
    page.screenshot(path=artifacts / "desk_upload_tickets_compared.png")
    assert page.locator(ERRORS).count() == 0

    page.get_by_role("button", name="全部入库（1 个可入库文件）").click()
    page.get_by_text("已入库 1 个文件").wait_for(timeout=90_000)
    settle(page, "数据上传")
    page.screenshot(path=artifacts / "desk_upload_tickets_stored.png")
    rows = Store(url).current_rows("hotline").sort_values("month")
    assert rows["appeals"].tolist() == [2, 6]  # the tickets count (以工单数据为准), not the return's 9
