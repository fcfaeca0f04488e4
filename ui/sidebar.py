"""The sidebar: the collaborative's name and the filters every page shares.

Every page starts with ``view = sidebar.current()``, which draws the sidebar
(and the demo notice) and returns the view.

A folder named ``pages/`` makes Streamlit 1.67 run a page file on its own,
without ``dashboard.py``, in its old multipage mode: on the first run of a fresh
server opened at a page's address (a shared link), and on every rerun under
AppTest. So each page draws its own sidebar and works either way, and
:func:`current` switches the old mode off and, when the page has just been
opened, reruns through ``dashboard.py`` at once (AppTest switches the old mode
back on before every run).

The current :class:`~ui.view.View` lives in ``st.session_state["view"]`` and in
the URL's query string. A new session reads the query string once (so a shared
link reproduces the sender's view); after that the widgets drive the view and
the query string follows. Widgets that are not drawn on a page (the age filter,
the other period pickers) are seeded again from the view when they come back,
so a choice carries across pages. The widgets belong to the page that draws
them, so on arriving at another page all of them are seeded again from the view.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from contract.periods import Period, quarter_label, year_label
from ui import cached, welcome
from ui.view import AGE_GROUPS, PERIOD_KINDS, View, from_query, quarter_range, years_of

VIEW = "view"
PAGE = "sidebar_page"


PAGE_CONFIG = dict(page_title="One Voice", page_icon=":material/diversity_3:", layout="wide")


def current(show_age: bool = False) -> View | None:
    """Draw the sidebar and the demo notice; the view chosen, or None when there are no returns.

    ``show_age``: the page's figures have an age-group breakdown, so the filter is shown.
    """
    _leave_folder_mode()
    st.set_page_config(**PAGE_CONFIG)
    cached.refresh()
    welcome.autoload_demo()
    view = render(show_age)
    welcome.demo_notice()
    return view


def _leave_folder_mode() -> None:
    """Leave Streamlit's old ``pages/`` folder mode if it ran this page (see the module docstring).

    ``st.navigation`` switches that mode off for the process, but only once the entry
    script has run. A page just opened reruns through ``dashboard.py`` (its navigation,
    its page titles); any later run carries on, since a rerun would lose a click made
    in it (under AppTest every run starts in the old mode).
    """
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        if _page() != st.session_state.get(PAGE):
            st.rerun()


def render(show_age: bool = False) -> View | None:
    fresh = _arrived()
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
    view = View(_period(view.period, quarters, fresh), _members(view.members, registry, fresh),
                _age(view.age, fresh) if show_age else view.age)
    st.session_state[VIEW] = view
    sync_address()
    st.sidebar.caption("Link to this view, to share:")
    st.sidebar.code(share_link(view), language=None, wrap_lines=True)
    return view


def share_link(view: View) -> str:
    """The address of this page with the view's query string, whatever the address bar shows."""
    origin = urlsplit(st.context.url or "")
    ctx = get_script_run_ctx()
    page = ctx.pages_manager.get_pages().get(ctx.page_script_hash, {}) if ctx else {}
    path = page.get("url_pathname", "") if not page.get("is_default") else ""
    base = f"{origin.scheme}://{origin.netloc}" if origin.netloc else ""
    return f"{base}/{path}?{urlencode(view.query(), safe='/,')}"


def sync_address() -> None:
    """Write the view into the query string.

    Only on a change: an unneeded update can race the browser's own change of
    address on a page switch and leave the old page's path in the address bar.
    The link in the sidebar is always right.
    """
    view = st.session_state.get(VIEW)
    if view is not None and st.query_params.to_dict() != view.query():
        st.query_params.from_dict(view.query())


def _page() -> str:
    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx else ""


def _arrived() -> bool:
    """True on the first run of a page (a new session, or another page before this run)."""
    page = _page()
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
    first, last = st.sidebar.select_slider("Quarters", options, value=(options[0], options[-1]),
                                           format_func=quarter_label, key="f_range")
    return Period(first, last)


def _members(chosen: tuple[str, ...], registry: list[str], fresh: bool) -> tuple[str, ...]:
    names = cached.names()
    _seed("f_members", list(chosen), registry, fresh)
    picked = st.sidebar.multiselect("Members", registry, format_func=lambda code: names.get(code, code),
                                    key="f_members", placeholder="All members")
    return tuple(code for code in registry if code in picked)


def _age(age: str, fresh: bool) -> str:
    _seed("f_age", age, list(AGE_GROUPS), fresh)
    return st.sidebar.selectbox("Age group", list(AGE_GROUPS), format_func=AGE_GROUPS.get, key="f_age",
                                help="Applies to the activity figures, which members report by age group.")
