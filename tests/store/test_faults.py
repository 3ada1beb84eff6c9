"""lingyi/store/faults.py and those who ask it: a lost, refused or full database said in Chinese, what was committed
kept, the closing line printed, exit code 3, and the same command run again finishing the work."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
import sqlalchemy as sa
from factories import ON_POSTGRES, OTHER_UNIT, UNIT, csv_bytes, learning_rows
from pg_cluster import synchronous

from lingyi.__main__ import main
from lingyi.cli.shared import STORE_UNAVAILABLE
from lingyi.intake import ingest as ingest_module
from lingyi.store import Store
from lingyi.store.faults import unavailable, where


def operational(message: str, driver=psycopg.OperationalError) -> sa.exc.OperationalError:
    return sa.exc.OperationalError("INSERT …", {}, driver(message))


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        (operational("the connection is lost"), "数据库连接中断（服务器 db.example:5433）"),
        (operational("server closed the connection unexpectedly"), "数据库连接中断（服务器 db.example:5433）"),
        (operational('connection to server at "db.example", port 5433 failed: Connection refused'), "数据库连接中断"),
        (
            operational('connection to server failed: FATAL:  password authentication failed for user "lingyi"'),
            "数据库拒绝登录（用户名或密码不对）",
        ),
        (sa.exc.PendingRollbackError("Can't reconnect until invalid transaction is rolled back"), "数据库连接中断"),
        (operational("database or disk is full", sqlite3.OperationalError), "磁盘空间不足"),
        (operational("attempt to write a readonly database", sqlite3.OperationalError), "数据库只读，无法写入"),
        (operational("unable to open database file", sqlite3.OperationalError), "数据库文件无法读取"),
    ],
)
def test_a_fault_of_the_database_is_said_in_chinese_with_where(fault, said):
    found = unavailable(fault, "postgresql+psycopg://lingyi:secret@db.example:5433/lingyi")
    assert found is not None and found.reason.startswith(said)
    assert "secret" not in found.reason


def test_anything_else_is_no_fault_of_the_database():
    assert unavailable(ValueError("bad")) is None
    assert unavailable(sa.exc.IntegrityError("INSERT", {}, Exception("duplicate key"))) is None


def test_a_store_is_named_without_its_password():
    assert where("postgresql+psycopg://u:pw@h:6543/d") == "服务器 h:6543"
    assert where("sqlite:////srv/lingyi/lingyi.db") == "文件 /srv/lingyi/lingyi.db"


# -- ingest stopped by the database ----------------------------------------------------------------------------------


def returns(folder, count: int):
    """``count`` learning returns, one a month, each a file of its own."""
    paths = []
    for month in range(1, count + 1):
        path = folder / f"民政局_2025年{month}月_学习活动.csv"
        path.write_bytes(csv_bytes(learning_rows(2, unit=UNIT if month % 2 else OTHER_UNIT, month=202500 + month)))
        paths.append(path)
    return paths


def stored_files(store) -> int:
    return len(store.history()["file_id"].unique()) if not store.history().empty else 0


def fail_at(monkeypatch, call: int, fault) -> None:
    """The database goes away while the ``call``-th file is being stored: ``fault`` is run then (it raises, or it
    cuts the connection so that the store's next statement meets a dead one)."""
    real = ingest_module._finish
    calls = {"n": 0}

    def finishing(view, item, **kwargs):
        calls["n"] += 1
        if calls["n"] == call:
            fault()
        return real(view, item, **kwargs)

    monkeypatch.setattr(ingest_module, "_finish", finishing)
    monkeypatch.setattr(ingest_module, "BATCH_FILES", 2)  # files 1–2 committed, 3–4 one batch, …


def lost():
    raise operational("the connection is lost")


def test_a_lost_connection_mid_batch_says_what_was_stored_and_exits_3(store, tmp_path, monkeypatch, capsys):
    paths = returns(tmp_path, 6)
    fail_at(monkeypatch, 4, lost)
    code = main(["ingest", *map(str, paths), "--db", store.url])
    out, err = capsys.readouterr()
    assert code == STORE_UNAVAILABLE
    # The files before the fault are committed, and said; the one the fault met and those after it are not.
    assert (
        err.startswith("数据库连接中断") and "已入库 3 个文件，第 4 个「民政局_2025年4月_学习活动.csv」起未入库" in err
    )
    assert "请在数据库恢复后重新运行同一命令（已入库的会显示「无变化」）" in err
    assert out.strip().splitlines()[-1] == "共 6 个文件：入库 3，无变化 0，拒收 0，未入库 3。"
    assert out.count("已入库") == 3 and "程序内部错误" not in err
    assert stored_files(store) == 3

    monkeypatch.undo()
    code = main(["ingest", *map(str, paths), "--db", store.url])
    out, _ = capsys.readouterr()
    assert code == 0 and out.strip().splitlines()[-1] == "共 6 个文件：入库 3，无变化 3，拒收 0。"
    assert stored_files(store) == 6


def test_a_full_disk_is_said_as_such(store, tmp_path, monkeypatch, capsys):
    paths = returns(tmp_path, 3)

    def full():
        raise operational("database or disk is full", sqlite3.OperationalError)

    fail_at(monkeypatch, 1, full)
    code = main(["ingest", *map(str, paths), "--db", store.url])
    _, err = capsys.readouterr()
    assert code == STORE_UNAVAILABLE and err.startswith("磁盘空间不足")
    assert stored_files(store) == 0


@pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL backend to kill")
def test_the_ingests_backend_killed_mid_batch_on_postgresql(store, tmp_path, monkeypatch, capsys):
    # The suite's cluster runs with synchronous_commit off (scripts/postgres.sh); the ingest's sessions turn it on,
    # so that each commit it reports is answered only once the server has written it.
    url = synchronous(store.url)
    assert _setting(url, "synchronous_commit") == "on"
    paths = returns(tmp_path, 6)

    def kill_the_other_backends():  # the batch's own connection among them: its next statement meets a dead one
        engine = sa.create_engine(store.url, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        engine.dispose()

    fail_at(monkeypatch, 4, kill_the_other_backends)
    code = main(["ingest", *map(str, paths), "--db", url])
    out, err = capsys.readouterr()
    assert code == STORE_UNAVAILABLE, err
    assert err.startswith("数据库连接中断（服务器") and "已入库 2 个文件，第 3 个「" in err
    assert out.strip().splitlines()[-1].endswith("未入库 4。")
    assert stored_files(store) == 2  # file 3, stored on the killed connection, went with it: the line said so
    monkeypatch.undo()
    assert main(["ingest", *map(str, paths), "--db", url]) == 0
    out, _ = capsys.readouterr()
    assert out.strip().splitlines()[-1] == "共 6 个文件：入库 4，无变化 2，拒收 0。"


def _setting(url: str, name: str) -> str:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql(f"SHOW {name}").scalar()
    finally:
        engine.dispose()


# -- the server restarted or away, on a durable cluster of the test's own (tests/pg_cluster.py) ---------------------


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("fault", "call"),
    [
        ("restart", 5),  # as the next batch began
        ("restart", 6),  # with file 5 stored in the open batch
        ("crash_backends", 6),  # kill -9 of the ingest's backend: the server recovers from its log
    ],
)
def test_the_cluster_restarted_or_crashed_mid_batch(own_postgres, tmp_path, monkeypatch, capsys, fault, call):
    url = own_postgres.url
    assert _setting(url, "synchronous_commit") == "on" and _setting(url, "fsync") == "on"
    paths = returns(tmp_path, 8)
    fail_at(monkeypatch, call, getattr(own_postgres, fault))  # batches of 2: files 1–4 are committed before it
    code = main(["ingest", *map(str, paths), "--db", url])
    out, err = capsys.readouterr()
    assert code == STORE_UNAVAILABLE, err
    assert err.startswith("数据库连接中断（服务器 127.0.0.1:"), err
    assert "：已入库 4 个文件，第 5 个「民政局_2025年5月_学习活动.csv」起未入库，" in err
    assert err.rstrip().endswith("请在数据库恢复后重新运行同一命令（已入库的会显示「无变化」）。")
    assert "程序内部错误" not in err and "Error" not in err
    assert out.strip().splitlines()[-1] == "共 8 个文件：入库 4，无变化 0，拒收 0，未入库 4。"
    said_stored = [line for line in out.splitlines() if "已入库" in line]
    assert len(said_stored) == 4 and all(f"2025年{m}月" in said_stored[m - 1] for m in range(1, 5))

    store = Store(url)
    try:
        assert stored_files(store) == 4  # exactly the files said stored
    finally:
        store.close()
    monkeypatch.undo()
    assert main(["ingest", *map(str, paths), "--db", url]) == 0
    out, _ = capsys.readouterr()
    lines = out.strip().splitlines()
    assert lines[-1] == "共 8 个文件：入库 4，无变化 4，拒收 0。"
    assert [("无变化" in line) for line in lines[:8]] == [True] * 4 + [False] * 4


@pytest.mark.postgres
def test_a_long_lived_store_works_again_after_a_restart_and_after_the_server_was_away(own_postgres, tmp_path):
    """As a dashboard holds its store: the same engine, never rebuilt, through a restart and a stop."""
    from lingyi.intake.ingest import Outcome, ingest_file

    url = own_postgres.url
    paths = returns(tmp_path, 3)
    store = Store(url)
    try:
        assert ingest_file(store, paths[0].read_bytes(), paths[0].name).outcome is Outcome.ACCEPTED
        version = store.data_version()
        with store.engine.connect() as a, store.engine.connect() as b:  # more than one connection in the pool
            a.exec_driver_sql("SELECT 1")
            b.exec_driver_sql("SELECT 1")

        own_postgres.restart()  # every pooled connection is dead now
        assert store.data_version() == version
        assert ingest_file(store, paths[1].read_bytes(), paths[1].name).outcome is Outcome.ACCEPTED

        own_postgres.pause()
        with pytest.raises(Exception) as away:
            store.data_version()
        fault = unavailable(away.value, url)
        assert fault is not None and fault.reason.startswith("数据库连接中断（服务器 127.0.0.1:")

        own_postgres.resume()
        assert store.data_version() == version + 1
        assert ingest_file(store, paths[2].read_bytes(), paths[2].name).outcome is Outcome.ACCEPTED
        assert stored_files(store) == 3
    finally:
        store.close()


def test_a_store_that_cannot_be_opened_exits_3(tmp_path, capsys):
    code = main(["summary", "--db", f"sqlite:///{tmp_path}"])  # a folder where the file should be
    _, err = capsys.readouterr()
    assert code == STORE_UNAVAILABLE and err.startswith("错误：数据库文件无法读取（文件 ")


def test_a_closed_pipe_ends_the_command_quietly(store, tmp_path):
    import subprocess
    import sys

    paths = returns(tmp_path, 2)
    assert main(["ingest", *map(str, paths), "--db", store.url]) == 0
    shown = subprocess.run(
        f"{sys.executable} -m lingyi history --db '{store.url}' | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown.stderr == "" and len(shown.stdout.splitlines()) == 1


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs of its own (root only): a disk that really fills up."""
    import os
    import subprocess

    folder = tmp_path / "small-disk"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"no tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_really_full_disk_stops_ingest_with_what_was_stored_and_the_rerun_finishes(
    small_disk, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(ingest_module, "BATCH_FILES", 2)  # committed two by two: some before the disk fills

    url = f"sqlite:///{small_disk / 'lingyi.db'}"
    Store(url).close()
    filler = small_disk / "filler"
    free = __import__("shutil").disk_usage(small_disk).free
    filler.write_bytes(b"\0" * (free - 600_000))  # some 600 KB left: a few files fit, not all
    folder = tmp_path / "returns"
    folder.mkdir()
    paths = []
    for month in range(1, 13):
        for unit in (UNIT, OTHER_UNIT):
            path = folder / f"{unit}_2025年{month}月_学习活动.csv"
            path.write_bytes(csv_bytes(learning_rows(300, unit=unit, month=202500 + month, seed=month)))
            paths.append(path)
    code = main(["ingest", *map(str, paths), "--db", url])
    out, err = capsys.readouterr()
    assert code == STORE_UNAVAILABLE, err
    assert err.startswith("磁盘空间不足（文件 ") and "起未入库" in err
    said_stored = out.count("已入库")
    assert 0 < said_stored < len(paths)
    filler.unlink()  # the disk has room again
    store = Store(url)
    try:
        assert stored_files(store) == said_stored  # every file said stored is stored, and no other
    finally:
        store.close()
    assert main(["ingest", *map(str, paths), "--db", url]) == 0
    out, _ = capsys.readouterr()
    assert (
        out.strip().splitlines()[-1]
        == f"共 {len(paths)} 个文件：入库 {len(paths) - said_stored}，无变化 {said_stored}，拒收 0。"
    )
