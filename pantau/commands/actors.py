"""``pantau actors``: dictionary work: ``suggest`` rows from coded records, ``check`` a file."""

from __future__ import annotations

import argparse
import sys


def run_suggest(args: argparse.Namespace) -> int:
    from pantau.actor_suggest import read_records, suggest, to_csv

    rows = suggest(read_records(args.records), min_articles=args.min_articles)
    sys.stdout.write(to_csv(rows))
    print(f"pantau: {len(rows)} suggested rows", file=sys.stderr)
    return 0


def run_check(args: argparse.Namespace) -> int:
    from pantau.userdict import check, summary

    found, problems = check(args.file)
    for problem in problems:
        print(f"pantau: {problem}", file=sys.stderr)
    if found is not None:
        print(f"{args.file}: {summary(found)}; {len(problems)} problems")
    return 1 if problems else 0


def register(sub: argparse._SubParsersAction) -> None:
    actors = sub.add_parser("actors", help="user dictionaries: suggest rows, check a file")
    cmds = actors.add_subparsers(dest="actors_command", required=True)
    sug = cmds.add_parser(
        "suggest",
        help="propose dictionary rows (CSV) for names seen with the same office in many records",
    )
    sug.add_argument("records", help="records JSONL, as written by pantau code")
    sug.add_argument(
        "--min-articles",
        type=int,
        default=3,
        metavar="N",
        help="propose a name seen with one office in at least N articles (default 3)",
    )
    sug.set_defaults(func=run_suggest)
    chk = cmds.add_parser(
        "check", help="validate a user dictionary (CSV, or PETRARCH actors/agents/verbs file)"
    )
    chk.add_argument("file")
    chk.set_defaults(func=run_check)
