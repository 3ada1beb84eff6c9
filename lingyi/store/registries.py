"""The versions of the 单位名录 kept in the store: the newest counts, every earlier one stays."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lingyi.registry import Registry, default_registry, parse_registry
from lingyi.store.schema import registries_table
from lingyi.store.sql import now


def latest_registry(conn: Connection) -> Registry:
    """The newest stored registry; the default one where none was ever stored."""
    row = conn.execute(
        sa.select(registries_table.c.content, registries_table.c.name).order_by(registries_table.c.id.desc()).limit(1)
    ).first()
    if row is None:
        return default_registry()
    return parse_registry(bytes(row.content), row.name)


def add_registry(conn: Connection, content: bytes, name: str, user: str, units: int) -> None:
    """A new version of the registry, newest from now on (the caller audits it)."""
    conn.execute(
        registries_table.insert().values(content=content, name=name, uploaded_at=now(), uploaded_by=user, units=units)
    )


def registry_history(conn: Connection) -> pd.DataFrame:
    """Every stored version of the registry, newest first."""
    return pd.DataFrame(
        conn.execute(
            sa.select(
                registries_table.c.id,
                registries_table.c.name,
                registries_table.c.units,
                registries_table.c.uploaded_at,
                registries_table.c.uploaded_by,
            ).order_by(registries_table.c.id.desc())
        ).all(),
        columns=["id", "name", "units", "uploaded_at", "uploaded_by"],
    )
