"""Income and expenditure: totals, streams, statutory and charitable, and their shares.

Statutory income is ``nhs_contracts + other_statutory``; every other stream is
charitable (the spec's "Income streams").
"""

from __future__ import annotations

import duckdb
import pandas as pd

from contract.periods import Period
from contract.returns import STATUTORY_STREAMS
from metrics.definitions import BREAKDOWNS
from metrics.scope import Rows, Scope, additive, build_scope, rows_frame, ratio, stored

CHARITABLE_STREAMS = tuple(key for key in BREAKDOWNS["stream"] if key not in STATUTORY_STREAMS)


def _streams(scope: Scope, keys: tuple[str, ...]) -> pd.DataFrame:
    """The members' income from some streams, summed, as an ``all`` table (NaN if none reported)."""
    return scope.table("income", keys).sum(axis=1, min_count=1).to_frame("all")


def _statutory(scope: Scope) -> pd.DataFrame:
    return _streams(scope, STATUTORY_STREAMS)


def _charitable(scope: Scope) -> pd.DataFrame:
    return _streams(scope, CHARITABLE_STREAMS)


def income_total(scope: Scope) -> Rows:
    return additive(scope, "income_total", stored(scope, "income_total", "income"))


def statutory_income(scope: Scope) -> Rows:
    return additive(scope, "statutory_income", _statutory(scope))


def charitable_income(scope: Scope) -> Rows:
    return additive(scope, "charitable_income", _charitable(scope))


def statutory_share(scope: Scope) -> Rows:
    total = _streams(scope, BREAKDOWNS["stream"])
    return ratio(scope, "statutory_share", _statutory(scope), total)


def expenditure_total(scope: Scope) -> Rows:
    return additive(scope, "expenditure_total", stored(scope, "expenditure_total", "expenditure"))


def statutory_share_of_expenditure(scope: Scope) -> Rows:
    spent = stored(scope, "expenditure_total", "expenditure")[["all"]]
    return ratio(scope, "statutory_share_of_expenditure", _statutory(scope), spent)


def charitable_per_statutory_pound(scope: Scope) -> Rows:
    return ratio(scope, "charitable_per_statutory_pound", _charitable(scope), _statutory(scope))


BUILDERS = {
    "income_total": income_total,
    "statutory_income": statutory_income,
    "charitable_income": charitable_income,
    "statutory_share": statutory_share,
    "expenditure_total": expenditure_total,
    "statutory_share_of_expenditure": statutory_share_of_expenditure,
    "charitable_per_statutory_pound": charitable_per_statutory_pound,
}


def income(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None) -> pd.DataFrame:
    """Income and expenditure figures of the period (figure frame columns; see ``metrics``).

    income_total (£, flow, by stream and all), statutory_income and charitable_income
    (£, flow), statutory_share (%, rate), expenditure_total (£, flow, by line and all),
    statutory_share_of_expenditure (%, rate), charitable_per_statutory_pound (£ per £, rate).
    """
    scope = build_scope(con, period, members)
    return rows_frame([build(scope) for build in BUILDERS.values()])
