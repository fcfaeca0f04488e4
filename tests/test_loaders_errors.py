"""Every error the spec names: refused, pointed at the cell, in words a finance officer can act on."""

from __future__ import annotations

import io

import openpyxl
import pytest

from loaders.ingest import ACCEPTED, REJECTED, ingest_bytes
from store import db
from tests import factory


def messages(result) -> list[str]:
    return [str(p) for p in result.errors]


def ingest(db_path, sheets, name="return.xlsx"):
    return ingest_bytes(factory.to_bytes(sheets, "." + name.rsplit(".", 1)[1]), name, db_path=db_path)


def figures_stored(db_path) -> int:
    with db.connect(db_path) as con:
        return con.execute("select count(*) from figures").fetchone()[0]


def change(sheet, label, value, column=1):
    def apply(sheets):
        factory.set_value(sheets, sheet, label, value, column)

    return apply


def set_cover(label, value):
    return change("Return", label, value)


@pytest.mark.parametrize(
    "edit, expected",
    [
        (
            change("Income", "Legacies", "about 100k"),
            "Income!B6: 'Legacies' is text, not a number. Expected a number of zero or more, or leave it blank "
            "if not reported. Found: about 100k.",
        ),
        (
            change("Income", "Retail (gross)", -250),
            "Income!B7: 'Retail (gross)' is negative; amounts and counts cannot be below zero. Expected a number "
            "of zero or more, or leave it blank if not reported. Found: -250.",
        ),
        (
            change("Workforce", "Medical", "six", 1),
            "Workforce!B2: 'Medical' (Headcount) is text, not a number. Expected a number of zero or more, or "
            "leave it blank if not reported. Found: six.",
        ),
        (
            change("Activity", "New patients in quarter", 501, 3),
            "Activity!D3: 'New patients in quarter' (26 and over) is 501, more than 'Patients supported in quarter "
            "(unique)' (26 and over) (500 at Activity!D2); new patients are among the patients supported.",
        ),
        (
            change("Activity", "Deaths in preferred place", 101, 3),
            "Activity!D14: 'Deaths in preferred place' (26 and over) is 101, more than 'Deaths with preferred place "
            "of death recorded' (26 and over) (100 at Activity!D13); a death can only be in the preferred place if "
            "the preference was recorded.",
        ),
        (
            change("Activity", "Deaths with preferred place of death recorded", 121, 3),
            "Activity!D13: 'Deaths with preferred place of death recorded' (26 and over) is 121, more than 'Patient "
            "deaths' (26 and over) (120 at Activity!D12); these deaths are among the patient deaths.",
        ),
        (
            change("Workforce", "Registered nurses", 61, 2),
            "Workforce!C3: 'Registered nurses' (FTE) is 61, more than 'Registered nurses' (Headcount) (60 at "
            "Workforce!B3); FTE cannot be more than the number of people.",
        ),
        (
            set_cover("Financial year", "2024"),
            "Return!B3: Financial year: '2024' is not a financial year: write 2023/24 (April 2023 to March 2024) "
            "or 2024/25 (April 2024 to March 2025).",
        ),
        (
            set_cover("Financial year", 2025),  # typed as a number: read as 2025.0, never shown so
            "Return!B3: Financial year: '2025' is not a financial year: write 2024/25 (April 2024 to March 2025) "
            "or 2025/26 (April 2025 to March 2026).",
        ),
        (
            set_cover("Quarter", "Q5"),
            "Return!B4: Quarter: 'Q5' is not a quarter; write Q1 (April to June), Q2 (July to September), Q3 "
            "(October to December) or Q4 (January to March).",
        ),
        (
            set_cover("Member", "Oak Hospice"),
            "Return!B2: Member 'Oak Hospice' is not in the member registry. Use the member's code or name as "
            "registered: LAR (Larch Children's Hospice), ROW (Rowan Hospice).",
        ),
        (
            set_cover("Quarter", None),
            "Return!B4: 'Quarter' is missing. The Return sheet must say which member, financial year and quarter "
            "this return is for.",
        ),
    ],
)
def test_each_error_is_refused_with_a_message_that_points_at_the_cell(db_path, edit, expected):
    sheets = factory.standard_return()
    edit(sheets)
    result = ingest(db_path, sheets)
    assert result.status == REJECTED
    assert messages(result) == [expected]
    assert result.errors[0].file == "return.xlsx"
    assert figures_stored(db_path) == 0


