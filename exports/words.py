"""The sentences of an export: headline, slide titles that say the point, footnotes, notes.

Every number in them is a metric value shown through ``metrics.format`` (a
suppressed count stays ``*``), so the words say what the pages say.
"""

from __future__ import annotations

import math

from charts.statement import number_word, statement
from common.words import COMBINED
from contract.periods import long_date, quarter_label
from exports.data import ExportData
from exports.suppression import RULE, SUPPRESSED
from metrics import format as fmt
from metrics.activity import PEOPLE_SUPPORTED, PREFERRED_PLACE_RATE
from metrics.capacity import HAH_CAPACITY, IPU_BEDS, OCCUPANCY_RATE
from metrics.definitions import FIGURES
from metrics.figure import Figure
from metrics.income import INCOME_TOTAL, STATUTORY_SHARE
from metrics.workforce import STAFF_HEADCOUNT, VACANCY_RATE, VOLUNTEERS

# a return's state in the deck's table of returns: one short word, so a narrow quarter column never wraps it
MARKS = {"in": "In", "superseded": "Resent", "missing": "Missing", "not_required": "–"}
SHOWN_MISSING = 3  # quarters with missing returns named in a footnote before "and N more"
NOTES_MISSING = 12  # ... and on the notes slide
FOOTNOTE_CODES = 10  # members named (by code) in a footnote before it gives a count
CHARS_PER_LINE, LINES_PER_COLUMN = 60, 22


