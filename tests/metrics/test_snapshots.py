"""lingyi/metrics/snapshots.py: 会议版 — a scope frozen as shown at a meeting, that later uploads, restores and
withdrawals never change, and its comparison with today's store."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import (
    HAND_TICKETS,
    HOTLINE_HEADER,
    OTHER_UNIT,
    UNIT,
    hotline_rows,
    indicator_rows,
    learning_rows,
    problem_rows,
    write_xlsx,
)

from lingyi import metrics
from lingyi.errors import StoreError
from lingyi.intake.ingest import Outcome, ingest_file
from lingyi.metrics import snapshots
from lingyi.store import Store
from lingyi.store.backup import restore_backup, write_backup

SCOPE = metrics.Scope(2025, 10)


def send(store: Store, folder: Path, name: str, sheets: dict) -> None:
    """Ingest one workbook, which must be accepted."""
    path = write_xlsx(folder / name, sheets)
    result = ingest_file(store, path.read_bytes(), path.name)
    assert result.outcome is Outcome.ACCEPTED, [str(f) for f in result.findings]


def hotline(units=(UNIT, OTHER_UNIT), *, seed: int = 1) -> dict:
    return {"热线指标": hotline_rows((202509, 202510), units=units, seed=seed)}


@pytest.fixture
def meeting(store: Store, tmp_path: Path) -> snapshots.Snapshot:
    """A store with two units' hotline months, learning and problems, frozen as 「十月例会」."""
    send(store, tmp_path, "热线10月.xlsx", hotline())
    send(store, tmp_path, "民政局学习.xlsx", {"学习活动": learning_rows(4, unit=UNIT)})
    send(store, tmp_path, "民政局问题.xlsx", {"问题清单": problem_rows(3, unit=UNIT)})
    return snapshots.create(store, "十月例会", SCOPE, user="张三")


def ids_of(store: Store, file: str) -> list[int]:
    """The submissions a file made, in id order (one per unit of a hotline file)."""
    history = store.history()
    return sorted(int(i) for i in history[history["file"] == file]["id"])


def live_summary(store: Store, scope: metrics.Scope = SCOPE) -> dict:
    return metrics.summary(metrics.load(store), scope)


def frozen_summary(store: Store, snapshot: snapshots.Snapshot) -> dict:
    return metrics.summary(snapshots.dataset(store, snapshot), snapshot.scope)


def test_a_snapshot_records_the_figures_of_its_scope_as_they_stood(store, meeting):
    assert meeting.figures == live_summary(store)
    assert frozen_summary(store, meeting) == meeting.figures
    assert meeting.scope == SCOPE
    assert meeting.submissions == 4  # a submission per unit of the hotline file, learning, problems
    assert meeting.created_by == "张三"


def test_a_snapshot_is_labelled_with_its_name_and_freezing_time(meeting):
    assert meeting.label == f"会议版：十月例会（冻结于 {meeting.created_at:%Y-%m-%d %H:%M}）"


def test_a_resubmission_moves_the_live_figures_but_not_the_snapshot(store, meeting, tmp_path):
    before = meeting.figures["hotline"]["appeals"]
    send(store, tmp_path, "热线10月更正.xlsx", hotline(seed=99))
    live = live_summary(store)["hotline"]["appeals"]
    assert live != before
    again = snapshots.find(store, "十月例会")
    assert again.figures["hotline"]["appeals"] == before
    assert frozen_summary(store, again)["hotline"]["appeals"] == before


def test_withdrawing_or_restoring_a_submission_never_changes_a_snapshot(store, meeting, tmp_path):
    send(store, tmp_path, "热线10月更正.xlsx", hotline(seed=99))
    later = snapshots.create(store, "更正后", SCOPE)
    corrected = later.figures["hotline"]["appeals"]
    for first in ids_of(store, "热线10月.xlsx"):
        store.restore(first)  # the first version counts again, with a seq above the correction's
    assert live_summary(store)["hotline"]["appeals"] == meeting.figures["hotline"]["appeals"]
    assert frozen_summary(store, later)["hotline"]["appeals"] == corrected
    for first in ids_of(store, "热线10月.xlsx"):
        store.delete(first)
    (learning,) = ids_of(store, "民政局学习.xlsx")
    store.delete(learning)
    assert live_summary(store)["learning"]["activities"] == 0
    assert frozen_summary(store, meeting) == meeting.figures
    assert frozen_summary(store, later) == later.figures


