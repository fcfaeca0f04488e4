"""Docs that must not drift from the code."""

from __future__ import annotations

from pathlib import Path

from contract import document

ROOT = Path(__file__).resolve().parent.parent


def test_docs_returns_md_is_generated_from_the_contract():
    assert (ROOT / "docs" / "returns.md").read_text() == document.markdown(), (
        "docs/returns.md is out of date: run  python -m contract.document > docs/returns.md"
    )
