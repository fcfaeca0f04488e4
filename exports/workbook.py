"""The Excel workbook: a sheet per area with every figure, combined and by member, and a Notes sheet.

Cells hold metric values as numbers (never text), formatted by the figure's
unit: £ #,##0, 0.0%, #,##0 and so on, so the finance lead can add them up.
A suppressed count is the text ``*``. The Notes sheet holds the definitions
and the provenance of every return included.
"""

from __future__ import annotations

import io
import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from contract.joint_work import MEASURES
from exports import tables
from exports.data import ExportData
from exports.suppression import RULE, SUPPRESSED
from loaders.written import text_stays_text
from metrics.joint_work import COUNTED_RULE

HEADER_FILL = PatternFill("solid", fgColor="0072B2")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)
LOADED_FORMAT = "dd mmmm yyyy hh:mm"
HEADER_ROW = 4  # rows 1-3: title, coverage, suppression note

# number format by (unit, kind); the first match wins
FORMATS = [
    (("%", None), "0.0%"),
    (("£", "rate"), "£#,##0.00"),
    (("£", None), "£#,##0"),
    (("days", "rate"), "#,##0.0"),
    (("FTE", None), "#,##0.0"),
    (("beds", None), "#,##0.0"),
]
DEFAULT_FORMAT = "#,##0"


def number_format(unit: str, kind: str) -> str:
    for (want_unit, want_kind), code in FORMATS:
        if unit == want_unit and want_kind in (None, kind):
            return code
    return DEFAULT_FORMAT


def _cell_value(value):
    if value == SUPPRESSED:
        return SUPPRESSED
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool,)):
        return "Yes" if value else "No"
    return value


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    for c, label in enumerate(labels, start=1):
        cell = ws.cell(row, c, label)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _heading(ws: Worksheet, title: str, lines: list[str]) -> None:
    ws.cell(1, 1, title).font = TITLE_FONT
    for i, line in enumerate(lines, start=2):
        ws.cell(i, 1, line)


def _fit_rows(ws: Worksheet, line_height: float = 15) -> None:
    """Tall enough rows for wrapped text: spreadsheets do not always grow a row written by a program."""
    for row in ws.iter_rows():
        if ws.row_dimensions[row[0].row].height:
            continue
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                width = ws.column_dimensions[cell.column_letter].width or 10
                lines = max(lines, math.ceil(len(cell.value) / (width * 1.1)))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = line_height * lines


