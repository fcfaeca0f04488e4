"""Submissions: each return loaded, its original file, its figures and its history.

One member-quarter has at most one *current* submission; the others are
*superseded* (a later return replaced them) or *withdrawn* (taken out of the
figures by the coordinator), and stay whole, so any of them can be restored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from common.errors import NoSuchSubmission, NotCurrent
from contract.periods import quarter_index, quarter_label
from contract.returns import Figure
from store.events import log_event


@dataclass(frozen=True)
class StoredFile:
    file_name: str
    sha256: str
    content: bytes

    @property
    def size_bytes(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class NewReturn:
    member_code: str
    fy: int
    quarter: int
    figures: tuple[Figure, ...]
    warnings: tuple[tuple[str, str], ...] = ()  # (location, message)
    prepared_by: str | None = None
    email: str | None = None
    notes: str | None = None


def find_identical(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple | None:
    """The submission already loaded from a byte-identical file: (id, member, fy, quarter, status)."""
    return con.execute(
        "select submission_id, member_code, fy, quarter, status from submissions "
        "where sha256 = $1 order by submission_id desc limit 1",
        [sha256],
    ).fetchone()


def save(
    con: duckdb.DuckDBPyConnection,
    new: NewReturn,
    file: StoredFile,
    sent_by: str | None = None,
    received: date | None = None,
) -> tuple[int, int | None]:
    """Store a validated return as the current one for its member-quarter.

    ``received``: the day the collaborative got it (default: today, the day it is loaded).

    Returns (new submission id, id of the submission it superseded or None).
    The caller runs this inside a transaction.
    """
    con.execute(
        "insert into files values ($1, $2, $3) on conflict do nothing", [file.sha256, file.size_bytes, file.content]
    )
    previous = con.execute(
        "select submission_id from submissions where member_code = $1 and fy = $2 and quarter = $3 "
        "and status = 'current'",
        [new.member_code, new.fy, new.quarter],
    ).fetchone()
    if previous:
        con.execute("update submissions set status = 'superseded' where submission_id = $1", [previous[0]])
    submission_id = con.execute(
        "insert into submissions (member_code, fy, quarter, quarter_index, file_name, sha256, size_bytes, "
        "sent_by, loaded_at, status, prepared_by, email, notes, received_on) "
        "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'current', $10, $11, $12, $13) returning submission_id",
        [
            new.member_code,
            new.fy,
            new.quarter,
            quarter_index(new.fy, new.quarter),
            file.file_name,
            file.sha256,
            file.size_bytes,
            sent_by,
            datetime.now().replace(microsecond=0),
            new.prepared_by,
            new.email,
            new.notes,
            received or date.today(),
        ],
    ).fetchone()[0]
    _insert_figures(con, submission_id, new.figures)
    if new.warnings:
        con.executemany(
            "insert into submission_warnings values ($1, $2, $3)",
            [[submission_id, where, message] for where, message in new.warnings],
        )
    period = quarter_label(quarter_index(new.fy, new.quarter))
    log_event(
        con,
        "loaded",
        submission_id=submission_id,
        member_code=new.member_code,
        detail=f"{period} from {file.file_name}",
        by=sent_by,
    )
    if previous:
        log_event(
            con,
            "superseded",
            submission_id=previous[0],
            member_code=new.member_code,
            detail=f"{period}: replaced by submission {submission_id}",
            by=sent_by,
        )
    return submission_id, previous[0] if previous else None


def _insert_figures(con: duckdb.DuckDBPyConnection, submission_id: int, figures: Iterable[Figure]) -> None:
    figures = list(figures)
    if figures:
        # One statement with list parameters: far quicker than a row at a time.
        con.execute(
            "insert into figures select $1, unnest($2::varchar[]), unnest($3::varchar[]), unnest($4::double[])",
            [
                submission_id,
                [f.measure for f in figures],
                [f.breakdown for f in figures],
                [float(f.value) for f in figures],
            ],
        )


def restore(con: duckdb.DuckDBPyConnection, submission_id: int, by: str | None = None) -> int | None:
    """Make an earlier submission current again; returns the id it replaced (or None).

    The caller runs this inside a transaction.
    """
    row = con.execute(
        "select member_code, fy, quarter, status from submissions where submission_id = $1", [submission_id]
    ).fetchone()
    if row is None:
        raise NoSuchSubmission(f"There is no submission number {submission_id}")
    member_code, fy, quarter, status = row
    if status == "current":
        return None
    current = con.execute(
        "select submission_id from submissions where member_code = $1 and fy = $2 and quarter = $3 "
        "and status = 'current'",
        [member_code, fy, quarter],
    ).fetchone()
    if current:
        con.execute("update submissions set status = 'superseded' where submission_id = $1", [current[0]])
    con.execute("update submissions set status = 'current' where submission_id = $1", [submission_id])
    period = quarter_label(quarter_index(fy, quarter))
    log_event(
        con,
        "restored",
        submission_id=submission_id,
        member_code=member_code,
        detail=f"{period}: submission {submission_id} is current again",
        by=by,
    )
    return current[0] if current else None


def current_id(con: duckdb.DuckDBPyConnection, member_code: str, index: int) -> int | None:
    """The member's current submission for the quarter, or None."""
    row = con.execute(
        "select submission_id from submissions where member_code = $1 and quarter_index = $2 and status = 'current'",
        [member_code, index],
    ).fetchone()
    return row[0] if row else None


