"""What can go wrong, as data the pages and the command line present.

    LingyiError                      base of everything the core raises on purpose
    ├── FileRejected                 a file that cannot be read at all (wrong bytes, encrypted, too large …);
    │                                carries the Finding that says why
    ├── RegistryError                a units file that does not make a valid registry
    ├── UnknownName                  a unit or category name the registry does not know (with suggestions)
    ├── StoreError                   the store cannot be opened or written
    └── RenderingUnavailable         no browser to draw chart pictures with (briefings still make native charts)

Findings about a file's contents (an unreadable number, an unknown unit, a 合计 that
does not add up) are not exceptions: validation collects every one of them as a
``Finding`` so that a unit sees all its mistakes at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "错误"
    WARNING = "警告"
    NOTICE = "提示"


@dataclass(frozen=True)
class Finding:
    """One error, warning or notice, located as precisely as the file allows."""

    level: Level
    file: str
    message: str
    sheet: str | None = None
    row: int | None = None  # as Excel shows it, 1-based
    column: str | None = None  # the column letter, "D"
    column_name: str | None = None  # the header as the file wrote it
    value: str | None = None

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def location(self) -> str:
        parts = [f"文件「{self.file}」"]
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            name = f"「{self.column_name}」" if self.column_name else ""
            parts.append(f"{self.column}列{name}")
        return " ".join(parts)

    def __str__(self) -> str:
        value = f" 值「{self.value}」" if self.value not in (None, "") else ""
        return f"{self.level.value}：{self.location()}{value}：{self.message}"

    def as_row(self) -> dict[str, object]:
        return {
            "级别": self.level.value,
            "文件": self.file,
            "工作表": self.sheet or "",
            "行号": self.row,
            "列": self.column or "",
            "列名": self.column_name or "",
            "值": self.value or "",
            "说明": self.message,
        }


class LingyiError(Exception):
    """Base of every error the core raises on purpose."""


class FileRejected(LingyiError):
    def __init__(self, finding: Finding):
        super().__init__(str(finding))
        self.finding = finding


class RegistryError(LingyiError):
    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(str(f) for f in findings))
        self.findings = findings


class UnknownName(LingyiError):
    def __init__(self, name: str, suggestions: list[str], what: str = "单位"):
        hint = f"您是不是要找：{'、'.join(suggestions)}？" if suggestions else "请检查名称是否与名录一致。"
        super().__init__(f"名录中没有{what}「{name}」。{hint}")
        self.name = name
        self.suggestions = suggestions


class StoreError(LingyiError):
    pass


class RenderingUnavailable(LingyiError):
    """No picture can be made here: no browser, no CJK font, or the browser stopped answering."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or written: down, restarted, the connection cut, the sign-in refused, the
    file unreadable or read-only, the disk full. Nothing of the work under way was stored; what was committed
    before stays. ``reason`` says it in Chinese (「数据库连接中断（服务器 db:5432）」, 「磁盘空间不足」)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
