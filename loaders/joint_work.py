"""The joint work register workbook: read, checked whole, and stored all or nothing.

``shared/spec/joint-work.md`` is the contract. The workbook has a Projects sheet
and an Outcomes sheet, matched as loosely as a return (case, spacing,
punctuation, title rows, blank rows, notes columns, extra sheets). Every problem
in the workbook is collected before it is refused, each naming the sheet and
cell, the value found and what was expected, in the same words as a return's
problems (``loaders/problems.py``). A loaded workbook replaces the register as a
whole; the one it replaced stays in the history (``store/joint_work.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from common.errors import NotANumber, PeriodError
from contract.joint_work import (
    KINDS,
    MEASURES,
    OUTCOME_FIELDS,
    OUTCOMES_SHEET,
    OUTCOMES_SHEET_SYNONYMS,
    PROJECT_FIELDS,
    PROJECT_REQUIRED,
    PROJECTS_SHEET,
    PROJECTS_SHEET_SYNONYMS,
    STATUSES,
    WHICH_QUARTER,
    Outcome,
    Project,
    Register,
    kind_of,
    measure,
    measure_of,
    read_quarter,
    sheet_matches,
    status_of,
    title_key,
)
from contract.periods import quarter_label
from contract.returns import Label, normalise
from loaders.problems import ERROR, CollectsProblems, HasProblems, Problem
from loaders.values import describe, is_blank, read_number
from loaders.workbook import FORMATS, Sheet, UnreadableWorkbook, address, excel_error, read_workbook, sheets_named
from store import db, members
from store import joint_work as store

HEADER_SEARCH_ROWS = 30  # title rows above the header are allowed; this many are looked at
MAX_PROJECTS = 2_000  # a register is tens of projects; more is not a register
MAX_OUTCOMES = 50_000
MAX_TEXT = 2_000  # characters kept of a description or link; a title is shorter
MAX_TITLE = 200

LOADED = "loaded"
UNCHANGED = "unchanged"
REFUSED = "refused"


@dataclass
class RegisterRead(CollectsProblems):
    """A register workbook as read: the register when it has no errors, and every problem."""

    file_name: str
    register: Register | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class RegisterLoad(HasProblems):
    """What loading a register workbook did: ``loaded`` (a new version), ``unchanged`` or ``refused``."""

    file_name: str
    status: str
    problems: list[Problem] = field(default_factory=list)
    version: int | None = None
    projects: int = 0
    outcomes: int = 0

    def summary(self) -> str:
        """One line for the command line and the page."""
        if self.status == LOADED:
            notes = f" with {len(self.warnings)} warning(s)" if self.warnings else ""
            return (
                f"{self.file_name}: loaded as the joint work register (version {self.version}): "
                f"{self.projects} project(s), {self.outcomes} outcome(s){notes}. The register it replaced "
                "stays in the history."
            )
        if self.status == UNCHANGED:
            return f"{self.file_name}: the register already says this; nothing changed"
        return f"{self.file_name}: refused, {len(self.errors)} problem(s) to fix; the register was not changed"


# -- loading ---------------------------------------------------------------------------------


def load_register(content: bytes, file_name: str, db_path=None, by: str | None = None) -> RegisterLoad:
    """Read, check and store a register workbook: all of it, or (with its problems) nothing."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in FORMATS:
        return _refused(
            file_name,
            f"'{file_name}' is not a spreadsheet One Voice reads. Save the register as .xlsx (or .xlsm, .xls, .ods).",
        )
    if not content:
        return _refused(file_name, f"{file_name} is empty (0 bytes). Save the register again and load it again.")
    try:
        sheets = read_workbook(content, file_name)  # in a child process, checked before calamine reads it
    except UnreadableWorkbook as error:  # too large, damaged, encrypted, or it crashed the reader: named
        where = getattr(error, "where", "")  # WorkbookRefused says which sheet and cell, when it knows
        return RegisterLoad(file_name, REFUSED, [Problem(ERROR, file_name, where, "", str(error))])
    register_sheets = sheet_matches(PROJECTS_SHEET, PROJECTS_SHEET_SYNONYMS) | sheet_matches(
        OUTCOMES_SHEET, OUTCOMES_SHEET_SYNONYMS
    )
    error_cells = [  # calamine gives an Excel error as blank; blank must not stand for it
        Problem(
            ERROR,
            file_name,
            f"{s.name}!{cell}",
            code,
            f"This cell {excel_error(code)}. Fix it, then load the register again.",
        )
        for s in sheets
        if normalise(s.name) in register_sheets
        for cell, code in s.errors.items()
    ]
    if error_cells:
        return RegisterLoad(file_name, REFUSED, error_cells)
    with db.connect(db_path) as con:
        read = read_register(sheets, file_name, members.names(con))
        if read.errors:
            return RegisterLoad(file_name, REFUSED, read.problems)
        register = read.register
        counts = {"projects": len(register.projects), "outcomes": len(register.outcomes)}
        if store.current_version(con) is not None and register.same_as(store.current(con)):
            return RegisterLoad(file_name, UNCHANGED, read.problems, store.current_version(con), **counts)
        with db.transaction(con):
            version = store.save(
                con, register, LOADED, f"from {file_name}", by=by, file_name=file_name, content=content
            )
    return RegisterLoad(file_name, LOADED, read.problems, version, **counts)


