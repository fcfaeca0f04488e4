"""``python -m exports``: writes the deck, workbook or CSVs and exits 0; a mistyped command exits 2 and says why."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from exports.cli import main
from store.db import PROJECT_ROOT
from tests.exports_fixtures import small_path


@pytest.fixture
def small(tmp_path):
    return small_path(tmp_path)


def test_deck_from_the_real_entry_point(small, tmp_path):
    out = tmp_path / "deck.pptx"
    done = subprocess.run(
        [sys.executable, "-m", "exports", "deck", "--period", "2024/25 Q1", "--db", str(small), "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (f"Wrote the deck for 2024/25 Q1 (2 of 2 members reporting, complete) to {out}")
    assert any(shape.has_chart for slide in Presentation(out).slides for shape in slide.shapes)


def test_workbook_for_some_members_with_suppression(small, tmp_path, capsys):
    out = tmp_path / "book.xlsx"
    assert (
        main(
            [
                "workbook",
                "--period",
                "2024/25 Q1 to 2024/25 Q2",
                "--members",
                "aaa",
                "--suppress",
                "--db",
                str(small),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "(1 of 1 members reporting, complete, small numbers suppressed)" in capsys.readouterr().out
    book = load_workbook(out)
    assert [cell.value for cell in book["Income"][4]][3:5] == ["Combined", "Aaa Hospice (AAA)"]


def test_csv_to_a_folder_and_to_a_zip(small, tmp_path, capsys):
    folder = tmp_path / "tables"
    folder.mkdir()
    assert main(["csv", "--period", "2024/25", "--db", str(small), "--out", str(folder)]) == 0
    assert len(list(folder.glob("*.csv"))) == 11
    assert "(2 of 2 members reporting, 5 return(s) missing)" in capsys.readouterr().out  # 3 of 8 are in
    archive = tmp_path / "tables.zip"
    assert main(["csv", "--period", "2024/25", "--db", str(small), "--out", str(archive)]) == 0
    assert len(zipfile.ZipFile(io.BytesIO(archive.read_bytes())).namelist()) == 11


@pytest.mark.parametrize(
    "arguments, message",
    [
        (
            ["--period", "2024/2"],
            "error: '2024/2' is not a period; write a financial year (2024/25), a quarter "
            "(2024/25 Q2) or a range (2023/24 Q3 to 2024/25 Q2)",
        ),
        (["--period", "2024/25 Q5"], "error: '2024/25 Q5' is not a period"),
        (
            ["--period", "2024/25", "--members", "AAA,ZZZ"],
            "error: No member has the code ZZZ; the members are AAA, BBB",
        ),
        (["--period", "2024/25", "--members", ","], "error: --members needs at least one member code"),
    ],
)
def test_a_mistyped_command_exits_2_with_a_clear_message(small, tmp_path, capsys, arguments, message):
    out = tmp_path / "deck.pptx"
    assert main(["deck", *arguments, "--db", str(small), "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith(message)
    assert not out.exists()


def test_no_database_there_exits_2(tmp_path, capsys):
    assert (
        main(["deck", "--period", "2024/25", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "d.pptx")])
        == 2
    )
    assert "There is no database at" in capsys.readouterr().err
    assert not (tmp_path / "none.duckdb").exists()


def test_an_output_folder_that_does_not_exist_exits_2(small, tmp_path, capsys):
    assert main(["deck", "--period", "2024/25", "--db", str(small), "--out", str(tmp_path / "no" / "d.pptx")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_every_command_and_option_is_documented():
    from exports.cli import _parser

    docs = (PROJECT_ROOT / "docs" / "exports.md").read_text()
    parser = _parser()
    for action in parser._actions:
        for option in action.option_strings:
            if option not in ("-h", "--help"):
                assert option in docs, f"{option} is not in docs/exports.md"
        for choice in action.choices or []:
            assert f"python -m exports {choice}" in docs, f"'{choice}' is not in docs/exports.md"


def test_exports_never_load_streamlit_nor_the_pages():
    code = (
        "import sys, exports, exports.cli, exports.images; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('streamlit', 'pages', 'ui')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_export_for_a_period_with_no_returns_exits_1_and_writes_nothing(small, tmp_path, capsys):
    out = tmp_path / "empty.pptx"
    assert main(["deck", "--period", "2030/31", "--db", str(small), "--out", str(out)]) == 1
    assert "No member has a return for 2030/31, so there is nothing to export" in capsys.readouterr().err
    assert not out.exists()


def test_a_file_name_of_the_wrong_kind_is_refused(small, tmp_path, capsys):
    assert main(["deck", "--period", "2024/25", "--db", str(small), "--out", str(tmp_path / "board.pdf")]) == 2
    assert "A deck is a .pptx file; name it like board.pptx" in capsys.readouterr().err
    assert not (tmp_path / "board.pdf").exists()


def test_csvs_go_into_a_new_folder(small, tmp_path):
    folder = tmp_path / "new" / "tables"
    assert main(["csv", "--period", "2024/25", "--db", str(small), "--out", str(folder)]) == 0
    assert len(list(folder.glob("*.csv"))) == 11


def test_a_deck_for_one_member_names_it(small, tmp_path):
    out = tmp_path / "aaa.pptx"
    assert main(["deck", "--period", "2024/25 Q1", "--members", "AAA", "--db", str(small), "--out", str(out)]) == 0
    text = " ".join(
        shape.text_frame.text for slide in Presentation(out).slides for shape in slide.shapes if shape.has_text_frame
    )
    assert "In 2024/25 Q1 Aaa Hospice cared for" in text
    assert "the one hospice of" not in text
