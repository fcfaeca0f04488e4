"""Keeping the joint work register from the app: load the tracker, edit a project, restore an earlier register.

For coordinators (``app_pages/together.py`` shows this only to them). Every change goes
through ``store.joint_work`` in one transaction and becomes a new version of the
register; the one it replaced stays in the history. A workbook is checked whole by
``loaders.joint_work`` before anything is stored.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from common.errors import JointWorkRefused
from common.words import markdown_safe
from contract.joint_work import KINDS, MEASURES, STATUSES, Outcome, Project, Register, measure_of, title_key
from contract.periods import latest_ended, quarter_label
from loaders.joint_work import LOADED, REFUSED, UNCHANGED, load_register
from loaders.joint_work_template import register_workbook
from loaders.problems import as_table
from loaders.workbook import FORMATS
from store import db
from store import joint_work as register_store
from ui import access, cached, upload

MESSAGE = "register_message"
RESULT = "register_load_result"
HANDLED = "register_handled_ids"
CONFIRM_RESTORE = "register_confirm_restore"
CONFIRM_REMOVE = "register_confirm_remove"
NEW = "New project"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def message() -> None:
    """What the last change did, on the run after it."""
    if st.session_state.get(MESSAGE):
        st.success(markdown_safe(st.session_state.pop(MESSAGE)), icon=":material/check_circle:")  # titles, as typed
    result = st.session_state.get(RESULT)
    if result is None:
        return
    summary, status, problems = result
    shown = {LOADED: st.success, UNCHANGED: st.info}.get(status, st.error)
    shown(markdown_safe(summary), icon=":material/inventory_2:")  # the summary names the file
    upload.problems_table(problems)


def _done(text: str) -> None:
    cached.refresh()
    st.session_state[MESSAGE] = text
    st.rerun()


def _by() -> str | None:
    return access.person().by


def editor() -> None:
    """The coordinator's tools: load and download the workbook, one project at a time, and the history."""
    load_and_download()
    st.subheader("Add or change a project")
    project_form()
    st.subheader("The register's history")
    history()


def load_and_download() -> None:
    register = cached.register()
    names = cached.names()
    st.download_button(
        "Download the register workbook",
        lambda: register_workbook(register, names, cached.setting("collaborative_name")),
        file_name="joint-work-register.xlsx",
        mime=XLSX,
        on_click="ignore",
        icon=":material/download:",
        help="The register as it stands (blank when empty), with a sheet that explains every column. "
        "Edit it in Excel and load it back here.",
    )
    upload = st.file_uploader(
        "Load the register workbook (it replaces the whole register; the one it replaces stays in the history)",
        type=sorted(suffix.lstrip(".") for suffix in FORMATS),
        key="register_upload",
    )
    handled = st.session_state.setdefault(HANDLED, set())
    if upload is None or upload.file_id in handled:
        return
    handled.add(upload.file_id)
    result = load_register(upload.getvalue(), upload.name, cached.db_path(), by=_by())
    summary = result.summary() + (". Nothing from this file was stored." if result.status == REFUSED else "")
    st.session_state[RESULT] = (summary, result.status, as_table(result.problems))
    if result.status == LOADED:
        cached.refresh()
    st.rerun()


# -- one project at a time ---------------------------------------------------------------------


def _quarters(register: Register) -> list[int]:
    """Quarters to choose from: ten years back to three years ahead, and any the register already uses."""
    now = latest_ended(date.today())
    used = {p.start for p in register.projects} | {p.end for p in register.projects if p.end is not None}
    used |= {o.quarter for o in register.outcomes}
    return sorted(set(range(now - 40, now + 13)) | used)


