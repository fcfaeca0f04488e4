"""The joint work register, as ``shared/spec/joint-work.md`` defines it.

The one place that lists the register's kinds, statuses, outcome measures and
the two sheets of its workbook (headings and the synonyms coordinators use for
them). The reader, the template, the store, the figures and the pages read
them from here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace

from common.errors import PeriodError
from contract.periods import Period, parse_quarter, parse_year, quarter_index
from contract.returns import Label, normalise

# -- kinds and statuses -----------------------------------------------------------------

KINDS: dict[str, str] = {
    "shared_post": "Shared post or team",
    "shared_capacity": "Shared beds or capacity",
    "joint_bid": "Joint bid or contract",
    "education": "Joint education and training",
    "fundraising": "Joint fundraising or retail",
    "procurement": "Joint procurement or shared service",
    "system_voice": "One response to the system",
    "other": "Other joint work",
}
KIND_HELP = {
    "shared_post": "a post or team the members employ or fund together",
    "shared_capacity": "beds or places one member provides for another's patients",
    "joint_bid": "a bid, tender or contract won or held together",
    "education": "education and training run together",
    "fundraising": "fundraising events, appeals or shops run together",
    "procurement": "buying together, or one service run for all",
    "system_voice": "consultations, boards and strategy answered with one voice",
    "other": "anything else the members do together",
}

STATUSES: dict[str, str] = {
    "planned": "Planned",
    "active": "Active",
    "complete": "Complete",
    "stopped": "Stopped",
}
COUNTED_STATUSES = ("active", "complete", "stopped")  # a planned project is listed, never counted

ALL_MEMBERS = "All"  # in the Members cell: every registered member at the time of reading

# -- outcomes ------------------------------------------------------------------------------

FLOW = "flow"  # summed over the period's quarters
STOCK = "stock"  # each project's latest quarter reported in the period


@dataclass(frozen=True)
class Measure:
    """An outcome measure: its key, label, unit, period rule and the synonyms coordinators write."""

    key: str
    label: str
    unit: str
    rule: str
    synonyms: tuple[str, ...] = ()

    def matches(self) -> set[str]:
        return {normalise(self.key), normalise(self.label), *(normalise(s) for s in self.synonyms)}


MEASURES: tuple[Measure, ...] = (
    Measure("money_won", "Funding won (£)", "£", FLOW, ("Funding won", "Money won", "Income won", "Bid income")),
    Measure("money_saved", "Costs saved (£)", "£", FLOW, ("Costs saved", "Savings", "Money saved", "Saving (£)")),
    Measure("staff_shared_fte", "Staff shared (FTE)", "FTE", STOCK, ("Staff shared", "Shared staff", "Shared FTE")),
    Measure("bed_days_shared", "Bed days shared", "days", FLOW, ("Shared bed days",)),
    Measure("people_trained", "People trained", "people", FLOW, ("Staff trained", "Trained")),
    Measure(
        "people_reached",
        "Patients and families reached",
        "people",
        FLOW,
        ("People reached", "Patients reached", "Reached"),
    ),
)
MEASURE_KEYS = tuple(m.key for m in MEASURES)


def measure(key: str) -> Measure:
    return next(m for m in MEASURES if m.key == key)


# -- the register workbook -------------------------------------------------------------------

PROJECTS_SHEET = "Projects"
PROJECTS_SHEET_SYNONYMS = ("Joint projects", "Project register", "Register", "Joint work", "Projects register")
OUTCOMES_SHEET = "Outcomes"
OUTCOMES_SHEET_SYNONYMS = ("Project outcomes", "Joint outcomes", "Results", "Outcomes register")
HELP_SHEET = "How to fill this in"

PROJECT_FIELDS: tuple[Label, ...] = (
    Label("title", "Title", ("Project", "Project title", "Name", "Project name")),
    Label("kind", "Kind", ("Type", "Kind of work", "Category", "Type of work")),
    Label("members", "Members", ("Partners", "Members taking part", "Hospices", "Who", "Organisations")),
    Label("lead", "Lead", ("Lead member", "Lead hospice", "Led by", "Lead organisation")),
    Label("start", "Start", ("Start quarter", "From", "Started", "Start date", "Began")),
    Label("end", "End", ("End quarter", "To", "Ended", "End date", "Finish", "Until")),
    Label("status", "Status", ("State", "Project status")),
    Label("description", "Description", ("Summary", "About", "What it is", "Details")),
    Label("link", "Link", ("Evidence", "URL", "Web address", "Document", "Link to evidence")),
)
PROJECT_REQUIRED = ("title", "kind", "members", "start", "status")

OUTCOME_FIELDS: tuple[Label, ...] = (
    Label("project", "Project", ("Title", "Project title", "Project name")),
    Label("quarter", "Quarter", ("Period", "Quarter awarded", "When")),
    Label("measure", "Measure", ("Outcome", "What", "Outcome measure")),
    Label("value", "Value", ("Amount", "Number", "Figure", "Value (£)")),
)


def sheet_matches(name: str, synonyms: tuple[str, ...]) -> set[str]:
    return {normalise(name), *(normalise(s) for s in synonyms)}


def title_key(title: object) -> str:
    """Titles are unique with case and spacing ignored: ``" 24/7  Single point"`` is ``"24/7 single point"``."""
    return " ".join(str(title).split()).lower()


def kind_of(text: object) -> str | None:
    """A kind given by key or label, matched like labels (case, spacing, punctuation); None if unknown."""
    wanted = normalise(text)
    return next((key for key, label in KINDS.items() if wanted in (normalise(key), normalise(label))), None)


def status_of(text: object) -> str | None:
    wanted = normalise(text)
    return next((key for key, label in STATUSES.items() if wanted in (normalise(key), normalise(label))), None)


def measure_of(text: object) -> str | None:
    wanted = normalise(text)
    return next((m.key for m in MEASURES if wanted in m.matches()), None)


# -- quarters as coordinators write them ---------------------------------------------------

_YEAR_IN_TEXT = re.compile(r"(?:fy\s*)?\d{2,4}\s*[/\-]\s*\d{2,4}", re.IGNORECASE)
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ t].*)?$", re.IGNORECASE)

WHICH_QUARTER = "write a quarter like 2024/25 Q1, or a date"


def quarter_of_date(day: datetime.date) -> int:
    fy = day.year if day.month >= 4 else day.year - 1
    return quarter_index(fy, (day.month - 4) % 12 // 3 + 1)


def read_quarter(value: object, year_means: str | None = None) -> int:
    """A quarter index from a cell: ``2024/25 Q1``, ``Q1 2024/25``, ``FY 24/25 Apr-Jun`` or a date (its quarter).

    ``year_means``: what a whole financial year (``2024/25``) stands for: ``"first"``
    (a project's start: its Q1), ``"last"`` (an end: its Q4), or None (an outcome's
    quarter must be one quarter). Raises :class:`PeriodError` saying what to write.
    """
    if isinstance(value, datetime.datetime):
        return quarter_of_date(value.date())
    if isinstance(value, datetime.date):
        return quarter_of_date(value)
    raw = " ".join(str(value).split())
    day = _text_date(raw)
    if day is not None:
        return quarter_of_date(day)
    try:
        period = Period.parse(raw)
    except PeriodError:
        period = _year_and_quarter(raw)
    if period is not None and period.is_quarter:
        return period.first
    if period is not None and period.is_financial_year and year_means in ("first", "last"):
        return period.first if year_means == "first" else period.last
    if period is not None:
        raise PeriodError(f"'{raw}' is more than one quarter; {WHICH_QUARTER}")
    raise PeriodError(f"'{raw}' is not a quarter; {WHICH_QUARTER}")


def _year_and_quarter(raw: str) -> Period | None:
    """``Q2 2023/24``, ``2023-24 Jul-Sep``: a year anywhere in the text, the rest its quarter."""
    match = _YEAR_IN_TEXT.search(raw)
    if not match:
        return None
    rest = (raw[: match.start()] + " " + raw[match.end() :]).strip(" ,-")
    try:
        fy = parse_year(match.group(0))
        return Period.quarter(fy, parse_quarter(rest)) if rest else Period.year(fy)
    except PeriodError:
        return None


def _text_date(raw: str) -> datetime.date | None:
    for pattern, order in ((_DAY_FIRST, (3, 2, 1)), (_ISO, (1, 2, 3))):
        match = pattern.match(raw)
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return datetime.date(year, month, day)
            except ValueError:
                return None
    return None


# -- the register, as stored ------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    """One joint project. ``members`` are member codes; quarters are quarter indexes."""

    title: str
    kind: str
    members: tuple[str, ...]
    start: int
    status: str
    lead: str | None = None
    end: int | None = None  # None: ongoing
    description: str = ""
    link: str = ""
    all_members: bool = False  # the Members cell said "All"

    @property
    def counted(self) -> bool:
        return self.status in COUNTED_STATUSES

    def overlaps(self, period: Period) -> bool:
        return self.start <= period.last and (self.end is None or self.end >= period.first)


@dataclass(frozen=True)
class Outcome:
    """What a project achieved in a quarter: (project title, quarter, measure, value)."""

    project: str
    quarter: int
    measure: str
    value: float


@dataclass(frozen=True)
class Register:
    projects: tuple[Project, ...] = ()
    outcomes: tuple[Outcome, ...] = ()

    def project(self, title: str) -> Project | None:
        key = title_key(title)
        return next((p for p in self.projects if title_key(p.title) == key), None)

    def same_as(self, other: Register) -> bool:
        """The same projects in the same order, and the same outcomes, whatever order they were given in."""

        def members_sorted(register: Register) -> tuple[Project, ...]:
            return tuple(replace(p, members=tuple(sorted(p.members))) for p in register.projects)

        def outcomes(register: Register) -> list[tuple]:
            return sorted((title_key(o.project), o.quarter, o.measure, o.value) for o in register.outcomes)

        return members_sorted(self) == members_sorted(other) and outcomes(self) == outcomes(other)

    def outcomes_of(self, title: str) -> tuple[Outcome, ...]:
        key = title_key(title)
        return tuple(o for o in self.outcomes if title_key(o.project) == key)


def register_problems(register: Register, registered: dict[str, str]) -> list[str]:
    """Every way the register breaks the contract's rules, in words; empty when it is sound.

    ``registered``: member code -> name. The workbook reader reports the same rules cell by
    cell; this is what the store checks before it writes any register (an edit in the app,
    a restore), so a broken register is never stored.
    """
    problems = []
    seen: set[str] = set()
    for project in register.projects:
        name = f"'{project.title}'"
        key = title_key(project.title)
        if not key:
            problems.append("A project has no title.")
        elif key in seen:
            problems.append(f"The title {name} is used twice; give each project its own title.")
        seen.add(key)
        if project.kind not in KINDS:
            problems.append(f"{name}: '{project.kind}' is not a kind of joint work.")
        if project.status not in STATUSES:
            problems.append(f"{name}: '{project.status}' is not a status.")
        unknown = [code for code in project.members if code not in registered]
        if unknown:
            problems.append(f"{name}: {', '.join(unknown)} are not registered members.")
        if len(set(project.members)) < 2:
            problems.append(f"{name} needs at least two members taking part.")
        if project.lead is not None and project.lead not in project.members:
            problems.append(f"{name}: the lead ({project.lead}) is not one of the members taking part.")
        if project.end is not None and project.end < project.start:
            problems.append(f"{name} ends before it starts.")
    titles = {title_key(p.title): p for p in register.projects}
    seen_outcomes: set[tuple[str, int, str]] = set()
    for outcome in register.outcomes:
        project = titles.get(title_key(outcome.project))
        name = f"'{outcome.project}'"
        if project is None:
            problems.append(f"An outcome is for {name}, which is not a project in the register.")
            continue
        if outcome.measure not in MEASURE_KEYS:
            problems.append(f"{name}: '{outcome.measure}' is not an outcome measure.")
        if not outcome.value >= 0:
            problems.append(f"{name}: an outcome is negative; outcomes cannot be below zero.")
        if project.status == "planned":
            problems.append(f"{name} is planned but has outcomes; a project with outcomes has started.")
        if outcome.quarter < project.start or (project.end is not None and outcome.quarter > project.end):
            problems.append(f"{name} has an outcome in a quarter outside its start and end.")
        key = (title_key(outcome.project), outcome.quarter, outcome.measure)
        if key in seen_outcomes:
            problems.append(f"{name} has the same outcome twice in one quarter.")
        seen_outcomes.add(key)
    return problems
