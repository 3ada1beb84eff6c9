"""报送情况: what it reads (live, or a 会议版's as of its freezing) and its unit × month grid."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from lingyi.metrics import completeness
from lingyi.registry import Registry
from lingyi.ui.data import snapshot_dataset, store
from lingyi.ui.state import SHOWN_SNAPSHOT
from lingyi.ui.tables import data_table


def reporting_source() -> tuple[Registry, pd.DataFrame, dt.date]:
    """What 报送情况 reads: the registry, the live submissions and today; or a shown 会议版's, as of its freezing."""
    shown = SHOWN_SNAPSHOT.get()
    if shown is None:
        opened = store()
        return opened.registry(), opened.submissions(), dt.date.today()
    frozen = snapshot_dataset(shown)
    return frozen.registry, frozen.submissions, shown.created_at.date()


def status_grid(report: completeness.Completeness, *, key: str) -> str | None:
    """The unit × month grid in status colours; a click on a row returns that unit's full name."""
    grid = report.grid()
    months = [c for c in grid.columns if c.endswith("月")]
    styled = grid.style.map(
        lambda value: f"background-color: {completeness.STATUS_COLOURS.get(value, 'white')}", subset=months
    )
    event = data_table(
        styled,
        hide_index=True,
        height=420,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        column_order=["单位类别", "单位", *months],
        column_config={
            "单位类别": st.column_config.TextColumn("单位类别", width=80),
            "单位": st.column_config.TextColumn("单位", width=150),
            **{m: st.column_config.TextColumn(m, width=56) for m in months},
        },
    )
    rows = event.selection.rows if event else []
    return grid.iloc[rows[0]]["单位全称"] if rows else None
