"""Partial figures as the spec's "Metric rules" define them, on returns checked by hand.

A rate sums both its sides over the same member-quarters (those where both are
reported), and is partial where a quarter whose return is in has one side blank;
any figure is partial where a member reported one of its cells in some quarters
of the period and left it blank in another whose return is in.
"""

from __future__ import annotations

import pytest

from contract.periods import Period
from metrics import figures, not_reported, summary, value_of
from tests.metrics_fixtures import MetricsStore

YEAR = Period.year(2024)


def quarter(n: int) -> str:
    return f"2024/25 Q{n}"


@pytest.fixture
def store(tmp_path):
    return MetricsStore(tmp_path / "p.duckdb", codes=["AAA", "BBB"])


def test_a_rate_sets_income_against_the_costs_of_the_same_quarters(store):
    """AAA sends its Expenditure sheet in Q1 only: its share is Q1's income over Q1's costs, not a year over Q1."""
    with store.batch():
        for n in (1, 2, 3, 4):
            values = {"income/nhs_contracts": 300, "income/donations": 700}
            if n == 1:
                values["expenditure/care"] = 1000
            store.add("AAA", quarter(n), values)
            store.add("BBB", quarter(n), {"income/nhs_contracts": 100, "expenditure/care": 400})
    with store.connect() as con:
        frame = figures(con, YEAR)
        result = summary(con, YEAR)
    assert value_of(frame, "statutory_share_of_expenditure", member_code="AAA") == pytest.approx(300 / 1000)
    # combined: AAA's Q1 (300 / 1000) with BBB's year (400 / 1600), not AAA's year of income over one quarter
    assert value_of(frame, "statutory_share_of_expenditure") == pytest.approx((300 + 400) / (1000 + 1600))
    rows = frame[(frame.measure == "statutory_share_of_expenditure") & (frame.breakdown == "all")]
    assert dict(zip(rows.member_code, rows.partial)) == {"ALL": True, "AAA": True, "BBB": False}
    lacking = ["AAA 2024/25 Q2", "AAA 2024/25 Q3", "AAA 2024/25 Q4"]
    assert result["partial"]["statutory_share_of_expenditure"] == lacking
    assert result["by_member"]["AAA"]["partial"]["statutory_share_of_expenditure"] == lacking
    assert "statutory_share_of_expenditure" not in result["by_member"]["BBB"]["partial"]
    # the income figures themselves are whole
    assert "income_total" not in result["partial"] and "statutory_share" not in result["partial"]


def test_a_rate_is_partial_even_when_the_member_never_reports_one_side(store):
    """A year of income against no costs at all is exactly what must not be hidden."""
    with store.batch():
        for n in (1, 2):
            store.add("AAA", quarter(n), {"income/nhs_contracts": 300})
            store.add("BBB", quarter(n), {"income/nhs_contracts": 100, "expenditure/care": 400})
    with store.connect() as con:
        frame = figures(con, Period(2024 * 4, 2024 * 4 + 1))
        result = summary(con, Period(2024 * 4, 2024 * 4 + 1))
    assert value_of(frame, "statutory_share_of_expenditure") == pytest.approx(200 / 800)
    assert result["partial"]["statutory_share_of_expenditure"] == ["AAA 2024/25 Q1", "AAA 2024/25 Q2"]
    # the expenditure total is not partial: AAA never reports it, so it is simply not in it
    assert "expenditure_total" not in result["partial"]


def test_a_rate_of_stocks_takes_the_latest_quarter_with_both_sides(store):
    """Vacancies left blank in Q4 while FTE is reported: the vacancy rate is Q3's, and partial."""
    with store.batch():
        for n in (1, 2, 3, 4):
            values = {"fte/nursing": 10 * n, "headcount/nursing": 12 * n}
            if n < 4:
                values["vacancies/nursing"] = n
            store.add("AAA", quarter(n), values)
    with store.connect() as con:
        frame = figures(con, YEAR, ["AAA"])
        rows = not_reported(con, YEAR, ["AAA"])
    assert value_of(frame, "vacancy_rate") == pytest.approx(3 / (30 + 3))
    assert value_of(frame, "vacancy_rate", "nursing") == pytest.approx(3 / (30 + 3))
    assert value_of(frame, "staff_fte") == 40  # the stock itself: its latest quarter
    assert value_of(frame, "vacancies") == 3  # Q3's, the latest reported, and partial
    partial = set(rows.loc[rows.breakdown == "all", "measure"])
    assert partial == {"vacancy_rate", "vacancies"}
    assert set(rows["quarter_label"]) == {"2024/25 Q4"}


