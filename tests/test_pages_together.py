"""The Together page through AppTest: the joint work figures as metrics computes them, and keeping the register.

Each test that writes works on its own copy of the demo database (whose register has ten projects).
"""

from __future__ import annotations

import pytest

from charts.statement import together
from contract.joint_work import Project
from contract.periods import Period, quarter_index
from metrics import format as fmt
from metrics.joint_work import joint_work
from store import db, settings
from store import joint_work as register_store
from tests.apptest import open_app, texts
from tests.demo_db import copy_of
from tests.test_joint_work import OUTCOME_HEAD, PROJECT_HEAD, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def writable_db(demo_db_file, tmp_path):
    return copy_of(demo_db_file, tmp_path, "writable.duckdb")


def test_the_tiles_are_the_joint_work_figures(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file, "together", {"period": "2024/25"})
    assert not at.exception and not at.error
    with db.connect(demo_db_file) as con:
        expected = joint_work(con, Period.year(2024))
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Joint projects"] == fmt.count(expected.joint_projects) == "6"
    assert tiles["Funding won"] == fmt.money(expected.outcomes["money_won"])
    assert tiles["Staff shared (FTE)"] == fmt.decimal(expected.outcomes["staff_shared_fte"])
    assert tiles["Bed days shared"] == "not reported"  # nobody shared beds in 2024/25: never 0
    shown = texts(at)
    assert "Active, complete or stopped in the period." in shown  # the planned virtual ward starts in 2025/26
    assert "Valued at £400 a bed day (an illustrative figure for the demo, not a published cost)" in shown
    assert "Volunteer time is valued at £12.21 an hour" in shown


def test_the_overview_statement_says_what_they_did_together(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file, "overview", {"period": "2024/25"})
    sentence = [code.value for code in at.code][0]
    with db.connect(demo_db_file) as con:
        expected = together(joint_work(con, Period.year(2024)).as_dict())
    assert expected.startswith(" Together they ran six joint projects, won £105k in joint bids and funding")
    assert expected in sentence


def _form(at):
    return {t.label: t for t in at.text_input}


def test_a_coordinator_adds_a_project_and_an_edit_that_breaks_a_rule_is_refused(monkeypatch, writable_db):
    at = open_app(monkeypatch, writable_db, "together")
    _form(at)["Title"].set_value("Joint HR service")
    next(s for s in at.selectbox if s.label == "Kind").set_value("procurement")
    next(m for m in at.multiselect if m.label.startswith("Members taking part")).set_value(["ASH"])
    next(s for s in at.selectbox if s.label == "Status").set_value("active")
    next(b for b in at.button if b.label == "Save this project").click().run()
    assert not at.exception
    assert "'Joint HR service' needs at least two members taking part." in at.error[0].value
    with db.connect(writable_db) as con:
        assert register_store.current(con).project("Joint HR service") is None

    next(m for m in at.multiselect if m.label.startswith("Members taking part")).set_value(["ASH", "OAK"])
    next(b for b in at.button if b.label == "Save this project").click().run()
    assert not at.exception and not at.error
    assert "'Joint HR service' is saved" in at.success[0].value
    with db.connect(writable_db) as con:
        added = register_store.current(con).project("Joint HR service")
        actions = list(register_store.versions(con)["action"])
    assert (added.kind, added.members, added.status) == ("procurement", ("ASH", "OAK"), "active")
    assert actions == ["project added", "loaded"]


def test_a_refused_register_workbook_shows_each_problem_and_changes_nothing(monkeypatch, writable_db):
    at = open_app(monkeypatch, writable_db, "together")
    bad = workbook([PROJECT_HEAD, ["A", "Hats", "ASH, OAK", "", "2024/25 Q1", "", "active"]], [OUTCOME_HEAD])
    at.file_uploader(key="register_upload").set_value(("tracker.xlsx", bad, XLSX)).run()
    assert not at.exception
    assert "tracker.xlsx: refused, 1 problem(s) to fix" in at.error[0].value
    problems = at.dataframe[[i for i, d in enumerate(at.dataframe) if "problem" in d.value.columns][0]].value
    assert problems["where"].tolist() == ["Projects!B2"]
    with db.connect(writable_db) as con:
        assert len(register_store.versions(con)) == 1


def test_an_earlier_register_is_restored_after_a_confirmation(monkeypatch, writable_db):
    with db.connect(writable_db) as con, db.transaction(con):
        register_store.put_project(
            con, Project("Extra", "other", ("ASH", "BIR"), quarter_index(2024, 1), "active"), (), by="test"
        )
    at = open_app(monkeypatch, writable_db, "together")
    at.selectbox(key="register_version").set_value(1).run()
    at.button(key="register_restore").click().run()
    assert "Make the register of version 1 (10 projects) current?" in at.warning[0].value
    at.button(key="register_restore_yes").click().run()
    assert not at.exception
    assert at.success[0].value == "The register of version 1 is current again."
    with db.connect(writable_db) as con:
        assert register_store.current(con).same_as(register_store.at(con, 1))
        assert len(register_store.versions(con)) == 3


def test_the_bed_day_cost_is_never_saved_without_its_source(monkeypatch, writable_db):
    at = open_app(monkeypatch, writable_db, "data")
    _form(at)["NHS bed-day cost (£)"].set_value("£350")
    _form(at)["Its source"].set_value("")
    next(b for b in at.button if b.label == "Save settings").click().run()
    assert "A bed-day cost needs its source" in at.error[0].value
    with db.connect(writable_db) as con:
        assert settings.get(con, settings.BED_DAY_COST) == "400"
    _form(at)["Its source"].set_value("NHS National Cost Collection")
    _form(at)["Its year"].set_value("2023/24")
    next(b for b in at.button if b.label == "Save settings").click().run()
    assert not at.error
    at.switch_page("app_pages/together.py").run()
    assert "Valued at £350 a bed day (NHS National Cost Collection, 2023/24)" in texts(at)
