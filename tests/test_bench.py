"""The benchmark keeps working: its synthetic returns pass validation and it writes every key.

No time is asserted here; the figures live in docs/benchmarks.md.
"""

from __future__ import annotations

import json

import bench.__main__ as bench_main
from bench import synthetic
from loaders.ingest import ACCEPTED, ingest_many
from store import db, members
from tests.browser.harness import missing_browser


def test_synthetic_returns_are_accepted_without_errors_or_warnings(tmp_path):
    roster = synthetic.members_for(5)
    _, paths = synthetic.write_collaborative("demo", tmp_path / "returns", roster=roster)
    target = tmp_path / "bench.duckdb"
    with db.connect(target) as con:
        for member in roster:
            members.upsert(con, member)
    results = ingest_many([(p.read_bytes(), p.name) for p in paths[:10]], db_path=target)
    assert [r.status for r in results] == [ACCEPTED] * 10
    assert [str(p) for r in results for p in r.problems] == []


def test_the_same_seed_writes_the_same_figures():
    member = synthetic.members_for(250)[7]
    assert synthetic.figures_for(member, 8100, 1) == synthetic.figures_for(member, 8100, 1)
    assert synthetic.figures_for(member, 8100, 1) != synthetic.figures_for(member, 8101, 1)


def test_the_benchmark_writes_every_key(tmp_path, monkeypatch):
    monkeypatch.setitem(synthetic.SCALES, "demo", (5, 4))
    monkeypatch.setattr(bench_main, "CACHE", tmp_path)
    monkeypatch.setattr(bench_main, "PAGES", ["overview"])
    out = tmp_path / "bench.json"
    assert bench_main.main(["--scale", "demo", "--repeats", "2", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    for key in (
        "raw_read_ms",
        "openpyxl_read_ms",
        "ingest_ms",
        "ingest_in_batch_ms",
        "summary_ms",
        "peak_memory_mb",
        "ingest_returns_per_s",
        "ingest_vs_raw_read",
        "commit_floor_ms",
        "template_ms",
        "deck_ms",
        "workbook_ms",
        "first_view_after_upload_ms",
    ):
        assert report[key] > 0, key
    assert set(report["pages_ms"]) == {"overview"} and report["pages_ms"]["overview"] > 0
    assert report["all_returns"] == 20
    if missing_browser() is None:  # the browser section, and chart images, need Chromium
        assert report["image_ms"] > 0 and report["image_floor_ms"] > 0
        assert set(report["browser_page_ms"]) == {"overview"} and report["browser_page_ms"]["overview"] > 0
        assert set(report["browser_filter_ms"]) == {"overview", "activity"}
        assert report["browser_first_page_ms"] > 0
        assert report["browser_floor_ms"]["page"] > 0 and report["browser_floor_ms"]["first_page"] > 0
