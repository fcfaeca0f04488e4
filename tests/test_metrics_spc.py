"""``metrics.spc.xmr`` against the R reference: the designed cases, the spec's worked examples, each rule by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from metrics.spc import r_mean, xmr

CASES_FILE = Path(__file__).resolve().parents[2] / "shared" / "spc" / "expected_vectors.json"
CASES = json.loads(CASES_FILE.read_text()) if CASES_FILE.exists() else {}


def chart_of(case: dict):
    given = case["input"]
    y = given["y"]
    rebase = [position + 1 for position in given.get("rebase_at", [])]  # dates are 1..n
    return xmr(
        y,
        direction=given["direction"],
        target=given.get("target"),
        rebase=rebase,
        fix_after_n_points=given.get("fix"),
        screen_outliers=given.get("screen", True),
    )


@pytest.mark.skipif(
    not CASES, reason="the designed cases (shared/spc/expected_vectors.json) are not beside the repository"
)
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_designed_cases_agree_with_r_point_by_point(name):
    case = CASES[name]
    chart = chart_of(case)
    points = chart.points
    for group, expected in case["groups"].items():
        rows = points[points["group"] == int(group)]
        for column in ("mean", "lpl", "upl"):
            got, want = rows[column].iloc[0], expected[column]
            if want is None or (isinstance(want, float) and math.isnan(want)):
                assert math.isnan(got), (name, group, column)
            else:
                assert got == pytest.approx(want, rel=1e-9, abs=1e-12), (name, group, column)
    assert list(points["relative_to_mean"]) == case["relative_to_mean"]
    assert list(points["special_cause"]) == case["special_cause_type"]
    assert list(points["point_type"]) == case["point_type"]
    assert chart.variation == case["last_point_type"]
    assert (chart.assurance or "NA") == case["assurance"]
    assert chart.short_group_warning == (case["short_group_warning"] == "TRUE")


def test_rs_mean_is_exact_where_a_plain_sum_is_not():
    """12 values summing to 4.8: R's mean is 0.4, sum/n and fsum/n give 0.39999999999999997."""
    values = [0.1, 0.7, 0.4, 0.4, 0.2, 0.6, 0.3, 0.5, 0.1, 0.7, 0.4, 0.4]
    assert r_mean(values) == 0.4
    assert r_mean([]) != r_mean([])  # NaN


def test_example_1a_a_tie_breaks_the_trend():
    chart = xmr([5, 6, 5, 6, 5, 2, 3, 4, 4, 5, 6, 7, 8, 5, 6])
    assert set(chart.points["special_cause"]) == {"Common Cause"}
    assert chart.points["mean"].iloc[0] == 5.133333333333334
    assert chart.points["lpl"].iloc[0] == pytest.approx(1.9033333333333338, rel=1e-12)


def test_example_1b_a_trend_across_the_mean():
    labels = list(xmr([5, 6, 5, 6, 5, 2, 3, 4, 5, 6, 7, 8, 5, 6]).points["special_cause"])
    assert labels[5:12] == ["7 Point Trend (Increasing)"] * 7
    assert set(labels[:5] + labels[12:]) == {"Common Cause"}


def test_example_1c_the_peak_of_a_trend_reads_decreasing():
    points = xmr([5, 7, 4, 7, 4, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1, 5, 7, 4, 7]).points
    labels = list(points["special_cause"])
    assert labels[5:11] == ["7 Point Trend (Increasing)"] * 6
    assert labels[11:18] == ["7 Point Trend (Decreasing)"] * 7
    assert list(points["point_type"])[11] == "special_cause_concern"


def test_a_tie_after_a_rise_labels_the_last_point_decreasing():
    y = [5, 6, 5, 6, 5, 6, 1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1, 5, 6, 5, 6, 5, 6]
    assert xmr(y).points["special_cause"].iloc[12] == "7 Point Trend (Decreasing)"


def test_example_2a_two_in_three_flags_only_the_close_points():
    chart = xmr([10, 11, 10, 18, 12, 18, 10, 11, 10, 11, 10, 11], direction="neutral")
    labels = list(chart.points["special_cause"])
    assert labels[3] == labels[5] == "2 in 3 Above CL" and labels[4] == "Common Cause"
    assert list(chart.points["point_type"])[3] == "special_cause_neutral_high"
    assert chart.short_group_warning and chart.assurance is None


