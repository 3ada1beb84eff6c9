"""Nothing in English on screen: every visible text of every page, Streamlit's own words included (lingyi/access/web.py).

Chart toolbars speak Chinese through Plotly's own ``locales`` (charts.PLOTLY_WORDS). Allowed are what is English by
nature: file names and file kinds (.xlsx, Excel, PNG …), units (MB, KB), key names
(Ctrl+C), and commands shown as code for an administrator to type. Material icons are drawn from their English
names (「upload_file」) but show as pictures, so they are not text a person reads.
"""

from __future__ import annotations

import re

import factories as f
import pytest
from conftest import PASSWORD, Server, settle, sign_in
from playwright.sync_api import expect
from sample_store import sample_database_copy

from lingyi.access import auth
from lingyi.access.auth import Role
from lingyi.store import Store

pytestmark = pytest.mark.browser
PAGES = [
    "",
    "learning",
    "hotline",
    "problems",
    "indicators",
    "unit",
    "upload",
    "completeness",
    "manage",
    "briefing",
    "admin",
]

# Every text node a person can see, and the placeholder of every visible empty field.
VISIBLE_TEXTS = r"""() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.nodeValue.trim(), element = node.parentElement;
    if (!text || !element || element.closest("code, script, style")) continue;
    if (!element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const box = element.getBoundingClientRect(), style = getComputedStyle(element);
    if (box.width <= 1 || box.height <= 1 || box.right <= 0 || box.bottom <= 0) continue;
    if (parseFloat(style.fontSize) === 0 || /Material/.test(style.fontFamily)) continue;
    texts.push(text);
  }
  for (const field of document.querySelectorAll("input[placeholder], textarea[placeholder]")) {
    if (field.value === "" && field.checkVisibility()) texts.push(field.placeholder);
  }
  for (const button of document.querySelectorAll("[data-title]")) {  // a chart toolbar's tooltips
    if (button.checkVisibility({ checkOpacity: true })) texts.push(button.dataset.title);
  }
  for (const element of document.querySelectorAll("[aria-label], [aria-valuetext]")) {  // what a screen reader says
    if (!element.checkVisibility()) continue;
    for (const name of ["aria-label", "aria-valuetext"]) if (element.hasAttribute(name)) texts.push(element.getAttribute(name));
  }
  return texts;
}"""
FILE_NAME = re.compile(r"[\w./-]*\.(xlsx|xlsm|xls|ods|csv|pptx|docx|png|zip|db)\b", re.IGNORECASE)
ALLOWED = {"excel", "word", "ppt", "pptx", "docx", "png", "csv", "xlsx", "xls", "ods", "zip", "mb", "kb", "ctrl", "sha"}


def english_words(texts: list[str]) -> set[str]:
    words = set()
    for text in texts:
        for word in re.findall(r"[A-Za-z]{2,}", FILE_NAME.sub(" ", text)):
            if word.lower() not in ALLOWED:
                words.add(f"{word} ← {text[:80]}")
    return words


@pytest.fixture
def admin_server(tmp_path, chromium_path):
    url = sample_database_copy(tmp_path)
    store = Store(url)
    auth.add_user(store, "管理员甲", PASSWORD, Role.ADMIN, by="cli")
    store.close()
    running = Server(url, tmp_path / "streamlit.log", demo=False)
    yield running
    running.stop()


def settled(page) -> None:
    """Wait for the page's title and for Streamlit to stop running (conftest.settle)."""
    heading = page.locator('[data-testid="stMain"] h1').first
    heading.wait_for(timeout=60_000)
    settle(page, heading.inner_text())


