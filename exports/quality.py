"""The data-quality report of one return: a one-sheet .xlsx the coordinator can send back to the member.

Who and which quarter, the file and when it came, a one-line verdict, then every problem with its
cell, sheet, row and column labels, the value found and what to do: the errors of a refused file,
the warnings of an accepted one. An accepted return's report then lists each of its figures beside
the member's previous quarter and the same quarter a year earlier, marking a large movement by the
rule of ingest's movement warning.

A problem's row and column labels come, most reliable first, from:

1. its message: the reader quotes the row label, and the column in brackets, as it found them in the
   member's file (``'Inpatient admissions' (26 and over) is negative``);
2. the member's file itself, read again: an accepted return's original is stored, and the bytes of a
   refused file may be passed in;
3. the template's layout (``loaders/template.py``), only where the file's other problems show that
   the file follows the template: a member's own layout puts the same label in another cell.

A problem no source can place keeps its cell and sheet, with the labels left blank.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import PureWindowsPath

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from common.errors import NoSuchSubmission, UnreadableWorkbook
from contract.periods import long_date, quarter_label, split_index
from contract.returns import AMOUNT, DATA_SHEETS, RETURN_SHEET, SHEETS, SheetSpec, normalise
from exports.workbook import HEADER_FILL, HEADER_FONT, TITLE_FONT, _fit_rows, _print_setup, _widths
from loaders.ingest import MOVEMENT_MIN_CHANGE, MOVEMENT_SMALL, MOVEMENT_WARNING
from loaders.problems import ERROR, WARNING, Problem
from loaders.read_return import read_return
from loaders.template import COUNT_FORMAT, DECIMAL_FORMAT, DECIMAL_KEYS, FIRST_ROW, MONEY_FORMAT, cell_addresses
from loaders.values import describe
from loaders.workbook import read_workbook
from loaders.written import text_stays_text
from store import settings, submissions

SHEET_NAME = "Data quality"
NOT_REPORTED = "not reported"  # a blank: never shown as 0
WHOLE_FILE = "Whole file"
HEADER_ROW_LABEL = "Header row"

PROBLEM_HEADERS = ["Cell", "Sheet", "Row label", "Column label", "Value found", "What is wrong and what to do"]
# The two tables share columns A-D (cell, sheet, row label, column label); a problem's message
# spans E+1 to the last column, so both tables print on one page width.
WIDTHS = [16, 14, 42, 16, 16, 16, 12, 16, 12, 44]
MESSAGE_COLUMN = len(PROBLEM_HEADERS)
CHANGE_FORMAT = "+0%;-0%;0%"
LINE_HEIGHT = 15

ERROR_FONT = Font(bold=True, size=12, color="C00000")
ACCEPTED_FONT = Font(bold=True, size=12, color="006100")
SECTION_FONT = Font(bold=True, size=12)
QUIET_FONT = Font(italic=True, color="595959")
CHECK_FILL = PatternFill("solid", fgColor="FCE4D6")
TOP = Alignment(wrap_text=True, vertical="top")

MONEY_MEASURES = {spec.measure for spec in DATA_SHEETS if AMOUNT in spec.columns}
CELL = re.compile(r"(?P<sheet>.+)!(?P<cell>[A-Z]{1,3}[0-9]+)")


@dataclass(frozen=True)
class Place:
    """Where a problem is, in the member's words: ``Income!B7``, ``Income``, ``Legacies``, ``Amount (£)``."""

    cell: str = ""
    sheet: str = ""
    row: str = ""
    column: str = ""


@dataclass
class FileLayout:
    """Where the member's own file put each figure and cover field (read again from its bytes)."""

    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # "Income!B7" -> (row label, column label)
    cells: dict[tuple[str, str], str] = field(default_factory=dict)  # (measure, breakdown) -> "Income!B7"
    values: dict[str, float] = field(default_factory=dict)  # "Income!B7" -> the figure read there


# -- public -------------------------------------------------------------------------------


