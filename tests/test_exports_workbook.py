"""The Excel workbook, opened with openpyxl: every figure equals metrics.summary's, formatted, with provenance."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

import metrics
from contract.periods import Period
from exports import SUPPRESSION_RULE, build_workbook
from metrics.summary import FIGURE_KEYS
from store import db, submissions
from tests.exports_fixtures import demo_path, export_data, small_path

PERIOD = "2024/25"
SHEETS = ["Income", "Workforce", "Capacity", "Activity", "Members", "SPC", "Joint work", "Notes"]


def open_book(data):
    return load_workbook(io.BytesIO(build_workbook(data)))


def rows_by_key(ws, header_row: int = 4) -> tuple[list[str], dict[tuple[str, str], list]]:
    header = [cell.value for cell in ws[header_row]]
    rows = {}
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        record = dict(zip(header, row))
        rows[(record["Figure key"], record["Breakdown key"])] = record
    return header, rows


@pytest.fixture(scope="module")
def demo():
    path = demo_path()
    with db.connect(path) as con:
        summary = metrics.summary(con, Period.parse(PERIOD))
        history = submissions.history(con)
    data = export_data(path, PERIOD)
    return open_book(data), summary, history, data


def test_a_sheet_per_area_then_members_and_notes(demo):
    assert demo[0].sheetnames == SHEETS


def test_every_summary_figure_equals_the_workbook_combined_and_by_member(demo):
    book, summary, _, data = demo
    found = {}
    for sheet in SHEETS[:4]:
        header, rows = rows_by_key(book[sheet])
        for key, figure in FIGURE_KEYS.items():
            if (figure, "all") in rows:
                found[key] = rows[(figure, "all")]
    assert set(found) == set(FIGURE_KEYS), "every summary figure is on an area sheet"
    for key, row in found.items():
        assert row["Combined"] == pytest.approx(summary[key], abs=1e-6), key  # summary rounds to 6 places
        for code, member in summary["by_member"].items():
            column = f"{data.member_names[code]} ({code})"
            assert row[column] == pytest.approx(member[key], abs=1e-6), (key, code)


def test_income_by_stream_equals_the_summary(demo):
    book, summary, _, _ = demo
    _, rows = rows_by_key(book["Income"])
    for stream, value in summary["income_by_stream"].items():
        assert rows[("income_total", stream)]["Combined"] == pytest.approx(value, abs=1e-6)


@pytest.mark.parametrize(
    "sheet, key, number_format",
    [
        ("Income", ("income_total", "all"), "£#,##0"),
        ("Income", ("statutory_share", "all"), "0.0%"),
        ("Income", ("charitable_per_statutory_pound", "all"), "£#,##0.00"),
        ("Workforce", ("staff_headcount", "nursing"), "#,##0"),
        ("Workforce", ("staff_fte", "all"), "#,##0.0"),
        ("Workforce", ("vacancy_rate", "all"), "0.0%"),
        ("Capacity", ("ipu_beds", "all"), "#,##0.0"),
        ("Capacity", ("occupancy_rate", "all"), "0.0%"),
        ("Activity", ("people_supported", "all"), "#,##0"),
        ("Activity", ("average_length_of_stay", "all"), "#,##0.0"),
    ],
)
def test_numbers_are_numbers_formatted_by_unit(demo, sheet, key, number_format):
    ws = demo[0][sheet]
    header = [cell.value for cell in ws[4]]
    for row in ws.iter_rows(min_row=5):
        if (row[header.index("Figure key")].value, row[header.index("Breakdown key")].value) == key:
            cells = row[3 : header.index("Figure key")]
            assert all(isinstance(cell.value, (int, float)) for cell in cells)
            assert {cell.number_format for cell in cells} == {number_format}
            return
    pytest.fail(f"{key} is not on {sheet}")


def test_headers_are_frozen_and_columns_sized(demo):
    book = demo[0]
    for sheet in SHEETS[:5]:
        ws = book[sheet]
        assert ws.freeze_panes == "C5"
        assert ws.column_dimensions["A"].width >= 8 and ws.column_dimensions["B"].width >= 20


def test_the_notes_sheet_lists_each_return_included_with_its_provenance(demo):
    book, _, history, data = demo
    ws = book["Notes"]
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    start = next(i for i, row in enumerate(values) if row[0] == "Returns included") + 1
    header = values[start]
    assert header[:6] == ["Member", "Quarter", "File name", "Loaded", "Sent by", "SHA-256"]
    included = []
    for row in values[start + 1 :]:
        if row[0] is None:
            break
        included.append(dict(zip(header, row)))
    current = history[
        (history["status"] == "current")
        & history["quarter_index"].between(Period.parse(PERIOD).first, Period.parse(PERIOD).last)
    ]
    assert len(included) == len(current) == 20
    by_id = current.set_index("submission_id")
    for row in included:
        stored = by_id.loc[row["Submission"]]
        assert row["SHA-256"] == stored["sha256"] and row["File name"] == stored["file_name"]
        assert row["Quarter"] == stored["period"]
        assert row["Loaded"] == stored["loaded_at"].to_pydatetime()
    loaded_cell = ws.cell(start + 2, header.index("Loaded") + 1)
    assert isinstance(loaded_cell.value, datetime) and loaded_cell.number_format == "dd mmmm yyyy hh:mm"


def test_the_notes_sheet_gives_definitions_and_assumptions(demo):
    book, summary, _, _ = demo
    text = [cell.value for row in book["Notes"].iter_rows() for cell in row if isinstance(cell.value, str)]
    assert summary["volunteer_value_assumption"] in text
    assert "Off: every figure is shown as reported." in text
    defs = metrics.definitions()
    assert set(defs["definition"]) <= set(text)


def test_a_missing_return_is_listed_and_the_suppression_rule_stated(tmp_path):
    data = export_data(small_path(tmp_path), "2024/25 Q1 to 2024/25 Q2", suppress=True)
    book = open_book(data)
    notes = [[cell.value for cell in row] for row in book["Notes"].iter_rows()]
    assert notes[next(i for i, row in enumerate(notes) if row[0] == "Small-number suppression")][:2] == [
        "Small-number suppression",
        SUPPRESSION_RULE,
    ]
    start = next(i for i, row in enumerate(notes) if row[0] == "Returns missing") + 1
    assert notes[start + 1][:3] == ["Bbb Hospice (BBB)", "2024/25 Q2", "missing"]
    assert book["Activity"]["A3"].value == SUPPRESSION_RULE
    _, rows = rows_by_key(book["Activity"])
    assert rows[("deaths", "18_to_25")]["Aaa Hospice (AAA)"] == "*"
    assert rows[("preferred_place_rate", "18_to_25")]["Aaa Hospice (AAA)"] == "*"
    assert rows[("people_supported", "all")]["Aaa Hospice (AAA)"] == 375
    assert rows[("new_referrals", "all")]["Combined"] is None  # not reported: blank, never 0
    _, workforce = rows_by_key(book["Workforce"])
    assert workforce[("staff_headcount", "all")]["Bbb Hospice (BBB)"] == 5
    members = [[cell.value for cell in row] for row in book["Members"].iter_rows(min_row=5)]
    assert members[1][:7] == ["BBB", "Bbb Hospice", "adult", None, "1 of 2", "No", "2024/25 Q2"]


def test_the_members_own_words_are_in_the_notes_and_never_become_a_formula(tmp_path):
    """A note typed as '=1+1' on a Return sheet is text in the workbook, as the member wrote it."""
    path = small_path(tmp_path)
    with db.connect(path) as con:
        con.execute(
            "update submissions set notes = '=1+1 (Q1 estimated)', prepared_by = 'Sam Finance', "
            "email = 'sam@aaa.example' where member_code = 'AAA'"
        )
    book = load_workbook(io.BytesIO(build_workbook(export_data(path, "2024/25 Q1"))))
    cells = [cell for row in book["Notes"].iter_rows() for cell in row if cell.value is not None]
    notes = [cell for cell in cells if str(cell.value).startswith("=1+1")]
    assert notes and all(cell.data_type == "s" for cell in notes)
    assert any(cell.value == "Sam Finance" for cell in cells) and any(cell.value == "sam@aaa.example" for cell in cells)
    assert not [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def test_the_spc_sheet_holds_each_key_figures_chart_as_metrics_computes_it(demo):
    from metrics.variation import spc_series

    book = demo[0]
    rows = list(book["SPC"].iter_rows(min_row=4, values_only=True))
    header, body = rows[0], [row for row in rows[1:] if row[0]]
    income = [dict(zip(header, row)) for row in body if row[0] == "Total income"]
    with db.connect(demo_path()) as con:
        expected = spc_series(con, "income_total", Period(2022 * 4, 2024 * 4 + 3)).points
    assert [r["Quarter"] for r in income] == list(expected["quarter_label"])
    assert [r["Mean"] for r in income] == pytest.approx(list(expected["mean"]))
    assert [r["Upper process limit"] for r in income] == pytest.approx(list(expected["upl"]))
    assert {r["Special cause"] for r in income} == set(expected["special_cause"])
    hours = [dict(zip(header, row)) for row in body if row[0] == "Volunteer hours"]
    assert [r["Left out because"] for r in hours if r["In the chart"] == "No"] == [
        "partial: a member left the figure blank"
    ]
