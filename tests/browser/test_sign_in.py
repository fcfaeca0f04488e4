"""A real sign-in: One Voice shared with the collaborative, in Chromium, against a real OpenID Connect provider.

The provider (the PyPI package ``oidc-provider-mock``) runs on a loopback port inside the
test process; the app is ``streamlit run dashboard.py`` with an ``[auth]`` section in its
secrets pointing at it. Each test signs in as a coordinator, a member lead or a viewer by
choosing the person on the provider's own sign-in page, as a person would.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pptx import Presentation

from store import db, users
from tests import factory
from tests.browser.harness import (
    App,
    act,
    alerts,
    assert_no_error,
    free_port,
    grid_rows,
    main,
    nav_titles,
    open_app,
    sidebar,
    start_app,
    stop,
    wait_idle,
)
from tests.browser.test_data import upload
from tests.browser.test_export import download
from tests.demo_db import copy_of

pytestmark = pytest.mark.browser

COORDINATOR, LEAD, VIEWER = "coord@vale.test", "lead@ash.test", "board@icb.test"
PEOPLE = {COORDINATOR: ("coordinator", None), LEAD: ("member", "ASH"), VIEWER: ("viewer", None)}


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """A real OpenID Connect provider on a loopback port that knows the three people."""
    from oidc_provider_mock import User, run_server_in_thread

    claims = [User(sub=email, claims={"email": email, "name": email.split("@")[0]}) for email in PEOPLE]
    with run_server_in_thread(user_claims=claims) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def shared_app(browser_available, provider, demo_db_file, tmp_path_factory) -> Iterator[App]:
    """The app shared with the collaborative: sign-in through ``provider``, three users, Ashgrove shown to viewers."""
    folder = tmp_path_factory.mktemp("shared-app")
    database = copy_of(demo_db_file, folder, "shared.duckdb")
    with db.connect(database) as con:
        for email, (role, member) in PEOPLE.items():
            users.add(con, users.User(email, role, member))
        users.share(con, "ASH", "viewers", True)  # the only member that agreed to be shown to viewers
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-cookie-secret-for-these-tests-only"\n'
        'client_id = "one-voice"\n'
        'client_secret = "one-voice-test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    app = start_app(database, folder / "streamlit.log", "--secrets.files", str(secrets), port=port)
    yield app
    stop(app.process)


def sign_in(page, app: App, email: str) -> None:
    """Open the app, press Sign in, choose the person on the provider's page, and wait for the app."""
    open_app(page, app)
    assert main(page).get_by_role("button", name="Sign in").count() == 1
    main(page).get_by_role("button", name="Sign in").click()
    page.locator(f"button[name=sub][value='{email}']").click()
    page.wait_for_url(f"{app.url}/**")
    wait_idle(page)
    assert_no_error(page, app)


def test_nobody_sees_a_figure_before_signing_in(page, shared_app):
    open_app(page, shared_app)
    assert not main(page).locator('[data-testid="stMetric"]').count()
    assert "Northvale" not in main(page).inner_text()


def test_a_coordinator_signs_in_and_has_every_page(page, shared_app):
    sign_in(page, shared_app, COORDINATOR)
    assert "Signed in as coord@vale.test (coordinator)." in sidebar(page).inner_text()
    assert nav_titles(page)[-3:] == ["Data", "Export", "Users"]
    assert main(page).locator("h1").first.inner_text().startswith("Northvale Hospice Collaborative (demo)")


def test_a_member_lead_cannot_load_another_members_return(page, shared_app, tmp_path):
    sign_in(page, shared_app, LEAD)
    assert "Users" not in nav_titles(page) and "Data" in nav_titles(page)
    link = sidebar(page).locator('[data-testid="stSidebarNavLink"]').filter(has_text="Data")
    act(page, link.first.click)
    other = tmp_path / "BIR_2025-26_Q1.xlsx"
    other.write_bytes(factory.to_bytes(factory.standard_return("BIR", "2025/26", "Q1")))
    upload(page, other)
    assert alerts(page, "Error") == [
        "BIR_2025-26_Q1.xlsx: rejected, 1 problem(s) to fix. Nothing from this file was stored."
    ]
    problems = grid_rows(
        main(page).locator('[data-testid="stDataFrame"]').filter(has=page.locator("th", has_text="What to fix")).first
    )
    assert problems[0][3].startswith(
        "This return is for Birchwood Hospice (demo) (BIR); you load returns for Ashgrove Hospice (demo) (ASH) only"
    )
    with db.connect(shared_app.db_path) as con:
        assert not con.execute("select count(*) from submissions where file_name = 'BIR_2025-26_Q1.xlsx'").fetchone()[0]


def test_a_viewers_deck_leaves_out_the_members_that_did_not_agree(page, shared_app, tmp_path):
    sign_in(page, shared_app, VIEWER)
    assert "Data" not in nav_titles(page) and "Users" not in nav_titles(page)
    link = sidebar(page).locator('[data-testid="stSidebarNavLink"]').filter(has_text="Export")
    act(page, link.first.click)
    path = download(page, "PowerPoint deck", tmp_path)
    deck = Presentation(io.BytesIO(path.read_bytes()))
    text = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    charts = [
        category
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart
        for category in shape.chart.plots[0].categories
    ]
    assert "Ashgrove Hospice (demo)" in charts
    for hidden in ("Birchwood Hospice (demo)", "Elmfield Hospice (demo)", "Willowbank Hospice (demo)"):
        assert hidden not in charts and hidden not in text
    assert "4 member(s) not shown individually" in text
    assert "counts of people from 1 to 7" in text.lower() or "* 1 to 7 people" in text  # suppressed for viewers
    with db.connect(shared_app.db_path) as con:
        log = users.audit_log(con)
    assert ((log["action"] == "exported") & (log["by_whom"] == VIEWER)).any()
    assert ((log["action"] == "signed in") & (log["by_whom"] == VIEWER)).any()
