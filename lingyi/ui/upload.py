"""The upload desk (数据上传): templates, each file checked once with its verdict and rows, storing, what it did."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator

import streamlit as st

from lingyi.errors import LingyiError
from lingyi.intake import desk, templates, ticket_files, tickets
from lingyi.registry import Registry
from lingyi.store import Store
from lingyi.ui.data import data_changed
from lingyi.ui.filters import unit_label
from lingyi.ui.sign_in import bound_unit
from lingyi.ui.state import DEBUG_VARIABLE
from lingyi.ui.tables import data_table, findings_table
from lingyi.ui.writes import desk_message
from lingyi.workbooks import XLSX_MIME

LOG = logging.getLogger(__name__)

_UPLOAD_CHECKS = "_lingyi_upload_checks"  # (name, digest, period, unit, data version) → CheckedFile
_UPLOAD_RESULTS = "_lingyi_upload_results"  # what the last 全部入库 did, shown after the rerun
UPLOAD_UNIT_PREFIX = "upload_unit_"  # + a file's digest: the unit picked for a file that names none
PREVIEW_ROWS = 200
_VERDICT_ICONS = {
    "可入库": ":material/check_circle:",
    "待确认": ":material/published_with_changes:",
    "有错误": ":material/error:",
    "无变化": ":material/do_not_disturb_on:",
}
_PREVIEW_COLUMNS = {"行号": st.column_config.NumberColumn("行号", format="%d", width=56)}


# Streamlit's file uploader speaks English (「Upload」, 「50MB per file • CSV, XLSX」) and takes no words of ours
# (streamlit/streamlit#13500): they are replaced in place with CSS. Should an upgrade rename these elements, the
# English shows again and nothing else changes.
_UPLOADER_WORDS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "选择文件"; font-size: 1rem;
}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "或把文件拖到这里 · 每个文件不超过 {megabytes} MB"; font-size: 0.875rem;
}}
</style>"""


def uploader_in_chinese() -> None:
    """The file uploaders of this page say 选择文件 and 或把文件拖到这里 instead of Streamlit's English."""
    st.html(_UPLOADER_WORDS.format(megabytes=st.get_option("server.maxUploadSize")))


def template_downloads(registry: Registry) -> None:
    """The blank templates, generated from the contract when a button is pressed."""
    with st.expander("下载填报模板（发给各单位）", icon=":material/download:"):
        st.caption(
            "模板按报表规范生成：第一页是填报说明和填写示例；带 * 的列必填；单位名称、活动形式、整改状态等可从下拉列表选择。"
        )
        buttons = st.columns(len(templates.SHEET_KINDS) + 1)
        buttons[0].download_button(
            "四表合一",
            data=lambda: templates.combined_template(registry),
            file_name=templates.template_file_name(),
            mime=XLSX_MIME,
            icon=":material/table_view:",
            on_click="ignore",
            key="template_all",
            width="stretch",
        )
        for button, kind in zip(buttons[1:], templates.SHEET_KINDS, strict=True):
            button.download_button(
                kind.name,
                data=lambda kind=kind: templates.kind_template(kind.key, registry),
                file_name=templates.template_file_name(kind),
                mime=XLSX_MIME,
                icon=":material/description:",
                on_click="ignore",
                key=f"template_{kind.key}",
                width="stretch",
            )


def _upload_unit_key(digest: str) -> str:
    return f"{UPLOAD_UNIT_PREFIX}{digest[:16]}"


def checked_uploads(uploads: list, opened: Store, registry: Registry, period) -> list[desk.CheckedFile]:
    """Each uploaded file checked once (again only when the store, the period or its unit changes), with a progress bar."""
    cache: dict = st.session_state.get(_UPLOAD_CHECKS, {})
    version = opened.data_stamp()
    files = [(upload.name, upload.getvalue()) for upload in uploads]
    keys = []
    for name, data in files:
        digest = desk.digest(data)
        keys.append((name, digest, period, st.session_state.get(_upload_unit_key(digest)), version))
    todo = [i for i, key in enumerate(keys) if key not in cache]
    if todo:
        bar = st.progress(0.0, text="正在读取并检查文件…")
        for done, i in enumerate(todo, start=1):
            name, data = files[i]
            prefix = f"正在读取并检查「{name}」（{done}/{len(todo)}）"
            bar.progress((done - 1) / len(todo), text=f"{prefix}…")

            def moved(fraction: float, text: str, done=done, prefix=prefix) -> None:  # a big ticket export
                bar.progress((done - 1 + fraction) / len(todo), text=f"{prefix}：{text}")

            with ticket_files.reporting(moved):
                cache[keys[i]] = _check_one(name, data, opened, registry, period, keys[i][3])
        bar.empty()
    st.session_state[_UPLOAD_CHECKS] = {key: cache[key] for key in keys}
    return [cache[key] for key in keys]


