"""Overview: the headline figures for the chosen period, and the "one voice" statement."""

import streamlit as st

import charts
from metrics import format as fmt
from ui import cached, show, sidebar, upload, welcome

view = sidebar.view()
if view is None:
    welcome.first_page()
    st.stop()

upload.results()
name = cached.setting("collaborative_name")
st.title(f"{name}: {view.period.label}")
st.caption(f"{fmt.period_title(view.period)}. Change is against the same period a year earlier.")
if show.no_data(view):
    st.stop()

summary = cached.summary(view)
changes = cached.change(view, against="year_earlier")
coverage = cached.coverage(view)
show.incomplete_badge(coverage)

income, people, beds, reach = st.columns(4)
with income:
    show.tile("Combined income", fmt.money(summary["income_total"]), show.change_row(changes, "income_total"),
              f"{fmt.percent(summary['statutory_share'])} statutory (NHS and other public funds)",
              help="All income of the members in the period, summed over its quarters.")
with people:
    show.tile("Staff and volunteers", fmt.count(summary["staff_and_volunteers"]),
              show.change_row(changes, "staff_and_volunteers"),
              f"{fmt.count(summary['staff_headcount'])} staff ({fmt.decimal(summary['staff_fte'])} FTE) "
              f"and {fmt.count(summary['volunteers'])} volunteers",
              help="Headcount and active volunteers at the end of each member's latest quarter in the period.")
with beds:
    show.tile("Inpatient beds", fmt.decimal(summary["ipu_beds"], 0), show.change_row(changes, "occupancy_rate"),
              f"{fmt.percent(summary['occupancy_rate'])} occupied; change shown is in occupancy",
              help="Average beds open over the period, and occupied bed days / bed days available.")
with reach:
    show.tile("People supported", fmt.count(summary["people_supported"]),
              show.change_row(changes, "people_supported"),
              f"{fmt.count(summary['people_supported_by_age_group']['under_18'])} children and young people "
              f"under 18", help="Each person counted once in the period, however many quarters they were cared for.")

st.subheader("In one sentence")
st.caption("Copy this into a board paper or a letter (the copy button is at the top right of the box).")
st.code(charts.statement(summary, name), language=None, wrap_lines=True)

st.subheader("Member by member")
frame, note = cached.chart_figures(view), show.note(view)
colours, names = cached.colours(), cached.names()
for column, (figure, what) in zip(st.columns(2), [("people_supported", "people supported"),
                                                  ("income_total", "income")]):
    with column:
        fig = charts.share(frame, figure, f"Each member's share of the {what}", names=names, colours=colours)
        show.chart(fig, show.rows(frame, figure), f"overview-share-{figure}", note)
