"""The monthly briefing and the monthly chase, made on a schedule (a systemd timer or cron on the 5th).

``make_monthly`` picks the latest month that is in — every expected unit has sent its 学习活动 and 热线指标 for it,
or the cut-off day of the following month has passed — freezes it as the 会议版 「月报 2025年10月」 and writes its
slides, report and pictures into a folder (``lingyi.export.archive``, which the 简报导出 page's 往期简报 uses too).
The 会议版 is the record: a second run for the same month finds it and makes nothing new, and files lost from the
folder are written again from the frozen figures, never from today's. ``chase_text`` is the list of units still
missing the month now due, ready to paste. Either can be mailed through the office's SMTP server
(``MailSettings``: environment variables or ``.streamlit/secrets.toml``).
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import tomllib
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from lingyi import metrics
from lingyi.errors import LingyiError
from lingyi.export import archive
from lingyi.figures import pictures
from lingyi.metrics import completeness, snapshots
from lingyi.store import Store
from lingyi.values import months_between

MONTHLY_KINDS = ("learning", "hotline")  # the returns sent every month: a month is in when these are
DEFAULT_CUTOFF_DAY = 10  # of the following month: past it, a month is briefed with whoever has sent it
LOOK_BACK_MONTHS = 12
SECRETS = Path(".streamlit") / "secrets.toml"


class MailProblem(LingyiError):
    """The mail could not be sent: the files are written all the same."""


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _missing(registry, submissions, year: int, month: int, today: dt.date) -> dict[str, tuple[str, ...]]:
    """Per monthly kind, the expected units (不涉及 left out) that have not sent ``month``."""
    said = {}
    for kind in MONTHLY_KINDS:
        report = completeness.completeness(submissions, registry.frame, year=year, kind=kind, as_of=today)
        said[kind] = tuple(report.not_submitted(month)["单位简称"])
    return said


@dataclass(frozen=True)
class MonthChoice:
    year: int
    month: int
    missing: dict[str, tuple[str, ...]]  # kind → units that had not sent it when it was chosen
    complete: bool


def month_to_brief(store: Store, today: dt.date, cutoff_day: int = DEFAULT_CUTOFF_DAY) -> MonthChoice | None:
    """The latest finished month that is in (every expected unit reported, or ``cutoff_day`` of the following
    month passed), looking back a year; None when no month has data."""
    registry, submissions = store.registry(), store.submissions()  # read once for every month looked at
    months_with_data = set()
    monthly_rows = submissions[submissions["kind"].isin(MONTHLY_KINDS)]
    for first, last in zip(monthly_rows["period_start"], monthly_rows["period_end"]):
        months_with_data.update(months_between(int(first), int(last)))
    year, month = _previous(today.year, today.month)
    for _ in range(LOOK_BACK_MONTHS):
        if year * 100 + month in months_with_data:
            missing = _missing(registry, submissions, year, month, today)
            complete = not any(missing.values())
            following = dt.date(year + (month == 12), month % 12 + 1, 1)
            if complete or today >= following.replace(day=cutoff_day):
                return MonthChoice(year, month, missing, complete)
        year, month = _previous(year, month)
    return None


@dataclass(frozen=True)
class MonthlyOutcome:
    name: str
    created: bool  # False: the month was frozen before, and nothing new was made
    files: tuple[Path, ...]
    rewritten: tuple[Path, ...] = ()  # files lost from the folder and written again from the frozen figures
    choice: MonthChoice | None = None

    @property
    def lines(self) -> list[str]:
        if self.created:
            said = [f"已生成{self.name}（已冻结为会议版「{self.name}」）："]
            said += [f"  {path}" for path in self.files]
            if self.choice is not None and not self.choice.complete:
                gaps = "；".join(
                    f"{'学习活动' if kind == 'learning' else '热线指标'}尚缺 {len(units)} 家（{'、'.join(units)}）"
                    for kind, units in self.choice.missing.items()
                    if units
                )
                said.append(f"提示：已过截止日，按已报数据生成：{gaps}。")
            return said
        if self.rewritten:
            return [f"{self.name}已生成过，未重复生成；文件夹中缺少的文件已按冻结的数据重新写出："] + [
                f"  {path}" for path in self.rewritten
            ]
        return [f"{self.name}已生成过（会议版「{self.name}」），本次没有新内容。"]


def make_monthly(
    store: Store,
    out_dir: Path,
    *,
    today: dt.date,
    cutoff_day: int = DEFAULT_CUTOFF_DAY,
    user: str = "monthly",
) -> MonthlyOutcome | None:
    """Freeze and write the month :func:`month_to_brief` picks; None when there is no month to brief."""
    choice = month_to_brief(store, today, cutoff_day)
    if choice is None:
        return None
    name = archive.monthly_name(choice.year, choice.month)
    paths = archive.file_paths(out_dir, name)
    known = {s.name: s for s in snapshots.listed(store)}
    available = pictures.availability()
    if name in known:
        lost = tuple(path for path in paths if not path.exists())
        if lost:
            if not available.ok:
                raise pictures.RenderingUnavailable(available.message)
            out_dir.mkdir(parents=True, exist_ok=True)
            archive.write(store, known[name], lost)
        return MonthlyOutcome(name, False, paths, lost, choice)
    if not available.ok:  # said before anything is frozen: a month is never frozen without its files
        raise pictures.RenderingUnavailable(available.message)
    out_dir.mkdir(parents=True, exist_ok=True)
    frozen = snapshots.create(store, name, metrics.Scope(choice.year, choice.month), user=user)
    try:
        archive.write(store, frozen, paths)
    except BaseException:
        snapshots.delete(store, name, user=user)  # no 月报 on record whose files were never written
        for path in paths:
            path.unlink(missing_ok=True)
        raise
    return MonthlyOutcome(name, True, paths, (), choice)


def chase_text(store: Store, today: dt.date, due_day: int = completeness.DEFAULT_DUE_DAY) -> tuple[str, str]:
    """The month now due (the one before today's) and the chase message for each monthly return, ready to paste."""
    year, month = _previous(today.year, today.month)
    registry, submissions = store.registry(), store.submissions()
    deadline = completeness.default_deadline(year, month, due_day, today)
    parts = []
    for kind in MONTHLY_KINDS:
        report = completeness.completeness(
            submissions, registry.frame, year=year, kind=kind, due_day=due_day, as_of=today
        )
        parts.append(completeness.chase_message(report, month, deadline))
    return f"{year}年{month}月", "\n\n".join(parts)


# -- mail ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int = 25
    sender: str = "lingyi@localhost"
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = False

    @classmethod
    def from_environment(cls, secrets: Path = SECRETS) -> MailSettings | None:
        """``LINGYI_SMTP_HOST``, ``_PORT``, ``_FROM``, ``_USER``, ``_PASSWORD``, ``_STARTTLS``; else the ``[smtp]``
        table of ``.streamlit/secrets.toml`` (host, port, from, user, password, starttls); None when neither says."""
        table: dict = {}
        if secrets.is_file():
            table = tomllib.loads(secrets.read_text(encoding="utf-8")).get("smtp", {})

        def setting(key: str, default: object = "") -> object:
            return os.environ.get(f"LINGYI_SMTP_{key.upper()}", table.get(key, default))

        host = str(setting("host"))
        if not host:
            return None
        starttls = str(setting("starttls", False)).lower() in ("1", "true", "yes")
        return cls(
            host=host,
            port=int(setting("port", 25)),
            sender=str(setting("from", "lingyi@localhost")),
            user=str(setting("user")),
            password=str(setting("password")),
            starttls=starttls,
        )


def send_mail(settings: MailSettings, to: list[str], subject: str, body: str, files: tuple[Path, ...] = ()) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.sender, ", ".join(to), subject
    message.set_content(body)
    for path in files:
        message.add_attachment(path.read_bytes(), maintype="application", subtype="octet-stream", filename=path.name)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=60) as server:
            if settings.starttls:
                server.starttls()
            if settings.user:
                server.login(settings.user, settings.password)
            server.send_message(message)
    except smtplib.SMTPAuthenticationError as failed:
        raise MailProblem(f"邮件未能发出：邮件服务器 {settings.host} 不接受所设的用户名或密码。") from failed
    except smtplib.SMTPRecipientsRefused as failed:
        refused = "、".join(failed.recipients)
        raise MailProblem(f"邮件未能发出：邮件服务器 {settings.host} 拒收这些收件人：{refused}。") from failed
    except smtplib.SMTPException as failed:
        code = getattr(failed, "smtp_code", None)
        said = f"（代码 {code}）" if code else ""
        raise MailProblem(f"邮件未能发出：邮件服务器 {settings.host} 拒绝了这封邮件{said}。") from failed
    except OSError as failed:
        raise MailProblem(f"邮件未能发出：连不上邮件服务器 {settings.host}:{settings.port}。") from failed
