"""The command line (spec §6): ``python -m lingyi ingest|summary|init|history|restore|delete|audit|backup|restore-backup|briefing``.

Exit codes: 0 when all went well, 1 when a file was rejected, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import logging
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from lingyi.contract import CATEGORIES, HOTLINE_SOURCES
from lingyi.errors import Level, LingyiError, StoreUnavailable, UnknownName
from lingyi.export import content, formats
from lingyi.intake import samples, ticket_files
from lingyi.intake.ingest import OUTCOME_LABELS, IngestResult, Outcome, Upload, folder_workers, ingest_files
from lingyi.registry import categories_or_error
from lingyi.store import AUDIT_HEADINGS, Store, default_url
from lingyi.store.faults import unavailable
from lingyi.values import BadValue, parse_date, parse_month, parse_period

STORE_UNAVAILABLE = 3  # the exit code of a command the database stopped: run it again once the database is back


class ArgumentProblem(Exception):
    """Bad arguments: exit code 2."""


def _store(args: argparse.Namespace) -> Store:
    """The store of ``--db`` (or the environment), opened once per command and closed by ``main``."""
    if getattr(args, "store", None) is None:
        args.store = Store(args.db)
    return args.store


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


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    _log_tracebacks_only_when_debugging()
    try:
        return args.run(args)
    except (ArgumentProblem, UnknownName) as exc:
        print(f"参数错误：{exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `… | head` has read all it wanted: nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except StoreUnavailable as exc:
        print(f"错误：{exc.reason}。请在数据库恢复后重新运行同一命令。", file=sys.stderr)
        return STORE_UNAVAILABLE
    except LingyiError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug of ours: say so plainly instead of a traceback
        fault = unavailable(exc, getattr(args, "db", None) or default_url())
        if fault is not None:
            print(f"错误：{fault.reason}。请在数据库恢复后重新运行同一命令。", file=sys.stderr)
            return STORE_UNAVAILABLE
        if os.environ.get("LINGYI_DEBUG"):
            raise
        print(f"程序内部错误（{type(exc).__name__}: {exc}）。设置 LINGYI_DEBUG=1 可查看详细信息。", file=sys.stderr)
        return 1
    finally:
        if getattr(args, "store", None) is not None:
            args.store.close()  # main() may run many times in one process (scripts, tests)


def _log_tracebacks_only_when_debugging() -> None:
    """A fault the core logs (a file it could not check) is already told in that file's line; its traceback goes to
    standard error only with LINGYI_DEBUG set."""
    logger = logging.getLogger("lingyi")
    if os.environ.get("LINGYI_DEBUG"):
        logging.basicConfig()
    elif not logger.handlers:
        logger.addHandler(logging.NullHandler())


def _parser() -> argparse.ArgumentParser:
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

    restore = with_db(commands.add_parser("restore", help="把某次报送恢复为当前版本"))
    restore.add_argument("submission", type=int, help="报送编号（见 history）")
    restore.add_argument("--user", default="cli", help="记录在操作日志中的操作人")
    restore.set_defaults(run=run_restore)

    docs = commands.add_parser("docs", help="按报表规范重写 docs/填报说明.md 的生成部分")
    docs.set_defaults(run=run_docs)

    delete = with_db(commands.add_parser("delete", help="撤销某次报送（文件和记录保留在历史中）"))
    delete.add_argument("submission", type=int, help="报送编号（见 history）")
    delete.add_argument("--user", default="cli", help="记录在操作日志中的操作人")
    delete.set_defaults(run=run_delete)

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


def expand(paths: Iterable[str]) -> list[Path]:
    """Files as given, and the return files inside each folder, in name order."""
    found: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found.extend(samples.return_files(path))
        elif path.is_file():
            found.append(path)
        else:
            raise ArgumentProblem(f"找不到文件或文件夹：{text}")
    return found


def _parsed(parse, flag: str, text: str | None):
    """An optional argument read with one of lingyi.values' parsers; a value it cannot read is a bad argument."""
    if not text:
        return None
    try:
        return parse(text)
    except BadValue as exc:
        raise ArgumentProblem(f"{flag} {text}：{exc}") from None


