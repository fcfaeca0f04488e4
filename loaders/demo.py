"""The demo collaborative: five fictional hospices, twelve quarters of returns.

The returns are real workbooks, written by the template writer and loaded
through the real ingest, so the demo exercises the same path a member's file
takes. Figures are drawn from a seeded random generator per member-quarter:
the same demo every time, byte for byte.

At 2024/25 the collaborative holds about £45m of income a year (about 30%
statutory, mostly NHS), 1,400 staff, 3,500 volunteers and 70 inpatient beds,
and supports about 10,000 people a year. Its quirks show what One Voice
tolerates: a late return (in ``late/``), a resubmission correcting a typing
mistake, a figure left blank (not reported), and a return written with
synonym labels and numbers typed as text.
"""

from __future__ import annotations

import io
import random
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook

from common.errors import DemoRefused
from contract.periods import quarter_end, quarter_index, split_index, year_label
from loaders import demo_register, template
from loaders.ingest import IngestResult, ingest_many
from loaders.joint_work import load_register
from loaders.joint_work_template import register_workbook
from loaders.members_csv import load_members, read_members_csv
from store import db, members, settings
from store import joint_work as joint_work_store
from store.members import Member

MEMBERS_CSV = db.PROJECT_ROOT / "data" / "demo_members.csv"
COLLABORATIVE_NAME = "Northvale Hospice Collaborative (demo)"
FIRST_QUARTER, LAST_QUARTER = quarter_index(2022, 1), quarter_index(2024, 4)
SEED = "one-voice-demo"
SENT_BY = "demo generator"
REGISTER_FOLDER = "joint work"
DEMO_BED_DAY_COST = "400"
DEMO_BED_DAY_SOURCE = "an illustrative figure for the demo, not a published cost"

LATE = ("WIL", quarter_index(2024, 4))  # arrives after the others, in late/
RESUBMITTED = ("BIR", quarter_index(2023, 3))  # v1 has legacies with an extra zero; v2 corrects it
NOT_REPORTED = ("ELM", quarter_index(2024, 2), ("volunteer_hours", "all"))
TOLERANT = ("OAK", quarter_index(2023, 2))  # synonym labels, text numbers, "Quarter 2"


@dataclass(frozen=True)
class Profile:
    """A member's scale in 2022/23; later years grow from it."""

    income: float  # £ a year
    staff: int  # headcount
    volunteers: int
    beds: int
    people: int  # people supported a year
    hah_capacity: int
    day_places: int


PROFILES = {
    "ASH": Profile(10_800_000, 350, 880, 20, 2_650, 40, 60),
    "BIR": Profile(8_900_000, 295, 740, 16, 2_250, 30, 45),
    "ELM": Profile(7_100_000, 235, 600, 12, 1_800, 25, 30),
    "OAK": Profile(5_200_000, 195, 540, 10, 600, 15, 20),
    "WIL": Profile(8_000_000, 270, 700, 12, 2_100, 30, 40),
}

# Share of a year's income by stream, and the quarter's seasonal factor (Q1..Q4).
INCOME_MIX = {
    "adult": {
        "nhs_contracts": 0.27,
        "other_statutory": 0.03,
        "donations": 0.20,
        "trusts_grants": 0.04,
        "legacies": 0.17,
        "retail": 0.20,
        "lottery": 0.06,
        "investment": 0.015,
        "other": 0.015,
    },
    "children": {
        "nhs_contracts": 0.14,
        "other_statutory": 0.04,
        "donations": 0.30,
        "trusts_grants": 0.08,
        "legacies": 0.15,
        "retail": 0.18,
        "lottery": 0.07,
        "investment": 0.02,
        "other": 0.02,
    },
}
INCOME_SEASON = {
    "donations": (0.9, 0.95, 1.25, 0.9),
    "retail": (1.0, 1.0, 1.12, 0.88),
    "nhs_contracts": (0.98, 0.98, 0.98, 1.06),
}
EXPENDITURE_MIX = {"care": 0.71, "income_generation": 0.21, "support": 0.08}

