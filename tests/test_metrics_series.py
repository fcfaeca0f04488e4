"""Quarterly series for charts: one value a quarter, and rolling four-quarter figures for flows."""

from __future__ import annotations

import math

import pytest

from contract.periods import Period, quarter_index
from metrics import quarterly_series
from tests.metrics_fixtures import MetricsStore

SIX_QUARTERS = Period(quarter_index(2023, 3), quarter_index(2024, 4))  # 2023/24 Q3 to 2024/25 Q4


@pytest.fixture
def store(tmp_path):
    """AAA: six quarters from 2023/24 Q3, income 10, 20, ... 60; headcount 5, 6, ... 10."""
    store = MetricsStore(tmp_path / "m.duckdb", ["AAA"])
    with store.batch():
        for n, index in enumerate(SIX_QUARTERS.quarters, start=1):
            fy, q = divmod(index, 4)
            store.add(
                "AAA",
                f"{fy}/{(fy + 1) % 100:02d} Q{q + 1}",
                {
                    "income/donations": 10 * n,
                    "headcount/nursing": 4 + n,
                    "patients_supported/26_plus": 100,
                    "new_patients/26_plus": 10,
                },
            )
    return store


def combined(series):
    return series[series.member_code == "ALL"].set_index("quarter_label")


def test_a_flow_quarter_by_quarter_with_rolling_totals(store):
    with store.connect() as con:
        series = combined(quarterly_series(con, "income_total", Period.year(2024)))
    assert list(series.index) == ["2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2024/25 Q4"]
    assert list(series["value"]) == [30, 40, 50, 60]
    assert math.isnan(series.loc["2024/25 Q1", "rolling_4q"])  # needs 2023/24 Q2, which is not in
    assert series.loc["2024/25 Q2", "rolling_4q"] == 10 + 20 + 30 + 40
    assert series.loc["2024/25 Q4", "rolling_4q"] == 30 + 40 + 50 + 60


def test_a_stock_has_no_rolling_total(store):
    with store.connect() as con:
        series = combined(quarterly_series(con, "staff_headcount", Period.year(2024)))
    assert list(series["value"]) == [7, 8, 9, 10]
    assert series["rolling_4q"].isna().all()


def test_people_supported_rolling_follows_the_people_rule(store):
    with store.connect() as con:
        series = combined(quarterly_series(con, "people_supported", Period.year(2024), breakdown="26_plus"))
    assert list(series["value"]) == [100] * 4
    assert series.loc["2024/25 Q4", "rolling_4q"] == 100 + 3 * 10


def test_series_rows_carry_members_and_labels(store):
    with store.connect() as con:
        series = quarterly_series(con, "income_total", Period.quarter(2024, 1))
    assert list(series.columns) == [
        "member_code",
        "measure",
        "breakdown",
        "quarter_index",
        "quarter_label",
        "value",
        "rolling_4q",
        "unit",
        "kind",
        "members_reporting",
        "complete",
        "partial",
    ]
    assert list(series["member_code"]) == ["ALL", "AAA"]
    assert list(series["members_reporting"]) == [1, 1]


def test_an_unknown_breakdown_says_which_there_are(store):
    with store.connect() as con, pytest.raises(KeyError, match="'nursing' is not a breakdown of income_total"):
        quarterly_series(con, "income_total", Period.year(2024), breakdown="nursing")
