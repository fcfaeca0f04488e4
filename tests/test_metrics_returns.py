"""Deadlines and the state of each return (shared/spec/quarterly-return.md), checked by hand on real stored returns."""

from __future__ import annotations

import json
from datetime import date

import pytest

from contract.periods import Period, quarter_index
from exports import chasing
from loaders.cli import main as loaders_main
from loaders.ingest import ACCEPTED, REJECTED, ingest_bytes
from metrics.cli import main as metrics_main
from metrics.returns import as_json, due_date, on_time_rates, return_states
from store import db, members, settings, submissions
from tests import factory

Q1, Q2, Q3, Q4 = (quarter_index(2024, q) for q in (1, 2, 3, 4))
TODAY = date(2025, 2, 1)  # 2024/25 Q3 ended 31 December 2024: due 11 February 2025


def send(path, code: str, quarter: str, received: date, *, today: date = date(2026, 1, 1), income: int = 100):
    sheets = factory.standard_return(code, "2024/25", quarter)
    factory.set_value(sheets, "Income", next(iter(factory.INCOME)), income)  # a resubmission differs from the first
    content = factory.to_bytes(sheets)
    return ingest_bytes(content, f"{code}-{quarter}-{income}.xlsx", path, today=today, received=received)


@pytest.fixture
def cycle_db(db_path):
    """ROW and LAR (tests/conftest.py), and OAK who joins in 2024/25 Q2."""
    with db.connect(db_path) as con:
        members.upsert(
            con, members.Member("OAK", "Oak Hospice", "adult", joined=Q2, contact="Sam Lee", email="sam@oak.org.uk")
        )
    return db_path


def states_of(path, period: Period, today: date) -> dict[tuple[str, str], tuple]:
    with db.connect(path) as con:
        frame = return_states(con, period, today)
    return {
        (code, quarter): (state, due, received)
        for code, quarter, state, due, received in zip(
            frame["member_code"], frame["quarter"], frame["state"], frame["due"], frame["received"]
        )
    }


def test_each_state_as_the_contract_defines_it(cycle_db):
    assert send(cycle_db, "ROW", "Q1", date(2024, 8, 11)).status == ACCEPTED  # on the due date: in
    assert send(cycle_db, "LAR", "Q1", date(2024, 8, 12)).status == ACCEPTED  # a day after: late
    assert send(cycle_db, "ROW", "Q2", date(2024, 10, 20)).status == ACCEPTED
    assert send(cycle_db, "ROW", "Q2", date(2025, 1, 20), income=200).status == ACCEPTED  # a late resubmission
    assert send(cycle_db, "ROW", "Q3", date(2025, 2, 5)).status == ACCEPTED  # received after TODAY: not yet
    found = states_of(cycle_db, Period.year(2024), TODAY)
    assert found[("ROW", "2024/25 Q1")] == ("in", date(2024, 8, 11), date(2024, 8, 11))
    assert found[("LAR", "2024/25 Q1")] == ("late", date(2024, 8, 11), date(2024, 8, 12))
    assert found[("ROW", "2024/25 Q2")] == ("in", date(2024, 11, 11), date(2024, 10, 20))  # stays on time
    assert found[("LAR", "2024/25 Q2")] == ("overdue", date(2024, 11, 11), None)
    assert found[("ROW", "2024/25 Q3")] == ("due", date(2025, 2, 11), None)  # its return arrives after TODAY
    assert found[("OAK", "2024/25 Q1")][0] == "not_required"  # joined in Q2
    assert found[("OAK", "2024/25 Q2")][0] == "overdue"
    assert found[("ROW", "2024/25 Q4")] == ("not_open", date(2025, 5, 12), None)
    later = states_of(cycle_db, Period.year(2024), date(2025, 2, 12))
    assert later[("ROW", "2024/25 Q3")] == ("in", date(2025, 2, 11), date(2025, 2, 5))
    assert later[("LAR", "2024/25 Q3")] == ("overdue", date(2025, 2, 11), None)  # the due date has passed


def test_a_withdrawn_return_leaves_its_quarter_owed(cycle_db):
    result = send(cycle_db, "ROW", "Q1", date(2024, 7, 20))
    with db.connect(cycle_db) as con, db.transaction(con):
        submissions.withdraw(con, result.submission_id)
    assert states_of(cycle_db, Period.quarter(2024, 1), TODAY)[("ROW", "2024/25 Q1")][0] == "overdue"


def test_the_due_days_setting_moves_every_due_date(cycle_db):
    with db.connect(cycle_db) as con, db.transaction(con):
        settings.put(con, settings.DUE_DAYS, "30")
    assert states_of(cycle_db, Period.quarter(2024, 1), TODAY)[("ROW", "2024/25 Q1")][1] == date(2024, 7, 30)
    assert due_date(Q4, 42) == date(2025, 5, 12)


