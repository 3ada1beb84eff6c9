"""往期简报 on the 简报导出 page: every 月报 on record with its frozen figures, and one chosen 月报's files.

The list is read afresh on every run (one query: a 月报 frozen overnight by ``briefing --monthly`` shows at once).
A 月报's files are built only when a download button is clicked, from its 会议版 as frozen, and kept: a 月报 never
changes, so the second download of the same file is immediate.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lingyi.export import archive, formats
from lingyi.figures import pictures
from lingyi.metrics import snapshots
from lingyi.ui import data, tables

PICK = "archive_month"  # the 月报 whose files are offered
EMPTY = "尚无往期月报；每月 5 日由 `python -m lingyi briefing --monthly` 生成，生成后在此列出，可随时下载。"


@st.cache_data(max_entries=6, show_spinner=False)
def _file(url: str, snapshot_id: int, frozen_at: str, suffix: str, with_pictures: bool) -> bytes:
    """One file of one 月报; ``url``, ``snapshot_id`` and ``frozen_at`` name the 会议版 it is built from."""
    (found,) = [s for s in snapshots.listed(data.store()) if s.id == snapshot_id]
    made = archive.monthly_briefing(found, data.snapshot_dataset(found))
    return archive.file_bytes(made, suffix, picture=pictures.png if with_pictures else None)


def monthly_file(snapshot: snapshots.Snapshot, suffix: str, *, with_pictures: bool) -> bytes:
    """One file of a 月报, built once: what its download button hands the browser when clicked."""
    return _file(data.store().url, snapshot.id, str(snapshot.created_at), suffix, with_pictures)


def _table(listed: list[archive.Monthly]) -> pd.DataFrame:
    """One row per 月报; its name says its month, 统计范围 the months its figures count (1—10月)."""
    rows = [{"名称": m.name, "冻结于": f"{m.frozen_at:%Y-%m-%d %H:%M}", **archive.key_figures(m)} for m in listed]
    return pd.DataFrame(rows)


def monthly_archive(*, with_pictures: bool) -> None:
    """The 往期简报 section: one row per 月报 with the figures it froze, then the files of the one picked."""
    st.subheader("往期简报", anchor=False)
    listed = archive.listed(data.store())
    if not listed:
        st.info(EMPTY, icon=":material/inventory_2:")
        return
    st.caption("每份月报是冻结时的会议版：下列数字和下载的文件都按冻结时的数据，此后的补报与更正不改变它们。")
    tables.data_table(_table(listed), hide_index=True, width="stretch")
    by_name = {m.name: m for m in listed}
    chosen = by_name[st.selectbox("下载哪一份月报", list(by_name), key=PICK)]
    snapshot = chosen.snapshot  # the one chosen on this run, whenever a button is clicked
    for column, suffix in zip(st.columns(len(archive.SUFFIXES)), archive.SUFFIXES, strict=True):
        fmt = formats.FORMATS[suffix]
        column.download_button(
            f"下载{fmt.label}",
            data=lambda suffix=suffix: monthly_file(snapshot, suffix, with_pictures=with_pictures),
            file_name=archive.file_name(chosen.name, suffix),
            mime=fmt.mime,
            icon=":material/download:",
            on_click="ignore",
            disabled=fmt.needs_pictures and not with_pictures,
            key=f"archive_{suffix[1:]}",
            width="stretch",
        )
