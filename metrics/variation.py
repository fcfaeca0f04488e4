"""Which quarters of a figure make its SPC chart, and the chart (``metrics.spc``).

A quarter is a point of a combined chart only when the combined figure is complete
(every member's return is in) and not partial (no member left it blank): a missing
return would look like a fall. Such a quarter is a gap, with the reason. A member's
chart uses the quarters that member's figure covers whole. The figure's direction
(``Figure.better``) says which way is good news; a target, when set, gives assurance.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from common.words import COMBINED
from contract.periods import Period
from metrics.definitions import figure as declared_figure
from metrics.figure import Figure
from metrics.figures import not_reported, quarterly_series
from metrics.spc import Chart, xmr

COLUMNS = [
    "quarter_index",
    "quarter_label",
    "value",
    "used",
    "reason",
    "mean",
    "lpl",
    "upl",
    "special_cause",
    "point_type",
]


@dataclass(frozen=True)
class SpcSeries:
    """One figure's SPC chart over quarters: ``points`` (every quarter, gaps with their reason) and the chart."""

    figure: Figure
    member: str  # the one member's code, or "ALL" for the collaborative (or the members chosen)
    points: pd.DataFrame  # COLUMNS
    chart: Chart | None  # None when no quarter can be used

    @property
    def used(self) -> int:
        """How many quarters the limits rest on."""
        return int(self.points["used"].sum())

    @property
    def provisional(self) -> bool:
        """Fewer than 13 points in a group: the limits are provisional (the spec's short-group warning)."""
        return self.chart is None or self.chart.short_group_warning


def spc_series(
    con: duckdb.DuckDBPyConnection,
    figure: Figure | str,
    period: Period,
    members: list[str] | str | None = None,
    target: float | None = None,
) -> SpcSeries:
    """The SPC chart of one figure (its "all" breakdown) quarter by quarter over ``period``.

    ``members``: the members the chart adds up (a code, a list, or None for the whole
    collaborative). ``target``: the figure's target, for assurance (None: no assurance).
    """
    declared = declared_figure(figure)
    chosen = [members] if isinstance(members, str) else members
    chosen = None if not chosen else [code.strip().upper() for code in chosen]
    return _charts(con, [declared], period, chosen, {declared.key: target})[0]


def glance(
    con: duckdb.DuckDBPyConnection,
    figures: list[Figure],
    period: Period,
    members: list[str] | None = None,
    targets: dict[str, float] | None = None,
) -> list[SpcSeries]:
    """The SPC charts of several figures at once (one query for all): "variation at a glance"."""
    return _charts(con, [declared_figure(f) for f in figures], period, members, targets or {})


def _charts(
    con: duckdb.DuckDBPyConnection,
    figures: list[Figure],
    period: Period,
    chosen: list[str] | None,
    targets: dict[str, float | None],
) -> list[SpcSeries]:
    code = chosen[0] if chosen and len(chosen) == 1 else COMBINED
    series = quarterly_series(con, [f.key for f in figures], period, chosen, "all", rolling=False)
    series = series[series["member_code"] == COMBINED]
    # a quarter a member's return left a figure blank, while it reports it in other quarters of the chart
    blanks = not_reported(con, period, chosen)
    blanks = blanks[blanks["breakdown"] == "all"]
    return [
        _chart(
            declared,
            code,
            series[series["measure"] == declared.key].sort_values("quarter_index").reset_index(drop=True),
            set(blanks.loc[blanks["measure"] == declared.key, "quarter_index"]),
            targets.get(declared.key),
        )
        for declared in figures
    ]


def _chart(declared: Figure, code: str, rows: pd.DataFrame, blank: set[int], target: float | None) -> SpcSeries:
    reasons = [_gap(row, row.quarter_index in blank) for row in rows.itertuples(index=False)]
    used = [reason is None for reason in reasons]
    points = pd.DataFrame(
        {
            "quarter_index": rows["quarter_index"].astype(int),
            "quarter_label": rows["quarter_label"],
            "value": rows["value"],
            "used": used,
            "reason": pd.Series(reasons, dtype=object),
        }
    )
    chart = None
    if any(used):
        kept = points[points["used"]]
        chart = xmr(list(kept["value"]), list(kept["quarter_index"]), direction=declared.direction, target=target)
        marks = chart.points.set_index("date")
        for column in ("mean", "lpl", "upl", "special_cause", "point_type"):
            points[column] = points["quarter_index"].map(marks[column])
    else:
        for column in ("mean", "lpl", "upl", "special_cause", "point_type"):
            points[column] = None
    return SpcSeries(declared, code, points[COLUMNS], chart)


def _gap(row, left_blank: bool) -> str | None:
    """Why a quarter is not a point of the chart, or None when it is."""
    if row.members_reporting == 0 or pd.isna(row.value):
        return "not reported"
    if not row.complete:
        return "incomplete: a member's return is missing"
    if row.partial or left_blank:
        return "partial: a member left the figure blank"
    return None
