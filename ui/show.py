"""Page components: headline tiles, the incomplete badge, a chart with its note and CSV.

Everything shown is a metric value written by ``metrics.format``; the only
work done here is choosing words.
"""

from __future__ import annotations

import math
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import charts
from common.words import COMBINED, UNNAMED, join_and, markdown_safe, slug
from contract.periods import quarter_label
from exports.csv_safe import to_csv
from metrics import format as fmt
from metrics.definitions import FIGURES
from metrics.figure import Figure
from metrics.workforce import VACANCIES, VACANCY_RATE
from ui import access, cached
from ui.view import VIEW_KEY, View

PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
MISSING_SHOWN = 12  # a chart's note names at most this many members with missing returns


def _absent(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def change_text(row: pd.Series | None) -> tuple[str | None, str | None]:
    """(delta for st.metric, reason it is not given) from one row of ``metrics.change``."""
    if row is None:
        return None, None
    if isinstance(row.get("reason"), str) and row["reason"]:
        return None, f"No comparison with {row['comparison_period']}: {row['reason']}."
    if row["unit"] == "%":
        return f"{fmt.points(row['change'])} on {row['comparison_period']}", None
    if _absent(row.get("change_pct")):
        return f"{fmt.change(row['change'], row['unit'])} on {row['comparison_period']}", None
    sign = "+" if row["change_pct"] >= 0 else ""
    return f"{sign}{fmt.percent(row['change_pct'], 1)} on {row['comparison_period']}", None


def change_row(changes: pd.DataFrame, figure: Figure, breakdown: str = "all", member_code: str = COMBINED):
    """The row of ``metrics.change`` for one figure, or None."""
    hit = changes[
        (changes["measure"] == figure.key)
        & (changes["breakdown"] == breakdown)
        & (changes["member_code"] == member_code)
    ]
    return hit.iloc[0] if len(hit) else None


def missing_by_member(coverage) -> dict[str, list[str]]:
    """Member code -> quarter labels with no return, from ``metrics.coverage``."""
    out: dict[str, list[str]] = {}
    hidden = access.person().hidden
    for code, index in coverage.missing:
        out.setdefault(UNNAMED if code in hidden else code, []).append(quarter_label(index))
    return out


def incomplete_badge(coverage) -> None:
    """An orange badge naming each member whose return is missing, when any is."""
    missing = missing_by_member(coverage)
    if not missing:
        return
    names = cached.names()
    shown = "; ".join(f"{names.get(code, code)} ({', '.join(labels)})" for code, labels in missing.items())
    st.badge(f"Incomplete: no return from {markdown_safe(shown)}", icon=":material/warning:", color="orange")


# Figures where a fall is the good news: their change is coloured the other way round.
LOWER_IS_BETTER = {VACANCY_RATE.key, VACANCIES.key}


def tile(
    label: str,
    value: str,
    row=None,
    detail: str | None = None,
    help: str | None = None,
    partial: str | None = None,
) -> None:
    """A headline figure with its change on the same period last year (or why there is none).

    ``partial``: why the figure is partial (``blank_note``), shown under a badge.
    """
    delta, reason = change_text(row)
    inverse = row is not None and row["measure"] in LOWER_IS_BETTER
    st.metric(label, value, delta, help=help, border=True, delta_color="inverse" if inverse else "normal")
    if partial:
        st.badge("Partial", icon=":material/rule:", color="orange")
    for line in (detail, reason, partial):
        if line:
            st.caption(markdown_safe(line))  # a partial figure's note names members


def note(view: View, *figures: Figure) -> str:
    """The source and completeness note under a chart.

    ``figures``: the figures the chart shows; where one of them is partial (a member
    left it blank in a return that is in) the note says who and when.
    """
    cover = cached.coverage(view)
    source = (
        f"Source: quarterly returns of {len(cover.members_reporting)} of "
        f"{len(cover.members_expected)} members, {fmt.period_title(view.period)}."
    )
    blanks = "".join(f" {text}" for text in (blank_note(view, figure) for figure in figures) if text)
    others = _others_note(len(cover.members_expected))
    unseen = cached.hidden_count()
    if unseen:
        others += (
            f" The combined figures include {unseen} member{'s' if unseen > 1 else ''} not shown individually, "
            "as they chose."
        )
    if cover.complete:
        return f"{source} Complete: every member's return is in for every quarter.{blanks}{others}"
    missing = missing_by_member(cover)
    shown = list(missing.items())[:MISSING_SHOWN]
    gaps = "; ".join(f"{code} {', '.join(labels)}" for code, labels in shown)
    more = f"; and {len(missing) - len(shown)} more members" if len(missing) > len(shown) else ""
    return f"{source} Incomplete, missing: {gaps}{more}.{blanks}{others}"


def _others_note(members: int) -> str:
    """Past a dozen members the charts name the largest and add the rest together (``metrics.groups``)."""
    if members <= cached.TOP + 2:
        return ""
    return (
        f" Charts by member name the {cached.TOP} largest members on each figure (for a rate, those with "
        f"the largest base) and add the other {members - cached.TOP} together as Other members; "
        "the Export page has every member."
    )


def blank_note(view: View, figure: Figure, breakdown: str = "all") -> str | None:
    """``Elmfield Hospice did not report volunteer hours for 2024/25 Q2, so ...``, or None.

    Said where the figure is partial for the view: a member's return is in for a quarter
    but left the figure blank, so the period's figure leaves that quarter out.
    """
    frame = cached.chart_figures(view)
    combined = frame[
        (frame["measure"] == figure.key) & (frame["breakdown"] == breakdown) & (frame["member_code"] == COMBINED)
    ]
    if combined.empty or not combined["partial"].iloc[0]:
        return None
    rows = cached.not_reported(view)
    rows = rows[(rows["measure"] == figure.key) & (rows["breakdown"] == breakdown)]
    names = cached.names()
    by_member = {code: group["quarter_label"].tolist() for code, group in rows.groupby("member_code")}
    left_out = "left part of" if figure.kind == "rate" else "did not report"  # a rate: one side was blank
    shown = [
        f"{names.get(code, code)} {left_out} {figure.label.lower()} for {join_and(labels)}"
        for code, labels in list(by_member.items())[:3]
    ]
    more = len(by_member) - len(shown)
    who = "; ".join(shown) + (f"; nor did {more} more member{'s' if more > 1 else ''}" if more else "")
    quarters = "that quarter" if len(rows) == 1 else "those quarters"
    return f"{who}, so the {view.period.label} figure leaves {quarters} out."


def blank_notes(view: View, *figures: Figure) -> str | None:
    """The ``blank_note`` of each figure that is partial, together; None when none is."""
    notes = list(dict.fromkeys(note for note in (blank_note(view, figure) for figure in figures) if note))
    return " ".join(notes) or None


def children(under_18: float) -> str:
    """The people-supported tile's line on children: never "0 children" when none were reported."""
    if under_18 is None or math.isnan(under_18) or under_18 == 0:
        return "No children or young people under 18 in these members' returns"
    return f"{fmt.count(under_18)} children and young people under 18"


def rows(frame: pd.DataFrame, *figures: Figure) -> pd.DataFrame:
    """The rows of a figure frame that a chart draws, for its CSV."""
    return frame[frame["measure"].isin([figure.key for figure in figures])]


def chart(fig: go.Figure, data: pd.DataFrame, name: str, note_text: str) -> None:
    """The chart, then its source note and a CSV of exactly the data drawn.

    The CSV is written when the button is clicked, not on every run of the page.
    """
    st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, key=f"chart-{slug(name)}")
    st.caption(markdown_safe(note_text + _partial_notes(data, note_text)))  # notes name members
    # Under the note, not beside it: in a half-width column a side button is squeezed to "C…".
    st.download_button(
        "CSV of this chart",
        partial(to_csv, data),
        file_name=f"{slug(name)}.csv",
        mime="text/csv",
        key=f"csv-{slug(name)}",
        on_click="ignore",
        icon=":material/download:",
        type="tertiary",
    )


