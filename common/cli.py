"""The command line's conventions, shared by ``python -m loaders``, ``metrics`` and ``exports``.

Every command exits 0 when done, 1 when input was refused (a file, a row), 2 when
it was typed wrong (a period, a member, a path that cannot be used) and 3 when the
database is busy; errors are printed as ``error: ...`` on standard error, never
as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from common.errors import DatabaseBusy, OneVoiceError, Refused

OK, REFUSED, USAGE, BUSY = 0, 1, 2, 3
EXIT_CODES = "Exit codes: 0 done; 1 input was refused; 2 the command was typed wrong; 3 the database is busy."


def run(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run one command; a One Voice error becomes its message and exit code."""
    try:
        return command(args)
    except DatabaseBusy as error:
        return fail(error, BUSY)
    except Refused as error:
        return fail(error, REFUSED)
    except OneVoiceError as error:
        return fail(error, USAGE)


def fail(error: Exception | str, code: int) -> int:
    print(f"error: {error}", file=sys.stderr)
    return code
