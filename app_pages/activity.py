"""Activity: people supported, referrals, contacts and visits, by service and by age group."""

import streamlit as st

import charts
import metrics
from metrics import format as fmt
from ui import cached, show, sidebar
from ui.view import AGE_GROUPS, trend_view

SERVICES = ["ipu_admissions", "hah_visits", "community_contacts", "day_attendances"]
view = sidebar.view()
st.title("Activity" if view is None or view.age == "all" else f"Activity: {AGE_GROUPS[view.age].lower()}")
if show.no_data(view):
    st.stop()

age = view.age
show.figure_tiles(view, {"people_supported": None, "new_referrals": "New referrals",
                         "community_contacts": "Community contacts", "hah_visits": "Home visits",
                         "preferred_place_rate": "Died where chosen"}, breakdown=age)
summary, frame = cached.summary(view), cached.chart_figures(view)
names, colours, note = cached.names(), cached.colours(), show.note(view)
over_time = trend_view(view, cached.quarters())
who = "" if age == "all" else f" ({AGE_GROUPS[age].lower()})"

left, right = st.columns(2)
with left:
    people = cached.series(over_time, "people_supported", age)
    fig = charts.trend(people, f"People supported each quarter{who}", names=names, colours=colours,
                       stacked=True)
    show.chart(fig, people, "people-supported-over-time", note)
with right:
    referrals = cached.series(over_time, "new_referrals", age)
    fig = charts.trend(referrals, f"New referrals accepted each quarter{who}", names=names,
                       colours=colours, stacked=True)
    show.chart(fig, referrals, "referrals-over-time", note)

labels = {key: cached.label(key) for key in SERVICES}
fig = charts.compare(frame, SERVICES, f"Admissions, visits, contacts and attendances by member{who}",
                     labels=labels, breakdown=age, by_member=True, names=names, colours=colours)
show.chart(fig, show.rows(frame, *SERVICES), "activity-by-service", note)

st.subheader("By age group")
st.caption("Each age group on its own scale, so the work with children and young adults is not lost "
           f"beside the adult totals. {fmt.count(summary['people_supported_by_age_group']['under_18'])} "
           f"children and young people under 18 were supported in {view.period.label}.")
fig = charts.by_age_group(frame, "people_supported", "People supported by age group and member",
                          names=names, colours=colours)
show.chart(fig, show.rows(frame, "people_supported"), "people-by-age-group", note)
left, right = st.columns(2)
with left:
    fig = charts.age_mix(frame, "people_supported", "Who each member cares for, by age", names=names)
    show.chart(fig, show.rows(frame, "people_supported"), "age-mix-by-member", note)
with right:
    rate = fmt.percent(metrics.value_of(frame, "preferred_place_rate", age))
    fig = charts.by_member(frame, "preferred_place_rate", f"{rate} died in their preferred place{who}",
                           breakdown=age, names=names, colours=colours)
    show.chart(fig, show.rows(frame, "preferred_place_rate", "deaths_in_preferred_place",
                              "deaths_preference_recorded"), "preferred-place-of-death", note)
