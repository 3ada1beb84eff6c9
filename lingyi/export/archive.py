"""往期简报: the monthly briefings on record, each a 会议版 named 「月报 2025年10月」, and their files.

``python -m lingyi briefing --monthly`` freezes a month and writes its files with ``write``; the 简报导出 page lists
the same 月报 with ``listed`` (their frozen figures as ``key_figures`` words them) and offers ``file_bytes``. Both
build a 月报's slides, report and pictures with ``monthly_briefing`` from the 会议版's own dataset, dated the day
it was frozen, so a file made again a year later says what the one sent that month said.

The store is read only through ``lingyi.metrics.snapshots``: what a 月报 shows is what was frozen, never today's
returns. ``store`` below is a ``lingyi.store.Store``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from lingyi import metrics
from lingyi.export import briefing, formats
from lingyi.export.content import Briefing
from lingyi.figures import pictures
from lingyi.figures.theme import count_text, percent_text
from lingyi.metrics import snapshots

PREFIX = "月报"
TITLE = "学习型机关建设情况月报"
SUFFIXES = (".pptx", ".docx", ".zip")


def monthly_name(year: int, month: int) -> str:
    """「月报 2025年10月」: the 会议版 a month's briefing is frozen as."""
    return f"{PREFIX} {year}年{month}月"


def is_monthly(snapshot: snapshots.Snapshot) -> bool:
    return snapshot.name.startswith(f"{PREFIX} ")


def file_name(name: str, suffix: str) -> str:
    """「月报_2025年10月.pptx」: a file name without a space, as a folder and a mail attachment keep it."""
    return f"{name.replace(' ', '_')}{suffix}"


def file_paths(out_dir: Path, name: str) -> tuple[Path, ...]:
    return tuple(out_dir / file_name(name, suffix) for suffix in SUFFIXES)


@dataclass(frozen=True)
class Monthly:
    """One 月报 on record: its 会议版 and what a list of them says about it."""

    snapshot: snapshots.Snapshot

    @property
    def name(self) -> str:
        return self.snapshot.name

    @property
    def month(self) -> str:
        """「2025年10月」: the month it briefs (its figures are of 1—10月)."""
        return f"{self.snapshot.scope.year}年{self.snapshot.scope.through}月"

    @property
    def frozen_at(self) -> dt.datetime:
        return self.snapshot.created_at

    @property
    def figures(self) -> dict:
        """``metrics.summary`` of its scope as it was frozen."""
        return self.snapshot.figures


def listed(store) -> list[Monthly]:
    """Every 月报 on record, the latest month first (of one month, the latest frozen first)."""
    found = [Monthly(s) for s in snapshots.listed(store) if is_monthly(s)]  # newest frozen first
    return sorted(found, key=lambda m: (m.snapshot.scope.year, m.snapshot.scope.through), reverse=True)


def _fraction(pct: float | None) -> float | None:
    return None if pct is None else pct / 100


def key_figures(monthly: Monthly) -> dict[str, str]:
    """The frozen figures a list of 月报 shows, heading → words, in the one way pages and briefings write them."""
    said = monthly.figures
    units, learning, hotline, problems = said["units"], said["learning"], said["hotline"], said["problems"]
    return {
        "统计范围": monthly.snapshot.scope.span_label,
        "报送单位": f"{units['reporting']}/{units['registered']}",
        "参与人次": count_text(learning["person_times"]),
        "诉求量（件）": count_text(hotline["appeals"]),
        "一次性办好率": percent_text(_fraction(hotline["first_time_rate_pct"])),
        "问题解决率": percent_text(_fraction(hotline["resolution_rate_pct"])),
        "群众满意率": percent_text(_fraction(hotline["satisfaction_rate_pct"])),
        "化解率": percent_text(_fraction(problems["closure_rate_pct"])),
    }


def monthly_briefing(snapshot: snapshots.Snapshot, frozen: metrics.Dataset) -> Briefing:
    """A 月报's briefing from its 会议版's dataset ``frozen`` (``snapshots.dataset``), titled with its month and
    dated the day it was frozen."""
    year, month = snapshot.scope.year, snapshot.scope.through
    return briefing.build(
        frozen,
        snapshot.scope,
        title=f"{TITLE}（{year}年{month}月）",
        date=snapshot.created_at.date(),
    )


def file_bytes(made: Briefing, suffix: str, *, picture: pictures.PictureMaker | None) -> bytes:
    """One file of a 月报's briefing: ``suffix`` is one of ``SUFFIXES``; without pictures (``picture=None``) the
    slides keep their native charts only."""
    return formats.FORMATS[suffix].write(made, picture=picture)


def write(store, snapshot: snapshots.Snapshot, paths: tuple[Path, ...]) -> None:
    """Write a 月报's files (each as its suffix says) from the frozen figures, with ``pictures.png``'s pictures."""
    made = monthly_briefing(snapshot, snapshots.dataset(store, snapshot))
    for path in paths:
        formats.write(made, path, picture=pictures.png)
