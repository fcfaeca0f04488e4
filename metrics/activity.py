"""Activity: people supported, referrals, inpatient stays, visits, contacts and deaths.

Every figure is by age group (``under_18``, ``18_to_25``, ``26_plus``) and in
total (``all``). People supported follows the spec's rule (first reported
quarter's patients plus later quarters' new patients), applied per age group
in ``sql/member_measures.sql``.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from contract.periods import Period
from metrics.definitions import BREAKDOWNS
from metrics.scope import Rows, Scope, additive, build_scope, rows_frame, ratio, stored

AGES = BREAKDOWNS["age group"]

# figure key -> stored measure, for the activity figures that are plain sums
FLOWS = {
    "people_supported": "people_supported",      # made by the people rule in SQL
    "new_patients": "new_patients",
    "new_referrals": "new_referrals",
    "ipu_admissions": "ipu_admissions",
    "occupied_bed_days": "ipu_occupied_bed_days",
    "hah_visits": "hah_visits",
    "community_contacts": "community_contacts",
    "day_attendances": "day_attendances",
    "family_supported": "family_supported",
    "bereavement_clients": "bereavement_clients",
    "deaths": "deaths",
    "deaths_preference_recorded": "deaths_preference_recorded",
    "deaths_in_preferred_place": "deaths_in_preferred_place",
}


def _flow(key: str):
    def build(scope: Scope) -> Rows:
        return additive(scope, key, stored(scope, key, FLOWS[key]))
    build.__name__ = key
    return build


def average_length_of_stay(scope: Scope) -> Rows:
    days, admissions = scope.table("ipu_occupied_bed_days", AGES), scope.table("ipu_admissions", AGES)
    return ratio(scope, "average_length_of_stay", days, admissions)


def preferred_place_rate(scope: Scope) -> Rows:
    achieved = scope.table("deaths_in_preferred_place", AGES)
    recorded = scope.table("deaths_preference_recorded", AGES)
    return ratio(scope, "preferred_place_rate", achieved, recorded)


BUILDERS = {key: _flow(key) for key in FLOWS}
BUILDERS["average_length_of_stay"] = average_length_of_stay
BUILDERS["preferred_place_rate"] = preferred_place_rate


def activity(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None) -> pd.DataFrame:
    """Activity figures of the period, by age group and all (figure frame columns; see ``metrics``).

    people_supported (people, unique), new_patients, new_referrals, ipu_admissions,
    occupied_bed_days (days), hah_visits, community_contacts, day_attendances,
    family_supported, bereavement_clients, deaths, deaths_preference_recorded,
    deaths_in_preferred_place (flows); average_length_of_stay (days, rate) and
    preferred_place_rate (%, rate).
    """
    scope = build_scope(con, period, members)
    return rows_frame([build(scope) for build in BUILDERS.values()])
