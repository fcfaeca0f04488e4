"""The Export page in a real browser: the deck and workbook buttons download files that open.

The deck and workbook are made when the button is pressed (a deferred download),
on a thread of their own, so only a real browser shows that it works. Uses the
browser tests' server and Chromium (``tests/browser``); skipped with the reason
where Chromium or Playwright is missing.
"""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from tests.browser.conftest import app, browser, browser_available, page  # noqa: F401  (fixtures)
from tests.browser.harness import assert_no_error, main, open_app

pytestmark = pytest.mark.browser


def download(page, label: str, path):
    with page.expect_download(timeout=60_000) as started:
        main(page).get_by_role("button", name=label).click()
    started.value.save_as(path)
    return started.value.suggested_filename


def test_the_deck_and_workbook_download_and_open(page, app, tmp_path):  # noqa: F811
    open_app(page, app, "export", "period=2024/25")
    assert_no_error(page, app)
    name = download(page, "PowerPoint deck", tmp_path / "deck.pptx")
    assert name == "Northvale-Hospice-Collaborative-demo_2024-25_deck.pptx"
    deck = Presentation(tmp_path / "deck.pptx")
    assert any(shape.has_chart for slide in deck.slides for shape in slide.shapes)
    name = download(page, "Excel workbook", tmp_path / "book.xlsx")
    assert name == "Northvale-Hospice-Collaborative-demo_2024-25_workbook.xlsx"
    assert load_workbook(tmp_path / "book.xlsx").sheetnames[-1] == "Notes"
    assert_no_error(page, app)
