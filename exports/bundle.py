"""File names and the one-call makers the page and the command line share."""

from __future__ import annotations

import io
import zipfile

from common.words import slug
from contract.periods import Period
from exports.csv_safe import to_csv
from exports.data import ExportData, gather
from exports.deck import build_deck
from exports.tables import all_tables
from exports.workbook import build_workbook


def file_stem(text: str) -> str:
    """``Northvale Hospice Collaborative (demo)`` -> ``Northvale-Hospice-Collaborative-demo``."""
    return slug(text, lower=False) or "export"


def file_name(data: ExportData, what: str, suffix: str) -> str:
    """``Northvale-Hospice-Collaborative_2024-25_deck.pptx``; ``_suppressed`` marks the rule in the name."""
    parts = [file_stem(data.collaborative), file_stem(data.period.label), file_stem(what)]
    if data.suppress:
        parts.append("suppressed")
    return "_".join(parts) + suffix


def csv_files(data: ExportData) -> dict[str, bytes]:
    """Every table as its own CSV. A CSV has no room for notes, so the Notes table (which states
    the suppression rule when it is on) is a file of its own, and the file names say ``suppressed``."""
    return {file_name(data, name, ".csv"): to_csv(table) for name, table in all_tables(data).items()}


def csv_zip(data: ExportData) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in csv_files(data).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def make_deck(con, period: Period, members: list[str] | None = None, suppress: bool = False) -> bytes:
    return build_deck(gather(con, period, members, suppress))


def make_workbook(con, period: Period, members: list[str] | None = None, suppress: bool = False) -> bytes:
    return build_workbook(gather(con, period, members, suppress))
