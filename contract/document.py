"""Write docs/returns.md from the contract, so the documented labels and synonyms are the ones matched.

``python -m contract.document > docs/returns.md``; a test fails when the two differ.
"""

from __future__ import annotations

from contract.returns import SHEETS, SheetSpec


def markdown() -> str:
    lines = [
        "# The quarterly return: sheets, labels and accepted synonyms",
        "",
        "Generated from `contract/returns.py` by `python -m contract.document > docs/returns.md`.",
        "Sheet names, headers and row labels are matched ignoring case, surrounding spaces and",
        "punctuation, with `&` read as `and` and `+` as `plus`. A blank cell, `-` or `n/a` means not",
        "reported; `0` means none. Title rows, blank rows, `Total` rows, extra columns such as Notes",
        "and extra sheets are ignored. A row this sheet does not expect is an error only when it holds",
        "a figure (a note below the table is fine).",
        "",
    ]
    for sheet in SHEETS:
        lines += _sheet(sheet)
    return "\n".join(lines) + "\n"


def _sheet(sheet: SheetSpec) -> list[str]:
    required = "required" if sheet.required else "optional"
    lines = [f"## {sheet.name} ({required})", ""]
    if sheet.synonyms:
        lines += [f"Also accepted as the sheet name: {_list(sheet.synonyms)}.", ""]
    lines += ["| | label | key | also accepted |", "|---|---|---|---|"]
    lines.append(f"| header | {sheet.label_header.label} | | {_list(sheet.label_header.synonyms)} |")
    for column in sheet.columns:
        lines.append(f"| column | {column.label} | `{column.key}` | {_list(column.synonyms)} |")
    for row in sheet.rows:
        lines.append(f"| row | {row.label} | `{row.key}` | {_list(row.synonyms)} |")
    return lines + [""]


def _list(words: tuple[str, ...]) -> str:
    return ", ".join(f"`{w}`" for w in words)


if __name__ == "__main__":
    print(markdown(), end="")
