"""The Overview as a user meets it: the headline tiles show the figures ``metrics`` gives.

Expected values are computed here from the same database the server reads, through
``metrics.summary`` and ``metrics.format``: the page must show exactly those words.
Then the sidebar's period and member filters (and a shared link) change them.
"""

from __future__ import annotations

import pytest

import charts
import metrics
from contract.periods import Period
from metrics import format as fmt
from store import db
from tests.browser.harness import (
    act,
    assert_no_error,
    assert_tiles,
    choose,
    chosen,
    main,
    open_app,
    pick_members,
    sidebar,
    tile_value,
)

pytestmark = pytest.mark.browser

DEMO_DEFAULT = Period.year(2024)  # the demo's latest complete financial year: what the app opens on
COLLABORATIVE = "Northvale Hospice Collaborative (demo)"


def summary(app, period: Period, members: list[str] | None = None) -> dict:
    with db.connect(app.db_path) as con:
        return metrics.summary(con, period, members)


def headline(app, period: Period, members: list[str] | None = None) -> dict[str, str]:
    """The Overview's four tiles as the page should write them."""
    figures = summary(app, period, members)
    return {
        "Combined income": fmt.money(figures["income_total"]),
        "Staff and volunteers": fmt.count(figures["staff_and_volunteers"]),
        "Inpatient beds": fmt.beds(figures["ipu_beds"]),
        "People supported": fmt.count(figures["people_supported"]),
    }


def title(page) -> str:
    return main(page).locator("h1").first.inner_text()


def test_overview_shows_the_headline_figures_of_the_default_period(page, app):
    open_app(page, app)
    assert_no_error(page, app)
    assert title(page) == f"{COLLABORATIVE}: {DEMO_DEFAULT.label}"
    assert_tiles(page, headline(app, DEMO_DEFAULT))
    assert tile_value(page, "Combined income") == "£45.0m"  # the demo's scale, by hand (README)
    sentence = main(page).locator('[data-testid="stCode"] code').first.inner_text().strip()
    assert sentence == charts.statement(summary(app, DEMO_DEFAULT), COLLABORATIVE)


def test_changing_the_period_and_the_members_changes_the_figures(page, app):
    open_app(page, app)
    default = headline(app, DEMO_DEFAULT)
    assert_tiles(page, default)

    earlier = Period.year(2023)
    act(page, lambda: choose(page, "Financial year", earlier.label))
    assert title(page).endswith(earlier.label)
    assert headline(app, earlier) != default
    assert_tiles(page, headline(app, earlier))
    assert f"period={earlier.label}" in page.url.replace("%2F", "/")

    pick_members(page, ["Ashgrove Hospice (demo)"])
    assert_tiles(page, headline(app, earlier, ["ASH"]))
    assert "members=ASH" in page.url

    act(page, lambda: sidebar(page).get_by_text("Quarter", exact=True).click())
    quarter = Period.parse("2023/24 Q3")
    act(page, lambda: choose(page, "Quarter", quarter.label))
    assert title(page).endswith(quarter.label)
    assert_tiles(page, headline(app, quarter, ["ASH"]))
    assert_no_error(page, app)


def test_a_shared_link_opens_the_same_view(page, app):
    open_app(page, app, query="period=2023/24&members=ASH,BIR")
    assert_no_error(page, app)
    assert_tiles(page, headline(app, Period.year(2023), ["ASH", "BIR"]))
    picked = sidebar(page).locator('[data-testid="stMultiSelect"]').inner_text()
    assert "Ashgrove Hospice (demo)" in picked and "Birchwood Hospice (demo)" in picked
    assert chosen(page, "Financial year") == "2023/24"
