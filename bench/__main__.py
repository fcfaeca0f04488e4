"""``python -m bench --scale demo|national [--json FILE]``: how fast One Voice does its job.

Synthetic collaboratives are written through the real template and loaded
through the real ingest. Every figure is a median over repeated runs after a
warm-up. See docs/benchmarks.md for how to read the output.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

from bench.synthetic import FIRST_FY, SCALES, members_for, write_collaborative
from store import db, members

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench-results"
PAGES = ["overview", "income", "workforce", "capacity", "activity", "members", "together", "data", "export"]


def median_ms(run, repeats: int, warmup: int = 2) -> float:
    for i in range(warmup):
        run(i)
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        run(warmup + i)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def raw_read(content: bytes) -> None:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_filelike(io.BytesIO(content)) as book:
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()


def openpyxl_read(content: bytes) -> None:
    import pandas as pd

    pd.read_excel(io.BytesIO(content), sheet_name=None, engine="openpyxl", header=None)


def fresh_database(folder: Path, scale: str) -> Path:
    path = Path(tempfile.mkdtemp(dir=folder)) / "bench.duckdb"
    with db.connect(path) as con:
        for member in members_for(SCALES[scale][0]):
            members.upsert(con, member)
    return path


def measure_reads(paths: list[Path], repeats: int) -> dict:
    contents = [p.read_bytes() for p in paths[: repeats + 2]]
    return {
        "raw_read_ms": median_ms(lambda i: raw_read(contents[i % len(contents)]), repeats),
        "openpyxl_read_ms": median_ms(lambda i: openpyxl_read(contents[i % len(contents)]), repeats),
    }


def measure_single_ingest(paths: list[Path], work: Path, scale: str, repeats: int) -> dict:
    """One return at a time, each opening and closing the database as the upload page does; and the floor:
    the raw calamine read of the same file plus one committed insert of its cells on an open connection."""
    from loaders.ingest import ingest_bytes, ingest_many

    target = fresh_database(work, scale)
    files = [(p.read_bytes(), p.name) for p in paths[: repeats + 2]]
    single = median_ms(lambda i: ingest_bytes(*files[i], db_path=target), repeats)
    target = fresh_database(work, scale)
    start = time.perf_counter()
    ingest_many(files, db_path=target)
    batch = (time.perf_counter() - start) * 1000 / len(files)
    floor = commit_floor_ms([content for content, _ in files], repeats)
    return {
        "ingest_ms": single,
        "ingest_in_batch_ms": round(batch, 2),
        "commit_floor_ms": floor,
        "ingest_vs_commit_floor": round(single / floor, 1),
        "ingest_in_batch_vs_commit_floor": round(batch / floor, 1),
    }


def commit_floor_ms(contents: list[bytes], repeats: int) -> float:
    """The least any ingest can cost: calamine reads the file, one transaction inserts its cells, committed."""
    import duckdb
    from python_calamine import CalamineWorkbook

    con = duckdb.connect()
    con.execute("create table cells (sheet varchar, r integer, c integer, value varchar)")

    def run(i: int) -> None:
        rows = []
        with CalamineWorkbook.from_filelike(io.BytesIO(contents[i % len(contents)])) as book:
            for name in book.sheet_names:
                for r, row in enumerate(book.get_sheet_by_name(name).to_python()):
                    rows += [(name, r, c, str(v)) for c, v in enumerate(row) if v != ""]
        con.execute("begin transaction")
        con.executemany("insert into cells values (?, ?, ?, ?)", rows)
        con.execute("commit")

    try:
        return median_ms(run, repeats)
    finally:
        con.close()


def measure_exports(target: Path, scale: str, repeats: int, work: Path) -> dict:
    """A blank template, the deck and the workbook of the latest year, and one chart image beside its floor."""
    from contract.periods import Period
    from exports import images
    from exports.data import gather
    from exports.deck import build_deck
    from exports.workbook import build_workbook
    from loaders.template import write_template

    last_fy = FIRST_FY[scale] + SCALES[scale][1] // 4 - 1
    roster = members_for(SCALES[scale][0])
    report = {"template_ms": median_ms(lambda i: write_template(roster[i % len(roster)], last_fy, 1), repeats)}
    with db.connect(target) as con:
        data = gather(con, Period.year(last_fy))
    report["deck_ms"] = median_ms(lambda i: build_deck(data), max(3, repeats // 5), warmup=1)
    report["workbook_ms"] = median_ms(lambda i: build_workbook(data), max(3, repeats // 5), warmup=1)
    if images.browser_path() is None:
        report["image_skipped"] = "no Chromium on this computer"
        return report
    fig = images.chart(data, next(iter(images.CHARTS)))
    report["image_ms"] = median_ms(lambda i: images.to_image(fig), 5, warmup=1)
    report["image_floor_ms"] = image_floor_ms(fig)
    report["image_vs_floor"] = round(report["image_ms"] / report["image_floor_ms"], 2)
    return report


def image_floor_ms(fig) -> float:
    """The same image from a kaleido server already running, called directly (no One Voice code around it)."""
    import warnings

    import kaleido

    def run(_: int) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fig.to_image(format="png", width=1100, height=fig.layout.height or 620, scale=2)

    kaleido.start_sync_server(silence_warnings=True)
    return median_ms(run, 5, warmup=1)


def measure_first_view_after_upload(target: Path, scale: str, paths: list[Path]) -> dict:
    """The first Overview after one more return is loaded (caches emptied by the new data), beside a warm one."""
    from streamlit.testing.v1 import AppTest

    from loaders.ingest import ingest_bytes

    os.environ["ONEVOICE_DB"] = str(target)

    def overview() -> float:
        start = time.perf_counter()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        at.run()
        if at.exception:
            raise SystemExit(f"bench: the overview failed: {at.exception[0].message}")
        return (time.perf_counter() - start) * 1000

    overview()
    warm = statistics.median(overview() for _ in range(3))
    # a resubmission of a return already loaded (new bytes: its notes differ) changes the data version
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(paths[-1].read_bytes()))
    book["Return"].cell(7, 2, f"bench resubmission {time.time()}")
    buffer = io.BytesIO()
    book.save(buffer)
    ingest_bytes(buffer.getvalue(), f"resubmitted-{paths[-1].name}", db_path=target)
    first = overview()
    return {
        "first_view_after_upload_ms": round(first, 1),
        "warm_view_ms": round(warm, 1),
        "first_view_vs_warm": round(first / warm, 1),
    }


def load_all(paths: list[Path], target: Path) -> dict:
    from loaders.ingest import ACCEPTED, ingest_many

    start = time.perf_counter()
    results = ingest_many(((p.read_bytes(), p.name) for p in paths), db_path=target)
    seconds = time.perf_counter() - start
    refused = [r.summary() for r in results if r.status != ACCEPTED]
    if refused:
        raise SystemExit(f"bench: {len(refused)} synthetic returns were refused, e.g. {refused[0]}")
    return {
        "returns": len(paths),
        "ingest_all_s": round(seconds, 1),
        "ingest_returns_per_s": round(len(paths) / seconds, 1),
    }


def measure_summary(target: Path, scale: str, repeats: int) -> float:
    import metrics
    from contract.periods import Period

    last_fy = FIRST_FY[scale] + SCALES[scale][1] // 4 - 1
    with db.connect(target) as con:
        return median_ms(lambda i: metrics.summary(con, Period.year(last_fy)), repeats)


def measure_pages(target: Path, repeats: int) -> dict:
    from streamlit.testing.v1 import AppTest

    os.environ["ONEVOICE_DB"] = str(target)
    timings = {}
    for page in PAGES:
        script = ROOT / "app_pages" / f"{page}.py"
        if not script.exists():
            continue

        def render(_: int, script=script) -> None:
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
            at.run()
            at.switch_page(str(script.relative_to(ROOT)))
            at.run()
            if at.exception:
                raise SystemExit(f"bench: page {script.name} failed: {at.exception[0].message}")

        timings[page] = median_ms(render, repeats, warmup=1)
    return timings


def generate(scale: str, folder: Path) -> list[Path]:
    if scale == "demo":
        return write_collaborative(scale, folder)[1]
    # National scale: write the files in two processes, one a core.
    with Pool(2) as pool:
        halves = pool.starmap(_write_part, [(scale, folder, part) for part in (0, 1)])
    return sorted(p for half in halves for p in half)


def _write_part(scale: str, folder: Path, part: int) -> list[Path]:
    roster = members_for(SCALES[scale][0])[part::2]
    return write_collaborative(scale, folder, roster=roster)[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--no-browser", action="store_true", help="skip the browser section (Chromium)")
    args = parser.parse_args(argv)

    folder = CACHE / args.scale / "returns"
    work = CACHE / args.scale / "work"
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    paths = generate(args.scale, folder)
    report = {
        "scale": args.scale,
        "members": SCALES[args.scale][0],
        "quarters": SCALES[args.scale][1],
        "generate_s": round(time.perf_counter() - start, 1),
    }
    print(f"{len(paths)} returns ready in {report['generate_s']} s", file=sys.stderr)
    report.update(measure_reads(paths, args.repeats))
    report.update(measure_single_ingest(paths, work, args.scale, args.repeats))
    target = fresh_database(work, args.scale)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    loaded = load_all(paths, target)
    report["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    report["memory_before_load_mb"] = round(rss_before / 1024, 1)
    if args.scale == "national":
        report["national_ingest_returns_per_s"] = loaded["ingest_returns_per_s"]
    report.update({f"all_{k}" if k == "returns" else k: v for k, v in loaded.items()})
    report["summary_ms"] = measure_summary(target, args.scale, args.repeats)
    report["pages_ms"] = measure_pages(target, max(3, args.repeats // 5))
    report.update(measure_exports(target, args.scale, args.repeats, work))
    report.update(measure_first_view_after_upload(target, args.scale, paths))
    if not args.no_browser:
        from bench import browser

        report.update(browser.measure(target, PAGES, max(3, args.repeats // 5), work))
    report["ingest_vs_raw_read"] = round(report["ingest_ms"] / report["raw_read_ms"], 1)
    report["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
