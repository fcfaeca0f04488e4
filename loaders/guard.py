"""What a workbook will cost to read, checked in plain Python before calamine is trusted with it.

calamine sizes a sheet from its farthest cell, believes the sizes a file declares and panics or aborts
on some damaged files. So before it sees a file, this module reads the same bytes with every limit
enforced as it goes: a zip's sizes and checksums, every XML element (counted, never expanded), every
cell's position, an ``.xls`` file's sectors and records. On the way it notes what calamine cannot
say: the Excel error cells (calamine gives them as blank) and the formulas whose result was never
saved. :func:`preflight` runs in the child process of ``loaders/sandbox.py``, before calamine.

Each refusal is a :class:`~common.errors.WorkbookRefused` whose message names the file and, where
known, the sheet and cell. The limits and why they were chosen are in docs/loading.md.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from common.errors import DamagedWorkbook, PasswordProtected, UnreadableWorkbook, WorkbookRefused, WorkbookTooLarge
from loaders import ole

LAST_ROW = 10_000  # a return's sheets end by row 100; the register's by a few hundred
LAST_COLUMN = 702  # ZZ
MAX_CELLS = 2_000_000  # all sheets together, each counted from A1 to its farthest cell
MAX_FILE_BYTES = 20 * 2**20
MAX_UNPACKED_BYTES = 50 * 2**20
MAX_RATIO = 100  # unpacked / packed, for a part of more than RATIO_FROM_BYTES
RATIO_FROM_BYTES = 2**20
MAX_PARTS = 10_000
MAX_XML_ELEMENTS = 1_000_000
MAX_XML_DEPTH = 256
MAX_MARKED_CELLS = 10_000  # error cells and unsaved formulas noted in one file
CHUNK = 64 * 1024

ADVICE_DAMAGED = "Open it in Excel (which may offer to repair it), save it and send it again, or send the original."
ADVICE_FAR = (
    "A return fits in a few hundred cells: delete whatever is in the far-off cells (in Excel, Ctrl+End "
    "goes to the last cell used), save the file and send it again."
)
ADVICE_PASSWORD = (
    "Open it in Excel, choose File > Info > Protect Workbook > Encrypt with Password, clear the password "
    "and press OK (and clear any password to modify under File > Save As > Tools > General Options), "
    "then save it and send it again."
)


@dataclass
class SheetScan:
    """What one sheet's own XML or records say, beyond calamine's values."""

    errors: dict[str, str] = field(default_factory=dict)  # "B7" -> "#DIV/0!"
    unsaved: set[str] = field(default_factory=set)  # "B7": a formula with no saved result
    last_row: int = -1  # zero-based, of the farthest cell holding something
    last_col: int = -1


def preflight(content: bytes, file_name: str) -> dict[str, SheetScan]:
    """Every worksheet's findings by sheet name; raises a ``WorkbookRefused`` (or ``UnreadableWorkbook``)."""
    check_size(content, file_name)
    if content.startswith(b"PK"):
        scans = _ZipScan(content, file_name).run()
    elif content.startswith(ole.MAGIC):
        scans = _compound(content, file_name)
    else:
        raise UnreadableWorkbook(
            f"{file_name} could not be opened as a spreadsheet (its contents are not an Excel or OpenDocument "
            "workbook: perhaps a CSV file or a web page with a spreadsheet's name). "
            "Save it from Excel as .xlsx and send it again."
        )
    _check_total(scans, file_name)
    return scans


def check_size(content: bytes, file_name: str) -> None:
    if len(content) > MAX_FILE_BYTES:
        raise WorkbookTooLarge(
            f"{file_name} is {_megabytes(len(content))}, more than the {_megabytes(MAX_FILE_BYTES)} One Voice "
            "reads; a quarterly return is well under 1 MB. Take out pictures and extra sheets, save it and send it "
            "again."
        )


