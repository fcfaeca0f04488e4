"""Databases for the page tests: the demo built once per run, copied for each test that writes.

Imported by the page tests (``from tests.test_pages_setup import ...``); it has no tests itself.
Building the demo loads sixty-one real workbooks through the real ingest (a few
seconds), so it is done once and copied.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loaders.demo import load_demo
from store import db

_BUILT: dict[str, Path] = {}

# The demo collaborative (data/demo_members.csv): four adult hospices and a children's hospice.
DEMO_MEMBERS = ["ASH", "BIR", "ELM", "OAK", "WIL"]
CHILDRENS = "OAK"


def demo_database(folder: Path) -> Path:
    """The demo database, built on first use into ``folder`` and reused after."""
    if "demo" not in _BUILT:
        path = folder / "demo.duckdb"
        load_demo(path)
        _BUILT["demo"] = path
    return _BUILT["demo"]


def copy_of(source: Path, folder: Path, name: str) -> Path:
    target = folder / name
    shutil.copy(source, target)
    return target


def drop_returns(path: Path, member_quarters: list[tuple[str, int]]) -> None:
    """Delete the returns of these (member, quarter index) pairs: a database missing some returns."""
    with db.connect(path) as con, db.transaction(con):
        for member, index in member_quarters:
            ids = [row[0] for row in con.execute(
                "select submission_id from submissions where member_code = $1 and quarter_index = $2",
                [member, index]).fetchall()]
            for submission_id in ids:
                con.execute("delete from figures where submission_id = $1", [submission_id])
                con.execute("delete from submission_warnings where submission_id = $1", [submission_id])
                con.execute("delete from submissions where submission_id = $1", [submission_id])
            con.execute("insert into events (happened_at, action, member_code, detail) "
                        "values (now(), 'test removed returns', $1, 'for a partial database')", [member])


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory) -> Path:
    """The demo database as built; tests that write use a copy."""
    return demo_database(tmp_path_factory.mktemp("demo"))


# Returns left out of the partial database: Willowbank's last quarter and Elmfield's third of 2024/25.
DROPPED = [("WIL", 2024 * 4 + 3), ("ELM", 2024 * 4 + 2)]


@pytest.fixture(scope="session")
def partial_db_file(demo_db_file, tmp_path_factory) -> Path:
    """The demo with some returns missing, so 2024/25 is incomplete."""
    path = copy_of(demo_db_file, tmp_path_factory.mktemp("partial"), "partial.duckdb")
    drop_returns(path, DROPPED)
    return path


APP = Path(__file__).resolve().parent.parent / "dashboard.py"
PAGES = ["overview", "income", "workforce", "capacity", "activity", "members", "data"]


def open_app(monkeypatch, db_path: Path, page: str = "overview", query: dict | None = None):
    """The app on ``page`` over ``db_path``, after its first run (AppTest)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ONEVOICE_DB", str(db_path))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params.update(query or {})
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    return at


def texts(at) -> str:
    """Every piece of text on the page, for asserting what the user is shown."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                 "code"):
        parts += [str(element.value) for element in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    return "\n".join(parts)
