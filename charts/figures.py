"""Figure builders: a metric frame in, a plotly figure with the one look out.

Every builder takes frames exactly as ``metrics`` returns them (figure frames
or quarterly series), a title that says the point, and display names and
colours as plain dicts, so the pages and the image exports draw the same
chart. Nothing is computed here but the scale of an axis. Past a dozen members
the frames come with an "OTHERS" row (``metrics.groups``), drawn in grey as
"Other members".
"""

from __future__ import annotations

import copy
import html
import math
from functools import cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from charts.palette import AGE_GROUP_COLOURS, COMBINED_COLOUR, MEMBER_COLOURS, NEUTRAL, OTHERS_COLOUR, STATUS_COLOURS
from charts.style import X_AXIS, Y_AXIS, empty, layout, scale_for, value_axis
from common.words import COMBINED, OTHERS
from metrics import format as fmt
from metrics.figure import AGES, BREAKDOWN_LABELS

COMBINED_NAME = "Collaborative"
OTHERS_NAME = "Other members"
AGE_GROUPS = {key: BREAKDOWN_LABELS[key] for key in AGES}
HOVER = {
    "%": "%{customdata:.1%}",
    "£": "£%{customdata:,.0f}",
    "FTE": "%{customdata:,.1f}",
    "beds": "%{customdata:,.1f}",
    "days": "%{customdata:,.1f}",
}
STATUS_MARKS = {"in": "✓", "superseded": "↻", "missing": "✗", "not_required": "–"}
STATUS_WORDS = {"in": "in", "superseded": "in (resent)", "missing": "missing", "not_required": "not a member"}
NO_DATA = "Nothing reported for this choice of period and members"
BAR_HEIGHT = 34  # pixels per bar of a horizontal bar chart


def _hover(unit: str, small: bool = False) -> str:
    if unit == "£" and small:
        return "£%{customdata:,.2f}"
    return HOVER.get(unit, "%{customdata:,.0f}")


def _unit(frame: pd.DataFrame) -> str:
    return str(frame["unit"].iloc[0]) if "unit" in frame and len(frame) else ""


def _name(key: str, names: dict | None) -> str:
    """A member's name for a chart, escaped: plotly would draw ``<b>`` or ``<a href>`` in a name as markup."""
    return html.escape(
        str((names or {}).get(key, {COMBINED: COMBINED_NAME, OTHERS: OTHERS_NAME}.get(key, key))), quote=False
    )


def _colour(key: str, colours: dict | None, position: int) -> str:
    if colours and key in colours:
        return colours[key]
    if key == OTHERS:
        return OTHERS_COLOUR
    return COMBINED_COLOUR if key == COMBINED else MEMBER_COLOURS[position % len(MEMBER_COLOURS)]


def _numbers(values) -> np.ndarray:
    """Plot values as a float array: plotly checks an array at once, a list or Series item by item."""
    return np.asarray(values, dtype=float)


def _texts(values) -> np.ndarray:
    """Labels (names, quarters) as an object array, for the same reason."""
    return np.array(list(values), dtype=object)


def _has_values(frame: pd.DataFrame, column: str = "value") -> bool:
    return len(frame) > 0 and frame[column].notna().any()


def quarter_ticks(labels: list[str]) -> dict:
    """``2024/25 Q1`` written as ``Q1`` over ``2024/25``: short enough to stay level."""
    text = [f"{label.split(' ')[-1]}<br>{label.split(' ')[0]}" for label in labels]
    return dict(
        type="category",
        categoryorder="array",
        categoryarray=labels,
        tickmode="array",
        tickvals=labels,
        ticktext=text,
        tickangle=0,
    )