def test_a_snapshot_keeps_the_categories_and_units_it_was_frozen_for(store, meeting, tmp_path):
    scope = metrics.Scope(2025, 9, units=(UNIT,))
    narrow = snapshots.create(store, "民政局九月", scope)
    assert snapshots.find(store, "民政局九月").scope == scope
    assert narrow.figures == live_summary(store, scope)
    assert narrow.figures["units"]["registered"] == 1


def test_snapshots_are_listed_newest_first(store, meeting):
    snapshots.create(store, "十一月例会", metrics.Scope(2025, 9))
    assert [s.name for s in snapshots.listed(store)] == ["十一月例会", "十月例会"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "请给会议版起一个名称"),
        ("   ", "请给会议版起一个名称"),
        ("会" * 65, "最多 64 个字"),
        ("当前数据", "「当前数据」指实时数据"),
        ("十月例会", "已有名为「十月例会」"),
    ],
)
def test_a_bad_or_taken_name_is_refused_with_a_reason(store, meeting, name, message):
    with pytest.raises(StoreError, match=message):
        snapshots.create(store, name, SCOPE)
    assert [s.name for s in snapshots.listed(store)] == ["十月例会"]


def test_an_unknown_snapshot_is_named_with_those_there_are(store, meeting):
    with pytest.raises(StoreError, match="没有名为「九月例会」的会议版。已有：十月例会"):
        snapshots.find(store, "九月例会")


def test_freezing_and_deleting_are_in_the_audit_log(store, meeting):
    snapshots.delete(store, "十月例会", user="李四")
    log = store.audit_log()
    deleted, frozen = log.iloc[0], log.iloc[1]
    assert (frozen["user"], frozen["action_name"]) == ("张三", "冻结会议版")
    assert frozen["note"] == "会议版「十月例会」：2025年1—10月 · 全部类别 · 全部单位，冻结报送 4 次"
    assert (deleted["user"], deleted["action_name"]) == ("李四", "删除会议版")
    assert deleted["note"].startswith("删除会议版「十月例会」（冻结于 ")
    assert snapshots.listed(store) == []


def test_deleting_a_snapshot_leaves_the_submissions(store, meeting):
    before = store.history()
    snapshots.delete(store, "十月例会")
    assert store.history().equals(before)
    assert live_summary(store) == meeting.figures


