"""Figures left blank in a return that is in: a figure never silently covers fewer quarters.

A member's return can be in for a quarter and still leave a figure blank (not
reported). A flow summed over the period and people supported then cover fewer
quarters for that member than its returns do (ELM's 2024/25 volunteer hours add
up three quarters when its Q2 hours were left blank); a stock is taken from an
earlier quarter, a mean from fewer. Such a figure is *partial* (the spec's
"Metric rules"), and says which member-quarters it lacks; a change against
another period is not given for a partial sum (``metrics.change``).

The unit is a stored *cell* (measure x member x breakdown). ``sql/member_measures.sql``
lists, for each cell, the quarters whose return is in but left it blank while the
member reported it in another quarter of the period (``blank_quarters``); a cell the
member reported in no quarter of the period is simply not reported (NaN), not partial.
Each figure declares the cells it is built from (``Figure.inputs``); a figure's cell
is partial where any of them is: its ``all`` breakdown where any breakdown's cell is,
a breakdown (a stream, an age group) where that breakdown's cell is. A rate is also
partial in a quarter where one side is reported and the other blank
(``metrics.scope.rate_sides``).
"""

from __future__ import annotations

from collections import defaultdict

from common.words import join_and
from contract.periods import Period, quarter_label
from metrics.figure import Figure

Cell = tuple[str, str, str]  # (measure, member_code, breakdown)
Gaps = dict[tuple[str, str], set[int]]  # (member_code, breakdown) -> quarter indexes left blank
SHOWN_MEMBERS = 3  # a reason names at most this many members


def blank_cells(measure: list, member: list, breakdown: list, quarters: list) -> dict[Cell, tuple[int, ...]]:
    """Cells with blank quarters, from the ``blank_quarters`` column of ``member_measures``."""
    return {
        (m, code, part): tuple(int(q) for q in blank)
        for m, code, part, blank in zip(measure, member, breakdown, quarters)
        if blank is not None and len(blank)
    }


def figure_gaps(figure: Figure, blanks: dict[Cell, tuple[int, ...] | set[int]]) -> Gaps:
    """The blank quarters of one figure, by member and breakdown, from the cells it is declared to read."""
    if not blanks:
        return {}
    gaps: Gaps = defaultdict(set)
    wanted: dict[str, set[str]] = {}
    for cells in figure.inputs:
        wanted.setdefault(cells.measure, set()).update(cells.parts)
    for (measure, code, part), quarters in blanks.items():
        if part not in wanted.get(measure, ()):
            continue
        gaps[(code, "all")].update(quarters)
        if part in figure.breakdowns:
            gaps[(code, part)].update(quarters)
    return dict(gaps)


def between(now, then) -> dict[Cell, set[int]]:
    """Blank quarters of the cells of two scopes taken together, for a change between them.

    Only summed cells (flows, people supported) count: a sum that leaves a quarter out is
    smaller, while a stock is its latest reported quarter in either period, so comparing it
    is fair though the figure is partial. A cell blank in some quarters of either period
    counts, and so does a cell a member reported in one period and left blank in every
    quarter of the other that it sent.
    """
    cells: dict[Cell, set[int]] = defaultdict(set)
    for scope, other in ((now, then), (then, now)):
        for cell, quarters in scope.blanks.items():
            if cell in scope.summed_cells:
                cells[cell].update(quarters)
        for cell in scope.summed_cells - other.summed_cells:
            cells[cell].update(other.quarters_in(cell[1]))
    return {cell: quarters for cell, quarters in cells.items() if quarters}


def describe(by_member: dict[str, set[int]], periods: tuple[Period, ...] = ()) -> str:
    """``not reported for 2024/25 Q2 by ELM``: the blank quarters, member by member.

    A member's blank quarters that make up the whole of one of ``periods`` are named by
    the period (``not reported for 2024/25 by ELM``).
    """
    parts = [f"{_quarters(sorted(by_member[code]), periods)} by {code}" for code in sorted(by_member)]
    shown = parts[:SHOWN_MEMBERS]
    more = len(parts) - len(shown)
    text = "; ".join(shown) + (f" and {more} more member{'s' if more > 1 else ''}" if more else "")
    return f"not reported for {text}"


def _quarters(quarters: list[int], periods: tuple[Period, ...]) -> str:
    labels = []
    left = list(quarters)
    for period in sorted(periods):
        inside = [q for q in left if period.first <= q <= period.last]
        if period.length > 1 and len(inside) == period.length:
            labels.append((period.first, period.label))
            left = [q for q in left if q not in inside]
    labels += [(q, quarter_label(q)) for q in left]
    words = [label for _, label in sorted(labels)]
    return join_and(words)