def trend(
    series: pd.DataFrame,
    title: str,
    *,
    by: str = "member_code",
    names: dict | None = None,
    colours: dict | None = None,
    stacked: bool = False,
    value: str = "value",
    member_code: str | None = None,
    small_money: bool = False,
) -> go.Figure:
    """A figure quarter by quarter: one line per ``by`` (member or breakdown), or stacked bars.

    ``series`` is one or more ``metrics.quarterly_series`` frames; the x axis is the
    financial-year quarter in time order, and a quarter nobody reported is a gap,
    never a zero. ``member_code`` keeps one member's rows (or "ALL"). Stacked by
    member, the bars of the members add up to the combined figure, so its own
    rows are left out; use this for figures that add up (not rates).
    """
    if member_code is not None:
        series = series[series["member_code"] == member_code]
    if stacked and by == "member_code":
        series = series[series["member_code"] != COMBINED]
    if not _has_values(series, value):
        return empty(title, NO_DATA)
    unit = _unit(series)
    divisor, suffix = scale_for(unit, series[value])
    order = series.drop_duplicates("quarter_index").sort_values("quarter_index")["quarter_label"].tolist()
    traces = []
    for position, (key, rows) in enumerate(series.groupby(by, sort=False)):
        rows = rows.sort_values("quarter_index")
        if stacked:  # a not-reported segment is left out: plotly mis-stacks a NaN in a bar
            rows = rows[rows[value].notna()]
        label = _name(key, names)
        colour = _colour(key, colours, position)
        common = dict(
            x=_texts(rows["quarter_label"]),
            y=_numbers(rows[value] / divisor),
            customdata=_numbers(rows[value]),
            name=label,
            hovertemplate=f"{label}<br>%{{x}}: {_hover(unit, small_money)}<extra></extra>",
        )
        if stacked:
            traces.append(go.Bar(marker_color=colour, **common))
        else:
            traces.append(
                go.Scatter(
                    mode="lines+markers",
                    connectgaps=False,
                    marker=dict(size=6),
                    line=dict(color=colour, width=3.5 if key == COMBINED else 2),
                    **common,
                )
            )
    return go.Figure(
        data=traces,
        layout=layout(
            title,
            barmode="stack" if stacked else None,
            xaxis=quarter_ticks(order),
            yaxis=value_axis(unit, suffix, small_money),
        ),
    )


def _horizontal_height(bars: int, legend: bool = False) -> int:
    return max(200, 90 + BAR_HEIGHT * bars + (50 if legend else 0))


def by_member(
    frame: pd.DataFrame,
    measure: str,
    title: str,
    *,
    breakdown: str = "all",
    names: dict | None = None,
    colours: dict | None = None,
    reference: bool | None = None,
    small_money: bool = False,
) -> go.Figure:
    """Members side by side on one figure, as horizontal bars in the member's own colour.

    For a rate the collaborative's value is drawn as a dashed line (``reference``
    defaults to on for rates), so each member reads against the whole.
    """
    rows = frame[(frame["measure"] == measure) & (frame["breakdown"] == breakdown)]
    members = rows[rows["member_code"] != COMBINED]
    if not _has_values(members):
        return empty(title, NO_DATA)
    unit = _unit(rows)
    divisor, suffix = scale_for(unit, members["value"])
    bars = go.Bar(
        y=_texts(_name(code, names) for code in members["member_code"]),
        x=_numbers(members["value"] / divisor),
        customdata=_numbers(members["value"]),
        orientation="h",
        showlegend=False,
        marker_color=[_colour(code, colours, i) for i, code in enumerate(members["member_code"])],
        hovertemplate=f"%{{y}}: {_hover(unit, small_money)}<extra></extra>",
    )
    combined = rows.loc[rows["member_code"] == COMBINED, "value"]
    lines = {}
    if (reference if reference is not None else unit == "%") and len(combined) and not math.isnan(combined.iloc[0]):
        lines = _reference_line(combined.iloc[0] / divisor)
    return go.Figure(
        data=[bars],
        layout=layout(
            title,
            height=_horizontal_height(len(members)),
            legend=False,
            **lines,
            xaxis=dict(**value_axis(unit, suffix, small_money), showgrid=True),
            yaxis=dict(autorange="reversed", showgrid=False),
        ),
    )


def _reference_line(x: float) -> dict:
    """The collaborative's value as a dashed vertical line, labelled at the top."""
    line = dict(
        type="line",
        x0=x,
        x1=x,
        xref="x",
        y0=0,
        y1=1,
        yref="y domain",
        line=dict(color=COMBINED_COLOUR, dash="dash", width=2),
    )
    label = dict(
        text=COMBINED_NAME, showarrow=False, x=x, xref="x", xanchor="center", y=1, yref="y domain", yanchor="bottom"
    )
    return dict(shapes=[line], annotations=[label])


def share(
    frame: pd.DataFrame,
    measure: str,
    title: str,
    *,
    breakdown: str = "all",
    names: dict | None = None,
    colours: dict | None = None,
) -> go.Figure:
    """Each member's share of a combined figure, as a labelled bar per member (0 to 100%)."""
    rows = frame[(frame["measure"] == measure) & (frame["breakdown"] == breakdown) & (frame["member_code"] != COMBINED)]
    if not _has_values(rows, "share"):
        return empty(title, NO_DATA)
    bars = go.Bar(
        y=_texts(_name(code, names) for code in rows["member_code"]),
        x=_numbers(rows["share"]),
        orientation="h",
        text=[fmt.percent(s, missing="") for s in rows["share"]],
        textposition="outside",
        cliponaxis=False,
        showlegend=False,
        customdata=_numbers(rows["share"]),
        marker_color=[_colour(code, colours, i) for i, code in enumerate(rows["member_code"])],
        hovertemplate="%{y}: %{customdata:.1%} of the total<extra></extra>",
    )
    return go.Figure(
        data=[bars],
        layout=layout(
            title,
            height=_horizontal_height(len(rows)),
            legend=False,
            xaxis=dict(
                tickformat=".0%",
                range=[0, max(0.5, float(rows["share"].max()) * 1.15)],
                showgrid=True,
                gridcolor="#E6E6E6",
            ),
            yaxis=dict(autorange="reversed", showgrid=False),
        ),
    )


