"""On one computer by default: the README's command serves the app to this computer only (127.0.0.1)."""

from __future__ import annotations

from pathlib import Path

from tests.browser.harness import start_app, stop
from tests.demo_db import copy_of


def listening_addresses(port: int) -> set[str]:
    """The local addresses (as /proc/net/tcp and tcp6 write them) of every socket listening on ``port``."""
    found = set()
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.add(address)
    return found


def test_the_default_start_listens_on_this_computer_only(tmp_path, demo_db_file):
    database = copy_of(demo_db_file, tmp_path, "demo.duckdb")
    app = start_app(database, tmp_path / "streamlit.log")  # no --server.address: the project's config
    try:
        port = int(app.url.rsplit(":", 1)[1])
        assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and nothing on any other address
    finally:
        stop(app.process)
