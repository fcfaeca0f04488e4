"""Opening the database: the one module that makes DuckDB connections.

DuckDB lets one process hold a database file for writing and refuses every
other process at once. The web app and the command line must work side by
side, so every connection here is short-lived (a ``with`` block), a lock held
by another process is retried for a few seconds, and after that the caller
gets :class:`DatabaseBusy` with a sentence a coordinator can act on.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from common.errors import DatabaseBusy
from store import schema
from store.transaction import transaction

__all__ = ["connect", "transaction", "database_path", "is_default", "add_option", "DatabaseBusy"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "onevoice.duckdb"
ENV_VAR = "ONEVOICE_DB"

BUSY_WAIT_SECONDS = 8.0


def database_path(path: str | os.PathLike | None = None) -> Path:
    """``--db`` if given, else ``$ONEVOICE_DB``, else the app's own database under ``data/``."""
    if path:
        return Path(path)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return DEFAULT_DB


def add_option(parser: argparse.ArgumentParser) -> None:
    """A command's ``--db PATH`` option, saying which database it uses when none is named."""
    default = DEFAULT_DB.relative_to(PROJECT_ROOT)
    parser.add_argument("--db", metavar="PATH", help=f"the database (default: ${ENV_VAR}, else {default})")


def is_default(path: str | os.PathLike | None = None) -> bool:
    """True when no ``--db`` and no ``$ONEVOICE_DB`` name another database."""
    return database_path(path).resolve() == DEFAULT_DB.resolve()


def _is_lock_error(error: Exception) -> bool:
    text = str(error).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text or "resource temporarily" in text)


def _open(path: Path, wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as error:
            if not _is_lock_error(error):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"The database {path.name} is busy: another program (the One Voice app or a "
                    "command run in another window) is using it. Wait a moment and try again."
                ) from error
            time.sleep(delay)
            delay = min(delay * 2, 0.25)


@contextmanager
def connect(
    path: str | os.PathLike | None = None, wait: float = BUSY_WAIT_SECONDS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection with the schema up to date; closed when the block ends."""
    db_path = database_path(path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(db_path, wait)
    try:
        schema.migrate(con)
        yield con
    finally:
        con.close()
