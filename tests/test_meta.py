"""Catalogues kept honest: no streamlit in the core, every alias tested, every module with its test module."""

from __future__ import annotations

import ast
from pathlib import Path

from test_reading import COLUMN_ALIASES
from test_validation import CHOICE_ALIASES

from lingyi.contract import SHEET_KINDS

LINGYI = Path(__file__).resolve().parent.parent / "lingyi"
TESTS = Path(__file__).resolve().parent
# Modules others were writing while this suite was written; each gets its test module with its author's change.


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_nothing_in_lingyi_but_ui_imports_streamlit():
    importers = sorted(p.name for p in LINGYI.rglob("*.py") if "streamlit" in imported_modules(p))
    assert [name for name in importers if name != "ui.py"] == []


def test_every_column_alias_of_the_contract_is_exercised():
    contract = {
        (kind.key, alias, column.key) for kind in SHEET_KINDS for column in kind.columns for alias in column.aliases
    }
    assert contract - set(COLUMN_ALIASES) == set()
    assert set(COLUMN_ALIASES) - contract == set()  # a tested alias the contract has dropped is a stale test


def test_every_choice_alias_of_the_contract_is_exercised():
    contract = {
        (kind.key, column.name, alias, value)
        for kind in SHEET_KINDS
        for column in kind.columns
        if column.choices is not None
        for alias, value in column.choices.aliases.items()
    }
    assert contract - set(CHOICE_ALIASES) == set()
    assert set(CHOICE_ALIASES) - contract == set()


def test_every_module_of_lingyi_has_a_test_module():
    modules = {p.stem for p in LINGYI.glob("*.py") if not p.stem.startswith("_")}
    modules.add("cli")  # __main__.py is tested by test_cli.py
    tested = {p.stem.removeprefix("test_") for p in TESTS.glob("test_*.py")}
    assert sorted(modules - tested) == []
