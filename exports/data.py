"""Everything an export shows, read from metrics once, under one short-lived connection.

The deck, the workbook and the CSVs are drawn from one :class:`ExportData`, so
they cannot disagree with each other, and they are plain functions of it (no
database), which keeps them fast to test. Nothing here computes a figure: the
figure frames are metrics' own (with the suppression rule applied when asked).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

import duckdb
import pandas as pd

import metrics
from charts.palette import member_colours
from common.errors import ExportError
from common.words import COMBINED
from contract.joint_work import MEASURES, Register, title_key
from contract.periods import Period, quarter_label
from exports import suppression
from metrics import joint_work as joint_figures
from metrics.definitions import FIGURES
from metrics.figure import Figure
from metrics.figures import without_names
from metrics.joint_work import JointWork
from metrics.value import ValueAdded, bed_day_cost, value_added
from metrics.variation import glance
from store import joint_work as register_store
from store import members as registry
from store import settings, submissions

AREAS = ("income", "workforce", "capacity", "activity")
AREA_TITLES = {
    "income": "Income",
    "workforce": "Workforce",
    "capacity": "Capacity",
    "activity": "Activity",
    "members": "Members",
}


@dataclass
class ExportData:
    collaborative: str
    period: Period
    members: list[str]  # codes in scope, in code order
    member_names: dict[str, str]
    member_details: pd.DataFrame  # code, name, type, place
    colours: dict[str, str]  # per code, stable for the registry; "ALL" is black
    areas: dict[str, pd.DataFrame]  # area -> figure frame (rule applied when suppress)
    coverage: object  # metrics Coverage
    grid: pd.DataFrame  # metrics.completeness
    provenance: pd.DataFrame  # the returns included, one row each
    definitions: pd.DataFrame
    volunteer_assumption: str
    suppress: bool
    partial: dict[str, list[str]] = field(default_factory=dict)  # figure key -> member-quarters it lacks
    members_in: int = 0  # members of the whole collaborative in the period (for "two of the five")
    unseen: int = 0  # members in the combined figures that this reader may not see by name
    spc: list = field(default_factory=list)  # metrics.variation.SpcSeries of the key figures (the SPC sheet)
    joint: JointWork | None = None  # the period's joint work (metrics.joint_work), rule applied when suppress
    value_added: ValueAdded | None = None  # metrics.value: bed days, volunteer time, £ per £, won and saved
    register_projects: int = 0  # projects in the register as it stands; 0: the register is empty
    register_outcomes: pd.DataFrame = field(default_factory=pd.DataFrame)  # every outcome of the projects in scope
    register_history: pd.DataFrame = field(default_factory=pd.DataFrame)  # store.joint_work.versions, newest first
    registered_names: dict[str, str] = field(default_factory=dict)  # every member a project may name, code -> name
    created: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    @property
    def figures(self) -> pd.DataFrame:
        return pd.concat(list(self.areas.values()), ignore_index=True)

    def value(self, figure: Figure | str, member_code: str = COMBINED, breakdown: str = "all"):
        """One value of a figure (declaration or key): a float, NaN (not reported) or ``*`` (suppressed)."""
        key = figure.key if isinstance(figure, Figure) else figure
        frame = self.figures
        hit = frame[
            (frame["measure"] == key) & (frame["member_code"] == member_code) & (frame["breakdown"] == breakdown)
        ]
        return hit["value"].iloc[0] if len(hit) else float("nan")

    def label(self, measure: str) -> str:
        row = self.definitions[self.definitions["key"] == measure]
        return row["label"].iloc[0] if len(row) else measure

    def name(self, code: str) -> str:
        return "Combined" if code == COMBINED else self.member_names.get(code, code)

    def member_name(self, code: str) -> str:
        """Any registered member's name: a joint project may name members outside the export's scope."""
        return self.registered_names.get(code, code)

    @property
    def missing(self) -> list[str]:
        """``["Willow Hospice 2024/25 Q4", ...]``."""
        return [f"{self.name(code)} {quarter_label(index)}" for code, index in self.coverage.missing]


def check_members(con: duckdb.DuckDBPyConnection, codes: list[str] | None) -> list[str] | None:
    """The member filter, upper-cased; an unknown code is an :class:`ExportError` naming it."""
    if codes is None:
        return None
    wanted = [code.strip().upper() for code in codes if code.strip()]
    known = set(registry.all_members(con)["code"])
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise ExportError(
            f"No member has the code {', '.join(unknown)}; the members are {', '.join(sorted(known)) or 'none yet'}"
        )
    if not wanted:
        raise ExportError("Choose at least one member")
    return wanted


def gather(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    members: list[str] | None = None,
    suppress: bool = False,
    hourly_rate: float | None = None,
    on_cost: float | None = None,
    now: datetime | None = None,
    hidden: tuple[str, ...] = (),
) -> ExportData:
    """Read every figure, the coverage and the provenance an export needs.

    ``hidden``: members whose figures the reader may not see by name (``store.users``): they
    stay in the combined figures and are left out of everything member by member.
    """
    members = check_members(con, members)
    areas = {
        "income": metrics.income(con, period, members),
        "workforce": metrics.workforce(con, period, members, hourly_rate=hourly_rate, on_cost=on_cost),
        "capacity": metrics.capacity(con, period, members),
        "activity": metrics.activity(con, period, members),
    }
    volunteer = metrics.volunteer_rate(con, hourly_rate, on_cost)
    register = register_store.current(con)
    joint = joint_figures.figures_of(register, period, joint_figures.members_in_period(con, period, members))
    value = value_added(pd.concat(list(areas.values()), ignore_index=True), joint, volunteer, bed_day_cost(con))
    if suppress:
        areas = {area: suppression.apply(frame) for area, frame in areas.items()}
        joint = _suppressed_joint(joint)
    coverage = metrics.coverage(con, period, members)
    grid = metrics.completeness(con, period, members)
    details = registry.all_members(con)
    codes = sorted(set(coverage.members_expected) | set(coverage.members_reporting))
    names = dict(zip(details["code"], details["name"]))
    data = ExportData(
        collaborative=settings.get(con, "collaborative_name"),
        period=period,
        members=codes,
        member_names={code: names.get(code, code) for code in codes},
        member_details=details[details["code"].isin(codes)].sort_values("code").reset_index(drop=True),
        colours=member_colours(sorted(set(details["code"]) | set(codes))),
        areas=areas,
        coverage=coverage,
        grid=grid,
        provenance=provenance(con, grid),
        definitions=metrics.definitions(),
        volunteer_assumption=volunteer.assumption,
        suppress=suppress,
        partial=metrics.partial(con, period, members),
        spc=_spc(con, period, members),
        members_in=len(metrics.coverage(con, period).members_expected) if members else len(coverage.members_expected),
        joint=joint,
        value_added=value,
        register_projects=len(register.projects),
        register_outcomes=register_outcomes(register, members, suppress),
        register_history=register_store.versions(con),
        registered_names=names,
    )
    if now is not None:
        data.created = now
    return _without(data, hidden) if hidden else data


SPC_FIGURES = (
    "income_total",
    "statutory_share",
    "staff_headcount",
    "vacancy_rate",
    "volunteers",
    "volunteer_hours",
    "ipu_beds",
    "occupancy_rate",
    "people_supported",
    "new_referrals",
    "community_contacts",
    "hah_visits",
    "preferred_place_rate",
)


def _spc(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None) -> list:
    """The SPC charts of the key figures: every quarter with returns up to the export's last."""
    first = con.execute("select min(quarter_index) from submissions where status = 'current'").fetchone()[0]
    if first is None:
        return []
    whole = Period(min(first, period.first), period.last)
    return glance(con, [FIGURES[key] for key in SPC_FIGURES], whole, members, settings.targets(con))


