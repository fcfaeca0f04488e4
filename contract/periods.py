"""UK financial-year periods: quarters, years and ranges of quarters.

A quarter is held as one integer, its *index*: ``fy * 4 + (quarter - 1)``,
where ``fy`` is the calendar year the financial year starts in (2024 for
2024/25). Ranges of quarters are then plain integer ranges, which is what the
SQL in ``metrics/`` compares against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from common.errors import PeriodError

QUARTER_MONTHS = {1: ("April", "June"), 2: ("July", "September"), 3: ("October", "December"), 4: ("January", "March")}


def quarter_index(fy: int, quarter: int) -> int:
    return fy * 4 + (quarter - 1)


def split_index(index: int) -> tuple[int, int]:
    """Return (fy, quarter) for a quarter index."""
    return index // 4, index % 4 + 1


def year_label(fy: int) -> str:
    """``2024`` -> ``2024/25``."""
    return f"{fy}/{(fy + 1) % 100:02d}"


def quarter_label(index: int) -> str:
    """Quarter index -> ``2024/25 Q1``."""
    fy, q = split_index(index)
    return f"{year_label(fy)} Q{q}"


def quarter_months(index: int) -> str:
    """Quarter index -> ``April to June 2024``."""
    fy, q = split_index(index)
    first, last = QUARTER_MONTHS[q]
    return f"{first} to {last} {fy + 1 if q == 4 else fy}"


def latest_ended(today: date) -> int:
    """The latest quarter that has ended by ``today`` (the one whose returns are being collected)."""
    fy = today.year if today.month >= 4 else today.year - 1
    return quarter_index(fy, (today.month - 4) % 12 // 3 + 1) - 1


def long_date(day: date) -> str:
    """``05 March 2026``: the UK way of writing a day (dd Month yyyy)."""
    return day.strftime("%d %B %Y")


def quarter_end(index: int) -> date:
    fy, q = split_index(index)
    return {1: date(fy, 6, 30), 2: date(fy, 9, 30), 3: date(fy, 12, 31), 4: date(fy + 1, 3, 31)}[q]


# -- reading years and quarters as people write them ------------------------

_YEAR_PATTERNS = [
    re.compile(r"^(?:fy\s*)?(\d{4})\s*[/\-]\s*(\d{2}|\d{4})$"),  # 2024/25, 2024-25, 2024/2025, FY2024/25
    re.compile(r"^(?:fy\s*)?(\d{2})\s*[/\-]\s*(\d{2})$"),  # FY 24/25, 24-25
]

_QUARTER_WORDS = {
    "apr jun": 1,
    "april june": 1,
    "apr to jun": 1,
    "april to june": 1,
    "jul sep": 2,
    "july september": 2,
    "jul to sep": 2,
    "july to september": 2,
    "oct dec": 3,
    "october december": 3,
    "oct to dec": 3,
    "october to december": 3,
    "jan mar": 4,
    "january march": 4,
    "jan to mar": 4,
    "january to march": 4,
}


FIRST_YEAR, LAST_YEAR = 2000, 2099  # financial years One Voice takes: 2000/01 to 2099/00


def parse_year(text: object) -> int:
    """Read a financial year as members write it; return its start year.

    Accepts ``2024/25``, ``2024-25``, ``2024/2025``, ``FY2024/25`` and
    ``FY 24/25``, from 2000/01 (a later year than the current one is a quarter
    that has not ended, refused where a return is loaded). Anything else raises
    :class:`PeriodError` quoting the value.
    """
    if isinstance(text, float) and text.is_integer():
        text = int(text)  # a spreadsheet holds a typed 2025 as the number 2025.0
    raw = str(text).strip()
    cleaned = raw.lower()
    for pattern in _YEAR_PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        start, end = match.group(1), match.group(2)
        first = int(start) if len(start) == 4 else 2000 + int(start)
        second = int(end) if len(end) == 4 else (first // 100) * 100 + int(end)
        if second < first:
            second += 100
        if second == first + 1:
            if not FIRST_YEAR <= first <= LAST_YEAR:
                raise PeriodError(
                    f"'{raw}' is not a financial year One Voice takes: write a year from "
                    f"{year_label(FIRST_YEAR)} on, like 2024/25"
                )
            return first
    if raw.isdigit() and len(raw) == 4:
        year = int(raw)
        raise PeriodError(
            f"'{raw}' is not a financial year: write {year - 1}/{str(year)[2:]} (April {year - 1} to March {year}) "
            f"or {year}/{str(year + 1)[2:]} (April {year} to March {year + 1})"
        )
    raise PeriodError(f"'{raw}' is not a financial year; write it like 2024/25 (April 2024 to March 2025)")


def parse_quarter(text: object) -> int:
    """Read a quarter as members write it: ``Q1``, ``1``, ``Quarter 1``, ``Apr-Jun``."""
    raw = str(text).strip()
    if isinstance(text, float) and text.is_integer():
        raw = str(int(text))
    cleaned = re.sub(r"[^a-z0-9]+", " ", raw.lower()).strip()
    match = re.fullmatch(r"(?:q|quarter\s*)?\s*([1-4])", cleaned)
    if match:
        return int(match.group(1))
    if cleaned in _QUARTER_WORDS:
        return _QUARTER_WORDS[cleaned]
    raise PeriodError(
        f"'{raw}' is not a quarter; write Q1 (April to June), Q2 (July to September), "
        "Q3 (October to December) or Q4 (January to March)"
    )


# -- periods ----------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """An inclusive range of quarters, ``first`` to ``last`` (quarter indexes)."""

    first: int
    last: int

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise PeriodError(
                f"the period ends ({quarter_label(self.last)}) before it starts ({quarter_label(self.first)})"
            )

    @classmethod
    def quarter(cls, fy: int, q: int) -> Period:
        index = quarter_index(fy, q)
        return cls(index, index)

    @classmethod
    def year(cls, fy: int) -> Period:
        return cls(quarter_index(fy, 1), quarter_index(fy, 4))

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2024/25``, ``2024/25 Q2`` or ``2023/24 Q3 to 2024/25 Q2``."""
        raw = str(text).strip()
        parts = re.split(r"\s+(?:to|-|–)\s+", raw, maxsplit=1, flags=re.IGNORECASE)
        if len(parts) == 2:
            start, end = cls.parse(parts[0]), cls.parse(parts[1])
            return cls(start.first, end.last)
        match = re.fullmatch(r"(.+?)\s+((?:q|quarter)\s*[1-4])", raw, flags=re.IGNORECASE)
        try:
            if match:
                return cls.quarter(parse_year(match.group(1)), parse_quarter(match.group(2)))
            return cls.year(parse_year(raw))
        except PeriodError:
            raise PeriodError(
                f"'{raw}' is not a period; write a financial year (2024/25), a quarter "
                "(2024/25 Q2) or a range (2023/24 Q3 to 2024/25 Q2)"
            ) from None

    @property
    def quarters(self) -> list[int]:
        return list(range(self.first, self.last + 1))

    @property
    def length(self) -> int:
        return self.last - self.first + 1

    @property
    def is_quarter(self) -> bool:
        return self.length == 1

    @property
    def is_financial_year(self) -> bool:
        return self.length == 4 and self.first % 4 == 0

    @property
    def label(self) -> str:
        if self.is_quarter:
            return quarter_label(self.first)
        if self.is_financial_year:
            return year_label(self.first // 4)
        return f"{quarter_label(self.first)} to {quarter_label(self.last)}"

    @property
    def months(self) -> str:
        """``April 2024 to March 2025``."""
        first_fy, first_q = split_index(self.first)
        start_month = QUARTER_MONTHS[first_q][0]
        start_year = first_fy + 1 if first_q == 4 else first_fy
        end = quarter_months(self.last).split(" to ")[1]
        return f"{start_month} {start_year} to {end}"

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.first - self.length, self.last - self.length)

    def year_earlier(self) -> Period:
        """The same quarters a year earlier."""
        return Period(self.first - 4, self.last - 4)

    def __str__(self) -> str:
        return self.label
