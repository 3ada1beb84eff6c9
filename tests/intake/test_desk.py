"""The analyst's desk: verdicts before storing, storing the good files, the history and registry as people read them."""

from __future__ import annotations

import io

import factories as f
import openpyxl
import pytest
from hostile.make_corpus import FILES as HOSTILE_FILES

from lingyi.errors import RegistryError
from lingyi.intake import desk
from lingyi.intake.desk import Verdict
from lingyi.intake.ingest import Outcome
from lingyi.registry import Registry, Unit
from lingyi.values import Period

MINZHENG = "临沂市民政局"


def learning_file(tmp_path, name="民政局.xlsx", **options):
    return f.write_xlsx(tmp_path / name, {"学习活动": f.learning_rows(3, **options)})


def check(path, store, registry, **options) -> desk.CheckedFile:
    return desk.check_upload(path.read_bytes(), path.name, registry=registry, store=store, **options)


# -- verdicts ----------------------------------------------------------------------------------------------------


def test_a_good_file_is_ready_with_its_rows_counted(tmp_path, store, registry):
    checked = check(learning_file(tmp_path), store, registry)
    assert checked.verdict is Verdict.READY
    assert checked.counts == {"学习活动": 3}
    assert checked.counts_text == "学习活动 3 行"
    assert not checked.needs_unit
    assert checked.marked is None


def test_a_file_with_errors_has_them_in_a_table_and_a_marked_copy(tmp_path, store, registry):
    rows = f.column(f.learning_rows(3), "参与人次", [1, "很多", 3])
    path = f.write_xlsx(tmp_path / "a.xlsx", {"学习活动": rows})
    checked = check(path, store, registry)
    assert checked.verdict is Verdict.ERRORS
    assert checked.error_table().to_dict("records") == [
        {
            "工作表": "学习活动",
            "行号": 3,
            "列": "I",
            "列名": "参与人次",
            "值": "很多",
            "说明": "无法识别为数字，请只填写数字，如 1234。",
        }
    ]
    assert checked.marked.name == "a_错误标注.xlsx"
    assert checked.error_list_name == "a_错误清单.xlsx"
    assert openpyxl.load_workbook(io.BytesIO(checked.error_list()))["错误清单"].max_row == 2


def test_a_file_matching_no_kind_is_refused_on_the_desk_naming_the_nearest_kind(tmp_path, store, registry):
    rows = [["单位名称", "诉求总量", "一次性办好率"], [MINZHENG, 120, "93.72%"]]
    checked = check(f.write_xlsx(tmp_path / "热线汇总表.xlsx", {"Sheet1": rows}), store, registry)
    assert checked.verdict is Verdict.ERRORS
    assert [(r["工作表"], r["行号"], r["说明"]) for r in checked.error_table().to_dict("records")] == [
        (
            "Sheet1",
            1,
            "未识别为任何报表。最接近 热线指标：缺少「月份」；「诉求总量」可改名为「诉求量」。"
            "请按模板调整表头后再上传（上传页可下载模板）。",
        )
    ]


def test_a_file_stored_as_it_is_is_unchanged(tmp_path, store, registry):
    path = learning_file(tmp_path)
    assert desk.ingest_ready(store, [check(path, store, registry)], registry=registry, period=None, user="t")
    checked = check(path, store, registry)
    assert checked.verdict is Verdict.UNCHANGED
    assert "完全相同" in checked.message


def test_another_units_stored_file_checked_by_a_unit_filler_is_an_error_not_unchanged(tmp_path, store, registry):
    path = learning_file(tmp_path, unit=f.OTHER_UNIT)
    assert desk.ingest_ready(store, [check(path, store, registry)], registry=registry, period=None, user="t")

    checked = check(path, store, registry, only_unit=MINZHENG)

    assert checked.verdict is Verdict.ERRORS
    assert checked.error_table()["说明"].tolist() == [
        f"本账号只能报送「{MINZHENG}」的数据，这个文件已作为「{f.OTHER_UNIT}」的数据入库，不能再以本单位名义上传。"
    ]
    assert checked.marked is None  # refused unread: nothing in it to mark
    assert desk.ingest_ready(store, [checked], registry=registry, period=None, user="t", only_unit=MINZHENG) == []
    assert check(path, store, registry, only_unit=f.OTHER_UNIT).verdict is Verdict.UNCHANGED  # its own unit's filler


