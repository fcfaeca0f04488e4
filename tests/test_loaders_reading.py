"""Reading returns: every format, every variation the spec allows, every value form."""

from __future__ import annotations

import pytest

from contract.periods import PeriodError, parse_quarter, parse_year
from loaders.ingest import ACCEPTED, ingest_bytes
from loaders.values import NotANumber, read_number
from store import db
from tests import factory


def stored(db_path, measure: str, breakdown: str) -> float | None:
    with db.connect(db_path) as con:
        row = con.execute(
            "select value from current_figures where measure = $1 and breakdown = $2", [measure, breakdown]
        ).fetchone()
    return row[0] if row else None


def ingest(db_path, sheets, name="return.xlsx"):
    suffix = "." + name.rsplit(".", 1)[1]
    return ingest_bytes(factory.to_bytes(sheets, suffix), name, db_path=db_path)


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".xls", ".ods"])
def test_every_format_is_read(db_path, suffix):
    result = ingest(db_path, factory.standard_return(), f"rowan{suffix}")
    assert result.status == ACCEPTED, result.problems
    assert stored(db_path, "income", "nhs_contracts") == 300_000
    assert stored(db_path, "fte", "nursing") == 48.0
    assert stored(db_path, "patients_supported", "18_to_25") == 10
    assert stored(db_path, "volunteers", "all") == 600


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024/25", 2024),
        ("2024-25", 2024),
        ("2024/2025", 2024),
        ("FY2024/25", 2024),
        ("FY 24/25", 2024),
        (" fy2024-2025 ", 2024),
        ("2099/00", 2099),
    ],
)
def test_years_members_write(text, expected):
    assert parse_year(text) == expected


@pytest.mark.parametrize("text", ["2024", "2024/26", "next year", "24", "2025/24"])
def test_years_that_are_refused_quote_the_value(text):
    with pytest.raises(PeriodError, match=f"'{text}' is not a financial year"):
        parse_year(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Q1", 1),
        ("q2", 2),
        ("1", 1),
        (3.0, 3),
        ("Quarter 4", 4),
        ("Apr-Jun", 1),
        ("Jul - Sep", 2),
        ("October to December", 3),
        ("Jan-Mar", 4),
    ],
)
def test_quarters_members_write(text, expected):
    assert parse_quarter(text) == expected


@pytest.mark.parametrize("text", ["Q5", "0", "Spring", "Apr-Sep"])
def test_quarters_that_are_refused_quote_the_value(text):
    with pytest.raises(PeriodError, match=f"'{text}' is not a quarter"):
        parse_quarter(text)


@pytest.mark.parametrize(
    "cell, expected",
    [
        (1234, 1234.0),
        (12.5, 12.5),
        ("£1,234.50", 1234.5),
        (" 12 ", 12.0),
        ("1,204", 1204.0),
        ("0", 0.0),
        (0, 0.0),
        ("", None),
        (None, None),
        ("   ", None),
        ("-", None),
        ("n/a", None),
        ("N/A", None),
        ("£ 2,000", 2000.0),
    ],
)
def test_numbers_as_written(cell, expected):
    assert read_number(cell) == expected