def _partial_notes(data: pd.DataFrame, already: str) -> str:
    """What the note must add for the partial figures a chart draws (those it does not say already)."""
    view = st.session_state.get(VIEW_KEY)  # the sidebar's view, read here: ui.sidebar depends on this module
    if view is None or "measure" not in data:
        return ""
    notes = [blank_note(view, FIGURES[key]) for key in dict.fromkeys(data["measure"]) if key in FIGURES]
    return "".join(f" {text}" for text in notes if text and text not in already)


SPC_MODE = "spc_mode"


def spc_toggle() -> bool:
    """The page's switch between plain trends and SPC charts; True when SPC charts are wanted."""
    return st.toggle(
        "Show trends as SPC charts: is a change real?",
        key=SPC_MODE,
        help="Making Data Count: the mean and process limits of each quarter's figure. Orange is a special "
        "cause of concern, blue of improvement, purple where neither way is better, grey is common cause.",
    )


def spc_section(view: View, figures: list[Figure]) -> None:
    """A switch that shows this page's trends as SPC charts, two to a row, under the tiles."""
    if not spc_toggle():
        return
    for row in range(0, len(figures), 2):
        for column, figure in zip(st.columns(2), figures[row : row + 2]):
            with column:
                spc_chart(view, figure, figure.key)


