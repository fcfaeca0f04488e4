"""Backups of the whole database, and restoring one (``python -m loaders backup`` and ``restore-backup``).

A backup is a folder: ``backups/onevoice-YYYYMMDD-HHMMSS/`` beside the database, or the folder a
person names (``--out``). It holds DuckDB's ``EXPORT DATABASE`` of every table, the original files
included, as Parquet, with the ``schema.sql`` and ``load.sql`` that ``IMPORT DATABASE`` runs (the
sequences start after the numbers already used), and ``manifest.json``: when and why it was made,
the database it came from, its schema and data version, each table's rows and each file's SHA-256.
``load.sql`` names its files without a folder, so a backup can be moved, zipped and restored on
another computer.

A backup is restored only into a new or empty database, only when every file matches its checksum,
and in one transaction that is undone unless every table then holds the rows the manifest counts.

One Voice also backs up by itself: before it upgrades a schema (``before_migration``, called by
``store.db.connect``) and at most once a day after data changed (``maybe_daily``, from the Data page).
It keeps the newest ``backups_kept`` (a setting) of those automatic backups and never deletes one a
person asked for. ``store.db`` imports this module, so nothing here opens a connection: every
function that reads the database is given one.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from common.errors import BackupRefused, NewerDatabase, RestoreRefused, UsageError
from store import schema, settings
from store.events import data_version
from store.transaction import transaction

MANIFEST = "manifest.json"
FORMAT = "One Voice backup"
ASKED = "asked for"  # the reason of a backup a person made; the others are automatic
DAILY = "daily, after changes"
KEPT = "backups_kept"
DAY = timedelta(days=1)
MAIN = "schema_name = 'main' and database_name = current_database()"  # the database's own objects
WHAT = {"members": "members", "submissions": "returns", "files": "original files", "events": "history events"}


@dataclass(frozen=True)
class Backup:
    folder: Path
    manifest: dict

    @property
    def made_at(self) -> datetime:
        return datetime.fromisoformat(self.manifest["made_at"])

    @property
    def automatic(self) -> bool:
        return bool(self.manifest.get("automatic"))

    @property
    def data_version(self) -> int:
        return int(self.manifest.get("data_version", -1))

    @property
    def size_bytes(self) -> int:
        return sum(path.stat().st_size for path in self.folder.iterdir() if path.is_file())


def folder_for(db_path: Path) -> Path:
    """Where a database's own backups go: ``backups/`` beside it (``data/backups/`` for the app's)."""
    return Path(db_path).resolve().parent / "backups"


def contents(tables: dict[str, int]) -> str:
    """What a backup holds, in words: ``5 members, 61 returns, 62 original files, 73 history events``."""
    return ", ".join(f"{tables[name]} {word}" for name, word in WHAT.items() if name in tables)


# -- writing ------------------------------------------------------------------------------


def write(
    con: duckdb.DuckDBPyConnection,
    db_path: Path,
    *,
    out: Path | None = None,
    reason: str = ASKED,
    automatic: bool = False,
    when: datetime | None = None,
) -> Backup:
    """Back the whole database up, consistently (one read transaction), into ``out`` or ``backups/``.

    ``out`` must be new or an empty folder (:class:`UsageError` if not). The backup is written under a
    hidden name and renamed when complete, so a half-written backup is never taken for one.
    """
    when = (when or datetime.now()).replace(microsecond=0)
    folder = _new_folder(out) if out is not None else _free_name(folder_for(db_path), Path(db_path).stem, when)
    partial = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        tables, versions = _export(con, partial)
        _relative_load_sql(partial)
        manifest = {
            "format": FORMAT,
            "format_version": 1,
            "made_at": when.isoformat(),
            "reason": reason,
            "automatic": automatic,
            "source": str(Path(db_path).resolve()),
            "schema_version": versions[0],
            "data_version": versions[1],
            "duckdb_version": duckdb.__version__,
            "tables": tables,
            "files": {path.name: _sha256(path) for path in sorted(partial.iterdir())},
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if folder.is_dir():  # an empty folder named with --out
            folder.rmdir()
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Backup(folder, manifest)


def _new_folder(out: Path) -> Path:
    out = Path(out).resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"--out {out} already holds files; name a new or empty folder for the backup")
    return out


def _free_name(parent: Path, stem: str, when: datetime) -> Path:
    name = f"{stem}-{when:%Y%m%d-%H%M%S}"
    folder, number = parent / name, 1
    while folder.exists():
        number += 1
        folder = parent / f"{name}-{number}"
    return folder


def _export(con: duckdb.DuckDBPyConnection, folder: Path) -> tuple[dict[str, int], tuple[int, int]]:
    """Every table as Parquet, and what the manifest records, all read in one transaction."""
    # the write-ahead log into the database file first; it cannot while another connection of this
    # process is in a transaction, and the export is consistent without it
    with suppress(duckdb.Error):
        con.execute("checkpoint")
    with transaction(con):
        # EXPORT takes no parameters: the path is a literal, its quotes doubled
        con.execute(f"export database {_literal(folder)} (format parquet)")
        return _counts(con), (schema.version(con), data_version(con))


def _relative_load_sql(folder: Path) -> None:
    """``load.sql`` names each file without its folder: IMPORT looks for it in the folder it is given."""
    load = folder / "load.sql"
    text = load.read_text(encoding="utf-8")
    load.write_text(re.sub(r"'[^']*[/\\]([^/\\']+\.parquet)'", r"'\1'", text), encoding="utf-8")


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    names = con.execute(f"select table_name from duckdb_tables() where {MAIN} order by table_name").fetchall()
    return {name: con.execute(f"select count(*) from {_identifier(name)}").fetchone()[0] for (name,) in names}


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- the backups beside a database, and keeping the newest ----------------------------------


def backups(db_path: Path) -> list[Backup]:
    """The complete backups in ``backups/`` beside the database, oldest first (``--out`` ones are elsewhere)."""
    found = [backup for folder in _named(db_path) if (backup := _read(folder)) is not None]
    return sorted(found, key=lambda backup: (backup.made_at, backup.folder.name))


def latest(db_path: Path) -> Backup | None:
    """The newest backup in ``backups/`` beside the database, or None."""
    for folder in sorted(_named(db_path), key=lambda folder: folder.name, reverse=True):
        backup = _read(folder)
        if backup is not None:
            return backup
    return None


def prune(con: duckdb.DuckDBPyConnection, db_path: Path) -> list[Path]:
    """Delete the automatic backups older than the newest ``backups_kept``; a person's own are kept."""
    automatic = [backup for backup in backups(db_path) if backup.automatic]
    old = automatic[: max(len(automatic) - kept(con), 0)]
    for backup in old:
        shutil.rmtree(backup.folder)
    return [backup.folder for backup in old]


