"""What a figure is: its stored inputs, its period rule and how members combine.

Every figure is one :class:`Figure`, declared in its area's module
(``metrics/income.py``, ``workforce.py``, ``capacity.py``, ``activity.py``)
beside the function that returns the area's figures. A declaration names:

* ``reads``: the stored cells the figure adds up (:class:`Cells`: a measure of the
  return, for some breakdowns), and for a rate ``over``, the cells it is divided by;
* ``rule``: how one member's cells become one value for a period of several
  quarters (:data:`FLOW`, :data:`STOCK`, :data:`MEAN`, :data:`PEOPLE`), applied in
  ``metrics/sql/member_measures.sql`` in the CTE of the same name;
* how members combine: a figure with no ``over`` is the sum of its members' values;
  a rate (with ``over``) is the ratio of the summed numerators to the summed
  denominators, over the member-breakdown cells where every input is reported.

Nothing here reads the database: ``metrics.scope`` evaluates a declaration over
one period's stored measures.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract.returns import AGE_GROUPS, EXPENDITURE_LINES, INCOME_STREAMS, STAFF_GROUPS

# breakdown name -> its keys, in the contract's order
BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "": (),
    "stream": tuple(label.key for label in INCOME_STREAMS),
    "line": tuple(label.key for label in EXPENDITURE_LINES),
    "staff group": tuple(label.key for label in STAFF_GROUPS),
    "age group": tuple(label.key for label in AGE_GROUPS),
}
STREAMS, LINES, GROUPS, AGES = (BREAKDOWNS[name] for name in ("stream", "line", "staff group", "age group"))

# breakdown key -> its plain-English label (the contract's own labels)
BREAKDOWN_LABELS = {
    label.key: label.label for group in (INCOME_STREAMS, EXPENDITURE_LINES, STAFF_GROUPS, AGE_GROUPS) for label in group
} | {"all": "All"}
# income_generation is both a staff group and an expenditure line; the labels differ a little
BREAKDOWN_LABELS["income_generation"] = "Fundraising, retail and lottery"


@dataclass(frozen=True)
class Rule:
    """How a member's stored cell becomes one value over the quarters of a period."""

    name: str  # the CTE of sql/member_measures.sql that applies it
    kind: str  # the figure's kind: flow, stock, mean or unique
    summed: bool  # adds up quarters, so a quarter left blank makes the figure partial
    reads: tuple[str, ...] = ()  # the stored measures it reads, when not the figure's own (people)


FLOW = Rule("flow", "flow", summed=True)
"""Summed over the quarters of the period (income, visits, hours)."""
STOCK = Rule("stock", "stock", summed=False)
"""The member's latest quarter in the period that reported the cell (headcount, volunteers)."""
MEAN = Rule("mean", "mean", summed=False)
"""The mean over the member's quarters that reported the cell (inpatient beds)."""
PEOPLE = Rule("people_supported", "unique", summed=True, reads=("patients_supported", "new_patients"))
"""Patients of the member's first reported quarter plus new patients of its later quarters."""


@dataclass(frozen=True)
class Cells:
    """One stored measure's cells, for some breakdowns.

    ``parts``: the breakdown keys read (``("all",)`` for a measure with no breakdown).
    ``total``: add the parts into one ``all`` value (NaN only where none was reported).
    """

    measure: str
    parts: tuple[str, ...] = ("all",)
    total: bool = False


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    area: str
    breakdown: str  # the breakdown shown besides "all": "stream", "age group", ... or ""
    rule: Rule
    reads: tuple[Cells, ...]  # added up, cell by cell (a rate's numerator)
    definition: str
    over: tuple[Cells, ...] = ()  # a rate's denominator: every one of them must be reported
    per_hour: bool = False  # x the value of a volunteer hour (a setting)
    better: str = "neither"  # "higher", "lower" or "neither": which way a change is good news (SPC charts)

    @property
    def direction(self) -> str:
        """The Making Data Count improvement direction: increase, decrease or neutral."""
        return {"higher": "increase", "lower": "decrease"}.get(self.better, "neutral")

    @property
    def kind(self) -> str:
        """flow, stock, mean, unique (people supported) or rate."""
        return "rate" if self.over else self.rule.kind

    @property
    def breakdowns(self) -> tuple[str, ...]:
        return BREAKDOWNS[self.breakdown]

    @property
    def breakdown_labels(self) -> dict[str, str]:
        """The breakdown keys besides ``all`` -> their labels, in the contract's order."""
        return {key: BREAKDOWN_LABELS[key] for key in self.breakdowns}

    @property
    def inputs(self) -> tuple[Cells, ...]:
        return self.reads + self.over

    @property
    def stored_measures(self) -> frozenset[str]:
        """The measures of the return this figure reads from the database."""
        return frozenset(self.rule.reads or [cells.measure for cells in self.inputs])

    @property
    def combine(self) -> str:
        """How members combine: ``sum`` or ``ratio of sums``."""
        return "ratio of sums" if self.over else "sum"

    @property
    def reads_text(self) -> str:
        """What it reads, in one line for the docs: ``income (nhs_contracts, other_statutory) / expenditure``."""
        top = " + ".join(_cells_text(cells, self.breakdowns) for cells in self.reads)
        if self.rule.reads:
            top = " then ".join(f"`{measure}`" for measure in self.rule.reads)
        if self.per_hour:
            top += " x the value of an hour"
        if not self.over:
            return top
        bottom = " + ".join(_cells_text(cells, self.breakdowns) for cells in self.over)
        return f"{top} / ({bottom})" if len(self.over) > 1 else f"{top} / {bottom}"


def _cells_text(cells: Cells, breakdowns: tuple[str, ...]) -> str:
    """``income``, or ``income`` (nhs_contracts, other_statutory) when only some of its breakdowns are read."""
    whole = cells.parts == ("all",) or cells.parts == breakdowns or (cells.total and cells.parts in BREAKDOWNS.values())
    return f"`{cells.measure}`" if whole else f"`{cells.measure}` ({', '.join(cells.parts)})"