def run_ingest(args: argparse.Namespace) -> int:
    period = _parsed(parse_period, "--period", args.period)
    files = expand(args.files)
    if not files:
        raise ArgumentProblem(f"{'、'.join(args.files)} 中没有报表文件（.xlsx .xlsm .xls .ods .csv）。")
    store = _store(args)
    registry = store.registry()
    only_unit = _unit_of_filler(store, args.user)
    results = []
    # Stored in batches (a transaction for many files, each file whole or not at all); a line per file once stored.
    # A big 12345 ticket export says how far its reading has got, on standard error.
    fault = None
    try:
        with ticket_files.reporting(_progress_printer()):
            for _ in _ingest_lines(store, files, registry, period, only_unit, args, results):
                pass
    except Exception as exc:
        fault = unavailable(exc, store.url)
        if fault is None:
            raise
    _print_findings(results, verbose=args.verbose)
    accepted = sum(r.outcome in (Outcome.ACCEPTED, Outcome.CHECKED) for r in results)
    unchanged = sum(r.outcome is Outcome.UNCHANGED for r in results)
    rejected = sum(r.outcome is Outcome.REJECTED for r in results)
    stored = f"可入库 {accepted}（试运行，未入库）" if args.dry_run else f"入库 {accepted}"
    if fault is not None:  # what was committed before the fault stays; the rest waits for the same command again
        first = files[len(results)].name
        print(
            f"{fault.reason}：前 {len(results)} 个文件已处理（{stored}），第 {len(results) + 1} 个「{first}」起未入库。"
            "请在数据库恢复后重新运行同一命令（已入库的会显示「无变化」）。",
            file=sys.stderr,
        )
        left = len(files) - len(results)
        print(f"共 {len(files)} 个文件：{stored}，无变化 {unchanged}，拒收 {rejected}，未入库 {left}。")
        return STORE_UNAVAILABLE
    print(f"共 {len(results)} 个文件：{stored}，无变化 {unchanged}，拒收 {rejected}。")
    return 1 if rejected else 0


def _ingest_lines(store, files, registry, period, only_unit, args, results):
    for result in ingest_files(
        store,
        (Upload(path.read_bytes(), path.name) for path in files),
        registry=registry,
        period=period,
        only_unit=only_unit,
        dry_run=args.dry_run,
        user=args.user,
        workers=folder_workers() if len(files) > 1 else 1,
    ):
        results.append(result)
        print(_result_line(result), flush=True)
        yield result


def _progress_printer():
    """A line on standard error for each further tenth of a ticket export read."""
    shown = {"tenth": -1}

    def progress(fraction: float, text: str) -> None:
        tenth = int(fraction * 10)
        if tenth > shown["tenth"]:
            shown["tenth"] = tenth
            print(f"  {text}", file=sys.stderr, flush=True)
        if fraction >= 1.0:
            shown["tenth"] = -1  # the next file starts again

    return progress


HOTLINE_SOURCE_WORDS = {"工单": "tickets", "报表": "returns", "最新": "newest"}


def run_hotline_source(args: argparse.Namespace) -> int:
    store = _store(args)
    if args.source:
        store.set_hotline_source(HOTLINE_SOURCE_WORDS.get(args.source, args.source), user=args.user)
    print(f"热线数据来源：{HOTLINE_SOURCES[store.hotline_source()]}")
    return 0


def _unit_of_filler(store: Store, name: str) -> str | None:
    """A 单位填报员 named by --user writes their own unit's rows only, here as on the upload page."""
    from lingyi.access import auth

    found = auth.users(store)
    found = found[(found["name"] == name) & (found["role"] == auth.Role.UNIT.value)]
    return None if found.empty else str(found["unit"].iloc[0])


