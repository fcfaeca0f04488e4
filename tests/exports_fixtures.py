"""Data for the export tests: the demo collaborative (loaded once per test process) and a tiny store.

The demo goes through the real template and ingest, so its provenance (file
names, SHA-256) is real; the tiny store holds a few hand-picked figures,
including small counts of people, with a member-quarter missing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from contract.periods import Period
from exports.data import ExportData, gather
from store import db, settings
from tests.demo_db import demo_database
from tests.metrics_fixtures import MetricsStore

FIXED_NOW = datetime(2025, 5, 6, 9, 30)


def demo_path() -> Path:
    """The demo collaborative's database, built once per test process (``tests.demo_db``); never written to."""
    return demo_database()


# AAA reports 2024/25 Q1 and Q2; BBB only Q1: BBB 2024/25 Q2 is missing.
SMALL = {
    ("AAA", "2024/25 Q1"): {
        "income/nhs_contracts": 300_000,
        "income/donations": 200_000,
        "headcount/nursing": 40,
        "fte/nursing": 30.5,
        "vacancies/nursing": 2,
        "volunteers": 6,
        "volunteer_hours": 900,
        "ipu_beds": 10,
        "ipu_bed_days_available": 910,
        "ipu_occupied_bed_days/26_plus": 700,
        "ipu_admissions/26_plus": 50,
        "patients_supported/26_plus": 212,
        "patients_supported/18_to_25": 3,
        "new_patients/26_plus": 150,
        "new_patients/18_to_25": 2,
        "deaths/26_plus": 40,
        "deaths/18_to_25": 2,
        "deaths_preference_recorded/26_plus": 36,
        "deaths_preference_recorded/18_to_25": 2,
        "deaths_in_preferred_place/26_plus": 30,
        "deaths_in_preferred_place/18_to_25": 1,
    },
    ("AAA", "2024/25 Q2"): {
        "income/nhs_contracts": 310_000,
        "income/donations": 190_000,
        "headcount/nursing": 42,
        "fte/nursing": 31.5,
        "vacancies/nursing": 1,
        "volunteers": 7,
        "volunteer_hours": 950,
        "patients_supported/26_plus": 220,
        "new_patients/26_plus": 158,
    },
    ("BBB", "2024/25 Q1"): {
        "income/nhs_contracts": 50_000,
        "income/legacies": 90_000,
        "headcount/nursing": 5,
        "fte/nursing": 4.0,
        "volunteers": 0,
        "patients_supported/26_plus": 8,
        "new_patients/26_plus": 8,
        "deaths/26_plus": 0,
        "bereavement_clients/26_plus": 12,
    },
}


def small_path(folder: Path) -> Path:
    """A two-member store (AAA, BBB) with :data:`SMALL`'s returns."""
    path = folder / "small.duckdb"
    store = MetricsStore(path, ["AAA", "BBB"])
    with store.batch():
        for (code, period), values in SMALL.items():
            store.add(code, period, values)
    with db.connect(path) as con:
        settings.put(con, "collaborative_name", "Test Collaborative")
    return path


def export_data(path: Path, period: str, members: list[str] | None = None, suppress: bool = False) -> ExportData:
    with db.connect(path) as con:
        return gather(con, Period.parse(period), members, suppress, now=FIXED_NOW)
