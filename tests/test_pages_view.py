"""The view and its query string, as plain functions (no Streamlit)."""

from __future__ import annotations

import pytest

from contract.periods import Period
from ui.view import View, from_query, quarter_range, trend_view, years_of

QUARTERS = list(range(Period.parse("2022/23 Q1").first, Period.parse("2024/25 Q4").last + 1))
REGISTRY = ["ASH", "BIR", "ELM", "OAK", "WIL"]
DEFAULT = Period.year(2024)


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, View(DEFAULT)),
        ({"period": "2023/24"}, View(Period.year(2023))),
        ({"period": "2023/24 Q2"}, View(Period.parse("2023/24 Q2"))),
        ({"period": "2023/24 Q3 to 2024/25 Q2"}, View(Period.parse("2023/24 Q3 to 2024/25 Q2"))),
        ({"period": "FY 23/24"}, View(Period.year(2023))),
        ({"members": "oak,ash"}, View(DEFAULT, ("ASH", "OAK"))),
        ({"members": "ASH,NOPE"}, View(DEFAULT, ("ASH",))),
        ({"age": "under_18"}, View(DEFAULT, (), "under_18")),
        # unreadable or out of range: the default
        ({"period": "last year"}, View(DEFAULT)),
        ({"period": "2030/31"}, View(DEFAULT)),
        ({"age": "old"}, View(DEFAULT)),
    ],
)
def test_a_query_string_reads_into_a_view(query, expected):
    assert from_query(query, default=DEFAULT, quarters=QUARTERS, registry=REGISTRY) == expected


@pytest.mark.parametrize(
    "view, query",
    [
        (View(DEFAULT), {"period": "2024/25"}),
        (
            View(Period.parse("2024/25 Q2"), ("ASH", "OAK"), "under_18"),
            {"period": "2024/25 Q2", "members": "ASH,OAK", "age": "under_18"},
        ),
        (View(Period.parse("2023/24 Q3 to 2024/25 Q2")), {"period": "2023/24 Q3 to 2024/25 Q2"}),
    ],
)
def test_a_view_writes_the_query_string_that_reads_back_into_it(view, query):
    assert view.query() == query
    assert from_query(query, default=DEFAULT, quarters=QUARTERS, registry=REGISTRY) == view


def test_years_and_quarters_offered():
    assert years_of(QUARTERS) == [2024, 2023, 2022]
    assert quarter_range([QUARTERS[0], QUARTERS[5]]) == QUARTERS[:6]  # gaps included


@pytest.mark.parametrize(
    "period, expected",
    [
        ("2024/25", "2023/24 Q1 to 2024/25 Q4"),  # two years: the same period last year shows
        ("2024/25 Q2", "2022/23 Q3 to 2024/25 Q2"),
        ("2022/23 Q2", "2022/23 Q1 to 2022/23 Q2"),  # never before the first quarter with data
    ],
)
def test_charts_over_time_reach_back_two_years(period, expected):
    assert trend_view(View(Period.parse(period)), QUARTERS).period.label == expected
