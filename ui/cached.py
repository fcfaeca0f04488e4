"""Metric results, cached on the database's content version.

Every cached function takes the database path and its data version
(``store.events.data_version``: the newest event id), so a filter change that
comes back to an earlier choice does no work again, and a new upload, restore
or setting changes the version and shows at once. Connections are opened
inside the cached call and closed before it returns: results are cached,
connections never are.
"""

from __future__ import annotations

import os
from datetime import date

import pandas as pd
import streamlit as st

import metrics
from charts.palette import member_colours
from common.words import UNNAMED
from contract.joint_work import Register
from contract.periods import Period
from metrics import joint_work as metrics_joint_work
from metrics import returns as metrics_returns
from metrics.definitions import FIGURES
from metrics.figure import Figure
from metrics.figures import without_names
from metrics.funnel import Funnel, funnel
from metrics.groups import TOP
from metrics.joint_work import JointWork
from metrics.value import BedDayCost, ValueAdded, bed_day_cost, value_added
from metrics.variation import SpcSeries, glance, spc_series
from store import db, events, members, settings, submissions, users
from store import joint_work as joint_work_store
from ui import access
from ui.view import View, years_of

VERSION_KEY = "data_version"


def db_path() -> str:
    return str(db.database_path())


_SEEN: dict[str, tuple[tuple, int]] = {}  # database path -> (its files' stamp, data version read)


def refresh() -> int:
    """Read the data version (once a run, from ``dashboard.py``, and after any change).

    Opening the database costs more than the rest of a cached page, so the version
    is read again only when the database's files have changed since it was last read
    (any write changes the size or time of the file or of its write-ahead log).
    """
    path = db_path()
    stamp = _stamp(path)  # before reading: a write after this shows as a change next time
    seen = _SEEN.get(path)
    if stamp is not None and seen is not None and seen[0] == stamp:
        version = seen[1]
    else:
        with db.connect() as con:
            version = events.data_version(con)
        if stamp is not None:
            _SEEN[path] = (stamp, version)
    st.session_state[VERSION_KEY] = version
    return version


def _stamp(path: str) -> tuple | None:
    """The database file's and its write-ahead log's identity, size and times; None if it is not there."""
    stamp = []
    for name in (path, f"{path}.wal"):
        try:
            found = os.stat(name)
        except FileNotFoundError:
            if name == path:
                return None
            stamp.append(None)
            continue
        stamp.append((found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns))
    return tuple(stamp)


def version() -> int:
    return st.session_state[VERSION_KEY] if VERSION_KEY in st.session_state else refresh()


def _key() -> tuple[str, int]:
    return db_path(), version()


# -- what the person may see ------------------------------------------------------
# Members whose figures the person may not see by name (``ui.access``): their rows are
# taken out of every member-level result here, inside the cached call, so a result
# cached for one audience is never served to another. Combined rows keep them.


def _hidden() -> tuple[str, ...]:
    return access.person().hidden


def _visible(frame: pd.DataFrame, hidden: tuple[str, ...]) -> pd.DataFrame:
    if not hidden:
        return frame
    return frame[~frame["member_code"].isin(hidden)].reset_index(drop=True)


def hidden_count() -> int:
    """How many members are in the combined figures but not shown individually to this person."""
    return len(_hidden())


# -- figures for a view -------------------------------------------------------
# Each cached function calls one metrics function by name, so "go to definition"
# on a page's call reaches the metric in one more hop.


@st.cache_data(show_spinner=False, max_entries=400)
def _figures(
    path: str, data_version: int, period: Period, member_codes: tuple[str, ...], top: int | None, hidden: tuple
) -> pd.DataFrame:
    with db.connect(path) as con:
        return _visible(metrics.figures(con, period, list(member_codes) or None, top=top), hidden)


def figures(view: View) -> pd.DataFrame:
    """Every figure of the view, every member (``metrics.figures``): for tiles, tables and words."""
    return _figures(*_key(), view.period, view.members, None, _hidden())


def chart_figures(view: View) -> pd.DataFrame:
    """Every figure of the view for charts: past a dozen members, each figure's ten largest
    members and one "Other members" row (``metrics.figures(..., top=)``, ``metrics.groups``)."""
    if len(coverage(view).members_expected) <= TOP + 2:
        return figures(view)  # nothing to group: the same frame, computed once
    return _figures(*_key(), view.period, view.members, TOP, _hidden())


