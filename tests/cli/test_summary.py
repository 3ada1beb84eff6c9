"""lingyi/cli/summary.py: ``python -m lingyi summary`` (spec §6)."""

from __future__ import annotations

import json

import pytest
from cli.test_returns import good_file, lines
from factories import (
    HOTLINE_HEADER,
    OTHER_UNIT,
    PROBLEM_HEADER,
    UNIT,
    indicator_periods,
    learning_rows,
    write_csv,
)

from lingyi.__main__ import main
from lingyi.contract import CATEGORIES
from lingyi.registry import default_registry

# -- summary --json ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> str:
    """A database holding a few returns, shared by the summary tests (which only read)."""
    folder = tmp_path_factory.mktemp("loaded")
    url = f"sqlite:///{folder / 'lingyi.db'}"
    hotline = [HOTLINE_HEADER, [UNIT, "2025-09", 100, "90%", "80%", "95%"], [UNIT, "2025-10", 300, "94%", "88%", "97%"]]
    hotline_last_year = [
        HOTLINE_HEADER,
        [UNIT, "2024-09", 200, "85%", "80%", "90%"],
        [UNIT, "2024-10", 200, "85%", "80%", "90%"],
    ]
    problems = [
        PROBLEM_HEADER,
        [UNIT, "1", "指南未更新", "服务群众", "2025-03-01", "已化解", "2025-04-01", "解题"],
        [UNIT, "2", "台账不全", "服务群众", "2025-05-01", "化解中", None, "破题"],
        [OTHER_UNIT, "1", "作风问题", "作风纪律", "2025-06-01", "已办结", "2025-09-30", "验题"],
    ]
    files = [
        good_file(folder),
        good_file(folder, "人社局.xlsx", unit="临沂市人力资源和社会保障局", people=(7,)),
        write_csv(folder / "热线指标.csv", hotline),
        write_csv(folder / "热线2024.csv", hotline_last_year),
        write_csv(folder / "问题清单.csv", problems),
    ]
    assert main(["ingest", *map(str, files), "--db", url]) == 0
    return url


@pytest.fixture
def summary(loaded, capsys):
    """``summary("--year", "2025")`` → the JSON object ``summary --json`` prints for the loaded database."""

    def summary(*args):
        capsys.readouterr()
        code = main(["summary", "--json", *args, "--db", loaded])
        out, err = capsys.readouterr()
        assert (code, err) == (0, "")
        return json.loads(out)

    return summary


def test_summary_json_has_the_exact_shape_and_values(summary):
    zero_learning = {"activities": 0, "sessions": 0, "lectures": 0, "person_times": 0}
    no_problems = {"found": 0, "resolved": 0, "closure_rate_pct": None}
    no_indicators = {"count": 0, "met": 0, "met_pct": None}
    figures = summary("--year", "2025", "--through", "2025-10")
    short_names = [unit.short_name for unit in default_registry().units]
    coverage = figures.pop("coverage")
    assert coverage == {
        "hotline": {
            "month": "2025-10",
            "expected": 108,
            "reported": 1,
            "missing": [name for name in short_names if name != "市民政局"],
        },
        "learning": {
            "month": "2025-10",
            "expected": 108,
            "reported": 2,
            "missing": [name for name in short_names if name not in ("市民政局", "市人力资源社会保障局")],
        },
    }
    activities = [*learning_rows(3)[1:], *learning_rows(1)[1:]]  # what good_file wrote for the two units
    sessions, lectures = sum(row[6] for row in activities), sum(row[7] for row in activities)
    assert figures == {
        "year": 2025,
        "through": "2025-10",
        "units": {"registered": 108, "reporting": 3},
        "learning": {
            "activities": 4,
            "sessions": sessions,
            "lectures": lectures,
            "person_times": 187,
            "by_category": {
                **{c: zero_learning for c in CATEGORIES},
                "社会服务": {
                    "activities": 4,
                    "sessions": sessions,
                    "lectures": lectures,
                    "person_times": 187,
                },
            },
        },
        "hotline": {
            "appeals": 400,
            "appeals_prev": 400,
            "appeals_yoy_pct": 0.0,
            "first_time_rate_pct": 93.0,
            "first_time_rate_prev_pct": 85.0,
            "first_time_rate_pp": 8.0,
            "resolution_rate_pct": 86.0,
            "resolution_rate_prev_pct": 80.0,
            "resolution_rate_pp": 6.0,
            "satisfaction_rate_pct": 96.5,
            "satisfaction_rate_prev_pct": 90.0,
            "satisfaction_rate_pp": 6.5,
        },
        "problems": {
            "units_screened": 2,
            "found": 3,
            "resolved": 2,
            "closure_rate_pct": 66.67,
            "by_category": {
                **{c: no_problems for c in CATEGORIES},
                "社会服务": {"found": 2, "resolved": 1, "closure_rate_pct": 50.0},
                "经济发展": {"found": 1, "resolved": 1, "closure_rate_pct": 100.0},
            },
            "by_problem_type": {
                "服务群众": {"found": 2, "resolved": 1, "closure_rate_pct": 50.0},
                "作风纪律": {"found": 1, "resolved": 1, "closure_rate_pct": 100.0},
            },
        },
        "indicators": {
            "count": 0,
            "met": 0,
            "met_pct": None,
            "by_type": {"共性指标": no_indicators, "个性指标": no_indicators},
            "by_category": {c: no_indicators for c in CATEGORIES},
        },
    }
    assert list(figures["learning"]["by_category"]) == list(CATEGORIES)
    assert list(figures["problems"]["by_category"]) == list(CATEGORIES)


