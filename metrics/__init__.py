"""Metrics: the figures a commissioner sees, computed from the stored returns.

``metrics/`` is the only code that knows the rules of the figures
(``shared/spec/quarterly-return.md``, "Metric rules"). Pages, exports and the
command line call these functions and never compute a figure themselves.
Nothing here imports streamlit.

Figures
-------

Every figure is declared once, as a ``metrics.figure.Figure`` in its area's module
(``from metrics.activity import PEOPLE_SUPPORTED``): the stored cells it reads, its
period rule (the CTE of the same name in ``sql/member_measures.sql``) and how members
combine. ``metrics.scope.evaluate`` turns a declaration into rows;
``metrics.definitions.FIGURES`` lists them all. Functions below that take a figure
take its declaration or its key.

Conventions shared by every function
------------------------------------

* Arguments: ``con`` (a connection from ``store.db.connect``), ``period`` (a
  ``contract.periods.Period``: a quarter, a financial year or any range of
  quarters) and ``members`` (a list of member codes; ``None`` means every
  registered member).
* Figure frames are tidy and long, one row per member x figure x breakdown::

      member_code      "ALL" for the combined figure, else the member's code
      measure          the figure key, e.g. "income_total", "staff_headcount"
      breakdown        stream / expenditure line / staff group / age group, or "all"
      value            float; NaN where not reported (never 0)
      unit             "£", "people", "FTE", "%", "days", "hours", "beds", "places" or "count"
      kind             "flow", "stock", "mean", "unique" (people supported) or "rate"
      share            member value / combined value (1.0 on "ALL" rows; NaN for rates)
      members_covered  on "ALL" rows: members with at least one return in the period;
                       on a member's rows: 1 or 0
      complete         on "ALL" rows: every expected member has a return for every
                       quarter of the period; on a member's rows: that member has
                       a return for every quarter of the period
      partial          True where the value leaves out a quarter whose return is in but
                       left the figure blank, while the member reported it in another
                       quarter of the period (summed figures only: flows, people
                       supported, rates of flows; on "ALL" rows: for any member).
                       ``not_reported()`` says who and when.

  Rates (unit "%") are fractions (0.31 means 31%). Combined rows come first,
  then members in code order.
* ``definitions()`` gives every figure's label, unit, kind and definition.
* ``metrics.format`` turns values into UK display text (``£45.2m``, ``1,380``, ``31%``, ``5.3%``).

Public API
----------

figures(con, period, members=None, hourly_rate=None, on_cost=None, top=None) -> DataFrame
    Every figure below, in one figure frame, in the order of ``definitions()``.
    ``top=10`` (for charts): past twelve members, each figure keeps its ten largest
    members (for a rate: the largest base) and one "OTHERS" row adding up the rest by
    the figure's own rule (``metrics.groups``).
income(con, period, members=None) -> DataFrame
    income_total (by stream and "all"), statutory_income, charitable_income,
    statutory_share, expenditure_total (by line and "all"),
    statutory_share_of_expenditure, charitable_per_statutory_pound.
workforce(con, period, members=None, hourly_rate=None, on_cost=None) -> DataFrame
    staff_headcount, staff_fte, vacancies, vacancy_rate (by staff group and
    "all"), volunteers, volunteer_hours, volunteer_value_gbp, staff_and_volunteers.
capacity(con, period, members=None) -> DataFrame
    ipu_beds, bed_days_available, occupancy_rate, hah_capacity, day_places.
activity(con, period, members=None) -> DataFrame
    people_supported, new_patients, new_referrals, ipu_admissions,
    occupied_bed_days, average_length_of_stay, hah_visits, community_contacts,
    day_attendances, family_supported, bereavement_clients, deaths,
    deaths_preference_recorded, deaths_in_preferred_place,
    preferred_place_rate; each by age group ("under_18", "18_to_25",
    "26_plus") and "all".
value_of(frame, figure, breakdown="all", member_code="ALL") -> float
    Pick one value out of a figure frame (NaN when absent).
quarterly_series(con, figure_key, period, members=None, breakdown="all", hourly_rate=None, on_cost=None,
                 *, rolling=True, top=None) -> DataFrame
    For charts. ``figure_key`` is a figure or a list of figures (one query for all);
    ``breakdown=None`` gives every breakdown ("all" first); ``rolling=False`` skips
    ``rolling_4q`` (left NaN); ``top`` groups members as ``figures`` does, ranking
    over the whole period. Columns: member_code ("ALL" first, then each member), measure,
    breakdown, quarter_index, quarter_label, value, rolling_4q, unit, kind,
    members_reporting, complete. ``rolling_4q`` is the figure over the four
    quarters ending that quarter (flows: total; people supported: the spec's
    rule; rates: ratio of four-quarter sums); NaN for stocks and means, and
    NaN unless all four quarters are in for the row's members and none of them
    left the figure blank in one of them. An unknown breakdown raises KeyError.
not_reported(con, period, members=None) -> DataFrame
    Where a figure is partial: one row per member x figure x breakdown x quarter whose
    return is in but left it blank. Columns: member_code, measure, breakdown,
    quarter_index, quarter_label.
completeness(con, period, members=None) -> DataFrame
    Member x quarter grid. Columns: member_code, member_name, quarter_index,
    quarter_label, status ("in", "missing" or "superseded": superseded means a
    current return is in and it replaced earlier ones), submission_id (the
    current one, <NA> when missing), superseded_ids (list of replaced ids).
coverage(con, period, members=None) -> Coverage
    Coverage(period, members_expected: list[str], members_reporting: list[str],
    missing: list[tuple[str, int]]  # (member_code, quarter_index))
    with ``.complete`` (bool), ``.member_complete(code)``, ``.missing_labels()``
    (["ROW 2024/25 Q3", ...]) and ``.as_dict()`` (counts and labels for JSON).
change(con, period, members=None, against="previous", hourly_rate=None, on_cost=None) -> DataFrame
    ``against`` is "previous" (the period just before, same length) or
    "year_earlier". Columns: member_code, measure, breakdown, unit, kind,
    value, comparison_period (label), comparison_value, change (value -
    comparison; for rates a difference of fractions, i.e. points / 100),
    change_pct (change / comparison; NaN for rates), reason (why no change is
    given, e.g. "2024/25 Q1 is incomplete: no return from BBB 2024/25 Q1", or, for
    a summed figure a member left blank in a quarter whose return is in,
    "not reported for 2024/25 Q2 by ELM"; missing (``pd.isna``) where the change
    is given).
summary(con, period, members=None, hourly_rate=None, on_cost=None) -> dict
    The spec's ``summary --json`` object (its keys in its order, None for not
    reported) plus extras; see ``metrics.summary`` and docs/metrics.md.
volunteer_rate(con, hourly_rate=None, on_cost=None) -> VolunteerRate
    VolunteerRate(hourly_rate, on_cost) with ``.per_hour`` and
    ``.assumption``, the sentence to show beside the value of volunteer time.
definitions() -> DataFrame
    Columns: key, label, unit, kind, area, breakdowns (list), definition.
    ``metrics.definitions.BREAKDOWN_LABELS`` labels the breakdown keys.

Command line: ``python -m metrics summary --period 2024/25 [--db PATH] [--json] [--members ROW,STC]``.
How each figure is computed, and the decisions where the spec is silent: docs/metrics.md.
"""

from __future__ import annotations

# The area modules share names with the functions they define (``metrics.income``
# is the function); import a module's helpers with ``from metrics.income import ...``.
from metrics.activity import activity
from metrics.capacity import capacity
from metrics.change import change
from metrics.completeness import Coverage, completeness, coverage
from metrics.definitions import definitions
from metrics.figures import figures, not_reported, partial, quarterly_series
from metrics.income import income
from metrics.scope import COMBINED, VolunteerRate, value_of, volunteer_rate
from metrics.summary import summary
from metrics.workforce import workforce

__all__ = [
    "figures",
    "income",
    "workforce",
    "capacity",
    "activity",
    "value_of",
    "quarterly_series",
    "not_reported",
    "partial",
    "completeness",
    "coverage",
    "Coverage",
    "change",
    "summary",
    "volunteer_rate",
    "VolunteerRate",
    "definitions",
    "partial",
    "COMBINED",
]
