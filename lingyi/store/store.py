"""The store: SQLAlchemy tables of files, submissions and rows, with history (spec §4).

A submission is what one file says for one unit and one sheet kind over one period.
Nothing is overwritten: a later submission for the same unit, kind and months takes
precedence (its ``seq`` is higher), the earlier one stays and can be restored (which
gives it a new, higher ``seq``). Which rows are current is worked out on reading:

- 学习活动, 热线指标: each (unit, month) belongs to the newest submission whose period covers it;
- 问题清单: each problem (unit, key) is as its newest submission states it;
- 指标完成: each (unit, 统计期间) belongs to the newest submission that reports it.

Every accepted file is kept byte for byte, so each row traces to file, sheet and row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from types import EllipsisType

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from lingyi.contract import HOTLINE_SOURCES, SHEET_KIND_BY_KEY, TICKETS_SOURCE
from lingyi.errors import StoreError
from lingyi.registry import Registry, parse_registry
from lingyi.store.audit import audit, audit_log, bump_data_version
from lingyi.store.faults import unavailable
from lingyi.store.hotline import (
    current_hotline,
    has_hotline_of,
    hotline_by_source,
    hotline_setting,
    set_hotline_setting,
    source_rank,
    with_source_rank,
)
from lingyi.store.migrations import STORE_ID, migrate
from lingyi.store.registries import add_registry, latest_registry, registry_history
from lingyi.store.schema import MONTHLY_KINDS, ROW_TABLES, meta_table
from lingyi.store.sql import default_url, make_engine, read_rows, savepoint, sha256, shown
from lingyi.store.submissions import (
    NewSubmission,
    file_by_hash,
    file_is_live,
    file_units,
    latest_headcounts,
    live_files,
    live_submissions,
    live_submissions_of,
    month_owners,
    next_seq,
    replaced_by,
    restore_submission,
    save_file,
    stored_file,
    submission_history,
    submission_rows,
    withdraw_submission,
)

WRITE_LOCK_KEY = 20251031


class Store:
    """One database: open it with a SQLAlchemy URL; the schema is created or migrated on opening."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        try:
            self.engine: Engine = make_engine(self.url)
            try:
                self._migrate()
            except BaseException:
                self.engine.dispose()  # a store that failed to open keeps no connection
                raise
        except sa.exc.ArgumentError as exc:
            raise StoreError(f"数据库地址无法识别：{shown(self.url)}（{exc}）") from None
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            raise unavailable(exc, self.url) or StoreError(f"无法打开数据库 {shown(self.url)}") from None

    def close(self) -> None:
        """Release the database connections; a process that opens many stores closes each it is done with."""
        self.engine.dispose()

    # -- schema ---------------------------------------------------------------------------------------------

    def _migrate(self) -> None:
        with self.engine.begin() as conn:
            migrate(conn)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One transaction that either stores all it was given or nothing; bumps the data version."""
        with self._locked() as conn:
            yield conn
            bump_data_version(conn, 1)

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """One transaction for several files, each stored whole or not at all (see ``Batch``).

        The data version goes up by one for each file stored, as if each had been a ``save_file`` of its own.
        """
        with self._locked() as conn:
            batch = Batch(conn)
            yield batch
            if batch.stored:
                bump_data_version(conn, batch.stored)

    @contextmanager
    def _locked(self) -> Iterator[Connection]:
        # On SQLite a writer takes the write lock at BEGIN, so two writers queue instead of deadlocking.
        with self.engine.execution_options(immediate=True).begin() as conn:
            if conn.dialect.name == "postgresql":
                # Writers queue on one lock, so the next seq and the replaced versions are decided one at a time.
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
            yield conn

    def data_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "data_version")).scalar())

    def data_stamp(self) -> str:
        """Which database and which of its versions: what a cache of figures is keyed on.

        The version alone is not enough: a database made anew starts again from 0, and its version 1 is not the
        version 1 of the one it replaced.
        """
        with self.engine.connect() as conn:
            held = dict(
                conn.execute(
                    sa.select(meta_table.c.key, meta_table.c.value).where(
                        meta_table.c.key.in_((STORE_ID, "data_version"))
                    )
                ).all()
            )
        return f"{held.get(STORE_ID, '')}:{held['data_version']}"

    # -- files and submissions ------------------------------------------------------------------------------

    def file_by_hash(self, digest: str) -> dict | None:
        """The stored file of these bytes, if any: ``id``, ``name`` and ``live`` (as ``file_is_live`` says)."""
        with self.engine.connect() as conn:
            return file_by_hash(conn, digest)

    def live_files(self) -> dict[str, str]:
        """The name of each live stored file by the SHA-256 of its bytes: ``file_by_hash`` for every file at once."""
        with self.engine.connect() as conn:
            return live_files(conn)

    def file_units(self, file_id: int) -> list[str]:
        """The units of the file's live submissions: whose data it is on record as."""
        with self.engine.connect() as conn:
            return file_units(conn, file_id)

    def file_is_live(self, file_id: int) -> bool:
        """True while some submission of the file stands (not withdrawn).

        Byte-identical bytes again change nothing (spec §4), even where a later file has since
        replaced this one: bringing an old version back is what ``restore`` is for. Only a file
        whose every submission was withdrawn is taken in again when it is uploaded again.
        """
        with self.engine.connect() as conn:
            return file_is_live(conn, file_id)

    def live_submissions_of(self, units: list[str], kinds: list[str]) -> list[dict]:
        """The live submissions of ``units`` of ``kinds``, each with its file's name: what an upload may replace."""
        with self.engine.connect() as conn:
            return live_submissions_of(conn, units, kinds)

    def submission_rows(self, kind: str, submission_ids: list[int]) -> dict[int, list[tuple]]:
        """The stored rows of these submissions, each as the values of ``ROW_VALUES[kind]``, by submission."""
        with self.engine.connect() as conn:
            return submission_rows(conn, kind, submission_ids)

    def save_file(
        self,
        data: bytes,
        name: str,
        submissions: list[NewSubmission],
        headcounts: dict[str, int],
        user: str = "cli",
        received_at: dt.datetime | None = None,
        digest: str | None = None,
    ) -> list[int]:
        """Store a file and everything it says, in one transaction; returns the new submission ids.

        ``digest`` is the file's SHA-256 where the caller has it already (a year's 12345 export is 100 MB)."""
        with self.writing() as conn:
            return save_file(conn, data, name, submissions, headcounts, user, received_at, digest=digest)[0]

    def restore(self, submission_id: int, user: str = "cli") -> None:
        """Make an earlier submission current again (it takes precedence over every later one)."""
        with self.writing() as conn:
            restore_submission(conn, submission_id, user)

    def delete(self, submission_id: int, user: str = "cli") -> None:
        """Withdraw a submission: its rows stop counting; the file and the record stay in the history."""
        with self.writing() as conn:
            withdraw_submission(conn, submission_id, user)

    # -- audit log ------------------------------------------------------------------------------------------

    def audit(
        self, conn: Connection, user: str, action: str, detail: dict[str, object], sha256: str | None = None
    ) -> None:
        """Record one write in the audit log on the write's own connection, so both are committed or neither.

        Every write of the store calls it; a later kind of write (user accounts …) calls it inside its own
        ``writing()`` block: ``store.audit(conn, "admin", "user", {"note": "新增用户 张三"})``.
        """
        audit(conn, user, action, detail, sha256)

    def audit_log(self, since: dt.date | None = None) -> pd.DataFrame:
        """Every recorded write, newest first: who, when, what (file, units, kinds, periods, submissions)."""
        with self.engine.connect() as conn:
            return audit_log(conn, since)

    def history(self) -> pd.DataFrame:
        """Every submission with its file, newest first, and which later submission replaced it."""
        with self.engine.connect() as conn:
            frame = submission_history(conn)
        if frame.empty:
            return frame
        # An id or None: a float column would print as 「#2.0」 and its NaN reads as true.
        # Which hotline return replaced which goes by the same (source rank, seq) as which one counts.
        rank = source_rank(self.hotline_source())
        order = [
            (rank(source) if kind == "hotline" else 0, seq)
            for kind, source, seq in zip(frame["kind"], frame["source"], frame["seq"])
        ]
        ranked = frame.assign(seq=pd.Series(order, index=frame.index, dtype=object))
        frame["replaced_by"] = pd.Series(replaced_by(ranked), index=frame.index, dtype=object)
        return frame

    def original(self, file_id: int) -> tuple[str, bytes]:
        with self.engine.connect() as conn:
            return stored_file(conn, file_id)

    # -- current rows ---------------------------------------------------------------------------------------

    def submissions(self) -> pd.DataFrame:
        """The live submissions."""
        with self.engine.connect() as conn:
            return live_submissions(conn)

    def current_rows(
        self, kind: str, submissions: pd.DataFrame | None = None, *, hotline_source: str | None = None
    ) -> pd.DataFrame:
        """The rows of one sheet kind that count now, each with its submission's file for tracing.

        ``submissions`` and ``hotline_source`` replace the live ones (a 会议版 counts as it counted when frozen)."""
        table = ROW_TABLES[kind]
        subs = self.submissions() if submissions is None else submissions
        subs = subs[subs["kind"] == kind]
        with self.engine.connect() as conn:
            rows = read_rows(conn, table)
        rows = rows.merge(subs[["id", "seq", "file_id"]].rename(columns={"id": "submission_id"}), on="submission_id")
        if rows.empty:
            return rows.drop(columns=["seq"])
        if kind in MONTHLY_KINDS:
            if kind == "hotline":
                subs = with_source_rank(subs, hotline_source or self.hotline_source())
            owners = month_owners(subs)
            rows = rows.merge(owners, on=["unit", "month"], how="left")
            rows = rows[rows["owner"] == rows["submission_id"]].drop(columns=["owner"])
        elif kind == "problems":
            newest = rows.groupby(["unit", "key"])["seq"].transform("max")
            rows = rows[rows["seq"] == newest]
        else:
            newest = rows.groupby(["unit", "period_start", "period_end"])["seq"].transform("max")
            rows = rows[rows["seq"] == newest]
        return rows.drop(columns=["seq"]).reset_index(drop=True)

    def hotline_source(self) -> str:
        """Which figures count where a unit's 热线指标 return and its tickets give the same month (HOTLINE_SOURCES)."""
        with self.engine.connect() as conn:
            return hotline_setting(conn)

    def set_hotline_source(self, source: str, user: str = "cli") -> None:
        if source not in HOTLINE_SOURCES:
            raise StoreError(f"热线数据来源须为：{'、'.join(HOTLINE_SOURCES.values())}。")
        with self.writing() as conn:
            set_hotline_setting(conn, source)
            self.audit(conn, user, "setting", {"note": f"热线数据：{HOTLINE_SOURCES[source]}"})

    def hotline_by_source(self, units: list[str], side: str | None = None) -> dict[str, dict[tuple[str, int], dict]]:
        """The newest live 热线指标 row of each (unit, month), separately for ticket exports and for returns:
        what the two sources say, whichever counts (``{"tickets": {...}, "returns": {...}}``); ``side``: only
        that one of the two."""
        with self.engine.connect() as conn:
            return hotline_by_source(conn, units, side)

    def headcounts(self) -> dict[str, int]:
        """The latest 在职人数 each unit declared."""
        with self.engine.connect() as conn:
            return latest_headcounts(conn)

    def current_hotline(self, units: list[str]) -> dict[tuple[str, int], dict]:
        """The current 热线指标 rows of ``units`` by (unit, month), as plain records: what an upload is checked
        against (上年同期, outliers), without the frames ``current_rows`` builds for the pages."""
        with self.engine.connect() as conn:
            return current_hotline(conn, units)

    # -- registry -------------------------------------------------------------------------------------------

    def registry(self) -> Registry:
        with self.engine.connect() as conn:
            return latest_registry(conn)

    def replace_registry(self, data: bytes, name: str, user: str = "cli") -> Registry:
        registry = parse_registry(data, name)  # raises RegistryError with every problem
        with self.writing() as conn:
            add_registry(conn, registry.to_csv_bytes(), name, user, len(registry))
            self.audit(conn, user, "registry", {"file": name, "note": f"单位名录 {len(registry)} 个单位"}, sha256(data))
        return registry

    def set_exempt(self, units: list[str], kind: str, exempt: bool, user: str = "cli") -> Registry:
        """Mark ``units`` 不涉及 ``kind`` (or expected again): one new version of the registry, audited."""
        registry = self.registry()
        found = [registry.resolve(unit) for unit in units]
        for unit in found:
            registry = registry.with_exempt(unit.name, kind, exempt)
        data = registry.to_csv_bytes()
        names = "、".join(unit.short_name for unit in found)
        note = f"{names} {'标为不涉及' if exempt else '恢复应报'}{SHEET_KIND_BY_KEY[kind].name}"
        with self.writing() as conn:
            add_registry(conn, data, "units.csv", user, len(registry))
            self.audit(conn, user, "registry", {"note": note}, sha256(data))
        return registry

    def registry_history(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            return registry_history(conn)


class Batch:
    """Several files stored in one transaction (``Store.batch``), each whole or not at all.

    Each ``save_file`` runs in a savepoint of its own: a file that fails half-way leaves nothing behind and
    the files before it stay. What the checks of the next file read (``file_by_hash``, ``current_hotline``,
    ``headcounts``) is read on the batch's own connection, so it includes the files already stored in it.
    One commit for many files instead of one each: a folder of small returns is not held up by a disk sync
    per file.
    """

    def __init__(self, conn: Connection):
        self.conn = conn
        self.stored = 0  # files stored so far
        # Cached, as only this batch writes while it is open: the latest headcounts, the next seq, the 热线 source
        # setting, and whether any 热线 row of each source stands.
        self._headcounts: dict[str, int] | None = None
        self._seq: int | None = None
        self._hotline_source: str | None = None
        self._has_side: dict[str, bool] = {}

    def file_by_hash(self, digest: str) -> dict | None:
        return file_by_hash(self.conn, digest)

    def file_is_live(self, file_id: int) -> bool:
        return file_is_live(self.conn, file_id)

    def file_units(self, file_id: int) -> list[str]:
        return file_units(self.conn, file_id)

    def current_hotline(self, units: list[str]) -> dict[tuple[str, int], dict]:
        return current_hotline(self.conn, units, self.hotline_source())

    def hotline_by_source(self, units: list[str], side: str | None = None) -> dict[str, dict[tuple[str, int], dict]]:
        if side is not None and side not in self._has_side:
            self._has_side[side] = has_hotline_of(self.conn, side)
        return hotline_by_source(self.conn, units, side, known=self._has_side.get(side))

    def hotline_source(self) -> str:
        if self._hotline_source is None:
            self._hotline_source = hotline_setting(self.conn)
        return self._hotline_source

    def live_submissions_of(self, units: list[str], kinds: list[str]) -> list[dict]:
        return live_submissions_of(self.conn, units, kinds)

    def submission_rows(self, kind: str, submission_ids: list[int]) -> dict[int, list[tuple]]:
        return submission_rows(self.conn, kind, submission_ids)

    def headcounts(self) -> dict[str, int]:
        if self._headcounts is None:
            self._headcounts = latest_headcounts(self.conn)
        return dict(self._headcounts)

    def save_file(
        self,
        data: bytes,
        name: str,
        submissions: list[NewSubmission],
        headcounts: dict[str, int],
        user: str = "cli",
        received_at: dt.datetime | None = None,
        digest: str | None = None,
        stored_id: int | EllipsisType | None = ...,
    ) -> list[int]:
        """As ``Store.save_file``, inside the batch's transaction; ``stored_id``: the id of the stored file of these
        bytes (None: there is none), where the caller looked it up in this batch already."""
        if self._seq is None:
            self._seq = next_seq(self.conn)
        with savepoint(self.conn):
            ids, revived = save_file(
                self.conn,
                data,
                name,
                submissions,
                headcounts,
                user,
                received_at,
                self._seq,
                digest=digest,
                existing=stored_id,
            )
        self._seq += len(ids)
        self.stored += 1
        for submission in submissions:
            if submission.kind == "hotline":
                self._has_side.pop("tickets" if submission.source == TICKETS_SOURCE else "returns", None)
        if self._headcounts is not None and not revived:
            self._headcounts.update(headcounts)
        return ids
