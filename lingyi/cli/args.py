"""The arguments of ``python -m lingyi``: every command and its options (``parser``), and argparse made to speak
Chinese: its messages, its usage and the headings of its help."""

from __future__ import annotations

import argparse
import re
import sys

from lingyi.cli.admin import run_audit, run_backup, run_restore_backup, run_user
from lingyi.cli.meeting import (
    run_briefing,
    run_chase,
    run_snapshot_compare,
    run_snapshot_create,
    run_snapshot_delete,
    run_snapshot_list,
    run_snapshot_show,
)
from lingyi.cli.returns import (
    HOTLINE_SOURCE_WORDS,
    run_delete,
    run_docs,
    run_history,
    run_hotline_source,
    run_ingest,
    run_init,
    run_restore,
)
from lingyi.cli.summary import run_summary
from lingyi.contract import CATEGORIES, HOTLINE_SOURCES

# argparse's own words, in Chinese. Its messages are English templates filled in deep inside the module (gettext
# with no catalogue); each is matched here, in this order, and written again. Anything not listed keeps its words.
ARGPARSE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.+)", "缺少必需的参数：{0}"),
    (r"unrecognized arguments: (.+)", "无法识别的参数：{0}"),
    (r"one of the arguments (.+) is required", "须给出以下参数之一：{0}"),
    (r"ambiguous option: (.+) could match (.+)", "选项 {0} 不明确，可能是：{1}"),
    (r"argument (.+?): invalid choice: (.+) \(choose from (.+)\)", "参数 {0}：无效的选项 {1}（可选：{2}）"),
    (r"argument (.+?): invalid int value: (.+)", "参数 {0}：{1} 不是整数"),
    (r"argument (.+?): invalid float value: (.+)", "参数 {0}：{1} 不是数字"),
    (r"argument (.+?): invalid (.+) value: (.+)", "参数 {0}：{2} 无效"),
    (r"argument (.+?): expected one argument", "参数 {0}：需要一个值"),
    (r"argument (.+?): expected at most one argument", "参数 {0}：最多一个值"),
    (r"argument (.+?): expected at least one argument", "参数 {0}：至少需要一个值"),
    (r"argument (.+?): expected (\d+) arguments?", "参数 {0}：需要 {1} 个值"),
    (r"argument (.+?): not allowed with argument (.+)", "参数 {0}：不能与参数 {1} 同时使用"),
    (r"argument (.+?): ignored explicit argument (.+)", "参数 {0}：不接受值 {1}"),
    (r"argument (.+?): (.+)", "参数 {0}：{1}"),
)


USAGE_PREFIX = "用法："


# How usage and help name the value of each argument (its dest), where the command does not say.
METAVARS = {
    "files": "文件",
    "file": "文件",
    "submission": "编号",
    "name": "用户名",
    "db": "URL",
    "year": "年份",
    "through": "YYYY-MM",
    "category": "类别",
    "unit": "单位",
    "out": "文件",
    "chart": "图表",
    "title": "标题",
    "period": "期间",
    "user": "姓名",
    "by": "姓名",
    "role": "角色",
    "since": "日期",
    "csv": "文件",
}


