"""The upload flow: files in through ``loaders.ingest``, each file's outcome and problems out.

A file is loaded once per upload: the uploader keeps its files between reruns,
so the ids of files already handled are remembered and skipped. Outcomes are
kept in session state, so they stay on screen after the rerun that shows the
new data everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from loaders.ingest import ACCEPTED, ALREADY_LOADED, ingest_bytes
from loaders.problems import as_table
from loaders.workbook import FORMATS
from ui import access, cached

RESULTS = "upload_results"
HANDLED = "upload_handled_ids"
FILE_TYPES = sorted(suffix.lstrip(".") for suffix in FORMATS)


@dataclass(frozen=True)
class Outcome:
    """What the user is told about one file."""

    file_name: str
    status: str
    summary: str
    problems: pd.DataFrame  # loaders.problems.as_table: file, severity, where, found, problem


def ingest_all(
    files: list[tuple[str, bytes]], sent_by: str | None = None, progress: Callable[[int, str], None] | None = None
) -> list[Outcome]:
    """Load each (name, bytes) through the real ingest; ``progress(done, name)`` after each."""
    outcomes = []
    for done, (name, content) in enumerate(files, start=1):
        who = access.person()
        result = ingest_bytes(
            content,
            name,
            db_path=cached.db_path(),
            sent_by=sent_by or who.by,
            only_member=None if who.is_coordinator else who.member,
        )
        outcomes.append(Outcome(name, result.status, result.summary(), as_table(result.problems)))
        if progress:
            progress(done, name)
    return outcomes


def uploader(key: str = "returns") -> None:
    """The file uploader; new files are loaded at once with a progress bar."""
    sent_by = st.text_input("Your name (kept with each file you load)", key="sent_by")
    files = st.file_uploader(
        "Members' quarterly returns",
        type=FILE_TYPES,
        accept_multiple_files=True,
        key=key,
        help="One workbook per member per quarter. Drop several at once.",
    )
    handled = st.session_state.setdefault(HANDLED, set())
    new = [f for f in files or [] if f.file_id not in handled]
    if not new:
        return
    bar = st.progress(0.0, text=f"Checking {len(new)} file(s)...")
    outcomes = ingest_all(
        [(f.name, f.getvalue()) for f in new],
        sent_by,
        lambda done, name: bar.progress(done / len(new), text=f"Checked {name}"),
    )
    handled.update(f.file_id for f in new)
    st.session_state[RESULTS] = outcomes
    if any(o.status == ACCEPTED for o in outcomes):
        cached.refresh()
        st.rerun()  # the sidebar and every figure now include the new returns
    bar.empty()


def results() -> None:
    """Each file of the last upload: a status line, then its errors and warnings by cell."""
    outcomes = st.session_state.get(RESULTS) or []
    for outcome in outcomes:
        if outcome.status == ACCEPTED:
            show = st.warning if len(outcome.problems) else st.success
            show(outcome.summary, icon=":material/check_circle:")
        elif outcome.status == ALREADY_LOADED:
            st.info(outcome.summary, icon=":material/content_copy:")
        else:
            st.error(f"{outcome.summary}. Nothing from this file was stored.", icon=":material/block:")
        if len(outcome.problems):
            st.dataframe(
                outcome.problems.drop(columns="file"),
                hide_index=True,
                width="stretch",
                column_config={
                    "severity": st.column_config.TextColumn("Error or warning", width="small"),
                    "where": st.column_config.TextColumn("Cell", width="small"),
                    "found": st.column_config.TextColumn("Value found", width="small"),
                    "problem": st.column_config.TextColumn("What to fix", width="large"),
                },
            )
    if outcomes and st.button("Clear these results", key="clear_results"):
        st.session_state[RESULTS] = []
        st.rerun()
