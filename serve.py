"""Serve the dashboard: ``streamlit run serve.py`` (scripts/start.sh does).

app.py is the dashboard; this is the server it runs in. ``st.App`` is Streamlit's own server (Starlette) with one
route of ours added, where the browser that signed in takes its HttpOnly session cookie (lingyi/web.py), so a reload
or a second tab stays signed in. ``streamlit run app.py`` still runs the dashboard, without that route: there a
reload asks for the sign-in again.
"""

import streamlit as st

from lingyi import web

app = st.App("app.py", routes=web.routes(st.get_option("server.baseUrlPath")))
