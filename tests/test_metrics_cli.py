"""``python -m metrics summary``: the spec's JSON keys with null for not reported, a table, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from metrics.summary import SPEC_KEYS
from store.db import PROJECT_ROOT
from tests.metrics_fixtures import MetricsStore


@pytest.fixture
def store(tmp_path):
    store = MetricsStore(tmp_path / "cli.duckdb")
    with store.batch():
        store.add(
            "AAA",
            "2024/25 Q1",
            {"income/nhs_contracts": 300, "income/donations": 700, "headcount/nursing": 40, "volunteers": 0},
        )
        store.add("BBB", "2024/25 Q1", {"income/nhs_contracts": 0, "income/donations": 500, "headcount/nursing": 10})
    return store


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "metrics", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def summary_json(store, *args: str) -> dict:
    result = run("summary", "--db", str(store.path), "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_json_has_every_key_the_spec_lists_with_null_for_not_reported(store):
    result = summary_json(store, "--period", "2024/25 Q1")
    assert set(SPEC_KEYS) <= set(result)
    assert list(result)[: len(SPEC_KEYS)] == SPEC_KEYS
    assert result["period"] == "2024/25 Q1"
    assert (result["members_reporting"], result["complete"]) == (2, True)
    assert (result["income_total"], result["statutory_income"], result["staff_headcount"]) == (1500, 300, 50)
    assert result["statutory_share"] == 0.2
    assert result["volunteers"] == 0  # reported as none
    assert result["ipu_beds"] is None  # nobody reported it
    assert result["income_by_stream"]["legacies"] is None
    assert result["income_by_stream"]["donations"] == 1200
    assert set(result["by_member"]) == {"AAA", "BBB"}
    by_member_keys = set(SPEC_KEYS) - {"period", "members_reporting", "complete", "by_member", "joint_work"}
    assert by_member_keys <= set(result["by_member"]["BBB"])
    assert result["by_member"]["BBB"]["statutory_income"] == 0
    assert result["by_member"]["BBB"]["ipu_beds"] is None
    assert result["by_member"]["BBB"]["volunteers"] is None


def test_a_year_in_progress_is_incomplete(store):
    result = summary_json(store, "--period", "2024/25")
    assert result["complete"] is False
    assert result["missing"][:2] == ["AAA 2024/25 Q2", "AAA 2024/25 Q3"]


def test_members_filter(store):
    result = summary_json(store, "--period", "2024/25 Q1", "--members", "bbb")
    assert list(result["by_member"]) == ["BBB"]
    assert result["income_total"] == 500


def test_database_from_the_environment(store):
    result = run("summary", "--period", "2024/25 Q1", "--json", env={"ONEVOICE_DB": str(store.path)})
    assert json.loads(result.stdout)["income_total"] == 1500


def test_without_json_a_readable_table(store):
    result = run("summary", "--db", str(store.path), "--period", "2024/25 Q1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2024/25 Q1 (April 2024 to June 2024): 2 of 2 members reporting, complete"
    assert lines[2].split() == ["Figure", "Combined", "AAA", "BBB"]
    assert "Total income" in result.stdout and "£1,500" in result.stdout
    staff = next(line for line in lines if line.startswith("Staff headcount"))
    assert staff.split()[-3:] == ["50", "40", "10"]
    assert "Volunteer time is valued at £12.21 an hour plus 30% on-cost" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--period", "2024/26"],
            "error: '2024/26' is not a period; write a financial year (2024/25), a quarter "
            "(2024/25 Q2) or a range (2023/24 Q3 to 2024/25 Q2)",
        ),
        (["--period", "2024/25 Q5"], "error: '2024/25 Q5' is not a period"),
        (
            ["--period", "2024/25", "--members", "AAA,XYZ"],
            "error: unknown member code(s) XYZ; the members are AAA, BBB",
        ),
    ],
)
def test_a_bad_period_or_member_exits_2_with_a_clear_message(store, args, message):
    result = run("summary", "--db", str(store.path), *args)
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert result.stdout == ""


def test_a_missing_database_exits_2(tmp_path):
    result = run("summary", "--db", str(tmp_path / "nowhere.duckdb"), "--period", "2024/25")
    assert result.returncode == 2
    assert "there is no database at" in result.stderr
    assert not (tmp_path / "nowhere.duckdb").exists()
