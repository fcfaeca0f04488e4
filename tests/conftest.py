"""Shared fixtures: every test gets its own database file, never the app's own."""

from __future__ import annotations

import pytest

from store import db, members


@pytest.fixture(autouse=True)
def _no_default_database(monkeypatch, tmp_path):
    """Point ONEVOICE_DB at a temporary file so no test can touch data/onevoice.duckdb."""
    monkeypatch.setenv("ONEVOICE_DB", str(tmp_path / "default.duckdb"))


@pytest.fixture
def db_path(tmp_path):
    """A database with one registered member, ROW (Rowan Hospice)."""
    path = tmp_path / "onevoice.duckdb"
    with db.connect(path) as con:
        members.upsert(con, members.Member("ROW", "Rowan Hospice", "adult", "North"))
        members.upsert(con, members.Member("LAR", "Larch Children's Hospice", "children", "North"))
    return path
