"""The whole store in one file, and back: ``python -m lingyi backup FILE`` and ``restore-backup FILE``.

A backup is a zip file that any unzip tool opens:

    manifest.json          what it is: format, schema and data version, when, row counts, sha256 of each member
    tables/<table>.jsonl   one JSON object per row, for every table (the files' bytes are kept apart)
    originals/<sha256>     every accepted file byte for byte as it was uploaded; the manifest lists its name

It is read from one consistent snapshot of the store, and loaded back in one transaction into an
empty store (or, when asked, one whose every row it replaces), each row with its own id: the
history, the audit log and the tracing of every figure to its file come back as they were. The
backup may move a store from SQLite to PostgreSQL and back. JSON lines rather than CSV: texts
come back exactly, and nothing in a backup is ever opened as a spreadsheet.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lingyi.errors import StoreError
from lingyi.store import (
    SCHEMA_VERSION,
    Store,
    files_table,
    meta_table,
    metadata,
    now,
    sessions_table,
    set_meta,
    sha256,
)

FORMAT = "lingyi-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH_ROWS = 5000
TABLE_NAMES = {
    "files": "原始文件",
    "submissions": "报送记录",
    "learning_rows": "学习活动数据",
    "hotline_rows": "热线数据",
    "problem_rows": "问题清单数据",
    "indicator_rows": "指标数据",
    "headcounts": "在职人数记录",
    "registries": "单位名录版本",
    "audit_log": "操作日志",
    "snapshots": "会议版",
    "snapshot_submissions": "会议版所冻结的报送",
}


def backed_up_tables() -> list[sa.Table]:
    """Every table but ``meta`` and ``sessions`` (who is signed in where is no data), parents before children."""
    return [t for t in metadata.sorted_tables if t is not meta_table and t is not sessions_table]


def write_backup(store: Store, target: Path) -> dict:
    """Write the whole store to ``target`` (replaced only once the backup is complete); returns the manifest."""
    target = Path(target)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            manifest = _write_members(store, archive)
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _write_members(store: Store, archive: zipfile.ZipFile) -> dict:
    tables: dict[str, dict] = {}
    originals: list[dict] = []
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # One snapshot for every table: a write that commits meanwhile is either wholly in or wholly out.
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            versions = dict(conn.execute(sa.select(meta_table.c.key, meta_table.c.value)).all())
            for table in backed_up_tables():
                if table is files_table:
                    # The originals go to their own members first; zipfile writes one member at a time.
                    lines = [_line(table, record) for record in _originals(conn, archive, originals)]
                    tables[table.name] = _write_lines(archive, table, iter(lines))
                else:
                    tables[table.name] = _write_lines(archive, table, (_line(table, r) for r in _rows(conn, table)))
            database = conn.dialect.name
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": int(versions.get("schema_version", SCHEMA_VERSION)),
        "data_version": int(versions.get("data_version", 0)),
        "created_at": now().isoformat(),
        "database": database,
        "tables": tables,
        "originals": originals,
    }


def _write_lines(archive: zipfile.ZipFile, table: sa.Table, lines: Iterator[bytes]) -> dict:
    digest = hashlib.sha256()
    count = 0
    with archive.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as member:
        for line in lines:
            digest.update(line)
            member.write(line)
            count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def _line(table: sa.Table, record: dict) -> bytes:
    return (json.dumps(_encoded(table, record), ensure_ascii=False) + "\n").encode()


def _originals(conn: Connection, archive: zipfile.ZipFile, listed: list[dict]) -> Iterator[dict]:
    """The files table's rows without their bytes, each original written to its member on the way."""
    for record in _rows(conn, files_table):
        content = bytes(record.pop("content"))
        if sha256(content) != record["sha256"]:
            raise StoreError(f"数据库中文件 #{record['id']} 的内容与其校验值不符，备份已中止。")
        archive.writestr(f"originals/{record['sha256']}", content)
        listed.append({"id": record["id"], "name": record["name"], "sha256": record["sha256"], "size": len(content)})
        yield record


def _rows(conn: Connection, table: sa.Table) -> Iterator[dict]:
    result = conn.execution_options(yield_per=1000).execute(sa.select(table).order_by(table.c.id))
    for row in result.mappings():
        yield dict(row)


def _encoded(table: sa.Table, record: dict) -> dict:
    out = {}
    for name, value in record.items():
        if value is None:
            out[name] = None
        elif isinstance(table.c[name].type, sa.LargeBinary):
            out[name] = base64.b64encode(bytes(value)).decode("ascii")
        elif isinstance(value, dt.date | dt.datetime):
            out[name] = value.isoformat()
        else:
            out[name] = value
    return out


def _decoded(table: sa.Table, record: dict) -> dict:
    out = {}
    for name, value in record.items():
        if name not in table.c:
            raise StoreError(f"备份中的表 {table.name} 有本程序不认识的列 {name}。")
        kind = table.c[name].type
        if value is None:
            out[name] = None
        elif isinstance(kind, sa.LargeBinary):
            out[name] = base64.b64decode(value)
        elif isinstance(kind, sa.DateTime):
            out[name] = dt.datetime.fromisoformat(value)
        elif isinstance(kind, sa.Date):
            out[name] = dt.date.fromisoformat(value)
        else:
            out[name] = value
    return out