@st.cache_data(show_spinner=False, max_entries=1000)
def _series(
    path: str,
    data_version: int,
    keys: tuple[str, ...],
    period: Period,
    member_codes: tuple[str, ...],
    breakdown: str | None,
    hidden: tuple,
) -> pd.DataFrame:
    with db.connect(path) as con:
        series = metrics.quarterly_series(
            con, list(keys), period, list(member_codes) or None, breakdown, rolling=False, top=TOP
        )
    return _visible(series, hidden)


def series(view: View, figure: Figure, breakdown: str = "all") -> pd.DataFrame:
    """One figure quarter by quarter over the view's period, for a chart (``metrics.quarterly_series``).

    Past a dozen members, the ten largest and "Other members" (``metrics.groups``).
    """
    return _series(*_key(), (figure.key,), view.period, view.members, breakdown, _hidden())


def series_by(view: View, figure: Figure, breakdowns: list[str]) -> pd.DataFrame:
    """One figure quarter by quarter for several breakdowns (streams, age groups...), one frame."""
    frame = _series(*_key(), (figure.key,), view.period, view.members, None, _hidden())
    return frame[frame["breakdown"].isin(breakdowns)].reset_index(drop=True)


def series_of(view: View, figures: list[Figure]) -> pd.DataFrame:
    """Several figures quarter by quarter (their "all" breakdown), one frame; ``measure`` tells them apart."""
    return _series(*_key(), tuple(f.key for f in figures), view.period, view.members, "all", _hidden())


@st.cache_data(show_spinner=False, max_entries=400)
def _change(
    path: str, data_version: int, period: Period, member_codes: tuple[str, ...], against: str, hidden: tuple
) -> pd.DataFrame:
    with db.connect(path) as con:
        return _visible(metrics.change(con, period, list(member_codes) or None, against=against), hidden)


def change(view: View, against: str = "year_earlier") -> pd.DataFrame:
    """Every figure beside the same period a year earlier, or the period before (``metrics.change``)."""
    return _change(*_key(), view.period, view.members, against, _hidden())


@st.cache_data(show_spinner=False, max_entries=400)
def _coverage(path: str, data_version: int, period: Period, member_codes: tuple[str, ...]) -> metrics.Coverage:
    with db.connect(path) as con:
        return metrics.coverage(con, period, list(member_codes) or None)


def coverage(view: View) -> metrics.Coverage:
    """Which members' returns are in for the view, and which are missing (``metrics.coverage``)."""
    return _coverage(*_key(), view.period, view.members)


@st.cache_data(show_spinner=False, max_entries=400)
def _summary(path: str, data_version: int, period: Period, member_codes: tuple[str, ...], hidden: tuple) -> dict:
    with db.connect(path) as con:
        result = metrics.summary(con, period, list(member_codes) or None)
    if hidden:  # their figures stay in the combined ones, never by name
        result["by_member"] = {code: row for code, row in result["by_member"].items() if code not in hidden}
        result["partial"] = without_names(result["partial"], hidden)
    return result


def summary(view: View) -> dict:
    """The headline figures of the view by their keys (``metrics.summary``)."""
    return _summary(*_key(), view.period, view.members, _hidden())


@st.cache_data(show_spinner=False, max_entries=400)
def _not_reported(
    path: str, data_version: int, period: Period, member_codes: tuple[str, ...], hidden: tuple
) -> pd.DataFrame:
    with db.connect(path) as con:
        rows = metrics.not_reported(con, period, list(member_codes) or None)
    return rows.assign(member_code=rows["member_code"].where(~rows["member_code"].isin(hidden), UNNAMED))


def not_reported(view: View) -> pd.DataFrame:
    """Quarters whose return is in but left a summed figure blank (``metrics.not_reported``)."""
    return _not_reported(*_key(), view.period, view.members, _hidden())


@st.cache_data(show_spinner=False, max_entries=200)
def _spc(path: str, data_version: int, key: str, period: Period, member_codes: tuple[str, ...]) -> SpcSeries:
    with db.connect(path) as con:
        return spc_series(con, key, period, list(member_codes) or None, settings.targets(con).get(key))


def spc(view: View, figure: Figure) -> SpcSeries:
    """The figure's SPC chart for the view's members, every quarter with returns up to the view's last
    (``metrics.variation.spc_series``): the combined figure, so no member is shown by name."""
    return _spc(*_key(), figure.key, _spc_period(view), view.members)


