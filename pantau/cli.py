"""The ``pantau`` command: thin wrappers over library functions.

Every failure a user can cause ends as one line ``pantau: <message>`` on
stderr and a non-zero exit code, never as a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence

from pantau import __version__
from pantau.errors import InputError, PantauError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def cmd_code(args: argparse.Namespace) -> int:
    from pantau.coding import CodingRun, code_source
    from pantau.output import format_table

    run = CodingRun()
    records = code_source(
        args.source,
        args.input_format,
        lang=args.lang,
        published=args.published,
        strict=args.strict,
        run=run,
    )
    if args.format == "table":
        print(format_table(list(records)))
    else:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    for note in run.notes:
        print(f"pantau: note: {note}", file=sys.stderr)
    for skipped in run.skipped:
        print(f"pantau: skipped {skipped.reason}", file=sys.stderr)
    if run.skipped:
        print(
            f"pantau: coded {run.articles} articles ({run.records} records), "
            f"skipped {len(run.skipped)}",
            file=sys.stderr,
        )
    if run.articles == 0 and run.skipped:
        raise InputError("nothing could be coded", source=args.source)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pantau", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"pantau {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    code = sub.add_parser("code", help="code articles into event records (JSONL on stdout)")
    code.add_argument("source", help="a .txt/.html/.jsonl file, or - for stdin")
    code.add_argument(
        "--input-format",
        choices=["text", "html", "jsonl"],
        default=None,
        help="input format (default: guessed from the name and content)",
    )
    code.add_argument(
        "--lang", choices=["id", "en"], default=None, help="article language (default: detected)"
    )
    code.add_argument(
        "--published",
        type=_date,
        default=None,
        help="publication date YYYY-MM-DD, when the input does not give one",
    )
    code.add_argument("--format", choices=["jsonl", "table"], default="jsonl")
    code.add_argument(
        "--strict", action="store_true", help="in JSONL input, stop at the first bad line"
    )
    code.set_defaults(func=cmd_code)

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
    ev.set_defaults(func=cmd_eval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return args.func(args)
    except PantauError as exc:
        print(f"pantau: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("pantau: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so in one line; PANTAU_DEBUG=1 shows the traceback
        if os.environ.get("PANTAU_DEBUG"):
            raise
        print(
            f"pantau: internal error: {type(exc).__name__}: {exc} (set PANTAU_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