def withdraw(con: duckdb.DuckDBPyConnection, submission_id: int, by: str | None = None) -> int | None:
    """Take a current return out of the figures; returns the earlier submission that is current again (or None).

    The withdrawn return stays whole in the history and can be restored. The newest earlier
    return for the same member-quarter, if any, becomes current. The caller runs this inside
    a transaction.
    """
    row = con.execute(
        "select member_code, quarter_index, status from submissions where submission_id = $1", [submission_id]
    ).fetchone()
    if row is None:
        raise NoSuchSubmission(f"There is no submission number {submission_id}")
    member_code, index, status = row
    period = quarter_label(index)
    if status != "current":
        raise NotCurrent(
            f"Submission {submission_id} ({member_code} {period}) is {status}, not current, so there is nothing "
            "to withdraw; only the current return of a quarter can be withdrawn"
        )
    con.execute("update submissions set status = 'withdrawn' where submission_id = $1", [submission_id])
    # the newest return sent before this one, else (after a restore) the newest other one
    earlier = con.execute(
        "select submission_id from submissions where member_code = $1 and quarter_index = $2 "
        "and status = 'superseded' order by submission_id < $3 desc, submission_id desc limit 1",
        [member_code, index, submission_id],
    ).fetchone()
    earlier = earlier[0] if earlier else None
    if earlier is not None:
        con.execute("update submissions set status = 'current' where submission_id = $1", [earlier])
    then = f"; submission {earlier} is current again" if earlier is not None else ""
    log_event(con, "withdrawn", submission_id=submission_id, member_code=member_code, detail=f"{period}{then}", by=by)
    return earlier


def history(con: duckdb.DuckDBPyConnection, member_code: str | None = None) -> pd.DataFrame:
    """Every submission, newest first.

    Columns: submission_id, member_code, member_name, period, quarter_index, file_name,
    sha256, size_bytes, sent_by, loaded_at, received_on (the day it was received), status (current,
    superseded or withdrawn),
    prepared_by, email, notes (the member's own words from the Return sheet), warnings (a count).
    """
    frame = con.execute(
        """
        select s.submission_id, s.member_code, m.name as member_name, s.fy, s.quarter, s.quarter_index,
               s.file_name, s.sha256, s.size_bytes, s.sent_by, s.loaded_at, s.received_on, s.status,
               s.prepared_by, s.email, s.notes,
               (select count(*) from submission_warnings w where w.submission_id = s.submission_id) as warnings
        from submissions s left join members m on m.code = s.member_code
        where $1 is null or s.member_code = $1
        order by s.submission_id desc
        """,
        [member_code],
    ).df()
    frame.insert(3, "period", [quarter_label(i) for i in frame["quarter_index"]])
    return frame.drop(columns=["fy", "quarter"])


def members_words(
    con: duckdb.DuckDBPyConnection, first: int, last: int, member_codes: list[str] | None = None
) -> pd.DataFrame:
    """What members wrote on the Return sheets of the current returns of a period, where they wrote anything.

    Columns: member_code, member_name, period, prepared_by, email, notes; by member then quarter.
    """
    frame = con.execute(
        """
        select s.member_code, coalesce(m.name, s.member_code) as member_name, s.quarter_index,
               coalesce(s.prepared_by, '') as prepared_by, coalesce(s.email, '') as email,
               coalesce(s.notes, '') as notes
        from submissions s left join members m on m.code = s.member_code
        where s.status = 'current' and s.quarter_index between $1 and $2
          and ($3 is null or list_contains($3, s.member_code))
          and coalesce(s.prepared_by, s.email, s.notes) is not null
        order by s.member_code, s.quarter_index
        """,
        [first, last, member_codes],
    ).df()
    frame.insert(2, "period", [quarter_label(i) for i in frame["quarter_index"]])
    return frame.drop(columns="quarter_index")


def warnings_of(con: duckdb.DuckDBPyConnection, submission_id: int) -> pd.DataFrame:
    """The warnings a return was accepted with. Columns: location, message."""
    return con.execute(
        "select location, message from submission_warnings where submission_id = $1 order by rowid", [submission_id]
    ).df()


def original_file(con: duckdb.DuckDBPyConnection, submission_id: int) -> StoredFile:
    row = con.execute(
        "select s.file_name, s.sha256, f.content from submissions s join files f using (sha256) "
        "where s.submission_id = $1",
        [submission_id],
    ).fetchone()
    if row is None:
        raise NoSuchSubmission(f"There is no submission number {submission_id}")
    return StoredFile(row[0], row[1], bytes(row[2]))


def figures_of(con: duckdb.DuckDBPyConnection, submission_id: int) -> pd.DataFrame:
    return con.execute(
        "select measure, breakdown, value from figures where submission_id = $1 order by measure, breakdown",
        [submission_id],
    ).df()


def previous_quarter_figures(
    con: duckdb.DuckDBPyConnection, member_code: str, fy: int, quarter: int
) -> dict[tuple[str, str], float]:
    """The current figures of the member's quarter before this one, for the movement warning."""
    rows = con.execute(
        "select measure, breakdown, value from current_figures where member_code = $1 and quarter_index = $2",
        [member_code, quarter_index(fy, quarter) - 1],
    ).fetchall()
    return {(measure, breakdown): value for measure, breakdown, value in rows}


def member_quarter_figures(
    con: duckdb.DuckDBPyConnection, member_code: str, index: int
) -> dict[tuple[str, str], float]:
    """The current figures of a member's quarter (a quarter index), by (measure, breakdown); {} without a return."""
    rows = con.execute(
        "select measure, breakdown, value from current_figures where member_code = $1 and quarter_index = $2",
        [member_code, index],
    ).fetchall()
    return {(measure, breakdown): value for measure, breakdown, value in rows}
