"""The SPC chart (XmR) and the words for its icons, as NHS England's Making Data Count draws them.

Colours are the programme's: orange for special cause of concern, blue for improvement,
purple where neither direction is better, grey for common cause. Every icon is written
out in words too, so colour is never the only way the meaning is given.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.figures import quarter_ticks
from charts.style import layout, scale_for, value_axis
from metrics import format as fmt

POINT_COLOURS = {
    "special_cause_concern": "#ED8B00",
    "special_cause_improvement": "#005EB8",
    "special_cause_neutral_high": "#7C2855",
    "special_cause_neutral_low": "#7C2855",
    "common_cause": "#8A8A8A",
}
VARIATION_WORDS = {
    "common_cause": "Common cause: no significant change",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: higher (neither better nor worse)",
    "special_cause_neutral_low": "Special cause: lower (neither better nor worse)",
}
VARIATION_MARKS = {
    "common_cause": "●",
    "special_cause_improvement": "▲",
    "special_cause_concern": "▼",
    "special_cause_neutral_high": "◆",
    "special_cause_neutral_low": "◆",
}
ASSURANCE_WORDS = {
    "consistent_pass": "Will consistently meet the target",
    "consistent_fail": "Will consistently miss the target",
    "inconsistent": "May or may not meet the target",
    None: "No target set",
}


def spc_assurance_text(assurance: str | None) -> str:
    """The assurance icon in words: whether the process will meet its target."""
    return ASSURANCE_WORDS[assurance]


def variation_text(point_type: str | None) -> str:
    """``▲ Special cause: improvement``: the variation icon in words."""
    if point_type is None:
        return "No points to judge"
    return f"{VARIATION_MARKS[point_type]} {VARIATION_WORDS[point_type]}"


def spc(points: pd.DataFrame, title: str, unit: str, kind: str = "") -> go.Figure:
    """An XmR chart from ``metrics.variation.spc_series(...).points``: the values, mean and process limits.

    Quarters left out (a missing return, a figure left blank) are hollow grey markers that say why.
    """
    labels = list(points["quarter_label"])
    scale, suffix = scale_for(unit, points["value"].dropna())
    points = points.assign(
        **{c: pd.to_numeric(points[c], errors="coerce") / scale for c in ("mean", "lpl", "upl")},
        plotted=points["value"] / scale,
    )
    used = points[points["used"]]
    gaps = points[~points["used"] & points["value"].notna()]
    text = [fmt.value(v, unit, kind=kind) for v in points["value"]]
    traces = [
        go.Scatter(
            x=labels,
            y=points["plotted"].where(points["used"]),
            mode="lines",
            line=dict(color="#BBBBBB", width=1.5),
            name="Value",
            hoverinfo="skip",
            showlegend=False,
        )
    ]
    for name, column, dash in (
        ("Mean", "mean", "solid"),
        ("Upper process limit", "upl", "dash"),
        ("Lower process limit", "lpl", "dash"),
    ):
        traces.append(
            go.Scatter(
                x=labels,
                y=points[column].where(points["used"]),
                mode="lines",
                line=dict(color="#425563" if column == "mean" else "#768692", width=1.5, dash=dash),
                name=name,
                hoverinfo="skip",
            )
        )
    for point_type, colour in POINT_COLOURS.items():
        rows = used[used["point_type"] == point_type]
        if rows.empty:
            continue
        traces.append(
            go.Scatter(
                x=[labels[i] for i in rows.index],
                y=rows["plotted"],
                mode="markers",
                marker=dict(color=colour, size=10, line=dict(color="white", width=1)),
                name=VARIATION_WORDS[point_type],
                customdata=[[text[i], label] for i, label in zip(rows.index, rows["special_cause"])],
                hovertemplate="%{x}: %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            )
        )
    if not gaps.empty:
        traces.append(
            go.Scatter(
                x=[labels[i] for i in gaps.index],
                y=gaps["plotted"],
                mode="markers",
                marker=dict(color="white", size=9, line=dict(color="#8A8A8A", width=1.5)),
                name="Left out",
                customdata=[[text[i], reason] for i, reason in zip(gaps.index, gaps["reason"])],
                hovertemplate="%{x}: %{customdata[0]}<br>left out: %{customdata[1]}<extra></extra>",
            )
        )
    # an SPC chart reads the spread around the mean: the axis starts where the data do, not at zero
    yaxis = value_axis(unit, suffix, small=unit == "£" and kind == "rate") | dict(rangemode="normal", zeroline=False)
    if unit == "%":
        yaxis["tickformat"] = ".1%"  # limits close together: 5.6% and 6.2% must not both read 6%
    return go.Figure(data=traces, layout=layout(title, height=380, xaxis=quarter_ticks(labels), yaxis=yaxis))
