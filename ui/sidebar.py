"""The sidebar: the collaborative's name and the filters every page shares.

``dashboard.py`` calls :func:`draw` once a run, before the page runs: it draws
the sidebar and the demo notice and keeps the chosen :class:`~ui.view.View`;
a page reads it with :func:`view`.

The current view lives in ``st.session_state["view"]`` and in the URL's query
string. A new session reads the query string once (so a shared link reproduces
the sender's view); after that the widgets drive the view and the query string
follows. Widgets that are not drawn on a page (the age filter, the other period
pickers) are seeded again from the view when they come back, so a choice carries
across pages, and on arriving at another page all of them are seeded again.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st

from common.words import markdown_safe
from contract.periods import Period, quarter_label, year_label
from ui import access, cached, welcome
from ui.view import AGE_GROUPS, PERIOD_KINDS, VIEW_KEY, View, from_query, quarter_range, years_of

VIEW = VIEW_KEY
PAGE = "sidebar_page"


def draw(page: str, show_age: bool = False) -> None:
    """Draw the sidebar and the demo notice, and keep the view chosen (None when there are no returns).

    ``page``: the address of the page being shown (``st.navigation``'s ``url_path``).
    ``show_age``: the page's figures have an age-group breakdown, so the filter is shown.
    """
    cached.refresh()
    welcome.autoload_demo()
    render(page, show_age)
    welcome.demo_notice()


def view() -> View | None:
    """The view the sidebar holds for this run; None when there are no returns."""
    return st.session_state.get(VIEW)


def render(page: str, show_age: bool = False) -> View | None:
    fresh = _arrived(page)
    st.sidebar.markdown(f"### {markdown_safe(cached.setting('collaborative_name'))}")
    access.sign_out_button()
    quarters = cached.quarters()
    if not quarters:
        st.session_state[VIEW] = None
        st.sidebar.caption("No returns loaded yet.")
        return None
    registry = sorted(cached.registry()["code"])
    view = st.session_state.get(VIEW)
    if view is None:
        view = from_query(
            st.query_params.to_dict(), default=cached.default_period(), quarters=quarters, registry=registry
        )
    if access.person().hidden:
        # Choosing members would let a difference of two totals give away a member's figures
        # that it has not agreed to show: the view is always every member.
        chosen: tuple[str, ...] = ()
        st.session_state.pop("f_members", None)
    view = View(
        _period(view.period, quarters, fresh),
        _members(view.members, registry, fresh) if not access.person().hidden else chosen,
        _age(view.age, fresh) if show_age else view.age,
    )
    st.session_state[VIEW] = view
    sync_address()
    st.sidebar.caption("Link to this view, to share:")
    st.sidebar.code(share_link(view, page), language=None, wrap_lines=True)
    return view


def share_link(view: View, page: str) -> str:
    """The address of ``page`` with the view's query string, whatever the address bar shows."""
    origin = urlsplit(st.context.url or "")
    base = f"{origin.scheme}://{origin.netloc}" if origin.netloc else ""
    return f"{base}/{page}?{urlencode(view.query(), safe='/,')}"


def sync_address() -> None:
    """Write the view into the query string.

    Only on a change: an unneeded update can race the browser's own change of
    address on a page switch and leave the old page's path in the address bar.
    The link in the sidebar is always right.
    """
    view = st.session_state.get(VIEW)
    if view is not None and st.query_params.to_dict() != view.query():
        st.query_params.from_dict(view.query())


def _arrived(page: str) -> bool:
    """True on the first run of a page (a new session, or another page before this run)."""
    arrived = st.session_state.get(PAGE) != page
    st.session_state[PAGE] = page
    return arrived


def _seed(key: str, value, options: list, fresh: bool) -> None:
    """Give a widget its value from the view, unless it holds a valid one on this page already."""
    held = st.session_state.get(key)
    valid = all(v in options for v in held) if isinstance(held, (list, tuple)) else held in options
    if fresh or key not in st.session_state or not valid:
        st.session_state[key] = value


def _clamp(index: int, options: list[int]) -> int:
    return min(max(index, options[0]), options[-1])


def _period(period: Period, quarters: list[int], fresh: bool) -> Period:
    _seed("f_kind", View(period).period_kind, list(PERIOD_KINDS), fresh)
    kind = st.sidebar.radio("Period", PERIOD_KINDS, key="f_kind")
    if kind == PERIOD_KINDS[0]:
        years = years_of(quarters)
        _seed("f_year", _clamp(period.last // 4, sorted(years)), years, fresh)
        fy = st.sidebar.selectbox("Financial year", years, format_func=year_label, key="f_year")
        return Period.year(fy)
    options = quarter_range(quarters)
    if kind == PERIOD_KINDS[1]:
        _seed("f_quarter", _clamp(period.last, options), options, fresh)
        index = st.sidebar.selectbox("Quarter", options[::-1], format_func=quarter_label, key="f_quarter")
        return Period(index, index)
    _seed("f_range", (_clamp(period.first, options), _clamp(period.last, options)), options, fresh)
    if len(options) == 1:
        return Period(options[0], options[0])
    # value= only makes this a range slider; the range shown is the one seeded above
    first, last = st.sidebar.select_slider(
        "Quarters", options, value=(options[0], options[-1]), format_func=quarter_label, key="f_range"
    )
    return Period(first, last)


def _members(chosen: tuple[str, ...], registry: list[str], fresh: bool) -> tuple[str, ...]:
    names = cached.names()
    _seed("f_members", list(chosen), registry, fresh)
    picked = st.sidebar.multiselect(
        "Members", registry, format_func=lambda code: names.get(code, code), key="f_members", placeholder="All members"
    )
    return tuple(code for code in registry if code in picked)


def _age(age: str, fresh: bool) -> str:
    _seed("f_age", age, list(AGE_GROUPS), fresh)
    return st.sidebar.selectbox(
        "Age group",
        list(AGE_GROUPS),
        format_func=AGE_GROUPS.get,
        key="f_age",
        help="Applies to the activity figures, which members report by age group.",
    )
