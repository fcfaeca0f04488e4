"""The project's shared words: the codes of combined rows and the text helpers every layer uses."""

from __future__ import annotations

import re

COMBINED = "ALL"  # member_code of a row that combines every member in view
OTHERS = "OTHERS"  # member_code of the row adding up the members a chart does not name
UNNAMED = "a member not shown individually"  # a member the reader may not see by name


def join_and(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def slug(text: str, lower: bool = True) -> str:
    """``Income by stream`` -> ``income-by-stream`` (``Income-by-stream`` with ``lower=False``):
    a file or widget name from any text."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text.lower() if lower else text).strip("-")


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def markdown_safe(text: object) -> str:
    """Text from data (a name, an email) shown in a Markdown element as it is, never as formatting or a link."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
