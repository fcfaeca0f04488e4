"""The browser tests' fixtures: one real app server and one Chromium for all the browser tests.

``app`` starts ``streamlit run dashboard.py`` on a free loopback port against a
fresh database holding the demo collaborative, and waits until the server
answers ``/_stcore/health``. ``page`` is a new browser tab (its own context and
Streamlit session, downloads accepted) for each test. See ``harness.py`` for
the waits and checks.

Where Chromium or the Playwright package is missing the tests are skipped with
the reason (``pytest -ra`` lists it); under CI (``CI`` set) they fail instead,
so CI can never go green without having run them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.harness import (
    CHROMIUM_ARGS,
    RUN_COUNTER,
    VIEWPORT,
    App,
    chromium_path,
    missing_browser,
    skip_or_fail,
    start_app,
    stop,
)
from tests.demo_db import copy_of


@pytest.fixture(scope="session")
def browser_available() -> None:
    reason = missing_browser()
    if reason:
        skip_or_fail(reason)


@pytest.fixture(scope="package")
def app(browser_available, demo_db_file, tmp_path_factory) -> Iterator[App]:
    """``streamlit run dashboard.py`` on a free loopback port, over a fresh copy of the demo database."""
    folder = tmp_path_factory.mktemp("browser-app")
    # A database named by ONEVOICE_DB is never filled by the app unasked: the tests bring the demo.
    db_path = copy_of(demo_db_file, folder, "onevoice.duckdb")
    server = start_app(db_path, folder / "streamlit.log")
    try:
        yield server
    finally:
        stop(server.process)


# -- the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser(browser_available):
    """Chromium for these tests, closed after them: Playwright's sync API runs once per thread at a time."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app):
    """A fresh tab (own cookies and session) that accepts downloads; closed after the test."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="en-GB")
    context.set_default_timeout(30_000)
    context.add_init_script(RUN_COUNTER)
    tab = context.new_page()
    tab.page_errors = []
    tab.on("pageerror", lambda error: tab.page_errors.append(str(error)))
    yield tab
    context.close()
