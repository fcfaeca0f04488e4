"""The README's screenshots, taken from the running app in headless Chromium.

Only when ``ONEVOICE_SCREENSHOTS`` names a folder (the browser tests proper are
the other files here)::

    ONEVOICE_SCREENSHOTS=docs/screenshots python -m pytest -m browser tests/browser/test_screenshots.py

They use the same server and browser as the other browser tests (``harness.py``),
over a copy of the demo of their own: the Data page is shot after uploading two
returns, one of them refused.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.harness import RUN_COUNTER, assert_no_error, open_app, start_app, stop, wait_idle
from tests.demo_db import copy_of

PAGES = ["overview", "income", "workforce", "capacity", "activity", "members", "data"]
SHOTS = os.environ.get("ONEVOICE_SCREENSHOTS")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not SHOTS, reason="screenshots only when ONEVOICE_SCREENSHOTS names a folder"),
]


@pytest.fixture(scope="module")
def shot_app(browser_available, demo_db_file, tmp_path_factory):
    """A server of its own: the uploads of the Data page's picture stay out of the other tests' database."""
    folder = tmp_path_factory.mktemp("screenshots")
    server = start_app(copy_of(demo_db_file, folder, "demo.duckdb"), folder / "streamlit.log")
    yield server
    stop(server.process)


def next_returns(folder: Path) -> list[Path]:
    """Ashgrove's next quarter as the demo would write it, and Birchwood's with a word in a number cell."""
    from openpyxl import load_workbook

    from contract.periods import quarter_index
    from loaders.demo import demo_figures, demo_members
    from loaders.template import file_name, write_template

    paths = []
    for member in [m for m in demo_members() if m.code in ("ASH", "BIR")]:
        path = folder / file_name(member, 2025, 1)
        path.write_bytes(write_template(member, 2025, 1, demo_figures(member, quarter_index(2025, 1))))
        paths.append(path)
    book = load_workbook(paths[1])
    book["Income"]["B8"] = "about 40k"
    book.save(paths[1])
    return paths


def whole_page(page, path: Path) -> None:
    """The whole page: the app scrolls inside its own container, so the window is made as tall as it."""
    height = page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollHeight")
    page.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 9000)})
    wait_idle(page)
    page.wait_for_timeout(1500)  # plotly redraws at the new size
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


@pytest.mark.parametrize("name", PAGES)
def test_screenshot(shot_app, browser, name, tmp_path):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="en-GB")
    context.add_init_script(RUN_COUNTER)
    page = context.new_page()
    try:
        open_app(page, shot_app, "" if name == "overview" else name, "period=2024/25")
        if name == "data":  # show the upload flow: one return accepted, one refused
            page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(next_returns(tmp_path))
            page.wait_for_selector("[data-testid='stAlert']:has-text('rejected')", timeout=60_000)
            wait_idle(page)
        else:
            assert_no_error(page, shot_app)
        whole_page(page, Path(SHOTS) / f"{name}.png")
    finally:
        context.close()