def test_a_row_label_given_twice_is_an_error(db_path):
    sheets = factory.standard_return()
    sheets["Income"].append(["legacies", 5])
    result = ingest(db_path, sheets)
    assert messages(result) == [
        "Income!A11: 'Legacies' appears twice (also at Income!A6); give each figure once. Found: legacies."
    ]


def test_an_unknown_row_with_figures_is_an_error_but_a_note_is_not(db_path):
    sheets = factory.standard_return()
    sheets["Income"] += [["Cafe income", 1_200], ["Note: figures unaudited", None]]
    result = ingest(db_path, sheets)
    assert len(result.errors) == 1
    assert messages(result)[0].startswith(
        "Income!A11: 'Cafe income' is not a row this sheet expects, so its figures cannot be placed. "
        "Use one of: NHS / ICB contracts and grants;"
    )


def test_a_missing_required_sheet(db_path):
    sheets = factory.standard_return()
    del sheets["Capacity"]
    result = ingest(db_path, sheets)
    assert messages(result) == [
        "Capacity: There is no Capacity sheet. The return needs a sheet called 'Capacity' (sheets in this "
        "file: 'Return', 'Income', 'Expenditure', 'Workforce', 'Volunteers', 'Activity')."
    ]


def test_a_sheet_without_its_header_row(db_path):
    sheets = factory.standard_return()
    sheets["Volunteers"][0] = ["Something", "Else"]
    result = ingest(db_path, sheets)
    assert messages(result) == [
        "Volunteers: Could not find the header row of the Volunteers sheet. Expected a row with the "
        "headings: Measure | Value."
    ]


def test_a_missing_column(db_path):
    sheets = factory.standard_return()
    sheets["Activity"] = [row[:3] for row in sheets["Activity"]]
    result = ingest(db_path, sheets)
    assert messages(result) == [
        "Activity!A1: The Activity sheet has no '26 and over' column in its header row (row 1)."
    ]


def test_every_error_in_a_file_is_reported_together(db_path):
    sheets = factory.standard_return()
    factory.set_value(sheets, "Income", "Legacies", "tbc")
    factory.set_value(sheets, "Capacity", "Inpatient beds available (average in quarter)", -1)
    factory.set_value(sheets, "Return", "Quarter", "Q9")
    del sheets["Volunteers"]
    result = ingest(db_path, sheets)
    assert [p.where for p in result.errors] == ["Return!B4", "Income!B6", "Volunteers", "Capacity!B2"]


def test_a_formula_whose_result_was_not_saved_is_reported_not_read_as_blank(db_path):
    book = openpyxl.load_workbook(io.BytesIO(factory.to_bytes(factory.standard_return())))
    book["Income"]["B6"] = "=50000*2"  # openpyxl saves formulas without their result
    buffer = io.BytesIO()
    book.save(buffer)
    result = ingest_bytes(buffer.getvalue(), "formula.xlsx", db_path=db_path)
    assert result.status == REJECTED
    assert messages(result) == [
        "Income!B6: 'Legacies' is a formula whose result was not saved in the file. Open the file in Excel, "
        "let it calculate, save it and send it again (or type the number in). Found: (formula)."
    ]


