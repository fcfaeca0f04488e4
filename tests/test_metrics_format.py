"""UK display text for figures."""

from __future__ import annotations

import math

import pytest

from contract.periods import Period
from metrics import format as fmt


@pytest.mark.parametrize(
    "value, unit, kind, expected",
    [
        (45_200_000, "£", "flow", "£45.2m"),
        (999_999.6, "£", "flow", "£1.0m"),
        (830_400, "£", "flow", "£830k"),
        (12_345, "£", "flow", "£12k"),
        (1_234.4, "£", "flow", "£1,234"),
        (-1_234, "£", "flow", "-£1,234"),
        (2.6123, "£", "rate", "£2.61"),  # charitable £ per statutory £
        (1_380, "people", "stock", "1,380"),
        (0.3149, "%", "rate", "31%"),
        (1_070.64, "FTE", "stock", "1,070.6"),
        (25_550, "days", "flow", "25,550"),  # bed days: a count
        (12.43, "days", "rate", "12.4"),  # length of stay: an average
        (70, "beds", "mean", "70"),
        (9.5, "beds", "mean", "9.5"),
        (95.96, "beds", "mean", "96"),
        (None, "£", "flow", "not reported"),
        (math.nan, "%", "rate", "not reported"),
    ],
)
def test_value_by_unit(value, unit, kind, expected):
    assert fmt.value(value, unit, kind=kind) == expected


@pytest.mark.parametrize(
    "difference, unit, expected",
    [
        (1_200_000, "£", "+£1.2m"),
        (-40, "people", "-40"),
        (0.031, "%", "+3.1 pts"),
        (math.nan, "£", "-"),
    ],
)
def test_change(difference, unit, expected):
    assert fmt.change(difference, unit, missing="-") == expected


def test_period_text():
    assert fmt.period_label(Period.quarter(2024, 1)) == "2024/25 Q1"
    assert fmt.period_title(Period.year(2024)) == "2024/25 (April 2024 to March 2025)"


@pytest.mark.parametrize(
    "value, unit, kind, expected",
    [
        (0.053, "%", "rate", "5.3%"),  # rates below 10% keep a decimal place...
        (0.0994, "%", "rate", "9.9%"),
        (0.0996, "%", "rate", "10%"),  # ...judged after rounding, so never "10.0%"
        (0.1, "%", "rate", "10%"),
        (0.004, "%", "rate", "0.4%"),  # a small member's share of 250 is not "0%"
        (0.0, "%", "rate", "0%"),
        (10.04, "days", "rate", "10.0"),  # average length of stay: one decimal, even when whole
        (10.04, "days", "flow", "10"),  # bed days: a count
    ],
)
def test_small_rates_and_lengths_of_stay_keep_a_decimal_place(value, unit, kind, expected):
    assert fmt.value(value, unit, kind=kind) == expected


@pytest.mark.parametrize(
    "value, places, expected", [(0.053, None, "5.3%"), (0.053, 0, "5%"), (0.3149, 1, "31.5%"), (0.3149, None, "31%")]
)
def test_percent_places_can_be_fixed(value, places, expected):
    assert fmt.percent(value, places) == expected
