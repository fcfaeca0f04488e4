"""What every metric works over: a period, its members, their stored measures and coverage.

The spec's period rules (flows summed, stocks latest, ``ipu_beds`` mean,
people supported) are applied once, in ``sql/member_measures.sql``, to the
stored measures the figures asked for; :func:`evaluate` then turns one
figure's declaration (``metrics.figure``) into its rows: :func:`additive` sums
members, :func:`ratio` divides combined sums.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import duckdb
import numpy as np
import pandas as pd

from common.words import COMBINED
from contract.periods import Period
from metrics.blanks import Gaps, blank_cells, figure_gaps
from metrics.completeness import Coverage, completeness, coverage_from, expected_members
from metrics.figure import MEAN, STOCK, Cells, Figure, Rule
from metrics.queries import run
from store import settings

SUMMED_RULES = ("flow", "people_supported")  # the period rules that add quarters up (metrics.figure)
Rows = dict[str, np.ndarray]  # one figure's rows, column by column (see rows_frame)
COLUMNS = [
    "member_code",
    "measure",
    "breakdown",
    "value",
    "unit",
    "kind",
    "share",
    "members_covered",
    "complete",
    "partial",
]
PARTS = ["numerator", "denominator"]  # a rate's two sums, kept while members may still be grouped


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
        return (
            f"Volunteer time is valued at £{self.hourly_rate:,.2f} an hour plus {self.on_cost:.0%} "
            f"on-cost (£{self.per_hour:,.2f} an hour)."
        )


def volunteer_rate(
    con: duckdb.DuckDBPyConnection, hourly_rate: float | None = None, on_cost: float | None = None
) -> VolunteerRate:
    """The stored settings (``volunteer_hourly_rate_gbp``, ``volunteer_on_cost``) unless overridden."""
    rate = float(settings.get(con, "volunteer_hourly_rate_gbp")) if hourly_rate is None else float(hourly_rate)
    cost = float(settings.get(con, "volunteer_on_cost")) if on_cost is None else float(on_cost)
    return VolunteerRate(rate, cost)


@dataclass
class Scope:
    """One period's stored measures, each member's cells with the period rules applied, and coverage."""

    period: Period
    coverage: Coverage
    measures: pd.DataFrame  # member_code, measure, breakdown, value, rule, blank_quarters
    volunteer: VolunteerRate
    cells: pd.DataFrame | None = None  # rates' inputs quarter by quarter: member_code, quarter_index, measure, ...
    member_codes: list[str] = field(default_factory=list)
    blanks: dict = field(default_factory=dict)  # (measure, member, breakdown) -> quarters left blank
    _values: dict = field(default_factory=dict, repr=False)
    _rates: dict = field(default_factory=dict, repr=False)  # figure key -> (numerators, denominators, gaps)

    def __post_init__(self) -> None:
        cover = self.coverage
        self.member_codes = sorted(set(cover.members_expected) | set(cover.members_reporting))
        rows = self.measures
        keys = zip(rows["measure"].tolist(), rows["member_code"].tolist(), rows["breakdown"].tolist())
        self._values = dict(zip(keys, rows["value"].tolist()))  # lists: far quicker to walk than Arrow strings
        blank = rows[rows["blank_quarters"].notna()]
        self.blanks = blank_cells(
            blank["measure"].tolist(),
            blank["member_code"].tolist(),
            blank["breakdown"].tolist(),
            blank["blank_quarters"].tolist(),
        )

    def table(self, cells: Cells) -> pd.DataFrame:
        """Stored cells as a member x breakdown table (NaN where not reported); ``all`` only if totalled."""
        get = self._values.get
        parts = cells.parts
        data = [[get((cells.measure, code, part), np.nan) for part in parts] for code in self.member_codes]
        table = pd.DataFrame(
            np.array(data, dtype=float).reshape(len(self.member_codes), len(parts)),
            index=self.member_codes,
            columns=list(parts),
        )
        return table.sum(axis=1, min_count=1).to_frame("all") if cells.total else table

    def gaps(self, figure: Figure) -> Gaps:
        """Where the figure is partial: (member, breakdown) -> the quarters whose return is in that it lacks.

        Any figure: a cell it reads that the member reported in some quarters of the period
        and left blank in another (``metrics.blanks``). A rate also: a quarter in which one
        of its sides is reported and the other is blank (:func:`rate_sides`).
        """
        gaps = figure_gaps(figure, self.blanks)
        if not figure.over:
            return gaps
        merged = {key: set(quarters) for key, quarters in gaps.items()}
        for key, quarters in rate_sides(self, figure)[2].items():
            merged.setdefault(key, set()).update(quarters)
        return merged

    def quarter_array(self, cells: Cells) -> np.ndarray:
        """Stored cells quarter by quarter: a row per member-quarter whose return is in (``quarter_rows``),
        a column per breakdown (one ``all`` column if totalled); NaN where not reported."""
        get = self._quarter_values.get
        parts = cells.parts
        rows = self.quarter_rows
        data = np.array(
            [[get((cells.measure, code, quarter, part), np.nan) for part in parts] for code, quarter in rows],
            dtype=float,
        ).reshape(len(rows), len(parts))
        return _total(data) if cells.total else data

    @cached_property
    def _quarter_values(self) -> dict[tuple[str, str, int, str], float]:
        """(measure, member, quarter, breakdown) -> value of the cells rates read (lists: quick to walk)."""
        rows = self.cells
        keys = zip(
            rows["measure"].tolist(),
            rows["member_code"].tolist(),
            rows["quarter_index"].tolist(),
            rows["breakdown"].tolist(),
        )
        return dict(zip(keys, rows["value"].tolist()))

    @cached_property
    def quarter_rows(self) -> list[tuple[str, int]]:
        """Each member-quarter whose return is in, member by member (in ``members_reporting`` order), by quarter."""
        return [(code, quarter) for code in self.coverage.members_reporting for quarter in self.quarters_in(code)]

    @cached_property
    def summed_cells(self) -> set[tuple[str, str, str]]:
        """The (measure, member, breakdown) cells of summed measures (flows, people) reported in the period."""
        summed = self.measures[self.measures["rule"].isin(SUMMED_RULES)]
        return set(zip(summed["measure"].tolist(), summed["member_code"].tolist(), summed["breakdown"].tolist()))

    def quarters_in(self, code: str) -> list[int]:
        """The quarters of the period for which the member's return is in."""
        if code not in self.coverage.members_reporting:
            return []
        owed_but_absent = {
            index for member, index in [*self.coverage.missing, *self.coverage.not_required] if member == code
        }
        return [index for index in self.period.quarters if index not in owed_but_absent]


