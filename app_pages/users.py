"""Users: who may sign in and in what role, what each member agrees to share, and the audit log.

For coordinators only (``dashboard.py`` shows this page to no one else).
"""

from functools import partial

import pandas as pd
import streamlit as st

from common.words import markdown_safe
from exports.csv_safe import to_csv
from store import db, users
from ui import access, cached, records

who = access.person()
st.title("Users")
records.message()
if not who.is_coordinator:  # never reached through the navigation; a guard all the same
    st.error("Only a coordinator manages users.")
    st.stop()
if not who.shared:
    st.info(
        "One Voice is running on this computer only, so nobody signs in yet. The users and choices below "
        "take effect when it is shared with the collaborative (see the README, 'Sharing it with your "
        "collaborative').",
        icon=":material/info:",
    )

st.header("Who may sign in")
people = cached.users_frame()
st.dataframe(
    people,
    hide_index=True,
    width="stretch",
    column_config={
        "email": "Email",
        "role": "Role",
        "member_code": "Member (for a member lead)",
        "added_at": st.column_config.DatetimeColumn("Added", format="D MMMM YYYY"),
    },
)
names = cached.names()
version = st.session_state.get("user_form_version", 0)
with st.form(f"user_form_{version}"):
    email = st.text_input("Email (the address they sign in with)")
    role = st.radio(
        "Role",
        users.ROLES,
        horizontal=True,
        format_func={"coordinator": "Coordinator", "member": "Member lead", "viewer": "Viewer"}.get,
        help="A coordinator does everything; a member lead loads its own member's returns; a viewer "
        "(commissioners, board members) sees the pages and exports.",
    )
    member = st.selectbox(
        "Member (for a member lead)", [None, *names], format_func=lambda c: "—" if c is None else names[c]
    )
    if st.form_submit_button("Add or change user"):
        try:
            with db.connect() as con, db.transaction(con):
                user = users.add(con, users.User(email, role, member), by=who.by)
        except (users.UserError, users.MemberError) as problem:
            st.error(markdown_safe(problem))
        else:
            st.session_state["user_form_version"] = version + 1
            records.done(f"{user.email} is a {user.role}" + (f" for {user.member}." if user.member else "."))
if not people.empty:
    leaving = st.selectbox("Remove a user", list(people["email"]), key="user_remove_pick")
    if st.button(f"Remove {markdown_safe(leaving)}", key="user_remove"):
        if leaving == who.email:
            st.error("You cannot remove yourself; another coordinator can.")
        else:
            with db.connect() as con, db.transaction(con):
                users.remove(con, leaving, by=who.by)
            records.done(f"{leaving} can no longer sign in.")

st.header("What each member agrees to share")
st.caption(
    "Whether each member's own figures may be shown by name. A member's figures always count in the "
    "combined figures; where a member is not shown, people see them only inside those."
)
choices = cached.sharing()
table = pd.DataFrame(
    [
        {"code": code, "member": names.get(code, code), "members": shown["members"], "viewers": shown["viewers"]}
        for code, shown in choices.items()
    ]
)
edited = st.data_editor(
    table,
    hide_index=True,
    width="stretch",
    disabled=["code", "member"],
    column_config={
        "code": "Code",
        "member": "Member",
        "members": st.column_config.CheckboxColumn("Shown to other members"),
        "viewers": st.column_config.CheckboxColumn("Shown to viewers (commissioners)"),
    },
    key="sharing_editor",
)
if st.button("Save what members agree to share", key="sharing_save"):
    changed = 0
    with db.connect() as con, db.transaction(con):
        for row in edited.itertuples(index=False):
            for audience in users.AUDIENCES:
                if bool(getattr(row, audience)) != choices[row.code][audience]:
                    users.share(con, row.code, audience, bool(getattr(row, audience)), by=who.by)
                    changed += 1
    records.done(f"Saved: {changed} choice(s) changed." if changed else "Nothing changed.")

st.header("Audit log")
st.caption(
    "Every sign-in, upload, withdrawal, restore, member, user and setting change and export; it cannot be changed here."
)
log = cached.audit_log()
st.dataframe(
    log.head(500),
    hide_index=True,
    width="stretch",
    height=320,
    column_config={
        "happened_at": st.column_config.DatetimeColumn("When", format="D MMMM YYYY, HH:mm"),
        "action": "What",
        "member_code": "Member",
        "detail": "Detail",
        "by_whom": "Who",
    },
)
st.download_button(
    "Download the whole log (CSV)",
    partial(to_csv, log),
    file_name="one-voice-audit-log.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
    key="audit_download",
)
