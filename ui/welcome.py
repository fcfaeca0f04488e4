"""The demo collaborative and the first page of an empty database.

The app's own database (``data/onevoice.duckdb``) is filled with the demo
once, the first time it is opened empty, so a newcomer sees a working app. A
database named by ``ONEVOICE_DB`` is never filled unasked: empty, it shows a
welcome that offers the template, the upload and the demo.
"""

from __future__ import annotations

import streamlit as st

from common.words import markdown_safe
from loaders.demo import DemoRefused, load_demo
from store import db
from ui import cached, records, upload

TRIED = "demo_autoload_tried"


def autoload_demo() -> None:
    """Load the demo into the app's own database when it has no returns (once a session)."""
    if st.session_state.get(TRIED) or not db.is_default() or cached.quarters():
        return
    st.session_state[TRIED] = True
    try:
        with st.spinner("Setting up the demo collaborative (a few seconds, once)..."):
            load_demo()
    except DemoRefused:
        return  # real members are registered: their database is theirs
    cached.refresh()


def demo_notice() -> None:
    if cached.setting("demo") == "yes":
        st.info(
            "You are looking at demo data: an invented collaborative of five hospices with twelve "
            "quarters of returns. Every figure is made up. To use your own returns, point "
            "`ONEVOICE_DB` at a new database file and start the app again.",
            icon=":material/science:",
        )


def load_demo_button() -> None:
    if st.button("Load the demo collaborative", icon=":material/science:", key="load_demo"):
        try:
            with st.spinner("Loading five hospices and twelve quarters of returns..."):
                load_demo(cached.db_path())
        except DemoRefused as refused:
            st.error(markdown_safe(refused))
            return
        cached.refresh()
        st.rerun()


def first_page() -> None:
    """What an empty database shows: how to start, in three steps."""
    name = cached.setting("collaborative_name")
    st.title(f"Welcome to One Voice, {markdown_safe(name)}")
    st.markdown(
        "One Voice combines your members' quarterly returns into the figures commissioners ask "
        "for: income, workforce, capacity and the people you care for, together and member by member. "
        "No returns are loaded yet."
    )
    template, send, demo = st.columns(3, gap="large")
    with template:
        st.subheader("1. Send members the template")
        if cached.registry().empty:
            st.caption("First add your members (a code, a name, adult or children's) on the Data page.")
            st.page_link("app_pages/data.py", label="Add members on the Data page", icon=":material/group_add:")
        else:
            records.template_download(key="welcome")
    with send:
        st.subheader("2. Upload their returns")
        upload.uploader(key="welcome_returns")
        upload.results()
    with demo:
        st.subheader("Or look around first")
        st.caption("Load a fictional collaborative of five hospices with three years of returns.")
        load_demo_button()
