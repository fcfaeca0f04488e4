"""The PowerPoint deck: title, the one-voice headline, a slide per area, data notes.

Every chart is a native PowerPoint chart (``add_chart``), so a coordinator can
restyle it, and its series are metric values exactly as metrics returns them
(money is shown in £m by the number format, not by dividing). Layout is our
own on python-pptx's default template: 16:9, titles 28pt and up, nothing
smaller than 14pt.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from charts.joint_work import KIND_COLOURS
from charts.palette import AGE_GROUP_COLOURS, NEUTRAL, STATUS_COLOURS, STATUTORY_COLOURS
from charts.spc import POINT_COLOURS
from charts.statement import number_word
from common.words import COMBINED, join_and
from contract.joint_work import KINDS, STATUSES, measure
from exports import tables, words
from exports.csv_safe import RISKY_STARTS
from exports.data import ExportData
from exports.suppression import SUPPRESSED, numeric
from exports.tables import breakdown_name
from metrics import format as fmt
from metrics.activity import (
    BEREAVEMENT_CLIENTS,
    COMMUNITY_CONTACTS,
    DAY_ATTENDANCES,
    FAMILY_SUPPORTED,
    HAH_VISITS,
    NEW_REFERRALS,
    PEOPLE_SUPPORTED,
    PREFERRED_PLACE_RATE,
)
from metrics.capacity import HAH_CAPACITY, IPU_BEDS, OCCUPANCY_RATE
from metrics.figure import Figure
from metrics.income import CHARITABLE_INCOME, INCOME_TOTAL, STATUTORY_INCOME, STATUTORY_SHARE
from metrics.value import CHARITABLE_ASSUMPTION
from metrics.workforce import STAFF_HEADCOUNT, VACANCY_RATE, VOLUNTEERS

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
TEXT = RGBColor(0x26, 0x27, 0x30)
GREY = RGBColor(0x55, 0x55, 0x55)
ACCENT = RGBColor(0x00, 0x72, 0xB2)
TITLE_PT, BODY_PT, SMALL_PT = 30, 18, 14
LONG_TITLE = 60  # characters of a title that fit two lines at 30pt
BLANK_LAYOUT = 6
TABLE_ROWS = 10  # members in the returns table before it becomes a sentence

CARE = (NEW_REFERRALS, HAH_VISITS, COMMUNITY_CONTACTS, DAY_ATTENDANCES, FAMILY_SUPPORTED, BEREAVEMENT_CLIENTS)
# the figures the deck shows, whose definitions the notes slides give
DECK_FIGURES = [
    INCOME_TOTAL,
    STATUTORY_INCOME,
    CHARITABLE_INCOME,
    STATUTORY_SHARE,
    STAFF_HEADCOUNT,
    VOLUNTEERS,
    VACANCY_RATE,
    IPU_BEDS,
    OCCUPANCY_RATE,
    HAH_CAPACITY,
    PEOPLE_SUPPORTED,
    PREFERRED_PLACE_RATE,
    *CARE,
]


# -- chart specifications: what to draw, from which metric values -------------


@dataclass
class Series:
    name: str
    values: list
    colour: str | None = None
    point_colours: list[str] | None = None


@dataclass
class ChartSpec:
    title: str
    categories: list[str]
    series: list[Series]
    number_format: str = "#,##0"
    stacked: str = ""  # "", "stacked" or "percent"
    labels: bool = True
    legend: bool = False

    @property
    def empty(self) -> bool:
        return not self.categories or all(v is None for s in self.series for v in s.values)


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def money_format(values: list) -> str:
    """Excel number format that shows pounds as £45.2m or £820k without changing the values."""
    top = max((abs(v) for v in values if v is not None), default=0)
    if top >= 1_000_000:
        return '£#,##0.0,,"m"'
    if top >= 10_000:
        return '£#,##0,"k"'
    return "£#,##0"


def _member_values(data: ExportData, figure: Figure, breakdown: str = "all", codes: list[str] | None = None) -> list:
    frame = data.areas[figure.area]
    rows = frame[(frame["measure"] == figure.key) & (frame["breakdown"] == breakdown)].set_index("member_code")
    return numeric(rows["value"].reindex(codes or data.members))


def by_member(
    data: ExportData, figure: Figure, title: str, fmt: str = "#,##0", with_combined: bool = False
) -> ChartSpec:
    """One figure, a bar per member in the member's own colour (and the collaborative in black)."""
    codes = [*data.members, COMBINED] if with_combined else list(data.members)
    values = _member_values(data, figure, codes=codes)
    return ChartSpec(
        title,
        [data.name(c) if c != COMBINED else "All members" for c in codes],
        [Series(figure.label, values, point_colours=[data.colours[c] for c in codes])],
        fmt,
    )


