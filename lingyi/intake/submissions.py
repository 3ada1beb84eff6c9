"""A checked file's tables as the store takes them: one submission per unit and sheet kind, its columns those of
the store's row tables."""

from __future__ import annotations

import itertools
import operator
from collections import defaultdict

from lingyi.intake.valid import ValidTable
from lingyi.store import NewSubmission, problem_key
from lingyi.values import Period


def build_submissions(tables: list[ValidTable]) -> list[NewSubmission]:
    """One submission per unit and sheet kind, over the file's period for that kind."""
    by_kind: dict[str, list[ValidTable]] = defaultdict(list)
    for table in tables:
        by_kind[table.kind.key].append(table)
    submissions = []
    for kind, kind_tables in by_kind.items():
        period = Period(min(t.period.start for t in kind_tables), max(t.period.end for t in kind_tables))
        declared = all(t.declared for t in kind_tables)
        keys = list(kind_tables[0].values)
        columns = _store_columns(
            kind, {k: list(itertools.chain.from_iterable(t.values[k] for t in kind_tables)) for k in keys}
        )
        units = list(dict.fromkeys(columns["unit"]))
        if len(units) == 1:  # the common case: its rows are all the rows
            groups = [(units[0], columns)]
        else:
            at: dict[str, list[int]] = defaultdict(list)
            for index, unit in enumerate(columns["unit"]):
                if unit is not None:
                    at[unit].append(index)
            # itemgetter takes a unit's cells out of a column in one C call, not one call a cell.
            takers = [
                (u, operator.itemgetter(*indexes) if len(indexes) > 1 else None, indexes) for u, indexes in at.items()
            ]
            groups = [
                (u, {k: list(take(c)) if take else [c[indexes[0]]] for k, c in columns.items()})
                for u, take, indexes in takers
            ]
        for unit, rows in groups:
            sheets = tuple(dict.fromkeys(rows["sheet"]))
            submissions.append(NewSubmission(str(unit), kind, period, declared, sheets, rows))
    return submissions


def _store_columns(kind: str, columns: dict[str, list]) -> dict[str, list]:
    """The validated columns as the store's row table has them."""
    if kind == "learning":
        columns["month"] = [d.year * 100 + d.month for d in columns["date"]]
    elif kind == "problems":
        columns["key"] = [
            problem_key(n, d, f) for n, d, f in zip(columns["number"], columns["description"], columns["found_date"])
        ]
    elif kind == "indicators":
        periods = columns.pop("period")
        columns["period_start"] = [p.start for p in periods]
        columns["period_end"] = [p.end for p in periods]
    return columns
