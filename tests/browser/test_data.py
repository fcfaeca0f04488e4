"""Uploading returns through the Data page's real file input, and reading what the user is told.

The returns come from ``tests.factory`` for a quarter the demo does not have
(2025/26 Q1), so the demo's own figures, which the other browser tests check,
do not move.
"""

from __future__ import annotations

import pytest

from tests.browser.harness import act, alerts, assert_tiles, expect, grid_rows, main, open_app, wait_idle
from tests.factory import INCOME, set_value, standard_return, to_bytes

pytestmark = pytest.mark.browser

NEW_QUARTER = ("2025/26", "Q1")


def upload(page, path) -> None:
    """Put a file in the Data page's uploader, as choosing it in the file dialog does; wait for its outcome."""
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Members' quarterly returns")
    act(page, lambda: uploader.locator('input[type="file"]').set_input_files(str(path)))
    outcome = main(page).locator('[data-testid="stAlertContainer"]').filter(has_text=f"{path.name}:")
    expect(outcome.first).to_be_visible(timeout=30_000)
    wait_idle(page)


def test_a_bad_return_is_refused_with_its_cell_level_errors(page, app, tmp_path):
    sheets = standard_return("ELM", *NEW_QUARTER)
    set_value(sheets, "Income", "Legacies", "about 100k")
    bad = tmp_path / "Elmfield 2025-26 Q1.xlsx"
    bad.write_bytes(to_bytes(sheets))

    open_app(page, app, "data")
    upload(page, bad)

    status = alerts(page, "Error")
    assert status == ["Elmfield 2025-26 Q1.xlsx: rejected, 1 problem(s) to fix. Nothing from this file was stored."]
    problems = grid_rows(
        main(page).locator('[data-testid="stDataFrame"]').filter(has=page.locator("th", has_text="What to fix")).first
    )
    assert problems == [
        [
            "error",
            "Income!B6",
            "about 100k",
            "'Legacies' is text, not a number. Expected a number of zero or more, or leave it blank if not reported.",
        ]
    ]


def test_a_good_return_is_accepted_and_its_figures_shown(page, app, tmp_path):
    good = tmp_path / "Ashgrove 2025-26 Q1.xlsx"
    good.write_bytes(to_bytes(standard_return("ASH", *NEW_QUARTER)))

    open_app(page, app, "data")
    upload(page, good)

    shown = alerts(page, "Success") + alerts(page, "Warning")
    assert any(line.startswith("Ashgrove 2025-26 Q1.xlsx: accepted as ASH 2025/26 Q1") for line in shown), shown
    assert not alerts(page, "Error")

    # The new quarter is in the figures at once: the Overview for it shows the return's income.
    open_app(page, app, query="period=2025/26 Q1&members=ASH")
    assert sum(INCOME.values()) == 925_000
    assert_tiles(page, {"Combined income": "£925k"})
