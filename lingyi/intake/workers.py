"""Files checked in a pool of forked processes while the one that started them stores (``Checks``): how many
there are (``folder_workers``), how files are sent to them a few at a time, and how each ends with the process that
started it, however that ends.

Rule: a worker only checks files, with the check it is given; nothing here reads or writes the store.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from lingyi.intake.valid import ValidatedFile
from lingyi.registry import Registry


def folder_workers() -> int:
    """How many processes read a folder for the command line: one per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# A file this big is checked in the process that stores it: its frames would cost more to send back than the
# reading of it gains from another core, and its memory stays where it is measured.
POOL_MAX_BYTES = 2 * 1024 * 1024


# Files sent to a worker as one task: a task's own cost (pickling, the pipes, waking the threads on either side)
# is paid per few small returns instead of per return.
POOL_CHUNK_FILES = 8


POOL_CHUNK_BYTES = 512 * 1024


class Checks:
    """``check(data, name, registry, **options)`` for each file, in this process or in a pool of forked ones (a few
    files a task)."""

    def __init__(self, check: Callable[..., ValidatedFile], registry: Registry, options: dict, workers: int):
        self.check, self.registry, self.options, self.workers = check, registry, options, workers
        self.pool: ProcessPoolExecutor | None = None
        self.chunk: _Chunk | None = None  # files waiting to be sent to a worker together

    def __enter__(self) -> Checks:
        return self

    def __exit__(self, *_exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def submit(self, data: bytes, name: str, default_unit: str | None) -> Future | Share:
        options = {**self.options, "default_unit": default_unit or self.options["default_unit"]}
        if self.workers <= 1 or len(data) > POOL_MAX_BYTES:
            self.send()  # the workers go on with the files before this one while it is checked here
            done: Future = Future()
            try:
                done.set_result(self.check(data, name, self.registry, **options))
            except Exception as exc:  # noqa: BLE001 - raised where the result is taken, in the file's turn
                done.set_exception(exc)
            return done
        if self.chunk is None:
            self.chunk = _Chunk(self)
        share = self.chunk.add(data, name, options)
        if len(self.chunk.files) >= POOL_CHUNK_FILES or self.chunk.size >= POOL_CHUNK_BYTES:
            self.send()
        return share

    def send(self) -> None:
        """The waiting files to a worker, as one task."""
        chunk, self.chunk = self.chunk, None
        if chunk is None:
            return
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_worker_start,
                initargs=(self.check, self.registry, os.getpid()),
            )
        chunk.future = self.pool.submit(_worker_check, chunk.files)


class _Chunk:
    """Files checked by one worker task, their results in the files' order."""

    def __init__(self, checks: Checks):
        self.checks = checks
        self.files: list[tuple[bytes, str, dict]] = []
        self.size = 0
        self.future: Future | None = None

    def add(self, data: bytes, name: str, options: dict) -> Share:
        self.files.append((data, name, options))
        self.size += len(data)
        return Share(self, len(self.files) - 1)


@dataclass
class Share:
    """One file's place in a chunk: its result, taken as a ``Future``'s is (a fault of the check raised here)."""

    chunk: _Chunk
    index: int

    def result(self) -> ValidatedFile:
        if self.chunk.future is None:  # still waiting for more files: wanted now, so sent now
            self.chunk.checks.send()
        outcome = self.chunk.future.result()[self.index]
        if isinstance(outcome, _Failed):
            raise outcome.error
        return outcome


@dataclass
class _Failed:
    """A fault of ours in checking one file of a chunk, sent back in its place so the files beside it stand."""

    error: Exception


_IN_WORKER: list = []  # the check and the registry, set once as each worker starts


def _worker_start(check: Callable[..., ValidatedFile], registry: Registry, parent: int) -> None:
    _die_with(parent)
    _IN_WORKER[:] = [check, registry]


# prctl(2): the signal a process gets when the thread that forked it ends (<linux/prctl.h>).
_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """End this worker when the process that started it ends, however it ends (``kill -9`` too), instead of
    reading on for no one, re-parented to PID 1. On Linux the kernel sends SIGKILL (the pool is started by the
    thread that runs the ingest, which lives as long as the pool); elsewhere a thread watches the parent's pid.
    The parent may have ended already, before the signal was asked for: then this worker ends now."""
    asked = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            asked = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            asked = False
    if os.getppid() != parent:
        os._exit(1)
    if not asked:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="lingyi-parent-watch").start()


def _watch_parent(parent: int, interval: float = 1.0) -> None:
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


def _worker_check(files: list[tuple[bytes, str, dict]]) -> list[ValidatedFile | _Failed]:
    check, registry = _IN_WORKER
    outcomes: list[ValidatedFile | _Failed] = []
    for data, name, options in files:
        try:
            outcomes.append(check(data, name, registry, **options))
        except Exception as exc:  # noqa: BLE001 - raised again in the storing process, in the file's turn
            outcomes.append(_Failed(exc))
    return outcomes
