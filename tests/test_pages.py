"""Every page, through AppTest, on the demo data, an empty database and one missing some returns.

The tiles and the statement are checked against ``metrics`` itself: a page shows
what metrics computes, written by ``metrics.format``, and nothing else.
"""

from __future__ import annotations

import json

import pytest

import charts
import metrics
from contract.periods import Period
from metrics import format as fmt
from store import db
from tests.apptest import PAGES, open_app, texts

TITLES = {
    "overview": "Northvale Hospice Collaborative (demo)",
    "income": "Income",
    "workforce": "Workforce",
    "capacity": "Capacity",
    "activity": "Activity",
    "members": "Members",
    "together": "Together",
    "data": "Data",
    "users": "Users",
}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_the_demo(monkeypatch, demo_db_file, page):
    at = open_app(monkeypatch, demo_db_file, page)
    assert not at.exception
    assert at.title[0].value.startswith(TITLES[page])
    assert "You are looking at demo data" in texts(at)
    assert not at.error


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_an_empty_database(monkeypatch, tmp_path, page):
    at = open_app(monkeypatch, tmp_path / "empty.duckdb", page)
    assert not at.exception
    shown = texts(at)
    if page == "overview":
        assert "Welcome to One Voice" in shown
        assert [b.label for b in at.button] == ["Load the demo collaborative"]
    elif page == "data":
        assert "No returns loaded yet" in shown
    elif page == "users":
        assert "One Voice is running on this computer only, so nobody signs in yet." in shown
    else:
        assert "No returns are loaded yet" in shown
    assert "You are looking at demo data" not in shown


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_a_database_missing_returns(monkeypatch, partial_db_file, page):
    at = open_app(monkeypatch, partial_db_file, page, {"period": "2024/25"})
    assert not at.exception
    if page not in ("data", "users"):
        assert "Incomplete, missing: ELM 2024/25 Q3; WIL 2024/25 Q4" in texts(at)


def test_the_default_period_is_the_latest_complete_year(monkeypatch, demo_db_file, partial_db_file):
    assert open_app(monkeypatch, demo_db_file).query_params["period"] == "2024/25"
    # 2024/25 lacks two returns in the partial database, so 2023/24 is the latest complete year
    assert open_app(monkeypatch, partial_db_file).query_params["period"] == "2023/24"


def summary_of(path, period: str, members: list[str] | None = None) -> dict:
    with db.connect(path) as con:
        return metrics.summary(con, Period.parse(period), members)


def test_the_overview_tiles_and_statement_are_the_metrics(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file)
    expected = summary_of(demo_db_file, "2024/25")
    tiles = {m.label: m.value for m in at.metric}
    assert tiles == {
        "Combined income": fmt.money(expected["income_total"]),
        "Staff and volunteers": fmt.count(expected["staff_and_volunteers"]),
        "Inpatient beds": fmt.beds(expected["ipu_beds"]),
        "People supported": fmt.count(expected["people_supported"]),
    }
    statement = charts.statement(expected, "Northvale Hospice Collaborative (demo)")
    assert statement in [code.value for code in at.code]
    assert "In 2024/25 the five hospices of Northvale Hospice Collaborative (demo) cared for" in statement


def test_the_overview_changes_against_the_same_period_last_year(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file)
    with db.connect(demo_db_file) as con:
        changes = metrics.change(con, Period.year(2024), against="year_earlier")
    row = changes[
        (changes["member_code"] == "ALL") & (changes["measure"] == "income_total") & (changes["breakdown"] == "all")
    ].iloc[0]
    assert at.metric[0].delta == f"+{fmt.percent(row['change_pct'], 1)} on 2023/24"


def test_an_incomplete_period_is_badged_and_not_compared(monkeypatch, partial_db_file):
    at = open_app(monkeypatch, partial_db_file, query={"period": "2024/25"})
    shown = texts(at).replace("\\", "")  # the badge is Markdown: names are escaped, shown as typed
    assert (
        "Incomplete: no return from Elmfield Hospice (demo) (2024/25 Q3); Willowbank Hospice (demo) "
        "(2024/25 Q4)" in shown
    )
    assert not any(m.delta for m in at.metric)
    assert "No comparison with 2023/24: 2024/25 is incomplete: no return from ELM 2024/25 Q3, WIL 2024/25 Q4." in shown
    assert "These figures are incomplete: returns still to come from ELM 2024/25 Q3, WIL 2024/25 Q4." in shown