def build_scope(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    members: list[str] | None,
    figures: Iterable[Figure],
    hourly_rate: float | None = None,
    on_cost: float | None = None,
) -> Scope:
    """The scope of one period: what ``figures`` read, with the period rules applied, and coverage."""
    last = Period(period.last, period.last)
    return window_scopes(con, last, period.length, members, figures, hourly_rate, on_cost)[0]


def window_scopes(
    con: duckdb.DuckDBPyConnection,
    ends: Period,
    span: int,
    members: list[str] | None,
    figures: Iterable[Figure],
    hourly_rate: float | None = None,
    on_cost: float | None = None,
) -> list[Scope]:
    """One scope per quarter of ``ends``, each the ``span`` quarters ending there, from one query.

    Only the stored measures ``figures`` read are fetched, each under its figure's period rule.
    """
    figures = list(figures)
    expected = expected_members(con, members)
    measures = run(
        con,
        "member_measures",
        first_end=ends.first,
        last_end=ends.last,
        span=span,
        members=None if members is None else expected,
        measures=sorted(set().union(*(f.stored_measures for f in figures))),
        stocks=_measures_under(STOCK, figures),
        means=_measures_under(MEAN, figures),
    )
    rate_measures = sorted({cells.measure for f in figures if f.over for cells in f.inputs})
    if rate_measures:
        quarter_cells = run(
            con,
            "quarter_cells",
            first_end=ends.first,
            last_end=ends.last,
            span=span,
            members=None if members is None else expected,
            measures=rate_measures,
        )
    else:  # no rate to pair: nothing to fetch quarter by quarter
        quarter_cells = pd.DataFrame(
            columns=["window_end", "member_code", "quarter_index", "measure", "breakdown", "value"]
        )
    by_window = dict(tuple(quarter_cells.groupby("window_end")))
    grid = completeness(con, Period(ends.first - span + 1, ends.last), expected)
    rate = volunteer_rate(con, hourly_rate, on_cost)
    windows = dict(tuple(measures.groupby("window_end")))
    empty = measures.iloc[0:0]
    scopes = []
    for end in ends.quarters:
        period = Period(end - span + 1, end)
        rows = windows.get(end, empty).drop(columns="window_end")
        cells = by_window.get(end, quarter_cells.iloc[0:0]).drop(columns="window_end")
        scopes.append(Scope(period, coverage_from(grid, period, expected), rows, rate, cells))
    return scopes