def project_form() -> None:
    register = cached.register()
    names = cached.names()
    if len(names) < 2:
        st.info("Joint work needs at least two registered members: add members on the Data page first.")
        return
    titles = [p.title for p in register.projects]
    chosen = st.selectbox("Project", [NEW, *titles], key="register_project")
    project = register.project(chosen) if chosen != NEW else None
    quarters = _quarters(register)
    now = latest_ended(date.today())
    form_key = f"register_form_{title_key(chosen)}_{cached.version()}"
    with st.form(form_key):
        title = st.text_input("Title", value=project.title if project else "", max_chars=200)
        kind = st.selectbox(
            "Kind", list(KINDS), format_func=KINDS.get, index=list(KINDS).index(project.kind) if project else 0
        )
        taking_part = st.multiselect(
            "Members taking part (at least two)",
            list(names),
            default=list(project.members) if project else [],
            format_func=lambda code: f"{names[code]} ({code})",
        )
        lead = st.selectbox(
            "Lead (one of the members taking part)",
            ["", *names],
            index=(["", *names].index(project.lead) if project and project.lead in names else 0),
            format_func=lambda code: "No lead" if not code else f"{names[code]} ({code})",
        )
        start_col, end_col, status_col = st.columns(3)
        start = start_col.selectbox(
            "Start",
            quarters,
            index=quarters.index(project.start if project else now),
            format_func=quarter_label,
        )
        ends = [None, *quarters]
        end = end_col.selectbox(
            "End",
            ends,
            index=ends.index(project.end) if project else 0,
            format_func=lambda q: "Ongoing" if q is None else quarter_label(q),
        )
        status = status_col.selectbox(
            "Status",
            list(STATUSES),
            format_func=STATUSES.get,
            index=list(STATUSES).index(project.status) if project else 0,
        )
        description = st.text_area(
            "Description (one or two sentences a commissioner can read)",
            value=project.description if project else "",
            max_chars=2000,
        )
        link = st.text_input("Link to the evidence (a document or web address)", value=project.link if project else "")
        st.caption("Outcomes, quarter by quarter (leave a value blank if it is not known; 0 means none).")
        outcomes = st.data_editor(
            _outcome_rows(register, project),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "Quarter": st.column_config.SelectboxColumn(
                    "Quarter", options=[quarter_label(q) for q in quarters], required=True
                ),
                "Measure": st.column_config.SelectboxColumn(
                    "Measure", options=[m.label for m in MEASURES], required=True
                ),
                "Value": st.column_config.NumberColumn("Value", min_value=0.0, format="localized"),
            },
            key=f"{form_key}_outcomes",
        )
        saved = st.form_submit_button("Save this project", type="primary")
    if saved:
        new = Project(
            title=" ".join(title.split()),
            kind=kind,
            members=tuple(taking_part),
            start=start,
            status=status,
            lead=lead or None,
            end=end,
            description=description.strip(),
            link=link.strip(),
            all_members=bool(project and project.all_members and set(taking_part) == set(names)),
        )
        _save(new, outcomes, quarters, chosen if project else None)
    if project is not None:
        _remove(project)


def _outcome_rows(register: Register, project: Project | None) -> pd.DataFrame:
    rows = (
        [
            {
                "Quarter": quarter_label(o.quarter),
                "Measure": next(m.label for m in MEASURES if m.key == o.measure),
                "Value": o.value,
            }
            for o in register.outcomes_of(project.title)
        ]
        if project
        else []
    )
    return pd.DataFrame(rows, columns=["Quarter", "Measure", "Value"]).astype({"Value": float})


def _save(project: Project, rows: pd.DataFrame, quarters: list[int], replacing: str | None) -> None:
    if not project.title:
        st.error("Give the project a title.")
        return
    by_label = {quarter_label(q): q for q in quarters}
    outcomes = []
    for _, row in rows.iterrows():
        if pd.isna(row["Value"]) or not row["Quarter"] or not row["Measure"]:
            continue  # a blank value is not reported
        outcomes.append(
            Outcome(project.title, by_label[row["Quarter"]], measure_of(row["Measure"]), float(row["Value"]))
        )
    try:
        with db.connect() as con, db.transaction(con):
            register_store.put_project(con, project, tuple(outcomes), replacing=replacing, by=_by())
    except JointWorkRefused as refused:
        st.error(markdown_safe(refused), icon=":material/block:")
        return
    _done(f"'{project.title}' is saved: a new version of the register. The one before stays in the history.")