def _read_password(prompt: str) -> str:
    """A password from the terminal (asked twice), or the first line of standard input when it is piped."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("再输入一次：") != first:
        raise ArgumentProblem("两次输入的密码不一致。")
    return first


def run_user(args: argparse.Namespace) -> int:
    from lingyi.access import auth

    store = _store(args)
    if args.action == "list":
        listed = auth.users(store)
        if listed.empty:
            print("还没有用户。新增第一个管理员：python -m lingyi user add 用户名 --role admin")
        for _, row in listed.iterrows():
            state = "（已停用）" if row["disabled"] else ""
            unit = f"  {row['unit']}" if isinstance(row["unit"], str) and row["unit"] else ""  # none: NaN
            print(f"{row['name']}  {row['role_name']}{unit}{state}")
        return 0
    if not args.name:
        raise ArgumentProblem("请给出用户名。")
    if args.action == "add":
        if not args.role:
            raise ArgumentProblem("请用 --role 指定角色：admin、analyst、leader 或 unit。")
        added = auth.add_user(
            store, args.name, _read_password("密码："), auth.parse_role(args.role), unit=args.unit, by=args.by
        )
        print(f"已新增用户 {added.label}。")
    elif args.action == "passwd":
        auth.set_password(store, args.name, _read_password("新密码："), by=args.by)
        print(f"已重设用户 {args.name} 的密码。")
    else:
        auth.set_disabled(store, args.name, args.action == "disable", by=args.by)
        print(f"已{'停用' if args.action == 'disable' else '启用'}用户 {args.name}。")
    return 0


def _result_line(result: IngestResult) -> str:
    counts = "、".join(f"{kind} {rows:,}行" for kind, rows in result.counts.items())
    # Spec §6 names three outcomes; a --dry-run file that would be stored is "accepted", its label says 试运行.
    word = Outcome.ACCEPTED if result.outcome is Outcome.CHECKED else result.outcome
    parts = [f"{word.value:<9} {result.file}", OUTCOME_LABELS[result.outcome]]
    if counts and result.outcome is not Outcome.UNCHANGED:
        parts.append(counts)
    if result.errors:
        parts.append(f"错误 {len(result.errors)}")
    if result.warnings:
        parts.append(f"警告 {len(result.warnings)}")
    if result.message:
        parts.append(result.message)
    parts.extend(result.batch_notes)
    replaced = result.replacements
    if len(replaced) == 1:
        parts.append(_replaced_now(result, replaced[0].summary))
    elif replaced:
        total = sum(len(r.replaced) for r in replaced)
        parts.append(_replaced_now(result, f"将替换 {total} 份报送（{len(replaced)} 个单位或报表）"))
    # Each earlier submission the file takes the place of, with the change to the unit's figure (spec §4).
    details = [f"    {_replaced_now(result, line)}" for r in replaced for line in r.lines()]
    return "\n".join(["  ".join(parts), *details])


def _replaced_now(result: IngestResult, text: str) -> str:
    """「将替换」 before the file is stored (--dry-run), 「已替换」 once it is."""
    return text.replace("将替换", "已替换") if result.outcome is Outcome.ACCEPTED else text


def _print_findings(results: list[IngestResult], *, verbose: bool) -> None:
    shown = [
        f
        for r in results
        for f in r.findings
        if f.level in (Level.ERROR, Level.WARNING) or (verbose and f.level is Level.NOTICE)
    ]
    if shown:
        print()
    for finding in shown:
        print(finding)


def _scope_from(args: argparse.Namespace, store: Store):
    from lingyi import metrics

    dataset = metrics.load(store)
    registry = dataset.registry
    units = tuple(registry.resolve(name).name for name in args.unit)
    categories = tuple(categories_or_error(args.category))
    year = args.year
    if year is not None and not 2000 <= year <= 2100:
        held = "、".join(str(y) for y in metrics.years_with_data(dataset))
        raise ArgumentProblem(
            f"--year {year}：请填写四位年份，如 2025。"
            + (f"库中有数据的年份：{held}。" if held else "库中还没有数据。")
        )
    through = None
    month = _parsed(parse_month, "--through", args.through)
    if month is not None:
        if year is not None and month // 100 != year:
            raise ArgumentProblem(f"--through {args.through} 不在 --year {year} 之内。")
        year, through = month // 100, month % 100
    if year is None:
        year = metrics.default_year(dataset)
    if through is None:
        through = metrics.latest_month(dataset, year)
    return dataset, metrics.Scope(year, through, categories, units)


def run_summary(args: argparse.Namespace) -> int:
    from lingyi import metrics

    store = _store(args)
    if args.snapshot:
        return _print_snapshot_figures(args, store)
    dataset, scope = _scope_from(args, store)
    figures = metrics.summary(dataset, scope)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        print(_summary_text(figures))
        for kind, name in (("learning", "学习活动"), ("hotline", "12345热线")):
            note = metrics.coverage(dataset, scope, kind).note
            if note:
                print(f"注：{name}{note}。")
    return 0


def _fmt(value: object, suffix: str = "") -> str:
    if value is None:
        return "无数据"
    if isinstance(value, float):
        return f"{value:,.2f}{suffix}"
    return f"{value:,}{suffix}"


def _summary_text(s: dict) -> str:
    learning, hotline, problems = s["learning"], s["hotline"], s["problems"]
    lines = [
        f"{s['year']}年 截至 {s['through']}：报送单位 {s['units']['reporting']}/{s['units']['registered']}",
        f"学习活动 {_fmt(learning['activities'])} 项，{_fmt(learning['sessions'])} 期，{_fmt(learning['lectures'])} 节，"
        f"参与 {_fmt(learning['person_times'])} 人次",
        f"12345热线诉求量 {_fmt(hotline['appeals'])}（上年同期 {_fmt(hotline['appeals_prev'])}，同比 "
        f"{_fmt(hotline['appeals_yoy_pct'], '%')}）",
    ]
    for key, name in (
        ("first_time_rate", "一次性办好率"),
        ("resolution_rate", "问题解决率"),
        ("satisfaction_rate", "群众满意率"),
    ):
        lines.append(
            f"  {name} {_fmt(hotline[f'{key}_pct'], '%')}（上年同期 {_fmt(hotline[f'{key}_prev_pct'], '%')}，"
            f"变化 {_fmt(hotline[f'{key}_pp'], ' 个百分点')}）"
        )
    lines.append(
        f"问题化解：排查单位 {problems['units_screened']}，发现 {_fmt(problems['found'])}，化解 {_fmt(problems['resolved'])}，"
        f"化解率 {_fmt(problems['closure_rate_pct'], '%')}"
    )
    return "\n".join(lines)


def run_init(args: argparse.Namespace) -> int:
    store = _store(args)
    print(f"数据库已就绪：{store.url}")
    if not args.sample:
        return 0
    if not samples.SAMPLE_RETURNS.is_dir():
        raise ArgumentProblem(f"找不到示例数据文件夹 {samples.SAMPLE_RETURNS}；请先运行 python -m sample_data.generate")
    load = samples.load_samples(store)
    for result in load.rejected:
        print(_result_line(result))
    _print_findings(load.rejected, verbose=False)
    print(
        f"示例数据：{len(load.results)} 个文件，入库 {load.accepted}，无变化 {load.unchanged}，拒收 {len(load.rejected)}。"
    )
    return 1 if load.rejected else 0


def run_history(args: argparse.Namespace) -> int:
    store = _store(args)
    history = store.history()
    if args.unit:
        history = history[history["unit"] == store.registry().resolve(args.unit).name]
    if history.empty:
        print("还没有任何报送。")
        return 0
    for _, row in history.iterrows():
        state = "已撤销" if row["deleted"] else (f"被 #{row['replaced_by']} 替代" if row["replaced_by"] else "当前")
        print(
            f"#{row['id']:<6} {row['unit']}  {row['kind']}  {row['period_start']}-{row['period_end']}  "
            f"{row['rows']}行  {row['file']}  {row['created_at']:%Y-%m-%d %H:%M}  {row['created_by']}  {state}"
        )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    _store(args).restore(args.submission, user=args.user)
    print(f"报送 #{args.submission} 已恢复为当前版本。")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    _store(args).delete(args.submission, user=args.user)
    print(f"报送 #{args.submission} 已撤销。")
    return 0


def run_audit(args: argparse.Namespace) -> int:
    from lingyi.workbooks import escape_frame

    since = _parsed(parse_date, "--since", args.since)
    if args.sign_ins:
        return _print_sign_ins(_store(args), since, args.csv)
    log = _store(args).audit_log(since)
    if args.csv:
        table = escape_frame(log[list(AUDIT_HEADINGS)].rename(columns=AUDIT_HEADINGS))
        table["时间"] = [f"{t:%Y-%m-%d %H:%M:%S}" for t in log["at"]]
        Path(args.csv).write_bytes(table.to_csv(index=False).encode("utf-8-sig"))  # Excel reads UTF-8 with BOM
        print(f"操作日志 {len(log)} 条已导出到 {args.csv}")
        return 0
    if log.empty:
        print("没有操作记录。")
        return 0
    for row in log.itertuples():
        what = [row.file, _first_of(row.units, "个单位"), row.kinds, row.periods, _first_of(row.submissions, "次报送")]
        shown = "  ".join(str(part) for part in (*what, row.note) if part)
        print(f"{row.at:%Y-%m-%d %H:%M:%S}  {row.user}  {row.action_name}  {shown}")
    return 0


def _print_sign_ins(store, since, csv_path: str | None) -> int:
    from lingyi.access import auth
    from lingyi.workbooks import escape_frame

    attempts = auth.sign_ins(store, since=since, limit=100_000)
    if csv_path:
        table = escape_frame(attempts.rename(columns=auth.SIGN_IN_HEADINGS))
        table["时间"] = [f"{t:%Y-%m-%d %H:%M:%S}" for t in attempts["at"]]
        Path(csv_path).write_bytes(table.to_csv(index=False).encode("utf-8-sig"))
        print(f"登录记录 {len(attempts)} 条已导出到 {csv_path}")
        return 0
    if attempts.empty:
        print("没有登录记录。")
    for row in attempts.itertuples():
        print(f"{row.at:%Y-%m-%d %H:%M:%S}  {row.name}  {row.address}  {row.result}")
    return 0


def _first_of(listed: str, counted: str, shown: int = 3) -> str:
    """「甲、乙、丙、丁、戊」 → 「甲、乙、丙等5个单位」: a consolidated file's 108 units fit on one line."""
    items = listed.split("、") if listed else []
    return listed if len(items) <= shown else f"{'、'.join(items[:shown])}等{len(items)}{counted}"


