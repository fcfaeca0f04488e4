"""Templates for everyone: one zip, or one folder, of each member's blank return for a quarter.

Only the members of the collaborative in that quarter get one; each template is
the same workbook ``write_template`` writes, so it loads back once filled in.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from contract.periods import quarter_index
from loaders import template
from loaders.ingest import ACCEPTED, ingest_bytes
from store import db, members
from store.members import Member
from tests.test_template import TYPED, fill_in, run

Q1 = quarter_index(2024, 1)  # 2024/25 Q1, the quarter asked for
ROWAN = Member("ROW", "Rowan Hospice", "adult", "North")
LARCH = Member("LAR", "Larch Children's Hospice", "children", "North")
JOINED_THEN = Member("ASP", "Aspen Hospice", "adult", joined=Q1)
LEAVING_THEN = Member("BEE", "Beech Hospice", "adult", left=Q1)
LEFT = Member("OLD", "Old Oak Hospice", "adult", left=Q1 - 1)
NOT_YET = Member("NEW", "New Leaf Hospice", "adult", joined=Q1 + 1)
REGISTRY = [ROWAN, LARCH, JOINED_THEN, LEAVING_THEN, LEFT, NOT_YET]
IN_Q1 = ["ASP", "BEE", "LAR", "ROW"]


def zipped(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as bundle:
        return {name: bundle.read(name) for name in bundle.namelist()}


def cover(content: bytes) -> tuple[str, str, str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Return"]
    return sheet["B4"].value, sheet["B5"].value, sheet["B6"].value


# -- the zip ---------------------------------------------------------------------------------


def test_the_zip_has_one_workbook_per_member_of_the_quarter_with_its_cover_filled_in():
    files = zipped(template.templates_zip(REGISTRY, 2024, 1))

    assert sorted(files) == [f"{code}_2024-25_Q1.xlsx" for code in IN_Q1]
    for member in REGISTRY:
        if member.code in IN_Q1:
            assert cover(files[template.file_name(member, 2024, 1)]) == (member.name, "2024/25", "Q1")


@pytest.mark.parametrize(
    "member, gets_one",
    [
        (ROWAN, True),
        (JOINED_THEN, True),
        (LEAVING_THEN, True),
        (LEFT, False),
        (NOT_YET, False),
    ],
    ids=["always a member", "joined that quarter", "left that quarter", "left before", "joins after"],
)
def test_only_a_member_in_that_quarter_gets_a_template(member, gets_one):
    assert len(zipped(template.templates_zip([member], 2024, 1))) == int(gets_one)


def test_each_workbook_in_the_zip_is_the_single_template():
    files = zipped(template.templates_zip([ROWAN, LARCH], 2025, 3))

    assert files == {
        "LAR_2025-26_Q3.xlsx": template.write_template(LARCH, 2025, 3),
        "ROW_2025-26_Q3.xlsx": template.write_template(ROWAN, 2025, 3),
    }


def test_the_same_zip_twice_is_the_same_file():
    assert template.templates_zip(REGISTRY, 2024, 1) == template.templates_zip(REGISTRY, 2024, 1)


def test_a_template_from_the_zip_loads_once_filled_in(db_path):
    content = zipped(template.templates_zip([ROWAN, LARCH], 2024, 2))["ROW_2024-25_Q2.xlsx"]

    result = ingest_bytes(fill_in(content, TYPED), "ROW_2024-25_Q2.xlsx", db_path=db_path)

    assert result.status == ACCEPTED, [str(p) for p in result.problems]
    assert (result.member_code, result.period) == ("ROW", "2024/25 Q2")


# -- re-stamping the blank workbook is building it ----------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Rowan Hospice",
        "St Mary's & St John's <North> \"Hospice\"",
        "Hôspice Ünïcode — ☃ 😀",
        " Spaced ",  # built in full: openpyxl marks the spaces
        "=Formula",  # built in full: openpyxl writes it as a formula
        "Q1",
    ],
)
@pytest.mark.parametrize("fy, quarter", [(2024, 1), (2023, 4)])
def test_a_re_stamped_blank_template_is_byte_for_byte_the_workbook_built_in_full(name, fy, quarter):
    member = Member("ROW", name, "adult")
    index = quarter_index(fy, quarter)
    built = template.fixed_timestamps(
        template._build(template._Words.of(member, index), {}), template._save_time(index)
    )

    assert template.write_template(member, fy, quarter) == built


# -- a folder --------------------------------------------------------------------------------


def test_save_templates_creates_the_folder_and_writes_one_file_each(tmp_path):
    folder = tmp_path / "templates" / "2024-25 Q1"

    paths = template.save_templates(folder, REGISTRY, 2024, 1)

    assert sorted(p.name for p in paths) == [f"{code}_2024-25_Q1.xlsx" for code in IN_Q1]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)
    assert (folder / "ROW_2024-25_Q1.xlsx").read_bytes() == template.write_template(ROWAN, 2024, 1)


# -- the command line ----------------------------------------------------------------------------


@pytest.fixture
def registry_db(db_path):
    """ROW and LAR (from ``db_path``), a member that left before 2024/25 Q1 and one that joins after."""
    with db.connect(db_path) as con:
        for member in (LEFT, NOT_YET):
            members.upsert(con, member)
    return db_path


def test_all_writes_every_members_template_into_the_folder(registry_db, tmp_path):
    folder = tmp_path / "out" / "q1"
    done = run("template", "--all", "--period", "2024/25 Q1", "--out", folder, "--db", registry_db)

    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["LAR_2024-25_Q1.xlsx", "ROW_2024-25_Q1.xlsx"]
    assert done.stdout.splitlines() == [
        f"{folder / 'LAR_2024-25_Q1.xlsx'}: blank return for LAR (Larch Children's Hospice), 2024/25 Q1",
        f"{folder / 'ROW_2024-25_Q1.xlsx'}: blank return for ROW (Rowan Hospice), 2024/25 Q1",
        f"2 blank returns for 2024/25 Q1 in {folder}; none for NEW, OLD, not a member then",
    ]
    assert cover((folder / "ROW_2024-25_Q1.xlsx").read_bytes()) == ("Rowan Hospice", "2024/25", "Q1")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--all", "--member", "ROW"], "argument --member: not allowed with argument --all"),
        ([], "one of the arguments --member --all is required"),
    ],
)
def test_member_and_all_go_alone(db_path, tmp_path, args, message):
    folder = tmp_path / "out"
    done = run("template", *args, "--period", "2024/25 Q1", "--out", folder, "--db", db_path)

    assert done.returncode == 2  # typed wrong (common.cli)
    assert done.stderr.splitlines()[-1].endswith(message)
    assert not folder.exists()


def test_all_needs_a_folder_not_a_file(db_path, tmp_path):
    existing = tmp_path / "x.xlsx"
    existing.write_bytes(b"a file")
    done = run("template", "--all", "--period", "2024/25 Q1", "--out", existing, "--db", db_path)

    assert done.returncode == 2
    assert done.stderr.strip() == f"error: --out {existing} is a file; with --all it names a folder, like templates/"
    assert existing.read_bytes() == b"a file"


def test_all_with_no_member_in_the_quarter_writes_nothing(registry_db, tmp_path):
    with db.connect(registry_db) as con:
        con.execute("update members set joined_quarter = $1 where code in ('ROW', 'LAR')", [Q1 + 4])
    folder = tmp_path / "out"
    done = run("template", "--all", "--period", "2024/25 Q1", "--out", folder, "--db", registry_db)

    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: No member belongs to the collaborative in 2024/25 Q1, so no template was written."
    )
    assert not folder.exists()


# -- the Data page's zip --------------------------------------------------------------------------


def _all_templates() -> None:
    from ui.templates import all_templates_download

    all_templates_download()


def open_download(monkeypatch, db_path, person=None):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ONEVOICE_DB", str(db_path))
    monkeypatch.setattr("ui.templates._template_quarters", lambda: [Q1 + 1, Q1, Q1 - 1])  # whatever today is
    at = AppTest.from_function(_all_templates, default_timeout=60)
    if person is not None:
        at.session_state["person"] = person  # ui.access.PERSON
    return at.run()


def test_a_coordinator_downloads_every_members_template_as_one_zip(monkeypatch, registry_db):
    at = open_download(monkeypatch, registry_db)

    assert not at.exception
    at.selectbox(key="data_all_templates_quarter").set_value(Q1).run()
    [button] = at.get("download_button")
    assert button.proto.label == "Download every member's blank return (zip)"
    assert button.proto.help == "2 workbooks, one for each member of the collaborative in 2024/25 Q1"


def test_a_member_lead_is_not_offered_every_members_template(monkeypatch, registry_db):
    from ui.access import Person

    at = open_download(monkeypatch, registry_db, Person("lead@rowan.org.uk", "member", "ROW"))

    assert not at.exception
    assert not at.get("download_button") and not at.selectbox
