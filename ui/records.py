"""The Data page's records: completeness, submission history, the member registry, the template.

Every change goes through ``store`` in a short transaction, then the data
version is read again so every page shows the change at once.
"""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from common.errors import SettingError
from common.words import markdown_safe
from contract.periods import latest_ended, quarter_label, split_index
from exports import quality
from loaders.template import file_name, write_template
from metrics import format as fmt
from metrics.definitions import FIGURES
from store import db, members, settings, submissions
from store.settings import BED_DAY_COST, BED_DAY_SOURCE, BED_DAY_YEAR
from ui import access, cached

MESSAGE = "records_message"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def done(message: str) -> None:
    """After a change: read the data version again and say what was done on the next run."""
    _done(message)


def _done(message: str) -> None:
    cached.refresh()
    st.session_state[MESSAGE] = message
    st.rerun()


def message() -> None:
    if st.session_state.get(MESSAGE):
        st.success(markdown_safe(st.session_state.pop(MESSAGE)), icon=":material/check_circle:")  # names, as typed


def history() -> None:
    """Every submission, newest first: its members' words and warnings, restore, withdraw, the original."""
    frame = cached.history()
    if frame.empty:
        st.info("No returns loaded yet.")
        return
    st.dataframe(
        frame.drop(columns=["sha256", "quarter_index", "email", "notes"]),
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
            "prepared_by": "Prepared by",
            "warnings": "Warnings",
            "size_bytes": st.column_config.NumberColumn("Bytes"),
            "loaded_at": st.column_config.DatetimeColumn("Loaded", format="D MMMM YYYY, HH:mm"),
        },
    )
    labels = {
        number: f"{number}: {code} {period}, {name} ({status})"
        for number, code, period, name, status in zip(
            frame["submission_id"], frame["member_code"], frame["period"], frame["file_name"], frame["status"]
        )
    }
    chosen = st.selectbox("Submission", list(labels), format_func=labels.get, key="history_pick")
    row = frame[frame["submission_id"] == chosen].iloc[0]
    _members_words(row)
    _warnings(int(chosen), int(row["warnings"]))
    status = row["status"]
    st.download_button(
        "Data-quality report of this return (to send back to the member)",
        partial(_quality_report, int(chosen)),
        file_name=quality.report_file_name(row["member_code"], row["period"]),
        key="quality_report",
        on_click="ignore",
        mime=XLSX,
        icon=":material/fact_check:",
        help="One sheet in plain English: the warnings it was accepted with, and its figures beside the "
        "member's previous quarter and the same quarter last year, with large movements marked.",
    )
    restore, withdraw, original = st.columns(3)
    # the file is read from the database when the button is clicked, not on every run
    original.download_button(
        "Download the original file",
        partial(_original_content, int(chosen)),
        file_name=row["file_name"],
        key="original",
        on_click="ignore",
        icon=":material/download:",
    )
    if restore.button(
        "Make this the current return",
        disabled=status == "current",
        key="restore",
        help="Restores a superseded or withdrawn return; the one it replaces stays in the history.",
    ):
        with db.connect() as con, db.transaction(con):
            replaced = submissions.restore(con, int(chosen), by=_by())
        _done(
            f"Submission {chosen} is the current return again"
            + (f"; submission {replaced} is kept in the history." if replaced else ".")
        )
    if withdraw.button(
        "Withdraw this return",
        disabled=status != "current",
        key="withdraw",
        help="Takes a wrong return out of every figure; it stays in the history and can be restored.",
    ):
        st.session_state[CONFIRM_WITHDRAW] = int(chosen)
    if st.session_state.get(CONFIRM_WITHDRAW) == int(chosen) and status == "current":
        _confirm_withdraw(int(chosen), f"{row['member_code']} {row['period']} ({row['file_name']})")


CONFIRM_WITHDRAW = "confirm_withdraw"
CONFIRM_REMOVE = "confirm_remove"


def _by() -> str | None:
    return st.session_state.get("sent_by") or access.person().by


def _confirm_withdraw(submission_id: int, what: str) -> None:
    st.warning(
        f"Withdraw submission {submission_id}, {markdown_safe(what)}? Its figures leave every figure and export; an "
        "earlier return for the quarter, if there is one, becomes current again. The file stays in the history.",
        icon=":material/warning:",
    )
    yes, no = st.columns(2)
    if yes.button("Yes, withdraw it", key="withdraw_yes", type="primary"):
        st.session_state.pop(CONFIRM_WITHDRAW, None)
        with db.connect() as con, db.transaction(con):
            earlier = submissions.withdraw(con, submission_id, by=_by())
        _done(
            f"Submission {submission_id} is withdrawn"
            + (
                f"; submission {earlier} is the current return again."
                if earlier
                else "; the quarter has no return now."
            )
        )
    if no.button("Cancel", key="withdraw_no"):
        st.session_state.pop(CONFIRM_WITHDRAW, None)
        st.rerun()


