"""Catalogues kept honest: the rooms of the package and what each may import, no import circle, streamlit only in
the UI room, every alias tested, every module with its test module."""

from __future__ import annotations

import ast
import graphlib
import importlib
import statistics
from pathlib import Path

import pytest
from intake.test_reading import COLUMN_ALIASES
from intake.test_validation import CHOICE_ALIASES

from lingyi.contract import SHEET_KINDS

LINGYI = Path(__file__).resolve().parent.parent / "lingyi"
TESTS = Path(__file__).resolve().parent


ROOT = LINGYI.parent

# The shared vocabulary every room may use, and the rooms by the stage they serve. A module of lingyi/ itself is
# in the room this table names; a module in a folder is in that folder's room.
TOP_LEVEL_ROOMS = {
    "contract": "shared",
    "values": "shared",
    "errors": "shared",
    "registry": "shared",
    "workbooks": "shared",
    "__main__": "cli",
    "__init__": "shared",
}
EVERY_ROOM = {"shared", "store", "intake", "metrics", "figures", "export", "access", "ui", "cli"}
MAY_IMPORT = {
    "shared": {"shared"},
    "store": {"shared", "store"},
    "intake": {"shared", "store", "intake"},
    "metrics": {"shared", "store", "metrics"},
    "figures": {"shared", "figures"},
    "export": {"shared", "metrics", "figures", "export"},
    "access": {"shared", "store", "access"},
    "ui": EVERY_ROOM - {"cli"},
    "cli": EVERY_ROOM - {"ui"},
}
# Each exception is one import, in one function, with its reason.
EXCEPTIONS = {
    (
        "lingyi/store/migrations.py",
        "lingyi.intake.reading",
    ): "migration 7 reads the stored original files again to re-key them",
}