def variation_table(view: View, figures: list[Figure]) -> None:
    """Variation at a glance: each key figure's latest quarter against its mean and process limits,
    with the variation and assurance in words (an NHS integrated performance report's summary)."""
    rows = []
    for result in cached.variation_at_a_glance(view, figures):
        used = result.points[result.points["used"]]
        last = used.iloc[-1] if len(used) else None
        unit, kind = result.figure.unit, result.figure.kind
        rows.append(
            {
                "Figure": result.figure.label,
                "Latest quarter": last["quarter_label"] if last is not None else "",
                "Latest": fmt.value(last["value"] if last is not None else None, unit, missing="–", kind=kind),
                "Mean": fmt.value(last["mean"] if last is not None else None, unit, missing="–", kind=kind),
                "Process limits": (
                    f"{fmt.value(last['lpl'], unit, missing='–', kind=kind)} to "
                    f"{fmt.value(last['upl'], unit, missing='–', kind=kind)}"
                    if last is not None
                    else ""
                ),
                "Variation": charts.variation_text(result.chart.variation if result.chart else None),
                "Assurance": charts.spc_assurance_text(result.chart.assurance if result.chart else None),
                "Quarters": f"{result.used}" + (" (provisional)" if result.provisional else ""),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(
        "Each figure's quarters against their mean and process limits (Making Data Count). Special cause: the "
        "latest quarter is outside the limits or part of a run or trend a chance pattern would rarely make. "
        "Fewer than 13 quarters make the limits provisional. Quarters with a missing return or a figure left "
        "blank are left out. Assurance needs a target (Data page, Settings)."
    )


def spc_chart(view: View, figure: Figure, name: str) -> None:
    """The figure's SPC chart, with what it rests on, the variation in words and a CSV of its points."""
    result = cached.spc(view, figure)
    title = f"{figure.label}: {charts.variation_text(result.chart.variation if result.chart else None)}"
    fig = charts.spc(result.points, title, figure.unit, figure.kind)
    left_out = result.points[~result.points["used"]]
    gaps = "; ".join(f"{row.quarter_label} ({row.reason})" for row in left_out.itertuples())
    note = (
        f"Mean and process limits from {result.used} quarter{'s' if result.used != 1 else ''} of the combined "
        f"figure{' (provisional: fewer than 13 quarters)' if result.provisional else ''}."
        + (f" Left out: {gaps}; a missing part would look like a fall." if gaps else "")
    )
    chart(fig, result.points, f"spc-{name}", note)


def no_data(view: View | None) -> bool:
    """Say so and return True when there is nothing to show for the chosen filters."""
    if view is None:
        st.info(
            "No returns are loaded yet. Upload members' returns on the **Data** page, "
            "or load the demo collaborative from the **Overview** page."
        )
        if access.person().loads_returns:
            st.page_link("app_pages/data.py", label="Go to the Data page", icon=":material/upload:")
        return True
    if not cached.coverage(view).members_reporting:
        st.info(
            f"No member has a return for {view.period.label} with these filters. "
            "Choose another period or more members in the sidebar."
        )
        return True
    return False


def figure_tiles(view: View, figures: dict[Figure, str | None], breakdown: str = "all") -> None:
    """A row of tiles: each figure's combined value and its change on the same period last year.

    ``figures`` maps each figure to a short tile label (None: the figure's own label).
    """
    changes = cached.change(view, against="year_earlier")
    for column, (figure, label) in zip(st.columns(len(figures)), figures.items()):
        row = change_row(changes, figure, breakdown)
        with column:
            value = fmt.value(None if row is None else row["value"], figure.unit, kind=figure.kind)
            tile(label or figure.label, value, row, help=figure.definition, partial=blank_note(view, figure, breakdown))


def side_by_side(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Every figure (no breakdown) as display text: a row per figure, a column per member."""
    rows = frame[frame["breakdown"] == "all"]
    labels = {key: figure.label for key, figure in FIGURES.items()}
    table = rows.assign(
        text=[fmt.value(v, u, missing="–", kind=k) for v, u, k in zip(rows["value"], rows["unit"], rows["kind"])]
    )
    wide = table.pivot(index="measure", columns="member_code", values="text")
    wide = wide.reindex(index=list(dict.fromkeys(rows["measure"])), columns=list(dict.fromkeys(rows["member_code"])))
    wide.index = [labels.get(key, key) for key in wide.index]
    return wide.rename(columns={COMBINED: "Collaborative", **names}).rename_axis("Figure").reset_index()
