"""The Data page through AppTest: returns uploaded through the real file uploader, history, registry.

Each test that writes works on its own copy of the demo database.
"""

from __future__ import annotations

import pytest

import metrics
from contract.periods import Period
from store import db, members, settings, submissions
from tests import factory
from tests.apptest import open_app, texts
from tests.demo_db import copy_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def writable_db(demo_db_file, tmp_path):
    return copy_of(demo_db_file, tmp_path, "writable.duckdb")


def good_return() -> tuple[str, bytes, str]:
    return "ASH_2025-26_Q1.xlsx", factory.to_bytes(factory.standard_return("ASH", "2025/26", "Q1")), XLSX


def bad_return() -> tuple[str, bytes, str]:
    sheets = factory.standard_return("BIR", "2025/26", "Q1")
    factory.set_value(sheets, "Income", "Legacies", "lots")
    return "BIR_2025-26_Q1.xlsx", factory.to_bytes(sheets), XLSX


def problem_tables(at) -> list:
    """The tables of problems by cell shown under each uploaded file, in order."""
    return [table.value for table in at.dataframe if "found" in table.value.columns]


def history_of(path):
    with db.connect(path) as con:
        return submissions.history(con)


def test_a_good_and_a_bad_return_uploaded_together(monkeypatch, writable_db):
    before = len(history_of(writable_db))
    at = open_app(monkeypatch, writable_db, "data")
    at.file_uploader(key="returns").set_value([good_return(), bad_return()]).run()
    assert not at.exception
    accepted = [w.value for w in at.warning] + [s.value for s in at.success]
    assert any(line.startswith("ASH_2025-26_Q1.xlsx: accepted as ASH 2025/26 Q1") for line in accepted)
    assert [e.value for e in at.error] == [
        "BIR_2025-26_Q1.xlsx: rejected, 1 problem(s) to fix. Nothing from this file was stored."
    ]
    good, bad = problem_tables(at)
    assert set(good["severity"]) == {"warning"}  # moved more than 50% from the demo's last quarter
    problems = bad
    assert problems[["severity", "where", "found"]].values.tolist() == [["error", "Income!B6", "lots"]]
    assert "is text, not a number" in problems["problem"].iloc[0]
    history = history_of(writable_db)
    assert len(history) == before + 1  # the good one only; nothing from the refused file
    assert history.iloc[0][["member_code", "period", "status"]].tolist() == ["ASH", "2025/26 Q1", "current"]
    assert "2025/26" in at.sidebar.selectbox(key="f_year").options  # the new quarter shows at once


def test_a_file_sent_twice_is_already_loaded(monkeypatch, writable_db):
    at = open_app(monkeypatch, writable_db, "data")
    upload = good_return()
    at.file_uploader(key="returns").set_value(upload).run()
    at.file_uploader(key="returns").set_value(upload).run()  # the same bytes again
    assert [i.value for i in at.info if "already loaded" in i.value] == [
        f"ASH_2025-26_Q1.xlsx: already loaded (submission {history_of(writable_db).iloc[0]['submission_id']}, "
        "ASH 2025/26 Q1); nothing changed"
    ]


def test_the_upload_on_the_welcome_page_of_an_empty_database(monkeypatch, tmp_path):
    at = open_app(monkeypatch, tmp_path / "empty.duckdb")
    at.file_uploader(key="welcome_returns").set_value(good_return()).run()
    assert not at.exception
    assert "Member 'ASH' is not in the member registry" in problem_tables(at)[0]["problem"].iloc[0]
    assert "Welcome to One Voice" in texts(at)


def test_restoring_a_superseded_return(monkeypatch, writable_db):
    superseded = history_of(writable_db).query("status == 'superseded'").iloc[0]
    at = open_app(monkeypatch, writable_db, "data")
    at.selectbox(key="history_pick").set_value(int(superseded.submission_id)).run()
    at.button(key="restore").click().run()
    assert not at.exception
    assert at.success[0].value.startswith(f"Submission {superseded.submission_id} is the current return again")
    history = history_of(writable_db).set_index("submission_id")
    assert history.loc[superseded.submission_id, "status"] == "current"


