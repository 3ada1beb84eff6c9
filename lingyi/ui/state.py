"""The session-state keys the room's modules share, and the context of the page app.py is running.

A widget bound to the URL (``bind="query-params"``) uses its key as the query parameter's name, so these names are
also the vocabulary of a dashboard link. A key only one module uses is declared in that module.
"""

from __future__ import annotations

import contextvars
from pathlib import Path

from lingyi import metrics
from lingyi.metrics import snapshots

PROJECT_DIR = Path(__file__).resolve().parents[2]
PROFILE_PAGE = "pages/unit.py"
LATEST = 0  # the through-month option meaning "the latest month with data"
DEBUG_VARIABLE = "LINGYI_DEBUG"

# -- session-state keys (the bound ones are also query parameters) ---------------------------------------------

YEAR = "year"
THROUGH = "through"
CATEGORY = "category"
UNIT = "unit"
PROFILE_UNIT = "profile"
LEARNING_MEASURE = "measure"
HOTLINE_RATE = "rate"
ENTRY_REDIRECTS = "_lingyi_entry_redirects"
SNAPSHOT = "snapshot"  # the 会议版 shown instead of the live store; also a query parameter
LIVE = snapshots.LIVE_NAME  # the picker's option for the live store; a link names a 会议版 by its own name

# The dataset and scope of the page app.py is running, for this run only. Not session state: a value deleted
# there after st.stop() comes back on the next run, and a stale scope is what this must never give.
PAGE_CONTEXT: contextvars.ContextVar[tuple[metrics.Dataset, metrics.Scope] | None] = contextvars.ContextVar(
    "lingyi_page_context", default=None
)
# The 会议版 shown instead of the live store in this run, if any (set with the page context).
SHOWN_SNAPSHOT: contextvars.ContextVar[snapshots.Snapshot | None] = contextvars.ContextVar(
    "lingyi_shown_snapshot", default=None
)
