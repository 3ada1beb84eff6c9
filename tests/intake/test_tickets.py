"""12345 ticket exports: read by their aliases in any encoding, placed on registry units, turned into the monthly
热线指标 by the contract's rules, stored like a return and compared with the units' own returns."""

from __future__ import annotations

import pytest

from lingyi.contract import TICKET_COLUMNS, TICKET_RULES
from lingyi.errors import Level
from lingyi.intake import ticket_checks, ticket_files
from lingyi.intake.ingest import Outcome, ingest_file
from lingyi.intake.tickets import TicketFile, check_export, match_unit, month_of
from tests.factories import (
    HAND_RETURN,
    HAND_TICKETS,
    HOTLINE_HEADER,
    OTHER_UNIT,
    TICKET_HEADER,
    UNIT,
    csv_bytes,
    rename,
    ticket_rows,
    write_csv,
    write_xls,
    write_xlsx,
)

FIGURE_COLUMNS = ["unit", "month", "appeals", "first_time_rate", "resolution_rate", "satisfaction_rate"]


def figures_of(frame) -> list[tuple]:
    return [
        (u, int(m), int(a), *(None if r is None or r != r else round(float(r), 4) for r in rates))
        for u, m, a, *rates in frame[FIGURE_COLUMNS].itertuples(index=False)
    ]


def current_figures(store) -> list[tuple]:
    rows = store.current_rows("hotline").sort_values(["unit", "month"])
    return figures_of(rows)


def test_hand_made_tickets_give_the_figures_the_rules_state(tmp_path, registry):
    path = write_xlsx(tmp_path / "12345工单.xlsx", {"工单明细": HAND_TICKETS})
    checked = check_export(path.read_bytes(), path.name, registry)
    assert isinstance(checked, TicketFile) and checked.ok, checked.findings
    (table,) = checked.tables
    assert figures_of(table.frame) == [(UNIT, 202509, 2, 0.5, 1.0, 1.0), (UNIT, 202510, 6, 0.6, 0.75, 0.75)]
    assert checked.row_counts() == {"12345工单": 10, "热线指标": 2}
    duplicate = [f for f in checked.warnings if "重复" in f.message]
    assert [(f.row, f.column, f.value) for f in duplicate] == [(3, "A", "T2")]


def test_ticket_export_stores_the_same_figures_as_a_hand_made_return(tmp_path, registry, store):
    from lingyi.store import Store

    exported = write_xlsx(tmp_path / "12345工单.xlsx", {"工单明细": HAND_TICKETS})
    typed = write_xlsx(tmp_path / "热线.xlsx", {"热线指标": HAND_RETURN})
    result = ingest_file(store, exported.read_bytes(), exported.name, registry=registry)
    assert result.outcome is Outcome.ACCEPTED, result.findings
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        assert ingest_file(other, typed.read_bytes(), typed.name, registry=registry).outcome is Outcome.ACCEPTED
        assert current_figures(store) == current_figures(other) == figures_of_return()
    finally:
        other.close()
    # The return after the tickets agrees with them: nothing to say side by side.
    again = ingest_file(store, typed.read_bytes(), typed.name, registry=registry)
    assert again.outcome is Outcome.ACCEPTED
    assert not [f for f in again.warnings if "工单" in f.message]


def figures_of_return() -> list[tuple]:
    return [(UNIT, 202509, 2, 0.5, 1.0, 1.0), (UNIT, 202510, 6, 0.6, 0.75, 0.75)]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # (是否一次性办结, 是否解决, 满意度评价, 是否重复件) per ticket → (诉求量, 一次性办好率, 问题解决率, 群众满意率)
        ([("是", "是", "满意", "否")], (1, 1.0, 1.0, 1.0)),
        ([("是", "是", "满意", "是")], (1, 0.0, None, None)),  # a 重复件 alone: 否 for 一次性, out of the rest
        ([("", "", "", "")], (1, None, None, None)),  # nothing answered: no rate can be worked out
        ([("是", "是", "未评价", "否"), ("否", "否", "不满意", "否")], (2, 0.5, 0.5, 0.0)),  # 未评价 out of 满意率
        ([("是", "否", "基本满意", "否"), ("是", "是", "满意", "")], (2, 1.0, 0.5, 1.0)),  # blank 重复件 is 否
    ],
)
def test_rates_treat_unrated_and_repeated_tickets_as_the_rules_say(tmp_path, registry, answers, expected):
    rows = [TICKET_HEADER]
    for i, (first, solved, rated, repeated) in enumerate(answers, start=1):
        rows.append([f"N{i}", "2025-10-09 10:00", "", UNIT, "投诉", first, solved, rated, repeated, ""])
    checked = check_export(csv_bytes(rows), "工单.csv", registry)
    (table,) = checked.tables
    assert figures_of(table.frame) == [(UNIT, 202510, *expected)]


