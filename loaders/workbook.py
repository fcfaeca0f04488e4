"""Reading a workbook's cells: python-calamine for every format members send, never in the app's own process.

``read_workbook`` hands the file to a child process (``loaders/sandbox.py``), which checks what it will
cost before calamine reads it (``loaders/guard.py``): a file that is too large, damaged, encrypted or
built to crash the reader is refused with a message naming it, and the app carries on.

calamine gives each cell's saved value. Two kinds of cell it gives as blank are found in the file's own
XML or records instead, so that blank never stands for them: a formula whose result was never saved
(``Sheet.unsaved_formulas``; a file written by a program rather than Excel, say) and a cell holding an
Excel error such as ``#DIV/0!`` (``Sheet.errors``). The readers report both at the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from common.errors import UnreadableWorkbook
from contract.returns import normalise
from loaders import guard, sandbox

FORMATS = {
    ".xlsx": "Excel",
    ".xlsm": "Excel (macro-enabled)",
    ".xls": "Excel 97-2003",
    ".ods": "OpenDocument spreadsheet",
}

# What each Excel (or LibreOffice) error value means, in a finance officer's words
EXCEL_ERRORS = {
    "#DIV/0!": "a division by zero in its formula",
    "#REF!": "its formula refers to a cell that was deleted",
    "#N/A": "a lookup in its formula found nothing",
    "#VALUE!": "its formula was given the wrong kind of value",
    "#NAME?": "its formula uses a name or function Excel does not know",
    "#NUM!": "its formula gave a number Excel cannot hold",
    "#NULL!": "its formula names two ranges that do not meet",
    "#SPILL!": "its formula's results would overwrite other cells",
    "#CALC!": "its formula could not be calculated",
    "#GETTING_DATA": "its value was still being fetched when the file was saved",
}

__all__ = ["FORMATS", "Sheet", "UnreadableWorkbook", "address", "column_letter", "excel_error", "read_workbook"]


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    hidden: bool = False
    unsaved_formulas: set[str] = field(default_factory=set)  # "B7": a formula whose result was not saved
    errors: dict[str, str] = field(default_factory=dict)  # "B7" -> "#DIV/0!": a cell holding an Excel error

    def cell(self, row: int, col: int) -> object:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return ""


def sheets_named(sheets: list[Sheet], wanted: set[str]) -> list[Sheet]:
    """The sheets whose folded name (``contract.returns.normalise``) is one of ``wanted``.

    A hidden sheet (a member's old copy, say) counts only when no visible one matches.
    """
    matching = [s for s in sheets if normalise(s.name) in wanted]
    return [s for s in matching if not s.hidden] or matching


def column_letter(col: int) -> str:
    return guard.cell_name(0, col)[:-1]


def address(row: int, col: int) -> str:
    """Zero-based row and column -> ``B7``."""
    return guard.cell_name(row, col)


def excel_error(code: str) -> str:
    """``holds the Excel error #DIV/0! (a division by zero in its formula)``: what an error cell says."""
    meaning = EXCEL_ERRORS.get(code.upper(), "an error in its formula")
    return f"holds the Excel error {code} ({meaning})"


def read_workbook(content: bytes, file_name: str) -> list[Sheet]:
    """Every worksheet's cells from the top-left corner (A1 is rows[0][0]), hidden ones marked.

    Raises ``UnreadableWorkbook`` (or one of its kinds, ``WorkbookRefused``, which say where) for a file
    that cannot be read safely; a damaged sheet is a refusal naming it, never a sheet left out.
    """
    guard.check_size(content, file_name)  # a file too large to be a return is refused before a child sees it
    sheets = []
    for name, hidden, n_rows, n_cols, cells, unsaved, errors in sandbox.read_cells(content, file_name):
        rows: list[list[object]] = [[""] * n_cols for _ in range(n_rows)]
        for r, c, value in cells:
            rows[r][c] = value
        sheets.append(Sheet(name, rows, hidden, set(unsaved), dict(errors)))
    return sheets