def read_manifest(source: Path) -> dict:
    """The manifest of a backup file; anything else is a ``StoreError`` saying what the file is not."""
    try:
        with zipfile.ZipFile(source) as archive:
            manifest = json.loads(archive.read(MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise StoreError(f"「{Path(source).name}」不是本系统的备份文件（或已损坏）。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise StoreError(f"「{Path(source).name}」不是本系统的备份文件。")
    try:
        newer = int(manifest["format_version"]) > FORMAT_VERSION or int(manifest["schema_version"]) > SCHEMA_VERSION
    except (KeyError, TypeError, ValueError):
        newer = None
    if newer is None or (
        not newer and any(k not in manifest for k in ("data_version", "created_at", "tables", "originals"))
    ):
        raise StoreError(f"备份文件「{Path(source).name}」的清单不完整，无法恢复。")
    if newer:
        raise StoreError(
            f"备份来自更新版本的程序（数据库结构版本 {manifest['schema_version']}，本程序为 {SCHEMA_VERSION}），请先升级程序。"
        )
    return manifest


def restore_backup(store: Store, source: Path, *, force: bool = False, user: str = "cli") -> dict:
    """Load a backup into ``store`` in one transaction; refuse a store that holds anything unless ``force``.

    Every member is checked against the manifest's sha256 as it is read; any mismatch undoes the whole load.
    """
    source = Path(source)
    manifest = read_manifest(source)
    with zipfile.ZipFile(source) as archive, store.writing() as conn:
        held = _rows_held(conn)
        if held and not force:
            shown = "、".join(f"{TABLE_NAMES.get(name, name)} {count:,} 条" for name, count in held.items())
            raise StoreError(f"目标数据库不是空的（已有{shown}）；如确要用备份替换其全部内容，请加 --force。")
        for table in reversed(backed_up_tables()):
            conn.execute(table.delete())
        contents = {item["sha256"]: item for item in manifest["originals"]}
        for table in backed_up_tables():
            expected = manifest["tables"].get(table.name)
            if expected is None:  # a table that came with a later schema step: empty in an older backup
                continue
            loaded = _load_table(conn, archive, table, expected, contents)
            if loaded != expected["rows"]:
                raise StoreError(f"备份已损坏：表 {table.name} 应有 {expected['rows']} 行，实有 {loaded} 行。")
        _advance_sequences(conn)
        current = int(conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "data_version")).scalar())
        # Higher than any version either store had, so no cache keyed on the version can show stale figures.
        set_meta(conn, "data_version", str(max(current, int(manifest["data_version"]))))
        counts = {name: info["rows"] for name, info in manifest["tables"].items()}
        store.audit(
            conn,
            user,
            "restore-backup",
            {
                "file": source.name,
                "note": f"从备份恢复：文件 {len(manifest['originals'])} 个，报送 {counts.get('submissions', 0)} 次",
                "backup_created_at": manifest["created_at"],
                "rows": counts,
            },
            sha256=_file_sha256(source),
        )
    return manifest


def _rows_held(conn: Connection) -> dict[str, int]:
    held = {}
    for table in backed_up_tables():
        count = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
        if count:
            held[table.name] = int(count)
    return held


def _load_table(
    conn: Connection, archive: zipfile.ZipFile, table: sa.Table, expected: dict, contents: dict[str, dict]
) -> int:
    name = f"tables/{table.name}.jsonl"
    digest = hashlib.sha256()
    batch: list[dict] = []
    loaded = 0
    try:
        member = archive.open(name)
    except KeyError:
        raise StoreError(f"备份已损坏：缺少 {name}。") from None
    with member:
        for line in member:
            digest.update(line)
            record = _decoded(table, json.loads(line))
            if table is files_table:
                record["content"] = _original(archive, record, contents)
            batch.append(record)
            if len(batch) >= BATCH_ROWS:
                conn.execute(table.insert(), batch)
                loaded += len(batch)
                batch = []
    if batch:
        conn.execute(table.insert(), batch)
        loaded += len(batch)
    if digest.hexdigest() != expected["sha256"]:
        raise StoreError(f"备份已损坏：{name} 的校验值与清单不符。")
    return loaded


def _original(archive: zipfile.ZipFile, record: dict, contents: dict[str, dict]) -> bytes:
    digest = record["sha256"]
    try:
        content = archive.read(f"originals/{digest}")
    except (KeyError, zipfile.BadZipFile):
        raise StoreError(f"备份已损坏：缺少原始文件「{record['name']}」。") from None
    if digest not in contents or sha256(content) != digest:
        raise StoreError(f"备份已损坏：原始文件「{record['name']}」的内容与其校验值不符。")
    return content


def _advance_sequences(conn: Connection) -> None:
    """Rows came with their ids; PostgreSQL's id sequences must move past them, or the next insert collides."""
    if conn.dialect.name != "postgresql":
        return
    for table in backed_up_tables():
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
        )


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
