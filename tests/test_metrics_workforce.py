"""Workforce: stocks take the latest reported quarter, vacancy rate is a ratio of sums, volunteer value."""

from __future__ import annotations

import math

import pytest

from contract.periods import Period
from metrics import value_of, volunteer_rate, workforce
from store import settings
from tests.metrics_fixtures import MetricsStore, figure_value


@pytest.fixture
def store(tmp_path):
    return MetricsStore(tmp_path / "m.duckdb")


@pytest.fixture
def four_quarters(store):
    with store.batch():
        for quarter, headcount in zip((1, 2, 3, 4), (10, 12, 11, 13)):
            store.add("AAA", f"2024/25 Q{quarter}", {"headcount/nursing": headcount})
    return store


@pytest.mark.parametrize(
    "period, expected",
    [
        ("2024/25", 13),  # latest quarter, never 10 + 12 + 11 + 13 = 46
        ("2024/25 Q2", 12),
        ("2024/25 Q1 to 2024/25 Q3", 11),
    ],
)
def test_headcount_is_the_latest_quarter_never_a_sum(four_quarters, period, expected):
    assert figure_value(four_quarters, "staff_headcount", period) == expected
    assert figure_value(four_quarters, "staff_headcount", period, breakdown="nursing", member="AAA") == expected


def test_latest_reported_quarter_is_per_figure(store):
    store.add("AAA", "2024/25 Q3", {"headcount/nursing": 20, "headcount/medical": 4, "fte/nursing": 15})
    store.add("AAA", "2024/25 Q4", {"headcount/medical": 5})  # nursing left blank in Q4
    assert figure_value(store, "staff_headcount", "2024/25", "nursing") == 20
    assert figure_value(store, "staff_headcount", "2024/25", "medical") == 5
    assert figure_value(store, "staff_headcount", "2024/25") == 25
    assert figure_value(store, "staff_fte", "2024/25") == 15


def test_combined_headcount_adds_each_members_latest_quarter(four_quarters):
    four_quarters.add("BBB", "2024/25 Q1", {"headcount/nursing": 7})
    four_quarters.add("BBB", "2024/25 Q2", {"headcount/nursing": 8})
    with four_quarters.connect() as con:
        frame = workforce(con, Period.year(2024))
    assert value_of(frame, "staff_headcount") == 13 + 8
    aaa = frame[(frame.member_code == "AAA") & (frame.measure == "staff_headcount") & (frame.breakdown == "all")]
    assert aaa["share"].iloc[0] == pytest.approx(13 / 21)


def test_vacancy_rate_is_a_ratio_of_sums_not_a_mean_of_rates(store):
    store.add("AAA", "2024/25 Q1", {"fte/nursing": 90, "vacancies/nursing": 10})  # 10%
    store.add("BBB", "2024/25 Q1", {"fte/nursing": 5, "vacancies/nursing": 5})  # 50%
    assert figure_value(store, "vacancy_rate", "2024/25 Q1") == pytest.approx(15 / 110)  # not 30%
    assert figure_value(store, "vacancy_rate", "2024/25 Q1", member="BBB") == pytest.approx(0.5)


def test_vacancy_rate_counts_only_groups_that_reported_both(store):
    store.add("AAA", "2024/25 Q1", {"fte/nursing": 90, "vacancies/nursing": 10, "fte/medical": 10})
    assert figure_value(store, "vacancy_rate", "2024/25 Q1") == pytest.approx(10 / 100)  # not 10 / 110
    assert math.isnan(figure_value(store, "vacancy_rate", "2024/25 Q1", "medical"))


def test_volunteers_are_a_stock_and_hours_a_flow(store):
    store.add("AAA", "2024/25 Q1", {"volunteers": 100, "volunteer_hours": 1000, "headcount/nursing": 40})
    store.add("AAA", "2024/25 Q2", {"volunteers": 110, "volunteer_hours": 500})
    assert figure_value(store, "volunteers", "2024/25") == 110
    assert figure_value(store, "volunteer_hours", "2024/25") == 1500
    assert figure_value(store, "staff_and_volunteers", "2024/25") == 40 + 110


@pytest.mark.parametrize(
    "options, setting, expected",
    [
        ({}, None, 1500 * 12.21 * 1.30),  # defaults: £12.21 + 30%
        ({"hourly_rate": 10, "on_cost": 0.5}, None, 1500 * 10 * 1.5),  # arguments override
        ({}, ("11", "0.2"), 1500 * 11 * 1.2),  # stored settings
        ({"on_cost": 0}, ("11", "0.2"), 1500 * 11),  # an argument beats a setting
    ],
)
def test_volunteer_value_is_hours_times_rate_plus_on_cost(store, options, setting, expected):
    store.add("AAA", "2024/25 Q1", {"volunteer_hours": 1000})
    store.add("AAA", "2024/25 Q2", {"volunteer_hours": 500})
    if setting:
        with store.connect() as con:
            settings.put(con, "volunteer_hourly_rate_gbp", setting[0])
            settings.put(con, "volunteer_on_cost", setting[1])
    assert figure_value(store, "volunteer_value_gbp", "2024/25", **options) == pytest.approx(expected)


def test_volunteer_value_states_its_assumption(store):
    with store.connect() as con:
        assert volunteer_rate(con).assumption == (
            "Volunteer time is valued at £12.21 an hour plus 30% on-cost (£15.87 an hour)."
        )
        assert volunteer_rate(con, hourly_rate=10, on_cost=0.25).per_hour == 12.5
