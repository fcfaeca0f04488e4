"""Time a financial-year summary of the demo collaborative (not a test; run by hand).

    python -m tests.metrics_timing [DEMO_DB]

Builds the demo (5 members x 12 quarters) in a temporary folder unless a
database is given, then prints the median of 20 summaries after 2 warm-ups.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from contract.periods import Period
from metrics import figures, quarterly_series, summary
from store import db


def median_ms(run, repeats: int = 20, warmup: int = 2) -> float:
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(path: str | None = None) -> None:
    if path is None:
        from loaders.demo import load_demo

        folder = Path(tempfile.mkdtemp())
        path = str(folder / "demo.duckdb")
        load_demo(db_path=path, folder=folder / "files")
    year = Period.year(2024)
    with db.connect(path) as con:
        print(f"summary 2024/25:            {median_ms(lambda: summary(con, year)):6.1f} ms")
        print(f"figures 2024/25:            {median_ms(lambda: figures(con, year)):6.1f} ms")
        print(f"summary 2024/25 Q4:         {median_ms(lambda: summary(con, Period.quarter(2024, 4))):6.1f} ms")
        twelve = Period(year.first - 8, year.last)
        print(
            f"series people, 12 quarters: "
            f"{median_ms(lambda: quarterly_series(con, 'people_supported', twelve)):6.1f} ms"
        )
    with db.connect(path) as con:
        start = time.perf_counter()
        summary(con, year)
    print(f"first summary on a fresh connection: {(time.perf_counter() - start) * 1000:.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