def member_form(at) -> dict:
    return {t.label: t for t in at.text_input}


def test_adding_a_member_then_the_form_is_empty_again(monkeypatch, writable_db):
    at = open_app(monkeypatch, writable_db, "data")
    assert "Adding a new member." in texts(at)
    member_form(at)["Code"].set_value("HAZ")
    member_form(at)["Name"].set_value("Hazel Children's Hospice")
    next(r for r in at.radio if r.label == "Type").set_value("children")
    next(b for b in at.button if b.label == "Add member").click().run()
    assert not at.exception
    assert at.success[0].value == "Member HAZ added."
    assert member_form(at)["Code"].value == "" and member_form(at)["Name"].value == ""
    with db.connect(writable_db) as con:
        assert members.find(con, "HAZ") == members.Member("HAZ", "Hazel Children's Hospice", "children", None)


@pytest.mark.parametrize("typed", ["OAK", "oak"])
def test_adding_a_code_that_exists_is_refused_and_the_member_kept(monkeypatch, writable_db, typed):
    at = open_app(monkeypatch, writable_db, "data")
    member_form(at)["Code"].set_value(typed)
    member_form(at)["Name"].set_value("Oak Tree Hospice")
    next(b for b in at.button if b.label == "Add member").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Member code OAK is already Oakleigh Children's Hospice (demo).")
    with db.connect(writable_db) as con:
        kept = members.get(con, "OAK")
    assert (kept.name, kept.place) == ("Oakleigh Children's Hospice (demo)", "Northvale-wide")


def test_editing_says_which_member_and_sets_when_it_joined(monkeypatch, writable_db):
    at = open_app(monkeypatch, writable_db, "data")
    at.selectbox(key="member_pick_0").set_value("ELM").run()
    assert "Editing Elmfield Hospice (demo) (ELM)." in texts(at)
    next(s for s in at.selectbox if s.label == "Member from").set_value(2022 * 4)
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert not at.exception and at.success[0].value == "Member ELM updated."
    with db.connect(writable_db) as con:
        assert members.get(con, "ELM").joined == 2022 * 4


def test_withdrawing_a_return_asks_first_then_takes_it_out(monkeypatch, writable_db):
    with db.connect(writable_db) as con:
        current = submissions.current_id(con, "ASH", 2024 * 4)
    at = open_app(monkeypatch, writable_db, "data")
    at.selectbox(key="history_pick").set_value(current).run()
    at.button(key="withdraw").click().run()
    assert any(w.value.startswith(f"Withdraw submission {current}, ASH 2024/25 Q1") for w in at.warning)
    assert history_of(writable_db).set_index("submission_id").loc[current, "status"] == "current"
    at.button(key="withdraw_yes").click().run()
    assert not at.exception
    assert at.success[0].value == f"Submission {current} is withdrawn; the quarter has no return now."
    assert history_of(writable_db).set_index("submission_id").loc[current, "status"] == "withdrawn"
    with db.connect(writable_db) as con:
        assert ("ASH", 2024 * 4) in metrics.coverage(con, Period.year(2024)).missing


def test_a_member_with_returns_cannot_be_removed_and_one_without_can(monkeypatch, writable_db):
    with db.connect(writable_db) as con:
        members.add(con, members.Member("NEW", "Added By Mistake", "adult"))
    at = open_app(monkeypatch, writable_db, "data")
    at.selectbox(key="member_pick_0").set_value("ASH").run()
    assert at.button(key="remove_member").disabled
    at.selectbox(key="member_pick_0").set_value("NEW").run()
    at.button(key="remove_member").click().run()
    at.button(key="remove_yes").click().run()
    assert not at.exception and at.success[0].value == "Member NEW removed."
    with db.connect(writable_db) as con:
        assert members.get(con, "NEW") is None


