"""Who may use a shared One Voice, in what role, and what each member agrees to share.

Roles: a *coordinator* does everything; a *member* lead loads, withdraws and
restores its own member's returns and sees its own figures; a *viewer*
(commissioners, board members) sees the pages and exports. Each member
chooses, per audience (other ``members``, ``viewers``), whether its own figures
may be shown by name; by default other members see them and viewers see them
only inside the combined figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from common.errors import MemberError, UserError
from store import members
from store.events import log_event

ROLES = ("coordinator", "member", "viewer")
AUDIENCES = ("members", "viewers")
SHOWN_BY_DEFAULT = {"members": True, "viewers": False}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class User:
    email: str
    role: str
    member: str | None = None


def check(con: duckdb.DuckDBPyConnection, user: User) -> User:
    email = user.email.strip().lower()
    if not EMAIL.match(email):
        raise UserError(f"'{user.email}' is not an email address; give the address the person signs in with")
    role = user.role.strip().lower()
    if role not in ROLES:
        raise UserError(f"The role should be coordinator, member or viewer, not '{user.role}'")
    member = (user.member or "").strip().upper() or None
    if role == "member":
        if member is None:
            raise UserError(f"{email} is a member lead: name the member they load returns for (--member CODE)")
        if members.get(con, member) is None:
            raise MemberError(f"There is no member {member} in the registry")
    elif member is not None:
        raise UserError(f"Only a member lead belongs to one member; a {role} sees every member")
    return User(email, role, member)


def add(con: duckdb.DuckDBPyConnection, user: User, by: str | None = None) -> User:
    """Add a user, or change their role; returns the user as stored."""
    user = check(con, user)
    con.execute(
        "insert or replace into users (email, role, member_code) values ($1, $2, $3)",
        [user.email, user.role, user.member],
    )
    log_event(con, "user set", member_code=user.member, detail=f"{user.email}: {user.role}", by=by)
    return user


def remove(con: duckdb.DuckDBPyConnection, email: str, by: str | None = None) -> None:
    email = email.strip().lower()
    if get(con, email) is None:
        raise UserError(f"There is no user {email}")
    con.execute("delete from users where email = $1", [email])
    log_event(con, "user removed", detail=email, by=by)


def get(con: duckdb.DuckDBPyConnection, email: str | None) -> User | None:
    if not email:
        return None
    row = con.execute("select email, role, member_code from users where email = $1", [email.strip().lower()])
    found = row.fetchone()
    return None if found is None else User(*found)


def all_users(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Columns: email, role, member_code, added_at; by role then email."""
    return con.execute("select email, role, member_code, added_at from users order by role, email").df()


def sharing(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, bool]]:
    """Member code -> {audience: shown by name}, for every registered member (defaults filled in)."""
    stored = {
        (code, audience): shown
        for code, audience, shown in con.execute("select member_code, audience, shown from sharing").fetchall()
    }
    return {
        code: {audience: stored.get((code, audience), SHOWN_BY_DEFAULT[audience]) for audience in AUDIENCES}
        for code in members.codes(con)
    }


def share(con: duckdb.DuckDBPyConnection, code: str, audience: str, shown: bool, by: str | None = None) -> None:
    """Record a member's choice: whether ``audience`` may see its figures by name."""
    if audience not in AUDIENCES:
        raise UserError(f"The audience should be members or viewers, not '{audience}'")
    con.execute("insert or replace into sharing values ($1, $2, $3)", [code, audience, bool(shown)])
    word = "shown to" if shown else "not shown to"
    log_event(con, "sharing changed", member_code=code, detail=f"figures {word} {audience} by name", by=by)


def hidden_from(con: duckdb.DuckDBPyConnection, user: User) -> tuple[str, ...]:
    """The members whose figures this user may not see by name (they still count in the combined figures)."""
    if user.role == "coordinator":
        return ()
    audience = "viewers" if user.role == "viewer" else "members"
    return tuple(code for code, shown in sharing(con).items() if not shown[audience] and code != user.member)


def record(con: duckdb.DuckDBPyConnection, action: str, detail: str | None, by: str | None) -> None:
    """Audit something a person did that changes no data: signing in, an export."""
    con.execute(
        "insert into audit (happened_at, action, detail, by_whom) values ($1, $2, $3, $4)",
        [datetime.now().replace(microsecond=0), action, detail, by],
    )


def audit_log(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Everything recorded, newest first: every change (``events``) and every sign-in and export (``audit``).

    Columns: happened_at, action, member_code, detail, by_whom.
    """
    return con.execute(
        """
        select happened_at, action, member_code, detail, by_whom from events
        union all
        select happened_at, action, null, detail, by_whom from audit
        order by happened_at desc
        """
    ).df()
