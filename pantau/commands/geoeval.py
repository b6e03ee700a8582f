"""``pantau geoeval``: the geoparsing figures (event location, toponyms, gold country)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict


def run(args: argparse.Namespace) -> int:
    from pantau.geoeval import format_report, geoeval

    report = geoeval(args.shared)
    if args.format == "json":
        print(json.dumps(asdict(report), indent=1))
    else:
        print(format_report(report))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    ge = sub.add_parser(
        "geoeval",
        help="geoparsing figures: event location (en), toponyms (id), event country (gold)",
    )
    ge.add_argument(
        "shared",
        nargs="?",
        default="../shared",
        help="folder with peer/event_location, peer/inageoparser and golden (default ../shared)",
    )
    ge.add_argument("--format", choices=["text", "json"], default="text")
    ge.set_defaults(func=run)
