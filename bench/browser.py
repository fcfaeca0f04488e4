"""What a person waits for in the browser: page changes, filter changes, the first page, beside a floor.

Chromium driven through Playwright, as the browser tests drive it (``tests/browser/harness.py``:
the server, the run counter and the waits are the same). Each time is from the click (or the
navigation) to the last change of the page, once the script has finished and the page has stayed
unchanged for ``QUIET_MS``. Beside One Voice's figures, the same measures on a minimal
Streamlit app of two pages holding a title and one metric (``browser_floor_ms``), so each figure
reads as a ratio to what Streamlit itself costs on this machine.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from tests.browser.harness import CHROMIUM_ARGS, RUN_COUNTER, VIEWPORT, chromium_path, start_app, stop
from tests.browser.test_pages import PAGES as TITLES  # page file stem -> its title in the navigation

QUIET_MS = 200
IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
FLOOR_APP = """
import streamlit as st


def one():
    st.title("One")
    st.metric("People supported", "10,090")


def two():
    st.title("Two")
    st.metric("Combined income", "£45.2m")


st.navigation([st.Page(one, title="One", default=True), st.Page(two, title="Two")]).run()
"""


def _drawn_ms(page, since: float, href: str | None = None, timeout: int = 60_000) -> float:
    """Wait until the page changed after ``since`` (at ``href``, if given), the script is idle and the page
    still; ms from ``since`` to its last change. (A fast run can leave no trace in the run counter:
    React may draw "running" and "not running" in one go, so the page's own changes are the evidence.)"""
    page.wait_for_function(
        """([idle, quiet, since, href]) => document.querySelector(idle) !== null
              && (href === null || location.href.split('?')[0] === href)
              && window.__lastChange > since
              && performance.now() - window.__lastChange > quiet""",
        arg=[IDLE, QUIET_MS, since, href],
        timeout=timeout,
        polling=50,
    )
    return page.evaluate("window.__lastChange") - since


def _mark(page) -> float:
    return page.evaluate("performance.now()")


def click_ms(page, link_title: str) -> float:
    """From a click on a sidebar navigation link to that page drawn and still."""
    link = page.locator('[data-testid="stSidebarNavLink"]', has_text=link_title).first
    href = link.evaluate("a => a.href.split('?')[0]")
    since = _mark(page)
    link.click()
    return _drawn_ms(page, since, href)


def choose_ms(page, label: str, option: str) -> float:
    """From picking an option of a sidebar selectbox to the page drawn and still."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name=label, exact=True).click()
    since = _mark(page)
    page.get_by_role("option", name=option, exact=True).first.click()
    return _drawn_ms(page, since)


def radio_ms(page, option: str) -> float:
    """From choosing a sidebar radio option to the page drawn and still."""
    choice = page.locator('[data-testid="stSidebar"] [data-testid="stRadio"] label', has_text=option).first
    since = _mark(page)
    choice.click()
    return _drawn_ms(page, since)


def first_page_ms(browser, url: str) -> float:
    """From asking for the page (a new tab) to the page drawn and still."""
    page = browser.new_page(viewport=VIEWPORT)
    page.add_init_script(RUN_COUNTER)
    page.goto(url, wait_until="commit")
    page.wait_for_function(
        """([idle, quiet]) => document.querySelector(idle) !== null && (window.__scriptRuns || 0) > 0
              && performance.now() - window.__lastChange > quiet""",
        arg=[IDLE, QUIET_MS],
        timeout=120_000,
        polling=50,
    )
    took = page.evaluate("window.__lastChange")  # from the tab's navigation start
    page.close()
    return took


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def measure(db_path: Path, pages: list[str], repeats: int, work: Path) -> dict:
    """``browser_page_ms``, ``browser_filter_ms``, ``browser_first_page_ms`` and ``browser_floor_ms``."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        return {"browser_skipped": "no Chromium on this computer (apt-get install chromium)"}
    floor_script = Path(tempfile.mkdtemp(dir=work)) / "floor.py"
    floor_script.write_text(FLOOR_APP)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            report = {**_one_voice(browser, db_path, pages, repeats, work), **_floor(browser, floor_script, repeats)}
        finally:
            browser.close()
    floor = report["browser_floor_ms"]
    report["browser_page_ratio"] = {
        page: round(ms / floor["page"], 1) for page, ms in report["browser_page_ms"].items()
    }
    report["browser_filter_ratio"] = {
        name: round(ms / floor["page"], 1) for name, ms in report["browser_filter_ms"].items()
    }
    return report


def _one_voice(browser, db_path: Path, pages: list[str], repeats: int, work: Path) -> dict:
    app = start_app(db_path, work / "bench-streamlit.log")
    try:
        first = first_page_ms(browser, app.url)
        page = browser.new_page(viewport=VIEWPORT)
        page.add_init_script(RUN_COUNTER)
        page.goto(app.url, wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, state="attached", timeout=120_000)
        titles = [TITLES[p] for p in pages if p in TITLES]
        timings: dict[str, list[float]] = {title: [] for title in titles}
        for _ in range(repeats + 1):  # the first round warms the caches, as a person's first visit does
            for title in titles:
                timings[title].append(click_ms(page, title))
        per_page = {p: _median(timings[TITLES[p]][1:]) for p in pages if p in TITLES}
        filters = {}
        click_ms(page, "Overview")  # the period: a quarter, then the financial year again
        filters["overview"] = _median(
            [radio_ms(page, option) for _ in range(repeats) for option in ("Quarter", "Financial year")]
        )
        click_ms(page, "Activity")  # the age group
        filters["activity"] = _median(
            [choose_ms(page, "Age group", option) for _ in range(repeats) for option in ("Under 18", "All ages")]
        )
        page.close()
    finally:
        stop(app.process)
    return {"browser_first_page_ms": round(first, 1), "browser_page_ms": per_page, "browser_filter_ms": filters}


def _floor(browser, script: Path, repeats: int) -> dict:
    app = start_app(script.parent / "none.duckdb", script.parent / "floor.log", cwd=script.parent, script=script)
    try:
        first = first_page_ms(browser, app.url)
        page = browser.new_page(viewport=VIEWPORT)
        page.add_init_script(RUN_COUNTER)
        page.goto(app.url, wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, state="attached", timeout=60_000)
        found = []
        for _ in range(repeats + 1):
            for title in ("Two", "One"):
                found.append(click_ms(page, title))
        page.close()
    finally:
        stop(app.process)
    return {"browser_floor_ms": {"page": _median(found[2:]), "first_page": round(first, 1)}}
