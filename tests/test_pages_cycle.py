"""The Data page's quarterly cycle (AppTest): who owes, chasing, the on-time record, contacts, received dates."""

from __future__ import annotations

from datetime import date

import pytest

from contract.periods import Period
from metrics.returns import return_states
from store import db, members, submissions
from tests import factory
from tests.apptest import open_app, texts
from tests.demo_db import copy_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def writable_db(demo_db_file, tmp_path):
    return copy_of(demo_db_file, tmp_path, "writable.duckdb")


def frames(at) -> list:
    return [element.value for element in at.dataframe]


def test_the_demo_is_seen_from_its_own_day_with_two_returns_still_due(monkeypatch, demo_db_file):
    at = open_app(monkeypatch, demo_db_file, "data")
    assert not at.exception
    shown = texts(at)
    assert "As at 06 May 2025 (the demo collaborative is seen from its own day)" in shown
    assert "**2024/25 Q4**: 2 still owed" in shown
    q4 = next(f for f in frames(at) if "State" in f.columns and "… due" in set(f["State"]))
    assert q4["Member"].tolist()[:2] == ["Elmfield Hospice (demo)", "Willowbank Hospice (demo)"]  # owing first
    assert set(q4["State"][:2]) == {"… due"} and q4["Due"].iloc[0] == "12 May 2025"
    record = next(f for f in frames(at) if "On time, 2024/25" in f.columns)
    with db.connect(demo_db_file) as con:
        states = return_states(con, Period.year(2024), date(2025, 5, 6))
    assert (states["state"] == "late").sum() == 0 and record["On time, 2024/25"].tolist() == ["100%"] * 5
    assert "Elmfield Hospice (demo)'s quarterly return for 2024/25 Q4 is due by 12 May 2025" in [
        e.label for e in at.expander
    ]


def test_a_return_received_last_week_is_loaded_with_that_day(monkeypatch, writable_db):
    at = open_app(monkeypatch, writable_db, "data")
    received = next(d for d in at.date_input if d.label == "Received on")
    received.set_value(date(2025, 7, 30))
    upload = ("ASH_2025-26_Q1.xlsx", factory.to_bytes(factory.standard_return("ASH", "2025/26", "Q1")), XLSX)
    at.file_uploader(key="returns").set_value([upload]).run()
    assert not at.exception
    with db.connect(writable_db) as con:
        newest = submissions.history(con).iloc[0]
    assert (newest["period"], newest["received_on"].date()) == ("2025/26 Q1", date(2025, 7, 30))


def test_a_data_lead_is_added_to_a_member_and_named_in_its_email(monkeypatch, writable_db):
    at = open_app(monkeypatch, writable_db, "data")
    at.selectbox(key="member_pick_0").set_value("WIL").run()
    form = {t.label: t for t in at.text_input}
    form["Data lead (optional, to chase returns)"].set_value("Jo Bloggs")
    form["Data lead's email (optional)"].set_value("not an email")
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert "'not an email' is not an email address" in at.error[0].value
    form = {t.label: t for t in at.text_input}
    form["Data lead's email (optional)"].set_value("Jo.Bloggs@Willowbank.org.uk")
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert not at.exception and not at.error
    with db.connect(writable_db) as con:
        wil = members.get(con, "WIL")
    assert (wil.contact, wil.email) == ("Jo Bloggs", "jo.bloggs@willowbank.org.uk")
    assert any(c.value.startswith("Dear Jo Bloggs,\n\nWe have not yet received Willowbank") for c in at.code)


def test_each_file_uploaded_and_each_return_in_the_history_has_its_data_quality_report(monkeypatch, writable_db):
    at = open_app(monkeypatch, writable_db, "data")
    sheets = factory.standard_return("BIR", "2025/26", "Q1")
    factory.set_value(sheets, "Income", "Legacies", "about 100k")
    upload = ("BIR_2025-26_Q1.xlsx", factory.to_bytes(sheets), XLSX)
    at.file_uploader(key="returns").set_value([upload]).run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Data-quality report to send back to the member" in labels
    assert "Data-quality report of this return (to send back to the member)" in labels
