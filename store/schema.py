"""The database schema, with a version number and a migration path.

Design of the figures: one tidy long table, ``figures(submission_id, measure,
breakdown, value)``, keyed by the submission a number came from rather than
by member and quarter. Every return ever loaded keeps its own figures, so a
superseded return stays whole in the history and restoring it is a change of
status, not a copy. The view ``current_figures`` joins the current
submission of each member-quarter and gives metrics the shape they want:
member, fy, quarter, quarter_index, measure, breakdown, value. A figure that
was not reported has no row (never a zero), so SQL ``sum`` over nothing gives
NULL, which the metrics report as "not reported".

To change the schema, append a script to ``MIGRATIONS``; never edit one
that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from common.errors import MigrationFailed, NewerDatabase, UnrecognisedDatabase
from store.transaction import transaction

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    create table members (
        code        varchar primary key,
        name        varchar not null,
        type        varchar not null check (type in ('adult', 'children')),
        place       varchar,
        added_at    timestamp not null default current_timestamp
    );
    create table settings (
        key   varchar primary key,
        value varchar
    );
    create table files (
        sha256     varchar primary key,
        size_bytes bigint not null,
        content    blob not null
    );
    create sequence submission_ids start 1;
    create table submissions (
        submission_id integer primary key default nextval('submission_ids'),
        member_code   varchar not null,
        fy            integer not null,      -- 2024 for 2024/25
        quarter       integer not null check (quarter between 1 and 4),
        quarter_index integer not null,      -- fy * 4 + quarter - 1
        file_name     varchar not null,
        sha256        varchar not null,
        size_bytes    bigint not null,
        sent_by       varchar,
        loaded_at     timestamp not null,
        status        varchar not null check (status in ('current', 'superseded')),
        prepared_by   varchar,
        email         varchar,
        notes         varchar
    );
    create table figures (
        submission_id integer not null,
        measure       varchar not null,
        breakdown     varchar not null,
        value         double not null        -- pounds, people, FTE or days, as the measure says
    );
    create table submission_warnings (
        submission_id integer not null,
        location      varchar not null,
        message       varchar not null
    );
    create sequence event_ids start 1;
    create table events (
        event_id      integer primary key default nextval('event_ids'),
        happened_at   timestamp not null,
        action        varchar not null,      -- loaded, superseded, restored, member added, ...
        submission_id integer,
        member_code   varchar,
        detail        varchar,
        by_whom       varchar
    );
    create view current_figures as
        select s.member_code, s.fy, s.quarter, s.quarter_index,
               f.measure, f.breakdown, f.value, s.submission_id
        from figures f
        join submissions s using (submission_id)
        where s.status = 'current';
    """,
    # 2: membership over time (the first and last quarter a member belongs to the collaborative,
    # as quarter indexes; null: from the start, still a member), and withdrawn returns. DuckDB
    # cannot change a check constraint in place, so the submissions table is made again.
    """
    alter table members add column joined_quarter integer;
    alter table members add column left_quarter integer;
    drop view current_figures;
    create table submissions_2 (
        submission_id integer primary key default nextval('submission_ids'),
        member_code   varchar not null,
        fy            integer not null,
        quarter       integer not null check (quarter between 1 and 4),
        quarter_index integer not null,
        file_name     varchar not null,
        sha256        varchar not null,
        size_bytes    bigint not null,
        sent_by       varchar,
        loaded_at     timestamp not null,
        status        varchar not null check (status in ('current', 'superseded', 'withdrawn')),
        prepared_by   varchar,
        email         varchar,
        notes         varchar
    );
    insert into submissions_2 select * from submissions;
    drop table submissions;
    alter table submissions_2 rename to submissions;
    create view current_figures as
        select s.member_code, s.fy, s.quarter, s.quarter_index,
               f.measure, f.breakdown, f.value, s.submission_id
        from figures f
        join submissions s using (submission_id)
        where s.status = 'current';
    """,
    # 3: who may sign in and in what role, what each member agrees to share, and the audit of
    # what people did that changes no data (signing in, exporting): kept apart from `events`,
    # whose newest id is the data version, so a sign-in does not empty every cache.
    """
    create table users (
        email       varchar primary key,      -- lower case, as the sign-in provider gives it
        role        varchar not null check (role in ('coordinator', 'member', 'viewer')),
        member_code varchar,                  -- the member a member lead loads returns for
        added_at    timestamp not null default current_timestamp
    );
    create table sharing (
        member_code varchar not null,
        audience    varchar not null check (audience in ('members', 'viewers')),
        shown       boolean not null,
        primary key (member_code, audience)
    );
    create sequence audit_ids start 1;
    create table audit (
        audit_id    integer primary key default nextval('audit_ids'),
        happened_at timestamp not null,
        action      varchar not null,         -- signed in, exported
        detail      varchar,
        by_whom     varchar
    );
    """,
    # 4: the joint work register (shared/spec/joint-work.md). Every load, edit and restore writes
    # the whole register again as a new version, so any earlier register can be seen and restored;
    # the current register is the newest version. Registers are tens of projects, so a copy is cheap
    # and a version never changes once written.
    """
    create sequence joint_version_ids start 1;
    create table joint_versions (
        version_id  integer primary key default nextval('joint_version_ids'),
        made_at     timestamp not null,
        action      varchar not null,         -- loaded, project added, project changed, ...
        detail      varchar,
        by_whom     varchar,
        file_name   varchar,                  -- a loaded workbook: its name, and its bytes in `files`
        sha256      varchar
    );
    create table joint_projects (
        version_id    integer not null,
        position      integer not null,       -- the register's order
        title         varchar not null,
        kind          varchar not null,
        all_members   boolean not null,       -- the Members cell said "All"
        lead          varchar,
        start_quarter integer not null,       -- quarter indexes, as in `submissions`
        end_quarter   integer,                -- null: ongoing
        status        varchar not null check (status in ('planned', 'active', 'complete', 'stopped')),
        description   varchar,
        link          varchar,
        primary key (version_id, position)
    );
    create table joint_project_members (
        version_id  integer not null,
        position    integer not null,
        member_code varchar not null
    );
    create table joint_outcomes (
        version_id    integer not null,
        position      integer not null,       -- the project's position in its version
        quarter_index integer not null,
        measure       varchar not null,
        value         double not null         -- a blank is not stored: not reported, never zero
    );
    """,
    # 5: the quarterly cycle: when each return was received (the day it is loaded unless the person
    # loading it says otherwise; earlier returns take the day they were loaded), and a data lead to
    # chase for each member.
    """
    alter table submissions add column received_on date;
    update submissions set received_on = cast(loaded_at as date);
    alter table members add column contact varchar;
    alter table members add column email varchar;
    """,
]