def _print_setup(ws: Worksheet, title_rows: str | None = None) -> None:
    """Landscape, one page wide: the sheets print as board papers."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def _widths(ws: Worksheet, widths: list[float]) -> None:
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width


def _coverage_line(data: ExportData) -> str:
    cover = data.coverage
    text = (
        f"{data.period.label} ({data.period.months}): {len(cover.members_reporting)} of "
        f"{len(cover.members_expected)} members reporting. "
    )
    missing = ", ".join(data.missing)
    return text + (f"Missing: {missing}." if missing else "Complete: every return is in.")


def area_sheet(ws: Worksheet, data: ExportData, area: str) -> None:
    """Figure rows, Combined then one column per member; numbers formatted by unit."""
    table = tables.area_table(data, area)
    kinds = dict(zip(data.definitions["key"], data.definitions["kind"]))
    _heading(
        ws,
        f"{tables.AREA_TITLES[area]}, {data.period.label}: {data.collaborative}",
        [_coverage_line(data), RULE if data.suppress else "Blank: not reported (never zero)."],
    )
    _header(ws, HEADER_ROW, list(table.columns))
    value_columns = [
        c
        for c in table.columns
        if c not in (tables.FIGURE, tables.BREAKDOWN, tables.UNIT, tables.KEY, tables.BREAKDOWN_KEY)
    ]
    for r, row in enumerate(table.itertuples(index=False), start=HEADER_ROW + 1):
        record = dict(zip(table.columns, row))
        code = number_format(record[tables.UNIT], kinds.get(record[tables.KEY], ""))
        for c, column in enumerate(table.columns, start=1):
            cell = ws.cell(r, c, _cell_value(record[column]))
            if column in value_columns:
                cell.number_format = code
                cell.alignment = Alignment(horizontal="right")
            if column == tables.FIGURE and record[tables.BREAKDOWN_KEY] == "all":
                cell.font = Font(bold=True)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
    _widths(ws, [34, 40, 8] + [19] * len(value_columns) + [30, 18])
    ws.row_dimensions[HEADER_ROW].height = 48
    _fit_rows(ws)
    _print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")


def members_sheet(ws: Worksheet, data: ExportData) -> None:
    table = tables.members_table(data)
    _heading(
        ws,
        f"Members, {data.period.label}: {data.collaborative}",
        [_coverage_line(data), "Shares are each member's part of the combined figure."],
    )
    _frame(ws, table, HEADER_ROW, {c: "0.0%" for c in table.columns if c.startswith("Share of")})
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
    _widths(ws, [8, 36, 10, 20, 12, 10, 30, 14, 14, 14, 14])
    _print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")


def _frame(ws: Worksheet, frame: pd.DataFrame, header_row: int, formats: dict | None = None) -> int:
    """Write a table with a header row; returns the next free row."""
    _header(ws, header_row, list(frame.columns))
    r = header_row
    for r, row in enumerate(frame.itertuples(index=False), start=header_row + 1):
        for c, (column, value) in enumerate(zip(frame.columns, row), start=1):
            cell = ws.cell(r, c, _cell_value(value))
            if formats and column in formats:
                cell.number_format = formats[column]
            if isinstance(value, str) and len(value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    return r + 2


def spc_sheet(ws: Worksheet, data: ExportData) -> None:
    """Each key figure's SPC chart, quarter by quarter (Making Data Count: mean, process limits, labels)."""
    ws.cell(1, 1, f"SPC: is a change real? {data.collaborative}, to {data.period.label}").font = TITLE_FONT
    ws.cell(
        2,
        1,
        "Combined figures, every quarter with returns. Quarters with a missing return or a figure left "
        "blank are left out of the limits; fewer than 13 quarters make them provisional.",
    )
    table = tables.spc_table(data)
    if table.empty:
        ws.cell(4, 1, "No returns yet.")
        return
    _frame(ws, table, 4)
    _widths(ws, [34, 12, 14, 12, 40, 14, 18, 18, 26, 26])


def notes_sheet(ws: Worksheet, data: ExportData) -> None:
    """Scope and assumptions, then the returns included (provenance), missing returns and definitions."""
    ws.cell(1, 1, f"Notes: {data.collaborative}, {data.period.label}").font = TITLE_FONT
    r = _notes(ws, data, 3)
    provenance = tables.provenance_table(data)
    provenance["Loaded"] = list(data.provenance["loaded_at"])  # real date-times, shown dd Month yyyy HH:MM
    for title, frame, formats in (
        ("Returns included", provenance, {"Loaded": LOADED_FORMAT}),
        ("Returns missing", tables.missing_table(data), None),
        ("Definitions", tables.definitions_table(data), None),
    ):
        ws.cell(r, 1, title).font = TITLE_FONT
        if frame.empty:
            ws.cell(r + 1, 1, "None")
            r += 3
            continue
        r = _frame(ws, frame, r + 1, formats)
    _widths(ws, [34, 26, 26, 24, 16, 70, 12, 16])
    _fit_rows(ws)
    _print_setup(ws)


def _notes(ws: Worksheet, data: ExportData, row: int) -> int:
    """The notes as heading and text, the text across the sheet's width so it reads as a paragraph."""
    for r, (heading, text) in enumerate(tables.notes_lines(data), start=row):
        ws.cell(r, 1, heading).font = Font(bold=True)
        cell = ws.cell(r, 2, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(r, 1).alignment = Alignment(vertical="top")
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=8)
        ws.row_dimensions[r].height = 15 * max(1, math.ceil(len(text) / 150))
    return row + len(tables.notes_lines(data)) + 1


# -- joint work ---------------------------------------------------------------------------

JOINT_WIDTHS = [44, 28, 44, 26, 18, 18, 12, 20, 15, 15, 15, 15, 15, 15, 60, 36]
UNIT_FORMATS = {"£": "£#,##0", "£ per £": "£#,##0.00", "FTE": "#,##0.0"}  # anything else a whole number


def _unit_format(unit: str) -> str:
    return UNIT_FORMATS.get(unit, DEFAULT_FORMAT)