def test_the_childrens_hospice_work_is_shown_by_age_group(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file, "activity")
    under_18 = summary_of(demo_db_file, "2024/25")["people_supported_by_age_group"]["under_18"]
    assert f"{fmt.count(under_18)} children and young people under 18 were supported in 2024/25" in texts(at)
    assert "People supported by age group and member" in texts(at) or at.get("plotly_chart")


def test_a_period_with_no_returns_for_the_members_says_so(monkeypatch, partial_db_file):
    at = open_app(monkeypatch, partial_db_file, "income", {"period": "2024/25 Q4", "members": "WIL"})
    assert not at.exception
    assert "No member has a return for 2024/25 Q4 with these filters" in texts(at)


def test_a_figure_left_blank_is_said_under_its_chart_and_not_compared(monkeypatch, demo_db_file):
    # the demo's Elmfield left its 2024/25 Q2 volunteer hours blank (loaders/demo.py NOT_REPORTED)
    at = open_app(monkeypatch, demo_db_file, "workforce")
    shown = texts(at)
    assert (
        "Elmfield Hospice (demo) did not report volunteer hours for 2024/25 Q2, so the 2024/25 figure "
        "leaves that quarter out."
    ) in shown
    value = next(m for m in at.metric if m.label == "Value of volunteer time")
    assert not value.delta
    assert "No comparison with 2023/24: not reported for 2024/25 Q2 by ELM." in shown
    assert "did not report" not in texts(open_app(monkeypatch, demo_db_file, "workforce", {"period": "2023/24"}))


def test_small_rates_and_lengths_of_stay_are_shown_with_a_decimal_place(monkeypatch, demo_db_file):
    expected = summary_of(demo_db_file, "2024/25")
    assert expected["vacancy_rate"] < 0.1
    at = open_app(monkeypatch, demo_db_file, "workforce")
    vacancy = next(m for m in at.metric if m.label == "Vacancy rate")
    assert vacancy.value == fmt.percent(expected["vacancy_rate"]) == f"{expected['vacancy_rate'] * 100:.1f}%"
    frames = open_app(monkeypatch, demo_db_file, "members").dataframe
    table = next(f.value for f in frames if "Figure" in f.value.columns).set_index("Figure")
    stay = table.loc["Average length of stay", "Collaborative"]
    assert stay == fmt.value(expected["average_length_of_stay"], "days", kind="rate")
    assert stay == f"{expected['average_length_of_stay']:.1f}"  # one decimal, never a whole "10"


def test_past_a_dozen_members_charts_name_the_largest_and_group_the_rest(monkeypatch, tmp_path):
    from tests.metrics_fixtures import MetricsStore

    codes = [f"M{i:02d}" for i in range(14)]
    store = MetricsStore(tmp_path / "many.duckdb", codes)
    with store.batch():
        for i, code in enumerate(codes):
            for q in range(1, 5):
                store.add(
                    code,
                    f"2024/25 Q{q}",
                    {
                        "volunteer_hours": 10 * (i + 1),
                        "volunteers": 5 + i,
                        "headcount/nursing": 20,
                        "fte/nursing": 18,
                        "vacancies/nursing": 1 + i % 3,
                    },
                )
    at = open_app(monkeypatch, store.path, "workforce")
    assert not at.exception
    assert (
        "Charts by member name the 10 largest members on each figure (for a rate, those with the largest "
        "base) and add the other 4 together as Other members"
    ) in texts(at)
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    hours = next(spec for spec in specs if "volunteer hours" in spec["layout"]["title"]["text"])
    names = [trace["name"] for trace in hours["data"]]
    assert names == [f"M{i:02d} Hospice" for i in range(13, 3, -1)] + ["Other members"]  # largest first


