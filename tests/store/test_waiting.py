"""lingyi/store/waiting.py: an SQLite writer that waits for another's write lock says 「数据库正忙，等待其他写入完成……」
(once, in the command line's standard error; on the upload page, see tests/test_upload_pages.py), then goes on.

Another connection holds the write lock; it lets go only once the notice has come, so nothing here depends on how
long anything takes: the writer cannot have finished before the notice, and it finishes after the release.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from factories import ON_POSTGRES, UNIT, csv_bytes, learning_rows

from lingyi.intake.ingest import Outcome, ingest_file
from lingyi.store import Store, waiting

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="SQLite's write lock; the SQLite pass covers it")

ROOT = Path(__file__).resolve().parents[2]
WAIT = 120  # seconds: generous bounds on events that come long before


@pytest.fixture
def database(tmp_path) -> Path:
    path = tmp_path / "lingyi.db"
    Store(f"sqlite:///{path}").close()  # the schema in place: opening it again only reads
    return path


def held_write_lock(path: Path) -> sqlite3.Connection:
    """Another writer, in the middle of its write: it holds the lock until it commits."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


def a_return(folder: Path, month: int = 10) -> Path:
    path = folder / f"民政局_2025年{month}月_学习活动.csv"
    path.write_bytes(csv_bytes(learning_rows(2, unit=UNIT, month=202500 + month)))
    return path


def test_a_writer_waiting_for_the_lock_says_so_once_and_goes_on_when_it_is_free(database, tmp_path, monkeypatch):
    monkeypatch.setattr(waiting, "NOTICE_AFTER_SECONDS", 0.2)  # not to make the test wait; any value works alike
    store = Store(f"sqlite:///{database}")
    said: list[str] = []
    notice = threading.Event()
    done: dict[str, object] = {}
    path = a_return(tmp_path)

    def write() -> None:
        with waiting.told(lambda message: (said.append(message), notice.set())):
            done["result"] = ingest_file(store, path.read_bytes(), path.name)

    other = held_write_lock(database)
    writer = threading.Thread(target=write)
    try:
        writer.start()
        assert notice.wait(WAIT), "no notice while the lock was held"
        assert writer.is_alive()  # still waiting: the lock is held until the commit below
    finally:
        other.execute("COMMIT")
        other.close()
    writer.join(WAIT)
    try:
        assert not writer.is_alive() and done["result"].outcome is Outcome.ACCEPTED
        assert said == [waiting.BUSY] == ["数据库正忙，等待其他写入完成……"]
        assert len(store.history()) == 1
    finally:
        store.close()


def test_a_writer_that_gets_the_lock_at_once_says_nothing(database, tmp_path):
    store = Store(f"sqlite:///{database}")
    said: list[str] = []
    path = a_return(tmp_path)
    try:
        with waiting.told(said.append):
            assert ingest_file(store, path.read_bytes(), path.name).outcome is Outcome.ACCEPTED
        assert said == []
        with store.engine.connect() as conn:  # the long wait is back for the next writer
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == waiting.BUSY_TIMEOUT_MS
    finally:
        store.close()


def test_once_tells_only_the_first_time():
    said: list[str] = []
    say = waiting.once(said.append)
    say("a")
    say("b")
    assert said == ["a"]


def test_ingest_says_on_standard_error_that_it_waits_for_another_write(database, tmp_path):
    """The command line as a person runs it, its notice after the real few seconds."""
    paths = [a_return(tmp_path, month) for month in (9, 10)]
    other = held_write_lock(database)
    try:
        running = subprocess.Popen(
            [sys.executable, "-m", "lingyi", "ingest", *map(str, paths), "--db", f"sqlite:///{database}"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        before: list[str] = []
        for line in running.stderr:  # each line as it comes; the end of the output if the notice never does
            before.append(line)
            if waiting.BUSY in line:
                break
        assert before and before[-1].strip() == waiting.BUSY, before
        assert running.poll() is None  # waiting still
    finally:
        other.execute("COMMIT")
        other.close()
    out, err = running.communicate(timeout=WAIT)
    assert running.returncode == 0, err
    assert waiting.BUSY not in err  # said once
    assert out.strip().splitlines()[-1] == "共 2 个文件：入库 2，无变化 0，拒收 0。"
