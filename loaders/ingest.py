"""Ingest: a file in, validated, stored whole or not at all."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from contract.periods import long_date, quarter_end, quarter_index, quarter_label
from loaders.problems import ERROR, HasProblems, Problem
from loaders.read_return import ReadReturn, figure_name, read_return
from loaders.values import describe
from loaders.workbook import FORMATS, UnreadableWorkbook, read_workbook
from store import db, members, submissions

ACCEPTED = "accepted"
REJECTED = "rejected"
ALREADY_LOADED = "already loaded"

MOVEMENT_WARNING = 0.5  # a figure that moved more than 50% from the previous quarter
MOVEMENT_SMALL = 20  # ... unless both are below this (5 -> 11 is not news)
MOVEMENT_MIN_CHANGE = 10  # ... or it moved by less than this
HOLD_SECONDS = 1.0  # longest a batch keeps the database from others between files


@dataclass
class IngestResult(HasProblems):
    file_name: str
    status: str
    problems: list[Problem] = field(default_factory=list)
    member_code: str | None = None
    period: str | None = None
    submission_id: int | None = None
    superseded_id: int | None = None

    def summary(self) -> str:
        """One line for the command line and the upload page."""
        if self.status == ACCEPTED:
            replaced = f", replacing submission {self.superseded_id}" if self.superseded_id else ""
            notes = f" with {len(self.warnings)} warning(s)" if self.warnings else ""
            return f"{self.file_name}: accepted as {self.member_code} {self.period}{replaced}{notes}"
        if self.status == ALREADY_LOADED:
            return (
                f"{self.file_name}: already loaded (submission {self.submission_id}, "
                f"{self.member_code} {self.period}); nothing changed"
            )
        return f"{self.file_name}: rejected, {len(self.errors)} problem(s) to fix"


def ingest_bytes(
    content: bytes,
    file_name: str,
    db_path=None,
    sent_by: str | None = None,
    today: date | None = None,
    only_member: str | None = None,
    received: date | None = None,
) -> IngestResult:
    """Read, validate and store one return; the database is opened only to check and to write."""
    return ingest_many(
        [(content, file_name)],
        db_path=db_path,
        sent_by=sent_by,
        today=today,
        only_member=only_member,
        received=received,
    )[0]


def ingest_many(
    files: Iterable[tuple[bytes, str] | tuple[bytes, str, date]],
    db_path=None,
    sent_by: str | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    today: date | None = None,
    only_member: str | None = None,
    received: date | None = None,
) -> list[IngestResult]:
    """Ingest several returns in order, each its own all-or-nothing transaction.

    One connection serves a run of files, but is let go every ``HOLD_SECONDS``
    so the web app and other commands get their turn at the database. ``today``: the
    day the returns are loaded (default: today), so a quarter that has not ended is refused.
    ``only_member``: a member lead's own member; a return for any other member is refused.
    ``received``: the day the returns arrived, when it was before the day they are loaded
    (default: ``today``); a day after ``today`` refuses every file. A file may come with its own
    received day, as ``(bytes, name, day)``.
    """
    today = today or date.today()
    results: list[IngestResult] = []
    pending = iter(files)
    item = next(pending, None)
    while item is not None:
        with db.connect(db_path) as con:
            held_since = time.monotonic()
            while item is not None and time.monotonic() - held_since < HOLD_SECONDS:
                content, name, *arrived = item  # (bytes, name) or (bytes, name, received)
                result = _ingest_one(
                    con,
                    content,
                    name,
                    sent_by=sent_by,
                    today=today,
                    only_member=only_member,
                    received=(arrived[0] if arrived else received) or today,
                )
                results.append(result)
                if on_result:
                    on_result(result)
                item = next(pending, None)
    return results


def _ingest_one(
    con: duckdb.DuckDBPyConnection,
    content: bytes,
    file_name: str,
    sent_by: str | None,
    today: date,
    only_member: str | None = None,
    received: date | None = None,
) -> IngestResult:
    received = received or today
    if received > today:
        return _refused(
            file_name,
            f"The received date, {long_date(received)}, is in the future (today is {long_date(today)}). "
            "Give the day the return arrived, or leave it as today.",
        )
    suffix = Path(file_name).suffix.lower()
    if suffix not in FORMATS:
        return _refused(
            file_name,
            f"'{file_name}' is not a spreadsheet One Voice reads. Send the return as .xlsx (or .xlsm, .xls, .ods).",
        )
    if not content:
        return _refused(file_name, f"{file_name} is empty (0 bytes). Save the return again and resend it.")
    sha256 = hashlib.sha256(content).hexdigest()
    identical = submissions.find_identical(con, sha256)
    if identical:
        return IngestResult(
            file_name,
            ALREADY_LOADED,
            member_code=identical[1],
            period=quarter_label(quarter_index(identical[2], identical[3])),
            submission_id=identical[0],
        )
    try:
        sheets = read_workbook(content, file_name)  # in a child process, checked before calamine reads it
    except UnreadableWorkbook as error:  # too large, damaged, encrypted, or it crashed the reader: named
        where = getattr(error, "where", "")  # WorkbookRefused says which sheet and cell, when it knows
        return IngestResult(file_name, REJECTED, [Problem(ERROR, file_name, where, "", str(error))])
    parsed = read_return(sheets, file_name)
    member = _resolve_member(con, parsed)
    if member is not None and only_member is not None and member.code != only_member:
        own = members.get(con, only_member)
        parsed.error(
            parsed.field_cells.get("member", "Return"),
            parsed.member_ref,
            f"This return is for {member.name} ({member.code}); you load returns for "
            f"{own.name if own else only_member} ({only_member}) only, so it was not stored. "
            "Ask the coordinator to load it.",
        )
    if member is not None and parsed.fy and parsed.quarter:
        _check_quarter(parsed, member, today)
    if parsed.errors or member is None:
        return IngestResult(
            file_name,
            REJECTED,
            parsed.problems,
            member_code=member and member.code,
            period=parsed.period_label if parsed.fy and parsed.quarter else None,
        )
    _movement_warnings(con, parsed, member.code)
    new = submissions.NewReturn(
        member.code,
        parsed.fy,
        parsed.quarter,
        tuple(parsed.figures),
        tuple((p.where, p.message) for p in parsed.warnings),
        _text(parsed.fields.get("prepared_by")),
        _text(parsed.fields.get("email")),
        _text(parsed.fields.get("notes")),
    )
    with db.transaction(con):
        submission_id, superseded = submissions.save(
            con, new, submissions.StoredFile(file_name, sha256, content), sent_by, received
        )
    return IngestResult(
        file_name, ACCEPTED, parsed.problems, member.code, parsed.period_label, submission_id, superseded
    )


def _refused(file_name: str, message: str) -> IngestResult:
    return IngestResult(file_name, REJECTED, [Problem(ERROR, file_name, "", "", message)])


def _text(value: object) -> str | None:
    return None if value is None else describe(value).strip() or None


def _resolve_member(con: duckdb.DuckDBPyConnection, parsed: ReadReturn) -> members.Member | None:
    if parsed.member_ref is None:
        return None
    member = members.find(con, parsed.member_ref)
    if member is None:
        known = ", ".join(f"{code} ({name})" for code, name in members.names(con).items())
        parsed.error(
            parsed.field_cells.get("member", "Return"),
            parsed.member_ref,
            f"Member '{describe(parsed.member_ref)}' is not in the member registry. Use the member's "
            f"code or name as registered: {known or 'no members are registered yet'}.",
        )
    return member


def _check_quarter(parsed: ReadReturn, member: members.Member, today: date) -> None:
    """A return is for a quarter that has ended, and that the member belongs to the collaborative in."""
    index = quarter_index(parsed.fy, parsed.quarter)
    where = parsed.field_cells.get("quarter") or parsed.field_cells.get("year") or "Return"
    found = parsed.period_label
    ends = quarter_end(index)
    if ends >= today:
        parsed.error(
            where,
            found,
            f"{found} has not ended yet: it ends on {long_date(ends)}. Send this return after the quarter ends "
            "(check the year and quarter on the Return sheet).",
        )
    elif not member.member_in(index):
        parsed.error(
            where,
            found,
            f"{member.name} ({member.code}) is {member.membership()} of the collaborative, so it has no return "
            f"for {found}. Check the year and quarter, or change when it joined or left on the Data page.",
        )


def _movement_warnings(con: duckdb.DuckDBPyConnection, parsed: ReadReturn, member_code: str) -> None:
    before = submissions.previous_quarter_figures(con, member_code, parsed.fy, parsed.quarter)
    if not before:
        return
    previous_label = quarter_label(quarter_index(parsed.fy, parsed.quarter) - 1)
    for figure in parsed.figures:
        old = before.get((figure.measure, figure.breakdown))
        if old is None or max(old, figure.value) < MOVEMENT_SMALL or abs(figure.value - old) < MOVEMENT_MIN_CHANGE:
            continue
        change = (figure.value - old) / old if old else float("inf")
        if abs(change) > MOVEMENT_WARNING:
            direction = "higher" if change > 0 else "lower"
            size = "far" if change == float("inf") else f"{abs(change):.0%}"
            parsed.warn(
                figure.cell,
                figure.value,
                f"{figure_name(figure.measure, figure.breakdown)} is {describe(figure.value)}, {size} {direction} "
                f"than in {previous_label} ({describe(old)}). Please check it; this does not stop the return loading.",
            )
