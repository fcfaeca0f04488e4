"""The summary: every headline figure of a period, combined and by member, as plain data.

``summary()`` is what ``python -m metrics summary --json`` prints. It has the
spec's keys (``SPEC_KEYS``) and a few more (``EXTRA_KEYS``); a figure nobody
reported is None (``null``), never 0.
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd

from contract.periods import Period, quarter_label
from metrics.blanks import Gaps
from metrics.definitions import BREAKDOWNS, FIGURES
from metrics.figures import build, every_figure
from metrics.joint_work import joint_work
from metrics.scope import COMBINED, Scope
from metrics.value import bed_day_cost, value_added
from store.members import names as member_names

SPEC_KEYS = [
    "period",
    "members_reporting",
    "complete",
    "income_total",
    "income_by_stream",
    "statutory_income",
    "statutory_share",
    "expenditure_total",
    "statutory_share_of_expenditure",
    "staff_headcount",
    "staff_fte",
    "vacancy_rate",
    "volunteers",
    "volunteer_hours",
    "staff_and_volunteers",
    "ipu_beds",
    "occupancy_rate",
    "average_length_of_stay",
    "people_supported",
    "new_referrals",
    "community_contacts",
    "hah_visits",
    "bereavement_clients",
    "preferred_place_rate",
    "by_member",
    "partial",
    "joint_work",
]

# summary key -> (figure, breakdown); "income_by_stream" and the by-age keys are objects
FIGURE_KEYS = {
    "income_total": "income_total",
    "statutory_income": "statutory_income",
    "statutory_share": "statutory_share",
    "expenditure_total": "expenditure_total",
    "statutory_share_of_expenditure": "statutory_share_of_expenditure",
    "staff_headcount": "staff_headcount",
    "staff_fte": "staff_fte",
    "vacancy_rate": "vacancy_rate",
    "volunteers": "volunteers",
    "volunteer_hours": "volunteer_hours",
    "staff_and_volunteers": "staff_and_volunteers",
    "ipu_beds": "ipu_beds",
    "occupancy_rate": "occupancy_rate",
    "average_length_of_stay": "average_length_of_stay",
    "people_supported": "people_supported",
    "new_referrals": "new_referrals",
    "community_contacts": "community_contacts",
    "hah_visits": "hah_visits",
    "bereavement_clients": "bereavement_clients",
    "preferred_place_rate": "preferred_place_rate",
    # extras
    "charitable_income": "charitable_income",
    "charitable_per_statutory_pound": "charitable_per_statutory_pound",
    "vacancies": "vacancies",
    "volunteer_value_gbp": "volunteer_value_gbp",
    "bed_days_available": "bed_days_available",
    "hah_capacity": "hah_capacity",
    "day_places": "day_places",
    "new_patients": "new_patients",
    "ipu_admissions": "ipu_admissions",
    "occupied_bed_days": "occupied_bed_days",
    "day_attendances": "day_attendances",
    "family_supported": "family_supported",
    "deaths": "deaths",
}
BY_BREAKDOWN_KEYS = {
    "income_by_stream": ("income_total", "stream"),
    "people_supported_by_age_group": ("people_supported", "age group"),
}
EXTRA_KEYS = [
    "period_months",
    "members_expected",
    "missing",
    "volunteer_value_assumption",
    *[key for key in FIGURE_KEYS if key not in SPEC_KEYS],
    "people_supported_by_age_group",
    "value_added",
]


def summary(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    members: list[str] | None = None,
    hourly_rate: float | None = None,
    on_cost: float | None = None,
) -> dict:
    """The headline figures of the period as a JSON-ready dict.

    Top level: ``period`` (label), ``members_reporting`` (count), ``complete``, every figure
    key (combined value or None), ``income_by_stream`` {stream: value}, the extras
    (``period_months``, ``members_expected``, ``missing`` ["ROW 2024/25 Q3", ...],
    ``volunteer_value_assumption``, more figures, ``people_supported_by_age_group``) and
    ``by_member`` {code: {name, quarters_reported, complete, partial, the same figure keys}}.
    ``partial`` {figure key: ["CODE 2024/25 Q2", ...]}: the member-quarters each partial
    figure lacks (a cell left blank in a return that is in; for a rate, one side blank),
    member then quarter order; figures that are not partial are left out.
    ``joint_work``: the joint work register's figures (``metrics.joint_work``, ``JointWork.as_dict``);
    ``value_added``: the value the collaborative adds, each with its assumption (``metrics.value``).
    Rates are fractions (0.31 = 31%).
    """
    scope = every_figure(con, period, members, hourly_rate, on_cost)
    frame = build(scope)
    values = _lookup(frame)
    gaps = {key: scope.gaps(declared) for key, declared in FIGURES.items()}
    cover = scope.coverage
    result = {
        "period": period.label,
        "members_reporting": len(cover.members_reporting),
        "complete": cover.complete,
        **_figures(values, COMBINED),
    }
    result |= {
        "period_months": period.months,
        "members_expected": len(cover.members_expected),
        "missing": cover.missing_labels(),
        "volunteer_value_assumption": scope.volunteer.assumption,
    }
    names = member_names(con)
    result["by_member"] = {
        code: _member(scope, values, code, names.get(code, code), _partial(gaps, code)) for code in scope.member_codes
    }
    result["partial"] = _partial(gaps)
    joint = joint_work(con, period, members)
    result["joint_work"] = joint.as_dict()
    result["value_added"] = value_added(frame, joint, scope.volunteer, bed_day_cost(con)).as_dict()
    return {key: result[key] for key in [*SPEC_KEYS, *EXTRA_KEYS]}


def _lookup(frame: pd.DataFrame) -> dict[tuple[str, str, str], float]:
    keys = zip(frame["member_code"], frame["measure"], frame["breakdown"])
    return dict(zip(keys, frame["value"]))


def _plain(value: float) -> float | int | None:
    if value is None or math.isnan(value):
        return None
    rounded = round(float(value), 6)
    return int(rounded) if rounded.is_integer() else rounded


def _figures(values: dict, code: str) -> dict:
    out = {key: _plain(values.get((code, figure, "all"), math.nan)) for key, figure in FIGURE_KEYS.items()}
    for key, (figure, breakdown) in BY_BREAKDOWN_KEYS.items():
        out[key] = {part: _plain(values.get((code, figure, part), math.nan)) for part in BREAKDOWNS[breakdown]}
    return out


def _partial(gaps: dict[str, Gaps], code: str | None = None) -> dict[str, list[str]]:
    """Figure key -> ``["ELM 2024/25 Q2", ...]`` for the figures that are partial (for one member, or any)."""
    out = {}
    for key, by_cell in gaps.items():
        lacking = sorted(
            (member, quarter)
            for (member, part), quarters in by_cell.items()
            if part == "all" and code in (None, member)
            for quarter in quarters
        )
        if lacking:
            out[key] = [f"{member} {quarter_label(quarter)}" for member, quarter in lacking]
    return out


def _member(scope: Scope, values: dict, code: str, name: str, partial: dict[str, list[str]]) -> dict:
    cover = scope.coverage
    return {
        "name": name,
        "quarters_reported": cover.member_returns_in(code),
        "complete": cover.member_complete(code),
        "partial": partial,
        **_figures(values, code),
    }
