"""Charts of what members do together: projects by kind, and a timeline of the register.

They take ``metrics.joint_work`` results as they come; nothing is computed here
but where a bar starts and ends. Project titles are data: they are escaped, so a
title can never become markup in a chart.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.style import empty, layout
from contract.joint_work import KINDS
from contract.periods import Period, year_label

# Okabe-Ito, one per kind, in the contract's order of kinds.
KIND_COLOURS = dict(
    zip(KINDS, ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#882255", "#999999"])
)
BAR_HEIGHT = 30
NO_PROJECTS = "No joint projects in this period"


def _escaped(text: object) -> str:
    return html.escape(str(text), quote=False)


def projects_by_kind(by_kind: dict[str, int], title: str) -> go.Figure:
    """Counted projects by kind, as horizontal bars in the kinds' colours (kinds with none are left out)."""
    kinds = [kind for kind, count in by_kind.items() if count]
    if not kinds:
        return empty(title, NO_PROJECTS)
    bars = go.Bar(
        y=np.array([KINDS[kind] for kind in kinds], dtype=object),
        x=np.array([by_kind[kind] for kind in kinds], dtype=float),
        orientation="h",
        marker_color=[KIND_COLOURS[kind] for kind in kinds],
        text=[str(by_kind[kind]) for kind in kinds],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{x:,.0f} project(s)<extra></extra>",
        showlegend=False,
    )
    return go.Figure(
        data=[bars],
        layout=layout(
            title,
            height=max(200, 90 + BAR_HEIGHT * len(kinds)),
            legend=False,
            xaxis=dict(
                tickformat=",d",
                dtick=1,
                range=[0, max(by_kind.values()) * 1.12 + 0.2],
                showgrid=True,
                gridcolor="#E6E6E6",
            ),
            yaxis=dict(autorange="reversed", showgrid=False),
        ),
    )


def timeline(
    projects: pd.DataFrame, title: str, *, period: Period | None = None, until: int | None = None
) -> go.Figure:
    """Every project as a bar from its first to its last quarter, coloured by kind.

    ``projects``: ``metrics.joint_work.timeline`` rows. An ongoing project runs to
    ``until`` (a quarter index; default: its start) and says "ongoing" when hovered;
    a planned project is drawn hatched. ``period`` is shaded, so the projects that
    count in it stand out.
    """
    if projects.empty:
        return empty(title, "The joint work register has no projects yet")
    last = int(until if until is not None else projects["start"].max())
    ends = [
        int(end) if not pd.isna(end) else max(last, int(start))
        for start, end in zip(projects["start"], projects["end"])
    ]
    traces = []
    for kind in KINDS:
        rows = [i for i, k in enumerate(projects["kind"]) if k == kind]
        if not rows:
            continue
        starts = np.array([int(projects["start"].iloc[i]) for i in rows], dtype=float)
        widths = np.array([ends[i] - int(projects["start"].iloc[i]) + 1 for i in rows], dtype=float)
        traces.append(
            go.Bar(
                y=np.array([_escaped(projects["title"].iloc[i]) for i in rows], dtype=object),
                x=widths,
                base=starts - 0.5,
                orientation="h",
                name=KINDS[kind],
                marker=dict(
                    color=KIND_COLOURS[kind],
                    pattern=dict(shape=["/" if projects["status"].iloc[i] == "planned" else "" for i in rows]),
                ),
                customdata=np.array(
                    [
                        [
                            projects["start_label"].iloc[i],
                            projects["end_label"].iloc[i],
                            projects["status"].iloc[i],
                        ]
                        for i in rows
                    ],
                    dtype=object,
                ),
                hovertemplate="%{y}<br>%{customdata[0]} to %{customdata[1]} (%{customdata[2]})<extra>"
                + KINDS[kind]
                + "</extra>",
            )
        )
    first = int(projects["start"].min())
    end = max(ends + [last])
    years = range(first // 4, end // 4 + 1)
    shapes = []
    if period is not None:
        shapes.append(
            dict(
                type="rect",
                xref="x",
                yref="paper",
                x0=period.first - 0.5,
                x1=period.last + 0.5,
                y0=0,
                y1=1,
                fillcolor="#F2F2F2",
                line=dict(width=0),
                layer="below",
            )
        )
    order = list(dict.fromkeys(_escaped(t) for t in projects.sort_values(["start", "title"])["title"]))
    return go.Figure(
        data=traces,
        layout=layout(
            title,
            height=max(260, 150 + 30 * len(order)),
            barmode="overlay",
            shapes=shapes,
            xaxis=dict(
                tickmode="array",
                tickvals=[fy * 4 - 0.5 for fy in years],
                ticktext=[year_label(fy) for fy in years],
                range=[first - 0.6, end + 0.6],
                showgrid=True,
                gridcolor="#E6E6E6",
            ),
            yaxis=dict(
                categoryorder="array",
                categoryarray=order,
                tickmode="array",
                tickvals=order,
                autorange="reversed",
                showgrid=False,
            ),
        ),
    )


def members_taking_part(by_member: pd.DataFrame, title: str) -> go.Figure:
    """Each member's counted projects and the ones it leads, side by side (a member at 0 shows as 0).

    ``by_member``: ``JointWork.by_member`` (code, name, projects, leads).
    """
    if by_member.empty:
        return empty(title, "No members in this view")
    names = np.array([_escaped(name) for name in by_member["name"]], dtype=object)
    bars = [
        go.Bar(
            y=names,
            x=np.asarray(by_member[column], dtype=float),
            name=label,
            orientation="h",
            marker_color=colour,
            text=[str(int(v)) for v in by_member[column]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{y}}: %{{x:,.0f}} {label.lower()}<extra></extra>",
        )
        for column, label, colour in (("projects", "Takes part in", "#0072B2"), ("leads", "Leads", "#E69F00"))
    ]
    top = float(by_member["projects"].max() or 1)
    return go.Figure(
        data=bars,
        layout=layout(
            title,
            height=max(220, 120 + 44 * len(by_member)),
            barmode="group",
            xaxis=dict(tickformat=",d", dtick=1 if top <= 10 else None, range=[0, top * 1.15 + 0.2], showgrid=True),
            yaxis=dict(autorange="reversed", showgrid=False),
        ),
    )
