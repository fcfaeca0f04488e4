"""All figures at once, and any one figure quarter by quarter for charts."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from common.words import UNNAMED
from contract.periods import Period, quarter_label
from metrics.definitions import FIGURES, figure
from metrics.figure import Figure
from metrics.groups import top_members
from metrics.scope import COMBINED, Scope, build_scope, evaluate_all, window_scopes

ROLLING_KINDS = ("flow", "unique", "rate")


def every_figure(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    members: list[str] | None = None,
    hourly_rate: float | None = None,
    on_cost: float | None = None,
) -> Scope:
    """The scope every figure is computed over (for ``summary`` and ``change``)."""
    return build_scope(con, period, members, FIGURES.values(), hourly_rate, on_cost)


def build(scope: Scope, keys: list[str] | None = None, with_parts: bool = False) -> pd.DataFrame:
    """The figure frames of ``keys`` (default: every figure, in the order of ``definitions()``) over one scope.

    ``with_parts``: keep the rates' numerator and denominator (for ``metrics.groups``).
    """
    return evaluate_all(scope, [figure(key) for key in keys] if keys else FIGURES.values(), with_parts)


def figures(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    members: list[str] | None = None,
    hourly_rate: float | None = None,
    on_cost: float | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Every figure of the period, combined ("ALL") and by member, in one figure frame.

    Columns: member_code, measure, breakdown, value, unit, kind, share, members_covered,
    complete, partial (see ``metrics``). Figures come in the order of ``definitions()``.
    ``top``: for charts, past ``top + 2`` members keep only each figure's ``top`` largest
    members and add the rest together in one "OTHERS" row (``metrics.groups``).
    """
    frame = build(every_figure(con, period, members, hourly_rate, on_cost), with_parts=top is not None)
    return frame if top is None else top_members(frame, top)


def quarterly_series(
    con: duckdb.DuckDBPyConnection,
    figure_key: str | list[str],
    period: Period,
    members: list[str] | None = None,
    breakdown: str | None = "all",
    hourly_rate: float | None = None,
    on_cost: float | None = None,
    *,
    rolling: bool = True,
    top: int | None = None,
) -> pd.DataFrame:
    """One figure (or several) for each quarter of the period, combined ("ALL") and by member, for charts.

    Columns: member_code, measure, breakdown, quarter_index, quarter_label, value,
    rolling_4q, unit, kind, members_reporting, complete. ``rolling_4q`` is the figure
    over the four quarters ending that quarter (flows: the total; people supported:
    the spec's rule; rates: the ratio of four-quarter sums); NaN for stocks and means,
    and NaN unless every quarter of those four is in for the row's members
    (for "ALL": for every expected member) and none of them left the figure blank in
    one of those quarters while reporting it in another (``metrics.blanks``).

    ``figure_key``: a figure, or a list of figures in one frame (``measure`` tells them
    apart). ``breakdown``: one breakdown, or None for every breakdown ("all" first).
    ``rolling=False`` leaves ``rolling_4q`` NaN and skips its work (charts do not draw
    it). ``top``: past ``top + 2`` members keep each figure's ``top`` largest members
    (over the whole period) and add the rest together in one "OTHERS" row a quarter
    (``metrics.groups``). The stored measures are read once for every figure asked for.
    """
    keys = [figure(figure_key).key] if isinstance(figure_key, (str, Figure)) else [figure(k).key for k in figure_key]
    for key in keys:
        _check_breakdown(key, breakdown)
    needed = [figure(key) for key in keys]
    scopes = window_scopes(con, period, 1, members, needed, hourly_rate, on_cost)
    series = pd.concat([_quarter(scope, keys, breakdown, top is not None) for scope in scopes], ignore_index=True)
    series["rolling_4q"] = np.nan
    rolled = [key for key in keys if figure(key).kind in ROLLING_KINDS]
    if rolling and rolled:
        series = _with_rolling(
            series, window_scopes(con, period, 4, members, needed, hourly_rate, on_cost), rolled, breakdown
        )
    series["quarter_label"] = series["quarter_index"].map({i: quarter_label(int(i)) for i in period.quarters})
    if top is not None:
        series = top_members(series.sort_values("quarter_index", kind="stable"), top)
        return series[SERIES_COLUMNS].reset_index(drop=True)
    return series[SERIES_COLUMNS].sort_values(
        ["member_code", "quarter_index"], key=_combined_first, kind="stable", ignore_index=True
    )