# staff group: (share of headcount, FTE per head, vacancies as a share of FTE)
STAFF_MIX = {
    "medical": (0.05, 0.82, 0.08),
    "nursing": (0.25, 0.80, 0.09),
    "care_support": (0.20, 0.75, 0.07),
    "allied_health": (0.05, 0.76, 0.05),
    "psychosocial": (0.06, 0.70, 0.04),
    "income_generation": (0.24, 0.68, 0.04),
    "corporate": (0.15, 0.82, 0.03),
}

# patients by age group, and how the hospice's care runs
AGE_MIX = {
    "adult": {"under_18": 0.0, "18_to_25": 0.008, "26_plus": 0.992},
    "children": {"under_18": 0.86, "18_to_25": 0.14, "26_plus": 0.0},
}
CARE = {
    "adult": dict(
        new_share=0.55,
        occupancy=(0.78, 0.77, 0.82, 0.85),
        stay_days=12.5,
        deaths=0.36,
        contacts=3.2,
        families=0.65,
        bereavement=0.28,
    ),
    "children": dict(
        new_share=0.30,
        occupancy=(0.58, 0.62, 0.58, 0.61),
        stay_days=4.0,
        deaths=0.035,
        contacts=2.0,
        families=1.6,
        bereavement=0.25,
    ),
}
WINTER = (0.97, 0.95, 1.03, 1.06)  # admissions, deaths and caseload rise in the winter quarters


# -- the figures of one return -----------------------------------------------------------


def demo_figures(member: Member, index: int) -> dict[tuple[str, str], float]:
    """Every figure of ``member``'s return for quarter ``index``, as the template keys them."""
    rng = random.Random(f"{SEED}-{member.code}-{index}")
    profile = PROFILES[member.code]
    years = (index - FIRST_QUARTER) / 4
    season = index % 4
    figures = {}
    for part in (_income, _expenditure, _workforce, _volunteers, _capacity, _activity):
        figures.update(part(member, profile, years, season, index, rng))
    return figures


def _jitter(rng: random.Random, spread: float) -> float:
    return rng.gauss(1, spread)


def _income(member, profile, years, season, index, rng):
    quarter = profile.income * 1.04**years / 4
    figures = {}
    for stream, share in INCOME_MIX[member.type].items():
        amount = quarter * share * INCOME_SEASON.get(stream, (1, 1, 1, 1))[season]
        if stream == "legacies":
            amount *= rng.lognormvariate(-0.045, 0.3)  # a few large gifts make legacies lumpy
        elif stream == "investment":
            amount *= 1.25**years * _jitter(rng, 0.05)  # interest rates rose over these years
        else:
            amount *= _jitter(rng, 0.03 if stream == "nhs_contracts" else 0.05)
        figures[("income", stream)] = round(amount)
    return figures


def _expenditure(member, profile, years, season, index, rng):
    total = profile.income * 1.06**years / 4 * 1.02 * _jitter(rng, 0.02)  # costs outgrow income
    return {("expenditure", line): round(total * share * _jitter(rng, 0.02)) for line, share in EXPENDITURE_MIX.items()}


def _workforce(member, profile, years, season, index, rng):
    staff = profile.staff * 1.02**years
    figures = {}
    for group, (share, fte_per_head, vacancy_rate) in STAFF_MIX.items():
        headcount = max(1, round(staff * share * _jitter(rng, 0.015)))
        fte = min(headcount, round(headcount * fte_per_head * _jitter(rng, 0.015), 1))
        figures[("headcount", group)] = headcount
        figures[("fte", group)] = fte
        figures[("vacancies", group)] = round(max(0.0, fte * vacancy_rate * _jitter(rng, 0.2)), 1)
    return figures


