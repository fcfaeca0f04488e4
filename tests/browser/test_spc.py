"""The SPC views in the browser: each trend page's switch, and the Overview's variation at a glance."""

from __future__ import annotations

import pytest

from tests.browser.harness import act, assert_no_error, grid_rows, main, open_app

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("page_path", ["income", "workforce", "capacity", "activity"])
def test_each_trend_page_shows_its_spc_charts(page, app, page_path):
    open_app(page, app, page_path, query="period=2024/25")
    act(page, lambda: main(page).get_by_text("Show trends as SPC charts").click())
    assert_no_error(page, app)
    notes = main(page).get_by_text("Mean and process limits from")
    assert notes.count() >= 4
    assert main(page).locator('[data-testid="stPlotlyChart"]').count() >= 4


def test_the_overview_has_variation_at_a_glance(page, app):
    open_app(page, app, "", query="period=2024/25")
    assert_no_error(page, app)
    table = main(page).locator('[data-testid="stDataFrame"]').filter(has=page.locator("th", has_text="Variation"))
    rows = grid_rows(table.first)
    assert len(rows) >= 10  # the grid draws the rows in view
    assert rows[0][0] == "Total income" and any("cause" in cell for cell in rows[0])