SERIES_COLUMNS = [
    "member_code",
    "measure",
    "breakdown",
    "quarter_index",
    "quarter_label",
    "value",
    "rolling_4q",
    "unit",
    "kind",
    "members_reporting",
    "complete",
    "partial",
]


def _check_breakdown(key: str, breakdown: str | None) -> None:
    if breakdown is not None and breakdown != "all" and breakdown not in figure(key).breakdowns:
        raise KeyError(
            f"'{breakdown}' is not a breakdown of {key}; it has {', '.join(['all', *figure(key).breakdowns])}"
        )


def _quarter(scope: Scope, keys: list[str], breakdown: str | None, with_parts: bool) -> pd.DataFrame:
    frame = build(scope, keys, with_parts)
    if breakdown is not None:
        frame = frame[frame["breakdown"] == breakdown]
    frame = frame.rename(columns={"members_covered": "members_reporting"})
    frame["quarter_index"] = scope.period.last
    return frame


def _with_rolling(series: pd.DataFrame, scopes: list[Scope], keys: list[str], breakdown: str | None) -> pd.DataFrame:
    """``rolling_4q`` from the four-quarter windows ending each quarter (see ``quarterly_series``)."""
    rolling = pd.concat([_quarter(scope, keys, breakdown, False) for scope in scopes], ignore_index=True)
    rolling["rolling_4q"] = rolling["value"].where(rolling["complete"] & ~rolling["partial"])
    on = ["member_code", "measure", "breakdown", "quarter_index"]
    return series.drop(columns="rolling_4q").merge(rolling[on + ["rolling_4q"]], on=on, how="left")


def not_reported(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None) -> pd.DataFrame:
    """The quarters a member's return is in but left a summed figure blank, one row each.

    Columns: member_code, measure, breakdown, quarter_index, quarter_label. Only figures
    that are partial (``partial`` in the figure frame) have rows: a flow, people supported
    or a rate of flows that the member reported in another quarter of the period, so its
    value for the period leaves these quarters out (``metrics.blanks``).
    """
    scope = every_figure(con, period, members)
    rows = []
    for declared in FIGURES.values():
        for (code, part), quarters in scope.gaps(declared).items():
            rows += [(code, declared.key, part, index, quarter_label(index)) for index in sorted(quarters)]
    frame = pd.DataFrame(rows, columns=["member_code", "measure", "breakdown", "quarter_index", "quarter_label"])
    order = {key: i for i, key in enumerate(FIGURES)}
    return frame.sort_values(
        ["measure", "member_code", "breakdown", "quarter_index"],
        key=lambda c: c.map(order) if c.name == "measure" else c,
        ignore_index=True,
    )


def partial(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None) -> dict:
    """Figure key -> ``["ELM 2024/25 Q2", ...]``: the member-quarters each partial figure lacks.

    The contract's ``partial`` object of ``summary --json``: member then quarter order;
    figures that are not partial are left out (``{}`` when none is).
    """
    return partial_lists(not_reported(con, period, members))


def partial_lists(rows: pd.DataFrame, member: str | None = None) -> dict[str, list[str]]:
    """The ``partial`` object from ``not_reported`` rows (for one member, or all)."""
    rows = rows[rows["breakdown"] == "all"]
    if member is not None:
        rows = rows[rows["member_code"] == member]
    out = {}
    for key in FIGURES:
        lacking = rows[rows["measure"] == key].sort_values(["member_code", "quarter_index"])
        if len(lacking):
            out[key] = [f"{code} {label}" for code, label in zip(lacking["member_code"], lacking["quarter_label"])]
    return out


def without_names(partial: dict[str, list[str]], hidden: tuple[str, ...]) -> dict[str, list[str]]:
    """A ``partial`` object with the members in ``hidden`` written as "a member not shown individually"."""
    return {
        key: [UNNAMED if text.split(" ", 1)[0] in hidden else text for text in lacking]
        for key, lacking in partial.items()
    }


def _combined_first(column: pd.Series) -> pd.Series:
    if column.name == "member_code":
        return column.map(lambda code: (code != COMBINED, code))
    return column
