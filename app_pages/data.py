"""Data: upload returns, check what is in, restore earlier returns, keep the member registry.

A member lead (``ui.access``) sees only its own member's returns and template, and no registry or settings.
"""

import streamlit as st

from ui import access, backups, cycle, records, templates, upload

who = access.person()
st.title("Data")
records.message()

st.header("Upload returns")
st.caption(
    "Each file is checked whole: a file with any error is refused and nothing from it is stored. "
    "Warnings never stop a file. Sending a member's quarter again replaces the earlier return, "
    "which stays in the history below." + ("" if who.is_coordinator else f" You load returns for {who.member} only.")
)
upload.uploader()
upload.results()

if who.is_coordinator:
    st.header("This quarter")
    cycle.this_quarter()

st.header("Which returns are in")
cycle.state_grid_chart()

st.header("Submission history")
st.caption("Every file ever loaded, newest first. Choose one to download the original or make it current again.")
records.history()

if who.is_coordinator:
    st.header("Members")
    records.registry()

st.header("Blank return template")
st.caption("A workbook for one member and one quarter, with a sheet that explains every figure.")
records.template_download()
if who.is_coordinator:
    st.caption("Or every member's at once, each with its cover filled in, to send out at the start of a quarter.")
    templates.all_templates_download()

if who.is_coordinator:
    with st.expander("Settings"):
        records.collaborative_settings()
        st.caption("Targets, for the assurance of each figure's SPC chart (Making Data Count).")
        records.targets_form()
        backups.latest_backup_panel()
