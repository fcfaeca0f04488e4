"""Names are text: a name, a file name or a title from a return or a form is never Markdown or HTML on a page.

Streamlit renders Markdown in titles, captions, alerts, badges, labels, help and radio options. The
demo collaborative is copied with its name, a member's name, a project's title, a file's name and
sender and the bed-day cost's source all set to Markdown that would fetch an image, link and shout;
every page is opened (AppTest) and every text Streamlit would render as Markdown is read from the
page's elements: the Markdown must be escaped (``common.words.markdown_safe``), never live.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from google.protobuf.json_format import MessageToDict

from common.words import markdown_safe
from store import db, members, settings
from store import joint_work as register_store
from store.settings import BED_DAY_COST, BED_DAY_SOURCE, BED_DAY_YEAR
from tests import factory
from tests.apptest import PAGES, open_app
from tests.demo_db import copy_of

PAYLOAD = "![p](http://127.0.0.1:9/c.png) **bold** [link](http://x) <img src=x> www.evil.example :red[red]"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What would be live Markdown or HTML once escaped characters are taken out of a source
LIVE = ["![", "](", "**bold", "[link", "<img", "http://", "www.", ":red["]
# Elements whose text Streamlit shows as it is (code, plain text, tables, charts' own data)
AS_IS = {"code", "text", "dataframe", "arrow_data_frame", "plotly_chart", "json", "table"}


@pytest.fixture(scope="module")
def marked_db(demo_db_file, tmp_path_factory):
    """The demo with Markdown in every name a person or a return can set."""
    path = copy_of(demo_db_file, tmp_path_factory.mktemp("markdown"), "markdown.duckdb")
    with db.connect(path) as con, db.transaction(con):
        settings.put(con, "collaborative_name", PAYLOAD)
        for code in ("ASH", "WIL"):
            members.upsert(con, dataclasses.replace(members.get(con, code), name=f"{code} {PAYLOAD}"))
        settings.put(con, BED_DAY_COST, "400")
        settings.put(con, BED_DAY_SOURCE, PAYLOAD)
        settings.put(con, BED_DAY_YEAR, "2023/24")
        con.execute("update submissions set sent_by = $1, file_name = $2", [PAYLOAD, f"{PAYLOAD}.xlsx"])
    with db.connect(path) as con, db.transaction(con):
        register = register_store.current(con)
        project = register.projects[0]
        renamed = dataclasses.replace(project, title=f"Joint {PAYLOAD}")
        register_store.put_project(con, renamed, register.outcomes_of(project.title), replacing=project.title)
    return path


def _strings(kind: str, message: dict) -> list[str]:
    """The texts of one element that Streamlit renders as Markdown."""
    found = []
    for key, value in message.items():
        if key in ("body", "label", "help") and isinstance(value, str) and kind not in AS_IS:
            found.append(value)
        elif key == "options" and kind == "radio":  # a radio's options are Markdown; a selectbox's are not
            found += [str(option) for option in value]
        elif isinstance(value, dict):
            found += _strings(kind, value)
    return found


def markdown_sources(at) -> list[str]:
    """Every text on the page (main and sidebar) that Streamlit renders as Markdown."""
    found = []

    def visit(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.extend(_strings(getattr(node, "type", ""), MessageToDict(proto)))
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(at._tree)
    return found


def live_markdown(sources: list[str]) -> list[str]:
    """The sources that would render some of the payload as Markdown or HTML."""
    return [source for source in sources if any(live in re.sub(r"\\.", "", source) for live in LIVE)]


def assert_plain(at) -> list[str]:
    assert not at.exception
    sources = markdown_sources(at)
    assert live_markdown(sources) == []
    return sources


@pytest.mark.parametrize("page", [*PAGES, "export"])
def test_every_page_shows_names_as_text(monkeypatch, marked_db, page):
    at = open_app(monkeypatch, marked_db, page)
    sources = assert_plain(at)
    assert any(markdown_safe(PAYLOAD) in source for source in sources)  # the collaborative, in the sidebar


def test_the_checker_finds_live_markdown():
    assert live_markdown([f"### {PAYLOAD}", "**Data** page", markdown_safe(PAYLOAD)]) == [f"### {PAYLOAD}"]
    assert live_markdown([f"see {markdown_safe('www.evil.example')}", "Q2: fine"]) == []


def test_the_overview_title_and_the_together_page_quote_the_names(monkeypatch, marked_db):
    at = open_app(monkeypatch, marked_db)
    assert at.title[0].value.startswith(markdown_safe(PAYLOAD))
    sources = assert_plain(open_app(monkeypatch, marked_db, "together"))
    assert any(markdown_safe(PAYLOAD) in source and "Valued at" in source for source in sources)  # the source


def test_editing_a_member_names_it_as_text(monkeypatch, marked_db, tmp_path):
    path = copy_of(marked_db, tmp_path, "edit.duckdb")
    at = open_app(monkeypatch, path, "data")
    at.selectbox(key="member_pick_0").set_value("ASH").run()
    sources = assert_plain(at)
    assert f"Editing ASH {markdown_safe(PAYLOAD)} (ASH)." in sources
    assert any(source.startswith(f"Remove ASH {markdown_safe(PAYLOAD)}") for source in sources)


def test_an_uploaded_file_is_named_as_text(monkeypatch, marked_db, tmp_path):
    path = copy_of(marked_db, tmp_path, "upload.duckdb")
    at = open_app(monkeypatch, path, "data")
    name = "![p](x) **bold** <img src=x>.xlsx"
    content = factory.to_bytes(factory.standard_return("ASH", "2025/26", "Q1"))
    at.text_input(key="sent_by").set_value(PAYLOAD)
    at.file_uploader(key="returns").set_value((name, content, XLSX)).run()
    sources = assert_plain(at)
    assert any(source.startswith(markdown_safe(name)) and "accepted" in source for source in sources)


def test_a_project_title_is_text_in_its_buttons_and_messages(monkeypatch, marked_db, tmp_path):
    path = copy_of(marked_db, tmp_path, "register.duckdb")
    at = open_app(monkeypatch, path, "together")
    at.selectbox(key="register_project").set_value(f"Joint {PAYLOAD}").run()
    at.button(key="register_remove").click().run()
    sources = assert_plain(at)
    assert any(source.startswith(f"Remove 'Joint {markdown_safe(PAYLOAD)}'") for source in sources)
    at.button(key="register_remove_yes").click().run()
    assert f"'Joint {markdown_safe(PAYLOAD)}' is removed from the register." in assert_plain(at)
