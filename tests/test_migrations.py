"""Every earlier schema upgrades to the current one with nothing lost, after a backup of its own.

A database made by each earlier version is built here, in code, from that version's schema: the
first N scripts of ``store.schema.MIGRATIONS`` run by hand as ``migrate`` ran them then, and rows
that version could hold. Opening it with ``store.db.connect`` upgrades it; every row must still be
there and every new column hold its documented default.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from common.errors import MigrationFailed, UnrecognisedDatabase
from loaders.cli import main
from store import backup, db, schema, submissions
from store.events import log_event

LOADED = datetime(2024, 7, 20, 9, 30, 15)
LATER = datetime(2024, 8, 1, 16, 5)

# table -> (the version that made it, its columns as that version knew them, rows); ids come from the sequences
ROWS: dict[str, tuple[int, tuple[str, ...], list[tuple]]] = {
    "members": (
        1,
        ("code", "name", "type", "place", "added_at"),
        [
            ("ROW", "Rowan Hospice", "adult", "North", datetime(2024, 4, 2, 10, 0)),
            ("LAR", "Larch Children's Hospice", "children", None, datetime(2024, 4, 2, 10, 1)),
        ],
    ),
    "settings": (1, ("key", "value"), [("collaborative_name", "North Hospices Together"), ("demo", "")]),
    "files": (
        1,
        ("sha256", "size_bytes", "content"),
        [("a" * 64, 6, b"PK\x03\x04\x00\xff"), ("b" * 64, 4, b"\x00\x01\x02\x03")],
    ),
    "submissions": (
        1,
        (
            "member_code",
            "fy",
            "quarter",
            "quarter_index",
            "file_name",
            "sha256",
            "size_bytes",
            "sent_by",
            "loaded_at",
            "status",
            "prepared_by",
            "email",
            "notes",
        ),
        [
            ("ROW", 2024, 1, 8096, "row q1.xlsx", "a" * 64, 6, "Alex", LOADED, "superseded", "Sam", "s@row.org", None),
            ("ROW", 2024, 1, 8096, "row q1 v2.xlsx", "b" * 64, 4, "Alex", LOADED, "current", "Sam", None, "fixed"),
            ("LAR", 2024, 1, 8096, "lar q1.xlsx", "b" * 64, 4, None, LATER, "current", None, None, None),
        ],
    ),
    "figures": (
        1,
        ("submission_id", "measure", "breakdown", "value"),
        [(1, "income", "legacies", 1200.5), (2, "income", "legacies", 1250.0), (3, "patients_supported", "all", 7)],
    ),
    "submission_warnings": (
        1,
        ("submission_id", "location", "message"),
        [(2, "Income!B7", "moved more than 50% from the previous quarter")],
    ),
    "events": (
        1,
        ("happened_at", "action", "submission_id", "member_code", "detail", "by_whom"),
        [
            (LOADED, "loaded", 1, "ROW", "2024/25 Q1", "Alex"),
            (LOADED, "superseded", 1, "ROW", None, "Alex"),
            (LOADED, "loaded", 2, "ROW", "2024/25 Q1", "Alex"),
        ],
    ),
    "users": (3, ("email", "role", "member_code", "added_at"), [("lead@row.org", "member", "ROW", LOADED)]),
    "sharing": (3, ("member_code", "audience", "shown"), [("LAR", "viewers", False)]),
    "audit": (3, ("happened_at", "action", "detail", "by_whom"), [(LOADED, "signed in", "as member", "lead@row.org")]),
    "joint_versions": (
        4,
        ("made_at", "action", "detail", "by_whom", "file_name", "sha256"),
        [(LOADED, "loaded", "2 projects", "Alex", "register.xlsx", "a" * 64)],
    ),
    "joint_projects": (
        4,
        (
            "version_id",
            "position",
            "title",
            "kind",
            "all_members",
            "lead",
            "start_quarter",
            "end_quarter",
            "status",
            "description",
            "link",
        ),
        [
            (1, 1, "Shared night nurse", "shared post", False, "ROW", 8096, None, "active", "Nights", None),
            (1, 2, "Joint bid", "joint bid", True, None, 8094, 8097, "complete", None, "https://example.org"),
        ],
    ),
    "joint_project_members": (4, ("version_id", "position", "member_code"), [(1, 1, "ROW"), (1, 1, "LAR")]),
    "joint_outcomes": (
        4,
        ("version_id", "position", "quarter_index", "measure", "value"),
        [(1, 1, 8096, "people_reached", 40.0)],
    ),
}
SEQUENCES = {
    "submissions": "submission_ids",
    "events": "event_ids",
    "audit": "audit_ids",
    "joint_versions": "joint_version_ids",
}
ID_COLUMN = {"submissions": "submission_id", "events": "event_id", "audit": "audit_id", "joint_versions": "version_id"}


def build(path: Path, version: int, versioned: bool = True) -> Path:
    """A database as One Voice of schema ``version`` left it, with rows (no version table if not ``versioned``)."""
    con = duckdb.connect(str(path))
    for number in range(1, version + 1):
        con.execute("begin transaction")
        if versioned:
            con.execute("create table if not exists schema_version (version integer not null)")
        con.execute(schema.MIGRATIONS[number - 1])
        if versioned:
            con.execute("insert into schema_version values ($1)", [number])
        con.execute("commit")
    for table, (made_in, columns, rows) in ROWS.items():
        if made_in <= version:
            marks = ", ".join(f"${i + 1}" for i in range(len(columns)))
            con.executemany(f"insert into {table} ({', '.join(columns)}) values ({marks})", rows)
    if version >= 2:  # what schema 2 added: membership over time, and withdrawn returns
        con.execute("update members set joined_quarter = 8094, left_quarter = 8099 where code = 'LAR'")
        con.execute("update submissions set status = 'withdrawn' where submission_id = 3")
    con.close()
    return path


def snapshot(path: Path, version: int) -> dict[str, list[tuple]]:
    """Every fixture table's rows, by the columns its version knew (ids included), read without migrating."""
    con = duckdb.connect(str(path))
    try:
        return {table: _rows(con, table, cols) for table, (made_in, cols, _) in ROWS.items() if made_in <= version}
    finally:
        con.close()


