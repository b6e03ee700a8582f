"""``pantau peer``: other coders' test suites run through pantau.

``pantau peer petrarch2`` (PETRARCH2's unit suite with its own dictionaries,
:func:`pantau.peer.petrarch2`), ``pantau peer plover`` (the PLOVER gold-standard
records, :func:`pantau.plover_gsr.evaluate_gsr`), ``pantau peer case2021`` (CASE 2021
Task 2, :func:`pantau.peer_case.case2021`) and ``pantau peer all`` (every suite).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _petrarch2(args: argparse.Namespace) -> tuple[Any, str]:
    from pantau.peer import format_petrarch2, petrarch2, report_to_dict

    report = petrarch2(args.shared, suite_verbs=not args.own_verbs)
    return report_to_dict(report), format_petrarch2(report, per_record=args.records)


def _plover(args: argparse.Namespace) -> tuple[Any, str]:
    from pantau.pipeline import code_article
    from pantau.plover_gsr import evaluate_gsr, format_gsr_report, gsr_report_to_dict

    report = evaluate_gsr(args.shared, code_article)
    return gsr_report_to_dict(report), format_gsr_report(report, verbose=args.verbose)


def _case2021(args: argparse.Namespace) -> tuple[Any, str]:
    from pantau.peer_case import case2021, case_to_dict, format_case

    report = case2021(args.shared)
    return case_to_dict(report), format_case(report)


SUITES = {"petrarch2": _petrarch2, "plover": _plover, "case2021": _case2021}


def run(args: argparse.Namespace) -> int:
    from pantau.errors import InputError

    names = list(SUITES) if args.suite == "all" else [args.suite]
    results, missing = {}, []
    for name in names:
        try:
            results[name] = SUITES[name](args)
        except InputError as exc:
            if len(names) == 1:
                raise
            missing.append(f"pantau: {name} skipped: {exc}")  # "all": run what is there
    if not results:
        raise InputError("none of the suites is there", source=args.shared)
    for line in missing:
        print(line, file=sys.stderr)
    names = list(results)
    if args.format == "json":
        data = results[names[0]][0] if len(names) == 1 else {n: r[0] for n, r in results.items()}
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print("\n\n".join(text for _, text in results.values()))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    peer = sub.add_parser(
        "peer", help="run other coders' test suites (PETRARCH2, PLOVER gold, CASE 2021)"
    )
    suites = peer.add_subparsers(dest="suite", required=True)
    helps = {
        "petrarch2": "PETRARCH2's unit suite: share of expected triples found, false triples",
        "plover": "the PLOVER gold-standard records: per-type precision, recall and F1",
        "case2021": "CASE 2021 Task 2: ACLED event types of 1,019 English snippets",
        "all": "every suite, one after the other",
    }
    for name, text in helps.items():
        p = suites.add_parser(name, help=text)
        p.add_argument(
            "--shared",
            metavar="PATH",
            default="../shared",
            help="the shared folder holding peer/ (default: ../shared); for plover also "
            "the PLOVER_GSR_CAMEO.txt file itself",
        )
        p.add_argument("--format", choices=["text", "json"], default="text")
        if name in ("petrarch2", "all"):
            p.add_argument("--records", action="store_true", help="one line per suite sentence")
            p.add_argument(
                "--own-verbs",
                action="store_true",
                help="code with pantau's own triggers, without the suite's verb dictionary",
            )
        if name in ("plover", "all"):
            p.add_argument(
                "-v", "--verbose", action="store_true", help="list every missed GSR sentence"
            )
        p.set_defaults(func=run, records=False, own_verbs=False, verbose=False)
