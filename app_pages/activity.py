"""Activity: people supported, referrals, contacts and visits, by service and by age group."""

import streamlit as st

import charts
from metrics import format as fmt
from metrics import value_of
from metrics.activity import (
    COMMUNITY_CONTACTS,
    DAY_ATTENDANCES,
    DEATHS_IN_PREFERRED_PLACE,
    DEATHS_PREFERENCE_RECORDED,
    HAH_VISITS,
    IPU_ADMISSIONS,
    NEW_REFERRALS,
    PEOPLE_SUPPORTED,
    PREFERRED_PLACE_RATE,
)
from ui import cached, show, sidebar
from ui.view import AGE_GROUPS, trend_view

SERVICES = [IPU_ADMISSIONS, HAH_VISITS, COMMUNITY_CONTACTS, DAY_ATTENDANCES]
view = sidebar.view()
st.title("Activity" if view is None or view.age == "all" else f"Activity: {AGE_GROUPS[view.age].lower()}")
if show.no_data(view):
    st.stop()

age = view.age
show.figure_tiles(
    view,
    {
        PEOPLE_SUPPORTED: None,
        NEW_REFERRALS: "New referrals",
        COMMUNITY_CONTACTS: "Community contacts",
        HAH_VISITS: "Home visits",
        PREFERRED_PLACE_RATE: "Died where chosen",
    },
    breakdown=age,
)
show.spc_section(view, [PEOPLE_SUPPORTED, NEW_REFERRALS, COMMUNITY_CONTACTS, HAH_VISITS, PREFERRED_PLACE_RATE])
figures, frame = cached.figures(view), cached.chart_figures(view)
names, colours, note = cached.names(), cached.colours(), show.note(view)
over_time = trend_view(view, cached.quarters())
who = "" if age == "all" else f" ({AGE_GROUPS[age].lower()})"

left, right = st.columns(2)
with left:
    people = cached.series(over_time, PEOPLE_SUPPORTED, age)
    fig = charts.trend(people, f"People supported each quarter{who}", names=names, colours=colours, stacked=True)
    show.chart(fig, people, "people-supported-over-time", note)
with right:
    referrals = cached.series(over_time, NEW_REFERRALS, age)
    fig = charts.trend(
        referrals, f"New referrals accepted each quarter{who}", names=names, colours=colours, stacked=True
    )
    show.chart(fig, referrals, "referrals-over-time", note)

fig = charts.compare(
    frame,
    [f.key for f in SERVICES],
    f"Admissions, visits, contacts and attendances by member{who}",
    labels={f.key: f.label for f in SERVICES},
    breakdown=age,
    by_member=True,
    names=names,
    colours=colours,
)
show.chart(fig, show.rows(frame, *SERVICES), "activity-by-service", note)

st.subheader("By age group")
st.caption(
    "Each age group on its own scale, so the work with children and young adults is not lost "
    f"beside the adult totals. {fmt.count(value_of(figures, PEOPLE_SUPPORTED, 'under_18'))} "
    f"children and young people under 18 were supported in {view.period.label}."
)
fig = charts.by_age_group(
    frame, PEOPLE_SUPPORTED.key, "People supported by age group and member", names=names, colours=colours
)
show.chart(fig, show.rows(frame, PEOPLE_SUPPORTED), "people-by-age-group", note)
left, right = st.columns(2)
with left:
    fig = charts.age_mix(frame, PEOPLE_SUPPORTED.key, "Who each member cares for, by age", names=names)
    show.chart(fig, show.rows(frame, PEOPLE_SUPPORTED), "age-mix-by-member", note)
with right:
    rate = fmt.percent(value_of(frame, PREFERRED_PLACE_RATE, age))
    fig = charts.by_member(
        frame,
        PREFERRED_PLACE_RATE.key,
        f"{rate} died in their preferred place{who}",
        breakdown=age,
        names=names,
        colours=colours,
    )
    show.chart(
        fig,
        show.rows(frame, PREFERRED_PLACE_RATE, DEATHS_IN_PREFERRED_PLACE, DEATHS_PREFERENCE_RECORDED),
        "preferred-place-of-death",
        note,
    )
