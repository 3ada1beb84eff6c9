"""lingyi/cli/main.py and lingyi/__main__.py: ``python -m lingyi`` runs the command line, finds its database and
closes it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli.test_returns import good_file

from lingyi.__main__ import main
from lingyi.store import Store

PROJECT = Path(__file__).resolve().parents[2]


def test_database_comes_from_the_environment_without_db(cli, monkeypatch, store, tmp_path):
    monkeypatch.setenv("LINGYI_DATABASE_URL", store.url)
    code, _, _ = cli("ingest", good_file(tmp_path), db=False)
    assert code == 0
    assert len(store.history()) == 1


@pytest.mark.parametrize("argv", [["history"], ["summary", "--json"], ["restore", "9"], ["ingest", "{good}"]])
def test_each_command_closes_the_database_it_opened(store, monkeypatch, capsys, tmp_path, argv):
    """main() runs many times in one process (scripts, tests): on PostgreSQL an unclosed pool leaks connections."""
    closed = []
    monkeypatch.setattr(Store, "close", lambda self: closed.append(self.url) or self.engine.dispose())
    main([a.replace("{good}", str(good_file(tmp_path))) for a in argv] + ["--db", store.url])
    assert closed == [store.url]


# -- the module entry ---------------------------------------------------------------------------------------------------


def test_python_m_lingyi_runs_the_command_line(store, tmp_path):
    path = good_file(tmp_path)
    environment = {**os.environ, "PYTHONPATH": str(PROJECT)}
    done = subprocess.run(
        [sys.executable, "-m", "lingyi", "ingest", str(path), "--db", store.url],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[0] == "accepted  民政局10月.xlsx  已入库  学习活动 3行"
    assert len(store.history()) == 1