def cell_name(row: int, col: int) -> str:
    """Zero-based row and column -> ``B7``."""
    letters, col = "", col + 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def check_reach(sheet: str, row: int, col: int, file_name: str, declared: bool = False) -> None:
    """Refuse a cell (zero-based) past column ZZ or row 10,000; ``declared``: the sheet only says it reaches it."""
    if row >= LAST_ROW or col >= LAST_COLUMN:
        cell = cell_name(row, col)
        has = "says its cells reach" if declared else "has a cell at"
        raise WorkbookTooLarge(
            f"{file_name}: the {sheet} sheet {has} {cell}, past the farthest One Voice reads "
            f"(column ZZ, row {LAST_ROW:,}). {ADVICE_FAR}",
            f"{sheet}!{cell}",
        )


def _check_total(scans: dict[str, SheetScan], file_name: str) -> None:
    def area(scan: SheetScan) -> int:
        return (scan.last_row + 1) * (scan.last_col + 1)

    total = sum(area(s) for s in scans.values())
    if total > MAX_CELLS:
        name, biggest = max(scans.items(), key=lambda item: area(item[1]))
        cell = cell_name(biggest.last_row, biggest.last_col)
        raise WorkbookTooLarge(
            f"{file_name}: its sheets reach {total:,} cells in all, counting each from A1 to its last cell used "
            f"(the {name} sheet reaches {cell}); One Voice reads at most {MAX_CELLS:,}. {ADVICE_FAR}",
            f"{name}!{cell}",
        )


def _megabytes(size: int) -> str:
    if size < 1024:
        return f"{size:,} bytes"
    return f"{size / 2**20:,.1f} MB" if size >= 2**20 else f"{size / 1024:,.0f} KB"


def _mark(scan: SheetScan, marks: dict | set, cell: str, value: str | None, file_name: str, sheet: str) -> None:
    if len(scan.errors) + len(scan.unsaved) >= MAX_MARKED_CELLS:
        raise WorkbookTooLarge(
            f"{file_name}: the {sheet} sheet has more than {MAX_MARKED_CELLS:,} Excel error cells or formulas "
            "without a saved result. Open it in Excel, let it calculate, fix the errors, save and send it again.",
            sheet,
        )
    if isinstance(marks, dict):
        marks[cell] = value
    else:
        marks.add(cell)


# -- .xls, and encrypted .xlsx (both OLE compound files) ----------------------------------------


def _compound(content: bytes, file_name: str) -> dict[str, SheetScan]:
    try:
        compound = ole.CompoundFile(content)
        if ole.is_encrypted_package(compound.names()):
            raise PasswordProtected("")
        stream = compound.stream("Workbook") or compound.stream("Book")
        if stream is None:
            raise UnreadableWorkbook(
                f"{file_name} could not be opened as a spreadsheet (it is an Office file with no workbook in it: "
                "perhaps a Word document). Save the return from Excel as .xlsx and send it again."
            )
        sheets = ole.biff_sheets(stream)
    except PasswordProtected as error:
        raise PasswordProtected(
            f"{file_name} is password-protected, so One Voice cannot read it. {ADVICE_PASSWORD}"
        ) from error
    except DamagedWorkbook as error:
        raise DamagedWorkbook(f"{file_name} is damaged: {error}. {ADVICE_DAMAGED}") from error
    scans: dict[str, SheetScan] = {}
    for sheet in sheets:
        scan = scans.setdefault(sheet.name, SheetScan())
        if sheet.last_row >= 0:
            check_reach(sheet.name, sheet.last_row, sheet.last_col, file_name)
            scan.last_row, scan.last_col = max(scan.last_row, sheet.last_row), max(scan.last_col, sheet.last_col)
        if sheet.declared:  # calamine sets aside room for the whole declared range of an .xls sheet
            check_reach(sheet.name, *sheet.declared, file_name, declared=True)
            scan.last_row, scan.last_col = max(scan.last_row, sheet.declared[0]), max(scan.last_col, sheet.declared[1])
        for (row, col), code in sheet.errors.items():
            _mark(scan, scan.errors, cell_name(row, col), code, file_name, sheet.name)
    return scans


# -- .xlsx, .xlsm and .ods (zip archives of XML) -----------------------------------------------

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0|"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0|"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0|"
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0|"
_VALUE_ATTRIBUTES = tuple(
    _OFFICE + name for name in ("value", "string-value", "boolean-value", "date-value", "time-value")
)
_CELL_REF = re.compile(r"\$?([A-Z]{1,7})\$?([0-9]{1,9})")
_ODS_ERROR = re.compile(r"#[A-Z0-9/]+[!?]|#N/A|Err:[0-9]{3}")