def _members_words(row) -> None:
    """What the member wrote on the Return sheet: who prepared it, their email, their notes (as plain text)."""
    words = {
        "Prepared by": row["prepared_by"],
        "Email": row["email"],
        "Notes": row["notes"],
    }
    shown = {label: value for label, value in words.items() if isinstance(value, str) and value.strip()}
    if shown:
        st.caption("From the member's Return sheet:")
        st.dataframe(
            [{"": label, "What the member wrote": value} for label, value in shown.items()],
            hide_index=True,
            width="stretch",
        )


def _warnings(submission_id: int, count: int) -> None:
    if not count:
        return
    with st.expander(f"{count} warning(s) this return was accepted with"):
        st.dataframe(
            cached.warnings_of(submission_id),
            hide_index=True,
            width="stretch",
            column_config={"location": "Where", "message": "Warning"},
        )


def _quality_report(submission_id: int) -> bytes:
    with db.connect() as con:
        return quality.accepted_report(con, submission_id, cached.setting("collaborative_name"))


def _original_content(submission_id: int) -> bytes:
    with db.connect() as con:
        return submissions.original_file(con, submission_id).content


NEW = "(new member)"
NOT_SET = -1  # a membership boundary left open: from the start, or still a member


def registry() -> None:
    """The members: view, add, edit and remove, with the quarters each belongs to the collaborative."""
    frame = cached.registry()
    shown = frame.assign(
        joined=[quarter_label(int(q)) if not pd.isna(q) else "" for q in frame["joined"]],
        left=[quarter_label(int(q)) if not pd.isna(q) else "" for q in frame["left"]],
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "code": "Code",
            "name": "Name",
            "type": "Type",
            "place": "Place",
            "joined": "Member from",
            "left": "Member until",
            "contact": "Data lead",
            "email": "Data lead's email",
        },
    )
    version = st.session_state.get("member_form_version", 0)  # a new form after each save
    names = dict(zip(frame["code"], frame["name"]))
    pick = st.selectbox(
        "Add or edit",
        [NEW, *frame["code"]],
        format_func=lambda code: code if code == NEW else f"{names[code]} ({code})",
        key=f"member_pick_{version}",
    )
    row = frame[frame["code"] == pick].iloc[0] if pick != NEW else None
    st.caption("Adding a new member." if row is None else markdown_safe(f"Editing {row['name']} ({row['code']})."))
    quarters = _membership_quarters()
    with st.form(f"member_form_{version}"):
        code = st.text_input("Code", value="" if row is None else row["code"], disabled=row is not None)
        name = st.text_input("Name", value="" if row is None else row["name"])
        kind = st.radio(
            "Type",
            members.MEMBER_TYPES,
            horizontal=True,
            index=0 if row is None else members.MEMBER_TYPES.index(row["type"]),
        )
        place = st.text_input("Place (optional)", value="" if row is None or row["place"] is None else row["place"])
        joined_at, left_at = st.columns(2)
        joined = joined_at.selectbox(
            "Member from",
            quarters,
            index=quarters.index(_quarter_or_unset(row, "joined")),
            format_func=lambda q: "the start" if q == NOT_SET else quarter_label(q),
        )
        left = left_at.selectbox(
            "Member until",
            quarters,
            index=quarters.index(_quarter_or_unset(row, "left")),
            format_func=lambda q: "still a member" if q == NOT_SET else quarter_label(q),
        )
        contact_at, email_at = st.columns(2)
        contact = contact_at.text_input("Data lead (optional, to chase returns)", value=_text(row, "contact"))
        email = email_at.text_input("Data lead's email (optional)", value=_text(row, "email"))
        if st.form_submit_button("Add member" if row is None else "Save changes"):
            member = members.Member(
                code if row is None else row["code"],
                name,
                kind,
                place,
                None if joined == NOT_SET else joined,
                None if left == NOT_SET else left,
                contact,
                email,
            )
            try:
                with db.connect() as con, db.transaction(con):
                    if row is None:
                        members.add(con, member, by=_by())
                        action = "added"
                    else:
                        action = members.upsert(con, member, by=_by())
            except members.MemberError as problem:
                st.error(markdown_safe(problem))
                return
            st.session_state["member_form_version"] = version + 1
            _done(f"Member {member.code.strip().upper()} {action}.")
    if row is not None:
        _remove_member(row)


def _text(row, column: str) -> str:
    """A registry cell for a form: blank for a new member or an empty cell."""
    if row is None or column not in row or not isinstance(row[column], str):
        return ""
    return row[column]


def _remove_member(row) -> None:
    returns = cached.history()
    count = int((returns["member_code"] == row["code"]).sum())
    name = markdown_safe(row["name"])
    if st.button(
        f"Remove {name} from the registry",
        key="remove_member",
        disabled=count > 0,
        help=f"{name} has {count} return(s) in the history, so it stays; give it the quarter it left instead."
        if count
        else "For a member added by mistake: it has no returns.",
    ):
        st.session_state[CONFIRM_REMOVE] = row["code"]
    if st.session_state.get(CONFIRM_REMOVE) == row["code"] and not count:
        st.warning(f"Remove {name} ({row['code']}) from the registry?", icon=":material/warning:")
        yes, no = st.columns(2)
        if yes.button("Yes, remove it", key="remove_yes", type="primary"):
            st.session_state.pop(CONFIRM_REMOVE, None)
            with db.connect() as con, db.transaction(con):
                members.remove(con, row["code"], by=_by())
            st.session_state["member_form_version"] = st.session_state.get("member_form_version", 0) + 1
            _done(f"Member {row['code']} removed.")
        if no.button("Cancel", key="remove_no"):
            st.session_state.pop(CONFIRM_REMOVE, None)
            st.rerun()