def test_renaming_the_collaborative(monkeypatch, writable_db):
    at = open_app(monkeypatch, writable_db, "data")
    field = next(t for t in at.text_input if t.label.startswith("Collaborative name"))
    field.set_value("Vale Hospices Together")
    next(b for b in at.button if b.label == "Save settings").click().run()
    assert not at.exception
    assert at.sidebar.markdown[0].value == "### Vale Hospices Together"


def test_the_template_and_originals_can_be_downloaded(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file, "data")
    labels = [b.label for b in at.get("download_button")]
    assert {"Download the blank return", "Download the original file"} <= set(labels)


def test_the_demo_loads_from_the_welcome_page(monkeypatch, tmp_path):
    at = open_app(monkeypatch, tmp_path / "empty.duckdb")
    at.button(key="load_demo").click().run()
    assert not at.exception
    assert at.title[0].value == "Northvale Hospice Collaborative (demo): 2024/25"
    assert "You are looking at demo data" in texts(at)


def test_the_apps_own_empty_database_fills_itself_with_the_demo(monkeypatch, tmp_path):
    monkeypatch.setattr(db, "DEFAULT_DB", tmp_path / "onevoice.duckdb")
    monkeypatch.delenv("ONEVOICE_DB")
    from streamlit.testing.v1 import AppTest

    from tests.apptest import APP

    at = AppTest.from_file(str(APP), default_timeout=90).run()
    assert not at.exception
    assert at.title[0].value == "Northvale Hospice Collaborative (demo): 2024/25"
    assert "You are looking at demo data" in texts(at)


def test_the_returns_grid_runs_to_the_quarter_being_collected(monkeypatch, writable_db):
    """The quarter being collected shows who owes it, before anyone has sent it."""
    from datetime import date

    from contract.periods import latest_ended, long_date, quarter_label

    with db.connect(writable_db) as con, db.transaction(con):
        settings.put(con, "demo", "")  # seen from today, not from the demo's own day
    at = open_app(monkeypatch, writable_db, "data")
    latest = quarter_label(latest_ended(date.today()))
    grid = next(chart.proto.spec for chart in at.get("plotly_chart") if "return(s) owed" in chart.proto.spec)
    assert latest.replace("/", "\\u002f") in grid or latest in grid
    assert f"As at {long_date(date.today())}, up to {latest}, the quarter being collected." in texts(at)


def test_a_returns_warnings_can_be_read_again_from_the_history(monkeypatch, demo_db_file):
    from store import db as store_db

    with store_db.connect(demo_db_file) as con:
        warned = con.execute("select max(submission_id) from submission_warnings").fetchone()[0]
    at = open_app(monkeypatch, demo_db_file, "data")
    at.selectbox(key="history_pick").set_value(warned).run()
    assert not at.exception
    table = next(frame.value for frame in at.dataframe if "message" in frame.value.columns)
    assert len(table) >= 1 and table["message"].str.contains("than in 20").all()


def test_a_target_set_in_settings_gives_the_figure_its_assurance(monkeypatch, writable_db):
    at = open_app(monkeypatch, writable_db, "data")
    at.selectbox(key="target_figure").set_value("income_total").run()
    field = next(t for t in at.text_input if t.label.startswith("Target for total income"))
    field.set_value("5,000,000")
    next(b for b in at.button if b.label == "Save target").click().run()
    assert not at.exception and at.success[0].value == "Target for total income: £5.0m."
    overview = open_app(monkeypatch, writable_db)
    table = next(f.value for f in overview.dataframe if "Assurance" in f.value.columns).set_index("Figure")
    assert table.loc["Total income", "Assurance"] == "Will consistently meet the target"  # below the lower limit
    assert table.loc["Staff headcount", "Assurance"] == "No target set"