def test_every_rule_is_stated_in_the_contract_and_names_its_figure():
    figures = [figure for figure, _ in TICKET_RULES]
    assert {"诉求量", "一次性办好率", "问题解决率", "群众满意率"} <= set(figures)
    text = "".join(rule for _, rule in TICKET_RULES)
    assert "未评价" in text and "重复件" in text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16"])
def test_csv_in_every_encoding_gives_the_same_figures(tmp_path, registry, encoding):
    path = write_csv(tmp_path / "工单.csv", HAND_TICKETS, encoding=encoding)
    checked = check_export(path.read_bytes(), path.name, registry)
    assert checked.ok, checked.findings
    assert figures_of(checked.tables[0].frame) == figures_of_return()


def test_old_excel_and_a_title_above_the_header_are_read(tmp_path, registry):
    rows = [["12345政务服务便民热线工单明细（2025年9-10月）"], [], *HAND_TICKETS]
    path = write_xls(tmp_path / "工单.xls", {"Sheet1": rows})
    checked = check_export(path.read_bytes(), path.name, registry)
    assert checked.ok, checked.findings
    assert figures_of(checked.tables[0].frame) == figures_of_return()
    assert checked.tables[0].frame["row"].tolist() == [12, 4]  # the first ticket of each month, as Excel numbers it


ALIASES = [(column.key, alias) for column in TICKET_COLUMNS for alias in column.aliases]


@pytest.mark.parametrize(("key", "alias"), ALIASES, ids=[a for _, a in ALIASES])
def test_every_ticket_header_alias_is_read(tmp_path, registry, key, alias):
    canonical = next(c.name for c in TICKET_COLUMNS if c.key == key)
    rows = rename(HAND_TICKETS, **{canonical: alias})
    checked = check_export(csv_bytes(rows), "工单.csv", registry)
    assert checked is not None and checked.ok, checked and checked.findings
    assert figures_of(checked.tables[0].frame) == figures_of_return()


def test_an_export_headed_by_dispatch_time_and_responsible_unit_is_a_ticket_export(registry):
    # 责任单位 names a 热线指标 return's unit too, and 完成时间 a 问题清单's 化解日期: 工单编号 decides.
    rows = rename(HAND_TICKETS, 受理时间="派单时间", 承办单位="责任单位", 办结时间="完成时间")
    checked = check_export(csv_bytes(rows), "工单.csv", registry)
    assert isinstance(checked, TicketFile) and checked.ok, checked and checked.findings
    assert figures_of(checked.tables[0].frame) == figures_of_return()


def coded(tickets, codes, *columns):
    """``tickets`` with the answers of ``columns`` written as ``codes`` writes them ({"是": 1, "否": 2})."""
    indexes = [tickets[0].index(c) for c in columns]
    return [tickets[0]] + [
        [codes.get(cell, cell) if i in indexes else cell for i, cell in enumerate(row)] for row in tickets[1:]
    ]


@pytest.mark.parametrize(
    ("codes", "suffix"),
    [({"是": 1, "否": 2}, ".xlsx"), ({"是": 1.0, "否": 2.0}, ".xls"), ({"是": "√", "否": "×"}, ".xlsx")],
)
def test_yes_no_coded_as_the_platform_codes_them_gives_the_same_figures(tmp_path, registry, codes, suffix):
    rows = coded(HAND_TICKETS, codes, "是否一次性办结", "是否解决", "是否重复件")
    rows = rename(rows, 是否一次性办结="是否一次办好", 满意度评价="满意度")
    rows = coded(rows, {"基本满意": "一般满意", "未评价": "未回访"}, "满意度")
    write = write_xlsx if suffix == ".xlsx" else write_xls
    path = write(tmp_path / f"12345工单{suffix}", {"工单明细": rows})
    checked = check_export(path.read_bytes(), path.name, registry)
    assert isinstance(checked, TicketFile) and checked.ok, checked.findings
    assert figures_of(checked.tables[0].frame) == figures_of_return()


