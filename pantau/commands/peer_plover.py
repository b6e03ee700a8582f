"""``pantau peer-plover``: per-type P/R/F1 on the PLOVER gold-standard records (GSR)."""

from __future__ import annotations

import argparse
import json


def run(args: argparse.Namespace) -> int:
    from pantau.pipeline import code_article
    from pantau.plover_gsr import evaluate_gsr, format_gsr_report, gsr_report_to_dict

    report = evaluate_gsr(args.shared, code_article)
    if args.format == "json":
        print(json.dumps(gsr_report_to_dict(report), ensure_ascii=False, indent=1))
    else:
        print(format_gsr_report(report, verbose=args.verbose))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    peer = sub.add_parser(
        "peer-plover",
        help="score the coder on the PLOVER gold-standard records (per-type P/R/F1)",
    )
    peer.add_argument(
        "--shared",
        metavar="PATH",
        default="../shared",
        help="the shared folder holding peer/plover/PLOVER_GSR_CAMEO.txt, or that file "
        "(default: ../shared)",
    )
    peer.add_argument("--format", choices=["text", "json"], default="text")
    peer.add_argument(
        "-v", "--verbose", action="store_true", help="list every missed sentence by gold type"
    )
    peer.set_defaults(func=run)
