"""Exports for presentations: a PowerPoint deck, an Excel workbook, CSVs and chart images.

Everything here is drawn from ``metrics`` (exports never compute a figure) and
nothing here imports streamlit, so the Export page and ``python -m exports``
make the same files::

    with store.db.connect() as con:
        data = exports.gather(con, Period.parse("2024/25"), members=None, suppress=False)
    exports.build_deck(data)        # .pptx bytes, native editable charts
    exports.build_workbook(data)    # .xlsx bytes, a sheet per area and Notes
    exports.csv_files(data)         # {file name: CSV bytes}, one per table
    exports.to_csv(frame)           # any table as safe CSV bytes (UTF-8 with BOM)
    exports.images.to_image(fig, "png")   # chart images; ImagesUnavailable without a browser
"""

from exports.bundle import csv_files, csv_zip, file_name, make_deck, make_workbook
from exports.csv_safe import neutralise, to_csv
from exports.data import ExportData, ExportError, gather
from exports.deck import build_deck
from exports.images import ImagesUnavailable
from exports.suppression import RULE as SUPPRESSION_RULE
from exports.tables import all_tables
from exports.workbook import build_workbook

__all__ = [
    "gather",
    "ExportData",
    "ExportError",
    "build_deck",
    "build_workbook",
    "all_tables",
    "to_csv",
    "neutralise",
    "csv_files",
    "csv_zip",
    "file_name",
    "make_deck",
    "make_workbook",
    "ImagesUnavailable",
    "SUPPRESSION_RULE",
]
