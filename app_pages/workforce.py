"""Workforce: staff by group (headcount and FTE), vacancies over time, volunteers and their time."""

import streamlit as st

import charts
from metrics import format as fmt
from ui import cached, show, sidebar
from ui.view import trend_view

view = sidebar.view()
st.title("Workforce")
if show.no_data(view):
    st.stop()

show.figure_tiles(view, {"staff_headcount": "Staff", "staff_fte": "Staff FTE", "vacancy_rate": None,
                         "volunteers": "Volunteers", "volunteer_value_gbp": "Value of volunteer time"})
summary, frame = cached.summary(view), cached.chart_figures(view)
names, colours, note = cached.names(), cached.colours(), show.note(view)
over_time = trend_view(view, cached.quarters())
groups = cached.breakdown_labels("staff_headcount")

left, right = st.columns(2)
with left:
    fig = charts.breakdown(frame, "staff_headcount", f"{fmt.count(summary['staff_headcount'])} staff at the end "
                                                     f"of {view.period.label}, by group", labels=groups)
    show.chart(fig, show.rows(frame, "staff_headcount"), "staff-headcount-by-group", note)
with right:
    fig = charts.breakdown(frame, "staff_fte", f"{fmt.decimal(summary['staff_fte'])} full-time equivalent staff, "
                                               "by group", labels=groups)
    show.chart(fig, show.rows(frame, "staff_fte"), "staff-fte-by-group", note)

vacancies = cached.series(over_time, "vacancy_rate")
fig = charts.trend(vacancies, f"Vacancy rate: {fmt.percent(summary['vacancy_rate'])} of funded posts empty at "
                              f"the end of {view.period.label}", names=names, colours=colours)
show.chart(fig, vacancies, "vacancy-rate-over-time", note)

st.subheader("Volunteers")
st.caption(cached.volunteer_rate().assumption)
left, right = st.columns(2)
with left:
    volunteers = cached.series(over_time, "volunteers")
    fig = charts.trend(volunteers, f"{fmt.count(summary['volunteers'])} active volunteers",
                       names=names, colours=colours, stacked=True)
    show.chart(fig, volunteers, "volunteers-over-time", note)
with right:
    hours = cached.series(over_time, "volunteer_hours")
    fig = charts.trend(hours, f"{fmt.count(summary['volunteer_hours'])} volunteer hours, worth "
                              f"{fmt.money(summary['volunteer_value_gbp'])}", names=names, colours=colours,
                       stacked=True)
    show.chart(fig, hours, "volunteer-hours-over-time", show.note(view, "volunteer_hours"))
fig = charts.by_member(frame, "volunteer_value_gbp", "Estimated value of each member's volunteer time",
                       names=names, colours=colours)
show.chart(fig, show.rows(frame, "volunteer_hours", "volunteer_value_gbp"), "volunteer-value-by-member",
           show.note(view, "volunteer_hours"))