def _refused(file_name: str, message: str) -> RegisterLoad:
    return RegisterLoad(file_name, REFUSED, [Problem(ERROR, file_name, "", "", message)])


# -- reading ---------------------------------------------------------------------------------


def read_register(sheets: list[Sheet], file_name: str, registered: dict[str, str]) -> RegisterRead:
    """The register in a workbook's cells, checked against the contract; ``registered``: code -> name."""
    result = RegisterRead(file_name)
    projects_sheet = _find_sheet(sheets, PROJECTS_SHEET, PROJECTS_SHEET_SYNONYMS, result, required=True)
    outcomes_sheet = _find_sheet(sheets, OUTCOMES_SHEET, OUTCOMES_SHEET_SYNONYMS, result, required=False)
    projects: dict[str, tuple[Project, str]] = {}  # title key -> (project, where its title is)
    broken: set[str] = set()  # title keys of project rows with errors: their outcomes are not "unknown"
    if projects_sheet is not None:
        projects = _read_projects(projects_sheet, registered, result, broken)
    outcomes: list[Outcome] = []
    if outcomes_sheet is not None:
        outcomes = _read_outcomes(outcomes_sheet, projects, broken, result)
    elif projects_sheet is not None:
        result.warn(
            "",
            "",
            f"There is no {OUTCOMES_SHEET} sheet, so the register loaded from this file has no outcomes.",
        )
    if projects_sheet is not None and not projects and not result.errors:
        result.warn(
            projects_sheet.name,
            "",
            "There are no projects on this sheet: loading it empties the register "
            "(the register it replaces stays in the history and can be restored).",
        )
    if not result.errors:
        result.register = Register(tuple(p for p, _ in projects.values()), tuple(outcomes))
    return result


def _find_sheet(
    sheets: list[Sheet], name: str, synonyms: tuple[str, ...], result: RegisterRead, required: bool
) -> Sheet | None:
    found = sheets_named(sheets, sheet_matches(name, synonyms))
    if len(found) > 1:
        names = " and ".join(f"'{s.name}'" for s in found)
        result.error(found[1].name, found[1].name, f"Sheets {names} both look like the {name} sheet; keep one of them.")
        return None
    if not found and required:
        present = ", ".join(f"'{s.name}'" for s in sheets) or "none"
        result.error(
            name,
            "",
            f"There is no {name} sheet. The register workbook needs a sheet called '{name}' "
            f"(sheets in this file: {present}).",
        )
    return found[0] if found else None


def _find_header(sheet: Sheet, fields: tuple[Label, ...]) -> tuple[int, dict[str, int]] | None:
    """The header row (the first with the first field's heading and one more) and each field's column."""
    names = {m: f.key for f in fields for m in f.matches()}
    first = fields[0].key
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for c, value in enumerate(row):
            key = names.get(normalise(value)) if isinstance(value, str) else None
            if key and key not in columns:
                columns[key] = c
        if first in columns and len(columns) >= 2:
            return r, columns
    return None


