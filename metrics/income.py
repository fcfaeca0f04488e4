"""Income and expenditure: totals, streams, statutory and charitable, and their shares.

Statutory income is ``nhs_contracts + other_statutory``; every other stream is
charitable (the spec's "Income streams").
"""

from __future__ import annotations

import duckdb
import pandas as pd

from contract.periods import Period
from contract.returns import STATUTORY_STREAMS
from metrics.figure import FLOW, LINES, STREAMS, Cells, Figure
from metrics.scope import build_scope, evaluate_all

CHARITABLE_STREAMS = tuple(key for key in STREAMS if key not in STATUTORY_STREAMS)
_STATUTORY = Cells("income", STATUTORY_STREAMS, total=True)
_CHARITABLE = Cells("income", CHARITABLE_STREAMS, total=True)
_EXPENDITURE = Cells("expenditure", LINES, total=True)

INCOME_TOTAL = Figure(
    "income_total",
    "Total income",
    "£",
    "income",
    "stream",
    FLOW,
    (Cells("income", STREAMS),),
    "All income received in the period, summed over its quarters, by income stream.",
    better="higher",
)
STATUTORY_INCOME = Figure(
    "statutory_income",
    "Statutory income",
    "£",
    "income",
    "",
    FLOW,
    (_STATUTORY,),
    "NHS / ICB contracts and grants plus other statutory (local authority and other public) income.",
    better="higher",
)
CHARITABLE_INCOME = Figure(
    "charitable_income",
    "Charitable income",
    "£",
    "income",
    "",
    FLOW,
    (_CHARITABLE,),
    "All income that is not statutory: donations, trusts, legacies, retail, lottery, investment and other.",
    better="higher",
)
STATUTORY_SHARE = Figure(
    "statutory_share",
    "Statutory share of income",
    "%",
    "income",
    "",
    FLOW,
    (_STATUTORY,),
    "Statutory income / total income, over the members that reported both.",
    over=(Cells("income", STREAMS, total=True),),
    better="higher",
)
EXPENDITURE_TOTAL = Figure(
    "expenditure_total",
    "Total expenditure",
    "£",
    "income",
    "line",
    FLOW,
    (Cells("expenditure", LINES),),
    "All expenditure in the period, summed over its quarters, by expenditure line.",
    better="neither",
)
STATUTORY_SHARE_OF_EXPENDITURE = Figure(
    "statutory_share_of_expenditure",
    "Statutory share of expenditure",
    "%",
    "income",
    "",
    FLOW,
    (_STATUTORY,),
    "Statutory income / total expenditure, over the members that reported both: what share of the cost the state pays.",
    over=(_EXPENDITURE,),
    better="higher",
)
CHARITABLE_PER_STATUTORY_POUND = Figure(
    "charitable_per_statutory_pound",
    "Charitable £ per statutory £",
    "£",
    "income",
    "",
    FLOW,
    (_CHARITABLE,),
    "Charitable income / statutory income: the charitable pounds raised for every pound of statutory funding.",
    over=(_STATUTORY,),
    better="neither",
)

FIGURES = (
    INCOME_TOTAL,
    STATUTORY_INCOME,
    CHARITABLE_INCOME,
    STATUTORY_SHARE,
    EXPENDITURE_TOTAL,
    STATUTORY_SHARE_OF_EXPENDITURE,
    CHARITABLE_PER_STATUTORY_POUND,
)


def income(con: duckdb.DuckDBPyConnection, period: Period, members: list[str] | None = None) -> pd.DataFrame:
    """Income and expenditure figures of the period (figure frame columns; see ``metrics``).

    income_total (£, flow, by stream and all), statutory_income and charitable_income
    (£, flow), statutory_share (%, rate), expenditure_total (£, flow, by line and all),
    statutory_share_of_expenditure (%, rate), charitable_per_statutory_pound (£ per £, rate).
    """
    return evaluate_all(build_scope(con, period, members, FIGURES), FIGURES)
