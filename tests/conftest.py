"""Fixtures shared by the core's tests: an empty store per test, the default registry, and ``submit``.

The store is an SQLite file in the test's own folder; when ``LINGYI_DATABASE_URL`` points at
PostgreSQL the same tests run there, every table dropped and created again for each test. Under
pytest-xdist each worker has a database of its own beside the configured one (``lingyi_test_gw0`` …),
created on first use, so workers never drop each other's tables.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import hypothesis
import pytest
import sqlalchemy as sa
from factories import stand_in_picture
from pg_cluster import Cluster, have_binaries

from lingyi.intake.ingest import IngestResult, ingest_file
from lingyi.registry import Registry, default_registry
from lingyi.store import DATABASE_URL_VARIABLE, Store, metadata

# Pages are exercised as the 演示模式 analyst (no sign-in), in AppTest and in the browser servers the tests start;
# tests/ui/test_sign_in.py turns it off to test signing in and the roles.
os.environ["LINGYI_DEMO"] = "1"

# Property tests draw the same examples on every run and have no time limit per example: a busy machine or another
# run's examples must never turn a green suite red.
hypothesis.settings.register_profile("lingyi", deadline=None, derandomize=True, database=None)
hypothesis.settings.load_profile("lingyi")

_CONFIGURED_URL = os.environ.get(DATABASE_URL_VARIABLE, "")
ON_POSTGRES = _CONFIGURED_URL.startswith("postgresql")


@functools.cache
def postgres_url() -> str:
    """The configured PostgreSQL database, or this xdist worker's own database beside it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return _CONFIGURED_URL
    base = sa.engine.make_url(_CONFIGURED_URL)
    url = base.set(database=f"{base.database}_{worker}")
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database})
            if exists.scalar() is None:
                conn.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
    finally:
        engine.dispose()
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session", autouse=True)
def _no_project_database(tmp_path_factory):
    """A test that forgets ``--db`` writes to a scratch SQLite file (on PostgreSQL: the worker's database)."""
    if ON_POSTGRES:
        os.environ[DATABASE_URL_VARIABLE] = postgres_url()
        yield
        os.environ[DATABASE_URL_VARIABLE] = _CONFIGURED_URL
        return
    scratch = f"sqlite:///{tmp_path_factory.mktemp('default-db') / 'lingyi.db'}"
    before = os.environ.get(DATABASE_URL_VARIABLE)
    os.environ[DATABASE_URL_VARIABLE] = scratch
    yield
    if before is None:
        os.environ.pop(DATABASE_URL_VARIABLE, None)
    else:
        os.environ[DATABASE_URL_VARIABLE] = before


def pytest_collection_modifyitems(config, items):
    """A test marked ``postgres`` (a cluster of its own, restarted or stopped) runs once, in the PostgreSQL pass."""
    for item in items:
        if item.get_closest_marker("postgres") and not ON_POSTGRES:
            item.add_marker(pytest.mark.skip(reason="runs in the PostgreSQL pass (LINGYI_DATABASE_URL=postgresql…)"))


@pytest.fixture
def own_postgres():
    """A durable PostgreSQL cluster of this test's own (tests/pg_cluster.py), removed afterwards."""
    if not have_binaries():
        pytest.skip("PostgreSQL is not installed")
    cluster = Cluster()
    yield cluster
    cluster.remove()


@pytest.fixture
def store(tmp_path: Path):
    """A store that starts empty: nothing submitted, data version 0."""
    if ON_POSTGRES:
        engine = sa.create_engine(postgres_url())
        metadata.drop_all(engine)
        engine.dispose()
        opened = Store(postgres_url())
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


@pytest.fixture
def stand_in_pictures(monkeypatch):
    """Every picture a plain PNG (``factories.stand_in_picture``), and a browser said to be there to draw them."""
    from lingyi.figures import pictures

    monkeypatch.setattr(pictures, "png", stand_in_picture)
    monkeypatch.setattr(pictures, "availability", lambda: pictures.Availability("/usr/bin/chromium", ("Noto",)))
    return stand_in_picture