def _header_or_error(
    sheet: Sheet, fields: tuple[Label, ...], required: tuple[str, ...], result: RegisterRead
) -> tuple[int, dict[str, int]] | None:
    header = _find_header(sheet, fields)
    if header is None:
        expected = " | ".join(f.label for f in fields)
        result.error(
            sheet.name,
            "",
            f"Could not find the header row of the {sheet.name} sheet. Expected a row with the headings: {expected}.",
        )
        return None
    row, columns = header
    for f in fields:
        if f.key in required and f.key not in columns:
            result.error(
                f"{sheet.name}!{address(row, min(columns.values()))}",
                "",
                f"The {sheet.name} sheet has no '{f.label}' column in its header row (row {row + 1}).",
            )
    return header


def _cells(sheet: Sheet, r: int, columns: dict[str, int]) -> dict[str, tuple[object, str]]:
    """Field -> (value, "Sheet!B7") for a row; a blank cell's value is None."""
    out = {}
    for key, c in columns.items():
        value = sheet.cell(r, c)
        if isinstance(value, str):
            value = value.strip()
        out[key] = (None if is_blank(value) else value, f"{sheet.name}!{address(r, c)}")
    return out


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(describe(value).split())


# -- Projects ----------------------------------------------------------------------------------


def _read_projects(
    sheet: Sheet, registered: dict[str, str], result: RegisterRead, broken: set[str]
) -> dict[str, tuple[Project, str]]:
    header = _header_or_error(sheet, PROJECT_FIELDS, PROJECT_REQUIRED, result)
    if header is None:
        return {}
    header_row, columns = header
    lookup = _member_lookup(registered)
    projects: dict[str, tuple[Project, str]] = {}
    rows = 0
    for r in range(header_row + 1, len(sheet.rows)):
        cells = _cells(sheet, r, columns)
        if all(value is None for value, _ in cells.values()):
            continue
        rows += 1
        if rows > MAX_PROJECTS:
            result.error(
                f"{sheet.name}!{address(r, 0)}", "", f"The {sheet.name} sheet has more than {MAX_PROJECTS:,} projects."
            )
            break
        project = _read_project(cells, lookup, registered, result)
        if project is None:
            if cells["title"][0] is not None:
                broken.add(title_key(_text(cells["title"][0])))
            continue
        key = title_key(project.title)
        where = cells["title"][1]
        if key in projects:
            result.error(
                where,
                project.title,
                f"'{project.title}' is already the title of the project at {projects[key][1]} (titles are "
                "compared ignoring case and spacing); give each project its own title.",
            )
            continue
        projects[key] = (project, where)
    return projects


def _read_project(
    cells: dict[str, tuple[object, str]], lookup: dict[str, str], registered: dict[str, str], result: RegisterRead
) -> Project | None:
    errors_before = len(result.errors)
    value, where = cells["title"]
    title = _text(value) if value is not None else ""
    if not title:
        result.error(
            where, "", "This project has no title. Every project needs a short, unique name in the Title column."
        )
    elif len(title) > MAX_TITLE:
        result.error(where, title[:40] + "...", f"The title is longer than {MAX_TITLE} characters; shorten it.")
    about = f"'{title}'" if title else "This project"

    kind = _one_of(cells["kind"], kind_of, f"{about} has no kind.", "a kind of joint work", _choices(KINDS), result)
    status = _one_of(cells["status"], status_of, f"{about} has no status.", "a status", _choices(STATUSES), result)

    taking_part, everyone = _read_members(cells["members"], about, lookup, registered, result)

    lead = None
    if "lead" in cells and cells["lead"][0] is not None:
        value, where = cells["lead"]
        lead = lookup.get(normalise(value))
        if lead is None:
            result.error(where, value, f"The lead '{_text(value)}' is not a registered member. {_known(registered)}")
        elif taking_part is not None and lead not in taking_part:
            result.error(
                where,
                value,
                f"The lead, {registered[lead]} ({lead}), is not one of the members taking part in {about}; "
                "add it to Members or choose a lead from them.",
            )

    start = _read_project_quarter(cells["start"], "first", about, "start", result)
    end = _read_project_quarter(cells.get("end"), "last", about, "end", result)
    if start is not None and end is not None and end < start:
        result.error(
            cells["end"][1],
            cells["end"][0],
            f"{about} ends ({quarter_label(end)}) before it starts ({quarter_label(start)}); "
            "the end cannot be before the start.",
        )
    description = _long_text(cells.get("description"), "description", result)
    link = _long_text(cells.get("link"), "link", result)
    if len(result.errors) > errors_before:
        return None
    return Project(
        title=title,
        kind=kind,
        members=taking_part,
        start=start,
        status=status,
        lead=lead,
        end=end,
        description=description,
        link=link,
        all_members=everyone,
    )


