"""What every command shares: the exit code of a command the database stopped, the exception of a bad argument,
the store a command opens, and its optional values read."""

from __future__ import annotations

import argparse

from lingyi.store import Store
from lingyi.values import BadValue

STORE_UNAVAILABLE = 3  # the exit code of a command the database stopped: run it again once the database is back


class ArgumentProblem(Exception):
    """Bad arguments: exit code 2."""


def store_of(args: argparse.Namespace) -> Store:
    """The store of ``--db`` (or the environment), opened once per command and closed by ``main``."""
    if getattr(args, "store", None) is None:
        args.store = Store(args.db)
    return args.store


def parsed(parse, flag: str, text: str | None):
    """An optional argument read with one of lingyi.values' parsers; a value it cannot read is a bad argument."""
    if not text:
        return None
    try:
        return parse(text)
    except BadValue as exc:
        raise ArgumentProblem(f"{flag} {text}：{exc}") from None
