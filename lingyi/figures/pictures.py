"""Figures as pictures and as editable office charts.

Pictures (PNG, SVG) come from plotly + kaleido 1.x driving the system's Chromium, which draws the Chinese
in the template's CJK fonts. The renderer is one browser per process, started on first use (or early, by
``start_in_background``) and reused: kaleido's sync server. Every export holds one lock, because Streamlit
serves each session on its own thread and kaleido's sync server, called from two threads at once, can hand
each caller the other's picture (kaleido issue #444). Nothing is fetched from the network: plotly.js is the
copy inside the installed plotly package, MathJax is off, and no browser is ever downloaded — where none is
installed, ``availability()`` says so in Chinese and nothing here starts one.

A figure whose chart type an office program has (bars or lines over named categories, one value axis)
is also described as a ``NativeChart``: the slides draw it as a PowerPoint chart that can be edited.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import plotly
import plotly.graph_objects as go

from lingyi.errors import LingyiError, RenderingUnavailable
from lingyi.figures.theme import NOT_REPORTED

BROWSER_VARIABLE = "BROWSER_PATH"  # choreographer's (and so kaleido's) own name for an explicit browser
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
RENDER_TIMEOUT = 60  # seconds kaleido allows one picture
# On a busy machine kaleido's page may be asked for a picture before its scripts have loaded
# (「kaleido_scopes is not defined」): a new browser is started, up to this many times in all.
START_ATTEMPTS = 3
CALL_DEADLINE = 150  # seconds an export may take, the browser's start included, before we give up on it
CACHE_SIZE = 64  # pictures kept, so the slides, the report and the ZIP of one briefing draw each chart once


# -- sizes and names ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PictureSize:
    """The CSS pixels a chart is laid out in, and the pixel density of its PNG."""

    width: int
    height: int
    scale: float

    @property
    def pixels(self) -> tuple[int, int]:
        return round(self.width * self.scale), round(self.height * self.scale)


# 16:9, 1920×1080 pixels. On a slide 10 inches wide the template's 14 px text is about 12.5 pt.
SLIDE = PictureSize(800, 450, 2.4)
# A4's text width (15.5 cm): the template's 14 px text is about 10 pt, as in a printed report; the picture is drawn
# without its title, which its caption says.
DOCUMENT = PictureSize(640, 360, 2.5)  # 8.7 cm tall: two figures and their captions fit a page

PictureMaker = Callable[[go.Figure, PictureSize], bytes]  # ``png``, or a stand-in in tests


def figure_title(fig: go.Figure) -> str:
    return fig.layout.title.text or ""


def file_stem(title: str) -> str:
    """「2025年1—10月 各类别参与人次」 → 「2025年1-10月_各类别参与人次」: safe on Windows, no spaces."""
    text = title.replace("—", "-").replace("–", "-").replace("→", "-")
    text = re.sub(r'[\\/:*?"<>|\r\n\t]+', "", text)
    text = re.sub(r"[\s　]+", "_", text.strip())
    return text or "图表"


def camera_options(fig: go.Figure) -> dict[str, object]:
    """The plotly toolbar camera's options: a PNG at twice the screen's pixels, named after the chart's title."""
    return {"format": "png", "filename": file_stem(figure_title(fig)), "scale": 2}


def for_export(fig: go.Figure, size: PictureSize) -> go.Figure:
    """A copy laid out at ``size``: white, the title inside; a chart taller than the box keeps some of its height.

    An axis of names is declared one: plotly.js guesses an axis's type from its first trace, and a legend's
    stand-in trace (``x=[None]``) first makes it guess numbers and draw no bars at all.
    """
    height = max(size.height, min(int(fig.layout.height or size.height), round(size.height * 1.3)))
    exported = go.Figure(fig)
    exported.update_layout(width=size.width, height=height, paper_bgcolor="white", plot_bgcolor="white")
    for axis, key in (("xaxis", "x"), ("yaxis", "y")):
        named = any(isinstance(v, str) for trace in exported.data for v in (getattr(trace, key, None) or ()))
        if named and exported.layout[axis].type is None:
            exported.layout[axis].type = "category"
    return exported


# -- is there a browser and a Chinese font? ------------------------------------------------------------------------


def _executable(path: str | None) -> bool:
    return bool(path) and Path(path).is_file() and os.access(path, os.X_OK)


