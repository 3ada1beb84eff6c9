"""lingyi/ui/: unit names typed any way, what a page says it shows, clicks, cards and tables."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lingyi.metrics import Scope
from lingyi.registry import default_registry
from lingyi.ui import charts, filters, state


@pytest.fixture(scope="module")
def registry():
    return default_registry()


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


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([{"customdata": "执法监督"}], "执法监督"),
        ([{"customdata": ["临沂市民政局", "社会服务"]}], "临沂市民政局"),
        ([{"x": 1}, {"customdata": ["国有企业"]}], "国有企业"),
        ([], None),
        ([{"customdata": None}], None),
    ],
)
def test_a_click_names_what_the_first_element_of_customdata_holds(points, expected):
    assert charts._clicked(points) == expected


def test_every_session_state_key_is_declared_once():
    keys = [
        state.YEAR,
        state.THROUGH,
        state.CATEGORY,
        state.UNIT,
        state.PROFILE_UNIT,
        state.LEARNING_MEASURE,
        state.HOTLINE_RATE,
    ]
    assert len(set(keys)) == len(keys)
    assert all(key.isascii() and key.isidentifier() for key in keys)  # they are also query parameters


# -- elements, through Streamlit's own test runner ------------------------------------------------------------------


def cards_app():
    from lingyi.ui import cards

    cards.card("一次性办好率", "88.15%", delta="+2.90 个百分点", note="较上年同期")
    cards.card("群众满意率", "94.78%", delta="0.00 个百分点", note="较上年同期")
    cards.card("诉求量", "12.37万 件", delta="-20.01%", lower_is_better=True, note="同比")
    cards.card("问题解决率", "91.43%", delta="无数据", note="较上年同期")
    cards.closure_card(0.8686)


def test_cards_show_the_delta_text_and_its_comparison():
    at = AppTest.from_function(cards_app).run()
    assert not at.exception
    shown = {m.label: (m.value, m.delta) for m in at.metric}
    assert shown["一次性办好率"] == ("88.15%", "+2.90 个百分点")
    assert shown["诉求量"] == ("12.37万 件", "-20.01%")
    assert shown["问题解决率"] == ("91.43%", "")  # no number to compare with: no arrow at all
    assert shown["化解率（目标90%）"] == ("86.86%", "-3.14 个百分点")
    protos = {m.label: m.proto for m in at.metric}
    assert protos["诉求量"].color == protos["一次性办好率"].color  # fewer appeals is good: green like a rise in a rate
    assert protos["群众满意率"].color != protos["一次性办好率"].color  # no change: neither green nor red


def table_app():
    import pandas as pd

    from lingyi.ui import tables

    frame = pd.DataFrame(
        {
            "short_name": ["市民政局", "市公安局", "市教育局"],
            "category": ["社会服务", "执法监督", "社会服务"],
            "found": [10, 8, 4],
            "closure_rate": [0.9, 0.5, None],
        }
    )
    tables.table(frame, key="t", columns=("short_name", "category", "found", "closure_rate"), file_name="t.xlsx")


def test_table_heads_columns_in_chinese_shows_rates_as_percentages_and_offers_a_download():
    at = AppTest.from_function(table_app).run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert list(shown.columns) == ["单位", "类别", "发现问题", "化解率（%）"]
    assert list(shown["化解率（%）"].iloc[:2]) == [90.0, 50.0]
    assert len(at.get("download_button")) == 1
    assert at.caption[0].value == "共 3 行"


def test_table_search_keeps_the_rows_that_mention_the_words():
    at = AppTest.from_function(table_app).run()
    at.text_input(key="t_search").input("社会服务").run()
    assert list(at.dataframe[0].value["单位"]) == ["市民政局", "市教育局"]
    assert at.caption[0].value == "共 2 行"