@pytest.mark.parametrize(
    ("column", "written", "meant"),
    [
        (column.name, alias, value)
        for column in TICKET_COLUMNS
        if column.choices
        for alias, value in column.choices.aliases.items()
    ],
)
def test_every_answer_alias_means_its_value(registry, column, written, meant):
    index = TICKET_HEADER.index(column)
    plain = [*HAND_TICKETS[1][:index], meant, *HAND_TICKETS[1][index + 1 :]]
    aliased = [*HAND_TICKETS[1][:index], written, *HAND_TICKETS[1][index + 1 :]]
    one = check_export(csv_bytes([TICKET_HEADER, plain]), "a.csv", registry)
    other = check_export(csv_bytes([TICKET_HEADER, aliased]), "b.csv", registry)
    assert figures_of(one.tables[0].frame) == figures_of(other.tables[0].frame)


def test_an_unknown_unit_is_an_error_naming_file_sheet_row_column_and_suggestions(tmp_path, registry, store):
    rows = [*HAND_TICKETS, ["T11", "2025-10-12 09:00", "", "临沂市民证局", "投诉", "是", "是", "满意", "否", ""]]
    rows.append(["T12", "2025-10-13 09:00", "", "临沂市民证局", "投诉", "是", "是", "满意", "否", ""])
    path = write_xlsx(tmp_path / "工单.xlsx", {"工单明细": rows})
    result = ingest_file(store, path.read_bytes(), path.name, registry=registry)
    assert result.outcome is Outcome.REJECTED
    (error,) = result.errors
    assert (error.file, error.sheet, error.row, error.column, error.column_name, error.value) == (
        "工单.xlsx",
        "工单明细",
        12,
        "D",
        "承办单位",
        "临沂市民证局",
    )
    assert "2 件工单（第12、13行）" in error.message and "临沂市民政局" in error.message
    assert str(error).startswith("错误：文件「工单.xlsx」 工作表「工单明细」 第12行 D列「承办单位」")
    assert store.current_rows("hotline").empty


def test_an_unreadable_acceptance_time_is_located(registry):
    rows = [*HAND_TICKETS, ["T11", "去年十月", "", UNIT, "投诉", "是", "是", "满意", "否", ""]]
    checked = check_export(csv_bytes(rows), "工单.csv", registry)
    (error,) = checked.errors
    assert (error.sheet, error.row, error.column, error.column_name, error.value) == (
        "工单",
        12,
        "B",
        "受理时间",
        "去年十月",
    )


def test_an_answer_outside_its_list_is_located(registry):
    rows = [*HAND_TICKETS, ["T11", "2025-10-12", "", UNIT, "投诉", "是", "是", "还行吧", "否", ""]]
    checked = check_export(csv_bytes(rows), "工单.csv", registry)
    (error,) = checked.errors
    assert (error.row, error.column, error.value) == (12, "H", "还行吧")
    assert "满意、基本满意、不满意、未评价" in error.message


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("临沂市民政局", UNIT),
        ("民政局", UNIT),
        ("市民政局社会救助科", UNIT),
        ("财政局国库科", OTHER_UNIT),
        ("科室", None),
    ],
)
def test_a_unit_is_found_by_name_alias_or_the_name_a_sub_office_begins_with(registry, written, unit):
    found = match_unit(registry, written)
    assert (found.name if found else None) == unit


@pytest.mark.parametrize(
    ("cell", "month"),
    [
        ("2025-10-03 09:15:00", 202510),
        ("2025/3/5 8:00", 202503),
        ("2025年3月5日", 202503),
        ("20250305", 202503),
        (45931.5, 202510),
        ("昨天", None),
        ("", None),
    ],
)
def test_acceptance_time_in_every_usual_form_gives_its_month(cell, month):
    assert month_of(cell) == month


def test_a_return_is_not_taken_for_a_ticket_export(tmp_path, registry):
    path = write_xlsx(tmp_path / "热线.xlsx", {"热线指标": HAND_RETURN})
    assert check_export(path.read_bytes(), path.name, registry) is None