def refused_report(
    file_name: str,
    problems: list[Problem],
    collaborative: str = "",
    *,
    member: str = "",
    period: str = "",
    content: bytes | None = None,
    checked_at: datetime | None = None,
) -> bytes:
    """The report of a file that was refused: its errors, then any warnings, as .xlsx bytes.

    ``member`` (``Rowan Hospice (ROW)`` or a code) and ``period`` (``2024/25 Q1``) when the upload knew
    them; ``content``: the file's bytes, so every cell's labels are read from the file itself;
    ``checked_at``: when the file was checked (default: now).
    """
    layout = file_layout(content, file_name) if content else FileLayout()
    errors = [p for p in problems if p.severity == ERROR]
    warnings = [p for p in problems if p.severity != ERROR]
    places = locate(problems, layout)
    verdict = f"Refused: {_count(len(errors), 'problem')} to fix; nothing from this file was stored."
    if warnings:
        verdict += f" There {'is' if len(warnings) == 1 else 'are'} also {_count(len(warnings), 'warning')} to check."
    checked = checked_at or datetime.now().replace(microsecond=0)
    book, ws = _book()
    row = _title(
        ws,
        f"Data quality report: {_who(member, period) or file_name}",
        [collaborative, f"File: {file_name}", f"Checked on {_when(checked)}"],
        verdict,
        ERROR_FONT,
    )
    row, header = _problems(ws, row, "Problems to fix", [(p, places[p]) for p in errors], "None.")
    if warnings:
        _problems(ws, row, "Also check (these would not stop the file loading)", [(p, places[p]) for p in warnings], "")
    return _save(book, ws, header, header, f"Data quality: {file_name}")


def accepted_report(con: duckdb.DuckDBPyConnection, submission_id: int, collaborative: str = "") -> bytes:
    """The report of a stored return: the warnings it was accepted with, then its figures beside the
    member's previous quarter and the same quarter a year earlier, as .xlsx bytes.

    Raises :class:`NoSuchSubmission` for a number not in the history.
    """
    record = _submission(con, submission_id)
    layout = _stored_layout(con, submission_id)
    problems = [
        Problem(WARNING, record["file_name"], where, _shown(layout.values.get(where)), message)
        for where, message in submissions.warnings_of(con, submission_id).itertuples(index=False)
    ]
    places = locate(problems, layout)
    member = _member_words(record)
    book, ws = _book()
    row = _title(
        ws,
        f"Data quality report: {member}, {record['period']}",
        [
            collaborative or settings.get(con, "collaborative_name"),
            f"File: {record['file_name']}",
            _received_line(record),
            _status_line(record),
        ],
        f"Accepted with {_count(len(problems), 'warning') if problems else 'no warnings'}.",
        ACCEPTED_FONT,
    )
    row, header = _problems(ws, row, "Warnings to check", [(p, places[p]) for p in problems], "None.")
    figures = _figures(ws, row, figure_rows(con, record, layout), int(record["quarter_index"]))
    return _save(book, ws, header or figures, figures, f"Data quality: {member} {record['period']}")


def report_file_name(member_code: str | None = None, period: str | None = None, file_name: str = "") -> str:
    """``ASH 2024-25 Q1 data quality.xlsx``; without a member and quarter (a refused file), after the
    file's own name: ``my return data quality.xlsx``. Letters, digits, spaces, ``.``, ``_`` and ``-`` only."""
    if member_code and period:
        stem = f"{member_code} {period}"
    else:
        stem = PureWindowsPath(str(file_name)).stem  # a browser may send a Windows path
    safe = re.sub(r"[^A-Za-z0-9 ._-]+", "-", stem.replace("/", "-"))
    safe = re.sub(r"\s+", " ", safe).strip(" .-_")[:80].strip(" .-_") or "return"
    return f"{safe} data quality.xlsx"


# -- where each problem is -------------------------------------------------------------------


def locate(problems: Iterable[Problem], layout: FileLayout | None = None) -> dict[Problem, Place]:
    """Each problem's cell, sheet, row label and column label (blank where no source is sure)."""
    problems = list(problems)
    layout = layout or FileLayout()
    quoted = {p: _labels_in(p.message, _spec(_split(p.where)[0])) for p in problems}
    trusted = _template_trusted(problems, quoted)
    places = {}
    for problem in problems:
        sheet, cell = _split(problem.where)
        spec = _spec(sheet)
        labels = quoted[problem] or _hinted(problem.message, spec) or layout.labels.get(problem.where)
        if labels is None and spec is not None and cell and trusted(spec):
            labels = _template_labels().get((spec.name, cell))
        row, column = labels or ("", "")
        places[problem] = Place(problem.where if cell else "", sheet or WHOLE_FILE, row, column)
    return places


