"""``pantau eval``: score the coder against gold files, optionally against floors."""

from __future__ import annotations

import argparse
import json
import sys


def run(args: argparse.Namespace) -> int:
    from pantau.eval_report import check_floors, format_report, report_to_dict
    from pantau.evaluate import evaluate
    from pantau.lexicon import load_yaml_file
    from pantau.pipeline import code_article

    report = evaluate(args.path, code_article)
    if args.format == "json":
        print(json.dumps(report_to_dict(report), ensure_ascii=False, indent=1))
    else:
        print(format_report(report, verbose=args.verbose))
    if args.floors:
        failures = check_floors(report, load_yaml_file(args.floors))
        for failure in failures:
            print(f"pantau: below floor: {failure}", file=sys.stderr)
        return 1 if failures else 0
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    ev = sub.add_parser("eval", help="score the coder against gold files")
    ev.add_argument("path", help="a .gold.json file or a folder of them")
    ev.add_argument("--format", choices=["text", "json"], default="text")
    ev.add_argument(
        "--floors",
        metavar="YAML",
        default=None,
        help="exit 1 when a figure is below these floors (e.g. eval-floors.yaml)",
    )
    ev.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list missed gold events and false positives per file",
    )
    ev.set_defaults(func=run)
