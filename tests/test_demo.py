"""The demo collaborative: loaded through the real ingest, realistic, consistent, the same every time.

Figures are checked with SQL on ``current_figures`` directly, so these tests
say what the demo holds without depending on ``metrics/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from contract.periods import quarter_index
from loaders import demo
from loaders.ingest import ACCEPTED, ALREADY_LOADED, ingest_bytes
from loaders.template import write_template
from store import db, members, settings

FY_2024 = (quarter_index(2024, 1), quarter_index(2024, 4))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The demo loaded once into a database of its own: (path, results, seconds taken)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    started = time.perf_counter()
    results = demo.load_demo(path)
    return path, results, time.perf_counter() - started


def query(path, sql: str, params=None) -> list[tuple]:
    with db.connect(path) as con:
        return con.execute(sql, params or []).fetchall()


def scalar(path, sql: str, params=None):
    return query(path, sql, params)[0][0]


def fy_2024(path, sql: str, *params):
    """``sql`` over 2024/25's current figures, given as the table ``fy``; more parameters from ``$3``."""
    return scalar(
        path,
        f"with fy as (select * from current_figures where quarter_index between $1 and $2) {sql}",
        [*FY_2024, *params],
    )


# -- what was loaded --------------------------------------------------------------------------


def test_every_return_is_accepted_quickly(loaded):
    _, results, seconds = loaded

    assert [r.status for r in results] == [ACCEPTED] * 61
    assert all(not r.errors for r in results)
    assert seconds < 30, f"the demo took {seconds:.1f}s to load"


def test_five_members_four_adult_one_children(loaded):
    path, _, _ = loaded

    assert query(path, "select code, type from members order by code") == [
        ("ASH", "adult"),
        ("BIR", "adult"),
        ("ELM", "adult"),
        ("OAK", "children"),
        ("WIL", "adult"),
    ]
    assert all("(demo)" in name for (name,) in query(path, "select name from members"))


def test_the_database_says_it_holds_the_demo(loaded):
    path, _, _ = loaded
    with db.connect(path) as con:
        assert settings.get(con, "collaborative_name") == "Northvale Hospice Collaborative (demo)"
        assert settings.get(con, "demo") == "yes"


def test_sixty_current_returns_and_one_superseded(loaded):
    path, _, _ = loaded

    assert query(path, "select status, count(*) from submissions group by 1 order by 1") == [
        ("current", 60),
        ("superseded", 1),
    ]
    assert query(
        path,
        "select member_code, count(*), min(quarter_index), max(quarter_index) from submissions "
        "where status = 'current' group by 1 order by 1",
    ) == [(code, 12, quarter_index(2022, 1), quarter_index(2024, 4)) for code in ("ASH", "BIR", "ELM", "OAK", "WIL")]


def test_the_correction_supersedes_the_original(loaded):
    path, results, _ = loaded
    rows = query(
        path,
        "select file_name, status from submissions where member_code = 'BIR' and fy = 2023 "
        "and quarter = 3 order by submission_id",
    )
    legacies = query(
        path,
        "select s.status, f.value from figures f join submissions s using (submission_id) "
        "where s.member_code = 'BIR' and s.fy = 2023 and s.quarter = 3 "
        "and f.measure = 'income' and f.breakdown = 'legacies' order by s.submission_id",
    )

    assert rows == [("BIR_2023-24_Q3_v1.xlsx", "superseded"), ("BIR_2023-24_Q3_v2_corrected.xlsx", "current")]
    (_, typo), (_, corrected) = legacies
    assert typo == corrected * 10
    v2 = next(r for r in results if r.file_name == "BIR_2023-24_Q3_v2_corrected.xlsx")
    assert v2.superseded_id is not None


def test_the_late_return_is_loaded_last(loaded):
    _, results, _ = loaded

    assert results[-1].file_name == "WIL_2024-25_Q4.xlsx"
    assert (results[-1].member_code, results[-1].period) == ("WIL", "2024/25 Q4")


def test_a_figure_left_blank_is_not_reported_not_zero(loaded):
    path, _, _ = loaded
    elm_q2 = "from current_figures where member_code = 'ELM' and quarter_index = $1 and measure = $2"

    assert query(path, f"select value {elm_q2}", [quarter_index(2024, 2), "volunteer_hours"]) == []
    assert scalar(path, f"select value {elm_q2}", [quarter_index(2024, 2), "volunteers"]) > 0
    assert scalar(
        path, "select notes from submissions where member_code = 'ELM' and quarter_index = $1", [quarter_index(2024, 2)]
    ).startswith("Volunteer hours not available")


