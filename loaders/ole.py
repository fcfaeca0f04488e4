"""Looking inside an OLE compound file (an ``.xls``, or an encrypted ``.xlsx``) before calamine does.

calamine trusts the sizes and positions such a file declares: a damaged or truncated one can make it
ask for gigabytes or panic. This module reads the same structures in plain Python, with every chain
and every record checked against the bytes that are really there, and says what it found: the
workbook stream's sheets, how far each one's cells reach, its Excel error cells, and whether the
file is encrypted. Anything that does not add up raises :class:`DamagedWorkbook` with only the reason
("it points past its own end"); the caller, which knows the file's name, words the message a person sees.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from common.errors import DamagedWorkbook, PasswordProtected

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
END_OF_CHAIN = 0xFFFFFFFE
FREE_SECTOR = 0xFFFFFFFF
MAX_RECORDS = 1_000_000  # BIFF records read in all; a return has about a thousand

# BIFF8 error codes (BOOLERR and cached FORMULA results)
ERROR_CODES = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}

_BOF, _EOF, _BOUNDSHEET, _FILEPASS, _DIMENSIONS = 0x0809, 0x000A, 0x0085, 0x002F, 0x0200
_NUMBER, _RK, _LABELSST, _LABEL, _RSTRING, _BOOLERR, _FORMULA, _MULRK = (
    0x0203,
    0x027E,
    0x00FD,
    0x0204,
    0x00D6,
    0x0205,
    0x0006,
    0x00BD,
)
_SINGLE_CELLS = (_NUMBER, _RK, _LABELSST, _LABEL, _RSTRING, _BOOLERR, _FORMULA)
_ROW, _BLANK, _MULBLANK, _SST = 0x0208, 0x0201, 0x00BE, 0x00FC
# the length each fixed-size record always has: a damaged type byte can turn a figure into a blank cell
_SIZES = {_NUMBER: 14, _RK: 10, _LABELSST: 10, _BOOLERR: 8, _BLANK: 6, _ROW: 16}


@dataclass
class BiffSheet:
    """What the cell records of one worksheet say, before any cell is read."""

    name: str
    hidden: bool
    last_row: int = -1  # zero-based, of cells holding something
    last_col: int = -1
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    declared: tuple[int, int] | None = None  # (last row, last col) its DIMENSIONS record gives: calamine sizes by it
    listed_rows: dict[int, tuple[int, int]] = field(default_factory=dict)  # row -> (first col, last col + 1)
    row_spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # row -> (first, last) col of its cells
    filled: set[tuple[int, int]] = field(default_factory=set)  # cells holding a value

    def reach(self, row: int, col: int, last: int | None = None, blank: bool = False) -> None:
        last = col if last is None else last
        if not blank:
            self.last_row = max(self.last_row, row)
            self.last_col = max(self.last_col, last)
            for c in range(col, last + 1):  # a span is at most a record's length over 6
                if (row, c) in self.filled:  # calamine would keep one and drop the other without a word
                    raise DamagedWorkbook(f"the sheet {self.name} has two values for one cell (row {row + 1})")
                self.filled.add((row, c))
        first, final = self.row_spans.get(row, (col, last))
        self.row_spans[row] = (min(first, col), max(final, last))


class CompoundFile:
    """The streams of an OLE compound file (Microsoft's "structured storage"), read with every chain checked."""

    def __init__(self, content: bytes) -> None:
        if len(content) < 512 or not content.startswith(MAGIC):
            raise DamagedWorkbook("it does not start like an Office file")
        self._content = content
        shift, mini_shift = struct.unpack_from("<HH", content, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise DamagedWorkbook("its header gives impossible sector sizes")
        self._size = 1 << shift
        self._sectors = max(len(content) - self._size, 0) // self._size + bool(len(content) % self._size)
        (n_fat, dir_start, _, self._mini_cutoff, minifat_start, n_minifat, difat_start, n_difat) = struct.unpack_from(
            "<IIIIIIII", content, 0x2C
        )
        self._fat = self._read_fat(n_fat, difat_start, n_difat)
        directory = self._chain_bytes(dir_start)
        self._entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
        if not self._entries:
            raise DamagedWorkbook("its directory is empty")
        root = self._entries[0]
        self._mini_stream = self._chain_bytes(struct.unpack_from("<I", root, 116)[0], self._entry_size(root))
        self._minifat = self._ints(self._chain_bytes(minifat_start)) if n_minifat else []

    def names(self) -> list[str]:
        return [self._name(e) for e in self._entries if e[66] in (1, 2)]

    def stream(self, name: str) -> bytes | None:
        """The stream called ``name`` (any case), or None if there is none."""
        for entry in self._entries:
            if entry[66] == 2 and self._name(entry).lower() == name.lower():
                start, size = struct.unpack_from("<I", entry, 116)[0], self._entry_size(entry)
                if size < self._mini_cutoff:
                    return self._mini_chain_bytes(start, size)
                return self._chain_bytes(start, size)
        return None

    # -- the file allocation table and its chains -----------------------------------------------

    def _read_fat(self, n_fat: int, difat_start: int, n_difat: int) -> list[int]:
        if n_fat > self._sectors or n_difat > self._sectors:
            raise DamagedWorkbook("its header claims more sectors than the file holds (it may be cut short)")
        locations = list(struct.unpack_from("<109I", self._content, 0x4C))
        sector, seen = difat_start, 0
        while sector not in (END_OF_CHAIN, FREE_SECTOR) and seen < n_difat:
            block = self._ints(self._sector(sector))
            locations.extend(block[:-1])
            sector, seen = block[-1], seen + 1
        locations = [s for s in locations if s != FREE_SECTOR][:n_fat]
        if len(locations) < n_fat:
            raise DamagedWorkbook("its allocation table is incomplete (it may be cut short)")
        fat: list[int] = []
        for sector in locations:
            fat.extend(self._ints(self._sector(sector)))
        return fat

    def _sector(self, number: int) -> bytes:
        if number >= self._sectors:
            raise DamagedWorkbook("it points past its own end (it may be cut short)")
        start = (number + 1) * self._size  # the header fills sector -1
        return self._content[start : start + self._size].ljust(self._size, b"\0")

    def _chain(self, start: int, table: list[int]) -> list[int]:
        chain: list[int] = []
        sector = start
        while sector != END_OF_CHAIN:
            if sector >= len(table) or len(chain) > len(table):
                raise DamagedWorkbook("one of its chains of sectors is broken (it may be cut short)")
            chain.append(sector)
            sector = table[sector]
        return chain

    def _chain_bytes(self, start: int, size: int | None = None) -> bytes:
        if start in (END_OF_CHAIN, FREE_SECTOR):
            if size:
                raise DamagedWorkbook("a stream it lists has no data")
            return b""
        data = b"".join(self._sector(s) for s in self._chain(start, self._fat))
        if size is not None:
            if size > len(data):
                raise DamagedWorkbook("a stream is shorter than it says (the file may be cut short)")
            data = data[:size]
        return data

    def _mini_chain_bytes(self, start: int, size: int) -> bytes:
        if start in (END_OF_CHAIN, FREE_SECTOR):
            if size:
                raise DamagedWorkbook("a stream it lists has no data")
            return b""
        parts = []
        for sector in self._chain(start, self._minifat):
            if (sector + 1) * 64 > len(self._mini_stream):
                raise DamagedWorkbook("a small stream points past the end of its storage")
            parts.append(self._mini_stream[sector * 64 : (sector + 1) * 64])
        data = b"".join(parts)
        if size > len(data):
            raise DamagedWorkbook("a stream is shorter than it says (the file may be cut short)")
        return data[:size]

    def _entry_size(self, entry: bytes) -> int:
        size = struct.unpack_from("<Q", entry, 120)[0]
        return size & 0xFFFFFFFF if self._size == 512 else size

    @staticmethod
    def _name(entry: bytes) -> str:
        length = min(struct.unpack_from("<H", entry, 64)[0], 64)
        return entry[: max(length - 2, 0)].decode("utf-16-le", "replace")

    @staticmethod
    def _ints(data: bytes) -> list[int]:
        return list(struct.unpack(f"<{len(data) // 4}I", data[: len(data) // 4 * 4]))


def is_encrypted_package(names: list[str]) -> bool:
    """An encrypted .xlsx/.xlsm is a compound file holding these streams instead of a zip."""
    lowered = {n.lower() for n in names}
    return "encryptioninfo" in lowered or "encryptedpackage" in lowered


def biff_sheets(workbook: bytes) -> list[BiffSheet]:
    """Each worksheet of a BIFF8 (or BIFF5) workbook stream, read the way calamine will: from where the
    workbook's sheet list says each one starts. Raises :class:`PasswordProtected` or :class:`DamagedWorkbook`."""
    records = _Records(workbook)
    listed: list[tuple[int, str, bool, int]] = []  # (position, name, hidden, type)
    strings = 0  # how many shared strings the SST record holds
    version, _ = records.first(0, "the workbook")
    while (record := records.next()) is not None:
        code, data = record
        if code == _EOF:
            break
        if code == _FILEPASS:
            raise PasswordProtected("its workbook stream is encrypted")
        if code == _BOUNDSHEET:
            listed.append(_boundsheet(data, version))
        elif code == _SST and len(data) >= 8:
            strings = struct.unpack_from("<I", data, 4)[0]
    else:
        raise DamagedWorkbook("its workbook stream stops short (the file may be cut short)")
    sheets = []
    for position, name, hidden, sheet_type in listed:
        if sheet_type != 0:  # chart, macro and VBA sheets have no cells to read
            continue
        sheet = BiffSheet(name, hidden)
        _scan_sheet(records, position, sheet, strings)
        sheets.append(sheet)
    return sheets


def _boundsheet(data: bytes, biff_version: int) -> tuple[int, str, bool, int]:
    if len(data) < 8:
        raise DamagedWorkbook("its list of sheets is damaged")
    position, state, sheet_type, length = struct.unpack_from("<IBBB", data, 0)
    if biff_version >= 0x0600:
        wide = data[7] & 1 if len(data) > 7 else 0
        raw = data[8 : 8 + length * (2 if wide else 1)]
        name = raw.decode("utf-16-le" if wide else "latin-1", "replace")
    else:
        name = data[7 : 7 + length].decode("latin-1", "replace")
    return position, name, bool(state & 0x03), sheet_type


def _scan_sheet(records: _Records, position: int, sheet: BiffSheet, strings: int) -> None:
    records.first(position, f"the sheet {sheet.name}")
    while (record := records.next()) is not None:
        code, data = record
        if code == _EOF:
            _check_rows(sheet)
            return
        if len(data) != _SIZES.get(code, len(data)):
            raise DamagedWorkbook(f"the sheet {sheet.name} has a record of the wrong length (type {code:#06x})")
        if code == _DIMENSIONS:
            sheet.declared = _dimensions(data)
        elif code in _SINGLE_CELLS and len(data) >= 4:
            row, col = struct.unpack_from("<HH", data, 0)
            sheet.reach(row, col)
            error = _error_in(code, data)
            if error:
                sheet.errors[(row, col)] = error
            if code == _LABELSST and len(data) >= 10 and struct.unpack_from("<I", data, 6)[0] >= strings:
                # calamine gives a text it cannot find as blank: a row label would vanish with its figures
                raise DamagedWorkbook(f"the sheet {sheet.name} has a cell in row {row + 1} whose text is missing")
        elif code in (_MULRK, _MULBLANK) and len(data) >= 6:
            row, first = struct.unpack_from("<HH", data, 0)
            last = struct.unpack_from("<H", data, len(data) - 2)[0]
            if last - first + 1 != (len(data) - 6) // (6 if code == _MULRK else 2):
                raise DamagedWorkbook(f"the sheet {sheet.name} has a run of cells in row {row + 1} that does not tally")
            sheet.reach(row, first, last, blank=code == _MULBLANK)
        elif code == _BLANK and len(data) >= 4:
            sheet.reach(*struct.unpack_from("<HH", data, 0), blank=True)
        elif code == _ROW and len(data) >= 6:
            row, first, after = struct.unpack_from("<HHH", data, 0)
            sheet.listed_rows[row] = (first, after)
    raise DamagedWorkbook(f"the sheet {sheet.name} stops short (the file may be cut short)")


def _dimensions(data: bytes) -> tuple[int, int] | None:
    """(last row, last col) of a DIMENSIONS record; calamine sets aside (rows x columns) cells from it."""
    if len(data) >= 14:  # BIFF8: 32-bit rows
        first_row, rows, first_col, cols = struct.unpack_from("<IIHH", data, 0)
    elif len(data) >= 8:
        first_row, rows, first_col, cols = struct.unpack_from("<HHHH", data, 0)
    else:
        return None
    if first_row > rows or first_col > cols:  # calamine would take the one from the other and ask for terabytes
        raise DamagedWorkbook("a sheet's size record is damaged (it ends before it starts)")
    return (rows - 1, cols - 1) if rows and cols else None


def _check_rows(sheet: BiffSheet) -> None:
    """Each row's cells against the first and last column its ROW record lists.

    An .xls file has no checksum: a damaged byte can move a figure to another cell, or turn its record
    into one calamine skips, and the figure would vanish without a word. Excel, LibreOffice and xlwt
    list every row that has cells, with the span of its cells, so a cell outside its row's span, or a
    span whose last cell is missing, is damage (xlwt lists every span from column A, so a missing first
    cell cannot be told apart). A sheet that lists no rows is not checked.
    """
    if not sheet.listed_rows:
        return
    for row, (first, last) in sorted(sheet.row_spans.items()):
        listed = sheet.listed_rows.get(row)
        if listed is None:
            raise DamagedWorkbook(f"the sheet {sheet.name} has cells in row {row + 1}, which it does not list")
        if listed[1] > listed[0] and (first < listed[0] or last != listed[1] - 1):
            raise DamagedWorkbook(
                f"the cells of row {row + 1} of the sheet {sheet.name} are not where the row says they are"
            )


def _error_in(code: int, data: bytes) -> str | None:
    """The Excel error a BOOLERR cell, or a formula's saved result, holds."""
    if code == _BOOLERR and len(data) >= 8 and data[7] == 1:
        return ERROR_CODES.get(data[6], f"error {data[6]:#04x}")
    if code == _FORMULA and len(data) >= 14 and data[12:14] == b"\xff\xff" and data[6] == 2:
        return ERROR_CODES.get(data[8], f"error {data[8]:#04x}")
    return None


class _Records:
    """BIFF records of a stream, each checked to lie inside it; at most ``MAX_RECORDS`` in all."""

    def __init__(self, stream: bytes) -> None:
        self._stream = stream
        self._at = 0
        self._read = 0

    def first(self, position: int, what: str) -> tuple[int, int]:
        """Start at ``position``, which must hold a BOF record; gives (BIFF version, substream type)."""
        self._at = position
        record = self.next()
        if record is None or record[0] != _BOF or len(record[1]) < 4:
            raise DamagedWorkbook(f"{what} does not start where the file says it does")
        return struct.unpack_from("<HH", record[1], 0)

    def next(self) -> tuple[int, bytes] | None:
        if self._at + 4 > len(self._stream):
            return None
        self._read += 1
        if self._read > MAX_RECORDS:
            raise DamagedWorkbook(f"it holds more than {MAX_RECORDS:,} records, far more than any return")
        code, length = struct.unpack_from("<HH", self._stream, self._at)
        start = self._at + 4
        if start + length > len(self._stream):
            raise DamagedWorkbook("a record runs past the end of the workbook (the file may be cut short)")
        self._at = start + length
        return code, self._stream[start : start + length]