@st.cache_data(show_spinner=False, max_entries=100)
def _glance(path: str, data_version: int, keys: tuple[str, ...], period: Period, member_codes: tuple[str, ...]):
    with db.connect(path) as con:
        goals = settings.targets(con)
        return glance(con, [FIGURES[key] for key in keys], period, list(member_codes) or None, goals)


def variation_at_a_glance(view: View, figures: list[Figure]) -> list[SpcSeries]:
    """The SPC charts of several figures, every quarter with returns up to the view's last (one query)."""
    return _glance(*_key(), tuple(f.key for f in figures), _spc_period(view), view.members)


def _spc_period(view: View) -> Period:
    """An SPC chart's quarters: from the first with returns (or the view's first) to the view's last."""
    known = quarters()
    return Period(min(known[0], view.period.first) if known else view.period.first, view.period.last)


@st.cache_data(show_spinner=False, max_entries=100)
def _funnel(path: str, data_version: int, key: str, period: Period, member_codes: tuple, hidden: tuple) -> Funnel:
    with db.connect(path) as con:
        result = funnel(con, key, period, list(member_codes) or None)
    return Funnel(result.figure, result.rate, result.members[~result.members["member_code"].isin(hidden)])


def member_funnel(view: View, figure: Figure) -> Funnel:
    """Each member's rate against the collaborative's, with funnel limits (``metrics.funnel``)."""
    return _funnel(*_key(), figure.key, view.period, view.members, _hidden())


# -- what members do together --------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=100)
def _joint_work(
    path: str, data_version: int, period: Period, member_codes: tuple[str, ...], hidden: tuple
) -> JointWork:
    with db.connect(path) as con:
        result = metrics_joint_work.joint_work(con, period, list(member_codes) or None)
    return metrics_joint_work.without_members(result, hidden)


def joint_work(view: View) -> JointWork:
    """The period's joint work (``metrics.joint_work.joint_work``); members not shown by name left out."""
    return _joint_work(*_key(), view.period, view.members, _hidden())


@st.cache_data(show_spinner=False, max_entries=20)
def _register(path: str, data_version: int) -> Register:
    with db.connect(path) as con:
        return joint_work_store.current(con)


def register() -> Register:
    """The joint work register as it stands (``store.joint_work.current``)."""
    return _register(*_key())


def joint_timeline(view: View) -> pd.DataFrame:
    """Every project of the register with a member in the view, for the timeline (``metrics.joint_work.timeline``)."""
    chosen = set(view.members) if view.members else None
    frame = metrics_joint_work.timeline(register(), chosen)
    hidden = set(_hidden())
    if hidden:
        frame = frame.assign(members=[tuple(c for c in m if c not in hidden) for m in frame["members"]])
    return frame


def latest_quarter() -> int | None:
    """The latest quarter with a current return, or None."""
    found = quarters()
    return found[-1] if found else None


@st.cache_data(show_spinner=False, max_entries=20)
def _register_versions(path: str, data_version: int) -> pd.DataFrame:
    with db.connect(path) as con:
        return joint_work_store.versions(con)


def register_versions() -> pd.DataFrame:
    """Every version of the register, newest first (``store.joint_work.versions``)."""
    return _register_versions(*_key())


@st.cache_data(show_spinner=False, max_entries=20)
def _bed_day_cost(path: str, data_version: int) -> BedDayCost:
    with db.connect(path) as con:
        return bed_day_cost(con)


def value(view: View) -> ValueAdded:
    """The value the collaborative adds in the view, each with its assumption (``metrics.value.value_added``),
    from the view's figures and joint work as already cached (it reads their combined values only)."""
    return value_added(figures(view), joint_work(view), volunteer_rate(), _bed_day_cost(*_key()))


# -- the quarterly cycle -----------------------------------------------------------------


def cycle_today() -> date:
    """The day the quarterly cycle is seen from: today, or the demo collaborative's own day."""
    pinned = setting(settings.DEMO_TODAY) if setting("demo") == "yes" else ""
    try:
        return date.fromisoformat(pinned) if pinned else date.today()
    except ValueError:
        return date.today()


@st.cache_data(show_spinner=False, max_entries=50)
def _return_states(path: str, data_version: int, period: Period, today: date) -> pd.DataFrame:
    with db.connect(path) as con:
        return metrics_returns.return_states(con, period, today)


def return_states(period: Period, today: date) -> pd.DataFrame:
    """Every member x quarter of the period: state, due and received dates (``metrics.returns.return_states``)."""
    return _return_states(*_key(), period, today)