def _split(where: str) -> tuple[str, str]:
    """``Income!B7`` -> (``Income``, ``B7``); a sheet alone -> (sheet, ""); the whole file -> ("", "")."""
    match = CELL.fullmatch(where)
    return (match["sheet"], match["cell"]) if match else (where, "")


def _spec(sheet_name: str) -> SheetSpec | None:
    """The sheet of the contract a member's sheet name stands for (``Staffing`` -> Workforce)."""
    folded = normalise(sheet_name)
    return next((spec for spec in SHEETS if folded in spec.matches()), None) if folded else None


def _only_column(spec: SheetSpec | None) -> str:
    return spec.columns[0].label if spec is not None and len(spec.columns) == 1 else ""


# Messages whose labels are quoted by loaders/read_return.py, whatever the sheet.
QUOTED = (
    # a row label the sheet does not expect, as the member typed it: it sits in the label column
    (re.compile(r"^'(?P<row>.*)' is not a row this sheet expects"), "label"),
    (re.compile(r"^There is no row for '(?P<row>.*)'; it is treated as not reported"), "only"),
    (re.compile(r"has no '(?P<column>.*?)' column in its header row"), "header"),
    # a sheet the contract does not know: the leading quoted label, and its column in brackets
    (re.compile(r"^'(?P<row>.+?)'(?: \((?P<column>[^()]+)\))? (?:is|are|appears)\b"), "any"),
)


def _labels_in(message: str, spec: SheetSpec | None) -> tuple[str, str] | None:
    """The row and column labels a message quotes (from the member's file), or None."""
    if spec is not None:
        for row in sorted(spec.rows, key=lambda r: -len(r.label)):  # the longest first: no label is cut short
            quoted = f"'{row.label}'"
            if message.startswith(quoted):
                rest = message[len(quoted) :]
                if rest.startswith(" appears twice"):
                    return row.label, spec.label_header.label
                column = next((c.label for c in spec.columns if rest.startswith(f" ({c.label})")), "")
                return row.label, column or _only_column(spec)
            if message.startswith((f"{row.label}: ", f"{row.label} '")):  # "Quarter: 'Q5' is not ..."
                return row.label, _only_column(spec)
    for pattern, kind in QUOTED:
        match = pattern.search(message)
        if match is None:
            continue
        if kind == "header":
            return HEADER_ROW_LABEL, match["column"]
        if kind == "label":
            return match["row"], spec.label_header.label if spec else ""
        return match["row"], (match.groupdict().get("column") or "") or _only_column(spec)
    return None


# Messages of loaders/ingest.py and loaders/read_return.py that point at a cell without quoting its
# label: (the words, the contract's sheet, the row's key). tests/test_exports_quality.py holds each.
HINTS = (
    ("Inpatient occupied bed days (", "Capacity", "ipu_bed_days_available"),
    ("This return is for ", "Return", "member"),
    (" has not ended yet: ", "Return", "quarter"),
    (" so it has no return for ", "Return", "quarter"),
)


def _hinted(message: str, spec: SheetSpec | None) -> tuple[str, str] | None:
    for words, sheet, key in HINTS:
        if spec is not None and spec.name == sheet and words in message:
            return next(r.label for r in spec.rows if r.key == key), _only_column(spec)
    return None


@lru_cache(maxsize=1)
def _template_labels() -> dict[tuple[str, str], tuple[str, str]]:
    """(contract sheet, cell) -> (row label, column label), where the template puts each label and figure."""
    labels = {}
    for spec in SHEETS:
        cells = cell_addresses(spec)
        for r, row in enumerate(spec.rows, start=FIRST_ROW):
            labels[(spec.name, f"A{r}")] = (row.label, spec.label_header.label)  # the template's labels: column A
            for column in spec.columns:
                labels[(spec.name, cells[spec.figure_key(row.key, column.key)])] = (row.label, column.label)
    return labels


def _template_trusted(problems: list[Problem], quoted: dict[Problem, tuple[str, str] | None]):
    """Whether a sheet follows the template: every quoted label sits where the template puts it.

    The evidence of the sheet itself if it has any, else of the whole file; none at all: not trusted.
    """
    votes: dict[str, list[bool]] = {}
    for problem in problems:
        sheet, cell = _split(problem.where)
        spec, labels = _spec(sheet), quoted[problem]
        if spec is None or not cell or labels is None or labels[0] not in {r.label for r in spec.rows}:
            continue
        votes.setdefault(spec.name, []).append(_template_labels().get((spec.name, cell)) == labels)
    everywhere = [vote for sheet_votes in votes.values() for vote in sheet_votes]

    def trusted(spec: SheetSpec) -> bool:
        evidence = votes.get(spec.name) or everywhere
        return bool(evidence) and all(evidence)

    return trusted


