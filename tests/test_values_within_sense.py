"""Values within sense: years from 2000/01, every amount finite and below the ceiling, summary JSON always JSON."""

from __future__ import annotations

import json

import pytest

from contract.periods import PeriodError, parse_year
from loaders.ingest import REJECTED, ingest_bytes
from loaders.values import CEILING, NotANumber, read_number
from metrics.cli import finite
from tests import factory


@pytest.mark.parametrize("year", ["9998/99", "0000/0001", "1999/2000", "1900/01"])
def test_a_year_before_2000_01_or_absurdly_late_is_refused(year):
    with pytest.raises(PeriodError, match="not a financial year One Voice takes: write a year from 2000/01 on"):
        parse_year(year)
    assert parse_year("2000/01") == 2000


@pytest.mark.parametrize("value", [1.7e308, CEILING, "£12,000,000,000"])
def test_an_amount_at_or_above_the_ceiling_is_refused(value):
    with pytest.raises(NotANumber, match="too large for one member's quarter"):
        read_number(value)
    assert read_number(CEILING - 1) == CEILING - 1


def test_a_return_for_year_9998_or_with_a_huge_amount_is_refused_with_the_cell(db_path):
    sheets = factory.standard_return("ROW", "9998/99", "Q1")
    result = ingest_bytes(factory.to_bytes(sheets), "future.xlsx", db_path)
    assert result.status == REJECTED and "Return!B3" in [p.where for p in result.errors]
    sheets = factory.standard_return("ROW", "2024/25", "Q1")
    factory.set_value(sheets, "Income", "Legacies", 1.7e308)
    result = ingest_bytes(factory.to_bytes(sheets), "huge.xlsx", db_path)
    assert result.status == REJECTED
    assert [p.where for p in result.errors] == ["Income!B6"]


def test_summary_json_never_holds_nan_or_infinity():
    data = {"a": float("inf"), "b": [float("nan"), 1.5], "c": {"d": -float("inf")}}
    assert json.loads(json.dumps(finite(data), allow_nan=False)) == {"a": None, "b": [None, 1.5], "c": {"d": None}}
