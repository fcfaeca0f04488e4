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


# What would make Markdown of text: a link or image ([ ]), HTML (< >), emphasis, code, strikethrough, maths,
# a bare web or email address that would become a link, a Streamlit icon or colour (:name:); an underscore
# only where it could start or end emphasis. Ordinary punctuation (. , ( ) - ' / and ": ") is left as written.
MARKDOWN_SPECIAL = re.compile(r"[\\`*\[\]<>~$]|(?<![^\W_])_|_(?![^\W_])|:(?=\S)|(?<=\bwww)\.", re.IGNORECASE)
EMAIL_DOMAIN = re.compile(r"@\S+")  # its dots escaped, an email address is not made a link
LINE_START = re.compile(r"^(\s*\d*)([-+=>#|.)])")  # what would start a list, a quote, a heading or a table


def markdown_safe(text: object) -> str:
    """Text from data (a name, an email) shown in a Markdown element as it is, never as formatting or a link.

    A line break becomes a space, so nothing in the text can start a list, a heading or a table.
    """
    one_line = re.sub(r"[\r\n]+", " ", str(text))
    escaped = MARKDOWN_SPECIAL.sub(lambda found: "\\" + found.group(0), one_line)
    escaped = EMAIL_DOMAIN.sub(lambda found: found.group(0).replace(".", "\\."), escaped)
    return LINE_START.sub(r"\1\\\2", escaped)