def test_a_rate_by_age_group_is_partial_only_where_a_side_is_blank(store):
    with store.batch():
        store.add(
            "AAA",
            quarter(1),
            {"ipu_occupied_bed_days/26_plus": 700, "ipu_admissions/26_plus": 70, "ipu_occupied_bed_days/18_to_25": 40},
        )
        store.add(
            "AAA",
            quarter(2),
            {
                "ipu_occupied_bed_days/26_plus": 500,
                "ipu_admissions/26_plus": 50,
                "ipu_occupied_bed_days/18_to_25": 20,
                "ipu_admissions/18_to_25": 4,
            },
        )
    with store.connect() as con:
        frame = figures(con, Period(2024 * 4, 2024 * 4 + 1))
    stay = frame[(frame.measure == "average_length_of_stay") & (frame.member_code == "ALL")].set_index("breakdown")
    assert stay.at["26_plus", "value"] == pytest.approx(1200 / 120) and not stay.at["26_plus", "partial"]
    assert stay.at["18_to_25", "value"] == pytest.approx(20 / 4) and stay.at["18_to_25", "partial"]
    assert stay.at["all", "value"] == pytest.approx((1200 + 20) / (120 + 4)) and stay.at["all", "partial"]
    assert not stay.at["under_18", "partial"]  # never reported by anyone: nothing is partial


def test_nothing_is_partial_when_every_cell_is_reported(store):
    with store.batch():
        for n in (1, 2, 3, 4):
            store.add("AAA", quarter(n), {"income/nhs_contracts": 300, "income/donations": 50, "expenditure/care": 900})
    with store.connect() as con:
        assert summary(con, YEAR)["partial"] == {}
        assert not figures(con, YEAR)["partial"].any()


def test_fte_with_vacancies_left_blank_makes_the_vacancy_rate_partial(store):
    """Either side of FTE + vacancies left blank is one-sided, never a member silently dropped."""
    with store.batch():
        store.add("AAA", quarter(1), {"fte/nursing": 10})
        store.add("AAA", quarter(4), {"fte/nursing": 10})
        store.add("BBB", quarter(1), {"fte/nursing": 10, "vacancies/nursing": 10})
    with store.connect() as con:
        result = summary(con, YEAR)
    assert result["partial"]["vacancy_rate"] == ["AAA 2024/25 Q1", "AAA 2024/25 Q4"]
    assert result["by_member"]["AAA"]["partial"]["vacancy_rate"] == ["AAA 2024/25 Q1", "AAA 2024/25 Q4"]


def test_quarters_before_a_member_joined_are_not_counted_as_left_blank(tmp_path):
    from metrics import change
    from store import members as registry

    store = MetricsStore(tmp_path / "j.duckdb", codes=["AAA", "BBB"])
    with store.connect() as con:
        registry.upsert(con, registry.Member("AAA", "Aaa Hospice", "adult", joined=2024 * 4 + 2))
    with store.batch():
        for n in (1, 2, 3, 4):
            store.add("BBB", quarter(n), {"volunteer_hours": 100})
            store.add("BBB", f"2025/26 Q{n}", {"volunteer_hours": 100})
            store.add("AAA", f"2025/26 Q{n}", {"volunteer_hours": 50})
        for n in (3, 4):
            store.add("AAA", quarter(n), {"volunteers": 5})  # returns in, hours left blank
    with store.connect() as con:
        rows = change(con, Period.year(2025), against="year_earlier")
    reason = rows[(rows.member_code == "ALL") & (rows.measure == "volunteer_hours") & (rows.breakdown == "all")]
    assert reason["reason"].iloc[0] == "not reported for 2024/25 Q3 and 2024/25 Q4 by AAA"
