"""Capacity: inpatient beds and bed days, occupancy, hospice at home capacity, day places."""

from __future__ import annotations

import duckdb
import pandas as pd

from contract.periods import Period
from metrics.figure import AGES, FLOW, MEAN, STOCK, Cells, Figure
from metrics.scope import build_scope, evaluate_all

IPU_BEDS = Figure(
    "ipu_beds",
    "Inpatient beds",
    "beds",
    "capacity",
    "",
    MEAN,
    (Cells("ipu_beds"),),
    "Average inpatient beds open in the quarter; over a longer period each member's mean over its reported quarters.",
    better="higher",
)
BED_DAYS_AVAILABLE = Figure(
    "bed_days_available",
    "Inpatient bed days available",
    "days",
    "capacity",
    "",
    FLOW,
    (Cells("ipu_bed_days_available"),),
    "Sum over the days of the period of the inpatient beds open that day.",
    better="higher",
)
OCCUPANCY_RATE = Figure(
    "occupancy_rate",
    "Inpatient occupancy",
    "%",
    "capacity",
    "",
    FLOW,
    (Cells("ipu_occupied_bed_days", AGES, total=True),),
    "Occupied bed days / bed days available, over the members that reported both.",
    over=(Cells("ipu_bed_days_available"),),
    better="neither",
)
HAH_CAPACITY = Figure(
    "hah_capacity",
    "Hospice at home capacity",
    "people",
    "capacity",
    "",
    STOCK,
    (Cells("hah_capacity"),),
    "Patients the hospice at home service can support at once, from each member's latest reported quarter.",
    better="higher",
)
DAY_PLACES = Figure(
    "day_places",
    "Day service places per week",
    "places",
    "capacity",
    "",
    STOCK,
    (Cells("day_places"),),
    "Day service places offered per week, from each member's latest reported quarter.",
    better="higher",
)

FIGURES = (IPU_BEDS, BED_DAYS_AVAILABLE, OCCUPANCY_RATE, HAH_CAPACITY, DAY_PLACES)


def capacity(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None) -> pd.DataFrame:
    """Capacity figures of the period (figure frame columns; see ``metrics``).

    ipu_beds (beds, mean over each member's reported quarters), bed_days_available
    (days, flow), occupancy_rate (%, rate: occupied bed days / bed days available),
    hah_capacity (people, stock), day_places (places, stock).
    """
    return evaluate_all(build_scope(con, period, members, FIGURES), FIGURES)
