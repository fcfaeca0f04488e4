"""Member variation: each member's rate against the collaborative's, as a funnel plot.

Spiegelhalter's method for proportions (Spiegelhalter 2005, *Funnel plots for comparing
institutional performance*): around the collaborative's rate ``p0`` (the ratio of the
combined sums), the control limits at a denominator ``n`` are

    p0 +- z * sqrt(p0 * (1 - p0) / n)

with ``z`` = 1.959964 for 95% and 3.090232 for 99.8% (two-sided), clipped to 0..1. A member
outside the 99.8% limits differs from the collaborative by more than chance would make; its
rate and denominator are its own period sums (``metrics.scope.rate_sides``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from common.words import COMBINED
from contract.periods import Period
from metrics.definitions import figure as declared_figure
from metrics.figure import Figure
from metrics.figures import build, every_figure

Z95, Z998 = 1.959964, 3.090232
FEW_MEMBERS = 5  # below this, limits on so few points are a guide only


@dataclass(frozen=True)
class Funnel:
    figure: Figure
    rate: float  # the collaborative's: combined numerator / combined denominator
    members: pd.DataFrame  # member_code, numerator, denominator, rate, lower95, upper95, lower998, upper998, outside

    @property
    def guide_only(self) -> bool:
        return len(self.members) < FEW_MEMBERS


def limits(p0: float, n: np.ndarray | float, z: float) -> tuple[np.ndarray, np.ndarray]:
    """The lower and upper control limits at denominators ``n`` (clipped to 0..1)."""
    spread = z * np.sqrt(p0 * (1 - p0) / np.asarray(n, dtype=float))
    return np.clip(p0 - spread, 0, 1), np.clip(p0 + spread, 0, 1)


def funnel(
    con: duckdb.DuckDBPyConnection, figure: Figure | str, period: Period, members: list[str] | None = None
) -> Funnel:
    """Each member's rate of ``figure`` (a proportion) over the period, with the funnel limits at its denominator."""
    declared = declared_figure(figure)
    if declared.kind != "rate" or declared.unit != "%":
        raise ValueError(f"{declared.key} is not a proportion; a funnel plot needs a rate in %")
    rows = build(every_figure(con, period, members), [declared.key], with_parts=True)
    rows = rows[rows["breakdown"] == "all"]
    combined = rows[rows["member_code"] == COMBINED]
    p0 = float(combined["value"].iloc[0]) if len(combined) else math.nan
    own = rows[(rows["member_code"] != COMBINED) & rows["denominator"].gt(0)].copy()
    out = pd.DataFrame(
        {
            "member_code": own["member_code"].to_numpy(),
            "numerator": own["numerator"].to_numpy(dtype=float),
            "denominator": own["denominator"].to_numpy(dtype=float),
            "rate": own["value"].to_numpy(dtype=float),
        }
    )
    out["lower95"], out["upper95"] = limits(p0, out["denominator"], Z95)
    out["lower998"], out["upper998"] = limits(p0, out["denominator"], Z998)
    out["outside"] = np.select(
        [out["rate"] > out["upper998"], out["rate"] < out["lower998"]], ["above 99.8%", "below 99.8%"], default=""
    )
    return Funnel(declared, p0, out)
