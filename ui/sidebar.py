"""The sidebar: the collaborative's name and the filters every page shares.

The current :class:`~ui.view.View` lives in ``st.session_state["view"]`` and in
the URL's query string. A new session reads the query string once (so a shared
link reproduces the sender's view); after that the widgets drive the view and
the query string follows. Widgets that are not drawn on a page (the age filter,
the other period pickers) are seeded again from the view when they come back,
so a choice carries across pages.
"""

from __future__ import annotations

import streamlit as st

from contract.periods import Period, quarter_label, year_label
from ui import cached
from ui.view import AGE_GROUPS, PERIOD_KINDS, View, from_query, quarter_range, years_of

VIEW = "view"


def current() -> View | None:
    """The view the sidebar chose this run; None when the database holds no returns."""
    return st.session_state.get(VIEW)


def render(show_age: bool = False) -> View | None:
    st.sidebar.markdown(f"### {cached.setting('collaborative_name')}")
    quarters = cached.quarters()
    if not quarters:
        st.session_state[VIEW] = None
        st.sidebar.caption("No returns loaded yet.")
        return None
    registry = sorted(cached.registry()["code"])
    view = st.session_state.get(VIEW)
    if view is None:
        view = from_query(st.query_params.to_dict(), default=cached.default_period(), quarters=quarters,
                          registry=registry)
    view = View(_period(view.period, quarters), _members(view.members, registry),
                _age(view.age) if show_age else view.age)
    st.session_state[VIEW] = view
    st.query_params.from_dict(view.query())
    return view


def _seed(key: str, value, options: list) -> None:
    """Give a widget its value from the view unless it already holds a valid one."""
    held = st.session_state.get(key)
    valid = all(v in options for v in held) if isinstance(held, (list, tuple)) else held in options
    if key not in st.session_state or not valid:
        st.session_state[key] = value


def _clamp(index: int, options: list[int]) -> int:
    return min(max(index, options[0]), options[-1])


def _period(period: Period, quarters: list[int]) -> Period:
    _seed("f_kind", View(period).period_kind, list(PERIOD_KINDS))
    kind = st.sidebar.radio("Period", PERIOD_KINDS, key="f_kind")
    if kind == PERIOD_KINDS[0]:
        years = years_of(quarters)
        _seed("f_year", _clamp(period.last // 4, sorted(years)), years)
        fy = st.sidebar.selectbox("Financial year", years, format_func=year_label, key="f_year")
        return Period.year(fy)
    options = quarter_range(quarters)
    if kind == PERIOD_KINDS[1]:
        _seed("f_quarter", _clamp(period.last, options), options)
        index = st.sidebar.selectbox("Quarter", options[::-1], format_func=quarter_label, key="f_quarter")
        return Period(index, index)
    _seed("f_range", (_clamp(period.first, options), _clamp(period.last, options)), options)
    if len(options) == 1:
        return Period(options[0], options[0])
    first, last = st.sidebar.select_slider("Quarters", options, format_func=quarter_label, key="f_range")
    return Period(first, last)


def _members(chosen: tuple[str, ...], registry: list[str]) -> tuple[str, ...]:
    names = cached.names()
    _seed("f_members", list(chosen), registry)
    picked = st.sidebar.multiselect("Members", registry, format_func=lambda code: names.get(code, code),
                                    key="f_members", placeholder="All members")
    return tuple(code for code in registry if code in picked)


def _age(age: str) -> str:
    _seed("f_age", age, list(AGE_GROUPS))
    return st.sidebar.selectbox("Age group", list(AGE_GROUPS), format_func=AGE_GROUPS.get, key="f_age",
                                help="Applies to the activity figures, which members report by age group.")
