"""Every figure is defined once, has one function, appears in the results and in docs/metrics.md."""

from __future__ import annotations

import pytest

from contract.periods import Period
from metrics import definitions, figures
from metrics.definitions import FIGURES
from metrics.summary import FIGURE_KEYS
from store.db import PROJECT_ROOT
from tests.metrics_fixtures import MetricsStore

DOCS = (PROJECT_ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
UNITS = {"£", "people", "FTE", "%", "days", "hours", "beds", "places", "count"}
KINDS = {"flow", "stock", "mean", "unique", "rate"}


def test_every_figure_is_declared_once_under_its_own_key():
    assert all(key == declared.key for key, declared in FIGURES.items())
    assert len(FIGURES) == 35


def test_definitions_frame():
    frame = definitions()
    assert list(frame.columns) == ["key", "label", "unit", "kind", "area", "breakdowns", "definition"]
    assert set(frame["unit"]) <= UNITS and set(frame["kind"]) <= KINDS
    assert frame["key"].is_unique and frame["label"].is_unique


def test_figures_returns_every_figure_with_its_unit_and_breakdowns(tmp_path):
    store = MetricsStore(tmp_path / "d.duckdb")
    with store.connect() as con:
        frame = figures(con, Period.year(2024))
    for key, definition in FIGURES.items():
        rows = frame[(frame.measure == key) & (frame.member_code == "ALL")]
        assert list(rows["breakdown"]) == ["all", *definition.breakdowns], key
        assert set(rows["unit"]) == {definition.unit} and set(rows["kind"]) == {definition.kind}
    assert frame["value"].isna().all()  # nothing reported: nothing made up


def test_every_summary_figure_is_a_defined_figure():
    assert set(FIGURE_KEYS.values()) <= set(FIGURES)


@pytest.mark.parametrize("key", list(FIGURES))
def test_docs_list_every_figure_as_defined(key):
    f = FIGURES[key]
    row = (
        f"| `{key}` | {f.label} | {f.unit} | {f.kind} | {f.breakdown or '-'} | {f.reads_text} | {f.rule.name} | "
        f"{f.combine} | {f.definition} |"
    )
    assert row in DOCS


def test_docs_show_the_command():
    assert "python -m metrics summary --period PERIOD [--db PATH] [--json] [--members CODES]" in DOCS
