"""Writers at the same moment on one store (lingyi/store/ ``Store.writing``), on SQLite and on PostgreSQL.

Several uploads for the same unit and period at once end with exactly one current version and every
submission in the history, each with its own seq: on SQLite because a writer takes the write lock at
BEGIN IMMEDIATE and the others wait (busy timeout), on PostgreSQL because writers queue on one advisory
lock. A process killed in the middle of storing a file leaves the store exactly as it was.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
import types
from pathlib import Path

import pytest
from factories import UNIT, column, learning_rows, titled, write_xlsx

from lingyi.__main__ import main
from lingyi.intake.ingest import Outcome, ingest_file
from lingyi.store import Store, sha256

WRITERS = 4


def october_return(folder: Path, number: int) -> Path:
    """One of several versions of the same unit's October return: different person-times, so different bytes."""
    rows = column(learning_rows(3), "参与人次", [number * 100 + 1, number * 100 + 2, number * 100 + 3])
    return write_xlsx(
        folder / f"民政局10月_第{number}版.xlsx", {"学习活动": titled(rows, unit=UNIT, period="2025年10月")}
    )


def assert_one_current_version_and_a_complete_history(store: Store, paths: list[Path]) -> None:
    history = store.history()
    assert sorted(history["file"]) == sorted(p.name for p in paths)  # every submission recorded
    assert history["seq"].is_unique
    current = history[history["replaced_by"].isna() & ~history["deleted"].astype(bool)]
    assert len(current) == 1  # exactly one current version
    newest = history.sort_values("seq").iloc[-1]
    assert current.iloc[0]["id"] == newest["id"]
    number = int(newest["file"].split("第")[1].split("版")[0])
    rows = store.current_rows("learning")
    assert sorted(rows["person_times"]) == [number * 100 + 1, number * 100 + 2, number * 100 + 3]
    assert set(rows["submission_id"]) == {newest["id"]}
    assert sorted(store.audit_log()["file"]) == sorted(p.name for p in paths)


@pytest.fixture(autouse=True)
def _plain_main_module(monkeypatch):
    """Spawned children re-run the parent's ``__main__`` file; after an AppTest in this worker that is app.py.

    A stand-in ``__main__`` with no file keeps the children to this module's own functions.
    """
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))


def test_threads_storing_the_same_unit_and_period_at_once_leave_one_current_version(store, tmp_path):
    paths = [october_return(tmp_path, n) for n in range(1, WRITERS + 1)]
    start = threading.Barrier(len(paths))
    outcomes: list[Outcome] = []

    def upload(path: Path) -> None:
        start.wait()
        outcomes.append(ingest_file(store, path.read_bytes(), path.name, user=path.stem).outcome)

    threads = [threading.Thread(target=upload, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == [Outcome.ACCEPTED] * len(paths)
    assert store.data_version() == len(paths)
    assert_one_current_version_and_a_complete_history(store, paths)


def test_the_same_file_uploaded_twice_at_once_is_stored_once(store, tmp_path):
    path = october_return(tmp_path, 1)
    start = threading.Barrier(2)

    def upload() -> None:
        start.wait()
        ingest_file(store, path.read_bytes(), path.name)

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    history = store.history()
    assert list(history["file"]) == [path.name]
    assert len(store.current_rows("learning")) == 3


def _ingest_in_a_process(url: str, path: str, start) -> None:
    start.wait(timeout=60)
    main(["ingest", path, "--db", url, "--user", Path(path).stem])


def test_processes_storing_the_same_unit_and_period_at_once_leave_one_current_version(store, tmp_path):
    paths = [october_return(tmp_path, n) for n in range(1, WRITERS + 1)]
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(len(paths))
    processes = [spawn.Process(target=_ingest_in_a_process, args=(store.url, str(p), start)) for p in paths]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [p.exitcode for p in processes] == [0] * len(paths)
    assert store.data_version() == len(paths)
    assert_one_current_version_and_a_complete_history(store, paths)


def _ingest_and_stop_inside_the_transaction(url: str, path: str, inside: str) -> None:
    """Store a file, but after its rows are written and before the commit, say so and wait to be killed."""
    from lingyi.store import submissions as submissions_module

    write_rows = submissions_module.bulk_insert

    def write_and_wait(conn, table, frame):
        write_rows(conn, table, frame)
        Path(inside).write_text("rows written, not committed")
        time.sleep(60)

    submissions_module.bulk_insert = write_and_wait
    main(["ingest", path, "--db", url])


def test_a_process_killed_while_storing_a_file_leaves_the_store_as_it_was(store, tmp_path):
    earlier = october_return(tmp_path, 1)
    assert ingest_file(store, earlier.read_bytes(), earlier.name).outcome is Outcome.ACCEPTED
    history, version, audit = store.history(), store.data_version(), store.audit_log()
    rows = store.current_rows("learning")

    later = october_return(tmp_path, 2)
    inside = tmp_path / "inside"
    spawn = multiprocessing.get_context("spawn")
    child = spawn.Process(target=_ingest_and_stop_inside_the_transaction, args=(store.url, str(later), str(inside)))
    child.start()
    deadline = time.monotonic() + 60
    while not inside.exists() and child.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert inside.exists(), "the child never reached the middle of its transaction"
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=30)
    assert child.exitcode == -signal.SIGKILL

    assert store.history().equals(history)
    assert store.data_version() == version
    assert store.audit_log().equals(audit)
    assert store.current_rows("learning").equals(rows)
    assert store.file_by_hash(sha256(later.read_bytes())) is None

    # Nothing of the dead writer holds the store: the next upload goes through (a lock left behind would
    # hold it for SQLite's busy timeout of 60 s, or for ever on PostgreSQL).
    began = time.monotonic()
    assert ingest_file(store, later.read_bytes(), later.name).outcome is Outcome.ACCEPTED
    assert time.monotonic() - began < 30
    assert_one_current_version_and_a_complete_history(store, [earlier, later])
