"""Settings stored with the data, so every page, export and command sees the same."""

from __future__ import annotations

import duckdb

from common.errors import SettingError
from store.events import log_event

BED_DAY_COST = "nhs_bed_day_cost_gbp"  # what an NHS bed day costs, to value the days members provide
BED_DAY_SOURCE = "nhs_bed_day_cost_source"  # ... where that cost comes from (required with a cost)
BED_DAY_YEAR = "nhs_bed_day_cost_year"  # ... and its year

DEMO_TODAY = "demo_today"
DUE_DAYS = "return_due_days"  # a quarter's returns are due this many days after its last day

DEFAULTS = {
    DUE_DAYS: "42",
    "collaborative_name": "Our hospice collaborative",
    "volunteer_hourly_rate_gbp": "12.21",  # National Living Wage from April 2025
    "volunteer_on_cost": "0.30",  # employer costs on top of the hourly rate
    "nhs_bed_day_cost_gbp": "",  # no default: a cost is shown only with the source the coordinator gives
    "nhs_bed_day_cost_source": "",
    "nhs_bed_day_cost_year": "",
    "demo": "",  # "yes" when the database holds the demo collaborative
    "demo_today": "",  # the demo's own day, for the "This quarter" view (YYYY-MM-DD)
    "backups_kept": "14",  # how many automatic backups to keep (store/backup.py); a person's own are never deleted
}


SHOWN = (
    "collaborative_name",
    "return_due_days",
    "volunteer_hourly_rate_gbp",
    "volunteer_on_cost",
    "nhs_bed_day_cost_gbp",
    "nhs_bed_day_cost_source",
    "nhs_bed_day_cost_year",
)  # what `loaders settings` prints


def get(con: duckdb.DuckDBPyConnection, key: str) -> str:
    row = con.execute("select value from settings where key = $1", [key]).fetchone()
    return row[0] if row and row[0] is not None else DEFAULTS.get(key, "")


TARGET = "target_"  # a figure's target for SPC assurance is the setting target_<figure key>


def targets(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Figure key -> the target the coordinator set for it (figures with none are left out)."""
    rows = con.execute("select key, value from settings where key like 'target_%' and value <> ''").fetchall()
    return {key.removeprefix(TARGET): float(value) for key, value in rows}


def put(con: duckdb.DuckDBPyConnection, key: str, value: str, by: str | None = None) -> None:
    if get(con, key) == value:
        return
    con.execute("insert or replace into settings values ($1, $2)", [key, value])
    log_event(con, "setting changed", detail=f"{key} = {value}", by=by)


def checked_bed_day_cost(con: duckdb.DuckDBPyConnection, given: dict[str, str]) -> dict[str, str]:
    """The bed-day settings to store from what a person typed (``BED_DAY_*`` key -> text).

    A cost is an amount above zero (``£400``, ``1,250.50``) or blank for none; a cost is never
    stored without a source, so nobody reads it as a fact. Raises :class:`SettingError`.
    """
    out = {key: " ".join(str(value).split()) for key, value in given.items()}
    if out.get(BED_DAY_COST):
        text = out[BED_DAY_COST]
        try:
            cost = float(text.replace("£", "").replace(",", ""))
        except ValueError:
            cost = 0.0
        if not cost > 0 or cost == float("inf"):
            raise SettingError(f"The bed-day cost should be an amount above zero, like 400 (not '{text}').")
        out[BED_DAY_COST] = f"{cost:g}"
    cost_set = out.get(BED_DAY_COST, get(con, BED_DAY_COST))
    if cost_set and not out.get(BED_DAY_SOURCE, get(con, BED_DAY_SOURCE)):
        raise SettingError(
            "A bed-day cost needs its source (and year), so nobody reads it as a fact: say where it comes from."
        )
    return out


def checked_due_days(text: str) -> str:
    """``return_due_days`` as typed: a whole number of days from 0 to 365. Raises :class:`SettingError`."""
    cleaned = str(text).strip()
    if not cleaned.isdigit() or int(cleaned) > 365:
        raise SettingError(f"Returns are due a whole number of days after the quarter ends, 0 to 365 (not '{text}').")
    return str(int(cleaned))
