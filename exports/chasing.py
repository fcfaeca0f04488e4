"""Chasing returns: a prepared email for each member that owes one, and a CSV of who owes what.

The words are plain English a data lead can act on: which quarter, when it was due,
how to fill in the template and where to send it. An email opens in the coordinator's
own mail program through a ``mailto:`` link (nothing is sent by One Voice), and can be
copied as text. Built from ``metrics.returns.return_states``; no streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

import pandas as pd

from common.words import join_and
from contract.periods import long_date, quarter_months
from exports.csv_safe import to_csv
from metrics.returns import DUE, OWING, STATE_WORDS

MAILTO_LIMIT = 1800  # characters: longer mailto links are cut short by some mail programs and browsers


@dataclass(frozen=True)
class Chase:
    """One prepared email: to whom, about what, and its words."""

    member_code: str
    member_name: str
    to: str | None  # the data lead's email; None when the registry has none
    subject: str
    body: str

    @property
    def mailto(self) -> str:
        """``mailto:`` link that opens the email ready to send (the body is cut, with a note, if very long)."""
        body = self.body if len(self.body) < MAILTO_LIMIT else self.body[:MAILTO_LIMIT] + "\n[...]"
        return f"mailto:{quote(self.to or '', safe='@')}?subject={quote(self.subject)}&body={quote(body)}"


def owing(states: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``return_states`` still owed (due or overdue), overdue first, then by due date and member."""
    rows = states[states["state"].isin(OWING)]
    return rows.sort_values(["state", "due", "member_code"], key=_overdue_first).reset_index(drop=True)


def _overdue_first(column: pd.Series) -> pd.Series:
    return column.map({"overdue": 0, "due": 1}) if column.name == "state" else column


def chases(states: pd.DataFrame, collaborative: str, signed: str = "") -> list[Chase]:
    """One email per member that owes, naming every quarter it owes (oldest first)."""
    out = []
    for code, rows in owing(states).groupby("member_code", sort=False):
        rows = rows.sort_values("quarter_index")
        name, contact, email = rows["member_name"].iloc[0], rows["contact"].iloc[0], rows["email"].iloc[0]
        quarters = list(rows["quarter"])
        lines = [
            f"{quarter} ({quarter_months(index)}): {'due by' if state == DUE else 'overdue since'} {long_date(due)}"
            for quarter, index, state, due in zip(rows["quarter"], rows["quarter_index"], rows["state"], rows["due"])
        ]
        overdue = (rows["state"] != DUE).any()
        subject = f"{collaborative}: {name}'s quarterly return for {join_and(quarters)} " + (
            "is overdue" if overdue else f"is due by {long_date(rows['due'].min())}"
        )
        greeting = f"Dear {contact}," if isinstance(contact, str) and contact else "Dear colleague,"
        body = "\n".join(
            [
                greeting,
                "",
                f"We have not yet received {name}'s quarterly return for:",
                *(f"  - {line}" for line in lines),
                "",
                "Please fill in the blank return workbook for each quarter (I can send it again if you need it). "
                "Its 'How to fill this in' sheet explains every figure. Leave a cell blank if a figure is not "
                "known: a blank is read as not reported, while 0 means none.",
                "",
                "Send the completed workbook back to me by replying to this email. If it is already on its way, "
                "thank you, and please ignore this reminder.",
                "",
                "With thanks,",
                signed or collaborative,
            ]
        )
        out.append(Chase(code, name, email if isinstance(email, str) and email else None, subject, body))
    return out


def chase_all(chased: list[Chase], collaborative: str, quarter: str, signed: str = "") -> Chase | None:
    """One email to every member that owes and has an email (blind copies), for the quarter being collected."""
    addresses = [c.to for c in chased if c.to]
    if not addresses:
        return None
    body = "\n".join(
        [
            "Dear colleagues,",
            "",
            f"This is a reminder that some members' quarterly returns for {quarter} (or earlier quarters) "
            "have not reached us yet. If yours is on its way, thank you, and please ignore this email.",
            "",
            "Fill in the blank return workbook (its 'How to fill this in' sheet explains every figure; leave a "
            "cell blank if a figure is not known), and send it back by replying to this email.",
            "",
            "With thanks,",
            signed or collaborative,
        ]
    )
    subject = f"{collaborative}: quarterly returns still to come"
    mailto = f"mailto:?bcc={quote(','.join(addresses), safe='@,')}&subject={quote(subject)}&body={quote(body)}"
    return _AllChase("ALL", "every member that owes", ", ".join(addresses), subject, body, mailto)


@dataclass(frozen=True)
class _AllChase(Chase):
    link: str = ""

    @property
    def mailto(self) -> str:
        return self.link


def owing_csv(states: pd.DataFrame, today: date) -> bytes:
    """Who owes what, as a CSV a coordinator can open in Excel (text neutralised like every CSV export)."""
    rows = owing(states)
    frame = pd.DataFrame(
        {
            "Member code": rows["member_code"],
            "Member": rows["member_name"],
            "Quarter": rows["quarter"],
            "State": [STATE_WORDS[s] for s in rows["state"]],
            "Due": [long_date(d) for d in rows["due"]],
            "Days overdue": [max((today - d).days, 0) for d in rows["due"]],
            "Data lead": rows["contact"].fillna(""),
            "Email": rows["email"].fillna(""),
        }
    )
    return to_csv(frame)
