"""lingyi/ui/tables.py: tables headed in Chinese, searchable, with a download, through Streamlit's own test runner."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


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
