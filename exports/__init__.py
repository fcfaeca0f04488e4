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

from importlib import import_module

# Each name is imported when first used (PEP 562), so ``import exports.chasing`` on a page does
# not pay for python-pptx and openpyxl: the first page after a server start is drawn sooner.
_WHERE = {
    "csv_files": "exports.bundle",
    "csv_zip": "exports.bundle",
    "file_name": "exports.bundle",
    "make_deck": "exports.bundle",
    "make_workbook": "exports.bundle",
    "neutralise": "exports.csv_safe",
    "to_csv": "exports.csv_safe",
    "ExportData": "exports.data",
    "ExportError": "exports.data",
    "gather": "exports.data",
    "build_deck": "exports.deck",
    "ImagesUnavailable": "exports.images",
    "SUPPRESSION_RULE": "exports.suppression",
    "all_tables": "exports.tables",
    "build_workbook": "exports.workbook",
}


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'exports' has no attribute {name!r}")
    module = import_module(_WHERE[name])
    return getattr(module, "RULE" if name == "SUPPRESSION_RULE" else name)


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
