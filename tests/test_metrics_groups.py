"""Other members: past a dozen members, charts get each figure's ten largest and the rest added together."""

from __future__ import annotations

import math

import pytest

import charts
from contract.periods import Period
from metrics import figures, quarterly_series
from metrics.groups import OTHERS
from tests.metrics_fixtures import MetricsStore

CODES = [f"M{i:02d}" for i in range(14)]  # fourteen members: more than top + 2


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Member i has volunteer hours 10 * (i + 1) a quarter and 100 - i bed days available; M13 left
    its occupied bed days blank, so its beds do not count towards any occupancy."""
    store = MetricsStore(tmp_path_factory.mktemp("groups") / "g.duckdb", CODES)
    with store.batch():
        for i, code in enumerate(CODES):
            for quarter in ("2024/25 Q1", "2024/25 Q2"):
                values = {
                    "volunteer_hours": 10 * (i + 1),
                    "ipu_bed_days_available": 100 - i,
                    "ipu_occupied_bed_days/26_plus": 50 + i,
                    "income/donations": 1000,
                }
                if code == "M13":
                    del values["ipu_occupied_bed_days/26_plus"]
                store.add(code, quarter, values)
    return store


def rows(frame, measure, breakdown="all"):
    return frame[(frame.measure == measure) & (frame.breakdown == breakdown)].set_index("member_code")


def test_each_figure_keeps_its_ten_largest_members_and_adds_the_rest(store):
    with store.connect() as con:
        frame = figures(con, Period.quarter(2024, 1), top=10)
    hours = rows(frame, "volunteer_hours")
    assert list(hours.index) == ["ALL", *reversed(CODES[4:]), OTHERS]  # largest first, then the rest
    assert hours.loc[OTHERS, "value"] == 10 + 20 + 30 + 40  # M00 to M03 added together
    assert hours.loc[OTHERS, "share"] == pytest.approx(100 / hours.loc["ALL", "value"])
    assert hours.loc[OTHERS, "members_covered"] == 4
    assert hours.loc[OTHERS, "complete"] and not hours.loc[OTHERS, "partial"]
    assert hours.loc["ALL", "value"] == sum(10 * (i + 1) for i in range(14))  # the collaborative is untouched


def test_the_others_rate_is_the_ratio_of_their_sums_and_the_largest_base_decides(store):
    with store.connect() as con:
        frame = figures(con, Period.quarter(2024, 1), top=10)
    occupancy = rows(frame, "occupancy_rate")
    # largest bed days available first: M00 (100) to M09 (91); M13 reported no occupied days, so no base
    assert list(occupancy.index) == ["ALL", *CODES[:10], OTHERS]
    others = [10, 11, 12]
    expected = sum(50 + i for i in others) / sum(100 - i for i in others)
    assert occupancy.loc[OTHERS, "value"] == pytest.approx(expected)  # not a mean of their rates
    assert math.isnan(occupancy.loc[OTHERS, "share"])


def test_twelve_members_or_fewer_are_never_grouped(store):
    members = CODES[:12]
    with store.connect() as con:
        grouped = figures(con, Period.quarter(2024, 1), members, top=10)
        plain = figures(con, Period.quarter(2024, 1), members)
    assert grouped.equals(plain)


def test_a_series_names_the_same_members_every_quarter(store):
    with store.connect() as con:
        series = quarterly_series(
            con,
            "volunteer_hours",
            Period(Period.quarter(2024, 1).first, Period.quarter(2024, 2).last),
            rolling=False,
            top=10,
        )
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
    by_quarter = series.groupby("quarter_label")["member_code"].apply(list)
    assert by_quarter.iloc[0] == by_quarter.iloc[1] == ["ALL", *reversed(CODES[4:]), OTHERS]
    others = series[series.member_code == OTHERS]
    assert list(others["value"]) == [100, 100] and list(others["members_reporting"]) == [4, 4]


def test_several_figures_and_every_breakdown_in_one_series(store):
    with store.connect() as con:
        series = quarterly_series(
            con, ["volunteer_hours", "income_total"], Period.quarter(2024, 1), breakdown=None, rolling=False
        )
    assert set(series.measure) == {"volunteer_hours", "income_total"}
    income = series[(series.measure == "income_total") & (series.member_code == "ALL")]
    assert income.set_index("breakdown").loc["donations", "value"] == 14_000
    assert len(income) == 10  # "all" and nine streams
    assert series["rolling_4q"].isna().all()


def test_charts_draw_the_others_in_grey_as_other_members(store):
    with store.connect() as con:
        frame = figures(con, Period.quarter(2024, 1), top=10)
    fig = charts.by_member(frame, "volunteer_hours", "Hours", colours=charts.member_colours(CODES))
    assert list(fig.data[0].y)[-1] == "Other members"
    assert list(fig.data[0].marker.color)[-1] == "#BDBDBD"
    assert len(fig.data[0].y) == 11


@pytest.mark.parametrize("code", ["ALL", "others"])
def test_the_codes_of_the_combined_rows_cannot_name_a_member(code):
    from store.members import Member, MemberError, check

    with pytest.raises(MemberError, match=f"Member code '{code.upper()}' is kept for"):
        check(Member(code, "A Hospice", "adult"))
