"""数据上传: drop the month's returns (or a 12345 ticket export) at once, see each file's verdict and rows, store the
good ones in one click."""

import streamlit as st

from lingyi.access import auth
from lingyi.intake import desk
from lingyi.ui import busy, data, frame, upload, writes
from lingyi.values import BadValue, parse_period

FILES = "upload_files"
PERIOD = "upload_period"
STORE_ALL = "upload_store_all"

user = frame.desk_page("数据上传", auth.Permission.UPLOAD)
st.caption(
    "一次可选择或拖入多个报表文件。系统先逐个检查并预览，确认后一键入库；有错误的文件整份不入库，可下载错误清单发回单位修改。"
    "12345 平台导出的工单明细也可直接上传，系统按工单算出各单位每月的热线指标。"
)
store = data.store()
registry = store.registry()
upload.template_downloads(registry)

files_column, options_column = st.columns([3, 1])
upload.uploader_in_chinese()
uploads = files_column.file_uploader(
    "报表文件（.xlsx .xlsm .xls .ods .csv）", type=desk.UPLOAD_SUFFIXES, accept_multiple_files=True, key=FILES
)
period_text = options_column.text_input(
    "报送期间（可选）",
    key=PERIOD,
    placeholder="如 2025年10月",
    help="填写后，所有文件按此期间入库，超出期间的数据行报错。",
)
if user.unit:
    options_column.caption(f"本账号报送「{user.unit}」的数据；含其他单位数据的文件不会入库。")
else:
    with options_column:
        upload.hotline_source_setting(store, user.name)
try:
    period = parse_period(period_text) if period_text.strip() else None
except BadValue as problem:
    st.error(f"报送期间「{period_text}」无法识别：{problem}", icon=":material/event_busy:")
    st.stop()

writes.show_desk_message()
upload.upload_results()
if not uploads:
    st.info(
        "请选择或拖入各单位报送的报表文件，可一次选择多个。还没有模板？请先下载上方的填报模板发给各单位。",
        icon=":material/upload_file:",
    )
    st.stop()

checked = upload.checked_uploads(uploads, store, registry, period)
desk.note_same_upload(checked)
confirmed = upload.confirmed_replacements(checked)
counts = desk.verdict_counts(checked)
ready, held, failing, unchanged = (counts[v] for v in desk.Verdict)
shown = (("文件", len(checked)), ("可入库", ready), ("待确认", held), ("有错误", failing), ("无变化", unchanged))
for column, (label, number) in zip(st.columns(5), shown):
    column.metric(label, f"{number} 个", border=True)
ready += len(confirmed)
if st.button(
    f"全部入库（{ready} 个可入库文件）",
    type="primary",
    icon=":material/database_upload:",
    disabled=not ready,
    key=STORE_ALL,
):
    with st.spinner("正在入库…"), upload.ticket_progress("正在入库："), busy.said_while_waiting():
        results = desk.ingest_ready(
            store, checked, registry=registry, period=period, user=user.name, only_unit=user.unit, confirmed=confirmed
        )
    upload.upload_stored(results)
if held > len(confirmed):
    st.caption(f"待确认的 {held - len(confirmed)} 个文件会替换较多已有报送或减少行数，展开核对并勾选确认后才会入库。")
if failing:
    st.caption(f"有错误的 {failing} 个文件不会入库：展开查看错误，下载错误清单或标注了错误的原文件发回单位修改。")

for file in checked:
    upload.checked_file(file, registry)