def _table(ws: Worksheet, row: int, frame: pd.DataFrame, formats: dict | None = None, unit_column: str = "") -> int:
    """A table whose text wraps in its column; ``Value`` formatted by the row's ``unit_column``. The next free row."""
    _header(ws, row, list(frame.columns))
    r = row
    for r, values in enumerate(frame.itertuples(index=False), start=row + 1):
        record = dict(zip(frame.columns, values))
        for c, column in enumerate(frame.columns, start=1):
            cell = ws.cell(r, c, _cell_value(record[column]))
            code = (formats or {}).get(column)
            if unit_column and column == "Value":
                code = _unit_format(record[unit_column])
            if code:
                cell.number_format = code
                cell.alignment = Alignment(horizontal="right", vertical="top")
            elif isinstance(cell.value, str):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    return r + 2


def _section(ws: Worksheet, row: int, title: str, frame: pd.DataFrame, empty: str, **options) -> int:
    ws.cell(row, 1, title).font = TITLE_FONT
    if frame.empty:
        ws.cell(row + 1, 1, empty)
        return row + 3
    return _table(ws, row + 1, frame, **options)


def joint_sheet(ws: Worksheet, data: ExportData) -> None:
    """The period's joint projects and outcomes, who takes part, the value added, then the register's record."""
    period = data.period.label
    suppressed = f"{RULE} With suppression on it applies to people trained and patients and families reached too."
    _heading(
        ws,
        f"Joint work, {period}: {data.collaborative}",
        [
            f"{tables.register_source(data)} {COUNTED_RULE}",
            suppressed if data.suppress else "Blank: not reported (never zero).",
        ],
    )
    r = HEADER_ROW
    if data.register_projects:
        projects = tables.joint_projects_table(data)
        outcome_formats = {m.label: _unit_format(m.unit) for m in MEASURES}
        r = _section(
            ws,
            r,
            f"Joint projects in {period}",
            projects,
            f"No joint project ran in {period} for the members chosen.",
            formats=outcome_formats,
        )
        combined = tables.joint_outcomes_table(data)
        combined = combined[["Outcome", "Value", "Projects it covers", "How it combines", "Unit", "Number of projects"]]
        r = _section(ws, r, f"Outcomes combined, {period}", combined, "", unit_column="Unit")
        kinds = tables.joint_kinds_table(data)
        r = _section(ws, r, f"Joint projects by kind, {period}", kinds, "", formats={"Joint projects": DEFAULT_FORMAT})
        grid = tables.joint_members_grid(data)
        r = _section(
            ws,
            r,
            "Who takes part, and who leads",
            grid,
            "No member in this export.",
            formats={"Projects": DEFAULT_FORMAT, "Leads": DEFAULT_FORMAT},
        )
    else:
        ws.cell(r, 1, tables.REGISTER_EMPTY)
        r += 2
    value = tables.value_table(data)[["Figure", "Value", "Assumption", "Unit"]]
    r = _section(ws, r, "The value the collaborative adds", value, "", unit_column="Unit")
    r = _section(
        ws, r, "Every outcome in the register", tables.register_outcomes_table(data), "None", unit_column="Unit"
    )
    _section(
        ws,
        r,
        "The register's history",
        tables.register_history_table(data),
        "None",
        formats={"When": LOADED_FORMAT, "Version": "0", "Projects": DEFAULT_FORMAT, "Outcomes": DEFAULT_FORMAT},
    )
    _widths(ws, JOINT_WIDTHS)
    _fit_rows(ws)
    _print_setup(ws)


def build_workbook(data: ExportData) -> bytes:
    """The workbook as .xlsx bytes: Income, Workforce, Capacity, Activity, Members, SPC, Joint work, Notes."""
    book = Workbook()
    book.remove(book.active)
    for area in ("income", "workforce", "capacity", "activity"):
        area_sheet(book.create_sheet(tables.AREA_TITLES[area]), data, area)
    members_sheet(book.create_sheet("Members"), data)
    spc_sheet(book.create_sheet("SPC"), data)
    joint_sheet(book.create_sheet("Joint work"), data)
    notes_sheet(book.create_sheet("Notes"), data)
    book.properties.title = f"{data.collaborative}: {data.period.label}"
    book.properties.creator = "One Voice"
    text_stays_text(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
