"""The PowerPoint deck, opened with python-pptx: native charts whose series are the metric figures."""

from __future__ import annotations

import io
import math

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu, Inches, Pt

import metrics
from charts.palette import member_colours
from charts.statement import statement
from contract.periods import Period
from exports.deck import build_deck
from store import db
from tests.exports_fixtures import demo_path, export_data, small_path

# the care slide's figures, in its order
CARE = [
    "new_referrals",
    "hah_visits",
    "community_contacts",
    "day_attendances",
    "family_supported",
    "bereavement_clients",
]

PERIOD = "2024/25"
CODES = ["ASH", "BIR", "ELM", "OAK", "WIL"]
SLIDES = ["title", "headline", "income", "workforce", "capacity", "activity", "members", "together", "notes"]
NOTES = "Data notes: what these figures include"


@pytest.fixture(scope="module")
def demo():
    """(deck, metric frames, summary, names) for the demo's 2024/25, read independently of exports."""
    path = demo_path()
    data = export_data(path, PERIOD)
    with db.connect(path) as con:
        period = Period.parse(PERIOD)
        frames = {
            "income": metrics.income(con, period),
            "workforce": metrics.workforce(con, period),
            "capacity": metrics.capacity(con, period),
            "activity": metrics.activity(con, period),
        }
        summary = metrics.summary(con, period)
    deck = Presentation(io.BytesIO(build_deck(data)))
    return deck, frames, summary, data.member_names


def charts_on(slide):
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def series_values(chart) -> dict[str, list]:
    return {series.name: list(series.values) for series in chart.plots[0].series}


def member_values(frame, measure, codes=CODES, breakdown="all") -> list[float]:
    return [metrics.value_of(frame, measure, breakdown, code) for code in codes]


def assert_same(shown, expected):
    assert len(shown) == len(expected)
    for got, want in zip(shown, expected):
        if want is None or (isinstance(want, float) and math.isnan(want)):
            assert got is None
        else:
            assert got == pytest.approx(want)


def test_the_deck_is_16_by_9_with_a_slide_per_area_and_closing_notes(demo):
    deck = demo[0]
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    assert len(deck.slides) >= len(SLIDES)
    titles = [texts(slide)[0] for slide in deck.slides]
    assert titles[1] == "One voice"
    assert titles[7:10] == [
        "What we do together: six joint projects in 2024/25",
        "Joint projects in 2024/25",
        "The value the collaborative adds in 2024/25",
    ]
    assert titles[10] == NOTES
    definitions = [title for title in titles[11:] if title.startswith("Data notes: definitions")]
    assert titles[11 : 11 + len(definitions)] == definitions and definitions
    assert titles[11 + len(definitions) :] == [
        "Income: is a change real?",
        "Workforce: is a change real?",
        "Capacity: is a change real?",
        "Activity: is a change real?",
        "Variation at a glance, to 2024/25 Q4 (1 of 2)",
        "Variation at a glance, to 2024/25 Q4 (2 of 2)",
    ]


def test_the_spc_slides_hold_native_line_charts_whose_series_equal_metrics_spc(demo):
    from metrics.variation import spc_series

    deck = demo[0]
    slide = next(slide for slide in deck.slides if texts(slide)[0] == "Workforce: is a change real?")
    chart = charts_on(slide)[0]
    plotted = {series.name: list(series.values) for series in chart.plots[0].series}
    with db.connect(demo_path()) as con:
        expected = spc_series(con, "staff_headcount", Period(2022 * 4, 2024 * 4 + 3)).points
    assert list(chart.plots[0].categories) == list(expected["quarter_label"])
    assert plotted["Value"] == pytest.approx(list(expected["value"]))
    assert plotted["Mean"] == pytest.approx(list(expected["mean"]))
    assert plotted["Upper process limit"] == pytest.approx(list(expected["upl"]))
    assert chart.chart_title.text_frame.text.startswith("Staff headcount: ")


