"""``python -m metrics summary --period PERIOD [--db PATH] [--json] [--members CODES]``, ``spc`` and ``returns``.

Exit codes (``common.cli``): 0 when the summary printed; 2 for a period, member or
database that cannot be used (the message says which and what to write instead);
3 the database is busy.
"""

from __future__ import annotations

import argparse
import json
import math
from datetime import date

from common import cli
from common.errors import UsageError
from contract.periods import Period, long_date
from metrics import format as fmt
from metrics.completeness import expected_members
from metrics.definitions import FIGURES
from metrics.returns import as_json as returns_json
from metrics.returns import return_states
from metrics.summary import FIGURE_KEYS, summary
from metrics.variation import spc_series
from store import db


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m metrics", description="One Voice figures from the command line.", epilog=cli.EXIT_CODES
    )
    commands = main.add_subparsers(dest="command", required=True)
    command = commands.add_parser("summary", help="the headline figures of a period, combined and by member")
    command.add_argument("--period", required=True, help="a financial year (2024/25) or a quarter (2024/25 Q2)")
    db.add_option(command)
    command.add_argument("--json", action="store_true", help="print one JSON object (null for not reported)")
    command.add_argument("--members", help="only these member codes, comma-separated (default: every member)")
    command.set_defaults(run=print_summary)
    chart = commands.add_parser("spc", help="one figure quarter by quarter as an SPC chart: mean, limits and labels")
    chart.add_argument("--figure", required=True, metavar="KEY", help=f"a figure key: {', '.join(FIGURES)}")
    chart.add_argument("--member", metavar="CODE", help="one member's chart (default: the collaborative's)")
    chart.add_argument(
        "--from", dest="first", metavar="QUARTER", help="the first quarter (default: the first with returns)"
    )
    chart.add_argument(
        "--to", dest="last", metavar="QUARTER", help="the last quarter (default: the latest with returns)"
    )
    chart.add_argument("--json", action="store_true", help="print one JSON object")
    db.add_option(chart)
    chart.set_defaults(run=print_spc)
    owed = commands.add_parser(
        "returns", help="each member's return for each quarter: in, late, due, overdue; due dates and on-time rates"
    )
    owed.add_argument("--period", required=True, help="a financial year (2024/25) or a quarter (2024/25 Q2)")
    owed.add_argument(
        "--today", metavar="YYYY-MM-DD", help="as things stood at the end of this day (default: the computer's date)"
    )
    owed.add_argument("--json", action="store_true", help="print one JSON object")
    db.add_option(owed)
    owed.set_defaults(run=print_returns)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return cli.run(args.run, args)


def print_spc(args: argparse.Namespace) -> int:
    """``metrics spc``: every quarter with its value, whether it is a point, the mean, limits and label."""
    if args.figure not in FIGURES:
        raise UsageError(f"'{args.figure}' is not a figure; the figures are {', '.join(FIGURES)}")
    path = db.database_path(args.db)
    if not path.exists():
        raise UsageError(f"there is no database at {path}; load returns first (python -m loaders ingest)")
    with db.connect(path) as con:
        member = _members(con, args.member)[0] if args.member else None
        quarters = [
            q
            for (q,) in con.execute(
                "select distinct quarter_index from submissions where status = 'current' order by 1"
            ).fetchall()
        ]
        if not quarters:
            raise UsageError("there are no returns yet")
        first = _quarter(args.first) if args.first else quarters[0]
        last = _quarter(args.last) if args.last else quarters[-1]
        if last < first:
            raise UsageError("--to is before --from")
        result = spc_series(con, args.figure, Period(first, last), member)
    points = result.points.astype(object).where(result.points.notna(), None)
    chart = result.chart
    out = {
        "figure": args.figure,
        "member": result.member,
        "direction": result.figure.direction,
        "points_used": result.used,
        "provisional": result.provisional,
        "variation": chart.variation if chart else None,
        "assurance": chart.assurance if chart else None,
        "points": points.to_dict(orient="records"),
    }
    if args.json:
        print(json.dumps(out, indent=2, default=float))
        return cli.OK
    print(
        f"{FIGURES[args.figure].label}, {result.member}: {result.used} quarters used"
        + (" (provisional limits: fewer than 13 points)" if result.provisional else "")
    )
    for row in out["points"]:
        value = fmt.value(row["value"], FIGURES[args.figure].unit, missing="-", kind=FIGURES[args.figure].kind)
        if row["used"]:
            print(f"{row['quarter_label']}  {value:>10}  {row['special_cause']}")
        else:
            print(f"{row['quarter_label']}  {value:>10}  left out: {row['reason']}")
    if chart:
        first_row = result.points[result.points["used"]].iloc[-1]
        print(
            f"Mean {first_row['mean']:,.6g}; process limits {first_row['lpl']:,.6g} to {first_row['upl']:,.6g}; "
            f"variation: {chart.variation}"
        )
    return cli.OK