def test_snapshots_survive_a_backup_and_restore(store, meeting, tmp_path):
    send(store, tmp_path, "热线10月更正.xlsx", hotline(seed=99))
    write_backup(store, tmp_path / "备份.zip")
    copy = Store(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        restore_backup(copy, tmp_path / "备份.zip")
        (restored,) = snapshots.listed(copy)
        assert (restored.name, restored.label, restored.scope) == (meeting.name, meeting.label, meeting.scope)
        assert restored.figures == meeting.figures
        assert frozen_summary(copy, restored) == meeting.figures
        assert live_summary(copy) == live_summary(store) != meeting.figures
    finally:
        copy.close()


# -- comparison --------------------------------------------------------------------------------------------------


def test_an_unchanged_store_compares_as_unchanged(store, meeting):
    comparison = snapshots.compare(store, meeting)
    assert comparison.unchanged
    assert comparison.causes.empty


def test_a_comparison_names_the_figures_that_moved_and_by_how_much(store, meeting, tmp_path):
    send(store, tmp_path, "热线10月更正.xlsx", hotline(seed=99))
    now = live_summary(store)["hotline"]
    comparison = snapshots.compare(store, meeting)
    moved = snapshots.figure_table(comparison).set_index("数字")
    appeals = moved.loc["12345热线 · 诉求量（件）"]
    then = meeting.figures["hotline"]["appeals"]
    assert (appeals["会议版"], appeals["当前"], appeals["变化"]) == (then, now["appeals"], now["appeals"] - then)
    assert not any(name.startswith(("学习活动", "问题化解")) for name in moved.index)


def test_a_comparison_names_indicator_figures_in_words(store, meeting, tmp_path):
    send(store, tmp_path, "民政局指标.xlsx", {"指标完成": indicator_rows()})
    moved = snapshots.figure_table(snapshots.compare(store, meeting)).set_index("数字")
    assert moved.loc["指标完成 · 报送指标（项）", ["会议版", "当前", "变化"]].tolist() == [0, 2, 2]
    # 理论学习中心组学习次数 10 of 12 (not met); 群众投诉件数 15 against 20, 越低越好 (met)
    assert moved.loc["指标完成 · 个性指标 · 达标指标（项）", ["会议版", "当前"]].tolist() == [0, 1]
    assert moved.loc["指标完成 · 达标率（%）", ["会议版", "当前"]].tolist() == [None, 50.0]


def test_a_comparison_names_the_submissions_behind_the_change(store, meeting, tmp_path):
    send(store, tmp_path, "热线10月更正.xlsx", hotline(seed=99))
    # November's learning came too: it moves no figure of January to October, so it is not a cause.
    send(store, tmp_path, "民政局学习补报.xlsx", {"学习活动": learning_rows(2, unit=UNIT, month=202511)})
    first, correction = ids_of(store, "热线10月.xlsx"), ids_of(store, "热线10月更正.xlsx")
    causes = snapshots.cause_table(snapshots.compare(store, meeting))
    # Unit by unit, each its old version then the new one.
    expected = []
    for unit, old, new in sorted(zip((UNIT, OTHER_UNIT), first, correction)):
        expected.append({"版本": f"#{old}", "单位": unit, "文件": "热线10月.xlsx", "变化": f"已被 #{new} 替代"})
        expected.append({"版本": f"#{new}", "单位": unit, "文件": "热线10月更正.xlsx", "变化": "新报送"})
    assert causes[["版本", "单位", "文件", "变化"]].to_dict("records") == expected
    assert set(causes["报表"]) == {"热线指标"}


def test_a_withdrawal_since_the_meeting_is_a_cause(store, meeting):
    (learning,) = ids_of(store, "民政局学习.xlsx")
    store.delete(learning)
    comparison = snapshots.compare(store, meeting)
    causes = snapshots.cause_table(comparison)
    assert causes[["版本", "报表", "文件", "变化"]].values.tolist() == [
        [f"#{learning}", "学习活动", "民政局学习.xlsx", "已撤销"]
    ]
    moved = snapshots.figure_table(comparison).set_index("数字")
    assert moved.loc["学习活动 · 学习活动（项）", "当前"] == 0
    assert moved.loc["学习活动 · 学习活动（项）", "变化"] == -4


def test_a_snapshot_keeps_the_headcounts_of_its_time_and_a_comparison_says_they_changed(store, meeting):
    store.save_file(b"headcount", "在职人数.xlsx", [], {UNIT: 80})
    assert metrics.load(store).headcount == {UNIT: 80}
    again = snapshots.find(store, "十月例会")
    assert again.headcounts == {} and snapshots.dataset(store, again).headcount == {}
    later = snapshots.create(store, "人数更新后", SCOPE)
    store.save_file(b"headcount 2", "在职人数更正.xlsx", [], {UNIT: 95})
    assert snapshots.dataset(store, later).headcount == {UNIT: 80}
    assert snapshots.compare(store, later).notes == ("自冻结后有单位更新了在职人数，人均参与人次可能因此变化。",)


def test_a_snapshot_keeps_the_registry_of_its_time(store, meeting, registry):
    """民政局 moved from 社会服务 to 党政综合 after the meeting: the snapshot keeps it where it was."""
    before = dict(zip(registry.frame["unit"], registry.frame["category"]))[UNIT]
    text = registry.to_csv_bytes().decode("utf-8-sig")
    moved = "\n".join(
        line.replace(f",{before},", ",党政综合,") if line.startswith(f"{UNIT},") else line for line in text.splitlines()
    )
    store.replace_registry(moved.encode("utf-8"), "新名录.csv")
    frozen = snapshots.dataset(store, snapshots.find(store, "十月例会"))
    assert dict(zip(frozen.units["unit"], frozen.units["category"]))[UNIT] == before
    assert frozen_summary(store, meeting) == meeting.figures
    comparison = snapshots.compare(store, meeting)
    assert comparison.notes == ("单位名录自冻结后已更换，名录单位数和各类别的数字可能因此变化。",)
    moved_figures = set(snapshots.figure_table(comparison)["数字"])
    assert f"学习活动 · {before} · 参与人次" in moved_figures and "学习活动 · 党政综合 · 参与人次" in moved_figures


def test_a_snapshot_counts_the_hotline_source_of_its_time(store, tmp_path):
    # 临沂市民政局's October: its tickets give 6 appeals (factories.HAND_TICKETS), its own return, sent later, 9.
    send(store, tmp_path, "12345工单.xlsx", {"工单明细": HAND_TICKETS})
    october_return = [HOTLINE_HEADER, [UNIT, "2025-10", 9, "60%", "80%", "75%"]]
    send(store, tmp_path, "民政局热线10月.xlsx", {"热线指标": october_return})
    october = metrics.Scope(2025, 10, units=(UNIT,))
    store.set_hotline_source("tickets", user="管理员")
    frozen = snapshots.create(store, "工单为准", october)
    assert frozen.figures["hotline"]["appeals"] == 8  # September's 2 and October's 6, from the tickets

    store.set_hotline_source("returns", user="管理员")
    assert live_summary(store, october)["hotline"]["appeals"] == 11  # now the return's 9 counts for October
    assert frozen_summary(store, snapshots.find(store, "工单为准"))["hotline"]["appeals"] == 8


def test_an_older_month_that_counts_again_after_a_withdrawal_is_named_as_a_cause(store, tmp_path):
    """September–October, then a correction of October, frozen; the correction withdrawn: the first file's October
    counts again, and the comparison names both."""
    send(store, tmp_path, "热线9-10月.xlsx", hotline((UNIT,)))
    send(store, tmp_path, "热线10月更正.xlsx", {"热线指标": hotline_rows((202510,), units=(UNIT,), seed=7)})
    meeting = snapshots.create(store, "十月例会", SCOPE, user="张三")
    (first,), (correction,) = ids_of(store, "热线9-10月.xlsx"), ids_of(store, "热线10月更正.xlsx")
    store.delete(correction)
    causes = snapshots.cause_table(snapshots.compare(store, meeting))
    assert causes[["版本", "文件", "变化"]].values.tolist() == [
        [f"#{first}", "热线9-10月.xlsx", "10月重新计入"],
        [f"#{correction}", "热线10月更正.xlsx", "已撤销"],
    ]


def test_a_comparison_compares_figures_not_who_had_reported(store, meeting, tmp_path):
    send(store, tmp_path, "财政局学习.xlsx", {"学习活动": learning_rows(2, unit=OTHER_UNIT)})
    moved = snapshots.compare(store, meeting).figures
    assert not [figure for figure in moved["figure"] if "coverage" in figure or "missing" in figure]
    assert all(not figure.isascii() for figure in moved["figure"])


def test_a_rates_change_since_the_meeting_is_said_in_percentage_points(store, meeting, tmp_path):
    send(store, tmp_path, "热线10月更正.xlsx", hotline(seed=99))
    shown = snapshots.figure_table(snapshots.compare(store, meeting), as_text=True).set_index("数字")
    rate = shown.loc["12345热线 · 一次性办好率（%）", "变化"]
    assert rate.endswith(" 个百分点") and rate[0] in "+-"
    assert not shown.loc["12345热线 · 诉求量（件）", "变化"].endswith("百分点")
