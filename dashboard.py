"""One Voice: the app a coordinator opens before a commissioners' meeting.

This script signs the person in (in a shared app, ``ui/access.py``), sets up the
navigation their role allows and draws what every page shares, once: the
sidebar's filters (kept in the URL), the demo notice and the database's state.
Each page in ``app_pages/`` then reads the view (``ui.sidebar.view()``) and
renders figures from ``metrics/``. Run it with ``python -m streamlit run dashboard.py``.

No traceback reaches a person: an error a person can act on (``common.errors``) is
shown as its message; any other is logged with its traceback beside the database
(``common.incidents``) and the page says only its reference.

The folder is ``app_pages/``, not ``pages/``: Streamlit treats a folder named
``pages`` beside the entry script as its older multipage mode and runs a page's
file on its own, without this script, on a fresh server opened at a page's
address; no public setting turns that off.
"""

import streamlit as st
from streamlit.errors import StreamlitAPIException

from common import incidents
from common.errors import OneVoiceError
from common.words import markdown_safe
from store import db
from store.db import DatabaseBusy
from ui import access, sidebar


def explain(error: Exception, where: str) -> None:
    """Say what went wrong in plain words; an unexpected error only by its reference (its traceback is logged)."""
    if isinstance(error, DatabaseBusy):
        st.error(markdown_safe(error), icon=":material/hourglass_top:")
    elif isinstance(error, OneVoiceError):
        st.error(markdown_safe(error), icon=":material/error:")
    elif type(error).__module__.startswith("streamlit") and not isinstance(error, StreamlitAPIException):
        raise error  # Streamlit's own signals (a fragment's handled error) are Streamlit's to handle
    elif st.get_option("client.showErrorDetails") in ("full", "stacktrace", True, "true", "True"):
        raise error  # someone running the app asked to see tracebacks (see .streamlit/config.toml)
    else:
        reference = incidents.record(error, incidents.log_folder(db.database_path()), where).reference
        st.error(
            f"Something went wrong on this page (reference {reference}). Tell your coordinator the reference; "
            "nothing was changed.",
            icon=":material/error:",
        )


st.set_page_config(page_title="One Voice", page_icon=":material/diversity_3:", layout="wide")
try:
    person = access.sign_in()  # in a shared app, the sign-in page until the person may go on
except Exception as error:
    explain(error, "signing in")
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
except Exception as error:
    explain(error, page.url_path or "overview")
