"""All of sample_data/ through `python -m lingyi init --sample`, then `summary --json` against figures
this test computes itself from the generator's own records (never through lingyi.metrics)."""

from __future__ import annotations

import calendar
import datetime as dt
import json

import pandas as pd
import pytest

from lingyi.__main__ import main
from lingyi.contract import CATEGORIES
from sample_data.truth import generate_records, load_units
from tests.sample_store import sample_database_copy

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def records():
    return generate_records(42)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    return sample_database_copy(tmp_path_factory.mktemp("e2e"))


def summary_json(capsys, url: str, *args: str) -> dict:
    capsys.readouterr()
    assert main(["summary", "--db", url, "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def _pct(fraction):
    return None if fraction is None else round(fraction * 100, 2)


def _weighted(frame: pd.DataFrame, rate: str, weight: str = "appeals"):
    known = frame[frame[rate].notna()]
    total = float(known[weight].sum())
    return None if not total else float((known[rate] * known[weight]).sum()) / total


def expected(records, year: int, through: int, categories=(), units=()) -> dict:
    """Spec §5 computed straight from the truth frames."""
    registry = {u.full_name: u.category for u in load_units()}
    chosen = {u for u, c in registry.items() if (not categories or c in categories) and (not units or u in units)}

    def scoped(frame):
        return frame[frame["unit"].isin(chosen)]

    first, last = f"{year}-01", f"{year}-{through:02d}"
    learning = scoped(records.learning)
    learning = learning[learning["date"].map(lambda d: first <= f"{d.year}-{d.month:02d}" <= last)]

    def learning_figures(frame):
        return {
            "activities": len(frame),
            "sessions": int(frame["sessions"].sum()),
            "lectures": int(frame["lectures"].sum()),
            "person_times": int(frame["person_times"].sum()),
        }

    by_category = {c: learning_figures(learning[learning["unit"].map(registry) == c]) for c in CATEGORIES}

    hotline = scoped(records.hotline)
    now = hotline[(hotline["month"] >= first) & (hotline["month"] <= last)]
    before = hotline[(hotline["month"] >= f"{year - 1}-01") & (hotline["month"] <= f"{year - 1}-{through:02d}")]
    # Like for like (spec §5): last year's month of a unit counts only where this year has the same unit's month.
    reported = set(zip(now["unit"], now["month"]))
    paired = [(u, f"{year}{m[4:]}") in reported for u, m in zip(before["unit"], before["month"])]
    before = before[pd.Series(paired, index=before.index, dtype=bool)]
    appeals = int(now["appeals"].sum())
    appeals_prev = int(before["appeals"].sum()) if len(before) else None
    hotline_json = {
        "appeals": appeals,
        "appeals_prev": appeals_prev,
        "appeals_yoy_pct": _pct((appeals - appeals_prev) / appeals_prev) if len(now) and appeals_prev else None,
    }
    for rate in ("first_time_rate", "resolution_rate", "satisfaction_rate"):
        current, previous = _weighted(now, rate), _weighted(before, rate)
        hotline_json[f"{rate}_pct"] = _pct(current)
        hotline_json[f"{rate}_prev_pct"] = _pct(previous)
        hotline_json[f"{rate}_pp"] = None if current is None or previous is None else _pct(current - previous)

    end = dt.date(year, through, calendar.monthrange(year, through)[1])
    problems = scoped(records.problems)
    problems = problems[problems["found_date"] <= end]
    resolved = (problems["status"] == "已化解") & problems["resolved_date"].map(lambda d: d is not None and d <= end)

    def closure(mask):
        found, done = int(mask.sum()), int((mask & resolved).sum())
        return {"found": found, "resolved": done, "closure_rate_pct": _pct(done / found) if found else None}

    all_rows = pd.Series(True, index=problems.index)
    types = problems["problem_type"].fillna("未分类")
    return {
        "year": year,
        "through": f"{year}-{through:02d}",
        "learning": {**learning_figures(learning), "by_category": by_category},
        "hotline": hotline_json,
        "problems": {
            "units_screened": int(problems["unit"].nunique()),
            **closure(all_rows),
            "by_category": {c: closure(problems["unit"].map(registry) == c) for c in CATEGORIES},
            "by_problem_type": {t: closure(types == t) for t in types.unique()},
        },
        "registered": len(chosen),
    }


def assert_summary_matches(actual: dict, wanted: dict) -> None:
    assert actual["year"] == wanted["year"]
    assert actual["through"] == wanted["through"]
    assert actual["units"]["registered"] == wanted["registered"]
    assert actual["learning"] == wanted["learning"]
    for key, value in wanted["hotline"].items():
        if value is None:
            assert actual["hotline"][key] is None, key
        else:  # summed in another order, a rate may round a hundredth apart
            assert actual["hotline"][key] == pytest.approx(value, abs=0.011), key
    problems = dict(actual["problems"])
    assert problems.pop("by_problem_type") == wanted["problems"].pop("by_problem_type")
    assert problems == wanted["problems"]


SCOPES = [
    pytest.param(2025, 10, (), (), id="2025-through-october"),
    pytest.param(2025, 6, (), (), id="2025-through-june"),
    pytest.param(2025, 2, (), (), id="2025-through-february"),
    pytest.param(2024, 12, (), (), id="2024-whole-year"),
    pytest.param(2025, 10, ("执法监督",), (), id="one-category"),
    pytest.param(2025, 10, ("党政综合", "国有企业"), (), id="two-categories"),
    pytest.param(2025, 9, (), ("临沂市民政局",), id="one-unit"),
]


@pytest.mark.parametrize(("year", "through", "categories", "units"), SCOPES)
def test_summary_equals_figures_computed_from_the_generator(
    capsys, sample_db, records, year, through, categories, units
):
    args = ["--year", str(year), "--through", f"{year}-{through:02d}"]
    args += [a for c in categories for a in ("--category", c)]
    args += [a for u in units for a in ("--unit", u)]
    assert_summary_matches(summary_json(capsys, sample_db, *args), expected(records, year, through, categories, units))


def test_default_scope_is_the_latest_month_with_data(capsys, sample_db):
    figures = summary_json(capsys, sample_db)
    assert (figures["year"], figures["through"]) == (2025, "2025-10")


def test_every_registered_unit_reports_in_2025(capsys, sample_db):
    figures = summary_json(capsys, sample_db, "--year", "2025")
    assert figures["units"] == {"registered": 108, "reporting": 108}


def test_ingesting_the_sample_data_again_changes_nothing(capsys, sample_db):
    before = summary_json(capsys, sample_db, "--year", "2025")
    assert main(["init", "--sample", "--db", sample_db]) == 0
    out = capsys.readouterr().out
    assert "入库 0" in out
    assert summary_json(capsys, sample_db, "--year", "2025") == before


def test_unit_filter_takes_any_alias(capsys, sample_db):
    by_full_name = summary_json(capsys, sample_db, "--year", "2025", "--unit", "临沂市民政局")
    by_short_name = summary_json(capsys, sample_db, "--year", "2025", "--unit", "市民政局")
    assert by_full_name == by_short_name
    assert by_full_name["units"]["registered"] == 1
