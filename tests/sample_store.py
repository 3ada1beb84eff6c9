"""One store loaded with all of sample_data/, built once per code-and-data version and shared.

Loading 1,184 sample files takes a while; the end-to-end, page and browser tests all need
the same store, and pytest-xdist runs them in several processes. The first process to ask
builds the SQLite file under a lock; the others wait and then use it. Each test gets its
own copy, so a test that writes cannot disturb another.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import sqlite3
import tempfile
from pathlib import Path

from lingyi.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
STALE_AFTER_SECONDS = 24 * 3600


def _version() -> str:
    """Changes whenever the sample files or the code that loads them change."""
    digest = hashlib.sha256()
    for folder in (ROOT / "sample_data" / "returns", ROOT / "lingyi"):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def sample_database_copy(directory: Path) -> str:
    """A private copy of the sample store in ``directory``; returns its SQLAlchemy URL."""
    copy = directory / "sample.db"
    folder = Path(tempfile.gettempdir()) / "lingyi-test-stores"
    folder.mkdir(exist_ok=True)
    with open(folder / "build.lock", "w") as lock:
        # Built and copied under the lock: a run of other code (another checkout) prunes only under it too.
        fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.copyfile(_built_sample_database(folder), copy)
    return f"sqlite:///{copy}"


def _built_sample_database(folder: Path) -> Path:
    """The fully loaded sample store of this code and data version, built if missing (the caller holds the lock)."""
    target = folder / f"sample-{_version()}.db"
    if not target.exists():
        building = target.with_suffix(".building")
        for leftover in folder.glob(building.name + "*"):
            leftover.unlink()
        code = main(["init", "--sample", "--db", f"sqlite:///{building}"])
        if code != 0:
            raise RuntimeError("the sample data did not load cleanly: run python -m lingyi init --sample")
        with sqlite3.connect(building) as conn:  # fold the write-ahead log into the file before copying it
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        building.rename(target)
    target.touch()
    # Stores of other code versions: a checkout beside this one may still use its own, so only those
    # nobody has used for a day go.
    for stale in folder.glob("sample-*.db"):
        if stale != target and stale.stat().st_mtime < target.stat().st_mtime - STALE_AFTER_SECONDS:
            stale.unlink(missing_ok=True)
    return target
