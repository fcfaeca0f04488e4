"""The quarterly return template: a blank workbook for one member and quarter.

Everything printed here (sheet names, headings, row labels, definitions)
comes from ``contract/returns.py``, so a template always reads back through
``loaders/read_return.py``. Numbers are typed, never formulas: calamine reads
a formula's saved result only, and a file written here has none.

``figures`` fills the number cells (the demo generator uses it), keyed as
``SheetSpec.figure_key`` keys them: ``("income", "legacies")``,
``("fte", "nursing")``, ``("deaths", "26_plus")``.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from contract.periods import quarter_end, quarter_index, quarter_label, quarter_months, year_label
from contract.returns import DATA_SHEETS, RETURN_FIELDS, RETURN_SHEET, SheetSpec
from store.members import Member

HELP_SHEET = "How to fill this in"
HELP_WIDTHS = [14, 48, 90]
TITLE_ROW, HEADER_ROW, FIRST_ROW = 1, 3, 4  # a title, a blank row, the headings, then the rows

MONEY_FORMAT = '"£"#,##0'
COUNT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"  # FTE, vacancies and average beds have fractions
DECIMAL_KEYS = {"fte", "vacancies", "ipu_beds"}
STOCK_KEYS = {"headcount", "fte", "vacancies", "volunteers", "hah_capacity", "day_places"}

TITLE_FONT = Font(name="Calibri", bold=True, size=13)
NOTE_FONT = Font(name="Calibri", italic=True)
BOLD_FONT = Font(name="Calibri", bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_BORDER = Border(*(Side(style="thin", color="BFBFBF"),) * 4)
UNLOCKED = Protection(locked=False)

NUMBER_ERROR = (
    "Type a number of zero or more, without £ signs or commas. Leave the cell blank if you "
    "do not have the figure (blank means not reported; 0 means none)."
)

SHEET_NOTES = {
    "Income": "Income received or accrued in the quarter, in pounds, before costs.",
    "Expenditure": "What was spent in the quarter, in pounds. This sheet is optional but helps the "
    "collaborative show what share of the cost the state pays.",
    "Workforce": "Staff employed at the end of the quarter (a stock), by staff group. Bank and sessional "
    "staff count only if they hold a contract at quarter end.",
    "Volunteers": "Volunteers at the end of the quarter, and the hours they gave during it.",
    "Capacity": "The services the hospice could offer in the quarter.",
    "Activity": "What the hospice did in the quarter, split by the patient's age: Under 18, 18 to 25, 26 and over.",
}

RULES = (
    "The financial year runs April to March: Q1 is April to June, Q2 July to September, "
    "Q3 October to December and Q4 January to March.",
    "Give the figures for this quarter only, not the year to date.",
    "Blank means not reported: leave a cell blank when you do not have the figure. "
    "0 means none: type 0 when the answer is none. The two are counted differently.",
    "Type numbers without £ signs or commas; the cells format them for you. Amounts are in pounds.",
    "Stocks are counted at the end of the quarter: staff headcount, FTE and vacancies, active volunteers, "
    "hospice at home capacity and day service places. Everything else covers the whole quarter.",
    "These figures cannot both be true and stop the return loading: new patients above patients supported; "
    "deaths in preferred place above deaths with preferred place recorded, or those above patient deaths; "
    "FTE above headcount. Each is checked per age group or staff group.",
    "These are flagged for you to check but still load: occupied bed days above bed days available, and a "
    "figure more than 50% higher or lower than in your previous quarter.",
    "Keep the sheet names, headings and labels as they are (the grey cells are locked). Put any "
    "explanation in Notes on the Return sheet.",
    "Send one workbook per quarter. Sending the same quarter again replaces the earlier return; "
    "the earlier one is kept in the history.",
)


def write_template(member: Member, fy: int, quarter: int, figures: dict | None = None) -> bytes:
    """The return for ``member`` and ``fy`` (2024 for 2024/25) quarter 1-4, as .xlsx bytes.

    The bytes depend only on the arguments, so the same template twice is one file.
    """
    index = quarter_index(fy, quarter)
    remaining = dict(figures or {})
    book = Workbook()
    _return_sheet(book.active, member, index)
    for spec in DATA_SHEETS:
        _data_sheet(book.create_sheet(spec.name), spec, member, index, remaining)
    if remaining:
        unknown = ", ".join(map(str, sorted(remaining)))
        raise KeyError(f"These figures have no cell in the return: {unknown}")
    _help_sheet(book.create_sheet(HELP_SHEET))
    book.properties.title = f"{member.name} quarterly return {quarter_label(index)}"
    book.properties.creator = "One Voice"
    buffer = io.BytesIO()
    book.save(buffer)
    return fixed_timestamps(buffer.getvalue(), quarter_end(index).strftime("%Y-%m-%dT00:00:00Z"))


def save_template(path: str | Path, member: Member, fy: int, quarter: int, figures: dict | None = None) -> Path:
    """Write the return to ``path`` (folders are created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(write_template(member, fy, quarter, figures))
    return path


def file_name(member: Member, fy: int, quarter: int, suffix: str = "") -> str:
    """``ASH_2024-25_Q1.xlsx``: sorts by member, then year, then quarter."""
    return f"{member.code}_{year_label(fy).replace('/', '-')}_Q{quarter}{suffix}.xlsx"


def title(member: Member, sheet_name: str, index: int) -> str:
    return f"{member.name} — {sheet_name} — {quarter_label(index)} ({quarter_months(index)})"


def cell_addresses(spec: SheetSpec) -> dict[tuple[str, str], str]:
    """Where each figure of a data sheet goes: (measure, breakdown) -> ``B4``."""
    cells = {}
    for r, row in enumerate(spec.rows, start=FIRST_ROW):
        for c, column in enumerate(spec.columns, start=2):
            cells[spec.figure_key(row.key, column.key)] = f"{get_column_letter(c)}{r}"
    return cells


# -- the sheets ------------------------------------------------------------------


def _return_sheet(ws: Worksheet, member: Member, index: int) -> None:
    ws.title = RETURN_SHEET.name
    ws.cell(TITLE_ROW, 1, title(member, RETURN_SHEET.name, index)).font = TITLE_FONT
    ws.cell(TITLE_ROW + 1, 1, f"Definitions and rules: see the '{HELP_SHEET}' sheet.").font = NOTE_FONT
    _header(ws, [RETURN_SHEET.label_header.label, RETURN_SHEET.columns[0].label])
    fy, quarter = divmod(index, 4)
    values = {"member": member.name, "year": year_label(fy), "quarter": f"Q{quarter + 1}"}
    for r, field in enumerate(RETURN_FIELDS, start=FIRST_ROW):
        _label(ws.cell(r, 1, field.label))
        cell = ws.cell(r, 2, values.get(field.key))
        cell.protection, cell.border = UNLOCKED, INPUT_BORDER
    _widths(ws, [max(len(f.label) for f in RETURN_FIELDS) + 4, 48])
    _protect(ws)


def _data_sheet(ws: Worksheet, spec: SheetSpec, member: Member, index: int, figures: dict) -> None:
    ws.cell(TITLE_ROW, 1, title(member, spec.name, index)).font = TITLE_FONT
    ws.cell(TITLE_ROW + 1, 1, SHEET_NOTES.get(spec.name, "")).font = NOTE_FONT
    _header(ws, [spec.label_header.label, *(c.label for c in spec.columns)])
    validations: dict[tuple[str, str], DataValidation] = {}
    for r, row in enumerate(spec.rows, start=FIRST_ROW):
        _label(ws.cell(r, 1, row.label))
        for c, column in enumerate(spec.columns, start=2):
            cell = ws.cell(r, c, _number(figures.pop(spec.figure_key(row.key, column.key), None)))
            cell.protection, cell.border = UNLOCKED, INPUT_BORDER
            cell.number_format = _format(spec, row.key, column.key)
            prompt = (row.label, row.help) if row.help else (column.label, column.help)
            if prompt not in validations:
                validations[prompt] = _validation(*prompt)
            validations[prompt].add(cell.coordinate)
    for validation in validations.values():
        ws.add_data_validation(validation)
    label_width = max(len(r.label) for r in spec.rows) + 4
    _widths(
        ws, [max(label_width, len(spec.label_header.label) + 4), *(max(16, len(c.label) + 4) for c in spec.columns)]
    )
    ws.freeze_panes = ws.cell(FIRST_ROW, 2)
    _protect(ws)


def _help_sheet(ws: Worksheet) -> None:
    ws.cell(1, 1, "How to fill this in").font = TITLE_FONT
    r = 3
    for rule in RULES:
        ws.cell(r, 1, "•").alignment = Alignment(horizontal="right", vertical="top")
        _wrapped(ws, r, 2, rule, HELP_WIDTHS[1] + HELP_WIDTHS[2])
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
        r += 1
    r += 1
    _header(ws, ["Sheet", "Row or column", "What to put in"], row=r)
    for spec in DATA_SHEETS:
        r += 1
        ws.cell(r, 1, spec.name).font = BOLD_FONT
        _wrapped(ws, r, 3, SHEET_NOTES.get(spec.name, ""), HELP_WIDTHS[2])
        for item in _help_items(spec):
            r += 1
            ws.cell(r, 2, item.label)
            _wrapped(ws, r, 3, _definition(item), HELP_WIDTHS[2])
    _widths(ws, HELP_WIDTHS)
    _protect(ws)


def _help_items(spec: SheetSpec):
    """Rows with definitions; a sheet whose columns carry the definitions lists those first."""
    if any(c.help for c in spec.columns):
        return [*spec.columns, *spec.rows]
    return list(spec.rows)


def _definition(item) -> str:
    text = item.help or "People in this staff group; see the column definitions above."
    if item.key in STOCK_KEYS and "quarter end" not in text and "end of the quarter" not in text:
        text += " Counted at the end of the quarter."
    return text


# -- cells -------------------------------------------------------------------------


def _wrapped(ws: Worksheet, r: int, c: int, text: str, width: float) -> None:
    """Wrapped text, with the row tall enough for it (spreadsheets do not grow merged rows)."""
    ws.cell(r, c, text).alignment = Alignment(wrap_text=True, vertical="top")
    lines = -(-len(text) // int(width * 1.1)) if text else 1
    ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 15, 15 * lines)


def _header(ws: Worksheet, labels: list[str], row: int = HEADER_ROW) -> None:
    for c, text in enumerate(labels, start=1):
        cell = ws.cell(row, c, text)
        cell.font, cell.fill = BOLD_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _label(cell) -> None:
    cell.fill = LABEL_FILL


def _format(spec: SheetSpec, row_key: str, column_key: str) -> str:
    if spec.measure in ("income", "expenditure"):
        return MONEY_FORMAT
    return DECIMAL_FORMAT if {row_key, column_key} & DECIMAL_KEYS else COUNT_FORMAT


def _number(value: object) -> object:
    """Whole numbers are written as integers so Excel shows ``12``, not ``12.0``."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _validation(label: str, help_text: str) -> DataValidation:
    return DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a number of zero or more",
        error=NUMBER_ERROR,
        showInputMessage=bool(help_text),
        promptTitle=label[:32],
        prompt=help_text[:255] or None,
    )


def _widths(ws: Worksheet, widths: list[float]) -> None:
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(width, 90)


def _protect(ws: Worksheet) -> None:
    """Labels and headings locked, no password; people may still resize and format. Prints one page wide."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.formatCells = False


# -- the same arguments, the same bytes ------------------------------------------------

_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def fixed_timestamps(content: bytes, stamp: str) -> bytes:
    """Fix the save time openpyxl and zipfile write, so a template's SHA-256 depends on its content."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            target.writestr(
                zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0)),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()