def kept(con: duckdb.DuckDBPyConnection) -> int:
    """The ``backups_kept`` setting: a whole number of at least 1 (14 unless set)."""
    try:
        return max(int(settings.get(con, KEPT)), 1)
    except ValueError:
        return int(settings.DEFAULTS[KEPT])


def _named(db_path: Path) -> list[Path]:
    parent = folder_for(db_path)
    pattern = re.compile(rf"{re.escape(Path(db_path).stem)}-\d{{8}}-\d{{6}}(-\d+)?")
    if not parent.is_dir():
        return []
    return [path for path in parent.iterdir() if path.is_dir() and pattern.fullmatch(path.name)]


def _read(folder: Path) -> Backup | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        datetime.fromisoformat(manifest["made_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Backup(folder, manifest)


# -- automatic backups ---------------------------------------------------------------------


def before_migration(con: duckdb.DuckDBPyConnection, db_path: Path) -> Path:
    """Back up a database about to be upgraded (``store.db.connect`` calls it); returns the folder."""
    reason = f"before upgrading from schema {schema.version(con)} to {schema.LATEST}"
    backup = write(con, db_path, reason=reason, automatic=True)
    prune(con, db_path)
    return backup.folder


def daily_due(db_path: Path, version: int, now: datetime | None = None) -> bool:
    """True when the data (at ``version``) changed since the latest backup and that is a day old or more.

    It reads only the backups folder, so a page can ask on every run; a database with nothing stored
    (version 0) is never backed up.
    """
    if version == 0:
        return False
    last = latest(db_path)
    if last is None:
        return True
    return (now or datetime.now()) - last.made_at >= DAY and last.data_version != version


def maybe_daily(con: duckdb.DuckDBPyConnection, db_path: Path, now: datetime | None = None) -> Backup | None:
    """The daily backup, if one is due (``daily_due``), then the oldest automatic ones pruned."""
    if not daily_due(db_path, data_version(con), now):
        return None
    backup = write(con, db_path, reason=DAILY, automatic=True, when=now)
    prune(con, db_path)
    return backup


# -- restoring -------------------------------------------------------------------------------


@contextmanager
def unpacked(path: Path) -> Iterator[Path]:
    """A backup folder as given, or the one inside a zip of it (the Data page's download), unpacked for the block."""
    path = Path(path)
    if path.is_dir():
        yield path
        return
    if not path.is_file():
        raise BackupRefused(f"{path}: no such backup folder or zip")
    if not zipfile.is_zipfile(path):
        raise BackupRefused(f"{path} is neither a backup folder nor a zip of one")
    with tempfile.TemporaryDirectory(prefix="onevoice-restore-") as temporary:
        with zipfile.ZipFile(path) as archive:
            archive.extractall(temporary)
        manifests = list(Path(temporary).rglob(MANIFEST))
        if len(manifests) != 1:
            raise BackupRefused(f"{path} does not hold one One Voice backup (a folder with {MANIFEST})")
        yield manifests[0].parent


def verify(folder: Path) -> dict:
    """The backup's manifest, once every file it lists is there and matches its SHA-256 (:class:`BackupRefused`)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BackupRefused(f"{folder}: no such backup folder")
    backup = _read(folder)
    if backup is None or backup.manifest.get("format") != FORMAT:
        raise BackupRefused(f"{folder} is not a One Voice backup: it has no readable {MANIFEST}")
    manifest = backup.manifest
    problems = []
    for name, digest in manifest.get("files", {}).items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif _sha256(path) != digest:
            problems.append(f"{name}: changed since the backup was made (its SHA-256 is not the one in {MANIFEST})")
    if not {"schema.sql", "load.sql"} <= set(manifest.get("files", {})):
        problems.append(f"{MANIFEST}: it lists no schema.sql or load.sql, so the backup is incomplete")
    if problems:
        raise BackupRefused(
            f"The backup {folder} cannot be trusted, so nothing was restored:\n  "
            + "\n  ".join(problems)
            + "\nUse another backup, or copy this one again from where it was made."
        )
    if manifest["schema_version"] > schema.LATEST:
        raise NewerDatabase(
            f"This backup was written by a newer One Voice (schema {manifest['schema_version']}); "
            f"this copy knows schema {schema.LATEST}. Update One Voice, then restore it."
        )
    return manifest


def restore(con: duckdb.DuckDBPyConnection, folder: Path, manifest: dict, target: Path) -> None:
    """Import a verified backup into the database ``con`` holds (opened without migrating), and check it.

    ``target`` must be new or empty (:class:`RestoreRefused`); the import is undone unless every table
    holds the rows the manifest counts and the data version is the backup's (:class:`BackupRefused`).
    An older backup is upgraded when the database is next opened, after its own backup.
    """
    held = {name: rows for name, rows in _counts(con).items() if rows and name != "schema_version"}
    if held:
        raise RestoreRefused(
            f"{target} already holds data ({contents(held) or ', '.join(held)}), and a backup is restored only "
            "into a new or empty database, so nothing was changed. Restore into a new file (--db NEW.duckdb), "
            f"or move {Path(target).name} away first."
        )
    with transaction(con):
        _drop_everything(con)
        con.execute(f"import database {_literal(Path(folder).resolve())}")
        _check_restored(con, folder, manifest)


def _check_restored(con: duckdb.DuckDBPyConnection, folder: Path, manifest: dict) -> None:
    counts, version, backed_up = _counts(con), data_version(con), manifest["tables"]
    differ = [
        f"{name}: {backed_up.get(name, 0)} rows backed up, {counts.get(name, 0)} restored"
        for name in sorted(set(counts) | set(backed_up))
        if counts.get(name) != backed_up.get(name)
    ]
    if version != manifest["data_version"]:
        differ.append(f"data version {manifest['data_version']} backed up, {version} restored")
    if differ:
        raise BackupRefused(
            f"The backup {folder} did not restore as it was made, so nothing was restored: " + "; ".join(differ)
        )


def _drop_everything(con: duckdb.DuckDBPyConnection) -> None:
    """An empty database's own schema out of the way of the backup's: views, then tables, then sequences."""
    for kind, query in (
        ("view", f"select view_name from duckdb_views() where {MAIN} and not internal"),
        ("table", f"select table_name from duckdb_tables() where {MAIN}"),
        ("sequence", f"select sequence_name from duckdb_sequences() where {MAIN}"),
    ):
        for (name,) in con.execute(query).fetchall():
            con.execute(f"drop {kind} {_identifier(name)}")


def zip_bytes(folder: Path) -> bytes:
    """A backup folder as a zip (the Data page's download), the folder itself at its top."""
    folder = Path(folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.name}")
    return buffer.getvalue()
