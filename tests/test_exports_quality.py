"""The data-quality report: real returns, ingested, then the report opened as the member's software opens it."""

from __future__ import annotations

import io
import math
from datetime import date

import openpyxl
import pytest

from common.errors import NoSuchSubmission
from exports import quality
from loaders.ingest import ACCEPTED, REJECTED, ingest_bytes
from loaders.problems import ERROR, Problem
from loaders.template import write_template
from store import db, members, submissions
from tests import factory

TODAY = date(2025, 9, 1)  # every quarter up to 2025/26 Q1 has ended


def ingest(db_path, sheets, name="return.xlsx", **options):
    return ingest_bytes(factory.to_bytes(sheets), name, db_path=db_path, today=TODAY, **options)


def sheet_of(content: bytes):
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Data quality"]
    return book["Data quality"]


def lines(ws) -> list[str]:
    """The text of column A above the first table."""
    out = []
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == "Cell":
            break
        if row[0].value is not None:
            out.append(row[0].value)
    return out


def tables(ws) -> list[list[dict]]:
    """Every table of the sheet (a header row starting "Cell"), as rows of {header: value}."""
    found, current, headers = [], None, []
    for row in ws.iter_rows(values_only=True):
        if row[0] == "Cell":
            headers = [h for h in row if h is not None]
            current = []
            found.append(current)
        elif current is not None and any(v is not None for v in row):
            current.append(dict(zip(headers, row)))
        else:
            current = None
    return found


def place(row: dict) -> tuple:
    return row["Cell"], row["Sheet"], row["Row label"], row["Column label"], row["Value found"]


def refused(db_path, sheets, name="return.xlsx"):
    result = ingest(db_path, sheets, name)
    assert result.status == REJECTED
    return result, sheet_of(quality.refused_report(name, result.problems, "North collaborative"))


# -- a refused file: each error with its cell, labels and value ----------------------------------


def change(sheet, label, value, column=1):
    return lambda sheets: factory.set_value(sheets, sheet, label, value, column)


def append(sheet, row):
    return lambda sheets: sheets[sheet].append(row)


def both(*edits):
    def apply(sheets):
        for edit in edits:
            edit(sheets)

    return apply


def rename(old, new, then):
    def apply(sheets):
        then(sheets)
        sheets[new] = sheets.pop(old)

    return apply


def drop_last_column(sheet):
    def apply(sheets):
        sheets[sheet] = [row[:-1] for row in sheets[sheet]]

    return apply


def delete(sheet):
    return lambda sheets: sheets.pop(sheet)


