"""The joint work register workbook: the register as it stands, with validated cells and a guide.

Registers are built in code, written, and the bytes opened with openpyxl (styles and
validations) and with python-calamine (what the reader sees). Reading the workbook
back into a register is tested with the reader (``loaders/joint_work.py``).
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from openpyxl.utils import range_boundaries
from python_calamine import CalamineWorkbook

from contract.joint_work import KIND_HELP, KINDS, MEASURES, STATUSES, Outcome, Project, Register
from contract.periods import quarter_index
from loaders import joint_work_template as jwt

REGISTERED = {"ASH": "Ash Hospice", "BIR": "Birch Hospice", "ELM": "Elm House Hospice"}
Q1_2024, Q2_2024, Q4_2024 = quarter_index(2024, 1), quarter_index(2024, 2), quarter_index(2024, 4)
FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")'

BID = Project(
    "24/7 single point of contact",
    "joint_bid",
    ("ASH", "BIR"),
    Q1_2024,
    "active",
    lead="ASH",
    description="One number for patients and families across the county, day and night.",
    link="https://example.org/spoc.pdf",
)
EDUCATION = Project("Shared training", "education", ("ASH", "BIR", "ELM"), Q1_2024, "complete", end=Q4_2024)
EVERYONE = Project("One voice to the ICB", "system_voice", ("ASH", "BIR", "ELM"), Q2_2024, "active", all_members=True)
SINCE_JOINED = Project("Old alliance", "other", ("ASH", "BIR"), Q1_2024, "stopped", all_members=True)
PLANNED = Project("Shared beds pilot", "shared_capacity", ("BIR", "ELM"), Q4_2024, "planned")
FORMULA = Project(FORMULA_TITLE, "fundraising", ("ASH", "ELM"), Q1_2024, "active", description="=1+1", link="=A1")

REGISTER = Register(
    (BID, EDUCATION, EVERYONE, SINCE_JOINED, PLANNED, FORMULA),
    (
        Outcome(BID.title, Q2_2024, "money_won", 125_000.0),
        Outcome(BID.title, Q2_2024, "staff_shared_fte", 2.5),
        Outcome(EDUCATION.title, Q1_2024, "people_trained", 0.0),
        Outcome(FORMULA_TITLE, Q1_2024, "money_saved", 1_500.5),
    ),
)
PROJECT_ROWS = 6
OUTCOME_ROWS = 4


def write(register: Register = REGISTER, registered: dict | None = None, collaborative: str = "North") -> bytes:
    registered = REGISTERED if registered is None else registered
    return jwt.register_workbook(register, registered, collaborative)


def book(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def calamine(content: bytes, sheet: str) -> list[list[object]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(sheet).to_python()


def values(sheet, first: int, last: int, width: int) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(min_row=first, max_row=last, max_col=width, values_only=True)]


def validations(sheet) -> dict[str, openpyxl.worksheet.datavalidation.DataValidation]:
    """Each validation by the cells it covers, e.g. ``"B4:B209"``."""
    return {str(v.sqref): v for v in sheet.data_validations.dataValidation}


def listed(content: bytes, formula: str) -> list[object]:
    """The values a list validation offers, read from the range it names."""
    sheet_name, cells = formula.split("!")
    sheet = book(content)[sheet_name.strip("'")]
    min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
    return [c.value for row in sheet.iter_rows(min_row, max_row, min_col, max_col) for c in row]


# -- the sheets and their rows ------------------------------------------------------------------


def test_the_sheets_are_projects_outcomes_the_guide_and_hidden_lists():
    content = book(write())

    assert content.sheetnames == ["Projects", "Outcomes", "How to fill this in", "Lists"]
    assert [s.sheet_state for s in content.worksheets] == ["visible", "visible", "visible", "hidden"]
    assert content.properties.title == "North joint work register"


def test_each_project_is_a_row_with_labels_codes_and_quarter_labels():
    sheet = book(write())["Projects"]

    assert values(sheet, 3, 3, 10) == [
        ("Title", "Kind", "Members", "Lead", "Start", "End", "Status", "Description", "Link", None)
    ]
    assert values(sheet, 4, 4 + PROJECT_ROWS, 9) == [
        (
            "24/7 single point of contact",
            "Joint bid or contract",
            "ASH, BIR",
            "ASH",
            "2024/25 Q1",
            None,
            "Active",
            "One number for patients and families across the county, day and night.",
            "https://example.org/spoc.pdf",
        ),
        ("Shared training", "Joint education and training", "ASH, BIR, ELM", None, "2024/25 Q1", "2024/25 Q4")
        + ("Complete", None, None),
        ("One voice to the ICB", "One response to the system", "All", None, "2024/25 Q2", None, "Active", None, None),
        ("Old alliance", "Other joint work", "ASH, BIR", None, "2024/25 Q1", None, "Stopped", None, None),
        ("Shared beds pilot", "Shared beds or capacity", "BIR, ELM", None, "2024/25 Q4", None, "Planned", None, None),
        (FORMULA_TITLE, "Joint fundraising or retail", "ASH, ELM", None, "2024/25 Q1", None, "Active", "=1+1", "=A1"),
        (None,) * 9,
    ]


@pytest.mark.parametrize(
    "members, registered, expected",
    [
        (("ASH", "BIR", "ELM"), REGISTERED, "All"),
        (("ASH", "BIR"), REGISTERED, "ASH, BIR"),  # a member registered since: All would take it in
        (("ASH", "BIR", "ELM"), {**REGISTERED, "OAK": "Oak Hospice"}, "ASH, BIR, ELM"),
    ],
)
def test_all_is_written_only_while_the_project_has_every_registered_member(members, registered, expected):
    project = Project("Together", "other", members, Q1_2024, "active", all_members=True)

    assert jwt.members_cell(project, registered) == expected


def test_each_outcome_is_a_row_with_the_title_quarter_measure_label_and_a_number():
    sheet = book(write())["Outcomes"]

    assert values(sheet, 3, 4 + OUTCOME_ROWS, 5) == [
        ("Project", "Quarter", "Measure", "Value", None),
        ("24/7 single point of contact", "2024/25 Q2", "Funding won (£)", 125_000, None),
        ("24/7 single point of contact", "2024/25 Q2", "Staff shared (FTE)", 2.5, None),
        ("Shared training", "2024/25 Q1", "People trained", 0, None),
        (FORMULA_TITLE, "2024/25 Q1", "Costs saved (£)", 1500.5, None),
        (None, None, None, None, None),
    ]


@pytest.mark.parametrize(
    "row, number_format",
    [(4, '"£"#,##0'), (5, "#,##0.0"), (6, "#,##0"), (7, '"£"#,##0.00')],
)
def test_values_are_formatted_by_their_measure(row, number_format):
    assert book(write())["Outcomes"].cell(row, 4).number_format == number_format


def test_calamine_reads_quarters_and_titles_as_text_and_values_as_numbers():
    content = write()
    projects, outcomes = calamine(content, "Projects"), calamine(content, "Outcomes")

    assert projects[2] == ["Title", "Kind", "Members", "Lead", "Start", "End", "Status", "Description", "Link"]
    assert projects[3][:7] == ["24/7 single point of contact", "Joint bid or contract", "ASH, BIR", "ASH"] + [
        "2024/25 Q1",
        "",
        "Active",
    ]
    assert projects[4][4:6] == ["2024/25 Q1", "2024/25 Q4"]
    assert projects[8][0] == FORMULA_TITLE
    assert outcomes[3:] == [
        ["24/7 single point of contact", "2024/25 Q2", "Funding won (£)", 125_000.0],
        ["24/7 single point of contact", "2024/25 Q2", "Staff shared (FTE)", 2.5],
        ["Shared training", "2024/25 Q1", "People trained", 0.0],
        [FORMULA_TITLE, "2024/25 Q1", "Costs saved (£)", 1500.5],
    ]


def test_quarter_cells_are_text_cells_new_rows_included():
    content = book(write())
    projects, outcomes = content["Projects"], content["Outcomes"]
    last_project, last_outcome = 3 + PROJECT_ROWS + jwt.BLANK_ROWS, 3 + OUTCOME_ROWS + jwt.BLANK_ROWS

    for r in (4, 5, last_project):
        assert projects.cell(r, 5).number_format == projects.cell(r, 6).number_format == "@"
    assert projects["E4"].data_type == "s" and projects["F5"].data_type == "s"
    assert outcomes["B4"].data_type == "s"
    assert outcomes["B4"].number_format == outcomes[f"B{last_outcome}"].number_format == "@"


# -- text that looks like a formula stays text ---------------------------------------------------


def test_text_that_starts_with_equals_is_stored_as_text_never_a_formula():
    content = write()
    projects, outcomes = book(content)["Projects"], book(content)["Outcomes"]

    for cell in (projects["A9"], projects["H9"], projects["I9"], outcomes["A7"]):
        assert cell.data_type == "s", cell.coordinate
    assert (projects["A9"].value, projects["H9"].value, projects["I9"].value) == (FORMULA_TITLE, "=1+1", "=A1")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in xml or b"<f " in xml for xml in sheets)


def test_control_characters_a_workbook_cannot_hold_are_left_out():
    project = Project("Bell\x07 project", "other", ("ASH", "BIR"), Q1_2024, "active", description="a\x00b")

    sheet = book(write(Register((project,))))["Projects"]

    assert (sheet["A4"].value, sheet["H4"].value) == ("Bell project", "ab")


# -- validated cells ---------------------------------------------------------------------------------


def test_every_column_of_projects_is_validated_down_to_200_blank_rows():
    sheet = book(write())["Projects"]
    last = 3 + PROJECT_ROWS + 200

    assert set(validations(sheet)) == {f"{letter}4:{letter}{last}" for letter in "ABCDEFGHI"}


@pytest.mark.parametrize(
    "column, expected",
    [
        ("B", list(KINDS.values())),
        ("D", list(REGISTERED)),
        ("G", ["Planned", "Active", "Complete", "Stopped"]),
    ],
)
def test_kind_lead_and_status_are_lists_of_labels_and_codes(column, expected):
    content = write()
    validation = validations(book(content)["Projects"])[f"{column}4:{column}{3 + PROJECT_ROWS + 200}"]

    assert validation.type == "list" and validation.allow_blank and validation.showErrorMessage
    assert validation.errorStyle == "warning"  # the reader takes keys and names too: warn, never refuse
    assert listed(content, validation.formula1) == expected


def test_members_start_and_end_say_what_to_write():
    found = validations(book(write())["Projects"])
    last = 3 + PROJECT_ROWS + 200

    assert "or All for every member" in found[f"C4:C{last}"].prompt
    assert "2024/25 Q1" in found[f"E4:E{last}"].prompt
    assert "blank while it carries on" in found[f"F4:F{last}"].prompt


def test_outcomes_offer_the_project_titles_and_measure_labels_and_take_numbers_of_zero_or_more():
    content = write()
    found = validations(book(content)["Outcomes"])
    last = 3 + OUTCOME_ROWS + 200

    assert set(found) == {f"{letter}4:{letter}{last}" for letter in "ABCD"}
    project, measure, value = found[f"A4:A{last}"], found[f"C4:C{last}"], found[f"D4:D{last}"]
    assert (project.type, project.formula1) == ("list", f"'Projects'!$A$4:$A${3 + PROJECT_ROWS + 200}")
    assert listed(content, project.formula1)[:PROJECT_ROWS] == [p.title for p in REGISTER.projects]
    assert measure.type == "list"
    assert listed(content, measure.formula1) == [m.label for m in MEASURES]
    assert (value.type, value.operator, value.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert value.allow_blank and value.errorStyle in (None, "stop")


def test_no_registered_members_means_no_lead_list_and_the_guide_says_so():
    content = book(jwt.register_workbook(Register(), {}))

    lead = validations(content["Projects"])[f"D4:D{3 + 200}"]
    assert lead.type is None and lead.prompt
    guide = " ".join(str(c.value) for row in content["How to fill this in"].iter_rows() for c in row if c.value)
    assert "No members are registered yet" in guide


# -- the empty register -------------------------------------------------------------------------------


def test_an_empty_register_writes_the_headings_and_no_rows():
    content = jwt.register_workbook(Register(), REGISTERED)

    projects, outcomes = calamine(content, "Projects"), calamine(content, "Outcomes")
    assert projects[2:] == [["Title", "Kind", "Members", "Lead", "Start", "End", "Status", "Description", "Link"]]
    assert outcomes[2:] == [["Project", "Quarter", "Measure", "Value"]]
    assert projects[0] == ["Joint work register: projects"] + [""] * 8
    assert set(validations(book(content)["Outcomes"])) == {f"{letter}4:{letter}203" for letter in "ABCD"}


# -- the look --------------------------------------------------------------------------------------------


def test_headings_are_frozen_description_wraps_and_columns_are_wide_enough():
    content = book(write())
    projects, outcomes = content["Projects"], content["Outcomes"]

    assert (projects.freeze_panes, outcomes.freeze_panes) == ("B4", "A4")
    assert projects["A3"].font.bold and outcomes["D3"].font.bold
    assert projects["H4"].alignment.wrap_text and projects[f"H{3 + PROJECT_ROWS + 200}"].alignment.wrap_text
    assert projects.row_dimensions[4].height >= 15
    assert projects.column_dimensions["A"].width >= len(BID.title)
    assert projects.column_dimensions["H"].width >= 50
    assert outcomes.column_dimensions["C"].width >= max(len(m.label) for m in MEASURES)


# -- the guide ----------------------------------------------------------------------------------------------


def guide_rows(content: bytes) -> dict[str, str]:
    """The guide's tables: second column -> third column."""
    sheet = book(content)["How to fill this in"]
    return {str(row[1].value): str(row[2].value) for row in sheet.iter_rows(min_col=1, max_col=3) if row[1].value}