def _measures_under(rule: Rule, figures: list[Figure]) -> list[str]:
    return sorted({measure for f in figures if f.rule == rule for measure in f.stored_measures})


# -- evaluating a declaration --------------------------------------------------


def evaluate(scope: Scope, figure: Figure) -> Rows:
    """One figure's rows over a scope, as its declaration says (``metrics.figure``).

    The cells it ``reads`` are added up cell by cell (NaN only where none was reported);
    a figure with breakdowns gains ``all``, the sum of its breakdowns. A rate divides that
    by the sum of its ``over`` cells, where every one of them was reported.
    """
    top = _sum(scope.table(cells) for cells in figure.reads)
    if figure.per_hour:
        top = top * scope.volunteer.per_hour  # the rate and on-cost are settings, stated beside the value
    if figure.over:
        numerators, denominators, _ = rate_sides(scope, figure)
        return ratio(scope, figure, numerators, denominators)
    if list(top.columns) != ["all"]:
        top = with_total(top)
    return additive(scope, figure, top)


def rate_sides(scope: Scope, figure: Figure) -> tuple[pd.DataFrame, pd.DataFrame, Gaps]:
    """A rate's two sides for each member (member x breakdown tables), and its one-sided quarters.

    Both sides are taken over the same member-quarters: those whose return reported both
    (the spec's "Metric rules"). Under the flow rule they are summed over those quarters;
    under the stock rule each member's latest such quarter counts. A side made of several
    stored cells adds them up: the numerator where any is reported, the denominator
    (FTE + vacancies) only where all are. ``gaps``: (member, breakdown) -> the quarters
    whose return is in where one side is reported and the other blank; they are left out
    of both sides, and make the rate partial.
    """
    if figure.key in scope._rates:
        return scope._rates[figure.key]
    if scope.cells is None:  # a scope built without quarter cells: no rate can be paired
        raise ValueError(f"{figure.key} needs its cells quarter by quarter; build the scope with window_scopes")
    tops = [scope.quarter_array(cells) for cells in figure.reads]
    top = tops[0] if len(tops) == 1 else _total(np.stack(tops), axis=0)
    bottoms = [scope.quarter_array(cells) for cells in figure.over]
    bottom = functools.reduce(operator.add, bottoms)  # FTE + vacancies: only where both are reported
    both = ~np.isnan(top) & ~np.isnan(bottom)
    # one-sided: something of the rate is reported in the quarter, but not both whole sides
    # (FTE reported with vacancies blank is as one-sided as vacancies with FTE blank)
    anything = ~np.isnan(top) | functools.reduce(operator.or_, (~np.isnan(b) for b in bottoms))
    one_sided = anything & ~both
    rows = scope.quarter_rows
    reporting = list(dict.fromkeys(code for code, _ in rows))
    starts = np.array([i for i, (code, _) in enumerate(rows) if i == 0 or rows[i - 1][0] != code], dtype=int)
    parts = list(figure.reads[0].parts) if not figure.reads[0].total else ["all"]
    if rows:
        if figure.rule == STOCK:  # each member's latest quarter that reported both sides
            latest = np.maximum.reduceat(np.where(both, np.arange(len(rows))[:, None], -1), starts, axis=0)
            column = np.arange(top.shape[1])[None, :]
            sides = [np.where(latest >= 0, side[np.maximum(latest, 0), column], np.nan) for side in (top, bottom)]
        else:  # summed over the quarters that reported both sides
            counted = np.add.reduceat(both.astype(int), starts, axis=0)
            sides = [
                np.where(counted > 0, np.add.reduceat(np.where(both, side, 0.0), starts, axis=0), np.nan)
                for side in (top, bottom)
            ]
    else:
        sides = [np.empty((0, len(parts))), np.empty((0, len(parts)))]
    numerators, denominators = (
        pd.DataFrame(side, index=reporting, columns=parts).reindex(scope.member_codes) for side in sides
    )
    gaps: Gaps = {}
    for row, column in np.argwhere(one_sided):
        code, quarter = rows[row]
        gaps.setdefault((code, parts[column]), set()).add(int(quarter))
        gaps.setdefault((code, "all"), set()).add(int(quarter))
    scope._rates[figure.key] = numerators, denominators, gaps
    return scope._rates[figure.key]


