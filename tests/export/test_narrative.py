"""The words of a briefing: 上升/下降/持平 by sign and tolerance, % for counts and 百分点 for rates, 万 and 亿,
a missing prior period named as such, best and weakest categories — and every number traceable to its figures."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from sample_store import sample_database_copy

from lingyi import metrics
from lingyi.__main__ import main
from lingyi.export import narrative, wording
from lingyi.figures.theme import count_text
from lingyi.store import Store

SCOPE = metrics.Scope(2025, 10)


def hotline(yoy=-0.2372, changes=(0.1396, 0.0748, 0.1028), *, previous=True, rates=(0.9, 0.92, 0.95)) -> dict:
    """``metrics.hotline_totals`` as a dict, with the changes given."""
    totals = {
        "appeals": 45_700,
        "appeals_prev": 59_900 if previous else 0,
        "appeals_yoy": yoy if previous else None,
        "has_current": True,
        "has_previous": previous,
    }
    for rate, level, change in zip(metrics.RATES, rates, changes):
        totals[rate] = level
        totals[f"{rate}_prev"] = level - change if previous and change is not None else None
        totals[f"{rate}_change"] = change if previous else None
    return totals


# -- numbers ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234, "场次", "1,234场次"),
        (9999, "人次", "9,999人次"),
        (45_700, "人次", "4.57万人次"),
        (316_006, "人次", "31.6万人次"),
        (100_000, "件", "10万件"),
        (123_456_789, "件", "1.23亿件"),
        (None, "件", "无数据"),
        (float("nan"), "", "无数据"),
    ],
)
def test_large_counts_are_written_in_wan_and_yi(value, unit, text):
    assert count_text(value, unit) == text


@pytest.mark.parametrize(
    ("change", "text"),
    [
        (-0.2372, "同比下降23.72%"),
        (0.0416, "同比上升4.16%"),
        (0.005, "同比上升0.50%"),
        (0.0049, "与上年同期持平"),
        (-0.0049, "与上年同期持平"),
        (0.0, "与上年同期持平"),
        (None, "上年同期无可比数据"),
    ],
)
def test_a_count_changes_in_percent_and_is_flat_within_the_tolerance(change, text):
    assert wording.count_change(change) == text


@pytest.mark.parametrize(
    ("change", "text"),
    [
        (0.1396, "较上年同期提高13.96个百分点"),
        (-0.0748, "较上年同期下降7.48个百分点"),
        (0.0005, "较上年同期提高0.05个百分点"),
        (0.0004, "与上年同期持平"),
        (-0.0004, "与上年同期持平"),
        (None, "上年同期无可比数据"),
    ],
)
def test_a_rate_changes_in_points_and_is_flat_within_the_tolerance(change, text):
    assert wording.points_change(change) == text


def test_the_tolerances_are_named_constants_a_flat_change_just_below():
    assert wording.trend(wording.FLAT_PERCENT / 100 * 0.99, points=False) == wording.FLAT
    assert wording.trend(wording.FLAT_PERCENT / 100 * 1.01, points=False) == wording.UP
    assert wording.trend(-wording.FLAT_POINTS / 100 * 0.99, points=True) == wording.FLAT
    assert wording.trend(-wording.FLAT_POINTS / 100 * 1.01, points=True) == wording.DOWN


@pytest.mark.parametrize("change", [0.1396, -0.0748, 0.0004, None])
def test_a_change_of_a_rate_is_never_called_a_percent(change):
    assert "%" not in wording.points_change(change)


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (0.9074, "高于90%的目标"),
        (0.9, "达到90%的目标"),
        (0.89999, "达到90%的目标"),
        (0.8875, "低于90%的目标1.25个百分点"),
    ],
)
def test_closure_against_the_target(rate, text):
    assert wording.against_target(rate) == text


# -- sentences ----------------------------------------------------------------------------------------------------------


def test_the_opening_sentence_reads_like_a_report():
    sentence = narrative.opening(
        SCOPE,
        registered=108,
        learning_reporting=97,
        learning={"activities": 1234, "sessions": 1500, "lectures": 2000, "person_times": 45_700},
        hotline=hotline(),
        problems={"units_screened": 97, "found": 1318, "resolved": 1196, "closure_rate": 0.9074},
    )
    assert sentence.text == (
        "2025年1—10月，全市108家市直部门单位中已有97家报送学习情况，累计开展学习活动1,234场次、覆盖4.57万人次；"
        "12345热线诉求量4.57万件，同比下降23.72%，一次性办好率、问题解决率、群众满意率分别提高13.96、7.48、10.28个百分点；"
        "累计排查问题1,318条，化解率90.74%，高于90%的目标。"
    )
    assert sentence.figures["hotline.appeals_yoy_pct"] == -23.72
    assert sentence.figures["hotline.first_time_rate_pp"] == 13.96
    assert sentence.figures["learning.reporting_units"] == 97


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ((0.0251, 0.03, 0.0269), "分别为90.00%、92.00%、95.00%，较上年同期分别提高2.51、3.00、2.69个百分点"),
        ((-0.0251, -0.03, -0.0269), "分别为90.00%、92.00%、95.00%，较上年同期分别下降2.51、3.00、2.69个百分点"),
        ((0.0001, -0.0002, 0.0), "分别为90.00%、92.00%、95.00%，均与上年同期持平"),
    ],
)
def test_rates_that_moved_alike_are_said_together(changes, text):
    clause, figures = narrative.rates_clause(hotline(changes=changes), levels=True)
    assert clause == f"一次性办好率、问题解决率、群众满意率{text}"
    assert set(figures) == {f"hotline.{r}_{k}" for r in metrics.RATES for k in ("pct", "pp")}


def test_rates_that_moved_apart_are_said_one_by_one():
    clause, _ = narrative.rates_clause(hotline(changes=(0.0251, -0.003, 0.0)), levels=True)
    assert clause == (
        "一次性办好率90.00%，较上年同期提高2.51个百分点；问题解决率92.00%，较上年同期下降0.30个百分点；"
        "群众满意率95.00%，与上年同期持平"
    )


def test_a_missing_prior_period_is_named_never_zero_or_a_hundred_percent():
    totals = hotline(previous=False)
    sentences = narrative.hotline_sentences(
        SCOPE,
        registered=108,
        totals=totals,
        by_category=pd.DataFrame(
            {"category": ["甲", "乙"], "has_current": True, "appeals_yoy": None, "satisfaction_rate": [0.9, 0.9]}
        ),
    )
    text = "".join(s.text for s in sentences)
    assert text == (
        "12345热线方面，受理群众诉求4.57万件，上年同期无可比数据。"
        "一次性办好率、问题解决率、群众满意率分别为90.00%、92.00%、95.00%，上年同期无可比数据。"
    )
    assert not re.search("上升|下降|提高|持平|100", text)  # no change claimed, none against zero
    assert sentences[0].figures["hotline.appeals_yoy_pct"] is None
    assert sentences[0].figures["hotline.appeals_prev"] is None


def test_the_opening_leaves_out_rates_that_have_nothing_to_compare_with():
    sentence = narrative.opening(
        SCOPE,
        registered=18,
        learning_reporting=0,
        learning={"activities": 0, "sessions": 0, "lectures": 0, "person_times": 0},
        hotline=hotline(previous=False),
        problems={"units_screened": 0, "found": 0, "resolved": 0, "closure_rate": None},
    )
    assert (
        sentence.text
        == "2025年1—10月，全市18家市直部门单位尚无学习活动数据；12345热线诉求量4.57万件，上年同期无可比数据。"
    )


def test_learning_without_last_year_says_so():
    totals = {"activities": 10, "sessions": 12, "lectures": 14, "person_times": 300}
    empty = {"activities": 0, "sessions": 0, "lectures": 0, "person_times": 0}
    frame = pd.DataFrame({"category": [], "person_times": []})
    sentences = narrative.learning_sentences(
        SCOPE,
        registered=1,
        learning_reporting=1,
        totals=totals,
        previous=empty,
        by_category=frame,
        by_theme=frame.rename(columns={"category": "theme"}),
        by_form=frame.rename(columns={"category": "form"}),
    )
    assert sentences[0].text.endswith("参与300人次，参与人次上年同期无可比数据。")
    assert sentences[0].figures["learning.person_times_yoy_pct"] is None


def test_the_best_and_weakest_categories_are_named():
    frame = pd.DataFrame({"category": ["党政综合", "经济发展", "执法监督"], "person_times": [25_293, 81_472, 12_087]})
    sentence = narrative.category_extremes(frame, "person_times", name="参与人次", unit="人次")
    assert sentence.text == "分类别看，经济发展参与人次最多（8.15万人次），执法监督最少（1.21万人次）。"
    assert sentence.figures == {"category.经济发展.person_times": 81_472, "category.执法监督.person_times": 12_087}


def test_a_category_that_sent_nothing_is_named_as_such_never_the_least():
    frame = pd.DataFrame(
        {
            "category": ["党政综合", "经济发展", "执法监督"],
            "person_times": [25_293, 0, 12_087],
            "has_data": [True, False, True],
        }
    )
    sentence = narrative.category_extremes(frame, "person_times", name="参与人次", unit="人次")
    assert (
        sentence.text == "分类别看，党政综合参与人次最多（2.53万人次），执法监督最少（1.21万人次）；经济发展尚无报送。"
    )
    assert "category.经济发展.person_times" not in sentence.figures


def test_months_that_sent_nothing_are_counted_not_ranked():
    frame = pd.DataFrame(
        {"month": range(1, 11), "person_times": [0] * 8 + [278, 463], "has_data": [False] * 8 + [True, True]}
    )
    sentence = narrative.month_extremes(frame, "person_times", name="参与人次", unit="人次")
    assert sentence.text == "10月参与人次最多（463人次），9月最少（278人次）；其余8个月尚无报送。"


def test_only_one_category_that_sent_something_is_not_ranked():
    frame = pd.DataFrame({"category": ["党政综合", "经济发展"], "person_times": [120, 0], "has_data": [True, False]})
    assert narrative.category_extremes(frame, "person_times", name="参与人次", unit="人次") is None


def test_rates_of_categories_are_highest_and_lowest_in_percent():
    frame = pd.DataFrame({"category": ["党政综合", "群团事业"], "closure_rate": [0.8540, 0.9661]})
    sentence = narrative.category_extremes(frame, "closure_rate", name="化解率", rate=True, lead="")
    assert sentence.text == "群团事业化解率最高（96.61%），党政综合最低（85.40%）。"
    assert sentence.figures == {"category.群团事业.closure_rate_pct": 96.61, "category.党政综合.closure_rate_pct": 85.4}


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ((0.0327, 0.0221), "经济发展群众满意率提高最多（3.27个百分点），执法监督提高最少（2.21个百分点）。"),
        ((-0.01, -0.03), "执法监督群众满意率下降最多（3.00个百分点），经济发展下降最少（1.00个百分点）。"),
        ((0.02, -0.01), "经济发展群众满意率提高最多（2.00个百分点），执法监督下降最多（1.00个百分点）。"),
    ],
)
def test_changes_of_a_rate_by_category_are_said_in_points(changes, text):
    frame = pd.DataFrame({"category": ["经济发展", "执法监督"], "satisfaction_rate_change": changes})
    sentence = narrative.group_extremes(frame, "category", "satisfaction_rate_change", name="群众满意率", kind="points")
    assert sentence.text == text


def test_no_best_or_weakest_among_equals_or_alone():
    assert wording.extremes({"甲": 1.0, "乙": 1.0}) is None
    assert wording.extremes({"甲": 1.0, "乙": None}) is None


def test_categories_below_the_target_are_counted_and_named():
    frame = pd.DataFrame(
        {"category": ["甲", "乙", "丙"], "found": [10, 10, 0], "closure_rate": [0.95, 0.80, float("nan")]}
    )
    sentence = narrative.closure_by_group(frame, "category")
    assert sentence.text == "甲化解率最高（95.00%），乙最低（80.00%）；乙1个类别低于90%的目标。"


# -- on the sample store: the figures are the command line's ------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    url = sample_database_copy(tmp_path_factory.mktemp("narrative-sample"))
    store = Store(url)
    yield url, metrics.load(store)
    store.close()


def summary(url: str, capsys) -> dict:
    assert main(["summary", "--json", "--db", url]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_narrative_uses_the_summarys_figures(sample, capsys):
    url, ds = sample
    expected = summary(url, capsys)
    paragraphs = narrative.narrate(ds, metrics.Scope(2025, 10))
    assert [p.theme for p in paragraphs] == ["overall", "learning", "hotline", "problems", "indicators"]
    used = {name: value for p in paragraphs for name, value in p.figures.items()}
    for name, value in used.items():
        section, _, key = name.partition(".")
        if section in ("learning", "hotline", "problems", "indicators") and key in expected[section]:
            assert value == expected[section][key], name
    assert used["units.registered"] == expected["units"]["registered"]
    assert used["indicators.count"] == expected["indicators"]["count"] > 0
    assert f"化解率{expected['problems']['closure_rate_pct']:.2f}%" in paragraphs[0].text
    assert f"同比下降{-expected['hotline']['appeals_yoy_pct']:.2f}%" in paragraphs[0].text


NUMBER = re.compile(r"\d[\d,]*\.\d+|\d{1,3}(?:,\d{3})+")


def spellings(value: object) -> set[str]:
    """The ways a sentence may write a figure: as counted, in 万, as a percentage or points, unsigned."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return set()
    number = abs(float(value))
    found = {f"{number:,.0f}", f"{number:,.2f}", count_text(number).rstrip("万亿")}
    found |= {count_text(number)[:-1]} if count_text(number)[-1] in "万亿" else set()
    return found


