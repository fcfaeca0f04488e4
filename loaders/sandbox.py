"""Reading a workbook in a child process, so a file that crashes the reader takes only the child with it.

calamine is Rust: a damaged file can make it panic, or ask for more memory than there is and abort the
whole process; a hostile one can keep it busy. So the app never calls it itself. A child process
(``python -c`` running :func:`serve`) reads each file: first the checks of ``loaders/guard.py``, then
calamine, with its address space capped at ``MEMORY_LIMIT`` and its CPU time capped too. The app waits
at most ``TIME_LIMIT`` seconds for the answer; a child that crashes, runs out of memory or takes too
long is killed and replaced, and the file is refused with a message naming it.

A child is started when first needed and kept warm for the next file (one takes about 0.06 s to start),
up to ``MAX_CHILDREN`` reading at once, each replaced after ``FILES_PER_CHILD`` files. Its answer is
plain data (lists, numbers, text, dates), unpickled with only the datetime types allowed.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import io
import logging
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from common.errors import (
    DamagedWorkbook,
    PasswordProtected,
    ReadingFailed,
    UnreadableWorkbook,
    WorkbookRefused,
    WorkbookTooLarge,
)
from loaders import guard

MEMORY_LIMIT = 2**30  # address space of one child: 1 GiB
TIME_LIMIT = 5.0  # seconds to read one file, wall clock; a return takes about 0.01 s
STARTUP_LIMIT = 8.0  # seconds for a new child to be ready (about 0.06 s; more on a machine under load)
MAX_CHILDREN = 4  # reading at once; a fifth upload waits for one of them
MAX_IDLE = 2  # kept warm between uploads
FILES_PER_CHILD = 200
MAX_REPLY_BYTES = 256 * 2**20
MAX_TEXT = 32_767  # characters in one cell: Excel's own limit
MAX_TEXT_IN_ALL = 10_000_000  # characters in all cells of a file

ROOT = Path(__file__).resolve().parents[1]
_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from loaders.sandbox import serve; serve()"
_READY = b"ready"
_REFUSALS = {
    cls.__name__: cls
    for cls in (UnreadableWorkbook, WorkbookRefused, WorkbookTooLarge, DamagedWorkbook, PasswordProtected)
}
log = logging.getLogger(__name__)


# -- the app's side ---------------------------------------------------------------------------


def read_cells(content: bytes, file_name: str) -> list[tuple]:
    """Each worksheet as ``(name, hidden, n_rows, n_cols, cells, unsaved, errors)``, read in a child process.

    ``cells`` lists ``(row, col, value)`` for every cell that is not blank (zero-based); ``unsaved`` the
    addresses of formulas with no saved result; ``errors`` address -> Excel error. Raises
    ``UnreadableWorkbook`` or one of its ``WorkbookRefused`` kinds; nothing else.
    """
    request = pickle.dumps((content, file_name), protocol=pickle.HIGHEST_PROTOCOL)
    with _pool.slots:
        for attempt in (1, 2):
            child = _pool.take(file_name)
            try:
                reply = child.ask(request, TIME_LIMIT)
            except _Gone as gone:
                failure = _failed(file_name, gone, child)
                child.stop()
                if gone.before_reading and attempt == 1:
                    continue  # a warm child that had died while idle: try a fresh one
                raise failure from None
            _pool.give_back(child, healthy=reply[0] != "failed")
            return _answer(reply, file_name)
    raise AssertionError("unreachable")


def _answer(reply: tuple, file_name: str) -> list[tuple]:
    if reply[0] == "ok":
        return reply[1]
    if reply[0] == "refused":
        _, kind, message, where = reply
        cls = _REFUSALS.get(kind, UnreadableWorkbook)
        raise cls(message) if cls is UnreadableWorkbook else cls(message, where)
    log.warning("reading %s failed in the child: %s", file_name, reply[2])
    raise ReadingFailed(
        f"{file_name} could not be read safely: {reply[1]}, which a return never does. It may be damaged: open "
        "it in Excel, save it as .xlsx and send it again."
    )


def _failed(file_name: str, gone: _Gone, child: _Child) -> ReadingFailed:
    log.warning("reading %s: the child process %s (%s)", file_name, gone.reason, child.last_words())
    if gone.timed_out:
        return ReadingFailed(
            f"{file_name} could not be read safely: reading it took longer than {TIME_LIMIT:g} seconds, and a "
            "return takes a fraction of a second. It may be damaged, or far larger than a return: open it in "
            "Excel, save it as .xlsx and send it again."
        )
    return ReadingFailed(
        f"{file_name} could not be read safely: the reader stopped on it ({gone.reason}), which a return never "
        "does. It may be damaged: open it in Excel, save it as .xlsx and send it again."
    )


class _Gone(ReadingFailed):
    """A child that died, or stopped answering; turned into a message naming the file before anyone sees it."""

    def __init__(self, reason: str, timed_out: bool = False, before_reading: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.timed_out, self.before_reading = reason, timed_out, before_reading


class _Child:
    """One child process and its pipes."""

    def __init__(self) -> None:
        self.files = 0
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the child; closed by stop()
        env = {**os.environ, "RUST_BACKTRACE": "0", "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", _BOOT, str(ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        self._answers: queue.Queue[bytes | None] = queue.Queue()
        threading.Thread(target=self._listen, name="workbook-reader-pipe", daemon=True).start()
        if self._receive(STARTUP_LIMIT) != _READY:
            raise _Gone("did not start")

    def ask(self, request: bytes, limit: float) -> tuple:
        try:
            self.process.stdin.write(struct.pack(">Q", len(request)) + request)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError, ValueError) as error:
            raise _Gone(self._how_it_ended(), before_reading=True) from error
        self.files += 1
        answer = self._receive(limit)
        try:
            return _CellsUnpickler(io.BytesIO(answer)).load()
        except Exception as error:  # an answer that is not plain data: the child went wrong, so it goes
            raise _Gone(f"it answered with something that is not a workbook's cells ({_plain(error)})") from error

    def _listen(self) -> None:
        """Each answer from the child's pipe into a queue (a thread, since select() takes no pipes on Windows)."""
        out = self.process.stdout
        with contextlib.suppress(OSError, ValueError):
            while len(header := out.read(8)) == 8:
                size = struct.unpack(">Q", header)[0]
                if size > MAX_REPLY_BYTES or len(answer := out.read(size)) < size:
                    break
                self._answers.put(answer)
        self._answers.put(None)  # the pipe closed: the child has ended, or sent more than any answer holds

    def _receive(self, limit: float) -> bytes:
        try:
            answer = self._answers.get(timeout=limit)
        except queue.Empty:
            raise _Gone(f"took longer than {limit:g} seconds", timed_out=True) from None
        if answer is None:
            raise _Gone(self._how_it_ended())
        return answer

    def _how_it_ended(self) -> str:
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "stopped answering"
        if code < 0:  # ended by a signal: calamine aborts when an allocation fails (SIGABRT)
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            return {"SIGXCPU": "it used too much time", "SIGKILL": "it was stopped"}.get(name, f"it crashed, {name}")
        return f"it ended with code {code}"

    def last_words(self) -> str:
        """The end of what the child wrote to stderr, for the log."""
        try:
            self._stderr.seek(0, io.SEEK_END)
            size = self._stderr.tell()
            self._stderr.seek(max(size - 2000, 0))
            return self._stderr.read().decode("utf-8", "replace").strip() or "nothing on stderr"
        except (OSError, ValueError):
            return "stderr unreadable"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        for stream in (self.process.stdin, self.process.stdout, self._stderr):
            with contextlib.suppress(OSError):
                stream.close()


