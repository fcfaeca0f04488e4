"""Render the deck as LibreOffice would show it: PPTX -> PDF -> PNG pages, one per slide.

Skipped, with the reason, where LibreOffice (soffice) is not installed. The PNGs
go to ``test-artifacts/exports/`` so a person can look at them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation

from exports.deck import build_deck
from store.db import PROJECT_ROOT
from tests.exports_fixtures import demo_path, export_data

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "exports"

pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed, so the deck cannot be rendered here"
)


def to_pdf(pptx: Path) -> Path:
    profile = ARTIFACTS.parent / "libreoffice-profile"  # its own profile, kept: a first start costs ~15 s
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pptx.parent),
            str(pptx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return pptx.with_suffix(".pdf")


def to_pngs(pdf: Path, folder: Path) -> list[Path]:
    """pdftoppm where installed, else Ghostscript; an empty list where neither is."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("slide-*.png"):
        old.unlink()
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / "slide")], check=True, timeout=120)
    elif shutil.which("gs"):
        subprocess.run(
            ["gs", "-q", "-sDEVICE=png16m", "-r60", "-o", str(folder / "slide-%02d.png"), str(pdf)],
            check=True,
            timeout=120,
        )
    return sorted(folder.glob("slide-*.png"))


def test_the_deck_renders_a_page_per_slide(tmp_path):
    pptx = tmp_path / "deck.pptx"
    pptx.write_bytes(build_deck(export_data(demo_path(), "2024/25", suppress=True)))
    pdf = to_pdf(pptx)
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    pages = to_pngs(pdf, ARTIFACTS)
    if not pages:
        pytest.skip("neither pdftoppm nor Ghostscript is installed to turn the PDF into PNG pages")
    assert len(pages) == len(Presentation(pptx).slides)
    for page in pages:
        image = Image.open(page).convert("L")
        width, height = image.size
        assert width / height == pytest.approx(16 / 9, rel=0.02)
        assert image.getextrema()[0] < 128, f"{page.name} is blank"
