"""Briefings for meetings: what a briefing says (``content``, ``briefing``, ``narrative``, ``wording``) and the
files it is written to (``formats``: slides, report, the pictures' ZIP).

Rule: a briefing is made from the figures of ``lingyi.metrics`` and the charts of ``lingyi.figures`` alone; it
never reads returns or the store itself, so what a mayor is handed is what the pages show. The archive of 月报
(``archive``) reads its 会议版 through ``lingyi.metrics.snapshots`` only: the figures as they were frozen.
"""

from lingyi.export.briefing import CATALOGUE, DEFAULT_CHARTS, build
from lingyi.export.content import Briefing
from lingyi.export.formats import FORMATS, write
from lingyi.export.narrative import narrate

__all__ = ["CATALOGUE", "DEFAULT_CHARTS", "FORMATS", "Briefing", "build", "narrate", "write"]
