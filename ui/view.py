"""The view: the period, members and age group every page shows, and its query string.

Pure functions, no streamlit: ``?period=2024/25&members=ASH,BIR&age=under_18``
reads into a :class:`View` and a view writes back to the same query string,
so a shared link reproduces what the sender saw.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract.periods import Period, PeriodError
from metrics.figure import AGES, BREAKDOWN_LABELS

AGE_GROUPS = {"all": "All ages", **{key: BREAKDOWN_LABELS[key] for key in AGES}}
PERIOD_KINDS = ("Financial year", "Quarter", "Range of quarters")
VIEW_KEY = "view"  # where the sidebar keeps the current View in st.session_state (ui.sidebar)


@dataclass(frozen=True)
class View:
    period: Period
    members: tuple[str, ...] = ()  # empty: every registered member
    age: str = "all"

    @property
    def period_kind(self) -> str:
        if self.period.is_financial_year:
            return PERIOD_KINDS[0]
        return PERIOD_KINDS[1] if self.period.is_quarter else PERIOD_KINDS[2]

    def query(self) -> dict[str, str]:
        """The query string of this view; defaults are left out to keep links short."""
        params = {"period": self.period.label}
        if self.members:
            params["members"] = ",".join(self.members)
        if self.age != "all":
            params["age"] = self.age
        return params


def read_period(text: str | None, quarters: list[int]) -> Period | None:
    """A period from the query string, kept only if it overlaps the quarters with data."""
    if not text or not quarters:
        return None
    try:
        period = Period.parse(text)
    except PeriodError:
        return None
    return period if period.first <= quarters[-1] and period.last >= quarters[0] else None


def read_members(text: str | None, registry: list[str]) -> tuple[str, ...]:
    """Member codes from ``ASH,BIR``: registered ones only, in registry order."""
    wanted = {code.strip().upper() for code in (text or "").split(",") if code.strip()}
    return tuple(code for code in registry if code in wanted)


def read_age(text: str | None) -> str:
    return text if text in AGE_GROUPS else "all"


def from_query(params: dict, *, default: Period, quarters: list[int], registry: list[str]) -> View:
    """A view from query parameters; anything unreadable falls back to the default."""
    return View(
        read_period(_one(params.get("period")), quarters) or default,
        read_members(_one(params.get("members")), registry),
        read_age(_one(params.get("age"))),
    )


def _one(value) -> str | None:
    if isinstance(value, (list, tuple)):
        return value[-1] if value else None
    return value


def years_of(quarters: list[int]) -> list[int]:
    """Financial years (2024 for 2024/25) that have at least one quarter with data, newest first."""
    return sorted({index // 4 for index in quarters}, reverse=True)


def quarter_range(quarters: list[int]) -> list[int]:
    """Every quarter from the first with data to the last, gaps included."""
    return list(range(quarters[0], quarters[-1] + 1)) if quarters else []


TREND_QUARTERS = 8


def trend_view(view: View, quarters: list[int]) -> View:
    """The view of a chart over time: the chosen period, widened back to two years of quarters.

    Two years, so the same period last year is on the chart beside the one chosen.
    """
    first = max(min(view.period.first, view.period.last - TREND_QUARTERS + 1), quarters[0] if quarters else 0)
    return View(Period(min(first, view.period.first), view.period.last), view.members, view.age)