class _Pool:
    """Warm children, shared by every thread of the app; a forked copy of the app starts its own."""

    def __init__(self) -> None:
        self.slots = threading.BoundedSemaphore(MAX_CHILDREN)
        self._lock = threading.Lock()
        self._idle: list[_Child] = []
        self._pid = os.getpid()

    def take(self, file_name: str) -> _Child:
        with self._lock:
            if self._pid != os.getpid():  # the children belong to the process that forked this one
                self._idle, self._pid = [], os.getpid()
            if self._idle:
                return self._idle.pop()
        try:
            return _Child()
        except (ReadingFailed, OSError) as error:
            log.error("could not start a child process to read workbooks: %s", error)
            raise ReadingFailed(
                f"{file_name} was not read: One Voice could not start the separate process it reads workbooks in "
                f"({error}). Try again in a minute; if it goes on, tell whoever runs One Voice."
            ) from error

    def give_back(self, child: _Child, healthy: bool) -> None:
        with self._lock:
            keep = healthy and child.files < FILES_PER_CHILD and len(self._idle) < MAX_IDLE
            keep = keep and self._pid == os.getpid() and child.process.poll() is None
            if keep:
                self._idle.append(child)
        if not keep:
            child.stop()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for child in idle:
            child.stop()


class _CellsUnpickler(pickle.Unpickler):
    """A child's answer holds plain data and dates; anything else means the child went wrong."""

    def find_class(self, module: str, name: str) -> type:
        if module == "datetime" and name in ("date", "datetime", "time", "timedelta"):
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a child's answer")


_pool = _Pool()
atexit.register(_pool.close)


# -- the child's side ---------------------------------------------------------------------------


