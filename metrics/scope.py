"""What every metric works over: a period, its members, their stored measures and coverage.

The spec's period rules (flows summed, stocks latest, ``ipu_beds`` mean,
people supported) are applied once, in ``sql/member_measures.sql``; the area
modules combine the resulting member x breakdown tables into figures with the
helpers here (:func:`additive` sums members, :func:`ratio` divides combined
sums).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from contract.periods import Period
from metrics.completeness import Coverage, completeness, coverage_from, expected_members
from metrics.definitions import figure
from metrics.queries import run
from store import settings

COMBINED = "ALL"        # member_code of a combined row
STOCK_MEASURES = ["headcount", "fte", "vacancies", "volunteers", "hah_capacity", "day_places"]
MEAN_MEASURES = ["ipu_beds"]
COLUMNS = ["member_code", "measure", "breakdown", "value", "unit", "kind", "share", "members_covered", "complete"]


@dataclass(frozen=True)
class VolunteerRate:
    """How volunteer time is valued: hours x hourly rate x (1 + on-cost)."""

    hourly_rate: float
    on_cost: float

    @property
    def per_hour(self) -> float:
        return self.hourly_rate * (1 + self.on_cost)

    @property
    def assumption(self) -> str:
        return (f"Volunteer time is valued at £{self.hourly_rate:,.2f} an hour plus {self.on_cost:.0%} "
                f"on-cost (£{self.per_hour:,.2f} an hour).")


def volunteer_rate(con: duckdb.DuckDBPyConnection, hourly_rate: float | None = None,
                   on_cost: float | None = None) -> VolunteerRate:
    """The stored settings (``volunteer_hourly_rate_gbp``, ``volunteer_on_cost``) unless overridden."""
    rate = float(settings.get(con, "volunteer_hourly_rate_gbp")) if hourly_rate is None else float(hourly_rate)
    cost = float(settings.get(con, "volunteer_on_cost")) if on_cost is None else float(on_cost)
    return VolunteerRate(rate, cost)


@dataclass
class Scope:
    period: Period
    coverage: Coverage
    measures: pd.DataFrame          # member_code, measure, breakdown, value (period rules applied)
    volunteer: VolunteerRate
    _by_measure: dict = field(default_factory=dict, repr=False)
    _tables: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_measure = {name: rows for name, rows in self.measures.groupby("measure")}

    @property
    def member_codes(self) -> list[str]:
        return sorted(set(self.coverage.members_expected) | set(self.coverage.members_reporting))

    def table(self, measure: str, breakdowns: tuple[str, ...] = ("all",)) -> pd.DataFrame:
        """One stored measure as a member x breakdown table (NaN where not reported)."""
        key = (measure, breakdowns)
        if key not in self._tables:
            self._tables[key] = self._table(measure, breakdowns)
        return self._tables[key].copy()

    def _table(self, measure: str, breakdowns: tuple[str, ...]) -> pd.DataFrame:
        rows = self._by_measure.get(measure)
        if rows is None:
            return pd.DataFrame(np.nan, index=self.member_codes, columns=list(breakdowns))
        wide = rows.pivot(index="member_code", columns="breakdown", values="value")
        return wide.reindex(index=self.member_codes, columns=list(breakdowns))


def build_scope(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None,
                hourly_rate: float | None = None, on_cost: float | None = None) -> Scope:
    """The scope of one period: its members' measures with the period rules applied, and coverage."""
    last = Period(period.last, period.last)
    return window_scopes(con, last, period.length, members, hourly_rate, on_cost)[0]


def window_scopes(con: duckdb.DuckDBPyConnection, ends: Period, span: int, members: list[str] | None = None,
                  hourly_rate: float | None = None, on_cost: float | None = None) -> list[Scope]:
    """One scope per quarter of ``ends``, each the ``span`` quarters ending there, from one query."""
    expected = expected_members(con, members)
    measures = run(con, "member_measures", first_end=ends.first, last_end=ends.last, span=span,
                   members=None if members is None else expected,
                   stocks=STOCK_MEASURES, means=MEAN_MEASURES)
    grid = completeness(con, Period(ends.first - span + 1, ends.last), expected)
    rate = volunteer_rate(con, hourly_rate, on_cost)
    windows = dict(tuple(measures.groupby("window_end")))
    empty = measures.iloc[0:0]
    scopes = []
    for end in ends.quarters:
        period = Period(end - span + 1, end)
        rows = windows.get(end, empty).drop(columns="window_end")
        scopes.append(Scope(period, coverage_from(grid, period, expected), rows, rate))
    return scopes