def run_backup(args: argparse.Namespace) -> int:
    from lingyi.store.backup import write_backup

    manifest = write_backup(_store(args), Path(args.file))
    print(f"已备份到 {args.file}：{_backup_counts(manifest)}（数据库结构版本 {manifest['schema_version']}）。")
    return 0


def run_restore_backup(args: argparse.Namespace) -> int:
    from lingyi.store.backup import read_manifest, restore_backup

    path = Path(args.file)
    if not path.is_file():
        raise ArgumentProblem(f"找不到备份文件：{args.file}")
    read_manifest(path)  # says what the file is not before the store is opened
    manifest = restore_backup(_store(args), path, force=args.force, user=args.user)
    print(f"已从备份 {path.name}（{manifest['created_at']}）恢复：{_backup_counts(manifest)}。")
    return 0


def _backup_counts(manifest: dict) -> str:
    rows = {name: info["rows"] for name, info in manifest["tables"].items()}
    data_rows = sum(count for name, count in rows.items() if name.endswith("_rows"))
    return (
        f"原始文件 {len(manifest['originals']):,} 个、报送 {rows.get('submissions', 0):,} 次、"
        f"数据 {data_rows:,} 行、操作日志 {rows.get('audit_log', 0):,} 条"
    )


def _schedule_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--out-dir", default="简报", metavar="文件夹", help="写入的文件夹（默认 简报/）")
    sub.add_argument("--mail-to", action="append", default=[], metavar="邮箱", help="同时发送到此邮箱，可多次给出")
    sub.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天计算（默认今天；补做某月时用）")


