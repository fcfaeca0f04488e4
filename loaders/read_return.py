"""From a workbook's cells to a member's quarterly return, with every problem found.

Reading never stops at the first problem: every sheet is read and every
problem collected, so a finance officer can fix the file in one go.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contract.periods import PeriodError, parse_quarter, parse_year, quarter_index, quarter_label
from contract.returns import DATA_SHEETS, RETURN_REQUIRED, RETURN_SHEET, Figure, Label, SheetSpec, normalise
from loaders.problems import CollectsProblems, Problem
from loaders.values import NotANumber, describe, is_blank, read_number
from loaders.workbook import Sheet, address, excel_error, sheets_named

HEADER_SEARCH_ROWS = 30  # title rows above the header are allowed; this many are looked at


@dataclass
class ReadReturn(CollectsProblems):
    file_name: str
    member_ref: object = None  # what the Return sheet says, resolved by the caller
    fy: int | None = None
    quarter: int | None = None
    fields: dict[str, object] = field(default_factory=dict)
    field_cells: dict[str, str] = field(default_factory=dict)  # "member" -> "Return!B2"
    figures: list[Figure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def period_label(self) -> str:
        if self.fy is None or self.quarter is None:
            return "an unknown quarter"
        return quarter_label(quarter_index(self.fy, self.quarter))


def read_return(sheets: list[Sheet], file_name: str) -> ReadReturn:
    result = ReadReturn(file_name)
    for spec in (RETURN_SHEET, *DATA_SHEETS):
        sheet = _find_sheet(sheets, spec, result)
        if sheet is None:
            continue
        if spec is RETURN_SHEET:
            _read_fields(sheet, result)
        else:
            _read_table(sheet, spec, result)
        _error_cells(sheet, result)
    check_consistency(result)
    return result


def _find_sheet(sheets: list[Sheet], spec: SheetSpec, result: ReadReturn) -> Sheet | None:
    found = sheets_named(sheets, spec.matches())
    if len(found) > 1:
        names = " and ".join(f"'{s.name}'" for s in found)
        result.error(
            found[1].name, found[1].name, f"Sheets {names} both look like the {spec.name} sheet; keep one of them."
        )
        return None
    present = ", ".join(f"'{s.name}'" for s in sheets) or "none"
    if not found and spec.required:
        result.error(
            spec.name,
            "",
            f"There is no {spec.name} sheet. The return needs a sheet called "
            f"'{spec.name}' (sheets in this file: {present}).",
        )
    elif not found:  # as for a missing row: not reported, and said, so a misnamed sheet is never lost unseen
        result.warn(
            spec.name,
            "",
            f"There is no {spec.name} sheet, so its figures are treated as not reported (sheets in this file: "
            f"{present}).",
        )
    return found[0] if found else None


# -- the Return (cover) sheet: a label, and its value to the right ------------


def _read_fields(sheet: Sheet, result: ReadReturn) -> None:
    labels = {match: f for f in RETURN_SHEET.rows for match in f.matches()}
    header = _find_header(sheet, RETURN_SHEET)
    cells: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            key = labels.get(normalise(value)) if isinstance(value, str) else None
            if key is None or key.key in cells or (header and r <= header[0]):
                continue
            # The Value column when there is a header row; else the cell just right of the label,
            # never a notes column further along.
            value_col = header[2]["value"] if header and c == header[1] else c + 1
            cells[key.key] = (r, value_col)
            result.field_cells[key.key] = f"{sheet.name}!{address(r, value_col)}"
            result.fields[key.key] = None if is_blank(sheet.cell(r, value_col)) else sheet.cell(r, value_col)
            break
    for key in RETURN_REQUIRED:
        if key in cells and address(*cells[key]) in sheet.errors:
            continue  # reported as the error it holds (_error_cells), not as missing
        if result.fields.get(key) is None:
            label = next(f.label for f in RETURN_SHEET.rows if f.key == key)
            where = f"{sheet.name}!{address(*cells[key])}" if key in cells else sheet.name
            result.error(
                where,
                "",
                f"'{label}' is missing. The {sheet.name} sheet must say which "
                "member, financial year and quarter this return is for.",
            )
    _read_period(sheet, cells, result)
    result.member_ref = result.fields.get("member")


def _read_period(sheet: Sheet, cells: dict[str, tuple[int, int]], result: ReadReturn) -> None:
    year, quarter = (_as_typed(result.fields.get(key)) for key in ("year", "quarter"))
    if year is not None:
        try:
            result.fy = parse_year(year)
        except PeriodError as error:
            result.error(f"{sheet.name}!{address(*cells['year'])}", str(year), f"Financial year: {error}.")
    if quarter is not None:
        try:
            result.quarter = parse_quarter(quarter)
        except PeriodError as error:
            result.error(f"{sheet.name}!{address(*cells['quarter'])}", str(quarter), f"Quarter: {error}.")


def _as_typed(value: object) -> object:
    """A cover cell as the member typed it: a year typed as 2025 is stored as 2025.0, and is shown as 2025."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