def test_charts_are_native_powerpoint_charts_never_pictures(demo):
    deck = demo[0]
    for slide in deck.slides:
        assert not [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert [len(charts_on(slide)) for slide in deck.slides][:7] == [0, 0, 2, 2, 2, 2, 1]


def test_income_charts_are_the_income_figures(demo):
    deck, frames, _, names = demo
    by_member, by_stream = charts_on(deck.slides[2])
    assert list(by_member.plots[0].categories) == [names[c] for c in CODES]
    values = series_values(by_member)
    assert_same(values["Statutory"], member_values(frames["income"], "statutory_income"))
    assert_same(values["Charitable"], member_values(frames["income"], "charitable_income"))
    income = frames["income"]
    streams = income[
        (income["measure"] == "income_total") & (income["member_code"] == "ALL") & (income["breakdown"] != "all")
    ]
    assert_same(series_values(by_stream)["Total income"], list(streams["value"]))


def test_workforce_capacity_and_activity_charts_are_the_metric_figures(demo):
    deck, frames, _, _ = demo
    staff, volunteers = charts_on(deck.slides[3])
    assert_same(series_values(staff)["Staff headcount"], member_values(frames["workforce"], "staff_headcount"))
    assert_same(series_values(volunteers)["Active volunteers"], member_values(frames["workforce"], "volunteers"))
    beds, occupancy = charts_on(deck.slides[4])
    assert_same(series_values(beds)["Inpatient beds"], member_values(frames["capacity"], "ipu_beds"))
    assert_same(
        series_values(occupancy)["Inpatient occupancy"],
        member_values(frames["capacity"], "occupancy_rate", CODES + ["ALL"]),
    )
    people, care = charts_on(deck.slides[5])
    for name, age in (("Under 18", "under_18"), ("18 to 25", "18_to_25"), ("26 and over", "26_plus")):
        assert_same(series_values(people)[name], member_values(frames["activity"], "people_supported", breakdown=age))
    assert_same(series_values(care)["All members"], [metrics.value_of(frames["activity"], m) for m in CARE])


def test_the_members_chart_gives_each_member_its_own_figures_and_colour(demo):
    deck, frames, _, names = demo
    (chart,) = charts_on(deck.slides[6])
    colours = member_colours(CODES)
    for code, series in zip(CODES, chart.plots[0].series):
        assert series.name == names[code]
        assert str(series.format.fill.fore_color.rgb) == colours[code].lstrip("#")
        assert_same(
            list(series.values),
            [
                metrics.value_of(frames["income"], "income_total", "all", code),
                metrics.value_of(frames["workforce"], "staff_headcount", "all", code),
                metrics.value_of(frames["workforce"], "volunteers", "all", code),
                metrics.value_of(frames["activity"], "people_supported", "all", code),
                metrics.value_of(frames["capacity"], "ipu_beds", "all", code),
            ],
        )


def test_bars_of_one_figure_wear_the_member_colours(demo):
    deck = demo[0]
    staff = charts_on(deck.slides[3])[0]
    series = staff.plots[0].series[0]
    colours = member_colours(CODES)
    assert [str(series.points[i].format.fill.fore_color.rgb) for i in range(len(CODES))] == [
        colours[c].lstrip("#") for c in CODES
    ]


def test_the_headline_is_the_one_voice_statement_the_app_shows(demo):
    deck, _, summary, _ = demo
    headline = texts(deck.slides[1])
    assert statement(summary, "Northvale Hospice Collaborative (demo)") in headline
    assert "£45.0m" in headline and "people supported" in headline


def test_slide_titles_say_the_point_with_the_figures(demo):
    deck, _, summary, _ = demo
    assert texts(deck.slides[2])[0] == "£45.0m of income in 2024/25, 28% of it statutory"
    assert texts(deck.slides[3])[0].startswith(
        f"{summary['staff_headcount']:,} staff and {summary['volunteers']:,} volunteers"
    )
    assert texts(deck.slides[5])[0].startswith(f"{summary['people_supported']:,} people supported in 2024/25")


def test_the_title_slide_names_the_collaborative_period_and_date(demo):
    assert texts(demo[0].slides[0]) == [
        "Northvale Hospice Collaborative (demo)",
        "Our figures for 2024/25",
        "April 2024 to March 2025\nPrepared 06 May 2025",
    ]


def test_every_figure_slide_has_a_source_and_completeness_footnote(demo):
    for slide in list(demo[0].slides)[1:7]:
        assert texts(slide)[-1] == (
            "Source: members' quarterly returns for 2024/25 from ASH, BIR, ELM, OAK, WIL "
            "(5 of 5 members, 20 of 20 returns). Complete: every member's return for every "
            "quarter is in. Partial (a figure left blank in a return): volunteer hours, estimated value of "
            "volunteer time; see the data notes."
        )


def test_the_notes_slide_names_each_partial_figure_and_what_it_lacks(demo):
    notes = " ".join(texts(titled(demo[0], NOTES)))
    assert "Partial figures (a member left the figure blank in a return that is in" in notes
    assert "Volunteer hours leaves out ELM 2024/25 Q2" in notes


def test_the_notes_slides_give_definitions_returns_and_the_volunteer_assumption(demo):
    deck, _, summary, _ = demo
    notes = " ".join(texts(titled(deck, NOTES)))
    assert "Returns included: 20 of 20 member-quarters" in notes
    assert summary["volunteer_value_assumption"] in notes
    assert "Small-number suppression is off" in notes
    shown = [slide for slide in deck.slides if texts(slide)[0].startswith("Data notes: definitions")]
    definitions = " ".join(t for slide in shown for t in texts(slide))
    defs = metrics.definitions().set_index("key")
    for key in ("income_total", "people_supported", "occupancy_rate", "preferred_place_rate"):
        assert f"{defs.at[key, 'label']}: {defs.at[key, 'definition']}" in definitions


def test_type_is_readable_titles_28pt_and_nothing_under_14pt(demo):
    for number, slide in enumerate(demo[0].slides):
        sizes = [run.font.size for run in runs(slide)]
        assert sizes and all(size is not None and size >= Pt(14) for size in sizes), number
        assert max(sizes) >= Pt(28), number
        for chart in charts_on(slide):
            assert chart.font.size >= Pt(14)


def test_nothing_spills_off_the_slide_and_positions_are_whole_emus(demo):
    deck = demo[0]
    for slide in deck.slides:
        assert "." not in "".join(slide.shapes._spTree.xpath(".//a:off/@x | .//a:off/@y | .//a:ext/@cx | .//a:ext/@cy"))
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= deck.slide_width + Emu(10)
            assert shape.top + shape.height <= deck.slide_height + Emu(10)


def test_a_missing_return_is_named_on_every_figure_slide(tmp_path):
    deck = Presentation(io.BytesIO(build_deck(export_data(small_path(tmp_path), "2024/25 Q1 to 2024/25 Q2"))))
    for slide in list(deck.slides)[1:7]:
        assert "Missing: 2024/25 Q2 from BBB, so these figures are incomplete." in texts(slide)[-1]
    assert "These figures are incomplete: returns still to come from BBB 2024/25 Q2." in texts(deck.slides[1])[1]
    assert texts(deck.slides[6])[0] == "Two members, one voice: 3 of 4 returns in"


def test_with_suppression_people_counts_are_rounded_or_left_out(tmp_path):
    data = export_data(small_path(tmp_path), "2024/25 Q1 to 2024/25 Q2", suppress=True)
    deck = Presentation(io.BytesIO(build_deck(data)))
    people = series_values(charts_on(deck.slides[5])[0])
    assert people["18 to 25"] == [None, None]  # AAA's 3 is starred: no bar
    assert people["26 and over"] == [370.0, 10.0]
    assert "* 1 to 7 people" in texts(deck.slides[5])[-1]
    assert "cared for 380 people" in texts(deck.slides[1])[1]
    assert "Small numbers are suppressed" in " ".join(texts(titled(deck, NOTES)))


def test_a_period_with_no_returns_still_makes_a_deck_that_says_so(tmp_path):
    deck = Presentation(io.BytesIO(build_deck(export_data(small_path(tmp_path), "2019/20"))))
    assert "Test Collaborative has no returns for 2019/20 yet." in texts(deck.slides[1])
    assert (
        "Each member's income, statutory and charitable\nNothing reported for this period and these members."
        in texts(deck.slides[2])
    )
    assert not any(shape.has_chart for slide in deck.slides for shape in slide.shapes)


def runs(slide):
    for shape in slide.shapes:
        frames = []
        if shape.has_text_frame:
            frames.append(shape.text_frame)
        if shape.has_table:
            frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
        for frame in frames:
            for paragraph in frame.paragraphs:
                yield from (run for run in paragraph.runs if run.text.strip())


def titled(deck, title: str):
    return next(slide for slide in deck.slides if texts(slide)[0] == title)


def texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame and shape.text_frame.text]