def income_charts(data: ExportData) -> list[ChartSpec]:
    statutory = _member_values(data, STATUTORY_INCOME)
    charitable = _member_values(data, CHARITABLE_INCOME)
    streams = data.areas[INCOME_TOTAL.area]
    streams = streams[
        (streams["measure"] == INCOME_TOTAL.key)
        & (streams["member_code"] == COMBINED)
        & (streams["breakdown"] != "all")
    ]
    stream_values = numeric(streams["value"])
    return [
        ChartSpec(
            "Each member's income, statutory and charitable",
            [data.name(c) for c in data.members],
            [
                Series("Statutory", statutory, STATUTORY_COLOURS["statutory"]),
                Series("Charitable", charitable, STATUTORY_COLOURS["charitable"]),
            ],
            money_format(
                [a + b for a, b in zip(statutory, charitable) if a is not None and b is not None]
                + statutory
                + charitable
            ),
            stacked="stacked",
            labels=False,
            legend=True,
        ),
        ChartSpec(
            "Income of all members by stream",
            [breakdown_name(b) for b in streams["breakdown"]],
            [Series("Total income", stream_values, NEUTRAL)],
            money_format(stream_values),
        ),
    ]


def workforce_charts(data: ExportData) -> list[ChartSpec]:
    return [
        by_member(data, STAFF_HEADCOUNT, "Staff headcount by member"),
        by_member(data, VOLUNTEERS, "Active volunteers by member"),
    ]


def capacity_charts(data: ExportData) -> list[ChartSpec]:
    return [
        by_member(data, IPU_BEDS, "Inpatient beds by member", "#,##0.0"),
        by_member(data, OCCUPANCY_RATE, "Inpatient occupancy by member", "0%", with_combined=True),
    ]


def activity_charts(data: ExportData) -> list[ChartSpec]:
    ages = [
        Series(breakdown_name(age), _member_values(data, PEOPLE_SUPPORTED, age), AGE_GROUP_COLOURS[age])
        for age in PEOPLE_SUPPORTED.breakdowns
    ]
    care = [numeric([data.value(figure.key)])[0] for figure in CARE]
    return [
        ChartSpec(
            "People supported by member and age group",
            [data.name(c) for c in data.members],
            ages,
            stacked="stacked",
            labels=False,
            legend=True,
        ),
        ChartSpec(
            "Care given by all members", [figure.label for figure in CARE], [Series("All members", care, NEUTRAL)]
        ),
    ]


MEMBER_SHARES = (INCOME_TOTAL, STAFF_HEADCOUNT, VOLUNTEERS, PEOPLE_SUPPORTED, IPU_BEDS)


def members_chart(data: ExportData) -> ChartSpec:
    """Each member's part of the whole: 100% bars whose series are the members' own figures."""
    categories = [figure.label for figure in MEMBER_SHARES]
    series = [
        Series(
            data.name(code),
            [_member_values(data, figure, codes=[code])[0] for figure in MEMBER_SHARES],
            data.colours[code],
        )
        for code in data.members
    ]
    return ChartSpec(
        "Each member's part of the combined figures",
        categories,
        series,
        "#,##0",
        stacked="percent",
        labels=False,
        legend=True,
    )


# -- drawing ------------------------------------------------------------------


def _emu(*lengths) -> list[int]:
    """Whole EMUs: the file format has no fractions of an EMU, and PowerPoint rejects them."""
    return [int(round(length)) for length in lengths]


