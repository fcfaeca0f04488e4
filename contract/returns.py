"""The quarterly return workbook, as ``shared/spec/quarterly-return.md`` defines it.

This is the one place that lists the sheets, their headers, their row labels
and the synonyms members use for them. The reader, the validator, the
template writer and the "How to fill this in" sheet all read it from here.

Every number in a return is stored as ``(measure, breakdown, value)``:

* Income rows are ``("income", <stream>)``; Expenditure rows ``("expenditure", <line>)``.
* Workforce cells are ``(<headcount|fte|vacancies>, <staff group>)``.
* Volunteers and Capacity rows are ``(<measure>, "all")``.
* Activity cells are ``(<measure>, <age group>)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

ALL = "all"  # the breakdown of a figure that has none


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    folded = text.lower().replace("&", " and ").replace("+", " plus ")
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()


def normalise(text: object) -> str:
    """Fold a label for matching: case, spacing, punctuation and ``&`` are ignored."""
    return _fold(str(text))


@dataclass(frozen=True)
class Label:
    """A row or column of a sheet: its key, the label the template prints, synonyms."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    help: str = ""

    def matches(self) -> set[str]:
        return {normalise(self.label), normalise(self.key), *(normalise(s) for s in self.synonyms)}


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the return.

    ``layout`` says how a cell becomes a stored figure:
    ``stream`` -> (``measure``, row key); ``by_row`` -> (row key, column key or "all");
    ``by_column`` -> (column key, row key).
    """

    name: str
    label_header: Label
    columns: tuple[Label, ...]
    rows: tuple[Label, ...]
    required: bool
    layout: str
    measure: str = ""
    synonyms: tuple[str, ...] = ()
    help: str = ""

    def matches(self) -> set[str]:
        return {normalise(self.name), *(normalise(s) for s in self.synonyms)}

    def figure_key(self, row: str, column: str) -> tuple[str, str]:
        if self.layout == "stream":
            return self.measure, row
        if self.layout == "by_column":
            return column, row
        return row, (ALL if len(self.columns) == 1 else column)


VALUE = Label("value", "Value", ("Amount", "Number", "Figure", "Total for quarter", "Quarter"))
AMOUNT = Label("amount", "Amount (£)", ("Amount", "Amount GBP", "£", "Value", "Value (£)", "Total (£)"))

INCOME_STREAMS = (
    Label(
        "nhs_contracts",
        "NHS / ICB contracts and grants",
        (
            "NHS contracts",
            "NHS income",
            "ICB contracts",
            "NHS and ICB contracts and grants",
            "NHS / ICB contracts",
            "Statutory NHS income",
        ),
        "Income from NHS commissioners (ICB contracts, grants and spot purchases), including NHS England.",
    ),
    Label(
        "other_statutory",
        "Other statutory (local authority and other public)",
        ("Other statutory", "Local authority", "Other statutory income", "Local authority and other public"),
        "Income from local authorities and other public bodies that are not the NHS.",
    ),
    Label(
        "donations",
        "Donations and fundraising events",
        ("Donations", "Fundraising", "Fundraising events", "Voluntary income"),
        "Gifts from individuals and businesses, in-memory giving and events, before costs.",
    ),
    Label(
        "trusts_grants",
        "Charitable trusts and grants",
        ("Trusts and grants", "Trusts and foundations", "Charitable trusts"),
        "Grants from charitable trusts and foundations.",
    ),
    Label(
        "legacies",
        "Legacies",
        ("Legacy income", "Gifts in wills"),
        "Gifts in wills received or accrued in the quarter.",
    ),
    Label(
        "retail",
        "Retail (gross)",
        ("Retail", "Shops", "Retail income", "Trading"),
        "Shop and online sales before costs.",
    ),
    Label("lottery", "Lottery", ("Lottery income", "Weekly lottery"), "Lottery and raffle income before costs."),
    Label(
        "investment", "Investment income", ("Investments", "Interest", "Investment"), "Interest, dividends and rent."
    ),
    Label("other", "Other income", ("Other", "Miscellaneous income", "Sundry income"), "Any income not listed above."),
)
STATUTORY_STREAMS = ("nhs_contracts", "other_statutory")

EXPENDITURE_LINES = (
    Label(
        "care",
        "Patient and family care services",
        ("Care", "Care services", "Patient care", "Charitable activities", "Cost of care"),
        "What the hospice spent on care for patients and families.",
    ),
    Label(
        "income_generation",
        "Fundraising, retail and lottery costs",
        ("Fundraising costs", "Income generation", "Cost of raising funds", "Raising funds"),
        "What it cost to raise income: fundraising, shops and lottery.",
    ),
    Label(
        "support",
        "Support and other costs",
        ("Support costs", "Other costs", "Support", "Governance and support"),
        "Support services and any other costs.",
    ),
)

STAFF_GROUPS = (
    Label("medical", "Medical", ("Doctors", "Medical staff", "Consultants and doctors")),
    Label("nursing", "Registered nurses", ("Nursing", "Nurses", "Registered nursing")),
    Label(
        "care_support",
        "Healthcare assistants and care staff",
        ("Healthcare assistants", "Care staff", "HCAs", "Care support", "Care assistants"),
    ),
    Label("allied_health", "Allied health professionals", ("AHPs", "Allied health", "Therapists", "AHP")),
    Label(
        "psychosocial",
        "Psychosocial, spiritual and bereavement",
        ("Psychosocial", "Family support", "Spiritual care", "Psychosocial and bereavement"),
    ),
    Label(
        "income_generation",
        "Fundraising, retail and lottery",
        ("Fundraising", "Income generation", "Retail", "Fundraising and retail"),
    ),
    Label(
        "corporate",
        "Corporate and support services",
        ("Corporate", "Support services", "Corporate services", "Admin and support"),
    ),
)
WORKFORCE_COLUMNS = (
    Label(
        "headcount",
        "Headcount",
        ("Head count", "Number of staff", "People", "Headcount at quarter end"),
        "People employed at the end of the quarter (each person once).",
    ),
    Label(
        "fte",
        "FTE",
        ("Full time equivalent", "WTE", "Whole time equivalent", "FTE at quarter end"),
        "Full-time equivalent at the end of the quarter: contracted hours / full-time hours.",
    ),
    Label(
        "vacancies",
        "Vacancies (FTE)",
        ("Vacancies", "Vacant FTE", "Vacancy FTE", "Vacant posts (FTE)"),
        "Funded posts not filled at the end of the quarter, in FTE.",
    ),
)

VOLUNTEER_MEASURES = (
    Label(
        "volunteers",
        "Active volunteers at quarter end",
        ("Active volunteers", "Volunteers", "Number of volunteers"),
        "Volunteers who gave time in the last 12 months and are still registered at quarter end.",
    ),
    Label(
        "volunteer_hours",
        "Volunteer hours in quarter",
        ("Volunteer hours", "Hours volunteered", "Hours"),
        "Hours given by volunteers in the quarter (estimated where not recorded).",
    ),
)

CAPACITY_MEASURES = (
    Label(
        "ipu_beds",
        "Inpatient beds available (average in quarter)",
        ("Inpatient beds", "IPU beds", "Beds", "Beds available"),
        "Average number of inpatient beds open and staffed in the quarter.",
    ),
    Label(
        "ipu_bed_days_available",
        "Inpatient bed days available",
        ("Bed days available", "IPU bed days available", "Available bed days"),
        "Sum over the days of the quarter of the beds open that day.",
    ),
    Label(
        "hah_capacity",
        "Hospice at home caseload capacity (patients)",
        ("Hospice at home capacity", "HAH capacity", "Hospice at home caseload"),
        "How many patients the hospice at home service can support at once, at quarter end.",
    ),
    Label(
        "day_places",
        "Day service places per week",
        ("Day places", "Day service places", "Day hospice places"),
        "Places offered per week by day services, at quarter end.",
    ),
)

AGE_GROUPS = (
    Label("under_18", "Under 18", ("0 to 17", "0-17", "Children", "Under 18s", "U18", "Child")),
    Label("18_to_25", "18 to 25", ("18-25", "Young adults", "18 25", "Young people 18 to 25")),
    Label("26_plus", "26 and over", ("26+", "26 plus", "Adults", "26 and older", "Over 25", "Adult")),
)

ACTIVITY_MEASURES = (
    Label(
        "patients_supported",
        "Patients supported in quarter (unique)",
        ("Patients supported", "Patients", "Unique patients", "People supported"),
        "Each patient who received any care in the quarter, counted once.",
    ),
    Label(
        "new_patients",
        "New patients in quarter",
        ("New patients", "First contacts"),
        "Patients supported in the quarter who had not been supported in the quarter before.",
    ),
    Label(
        "new_referrals",
        "New referrals accepted",
        ("New referrals", "Referrals accepted", "Referrals"),
        "Referrals accepted in the quarter.",
    ),
    Label(
        "ipu_admissions",
        "Inpatient admissions",
        ("Admissions", "IPU admissions"),
        "Admissions to the inpatient unit in the quarter.",
    ),
    Label(
        "ipu_occupied_bed_days",
        "Inpatient occupied bed days",
        ("Occupied bed days", "IPU occupied bed days", "Bed days occupied"),
        "Sum over the days of the quarter of the beds occupied at midnight.",
    ),
    Label(
        "hah_visits",
        "Hospice at home visits",
        ("HAH visits", "Home visits"),
        "Visits made by the hospice at home service.",
    ),
    Label(
        "community_contacts",
        "Community and outpatient contacts",
        ("Community contacts", "Outpatient contacts", "Community and outpatients"),
        "Contacts by community and outpatient teams, face to face, by phone or by video.",
    ),
    Label(
        "day_attendances",
        "Day service attendances",
        ("Day attendances", "Day hospice attendances"),
        "Attendances at day services.",
    ),
    Label(
        "family_supported",
        "Family members and carers supported",
        ("Families and carers supported", "Carers supported", "Family members supported"),
        "Family members and carers who received support in their own right.",
    ),
    Label(
        "bereavement_clients",
        "Bereavement support clients",
        ("Bereavement clients", "Bereavement support"),
        "People who received bereavement support.",
    ),
    Label("deaths", "Patient deaths", ("Deaths",), "Deaths of patients on the caseload in the quarter."),
    Label(
        "deaths_preference_recorded",
        "Deaths with preferred place of death recorded",
        ("Preferred place recorded", "Deaths with PPD recorded", "Preference recorded"),
        "Deaths where the patient's preferred place of death had been recorded.",
    ),
    Label(
        "deaths_in_preferred_place",
        "Deaths in preferred place",
        ("Died in preferred place", "Deaths in PPD", "Achieved preferred place of death"),
        "Deaths in the place the patient said they preferred.",
    ),
)

RETURN_FIELDS = (
    Label("member", "Member", ("Hospice", "Organisation", "Member name", "Member code", "Provider")),
    Label("year", "Financial year", ("Year", "FY")),
    Label("quarter", "Quarter", ("Qtr", "Period")),
    Label("prepared_by", "Prepared by", ("Completed by", "Name", "Contact")),
    Label("email", "Email", ("Email address", "E mail", "Contact email")),
    Label("notes", "Notes", ("Comments", "Comment", "Note")),
)
RETURN_REQUIRED = ("member", "year", "quarter")

RETURN_SHEET = SheetSpec(
    "Return",
    Label("field", "Field", ("Item", "Question")),
    (VALUE,),
    RETURN_FIELDS,
    True,
    "fields",
    synonyms=("Cover", "Return details", "Details", "Cover sheet", "About this return"),
)

DATA_SHEETS = (
    SheetSpec(
        "Income",
        Label("stream", "Income stream", ("Stream", "Income", "Source", "Income source")),
        (AMOUNT,),
        INCOME_STREAMS,
        True,
        "stream",
        measure="income",
        synonyms=("Income sources",),
    ),
    SheetSpec(
        "Expenditure",
        Label("line", "Expenditure line", ("Expenditure", "Cost", "Line", "Spending")),
        (AMOUNT,),
        EXPENDITURE_LINES,
        False,
        "stream",
        measure="expenditure",
        synonyms=("Costs", "Spending", "Expenses"),
    ),
    SheetSpec(
        "Workforce",
        Label("group", "Staff group", ("Group", "Staff", "Role", "Staff type")),
        WORKFORCE_COLUMNS,
        STAFF_GROUPS,
        True,
        "by_column",
        synonyms=("Staff", "Staffing", "Workforce and staff"),
    ),
    SheetSpec(
        "Volunteers",
        Label("measure", "Measure", ("Item", "Indicator", "Metric")),
        (VALUE,),
        VOLUNTEER_MEASURES,
        True,
        "by_row",
        synonyms=("Volunteering",),
    ),
    SheetSpec(
        "Capacity",
        Label("measure", "Measure", ("Item", "Indicator", "Metric")),
        (VALUE,),
        CAPACITY_MEASURES,
        True,
        "by_row",
        synonyms=("Beds and capacity", "Service capacity"),
    ),
    SheetSpec(
        "Activity",
        Label("measure", "Measure", ("Item", "Indicator", "Metric", "Activity")),
        AGE_GROUPS,
        ACTIVITY_MEASURES,
        True,
        "by_row",
        synonyms=("Activities", "Service activity"),
    ),
)
SHEETS = (RETURN_SHEET, *DATA_SHEETS)


@dataclass(frozen=True)
class Figure:
    """One number of a return, and the sheet and cell it came from."""

    measure: str
    breakdown: str
    value: float
    cell: str = field(default="", compare=False)


def sheet_named(name: str) -> SheetSpec:
    for sheet in SHEETS:
        if sheet.name == name:
            return sheet
    raise KeyError(name)
