"""lingyi/ui/charts.py: what a click on a chart names."""

from __future__ import annotations

import pytest

from lingyi.ui import charts


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([{"customdata": "执法监督"}], "执法监督"),
        ([{"customdata": ["临沂市民政局", "社会服务"]}], "临沂市民政局"),
        ([{"x": 1}, {"customdata": ["国有企业"]}], "国有企业"),
        ([], None),
        ([{"customdata": None}], None),
    ],
)
def test_a_click_names_what_the_first_element_of_customdata_holds(points, expected):
    assert charts._clicked(points) == expected
