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


class BackupRefused(Refused):
    """A backup that cannot be restored as it stands (missing, changed or incomplete); nothing was restored."""


class RestoreRefused(Refused):
    """A database that already holds data; a backup is restored only into a new or empty one."""


class MigrationFailed(OneVoiceError, RuntimeError):
    """An upgrade of the database's schema that could not be made; the message says where its backup is."""


class UnrecognisedDatabase(OneVoiceError, RuntimeError):
    """A database file with tables but no schema version that One Voice recognises; it was left as it is."""


class DamagedDatabase(OneVoiceError, RuntimeError):
    """A database file that cannot be read (damaged or cut short); the message says where the latest backup is."""


class WorkbookRefused(UnreadableWorkbook):
    """A workbook refused before its figures were read; the message names the file, and the sheet and cell if known."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.where = where  # "Income!ZZ200000", a sheet's name, or "" for the whole file


class WorkbookTooLarge(WorkbookRefused):
    """A workbook that would cost too much to read: cells too far out, too much packed into it, too many parts."""


class DamagedWorkbook(WorkbookRefused):
    """A workbook with a damaged part: a checksum, a sheet or a record that cannot be read."""


class PasswordProtected(WorkbookRefused):
    """A workbook saved with a password; the message says how to save it without one."""


class ReadingFailed(WorkbookRefused):
    """A workbook whose reading crashed, ran out of memory or took too long (away from the app); nothing was used."""
