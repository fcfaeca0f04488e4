"""The command line's conventions, shared by ``python -m loaders``, ``metrics`` and ``exports``.

Every command exits 0 when done, 1 when input was refused (a file, a row), 2 when
it was typed wrong (a period, a member, a path that cannot be used, a database
file that cannot be read), 3 when the database is busy and 4 when something
unexpected went wrong; errors are printed as ``error: ...`` on standard error,
never as a traceback. An unexpected error's traceback goes to the log beside the
database (``common.incidents``) and the message gives its reference.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from common import incidents
from common.errors import DatabaseBusy, OneVoiceError, Refused

OK, REFUSED, USAGE, BUSY, FAILED = 0, 1, 2, 3, 4
EXIT_CODES = (
    "Exit codes: 0 done; 1 input was refused; 2 the command was typed wrong or the database cannot be read; "
    "3 the database is busy; 4 something unexpected went wrong (the message gives a reference)."
)
# as store.db.database_path finds the database (common imports nothing of the project)
DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "onevoice.duckdb"


def run(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run one command; a One Voice error becomes its message and exit code, anything else a reference."""
    try:
        return command(args)
    except DatabaseBusy as error:
        return fail(error, BUSY)
    except Refused as error:
        return fail(error, REFUSED)
    except OneVoiceError as error:
        return fail(error, USAGE)
    except Exception as error:
        return unexpected(error, args)


def fail(error: Exception | str, code: int) -> int:
    print(f"error: {error}", file=sys.stderr)
    return code


def unexpected(error: Exception, args: argparse.Namespace) -> int:
    """An error no message was written for: its traceback to the log, its reference to the person."""
    incident = incidents.record(error, incidents.log_folder(_database(args)), where=" ".join(sys.argv))
    details = f"; the details are in {incident.log}" if incident.log else ""
    return fail(
        f"something went wrong (reference {incident.reference}){details}. What the command had not finished "
        "was not stored. Tell whoever looks after One Voice the reference.",
        FAILED,
    )


def _database(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "db", None) or os.environ.get("ONEVOICE_DB") or DEFAULT_DB)
