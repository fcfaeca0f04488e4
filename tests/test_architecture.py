"""The layers keep to docs/architecture.md: no private Streamlit, no streamlit below the pages, no cycles."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["app_pages", "bench", "charts", "common", "contract", "exports", "loaders", "metrics", "store", "ui"]
APP_LAYER = {"dashboard", "app_pages", "ui"}  # the only code that may import streamlit


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}
MODULES["dashboard"] = ROOT / "dashboard.py"


def imports(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from exports import suppression`` depends on the submodule, not on the package's __init__
            names = {f"{node.module}.{alias.name}" for alias in node.names}
            submodules = names & set(MODULES)
            found |= submodules if submodules == names else names | {node.module}
    return found


def project_graph() -> dict[str, set[str]]:
    return {name: {m for m in imports(path) if m in MODULES and m != name} for name, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    assert cycles(project_graph()) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_streamlit_public_api(name):
    private = [
        m
        for m in imports(MODULES[name])
        if m.startswith("streamlit.")
        and (
            m.split(".")[1] in ("runtime", "web", "elements", "proto", "delta_generator")
            or any(part.startswith("_") for part in m.split("."))
        )
    ]
    assert private == [], f"{name} imports Streamlit internals"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.split(".")[0] not in APP_LAYER))
def test_nothing_below_the_pages_imports_streamlit(name):
    # the benchmark times the pages through AppTest, Streamlit's public testing API
    allowed = {"streamlit.testing.v1", "streamlit.testing.v1.AppTest"} if name.startswith("bench") else set()
    assert not [m for m in imports(MODULES[name]) if m.split(".")[0] == "streamlit" and m not in allowed]


def test_the_layers_below_never_import_the_app():
    for name, deps in project_graph().items():
        if name.split(".")[0] not in APP_LAYER:
            assert not [d for d in deps if d.split(".")[0] in APP_LAYER], name


def test_common_imports_nothing_of_the_project():
    for name, deps in project_graph().items():
        if name.startswith("common"):
            assert all(d.startswith("common") for d in deps), name


def test_every_path_the_architecture_page_names_exists():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([\w./-]+\.(?:py|sql|md|toml)|[\w-]+/(?:[\w./-]+)?)`", text))
    assert len(named) > 30
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert missing == []


def test_every_error_a_person_may_see_is_declared_once_with_a_docstring():
    from common import errors

    declared = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, Exception) and value.__module__ == "common.errors"
    }
    for name in declared:
        assert getattr(errors, name).__doc__, name
    elsewhere = [
        f"{module}: {node.name}"
        for module, path in MODULES.items()
        if not module.startswith("common")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and any(isinstance(base, ast.Name) and base.id.endswith(("Error", "Exception")) for base in node.bases)
    ]
    assert elsewhere == []