def _one_of(cell: tuple[object, str], match, missing: str, noun: str, choices: str, result: RegisterRead) -> str | None:
    """A cell that names one of a list (by key or label): its key, or None after an error (blank, or not in it)."""
    value, where = cell
    if value is None:
        result.error(where, "", f"{missing} Use one of: {choices}.")
        return None
    key = match(value)
    if key is None:
        result.error(where, value, f"'{_text(value)}' is not {noun}. Use one of: {choices}.")
    return key


def _choices(options: dict[str, str]) -> str:
    return "; ".join(options.values())


def _known(registered: dict[str, str]) -> str:
    known = ", ".join(f"{code} ({name})" for code, name in registered.items())
    return f"Name members by code or name as registered: {known or 'no members are registered yet'}."


def _member_lookup(registered: dict[str, str]) -> dict[str, str]:
    """Folded code or name -> code."""
    lookup = {normalise(name): code for code, name in registered.items()}
    lookup |= {normalise(code): code for code in registered}
    return lookup


_SEPARATORS = re.compile(r"[,;\n]+")
_AND = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)


def _read_members(
    cell: tuple[object, str],
    about: str,
    lookup: dict[str, str],
    registered: dict[str, str],
    result: RegisterRead,
) -> tuple[tuple[str, ...] | None, bool]:
    """The member codes in a Members cell, and whether it said All; (None, False) after an error."""
    value, where = cell
    if value is None:
        result.error(
            where,
            "",
            f"{about} names no members. Write at least two member codes or names, separated by commas, or All.",
        )
        return None, False
    text = _text(value)
    if normalise(text) in ("all", "all members"):
        return tuple(registered), True
    codes: list[str] = []
    unknown: list[str] = []
    for part in _SEPARATORS.split(text):
        part = re.sub(r"^(?:and|&)\s+", "", part.strip(), flags=re.IGNORECASE)
        if part:
            found, missing = _names_in(part, lookup)
            codes += [code for code in found if code not in codes]
            unknown += missing
    for name in unknown:
        result.error(
            where, name, f"'{name}' in the Members of {about} is not a registered member. {_known(registered)}"
        )
    if unknown:
        return None, False
    if len(codes) < 2:
        result.error(
            where,
            text,
            f"{about} has {len(codes)} member taking part; joint work needs at least two registered members, or All.",
        )
        return None, False
    return tuple(codes), False


def _names_in(part: str, lookup: dict[str, str]) -> tuple[list[str], list[str]]:
    """Codes named in ``part``, which may join names with "and" (a name may itself hold an "and")."""
    if normalise(part) in lookup:
        return [lookup[normalise(part)]], []
    pieces = _AND.split(part)
    found, missing = [], []
    i = 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):  # the longest run of pieces that names a member
            name = " and ".join(pieces[i:j])
            if normalise(name) in lookup:
                found.append(lookup[normalise(name)])
                i = j
                break
        else:
            missing.append(pieces[i])
            i += 1
    return found, missing


def _read_project_quarter(
    cell: tuple[object, str] | None, year_means: str, about: str, which: str, result: RegisterRead
) -> int | None:
    if cell is None or cell[0] is None:
        if which == "start":
            where = cell[1] if cell else ""
            result.error(where, "", f"{about} has no start. Write its first quarter, like 2024/25 Q1, or a date.")
        return None
    value, where = cell
    try:
        return read_quarter(value, year_means)
    except PeriodError as error:
        result.error(where, value, f"The {which} of {about}: {error}.")
        return None


def _long_text(cell: tuple[object, str] | None, what: str, result: RegisterRead) -> str:
    if cell is None or cell[0] is None:
        return ""
    text = describe(cell[0]).strip()
    if len(text) > MAX_TEXT:
        result.error(cell[1], text[:40] + "...", f"The {what} is longer than {MAX_TEXT:,} characters; shorten it.")
    return text


