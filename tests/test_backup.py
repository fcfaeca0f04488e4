"""Backups: the demo backed up and restored row for row through the command line; what is refused; what is kept."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from common.errors import BackupRefused
from loaders.cli import main
from store import backup, db, members, schema, settings
from store.events import log_event
from tests.apptest import open_app, texts
from tests.demo_db import copy_of

CATALOG = {
    "columns": "select table_name, column_name, column_index, data_type, is_nullable, column_default "
    "from duckdb_columns() where database_name = current_database()",
    "views": "select view_name, sql from duckdb_views() where not internal and database_name = current_database()",
    "constraints": "select table_name, constraint_type, constraint_text from duckdb_constraints() "
    "where database_name = current_database()",
}
SEQUENCES = ["submission_ids", "event_ids", "joint_version_ids", "audit_ids"]


@pytest.fixture
def demo(demo_db_file, tmp_path) -> Path:
    return copy_of(demo_db_file, tmp_path, "onevoice.duckdb")


def everything(path: Path) -> dict:
    """Every table's rows (originals' bytes included), the schema's columns, views and constraints."""
    with db.connect(path) as con:
        tables = con.execute(f"select table_name from duckdb_tables() where {backup.MAIN}").fetchall()
        names = [row[0] for row in tables]
        found = {name: con.execute(f"select * from {name} order by all").fetchall() for name in names}
        found |= {what: con.execute(f"{query} order by all").fetchall() for what, query in CATALOG.items()}
    return found


def next_numbers(path: Path) -> dict[str, int]:
    with db.connect(path) as con:
        return {name: con.execute(f"select nextval('{name}')").fetchone()[0] for name in SEQUENCES}


def back_up(path: Path, capsys, *more: str) -> Path:
    assert main(["backup", "--db", str(path), *more]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Backed up {path} to ")
    return Path(out.split(" to ", 1)[1].split(" (", 1)[0])


def restore(folder: Path, target: Path, capsys) -> tuple[int, str]:
    code = main(["restore-backup", str(folder), "--db", str(target)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_demo_backed_up_and_restored_is_the_same_row_for_row(demo, tmp_path, capsys):
    folder = back_up(demo, capsys)
    assert folder.parent == tmp_path / "backups"
    assert folder.name.startswith("onevoice-") and len(folder.name) == len("onevoice-20250601-120000")
    target = tmp_path / "new computer" / "onevoice.duckdb"
    code, said = restore(folder, target, capsys)
    assert code == 0, said
    assert said.startswith("Restored the backup of ")
    assert f"into {target}: every table holds the rows the backup counted (5 members, 61 returns" in said
    original, restored = everything(demo), everything(target)
    assert set(original) >= {"files", "submissions", "figures", "events", "joint_projects", "columns", "views"}
    assert len(original["files"]) == 61 + 1 and all(isinstance(row[2], bytes) for row in restored["files"])
    for name in original:
        assert restored[name] == original[name], name
    assert next_numbers(target) == next_numbers(demo)  # new rows continue after the restored ones


def test_the_backup_folder_holds_the_export_and_its_manifest(demo, capsys):
    folder = back_up(demo, capsys)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = {path.name for path in folder.iterdir()} - {"manifest.json"}
    assert {"schema.sql", "load.sql", "files.parquet", "submissions.parquet"} <= files
    assert set(manifest["files"]) == files and all(len(digest) == 64 for digest in manifest["files"].values())
    assert manifest["schema_version"] == schema.LATEST
    assert manifest["source"] == str(demo.resolve())
    assert manifest["automatic"] is False and manifest["reason"] == backup.ASKED
    with db.connect(demo) as con:
        assert manifest["data_version"] == con.execute("select max(event_id) from events").fetchone()[0]
        assert manifest["tables"]["figures"] == con.execute("select count(*) from figures").fetchone()[0]
    assert "/" not in (folder / "load.sql").read_text(encoding="utf-8")  # the folder can be moved


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda f: (f / "members.parquet").write_bytes(b"PAR1 not the members"), "members.parquet: changed since"),
        (lambda f: (f / "figures.parquet").unlink(), "figures.parquet: missing"),
        (lambda f: (f / "manifest.json").unlink(), "is not a One Voice backup: it has no readable manifest.json"),
    ],
    ids=["a changed file", "a missing file", "no manifest"],
)
def test_a_damaged_backup_is_refused_and_nothing_is_restored(demo, tmp_path, capsys, damage, said):
    folder = back_up(demo, capsys)
    damage(folder)
    target = tmp_path / "restored.duckdb"
    code, output = restore(folder, target, capsys)
    assert code == 1
    assert said in output
    assert output.startswith("error: ")
    assert not target.exists()


def test_a_restore_that_does_not_add_up_is_undone(demo, tmp_path, capsys):
    folder = back_up(demo, capsys)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["tables"]["members"] = 6  # the manifest is not checksummed, so the rows are counted again
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    target = tmp_path / "restored.duckdb"
    code, output = restore(folder, target, capsys)
    assert code == 1
    assert "did not restore as it was made, so nothing was restored: members: 6 rows backed up, 5 restored" in output
    with db.connect(target, migrate=False) as con:
        assert con.execute("select count(*) from duckdb_tables()").fetchone()[0] == 0


