"""Driving the app in a real browser: the server, the waits and the checks the tests share.

Waits follow Streamlit's own end-to-end tests: the server answers
``/_stcore/health``; a page is ready when the app is connected and its script
state is ``notRunning``; then no ``stException`` (and no error alert) is shown.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard.py"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
HEALTH_TIMEOUT = 60.0  # seconds for the server to answer its health check
RUN_TIMEOUT = 60_000  # ms for a script run to finish
VIEWPORT = {"width": 1400, "height": 1000}

# Counts the script runs the page has seen finish (the state leaving "running"), so an
# interaction can wait for *its* run rather than take the idle state before that run
# begins for the end of it. Old values, because one batch of changes can hold both edges.
# Also notes when the page last changed at all: the state can read "notRunning" a moment
# before React has drawn the run's last elements, so idle also means the page is still.
RUN_COUNTER = """
window.__scriptRuns = 0;
window.__lastChange = performance.now();
new MutationObserver(changes => {
  window.__lastChange = performance.now();
  for (const change of changes) {
    if (change.attributeName === 'data-test-script-state' && change.oldValue === 'running') {
      window.__scriptRuns += 1;
    }
  }
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true,
                      attributeOldValue: true});
"""
QUIET_MS = 300  # how long the page must stay unchanged to count as drawn
IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def chromium_path() -> str | None:
    """``$ONEVOICE_CHROMIUM`` if set, else Debian's Chromium (Playwright cannot download its own here)."""
    if os.environ.get("ONEVOICE_CHROMIUM") is not None:
        return os.environ["ONEVOICE_CHROMIUM"] if os.path.isfile(os.environ["ONEVOICE_CHROMIUM"]) else None
    if os.path.exists("/usr/bin/chromium"):
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"the Python playwright package is not installed ({error}); pip install -r requirements-dev.txt"
    if chromium_path() is None:
        return (
            "Chromium is not installed (no /usr/bin/chromium or chromium on PATH, or $ONEVOICE_CHROMIUM "
            "names no file); apt-get install chromium"
        )
    return None


def skip_or_fail(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


# -- the server ----------------------------------------------------------------------------------


@dataclass
class App:
    url: str
    db_path: Path
    log: Path
    process: subprocess.Popen

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def wait_healthy(app: App) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while time.monotonic() < deadline:
        if app.process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with code {app.process.returncode} before answering its "
                f"health check. Its output:\n{app.log_tail()}"
            )
        if _healthy(app.url):
            return
        time.sleep(0.25)
    raise RuntimeError(
        f"streamlit did not answer {app.url}/_stcore/health within {HEALTH_TIMEOUT:.0f}s. Its output:\n{app.log_tail()}"
    )


def start_app(
    db_path: Path, log: Path, *options: str, cwd: Path = ROOT, port: int | None = None, script: Path = APP
) -> App:
    """``streamlit run dashboard.py`` on a free port over ``db_path``, answering its health check.

    ``options``: more ``streamlit run`` options (``--secrets.files``...); ``script``: another
    entry script (the benchmark's minimal app). The app's own
    ``.streamlit/config.toml`` sets where it listens: 127.0.0.1, this computer only.
    """
    env = {
        **os.environ,
        "ONEVOICE_DB": str(db_path),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "PYTHONUNBUFFERED": "1",
    }
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        *options,
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    app = App(f"http://127.0.0.1:{port}", db_path, log, process)
    try:
        wait_healthy(app)
    except BaseException:
        stop(process)
        raise
    return app


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# -- waiting and checking ------------------------------------------------------------------------


def script_runs(page) -> int:
    """How many script runs this tab has seen finish."""
    return page.evaluate("window.__scriptRuns || 0")