def test_no_page_shows_english_not_even_streamlits_own(page, admin_server, tmp_path):
    page.goto(admin_server.url)
    page.get_by_role("button", name="登录", exact=True).wait_for(timeout=60_000)
    found = {"登录": english_words(page.evaluate(VISIBLE_TEXTS))}
    sign_in(page, "管理员甲")
    for path in PAGES:
        page.goto(f"{admin_server.url}/{path}")
        page.get_by_role("button", name="退出登录").wait_for(timeout=60_000)
        settled(page)
        found[path or "总览"] = english_words(page.evaluate(VISIBLE_TEXTS))
        if not path:  # the toolbar of a chart shows while the pointer is over it
            page.locator(".js-plotly-plot").first.hover()
            page.locator(".modebar-btn").first.wait_for(state="visible", timeout=30_000)
            found["图表工具栏"] = english_words(page.evaluate(VISIBLE_TEXTS))
    page.goto(admin_server.url)  # a unit typed that the list does not have
    settled(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.keyboard.type("没有这个单位")
    page.get_by_text("没有匹配项").first.wait_for(timeout=30_000)
    found["单位筛选（无匹配）"] = english_words(page.evaluate(VISIBLE_TEXTS))
    page.keyboard.press("Escape")
    page.goto(f"{admin_server.url}/manage")  # a data table's column menu
    settled(page)
    table = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    page.mouse.move(table["x"] + 200, table["y"] + 18)
    page.mouse.click(table["x"] + 212, table["y"] + 18)
    page.get_by_text("升序排列").wait_for(timeout=30_000)
    found["表格的列菜单"] = english_words(page.evaluate(VISIBLE_TEXTS))
    page.keyboard.press("Escape")
    page.goto(f"{admin_server.url}/completeness")  # a date picker, opened
    settled(page)
    page.locator('[data-testid="stDateInput"] button').first.click()
    page.locator('[role="dialog"] [role="grid"]').first.wait_for(timeout=30_000)
    found["日期选择"] = english_words(page.evaluate(VISIBLE_TEXTS))
    page.keyboard.press("Escape")
    page.goto(f"{admin_server.url}/upload")  # with files chosen: their list, verdicts, findings and previews
    settled(page)
    good = f.write_xlsx(
        tmp_path / "民政局_2025年10月.xlsx", {"学习活动": f.titled(f.learning_rows(3), period="2025年10月")}
    )
    bad = f.write_xlsx(
        tmp_path / "财政局.xlsx", {"学习活动": f.column(f.learning_rows(3), "参与人次", [12, "八十", 30])}
    )
    page.locator('input[type="file"]').first.set_input_files([str(good), str(bad)])
    page.get_by_text("全部入库（1 个可入库文件）").wait_for(timeout=90_000)
    settled(page)
    found["数据上传（已选文件）"] = english_words(page.evaluate(VISIBLE_TEXTS))

    page.locator('[data-testid="stMainMenu"]').click()
    expect(page.get_by_role("menuitem", name="打印")).to_be_visible()
    found["主菜单"] = english_words(page.evaluate(VISIBLE_TEXTS))
    page.keyboard.press("Escape")

    page.goto(f"{admin_server.url}/no-such-page")
    page.get_by_text("没有这个页面").wait_for(timeout=60_000)
    found["不存在的页面"] = english_words(page.evaluate(VISIBLE_TEXTS))

    admin_server.stop()  # the connection is lost: Streamlit says so in a dialog
    page.get_by_text("连接中断").wait_for(timeout=60_000)
    found["连接中断"] = english_words(page.evaluate(VISIBLE_TEXTS))
    assert {where: words for where, words in found.items() if words} == {}


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Running...", "正在运行…"),
        ("Please wait...", "请稍候…"),
        ("Connecting", "正在连接"),
        ("200MB per file • XLSX, CSV", "每个文件不超过 200 MB • XLSX, CSV"),
        ("Browse files", "选择文件"),
        ("Made with Streamlit v", ""),
        ("This app has encountered an error. The original error message is redacted.", "页面出错了"),
        ("交办 Running... 不是 Streamlit 的原话", "交办 Running... 不是 Streamlit 的原话"),
    ],
)
def test_streamlits_own_words_are_put_in_chinese_wherever_they_appear(page, server, english, chinese):
    """Words Streamlit shows only for a moment (while a page runs) or on trouble, written into the page here."""
    page.goto(server.url)
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    shown = page.evaluate(
        """(english) => new Promise((resolve) => {
          const element = document.createElement("div");
          document.body.appendChild(element);
          element.textContent = english;
          requestAnimationFrame(() => setTimeout(() => resolve(element.textContent), 0));
        })""",
        english,
    )
    assert shown.startswith(chinese) if chinese else shown == ""
