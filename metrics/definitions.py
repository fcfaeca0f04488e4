"""Every figure metrics computes: its key, plain-English label, unit, kind and definition.

Pages and exports read labels and notes from here, so a figure is named and
explained in one place. ``kind`` says how a figure behaves over a period of
more than one quarter:

* ``flow``: summed over the quarters (income, hours, visits...);
* ``stock``: each member's latest reported quarter in the period (headcount...);
* ``mean``: each member's mean over its reported quarters (``ipu_beds``);
* ``unique``: people supported, by the spec's first-quarter-plus-new-patients rule;
* ``rate``: a ratio of combined sums, never a mean of member rates.

Rates are held as fractions (0.31 is 31%); their unit is ``%``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from contract.returns import AGE_GROUPS, EXPENDITURE_LINES, INCOME_STREAMS, STAFF_GROUPS

BREAKDOWNS = {
    "": (),
    "stream": tuple(label.key for label in INCOME_STREAMS),
    "line": tuple(label.key for label in EXPENDITURE_LINES),
    "staff group": tuple(label.key for label in STAFF_GROUPS),
    "age group": tuple(label.key for label in AGE_GROUPS),
}

BREAKDOWN_LABELS = {label.key: label.label for group in (INCOME_STREAMS, EXPENDITURE_LINES, STAFF_GROUPS, AGE_GROUPS)
                    for label in group} | {"all": "All"}
# income_generation is both a staff group and an expenditure line; the labels differ a little
BREAKDOWN_LABELS["income_generation"] = "Fundraising, retail and lottery"


@dataclass(frozen=True)
class FigureDef:
    key: str
    label: str
    unit: str
    kind: str
    area: str
    breakdown: str      # which breakdown the figure has besides "all": "stream", "age group", ... or ""
    definition: str

    @property
    def breakdowns(self) -> tuple[str, ...]:
        return BREAKDOWNS[self.breakdown]


def _defs(area: str, rows: list[tuple]) -> list[FigureDef]:
    return [FigureDef(key, label, unit, kind, area, breakdown, definition)
            for key, label, unit, kind, breakdown, definition in rows]


AGE = "age group"

_INCOME = _defs("income", [
    ("income_total", "Total income", "£", "flow", "stream",
     "All income received in the period, summed over its quarters, by income stream."),
    ("statutory_income", "Statutory income", "£", "flow", "",
     "NHS / ICB contracts and grants plus other statutory (local authority and other public) income."),
    ("charitable_income", "Charitable income", "£", "flow", "",
     "All income that is not statutory: donations, trusts, legacies, retail, lottery, investment and other."),
    ("statutory_share", "Statutory share of income", "%", "rate", "",
     "Statutory income / total income, over the members that reported both."),
    ("expenditure_total", "Total expenditure", "£", "flow", "line",
     "All expenditure in the period, summed over its quarters, by expenditure line."),
    ("statutory_share_of_expenditure", "Statutory share of expenditure", "%", "rate", "",
     "Statutory income / total expenditure, over the members that reported both: "
     "what share of the cost the state pays."),
    ("charitable_per_statutory_pound", "Charitable £ per statutory £", "£", "rate", "",
     "Charitable income / statutory income: the charitable pounds raised for every pound of statutory funding."),
])

_WORKFORCE = _defs("workforce", [
    ("staff_headcount", "Staff headcount", "people", "stock", "staff group",
     "People employed at quarter end, from each member's latest reported quarter in the period."),
    ("staff_fte", "Staff FTE", "FTE", "stock", "staff group",
     "Full-time equivalent staff at quarter end, from each member's latest reported quarter in the period."),
    ("vacancies", "Vacancies (FTE)", "FTE", "stock", "staff group",
     "Funded posts not filled at quarter end, in FTE, from each member's latest reported quarter."),
    ("vacancy_rate", "Vacancy rate", "%", "rate", "staff group",
     "Vacancies / (FTE + vacancies), over the staff groups and members that reported both."),
    ("volunteers", "Active volunteers", "people", "stock", "",
     "Active volunteers at quarter end, from each member's latest reported quarter in the period."),
    ("volunteer_hours", "Volunteer hours", "hours", "flow", "",
     "Hours given by volunteers, summed over the quarters of the period."),
    ("volunteer_value_gbp", "Estimated value of volunteer time", "£", "flow", "",
     "Volunteer hours x the hourly rate x (1 + on-cost); the rate and on-cost are settings, stated beside the value."),
    ("staff_and_volunteers", "Staff and volunteers", "people", "stock", "",
     "Staff headcount plus active volunteers, each from the member's latest reported quarter."),
])

_CAPACITY = _defs("capacity", [
    ("ipu_beds", "Inpatient beds", "beds", "mean", "",
     "Average inpatient beds open in the quarter; over a longer period each member's mean over its reported quarters."),
    ("bed_days_available", "Inpatient bed days available", "days", "flow", "",
     "Sum over the days of the period of the inpatient beds open that day."),
    ("occupancy_rate", "Inpatient occupancy", "%", "rate", "",
     "Occupied bed days / bed days available, over the members that reported both."),
    ("hah_capacity", "Hospice at home capacity", "people", "stock", "",
     "Patients the hospice at home service can support at once, from each member's latest reported quarter."),
    ("day_places", "Day service places per week", "places", "stock", "",
     "Day service places offered per week, from each member's latest reported quarter."),
])

_ACTIVITY = _defs("activity", [
    ("people_supported", "People supported", "people", "unique", AGE,
     "Patients supported in each member's first reported quarter of the period plus new patients "
     "in its later quarters, so a person is not counted once per quarter."),
    ("new_patients", "New patients", "people", "flow", AGE, "New patients, summed over the quarters."),
    ("new_referrals", "New referrals accepted", "count", "flow", AGE, "Referrals accepted, summed over the quarters."),
    ("ipu_admissions", "Inpatient admissions", "count", "flow", AGE,
     "Admissions to inpatient units, summed over the quarters."),
    ("occupied_bed_days", "Inpatient occupied bed days", "days", "flow", AGE,
     "Beds occupied at midnight, summed over the days of the period."),
    ("average_length_of_stay", "Average length of stay", "days", "rate", AGE,
     "Occupied bed days / inpatient admissions, over the members that reported both."),
    ("hah_visits", "Hospice at home visits", "count", "flow", AGE, "Hospice at home visits, summed over the quarters."),
    ("community_contacts", "Community and outpatient contacts", "count", "flow", AGE,
     "Community and outpatient contacts (face to face, phone or video), summed over the quarters."),
    ("day_attendances", "Day service attendances", "count", "flow", AGE,
     "Day service attendances, summed over the quarters."),
    ("family_supported", "Family members and carers supported", "people", "flow", AGE,
     "Family members and carers supported in their own right, summed over the quarters."),
    ("bereavement_clients", "Bereavement support clients", "people", "flow", AGE,
     "People who received bereavement support, summed over the quarters."),
    ("deaths", "Patient deaths", "people", "flow", AGE, "Deaths of patients on the caseload, summed over the quarters."),
    ("deaths_preference_recorded", "Deaths with preferred place recorded", "people", "flow", AGE,
     "Deaths where the preferred place of death had been recorded, summed over the quarters."),
    ("deaths_in_preferred_place", "Deaths in preferred place", "people", "flow", AGE,
     "Deaths in the place the patient said they preferred, summed over the quarters."),
    ("preferred_place_rate", "Died in preferred place", "%", "rate", AGE,
     "Deaths in preferred place / deaths with preferred place recorded, over the members that reported both."),
])

FIGURES: dict[str, FigureDef] = {f.key: f for f in _INCOME + _WORKFORCE + _CAPACITY + _ACTIVITY}
AREAS = ("income", "workforce", "capacity", "activity")


def figure(key: str) -> FigureDef:
    """The definition of one figure; a KeyError names the figures there are."""
    try:
        return FIGURES[key]
    except KeyError:
        raise KeyError(f"'{key}' is not a figure; the figures are {', '.join(FIGURES)}") from None


def definitions() -> pd.DataFrame:
    """Every figure. Columns: key, label, unit, kind, area, breakdowns, definition.

    ``breakdowns`` lists the breakdown keys besides ``all`` (empty for none).
    """
    return pd.DataFrame([
        {"key": f.key, "label": f.label, "unit": f.unit, "kind": f.kind, "area": f.area,
         "breakdowns": list(f.breakdowns), "definition": f.definition}
        for f in FIGURES.values()])
