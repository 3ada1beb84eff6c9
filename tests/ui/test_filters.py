"""lingyi/ui/filters.py: unit names typed any way, and what a page says it shows."""

from __future__ import annotations

import ast

import pytest
from streamlit.testing.v1 import AppTest

from lingyi.access import auth
from lingyi.access.auth import Role
from lingyi.intake.ingest import ingest_file
from lingyi.metrics import Scope
from lingyi.ui import filters, state
from ui.apps import PASSWORD, ROOT, as_on_a_server, good_file, sign_in


@pytest.mark.parametrize(
    ("typed", "found", "unknown"),
    [
        (["临沂市民政局"], ["临沂市民政局"], []),
        (["市民政局"], ["临沂市民政局"], []),
        (["民政局"], ["临沂市民政局"], []),
        (["市环保局"], ["临沂市生态环境局"], []),  # an alias that shares no characters' order with the label
        ([" 市人社局 "], ["临沂市人力资源和社会保障局"], []),
        (["市民政局", "民政局"], ["临沂市民政局"], []),  # two names of one unit: one unit
        (["不存在的局"], [], ["不存在的局"]),
    ],
)
def test_a_unit_can_be_named_by_full_name_short_name_or_any_alias(registry, typed, found, unknown):
    assert filters._resolved_units(registry, typed) == (found, unknown)


def test_a_unit_is_labelled_short_name_then_full_name(registry):
    label = filters.unit_label(registry)
    assert label("临沂市民政局") == "市民政局（临沂市民政局）"
    assert label("typed text") == "typed text"


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (Scope(2025, 10), "2025年1—10月 · 全部类别 · 全部单位"),
        (Scope(2025, 1, ("执法监督",)), "2025年1月 · 执法监督 · 全部单位"),
        (Scope(2024, 12, ("执法监督", "社会服务"), ("甲", "乙")), "2024年1—12月 · 执法监督、社会服务 · 甲、乙"),
        (Scope(2025, 6, (), ("甲", "乙", "丙", "丁")), "2025年1—6月 · 全部类别 · 4个单位"),
    ],
)
def test_scope_text_says_what_the_page_shows(scope, expected):
    assert filters.scope_text(scope) == expected


# -- the sidebar draws the filters its page uses -------------------------------------------------------------------


def test_every_page_of_app_py_declares_the_sidebar_filters_it_uses():
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    permissions = next(
        n.value for n in ast.walk(tree) if isinstance(n, ast.Assign) and n.targets[0].id == "PERMISSIONS"
    )
    assert {key.value for key in permissions.keys} == set(filters.SIDEBAR)
    assert all(set(uses) <= set(filters.EVERY_FILTER) for uses in filters.SIDEBAR.values())


@pytest.fixture
def admin_app(app, store, tmp_path, monkeypatch):
    """The dashboard for a signed-in administrator (who may open every page), on a store with one return: the
    sidebar filters need data to filter."""
    as_on_a_server(monkeypatch)
    assert ingest_file(store, good_file(tmp_path).read_bytes(), "民政局.xlsx").outcome.value == "accepted"
    auth.add_user(store, "管理员甲", PASSWORD, Role.ADMIN)
    return sign_in(app, store, "管理员甲", PASSWORD)


def sidebar_labels(at: AppTest) -> list[str]:
    return [w.label for w in [*at.sidebar.selectbox, *at.sidebar.multiselect]]


@pytest.mark.parametrize(
    ("page", "labels"),
    [
        ("pages/overview.py", ["年份", "截至月份", "单位类别", "单位"]),
        ("pages/unit.py", ["年份", "截至月份", "单位"]),
        ("pages/completeness.py", []),
        ("pages/upload.py", []),
        ("pages/manage.py", []),
        ("pages/admin.py", []),
    ],
)
def test_the_sidebar_shows_only_the_filters_the_page_uses(admin_app, page, labels):
    at = admin_app.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert sorted(sidebar_labels(at)) == sorted(labels)
    assert ("筛选" in [m.value.strip("# ") for m in at.sidebar.markdown]) == bool(labels)


def test_a_category_chosen_on_the_overview_is_still_chosen_after_a_page_without_it(admin_app):
    at = admin_app
    at.multiselect(key=state.CATEGORY).set_value(["社会服务"]).run()
    at.switch_page("pages/upload.py").run()
    assert "单位类别" not in sidebar_labels(at)
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    assert at.multiselect(key=state.CATEGORY).value == ["社会服务"]
    assert "社会服务" in at.caption[0].value  # the page's scope says so too