def _today(args: argparse.Namespace) -> dt.date:
    return _parsed(parse_date, "--today", args.today) if args.today else dt.date.today()


def _mail_settings(args: argparse.Namespace):
    """The office's mail server when ``--mail-to`` asks for one: said before anything is made, not after."""
    from lingyi.cli import monthly

    if not args.mail_to:
        return None
    settings = monthly.MailSettings.from_environment()
    if settings is None:
        raise ArgumentProblem(
            "--mail-to 需要邮件服务器：请设置 LINGYI_SMTP_HOST，或在 .streamlit/secrets.toml 的 [smtp] 中填写 host"
        )
    return settings


def _mail(args: argparse.Namespace, settings, subject: str, body: str, files=()) -> None:
    from lingyi.cli import monthly

    if settings is None:
        return
    monthly.send_mail(settings, args.mail_to, subject, body, tuple(files))
    print(f"已发送至 {'、'.join(args.mail_to)}")


def run_monthly(args: argparse.Namespace) -> int:
    from lingyi.cli import monthly

    settings = _mail_settings(args)
    made = monthly.make_monthly(_store(args), Path(args.out_dir), today=_today(args), cutoff_day=args.cutoff_day)
    if made is None:
        print("还没有可生成月报的月份（没有学习活动或热线指标的报送）。")
        return 0
    print("\n".join(made.lines))
    if made.created:
        _mail(args, settings, made.name, "\n".join(made.lines), made.files)
    return 0


