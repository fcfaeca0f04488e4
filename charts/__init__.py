"""Plotly figures built from metric frames: one look for the app, the exports and the images.

Nothing here imports streamlit, so exports can draw the same charts the pages show.
Each builder takes a frame as ``metrics`` returns it and a title that says the point::

    charts.trend(metrics.quarterly_series(con, "occupancy_rate", period), "Occupancy held at 82%")
    charts.by_member(metrics.figures(con, period), "income_total", "Ash holds a quarter of the income")
    charts.share(frame, "people_supported", "Each member's share of the people supported")
"""

from charts.figures import age_mix, breakdown, by_age_group, by_member, compare, completeness_grid, share, trend
from charts.palette import member_colours
from charts.spc import funnel, spc, spc_assurance_text, variation_text
from charts.statement import statement

__all__ = [
    "trend",
    "by_member",
    "share",
    "breakdown",
    "compare",
    "by_age_group",
    "age_mix",
    "completeness_grid",
    "member_colours",
    "statement",
    "spc",
    "variation_text",
    "spc_assurance_text",
    "funnel",
]