def _without(data: ExportData, hidden: tuple[str, ...]) -> ExportData:
    """The export with ``hidden`` members left out of every member-level view (combined rows keep them)."""
    keep = [code for code in data.members if code not in hidden]
    data.members = keep
    data.member_names = {code: data.member_names[code] for code in keep}
    data.member_details = data.member_details[data.member_details["code"].isin(keep)].reset_index(drop=True)
    data.areas = {
        area: frame[~frame["member_code"].isin(hidden)].reset_index(drop=True) for area, frame in data.areas.items()
    }
    data.grid = data.grid[data.grid["member_code"].isin(keep)].reset_index(drop=True)
    data.provenance = data.provenance[data.provenance["member_code"].isin(keep)].reset_index(drop=True)
    data.partial = without_names(data.partial, hidden)
    data.joint = joint_figures.without_members(data.joint, hidden)
    data.registered_names = {code: name for code, name in data.registered_names.items() if code not in hidden}
    data.unseen = len([code for code in hidden if code in data.coverage.members_expected])
    return data


# -- joint work ---------------------------------------------------------------------------

JOINT_PEOPLE = tuple(m.key for m in MEASURES if suppression.is_count_of_people(m.unit, m.rule))
REGISTER_OUTCOME_COLUMNS = ["project", "quarter_index", "quarter", "measure", "measure_label", "unit", "value"]