def test_a_unit_of_the_export_has_zero_appeals_in_a_month_without_tickets(registry):
    rows = [TICKET_HEADER, ["A", "2025-08-01", "", UNIT, "投诉", "是", "是", "满意", "否", ""]]
    rows.append(["B", "2025-10-01", "", OTHER_UNIT, "投诉", "是", "是", "满意", "否", ""])
    checked = check_export(csv_bytes(rows), "工单.csv", registry)
    got = {(u, m): a for u, m, a, *_ in figures_of(checked.tables[0].frame)}
    assert got == {
        (OTHER_UNIT, 202508): 0,
        (OTHER_UNIT, 202509): 0,
        (OTHER_UNIT, 202510): 1,
        (UNIT, 202508): 1,
        (UNIT, 202509): 0,
        (UNIT, 202510): 0,
    }


def test_a_declared_period_takes_only_its_months(registry):
    from lingyi.values import parse_period

    checked = check_export(csv_bytes(HAND_TICKETS), "工单.csv", registry, period=parse_period("2025年10月"))
    assert figures_of(checked.tables[0].frame) == figures_of_return()[1:]
    assert any("不在报送期间 2025年10月 内" in f.message for f in checked.warnings)


def test_progress_is_reported_while_a_big_export_is_read(monkeypatch, registry):
    monkeypatch.setattr(ticket_files, "PROGRESS_EVERY", 10)
    rows = ticket_rows(35)
    seen = []
    with ticket_files.reporting(lambda fraction, text: seen.append((fraction, text))):
        check_export(write_rows_xlsx(rows), "工单.xlsx", registry)
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert "已读取 10 / 35 件工单" in [t for _, t in seen]


def write_rows_xlsx(rows) -> bytes:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- against the units' own returns ------------------------------------------------------------------------------

DIFFERENT_RETURN = [HOTLINE_HEADER, [UNIT, "2025-10", 9, "60.00%", "80.00%", "75.00%"]]


def store_return_then_tickets(tmp_path, store, registry, source=None):
    if source:
        store.set_hotline_source(source, user="管理员")
    typed = write_xlsx(tmp_path / "民政局热线10月.xlsx", {"热线指标": DIFFERENT_RETURN})
    assert ingest_file(store, typed.read_bytes(), typed.name, registry=registry).outcome is Outcome.ACCEPTED
    exported = write_xlsx(tmp_path / "12345工单.xlsx", {"工单明细": HAND_TICKETS})
    return ingest_file(store, exported.read_bytes(), exported.name, registry=registry)


def test_tickets_that_disagree_with_a_return_say_so_side_by_side(tmp_path, store, registry):
    result = store_return_then_tickets(tmp_path, store, registry)
    assert result.outcome is Outcome.ACCEPTED
    (said,) = [f for f in result.warnings if "工单" in f.message and "报表" in f.message]
    assert said.level is Level.WARNING
    assert said.message == (
        "临沂市民政局 2025-10：诉求量 工单 6 / 报表 9；问题解决率 工单 75.00% / 报表 80.00%"
        "（单位报表「民政局热线10月.xlsx」）。按设置「以工单数据为准」，统计采用工单数据。"
    )
    table = ticket_checks.comparison_table(result.validated, store)
    assert table[["指标", "工单数据", "单位报表", "相差", "统计采用"]].values.tolist() == [
        ["诉求量", "6", "9", "-3", "工单数据"],
        ["问题解决率", "75.00%", "80.00%", "-5.00 个百分点", "工单数据"],
    ]


@pytest.mark.parametrize(("source", "appeals"), [("tickets", 6), ("returns", 9), ("newest", 6)])
def test_which_source_counts_is_a_setting(tmp_path, store, registry, source, appeals):
    store_return_then_tickets(tmp_path, store, registry, source)
    october = [row for row in current_figures(store) if row[1] == 202510]
    assert [row[2] for row in october] == [appeals]


@pytest.mark.parametrize(("source", "replaced"), [("tickets", "民政局热线10月.xlsx"), ("returns", "12345工单.xlsx")])
def test_the_history_says_the_return_replaced_that_does_not_count(tmp_path, store, registry, source, replaced):
    store_return_then_tickets(tmp_path, store, registry, source)
    history = store.history()
    mark = dict(zip(history["file"], history["replaced_by"]))
    ids = dict(zip(history["file"], history["id"]))
    counting = ({"民政局热线10月.xlsx", "12345工单.xlsx"} - {replaced}).pop()
    assert mark[replaced] == ids[counting]
    assert mark[counting] is None


