"""What we do together, in every export: the deck's slides, the workbook's Joint work sheet, the CSVs.

A tiny collaborative (AAA, BBB, CCC) with a hand-made register stored through
``store.joint_work.save``, so every number can be checked by hand; the demo's
ten-project register for a long period; and a register left empty.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime

import openpyxl
import pytest
from pptx import Presentation

import exports
from contract.joint_work import KINDS, Outcome, Project, Register
from contract.periods import Period, parse_quarter, parse_year, quarter_index
from exports.data import gather
from exports.deck import build_deck
from exports.tables import CHARITABLE_ASSUMPTION, REGISTER_EMPTY
from exports.workbook import build_workbook
from metrics.joint_work import joint_work
from metrics.value import bed_day_cost
from store import db, settings
from store import joint_work as register_store
from store.settings import BED_DAY_COST, BED_DAY_SOURCE, BED_DAY_YEAR
from tests.exports_fixtures import FIXED_NOW, export_data, small_path
from tests.metrics_fixtures import MetricsStore

PERIOD = "2024/25 Q1 to 2024/25 Q2"
SLIDE = "What we do together: four joint projects in 2024/25 Q1 to 2024/25 Q2"
FORMULA = '=HYPERLINK("http://x")'


def q(text: str) -> int:
    year, quarter = text.split(" ")
    return quarter_index(parse_year(year), parse_quarter(quarter))


PROJECTS = (
    Project(FORMULA, "joint_bid", ("AAA", "BBB"), q("2024/25 Q1"), "active", lead="AAA"),
    Project("Shared nurse", "shared_post", ("BBB", "CCC"), q("2023/24 Q3"), "active", lead="CCC"),
    Project("Winter appeal", "fundraising", ("AAA", "CCC"), q("2024/25 Q1"), "complete", end=q("2024/25 Q1")),
    Project("Virtual ward bid", "joint_bid", ("AAA", "BBB"), q("2024/25 Q2"), "planned", lead="BBB"),
    Project("Old network", "other", ("AAA", "BBB"), q("2022/23 Q1"), "stopped", end=q("2022/23 Q4")),
    Project("Second bid", "joint_bid", ("AAA", "CCC"), q("2024/25 Q2"), "active", lead="AAA"),
)
OUTCOMES = (
    Outcome(FORMULA, q("2024/25 Q1"), "money_won", 50_000),
    Outcome(FORMULA, q("2024/25 Q2"), "people_trained", 5),
    Outcome("Shared nurse", q("2024/25 Q1"), "staff_shared_fte", 0.5),
    Outcome("Shared nurse", q("2024/25 Q2"), "staff_shared_fte", 0.8),  # a stock: the latest quarter, 0.8
    Outcome("Shared nurse", q("2024/25 Q2"), "money_saved", 0),  # reported 0: 0, never "not reported"
    Outcome("Winter appeal", q("2024/25 Q1"), "people_reached", 120),
    Outcome("Old network", q("2022/23 Q2"), "people_reached", 40),  # before the period: the register's only
)
RETURN = {
    "income/nhs_contracts": 100_000,
    "income/donations": 150_000,
    "ipu_occupied_bed_days/26_plus": 300,
    "volunteers": 10,
    "volunteer_hours": 1_000,
    "headcount/nursing": 12,
    "patients_supported/26_plus": 40,
    "new_patients/26_plus": 20,
}


@pytest.fixture(scope="module")
def together(tmp_path_factory):
    """AAA, BBB and CCC with two quarters of returns, a bed-day cost and a register saved twice."""
    path = tmp_path_factory.mktemp("together") / "together.duckdb"
    store = MetricsStore(path, ["AAA", "BBB", "CCC"])
    with store.batch():
        for code in ("AAA", "BBB", "CCC"):
            for quarter in ("2024/25 Q1", "2024/25 Q2"):
                store.add(code, quarter, RETURN)
    with db.connect(path) as con:
        settings.put(con, "collaborative_name", "Test Collaborative")
        settings.put(con, BED_DAY_COST, "400")
        settings.put(con, BED_DAY_SOURCE, "a test source")
        settings.put(con, BED_DAY_YEAR, "2024/25")
        first = Register(PROJECTS[:2], OUTCOMES[:3])
        register_store.save(con, first, "loaded", "from tracker.xlsx", by="Alex Smith", file_name="tracker.xlsx")
        register_store.save(con, Register(PROJECTS, OUTCOMES), "project added", f"'{PROJECTS[2].title}'", by="Sam")
    return path


def data_of(path, period: str = PERIOD, **options):
    with db.connect(path) as con:
        return gather(con, Period.parse(period), now=FIXED_NOW, **options)


def deck_of(data) -> Presentation:
    return Presentation(io.BytesIO(build_deck(data)))


def book_of(data):
    return openpyxl.load_workbook(io.BytesIO(build_workbook(data)))


def texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame and shape.text_frame.text]


def titled(deck, title: str):
    return next(slide for slide in deck.slides if texts(slide)[0] == title)


def table_rows(slide) -> list[list[str]]:
    (table,) = [shape.table for shape in slide.shapes if shape.has_table]
    return [[cell.text for cell in row.cells] for row in table.rows]


def section(ws, title: str) -> list[dict]:
    """The table under a section title of the Joint work sheet, as dicts of cells by heading."""
    rows = list(ws.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value == title)
    header = [cell.value for cell in rows[start + 1] if cell.value is not None]
    found = []
    for row in rows[start + 2 :]:
        if all(cell.value is None for cell in row):
            break
        found.append(dict(zip(header, row)))
    return found


# -- the deck -------------------------------------------------------------------------------


def test_the_slide_holds_a_native_chart_of_the_counted_projects_by_kind(together):
    deck = deck_of(data_of(together))
    titles = [texts(slide)[0] for slide in deck.slides]
    at = titles.index(SLIDE)
    assert titles[at - 1].startswith("Three members, one voice")  # after the figure slides
    assert titles[at + 1 : at + 4] == [
        "Joint projects in 2024/25 Q1 to 2024/25 Q2",
        "The value the collaborative adds in 2024/25 Q1 to 2024/25 Q2",
        "Data notes: what these figures include",
    ]
    (chart,) = [shape.chart for shape in deck.slides[at].shapes if shape.has_chart]
    with db.connect(together) as con:
        by_kind = joint_work(con, Period.parse(PERIOD)).joint_projects_by_kind
    assert by_kind == {kind: {"joint_bid": 2, "shared_post": 1, "fundraising": 1}.get(kind, 0) for kind in KINDS}
    assert list(chart.plots[0].categories) == [KINDS[k] for k in ("shared_post", "joint_bid", "fundraising")]
    assert list(chart.plots[0].series[0].values) == [1.0, 2.0, 1.0]
    assert chart.chart_title.text_frame.text == "Joint projects by kind, 2024/25 Q1 to 2024/25 Q2"


def test_the_key_outcomes_say_not_reported_never_zero_where_nobody_reported(together):
    shown = texts(titled(deck_of(data_of(together)), SLIDE))
    tiles = shown[1:-1]  # between the title and the footnote: a value, then what it is
    pairs = dict(zip(tiles[::2], tiles[1::2]))
    assert pairs == {
        "4": "Joint projects\nAnd 1 planned, not counted.",
        "£50k": "Funding won\nFrom 1 project",
        "£0": "Costs saved\nFrom 1 project",  # a reported 0 is 0
        "0.8": "Staff shared (FTE)\nFrom 1 project",  # the latest quarter, not 0.5 + 0.8
        "not reported": "Bed days shared\nNo counted project reported it",
        "5": "People trained\nFrom 1 project",
        "120": "People reached\nFrom 1 project",
    }


def test_the_project_table_lists_every_project_of_the_period_planned_ones_not_counted(together):
    deck = deck_of(data_of(together))
    rows = table_rows(titled(deck, "Joint projects in 2024/25 Q1 to 2024/25 Q2"))
    assert rows == [
        ["Project", "Kind", "Members", "Lead", "Status"],
        [FORMULA, "Joint bid or contract", "AAA and BBB", "AAA", "Active"],  # a title is plain text
        ["Shared nurse", "Shared post or team", "BBB and CCC", "CCC", "Active"],
        ["Winter appeal", "Joint fundraising or retail", "AAA and CCC", "–", "Complete"],
        ["Virtual ward bid", "Joint bid or contract", "AAA and BBB", "BBB", "Planned: not counted"],
        ["Second bid", "Joint bid or contract", "AAA and CCC", "AAA", "Active"],
    ]
    footnote = texts(titled(deck, "Joint projects in 2024/25 Q1 to 2024/25 Q2"))[-1]
    assert footnote.startswith("Members and leads by code: AAA Aaa Hospice; BBB Bbb Hospice; CCC Ccc Hospice.")


def test_the_value_slide_states_each_figure_with_its_assumption(together):
    data = data_of(together)
    with db.connect(together) as con:
        cost = bed_day_cost(con)
    shown = texts(titled(deck_of(data), "The value the collaborative adds in 2024/25 Q1 to 2024/25 Q2"))
    bed_days = 3 * 2 * 300
    assert shown[1:4] == ["1,800", "Inpatient bed days provided", f"Worth £720k at NHS cost. {cost.assumption}"]
    assert bed_days * 400 == data.value_added.bed_days_nhs_cost
    assert "Valued at £400 a bed day (a test source, 2024/25)" in cost.assumption
    assert shown[4:7] == ["£95k", "Value of volunteer time", data.volunteer_assumption]
    assert shown[7:10] == ["£1.50", "Charitable £ for each statutory £", CHARITABLE_ASSUMPTION]
    assert shown[10:13] == [
        "£50k",
        "Won and saved together",
        "Funding won £50k and costs saved £0 by joint projects, as the register records them.",
    ]


def test_more_than_seven_projects_continue_on_another_slide(demo_db_file):
    deck = deck_of(export_data(demo_db_file, "2022/23 Q1 to 2024/25 Q4"))
    titles = [texts(slide)[0] for slide in deck.slides]
    pages = [t for t in titles if t.startswith("Joint projects in")]
    assert pages == [f"Joint projects in 2022/23 Q1 to 2024/25 Q4 ({page} of 2)" for page in (1, 2)]
    rows = [row for page in pages for row in table_rows(titled(deck, page))[1:]]
    assert len(rows) == 9 and rows[0][0] == "Northvale palliative care education programme"
    assert [len(table_rows(titled(deck, page))) - 1 for page in pages] == [5, 4]


def test_an_empty_register_says_so_instead_of_showing_zeros(tmp_path):
    data = export_data(small_path(tmp_path), PERIOD)
    deck = deck_of(data)
    slide = titled(deck, "What we do together")
    assert texts(slide)[1] == REGISTER_EMPTY
    assert not [shape for shape in slide.shapes if shape.has_chart or shape.has_table]
    assert not [t for s in deck.slides for t in texts(s)[:1] if t.startswith("Joint projects in")]
    value = texts(titled(deck, "The value the collaborative adds in 2024/25 Q1 to 2024/25 Q2"))
    assert value[10:13] == ["not reported", "Won and saved together", REGISTER_EMPTY]
    ws = book_of(data)["Joint work"]
    assert ws["A4"].value == REGISTER_EMPTY
    tables = exports.all_tables(data)
    assert tables["Joint work projects"].empty and tables["Joint work outcomes"].empty


# -- the workbook --------------------------------------------------------------------------


def test_the_joint_work_sheet_lists_the_projects_with_their_outcomes_in_the_period(together):
    ws = book_of(data_of(together))["Joint work"]
    assert ws["A1"].value == "Joint work, 2024/25 Q1 to 2024/25 Q2: Test Collaborative"
    rows = {row["Project"].value: row for row in section(ws, "Joint projects in 2024/25 Q1 to 2024/25 Q2")}
    assert list(rows) == [FORMULA, "Shared nurse", "Winter appeal", "Virtual ward bid", "Second bid"]
    nurse = {heading: cell.value for heading, cell in rows["Shared nurse"].items()}
    assert nurse == {
        "Project": "Shared nurse",
        "Kind": "Shared post or team",
        "Members": "Bbb Hospice and Ccc Hospice",
        "Lead": "Ccc Hospice",
        "Start": "2023/24 Q3",
        "End": "ongoing",
        "Status": "Active",
        "In the figures": "Counted",
        "Funding won (£)": None,
        "Costs saved (£)": 0,
        "Staff shared (FTE)": 0.8,
        "Bed days shared": None,  # not reported: blank, never 0
        "People trained": None,
        "Patients and families reached": None,
        "Description": None,
        "Evidence": None,
    }
    assert rows["Shared nurse"]["Staff shared (FTE)"].number_format == "#,##0.0"
    assert rows[FORMULA]["Funding won (£)"].number_format == "£#,##0"
    assert rows["Virtual ward bid"]["In the figures"].value == "Planned: not counted"
    assert rows["Winter appeal"]["Lead"].value is None and rows["Winter appeal"]["End"].value == "2024/25 Q1"


def test_a_title_that_looks_like_a_formula_is_stored_as_text(together):
    content = build_workbook(data_of(together))
    cell = openpyxl.load_workbook(io.BytesIO(content))["Joint work"]["A6"]
    assert (cell.value, cell.data_type) == (FORMULA, "s")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert not [name for name in sheets if b"<f>" in archive.read(name) or b"<f " in archive.read(name)]


def test_the_combined_outcomes_name_the_projects_they_cover(together):
    ws = book_of(data_of(together))["Joint work"]
    combined = {row["Outcome"].value: row for row in section(ws, "Outcomes combined, 2024/25 Q1 to 2024/25 Q2")}
    assert {label: row["Value"].value for label, row in combined.items()} == {
        "Joint projects": 4,
        "Funding won (£)": 50_000,
        "Costs saved (£)": 0,
        "Staff shared (FTE)": 0.8,
        "Bed days shared": None,
        "People trained": 5,
        "Patients and families reached": 120,
    }
    covers = combined["Joint projects"]["Projects it covers"].value
    assert covers == f"{FORMULA}; Shared nurse; Winter appeal; Second bid"
    assert combined["Bed days shared"]["Number of projects"].value == 0
    assert combined["Funding won (£)"]["Value"].number_format == "£#,##0"
    grid = {row["Member"].value: row for row in section(ws, "Who takes part, and who leads")}
    assert {name: (row["Projects"].value, row["Leads"].value) for name, row in grid.items()} == {
        "Aaa Hospice": (3, 2),
        "Bbb Hospice": (2, 0),
        "Ccc Hospice": (3, 1),
    }
    kinds = section(ws, "Joint projects by kind, 2024/25 Q1 to 2024/25 Q2")
    counts = {"joint_bid": 2, "shared_post": 1, "fundraising": 1}
    assert {row["Kind"].value: row["Joint projects"].value for row in kinds} == {
        label: counts.get(kind, 0) for kind, label in KINDS.items()
    }


def test_the_value_added_is_stated_with_its_assumptions(together):
    data = data_of(together)
    rows = section(book_of(data)["Joint work"], "The value the collaborative adds")
    value = {row["Figure"].value: row for row in rows}
    assert value["Inpatient bed days provided"]["Value"].value == 1_800
    assert value["What the bed days would cost the NHS"]["Value"].value == 720_000
    assert value["What the bed days would cost the NHS"]["Assumption"].value == data.value_added.bed_days_assumption
    assert value["What the bed days would cost the NHS"]["Value"].number_format == "£#,##0"
    assert value["Value of volunteer time"]["Assumption"].value == data.volunteer_assumption
    assert value["Charitable £ for each statutory £"]["Value"].value == pytest.approx(1.5)
    assert value["Charitable £ for each statutory £"]["Value"].number_format == "£#,##0.00"
    assert value["Won and saved together"]["Value"].value == 50_000


def test_every_outcome_of_the_register_and_its_history(together):
    ws = book_of(data_of(together))["Joint work"]
    outcomes = [
        tuple(row[h].value for h in ("Project", "Quarter", "Measure", "Value"))
        for row in section(ws, "Every outcome in the register")
    ]
    assert outcomes == [
        (FORMULA, "2024/25 Q1", "Funding won (£)", 50_000),
        (FORMULA, "2024/25 Q2", "People trained", 5),
        ("Shared nurse", "2024/25 Q1", "Staff shared (FTE)", 0.5),
        ("Shared nurse", "2024/25 Q2", "Costs saved (£)", 0),
        ("Shared nurse", "2024/25 Q2", "Staff shared (FTE)", 0.8),
        ("Winter appeal", "2024/25 Q1", "Patients and families reached", 120),
        ("Old network", "2022/23 Q2", "Patients and families reached", 40),
    ]
    history = section(ws, "The register's history")
    assert [
        tuple(row[h].value for h in ("Version", "What", "Detail", "By whom", "Workbook file", "Projects", "Outcomes"))
        for row in history
    ] == [
        (2, "project added", "'Winter appeal'", "Sam", None, 6, 7),
        (1, "loaded", "from tracker.xlsx", "Alex Smith", "tracker.xlsx", 2, 3),
    ]
    assert isinstance(history[0]["When"].value, datetime)
    assert history[0]["When"].number_format == "dd mmmm yyyy hh:mm"


# -- CSV, hiding and suppression --------------------------------------------------------------


def _read(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_the_joint_work_csvs_are_safe_and_hold_the_same_cells(together):
    files = exports.csv_files(data_of(together))
    projects = _read(next(c for n, c in files.items() if n.endswith("_Joint-work-projects.csv")))
    assert projects[0][:8] == ["Project", "Kind", "Members", "Lead", "Start", "End", "Status", "In the figures"]
    assert projects[1][0] == "'" + FORMULA  # neutralised: no spreadsheet runs it
    nurse = dict(zip(projects[0], projects[2]))
    assert (nurse["Staff shared (FTE)"], nurse["Costs saved (£)"], nurse["Bed days shared"]) == ("0.8", "0", "")
    outcomes = _read(next(c for n, c in files.items() if n.endswith("_Joint-work-outcomes.csv")))
    assert outcomes[0] == ["Project", "Quarter", "Measure", "Value", "Unit", "Measure key"]
    assert outcomes[1] == ["'" + FORMULA, "2024/25 Q1", "Funding won (£)", "50000", "£", "money_won"]
    assert len(outcomes) == 1 + len(OUTCOMES)


def test_members_hidden_from_the_reader_are_not_named(together):
    data = data_of(together, hidden=("CCC",))
    deck = deck_of(data)
    everything = [t for slide in deck.slides for t in texts(slide)]
    tables = [shape.table for slide in deck.slides for shape in slide.shapes if shape.has_table]
    everything += [cell.text for table in tables for row in table.rows for cell in row.cells]
    assert not [t for t in everything if "Ccc Hospice" in t or "CCC" in t]
    rows = table_rows(titled(deck, "Joint projects in 2024/25 Q1 to 2024/25 Q2"))
    assert rows[2] == ["Shared nurse", "Shared post or team", "BBB and 1 not shown", "–", "Active"]
    ws = book_of(data)["Joint work"]
    cells = [str(cell.value) for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert not [cell for cell in cells if "Ccc Hospice" in cell]
    projects = section(ws, "Joint projects in 2024/25 Q1 to 2024/25 Q2")
    nurse = next(row for row in projects if row["Project"].value == "Shared nurse")
    assert nurse["Members"].value == "Bbb Hospice and a member not shown individually"
    assert nurse["Lead"].value is None
    grid = [row["Member"].value for row in section(ws, "Who takes part, and who leads")]
    assert grid == ["Aaa Hospice", "Bbb Hospice"]
    combined = {
        r["Outcome"].value: r["Value"].value for r in section(ws, "Outcomes combined, 2024/25 Q1 to 2024/25 Q2")
    }
    assert combined["Joint projects"] == 4  # the hidden member's projects still count
    for content in exports.csv_files(data).values():
        assert b"Ccc Hospice" not in content


def test_with_suppression_counts_of_people_follow_the_rule(together):
    data = data_of(together, suppress=True)
    tiles = texts(titled(deck_of(data), SLIDE))[1:-1]
    pairs = dict(zip(tiles[1::2], tiles[::2]))
    assert pairs["People trained\nFrom 1 project"] == "*"  # 5 people: 1 to 7
    assert pairs["People reached\nFrom 1 project"] == "120"
    assert pairs["Costs saved\nFrom 1 project"] == "£0"  # money is left alone
    ws = book_of(data)["Joint work"]
    row = next(r for r in section(ws, "Joint projects in 2024/25 Q1 to 2024/25 Q2") if r["Project"].value == FORMULA)
    assert row["People trained"].value == "*"
    assert "people trained and patients and families reached too" in ws["A3"].value


def test_a_period_with_no_joint_project_says_so(together):
    data = data_of(together, "2023/24 Q1")
    deck = deck_of(data)
    slide = titled(deck, "What we do together: no joint project in 2023/24 Q1")
    assert texts(slide)[1] == "No joint project counted in 2023/24 Q1 for the members in this export."
    assert not [shape for shape in slide.shapes if shape.has_chart]
    assert not [s for s in deck.slides if texts(s)[0].startswith("Joint projects in")]
    ws = book_of(data)["Joint work"]
    assert [ws["A4"].value, ws["A5"].value] == [
        "Joint projects in 2023/24 Q1",
        "No joint project ran in 2023/24 Q1 for the members chosen.",
    ]
