"""The tables every export shares: one per area, the members, the definitions, the provenance.

An area table is the area's figure frame laid out wide, as a reader scans it:
one row per figure and breakdown, the combined value, then one column per
member. Values are metrics' own (floats, NaN for not reported, ``*`` when
suppressed); only the layout is new. The workbook writes these tables to
sheets and the CSV export writes each to a file, so both hold the same cells.
"""

from __future__ import annotations

import pandas as pd

from common.words import COMBINED, UNNAMED, join_and
from contract.joint_work import MEASURES, STATUSES
from contract.periods import quarter_label
from exports import words
from exports.data import AREA_TITLES, AREAS, ExportData
from exports.suppression import RULE
from metrics.activity import OCCUPIED_BED_DAYS, PEOPLE_SUPPORTED
from metrics.figure import BREAKDOWN_LABELS
from metrics.income import INCOME_TOTAL
from metrics.joint_work import COUNTED_RULE, RULE_WORDS
from metrics.value import CHARITABLE_ASSUMPTION
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


# -- joint work: the register's figures, as the Together page shows them --------------------

REGISTER_EMPTY = "The joint work register is empty: the coordinator keeps it on the Together page."
COUNTED, NOT_COUNTED = "Counted", "Planned: not counted"


def register_version(data: ExportData) -> str:
    """``the joint work register the coordinator keeps (version 3 of 12 May 2025 10:00)``."""
    if data.register_history.empty:
        return "the joint work register, which has nothing in it yet"
    latest = data.register_history.iloc[0]
    when = pd.Timestamp(latest["made_at"]).strftime("%d %B %Y %H:%M")
    return f"the joint work register the coordinator keeps (version {latest['version']} of {when})"


def register_source(data: ExportData) -> str:
    return f"From {register_version(data)}."


def joint_members(data: ExportData, codes, not_shown: int = 0) -> str:
    """``Ashby Hospice, Birchwood Hospice and a member not shown individually``: a project's members by name."""
    shown = [data.member_name(code) for code in codes]
    if not_shown:
        shown.append(UNNAMED if not_shown == 1 else f"{not_shown} members not shown")
    return join_and(shown)


def joint_projects_table(data: ExportData) -> pd.DataFrame:
    """The period's projects (counted and planned): who, when, status, and each outcome in the period."""
    p = data.joint.projects
    table = pd.DataFrame(
        {
            "Project": p["title"],
            "Kind": p["kind_label"],
            "Members": [joint_members(data, c, n) for c, n in zip(p["members"], p["members_not_shown"])],
            "Lead": [data.member_name(code) if isinstance(code, str) else "" for code in p["lead"]],
            "Start": p["start_label"],
            "End": p["end_label"],
            "Status": [STATUSES[status] for status in p["status"]],
            "In the figures": [COUNTED if counted else NOT_COUNTED for counted in p["counted"]],
            **{m.label: list(p[m.key]) for m in MEASURES},
            "Description": p["description"].fillna(""),
            "Evidence": p["link"].fillna(""),
        }
    )
    return table.reset_index(drop=True)


def joint_outcomes_table(data: ExportData) -> pd.DataFrame:
    """The period's combined outcomes, how each combines, and the counted projects each covers."""
    joint = data.joint
    counted = list(joint.counted["title"])
    rows = [("Joint projects", joint.joint_projects, "projects", COUNTED_RULE, counted)]
    rows += [
        (m.label, joint.outcomes[m.key], m.unit, RULE_WORDS[m.rule], list(joint.outcome_projects[m.key]))
        for m in MEASURES
    ]
    return pd.DataFrame(
        [
            {
                "Outcome": label,
                "Value": float("nan") if value is None else value,
                "Unit": unit,
                "How it combines": rule,
                "Projects it covers": "; ".join(titles),
                "Number of projects": len(titles),
            }
            for label, value, unit, rule, titles in rows
        ]
    )


def joint_kinds_table(data: ExportData) -> pd.DataFrame:
    kinds = data.joint.kinds_table()
    return pd.DataFrame({"Kind": kinds["kind_label"], "Joint projects": kinds["projects"]})


def joint_members_grid(data: ExportData) -> pd.DataFrame:
    """Each member in scope: its counted projects and leads, and by kind (``JointWork.member_grid``)."""
    return data.joint.member_grid(data.registered_names)


def together_assumption(data: ExportData) -> str:
    value = data.value_added
    if not data.register_projects:
        return REGISTER_EMPTY
    return value.together_text


def bed_days_assumption(data: ExportData) -> str:
    """What the Together page says under the bed days: their NHS cost, where a bed-day cost is set, and why."""
    return data.value_added.bed_days_text


def value_table(data: ExportData) -> pd.DataFrame:
    """The value the collaborative adds: each figure (NaN: not reported) with the assumption it rests on."""
    value = data.value_added
    joint = REGISTER_EMPTY if not data.register_projects else None
    rows = [
        ("Inpatient bed days provided", value.bed_days, "days", OCCUPIED_BED_DAYS.definition),
        ("What the bed days would cost the NHS", value.bed_days_nhs_cost, "£", value.bed_days_assumption),
        ("Value of volunteer time", value.volunteer_value, "£", value.volunteer_assumption),
        ("Charitable £ for each statutory £", value.charitable_per_statutory_pound, "£ per £", CHARITABLE_ASSUMPTION),
        (
            "Funding won together",
            value.money_won,
            "£",
            joint or "Funding won by joint projects, in the quarter it was awarded, as the register records it.",
        ),
        (
            "Costs saved together",
            value.money_saved,
            "£",
            joint or "Costs saved by joint projects, as the register records them.",
        ),
        ("Won and saved together", value.together, "£", together_assumption(data)),
    ]
    return pd.DataFrame(
        [
            {"Figure": label, "Value": float("nan") if v is None else v, "Unit": unit, "Assumption": assumption}
            for label, v, unit, assumption in rows
        ]
    )


def register_outcomes_table(data: ExportData) -> pd.DataFrame:
    """Every outcome the register records for the projects in scope, quarter by quarter."""
    o = data.register_outcomes
    return pd.DataFrame(
        {
            "Project": o["project"],
            "Quarter": o["quarter"],
            "Measure": o["measure_label"],
            "Value": o["value"],
            "Unit": o["unit"],
            "Measure key": o["measure"],
        }
    )


def register_history_table(data: ExportData) -> pd.DataFrame:
    """Every version of the register, newest first: when, what, by whom, from which workbook."""
    h = data.register_history
    return pd.DataFrame(
        {
            "Version": h["version"],
            "When": [pd.Timestamp(when).to_pydatetime() for when in h["made_at"]],
            "What": h["action"],
            "Detail": h["detail"].fillna(""),
            "By whom": h["by_whom"].fillna(""),
            "Workbook file": h["file_name"].fillna(""),
            "Projects": h["projects"],
            "Outcomes": h["outcomes"],
        }
    )


def notes_table(data: ExportData) -> pd.DataFrame:
    return pd.DataFrame(notes_lines(data), columns=["Note", "Detail"])


def all_tables(data: ExportData) -> dict[str, pd.DataFrame]:
    """Every table of an export, by a short name used for sheets and file names."""
    tables = {AREA_TITLES[area]: area_table(data, area) for area in AREAS}
    tables["Members"] = members_table(data)
    tables["Returns included"] = provenance_table(data)
    tables["Returns missing"] = missing_table(data)
    tables["Definitions"] = definitions_table(data)
    tables["Joint work projects"] = joint_projects_table(data)
    tables["Joint work outcomes"] = register_outcomes_table(data)
    tables["Notes"] = notes_table(data)
    return tables