LATEST = len(MIGRATIONS)

# The tables of schema 1, made by the One Voice that came before the version table: a database that
# holds them and no ``schema_version`` is adopted as schema 1 (``migrate``).
FIRST_TABLES = {"members", "settings", "files", "submissions", "figures", "submission_warnings", "events"}


def version(con: duckdb.DuckDBPyConnection) -> int:
    # duckdb_tables() answers in microseconds; information_schema takes milliseconds,
    # and this runs on every connection.
    exists = con.execute(
        "select count(*) from duckdb_tables() where table_name = 'schema_version' and schema_name = 'main'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = con.execute("select max(version) from schema_version").fetchone()
    return row[0] or 0


def migrate(con: duckdb.DuckDBPyConnection, before: Callable[[], Path] | None = None) -> None:
    """Bring the schema up to ``LATEST``; each step is its own transaction.

    ``before`` backs the database up (``store.backup.before_migration``) and returns where: it is
    called once, before the first step, when the database already has a schema (version 1 or more),
    and a step that fails names that backup in :class:`MigrationFailed`.
    """
    current = version(con)
    if current == 0 and _tables(con):
        current = _adopt(con)
    if current > LATEST:
        raise NewerDatabase(
            f"This database was written by a newer One Voice (schema {current}); "
            f"this copy knows schema {LATEST}. Update One Voice."
        )
    if current == LATEST:
        return
    kept = _back_up(before, current) if before is not None and current >= 1 else None
    for number in range(current + 1, LATEST + 1):
        try:
            with transaction(con):
                con.execute("create table if not exists schema_version (version integer not null)")
                con.execute(MIGRATIONS[number - 1])
                con.execute("insert into schema_version values ($1)", [number])
        except duckdb.Error as error:
            where = f" A backup made just before is in {kept}." if kept else ""
            raise MigrationFailed(
                f"Upgrading the database to schema {number} failed, and that step was undone "
                f"(the database is at schema {number - 1}): {error}.{where} "
                "Keep the database and the backup, and tell whoever looks after One Voice."
            ) from error


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where schema_name = 'main' and database_name = current_database()"
    ).fetchall()
    return {row[0] for row in rows}


def _adopt(con: duckdb.DuckDBPyConnection) -> int:
    """A database with tables but no version table: schema 1 from before the version table, recorded as such."""
    tables = _tables(con)
    columns = {
        row[0]
        for row in con.execute(
            "select column_name from duckdb_columns() "
            "where table_name = 'members' and schema_name = 'main' and database_name = current_database()"
        ).fetchall()
    }
    if not tables >= FIRST_TABLES or "joined_quarter" in columns:
        raise UnrecognisedDatabase(
            f"This database holds tables ({', '.join(sorted(tables))}) but no schema version, and they are not "
            "the first One Voice schema, so it was left as it is. Is it a One Voice database? "
            "Name another file (--db, or ONEVOICE_DB)."
        )
    with transaction(con):
        con.execute("create table schema_version (version integer not null)")
        con.execute("insert into schema_version values (1)")
    return 1


def _back_up(before: Callable[[], Path], current: int) -> Path:
    try:
        return before()
    except (OSError, duckdb.Error) as error:
        raise MigrationFailed(
            f"Before upgrading the database from schema {current} to {LATEST}, One Voice backs it up, and the "
            f"backup could not be written: {error}. The database was not upgraded; make room on the disk (or let "
            "One Voice write next to the database) and open it again."
        ) from error
