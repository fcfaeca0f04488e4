"""Downloading the deck and the workbook from the Export page, then opening them as a user would."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pptx import Presentation

import metrics
from contract.periods import Period
from metrics import format as fmt
from store import db
from tests.browser.harness import assert_no_error, main, open_app

pytestmark = pytest.mark.browser

PERIOD = Period.year(2024)


def download(page, label: str, tmp_path):
    """Click the download button with this label; the saved file's path."""
    button = main(page).locator('[data-testid="stDownloadButton"]').filter(has_text=label).first
    with page.expect_download(timeout=120_000) as started:
        button.click()
    done = started.value
    assert done.failure() is None, done.failure()
    path = tmp_path / done.suggested_filename
    done.save_as(path)
    return path


@pytest.fixture
def export_page(page, app):
    open_app(page, app, "export", query=f"period={PERIOD.label}")
    assert_no_error(page, app)
    return page


def test_the_deck_downloads_and_opens(export_page, app, tmp_path):
    path = download(export_page, "PowerPoint deck", tmp_path)
    assert path.suffix == ".pptx" and "2024-25" in path.name
    deck = Presentation(io.BytesIO(path.read_bytes()))
    assert len(deck.slides) > 3
    assert any(shape.has_chart for slide in deck.slides for shape in slide.shapes)
    with db.connect(app.db_path) as con:
        income = fmt.money(metrics.summary(con, PERIOD)["income_total"])
    text = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert income in text  # the deck says what the Overview says


def test_the_workbook_downloads_and_opens(export_page, tmp_path):
    path = download(export_page, "Excel workbook", tmp_path)
    assert path.suffix == ".xlsx" and "2024-25" in path.name
    book = load_workbook(path)
    assert book.sheetnames == ["Income", "Workforce", "Capacity", "Activity", "Members", "SPC", "Joint work", "Notes"]
    assert book["Income"].max_row > 5