def test_a_file_that_names_no_unit_asks_for_one_and_passes_with_it(tmp_path, store, registry):
    path = f.write_csv(tmp_path / "学习.csv", f.drop(f.learning_rows(2), "单位名称"))
    first = check(path, store, registry)
    assert (first.verdict, first.needs_unit) == (Verdict.ERRORS, True)
    second = check(path, store, registry, unit="市民政局")
    assert (second.verdict, second.needs_unit, second.unit) == (Verdict.READY, True, "市民政局")
    assert set(second.validated.tables[0].frame["unit"]) == {MINZHENG}


def test_a_file_with_an_unknown_unit_is_not_offered_a_unit_picker(tmp_path, store, registry):
    rows = f.column(f.learning_rows(1), "单位名称", ["不存在局"])
    checked = check(f.write_xlsx(tmp_path / "a.xlsx", {"学习活动": rows}), store, registry)
    assert (checked.verdict, checked.needs_unit) == (Verdict.ERRORS, False)


def test_the_declared_period_is_applied(tmp_path, store, registry):
    checked = check(learning_file(tmp_path, month=202510), store, registry, period=Period(202509, 202509))
    assert checked.verdict is Verdict.ERRORS
    assert {e.message for e in checked.errors} == {"活动日期不在报送期间（2025年9月）内。"}


def test_a_file_the_checks_cannot_get_through_is_an_error_that_says_so():
    checked = desk.unreadable(b"x", "a.xlsx", "RecursionError")
    assert checked.verdict is Verdict.ERRORS
    assert checked.errors[0].message.startswith("文件无法检查（RecursionError）")
    assert checked.marked is None


# Refused unread as unsafe or damaged; openpyxl would still open some of them (a copy of a sheet reaching ZZ200000,
# of a workbook missing a sheet) and choke on others (an entity bomb, broken XML, bytes that are no text).
REFUSED_UNREAD = [
    "远端单元格.xlsx",
    "远端单元格谎报范围.xlsx",
    "缺工作表.xlsx",
    "实体炸弹.xlsx",
    "工作表XML损坏.xlsx",
    "乱码.csv",
    "加密.xlsx",
    "传了一半.xlsx",
]


@pytest.mark.parametrize("name", REFUSED_UNREAD)
def test_a_file_refused_unread_gets_its_error_list_and_no_marked_copy(name, store, registry):
    data = (HOSTILE_FILES / name).read_bytes()
    checked = desk.check_upload(data, name, registry=registry, store=store)
    assert checked.verdict is Verdict.ERRORS
    assert checked.marked is None
    listed = openpyxl.load_workbook(io.BytesIO(checked.error_list()))["错误清单"]
    assert [c.value for c in listed[2]][:3] == ["错误", name, None]
    assert listed["H2"].value == checked.errors[0].message


# -- storing -------------------------------------------------------------------------------------------------------


def test_store_all_stores_the_ready_files_only(tmp_path, store, registry):
    good = check(learning_file(tmp_path), store, registry)
    bad_rows = f.column(f.learning_rows(1, unit="临沂市财政局"), "日期", ["某天"])
    bad = check(f.write_xlsx(tmp_path / "b.xlsx", {"学习活动": bad_rows}), store, registry)
    results = desk.ingest_ready(store, [good, bad], registry=registry, period=None, user="分析员")
    assert [r.outcome for r in results] == [Outcome.ACCEPTED]
    assert desk.outcomes(results)[Outcome.ACCEPTED] == results
    assert set(store.current_rows("learning")["unit"]) == {MINZHENG}
    assert set(store.history()["created_by"]) == {"分析员"}
    assert desk.verdict_counts([good, bad]) == {
        Verdict.READY: 1,
        Verdict.HELD: 0,
        Verdict.ERRORS: 1,
        Verdict.UNCHANGED: 0,
    }