def file_layout(content: bytes, file_name: str) -> FileLayout:
    """Where the member's file put each figure and cover field; empty if the file cannot be read."""
    try:
        parsed = read_return(read_workbook(content, file_name), file_name)
    except UnreadableWorkbook:
        return FileLayout()
    layout = FileLayout()
    names = _figure_names()
    for figure in parsed.figures:
        key = (figure.measure, figure.breakdown)
        if key in names and CELL.fullmatch(figure.cell):
            layout.labels[figure.cell] = names[key][1:]
            layout.cells[key] = figure.cell
            layout.values[figure.cell] = figure.value
    for key, where in parsed.field_cells.items():
        layout.labels[where] = (next(f.label for f in RETURN_SHEET.rows if f.key == key), _only_column(RETURN_SHEET))
    return layout


# -- the figures beside the member's earlier quarters ---------------------------------------------


@lru_cache(maxsize=1)
def _figure_names() -> dict[tuple[str, str], tuple[str, str, str]]:
    """(measure, breakdown) -> (sheet, row label, column label), in the order of the return."""
    names = {}
    for spec in DATA_SHEETS:
        for row in spec.rows:
            for column in spec.columns:
                names[spec.figure_key(row.key, column.key)] = (spec.name, row.label, column.label)
    return names


def movement(new: float | None, old: float | None) -> float | None:
    """The change from ``old`` to ``new`` (a share; infinite from zero) when ingest's movement warning
    would mark it: more than MOVEMENT_WARNING, unless both are below MOVEMENT_SMALL or it moved by less
    than MOVEMENT_MIN_CHANGE. None otherwise, and when either is not reported."""
    if new is None or old is None or max(new, old) < MOVEMENT_SMALL or abs(new - old) < MOVEMENT_MIN_CHANGE:
        return None
    change = (new - old) / old if old else math.inf
    return change if abs(change) > MOVEMENT_WARNING else None


def figure_rows(con: duckdb.DuckDBPyConnection, record: dict, layout: FileLayout) -> pd.DataFrame:
    """One row per figure reported in this quarter, the previous one or the year before, in the return's order.

    Columns: measure, breakdown, cell, sheet, row, column, now, previous, year_before (None: not reported).
    """
    stored = submissions.figures_of(con, int(record["submission_id"]))
    now = {(m, b): v for m, b, v in stored.itertuples(index=False)}
    index = int(record["quarter_index"])
    previous = submissions.previous_quarter_figures(con, record["member_code"], *split_index(index))
    year_before = submissions.member_quarter_figures(con, record["member_code"], index - 4)
    names = _figure_names()
    order = {key: n for n, key in enumerate(names)}
    keys = sorted({*now, *previous, *year_before}, key=lambda k: (order.get(k, len(order)), k))
    rows = []
    for key in keys:
        cell = layout.cells.get(key, "")
        sheet, row, column = names.get(key, ("", " ".join(key), ""))
        sheet = _split(cell)[0] if cell else sheet  # the sheet's name in the member's own file
        rows.append((*key, cell, sheet, row, column, now.get(key), previous.get(key), year_before.get(key)))
    columns = ["measure", "breakdown", "cell", "sheet", "row", "column", "now", "previous", "year_before"]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def _change(new: float | None, old: float | None) -> float | str | None:
    if new is None or old is None:
        return None
    if old == 0:
        return 0.0 if new == 0 else "up from 0"
    return (new - old) / old


def _check(new: float | None, olds: list[tuple[float | None, str]], measure: str) -> str:
    """Large movements (ingest's rule) and a figure left blank that was reported before, in words."""
    notes = []
    for old, label in olds:
        change = movement(new, old)
        if change is not None:
            size = "far" if math.isinf(change) else f"{abs(change):.0%}"
            was = ("£" if measure in MONEY_MEASURES else "") + describe(old)
            notes.append(f"{size} {'higher' if change > 0 else 'lower'} than in {label} ({was})")
    if new is None:
        reported = [label for old, label in olds if old is not None]
        if reported:
            notes.append(f"not reported this quarter, but reported in {' and in '.join(reported)}")
    if not notes:
        return ""
    text = "; ".join(notes)
    return text[0].upper() + text[1:] + ". Please check."


