"""A small factory for real return workbooks, built in code.

``standard_return()`` gives the sheets of a well-formed return as plain rows
(a few figures each, so expectations can be checked by hand); tests change
rows to make the variation they want, then ``write()`` saves the workbook as
.xlsx, .xlsm, .xls or .ods.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

Rows = list[list[object]]

INCOME = {
    "NHS / ICB contracts and grants": 300_000,
    "Other statutory (local authority and other public)": 20_000,
    "Donations and fundraising events": 150_000,
    "Charitable trusts and grants": 30_000,
    "Legacies": 100_000,
    "Retail (gross)": 250_000,
    "Lottery": 60_000,
    "Investment income": 10_000,
    "Other income": 5_000,
}
EXPENDITURE = {
    "Patient and family care services": 700_000,
    "Fundraising, retail and lottery costs": 200_000,
    "Support and other costs": 80_000,
}
WORKFORCE = {
    "Medical": (6, 5.0, 1.0),
    "Registered nurses": (60, 48.0, 4.0),
    "Healthcare assistants and care staff": (40, 30.0, 2.0),
    "Allied health professionals": (8, 6.5, 0),
    "Psychosocial, spiritual and bereavement": (10, 8.0, 0),
    "Fundraising, retail and lottery": (50, 35.0, 1.0),
    "Corporate and support services": (30, 26.0, 0.5),
}
VOLUNTEERS = {"Active volunteers at quarter end": 600, "Volunteer hours in quarter": 18_000}
CAPACITY = {
    "Inpatient beds available (average in quarter)": 16,
    "Inpatient bed days available": 1_456,
    "Hospice at home caseload capacity (patients)": 40,
    "Day service places per week": 30,
}
ACTIVITY = {
    "Patients supported in quarter (unique)": (0, 10, 500),
    "New patients in quarter": (0, 4, 200),
    "New referrals accepted": (0, 5, 260),
    "Inpatient admissions": (0, 2, 90),
    "Inpatient occupied bed days": (0, 20, 1_100),
    "Hospice at home visits": (0, 30, 2_400),
    "Community and outpatient contacts": (0, 40, 3_000),
    "Day service attendances": (0, 5, 350),
    "Family members and carers supported": (0, 6, 400),
    "Bereavement support clients": (0, 3, 150),
    "Patient deaths": (0, 1, 120),
    "Deaths with preferred place of death recorded": (0, 1, 100),
    "Deaths in preferred place": (0, 1, 80),
}


def standard_return(member: str = "ROW", year: str = "2024/25", quarter: str = "Q1") -> dict[str, Rows]:
    """Sheets of a valid return, as rows from A1."""
    return {
        "Return": [
            ["Field", "Value"],
            ["Member", member],
            ["Financial year", year],
            ["Quarter", quarter],
            ["Prepared by", "Sam Finance"],
            ["Email", "sam@example.org"],
            ["Notes", None],
        ],
        "Income": [["Income stream", "Amount (£)"], *([k, v] for k, v in INCOME.items())],
        "Expenditure": [["Expenditure line", "Amount (£)"], *([k, v] for k, v in EXPENDITURE.items())],
        "Workforce": [["Staff group", "Headcount", "FTE", "Vacancies (FTE)"], *([k, *v] for k, v in WORKFORCE.items())],
        "Volunteers": [["Measure", "Value"], *([k, v] for k, v in VOLUNTEERS.items())],
        "Capacity": [["Measure", "Value"], *([k, v] for k, v in CAPACITY.items())],
        "Activity": [["Measure", "Under 18", "18 to 25", "26 and over"], *([k, *v] for k, v in ACTIVITY.items())],
    }


def set_value(sheets: dict[str, Rows], sheet: str, label: str, value: object, column: int = 1) -> None:
    """Set the value beside a row label (column 1 is the first number column)."""
    for row in sheets[sheet]:
        if row and row[0] == label:
            row[column] = value
            return
    raise KeyError(f"{sheet} has no row '{label}'")


def to_bytes(sheets: dict[str, Rows], suffix: str = ".xlsx") -> bytes:
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(sheets)
    if suffix == ".xls":
        return _xls(sheets)
    if suffix == ".ods":
        return _ods(sheets)
    raise ValueError(suffix)


def write(sheets: dict[str, Rows], path: Path) -> Path:
    path.write_bytes(to_bytes(sheets, path.suffix))
    return path


def _xlsx(sheets: dict[str, Rows]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xls(sheets: dict[str, Rows]) -> bytes:
    import xlwt

    book = xlwt.Workbook()
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ods(sheets: dict[str, Rows]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            table_row = TableRow()
            for value in row:
                if value is None:
                    table_row.addElement(TableCell())
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                    table_row.addElement(cell)
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=str(value)))
                    table_row.addElement(cell)
            table.addElement(table_row)
        doc.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()