def test_a_unit_picked_for_a_file_is_the_unit_it_is_stored_under(tmp_path, store, registry):
    path = f.write_csv(tmp_path / "学习.csv", f.drop(f.learning_rows(2), "单位名称"))
    checked = check(path, store, registry, unit=MINZHENG)
    desk.ingest_ready(store, [checked], registry=registry, period=None, user="t")
    assert set(store.current_rows("learning")["unit"]) == {MINZHENG}


# -- previews ------------------------------------------------------------------------------------------------------


def test_preview_shows_the_rows_under_their_chinese_headers_as_people_write_them(tmp_path, store, registry):
    hotline = f.write_xlsx(tmp_path / "h.xlsx", {"热线": f.hotline_rows([202510])})
    ((title, frame),) = check(hotline, store, registry).previews()
    assert title == "工作表「热线」· 热线指标 · 2025年10月 · 1 行"
    assert list(frame.columns[:4]) == ["行号", "单位名称", "月份", "诉求量"]
    assert frame["月份"].tolist() == ["2025-10"]
    assert frame["一次性办好率"].iloc[0].endswith("%")
    indicators = f.write_xlsx(tmp_path / "i.xlsx", {"指标": f.indicator_rows()})
    ((_, frame),) = check(indicators, store, registry).previews()
    assert frame["统计期间"].tolist() == ["2025年1-10月", "2025年1-10月"]


# -- history -------------------------------------------------------------------------------------------------------


def test_history_table_says_which_submission_counts(tmp_path, submit, store, registry):
    first = submit(learning_file(tmp_path, "一.xlsx", seed=1))
    second = submit(learning_file(tmp_path, "二.xlsx", seed=2))
    third = submit(learning_file(tmp_path, "九月.xlsx", month=202509, seed=3))
    store.delete(third.submission_ids[0])
    table = desk.history_table(store.history(), registry).set_index("文件")
    assert table.loc["二.xlsx", "状态"] == desk.CURRENT
    assert table.loc["一.xlsx", "状态"] == f"已被 #{second.submission_ids[0]} 替换"
    assert table.loc["九月.xlsx", "状态"] == desk.WITHDRAWN
    assert table.loc["一.xlsx", ["单位", "报表", "期间", "行数"]].tolist() == ["市民政局", "学习活动", "2025年10月", 3]
    assert table.loc["一.xlsx", "编号"] == first.submission_ids[0]
    assert set(desk.HISTORY_COLUMNS) <= {"文件", *table.columns}


def test_history_table_of_an_empty_store_has_its_columns(store, registry):
    assert list(desk.history_table(store.history(), registry).columns[:3]) == ["编号", "单位", "报表"]


@pytest.mark.parametrize(
    ("query", "files"),
    [("", {"一.xlsx", "九月.xlsx"}), ("9月", {"九月.xlsx"}), ("民政 学习 10月", {"一.xlsx"}), ("财政", set())],
)
def test_history_search_matches_every_word(tmp_path, submit, store, registry, query, files):
    submit(learning_file(tmp_path, "一.xlsx"))
    submit(learning_file(tmp_path, "九月.xlsx", month=202509))
    table = desk.history_table(store.history(), registry)
    assert set(desk.search_history(table, query)["文件"]) == files


@pytest.mark.parametrize("query", ["人社局", "市人社局", "临沂市人力资源和社会保障局", "人社局 学习"])
def test_history_search_finds_every_record_of_a_unit_named_by_any_registry_name(
    tmp_path, submit, store, registry, query
):
    unit = "临沂市人力资源和社会保障局"
    for month in (202508, 202509, 202510):
        submit(f.write_xlsx(tmp_path / f"{month}.xlsx", {"学习活动": f.learning_rows(2, unit=unit, month=month)}))
    submit(learning_file(tmp_path, "民政局.xlsx"))
    table = desk.history_table(store.history(), registry)
    assert set(desk.search_history(table, query, registry)["文件"]) == {"202508.xlsx", "202509.xlsx", "202510.xlsx"}


