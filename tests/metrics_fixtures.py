"""Tiny stored returns for the metrics tests, built in code so expectations can be checked by hand.

    store = MetricsStore(tmp_path / "m.duckdb", members=["AAA", "BBB"])
    store.add("AAA", "2024/25 Q1", {"headcount/nursing": 10, "volunteers": 5})

A figure key is ``measure/breakdown``, or just ``measure`` for a figure whose
breakdown is ``all``. A figure left out of the dict is not reported (no row).
"""

from __future__ import annotations

import hashlib
import itertools
from contextlib import contextmanager
from pathlib import Path

from contract.periods import Period
from contract.returns import Figure
from store import db, members
from store.submissions import NewReturn, StoredFile, save

_files = itertools.count(1)


def figures_of(values: dict[str, float]) -> tuple[Figure, ...]:
    out = []
    for key, value in values.items():
        measure, _, breakdown = key.partition("/")
        out.append(Figure(measure, breakdown or "all", float(value)))
    return tuple(out)


class MetricsStore:
    """A temporary database with registered members and a helper to store returns."""

    def __init__(self, path: Path, codes: list[str] = ("AAA", "BBB")):
        self.path = path
        self._con = None
        with db.connect(path) as con:
            for code in codes:
                members.upsert(con, members.Member(code, f"{code.title()} Hospice", "adult"))

    def add(self, code: str, period: str, values: dict[str, float]) -> int:
        """Store one return as the current one for the member-quarter; returns its submission id."""
        quarter = Period.parse(period)
        fy, q = divmod(quarter.first, 4)
        number = next(_files)
        content = f"{code} {period} {number}".encode()
        stored = StoredFile(f"{code}_{number}.xlsx", hashlib.sha256(content).hexdigest(), content)
        new = NewReturn(code, fy, q + 1, figures_of(values))
        if self._con is not None:
            return save(self._con, new, stored)[0]
        with db.connect(self.path) as con:
            return save(con, new, stored)[0]

    @contextmanager
    def batch(self):
        """Store several returns over one connection (opening one costs more than a return)."""
        with db.connect(self.path) as con:
            self._con = con
            try:
                yield self
            finally:
                self._con = None

    def connect(self):
        return db.connect(self.path)


def figure_value(
    store: MetricsStore,
    key: str,
    period: str,
    breakdown: str = "all",
    member: str = "ALL",
    members: list[str] | None = None,
    **options,
) -> float:
    """One value of ``metrics.figures`` for a period written like ``2024/25 Q1``."""
    from metrics import figures, value_of

    with store.connect() as con:
        frame = figures(con, Period.parse(period), members, **options)
    return value_of(frame, key, breakdown, member)
