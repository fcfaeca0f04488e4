"""An unexpected error, kept for whoever looks after One Voice and told to the person as a short reference.

A person never sees a traceback: the app (``dashboard.py``) and the command line
(``common.cli``) call :func:`record`, which appends the traceback to
``onevoice-errors.log`` in a ``logs`` folder beside the database, and give the
person a reference such as ``3F9A0C1E`` to quote. The coordinator finds the
reference in the log. The log is capped: past ``MAX_BYTES`` it is renamed
``onevoice-errors.log.1`` (replacing the one before) and a new one is begun.
"""

from __future__ import annotations

import secrets
import sys
import tempfile
import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

LOG_NAME = "onevoice-errors.log"
MAX_BYTES = 1_000_000


def log_folder(database: Path) -> Path:
    """Where the log of a database's errors is kept: a ``logs`` folder beside it (``data/logs/`` for the app's own)."""
    return Path(database).parent / "logs"


def new_reference() -> str:
    """Eight capital hex characters: short enough to read out on the phone."""
    return secrets.token_hex(4).upper()


@dataclass(frozen=True)
class Incident:
    reference: str  # what the person is told and quotes
    log: Path | None  # where the traceback was written (None: only to standard error)


def record(error: BaseException, folder: Path, where: str = "") -> Incident:
    """Append the error's traceback, under a new reference, to the log in ``folder``.

    ``where``: what was running (a page, a command). Never raises: when the folder cannot be
    written, the log goes to the system's temporary folder, and failing that to standard error.
    """
    reference = new_reference()
    entry = (
        f"=== {reference} {datetime.now().isoformat(timespec='seconds')} {where}\n"
        + "".join(traceback.format_exception(error))
        + "\n"
    )
    for place in (Path(folder), Path(tempfile.gettempdir()) / "onevoice-logs"):
        try:
            _append(place / LOG_NAME, entry)
            return Incident(reference, place / LOG_NAME)
        except OSError:
            continue
    print(entry, file=sys.stderr)
    return Incident(reference, None)


def _append(path: Path, entry: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size > MAX_BYTES:
        path.replace(path.with_name(path.name + ".1"))
    with path.open("a", encoding="utf-8") as log:
        log.write(entry)