def print_returns(args: argparse.Namespace) -> int:
    """``metrics returns``: every member and quarter of the period with its state, due date and received date."""
    period = Period.parse(args.period)
    try:
        today = date.fromisoformat(args.today.strip()) if args.today else date.today()
    except ValueError:
        raise UsageError(f"--today '{args.today}' is not a day; write it as YYYY-MM-DD, like 2025-05-12") from None
    path = db.database_path(args.db)
    if not path.exists():
        raise UsageError(f"there is no database at {path}; load returns first (python -m loaders ingest)")
    with db.connect(path) as con:
        states = return_states(con, period, today)
    result = returns_json(states, period, today)
    if args.json:
        print(json.dumps(result, indent=2))
        return cli.OK
    print(f"Returns for {period.label} as at the end of {long_date(today)}")
    for row in result["returns"]:
        received = f"received {row['received']}" if row["received"] else "not received"
        print(f"{row['member']:<8} {row['quarter']:<12} {row['state']:<13} due {row['due']}  {received}")
    rates = ", ".join(
        f"{code} {'-' if rate is None else f'{rate:.0%}'}" for code, rate in result["on_time_rate"].items()
    )
    print(f"On time: {rates or 'no members'}")
    return cli.OK


def _quarter(text: str) -> int:
    period = Period.parse(text)
    if not period.is_quarter:
        raise UsageError(f"'{text}' is not one quarter; write it like 2024/25 Q1")
    return period.first


def print_summary(args: argparse.Namespace) -> int:
    result = run_summary(args)
    print(json.dumps(finite(result), indent=2, allow_nan=False) if args.json else table(result))
    return cli.OK


def finite(value: object) -> object:
    """The same data with every NaN or infinity as None, so the JSON is always valid JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(item) for item in value]
    return value


def run_summary(args: argparse.Namespace) -> dict:
    period = Period.parse(args.period)
    path = db.database_path(args.db)
    if not path.exists():
        raise UsageError(f"there is no database at {path}; load returns first (python -m loaders ingest)")
    with db.connect(path) as con:
        members = _members(con, args.members)
        return summary(con, period, members)


def _members(con, text: str | None) -> list[str] | None:
    if text is None:
        return None
    wanted = [code.strip().upper() for code in text.replace(" ", ",").split(",") if code.strip()]
    known = expected_members(con)
    unknown = [code for code in wanted if code not in known]
    if unknown or not wanted:
        raise UsageError(
            f"unknown member code(s) {', '.join(unknown) or '(none given)'}; "
            f"the members are {', '.join(known) or '(none registered)'}"
        )
    return wanted


def table(result: dict) -> str:
    """The summary as a readable table: one row per figure, combined then each member."""
    codes = list(result["by_member"])
    header = ["Figure", "Combined", *codes]
    rows = [header]
    for key in [key for key in FIGURES if key in FIGURE_KEYS]:  # grouped by area, as definitions() lists them
        definition = FIGURES[key]
        values = [result[key], *(result["by_member"][code][key] for code in codes)]
        rows.append(
            [definition.label, *(fmt.value(v, definition.unit, missing="-", kind=definition.kind) for v in values)]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    partial = [
        f"Partial: {FIGURES[key].label} leaves out {', '.join(lacking)}" for key, lacking in result["partial"].items()
    ]
    return "\n".join(
        [_heading(result), "", *lines, "", "- not reported", *partial, result["volunteer_value_assumption"]]
    )


def _heading(result: dict) -> str:
    state = "complete" if result["complete"] else "incomplete"
    heading = (
        f"{result['period']} ({result['period_months']}): {result['members_reporting']} of "
        f"{result['members_expected']} members reporting, {state}"
    )
    missing = result["missing"]
    if missing:
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
        heading += f"\nMissing returns: {shown}"
    return heading
