"""The tables every export shares: one per area, the members, the definitions, the provenance.

An area table is the area's figure frame laid out wide, as a reader scans it:
one row per figure and breakdown, the combined value, then one column per
member. Values are metrics' own (floats, NaN for not reported, ``*`` when
suppressed); only the layout is new. The workbook writes these tables to
sheets and the CSV export writes each to a file, so both hold the same cells.
"""

from __future__ import annotations

import pandas as pd

from common.words import COMBINED
from contract.periods import quarter_label
from exports import words
from exports.data import AREA_TITLES, AREAS, ExportData
from exports.suppression import RULE
from metrics.activity import PEOPLE_SUPPORTED
from metrics.figure import BREAKDOWN_LABELS
from metrics.income import INCOME_TOTAL
from metrics.workforce import STAFF_HEADCOUNT, VOLUNTEERS

FIGURE, BREAKDOWN, UNIT, COMBINED_COLUMN = "Figure", "Breakdown", "Unit", "Combined"
KEY, BREAKDOWN_KEY = "Figure key", "Breakdown key"


def member_column(data: ExportData, code: str) -> str:
    return f"{data.name(code)} ({code})"


def breakdown_name(key: str) -> str:
    """Readable name of a breakdown key (stream, line, staff group or age group)."""
    return BREAKDOWN_LABELS.get(key, key)


def area_table(data: ExportData, area: str) -> pd.DataFrame:
    """Figure x breakdown rows; Combined, then one column per member; keys last."""
    frame = data.areas[area]
    order = {key: i for i, key in enumerate(data.definitions["key"])}
    codes = [COMBINED, *data.members]
    rows = []
    for (measure, breakdown), group in frame.groupby(["measure", "breakdown"], sort=False):
        values = dict(zip(group["member_code"], group["value"]))
        row = {FIGURE: data.label(measure), BREAKDOWN: breakdown_name(breakdown), UNIT: group["unit"].iloc[0]}
        for code in codes:
            column = COMBINED_COLUMN if code == COMBINED else member_column(data, code)
            row[column] = values.get(code, float("nan"))
        row[KEY], row[BREAKDOWN_KEY] = measure, breakdown
        row["_order"] = (order.get(measure, len(order)), breakdown != "all")
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table = table.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    return table


def members_table(data: ExportData) -> pd.DataFrame:
    """Each member: who they are, which quarters are in, and their share of the headline figures."""
    shares = {
        "Share of income": INCOME_TOTAL,
        "Share of staff headcount": STAFF_HEADCOUNT,
        "Share of volunteers": VOLUNTEERS,
        "Share of people supported": PEOPLE_SUPPORTED,
    }
    details = data.member_details.set_index("code")
    grids = dict(tuple(data.grid.groupby("member_code", sort=False)))  # one pass, not one per member
    share_of = {}
    for column, figure in shares.items():
        frame = data.areas[figure.area]
        hit = frame[(frame["measure"] == figure.key) & (frame["breakdown"] == "all")].drop_duplicates("member_code")
        share_of[column] = dict(zip(hit["member_code"], hit["share"]))
    rows = []
    for code in data.members:
        cells = grids.get(code, data.grid.iloc[0:0])
        missing = cells.loc[cells["status"] == "missing", "quarter_label"].tolist()
        row = {
            "Code": code,
            "Member": data.name(code),
            "Type": details["type"].get(code, "") if code in details.index else "",
            "Place": (details["place"].get(code) or "") if code in details.index else "",
            "Quarters in": f"{int((cells['status'] != 'missing').sum())} of {len(cells)}",
            "Complete": not missing,
            "Missing returns": ", ".join(missing),
        }
        for column in shares:
            row[column] = share_of[column].get(code, float("nan"))
        rows.append(row)
    return pd.DataFrame(
        rows, columns=["Code", "Member", "Type", "Place", "Quarters in", "Complete", "Missing returns", *shares]
    )


