"""The value the collaborative adds, each figure with the assumption it rests on.

- Volunteer time (``VOLUNTEER_VALUE_GBP``, valued by ``metrics.scope.volunteer_rate``).
- Charitable pounds raised for each statutory pound (``CHARITABLE_PER_STATUTORY_POUND``).
- The inpatient bed days the members provided (``OCCUPIED_BED_DAYS``) and what the same
  days would cost the NHS at the bed-day cost the coordinator sets, with its source and
  year (settings ``nhs_bed_day_cost_gbp``, ``_source``, ``_year``). There is no default:
  until a coordinator sets one, the days are shown and not valued.
- Funding won and costs saved together (the joint work register, ``metrics.joint_work``).

Every value is computed here, from figures computed elsewhere, so the page, the deck
and the workbook state the same number with the same words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from metrics import format as fmt
from metrics.activity import OCCUPIED_BED_DAYS
from metrics.income import CHARITABLE_PER_STATUTORY_POUND
from metrics.joint_work import JointWork
from metrics.scope import VolunteerRate, value_of
from metrics.workforce import VOLUNTEER_VALUE_GBP
from store import settings
from store.settings import BED_DAY_COST, BED_DAY_SOURCE, BED_DAY_YEAR


@dataclass(frozen=True)
class BedDayCost:
    """What an NHS bed day costs, as the coordinator set it (None: not set)."""

    rate: float | None
    source: str = ""
    year: str = ""

    @property
    def assumption(self) -> str:
        if self.rate is None:
            return (
                "Not valued: no NHS bed-day cost is set. A coordinator sets one, with its source and year, "
                "in Settings on the Data page."
            )
        year = f", {self.year}" if self.year else ""
        rate = fmt.money(self.rate) if float(self.rate).is_integer() else fmt.pounds(self.rate)
        return (
            f"Valued at {rate} a bed day ({self.source}{year}), the cost the coordinator set: "
            "what the same days would cost the NHS, not money the NHS paid."
        )


def bed_day_cost(con: duckdb.DuckDBPyConnection) -> BedDayCost:
    """The bed-day cost in the settings; None unless a positive cost and its source are both set."""
    text = settings.get(con, BED_DAY_COST).strip()
    source = settings.get(con, BED_DAY_SOURCE).strip()
    try:
        rate = float(text) if text else None
    except ValueError:
        rate = None
    if rate is None or not rate > 0 or not source:
        return BedDayCost(None)
    return BedDayCost(rate, source, settings.get(con, BED_DAY_YEAR).strip())


CHARITABLE_ASSUMPTION = "Charitable income raised for every pound of NHS and other public funding, in the period."


@dataclass(frozen=True)
class ValueAdded:
    """The period's value-added figures (None: not reported), each with its assumption."""

    volunteer_value: float | None
    volunteer_assumption: str
    charitable_per_statutory_pound: float | None
    bed_days: float | None
    bed_days_nhs_cost: float | None
    bed_day_cost: BedDayCost
    money_won: float | None
    money_saved: float | None

    @property
    def together(self) -> float | None:
        """Funding won plus costs saved by joint projects; None when neither is reported."""
        reported = [v for v in (self.money_won, self.money_saved) if v is not None]
        return sum(reported) if reported else None

    @property
    def bed_days_assumption(self) -> str:
        return self.bed_day_cost.assumption

    @property
    def bed_days_text(self) -> str:
        """What to say under the bed days: their NHS cost, where a cost is set, then the assumption."""
        if self.bed_days_nhs_cost is None:
            return self.bed_days_assumption
        return f"Worth {fmt.money(self.bed_days_nhs_cost)} at NHS cost. {self.bed_days_assumption}"

    @property
    def together_text(self) -> str:
        return (
            f"Funding won {fmt.money(self.money_won)} and costs saved {fmt.money(self.money_saved)} by joint "
            "projects, as the register records them."
        )

    def as_dict(self) -> dict:
        """For ``summary --json`` (``value_added``) and the exports."""
        return {
            "volunteer_value_gbp": self.volunteer_value,
            "volunteer_value_assumption": self.volunteer_assumption,
            "charitable_per_statutory_pound": self.charitable_per_statutory_pound,
            "occupied_bed_days": self.bed_days,
            "bed_days_nhs_cost_gbp": self.bed_days_nhs_cost,
            "nhs_bed_day_cost_gbp": self.bed_day_cost.rate,
            "nhs_bed_day_cost_source": self.bed_day_cost.source or None,
            "nhs_bed_day_cost_year": self.bed_day_cost.year or None,
            "bed_days_assumption": self.bed_days_assumption,
            "joint_money_won_gbp": self.money_won,
            "joint_money_saved_gbp": self.money_saved,
        }


def value_added(figures: pd.DataFrame, joint: JointWork, volunteer: VolunteerRate, cost: BedDayCost) -> ValueAdded:
    """The value added from a period's figure frame (``metrics.figures``) and its joint work."""
    bed_days = _reported(value_of(figures, OCCUPIED_BED_DAYS))
    return ValueAdded(
        volunteer_value=_reported(value_of(figures, VOLUNTEER_VALUE_GBP)),
        volunteer_assumption=volunteer.assumption,
        charitable_per_statutory_pound=_reported(value_of(figures, CHARITABLE_PER_STATUTORY_POUND)),
        bed_days=bed_days,
        bed_days_nhs_cost=None if bed_days is None or cost.rate is None else bed_days * cost.rate,
        bed_day_cost=cost,
        money_won=joint.outcomes["money_won"],
        money_saved=joint.outcomes["money_saved"],
    )


def _reported(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)
