"""UK display text for figures: ``£45.2m``, ``£830k``, ``1,380``, ``31%``, ``5.3%``, ``12.4`` (days).

Pages, exports and the command line show values through these, so a figure
reads the same everywhere. ``None`` and NaN (not reported) become ``missing``.
"""

from __future__ import annotations

import math

from contract.periods import Period

NOT_REPORTED = "not reported"


def _absent(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | None, missing: str = NOT_REPORTED) -> str:
    """``£45.2m``, ``£830k``, ``£1,234``; ``-£1,234`` below zero."""
    if _absent(value):
        return missing
    sign, size = ("-" if value < 0 else ""), abs(value)
    if round(size) >= 1_000_000:
        return f"{sign}£{size / 1_000_000:,.1f}m"
    if round(size) >= 10_000:
        return f"{sign}£{size / 1_000:,.0f}k"
    return f"{sign}£{size:,.0f}"


def pounds(value: float | None, missing: str = NOT_REPORTED) -> str:
    """Pounds and pence, for small ratios: ``£2.35``."""
    return missing if _absent(value) else f"£{value:,.2f}"


def count(value: float | None, missing: str = NOT_REPORTED) -> str:
    """``1,380``: whole numbers with thousands separators."""
    return missing if _absent(value) else f"{value:,.0f}"


def decimal(value: float | None, places: int = 1, missing: str = NOT_REPORTED) -> str:
    """``1,204.5``: FTE, beds, days."""
    return missing if _absent(value) else f"{value:,.{places}f}"


def percent(value: float | None, places: int | None = None, missing: str = NOT_REPORTED) -> str:
    """A fraction as a percentage: ``0.31`` -> ``31%``, ``0.053`` -> ``5.3%``.

    By default whole percentages from 10% up and one decimal place below (a 5.3% vacancy
    rate is not "5%"); ``places`` fixes the number of decimal places.
    """
    if _absent(value):
        return missing
    if places is None:
        size = round(abs(value) * 100, 1)
        places = 1 if 0 < size < 10 else 0
    return f"{value * 100:.{places}f}%"


def points(value: float | None, missing: str = NOT_REPORTED) -> str:
    """A change in a rate, in percentage points: ``0.031`` -> ``+3.1 pts``."""
    return missing if _absent(value) else f"{value * 100:+.1f} pts"


def value(figure_value: float | None, unit: str, missing: str = NOT_REPORTED, kind: str = "") -> str:
    """Any figure by its unit and kind (``definitions()`` gives both).

    FTE and averages of days (a ``rate`` in days, such as length of stay: ``10.0``) get one
    decimal place; beds read as whole beds (``96``) unless the average has a fraction
    (``9.5``), the same on every page and export; sums of days and every other count are
    whole numbers; rates in % as :func:`percent` writes them. Pass ``kind`` for anything in
    days: without it a length of stay would read as a whole number of days.
    """
    if unit == "£":
        return (
            money(figure_value, missing)
            if _absent(figure_value) or abs(figure_value) >= 10
            else pounds(figure_value, missing)
        )
    if unit == "%":
        return percent(figure_value, missing=missing)
    if unit == "beds":
        return beds(figure_value, missing)
    if unit == "FTE" or (unit == "days" and kind in ("rate", "mean")):
        return decimal(figure_value, missing=missing)
    return count(figure_value, missing)


def beds(value: float | None, missing: str = NOT_REPORTED) -> str:
    """``96`` for a whole number of beds, ``9.5`` for an average that is not one."""
    if _absent(value):
        return missing
    return count(value) if round(value, 1) == round(value) else decimal(value)


def change(difference: float | None, unit: str, missing: str = NOT_REPORTED) -> str:
    """A signed change by unit: ``+£1.2m``, ``-40``, ``+3.1 pts``."""
    if _absent(difference):
        return missing
    if unit == "%":
        return points(difference)
    sign = "+" if difference >= 0 else "-"
    return sign + value(abs(difference), unit)


def period_label(period: Period) -> str:
    """``2024/25`` or ``2024/25 Q2`` (the spec's labels)."""
    return period.label


def period_title(period: Period) -> str:
    """``2024/25 (April 2024 to March 2025)``."""
    return f"{period.label} ({period.months})"
