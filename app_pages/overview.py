"""Overview: the headline figures for the chosen period, and the "one voice" statement."""

import streamlit as st

import charts
from common.words import markdown_safe
from metrics import format as fmt
from metrics import value_of
from metrics.activity import COMMUNITY_CONTACTS, HAH_VISITS, NEW_REFERRALS, PEOPLE_SUPPORTED, PREFERRED_PLACE_RATE
from metrics.capacity import IPU_BEDS, OCCUPANCY_RATE
from metrics.income import INCOME_TOTAL, STATUTORY_SHARE
from metrics.workforce import (
    STAFF_AND_VOLUNTEERS,
    STAFF_FTE,
    STAFF_HEADCOUNT,
    VACANCY_RATE,
    VOLUNTEER_HOURS,
    VOLUNTEERS,
)
from ui import cached, show, sidebar, upload, welcome
from ui.view import View

view = sidebar.view()
if view is None:
    welcome.first_page()
    st.stop()

upload.results()
name = cached.setting("collaborative_name")
st.title(f"{markdown_safe(name)}: {view.period.label}")
st.caption(f"{fmt.period_title(view.period)}. Change is against the same period a year earlier.")
if show.no_data(view):
    st.stop()

summary = cached.summary(view)
figures = cached.figures(view)
changes = cached.change(view, against="year_earlier")
show.incomplete_badge(cached.coverage(view))

income, people, beds, reach = st.columns(4)
with income:
    show.tile(
        "Combined income",
        fmt.money(value_of(figures, INCOME_TOTAL)),
        show.change_row(changes, INCOME_TOTAL),
        f"{fmt.percent(value_of(figures, STATUTORY_SHARE))} statutory (NHS and other public funds)",
        help="All income of the members in the period, summed over its quarters.",
        partial=show.blank_notes(view, INCOME_TOTAL, STATUTORY_SHARE),
    )
with people:
    show.tile(
        "Staff and volunteers",
        fmt.count(value_of(figures, STAFF_AND_VOLUNTEERS)),
        show.change_row(changes, STAFF_AND_VOLUNTEERS),
        f"{fmt.count(value_of(figures, STAFF_HEADCOUNT))} staff "
        f"({fmt.decimal(value_of(figures, STAFF_FTE))} FTE) "
        f"and {fmt.count(value_of(figures, VOLUNTEERS))} volunteers",
        help="Headcount and active volunteers at the end of each member's latest quarter in the period.",
        partial=show.blank_notes(view, STAFF_AND_VOLUNTEERS, STAFF_HEADCOUNT, VOLUNTEERS),
    )
with beds:
    show.tile(
        "Inpatient beds",
        fmt.beds(value_of(figures, IPU_BEDS)),
        show.change_row(changes, OCCUPANCY_RATE),
        f"{fmt.percent(value_of(figures, OCCUPANCY_RATE))} occupied; change shown is in occupancy",
        help="Average beds open over the period, and occupied bed days / bed days available.",
        partial=show.blank_notes(view, IPU_BEDS, OCCUPANCY_RATE),
    )
with reach:
    show.tile(
        "People supported",
        fmt.count(value_of(figures, PEOPLE_SUPPORTED)),
        show.change_row(changes, PEOPLE_SUPPORTED),
        show.children(value_of(figures, PEOPLE_SUPPORTED, "under_18")),
        help="Each person counted once in the period, however many quarters they were cared for.",
        partial=show.blank_notes(view, PEOPLE_SUPPORTED),
    )

st.subheader("In one sentence")
st.caption("Copy this into a board paper or a letter (the copy button is at the top right of the box).")
st.code(
    charts.statement(summary, name, members_in=len(cached.coverage(View(view.period)).members_expected)),
    language=None,
    wrap_lines=True,
)

st.subheader("Member by member")
frame, note = cached.chart_figures(view), show.note(view)
colours, names = cached.colours(), cached.names()
for column, (figure, what) in zip(st.columns(2), [(PEOPLE_SUPPORTED, "people supported"), (INCOME_TOTAL, "income")]):
    with column:
        fig = charts.share(frame, figure.key, f"Each member's share of the {what}", names=names, colours=colours)
        show.chart(fig, show.rows(frame, figure), f"overview-share-{figure.key}", note)

st.subheader("Variation at a glance")
show.variation_table(
    view,
    [
        INCOME_TOTAL,
        STATUTORY_SHARE,
        STAFF_HEADCOUNT,
        VACANCY_RATE,
        VOLUNTEERS,
        VOLUNTEER_HOURS,
        IPU_BEDS,
        OCCUPANCY_RATE,
        PEOPLE_SUPPORTED,
        NEW_REFERRALS,
        COMMUNITY_CONTACTS,
        HAH_VISITS,
        PREFERRED_PLACE_RATE,
    ],
)