def _text(
    slide,
    left,
    top,
    width,
    height,
    paragraphs,
    size=BODY_PT,
    bold=False,
    colour=TEXT,
    anchor=MSO_ANCHOR.TOP,
    align=PP_ALIGN.LEFT,
):
    """A text box; ``paragraphs`` is a string or a list of strings (one paragraph each)."""
    box = slide.shapes.add_textbox(*_emu(left, top, width, height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = 0
    for i, text in enumerate([paragraphs] if isinstance(paragraphs, str) else paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.space_after = Pt(6)
        run = paragraph.add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
    return box


def _title(slide, text: str) -> None:
    """Two lines at most: a long title (a range of quarters) is set at 28pt, the smallest title size."""
    size = TITLE_PT if len(text) <= LONG_TITLE else 28
    _text(slide, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(1.2), text, size, True, anchor=MSO_ANCHOR.MIDDLE)


def _footnote(slide, text: str) -> None:
    _text(
        slide,
        MARGIN,
        Inches(6.35),
        WIDTH - 2 * MARGIN,
        Inches(1.0),
        text,
        SMALL_PT,
        colour=GREY,
        anchor=MSO_ANCHOR.BOTTOM,
    )


def _chart_type(spec: ChartSpec):
    return {
        "": XL_CHART_TYPE.BAR_CLUSTERED,
        "stacked": XL_CHART_TYPE.BAR_STACKED,
        "percent": XL_CHART_TYPE.BAR_STACKED_100,
    }[spec.stacked]


def add_chart(slide, spec: ChartSpec, left, top, width, height):
    """A native bar chart of the spec; a plain sentence instead where nothing was reported."""
    if spec.empty:
        return _text(
            slide,
            left,
            top,
            width,
            height,
            [spec.title, "Nothing reported for this period and these members."],
            BODY_PT,
        )
    chart_data = CategoryChartData(number_format=spec.number_format)
    chart_data.categories = spec.categories
    for series in spec.series:
        chart_data.add_series(series.name, series.values)
    frame = slide.shapes.add_chart(_chart_type(spec), *_emu(left, top, width, height), chart_data)
    _text_stays_text(frame, spec.categories, [series.name for series in spec.series])
    chart = frame.chart
    _style_chart(chart, spec)
    for plotted, series in zip(chart.plots[0].series, spec.series):
        _colour_series(plotted, series)
    return chart


# What XlsxWriter, which python-pptx writes a chart's data sheet with, would not keep as plain text: a
# formula (=, {=...}), a link (http://, mailto:...), or text a spreadsheet runs when it is typed in again.
_NOT_PLAIN = re.compile(r"[=+\-@\t\r{]|(ftp|http)s?://|mailto:|(in|ex)ternal:|file://", re.IGNORECASE)


def _text_stays_text(frame, categories: list, names: list) -> None:
    """The chart's data sheet with each category and series name as plain text, never a formula or a link.

    A member or project named ``=HYPERLINK(...)`` would otherwise be a live formula in the sheet
    PowerPoint opens with "Edit Data". The sheet is python-pptx's: categories down column A from
    row 2, series names along row 1 from column B. The slide shows every name as written.
    """
    if not any(isinstance(text, str) and _NOT_PLAIN.match(text) for text in [*categories, *names]):
        return
    from openpyxl import load_workbook

    workbook = frame.chart_part.chart_workbook
    book = load_workbook(io.BytesIO(workbook.xlsx_part.blob))
    sheet = book.worksheets[0]
    cells = [(sheet.cell(row, 1), text) for row, text in enumerate(categories, start=2)]
    cells += [(sheet.cell(1, column), text) for column, text in enumerate(names, start=2)]
    for cell, text in cells:
        if isinstance(text, str):
            cell.hyperlink = None
            cell.value = text
            cell.data_type = "s"  # openpyxl too takes a string starting with = for a formula
            cell.quotePrefix = text.startswith(RISKY_STARTS)
    buffer = io.BytesIO()
    book.save(buffer)
    workbook.update_from_xlsx_blob(buffer.getvalue())


def _style_chart(chart, spec: ChartSpec) -> None:
    chart.font.size = Pt(SMALL_PT)
    chart.font.color.rgb = TEXT
    chart.has_title = True
    chart.chart_title.text_frame.text = spec.title
    title_font = chart.chart_title.text_frame.paragraphs[0].runs[0].font
    title_font.size, title_font.bold = Pt(16), True
    chart.has_legend = spec.legend
    if spec.legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(SMALL_PT)
    plot = chart.plots[0]
    plot.gap_width = 60
    if spec.stacked:
        plot.overlap = 100
    chart.category_axis.reverse_order = True  # first category at the top, as read
    chart.category_axis.tick_labels.font.size = Pt(SMALL_PT)
    chart.category_axis.format.line.color.rgb = RGBColor(0xBD, 0xBD, 0xBD)
    _value_axis_at_bottom(chart)
    _label_every_category(chart)
    _value_axis(chart.value_axis, spec)
    if spec.labels:
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format, labels.number_format_is_linked = spec.number_format, False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        labels.font.size = Pt(SMALL_PT)


def _value_axis_at_bottom(chart) -> None:
    """With categories reversed the value axis would move to the top; it crosses at the last category.

    python-pptx has no setting for where the value axis crosses the category axis, so the
    chart XML's ``c:valAx/c:crosses`` is set to ``max`` directly.
    """
    crosses = chart.value_axis._element.find(qn("c:crosses"))
    if crosses is not None:
        crosses.set("val", "max")


def _label_every_category(chart) -> None:
    """Every bar gets its name: left alone, PowerPoint skips labels when categories are many."""
    axis = chart.category_axis._element
    if axis.find(qn("c:tickLblSkip")) is None:
        skip = axis.makeelement(qn("c:tickLblSkip"), {"val": "1"})
        axis.find(qn("c:lblOffset")).addnext(skip)


def _value_axis(axis, spec: ChartSpec) -> None:
    """Values read off the axis; where every bar carries its label the axis would only repeat them."""
    axis.format.line.fill.background()
    if spec.stacked != "percent":
        axis.minimum_scale = 0
    if spec.labels:
        axis.visible = False
        axis.has_major_gridlines = False
        return
    axis.tick_labels.font.size = Pt(SMALL_PT)
    axis.tick_labels.number_format = "0%" if spec.stacked == "percent" else spec.number_format
    axis.tick_labels.number_format_is_linked = False
    if spec.stacked == "percent":
        axis.major_unit = 0.25
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = RGBColor(0xE6, 0xE6, 0xE6)


def _colour_series(plotted, series: Series) -> None:
    if series.colour:
        plotted.format.fill.solid()
        plotted.format.fill.fore_color.rgb = _rgb(series.colour)
    for i, colour in enumerate(series.point_colours or []):
        point = plotted.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colour)


def _blank(prs):
    return prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])