def find_browser() -> str | None:
    """The Chromium or Chrome kaleido would use: ``BROWSER_PATH`` if set, else one installed on this machine.

    Looks only (PATH, the usual install paths, a copy choreographer downloaded earlier); never downloads.
    """
    configured = os.environ.get(BROWSER_VARIABLE)
    if configured:
        return configured if _executable(configured) else None
    from choreographer.browsers.chromium import Chromium

    found = Chromium.find_browser(skip_local=False)
    return found if _executable(found) else None


def cjk_fonts() -> list[str]:
    """The font families with Chinese coverage, as fontconfig lists them (``fc-list :lang=zh``)."""
    if shutil.which("fc-list") is None:
        return []
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    return sorted({name.strip() for line in listed.splitlines() for name in line.split(",") if name.strip()})


@dataclass(frozen=True)
class Availability:
    browser: str | None
    fonts: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.browser is not None and bool(self.fonts)

    @property
    def message(self) -> str:
        """What is missing, in Chinese, for the page and the command line; empty when nothing is."""
        missing = []
        if self.browser is None:
            configured = os.environ.get(BROWSER_VARIABLE)
            missing.append(
                f"环境变量 {BROWSER_VARIABLE} 指向的浏览器不存在（{configured}）"
                if configured
                else "服务器上没有安装 Chromium 或 Chrome 浏览器"
            )
        if not self.fonts:
            missing.append("服务器上没有中文字体（如 fonts-noto-cjk）")
        if not missing:
            return ""
        return f"{'，'.join(missing)}，无法在服务器上生成图表图片。请系统管理员运行 scripts/setup.sh 安装。"


def availability() -> Availability:
    return Availability(find_browser(), tuple(cjk_fonts()))


# -- the renderer --------------------------------------------------------------------------------------------------


@dataclass
class _Renderer:
    started: bool = False
    warming: bool = False  # a helper thread is starting it
    broken: str = ""  # why it cannot be used any more, once it has failed


_LOCK = threading.Lock()  # one export at a time in this process (kaleido issue #444)
_renderer = _Renderer()
_cache: OrderedDict[str, bytes] = OrderedDict()


def _with_deadline(function: Callable[[], bytes | None], seconds: float) -> bytes | None:
    """Run ``function`` on a helper thread; a browser that never answers must not hold the lock for ever.

    kaleido's sync server waits without a limit for a browser that died while starting.
    """
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = function()
        except Exception as exc:  # noqa: BLE001 - raised again on the caller's thread below
            outcome["error"] = exc

    helper = threading.Thread(target=run, name="lingyi-render", daemon=True)
    helper.start()
    helper.join(seconds)
    if helper.is_alive():
        _renderer.broken = f"浏览器在 {seconds:.0f} 秒内没有响应"
        raise RenderingUnavailable(f"生成图片失败：{_renderer.broken}。请联系系统管理员重启服务。")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _start_locked() -> None:
    if _renderer.broken:
        raise RenderingUnavailable(f"生成图片失败：{_renderer.broken}。请联系系统管理员重启服务。")
    if _renderer.started:
        return
    found = availability()
    if not found.ok:
        raise RenderingUnavailable(found.message)
    import kaleido

    # The first picture starts the browser: a browser that cannot start shows here, not in someone's export.
    blank = go.Figure(layout={"width": 100, "height": 60})
    failure: Exception | None = None
    for _attempt in range(START_ATTEMPTS):
        kaleido.start_sync_server(
            n=1,
            timeout=RENDER_TIMEOUT,
            mathjax=False,
            plotlyjs=str(PLOTLY_JS),
            path=found.browser,
            silence_warnings=True,
        )
        try:
            _with_deadline(lambda: kaleido.calc_fig_sync(blank, opts={"format": "png"}), CALL_DEADLINE)
        except RenderingUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - tried again with a new browser, then said once below
            failure = exc
            with contextlib.suppress(Exception):
                kaleido.stop_sync_server(silence_warnings=True)
            continue
        _renderer.started = True
        return
    _renderer.broken = f"浏览器无法启动（{type(failure).__name__}: {failure}）"
    raise RenderingUnavailable(f"生成图片失败：{_renderer.broken}。请联系系统管理员。") from failure


def start() -> None:
    """Start the browser now (it is started on first use otherwise); raises ``RenderingUnavailable``."""
    with _LOCK:
        _start_locked()


