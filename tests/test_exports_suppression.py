"""Small-number suppression: which rows it touches, what it shows, and that rates follow their counts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import metrics
from exports.suppression import SUPPRESSED, apply, for_charts, is_count_of_people, suppress_count
from metrics.definitions import built_from
from tests.exports_fixtures import export_data, small_path


@pytest.mark.parametrize(
    "value, shown",
    [
        (0, 0),
        (1, SUPPRESSED),
        (2, SUPPRESSED),
        (7, SUPPRESSED),
        (8, 10),
        (9, 10),
        (10, 10),
        (12, 10),
        (13, 15),
        (17, 15),
        (18, 20),
        (22, 20),
        (23, 25),
        (102, 100),
        (10_093, 10_095),
        (10_240, 10_240),
    ],
)
def test_a_count_of_people_is_starred_from_1_to_7_and_rounded_to_5_above(value, shown):
    assert suppress_count(float(value)) == shown


def test_not_reported_stays_not_reported():
    assert math.isnan(suppress_count(float("nan")))


def _frame(rows):
    return pd.DataFrame(rows, columns=["member_code", "measure", "breakdown", "value", "unit", "kind", "share"])


@pytest.mark.parametrize(
    "measure, unit, kind, value, shown",
    [
        ("deaths", "people", "flow", 3.0, SUPPRESSED),  # people cared for: suppressed
        ("people_supported", "people", "unique", 12.0, 10.0),  # rounded
        ("staff_headcount", "people", "stock", 3.0, 3.0),  # staff: unaffected
        ("volunteers", "people", "stock", 6.0, 6.0),  # volunteers count as staff
        ("hah_capacity", "people", "stock", 4.0, 4.0),  # a service's size, not people cared for
        ("income_total", "£", "flow", 3.0, 3.0),  # money: unaffected
        ("staff_fte", "FTE", "stock", 2.5, 2.5),
        ("ipu_admissions", "count", "flow", 3.0, 3.0),  # events, not people
        ("volunteer_hours", "hours", "flow", 6.0, 6.0),
    ],
)
def test_only_counts_of_people_cared_for_are_changed(measure, unit, kind, value, shown):
    out = apply(_frame([("AAA", measure, "all", value, unit, kind, 0.5)]))
    assert out["value"].iloc[0] == shown
    assert bool(out["suppressed"].iloc[0]) is (shown == SUPPRESSED)


def test_the_rule_follows_metrics_units_and_kinds():
    """Read off metrics.definitions(): the figures suppression touches, as the docs state them."""
    defs = metrics.definitions()
    touched = {
        key for key, unit, kind in zip(defs["key"], defs["unit"], defs["kind"]) if is_count_of_people(unit, kind)
    }
    assert touched == {
        "people_supported",
        "new_patients",
        "family_supported",
        "bereavement_clients",
        "deaths",
        "deaths_preference_recorded",
        "deaths_in_preferred_place",
    }


def test_the_counts_a_rate_is_built_on_come_from_its_declaration():
    rates = ("preferred_place_rate", "average_length_of_stay", "vacancy_rate")
    built = {key: sorted(part.key for part in built_from(key)) for key in rates}
    assert built == {
        "preferred_place_rate": ["deaths_in_preferred_place", "deaths_preference_recorded"],
        "average_length_of_stay": ["ipu_admissions", "occupied_bed_days"],
        "vacancy_rate": ["staff_fte", "vacancies"],
    }


def test_a_rate_built_on_a_starred_count_is_starred_for_that_member_and_breakdown_only():
    frame = _frame(
        [
            ("AAA", "deaths_in_preferred_place", "18_to_25", 1.0, "people", "flow", 0.5),
            ("AAA", "deaths_preference_recorded", "18_to_25", 2.0, "people", "flow", 0.5),
            ("AAA", "preferred_place_rate", "18_to_25", 0.5, "%", "rate", float("nan")),
            ("AAA", "deaths_in_preferred_place", "26_plus", 30.0, "people", "flow", 0.5),
            ("AAA", "deaths_preference_recorded", "26_plus", 36.0, "people", "flow", 0.5),
            ("AAA", "preferred_place_rate", "26_plus", 30 / 36, "%", "rate", float("nan")),
            ("AAA", "occupancy_rate", "all", 0.8, "%", "rate", float("nan")),
        ]
    )
    out = apply(frame).set_index(["measure", "breakdown"])["value"]
    assert out[("preferred_place_rate", "18_to_25")] == SUPPRESSED
    assert out[("preferred_place_rate", "26_plus")] == pytest.approx(30 / 36)  # from exact counts, as NHS England
    assert out[("occupancy_rate", "all")] == 0.8


def test_a_members_share_of_a_count_of_people_is_blanked_so_it_cannot_give_the_count_back():
    out = apply(
        _frame(
            [
                ("AAA", "deaths", "all", 40.0, "people", "flow", 0.4),
                ("AAA", "staff_headcount", "all", 40.0, "people", "stock", 0.4),
            ]
        )
    )
    assert math.isnan(out["share"].iloc[0])
    assert out["share"].iloc[1] == 0.4


def test_for_charts_turns_stars_into_gaps():
    out = for_charts(
        apply(
            _frame(
                [
                    ("AAA", "deaths", "all", 3.0, "people", "flow", 0.1),
                    ("BBB", "deaths", "all", 12.0, "people", "flow", 0.9),
                ]
            )
        )
    )
    assert math.isnan(out["value"].iloc[0]) and out["value"].iloc[1] == 10.0
    assert out["value"].dtype == float


def test_a_whole_export_with_suppression(tmp_path):
    data = export_data(small_path(tmp_path), "2024/25 Q1 to 2024/25 Q2", suppress=True)
    assert data.value("deaths", "AAA", "18_to_25") == SUPPRESSED
    assert data.value("preferred_place_rate", "AAA", "18_to_25") == SUPPRESSED
    assert data.value("people_supported", "AAA") == 375  # 373 rounded
    assert data.value("people_supported", "BBB") == 10  # 8 rounded
    assert data.value("deaths", "BBB") == 0  # zero stays 0
    assert data.value("staff_headcount", "BBB") == 5  # staff unaffected
    assert data.value("volunteers", "AAA") == 7
    assert data.value("income_total", "BBB") == 140_000
