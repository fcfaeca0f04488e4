"""One Voice: the app a coordinator opens before a commissioners' meeting.

This script only sets up navigation. Each page in ``pages/`` starts with
``ui.sidebar.current()`` (the shared filters, kept in the URL) and renders
figures from ``metrics/``. Run it with ``python -m streamlit run dashboard.py``.
"""

from pathlib import Path

import streamlit as st

from store.db import DatabaseBusy
from ui.sidebar import PAGE_CONFIG

st.set_page_config(**PAGE_CONFIG)
pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/income.py", title="Income", icon=":material/payments:"),
    st.Page("pages/workforce.py", title="Workforce", icon=":material/groups:"),
    st.Page("pages/capacity.py", title="Capacity", icon=":material/bed:"),
    st.Page("pages/activity.py", title="Activity", icon=":material/volunteer_activism:"),
    st.Page("pages/members.py", title="Members", icon=":material/compare_arrows:"),
    st.Page("pages/data.py", title="Data", icon=":material/upload_file:"),
]
if (Path(__file__).parent / "pages" / "export.py").exists():
    pages.append(st.Page("pages/export.py", title="Export", icon=":material/download:"))

page = st.navigation(pages)
try:
    page.run()
except DatabaseBusy as busy:
    st.error(str(busy), icon=":material/hourglass_top:")
