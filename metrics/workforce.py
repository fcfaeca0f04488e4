"""Workforce: staff headcount, FTE and vacancies by staff group; volunteers and their time.

Headcount, FTE, vacancies and volunteers are stocks at quarter end: over a
longer period each member's latest reported quarter counts, never a sum.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from contract.periods import Period
from metrics.definitions import BREAKDOWNS
from metrics.scope import Rows, Scope, additive, build_scope, rows_frame, ratio, stored, sum_of

GROUPS = BREAKDOWNS["staff group"]


def staff_headcount(scope: Scope) -> Rows:
    return additive(scope, "staff_headcount", stored(scope, "staff_headcount", "headcount"))


def staff_fte(scope: Scope) -> Rows:
    return additive(scope, "staff_fte", stored(scope, "staff_fte", "fte"))


def vacancies(scope: Scope) -> Rows:
    return additive(scope, "vacancies", stored(scope, "vacancies", "vacancies"))


def vacancy_rate(scope: Scope) -> Rows:
    vacant, fte = scope.table("vacancies", GROUPS), scope.table("fte", GROUPS)
    return ratio(scope, "vacancy_rate", vacant, fte + vacant)


def volunteers(scope: Scope) -> Rows:
    return additive(scope, "volunteers", stored(scope, "volunteers"))


def volunteer_hours(scope: Scope) -> Rows:
    return additive(scope, "volunteer_hours", stored(scope, "volunteer_hours"))


def volunteer_value_gbp(scope: Scope) -> Rows:
    # hours -> pounds: the rate and on-cost are settings, stated wherever the value is shown
    value = stored(scope, "volunteer_hours") * scope.volunteer.per_hour
    return additive(scope, "volunteer_value_gbp", value)


def staff_and_volunteers(scope: Scope) -> Rows:
    staff = stored(scope, "staff_headcount", "headcount")[["all"]]
    return additive(scope, "staff_and_volunteers", sum_of(staff, stored(scope, "volunteers")))


BUILDERS = {
    "staff_headcount": staff_headcount,
    "staff_fte": staff_fte,
    "vacancies": vacancies,
    "vacancy_rate": vacancy_rate,
    "volunteers": volunteers,
    "volunteer_hours": volunteer_hours,
    "volunteer_value_gbp": volunteer_value_gbp,
    "staff_and_volunteers": staff_and_volunteers,
}


def workforce(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None,
              hourly_rate: float | None = None, on_cost: float | None = None) -> pd.DataFrame:
    """Workforce figures of the period (figure frame columns; see ``metrics``).

    staff_headcount (people), staff_fte (FTE), vacancies (FTE): stocks by staff group and all;
    vacancy_rate (%, rate, by staff group and all); volunteers (people, stock);
    volunteer_hours (hours, flow); volunteer_value_gbp (£, flow: hours x hourly_rate x
    (1 + on_cost), from settings unless given; see ``metrics.volunteer_rate`` for the
    sentence to show beside it); staff_and_volunteers (people, stock).
    """
    scope = build_scope(con, period, members, hourly_rate, on_cost)
    return rows_frame([build(scope) for build in BUILDERS.values()])