def run_chase(args: argparse.Namespace) -> int:
    from lingyi.cli import monthly

    settings = _mail_settings(args)
    month, text = monthly.chase_text(_store(args), _today(args), args.due_day)
    out = Path(args.out_dir) / f"催报_{month}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"（已写入 {out}）")
    _mail(args, settings, f"{month}报表催报", text)
    return 0


def run_briefing(args: argparse.Namespace) -> int:
    from lingyi.export import briefing
    from lingyi.figures import pictures

    if args.monthly:
        return run_monthly(args)
    if not args.out:
        raise ArgumentProblem("请用 -o 给出输出文件（.pptx、.docx、.zip），或用 --monthly 生成月报")
    out = Path(args.out)
    found = formats.FORMATS.get(out.suffix.lower())
    if found is None:
        raise ArgumentProblem(f"--out {args.out}：请用扩展名 {'、'.join(formats.FORMATS)}")
    unknown = [key for key in args.chart or () if key not in briefing.CATALOGUE]
    if unknown:
        raise ArgumentProblem(f"没有图表 {'、'.join(unknown)}；可选：{' '.join(briefing.CATALOGUE)}")
    dataset, scope = _snapshot_scope(args, _store(args)) if args.snapshot else _scope_from(args, _store(args))
    made = briefing.build(
        dataset, scope, charts=args.chart or briefing.DEFAULT_CHARTS, title=args.title or content.DEFAULT_TITLE
    )
    available = pictures.availability()
    picture = pictures.png if available.ok else None
    if picture is None:
        if found.needs_pictures:
            raise pictures.RenderingUnavailable(available.message)
        left_out = [chart.title for chart in made.charts if chart.native is None]
        if left_out:
            print(f"提示：{available.message} 以下图表已略去：{'；'.join(left_out)}", file=sys.stderr)
    formats.write(made, out, picture=picture)
    drawn = sum(1 for chart in made.charts if picture is not None or chart.native is not None)
    print(f"已生成{found.label}：{out}（{made.scope_text}，图表 {drawn} 张）")
    return 0


# -- 会议版: python -m lingyi snapshot create|list|show|compare|delete (lingyi/snapshots.py) ------------------------


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


def _snapshot_about(snapshot) -> dict:
    scope = snapshot.scope
    return {
        "name": snapshot.name,
        "label": snapshot.label,
        "frozen_at": snapshot.created_at.isoformat(sep=" "),
        "frozen_by": snapshot.created_by,
        "year": scope.year,
        "through": f"{scope.year}-{scope.through:02d}",
        "categories": list(scope.categories),
        "units": list(scope.units),
        "submissions": snapshot.submissions,
    }


def _no_scope_with_snapshot(args: argparse.Namespace) -> None:
    given = [flag for flag, value in (("--year", args.year), ("--through", args.through)) if value]
    given += ["--category"] * bool(args.category) + ["--unit"] * bool(args.unit)
    if given:
        raise ArgumentProblem(f"会议版已定下统计范围，不能再给 {'、'.join(given)}。")


def _snapshot_scope(args: argparse.Namespace, store: Store):
    from lingyi.metrics import snapshots

    _no_scope_with_snapshot(args)
    found = snapshots.find(store, args.snapshot)
    return snapshots.dataset(store, found), found.scope


def _print_snapshot_figures(args: argparse.Namespace, store: Store) -> int:
    """``summary --snapshot 名称``: the figures as frozen, labelled 「会议版：名称（冻结于 时间）」."""
    from lingyi.metrics import snapshots

    _no_scope_with_snapshot(args)
    found = snapshots.find(store, args.snapshot)
    if args.json:
        print(json.dumps({**found.figures, "snapshot": _snapshot_about(found)}, ensure_ascii=False, indent=1))
    else:
        print(found.label)
        print(_summary_text(found.figures))
    return 0