def _absent(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def show(value, unit: str, kind: str = "") -> str | None:
    """A value as display text; None where not reported (so a sentence can leave it out)."""
    if value == SUPPRESSED:
        return SUPPRESSED
    return None if _absent(value) else fmt.value(value, unit, kind=kind)


def figure(data: ExportData, declared: Figure, member_code: str = COMBINED) -> str | None:
    """One figure of the export as display text; None where not reported."""
    return show(data.value(declared, member_code), declared.unit, declared.kind)


HEADLINE_FIGURES = (PEOPLE_SUPPORTED, STAFF_HEADCOUNT, VOLUNTEERS, INCOME_TOTAL, STATUTORY_SHARE)


def headline(data: ExportData) -> str:
    """The one-voice sentence, written by the same ``charts.statement`` the Overview page shows.

    It is given the export's own values, so with suppression on a rounded count is
    written rounded and a count shown as * is left out of the sentence.
    """
    cover = data.coverage
    values = {declared.key: data.value(declared) for declared in HEADLINE_FIGURES}
    summary = {
        "period": data.period.label,
        "members_reporting": len(cover.members_reporting),
        "members_expected": len(cover.members_expected),
        "complete": cover.complete,
        "missing": cover.missing_labels(),
        "partial": data.partial,
        "by_member": {
            code: {"name": data.name(code), "quarters_reported": cover.member_returns_in(code)} for code in data.members
        },
        **{key: None if value == SUPPRESSED or _absent(value) else float(value) for key, value in values.items()},
        "joint_work": _joint_summary(data),
    }
    return statement(summary, data.collaborative, members_in=data.members_in)


def _joint_summary(data: ExportData) -> dict | None:
    """The summary's ``joint_work`` as this export has it: a count of people shown as * is left out."""
    if data.joint is None:
        return None
    outcomes = {key: None if value == SUPPRESSED else value for key, value in data.joint.outcomes.items()}
    return {"joint_projects": data.joint.joint_projects, **outcomes}


def tiles(data: ExportData) -> list[tuple[str, str]]:
    """The big numbers under the headline: (figure, what it is); not-reported ones are left out."""
    wanted = [
        (INCOME_TOTAL, "income"),
        (PEOPLE_SUPPORTED, "people supported"),
        (STAFF_HEADCOUNT, "staff"),
        (VOLUNTEERS, "volunteers"),
        (IPU_BEDS, "inpatient beds"),
    ]
    shown = [(figure(data, declared), label) for declared, label in wanted]
    return [(value, label) for value, label in shown if value]


def _title(parts: list[str | None], fallback: str) -> str:
    parts = [p for p in parts if p]
    return "; ".join(parts) if parts else fallback


def income_title(data: ExportData) -> str:
    income, share = figure(data, INCOME_TOTAL), figure(data, STATUTORY_SHARE)
    first = income and f"{income} of income in {data.period.label}" + (f", {share} of it statutory" if share else "")
    return _title([first], f"Income: nothing reported for {data.period.label}")


def workforce_title(data: ExportData) -> str:
    staff, volunteers, vacancy = (figure(data, f) for f in (STAFF_HEADCOUNT, VOLUNTEERS, VACANCY_RATE))
    people = " and ".join(t for t in (staff and f"{staff} staff", volunteers and f"{volunteers} volunteers") if t)
    return _title(
        [people, vacancy and f"{vacancy} of funded posts vacant"],
        f"Workforce: nothing reported for {data.period.label}",
    )


def capacity_title(data: ExportData) -> str:
    occupancy, hah = figure(data, OCCUPANCY_RATE), figure(data, HAH_CAPACITY)
    beds = figure(data, IPU_BEDS)
    first = beds and f"{beds} inpatient beds" + (f", {occupancy} occupied" if occupancy else "")
    return _title(
        [first, hah and f"hospice at home for {hah} patients at once"],
        f"Capacity: nothing reported for {data.period.label}",
    )


def activity_title(data: ExportData) -> str:
    people, preferred = figure(data, PEOPLE_SUPPORTED), figure(data, PREFERRED_PLACE_RATE)
    return _title(
        [
            people and f"{people} people supported in {data.period.label}",
            preferred and f"{preferred} died in their preferred place",
        ],
        f"Activity: nothing reported for {data.period.label}",
    )


def members_title(data: ExportData) -> str:
    total, present = data.coverage.returns_expected, data.coverage.returns_in
    count = len(data.members)
    noun = "member" if count == 1 else "members"
    if total and present == total:
        return f"{number_word(count).capitalize()} {noun}, one voice: every return for {data.period.label} is in"
    return f"{number_word(count).capitalize()} {noun}, one voice: {present} of {total} returns in"


def returns_in(data: ExportData, code: str) -> str:
    return f"{data.coverage.member_returns_in(code)} of {data.period.length}"


def quarter_marks(data: ExportData, code: str, quarters: list[int]) -> list[str]:
    cells = data.grid[data.grid["member_code"] == code].set_index("quarter_index")["status"]
    return [MARKS[cells.get(q, "missing")] for q in quarters]


def returns_summary(data: ExportData) -> str:
    cover = data.coverage
    missing = f" Missing: {', '.join(data.missing)}." if data.missing else " Every return is in."
    return f"Returns in: {cover.returns_in} of {cover.returns_expected} from {len(data.members)} members.{missing}"


def missing_list(data: ExportData, limit: int, rest: str) -> str:
    """``Willow Hospice 2024/25 Q4, ... and 5 more (<rest>)``."""
    missing = data.missing
    more = f" and {len(missing) - limit} more ({rest})" if len(missing) > limit else ""
    return ", ".join(missing[:limit]) + more


def missing_text(data: ExportData) -> str:
    """``Missing: 2024/25 Q4 from WIL; 2025/26 Q1 from ASH, BIR, so these figures are incomplete.``

    Grouped by quarter and by code, so a footnote stays short however many returns are missing.
    """
    if not data.coverage.missing:
        return ""
    by_quarter: dict[int, list[str]] = {}
    for code, index in data.coverage.missing:
        by_quarter.setdefault(index, []).append(code)
    parts = [f"{quarter_label(index)} from {', '.join(codes)}" for index, codes in sorted(by_quarter.items())]
    more = f" and {len(parts) - SHOWN_MISSING} more quarters (see the data notes)" if len(parts) > SHOWN_MISSING else ""
    return f"Missing: {'; '.join(parts[:SHOWN_MISSING])}{more}, so these figures are incomplete."


def footnote(data: ExportData) -> str:
    """Source and completeness, on every figure slide: which members are in, which returns are missing."""
    cover = data.coverage
    reporting = cover.members_reporting
    named = [code for code in reporting if code in data.members]
    who = ", ".join(named) if len(named) <= FOOTNOTE_CODES else f"{len(named)} members"
    if len(named) < len(reporting):
        who += f" and {len(reporting) - len(named)} not shown individually"
    text = (
        f"Source: members' quarterly returns for {data.period.label} from {who or 'no member'} "
        f"({len(reporting)} of {len(cover.members_expected)} members, {cover.returns_in} of "
        f"{cover.returns_expected} returns). "
    )
    text += missing_text(data) or "Complete: every member's return for every quarter is in."
    if data.partial:
        names = [FIGURES[key].label.lower() for key in data.partial]
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        text += f" Partial (a figure left blank in a return): {shown}; see the data notes."
    if data.suppress:
        text += " * 1 to 7 people; other counts of people rounded to the nearest 5."
    return text


def spc_footnote(data: ExportData) -> str:
    """Under an SPC slide: what the charts rest on and how to read them."""
    return (
        "Making Data Count: the combined figure each quarter with returns, its mean (solid) and process limits "
        "(dashed). Orange: a special cause of concern; blue: of improvement; purple: neither; grey: common cause. "
        "Quarters with a missing return or a figure left blank are left out; fewer than 13 quarters make the "
        "limits provisional."
    )


def notes(data: ExportData) -> list[str]:
    """The closing notes: members, returns, missing, period rules, volunteer value, suppression."""
    cover = data.coverage
    members = ", ".join(f"{data.name(c)} ({c})" for c in data.members)
    lines = [
        f"Members: {members}. {len(cover.members_reporting)} of {len(cover.members_expected)} reported "
        f"for {data.period.label} ({data.period.months}).",
        f"Returns included: {cover.returns_in} of {cover.returns_expected} member-quarters. "
        "The workbook's Notes sheet lists each return's file name, when it was loaded and its SHA-256.",
        (
            f"Missing: {missing_list(data, NOTES_MISSING, 'the workbook lists them all')}. "
            if data.missing
            else "Nothing is missing. "
        )
        + "A missing return or a blank figure is never counted as zero.",
        partial_text(data),
        *(
            [f"The combined figures include {data.unseen} member(s) not shown individually, as they chose."]
            if data.unseen
            else []
        ),
        "Over a period: money, hours and activity are summed; staff, volunteers and places are each "
        "member's latest quarter; beds are each member's average; people supported count each person "
        "once; rates are ratios of combined totals.",
        data.volunteer_assumption,
        RULE if data.suppress else "Small-number suppression is off: every figure is shown as reported.",
        f"Made by One Voice on {long_date(data.created)} at {data.created:%H:%M}.",
    ]
    return lines


def partial_text(data: ExportData, limit: int = NOTES_MISSING) -> str:
    """``Partial figures: Volunteer hours leaves out ELM 2024/25 Q2; ...`` or that no figure is partial."""
    if not data.partial:
        return "No figure is partial: every figure covers every return that is in."
    parts = []
    for key, lacking in data.partial.items():
        more = f" and {len(lacking) - limit} more" if len(lacking) > limit else ""
        parts.append(f"{FIGURES[key].label} leaves out {', '.join(lacking[:limit])}{more}")
    return (
        "Partial figures (a member left the figure blank in a return that is in, so it covers fewer quarters, "
        f"or for a rate one side was blank): {'; '.join(parts)}."
    )


def definition_pages(figures: list[Figure]) -> list[tuple[list[str], list[str]]]:
    """Definitions of the figures shown, as pages of two columns that fit at 14pt."""
    entries = [f"{declared.label}: {declared.definition}" for declared in figures]
    columns, current, used = [], [], 0
    for entry in entries:
        lines = math.ceil(len(entry) / CHARS_PER_LINE) + 1
        if current and used + lines > LINES_PER_COLUMN:
            columns.append(current)
            current, used = [], 0
        current.append(entry)
        used += lines
    if current:
        columns.append(current)
    if len(columns) % 2:
        columns.append([])
    return [(columns[i], columns[i + 1]) for i in range(0, len(columns), 2)]
