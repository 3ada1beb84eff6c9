"""Serve the dashboard: ``streamlit run serve.py`` (scripts/start.sh does).

app.py is the dashboard; this is the server it runs in. ``st.App`` is Streamlit's own server (Starlette) with two
additions of ours (lingyi/access/web.py): the route where the browser that signed in takes its HttpOnly session cookie, so
a reload or a second tab stays signed in, and a script in every page that puts Streamlit's own English in Chinese.
``streamlit run app.py`` still runs the dashboard without them: there a reload asks for the sign-in again.
"""

import streamlit as st

from lingyi.access import web

app = st.App("app.py", routes=web.routes(st.get_option("server.baseUrlPath")), middleware=web.middleware())
