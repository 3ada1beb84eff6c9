"""The filling instructions say exactly what the contract table says."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingyi.contract import HOTLINE_SOURCES, SHEET_KINDS, TICKET_COLUMNS, TICKET_RULES
from lingyi.intake.instructions import DOC_BEGIN, DOC_END, column_rows, contract_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "填报说明.md"


def test_docs_generated_part_matches_the_contract():
    text = DOC.read_text(encoding="utf-8")
    generated = text.split(DOC_BEGIN, 1)[1].split(DOC_END, 1)[0].strip()
    assert generated == contract_markdown().strip(), "docs/填报说明.md is stale: run python -m lingyi docs"


@pytest.mark.parametrize("kind", SHEET_KINDS, ids=lambda k: k.key)
def test_every_column_alias_and_choice_is_in_the_docs(kind):
    text = DOC.read_text(encoding="utf-8")
    for column in kind.columns:
        assert f"| {column.name} |" in text
        for alias in column.aliases:
            assert alias in text
        if column.choices:
            for value in column.choices.values:
                assert value in text
            for alias, value in column.choices.aliases.items():
                assert f"{alias}→{value}" in text


def test_required_columns_are_marked_required():
    for kind in SHEET_KINDS:
        rows = {row["列名"]: row for row in column_rows(kind)}
        for column in kind.columns:
            assert rows[column.name]["必填"] == ("是" if column.required else "否")


def test_the_ticket_rules_and_ticket_headers_are_in_the_docs():
    text = DOC.read_text(encoding="utf-8")
    for figure, rule in TICKET_RULES:
        assert f"**{figure}**：{rule}" in text
    for column in TICKET_COLUMNS:
        assert f"| {column.name} |" in text
        assert all(alias in text for alias in column.aliases)
    for label in HOTLINE_SOURCES.values():
        assert label in text
