"""The quarterly cycle as a chart: member x quarter, each return's state (in, late, due, overdue, not a member)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.figures import quarter_ticks
from charts.style import empty, layout

# state -> (mark, words, colour): colourblind-safe (Okabe-Ito), and each state has its own mark too
STATE_LOOK = {
    "in": ("✓", "in on time", "#009E73"),
    "late": ("✓", "in late", "#E69F00"),
    "due": ("…", "due", "#0072B2"),
    "overdue": ("✗", "overdue", "#D55E00"),
    "not_open": ("·", "quarter not ended", "#CFCFCF"),
    "not_required": ("–", "not a member", "#BBBBBB"),
}


def state_grid(states: pd.DataFrame, title: str, *, names: dict | None = None) -> go.Figure:
    """``metrics.returns.return_states`` as squares: a row per member, a column per quarter."""
    if states.empty:
        return empty(title, "No members registered yet")
    order = states.drop_duplicates("quarter_index").sort_values("quarter_index")["quarter"].tolist()
    traces = []
    for state, (mark, words, colour) in STATE_LOOK.items():
        rows = states[states["state"] == state]
        if rows.empty:
            continue
        traces.append(
            go.Scatter(
                x=np.array(list(rows["quarter"]), dtype=object),
                y=np.array(
                    [html.escape(str((names or {}).get(code, code)), quote=False) for code in rows["member_code"]],
                    dtype=object,
                ),
                mode="markers+text",
                name=f"{mark} {words}",
                text=mark,
                textfont=dict(color="white", size=13),
                marker=dict(symbol="square", size=26, color=colour),
                hovertemplate=f"%{{y}}, %{{x}}: {words}<extra></extra>",
            )
        )
    return go.Figure(
        data=traces,
        layout=layout(
            title,
            height=max(240, 160 + 34 * states["member_code"].nunique()),
            xaxis=quarter_ticks(order),
            yaxis=dict(type="category", autorange="reversed", showgrid=False),
        ),
    )
