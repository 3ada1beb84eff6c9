"""When each sample return "arrived": early in the month after its period, a few units late.

Loading the sample data stamps submissions with these times rather than the moment of
loading, so that 报送情况 (on time / late / missing) shows what a real year looks like.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from lingyi.values import add_months

# Units whose returns habitually come in after the 5th (the default due day).
HABITUALLY_LATE = ("市文旅局", "市住建局", "团市委", "市医保局", "临沂文旅集团")


def received_at(path: Path) -> dt.datetime | None:
    """A deterministic arrival time for a sample file, from the period its name states (None: no period in it)."""
    name = path.stem
    if match := re.search(r"(\d{4})年(?:1-)?(\d{1,2})月", name):
        last_month = int(match.group(1)) * 100 + int(match.group(2))
    elif match := re.search(r"(\d{4})年", name):
        last_month = int(match.group(1)) * 100 + 12
    else:
        return None
    arrival = add_months(last_month, 1)
    digest = int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16)
    day = 1 + digest % 4  # the 1st to the 4th: on time
    if name.startswith(HABITUALLY_LATE):
        day = 7 + digest % 6  # the 7th to the 12th: late
    return dt.datetime(arrival // 100, arrival % 100, day, 9 + digest % 8, digest % 60)
