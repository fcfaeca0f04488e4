"""Members: side by side on any figure, each member's share, and each member's rates beside the whole."""

import streamlit as st

import charts
from metrics.activity import AVERAGE_LENGTH_OF_STAY, PREFERRED_PLACE_RATE
from metrics.capacity import OCCUPANCY_RATE
from metrics.definitions import FIGURES
from metrics.income import CHARITABLE_PER_STATUTORY_POUND, STATUTORY_SHARE
from metrics.workforce import VACANCY_RATE
from ui import cached, show, sidebar

RATES = [OCCUPANCY_RATE, VACANCY_RATE, STATUTORY_SHARE, AVERAGE_LENGTH_OF_STAY]
FUNNELS = [OCCUPANCY_RATE, PREFERRED_PLACE_RATE, VACANCY_RATE, STATUTORY_SHARE]  # proportions
view = sidebar.view()
st.title("Members")
if show.no_data(view):
    st.stop()

frame = cached.chart_figures(view)
names, colours, note = cached.names(), cached.colours(), show.note(view)

key = st.selectbox("Figure", list(FIGURES), format_func=lambda k: FIGURES[k].label, key="members_figure")
figure = FIGURES[key]
parts = {"all": "All", **figure.breakdown_labels}
default = view.age if view.age in parts else "all"
part = st.selectbox(
    "Breakdown",
    list(parts),
    index=list(parts).index(default),
    format_func=parts.get,
    key=f"members_part_{key}",
    disabled=len(parts) == 1,
    help="Activity figures follow the age group chosen in the sidebar." if view.age != "all" else None,
)
title = figure.label + ("" if part == "all" else f": {parts[part]}")
left, right = st.columns(2)
with left:
    fig = charts.by_member(
        frame,
        key,
        f"{title}, member by member",
        breakdown=part,
        names=names,
        colours=colours,
        small_money=figure == CHARITABLE_PER_STATUTORY_POUND,
    )
    show.chart(fig, show.rows(frame, figure), f"members-{key}", note)
with right:
    if figure.kind == "rate":
        st.info("A rate has no shares: each member's rate sits beside the collaborative's on the left.")
    else:
        fig = charts.share(
            frame, key, f"Each member's share of the {title.lower()}", breakdown=part, names=names, colours=colours
        )
        show.chart(fig, show.rows(frame, figure), f"share-{key}", note)

st.subheader("Each member's rates beside the collaborative's")
st.caption("The dashed line is the collaborative: the rate of the combined figures, not an average of rates.")
for row in (RATES[:2], RATES[2:]):
    for column, rate in zip(st.columns(2), row):
        with column:
            fig = charts.by_member(frame, rate.key, rate.label, names=names, colours=colours, reference=True)
            show.chart(fig, show.rows(frame, rate), f"rate-{rate.key}", note)
st.subheader("Member variation: funnel plots")
st.caption(
    "Each member's rate against the collaborative's, by the size of its denominator. Inside the 95% limits "
    "a member's difference is what chance alone would often make; outside the 99.8% limits it is unlikely to "
    "be chance (Spiegelhalter's method for proportions)."
)
for row in (FUNNELS[:2], FUNNELS[2:]):
    for column, rate in zip(st.columns(2), row):
        with column:
            result = cached.member_funnel(view, rate)
            fig = charts.funnel(result.members, result.rate, rate.label, names=names, colours=colours)
            few = " With fewer than 5 members, limits on so few points are a guide only." if result.guide_only else ""
            show.chart(fig, result.members, f"funnel-{rate.key}", note + few)

st.subheader("In members' own words")
words = cached.members_words(view)
if words.empty:
    st.caption(f"No member wrote notes, a name or an email on the Return sheet of its returns for {view.period.label}.")
else:
    st.caption("From the Return sheet of each return in the view: who prepared it, how to reach them, and their notes.")
    st.dataframe(
        words,
        hide_index=True,
        width="stretch",
        column_config={
            "member_code": "Code",
            "member_name": "Member",
            "period": "Quarter",
            "prepared_by": "Prepared by",
            "email": "Email",
            "notes": st.column_config.TextColumn("Notes", width="large"),
        },
    )

st.subheader("All figures, member by member")
table = show.side_by_side(cached.figures(view), names)
st.dataframe(
    table,
    width="stretch",
    height=36 * (len(table) + 1),
    hide_index=True,
    column_config={"Figure": st.column_config.TextColumn(width="large", pinned=True)},
)
