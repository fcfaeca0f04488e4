"""Together: what the members do together (the joint work register) and the value the collaborative adds.

Every number comes from ``metrics.joint_work`` (through ``ui.cached.joint_work``) and
``metrics.value`` (``ui.cached.value``); the register's editing is ``ui.register``.
"""

import streamlit as st

from charts import joint_work as joint_charts
from common.words import UNNAMED, join_and, markdown_safe
from contract.joint_work import STATUSES, measure
from metrics import format as fmt
from metrics.activity import OCCUPIED_BED_DAYS
from metrics.income import CHARITABLE_PER_STATUTORY_POUND
from metrics.joint_work import COUNTED_RULE, RULE_WORDS
from metrics.value import CHARITABLE_ASSUMPTION
from metrics.workforce import VOLUNTEER_VALUE_GBP
from ui import access, cached, register, show, sidebar

view = sidebar.view()
who = access.person()
st.title("Together")
st.caption(
    "What the members do together that none could do alone: shared posts and beds, joint bids, education, "
    "fundraising, buying and one voice to the system. From the joint work register the coordinator keeps."
)
register.message()
if view is None:
    show.no_data(view)
    if who.is_coordinator:
        register.editor()
    st.stop()

joint = cached.joint_work(view)
names = cached.names()


def _member_names(codes, hidden_count: int = 0) -> str:
    shown = [names.get(code, code) for code in codes]
    if hidden_count:
        shown.append(f"{hidden_count} {UNNAMED}" if hidden_count == 1 else f"{hidden_count} members not shown")
    return join_and(shown)


OUTCOMES = ("money_won", "money_saved", "staff_shared_fte", "bed_days_shared", "people_trained", "people_reached")
TILE_LABELS = {"money_won": "Funding won", "money_saved": "Costs saved", "people_reached": "People reached"}


def _outcome(key: str) -> str:
    m = measure(key)
    value = joint.outcomes[key]
    if m.unit == "£":
        return fmt.money(value)
    return fmt.decimal(value) if m.unit == "FTE" else fmt.count(value)


def _from(key: str) -> str:
    titles = joint.outcome_projects[key]
    if not titles:
        return "No counted project reported it"
    return f"From {len(titles)} project{'s' if len(titles) != 1 else ''}"


st.header(f"Joint work in {view.period.label}")
if not cached.register().projects:
    st.info(
        "The joint work register is empty. "
        + (
            "Load your tracker workbook or add a project below."
            if who.is_coordinator
            else "The coordinator keeps it: ask them to load it."
        )
    )
counted, planned = joint.joint_projects, int((~joint.projects["counted"]).sum())
tiles = st.columns(4)
with tiles[0]:
    st.metric(
        "Joint projects",
        fmt.count(counted),
        border=True,
        help=COUNTED_RULE,
    )
    st.caption(f"And {planned} planned." if planned else "Active, complete or stopped in the period.")
for column, key in zip([*tiles[1:], *st.columns(4)], OUTCOMES):
    with column:
        m = measure(key)
        st.metric(TILE_LABELS.get(key, m.label), _outcome(key), border=True, help=RULE_WORDS[m.rule])
        st.caption(_from(key))

left, right = st.columns([2, 3])
with left:
    fig = joint_charts.projects_by_kind(joint.joint_projects_by_kind, f"Joint projects by kind, {view.period.label}")
    show.chart(fig, joint.kinds_table(), "joint-projects-by-kind", f"Counted projects, {view.period.label}.")
with right:
    fig = joint_charts.members_taking_part(joint.by_member, "Each member's joint projects, and the ones it leads")
    show.chart(fig, joint.by_member, "joint-projects-by-member", f"Counted projects, {view.period.label}.")
timeline = cached.joint_timeline(view)
fig = joint_charts.timeline(
    timeline, "Joint projects over time, by kind", period=view.period, until=cached.latest_quarter()
)
show.chart(
    fig,
    timeline.drop(columns=["members"]),
    "joint-projects-timeline",
    f"The shaded band is {view.period.label}. Hatched bars are planned projects; an ongoing project runs to "
    "the latest quarter with returns.",
)

st.subheader("The projects")
if joint.projects.empty:
    st.caption(f"No joint project ran in {view.period.label} for the members chosen.")
else:
    table = joint.projects.assign(
        members=[_member_names(c, n) for c, n in zip(joint.projects["members"], joint.projects["members_not_shown"])],
        lead=[names.get(code, code) if isinstance(code, str) else "" for code in joint.projects["lead"]],
        status=[STATUSES[s] for s in joint.projects["status"]],
        counted=["Counted" if c else "Planned: not counted" for c in joint.projects["counted"]],
    )
    st.dataframe(
        table[
            [
                "title",
                "kind_label",
                "status",
                "members",
                "lead",
                "start_label",
                "end_label",
                *OUTCOMES,
                "description",
                "link",
                "counted",
            ]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "title": st.column_config.TextColumn("Project", pinned=True),
            "kind_label": "Kind",
            "status": "Status",
            "members": st.column_config.TextColumn("Members", width="medium"),
            "lead": "Lead",
            "start_label": "Start",
            "end_label": "End",
            **{key: st.column_config.NumberColumn(measure(key).label, format="localized") for key in OUTCOMES},
            "description": st.column_config.TextColumn("Description", width="large"),
            "link": "Evidence",
            "counted": "In the figures",
        },
    )
    st.caption(
        f"Outcomes are each project's in {view.period.label}: flows summed over its quarters, staff shared its "
        "latest quarter. A blank cell is not reported."
    )

st.subheader("Who takes part, and who leads")
grid = joint.member_grid(names)
st.dataframe(grid, hide_index=True, width="stretch")
idle = [row["Member"] for _, row in grid.iterrows() if row["Projects"] == 0]
st.caption(
    "Each cell: the member's counted projects of that kind, with how many it leads. "
    + (
        f"Taking part in no joint project in {view.period.label}: {markdown_safe(join_and(idle))}."
        if idle
        else f"Every member shown takes part in at least one joint project in {view.period.label}."
    )
)

st.header("The value the collaborative adds")
value = cached.value(view)
show.incomplete_badge(cached.coverage(view))  # these values are from the returns: a missing one makes them smaller
st.caption(
    "Each value rests on an assumption, stated under it. Say it whenever you quote the value. "
    + show.note(view, OCCUPIED_BED_DAYS, VOLUNTEER_VALUE_GBP, CHARITABLE_PER_STATUTORY_POUND)
)
first, second, third, fourth = st.columns(4)
with first:
    st.metric("Inpatient bed days provided", fmt.count(value.bed_days), border=True)
    st.caption(markdown_safe(value.bed_days_text))  # the cost's source is typed in Settings
with second:
    st.metric("Value of volunteer time", fmt.money(value.volunteer_value), border=True)
    st.caption(markdown_safe(value.volunteer_assumption))
with third:
    st.metric("Charitable £ for each statutory £", fmt.pounds(value.charitable_per_statutory_pound), border=True)
    st.caption(CHARITABLE_ASSUMPTION)
with fourth:
    st.metric("Won and saved together", fmt.money(value.together), border=True)
    st.caption(markdown_safe(value.together_text))

if who.is_coordinator:
    st.header("Keep the register")
    register.editor()
