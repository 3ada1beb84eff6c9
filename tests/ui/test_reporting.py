"""lingyi/ui/reporting.py: 报送情况 through AppTest, on returns stored on chosen days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lingyi.intake.ingest import ingest_file
from lingyi.metrics import completeness
from lingyi.store import Store
from ui.apps import CAIZHENG, MINZHENG, good_file, ran_cleanly


@pytest.fixture
def store(desk_store: Store) -> Store:
    """The desk pages run on a SQLite store of their own (tests/ui/conftest.py)."""
    return desk_store


def submitted_store(tmp_path: Path, store: Store, monkeypatch) -> None:
    """October returns of two units on time (3 November); September of one unit late (20 October)."""
    sent = ((MINZHENG, 202510, "2025-11-03"), (CAIZHENG, 202510, "2025-11-03"), (MINZHENG, 202509, "2025-10-20"))
    for unit, month, stamp in sent:
        with monkeypatch.context() as patch:
            patch.setattr("lingyi.store.submissions.now", lambda stamp=stamp: dt.datetime.fromisoformat(stamp))
            data = good_file(tmp_path, unit, month).read_bytes()
            assert ingest_file(store, data, f"{unit}_{month}.xlsx").outcome.value == "accepted"


@pytest.fixture
def completeness_page(open_page, tmp_path, store, monkeypatch):
    submitted_store(tmp_path, store, monkeypatch)
    at = open_page("pages/completeness.py")
    at.selectbox(key="completeness_year").set_value(2025)
    at.selectbox(key="completeness_kind").set_value("learning")
    at.selectbox(key="completeness_month").set_value(10)
    return at.run()


def test_completeness_counts_x_of_108_per_month_and_category(completeness_page):
    at = completeness_page
    ran_cleanly(at)
    months = at.dataframe[0].value.set_index("项目")
    assert months.loc["已报/单位数", "10月"] == "2/108"
    assert months.loc["已报/单位数", "9月"] == "1/108"
    assert months.loc[completeness.ON_TIME, "10月"] == "2"
    assert months.loc[completeness.LATE, "9月"] == "1"
    assert months.loc[completeness.MISSING, "10月"] == "106"
    categories = at.dataframe[1].value.set_index("单位类别")
    assert categories.loc["社会服务", "10月"] == "1/20"
    assert categories.loc["经济发展", "10月"] == "1/24"


def test_completeness_grid_shows_every_unit_with_its_status(completeness_page):
    grid = completeness_page.dataframe[2].value.set_index("单位全称")
    assert len(grid) == 108
    assert grid.loc[MINZHENG, "10月"] == completeness.ON_TIME
    assert grid.loc[MINZHENG, "9月"] == completeness.LATE
    assert grid.loc[CAIZHENG, "9月"] == completeness.MISSING


def test_chase_list_and_message_name_the_units_still_missing(completeness_page):
    at = completeness_page
    missing = at.dataframe[3].value
    assert len(missing) == 106
    assert MINZHENG not in set(missing["单位全称"])
    message = at.text_area[0].value
    assert message.startswith("请以下单位于")
    assert "报送2025年10月学习活动报表（目前已报 2/108 家，尚有 106 家未报）" in message
    assert "市民政局" not in message and "市财政局" not in message
    assert any(b.label == "下载催报名单（106 家）" for b in at.get("download_button"))


def test_clicking_a_unit_shows_its_submissions(completeness_page):
    at = completeness_page
    grid = at.dataframe[2].value
    row = int(grid.index[grid["单位全称"] == MINZHENG][0])
    at.session_state["completeness_grid"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    ran_cleanly(at)
    assert "**市民政局（临沂市民政局）** 的学习活动报送记录" in [m.value for m in at.markdown]
    mine = at.dataframe[3].value
    assert sorted(mine["期间"]) == ["2025年10月", "2025年9月"]
