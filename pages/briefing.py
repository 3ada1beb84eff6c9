"""简报导出: the current view's period and filters, the charts to include → PPT, Word 汇报材料, a ZIP of pictures;
the 会议版 of this view; the 往期简报 (every 月报 frozen by ``briefing --monthly``) with their files."""

import streamlit as st

from lingyi import metrics
from lingyi.access import auth
from lingyi.export import briefing, content, formats, narrative
from lingyi.figures import pictures
from lingyi.ui import archive, frame, sign_in, snapshots

TITLE, CHARTS = "briefing_title", "briefing_charts"  # this page's widgets

ds, scope = frame.page_context()
sign_in.require(auth.Permission.EXPORT)
frame.header("简报导出", scope)
shown = snapshots.shown_snapshot()  # a 会议版 is exported as frozen, labelled on every slide
if shown is None:
    st.caption("统计范围即左侧的筛选（年份、截至月份、单位类别、单位），与看板当前视图一致；需要其他范围请在左侧修改。")
title = st.text_input("标题", value=content.DEFAULT_TITLE, key=TITLE, max_chars=40)
charts = st.multiselect(
    "包含的图表（按所选顺序排列）",
    list(briefing.CATALOGUE),
    default=list(briefing.DEFAULT_CHARTS),
    format_func=lambda key: f"{content.THEMES[briefing.CATALOGUE[key].theme]}：{briefing.CATALOGUE[key].name}",
    key=CHARTS,
    placeholder="选择图表",
)
available = pictures.availability()
picture = pictures.png if available.ok else None
if available.ok:
    pictures.start_in_background()  # the first export then need not wait for the browser to start
else:
    st.warning(
        f"{available.message}\n\nPPT 中能做成可编辑图表的仍会生成（其余图表略去）；Word 与图片包暂不可用。"
        "看板各页图表右上角的相机按钮仍可下载单张图片。",
        icon=":material/hide_image:",
    )

with st.expander("简报文字预览", icon=":material/article:"):
    for paragraph in narrative.narrate(ds, scope):
        st.markdown(f"**{paragraph.heading}**　{paragraph.text}")

for name, note in zip(("学习活动", "12345热线"), metrics.like_for_like_notes(ds, scope).values(), strict=True):
    if note:
        st.warning(f"{name}：{note}。简报中的同比均已注明。", icon=":material/info:")
st.caption("点击下载后开始生成，需要几秒到十几秒。")
for column, fmt in zip(st.columns(len(formats.FORMATS)), formats.FORMATS.values(), strict=True):
    column.download_button(
        f"下载{fmt.label}",
        data=lambda fmt=fmt: fmt.write(briefing.build(ds, scope, charts=charts, title=title), picture=picture),
        file_name=f"{content.file_stem(scope, title)}{fmt.suffix}",
        mime=fmt.mime,
        icon=":material/download:",
        on_click="ignore",
        disabled=fmt.needs_pictures and not available.ok,
        key=f"briefing_{fmt.suffix[1:]}",
        width="stretch",
    )

st.subheader("会议版", anchor=False)
if shown is None:
    snapshots.freeze_form(scope)
else:
    snapshots.snapshot_comparison(shown)
    snapshots.snapshot_deletion(shown)

archive.monthly_archive(with_pictures=available.ok)  # 往期简报: the 月报 of ``briefing --monthly``
