"""The chart builders and the one-voice statement, on small frames built in code."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import charts
from charts.palette import COMBINED_COLOUR, member_colours
from charts.statement import number_word, statement
from charts.style import money_scale

NAN = math.nan
COLOURS = member_colours(["ASH", "OAK"])
NAMES = {"ASH": "Ashgrove", "OAK": "Oakleigh"}


def figure_frame(measure: str, unit: str, values: dict, kind: str = "flow") -> pd.DataFrame:
    """A figure frame as metrics returns it: {(member, breakdown): value}."""
    total = {b: v for (m, b), v in values.items() if m == "ALL"}
    rows = [
        {
            "member_code": m,
            "measure": measure,
            "breakdown": b,
            "value": v,
            "unit": unit,
            "kind": kind,
            "share": NAN if kind == "rate" else v / total[b],
            "members_covered": 1,
            "complete": True,
        }
        for (m, b), v in values.items()
    ]
    return pd.DataFrame(rows)


def series_frame(values: dict, unit: str = "£") -> pd.DataFrame:
    """A quarterly series: {(member, quarter index): value}."""
    labels = {8096: "2024/25 Q1", 8097: "2024/25 Q2", 8098: "2024/25 Q3"}
    return pd.DataFrame(
        [
            {
                "member_code": m,
                "measure": "income_total",
                "breakdown": "all",
                "quarter_index": q,
                "quarter_label": labels[q],
                "value": v,
                "unit": unit,
                "kind": "flow",
            }
            for (m, q), v in values.items()
        ]
    )


INCOME = series_frame(
    {
        ("ALL", 8097): 3_000_000,
        ("ALL", 8096): 2_500_000,
        ("ALL", 8098): NAN,
        ("ASH", 8096): 2_000_000,
        ("ASH", 8097): 2_400_000,
        ("ASH", 8098): NAN,
        ("OAK", 8096): 500_000,
        ("OAK", 8097): 600_000,
        ("OAK", 8098): NAN,
    }
)


def test_a_trend_reads_in_quarter_order_with_uk_money_and_gaps():
    fig = charts.trend(INCOME, "Income rose", names=NAMES, colours=COLOURS)
    combined = fig.data[0]
    assert combined.name == "Collaborative" and combined.line.color == COMBINED_COLOUR
    assert list(combined.x) == ["2024/25 Q1", "2024/25 Q2", "2024/25 Q3"]
    assert list(combined.y[:2]) == [2.5, 3.0] and math.isnan(combined.y[2])  # not reported is a gap
    assert fig.layout.yaxis.tickprefix == "£" and fig.layout.yaxis.ticksuffix == "m"
    assert fig.layout.separators == ".,"
    assert list(fig.layout.xaxis.ticktext) == ["Q1<br>2024/25", "Q2<br>2024/25", "Q3<br>2024/25"]
    assert fig.layout.title.text == "Income rose"
    assert [trace.line.color for trace in fig.data[1:]] == [COLOURS["ASH"], COLOURS["OAK"]]


def test_a_stacked_trend_by_member_leaves_out_the_combined_rows_and_what_was_not_reported():
    fig = charts.trend(INCOME, "Income by member", names=NAMES, colours=COLOURS, stacked=True)
    assert [trace.name for trace in fig.data] == ["Ashgrove", "Oakleigh"]
    assert fig.layout.barmode == "stack"
    assert list(fig.data[0].x) == ["2024/25 Q1", "2024/25 Q2"]  # no NaN segment for plotly to mis-stack


def test_a_members_colour_does_not_depend_on_the_members_shown():
    assert member_colours(["ASH", "BIR", "OAK"])["OAK"] == member_colours(["OAK", "ASH", "BIR"])["OAK"]


OCCUPANCY = figure_frame(
    "occupancy_rate", "%", {("ALL", "all"): 0.8, ("ASH", "all"): 0.85, ("OAK", "all"): 0.6}, kind="rate"
)


def test_members_side_by_side_with_the_collaborative_rate_as_a_line():
    fig = charts.by_member(OCCUPANCY, "occupancy_rate", "Oakleigh's beds were least full", names=NAMES, colours=COLOURS)
    bars = fig.data[0]
    assert list(bars.y) == ["Ashgrove", "Oakleigh"] and list(bars.x) == [0.85, 0.6]
    assert list(bars.marker.color) == [COLOURS["ASH"], COLOURS["OAK"]]
    assert [shape.x0 for shape in fig.layout.shapes] == [0.8]
    assert fig.layout.xaxis.tickformat == ".0%"


PEOPLE = figure_frame(
    "people_supported",
    "people",
    {
        ("ALL", "all"): 1_000,
        ("ALL", "under_18"): 100,
        ("ALL", "18_to_25"): 50,
        ("ALL", "26_plus"): 850,
        ("ASH", "all"): 850,
        ("ASH", "under_18"): 0,
        ("ASH", "18_to_25"): 20,
        ("ASH", "26_plus"): 830,
        ("OAK", "all"): 150,
        ("OAK", "under_18"): 100,
        ("OAK", "18_to_25"): 30,
        ("OAK", "26_plus"): 20,
    },
)


def test_each_members_share_of_the_total():
    fig = charts.share(PEOPLE, "people_supported", "Shares", names=NAMES, colours=COLOURS)
    assert list(fig.data[0].x) == [0.85, 0.15] and list(fig.data[0].text) == ["85%", "15%"]


def test_age_groups_each_on_their_own_scale_so_childrens_work_shows():
    fig = charts.by_age_group(PEOPLE, "people_supported", "By age", names=NAMES, colours=COLOURS)
    assert [trace.xaxis for trace in fig.data] == ["x", "x2", "x3"]  # three panels, three scales
    assert list(fig.data[0].x) == [0, 100]  # under 18: Oakleigh's 100 stands out
    assert [a.text for a in fig.layout.annotations] == ["Under 18", "18 to 25", "26 and over"]


def test_each_members_age_mix():
    fig = charts.age_mix(PEOPLE, "people_supported", "Who each member cares for", names=NAMES)
    under_18 = fig.data[0]
    assert under_18.name == "Under 18"
    assert list(under_18.y) == ["Collaborative", "Ashgrove", "Oakleigh"]
    assert list(under_18.x) == pytest.approx([0.1, 0.0, 100 / 150])


def test_a_figure_by_its_breakdown():
    staff = figure_frame(
        "staff_headcount", "people", {("ALL", "all"): 30, ("ALL", "medical"): 10, ("ALL", "nursing"): 20}
    )
    fig = charts.breakdown(
        staff, "staff_headcount", "Staff by group", labels={"medical": "Medical", "nursing": "Registered nurses"}
    )
    assert list(fig.data[0].y) == ["Medical", "Registered nurses"] and list(fig.data[0].x) == [10, 20]


@pytest.mark.parametrize(
    "frame, builder",
    [
        (INCOME.assign(value=NAN), lambda f: charts.trend(f, "Nothing")),
        (OCCUPANCY.iloc[0:0], lambda f: charts.by_member(f, "occupancy_rate", "Nothing")),
        (PEOPLE.iloc[0:0], lambda f: charts.share(f, "people_supported", "Nothing")),
        (PEOPLE.iloc[0:0], lambda f: charts.by_age_group(f, "people_supported", "Nothing")),
    ],
)
def test_nothing_reported_says_so_rather_than_drawing_zeros(frame, builder):
    fig = builder(frame)
    assert [a.text for a in fig.layout.annotations] == ["Nothing reported for this choice of period and members"]


def test_the_completeness_grid_marks_each_status():
    grid = pd.DataFrame(
        {
            "member_code": ["ASH", "ASH", "OAK", "OAK"],
            "quarter_index": [8096, 8097, 8096, 8097],
            "quarter_label": ["2024/25 Q1", "2024/25 Q2"] * 2,
            "status": ["in", "superseded", "in", "missing"],
        }
    )
    fig = charts.completeness_grid(grid, "Returns", names=NAMES)
    assert [trace.name for trace in fig.data] == ["✓ in", "↻ in (resent)", "✗ missing"]
    assert list(fig.data[2].y) == ["Oakleigh"] and list(fig.data[2].x) == ["2024/25 Q2"]


@pytest.mark.parametrize(
    "values, expected",
    [
        ([45_200_000, 3], (1_000_000, "m")),
        ([820_000], (1_000, "k")),
        ([9_999], (1, "")),
        ([NAN], (1, "")),
    ],
)
def test_money_axes_read_in_the_unit_a_reader_says(values, expected):
    assert money_scale(values) == expected


SUMMARY = {
    "period": "2024/25",
    "members_reporting": 5,
    "complete": True,
    "missing": [],
    "people_supported": 10_240,
    "staff_headcount": 1_380,
    "volunteers": 3_610,
    "income_total": 45_200_000,
    "statutory_share": 0.31,
}


@pytest.mark.parametrize(
    "changes, expected",
    [
        (
            {},
            "In 2024/25 the five hospices of Northvale cared for 10,240 people, with 1,380 staff, 3,610 volunteers "
            "and £45.2m of income, 31% of it from the NHS and other public funds.",
        ),
        (
            {"members_reporting": 1},
            "In 2024/25 the one hospice of Northvale cared for 10,240 people, with 1,380 staff, "
            "3,610 volunteers and £45.2m of income, 31% of it from the NHS and other public funds.",
        ),
        (
            {"volunteers": None, "statutory_share": None},
            "In 2024/25 the five hospices of Northvale cared for 10,240 people, with 1,380 staff and £45.2m of income.",
        ),
        (
            {"people_supported": None},
            "In 2024/25 the five hospices of Northvale reported 1,380 staff, 3,610 volunteers "
            "and £45.2m of income, 31% of it from the NHS and other public funds.",
        ),
        (
            {"complete": False, "missing": ["WIL 2024/25 Q4"], "statutory_share": None},
            "In 2024/25 the five hospices of Northvale cared for 10,240 people, with 1,380 staff, 3,610 volunteers and "
            "£45.2m of income. These figures are incomplete: returns still to come from WIL 2024/25 Q4.",
        ),
        ({"members_reporting": 0}, "Northvale has no returns for 2024/25 yet."),
        (
            # a deck for one member names it, never "the one hospice of" the collaborative
            {
                "members_reporting": 1,
                "members_expected": 1,
                "by_member": {"ROW": {"name": "Rowan Hospice", "quarters_reported": 4}},
            },
            "In 2024/25 Rowan Hospice cared for 10,240 people, with 1,380 staff, 3,610 volunteers and £45.2m of "
            "income, 31% of it from the NHS and other public funds.",
        ),
        (
            # two of five in: the sentence says so, and that the figures are incomplete
            {"members_reporting": 2, "members_expected": 5, "complete": False, "missing": ["ELM 2024/25 Q1"]},
            "In 2024/25 two of the five hospices of Northvale cared for 10,240 people, with 1,380 staff, 3,610 "
            "volunteers and £45.2m of income, 31% of it from the NHS and other public funds. These figures are "
            "incomplete: returns still to come from ELM 2024/25 Q1.",
        ),
        (
            # a partial figure the sentence states carries its caveat
            {"partial": {"volunteers": ["ELM 2024/25 Q2"], "deaths": ["ELM 2024/25 Q2"]}},
            "In 2024/25 the five hospices of Northvale cared for 10,240 people, with 1,380 staff, 3,610 volunteers "
            "and £45.2m of income, 31% of it from the NHS and other public funds. Partial figures, left blank in a "
            "return that is in: active volunteers (ELM 2024/25 Q2).",
        ),
    ],
)
def test_the_statement(changes, expected):
    assert statement({**SUMMARY, **changes}, "Northvale") == expected


def test_a_statement_about_some_members_says_how_many_the_collaborative_has():
    chosen = {**SUMMARY, "members_reporting": 2, "members_expected": 2}
    assert statement(chosen, "Northvale", members_in=5).startswith("In 2024/25 two of the five hospices of Northvale")


@pytest.mark.parametrize("n, word", [(0, "no"), (5, "five"), (12, "twelve"), (13, "13"), (1500, "1,500")])
def test_number_words(n, word):
    assert number_word(n) == word
