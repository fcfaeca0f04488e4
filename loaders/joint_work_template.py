"""The joint work register workbook: the register as it stands, ready to edit and load back.

Sheets, headings, kinds, statuses and measures come from ``contract/joint_work.py``,
so the workbook reads back through ``loaders/joint_work.py``; the look and the
helpers are the quarterly return template's (``loaders/template.py``). Each data
sheet has a title row, a note, the headings on row 3 and one row per project or
outcome, then blank rows with the same validation for new entries.

Text from the register (titles, descriptions, links, names) is always stored as
text: a title that starts with ``=`` is never a live formula. Quarters are text
too (``2024/25 Q1``), never dates.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from contract.joint_work import (
    ALL_MEMBERS,
    FLOW,
    HELP_SHEET,
    KIND_HELP,
    KINDS,
    MEASURES,
    OUTCOME_FIELDS,
    OUTCOMES_SHEET,
    PROJECT_FIELDS,
    PROJECTS_SHEET,
    STATUSES,
    STOCK,
    Outcome,
    Project,
    Register,
    measure,
)
from contract.periods import quarter_label
from loaders.template import (
    BOLD_FONT,
    COUNT_FORMAT,
    DECIMAL_FORMAT,
    HELP_WIDTHS,
    INPUT_BORDER,
    MONEY_FORMAT,
    NOTE_FONT,
    TITLE_FONT,
    TITLE_ROW,
    _header,
    _number,
    _protect,
    _validation,
    _widths,
    _wrapped,
    fixed_timestamps,
)
from loaders.written import text_stays_text

LISTS_SHEET = "Lists"  # hidden: the choices of the list cells
HEADER_ROW, FIRST_ROW = 3, 4  # a title, a note, the headings, then the rows
BLANK_ROWS = 200  # validated rows left for new projects and outcomes
TEXT_FORMAT = "@"  # a typed quarter stays as written, never a date
STAMP = "2020-01-01T00:00:00Z"  # the same register, the same bytes

PROJECT_WIDTHS = [40, 36, 26, 10, 13, 13, 12, 60, 40]
OUTCOME_WIDTHS = [40, 13, 32, 16]
DESCRIPTION_COLUMN = next(c for c, f in enumerate(PROJECT_FIELDS, start=1) if f.key == "description")
DESCRIPTION_WIDTH = PROJECT_WIDTHS[DESCRIPTION_COLUMN - 1]
TOP = Alignment(vertical="top")
WRAPPED = Alignment(vertical="top", wrap_text=True)

STATUS_HELP = {
    "planned": "agreed or being prepared, not yet started: listed but never counted, and it has no outcomes",
    "active": "under way",
    "complete": "finished; still counted in the periods it ran",
    "stopped": "ended early; still counted in the periods it ran",
}
RULE_HELP = {
    FLOW: "flow: record it in the quarter it happened (money in the quarter it was awarded or saved); "
    "a period adds up its quarters",
    STOCK: "stock: the staff shared at the end of the quarter; a period takes the latest quarter reported",
}

PROJECT_PROMPTS = {
    "title": "A short name, e.g. 24/7 single point of contact. Each project has its own title.",
    "kind": "Pick the kind of joint work from the list.",
    "members": "The member codes taking part, separated by commas (e.g. ASH, BIR), or All for every member. "
    "At least two.",
    "lead": "The code of the member that leads it (one of the members), or blank.",
    "start": "The first quarter, like 2024/25 Q1 (Q1 is April to June).",
    "end": "The last quarter, like 2025/26 Q4; blank while it carries on. Not before the start.",
    "status": f"{', '.join(list(STATUSES.values())[:-1])} or {list(STATUSES.values())[-1]}.",
    "description": "One or two sentences a commissioner can read.",
    "link": "Where the evidence is: a document or web address.",
}
OUTCOME_PROMPTS = {
    "project": "The project's title, as on the Projects sheet.",
    "quarter": "The quarter it happened, like 2024/25 Q1; within the project's start and end.",
    "measure": "Pick the outcome measure from the list.",
    "value": "A number of zero or more; blank is not reported, 0 is none. Pounds for money, FTE for staff shared.",
}

LIST_WARNING = (
    "This is not one of the choices in the list. Continue only if you mean it: the workbook is checked "
    "when it is loaded, and a value it cannot read is reported with its cell."
)

RULES = (
    "The Projects sheet has one row per joint project; the Outcomes sheet one row per project, quarter and "
    "measure. Keep the sheet names and the headings; add rows below the last one.",
    "Each project has its own title (case and spacing are ignored, so 'Shared Beds' and 'shared beds' are one).",
    f"Members: at least two member codes or names, separated by commas, or '{ALL_MEMBERS}' for every member "
    "registered when the workbook is loaded.",
    "Lead: blank, or one of the members taking part.",
    "Quarters are written like 2024/25 Q1; the financial year runs April to March (Q1 April to June, "
    "Q2 July to September, Q3 October to December, Q4 January to March). A date is read as its quarter.",
    "End: blank while the project carries on; never before the start.",
    "A planned project has no outcomes: a project with outcomes has started, so change its status first.",
    "An outcome's quarter is within its project's start and end, and each project, quarter and measure appears once.",
    "Value: blank means not reported; 0 means none. The two are counted differently. Type numbers without "
    "£ signs or commas; no value is below zero.",
    "Loading this workbook replaces the whole register: run python -m loaders joint-work FILE.xlsx, or upload "
    "it in the app. Everything is checked first and nothing changes if any row is wrong; the register it replaces "
    "stays in the history and can be restored.",
)


def register_workbook(register: Register, registered: dict[str, str], collaborative: str = "") -> bytes:
    """The register as .xlsx bytes: Projects, Outcomes, How to fill this in and a hidden Lists sheet.

    ``registered``: member code -> name of every registered member, in registry order.
    An empty register gives the same workbook with headings and no rows. The bytes depend
    only on the arguments.
    """
    book = Workbook()
    lists = _lists_sheet(book.create_sheet(LISTS_SHEET), registered)
    _projects_sheet(book.active, register.projects, registered, collaborative, lists)
    _outcomes_sheet(book.create_sheet(OUTCOMES_SHEET, 1), register.outcomes, len(register.projects), lists)
    _help_sheet(book.create_sheet(HELP_SHEET, 2), registered, collaborative)
    book.properties.title = _title(collaborative)
    book.properties.creator = "One Voice"
    text_stays_text(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return fixed_timestamps(buffer.getvalue(), STAMP)


def save_register_workbook(
    path: str | Path, register: Register, registered: dict[str, str], collaborative: str = ""
) -> Path:
    """Write the register workbook to ``path`` (folders are created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(register_workbook(register, registered, collaborative))
    return path


def members_cell(project: Project, registered: dict[str, str]) -> str:
    """``All`` when the project said All and still has every registered member; else its codes."""
    if project.all_members and set(project.members) == set(registered):
        return ALL_MEMBERS
    return ", ".join(project.members)


def project_row(project: Project, registered: dict[str, str]) -> list[object]:
    """The Projects row of a project, in ``PROJECT_FIELDS`` order."""
    return [
        project.title,
        KINDS.get(project.kind, project.kind),
        members_cell(project, registered),
        project.lead,
        quarter_label(project.start),
        None if project.end is None else quarter_label(project.end),
        STATUSES.get(project.status, project.status),
        project.description or None,
        project.link or None,
    ]


def outcome_row(outcome: Outcome) -> list[object]:
    """The Outcomes row of an outcome, in ``OUTCOME_FIELDS`` order."""
    return [outcome.project, quarter_label(outcome.quarter), measure(outcome.measure).label, _number(outcome.value)]


# -- the sheets ------------------------------------------------------------------


def _projects_sheet(
    ws: Worksheet, projects: tuple[Project, ...], registered: dict[str, str], collaborative: str, lists: dict
) -> None:
    ws.title = PROJECTS_SHEET
    _top(
        ws,
        f"{_title(collaborative)}: projects",
        f"One row per joint project. Definitions and rules: see the '{HELP_SHEET}' sheet.",
        [f.label for f in PROJECT_FIELDS],
    )
    last = HEADER_ROW + len(projects) + BLANK_ROWS
    for r, project in enumerate(projects, start=FIRST_ROW):
        for c, value in enumerate(project_row(project, registered), start=1):
            ws.cell(r, c, _clean(value))
        _wrapped(ws, r, DESCRIPTION_COLUMN, _clean(project.description) or None, DESCRIPTION_WIDTH)
    for r in range(FIRST_ROW, last + 1):
        for c, field in enumerate(PROJECT_FIELDS, start=1):
            cell = ws.cell(r, c)
            cell.border = INPUT_BORDER
            cell.alignment = WRAPPED if field.key == "description" else TOP
            if field.key in ("start", "end"):
                cell.number_format = TEXT_FORMAT
    for c, field in enumerate(PROJECT_FIELDS, start=1):
        source = lists.get(field.key) if field.key in ("kind", "status", "lead") else None
        if source:
            _add(ws, _choice(PROJECT_FIELDS, field.key, source, PROJECT_PROMPTS[field.key]), _column(c, last))
        else:
            _add(ws, _prompt(PROJECT_FIELDS, field.key, PROJECT_PROMPTS[field.key]), _column(c, last))
    _widths(ws, PROJECT_WIDTHS)
    ws.freeze_panes = ws.cell(FIRST_ROW, 2)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(PROJECT_FIELDS))}{last}"


