"""lingyi/errors.py: findings located as a user reads them; the error hierarchy."""

from __future__ import annotations

import pytest

from lingyi.errors import FileRejected, Finding, Level, LingyiError, RegistryError, StoreError, UnknownName


@pytest.mark.parametrize(
    ("finding", "text"),
    [
        (Finding(Level.ERROR, "a.xlsx", "文件是空的。"), "错误：文件「a.xlsx」：文件是空的。"),
        (
            Finding(Level.ERROR, "a.xlsx", "应为不小于0的整数。", "学习活动", 7, "I", "参与人次", "-5"),
            "错误：文件「a.xlsx」 工作表「学习活动」 第7行 I列「参与人次」 值「-5」：应为不小于0的整数。",
        ),
        (
            Finding(Level.WARNING, "a.csv", "按「讲堂」统计。", "a", None, "D", "活动形式", "大讲堂"),
            "警告：文件「a.csv」 工作表「a」 D列「活动形式」 值「大讲堂」：按「讲堂」统计。",
        ),
        (
            Finding(Level.NOTICE, "a.xlsx", "空工作表，已跳过。", "Sheet2"),
            "提示：文件「a.xlsx」 工作表「Sheet2」：空工作表，已跳过。",
        ),
        (
            Finding(Level.ERROR, "a.xlsx", "须填写。", "问题清单", 3, "G", None, ""),
            "错误：文件「a.xlsx」 工作表「问题清单」 第3行 G列：须填写。",
        ),
    ],
)
def test_finding_reads_file_sheet_row_column_value_then_message(finding, text):
    assert str(finding) == text


def test_finding_as_a_table_row():
    finding = Finding(Level.ERROR, "a.xlsx", "应为整数。", "学习活动", 7, "I", "参与人次", "3.5")
    assert finding.as_row() == {
        "级别": "错误",
        "文件": "a.xlsx",
        "工作表": "学习活动",
        "行号": 7,
        "列": "I",
        "列名": "参与人次",
        "值": "3.5",
        "说明": "应为整数。",
    }
    assert finding.is_error
    assert not Finding(Level.WARNING, "a.xlsx", "…").is_error


def test_every_error_the_core_raises_on_purpose_is_a_lingyi_error():
    finding = Finding(Level.ERROR, "a.xlsx", "坏了。")
    raised = [FileRejected(finding), RegistryError([finding]), UnknownName("某局", []), StoreError("x")]
    assert all(isinstance(error, LingyiError) for error in raised)
    assert str(FileRejected(finding)) == "错误：文件「a.xlsx」：坏了。"
    assert (
        str(UnknownName("某局", ["市民政局（临沂市民政局）"]))
        == "名录中没有单位「某局」。您是不是要找：市民政局（临沂市民政局）？"
    )
