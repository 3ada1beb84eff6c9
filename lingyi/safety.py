"""What the app writes must not turn a unit's text into something that runs.

A cell that starts with = + - @ (or a tab or carriage return before them) is taken by Excel,
WPS and LibreOffice as a formula when the .csv or .xlsx is opened: 「=HYPERLINK(…)」 in an
activity name would become a live link in an analyst's export (CSV/formula injection). Every
workbook the app hands out is written by ``lingyi.exports`` (``put`` stores such text as a string with Excel's
quote prefix); a .csv is written from ``escape_frame``, whose text starts with an apostrophe, which Excel shows
as plain text. ``FORMULA_STARTS`` is the one list of what counts as such a start; numbers are left alone.

Text shown on the pages (unit names, Finding messages) is plain text: render it with
``st.dataframe``/``st.text``/``st.write`` of strings, never markdown with ``unsafe_allow_html``.
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    """Text that a spreadsheet would take as a formula; a number (a negative one too) is not."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def escape_formula(value: object) -> object:
    """``value`` made safe for a spreadsheet cell: text that a spreadsheet would run gets a leading apostrophe."""
    if is_formula_like(value):
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
