"""Capacity: inpatient beds and bed days, occupancy, hospice at home capacity, day places."""

from __future__ import annotations

import duckdb
import pandas as pd

from contract.periods import Period
from metrics.definitions import BREAKDOWNS
from metrics.scope import Rows, Scope, additive, build_scope, rows_frame, ratio, stored


def ipu_beds(scope: Scope) -> Rows:
    return additive(scope, "ipu_beds", stored(scope, "ipu_beds"))


def bed_days_available(scope: Scope) -> Rows:
    return additive(scope, "bed_days_available", stored(scope, "bed_days_available", "ipu_bed_days_available"))


def occupancy_rate(scope: Scope) -> Rows:
    occupied = scope.table("ipu_occupied_bed_days", BREAKDOWNS["age group"]).sum(axis=1, min_count=1)
    available = stored(scope, "bed_days_available", "ipu_bed_days_available")
    return ratio(scope, "occupancy_rate", occupied.to_frame("all"), available)


def hah_capacity(scope: Scope) -> Rows:
    return additive(scope, "hah_capacity", stored(scope, "hah_capacity"))


def day_places(scope: Scope) -> Rows:
    return additive(scope, "day_places", stored(scope, "day_places"))


BUILDERS = {
    "ipu_beds": ipu_beds,
    "bed_days_available": bed_days_available,
    "occupancy_rate": occupancy_rate,
    "hah_capacity": hah_capacity,
    "day_places": day_places,
}


def capacity(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None) -> pd.DataFrame:
    """Capacity figures of the period (figure frame columns; see ``metrics``).

    ipu_beds (beds, mean over each member's reported quarters), bed_days_available
    (days, flow), occupancy_rate (%, rate: occupied bed days / bed days available),
    hah_capacity (people, stock), day_places (places, stock).
    """
    scope = build_scope(con, period, members)
    return rows_frame([build(scope) for build in BUILDERS.values()])