class _ZipScan:
    """One pass over every part of a zip-packed workbook, with every limit checked on the way."""

    def __init__(self, content: bytes, file_name: str) -> None:
        self.content = content
        self.file_name = file_name
        self.elements = 0
        self.scans: dict[str, SheetScan] = {}
        self.sheet_parts: dict[str, str] = {}  # "xl/worksheets/sheet2.xml" -> "Income"
        self.workbook_sheets: list[tuple[str, str | None]] = []  # (name, relationship id) from xl/workbook.xml
        self.relationships: dict[str, str] = {}  # relationship id -> target, from its .rels
        self.ods = False

    def run(self) -> dict[str, SheetScan]:
        try:
            archive = zipfile.ZipFile(io.BytesIO(self.content))
            infos = archive.infolist()
        except Exception as error:  # zipfile raises a handful of types for a bad directory; each is a refusal
            raise UnreadableWorkbook(
                f"{self.file_name} could not be opened as a spreadsheet (it is not a complete zip archive, as an "
                f".xlsx, .xlsm or .ods file is: it may be cut short or damaged; {_plain(error)}). "
                "Save it from Excel as .xlsx and send it again."
            ) from error
        self._check_directory(infos)
        self.ods = self._kind({info.filename for info in infos}) == "ods"
        first = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
        for info in sorted(infos, key=lambda i: first.index(i.filename) if i.filename in first else len(first)):
            if info.filename not in first:
                self.map_sheets()
            self._read_part(archive, info)
        return self.scans

    def _kind(self, names: set[str]) -> str:
        excel, ods = "xl/workbook.xml" in names, "content.xml" in names
        if "xl/workbook.bin" in names:
            reason = "it is an Excel binary workbook, .xlsb"
        elif excel and ods:
            reason = "it holds both an Excel and an OpenDocument workbook"
        elif not (excel or ods):
            reason = "it is a zip archive, but holds no Excel or OpenDocument workbook"
        else:
            return "ods" if ods else "xlsx"
        raise UnreadableWorkbook(
            f"{self.file_name} could not be opened as a spreadsheet ({reason}). "
            "Save it from Excel as .xlsx and send it again."
        )

    def _check_directory(self, infos: list[zipfile.ZipInfo]) -> None:
        if len(infos) > MAX_PARTS:
            raise WorkbookTooLarge(
                f"{self.file_name} holds {len(infos):,} parts, more than the {MAX_PARTS:,} One Voice reads (a "
                "return has about twenty). Save it from Excel as .xlsx and send it again."
            )
        names = [info.filename for info in infos]
        if len(set(names)) != len(names):
            raise DamagedWorkbook(
                f"{self.file_name} is damaged: some of its parts appear twice in it. {ADVICE_DAMAGED}"
            )
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
                raise WorkbookTooLarge(
                    f"{self.file_name}: its part {info.filename} unpacks from {_megabytes(info.compress_size)} to "
                    f"{_megabytes(info.file_size)}, {ratio:,.0f} times over, far more than any spreadsheet packs "
                    f"(One Voice takes a part packed at most {MAX_RATIO} times over, and "
                    f"{_megabytes(MAX_UNPACKED_BYTES)} unpacked in all). Save the return again from Excel and send it."
                )
        unpacked = sum(info.file_size for info in infos)
        if unpacked > MAX_UNPACKED_BYTES:
            raise WorkbookTooLarge(
                f"{self.file_name} unpacks to {_megabytes(unpacked)}, more than the {_megabytes(MAX_UNPACKED_BYTES)} "
                "One Voice reads; a quarterly return unpacks to well under 1 MB. Take out pictures and extra sheets, "
                "save it and send it again."
            )
        if any(info.flag_bits & 0x1 for info in infos):
            raise PasswordProtected(
                f"{self.file_name} has parts locked with a zip password, which Excel never does, so One Voice cannot "
                "read it. Save the return from Excel as .xlsx, without a password, and send it again."
            )

    def map_sheets(self) -> None:
        """Worksheet parts -> sheet names, from xl/workbook.xml and its relationships (read first)."""
        if self.sheet_parts:
            return
        for name, rel in self.workbook_sheets:
            target = self.relationships.get(rel or "", "").replace("\\", "/")
            if target.startswith("/"):
                self.sheet_parts[target.lstrip("/")] = name
            elif target:
                self.sheet_parts[posixpath.normpath(posixpath.join("xl", target))] = name

    def part_of(self, sheet: str) -> str:
        return next((part for part, name in self.sheet_parts.items() if name == sheet), sheet)

    def scan_of(self, sheet: str) -> SheetScan:
        return self.scans.setdefault(sheet, SheetScan())

    def damaged(self, part: str, reason: str) -> DamagedWorkbook:
        sheet = self.sheet_parts.get(part)
        what = f"the {sheet} sheet" if sheet else f"its part {part}"
        return DamagedWorkbook(f"{self.file_name} is damaged: {what} {reason}. {ADVICE_DAMAGED}", sheet or "")

    def _read_part(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """Unpack one part in chunks (zipfile checks its CRC at the end), scanning it if it is XML.

        A part named .xml or .rels, or named as a worksheet, must be well-formed. Any other part that
        starts like XML is scanned too, in case calamine is led to read it as a sheet; a part that is
        not well-formed there is left alone, since calamine would refuse it as well."""
        strict = info.filename.endswith((".xml", ".rels")) or info.filename in self.sheet_parts
        parser: _XmlScan | None = None
        try:
            with archive.open(info) as part:
                while chunk := part.read(CHUNK):
                    if parser is None and (strict or _looks_like_xml(chunk)):
                        parser = _XmlScan(self, info.filename)
                    if parser:
                        parser.feed(chunk, strict)
            if parser:
                parser.feed(b"", strict, final=True)
        except WorkbookRefused:
            raise
        except zipfile.BadZipFile as error:
            reason = "fails its checksum" if "CRC" in str(error) else f"cannot be unpacked ({_plain(error)})"
            raise self.damaged(
                info.filename, f"{reason}: the file changed or was cut short after it was saved"
            ) from error
        except expat.ExpatError as error:
            where = f"line {error.lineno}, column {error.offset}: {_plain(error)}"
            raise self.damaged(info.filename, f"is not well-formed XML ({where})") from error
        except Exception as error:  # zlib, lzma, bz2 and zipfile each raise their own types for bad data
            raise self.damaged(info.filename, f"cannot be unpacked ({_plain(error)})") from error


def _looks_like_xml(chunk: bytes) -> bool:
    return chunk.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<" or chunk[:2] in (b"\xff\xfe", b"\xfe\xff")


class _XmlScan:
    """One XML part, streamed through expat: elements counted, no DTD, and the cells of a sheet placed."""

    def __init__(self, owner: _ZipScan, part: str) -> None:
        self.owner = owner
        self.part = part
        self.depth = 0
        self.broken = False  # a loosely scanned part that turned out not to be XML
        ods_content = owner.ods and part == "content.xml"
        self.parser = expat.ParserCreate(namespace_separator="|" if ods_content else None)
        self.parser.buffer_text = True
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.cells: _SheetCells | _OdsCells | None = None
        if ods_content:
            self.cells = _OdsCells(owner)
        elif not owner.ods:  # calamine may be led to read any part as a sheet, so every part's cells are placed
            self.cells = _SheetCells(owner, owner.sheet_parts.get(part, part))
        if self.cells:
            self.parser.CharacterDataHandler = self.cells.text

    def feed(self, chunk: bytes, strict: bool, final: bool = False) -> None:
        if self.broken:
            return
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError:
            if strict:
                raise
            self.broken = True

    def _doctype(self, *_args) -> None:
        raise self.owner.damaged(self.part, "declares a DTD or entities, which no spreadsheet program writes")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        owner = self.owner
        owner.elements += 1
        self.depth += 1
        if owner.elements > MAX_XML_ELEMENTS:
            raise WorkbookTooLarge(
                f"{owner.file_name} holds more than {MAX_XML_ELEMENTS:,} XML elements (counted up to its part "
                f"{self.part}), far more than any return (a return has a few thousand). "
                "Save it from Excel as .xlsx and send it again.",
                owner.sheet_parts.get(self.part, ""),
            )
        if self.depth > MAX_XML_DEPTH:
            raise owner.damaged(self.part, f"nests its XML more than {MAX_XML_DEPTH} deep")
        if self.cells:
            self.cells.start(name, attrs)
        if self.part == "xl/workbook.xml" and name.rpartition(":")[2] == "sheet":
            rel = next((v for k, v in attrs.items() if k.rpartition(":")[2] == "id"), None)
            owner.workbook_sheets.append((attrs.get("name", ""), rel))
        elif self.part == "xl/_rels/workbook.xml.rels" and name.rpartition(":")[2] == "Relationship":
            owner.relationships[attrs.get("Id", "")] = attrs.get("Target", "")

    def _end(self, name: str) -> None:
        self.depth -= 1
        if self.cells:
            self.cells.end(name)


class _SheetCells:
    """The cells of one ``.xlsx`` worksheet: where each is, which hold Excel errors or unsaved formulas."""

    def __init__(self, owner: _ZipScan, sheet: str) -> None:
        self.owner, self.sheet = owner, sheet
        self.row = 0  # one-based, of the current <row>
        self.col = 0  # one-based, of the last <c>
        self.cell: dict | None = None
        self.value: list[str] | None = None  # the <v> text being read

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            self.row = self._number(attrs["r"], "row number") if "r" in attrs else self.row + 1
            self.col = 0
        elif local == "c":
            row, col = self._place(attrs.get("r"))
            self.row, self.col = row, col
            self.cell = {"row": row, "col": col, "t": attrs.get("t", "n"), "f": False, "v": None, "is": False}
        elif self.cell is not None and local == "f":
            self.cell["f"] = True
        elif self.cell is not None and local == "is":
            self.cell["is"] = True
        elif self.cell is not None and local == "v":
            self.value = []

    def text(self, data: str) -> None:
        if self.value is not None and sum(map(len, self.value)) < 64:
            self.value.append(data[:64])

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if local == "v" and self.cell is not None and self.value is not None:
            self.cell["v"] = "".join(self.value).strip()
            self.value = None
        elif local == "c" and self.cell is not None:
            self._finish_cell(self.cell)
            self.cell = None

    def _finish_cell(self, cell: dict) -> None:
        if not (cell["f"] or cell["v"] is not None or cell["is"]):
            return  # a styled empty cell: calamine does not place it
        row, col = cell["row"] - 1, cell["col"] - 1
        check_reach(self.sheet, row, col, self.owner.file_name)
        scan = self.owner.scan_of(self.sheet)
        scan.last_row, scan.last_col = max(scan.last_row, row), max(scan.last_col, col)
        where = cell_name(row, col)
        if cell["t"] == "e":
            _mark(scan, scan.errors, where, cell["v"] or "#N/A", self.owner.file_name, self.sheet)
        elif cell["f"] and not cell["v"] and not cell["is"]:
            _mark(scan, scan.unsaved, where, None, self.owner.file_name, self.sheet)
        elif cell["t"] == "s":
            self._number(cell["v"] or "", "shared text number", where)

    def _damaged(self, reason: str) -> DamagedWorkbook:
        return self.owner.damaged(self.owner.part_of(self.sheet), reason)

    def _place(self, ref: str | None) -> tuple[int, int]:
        if ref is None:
            return self.row, self.col + 1
        match = _CELL_REF.fullmatch(ref)
        if not match:
            raise self._damaged(f"has a cell reference that is not one: {ref[:20]!r}")
        letters, digits = match.groups()
        if int(digits) < 1:
            raise self._damaged(f"has a cell reference that is not one: {ref[:20]!r}")
        col = 0
        for letter in letters:
            col = col * 26 + ord(letter) - 64
        return int(digits), col

    def _number(self, text: str, what: str, where: str = "") -> int:
        if not text.isdigit():
            at = f" at {where}" if where else ""
            raise self._damaged(f"has a {what}{at} that is not a number: {text[:20]!r}")
        return int(text)


class _OdsCells:
    """The cells of an ``.ods`` file's content.xml: each table's cells placed, repeats counted, never expanded."""

    def __init__(self, owner: _ZipScan) -> None:
        self.owner = owner
        self.sheet: str | None = None
        self.notes = 0  # inside a comment (office:annotation), whose text is not the cell's
        self.nested = 0  # tables inside a cell: calamine does not read them
        self.row = 0  # zero-based, of the current row
        self.rows = 1  # how many times the current row repeats
        self.col = 0
        self.cell: dict | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == _TABLE + "table":
            if self.sheet is not None:
                self.nested += 1
                return
            self.sheet = attrs.get(_TABLE + "name", "")
            self.row = 0
        elif self.sheet is None or self.nested:
            return
        elif name == _TABLE + "table-row":
            self.rows = self._repeat(attrs, "number-rows-repeated")
            self.col = 0
        elif name in (_TABLE + "table-cell", _TABLE + "covered-table-cell") and self.cell is None:
            self.cell = {
                "cols": self._repeat(attrs, "number-columns-repeated"),
                "typed": _OFFICE + "value-type" in attrs,
                "formula": _TABLE + "formula" in attrs,
                "value": any(a in attrs for a in _VALUE_ATTRIBUTES),
                "error": attrs.get(_CALCEXT + "value-type") == "error",
                "blank_text": attrs.get(_OFFICE + "value-type") == "string"
                and attrs.get(_OFFICE + "string-value") == "",
                "text": None,
            }
        elif self.cell is not None and name == _OFFICE + "annotation":
            self.notes += 1
        elif self.cell is not None and name in (_TEXT + "p", _TEXT + "h") and not self.notes:
            self.cell["text"] = self.cell["text"] or []

    def text(self, data: str) -> None:
        if self.cell and self.cell["text"] is not None and not self.notes and sum(map(len, self.cell["text"])) < 64:
            self.cell["text"].append(data[:64])

    def end(self, name: str) -> None:
        if name == _TABLE + "table":
            if self.nested:
                self.nested -= 1
            else:
                self.sheet = None
        elif self.sheet is None or self.nested:
            return
        elif name == _TABLE + "table-row":
            self.row += self.rows
        elif name == _OFFICE + "annotation" and self.notes:
            self.notes -= 1
        elif name in (_TABLE + "table-cell", _TABLE + "covered-table-cell") and self.cell is not None:
            self._finish_cell(self.cell)
            self.col += self.cell["cols"]
            self.cell = None

    def _finish_cell(self, cell: dict) -> None:
        shown = None if cell["text"] is None else "".join(cell["text"]).strip()
        if not (cell["typed"] or cell["formula"] or cell["text"] is not None):
            return  # an empty cell, however often repeated, costs calamine nothing
        last_row, last_col = self.row + self.rows - 1, self.col + cell["cols"] - 1
        check_reach(self.sheet, last_row, last_col, self.owner.file_name)
        scan = self.owner.scan_of(self.sheet)
        scan.last_row, scan.last_col = max(scan.last_row, last_row), max(scan.last_col, last_col)
        if not cell["formula"]:
            return
        # LibreOffice marks an error result with calcext; older writers leave an empty string and show the error
        if cell["error"] or (cell["blank_text"] and shown and _ODS_ERROR.fullmatch(shown)):
            marks, value = scan.errors, shown or "an error"
        elif not cell["value"] and shown is None:
            marks, value = scan.unsaved, None
        else:
            return
        for row in range(self.row, last_row + 1):
            for col in range(self.col, last_col + 1):
                _mark(scan, marks, cell_name(row, col), value, self.owner.file_name, self.sheet)

    def _repeat(self, attrs: dict[str, str], what: str) -> int:
        text = attrs.get(_TABLE + what, "1")
        if not text.isdigit() or int(text) < 1:
            raise self.owner.damaged("content.xml", f"has a repeat count that is not a whole number: {text[:20]!r}")
        return int(text)


def _plain(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:120]
