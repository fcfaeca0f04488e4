"""No traceback reaches a person: transient conflicts are retried, a damaged database is one plain
message, and anything unexpected is a reference to quote, its traceback in the log beside the database.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import duckdb
import pytest

from common import cli, incidents
from common.errors import DamagedDatabase, UsageError
from store import backup, db, settings
from tests import factory
from tests.apptest import open_app, texts
from tests.demo_db import copy_of

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = r"reference ([0-9A-F]{8})"

# -- connections retry DuckDB's transient conflicts ------------------------------------------------

pytestmark = pytest.mark.incidents  # these tests are of the reference and the log themselves


def test_threads_opening_and_closing_while_another_writes_never_fail(db_path):
    """DuckDB's "Unique file handle conflict" (one thread attaching the file as another lets it go) is retried."""
    failures, opened, stop = [], [0], time.monotonic() + 6

    def reader() -> None:
        while time.monotonic() < stop:
            try:
                with db.connect(db_path) as con:
                    con.execute("select count(*) from members").fetchall()
                opened[0] += 1
            except Exception as error:
                failures.append(repr(error))

    def writer() -> None:
        turn = 0
        while time.monotonic() < stop:
            try:
                with db.connect(db_path) as con, db.transaction(con):
                    settings.put(con, "return_due_days", str(30 + turn % 5))
                turn += 1
            except Exception as error:
                failures.append(repr(error))

    threads = [threading.Thread(target=reader) for _ in range(4)] + [threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert failures == [] and opened[0] > 100


def test_threads_opening_a_new_database_at_once_bring_its_schema_up_once(tmp_path):
    """Four first connections at once: one makes the schema, the others wait for it (no write-write conflict)."""
    failures = []
    for attempt in range(5):
        path, start = tmp_path / f"new{attempt}.duckdb", threading.Barrier(4)

        def first_connection(path=path, start=start) -> None:
            start.wait()
            try:
                with db.connect(path) as con:
                    con.execute("select count(*) from members").fetchall()
            except Exception as error:
                failures.append(repr(error))

        threads = [threading.Thread(target=first_connection) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
    assert failures == []


@pytest.mark.parametrize(
    "error, transient",
    [
        (duckdb.ResourceInUseException('Unique file handle conflict: Cannot attach "x"'), True),
        (duckdb.IOException('Could not set lock on file "x": Conflicting lock is held'), True),
        (duckdb.TransactionException("Catalog write-write conflict on create"), True),
        (duckdb.IOException("Could not read enough bytes from file"), False),
        (duckdb.TransactionException("cannot commit: transaction is aborted"), False),
        (duckdb.CatalogException("Table with name x does not exist"), False),
    ],
)
def test_which_errors_are_retried(error, transient):
    assert db._is_transient(error) is transient


# -- a damaged database: one plain message -------------------------------------------------------


def _garbage(size: int) -> bytes:
    return random.Random(size).randbytes(size)


def damage(good: Path, how: str) -> Path:
    """A copy of a good database, damaged one way."""
    content = good.read_bytes()
    path = good.with_name(f"{how}.duckdb")
    if how == "truncated":
        path.write_bytes(content[: len(content) // 3])
    elif how == "random bytes":
        path.write_bytes(_garbage(50_000))
    elif how == "a header and garbage":
        path.write_bytes(content[:12_288] + _garbage(len(content) - 12_288))
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "garbage write-ahead log":
        path.write_bytes(content)
        Path(f"{path}.wal").write_bytes(_garbage(5_000))
    return path


DAMAGED = ["truncated", "random bytes", "a header and garbage", "empty"]


@pytest.fixture
def good(db_path) -> Path:
    """A small database with two members (``db_path``), its write-ahead log folded in."""
    with db.connect(db_path) as con:
        con.execute("checkpoint")
    return db_path


@pytest.mark.parametrize("how", DAMAGED)
def test_a_damaged_database_is_one_plain_message(good, how):
    path = damage(good, how)
    with pytest.raises(DamagedDatabase) as raised, db.connect(path, wait=0.5) as con:
        con.execute("select * from members").fetchall()
    message = str(raised.value)
    assert f"The database {path} cannot be read: " in message
    assert f"No backup was found in {path.parent.resolve() / 'backups'}." in message
    assert "Nothing was changed." in message and "docs/loading.md, Backups" in message


def test_the_message_names_the_latest_backup(good):
    with db.connect(good) as con:
        made = backup.write(con, good, reason="before a test damages it")
    good.write_bytes(damage(good, "a header and garbage").read_bytes())  # the backed-up file itself damaged
    with pytest.raises(DamagedDatabase, match="part of it is damaged") as raised, db.connect(good, wait=0.5):
        pass
    assert f"The latest backup is {made.folder} (made " in str(raised.value)


def test_a_damaged_part_read_only_by_a_query_is_the_same_message(tmp_path):
    """The damage may be in a block the opening never reads: the query that reads it gets the message."""
    path = tmp_path / "big.duckdb"
    with db.connect(path) as con:
        con.execute("create table filler as select range as i, md5(range::varchar) as s from range(200000)")
        con.execute("checkpoint")
    content = bytearray(path.read_bytes())
    middle = len(content) // 2
    content[middle : middle + 65_536] = _garbage(65_536)
    path.write_bytes(bytes(content))
    damaged = pytest.raises(DamagedDatabase, match="cannot be read: part of it is damaged")
    with damaged, db.connect(path, wait=0.5) as con:
        con.execute("select count(distinct s) from filler").fetchall()


def test_a_garbage_write_ahead_log_beside_a_good_database_is_left_alone(good):
    with db.connect(damage(good, "garbage write-ahead log"), wait=0.5) as con:
        assert {row[0] for row in con.execute("select code from members").fetchall()} == {"ROW", "LAR"}


def command(module: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("how", [*DAMAGED, "garbage write-ahead log"])
def test_the_command_line_says_so_in_one_line(good, tmp_path, how):
    path = damage(good, how)
    returned = tmp_path / "ROW_2024-25_Q1.xlsx"
    returned.write_bytes(factory.to_bytes(factory.standard_return("ROW", "2024/25", "Q1")))
    summary = command("metrics", "summary", "--period", "2024/25", "--db", str(path))
    ingest = command("loaders", "ingest", str(returned), "--db", str(path))
    for done in (summary, ingest):
        assert "Traceback" not in done.stderr
        if how == "garbage write-ahead log":
            assert done.returncode == 0, done.stderr
        else:
            assert done.returncode == cli.USAGE
            assert done.stderr.startswith(f"error: The database {path} cannot be read: ")
            assert done.stderr.count("\n") == 1


@pytest.mark.parametrize("how", DAMAGED)
def test_the_app_says_so_on_every_page(monkeypatch, good, how):
    path = damage(good, how)
    for page in ("overview", "data"):
        at = open_app(monkeypatch, path, page)
        assert not at.exception
        assert [e.value for e in at.error if "cannot be read" in e.value], texts(at)


# -- anything unexpected: a reference, and the traceback in the log ------------------------------


def test_an_unexpected_error_on_a_page_is_a_reference(monkeypatch, demo_db_file, tmp_path):
    from metrics import format as fmt

    def broken(*args, **kwargs):
        raise RuntimeError("boom in /srv/secret/onevoice/metrics/format.py")

    path = copy_of(demo_db_file, tmp_path, "demo.duckdb")
    monkeypatch.setattr(fmt, "period_title", broken)
    at = open_app(monkeypatch, path)
    assert not at.exception
    (shown,) = [e.value for e in at.error]
    assert shown.startswith("Something went wrong on this page (reference ")
    assert shown.endswith("Tell your coordinator the reference; nothing was changed.")
    assert "/srv/secret" not in texts(at) and "RuntimeError" not in texts(at)
    reference = re.search(REFERENCE, shown).group(1)
    log = (tmp_path / "logs" / incidents.LOG_NAME).read_text(encoding="utf-8")
    assert f"=== {reference} " in log and "RuntimeError: boom in /srv/secret" in log and "Traceback" in log


def test_streamlits_own_stop_still_stops_a_page(monkeypatch, tmp_path):
    """An empty database: the Overview shows its welcome and calls st.stop, which is never taken for an error."""
    at = open_app(monkeypatch, tmp_path / "empty.duckdb")
    assert not at.exception and not at.error
    assert at.title[0].value.startswith("Welcome to One Voice")


def test_a_command_that_fails_unexpectedly_gives_a_reference(tmp_path, capsys):
    import argparse

    def broken(args) -> int:
        raise KeyError("no such thing")

    code = cli.run(broken, argparse.Namespace(db=str(tmp_path / "x.duckdb")))
    error = capsys.readouterr().err
    assert code == cli.FAILED and "Traceback" not in error
    reference = re.search(REFERENCE, error).group(1)
    log = tmp_path / "logs" / incidents.LOG_NAME
    assert f"the details are in {log}" in error
    assert f"=== {reference} " in log.read_text(encoding="utf-8")


def test_a_one_voice_error_is_still_its_message_and_code(capsys):
    import argparse

    def refused(args) -> int:
        raise UsageError("a period like 2024/25")

    assert cli.run(refused, argparse.Namespace()) == cli.USAGE
    assert capsys.readouterr().err == "error: a period like 2024/25\n"


def test_the_log_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(incidents, "MAX_BYTES", 2_000)
    for _ in range(40):
        try:
            raise ValueError("x" * 200)
        except ValueError as error:
            incidents.record(error, tmp_path)
    log = tmp_path / incidents.LOG_NAME
    assert log.stat().st_size < 2_000 + 2_000 and (tmp_path / f"{incidents.LOG_NAME}.1").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == [incidents.LOG_NAME, f"{incidents.LOG_NAME}.1"]


def test_a_log_folder_that_cannot_be_written_still_gives_a_reference(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder would be")
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        incident = incidents.record(error, blocked / "logs")
    assert len(incident.reference) == 8 and incident.log is not None and blocked not in incident.log.parents


def test_visitors_never_see_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
