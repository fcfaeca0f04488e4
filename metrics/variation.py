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
    member: str  # a member code, or "ALL" for the collaborative
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
    member: str | None = None,
    target: float | None = None,
) -> SpcSeries:
    """The SPC chart of one figure (its "all" breakdown) quarter by quarter over ``period``.

    ``member``: one member's chart (None: the collaborative's). ``target``: the figure's target,
    for assurance (None: no assurance).
    """
    declared = declared_figure(figure)
    code = COMBINED if member is None else member.strip().upper()
    series = quarterly_series(con, declared.key, period, None if member is None else [code], "all", rolling=False)
    rows = series[series["member_code"] == COMBINED].sort_values("quarter_index").reset_index(drop=True)
    # a quarter a member's return left the figure blank, while it reports it in other quarters of the chart
    blank = not_reported(con, period, None if member is None else [code])
    blank = set(blank.loc[(blank["measure"] == declared.key) & (blank["breakdown"] == "all"), "quarter_index"])
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
