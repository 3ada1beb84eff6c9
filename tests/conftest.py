"""Fixtures shared by the core's tests: an empty store per test, the default registry, and ``submit``.

The store is an SQLite file in the test's own folder; when ``LINGYI_DATABASE_URL`` points at
PostgreSQL the same tests run there, every table dropped and created again for each test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from lingyi.ingest import IngestResult, ingest_file
from lingyi.registry import Registry, default_registry
from lingyi.store import DATABASE_URL_VARIABLE, Store, metadata

_CONFIGURED_URL = os.environ.get(DATABASE_URL_VARIABLE, "")
ON_POSTGRES = _CONFIGURED_URL.startswith("postgresql")


@pytest.fixture(scope="session", autouse=True)
def _no_project_database(tmp_path_factory):
    """A test that forgets ``--db`` writes to a scratch SQLite file, never to the project's data folder."""
    if ON_POSTGRES:
        yield
        return
    scratch = f"sqlite:///{tmp_path_factory.mktemp('default-db') / 'lingyi.db'}"
    before = os.environ.get(DATABASE_URL_VARIABLE)
    os.environ[DATABASE_URL_VARIABLE] = scratch
    yield
    if before is None:
        os.environ.pop(DATABASE_URL_VARIABLE, None)
    else:
        os.environ[DATABASE_URL_VARIABLE] = before


@pytest.fixture
def store(tmp_path: Path):
    """A store that starts empty: nothing submitted, data version 0."""
    if ON_POSTGRES:
        engine = sa.create_engine(_CONFIGURED_URL)
        metadata.drop_all(engine)
        engine.dispose()
        opened = Store(_CONFIGURED_URL)
    else:
        opened = Store(f"sqlite:///{tmp_path / 'lingyi.db'}")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def registry() -> Registry:
    return default_registry()


@pytest.fixture
def submit(store: Store, registry: Registry):
    """Ingest one file from disk into ``store``: ``submit(path, period=…, dry_run=…)``."""

    def submit(path: Path, **options) -> IngestResult:
        return ingest_file(store, path.read_bytes(), path.name, registry=registry, **options)

    return submit