# -- the data sheets: a header row, then one row per label ---------------------


def _find_header(sheet: Sheet, spec: SheetSpec) -> tuple[int, int, dict[str, int]] | None:
    label_names = spec.label_header.matches()
    column_names = {m: col.key for col in spec.columns for m in col.matches()}
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        folded = [normalise(v) if isinstance(v, str) else "" for v in row]
        # an empty heading is never a column: "£" is a synonym of "Amount (£)", and folds to nothing
        label_col = next((c for c, text in enumerate(folded) if text and text in label_names), None)
        if label_col is None:
            continue
        columns: dict[str, int] = {}
        for c, text in enumerate(folded):
            key = column_names.get(text) if text else None
            if c != label_col and key and key not in columns:
                columns[key] = c
        if columns:
            return r, label_col, columns
    return None


def _read_table(sheet: Sheet, spec: SheetSpec, result: ReadReturn) -> None:
    header = _find_header(sheet, spec)
    if header is None:
        expected = " | ".join([spec.label_header.label, *(c.label for c in spec.columns)])
        result.error(
            sheet.name,
            "",
            f"Could not find the header row of the {sheet.name} sheet. Expected a row with the headings: {expected}.",
        )
        return
    header_row, label_col, columns = header
    for col in spec.columns:
        if col.key not in columns:
            result.error(
                f"{sheet.name}!{address(header_row, label_col)}",
                "",
                f"The {sheet.name} sheet has no '{col.label}' column in its header row (row {header_row + 1}).",
            )
    labels = {m: row for row in spec.rows for m in row.matches()}
    seen: dict[str, str] = {}
    for r in range(header_row + 1, len(sheet.rows)):
        raw_label = sheet.cell(r, label_col)
        if is_blank(raw_label):
            _unlabelled_row(sheet, spec, r, label_col, columns, result)
            continue
        text = normalise(raw_label)
        if text == "total" or text.startswith("total "):
            continue
        row_spec = labels.get(text)
        where = f"{sheet.name}!{address(r, label_col)}"
        if row_spec is None:
            _unknown_row(sheet, spec, r, columns, where, raw_label, result)
            continue
        if row_spec.key in seen:
            result.error(
                where,
                raw_label,
                f"'{row_spec.label}' appears twice (also at {seen[row_spec.key]}); give each figure once.",
            )
            continue
        seen[row_spec.key] = where
        for col_key, c in columns.items():
            _read_cell(sheet, spec, r, c, row_spec, col_key, result)
    for row_spec in spec.rows:
        if row_spec.key not in seen:
            result.warn(sheet.name, "", f"There is no row for '{row_spec.label}'; it is treated as not reported.")


def _unlabelled_row(
    sheet: Sheet, spec: SheetSpec, r: int, label_col: int, columns: dict[str, int], result: ReadReturn
) -> None:
    """Figures beside a blank label cannot be placed: an error, as for a label the sheet does not expect.

    A damaged file can lose a row's label (an .xls record, say) and its figures would vanish without a word."""
    found = next((v for v in (sheet.cell(r, c) for c in columns.values()) if not is_blank(v)), None)
    if found is None:
        return  # a blank row
    expected = "; ".join(row.label for row in spec.rows)
    result.error(
        f"{sheet.name}!{address(r, label_col)}",
        "",
        f"Row {r + 1} has figures ({describe(found)}) but no row label, so they cannot be placed. Give it one of: "
        f"{expected}; or write Total if it is a total.",
    )


def _unknown_row(
    sheet: Sheet, spec: SheetSpec, r: int, columns: dict[str, int], where: str, raw_label: object, result: ReadReturn
) -> None:
    values = [sheet.cell(r, c) for c in columns.values()]
    if all(is_blank(v) for v in values):
        return  # a note or sub-heading, not a figure
    expected = "; ".join(row.label for row in spec.rows)
    result.error(
        where,
        raw_label,
        f"'{describe(raw_label)}' is not a row this sheet expects, so its figures "
        f"cannot be placed. Use one of: {expected}.",
    )


