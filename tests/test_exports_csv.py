"""CSV: every table, opened cleanly by Excel (UTF-8 with BOM) and never run as a formula."""

from __future__ import annotations

import csv
import io
import zipfile

import pandas as pd
import pytest

import exports
from exports.csv_safe import neutralise, to_csv
from tests.exports_fixtures import export_data, small_path


@pytest.mark.parametrize(
    "cell, written",
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+44 1234", "'+44 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("Rowan Hospice", "Rowan Hospice"),
        ("£1,234", "£1,234"),
        ("a=b", "a=b"),
        ("*", "*"),
        ("", ""),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_neutralise(cell, written):
    assert neutralise(cell) == written


def _read(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "a byte order mark, so Excel reads UTF-8"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_to_csv_writes_text_safely_and_numbers_plainly():
    frame = pd.DataFrame(
        {
            "Member": ["=cmd|'/c calc'!A1", "Rowan £ Hospice", "@x"],
            "Income (£)": [1_234_567.0, float("nan"), -20.0],
            "Share": [0.31, 1 / 3, 0.0],
            "Count": [3, 4, 5],
        }
    )
    rows = _read(to_csv(frame))
    assert rows[0] == ["Member", "Income (£)", "Share", "Count"]
    assert rows[1] == ["'=cmd|'/c calc'!A1", "1234567", "0.31", "3"]
    assert rows[2] == ["Rowan £ Hospice", "", "0.333333333333333", "4"]  # not reported: empty
    assert rows[3] == ["'@x", "-20", "0", "5"]  # a negative number stays a number


def test_a_header_that_looks_like_a_formula_is_neutralised_too():
    assert _read(to_csv(pd.DataFrame({"=1+1": ["a"]})))[0] == ["'=1+1"]


def test_member_names_from_the_registry_are_neutralised_in_every_table(tmp_path):
    from store import db, members

    path = small_path(tmp_path)
    with db.connect(path) as con:
        members.upsert(con, members.Member("AAA", '=HYPERLINK("http://evil")', "adult", "-North"))
    files = exports.csv_files(export_data(path, "2024/25 Q1"))
    for name, content in files.items():
        for row in _read(content):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    members_rows = _read(next(c for n, c in files.items() if n.endswith("_Members.csv")))
    assert members_rows[1][1] == '\'=HYPERLINK("http://evil")' and members_rows[1][3] == "'-North"


def test_every_table_has_a_csv_and_the_file_names_say_when_numbers_are_suppressed(tmp_path):
    path = small_path(tmp_path)
    plain = exports.csv_files(export_data(path, "2024/25 Q1"))
    assert sorted(plain) == sorted(
        f"Test-Collaborative_2024-25-Q1_{name}.csv"
        for name in [
            "Income",
            "Workforce",
            "Capacity",
            "Activity",
            "Members",
            "Returns-included",
            "Returns-missing",
            "Definitions",
            "Joint-work-projects",
            "Joint-work-outcomes",
            "Notes",
        ]
    )
    suppressed = exports.csv_files(export_data(path, "2024/25 Q1", suppress=True))
    assert all(name.endswith("_suppressed.csv") for name in suppressed)
    notes = {row[0]: row[1] for row in _read(next(c for n, c in suppressed.items() if "_Notes_" in n))[1:]}
    assert notes["Small-number suppression"] == exports.SUPPRESSION_RULE


def test_the_activity_csv_shows_stars_and_rounded_counts(tmp_path):
    data = export_data(small_path(tmp_path), "2024/25 Q1 to 2024/25 Q2", suppress=True)
    rows = _read(next(c for n, c in exports.csv_files(data).items() if "_Activity_" in n))
    header = rows[0]
    by_key = {(row[header.index("Figure key")], row[header.index("Breakdown key")]): row for row in rows[1:]}
    aaa = header.index("Aaa Hospice (AAA)")
    assert by_key[("deaths", "18_to_25")][aaa] == "*"
    assert by_key[("preferred_place_rate", "18_to_25")][aaa] == "*"
    assert by_key[("people_supported", "all")][aaa] == "375"


def test_the_zip_holds_every_csv(tmp_path):
    data = export_data(small_path(tmp_path), "2024/25 Q1")
    with zipfile.ZipFile(io.BytesIO(exports.csv_zip(data))) as archive:
        assert sorted(archive.namelist()) == sorted(exports.csv_files(data))
