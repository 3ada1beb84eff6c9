"""学习型机关建设数据看板: page config, the pages, the shared sidebar filters; every page runs inside.

Run with ``streamlit run app.py``. The store is LINGYI_DATABASE_URL, or data/lingyi.db by default.
A page is added with one line in ``PAGES``; a section without pages is not shown.
"""

import streamlit as st

from lingyi import ui

st.set_page_config(page_title="学习型机关建设数据看板", page_icon=ui.FAVICON, layout="wide")

PAGES = {
    "看板": [
        st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", url_path="overview", default=True),
        st.Page("pages/learning.py", title="学习活动", icon=":material/menu_book:", url_path="learning"),
        st.Page("pages/hotline.py", title="热线指标", icon=":material/support_agent:", url_path="hotline"),
        st.Page("pages/problems.py", title="问题化解", icon=":material/task_alt:", url_path="problems"),
        st.Page("pages/indicators.py", title="指标完成", icon=":material/flag:", url_path="indicators"),
        st.Page("pages/unit.py", title="单位画像", icon=":material/badge:", url_path="unit"),
    ],
    "数据": [
        st.Page("pages/upload.py", title="数据上传", icon=":material/upload_file:", url_path="upload"),
        st.Page("pages/completeness.py", title="报送情况", icon=":material/fact_check:", url_path="completeness"),
        st.Page("pages/manage.py", title="数据管理", icon=":material/manage_history:", url_path="manage"),
    ],
    "导出": [
        st.Page("pages/briefing.py", title="简报导出", icon=":material/slideshow:", url_path="briefing"),
    ],
}

page = st.navigation({section: pages for section, pages in PAGES.items() if pages})
with ui.friendly_errors(), ui.shared_filters(ui.dataset()):
    page.run()
