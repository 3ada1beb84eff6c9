"""The office's housekeeping: users (``user``), the audit log and the sign-ins (``audit``), and the whole store to a
file and back (``backup``, ``restore-backup``)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from lingyi.cli.shared import ArgumentProblem, parsed, store_of
from lingyi.store import AUDIT_HEADINGS
from lingyi.values import parse_date


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

    store = store_of(args)
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


def run_audit(args: argparse.Namespace) -> int:
    from lingyi.workbooks import escape_frame

    since = parsed(parse_date, "--since", args.since)
    if args.sign_ins:
        return _print_sign_ins(store_of(args), since, args.csv)
    log = store_of(args).audit_log(since)
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

    manifest = write_backup(store_of(args), Path(args.file))
    print(f"已备份到 {args.file}：{_backup_counts(manifest)}（数据库结构版本 {manifest['schema_version']}）。")
    return 0


def run_restore_backup(args: argparse.Namespace) -> int:
    from lingyi.store.backup import read_manifest, restore_backup

    path = Path(args.file)
    if not path.is_file():
        raise ArgumentProblem(f"找不到备份文件：{args.file}")
    read_manifest(path)  # says what the file is not before the store is opened
    manifest = restore_backup(store_of(args), path, force=args.force, user=args.user)
    print(f"已从备份 {path.name}（{manifest['created_at']}）恢复：{_backup_counts(manifest)}。")
    return 0


def _backup_counts(manifest: dict) -> str:
    rows = {name: info["rows"] for name, info in manifest["tables"].items()}
    data_rows = sum(count for name, count in rows.items() if name.endswith("_rows"))
    return (
        f"原始文件 {len(manifest['originals']):,} 个、报送 {rows.get('submissions', 0):,} 次、"
        f"数据 {data_rows:,} 行、操作日志 {rows.get('audit_log', 0):,} 条"
    )