# -- Outcomes ----------------------------------------------------------------------------------


def _read_outcomes(
    sheet: Sheet, projects: dict[str, tuple[Project, str]], broken: set[str], result: RegisterRead
) -> list[Outcome]:
    header = _header_or_error(sheet, OUTCOME_FIELDS, tuple(f.key for f in OUTCOME_FIELDS), result)
    if header is None:
        return []
    header_row, columns = header
    if len(columns) < len(OUTCOME_FIELDS):
        return []
    outcomes: list[Outcome] = []
    seen: dict[tuple[str, int, str], str] = {}
    rows = 0
    for r in range(header_row + 1, len(sheet.rows)):
        cells = _cells(sheet, r, columns)
        if all(value is None for value, _ in cells.values()):
            continue
        rows += 1
        if rows > MAX_OUTCOMES:
            result.error(
                f"{sheet.name}!{address(r, 0)}", "", f"The {sheet.name} sheet has more than {MAX_OUTCOMES:,} rows."
            )
            break
        row_label = f"Row {r + 1}"
        outcome = _read_outcome(cells, projects, broken, row_label, result)
        if outcome is None:
            continue
        project, quarter, key, value = outcome
        duplicate = (title_key(project.title), quarter, key)
        if duplicate in seen:
            result.error(
                cells["measure"][1],
                cells["measure"][0],
                f"{row_label} gives '{measure(key).label}' for '{project.title}' in {quarter_label(quarter)} again "
                f"(also on row {seen[duplicate]}); give each outcome once a quarter.",
            )
            continue
        seen[duplicate] = str(r + 1)
        if value is not None:
            outcomes.append(Outcome(project.title, quarter, key, value))
    return outcomes


def _read_outcome(
    cells: dict[str, tuple[object, str]],
    projects: dict[str, tuple[Project, str]],
    broken: set[str],
    row_label: str,
    result: RegisterRead,
) -> tuple[Project, int, str, float | None] | None:
    errors_before = len(result.errors)
    project = None
    value, where = cells["project"]
    if value is None:
        result.error(where, "", f"{row_label} names no project. Write the project's title as on the Projects sheet.")
    else:
        project_entry = projects.get(title_key(_text(value)))
        if project_entry is None and title_key(_text(value)) not in broken:  # a broken row's errors are told there
            result.error(
                where,
                value,
                f"'{_text(value)}' is not a project on the Projects sheet. Write the title exactly as it is there "
                "(case and spacing do not matter).",
            )
        elif project_entry is not None:
            project = project_entry[0]

    quarter = None
    value, where = cells["quarter"]
    if value is None:
        result.error(where, "", f"{row_label} has no quarter; {WHICH_QUARTER}.")
    else:
        try:
            quarter = read_quarter(value)
        except PeriodError as error:
            result.error(where, value, f"Quarter: {error}.")

    key = _one_of(
        cells["measure"], measure_of, f"{row_label} has no measure.", "an outcome measure", _measures(), result
    )

    number = None
    value, where = cells["value"]
    what = f"'{measure(key).label}'" if key else "The value"
    try:
        number = read_number(value)
    except NotANumber as error:
        result.error(
            where, value, f"{what} {error}. Expected a number of zero or more, or leave it blank if not reported."
        )

    if project is not None and project.status == "planned":
        result.error(
            cells["project"][1],
            cells["project"][0],
            f"'{project.title}' is planned, so it has no outcomes yet; a project with outcomes has started: "
            "change its status on the Projects sheet.",
        )
    elif project is not None and quarter is not None and not _within(project, quarter):
        ends = quarter_label(project.end) if project.end is not None else "ongoing"
        result.error(
            cells["quarter"][1],
            cells["quarter"][0],
            f"{quarter_label(quarter)} is outside '{project.title}', which runs from {quarter_label(project.start)} "
            f"to {ends}. Check the quarter, or the project's start and end.",
        )
    if len(result.errors) > errors_before or project is None:
        return None
    return project, quarter, key, number


def _within(project: Project, quarter: int) -> bool:
    return project.start <= quarter and (project.end is None or quarter <= project.end)


def _measures() -> str:
    return "; ".join(m.label for m in MEASURES)
