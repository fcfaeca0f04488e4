"""Other members: past a dozen members, the largest keep their own rows and the rest are added together.

A chart of 250 bars or 250 lines cannot be read (and takes seconds to draw).
:func:`top_members` keeps, for each figure, the ``top`` members with the largest
values and replaces the others with one ``OTHERS`` row per figure and breakdown
(and quarter, for a quarterly series), combined by the same rules as the
collaborative's own row:

* a figure that adds up (flows, stocks, beds, people supported): the sum of the
  others' values, NaN only where none of them reported;
* a rate: the others' summed numerators / their summed denominators (the ratio
  of sums, never a mean of rates).

"Largest" is the member's value of the figure (summed over the quarters of a
series); for a rate, the size of its base (the denominator: bed days available
for occupancy, FTE plus vacancies for the vacancy rate...), so the members whose
rates carry most weight are the ones named. The ``all`` breakdown decides, or the
breakdown shown when there is only one. With ``top + 2`` members or fewer nothing
is grouped: two members in a group would hide them for nothing.

On an ``OTHERS`` row, ``members_covered`` (``members_reporting`` in a series)
counts the grouped members with a return, ``complete`` says all of them have every
quarter, ``partial`` that any left the figure blank, and ``rolling_4q`` is NaN.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from common.words import COMBINED, OTHERS

TOP = 10  # members named on a chart before the rest are added together
PARTS = ["numerator", "denominator"]


def top_members(frame: pd.DataFrame, top: int = TOP) -> pd.DataFrame:
    """The frame with, per figure, only the ``top`` largest members' rows and one ``OTHERS`` row.

    ``frame``: a figure frame or quarterly series that still has its rates' ``numerator``
    and ``denominator`` columns (``metrics.figures(..., top=)`` and
    ``metrics.quarterly_series(..., top=)`` call this). Rows come back as: the combined
    rows, the named members' (largest first), then ``OTHERS``; those columns are dropped.
    """
    members = frame[frame["member_code"] != COMBINED]
    if members["member_code"].nunique() <= top + 2:
        return frame.drop(columns=PARTS)
    order = _ranking(members, top)
    kept = frame[frame["member_code"] == COMBINED].assign(_rank=-1)
    ranked = members.merge(order, on=["measure", "member_code"], how="left")
    named = ranked[ranked["_rank"].notna()]
    others = _combine(ranked[ranked["_rank"].isna()], frame)
    out = pd.concat([kept, named, others.assign(_rank=top)], ignore_index=True)
    keys = ["_measure_order", "_rank"] + (["quarter_index"] if "quarter_index" in frame else [])
    measures = {measure: i for i, measure in enumerate(dict.fromkeys(frame["measure"]))}
    out["_measure_order"] = out["measure"].map(measures)
    out = out.sort_values(keys, kind="stable").drop(columns=["_rank", "_measure_order"])
    return out[[c for c in frame.columns if c not in PARTS]].reset_index(drop=True)


def _ranking(members: pd.DataFrame, top: int) -> pd.DataFrame:
    """measure, member_code, _rank (0 = largest) of the ``top`` largest members of each figure."""
    decides = members.groupby("measure")["breakdown"].transform(
        lambda parts: "all" if (parts == "all").any() else parts.iloc[0]
    )
    rows = members[members["breakdown"] == decides]
    size = rows["denominator"].where(rows["kind"] == "rate", rows["value"]).abs()
    sizes = size.groupby([rows["measure"], rows["member_code"]], sort=False).sum(min_count=1).rename("_size")
    sizes = sizes.reset_index().sort_values(
        ["measure", "_size", "member_code"], ascending=[True, False, True], na_position="last", kind="stable"
    )
    sizes["_rank"] = sizes.groupby("measure").cumcount()
    return sizes.loc[sizes["_rank"] < top, ["measure", "member_code", "_rank"]]


def _combine(rest: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """One OTHERS row per figure x breakdown (x quarter) from the members not named."""
    keys = ["measure", "breakdown"] + [c for c in ("quarter_index", "quarter_label") if c in frame]
    grouped = rest.groupby(keys, sort=False)
    out = grouped.agg(
        unit=("unit", "first"), kind=("kind", "first"), complete=("complete", "all"), partial=("partial", "any")
    )
    for column in ("value", *PARTS):
        out[column] = grouped[column].sum(min_count=1)
    for column in ("members_covered", "members_reporting"):
        if column in frame:
            out[column] = grouped[column].sum()
    rate = out["kind"] == "rate"
    denominator = out["denominator"].where(out["denominator"] != 0)
    out.loc[rate, "value"] = (out["numerator"] / denominator)[rate]
    out = out.reset_index()
    out["member_code"] = OTHERS
    combined = frame[frame["member_code"] == COMBINED].set_index(keys)["value"]
    whole = combined.reindex(pd.MultiIndex.from_frame(out[keys])).to_numpy()
    if "share" in frame:
        with np.errstate(divide="ignore", invalid="ignore"):
            out["share"] = np.where(rate | (whole == 0), np.nan, out["value"] / whole)
    if "rolling_4q" in frame:
        out["rolling_4q"] = np.nan
    return out
