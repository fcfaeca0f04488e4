"""What every metric works over: a period, its members, their stored measures and coverage.

The spec's period rules (flows summed, stocks latest, ``ipu_beds`` mean,
people supported) are applied once, in ``sql/member_measures.sql``; the area
modules combine the resulting member x breakdown tables into figures with the
helpers here (:func:`additive` sums members, :func:`ratio` divides combined
sums).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import duckdb
import numpy as np
import pandas as pd

from contract.periods import Period
from metrics.blanks import blank_cells, figure_gaps
from metrics.completeness import Coverage, completeness, coverage_from, expected_members
from metrics.definitions import figure
from metrics.queries import run
from store import settings

COMBINED = "ALL"        # member_code of a combined row
STOCK_MEASURES = ["headcount", "fte", "vacancies", "volunteers", "hah_capacity", "day_places"]
MEAN_MEASURES = ["ipu_beds"]
Rows = dict[str, np.ndarray]      # one figure's rows, column by column (see rows_frame)
COLUMNS = ["member_code", "measure", "breakdown", "value", "unit", "kind", "share", "members_covered", "complete",
           "partial"]
PARTS = ["numerator", "denominator"]     # a rate's two sums, kept while members may still be grouped


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
    measures: pd.DataFrame          # member_code, measure, breakdown, value, blank_quarters (period rules applied)
    volunteer: VolunteerRate
    member_codes: list[str] = field(default_factory=list)
    blanks: dict = field(default_factory=dict)      # (measure, member, breakdown) -> quarters left blank
    inputs: dict = field(default_factory=dict)      # figure key -> ((measure, breakdowns), ...) it is built from
    _values: dict = field(default_factory=dict, repr=False)
    _reads: list = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        cover = self.coverage
        self.member_codes = sorted(set(cover.members_expected) | set(cover.members_reporting))
        rows = self.measures
        keys = zip(rows["measure"].tolist(), rows["member_code"].tolist(), rows["breakdown"].tolist())
        self._values = dict(zip(keys, rows["value"].tolist()))      # lists: far quicker to walk than Arrow strings
        if "blank_quarters" in rows:
            blank = rows[rows["blank_quarters"].notna()]
            self.blanks = blank_cells(blank["measure"].tolist(), blank["member_code"].tolist(),
                                      blank["breakdown"].tolist(), blank["blank_quarters"].tolist())

    def table(self, measure: str, breakdowns: tuple[str, ...] = ("all",)) -> pd.DataFrame:
        """One stored measure as a member x breakdown table (NaN where not reported)."""
        self._reads.append((measure, tuple(breakdowns)))
        get = self._values.get
        data = [[get((measure, code, part), np.nan) for part in breakdowns] for code in self.member_codes]
        return pd.DataFrame(np.array(data, dtype=float).reshape(len(self.member_codes), len(breakdowns)),
                            index=self.member_codes, columns=list(breakdowns))

    def take_inputs(self, key: str) -> tuple:
        """The tables read since the last figure was framed: the inputs of figure ``key``.

        Every builder reads its tables, then frames its figure once (``additive`` or
        ``ratio``), so what was read in between is what that figure is built from.
        """
        self.inputs[key], self._reads = tuple(self._reads), []
        return self.inputs[key]

    @cached_property
    def summed_cells(self) -> set[tuple[str, str, str]]:
        """The (measure, member, breakdown) cells of summed measures (flows, people) reported in the period."""
        summed = self.measures[~self.measures["measure"].isin(STOCK_MEASURES + MEAN_MEASURES)]
        return set(zip(summed["measure"].tolist(), summed["member_code"].tolist(), summed["breakdown"].tolist()))

    def quarters_in(self, code: str) -> list[int]:
        """The quarters of the period for which the member's return is in."""
        if code not in self.coverage.members_reporting:
            return []
        missing = {index for member, index in self.coverage.missing if member == code}
        return [index for index in self.period.quarters if index not in missing]


def build_scope(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None,
                hourly_rate: float | None = None, on_cost: float | None = None) -> Scope:
    """The scope of one period: its members' measures with the period rules applied, and coverage."""
    last = Period(period.last, period.last)
    return window_scopes(con, last, period.length, members, hourly_rate, on_cost)[0]


