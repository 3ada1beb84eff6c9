"""lingyi/cli/meeting.py: ``python -m lingyi snapshot create|list|show|compare|delete`` and ``briefing``'s arguments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli.test_returns import lines
from factories import (
    HOTLINE_HEADER,
    OTHER_UNIT,
    UNIT,
    write_xlsx,
)

from lingyi.__main__ import main


def test_a_briefing_needs_a_file_or_the_monthly_folder(capsys):
    assert main(["briefing"]) == 2
    assert "请用 -o 给出输出文件（.pptx、.docx、.zip），或用 --monthly 生成月报" in capsys.readouterr().err


# -- 会议版: snapshot create|list|show|compare|delete, summary --snapshot (lingyi/metrics/snapshots.py)---------------


def hotline_file(folder: Path, name: str, appeals: tuple[int, int]) -> Path:
    rows = [HOTLINE_HEADER, [UNIT, "2025-10", appeals[0], "95%", "96%", "97%"]]
    rows.append([OTHER_UNIT, "2025-10", appeals[1], "90%", "91%", "92%"])
    return write_xlsx(folder / name, {"热线指标": rows})


@pytest.fixture
def frozen(cli, tmp_path):
    """Two units' October hotline returns (120 + 80 appeals), frozen as 「十月例会」 by 张三."""
    assert cli("ingest", hotline_file(tmp_path, "热线10月.xlsx", (120, 80)))[0] == 0
    code, out, err = cli("snapshot", "create", "十月例会", "--year", "2025", "--through", "2025-10", "--user", "张三")
    assert (code, err) == (0, "")
    return out


def test_snapshot_create_says_what_was_frozen(frozen):
    assert frozen.startswith("已冻结会议版：十月例会（冻结于 ")
    assert frozen.endswith("）：2025年1—10月 · 全部类别 · 全部单位，报送 2 次。\n")


def test_summary_of_a_snapshot_stays_as_frozen_after_a_resubmission(cli, frozen, tmp_path):
    assert cli("ingest", hotline_file(tmp_path, "热线10月更正.xlsx", (150, 80)))[0] == 0
    live = json.loads(cli("summary", "--year", "2025", "--through", "2025-10", "--json")[1])
    code, out, _ = cli("summary", "--snapshot", "十月例会", "--json")
    shown = json.loads(out)
    assert code == 0
    assert (live["hotline"]["appeals"], shown["hotline"]["appeals"]) == (230, 200)
    assert shown["snapshot"]["label"].startswith("会议版：十月例会（冻结于 ")
    assert (shown["snapshot"]["through"], shown["snapshot"]["frozen_by"]) == ("2025-10", "张三")
    assert {k: v for k, v in shown.items() if k != "snapshot"}["units"] == {"registered": 108, "reporting": 2}
    text = cli("summary", "--snapshot", "十月例会")[1]
    assert lines(text)[0].startswith("会议版：十月例会（冻结于 ")
    assert "12345热线诉求量 200" in text


def test_snapshot_compare_lists_the_moved_figures_and_the_submissions_behind_them(cli, store, frozen, tmp_path):
    assert cli("ingest", hotline_file(tmp_path, "热线10月更正.xlsx", (150, 80)))[0] == 0
    history = store.history().set_index(["file", "unit"])["id"]
    old, new = history[("热线10月.xlsx", UNIT)], history[("热线10月更正.xlsx", UNIT)]
    code, out, _ = cli("snapshot", "compare", "十月例会")
    assert code == 0
    assert "  12345热线 · 诉求量（件）：200 → 230（+30）" in lines(out)
    assert any(
        line.startswith(f"  #{old}  {UNIT}  热线指标  2025年10月  热线10月.xlsx  已被 #{new} 替代")
        for line in lines(out)
    )
    assert any(
        line.startswith(f"  #{new}  {UNIT}  热线指标  2025年10月  热线10月更正.xlsx  新报送") for line in lines(out)
    )
    assert OTHER_UNIT not in out  # its figures are the same in both files: byte-identical rows move nothing
    data = json.loads(cli("snapshot", "compare", "十月例会", "--json")[1])
    appeals = next(f for f in data["figures"] if f["figure"] == "12345热线 · 诉求量（件）")
    assert (appeals["frozen"], appeals["live"], appeals["change"]) == (200, 230, 30)
    assert {(c["id"], c["change"]) for c in data["causes"]} >= {(int(old), f"已被 #{new} 替代"), (int(new), "新报送")}


def test_snapshot_compare_of_an_unchanged_store_says_so(cli, frozen):
    assert lines(cli("snapshot", "compare", "十月例会")[1])[-1] == "自冻结以来，这一范围的数字没有变化。"


def test_snapshot_list_show_and_delete(cli, frozen):
    listed = lines(cli("snapshot", "list")[1])
    assert (
        len(listed) == 1
        and listed[0].startswith("十月例会  冻结于 ")
        and listed[0].endswith("张三  2025年1—10月 · 全部类别 · 全部单位")
    )
    shown = lines(cli("snapshot", "show", "十月例会")[1])
    assert shown[1] == "范围：2025年1—10月 · 全部类别 · 全部单位；冻结人 张三；冻结时有效的报送 2 次"
    assert json.loads(cli("snapshot", "show", "十月例会", "--json")[1])["figures"]["hotline"]["appeals"] == 200
    assert (
        cli("snapshot", "delete", "十月例会", "--user", "李四")[1]
        == "已删除会议版「十月例会」（报送与文件不受影响）。\n"
    )
    assert lines(cli("snapshot", "list")[1])[0].startswith("还没有会议版。")
    audit = lines(cli("audit")[1])
    assert "  李四  删除会议版  删除会议版「十月例会」（冻结于 " in audit[0]  # no file: nothing printed for it
    assert audit[1].endswith("张三  冻结会议版  会议版「十月例会」：2025年1—10月 · 全部类别 · 全部单位，冻结报送 2 次")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("summary", "--snapshot", "九月例会"), "没有名为「九月例会」的会议版。已有：十月例会。"),
        (("summary", "--snapshot", "十月例会", "--year", "2025"), "会议版已定下统计范围，不能再给 --year。"),
        (("snapshot", "create", "十月例会"), "已有名为「十月例会」的会议版"),
        (("snapshot", "delete", "九月例会"), "没有名为「九月例会」的会议版。"),
    ],
)
def test_snapshot_mistakes_exit_2_saying_what_is_wrong(cli, frozen, args, message):
    code, out, err = cli(*args)
    assert (code, out) == (2, "")
    assert message in err