def breakdown(
    frame: pd.DataFrame,
    measure: str,
    title: str,
    *,
    labels: dict,
    member_code: str = COMBINED,
    by_member: bool = False,
    names: dict | None = None,
    colours: dict | None = None,
) -> go.Figure:
    """A figure by its breakdown (income stream, staff group...), as horizontal bars.

    One member (default the collaborative): a bar per breakdown. ``by_member``: a
    bar per member, split into its breakdowns (``colours`` keyed by breakdown).
    """
    rows = frame[(frame["measure"] == measure) & (frame["breakdown"].isin(labels))]
    rows = rows[rows["member_code"] != COMBINED] if by_member else rows[rows["member_code"] == member_code]
    if not _has_values(rows):
        return empty(title, NO_DATA)
    unit = _unit(rows)
    divisor, suffix = scale_for(unit, rows["value"])
    traces = []
    if by_member:
        for position, key in enumerate(labels):
            part = rows[rows["breakdown"] == key]
            traces.append(
                go.Bar(
                    y=_texts(_name(code, names) for code in part["member_code"]),
                    x=_numbers(part["value"] / divisor),
                    customdata=_numbers(part["value"]),
                    name=labels[key],
                    orientation="h",
                    marker_color=_colour(key, colours, position),
                    hovertemplate=f"%{{y}}, {labels[key]}: {_hover(unit)}<extra></extra>",
                )
            )
        bars = rows["member_code"].nunique()
    else:
        ordered = rows.set_index("breakdown").reindex(list(labels))
        traces.append(
            go.Bar(
                y=[labels[key] for key in ordered.index],
                x=_numbers(ordered["value"] / divisor),
                customdata=_numbers(ordered["value"]),
                orientation="h",
                marker_color=NEUTRAL,
                showlegend=False,
                hovertemplate=f"%{{y}}: {_hover(unit)}<extra></extra>",
            )
        )
        bars = len(labels)
    return go.Figure(
        data=traces,
        layout=layout(
            title,
            height=_horizontal_height(bars, by_member),
            legend=by_member,
            barmode="stack",
            xaxis=dict(**value_axis(unit, suffix), showgrid=True),
            yaxis=dict(autorange="reversed", showgrid=False),
        ),
    )


def compare(
    frame: pd.DataFrame,
    measures: list[str],
    title: str,
    *,
    labels: dict,
    breakdown: str = "all",
    by_member: bool = False,
    names: dict | None = None,
    colours: dict | None = None,
) -> go.Figure:
    """Several figures of one unit side by side (visits, contacts, attendances...): a bar each.

    With ``by_member`` the bars are grouped, one colour per member.
    """
    rows = frame[frame["measure"].isin(measures) & (frame["breakdown"] == breakdown)]
    rows = rows[rows["member_code"] != COMBINED] if by_member else rows[rows["member_code"] == COMBINED]
    if not _has_values(rows):
        return empty(title, NO_DATA)
    unit = _unit(rows)
    divisor, suffix = scale_for(unit, rows["value"])
    traces = []
    for position, (code, group) in enumerate(rows.groupby("member_code", sort=False)):
        label = _name(code, names)
        group = group.set_index("measure").reindex(measures)
        traces.append(
            go.Bar(
                x=[labels.get(key, key) for key in measures],
                y=_numbers(group["value"] / divisor),
                customdata=_numbers(group["value"]),
                name=label,
                marker_color=_colour(code, colours, position) if by_member else NEUTRAL,
                hovertemplate=f"{label}<br>%{{x}}: {_hover(unit)}<extra></extra>",
            )
        )
    return go.Figure(
        data=traces, layout=layout(title, legend=by_member, barmode="group", yaxis=value_axis(unit, suffix))
    )


