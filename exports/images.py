"""Chart images (PNG and SVG) of any plotly figure, drawn by kaleido in a headless browser.

kaleido 1.x has no browser of its own: it drives a Chrome or Chromium already on
the computer, which it finds by itself (``$BROWSER_PATH`` first, then the usual
names and places). Debian's ``/usr/bin/chromium`` is tried as a last resort.
Where there is no browser, :class:`ImagesUnavailable` says so in words the
page can show as they are, and points to the chart's own download button.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

import charts
from common.errors import ImagesUnavailable
from exports.suppression import for_charts
from metrics.activity import PEOPLE_SUPPORTED
from metrics.capacity import OCCUPANCY_RATE
from metrics.figure import Figure
from metrics.income import INCOME_TOTAL, STATUTORY_SHARE
from metrics.workforce import STAFF_HEADCOUNT, VOLUNTEERS

FORMATS = ("png", "svg")
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")

MESSAGE = (
    "Chart images need a web browser on this computer (Chrome or Chromium), and none was found, "
    "so this download is not available here. To save a chart as a picture, use the camera icon "
    "on the chart itself to download a PNG."
)


def browser_path() -> str | None:
    """The browser kaleido will use, or None where there is none."""
    from choreographer.browsers.chromium import Chromium

    override = os.environ.get("BROWSER_PATH")
    if override and os.access(override, os.X_OK):
        return override
    found = Chromium.find_browser(skip_local=False)
    if found:
        return found
    if DEBIAN_CHROMIUM.exists() and os.access(DEBIAN_CHROMIUM, os.X_OK):
        return str(DEBIAN_CHROMIUM)
    return shutil.which("chromium") or shutil.which("chromium-browser")


def to_image(fig, fmt: str = "png", width: int = 1100, height: int | None = None, scale: float = 2) -> bytes:
    """The figure as PNG or SVG bytes; :class:`ImagesUnavailable` where no browser can draw it.

    The height is the figure's own (the chart builders size it to its bars) unless given.
    """
    fmt = fmt.lower()
    height = height or fig.layout.height or 620
    if fmt not in FORMATS:
        raise ValueError(f"'{fmt}' is not an image format One Voice makes; choose png or svg")
    path = browser_path()
    if not path:
        raise ImagesUnavailable(MESSAGE)
    os.environ.setdefault("BROWSER_PATH", path)
    try:
        return _draw(fig, fmt, width, height, 1 if fmt == "svg" else scale)
    except ImagesUnavailable:
        raise
    except Exception as error:
        if _is_browser_error(error):
            raise ImagesUnavailable(MESSAGE) from error
        raise


_SERVER = {"started": False}
_LOCK = threading.Lock()


def _draw(fig, fmt: str, width: int, height: int, scale: float) -> bytes:
    """Draw with one kaleido browser kept for the process (started when first needed, closed at exit).

    Starting a browser costs about two seconds; a kept one draws a chart in about 0.2 s. If the
    kept browser has died, it is started again once.
    """
    with _LOCK:  # one browser page at a time: the kept server is one process's singleton
        _start_server()
        try:
            return _to_image(fig, fmt, width, height, scale)
        except Exception as error:
            if not _is_browser_error(error):
                raise
            _stop_server()
            _start_server()
            return _to_image(fig, fmt, width, height, scale)


def _to_image(fig, fmt: str, width: int, height: int, scale: float) -> bytes:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")  # plotly, with a kept server
        return fig.to_image(format=fmt, width=width, height=height, scale=scale)


def _start_server() -> None:
    import kaleido

    if not _SERVER["started"]:
        kaleido.start_sync_server(silence_warnings=True)
        _SERVER["started"] = True
        atexit.register(_stop_server)


def _stop_server() -> None:
    import kaleido

    if _SERVER["started"]:
        _SERVER["started"] = False
        with contextlib.suppress(Exception):  # a browser that has already gone cannot be stopped twice
            kaleido.stop_sync_server(silence_warnings=True)


def _is_browser_error(error: Exception) -> bool:
    from kaleido.errors import BrowserClosedError, BrowserFailedError, ChromeNotFoundError

    if isinstance(error, (ChromeNotFoundError, BrowserFailedError, BrowserClosedError)):
        return True
    text = str(error).lower()
    return "chrome" in text or "chromium" in text or "browser" in text


# -- the charts offered as images on the Export page ---------------------------------


def _by_member(figure: Figure, title: str):
    def draw(data):
        return charts.by_member(
            for_charts(data.areas[figure.area]), figure.key, title, names=data.member_names, colours=data.colours
        )

    return draw


def _share(figure: Figure, title: str):
    def draw(data):
        frame = for_charts(data.areas[figure.area])
        return charts.share(frame, figure.key, title, names=data.member_names, colours=data.colours)

    return draw


def _returns(data):
    return charts.completeness_grid(
        data.grid, f"Returns for {data.period.label}: in and missing", names=data.member_names
    )


CHARTS: dict[str, Callable] = {
    "Income by member": _by_member(INCOME_TOTAL, "Income by member"),
    "Statutory share of income by member": _by_member(STATUTORY_SHARE, "Statutory share of income by member"),
    "Staff headcount by member": _by_member(STAFF_HEADCOUNT, "Staff headcount by member"),
    "Active volunteers by member": _by_member(VOLUNTEERS, "Active volunteers by member"),
    "Inpatient occupancy by member": _by_member(OCCUPANCY_RATE, "Inpatient occupancy by member"),
    "People supported by member": _by_member(PEOPLE_SUPPORTED, "People supported by member"),
    "Each member's share of the people supported": _share(
        PEOPLE_SUPPORTED, "Each member's share of the people supported"
    ),
    "Returns in and missing": _returns,
}


def chart(data, name: str):
    """One of :data:`CHARTS` drawn from an export's frames (with the export's suppression)."""
    return CHARTS[name](data)