def start_in_background() -> None:
    """Start the browser on a helper thread, so the first export does not wait for it; errors wait for that export."""
    if _renderer.started or _renderer.broken or _renderer.warming:
        return
    _renderer.warming = True

    def warm() -> None:
        try:
            with contextlib.suppress(LingyiError):  # said again, to the person asking, by the export that needs it
                start()
        finally:
            _renderer.warming = False

    threading.Thread(target=warm, name="lingyi-render-start", daemon=True).start()


def stop() -> None:
    """Close the browser (it is closed on exit otherwise)."""
    with _LOCK:
        if _renderer.started:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            _renderer.started = False


def _export(fig: go.Figure, size: PictureSize, fmt: str) -> bytes:
    exported = for_export(fig, size)
    scale = size.scale if fmt == "png" else 1
    key = hashlib.sha256(f"{fmt}|{scale}|{exported.to_json()}".encode()).hexdigest()
    with _LOCK:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        _start_locked()
        import kaleido

        opts = {"format": fmt, "width": size.width, "height": exported.layout.height, "scale": scale}
        picture = _with_deadline(lambda: kaleido.calc_fig_sync(exported, opts=opts), CALL_DEADLINE)
        if isinstance(picture, str):
            picture = picture.encode()
        _cache[key] = picture
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
        return picture


def clear_cache() -> None:
    """Forget the pictures made so far (the next export draws each chart afresh)."""
    with _LOCK:
        _cache.clear()


def png(fig: go.Figure, size: PictureSize = SLIDE) -> bytes:
    """The figure as a PNG of ``size.pixels`` (taller for a tall chart); raises ``RenderingUnavailable``."""
    return _export(fig, size, "png")


def svg(fig: go.Figure, size: PictureSize = SLIDE) -> bytes:
    """The figure as SVG, its text as text (fonts named, not embedded)."""
    return _export(fig, size, "svg")


# -- editable office charts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    colors: tuple[str | None, ...]  # one per category, "#RRGGBB"; None leaves the office program's colour
    labels: bool  # values written on the bars
    hatched: bool = False  # the figure draws it with a pattern (个性指标 beside 共性指标)
    labels_inside: bool = False  # the values written inside the bars' ends, not beyond them
    legend_color: str | None = None  # the swatch of a series whose bars take their category's colour


@dataclass(frozen=True)
class NativeChart:
    """A figure as an office program would draw it: bars or lines over categories, one value axis."""

    kind: str  # "column" (vertical bars), "bar" (horizontal bars, first category on top) or "line"
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    number_format: str  # Excel's: "#,##0", "0.00%", "+0.00"
    stacked: bool = False
    target: tuple[float, str] | None = None  # a dashed line at this value, and its name in the legend
    value_range: tuple[float | None, float | None] = (None, None)
    value_axis: bool = True  # False where the figure shows only labels on the bars


_SUBPLOT_AXIS = re.compile(r"^[xy]axis\d+$")


def native_chart(fig: go.Figure) -> NativeChart | None:
    """The figure as an editable chart, or None where an office chart cannot say the same (subplots, funnels,
    a second value axis, lines and bars together)."""
    layout = fig.layout.to_plotly_json()
    if any(_SUBPLOT_AXIS.match(key) for key in layout):
        return None
    traces = [t.to_plotly_json() for t in fig.data]
    drawn = [t for t in traces if any(v is not None for v in t.get("x" if t.get("orientation") == "h" else "y") or ())]
    if not drawn or {t["type"] for t in drawn} - {"bar", "scatter"} or len({t["type"] for t in drawn}) > 1:
        return None
    kind = "line" if drawn[0]["type"] == "scatter" else ("bar" if drawn[0].get("orientation") == "h" else "column")
    if len({t.get("orientation") for t in drawn}) > 1:
        return None
    horizontal = kind == "bar"
    category_key, value_key = ("y", "x") if horizontal else ("x", "y")
    categories: list[str] = []
    for trace in drawn:
        categories.extend(str(c) for c in trace.get(category_key) or () if str(c) not in categories)
    # A legend stand-in (a bar drawn nowhere, 「上年同期」 in grey) gives the swatch of the bars of its name.
    swatches = {
        str(t.get("name")): hex_color((t.get("marker") or {}).get("color"))
        for t in traces
        if t not in drawn and t["type"] == "bar" and isinstance((t.get("marker") or {}).get("color"), str)
    }
    series = []
    for trace in drawn:
        values = dict(zip((str(c) for c in trace.get(category_key) or ()), trace.get(value_key) or ()))
        series.append(
            Series(
                name=str(trace.get("name") or "") or _what(layout),
                values=tuple(_number(values.get(c)) for c in categories),
                colors=_colors(trace, categories),
                labels=any(str(t).strip() for t in _as_list(trace.get("text"))),
                hatched=bool(((trace.get("marker") or {}).get("pattern") or {}).get("shape")),
                labels_inside=trace.get("textposition") == "inside",
                legend_color=swatches.get(str(trace.get("name"))),
            )
        )
    value_axis = layout.get("xaxis" if horizontal else "yaxis") or {}
    low, high = (value_axis.get("range") or (None, None))[:2]
    if low is None and value_axis.get("rangemode") == "tozero":
        low = 0.0
    # An office chart has no free text over its plot: a group marked 「尚无报送」 says so in its category name.
    silent = {
        str(a.get("y" if horizontal else "x")) for a in layout.get("annotations") or () if a.get("text") == NOT_REPORTED
    }
    return NativeChart(
        kind=kind,
        title=str((layout.get("title") or {}).get("text") or ""),
        categories=tuple(f"{c}（{NOT_REPORTED}）" if c in silent else c for c in categories),
        series=tuple(series),
        number_format=_number_format(value_axis, series),
        stacked=layout.get("barmode") == "stack",
        target=_target(layout, traces),
        value_range=(low, high),
        value_axis=value_axis.get("showticklabels", True) is not False,
    )