def _suppressed_joint(joint: JointWork) -> JointWork:
    """The joint work with the rule applied to its counts of people (people trained, patients and families
    reached: unit people, a flow), each project's and combined; money, FTE and bed days are left alone."""
    projects = joint.projects.copy()
    for key in JOINT_PEOPLE:
        projects[key] = pd.Series(
            [suppression.suppress_count(v) for v in projects[key]], index=projects.index, dtype=object
        )

    def rule(key: str, value):
        return suppression.suppress_count(value) if key in JOINT_PEOPLE and value is not None else value

    return replace(
        joint,
        projects=projects,
        outcomes={key: rule(key, value) for key, value in joint.outcomes.items()},
        outcomes_by_kind={
            key: {kind: rule(key, value) for kind, value in kinds.items()}
            for key, kinds in joint.outcomes_by_kind.items()
        },
    )


def register_outcomes(register: Register, members: list[str] | None, suppress: bool) -> pd.DataFrame:
    """Every outcome the register records, every quarter, for the projects with a member in ``members``
    (every project when None): in the register's order of projects, then quarter, then measure."""
    chosen = set(members) if members is not None else None
    order = {title_key(p.title): i for i, p in enumerate(register.projects)}
    in_scope = {title_key(p.title) for p in register.projects if chosen is None or chosen.intersection(p.members)}
    measures = {m.key: (i, m) for i, m in enumerate(MEASURES)}
    outcomes = sorted(
        (o for o in register.outcomes if title_key(o.project) in in_scope),
        key=lambda o: (order[title_key(o.project)], o.quarter, measures[o.measure][0]),
    )
    rows = [
        {
            "project": register.project(o.project).title,
            "quarter_index": o.quarter,
            "quarter": quarter_label(o.quarter),
            "measure": o.measure,
            "measure_label": measures[o.measure][1].label,
            "unit": measures[o.measure][1].unit,
            "value": suppression.suppress_count(o.value) if suppress and o.measure in JOINT_PEOPLE else o.value,
        }
        for o in outcomes
    ]
    return pd.DataFrame(rows, columns=REGISTER_OUTCOME_COLUMNS)


def provenance(con: duckdb.DuckDBPyConnection, grid: pd.DataFrame) -> pd.DataFrame:
    """Each return the figures come from: member, quarter, file, when loaded, by whom, SHA-256.

    The current return of every member-quarter in the completeness grid, with the
    submissions it replaced (kept in the history) listed beside it.
    """
    included = grid[grid["submission_id"].notna()]
    history = submissions.history(con).set_index("submission_id")
    rows = []
    for _, cell in included.iterrows():
        sub = history.loc[int(cell["submission_id"])]
        rows.append(
            {
                "member_code": cell["member_code"],
                "member_name": cell["member_name"],
                "quarter": cell["quarter_label"],
                "quarter_index": int(cell["quarter_index"]),
                "file_name": sub["file_name"],
                "loaded_at": pd.Timestamp(sub["loaded_at"]).to_pydatetime(),
                "sent_by": sub["sent_by"],
                "sha256": sub["sha256"],
                "submission_id": int(cell["submission_id"]),
                "replaces": ", ".join(str(i) for i in cell["superseded_ids"]),
                "prepared_by": sub["prepared_by"],
                "email": sub["email"],
                "notes": sub["notes"],
            }
        )
    columns = [
        "member_code",
        "member_name",
        "quarter",
        "quarter_index",
        "file_name",
        "loaded_at",
        "sent_by",
        "sha256",
        "submission_id",
        "replaces",
        "prepared_by",
        "email",
        "notes",
    ]
    return pd.DataFrame(rows, columns=columns)
