"""CSV that opens cleanly in Excel and that no spreadsheet will run.

A text cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return, which some spreadsheets strip before looking) would be read as a
formula by Excel, LibreOffice or Google Sheets: "CSV injection". Such a cell
gets a leading apostrophe, which the spreadsheet shows as text. Numbers are
never touched: -5 stays a number.

The file is UTF-8 with a byte order mark so Excel reads £ correctly.
"""

from __future__ import annotations

import io
import math
from datetime import date, datetime

import pandas as pd

from loaders.written import RISKY_STARTS  # the starts a spreadsheet takes for a formula, said once


def neutralise(value: object) -> object:
    """A cell as it is safe to write: risky text gets a leading apostrophe; anything else as it was."""
    if isinstance(value, str) and value.startswith(RISKY_STARTS):
        return "'" + value
    return value


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else format(value, ".15g")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    return neutralise(value)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every cell and header made safe and plain (NaN as empty, whole numbers without .0)."""
    columns = [neutralise(str(column)) for column in frame.columns]
    rows = [[_cell(value) for value in row] for row in frame.itertuples(index=False, name=None)]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def to_csv(frame: pd.DataFrame) -> bytes:
    """The frame as CSV bytes (UTF-8 with BOM), every text cell neutralised."""
    buffer = io.StringIO()
    safe_frame(frame).to_csv(buffer, index=False, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")