def _total(values: np.ndarray, axis: int = 1) -> np.ndarray:
    """Add up along ``axis``: NaN only where every value is NaN (a total of what was reported)."""
    summed = np.where(np.isnan(values).all(axis=axis), np.nan, np.nansum(values, axis=axis))
    return summed[:, None] if axis == 1 else summed


def evaluate_all(scope: Scope, figures: Iterable[Figure], with_parts: bool = False) -> pd.DataFrame:
    """The figure frame of several figures over one scope, in the order given.

    ``with_parts``: keep the rates' numerator and denominator (for ``metrics.groups``).
    """
    return rows_frame([evaluate(scope, figure) for figure in figures], with_parts)


def _sum(tables: Iterable[pd.DataFrame]) -> pd.DataFrame:
    tables = list(tables)
    return tables[0] if len(tables) == 1 else sum_of(*tables)


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


def additive(scope: Scope, figure: Figure, table: pd.DataFrame) -> Rows:
    """A figure that adds up across members: the combined value is the sum of the members'."""
    return frame(scope, figure, table, table.sum(axis=0, min_count=1))


def ratio(scope: Scope, figure: Figure, numerator: pd.DataFrame, denominator: pd.DataFrame) -> Rows:
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
    return frame(scope, figure, _divide(top, bottom), combined, parts=(top, bottom))


def frame(
    scope: Scope,
    figure: Figure,
    members: pd.DataFrame,
    combined: pd.Series,
    parts: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> Rows:
    """The rows of one figure, column by column: combined rows first, then each member's.

    ``parts``: a rate's (numerators, denominators) as member tables, kept in the rows'
    ``numerator`` and ``denominator`` (NaN for other figures) so that members can be
    combined again later (``metrics.groups``); figure frames leave them out.
    """
    breakdowns = list(members.columns)
    codes = [COMBINED] + list(members.index)
    gaps = scope.gaps(figure)
    values = _stack(combined, members, breakdowns)
    count = values.size
    totals = np.tile(values[0], len(codes))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(totals != 0, values.ravel() / totals, np.nan)
    covered, complete = _coverage_columns(scope, codes)
    return {
        "member_code": np.repeat(np.array(codes, dtype=object), len(breakdowns)),
        "measure": np.full(count, figure.key, dtype=object),
        "breakdown": np.array(breakdowns * len(codes), dtype=object),
        "value": values.ravel(),
        "unit": np.full(count, figure.unit, dtype=object),
        "kind": np.full(count, figure.kind, dtype=object),
        "share": np.full(count, np.nan) if figure.kind == "rate" else share,
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
    return {
        name: _stack(table.sum(axis=0, min_count=1), table, breakdowns).ravel() for name, table in zip(PARTS, parts)
    }


def _partial(gaps: dict, codes: list[str], breakdowns: list[str]) -> np.ndarray:
    """True where the figure leaves out a quarter whose return is in (see ``metrics.blanks``)."""
    flags = np.zeros(len(codes) * len(breakdowns), dtype=bool)
    if gaps:
        position = {code: i for i, code in enumerate(codes)}
        column = {part: j for j, part in enumerate(breakdowns)}
        for code, part in gaps:
            if code in position and part in column:
                flags[position[code] * len(breakdowns) + column[part]] = True
                flags[column[part]] = True  # the combined row covers every member
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
    complete = [
        cover.complete if code == COMBINED else (code in reporting and code not in incomplete) for code in codes
    ]
    return covered, complete


def value_of(frame: pd.DataFrame, figure: Figure | str, breakdown: str = "all", member_code: str = COMBINED) -> float:
    """One value of a figure (its declaration or its key) out of a figure frame; NaN when there is no such row."""
    key = figure.key if isinstance(figure, Figure) else figure
    hit = frame[(frame["measure"] == key) & (frame["breakdown"] == breakdown) & (frame["member_code"] == member_code)]
    return float(hit["value"].iloc[0]) if len(hit) else float("nan")
