"""What a briefing is, as data every format writes: its charts, key figures, tables and words, its name, the
line that says where its figures come from and its date as a Chinese document writes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from lingyi import metrics
from lingyi.figures import pictures

SOURCE = "数据来源：各单位报送数据（学习型机关建设数据看板）"


def chinese_date(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


DEFAULT_TITLE = "学习型机关建设情况汇报"


THEMES = {"learning": "学习活动", "hotline": "12345热线", "problems": "问题化解", "indicators": "指标完成"}


@dataclass(frozen=True)
class Chart:
    key: str
    theme: str
    title: str
    figure: go.Figure
    takeaway: Sentence

    @property
    def native(self) -> pictures.NativeChart | None:
        return pictures.native_chart(self.figure)

    @property
    def file_name(self) -> str:
        return f"{pictures.file_stem(self.title)}.png"


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Table:
    title: str  # 「各类别学习活动情况」; numbered 附表1 … when written
    frame: pd.DataFrame  # text, as printed
    note: str = ""


@dataclass(frozen=True)
class Briefing:
    title: str
    scope: metrics.Scope
    scope_text: str
    date: dt.date
    key_figures: tuple[KeyFigure, ...]
    paragraphs: tuple[Paragraph, ...]
    charts: tuple[Chart, ...]
    tables: tuple[Table, ...]
    # Per theme, the like-for-like note its charts against last year carry ("" where every month is in): only the
    # hotline's charts compare with last year; learning's year on year is in the text, with its note.
    notes: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return file_stem(self.scope, self.title)


def file_stem(scope: metrics.Scope, title: str = DEFAULT_TITLE) -> str:
    """The files' name without suffix: 「2025年1-10月_学习型机关建设情况汇报」."""
    return pictures.file_stem(f"{scope.span_label} {title.strip() or DEFAULT_TITLE}")


@dataclass(frozen=True)
class Sentence:
    """One sentence and the figures that made it."""

    text: str
    figures: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Paragraph:
    theme: str  # "overall" or a key of THEME_HEADINGS
    sentences: tuple[Sentence, ...]

    @property
    def heading(self) -> str:
        return THEME_HEADINGS.get(self.theme, "总体情况")

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.sentences)

    @property
    def figures(self) -> dict[str, object]:
        return {name: value for s in self.sentences for name, value in s.figures.items()}


THEME_HEADINGS = {
    "learning": "学习活动开展情况",
    "hotline": "12345热线办理情况",
    "problems": "问题排查化解情况",
    "indicators": "指标完成情况",
}
