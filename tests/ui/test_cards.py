"""lingyi/ui/cards.py: number cards, through Streamlit's own test runner."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


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
