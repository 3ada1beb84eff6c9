"""The store and what is read from it, once per data stamp (``Store.data_stamp``: which database, which version)
and shared by every session (``st.cache_resource``): the dataset, the submission history, the 会议版 and their
comparison with the live store. Freezing or deleting a 会议版 is a write like any other, so the list moves with the
stamp even when the monthly job freezes one in another process."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lingyi import metrics
from lingyi.metrics import snapshots
from lingyi.store import Store, default_url, kind_name
from lingyi.values import month_label


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:
    return Store(url)


@st.cache_resource(max_entries=2, show_spinner="正在读取数据…")
def _load_dataset(url: str, data_stamp: str) -> metrics.Dataset:
    """The whole dataset of one data version; a new version (any upload, restore or delete) reads afresh.

    One object shared by every session, not a copy per run (as ``st.cache_data`` would hand out): nothing
    changes a Dataset after loading, and the figures it remembers per scope then serve every leader.
    """
    return metrics.load(_open_store(url))


def store() -> Store:
    """The store at LINGYI_DATABASE_URL, or the default SQLite file (scripts/start.sh points 演示模式 at data/demo.db)."""
    return _open_store(default_url())


def dataset() -> metrics.Dataset:
    opened = store()
    return _load_dataset(opened.url, opened.data_stamp())


def data_changed() -> None:
    """Forget every cached read; call after writing to the store."""
    _load_dataset.clear()
    _history.clear()
    _snapshot_list.clear()


@st.cache_data(max_entries=4, show_spinner=False)
def _history(url: str, data_stamp: str) -> pd.DataFrame:
    return _open_store(url).history()


def submission_history() -> pd.DataFrame:
    """Every submission, newest first (``Store.history``), read once per data version."""
    opened = store()
    return _history(opened.url, opened.data_stamp())


def unit_history(unit: str) -> pd.DataFrame:
    """One unit's submissions, newest first, as people read them: 报表, 报送期间 and whether it still counts."""
    frame = submission_history()
    frame = frame[frame["unit"] == unit].copy()
    frame["kind"] = frame["kind"].map(kind_name)
    frame["submitted_for"] = [
        month_label(start) if start == end else f"{month_label(start)} 至 {month_label(end)}"
        for start, end in zip(frame["period_start"], frame["period_end"])
    ]
    frame["state"] = [
        "已撤销" if deleted else (f"已被 #{int(later)} 替代" if pd.notna(later) and later else "当前有效")
        for deleted, later in zip(frame["deleted"], frame["replaced_by"])
    ]
    return frame


@st.cache_resource(max_entries=2, show_spinner=False)
def _snapshot_list(url: str, data_stamp: str) -> list[snapshots.Snapshot]:
    return snapshots.listed(_open_store(url))


def snapshot_list() -> list[snapshots.Snapshot]:
    """The 会议版, newest first, read once per data stamp."""
    opened = store()
    return _snapshot_list(opened.url, opened.data_stamp())


@st.cache_resource(max_entries=4, show_spinner="正在读取会议版…")
def _snapshot_dataset(url: str, snapshot_id: int, frozen_at: str) -> metrics.Dataset:
    """A 会议版's dataset, shared like the live one; it never changes, so it is kept until pushed out."""
    opened = _open_store(url)
    (found,) = [s for s in snapshots.listed(opened) if s.id == snapshot_id]
    return snapshots.dataset(opened, found)


@st.cache_resource(max_entries=4, show_spinner="正在与当前数据对比…")
def cached_comparison(url: str, snapshot_id: int, data_stamp: str) -> snapshots.Comparison:
    opened = _open_store(url)
    (found,) = [s for s in snapshots.listed(opened) if s.id == snapshot_id]
    frozen = _snapshot_dataset(url, found.id, str(found.created_at))
    return snapshots.compare(opened, found, live=_load_dataset(url, data_stamp), frozen=frozen)


def snapshot_dataset(snapshot: snapshots.Snapshot) -> metrics.Dataset:
    return _snapshot_dataset(store().url, snapshot.id, str(snapshot.created_at))
