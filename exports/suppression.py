"""Small-number suppression for everything exported (NHS England's convention).

When the switch is on:

* a count of people from 1 to 7 is shown as ``*``;
* every other count of people is rounded to the nearest 5 (zero stays 0);
* a rate built on a count shown as ``*`` is shown as ``*`` too;
* money, staff and volunteer counts, FTE, hours, days, beds and places are unaffected.

What is a *count of people* is read off the figure frame's own ``unit`` and
``kind`` columns (metrics states them), not from a list of names here: a row
is a count of people when its unit is ``people`` and its kind is ``flow`` or
``unique``, i.e. people who were cared for, referred, bereaved or died over the
period. Figures in people that are ``stock`` (staff headcount, active
volunteers, staff and volunteers, hospice at home caseload capacity) describe
the workforce and the size of a service at a point in time, not people who
received care, so they are left as they are.

Which counts a rate is built on is metrics' own declaration
(``metrics.definitions.built_from``): the figures that read the same stored measures.

A member's *share* of a suppressed or rounded count is blanked too: share times
the combined figure would give the exact count back.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from metrics.definitions import FIGURES, built_from

SUPPRESSED = "*"
LOW, HIGH = 1, 7  # counts from 1 to 7 are shown as *
ROUND_TO = 5  # other counts are rounded to the nearest 5

PEOPLE_KINDS = ("flow", "unique")

RULE = (
    "Small numbers are suppressed: counts of people cared for, bereaved or who died from 1 to 7 "
    "are shown as *, other counts of people are rounded to the nearest 5 (NHS England's convention "
    "for hospital statistics), and a rate built on a count shown as * is shown as * too. Zero stays 0. "
    "Money, staff and volunteer counts, FTE, hours, bed days and capacity are not changed. "
    "Rounded figures may not add up to the totals shown."
)


def is_count_of_people(unit: str, kind: str) -> bool:
    return unit == "people" and kind in PEOPLE_KINDS


def suppress_count(value: float) -> float | str:
    """One count of people as it is exported: ``*``, a multiple of 5, 0 or NaN (not reported)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return float("nan")
    if value == 0:
        return 0.0
    if LOW <= value <= HIGH or 0 < value < LOW:
        return SUPPRESSED
    return float(ROUND_TO * math.floor(value / ROUND_TO + 0.5))


def apply(frame: pd.DataFrame, value_columns: tuple[str, ...] = ("value",)) -> pd.DataFrame:
    """A copy of a figure frame (or a quarterly series frame) with the rule applied.

    The value columns become object columns holding floats, NaN (not reported) or
    ``"*"``; a boolean ``suppressed`` column marks the rows shown as ``*``.
    """
    out = frame.copy()
    people = [is_count_of_people(u, k) for u, k in zip(out["unit"], out["kind"])]
    people = pd.Series(people, index=out.index, dtype=bool)
    for column in value_columns:
        if column not in out:
            continue
        shown = [suppress_count(v) if p else v for v, p in zip(out[column], people)]
        out[column] = pd.Series(shown, index=out.index, dtype=object)
    out["suppressed"] = out[value_columns[0]].map(lambda v: v == SUPPRESSED)
    if "share" in out:
        out["share"] = out["share"].where(~people, np.nan)
    return _suppress_rates(out, value_columns)


def _suppress_rates(out: pd.DataFrame, value_columns: tuple[str, ...]) -> pd.DataFrame:
    """A rate is ``*`` where either count it is built on is ``*`` for the same member and breakdown."""
    keys = [c for c in ("member_code", "breakdown", "quarter_index") if c in out]
    hidden = out.loc[out["suppressed"], ["measure", *keys]]
    hidden_keys = {tuple(row) for row in hidden.itertuples(index=False)}
    if not hidden_keys:
        return out
    rates = {key for key, declared in FIGURES.items() if declared.kind == "rate"}
    for index, row in out[out["measure"].isin(rates)].iterrows():
        parts = [part.key for part in built_from(row["measure"])]
        where = tuple(row[k] for k in keys)
        if any((part, *where) in hidden_keys for part in parts):
            for column in value_columns:
                if column in out:
                    out.at[index, column] = SUPPRESSED
            out.at[index, "suppressed"] = True
    return out


def numeric(values: pd.Series) -> list[float | None]:
    """Values for a chart: ``*`` and NaN become gaps (None)."""
    result = []
    for value in values:
        if value == SUPPRESSED or value is None or (isinstance(value, float) and math.isnan(value)):
            result.append(None)
        else:
            result.append(float(value))
    return result


def for_charts(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame the plotly chart builders can draw: ``*`` becomes NaN (a gap), values are floats again."""
    if "suppressed" not in frame:
        return frame
    out = frame.copy()
    out["value"] = pd.to_numeric(out["value"].where(~out["suppressed"]), errors="coerce").astype(float)
    return out.drop(columns="suppressed")
