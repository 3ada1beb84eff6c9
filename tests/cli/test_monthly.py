"""lingyi/cli/monthly.py: the monthly briefing picks the month that is in, freezes it once, writes its files from the
frozen figures, and mails them; the monthly chase names who is missing."""

from __future__ import annotations

import datetime as dt
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from docx import Document
from factories import UNIT, csv_bytes, hotline_rows, learning_rows

from lingyi.cli import monthly
from lingyi.figures import pictures
from lingyi.intake.ingest import Outcome, ingest_file
from lingyi.metrics import snapshots


def one_unit_store(store):
    """A store where every unit but 民政局 is marked 不涉及, so a month is in once 民政局 has sent it."""
    others = [unit for unit in store.registry().frame["unit"] if unit != UNIT]
    for kind in monthly.MONTHLY_KINDS:
        store.set_exempt(others, kind, True, user="test")
    return store


def send(store, month: int, *kinds: str, seed: int = 42) -> None:
    for kind in kinds:
        rows = learning_rows(2, month=month, seed=seed) if kind == "learning" else hotline_rows([month], seed=seed)
        name = f"{UNIT}_{month // 100}年{month % 100}月_{'学习活动' if kind == 'learning' else '热线指标'}.csv"
        result = ingest_file(store, csv_bytes(rows), name, user="test")
        assert result.outcome is Outcome.ACCEPTED, result.findings


def test_the_month_just_ended_is_briefed_when_every_expected_unit_has_sent_it(store):
    one_unit_store(store)
    send(store, 202509, "learning", "hotline")
    send(store, 202510, "learning", "hotline")
    choice = monthly.month_to_brief(store, dt.date(2025, 11, 3))
    assert (choice.year, choice.month, choice.complete) == (2025, 10, True)


def test_an_incomplete_month_waits_for_its_cutoff_day_then_is_briefed_with_who_is_missing(store):
    one_unit_store(store)
    send(store, 202509, "learning", "hotline")
    send(store, 202510, "learning")  # no 热线指标 for October yet
    before = monthly.month_to_brief(store, dt.date(2025, 11, 3), cutoff_day=10)
    assert (before.year, before.month, before.complete) == (2025, 9, True)
    after = monthly.month_to_brief(store, dt.date(2025, 11, 10), cutoff_day=10)
    assert (after.year, after.month, after.complete) == (2025, 10, False)
    assert after.missing == {"learning": (), "hotline": ("市民政局",)}


def test_no_month_with_data_briefs_nothing(store):
    assert monthly.month_to_brief(store, dt.date(2025, 11, 3)) is None


def test_the_monthly_briefing_is_frozen_once_and_a_second_run_makes_nothing_new(store, tmp_path, stand_in_pictures):
    one_unit_store(store)
    send(store, 202510, "learning", "hotline")
    first = monthly.make_monthly(store, tmp_path / "简报", today=dt.date(2025, 11, 5))
    assert first.created and first.name == "月报 2025年10月"
    assert [p.name for p in first.files] == ["月报_2025年10月.pptx", "月报_2025年10月.docx", "月报_2025年10月.zip"]
    assert all(p.stat().st_size > 0 for p in first.files)
    frozen = snapshots.find(store, "月报 2025年10月")
    assert (frozen.scope.year, frozen.scope.through) == (2025, 10)
    stamps = [p.stat().st_mtime_ns for p in first.files]

    again = monthly.make_monthly(store, tmp_path / "简报", today=dt.date(2025, 11, 6))
    assert not again.created and again.rewritten == ()
    assert again.lines == ["月报 2025年10月已生成过（会议版「月报 2025年10月」），本次没有新内容。"]
    assert [p.stat().st_mtime_ns for p in first.files] == stamps
    assert [s.name for s in snapshots.listed(store)] == ["月报 2025年10月"]


def test_a_lost_file_is_written_again_from_the_frozen_figures_not_todays(store, tmp_path, stand_in_pictures):
    one_unit_store(store)
    send(store, 202510, "learning", "hotline")
    made = monthly.make_monthly(store, tmp_path, today=dt.date(2025, 11, 5))
    report = made.files[1]
    said = [p.text for p in Document(report).paragraphs]
    send(store, 202510, "learning", seed=7)  # a correction after the freeze: other figures for October
    report.unlink()
    again = monthly.make_monthly(store, tmp_path, today=dt.date(2025, 11, 6))
    assert again.rewritten == (report,) and not again.created
    assert [p.text for p in Document(report).paragraphs] == said


def test_a_month_whose_files_cannot_be_written_is_not_left_frozen(store, tmp_path, monkeypatch, stand_in_pictures):
    one_unit_store(store)
    send(store, 202510, "learning", "hotline")

    def broken(fig, size=pictures.SLIDE):
        raise pictures.RenderingUnavailable("浏览器停止响应")

    monkeypatch.setattr(pictures, "png", broken)
    with pytest.raises(pictures.RenderingUnavailable):
        monthly.make_monthly(store, tmp_path / "简报", today=dt.date(2025, 11, 5))
    assert snapshots.listed(store) == []
    assert list((tmp_path / "简报").iterdir()) == []