def wait_idle(page, runs_before: int | None = None, run_timeout: int = 30_000) -> None:
    """Wait until the app is connected, its script has finished running and the page is still.

    With ``runs_before`` (from :func:`script_runs` before an interaction) first wait for a
    run to finish after it, so the idle state *before* the rerun does not count as its end.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if runs_before is not None:
        try:
            page.wait_for_function("n => (window.__scriptRuns || 0) > n", arg=runs_before, timeout=run_timeout)
        except PlaywrightTimeout:
            raise AssertionError(
                f"no script run finished within {run_timeout / 1000:.0f}s of the interaction on {page.url}"
            ) from None
    page.wait_for_selector(IDLE, state="attached", timeout=RUN_TIMEOUT)
    page.wait_for_function(
        """([idle, quiet]) => document.querySelector(idle) !== null
                              && performance.now() - window.__lastChange > quiet""",
        arg=[IDLE, QUIET_MS],
        timeout=RUN_TIMEOUT,
        polling=100,
    )


def open_app(page, app: App, path: str = "", query: str = "") -> None:
    """Open a page of the app by its URL path (``""`` for the default page) and wait for it."""
    url = f"{app.url}/{path.lstrip('/')}" + (f"?{query}" if query else "")
    page.goto(url, wait_until="domcontentloaded")
    wait_idle(page)


def act(page, action) -> None:
    """Do ``action()`` (a click, a choice) and wait for the rerun it causes to finish.

    Only for actions that rerun the script (not downloads with ``on_click="ignore"``).
    """
    before = script_runs(page)
    action()
    wait_idle(page, before)


def errors_shown(page) -> list[str]:
    """The text of every exception box and error alert on the page."""
    boxes = page.locator('[data-testid="stException"]').all_inner_texts()
    # an exception box draws an error alert of its own: count it once
    alerts = page.locator('[data-testid="stAlertContentError"]:not([data-testid="stException"] *)')
    return [text.strip() for text in [*boxes, *alerts.all_inner_texts()]]


def assert_no_error(page, app: App | None = None) -> None:
    shown = errors_shown(page)
    if shown:
        tail = f"\n\nServer output:\n{app.log_tail(40)}" if app else ""
        raise AssertionError(f"{page.url} shows {len(shown)} error box(es):\n" + "\n---\n".join(shown) + tail)


def screenshot(page, name: str, max_height: int = 8_000) -> Path:
    """Save the whole page as test-artifacts/browser/<name>.png (gitignored; CI keeps it).

    Streamlit scrolls inside ``stMain``, not the document, so a "full page" screenshot shows
    one screen: the window is made as tall as the page for the picture instead.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 0")
    if height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(height, max_height)})
        page.wait_for_timeout(300)  # charts redraw at the new size
    try:
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(size)
    return path


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def main(page):
    return page.locator('[data-testid="stMain"]')


# -- reading and driving widgets -----------------------------------------------------------------


def tile(page, label: str):
    """The value shown by the headline tile (``st.metric``) with this label, as a locator."""
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label)
    )
    return metric.first.locator('[data-testid="stMetricValue"]')


def tile_value(page, label: str) -> str:
    return tile(page, label).inner_text().strip()


def expect(*args, **kwargs):
    """Playwright's retrying ``expect``, imported late so this module loads without Playwright."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(*args, **kwargs)


def assert_tiles(page, expected: dict[str, str], timeout: int = 10_000) -> None:
    """Each headline tile shows the expected words (retrying while a rerun finishes drawing)."""
    for label, value in expected.items():
        expect(tile(page, label), f"the '{label}' tile").to_have_text(value, timeout=timeout)


def choose(page, label: str, option: str, scope=None) -> None:
    """Open the selectbox with this label (in the sidebar unless ``scope`` says) and pick an option.

    Call inside :func:`act` to wait for the rerun.
    """
    (scope or sidebar(page)).get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).first.click()


def chosen(page, label: str, scope=None) -> str:
    """What the selectbox with this label shows."""
    return (scope or sidebar(page)).get_by_role("combobox", name=label, exact=True).input_value()


def pick_members(page, names: list[str]) -> None:
    """Add members by name in the sidebar's Members filter, waiting for each rerun."""
    box = (
        sidebar(page)
        .locator('[data-testid="stMultiSelect"]')
        .filter(has=page.locator('[data-testid="stWidgetLabel"]', has_text="Members"))
    )
    for name in names:
        box.first.click()
        option = page.get_by_role("option", name=name, exact=True).first
        act(page, option.click)
    page.keyboard.press("Escape")


def grid_rows(frame) -> list[list[str]]:
    """The rows of an ``st.dataframe`` as text, from the accessible table behind its canvas."""
    return frame.evaluate("""el => [...el.querySelectorAll('table[role="grid"] tbody tr')].map(
        row => [...row.querySelectorAll('td')].map(cell => cell.textContent.trim()))""")


def alerts(page, kind: str) -> list[str]:
    """The text of each ``st.error`` / ``st.warning`` / ``st.success`` / ``st.info`` in the main area."""
    boxes = main(page).locator(f'[data-testid="stAlertContent{kind}"] [data-testid="stMarkdownContainer"]')
    return [text.strip() for text in boxes.all_inner_texts()]  # the words, not the icon's name


def nav_titles(page) -> list[str]:
    """The page titles in the sidebar's navigation, in order (without their icons' names)."""
    links = sidebar(page).locator('[data-testid="stSidebarNavLink"] [data-testid="stMarkdownContainer"]')
    return [text.strip() for text in links.all_inner_texts()]