def guide_text(content: bytes) -> str:
    return " ".join(str(v) for row in calamine(content, "How to fill this in") for v in row if v)


def test_the_guide_explains_every_column():
    rows = guide_rows(write())

    for label in ("Title", "Kind", "Members", "Lead", "Start", "End", "Status", "Description", "Link"):
        assert label in rows
    for label in ("Project", "Quarter", "Measure", "Value"):
        assert label in rows
    assert "blank is not reported, 0 is none" in rows["Value"]


def test_the_guide_lists_every_kind_status_measure_and_member():
    rows = guide_rows(write())

    for key, label in KINDS.items():
        assert rows[label] == KIND_HELP[key]
    for label in STATUSES.values():
        assert label in rows
    assert "never counted" in rows["Planned"] and "no outcomes" in rows["Planned"]
    for m in MEASURES:
        assert rows[m.label].startswith(f"in {m.unit}; {m.rule}:")
    assert "quarter it happened" in rows["Funding won (£)"]
    assert "at the end of the quarter" in rows["Staff shared (FTE)"]
    for code, name in REGISTERED.items():
        assert rows[code] == name


@pytest.mark.parametrize(
    "words",
    [
        "Each project has its own title",
        "at least two member codes or names",
        "or 'All' for every member",
        "Lead: blank, or one of the members taking part",
        "never before the start",
        "A planned project has no outcomes",
        "blank means not reported; 0 means none",
        "Loading this workbook replaces the whole register",
        "python -m loaders joint-work FILE.xlsx",
        "the financial year runs April to March (Q1 April to June",
    ],
)
def test_the_guide_states_the_rules(words):
    assert words in guide_text(write())


def test_the_guide_names_the_collaborative():
    assert calamine(write(collaborative="Wessex Hospices"), "How to fill this in")[0][0] == (
        "How to fill this in: Wessex Hospices joint work register"
    )


# -- bytes and files ------------------------------------------------------------------------------------------


def test_the_same_register_twice_is_the_same_file():
    assert write() == write()
    assert write() != write(Register())


def test_save_register_workbook_creates_its_folder_and_writes_the_bytes(tmp_path):
    path = jwt.save_register_workbook(tmp_path / "out" / "register.xlsx", REGISTER, REGISTERED, "North")

    assert path == tmp_path / "out" / "register.xlsx"
    assert path.read_bytes() == write()
