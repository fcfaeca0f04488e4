"""Change: given only where both periods are complete for the same members, else a reason."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from contract.periods import Period
from metrics import change
from tests.metrics_fixtures import MetricsStore


@pytest.fixture
def store(tmp_path):
    store = MetricsStore(tmp_path / "m.duckdb")
    with store.batch():
        for code, donations in (("AAA", 100), ("BBB", 50)):
            store.add(code, "2024/25 Q1", {"income/donations": donations, "income/nhs_contracts": 100})
            store.add(code, "2024/25 Q2", {"income/donations": donations * 2, "income/nhs_contracts": 100})
    return store


def row(frame, measure, member="ALL", breakdown="all"):
    hit = frame[(frame.measure == measure) & (frame.member_code == member) & (frame.breakdown == breakdown)]
    return hit.iloc[0]


def test_change_against_a_complete_previous_quarter(store):
    with store.connect() as con:
        frame = change(con, Period.quarter(2024, 2))
    income = row(frame, "income_total")
    assert (income.value, income.comparison_value, income.change) == (500, 350, 150)
    assert income.change_pct == pytest.approx(150 / 350)
    assert income.comparison_period == "2024/25 Q1"
    assert pd.isna(income.reason)


def test_a_rate_changes_by_a_difference_of_fractions(store):
    with store.connect() as con:
        share = row(change(con, Period.quarter(2024, 2)), "statutory_share")
    assert share.change == pytest.approx(200 / 500 - 200 / 350)
    assert math.isnan(share.change_pct)


def test_no_change_when_the_comparison_period_is_incomplete(store):
    with store.connect() as con:
        frame = change(con, Period.quarter(2024, 2), against="year_earlier")
    income = row(frame, "income_total")
    assert math.isnan(income.change) and math.isnan(income.comparison_value)
    assert income.reason == "2023/24 Q2 is incomplete: no return from AAA 2023/24 Q2, BBB 2023/24 Q2"


def test_a_member_missing_from_one_period_stops_the_combined_change_only(tmp_path):
    store = MetricsStore(tmp_path / "c.duckdb")
    store.add("AAA", "2024/25 Q1", {"income/donations": 100})
    store.add("AAA", "2024/25 Q2", {"income/donations": 120})
    store.add("BBB", "2024/25 Q2", {"income/donations": 60})  # BBB's Q1 never came
    with store.connect() as con:
        frame = change(con, Period.quarter(2024, 2))
    assert row(frame, "income_total").reason == "2024/25 Q1 is incomplete: no return from BBB 2024/25 Q1"
    assert math.isnan(row(frame, "income_total").change)
    assert row(frame, "income_total", "AAA").change == 20  # AAA has both quarters
    assert row(frame, "income_total", "BBB").reason.startswith("2024/25 Q1 is incomplete")


def test_a_figure_not_reported_in_one_period_says_so(store):
    store.add("AAA", "2024/25 Q2", {"income/donations": 200, "income/nhs_contracts": 100, "volunteers": 4})
    with store.connect() as con:
        frame = change(con, Period.quarter(2024, 2), members=["AAA"])
    assert row(frame, "volunteers").reason == "not reported for 2024/25 Q1"


def test_a_year_against_the_year_before(store):
    with store.batch():
        for code in ("AAA", "BBB"):
            for quarter in (3, 4):
                store.add(code, f"2024/25 Q{quarter}", {"income/donations": 10})
    with store.connect() as con:
        frame = change(con, Period.year(2024))
    assert row(frame, "income_total").comparison_period == "2023/24"
    assert row(frame, "income_total").reason.startswith("2023/24 is incomplete: no return from AAA 2023/24 Q1, ")
    assert row(frame, "income_total").reason.endswith(" and 5 more")


def test_against_must_be_known(store):
    with store.connect() as con, pytest.raises(ValueError, match="previous, year_earlier"):
        change(con, Period.quarter(2024, 2), against="last_month")
