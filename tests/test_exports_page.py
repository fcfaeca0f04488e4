"""The Export page (AppTest): download buttons for the sidebar's period, suppression, chart images."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from exports import SUPPRESSION_RULE, images
from store.db import PROJECT_ROOT
from tests.exports_fixtures import demo_path

TIMEOUT = 60


@pytest.fixture
def app(tmp_path, monkeypatch):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_path(), path)
    monkeypatch.setenv("ONEVOICE_DB", str(path))
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.query_params["period"] = "2024/25"
    at.run()
    at.switch_page("app_pages/export.py").run()
    assert not at.exception
    return at


def buttons(at) -> list[str]:
    """Labels of the download buttons (AppTest shows them as unknown elements with a proto)."""
    return [element.proto.label for element in at.main.get("download_button")]


def test_the_page_offers_the_deck_workbook_and_every_csv(app):
    assert app.title[0].value == "Export"
    labels = buttons(app)
    assert labels[:3] == ["PowerPoint deck", "Excel workbook", "Every table as CSV (zip)"]
    assert {"Income", "Workforce", "Capacity", "Activity", "Members", "Returns included", "Notes"} <= set(labels)
    assert "2024/25 (April 2024 to March 2025), all members" in app.caption[0].value


def test_the_suppression_switch_states_the_rule(app):
    assert not any("Small numbers are suppressed" in caption.value for caption in app.caption)
    app.checkbox(key="export_suppress").check().run()
    assert not app.exception
    assert any(caption.value == SUPPRESSION_RULE for caption in app.caption)
    assert buttons(app)[:3] == ["PowerPoint deck", "Excel workbook", "Every table as CSV (zip)"]


def test_choosing_a_chart_previews_it(app):
    app.selectbox(key="export_chart").select("Returns in and missing").run()
    assert not app.exception
    assert app.get("plotly_chart")


def test_without_a_browser_the_page_says_so_and_does_not_crash(tmp_path, monkeypatch):
    monkeypatch.setattr(images, "browser_path", lambda: None)
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_path(), path)
    monkeypatch.setenv("ONEVOICE_DB", str(path))
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("app_pages/export.py").run()
    assert not at.exception
    assert any(info.value == images.MESSAGE for info in at.info)
