"""scripts/: the quick start's set-up decides what to install as a stranger's machine needs it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def decides(tmp_path: Path, *, chromium: bool, font_lines: list[str]) -> str:
    """What scripts/setup.sh's check says on a machine with these commands and fonts: NEED or HAVE."""
    tools = tmp_path / "bin"
    tools.mkdir()
    if chromium:
        (tools / "chromium").write_text("#!/bin/sh\nexit 0\n")
    listing = tmp_path / "fonts.txt"
    listing.write_text("\n".join(font_lines) + "\n")
    (tools / "fc-list").write_text(f"#!/bin/sh\ncat {listing}\n")
    for tool in tools.iterdir():
        tool.chmod(0o755)
    for needed in ("sed", "cat"):  # only these and the stand-ins: the machine's own chromium stays out of sight
        (tools / needed).symlink_to(shutil.which(needed))
    check = (
        'set -euo pipefail; source <(sed -n "/^need_system_packages/,/^}/p" scripts/setup.sh); '
        "if need_system_packages; then echo NEED; else echo HAVE; fi"
    )
    done = subprocess.run(
        [shutil.which("bash"), "-c", check],
        cwd=ROOT,
        env={"PATH": str(tools)},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


# Many fonts, the CJK one first: a `grep -q` reading a pipe would stop early and the lister die of SIGPIPE.
MANY_FONTS = ["/usr/share/fonts/NotoSansCJK-Regular.ttc: Noto Sans CJK SC:style=Regular"] + [
    f"/usr/share/fonts/other{i}.ttf: Other Font {i}:style=Regular" for i in range(20000)
]


@pytest.mark.parametrize(
    ("chromium", "fonts", "expected"),
    [
        (True, MANY_FONTS, "HAVE"),
        (False, MANY_FONTS, "NEED"),
        (True, MANY_FONTS[1:], "NEED"),
    ],
)
def test_setup_installs_system_packages_only_where_missing(tmp_path, chromium, fonts, expected):
    assert decides(tmp_path, chromium=chromium, font_lines=fonts) == expected
