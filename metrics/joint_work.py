"""What members do together: the joint work register's figures for a period and a set of members.

The rules are ``shared/spec/joint-work.md`` ("Figures"), each defined once here:

- A project *counts* in a period when its status is active, complete or stopped
  and its start..end overlaps the period; a planned project is listed, never
  counted. It counts for a member set when at least one of its members is in it.
- ``joint_projects``: the counted projects; ``joint_projects_by_kind``: by kind.
- Each outcome measure (``contract.joint_work.MEASURES``) combines over the
  counted projects by the quarterly return's rules: a *flow* is summed over the
  period's quarters and over projects; a *stock* (staff shared) takes each
  project's latest quarter reported in the period, summed over projects. A
  measure no counted project reported is None (not reported), never 0.
- ``members_in_joint_work``: for each member, the counted projects it takes part
  in and the number it leads; a member that joins nothing shows as 0 and 0.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from contract.joint_work import FLOW, KINDS, MEASURES, STOCK, Project, Register
from contract.periods import Period, quarter_label
from store import joint_work as register_store

COUNTED_RULE = "Projects active, complete or stopped at any time in the period. Planned ones are listed, not counted."
RULE_WORDS = {  # how each outcome combines over a period, in words for a reader
    FLOW: "Summed over the quarters of the period and over the counted projects.",
    STOCK: "Each counted project's latest quarter reported in the period, summed over projects.",
}

PROJECT_COLUMNS = [
    "title",
    "kind",
    "kind_label",
    "members",
    "members_not_shown",
    "lead",
    "start",
    "end",
    "start_label",
    "end_label",
    "status",
    "counted",
    "description",
    "link",
    *(m.key for m in MEASURES),
]


@dataclass(frozen=True)
class JointWork:
    """The joint work figures of one period for one set of members.

    ``projects``: every project of the period (counted or planned), one row each with
    ``PROJECT_COLUMNS`` (``members`` a tuple of codes; each measure the project's value in
    the period by its rule, NaN where it reported none). ``outcomes``: measure key -> the
    combined value, or None where no counted project reported it. ``outcome_projects``:
    measure key -> the titles of the counted projects that reported it. ``by_member``:
    columns code, name, projects, leads, one row per member of the set. ``member_kinds``:
    member x kind counts of counted projects taken part in (leads in ``member_kind_leads``).
    """

    period: Period
    projects: pd.DataFrame
    joint_projects: int
    joint_projects_by_kind: dict[str, int]
    outcomes: dict[str, float | None]
    outcome_projects: dict[str, tuple[str, ...]]
    outcomes_by_kind: dict[str, dict[str, float | None]]
    by_member: pd.DataFrame
    member_kinds: pd.DataFrame
    member_kind_leads: pd.DataFrame

    @property
    def counted(self) -> pd.DataFrame:
        return self.projects[self.projects["counted"]]

    def kinds_table(self) -> pd.DataFrame:
        """Columns kind, kind_label, projects: the counted projects of each kind (every kind, 0 where none)."""
        return pd.DataFrame(
            {
                "kind": list(KINDS),
                "kind_label": list(KINDS.values()),
                "projects": [self.joint_projects_by_kind[kind] for kind in KINDS],
            }
        )

    def member_grid(self, names: dict[str, str]) -> pd.DataFrame:
        """Member x kind, for reading: a row per member (Member, Projects, Leads, then a column per kind
        saying ``2 (leads 1)``, ``1`` or ``–``), so a member that joins nothing shows as 0 and 0."""
        rows = []
        for code in self.member_kinds.index:
            row = {
                "Member": names.get(code, code),
                "Projects": int(self.member_kinds.loc[code].sum()),
                "Leads": int(self.member_kind_leads.loc[code].sum()),
            }
            for kind, label in KINDS.items():
                taking_part = int(self.member_kinds.loc[code, kind])
                leading = int(self.member_kind_leads.loc[code, kind])
                row[label] = "–" if not taking_part else f"{taking_part}" + (f" (leads {leading})" if leading else "")
            rows.append(row)
        return pd.DataFrame(rows, columns=["Member", "Projects", "Leads", *KINDS.values()])

    def as_dict(self) -> dict:
        """The ``joint_work`` object of ``python -m metrics summary --json`` (the contract's keys)."""
        return {
            "joint_projects": self.joint_projects,
            "joint_projects_by_kind": dict(self.joint_projects_by_kind),
            **{key: _plain(value) for key, value in self.outcomes.items()},
            "by_member": {
                code: {"projects": int(projects), "leads": int(leads)}
                for code, projects, leads in zip(
                    self.by_member["code"], self.by_member["projects"], self.by_member["leads"]
                )
            },
        }


def joint_work(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None) -> JointWork:
    """The period's joint work, from the current register, for ``members`` (default: the collaborative)."""
    return figures_of(register_store.current(con), period, members_in_period(con, period, members))


def members_in_period(
    con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None
) -> dict[str, str]:
    """Code -> name of the members of the collaborative in the period (or of ``members``), in code order."""
    rows = con.execute(
        "select code, name from members where coalesce(joined_quarter, $1) <= $1 "
        "and coalesce(left_quarter, $2) >= $2 order by code",
        [period.last, period.first],
    ).fetchall()
    found = dict(rows)
    if members is None:
        return found
    wanted = {code.strip().upper() for code in members if code.strip()}
    return {code: name for code, name in found.items() if code in wanted}


def figures_of(register: Register, period: Period, member_set: dict[str, str]) -> JointWork:
    """The contract's figures for a register (stored or not), a period and a member set (code -> name)."""
    chosen = set(member_set)
    in_period = [p for p in register.projects if p.overlaps(period) and chosen.intersection(p.members)]
    rows = [_row(project, register, period) for project in in_period]
    projects = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    projects["counted"] = projects["counted"].astype(bool)
    counted = projects[projects["counted"]]
    by_kind = {kind: int((counted["kind"] == kind).sum()) for kind in KINDS}
    outcomes = {m.key: _combined(counted[m.key]) for m in MEASURES}
    outcome_projects = {m.key: tuple(counted.loc[counted[m.key].notna(), "title"]) for m in MEASURES}
    outcomes_by_kind = {
        m.key: {kind: _combined(counted.loc[counted["kind"] == kind, m.key]) for kind in KINDS} for m in MEASURES
    }
    taking_part = [
        (code, kind, lead == code)
        for members, kind, lead in zip(counted["members"], counted["kind"], counted["lead"])
        for code in members
    ]
    kinds = pd.DataFrame(0, index=list(member_set), columns=list(KINDS))
    leads = kinds.copy()
    for code, kind, leading in taking_part:
        if code in chosen:
            kinds.loc[code, kind] += 1
            leads.loc[code, kind] += int(leading)
    by_member = pd.DataFrame(
        {
            "code": list(member_set),
            "name": list(member_set.values()),
            "projects": [int(kinds.loc[code].sum()) for code in member_set],
            "leads": [int(leads.loc[code].sum()) for code in member_set],
        }
    )
    return JointWork(
        period, projects, len(counted), by_kind, outcomes, outcome_projects, outcomes_by_kind, by_member, kinds, leads
    )


def _row(project: Project, register: Register, period: Period) -> dict:
    values = {}
    for m in MEASURES:
        reported = [
            o for o in register.outcomes_of(project.title) if o.measure == m.key and o.quarter in period.quarters
        ]
        if not reported or not project.counted:
            values[m.key] = float("nan")
        elif m.rule == STOCK:
            values[m.key] = max(reported, key=lambda o: o.quarter).value  # the latest quarter reported in the period
        else:
            values[m.key] = sum(o.value for o in reported)
    return {
        "title": project.title,
        "kind": project.kind,
        "kind_label": KINDS[project.kind],
        "members": project.members,
        "members_not_shown": 0,  # members this reader may not see by name (``without_members``)
        "lead": project.lead,
        "start": project.start,
        "end": project.end,
        "start_label": quarter_label(project.start),
        "end_label": quarter_label(project.end) if project.end is not None else "ongoing",
        "status": project.status,
        "counted": project.counted,
        "description": project.description,
        "link": project.link,
        **values,
    }


def _combined(values: pd.Series) -> float | None:
    """Summed over projects; None when no project reported it (a reported 0 is 0)."""
    reported = values.dropna()
    return float(reported.sum()) if len(reported) else None


def _plain(value: float | None) -> float | int | None:
    if value is None:
        return None
    rounded = round(float(value), 6)
    return int(rounded) if rounded.is_integer() else rounded


def timeline(register: Register, member_set: dict[str, str] | None = None) -> pd.DataFrame:
    """Every project of the register (for the members, if given) for a timeline, by kind.

    Columns: title, kind, kind_label, status, start, end (quarter indexes; an ongoing
    project's end is None), start_label, end_label, members (tuple of codes).
    """
    chosen = set(member_set) if member_set is not None else None
    rows = [
        {
            "title": p.title,
            "kind": p.kind,
            "kind_label": KINDS[p.kind],
            "status": p.status,
            "start": p.start,
            "end": p.end,
            "start_label": quarter_label(p.start),
            "end_label": quarter_label(p.end) if p.end is not None else "ongoing",
            "members": p.members,
        }
        for p in register.projects
        if chosen is None or chosen.intersection(p.members)
    ]
    return pd.DataFrame(
        rows, columns=["title", "kind", "kind_label", "status", "start", "end", "start_label", "end_label", "members"]
    )


def without_members(result: JointWork, hidden: tuple[str, ...]) -> JointWork:
    """The same figures with ``hidden`` members (not shown to this reader by name) out of the per-member
    parts and out of each project's list of members; the counts and outcomes keep their projects."""
    if not hidden:
        return result
    gone = set(hidden)
    projects = result.projects.assign(
        members=[tuple(code for code in members if code not in gone) for members in result.projects["members"]],
        members_not_shown=[len(gone.intersection(members)) for members in result.projects["members"]],
        lead=[None if lead in gone else lead for lead in result.projects["lead"]],
    )
    keep = ~result.by_member["code"].isin(gone)
    return replace(
        result,
        projects=projects,
        by_member=result.by_member[keep].reset_index(drop=True),
        member_kinds=result.member_kinds.drop(index=[c for c in gone if c in result.member_kinds.index]),
        member_kind_leads=result.member_kind_leads.drop(index=[c for c in gone if c in result.member_kind_leads.index]),
    )
