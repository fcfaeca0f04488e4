"""Hostile, damaged and oversized workbooks: each is refused with a message naming it, or read right.

The cases the issue names (a cell at XFD1048576 or ZZ200000, a zip bomb, sixty million XML elements,
a flipped bit in a compressed sheet, error cells, a truncated .xls, a password) are built in code, as
is a seeded fuzz of every format: each mutant is ingested into a real database, and it is either
accepted with the figures the file holds or refused with a message naming it, in under 10 seconds,
with the database unchanged; nothing else escapes ``ingest_bytes``. A reader process that crashes or
hangs is a refusal too, and other uploads are read meanwhile.
"""

from __future__ import annotations

import contextlib
import io
import random
import struct
import sys
import threading
import time
import zipfile
import zlib

import openpyxl
import pytest
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from common.errors import ReadingFailed
from loaders import ole, sandbox
from loaders.ingest import ACCEPTED, ALREADY_LOADED, REJECTED, ingest_bytes, ingest_many
from loaders.joint_work import REFUSED, load_register
from loaders.read_return import read_return
from loaders.workbook import Sheet, read_workbook
from store import db
from tests import factory

FORMATS = (".xlsx", ".xlsm", ".xls", ".ods")
SECONDS = 10  # no file may take longer than this, whatever it holds
MUTANTS = 36  # per format and batch: 4 formats x 2 batches x 36, about 20 s on two cores


# -- building hostile files ----------------------------------------------------------------------


def original(suffix: str = ".xlsx") -> bytes:
    return factory.to_bytes(factory.standard_return(), suffix)


def repeated_deflate(unit: bytes, times: int, head: bytes = b"", tail: bytes = b"") -> bytes:
    """A raw deflate stream of head + unit * times + tail, built without compressing it all (a bomb in a second)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    chunk = packer.compress(unit) + packer.flush(zlib.Z_FULL_FLUSH)  # after a full flush every chunk is the same
    return start + chunk * times + packer.compress(tail) + packer.flush()


def rezip(content: bytes, part: str, data: bytes | None = None, deflated: bytes | None = None, size: int = 0) -> bytes:
    """The zip again with ``part`` replaced: by ``data``, or by a raw deflate stream said to unpack to ``size``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out, directory = io.BytesIO(), []
    for info in source.infolist():
        if info.filename == part and deflated is not None:
            packed, unpacked, crc = deflated, size, 0
        else:
            raw = data if info.filename == part and data is not None else source.read(info.filename)
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            packed, unpacked, crc = packer.compress(raw) + packer.flush(), len(raw), zlib.crc32(raw)
        name, offset = info.filename.encode(), out.tell()
        sizes = (crc, len(packed), min(unpacked, 0xFFFFFFFF), len(name))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, *sizes, 0) + name + packed)
        directory.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, *sizes, 0, 0, 0, 0, 0, offset)
        )
        directory[-1] += name
    start = out.tell()
    out.write(b"".join(directory))
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory), out.tell() - start, start, 0)
    return out.getvalue() + end


