"""The demo collaborative as a test database: built once per test process, copied for each test that writes.

Building the demo loads sixty-one real workbooks through the real ingest (a few
seconds), so every test that wants it (AppTest pages, exports, the browser) takes
it from :func:`demo_database`; the fixtures ``demo_db_file`` and ``partial_db_file``
are in ``tests/conftest.py``.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from loaders.demo import load_demo
from store import db

_BUILT: dict[str, Path] = {}

# The demo collaborative (data/demo_members.csv): four adult hospices and a children's hospice.
DEMO_MEMBERS = ["ASH", "BIR", "ELM", "OAK", "WIL"]
CHILDRENS = "OAK"
# Returns left out of the partial database: Willowbank's last quarter and Elmfield's third of 2024/25.
DROPPED = [("WIL", 2024 * 4 + 3), ("ELM", 2024 * 4 + 2)]


def demo_database() -> Path:
    """The demo database, built on first use in this process and reused after (never write to it: copy it)."""
    if "demo" not in _BUILT:
        folder = Path(tempfile.mkdtemp(prefix="onevoice-demo-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
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
            ids = [
                row[0]
                for row in con.execute(
                    "select submission_id from submissions where member_code = $1 and quarter_index = $2",
                    [member, index],
                ).fetchall()
            ]
            for submission_id in ids:
                con.execute("delete from figures where submission_id = $1", [submission_id])
                con.execute("delete from submission_warnings where submission_id = $1", [submission_id])
                con.execute("delete from submissions where submission_id = $1", [submission_id])
            con.execute(
                "insert into events (happened_at, action, member_code, detail) "
                "values (now(), 'test removed returns', $1, 'for a partial database')",
                [member],
            )
