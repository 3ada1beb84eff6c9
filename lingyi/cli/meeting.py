"""What goes to a meeting: the ``briefing`` (slides, report, pictures; ``--monthly`` on a schedule), the ``chase`` of
the units whose returns are late, and the 会议版 (``snapshot create|list|show|compare|delete``)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from lingyi.cli.shared import ArgumentProblem, parsed, store_of
from lingyi.cli.summary import fmt, no_scope_with_snapshot, scope_from, snapshot_about, summary_text
from lingyi.export import content, formats
from lingyi.store import Store
from lingyi.values import parse_date


def _today(args: argparse.Namespace) -> dt.date:
    return parsed(parse_date, "--today", args.today) if args.today else dt.date.today()


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
    made = monthly.make_monthly(store_of(args), Path(args.out_dir), today=_today(args), cutoff_day=args.cutoff_day)
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
    month, text = monthly.chase_text(store_of(args), _today(args), args.due_day)
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
    dataset, scope = _snapshot_scope(args, store_of(args)) if args.snapshot else scope_from(args, store_of(args))
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


def _snapshot_scope(args: argparse.Namespace, store: Store):
    from lingyi.metrics import snapshots

    no_scope_with_snapshot(args)
    found = snapshots.find(store, args.snapshot)
    return snapshots.dataset(store, found), found.scope


def run_snapshot_create(args: argparse.Namespace) -> int:
    from lingyi.metrics import snapshots

    store = store_of(args)
    _, scope = scope_from(args, store)
    made = snapshots.create(store, args.name, scope, user=args.user)
    print(f"已冻结{made.label}：{snapshots.scope_words(made.scope)}，报送 {made.submissions:,} 次。")
    return 0


def run_snapshot_list(args: argparse.Namespace) -> int:
    from lingyi.metrics import snapshots

    found = snapshots.listed(store_of(args))
    if not found:
        print("还没有会议版。冻结一个：python -m lingyi snapshot create 名称 --year 2025 --through 2025-10")
    for snapshot in found:
        print(
            f"{snapshot.name}  冻结于 {snapshot.created_at:%Y-%m-%d %H:%M}  {snapshot.created_by}  {snapshots.scope_words(snapshot.scope)}"
        )
    return 0


def run_snapshot_show(args: argparse.Namespace) -> int:
    from lingyi.metrics import snapshots

    found = snapshots.find(store_of(args), args.name)
    if args.json:
        print(json.dumps({"snapshot": snapshot_about(found), "figures": found.figures}, ensure_ascii=False, indent=1))
        return 0
    print(found.label)
    print(
        f"范围：{snapshots.scope_words(found.scope)}；冻结人 {found.created_by}；冻结时有效的报送 {found.submissions:,} 次"
    )
    print(summary_text(found.figures))
    return 0


def run_snapshot_compare(args: argparse.Namespace) -> int:
    from lingyi.metrics import snapshots

    store = store_of(args)
    comparison = snapshots.compare(store, snapshots.find(store, args.name))
    figures = snapshots.figure_table(comparison)
    changes = snapshots.figure_table(comparison, as_text=True)["变化"]
    causes = snapshots.cause_table(comparison)
    if args.json:
        out = {
            "snapshot": snapshot_about(comparison.snapshot),
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
        print(f"  {row.数字}：{fmt(row.会议版)} → {fmt(row.当前)}{change}")
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

    snapshots.delete(store_of(args), args.name, user=args.user)
    print(f"已删除会议版「{args.name.strip()}」（报送与文件不受影响）。")
    return 0
