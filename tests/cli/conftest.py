"""The command line run against each test's store."""

from __future__ import annotations

import pytest

from lingyi.__main__ import main


@pytest.fixture
def cli(store, capsys):
    """Run the command line against the test's store: ``cli("ingest", path)`` → (exit code, stdout, stderr)."""

    def cli(*args: object, db: bool = True):
        argv = [str(a) for a in args]
        if db:
            argv += ["--db", store.url]
        code = main(argv)
        out, err = capsys.readouterr()
        return code, out, err

    return cli