@pytest.mark.parametrize(
    "edit, expected, says",
    [
        # stream sheets: one amount per row
        (
            change("Income", "Legacies", "about 100k"),
            ("Income!B6", "Income", "Legacies", "Amount (£)", "about 100k"),
            "'Legacies' is text, not a number",
        ),
        (
            change("Expenditure", "Support and other costs", -5),
            ("Expenditure!B4", "Expenditure", "Support and other costs", "Amount (£)", "-5"),
            "is negative",
        ),
        # by column: a staff group's headcount, FTE and vacancies
        (
            change("Workforce", "Medical", "six", 1),
            ("Workforce!B2", "Workforce", "Medical", "Headcount", "six"),
            "'Medical' (Headcount) is text",
        ),
        (
            change("Workforce", "Registered nurses", 61, 2),
            ("Workforce!C3", "Workforce", "Registered nurses", "FTE", "61"),
            "FTE cannot be more than the number of people",
        ),
        (
            rename("Workforce", "Staffing", change("Workforce", "Medical", "six", 1)),  # the sheet's synonym
            ("Staffing!B2", "Staffing", "Medical", "Headcount", "six"),
            "'Medical' (Headcount) is text",
        ),
        # by row, one value column
        (
            change("Volunteers", "Volunteer hours in quarter", "lots"),
            ("Volunteers!B3", "Volunteers", "Volunteer hours in quarter", "Value", "lots"),
            "is text, not a number",
        ),
        (
            change("Capacity", "Inpatient beds available (average in quarter)", -1),
            ("Capacity!B2", "Capacity", "Inpatient beds available (average in quarter)", "Value", "-1"),
            "is negative",
        ),
        # by row, one column per age group
        (
            change("Activity", "New patients in quarter", 501, 3),
            ("Activity!D3", "Activity", "New patients in quarter", "26 and over", "501"),
            "new patients are among the patients supported",
        ),
        (
            change("Activity", "Patients supported in quarter (unique)", "n/k", 2),
            ("Activity!C2", "Activity", "Patients supported in quarter (unique)", "18 to 25", "n/k"),
            "is text",
        ),
        # the cover
        (
            change("Return", "Financial year", "2024"),
            ("Return!B3", "Return", "Financial year", "Value", "2024"),
            "is not a financial year",
        ),
        (
            change("Return", "Member", "Oak Hospice"),
            ("Return!B2", "Return", "Member", "Value", "Oak Hospice"),
            "is not in the member registry",
        ),
        (
            change("Return", "Quarter", None),
            ("Return!B4", "Return", "Quarter", "Value", None),
            "'Quarter' is missing",
        ),
        (
            both(change("Return", "Financial year", "2025/26"), change("Return", "Quarter", "Q2")),
            ("Return!B4", "Return", "Quarter", "Value", "2025/26 Q2"),
            "has not ended yet",
        ),
        # labels and headers
        (
            append("Income", ["legacies", 5]),
            ("Income!A11", "Income", "Legacies", "Income stream", "legacies"),
            "appears twice (also at Income!A6)",
        ),
        (
            append("Income", ["Cafe income at St Mary's", 1_200]),
            ("Income!A11", "Income", "Cafe income at St Mary's", "Income stream", "Cafe income at St Mary's"),
            "is not a row this sheet expects",
        ),
        (
            drop_last_column("Activity"),
            ("Activity!A1", "Activity", "Header row", "26 and over", None),
            "has no '26 and over' column",
        ),
        (delete("Capacity"), (None, "Capacity", None, None, None), "There is no Capacity sheet"),
    ],
)
def test_a_refused_file_lists_each_error_with_its_cell_labels_and_value(db_path, edit, expected, says):
    sheets = factory.standard_return()
    edit(sheets)
    result, ws = refused(db_path, sheets)
    (row,) = tables(ws)[0]
    assert place(row) == expected
    assert says in row["What is wrong and what to do"]
    assert row["What is wrong and what to do"] == result.errors[0].message
    assert "Refused: 1 problem to fix; nothing from this file was stored." in lines(ws)


def test_every_error_of_a_file_is_listed_in_the_files_order(db_path):
    sheets = factory.standard_return()
    factory.set_value(sheets, "Income", "Legacies", "tbc")
    factory.set_value(sheets, "Capacity", "Inpatient beds available (average in quarter)", -1)
    factory.set_value(sheets, "Return", "Quarter", "Q9")
    del sheets["Volunteers"]
    result, ws = refused(db_path, sheets, "ROW Q1.xlsx")
    assert [place(row) for row in tables(ws)[0]] == [
        ("Return!B4", "Return", "Quarter", "Value", "Q9"),
        ("Income!B6", "Income", "Legacies", "Amount (£)", "tbc"),
        (None, "Volunteers", None, None, None),
        ("Capacity!B2", "Capacity", "Inpatient beds available (average in quarter)", "Value", "-1"),
    ]
    text = lines(ws)
    assert text[:3] == ["Data quality report: ROW Q1.xlsx", "North collaborative", "File: ROW Q1.xlsx"]
    assert text[3].startswith("Checked on ")
    assert "Refused: 4 problems to fix; nothing from this file was stored." in text


