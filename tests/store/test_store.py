"""lingyi/store/: submissions, what is current, history, restore and the kept originals (spec §4)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa
from factories import ON_POSTGRES, OTHER_UNIT, UNIT, write_csv

from lingyi import metrics
from lingyi import store as store_module
from lingyi.access import auth
from lingyi.errors import RegistryError, StoreError
from lingyi.intake.ingest import Outcome
from lingyi.metrics import snapshots
from lingyi.store import SCHEMA_VERSION, NewSubmission, Store, meta_table
from lingyi.values import Period


def activity(unit: str, day: dt.date, person_times: int, row: int = 2) -> dict:
    return {
        "unit": unit,
        "activity": "读书会",
        "form": "讲堂",
        "theme": "其他",
        "date": day,
        "month": day.year * 100 + day.month,
        "sessions": 1,
        "lectures": 1,
        "person_times": person_times,
        "lecturers": None,
        "sheet": "学习活动",
        "row": row,
    }


def learning(unit: str, period: Period, *people: tuple[dt.date, int]) -> NewSubmission:
    rows = [activity(unit, day, count, row) for row, (day, count) in enumerate(people, start=2)]
    return NewSubmission(unit, "learning", period, True, ("学习活动",), pd.DataFrame(rows))


def problem(unit: str, key: str, status: str, resolved: dt.date | None = None) -> dict:
    return {
        "unit": unit,
        "key": key,
        "number": key,
        "description": f"问题{key}",
        "problem_type": "业务工作",
        "found_date": dt.date(2025, 3, 1),
        "status": status,
        "resolved_date": resolved,
        "stage": None,
        "sheet": "问题清单",
        "row": 2,
    }


OCTOBER = Period(202510, 202510)
Q4 = Period(202510, 202512)


def current_people(store, kind="learning"):
    rows = store.current_rows(kind)
    return sorted(zip(rows["unit"], rows["month"], rows["person_times"]))


def test_new_store_is_empty(store):
    assert store.data_version() == 0
    assert store.history().empty
    assert "replaced_by" in store.history().columns
    assert store.submissions().empty
    for kind in ("learning", "hotline", "problems", "indicators"):
        assert store.current_rows(kind).empty
    assert store.headcounts() == {}


def test_saved_file_stores_its_rows_and_bumps_the_data_version(store):
    (sid,) = store.save_file(b"one", "民政局.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 120))], {UNIT: 85})
    assert store.data_version() == 1
    assert current_people(store) == [(UNIT, 202510, 120)]
    history = store.history()
    assert list(history["id"]) == [sid]
    assert (history["unit"][0], history["kind"][0], history["file"][0], history["rows"][0]) == (
        UNIT,
        "learning",
        "民政局.xlsx",
        1,
    )
    assert store.headcounts() == {UNIT: 85}


def test_every_accepted_file_is_kept_byte_for_byte(store):
    data = bytes(range(256)) * 10
    store.save_file(data, "原件.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 1))], {})
    file_id = int(store.history()["file_id"][0])
    assert store.original(file_id) == ("原件.xlsx", data)


def test_each_current_row_traces_to_its_file_sheet_and_row(store):
    store.save_file(
        b"f", "民政局.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 1), (dt.date(2025, 10, 10), 2))], {}
    )
    rows = store.current_rows("learning")
    assert sorted(zip(rows["sheet"], rows["row"])) == [("学习活动", 2), ("学习活动", 3)]
    assert set(rows["file_id"]) == {int(store.history()["file_id"][0])}


def test_later_submission_for_the_same_unit_kind_and_period_replaces_and_keeps_the_earlier(store):
    (first,) = store.save_file(b"v1", "v1.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 100))], {})
    (second,) = store.save_file(b"v2", "v2.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 20), 70))], {})
    assert current_people(store) == [(UNIT, 202510, 70)]
    history = store.history().set_index("id")
    assert list(history.index) == [second, first]  # newest first
    assert history.loc[first, "replaced_by"] == second
    assert pd.isna(history.loc[second, "replaced_by"])


def test_restore_brings_an_earlier_version_back(store):
    (first,) = store.save_file(b"v1", "v1.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 100))], {})
    (second,) = store.save_file(b"v2", "v2.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 20), 70))], {})
    version = store.data_version()
    store.restore(first)
    assert current_people(store) == [(UNIT, 202510, 100)]
    assert store.data_version() == version + 1
    history = store.history().set_index("id")
    assert history.loc[second, "replaced_by"] == first
    store.restore(second)
    assert current_people(store) == [(UNIT, 202510, 70)]


def test_submission_replaces_only_the_months_it_covers(store):
    store.save_file(
        b"q4",
        "q4.xlsx",
        [learning(UNIT, Q4, (dt.date(2025, 10, 9), 10), (dt.date(2025, 11, 9), 11), (dt.date(2025, 12, 9), 12))],
        {},
    )
    store.save_file(b"nov", "nov.xlsx", [learning(UNIT, Period(202511, 202511), (dt.date(2025, 11, 20), 99))], {})
    assert current_people(store) == [(UNIT, 202510, 10), (UNIT, 202511, 99), (UNIT, 202512, 12)]


def test_submission_of_one_unit_leaves_other_units_alone(store):
    store.save_file(b"a", "a.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 1))], {})
    store.save_file(b"b", "b.xlsx", [learning(OTHER_UNIT, OCTOBER, (dt.date(2025, 10, 9), 2))], {})
    assert current_people(store) == sorted([(UNIT, 202510, 1), (OTHER_UNIT, 202510, 2)])


def test_month_reported_empty_by_a_newer_submission_has_no_rows(store):
    """A newer submission for the whole quarter owns October even though it lists nothing in October."""
    store.save_file(b"oct", "oct.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 5))], {})
    store.save_file(b"q4", "q4.xlsx", [learning(UNIT, Q4, (dt.date(2025, 11, 9), 6))], {})
    assert current_people(store) == [(UNIT, 202511, 6)]


def test_deleted_submission_stops_counting_but_stays_in_the_history(store):
    (first,) = store.save_file(b"v1", "v1.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 100))], {})
    (second,) = store.save_file(b"v2", "v2.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 20), 70))], {})
    store.delete(second)
    assert current_people(store) == [(UNIT, 202510, 100)]
    history = store.history().set_index("id")
    assert bool(history.loc[second, "deleted"]) is True
    store.delete(first)
    assert current_people(store) == []
    assert len(store.history()) == 2


def test_problems_are_current_by_key_as_their_newest_submission_states_them(store):
    period = Period(202503, 202503)
    first = NewSubmission(
        UNIT,
        "problems",
        period,
        True,
        ("问题清单",),
        pd.DataFrame([problem(UNIT, "A", "待化解"), problem(UNIT, "B", "化解中")]),
    )
    store.save_file(b"p1", "p1.xlsx", [first], {})
    update = NewSubmission(
        UNIT, "problems", period, True, ("问题清单",), pd.DataFrame([problem(UNIT, "A", "已化解", dt.date(2025, 4, 1))])
    )
    store.save_file(b"p2", "p2.xlsx", [update], {})
    rows = store.current_rows("problems")
    assert sorted(zip(rows["key"], rows["status"])) == [("A", "已化解"), ("B", "化解中")]


def test_indicators_are_current_per_unit_and_period(store):
    def indicator(actual, period):
        return {
            "unit": UNIT,
            "indicator_type": "共性指标",
            "indicator": "学习次数",
            "measure_unit": "次",
            "target": 12.0,
            "actual": actual,
            "direction": "越高越好",
            "period_start": period.start,
            "period_end": period.end,
            "sheet": "指标完成",
            "row": 2,
        }

    def submission(actual, period):
        return NewSubmission(UNIT, "indicators", period, True, ("指标完成",), pd.DataFrame([indicator(actual, period)]))

    ten, nine = Period(202501, 202510), Period(202501, 202509)
    store.save_file(b"i1", "i1.xlsx", [submission(8.0, ten)], {})
    store.save_file(b"i2", "i2.xlsx", [submission(7.0, nine)], {})
    store.save_file(b"i3", "i3.xlsx", [submission(10.0, ten)], {})
    rows = store.current_rows("indicators")
    assert sorted(zip(rows["period_end"], rows["actual"])) == [(202509, 7.0), (202510, 10.0)]


def hotline(unit: str, period: Period, *months_and_appeals: tuple[int, int]) -> NewSubmission:
    rows = [
        {
            "unit": unit,
            "month": month,
            "appeals": appeals,
            "first_time_rate": 0.9,
            "resolution_rate": None,
            "satisfaction_rate": None,
            "appeals_prev": None,
            "first_time_rate_prev": None,
            "resolution_rate_prev": None,
            "satisfaction_rate_prev": None,
            "sheet": "热线指标",
            "row": row,
        }
        for row, (month, appeals) in enumerate(months_and_appeals, start=2)
    ]
    return NewSubmission(unit, "hotline", period, True, ("热线指标",), pd.DataFrame(rows))


def test_current_hotline_records_are_the_current_rows_of_those_units(store):
    store.save_file(b"q", "q.xlsx", [hotline(UNIT, Q4, (202510, 10), (202511, 20), (202512, 25))], {})
    store.save_file(b"o", "o.xlsx", [hotline(UNIT, OCTOBER, (202510, 30))], {})
    store.save_file(b"n", "n.xlsx", [hotline(UNIT, Period(202511, 202511))], {})  # November withdrawn to no rows
    store.save_file(b"x", "x.xlsx", [hotline(OTHER_UNIT, OCTOBER, (202510, 40))], {})
    (deleted,) = store.save_file(b"d", "d.xlsx", [hotline(UNIT, Period(202512, 202512), (202512, 99))], {})
    store.delete(deleted)
    records = store.current_hotline([UNIT])
    assert {key: r["appeals"] for key, r in records.items()} == {(UNIT, 202510): 30, (UNIT, 202512): 25}
    rows = store.current_rows("hotline").query("unit == @UNIT")
    assert sorted(zip(rows["unit"], rows["month"], rows["appeals"])) == sorted(
        (*key, r["appeals"]) for key, r in records.items()
    )
    assert records[(UNIT, 202510)]["first_time_rate"] == 0.9
    assert records[(UNIT, 202510)]["resolution_rate"] is None
    assert store.current_hotline([]) == {}


def test_a_batch_stores_each_file_whole_or_not_at_all_and_sees_what_it_stored(store):
    with store.batch() as batch:
        batch.save_file(b"a", "a.xlsx", [hotline(UNIT, OCTOBER, (202510, 10))], {UNIT: 80})
        assert batch.file_by_hash(store_module.sha256(b"a"))["name"] == "a.xlsx"
        assert batch.current_hotline([UNIT])[(UNIT, 202510)]["appeals"] == 10
        assert batch.headcounts() == {UNIT: 80}
        broken = NewSubmission(UNIT, "learning", OCTOBER, True, ("学习活动",), pd.DataFrame([{"unit": UNIT}]))
        with pytest.raises(KeyError):
            batch.save_file(b"b", "b.xlsx", [broken], {UNIT: 1})  # fails after its file row was written
        batch.save_file(b"c", "c.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 5))], {})
        assert store.file_by_hash(store_module.sha256(b"a")) is None  # not committed yet: not seen outside
    assert list(store.history()["file"]) == ["c.xlsx", "a.xlsx"]
    assert store.history()["seq"].tolist() == [2, 1]
    assert store.file_by_hash(store_module.sha256(b"b")) is None
    assert store.headcounts() == {UNIT: 80}
    assert store.data_version() == 2


def test_latest_headcount_of_each_unit_counts(store):
    store.save_file(b"a", "a.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 1))], {UNIT: 80})
    store.save_file(b"b", "b.xlsx", [learning(UNIT, Q4, (dt.date(2025, 11, 9), 1))], {UNIT: 85, OTHER_UNIT: 40})
    assert store.headcounts() == {UNIT: 85, OTHER_UNIT: 40}


@pytest.mark.parametrize("action", ["restore", "delete"])
def test_unknown_submission_id_is_a_store_error(store, action):
    with pytest.raises(StoreError, match="没有编号为 999 的报送记录。"):
        getattr(store, action)(999)


def test_unknown_file_id_is_a_store_error(store):
    with pytest.raises(StoreError, match="没有编号为 7 的文件。"):
        store.original(7)


def test_store_reopened_keeps_its_data(store):
    store.save_file(b"a", "a.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 3))], {})
    store.close()
    again = Store(store.url)
    assert current_people(again) == [(UNIT, 202510, 3)]
    assert again.data_version() == 1
    again.close()


def test_the_data_stamp_moves_with_every_write_and_names_the_database(store):
    stamp = store.data_stamp()
    store.save_file(b"a", "a.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 3))], {})
    assert store.data_stamp() != stamp
    again = Store(store.url)
    assert again.data_stamp() == store.data_stamp()  # the same database, opened again
    again.close()


def test_a_database_made_anew_at_the_same_address_has_another_stamp_at_the_same_version(store):
    store.save_file(b"a", "a.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 3))], {})
    before = store.data_stamp()
    store_module.metadata.drop_all(store.engine)  # the database lost, and made again from nothing
    again = Store(store.url)
    again.save_file(b"b", "b.xlsx", [learning(OTHER_UNIT, OCTOBER, (dt.date(2025, 10, 9), 5))], {})
    assert again.data_version() == 1
    assert again.data_stamp() != before
    again.close()


def test_database_of_a_newer_schema_is_refused(store):
    with store.engine.begin() as conn:
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="99"))
    store.close()
    with pytest.raises(StoreError, match=f"数据库的结构版本 99 比本程序（{SCHEMA_VERSION}）新，请升级程序。"):
        Store(store.url)


def test_unreadable_database_url_is_a_store_error():
    with pytest.raises(StoreError, match="数据库地址无法识别：not a url"):
        Store("not a url")


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite file paths")
def test_database_url_comes_from_the_environment_or_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("LINGYI_DATABASE_URL", "sqlite:///elsewhere.db")
    assert store_module.default_url() == "sqlite:///elsewhere.db"
    monkeypatch.delenv("LINGYI_DATABASE_URL")
    monkeypatch.setattr(store_module.sql, "DATA_DIR", tmp_path / "data")
    assert store_module.default_url() == f"sqlite:///{tmp_path / 'data' / 'lingyi.db'}"
    assert (tmp_path / "data").is_dir()


def test_registry_is_the_default_until_an_admin_replaces_it(store):
    assert len(store.registry()) == 108
    content = "单位全称,单位简称,单位类别,别名\n临沂市民政局,市民政局,社会服务,民政局\n临沂市新设局,市新设局,经济发展,新设局\n"
    store.replace_registry(content.encode("gbk"), "新名录.csv", user="admin")
    assert [u.name for u in store.registry().units] == ["临沂市民政局", "临沂市新设局"]
    assert store.registry().match("新设局").category == "经济发展"
    history = store.registry_history()
    assert list(zip(history["name"], history["units"], history["uploaded_by"])) == [("新名录.csv", 2, "admin")]


def test_invalid_registry_file_changes_nothing(store):
    with pytest.raises(RegistryError):
        store.replace_registry("单位全称,单位简称\n甲,乙\n".encode(), "坏名录.csv")
    assert len(store.registry()) == 108
    assert store.registry_history().empty
    assert store.data_version() == 0


def test_a_failed_write_stores_nothing(store):
    bad_row = activity(UNIT, dt.date(2025, 10, 9), 1)
    bad_row["person_times"] = None  # NOT NULL in the table: the insert fails after the file row was written
    with pytest.raises(sa.exc.IntegrityError):
        store.save_file(
            b"x", "x.xlsx", [NewSubmission(UNIT, "learning", OCTOBER, True, ("学习活动",), pd.DataFrame([bad_row]))], {}
        )
    assert store.data_version() == 0
    assert store.history().empty
    assert store.file_by_hash(store_module.sha256(b"x")) is None


# -- audit log ----------------------------------------------------------------------------------------------------


def test_every_write_is_in_the_audit_log_saying_who_what_and_the_file_hash(store, registry):
    (first,) = store.save_file(
        b"v1", "v1.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 100))], {}, user="张三"
    )
    store.save_file(b"v2", "v2.xlsx", [learning(UNIT, Q4, (dt.date(2025, 11, 9), 70))], {}, user="李四")
    store.delete(first, user="王五")
    store.restore(first, user="赵六")
    store.replace_registry(registry.to_csv_bytes(), "新名录.csv", user="管理员")

    log = store.audit_log()
    assert list(zip(log["user"], log["action"], log["file"])) == [
        ("管理员", "registry", "新名录.csv"),
        ("赵六", "restore", "v1.xlsx"),
        ("王五", "delete", "v1.xlsx"),
        ("李四", "ingest", "v2.xlsx"),
        ("张三", "ingest", "v1.xlsx"),
    ]
    assert list(log["action_name"]) == ["更换单位名录", "恢复报送", "撤销报送", "入库", "入库"]
    ingested = log.iloc[-1]
    assert (ingested["units"], ingested["kinds"], ingested["periods"], ingested["submissions"]) == (
        UNIT,
        "学习活动",
        "2025年10月",
        f"#{first}",
    )
    assert log.iloc[-2]["periods"] == "2025年第四季度"
    assert ingested["sha256"] == store_module.sha256(b"v1")
    assert log.iloc[0]["sha256"] == store_module.sha256(registry.to_csv_bytes())
    assert log.iloc[0]["note"] == "单位名录 108 个单位"
    assert all(isinstance(at, dt.datetime) for at in log["at"])


def test_a_file_of_many_units_is_one_audit_entry_naming_every_submission(store):
    ids = store.save_file(
        b"all",
        "汇总.xlsx",
        [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 1)), learning(OTHER_UNIT, OCTOBER, (dt.date(2025, 10, 9), 2))],
        {},
    )
    (entry,) = store.audit_log().to_dict("records")
    assert entry["units"] == f"{UNIT}、{OTHER_UNIT}"
    assert entry["submissions"] == "、".join(f"#{i}" for i in ids)
    assert [s["rows"] for s in entry["detail"]["submissions"]] == [1, 1]


def test_a_failed_write_leaves_no_audit_entry(store):
    bad_row = activity(UNIT, dt.date(2025, 10, 9), 1)
    bad_row["person_times"] = None
    with pytest.raises(sa.exc.IntegrityError):
        store.save_file(
            b"x", "x.xlsx", [NewSubmission(UNIT, "learning", OCTOBER, True, ("学习活动",), pd.DataFrame([bad_row]))], {}
        )
    with pytest.raises(StoreError):
        store.restore(99)
    assert store.audit_log().empty


def test_audit_hook_writes_in_the_callers_transaction_or_not_at_all(store):
    with store.writing() as conn:
        store.audit(conn, "管理员", "user", {"note": "新增用户 张三"})
    with pytest.raises(RuntimeError), store.writing() as conn:
        store.audit(conn, "管理员", "user", {"note": "删除用户 李四"})
        raise RuntimeError("the caller's write failed")
    log = store.audit_log()
    assert list(zip(log["user"], log["action"], log["note"])) == [("管理员", "user", "新增用户 张三")]
    assert log["sha256"].tolist() == [None]


def test_audit_log_since_a_date_leaves_out_older_entries(store):
    store.save_file(b"old", "old.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 1))], {})
    with store.engine.begin() as conn:
        conn.execute(store_module.audit_table.update().values(at=dt.datetime(2025, 1, 31, 23, 59)))
    store.save_file(b"new", "new.xlsx", [learning(UNIT, Q4, (dt.date(2025, 11, 9), 1))], {})
    assert list(store.audit_log(dt.date(2025, 2, 1))["file"]) == ["new.xlsx"]
    assert list(store.audit_log(dt.date(2025, 1, 31))["file"]) == ["new.xlsx", "old.xlsx"]


def test_store_made_at_schema_version_1_is_migrated_and_keeps_its_data(store):
    """A database of the first release: no audit_log, users, sign_ins or sessions tables, schema_version 1."""
    (sid,) = store.save_file(b"v1", "v1.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 100))], {})
    with store.engine.begin() as conn:
        for table in (
            store_module.audit_table,
            store_module.users_table,
            store_module.sign_ins_table,
            store_module.sessions_table,
        ):
            table.drop(conn)
        conn.execute(meta_table.delete().where(meta_table.c.key == store_module.SESSION_KEY))
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="1"))
    store.close()

    migrated = Store(store.url)
    try:
        with migrated.engine.connect() as conn:
            version = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar()
        assert int(version) == SCHEMA_VERSION
        assert {"audit_log", "users", "sign_ins", "sessions"} <= set(sa.inspect(migrated.engine).get_table_names())
        with migrated.engine.connect() as conn:
            key = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == store_module.SESSION_KEY))
            assert len(key.scalar()) == 64  # cookies are signed with a key of the store's own
        assert current_people(migrated) == [(UNIT, 202510, 100)]
        assert migrated.data_version() == 1
        assert migrated.audit_log().empty
        migrated.delete(sid, user="张三")
        assert list(migrated.audit_log()["user"]) == ["张三"]
    finally:
        migrated.close()


def test_store_made_before_sign_in_addresses_gains_them_and_keeps_its_attempts(store):
    """Schema version 7: sign-in attempts without address and outcome; they are listed as before, address unknown."""
    auth.add_user(store, "张三", "a-long-password", auth.Role.ADMIN)
    auth.sign_in(store, "张三", "a-long-password", address="10.1.2.3", at=dt.datetime(2025, 11, 3, 9))
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_sign_ins_address")
        conn.exec_driver_sql("ALTER TABLE sign_ins DROP COLUMN address")
        conn.exec_driver_sql("ALTER TABLE sign_ins DROP COLUMN outcome")
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="7"))
    store.close()

    migrated = Store(store.url)
    try:
        indexes = {i["name"] for i in sa.inspect(migrated.engine).get_indexes("sign_ins")}
        assert "ix_sign_ins_address" in indexes
        assert auth.sign_ins(migrated)[["name", "address", "result"]].values.tolist() == [["张三", "未知", "成功"]]
        auth.sign_in(migrated, "张三", "a-long-password", address="10.1.2.3", at=dt.datetime(2025, 11, 3, 10))
        assert auth.sign_ins(migrated)["address"].tolist() == ["10.1.2.3", "未知"]
    finally:
        migrated.close()


def test_store_made_before_snapshots_gains_their_tables_and_keeps_its_data(store):
    """A database of schema version 3: everything but the 会议版 tables (lingyi/metrics/snapshots.py)."""
    store.save_file(b"v3", "v3.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 100))], {})
    with store.engine.begin() as conn:
        for table in (store_module.snapshot_submissions_table, store_module.snapshots_table):
            table.drop(conn)
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="3"))
    store.close()

    migrated = Store(store.url)
    try:
        assert {"snapshots", "snapshot_submissions"} <= set(sa.inspect(migrated.engine).get_table_names())
        assert current_people(migrated) == [(UNIT, 202510, 100)]
        frozen = snapshots.create(migrated, "迁移后", metrics.Scope(2025, 10))
        assert frozen.figures["learning"]["person_times"] == 100
    finally:
        migrated.close()


def test_store_made_before_ticket_exports_gains_the_source_of_each_submission_and_the_settings(store):
    """Before 12345 ticket exports: no submissions.source, no settings table; its returns stay returns."""
    store.save_file(b"v3", "v3.xlsx", [learning(UNIT, OCTOBER, (dt.date(2025, 10, 9), 100))], {})
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE submissions DROP COLUMN source")
        store_module.settings_table.drop(conn)
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="3"))
    store.close()

    migrated = Store(store.url)
    try:
        assert "source" in {c["name"] for c in sa.inspect(migrated.engine).get_columns("submissions")}
        assert migrated.submissions()["source"].tolist() == [None]
        assert migrated.hotline_source() == "tickets"
        assert current_people(migrated) == [(UNIT, 202510, 100)]
        migrated.set_hotline_source("returns", user="管理员")
        assert migrated.hotline_source() == "returns"
    finally:
        migrated.close()


def test_a_database_that_cannot_be_opened_is_named_without_its_password():
    with pytest.raises(StoreError) as raised:
        Store("postgresql+psycopg://lingyi:secret-password@127.0.0.1:1/lingyi")
    assert "secret-password" not in str(raised.value)
    assert str(raised.value) == "数据库连接中断（服务器 127.0.0.1:1）"  # where, in Chinese, and never the password


def test_marking_a_unit_not_concerned_is_a_new_registry_version_in_the_audit_log(store):
    store.set_exempt(["市委办公室"], "hotline", True, user="管理员")
    assert store.registry().by_name["中共临沂市委办公室"].exempt == {"hotline"}
    entry = store.audit_log().iloc[0]
    assert (entry["user"], entry["action"]) == ("管理员", "registry")
    assert "市委办公室 标为不涉及热线指标" in entry["note"]
    store.set_exempt(["中共临沂市委办公室"], "hotline", False, user="管理员")
    assert store.registry().by_name["中共临沂市委办公室"].exempt == frozenset()
    assert len(store.registry_history()) == 2


def test_ledgers_once_keyed_by_their_row_numbers_are_keyed_again_from_their_files(store, submit, tmp_path):
    """A store of schema version 6 read 序号 as 问题编号: July's problems 1–30 had overwritten June's."""
    header = ["序号", "单位名称", "问题描述", "发现日期", "整改状态", "化解日期"]
    for month in (6, 7):
        rows = [header] + [
            [n, UNIT, f"{month}月问题{n}", f"2025-{month:02d}-{n % 28 + 1:02d}", "化解中", None] for n in range(1, 31)
        ]
        assert submit(write_csv(tmp_path / f"{month}月问题清单.csv", rows)).outcome is Outcome.ACCEPTED
    table = store_module.ROW_TABLES["problems"]
    with store.engine.begin() as conn:
        for row_id, row in conn.execute(sa.select(table.c.id, table.c.row)).all():
            conn.execute(table.update().where(table.c.id == row_id).values(number=str(row - 1), key=f"编号:{row - 1}"))
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="6"))
    assert len(store.current_rows("problems")) == 30  # what the old keys made of the two ledgers
    store.close()

    migrated = Store(store.url)
    try:
        assert len(migrated.current_rows("problems")) == 60
        assert migrated.current_rows("problems")["number"].isna().all()
        (entry,) = migrated.audit_log().to_dict("records")[:1]
        assert entry["action"] == "migration" and "60 个问题原以序号作问题编号" in entry["note"]
        assert "6月问题清单.csv" in entry["note"] and "7月问题清单.csv" in entry["note"]
    finally:
        migrated.close()


def test_ledgers_with_a_real_problem_number_keep_their_keys_when_migrated(store, submit, tmp_path):
    rows = [["序号", "问题编号", "单位名称", "问题描述", "发现日期", "整改状态", "化解日期"]]
    rows += [[n, f"MZ-{n}", UNIT, f"问题{n}", "2025-06-01", "化解中", None] for n in range(1, 4)]
    submit(write_csv(tmp_path / "台账.csv", rows))
    with store.engine.begin() as conn:
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="6"))
    store.close()
    migrated = Store(store.url)
    try:
        assert sorted(migrated.current_rows("problems")["key"]) == ["编号:MZ-1", "编号:MZ-2", "编号:MZ-3"]
        assert "migration" not in set(migrated.audit_log().get("action", []))
    finally:
        migrated.close()
