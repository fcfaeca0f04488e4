"""The joint work register in DuckDB: the current register, every earlier one, and restoring.

Every change (a workbook loaded, a project added, changed or removed in the app,
an earlier register restored) writes the whole register again as a new version
(``store/schema.py``, migration 4). The current register is the newest version;
nothing is ever overwritten, so the history is the list of versions.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import duckdb
import pandas as pd

from common.errors import JointWorkRefused, NoSuchVersion
from contract.joint_work import Outcome, Project, Register, register_problems, title_key
from store import members
from store.events import log_event


def current_version(con: duckdb.DuckDBPyConnection) -> int | None:
    return con.execute("select max(version_id) from joint_versions").fetchone()[0]


def current(con: duckdb.DuckDBPyConnection) -> Register:
    """The register as it stands (empty before anything is loaded)."""
    version = current_version(con)
    return Register() if version is None else at(con, version)


def at(con: duckdb.DuckDBPyConnection, version: int) -> Register:
    """The register as version ``version`` left it."""
    if not con.execute("select count(*) from joint_versions where version_id = $1", [version]).fetchone()[0]:
        raise NoSuchVersion(f"There is no register version {version}.")
    rows = con.execute(
        "select position, title, kind, all_members, lead, start_quarter, end_quarter, status, description, link "
        "from joint_projects where version_id = $1 order by position",
        [version],
    ).fetchall()
    taking_part: dict[int, list[str]] = {}
    for position, code in con.execute(
        "select position, member_code from joint_project_members where version_id = $1 order by position, member_code",
        [version],
    ).fetchall():
        taking_part.setdefault(position, []).append(code)
    projects = {
        row[0]: Project(
            title=row[1],
            kind=row[2],
            all_members=row[3],
            lead=row[4],
            start=row[5],
            end=row[6],
            status=row[7],
            description=row[8] or "",
            link=row[9] or "",
            members=tuple(taking_part.get(row[0], ())),
        )
        for row in rows
    }
    outcomes = tuple(
        Outcome(projects[position].title, quarter, measure, value)
        for position, quarter, measure, value in con.execute(
            "select position, quarter_index, measure, value from joint_outcomes where version_id = $1 "
            "order by position, quarter_index, measure",
            [version],
        ).fetchall()
    )
    return Register(tuple(projects.values()), outcomes)


def save(
    con: duckdb.DuckDBPyConnection,
    register: Register,
    action: str,
    detail: str = "",
    by: str | None = None,
    file_name: str | None = None,
    content: bytes | None = None,
) -> int:
    """Write ``register`` as the new current version; the caller holds the transaction.

    Refuses (:class:`JointWorkRefused`, every problem listed) a register that breaks the
    contract's rules, so nothing broken is ever stored, whichever way it came in.
    """
    problems = register_problems(register, members.names(con))
    if problems:
        raise JointWorkRefused("The register was not changed:\n" + "\n".join(f"- {p}" for p in problems))
    sha256 = None
    if content is not None:
        sha256 = hashlib.sha256(content).hexdigest()
        con.execute("insert into files values ($1, $2, $3) on conflict do nothing", [sha256, len(content), content])
    version = con.execute(
        "insert into joint_versions (made_at, action, detail, by_whom, file_name, sha256) "
        "values ($1, $2, $3, $4, $5, $6) returning version_id",
        [datetime.now().replace(microsecond=0), action, detail, by, file_name, sha256],
    ).fetchone()[0]
    positions = {title_key(p.title): i for i, p in enumerate(register.projects, start=1)}
    if register.projects:
        con.executemany(
            "insert into joint_projects values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            [
                [
                    version,
                    positions[title_key(p.title)],
                    p.title,
                    p.kind,
                    p.all_members,
                    p.lead,
                    p.start,
                    p.end,
                    p.status,
                    p.description or None,
                    p.link or None,
                ]
                for p in register.projects
            ],
        )
        con.executemany(
            "insert into joint_project_members values ($1, $2, $3)",
            [
                [version, positions[title_key(p.title)], code]
                for p in register.projects
                for code in sorted(set(p.members))
            ],
        )
    if register.outcomes:
        con.executemany(
            "insert into joint_outcomes values ($1, $2, $3, $4, $5)",
            [[version, positions[title_key(o.project)], o.quarter, o.measure, o.value] for o in register.outcomes],
        )
    log_event(con, f"joint work {action}", detail=f"register version {version}: {detail}".rstrip(": "), by=by)
    return version


def versions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The history, newest first: version, when, what, detail, by whom, file, projects, outcomes."""
    return con.execute(
        """
        select v.version_id as version, v.made_at, v.action, v.detail, v.by_whom, v.file_name,
               (select count(*) from joint_projects p where p.version_id = v.version_id) as projects,
               (select count(*) from joint_outcomes o where o.version_id = v.version_id) as outcomes
        from joint_versions v order by v.version_id desc
        """
    ).df()


def original(con: duckdb.DuckDBPyConnection, version: int) -> tuple[str, bytes] | None:
    """The workbook a version was loaded from (name and bytes), if it came from one."""
    row = con.execute(
        "select v.file_name, f.content from joint_versions v join files f using (sha256) where v.version_id = $1",
        [version],
    ).fetchone()
    return (row[0], bytes(row[1])) if row else None


def restore(con: duckdb.DuckDBPyConnection, version: int, by: str | None = None) -> int:
    """Make an earlier register current again, as a new version (the one it replaces stays)."""
    register = at(con, version)
    made_at = con.execute("select made_at from joint_versions where version_id = $1", [version]).fetchone()[0]
    return save(con, register, "restored", f"the register of version {version} ({made_at:%d %B %Y %H:%M})", by=by)


def put_project(
    con: duckdb.DuckDBPyConnection,
    project: Project,
    outcomes: tuple[Outcome, ...],
    replacing: str | None = None,
    by: str | None = None,
) -> int:
    """Add a project, or change the one titled ``replacing``, with its outcomes; a new version."""
    register = current(con)
    old_key = title_key(replacing) if replacing else None
    if old_key is not None and register.project(replacing) is None:
        raise JointWorkRefused(f"There is no project '{replacing}' in the register to change.")
    projects = [project if title_key(p.title) == old_key else p for p in register.projects]
    if old_key is None:
        projects.append(project)
    kept = tuple(o for o in register.outcomes if title_key(o.project) != (old_key or title_key(project.title)))
    outcomes = tuple(Outcome(project.title, o.quarter, o.measure, o.value) for o in outcomes)
    action = "project changed" if old_key else "project added"
    return save(con, Register(tuple(projects), kept + outcomes), action, f"'{project.title}'", by=by)


def remove_project(con: duckdb.DuckDBPyConnection, title: str, by: str | None = None) -> int:
    register = current(con)
    found = register.project(title)
    if found is None:
        raise JointWorkRefused(f"There is no project '{title}' in the register to remove.")
    key = title_key(title)
    kept = Register(
        tuple(p for p in register.projects if title_key(p.title) != key),
        tuple(o for o in register.outcomes if title_key(o.project) != key),
    )
    return save(con, kept, "project removed", f"'{found.title}'", by=by)
