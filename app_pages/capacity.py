"""Capacity: inpatient beds and occupancy over time, bed days, hospice at home and day services."""

import streamlit as st

import charts
from common.words import COMBINED
from metrics import format as fmt
from metrics import value_of
from metrics.activity import OCCUPIED_BED_DAYS
from metrics.capacity import BED_DAYS_AVAILABLE, DAY_PLACES, HAH_CAPACITY, IPU_BEDS, OCCUPANCY_RATE
from ui import cached, show, sidebar
from ui.view import trend_view

view = sidebar.view()
st.title("Capacity")
if show.no_data(view):
    st.stop()

show.figure_tiles(
    view,
    {
        IPU_BEDS: "Inpatient beds",
        OCCUPANCY_RATE: "Occupancy",
        BED_DAYS_AVAILABLE: "Bed days available",
        HAH_CAPACITY: "Hospice at home capacity",
        DAY_PLACES: "Day places a week",
    },
)
show.spc_section(view, [IPU_BEDS, OCCUPANCY_RATE, OCCUPIED_BED_DAYS, BED_DAYS_AVAILABLE])
figures, frame = cached.figures(view), cached.chart_figures(view)
names, colours, note = cached.names(), cached.colours(), show.note(view)
over_time = trend_view(view, cached.quarters())

left, right = st.columns(2)
with left:
    beds = cached.series(over_time, IPU_BEDS)
    fig = charts.trend(
        beds,
        f"{fmt.beds(value_of(figures, IPU_BEDS))} inpatient beds open on average in {view.period.label}",
        names=names,
        colours=colours,
        stacked=True,
    )
    show.chart(fig, beds, "beds-over-time", note)
with right:
    occupancy = cached.series(over_time, OCCUPANCY_RATE)
    fig = charts.trend(
        occupancy,
        f"Beds were {fmt.percent(value_of(figures, OCCUPANCY_RATE))} occupied in {view.period.label}",
        names=names,
        colours=colours,
    )
    show.chart(fig, occupancy, "occupancy-over-time", note)

days = cached.series_of(over_time, [BED_DAYS_AVAILABLE, OCCUPIED_BED_DAYS])
fig = charts.trend(
    days,
    f"{fmt.count(value_of(figures, OCCUPIED_BED_DAYS))} of "
    f"{fmt.count(value_of(figures, BED_DAYS_AVAILABLE))} bed days used in {view.period.label}",
    by="measure",
    member_code=COMBINED,
    names={BED_DAYS_AVAILABLE.key: "Bed days available", OCCUPIED_BED_DAYS.key: "Occupied bed days"},
    colours={BED_DAYS_AVAILABLE.key: "#999999", OCCUPIED_BED_DAYS.key: "#0072B2"},
)
show.chart(fig, days, "bed-days-over-time", note)

st.subheader("Care at home and in the day")
left, right = st.columns(2)
with left:
    fig = charts.by_member(
        frame,
        HAH_CAPACITY.key,
        f"Hospice at home can care for {fmt.count(value_of(figures, HAH_CAPACITY))} patients at once",
        names=names,
        colours=colours,
    )
    show.chart(fig, show.rows(frame, HAH_CAPACITY), "hospice-at-home-capacity", note)
with right:
    fig = charts.by_member(
        frame,
        DAY_PLACES.key,
        f"{fmt.count(value_of(figures, DAY_PLACES))} day service places a week",
        names=names,
        colours=colours,
    )
    show.chart(fig, show.rows(frame, DAY_PLACES), "day-places", note)
