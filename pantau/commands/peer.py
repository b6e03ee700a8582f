"""``pantau peer petrarch2``: run PETRARCH2's unit suite with its own dictionaries."""

from __future__ import annotations

import argparse
import json


def run(args: argparse.Namespace) -> int:
    from pantau.peer import format_petrarch2, petrarch2, report_to_dict

    report = petrarch2(args.shared, suite_verbs=not args.own_verbs)
    if args.format == "json":
        print(json.dumps(report_to_dict(report), ensure_ascii=False, indent=1))
    else:
        print(format_petrarch2(report, per_record=args.records))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    peer = sub.add_parser("peer", help="run other coders' test suites")
    suites = peer.add_subparsers(dest="suite", required=True)
    p2 = suites.add_parser(
        "petrarch2",
        help="PETRARCH2's unit suite: share of expected triples found, false triples",
    )
    p2.add_argument(
        "--shared",
        metavar="PATH",
        default="../shared",
        help="the shared folder holding peer/petrarch2/ (default: ../shared)",
    )
    p2.add_argument("--format", choices=["text", "json"], default="text")
    p2.add_argument(
        "--own-verbs",
        action="store_true",
        help="code with pantau's own triggers only, without the suite's verb dictionary",
    )
    p2.add_argument("--records", action="store_true", help="one line per suite sentence too")
    p2.set_defaults(func=run)