def _volunteers(member, profile, years, season, index, rng):
    volunteers = round(profile.volunteers * 1.01**years * _jitter(rng, 0.01))
    hours = volunteers * 24 * (1.0, 1.05, 1.05, 0.9)[season] * _jitter(rng, 0.04)
    return {("volunteers", "all"): volunteers, ("volunteer_hours", "all"): round(hours)}


def _capacity(member, profile, years, season, index, rng):
    days = (quarter_end(index) - _quarter_start(index)).days + 1
    return {
        ("ipu_beds", "all"): profile.beds,
        ("ipu_bed_days_available", "all"): profile.beds * days,
        ("hah_capacity", "all"): profile.hah_capacity,
        ("day_places", "all"): profile.day_places,
    }


def _quarter_start(index: int) -> date:
    fy, quarter = split_index(index)
    return date(fy + (quarter == 4), (4, 7, 10, 1)[quarter - 1], 1)


def _activity(member, profile, years, season, index, rng):
    care = CARE[member.type]
    people = profile.people * 1.03**years
    caseload = people / (1 + 3 * care["new_share"]) * WINTER[season]  # a year = one caseload + 3 quarters' new
    bed_days = profile.beds * ((quarter_end(index) - _quarter_start(index)).days + 1)
    occupied = min(0.97, care["occupancy"][season] * _jitter(rng, 0.03)) * bed_days
    figures = {}
    for age, share in AGE_MIX[member.type].items():
        patients = round(caseload * share * _jitter(rng, 0.03))
        new = min(patients, round(patients * care["new_share"] * _jitter(rng, 0.05)))
        deaths = round(patients * care["deaths"] * _jitter(rng, 0.04))
        recorded = min(deaths, round(deaths * 0.88 * _jitter(rng, 0.03)))
        days = round(occupied * share)
        figures.update(
            {
                ("patients_supported", age): patients,
                ("new_patients", age): new,
                ("new_referrals", age): round(new * 1.15 * _jitter(rng, 0.05)),
                ("ipu_admissions", age): round(days / care["stay_days"] * WINTER[season]),
                ("ipu_occupied_bed_days", age): days,
                ("hah_visits", age): round(profile.hah_capacity * 75 * share * _jitter(rng, 0.05)),
                ("community_contacts", age): round(patients * care["contacts"] * _jitter(rng, 0.05)),
                ("day_attendances", age): round(profile.day_places * 13 * 0.72 * share * _jitter(rng, 0.05)),
                ("family_supported", age): round(patients * care["families"] * _jitter(rng, 0.05)),
                ("bereavement_clients", age): round(patients * care["bereavement"] * _jitter(rng, 0.06)),
                ("deaths", age): deaths,
                ("deaths_preference_recorded", age): recorded,
                ("deaths_in_preferred_place", age): min(recorded, round(recorded * 0.84 * _jitter(rng, 0.03))),
            }
        )
    return figures


# -- the workbooks -------------------------------------------------------------------------


def demo_members() -> list[Member]:
    return read_members_csv(MEMBERS_CSV)


def build_demo(folder: str | Path) -> list[Path]:
    """Write the demo's returns (and a copy of its members CSV) into ``folder``.

    Returns the workbooks in the order to load them: by file name, which puts
    each member's quarters in order and the original before its correction,
    then the late return from ``folder/late/``.
    """
    folder = Path(folder)
    (folder / "late").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(MEMBERS_CSV, folder / MEMBERS_CSV.name)
    register = folder / REGISTER_FOLDER / demo_register.FILE_NAME  # a sub-folder: `ingest FOLDER` never reads it
    register.parent.mkdir(exist_ok=True)
    register.write_bytes(_register_workbook())
    on_time, late = [], []
    for member in demo_members():
        for index in range(FIRST_QUARTER, LAST_QUARTER + 1):
            for name, content in _returns(member, index):
                target = folder / "late" if (member.code, index) == LATE else folder
                path = target / name
                path.write_bytes(content)
                (late if target != folder else on_time).append(path)
    return sorted(on_time) + late


