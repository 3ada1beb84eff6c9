"""lingyi/intake/replacements.py: what a file replaces is said before it is stored, and data already stored change nothing."""

from __future__ import annotations

import pytest
from factories import LEARNING_HEADER, OTHER_UNIT, learning_rows, write_csv, write_xlsx

from lingyi import metrics
from lingyi.intake import replacements
from lingyi.intake.ingest import Outcome, Upload, check_file, ingest_files
from lingyi.intake.submissions import build_submissions
from lingyi.metrics import Scope
from lingyi.values import Period

MONTHS = range(2, 9)  # February to August


@pytest.fixture
def monthly_returns(store, submit, tmp_path):
    """Seven monthly learning returns of UNIT, 3 rows each for February–May and 2 for June–August (18 rows)."""
    people = 0
    for month in MONTHS:
        rows = learning_rows(3 if month < 6 else 2, month=202500 + month, seed=month)
        people += sum(row[8] for row in rows[1:])
        assert submit(write_csv(tmp_path / f"学习{month}月.csv", rows)).outcome is Outcome.ACCEPTED
    return people


def series(tmp_path, name="系列活动.csv"):
    """One activity a month, February–August, no declared period: its period is inferred from its rows."""
    rows = [LEARNING_HEADER, *(learning_rows(1, month=202500 + m, seed=100 + m)[1] for m in MONTHS)]
    return write_csv(tmp_path / name, rows), sum(row[8] for row in rows[1:])


def test_a_series_over_seven_months_says_it_replaces_the_seven_monthly_returns(monthly_returns, submit, tmp_path):
    path, people = series(tmp_path)
    result = submit(path, dry_run=True)
    assert result.outcome is Outcome.CHECKED
    (replacement,) = result.replacements
    assert replacement.summary == "将替换 7 份报送（2—8月，18 行 → 7 行）"
    assert [r.file for r in replacement.replaced] == [f"学习{m}月.csv" for m in MONTHS]
    assert [r.period for r in replacement.replaced] == [Period(202500 + m, 202500 + m) for m in MONTHS]
    assert replacement.figure_change == f"参与人次 {monthly_returns:,} → {people:,} 人次"


def test_an_inferred_period_replacing_several_returns_must_be_confirmed(monthly_returns, store, submit, tmp_path):
    path, _ = series(tmp_path)
    validated_plan = replacements.plan(store, _submissions_of(store, path))
    assert validated_plan.needs_confirmation
    assert "替换 7 份报送" in validated_plan.held_reason


def test_a_declared_period_replacing_one_return_with_as_many_rows_needs_no_confirmation(store, submit, tmp_path):
    first = write_xlsx(tmp_path / "十月.xlsx", {"学习活动": learning_rows(3, seed=1)})
    submit(first)
    again = write_xlsx(tmp_path / "十月更正.xlsx", {"学习活动": learning_rows(3, seed=2)})
    found = replacements.plan(store, _submissions_of(store, again))
    (replacement,) = found.replacements
    assert (len(replacement.replaced), replacement.rows_before, replacement.rows_after) == (1, 3, 3)
    assert not found.needs_confirmation


def test_a_return_re_saved_with_other_bytes_but_the_same_data_is_unchanged(store, submit, tmp_path):
    rows = learning_rows(4, seed=7)
    assert submit(write_csv(tmp_path / "民政局10月.csv", rows)).outcome is Outcome.ACCEPTED
    resaved = write_xlsx(tmp_path / "民政局10月（另存）.xlsx", {"学习活动": rows})
    result = submit(resaved)
    assert result.outcome is Outcome.UNCHANGED
    assert "民政局10月.csv" in result.message
    assert len(store.submissions()) == 1


def test_a_re_saved_return_that_a_later_one_replaced_is_not_unchanged(store, submit, tmp_path):
    first = learning_rows(4, seed=7)
    submit(write_csv(tmp_path / "十月.csv", first))
    submit(write_csv(tmp_path / "十月更正.csv", learning_rows(2, seed=8)))
    result = submit(write_xlsx(tmp_path / "十月（另存）.xlsx", {"学习活动": first}))
    assert result.outcome is Outcome.ACCEPTED  # bringing the first version's data back is a change
    (replacement,) = result.replacements
    assert [r.file for r in replacement.replaced] == ["十月更正.csv"]


def test_two_files_for_the_same_unit_and_period_in_one_batch_both_say_the_later_wins(store, tmp_path):
    earlier = write_csv(tmp_path / "a.csv", learning_rows(3, seed=1))
    later = write_csv(tmp_path / "b.csv", learning_rows(2, seed=2))
    for dry_run in (True, False):
        uploads = [Upload(p.read_bytes(), p.name) for p in (earlier, later)]
        first, second = ingest_files(store, uploads, dry_run=dry_run)
        assert any("后面的「b.csv」" in note and "以后者为准" in note for note in first.batch_notes)
        assert any("前面的「a.csv」" in note and "以本文件为准" in note for note in second.batch_notes)
    ds = metrics.load(store)
    assert metrics.learning_totals(ds, Scope(2025, 10))["activities"] == 2


def test_files_of_different_units_in_one_batch_say_nothing_of_each_other(store, tmp_path):
    mine = write_csv(tmp_path / "a.csv", learning_rows(3, seed=1))
    theirs = write_csv(tmp_path / "b.csv", learning_rows(2, unit=OTHER_UNIT, seed=2))
    results = list(ingest_files(store, [Upload(p.read_bytes(), p.name) for p in (mine, theirs)]))
    assert [r.batch_notes for r in results] == [[], []]
    assert [r.replacements for r in results] == [[], []]


def _submissions_of(store, path):
    validated = check_file(path.read_bytes(), path.name, store.registry(), store=store)
    assert validated.ok
    return build_submissions(validated.tables)
