"""The member registry."""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from common.errors import MemberError, MemberHasReturns
from common.words import COMBINED, OTHERS
from contract.periods import quarter_label
from contract.returns import normalise
from store.events import log_event

MEMBER_TYPES = ("adult", "children")
EMAIL = re.compile(
    r"[^@\s<>\"(),;:\[\]]+@[^@\s<>\"(),;:\[\]]+\.[a-z]{2,}"
)  # one plain address, nothing a mail link could hide
# member_code values that metrics gives its own rows (metrics.scope.COMBINED, metrics.groups.OTHERS)
RESERVED_CODES = {COMBINED: "the combined figures of every member", OTHERS: "the members a chart adds together"}


@dataclass(frozen=True)
class Member:
    code: str
    name: str
    type: str
    place: str | None = None
    joined: int | None = None  # the first quarter (index) it is a member; None: from the start
    left: int | None = None  # the last quarter (index) it is a member; None: still a member
    contact: str | None = None  # the member's data lead, to chase a return
    email: str | None = None  # ... and their email address

    def member_in(self, index: int) -> bool:
        """True when it belongs to the collaborative in that quarter (so owes its return)."""
        return (self.joined is None or index >= self.joined) and (self.left is None or index <= self.left)

    def membership(self) -> str:
        """``a member from 2024/25 Q3``, ``a member until 2025/26 Q1``, ``a member from ... to ...`` or ``""``."""
        if self.joined is not None and self.left is not None:
            return f"a member from {quarter_label(self.joined)} to {quarter_label(self.left)}"
        if self.joined is not None:
            return f"a member from {quarter_label(self.joined)}"
        if self.left is not None:
            return f"a member until {quarter_label(self.left)}"
        return ""


def check(member: Member) -> Member:
    code = member.code.strip().upper()
    if not code or not code.replace("_", "").replace("-", "").isalnum():
        raise MemberError(f"Member code '{member.code}' should be a short code of letters and numbers, like ROW")
    if code in RESERVED_CODES:
        raise MemberError(f"Member code '{code}' is kept for {RESERVED_CODES[code]}; choose another code")
    if not member.name.strip():
        raise MemberError(f"Member {code} needs a name")
    kind = member.type.strip().lower()
    if kind not in MEMBER_TYPES:
        raise MemberError(f"Member {code} has type '{member.type}'; the type should be adult or children")
    place = (member.place or "").strip() or None
    if member.joined is not None and member.left is not None and member.left < member.joined:
        raise MemberError(
            f"Member {code} left in {quarter_label(member.left)}, before it joined in {quarter_label(member.joined)}; "
            "the quarter it left should be the same as or after the quarter it joined"
        )
    contact = (member.contact or "").strip() or None
    email = (member.email or "").strip().lower() or None
    if email is not None and not EMAIL.fullmatch(email):
        raise MemberError(f"Member {code}: '{member.email}' is not an email address, like data.lead@hospice.org.uk")
    return Member(code, member.name.strip(), kind, place, member.joined, member.left, contact, email)


def upsert(con: duckdb.DuckDBPyConnection, member: Member, by: str | None = None) -> str:
    """Add or update one member; returns ``added``, ``updated`` or ``unchanged``."""
    member = check(member)
    fields = [
        member.code,
        member.name,
        member.type,
        member.place,
        member.joined,
        member.left,
        member.contact,
        member.email,
    ]
    existing = get(con, member.code)
    if existing == member:
        return "unchanged"
    if existing is None:
        con.execute(
            "insert into members (code, name, type, place, joined_quarter, left_quarter, contact, email) "
            "values ($1, $2, $3, $4, $5, $6, $7, $8)",
            fields,
        )
        action = "added"
    else:
        con.execute(
            "update members set name = $2, type = $3, place = $4, joined_quarter = $5, left_quarter = $6, "
            "contact = $7, email = $8 where code = $1",
            fields,
        )
        action = "updated"
    log_event(con, f"member {action}", member_code=member.code, detail=member.name, by=by)
    return action


def add(con: duckdb.DuckDBPyConnection, member: Member, by: str | None = None) -> None:
    """Register a new member; a code already registered is refused with the member's name (never overwritten)."""
    member = check(member)
    existing = get(con, member.code)
    if existing is not None:
        raise MemberError(
            f"Member code {member.code} is already {existing.name}. Choose another code, or pick "
            f"{existing.name} in the list to edit it."
        )
    upsert(con, member, by=by)


def remove(con: duckdb.DuckDBPyConnection, code: str, by: str | None = None) -> Member:
    """Take a member with no returns off the registry; a member with returns is refused (withdraw them first)."""
    member = get(con, code.strip().upper())
    if member is None:
        raise MemberError(f"There is no member {code.strip().upper()} in the registry")
    count = con.execute("select count(*) from submissions where member_code = $1", [member.code]).fetchone()[0]
    if count:
        raise MemberHasReturns(
            f"{member.name} ({member.code}) has {count} return(s) in the history, so it cannot be removed; "
            "a member that has left can be given the quarter it left instead"
        )
    con.execute("delete from members where code = $1", [member.code])
    log_event(con, "member removed", member_code=member.code, detail=member.name, by=by)
    return member


def get(con: duckdb.DuckDBPyConnection, code: str) -> Member | None:
    """The member with this code (as stored, upper case), or None."""
    row = con.execute(f"select {_COLUMNS} from members where code = $1", [code]).fetchone()
    return None if row is None else Member(*row)


_COLUMNS = "code, name, type, place, joined_quarter, left_quarter, contact, email"


def all_members(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Columns: code, name, type, place, joined, left (quarter indexes, <NA> for none); ordered by name."""
    frame = con.execute(f"select {_COLUMNS} from members order by name").df()
    frame = frame.rename(columns={"joined_quarter": "joined", "left_quarter": "left"})
    return frame.astype({"joined": "Int64", "left": "Int64"})


def names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Code -> name of every registered member, in code order."""
    return dict(con.execute("select code, name from members order by code").fetchall())


def codes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every registered member's code, in order."""
    return list(names(con))


def find(con: duckdb.DuckDBPyConnection, code_or_name: object) -> Member | None:
    """A member by code or by name, ignoring case, spacing and punctuation."""
    wanted = normalise(code_or_name)
    for row in con.execute(f"select {_COLUMNS} from members").fetchall():
        if wanted in (normalise(row[0]), normalise(row[1])):
            return Member(*row)
    return None