# -- the sheet -----------------------------------------------------------------------------------


def _book() -> tuple[Workbook, Worksheet]:
    book = Workbook()
    ws = book.active
    ws.title = SHEET_NAME
    return book, ws


def _text(value: object) -> str:
    """Text from data as a cell can hold it (no control characters); loaders.written keeps it from being a formula."""
    return ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))


def _title(ws: Worksheet, heading: str, lines: list[str], verdict: str, verdict_font: Font) -> int:
    """The title, the lines about the file, then the verdict; returns the next free row."""
    ws.cell(1, 1, _text(heading)).font = TITLE_FONT
    r = 2
    for line in lines:
        if line:
            ws.cell(r, 1, _text(line))
            r += 1
    ws.cell(r, 1, verdict).font = verdict_font
    return r + 2


def _problems(ws: Worksheet, row: int, title: str, problems: list[tuple[Problem, Place]], empty: str):
    """A heading and the table of problems; returns (the next free row, the table's header row)."""
    ws.cell(row, 1, title).font = SECTION_FONT
    if not problems:
        ws.cell(row + 1, 1, empty).font = QUIET_FONT
        return row + 3, None
    header = row + 1
    _header(ws, header, PROBLEM_HEADERS)
    ws.merge_cells(start_row=header, start_column=MESSAGE_COLUMN, end_row=header, end_column=len(WIDTHS))
    for r, (problem, place) in enumerate(problems, start=header + 1):
        texts = [place.cell, place.sheet, place.row, place.column, problem.found, problem.message]
        for c, text in enumerate(texts, start=1):
            ws.cell(r, c, _text(text)).alignment = TOP
        ws.merge_cells(start_row=r, start_column=MESSAGE_COLUMN, end_row=r, end_column=len(WIDTHS))
        ws.row_dimensions[r].height = LINE_HEIGHT * _lines(texts)
    return header + len(problems) + 2, header


def _lines(texts: list[str]) -> int:
    """How many lines the tallest cell of a problem's row wraps to (the message spans its merged width)."""
    widths = [*WIDTHS[: MESSAGE_COLUMN - 1], sum(WIDTHS[MESSAGE_COLUMN - 1 :])]
    return max(math.ceil(len(str(text)) / (width * 1.1)) or 1 for text, width in zip(texts, widths))


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    for c, label in enumerate(labels, start=1):
        cell = ws.cell(row, c, label)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, Alignment(wrap_text=True, vertical="top")


def _paragraph(ws: Worksheet, row: int, text: str) -> None:
    """Text across the table's width, wrapped, the row tall enough for it."""
    ws.cell(row, 1, text).alignment = TOP
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(WIDTHS))
    ws.row_dimensions[row].height = LINE_HEIGHT * math.ceil(len(text) / (sum(WIDTHS) * 1.1))


def _figures(ws: Worksheet, row: int, table: pd.DataFrame, index: int) -> int:
    """The Figures table; returns its header row."""
    previous, year_before = quarter_label(index - 1), quarter_label(index - 4)
    ws.cell(row, 1, "Figures").font = SECTION_FONT
    _paragraph(
        ws,
        row + 1,
        f"Each figure of this return beside the member's {previous} (the quarter before) and {year_before} (the "
        f"same quarter a year earlier), from the current returns of those quarters. Check marks a move of more "
        f"than {MOVEMENT_WARNING:.0%}, unless both figures are below {MOVEMENT_SMALL} or it moved by less than "
        f"{MOVEMENT_MIN_CHANGE}, and a figure left blank that was reported before. Blank means not reported.",
    )
    header = row + 2
    labels = [
        *PROBLEM_HEADERS[:4],
        f"This quarter, {quarter_label(index)}",
        f"Previous quarter, {previous}",
        "Change on previous quarter",
        f"Same quarter last year, {year_before}",
        "Change on last year",
        "Check",
    ]
    _header(ws, header, labels)
    ws.row_dimensions[header].height = LINE_HEIGHT * 3
    if table.empty:
        ws.cell(header + 1, 1, "No figures.").font = QUIET_FONT
    for r, figure in enumerate(table.itertuples(index=False), start=header + 1):
        _figure_row(ws, r, figure, [(figure.previous, previous), (figure.year_before, year_before)])
    return header