def _read_cell(
    sheet: Sheet, spec: SheetSpec, r: int, c: int, row_spec: Label, col_key: str, result: ReadReturn
) -> None:
    cell = address(r, c)
    where = f"{sheet.name}!{cell}"
    value = sheet.cell(r, c)
    what = _what(spec, row_spec, col_key)
    if cell in sheet.errors:
        code = sheet.errors[cell]
        result.error(
            where, code, f"{what} {excel_error(code)}. Fix the formula or type the number, then send the file again."
        )
        return
    if is_blank(value) and cell in sheet.unsaved_formulas:
        result.error(
            where,
            "(formula)",
            f"{what} is a formula whose result was not saved in the file. "
            "Open the file in Excel, let it calculate, save it and send it again "
            "(or type the number in).",
        )
        return
    try:
        number = read_number(value)
    except NotANumber as error:
        result.error(
            where, value, f"{what} {error}. Expected a number of zero or more, or leave it blank if not reported."
        )
        return
    if number is not None:
        measure, breakdown = spec.figure_key(row_spec.key, col_key)
        result.figures.append(Figure(measure, breakdown, number, where))


def _error_cells(sheet: Sheet, result: ReadReturn) -> None:
    """Every Excel error on a sheet the return is read from: calamine gives such a cell as blank, and blank
    would mean "not reported". A figure's own cell has been reported already, naming the figure."""
    reported = {p.where for p in result.problems}
    for cell, code in sorted(sheet.errors.items(), key=lambda item: _cell_order(item[0])):
        where = f"{sheet.name}!{cell}"
        if where not in reported:
            result.error(
                where,
                code,
                f"This cell {excel_error(code)}. Fix the formula, type the value or clear the cell, "
                "then send the file again.",
            )


def _cell_order(cell: str) -> tuple[int, int, str]:
    letters = cell.rstrip("0123456789")
    return int(cell[len(letters) :] or 0), len(letters), letters


def _what(spec: SheetSpec, row_spec: Label, col_key: str) -> str:
    if len(spec.columns) == 1:
        return f"'{row_spec.label}'"
    column = next(c.label for c in spec.columns if c.key == col_key)
    return f"'{row_spec.label}' ({column})"


# -- figures that cannot both be true ------------------------------------------

# (smaller, larger, why): smaller may not exceed larger for the same breakdown
NOT_ABOVE = (
    ("new_patients", "patients_supported", "new patients are among the patients supported"),
    (
        "deaths_in_preferred_place",
        "deaths_preference_recorded",
        "a death can only be in the preferred place if the preference was recorded",
    ),
    ("deaths_preference_recorded", "deaths", "these deaths are among the patient deaths"),
    ("fte", "headcount", "FTE cannot be more than the number of people"),
)


def check_consistency(result: ReadReturn) -> None:
    if not result.figures and not result.errors:
        result.error(
            "",
            "",
            "This return has no figures at all: every number cell is blank. Fill in the "
            "figures you have and send it again.",
        )
        return
    figures = {(f.measure, f.breakdown): f for f in result.figures}
    for smaller, larger, why in NOT_ABOVE:
        for (measure, breakdown), low in figures.items():
            high = figures.get((larger, breakdown))
            if measure != smaller or high is None or low.value <= high.value + 1e-9:
                continue
            if smaller == "fte" and low.value - high.value < 1e-6:
                continue
            result.error(
                low.cell,
                low.value,
                f"{_name(smaller, breakdown)} is {describe(low.value)}, more than "
                f"{_name(larger, breakdown)} ({describe(high.value)} at {high.cell}); {why}.",
            )
    occupied = _total(result.figures, "ipu_occupied_bed_days")
    available = figures.get(("ipu_bed_days_available", "all"))
    if occupied is not None and available is not None and occupied > available.value:
        result.warn(
            available.cell,
            available.value,
            f"Inpatient occupied bed days ({describe(occupied)}) are more than the bed days "
            f"available ({describe(available.value)}). Please check both; this does not stop the "
            "return loading.",
        )


def _total(figures: list[Figure], measure: str) -> float | None:
    values = [f.value for f in figures if f.measure == measure]
    return sum(values) if values else None


def figure_name(measure: str, breakdown: str) -> str:
    """How the return names a cell: its row label, and its column where the sheet has several."""
    return _name(measure, breakdown)


def _name(measure: str, breakdown: str) -> str:
    for spec in DATA_SHEETS:
        if spec.layout == "stream" and spec.measure == measure:
            row = next((r for r in spec.rows if r.key == breakdown), None)
            return f"'{row.label}'" if row else measure
        for row in spec.rows:
            if (spec.layout == "by_row" and row.key == measure) or (
                spec.layout == "by_column" and row.key == breakdown
            ):
                col = next((c.label for c in spec.columns if c.key in (breakdown, measure)), None)
                return f"'{row.label}'" + (f" ({col})" if col and len(spec.columns) > 1 else "")
    return measure