def _rows(con, table: str, columns: tuple[str, ...]) -> list[tuple]:
    wanted = (ID_COLUMN[table], *columns) if table in ID_COLUMN else columns
    return con.execute(f"select {', '.join(wanted)} from {table} order by all").fetchall()


EARLIER = [pytest.param(version, True, id=f"schema {version}") for version in range(1, schema.LATEST)] + [
    pytest.param(1, False, id="schema 1 without a version table")
]


@pytest.mark.parametrize(("version", "versioned"), EARLIER)
def test_an_earlier_database_upgrades_with_nothing_lost(tmp_path, version, versioned):
    path = build(tmp_path / "onevoice.duckdb", version, versioned)
    before = snapshot(path, version)
    with db.connect(path) as con:
        assert schema.version(con) == schema.LATEST
        assert [r[0] for r in con.execute("select version from schema_version order by 1").fetchall()] == list(
            range(1, schema.LATEST + 1)
        )
        assert {table: _rows(con, table, ROWS[table][1]) for table in before} == before
        for table, (made_in, _, _) in ROWS.items():  # tables of later schemas are there, empty
            if made_in > version:
                assert con.execute(f"select count(*) from {table}").fetchone()[0] == 0, table
        _assert_new_columns_have_their_defaults(con, version)
        _assert_the_numbering_goes_on(con, before)
        history = submissions.history(con)
        assert len(history) == 3
        current = con.execute("select submission_id, value from current_figures order by all").fetchall()
        assert current == ([(2, 1250.0)] if version >= 2 else [(2, 1250.0), (3, 7.0)])


def _assert_new_columns_have_their_defaults(con, version: int) -> None:
    membership = con.execute("select code, joined_quarter, left_quarter from members order by code").fetchall()
    if version < 2:  # no membership dates: from the start, still a member
        assert membership == [("LAR", None, None), ("ROW", None, None)]
    else:
        assert membership == [("LAR", 8094, 8099), ("ROW", None, None)]
    if version < 5:  # migration 5: received the day it was loaded; no data lead yet
        received = con.execute("select received_on from submissions order by submission_id").fetchall()
        assert received == [(date(2024, 7, 20),), (date(2024, 7, 20),), (date(2024, 8, 1),)]
        leads = con.execute("select count(*) from members where contact is not null or email is not null")
        assert leads.fetchone() == (0,)


