"""Storing returns: all or nothing, resubmission, restore, byte-identical files, two processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from loaders.ingest import ACCEPTED, ALREADY_LOADED, REJECTED, ingest_bytes, ingest_many
from store import db, submissions
from tests import factory


def current(db_path, measure="income", breakdown="legacies"):
    with db.connect(db_path) as con:
        return con.execute(
            "select value, submission_id from current_figures where measure = $1 and breakdown = $2",
            [measure, breakdown],
        ).fetchall()


def table_counts(db_path) -> dict[str, int]:
    with db.connect(db_path) as con:
        return {
            t: con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("submissions", "figures", "files", "submission_warnings", "events")
        }


def test_the_original_file_is_kept_with_its_hash_sender_and_time(db_path):
    content = factory.to_bytes(factory.standard_return())
    result = ingest_bytes(content, "rowan-q1.xlsx", db_path=db_path, sent_by="Alex Coordinator")
    assert result.status == ACCEPTED
    with db.connect(db_path) as con:
        kept = submissions.original_file(con, result.submission_id)
        history = submissions.history(con)
    assert kept.content == content and kept.file_name == "rowan-q1.xlsx"
    row = history.iloc[0]
    assert (row.sent_by, row.status, row.period, row.size_bytes) == (
        "Alex Coordinator",
        "current",
        "2024/25 Q1",
        len(content),
    )
    assert len(row.sha256) == 64 and row.loaded_at is not None


def test_a_rejected_file_changes_nothing(db_path):
    ingest_bytes(factory.to_bytes(factory.standard_return()), "good.xlsx", db_path=db_path)
    before = table_counts(db_path)
    bad = factory.standard_return()
    factory.set_value(bad, "Income", "Legacies", "oops")
    assert ingest_bytes(factory.to_bytes(bad), "bad.xlsx", db_path=db_path).status == REJECTED
    assert table_counts(db_path) == before
    assert current(db_path)[0][0] == 100_000


def test_a_failure_while_writing_leaves_nothing_half_written(db_path, monkeypatch):
    ingest_bytes(factory.to_bytes(factory.standard_return()), "q1.xlsx", db_path=db_path)
    before = table_counts(db_path)

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(submissions, "_insert_figures", broken)
    second = factory.standard_return()
    factory.set_value(second, "Income", "Legacies", 90_000)
    with pytest.raises(OSError):
        ingest_bytes(factory.to_bytes(second), "q1-v2.xlsx", db_path=db_path)
    assert table_counts(db_path) == before
    assert current(db_path)[0][0] == 100_000  # the first return is still current


def test_resubmission_supersedes_and_restore_brings_the_earlier_back(db_path):
    first = ingest_bytes(factory.to_bytes(factory.standard_return()), "q1.xlsx", db_path=db_path)
    corrected = factory.standard_return()
    factory.set_value(corrected, "Income", "Legacies", 120_000)
    second = ingest_bytes(factory.to_bytes(corrected), "q1-corrected.xlsx", db_path=db_path)
    assert second.status == ACCEPTED and second.superseded_id == first.submission_id
    assert second.summary() == (
        f"q1-corrected.xlsx: accepted as ROW 2024/25 Q1, replacing submission {first.submission_id}"
    )
    assert current(db_path) == [(120_000, second.submission_id)]
    with db.connect(db_path) as con:
        assert submissions.history(con)["status"].tolist() == ["current", "superseded"]
        with db.transaction(con):
            assert submissions.restore(con, first.submission_id) == second.submission_id
        assert submissions.history(con)["status"].tolist() == ["superseded", "current"]
        kept = submissions.figures_of(con, second.submission_id).set_index(["measure", "breakdown"])
        assert kept.loc[("income", "legacies"), "value"] == 120_000  # the superseded return stays whole
        actions = [a for (a,) in con.execute("select action from events order by event_id").fetchall()]
    assert current(db_path) == [(100_000, first.submission_id)]
    assert actions[-4:] == ["loaded", "loaded", "superseded", "restored"]


def test_a_byte_identical_file_is_already_loaded_and_changes_nothing(db_path):
    content = factory.to_bytes(factory.standard_return())
    first = ingest_bytes(content, "q1.xlsx", db_path=db_path)
    before = table_counts(db_path)
    again = ingest_bytes(content, "q1 (copy).xlsx", db_path=db_path)
    assert again.status == ALREADY_LOADED
    assert again.problems == []
    assert again.summary() == (
        f"q1 (copy).xlsx: already loaded (submission {first.submission_id}, ROW 2024/25 Q1); nothing changed"
    )
    assert table_counts(db_path) == before


def test_a_newer_schema_is_refused_plainly(tmp_path):
    path = tmp_path / "future.duckdb"
    with db.connect(path) as con:
        con.execute("insert into schema_version values (99)")
    with pytest.raises(RuntimeError, match="written by a newer One Voice"), db.connect(path):
        pass


HOLD_LOCK = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    con.close()
""")


def hold_database(path, seconds):
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "holding"
    return process


def test_two_processes_a_short_lock_is_waited_for(db_path):
    holder = hold_database(db_path, 1.0)
    try:
        result = ingest_bytes(factory.to_bytes(factory.standard_return()), "q1.xlsx", db_path=db_path)
    finally:
        holder.wait()
    assert result.status == ACCEPTED


def test_two_processes_a_long_lock_says_the_database_is_busy(db_path):
    holder = hold_database(db_path, 5.0)
    try:
        with (
            pytest.raises(db.DatabaseBusy, match="is busy: another program .* is using it. Wait a moment"),
            db.connect(db_path, wait=0.5),
        ):
            pass
    finally:
        holder.wait()
    with db.connect(db_path) as con:  # and once it is released, work goes on
        assert con.execute("select count(*) from members").fetchone()[0] == 2


def test_two_processes_ingesting_at_once_both_land(db_path, tmp_path):
    paths = []
    for quarter in ("Q1", "Q2", "Q3", "Q4"):
        paths.append(factory.write(factory.standard_return(quarter=quarter), tmp_path / f"{quarter}.xlsx"))
    commands = [[sys.executable, "-m", "loaders", "ingest", str(p), "--db", str(db_path)] for p in paths]
    processes = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], outputs
    with db.connect(db_path) as con:
        assert con.execute("select count(*) from submissions where status = 'current'").fetchone()[0] == 4


def test_a_batch_is_ingested_in_order_each_file_on_its_own(db_path):
    good = factory.to_bytes(factory.standard_return(quarter="Q1"))
    bad_sheets = factory.standard_return(quarter="Q2")
    factory.set_value(bad_sheets, "Income", "Legacies", "tbc")
    corrected = factory.standard_return(quarter="Q1")
    factory.set_value(corrected, "Income", "Legacies", 99_000)
    seen = []
    results = ingest_many(
        [
            (good, "q1.xlsx"),
            (factory.to_bytes(bad_sheets), "q2.xlsx"),
            (good, "q1 again.xlsx"),
            (factory.to_bytes(corrected), "q1 v2.xlsx"),
        ],
        db_path=db_path,
        on_result=lambda r: seen.append(r.file_name),
    )
    assert [r.status for r in results] == [ACCEPTED, REJECTED, ALREADY_LOADED, ACCEPTED]
    assert seen == ["q1.xlsx", "q2.xlsx", "q1 again.xlsx", "q1 v2.xlsx"]
    assert results[3].superseded_id == results[0].submission_id
    assert current(db_path) == [(99_000, results[3].submission_id)]
