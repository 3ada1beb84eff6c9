"""The command line (spec §6): ``python -m lingyi ingest|summary|init|history|restore|delete|audit|backup|restore-backup|briefing``.

Exit codes: 0 when all went well, 1 when a file was rejected, 2 on bad arguments, 3 when the database stopped the
command (``STORE_UNAVAILABLE``).
"""

from __future__ import annotations

import logging
import os
import sys

from lingyi.cli.args import build_parser
from lingyi.cli.shared import STORE_UNAVAILABLE, ArgumentProblem
from lingyi.errors import LingyiError, StoreUnavailable, UnknownName
from lingyi.store import default_url, waiting
from lingyi.store.faults import unavailable


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _log_tracebacks_only_when_debugging()
    try:
        with waiting.told(waiting.once(_to_standard_error)):  # a write long waiting for the lock says so, once
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


def _to_standard_error(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _log_tracebacks_only_when_debugging() -> None:
    """A fault the core logs (a file it could not check) is already told in that file's line; its traceback goes to
    standard error only with LINGYI_DEBUG set."""
    logger = logging.getLogger("lingyi")
    if os.environ.get("LINGYI_DEBUG"):
        logging.basicConfig()
    elif not logger.handlers:
        logger.addHandler(logging.NullHandler())