def test_many_members_and_missing_returns_still_fit_above_the_footnote(tmp_path):
    from tests.metrics_fixtures import MetricsStore

    codes = [f"M{i:02d}" for i in range(12)]
    store = MetricsStore(tmp_path / "many.duckdb", codes)
    with store.batch():
        for i, code in enumerate(codes):
            store.add(
                code,
                "2024/25 Q1",
                {
                    "income/nhs_contracts": 100_000 * (i + 1),
                    "headcount/nursing": 10 + i,
                    "patients_supported/26_plus": 50 + i,
                },
            )
    deck = Presentation(io.BytesIO(build_deck(export_data(store.path, "2024/25"))))
    for slide in list(deck.slides)[1:7]:
        *body, footnote = list(slide.shapes)
        assert all(shape.top + shape.height <= footnote.top for shape in body)
    notes = " ".join(texts(titled(deck, NOTES)))
    assert "and 24 more (the workbook lists them all)" in notes  # 36 missing, 12 named
    assert "Returns in: 12 of 48 from 12 members." in texts(deck.slides[6])[1]


def test_a_resent_return_reads_as_one_short_word_in_the_returns_table():
    """'In (resent)' wrapped letter by letter in a quarter column; the table says Resent."""
    deck = Presentation(io.BytesIO(build_deck(export_data(demo_path(), "2023/24"))))
    cells = [c.text for s in deck.slides for sh in s.shapes if sh.has_table for r in sh.table.rows for c in r.cells]
    assert "Resent" in cells and "In (resent)" not in cells