def window_scopes(con: duckdb.DuckDBPyConnection, ends: Period, span: int, members: list[str] | None = None,
                  hourly_rate: float | None = None, on_cost: float | None = None,
                  measures: list[str] | None = None) -> list[Scope]:
    """One scope per quarter of ``ends``, each the ``span`` quarters ending there, from one query.

    ``measures``: only these stored measures (default: all), for figures that need few.
    """
    expected = expected_members(con, members)
    if measures is not None and "people_supported" in measures:
        measures = [*measures, "patients_supported", "new_patients"]      # what the people rule reads
    measures = run(con, "member_measures", first_end=ends.first, last_end=ends.last, span=span,
                   members=None if members is None else expected, measures=measures,
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


def empty_scope() -> Scope:
    """A scope with no members and no measures: building a figure over it records what it reads."""
    nothing = Period(0, 0)
    columns = ["member_code", "measure", "breakdown", "value", "blank_quarters"]
    return Scope(nothing, Coverage(nothing, [], []), pd.DataFrame(columns=columns), VolunteerRate(0.0, 0.0))


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


def additive(scope: Scope, key: str, table: pd.DataFrame) -> Rows:
    """A figure that adds up across members: the combined value is the sum of the members'."""
    return frame(scope, key, table, table.sum(axis=0, min_count=1))


def ratio(scope: Scope, key: str, numerator: pd.DataFrame, denominator: pd.DataFrame) -> Rows:
    """A rate: sum of numerators / sum of denominators, never a mean of rates.

    Only cells (member x breakdown) that reported both parts count, so a member that
    left the denominator blank does not inflate the rate. With breakdowns, ``all``
    is the ratio of the paired sums over every breakdown.
    """
    both = numerator.notna() & denominator.notna()
    top, bottom = numerator.where(both), denominator.where(both)
    if list(top.columns) != ["all"]:
        top = pd.concat([top.sum(axis=1, min_count=1).rename("all"), top], axis=1)
        bottom = pd.concat([bottom.sum(axis=1, min_count=1).rename("all"), bottom], axis=1)
    combined = _divide(top.sum(axis=0, min_count=1), bottom.sum(axis=0, min_count=1))
    return frame(scope, key, _divide(top, bottom), combined, parts=(top, bottom))


def frame(scope: Scope, key: str, members: pd.DataFrame, combined: pd.Series,
          parts: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> Rows:
    """The rows of one figure, column by column: combined rows first, then each member's.

    ``parts``: a rate's (numerators, denominators) as member tables, kept in the rows'
    ``numerator`` and ``denominator`` (NaN for other figures) so that members can be
    combined again later (``metrics.groups``); figure frames leave them out.
    """
    definition = figure(key)
    breakdowns = list(members.columns)
    codes = [COMBINED] + list(members.index)
    gaps = figure_gaps(scope.take_inputs(key), definition.breakdowns, scope.blanks)
    values = _stack(combined, members, breakdowns)
    count = values.size
    totals = np.tile(values[0], len(codes))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(totals != 0, values.ravel() / totals, np.nan)
    covered, complete = _coverage_columns(scope, codes)
    return {
        "member_code": np.repeat(np.array(codes, dtype=object), len(breakdowns)),
        "measure": np.full(count, key, dtype=object),
        "breakdown": np.array(breakdowns * len(codes), dtype=object),
        "value": values.ravel(),
        "unit": np.full(count, definition.unit, dtype=object),
        "kind": np.full(count, definition.kind, dtype=object),
        "share": np.full(count, np.nan) if definition.kind == "rate" else share,
        "members_covered": np.repeat(covered, len(breakdowns)),
        "complete": np.repeat(complete, len(breakdowns)),
        "partial": _partial(gaps, codes, breakdowns),
        **_parts(parts, breakdowns, count),
    }


def _stack(combined: pd.Series, members: pd.DataFrame, breakdowns: list[str]) -> np.ndarray:
    return np.vstack([combined.reindex(breakdowns).to_numpy(dtype=float), members.to_numpy(dtype=float)])


def _parts(parts: tuple[pd.DataFrame, pd.DataFrame] | None, breakdowns: list[str], count: int) -> Rows:
    if parts is None:
        return {name: np.full(count, np.nan) for name in PARTS}
    return {name: _stack(table.sum(axis=0, min_count=1), table, breakdowns).ravel()
            for name, table in zip(PARTS, parts)}


def _partial(gaps: dict, codes: list[str], breakdowns: list[str]) -> np.ndarray:
    """True where the figure leaves out a quarter whose return is in (see ``metrics.blanks``)."""
    flags = np.zeros(len(codes) * len(breakdowns), dtype=bool)
    if gaps:
        position = {code: i for i, code in enumerate(codes)}
        column = {part: j for j, part in enumerate(breakdowns)}
        for code, part in gaps:
            if code in position and part in column:
                flags[position[code] * len(breakdowns) + column[part]] = True
                flags[column[part]] = True        # the combined row covers every member
    return flags


def rows_frame(parts: list[Rows], with_parts: bool = False) -> pd.DataFrame:
    """One tidy figure frame from the rows of several figures (built once: far quicker than concat).

    ``with_parts``: keep the rates' ``numerator`` and ``denominator`` columns too.
    """
    columns = COLUMNS + PARTS if with_parts else COLUMNS
    return pd.DataFrame({column: np.concatenate([part[column] for part in parts]) for column in columns})


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
