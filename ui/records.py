"""The Data page's records: completeness, submission history, the member registry, the template.

Every change goes through ``store`` in a short transaction, then the data
version is read again so every page shows the change at once.
"""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

import charts
from contract.periods import Period, quarter_index, quarter_label, split_index
from loaders.template import file_name, write_template
from store import db, members, settings, submissions
from ui import cached, show
from ui.view import View

MESSAGE = "records_message"


def _done(message: str) -> None:
    cached.refresh()
    st.session_state[MESSAGE] = message
    st.rerun()


def message() -> None:
    if st.session_state.get(MESSAGE):
        st.success(st.session_state.pop(MESSAGE), icon=":material/check_circle:")


def completeness_grid() -> None:
    """Member x quarter over every quarter with returns: in, missing or superseded."""
    quarters = cached.quarters()
    if not quarters:
        st.info("No returns loaded yet, so there is nothing to check.")
        return
    view = View(Period(quarters[0], quarters[-1]))
    grid = cached.completeness(view)
    missing = cached.coverage(view).returns_missing
    title = "Every return is in" if not missing else f"{missing} return(s) missing"
    fig = charts.completeness_grid(grid, f"{title}, {view.period.label}", names=cached.names())
    show.chart(
        fig,
        grid.drop(columns="superseded_ids"),
        "completeness",
        "✓ in, ↻ in and replaced an earlier return (see the history), ✗ missing.",
    )


def history() -> None:
    """Every submission, newest first, with restore and the original file."""
    frame = cached.history()
    if frame.empty:
        st.info("No returns loaded yet.")
        return
    st.dataframe(
        frame.drop(columns=["sha256", "quarter_index"]),
        hide_index=True,
        width="stretch",
        height=320,
        column_config={
            "submission_id": "No.",
            "member_code": "Member",
            "member_name": "Name",
            "period": "Quarter",
            "file_name": "File",
            "sent_by": "Sent by",
            "status": "Status",
            "warnings": "Warnings",
            "size_bytes": st.column_config.NumberColumn("Bytes"),
            "loaded_at": st.column_config.DatetimeColumn("Loaded", format="D MMMM YYYY, HH:mm"),
        },
    )
    labels = dict(
        zip(
            frame["submission_id"],
            [
                f"{number}: {code} {period}, {name} ({status})"
                for number, code, period, name, status in zip(
                    frame["submission_id"], frame["member_code"], frame["period"], frame["file_name"], frame["status"]
                )
            ],
        )
    )
    chosen = st.selectbox("Submission", list(labels), format_func=labels.get, key="history_pick")
    row = frame[frame["submission_id"] == chosen].iloc[0]
    status = row["status"]
    left, right = st.columns(2)
    # the file is read from the database when the button is clicked, not on every run
    right.download_button(
        "Download the original file",
        partial(_original_content, int(chosen)),
        file_name=row["file_name"],
        key="original",
        on_click="ignore",
        icon=":material/download:",
    )
    if left.button(
        "Make this the current return",
        disabled=status == "current",
        key="restore",
        help="Restores a superseded return; the one it replaces stays in the history.",
    ):
        with db.connect() as con, db.transaction(con):
            replaced = submissions.restore(con, int(chosen), by=st.session_state.get("sent_by") or None)
        _done(
            f"Submission {chosen} is the current return again"
            + (f"; submission {replaced} is kept in the history." if replaced else ".")
        )


def _original_content(submission_id: int) -> bytes:
    with db.connect() as con:
        return submissions.original_file(con, submission_id).content


def registry() -> None:
    """The members: view, add and edit."""
    frame = cached.registry()
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={"code": "Code", "name": "Name", "type": "Type", "place": "Place"},
    )
    codes = ["(new member)", *frame["code"]]
    pick = st.selectbox("Add or edit", codes, key="member_pick")
    row = frame[frame["code"] == pick].iloc[0] if pick in set(frame["code"]) else None
    with st.form("member_form", clear_on_submit=False):
        code = st.text_input("Code", value="" if row is None else row["code"], disabled=row is not None)
        name = st.text_input("Name", value="" if row is None else row["name"])
        kind = st.radio(
            "Type",
            members.MEMBER_TYPES,
            horizontal=True,
            index=0 if row is None else members.MEMBER_TYPES.index(row["type"]),
        )
        place = st.text_input("Place (optional)", value="" if row is None or row["place"] is None else row["place"])
        if st.form_submit_button("Save member"):
            try:
                with db.connect() as con, db.transaction(con):
                    action = members.upsert(
                        con,
                        members.Member(code if row is None else row["code"], name, kind, place),
                        by=st.session_state.get("sent_by") or None,
                    )
            except members.MemberError as problem:
                st.error(str(problem))
                return
            _done(f"Member {code or row['code']} {action}.")


def template_download(key: str = "data") -> None:
    """The blank return for a chosen member and quarter."""
    frame = cached.registry()
    if frame.empty:
        st.info("Add a member first: the template is made for one member and one quarter.")
        return
    names = dict(zip(frame["code"], frame["name"]))
    code = st.selectbox("Member", list(names), format_func=names.get, key=f"{key}_template_member")
    options = _template_quarters()
    index = st.selectbox(
        "Quarter", options, index=_next_quarter(options), format_func=quarter_label, key=f"{key}_template_quarter"
    )
    row = frame[frame["code"] == code].iloc[0]
    member = members.Member(row["code"], row["name"], row["type"], row["place"])
    fy, quarter = split_index(index)
    st.download_button(
        "Download the blank return",
        lambda: write_template(member, fy, quarter),
        file_name=file_name(member, fy, quarter),
        key=f"{key}_template",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
    )


def _today_quarter() -> int:
    today = date.today()
    fy = today.year if today.month >= 4 else today.year - 1
    return quarter_index(fy, (today.month - 4) % 12 // 3 + 1)


def _template_quarters() -> list[int]:
    """From three years back to the quarter now, newest first."""
    now = _today_quarter()
    return list(range(now, now - 12, -1))


def _next_quarter(options: list[int]) -> int:
    """Default to the quarter after the latest one with returns (the one members fill next)."""
    quarters = cached.quarters()
    wanted = quarters[-1] + 1 if quarters else options[0]
    return options.index(wanted) if wanted in options else 0


def collaborative_settings() -> None:
    name = cached.setting("collaborative_name")
    with st.form("settings_form"):
        new = st.text_input("Collaborative name (shown in the sidebar, the statement and the exports)", value=name)
        if st.form_submit_button("Save settings") and new.strip() and new.strip() != name:
            with db.connect() as con, db.transaction(con):
                settings.put(con, "collaborative_name", new.strip(), by=st.session_state.get("sent_by") or None)
            _done(f"The collaborative is now called {new.strip()}.")