def test_the_note_under_a_chart_names_at_most_twelve_members_with_missing_returns(monkeypatch, tmp_path):
    from tests.metrics_fixtures import MetricsStore

    codes = [f"M{i:02d}" for i in range(14)]
    store = MetricsStore(tmp_path / "gaps.duckdb", codes)
    with store.batch():
        for code in codes:
            store.add(code, "2024/25 Q1", {"volunteers": 5})  # Q2 to Q4 still to come from everyone
    shown = texts(open_app(monkeypatch, store.path, "workforce"))
    assert "Incomplete, missing: M00 2024/25 Q2, 2024/25 Q3, 2024/25 Q4; M01 2024/25 Q2" in shown
    assert "M11 2024/25 Q2, 2024/25 Q3, 2024/25 Q4; and 2 more members." in shown
    assert "M12 2024/25 Q2" not in shown.split("Incomplete, missing:")[1].split("\n")[0]


def test_a_fall_in_the_vacancy_rate_is_shown_as_good_news(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file, "workforce")
    tiles = {m.label: m.proto for m in at.metric}
    colour = {label: type(proto).MetricColor.Name(proto.color) for label, proto in tiles.items()}
    assert tiles["Vacancy rate"].delta.startswith("-")  # the demo's vacancy rate fell
    assert colour["Vacancy rate"] == "GREEN"
    assert tiles["Staff"].delta.startswith("+") and colour["Staff"] == "GREEN"


def test_each_chart_offers_its_data_as_csv_under_its_note(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file, "workforce")
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("CSV of this chart") == len(at.get("plotly_chart"))


def test_a_partial_figure_says_so_on_its_tile_and_under_its_chart(monkeypatch, demo_db_file):
    """The demo's Elmfield left its volunteer hours blank in 2024/25 Q2 (a return that is in)."""
    at = open_app(monkeypatch, demo_db_file, "workforce", {"period": "2024/25"})
    assert not at.exception
    shown = texts(at)
    assert (
        "Elmfield Hospice (demo) did not report estimated value of volunteer time for 2024/25 Q2, so the 2024/25 "
        "figure leaves that quarter out." in shown
    )
    assert "Elmfield Hospice (demo) did not report volunteer hours for 2024/25 Q2" in shown
    # a whole figure says nothing of the kind
    overview = texts(open_app(monkeypatch, demo_db_file, "overview", {"period": "2023/24"}))
    assert "did not report" not in overview and "Partial" not in overview


def test_the_members_page_shows_what_members_wrote_on_their_returns(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file, "members", {"period": "2024/25"})
    assert not at.exception
    words = next(frame.value for frame in at.dataframe if "notes" in frame.value.columns)
    assert list(words["member_code"]) == ["ELM"]
    assert words["notes"].iloc[0].startswith("Volunteer hours not available this quarter")


def test_the_overview_shows_variation_at_a_glance(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file)
    assert not at.exception
    table = next(f.value for f in at.dataframe if "Variation" in f.value.columns)
    assert len(table) == 13 and table["Latest quarter"].iloc[0] == "2024/25 Q4"
    with db.connect(demo_db_file) as con:
        from metrics.variation import spc_series

        income = spc_series(con, "income_total", Period(2022 * 4, 2024 * 4 + 3))
    row = table.set_index("Figure").loc["Total income"]
    assert row["Mean"] == fmt.money(income.points["mean"].iloc[-1])
    assert row["Variation"] == charts.variation_text(income.chart.variation)
    # volunteer hours: Elmfield's blank quarter is left out of the chart
    assert table.set_index("Figure").loc["Volunteer hours", "Quarters"] == "11 (provisional)"


@pytest.mark.parametrize("page", ["income", "workforce", "capacity", "activity"])
def test_each_page_can_show_its_trends_as_spc_charts(monkeypatch, demo_db_file, page):
    at = open_app(monkeypatch, demo_db_file, page, {"period": "2024/25"})
    at.toggle(key="spc_mode").set_value(True).run()
    assert not at.exception
    notes = [c.value for c in at.caption if c.value.startswith("Mean and process limits from")]
    assert notes and all("quarters of the combined figure" in note for note in notes)


def test_the_members_page_has_a_funnel_plot_for_each_proportion(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file, "members", {"period": "2024/25"})
    assert not at.exception
    assert "Member variation: funnel plots" in [s.value for s in at.subheader]
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert sum("99.8% limits" in spec for spec in specs) == 4