def _remove(project: Project) -> None:
    title = markdown_safe(project.title)
    if st.button(f"Remove '{title}' from the register", key="register_remove", icon=":material/delete:"):
        st.session_state[CONFIRM_REMOVE] = project.title
    if st.session_state.get(CONFIRM_REMOVE) != project.title:
        return
    st.warning(
        f"Remove '{title}' and its outcomes? The register before the change stays in the history, and can be restored.",
        icon=":material/warning:",
    )
    yes, no = st.columns(2)
    if yes.button("Yes, remove it", key="register_remove_yes", type="primary"):
        st.session_state.pop(CONFIRM_REMOVE, None)
        with db.connect() as con, db.transaction(con):
            register_store.remove_project(con, project.title, by=_by())
        _done(f"'{project.title}' is removed from the register.")
    if no.button("Cancel", key="register_remove_no"):
        st.session_state.pop(CONFIRM_REMOVE, None)
        st.rerun()


# -- the history ---------------------------------------------------------------------------------


def history() -> None:
    versions = cached.register_versions()
    if versions.empty:
        st.caption("Nothing yet: every load, edit and restore will be listed here, and any earlier register restored.")
        return
    st.dataframe(
        versions.assign(made_at=versions["made_at"].dt.strftime("%d %B %Y %H:%M")),
        hide_index=True,
        width="stretch",
        column_config={
            "version": st.column_config.NumberColumn("Version", format="%d"),
            "made_at": "When",
            "action": "What",
            "detail": st.column_config.TextColumn("Detail", width="large"),
            "by_whom": "By",
            "file_name": "Workbook",
            "projects": st.column_config.NumberColumn("Projects", format="%d"),
            "outcomes": st.column_config.NumberColumn("Outcomes", format="%d"),
        },
    )
    current = int(versions["version"].iloc[0])
    earlier = [int(v) for v in versions["version"].iloc[1:]]
    chosen = st.selectbox(
        "An earlier register",
        [current, *earlier],
        format_func=lambda v: f"Version {v}" + (" (current)" if v == current else ""),
        key="register_version",
    )
    row = versions[versions["version"] == chosen].iloc[0]
    left, right = st.columns(2)
    with left:
        if isinstance(row["file_name"], str):
            st.download_button(
                f"Download the workbook it was loaded from ({markdown_safe(row['file_name'])})",
                lambda: _original(chosen),
                file_name=row["file_name"],
                on_click="ignore",
                icon=":material/download:",
                key="register_original",
            )
    with right:
        if chosen != current and st.button(f"Make version {chosen} the register again", key="register_restore"):
            st.session_state[CONFIRM_RESTORE] = chosen
    if st.session_state.get(CONFIRM_RESTORE) == chosen and chosen != current:
        st.warning(
            f"Make the register of version {chosen} ({int(row['projects'])} projects) current? The register as it "
            "stands stays in the history.",
            icon=":material/warning:",
        )
        yes, no = st.columns(2)
        if yes.button("Yes, restore it", key="register_restore_yes", type="primary"):
            st.session_state.pop(CONFIRM_RESTORE, None)
            try:
                with db.connect() as con, db.transaction(con):
                    register_store.restore(con, chosen, by=_by())
            except JointWorkRefused as refused:  # a member it names has since left the registry
                st.error(markdown_safe(refused), icon=":material/block:")
                return
            _done(f"The register of version {chosen} is current again.")
        if no.button("Cancel", key="register_restore_no"):
            st.session_state.pop(CONFIRM_RESTORE, None)
            st.rerun()


def _original(version: int) -> bytes:
    with db.connect() as con:
        found = register_store.original(con, version)
    return found[1] if found else b""
