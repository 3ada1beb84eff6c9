"""The filling instructions (填报说明), written from the contract table.

The same rows feed ``docs/填报说明.md`` (kept true by a test) and the 填报说明 sheet of
the templates, so what a unit is told is exactly what the reader accepts.
"""

from __future__ import annotations

from lingyi.contract import HOTLINE_SOURCES, SHEET_KINDS, TICKET_COLUMNS, TICKET_RULES, Column, SheetKind, ValueKind

KIND_WORDS = {
    ValueKind.TEXT: "文字",
    ValueKind.COUNT: "整数",
    ValueKind.NUMBER: "数字",
    ValueKind.RATE: "比率",
    ValueKind.DATE: "日期",
    ValueKind.MONTH: "月份",
    ValueKind.CHOICE: "选项",
    ValueKind.PERIOD: "期间",
}

GENERAL_RULES: tuple[str, ...] = (
    "文件格式：.xlsx、.xlsm、.xls（旧版 Excel/WPS）、.ods，或 UTF-8 / GBK 编码的 .csv。",
    "一个文件可以有多个工作表；工作表名称含「热线」或「12345」为热线指标，含「学习」为学习活动，"
    "含「问题」为问题清单，含「指标」为指标完成。填报说明、字典等工作表不读取。",
    "表头可以不在第一行：上方可有标题行和「填报单位：×× 报送期间：××」一行；可用两行合并表头。",
    "「合计」「总计」「小计」行和「填表人：××  审核人：××」等表尾不作为数据；合计数与上方各行之和不符时给出提示。",
    "单位名称可填全称、简称或名录中的别名；没有「单位名称」列时，以「填报单位」为准。",
    "数字可带千分位或单位，如 1,234、812人次；比率可填 0.9372、93.72 或 93.72%，同一列统一写法。",
    "报送期间可写 2025年10月、2025年第三季度、2025年 或 2025年1-10月；数据日期不能超出报送期间。",
    "一个文件有任何错误都不会入库；请按错误清单逐条修改后重新上传。同一单位、同一报表、同一期间再次报送，以新的为准，旧版本保留可恢复。",
)


def column_rows(kind: SheetKind) -> list[dict[str, str]]:
    """One row per contract column: 列名, 必填, 也可写作, 类型, 填写要求."""
    return columns_rows(kind.columns)


def columns_rows(columns: tuple[Column, ...]) -> list[dict[str, str]]:
    return [
        {
            "列名": column.name,
            "必填": "是" if column.required else "否",
            "也可写作": "、".join(column.aliases),
            "类型": KIND_WORDS[column.kind],
            "填写要求": requirement(column),
        }
        for column in columns
    ]


def requirement(column: Column) -> str:
    text = column.help
    if column.choices is not None:
        text += f"可选：{'、'.join(column.choices.values)}。"
        if column.choices.aliases:
            mapped = "；".join(f"{k}→{v}" for k, v in column.choices.aliases.items())
            text += f"也可写：{mapped}。"
    return text.strip()


def _table(rows: list[dict[str, str]]) -> str:
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row[h] for h in header) + " |" for row in rows]
    return "\n".join(lines)


def contract_markdown() -> str:
    """The generated part of docs/填报说明.md."""
    parts = ["## 通用规则", "", *[f"{i}. {rule}" for i, rule in enumerate(GENERAL_RULES, 1)], ""]
    for kind in SHEET_KINDS:
        parts += [
            f"## {kind.name}",
            "",
            f"{kind.grain}。工作表名称：「{kind.name}」。",
            "",
            _table(column_rows(kind)),
            "",
        ]
    parts += [
        "## 12345工单导出",
        "",
        "12345 平台导出的工单明细（每行一件工单）可直接上传，系统按下列规则算出各单位每月的热线指标，"
        "与单位填报的热线指标一样入库、留历史、可恢复。表头含「工单编号」「受理时间」「承办单位」即按工单导出读取。",
        "",
        _table(columns_rows(TICKET_COLUMNS)),
        "",
        *[f"- **{figure}**：{rule}" for figure, rule in TICKET_RULES],
        "- **工单与报表不一致**：同一单位同一月份既有工单数据又有单位报表、且数字不同时，入库时两者并列提示；"
        "统计用哪一个由分析员设置：" + "、".join(HOTLINE_SOURCES.values()) + "（默认以工单数据为准）。",
        "",
    ]
    return "\n".join(parts).rstrip() + "\n"


DOC_BEGIN = "<!-- 以下由 lingyi/intake/instructions.py 生成，请勿手改：python -m lingyi docs -->"
DOC_END = "<!-- 生成部分结束 -->"