# -- combining member tables into figure frames ------------------------------

def with_total(table: pd.DataFrame) -> pd.DataFrame:
    """Add an ``all`` column first: the sum of the breakdowns each member reported."""
    total = table.sum(axis=1, min_count=1)
    return pd.concat([total.rename("all"), table], axis=1)


def sum_of(*tables: pd.DataFrame) -> pd.DataFrame:
    """Cell-wise sum of tables, NaN only where none of them reported."""
    stacked = pd.concat(tables, keys=range(len(tables)))
    return stacked.groupby(level=1, sort=False).sum(min_count=1).reindex(tables[0].index)


def _divide(numerator, denominator):
    """numerator / denominator, NaN where the denominator is zero or not reported."""
    return numerator / denominator.where(denominator != 0)


def stored(scope: Scope, key: str, measure: str | None = None) -> pd.DataFrame:
    """A stored measure (default: the figure's own key) as the figure's table, ``all`` first."""
    breakdowns = figure(key).breakdowns
    if not breakdowns:
        return scope.table(measure or key)
    return with_total(scope.table(measure or key, breakdowns))


def additive(scope: Scope, key: str, table: pd.DataFrame) -> pd.DataFrame:
    """A figure that adds up across members: the combined value is the sum of the members'."""
    return frame(scope, key, table, table.sum(axis=0, min_count=1))


def ratio(scope: Scope, key: str, numerator: pd.DataFrame, denominator: pd.DataFrame) -> pd.DataFrame:
    """A rate: sum of numerators / sum of denominators, never a mean of rates.

    Only cells (member x breakdown) that reported both parts count, so a member that
    left the denominator blank does not inflate the rate. With breakdowns, ``all``
    is the ratio of the paired sums over every breakdown.
    """
    both = numerator.notna() & denominator.notna()
    top, bottom = numerator.where(both), denominator.where(both)
    members = _divide(top, bottom)
    combined = _divide(top.sum(axis=0, min_count=1), bottom.sum(axis=0, min_count=1))
    if list(top.columns) != ["all"]:
        member_top, member_bottom = top.sum(axis=1, min_count=1), bottom.sum(axis=1, min_count=1)
        members.insert(0, "all", _divide(member_top, member_bottom))
        totals = pd.Series([member_top.sum(min_count=1)]), pd.Series([member_bottom.sum(min_count=1)])
        combined = pd.concat([pd.Series({"all": _divide(*totals).iloc[0]}), combined])
    return frame(scope, key, members, combined)


def frame(scope: Scope, key: str, members: pd.DataFrame, combined: pd.Series) -> pd.DataFrame:
    """The tidy long frame of one figure: combined rows first, then each member's."""
    definition = figure(key)
    breakdowns = list(members.columns)
    codes = [COMBINED] + list(members.index)
    values = np.vstack([combined.reindex(breakdowns).to_numpy(dtype=float), members.to_numpy(dtype=float)])
    out = pd.DataFrame({
        "member_code": np.repeat(codes, len(breakdowns)),
        "measure": key,
        "breakdown": breakdowns * len(codes),
        "value": values.ravel(),
        "unit": definition.unit,
        "kind": definition.kind,
    })
    totals = np.tile(values[0], len(codes))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(totals != 0, out["value"].to_numpy() / totals, np.nan)
    out["share"] = np.nan if definition.kind == "rate" else share
    covered, complete = _coverage_columns(scope, codes)
    out["members_covered"] = np.repeat(covered, len(breakdowns))
    out["complete"] = np.repeat(complete, len(breakdowns))
    return out


def _coverage_columns(scope: Scope, codes: list[str]) -> tuple[list[int], list[bool]]:
    cover = scope.coverage
    reporting = set(cover.members_reporting)
    incomplete = {code for code, _ in cover.missing}
    covered = [len(reporting) if code == COMBINED else int(code in reporting) for code in codes]
    complete = [cover.complete if code == COMBINED else (code in reporting and code not in incomplete)
                for code in codes]
    return covered, complete


def value_of(frame: pd.DataFrame, measure: str, breakdown: str = "all", member_code: str = COMBINED) -> float:
    """One value out of a figure frame; NaN when the frame has no such row."""
    hit = frame[(frame["measure"] == measure) & (frame["breakdown"] == breakdown)
                & (frame["member_code"] == member_code)]
    return float(hit["value"].iloc[0]) if len(hit) else float("nan")