def test_without_a_browser_nothing_is_frozen(store, tmp_path, monkeypatch):
    one_unit_store(store)
    send(store, 202510, "learning", "hotline")
    monkeypatch.setattr(pictures, "availability", lambda: pictures.Availability(None, ()))
    with pytest.raises(pictures.RenderingUnavailable):
        monthly.make_monthly(store, tmp_path, today=dt.date(2025, 11, 5))
    assert snapshots.listed(store) == []


def test_the_chase_names_the_units_missing_the_month_now_due(store):
    one_unit_store(store)
    send(store, 202510, "learning")
    month, text = monthly.chase_text(store, dt.date(2025, 11, 3))
    assert month == "2025年10月"
    learning, hotline = text.split("\n\n")
    assert learning.startswith("2025年10月学习活动报表：1家单位已全部报送")
    assert hotline.startswith("请以下单位于11月5日前报送2025年10月热线指标报表（目前已报 0/1 家，尚有 1 家未报）")
    assert "民政局" in hotline


# -- mail ------------------------------------------------------------------------------------------------------------


class Inbox:
    def __init__(self):
        self.messages = []
        self.received = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        self.received.set()
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_the_monthly_files_are_mailed_through_the_offices_smtp_server(store, tmp_path, stand_in_pictures, smtp_server):
    import email

    inbox, port = smtp_server
    one_unit_store(store)
    send(store, 202510, "learning", "hotline")
    made = monthly.make_monthly(store, tmp_path, today=dt.date(2025, 11, 5))
    settings = monthly.MailSettings(host="127.0.0.1", port=port, sender="lingyi@example.org")
    monthly.send_mail(settings, ["leader@example.org"], made.name, "\n".join(made.lines), made.files)
    assert inbox.received.is_set()
    (envelope,) = inbox.messages
    assert envelope.rcpt_tos == ["leader@example.org"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "月报 2025年10月"
    assert [part.get_filename() for part in message.iter_attachments()] == [p.name for p in made.files]


def test_a_mail_server_that_cannot_be_reached_is_said_in_chinese():
    settings = monthly.MailSettings(host="127.0.0.1", port=1)
    with pytest.raises(monthly.MailProblem, match=r"连不上邮件服务器 127\.0\.0\.1:1"):
        monthly.send_mail(settings, ["a@example.org"], "主题", "正文")


def test_mail_settings_come_from_the_environment_or_the_secrets_file(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    assert monthly.MailSettings.from_environment(secrets) is None
    secrets.write_text('[smtp]\nhost = "mail.example.org"\nport = 587\nstarttls = true\nfrom = "看板 <a@b.c>"\n')
    found = monthly.MailSettings.from_environment(secrets)
    assert (found.host, found.port, found.starttls, found.sender) == ("mail.example.org", 587, True, "看板 <a@b.c>")
    monkeypatch.setenv("LINGYI_SMTP_HOST", "smtp.office")
    assert monthly.MailSettings.from_environment(secrets).host == "smtp.office"


# -- the command line ----------------------------------------------------------------------------------------------


def test_briefing_monthly_on_the_command_line_makes_the_month_once_and_mails_it(
    store, tmp_path, stand_in_pictures, smtp_server, monkeypatch, capsys
):
    from lingyi.__main__ import main

    inbox, port = smtp_server
    monkeypatch.setenv("LINGYI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("LINGYI_SMTP_PORT", str(port))
    one_unit_store(store)
    send(store, 202510, "learning", "hotline")
    folder = tmp_path / "简报"
    argv = ["briefing", "--monthly", "--out-dir", str(folder), "--today", "2025-11-05", "--db", store.url]
    assert main([*argv, "--mail-to", "office@example.org"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("已生成月报 2025年10月") and "已发送至 office@example.org" in out
    assert sorted(p.name for p in folder.iterdir()) == [
        "月报_2025年10月.docx",
        "月报_2025年10月.pptx",
        "月报_2025年10月.zip",
    ]
    assert len(inbox.messages) == 1
    assert main([*argv, "--mail-to", "office@example.org"]) == 0  # the timer fires again: nothing new, no mail
    assert "本次没有新内容" in capsys.readouterr().out and len(inbox.messages) == 1


def test_chase_on_the_command_line_prints_and_writes_the_text(store, tmp_path, capsys):
    from lingyi.__main__ import main

    one_unit_store(store)
    send(store, 202510, "learning")
    assert main(["chase", "--out-dir", str(tmp_path), "--today", "2025-11-03", "--db", store.url]) == 0
    out = capsys.readouterr().out
    written = (tmp_path / "催报_2025年10月.txt").read_text(encoding="utf-8")
    assert "热线指标报表" in out and "市民政局" in written


def test_mail_without_a_mail_server_is_said_before_anything_is_made(store, tmp_path, monkeypatch, capsys):
    from lingyi.__main__ import main

    monkeypatch.delenv("LINGYI_SMTP_HOST", raising=False)
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml here
    one_unit_store(store)
    send(store, 202510, "learning")
    code = main(["chase", "--mail-to", "a@example.org", "--today", "2025-11-03", "--db", store.url])
    assert code == 2 and "LINGYI_SMTP_HOST" in capsys.readouterr().err
    assert not (tmp_path / "简报").exists()
    argv = ["briefing", "--monthly", "--mail-to", "a@example.org", "--today", "2025-11-05", "--db", store.url]
    assert main(argv) == 2 and snapshots.listed(store) == []  # nothing frozen for a mail that cannot go
