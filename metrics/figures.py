"""All figures at once, and any one figure quarter by quarter for charts."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from contract.periods import Period, quarter_label
from metrics.activity import BUILDERS as ACTIVITY
from metrics.capacity import BUILDERS as CAPACITY
from metrics.income import BUILDERS as INCOME
from metrics.workforce import BUILDERS as WORKFORCE
from metrics.blanks import figure_gaps
from metrics.definitions import FIGURES, figure
from metrics.scope import Scope, build_scope, rows_frame, window_scopes

_ALL_BUILDERS = {**INCOME, **WORKFORCE, **CAPACITY, **ACTIVITY}
BUILDERS = {key: _ALL_BUILDERS[key] for key in FIGURES}     # in the order definitions() lists them
ROLLING_KINDS = ("flow", "unique", "rate")


def build(scope: Scope, keys: list[str] | None = None) -> pd.DataFrame:
    """The figure frames of ``keys`` (default: every figure) over one scope."""
    return rows_frame([BUILDERS[key](scope) for key in (keys or BUILDERS)])


def figures(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None,
            hourly_rate: float | None = None, on_cost: float | None = None) -> pd.DataFrame:
    """Every figure of the period, combined ("ALL") and by member, in one figure frame.

    Columns: member_code, measure, breakdown, value, unit, kind, share, members_covered,
    complete (see ``metrics``). Figures come in the order of ``definitions()``.
    """
    return build(build_scope(con, period, members, hourly_rate, on_cost))


def quarterly_series(con: duckdb.DuckDBPyConnection, figure_key: str, period: Period,
                     members: list[str] | None = None, breakdown: str = "all",
                     hourly_rate: float | None = None, on_cost: float | None = None) -> pd.DataFrame:
    """One figure for each quarter of the period, combined ("ALL") and by member, for charts.

    Columns: member_code, measure, breakdown, quarter_index, quarter_label, value,
    rolling_4q, unit, kind, members_reporting, complete. ``rolling_4q`` is the figure
    over the four quarters ending that quarter (flows: the total; people supported:
    the spec's rule; rates: the ratio of four-quarter sums); NaN for stocks and means,
    and NaN unless every quarter of those four is in for the row's members
    (for "ALL": for every expected member) and none of them left the figure blank in
    one of those quarters while reporting it in another (``metrics.blanks``).
    """
    definition = figure(figure_key)
    quarters = [_one(scope, definition.key, breakdown) for scope in
                window_scopes(con, period, 1, members, hourly_rate, on_cost)]
    series = pd.concat(quarters, ignore_index=True)
    series["rolling_4q"] = np.nan
    if definition.kind in ROLLING_KINDS:
        rolling = pd.concat([_one(scope, definition.key, breakdown) for scope in
                             window_scopes(con, period, 4, members, hourly_rate, on_cost)], ignore_index=True)
        series["rolling_4q"] = rolling["value"].where(rolling["complete"] & ~rolling["partial"]).to_numpy()
    series["quarter_label"] = [quarter_label(int(i)) for i in series["quarter_index"]]
    columns = ["member_code", "measure", "breakdown", "quarter_index", "quarter_label", "value",
               "rolling_4q", "unit", "kind", "members_reporting", "complete"]
    return series[columns].sort_values(["member_code", "quarter_index"], key=_combined_first,
                                       ignore_index=True)


def not_reported(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None
                 ) -> pd.DataFrame:
    """The quarters a member's return is in but left a summed figure blank, one row each.

    Columns: member_code, measure, breakdown, quarter_index, quarter_label. Only figures
    that are partial (``partial`` in the figure frame) have rows: a flow, people supported
    or a rate of flows that the member reported in another quarter of the period, so its
    value for the period leaves these quarters out (``metrics.blanks``).
    """
    scope = build_scope(con, period, members)
    build(scope)
    rows = []
    for key, inputs in scope.inputs.items():
        for (code, part), quarters in figure_gaps(inputs, figure(key).breakdowns, scope.blanks).items():
            rows += [(code, key, part, index, quarter_label(index)) for index in sorted(quarters)]
    frame = pd.DataFrame(rows, columns=["member_code", "measure", "breakdown", "quarter_index", "quarter_label"])
    order = {key: i for i, key in enumerate(BUILDERS)}
    return frame.sort_values(["measure", "member_code", "breakdown", "quarter_index"],
                             key=lambda c: c.map(order) if c.name == "measure" else c, ignore_index=True)


def _one(scope: Scope, key: str, breakdown: str) -> pd.DataFrame:
    frame = build(scope, [key])
    frame = frame[frame["breakdown"] == breakdown].copy()
    if frame.empty:
        raise KeyError(f"'{breakdown}' is not a breakdown of {key}; it has "
                       f"{', '.join(['all', *figure(key).breakdowns])}")
    frame["quarter_index"] = scope.period.last
    return frame.rename(columns={"members_covered": "members_reporting"})


def _combined_first(column: pd.Series) -> pd.Series:
    if column.name == "member_code":
        return column.map(lambda code: (code != "ALL", code))
    return column