def test_a_file_laid_out_its_own_way_takes_its_labels_from_the_messages(db_path):
    """Title rows and a column of references before the labels: no cell is where the template puts it."""
    sheets = factory.standard_return()
    factory.set_value(sheets, "Income", "Legacies", "tbc")
    factory.set_value(sheets, "Capacity", "Inpatient bed days available", 1_000)  # below the 1,120 occupied
    for name in ("Income", "Capacity"):
        sheets[name] = [["Our own title"], [], *([f"Ref {n}", *row] for n, row in enumerate(sheets[name]))]
    result, ws = refused(db_path, sheets)
    errors, warnings = tables(ws)
    assert [place(row) for row in errors] == [("Income!C8", "Income", "Legacies", "Amount (£)", "tbc")]
    assert [place(row) for row in warnings] == [
        ("Capacity!C5", "Capacity", "Inpatient bed days available", "Value", "1,000")
    ]
    assert "Also check (these would not stop the file loading)" in [c.value for c in ws["A"]]
    assert "Refused: 1 problem to fix; nothing from this file was stored. There is also 1 warning to check." in (
        lines(ws)
    )


def test_a_template_file_is_placed_at_the_templates_cells(db_path):
    rowan = members.Member("ROW", "Rowan Hospice", "adult", "North")
    content = write_template(rowan, 2024, 1, {("income", "legacies"): "tbc", ("headcount", "medical"): -2})
    result = ingest_bytes(content, "ROW_2024-25_Q1.xlsx", db_path=db_path, today=TODAY)
    ws = sheet_of(quality.refused_report(result.file_name, result.problems, member="ROW", period="2024/25 Q1"))
    assert [place(row) for row in tables(ws)[0]] == [
        ("Income!B8", "Income", "Legacies", "Amount (£)", "tbc"),
        ("Workforce!B4", "Workforce", "Medical", "Headcount", "-2"),
    ]
    assert lines(ws)[0] == "Data quality report: ROW, 2024/25 Q1"


DONATIONS = ("Donations and fundraising events", "Amount (£)")  # the template's Income!B6


def odd(where: str, message: str = "Something new is wrong here.") -> Problem:
    return Problem(ERROR, "x.xlsx", where, "", message)


@pytest.mark.parametrize(
    "evidence, expected",
    [
        # 'Legacies' where the template puts it: the file follows the template, so B6 is Donations there
        ([odd("Income!B8", "'Legacies' is text, not a number.")], DONATIONS),
        # evidence on another sheet counts when the sheet has none of its own
        ([odd("Workforce!C5", "'Registered nurses' (FTE) is text.")], DONATIONS),
        # 'Legacies' somewhere else: the member's own layout, and B6 cannot be placed
        ([odd("Income!B6", "'Legacies' is text, not a number.")], ("", "")),
        ([odd("Workforce!B2", "'Medical' (Headcount) is text.")], ("", "")),
        # a sheet's own evidence outweighs the other sheets'
        ([odd("Income!B8", "'Legacies' is text."), odd("Workforce!B2", "'Medical' (Headcount) is text.")], DONATIONS),
        ([odd("Income!B6", "'Legacies' is text."), odd("Workforce!C5", "'Registered nurses' (FTE) is.")], ("", "")),
        ([], ("", "")),  # no evidence at all
    ],
)
def test_the_template_places_a_cell_only_where_the_file_shows_it_follows_the_template(evidence, expected):
    unknown = odd("Income!B6")
    found = quality.locate([*evidence, unknown])[unknown]
    assert (found.row, found.column) == expected
    assert (found.cell, found.sheet) == ("Income!B6", "Income")


def test_with_the_files_bytes_every_cell_is_placed_from_the_file_itself():
    sheets = factory.standard_return()
    sheets["Income"] = [["Our own title"], *sheets["Income"]]
    content = factory.to_bytes(sheets)
    unknown = odd("Income!B7")
    assert quality.locate([unknown])[unknown].row == ""
    ws = sheet_of(quality.refused_report("x.xlsx", [unknown], content=content))
    assert place(tables(ws)[0][0]) == ("Income!B7", "Income", "Legacies", "Amount (£)", None)