def test_an_ods_formula_without_its_result_is_reported(db_path):
    from odf.opendocument import load
    from odf.table import TableCell, TableRow

    content = factory.to_bytes(factory.standard_return(), ".ods")
    doc = load(io.BytesIO(content))
    income = [t for t in doc.spreadsheet.childNodes if t.getAttribute("name") == "Income"][0]
    row = income.getElementsByType(TableRow)[5]
    cells = row.getElementsByType(TableCell)
    row.removeChild(cells[1])
    row.addElement(TableCell(formula="of:=50000*2"))
    buffer = io.BytesIO()
    doc.write(buffer)
    result = ingest_bytes(buffer.getvalue(), "formula.ods", db_path=db_path)
    assert [p.where for p in result.errors] == ["Income!B6"]


@pytest.mark.parametrize(
    "name, content, expected",
    [
        (
            "return.csv",
            b"a,b",
            "'return.csv' is not a spreadsheet One Voice reads. Send the return as .xlsx (or .xlsm, .xls, .ods).",
        ),
        ("return.xlsx", b"", "return.xlsx is empty (0 bytes). Save the return again and resend it."),
    ],
)
def test_files_that_are_not_returns(db_path, name, content, expected):
    result = ingest_bytes(content, name, db_path=db_path)
    assert result.status == REJECTED
    assert messages(result) == [expected]


def test_a_corrupt_workbook_is_refused_plainly(db_path):
    result = ingest_bytes(b"PK\x03\x04 this is not really a zip", "broken.xlsx", db_path=db_path)
    assert result.status == REJECTED
    assert messages(result)[0].startswith("broken.xlsx could not be opened as a spreadsheet (")
    assert messages(result)[0].endswith("Save it from Excel as .xlsx and send it again.")


def test_warnings_never_block(db_path):
    sheets = factory.standard_return()
    factory.set_value(sheets, "Activity", "Inpatient occupied bed days", 1_500, 3)
    result = ingest(db_path, sheets)
    assert result.status == ACCEPTED
    assert [str(p) for p in result.warnings] == [
        "Capacity!B3: Inpatient occupied bed days (1,520) are more than the bed days available (1,456). "
        "Please check both; this does not stop the return loading."
    ]


def test_a_figure_that_moved_more_than_half_is_a_warning(db_path):
    assert ingest(db_path, factory.standard_return(quarter="Q1")).status == ACCEPTED
    sheets = factory.standard_return(quarter="Q2")
    factory.set_value(sheets, "Income", "Legacies", 260_000)
    factory.set_value(sheets, "Income", "Lottery", 40_000)  # a third lower: no warning
    result = ingest(db_path, sheets, "q2.xlsx")
    assert result.status == ACCEPTED
    assert [str(p) for p in result.warnings] == [
        "Income!B6: 'Legacies' is 260,000, 160% higher than in 2024/25 Q1 (100,000). Please check it; this does "
        "not stop the return loading."
    ]


@pytest.mark.parametrize(
    "before, after, warned", [(5, 11, False), (12, 19, False), (100, 109, False), (20, 31, True), (8, 40, True)]
)
def test_the_movement_warning_ignores_changes_between_small_counts(db_path, before, after, warned):
    first = factory.standard_return(quarter="Q1")
    factory.set_value(first, "Activity", "Hospice at home visits", before, column=1)
    assert ingest(db_path, first).status == ACCEPTED
    second = factory.standard_return(quarter="Q2")
    factory.set_value(second, "Activity", "Hospice at home visits", after, column=1)
    result = ingest(db_path, second, "q2.xlsx")
    messages = [p.message for p in result.warnings if "Hospice at home visits" in p.message]
    assert bool(messages) == warned
    if warned:
        assert messages[0].startswith(f"'Hospice at home visits' (Under 18) is {after}, ")


def test_every_error_line_names_the_value_found(db_path):
    sheets = factory.standard_return()
    factory.set_value(sheets, "Activity", "Inpatient admissions", -4, column=3)
    result = ingest(db_path, sheets)
    assert result.status == REJECTED
    line = next(str(p) for p in result.errors if "Inpatient admissions" in p.message)
    assert line.startswith("Activity!") and line.endswith(" Found: -4.")
