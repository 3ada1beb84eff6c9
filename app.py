"""学习型机关建设数据看板: page config, the pages, the shared sidebar filters; every page runs inside.

Run with ``streamlit run serve.py``: this app on Streamlit's server, with the session cookie that keeps a sign-in
across reloads, and Streamlit's own words in Chinese. The store is LINGYI_DATABASE_URL, or data/lingyi.db by
default. Whoever is not signed in sees the sign-in page only; the menu holds the pages the user's role allows
(lingyi/access/auth.py).
A page is added with one line in ``PAGES``; a section without pages is not shown.
"""

import streamlit as st

from lingyi.access import auth
from lingyi.ui import data, filters, frame, sign_in

st.set_page_config(page_title="学习型机关建设数据看板", page_icon=frame.FAVICON, layout="wide")

FIRST_PAGE = "overview"
PAGES = {
    "看板": [
        st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", url_path="home", default=True),
        # /overview, the overview's name in links (a fresh server's first run knows it by that): the same page, unlisted.
        st.Page(
            "pages/overview.py", title="总览", icon=":material/dashboard:", url_path=FIRST_PAGE, visibility="hidden"
        ),
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
    "管理": [
        st.Page("pages/admin.py", title="系统管理", icon=":material/admin_panel_settings:", url_path="admin"),
    ],
}

# What each page needs; the pages check it again themselves, so a hidden page is refused too, not just hidden.
PERMISSIONS = {
    "总览": auth.Permission.VIEW,
    "学习活动": auth.Permission.VIEW,
    "热线指标": auth.Permission.VIEW,
    "问题化解": auth.Permission.VIEW,
    "指标完成": auth.Permission.VIEW,
    "单位画像": auth.Permission.VIEW,
    "数据上传": auth.Permission.UPLOAD,
    "报送情况": auth.Permission.VIEW,
    "数据管理": auth.Permission.MANAGE,
    "简报导出": auth.Permission.EXPORT,
    "系统管理": auth.Permission.ADMIN,
}

# Any fault below, the database lost while signing in included, is a short Chinese message (frame.friendly_errors).
with frame.friendly_errors():
    user = sign_in.signed_in_user()
    if user is None:
        # The sign-in form answers at every page's address, and Streamlit knows a page by its address: once signed in,
        # a link to 热线指标 (with its filters) opens 热线指标, not the first page. The root is a page of its own: it
        # opens the first page of the role that signs in there (a 单位填报员's is 数据上传).
        addresses = dict.fromkeys(page.url_path or FIRST_PAGE for pages in PAGES.values() for page in pages)
        sign_in_pages = [
            st.Page(
                sign_in.sign_in_page, title="登录", icon=":material/login:", url_path=sign_in.START_PAGE, default=True
            ),
            *(
                st.Page(sign_in.sign_in_page, title="登录", icon=":material/login:", url_path=address)
                for address in addresses
            ),
        ]
        st.navigation(sign_in_pages, position="hidden").run()
        st.stop()

    # The menu holds the pages the role allows; any other page's address answers 「无权访问」 with links to those.
    page = st.navigation(sign_in.role_navigation(user, PAGES, PERMISSIONS, first=FIRST_PAGE))
    sign_in.account_box(user)
    with filters.shared_filters(data.dataset(), page.title):  # those the page uses: filters.SIDEBAR
        page.run()
