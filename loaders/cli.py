"""``python -m loaders``: members, returns, templates and the demo from a shell.

Exit codes: 0 done; 1 a file or row was refused (the output says which and
why); 2 the command was typed wrong; 3 the database is busy.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from contract.periods import Period, PeriodError, split_index
from loaders import template
from loaders.ingest import REJECTED, IngestResult, ingest_many
from loaders.problems import ERROR
from loaders.workbook import FORMATS
from store import db, members

OK, REFUSED, BUSY = 0, 1, 3
MEMBER_COLUMNS = ("code", "name", "type", "place")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except db.DatabaseBusy as error:
        print(error, file=sys.stderr)
        return BUSY


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m loaders", description="Members, returns, templates and the demo, from a shell.",
        epilog="Exit codes: 0 done; 1 a file or row was refused; 2 the command was typed wrong; "
               "3 the database is busy.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    add = commands.add_parser("members", help="add or update members from a CSV (code,name,type,place)")
    add.add_argument("csv_file", metavar="FILE.csv", type=Path, help="columns code,name,type,place")
    add.set_defaults(run=run_members)

    load = commands.add_parser("ingest", help="load returns: files, or folders of returns")
    load.add_argument("paths", metavar="PATH", nargs="+", type=Path,
                      help="a return, or a folder: every spreadsheet directly inside it, in name order")
    load.add_argument("--by", metavar="NAME", help="who sent the returns, for the history")
    load.set_defaults(run=run_ingest)

    blank = commands.add_parser("template", help="write a blank return for a member and quarter")
    blank.add_argument("--member", required=True, metavar="CODE", help="member code or name")
    blank.add_argument("--period", required=True, metavar="PERIOD", help='one quarter, e.g. "2024/25 Q1"')
    blank.add_argument("--out", required=True, metavar="FILE.xlsx", type=Path)
    blank.set_defaults(run=run_template)

    demo = commands.add_parser("demo", help="load the demo collaborative (or only write its returns)")
    demo.add_argument("--out", metavar="FOLDER", type=Path,
                      help="write the demo members and returns here and load nothing")
    demo.set_defaults(run=run_demo)

    default = db.DEFAULT_DB.relative_to(db.PROJECT_ROOT)
    for command in (add, load, blank, demo):
        command.add_argument("--db", metavar="PATH", help=f"the database (default: ${db.ENV_VAR}, else {default})")
    return parser


# -- members ------------------------------------------------------------------------

class CsvProblem(ValueError):
    """A members CSV that cannot be stored; the message names the line."""


def read_members_csv(path: Path) -> list[members.Member]:
    """Every member of the CSV, checked; raises :class:`CsvProblem` listing every bad line."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        found = [c.strip().lower() for c in reader.fieldnames or []]
        missing = [c for c in MEMBER_COLUMNS[:3] if c not in found]
        if missing:
            raise CsvProblem(f"{path.name}: line 1 should be the column names code,name,type,place; "
                             f"missing {', '.join(missing)}")
        reader.fieldnames = found
        rows = [(reader.line_num, row) for row in reader]
    problems, checked, seen = [], [], {}
    for line, row in rows:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        try:
            member = members.check(members.Member(*((row.get(c) or "").strip() for c in MEMBER_COLUMNS)))
        except members.MemberError as error:
            problems.append(f"{path.name} line {line}: {error}")
            continue
        if member.code in seen:
            problems.append(f"{path.name} line {line}: member code {member.code} is also on line "
                            f"{seen[member.code]}; give each member once")
            continue
        seen[member.code] = line
        checked.append(member)
    if problems:
        raise CsvProblem("\n".join(problems))
    return checked


def load_members(path: Path, db_path=None, by: str | None = None) -> list[tuple[members.Member, str]]:
    """Add or update every member of the CSV in one transaction: all of them, or none."""
    checked = read_members_csv(path)
    with db.connect(db_path) as con, db.transaction(con):
        return [(member, members.upsert(con, member, by=by)) for member in checked]


def run_members(args: argparse.Namespace) -> int:
    try:
        done = load_members(args.csv_file, args.db)
    except FileNotFoundError:
        print(f"{args.csv_file}: no such file", file=sys.stderr)
        return REFUSED
    except CsvProblem as problem:
        print(problem, file=sys.stderr)
        print("Nothing was stored; fix the lines above and run the command again.", file=sys.stderr)
        return REFUSED
    for member, action in done:
        print(f"{member.code} {member.name}: {action}")
    return OK


# -- ingest ---------------------------------------------------------------------------

def return_files(paths: list[Path]) -> list[Path]:
    """The files named, and the spreadsheets directly inside each folder named, sorted by name.

    Sub-folders are not entered (an ``old/`` folder of earlier copies must not
    replace the newer returns), nor are Excel's ``~$`` lock files read.
    """
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in FORMATS
                            and not p.name.startswith(("~$", ".")))
        else:
            files.append(path)
    return files


def run_ingest(args: argparse.Namespace) -> int:
    files = return_files(args.paths)
    if not files:
        print("No returns found in " + ", ".join(map(str, args.paths)), file=sys.stderr)
        return REFUSED
    missing = [path for path in files if not path.is_file()]
    for path in missing:
        print(f"{path}: rejected, no such file or folder")
    readable = [path for path in files if path.is_file()]
    results = ingest_many(((path.read_bytes(), path.name) for path in readable), args.db, args.by,
                          on_result=print_result)
    refused = len(missing) + sum(result.status == REJECTED for result in results)
    if len(files) > 1:
        print(f"{len(files) - refused} of {len(files)} files loaded or already loaded; {refused} rejected")
    return REFUSED if refused else OK


def print_result(result: IngestResult) -> None:
    print(result.summary())
    for problem in sorted(result.problems, key=lambda p: p.severity != ERROR):
        marker = "" if problem.severity == ERROR else "(warning) "
        print(f"    {marker}{problem}")


# -- template ---------------------------------------------------------------------------

def run_template(args: argparse.Namespace) -> int:
    try:
        period = Period.parse(args.period)
    except PeriodError as error:
        print(error, file=sys.stderr)
        return REFUSED
    if not period.is_quarter:
        print(f"'{args.period}' covers {period.length} quarters; a return is for one quarter, "
              "e.g. 2024/25 Q1", file=sys.stderr)
        return REFUSED
    with db.connect(args.db) as con:
        member = members.find(con, args.member)
        known = ", ".join(code for (code,) in con.execute("select code from members order by code").fetchall())
    if member is None:
        print(f"Member '{args.member}' is not in the member registry "
              f"({known or 'no members are registered yet'}).", file=sys.stderr)
        return REFUSED
    fy, quarter = split_index(period.first)
    path = template.save_template(args.out, member, fy, quarter)
    print(f"{path}: blank return for {member.code} ({member.name}), {period.label}")
    return OK


# -- demo ----------------------------------------------------------------------------------

def run_demo(args: argparse.Namespace) -> int:
    from loaders import demo   # the demo generator is only needed here

    if args.out:
        paths = demo.build_demo(args.out)
        print(f"Wrote {len(paths)} demo returns and {demo.MEMBERS_CSV.name} to {args.out}")
        return OK
    try:
        results = demo.load_demo(args.db)
    except demo.DemoRefused as error:
        print(error, file=sys.stderr)
        return REFUSED
    for result in results:
        print(result.summary())
    refused = sum(r.status == REJECTED for r in results)
    print(f"Demo loaded into {db.database_path(args.db)}: {len(results) - refused} of {len(results)} returns")
    return REFUSED if refused else OK