def _membership_quarters() -> list[int]:
    """Open, then every quarter from ten years back to two years ahead, oldest first."""
    now = latest_ended(date.today())
    return [NOT_SET, *range(now - 40, now + 9)]


def _quarter_or_unset(row, column: str) -> int:
    if row is None or pd.isna(row[column]):
        return NOT_SET
    return int(row[column])


def template_download(key: str = "data") -> None:
    """The blank return for a chosen member and quarter."""
    frame = cached.registry()
    if frame.empty:
        st.info("Add a member first: the template is made for one member and one quarter.")
        return
    names = dict(zip(frame["code"], frame["name"]))
    who = access.person()
    if not who.is_coordinator:  # a member lead fills its own member's returns
        names = {code: name for code, name in names.items() if code == who.member}
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


def _template_quarters() -> list[int]:
    """The quarters that have ended, newest first, three years of them (a return waits for its quarter to end)."""
    now = latest_ended(date.today())
    return list(range(now, now - 12, -1))


def _next_quarter(options: list[int]) -> int:
    """Default to the quarter after the latest one with returns (the one members fill next)."""
    quarters = cached.quarters()
    wanted = quarters[-1] + 1 if quarters else options[0]
    return options.index(wanted) if wanted in options else 0


def targets_form() -> None:
    """A target for a figure, for the assurance of its SPC chart (blank: no target)."""
    chosen = st.selectbox("Figure", list(FIGURES), format_func=lambda key: FIGURES[key].label, key="target_figure")
    figure = FIGURES[chosen]
    now = cached.targets().get(chosen)
    unit = " (a fraction: 0.85 for 85%)" if figure.unit == "%" else f" ({figure.unit})"
    with st.form("target_form"):
        text = st.text_input(f"Target for {figure.label.lower()}{unit}", value="" if now is None else f"{now:.12g}")
        if st.form_submit_button("Save target"):
            text = text.strip().replace(",", "").replace("£", "")
            try:
                value = "" if not text else f"{float(text):.12g}"
            except ValueError:
                st.error(
                    f"'{markdown_safe(text)}' is not a number; type the target as a number, or leave it blank for none."
                )
                return
            with db.connect() as con, db.transaction(con):
                settings.put(con, f"{settings.TARGET}{chosen}", value, by=_by())
            shown = fmt.value(float(value), figure.unit, kind=figure.kind) if value else "none"
            _done(f"Target for {figure.label.lower()}: {shown}.")


def collaborative_settings() -> None:
    name = cached.setting("collaborative_name")
    cost, source, year = (cached.setting(key) for key in (BED_DAY_COST, BED_DAY_SOURCE, BED_DAY_YEAR))
    with st.form("settings_form"):
        new = st.text_input("Collaborative name (shown in the sidebar, the statement and the exports)", value=name)
        due_days = cached.setting(settings.DUE_DAYS)
        new_due = st.text_input("Returns are due this many days after a quarter ends", value=due_days)
        st.caption(
            "What an NHS inpatient bed day costs, to show what the bed days members provide would cost the NHS "
            "(on the Together page and in the exports). Leave it blank to show the days without a value. "
            "A cost is always shown with its source and year."
        )
        left, middle, right = st.columns([1, 2, 1])
        new_cost = left.text_input("NHS bed-day cost (£)", value=cost)
        new_source = middle.text_input("Its source", value=source, placeholder="e.g. NHS National Cost Collection")
        new_year = right.text_input("Its year", value=year, placeholder="e.g. 2023/24")
        if not st.form_submit_button("Save settings"):
            return
    changes = []
    with db.connect() as con:
        try:
            bed_day = settings.checked_bed_day_cost(
                con, {BED_DAY_COST: new_cost, BED_DAY_SOURCE: new_source, BED_DAY_YEAR: new_year}
            )
            days = settings.checked_due_days(new_due)
        except SettingError as error:
            st.error(markdown_safe(error), icon=":material/block:")
            return
        with db.transaction(con):
            if new.strip() and new.strip() != name:
                settings.put(con, "collaborative_name", new.strip(), by=_by())
                changes.append(f"The collaborative is now called {new.strip()}.")
            for key, value in bed_day.items():
                settings.put(con, key, value, by=_by())
            if days != due_days:
                settings.put(con, settings.DUE_DAYS, days, by=_by())
                changes.append(f"Returns are now due {days} days after a quarter ends.")
    if (bed_day[BED_DAY_COST], bed_day[BED_DAY_SOURCE], bed_day[BED_DAY_YEAR]) != (cost, source, year):
        changes.append("The NHS bed-day cost is saved.")
    _done(" ".join(changes) or "Nothing changed.")
