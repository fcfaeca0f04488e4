"""Chart images: PNG and SVG through kaleido where a browser is installed, a plain message where not."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from kaleido.errors import ChromeNotFoundError

from exports import images
from exports.images import MESSAGE, ImagesUnavailable, to_image
from tests.exports_fixtures import export_data, small_path

needs_browser = pytest.mark.skipif(
    images.browser_path() is None, reason="no Chrome or Chromium on this computer for kaleido to draw with"
)


def small_figure() -> go.Figure:
    return go.Figure(go.Bar(x=["Ash", "Birch"], y=[3, 5]), layout={"height": 300})


@needs_browser
def test_a_png_and_an_svg_of_an_export_chart(tmp_path):
    data = export_data(small_path(tmp_path), "2024/25 Q1")
    png = to_image(images.chart(data, "Staff headcount by member"), "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = to_image(images.chart(data, "Returns in and missing"), "svg")
    assert svg.lstrip().startswith(b"<svg") and b"Aaa Hospice" in svg


def test_without_a_browser_the_message_says_so_plainly(monkeypatch):
    monkeypatch.setattr(images, "browser_path", lambda: None)
    with pytest.raises(ImagesUnavailable) as raised:
        to_image(small_figure(), "png")
    assert str(raised.value) == MESSAGE
    assert "need a web browser" in MESSAGE and "camera icon" in MESSAGE


def test_a_browser_that_kaleido_cannot_find_or_start_is_the_same_plain_message(monkeypatch):
    monkeypatch.setattr(images, "browser_path", lambda: "/usr/bin/chromium")

    def no_chrome(*args, **kwargs):
        raise ChromeNotFoundError("Kaleido v1 and later requires Chrome to be installed.")

    monkeypatch.setattr(images, "_draw", no_chrome)
    with pytest.raises(ImagesUnavailable, match="camera icon"):
        to_image(small_figure(), "svg")


def test_other_errors_are_not_hidden(monkeypatch):
    monkeypatch.setattr(images, "browser_path", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(images, "_draw", lambda *a, **k: (_ for _ in ()).throw(ValueError("bad figure")))
    with pytest.raises(ValueError, match="bad figure"):
        to_image(small_figure(), "png")


def test_only_png_and_svg():
    with pytest.raises(ValueError, match="choose png or svg"):
        to_image(small_figure(), "gif")


def test_every_offered_chart_draws_with_and_without_suppression(tmp_path):
    path = small_path(tmp_path)
    for suppress in (False, True):
        data = export_data(path, "2024/25 Q1 to 2024/25 Q2", suppress=suppress)
        for name in images.CHARTS:
            assert isinstance(images.chart(data, name), go.Figure), name
