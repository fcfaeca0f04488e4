"""Opening the database: the one module that makes DuckDB connections.

DuckDB lets one process hold a database file for writing and refuses every
other process at once. The web app and the command line must work side by
side, so every connection here is short-lived (a ``with`` block), a lock held
by another process is retried for a few seconds, and after that the caller
gets :class:`DatabaseBusy` with a sentence a coordinator can act on. Inside one
process, threads opening and closing the same file can meet DuckDB's "Unique file
handle conflict" (one attaching the file as another lets it go): that is retried
too, and the schema is brought up to date by one connection at a time.

A file DuckDB cannot read (damaged, cut short, not a database) raises
:class:`DamagedDatabase`: one plain message naming the latest backup, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from common.errors import DamagedDatabase, DatabaseBusy
from store import backup, schema
from store.transaction import transaction

__all__ = ["connect", "transaction", "database_path", "is_default", "add_option", "DatabaseBusy", "DamagedDatabase"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "onevoice.duckdb"
ENV_VAR = "ONEVOICE_DB"

BUSY_WAIT_SECONDS = 8.0
_MIGRATING = threading.RLock()  # one connection of this process at a time brings the schema up to date


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


def _is_transient(error: duckdb.Error) -> bool:
    """A conflict that passes: another program's lock, or another thread letting go of the file as this one opens it."""
    if isinstance(error, duckdb.ResourceInUseException):  # "Unique file handle conflict"
        return True
    if isinstance(error, duckdb.TransactionException):
        return "conflict" in str(error).lower()
    return isinstance(error, duckdb.IOException) and _is_lock_error(error)


# What DuckDB says of a file it cannot read -> the same in a coordinator's words
DAMAGE = {
    "corrupt database file": "part of it is damaged",
    "does not match stored checksum": "part of it is damaged",
    "could not read enough bytes": "it is cut short (part of the file is missing)",
    "not a valid duckdb database": "it is not a database file One Voice can open, or its first part is damaged",
    "permission denied": "One Voice is not allowed to read it (permission denied)",
}


def _damage(error: duckdb.Error) -> str | None:
    text = str(error).lower()
    return next((words for said, words in DAMAGE.items() if said in text), None)


def _shown(path: Path) -> str:
    """A path as a person is told it: from the project's folder when it is inside it, so no server layout shows."""
    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def damaged(path: Path, error: duckdb.Error) -> DamagedDatabase:
    """The one message for a database that cannot be read: what happened, the file, the backup, what to do."""
    try:
        latest = backup.latest(path)
    except OSError:  # a backups folder that cannot be listed: say there is none to name
        latest = None
    where = (
        f"The latest backup is {_shown(latest.folder)} (made {latest.made_at:%d %B %Y at %H:%M})."
        if latest
        else f"No backup was found in {_shown(backup.folder_for(path))}."
    )
    return DamagedDatabase(
        f"The database {_shown(path)} cannot be read: {_damage(error) or 'DuckDB refused it'}. Nothing was "
        f"changed. {where} Ask whoever looks after One Voice to keep the damaged file and restore a backup in its "
        "place (docs/loading.md, Backups); until then One Voice can neither show nor load returns."
    )


def _open(path: Path, wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.Error as error:
            if not _is_transient(error):
                if _damage(error):
                    raise damaged(path, error) from error
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"The database {path.name} is busy: another program (the One Voice app or a "
                    "command run in another window) is using it. Wait a moment and try again."
                ) from error
            time.sleep(delay * (0.5 + random.random()))  # threads that collided do not retry in step
            delay = min(delay * 2, 0.25)


@contextmanager
def connect(
    path: str | os.PathLike | None = None, wait: float = BUSY_WAIT_SECONDS, *, migrate: bool = True
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection with the schema up to date; closed when the block ends.

    A database with data is backed up before its schema is upgraded (``store.backup``);
    ``migrate=False`` leaves the file as it is, for restoring a backup into it.
    """
    db_path = database_path(path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(db_path, wait)
    try:
        if migrate:
            with _MIGRATING:
                schema.migrate(con, before=lambda: backup.before_migration(con, db_path))
        yield con
    except duckdb.Error as error:  # a damaged part may show only when it is read
        if not _damage(error):
            raise
        raise damaged(db_path, error) from error
    finally:
        con.close()
