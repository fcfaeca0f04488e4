"""The Data page's "This quarter" view: who owes a return, when it was due, chasing, and each member's on-time record.

The states and dates are ``metrics.returns`` (through ``ui.cached.return_states``); the prepared
emails and the CSV of who owes what are ``exports.chasing``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.cycle import STATE_LOOK, state_grid
from common.words import markdown_safe
from contract.periods import Period, long_date, quarter_label
from exports import chasing
from metrics import format as fmt
from metrics.returns import OWING, collecting, on_time_rates
from ui import access, cached, show

RECORD_QUARTERS = 4  # the on-time record looks back this many quarters


def this_quarter() -> None:
    """The quarter being collected and the one before: each member's state, owing members first."""
    today = cached.cycle_today()
    now = collecting(today)
    registry = cached.registry()
    if registry.empty:
        st.info("Add members first: the quarterly cycle follows the members in the registry.")
        return
    demo = " (the demo collaborative is seen from its own day)" if today != pd.Timestamp.today().date() else ""
    st.caption(
        f"As at {long_date(today)}{demo}. Returns are due {markdown_safe(cached.setting('return_due_days'))} "
        f"days after a quarter ends (change it in Settings below). {quarter_label(now)} is the quarter being collected."
    )
    states = cached.return_states(Period(now - 1, now), today)
    for index in (now, now - 1):
        rows = states[states["quarter_index"] == index]
        owing = int(rows["state"].isin(OWING).sum())
        st.markdown(f"**{quarter_label(index)}**: " + (f"{owing} still owed" if owing else "nothing owed"))
        st.dataframe(_table(rows), hide_index=True, width="stretch", column_config=_COLUMNS)
    _record(today, now)
    _chase(states, today, now)


_ORDER = {"overdue": 0, "due": 1, "late": 2, "in": 3, "not_open": 4, "not_required": 5}
_COLUMNS = {
    "Member": st.column_config.TextColumn(width="medium"),
    "State": st.column_config.TextColumn(width="small"),
    "Data lead": st.column_config.TextColumn(width="medium"),
}


def _table(rows: pd.DataFrame) -> pd.DataFrame:
    ordered = rows.assign(order=rows["state"].map(_ORDER)).sort_values(["order", "member_name"])
    return pd.DataFrame(
        {
            "Member": ordered["member_name"],
            "State": [f"{STATE_LOOK[s][0]} {STATE_LOOK[s][1]}" for s in ordered["state"]],
            "Due": [long_date(d) for d in ordered["due"]],
            "Received": [long_date(d) if d is not None and not pd.isna(d) else "" for d in ordered["received"]],
            "Data lead": [_contact(c, e) for c, e in zip(ordered["contact"], ordered["email"])],
        }
    )


def _contact(contact, email) -> str:
    parts = [p for p in (contact, email) if isinstance(p, str) and p]
    return ", ".join(parts) if parts else "none on the registry"


def _record(today, now: int) -> None:
    """Each member's share of returns in on time over the last four quarters."""
    period = Period(now - RECORD_QUARTERS + 1, now)
    rates = on_time_rates(cached.return_states(period, today), today)
    names = cached.names()
    frame = pd.DataFrame(
        {
            "Member": [names.get(code, code) for code in rates],
            f"On time, {period.label}": [fmt.percent(rate, 0, missing="none due yet") for rate in rates.values()],
        }
    )
    st.markdown("**On-time record**")
    st.caption(
        "Of each member's returns due in the last four quarters (once the due date has passed), the share that "
        "arrived on time. A resubmission never makes an on-time return late."
    )
    st.dataframe(frame, hide_index=True, width="content")


def _chase(states: pd.DataFrame, today, now: int) -> None:
    name = cached.setting("collaborative_name")
    signed = access.person().by or ""
    chased = chasing.chases(states, name, signed)
    st.markdown("**Chasing**")
    if not chased:
        st.caption("Nobody owes a return for these quarters.")
        return
    st.caption(
        "A prepared email for each member that owes a return: it opens in your own mail program, ready to send "
        "(One Voice sends nothing), or copy its words. Attach the blank return from 'Blank return template' below."
    )
    everyone = chasing.chase_all(chased, name, quarter_label(now), signed)
    left, right = st.columns(2)
    if everyone is not None:
        left.link_button("Email every member that owes", everyone.mailto, icon=":material/forward_to_inbox:")
    right.download_button(
        "Who owes what (CSV)",
        chasing.owing_csv(states, today),
        file_name=f"returns owed {today.isoformat()}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    for chase in chased:
        with st.expander(markdown_safe(chase.subject.removeprefix(f"{name}: "))):
            if chase.to:
                st.link_button(f"Open the email to {markdown_safe(chase.to)}", chase.mailto, icon=":material/mail:")
            else:
                st.warning(
                    f"{markdown_safe(chase.member_name)} has no data lead's email on the registry: add one under "
                    "Members below, or copy the email into your own.",
                    icon=":material/person_off:",
                )
            st.text(f"Subject: {chase.subject}")
            st.code(chase.body, language=None, wrap_lines=True)


def state_grid_chart() -> None:
    """Member x quarter, coloured by state, up to the quarter being collected."""
    today = cached.cycle_today()
    last = collecting(today)
    quarters = cached.quarters()
    first = min(quarters[0], last) if quarters else last
    period = Period(first, max(last, quarters[-1]) if quarters else last)
    states = cached.return_states(period, today)
    owed = int(states["state"].isin(OWING).sum())
    title = "Every return is in" if not owed else f"{owed} return(s) owed"
    fig = state_grid(states, f"{title}, {period.label}", names=cached.names())
    show.chart(
        fig,
        states.drop(columns=["contact", "email"]),
        "returns-by-state",
        f"As at {long_date(today)}, up to {quarter_label(last)}, the quarter being collected. "
        + ", ".join(f"{mark} {words}" for mark, words, _ in STATE_LOOK.values())
        + ".",
    )
