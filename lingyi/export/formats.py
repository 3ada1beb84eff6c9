"""A briefing written to files: slides (``slides``), the report (``report``) and a ZIP of its charts as pictures,
by name in ``FORMATS``. Pictures come from ``picture`` — ``lingyi.figures.pictures.png`` unless a test stands
in for it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lingyi.export import report, slides
from lingyi.export.content import Briefing
from lingyi.figures import pictures

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


ZIP_MIME = "application/zip"


def zip_bytes(briefing: Briefing, *, picture: pictures.PictureMaker | None = pictures.png) -> bytes:
    """Every chart as a PNG named after its title (「2025年1-10月_各类别参与人次.png」)."""
    if picture is None:
        raise pictures.RenderingUnavailable("没有可用的浏览器，无法生成图表图片。")
    out = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for chart in briefing.charts:
            name = chart.file_name
            stem, number = name.removesuffix(".png"), 2
            while name in used:
                name, number = f"{stem}_{number}.png", number + 1
            used.add(name)
            archive.writestr(name, picture(chart.figure, pictures.SLIDE))
    return out.getvalue()


@dataclass(frozen=True)
class Format:
    suffix: str
    label: str
    mime: str
    write: Callable[..., bytes]
    needs_pictures: bool


FORMATS = {
    ".pptx": Format(".pptx", "PPT 演示文稿", PPTX_MIME, slides.pptx_bytes, False),
    ".docx": Format(".docx", "Word 汇报材料", DOCX_MIME, report.docx_bytes, True),
    ".zip": Format(".zip", "图表图片包（PNG）", ZIP_MIME, zip_bytes, True),
}


def write(briefing: Briefing, path: Path, *, picture: pictures.PictureMaker | None = pictures.png) -> None:
    """Write the briefing as ``path``'s suffix says: .pptx, .docx or .zip."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise ValueError(f"不支持的文件类型「{path.suffix}」：请用 {'、'.join(FORMATS)}")
    path.write_bytes(found.write(briefing, picture=picture))