def test_the_setting_applies_to_what_is_stored_already_and_is_audited(tmp_path, store, registry):
    store_return_then_tickets(tmp_path, store, registry)
    before = store.data_version()
    store.set_hotline_source("returns", user="管理员")
    assert store.data_version() == before + 1
    assert [r[2] for r in current_figures(store) if r[1] == 202510] == [9]
    log = store.audit_log()
    assert (log["action_name"].iloc[0], log["user"].iloc[0], log["note"].iloc[0]) == (
        "更改设置",
        "管理员",
        "热线数据：以单位报表为准",
    )


def test_tickets_have_the_history_restore_and_audit_of_a_return(tmp_path, store, registry):
    result = store_return_then_tickets(tmp_path, store, registry, "newest")
    ticket_ids = result.submission_ids
    history = store.history()
    assert history.iloc[0]["file"] == "12345工单.xlsx" and history.iloc[0]["id"] in ticket_ids
    store.delete(ticket_ids[0], user="张三")
    assert [r[2] for r in current_figures(store) if r[1] == 202510] == [9]
    store.restore(ticket_ids[0], user="张三")
    assert [r[2] for r in current_figures(store) if r[1] == 202510] == [6]
    assert list(store.audit_log()["action"][:3]) == ["restore", "delete", "ingest"]


def test_a_return_after_the_tickets_is_compared_with_them(tmp_path, store, registry):
    exported = write_xlsx(tmp_path / "12345工单.xlsx", {"工单明细": HAND_TICKETS})
    ingest_file(store, exported.read_bytes(), exported.name, registry=registry)
    typed = write_xlsx(tmp_path / "民政局热线10月.xlsx", {"热线指标": DIFFERENT_RETURN})
    result = ingest_file(store, typed.read_bytes(), typed.name, registry=registry)
    (said,) = [f for f in result.warnings if "工单" in f.message]
    assert (said.sheet, said.row) == ("热线指标", 2)
    assert "诉求量 工单 6 / 报表 9" in said.message and "统计采用工单数据" in said.message
    assert [r[2] for r in current_figures(store) if r[1] == 202510] == [6]  # the tickets still count


def test_tickets_and_the_setting_survive_a_backup(tmp_path, store, registry):
    from lingyi.store import Store
    from lingyi.store.backup import restore_backup, write_backup

    store_return_then_tickets(tmp_path, store, registry, "returns")
    write_backup(store, tmp_path / "备份.zip")
    restored = Store(f"sqlite:///{tmp_path / 'restored.db'}")
    try:
        restore_backup(restored, tmp_path / "备份.zip")
        assert restored.hotline_source() == "returns"
        assert current_figures(restored) == current_figures(store)
        assert sorted(restored.submissions()["source"].fillna("")) == ["", "tickets"]
    finally:
        restored.close()


def test_a_table_that_starts_below_and_right_of_a1_is_located_by_its_own_letters(tmp_path, registry):
    rows = [[], [], *([None, *row] for row in HAND_TICKETS)]
    rows.append([None, "T11", "2025-10-12", "", "临沂市民证局", "投诉", "是", "是", "满意", "否", ""])
    path = write_xlsx(tmp_path / "工单.xlsx", {"工单明细": rows})
    (error,) = check_export(path.read_bytes(), path.name, registry).errors
    assert (error.row, error.column, error.column_name) == (14, "E", "承办单位")


def test_a_rejected_ticket_export_offers_its_error_list_but_no_marked_copy(tmp_path, registry, store):
    from lingyi.intake.desk import check_upload

    rows = [*HAND_TICKETS, ["T11", "2025-10-12", "", "临沂市民证局", "投诉", "是", "是", "满意", "否", ""]]
    path = write_xlsx(tmp_path / "工单.xlsx", {"工单明细": rows})
    checked = check_upload(path.read_bytes(), path.name, registry=registry, store=store)
    assert checked.is_ticket_export and not checked.needs_unit
    assert checked.error_table()[["行号", "列", "值"]].values.tolist() == [[12, "D", "临沂市民证局"]]
    assert checked.marked is None and checked.error_list()


def test_an_invalid_call_need_not_name_a_unit_or_a_time(registry):
    rows = [*HAND_TICKETS, ["T99", "", "", "", "无效来电", "", "", "", "", ""]]
    rows.append(["T98", "2025-10-09", "", "某不存在单位", "骚扰电话", "", "", "", "", ""])
    checked = check_export(csv_bytes(rows), "工单.csv", registry)
    assert checked.ok, checked.errors
    assert figures_of(checked.tables[0].frame) == figures_of_return()