def lingyi_modules() -> list[Path]:
    return sorted(LINGYI.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "shared"  # lingyi itself
    if (LINGYI / parts[1]).is_dir():
        return parts[1]
    return TOP_LEVEL_ROOMS[parts[1]]


def imports_of(path: Path) -> set[str]:
    """Every lingyi module this file imports, anywhere in it (inside functions and ``if TYPE_CHECKING`` too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # from lingyi.intake import reading: the module lingyi.intake.reading
                submodule = f"{node.module}.{alias.name}"
                where = ROOT / submodule.replace(".", "/")
                known = where.with_suffix(".py").exists() or (where / "__init__.py").exists()
                names.add(submodule if known else node.module)
    return names


def imported_modules(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imports_of(path)}


def test_every_module_is_in_a_room_that_exists():
    assert {room(module_name(path)) for path in lingyi_modules()} <= EVERY_ROOM


def test_each_room_imports_only_the_rooms_it_may():
    broken = []
    for path in lingyi_modules():
        here = room(module_name(path))
        for imported in sorted(imports_of(path)):
            if not imported.startswith("lingyi"):
                continue
            there = room(imported)
            key = (str(path.relative_to(ROOT)), imported)
            if there not in MAY_IMPORT[here] and key not in EXCEPTIONS:
                broken.append(f"{key[0]} ({here}) imports {imported} ({there})")
    assert broken == []


def test_every_exception_is_still_needed():
    found = {(str(path.relative_to(ROOT)), imported) for path in lingyi_modules() for imported in imports_of(path)}
    assert set(EXCEPTIONS) - found == set()


def test_no_import_circle_between_modules():
    graph = {
        module_name(path): {name for name in imports_of(path) if name.startswith("lingyi.")}
        for path in lingyi_modules()
    }
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError naming the circle


def test_nothing_in_lingyi_but_the_ui_room_imports_streamlit():
    importers = [module_name(p) for p in lingyi_modules() if "streamlit" in imported_modules(p)]
    assert [name for name in importers if room(name) != "ui"] == []


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


# A module whose behaviour is tested through a neighbour's entry point: the test module that covers it.
TESTED_WITH = {
    "lingyi/__main__.py": "tests/cli/test_main.py",
    "lingyi/cli/shared.py": "tests/cli/test_main.py",
    "lingyi/store/audit.py": "tests/store/test_store.py",
    "lingyi/store/hotline.py": "tests/store/test_store.py",
    "lingyi/store/migrations.py": "tests/store/test_store.py",
    "lingyi/store/registries.py": "tests/store/test_store.py",
    "lingyi/store/schema.py": "tests/store/test_store.py",
    "lingyi/store/sql.py": "tests/store/test_store.py",
    "lingyi/store/submissions.py": "tests/store/test_store.py",
    "lingyi/ui/busy.py": "tests/ui/test_upload.py",
    "lingyi/intake/workers.py": "tests/intake/test_ingest.py",
    "lingyi/intake/prior_year.py": "tests/intake/test_ingest.py",
    "lingyi/intake/submissions.py": "tests/intake/test_replacements.py",
    "lingyi/intake/files.py": "tests/intake/test_reading.py",
    "lingyi/intake/headers.py": "tests/intake/test_reading.py",
    "lingyi/intake/info.py": "tests/intake/test_reading.py",
    "lingyi/intake/raw.py": "tests/intake/test_reading.py",
    "lingyi/intake/rules.py": "tests/intake/test_validation.py",
    "lingyi/intake/valid.py": "tests/intake/test_validation.py",
    "lingyi/intake/ticket_files.py": "tests/intake/test_tickets.py",
    "lingyi/intake/ticket_checks.py": "tests/intake/test_tickets.py",
    "lingyi/ui/archive.py": "tests/test_pages.py",
    "lingyi/figures/theme.py": "tests/figures/test_charts.py",
    "lingyi/figures/blocks.py": "tests/figures/test_charts.py",
    "lingyi/figures/by_month.py": "tests/figures/test_charts.py",
    "lingyi/export/content.py": "tests/export/test_briefing.py",
    "lingyi/export/formats.py": "tests/export/test_briefing.py",
    "lingyi/export/wording.py": "tests/export/test_narrative.py",
    "lingyi/export/slides.py": "tests/export/test_slides_and_report.py",
    "lingyi/export/report.py": "tests/export/test_slides_and_report.py",
    "lingyi/metrics/dataset.py": "tests/metrics/test_metrics.py",
    "lingyi/metrics/coverage.py": "tests/metrics/test_metrics.py",
    "lingyi/metrics/learning.py": "tests/metrics/test_metrics.py",
    "lingyi/metrics/hotline.py": "tests/metrics/test_metrics.py",
    "lingyi/metrics/problems.py": "tests/metrics/test_metrics.py",
    "lingyi/metrics/indicators.py": "tests/metrics/test_metrics.py",
    "lingyi/metrics/summary.py": "tests/metrics/test_metrics.py",
    "lingyi/ui/data.py": "tests/test_pages.py",
    "lingyi/ui/snapshots.py": "tests/test_pages.py",
    "lingyi/ui/writes.py": "tests/ui/test_manage.py",
}


def test_every_module_of_lingyi_has_a_test_module_where_the_package_has_it():
    missing = []
    for path in lingyi_modules():
        if path.name == "__init__.py":
            continue
        relative = path.relative_to(ROOT)
        mirrored = TESTS.joinpath(*relative.parts[1:-1], f"test_{path.stem}.py")
        tested_with = TESTED_WITH.get(str(relative))
        if not mirrored.exists() and not (tested_with and (ROOT / tested_with).exists()):
            missing.append(str(relative))
    assert missing == []


def test_every_tested_with_entry_names_a_module_and_a_test_module_that_exist():
    assert [m for m, t in TESTED_WITH.items() if not (ROOT / m).exists() or not (ROOT / t).exists()] == []


# Issue 20's measure of rooms a newcomer can read: no module too long to hold in mind, most of them short, and
# every page a short top-to-bottom script.
LONGEST_MODULE = 700
MEDIAN_MODULE = 300
LONGEST_PAGE = 90


def lines_of(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_of_lingyi_is_longer_than_the_rooms_allow():
    assert {str(p.relative_to(ROOT)): lines_of(p) for p in lingyi_modules() if lines_of(p) > LONGEST_MODULE} == {}


def test_most_modules_of_lingyi_are_short():
    assert statistics.median(lines_of(p) for p in lingyi_modules()) <= MEDIAN_MODULE


def test_every_page_and_the_app_are_short_scripts():
    scripts = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    assert {p.name: lines_of(p) for p in scripts if lines_of(p) > LONGEST_PAGE} == {}


@pytest.mark.parametrize("script", sorted(p.stem for p in (ROOT / "bench").glob("*.py") if p.stem != "__init__"))
def test_every_benchmark_still_imports_what_it_measures(script):
    """A benchmark is run by hand, not by CI: a name moved in lingyi/ would otherwise break it unseen."""
    importlib.import_module(f"bench.{script}")