def _outcomes_sheet(ws: Worksheet, outcomes: tuple[Outcome, ...], projects: int, lists: dict) -> None:
    _top(
        ws,
        "Outcomes: what each project achieved, quarter by quarter",
        f"One row per project, quarter and measure. Definitions and rules: see the '{HELP_SHEET}' sheet.",
        [f.label for f in OUTCOME_FIELDS],
    )
    last = HEADER_ROW + len(outcomes) + BLANK_ROWS
    for r, outcome in enumerate(outcomes, start=FIRST_ROW):
        for c, value in enumerate(outcome_row(outcome), start=1):
            ws.cell(r, c, _clean(value))
        ws.cell(r, 4).number_format = _value_format(outcome)
    for r in range(FIRST_ROW, last + 1):
        for c in range(1, len(OUTCOME_FIELDS) + 1):
            ws.cell(r, c).border = INPUT_BORDER
        ws.cell(r, 2).number_format = TEXT_FORMAT
    titles = f"{quote_sheetname(PROJECTS_SHEET)}!$A${FIRST_ROW}:$A${HEADER_ROW + projects + BLANK_ROWS}"
    _add(ws, _choice(OUTCOME_FIELDS, "project", titles, OUTCOME_PROMPTS["project"]), _column(1, last))
    _add(ws, _prompt(OUTCOME_FIELDS, "quarter", OUTCOME_PROMPTS["quarter"]), _column(2, last))
    _add(ws, _choice(OUTCOME_FIELDS, "measure", lists["measure"], OUTCOME_PROMPTS["measure"]), _column(3, last))
    _add(ws, _validation(OUTCOME_FIELDS[3].label, OUTCOME_PROMPTS["value"]), _column(4, last))
    _widths(ws, OUTCOME_WIDTHS)
    ws.freeze_panes = ws.cell(FIRST_ROW, 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(OUTCOME_FIELDS))}{last}"