def test_on_time_rate_counts_owed_quarters_whose_due_date_has_passed(cycle_db):
    send(cycle_db, "ROW", "Q1", date(2024, 7, 1))
    send(cycle_db, "ROW", "Q2", date(2024, 12, 1))  # late
    send(cycle_db, "LAR", "Q1", date(2024, 7, 1))
    with db.connect(cycle_db) as con:
        frame = return_states(con, Period.year(2024), TODAY)
    rates = on_time_rates(frame, TODAY)
    assert rates["ROW"] == 0.5  # Q1 in, Q2 late; Q3 is due (not passed), Q4 not open
    assert rates["LAR"] == 0.5  # Q1 in, Q2 overdue
    assert rates["OAK"] == 0.0  # Q2 overdue; Q1 not required
    with db.connect(cycle_db) as con:
        only_open = return_states(con, Period.quarter(2024, 4), TODAY)
    assert on_time_rates(only_open, TODAY) == {"LAR": None, "OAK": None, "ROW": None}


def test_a_received_date_in_the_future_is_refused(cycle_db):
    result = send(cycle_db, "ROW", "Q1", date(2026, 1, 2), today=date(2026, 1, 1))
    assert result.status == REJECTED
    assert str(result.errors[0]) == (
        "The received date, 02 January 2026, is in the future (today is 01 January 2026). "
        "Give the day the return arrived, or leave it as today."
    )


def test_the_command_line_takes_received_and_prints_the_contracts_json(cycle_db, tmp_path, capsys):
    path = tmp_path / "row.xlsx"
    path.write_bytes(factory.to_bytes(factory.standard_return("ROW", "2024/25", "Q1")))
    assert loaders_main(["ingest", str(path), "--db", str(cycle_db), "--received", "2024-08-20"]) == 0
    capsys.readouterr()
    code = metrics_main(["returns", "--period", "2024/25 Q1", "--today", "2025-02-01", "--db", str(cycle_db), "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out) == {
        "period": "2024/25 Q1",
        "today": "2025-02-01",
        "returns": [
            {"member": "LAR", "quarter": "2024/25 Q1", "state": "overdue", "due": "2024-08-11", "received": None},
            {"member": "OAK", "quarter": "2024/25 Q1", "state": "not_required", "due": "2024-08-11", "received": None},
            {"member": "ROW", "quarter": "2024/25 Q1", "state": "late", "due": "2024-08-11", "received": "2024-08-20"},
        ],
        "on_time_rate": {"LAR": 0.0, "OAK": None, "ROW": 0.0},
    }
    with pytest.raises(SystemExit) as typed_wrong:
        loaders_main(["ingest", str(path), "--db", str(cycle_db), "--received", "20/08/2024"])
    assert typed_wrong.value.code == 2
    assert "'20/08/2024' is not a day; write it as YYYY-MM-DD" in capsys.readouterr().err


def test_a_prepared_email_names_the_quarters_owed_and_opens_in_the_mail_program(cycle_db):
    with db.connect(cycle_db) as con:
        frame = return_states(con, Period.year(2024), TODAY)
    chased = {c.member_code: c for c in chasing.chases(frame, "Northvale", "Alex")}
    assert set(chased) == {"LAR", "OAK", "ROW"}
    oak = chased["OAK"]
    assert oak.subject == "Northvale: Oak Hospice's quarterly return for 2024/25 Q2 and 2024/25 Q3 is overdue"
    assert oak.body.startswith("Dear Sam Lee,\n\nWe have not yet received Oak Hospice's quarterly return for:")
    assert "  - 2024/25 Q2 (July to September 2024): overdue since 11 November 2024" in oak.body
    assert "  - 2024/25 Q3 (October to December 2024): due by 11 February 2025" in oak.body
    assert oak.mailto.startswith("mailto:sam@oak.org.uk?subject=Northvale%3A%20Oak%20Hospice%27s")
    assert chased["ROW"].to is None  # no email on the registry: the page says so
    everyone = chasing.chase_all(list(chased.values()), "Northvale", "2024/25 Q3")
    assert everyone.mailto.startswith("mailto:?bcc=sam@oak.org.uk&subject=")
    csv = chasing.owing_csv(frame, TODAY).decode("utf-8-sig").splitlines()
    assert csv[0] == "Member code,Member,Quarter,State,Due,Days overdue,Data lead,Email"
    assert csv[1].startswith("LAR,Larch Children's Hospice,2024/25 Q1,overdue,11 August 2024,174,")


def test_the_json_is_the_contracts_shape_for_an_empty_registry(tmp_path):
    with db.connect(tmp_path / "empty.duckdb") as con:
        frame = return_states(con, Period.year(2024), TODAY)
    assert as_json(frame, Period.year(2024), TODAY) == {
        "period": "2024/25",
        "today": "2025-02-01",
        "returns": [],
        "on_time_rate": {},
    }