@pytest.mark.parametrize(
    "cell, words",
    [
        ("lots", "is text, not a number"),
        (-5, "is negative"),
        ("-£1,000", "is negative"),
        ("(1,000)", "is negative"),
        (True, "TRUE/FALSE"),
        ("12 beds", "is text"),
    ],
)
def test_values_that_are_not_numbers(cell, words):
    with pytest.raises(NotANumber, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_number(cell)


def test_blank_is_not_reported_and_zero_is_none(db_path):
    sheets = factory.standard_return()
    factory.set_value(sheets, "Income", "Legacies", None)
    factory.set_value(sheets, "Income", "Lottery", 0)
    factory.set_value(sheets, "Income", "Investment income", "n/a")
    assert ingest(db_path, sheets).status == ACCEPTED
    assert stored(db_path, "income", "legacies") is None
    assert stored(db_path, "income", "lottery") == 0
    assert stored(db_path, "income", "investment") is None


def test_title_rows_blank_rows_total_rows_notes_columns_and_extra_sheets_are_ignored(db_path):
    sheets = factory.standard_return()
    income = sheets["Income"]
    sheets["Income"] = [
        ["Rowan Hospice quarterly return"],
        [],
        [None, None],
        [income[0][0], income[0][1], "Notes"],
        *([*row, "checked by FD"] for row in income[1:4]),
        [],
        [None],
        *income[4:],
        ["Total", 925_000],
        ["Figures are unaudited"],
    ]
    sheets["Workforce"] = [
        [None, None, "Workforce at 30 June"],
        [],
        [None, *sheets["Workforce"][0]],
        *([None, *row] for row in sheets["Workforce"][1:]),
    ]
    sheets["Pivot workings"] = [["anything", 1, 2, 3]]
    result = ingest(db_path, sheets)
    assert result.status == ACCEPTED, [str(p) for p in result.problems]
    assert result.problems == []
    assert stored(db_path, "income", "retail") == 250_000
    assert stored(db_path, "headcount", "medical") == 6
    with db.connect(db_path) as con:
        assert con.execute("select count(*) from current_figures where measure = 'income'").fetchone()[0] == 9


@pytest.mark.parametrize(
    "sheet_name, header, label",
    [
        ("income", "income STREAM", "nhs / icb contracts & grants"),
        (" Income ", "Income-stream", "NHS/ICB contracts and grants"),
        ("INCOME", "Source", "NHS contracts"),
        ("Income", "Income stream", "  NHS  /  ICB contracts and grants  "),
    ],
)
def test_sheet_header_and_row_labels_match_ignoring_case_spacing_punctuation_and_synonyms(
    db_path, sheet_name, header, label
):
    sheets = factory.standard_return()
    rows = sheets.pop("Income")
    rows[0][0] = header
    rows[1][0] = label
    sheets[sheet_name] = rows
    result = ingest(db_path, sheets)
    assert result.status == ACCEPTED, [str(p) for p in result.problems]
    assert stored(db_path, "income", "nhs_contracts") == 300_000


@pytest.mark.parametrize(
    "sheet, original, synonym, measure, breakdown, value",
    [
        ("Workforce", "Staff group", "Staff type", "headcount", "nursing", 60),
        ("Workforce", "FTE", "WTE", "fte", "nursing", 48.0),
        ("Workforce", "Vacancies (FTE)", "Vacancies", "vacancies", "nursing", 4.0),
        ("Activity", "26 and over", "26+", "patients_supported", "26_plus", 500),
        ("Activity", "Under 18", "0-17", "patients_supported", "under_18", 0),
        ("Capacity", "Value", "Number", "ipu_beds", "all", 16),
        ("Income", "Amount (£)", "Amount", "income", "retail", 250_000),
    ],
)
def test_header_synonyms(db_path, sheet, original, synonym, measure, breakdown, value):
    sheets = factory.standard_return()
    header = sheets[sheet][0]
    header[header.index(original)] = synonym
    result = ingest(db_path, sheets)
    assert result.status == ACCEPTED, [str(p) for p in result.problems]
    assert stored(db_path, measure, breakdown) == value


def test_cover_sheet_synonym_and_member_by_name(db_path):
    sheets = factory.standard_return(member="  rowan   HOSPICE ")
    sheets["Cover"] = sheets.pop("Return")
    result = ingest(db_path, sheets)
    assert result.status == ACCEPTED
    assert result.member_code == "ROW"


def test_expenditure_sheet_is_optional(db_path):
    sheets = factory.standard_return()
    del sheets["Expenditure"]
    assert ingest(db_path, sheets).status == ACCEPTED
    assert stored(db_path, "expenditure", "care") is None


def test_a_missing_row_is_a_warning_and_not_reported(db_path):
    sheets = factory.standard_return()
    sheets["Income"] = [row for row in sheets["Income"] if row[0] != "Lottery"]
    result = ingest(db_path, sheets)
    assert result.status == ACCEPTED
    assert [str(p) for p in result.warnings] == [
        "Income: There is no row for 'Lottery'; it is treated as not reported."
    ]
    assert stored(db_path, "income", "lottery") is None


def test_a_cover_sheet_with_a_notes_column_never_reads_the_note_as_a_value(db_path):
    sheets = factory.standard_return()
    sheets["Return"] = [
        [*row, "Guidance: who filled this in"] if row[0] == "Prepared by" else row for row in sheets["Return"]
    ]
    factory.set_value(sheets, "Return", "Prepared by", None)
    assert ingest(db_path, sheets).status == ACCEPTED
    with db.connect(db_path) as con:
        assert con.execute("select prepared_by from submissions").fetchone() == (None,)


def test_a_hidden_copy_of_a_sheet_does_not_clash_with_the_visible_one(db_path, tmp_path):
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(factory.to_bytes(factory.standard_return())))
    old = book.copy_worksheet(book["Workforce"])
    old.title = "Staffing"
    old["B2"] = 999
    old.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    result = ingest_bytes(buffer.getvalue(), "hidden.xlsx", db_path=db_path)
    assert result.status == ACCEPTED, [str(p) for p in result.problems]
    assert stored(db_path, "headcount", "medical") == 6


def test_an_empty_heading_is_never_taken_for_the_amount_column(db_path):
    """'£' is a synonym of 'Amount (£)' and folds to nothing: an empty heading must not match it."""
    sheets = factory.standard_return("ROW", "2024/25", "Q1")
    sheets["Income"] = [[row[0], None, row[1]] for row in sheets["Income"]]  # an empty column before the amounts
    result = ingest_bytes(factory.to_bytes(sheets), "spaced.xlsx", db_path)
    assert result.status == ACCEPTED, [str(p) for p in result.problems]
    with db.connect(db_path) as con:
        income = con.execute(
            "select count(*) from figures where submission_id = $1 and measure = 'income'", [result.submission_id]
        ).fetchone()[0]
    assert income == len(factory.INCOME)
