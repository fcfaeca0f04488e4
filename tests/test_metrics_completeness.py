"""Completeness: members covered, complete periods, missing and superseded member-quarters."""

from __future__ import annotations

import math

import pytest

from contract.periods import Period, quarter_index
from metrics import completeness, coverage, figures, summary
from tests.metrics_fixtures import MetricsStore, figure_value

YEAR = Period.year(2024)
Q = {q: quarter_index(2024, q) for q in (1, 2, 3, 4)}


@pytest.fixture
def store(tmp_path):
    """AAA sends all four quarters of 2024/25; BBB misses Q3."""
    store = MetricsStore(tmp_path / "m.duckdb")
    with store.batch():
        for quarter in (1, 2, 3, 4):
            store.add("AAA", f"2024/25 Q{quarter}", {"income/donations": 100})
            if quarter != 3:
                store.add("BBB", f"2024/25 Q{quarter}", {"income/donations": 10})
    return store


def test_a_member_missing_a_quarter_makes_the_period_incomplete(store):
    with store.connect() as con:
        cover = coverage(con, YEAR)
    assert cover.members_expected == ["AAA", "BBB"]
    assert cover.members_reporting == ["AAA", "BBB"]  # BBB still covered: it has returns
    assert cover.complete is False
    assert cover.missing == [("BBB", Q[3])]
    assert cover.as_dict() == {
        "period": "2024/25",
        "members_expected": 2,
        "members_reporting": 2,
        "complete": False,
        "missing": ["BBB 2024/25 Q3"],
    }


def test_the_combined_figure_says_what_it_covers(store):
    with store.connect() as con:
        frame = figures(con, YEAR)
    rows = frame[(frame.measure == "income_total") & (frame.breakdown == "all")].set_index("member_code")
    assert rows.loc["ALL", "value"] == 400 + 30  # the returns that are in still count
    assert rows.loc["ALL", "members_covered"] == 2
    assert not rows.loc["ALL", "complete"]
    assert rows.loc["AAA", "complete"] and not rows.loc["BBB", "complete"]


def test_complete_for_the_members_in_the_filter(store):
    with store.connect() as con:
        assert coverage(con, YEAR, ["AAA"]).complete
        assert coverage(con, Period.quarter(2024, 4)).complete
        assert not coverage(con, Period.quarter(2025, 1)).complete  # nothing in yet


def test_a_registered_member_without_returns_is_expected_but_not_covered(tmp_path):
    store = MetricsStore(tmp_path / "c.duckdb", ["AAA", "BBB", "CCC"])
    store.add("AAA", "2024/25 Q1", {"volunteers": 5})
    with store.connect() as con:
        cover = coverage(con, Period.quarter(2024, 1))
        result = summary(con, Period.quarter(2024, 1))
    assert (len(cover.members_reporting), len(cover.members_expected)) == (1, 3)
    assert (result["members_reporting"], result["members_expected"], result["complete"]) == (1, 3, False)
    assert result["missing"] == ["BBB 2024/25 Q1", "CCC 2024/25 Q1"]


def test_no_members_is_never_complete(tmp_path):
    store = MetricsStore(tmp_path / "e.duckdb", [])
    with store.connect() as con:
        assert not coverage(con, YEAR).complete


def test_the_grid_shows_in_missing_and_superseded(store):
    first = store.add("AAA", "2024/25 Q1", {"income/donations": 1000})  # a resubmission
    second = store.add("AAA", "2024/25 Q1", {"income/donations": 150})  # and another
    with store.connect() as con:
        grid = completeness(con, YEAR)
    status = {(row.member_code, row.quarter_label): row.status for row in grid.itertuples()}
    assert status[("AAA", "2024/25 Q1")] == "superseded"
    assert status[("AAA", "2024/25 Q2")] == "in"
    assert status[("BBB", "2024/25 Q3")] == "missing"
    aaa_q1 = grid[(grid.member_code == "AAA") & (grid.quarter_index == Q[1])].iloc[0]
    assert aaa_q1.submission_id == second
    assert aaa_q1.superseded_ids == [1, first]  # the original was submission 1
    assert aaa_q1.member_name == "Aaa Hospice"
    assert list(grid.columns) == [
        "member_code",
        "member_name",
        "quarter_index",
        "quarter_label",
        "status",
        "submission_id",
        "superseded_ids",
    ]


def test_a_superseded_return_is_not_counted(store):
    store.add("AAA", "2024/25 Q1", {"income/donations": 1000, "income/legacies": 7})  # a typing mistake...
    store.add("AAA", "2024/25 Q1", {"income/donations": 150})  # ...corrected
    assert figure_value(store, "income_total", "2024/25 Q1", member="AAA") == 150
    assert figure_value(store, "income_total", "2024/25", member="AAA") == 150 + 300
    # only the superseded return had legacies, so they are not reported
    assert math.isnan(figure_value(store, "income_total", "2024/25", breakdown="legacies"))
