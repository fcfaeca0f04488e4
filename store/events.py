"""The event log: what changed, when and by whom. Its newest id is the data version."""

from __future__ import annotations

from datetime import datetime

import duckdb


def log_event(
    con: duckdb.DuckDBPyConnection,
    action: str,
    *,
    submission_id: int | None = None,
    member_code: str | None = None,
    detail: str | None = None,
    by: str | None = None,
) -> None:
    con.execute(
        "insert into events (happened_at, action, submission_id, member_code, detail, by_whom) "
        "values ($1, $2, $3, $4, $5, $6)",
        [datetime.now().replace(microsecond=0), action, submission_id, member_code, detail, by],
    )


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Changes whenever anything stored changes; caches key on it."""
    return con.execute("select coalesce(max(event_id), 0) from events").fetchone()[0]