def with_part(content: bytes, part: str, data: bytes = b"<a>" + b"<b/>" * 200_000 + b"</a>") -> bytes:
    """The zip with one more part (by default 200,000 empty elements, unpacked: no packing ratio to catch)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr(part, data)
    return out.getvalue()


def income_xml(content: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet2.xml")


def with_income_cells(cells: bytes) -> bytes:
    """The standard .xlsx with extra <row> elements at the end of the Income sheet."""
    base = original()
    return rezip(base, "xl/worksheets/sheet2.xml", income_xml(base).replace(b"</sheetData>", cells + b"</sheetData>"))


def compound(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file holding ``streams`` (each padded past the 4,096-byte small-stream cut-off)."""
    sectors, directory, chains = [], [], []
    for name, data in streams.items():
        data = data.ljust(4096, b"\0")
        start = len(sectors)
        sectors += [data[i : i + 512].ljust(512, b"\0") for i in range(0, len(data), 512)]
        directory.append((name, 2, start, len(data)))
        chains.append((start, len(sectors) - start))
    dir_start = len(sectors)
    entries = [("Root Entry", 5, 0xFFFFFFFE, 0), *directory]
    raw = b""
    for index, (name, kind, start, size) in enumerate(entries):
        encoded = (name + "\0").encode("utf-16-le")
        child = 1 if index == 0 and len(entries) > 1 else 0xFFFFFFFF
        right = index + 1 if 0 < index < len(entries) - 1 else 0xFFFFFFFF
        raw += encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, 0xFFFFFFFF, right, child)
        raw += bytes(16 + 4 + 16) + struct.pack("<IQ", start, size)
    raw = raw.ljust((len(raw) + 511) // 512 * 512, b"\0")
    dir_sectors = len(raw) // 512
    sectors += [raw[i : i + 512] for i in range(0, len(raw), 512)]
    fat_start = len(sectors)
    fat = [0xFFFFFFFF] * 128
    for start, count in chains:
        for i in range(count):
            fat[start + i] = start + i + 1 if i < count - 1 else 0xFFFFFFFE
    for i in range(dir_sectors):
        fat[dir_start + i] = dir_start + i + 1 if i < dir_sectors - 1 else 0xFFFFFFFE
    fat[fat_start] = 0xFFFFFFFD
    sectors.append(struct.pack("<128I", *fat))
    header = ole.MAGIC + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, dir_start, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header += struct.pack("<109I", fat_start, *([0xFFFFFFFF] * 108))
    return header + b"".join(sectors)


def workbook_stream(xls: bytes) -> bytes:
    return ole.CompoundFile(xls).stream("Workbook")


def spliced(stream: bytes, at: int, cut: int, insert: bytes) -> bytes:
    """A BIFF stream with ``cut`` bytes at ``at`` replaced by ``insert``, each later sheet's position moved to match."""
    out, shift, position = bytearray(stream[:at] + insert + stream[at + cut :]), len(insert) - cut, 0
    while position + 4 <= len(out):
        code, length = struct.unpack_from("<HH", out, position)
        if code == 0x0085 and struct.unpack_from("<I", out, position + 4)[0] > at:
            struct.pack_into("<I", out, position + 4, struct.unpack_from("<I", out, position + 4)[0] + shift)
        if code == 0x000A:  # the end of the workbook's own records, where the sheet list is
            break
        position += 4 + length
    return bytes(out)


def with_filepass(xls: bytes) -> bytes:
    """The same .xls, its workbook stream saying it is encrypted (a FILEPASS record after the first BOF)."""
    stream = workbook_stream(xls)
    first = 4 + struct.unpack_from("<H", stream, 2)[0]
    return compound({"Workbook": spliced(stream, first, 0, struct.pack("<HHHHH", 0x002F, 6, 1, 1, 1))})


def error_cell(suffix: str) -> bytes:
    """The standard return with Legacies (Income!B6) holding #DIV/0!, as Excel or LibreOffice would save it."""
    content = original(suffix)
    if suffix == ".ods":
        xml = zipfile.ZipFile(io.BytesIO(content)).read("content.xml")
        xml = xml.replace(
            b'<table:table-cell office:value-type="float" office:value="100000"><text:p>100000</text:p>',
            b'<table:table-cell table:formula="of:=1/0" office:value-type="string" office:string-value="" '
            b'calcext:value-type="error"><text:p>#DIV/0!</text:p>',
        ).replace(
            b"<office:document-content ",
            b'<office:document-content xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns'
            b':calcext:1.0" ',
            1,
        )
        return rezip(content, "content.xml", xml)
    if suffix == ".xls":
        stream = workbook_stream(content)
        legacies = stream.index(b"\x7e\x02\x0a\x00\x05\x00\x01\x00")  # the first RK at B6 is Income's
        style = struct.unpack_from("<H", stream, legacies + 8)[0]
        boolerr = struct.pack("<HHHHHBB", 0x0205, 8, 5, 1, style, 0x07, 1)  # a BOOLERR holding #DIV/0!
        return compound({"Workbook": spliced(stream, legacies, 14, boolerr)})
    xml = income_xml(content).replace(b'<c r="B6" t="n"><v>100000</v>', b'<c r="B6" t="e"><f>1/0</f><v>#DIV/0!</v>')
    return rezip(content, "xl/worksheets/sheet2.xml", xml)


def flipped_in_part(content: bytes, part: str, bit: int) -> bytes:
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(part)
    name_length, extra_length = struct.unpack_from("<HH", content, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    out = bytearray(content)
    out[start + bit // 8 % info.compress_size] ^= 1 << bit % 8
    return bytes(out)


# -- what is stored ------------------------------------------------------------------------------


def stored(db_path) -> tuple:
    with db.connect(db_path) as con:
        return tuple(
            con.execute(f"select * from {table} order by all").fetchall()
            for table in ("files", "submissions", "figures", "submission_warnings", "events")
        )


def figures_of(db_path, submission_id: int) -> dict:
    with db.connect(db_path) as con:
        rows = con.execute(
            "select measure, breakdown, value from figures where submission_id = $id", {"id": submission_id}
        ).fetchall()
    return {(m, b): v for m, b, v in rows}


def figures_in(content: bytes, name: str) -> dict:
    """What the file holds, read by calamine here and now (only for files the guard let through)."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    sheets = [
        Sheet(
            m.name,
            book.get_sheet_by_name(m.name).to_python(skip_empty_area=False),
            m.visible != SheetVisibleEnum.Visible,
        )
        for m in book.sheets_metadata
        if m.typ == SheetTypeEnum.WorkSheet
    ]
    return {(f.measure, f.breakdown): f.value for f in read_return(sheets, name).figures}


def refused(db_path, content: bytes, name: str):
    """Ingest a file that must be refused: in time, with every problem naming it, and nothing stored."""
    before = stored(db_path)
    started = time.monotonic()
    result = ingest_bytes(content, name, db_path=db_path)
    assert time.monotonic() - started < SECONDS, name
    assert result.status == REJECTED, (name, [str(p) for p in result.problems])
    assert result.errors and all(p.file == name and p.message.strip() for p in result.errors)
    assert stored(db_path) == before
    return result


def messages(result) -> list[str]:
    return [str(p) for p in result.errors]


# -- the cases the issue names ---------------------------------------------------------------------

FAR = "past the farthest One Voice reads (column ZZ, row 10,000)"


def test_a_cell_at_xfd1048576_is_refused_at_once(db_path):
    content = with_income_cells(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    result = refused(db_path, content, "far.xlsx")
    assert result.errors[0].where == "Income!XFD1048576"
    assert messages(result)[0].startswith(
        f"Income!XFD1048576: far.xlsx: the Income sheet has a cell at XFD1048576, {FAR}."
    )


def test_a_cell_at_zz200000_is_refused_naming_it(db_path):
    result = refused(db_path, with_income_cells(b'<row r="200000"><c r="ZZ200000"><v>1</v></c></row>'), "zz.xlsx")
    assert result.errors[0].where == "Income!ZZ200000"
    assert "the Income sheet has a cell at ZZ200000" in result.errors[0].message


def test_a_two_megabyte_zip_that_unpacks_to_two_gigabytes_is_refused_unopened(db_path):
    bomb = repeated_deflate(bytes(2**20), 2048)
    content = rezip(original(), "xl/worksheets/sheet2.xml", deflated=bomb, size=2**31)
    assert len(content) < 3 * 2**20
    started = time.monotonic()
    result = refused(db_path, content, "bomb.xlsx")
    assert time.monotonic() - started < 2
    assert "its part xl/worksheets/sheet2.xml unpacks from 2.0 MB to 2,048.0 MB" in result.errors[0].message


def test_a_zip_bomb_that_lies_about_its_size_is_stopped_at_the_size_it_gave(db_path):
    bomb = repeated_deflate(bytes(2**20), 2048)
    content = rezip(original(), "xl/worksheets/sheet2.xml", deflated=bomb, size=20_000)
    result = refused(db_path, content, "liar.xlsx")
    assert result.errors[0].message.startswith("liar.xlsx is damaged: the Income sheet fails its checksum")


def test_sixty_million_empty_elements_are_refused_unopened(db_path):
    base = original()
    head = income_xml(base).partition(b"<sheetData>")[0]
    elements = repeated_deflate(b"<b/>" * 2**18, 229, head + b"<sheetData>", b"</sheetData></worksheet>")
    content = rezip(base, "xl/worksheets/sheet2.xml", deflated=elements, size=229 * 2**20 + len(head) + 30)
    assert len(content) < 300_000
    result = refused(db_path, content, "elements.xlsx")
    assert "unpacks from 234 KB to 229.0 MB" in result.errors[0].message


def test_a_million_elements_spread_thin_are_counted_and_refused(db_path):
    content = original()
    for part in range(6):  # each part small and within the packing ratio: only the count stops them
        content = with_part(content, f"xl/extra{part}.xml")
    result = refused(db_path, content, "many.xlsx")
    assert "holds more than 1,000,000 XML elements" in result.errors[0].message


def test_a_one_gigabyte_string_is_refused_unopened(db_path):
    base = original()
    text = repeated_deflate(
        b"x" * 2**20,
        1024,
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>',
        b"</t></si></sst>",
    )
    content = rezip(
        with_part(base, "xl/sharedStrings.xml", b""), "xl/sharedStrings.xml", deflated=text, size=2**30 + 200
    )
    result = refused(db_path, content, "string.xlsx")
    assert "unpacks from" in result.errors[0].message and "1,024.0 MB" in result.errors[0].message


def test_one_flipped_bit_in_the_compressed_expenditure_sheet_is_refused_naming_it(db_path):
    content = flipped_in_part(original(), "xl/worksheets/sheet3.xml", 333)
    result = refused(db_path, content, "flipped.xlsx")
    assert result.errors[0].where == "Expenditure"
    assert result.errors[0].message.startswith("flipped.xlsx is damaged: the Expenditure sheet ")


@pytest.mark.parametrize("bit", range(0, 3000, 97))
def test_every_flipped_bit_in_a_compressed_sheet_is_caught(db_path, bit):
    content = flipped_in_part(original(), "xl/worksheets/sheet3.xml", bit)
    result = refused(db_path, content, "flipped.xlsx")
    assert "damaged" in result.errors[0].message


def test_a_damaged_required_sheet_is_named_never_missing(db_path):
    base = original()
    content = rezip(base, "xl/worksheets/sheet2.xml", income_xml(base).replace(b"</row>", b"</rov>", 1))
    result = refused(db_path, content, "broken.xlsx")
    assert [p.where for p in result.errors] == ["Income"]
    assert result.errors[0].message.startswith(
        "broken.xlsx is damaged: the Income sheet is not well-formed XML (line 1"
    )
    assert "There is no Income sheet" not in result.errors[0].message


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_an_excel_error_cell_names_the_cell_and_the_error(db_path, suffix):
    result = refused(db_path, error_cell(suffix), f"errors{suffix}")
    assert messages(result) == [
        "Income!B6: 'Legacies' holds the Excel error #DIV/0! (a division by zero in its formula). "
        "Fix the formula or type the number, then send the file again."
    ]


def test_an_error_cell_that_is_no_figure_is_named_too(db_path):
    result = refused(db_path, with_income_cells(b'<row r="14"><c r="D14" t="e"><v>#REF!</v></c></row>'), "ref.xlsx")
    assert messages(result) == [
        "Income!D14: This cell holds the Excel error #REF! (its formula refers to a cell that was deleted). "
        "Fix the formula, type the value or clear the cell, then send the file again."
    ]


def test_figures_that_lost_their_row_label_are_refused_not_dropped(db_path):
    sheets = factory.standard_return()
    factory.set_value(sheets, "Income", "Legacies", 100_000)
    next(row for row in sheets["Income"] if row[0] == "Legacies")[0] = None
    result = refused(db_path, factory.to_bytes(sheets, ".xlsx"), "label.xlsx")
    assert messages(result)[0].startswith("Income!A6: Row 6 has figures (100,000) but no row label")


@pytest.mark.parametrize("cut", [600, 2000, 5000, 7000, 8000, 9000, 9700])
def test_a_truncated_xls_is_refused(db_path, cut):
    result = refused(db_path, original(".xls")[:cut], f"cut{cut}.xls")
    assert f"cut{cut}.xls" in result.errors[0].message


def test_a_batch_goes_on_past_a_file_that_breaks_the_reader(db_path):
    files = [(original(".xls")[:5000], "cut.xls"), (with_income_cells(b'<c r="XFD9"><v>1</v></c>'), "far.xlsx")]
    results = ingest_many([*files, (original(), "good.xlsx")], db_path=db_path)
    assert [r.status for r in results] == [REJECTED, REJECTED, ACCEPTED]


def test_a_password_protected_xlsx_says_how_to_save_it_without(db_path):
    content = compound({"EncryptionInfo": b"\x04\x00\x04\x00" + bytes(200), "EncryptedPackage": bytes(5000)})
    result = refused(db_path, content, "locked.xlsx")
    assert messages(result) == [
        "locked.xlsx is password-protected, so One Voice cannot read it. Open it in Excel, choose File > Info > "
        "Protect Workbook > Encrypt with Password, clear the password and press OK (and clear any password to "
        "modify under File > Save As > Tools > General Options), then save it and send it again."
    ]


def test_a_password_protected_xls_says_so(db_path):
    result = refused(db_path, with_filepass(original(".xls")), "locked.xls")
    assert result.errors[0].message.startswith("locked.xls is password-protected")


def test_an_xls_rewrapped_by_the_test_reads_as_the_original(db_path):
    """The compound-file writer above is sound: the same stream in it is accepted with every figure."""
    content = compound({"Workbook": workbook_stream(original(".xls"))})
    assert ingest_bytes(content, "rewrapped.xls", db_path=db_path).status == ACCEPTED


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("dtd.xlsx", None, "the Income sheet declares a DTD or entities"),
        ("deep.xlsx", None, "nests its XML more than 256 deep"),
        ("ods-rows.ods", None, "the Income sheet has a cell at C200010, " + FAR),
        ("xls-rows.xls", None, "the Income sheet says its cells reach"),
        ("random.xlsx", b"PK\x03\x04" + random.Random(1).randbytes(5000), "could not be opened as a spreadsheet"),
        ("random.xls", ole.MAGIC + random.Random(2).randbytes(5000), "damaged"),
        ("xlsb.xlsx", None, "it is an Excel binary workbook, .xlsb"),
        ("duplicate.xlsx", None, "some of its parts appear twice"),
        ("text.xlsx", None, "holds 40,000 characters, more than Excel itself allows in a cell (32,767)"),
        ("wide.xlsx", None, "its sheets reach"),
    ],
)
def test_hostile_files_are_refused_with_a_message_naming_them(db_path, name, content, expected):
    content = content or HOSTILE[name]()
    result = refused(db_path, content, name)
    assert name in result.errors[0].message and expected in result.errors[0].message


def _laughs() -> bytes:
    base = original()
    entities = b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10 if i else b"lol") for i in range(10))
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet ['
        + entities
        + b"]>"
        + income_xml(base).replace(b"Legacies", b"&l9;")
    )
    return rezip(base, "xl/worksheets/sheet2.xml", xml)


def _deep() -> bytes:
    base = original()
    return rezip(
        base,
        "xl/worksheets/sheet2.xml",
        income_xml(base).replace(b"</sheetData>", b"<a>" * 5000 + b"</a>" * 5000 + b"</sheetData>"),
    )


def _ods_rows() -> bytes:
    content = original(".ods")
    xml = (
        zipfile.ZipFile(io.BytesIO(content))
        .read("content.xml")
        .replace(
            b'</table:table><table:table table:name="Expenditure"',
            b'<table:table-row table:number-rows-repeated="200000"><table:table-cell office:value-type="float" '
            b'office:value="1" table:number-columns-repeated="3"/></table:table-row></table:table>'
            b'<table:table table:name="Expenditure"',
        )
    )
    return rezip(content, "content.xml", xml)


def _xls_rows() -> bytes:
    stream = bytearray(workbook_stream(original(".xls")))
    at = stream.index(b"\x00\x02\x0e\x00", stream.index(b"\x00\x02\x0e\x00") + 1)  # Income's DIMENSIONS
    struct.pack_into("<II", stream, at + 4, 0, 1_000_000)
    return compound({"Workbook": bytes(stream)})


def _xlsb() -> bytes:
    return with_part(original(), "xl/workbook.bin", b"")


def _duplicate() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        with pytest.warns(UserWarning):
            target.writestr("xl/worksheets/sheet2.xml", b"<worksheet/>")
    return out.getvalue()


def _long_text() -> bytes:  # openpyxl stops at Excel's 32,767 characters; a hostile file need not
    return with_income_cells(b'<row r="14"><c r="C14" t="inlineStr"><is><t>' + b"x" * 40_000 + b"</t></is></c></row>")


def _wide() -> bytes:
    sheets = factory.standard_return()
    for number in range(3):
        sheets[f"Extra {number}"] = [[None] * 700 for _ in range(1000)] + [[None] * 700 + ["far"]]
    return factory.to_bytes(sheets)


HOSTILE = {
    "dtd.xlsx": _laughs,
    "deep.xlsx": _deep,
    "ods-rows.ods": _ods_rows,
    "xls-rows.xls": _xls_rows,
    "xlsb.xlsx": _xlsb,
    "duplicate.xlsx": _duplicate,
    "text.xlsx": _long_text,
    "wide.xlsx": _wide,
}


def test_the_joint_work_register_gets_the_same_protection(db_path):
    result = load_register(
        with_income_cells(b'<row r="200000"><c r="ZZ200000"><v>1</v></c></row>'), "reg.xlsx", db_path
    )
    assert result.status == REFUSED
    assert [p.where for p in result.errors] == ["Income!ZZ200000"]


def test_an_error_cell_in_the_register_is_named(db_path):
    book = openpyxl.Workbook()
    book.active.title = "Projects"
    book.active.append(["Title", "Kind", "Members", "Lead", "Start", "End", "Status", "Description", "Link"])
    book.active.append(["Shared post", "shared_post", "#REF!", "ROW", "2024/25 Q1", "", "active", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)  # openpyxl saves "#REF!" as an error cell, as Excel does
    result = load_register(buffer.getvalue(), "register.xlsx", db_path)
    assert result.status == REFUSED
    assert [str(p) for p in result.errors] == [
        "Projects!C2: This cell holds the Excel error #REF! (its formula refers to a cell that was deleted). "
        "Fix it, then load the register again."
    ]


# -- the reader's own process --------------------------------------------------------------------


@pytest.fixture
def troubled_reader(monkeypatch):
    """Children whose reading aborts, panics or hangs for a file named so; others are read as usual."""
    boot = (
        "import os, sys, time; sys.path.insert(0, sys.argv[1]); import loaders.sandbox as s; real = s._sheets\n"
        "class PanicException(BaseException): pass\n"
        "def sheets(content, name, scans):\n"
        "    if name.startswith('abort'): os.abort()\n"
        "    if name.startswith('panic'): raise PanicException('index out of range')\n"
        "    if name.startswith('hang'): time.sleep(60)\n"
        "    if name.startswith('memory'): bytearray(2 * s.MEMORY_LIMIT)\n"
        "    return real(content, name, scans)\n"
        "s._sheets = sheets; s.serve()"
    )
    pool = sandbox._Pool()
    monkeypatch.setattr(sandbox, "_BOOT", boot)
    monkeypatch.setattr(sandbox, "_pool", pool)
    monkeypatch.setattr(sandbox, "TIME_LIMIT", 2.0)
    yield
    pool.close()


@pytest.mark.parametrize(
    "name, expected",
    [
        ("abort.xlsx", "abort.xlsx could not be read safely: the reader stopped on it (it crashed"),
        ("panic.xlsx", "panic.xlsx could not be read safely: the reader failed on it"),
        ("hang.xlsx", "hang.xlsx could not be read safely: reading it took longer than 2 seconds"),
        pytest.param(
            "memory.xlsx",
            "memory.xlsx could not be read safely: reading it needed more memory than One Voice allows",
            marks=pytest.mark.skipif(sys.platform == "win32", reason="Windows has no cap on a process's memory"),
        ),
    ],
)
def test_a_reader_that_crashes_or_hangs_is_a_refusal_and_the_next_file_reads(troubled_reader, db_path, name, expected):
    result = refused(db_path, original(), name)
    assert result.errors[0].message.startswith(expected)
    assert ingest_bytes(original(), "after.xlsx", db_path=db_path).status == ACCEPTED


def test_other_uploads_are_read_while_one_hangs(troubled_reader):
    finished: dict[str, float] = {}

    def read(name: str) -> None:
        with contextlib.suppress(ReadingFailed):
            read_workbook(original(), name)
        finished[name] = time.monotonic()

    hanging = threading.Thread(target=read, args=("hang.xlsx",))
    hanging.start()
    time.sleep(0.1)
    read("good.xlsx")
    hanging.join()
    assert finished["good.xlsx"] < finished["hang.xlsx"]  # read in a second child while the first was stuck


def test_a_warm_reader_reads_a_return_in_milliseconds():
    read_workbook(original(), "warm.xlsx")
    started = time.perf_counter()
    for _ in range(5):
        read_workbook(original(".xls"), "warm.xls")
    assert (time.perf_counter() - started) / 5 < 0.25  # about 0.002 s here; far more only if a child starts each time


# -- the fuzz ------------------------------------------------------------------------------------


def central_entry(content: bytes, part: str) -> int:
    """Where the zip's central directory describes ``part``."""
    at = content.find(b"PK\x01\x02")
    while content[at + 46 : at + 46 + struct.unpack_from("<H", content, at + 28)[0]] != part.encode():
        at = content.find(b"PK\x01\x02", at + 4)
    return at


def mutate(rnd: random.Random, suffix: str, content: bytes) -> tuple[str, bytes]:
    """One seeded mutation of a good workbook: damage a byte could do, or a hostile edit."""
    kinds = ["flip", "truncate", "overwrite", "insert", "delete", "magic"]
    kinds += ["flip_part", "flip_part", "edit_xml", "edit_xml", "size"] if suffix != ".xls" else ["move_cell", "record"]
    kind = rnd.choice(kinds)
    out = bytearray(content)
    at = rnd.randrange(len(content))
    if kind == "flip":
        for _ in range(rnd.randint(1, 3)):
            out[rnd.randrange(len(out))] ^= 1 << rnd.randrange(8)
    elif kind == "truncate":
        out = out[:at]
    elif kind == "overwrite":
        out[at : at + 8] = rnd.randbytes(8)
    elif kind == "insert":
        out[at:at] = rnd.randbytes(rnd.randint(1, 64))
    elif kind == "delete":
        del out[at : at + rnd.randint(1, 64)]
    elif kind == "magic":
        out = out[:8] + rnd.randbytes(rnd.randint(0, 4000))
    elif kind == "flip_part":
        part = rnd.choice(zipfile.ZipFile(io.BytesIO(content)).namelist())
        return f"{kind} {part}", flipped_in_part(content, part, rnd.randrange(1 << 20))
    elif kind == "edit_xml":
        part = "content.xml" if suffix == ".ods" else f"xl/worksheets/sheet{rnd.randint(1, 7)}.xml"
        xml = zipfile.ZipFile(io.BytesIO(content)).read(part)
        edit = rnd.choice(XML_EDITS)
        return f"{kind} {part} {XML_EDITS.index(edit)}", rezip(content, part, edit(rnd, xml))
    elif kind == "size":
        info = rnd.choice(zipfile.ZipFile(io.BytesIO(content)).infolist())
        at = central_entry(content, info.filename)
        struct.pack_into("<I", out, at + 24, rnd.choice([0, info.file_size // 2, info.file_size * 3, 0xFFFFFFF0]))
    elif kind == "move_cell":  # a cell record's row or column changed: no checksum in an .xls catches it
        at = content.find(rnd.choice([b"\x7e\x02\x0a\x00", b"\xfd\x00\x0a\x00", b"\xbd\x00"]), at)
        if at >= 0:
            field = at + 4 + rnd.choice([0, 2])
            struct.pack_into(
                "<H", out, field, (struct.unpack_from("<H", out, field)[0] + rnd.choice([1, 3, 40, 300])) % 65536
            )
    elif kind == "record":  # a record's type or length changed
        at = content.find(rnd.choice([b"\x7e\x02", b"\xfd\x00", b"\xbd\x00", b"\x08\x02", b"\x00\x02"]), at)
        if at >= 0:
            out[at + rnd.randrange(4)] ^= 1 << rnd.randrange(8)
    return kind, bytes(out)


XML_EDITS = [
    lambda rnd, xml: xml[: rnd.randrange(len(xml))],  # cut short
    lambda rnd, xml: xml.replace(b'<c r="B', b'<c r="ZZZ', 1),  # a column far out
    lambda rnd, xml: xml.replace(b'<row r="3"', b'<row r="30000"', 1).replace(b'r="A3"', b'r="A30000"'),
    lambda rnd, xml: xml.replace(b't="n"><v>', b't="e"><v>#N/A', 1),  # an error cell
    lambda rnd, xml: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + xml,
    lambda rnd, xml: xml.replace(b"</", b"<", 1),  # not well-formed
    lambda rnd, xml: xml.replace(b"<v>", b"<v>1e400", 1),
    lambda rnd, xml: xml.replace(b"<table:table-row>", b'<table:table-row table:number-rows-repeated="20000">', 1),
    lambda rnd, xml: xml.replace(b'office:value-type="', b'office:walue-type="', 1),
    lambda rnd, xml: xml.replace(b'office:value="', b'office:value="-', 1),
]


@pytest.fixture(scope="module")
def good_figures() -> dict[str, dict]:
    return {suffix: figures_in(original(suffix), f"good{suffix}") for suffix in FORMATS}


@pytest.mark.parametrize("batch", [0, 1])
@pytest.mark.parametrize("suffix", FORMATS)
def test_fuzz_every_mutant_is_read_right_or_refused_in_words(db_path, good_figures, suffix, batch):
    good = original(suffix)
    assert ingest_bytes(good, f"good{suffix}", db_path=db_path).status == ACCEPTED  # refusals must leave it be
    rnd = random.Random(f"{suffix}-{batch}")
    loaded = {good}
    for number in range(MUTANTS):
        kind, content = mutate(rnd, suffix, good)
        name = f"mutant{batch}-{number}{suffix}"
        before = stored(db_path)
        started = time.monotonic()
        result = ingest_bytes(content, name, db_path=db_path)
        took = time.monotonic() - started
        case = (name, kind, [str(p) for p in result.problems][:3])
        assert took < SECONDS, case
        if content in loaded:
            assert result.status == ALREADY_LOADED, case
        elif result.status == REJECTED:
            assert result.errors and all(p.file == name and p.message.strip() for p in result.errors), case
            assert stored(db_path) == before, case
        else:
            assert result.status == ACCEPTED, case
            loaded.add(content)
            held = figures_of(db_path, result.submission_id)
            # a zip checks every part's CRC, so a file it accepts holds the original figures unless its XML
            # was edited; an .xls has no checksum, so it holds what calamine finds
            expected = (
                figures_in(content, name) if kind.startswith("edit_xml") or suffix == ".xls" else good_figures[suffix]
            )
            assert held == pytest.approx(expected), case
            if suffix == ".xls":  # a damaged sheet name loses an optional sheet: never without a warning
                lost = len(held) < len(good_figures[suffix])
                assert not lost or any("There is no" in p.message for p in result.warnings), case