def _two_charts(slide, specs: list[ChartSpec]) -> None:
    top, height = Inches(1.6), Inches(4.7)
    width = (WIDTH - 2 * MARGIN - Inches(0.3)) / 2
    for i, spec in enumerate(specs):
        add_chart(slide, spec, MARGIN + i * (width + Inches(0.3)), top, int(width), height)


# -- slides ---------------------------------------------------------------------


def title_slide(prs, data: ExportData) -> None:
    slide = _blank(prs)
    band = slide.shapes.add_shape(1, 0, 0, WIDTH, Inches(0.35))  # 1: rectangle
    band.fill.solid()
    band.fill.fore_color.rgb = ACCENT
    band.line.fill.background()
    _text(
        slide,
        MARGIN,
        Inches(1.9),
        WIDTH - 2 * MARGIN,
        Inches(1.6),
        data.collaborative,
        44,
        True,
        anchor=MSO_ANCHOR.BOTTOM,
    )
    _text(
        slide,
        MARGIN,
        Inches(3.7),
        WIDTH - 2 * MARGIN,
        Inches(1.0),
        f"Our figures for {data.period.label}",
        32,
        colour=ACCENT,
    )
    _text(
        slide,
        MARGIN,
        Inches(4.7),
        WIDTH - 2 * MARGIN,
        Inches(1.4),
        [data.period.months, f"Prepared {words.long_date(data.created)}"],
        20,
        colour=GREY,
    )


def headline_slide(prs, data: ExportData) -> None:
    slide = _blank(prs)
    _text(slide, MARGIN, Inches(0.35), WIDTH - 2 * MARGIN, Inches(0.7), "One voice", TITLE_PT, True, colour=ACCENT)
    _text(
        slide, MARGIN, Inches(1.15), WIDTH - 2 * MARGIN, Inches(2.8), words.headline(data), 28, anchor=MSO_ANCHOR.MIDDLE
    )
    tiles = words.tiles(data)
    width = (WIDTH - 2 * MARGIN) / max(len(tiles), 1)
    for i, (figure, label) in enumerate(tiles):
        left = int(MARGIN + i * width)
        _text(slide, left, Inches(4.2), int(width - Inches(0.2)), Inches(0.75), figure, 32, True, ACCENT)
        _text(slide, left, Inches(4.95), int(width - Inches(0.2)), Inches(0.8), label, 18, colour=GREY)
    _footnote(slide, words.footnote(data))


def area_slide(prs, data: ExportData, title: str, specs: list[ChartSpec]) -> None:
    slide = _blank(prs)
    _title(slide, title)
    _two_charts(slide, specs)
    _footnote(slide, words.footnote(data))


def members_slide(prs, data: ExportData) -> None:
    slide = _blank(prs)
    _title(slide, words.members_title(data))
    add_chart(slide, members_chart(data), MARGIN, Inches(1.6), Inches(7.4), Inches(4.7))
    _returns_table(slide, data, MARGIN + Inches(7.7), Inches(1.7), WIDTH - 2 * MARGIN - Inches(7.7))
    _footnote(slide, words.footnote(data))


def _returns_table(slide, data: ExportData, left, top, width) -> None:
    """Member by quarter: a mark per return, in or missing (the completeness grid).

    Names wrap to two lines, so past five members the table shows codes; past
    TABLE_ROWS members it would run into the footnote and a sentence says it instead.
    """
    if len(data.members) > TABLE_ROWS:
        _text(slide, left, top, width, Inches(4.5), words.returns_summary(data), BODY_PT)
        return
    label = data.name if len(data.members) <= 5 else str
    quarters = sorted(data.grid["quarter_index"].unique())
    if len(quarters) > 4:
        rows = [(label(c), words.returns_in(data, c)) for c in data.members]
        header = ["Member", "Returns in"]
    else:
        header = ["Member", *[f"Q{(q % 4) + 1}" for q in quarters]]
        rows = [(label(c), *words.quarter_marks(data, c, quarters)) for c in data.members]
    height = Inches(0.4) * (len(rows) + 1)
    shape = slide.shapes.add_table(len(rows) + 1, len(header), *_emu(left, top, width, height))
    table = shape.table
    table.columns[0].width = int(width * (0.5 if len(header) > 2 else 0.6))
    for c in range(1, len(header)):
        table.columns[c].width = int((width - table.columns[0].width) / (len(header) - 1))
    for r, cells in enumerate([header, *rows]):
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            cell.text = str(text)
            font = cell.text_frame.paragraphs[0].runs[0].font
            font.size, font.bold = Pt(SMALL_PT), r == 0
            if r and c and text in words.MARKS.values():
                status = next(k for k, v in words.MARKS.items() if v == text)
                font.color.rgb = _rgb(STATUS_COLOURS[status])
                font.bold = True


