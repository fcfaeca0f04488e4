"""The quarterly cycle: when each return is due, whether it is in, late or owed, and each member's on-time record.

The rules are ``shared/spec/quarterly-return.md``, "Deadlines and the state of each return":

- A quarter's returns are due ``return_due_days`` (a setting, 42 by default) after its last day.
- A return's *received* date is the day the collaborative got it (stored with each submission).
- As things stood at the end of ``today`` (returns received after it do not exist yet), a member's
  quarter is ``not_required`` (not a member then), ``not_open`` (the quarter has not ended),
  ``in`` or ``late`` (it has a return: the first accepted one received on or before the due date,
  or after it; a later resubmission never makes an on-time return late), else ``due`` (the due
  date is today or later) or ``overdue`` (the due date has passed).
- A member's *on-time rate* over a period: of its quarters whose due date has passed by ``today``
  and that it owed (``in``, ``late`` or ``overdue``), the share that are ``in``; None when none.

A quarter "has ended" on the day after its last day, as for loading a return
(``loaders.ingest`` refuses a return on its quarter's last day).
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from contract.periods import Period, latest_ended, quarter_end, quarter_label
from store import settings

NOT_REQUIRED = "not_required"
NOT_OPEN = "not_open"
DUE = "due"
OVERDUE = "overdue"
IN = "in"
LATE = "late"
STATES = (IN, LATE, DUE, OVERDUE, NOT_OPEN, NOT_REQUIRED)
OWED = (IN, LATE, OVERDUE)  # what the on-time rate counts, once the due date has passed
OWING = (DUE, OVERDUE)  # no return yet
STATE_WORDS = {
    IN: "in on time",
    LATE: "in late",
    DUE: "due",
    OVERDUE: "overdue",
    NOT_OPEN: "not open yet",
    NOT_REQUIRED: "not a member",
}
COLUMNS = ["member_code", "member_name", "contact", "email", "quarter_index", "quarter", "state", "due", "received"]


def due_days(con: duckdb.DuckDBPyConnection) -> int:
    """``return_due_days``: how many days after a quarter's last day its returns are due."""
    return int(settings.get(con, settings.DUE_DAYS))


def due_date(index: int, days: int) -> date:
    """The quarter's last day plus ``days``."""
    return quarter_end(index) + timedelta(days=days)


def return_states(
    con: duckdb.DuckDBPyConnection, period: Period, today: date, members: list[str] | None = None
) -> pd.DataFrame:
    """Every registered member (or ``members``) x every quarter of the period, as things stood at the end of ``today``.

    Columns: ``COLUMNS``: member_code, member_name, contact, email, quarter_index, quarter (label),
    state (``STATES``), due (a date), received (the first accepted return's date, or None).
    Members in code order, then quarters in order.
    """
    days = due_days(con)
    registry = con.execute(
        "select code, name, contact, email, joined_quarter, left_quarter from members order by code"
    ).fetchall()
    if members is not None:
        wanted = {code.strip().upper() for code in members}
        registry = [row for row in registry if row[0] in wanted]
    # The first received date of each member-quarter's returns that stood at the end of `today`:
    # current or superseded (a withdrawn return was taken back), received on or before it.
    received = {
        (code, index): first
        for code, index, first in con.execute(
            """
            select member_code, quarter_index, min(received_on)
            from submissions
            where status in ('current', 'superseded') and received_on <= $1
              and quarter_index between $2 and $3
            group by member_code, quarter_index
            """,
            [today, period.first, period.last],
        ).fetchall()
    }
    rows = []
    for code, name, contact, email, joined, left in registry:
        for index in period.quarters:
            due = due_date(index, days)
            first = received.get((code, index))
            if (joined is not None and index < joined) or (left is not None and index > left):
                state = NOT_REQUIRED
            elif quarter_end(index) >= today:
                state = NOT_OPEN
            elif first is not None:
                state = IN if first <= due else LATE
            else:
                state = DUE if due >= today else OVERDUE
            rows.append((code, name, contact, email, index, quarter_label(index), state, due, first))
    return pd.DataFrame(rows, columns=COLUMNS)


def on_time_rates(states: pd.DataFrame, today: date) -> dict[str, float | None]:
    """Member code -> its on-time rate over the quarters of ``states`` (``return_states``); None when none counts."""
    rates = {}
    for code, rows in states.groupby("member_code", sort=True):
        owed = rows[(rows["due"] < today) & rows["state"].isin(OWED)]
        rates[code] = float((owed["state"] == IN).mean()) if len(owed) else None
    return rates


def as_json(states: pd.DataFrame, period: Period, today: date) -> dict:
    """``python -m metrics returns --json``: the contract's object."""
    return {
        "period": period.label,
        "today": today.isoformat(),
        "returns": [
            {
                "member": code,
                "quarter": quarter,
                "state": state,
                "due": due.isoformat(),
                "received": received.isoformat() if received is not None else None,
            }
            for code, quarter, state, due, received in zip(
                states["member_code"], states["quarter"], states["state"], states["due"], states["received"]
            )
        ],
        "on_time_rate": on_time_rates(states, today),
    }


def collecting(today: date) -> int:
    """The quarter now being collected: the latest that has ended by ``today`` (as for loading a return)."""
    return latest_ended(today)
