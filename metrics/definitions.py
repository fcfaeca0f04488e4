"""Every figure metrics computes, in one registry: key -> its :class:`~metrics.figure.Figure`.

The figures themselves are declared in their area's module (``metrics/income.py``
and so on; ``metrics/figure.py`` says what a declaration holds). Pages and
exports read labels and notes from the declarations, so a figure is named and
explained in one place. ``kind`` says how a figure behaves over a period of
more than one quarter:

* ``flow``: summed over the quarters (income, hours, visits...);
* ``stock``: each member's latest reported quarter in the period (headcount...);
* ``mean``: each member's mean over its reported quarters (``ipu_beds``);
* ``unique``: people supported, by the spec's first-quarter-plus-new-patients rule;
* ``rate``: a ratio of combined sums, never a mean of member rates.

Rates are held as fractions (0.31 is 31%); their unit is ``%``.
"""

from __future__ import annotations

import pandas as pd

from metrics.activity import FIGURES as ACTIVITY
from metrics.capacity import FIGURES as CAPACITY
from metrics.figure import BREAKDOWN_LABELS, BREAKDOWNS, MEAN, STOCK, Figure
from metrics.income import FIGURES as INCOME
from metrics.workforce import FIGURES as WORKFORCE

__all__ = ["FIGURES", "AREAS", "BREAKDOWNS", "BREAKDOWN_LABELS", "figure", "definitions", "rule_measures", "built_from"]

AREAS = ("income", "workforce", "capacity", "activity")
FIGURES: dict[str, Figure] = {f.key: f for area in (INCOME, WORKFORCE, CAPACITY, ACTIVITY) for f in area}


def figure(key: str | Figure) -> Figure:
    """The declaration of one figure; a KeyError names the figures there are."""
    if isinstance(key, Figure):
        return key
    try:
        return FIGURES[key]
    except KeyError:
        raise KeyError(f"'{key}' is not a figure; the figures are {', '.join(FIGURES)}") from None


def rule_measures() -> dict[str, list[str]]:
    """``stock`` and ``mean`` -> the stored measures their rule applies to (every other one is summed).

    Read off the declarations; a measure that is a stock or a mean for one figure and read
    under another rule for another is a mistake, and raises.
    """
    rules: dict[str, set[str]] = {}
    for declared in FIGURES.values():
        for measure in declared.stored_measures:
            rules.setdefault(measure, set()).add(declared.rule.name)
    for measure, names in rules.items():
        if len(names) > 1 and names & {STOCK.name, MEAN.name}:
            raise ValueError(f"{measure} is read under several period rules: {', '.join(sorted(names))}")
    return {rule.name: sorted(m for m, names in rules.items() if rule.name in names) for rule in (STOCK, MEAN)}


def built_from(key: str | Figure) -> list[Figure]:
    """The figures (not rates) that read a stored measure this figure reads: a rate's counts."""
    measures = {cells.measure for cells in figure(key).inputs}
    return [
        other
        for other in FIGURES.values()
        if other.kind != "rate" and measures & {cells.measure for cells in other.reads}
    ]


def definitions() -> pd.DataFrame:
    """Every figure. Columns: key, label, unit, kind, area, breakdowns, definition.

    ``breakdowns`` lists the breakdown keys besides ``all`` (empty for none).
    """
    return pd.DataFrame(
        [
            {
                "key": f.key,
                "label": f.label,
                "unit": f.unit,
                "kind": f.kind,
                "area": f.area,
                "breakdowns": list(f.breakdowns),
                "definition": f.definition,
            }
            for f in FIGURES.values()
        ]
    )