def in_chinese(message: str) -> str:
    """One of argparse's messages in Chinese (``ARGPARSE_MESSAGES``)."""
    for pattern, words in ARGPARSE_MESSAGES:
        if found := re.fullmatch(pattern, message, flags=re.DOTALL):
            return words.format(*found.groups())
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Help and usage as argparse writes them, headed 「用法：」."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese: usage, errors, the headings of its help and ``-h`` itself.

    Its subcommands' parsers are of this class too (``add_subparsers`` makes them with the parser's own class).
    """

    def __init__(self, *args, add_help: bool = True, **kwargs) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"  # argparse offers no other way to name its two default groups
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def add_argument(self, *args, **kwargs):
        action = super().add_argument(*args, **kwargs)
        if action.metavar is None and action.dest in METAVARS and action.nargs != 0:
            action.metavar = METAVARS[action.dest]
        return action

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{in_chinese(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="python -m lingyi", description="学习型机关建设数据看板 命令行")
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")

    def with_db(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "--db", help="SQLAlchemy 数据库地址；默认读环境变量 LINGYI_DATABASE_URL，再默认 data/lingyi.db"
        )
        return sub

    ingest = with_db(commands.add_parser("ingest", help="读取、校验并入库报表文件（可给文件夹）"))
    ingest.add_argument("files", nargs="+", help="报表文件或文件夹")
    ingest.add_argument("--period", help="报送期间，如 2025年10月、2025年第三季度、2025年1-10月；覆盖文件中的声明")
    ingest.add_argument("--dry-run", action="store_true", help="只校验，不入库")
    ingest.add_argument("--user", default="cli", help="记录在报送历史中的操作人")
    ingest.add_argument("--verbose", action="store_true", help="同时列出提示信息（跳过的工作表等）")
    ingest.set_defaults(run=run_ingest)

    summary = with_db(commands.add_parser("summary", help="输出某年截至某月的汇总数字"))
    summary.add_argument("--year", type=int, help="年份；默认为有数据的最近一年")
    summary.add_argument("--through", help="截至月份 YYYY-MM；默认为该年有数据的最近一月")
    summary.add_argument(
        "--category", action="append", default=[], help=f"单位类别，可多次给出：{'、'.join(CATEGORIES)}"
    )
    summary.add_argument("--unit", action="append", default=[], help="单位（全称、简称或别名），可多次给出")
    summary.add_argument("--json", action="store_true", help="输出 JSON")
    summary.add_argument("--snapshot", metavar="名称", help="输出某个会议版冻结时的数字（范围即会议版的范围）")
    summary.set_defaults(run=run_summary)

    init = with_db(commands.add_parser("init", help="建立数据库；--sample 同时载入示例数据"))
    init.add_argument("--sample", action="store_true", help="载入 sample_data/ 中的示例报表")
    init.set_defaults(run=run_init)

    source = with_db(
        commands.add_parser("hotline-source", help="热线数据以单位报表还是12345工单为准（不给值则显示当前设置）")
    )
    source.add_argument("source", nargs="?", choices=[*HOTLINE_SOURCE_WORDS, *HOTLINE_SOURCES])
    source.add_argument("--user", default="cli", help="记录在操作日志中的操作人")
    source.set_defaults(run=run_hotline_source)

    history = with_db(commands.add_parser("history", help="列出报送历史"))
    history.add_argument("--unit", help="只看某单位")
    history.set_defaults(run=run_history)

    for name, words, run in (
        ("restore", "把某次报送恢复为当前版本", run_restore),
        ("delete", "撤销某次报送（文件和记录保留在历史中）", run_delete),
    ):
        on_submission = with_db(commands.add_parser(name, help=words))
        on_submission.add_argument("submission", type=int, help="报送编号（见 history）")
        on_submission.add_argument("--user", default="cli", help="记录在操作日志中的操作人")
        on_submission.set_defaults(run=run)

    docs = commands.add_parser("docs", help="按报表规范重写 docs/填报说明.md 的生成部分")
    docs.set_defaults(run=run_docs)

    user = with_db(
        commands.add_parser("user", help="用户管理：add 新增、list 列出、passwd 改密码、disable/enable 停用/启用")
    )
    user.add_argument(
        "action",
        choices=["add", "list", "passwd", "disable", "enable"],
        metavar="操作",
        help="add、list、passwd、disable 或 enable",
    )
    user.add_argument("name", nargs="?", help="用户名")
    user.add_argument("--role", help="角色：admin 管理员、analyst 分析员、leader 领导、unit 单位填报员")
    user.add_argument("--unit", help="单位填报员绑定的单位（全称、简称或别名）")
    user.add_argument("--by", default="cli", help="记录在操作日志中的操作人")
    user.set_defaults(run=run_user)

    audit = with_db(commands.add_parser("audit", help="列出或导出操作日志（谁在何时做了什么）"))
    audit.add_argument("--since", help="只看此日期（含）以后的操作，如 2025-10-01")
    audit.add_argument("--csv", help="导出为 CSV 文件（Excel 可直接打开）")
    audit.add_argument("--sign-ins", action="store_true", help="列出登录尝试（时间、用户名、地址、结果），而非操作日志")
    audit.set_defaults(run=run_audit)

    backup = with_db(commands.add_parser("backup", help="把整个数据库（含原始文件）备份到一个文件"))
    backup.add_argument("file", help="备份文件（.zip）")
    backup.set_defaults(run=run_backup)

    restore_backup = with_db(commands.add_parser("restore-backup", help="把备份文件载入空数据库"))
    restore_backup.add_argument("file", help="备份文件（.zip）")
    restore_backup.add_argument("--force", action="store_true", help="目标数据库不空时，用备份替换其全部内容")
    restore_backup.add_argument("--user", default="cli", help="记录在操作日志中的操作人")
    restore_backup.set_defaults(run=run_restore_backup)

    briefing = with_db(
        commands.add_parser("briefing", help="生成简报：PPT（.pptx）、Word 汇报材料（.docx）或图片包（.zip）")
    )
    briefing.add_argument("--year", type=int, help="年份；默认为有数据的最近一年")
    briefing.add_argument("--through", help="截至月份 YYYY-MM；默认为该年有数据的最近一月")
    briefing.add_argument("--category", action="append", default=[], help="单位类别，可多次给出")
    briefing.add_argument("--unit", action="append", default=[], help="单位（全称、简称或别名），可多次给出")
    briefing.add_argument("-o", "--out", help="输出文件，按扩展名：.pptx、.docx、.zip")
    briefing.add_argument("--chart", action="append", help="要包含的图表（可多次给出）；默认一组常用的十张")
    briefing.add_argument("--title", help="标题，默认「学习型机关建设情况汇报」")
    briefing.add_argument("--snapshot", metavar="名称", help="按某个会议版冻结时的数据生成（范围即会议版的范围）")
    briefing.add_argument(
        "--monthly", action="store_true", help="月报：最近一个已报齐（或已过截止日）的月份，冻结为会议版并写出三种文件"
    )
    _schedule_arguments(briefing)
    briefing.add_argument(
        "--cutoff-day",
        type=int,
        default=10,
        metavar="日",
        help="月报：次月这一天起，未报齐的月份也按已报数据生成（默认 10）",
    )
    briefing.set_defaults(run=run_briefing)
    chase = with_db(commands.add_parser("chase", help="催报：本月应报上月报表而尚未报送的单位，可直接粘贴的文字"))
    _schedule_arguments(chase)
    chase.add_argument("--due-day", type=int, default=5, metavar="日", help="每月截止日（次月几号，默认 5）")
    chase.set_defaults(run=run_chase)
    _snapshot_commands(commands, with_db)
    return parser


def _schedule_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--out-dir", default="简报", metavar="文件夹", help="写入的文件夹（默认 简报/）")
    sub.add_argument("--mail-to", action="append", default=[], metavar="邮箱", help="同时发送到此邮箱，可多次给出")
    sub.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天计算（默认今天；补做某月时用）")


# -- 会议版: python -m lingyi snapshot create|list|show|compare|delete (lingyi/metrics/snapshots.py)-----------------


def _snapshot_commands(commands, with_db) -> None:
    snapshot = commands.add_parser(
        "snapshot", help="会议版：把某个范围的数字冻结下来（create），列出、查看、与当前数据对比、删除"
    )
    actions = snapshot.add_subparsers(dest="action", required=True)
    create = with_db(actions.add_parser("create", help="把某年截至某月（及所选类别、单位）的当前数据冻结为会议版"))
    create.add_argument("name", metavar="名称")
    create.add_argument("--year", type=int, help="年份；默认为有数据的最近一年")
    create.add_argument("--through", help="截至月份 YYYY-MM；默认为该年有数据的最近一月")
    create.add_argument("--category", action="append", default=[], help="单位类别，可多次给出")
    create.add_argument("--unit", action="append", default=[], help="单位（全称、简称或别名），可多次给出")
    create.add_argument("--user", default="cli", help="记录在操作日志中的操作人")
    create.set_defaults(run=run_snapshot_create)
    listing = with_db(actions.add_parser("list", help="列出全部会议版"))
    listing.set_defaults(run=run_snapshot_list)
    show = with_db(actions.add_parser("show", help="查看某个会议版冻结时的数字"))
    show.add_argument("name", metavar="名称")
    show.add_argument("--json", action="store_true", help="输出 JSON")
    show.set_defaults(run=run_snapshot_show)
    compare = with_db(actions.add_parser("compare", help="会议版与当前数据对比：哪些数字变了、变了多少、因哪些报送"))
    compare.add_argument("name", metavar="名称")
    compare.add_argument("--json", action="store_true", help="输出 JSON")
    compare.set_defaults(run=run_snapshot_compare)
    delete = with_db(actions.add_parser("delete", help="删除某个会议版（报送与文件不受影响）"))
    delete.add_argument("name", metavar="名称")
    delete.add_argument("--user", default="cli", help="记录在操作日志中的操作人")
    delete.set_defaults(run=run_snapshot_delete)
