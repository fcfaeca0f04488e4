"""A figure left blank in a return that is in: partial, no change given, and said so by member and quarter."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from contract.periods import Period
from metrics import change, figures, not_reported, quarterly_series
from metrics.blanks import describe
from tests.metrics_fixtures import MetricsStore

YEARS = ("2023/24", "2024/25")
# every figure a test looks at, reported by both members in every quarter unless a test leaves it out
FULL = {
    "volunteer_hours": 100,
    "volunteers": 10,
    "income/donations": 50,
    "income/nhs_contracts": 200,
    "expenditure/care": 400,
    "ipu_bed_days_available": 900,
    "ipu_occupied_bed_days/26_plus": 700,
    "ipu_admissions/26_plus": 70,
    "fte/nursing": 20,
    "vacancies/nursing": 2,
    "headcount/nursing": 22,
    "patients_supported/26_plus": 100,
    "new_patients/26_plus": 10,
}


def store_with(tmp_path, blank: dict[tuple[str, str], tuple[str, ...]] = (), **changes) -> MetricsStore:
    """AAA and BBB with a return for every quarter of 2023/24 and 2024/25.

    ``blank``: {(member, "2024/25 Q2"): figure keys left blank in that return}.
    """
    store = MetricsStore(tmp_path / "b.duckdb")
    blank = dict(blank)
    with store.batch():
        for code in ("AAA", "BBB"):
            for year in YEARS:
                for q in range(1, 5):
                    quarter = f"{year} Q{q}"
                    left_out = blank.get((code, quarter), ()) + blank.get((code, year), ())
                    store.add(code, quarter, {k: v for k, v in {**FULL, **changes}.items() if k not in left_out})
    return store


def row(frame, measure, member="ALL", breakdown="all"):
    hit = frame[(frame.measure == measure) & (frame.member_code == member) & (frame.breakdown == breakdown)]
    return hit.iloc[0]


def year_on_year(store):
    with store.connect() as con:
        return change(con, Period.year(2024), against="year_earlier")


def test_every_quarter_reported_gives_the_change(tmp_path):
    frame = year_on_year(store_with(tmp_path))
    hours = row(frame, "volunteer_hours")
    assert (hours.value, hours.comparison_value, hours.change) == (800, 800, 0)
    assert pd.isna(hours.reason)


def test_a_flow_left_blank_in_one_quarter_gives_no_change_and_says_where(tmp_path):
    store = store_with(tmp_path, {("AAA", "2024/25 Q2"): ("volunteer_hours",)})
    frame = year_on_year(store)
    for member in ("ALL", "AAA"):
        hours = row(frame, "volunteer_hours", member)
        assert math.isnan(hours.change) and math.isnan(hours.change_pct)
        assert hours.reason == "not reported for 2024/25 Q2 by AAA"
    assert row(frame, "volunteer_value_gbp").reason == "not reported for 2024/25 Q2 by AAA"
    assert row(frame, "volunteer_hours", "BBB").change == 0  # BBB reported every quarter
    assert row(frame, "volunteers").change == 0  # a stock takes the latest reported


def test_a_flow_left_blank_is_partial_in_the_figure_frame(tmp_path):
    store = store_with(tmp_path, {("AAA", "2024/25 Q2"): ("volunteer_hours",)})
    with store.connect() as con:
        frame = figures(con, Period.year(2024))
    assert row(frame, "volunteer_hours").value == 700  # the sum of what was reported...
    assert row(frame, "volunteer_hours").partial  # ...flagged as leaving a quarter out
    assert row(frame, "volunteer_hours", "AAA").partial
    assert not row(frame, "volunteer_hours", "BBB").partial
    assert not row(frame, "volunteers").partial
    assert not row(frame, "income_total").partial
    assert row(frame, "volunteer_hours").complete  # every return is in


def test_blank_quarters_are_listed_by_member(tmp_path):
    store = store_with(
        tmp_path, {("AAA", "2024/25 Q2"): ("volunteer_hours",), ("BBB", "2024/25 Q4"): ("volunteer_hours",)}
    )
    with store.connect() as con:
        rows = not_reported(con, Period.year(2024))
    hours = rows[rows.measure == "volunteer_hours"]
    assert list(zip(hours.member_code, hours.quarter_label)) == [("AAA", "2024/25 Q2"), ("BBB", "2024/25 Q4")]
    assert set(rows.measure) == {"volunteer_hours", "volunteer_value_gbp"}
    assert list(rows.columns) == ["member_code", "measure", "breakdown", "quarter_index", "quarter_label"]
    frame = year_on_year(store)
    assert row(frame, "volunteer_hours").reason == "not reported for 2024/25 Q2 by AAA; 2024/25 Q4 by BBB"


def test_a_blank_in_the_comparison_period_also_stops_the_change(tmp_path):
    frame = year_on_year(store_with(tmp_path, {("BBB", "2023/24 Q3"): ("volunteer_hours",)}))
    assert row(frame, "volunteer_hours").reason == "not reported for 2023/24 Q3 by BBB"
    assert row(frame, "volunteer_hours", "AAA").change == 0


def test_a_figure_dropped_for_a_whole_period_stops_the_combined_change(tmp_path):
    frame = year_on_year(store_with(tmp_path, {("AAA", "2024/25"): ("volunteer_hours",)}))
    assert row(frame, "volunteer_hours").reason == "not reported for 2024/25 by AAA"
    assert row(frame, "volunteer_hours", "AAA").reason == "not reported for 2024/25"


def test_a_figure_a_member_never_reports_does_not_stop_the_change(tmp_path):
    frame = year_on_year(
        store_with(tmp_path, {("BBB", "2023/24"): ("volunteer_hours",), ("BBB", "2024/25"): ("volunteer_hours",)})
    )
    hours = row(frame, "volunteer_hours")
    assert (hours.value, hours.comparison_value, hours.change) == (400, 400, 0)
    assert pd.isna(hours.reason)


def test_a_stream_left_blank_stops_that_stream_and_the_totals_built_on_it(tmp_path):
    frame = year_on_year(store_with(tmp_path, {("AAA", "2024/25 Q2"): ("income/donations",)}))
    reason = "not reported for 2024/25 Q2 by AAA"
    assert row(frame, "income_total", breakdown="donations").reason == reason
    assert row(frame, "income_total").reason == reason
    assert row(frame, "charitable_income").reason == reason
    assert row(frame, "statutory_share").reason == reason  # a rate of flows
    assert row(frame, "income_total", breakdown="nhs_contracts").change == 0
    assert row(frame, "statutory_income").change == 0  # built without donations


def test_a_rate_of_flows_with_a_blank_part_gives_no_change(tmp_path):
    frame = year_on_year(store_with(tmp_path, {("BBB", "2024/25 Q1"): ("ipu_occupied_bed_days/26_plus",)}))
    assert row(frame, "occupancy_rate").reason == "not reported for 2024/25 Q1 by BBB"
    assert row(frame, "average_length_of_stay", breakdown="26_plus").reason == "not reported for 2024/25 Q1 by BBB"
    assert row(frame, "occupancy_rate", "AAA").change == 0


def test_a_rate_of_stocks_takes_the_latest_reported(tmp_path):
    frame = year_on_year(store_with(tmp_path, {("AAA", "2024/25 Q2"): ("vacancies/nursing", "fte/nursing")}))
    assert row(frame, "vacancy_rate").change == 0
    assert pd.isna(row(frame, "vacancy_rate").reason)


def test_people_supported_with_new_patients_left_blank_gives_no_change(tmp_path):
    frame = year_on_year(store_with(tmp_path, {("AAA", "2024/25 Q3"): ("new_patients/26_plus",)}))
    for breakdown in ("26_plus", "all"):
        assert row(frame, "people_supported", breakdown=breakdown).reason == "not reported for 2024/25 Q3 by AAA"
    assert row(frame, "people_supported", "BBB").change == 0


def test_people_supported_with_the_first_quarters_patients_left_blank_gives_no_change(tmp_path):
    frame = year_on_year(store_with(tmp_path, {("AAA", "2024/25 Q1"): ("patients_supported/26_plus",)}))
    assert row(frame, "people_supported").reason == "not reported for 2024/25 Q1 by AAA"


def test_a_rolling_total_never_leaves_out_a_blank_quarter(tmp_path):
    store = store_with(tmp_path, {("AAA", "2024/25 Q2"): ("volunteer_hours",)})
    with store.connect() as con:
        series = quarterly_series(con, "volunteer_hours", Period.year(2024))
    combined = series[series.member_code == "ALL"].set_index("quarter_label")
    assert combined["value"].tolist() == [200, 100, 200, 200]  # the quarter itself: what was reported
    assert combined.loc["2024/25 Q1", "rolling_4q"] == 800  # 2023/24 Q2 to 2024/25 Q1: all reported
    assert combined.loc["2024/25 Q2":, "rolling_4q"].isna().all()  # every later window holds 2024/25 Q2
    aaa = series[series.member_code == "AAA"].set_index("quarter_label")
    assert aaa.loc["2024/25 Q2":, "rolling_4q"].isna().all()
    bbb = series[series.member_code == "BBB"].set_index("quarter_label")
    assert bbb["rolling_4q"].tolist() == [400] * 4


@pytest.mark.parametrize(
    "by_member, expected",
    [
        ({"ELM": {8097}}, "not reported for 2024/25 Q2 by ELM"),
        ({"ELM": {8097, 8099}}, "not reported for 2024/25 Q2 and 2024/25 Q4 by ELM"),
        ({"ELM": {8096, 8097, 8098, 8099}}, "not reported for 2024/25 by ELM"),
        ({"ELM": {8092, 8093, 8094, 8095, 8097}}, "not reported for 2023/24 and 2024/25 Q2 by ELM"),
        ({"OAK": {8097}, "ASH": {8093}}, "not reported for 2023/24 Q2 by ASH; 2024/25 Q2 by OAK"),
        (
            {code: {8097} for code in ("A", "B", "C", "D", "E")},
            "not reported for 2024/25 Q2 by A; 2024/25 Q2 by B; 2024/25 Q2 by C and 2 more members",
        ),
    ],
)
def test_the_words_for_blank_quarters(by_member, expected):
    assert describe(by_member, (Period.year(2024), Period.year(2023))) == expected