def _lists_sheet(ws: Worksheet, registered: dict[str, str]) -> dict[str, str | None]:
    """The choices of the list cells, one column each; returns each list's range (None when empty)."""
    columns = {
        "kind": ("Kinds", list(KINDS.values())),
        "status": ("Statuses", list(STATUSES.values())),
        "measure": ("Measures", [m.label for m in MEASURES]),
        "lead": ("Member codes", list(registered)),
    }
    ranges: dict[str, str | None] = {}
    for c, (key, (heading, values)) in enumerate(columns.items(), start=1):
        ws.cell(1, c, heading).font = BOLD_FONT
        for r, value in enumerate(values, start=2):
            ws.cell(r, c, _clean(value))
        letter = get_column_letter(c)
        ranges[key] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}" if values else None
    _widths(ws, [36, 12, 32, 14])
    ws.sheet_state = "hidden"
    _protect(ws)
    return ranges


def _help_sheet(ws: Worksheet, registered: dict[str, str], collaborative: str) -> None:
    ws.cell(1, 1, f"How to fill this in: {_title(collaborative)}").font = TITLE_FONT
    r = 3
    for rule in RULES:
        ws.cell(r, 1, "•").alignment = Alignment(horizontal="right", vertical="top")
        _wrapped(ws, r, 2, rule, HELP_WIDTHS[1] + HELP_WIDTHS[2])
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
        r += 1
    for heading, rows in _help_sections(registered):
        r += 1
        _header(ws, heading, row=r)
        for section, item, text in rows:
            r += 1
            ws.cell(r, 1, section).font = BOLD_FONT
            ws.cell(r, 2, _clean(item)).alignment = Alignment(wrap_text=True, vertical="top")
            _wrapped(ws, r, 3, _clean(text), HELP_WIDTHS[2])
    _widths(ws, HELP_WIDTHS)
    _protect(ws)


