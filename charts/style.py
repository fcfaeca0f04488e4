"""The one look: fonts, margins, UK number formats and value axes by unit.

Money axes are drawn in the unit a reader says out loud (£45.2m, £820k), by
scaling the plotted numbers; hover text and the CSV beside a chart keep the
exact values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import plotly.graph_objects as go

from charts.palette import NEUTRAL

FONT = "Source Sans Pro, Arial, sans-serif"
TEXT_COLOUR = "#262730"
GRID_COLOUR = "#E6E6E6"
SEPARATORS = ".,"  # plotly: decimal point first, then the thousands separator
HEIGHT = 380

# unit of a metric frame -> (tickformat, prefix, suffix) before money scaling
_AXES = {
    "%": (".0%", "", ""),
    "£": (",.0f", "£", ""),
    "FTE": (",.0f", "", ""),
    "days": (",.0f", "", ""),
    "hours": (",.0f", "", ""),
    "beds": (",.0f", "", ""),
    "places": (",.0f", "", ""),
    "people": (",.0f", "", ""),
    "count": (",.0f", "", ""),
}


def money_scale(values: Iterable[float]) -> tuple[float, str]:
    """(divisor, suffix) so the largest amount reads as £45.2m or £820k."""
    finite = [abs(v) for v in values if v is not None and not math.isnan(v)]
    top = max(finite, default=0.0)
    if top >= 1_000_000:
        return 1_000_000.0, "m"
    if top >= 10_000:
        return 1_000.0, "k"
    return 1.0, ""


def scale_for(unit: str, values: Iterable[float]) -> tuple[float, str]:
    """How to plot values of this unit: divide by the first, label with the second."""
    if unit == "£":
        return money_scale(values)
    return 1.0, ""


def value_axis(unit: str, suffix: str = "", small: bool = False) -> dict:
    """Axis settings for a value of this unit (``suffix`` from :func:`scale_for`)."""
    tickformat, prefix, unit_suffix = _AXES.get(unit, (",.0f", "", ""))
    if unit == "£" and suffix:
        tickformat = ",.1~f"
    if unit == "£" and small:
        tickformat = ",.2f"  # charitable pounds per statutory pound: £1.45
    axis = dict(
        tickformat=tickformat,
        tickprefix=prefix,
        ticksuffix=suffix or unit_suffix,
        gridcolor=GRID_COLOUR,
        zeroline=True,
        zerolinecolor="#BDBDBD",
        rangemode="tozero",
    )
    return axis


X_AXIS = dict(showgrid=False, linecolor="#BDBDBD", ticks="outside", tickcolor="#BDBDBD", automargin=True)
Y_AXIS = dict(automargin=True)


def layout(
    title: str,
    *,
    height: int = HEIGHT,
    legend: bool = True,
    xaxis: dict | None = None,
    yaxis: dict | None = None,
    **extra,
) -> dict:
    """The one look as a plotly layout: title, font, UK separators, white background, legend below.

    ``xaxis`` and ``yaxis`` are the chart's own axis settings; the house axis settings
    (``X_AXIS``, ``Y_AXIS``) are laid over them. A figure made in one go from this dict
    (``go.Figure(data=..., layout=...)``) costs a tenth of setting the same properties
    one update at a time.
    """
    return dict(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=17, color=TEXT_COLOUR)),
        font=dict(family=FONT, size=13, color=TEXT_COLOUR),
        separators=SEPARATORS,
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin=dict(l=20, r=30, t=60, b=10),
        hoverlabel=dict(font=dict(family=FONT)),
        showlegend=legend,
        # below everything, measured from the whole figure, so the margin grows to fit it
        legend=dict(
            orientation="h",
            yref="container",
            yanchor="bottom",
            y=0,
            xanchor="left",
            x=0,
            title=None,
            traceorder="normal",
        ),
        xaxis={**(xaxis or {}), **X_AXIS},
        yaxis={**(yaxis or {}), **Y_AXIS},
        **extra,
    )


def empty(title: str, message: str) -> go.Figure:
    """A figure that says there is nothing to draw, rather than an empty grid."""
    note = dict(
        text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font=dict(size=14, color=NEUTRAL)
    )
    return go.Figure(
        layout=layout(
            title, height=200, legend=False, xaxis=dict(visible=False), yaxis=dict(visible=False), annotations=[note]
        )
    )