def test_export_has_a_sheet_per_kind_with_every_current_row_and_its_source(tmp_path, submit, store):
    submit(learning_file(tmp_path))
    submit(f.write_xlsx(tmp_path / "热线.xlsx", {"热线": f.hotline_rows([202509, 202510])}))
    workbook = openpyxl.load_workbook(io.BytesIO(desk.export_all(store, store.history())))
    assert workbook.sheetnames == ["学习活动", "热线指标", "问题清单", "指标完成"]
    hotline = workbook["热线指标"]
    header = [c.value for c in hotline[1]]
    assert header[:3] == ["单位名称", "月份", "诉求量"]
    assert header[-4:] == ["来源文件", "工作表", "行号", "报送编号"]
    assert [hotline.cell(r, 2).value for r in (2, 3)] == ["2025-09", "2025-10"]
    assert {hotline.cell(r, header.index("来源文件") + 1).value for r in (2, 3)} == {"热线.xlsx"}
    assert hotline.cell(2, header.index("一次性办好率") + 1).number_format == "0.00%"
    assert workbook["学习活动"].max_row == 4
    assert workbook["问题清单"].max_row == 1


# -- registry ------------------------------------------------------------------------------------------------------


def registry_rows(registry: Registry) -> list[list[str]]:
    return [["单位全称", "单位简称", "单位类别", "别名"]] + [
        [u.name, u.short_name, u.category, ";".join(u.aliases)] for u in registry.units
    ]


def test_a_registry_upload_may_be_csv_or_xlsx(tmp_path, registry):
    rows = registry_rows(registry)
    for path in (f.write_csv(tmp_path / "units.csv", rows), f.write_xlsx(tmp_path / "units.xlsx", {"名录": rows})):
        csv_bytes, new = desk.read_registry_upload(path.read_bytes(), path.name)
        assert [u.name for u in new.units] == [u.name for u in registry.units]
        assert csv_bytes.decode("utf-8").startswith("单位全称,单位简称,单位类别,别名")


def test_a_registry_upload_with_problems_raises_every_one(tmp_path):
    rows = [["单位全称", "单位简称", "单位类别", "别名"], ["甲局", "", "社会服务", ""], ["乙局", "乙", "其他", ""]]
    with pytest.raises(RegistryError) as raised:
        desk.read_registry_upload(f.write_xlsx(tmp_path / "u.xlsx", {"名录": rows}).read_bytes(), "u.xlsx")
    assert [finding.row for finding in raised.value.findings] == [2, 3]


def test_a_registry_upload_that_is_no_workbook_says_so():
    with pytest.raises(RegistryError) as raised:
        desk.read_registry_upload(b"not a workbook", "units.xlsx")
    assert "无法打开" in raised.value.findings[0].message


def test_registry_changes_name_added_removed_and_moved_units():
    old = Registry([Unit("甲局", "甲", "社会服务", ()), Unit("乙局", "乙", "执法监督", ())])
    new = Registry([Unit("甲局", "甲", "经济发展", ()), Unit("丙局", "丙", "群团事业", ())])
    assert desk.registry_changes(old, new).values.tolist() == [
        ["类别变更", "甲局", "社会服务 → 经济发展"],
        ["新增", "丙局", "群团事业"],
        ["删除", "乙局", "执法监督"],
    ]


def test_registry_table_has_the_four_columns_of_a_registry_file(registry):
    table = desk.registry_table(registry)
    assert list(table.columns) == ["单位全称", "单位简称", "单位类别", "别名"]
    assert len(table) == 108


def test_a_checked_registry_upload_carries_its_problems_instead_of_raising():
    bad = desk.check_registry_upload("单位全称,单位简称,单位类别,别名\n甲局,,社会服务,\n".encode(), "u.csv")
    assert bad.registry is None
    assert bad.problems.to_dict("records") == [{"行号": 2, "值": "", "说明": "单位全称和单位简称都必须填写。"}]
    good = desk.check_registry_upload("单位全称,单位简称,单位类别,别名\n甲局,甲,社会服务,\n".encode(), "u.csv")
    assert (len(good.registry), good.problems.empty) == (1, True)
