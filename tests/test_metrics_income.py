"""Income: totals by stream, statutory and charitable, shares as ratios of sums, not reported vs zero."""

from __future__ import annotations

import math

import pytest

from contract.periods import Period
from metrics import income, summary, value_of
from tests.metrics_fixtures import MetricsStore, figure_value


@pytest.fixture
def store(tmp_path):
    store = MetricsStore(tmp_path / "m.duckdb")
    store.add(
        "AAA",
        "2024/25 Q1",
        {
            "income/nhs_contracts": 300,
            "income/other_statutory": 20,
            "income/donations": 100,
            "income/legacies": 0,
            "expenditure/care": 500,
        },
    )
    store.add(
        "AAA",
        "2024/25 Q2",
        {"income/nhs_contracts": 300, "income/donations": 280, "expenditure/care": 300, "expenditure/support": 200},
    )
    store.add("BBB", "2024/25 Q1", {"income/nhs_contracts": 50, "income/donations": 50})  # no expenditure
    return store


@pytest.fixture
def year(store):
    with store.connect() as con:
        return income(con, Period.year(2024))


@pytest.mark.parametrize(
    "key, breakdown, member, expected",
    [
        ("income_total", "all", "AAA", 1000),
        ("income_total", "nhs_contracts", "AAA", 600),
        ("income_total", "donations", "ALL", 430),
        ("income_total", "all", "ALL", 1100),
        ("statutory_income", "all", "ALL", 620 + 50),
        ("charitable_income", "all", "ALL", 380 + 50),
        ("expenditure_total", "all", "AAA", 1000),
        ("expenditure_total", "support", "AAA", 200),
        ("expenditure_total", "all", "BBB", math.nan),
    ],
)
def test_income_and_expenditure_are_summed(year, key, breakdown, member, expected):
    got = value_of(year, key, breakdown, member)
    assert (math.isnan(got) and math.isnan(expected)) or got == expected


def test_statutory_share_is_a_ratio_of_sums(year):
    assert value_of(year, "statutory_share", member_code="AAA") == pytest.approx(0.62)
    assert value_of(year, "statutory_share", member_code="BBB") == pytest.approx(0.5)
    assert value_of(year, "statutory_share") == pytest.approx(670 / 1100)  # not (62% + 50%) / 2


def test_statutory_share_of_expenditure_counts_members_that_reported_expenditure(year):
    # BBB sent no expenditure: its statutory income must not be set against AAA's costs
    assert value_of(year, "statutory_share_of_expenditure") == pytest.approx(620 / 1000)  # not 670 / 1000


def test_charitable_pounds_for_every_statutory_pound(year):
    assert value_of(year, "charitable_per_statutory_pound") == pytest.approx(430 / 670)


def test_a_member_share_of_the_combined_total(year):
    rows = year[(year.measure == "income_total") & (year.breakdown == "all")].set_index("member_code")
    assert rows.loc["AAA", "share"] == pytest.approx(1000 / 1100)
    assert rows.loc["ALL", "share"] == 1
    assert math.isnan(year[year.measure == "statutory_share"]["share"].iloc[0])


def test_not_reported_is_not_zero(store, year):
    assert value_of(year, "income_total", "legacies") == 0  # reported as 0: none
    assert math.isnan(value_of(year, "income_total", "retail"))  # left blank: not reported
    with store.connect() as con:
        result = summary(con, Period.year(2024))
    assert result["income_by_stream"]["legacies"] == 0
    assert result["income_by_stream"]["retail"] is None
    assert result["by_member"]["BBB"]["expenditure_total"] is None


def test_zero_statutory_income_is_a_zero_share_not_missing(tmp_path):
    store = MetricsStore(tmp_path / "z.duckdb")
    store.add("AAA", "2024/25 Q1", {"income/nhs_contracts": 0, "income/donations": 100})
    assert figure_value(store, "statutory_share", "2024/25 Q1") == 0
    assert math.isnan(figure_value(store, "charitable_per_statutory_pound", "2024/25 Q1"))  # £ per £0


def test_a_member_that_left_statutory_income_blank_is_left_out_of_the_share(tmp_path):
    store = MetricsStore(tmp_path / "s.duckdb")
    with store.batch():
        store.add("AAA", "2024/25 Q1", {"income/nhs_contracts": 300, "income/donations": 700})
        store.add("BBB", "2024/25 Q1", {"income/donations": 500})  # statutory streams left blank
    # blank is not reported, not zero: BBB's income must not dilute the share
    assert figure_value(store, "statutory_share", "2024/25 Q1") == pytest.approx(300 / 1000)  # not 300 / 1500
    assert figure_value(store, "income_total", "2024/25 Q1") == 1500
