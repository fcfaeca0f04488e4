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

import pandas as pd
import streamlit as st

import metrics
from charts.palette import member_colours
from contract.periods import Period
from metrics.definitions import BREAKDOWN_LABELS
from metrics.groups import TOP
from store import db, events, members, settings, submissions
from ui.view import View, years_of

VERSION_KEY = "data_version"


def db_path() -> str:
    return str(db.database_path())


_SEEN: dict[str, tuple[tuple, int]] = {}       # database path -> (its files' stamp, data version read)


def refresh() -> int:
    """Read the data version (once a run, from ``dashboard.py``, and after any change).

    Opening the database costs more than the rest of a cached page, so the version
    is read again only when the database's files have changed since it was last read
    (any write changes the size or time of the file or of its write-ahead log).
    """
    path = db_path()
    stamp = _stamp(path)           # before reading: a write after this shows as a change next time
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


# -- figures for a view -------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=400)
def _metric(name: str, path: str, data_version: int, first: int, last: int, member_codes: tuple[str, ...],
            options: tuple = ()) -> object:
    with db.connect(path) as con:
        return getattr(metrics, name)(con, Period(first, last), list(member_codes) or None, **dict(options))


def _call(name: str, view: View, **options) -> object:
    return _metric(name, *_key(), view.period.first, view.period.last, view.members,
                   tuple(sorted(options.items())))


def figures(view: View) -> pd.DataFrame:
    """Every figure of the view, every member (``metrics.figures``): for tiles, tables and words."""
    return _call("figures", view)


def chart_figures(view: View) -> pd.DataFrame:
    """Every figure of the view for charts: past a dozen members, each figure's ten largest
    members and one "Other members" row (``metrics.figures(..., top=)``, ``metrics.groups``)."""
    if len(coverage(view).members_expected) <= TOP + 2:
        return figures(view)            # nothing to group: the same frame, computed once
    return _call("figures", view, top=TOP)


@st.cache_data(show_spinner=False, max_entries=1000)
def _series(path: str, data_version: int, figures: tuple[str, ...], first: int, last: int,
            member_codes: tuple[str, ...], breakdown: str | None) -> pd.DataFrame:
    with db.connect(path) as con:
        return metrics.quarterly_series(con, list(figures), Period(first, last), list(member_codes) or None,
                                        breakdown, rolling=False, top=TOP)


def series(view: View, figure: str, breakdown: str = "all") -> pd.DataFrame:
    """One figure quarter by quarter over the view's period, for a chart (``metrics.quarterly_series``).

    Past a dozen members, the ten largest and "Other members" (``metrics.groups``).
    """
    return _series(*_key(), (figure,), view.period.first, view.period.last, view.members, breakdown)


def series_by(view: View, figure: str, breakdowns: list[str]) -> pd.DataFrame:
    """One figure quarter by quarter for several breakdowns (streams, age groups...), one frame."""
    frame = _series(*_key(), (figure,), view.period.first, view.period.last, view.members, None)
    return frame[frame["breakdown"].isin(breakdowns)].reset_index(drop=True)


def series_of(view: View, figures: list[str]) -> pd.DataFrame:
    """Several figures quarter by quarter (their "all" breakdown), one frame; ``measure`` tells them apart."""
    return _series(*_key(), tuple(figures), view.period.first, view.period.last, view.members, "all")


def change(view: View, against: str = "year_earlier") -> pd.DataFrame:
    return _call("change", view, against=against)


def coverage(view: View):
    return _call("coverage", view)


def completeness(view: View) -> pd.DataFrame:
    return _call("completeness", view)


def summary(view: View) -> dict:
    return _call("summary", view)


def not_reported(view: View) -> pd.DataFrame:
    """Quarters whose return is in but left a summed figure blank (``metrics.not_reported``)."""
    return _call("not_reported", view)


# -- the records around the figures ------------------------------------------

@st.cache_data(show_spinner=False, max_entries=50)
def _read(what: str, path: str, data_version: int) -> object:
    with db.connect(path) as con:
        if what == "members":
            return members.all_members(con)
        if what == "history":
            return submissions.history(con)
        if what == "settings":
            return {key: settings.get(con, key) for key in settings.DEFAULTS}
        if what == "volunteer_rate":
            return metrics.volunteer_rate(con)
    raise ValueError(what)


def registry() -> pd.DataFrame:
    """The member registry: code, name, type, place; ordered by name."""
    return _read("members", *_key())


def history() -> pd.DataFrame:
    return _read("history", *_key())


def setting(key: str) -> str:
    return _read("settings", *_key())[key]


def volunteer_rate():
    return _read("volunteer_rate", *_key())


def quarters() -> list[int]:
    """Quarter indexes that have at least one current return, oldest first."""
    frame = history()
    return sorted(int(i) for i in frame.loc[frame["status"] == "current", "quarter_index"].unique())


def default_period() -> Period | None:
    """The latest complete financial year; else the latest year with any data; None when empty."""
    years = years_of(quarters())
    for fy in years:
        if coverage(View(Period.year(fy))).complete:
            return Period.year(fy)
    return Period.year(years[0]) if years else None


@st.cache_data(show_spinner=False)
def definitions() -> pd.DataFrame:
    return metrics.definitions()


def names() -> dict[str, str]:
    """Member code -> name, for legends and labels."""
    frame = registry()
    return dict(zip(frame["code"], frame["name"]))


def colours() -> dict[str, str]:
    """A stable colour per member of the whole registry (never of the members on screen)."""
    return member_colours(list(registry()["code"]))


def _about(figure: str, column: str) -> str:
    frame = definitions()
    return frame.loc[frame["key"] == figure, column].iloc[0]


def label(figure: str) -> str:
    """The figure's plain-English label, from ``metrics.definitions``."""
    return _about(figure, "label")


def unit(figure: str) -> str:
    return _about(figure, "unit")


def kind(figure: str) -> str:
    """flow, stock, mean, unique or rate."""
    return _about(figure, "kind")


def definition(figure: str) -> str:
    return _about(figure, "definition")


def breakdown_labels(figure: str) -> dict[str, str]:
    """The figure's breakdown keys (streams, staff groups, age groups) -> labels, in contract order."""
    frame = definitions()
    keys = frame.loc[frame["key"] == figure, "breakdowns"].iloc[0]
    return {key: BREAKDOWN_LABELS.get(key, key) for key in keys}

