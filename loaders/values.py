"""Reading one cell's value as a number, the way a finance officer writes it."""

from __future__ import annotations

import datetime
import re

from common.errors import NotANumber

CEILING = 10_000_000_000  # no figure of one member's quarter is this large (£10bn, ten billion people or days)

NOT_REPORTED_WORDS = {"-", "–", "—", "n/a", "na", "n.a.", "not available", "not reported", "nr", "not known"}


def describe(value: object) -> str:
    """A cell's value as the user would see it, for messages."""
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, datetime.datetime):
        return value.strftime("%d %B %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d %B %Y")
    return str(value)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_NUMBER = re.compile(r"^\(?-?\d+(\.\d+)?\)?$")


def read_number(value: object) -> float | None:
    """A number, or None for not reported (blank, ``-``, ``n/a``).

    Text such as ``£1,234.50``, `` 12 `` and ``1,204`` is read as a number.
    Raises :class:`NotANumber` for anything else, and for negative numbers.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise NotANumber("is TRUE/FALSE, not a number")
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        raise NotANumber("is a date or time, not a number (check the cell is formatted as a number)")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip()
        if text.lower() in NOT_REPORTED_WORDS:
            return None
        compact = re.sub(r"[£,\s\u00a0]", "", text)
        if compact.startswith("-£"):
            compact = "-" + compact[2:]
        if not _NUMBER.match(compact):
            raise NotANumber("is text, not a number")
        negative = compact.startswith("(") or compact.startswith("-")
        number = float(compact.strip("()").lstrip("-"))
        if negative:
            number = -number
    if number != number or number in (float("inf"), float("-inf")):
        raise NotANumber("is not a number")
    if number < 0:
        raise NotANumber("is negative; amounts and counts cannot be below zero")
    if number >= CEILING:
        raise NotANumber(
            f"is {_size(number)}, too large for one member's quarter (the most One Voice takes is "
            f"{CEILING:,} less one; check for extra digits)"
        )
    return number


def _size(number: float) -> str:
    """A huge number in words a person can read: ``12,000,000,000``, or ``1.7 x 10^308``."""
    if number < 1e15:
        return f"{number:,.0f}"
    mantissa, exponent = f"{number:.1e}".split("e")
    return f"{mantissa} x 10^{int(exponent)}"
