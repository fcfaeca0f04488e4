"""Income: the streams over time, statutory and charitable, and what the state pays of the cost."""

import streamlit as st

import charts
from common.words import COMBINED
from charts.palette import STATUTORY_COLOURS, STREAM_COLOURS
from metrics import format as fmt
from ui import cached, show, sidebar
from ui.view import trend_view

view = sidebar.view()
st.title("Income")
if show.no_data(view):
    st.stop()

show.figure_tiles(view, {"income_total": None, "statutory_share": "Statutory share of income",
                         "statutory_share_of_expenditure": "Statutory share of costs",
                         "charitable_per_statutory_pound": "Charitable £ per statutory £"})
summary, frame = cached.summary(view), cached.chart_figures(view)
names, colours, note = cached.names(), cached.colours(), show.note(view)
over_time = trend_view(view, cached.quarters())
streams = cached.breakdown_labels("income_total")

series = cached.series_by(over_time, "income_total", list(streams))
fig = charts.trend(series, f"Income by stream, quarter by quarter: {fmt.money(summary['income_total'])} "
                           f"in {view.period.label}", by="breakdown", names=streams, colours=STREAM_COLOURS,
                   stacked=True, member_code=COMBINED)
show.chart(fig, series, "income-by-stream", note)

left, right = st.columns(2)
with left:
    split = cached.series_of(over_time, ["statutory_income", "charitable_income"])
    fig = charts.trend(split, f"{fmt.percent(summary['statutory_share'])} of income was statutory in "
                              f"{view.period.label}", by="measure", member_code=COMBINED,
                       names={"statutory_income": "Statutory", "charitable_income": "Charitable"},
                       colours={"statutory_income": STATUTORY_COLOURS["statutory"],
                                "charitable_income": STATUTORY_COLOURS["charitable"]})
    show.chart(fig, split, "statutory-and-charitable", note)
with right:
    share = cached.series(over_time, "statutory_share_of_expenditure")
    fig = charts.trend(share, f"The state paid {fmt.percent(summary['statutory_share_of_expenditure'])} of the "
                              f"cost of care in {view.period.label}", names=names, colours=colours)
    show.chart(fig, share, "statutory-share-of-expenditure-over-time", note)

st.subheader("By member")
left, right = st.columns(2)
with left:
    fig = charts.by_member(frame, "statutory_share_of_expenditure", "Statutory share of each member's costs",
                           names=names, colours=colours)
    show.chart(fig, show.rows(frame, "statutory_share_of_expenditure"), "statutory-share-by-member", note)
with right:
    fig = charts.by_member(frame, "charitable_per_statutory_pound",
                           f"Charitable £ raised per statutory £: "
                           f"{fmt.pounds(summary['charitable_per_statutory_pound'])} together",
                           names=names, colours=colours, reference=True, small_money=True)
    show.chart(fig, show.rows(frame, "charitable_per_statutory_pound"), "charitable-per-statutory-pound",
               note)
fig = charts.breakdown(frame, "income_total", "Each member's income by stream", labels=streams, by_member=True,
                       names=names, colours=STREAM_COLOURS)
show.chart(fig, show.rows(frame, "income_total"), "income-by-member", note)
