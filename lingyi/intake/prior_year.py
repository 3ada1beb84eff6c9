"""上年同期 in a 热线指标 return against the unit's own rows of a year earlier, and a year later (spec §3): where
they disagree, a warning says which figure the year-on-year change is worked out from."""

from __future__ import annotations

from lingyi.errors import Finding, Level
from lingyi.intake.valid import ValidatedFile
from lingyi.values import add_months, missing, month_label

_PRIOR_FIELDS = (
    ("appeals", "appeals_prev", "诉求量"),
    ("first_time_rate", "first_time_rate_prev", "一次性办好率"),
    ("resolution_rate", "resolution_rate_prev", "问题解决率"),
    ("satisfaction_rate", "satisfaction_rate_prev", "群众满意率"),
)


def prior_year_conflicts(validated: ValidatedFile, stored: dict[tuple[str, int], dict]) -> list[Finding]:
    """上年同期 values that disagree with the unit's own rows of a year earlier (spec §3): the own row wins.

    Either way round (see ``_CONFLICTS``): the file's 上年同期 against the stored rows a year earlier, and the
    file's own months against the 上年同期 that stored rows a year later gave. ``stored`` is the store's current
    热线指标 rows by (unit, month), at least of the file's units.
    """
    findings = []
    for table in (t for t in validated.tables if t.kind.key == "hotline"):
        columns = ["unit", "month", "row", *(field for this, prev, _ in _PRIOR_FIELDS for field in (this, prev))]
        for values in zip(*(table.values[c] for c in columns)):
            record = dict(zip(columns, values))
            if record["month"] is None:
                continue
            for shift, in_file, in_store, message in _CONFLICTS:
                other = add_months(record["month"], shift)
                row = stored.get((record["unit"], other))
                if row is None:
                    continue
                for this, prev, label in _PRIOR_FIELDS:
                    fields = {"this": this, "prev": prev}
                    given, kept = record[fields[in_file]], row[fields[in_store]]
                    if missing(given) or missing(kept) or abs(float(given) - float(kept)) <= 1e-9:
                        continue
                    default_header = label if in_file == "this" else f"上年同期{label}"
                    letter, header = table.headers.get(fields[in_file], (None, default_header))
                    text = message.format(
                        label=label, given=_shown(this, given), kept=_shown(this, kept), month=month_label(other)
                    )
                    findings.append(
                        Finding(
                            Level.WARNING,
                            validated.name,
                            text,
                            sheet=table.sheet,
                            row=int(record["row"]),
                            column=letter,
                            column_name=header,
                            value=_shown(this, given),
                        )
                    )
    return findings


# (months to the other row, the file's field, the stored row's field, what the warning says)
_CONFLICTS = (
    (
        -12,
        "prev",
        "this",
        "上年同期{label}填报为 {given}，但系统中 {month} 的数据为 {kept}；同比按系统中的数据计算。",
    ),
    (12, "this", "prev", "{label}为 {given}，但系统中 {month} 的报表填报的上年同期为 {kept}；同比按本表的数据计算。"),
)


def _shown(field: str, value: float) -> str:
    return f"{value:,.0f}" if field == "appeals" else f"{value * 100:.2f}%"
