"""Docs that must not drift from the code."""

from __future__ import annotations

from pathlib import Path

from contract import document

ROOT = Path(__file__).resolve().parent.parent


def test_docs_returns_md_is_generated_from_the_contract():
    assert (ROOT / "docs" / "returns.md").read_text() == document.markdown(), (
        "docs/returns.md is out of date: run  python -m contract.document > docs/returns.md"
    )


def test_the_readme_links_only_to_files_in_the_repository():
    """A link outside the repository is broken for anyone reading it on its own (the contract lives beside it)."""
    import re

    links = re.findall(r"\]\(([^)#]+)\)", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert links and all(not link.startswith("..") and (ROOT / link).exists() for link in links), links


def test_the_app_shows_no_deploy_button():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "viewer"
