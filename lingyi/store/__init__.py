"""The store room: the database of files, submissions and rows, with their history (spec §4).

Its one rule: the store sees only the shared vocabulary (lingyi.contract, values, errors, registry, workbooks),
never the rooms that use it; the one exception is migration 7, which reads stored files again (``migrations``).

The handle is ``Store`` (``store``); below it the tables (``schema``) and their ``migrations``, the engine and the
driver's SQL (``sql``), the ``audit`` log, ``submissions`` and their files, 热线指标 by source (``hotline``),
the versions of the 单位名录 (``registries``), and ``backup`` and ``faults``. What other rooms use is imported from here.
"""

from lingyi.store.audit import AUDIT_HEADINGS
from lingyi.store.migrations import SCHEMA_VERSION, problem_key
from lingyi.store.schema import (
    ROW_TABLES,
    ROW_VALUES,
    SESSION_KEY,
    audit_table,
    files_table,
    kind_name,
    meta_table,
    metadata,
    registries_table,
    sessions_table,
    set_meta,
    settings_table,
    sign_ins_table,
    snapshot_submissions_table,
    snapshots_table,
    submissions_table,
    users_table,
)
from lingyi.store.sql import DATABASE_URL_VARIABLE, default_url, now, row_values, sha256
from lingyi.store.store import Batch, Store
from lingyi.store.submissions import NewSubmission, month_owner_ids

__all__ = [
    "AUDIT_HEADINGS",
    "DATABASE_URL_VARIABLE",
    "ROW_TABLES",
    "ROW_VALUES",
    "SCHEMA_VERSION",
    "SESSION_KEY",
    "Batch",
    "NewSubmission",
    "Store",
    "audit_table",
    "default_url",
    "files_table",
    "kind_name",
    "meta_table",
    "metadata",
    "month_owner_ids",
    "now",
    "problem_key",
    "registries_table",
    "row_values",
    "sessions_table",
    "set_meta",
    "settings_table",
    "sha256",
    "sign_ins_table",
    "snapshot_submissions_table",
    "snapshots_table",
    "submissions_table",
    "users_table",
]