# -- an accepted return: its warnings, and its figures beside earlier quarters --------------------


@pytest.fixture
def three_quarters(db_path):
    """ROW 2023/24 Q1 and Q4, then 2024/25 Q1 with a warning; returns the last ingest result."""
    year_before = factory.standard_return("ROW", "2023/24", "Q1")
    factory.set_value(year_before, "Income", "Legacies", 40_000)
    assert ingest(db_path, year_before, "ROW_2023-24_Q1.xlsx").status == ACCEPTED
    previous = factory.standard_return("ROW", "2023/24", "Q4")
    factory.set_value(previous, "Income", "Lottery", None)
    assert ingest(db_path, previous, "ROW_2023-24_Q4.xlsx").status == ACCEPTED
    now = factory.standard_return("ROW", "2024/25", "Q1")
    factory.set_value(now, "Income", "Legacies", 250_000)  # 150% up on the quarter before: a warning
    factory.set_value(now, "Income", "Other income", None)
    factory.set_value(now, "Activity", "New referrals accepted", 14, 2)  # 5 -> 14: both below 20
    factory.set_value(now, "Workforce", "Medical", 15, 1)  # 6 -> 15: moved by less than 10
    factory.set_value(now, "Activity", "Patients supported in quarter (unique)", 30, 1)  # 0 -> 30
    result = ingest(db_path, now, "ROW_2024-25_Q1.xlsx", received=date(2025, 8, 20))
    assert result.status == ACCEPTED
    return result


def accepted(db_path, submission_id, **options):
    with db.connect(db_path) as con:
        return sheet_of(quality.accepted_report(con, submission_id, **options))


def by_label(table: list[dict]) -> dict[tuple[str, str], dict]:
    return {(row["Row label"], row["Column label"]): row for row in table}


def test_an_accepted_return_lists_its_warnings(db_path, three_quarters):
    ws = accepted(db_path, three_quarters.submission_id, collaborative="North collaborative")
    warnings, _ = tables(ws)
    assert [place(row) for row in warnings] == [
        ("Income!B6", "Income", "Legacies", "Amount (£)", "250,000"),
        ("Activity!B2", "Activity", "Patients supported in quarter (unique)", "Under 18", "30"),
    ]
    assert warnings[0]["What is wrong and what to do"].startswith(
        "'Legacies' is 250,000, 150% higher than in 2023/24 Q4 (100,000). Please check it"
    )
    text = lines(ws)
    assert text[:3] == [
        "Data quality report: Rowan Hospice (ROW), 2024/25 Q1",
        "North collaborative",
        "File: ROW_2024-25_Q1.xlsx",
    ]
    assert text[3].startswith("Received on 20 August 2025; loaded on ")
    assert "Accepted with 2 warnings." in text


def test_an_accepted_returns_figures_beside_the_previous_quarter_and_the_year_before(db_path, three_quarters):
    ws = accepted(db_path, three_quarters.submission_id)
    _, figures = tables(ws)
    headers = list(figures[0])
    assert headers[4:] == [
        "This quarter, 2024/25 Q1",
        "Previous quarter, 2023/24 Q4",
        "Change on previous quarter",
        "Same quarter last year, 2023/24 Q1",
        "Change on last year",
        "Check",
    ]
    this, previous, change, year, change_year = headers[4:9]
    rows = by_label(figures)
    legacies = rows[("Legacies", "Amount (£)")]
    assert [legacies[h] for h in (this, previous, year)] == [250_000, 100_000, 40_000]
    assert legacies[change] == pytest.approx(1.5) and legacies[change_year] == pytest.approx(5.25)
    assert legacies["Check"] == (
        "150% higher than in 2023/24 Q4 (£100,000); 525% higher than in 2023/24 Q1 (£40,000). Please check."
    )
    assert legacies["Cell"] == "Income!B6"
    under_18 = rows[("Patients supported in quarter (unique)", "Under 18")]
    assert under_18[change] == "up from 0"
    assert under_18["Check"] == "Far higher than in 2023/24 Q4 (0); far higher than in 2023/24 Q1 (0). Please check."
    # moved a lot, but small: as ingest's warning, no mark
    assert rows[("New referrals accepted", "18 to 25")]["Check"] is None
    assert rows[("Medical", "Headcount")]["Check"] is None
    assert rows[("Registered nurses", "FTE")]["Check"] is None
    # the order of the return: Income first, Activity last
    assert figures[0]["Row label"] == "NHS / ICB contracts and grants"
    assert figures[-1][("Row label")] == "Deaths in preferred place"