def test_restoring_into_a_database_with_data_is_refused(demo, tmp_path, capsys):
    folder = back_up(demo, capsys)
    db_path = tmp_path / "in use" / "onevoice.duckdb"
    with db.connect(db_path) as con:
        members.upsert(con, members.Member("ROW", "Rowan Hospice", "adult", "North"))
        members.upsert(con, members.Member("LAR", "Larch Children's Hospice", "children", "North"))
    before = everything(db_path)
    code, output = restore(folder, db_path, capsys)
    assert code == 1
    assert output == (
        f"error: {db_path} already holds data (2 members, 2 history events), "
        "and a backup is restored only into a new or empty database, so nothing was changed. "
        "Restore into a new file (--db NEW.duckdb), or move onevoice.duckdb away first.\n"
    )
    assert everything(db_path) == before


def test_restoring_into_an_empty_database_replaces_its_empty_tables(demo, tmp_path, capsys):
    folder = back_up(demo, capsys)
    empty = tmp_path / "empty.duckdb"
    with db.connect(empty):  # the app opened it once: the schema, no data
        pass
    assert restore(folder, empty, capsys)[0] == 0
    assert everything(empty) == everything(demo)


def test_the_pages_zip_restores_on_another_computer(demo, tmp_path, capsys):
    folder = back_up(demo, capsys)
    zipped = tmp_path / "usb stick" / f"{folder.name}.zip"
    zipped.parent.mkdir()
    zipped.write_bytes(backup.zip_bytes(folder))
    shutil.rmtree(folder)  # the zip alone, as on the new computer
    target = tmp_path / "new" / "onevoice.duckdb"
    code, output = restore(zipped, target, capsys)
    assert code == 0, output
    assert everything(target) == everything(demo)


def test_out_names_the_backup_folder_and_must_be_new_or_empty(demo, tmp_path, capsys):
    out = tmp_path / "my backups" / "before the board"
    assert back_up(demo, capsys, "--out", str(out)) == out
    assert (out / "manifest.json").is_file()
    assert main(["backup", "--db", str(demo), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"error: --out {out} already holds files; name a new or empty folder for the backup\n"
    )
    assert not (tmp_path / "backups").exists()


def test_restoring_something_that_is_not_a_backup_is_refused(tmp_path, capsys):
    code, output = restore(tmp_path / "nowhere", tmp_path / "x.duckdb", capsys)
    assert (code, output) == (1, f"error: {tmp_path / 'nowhere'}: no such backup folder or zip\n")
    with pytest.raises(BackupRefused, match="is not a One Voice backup"):
        backup.verify(tmp_path)


# -- automatic backups and how many are kept ---------------------------------------------------

DAY_ONE = datetime(2025, 6, 2, 8, 0)


def test_keeping_n_deletes_the_oldest_automatic_backups_only(demo, tmp_path):
    out = tmp_path / "asked for by name"
    with db.connect(demo) as con:
        settings.put(con, backup.KEPT, "2")
        mine = backup.write(con, demo, when=DAY_ONE - timedelta(days=9))
        named = backup.write(con, demo, out=out, when=DAY_ONE - timedelta(days=8))
        days = [DAY_ONE + timedelta(days=d) for d in range(4)]
        made = [backup.write(con, demo, automatic=True, reason=backup.DAILY, when=day) for day in days]
        deleted = backup.prune(con, demo)
    assert deleted == [made[0].folder, made[1].folder]
    assert [b.folder for b in backup.backups(demo)] == [mine.folder, made[2].folder, made[3].folder]
    assert named.folder.is_dir() and (out / "manifest.json").is_file()
    assert backup.latest(demo).folder == made[3].folder


def test_the_daily_backup_is_written_after_changes_at_most_once_a_day(demo):
    with db.connect(demo) as con:
        first = backup.maybe_daily(con, demo, now=DAY_ONE)
        assert first is not None and first.automatic and first.manifest["reason"] == backup.DAILY
        assert backup.maybe_daily(con, demo, now=DAY_ONE + timedelta(hours=23)) is None  # not a day yet
        assert backup.maybe_daily(con, demo, now=DAY_ONE + timedelta(days=3)) is None  # nothing changed
        log_event(con, "member changed")
        assert backup.maybe_daily(con, demo, now=DAY_ONE + timedelta(hours=23)) is None  # changed, not a day yet
        second = backup.maybe_daily(con, demo, now=DAY_ONE + timedelta(days=1))
    assert second is not None
    assert second.data_version == first.data_version + 1
    assert [b.folder for b in backup.backups(demo)] == [first.folder, second.folder]


def test_a_database_with_nothing_stored_is_not_backed_up_daily(tmp_path):
    path = tmp_path / "new.duckdb"
    with db.connect(path) as con:
        assert backup.maybe_daily(con, path) is None
    assert backup.latest(path) is None


def test_the_data_page_shows_the_latest_backup_and_backs_up_now(monkeypatch, demo, tmp_path):
    at = open_app(monkeypatch, demo, "data")
    assert not at.exception
    [daily] = backup.backups(demo)  # a coordinator's visit wrote the first daily backup
    assert daily.automatic
    shown = texts(at)
    assert f"Latest backup: **{daily.made_at:%d %B %Y %H:%M}** (daily, after changes), in `{daily.folder}`." in shown
    at.button(key="backup_now").click().run()
    assert not at.exception
    made = backup.latest(demo)
    assert made.folder != daily.folder and not made.automatic
    said = [s.value.replace("\\", "") for s in at.success]  # as markdown, its punctuation escaped or not
    assert said == [f"Backed up the whole database to {made.folder}."]
    with db.connect(demo) as con:
        assert con.execute("select action, detail from audit").fetchall() == [("backed up", str(made.folder))]