def by_age_group(
    frame: pd.DataFrame, measure: str, title: str, *, names: dict | None = None, colours: dict | None = None
) -> go.Figure:
    """A figure by age group, one panel per age group with its own scale, a bar per member.

    Separate scales keep the children's and young adults' work readable beside
    adult totals many times larger.
    """
    rows = frame[
        (frame["measure"] == measure) & (frame["breakdown"].isin(AGE_GROUPS)) & (frame["member_code"] != COMBINED)
    ]
    if not _has_values(rows):
        return empty(title, NO_DATA)
    unit = _unit(rows)
    panels = _age_panels()
    traces = []
    for column, key in enumerate(AGE_GROUPS, start=1):
        group = rows[rows["breakdown"] == key]
        axis = "" if column == 1 else str(column)
        traces.append(
            go.Bar(
                y=_texts(_name(code, names) for code in group["member_code"]),
                x=_numbers(group["value"]),
                customdata=_numbers(group["value"]),
                orientation="h",
                showlegend=False,
                xaxis=f"x{axis}",
                yaxis=f"y{axis}",
                marker_color=[_colour(code, colours, i) for i, code in enumerate(group["member_code"])],
                hovertemplate=f"{AGE_GROUPS[key]}, %{{y}}: {_hover(unit)}<extra></extra>",
            )
        )
    axes = {
        name: {**settings, **value_axis(unit), "showgrid": True, **X_AXIS}
        if name.startswith("x")
        else {**settings, "autorange": "reversed", "showgrid": False, **Y_AXIS}
        for name, settings in panels.items()
        if name.endswith(("axis", "axis2", "axis3"))
    }
    settings = layout(
        title,
        height=_horizontal_height(rows["member_code"].nunique()) + 30,
        legend=False,
        annotations=copy.deepcopy(panels["annotations"]),
    )
    return go.Figure(data=traces, layout={**settings, **axes})


@cache
def _age_panels() -> dict:
    """The layout of one panel per age group side by side on a shared member axis (made once)."""
    panels = make_subplots(
        rows=1,
        cols=len(AGE_GROUPS),
        subplot_titles=list(AGE_GROUPS.values()),
        shared_yaxes=True,
        horizontal_spacing=0.04,
    )
    return panels.layout.to_plotly_json()


def age_mix(frame: pd.DataFrame, measure: str, title: str, *, names: dict | None = None) -> go.Figure:
    """Each member's figure split by age group, as shares of the member's own total (100% bars)."""
    rows = frame[(frame["measure"] == measure) & (frame["breakdown"].isin(AGE_GROUPS))]
    if not _has_values(rows):
        return empty(title, NO_DATA)
    wide = rows.pivot_table(index="member_code", columns="breakdown", values="value", sort=False)
    totals = wide.sum(axis=1, min_count=1)
    traces = [
        go.Bar(
            y=_texts(_name(code, names) for code in wide.index),
            x=_numbers(wide[key] / totals.where(totals > 0)),
            customdata=_numbers(wide[key]),
            name=label,
            orientation="h",
            marker_color=AGE_GROUP_COLOURS[key],
            hovertemplate=f"%{{y}}, {label}: %{{x:.0%}} (%{{customdata:,.0f}})<extra></extra>",
        )
        for key, label in AGE_GROUPS.items()
        if key in wide
    ]
    return go.Figure(
        data=traces,
        layout=layout(
            title,
            height=_horizontal_height(len(wide), legend=True),
            barmode="stack",
            xaxis=dict(tickformat=".0%", range=[0, 1]),
            yaxis=dict(autorange="reversed"),
        ),
    )


def completeness_grid(grid: pd.DataFrame, title: str, *, names: dict | None = None) -> go.Figure:
    """Member x quarter: a square per return, coloured and marked in, superseded, missing or not a member."""
    if grid.empty:
        return empty(title, "No members registered yet")
    order = grid.drop_duplicates("quarter_index").sort_values("quarter_index")["quarter_label"].tolist()
    traces = []
    for status, colour in STATUS_COLOURS.items():
        rows = grid[grid["status"] == status]
        if rows.empty:
            continue
        traces.append(
            go.Scatter(
                x=_texts(rows["quarter_label"]),
                y=_texts(_name(code, names) for code in rows["member_code"]),
                mode="markers+text",
                name=f"{STATUS_MARKS[status]} {STATUS_WORDS[status]}",
                text=STATUS_MARKS[status],
                textfont=dict(color="white", size=13),
                marker=dict(symbol="square", size=26, color=colour),
                hovertemplate=f"%{{y}}, %{{x}}: {STATUS_WORDS[status]}<extra></extra>",
            )
        )
    return go.Figure(
        data=traces,
        layout=layout(
            title,
            height=max(240, 160 + 34 * grid["member_code"].nunique()),
            xaxis=quarter_ticks(order),
            yaxis=dict(type="category", autorange="reversed", showgrid=False),
        ),
    )
