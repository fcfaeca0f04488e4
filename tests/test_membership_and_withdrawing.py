"""Membership over time, quarters that have not ended, and withdrawing a return or a member.

Real workbooks (``tests.factory``) through the real ingest and the real command line.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import metrics
from contract.periods import Period, quarter_index
from loaders.ingest import ACCEPTED, REJECTED, ingest_bytes
from store import db, members, submissions
from tests.factory import set_value, standard_return, to_bytes

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 30)


def a_return(member: str = "ROW", year: str = "2024/25", quarter: str = "Q1", patients: int | None = None) -> bytes:
    sheets = standard_return(member, year, quarter)
    if patients is not None:
        set_value(sheets, "Income", "Donations and fundraising events", patients)
    return to_bytes(sheets)


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loaders", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


# -- quarters that have not ended ------------------------------------------------------------


def test_a_return_for_a_quarter_that_has_not_ended_is_refused_with_the_day_it_ends(db_path):
    result = ingest_bytes(a_return(year="2027/28", quarter="Q1"), "future.xlsx", db_path=db_path, today=TODAY)
    assert result.status == REJECTED
    assert [p.message for p in result.errors] == [
        "2027/28 Q1 has not ended yet: it ends on 30 June 2027. Send this return after the quarter ends "
        "(check the year and quarter on the Return sheet)."
    ]
    assert result.errors[0].found == "2027/28 Q1"
    with db.connect(db_path) as con:
        assert con.execute("select count(*) from submissions").fetchone()[0] == 0


def test_the_quarter_now_running_is_refused_and_the_last_one_that_ended_is_accepted(db_path):
    running = ingest_bytes(a_return(year="2026/27", quarter="Q3"), "q3.xlsx", db_path=db_path, today=TODAY)
    ended = ingest_bytes(a_return(year="2026/27", quarter="Q2"), "q2.xlsx", db_path=db_path, today=TODAY)
    assert (running.status, ended.status) == (REJECTED, ACCEPTED)
    # the last day of a quarter is still inside it
    last_day = ingest_bytes(
        a_return(year="2026/27", quarter="Q3"), "q3.xlsx", db_path=db_path, today=date(2026, 12, 31)
    )
    assert last_day.status == REJECTED


# -- membership over time ----------------------------------------------------------------------


def join_row_in_q3(db_path: Path) -> None:
    with db.connect(db_path) as con:
        members.upsert(con, members.Member("ROW", "Rowan Hospice", "adult", "North", joined=quarter_index(2024, 3)))


def test_a_return_before_a_member_joined_is_refused_and_says_so(db_path):
    join_row_in_q3(db_path)
    result = ingest_bytes(a_return(quarter="Q1"), "early.xlsx", db_path=db_path, today=TODAY)
    assert result.status == REJECTED
    assert result.errors[0].message.startswith(
        "Rowan Hospice (ROW) is a member from 2024/25 Q3 of the collaborative, so it has no return for 2024/25 Q1."
    )
    assert ingest_bytes(a_return(quarter="Q3"), "q3.xlsx", db_path=db_path, today=TODAY).status == ACCEPTED


def test_a_member_that_joins_later_never_makes_an_earlier_period_incomplete(db_path):
    join_row_in_q3(db_path)
    for quarter in ("Q1", "Q2", "Q3", "Q4"):
        assert (
            ingest_bytes(a_return("LAR", quarter=quarter), f"lar{quarter}.xlsx", db_path=db_path, today=TODAY).status
            == ACCEPTED
        )
    for quarter in ("Q3", "Q4"):
        assert (
            ingest_bytes(a_return("ROW", quarter=quarter), f"row{quarter}.xlsx", db_path=db_path, today=TODAY).status
            == ACCEPTED
        )
    with db.connect(db_path) as con:
        year = metrics.coverage(con, Period.year(2024))
        first_half = metrics.coverage(con, Period(quarter_index(2024, 1), quarter_index(2024, 2)))
        grid = metrics.completeness(con, Period.year(2024))
    assert year.complete and year.returns_expected == 6 and year.returns_in == 6
    assert first_half.complete and first_half.members_expected == ["LAR"]
    statuses = dict(zip(zip(grid.member_code, grid.quarter_label), grid.status))
    assert statuses[("ROW", "2024/25 Q1")] == "not_required" and statuses[("ROW", "2024/25 Q3")] == "in"


def test_a_member_that_left_owes_nothing_after(db_path):
    with db.connect(db_path) as con:
        members.upsert(con, members.Member("LAR", "Larch Children's Hospice", "children", left=quarter_index(2024, 2)))
    for quarter in ("Q1", "Q2", "Q3", "Q4"):
        ingest_bytes(a_return("ROW", quarter=quarter), f"row{quarter}.xlsx", db_path=db_path, today=TODAY)
    for quarter in ("Q1", "Q2"):
        ingest_bytes(a_return("LAR", quarter=quarter), f"lar{quarter}.xlsx", db_path=db_path, today=TODAY)
    late = ingest_bytes(a_return("LAR", quarter="Q3"), "larQ3.xlsx", db_path=db_path, today=TODAY)
    assert late.status == REJECTED and "is a member until 2024/25 Q2" in late.errors[0].message
    with db.connect(db_path) as con:
        assert metrics.coverage(con, Period.year(2024)).complete


def test_membership_comes_from_the_members_csv(tmp_path):
    database = tmp_path / "m.duckdb"
    csv_file = tmp_path / "members.csv"
    csv_file.write_text(
        "code,name,type,place,joined,left\nASH,Ashgrove,adult,,2024/25 Q3,\n"
        "BIR,Birchwood,adult,,,2025/26 Q1\nCED,Cedar,adult,,,\n",
        encoding="utf-8",
    )
    done = run("members", csv_file, "--db", database)
    assert done.returncode == 0, done.stderr
    with db.connect(database) as con:
        rows = {m.code: (m.joined, m.left) for m in (members.get(con, c) for c in ["ASH", "BIR", "CED"])}
    assert rows == {"ASH": (quarter_index(2024, 3), None), "BIR": (None, quarter_index(2025, 1)), "CED": (None, None)}


def test_a_membership_that_ends_before_it_starts_is_refused(tmp_path):
    csv_file = tmp_path / "members.csv"
    csv_file.write_text("code,name,type,joined,left\nASH,Ashgrove,adult,2025/26 Q1,2024/25 Q4\n", encoding="utf-8")
    done = run("members", csv_file, "--db", tmp_path / "m.duckdb")
    assert done.returncode == 1
    assert "Member ASH left in 2024/25 Q4, before it joined in 2025/26 Q1" in done.stderr


# -- withdrawing ---------------------------------------------------------------------------------


def test_withdrawing_a_return_takes_it_out_and_the_earlier_one_back(db_path):
    first = ingest_bytes(a_return(patients=1000), "first.xlsx", db_path=db_path, today=TODAY)
    second = ingest_bytes(a_return(patients=2000), "second.xlsx", db_path=db_path, today=TODAY)
    done = run("withdraw", "--member", "row", "--period", "2024/25 Q1", "--db", db_path, "--by", "Alex Smith")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        f"Withdrew submission {second.submission_id} (ROW 2024/25 Q1); "
        f"submission {first.submission_id} is current again."
    )
    with db.connect(db_path) as con:
        history = submissions.history(con).set_index("submission_id")["status"].to_dict()
        events = con.execute("select action, by_whom from events where action = 'withdrawn'").fetchall()
        donations = metrics.value_of(metrics.figures(con, Period.parse("2024/25 Q1")), "income_total", "donations")
    assert history == {second.submission_id: "withdrawn", first.submission_id: "current"}
    assert events == [("withdrawn", "Alex Smith")]
    assert donations == 1000


def test_withdrawing_the_only_return_leaves_the_quarter_missing_and_it_can_be_restored(db_path):
    only = ingest_bytes(a_return(), "only.xlsx", db_path=db_path, today=TODAY)
    assert run("withdraw", "--member", "ROW", "--period", "2024/25 Q1", "--db", db_path).returncode == 0
    with db.connect(db_path) as con:
        assert metrics.coverage(con, Period.parse("2024/25 Q1")).members_reporting == []
        with db.transaction(con):
            submissions.restore(con, only.submission_id)
        assert metrics.coverage(con, Period.parse("2024/25 Q1")).members_reporting == ["ROW"]


def test_withdrawing_nothing_exits_1_and_says_why(db_path):
    done = run("withdraw", "--member", "ROW", "--period", "2024/25 Q1", "--db", db_path)
    assert done.returncode == 1
    assert done.stderr.strip() == "error: Rowan Hospice (ROW) has no current return for 2024/25 Q1"


def test_a_member_with_no_returns_can_be_removed_and_one_with_returns_cannot(db_path):
    ingest_bytes(a_return(), "row.xlsx", db_path=db_path, today=TODAY)
    assert run("remove-member", "LAR", "--db", db_path).returncode == 0
    kept = run("remove-member", "ROW", "--db", db_path)
    assert kept.returncode == 1 and "has 1 return(s) in the history, so it cannot be removed" in kept.stderr
    with db.connect(db_path) as con:
        assert members.codes(con) == ["ROW"]
        assert con.execute("select count(*) from events where action = 'member removed'").fetchone()[0] == 1


def test_adding_a_code_that_exists_is_refused_with_the_members_name(db_path):
    with db.connect(db_path) as con, pytest.raises(members.MemberError, match="Member code ROW is already Rowan"):
        members.add(con, members.Member("row", "Another Hospice", "adult"))
    with db.connect(db_path) as con:
        assert members.get(con, "ROW").name == "Rowan Hospice"


def test_the_collaborative_is_named_from_the_command_line(db_path):
    done = run("settings", "--name", "Hampshire and Isle of Wight Hospices Together", "--db", db_path)
    assert done.returncode == 0
    assert "collaborative_name: Hampshire and Isle of Wight Hospices Together" in done.stdout


def test_a_members_csv_without_membership_columns_keeps_what_is_stored(tmp_path):
    database = tmp_path / "m.duckdb"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("code,name,type,place,joined,left\nAAA,Aaa,adult,,2024/25 Q3,\n", encoding="utf-8")
    second.write_text("code,name,type,place\nAAA,Aaa Hospice,adult,North\n", encoding="utf-8")
    assert run("members", first, "--db", database).returncode == 0
    assert run("members", second, "--db", database).returncode == 0
    with db.connect(database) as con:
        kept = members.get(con, "AAA")
    assert (kept.name, kept.joined) == ("Aaa Hospice", quarter_index(2024, 3))


def test_withdrawing_a_restored_return_brings_back_the_one_before_it(db_path):
    a = ingest_bytes(a_return(patients=1000), "a.xlsx", db_path=db_path, today=TODAY)
    b = ingest_bytes(a_return(patients=2000), "b.xlsx", db_path=db_path, today=TODAY)
    c = ingest_bytes(a_return(patients=3000), "c.xlsx", db_path=db_path, today=TODAY)
    with db.connect(db_path) as con, db.transaction(con):
        submissions.restore(con, b.submission_id)  # b is current, a and c superseded
        assert submissions.withdraw(con, b.submission_id) == a.submission_id  # a was sent before b
    with db.connect(db_path) as con, db.transaction(con):
        assert submissions.withdraw(con, a.submission_id) == c.submission_id  # nothing before a: the newest other