def run_snapshot_create(args: argparse.Namespace) -> int:
    from lingyi.metrics import snapshots

    store = _store(args)
    _, scope = _scope_from(args, store)
    made = snapshots.create(store, args.name, scope, user=args.user)
    print(f"已冻结{made.label}：{snapshots.scope_words(made.scope)}，报送 {made.submissions:,} 次。")
    return 0


def run_snapshot_list(args: argparse.Namespace) -> int:
    from lingyi.metrics import snapshots

    found = snapshots.listed(_store(args))
    if not found:
        print("还没有会议版。冻结一个：python -m lingyi snapshot create 名称 --year 2025 --through 2025-10")
    for snapshot in found:
        print(
            f"{snapshot.name}  冻结于 {snapshot.created_at:%Y-%m-%d %H:%M}  {snapshot.created_by}  {snapshots.scope_words(snapshot.scope)}"
        )
    return 0


def run_snapshot_show(args: argparse.Namespace) -> int:
    from lingyi.metrics import snapshots

    found = snapshots.find(_store(args), args.name)
    if args.json:
        print(json.dumps({"snapshot": _snapshot_about(found), "figures": found.figures}, ensure_ascii=False, indent=1))
        return 0
    print(found.label)
    print(
        f"范围：{snapshots.scope_words(found.scope)}；冻结人 {found.created_by}；冻结时有效的报送 {found.submissions:,} 次"
    )
    print(_summary_text(found.figures))
    return 0


def run_snapshot_compare(args: argparse.Namespace) -> int:
    from lingyi.metrics import snapshots

    store = _store(args)
    comparison = snapshots.compare(store, snapshots.find(store, args.name))
    figures = snapshots.figure_table(comparison)
    changes = snapshots.figure_table(comparison, as_text=True)["变化"]
    causes = snapshots.cause_table(comparison)
    if args.json:
        out = {
            "snapshot": _snapshot_about(comparison.snapshot),
            "figures": comparison.figures.drop(columns=["section"]).to_dict("records"),
            "causes": [
                {**row, "created_at": row["created_at"].isoformat(sep=" ")}
                for row in comparison.causes.to_dict("records")
            ],
            "notes": list(comparison.notes),
        }
        print(json.dumps(out, ensure_ascii=False, indent=1, default=str))
        return 0
    print(f"{comparison.snapshot.label} 与当前数据对比（{snapshots.scope_words(comparison.snapshot.scope)}）")
    if comparison.unchanged:
        print("自冻结以来，这一范围的数字没有变化。")
        return 0
    print(f"变化的数字 {len(figures)} 项：")
    for row, said in zip(figures.itertuples(index=False), changes, strict=True):
        change = "" if row.变化 is None else f"（{said}）"
        print(f"  {row.数字}：{_fmt(row.会议版)} → {_fmt(row.当前)}{change}")
    if len(causes):
        print(f"引起变化的报送 {len(causes)} 次：")
        for row in causes.itertuples(index=False):
            print(
                f"  {row.版本}  {row.单位}  {row.报表}  {row.期间}  {row.文件}  {row.变化}  {row.报送时间:%Y-%m-%d %H:%M}  {row.报送人}"
            )
    for note in comparison.notes:
        print(f"说明：{note}")
    return 0


def run_snapshot_delete(args: argparse.Namespace) -> int:
    from lingyi.metrics import snapshots

    snapshots.delete(_store(args), args.name, user=args.user)
    print(f"已删除会议版「{args.name.strip()}」（报送与文件不受影响）。")
    return 0


DOCS_FILE = Path(__file__).resolve().parent.parent / "docs" / "填报说明.md"


def run_docs(_args: argparse.Namespace) -> int:
    from lingyi.intake.instructions import DOC_BEGIN, DOC_END, contract_markdown

    text = DOCS_FILE.read_text(encoding="utf-8")
    head, _, rest = text.partition(DOC_BEGIN)
    _, _, tail = rest.partition(DOC_END)
    DOCS_FILE.write_text(f"{head}{DOC_BEGIN}\n\n{contract_markdown()}\n{DOC_END}{tail}", encoding="utf-8")
    print(f"已更新 {DOCS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
