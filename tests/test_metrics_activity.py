"""Activity: people supported by the spec's rule, flows summed, rates as ratios of sums, every age group."""

from __future__ import annotations

import math

import pytest

from contract.periods import Period
from metrics import activity, value_of
from metrics.definitions import BREAKDOWNS
from tests.metrics_fixtures import MetricsStore, figure_value


@pytest.fixture
def store(tmp_path):
    return MetricsStore(tmp_path / "m.duckdb")


@pytest.fixture
def people(store):
    quarters = {  # (patients_supported, new_patients) for 26_plus; under_18 starts in Q2
        1: {"patients_supported/26_plus": 100, "new_patients/26_plus": 30},
        2: {
            "patients_supported/26_plus": 110,
            "new_patients/26_plus": 40,
            "patients_supported/under_18": 5,
            "new_patients/under_18": 2,
        },
        3: {
            "patients_supported/26_plus": 105,
            "new_patients/26_plus": 25,
            "patients_supported/under_18": 4,
            "new_patients/under_18": 1,
        },
        4: {"patients_supported/26_plus": 120, "new_patients/26_plus": 35},
    }
    with store.batch():
        for quarter, values in quarters.items():
            store.add("AAA", f"2024/25 Q{quarter}", values)
    return store


@pytest.mark.parametrize(
    "period, breakdown, expected",
    [
        ("2024/25", "26_plus", 100 + 40 + 25 + 35),  # not 435 (a sum) nor 120 (the last quarter)
        ("2024/25", "under_18", 5 + 1),  # first reported quarter is Q2
        ("2024/25", "all", 200 + 6),
        ("2024/25 Q3 to 2024/25 Q4", "26_plus", 105 + 35),
        ("2024/25 Q2", "26_plus", 110),  # one quarter: patients supported
        ("2024/25 Q1", "under_18", math.nan),  # not reported, never 0
    ],
)
def test_people_supported_counts_first_quarter_then_new_patients(people, period, breakdown, expected):
    got = figure_value(people, "people_supported", period, breakdown)
    assert (math.isnan(got) and math.isnan(expected)) or got == expected


def test_people_supported_adds_members(people):
    people.add("BBB", "2024/25 Q1", {"patients_supported/26_plus": 50, "new_patients/26_plus": 50})
    people.add("BBB", "2024/25 Q2", {"patients_supported/26_plus": 60, "new_patients/26_plus": 20})
    assert figure_value(people, "people_supported", "2024/25", "26_plus") == 200 + 70
    assert figure_value(people, "new_patients", "2024/25", "26_plus") == 130 + 70


def test_average_length_of_stay_is_a_ratio_of_sums(store):
    store.add("AAA", "2024/25 Q1", {"ipu_occupied_bed_days/26_plus": 1000, "ipu_admissions/26_plus": 100})  # 10
    store.add("BBB", "2024/25 Q1", {"ipu_occupied_bed_days/26_plus": 100, "ipu_admissions/26_plus": 50})  # 2
    assert figure_value(store, "average_length_of_stay", "2024/25 Q1") == pytest.approx(1100 / 150)  # not 6
    assert figure_value(store, "average_length_of_stay", "2024/25 Q1", "26_plus", "AAA") == 10


def test_preferred_place_rate_is_a_ratio_of_sums(store):
    store.add("AAA", "2024/25 Q1", {"deaths_in_preferred_place/26_plus": 80, "deaths_preference_recorded/26_plus": 100})
    store.add("BBB", "2024/25 Q1", {"deaths_in_preferred_place/26_plus": 1, "deaths_preference_recorded/26_plus": 10})
    assert figure_value(store, "preferred_place_rate", "2024/25 Q1") == pytest.approx(81 / 110)  # not 45%


def test_a_rate_with_a_zero_denominator_is_not_reported(store):
    store.add("AAA", "2024/25 Q1", {"ipu_occupied_bed_days/26_plus": 0, "ipu_admissions/26_plus": 0})
    assert math.isnan(figure_value(store, "average_length_of_stay", "2024/25 Q1"))


# figure -> the stored measure it sums (written out: not read off metrics)
FLOWS = {
    "new_patients": "new_patients",
    "new_referrals": "new_referrals",
    "ipu_admissions": "ipu_admissions",
    "occupied_bed_days": "ipu_occupied_bed_days",
    "hah_visits": "hah_visits",
    "community_contacts": "community_contacts",
    "day_attendances": "day_attendances",
    "family_supported": "family_supported",
    "bereavement_clients": "bereavement_clients",
    "deaths": "deaths",
    "deaths_preference_recorded": "deaths_preference_recorded",
    "deaths_in_preferred_place": "deaths_in_preferred_place",
}


@pytest.mark.parametrize("key", list(FLOWS))
def test_every_activity_flow_is_summed_by_age_group_and_in_total(store, key):
    measure = FLOWS[key]
    with store.batch():
        for quarter in (1, 2):
            store.add(
                "AAA",
                f"2024/25 Q{quarter}",
                {f"{measure}/under_18": 1, f"{measure}/18_to_25": 2, f"{measure}/26_plus": 4},
            )
    with store.connect() as con:
        frame = activity(con, Period.year(2024))
    assert [value_of(frame, key, age) for age in BREAKDOWNS["age group"]] == [2, 4, 8]
    assert value_of(frame, key) == 14


@pytest.mark.parametrize("key", ["average_length_of_stay", "preferred_place_rate", "people_supported"])
def test_rates_and_people_come_by_age_group_too(store, key):
    with store.connect() as con:
        frame = activity(con, Period.year(2024))
    rows = frame[(frame.measure == key) & (frame.member_code == "ALL")]
    assert list(rows["breakdown"]) == ["all", *BREAKDOWNS["age group"]]
