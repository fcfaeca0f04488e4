"""Change: a period against the previous period or the same period a year earlier.

A change is given only where both periods are complete for the same members
(for a member's own row: where that member has every quarter of both), and,
for a summed figure (a flow, people supported, a rate of flows), only where the
members that reported it reported it in every quarter of both periods whose
return is in (``metrics.blanks``): a quarter left blank would make one period
silently smaller. Otherwise the value is NaN and ``reason`` says why, in words
a reader can act on.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from contract.periods import Period, quarter_label
from metrics.blanks import between, describe, figure_gaps
from metrics.completeness import Coverage
from metrics.definitions import FIGURES
from metrics.figures import build, every_figure
from metrics.scope import COMBINED, Scope

COMPARISONS = {"previous": Period.previous, "year_earlier": Period.year_earlier}
COLUMNS = [
    "member_code",
    "measure",
    "breakdown",
    "unit",
    "kind",
    "value",
    "comparison_period",
    "comparison_value",
    "change",
    "change_pct",
    "reason",
]


def change(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    members: list[str] | None = None,
    against: str = "previous",
    hourly_rate: float | None = None,
    on_cost: float | None = None,
) -> pd.DataFrame:
    """Every figure of the period beside the comparison period, combined and by member.

    ``against``: "previous" (the period of the same length just before) or "year_earlier".
    Columns: member_code, measure, breakdown, unit, kind, value, comparison_period (label),
    comparison_value, change (value - comparison; for rates a difference of fractions),
    change_pct (change / comparison; NaN for rates and a zero comparison), reason (why
    there is no change, e.g. "2024/25 Q1 is incomplete: no return from BBB 2024/25 Q1"
    or "not reported for 2024/25 Q2 by ELM"; missing, so ``pd.isna``, where the change
    is given).
    """
    if against not in COMPARISONS:
        raise ValueError(f"against should be one of {', '.join(COMPARISONS)}, not '{against}'")
    other = COMPARISONS[against](period)
    now = every_figure(con, period, members, hourly_rate, on_cost)
    then = every_figure(con, other, members, hourly_rate, on_cost)
    keys = ["member_code", "measure", "breakdown"]
    past = build(then)[keys + ["value"]].rename(columns={"value": "comparison_value"})
    frame = build(now).merge(past, how="left", on=keys)
    frame["comparison_period"] = other.label
    frame["reason"] = _reasons(frame, now, then)
    given = frame["reason"].isna()
    frame["change"] = (frame["value"] - frame["comparison_value"]).where(given)
    relative = frame["change"] / frame["comparison_value"].where(frame["comparison_value"] != 0)
    frame["change_pct"] = relative.where(frame["kind"] != "rate", np.nan)
    return frame[COLUMNS]


def _reasons(frame: pd.DataFrame, now: Scope, then: Scope) -> pd.Series:
    """Why each row has no change, first reason first: a missing return, a figure not reported
    in a period, a quarter left blank; None where the change is given."""
    codes = frame["member_code"]
    incomplete = codes.map(_gaps(now, then, set(codes)))
    unreported = pd.Series(None, index=frame.index, dtype=object)
    unreported[frame["value"].isna()] = f"not reported for {now.period.label}"
    unreported[frame["value"].notna() & frame["comparison_value"].isna()] = f"not reported for {then.period.label}"
    blanks = _blanks(now, then)
    blank = [blanks.get(row) for row in zip(codes, frame["measure"], frame["breakdown"])] if blanks else None
    return incomplete.combine_first(unreported).combine_first(pd.Series(blank, index=frame.index, dtype=object))


def _gaps(now: Scope, then: Scope, codes: set[str]) -> dict[str, str]:
    """Member code (or "ALL") -> why a period cannot be compared, for the rows that cannot."""
    reasons = {}
    for scope in (then, now):  # the period being shown (now) speaks first
        missing: dict[str, list[tuple[str, int]]] = {}
        for member, index in scope.coverage.missing:
            missing.setdefault(member, []).append((member, index))
        for code in codes & (set(missing) | {COMBINED}):
            gap = _gap(code, scope.coverage, missing.get(code, []))
            if gap:
                reasons[code] = gap
    return reasons


def _blanks(now: Scope, then: Scope) -> dict[tuple[str, str, str], str]:
    """(member_code, measure, breakdown) -> "not reported for ... by ...", for summed figures with blank quarters."""
    cells = between(now, then)
    if not cells:
        return {}
    periods = (now.period, then.period)
    reasons = {}
    for key, declared in FIGURES.items():
        gaps = figure_gaps(declared, cells)
        combined: dict[str, dict[str, set[int]]] = {}
        for (code, part), quarters in gaps.items():
            reasons[(code, key, part)] = describe({code: quarters}, periods)
            combined.setdefault(part, {})[code] = quarters
        for part, by_member in combined.items():
            reasons[(COMBINED, key, part)] = describe(by_member, periods)
    return reasons


def _gap(code: str, coverage: Coverage, missing: list[tuple[str, int]] | None = None) -> str | None:
    """Why a period cannot be compared for a row, or None when it is complete.

    ``missing``: the member's own missing quarters when already picked out of ``coverage``.
    """
    label = coverage.period.label
    if code == COMBINED:
        if not coverage.members_expected:
            return f"no members to compare for {label}"
        missing = coverage.missing
    elif missing is None:
        missing = [(member, index) for member, index in coverage.missing if member == code]
    if not missing:
        return None
    shown = ", ".join(f"{member} {quarter_label(index)}" for member, index in missing[:3])
    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
    return f"{label} is incomplete: no return from {shown}{more}"
