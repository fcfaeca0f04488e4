"""Sign-in, roles and what members agree to share, for each role on the pages (AppTest).

A shared app is one whose secrets have an ``[auth]`` section; ``at.user`` is the person
the sign-in provider says is signed in. The browser test with a real provider is
``tests/browser/test_sign_in.py``.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from store import db, submissions, users
from tests import factory
from tests.apptest import APP, texts
from tests.demo_db import copy_of

AUTH = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-secret-for-tests-only",
        "client_id": "one-voice",
        "client_secret": "not-a-secret",
        "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration",
    }
}
COORDINATOR, LEAD, VIEWER, STRANGER = "coord@vale.test", "lead@ash.test", "board@icb.test", "who@else.test"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def shared_db(demo_db_file, tmp_path):
    path = copy_of(demo_db_file, tmp_path, "shared.duckdb")
    with db.connect(path) as con:
        users.add(con, users.User(COORDINATOR, "coordinator"))
        users.add(con, users.User(LEAD, "member", "ASH"))
        users.add(con, users.User(VIEWER, "viewer"))
    return path


def open_as(monkeypatch, path, email: str | None, page: str = "overview", query: dict | None = None) -> AppTest:
    monkeypatch.setenv("ONEVOICE_DB", str(path))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.secrets.update(AUTH)
    at.user = {"is_logged_in": False} if email is None else {"is_logged_in": True, "email": email}
    at.query_params.update(query or {"period": "2024/25"})
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    return at


def test_a_shared_app_asks_for_sign_in_and_shows_no_figures(monkeypatch, shared_db):
    at = open_as(monkeypatch, shared_db, None)
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric and "Northvale" not in texts(at)


def test_a_person_with_no_role_is_told_who_to_ask(monkeypatch, shared_db):
    at = open_as(monkeypatch, shared_db, STRANGER)
    assert not at.exception
    assert "You are signed in as who@else\\.test, but this address has no role in One Voice yet" in at.warning[0].value
    assert not at.metric


def test_a_coordinator_sees_everything_and_the_users_page(monkeypatch, shared_db):
    at = open_as(monkeypatch, shared_db, COORDINATOR, "users")
    assert not at.exception
    assert at.title[0].value == "Users"
    people = next(frame.value for frame in at.dataframe if "email" in frame.value.columns)
    assert set(people["email"]) == {COORDINATOR, LEAD, VIEWER}
    assert "Signed in as coord@vale.test (coordinator)." in texts(at)
    members = open_as(monkeypatch, shared_db, COORDINATOR, "members")
    table = next(f.value for f in members.dataframe if "Figure" in f.value.columns)
    assert "Ashgrove Hospice (demo)" in table.columns and "Willowbank Hospice (demo)" in table.columns


def test_a_viewer_sees_member_figures_only_of_members_that_agreed(monkeypatch, shared_db):
    with db.connect(shared_db) as con:
        users.share(con, "ASH", "viewers", True)
    at = open_as(monkeypatch, shared_db, VIEWER, "members")
    assert not at.exception
    table = next(f.value for f in at.dataframe if "Figure" in f.value.columns)
    assert list(table.columns) == ["Figure", "Collaborative", "Ashgrove Hospice (demo)"]
    assert "The combined figures include 4 members not shown individually, as they chose." in texts(at)
    # the combined figure still counts every member
    overview = open_as(monkeypatch, shared_db, VIEWER)
    income = next(m for m in overview.metric if m.label == "Combined income")
    assert income.value == "£45.0m"
    # and the members filter is not offered: a difference of two totals would give a member away
    assert not [w for w in overview.sidebar.multiselect if w.label == "Members"]


def test_a_viewer_has_no_data_page_and_no_users_page(monkeypatch, shared_db):
    for page in ("data", "users"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            open_as(monkeypatch, shared_db, VIEWER, page)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_as(monkeypatch, shared_db, LEAD, "users")


def test_a_member_lead_sees_its_own_returns_and_cannot_load_another_members(monkeypatch, shared_db):
    at = open_as(monkeypatch, shared_db, LEAD, "data")
    assert not at.exception
    history = next(f.value for f in at.dataframe if "file_name" in f.value.columns)
    assert set(history["member_code"]) == {"ASH"}
    assert "Members" not in [h.value for h in at.header]  # no registry
    other = factory.to_bytes(factory.standard_return("BIR", "2025/26", "Q1"))
    at.file_uploader(key="returns").set_value([("BIR_2025-26_Q1.xlsx", other, XLSX)]).run()
    assert not at.exception
    problems = next(f.value for f in at.dataframe if "problem" in f.value.columns)
    assert (
        problems["problem"]
        .iloc[0]
        .startswith(
            "This return is for Birchwood Hospice (demo) (BIR); you load returns for Ashgrove Hospice (demo) (ASH) only"
        )
    )
    with db.connect(shared_db) as con:
        assert "BIR_2025-26_Q1.xlsx" not in set(submissions.history(con)["file_name"])
    own = factory.to_bytes(factory.standard_return("ASH", "2025/26", "Q1"))
    at.file_uploader(key="returns").set_value([("ASH_2025-26_Q1.xlsx", own, XLSX)]).run()
    with db.connect(shared_db) as con:
        loaded = submissions.history(con)
    assert loaded.iloc[0]["file_name"] == "ASH_2025-26_Q1.xlsx" and loaded.iloc[0]["sent_by"] == LEAD


def test_sign_ins_are_audited_and_the_log_is_on_the_users_page(monkeypatch, shared_db):
    open_as(monkeypatch, shared_db, VIEWER)
    with db.connect(shared_db) as con:
        log = users.audit_log(con)
    assert ((log["action"] == "signed in") & (log["by_whom"] == VIEWER)).any()


def test_a_viewers_exports_are_suppressed_and_leave_out_members_that_did_not_agree(monkeypatch, shared_db):
    at = open_as(monkeypatch, shared_db, VIEWER, "export")
    assert not at.exception
    assert any(c.value.startswith("Small numbers are suppressed in everything you export.") for c in at.caption)
    assert not [c for c in at.checkbox if c.key == "export_suppress"]


@pytest.mark.parametrize(
    "email, pages",
    [
        (COORDINATOR, ["income", "workforce", "capacity", "activity", "members", "data", "export", "users"]),
        (LEAD, ["income", "workforce", "capacity", "activity", "members", "data", "export"]),
        (VIEWER, ["income", "workforce", "capacity", "activity", "members", "export"]),
    ],
)
def test_every_page_a_role_is_offered_renders_without_an_error(monkeypatch, shared_db, email, pages):
    for page in pages:
        at = open_as(monkeypatch, shared_db, email, page)
        assert not at.exception, (email, page)
        assert not at.error, (email, page)


def test_a_missing_return_of_a_member_not_shown_is_not_named(monkeypatch, partial_db_file, tmp_path):
    path = copy_of(partial_db_file, tmp_path, "p.duckdb")  # WIL 2024/25 Q4 and ELM Q3 are missing
    with db.connect(path) as con:
        users.add(con, users.User(VIEWER, "viewer"))
        users.share(con, "ELM", "viewers", True)
    shown = texts(open_as(monkeypatch, path, VIEWER)).replace("\\", "")  # as Markdown shows it
    assert "Elmfield Hospice (demo) (2024/25 Q3)" in shown
    assert "Willowbank" not in shown and "a member not shown individually (2024/25 Q4)" in shown


def test_a_provider_that_gives_no_email_claim_is_known_by_its_sign_in_name(monkeypatch, shared_db):
    """Microsoft Entra ID sends preferred_username where no email claim is configured."""
    monkeypatch.setenv("ONEVOICE_DB", str(shared_db))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.secrets.update(AUTH)
    at.user = {"is_logged_in": True, "preferred_username": "Board@ICB.test"}
    at.run()
    assert not at.exception
    assert "Signed in as board@icb.test (viewer)." in texts(at)