def test_not_reported_is_said_in_words_never_zero(db_path, three_quarters):
    ws = accepted(db_path, three_quarters.submission_id)
    _, figures = tables(ws)
    this, previous, change, year = list(figures[0])[4:8]
    rows = by_label(figures)
    lottery = rows[("Lottery", "Amount (£)")]
    assert (lottery[this], lottery[previous], lottery[change], lottery[year]) == (60_000, "not reported", None, 60_000)
    other = rows[("Other income", "Amount (£)")]
    assert (other[this], other[previous], other[year]) == ("not reported", 5_000, 5_000)
    assert other["Cell"] is None
    assert other["Check"] == "Not reported this quarter, but reported in 2023/24 Q4 and in 2023/24 Q1. Please check."


def test_the_check_column_marks_exactly_the_cells_ingest_warned_about(db_path, three_quarters):
    moved = {p.where for p in three_quarters.warnings if "than in 2023/24 Q4" in p.message}
    ws = accepted(db_path, three_quarters.submission_id)
    marked = {row["Cell"] for row in tables(ws)[1] if "than in 2023/24 Q4" in (row["Check"] or "")}
    assert marked == moved == {"Income!B6", "Activity!B2"}


def test_figures_are_numbers_in_the_returns_formats(db_path, three_quarters):
    ws = accepted(db_path, three_quarters.submission_id)
    cells = {}
    for row in ws.iter_rows():
        if row[0].value in ("Income!B6", "Workforce!C3", "Activity!D2"):
            cells[row[0].value] = row
    assert cells["Income!B6"][4].number_format == '"£"#,##0' and cells["Income!B6"][4].data_type == "n"
    assert cells["Workforce!C3"][4].number_format == "#,##0.0"
    assert cells["Activity!D2"][4].number_format == "#,##0"
    assert cells["Income!B6"][6].number_format == "+0%;-0%;0%"


def test_a_return_with_no_warnings_and_no_earlier_quarters(db_path):
    result = ingest(db_path, factory.standard_return("LAR", "2024/25", "Q2"), "LAR.xlsx")
    ws = accepted(db_path, result.submission_id)
    assert "Accepted with no warnings." in [c.value for c in ws["A"]]
    (figures,) = tables(ws)
    assert {row["Previous quarter, 2024/25 Q1"] for row in figures} == {"not reported"}
    assert {row["Same quarter last year, 2023/24 Q2"] for row in figures} == {"not reported"}
    assert {row["Check"] for row in figures} == {None}


def test_a_history_without_the_received_date_gives_when_it_was_loaded(db_path, three_quarters, monkeypatch):
    history = submissions.history
    monkeypatch.setattr(submissions, "history", lambda con: history(con).drop(columns="received_on"))
    text = lines(accepted(db_path, three_quarters.submission_id))
    assert text[3].startswith("Loaded on ")
    assert "Received" not in " ".join(text)


def test_a_replaced_return_says_so(db_path, three_quarters):
    again = factory.standard_return("ROW", "2024/25", "Q1")
    assert ingest(db_path, again, "ROW_2024-25_Q1 v2.xlsx").status == ACCEPTED
    text = lines(accepted(db_path, three_quarters.submission_id))
    assert "This return is no longer current: a later return for the quarter replaced it." in text