# -- the records around the figures ------------------------------------------


@st.cache_data(show_spinner=False, max_entries=20)
def _registry(path: str, data_version: int) -> pd.DataFrame:
    with db.connect(path) as con:
        return members.all_members(con)


def registry() -> pd.DataFrame:
    """The member registry: code, name, type, place; ordered by name."""
    return _registry(*_key())


@st.cache_data(show_spinner=False, max_entries=20)
def _history(path: str, data_version: int) -> pd.DataFrame:
    with db.connect(path) as con:
        return submissions.history(con)


def history() -> pd.DataFrame:
    """Every submission ever loaded, newest first (``store.submissions.history``); a member lead's own only."""
    frame = _history(*_key())
    who = access.person()
    return frame if who.is_coordinator else frame[frame["member_code"] == who.member].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=20)
def _settings(path: str, data_version: int) -> dict[str, str]:
    with db.connect(path) as con:
        return {key: settings.get(con, key) for key in settings.DEFAULTS}


@st.cache_data(show_spinner=False, max_entries=100)
def _members_words(
    path: str, data_version: int, period: Period, member_codes: tuple[str, ...], hidden: tuple
) -> pd.DataFrame:
    with db.connect(path) as con:
        words = submissions.members_words(con, period.first, period.last, list(member_codes) or None)
    return words[~words["member_code"].isin(hidden)].reset_index(drop=True)


def members_words(view: View) -> pd.DataFrame:
    """What members wrote on their returns' Return sheets in the view (``store.submissions.members_words``)."""
    return _members_words(*_key(), view.period, view.members, _hidden())


@st.cache_data(show_spinner=False, max_entries=100)
def _warnings_of(path: str, data_version: int, submission_id: int) -> pd.DataFrame:
    with db.connect(path) as con:
        return submissions.warnings_of(con, submission_id)


def warnings_of(submission_id: int) -> pd.DataFrame:
    """The warnings a return was accepted with (``store.submissions.warnings_of``)."""
    return _warnings_of(*_key(), submission_id)


@st.cache_data(show_spinner=False, max_entries=20)
def _targets(path: str, data_version: int) -> dict[str, float]:
    with db.connect(path) as con:
        return settings.targets(con)


def targets() -> dict[str, float]:
    """Figure key -> the target set for it (``store.settings.targets``)."""
    return _targets(*_key())


@st.cache_data(show_spinner=False, max_entries=20)
def _users(path: str, data_version: int) -> pd.DataFrame:
    with db.connect(path) as con:
        return users.all_users(con)


def users_frame() -> pd.DataFrame:
    return _users(*_key())


@st.cache_data(show_spinner=False, max_entries=20)
def _sharing(path: str, data_version: int) -> dict[str, dict[str, bool]]:
    with db.connect(path) as con:
        return users.sharing(con)


def sharing() -> dict[str, dict[str, bool]]:
    """Member code -> {audience: shown by name} (``store.users.sharing``)."""
    return _sharing(*_key())


def audit_log() -> pd.DataFrame:
    """Everything recorded, newest first (``store.users.audit_log``); read fresh, never cached."""
    with db.connect() as con:
        return users.audit_log(con)


def setting(key: str) -> str:
    return _settings(*_key())[key]


@st.cache_data(show_spinner=False, max_entries=20)
def _volunteer_rate(path: str, data_version: int) -> metrics.VolunteerRate:
    with db.connect(path) as con:
        return metrics.volunteer_rate(con)


def volunteer_rate() -> metrics.VolunteerRate:
    """How volunteer time is valued, and the sentence that says so (``metrics.volunteer_rate``)."""
    return _volunteer_rate(*_key())


def quarters() -> list[int]:
    """Quarter indexes that have at least one current return, oldest first."""
    frame = _history(*_key())
    return sorted(int(i) for i in frame.loc[frame["status"] == "current", "quarter_index"].unique())


def default_period() -> Period | None:
    """The latest complete financial year; else the latest year with any data; None when empty."""
    years = years_of(quarters())
    for fy in years:
        if coverage(View(Period.year(fy))).complete:
            return Period.year(fy)
    return Period.year(years[0]) if years else None


def names() -> dict[str, str]:
    """Member code -> name, for legends and labels."""
    frame = registry()
    return dict(zip(frame["code"], frame["name"]))


def colours() -> dict[str, str]:
    """A stable colour per member of the whole registry (never of the members on screen)."""
    return member_colours(list(registry()["code"]))