def _check_one(name: str, data: bytes, opened: Store, registry: Registry, period, unit: str | None) -> desk.CheckedFile:
    """One file's verdict; a file that breaks the checker is reported as not checkable, not as a broken page."""
    try:
        return desk.check_upload(
            data, name, registry=registry, store=opened, period=period, unit=unit, only_unit=bound_unit()
        )
    except LingyiError:
        raise
    except Exception as exc:
        if os.environ.get(DEBUG_VARIABLE):
            raise
        LOG.exception("checking %s failed", name)
        return desk.unreadable(data, name, type(exc).__name__)


def checked_file(file: desk.CheckedFile, registry: Registry) -> None:
    """One file's verdict: counts, a unit picker where the file names none, errors, warnings, the parsed rows."""
    label = f"{file.name} — {file.verdict.value}"
    if file.counts_text:
        label += f" · {file.counts_text}"
    if file.warnings:
        label += f" · {len(file.warnings)} 条提示"
    expanded = file.verdict in (desk.Verdict.ERRORS, desk.Verdict.HELD)
    with st.expander(label, icon=_VERDICT_ICONS[file.verdict.value], expanded=expanded):
        if file.verdict is desk.Verdict.UNCHANGED:
            st.info(file.message, icon=":material/do_not_disturb_on:")
            return
        for note in file.batch_notes:
            st.warning(note, icon=":material/content_copy:")
        replacement_notice(file)
        if file.needs_unit:
            st.selectbox(
                "这个文件没有写明单位，请选择它所属的单位",
                [unit.name for unit in registry.units],
                index=None,
                format_func=unit_label(registry),
                key=_upload_unit_key(file.digest),
                placeholder="输入单位简称、全称或别名",
                help="文件中没有「单位名称」列，也没有「填报单位：××」一行；选择后按所选单位重新检查。",
            )
        previews = file.previews()
        sections = []
        if file.errors:
            sections.append(f"错误（{len(file.errors)}）")
        if file.comparison is not None and not file.comparison.empty:
            sections.append(f"工单与报表对照（{len(file.comparison)}）")
        if file.warnings:
            sections.append(f"提示（{len(file.warnings)}）")
        if previews:
            sections.append("数据预览")
        tabs = dict(zip(sections, st.tabs(sections), strict=True))
        for title, tab in tabs.items():
            with tab:
                if title.startswith("错误"):
                    st.error(
                        f"{len(file.errors)} 处错误，整个文件不会入库。请按下表修改，或把错误清单、标注文件发回单位。",
                        icon=":material/error:",
                    )
                    findings_table(file.error_table())
                    _feedback_downloads(file)
                elif title.startswith("工单与报表对照"):
                    st.caption(
                        "同一单位、同一月份，12345 工单算出的数字与单位报表填报的不同；「统计采用」按热线数据来源设置。"
                    )
                    data_table(file.comparison, hide_index=True)
                elif title.startswith("提示"):
                    st.caption("提示不影响入库，请核对。")
                    findings_table(file.warning_table())
                else:
                    for caption, frame in previews:
                        shown = f"（仅显示前 {PREVIEW_ROWS} 行）" if len(frame) > PREVIEW_ROWS else ""
                        st.caption(caption + shown)
                        data_table(frame.head(PREVIEW_ROWS), hide_index=True, column_config=_PREVIEW_COLUMNS)


def replacement_notice(file: desk.CheckedFile) -> None:
    """What the file replaces, before anything is stored; a file 待确认 asks the analyst to confirm it (spec §4)."""
    if not file.replacements:
        return
    lines = "\n".join(f"- {line}" for r in file.replacements for line in r.lines())
    if file.verdict is desk.Verdict.HELD:
        st.warning(
            f"**入库前请核对**：{file.held_reason}。确认无误后勾选下方选项，再点「全部入库」。\n\n{lines}",
            icon=":material/published_with_changes:",
        )
        st.checkbox("我已核对，确认用这个文件替换上述报送", key=_confirm_key(file.digest))
    else:
        st.info(f"入库后将替换已有的报送：\n\n{lines}", icon=":material/published_with_changes:")


