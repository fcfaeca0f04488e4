"""Income: the streams over time, statutory and charitable, and what the state pays of the cost."""

import streamlit as st

import charts
from charts.palette import STATUTORY_COLOURS, STREAM_COLOURS
from common.words import COMBINED
from metrics import format as fmt
from metrics import value_of
from metrics.income import (
    CHARITABLE_INCOME,
    CHARITABLE_PER_STATUTORY_POUND,
    INCOME_TOTAL,
    STATUTORY_INCOME,
    STATUTORY_SHARE,
    STATUTORY_SHARE_OF_EXPENDITURE,
)
from ui import cached, show, sidebar
from ui.view import trend_view

view = sidebar.view()
st.title("Income")
if show.no_data(view):
    st.stop()

show.figure_tiles(
    view,
    {
        INCOME_TOTAL: None,
        STATUTORY_SHARE: "Statutory share of income",
        STATUTORY_SHARE_OF_EXPENDITURE: "Statutory share of costs",
        CHARITABLE_PER_STATUTORY_POUND: "Charitable £ per statutory £",
    },
)
show.spc_section(view, [INCOME_TOTAL, STATUTORY_SHARE, STATUTORY_SHARE_OF_EXPENDITURE, CHARITABLE_PER_STATUTORY_POUND])
figures, frame = cached.figures(view), cached.chart_figures(view)
names, colours, note = cached.names(), cached.colours(), show.note(view)
over_time = trend_view(view, cached.quarters())
streams = INCOME_TOTAL.breakdown_labels

series = cached.series_by(over_time, INCOME_TOTAL, list(streams))
fig = charts.trend(
    series,
    f"Income by stream, quarter by quarter: {fmt.money(value_of(figures, INCOME_TOTAL))} in {view.period.label}",
    by="breakdown",
    names=streams,
    colours=STREAM_COLOURS,
    stacked=True,
    member_code=COMBINED,
)
show.chart(fig, series, "income-by-stream", note)

left, right = st.columns(2)
with left:
    split = cached.series_of(over_time, [STATUTORY_INCOME, CHARITABLE_INCOME])
    fig = charts.trend(
        split,
        f"{fmt.percent(value_of(figures, STATUTORY_SHARE))} of income was statutory in {view.period.label}",
        by="measure",
        member_code=COMBINED,
        names={STATUTORY_INCOME.key: "Statutory", CHARITABLE_INCOME.key: "Charitable"},
        colours={
            STATUTORY_INCOME.key: STATUTORY_COLOURS["statutory"],
            CHARITABLE_INCOME.key: STATUTORY_COLOURS["charitable"],
        },
    )
    show.chart(fig, split, "statutory-and-charitable", note)
with right:
    share = cached.series(over_time, STATUTORY_SHARE_OF_EXPENDITURE)
    fig = charts.trend(
        share,
        f"The state paid {fmt.percent(value_of(figures, STATUTORY_SHARE_OF_EXPENDITURE))} "
        f"of the cost of care in {view.period.label}",
        names=names,
        colours=colours,
    )
    show.chart(fig, share, "statutory-share-of-expenditure-over-time", note)

st.subheader("By member")
left, right = st.columns(2)
with left:
    fig = charts.by_member(
        frame,
        STATUTORY_SHARE_OF_EXPENDITURE.key,
        "Statutory share of each member's costs",
        names=names,
        colours=colours,
    )
    show.chart(fig, show.rows(frame, STATUTORY_SHARE_OF_EXPENDITURE), "statutory-share-by-member", note)
with right:
    fig = charts.by_member(
        frame,
        CHARITABLE_PER_STATUTORY_POUND.key,
        f"Charitable £ raised per statutory £: "
        f"{fmt.pounds(value_of(figures, CHARITABLE_PER_STATUTORY_POUND))} together",
        names=names,
        colours=colours,
        reference=True,
        small_money=True,
    )
    show.chart(fig, show.rows(frame, CHARITABLE_PER_STATUTORY_POUND), "charitable-per-statutory-pound", note)
fig = charts.breakdown(
    frame,
    INCOME_TOTAL.key,
    "Each member's income by stream",
    labels=streams,
    by_member=True,
    names=names,
    colours=STREAM_COLOURS,
)
show.chart(fig, show.rows(frame, INCOME_TOTAL), "income-by-member", note)
