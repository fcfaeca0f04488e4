"""The sidebar filters: read from the query string, changed by the widgets, carried across pages."""

from __future__ import annotations

import metrics
from contract.periods import Period
from metrics import format as fmt
from store import db
from tests.apptest import open_app, texts


def summary_of(path, period: str, members: list[str] | None = None) -> dict:
    with db.connect(path) as con:
        return metrics.summary(con, Period.parse(period), members)


def income_tile(at) -> str:
    return next(m.value for m in at.metric if m.label == "Combined income")


def test_a_link_reproduces_the_view(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file, query={"period": "2023/24", "members": "ASH,OAK"})
    assert at.title[0].value.endswith("2023/24")
    assert at.sidebar.selectbox(key="f_year").value == 2023
    assert at.sidebar.multiselect(key="f_members").value == ["ASH", "OAK"]
    assert income_tile(at) == fmt.money(summary_of(demo_db_file, "2023/24", ["ASH", "OAK"])["income_total"])
    assert at.sidebar.code[0].value == "/?period=2023/24&members=ASH,OAK"


def test_changing_the_filters_changes_the_figures_and_the_address(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file)
    everyone = income_tile(at)
    year = at.sidebar.selectbox(key="f_year")
    year.select_index(year.options.index("2023/24")).run()
    assert at.title[0].value.endswith("2023/24")
    assert income_tile(at) == fmt.money(summary_of(demo_db_file, "2023/24")["income_total"]) != everyone
    at.sidebar.multiselect(key="f_members").set_value(["OAK"]).run()
    assert income_tile(at) == fmt.money(summary_of(demo_db_file, "2023/24", ["OAK"])["income_total"])
    assert at.query_params == {"period": "2023/24", "members": "OAK"}


def test_a_quarter_and_a_range_of_quarters(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file, query={"period": "2023/24"})
    at.sidebar.radio(key="f_kind").set_value("Quarter").run()
    assert at.sidebar.selectbox(key="f_quarter").value == Period.parse("2023/24 Q4").last
    assert at.query_params["period"] == "2023/24 Q4"
    assert income_tile(at) == fmt.money(summary_of(demo_db_file, "2023/24 Q4")["income_total"])
    at.sidebar.radio(key="f_kind").set_value("Range of quarters").run()
    assert at.query_params["period"] == "2023/24 Q4"
    at.sidebar.select_slider(key="f_range").set_range(*Period.parse("2023/24 Q3 to 2024/25 Q2").quarters[::3]).run()
    assert at.query_params["period"] == "2023/24 Q3 to 2024/25 Q2"
    assert at.title[0].value.endswith("2023/24 Q3 to 2024/25 Q2")


def test_choices_carry_across_pages(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file, query={"period": "2023/24"})
    at.sidebar.multiselect(key="f_members").set_value(["ASH", "OAK"]).run()
    at.switch_page("app_pages/income.py").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="f_year").value == 2023
    assert at.sidebar.multiselect(key="f_members").value == ["ASH", "OAK"]
    assert at.query_params == {"period": "2023/24", "members": "ASH,OAK"}
    assert at.sidebar.code[0].value == "/income?period=2023/24&members=ASH,OAK"


def test_the_age_group_filter_shows_where_it_applies(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file, "income")
    assert "f_age" not in [box.key for box in at.sidebar.selectbox]
    at.switch_page("app_pages/activity.py").run()
    at.sidebar.selectbox(key="f_age").set_value("under_18").run()
    assert at.title[0].value == "Activity: under 18"
    under_18 = summary_of(demo_db_file, "2024/25")["people_supported_by_age_group"]["under_18"]
    assert at.metric[0].value == fmt.count(under_18)
    assert at.query_params["age"] == "under_18"
    at.switch_page("app_pages/workforce.py").run()  # kept while a page without ages is shown
    assert at.query_params["age"] == "under_18"


def test_an_unreadable_link_falls_back_to_the_default_view(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file, query={"period": "last year", "members": "NOPE", "age": "old"})
    assert not at.exception
    assert at.query_params == {"period": "2024/25"}
    assert "Ignoring" not in texts(at)