def _figure_row(ws: Worksheet, r: int, figure, olds: list[tuple[float | None, str]]) -> None:
    for c, text in enumerate([figure.cell, figure.sheet, figure.row, figure.column], start=1):
        ws.cell(r, c, _text(text)).alignment = TOP
    code = _number_format(figure.measure, figure.breakdown)
    _value(ws.cell(r, 5), figure.now, code)
    for c, (old, _) in zip((6, 8), olds):
        _value(ws.cell(r, c), old, code)
        change = _change(figure.now, old)
        cell = ws.cell(r, c + 1, change)
        cell.number_format, cell.alignment = CHANGE_FORMAT, Alignment(horizontal="right", vertical="top")
    check = ws.cell(r, len(WIDTHS), _check(figure.now, olds, figure.measure))
    check.alignment = TOP
    if check.value:
        check.fill = CHECK_FILL


def _value(cell, value: float | None, code: str) -> None:
    """A figure as a number in the return's own format; a blank as the words "not reported", never 0."""
    if value is None:
        cell.value, cell.font = NOT_REPORTED, QUIET_FONT
    else:
        cell.value, cell.number_format = int(value) if float(value).is_integer() else value, code
    cell.alignment = Alignment(horizontal="right", vertical="top")


def _number_format(measure: str, breakdown: str) -> str:
    if measure in MONEY_MEASURES:
        return MONEY_FORMAT
    return DECIMAL_FORMAT if {measure, breakdown} & DECIMAL_KEYS else COUNT_FORMAT


def _save(book: Workbook, ws: Worksheet, frozen: int | None, repeated: int | None, title: str) -> bytes:
    """Widths; the first table's header frozen (``frozen``) and the longest table's header printed on
    each page it runs on (``repeated``); one page wide in landscape; no formula anywhere."""
    _widths(ws, WIDTHS)
    _fit_rows(ws, LINE_HEIGHT)
    if frozen:
        ws.freeze_panes = ws.cell(frozen + 1, 1)
    if repeated:
        ws.print_title_rows = f"{repeated}:{repeated}"
    _print_setup(ws)
    book.properties.title = _text(title)[:255]
    book.properties.creator = "One Voice"
    text_stays_text(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- the stored return -----------------------------------------------------------------------------


def _submission(con: duckdb.DuckDBPyConnection, submission_id: int) -> dict:
    history = submissions.history(con)
    found = history[history["submission_id"] == submission_id]
    if found.empty:
        raise NoSuchSubmission(f"There is no submission number {submission_id}")
    return found.iloc[0].to_dict()


def _stored_layout(con: duckdb.DuckDBPyConnection, submission_id: int) -> FileLayout:
    original = submissions.original_file(con, submission_id)
    return file_layout(original.content, original.file_name)


def _member_words(record: dict) -> str:
    name = record.get("member_name")
    return f"{name} ({record['member_code']})" if _present(name) else str(record["member_code"])


def _received_line(record: dict) -> str:
    """``Received on 05 July 2024; loaded on 08 July 2024 at 14:02 by Sam``: received_on only where the
    history has it (a database before the received date has loaded_at alone)."""
    parts = []
    received = record.get("received_on")
    if _present(received):
        parts.append(f"Received on {long_date(pd.Timestamp(received).date())}")
    loaded = record.get("loaded_at")
    if _present(loaded):
        by = f" by {record['sent_by']}" if _present(record.get("sent_by")) else ""
        parts.append(f"loaded on {_when(pd.Timestamp(loaded).to_pydatetime())}{by}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def _status_line(record: dict) -> str:
    status = record.get("status")
    if status == "superseded":
        return "This return is no longer current: a later return for the quarter replaced it."
    if status == "withdrawn":
        return "This return was withdrawn: its figures are not counted."
    return ""


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value) and str(value).strip() != ""


def _when(moment: datetime | date) -> str:
    """``05 July 2024 at 14:02``: the UK way of writing a day, with the time."""
    if isinstance(moment, datetime):
        return f"{long_date(moment.date())} at {moment:%H:%M}"
    return long_date(moment)


def _shown(value: float | None) -> str:
    return "" if value is None else describe(value)


def _who(member: str, period: str) -> str:
    return ", ".join(part for part in (member, period) if part)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
