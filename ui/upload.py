"""The upload flow: files in through ``loaders.ingest``, each file's outcome and problems out.

A file is loaded once per upload: the uploader keeps its files between reruns,
so the ids of files already handled are remembered and skipped. Outcomes are
kept in session state, so they stay on screen after the rerun that shows the
new data everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from common.words import markdown_safe, slug
from exports import quality
from loaders.ingest import ACCEPTED, ALREADY_LOADED, REJECTED, IngestResult, ingest_bytes
from loaders.problems import as_table
from loaders.workbook import FORMATS
from store import db
from ui import access, cached

RESULTS = "upload_results"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HANDLED = "upload_handled_ids"
FILE_TYPES = sorted(suffix.lstrip(".") for suffix in FORMATS)


@dataclass(frozen=True)
class Outcome:
    """What the user is told about one file."""

    file_name: str
    status: str
    summary: str
    problems: pd.DataFrame  # loaders.problems.as_table: file, severity, where, found, problem
    report: Callable[[], bytes] | None = None  # the data-quality report to send back to the member
    report_name: str = ""


def ingest_all(
    files: list[tuple[str, bytes]],
    sent_by: str | None = None,
    progress: Callable[[int, str], None] | None = None,
    received: date | None = None,
) -> list[Outcome]:
    """Load each (name, bytes) through the real ingest; ``progress(done, name)`` after each.

    ``received``: the day the files arrived (default: today)."""
    outcomes = []
    for done, (name, content) in enumerate(files, start=1):
        who = access.person()
        result = ingest_bytes(
            content,
            name,
            db_path=cached.db_path(),
            sent_by=sent_by or who.by,
            only_member=None if who.is_coordinator else who.member,
            received=received,
        )
        outcomes.append(
            Outcome(
                name,
                result.status,
                result.summary(),
                as_table(result.problems),
                _report(result, content),
                quality.report_file_name(result.member_code, result.period, name),
            )
        )
        if progress:
            progress(done, name)
    return outcomes


def _report(result: IngestResult, content: bytes) -> Callable[[], bytes] | None:
    """The data-quality report of one file, made when it is asked for (not on every upload)."""
    if result.status == REJECTED:
        return partial(
            quality.refused_report,
            result.file_name,
            result.problems,
            cached.setting("collaborative_name"),
            member=result.member_code or "",
            period=result.period or "",
            content=content,
        )
    if result.status == ACCEPTED and result.submission_id is not None:
        return partial(_accepted_report, result.submission_id, cached.setting("collaborative_name"))
    return None


def _accepted_report(submission_id: int, collaborative: str) -> bytes:
    with db.connect(cached.db_path()) as con:
        return quality.accepted_report(con, submission_id, collaborative)


def uploader(key: str = "returns") -> None:
    """The file uploader; new files are loaded at once with a progress bar."""
    name_at, day_at = st.columns([3, 1])
    sent_by = name_at.text_input("Your name (kept with each file you load)", key="sent_by")
    today = date.today()
    received = day_at.date_input(
        "Received on",
        value=today,
        max_value=today,
        format="DD/MM/YYYY",
        key=f"{key}_received",
        help="The day the returns reached you: change it for returns that came by email before today. "
        "It decides whether a return was in on time.",
    )
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
        lambda done, name: bar.progress(done / len(new), text=f"Checked {markdown_safe(name)}"),
        received,
    )
    handled.update(f.file_id for f in new)
    st.session_state[RESULTS] = outcomes
    if any(o.status == ACCEPTED for o in outcomes):
        cached.refresh()
        st.rerun()  # the sidebar and every figure now include the new returns
    bar.empty()


def problems_table(problems: pd.DataFrame) -> None:
    """A file's errors and warnings by cell (``loaders.problems.as_table``): uploads and the register alike."""
    if not len(problems):
        return
    st.dataframe(
        problems.drop(columns="file"),
        hide_index=True,
        width="stretch",
        column_config={
            "severity": st.column_config.TextColumn("Error or warning", width="small"),
            "where": st.column_config.TextColumn("Cell", width="small"),
            "found": st.column_config.TextColumn("Value found", width="small"),
            "problem": st.column_config.TextColumn("What to fix", width="large"),
        },
    )


def results() -> None:
    """Each file of the last upload: a status line, then its errors and warnings by cell."""
    outcomes = st.session_state.get(RESULTS) or []
    for index, outcome in enumerate(outcomes):
        if outcome.status == ACCEPTED:
            show = st.warning if len(outcome.problems) else st.success
            show(markdown_safe(outcome.summary), icon=":material/check_circle:")  # a summary names the file
        elif outcome.status == ALREADY_LOADED:
            st.info(markdown_safe(outcome.summary), icon=":material/content_copy:")
        else:
            st.error(markdown_safe(f"{outcome.summary}. Nothing from this file was stored."), icon=":material/block:")
        if outcome.report is not None:
            st.download_button(
                "Data-quality report to send back to the member",
                outcome.report,
                file_name=outcome.report_name,
                mime=XLSX,
                on_click="ignore",
                icon=":material/fact_check:",
                key=f"quality-{slug(outcome.file_name)}-{index}",
            )
        problems_table(outcome.problems)
    if outcomes and st.button("Clear these results", key="clear_results"):
        st.session_state[RESULTS] = []
        st.rerun()
