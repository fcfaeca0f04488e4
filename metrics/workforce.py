"""Workforce: staff headcount, FTE and vacancies by staff group; volunteers and their time.

Headcount, FTE, vacancies and volunteers are stocks at quarter end: over a
longer period each member's latest reported quarter counts, never a sum.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from contract.periods import Period
from metrics.figure import FLOW, GROUPS, STOCK, Cells, Figure
from metrics.scope import build_scope, evaluate_all

STAFF_HEADCOUNT = Figure(
    "staff_headcount",
    "Staff headcount",
    "people",
    "workforce",
    "staff group",
    STOCK,
    (Cells("headcount", GROUPS),),
    "People employed at quarter end, from each member's latest reported quarter in the period.",
    better="higher",
)
STAFF_FTE = Figure(
    "staff_fte",
    "Staff FTE",
    "FTE",
    "workforce",
    "staff group",
    STOCK,
    (Cells("fte", GROUPS),),
    "Full-time equivalent staff at quarter end, from each member's latest reported quarter in the period.",
    better="higher",
)
VACANCIES = Figure(
    "vacancies",
    "Vacancies (FTE)",
    "FTE",
    "workforce",
    "staff group",
    STOCK,
    (Cells("vacancies", GROUPS),),
    "Funded posts not filled at quarter end, in FTE, from each member's latest reported quarter.",
    better="lower",
)
VACANCY_RATE = Figure(
    "vacancy_rate",
    "Vacancy rate",
    "%",
    "workforce",
    "staff group",
    STOCK,
    (Cells("vacancies", GROUPS),),
    "Vacancies / (FTE + vacancies), over the staff groups and members that reported both.",
    over=(Cells("fte", GROUPS), Cells("vacancies", GROUPS)),
    better="lower",
)
VOLUNTEERS = Figure(
    "volunteers",
    "Active volunteers",
    "people",
    "workforce",
    "",
    STOCK,
    (Cells("volunteers"),),
    "Active volunteers at quarter end, from each member's latest reported quarter in the period.",
    better="higher",
)
VOLUNTEER_HOURS = Figure(
    "volunteer_hours",
    "Volunteer hours",
    "hours",
    "workforce",
    "",
    FLOW,
    (Cells("volunteer_hours"),),
    "Hours given by volunteers, summed over the quarters of the period.",
    better="higher",
)
VOLUNTEER_VALUE_GBP = Figure(
    "volunteer_value_gbp",
    "Estimated value of volunteer time",
    "£",
    "workforce",
    "",
    FLOW,
    (Cells("volunteer_hours"),),
    "Volunteer hours x the hourly rate x (1 + on-cost); the rate and on-cost are settings, stated beside the value.",
    per_hour=True,
    better="higher",
)
STAFF_AND_VOLUNTEERS = Figure(
    "staff_and_volunteers",
    "Staff and volunteers",
    "people",
    "workforce",
    "",
    STOCK,
    (Cells("headcount", GROUPS, total=True), Cells("volunteers")),
    "Staff headcount plus active volunteers, each from the member's latest reported quarter.",
    better="higher",
)

FIGURES = (
    STAFF_HEADCOUNT,
    STAFF_FTE,
    VACANCIES,
    VACANCY_RATE,
    VOLUNTEERS,
    VOLUNTEER_HOURS,
    VOLUNTEER_VALUE_GBP,
    STAFF_AND_VOLUNTEERS,
)


def workforce(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    members: list[str] | None = None,
    hourly_rate: float | None = None,
    on_cost: float | None = None,
) -> pd.DataFrame:
    """Workforce figures of the period (figure frame columns; see ``metrics``).

    staff_headcount (people), staff_fte (FTE), vacancies (FTE): stocks by staff group and all;
    vacancy_rate (%, rate, by staff group and all); volunteers (people, stock);
    volunteer_hours (hours, flow); volunteer_value_gbp (£, flow: hours x hourly_rate x
    (1 + on_cost), from settings unless given; see ``metrics.volunteer_rate`` for the
    sentence to show beside it); staff_and_volunteers (people, stock).
    """
    return evaluate_all(build_scope(con, period, members, FIGURES, hourly_rate, on_cost), FIGURES)
