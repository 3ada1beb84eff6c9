"""What the app writes must not turn a unit's text into something that runs.

A cell that starts with = + - @ (or a tab or carriage return before them) is taken by Excel,
WPS and LibreOffice as a formula when the .csv or .xlsx is opened: 「=HYPERLINK(…)」 in an
activity name would become a live link in an analyst's export (CSV/formula injection). Every
writer of .xlsx or .csv files calls ``escape_formula`` on each text value it writes, or
``escape_frame`` on a frame before ``to_csv``/``to_excel``. The escaped text starts with an
apostrophe, which Excel shows as plain text; numbers are left alone.

Text shown on the pages (unit names, Finding messages) is plain text: render it with
``st.dataframe``/``st.text``/``st.write`` of strings, never markdown with ``unsafe_allow_html``.
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: object) -> object:
    """``value`` made safe for a spreadsheet cell: text that a spreadsheet would run gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with ``escape_formula`` applied to every text cell and to the column names."""
    escaped = frame.copy()
    for name in escaped.columns:
        column = escaped[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            escaped[name] = column.map(escape_formula).astype(object)
    escaped.columns = [escape_formula(c) for c in escaped.columns]
    return escaped