# -- what we do together: the joint work register, and the value the collaborative adds ------

PROJECT_ROWS = 7  # projects in a table before it continues (a title or members can take two lines)
JOINT_OUTCOMES = ("money_won", "money_saved", "staff_shared_fte", "bed_days_shared", "people_trained", "people_reached")
TILE_LABELS = {"money_won": "Funding won", "money_saved": "Costs saved", "people_reached": "People reached"}
PROJECT_COLUMNS = (("Project", 4.2), ("Kind", 3.0), ("Members", 2.5), ("Lead", 0.9), ("Status", 1.53))


def together_title(data: ExportData) -> str:
    count = data.joint.joint_projects
    if not data.register_projects:
        return "What we do together"
    if not count:
        return f"What we do together: no joint project in {data.period.label}"
    return f"What we do together: {number_word(count)} joint project{'s' if count != 1 else ''} in {data.period.label}"


def kinds_chart(data: ExportData) -> ChartSpec:
    """Counted projects by kind, a bar per kind with any (as the Together page), in the kinds' colours."""
    by_kind = data.joint.joint_projects_by_kind
    kinds = [kind for kind, count in by_kind.items() if count]
    return ChartSpec(
        f"Joint projects by kind, {data.period.label}",
        [KINDS[kind] for kind in kinds],
        [
            Series(
                "Joint projects",
                [float(by_kind[kind]) for kind in kinds],
                point_colours=[KIND_COLOURS[k] for k in kinds],
            )
        ],
    )


def joint_outcome_text(key: str, value) -> str:
    """An outcome as the Together page shows it: ``£105k``, ``2.6`` FTE, ``327``; ``not reported`` where None."""
    if value == SUPPRESSED:
        return SUPPRESSED
    unit = measure(key).unit
    if unit == "£":
        return fmt.money(value)
    return fmt.decimal(value) if unit == "FTE" else fmt.count(value)


def joint_tiles(data: ExportData) -> list[tuple[str, str, str]]:
    """(value, what it is, what it covers): the projects counted, then each outcome of the period."""
    joint = data.joint
    planned = int((~joint.projects["counted"]).sum())
    tiles = [
        (
            fmt.count(joint.joint_projects),
            "Joint projects",
            f"And {planned} planned, not counted." if planned else "Active, complete or stopped.",
        )
    ]
    for key in JOINT_OUTCOMES:
        titles = joint.outcome_projects[key]
        covers = (
            f"From {len(titles)} project{'s' if len(titles) != 1 else ''}"
            if titles
            else "No counted project reported it"
        )
        tiles.append((joint_outcome_text(key, joint.outcomes[key]), TILE_LABELS.get(key, measure(key).label), covers))
    return tiles


def joint_footnote(data: ExportData) -> str:
    if not data.register_projects:
        return "Joint work comes from the register the coordinator keeps, not from the members' quarterly returns."
    text = (
        f"{tables.register_source(data)} A project counts when active, complete or stopped at any time in "
        f"{data.period.label}; planned ones are listed, not counted. Outcomes are summed over the quarters and "
        "projects (staff shared: each project's latest quarter); not reported is never zero."
    )
    if data.unseen:
        text += " Members not shown individually take part but are not named."
    if data.suppress:
        text += " * 1 to 7 people; other counts of people rounded to the nearest 5."
    return text


def together_slides(prs, data: ExportData) -> None:
    """What we do together (projects by kind and the key outcomes), the projects, then the value added."""
    slide = _blank(prs)
    _title(slide, together_title(data))
    if not data.register_projects:
        _text(slide, MARGIN, Inches(1.8), WIDTH - 2 * MARGIN, Inches(2.0), tables.REGISTER_EMPTY, 24)
    elif not data.joint.joint_projects:
        shown = [f"No joint project counted in {data.period.label} for the members in this export."]
        planned = len(data.joint.projects)
        if planned:
            shown.append(f"{number_word(planned).capitalize()} planned, listed on the next slide.")
        _text(slide, MARGIN, Inches(1.8), WIDTH - 2 * MARGIN, Inches(2.0), shown, 24)
    else:
        add_chart(slide, kinds_chart(data), MARGIN, Inches(1.6), Inches(5.6), Inches(4.6))
        _joint_tiles(slide, joint_tiles(data), MARGIN + Inches(5.9), Inches(1.6), WIDTH - 2 * MARGIN - Inches(5.9))
    _footnote(slide, joint_footnote(data))
    if not data.joint.projects.empty:
        project_slides(prs, data)
    value_slide(prs, data)


