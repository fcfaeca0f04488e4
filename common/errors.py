"""Every error a person may see, declared together. Each message says what went wrong and what to do.

The modules that raise them import them from here (``store.db.DatabaseBusy`` is
this ``DatabaseBusy``). The command line turns them into exit codes
(``common.cli``): a :class:`Refused` input exits 1, any other error here 2, and
:class:`DatabaseBusy` 3. A page shows the message, never a traceback.
"""

from __future__ import annotations


class OneVoiceError(Exception):
    """A problem a person can act on; the message says what to do."""


class Refused(OneVoiceError, ValueError):
    """Input that was refused and not stored (the command line exits 1)."""


class UsageError(OneVoiceError, ValueError):
    """A command-line value that cannot be used; the message says what to write instead."""


class DatabaseBusy(OneVoiceError, RuntimeError):
    """Another program holds the database; the message says what to do."""


class NewerDatabase(OneVoiceError, RuntimeError):
    """The database was written by a newer One Voice; this copy must be updated to read it."""


class PeriodError(OneVoiceError, ValueError):
    """A period, year or quarter that cannot be read; the message quotes it."""


class MemberError(OneVoiceError, ValueError):
    """A member record that cannot be stored or found; the message says which and why."""


class UserError(OneVoiceError, ValueError):
    """A user or role that cannot be stored; the message says which and why."""


class NoSuchSubmission(OneVoiceError, ValueError):
    """A submission number that is not in the history."""


class NotCurrent(Refused):
    """A return that is not the current one of its quarter, so it cannot be withdrawn."""


class NothingToWithdraw(Refused):
    """No current return for the member and quarter named."""


class MemberHasReturns(Refused):
    """A member with returns in the history cannot be taken off the registry."""


class CsvProblem(Refused):
    """A members CSV that cannot be stored; the message names the line."""


class UnreadableWorkbook(OneVoiceError, ValueError):
    """The file is not a spreadsheet One Voice can open; the message says why in plain words."""


class NotANumber(OneVoiceError, ValueError):
    """A cell holds something that is not a number; the message says what."""


class DemoRefused(Refused):
    """The database holds real members; the demo is not mixed into it."""


class ExportError(OneVoiceError, ValueError):
    """An export that cannot be made as asked; the message says why in plain words."""


class NothingToExport(Refused):
    """No member has a return for the period asked for, so an export would be empty."""


class ImagesUnavailable(OneVoiceError, RuntimeError):
    """No browser to draw chart images with; the message is for the person asking."""


class JointWorkRefused(Refused):
    """A register (a workbook, an edit or a restore) that breaks the joint work rules; nothing was changed."""


class NoSuchVersion(OneVoiceError, ValueError):
    """A joint work register version that is not in the history."""


class SettingError(OneVoiceError, ValueError):
    """A setting that cannot be stored as typed; the message says what to type instead."""
