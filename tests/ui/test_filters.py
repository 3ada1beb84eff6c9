"""lingyi/ui/filters.py: unit names typed any way, and what a page says it shows."""

from __future__ import annotations

import pytest

from lingyi.metrics import Scope
from lingyi.ui import filters


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
    label = filters._unit_label(registry)
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
