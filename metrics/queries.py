"""Running the SQL files in ``metrics/sql/``: a file's name is the name of its result."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

SQL_DIR = Path(__file__).resolve().parent / "sql"


@cache
def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run ``sql/<name>.sql`` with named parameters (``$first`` ...) and return its rows."""
    return con.execute(sql(name), params).df()