def _joint_tiles(slide, tiles: list[tuple[str, str, str]], left, top, width) -> None:
    """Two columns of big numbers, each with what it is and what it covers; "not reported" in grey."""
    column = (width - Inches(0.3)) / 2
    for i, (value, label, covers) in enumerate(tiles):
        x, y = int(left + (i % 2) * (column + Inches(0.3))), int(top + (i // 2) * Inches(1.15))
        reported = value != fmt.NOT_REPORTED
        _text(slide, x, y, int(column), Inches(0.5), value, 26 if reported else 20, True, ACCENT if reported else GREY)
        _text(slide, x, y + Inches(0.48), int(column), Inches(0.6), [label, covers], SMALL_PT, colour=GREY)


def project_rows(data: ExportData) -> list[list[str]]:
    """Each project of the period as the table reads it: members and lead by code, planned ones marked."""
    p = data.joint.projects
    rows = []
    for title, kind, members, hidden, lead, status in zip(
        p["title"], p["kind_label"], p["members"], p["members_not_shown"], p["lead"], p["status"]
    ):
        who = list(members) + ([f"{hidden} not shown"] if hidden else [])
        state = "Planned: not counted" if status == "planned" else STATUSES[status]
        rows.append([str(title), kind, join_and(who), lead if isinstance(lead, str) else "–", state])
    return rows


def project_slides(prs, data: ExportData) -> None:
    """The period's projects as a native table, PROJECT_ROWS a slide; the footnote gives each code's name."""
    rows, projects = project_rows(data), data.joint.projects
    pages = math.ceil(len(rows) / PROJECT_ROWS)
    size = math.ceil(len(rows) / pages)  # nine projects: five and four, not eight and one
    for page in range(pages):
        first, last = page * size, (page + 1) * size
        slide = _blank(prs)
        _title(slide, f"Joint projects in {data.period.label}" + (f" ({page + 1} of {pages})" if pages > 1 else ""))
        _project_table(slide, rows[first:last])
        codes = sorted({code for members in projects["members"].iloc[first:last] for code in members})
        key = "; ".join(f"{code} {data.member_name(code)}" for code in codes)
        _footnote(
            slide,
            f"Members and leads by code: {key}. {tables.register_source(data)} Planned projects are listed, "
            "not counted in the figures.",
        )


def _project_table(slide, rows: list[list[str]]) -> None:
    header = [name for name, _ in PROJECT_COLUMNS]
    height = Inches(0.45) * (len(rows) + 1)
    width = WIDTH - 2 * MARGIN
    table = slide.shapes.add_table(len(rows) + 1, len(header), *_emu(MARGIN, Inches(1.5), width, height)).table
    total = sum(share for _, share in PROJECT_COLUMNS)
    for c, (_, share) in enumerate(PROJECT_COLUMNS):
        table.columns[c].width = int(width * share / total)
    for r, cells in enumerate([header, *rows]):
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            cell.text = text or "–"  # titles from the register: plain text, never markup
            font = cell.text_frame.paragraphs[0].runs[0].font
            font.size, font.bold = Pt(SMALL_PT), r == 0
            if r and text.startswith("Planned"):
                font.color.rgb = GREY


def value_slide(prs, data: ExportData) -> None:
    """The value the collaborative adds: four figures, each with the assumption it rests on, on the slide."""
    value = data.value_added
    tiles = [
        (fmt.count(value.bed_days), "Inpatient bed days provided", tables.bed_days_assumption(data)),
        (fmt.money(value.volunteer_value), "Value of volunteer time", value.volunteer_assumption),
        (
            fmt.pounds(value.charitable_per_statutory_pound),
            "Charitable £ for each statutory £",
            CHARITABLE_ASSUMPTION,
        ),
        (fmt.money(value.together), "Won and saved together", tables.together_assumption(data)),
    ]
    slide = _blank(prs)
    _title(slide, f"The value the collaborative adds in {data.period.label}")
    column = (WIDTH - 2 * MARGIN - Inches(0.5)) / 2
    for i, (figure, label, assumption) in enumerate(tiles):
        x, y = int(MARGIN + (i % 2) * (column + Inches(0.5))), int(Inches(1.7) + (i // 2) * Inches(2.35))
        reported = figure != fmt.NOT_REPORTED
        _text(slide, x, y, int(column), Inches(0.6), figure, 32 if reported else 24, True, ACCENT if reported else GREY)
        _text(slide, x, y + Inches(0.62), int(column), Inches(0.45), label, BODY_PT, True)
        _text(slide, x, y + Inches(1.07), int(column), Inches(1.2), assumption, SMALL_PT, colour=GREY)
    _footnote(slide, f"{words.footnote(data)} Won and saved together: {tables.register_version(data)}.")


def notes_slides(prs, data: ExportData) -> None:
    slide = _blank(prs)
    _title(slide, "Data notes: what these figures include")
    _text(slide, MARGIN, Inches(1.6), WIDTH - 2 * MARGIN, Inches(5.5), words.notes(data), 16)
    for page, (left, right) in enumerate(words.definition_pages(DECK_FIGURES), start=1):
        slide = _blank(prs)
        _title(slide, "Data notes: definitions" + (f" ({page})" if page > 1 else ""))
        column = (WIDTH - 2 * MARGIN - Inches(0.4)) / 2
        _text(slide, MARGIN, Inches(1.5), int(column), Inches(5.8), left, SMALL_PT)
        _text(slide, int(MARGIN + column + Inches(0.4)), Inches(1.5), int(column), Inches(5.8), right, SMALL_PT)


# -- SPC: is a change real? (Making Data Count) ------------------------------

SPC_SLIDES = (
    ("Income", ("income_total", "statutory_share")),
    ("Workforce", ("staff_headcount", "vacancy_rate")),
    ("Capacity", ("ipu_beds", "occupancy_rate")),
    ("Activity", ("people_supported", "new_referrals")),
)
SPC_POINT_WORDS = {
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: higher",
    "special_cause_neutral_low": "Special cause: lower",
}


def spc_chart_data(result) -> tuple[list[str], dict[str, list]]:
    """The categories and series of one SPC chart: Value (None where a quarter is left out), Mean, limits."""
    points = result.points
    used = points["used"].tolist()

    def column(name: str) -> list:
        return [float(v) if ok and v is not None and v == v else None for v, ok in zip(points[name], used)]

    series = {
        "Value": column("value"),
        "Mean": column("mean"),
        "Upper process limit": column("upl"),
        "Lower process limit": column("lpl"),
    }
    for point_type, name in SPC_POINT_WORDS.items():  # the special-cause points as series of their own
        marked = [v if t == point_type else None for v, t in zip(series["Value"], points["point_type"])]
        if any(v is not None for v in marked):
            series[name] = marked
    return list(points["quarter_label"]), series


def _spc_chart(slide, result, left, top, width, height) -> None:
    """A native line chart: the quarters, the mean and process limits; special-cause points coloured."""
    from charts.spc import variation_text

    categories, series = spc_chart_data(result)
    if not any(v is not None for v in series["Value"]):
        _text(slide, left, top, width, height, [result.figure.label, "No quarter to chart."], BODY_PT)
        return
    unit = result.figure.unit
    number_format = "0.0%" if unit == "%" else money_format(series["Value"]) if unit == "£" else "#,##0"
    chart_data = CategoryChartData(number_format=number_format)
    chart_data.categories = categories
    for name, values in series.items():
        chart_data.add_series(name, values)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, *_emu(left, top, width, height), chart_data)
    _text_stays_text(frame, categories, list(series))
    chart = frame.chart
    chart.font.size = Pt(SMALL_PT)
    chart.has_title = True
    variation = variation_text(result.chart.variation if result.chart else None)
    chart.chart_title.text_frame.text = f"{result.figure.label}: {variation}"
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(16)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    plotted = list(chart.plots[0].series)
    value, mean, upper, lower = plotted[:4]
    for line, colour, dashed in ((mean, "#425563", False), (upper, "#768692", True), (lower, "#768692", True)):
        line.format.line.color.rgb = _rgb(colour)
        line.marker.style = XL_MARKER_STYLE.NONE
        if dashed:
            line.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    value.format.line.color.rgb = _rgb("#BBBBBB")
    _marker(value, "#8A8A8A", 6)
    words_to_type = {words: point_type for point_type, words in SPC_POINT_WORDS.items()}
    for marked in plotted[4:]:  # special-cause points: coloured markers, no line
        marked.format.line.fill.background()
        _marker(marked, POINT_COLOURS[words_to_type[marked.name]], 9)
    axis = chart.value_axis
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = number_format, False
    shown = [
        v for name in ("Value", "Upper process limit", "Lower process limit") for v in series[name] if v is not None
    ]
    low, high = min(shown), max(shown)
    pad = (high - low) * 0.15 or abs(high) * 0.05 or 1
    axis.minimum_scale, axis.maximum_scale = max(0.0, low - pad), high + pad  # the spread, not the distance from 0
    axis.tick_labels.font.size = Pt(SMALL_PT)
    chart.category_axis.tick_labels.font.size = Pt(SMALL_PT)


def _marker(series, colour: str, size: int) -> None:
    marker = series.marker
    marker.style, marker.size = XL_MARKER_STYLE.CIRCLE, size
    marker.format.fill.solid()
    marker.format.fill.fore_color.rgb = _rgb(colour)
    marker.format.line.color.rgb = _rgb(colour)


def spc_slides(prs, data: ExportData) -> None:
    """An SPC slide per area (two native line charts), then the variation at a glance."""
    by_key = {result.figure.key: result for result in data.spc}
    for area, keys in SPC_SLIDES:
        shown = [by_key[key] for key in keys if key in by_key]
        if not shown:
            continue
        slide = _blank(prs)
        _title(slide, f"{area}: is a change real?")
        half = (WIDTH - 2 * MARGIN - Inches(0.4)) / 2
        for i, result in enumerate(shown):
            _spc_chart(slide, result, MARGIN + i * (half + Inches(0.4)), Inches(1.6), half, Inches(4.8))
        _footnote(slide, words.spc_footnote(data))
    if data.spc:
        glance_slide(prs, data)


def glance_slide(prs, data: ExportData) -> None:
    """Variation at a glance: each key figure's latest quarter, mean, limits, variation and assurance."""

    header = ["Figure", "Latest", "Mean", "Process limits", "Variation", "Assurance"]
    rows = []
    for result in data.spc:
        used = result.points[result.points["used"]]
        if used.empty:
            continue
        last, unit, kind = used.iloc[-1], result.figure.unit, result.figure.kind
        rows.append(
            [
                result.figure.label,
                fmt.value(last["value"], unit, kind=kind),
                fmt.value(last["mean"], unit, missing="–", kind=kind),
                f"{fmt.value(last['lpl'], unit, missing='–', kind=kind)} to "
                f"{fmt.value(last['upl'], unit, missing='–', kind=kind)}",
                SHORT_VARIATION.get(result.chart.variation if result.chart else None, "–"),
                SHORT_ASSURANCE.get(result.chart.assurance if result.chart else None, "No target"),
            ]
        )
    latest = max((r.points[r.points["used"]]["quarter_label"].iloc[-1] for r in data.spc if r.used), default="")
    for first in range(0, len(rows), GLANCE_ROWS):
        part = rows[first : first + GLANCE_ROWS]
        slide = _blank(prs)
        more = (
            f" ({first // GLANCE_ROWS + 1} of {math.ceil(len(rows) / GLANCE_ROWS)})" if len(rows) > GLANCE_ROWS else ""
        )
        _title(slide, f"Variation at a glance, to {latest}{more}")
        _glance_table(slide, header, part)
        _footnote(slide, words.spc_footnote(data))


GLANCE_ROWS = 7
SHORT_VARIATION = {
    "common_cause": "● Common cause",
    "special_cause_improvement": "▲ Improvement",
    "special_cause_concern": "▼ Concern",
    "special_cause_neutral_high": "◆ Higher",
    "special_cause_neutral_low": "◆ Lower",
}
SHORT_ASSURANCE = {"consistent_pass": "Will meet", "consistent_fail": "Will miss", "inconsistent": "May or may not"}


def _glance_table(slide, header: list[str], rows: list[list[str]]) -> None:
    height = Inches(0.45) * (len(rows) + 1)
    table = slide.shapes.add_table(
        len(rows) + 1, len(header), *_emu(MARGIN, Inches(1.5), WIDTH - 2 * MARGIN, height)
    ).table
    widths = [3.2, 1.5, 1.5, 2.6, 2.2, 1.8]
    total = sum(widths)
    for c, share in enumerate(widths):
        table.columns[c].width = int((WIDTH - 2 * MARGIN) * share / total)
    for r, cells in enumerate([header, *rows]):
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            cell.text = str(text)
            font = cell.text_frame.paragraphs[0].runs[0].font
            font.size, font.bold = Pt(SMALL_PT), r == 0


def build_deck(data: ExportData) -> bytes:
    """The whole deck as .pptx bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = f"{data.collaborative}: {data.period.label}"
    prs.core_properties.author = "One Voice"
    title_slide(prs, data)
    headline_slide(prs, data)
    area_slide(prs, data, words.income_title(data), income_charts(data))
    area_slide(prs, data, words.workforce_title(data), workforce_charts(data))
    area_slide(prs, data, words.capacity_title(data), capacity_charts(data))
    area_slide(prs, data, words.activity_title(data), activity_charts(data))
    members_slide(prs, data)
    together_slides(prs, data)
    notes_slides(prs, data)
    spc_slides(prs, data)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