def _returns(member: Member, index: int) -> list[tuple[str, bytes]]:
    """The file(s) the member sent for the quarter: (file name, bytes)."""
    fy, quarter = split_index(index)
    figures = demo_figures(member, index)
    key = (member.code, index)
    if key == RESUBMITTED:
        mistaken = {**figures, ("income", "legacies"): figures[("income", "legacies")] * 10}
        corrected = _with_notes(
            template.write_template(member, fy, quarter, figures),
            index,
            "v2 corrects legacies: v1 had an extra zero typed.",
        )
        return [
            (template.file_name(member, fy, quarter, "_v1"), template.write_template(member, fy, quarter, mistaken)),
            (template.file_name(member, fy, quarter, "_v2_corrected"), corrected),
        ]
    if key == NOT_REPORTED[:2]:
        del figures[NOT_REPORTED[2]]
        content = _with_notes(
            template.write_template(member, fy, quarter, figures),
            index,
            "Volunteer hours not available this quarter (new rota system), so left blank.",
        )
        return [(template.file_name(member, fy, quarter), content)]
    content = template.write_template(member, fy, quarter, figures)
    if key == TOLERANT:
        content = _as_typed_by_hand(content, member, index)
    return [(template.file_name(member, fy, quarter), content)]


def _edited(content: bytes, index: int, edit) -> bytes:
    book = load_workbook(io.BytesIO(content))
    edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return template.fixed_timestamps(buffer.getvalue(), quarter_end(index).strftime("%Y-%m-%dT00:00:00Z"))


def _with_notes(content: bytes, index: int, notes: str) -> bytes:
    def edit(book):
        sheet = book["Return"]
        row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Notes")
        sheet.cell(row, 2, notes)

    return _edited(content, index, edit)


INCOME_AS_TYPED = (
    "NHS income",
    "Local authority",
    "Donations",
    "Trusts and foundations",
    "Gifts in wills",
    "Shops",
    "Weekly lottery",
    "Interest",
    "Sundry income",
)


def _as_typed_by_hand(content: bytes, member: Member, index: int) -> bytes:
    """The return as a member who rebuilt it by hand might send it: synonyms, text numbers, a Total row."""

    def edit(book):
        cover = book["Return"]
        fy, quarter = split_index(index)
        cover["B4"], cover["B5"] = member.code.lower(), year_label(fy).replace("/", "-")
        cover["B6"] = f"Quarter {quarter}"
        income = book["Income"]
        income["A3"], income["B3"] = "Source", "Amount"
        total = 0
        for r, label in enumerate(INCOME_AS_TYPED, start=template.FIRST_ROW):
            amount = income.cell(r, 2).value
            total += amount
            income.cell(r, 1, label)
            income.cell(r, 2, f"£{amount:,}")
        income.cell(template.FIRST_ROW + len(INCOME_AS_TYPED), 1, "Total")
        income.cell(template.FIRST_ROW + len(INCOME_AS_TYPED), 2, f"£{total:,}")
        book["Workforce"].title = "Staffing"
        book["Staffing"]["C3"] = "WTE"
        activity = book["Activity"]
        activity["B3"], activity["C3"], activity["D3"] = "0-17", "18-25", "26+"
        volunteers = book["Volunteers"]
        volunteers["B4"] = f" {volunteers['B4'].value:,} "

    return _edited(content, index, edit)


# -- loading ---------------------------------------------------------------------------------