def test_example_2b_a_point_below_the_mean_spoils_the_window():
    labels = set(xmr([10, 11, 10, 18, 10, 18, 10, 11, 10, 11, 10, 11], direction="neutral").points["special_cause"])
    assert labels == {"Common Cause"}


def test_example_3_screening_changes_the_limits_a_label_and_assurance():
    y = [1, 2, 1, 2, 1, 15, 1, 2, 1, 2, 7.5]
    screened = xmr(y, target=8)
    assert screened.points["upl"].iloc[0] == pytest.approx(7.383522727272727, rel=1e-12)
    assert list(screened.points["special_cause"])[10] == "Above UCL"
    assert (screened.variation, screened.assurance) == ("special_cause_improvement", "consistent_fail")
    unscreened = xmr(y, target=8, screen_outliers=False)
    assert unscreened.points["upl"].iloc[0] == pytest.approx(14.000272727272726, rel=1e-12)
    assert list(unscreened.points["special_cause"])[10] == "Common Cause"
    assert (unscreened.variation, unscreened.assurance) == ("common_cause", "inconsistent")


def test_a_shift_of_seven_below_the_mean_is_an_improvement_when_lower_is_better():
    y = [10, 12] * 5 + [10.5] * 7 + [12, 10]  # mean 10.8; the seven 10.5s are inside the limits
    chart = xmr(y, direction="decrease")
    labels = list(chart.points["special_cause"])
    assert labels[10:17] == ["7 Points Below CL"] * 7 and set(labels[:10] + labels[17:]) == {"Common Cause"}
    assert set(chart.points["point_type"][10:17]) == {"special_cause_improvement"}
    # six of them are not a shift
    assert set(xmr([10, 12] * 5 + [10.5] * 6 + [12, 10]).points["special_cause"]) == {"Common Cause"}


def test_a_constant_baseline_has_no_limits_and_never_an_outside_point():
    points = xmr([3] * 14).points
    assert math.isnan(points["lpl"].iloc[0]) and points["outside"].isna().all()
    assert set(points["special_cause"]) == {"Common Cause"}


def test_surviving_moving_ranges_of_zero_give_zero_width_limits():
    points = xmr([3] * 8 + [9] + [3] * 8).points
    assert points["lpl"].iloc[0] == points["upl"].iloc[0] == points["mean"].iloc[0]
    assert points["special_cause"].iloc[8] == "Above UCL"
    assert set(points["special_cause"].drop(index=8)) == {"Below LCL"}  # every point off the mean is outside


def test_rebase_and_fix_work_per_group():
    y = list(range(10, 22)) + [30, 31, 29, 30, 31, 29, 30, 31, 29, 30, 31, 29, 30, 45]
    chart = xmr(y, rebase=[13], fix_after_n_points=12)
    first, second = (chart.points[chart.points["group"] == g] for g in (0, 1))
    assert len(first) == 12 and len(second) == 14
    assert second["mean"].iloc[0] == pytest.approx(sum(y[12:24]) / 12, rel=1e-12)
    assert bool(first["short_group_warning"].all()) and not bool(second["short_group_warning"].any())
    assert second["special_cause"].iloc[-1] == "Above UCL"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"values": [1, float("nan"), 3]}, "a value is missing"),
        ({"values": [1, 2, 3], "dates": [1, 1, 2]}, "the same date"),
        ({"values": [1, 2, 3], "direction": "up"}, "direction should be increase, decrease or neutral"),
        ({"values": [1, 2, 3], "fix_after_n_points": 11}, "greater than or equal to 12"),
    ],
)
def test_bad_input_says_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        xmr(**kwargs)


def test_dates_order_the_points_whatever_order_they_come_in():
    chart = xmr([3, 1, 2], dates=[3, 1, 2])
    assert list(chart.points["value"]) == [1, 2, 3] and list(chart.points["date"]) == [1, 2, 3]


# -- which quarters make a chart (metrics.variation) -------------------------------------------


