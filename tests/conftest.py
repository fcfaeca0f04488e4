"""Shared fixtures: every test gets its own database file, never the app's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import db, members
from tests.demo_db import DROPPED, copy_of, demo_database, drop_returns


@pytest.fixture(autouse=True)
def _no_default_database(monkeypatch, tmp_path):
    """Point ONEVOICE_DB at a temporary file so no test can touch data/onevoice.duckdb."""
    monkeypatch.setenv("ONEVOICE_DB", str(tmp_path / "default.duckdb"))


@pytest.fixture(autouse=True)
def _unexpected_errors_fail(request, monkeypatch):
    """A page turns an unexpected error into a reference (``dashboard.py``); in a test it must fail instead.

    AppTest runs the page in this process, so the error is raised again where the page would log it,
    and shows in ``at.exception``. Tests of the reference itself are marked ``incidents``.
    """
    if request.node.get_closest_marker("incidents"):
        return
    from common import incidents

    def fail(error, *args, **kwargs):
        raise error

    monkeypatch.setattr(incidents, "record", fail)


@pytest.fixture
def db_path(tmp_path):
    """A database with one registered member, ROW (Rowan Hospice)."""
    path = tmp_path / "onevoice.duckdb"
    with db.connect(path) as con:
        members.upsert(con, members.Member("ROW", "Rowan Hospice", "adult", "North"))
        members.upsert(con, members.Member("LAR", "Larch Children's Hospice", "children", "North"))
    return path


@pytest.fixture(scope="session")
def demo_db_file() -> Path:
    """The demo collaborative's database as built (tests that write use a copy)."""
    return demo_database()


@pytest.fixture(scope="session")
def partial_db_file(demo_db_file, tmp_path_factory) -> Path:
    """The demo with some returns missing (``tests.demo_db.DROPPED``), so 2024/25 is incomplete."""
    path = copy_of(demo_db_file, tmp_path_factory.mktemp("partial"), "partial.duckdb")
    drop_returns(path, DROPPED)
    return path
