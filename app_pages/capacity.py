"""Capacity: inpatient beds and occupancy over time, bed days, hospice at home and day services."""

import streamlit as st

import charts
from common.words import COMBINED
from metrics import format as fmt
from ui import cached, show, sidebar
from ui.view import trend_view

view = sidebar.view()
st.title("Capacity")
if show.no_data(view):
    st.stop()

show.figure_tiles(view, {"ipu_beds": "Inpatient beds", "occupancy_rate": "Occupancy",
                         "bed_days_available": "Bed days available", "hah_capacity": "Hospice at home capacity",
                         "day_places": "Day places a week"})
summary, frame = cached.summary(view), cached.chart_figures(view)
names, colours, note = cached.names(), cached.colours(), show.note(view)
over_time = trend_view(view, cached.quarters())

left, right = st.columns(2)
with left:
    beds = cached.series(over_time, "ipu_beds")
    fig = charts.trend(beds, f"{fmt.decimal(summary['ipu_beds'], 0)} inpatient beds open on average in "
                             f"{view.period.label}", names=names, colours=colours, stacked=True)
    show.chart(fig, beds, "beds-over-time", note)
with right:
    occupancy = cached.series(over_time, "occupancy_rate")
    fig = charts.trend(occupancy, f"Beds were {fmt.percent(summary['occupancy_rate'])} occupied in "
                                  f"{view.period.label}", names=names, colours=colours)
    show.chart(fig, occupancy, "occupancy-over-time", note)

days = cached.series_of(over_time, ["bed_days_available", "occupied_bed_days"])
fig = charts.trend(days, f"{fmt.count(summary['occupied_bed_days'])} of {fmt.count(summary['bed_days_available'])} "
                         f"bed days used in {view.period.label}", by="measure", member_code=COMBINED,
                   names={"bed_days_available": "Bed days available", "occupied_bed_days": "Occupied bed days"},
                   colours={"bed_days_available": "#999999", "occupied_bed_days": "#0072B2"})
show.chart(fig, days, "bed-days-over-time", note)

st.subheader("Care at home and in the day")
left, right = st.columns(2)
with left:
    fig = charts.by_member(frame, "hah_capacity", f"Hospice at home can care for {fmt.count(summary['hah_capacity'])} "
                                                  "patients at once", names=names, colours=colours)
    show.chart(fig, show.rows(frame, "hah_capacity"), "hospice-at-home-capacity", note)
with right:
    fig = charts.by_member(frame, "day_places", f"{fmt.count(summary['day_places'])} day service places a week",
                           names=names, colours=colours)
    show.chart(fig, show.rows(frame, "day_places"), "day-places", note)
