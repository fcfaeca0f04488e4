"""Activity: people supported, referrals, inpatient stays, visits, contacts and deaths.

Every figure is by age group (``under_18``, ``18_to_25``, ``26_plus``) and in
total (``all``). People supported follows the spec's rule (first reported
quarter's patients plus later quarters' new patients), applied per age group
in the ``people_supported`` CTE of ``sql/member_measures.sql``.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from contract.periods import Period
from metrics.figure import AGES, FLOW, PEOPLE, Cells, Figure
from metrics.scope import build_scope, evaluate_all

AGE = "age group"


def _by_age(measure: str) -> tuple[Cells]:
    return (Cells(measure, AGES),)


PEOPLE_SUPPORTED = Figure(
    "people_supported",
    "People supported",
    "people",
    "activity",
    AGE,
    PEOPLE,
    _by_age("people_supported"),
    "Patients supported in each member's first reported quarter of the period plus new patients "
    "in its later quarters, so a person is not counted once per quarter.",
    better="higher",
)
NEW_PATIENTS = Figure(
    "new_patients",
    "New patients",
    "people",
    "activity",
    AGE,
    FLOW,
    _by_age("new_patients"),
    "New patients, summed over the quarters.",
    better="higher",
)
NEW_REFERRALS = Figure(
    "new_referrals",
    "New referrals accepted",
    "count",
    "activity",
    AGE,
    FLOW,
    _by_age("new_referrals"),
    "Referrals accepted, summed over the quarters.",
    better="higher",
)
IPU_ADMISSIONS = Figure(
    "ipu_admissions",
    "Inpatient admissions",
    "count",
    "activity",
    AGE,
    FLOW,
    _by_age("ipu_admissions"),
    "Admissions to inpatient units, summed over the quarters.",
    better="higher",
)
OCCUPIED_BED_DAYS = Figure(
    "occupied_bed_days",
    "Inpatient occupied bed days",
    "days",
    "activity",
    AGE,
    FLOW,
    _by_age("ipu_occupied_bed_days"),
    "Beds occupied at midnight, summed over the days of the period.",
    better="higher",
)
AVERAGE_LENGTH_OF_STAY = Figure(
    "average_length_of_stay",
    "Average length of stay",
    "days",
    "activity",
    AGE,
    FLOW,
    _by_age("ipu_occupied_bed_days"),
    "Occupied bed days / inpatient admissions, over the members that reported both.",
    over=_by_age("ipu_admissions"),
    better="neither",
)
HAH_VISITS = Figure(
    "hah_visits",
    "Hospice at home visits",
    "count",
    "activity",
    AGE,
    FLOW,
    _by_age("hah_visits"),
    "Hospice at home visits, summed over the quarters.",
    better="higher",
)
COMMUNITY_CONTACTS = Figure(
    "community_contacts",
    "Community and outpatient contacts",
    "count",
    "activity",
    AGE,
    FLOW,
    _by_age("community_contacts"),
    "Community and outpatient contacts (face to face, phone or video), summed over the quarters.",
    better="higher",
)
DAY_ATTENDANCES = Figure(
    "day_attendances",
    "Day service attendances",
    "count",
    "activity",
    AGE,
    FLOW,
    _by_age("day_attendances"),
    "Day service attendances, summed over the quarters.",
    better="higher",
)
FAMILY_SUPPORTED = Figure(
    "family_supported",
    "Family members and carers supported",
    "people",
    "activity",
    AGE,
    FLOW,
    _by_age("family_supported"),
    "Family members and carers supported in their own right, summed over the quarters.",
    better="higher",
)
BEREAVEMENT_CLIENTS = Figure(
    "bereavement_clients",
    "Bereavement support clients",
    "people",
    "activity",
    AGE,
    FLOW,
    _by_age("bereavement_clients"),
    "People who received bereavement support, summed over the quarters.",
    better="higher",
)
DEATHS = Figure(
    "deaths",
    "Patient deaths",
    "people",
    "activity",
    AGE,
    FLOW,
    _by_age("deaths"),
    "Deaths of patients on the caseload, summed over the quarters.",
    better="neither",
)
DEATHS_PREFERENCE_RECORDED = Figure(
    "deaths_preference_recorded",
    "Deaths with preferred place recorded",
    "people",
    "activity",
    AGE,
    FLOW,
    _by_age("deaths_preference_recorded"),
    "Deaths where the preferred place of death had been recorded, summed over the quarters.",
    better="higher",
)
DEATHS_IN_PREFERRED_PLACE = Figure(
    "deaths_in_preferred_place",
    "Deaths in preferred place",
    "people",
    "activity",
    AGE,
    FLOW,
    _by_age("deaths_in_preferred_place"),
    "Deaths in the place the patient said they preferred, summed over the quarters.",
    better="higher",
)
PREFERRED_PLACE_RATE = Figure(
    "preferred_place_rate",
    "Died in preferred place",
    "%",
    "activity",
    AGE,
    FLOW,
    _by_age("deaths_in_preferred_place"),
    "Deaths in preferred place / deaths with preferred place recorded, over the members that reported both.",
    over=_by_age("deaths_preference_recorded"),
    better="higher",
)

FIGURES = (
    PEOPLE_SUPPORTED,
    NEW_PATIENTS,
    NEW_REFERRALS,
    IPU_ADMISSIONS,
    OCCUPIED_BED_DAYS,
    AVERAGE_LENGTH_OF_STAY,
    HAH_VISITS,
    COMMUNITY_CONTACTS,
    DAY_ATTENDANCES,
    FAMILY_SUPPORTED,
    BEREAVEMENT_CLIENTS,
    DEATHS,
    DEATHS_PREFERENCE_RECORDED,
    DEATHS_IN_PREFERRED_PLACE,
    PREFERRED_PLACE_RATE,
)


def activity(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None) -> pd.DataFrame:
    """Activity figures of the period, by age group and all (figure frame columns; see ``metrics``).

    people_supported (people, unique), new_patients, new_referrals, ipu_admissions,
    occupied_bed_days (days), hah_visits, community_contacts, day_attendances,
    family_supported, bereavement_clients, deaths, deaths_preference_recorded,
    deaths_in_preferred_place (flows); average_length_of_stay (days, rate) and
    preferred_place_rate (%, rate).
    """
    return evaluate_all(build_scope(con, period, members, FIGURES), FIGURES)