def _assert_the_numbering_goes_on(con, before: dict[str, list[tuple]]) -> None:
    log_event(con, "checked")  # a write through the store after the upgrade takes the next number
    assert con.execute("select max(event_id) from events").fetchone()[0] == len(ROWS["events"][2]) + 1
    for table, sequence in SEQUENCES.items():
        if table in before and table != "events":
            top = max(row[0] for row in before[table])
            assert con.execute(f"select nextval('{sequence}')").fetchone()[0] == top + 1, sequence


@pytest.mark.parametrize(("version", "versioned"), EARLIER)
def test_a_backup_is_written_before_the_upgrade(tmp_path, version, versioned):
    path = build(tmp_path / "onevoice.duckdb", version, versioned)
    counts = {table: len(rows) for table, rows in snapshot(path, version).items()}
    with db.connect(path):
        pass
    [made] = backup.backups(path)
    assert made.folder.parent == tmp_path / "backups"
    assert made.automatic
    assert made.manifest["schema_version"] == version
    assert made.manifest["reason"] == f"before upgrading from schema {version} to {schema.LATEST}"
    assert {table: made.manifest["tables"][table] for table in counts} == counts
    with db.connect(path):  # already upgraded: no second backup
        pass
    assert len(backup.backups(path)) == 1


def test_the_backup_before_an_upgrade_restores_and_upgrades_in_turn(tmp_path, capsys):
    path = build(tmp_path / "old.duckdb", 1)
    before = snapshot(path, 1)
    with db.connect(path):
        pass
    [made] = backup.backups(path)
    restored = tmp_path / "elsewhere" / "restored.duckdb"
    assert main(["restore-backup", str(made.folder), "--db", str(restored)]) == 0
    assert f"schema {schema.LATEST}, upgraded from schema 1." in capsys.readouterr().out
    with db.connect(restored) as con:
        assert {table: _rows(con, table, ROWS[table][1]) for table in before} == before


def test_a_new_database_and_a_current_one_are_not_backed_up(tmp_path):
    path = tmp_path / "new.duckdb"
    for _ in range(2):
        with db.connect(path):
            pass
    assert not (tmp_path / "backups").exists()


def test_an_upgrade_that_fails_is_undone_and_names_the_backup(tmp_path, monkeypatch):
    path = build(tmp_path / "onevoice.duckdb", schema.LATEST)
    before = snapshot(path, schema.LATEST)
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, "alter table nowhere add column x integer"])
    monkeypatch.setattr(schema, "LATEST", schema.LATEST + 1)
    with pytest.raises(MigrationFailed) as failed, db.connect(path):
        pass
    [made] = backup.backups(path)
    assert str(failed.value).startswith(f"Upgrading the database to schema {schema.LATEST} failed, and that step")
    assert f"(the database is at schema {schema.LATEST - 1})" in str(failed.value)
    assert f"A backup made just before is in {made.folder}." in str(failed.value)
    monkeypatch.undo()
    assert snapshot(path, schema.LATEST) == before
    with db.connect(path) as con:
        assert schema.version(con) == schema.LATEST


def test_a_database_with_tables_that_are_not_one_voices_is_left_alone(tmp_path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table invoices (number integer)")
    con.close()
    with (
        pytest.raises(UnrecognisedDatabase, match=r"holds tables \(invoices\) but no schema version"),
        db.connect(path),
    ):
        pass
    con = duckdb.connect(str(path))
    assert [row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()] == ["invoices"]
    con.close()
    assert not (tmp_path / "backups").exists()


def test_the_manifest_of_a_backup_before_an_upgrade_is_plain_json(tmp_path):
    path = build(tmp_path / "onevoice.duckdb", 2)
    with db.connect(path):
        pass
    [made] = backup.backups(path)
    manifest = json.loads((made.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source"] == str(path.resolve())
    assert set(manifest["files"]) == {p.name for p in made.folder.iterdir()} - {"manifest.json"}


def test_no_upgrade_without_its_backup(tmp_path, monkeypatch):
    path = build(tmp_path / "onevoice.duckdb", 3)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "write", full_disk)
    with pytest.raises(MigrationFailed) as failed, db.connect(path):
        pass
    assert str(failed.value).startswith(
        f"Before upgrading the database from schema 3 to {schema.LATEST}, One Voice backs it up, and the backup "
        "could not be written: [Errno 28] No space left on device. The database was not upgraded;"
    )
    monkeypatch.undo()
    con = duckdb.connect(str(path))
    assert con.execute("select max(version) from schema_version").fetchone() == (3,)
    con.close()
