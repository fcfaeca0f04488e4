"""The members CSV (``code,name,type,place``): read, checked and stored all or nothing."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from common.errors import CsvProblem, PeriodError
from contract.periods import Period
from store import db, members

MEMBER_COLUMNS = ("code", "name", "type", "place")
MEMBERSHIP_COLUMNS = ("joined", "left")  # optional: quarters such as 2024/25 Q3, blank for none
CONTACT_COLUMNS = ("contact", "email")  # optional: the member's data lead and their email address
OPTIONAL_COLUMNS = MEMBERSHIP_COLUMNS + CONTACT_COLUMNS


def read_members_csv(path: Path) -> list[members.Member]:
    """Every member of the CSV, checked; raises :class:`CsvProblem` listing every bad line."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        found = [c.strip().lower() for c in reader.fieldnames or []]
        missing = [c for c in MEMBER_COLUMNS[:3] if c not in found]
        if missing:
            raise CsvProblem(
                f"{path.name}: line 1 should be the column names code,name,type,place; missing {', '.join(missing)}"
            )
        reader.fieldnames = found
        rows = [(reader.line_num, row) for row in reader]
    problems, checked, seen = [], [], {}
    for line, row in rows:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        try:
            fields = [(row.get(c) or "").strip() for c in MEMBER_COLUMNS]
            joined, left = (quarter_of(row.get(c), c, fields[0]) for c in MEMBERSHIP_COLUMNS)
            contact, email = ((row.get(c) or "").strip() or None for c in CONTACT_COLUMNS)
            member = members.check(members.Member(*fields, joined=joined, left=left, contact=contact, email=email))
        except (members.MemberError, PeriodError) as error:
            problems.append(f"{path.name} line {line}: {error}")
            continue
        if member.code in seen:
            problems.append(
                f"{path.name} line {line}: member code {member.code} is also on line "
                f"{seen[member.code]}; give each member once"
            )
            continue
        seen[member.code] = line
        checked.append(member)
    if problems:
        raise CsvProblem("\n".join(problems))
    return checked


def quarter_of(text: str | None, column: str, code: str) -> int | None:
    """A ``joined`` or ``left`` cell as a quarter index; blank is None."""
    text = (text or "").strip()
    if not text:
        return None
    period = Period.parse(text)
    if not period.is_quarter:
        raise PeriodError(f"Member {code}: {column} '{text}' should be one quarter, like 2024/25 Q3")
    return period.first


def load_members(path: Path, db_path=None, by: str | None = None) -> list[tuple[members.Member, str]]:
    """Add or update every member of the CSV in one transaction: all of them, or none.

    The ``joined``, ``left``, ``contact`` and ``email`` columns are optional: a CSV without one
    leaves what is stored for it as it is (only a blank cell in a column that is there means "none").
    """
    checked = read_members_csv(path)
    present = _optional_columns(path)
    done = []
    with db.connect(db_path) as con, db.transaction(con):
        for member in checked:
            stored = members.get(con, member.code)
            if stored is not None:
                member = replace(
                    member,
                    joined=member.joined if "joined" in present else stored.joined,
                    left=member.left if "left" in present else stored.left,
                    contact=member.contact if "contact" in present else stored.contact,
                    email=member.email if "email" in present else stored.email,
                )
            try:
                done.append((member, members.upsert(con, member, by=by)))
            except members.MemberError as error:
                raise CsvProblem(f"{path.name}: {error}") from None
    return done


def _optional_columns(path: Path) -> set[str]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), [])
    return {c.strip().lower() for c in header} & set(OPTIONAL_COLUMNS)
