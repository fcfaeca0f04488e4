"""The joint work register (shared/spec/joint-work.md): reading, storing, history and its figures.

Every register here is a real workbook built in code and loaded through the real
reader into a real DuckDB file; the figures are checked by hand.
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from charts.statement import statement, together
from contract.joint_work import KINDS, MEASURE_KEYS, Outcome, Project, Register, read_quarter
from contract.periods import Period, quarter_index
from loaders.cli import main as loaders_main
from loaders.joint_work import LOADED, REFUSED, UNCHANGED, load_register
from loaders.joint_work_template import register_workbook
from metrics.cli import main as metrics_main
from metrics.joint_work import figures_of, joint_work
from store import db, members
from store import joint_work as register_store

Q = quarter_index
PROJECT_HEAD = ["Title", "Kind", "Members", "Lead", "Start", "End", "Status", "Description", "Link"]
OUTCOME_HEAD = ["Project", "Quarter", "Measure", "Value"]


@pytest.fixture
def reg_db(tmp_path):
    """Three members; one of them has "and" in its name, as real hospices do."""
    path = tmp_path / "register.duckdb"
    with db.connect(path) as con:
        for member in (
            members.Member("ASH", "Ashgrove Hospice", "adult"),
            members.Member("SMJ", "St Mary and St John Hospice", "adult"),
            members.Member("OAK", "Oakleigh Children's Hospice", "children"),
        ):
            members.upsert(con, member)
    return path


def workbook(projects: list[list], outcomes: list[list] | None, *, projects_sheet="Projects", extra=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = projects_sheet
    for row in projects:
        sheet.append(row)
    if outcomes is not None:
        out = book.create_sheet("Outcomes")
        for row in outcomes:
            out.append(row)
    if extra:
        book.create_sheet(extra).append(["anything", 1, 2])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def load(reg_db, content: bytes, name: str = "tracker.xlsx"):
    return load_register(content, name, reg_db, by="Coordinator")


def messages(result) -> list[str]:
    return [str(p) for p in result.errors]


GOOD_PROJECTS = [
    PROJECT_HEAD,
    ["24/7 single point of contact", "Joint bid or contract", "All", "ASH", "2023/24 Q1", "", "active", "", ""],
    ["Shared consultant", "shared_post", "ASH, OAK", "OAK", "2024/25 Q1", "2024/25 Q4", "Complete", "", ""],
    ["Virtual ward", "joint bid", "ASH and SMJ", "", "2026/27 Q1", "", "Planned", "", ""],
]
GOOD_OUTCOMES = [
    OUTCOME_HEAD,
    ["24/7 single point of contact", "2023/24 Q1", "Funding won (£)", "£1,200,000"],
    ["24/7 single point of contact", "2024/25 Q2", "people_reached", 300],
    ["24/7 single point of contact", "2024/25 Q3", "Patients and families reached", 0],
    ["Shared consultant", "2024/25 Q1", "Staff shared (FTE)", 1],
    ["Shared consultant", "2024/25 Q3", "staff shared fte", 1.5],
    ["Shared consultant", "2024/25 Q2", "Costs saved", ""],
]


# -- reading -------------------------------------------------------------------------------------


def test_a_tracker_in_the_coordinators_own_layout_loads(reg_db):
    projects = [
        ["Northvale joint work tracker"],
        ["Kept by the coordinator"],
        [],
        ["Project name", "Type", "Partners", "Lead hospice", "From", "To", "State", "My notes", "Summary", "URL"],
        [
            "24/7  Single point",
            "Joint Bid",
            "St Mary and St John Hospice and ashgrove hospice",
            "ash",
            "Q1 2023/24",
            "",
            "Active",
        ],
        [],
        [
            "Beds",
            "Shared beds or capacity",
            "SMJ; OAK",
            "SMJ",
            "15/08/2023",
            "2023-24 Oct-Dec",
            "COMPLETE",
            "x",
            "Beds",
        ],
    ]
    outcomes = [["Outcomes we track"], ["Project title", "Period", "Outcome", "Amount"]]
    outcomes += [
        ["24/7 single point", "2023/24 Q2", "Funding won", "£1,500.50"],
        ["beds", "2023/24 Q3", "bed days shared", 40],
    ]
    result = load(reg_db, workbook(projects, outcomes, projects_sheet="Joint projects", extra="Old notes"))
    assert result.status == LOADED, messages(result)
    with db.connect(reg_db) as con:
        register = register_store.current(con)
    first, beds = register.projects
    assert first.title == "24/7 Single point"
    assert (first.kind, first.status, first.end) == ("joint_bid", "active", None)
    assert set(first.members) == {"ASH", "SMJ"} and first.lead == "ASH" and first.start == Q(2023, 1)
    assert set(beds.members) == {"SMJ", "OAK"} and beds.start == Q(2023, 2) and beds.end == Q(2023, 3)
    assert beds.status == "complete" and beds.description == "Beds"
    assert sorted((o.project, o.quarter, o.measure, o.value) for o in register.outcomes) == [
        ("24/7 Single point", Q(2023, 2), "money_won", 1500.5),
        ("Beds", Q(2023, 3), "bed_days_shared", 40.0),
    ]


def test_status_is_required_and_read_by_key_or_label(reg_db):
    projects = [PROJECT_HEAD, ["A", "other", "ASH, OAK", "", "2024/25 Q1", "", "", "", ""]]
    result = load(reg_db, workbook(projects, [OUTCOME_HEAD]))
    assert messages(result) == ["Projects!G2: 'A' has no status. Use one of: Planned; Active; Complete; Stopped."]


@pytest.mark.parametrize(
    "row, expected",
    [
        (
            ["", "other", "ASH, OAK", "", "2024/25 Q1", "", "active"],
            "Projects!A3: This project has no title. Every project needs a short, unique name in the Title column.",
        ),
        (
            ["shared  CONSULTANT", "other", "ASH, OAK", "", "2024/25 Q1", "", "active"],
            "Projects!A3: 'shared CONSULTANT' is already the title of the project at Projects!A2 (titles are "
            "compared ignoring case and spacing); give each project its own title.",
        ),
        (
            ["B", "Hats", "ASH, OAK", "", "2024/25 Q1", "", "active"],
            "Projects!B3: 'Hats' is not a kind of joint work. Use one of: " + "; ".join(KINDS.values()) + ".",
        ),
        (
            ["B", "other", "ASH, OAK", "", "2024/25 Q1", "", "maybe"],
            "Projects!G3: 'maybe' is not a status. Use one of: Planned; Active; Complete; Stopped.",
        ),
        (
            ["B", "other", "", "", "2024/25 Q1", "", "active"],
            "Projects!C3: 'B' names no members. Write at least two member codes or names, separated by commas, or All.",
        ),
        (
            ["B", "other", "ASH, Rowan Hospice", "", "2024/25 Q1", "", "active"],
            "Projects!C3: 'Rowan Hospice' in the Members of 'B' is not a registered member. Name members by code "
            "or name as registered: ASH (Ashgrove Hospice), OAK (Oakleigh Children's Hospice), "
            "SMJ (St Mary and St John Hospice).",
        ),
        (
            ["B", "other", "ASH; ash", "", "2024/25 Q1", "", "active"],
            "Projects!C3: 'B' has 1 member taking part; joint work needs at least two registered members, or All. "
            "Found: ASH; ash.",
        ),
        (
            ["B", "other", "ASH, OAK", "SMJ", "2024/25 Q1", "", "active"],
            "Projects!D3: The lead, St Mary and St John Hospice (SMJ), is not one of the members taking part in "
            "'B'; add it to Members or choose a lead from them.",
        ),
        (
            ["B", "other", "ASH, OAK", "Rowan", "2024/25 Q1", "", "active"],
            "Projects!D3: The lead 'Rowan' is not a registered member. Name members by code or name as registered: "
            "ASH (Ashgrove Hospice), OAK (Oakleigh Children's Hospice), SMJ (St Mary and St John Hospice).",
        ),
        (
            ["B", "other", "ASH, OAK", "", "", "", "active"],
            "Projects!E3: 'B' has no start. Write its first quarter, like 2024/25 Q1, or a date.",
        ),
        (
            ["B", "other", "ASH, OAK", "", "soon", "", "active"],
            "Projects!E3: The start of 'B': 'soon' is not a quarter; write a quarter like 2024/25 Q1, or a date.",
        ),
        (
            ["B", "other", "ASH, OAK", "", "2024/25 Q3", "2024/25 Q2", "active"],
            "Projects!F3: 'B' ends (2024/25 Q2) before it starts (2024/25 Q3); the end cannot be before the start.",
        ),
    ],
)
def test_each_problem_with_a_project_names_its_cell_the_value_and_what_was_expected(reg_db, row, expected):
    projects = [PROJECT_HEAD, ["Shared consultant", "other", "ASH, OAK", "", "2024/25 Q1", "", "active"], row]
    result = load(reg_db, workbook(projects, [OUTCOME_HEAD]))
    assert result.status == REFUSED
    assert messages(result) == [expected]


@pytest.mark.parametrize(
    "row, expected",
    [
        (
            ["Nope", "2024/25 Q1", "Funding won", 5],
            "Outcomes!A3: 'Nope' is not a project on the Projects sheet. Write the title exactly as it is there "
            "(case and spacing do not matter).",
        ),
        (
            ["Joint", "2024/25", "Funding won", 5],
            "Outcomes!B3: Quarter: '2024/25' is more than one quarter; write a quarter like 2024/25 Q1, or a date.",
        ),
        (
            ["Joint", "2024/25 Q1", "Goodwill", 5],
            "Outcomes!C3: 'Goodwill' is not an outcome measure. Use one of: Funding won (£); Costs saved (£); "
            "Staff shared (FTE); Bed days shared; People trained; Patients and families reached.",
        ),
        (
            ["Joint", "2024/25 Q1", "Funding won", -5],
            "Outcomes!D3: 'Funding won (£)' is negative; amounts and counts cannot be below zero. Expected a "
            "number of zero or more, or leave it blank if not reported. Found: -5.",
        ),
        (
            ["Joint", "2024/25 Q1", "People trained", "lots"],
            "Outcomes!D3: 'People trained' is text, not a number. Expected a number of zero or more, or leave it "
            "blank if not reported. Found: lots.",
        ),
        (
            ["Joint", "2023/24 Q4", "People trained", 4],
            "Outcomes!B3: 2023/24 Q4 is outside 'Joint', which runs from 2024/25 Q1 to 2024/25 Q4. Check the "
            "quarter, or the project's start and end.",
        ),
        (
            ["joint ", "2024/25 Q1", "funding won (£)", 6],
            "Outcomes!C3: Row 3 gives 'Funding won (£)' for 'Joint' in 2024/25 Q1 again (also on row 2); give "
            "each outcome once a quarter. Found: funding won (£).",
        ),
        (
            ["Planned", "2025/26 Q1", "People trained", 4],
            "Outcomes!A3: 'Planned' is planned, so it has no outcomes yet; a project with outcomes has started: "
            "change its status on the Projects sheet.",
        ),
    ],
)
def test_each_problem_with_an_outcome_names_its_row(reg_db, row, expected):
    projects = [
        PROJECT_HEAD,
        ["Joint", "other", "ASH, OAK", "", "2024/25 Q1", "2024/25 Q4", "active"],
        ["Planned", "other", "ASH, OAK", "", "2025/26 Q1", "", "planned"],
    ]
    outcomes = [OUTCOME_HEAD, ["Joint", "2024/25 Q1", "Funding won", 5], row]
    result = load(reg_db, workbook(projects, outcomes))
    assert messages(result) == [expected]


def test_a_workbook_without_the_projects_sheet_or_its_headings_is_refused(reg_db):
    result = load(reg_db, workbook([["Title", "Kind"]], [OUTCOME_HEAD], projects_sheet="Sheet1"))
    assert messages(result) == [
        "Projects: There is no Projects sheet. The register workbook needs a sheet called 'Projects' "
        "(sheets in this file: 'Sheet1', 'Outcomes')."
    ]
    result = load(reg_db, workbook([["Title", "Kind", "Lead"]], [OUTCOME_HEAD]))
    assert messages(result) == [
        "Projects!A1: The Projects sheet has no 'Members' column in its header row (row 1).",
        "Projects!A1: The Projects sheet has no 'Start' column in its header row (row 1).",
        "Projects!A1: The Projects sheet has no 'Status' column in its header row (row 1).",
    ]
    result = load(reg_db, workbook([["Nothing here"]], [OUTCOME_HEAD]))
    assert messages(result) == [
        "Projects: Could not find the header row of the Projects sheet. Expected a row with the headings: "
        "Title | Kind | Members | Lead | Start | End | Status | Description | Link."
    ]


def test_every_problem_is_reported_together_and_a_refused_workbook_changes_nothing(reg_db):
    assert load(reg_db, workbook(GOOD_PROJECTS, GOOD_OUTCOMES)).status == LOADED
    with db.connect(reg_db) as con:
        before, versions = register_store.current(con), len(register_store.versions(con))
    bad = [PROJECT_HEAD, ["A", "Hats", "ASH", "ZZZ", "never", "", "done"]]
    result = load(reg_db, workbook(bad, [OUTCOME_HEAD, ["Nope", "2024/25 Q1", "Goodwill", -1]]))
    assert result.status == REFUSED and len(result.errors) == 8  # kind, status, members, lead, start; 3 outcome cells
    with db.connect(reg_db) as con:
        assert register_store.current(con) == before
        assert len(register_store.versions(con)) == versions


def test_a_file_that_is_not_a_workbook_is_refused_in_words(reg_db):
    assert messages(load(reg_db, b"not a spreadsheet", "register.xlsx"))[0].startswith(
        "register.xlsx could not be opened as a spreadsheet"
    )
    assert messages(load(reg_db, b"x", "register.pdf")) == [
        "'register.pdf' is not a spreadsheet One Voice reads. Save the register as .xlsx (or .xlsm, .xls, .ods)."
    ]


def test_quarters_are_read_in_every_form_a_return_accepts_or_as_a_date():
    import datetime

    assert read_quarter("2024/25 Q1") == read_quarter("Q1 2024/25") == read_quarter("FY 24/25 Apr-Jun") == Q(2024, 1)
    assert read_quarter(datetime.datetime(2025, 2, 14)) == read_quarter("14/02/2025") == Q(2024, 4)
    assert read_quarter("2024/25", "first") == Q(2024, 1) and read_quarter("2024/25", "last") == Q(2024, 4)


# -- history -----------------------------------------------------------------------------------


def test_each_load_and_edit_is_a_version_and_any_earlier_register_can_be_restored(reg_db):
    first = load(reg_db, workbook(GOOD_PROJECTS, GOOD_OUTCOMES))
    again = load(reg_db, workbook(GOOD_PROJECTS, GOOD_OUTCOMES))
    assert (first.status, again.status) == (LOADED, UNCHANGED)
    smaller = load(reg_db, workbook(GOOD_PROJECTS[:2], GOOD_OUTCOMES[:2]))
    assert smaller.status == LOADED and smaller.projects == 1
    with db.connect(reg_db) as con, db.transaction(con):
        register_store.put_project(
            con, Project("Education", "education", ("ASH", "OAK"), Q(2024, 1), "active"), (), by="Coordinator"
        )
    with db.connect(reg_db) as con:
        assert [p.title for p in register_store.current(con).projects] == ["24/7 single point of contact", "Education"]
        with db.transaction(con):
            register_store.restore(con, first.version, by="Coordinator")
        restored = register_store.current(con)
        history = register_store.versions(con)
        assert register_store.original(con, first.version)[0] == "tracker.xlsx"
    assert [p.title for p in restored.projects] == ["24/7 single point of contact", "Shared consultant", "Virtual ward"]
    assert len(restored.outcomes) == 5
    assert list(history["action"]) == ["restored", "project added", "loaded", "loaded"]
    assert list(history["projects"]) == [3, 2, 1, 3]


def test_an_edit_that_breaks_a_rule_is_refused_and_changes_nothing(reg_db):
    from common.errors import JointWorkRefused

    load(reg_db, workbook(GOOD_PROJECTS, GOOD_OUTCOMES))
    with db.connect(reg_db) as con:
        before = register_store.current(con)
        with pytest.raises(JointWorkRefused, match="needs at least two members"), db.transaction(con):
            register_store.put_project(con, Project("Solo", "other", ("ASH",), Q(2024, 1), "active"), ())
        with pytest.raises(JointWorkRefused, match="outside its start and end"), db.transaction(con):
            register_store.put_project(
                con,
                Project("Shared consultant", "shared_post", ("ASH", "OAK"), Q(2024, 1), "active", end=Q(2024, 4)),
                (Outcome("Shared consultant", Q(2025, 1), "people_trained", 3.0),),
                replacing="Shared consultant",
            )
        assert register_store.current(con) == before


# -- the template round trip ------------------------------------------------------------------------


def test_the_register_written_out_loads_back_as_the_same_register(reg_db):
    assert load(reg_db, workbook(GOOD_PROJECTS, GOOD_OUTCOMES)).status == LOADED
    with db.connect(reg_db) as con:
        register, names = register_store.current(con), members.names(con)
    result = load(reg_db, register_workbook(register, names), "written.xlsx")
    assert result.status == UNCHANGED, messages(result)
    blank = load(reg_db, register_workbook(Register(), names), "blank.xlsx")
    assert blank.status == LOADED and blank.projects == 0 and blank.warnings


# -- the figures --------------------------------------------------------------------------------------

EVERYONE = {"ASH": "Ashgrove", "SMJ": "St Mary and St John", "OAK": "Oakleigh"}
HAND = Register(
    (
        Project("Bid", "joint_bid", ("ASH", "SMJ", "OAK"), Q(2023, 1), "active", lead="ASH"),
        Project("Post", "shared_post", ("ASH", "OAK"), Q(2024, 1), "complete", lead="OAK", end=Q(2024, 4)),
        Project("Beds", "shared_capacity", ("SMJ", "OAK"), Q(2023, 1), "stopped", end=Q(2023, 4)),
        Project("Plan", "education", ("ASH", "SMJ"), Q(2024, 2), "planned", lead="SMJ"),
    ),
    (
        Outcome("Bid", Q(2023, 4), "money_won", 1_000_000.0),
        Outcome("Bid", Q(2024, 1), "money_won", 200_000.0),
        Outcome("Bid", Q(2024, 3), "money_won", 50_000.0),
        Outcome("Bid", Q(2024, 1), "staff_shared_fte", 2.0),
        Outcome("Bid", Q(2024, 2), "staff_shared_fte", 3.0),
        Outcome("Post", Q(2024, 1), "staff_shared_fte", 1.0),
        Outcome("Post", Q(2024, 3), "staff_shared_fte", 1.5),
        Outcome("Post", Q(2024, 2), "people_trained", 0.0),
        Outcome("Beds", Q(2023, 2), "bed_days_shared", 100.0),
        Outcome("Beds", Q(2023, 4), "bed_days_shared", 40.0),
    ),
)


def test_projects_count_when_active_in_the_period_and_planned_ones_never_do():
    year = figures_of(HAND, Period.year(2024), EVERYONE)
    assert year.joint_projects == 2  # Bid and Post; Beds ended in 2023/24, Plan is planned
    assert list(year.projects["title"]) == ["Bid", "Post", "Plan"]  # Plan is listed, not counted
    assert year.joint_projects_by_kind == {k: int(k in ("joint_bid", "shared_post")) for k in KINDS}
    assert figures_of(HAND, Period.year(2023), EVERYONE).joint_projects == 2  # Bid and Beds
    assert figures_of(HAND, Period.quarter(2022, 4), EVERYONE).joint_projects == 0


def test_flows_are_summed_and_stocks_take_each_projects_latest_quarter_and_blanks_are_null():
    year = figures_of(HAND, Period.year(2024), EVERYONE)
    assert year.outcomes == {
        "money_won": 250_000.0,  # 200,000 + 50,000 in 2024/25 (the 1m was 2023/24 Q4)
        "money_saved": None,
        "staff_shared_fte": 4.5,  # Bid's latest (Q2: 3.0) + Post's latest (Q3: 1.5), never a sum over quarters
        "bed_days_shared": None,
        "people_trained": 0.0,  # a reported 0 is 0
        "people_reached": None,
    }
    assert year.outcome_projects["staff_shared_fte"] == ("Bid", "Post")
    assert year.outcomes_by_kind["staff_shared_fte"]["shared_post"] == 1.5
    assert figures_of(HAND, Period.year(2023), EVERYONE).outcomes["bed_days_shared"] == 140.0
    q1 = figures_of(HAND, Period.quarter(2024, 1), EVERYONE)
    assert q1.outcomes["staff_shared_fte"] == 3.0 and q1.outcomes["money_won"] == 200_000.0


def test_each_member_has_its_projects_and_leads_and_a_member_that_joins_nothing_shows_as_zero():
    year = figures_of(HAND, Period.year(2024), EVERYONE)
    rows = {code: (p, lead) for code, p, lead in zip(*(year.by_member[c] for c in ("code", "projects", "leads")))}
    assert rows == {"ASH": (2, 1), "SMJ": (1, 0), "OAK": (2, 1)}
    grid = year.member_grid(EVERYONE)
    assert grid.loc[grid["Member"] == "Oakleigh", "Shared post or team"].item() == "1 (leads 1)"
    only_smj = figures_of(HAND, Period.year(2024), {"SMJ": "St Mary and St John"})
    assert only_smj.joint_projects == 1  # a project counts for a member set when one of its members is in it
    later = figures_of(HAND, Period.year(2023), {**EVERYONE, "NEW": "New Hospice"})
    assert later.by_member.set_index("code").loc["NEW", ["projects", "leads"]].tolist() == [0, 0]


def test_summary_json_has_the_contracts_joint_work_object(reg_db, capsys):
    assert metrics_main(["summary", "--period", "2024/25", "--db", str(reg_db), "--json"]) == 0
    empty = json.loads(capsys.readouterr().out)["joint_work"]
    assert empty == {
        "joint_projects": 0,
        "joint_projects_by_kind": dict.fromkeys(KINDS, 0),
        **dict.fromkeys(MEASURE_KEYS),
        "by_member": {code: {"projects": 0, "leads": 0} for code in ("ASH", "OAK", "SMJ")},
    }
    with db.connect(reg_db) as con, db.transaction(con):
        register_store.save(con, HAND, "loaded")
    metrics_main(["summary", "--period", "2024/25", "--db", str(reg_db), "--json", "--members", "SMJ"])
    some = json.loads(capsys.readouterr().out)["joint_work"]
    assert some["joint_projects"] == 1 and some["money_won"] == 250_000 and some["staff_shared_fte"] == 3
    assert some["by_member"] == {"SMJ": {"projects": 1, "leads": 0}}
    with db.connect(reg_db) as con:
        assert joint_work(con, Period.year(2024)).as_dict()["staff_shared_fte"] == 4.5


def test_all_means_every_registered_member_at_the_time_of_reading(reg_db):
    load(reg_db, workbook(GOOD_PROJECTS, GOOD_OUTCOMES))
    with db.connect(reg_db) as con:
        members.upsert(con, members.Member("NEW", "New Hospice", "adult"))
        everyone = register_store.current(con).project("24/7 single point of contact")
    assert set(everyone.members) == {"ASH", "SMJ", "OAK"} and everyone.all_members


# -- the command line and the statement ---------------------------------------------------------


def test_the_command_line_loads_refuses_and_writes_the_register(reg_db, tmp_path, capsys):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(workbook(GOOD_PROJECTS, GOOD_OUTCOMES))
    bad.write_bytes(workbook([PROJECT_HEAD, ["A", "Hats", "ASH, OAK", "", "2024/25 Q1", "", "active"]], None))
    assert loaders_main(["joint-work", str(bad), "--db", str(reg_db)]) == 1
    assert "Projects!B2: 'Hats' is not a kind of joint work." in capsys.readouterr().out
    assert loaders_main(["joint-work", str(good), "--db", str(reg_db), "--by", "Coordinator"]) == 0
    assert "3 project(s), 5 outcome(s)" in capsys.readouterr().out
    out = tmp_path / "out" / "register.xlsx"
    assert loaders_main(["joint-work", "--template", "--out", str(out), "--db", str(reg_db)]) == 0
    assert loaders_main(["joint-work", str(out), "--db", str(reg_db)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert loaders_main(["joint-work", "--db", str(reg_db)]) == 2
    assert "name the register workbook to load" in capsys.readouterr().err


def test_the_statement_says_what_the_members_did_together_from_counted_projects_only():
    joint = figures_of(HAND, Period.year(2024), EVERYONE).as_dict()
    assert together(joint) == " Together they ran two joint projects and won £250k in joint bids and funding."
    assert together({"joint_projects": 0, "money_won": 5}) == ""
    summary = {"period": "2024/25", "members_reporting": 3, "members_expected": 3, "joint_work": joint}
    assert statement(summary, "Northvale").endswith(
        "reported. Together they ran two joint projects and won £250k in joint bids and funding."
    )
