"""The quarterly return template: a blank workbook for one member and quarter.

Everything printed here (sheet names, headings, row labels, definitions)
comes from ``contract/returns.py``, so a template always reads back through
``loaders/read_return.py``. Numbers are typed, never formulas: calamine reads
a formula's saved result only, and a file written here has none.

``figures`` fills the number cells (the demo generator uses it), keyed as
``SheetSpec.figure_key`` keys them: ``("income", "legacies")``,
``("fte", "nursing")``, ``("deaths", "26_plus")``.

Blank templates differ only in a few words (the member's name, the year and the
quarter), so the workbook is built once per process with placeholders for them
and each template re-stamps that copy: a few milliseconds instead of building
and saving a workbook with openpyxl every time (docs/loading.md says more).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, fields
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from contract.periods import quarter_end, quarter_index, quarter_label, quarter_months, year_label
from contract.returns import DATA_SHEETS, RETURN_FIELDS, RETURN_SHEET, SheetSpec
from loaders.written import RISKY_STARTS, text_stays_text

if TYPE_CHECKING:  # only a type here: importing store.members at run time would load pandas for nothing
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
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
WRAPPED_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
BULLET_ALIGNMENT = Alignment(horizontal="right", vertical="top")

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
    words = _Words.of(member, index)
    if figures or not _stampable(member.name):
        return fixed_timestamps(_build(words, dict(figures or {})), _save_time(index))
    return _zip(_blank_parts(), _save_time(index), words)


def save_template(path: str | Path, member: Member, fy: int, quarter: int, figures: dict | None = None) -> Path:
    """Write the return to ``path`` (folders are created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(write_template(member, fy, quarter, figures))
    return path


def templates_zip(members: list[Member], fy: int, quarter: int) -> bytes:
    """One zip of every member's blank return for the quarter, each named by ``file_name``.

    Only the members of the collaborative in that quarter (``Member.member_in``) get one.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for member in members_in(members, fy, quarter):
            bundle.writestr(_zip_info(file_name(member, fy, quarter)), write_template(member, fy, quarter))
    return out.getvalue()


def save_templates(folder: str | Path, members: list[Member], fy: int, quarter: int) -> list[Path]:
    """Write each member's blank return for the quarter into ``folder`` (created if missing); the paths written.

    Only the members of the collaborative in that quarter (``Member.member_in``) get one.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for member in members_in(members, fy, quarter):
        path = folder / file_name(member, fy, quarter)
        path.write_bytes(write_template(member, fy, quarter))
        paths.append(path)
    return paths


def members_in(members: list[Member], fy: int, quarter: int) -> list[Member]:
    """The members that belong to the collaborative in the quarter, so owe its return."""
    index = quarter_index(fy, quarter)
    return [member for member in members if member.member_in(index)]


def file_name(member: Member, fy: int, quarter: int, suffix: str = "") -> str:
    """``ASH_2024-25_Q1.xlsx``: sorts by member, then year, then quarter."""
    return f"{member.code}_{year_label(fy).replace('/', '-')}_Q{quarter}{suffix}.xlsx"


def title(member: Member, sheet_name: str, index: int) -> str:
    return _Words.of(member, index).title(sheet_name)


def cell_addresses(spec: SheetSpec) -> dict[tuple[str, str], str]:
    """Where each figure of a data sheet goes: (measure, breakdown) -> ``B4``."""
    cells = {}
    for r, row in enumerate(spec.rows, start=FIRST_ROW):
        for c, column in enumerate(spec.columns, start=2):
            cells[spec.figure_key(row.key, column.key)] = f"{get_column_letter(c)}{r}"
    return cells


# -- the workbook ------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    """What differs between two templates' text: the member's name and the quarter."""

    name: str  # Ashgrove Hospice
    year: str  # 2024/25
    quarter: str  # Q1
    label: str  # 2024/25 Q1
    months: str  # April to June 2024

    @classmethod
    def of(cls, member: Member, index: int) -> _Words:
        fy, quarter = divmod(index, 4)
        return cls(member.name, year_label(fy), f"Q{quarter + 1}", quarter_label(index), quarter_months(index))

    def title(self, sheet_name: str) -> str:
        return f"{self.name} — {sheet_name} — {self.label} ({self.months})"


def _build(words: _Words, figures: dict) -> bytes:
    """The workbook as openpyxl saves it (save times not yet fixed); ``figures`` are used up."""
    book = Workbook()
    _return_sheet(book.active, words)
    for spec in DATA_SHEETS:
        _data_sheet(book.create_sheet(spec.name), spec, words, figures)
    if figures:
        unknown = ", ".join(map(str, sorted(figures)))
        raise KeyError(f"These figures have no cell in the return: {unknown}")
    _help_sheet(book.create_sheet(HELP_SHEET))
    book.properties.title = f"{words.name} quarterly return {words.label}"
    book.properties.creator = "One Voice"
    text_stays_text(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _return_sheet(ws: Worksheet, words: _Words) -> None:
    ws.title = RETURN_SHEET.name
    ws.cell(TITLE_ROW, 1, words.title(RETURN_SHEET.name)).font = TITLE_FONT
    ws.cell(TITLE_ROW + 1, 1, f"Definitions and rules: see the '{HELP_SHEET}' sheet.").font = NOTE_FONT
    _header(ws, [RETURN_SHEET.label_header.label, RETURN_SHEET.columns[0].label])
    values = {"member": words.name, "year": words.year, "quarter": words.quarter}
    for r, field in enumerate(RETURN_FIELDS, start=FIRST_ROW):
        _label(ws.cell(r, 1, field.label))
        cell = ws.cell(r, 2, values.get(field.key))
        cell.protection, cell.border = UNLOCKED, INPUT_BORDER
    _widths(ws, [max(len(f.label) for f in RETURN_FIELDS) + 4, 48])
    _protect(ws)


def _data_sheet(ws: Worksheet, spec: SheetSpec, words: _Words, figures: dict) -> None:
    ws.cell(TITLE_ROW, 1, words.title(spec.name)).font = TITLE_FONT
    ws.cell(TITLE_ROW + 1, 1, SHEET_NOTES.get(spec.name, "")).font = NOTE_FONT
    _header(ws, [spec.label_header.label, *(c.label for c in spec.columns)])
    prompted: dict[tuple[str, str], list[str]] = {}  # one validation per prompt, over all its cells
    for r, row in enumerate(spec.rows, start=FIRST_ROW):
        _label(ws.cell(r, 1, row.label))
        for c, column in enumerate(spec.columns, start=2):
            cell = ws.cell(r, c, _number(figures.pop(spec.figure_key(row.key, column.key), None)))
            cell.protection, cell.border = UNLOCKED, INPUT_BORDER
            cell.number_format = _format(spec, row.key, column.key)
            prompt = (row.label, row.help) if row.help else (column.label, column.help)
            prompted.setdefault(prompt, []).append(cell.coordinate)
    for (label, help_text), cells in prompted.items():
        ws.add_data_validation(_validation(label, help_text, cells))
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
        ws.cell(r, 1, "•").alignment = BULLET_ALIGNMENT
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
    ws.cell(r, c, text).alignment = WRAPPED_ALIGNMENT
    lines = -(-len(text) // int(width * 1.1)) if text else 1
    ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 15, 15 * lines)


def _header(ws: Worksheet, labels: list[str], row: int = HEADER_ROW) -> None:
    for c, text in enumerate(labels, start=1):
        cell = ws.cell(row, c, text)
        cell.font, cell.fill = BOLD_FONT, HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT


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


def _validation(label: str, help_text: str, cells: list[str] | tuple[str, ...] = ()) -> DataValidation:
    """Best given all its cells at once: adding them one by one costs openpyxl a range check each."""
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
        sqref=" ".join(cells),
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
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def fixed_timestamps(content: bytes, stamp: str) -> bytes:
    """Fix the save time openpyxl and zipfile write, so a template's SHA-256 depends on its content."""
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        return _zip([(info.filename, source.read(info.filename)) for info in source.infolist()], stamp)


def _save_time(index: int) -> str:
    return quarter_end(index).strftime("%Y-%m-%dT00:00:00Z")


def _zip_info(name: str) -> zipfile.ZipInfo:
    return zipfile.ZipInfo(name, date_time=_ZIP_TIME)


def _zip(parts: list[tuple[str, bytes]], stamp: str, words: _Words | None = None) -> bytes:
    """The parts zipped with fixed times; with ``words``, the placeholders of a blank template filled in."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            if words is not None:
                data = _PLACEHOLDER.sub(partial(_fill, words), data)
            if name == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            target.writestr(_zip_info(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


# -- a blank template, re-stamped ---------------------------------------------------------
#
# The blank workbook is built and saved once per process with a placeholder for each of
# the words (its field name between two private-use characters), and every blank template
# is that copy with the placeholders replaced, written as openpyxl writes text: escaped, and
# in the worksheets (which openpyxl writes in ASCII) with character references for the
# rest, so ``—`` is ``&#8212;`` there and UTF-8 in docProps/core.xml. A test checks that
# both ways give the same bytes.

_PLACEHOLDERS = _Words(*(f"\ue000{f.name}\ue001" for f in fields(_Words)))
_PLACEHOLDER = re.compile(rb"(\xee\x80\x80|&#57344;)([a-z]+)(?:\xee\x80\x81|&#57345;)")  # U+E000 name U+E001
_UNSAFE = re.compile(r"[\x00-\x1f\ud800-\udfff\ue000\ue001\ufffe\uffff]")


@lru_cache(maxsize=1)
def _blank_parts() -> tuple[tuple[str, bytes], ...]:
    with zipfile.ZipFile(io.BytesIO(_build(_PLACEHOLDERS, {}))) as book:
        return tuple((info.filename, book.read(info.filename)) for info in book.infolist())


def _fill(words: _Words, match: re.Match) -> bytes:
    text = getattr(words, match.group(2).decode()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.encode("ascii", "xmlcharrefreplace") if match.group(1) == b"&#57344;" else text.encode()


def _stampable(name: str) -> bool:
    """A name openpyxl writes as plain escaped text; anything else is built in full, as before.

    Full builds keep openpyxl's own handling of the rare rest: spaces at either end
    (``xml:space``), a leading ``=`` (a formula), control characters (refused).
    """
    return bool(name) and name == name.strip() and not name.startswith(RISKY_STARTS) and not _UNSAFE.search(name)