def test_an_unknown_submission(db_path):
    with db.connect(db_path) as con, pytest.raises(NoSuchSubmission, match="no submission number 999"):
        quality.accepted_report(con, 999)


# -- text from the data never becomes a formula ------------------------------------------------------


def with_text_cell(content: bytes, sheet: str, address: str, text: str) -> bytes:
    """A workbook whose cell holds text starting with = (openpyxl would otherwise write a formula)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    cell = book[sheet][address]
    cell.value = text
    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def no_formulas(ws) -> bool:
    return all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_a_value_and_a_file_name_starting_with_equals_stay_text(db_path):
    sheets = factory.standard_return()
    sheets["Income"].append(["placeholder", 5])
    content = with_text_cell(factory.to_bytes(sheets), "Income", "A11", '=HYPERLINK("http://x.example","y")')
    content = with_text_cell(content, "Income", "B6", "=1+1")
    name = "=cmd.xlsx"
    result = ingest_bytes(content, name, db_path=db_path, today=TODAY)
    assert result.status == REJECTED
    ws = sheet_of(quality.refused_report(name, result.problems, "=2+2", content=content))
    assert no_formulas(ws)
    rows = tables(ws)[0]
    assert place(rows[0]) == ("Income!B6", "Income", "Legacies", "Amount (£)", "=1+1")
    assert rows[1]["Row label"] == rows[1]["Value found"] == '=HYPERLINK("http://x.example","y")'
    assert "=2+2" in [c.value for c in ws["A"]]
    assert lines(ws)[0] == "Data quality report: =cmd.xlsx"


def test_an_accepted_report_of_a_file_named_with_equals_has_no_formula(db_path):
    result = ingest(db_path, factory.standard_return(), "=SUM(A1).xlsx")
    ws = accepted(db_path, result.submission_id, collaborative="=1+2")
    assert no_formulas(ws)
    assert "=1+2" in [c.value for c in ws["A"]]


# -- the sheet as a document -------------------------------------------------------------------------


def test_the_sheet_is_frozen_under_its_header_and_prints_one_page_wide(db_path, three_quarters):
    ws = accepted(db_path, three_quarters.submission_id)
    header = next(c.row for c in ws["A"] if c.value == "Cell")
    assert ws.freeze_panes == f"A{header + 1}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["C"].width >= 40
    message = ws.cell(header + 1, 6)
    assert message.alignment.wrap_text and ws.row_dimensions[header + 1].height >= 30


@pytest.mark.parametrize(
    "old, new, marked",
    [
        (100_000, 250_000, 1.5),
        (100, 40, -0.6),
        (100, 149, None),  # 49%: not more than half
        (5, 11, None),  # both below 20
        (12, 21, None),  # moved by less than 10
        (0, 30, math.inf),
        (0, 0, None),
        (None, 30, None),  # not reported before: nothing to compare
        (30, None, None),
    ],
)
def test_movement_follows_ingests_rule(old, new, marked):
    assert quality.movement(new, old) == (pytest.approx(marked) if marked not in (None, math.inf) else marked)


@pytest.mark.parametrize(
    "arguments, expected",
    [
        (("ASH", "2024/25 Q1"), "ASH 2024-25 Q1 data quality.xlsx"),
        ((None, None, "BIR_2025-26_Q1.xlsx"), "BIR_2025-26_Q1 data quality.xlsx"),
        ((None, None, "=cmd|' -C calc'!A0.xlsx"), "cmd- -C calc-A0 data quality.xlsx"),
        ((None, None, "C:\\Users\\sam\\Q1 return.xls"), "Q1 return data quality.xlsx"),
        ((None, None, ""), "return data quality.xlsx"),
    ],
)
def test_report_file_name(arguments, expected):
    assert quality.report_file_name(*arguments) == expected
