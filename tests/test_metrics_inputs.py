"""Each figure reads the stored measure it should, under the period rule it should.

The expectations are written out here, by hand, not read off ``metrics``: a
figure that read another measure of the return (hospice at home visits from
community contacts, say) or applied another rule (a stock summed over quarters)
fails a test.

One member sends two quarters in which every stored cell holds a different value,
so any figure built from the wrong cell, or the right cell by the wrong rule,
gets a different number.
"""

from __future__ import annotations

import pytest

from contract.periods import Period
from metrics import figures, value_of
from metrics.definitions import FIGURES, rule_measures
from tests.metrics_fixtures import MetricsStore

STREAMS = [
    "nhs_contracts",
    "other_statutory",
    "donations",
    "trusts_grants",
    "legacies",
    "retail",
    "lottery",
    "investment",
    "other",
]
LINES = ["care", "income_generation", "support"]
GROUPS = ["medical", "nursing", "care_support", "allied_health", "psychosocial", "income_generation", "corporate"]
AGES = ["under_18", "18_to_25", "26_plus"]

# stored measure -> its breakdowns, as the return holds them
STORED = {
    "income": STREAMS,
    "expenditure": LINES,
    "headcount": GROUPS,
    "fte": GROUPS,
    "vacancies": GROUPS,
    "volunteers": ["all"],
    "volunteer_hours": ["all"],
    "ipu_beds": ["all"],
    "ipu_bed_days_available": ["all"],
    "hah_capacity": ["all"],
    "day_places": ["all"],
    **dict.fromkeys(
        [
            "patients_supported",
            "new_patients",
            "new_referrals",
            "ipu_admissions",
            "ipu_occupied_bed_days",
            "hah_visits",
            "community_contacts",
            "day_attendances",
            "family_supported",
            "bereavement_clients",
            "deaths",
            "deaths_preference_recorded",
            "deaths_in_preferred_place",
        ],
        AGES,
    ),
}

# figure -> (the stored measure it shows, the period rule over Q1 and Q2)
PLAIN = {
    "income_total": ("income", "flow"),
    "expenditure_total": ("expenditure", "flow"),
    "staff_headcount": ("headcount", "stock"),
    "staff_fte": ("fte", "stock"),
    "vacancies": ("vacancies", "stock"),
    "volunteers": ("volunteers", "stock"),
    "volunteer_hours": ("volunteer_hours", "flow"),
    "ipu_beds": ("ipu_beds", "mean"),
    "bed_days_available": ("ipu_bed_days_available", "flow"),
    "hah_capacity": ("hah_capacity", "stock"),
    "day_places": ("day_places", "stock"),
    "new_patients": ("new_patients", "flow"),
    "new_referrals": ("new_referrals", "flow"),
    "ipu_admissions": ("ipu_admissions", "flow"),
    "occupied_bed_days": ("ipu_occupied_bed_days", "flow"),
    "hah_visits": ("hah_visits", "flow"),
    "community_contacts": ("community_contacts", "flow"),
    "day_attendances": ("day_attendances", "flow"),
    "family_supported": ("family_supported", "flow"),
    "bereavement_clients": ("bereavement_clients", "flow"),
    "deaths": ("deaths", "flow"),
    "deaths_preference_recorded": ("deaths_preference_recorded", "flow"),
    "deaths_in_preferred_place": ("deaths_in_preferred_place", "flow"),
}


def cell(measure: str, part: str, quarter: int) -> float:
    """A value no other cell holds: the measure's place, the breakdown's place and the quarter."""
    return 1000.0 * (list(STORED).index(measure) + 1) + 10.0 * (STORED[measure].index(part) + 1) + quarter


def over(measure: str, rule: str, parts: list[str] | None = None) -> float:
    """The hand-applied period rule for one measure over Q1 and Q2, summed over ``parts`` (default: all)."""
    q1, q2 = (sum(cell(measure, p, q) for p in (parts or STORED[measure])) for q in (1, 2))
    return {"flow": q1 + q2, "stock": q2, "mean": (q1 + q2) / 2}[rule]


HOURLY_RATE, ON_COST = 10.0, 0.3
STATUTORY = over("income", "flow", ["nhs_contracts", "other_statutory"])
CHARITABLE = over("income", "flow") - STATUTORY
DERIVED = {
    "statutory_income": STATUTORY,
    "charitable_income": CHARITABLE,
    "statutory_share": STATUTORY / over("income", "flow"),
    "statutory_share_of_expenditure": STATUTORY / over("expenditure", "flow"),
    "charitable_per_statutory_pound": CHARITABLE / STATUTORY,
    "vacancy_rate": over("vacancies", "stock") / (over("fte", "stock") + over("vacancies", "stock")),
    "volunteer_value_gbp": over("volunteer_hours", "flow") * HOURLY_RATE * (1 + ON_COST),
    "staff_and_volunteers": over("headcount", "stock") + over("volunteers", "stock"),
    "occupancy_rate": over("ipu_occupied_bed_days", "flow") / over("ipu_bed_days_available", "flow"),
    "average_length_of_stay": over("ipu_occupied_bed_days", "flow") / over("ipu_admissions", "flow"),
    "preferred_place_rate": over("deaths_in_preferred_place", "flow") / over("deaths_preference_recorded", "flow"),
    # the first quarter's patients, then the later quarter's new patients
    "people_supported": sum(cell("patients_supported", a, 1) + cell("new_patients", a, 2) for a in AGES),
}


@pytest.fixture(scope="module")
def frame(tmp_path_factory):
    store = MetricsStore(tmp_path_factory.mktemp("inputs") / "m.duckdb", codes=["AAA"])
    with store.batch():
        for quarter in (1, 2):
            store.add(
                "AAA",
                f"2024/25 Q{quarter}",
                {
                    f"{measure}/{part}" if part != "all" else measure: cell(measure, part, quarter)
                    for measure, parts in STORED.items()
                    for part in parts
                },
            )
    with store.connect() as con:
        return figures(con, Period(2024 * 4, 2024 * 4 + 1), hourly_rate=HOURLY_RATE, on_cost=ON_COST)


def test_every_figure_is_written_out_here():
    assert set(PLAIN) | set(DERIVED) == set(FIGURES)


@pytest.mark.parametrize("key", list(PLAIN))
def test_a_figure_shows_its_own_stored_measure_by_its_rule(frame, key):
    measure, rule = PLAIN[key]
    assert value_of(frame, key) == pytest.approx(over(measure, rule))
    assert FIGURES[key].rule.name == rule


@pytest.mark.parametrize("key", list(PLAIN))
def test_each_breakdown_of_a_figure_is_its_own_cell(frame, key):
    measure, rule = PLAIN[key]
    for part in FIGURES[key].breakdowns:
        assert value_of(frame, key, part) == pytest.approx(over(measure, rule, [part])), part


@pytest.mark.parametrize("key", list(DERIVED))
def test_a_figure_built_from_several_cells_combines_the_right_ones(frame, key):
    assert value_of(frame, key) == pytest.approx(DERIVED[key])


def test_each_stored_measure_has_one_period_rule():
    assert rule_measures() == {
        "stock": ["day_places", "fte", "hah_capacity", "headcount", "vacancies", "volunteers"],
        "mean": ["ipu_beds"],
    }