def test_every_number_of_every_sentence_is_one_of_its_figures(sample):
    _, ds = sample
    for scope in (metrics.Scope(2025, 10), metrics.Scope(2024, 6, ("执法监督",))):
        for paragraph in narrative.narrate(ds, scope):
            for sentence in paragraph.sentences:
                allowed = set().union(*(spellings(v) for v in sentence.figures.values()))
                for number in NUMBER.findall(sentence.text):
                    assert number in allowed, (number, sentence.text, dict(sentence.figures))


def _months(pairs):
    return pd.DataFrame(
        {
            "appeals": [now for now, _ in pairs],
            "appeals_prev": [before for _, before in pairs],
            "has_current": True,
            "has_previous": True,
        }
    )


@pytest.mark.parametrize(
    ("pairs", "said"),
    [
        ([(90, 100), (80, 100), (70, 100)], "诉求量同比下降20.00%；各月均低于上年同期。"),
        ([(90, 100), (120, 100), (90, 100)], "诉求量与上年同期持平；3个月中有2个月低于上年同期。"),
        ([(110, 100), (120, 100)], "诉求量同比上升15.00%；各月均不低于上年同期。"),
    ],
)
def test_months_below_last_year_are_said_as_a_reader_would(pairs, said):
    now, before = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
    totals = {"appeals_yoy": (now - before) / before}
    assert narrative.appeals_by_month(totals, _months(pairs)).text == said
