"""The Streamlit room: what the pages and app.py share that touches Streamlit.

Its one rule: these modules are the only place in ``lingyi`` that imports streamlit (tests/test_meta.py keeps it
so). Each module holds one job, and a page names the ones it uses (``from lingyi.ui import cards, charts`` …
``cards.hotline_cards(...)``):

- ``state``: the session-state keys the modules share (the bound ones are also a link's query parameters) and
  the context of the page app.py is running;
- ``data``: the store and what is read from it, cached per data version and shared by every session;
- ``sign_in``: who is signed in, the sign-in page, the role's navigation, the account box;
- ``filters``: the sidebar filters and the ``Scope`` they make; a page's own pickers held in the URL;
- ``frame``: the page context and title; what a page says when the store is empty, a filter leaves nothing, or
  something breaks;
- ``cards``, ``charts``, ``tables``: number cards, charts that answer a click, searchable tables with a download;
- ``snapshots``: 会议版 on the pages; ``writes``: one write to the store and what it did;
- ``upload``, ``reporting``, ``manage``, ``admin``: the parts of 数据上传, 报送情况, 数据管理 and 系统管理.
"""
