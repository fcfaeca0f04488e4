"""One Voice: the app a coordinator opens before a commissioners' meeting.

This script only sets up the app: the page list, the shared sidebar filters and
the demo notice. Each page in ``pages/`` renders figures from ``metrics/``.
Run it with ``python -m streamlit run dashboard.py``.
"""

from pathlib import Path

import streamlit as st

from store.db import DatabaseBusy
from ui import cached, sidebar, welcome

AGE_PAGES = {"activity", "members"}      # pages whose figures have an age-group breakdown

st.set_page_config(page_title="One Voice", page_icon=":material/diversity_3:", layout="wide")

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
    cached.refresh()
    welcome.autoload_demo()
    sidebar.render(show_age=page.url_path in AGE_PAGES)
    welcome.demo_notice()
    page.run()
except DatabaseBusy as busy:
    st.error(str(busy), icon=":material/hourglass_top:")
