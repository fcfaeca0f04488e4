"""The browser smoke test: every page, reached as a user reaches it, shows no error box.

Every new page joins ``PAGES`` in the same commit (``test_every_page_is_smoke_tested``
fails until it does). Each visit saves a screenshot to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import pytest

from tests.browser.harness import (
    ROOT,
    act,
    assert_no_error,
    chosen,
    main,
    nav_titles,
    open_app,
    screenshot,
    sidebar,
    start_app,
    stop,
)

# page file stem -> the title in the sidebar navigation (dashboard.py's st.Page titles)
PAGES = {
    "overview": "Overview",
    "income": "Income",
    "workforce": "Workforce",
    "capacity": "Capacity",
    "activity": "Activity",
    "members": "Members",
    "together": "Together",
    "data": "Data",
    "export": "Export",
    "users": "Users",
}


def test_every_page_is_smoke_tested():
    on_disk = sorted(path.stem for path in (ROOT / "app_pages").glob("*.py") if not path.stem.startswith("_"))
    assert sorted(PAGES) == on_disk, "add the new page to PAGES in tests/browser/test_pages.py"


def assert_the_app_around_the_page(page) -> None:
    """The page runs inside dashboard.py: its navigation and the shared filters are there."""
    assert nav_titles(page) == list(PAGES.values()), (
        "the sidebar does not show dashboard.py's navigation: the page ran on its own, without "
        "dashboard.py (Streamlit's old multipage mode, which a folder named pages/ switches on)"
    )
    assert sidebar(page).get_by_text("Period", exact=True).count() == 1, "the sidebar's period filter is missing"


@pytest.mark.browser
@pytest.mark.parametrize("stem", list(PAGES))
def test_page_opens_from_its_address_without_an_error(page, app, stem):
    open_app(page, app, "" if stem == "overview" else stem)
    screenshot(page, stem)  # first, so a failing page leaves its picture
    assert_no_error(page, app)
    assert_the_app_around_the_page(page)
    assert main(page).locator("h1").first.inner_text().strip(), f"/{stem} has no title"
    assert not page.page_errors, f"the browser reported script errors: {page.page_errors}"


@pytest.mark.browser
def test_the_sidebar_leads_to_every_page(page, app):
    open_app(page, app)
    for stem, title in PAGES.items():
        link = sidebar(page).locator('[data-testid="stSidebarNavLink"]').filter(has_text=title)
        act(page, link.first.click)
        path = page.url.split("?")[0].rstrip("/")
        assert path == app.url if stem == "overview" else path.endswith(f"/{stem}"), page.url
        assert_no_error(page, app)
        assert main(page).locator("h1").first.inner_text().strip(), f"the {title} page has no title"


@pytest.fixture
def fresh_app(app, tmp_path):
    """A second server over the same database that no browser has opened yet."""
    fresh = start_app(app.db_path, tmp_path / "streamlit.log")
    yield fresh
    stop(fresh.process)


@pytest.mark.browser
def test_a_link_to_a_page_works_on_a_freshly_started_server(page, fresh_app):
    """A bookmarked link is often the first request after a restart: it must open the view it names."""
    open_app(page, fresh_app, "income", query="period=2023/24&members=ASH")
    assert_no_error(page, fresh_app)
    # Streamlit would run the first page a fresh server is asked for without dashboard.py if the
    # pages' folder were named pages/ (see dashboard.py): the app must be all there
    assert_the_app_around_the_page(page)
    assert main(page).locator("h1").first.inner_text() == "Income"
    assert chosen(page, "Financial year") == "2023/24"
    assert "Ashgrove Hospice (demo)" in sidebar(page).locator('[data-testid="stMultiSelect"]').inner_text()
    link = sidebar(page).locator('[data-testid="stSidebarNavLink"]').filter(has_text="Overview")
    act(page, lambda: link.first.click())
    assert main(page).locator("h1").first.inner_text().endswith("2023/24")
    assert_no_error(page, fresh_app)