def provenance_table(data: ExportData) -> pd.DataFrame:
    """Each return included, as people read it: member, quarter, file, when loaded, SHA-256."""
    p = data.provenance
    return pd.DataFrame(
        {
            "Member": [f"{name} ({code})" for code, name in zip(p["member_code"], p["member_name"])],
            "Quarter": p["quarter"],
            "File name": p["file_name"],
            "Loaded": [when.strftime("%d %B %Y %H:%M") for when in p["loaded_at"]],
            "Sent by": p["sent_by"].fillna(""),
            "SHA-256": p["sha256"],
            "Submission": p["submission_id"],
            "Replaces submissions": p["replaces"],
            "Prepared by": p["prepared_by"].fillna(""),
            "Email": p["email"].fillna(""),
            "Member's notes": p["notes"].fillna(""),
        }
    )


def missing_table(data: ExportData) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Member": [member_column(data, code) for code, _ in data.coverage.missing],
            "Quarter": [quarter_label(index) for _, index in data.coverage.missing],
            "Status": "missing",
        }
    )


def definitions_table(data: ExportData) -> pd.DataFrame:
    d = data.definitions
    return pd.DataFrame(
        {
            "Figure": d["label"],
            "Figure key": d["key"],
            "Area": d["area"].str.capitalize(),
            "Unit": d["unit"],
            "Kind": d["kind"],
            "Definition": d["definition"],
        }
    )


def notes_lines(data: ExportData) -> list[tuple[str, str]]:
    """(heading, text) pairs that every export states: scope, coverage, assumptions, the rule."""
    cover = data.coverage
    lines = [
        ("Collaborative", data.collaborative),
        ("Period", f"{data.period.label} ({data.period.months})"),
        ("Members", ", ".join(member_column(data, code) for code in data.members)),
        ("Members reporting", f"{len(cover.members_reporting)} of {len(cover.members_expected)}"),
        (
            "Complete",
            "Yes: every member has a return for every quarter"
            if cover.complete
            else "No: " + ("; ".join(data.missing) + " missing" if data.missing else "no returns"),
        ),
        ("Value of volunteer time", data.volunteer_assumption),
        ("Small-number suppression", RULE if data.suppress else "Off: every figure is shown as reported."),
        ("Not reported", "A blank cell means no member in scope reported that figure; it is never zero."),
        ("Partial figures", words.partial_text(data, limit=1_000)),
        ("Made", data.created.strftime("%d %B %Y %H:%M")),
    ]
    return lines


def spc_table(data: ExportData) -> pd.DataFrame:
    """Every quarter of each key figure's SPC chart: its value, whether it is a point, mean, limits and label."""
    rows = []
    for result in data.spc:
        for point in result.points.itertuples(index=False):
            rows.append(
                {
                    "Figure": result.figure.label,
                    "Quarter": point.quarter_label,
                    "Value": point.value,
                    "In the chart": "Yes" if point.used else "No",
                    "Left out because": point.reason or "",
                    "Mean": point.mean,
                    "Lower process limit": point.lpl,
                    "Upper process limit": point.upl,
                    "Special cause": point.special_cause or "",
                    "Point type": point.point_type or "",
                }
            )
    return pd.DataFrame(rows)


def notes_table(data: ExportData) -> pd.DataFrame:
    return pd.DataFrame(notes_lines(data), columns=["Note", "Detail"])


def all_tables(data: ExportData) -> dict[str, pd.DataFrame]:
    """Every table of an export, by a short name used for sheets and file names."""
    tables = {AREA_TITLES[area]: area_table(data, area) for area in AREAS}
    tables["Members"] = members_table(data)
    tables["Returns included"] = provenance_table(data)
    tables["Returns missing"] = missing_table(data)
    tables["Definitions"] = definitions_table(data)
    tables["Notes"] = notes_table(data)
    return tables
