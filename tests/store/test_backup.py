"""lingyi/store/backup.py: the whole store, originals included, in one file, and back into an empty store."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from factories import (
    HOTLINE_HEADER,
    ON_POSTGRES,
    OTHER_UNIT,
    PROBLEM_HEADER,
    UNIT,
    column,
    hotline_rows,
    indicator_rows,
    learning_rows,
    titled,
    write_csv,
    write_xls,
    write_xlsx,
)

from lingyi import metrics
from lingyi.__main__ import main
from lingyi.errors import StoreError
from lingyi.intake.ingest import Outcome, ingest_file
from lingyi.store import SCHEMA_VERSION, Store, metadata
from lingyi.store.backup import read_manifest, restore_backup, write_backup

HR = "临沂市人力资源和社会保障局"

SCOPES = [
    metrics.Scope(2025, 10),
    metrics.Scope(2025, 6),
    metrics.Scope(2024, 12),
    metrics.Scope(2025, 10, categories=("社会服务",)),
    metrics.Scope(2025, 10, categories=("经济发展", "社会服务")),
    metrics.Scope(2025, 10, units=(UNIT,)),
    metrics.Scope(2025, 10, units=(UNIT, OTHER_UNIT, HR)),
]


def load_returns(store: Store, folder: Path) -> None:
    """Returns of three units over two years in every format, one replaced, one withdrawn and restored."""
    problems = [
        PROBLEM_HEADER,
        [UNIT, "1", "指南未更新", "服务群众", "2025-03-01", "已化解", "2025-04-01", "解题"],
        [UNIT, "2", "台账不全", "服务群众", "2025-05-01", "化解中", None, "破题"],
        [OTHER_UNIT, "1", "作风问题", "作风纪律", "2024-06-01", "已办结", "2025-09-30", "验题"],
    ]
    files = [
        write_xlsx(folder / "民政局10月.xlsx", {"学习活动": titled(learning_rows(5), unit=UNIT, period="2025年10月")}),
        write_xls(
            folder / "财政局6月.xls",
            {"学习活动": titled(learning_rows(4, unit=OTHER_UNIT, month=202506, seed=7), unit=OTHER_UNIT)},
        ),
        write_xlsx(
            folder / "人社局.xlsx",
            {
                "基本信息": [["填报单位", HR], ["报送期间", "2025年10月"], ["在职人数", 120]],
                "学习活动": learning_rows(3, unit=HR, seed=3),
            },
        ),
        write_csv(folder / "热线2025.csv", hotline_rows(range(202501, 202511), units=(UNIT, OTHER_UNIT), seed=1)),
        write_csv(folder / "热线2024.csv", hotline_rows(range(202401, 202413), units=(UNIT, OTHER_UNIT), seed=2)),
        write_csv(folder / "问题清单.csv", problems, encoding="gbk"),
        write_xlsx(folder / "指标.xlsx", {"指标完成": indicator_rows()}),
        write_xlsx(
            folder / "民政局10月更正.xlsx",
            {"学习活动": titled(column(learning_rows(5), "参与人次", [1, 2, 3, 4, 5]), unit=UNIT, period="2025年10月")},
        ),
        write_csv(folder / "热线更正.csv", [HOTLINE_HEADER, [UNIT, "2025-10", 999, "99%", "98%", "97%"]]),
    ]
    registry = store.registry()
    for path in files:
        result = ingest_file(store, path.read_bytes(), path.name, registry=registry, user="张三")
        assert result.outcome is Outcome.ACCEPTED, [str(f) for f in result.errors]
    history = store.history()
    correction = int(history[history["file"] == "热线更正.csv"]["id"].iloc[0])
    store.delete(correction, user="李四")
    first = int(history[history["file"] == "民政局10月.xlsx"]["id"].iloc[0])
    store.restore(first, user="王五")
    store.replace_registry(registry.to_csv_bytes(), "名录2025.csv", user="管理员")


def snapshot(store: Store) -> dict:
    """Everything a user can see of a store: the figures of several scopes, history, originals, audit log."""
    dataset = metrics.load(store)
    history = store.history()
    audit = store.audit_log()
    audit = audit[audit["action"] != "restore-backup"]
    return {
        "figures": [metrics.summary(dataset, scope) for scope in SCOPES],
        "history": history.astype(str).to_dict("records"),
        "originals": {int(i): store.original(int(i)) for i in history["file_id"].unique()},
        "audit": audit.drop(columns=["detail"]).astype(str).to_dict("records"),
        "registry": store.registry_history().astype(str).to_dict("records"),
        "headcounts": store.headcounts(),
        "rows": {
            kind: store.current_rows(kind).sort_values("id").astype(str).to_dict("records")
            for kind in ("learning", "hotline", "problems", "indicators")
        },
    }


@pytest.fixture
def loaded(store, tmp_path) -> Store:
    (tmp_path / "in").mkdir()
    load_returns(store, tmp_path / "in")
    return store


def emptied(store: Store) -> Store:
    """The same database as ``store`` with every table dropped and made again: an empty store."""
    store.close()
    engine = sa.create_engine(store.url)
    metadata.drop_all(engine)
    engine.dispose()
    return Store(store.url)


def test_backup_restored_into_an_empty_store_gives_the_same_figures_history_and_originals(loaded, tmp_path):
    before = snapshot(loaded)
    assert before["figures"][0]["learning"]["activities"] == 5 + 4 + 3  # the returns of 2025 all count
    write_backup(loaded, tmp_path / "备份.zip")

    target = emptied(loaded)
    try:
        restore_backup(target, tmp_path / "备份.zip", user="管理员")
        assert snapshot(target) == before
        newest = target.audit_log().iloc[0]
        assert (newest["action_name"], newest["user"], newest["file"]) == ("从备份恢复", "管理员", "备份.zip")
    finally:
        target.close()


def test_restored_store_takes_new_returns_after_the_restored_ones(loaded, tmp_path):
    """On PostgreSQL the id sequences move past the restored ids, so the next file does not collide."""
    write_backup(loaded, tmp_path / "备份.zip")
    highest = int(loaded.history()["id"].max())
    target = emptied(loaded)
    try:
        restore_backup(target, tmp_path / "备份.zip")
        path = write_xlsx(tmp_path / "新报表.xlsx", {"学习活动": titled(learning_rows(2, seed=9), unit=UNIT)})
        result = ingest_file(target, path.read_bytes(), path.name)
        assert result.outcome is Outcome.ACCEPTED
        assert min(result.submission_ids) > highest
        assert target.audit_log().iloc[0]["file"] == "新报表.xlsx"
    finally:
        target.close()


def test_backup_moves_a_store_to_another_database(loaded, tmp_path):
    """From PostgreSQL to SQLite on the PostgreSQL pass; SQLite to SQLite otherwise."""
    before = snapshot(loaded)
    write_backup(loaded, tmp_path / "备份.zip")
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        restore_backup(other, tmp_path / "备份.zip")
        assert snapshot(other) == before
    finally:
        other.close()


def test_backup_file_holds_every_original_with_its_hash_and_the_row_counts(loaded, tmp_path):
    manifest = write_backup(loaded, tmp_path / "备份.zip")
    history = loaded.history()
    with zipfile.ZipFile(tmp_path / "备份.zip") as archive:
        assert json.loads(archive.read("manifest.json")) == manifest
        for item in manifest["originals"]:
            content = archive.read(f"originals/{item['sha256']}")
            assert hashlib.sha256(content).hexdigest() == item["sha256"]
            assert loaded.original(item["id"]) == (item["name"], content)
        for name, info in manifest["tables"].items():
            member = archive.read(f"tables/{name}.jsonl")
            assert len(member.splitlines()) == info["rows"]
            assert hashlib.sha256(member).hexdigest() == info["sha256"]
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["data_version"] == loaded.data_version()
    assert manifest["tables"]["submissions"]["rows"] == len(history)
    assert sorted(i["name"] for i in manifest["originals"]) == sorted(history["file"].unique())
    assert not list(tmp_path.glob(".*partial"))


def test_restore_backup_refuses_a_store_that_holds_data_unless_forced(loaded, tmp_path, capsys):
    write_backup(loaded, tmp_path / "备份.zip")
    before = snapshot(loaded)
    path = write_xlsx(tmp_path / "后来的.xlsx", {"学习活动": titled(learning_rows(1, seed=5), unit=UNIT)})
    assert ingest_file(loaded, path.read_bytes(), path.name).outcome is Outcome.ACCEPTED
    version = loaded.data_version()

    capsys.readouterr()
    assert main(["restore-backup", str(tmp_path / "备份.zip"), "--db", loaded.url]) == 2
    assert "错误：目标数据库不是空的（已有" in capsys.readouterr().err
    assert loaded.data_version() == version

    assert main(["restore-backup", str(tmp_path / "备份.zip"), "--db", loaded.url, "--force", "--user", "管理员"]) == 0
    assert capsys.readouterr().out.startswith("已从备份 备份.zip（")
    assert snapshot(loaded) == before
    assert loaded.data_version() > version


def test_damaged_backup_is_refused_and_nothing_is_loaded(loaded, tmp_path):
    write_backup(loaded, tmp_path / "备份.zip")
    damaged = tmp_path / "坏备份.zip"
    with zipfile.ZipFile(tmp_path / "备份.zip") as source, zipfile.ZipFile(damaged, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("originals/") and not copy.namelist().count("done"):
                data = data[:-1] + b"!"
                copy.writestr("done", b"")
            copy.writestr(info.filename, data)
    target = emptied(loaded)
    try:
        with pytest.raises(StoreError, match=r"备份已损坏：原始文件「.*」的内容与其校验值不符。"):
            restore_backup(target, damaged)
        assert target.history().empty
        assert target.audit_log().empty
        assert target.data_version() == 0
    finally:
        target.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x05\x06" + b"\0" * 18, "不是本系统的备份文件"),
        (b"hello", "不是本系统的备份文件（或已损坏）"),
        ({"format": "lingyi-backup", "format_version": 1, "schema_version": 99}, "备份来自更新版本的程序"),
        ({"format": "something-else"}, "不是本系统的备份文件"),
        ({"format": "lingyi-backup", "format_version": 1, "schema_version": 1}, "的清单不完整，无法恢复。"),
    ],
    ids=["empty zip", "not a zip", "newer schema", "other format", "incomplete manifest"],
)
def test_file_that_is_no_backup_of_ours_is_refused_saying_why(store, tmp_path, capsys, content, message):
    path = tmp_path / "备份.zip"
    if isinstance(content, dict):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("manifest.json", json.dumps(content))
    else:
        path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        read_manifest(path)
    capsys.readouterr()
    assert main(["restore-backup", str(path), "--db", store.url]) == 2
    assert message in capsys.readouterr().err
    assert store.data_version() == 0


def test_backup_command_says_what_it_wrote(loaded, tmp_path, capsys):
    capsys.readouterr()
    assert main(["backup", str(tmp_path / "b.zip"), "--db", loaded.url]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    files = loaded.history()["file"].nunique()
    assert line.startswith(f"已备份到 {tmp_path / 'b.zip'}：原始文件 {files} 个、报送 {len(loaded.history())} 次、")
    assert line.endswith(f"（数据库结构版本 {SCHEMA_VERSION}）。")


@pytest.mark.skipif(ON_POSTGRES, reason="an SQLite file is the target")
def test_restore_backup_command_loads_into_a_new_sqlite_file(loaded, tmp_path, capsys):
    write_backup(loaded, tmp_path / "备份.zip")
    url = f"sqlite:///{tmp_path / 'new.db'}"
    capsys.readouterr()
    assert main(["restore-backup", str(tmp_path / "备份.zip"), "--db", url]) == 0
    assert "恢复：原始文件" in capsys.readouterr().out
    restored = Store(url)
    try:
        pd.testing.assert_frame_equal(restored.history(), loaded.history())
    finally:
        restored.close()
