"""One Voice: the app a coordinator opens before a commissioners' meeting.

This script signs the person in (in a shared app, ``ui/access.py``), sets up the
navigation their role allows and draws what every page shares, once: the
sidebar's filters (kept in the URL), the demo notice and the database's state.
Each page in ``app_pages/`` then reads the view (``ui.sidebar.view()``) and
renders figures from ``metrics/``. Run it with ``python -m streamlit run dashboard.py``.

The folder is ``app_pages/``, not ``pages/``: Streamlit treats a folder named
``pages`` beside the entry script as its older multipage mode and runs a page's
file on its own, without this script, on a fresh server opened at a page's
address; no public setting turns that off.
"""

import streamlit as st

from store.db import DatabaseBusy
from ui import access, sidebar

st.set_page_config(page_title="One Voice", page_icon=":material/diversity_3:", layout="wide")
try:
    person = access.sign_in()  # in a shared app, the sign-in page until the person may go on
except DatabaseBusy as busy:
    st.error(str(busy), icon=":material/hourglass_top:")
    st.stop()
overview = st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True)
activity = st.Page("app_pages/activity.py", title="Activity", icon=":material/volunteer_activism:")
members = st.Page("app_pages/members.py", title="Members", icon=":material/compare_arrows:")
pages = [
    overview,
    st.Page("app_pages/income.py", title="Income", icon=":material/payments:"),
    st.Page("app_pages/workforce.py", title="Workforce", icon=":material/groups:"),
    st.Page("app_pages/capacity.py", title="Capacity", icon=":material/bed:"),
    activity,
    members,
    st.Page("app_pages/together.py", title="Together", icon=":material/handshake:"),
]
if person.loads_returns:  # viewers see the figures, not the returns behind them
    pages.append(st.Page("app_pages/data.py", title="Data", icon=":material/upload_file:"))
pages.append(st.Page("app_pages/export.py", title="Export", icon=":material/download:"))
if person.is_coordinator:
    pages.append(st.Page("app_pages/users.py", title="Users", icon=":material/manage_accounts:"))
page = st.navigation(pages)
try:
    # the age filter only where the page's figures have an age-group breakdown
    sidebar.draw(page.url_path, show_age=page.url_path in (activity.url_path, members.url_path))
    page.run()
except DatabaseBusy as busy:
    st.error(str(busy), icon=":material/hourglass_top:")
