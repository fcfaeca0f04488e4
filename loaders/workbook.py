"""Reading a workbook's cells: python-calamine for every format members send.

calamine gives each cell's saved value. A formula whose result was never
saved (a file written by a program rather than Excel, say) has no value, and
calamine gives an empty cell; reading that as "not reported" would be wrong,
so for ``.xlsx``/``.xlsm`` and ``.ods`` the file's own XML is scanned for such
cells and the validator reports them.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from common.errors import UnreadableWorkbook

FORMATS = {
    ".xlsx": "Excel",
    ".xlsm": "Excel (macro-enabled)",
    ".xls": "Excel 97-2003",
    ".ods": "OpenDocument spreadsheet",
}


class FormulaScan:
    """Cells holding a formula with no saved result, found only when first asked.

    Most returns have no blank number cells, so most never pay for the scan.
    """

    def __init__(self, content: bytes) -> None:
        self._content = content
        self._found: dict[str, set[str]] | None = None

    def cells(self, sheet_name: str) -> set[str]:
        if self._found is None:
            self._found = _unsaved_formulas(self._content)
        return self._found.get(sheet_name, set())


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    formulas: FormulaScan | None = None
    hidden: bool = False

    @property
    def unsaved_formulas(self) -> set[str]:
        """Addresses like "B7" of formula cells whose result was not saved."""
        return self.formulas.cells(self.name) if self.formulas else set()

    def cell(self, row: int, col: int) -> object:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return ""


def column_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def address(row: int, col: int) -> str:
    """Zero-based row and column -> ``B7``."""
    return f"{column_letter(col)}{row + 1}"


def read_workbook(content: bytes, file_name: str) -> list[Sheet]:
    """Every worksheet's cells from the top-left corner (A1 is rows[0][0]), hidden ones marked."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except (CalamineError, Exception) as error:  # calamine raises several types for a bad file
        raise UnreadableWorkbook(
            f"{file_name} could not be opened as a spreadsheet ({_plain(error)}). "
            "Save it from Excel as .xlsx and send it again."
        ) from error
    scan = FormulaScan(content)
    sheets = []
    with book:
        for meta in book.sheets_metadata:
            try:
                rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            except Exception:  # chart sheets and dialog sheets have no cells
                continue
            sheets.append(Sheet(meta.name, rows, scan, hidden=meta.visible != SheetVisibleEnum.Visible))
    return sheets


def _plain(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:120]


def _unsaved_formulas(content: bytes) -> dict[str, set[str]]:
    if not zipfile.is_zipfile(io.BytesIO(content)):
        return {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" in names:
            return _xlsx_unsaved(archive)
        if "content.xml" in names:
            return _ods_unsaved(archive.read("content.xml"))
    return {}


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _xlsx_unsaved(archive: zipfile.ZipFile) -> dict[str, set[str]]:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{_NS_PKG_REL}Relationship")}
    found: dict[str, set[str]] = {}
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if path not in archive.namelist():
            continue
        xml = archive.read(path)
        if b"<f" not in xml and b":f" not in xml:
            continue
        cells = set()
        for cell in ElementTree.fromstring(xml).iter(f"{_NS_MAIN}c"):
            formula = cell.find(f"{_NS_MAIN}f")
            value = cell.find(f"{_NS_MAIN}v")
            inline = cell.find(f"{_NS_MAIN}is")
            if formula is not None and (value is None or not (value.text or "").strip()) and inline is None:
                cells.add(cell.get("r"))
        if cells:
            found[sheet.get("name")] = cells
    return found


_NS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_NS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _ods_unsaved(xml: bytes) -> dict[str, set[str]]:
    if b"table:formula" not in xml:
        return {}
    found: dict[str, set[str]] = {}
    root = ElementTree.fromstring(xml)
    for table in root.iter(f"{{{_NS_TABLE}}}table"):
        name = table.get(f"{{{_NS_TABLE}}}name")
        cells = set()
        for row_number, row in enumerate(_ods_rows(table)):
            col = 0
            for cell in row:
                repeat = int(cell.get(f"{{{_NS_TABLE}}}number-columns-repeated", "1"))
                has_formula = cell.get(f"{{{_NS_TABLE}}}formula") is not None
                has_value = (
                    cell.get(f"{{{_NS_OFFICE}}}value") is not None
                    or cell.get(f"{{{_NS_OFFICE}}}string-value") is not None
                    or any(True for _ in cell.iter("{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"))
                )
                if has_formula and not has_value:
                    cells.add(address(row_number, col))
                col += repeat
        if cells:
            found[name] = cells
    return found


def _ods_rows(table: ElementTree.Element):
    for row in table.iter(f"{{{_NS_TABLE}}}table-row"):
        repeat = int(row.get(f"{{{_NS_TABLE}}}number-rows-repeated", "1"))
        cells = [c for c in row if c.tag in (f"{{{_NS_TABLE}}}table-cell", f"{{{_NS_TABLE}}}covered-table-cell")]
        for _ in range(min(repeat, 1000)):
            yield cells