def load_demo(db_path=None, folder: str | Path | None = None) -> list[IngestResult]:
    """Register the demo members and load every demo return, the late one last.

    Safe to run twice: the second time every file is already loaded. Refuses
    a database that holds members other than the demo's.
    """
    _refuse_real_data(db_path)
    load_members(MEMBERS_CSV, db_path, by=SENT_BY)
    with db.connect(db_path) as con, db.transaction(con):
        settings.put(con, "collaborative_name", COLLABORATIVE_NAME, by=SENT_BY)
        settings.put(con, "demo", "yes", by=SENT_BY)
        settings.put(con, settings.DEMO_TODAY, DEMO_TODAY.isoformat(), by=SENT_BY)
        if not settings.get(con, settings.BED_DAY_COST):  # the demo's own, labelled as such; never a default
            settings.put(con, settings.BED_DAY_COST, DEMO_BED_DAY_COST, by=SENT_BY)
            settings.put(con, settings.BED_DAY_SOURCE, DEMO_BED_DAY_SOURCE, by=SENT_BY)
    if folder is not None:
        results = _ingest(build_demo(folder), db_path)
    else:
        with tempfile.TemporaryDirectory(prefix="onevoice-demo-") as scratch:
            results = _ingest(build_demo(scratch), db_path)
    _load_register(db_path)
    return results


def _register_workbook() -> bytes:
    return register_workbook(demo_register.REGISTER, {m.code: m.name for m in demo_members()}, COLLABORATIVE_NAME)


def _load_register(db_path) -> None:
    """The demo's joint work register, unless the register already has a version (edits are kept)."""
    with db.connect(db_path) as con:
        if joint_work_store.current_version(con) is not None:
            return
    result = load_register(_register_workbook(), demo_register.FILE_NAME, db_path, by=SENT_BY)
    if result.errors:  # the demo's own register: refused only if the reader and the demo disagree
        raise DemoRefused("The demo's joint work register was refused: " + "; ".join(map(str, result.errors)))


def _ingest(paths: list[Path], db_path) -> list[IngestResult]:
    received = received_dates()
    return ingest_many(((path.read_bytes(), path.name, received[path.name]) for path in paths), db_path, SENT_BY)


# -- when each return arrived ------------------------------------------------------------------
# Most returns arrive two to five weeks after the quarter ends, inside the 42 days allowed; a few
# are late; Birchwood's correction comes two months after its first (on-time) return, which stays
# on time; and seen from the demo's own day (DEMO_TODAY, in 2024/25 Q4's collection window),
# Elmfield's and Willowbank's Q4 returns have not arrived yet: they are due.

DEMO_TODAY = date(2025, 5, 6)  # the day the demo is seen from on the Data page's "This quarter" view
ARRIVES_LATE = {
    ("OAK", quarter_index(2023, 2)): 55,
    ("BIR", quarter_index(2022, 3)): 50,
    ("ELM", quarter_index(2023, 4)): 47,
}
ARRIVES_AFTER_DEMO_TODAY = {("ELM", quarter_index(2024, 4)): date(2025, 5, 9), LATE: date(2025, 5, 20)}


def _received(code: str, index: int) -> date:
    if (code, index) in ARRIVES_AFTER_DEMO_TODAY:
        return ARRIVES_AFTER_DEMO_TODAY[(code, index)]
    days = ARRIVES_LATE.get((code, index)) or random.Random(f"{SEED}-received-{code}-{index}").randint(12, 38)
    return quarter_end(index) + timedelta(days=days)


def received_dates() -> dict[str, date]:
    """File name -> the day the demo collaborative received that return."""
    out = {}
    for member in demo_members():
        for index in range(FIRST_QUARTER, LAST_QUARTER + 1):
            fy, quarter = split_index(index)
            first = _received(member.code, index)
            if (member.code, index) == RESUBMITTED:
                out[template.file_name(member, fy, quarter, "_v1")] = first
                out[template.file_name(member, fy, quarter, "_v2_corrected")] = first + timedelta(days=60)
            else:
                out[template.file_name(member, fy, quarter)] = first
    return out


def _refuse_real_data(db_path) -> None:
    demo_codes = {m.code for m in demo_members()}
    with db.connect(db_path) as con:
        others = [code for code in members.codes(con) if code not in demo_codes]
    if others:
        raise DemoRefused(
            f"{db.database_path(db_path)} already holds members that are not in the demo "
            f"({', '.join(others)}), so the demo was not loaded into it. Load the demo into a "
            "database of its own, e.g. --db data/demo.duckdb."
        )
