"""The SPC chart (XmR) and the words for its icons, as NHS England's Making Data Count draws them.

Colours are the programme's: orange for special cause of concern, blue for improvement,
purple where neither direction is better, grey for common cause. Every icon is written
out in words too, so colour is never the only way the meaning is given.
"""

from __future__ import annotations

import html

import numpy as np
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


def funnel(members: pd.DataFrame, p0: float, title: str, *, names: dict, colours: dict) -> go.Figure:
    """A funnel plot: each member's rate against its denominator, inside the 95% and 99.8% limits
    around the collaborative's rate (``metrics.funnel``)."""
    from metrics.funnel import Z95, Z998, limits

    if members.empty:
        return go.Figure(layout=layout(title, height=380))
    top = float(members["denominator"].max()) * 1.1
    n = np.linspace(max(float(members["denominator"].min()) * 0.5, 1.0), top, 120)
    traces = [
        go.Scatter(
            x=[n[0], n[-1]],
            y=[p0, p0],
            mode="lines",
            line=dict(color="#425563", width=1.5),
            name=f"Collaborative {fmt.percent(p0)}",
            hoverinfo="skip",
        )
    ]
    for z, words, dash in ((Z95, "95% limits", "dot"), (Z998, "99.8% limits", "dash")):
        low, high = limits(p0, n, z)
        for i, line in enumerate((low, high)):
            traces.append(
                go.Scatter(
                    x=n,
                    y=line,
                    mode="lines",
                    line=dict(color="#768692", width=1.2, dash=dash),
                    name=words,
                    showlegend=i == 0,
                    hoverinfo="skip",
                )
            )
    traces.append(
        go.Scatter(
            x=members["denominator"],
            y=members["rate"],
            mode="markers+text",
            text=[html.escape(str(names.get(code, code)), quote=False) for code in members["member_code"]],
            textposition="top center",
            marker=dict(color=[colours.get(code, "#333333") for code in members["member_code"]], size=11),
            name="Members",
            customdata=[
                [fmt.percent(r), f"{d:,.0f}", o or "inside the limits"]
                for r, d, o in zip(members["rate"], members["denominator"], members["outside"])
            ],
            hovertemplate="%{text}: %{customdata[0]} of %{customdata[1]}, %{customdata[2]}<extra></extra>",
        )
    )
    yaxis = dict(tickformat=".1%", gridcolor="#E5E5E5", title=None)
    xaxis = dict(title="Size (the rate's denominator)", tickformat=",.0f", gridcolor="#E5E5E5")
    return go.Figure(data=traces, layout=layout(title, height=400, xaxis=xaxis, yaxis=yaxis))