def _what(layout: dict) -> str:
    """A series the figure leaves unnamed takes the chart's subject: 「各类别问题化解率」 of 「截至… 各类别问题化解率」."""
    title = str((layout.get("title") or {}).get("text") or "")
    return title.split(" ", 1)[-1] or "数值"


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _number(value: object) -> float | None:
    return None if value is None else float(value)


def hex_color(color: object) -> str | None:
    """A plotly colour as "#RRGGBB": "#A93226" as it is, "rgba(169,50,38,0.35)" mixed onto white."""
    if not isinstance(color, str):
        return None
    if re.fullmatch(r"#[0-9A-Fa-f]{6}", color):
        return color.upper()
    found = re.fullmatch(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)", color)
    if not found:
        return None
    alpha = float(found.group(4)) if found.group(4) else 1.0
    channels = (round(int(found.group(i)) * alpha + 255 * (1 - alpha)) for i in (1, 2, 3))
    return "#" + "".join(f"{c:02X}" for c in channels)


def _colors(trace: dict, categories: list[str]) -> tuple[str | None, ...]:
    color = (
        (trace.get("marker") or {}).get("color") if trace["type"] == "bar" else (trace.get("line") or {}).get("color")
    )
    if isinstance(color, list | tuple):
        by_category = dict(zip((str(c) for c in trace.get("y" if trace.get("orientation") == "h" else "x")), color))
        return tuple(hex_color(by_category.get(c)) for c in categories)
    return tuple(hex_color(color) for _ in categories)


def _number_format(axis: dict, series: list[Series]) -> str:
    tickformat, suffix = str(axis.get("tickformat") or ""), str(axis.get("ticksuffix") or "")
    signed = tickformat.startswith("+")
    if "%" in tickformat:
        return "+0.00%;-0.00%;0.00%" if signed else "0.00%"
    if "百分点" in suffix or signed:
        return "+0.00;-0.00;0.00"
    whole = all(v is None or float(v).is_integer() for s in series for v in s.values)
    return "#,##0" if whole else "#,##0.00"


def _target(layout: dict, traces: list[dict]) -> tuple[float, str] | None:
    """The dashed target line across the plot (``blocks.target_line``): its value and its legend's name."""
    values = []
    for shape in layout.get("shapes") or ():
        if shape.get("type") != "line" or (shape.get("line") or {}).get("dash") != "dash":
            continue
        if shape.get("y0") == shape.get("y1") and "domain" in str(shape.get("xref", "")):
            values.append(float(shape["y0"]))  # across vertical bars
        elif shape.get("x0") == shape.get("x1") and "domain" in str(shape.get("yref", "")):
            values.append(float(shape["x0"]))  # across horizontal bars
    if len(values) != 1:
        return None
    names = [
        t.get("name") for t in traces if t["type"] == "scatter" and not any(v is not None for v in t.get("y") or ())
    ]
    return values[0], str(names[0]) if names else f"目标 {values[0]:g}"
