"""The Together page in Chromium: a coordinator loads the tracker workbook and sees what members did together.

The workbook is the demo's own register written out by the template writer, plus one
project, loaded through the page's real file input. The demo's register is made current
again afterwards, so the other browser tests see the demo as built.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from contract.joint_work import Outcome, Project
from contract.periods import quarter_index
from loaders.joint_work_template import register_workbook
from store import db, members
from store import joint_work as register_store
from tests.browser.harness import (
    act,
    alerts,
    assert_no_error,
    expect,
    grid_rows,
    main,
    open_app,
    tile_value,
    wait_idle,
)

pytestmark = pytest.mark.browser


def test_a_loaded_tracker_shows_on_the_page_and_a_bad_one_names_its_cells(page, app, tmp_path):
    with db.connect(app.db_path) as con:
        register, names = register_store.current(con), members.names(con)
        before = register_store.current_version(con)
    extra = Project("Joint HR and payroll service", "procurement", ("ASH", "WIL"), quarter_index(2024, 2), "active")
    tracker = tmp_path / "Our joint work tracker.xlsx"
    tracker.write_bytes(
        register_workbook(
            replace(
                register,
                projects=(*register.projects, extra),
                outcomes=(*register.outcomes, Outcome(extra.title, quarter_index(2024, 3), "money_saved", 12_500.0)),
            ),
            names,
        )
    )
    try:
        open_app(page, app, "together", query="period=2024/25")
        assert tile_value(page, "Joint projects") == "6"
        upload(page, tracker)
        assert alerts(page, "Success")[0].startswith("Our joint work tracker.xlsx: loaded as the joint work register")
        assert tile_value(page, "Joint projects") == "7"
        assert tile_value(page, "Costs saved") == "£156k"  # £143,700 + £12,500
        assert_no_error(page, app)

        bad = tmp_path / "Broken tracker.xlsx"
        broken = replace(register, projects=(replace(register.projects[0], lead="OAK", members=("ASH", "WIL")),))
        bad.write_bytes(register_workbook(replace(broken, outcomes=()), names))
        upload(page, bad)
        refused = alerts(page, "Error")[0]
        assert refused.startswith("Broken tracker.xlsx: refused, 1 problem(s) to fix")
        problems = grid_rows(
            main(page).locator('[data-testid="stDataFrame"]').filter(has=page.locator("th", has_text="What to fix"))
        )
        assert [row[:2] for row in problems] == [["error", "Projects!D4"]]
        assert tile_value(page, "Joint projects") == "7"  # nothing changed
    finally:
        with db.connect(app.db_path) as con, db.transaction(con):
            register_store.restore(con, before, by="browser test")


def upload(page, path) -> None:
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Load the register workbook")
    act(page, lambda: uploader.locator('input[type="file"]').set_input_files(str(path)))
    outcome = main(page).locator('[data-testid="stAlertContainer"]').filter(has_text=f"{path.name}:")
    expect(outcome.first).to_be_visible(timeout=30_000)
    wait_idle(page)
