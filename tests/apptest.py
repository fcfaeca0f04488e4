"""Running the app under AppTest: open a page over a database, and read what it shows."""

from __future__ import annotations

from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "dashboard.py"
PAGES = ["overview", "income", "workforce", "capacity", "activity", "members", "together", "data", "users"]


def open_app(monkeypatch, db_path: Path, page: str = "overview", query: dict | None = None):
    """The app on ``page`` over ``db_path``, after its first run (AppTest)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ONEVOICE_DB", str(db_path))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params.update(query or {})
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    return at


def texts(at) -> str:
    """Every piece of text on the page, for asserting what the user is shown."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "code"):
        parts += [str(element.value) for element in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    return "\n".join(parts)
