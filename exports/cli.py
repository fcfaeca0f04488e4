"""``python -m exports``: the deck, the workbook or the CSVs of a period, from a shell.

Exit codes (``common.cli``): 0 written; 1 nothing to export (no member has a
return for the period); 2 the command was typed wrong (a bad period, an unknown
member, no such database or folder, a file name of the wrong kind); 3 the
database is busy.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import cli
from common.errors import NothingToExport, UsageError
from contract.periods import Period
from exports.bundle import csv_files, csv_zip
from exports.data import ExportData, gather
from exports.deck import build_deck
from exports.workbook import build_workbook
from store import db

SUFFIXES = {"deck": ".pptx", "workbook": ".xlsx", "csv": ""}


def main(argv: list[str] | None = None) -> int:
    return cli.run(export, _parser().parse_args(argv))


def export(args: argparse.Namespace) -> int:
    period = Period.parse(args.period)
    members = _members(args.members)
    _check_paths(args)
    with db.connect(args.db) as con:
        data = gather(con, period, members, suppress=args.suppress)
    if not data.coverage.members_reporting:
        raise NothingToExport(
            f"No member has a return for {period.label}, so there is nothing to export and no file was written. "
            "Choose a period with returns (python -m metrics summary shows one)."
        )
    written = write(args.what, data, args.out)
    print(describe(args.what, data, written))
    return cli.OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m exports",
        description="The deck, workbook or CSVs of a period, from a shell.",
        epilog=cli.EXIT_CODES,
    )
    parser.add_argument(
        "what", choices=["deck", "workbook", "csv"], help="deck (.pptx), workbook (.xlsx) or csv (a folder, or a .zip)"
    )
    parser.add_argument(
        "--period",
        required=True,
        metavar="PERIOD",
        help='a financial year ("2024/25"), a quarter ("2024/25 Q2") or a range ("2023/24 Q3 to 2024/25 Q2")',
    )
    parser.add_argument("--members", metavar="CODES", help="member codes separated by commas (default: all)")
    parser.add_argument(
        "--suppress",
        action="store_true",
        help="small-number suppression: counts of people 1 to 7 as *, others rounded to 5",
    )
    db.add_option(parser)
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="FILE",
        help="where to write: FILE.pptx, FILE.xlsx, or for csv a folder or FILE.zip",
    )
    return parser


def _members(text: str | None) -> list[str] | None:
    if text is None:
        return None
    codes = [code.strip() for code in text.split(",") if code.strip()]
    if not codes:
        raise UsageError("--members needs at least one member code, like ROW,LAR")
    return codes


def _check_paths(args: argparse.Namespace) -> None:
    path = db.database_path(args.db)
    if not path.exists():
        raise UsageError(
            f"There is no database at {path}. Load returns first (python -m loaders ingest), "
            "or name the database with --db."
        )
    suffix = args.out.suffix.lower()
    wanted = SUFFIXES[args.what]
    if args.what != "csv" and suffix != wanted:
        raise UsageError(f"A {args.what} is a {wanted} file; name it like {args.out.with_suffix(wanted).name}")
    if args.what == "csv" and suffix not in ("", ".zip"):
        raise UsageError(f"CSVs go into a folder or a .zip file, not a {suffix} file")
    folder = args.out if args.what == "csv" and suffix != ".zip" else args.out.parent
    if args.what == "csv" and folder == args.out:
        folder.mkdir(parents=True, exist_ok=True)  # a new folder of CSVs, as asked
    if not folder.exists():
        raise UsageError(f"The folder {folder} does not exist")


def write(what: str, data: ExportData, out: Path) -> list[Path]:
    """Write the export; returns the files written."""
    if what == "deck":
        out.write_bytes(build_deck(data))
        return [out]
    if what == "workbook":
        out.write_bytes(build_workbook(data))
        return [out]
    if out.suffix.lower() == ".zip":
        out.write_bytes(csv_zip(data))
        return [out]
    written = []
    for name, content in csv_files(data).items():
        (out / name).write_bytes(content)
        written.append(out / name)
    return written


def describe(what: str, data: ExportData, written: list[Path]) -> str:
    cover = data.coverage
    state = "complete" if cover.complete else f"{len(data.missing)} return(s) missing"
    rule = ", small numbers suppressed" if data.suppress else ""
    where = written[0] if len(written) == 1 else f"{len(written)} files in {written[0].parent}"
    return (
        f"Wrote the {what} for {data.period.label} ({len(cover.members_reporting)} of "
        f"{len(cover.members_expected)} members reporting, {state}{rule}) to {where}"
    )
