"""The figures of spec §5, in pure pandas: one dataset in, frames and numbers out.

Every page and the command line's ``summary`` go through these functions, so a
figure on a page is the figure ``python -m lingyi summary`` prints for the same scope.
Rates are fractions here (0.9372); pages and the JSON turn them into percentages.
A figure that cannot be computed is ``None`` (NaN in a frame), never 0.

Rooms: ``dataset`` (Scope, load, the rows of a scope), ``coverage`` (like for like), one per theme
(``learning``, ``hotline``, ``problems``, ``indicators``), ``summary`` (across themes); ``completeness``
(报送情况) and ``snapshots`` (会议版) are imported on their own.

Rule: figures come from a ``Dataset`` alone; nothing here draws or knows Streamlit, and only ``snapshots``
writes (a 会议版 into the store).
"""

from lingyi.metrics.coverage import (
    COVERAGE_KINDS,
    Coverage,
    coverage,
    expected_units,
    like_for_like_notes,
    pairs_in,
    reported_months,
)
from lingyi.metrics.dataset import (
    LEARNING_MEASURES,
    MEMO_ENTRIES,
    RATE_NAMES,
    RATES,
    Dataset,
    Scope,
    data_months,
    default_year,
    floats,
    group_labels,
    group_sums,
    in_months,
    in_units,
    latest_month,
    learning_rows,
    load,
    per_scope,
    quotient,
    ratio,
    reporting_units,
    scoped_units,
    years_with_data,
)
from lingyi.metrics.hotline import hotline_by, hotline_figures, hotline_pairs, hotline_totals
from lingyi.metrics.indicators import (
    YEAR_TO_DATE,
    indicator_periods_elsewhere,
    indicator_rows,
    indicator_totals,
    indicators_by,
    period_label,
    unit_indicator_completion,
)
from lingyi.metrics.learning import learning_by, learning_previous_totals, learning_totals
from lingyi.metrics.problems import (
    OPEN_PROBLEM_COLUMNS,
    open_problems,
    problem_rows,
    problem_totals,
    problems_by,
    problems_cumulative,
    units_below_target,
)
from lingyi.metrics.summary import PROFILE_MEASURES, UNIT_SCORES, summary, unit_profile, unit_scores

__all__ = [
    "COVERAGE_KINDS",
    "LEARNING_MEASURES",
    "MEMO_ENTRIES",
    "OPEN_PROBLEM_COLUMNS",
    "PROFILE_MEASURES",
    "RATES",
    "RATE_NAMES",
    "UNIT_SCORES",
    "YEAR_TO_DATE",
    "Coverage",
    "Dataset",
    "Scope",
    "coverage",
    "data_months",
    "default_year",
    "expected_units",
    "floats",
    "group_labels",
    "group_sums",
    "hotline_by",
    "hotline_figures",
    "hotline_pairs",
    "hotline_totals",
    "in_months",
    "in_units",
    "indicator_periods_elsewhere",
    "indicator_rows",
    "indicator_totals",
    "indicators_by",
    "latest_month",
    "learning_by",
    "learning_previous_totals",
    "learning_rows",
    "learning_totals",
    "like_for_like_notes",
    "load",
    "open_problems",
    "pairs_in",
    "per_scope",
    "period_label",
    "problem_rows",
    "problem_totals",
    "problems_by",
    "problems_cumulative",
    "quotient",
    "ratio",
    "reported_months",
    "reporting_units",
    "scoped_units",
    "summary",
    "unit_indicator_completion",
    "unit_profile",
    "unit_scores",
    "units_below_target",
    "years_with_data",
]
