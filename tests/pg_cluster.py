"""A PostgreSQL cluster of a test's own, for the tests of faults: restarted, stopped and started again while the
code under test holds connections to it, which the suite's shared cluster must never be.

It is started by ``scripts/postgres.sh`` with ``LINGYI_PG_DURABLE=1``: fsync and synchronous_commit on, as on a
real server, so that a file reported stored before a restart is one a real server would keep. Tests that use it are
marked ``postgres``: they run in the PostgreSQL pass of scripts/check.sh and are skipped without PostgreSQL's
binaries (tests/conftest.py).
"""

from __future__ import annotations

import glob
import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "postgres.sh"


READY = "database system is ready to accept connections"


def have_binaries() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))


def synchronous(url: str) -> str:
    """``url`` with synchronous_commit on for each of its sessions, whatever the cluster's setting: a commit is
    answered only once its WAL is flushed."""
    return (
        sa.make_url(url)
        .update_query_dict({"options": "-c synchronous_commit=on"})
        .render_as_string(hide_password=False)
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """``scripts/postgres.sh start`` in a folder of its own under the temporary directory (the ``postgres`` user
    must reach it, which pytest's private tmp_path does not allow), on a free port."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="lingyi-own-pg-", dir=tempfile.gettempdir()))
        self.url = self._run("start", str(_free_port()), durable=True).strip().splitlines()[-1]

    def _run(self, action: str, *extra: str, durable: bool = False) -> str:
        environment = {**os.environ, "LINGYI_PG_DURABLE": "1"} if durable else os.environ
        done = subprocess.run(
            ["bash", str(SCRIPT), action, str(self.dir), *extra],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
        )
        if done.returncode != 0:
            log = self.dir / "server.log"
            raise RuntimeError(
                f"postgres.sh {action}: {done.stderr}\n{log.read_text(errors='replace') if log.exists() else ''}"
            )
        return done.stdout

    def restart(self) -> None:
        """pg_ctl restart -m fast: every session is cut, the server is back when this returns."""
        self._run("restart")

    def pause(self) -> None:
        """The server stopped (-m fast), its data kept: the database is away until ``resume``."""
        self._run("pause")

    def resume(self) -> None:
        self._run("resume")

    def crash_backends(self) -> None:
        """``kill -9`` of every session's backend but the one asking: the server takes that as a crash, ends every
        session, recovers from its write-ahead log and is back when this returns."""
        ready = self._log().count(READY)
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                pids = conn.exec_driver_sql(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).scalars()
                pids = list(pids)
        finally:
            engine.dispose()
        assert pids, "no session to kill"
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 120  # a bound, generous: recovery of a small cluster takes a moment
        while self._log().count(READY) == ready:  # the server says when it is back, in its log
            assert time.monotonic() < deadline, self._log()
            time.sleep(0.1)

    def _log(self) -> str:
        return (self.dir / "server.log").read_text(errors="replace")

    def remove(self) -> None:
        self._run("stop")