def test_a_combined_chart_leaves_out_incomplete_and_partial_quarters_with_the_reason(tmp_path):
    from contract.periods import Period
    from metrics.variation import spc_series
    from tests.metrics_fixtures import MetricsStore

    store = MetricsStore(tmp_path / "s.duckdb")
    with store.batch():
        for q in range(1, 5):
            store.add("AAA", f"2024/25 Q{q}", {"volunteer_hours": 100 + q} if q != 2 else {"volunteers": 5})
            if q != 3:
                store.add("BBB", f"2024/25 Q{q}", {"volunteer_hours": 50})
    with store.connect() as con:
        chart = spc_series(con, "volunteer_hours", Period(2024 * 4, 2024 * 4 + 3))
        member = spc_series(con, "volunteer_hours", Period(2024 * 4, 2024 * 4 + 3), members="BBB")
    reasons = dict(zip(chart.points["quarter_label"], chart.points["reason"]))
    assert reasons == {
        "2024/25 Q1": None,
        "2024/25 Q2": "partial: a member left the figure blank",
        "2024/25 Q3": "incomplete: a member's return is missing",
        "2024/25 Q4": None,
    }
    assert chart.used == 2 and chart.provisional and chart.figure.direction == "increase"
    assert list(member.points["used"]) == [True, True, False, True]  # BBB's own quarters


def test_the_spc_command_prints_the_series_as_json(tmp_path):
    import subprocess
    import sys

    from tests.metrics_fixtures import MetricsStore

    store = MetricsStore(tmp_path / "c.duckdb", codes=["AAA"])
    with store.batch():
        for q in range(1, 5):
            store.add("AAA", f"2024/25 Q{q}", {"fte/nursing": 10 + q, "vacancies/nursing": 1})
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "spc", "--figure", "vacancy_rate", "--db", str(store.path), "--json"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["direction"], result["points_used"], result["provisional"]) == ("decrease", 4, True)
    assert [p["special_cause"] for p in result["points"]] == ["Common Cause"] * 4
    assert result["points"][0]["mean"] == pytest.approx(sum(1 / (11 + q) for q in range(1, 5)) / 4)


# -- member variation: funnel plots (metrics.funnel) -------------------------------------------


def test_funnel_limits_are_spiegelhalters_for_proportions_checked_by_hand(tmp_path):
    from contract.periods import Period
    from metrics.funnel import funnel, limits
    from tests.metrics_fixtures import MetricsStore

    # p0 = 0.8 at n = 100: 0.8 +- 1.959964 * sqrt(0.8 * 0.2 / 100) = 0.8 +- 0.0783986
    low, high = limits(0.8, 100, 1.959964)
    assert (float(low), float(high)) == pytest.approx((0.7216014, 0.8783986))
    low, high = limits(0.8, 100, 3.090232)
    assert (float(low), float(high)) == pytest.approx((0.6763907, 0.9236093))
    store = MetricsStore(tmp_path / "f.duckdb", codes=["AAA", "BBB", "CCC"])
    with store.batch():
        store.add(
            "AAA", "2024/25 Q1", {"deaths_in_preferred_place/26_plus": 95, "deaths_preference_recorded/26_plus": 100}
        )
        store.add(
            "BBB", "2024/25 Q1", {"deaths_in_preferred_place/26_plus": 70, "deaths_preference_recorded/26_plus": 100}
        )
        store.add(
            "CCC", "2024/25 Q1", {"deaths_in_preferred_place/26_plus": 75, "deaths_preference_recorded/26_plus": 100}
        )
    with store.connect() as con:
        result = funnel(con, "preferred_place_rate", Period.parse("2024/25 Q1"))
    assert result.rate == pytest.approx(240 / 300) and result.guide_only
    rows = result.members.set_index("member_code")
    assert rows.loc["AAA", "upper998"] == pytest.approx(0.9236093, rel=1e-6)
    assert rows.loc["AAA", "outside"] == "above 99.8%"  # 0.95 > 0.9236
    assert rows.loc["BBB", "outside"] == ""  # 0.70 is inside 0.676 to 0.924 ...
    assert rows.loc["BBB", "rate"] < rows.loc["BBB", "lower95"]  # ... but below the 95% limit, 0.7216


def test_a_funnel_needs_a_proportion():
    from metrics.funnel import funnel

    with pytest.raises(ValueError, match="not a proportion"):
        funnel(None, "average_length_of_stay", None)