def serve() -> None:
    """The child: one file in, its cells (or why it was refused) out, until the app closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the app's terminal is for the app
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print goes to stderr, never into an answer
    from python_calamine import CalamineWorkbook  # noqa: F401 - loaded before the memory cap

    _limit(MEMORY_LIMIT, "RLIMIT_AS")
    _send(replies, _READY)
    requests = sys.stdin.buffer
    while (header := requests.read(8)) and len(header) == 8:
        content, file_name = pickle.loads(requests.read(struct.unpack(">Q", header)[0]))
        _limit(_cpu_seconds() + int(TIME_LIMIT) + 2, "RLIMIT_CPU")  # on top of the app's wall-clock limit
        _send(replies, pickle.dumps(_read(content, file_name), protocol=pickle.HIGHEST_PROTOCOL))


def _send(stream, payload: bytes) -> None:
    stream.write(struct.pack(">Q", len(payload)) + payload)
    stream.flush()


def _limit(value: int, which: str) -> None:
    """Cap this process's memory or CPU time where the system allows it (not on Windows: there the
    child still keeps a crash from the app, and the guard's limits keep its memory to a few hundred MB)."""
    try:
        import resource
    except ImportError:
        return
    kind = getattr(resource, which)
    _, hard = resource.getrlimit(kind)
    try:
        resource.setrlimit(kind, (value if hard == resource.RLIM_INFINITY else min(value, hard), hard))
    except (ValueError, OSError) as error:
        print(f"could not set {which}: {error}", file=sys.stderr)


def _cpu_seconds() -> int:
    try:
        import resource
    except ImportError:
        return 0
    used = resource.getrusage(resource.RUSAGE_SELF)
    return int(used.ru_utime + used.ru_stime)


def _read(content: bytes, file_name: str) -> tuple:
    """("ok", sheets), ("refused", kind, message, where) or ("failed", what happened, details)."""
    try:
        scans = guard.preflight(content, file_name)
        return ("ok", _sheets(content, file_name, scans))
    except WorkbookRefused as error:
        return ("refused", type(error).__name__, str(error), error.where)
    except UnreadableWorkbook as error:
        return ("refused", "UnreadableWorkbook", str(error), "")
    except (KeyboardInterrupt, SystemExit):
        raise
    except MemoryError:
        return ("failed", "reading it needed more memory than One Voice allows", "MemoryError")
    except BaseException as error:  # calamine's PanicException is a BaseException; and a bug of ours
        import traceback

        return ("failed", "the reader failed on it", "".join(traceback.format_exception(error))[-4000:])


def _sheets(content: bytes, file_name: str, scans: dict[str, guard.SheetScan]) -> list[tuple]:
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except PasswordError as error:
        raise PasswordProtected(
            f"{file_name} is password-protected, so One Voice cannot read it. {guard.ADVICE_PASSWORD}"
        ) from error
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # calamine raises several types, and may panic, for a file it cannot open
        raise UnreadableWorkbook(
            f"{file_name} could not be opened as a spreadsheet ({_plain(error)}). "
            "Save it from Excel as .xlsx and send it again."
        ) from error
    sheets, text = [], 0
    with book:
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # chart and dialog sheets have no cells; every worksheet is read or refused
            rows = _rows(book, meta.name, file_name)
            cells = [(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row) if v != ""]
            text += _check_text(cells, meta.name, file_name)
            scan = scans.get(meta.name)
            if cells and scan is None:
                raise DamagedWorkbook(
                    f"{file_name} is damaged: the {meta.name} sheet is not where the workbook says it is, so it "
                    f"could not be checked before reading. {guard.ADVICE_DAMAGED}",
                    meta.name,
                )
            scan = scan or guard.SheetScan()
            width = max((len(row) for row in rows), default=0)
            hidden = meta.visible != SheetVisibleEnum.Visible
            sheets.append((meta.name, hidden, len(rows), width, cells, sorted(scan.unsaved), scan.errors))
    if text > MAX_TEXT_IN_ALL:
        raise WorkbookTooLarge(
            f"{file_name} holds {text:,} characters of text, more than the {MAX_TEXT_IN_ALL:,} One Voice reads; a "
            "return holds a few thousand. Take out the long text, save it and send it again."
        )
    return sheets


def _rows(book, name: str, file_name: str) -> list[list[object]]:
    try:
        sheet = book.get_sheet_by_name(name)
        if sheet.end is not None:
            guard.check_reach(name, *sheet.end, file_name)
        return sheet.to_python(skip_empty_area=False)
    except WorkbookRefused:
        raise
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as error:  # a damaged sheet is a refusal naming it, never a sheet quietly missing
        raise DamagedWorkbook(
            f"{file_name} is damaged: the {name} sheet cannot be read ({_plain(error)}). {guard.ADVICE_DAMAGED}",
            name,
        ) from error


def _check_text(cells: list[tuple], sheet: str, file_name: str) -> int:
    total = 0
    for r, c, value in cells:
        if isinstance(value, str):
            total += len(value)
            if len(value) > MAX_TEXT:
                cell = guard.cell_name(r, c)
                raise WorkbookTooLarge(
                    f"{file_name}: the {sheet} sheet's cell {cell} holds {len(value):,} characters, more than Excel "
                    f"itself allows in a cell ({MAX_TEXT:,}). Shorten it, save the file and send it again.",
                    f"{sheet}!{cell}",
                )
    return total


def _plain(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:120]
