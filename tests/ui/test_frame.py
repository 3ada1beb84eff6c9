"""lingyi/ui/frame.py: the frame of the desk pages — 数据上传, 报送情况, 数据管理 — each listed in app.py and running on an
empty store."""

from __future__ import annotations

import ast

import pytest

from ui.apps import DESK, ROOT, ran_cleanly


def test_every_desk_page_of_app_py_is_tested_here():
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    pages = next(n.value for n in ast.walk(tree) if isinstance(n, ast.Assign) and n.targets[0].id == "PAGES")
    data = pages.values[[key.value for key in pages.keys].index("数据")]
    listed = {call.args[0].value: {k.arg: k.value.value for k in call.keywords} for call in data.elts}
    assert {page: options["title"] for page, options in listed.items()} == DESK
    for page, options in listed.items():
        assert page.isascii() and options["url_path"].isascii()
        assert options["icon"].startswith(":material/")


@pytest.mark.parametrize("page", list(DESK))
def test_every_desk_page_runs_on_an_empty_store_and_says_what_to_do(open_page, page):
    at = open_page(page)
    ran_cleanly(at)
    assert at.title[0].value == DESK[page]
    assert not at.error
