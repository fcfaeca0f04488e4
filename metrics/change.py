"""Change: a period against the previous period or the same period a year earlier.

A change is given only where both periods are complete for the same members
(for a member's own row: where that member has every quarter of both). Otherwise
the value is NaN and ``reason`` says why, in words a reader can act on.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from contract.periods import Period, quarter_label
from metrics.completeness import Coverage
from metrics.figures import build
from metrics.scope import COMBINED, build_scope

COMPARISONS = {"previous": Period.previous, "year_earlier": Period.year_earlier}
COLUMNS = ["member_code", "measure", "breakdown", "unit", "kind", "value", "comparison_period",
           "comparison_value", "change", "change_pct", "reason"]


def change(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None,
           against: str = "previous", hourly_rate: float | None = None, on_cost: float | None = None
           ) -> pd.DataFrame:
    """Every figure of the period beside the comparison period, combined and by member.

    ``against``: "previous" (the period of the same length just before) or "year_earlier".
    Columns: member_code, measure, breakdown, unit, kind, value, comparison_period (label),
    comparison_value, change (value - comparison; for rates a difference of fractions),
    change_pct (change / comparison; NaN for rates and a zero comparison), reason (why
    there is no change, e.g. "2024/25 Q1 is incomplete: no return from BBB 2024/25 Q1";
    missing, so ``pd.isna``, where the change is given).
    """
    if against not in COMPARISONS:
        raise ValueError(f"against should be one of {', '.join(COMPARISONS)}, not '{against}'")
    other = COMPARISONS[against](period)
    now = build_scope(con, period, members, hourly_rate, on_cost)
    then = build_scope(con, other, members, hourly_rate, on_cost)
    keys = ["member_code", "measure", "breakdown"]
    past = build(then)[keys + ["value"]].rename(columns={"value": "comparison_value"})
    frame = build(now).merge(past, how="left", on=keys)
    frame["comparison_period"] = other.label
    frame["reason"] = [_reason(code, value, past, now.coverage, then.coverage)
                       for code, value, past in zip(frame["member_code"], frame["value"], frame["comparison_value"])]
    given = frame["reason"].isna()
    frame["change"] = (frame["value"] - frame["comparison_value"]).where(given)
    relative = frame["change"] / frame["comparison_value"].where(frame["comparison_value"] != 0)
    frame["change_pct"] = relative.where(frame["kind"] != "rate", np.nan)
    return frame[COLUMNS]


def _reason(code: str, value: float, past: float, now: Coverage, then: Coverage) -> str | None:
    for coverage in (now, then):
        gap = _gap(code, coverage)
        if gap:
            return gap
    if np.isnan(value) or np.isnan(past):
        label = now.period.label if np.isnan(value) else then.period.label
        return f"not reported for {label}"
    return None


def _gap(code: str, coverage: Coverage) -> str | None:
    """Why a period cannot be compared for a row, or None when it is complete."""
    label = coverage.period.label
    if code == COMBINED:
        if not coverage.members_expected:
            return f"no members to compare for {label}"
        missing = coverage.missing
    else:
        missing = [(member, index) for member, index in coverage.missing if member == code]
    if not missing:
        return None
    shown = ", ".join(f"{member} {quarter_label(index)}" for member, index in missing[:3])
    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
    return f"{label} is incomplete: no return from {shown}{more}"
