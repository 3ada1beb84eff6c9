"""lingyi/contract.py: the return contract as data says what spec §1–3 says."""

from __future__ import annotations

import pickle

import pytest

from lingyi.contract import (
    CATEGORIES,
    HOTLINE,
    INDICATORS,
    KIND_KEYWORD_ORDER,
    LEARNING,
    PROBLEMS,
    SHEET_KINDS,
    ValueKind,
)
from lingyi.intake.validation import _PARSERS
from lingyi.registry import normalise
from lingyi.values import parse_rate, rate_as_fraction


def test_six_categories_in_display_order():
    assert CATEGORIES == ("党政综合", "经济发展", "执法监督", "社会服务", "群团事业", "国有企业")


@pytest.mark.parametrize(
    ("kind", "required"),
    [
        (LEARNING, ["单位名称", "活动名称", "日期", "参与人次"]),
        (HOTLINE, ["单位名称", "月份", "诉求量"]),
        (PROBLEMS, ["单位名称", "问题描述", "发现日期", "整改状态"]),
        (INDICATORS, ["单位名称", "指标类型", "指标名称", "完成值"]),
    ],
)
def test_required_columns_are_the_bold_ones_of_the_spec(kind, required):
    assert [c.name for c in kind.required] == required


def test_sheet_names_and_keyword_order_follow_the_spec():
    assert [k.name for k in SHEET_KINDS] == ["学习活动", "热线指标", "问题清单", "指标完成"]
    assert [(word, kind.name) for word, kind in KIND_KEYWORD_ORDER] == [
        ("热线", "热线指标"),
        ("12345", "热线指标"),
        ("学习", "学习活动"),
        ("问题", "问题清单"),
        ("指标", "指标完成"),
    ]


@pytest.mark.parametrize("kind", SHEET_KINDS, ids=lambda k: k.key)
def test_no_header_name_means_two_columns_of_one_kind(kind):
    names = [normalise(name) for column in kind.columns for name in column.names]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


@pytest.mark.parametrize("column", [c for k in SHEET_KINDS for c in k.columns], ids=lambda c: c.name)
def test_every_template_example_is_a_valid_value_of_its_column(column):
    if column.kind is ValueKind.RATE:
        assert 0 <= rate_as_fraction(parse_rate(column.example), column_is_fractions=False) <= 1
    elif column.kind is ValueKind.CHOICE:
        assert column.example in column.choices.values
    else:
        value = _PARSERS[column.kind](column.example)
        assert value is not None
        if column.minimum is not None:
            assert value >= column.minimum
    assert column.help


@pytest.mark.parametrize("kind", SHEET_KINDS, ids=lambda k: k.key)
def test_a_sheet_kind_sent_to_another_process_is_the_contracts_own(kind):
    sent = pickle.dumps(kind)
    assert pickle.loads(sent) is kind
    assert len(sent) < 100  # its key, not its columns
