"""Export: the deck, the workbook, CSVs and chart images of the period and members chosen in the sidebar."""

from functools import partial

import streamlit as st

import exports
from common.words import markdown_safe
from contract.periods import Period
from exports import images
from metrics import format as fmt
from store import db, users
from ui import access, cached, show, sidebar

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_data(show_spinner=False, max_entries=20)
def _data(
    path: str, version: int, first: int, last: int, members: tuple, suppress: bool, hidden: tuple
) -> exports.ExportData:
    with db.connect(path) as con:
        return exports.gather(con, Period(first, last), list(members) or None, suppress, hidden=hidden)


@st.cache_data(show_spinner=False, max_entries=20)
def _file(what: str, *key) -> bytes:
    data = _data(*key)
    return {"deck": exports.build_deck, "workbook": exports.build_workbook, "csv": exports.csv_zip}[what](data)


@st.cache_data(show_spinner=False, max_entries=20)
def _tables(*key) -> dict:
    return exports.all_tables(_data(*key))


def _table_csv(name: str, by: str | None, *key) -> bytes:
    content = exports.to_csv(_tables(*key)[name])
    _record(f"the {name} table as CSV", by, key)
    return content


def _record(what: str, by: str | None, key: tuple) -> None:
    """A line in the audit of who exported what (the download runs when its button is clicked)."""
    with db.connect() as con:
        users.record(con, "exported", f"{what} for {Period(key[2], key[3]).label}", by)


def _exported(what: str, by: str | None, *key) -> bytes:
    """The file, written when its button is clicked, and a line in the audit of who exported what."""
    content = _file(what, *key)
    _record(f"the {what}", by, key)
    return content


@st.cache_data(show_spinner=False, max_entries=20)
def _image(chart: str, form: str, *key) -> bytes:
    return images.to_image(images.chart(_data(*key), chart), form)


view = sidebar.view()
st.title("Export")
if show.no_data(view):
    st.stop()

chosen = ", ".join(cached.names().get(c, c) for c in view.members)
st.caption(
    f"{fmt.period_title(view.period)}, {markdown_safe(chosen) or 'all members'}: "
    "the period and members chosen in the sidebar."
)
who = access.person()
if who.suppress_exports:  # always on for viewers
    suppress = True
    st.caption(f"Small numbers are suppressed in everything you export. {exports.SUPPRESSION_RULE}")
else:
    suppress = st.checkbox(
        "Suppress small numbers in everything exported", key="export_suppress", help=exports.SUPPRESSION_RULE
    )
    if suppress:
        st.caption(exports.SUPPRESSION_RULE)
key = (cached.db_path(), cached.version(), view.period.first, view.period.last, view.members, suppress, who.hidden)
data = _data(*key)
show.incomplete_badge(data.coverage)

st.subheader("For the meeting")
files = [
    ("deck", "PowerPoint deck", ".pptx", PPTX, ":material/slideshow:"),
    ("workbook", "Excel workbook", ".xlsx", XLSX, ":material/table_view:"),
    ("csv", "Every table as CSV (zip)", ".zip", "application/zip", ":material/folder_zip:"),
]
for column, (what, label, suffix, mime, icon) in zip(st.columns(3), files):
    column.download_button(
        label,
        partial(_exported, what, who.by, *key),
        file_name=exports.file_name(data, what, suffix),
        mime=mime,
        icon=icon,
        on_click="ignore",
        key=f"export-{what}",
        type="primary",
    )
st.caption(
    "The deck's charts are PowerPoint charts: restyle them in PowerPoint. The workbook's Notes sheet "
    "lists every return the figures come from, with its file name, when it was loaded and its SHA-256."
)

st.subheader("Tables as CSV")
tables = list(_tables(*key))
for column, name in zip(st.columns(3) * len(tables), tables):  # each CSV is written when clicked
    column.download_button(
        name,
        partial(_table_csv, name, who.by, *key),
        file_name=exports.file_name(data, name, ".csv"),
        mime="text/csv",
        on_click="ignore",
        key=f"csv-{name}",
        icon=":material/download:",
    )

st.subheader("Chart images")
left, right = st.columns([3, 1])
chart = left.selectbox("Chart", list(images.CHARTS), key="export_chart")
form = right.radio("Format", images.FORMATS, format_func=str.upper, horizontal=True, key="export_format")
st.plotly_chart(images.chart(data, chart), theme=None, config=show.PLOTLY_CONFIG, key="export-preview")
if images.browser_path() is None:
    st.info(images.MESSAGE, icon=":material/photo_camera:")
elif st.button(f"Make a {form.upper()} of this chart", key="export-image"):
    try:
        with st.spinner("Drawing the chart..."):
            content = _image(chart, form, *key)
            _record(f"the chart image {chart} ({form})", who.by, key)
        st.download_button(
            f"Download the {form.upper()}",
            content,
            file_name=exports.file_name(data, chart, f".{form}"),
            mime="image/png" if form == "png" else "image/svg+xml",
            on_click="ignore",
            key="export-image-download",
            icon=":material/download:",
        )
    except images.ImagesUnavailable as error:
        st.info(str(error), icon=":material/photo_camera:")
