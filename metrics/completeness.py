"""Completeness: which member-quarters are in, missing or superseded, and what a figure covers.

A figure *covers* the members with at least one return in the period, and is
*complete* when every expected member (every registered member, or every
member of the filter) has a return for every quarter of the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from contract.periods import Period, quarter_label
from metrics.queries import run

RETURN_IN = ("in", "superseded")  # statuses of a quarter whose return is in
NOT_REQUIRED = "not_required"  # a quarter the member was not a member of the collaborative


def expected_members(con: duckdb.DuckDBPyConnection, members: list[str] | None = None) -> list[str]:
    """The member codes a figure should cover: the filter, else every registered member.

    Codes are compared as stored (upper case). Without a filter, members that have
    returns but are no longer registered are expected too, so nothing is hidden.
    """
    if members is not None:
        return sorted({code.strip().upper() for code in members if code.strip()})
    rows = con.execute("select code from members union select member_code from submissions").fetchall()
    return sorted(code for (code,) in rows)


def completeness(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None) -> pd.DataFrame:
    """Member x quarter grid of the period.

    Columns: member_code, member_name, quarter_index, quarter_label, status, submission_id,
    superseded_ids. ``status`` is ``in`` (a current return), ``missing`` (none) or
    ``superseded`` (a current return that replaced earlier ones, listed in
    ``superseded_ids``; the quarter counts as in).
    """
    grid = run(con, "completeness", first=period.first, last=period.last, members=expected_members(con, members))
    grid.insert(3, "quarter_label", [quarter_label(int(i)) for i in grid["quarter_index"]])
    grid["submission_id"] = grid["submission_id"].astype("Int64")
    grid["superseded_ids"] = [list(ids) for ids in grid["superseded_ids"]]
    return grid


@dataclass(frozen=True)
class Coverage:
    """Which members a combined figure covers, and whether the period is complete for them."""

    period: Period
    members_expected: list[str]
    members_reporting: list[str]
    missing: list[tuple[str, int]] = field(default_factory=list)  # (member_code, quarter_index)
    not_required: list[tuple[str, int]] = field(default_factory=list)  # quarters outside a membership

    @property
    def complete(self) -> bool:
        return bool(self.members_expected) and not self.missing

    @property
    def returns_expected(self) -> int:
        """Member-quarters the period asks for: every expected member, each quarter it is a member."""
        expected = set(self.members_expected)
        return len(expected) * self.period.length - sum(1 for code, _ in self.not_required if code in expected)

    @property
    def returns_missing(self) -> int:
        return len(self.missing)

    @property
    def returns_in(self) -> int:
        return self.returns_expected - self.returns_missing

    def member_returns_in(self, code: str) -> int:
        """How many of the period's quarters the member's return is in for."""
        owed_elsewhere = sum(1 for member, _ in [*self.missing, *self.not_required] if member == code)
        return self.period.length - owed_elsewhere if code in self.members_reporting else 0

    def member_complete(self, code: str) -> bool:
        return code in self.members_reporting and all(member != code for member, _ in self.missing)

    def missing_labels(self) -> list[str]:
        """``["ROW 2024/25 Q3", ...]``."""
        return [f"{code} {quarter_label(index)}" for code, index in self.missing]

    def as_dict(self) -> dict:
        return {
            "period": self.period.label,
            "members_expected": len(self.members_expected),
            "members_reporting": len(self.members_reporting),
            "complete": self.complete,
            "missing": self.missing_labels(),
        }


def coverage_from(grid: pd.DataFrame, period: Period, expected: list[str]) -> Coverage:
    """Coverage of the period's quarters, read off a completeness grid (which may span more).

    A member is expected when it belongs to the collaborative in at least one quarter of
    the period; only its quarters of membership are owed.
    """
    inside = grid[grid["quarter_index"].between(period.first, period.last)]
    owed = inside[inside["status"] != NOT_REQUIRED]
    present = inside[inside["status"].isin(RETURN_IN)]
    absent = inside[inside["status"] == "missing"]
    outside = inside[inside["status"] == NOT_REQUIRED]
    members = set(owed["member_code"]) | set(present["member_code"])
    return Coverage(
        period,
        [code for code in expected if code in members],
        sorted(present["member_code"].unique()),
        [(code, int(index)) for code, index in zip(absent["member_code"], absent["quarter_index"])],
        [(code, int(index)) for code, index in zip(outside["member_code"], outside["quarter_index"])],
    )


def coverage(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None) -> Coverage:
    """Members expected and reporting, whether the period is complete, and the missing member-quarters."""
    expected = expected_members(con, members)
    return coverage_from(completeness(con, period, expected), period, expected)
