"""``python -m loaders``: members, returns, templates and the demo from a shell.

Exit codes (``common.cli``): 0 done; 1 a file or row was refused (the output says
which and why); 2 the command was typed wrong; 3 the database is busy.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

from common import cli
from common.cli import OK, REFUSED
from common.errors import CsvProblem, MemberError, NothingToWithdraw, Refused, UsageError
from contract.periods import Period, split_index
from loaders import template
from loaders.ingest import REJECTED, IngestResult, ingest_many
from loaders.joint_work import REFUSED as JOINT_REFUSED
from loaders.joint_work import load_register
from loaders.joint_work_template import save_register_workbook
from loaders.members_csv import load_members
from loaders.problems import ERROR
from loaders.workbook import FORMATS
from store import backup, db, members, schema, settings, submissions, users
from store import joint_work as joint_work_store
from store.settings import BED_DAY_COST, BED_DAY_SOURCE, BED_DAY_YEAR


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return cli.run(args.run, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m loaders",
        description="Members, returns, templates and the demo, from a shell.",
        epilog=cli.EXIT_CODES,
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    add = commands.add_parser(
        "members", help="add or update members from a CSV (code,name,type,place and optionally joined,left)"
    )
    add.add_argument(
        "csv_file",
        metavar="FILE.csv",
        type=Path,
        help="columns code,name,type,place; optional joined,left: quarters such as 2024/25 Q3, blank for none",
    )
    add.set_defaults(run=run_members)

    remove = commands.add_parser("remove-member", help="take a member with no returns off the registry")
    remove.add_argument("code", metavar="CODE", help="the member's code")
    remove.add_argument("--by", metavar="NAME", help="who removed it, for the history")
    remove.set_defaults(run=run_remove_member)

    withdraw = commands.add_parser("withdraw", help="take a member's current return for a quarter out of the figures")
    withdraw.add_argument("--member", required=True, metavar="CODE", help="member code or name")
    withdraw.add_argument("--period", required=True, metavar="QUARTER", help='one quarter, e.g. "2024/25 Q1"')
    withdraw.add_argument("--by", metavar="NAME", help="who withdrew it, for the history")
    withdraw.set_defaults(run=run_withdraw)

    people = commands.add_parser("users", help="who may sign in to a shared One Voice, and in what role")
    actions = people.add_subparsers(dest="action", required=True, metavar="ACTION")
    add_user = actions.add_parser("add", help="add a user, or change their role")
    add_user.add_argument("email", metavar="EMAIL", help="the address they sign in with")
    add_user.add_argument("--role", required=True, choices=users.ROLES)
    add_user.add_argument("--member", metavar="CODE", help="for a member lead: the member they load returns for")
    actions.add_parser("list", help="every user and their role")
    remove_user = actions.add_parser("remove", help="take a user off")
    remove_user.add_argument("email", metavar="EMAIL")
    for action in actions.choices.values():
        action.add_argument("--by", metavar="NAME", help="who made the change, for the history")
        db.add_option(action)
    people.set_defaults(run=run_users)

    setting = commands.add_parser("settings", help="show or change the collaborative's settings")
    setting.add_argument("--name", metavar="TEXT", help="the collaborative's name, for pages, decks and workbooks")
    setting.add_argument(
        "--due-days", metavar="DAYS", help="how many days after a quarter ends its returns are due (42 unless set)"
    )
    setting.add_argument(
        "--bed-day-cost",
        metavar="POUNDS",
        help="what an NHS bed day costs, to value the inpatient days members provide (needs --bed-day-source)",
    )
    setting.add_argument(
        "--bed-day-source", metavar="TEXT", help='where that cost comes from, e.g. "NHS National Cost Collection"'
    )
    setting.add_argument("--bed-day-year", metavar="TEXT", help='the year of that cost, e.g. "2023/24"')
    setting.add_argument("--by", metavar="NAME", help="who changed it, for the history")
    setting.set_defaults(run=run_settings)

    load = commands.add_parser("ingest", help="load returns: files, or folders of returns")
    load.add_argument(
        "paths",
        metavar="PATH",
        nargs="+",
        type=Path,
        help="a return, or a folder: every spreadsheet directly inside it, in name order",
    )
    load.add_argument("--by", metavar="NAME", help="who sent the returns, for the history")
    load.add_argument(
        "--received",
        metavar="YYYY-MM-DD",
        type=_day,
        help="the day the returns arrived, if before today (default: today); a day in the future is refused",
    )
    load.set_defaults(run=run_ingest)

    blank = commands.add_parser(
        "template", help="write a blank return for a member and quarter, or for every member (--all)"
    )
    who = blank.add_mutually_exclusive_group(required=True)
    who.add_argument("--member", metavar="CODE", help="member code or name")
    who.add_argument(
        "--all", action="store_true", help="every member of the collaborative in that quarter, one file each"
    )
    blank.add_argument("--period", required=True, metavar="PERIOD", help='one quarter, e.g. "2024/25 Q1"')
    blank.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        type=Path,
        help="the file (FILE.xlsx) for one member; the folder for --all (created if missing)",
    )
    blank.set_defaults(run=run_template)

    joint = commands.add_parser(
        "joint-work",
        help="load the joint work register workbook (it replaces the register), or write it out with --template",
    )
    joint.add_argument("file", metavar="FILE.xlsx", nargs="?", type=Path, help="the register workbook to load")
    joint.add_argument(
        "--template", action="store_true", help="write the register as it stands (blank if empty) to --out"
    )
    joint.add_argument("--out", metavar="FILE.xlsx", type=Path, help="where --template writes the workbook")
    joint.add_argument("--by", metavar="NAME", help="who loaded it, for the history")
    joint.set_defaults(run=run_joint_work)

    demo = commands.add_parser("demo", help="load the demo collaborative (or only write its returns)")
    demo.add_argument(
        "--out", metavar="FOLDER", type=Path, help="write the demo members and returns here and load nothing"
    )
    demo.set_defaults(run=run_demo)

    back_up = commands.add_parser(
        "backup", help="write a backup of the whole database (every table, originals included) to restore later"
    )
    back_up.add_argument(
        "--out",
        metavar="FOLDER",
        type=Path,
        help="a new or empty folder for it (default: a dated folder in backups/ beside the database)",
    )
    back_up.set_defaults(run=run_backup)
    db.add_option(back_up)

    restore = commands.add_parser(
        "restore-backup", help="restore a backup (its folder, or the Data page's zip) into a new or empty database"
    )
    restore.add_argument("folder", metavar="FOLDER", type=Path, help="the backup's folder, or a zip of it")
    restore.set_defaults(run=run_restore_backup)
    db.add_option(restore)

    for command in (add, remove, withdraw, setting, load, blank, joint, demo):
        db.add_option(command)
    return parser


# -- members ------------------------------------------------------------------------


def run_members(args: argparse.Namespace) -> int:
    try:
        done = load_members(args.csv_file, args.db)
    except FileNotFoundError:
        raise CsvProblem(f"{args.csv_file}: no such file") from None
    except CsvProblem as problem:
        raise CsvProblem(f"{problem}\nNothing was stored; fix the lines above and run the command again.") from None
    for member, action in done:
        print(f"{member.code} {member.name}: {action}")
    return OK


def run_remove_member(args: argparse.Namespace) -> int:
    with db.connect(args.db) as con, db.transaction(con):
        member = members.remove(con, args.code, by=args.by)
    print(f"{member.code} {member.name}: removed from the registry")
    return OK


# -- withdrawing a return ------------------------------------------------------------------


def run_withdraw(args: argparse.Namespace) -> int:
    period = _one_quarter(args.period)
    with db.connect(args.db) as con:
        member = _member(con, args.member)
        current = submissions.current_id(con, member.code, period.first)
        if current is None:
            raise NothingToWithdraw(f"{member.name} ({member.code}) has no current return for {period.label}")
        with db.transaction(con):
            earlier = submissions.withdraw(con, current, by=args.by)
    again = f"; submission {earlier} is current again" if earlier is not None else ""
    print(
        f"Withdrew submission {current} ({member.code} {period.label}){again}. It stays in the history: "
        "restore it on the Data page if this was a mistake."
    )
    return OK


# -- users ----------------------------------------------------------------------------------


def run_users(args: argparse.Namespace) -> int:
    with db.connect(args.db) as con:
        if args.action == "add":
            with db.transaction(con):
                user = users.add(con, users.User(args.email, args.role, args.member), by=args.by)
            print(f"{user.email}: {user.role}" + (f" for {user.member}" if user.member else ""))
        elif args.action == "remove":
            with db.transaction(con):
                users.remove(con, args.email, by=args.by)
            print(f"{args.email.strip().lower()}: removed")
        else:
            frame = users.all_users(con)
            if frame.empty:
                print(
                    "No users yet: add the first coordinator with  python -m loaders users add EMAIL --role coordinator"
                )
            for email, role, member in zip(frame["email"], frame["role"], frame["member_code"]):
                print(f"{email}  {role}" + (f" for {member}" if isinstance(member, str) else ""))
    return OK


# -- settings --------------------------------------------------------------------------------


def run_settings(args: argparse.Namespace) -> int:
    with db.connect(args.db) as con:
        if args.name is not None:
            name = args.name.strip()
            if not name:
                raise UsageError('--name needs some text, like "Hampshire and Isle of Wight Hospices Together"')
            with db.transaction(con):
                settings.put(con, "collaborative_name", name, by=args.by)
        if args.due_days is not None:
            with db.transaction(con):
                settings.put(con, settings.DUE_DAYS, settings.checked_due_days(args.due_days), by=args.by)
        bed_day = {
            key: value
            for key, value in (
                (BED_DAY_COST, args.bed_day_cost),
                (BED_DAY_SOURCE, args.bed_day_source),
                (BED_DAY_YEAR, args.bed_day_year),
            )
            if value is not None
        }
        if bed_day:
            with db.transaction(con):
                for key, value in settings.checked_bed_day_cost(con, bed_day).items():
                    settings.put(con, key, value, by=args.by)
        for key in settings.SHOWN:
            print(f"{key}: {settings.get(con, key)}")
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
            files += sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in FORMATS and not p.name.startswith(("~$", "."))
            )
        else:
            files.append(path)
    return files


def run_ingest(args: argparse.Namespace) -> int:
    files = return_files(args.paths)
    if not files:
        raise Refused("No returns found in " + ", ".join(map(str, args.paths)))
    missing = [path for path in files if not path.is_file()]
    for path in missing:
        print(f"{path}: rejected, no such file or folder")
    readable = [path for path in files if path.is_file()]
    results = ingest_many(
        ((path.read_bytes(), path.name) for path in readable),
        args.db,
        args.by,
        on_result=print_result,
        received=args.received,
    )
    refused = len(missing) + sum(result.status == REJECTED for result in results)
    if len(files) > 1:
        print(f"{len(files) - refused} of {len(files)} files loaded or already loaded; {refused} rejected")
    return REFUSED if refused else OK


def print_result(result: IngestResult) -> None:
    print(result.summary())
    for problem in sorted(result.problems, key=lambda p: p.severity != ERROR):
        marker = "" if problem.severity == ERROR else "(warning) "
        print(f"    {marker}{problem}")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a day; write it as YYYY-MM-DD, like 2025-05-12") from None


# -- template ---------------------------------------------------------------------------


def _one_quarter(text: str) -> Period:
    period = Period.parse(text)
    if not period.is_quarter:
        raise UsageError(f"'{text}' covers {period.length} quarters; a return is for one quarter, e.g. 2024/25 Q1")
    return period


def _member(con, text: str) -> members.Member:
    member = members.find(con, text)
    if member is None:
        known = ", ".join(members.codes(con))
        raise MemberError(
            f"Member '{text}' is not in the member registry ({known or 'no members are registered yet'})."
        )
    return member


def run_template(args: argparse.Namespace) -> int:
    period = _one_quarter(args.period)
    fy, quarter = split_index(period.first)
    if args.all:
        if args.out.exists() and not args.out.is_dir():
            raise UsageError(f"--out {args.out} is a file; with --all it names a folder, like templates/")
        with db.connect(args.db) as con:
            everyone = [members.get(con, code) for code in members.codes(con)]
        due = template.members_in(everyone, fy, quarter)
        if not due:
            raise MemberError(f"No member belongs to the collaborative in {period.label}, so no template was written.")
        for path, member in zip(template.save_templates(args.out, due, fy, quarter), due):
            print(f"{path}: blank return for {member.code} ({member.name}), {period.label}")
        others = [m.code for m in everyone if m not in due]
        skipped = f"; none for {', '.join(others)}, not a member then" if others else ""
        print(f"{len(due)} blank return{'s' * (len(due) != 1)} for {period.label} in {args.out}{skipped}")
        return OK
    with db.connect(args.db) as con:
        member = _member(con, args.member)
    path = template.save_template(args.out, member, fy, quarter)
    print(f"{path}: blank return for {member.code} ({member.name}), {period.label}")
    return OK


# -- joint work --------------------------------------------------------------------------------


def run_joint_work(args: argparse.Namespace) -> int:
    if args.template:
        if args.file is not None or args.out is None:
            raise UsageError("write the register with  python -m loaders joint-work --template --out FILE.xlsx")
        if args.out.suffix.lower() != ".xlsx":
            raise UsageError(f"--out should name an .xlsx file, like register.xlsx (not {args.out.name})")
        with db.connect(args.db) as con:
            register = joint_work_store.current(con)
            registered = members.names(con)
            name = settings.get(con, "collaborative_name")
        path = save_register_workbook(args.out, register, registered, name)
        print(
            f"{path}: the joint work register, {len(register.projects)} project(s) and "
            f"{len(register.outcomes)} outcome(s); edit it and load it back with  python -m loaders joint-work {path}"
        )
        return OK
    if args.file is None:
        raise UsageError("name the register workbook to load:  python -m loaders joint-work FILE.xlsx")
    if not args.file.is_file():
        raise Refused(f"{args.file}: no such file")
    result = load_register(args.file.read_bytes(), args.file.name, args.db, args.by)
    print(result.summary())
    for problem in sorted(result.problems, key=lambda p: p.severity != ERROR):
        marker = "" if problem.severity == ERROR else "(warning) "
        print(f"    {marker}{problem}")
    return REFUSED if result.status == JOINT_REFUSED else OK


# -- demo ----------------------------------------------------------------------------------


def run_demo(args: argparse.Namespace) -> int:
    from loaders import demo  # the demo generator is only needed here

    if args.out:
        paths = demo.build_demo(args.out)
        print(f"Wrote {len(paths)} demo returns and {demo.MEMBERS_CSV.name} to {args.out}")
        return OK
    results = demo.load_demo(args.db)
    for result in results:
        print(result.summary())
    refused = sum(r.status == REJECTED for r in results)
    print(f"Demo loaded into {db.database_path(args.db)}: {len(results) - refused} of {len(results)} returns")
    return REFUSED if refused else OK


# -- backups ---------------------------------------------------------------------------------


def run_backup(args: argparse.Namespace) -> int:
    path = db.database_path(args.db)
    with db.connect(path) as con:
        made = backup.write(con, path, out=args.out)
    print(
        f"Backed up {path} to {made.folder} ({made.size_bytes / 1e6:.1f} MB; schema "
        f"{made.manifest['schema_version']}; {backup.contents(made.manifest['tables'])}).\n"
        f"Restore it into a new database with  python -m loaders restore-backup {made.folder} --db NEW.duckdb"
    )
    return OK


def run_restore_backup(args: argparse.Namespace) -> int:
    target = db.database_path(args.db)
    with backup.unpacked(args.folder) as folder:
        manifest = backup.verify(folder)  # before the target is touched
        with db.connect(target, migrate=False) as con:
            backup.restore(con, folder, manifest, target)
    with db.connect(target) as con:  # an older backup is upgraded here, after a backup of its own
        now = schema.version(con)
    made = datetime.fromisoformat(manifest["made_at"])
    upgraded = f", upgraded from schema {manifest['schema_version']}" if now != manifest["schema_version"] else ""
    print(
        f"Restored the backup of {made:%d %B %Y %H:%M} into {target}: every table holds the rows the backup "
        f"counted ({backup.contents(manifest['tables'])}); schema {now}{upgraded}."
    )
    return OK