def test_the_hand_typed_return_is_read_in_full(loaded):
    """Synonym labels, text numbers such as £1,234 and "Quarter 2" read as if typed into the template."""
    path, _, _ = loaded
    member = next(m for m in demo.demo_members() if m.code == "OAK")
    index = quarter_index(2023, 2)

    rows = query(
        path,
        "select measure, breakdown, value from current_figures where member_code = 'OAK' and quarter_index = $1",
        [index],
    )

    assert {(m, b): v for m, b, v in rows} == {k: float(v) for k, v in demo.demo_figures(member, index).items()}


# -- realistic magnitudes ------------------------------------------------------------------------


def test_combined_income_is_about_45_million_a_year_30_percent_statutory(loaded):
    path, _, _ = loaded
    income = fy_2024(path, "select sum(value) from fy where measure = 'income'")
    statutory = fy_2024(
        path, "select sum(value) from fy where measure = 'income' and breakdown in ('nhs_contracts', 'other_statutory')"
    )
    nhs = fy_2024(path, "select sum(value) from fy where measure = 'income' and breakdown = 'nhs_contracts'")

    assert 40e6 <= income <= 50e6
    assert 0.25 <= statutory / income <= 0.35
    assert nhs / statutory > 0.8


def test_workforce_volunteers_and_beds_at_the_end_of_2024_25(loaded):
    path, _, _ = loaded
    end = "from current_figures where quarter_index = $1 and measure = $2"

    def total(measure):
        return scalar(path, f"select sum(value) {end}", [FY_2024[1], measure])

    assert 1_300 <= total("headcount") <= 1_500
    assert 0.70 <= total("fte") / total("headcount") <= 0.80
    assert 3_200 <= total("volunteers") <= 3_800
    assert total("ipu_beds") == 70
    assert scalar(path, f"select value {end} and member_code = 'OAK'", [FY_2024[1], "ipu_beds"]) == 10


def test_about_10_000_people_supported_in_a_year(loaded):
    path, _, _ = loaded
    people = fy_2024(
        path,
        """
        select sum(value) filter (where quarter_index = $1 and measure = 'patients_supported')
             + sum(value) filter (where quarter_index > $1 and measure = 'new_patients')
        from fy""",
    )

    assert 9_000 <= people <= 11_000


@pytest.mark.parametrize("code, low, high", [("ASH", 0.75, 0.85), ("ELM", 0.75, 0.85), ("OAK", 0.55, 0.65)])
def test_occupancy_adults_about_80_percent_children_about_60(loaded, code, low, high):
    path, _, _ = loaded
    occupancy = fy_2024(
        path,
        """
        select sum(value) filter (where measure = 'ipu_occupied_bed_days')
             / sum(value) filter (where measure = 'ipu_bed_days_available') from fy where member_code = $3""",
        code,
    )

    assert low <= occupancy <= high


@pytest.mark.parametrize("code, main_age", [("ASH", "26_plus"), ("WIL", "26_plus"), ("OAK", "under_18")])
def test_patients_are_mostly_of_the_hospices_age_group(loaded, code, main_age):
    path, _, _ = loaded
    by_age = dict(
        query(
            path,
            "select breakdown, sum(value) from current_figures where member_code = $1 "
            "and measure = 'patients_supported' group by 1",
            [code],
        )
    )

    assert by_age[main_age] / sum(by_age.values()) > 0.8
    assert by_age["18_to_25"] > 0


def test_income_grows_gently_and_legacies_are_lumpy(loaded):
    path, _, _ = loaded
    by_year = [
        v
        for _, v in query(
            path, "select fy, sum(value) from current_figures where measure = 'income' group by 1 order by 1"
        )
    ]
    legacies = [
        v
        for (v,) in query(
            path,
            "select value from current_figures where member_code = 'ASH' "
            "and measure = 'income' and breakdown = 'legacies' order by quarter_index",
        )
    ]

    assert by_year[0] < by_year[1] < by_year[2] < by_year[0] * 1.2
    assert max(legacies) / min(legacies) > 1.5


def test_donations_peak_at_christmas_and_admissions_in_winter(loaded):
    path, _, _ = loaded

    def by_quarter(measure, breakdown="%"):
        return dict(
            query(
                path,
                "select quarter, sum(value) from current_figures where measure = $1 and breakdown like $2 group by 1",
                [measure, breakdown],
            )
        )

    donations = by_quarter("income", "donations")
    admissions = by_quarter("ipu_admissions")
    assert donations[3] == max(donations.values())
    assert min(admissions[3], admissions[4]) > max(admissions[1], admissions[2])


# -- consistent: nothing the ingest would refuse, nothing unlikely ---------------------------------------


