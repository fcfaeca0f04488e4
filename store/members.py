"""The member registry."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from common.errors import MemberError
from common.words import COMBINED, OTHERS
from contract.returns import normalise
from store.events import log_event

MEMBER_TYPES = ("adult", "children")
# member_code values that metrics gives its own rows (metrics.scope.COMBINED, metrics.groups.OTHERS)
RESERVED_CODES = {COMBINED: "the combined figures of every member", OTHERS: "the members a chart adds together"}


@dataclass(frozen=True)
class Member:
    code: str
    name: str
    type: str
    place: str | None = None


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
    return Member(code, member.name.strip(), kind, place)


def upsert(con: duckdb.DuckDBPyConnection, member: Member, by: str | None = None) -> str:
    """Add or update one member; returns ``added``, ``updated`` or ``unchanged``."""
    member = check(member)
    existing = con.execute("select name, type, place from members where code = $1", [member.code]).fetchone()
    if existing == (member.name, member.type, member.place):
        return "unchanged"
    if existing is None:
        con.execute(
            "insert into members (code, name, type, place) values ($1, $2, $3, $4)",
            [member.code, member.name, member.type, member.place],
        )
        action = "added"
    else:
        con.execute(
            "update members set name = $2, type = $3, place = $4 where code = $1",
            [member.code, member.name, member.type, member.place],
        )
        action = "updated"
    log_event(con, f"member {action}", member_code=member.code, detail=member.name, by=by)
    return action


def all_members(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Columns: code, name, type, place; ordered by name."""
    return con.execute("select code, name, type, place from members order by name").df()


def names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Code -> name of every registered member, in code order."""
    return dict(con.execute("select code, name from members order by code").fetchall())


def codes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every registered member's code, in order."""
    return list(names(con))


def find(con: duckdb.DuckDBPyConnection, code_or_name: object) -> Member | None:
    """A member by code or by name, ignoring case, spacing and punctuation."""
    wanted = normalise(code_or_name)
    for code, name, kind, place in con.execute("select code, name, type, place from members").fetchall():
        if wanted in (normalise(code), normalise(name)):
            return Member(code, name, kind, place)
    return None
