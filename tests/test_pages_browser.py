"""The README's screenshots, taken from the running app in headless Chromium.

Only when ``ONEVOICE_SCREENSHOTS`` names a folder (the browser tests proper,
every page and a shared link on a fresh server, are ``tests/browser/``)::

    ONEVOICE_SCREENSHOTS=docs/screenshots python -m pytest -m browser tests/test_pages_browser.py

A ``streamlit run`` server (on a free port, over a copy of the demo) is waited
for at ``/_stcore/health``; a page is ready when the app has stopped running its
script. The Data page is shot after uploading two returns, one of them refused.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_pages_setup import demo_db_file  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAGES = ["overview", "income", "workforce", "capacity", "activity", "members", "data"]

SHOTS = os.environ.get("ONEVOICE_SCREENSHOTS")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not SHOTS, reason="screenshots only when ONEVOICE_SCREENSHOTS names a folder"),
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} seconds")


@pytest.fixture(scope="module")
def server(demo_db_file, tmp_path_factory):
    database = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    shutil.copy(demo_db_file, database)
    port = free_port()
    env = {**os.environ, "ONEVOICE_DB": str(database)}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/_stcore/health")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM,
                                          args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


def settle(page, seconds: float = 90) -> None:
    """Wait until the app has drawn the page and stopped running its script."""
    page.wait_for_selector("[data-testid='stMain']", timeout=seconds * 1000)
    deadline = time.monotonic() + seconds
    quiet_since = None
    while time.monotonic() < deadline:
        running = page.locator("[data-testid='stStatusWidget']").count() > 0
        skeleton = page.locator("[data-testid='stSkeleton']").count() > 0
        if running or skeleton:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 1.5:
            return
        time.sleep(0.25)
    raise TimeoutError(f"the app was still running after {seconds} seconds")


def screenshot(page, path: Path) -> None:
    """The whole page: the app scrolls inside its own container, so the window is made as tall as it."""
    height = page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollHeight")
    page.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 9000)})
    settle(page)
    page.wait_for_timeout(1500)      # plotly redraws at the new size
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


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


@pytest.mark.parametrize("name", PAGES)
def test_screenshot(server, browser, name, tmp_path):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        page.goto(f"{server}/{'' if name == 'overview' else name}?period=2024/25")
        settle(page)
        if name == "data":      # show the upload flow: one return accepted, one refused
            page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(next_returns(tmp_path))
            page.wait_for_selector("[data-testid='stAlert']:has-text('rejected')", timeout=60_000)
            settle(page)
        assert page.locator("[data-testid='stException']").count() == 0, page.inner_text("[data-testid='stMain']")
        screenshot(page, Path(SHOTS) / f"{name}.png")
    finally:
        page.close()