@pytest.mark.parametrize(
    "smaller, larger",
    [
        ("new_patients", "patients_supported"),
        ("deaths_in_preferred_place", "deaths_preference_recorded"),
        ("deaths_preference_recorded", "deaths"),
        ("fte", "headcount"),
    ],
)
def test_no_figure_exceeds_the_figure_it_is_part_of(loaded, smaller, larger):
    path, _, _ = loaded
    broken = scalar(
        path,
        """
        select count(*) from current_figures s join current_figures l
          using (member_code, quarter_index, breakdown)
        where s.measure = $1 and l.measure = $2 and s.value > l.value""",
        [smaller, larger],
    )

    assert broken == 0


def test_occupied_bed_days_never_exceed_those_available(loaded):
    path, _, _ = loaded

    assert (
        scalar(
            path,
            """
        select count(*) from (
          select member_code, quarter_index,
                 sum(value) filter (where measure = 'ipu_occupied_bed_days') as occupied,
                 sum(value) filter (where measure = 'ipu_bed_days_available') as available
          from current_figures group by all) where occupied > available""",
        )
        == 0
    )


def test_no_warning_but_the_movement_of_a_figure(loaded):
    _, results, _ = loaded
    warnings = [p.message for r in results for p in r.warnings]

    assert warnings and all(" than in 20" in message and "Please check it" in message for message in warnings)


# -- the same demo every time ------------------------------------------------------------------------


def test_the_workbooks_are_the_same_bytes_every_time(tmp_path):
    first, second = demo.build_demo(tmp_path / "a"), demo.build_demo(tmp_path / "b")

    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second))
    assert len(first) == 61 and first[-1].parent.name == "late"
    assert (tmp_path / "a" / "demo_members.csv").read_text() == demo.MEMBERS_CSV.read_text()


def test_loading_the_demo_again_changes_nothing(loaded, tmp_path):
    copy = tmp_path / "again.duckdb"
    shutil.copyfile(loaded[0], copy)

    results = demo.load_demo(copy)

    assert {r.status for r in results} == {ALREADY_LOADED}
    assert query(copy, "select count(*) from submissions") == [(61,)]


def test_the_demo_is_not_mixed_into_a_database_of_real_members(db_path):
    with pytest.raises(demo.DemoRefused, match=r"already holds members that are not in the demo \(LAR, ROW\)"):
        demo.load_demo(db_path)

    assert query(db_path, "select code from members order by code") == [("LAR",), ("ROW",)]


def test_a_real_return_can_join_the_demo(loaded, tmp_path):
    copy = tmp_path / "joined.duckdb"
    shutil.copyfile(loaded[0], copy)
    with db.connect(copy) as con:
        ash = members.find(con, "ASH")

    result = ingest_bytes(write_template(ash, 2025, 1, {("income", "donations"): 250_000}), "ash.xlsx", db_path=copy)

    assert (result.status, result.period) == (ACCEPTED, "2025/26 Q1")


# -- the command ----------------------------------------------------------------------------------------


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loaders", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=db.PROJECT_ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=300,
    )


def test_the_demo_command_only_writes_files_with_out(tmp_path):
    done = run("demo", "--out", tmp_path / "demo", "--db", tmp_path / "untouched.duckdb")

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Wrote 61 demo returns and demo_members.csv to {tmp_path / 'demo'}"
    assert len(list((tmp_path / "demo").glob("*.xlsx"))) == 60
    assert [p.name for p in (tmp_path / "demo" / "late").iterdir()] == ["WIL_2024-25_Q4.xlsx"]
    assert not (tmp_path / "untouched.duckdb").exists()


def test_the_demo_files_load_with_the_members_and_ingest_commands(tmp_path):
    database = tmp_path / "cli.duckdb"
    folder = tmp_path / "demo"
    run("demo", "--out", folder)

    assert run("members", folder / "demo_members.csv", "--db", database).returncode == 0
    on_time = run("ingest", folder, "--db", database)
    late = run("ingest", folder / "late", "--db", database)

    assert on_time.returncode == 0 and late.returncode == 0
    assert on_time.stdout.splitlines()[-1] == "60 of 60 files loaded or already loaded; 0 rejected"
    assert late.stdout.splitlines() == ["WIL_2024-25_Q4.xlsx: accepted as WIL 2024/25 Q4"]
    assert query(database, "select status, count(*) from submissions group by 1 order by 1") == [
        ("current", 60),
        ("superseded", 1),
    ]


def test_the_demo_command_loads_the_demo(loaded, tmp_path):
    copy = tmp_path / "again.duckdb"
    shutil.copyfile(loaded[0], copy)

    done = run("demo", "--db", copy)

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == f"Demo loaded into {copy}: 61 of 61 returns"
