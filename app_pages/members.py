"""Members: side by side on any figure, each member's share, and each member's rates beside the whole."""

import streamlit as st

import charts
from ui import cached, show, sidebar

RATES = ["occupancy_rate", "vacancy_rate", "statutory_share", "average_length_of_stay"]
view = sidebar.view()
st.title("Members")
if show.no_data(view):
    st.stop()

frame, definitions = cached.chart_figures(view), cached.definitions()
names, colours, note = cached.names(), cached.colours(), show.note(view)
labels = dict(zip(definitions["key"], definitions["label"]))

figure = st.selectbox("Figure", list(labels), format_func=labels.get, key="members_figure")
parts = {"all": "All", **cached.breakdown_labels(figure)}
default = view.age if view.age in parts else "all"
part = st.selectbox("Breakdown", list(parts), index=list(parts).index(default), format_func=parts.get,
                    key=f"members_part_{figure}", disabled=len(parts) == 1,
                    help="Activity figures follow the age group chosen in the sidebar." if view.age != "all" else None)
title = labels[figure] + ("" if part == "all" else f": {parts[part]}")
left, right = st.columns(2)
with left:
    fig = charts.by_member(frame, figure, f"{title}, member by member", breakdown=part, names=names,
                           colours=colours, small_money=figure == "charitable_per_statutory_pound")
    show.chart(fig, show.rows(frame, figure), f"members-{figure}", note)
with right:
    if cached.kind(figure) == "rate":
        st.info("A rate has no shares: each member's rate sits beside the collaborative's on the left.")
    else:
        fig = charts.share(frame, figure, f"Each member's share of the {title.lower()}", breakdown=part,
                           names=names, colours=colours)
        show.chart(fig, show.rows(frame, figure), f"share-{figure}", note)

st.subheader("Each member's rates beside the collaborative's")
st.caption("The dashed line is the collaborative: the rate of the combined figures, not an average of rates.")
for row in (RATES[:2], RATES[2:]):
    for column, rate in zip(st.columns(2), row):
        with column:
            fig = charts.by_member(frame, rate, labels[rate], names=names, colours=colours, reference=True)
            show.chart(fig, show.rows(frame, rate), f"rate-{rate}", note)
st.subheader("All figures, member by member")
table = show.side_by_side(cached.figures(view), names)
st.dataframe(table, width="stretch", height=36 * (len(table) + 1), hide_index=True,
             column_config={"Figure": st.column_config.TextColumn(width="large", pinned=True)})
