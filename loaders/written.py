"""Workbooks One Voice writes: text from data never becomes a formula.

openpyxl takes any string that starts with ``=`` for a formula. The workbooks One Voice
writes (the blank return, the joint work register, the exports, the data-quality report)
hold no formula of their own, so every such cell is written back as text. A text cell that a
spreadsheet would take for a formula if it were typed in (``RISKY_STARTS``: ``=``, ``+``,
``-``, ``@``, a tab or a carriage return first) also gets Excel's quote prefix: it shows as
written and stays text when someone edits it. CSVs use the same starts (``exports.csv_safe``).
"""

from __future__ import annotations

from openpyxl import Workbook

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_stays_text(book: Workbook) -> None:
    """Every formula cell of ``book`` becomes the text it holds; risky text gets the quote prefix."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                if cell.data_type == "s" and isinstance(cell.value, str) and cell.value.startswith(RISKY_STARTS):
                    cell.quotePrefix = True
