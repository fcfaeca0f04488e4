"""Capacity: beds are a mean over reported quarters, occupancy a ratio of sums, places a stock."""

from __future__ import annotations

import pytest

from tests.metrics_fixtures import MetricsStore, figure_value


@pytest.fixture
def store(tmp_path):
    store = MetricsStore(tmp_path / "m.duckdb")
    store.add(
        "AAA",
        "2024/25 Q1",
        {
            "ipu_beds": 10,
            "ipu_bed_days_available": 900,
            "hah_capacity": 40,
            "day_places": 30,
            "ipu_occupied_bed_days/26_plus": 800,
            "ipu_occupied_bed_days/18_to_25": 10,
        },
    )
    store.add("AAA", "2024/25 Q2", {"ipu_beds": 12, "hah_capacity": 45})
    store.add("AAA", "2024/25 Q3", {"day_places": 25})  # beds left blank
    store.add("AAA", "2024/25 Q4", {"ipu_beds": 14})
    store.add("BBB", "2024/25 Q1", {"ipu_beds": 4, "ipu_bed_days_available": 100, "ipu_occupied_bed_days/26_plus": 10})
    return store


@pytest.mark.parametrize(
    "key, member, expected",
    [
        ("ipu_beds", "AAA", (10 + 12 + 14) / 3),  # mean over the three reported quarters
        ("ipu_beds", "BBB", 4),
        ("ipu_beds", "ALL", 12 + 4),
        ("bed_days_available", "ALL", 1000),
        ("hah_capacity", "ALL", 45),  # latest reported quarter (Q2)
        ("day_places", "ALL", 25),  # latest reported quarter (Q3)
        ("occupancy_rate", "AAA", 0.9),
        ("occupancy_rate", "BBB", 0.1),
        ("occupancy_rate", "ALL", 820 / 1000),  # not the mean of 90% and 10%
    ],
)
def test_capacity_figures(store, key, member, expected):
    assert figure_value(store, key, "2024/25", member=member) == pytest.approx(expected)