@pytest.mark.parametrize("through", ["2025-09", "2025-10"])
def test_summary_counts_an_indicator_given_for_the_year_to_date_and_a_month_once(cli, tmp_path, through):
    code, _, _ = cli("ingest", write_csv(tmp_path / "指标完成.csv", indicator_periods()))
    assert code == 0
    code, out, err = cli("summary", "--json", "--year", "2025", "--through", through)
    assert (code, err) == (0, "")
    indicators = json.loads(out)["indicators"]
    assert (indicators["count"], indicators["met"], indicators["met_pct"]) == (2, 2, 100.0)
    assert indicators["by_type"]["共性指标"] == {"count": 1, "met": 1, "met_pct": 100.0}
    assert indicators["by_category"]["社会服务"] == {"count": 2, "met": 2, "met_pct": 100.0}
    assert list(indicators["by_category"]) == list(CATEGORIES)


def test_summary_of_a_store_of_indicators_only_defaults_to_their_year(cli, tmp_path):
    cli("ingest", write_csv(tmp_path / "指标完成.csv", indicator_periods()))
    code, out, _ = cli("summary", "--json")
    assert code == 0
    figures = json.loads(out)
    assert (figures["year"], figures["indicators"]["count"]) == (2025, 2)


def test_summary_through_defaults_to_the_latest_month_with_data(summary):
    figures = summary("--year", "2025")
    assert figures["through"] == "2025-10"
    assert summary()["year"] == 2025


def test_summary_through_an_earlier_month(summary):
    figures = summary("--through", "2025-09")
    assert (figures["year"], figures["through"]) == (2025, "2025-09")
    assert figures["learning"]["activities"] == 0
    assert (figures["hotline"]["appeals"], figures["hotline"]["appeals_prev"]) == (100, 200)
    assert figures["hotline"]["appeals_yoy_pct"] == -50.0
    assert (figures["problems"]["found"], figures["problems"]["resolved"]) == (3, 2)


@pytest.mark.parametrize("name", ["市人社局", "市人力资源社会保障局", " 临沂市人力资源和社会保障局 "])
def test_summary_unit_takes_any_name_the_registry_matches(summary, name):
    figures = summary("--year", "2025", "--through", "2025-10", "--unit", name)
    assert figures["units"] == {"registered": 1, "reporting": 1}
    assert figures["learning"]["person_times"] == 7
    assert figures["hotline"]["appeals"] == 0
    assert figures["hotline"]["first_time_rate_pct"] is None


def test_summary_of_several_units_and_of_categories(summary):
    both = summary("--through", "2025-10", "--unit", "民政局", "--unit", "财政局")
    assert both["units"] == {"registered": 2, "reporting": 2}
    assert both["problems"]["found"] == 3
    economy = summary("--through", "2025-10", "--category", "经济发展")
    assert economy["units"] == {"registered": 24, "reporting": 1}
    assert economy["problems"]["by_category"]["经济发展"]["found"] == 1
    assert economy["problems"]["by_category"]["社会服务"]["found"] == 0


def test_summary_of_an_empty_store_is_zeros_and_nulls(cli):
    code, out, _ = cli("summary", "--json", "--year", "2025", "--through", "2025-10")
    assert code == 0
    figures = json.loads(out)
    assert figures["units"] == {"registered": 108, "reporting": 0}
    assert figures["hotline"]["appeals_yoy_pct"] is None
    assert figures["problems"]["closure_rate_pct"] is None
    assert figures["problems"]["by_problem_type"] == {}


def test_summary_without_json_prints_readable_lines(loaded, capsys):
    code = main(["summary", "--through", "2025-10", "--db", loaded])
    out = capsys.readouterr().out
    assert code == 0
    assert lines(out)[0] == "2025年 截至 2025-10：报送单位 3/108"
    assert "12345热线诉求量 400（上年同期 400，同比 0.00%）" in out
    assert "一次性办好率 93.00%（上年同期 85.00%，变化 8.00 个百分点）" in out
    assert "问题化解：排查单位 2，发现 3，化解 2，化解率 66.67%" in out
