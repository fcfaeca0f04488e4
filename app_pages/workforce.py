"""Workforce: staff by group (headcount and FTE), vacancies over time, volunteers and their time."""

import streamlit as st

import charts
from common.words import markdown_safe
from metrics import format as fmt
from metrics import value_of
from metrics.workforce import STAFF_FTE, STAFF_HEADCOUNT, VACANCY_RATE, VOLUNTEER_HOURS, VOLUNTEER_VALUE_GBP, VOLUNTEERS
from ui import cached, show, sidebar
from ui.view import trend_view

view = sidebar.view()
st.title("Workforce")
if show.no_data(view):
    st.stop()

show.figure_tiles(
    view,
    {
        STAFF_HEADCOUNT: "Staff",
        STAFF_FTE: "Staff FTE",
        VACANCY_RATE: None,
        VOLUNTEERS: "Volunteers",
        VOLUNTEER_VALUE_GBP: "Value of volunteer time",
    },
)
show.spc_section(view, [STAFF_HEADCOUNT, VACANCY_RATE, VOLUNTEERS, VOLUNTEER_HOURS])
figures, frame = cached.figures(view), cached.chart_figures(view)
names, colours, note = cached.names(), cached.colours(), show.note(view)
over_time = trend_view(view, cached.quarters())
groups = STAFF_HEADCOUNT.breakdown_labels

left, right = st.columns(2)
with left:
    fig = charts.breakdown(
        frame,
        STAFF_HEADCOUNT.key,
        f"{fmt.count(value_of(figures, STAFF_HEADCOUNT))} staff at the end of {view.period.label}, by group",
        labels=groups,
    )
    show.chart(fig, show.rows(frame, STAFF_HEADCOUNT), "staff-headcount-by-group", note)
with right:
    fig = charts.breakdown(
        frame,
        STAFF_FTE.key,
        f"{fmt.decimal(value_of(figures, STAFF_FTE))} full-time equivalent staff, by group",
        labels=groups,
    )
    show.chart(fig, show.rows(frame, STAFF_FTE), "staff-fte-by-group", note)

vacancies = cached.series(over_time, VACANCY_RATE)
fig = charts.trend(
    vacancies,
    f"Vacancy rate: {fmt.percent(value_of(figures, VACANCY_RATE))} of funded posts "
    f"empty at the end of {view.period.label}",
    names=names,
    colours=colours,
)
show.chart(fig, vacancies, "vacancy-rate-over-time", note)

st.subheader("Volunteers")
st.caption(markdown_safe(cached.volunteer_rate().assumption))
left, right = st.columns(2)
with left:
    volunteers = cached.series(over_time, VOLUNTEERS)
    fig = charts.trend(
        volunteers,
        f"{fmt.count(value_of(figures, VOLUNTEERS))} active volunteers",
        names=names,
        colours=colours,
        stacked=True,
    )
    show.chart(fig, volunteers, "volunteers-over-time", note)
with right:
    hours = cached.series(over_time, VOLUNTEER_HOURS)
    fig = charts.trend(
        hours,
        f"{fmt.count(value_of(figures, VOLUNTEER_HOURS))} volunteer hours, worth "
        f"{fmt.money(value_of(figures, VOLUNTEER_VALUE_GBP))}",
        names=names,
        colours=colours,
        stacked=True,
    )
    show.chart(fig, hours, "volunteer-hours-over-time", show.note(view, VOLUNTEER_HOURS))
fig = charts.by_member(
    frame, VOLUNTEER_VALUE_GBP.key, "Estimated value of each member's volunteer time", names=names, colours=colours
)
show.chart(
    fig,
    show.rows(frame, VOLUNTEER_HOURS, VOLUNTEER_VALUE_GBP),
    "volunteer-value-by-member",
    show.note(view, VOLUNTEER_HOURS),
)