def _confirm_key(digest: str) -> str:
    return f"upload_confirm_{digest[:16]}"


def confirmed_replacements(files: list[desk.CheckedFile]) -> frozenset[str]:
    """The digests of the files 待确认 whose replacements the analyst has confirmed."""
    return frozenset(
        f.digest for f in files if f.verdict is desk.Verdict.HELD and st.session_state.get(_confirm_key(f.digest))
    )


def _feedback_downloads(file: desk.CheckedFile) -> None:
    left, right = st.columns(2)
    left.download_button(
        "下载错误清单",
        data=file.error_list,
        file_name=file.error_list_name,
        mime=XLSX_MIME,
        icon=":material/list_alt:",
        on_click="ignore",
        key=f"error_list_{file.digest[:16]}",
        width="stretch",
    )
    marked = file.marked
    if marked is None and file.is_ticket_export:
        right.caption("12345 工单导出不另做标注文件：错误清单逐条列出了工作表、行号和列。")
        return
    if marked is None:
        right.caption("文件未能读取（已拒绝或无法打开），不生成标注文件；请把错误清单发回单位。")
        return
    right.download_button(
        "下载标注了错误的原文件",
        data=marked.data,
        file_name=marked.name,
        mime=marked.mime,
        icon=":material/format_color_fill:",
        on_click="ignore",
        key=f"marked_{file.digest[:16]}",
        width="stretch",
        help="单位原文件中出错的单元格标红并加批注，首页列出全部错误。",
    )


@contextlib.contextmanager
def ticket_progress(text: str) -> Iterator[None]:
    """A progress bar for the ticket exports read inside (storing re-reads each file); gone afterwards."""
    bar = st.progress(0.0, text=text)
    with ticket_files.reporting(lambda fraction, said: bar.progress(fraction, text=f"{text}{said}")):
        yield
    bar.empty()


HOTLINE_SOURCE = "upload_hotline_source"


def hotline_source_setting(opened: Store, user: str) -> None:
    """Which figures count where a unit's 热线指标 return and its 12345 tickets give the same month."""
    sources = desk.hotline_sources()
    current = opened.hotline_source()
    chosen = st.selectbox(
        "热线数据来源（单位报表与12345工单不一致时）",
        list(sources),
        index=list(sources).index(current),
        format_func=sources.get,
        key=HOTLINE_SOURCE,
        help="同一单位同一月份既有单位填报的热线指标、又有12345工单算出的数字时，统计用哪一个。更改后全部页面随之更新，并记入操作日志。",
    )
    if chosen != current:
        opened.set_hotline_source(chosen, user=user)
        desk_message("success", f"热线数据来源已改为「{sources[chosen]}」。")


def upload_stored(results: list[desk.IngestResult]) -> None:
    """After 全部入库: forget cached reads, keep what happened for the next run, and run again."""
    st.session_state[_UPLOAD_RESULTS] = results
    data_changed()
    st.rerun()


def upload_results() -> None:
    """What the last 全部入库 did, file by file."""
    results = st.session_state.pop(_UPLOAD_RESULTS, None)
    if not results:
        return
    done = desk.outcomes(results)
    accepted = done[desk.Outcome.ACCEPTED]
    if accepted:
        # The tickets of an export are what its 热线指标 rows were worked out from, not rows stored beside them.
        rows = sum(n for r in accepted for kind, n in r.counts.items() if kind != tickets.TICKETS_NAME)
        lines = "\n".join(
            f"- {r.file}：{'、'.join(f'{k} {n:,} 行' for k, n in r.counts.items())}"
            + "".join(f"；{note}" for note in r.batch_notes)
            + "".join(f"；{rep.summary.replace('将替换', '已替换')}（{rep.unit}）" for rep in r.replacements)
            for r in accepted
        )
        st.success(f"已入库 {len(accepted)} 个文件，共 {rows:,} 行：\n{lines}", icon=":material/task_alt:")
    for result in done[desk.Outcome.UNCHANGED]:
        st.info(f"{result.file}：{result.message}", icon=":material/do_not_disturb_on:")
    for result in done[desk.Outcome.REJECTED]:
        st.error(f"{result.file}：入库时发现 {len(result.errors)} 处错误，未入库。", icon=":material/error:")