def _help_sections(registered: dict[str, str]) -> list[tuple[list[str], list[tuple[str, str, str]]]]:
    """(headings, rows of (first column, second, third)) for each table of the guide."""
    columns = [
        *((PROJECTS_SHEET if i == 0 else "", f.label, PROJECT_PROMPTS[f.key]) for i, f in enumerate(PROJECT_FIELDS)),
        *((OUTCOMES_SHEET if i == 0 else "", f.label, OUTCOME_PROMPTS[f.key]) for i, f in enumerate(OUTCOME_FIELDS)),
    ]
    kinds = [("", label, KIND_HELP[key]) for key, label in KINDS.items()]
    statuses = [("", label, STATUS_HELP[key]) for key, label in STATUSES.items()]
    measures = [("", m.label, f"in {m.unit}; {RULE_HELP[m.rule]}") for m in MEASURES]
    members = [("", code, name) for code, name in registered.items()]
    if not members:
        members = [("", "", "No members are registered yet: add them before loading the register.")]
    members.append(("", ALL_MEMBERS, "every member registered when the workbook is loaded"))
    return [
        (["Sheet", "Column", "What to put in"], columns),
        (["Kinds", "Kind", "What it covers"], kinds),
        (["Statuses", "Status", "What it means"], statuses),
        (["Measures", "Measure", "Unit and rule"], measures),
        (["Members", "Code", "Member"], members),
    ]


# -- cells -------------------------------------------------------------------------


def _top(ws: Worksheet, title: str, note: str, headings: list[str]) -> None:
    ws.cell(TITLE_ROW, 1, _clean(title)).font = TITLE_FONT
    ws.cell(TITLE_ROW + 1, 1, note).font = NOTE_FONT
    _header(ws, headings, row=HEADER_ROW)


def _title(collaborative: str) -> str:
    return f"{collaborative} joint work register" if collaborative.strip() else "Joint work register"


def _column(c: int, last: int) -> str:
    letter = get_column_letter(c)
    return f"{letter}{FIRST_ROW}:{letter}{last}"


def _add(ws: Worksheet, validation: DataValidation, cells: str) -> None:
    validation.add(cells)
    ws.add_data_validation(validation)


def _choice(fields, key: str, source: str, prompt: str) -> DataValidation:
    """A drop-down list; anything else is warned about, not refused, as the reader accepts other forms too."""
    label = next(f.label for f in fields if f.key == key)
    return DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=f"Not a {label.lower()} in the list"[:32],
        error=LIST_WARNING,
        showInputMessage=True,
        promptTitle=label[:32],
        prompt=prompt[:255],
    )


def _prompt(fields, key: str, prompt: str) -> DataValidation:
    """Any value, with a note shown when the cell is picked."""
    label = next(f.label for f in fields if f.key == key)
    return DataValidation(allow_blank=True, showInputMessage=True, promptTitle=label[:32], prompt=prompt[:255])


def _value_format(outcome: Outcome) -> str:
    unit = measure(outcome.measure).unit
    if unit == "£":
        return MONEY_FORMAT if float(outcome.value).is_integer() else '"£"#,##0.00'
    return COUNT_FORMAT if float(outcome.value).is_integer() else DECIMAL_FORMAT


def _clean(value: object) -> object:
    """Text without the control characters a workbook cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
